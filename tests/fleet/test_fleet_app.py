# SPDX-License-Identifier: LGPL-2.1-or-later
"""kiosk-app reporting to a real Mosquitto broker (docs/fleet.md).

The real app runs under Xvfb with `fleet = mqtt://…` in its configuration, an
emulated ID-card reader holding the synthetic card 韩梅梅 and an emulated
printer whose paper runs out during the first receipt and comes back some
seconds later; xdotool taps the widgets the app lists in its layout file. The
broker, its password file and ACL and the `ops` subscriber come from
test_fleet.py. Checked: the retained state of program "kiosk-app" and its
devices, paper out as device/printer paper state and a paper_out event, the
failed receipt as print_failed (outcome and partial, no receipt text), the
好差评 rating as a rating event with the next seq (and still in the local
queue), settings from the hall (config/set: banner and idle time → ok and the
banner on the home screen, kept 0600 across a restart; a bad value or an
unknown setting → ok:false with the reason), online:false on a clean exit, and
that no message holds the card holder's name or ID number.
"""
import json
import os
import signal
import stat
import subprocess
import threading
import time

import pytest

from test_fleet import HALL, USERS, Client, broker, start_printer, wait_for  # noqa: F401 (fixture)

KIOSK_APP = os.environ["KIOSK_APP"]
KIOSK_SIM = os.environ["KIOSK_SIM"]
APP_DATA = os.environ["KAPP_DATA"]
CARD = os.environ["KAPP_CARD"]  # the emulator's synthetic card (hw/sim/cards/resident.json)
LSAN_SUPP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "app", "lsan.supp")
PAPER_OUT_AFTER = 400  # bytes of the first receipt the emulator prints before its paper runs out
RECOVER_S = 9          # …and the paper is back this long after it ran out


def start_x(d):
    r, w = os.pipe()
    x = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1080x1920x24", "-nolisten", "tcp"],
                         pass_fds=(w,), stdout=subprocess.DEVNULL,
                         stderr=open(os.path.join(d, "xvfb.log"), "w"))
    os.close(w)
    with os.fdopen(r) as f:
        display = f.readline().strip()
    assert display, "Xvfb did not start"
    return x, ":" + display


