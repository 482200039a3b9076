# SPDX-License-Identifier: LGPL-2.1-or-later
"""The fleet console (examples/fleet-console, docs/fleet.md) in Debian's
headless chromium against a real Mosquitto with an MQTT and a WebSocket
listener, fed by real terminals (fleet_kiosk, the library's fleet module, on
kiosk-sim printers).

Checked: a wrong password is refused with a message; the password never
reaches the address bar; tiles appear with the right colours (near-end paper
amber, the rest green), problems first; a printer running out of paper while
printing turns its tile red within 5 s; a terminal killed -9 turns red
(offline, by its last will); the broker going away greys the page out and the
page reconnects by itself; no personal data of an event reaches the page.
A screenshot goes to FLEET_CONSOLE_OUT/console.png.

The broker, password file and ACL come from test_fleet.py (imported), with a
`console` user that may only read the hall and a WebSocket listener added.
"""
import os
import socket
import sys
import time

import pytest

CONSOLE_DIR = os.environ.get("FLEET_CONSOLE_DIR", "")


def skip_if_console_unavailable():
    """The build could not fetch the MQTT client from npm: CTest SKIP (77), with the reason."""
    if os.path.isfile(os.path.join(CONSOLE_DIR, "vendor", "mqtt.min.js")):
        return
    why = "vendor/UNAVAILABLE.txt is missing too"
    try:
        with open(os.path.join(CONSOLE_DIR, "vendor", "UNAVAILABLE.txt"), encoding="utf-8") as f:
            why = f.read().strip()
    except OSError:
        pass
    print(f"\nSKIP: the fleet console has no MQTT client (vendor/mqtt.min.js in "
          f"{CONSOLE_DIR or 'FLEET_CONSOLE_DIR unset'}): {why}")
    pytest.exit("fleet console unavailable (see above)", returncode=77)


pytest.importorskip("selenium", reason="python3-selenium is needed (tests/deps.sh)")
from selenium.webdriver.common.by import By  # noqa: E402

from test_fleet import HALL, USERS, Broker, Kiosk, free_port, start_printer, wait_for  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "common"))
from headless_chromium import chromium, static_server  # noqa: E402

OUT = os.environ.get("FLEET_CONSOLE_OUT") or os.getcwd()
KIOSKS = ("k1", "k2", "k3", "k4")
USERS.update({"console": "console-secret", "k3": "k3-secret", "k4": "k4-secret"})


class ConsoleBroker(Broker):
    """test_fleet's broker plus a WebSocket listener and a read-only console user."""

    def __init__(self, d):
        super().__init__(d)  # the password file already holds every user of USERS
        self.ws_port = free_port()
        with open(os.path.join(d, "acl"), "a") as f:
            f.write(f"\nuser console\ntopic read kiosk/{HALL}/#\n")
        with open(self.conf, "a") as f:
            # socket_domain ipv4: else libwebsockets binds [::] whatever the address
            f.write(f"listener {self.ws_port} 127.0.0.1\nprotocol websockets\nsocket_domain ipv4\n")
        self.ws = f"ws://127.0.0.1:{self.ws_port}"

    def start(self):
        super().start()

        def up():
            try:
                socket.create_connection(("127.0.0.1", self.ws_port), 0.2).close()
                return True
            except OSError:
                return False
        wait_for(up, 10, "the websockets listener")


def tiles(b):
    """[(kiosk, level, text)] in the page's order."""
    return [tuple(t) for t in b.execute_script(
        "return [...document.querySelectorAll('#grid .tile')]"
        ".map(t => [t.dataset.kiosk, t.dataset.level, t.innerText])")]


def tile(b, kiosk):
    return next((t for t in tiles(b) if t[0] == kiosk), (kiosk, None, ""))


def level(b, kiosk):
    return tile(b, kiosk)[1]


def conn_state(b):
    return b.find_element(By.ID, "conn").get_attribute("data-state")


def timed(pred, timeout, what):
    t0 = time.monotonic()
    wait_for(pred, timeout, what)
    return time.monotonic() - t0


