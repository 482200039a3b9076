# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fleet telemetry against a real Mosquitto broker (docs/fleet.md).

Each test starts `mosquitto` on a free loopback port with a generated config:
a password file (mosquitto_passwd), an ACL letting a terminal write only its
own topics and read only its config, and an `ops` user that sees the whole
hall. The terminal is tests/fleet/fleet_kiosk (the library's fleet module);
the hall's side is paho-mqtt.
"""
import json
import os
import signal
import socket
import stat
import subprocess
import threading
import time

import paho.mqtt.client as mqtt
import pytest

FLEET_KIOSK = os.environ["FLEET_KIOSK"]
KIOSK_SIM = os.environ["KIOSK_SIM"]
KIOSKCTL = os.environ.get("KIOSKCTL")
HALL = "h1"
USERS = {"ops": "ops-secret", "k1": "k1-secret", "k2": "k2-secret"}
OUTAGE_S = int(os.environ.get("FLEET_OUTAGE_S", "30"))  # broker downtime in the outage test


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(pred, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Broker:
    def __init__(self, d):
        self.dir = d
        self.port = free_port()
        self.proc = None
        pw = os.path.join(d, "passwd")
        for i, (u, p) in enumerate(USERS.items()):
            subprocess.run(["mosquitto_passwd", "-b"] + (["-c"] if i == 0 else []) + [pw, u, p],
                           check=True, capture_output=True)
        acl = os.path.join(d, "acl")
        with open(acl, "w") as f:
            f.write("user ops\ntopic readwrite kiosk/#\n\n"
                    f"pattern write kiosk/{HALL}/%u/state\n"
                    f"pattern write kiosk/{HALL}/%u/device/+\n"
                    f"pattern write kiosk/{HALL}/%u/event\n"
                    f"pattern write kiosk/{HALL}/%u/config/ack\n"
                    f"pattern read kiosk/{HALL}/%u/config/set\n"
                    f"pattern read kiosk/{HALL}/all/config/set\n")
        self.conf = os.path.join(d, "mosquitto.conf")
        with open(self.conf, "w") as f:
            f.write(f"listener {self.port} 127.0.0.1\nallow_anonymous false\n"
                    f"password_file {pw}\nacl_file {acl}\n"
                    f"persistence true\npersistence_location {d}/\n"
                    f"log_dest file {d}/mosquitto.log\nlog_type all\n")
            if os.geteuid() == 0:  # else mosquitto drops to its own user, who cannot read d
                f.write("user root\n")
        os.chmod(pw, 0o600)
        os.chmod(acl, 0o600)
        self.uri = f"mqtt://127.0.0.1:{self.port}"

    def start(self):
        self.proc = subprocess.Popen(["mosquitto", "-c", self.conf], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)

        def up():
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return True
            except OSError:
                return False
        wait_for(up, 10, "mosquitto to listen")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: saves the persistent sessions
            self.proc.wait(10)
        self.proc = None


class Client:
    """A paho client recording every message it receives."""

    def __init__(self, broker, user, topics=(), client_id=None, clean=True):
        self.msgs = []
        self.lock = threading.Lock()
        self.c = mqtt.Client(client_id=client_id or "", clean_session=clean)
        self.c.username_pw_set(user, USERS[user])
        self.topics = topics
        self.connected = threading.Event()
        self.c.on_connect = self._on_connect
        self.c.on_subscribe = self._on_subscribe
        self.c.on_message = self._on_message
        self.pending = set()
        self.c.reconnect_delay_set(0.2, 1)
        self.c.connect_async("127.0.0.1", broker.port, keepalive=5)
        self.c.loop_start()
        assert self.connected.wait(10), "subscriber could not connect"

    def _on_connect(self, c, userdata, flags, rc):
        # "connected" means subscribed: the broker acknowledged every topic, so
        # a persistent session saved right after holds the subscriptions.
        if rc == 0:
            with self.lock:
                for t in self.topics:
                    _, mid = c.subscribe(t, qos=1)
                    self.pending.add(mid)
                done = not self.pending
            if done:
                self.connected.set()

    def _on_subscribe(self, c, userdata, mid, granted_qos):
        with self.lock:
            self.pending.discard(mid)
            done = not self.pending
        if done:
            self.connected.set()

    def _on_message(self, c, userdata, msg):
        with self.lock:
            self.msgs.append((msg.topic, msg.payload, msg.retain))

    def on(self, topic):
        with self.lock:
            return [p for t, p, _ in self.msgs if t == topic]

    def last_json(self, topic):
        m = self.on(topic)
        return json.loads(m[-1]) if m else None

    def events(self, kiosk="k1"):
        return [json.loads(p) for p in self.on(f"kiosk/{HALL}/{kiosk}/event")]

    def close(self):
        self.c.loop_stop()
        self.c.disconnect()


class Kiosk:
    """fleet_kiosk as a subprocess; stdout lines are collected."""

    def __init__(self, broker, d, kiosk_id="k1", user=None, printer=None, queue_max=None):
        args = [FLEET_KIOSK, "--broker", broker.uri, "--hall", HALL, "--id", kiosk_id,
                "--queue", os.path.join(d, f"{kiosk_id}.queue"),
                "--user", user or kiosk_id, "--password", USERS[user or kiosk_id]]
        if printer:
            args += ["--printer", printer]
        if queue_max:
            args += ["--queue-max", str(queue_max)]
        self.lines = []
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=open(os.path.join(d, f"{kiosk_id}.err"), "a"),
                                     text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        wait_for(lambda: "started" in self.lines, 10, "fleet_kiosk to start")

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def send(self, cmd, answer_prefix="queued"):
        n = len(self.lines)
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()
        return wait_for(lambda: next((l for l in self.lines[n:]
                                      if l.startswith(answer_prefix) or l.startswith("error")),
                                     None), 20, f"answer to {cmd!r}")

    def queued(self):
        return int(self.send("queued", "queued-count").split()[1])

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def quit(self):
        if self.proc.poll() is None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            assert self.proc.wait(15) == 0


@pytest.fixture
def broker(tmp_path):
    b = Broker(str(tmp_path))
    b.start()
    yield b
    b.stop()
    # A sanitizer build of fleet_kiosk reports to its stderr.
    for name in os.listdir(tmp_path):
        if name.endswith(".err"):
            with open(tmp_path / name) as f:
                text = f.read()
            assert "Sanitizer" not in text and "runtime error" not in text, text


def test_state_will_and_config(broker, tmp_path):
    ops = Client(broker, "ops", [f"kiosk/{HALL}/#"])
    k = Kiosk(broker, str(tmp_path))
    state = f"kiosk/{HALL}/k1/state"
    st = wait_for(lambda: ops.last_json(state), 10, "retained state")
    assert st["online"] is True and st["program"] == "fleet-test"
    assert st["version"] and st["since"].endswith("Z")
    # The queue file holds nothing for others to read.
    assert stat.S_IMODE(os.stat(tmp_path / "k1.queue").st_mode) == 0o600

    ack = f"kiosk/{HALL}/k1/config/ack"
    wait_for(lambda: "connected" in k.lines, 10, "kiosk connected")
    ops.c.publish(f"kiosk/{HALL}/k1/config/set", json.dumps({"id": "c1", "idle_timeout_s": 60}), qos=1)
    a = wait_for(lambda: ops.last_json(ack), 10, "config ack")
    assert a == {"id": "c1", "ok": True}
    assert 'config {"idle_timeout_s":60}' in k.lines

    ops.c.publish(f"kiosk/{HALL}/k1/config/set", b"{not json", qos=1)
    wait_for(lambda: len(ops.on(ack)) == 2, 10, "ack of garbage")
    a = ops.last_json(ack)
    assert a["ok"] is False and a["id"] is None and a["error"] == "not valid JSON"

    ops.c.publish(f"kiosk/{HALL}/k1/config/set", json.dumps({"id": 5, "volume": 3}), qos=1)
    wait_for(lambda: len(ops.on(ack)) == 3, 10, "ack of an unknown setting")
    assert ops.last_json(ack) == {"id": 5, "ok": False, "error": "unknown setting: volume"}

    ops.c.publish(f"kiosk/{HALL}/k1/config/set", json.dumps({"idle_timeout_s": 60}), qos=1)
    wait_for(lambda: len(ops.on(ack)) == 4, 10, "ack without id")
    assert ops.last_json(ack)["error"] == '"id" must be a string or a number'

    ops.c.publish(f"kiosk/{HALL}/all/config/set", json.dumps({"id": "all-1", "banner": "今日闭厅 17:00"}), qos=1)
    wait_for(lambda: len(ops.on(ack)) == 5, 10, "ack of the hall-wide setting")
    assert ops.last_json(ack) == {"id": "all-1", "ok": True}

    # Power cut: the broker publishes the last will, retained.
    k.kill9()
    wait_for(lambda: ops.last_json(state) == {"online": False}, 15, "last will")
    late = Client(broker, "ops", [state])
    wait_for(lambda: late.last_json(state) == {"online": False}, 5, "retained last will")
    late.close()
    ops.close()


def test_clean_exit_says_offline(broker, tmp_path):
    ops = Client(broker, "ops", [f"kiosk/{HALL}/+/state"])
    k = Kiosk(broker, str(tmp_path))
    state = f"kiosk/{HALL}/k1/state"
    wait_for(lambda: (ops.last_json(state) or {}).get("online") is True, 10, "online")
    k.quit()
    wait_for(lambda: ops.last_json(state) == {"online": False}, 5, "offline on exit")
    ops.close()


def start_printer(tmp_path, port=0, *faults):
    p = subprocess.Popen([KIOSK_SIM, "printer", "--tcp", str(port), "--out", str(tmp_path)] + list(faults),
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    uri = p.stdout.readline().strip()
    assert uri.startswith("tcp:127.0.0.1:"), uri
    return p, uri


def test_device_state_on_unplug_and_return(broker, tmp_path):
    ops = Client(broker, "ops", [f"kiosk/{HALL}/#"])
    sim, uri = start_printer(tmp_path)
    port = int(uri.rsplit(":", 1)[1])
    k = Kiosk(broker, str(tmp_path), printer=uri)
    dev = f"kiosk/{HALL}/k1/device/printer"
    try:
        d = wait_for(lambda: (ops.last_json(dev) or {}).get("state") == "online" and ops.last_json(dev),
                     10, "printer online")
        assert d["uri"].startswith("tcp:") and d["since"]
        assert d.get("paper") == "ok"

        sim.kill()
        sim.wait()
        d = wait_for(lambda: (ops.last_json(dev) or {}).get("state") == "offline" and ops.last_json(dev),
                     10, "printer offline")
        assert d["error"]
        wait_for(lambda: any(e["type"] == "device_offline" for e in ops.events()), 10, "device_offline event")
        # The application still gets its own events.
        wait_for(lambda: "app-event device-state offline" in k.lines, 5, "app's own event")

        sim, _ = start_printer(tmp_path, port, "--paper-out")
        wait_for(lambda: (ops.last_json(dev) or {}).get("state") == "online", 10, "printer back")
        wait_for(lambda: (ops.last_json(dev) or {}).get("paper") == "out", 10, "paper out on device/printer")
        ev = wait_for(lambda: [e for e in ops.events() if e["type"] in ("device_online", "paper_out")]
                      if {"device_online", "paper_out"} <= {e["type"] for e in ops.events()} else None,
                      10, "device_online and paper_out events")
        assert all(e["uri"] == uri for e in ev)
        k.quit()
    finally:
        sim.kill()
        sim.wait()
        if k.proc.poll() is None:
            k.kill9()
    ops.close()


def seqs(events):
    return sorted({e["seq"] for e in events})


def test_broker_outage_loses_nothing(broker, tmp_path):
    # A persistent session: events the broker gets back before this
    # subscriber reconnects wait for it (as a hall's consumer would run).
    ops = Client(broker, "ops", [f"kiosk/{HALL}/k1/event"], client_id="ops-events", clean=False)
    k = Kiosk(broker, str(tmp_path))
    wait_for(lambda: "connected" in k.lines, 10, "kiosk connected")
    k.send('event rating {"case": "2026-000123", "level": 5, "reasons": ["办事快"]}')
    wait_for(lambda: len(ops.events()) == 1, 10, "first event")
    r = ops.events()[0]
    assert r["seq"] == 1 and r["type"] == "rating" and r["level"] == 5 and r["time"].endswith("Z")

    broker.stop()
    wait_for(lambda: "disconnected" in k.lines, 10, "kiosk to notice")
    t0 = time.monotonic()
    # events keep happening while the broker is away: a burst at once, more
    # half-way, one just before it returns
    k.send("burst 20 print_failed")
    time.sleep(OUTAGE_S / 2)
    k.send("burst 10 print_failed")
    time.sleep(max(0, OUTAGE_S - 1 - (time.monotonic() - t0)))
    k.send("event paper_low")
    assert k.queued() == 31
    time.sleep(max(0, OUTAGE_S - (time.monotonic() - t0)))
    broker.start()
    # the kiosk's back-off is at most 30 s, so it is back within that and a margin
    wait_for(lambda: k.queued() == 0, 45, "queue drained")
    got = wait_for(lambda: seqs(ops.events()) if len(seqs(ops.events())) == 32 else None, 20,
                   "all 32 events")
    assert got == list(range(1, 33))
    ops.close()
    k.quit()


def test_kill9_mid_queue_loses_nothing(broker, tmp_path):
    ops = Client(broker, "ops", [f"kiosk/{HALL}/k1/event"], client_id="ops-events", clean=False)
    # Events written while no broker is reachable, then a power cut.
    broker.stop()
    k = Kiosk(broker, str(tmp_path))
    assert k.send("burst 40 card_read_failed") == "queued 40"
    k.kill9()
    broker.start()
    # A power cut while events are going out.
    k = Kiosk(broker, str(tmp_path))
    assert k.send("burst 200 print_failed") == "queued 240"
    k.kill9()
    k = Kiosk(broker, str(tmp_path))
    wait_for(lambda: k.queued() == 0, 30, "queue drained after restart")
    # seq goes on from where the file left it.
    assert k.send("event paper_out") == "queued 241"
    try:
        wait_for(lambda: len(seqs(ops.events())) == 241, 30, "all 241 events")
    finally:
        got = seqs(ops.events())
        print("missing:", sorted(set(range(1, 242)) - set(got)))
    assert got == list(range(1, 242))
    k.quit()
    ops.close()


def test_bounded_queue_counts_drops(broker, tmp_path):
    ops = Client(broker, "ops", [f"kiosk/{HALL}/k1/event"], client_id="ops-events", clean=False)
    broker.stop()
    k = Kiosk(broker, str(tmp_path), queue_max=10)
    k.send("burst 25 paper_low")
    assert k.queued() == 11  # ten events and the marker counting the drops
    broker.start()
    wait_for(lambda: k.queued() == 0, 30, "queue drained")
    evs = wait_for(lambda: ops.events() if len(seqs(ops.events())) >= 11 else None, 20,
                   "ten events and the drop count")
    time.sleep(0.5)
    evs = ops.events()
    got = set(e["seq"] for e in evs)
    markers = [e for e in evs if e["type"] == "events_dropped"]
    assert len(markers) == 1
    dropped = set()
    for a, b in markers[0]["dropped"]:
        dropped |= set(range(a, b + 1))
    dropped -= got
    assert markers[0]["count"] == 15 == len(dropped)
    # Every seq is either delivered or counted as dropped; none silently lost.
    assert got | dropped == set(range(1, max(got) + 1))
    assert len([e for e in evs if e["type"] == "paper_low"]) == 10
    k.quit()
    ops.close()


def test_acl_violation_refused(broker, tmp_path):
    ops = Client(broker, "ops", [f"kiosk/{HALL}/#"])
    # k1's credentials cannot speak for k2 ...
    k = Kiosk(broker, str(tmp_path), kiosk_id="k2", user="k1")
    k.send("event rating {\"level\": 1}")
    # ... nor read another terminal's traffic.
    spy = Client(broker, "k1", [f"kiosk/{HALL}/k2/#", f"kiosk/{HALL}/+/event"])
    rogue = mqtt.Client()
    rogue.username_pw_set("k1", USERS["k1"])
    rogue.connect("127.0.0.1", broker.port)
    rogue.loop_start()
    rogue.publish(f"kiosk/{HALL}/k2/state", json.dumps({"online": True}), qos=1, retain=True).wait_for_publish(5)
    rogue.publish(f"kiosk/{HALL}/k2/config/set", json.dumps({"id": 1, "banner": "x"}), qos=1).wait_for_publish(5)
    ops.c.publish(f"kiosk/{HALL}/k2/event", json.dumps({"seq": 1, "type": "probe"}), qos=1)
    time.sleep(2)
    assert ops.on(f"kiosk/{HALL}/k2/state") == []
    assert ops.on(f"kiosk/{HALL}/k2/event") == [json.dumps({"seq": 1, "type": "probe"}).encode()]
    assert ops.on(f"kiosk/{HALL}/k2/config/set") == []
    assert spy.msgs == []
    with open(os.path.join(broker.dir, "mosquitto.log")) as f:
        assert "Denied PUBLISH" in f.read()
    rogue.loop_stop()
    rogue.disconnect()
    spy.close()
    k.kill9()
    ops.close()


def test_kioskctl_fleet_status(broker, tmp_path):
    ops = Client(broker, "ops", [f"kiosk/{HALL}/#"])
    sim, uri = start_printer(tmp_path)
    k = Kiosk(broker, str(tmp_path), printer=uri)
    k2 = Kiosk(broker, str(tmp_path), kiosk_id="k2")
    try:
        wait_for(lambda: (ops.last_json(f"kiosk/{HALL}/k1/device/printer") or {}).get("state") == "online",
                 10, "printer online")
        wait_for(lambda: ops.last_json(f"kiosk/{HALL}/k2/state"), 10, "k2 online")
        k2.kill9()
        wait_for(lambda: ops.last_json(f"kiosk/{HALL}/k2/state") == {"online": False}, 15, "k2's will")
        pw = tmp_path / "ops.pw"
        pw.write_text(USERS["ops"] + "\n")
        base = [KIOSKCTL, "fleet", "status", "--broker", broker.uri, "--user", "ops",
                "--password-file", str(pw)]
        r = subprocess.run(base + ["--hall", HALL, "--json"], capture_output=True, text=True, timeout=20)
        assert r.returncode == 0, r.stderr
        kiosks = {x["id"]: x for x in json.loads(r.stdout)["kiosks"]}
        assert kiosks["k1"]["state"]["online"] is True and kiosks["k1"]["hall"] == HALL
        assert kiosks["k1"]["devices"]["printer"]["state"] == "online"
        assert kiosks["k1"]["devices"]["printer"]["uri"] == uri
        assert kiosks["k2"]["state"] == {"online": False}
        r = subprocess.run(base, capture_output=True, text=True, timeout=20)
        assert r.returncode == 0, r.stderr
        assert f"{HALL}/k1  online  fleet-test" in r.stdout
        assert f"{HALL}/k2  offline" in r.stdout
        assert "printer  online   paper=ok" in r.stdout
        # Wrong password: a clear failure, not an empty list.
        pw.write_text("wrong\n")
        r = subprocess.run(base, capture_output=True, text=True, timeout=20)
        assert r.returncode == 1 and "kioskctl: fleet:" in r.stderr
        r = subprocess.run([KIOSKCTL, "fleet", "status", "--broker", "http://x"], capture_output=True, text=True)
        assert r.returncode == 2
        k.quit()
    finally:
        sim.kill()
        sim.wait()
        if k.proc.poll() is None:
            k.kill9()
    ops.close()


@pytest.mark.skipif(not os.environ.get("KIOSKD"), reason="kioskd not built (no libwebsockets)")
def test_kioskd_fleet(broker, tmp_path):
    ops = Client(broker, "ops", [f"kiosk/{HALL}/#"])
    sim, uri = start_printer(tmp_path)
    pw = tmp_path / "k1.pw"
    pw.write_text(USERS["k1"] + "\n")
    d = subprocess.Popen([os.environ["KIOSKD"], "--listen", "127.0.0.1:0", "--printer", uri,
                          "--fleet", broker.uri, "--kiosk-id", "k1", "--hall", HALL,
                          "--fleet-queue", str(tmp_path / "kioskd.queue"), "--fleet-user", "k1",
                          "--fleet-password-file", str(pw)],
                         stdout=subprocess.DEVNULL, stderr=open(tmp_path / "kioskd.err", "w"))
    try:
        st = wait_for(lambda: ops.last_json(f"kiosk/{HALL}/k1/state"), 10, "kioskd's state")
        assert st["online"] is True and st["program"] == "kioskd"
        dev = f"kiosk/{HALL}/k1/device/printer"
        wait_for(lambda: (ops.last_json(dev) or {}).get("state") == "online", 10, "kioskd's printer")
        sim.kill()
        sim.wait()
        wait_for(lambda: any(e["type"] == "device_offline" for e in ops.events()), 10, "device_offline")
        d.terminate()
        assert d.wait(15) == 0
        wait_for(lambda: ops.last_json(f"kiosk/{HALL}/k1/state") == {"online": False}, 5, "offline on exit")
    finally:
        if d.poll() is None:
            d.kill()
            d.wait()
        if sim.poll() is None:
            sim.kill()
            sim.wait()
    ops.close()