class App:
    """kiosk-app on a generated configuration; its state and layout files read back."""

    def __init__(self, d, display, conf):
        self.d = d
        self.state_path = os.path.join(d, "state")
        self.layout_path = os.path.join(d, "layout")
        for p in (self.state_path, self.layout_path):
            if os.path.exists(p):
                os.unlink(p)
        env = dict(os.environ, DISPLAY=display, KIOSK_APP_TRACE="1", KIOSK_APP_TODAY="2026-11-24",
                   KIOSK_APP_STATE=self.state_path, KIOSK_APP_LAYOUT=self.layout_path,
                   LSAN_OPTIONS=f"suppressions={LSAN_SUPP}:print_suppressions=0")
        env.pop("SDL_VIDEODRIVER", None)
        self.proc = subprocess.Popen([KIOSK_APP, "--config", conf], env=env, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(d, "app.err"), "a"))
        self.display = display
        wait_for(lambda: os.path.exists(self.layout_path), 20, "the app's first frame")

    def state(self):
        try:
            with open(self.state_path) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def wait_state(self, key, value, timeout=15):
        def ok():
            assert self.proc.poll() is None, "the app exited"
            return self.state().get(key) == value
        wait_for(ok, timeout, f"state {key} == {value!r} (is {self.state().get(key)!r})")

    def wait_screen(self, name, timeout=15):
        def ok():
            assert self.proc.poll() is None, "the app exited"
            s = self.state()
            return s.get("screen") == name and s.get("busy") is False
        wait_for(ok, timeout, f"screen {name} (on {self.state().get('screen')})")

    def region(self, rid):
        try:
            with open(self.layout_path) as f:
                lay = json.load(f)
        except (OSError, ValueError):
            return None
        return next((r for r in lay["regions"] if r["id"] == rid), None)

    def click(self, rid, timeout=5):
        r = wait_for(lambda: (lambda r: r if r and r["enabled"] else None)(self.region(rid)), timeout,
                     f"enabled widget {rid} on {self.state().get('screen')}")
        subprocess.run(["xdotool", "mousemove", str(r["x"] + r["w"] // 2), str(r["y"] + r["h"] // 2),
                        "sleep", "0.05", "click", "1"], env=dict(os.environ, DISPLAY=self.display),
                       check=True, timeout=10)
        time.sleep(0.25)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            assert self.proc.wait(15) == 0, "kiosk-app did not exit cleanly on SIGTERM"


def write_conf(d, broker, printer, idcard):
    pw = os.path.join(d, "k1.pw")
    with open(pw, "w") as f:
        f.write(USERS["k1"] + "\n")
    os.chmod(pw, 0o600)
    conf = os.path.join(d, "kiosk-app.conf")
    with open(conf, "w") as f:
        f.write(f"idcard = {idcard}\nprinter = {printer}\ndata_dir = {APP_DATA}\n"
                f"state_dir = {d}/state.d\ntts = off\nidle_warn_s = 120\n"
                f"fleet = {broker.uri}\nkiosk_id = k1\nhall = {HALL}\n"
                f"fleet_user = k1\nfleet_password_file = {pw}\n")
    return conf


def start_idcard(d):
    p = subprocess.Popen([KIOSK_SIM, "idcard", "--pty", "--card", "resident", "--remove-after", "1500"],
                         stdout=subprocess.PIPE, stderr=open(os.path.join(d, "idcard.log"), "w"), text=True)
    uri = p.stdout.readline().strip()
    assert uri, "the ID-card emulator did not start"
    return p, uri


def test_app_reports_to_the_hall(broker, tmp_path):
    d = str(tmp_path)
    with open(CARD) as f:
        card = json.load(f)
    ops = Client(broker, "ops", [f"kiosk/{HALL}/#"])
    base = f"kiosk/{HALL}/k1"
    x, display = start_x(d)
    procs = [x]
    app = None
    try:
        reader, reader_uri = start_idcard(d)
        procs.append(reader)
        printer, printer_uri = start_printer(tmp_path, 0, "--paper-out-after", str(PAPER_OUT_AFTER),
                                             "--recover-after", str(RECOVER_S))
        procs.append(printer)
        conf = write_conf(d, broker, printer_uri, reader_uri)
        app = App(d, display, conf)

        # The terminal is there, as kiosk-app, with its devices.
        st = wait_for(lambda: (ops.last_json(f"{base}/state") or {}).get("online") and ops.last_json(f"{base}/state"),
                      15, "retained state")
        assert st["program"] == "kiosk-app" and st["version"] and st["since"]
        dev = wait_for(lambda: (ops.last_json(f"{base}/device/printer") or {}).get("paper") == "ok"
                       and ops.last_json(f"{base}/device/printer"), 15, "printer online with paper")
        assert dev["state"] == "online" and dev["uri"] == printer_uri
        wait_for(lambda: ops.last_json(f"{base}/device/idcard"), 10, "the reader's state")
        app.wait_state("fleet", "connected")
        queue = tmp_path / "state.d" / "fleet-queue.db"
        assert stat.S_IMODE(os.stat(queue).st_mode) == 0o600

        # The card lists the holder's cases; a progress receipt of one of them
        # runs out of paper half way.
        app.wait_screen("cases", 20)
        app.click("case-0")
        app.wait_screen("case")
        app.click("print-progress")
        pf = wait_for(lambda: next((e for e in ops.events() if e["type"] == "print_failed"), None),
                      20, "print_failed event")
        assert pf["outcome"] == "KIOSK_E_PAPER_OUT" and pf["receipt"] == "progress", pf
        assert pf["partial"] in ("maybe", "yes") and 0 < pf["bytes_written"] <= pf["bytes_total"], pf
        assert pf["uri"] == printer_uri
        wait_for(lambda: any(e["type"] == "paper_out" for e in ops.events()), 10, "paper_out event")
        wait_for(lambda: (ops.last_json(f"{base}/device/printer") or {}).get("paper") == "out", 10,
                 "device/printer paper out")
        app.wait_state("printer", "纸张用尽，请联系工作人员", 10)

        # Paper back: the receipt prints, and the visitor rates the service poorly.
        wait_for(lambda: (ops.last_json(f"{base}/device/printer") or {}).get("paper") == "ok", RECOVER_S + 10,
                 "device/printer paper back")
        app.wait_screen("case", 10)
        app.click("print-progress", 10)
        app.wait_screen("rating", 20)
        app.click("rate-2")
        app.click("reason-0")
        app.click("reason-6")
        app.click("rate-submit")
        r = wait_for(lambda: next((e for e in ops.events() if e["type"] == "rating"), None), 10, "rating event")
        with open(tmp_path / "state.d" / "ratings-queue.jsonl") as f:
            local = [json.loads(line) for line in f]
        assert len(local) == 1, local  # still stored on the terminal as before
        assert r["case"] == local[0]["case"] and len(r["case"]) == 14
        assert r["level"] == 2 and r["label"] == "不满意" and r["reason_ids"] == [1, 7], r
        assert r["reasons"] == local[0]["reasons"] and len(r["reasons"]) == 2
        seqs = sorted({e["seq"] for e in ops.events()})  # a consumer de-duplicates on seq
        assert seqs == list(range(1, len(seqs) + 1)), seqs  # none missing
        assert r["seq"] == max(seqs) and r["seq"] > pf["seq"]

        # Settings from the hall: applied on the UI thread and acknowledged.
        ack = f"{base}/config/ack"
        banner = "今日 16:30 闭厅，请抓紧办理"
        ops.c.publish(f"{base}/config/set", json.dumps({"id": "s1", "banner": banner, "idle_warn_s": 90}), qos=1)
        a = wait_for(lambda: ops.last_json(ack), 10, "config ack")
        assert a == {"id": "s1", "ok": True}
        app.wait_state("banner", banner)
        app.wait_state("idle_warn_s", 90)
        app.click("home")
        app.wait_screen("home")
        app.wait_state("banner_shown", True)
        kept = tmp_path / "state.d" / "fleet-settings.json"
        assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
        assert json.loads(kept.read_text())["banner"] == banner

        ops.c.publish(f"{base}/config/set", json.dumps({"id": "s2", "idle_warn_s": 1}), qos=1)
        wait_for(lambda: len(ops.on(ack)) == 2, 10, "ack of a bad value")
        assert ops.last_json(ack) == {"id": "s2", "ok": False, "error": "idle_warn_s: must be an integer 5..3600"}
        ops.c.publish(f"kiosk/{HALL}/all/config/set", json.dumps({"id": "s3", "volume": 7}), qos=1)
        wait_for(lambda: len(ops.on(ack)) == 3, 10, "ack of an unknown setting")
        assert ops.last_json(ack) == {"id": "s3", "ok": False, "error": "unknown setting: volume"}
        time.sleep(0.3)
        assert app.state()["idle_warn_s"] == 90 and app.state()["banner"] == banner

        # A clean exit says offline; the settings survive the restart.
        app.stop()
        wait_for(lambda: ops.last_json(f"{base}/state") == {"online": False}, 10, "offline on exit")
        app = App(d, display, conf)
        app.wait_state("banner", banner)
        app.wait_state("idle_warn_s", 90)
        wait_for(lambda: (ops.last_json(f"{base}/state") or {}).get("online") is True, 15, "online again")
        app.stop()
        app = None

        # Nothing from the card or the holder in any message.
        with ops.lock:
            payloads = [p.decode("utf-8", "replace") for _, p, _ in ops.msgs]
        assert payloads
        for p in payloads:
            for secret in (card["name"], card["id_number"], card["address"]):
                assert secret not in p, (secret, p)
    finally:
        if app is not None and app.proc.poll() is None:
            app.proc.kill()
            app.proc.wait()
        for p in reversed(procs):
            p.kill()
            p.wait()
        ops.close()
