# SPDX-License-Identifier: LGPL-2.1-or-later
"""ESC/POS receipt printers: :class:`Printer`, :class:`PrinterStatus`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from . import _ffi
from ._ffi import POINTER, c_char_p, c_int, c_size_t, c_uint8, c_uint64, c_void_p
from ._handle import check, op
from .device import Device
from .errors import Timeout
from .jobs import JOB_FN, Job, new_key, trampoline
from .receipt import Document, _c_receipt, _render

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context

__all__ = ["Printer", "PrinterStatus"]


class _CStatus(_ffi.ctypes.Structure):
    """struct kiosk_printer_status; `size` tells the library how much of it we have."""
    _fields_ = [
        ("size", _ffi.ctypes.c_size_t),
        ("paper", c_int),
        ("cover_open", c_int),
        ("online", c_int),
        ("paper_stop", c_int),
        ("error", c_int),
        ("cutter_error", c_int),
        ("unrecoverable_error", c_int),
        ("recoverable_error", c_int),
        ("raw", c_uint8 * 4),
        ("time_ms", c_uint64),
    ]


_ffi.proto("kiosk_paper_state_name", c_char_p, c_int)
_ffi.proto("kiosk_tristate_name", c_char_p, c_int)
_ffi.proto("kiosk_printer_status_summary", c_char_p, POINTER(_CStatus))
_ffi.proto("kiosk_printer_open", c_int, c_void_p, c_char_p, c_char_p, POINTER(c_void_p))
_ffi.proto("kiosk_printer_close", None, c_void_p)
_ffi.proto("kiosk_printer_device", c_void_p, c_void_p)
_ffi.proto("kiosk_printer_get_profile_name", c_char_p, c_void_p)
_ffi.proto("kiosk_printer_get_status", c_int, c_void_p, c_int, POINTER(_CStatus))
_ffi.proto("kiosk_printer_get_last_status", c_int, c_void_p, POINTER(_CStatus))
_ffi.proto("kiosk_printer_submit", c_int, c_void_p, c_void_p, JOB_FN, c_void_p,
           POINTER(c_void_p))
_ffi.proto("kiosk_printer_set_paper_wait", c_int, c_void_p, c_int)
_ffi.proto("kiosk_printer_set_status_poll", c_int, c_void_p, c_int)
_ffi.proto("kiosk_printer_write_raw", c_int, c_void_p, c_char_p, c_size_t, c_int)

_PAPER = {0: "unknown", 1: "ok", 2: "near_end", 3: "out"}


def _tri(v: int) -> Optional[bool]:
    return {1: False, 2: True}.get(int(v))


@dataclass(frozen=True)
class PrinterStatus:
    """A printer status snapshot (DLE EOT 1–4).

    ``paper`` is ``"ok"``, ``"near_end"``, ``"out"`` or ``"unknown"``. The
    yes/no conditions are True/False, or None when the printer cannot sense
    them or did not answer — never guessed as fine.
    """

    paper: str
    cover_open: Optional[bool]
    online: Optional[bool]
    paper_stop: Optional[bool] = None
    error: Optional[bool] = None
    cutter_error: Optional[bool] = None
    unrecoverable_error: Optional[bool] = None
    recoverable_error: Optional[bool] = None
    raw: bytes = b"\0\0\0\0"   #: the DLE EOT 1..4 reply bytes (0 where none came)
    time: float = 0.0          #: when read (CLOCK_MONOTONIC seconds; 0 if never)
    summary: str = "unknown"   #: one word, most severe first: offline, cover_open, out, error, near_end, ok, unknown

    @property
    def ok(self) -> bool:
        """True only when the printer positively reports it can print."""
        return self.summary in ("ok", "near_end")

    def __repr__(self) -> str:
        return (f"PrinterStatus(paper={self.paper!r}, cover_open={self.cover_open!r}, "
                f"online={self.online!r}, summary={self.summary!r})")


def _status_from_c(sp: "int | _CStatus") -> PrinterStatus:
    st = sp if isinstance(sp, _CStatus) else _CStatus.from_address(int(sp))
    summary = _ffi.dec(_ffi.lib().kiosk_printer_status_summary(_ffi.byref(st)))
    return PrinterStatus(
        paper=_PAPER.get(int(st.paper), "unknown"),
        cover_open=_tri(st.cover_open),
        online=_tri(st.online),
        paper_stop=_tri(st.paper_stop),
        error=_tri(st.error),
        cutter_error=_tri(st.cutter_error),
        unrecoverable_error=_tri(st.unrecoverable_error),
        recoverable_error=_tri(st.recoverable_error),
        raw=bytes(st.raw),
        time=st.time_ms / 1000.0,
        summary=summary or "unknown",
    )


class Printer(Device):
    """An open ESC/POS receipt printer (``ctx.open_printer(uri, profile=None)``).

    URIs: ``tcp:HOST:9100``, ``serial:/dev/ttyUSB0?baud=115200``,
    ``usb:VVVV:PPPP``, ``file:/dev/usb/lp0``. Opening does not need the
    printer to answer.

    A print is a :class:`Job` that ends in exactly one completion: success
    means the printer took the whole receipt (confirmed by a status reply).
    A job stopped by paper-out or an open cover waits (``paper_wait``) and
    resumes where it stopped, or fails with :class:`PaperOut` /
    :class:`CoverOpen` — nothing is printed twice.
    """

    _kind = "printer"
    _base_fn = "kiosk_printer_device"

    @classmethod
    def _open(cls, ctx: "Context", uri: str, profile: Optional[str]) -> "Printer":
        L = _ffi.lib()
        out = c_void_p()
        check(L.kiosk_printer_open(ctx._p(), _ffi.enc(uri, "uri"), _ffi.enc(profile, "profile"),
                                   _ffi.byref(out)), ctx._err)
        return cls(ctx, _ffi.out(out), L.kiosk_printer_close)

    @property
    @op
    def profile(self) -> str:
        """The printer profile in use, e.g. ``"generic-80mm"``."""
        return _ffi.dec(_ffi.lib().kiosk_printer_get_profile_name(self._p()))

    @op
    def print_receipt(self, doc: Document) -> "Job[None]":
        """Starts printing `doc` (a :class:`Receipt`, a dict in the receipt JSON
        format, or JSON text) and returns its :class:`Job`.

        The document is encoded now; errors in it raise :class:`BadDocument`
        here (no job exists then). Printer trouble ends the job:
        ``job.wait(timeout=30)`` raises :class:`PaperOut`, :class:`CoverOpen`,
        :class:`Offline`, :class:`CutterError`, :class:`Timeout`, ...
        """
        p = self._p()
        key = new_key()
        out = c_void_p()
        with _c_receipt(doc) as r:
            check(_ffi.lib().kiosk_printer_submit(p, r, trampoline(), key, _ffi.byref(out)),
                  self._err)
        return Job(self._ctx, _ffi.out(out), key, owner=self)

    @op
    def print(self, doc: Document, timeout: float = 60.0) -> None:
        """Prints and waits up to `timeout` seconds. On timeout (or Ctrl-C, or
        close() from another thread) the job is cancelled — the printer may
        have printed part of it — and the exception is raised."""
        self._run_sync(self.print_receipt(doc), timeout)

    @op
    def status(self, timeout: float = 3.0) -> PrinterStatus:
        """Asks the printer for its status now (waits behind a running job).

        A printer that does not answer is not an error: its conditions come
        back as unknown (``paper="unknown"``, ``online=None``). Link failures
        raise (:class:`Closed`, :class:`NoDevice`, :class:`IoError`).
        """
        st = _CStatus(size=_ffi.ctypes.sizeof(_CStatus))
        rc = _ffi.lib().kiosk_printer_get_status(self._p(), _ffi.ms(timeout), _ffi.byref(st))
        if rc != Timeout.code:
            check(rc, self._err)
        return _status_from_c(st)

    @op
    def last_status(self) -> PrinterStatus:
        """The last status the device saw (no I/O)."""
        st = _CStatus(size=_ffi.ctypes.sizeof(_CStatus))
        check(_ffi.lib().kiosk_printer_get_last_status(self._p(), _ffi.byref(st)), self._err)
        return _status_from_c(st)

    @op
    def set_paper_wait(self, seconds: float) -> None:
        """How long a job waits for paper / a closed cover before failing (default 10 s)."""
        check(_ffi.lib().kiosk_printer_set_paper_wait(self._p(), _ffi.ms(seconds, "paper wait")),
              self._err)

    @op
    def set_status_poll(self, interval: Optional[float]) -> None:
        """Background status polling every `interval` seconds while idle (default
        2 s; 0 or None stops it); changes arrive as ``printer-status`` events."""
        ms = 0 if not interval else _ffi.ms(interval, "interval")
        check(_ffi.lib().kiosk_printer_set_status_poll(self._p(), ms), self._err)

    @op
    def write_raw(self, data: bytes, timeout: float = 10.0) -> None:
        """Sends vendor bytes as they are, in order with the jobs (no status check)."""
        b = bytes(data)
        check(_ffi.lib().kiosk_printer_write_raw(self._p(), b, len(b), _ffi.ms(timeout)),
              self._err)

    @op
    def preview(self, doc: Document) -> bytes:
        """`doc` rendered as a PNG for this printer's profile (no printing)."""
        return _render(doc, self._ctx, self.profile, png=True)[0]
