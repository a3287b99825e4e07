"""Debian's Chromium and the flags every browser run starts it with: the browser tests (conftest.py) and
the benchmark's search measure (bench/browser.py) share them. No other imports, so that the benchmark can
import it without the test helpers."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# No background networking, component updates or first-run work competing with the page.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
