# SPDX-License-Identifier: LGPL-2.1-or-later
"""Context lifecycle, handles after close, dispatch and events plumbing."""

import asyncio
import gc
import logging
import os
import weakref

import pytest

import libkiosk
from libkiosk import _ffi


def test_version_and_library():
    assert libkiosk.version().count(".") == 2
    assert libkiosk.__version__ == libkiosk.version()  # both from CMake's project(VERSION)
    assert os.path.exists(libkiosk.library_path()) or libkiosk.library_path().startswith("lib")
    ids = {d.id for d in libkiosk.drivers()}
    assert {"samv", "escpos"} <= ids, ids
    classes = {d.device_class for d in libkiosk.drivers()}
    assert libkiosk.DeviceClass.PRINTER in classes


def test_context_manager_and_use_after_close():
    with libkiosk.Context() as ctx:
        fd = ctx.fileno()
        assert fd >= 0
        assert repr(ctx).startswith("<libkiosk.Context")
    assert ctx.closed
    with pytest.raises(libkiosk.InvalidState):
        ctx.fileno()
    with pytest.raises(libkiosk.InvalidState):
        ctx.dispatch()
    with pytest.raises(libkiosk.InvalidState):
        ctx.open_printer("tcp:127.0.0.1:9")
    ctx.close()  # twice is fine


def test_next_event_timeout_and_events_end(ctx):
    with pytest.raises(libkiosk.Timeout) as ei:
        ctx.next_event(timeout=0.05)
    assert isinstance(ei.value, TimeoutError)
    assert list(ctx.events(timeout=0.05)) == []
    assert ctx.dispatch() == 0


def test_timeouts_are_seconds_and_checked():
    assert _ffi.ms(1.5) == 1500
    assert _ffi.ms(0.0001) == 1
    assert _ffi.ms(0) == 0
    assert _ffi.ms(None) == -1
    with pytest.raises(libkiosk.InvalidArgument):
        _ffi.ms(-1)
    with pytest.raises(TypeError):
        _ffi.ms("5")


def test_nul_in_string_is_rejected(ctx):
    with pytest.raises(libkiosk.InvalidArgument):
        ctx.open_printer("tcp:127.0.0.1:9\0evil")


def test_log_to_python_logging(caplog):
    with caplog.at_level(logging.DEBUG, logger="libkiosk"):
        with libkiosk.Context(log_level="debug", log="logging") as ctx:
            with pytest.raises(libkiosk.KioskError):
                ctx.open_idcard("serial:/dev/this-port-does-not-exist")
    assert any(r.name.startswith("libkiosk.") for r in caplog.records), caplog.records


def test_log_callable_and_bad_level():
    lines = []
    with libkiosk.Context(log_level=libkiosk.LogLevel.DEBUG,
                          log=lambda lv, comp, msg: lines.append((lv, comp, msg))) as ctx:
        if os.environ.get("KIOSK_DEBUG") is None:
            assert ctx.log_level == libkiosk.LogLevel.DEBUG
        with pytest.raises(libkiosk.KioskError):
            ctx.open_printer("serial:/dev/this-port-does-not-exist")
    assert lines and all(isinstance(l[0], libkiosk.LogLevel) for l in lines)
    with pytest.raises(libkiosk.InvalidArgument):
        libkiosk.Context(log_level="chatty")


def test_garbage_collection_closes_context():
    ctx = libkiosk.Context()
    cell = ctx._cell
    ref = weakref.ref(ctx)
    del ctx
    gc.collect()
    assert ref() is None
    assert cell.ptr is None


def test_asyncio_aevents_timeout(ctx):
    async def main():
        got = [ev async for ev in ctx.aevents(timeout=0.05)]
        assert got == []
        with pytest.raises(libkiosk.Timeout):
            await ctx.anext_event(timeout=0.05)
        # the reader is removed again once nothing waits
        assert not ctx._loops
    asyncio.run(main())


def test_help_is_useful():
    doc = libkiosk.__doc__
    for word in ("open_idcard", "open_printer", "aevents", "KioskError", "LIBKIOSK_LIBRARY"):
        assert word in doc
    import pydoc
    text = pydoc.render_doc(libkiosk, renderer=pydoc.plaintext)
    for name in ("class Context", "class IdCard", "class Printer", "class PaperOut",
                 "class Receipt", "class Scanner", "class Calibration"):
        assert name in text, name


def test_discover_returns_a_list(ctx):
    found = ctx.discover()  # no USB devices attached here: may well be empty
    assert isinstance(found, list)
    for d in found:
        assert isinstance(d, libkiosk.DiscoveredDevice) and d.uri


def test_exit_without_closing_anything(sim, tmp):
    import subprocess
    import sys
    card = sim("idcard", "--pty")
    prn = sim("printer", "--tcp", "0")
    script = (
        "import libkiosk\n"
        "ctx = libkiosk.Context(log=lambda *a: None, log_level='debug')\n"
        f"r = ctx.open_idcard({card.uri!r}); r.watch(interval=0.05)\n"
        f"p = ctx.open_printer({prn.uri!r}); p.set_status_poll(0.05)\n"
        "j = p.print_receipt({'items': [{'text': 'bye'}]})\n"
        "j.add_done_callback(lambda j: None)\n"
        "print('exiting')\n")
    from conftest import ROOT
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "bindings", "python"))
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                       timeout=60, cwd=tmp, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "exiting" and "Traceback" not in r.stderr