def test_console_shows_the_hall_live(tmp_path):
    skip_if_console_unavailable()
    broker = ConsoleBroker(str(tmp_path))
    broker.start()
    procs, kiosks = [], {}
    try:
        faults = {"k1": ["--paper-out-after", "16"], "k3": ["--near-end"]}
        for k in KIOSKS:
            sim, uri = start_printer(tmp_path, 0, *faults.get(k, []))
            procs.append(sim)
            kiosks[k] = Kiosk(broker, str(tmp_path), kiosk_id=k, printer=uri)
        for k in KIOSKS:
            wait_for(lambda: "connected" in kiosks[k].lines, 10, f"{k} connected")

        with static_server(CONSOLE_DIR) as web, \
                chromium(tmp_path, window=(1920, 1080), console_log=True) as b:
            b.get(f"{web}/index.html?ws={broker.ws}&hall={HALL}&user=console")
            pw = b.find_element(By.ID, "f-password")
            assert b.find_element(By.ID, "login").get_attribute("open") is not None
            assert b.find_element(By.ID, "f-user").get_attribute("value") == "console"
            # Wrong password: refused, said so, asked again.
            pw.send_keys("wrong")
            b.find_element(By.ID, "f-connect").click()
            wait_for(lambda: b.find_element(By.ID, "login-error").is_displayed(), 10,
                     "the wrong password refused")
            assert "密码" in b.find_element(By.ID, "login-error").text
            assert conn_state(b) == "error"

            pw.send_keys(USERS["console"])
            b.find_element(By.ID, "f-connect").click()
            wait_for(lambda: conn_state(b) == "connected", 10, "the console connected")
            assert "console-secret" not in b.current_url and f"hall={HALL}" in b.current_url

            # Retained state arrives: k3's paper is near its end, the rest is fine.
            wait_for(lambda: [t[1] for t in tiles(b)] == ["amber", "green", "green", "green"], 10,
                     "four tiles, one amber")
            # Events are live only (not retained). A rating carries a case number:
            # the page must not show it.
            kiosks["k4"].send('event rating {"case": "2026-000123", "level": 4, "reasons": ["办事快"]}')
            wait_for(lambda: "好差评 ★★★★☆" in tile(b, "k4")[2], 10, "k4's rating as its last event")
            order = tiles(b)
            assert [t[0] for t in order] == ["k3", "k1", "k2", "k4"], order  # problems first
            assert [t[1] for t in order] == ["amber", "green", "green", "green"], order
            assert "纸将尽" in order[0][2] and "打印机" in order[0][2]
            summary = b.find_element(By.ID, "summary").text
            assert "共 4 台终端" in summary and "1 台需处理" in summary, summary
            assert "2026-000123" not in b.page_source

            # Paper runs out while printing: red within 5 s.
            t0 = time.monotonic()
            kiosks["k1"].send("print 受理回执 —— 此行让模拟打印机缺纸", "printing")
            wait_for(lambda: level(b, "k1") == "red", 5 - (time.monotonic() - t0), "k1 red after paper out")
            print(f"print that runs the paper out -> tile red in {time.monotonic() - t0:.2f} s")
            assert "打印机缺纸" in tile(b, "k1")[2]
            wait_for(lambda: "缺纸" in tile(b, "k1")[2].split("最近事件")[1], 5, "paper_out as k1's last event")

            # kill -9: the connection drops, the broker publishes the last will, the tile
            # turns red ("offline"). (A power cut takes 1.5 x the keep-alive instead.)
            t0 = time.monotonic()
            kiosks["k2"].kill9()
            wait_for(lambda: level(b, "k2") == "red", 15, "k2 red after kill -9")
            t = time.monotonic() - t0
            print(f"kill -9 -> tile red (last will) in {t:.2f} s")
            assert "离线" in tile(b, "k2")[2]
            order = tiles(b)
            assert [(t[0], t[1]) for t in order] == [("k1", "red"), ("k2", "red"), ("k3", "amber"),
                                                      ("k4", "green")], order
            summary = b.find_element(By.ID, "summary").text
            assert "3 台需处理" in summary, summary
            errors = [e for e in b.get_log("browser") if e["level"] == "SEVERE"]
            assert not errors, "\n".join(e["message"] for e in errors)
            os.makedirs(OUT, exist_ok=True)
            shot = os.path.join(OUT, "console.png")
            b.save_screenshot(shot)
            print(f"screenshot: {shot}")

            # The broker goes away: the page says so, greys out, and comes back by itself.
            broker.stop()
            wait_for(lambda: conn_state(b) in ("reconnecting", "error"), 10, "the console to notice")
            wait_for(lambda: b.find_element(By.ID, "stale").is_displayed(), 5, "the stale banner")
            b.save_screenshot(os.path.join(OUT, "console-stale.png"))
            broker.start()
            t = timed(lambda: conn_state(b) == "connected", 15, "the console to reconnect")
            print(f"broker back -> console connected in {t:.2f} s")
            assert not b.find_element(By.ID, "stale").is_displayed()
            wait_for(lambda: [(t[0], t[1]) for t in tiles(b)] ==
                     [("k1", "red"), ("k2", "red"), ("k3", "amber"), ("k4", "green")], 10,
                     "the same hall after the reconnect")

            # Another hall, which the console user may not read: an empty page that
            # says to check the ACL, none of h1's tiles.
            b.find_element(By.ID, "settings-btn").click()
            hall = b.find_element(By.ID, "f-hall")
            hall.clear()
            hall.send_keys("h2")
            b.find_element(By.ID, "f-password").send_keys(USERS["console"])
            b.find_element(By.ID, "f-connect").click()
            wait_for(lambda: conn_state(b) == "connected" and b.find_element(By.ID, "empty").is_displayed(),
                     10, "the console on hall h2")
            assert tiles(b) == [] and "ACL" in b.find_element(By.ID, "empty").text
            assert "hall=h2" in b.current_url
    finally:
        for k in kiosks.values():
            if k.proc.poll() is None:
                k.kill9()
        for p in procs:
            p.kill()
            p.wait()
        broker.stop()
    # A sanitizer build of fleet_kiosk reports to its stderr.
    for k in KIOSKS:
        err = tmp_path / f"{k}.err"
        text = err.read_text() if err.exists() else ""
        assert "Sanitizer" not in text and "runtime error" not in text, text
