# SPDX-License-Identifier: LGPL-2.1-or-later
"""Device events: :class:`Event` and :class:`EventType`."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from . import _ffi
from ._ffi import c_char_p, c_int, c_size_t, c_uint64, c_void_p
from .errors import KioskError, make_error

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context
    from .device import Device
    from .idcard import IdCard
    from .printer import PrinterStatus
    from .touch import TouchPoint

__all__ = ["Event", "EventType"]

_ffi.proto("kiosk_event_type_name", c_char_p, c_int)
_ffi.proto("kiosk_context_next_event", c_void_p, c_void_p)
_ffi.proto("kiosk_event_free", None, c_void_p)
_ffi.proto("kiosk_event_get_type", c_int, c_void_p)
_ffi.proto("kiosk_event_get_time_ms", c_uint64, c_void_p)
_ffi.proto("kiosk_event_get_device", c_void_p, c_void_p)
_ffi.proto("kiosk_event_get_uri", c_char_p, c_void_p)
_ffi.proto("kiosk_event_get_idcard", c_void_p, c_void_p)
_ffi.proto("kiosk_event_get_printer_status", c_void_p, c_void_p)
_ffi.proto("kiosk_event_get_scan", c_void_p, c_void_p, _ffi.POINTER(c_size_t))
_ffi.proto("kiosk_event_get_touch", c_void_p, c_void_p)
_ffi.proto("kiosk_event_get_error", c_int, c_void_p)
_ffi.proto("kiosk_event_get_device_state", c_int, c_void_p, c_void_p)
_ffi.proto("kiosk_device_state_name", c_char_p, c_int)


class EventType(str, enum.Enum):
    """Event types; each value is the library's name, so ``ev.type == "scan"`` works."""

    DEVICE_ARRIVED = "device-arrived"  #: a known USB device was plugged in
    DEVICE_LEFT = "device-left"        #: an open device went away
    CARD_INSERTED = "card-inserted"    #: a card was placed and read (``ev.card``)
    CARD_REMOVED = "card-removed"      #: the card left the reader
    PRINTER_STATUS = "printer-status"  #: printer status changed (``ev.status``)
    SCAN = "scan"                      #: a whole code was scanned (``ev.code``)
    TOUCH_DOWN = "touch-down"          #: a finger touched (``ev.touch``)
    TOUCH_MOTION = "touch-motion"      #: a touching finger moved
    TOUCH_UP = "touch-up"              #: a finger lifted
    DEVICE_ERROR = "device-error"      #: a device reported an error (``ev.error``)
    DEVICE_STATE = "device-state"      #: online/offline/unknown changed (``ev.state``)
    UNKNOWN = "unknown"                #: a type newer than this binding

    def __str__(self) -> str:
        return self.value


_C_TYPES = {
    1: EventType.DEVICE_ARRIVED,
    2: EventType.DEVICE_LEFT,
    3: EventType.CARD_INSERTED,
    4: EventType.CARD_REMOVED,
    5: EventType.PRINTER_STATUS,
    6: EventType.SCAN,
    7: EventType.TOUCH_DOWN,
    8: EventType.TOUCH_MOTION,
    9: EventType.TOUCH_UP,
    10: EventType.DEVICE_ERROR,
    11: EventType.DEVICE_STATE,
}


@dataclass(repr=False)
class Event:
    """One device event, copied out of the library (valid after the device closes).

    Attributes:
        type: what happened (:class:`EventType`, compares equal to its name).
        time: CLOCK_MONOTONIC seconds (comparable with :func:`time.monotonic`).
        uri: the device URI the event concerns.
        device: the open :class:`Device` it came from (None for device-arrived,
            or when that Python object no longer exists).
        card: card-inserted: the :class:`IdCard` read (personal data: call
            ``ev.card.clear()`` when done).
        status: printer-status: the new :class:`PrinterStatus`.
        code: scan: the scanned text (UTF-8 decoded, invalid bytes replaced);
            ``data`` holds the raw bytes.
        touch: touch-*: the calibrated :class:`TouchPoint`.
        error: device-error / device-left / device-state (offline): the error
            as an exception, or None.
        state: device-state: the new state, ``"online"``, ``"offline"`` or
            ``"unknown"``.
    """

    type: EventType
    time: float
    uri: str
    device: Optional["Device"] = None
    card: Optional["IdCard"] = None
    status: Optional["PrinterStatus"] = None
    code: Optional[str] = None
    data: Optional[bytes] = None
    touch: Optional["TouchPoint"] = None
    error: Optional[KioskError] = None
    state: Optional[str] = None
    c_type: int = field(default=0)

    def __repr__(self) -> str:
        extra = ""
        if self.card is not None:
            extra = f" card={self.card!r}"
        elif self.status is not None:
            extra = f" status={self.status!r}"
        elif self.code is not None:
            extra = f" code={self.code!r}"
        elif self.touch is not None:
            extra = f" touch={self.touch!r}"
        elif self.state is not None:
            extra = f" state={self.state}"
        if self.error is not None:
            extra += f" error={type(self.error).__name__}({self.error})"
        return f"<libkiosk.Event {self.type.value} {self.uri}{extra}>"

    @classmethod
    def _from_c(cls, ctx: "Context", evp: int) -> "Event":
        L = _ffi.lib()
        ct = int(L.kiosk_event_get_type(evp))
        etype = _C_TYPES.get(ct, EventType.UNKNOWN)
        ev = cls(type=etype, time=L.kiosk_event_get_time_ms(evp) / 1000.0,
                 uri=_ffi.dec(L.kiosk_event_get_uri(evp)), c_type=ct)
        dev = L.kiosk_event_get_device(evp)
        if dev:
            ev.device = ctx._device_for(dev)
        if etype == EventType.CARD_INSERTED:
            cp = L.kiosk_event_get_idcard(evp)
            if cp:
                from .idcard import _card_from_c

                ev.card = _card_from_c(cp)
        elif etype == EventType.PRINTER_STATUS:
            sp = L.kiosk_event_get_printer_status(evp)
            if sp:
                from .printer import _status_from_c

                ev.status = _status_from_c(sp)
        elif etype == EventType.SCAN:
            n = c_size_t(0)
            p = L.kiosk_event_get_scan(evp, _ffi.byref(n))
            if p:
                ev.data = _ffi.ctypes.string_at(p, n.value)
                ev.code = ev.data.decode("utf-8", errors="replace")
        elif etype in (EventType.TOUCH_DOWN, EventType.TOUCH_MOTION, EventType.TOUCH_UP):
            tp = L.kiosk_event_get_touch(evp)
            if tp:
                from .touch import _point_from_c

                ev.touch = _point_from_c(tp)
        elif etype == EventType.DEVICE_STATE:
            ev.state = _ffi.dec(L.kiosk_device_state_name(L.kiosk_event_get_device_state(evp, None)))
        err = int(L.kiosk_event_get_error(evp))
        if err < 0:
            ev.error = make_error(err, f"{ev.uri}: {_ffi.dec(L.kiosk_strerror(err))}")
        return ev
