# SPDX-License-Identifier: LGPL-2.1-or-later
"""Debian's chromium, headless, through selenium and chromium-driver, and a
quiet static web server on loopback: the setup every browser test shares
(tests/kioskd/test_kioskd_browser.py, tests/fleet/test_fleet_console.py).

A test module imports selenium with pytest.importorskip (python3-selenium is
in tests/deps.sh) before importing this module; chromium and chromedriver
missing is a failure, not a skip.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript",
                      ".css": "text/css", ".html": "text/html; charset=utf-8"}

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def static_server(directory: str):
    """Serves `directory` on 127.0.0.1 (a free port); yields the base URL."""
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                          functools.partial(QuietHandler, directory=directory))
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}"
    finally:
        srv.shutdown()
        srv.server_close()


@contextlib.contextmanager
def chromium(tmp_path, window=None, console_log=False):
    """A headless chromium with its own profile in tmp_path. `window` (w, h)
    sets the viewport size; `console_log` keeps the page's console messages
    for driver.get_log("browser")."""
    exe = shutil.which("chromium")
    drv = shutil.which("chromedriver")
    if not exe or not drv:
        pytest.fail("chromium and chromium-driver are needed (tests/deps.sh)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = exe
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"):
        opts.add_argument(a)
    if window:
        opts.add_argument(f"--window-size={window[0]},{window[1]}")
    if console_log:
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv_log = str(tmp_path / "chromedriver.log")
    b = webdriver.Chrome(service=Service(drv, log_output=drv_log)
                         if "log_output" in Service.__init__.__code__.co_varnames
                         else Service(drv, log_path=drv_log), options=opts)
    try:
        b.set_script_timeout(60)
        yield b
    finally:
        b.quit()
