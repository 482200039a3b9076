# SPDX-License-Identifier: LGPL-2.1-or-later
"""What every open device has in common: :class:`Device`."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, Callable, Optional

from . import _ffi
from ._ffi import c_char_p, c_int, c_void_p
from ._handle import ORDER_DEVICE, Handle, op
from .errors import make_error

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context

__all__ = ["Device", "DeviceClass"]

_ffi.proto("kiosk_device_class_name", c_char_p, c_int)
_ffi.proto("kiosk_device_get_class", c_int, c_void_p)
_ffi.proto("kiosk_device_get_uri", c_char_p, c_void_p)
_ffi.proto("kiosk_device_get_driver", c_char_p, c_void_p)
_ffi.proto("kiosk_device_last_error", c_char_p, c_void_p)
_ffi.proto("kiosk_device_get_state", c_int, c_void_p)
_ffi.proto("kiosk_device_state_name", c_char_p, c_int)
_ffi.proto("kiosk_device_reconnect", c_int, c_void_p)


class DeviceClass(str, enum.Enum):
    """Device families (``enum kiosk_device_class``); values are the C names."""

    IDCARD = "idcard"
    PRINTER = "printer"
    SCANNER = "scanner"
    TOUCH = "touch"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def _from_c(cls, v: int) -> "DeviceClass":
        return {1: cls.IDCARD, 2: cls.PRINTER, 3: cls.SCANNER, 4: cls.TOUCH}[int(v)]


class Device(Handle):
    """An open device. Use the family classes (:class:`IdCardReader`,
    :class:`Printer`, :class:`Scanner`, :class:`Touchscreen`); they are context
    managers and close on garbage collection.
    """

    _kind = "device"
    _base_fn = ""  # C function returning the kiosk_device* of the family handle

    def __init__(self, ctx: "Context", ptr: int, close_fn: Callable[[int], None]) -> None:
        super().__init__(ptr, close_fn, ctx._children, ORDER_DEVICE)
        self._ctx = ctx
        base = getattr(_ffi.lib(), self._base_fn)(ptr) if self._base_fn else ptr
        self._base: int = int(base or ptr)
        ctx._register_device(self._base, self)
        self._uri = _ffi.dec(_ffi.lib().kiosk_device_get_uri(self._base))
        self._driver = _ffi.dec(_ffi.lib().kiosk_device_get_driver(self._base))

    def _run_sync(self, job: Any, limit: Optional[float]) -> Any:
        """Waits for a job started by a blocking call and returns its value.

        The C job bounds itself by the call's timeout; `limit` (seconds, None
        for none) only guards against a job that never ends. If the wait is
        interrupted (Ctrl-C, the device closed from another thread) the job is
        cancelled, so nothing keeps running behind the caller's back.
        """
        try:
            with self._waiting_on(job):
                return job.wait(limit)
        except BaseException:
            try:
                if not job.done():
                    job.cancel()
            except Exception:
                pass
            raise
        finally:
            job.close()

    def _b(self) -> int:
        """The kiosk_device* (after checking the handle is open)."""
        self._p()
        return self._base

    def close(self) -> None:
        """Closes the device (its pending jobs end, its queued events are dropped).

        Safe to call more than once; later calls on the object raise
        :class:`InvalidState`.
        """
        cell = self._cell
        if cell is not None and cell.ptr is not None:
            ctx = getattr(self, "_ctx", None)
            if ctx is not None:
                ctx._unregister_device(self._base)
        super().close()

    @property
    def uri(self) -> str:
        """The URI the device was opened with, canonical form."""
        return self._uri

    @property
    def driver(self) -> str:
        """The id of the driver that runs it (e.g. ``"samv"``, ``"escpos"``)."""
        return self._driver

    @property
    @op
    def device_class(self) -> DeviceClass:
        """The device's family."""
        return DeviceClass._from_c(_ffi.lib().kiosk_device_get_class(self._b()))

    @property
    @op
    def last_error(self) -> str:
        """The message of the device's last failure ("" if none)."""
        return _ffi.dec(_ffi.lib().kiosk_device_last_error(self._b()))

    @property
    @op
    def state(self) -> str:
        """``"online"``, ``"offline"`` (link lost or silent; the library
        re-opens it in the background) or ``"unknown"`` (a device-state event
        follows every change)."""
        L = _ffi.lib()
        return _ffi.dec(L.kiosk_device_state_name(L.kiosk_device_get_state(self._b())))

    @op
    def reconnect(self) -> None:
        """Drops the link and re-opens it now, in the background (between jobs)."""
        r = _ffi.lib().kiosk_device_reconnect(self._b())
        if r < 0:
            raise make_error(r, self._err())

    @property
    def context(self) -> "Context":
        """The :class:`Context` the device belongs to."""
        return self._ctx

    def _err(self) -> str:
        try:
            return self.last_error
        except Exception:
            return ""

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"driver={self._driver}"
        return f"<libkiosk.{type(self).__name__} {self._uri} {state}>"
