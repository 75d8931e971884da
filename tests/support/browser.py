"""Headless Chromium for page tests: Debian's chromium (started as infra/chromium.py says) and
chromium-driver, driven by selenium.

The paths are fixed so selenium never runs its own driver download (Selenium Manager):
this network reaches only package registries, and CI installs the Debian packages."""

from __future__ import annotations

import os

import pytest

from infra.chromium import CHROMIUM, NO_NETWORK
from infra.chromium import FLAGS as BROWSER_FLAGS

CHROMEDRIVER = "/usr/bin/chromedriver"
INSTALL_HINT = "apt-get install -y chromium chromium-driver fonts-wqy-microhei (.ci/run does this)"
FLAGS = [*BROWSER_FLAGS, "--window-size=480,900"]


def require_chromium() -> None:
    """Skip on a developer machine without the browser; in CI a missing browser is a failure,
    so a broken install step cannot hide behind a green run."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if not missing:
        return
    reason = f"headless Chromium not installed ({', '.join(missing)} missing): {INSTALL_HINT}"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


# Every request that is not to this machine's loopback fails: a page that needs anything from
# outside the deployment shows it. Only 127.0.0.1 (the stack under test) is reached.
OFFLINE_FLAGS = [NO_NETWORK, "--proxy-bypass-list=127.0.0.1"]


def start_chromium(profile_dir: str, extra_flags: list[str] = (), record: bool = False):
    """A fresh headless Chromium with its own empty profile; the caller quits it. record=True keeps
    the console and network logs (driver.get_log("browser") / get_log("performance"))."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + list(extra_flags) + [f"--user-data-dir={profile_dir}"]:
        options.add_argument(flag)
    if record:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    return driver


def network_urls(driver) -> list[str]:
    """Every URL the page asked the network for since the performance log was last read (started
    with record=True): http(s) and ws(s) only, not the browser's own chrome:// pages nor data: icons."""
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return [u for u in urls if u.split(":", 1)[0] in ("http", "https", "ws", "wss")]


def console_errors(driver) -> list[str]:
    """The console's SEVERE messages (a blocked script or style names the Content Security Policy)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
