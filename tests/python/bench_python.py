# SPDX-License-Identifier: LGPL-2.1-or-later
"""Figures for the Python binding (run by tests/bench/bench_python.sh; not a test).

Prints what the ctypes layer costs on top of the C library: per-call overhead,
event throughput through dispatch, card decoding, receipt preview, and the
round trips to the emulators (ID-card read over a pty, print job over TCP).
"""
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "bindings", "python"))
import libkiosk  # noqa: E402


def timed(fn, n):
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def sim(kind, *args):
    p = subprocess.Popen([os.environ["KIOSK_SIM"], kind, *args], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    uri = p.stdout.readline().decode().strip()
    return p, uri


def main():
    print(f"libkiosk {libkiosk.version()} from {libkiosk.library_path()}, Python {sys.version.split()[0]}")
    rows = []
    t = timed(lambda: libkiosk.Context().close(), 50)
    rows.append(("Context() + close()", f"{t * 1e6:.0f} us"))
    with libkiosk.Context() as ctx:
        n = 20000
        t0 = time.perf_counter()
        for _ in range(n):
            ctx.dispatch()
        t = (time.perf_counter() - t0) / n
        rows.append(("ctx.dispatch() with nothing pending", f"{t * 1e6:.2f} us/call"))

        with ctx.open_touch("virtual:touch", screen=(1920, 1080)) as touch:
            n = 5000
            t0 = time.perf_counter()
            got = 0
            for i in range(n):
                touch.feed("touch-down", 0.5, 0.5)
                touch.feed("touch-up", 0.5, 0.5)
                if i % 100 == 99:
                    while ctx.pending_events() or ctx.dispatch():
                        while ctx.pending_events():
                            ctx.next_event(0)
                            got += 1
            for ev in ctx.events(timeout=0.2):
                got += 1
            t = time.perf_counter() - t0
            rows.append(("touch events fed + dispatched + taken", f"{got / t:.0f} events/s ({got})"))

        block = ("张三".encode("utf-16-le") + b" \x00" * 13 + "1".encode("utf-16-le")
                 + "01".encode("utf-16-le"))
        block += b" \x00" * ((256 - len(block)) // 2)
        t = timed(lambda: libkiosk.decode_text_block(block).clear(), 2000)
        rows.append(("decode_text_block() -> IdCard, clear()", f"{t * 1e6:.1f} us"))

        doc = (libkiosk.Receipt().text("政务服务中心", align="center", bold=True, size=2)
               .text("受理回执", align="center").rule())
        for i in range(20):
            doc.columns(f"项目 {i + 1}", f"{i * 3 + 1}.00")
        doc.qr("KIOSK-CASE:2026-000123", module=6).cut()
        t = timed(lambda: doc.render_png(ctx), 30)
        rows.append(("Receipt (25 items) render_png()", f"{t * 1e3:.2f} ms"))
        t = timed(lambda: doc.render_escpos(ctx), 200)
        rows.append(("Receipt (25 items) render_escpos()", f"{t * 1e3:.3f} ms"))

        p, uri = sim("idcard", "--pty")
        try:
            with ctx.open_idcard(uri) as r:
                r.read(timeout=10).clear()
                t = timed(lambda: r.read(timeout=10).clear(), 20)
                rows.append(("IdCardReader.read() over a pty (no baud delay)", f"{t * 1e3:.1f} ms"))
        finally:
            p.terminate()
            p.wait()

        p, uri = sim("printer", "--tcp", "0")
        try:
            with ctx.open_printer(uri) as prn:
                small = {"items": [{"text": "bench"}, {"cut": "full"}]}
                prn.print(small)
                t = timed(lambda: prn.print(small, timeout=30), 20)
                rows.append(("Printer.print() small job over TCP, confirmed", f"{t * 1e3:.1f} ms"))
                t = timed(lambda: prn.print(doc, timeout=30), 10)
                rows.append(("Printer.print() 25-item receipt over TCP", f"{t * 1e3:.1f} ms"))
        finally:
            p.terminate()
            p.wait()

    w = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"  {k:<{w}}  {v}")


if __name__ == "__main__":
    main()
