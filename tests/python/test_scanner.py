"""Scanner binding against the serial scanner emulator on a pty."""

import asyncio
import threading

import pytest

import libkiosk


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
        ev = ctx.next_event(timeout=30)
        assert ev.type == libkiosk.EventType.SCAN
        assert ev.code == "FIRST" and ev.data == b"FIRST" and ev.device is sc

        async def main():
            scan_sim.send("SECOND")
            scan_sim.send("THIRD")
            got = []
            async for ev in ctx.aevents(timeout=30):
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
