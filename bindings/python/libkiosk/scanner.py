# SPDX-License-Identifier: LGPL-2.1-or-later
"""QR/barcode scanners: :class:`Scanner`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from . import _ffi
from ._ffi import POINTER, c_bool, c_char_p, c_int, c_size_t, c_uint64, c_void_p
from ._handle import check, op
from .device import Device
from .jobs import JOB_FN, Job, new_key, trampoline

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context

__all__ = ["Scanner"]

_ffi.proto("kiosk_scanner_open", c_int, c_void_p, c_char_p, POINTER(c_void_p))
_ffi.proto("kiosk_scanner_close", None, c_void_p)
_ffi.proto("kiosk_scanner_device", c_void_p, c_void_p)
_ffi.proto("kiosk_scanner_read", c_int, c_void_p, c_int, POINTER(c_void_p), POINTER(c_size_t))
_ffi.proto("kiosk_scanner_read_async", c_int, c_void_p, c_int, JOB_FN, c_void_p,
           POINTER(c_void_p))
_ffi.proto("kiosk_job_take_scan", c_int, c_void_p, POINTER(c_void_p), POINTER(c_size_t))
_ffi.proto("kiosk_scanner_watch", c_int, c_void_p, c_bool)
_ffi.proto("kiosk_scanner_set_char_timeout", c_int, c_void_p, c_int)
_ffi.proto("kiosk_scanner_get_char_timeout", c_int, c_void_p)
_ffi.proto("kiosk_scanner_get_discarded", c_uint64, c_void_p)
_ffi.proto("kiosk_input_idle_ms", c_uint64, c_void_p)
_ffi.proto("kiosk_input_note_activity", None, c_void_p)


def _take_code(p: Optional[int], n: int) -> bytes:
    if not p:
        return b""
    try:
        return _ffi.ctypes.string_at(p, n)
    finally:
        _ffi.free(p)  # kiosk_free: wipes and frees


class Scanner(Device):
    """An open QR/barcode scanner (``ctx.open_scanner(uri)``).

    URIs: ``serial:PATH[?baud=9600&terminator=auto]`` (a serial scanner),
    ``evdev:/dev/input/eventN`` (a USB HID keyboard-wedge scanner, grabbed),
    ``usb:VVVV:PPPP``. A scan is always delivered whole: by :meth:`read`, a
    read job, or (while :meth:`watch`-ing) a ``scan`` event. A scan that
    nobody waits for is dropped, so a kiosk never acts on a stale code.

    Codes are raw bytes from the scanner; :meth:`read` decodes them with
    :attr:`encoding` (UTF-8 by default, invalid bytes replaced) and
    :meth:`read_bytes` returns them as they came.
    """

    _kind = "scanner"
    _base_fn = "kiosk_scanner_device"
    encoding: str = "utf-8"

    @classmethod
    def _open(cls, ctx: "Context", uri: str) -> "Scanner":
        L = _ffi.lib()
        out = c_void_p()
        check(L.kiosk_scanner_open(ctx._p(), _ffi.enc(uri, "uri"), _ffi.byref(out)), ctx._err)
        return cls(ctx, _ffi.out(out), L.kiosk_scanner_close)

    @op
    def read_bytes(self, timeout: Optional[float] = 30.0) -> bytes:
        """Waits up to `timeout` seconds (None: no limit) for one scan; returns its bytes.

        Raises :class:`Timeout` when none came, :class:`Busy` if another read
        is pending, :class:`NoDevice` / :class:`Closed` if the scanner went away.
        Ctrl-C or closing the scanner from another thread cancels the wait.
        """
        job = self._read_job(timeout, None)
        return self._run_sync(job, None if timeout is None else timeout + 30.0)

    def read(self, timeout: Optional[float] = 30.0) -> str:
        """Waits up to `timeout` seconds (None: no limit) for one scan; returns its text."""
        return self.read_bytes(timeout).decode(self.encoding, errors="replace")

    @op
    def read_async(self, timeout: Optional[float] = 30.0) -> "Job[str]":
        """Starts waiting for one scan in the background; the job's value is its text."""
        return self._read_job(timeout, self.encoding)

    def _read_job(self, timeout: Optional[float], encoding: Optional[str]) -> "Job[Any]":
        key = new_key()
        out = c_void_p()
        check(_ffi.lib().kiosk_scanner_read_async(self._p(), _ffi.ms(timeout), trampoline(), key,
                                                  _ffi.byref(out)), self._err)

        def take(job_ptr: int) -> Any:
            code, n = c_void_p(), c_size_t()
            check(_ffi.lib().kiosk_job_take_scan(job_ptr, _ffi.byref(code), _ffi.byref(n)),
                  "the job's code was already taken")
            raw = _take_code(code.value, n.value)
            return raw if encoding is None else raw.decode(encoding, errors="replace")

        return Job(self._ctx, _ffi.out(out), key, owner=self, take_result=take)

    @op
    def watch(self, enable: bool = True) -> None:
        """Posts every scan that no read waits for as a ``scan`` event (``ev.code``)."""
        check(_ffi.lib().kiosk_scanner_watch(self._p(), bool(enable)), self._err)

    @property
    @op
    def char_timeout(self) -> float:
        """Seconds after which a partial code is discarded (default 0.3)."""
        return _ffi.lib().kiosk_scanner_get_char_timeout(self._p()) / 1000.0

    @char_timeout.setter
    @op
    def char_timeout(self, seconds: float) -> None:
        check(_ffi.lib().kiosk_scanner_set_char_timeout(self._p(), _ffi.ms(seconds)), self._err)

    @property
    @op
    def discarded(self) -> int:
        """Partial or overlong codes discarded so far."""
        return int(_ffi.lib().kiosk_scanner_get_discarded(self._p()))
