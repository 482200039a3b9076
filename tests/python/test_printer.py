# SPDX-License-Identifier: LGPL-2.1-or-later
"""Receipt printer binding against the ESC/POS emulator over TCP and a pty."""

import asyncio
import gc
import glob
import os
import weakref

import pytest

import libkiosk

from conftest import wait_for, zbar_decode

CASE = "KIOSK-CASE:2026-000123"


def receipt(tag="受理回执"):
    return (libkiosk.Receipt()
            .text("政务服务中心", align="center", bold=True, size=2)
            .text(tag, align="center")
            .rule()
            .columns("办件编号", "2026-000123")
            .qr(CASE, module=6)
            .cut())


def pages(out):
    return sorted(glob.glob(os.path.join(out, "receipt-*.png")))


@pytest.fixture
def out(tmp):
    d = os.path.join(tmp, "paper")
    os.mkdir(d)
    return d


@pytest.mark.parametrize("transport", ["--tcp", "--pty"])
def test_print_and_scan_back(sim, ctx, out, transport):
    args = ["--tcp", "0"] if transport == "--tcp" else ["--pty"]
    s = sim("printer", *args, "--out", out)
    assert s.uri.startswith("tcp:" if transport == "--tcp" else "serial:")
    with ctx.open_printer(s.uri, profile="generic-80mm") as prn:
        assert prn.profile == "generic-80mm" and prn.driver == "escpos"
        job = prn.print_receipt(receipt())
        assert isinstance(job, libkiosk.Job) and job.id >= 1
        assert job.wait(timeout=60) is None
        assert job.state == libkiosk.JobState.DONE and job.exception() is None
        assert job.message
    assert wait_for(lambda: len(pages(out)) == 1, 10)
    assert zbar_decode(pages(out)[0]) == CASE
    txt = pages(out)[0][:-4] + ".txt"
    with open(txt, encoding="utf-8") as f:
        assert "政务服务中心" in f.read()


def test_dict_and_json_documents(sim, ctx, out):
    s = sim("printer", "--tcp", "0", "--out", out)
    with ctx.open_printer(s.uri) as prn:
        prn.print({"items": [{"text": "dict document"}, {"cut": "full"}]}, timeout=60)
        prn.print('{"items": [{"text": "json text"}, {"cut": "full"}]}', timeout=60)
        with pytest.raises(libkiosk.BadDocument) as ei:
            prn.print_receipt({"items": [{"text": "x", "size": 0}]})
        assert "items[0].size" in str(ei.value)
        with pytest.raises(TypeError):
            prn.print_receipt(42)
    assert wait_for(lambda: len(pages(out)) == 2, 10)


def test_status_ok_near_end_and_events(sim, ctx):
    s = sim("printer", "--tcp", "0", "--near-end")
    with ctx.open_printer(s.uri) as prn:
        st = prn.status(timeout=5)
        assert isinstance(st, libkiosk.PrinterStatus)
        assert st.paper == "near_end" and st.cover_open is False and st.online is True
        assert st.ok and st.summary == "near_end"
        assert prn.last_status().paper == "near_end"


def test_status_paper_out_and_job_fails(sim, ctx):
    s = sim("printer", "--tcp", "0", "--paper-out")
    with ctx.open_printer(s.uri) as prn:
        st = prn.status(timeout=5)
        assert st.paper == "out" and not st.ok
        prn.set_paper_wait(0.3)
        job = prn.print_receipt(receipt())
        with pytest.raises(libkiosk.PaperOut) as ei:
            job.wait(timeout=60)
        assert isinstance(ei.value, libkiosk.PrinterError)
        assert str(ei.value)


def test_cover_open(sim, ctx):
    s = sim("printer", "--tcp", "0", "--cover-open")
    with ctx.open_printer(s.uri) as prn:
        assert prn.status(timeout=5).cover_open is True
        prn.set_paper_wait(0)
        with pytest.raises(libkiosk.CoverOpen):
            prn.print(receipt(), timeout=60)


def test_paper_out_midway_resumes_without_duplicates(sim, ctx, out):
    s = sim("printer", "--tcp", "0", "--out", out, "--paper-out-after", "100",
            "--recover-after", "1")
    with ctx.open_printer(s.uri) as prn:
        prn.set_paper_wait(20)
        job = prn.print_receipt(receipt())
        # the job pauses while the paper is out, then resumes by itself
        assert wait_for(lambda: job.state == libkiosk.JobState.WAITING, 30)
        job.wait(timeout=60)
    assert wait_for(lambda: len(pages(out)) == 1, 10)
    assert zbar_decode(pages(out)[0]) == CASE


def test_silent_printer_status_is_unknown_not_ok(sim, ctx):
    s = sim("printer", "--tcp", "0", "--no-status")
    with ctx.open_printer(s.uri) as prn:
        st = prn.status(timeout=0.5)
        assert st.paper == "unknown" and st.cover_open is None and st.online is None
        assert not st.ok


