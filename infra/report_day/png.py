"""The report's PNG: the HTML file rendered by Debian's headless Chromium (infra/chromium.py,
the browser the page tests use too) with its own empty profile, its
background networking off and every request off this machine sent to a proxy that is not there,
so the picture is of the page alone. Without the browser there is no PNG, and the caller says so."""

from __future__ import annotations

import os
import subprocess
import tempfile

from infra.chromium import CHROMIUM, NO_NETWORK
from infra.chromium import FLAGS as BROWSER_FLAGS

INSTALL_HINT = "apt-get install -y chromium fonts-wqy-microhei"
FLAGS = [*BROWSER_FLAGS, "--hide-scrollbars", NO_NETWORK]


def missing() -> str | None:
    """Why no PNG can be made here, or None."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} not found ({INSTALL_HINT})"
    return None


def render(html_path: str, png_path: str, width: int, height: int, timeout_s: int = 60) -> None:
    with tempfile.TemporaryDirectory(prefix="report-chromium-") as profile:
        cmd = [
            CHROMIUM,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            f"--screenshot={os.path.abspath(png_path)}",
            "file://" + os.path.abspath(html_path),
        ]
        done = subprocess.run(cmd, capture_output=True, timeout=timeout_s)
    if done.returncode != 0 or not os.path.exists(png_path):
        raise RuntimeError(
            f"chromium exited {done.returncode}: {done.stderr.decode(errors='replace')[-300:]}"
        )
