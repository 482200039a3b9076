# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fleet scale benchmark: N simulated terminals (kiosk-sim fleet, each a real
fleet-module client) against one loopback Mosquitto started here with a
generated config. For each N it prints the end-to-end latency of a printer
state change (from the moment the simulated device changed, carried in the
retained device/printer message's "since", to the moment a separate
subscriber process, mosquitto_sub, received it), the broker's CPU (utime +
stime over the churn window, % of one core) and RSS, and the simulator's RSS
per terminal. "since" has millisecond resolution (truncated), so a latency
reads up to 1 ms high. Then it stops the broker for a few seconds, restarts
it and times until every terminal is connected again, and times a console's
first read of kiosk/HALL/# (every retained message).

    python3 tests/bench/fleet_scale.py [--kiosks 100,1000,5000] [--churn-ms 10000]
                                       [--duration 30] [--no-restart] [--check]

--check (the CTest smoke test test_fleet_sim) fails unless every terminal
came online, the subscriber saw every change the simulator made and (with
the restart) every terminal reconnected.
"""
import argparse
import calendar
import math
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HALL = "bench"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def proc_cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick  # utime + stime


def proc_status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return -1


def iso_ms(text):
    """'2026-12-04T18:12:50.026Z' -> Unix milliseconds."""
    main, frac = text.rstrip("Z").split(".")
    t = time.strptime(main, "%Y-%m-%dT%H:%M:%S")
    return calendar.timegm(t) * 1000 + int(frac[:3].ljust(3, "0"))


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]  # nearest rank


def wait_for(pred, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.05)
    raise RuntimeError(f"timed out waiting for {what}")


def run_one(n, args, work):
    port = free_port()
    conf = os.path.join(work, f"mosquitto-{n}.conf")
    with open(conf, "w") as f:
        f.write(f"listener {port} 127.0.0.1\n"
                "allow_anonymous true\n"
                "persistence false\n"
                "max_connections -1\n"
                "log_type error\n"
                "log_type warning\n")
    broker_log = open(os.path.join(work, f"mosquitto-{n}.log"), "w")

    def start_broker():
        return subprocess.Popen(["mosquitto", "-c", conf], stdout=broker_log, stderr=broker_log,
                                preexec_fn=raise_nofile)
    broker = start_broker()
    sub = sim = None
    sub_path = os.path.join(work, f"sub-{n}.txt")
    try:
        wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, 10, "mosquitto")
        sub_out = open(sub_path, "w")
        sub = subprocess.Popen(["stdbuf", "-oL", "mosquitto_sub", "-h", "127.0.0.1",
                                "-p", str(port),
                                "-q", "0", "-t", f"kiosk/{HALL}/+/device/+",
                                "-F", "%U %r %t %p"], stdout=sub_out)
        # The subscriber is ready once it sees a probe message.
        def probe_seen():
            subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port), "-t",
                            f"kiosk/{HALL}/probe/device/none", "-m", "{}"], check=True)
            time.sleep(0.1)
            with open(sub_path) as f:
                return "probe/device/none" in f.read()
        wait_for(probe_seen, 10, "the subscriber")

        cmd = [args.sim, "fleet", "--kiosks", str(n), "--broker", f"mqtt://127.0.0.1:{port}",
               "--hall", HALL, "--churn-ms", str(args.churn_ms), "--duration", str(args.duration),
               "--queue-dir", os.path.join(args.queue_dir or work, f"queues-{n}")]
        if args.restart:
            cmd += ["--hold", str(args.restart_hold)]
        print("$ " + " ".join(cmd), flush=True)
        sim = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, preexec_fn=raise_nofile)
        info = {}
        cpu0 = t0 = cpu1 = t1 = None
        rss_max = 0
        restart = {}
        restart_kill_ms = float("inf")
        for line in sim.stdout:
            if not line.startswith("connected"):
                print("  " + line.rstrip(), flush=True)
            words = line.split()
            if not words:
                continue
            kv = dict(w.split("=", 1) for w in words[1:] if "=" in w)
            info.setdefault(words[0], {}).update(kv)
            if words[0] == "churn" and "start_ms" in kv:
                cpu0, t0 = proc_cpu_s(broker.pid), time.monotonic()
            elif words[0] == "churn" and "end_ms" in kv:
                cpu1, t1 = proc_cpu_s(broker.pid), time.monotonic()
                rss_max = proc_status_kib(broker.pid, "VmRSS")
            elif words[0] == "rss" and args.restart:
                # A broker restart: every terminal loses its connection at once
                # and comes back through its jittered back-off.
                restart_kill_ms = time.time() * 1000
                broker.terminate()
                broker.wait(timeout=30)
                time.sleep(args.restart_down)
                broker = start_broker()
                restart = {"t_ms": time.time() * 1000, "t": time.monotonic()}
                print(f"  broker restarted after {args.restart_down} s down", flush=True)
            elif words[0] == "connected" and restart and "all_s" not in restart:
                k = int(kv["kiosks"])
                t = int(kv["t_ms"])
                if t >= restart["t_ms"]:
                    for frac in (50, 90, 99):
                        if k >= n * frac / 100 and f"p{frac}_s" not in restart:
                            restart[f"p{frac}_s"] = (t - restart["t_ms"]) / 1000
                    if k == n:
                        restart["all_s"] = (t - restart["t_ms"]) / 1000
                        restart["cpu_s"] = proc_cpu_s(broker.pid)
                        restart["wall_s"] = time.monotonic() - restart["t"]
                        print(f"  all {n} reconnected {restart['all_s']:.1f} s after the restart "
                              f"(50 % {restart.get('p50_s', 0):.1f} s, 90 % "
                              f"{restart.get('p90_s', 0):.1f} s); broker CPU meanwhile "
                              f"{restart['cpu_s']:.2f} s = "
                              f"{100 * restart['cpu_s'] / restart['wall_s']:.0f} % of a core",
                              flush=True)
        sim_rc = sim.wait(timeout=600)
        time.sleep(0.5)
        sub.send_signal(signal.SIGTERM)
        sub.wait(timeout=10)
        sub_out.close()
        if sim_rc != 0 or cpu0 is None or cpu1 is None:
            return {"n": n, "ok": False, "why": f"kiosk-sim exited {sim_rc}"}
        start_ms = int(info["churn"]["start_ms"])
        end_ms = int(info["churn"]["end_ms"])
        lat = []
        with open(sub_path, errors="replace") as f:
            for line in f:
                parts = line.split(" ", 3)
                if len(parts) < 4 or parts[1] != "0" or "/probe/" in parts[2]:
                    continue
                recv_ms = float(parts[0]) * 1000
                if recv_ms >= restart_kill_ms:
                    continue  # republished after the restart: not a change
                since = parts[3].split('"since":"', 1)
                if len(since) < 2:
                    continue
                since_ms = iso_ms(since[1].split('"', 1)[0])
                if start_ms <= since_ms <= end_ms:
                    lat.append(recv_ms - since_ms)
        # What a console subscribing to kiosk/HALL/# gets first: every
        # retained message (state + device/printer of each terminal).
        t = time.monotonic()
        snap = subprocess.run(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-t",
                               f"kiosk/{HALL}/#", "-C", str(2 * n), "-W", "60", "-F", "%l"],
                              capture_output=True, text=True)
        snap_s = time.monotonic() - t
        sizes = [int(x) for x in snap.stdout.split()]
        print(f"  a console's first read of kiosk/{HALL}/#: {len(sizes)} retained messages, "
              f"{sum(sizes) / 1024:.0f} KiB payload, {snap_s * 1000:.0f} ms", flush=True)
        return {
            "n": n, "ok": True,
            "restart": restart,
            "online": info["online"]["kiosks"], "connect_s": float(info["online"]["seconds"]),
            "processes": int(info["fleet"]["processes"]),
            "changes": int(info["churn"]["changes"]), "rate": float(info["churn"]["rate_per_s"]),
            "received": len(lat),
            "p50": pct(lat, 50), "p99": pct(lat, 99), "max": max(lat) if lat else float("nan"),
            "broker_cpu_pct": 100.0 * (cpu1 - cpu0) / (t1 - t0),
            "broker_rss_mib": rss_max / 1024,
            "sim_rss_per_kiosk_kib": float(info["rss"]["per_kiosk_kib"]),
            "sim_anon_per_kiosk_kib": float(info["rss"]["anon_per_kiosk_kib"]),
        }
    finally:
        for p in (sim, sub):
            if p and p.poll() is None:
                p.kill()
                p.wait()
        broker.terminate()
        try:
            broker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            broker.kill()
            broker.wait()
        broker_log.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kiosks", default="100,1000,5000", help="comma-separated N values")
    ap.add_argument("--churn-ms", type=int, default=10000,
                    help="mean time between printer changes of one terminal")
    ap.add_argument("--duration", type=int, default=30, help="seconds of churn per N")
    ap.add_argument("--sim", default=None, help="kiosk-sim program")
    ap.add_argument("--queue-dir", default=None,
                    help="where the terminals' SQLite queues go (default: a directory in "
                    "/dev/shm: N terminals sharing one disk would measure that disk's fsync "
                    "rate, which a real terminal has to itself)")
    ap.add_argument("--restart", action=argparse.BooleanOptionalAction, default=True,
                    help="after the churn, restart the broker and time the reconnection")
    ap.add_argument("--restart-down", type=float, default=3.0,
                    help="seconds the broker stays down")
    ap.add_argument("--restart-hold", type=int, default=40,
                    help="seconds the terminals stay after the churn (covers the restart)")
    ap.add_argument("--check", action="store_true",
                    help="fail unless all came online and every change was received")
    args = ap.parse_args()
    build = os.environ.get("KIOSK_BUILD_DIR", "build")
    args.sim = args.sim or os.environ.get("KIOSK_SIM") or os.path.join(build, "hw/sim/kiosk-sim")
    for prog in ("mosquitto", "mosquitto_sub", "mosquitto_pub", "stdbuf"):
        if not shutil.which(prog):
            sys.exit(f"fleet_scale: {prog} not found (tests/deps.sh installs it)")
    if not os.access(args.sim, os.X_OK):
        sys.exit(f"fleet_scale: {args.sim} not found (a build with KIOSK_FLEET)")
    ns = [int(x) for x in args.kiosks.split(",") if x]
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print(f"command: {' '.join([sys.executable] + sys.argv)}")
    version = subprocess.run(["mosquitto", "-h"], capture_output=True, text=True).stdout
    print(f"machine: nproc={os.cpu_count()} load={load} kernel={os.uname().release} "
          f"nofile_hard={resource.getrlimit(resource.RLIMIT_NOFILE)[1]} "
          f"mosquitto={version.splitlines()[0] if version else '?'}")
    print(f"churn: each terminal's printer changes every {args.churn_ms} ms on average "
          f"(±50 %), for {args.duration} s once all are online; latency from the change "
          f"('since', ms resolution) to mosquitto_sub's receipt")
    results = []
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="fleet-scale-", dir=shm) as work:
        for n in ns:
            print(f"\n## N = {n}", flush=True)
            r = run_one(n, args, work)
            results.append(r)
            if not r["ok"]:
                print(f"  FAILED: {r['why']}")
    print("\n     N  procs  online_s  changes/s  received/changes   p50_ms   p99_ms   max_ms"
          "  broker_cpu_%  broker_rss_MiB  sim_rss/kiosk_KiB (anon)")
    failed = False
    for r in results:
        if not r["ok"]:
            print(f"{r['n']:>6}  FAILED ({r['why']})")
            failed = True
            continue
        print(f"{r['n']:>6}  {r['processes']:>5}  {r['connect_s']:>8.1f}  {r['rate']:>9.1f}"
              f"  {r['received']:>8}/{r['changes']:<8}  {r['p50']:>7.1f}  {r['p99']:>7.1f}"
              f"  {r['max']:>7.1f}  {r['broker_cpu_pct']:>12.1f}  {r['broker_rss_mib']:>14.1f}"
              f"  {r['sim_rss_per_kiosk_kib']:>17.1f} ({r['sim_anon_per_kiosk_kib']:.1f})")
        rs = r["restart"]
        if rs:
            nan = float("nan")
            print(f"{'':>6}  after a broker restart ({args.restart_down} s down): all back in "
                  f"{rs.get('all_s', nan):.1f} s (50 % {rs.get('p50_s', nan):.1f} s,"
                  f" 99 % {rs.get('p99_s', nan):.1f} s)")
        if args.check and (r["received"] != r["changes"] or r["changes"] == 0 or
                           r["online"] != f"{r['n']}/{r['n']}" or
                           (args.restart and "all_s" not in rs)):
            failed = True
    with open("/proc/loadavg") as f:
        print(f"load after: {' '.join(f.read().split()[:3])}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
