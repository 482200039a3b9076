# SPDX-License-Identifier: LGPL-2.1-or-later
"""Closing from another thread, Ctrl-C, and closing from callbacks: exceptions, never crashes."""

import os
import signal
import threading
import time

import pytest

import libkiosk

from conftest import wait_for


def in_thread(fn):
    box = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as e:  # noqa: B902
            box["error"] = e

    t = threading.Thread(target=run)
    t.start()
    return t, box


def test_close_reader_while_another_thread_reads(sim, ctx):
    s = sim("idcard", "--pty", "--no-card")
    r = ctx.open_idcard(s.uri)
    t, box = in_thread(lambda: r.read(timeout=30))
    time.sleep(0.5)
    t0 = time.monotonic()
    r.close()
    t.join(20)
    assert not t.is_alive()
    assert time.monotonic() - t0 < 10
    assert isinstance(box.get("error"), (libkiosk.Cancelled, libkiosk.InvalidState)), box
    with pytest.raises(libkiosk.InvalidState):
        r.read(timeout=1)


def test_close_context_while_another_thread_waits_for_events(ctx):
    t, box = in_thread(lambda: ctx.next_event(timeout=None))
    time.sleep(0.3)
    ctx.close()
    t.join(10)
    assert not t.is_alive()
    assert isinstance(box.get("error"), libkiosk.InvalidState), box


def test_close_scanner_while_reading_and_printer_while_printing(sim, ctx, tmp):
    sc_sim = sim("scanner", "--pty", "--stdin", "--delay", "0", stdin=True)
    sc = ctx.open_scanner(sc_sim.uri)
    t, box = in_thread(lambda: sc.read(timeout=None))
    time.sleep(0.3)
    sc.close()
    t.join(10)
    assert not t.is_alive() and isinstance(box.get("error"),
                                           (libkiosk.Cancelled, libkiosk.InvalidState)), box

    p_sim = sim("printer", "--tcp", "0", "--slow", "500")
    prn = ctx.open_printer(p_sim.uri)
    doc = libkiosk.Receipt().text("slow " * 200).cut()
    t, box = in_thread(lambda: prn.print(doc, timeout=120))
    time.sleep(0.5)
    prn.close()
    t.join(30)
    assert not t.is_alive() and isinstance(box.get("error"),
                                           (libkiosk.Cancelled, libkiosk.InvalidState)), box


def test_ctrl_c_cancels_a_blocking_read(sim, ctx):
    s = sim("idcard", "--pty", "--no-card")
    with ctx.open_idcard(s.uri) as r:
        timer = threading.Timer(0.4, os.kill, [os.getpid(), signal.SIGINT])
        timer.start()
        t0 = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            r.read(timeout=30)
        assert time.monotonic() - t0 < 10
        timer.join()
        # the interrupted read was cancelled: the reader is free for the next one
        with pytest.raises(libkiosk.NoCard):
            r.read(timeout=0.3)


def test_close_from_a_job_callback(sim, ctx):
    s = sim("printer", "--tcp", "0")
    prn = ctx.open_printer(s.uri)
    job = prn.print_receipt({"items": [{"text": "x"}]})
    job.add_done_callback(lambda j: prn.close())
    job.wait(timeout=60)
    # the completion reaches the context queue just after wait() returns
    assert wait_for(lambda: ctx.dispatch() >= 0 and prn.closed, 10)
    job2 = None
    with pytest.raises(libkiosk.InvalidState):
        job2 = prn.print_receipt({"items": [{"text": "y"}]})
    assert job2 is None


def test_close_context_from_a_job_callback(sim):
    s = sim("printer", "--tcp", "0")
    ctx = libkiosk.Context()
    prn = ctx.open_printer(s.uri)
    job = prn.print_receipt({"items": [{"text": "x"}]})
    job.add_done_callback(lambda j: ctx.close())
    job.wait(timeout=60)
    # the callback (run by dispatch) closes the context
    assert wait_for(lambda: ctx.closed or (ctx.dispatch() >= 0 and ctx.closed), 10)
    assert ctx.closed and prn.closed and job.closed


def test_close_context_from_another_thread_during_aevents(sim):
    import asyncio
    s = sim("scanner", "--pty", "--stdin", "--delay", "0", stdin=True)
    ctx = libkiosk.Context()
    sc = ctx.open_scanner(s.uri)
    sc.watch()

    async def main():
        threading.Timer(0.3, ctx.close).start()
        got = [ev async for ev in ctx.aevents(timeout=20)]
        await asyncio.sleep(0.05)  # the loop drops the reader
        return got
    t0 = time.monotonic()
    assert asyncio.run(main()) == []
    assert time.monotonic() - t0 < 10
    assert sc.closed
