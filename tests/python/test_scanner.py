# SPDX-License-Identifier: LGPL-2.1-or-later
"""Scanner binding against the serial scanner emulator on a pty."""

import asyncio
import threading
import time

import pytest

import libkiosk

from conftest import next_event


@pytest.fixture
def scan_sim(sim):
    return sim("scanner", "--pty", "--stdin", "--delay", "0", "--interval", "50", stdin=True)


def test_read_blocking(scan_sim, ctx):
    with ctx.open_scanner(scan_sim.uri) as sc:
        assert sc.device_class == "scanner"
        t = threading.Timer(0.3, scan_sim.send, ["KIOSK-CASE:2026-000123"])
        t.start()
        try:
            assert sc.read(timeout=30) == "KIOSK-CASE:2026-000123"
        finally:
            t.join()


def test_read_async_and_utf8(scan_sim, ctx):
    with ctx.open_scanner(scan_sim.uri) as sc:
        job = sc.read_async(timeout=30)
        scan_sim.send("办件 2026-000124")
        assert job.wait(timeout=30) == "办件 2026-000124"
        job2 = sc.read_async(timeout=30)
        with pytest.raises(libkiosk.Busy):
            sc.read_async(timeout=1)
        assert job2.cancel() is True
        with pytest.raises(libkiosk.Cancelled):
            job2.wait(timeout=30)


def test_read_timeout(scan_sim, ctx):
    with ctx.open_scanner(scan_sim.uri) as sc:
        with pytest.raises(libkiosk.Timeout):
            sc.read(timeout=0.3)


def test_watch_events_blocking_and_asyncio(scan_sim, ctx):
    with ctx.open_scanner(scan_sim.uri) as sc:
        sc.watch()
        scan_sim.send("FIRST")
        ev = next_event(ctx, 30)
        assert ev.type == libkiosk.EventType.SCAN
        assert ev.code == "FIRST" and ev.data == b"FIRST" and ev.device is sc

        async def main():
            scan_sim.send("SECOND")
            scan_sim.send("THIRD")
            got = []
            async for ev in ctx.aevents(timeout=30):
                if ev.type == "device-state":
                    continue
                got.append(ev.code)
                if len(got) == 2:
                    break
            return got
        assert asyncio.run(main()) == ["SECOND", "THIRD"]
        assert ctx.idle_time() < 30
        sc.watch(False)


def test_char_timeout_property(scan_sim, ctx):
    with ctx.open_scanner(scan_sim.uri) as sc:
        assert sc.char_timeout == pytest.approx(0.3)
        sc.char_timeout = 0.5
        assert sc.char_timeout == pytest.approx(0.5)
        assert sc.discarded == 0
    with pytest.raises(libkiosk.InvalidState):
        sc.read(0.1)


def test_event_callbacks_with_run_and_asyncio(scan_sim, ctx):

    with ctx.open_scanner(scan_sim.uri) as sc:
        sc.watch()
        got = []

        def on_scan(ev):
            got.append(ev.code)
            if len(got) == 2:
                ctx.stop()
        token = ctx.on("scan", on_scan, device=sc)
        other = ctx.on(["card-inserted"], lambda ev: got.append("wrong"))
        scan_sim.send("ONE")
        scan_sim.send("TWO")
        t0 = time.monotonic()
        ctx.run(timeout=30)
        assert got == ["ONE", "TWO"] and time.monotonic() - t0 < 25
        # handled by the callback: not queued (only the scanner's state change is)
        assert [e.type for e in ctx.events(timeout=0) if e.type != "device-state"] == []

        async def main():
            ctx.attach_asyncio()
            try:
                scan_sim.send("THREE")
                for _ in range(300):
                    if len(got) == 3:
                        break
                    await asyncio.sleep(0.05)
            finally:
                ctx.detach_asyncio()
        asyncio.run(main())
        assert got[-1] == "THREE"

        ctx.off(token)
        ctx.off(other)
        scan_sim.send("FOUR")
        ev = next_event(ctx, 30)  # no callback any more: queued again
        assert ev.code == "FOUR" and got[-1] == "THREE"
        ctx.run(timeout=0.1)  # returns after its timeout


def test_callback_exception_propagates_from_run(scan_sim, ctx):
    with ctx.open_scanner(scan_sim.uri) as sc:
        sc.watch()

        def boom(ev):
            raise RuntimeError("handler failed: " + ev.code)
        ctx.on("scan", boom)
        scan_sim.send("X")
        with pytest.raises(RuntimeError, match="handler failed: X"):
            ctx.run(timeout=30)
