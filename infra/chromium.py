"""Debian's headless Chromium as this project starts it: the report's PNG (infra/report_day/png.py)
and the page tests (tests/support/browser.py) share the binary and the flags, so a picture in
ops and a page in a test come from the same browser started the same way."""

CHROMIUM = "/usr/bin/chromium"

# Without the networking flags Chromium phones home at start and the closed network refuses it;
# --no-sandbox because it runs as root (CI, containers); /dev/shm may be small in containers.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Every request it would make goes to a proxy that is not there, so it fails: what a page needs
# from outside shows, and nothing leaves the machine.
NO_NETWORK = "--proxy-server=http://127.0.0.1:9"