def test_status_change_events(sim, ctx):
    s = sim("printer", "--tcp", "0", "--paper-out", "--recover-after", "1")
    with ctx.open_printer(s.uri) as prn:
        prn.set_status_poll(0.1)
        papers = []
        for ev in ctx.events(timeout=20):
            if ev.type == "printer-status":
                assert ev.device is prn and ev.status is not None
                papers.append(ev.status.paper)
                if ev.status.paper == "ok":
                    break
        prn.set_status_poll(None)
    assert papers and papers[-1] == "ok", papers


def test_job_callback_and_asyncio(sim, ctx, out):
    s = sim("printer", "--tcp", "0", "--out", out)
    with ctx.open_printer(s.uri) as prn:
        done = []
        job = prn.print_receipt(receipt("callback"))
        job.add_done_callback(lambda j: done.append((j.id, j.exception())))
        job.wait(timeout=60)
        assert done == []  # callbacks run in dispatch, on the dispatching thread
        assert wait_for(lambda: ctx.dispatch() >= 0 and done, 10)
        assert done == [(job.id, None)]

        async def main():
            j1 = prn.print_receipt(receipt("async 1"))
            j2 = prn.print_receipt(receipt("async 2"))
            await asyncio.gather(j1, j2.wait_async(timeout=60))
            return j1, j2
        j1, j2 = asyncio.run(main())
        assert j1.done() and j2.done() and j2.id > j1.id
        # dropping a job object does not stop the print
        prn.print_receipt(receipt("dropped"))
        gc.collect()
    assert wait_for(lambda: len(pages(out)) == 4, 20), pages(out)


def test_preview_uses_printer_profile(sim, ctx):
    s = sim("printer", "--tcp", "0", "--profile", "generic-58mm")
    with ctx.open_printer(s.uri, profile="generic-58mm") as prn:
        png = prn.preview(receipt())
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == 384


def test_errors_on_open(ctx):
    with pytest.raises(libkiosk.NotFound):
        ctx.open_printer("tcp:127.0.0.1:9", profile="no-such-profile")
    with pytest.raises(libkiosk.BadUri):
        ctx.open_printer("nonsense")


def test_closed_link_and_use_after_close(sim, ctx):
    s = sim("printer", "--tcp", "0")
    prn = ctx.open_printer(s.uri)
    prn.status(timeout=5)
    s.stop()
    with pytest.raises((libkiosk.Closed, libkiosk.IoError, libkiosk.NoDevice, libkiosk.Timeout)):
        prn.print(receipt(), timeout=30)
    prn.close()
    with pytest.raises(libkiosk.InvalidState):
        prn.status()
    with pytest.raises(libkiosk.InvalidState):
        prn.print_receipt(receipt())
    ref = weakref.ref(prn)
    del prn
    gc.collect()
    assert ref() is None


def test_job_outlives_printer_close(sim, ctx, out):
    s = sim("printer", "--tcp", "0", "--out", out, "--slow", "2000")
    prn = ctx.open_printer(s.uri)
    job = prn.print_receipt(receipt())
    prn.close()  # cancels the running job: it completes exactly once
    with pytest.raises(libkiosk.Cancelled):
        job.wait(timeout=30)
    assert job.done()
    with pytest.raises(libkiosk.InvalidState):
        prn.print_receipt(receipt())


def test_write_raw_goes_out_in_order(sim, ctx, out):
    s = sim("printer", "--tcp", "0", "--out", out)
    with ctx.open_printer(s.uri) as prn:
        prn.write_raw(b"\x1b@RAW BYTES LINE\n\x1dVA\x00", timeout=10)
        with pytest.raises(TypeError):
            prn.write_raw("not bytes")  # type: ignore[arg-type]
    assert wait_for(lambda: len(pages(out)) == 1, 10)
    with open(pages(out)[0][:-4] + ".txt", encoding="utf-8") as f:
        assert "RAW BYTES LINE" in f.read()


def test_device_state_follows_the_link(sim, ctx, out):
    s = sim("printer", "--tcp", "0", "--out", out)
    port = s.uri.rsplit(":", 1)[1]
    with ctx.open_printer(s.uri) as prn:
        assert prn.state == "online"  # a TCP connection the printer accepted
        prn.set_status_poll(0.1)
        s.stop()
        states = []
        for ev in ctx.events(timeout=10):
            if ev.type == "device-state" and ev.device is prn:
                states.append(ev.state)
                if ev.state == "offline":
                    assert ev.error is not None
                    break
        assert states[-1:] == ["offline"] and prn.state == "offline"
        s2 = sim("printer", "--tcp", port, "--out", out)
        for ev in ctx.events(timeout=10):
            if ev.type == "device-state" and ev.device is prn and ev.state == "online":
                break
        assert prn.state == "online"
        prn.print(receipt(), timeout=30)  # nothing reopened by hand
        prn.reconnect()
        s2.stop()
