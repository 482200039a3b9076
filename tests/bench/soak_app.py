#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A compressed day at a hall terminal: drives the real kiosk-app under Xvfb
through many visitor sessions while a fault script breaks its devices and its
backend, then prints what a hall would want to know (see soak_app.sh).

Input is real X input: pointer motion and button events through the X server's
XTEST extension (what xdotool uses), from this process (no process per click);
--xdotool uses the xdotool program instead. Widget positions come from the
layout file the app writes (KIOSK_APP_LAYOUT); the app's flags from its state
file (KIOSK_APP_STATE) — never personal data.
"""
import argparse
import ctypes
import glob
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE_BACKEND = os.path.join(HERE, "..", "app", "fake_backend.py")


def now():
    return time.monotonic()


class XInput:
    """Pointer clicks through XTEST (libXtst), or xdotool."""

    def __init__(self, display, use_xdotool=False):
        self.display = display
        self.xdotool = use_xdotool
        if use_xdotool:
            return
        self.x11 = ctypes.CDLL("libX11.so.6")
        self.xtst = ctypes.CDLL("libXtst.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                                   ctypes.c_int, ctypes.c_ulong]
        self.xtst.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int,
                                                   ctypes.c_ulong]
        self.dpy = self.x11.XOpenDisplay(display.encode())
        if not self.dpy:
            raise SystemExit("soak: cannot open display " + display)

    def click(self, x, y):
        if self.xdotool:
            subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"],
                           env=dict(os.environ, DISPLAY=self.display), check=False)
            return
        self.xtst.XTestFakeMotionEvent(self.dpy, -1, x, y, 0)
        self.xtst.XTestFakeButtonEvent(self.dpy, 1, 1, 0)
        self.xtst.XTestFakeButtonEvent(self.dpy, 1, 0, 30)
        self.x11.XSync(self.dpy, 0)


class Proc:
    """A background process we started (and only those are stopped)."""

    def __init__(self, argv, out, stdin=None, env=None):
        self.argv = argv
        self.p = subprocess.Popen(argv, stdout=open(out, "w"), stderr=open(out + ".err", "a"),
                                  stdin=stdin, env=env)

    def stop(self, sig=signal.SIGTERM):
        if self.p.poll() is None:
            self.p.send_signal(sig)
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def wait_first_line(path, timeout=10):
    end = now() + timeout
    while now() < end:
        try:
            with open(path) as f:
                line = f.readline().strip()
            if line:
                return line
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit("soak: nothing in " + path)


class Soak:
    def __init__(self, a):
        self.a = a
        self.t = a.tmp
        self.stats = dict(sessions=0, aborted=0, restarts=0, requested=0, print_failed_told=0,
                          offline_told=0, reader_told=0, faults=0, idle_resets=0)
        self.kinds = {}
        self.lat = []
        self.lock = threading.Lock()
        self.stop_faults = threading.Event()
        self.printer_gen = 0
        self.printer = None
        self.backend = None
        self.printer_port = a.printer_port
        self.backend_port = a.backend_port
        self.numbers = {}

    # ---- environment ----------------------------------------------------------------

    def start_printer(self, extra=()):
        self.printer_gen += 1
        out = os.path.join(self.t, "receipts-%03d" % self.printer_gen)
        os.makedirs(out, exist_ok=True)
        log = os.path.join(self.t, "printer-%03d.out" % self.printer_gen)
        self.printer = Proc([self.a.sim, "printer", "--tcp", str(self.printer_port), "--out", out]
                            + list(extra), log)
        wait_first_line(log)

    def start_backend(self):
        log = os.path.join(self.t, "backend.out")
        self.backend = Proc(["/usr/bin/python3", FAKE_BACKEND, "--data", self.a.data, "--port",
                             str(self.backend_port), "--token", "soak"], log)
        wait_first_line(log)

    def start_devices(self):
        self.start_printer()
        self.start_backend()
        self.card_fifo = os.path.join(self.t, "card.fifo")
        self.scan_fifo = os.path.join(self.t, "scan.fifo")
        for f in (self.card_fifo, self.scan_fifo):
            os.mkfifo(f)
        # opened read-write so that neither side blocks
        self.card_in = os.open(self.card_fifo, os.O_RDWR)
        self.scan_in = os.open(self.scan_fifo, os.O_RDWR)
        self.reader = Proc([self.a.sim, "idcard", "--pty", "--no-card", "--stdin"],
                           os.path.join(self.t, "idcard.out"), stdin=self.card_in)
        self.scanner = Proc([self.a.sim, "scanner", "--pty", "--stdin", "--delay", "0"],
                            os.path.join(self.t, "scanner.out"), stdin=self.scan_in)
        self.idcard_uri = wait_first_line(os.path.join(self.t, "idcard.out"))
        self.scanner_uri = wait_first_line(os.path.join(self.t, "scanner.out"))

    def card(self, cmd):
        os.write(self.card_in, (cmd + "\n").encode())

    def scan(self, text):
        os.write(self.scan_in, (text + "\n").encode())

    def write_config(self):
        self.state_dir = os.path.join(self.t, "state")
        with open(os.path.join(self.t, "kiosk-app.conf"), "w") as f:
            f.write("idcard = %s\nprinter = tcp:127.0.0.1:%d\nscanner = %s\n"
                    "backend = http\nhttp_url = http://127.0.0.1:%d/api\nhttp_token = soak\n"
                    "http_timeout_ms = 3000\ncatalog_refresh_s = 20\n"
                    "data_dir = %s\nstate_dir = %s\nidle_warn_s = 6\nidle_countdown_s = 3\n"
                    "attract_s = 3600\ntts = off\n" % (
                        self.idcard_uri, self.printer_port, self.scanner_uri, self.backend_port,
                        self.a.data, self.state_dir))

    def start_app(self):
        self.layout = os.path.join(self.t, "layout.json")
        self.state = os.path.join(self.t, "state.json")
        env = dict(os.environ, DISPLAY=self.a.display, KIOSK_APP_LAYOUT=self.layout,
                   KIOSK_APP_STATE=self.state, KIOSK_APP_TODAY="2026-11-24")
        self.app = Proc([self.a.app, "--config", os.path.join(self.t, "kiosk-app.conf")],
                        os.path.join(self.t, "app.out"), env=env)
        end = now() + 20
        while now() < end and not self.st().get("screen"):
            time.sleep(0.05)

    def app_alive(self):
        if self.app.p.poll() is None:
            return True
        with self.lock:
            self.stats["restarts"] += 1
        print("soak: the app exited with %s; restarting it" % self.app.p.returncode, flush=True)
        self.start_app()
        return False

    def rss_kb(self):
        try:
            with open("/proc/%d/status" % self.app.p.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    # ---- reading the app ------------------------------------------------------------

    def st(self):
        try:
            with open(self.state) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def lay(self):
        try:
            with open(self.layout) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def region(self, wid, lay=None):
        for r in (lay or self.lay()).get("regions", []):
            if r["id"] == wid:
                return r
        return None

    def wait(self, cond, timeout):
        end = now() + timeout
        while now() < end:
            v = cond()
            if v:
                return v
            time.sleep(0.01)
        return None

    def screen_is(self, name, timeout=8):
        return self.wait(lambda: self.st().get("screen") == name and not self.st().get("busy")
                         and self.lay().get("screen") == name, timeout)

    def tap(self, wid, timeout=5):
        """Clicks an enabled widget; records tap → next frame latency."""
        end = now() + timeout
        r = None
        while now() < end:  # an enabled widget that stays put for two reads (frames settle)
            a = self.region(wid)
            time.sleep(0.03)
            b = self.region(wid)
            if a and b and a == b and a["enabled"]:
                r = a
                break
        if not r:
            return False
        frame = self.lay().get("frame", 0)
        t0 = now()
        self.x.click(r["x"] + r["w"] // 2, r["y"] + r["h"] // 2)
        if self.wait(lambda: self.lay().get("frame", 0) > frame, 2):
            self.lat.append((now() - t0) * 1000)
        return True

    def must(self, ok, what):
        if not ok:
            raise RuntimeError(what)

    # ---- visitor sessions -------------------------------------------------------------

    def go_home(self):
        s = self.st()
        if s.get("idle_warning"):
            self.tap("idle-home", 2)
        if s.get("screen") not in ("home", "attract"):
            self.tap("home", 2)
        self.wait(lambda: self.st().get("screen") == "home", 5)

    def wait_print(self, before):
        done = self.wait(lambda: (lambda s: s.get("prints_ok", 0) + s.get("prints_failed", 0) > before
                                  and s)(self.st()), 25)
        if done and done.get("prints_failed", 0) > self.last_failed:
            self.stats["print_failed_told"] += 1
        self.last_failed = (done or self.st()).get("prints_failed", 0)
        return done

    def try_print(self, wid):
        r = self.wait(lambda: self.region(wid), 3)
        if not r or not r["enabled"]:
            return False  # disabled with the reason shown (printer away, paper out)
        s = self.st()
        before = s.get("prints_ok", 0) + s.get("prints_failed", 0)
        if self.tap(wid):
            self.stats["requested"] += 1
            self.wait_print(before)
            return True
        return False

    def s_guide(self):
        self.must(self.tap("guides"), "guides tile")
        self.must(self.screen_is("guides"), "guides screen")
        q = random.choice(["BDC", "SBK", "HZ", "GJ", "YL", "JSZ", "HY"])  # each hits a demo guide
        for k in q:
            self.must(self.tap("key-" + k), "key " + k)
        self.must(self.wait(lambda: self.region("hit-0"), 3), "no hit")
        self.must(self.tap("hit-0"), "hit %s %s %s" % (self.region("hit-0"), self.st().get("hits"), q))
        self.must(self.screen_is("guide"), "guide screen")
        self.try_print("print-checklist")

    def rate(self):
        if self.wait(lambda: self.st().get("screen") == "rating", 3):
            self.tap("rate-%d" % random.randint(1, 5)) or self.tap("rate-skip")

    def s_keypad(self):
        self.must(self.tap("progress"), "progress tile")
        self.must(self.screen_is("progress"), "progress screen")
        for d in random.choice(self.numbers):
            self.must(self.tap("num-" + d), "digit")
        self.must(self.tap("query"), "query")
        if not self.wait(lambda: self.st().get("case_loaded"), 6):
            self.stats["offline_told"] += 1  # backend down: told plainly
            return
        if self.try_print("print-progress"):
            self.rate()

    def s_qr(self):
        self.must(self.tap("progress"), "progress tile")
        self.must(self.screen_is("progress"), "progress screen")
        self.scan("https://zwfw.example.gov.cn/case?no=" + random.choice(self.numbers))
        if not self.wait(lambda: self.st().get("case_loaded"), 6):
            self.stats["offline_told"] += 1

    def s_card(self):
        self.card("place")
        got = self.wait(lambda: self.st().get("screen") == "cases" and self.st(), 8)
        if got and self.tap("case-0"):
            self.screen_is("case")
        elif not got:
            self.stats["offline_told"] += 1
        self.card("remove")

    def s_idle(self):
        self.must(self.tap("guides"), "guides tile")
        self.must(self.tap("key-Z"), "key")
        ok = self.wait(lambda: self.st().get("screen") == "home" and not self.st().get("personal"), 15)
        self.must(ok, "idle reset")
        self.stats["idle_resets"] += 1

    def session(self, i):
        kinds = [("guide", self.s_guide), ("keypad", self.s_keypad), ("qr", self.s_qr),
                 ("card", self.s_card)]
        name, fn = ("idle", self.s_idle) if i % 25 == 24 else kinds[i % len(kinds)]
        try:
            self.must(self.screen_is("home", 6) or self.st().get("screen") == "attract", "not home")
            fn()
            if self.st().get("text") == "读卡未完成，请重新放置身份证":
                self.stats["reader_told"] += 1
            self.stats["sessions"] += 1
            self.kinds[name] = self.kinds.get(name, 0) + 1
        except RuntimeError as e:
            self.stats["aborted"] += 1
            if self.a.verbose:
                print("soak: session %d (%s) aborted: %s (screen %s)" % (i, name, e,
                      self.st().get("screen")), flush=True)
        if name != "idle":
            self.go_home()
        self.app_alive()

    # ---- faults -----------------------------------------------------------------------

    def faults(self):
        rnd = random.Random(7)
        steps = ["printer_kill", "paper_out", "card_lift", "backend_down", "printer_kill",
                 "card_lift"]
        k = 0
        while not self.stop_faults.wait(self.a.fault_every):
            f = steps[k % len(steps)]
            k += 1
            with self.lock:
                self.stats["faults"] += 1
            if f == "printer_kill":
                self.printer.stop(signal.SIGKILL)
                if self.stop_faults.wait(rnd.uniform(2, 6)):
                    break
                self.start_printer()
            elif f == "paper_out":
                # a new roll that runs out part-way through a receipt and is refilled 8 s later
                self.printer.stop()
                self.start_printer(["--paper-out-after", str(rnd.randint(300, 2500)),
                                    "--recover-after", "8"])
            elif f == "card_lift":
                self.card("lift-mid-read")
                if self.stop_faults.wait(2):
                    break
                self.card("remove")
            elif f == "backend_down":
                self.backend.stop()
                if self.stop_faults.wait(rnd.uniform(5, 12)):
                    break
                self.start_backend()

    # ---- receipts on paper --------------------------------------------------------------

    def paper(self):
        complete = partial = glued = blank = 0
        for txt in sorted(glob.glob(os.path.join(self.t, "receipts-*", "receipt-*.txt"))):
            lines = [l.strip() for l in open(txt, encoding="utf-8", errors="replace")]
            body = [l for l in lines if l]
            if not body:
                blank += 1
                continue
            heads = sum(1 for l in body if l == self.hall)
            foots = sum(1 for l in body if l.endswith("自助服务终端"))
            if heads == 1 and foots == 1 and body[0] == self.hall:
                complete += 1
            elif heads >= 2:
                glued += 1  # two receipts' text on one piece of paper: no separating cut
            else:
                partial += 1
        return complete, partial, glued, blank

    # ---- the run --------------------------------------------------------------------------

    def run(self):
        cases = json.load(open(os.path.join(self.a.data, "cases.json"), encoding="utf-8"))["cases"]
        self.numbers = [c["number"] for c in cases]
        self.hall = json.load(open(os.path.join(self.a.data, "guides.json"),
                                   encoding="utf-8")).get("hall", {}).get("name", "市政务服务中心")
        self.x = XInput(self.a.display, self.a.xdotool)
        self.start_devices()
        self.write_config()
        self.start_app()
        self.last_failed = 0
        self.wait(lambda: self.st().get("catalog") == "live", 15)
        mb = lambda kb: kb / 1024
        gmb = lambda: (self.st().get("glyph_bytes") or 0) / (1 << 20)
        rss0, g0 = self.rss_kb(), gmb()
        series = []  # (sessions, RSS MB, glyph textures MB)
        t0 = now()
        fault = threading.Thread(target=self.faults, daemon=True)
        fault.start()
        rss_warm, g_warm = None, g0
        rss_first, g_first = None, g0
        for i in range(self.a.sessions):
            self.session(i)
            if i == 0:
                rss_first, g_first = self.rss_kb(), gmb()
            if i == min(49, self.a.sessions - 1):
                rss_warm, g_warm = self.rss_kb(), gmb()
            if i % 250 == 249:
                series.append((i + 1, mb(self.rss_kb()), gmb()))
            if self.a.verbose and i % 100 == 99:
                print("soak: %d sessions, %.0f s, RSS %d kB" % (i + 1, now() - t0, self.rss_kb()),
                      flush=True)
        self.stop_faults.set()
        fault.join(30)
        # the printer back and settled for the count on paper
        if self.printer.p.poll() is not None:
            self.start_printer()
        time.sleep(1)
        rss1, g1 = self.rss_kb(), gmb()
        s = self.st()
        took = now() - t0
        self.app.stop()
        complete, partial, glued, blank = self.paper()
        lat = sorted(self.lat) or [0]
        p = lambda q: lat[min(len(lat) - 1, int(len(lat) * q))]
        st = self.stats
        print("sessions completed: %d of %d (%s), aborted %d, in %.0f s (%.2f s each)" % (
            st["sessions"], self.a.sessions,
            ", ".join("%s %d" % kv for kv in sorted(self.kinds.items())), st["aborted"], took,
            took / max(1, self.a.sessions)))
        print("faults injected: %d (printer killed/restarted, paper out and back, card lifted "
              "mid-read, backend down and up)" % st["faults"])
        print("app restarts: %d (goal 0)" % st["restarts"])
        print("receipts requested: %d; app: printed %d, failed %d (each told to the visitor)" % (
            st["requested"], s.get("prints_ok", 0), s.get("prints_failed", 0)))
        print("on paper: complete %d, partial %d, two receipts glued without a cut %d (goal 0), "
              "blank separators %d" % (complete, partial, glued, blank))
        print("visitor told: backend offline %d times, card read unfinished %d times; idle resets %d"
              % (st["offline_told"], st["reader_told"], st["idle_resets"]))
        # "start" is the app after its first visitor: launch alone has drawn
        # only the attract screen, and the first session loads the fonts at
        # every size and the screens' glyphs once (a fixed cost, not growth)
        first = rss_first or rss0
        print("RSS: at launch %.1f MB, after the first session %.1f MB, after 50 sessions %.1f MB, "
              "end %.1f MB (end - first session: %+.1f MB; goal flat within 5 MB)" % (
                  mb(rss0), mb(first), mb(rss_warm or rss0), mb(rss1), mb(rss1 - first)))
        print("RSS less the glyph textures (a bounded cache, 24 MB at most): after the first session "
              "%.1f MB, end %.1f MB (%+.1f MB)" % (mb(first) - g_first, mb(rss1) - g1,
                                                    (mb(rss1) - g1) - (mb(first) - g_first)))
        print("RSS every 250 sessions: " + ", ".join("%d: %.1f MB (glyphs %.1f MB)" % x for x in series))
        print("glyph cache: %s glyphs, %.1f MB of textures; missing glyphs %s" % (
            s.get("glyphs"), g1, s.get("missing_glyphs")))
        print("tap to frame (XTEST click → next frame in the layout file): p50 %.1f ms, p99 %.1f ms, "
              "max %.1f ms (n=%d)" % (p(0.5), p(0.99), lat[-1], len(self.lat)))
        print("tap to frame inside the app (SDL event → frame presented): p99 %s ms (n=%s)" % (
            s.get("tap_p99_ms"), s.get("taps")))

    def cleanup(self):
        self.stop_faults.set()
        for p in ("app", "printer", "backend", "reader", "scanner"):
            if getattr(self, p, None):
                getattr(self, p).stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--app", required=True)
    ap.add_argument("--sim", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--display", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--sessions", type=int, default=2000)
    ap.add_argument("--fault-every", type=float, default=15.0, help="seconds between faults")
    ap.add_argument("--printer-port", type=int, required=True)
    ap.add_argument("--backend-port", type=int, required=True)
    ap.add_argument("--xdotool", action="store_true")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    random.seed(a.seed)
    s = Soak(a)
    try:
        s.run()
    finally:
        s.cleanup()


if __name__ == "__main__":
    main()
