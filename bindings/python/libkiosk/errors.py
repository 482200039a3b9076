# SPDX-License-Identifier: LGPL-2.1-or-later
"""Exceptions: one class per libkiosk error code.

Every failing C call raises a subclass of :class:`KioskError` named after its
code (``KIOSK_E_PAPER_OUT`` -> :class:`PaperOut`), carrying the library's
message for the handle that failed. Where a builtin exception means the same
thing the class also derives from it, so ordinary Python code keeps working::

    try:
        card = reader.read(timeout=10)
    except libkiosk.Timeout:          # also a builtin TimeoutError
        ...
    except libkiosk.KioskError as e:
        print(e.error_name, e)        # KIOSK_E_CARD  card failed to authenticate

=====================  ===================  =======================
C code                 class                also derives from
=====================  ===================  =======================
KIOSK_E_INVALID_ARG    InvalidArgument      ValueError
KIOSK_E_NO_MEMORY      NoMemory             MemoryError
KIOSK_E_IO             IoError              OSError
KIOSK_E_TIMEOUT        Timeout              TimeoutError
KIOSK_E_NO_DEVICE      NoDevice
KIOSK_E_BUSY           Busy
KIOSK_E_ACCESS         AccessDenied         PermissionError
KIOSK_E_PROTOCOL       ProtocolError
KIOSK_E_CHECKSUM       ChecksumError        (ProtocolError)
KIOSK_E_CANCELLED      Cancelled
KIOSK_E_CLOSED         Closed               ConnectionError
KIOSK_E_NOT_SUPPORTED  NotSupported
KIOSK_E_BAD_URI        BadUri               ValueError
KIOSK_E_NOT_FOUND      NotFound             LookupError
KIOSK_E_BAD_DOCUMENT   BadDocument          ValueError
KIOSK_E_NO_CARD        NoCard               (IdCardError)
KIOSK_E_CARD           CardError            (IdCardError)
KIOSK_E_SAM            SamError             (IdCardError)
KIOSK_E_PAPER_OUT      PaperOut             (PrinterError)
KIOSK_E_COVER_OPEN     CoverOpen            (PrinterError)
KIOSK_E_OFFLINE        Offline              (PrinterError)
KIOSK_E_CUTTER         CutterError          (PrinterError)
KIOSK_E_OVERFLOW       Overflow             ValueError
KIOSK_E_STATE          InvalidState
KIOSK_E_DECODER        DecoderError
=====================  ===================  =======================

Using a handle after ``close()`` raises :class:`InvalidState`. A code this
module does not know (a newer library) raises a class created on the fly
from ``kiosk_error_name()``, still a :class:`KioskError`.
"""

from __future__ import annotations

from typing import Dict, Optional, Type

__all__ = [
    "KioskError",
    "IdCardError",
    "PrinterError",
    "InvalidArgument",
    "NoMemory",
    "IoError",
    "Timeout",
    "NoDevice",
    "Busy",
    "AccessDenied",
    "ProtocolError",
    "ChecksumError",
    "Cancelled",
    "Closed",
    "NotSupported",
    "BadUri",
    "NotFound",
    "BadDocument",
    "NoCard",
    "CardError",
    "SamError",
    "PaperOut",
    "CoverOpen",
    "Offline",
    "CutterError",
    "Overflow",
    "InvalidState",
    "DecoderError",
    "error_class",
]


class KioskError(Exception):
    """Base class of every libkiosk error.

    Attributes:
        code: the negative C error code (e.g. -4).
        error_name: the C name of the code (e.g. ``"KIOSK_E_TIMEOUT"``).
        message: the library's message (also ``str(exc)``).
    """

    code: int = 0
    error_name: str = "KIOSK_E_UNKNOWN"

    def __init__(self, message: str = "", code: Optional[int] = None) -> None:
        if code is not None:
            self.code = code
        if not message:
            message = _default_message(self.code)
        self.message = message
        Exception.__init__(self, message)

    def __reduce__(self):  # picklable despite the keyword-only state
        return (type(self), (self.message, self.code))


class IdCardError(KioskError):
    """Base class of the ID-card reader errors (no card, card, SAM)."""


class PrinterError(KioskError):
    """Base class of the printer condition errors (paper, cover, offline, cutter)."""


def _cls(name: str, c_name: str, code: int, bases: tuple, doc: str) -> type:
    return type(name, bases, {"code": code, "error_name": c_name, "__doc__": doc,
                              "__module__": "libkiosk"})


class InvalidArgument(KioskError, ValueError):
    """KIOSK_E_INVALID_ARG: an argument is missing, out of range or malformed."""
    code = -1
    error_name = "KIOSK_E_INVALID_ARG"


class NoMemory(KioskError, MemoryError):
    """KIOSK_E_NO_MEMORY: the library could not allocate memory."""
    code = -2
    error_name = "KIOSK_E_NO_MEMORY"


class IoError(KioskError, OSError):
    """KIOSK_E_IO: input/output error on the transport."""
    code = -3
    error_name = "KIOSK_E_IO"


class Timeout(KioskError, TimeoutError):
    """KIOSK_E_TIMEOUT: the operation did not finish in time (a builtin TimeoutError)."""
    code = -4
    error_name = "KIOSK_E_TIMEOUT"


class NoDevice(KioskError):
    """KIOSK_E_NO_DEVICE: no such device, or it was unplugged."""
    code = -5
    error_name = "KIOSK_E_NO_DEVICE"


class Busy(KioskError):
    """KIOSK_E_BUSY: the device is in use by another operation or process."""
    code = -6
    error_name = "KIOSK_E_BUSY"


class AccessDenied(KioskError, PermissionError):
    """KIOSK_E_ACCESS: permission denied (check the udev rules / kiosk group)."""
    code = -7
    error_name = "KIOSK_E_ACCESS"


class ProtocolError(KioskError):
    """KIOSK_E_PROTOCOL: the device sent something its protocol does not allow."""
    code = -8
    error_name = "KIOSK_E_PROTOCOL"


class ChecksumError(ProtocolError):
    """KIOSK_E_CHECKSUM: a frame failed its checksum (after bounded retries)."""
    code = -9
    error_name = "KIOSK_E_CHECKSUM"


class Cancelled(KioskError):
    """KIOSK_E_CANCELLED: the operation was cancelled."""
    code = -10
    error_name = "KIOSK_E_CANCELLED"


class Closed(KioskError, ConnectionError):
    """KIOSK_E_CLOSED: the peer closed the connection."""
    code = -11
    error_name = "KIOSK_E_CLOSED"


class NotSupported(KioskError):
    """KIOSK_E_NOT_SUPPORTED: the device, driver or this library build cannot do this."""
    code = -12
    error_name = "KIOSK_E_NOT_SUPPORTED"


class BadUri(KioskError, ValueError):
    """KIOSK_E_BAD_URI: a device URI is malformed."""
    code = -13
    error_name = "KIOSK_E_BAD_URI"


class NotFound(KioskError, LookupError):
    """KIOSK_E_NOT_FOUND: no driver, profile, file or item of that name."""
    code = -14
    error_name = "KIOSK_E_NOT_FOUND"


class BadDocument(KioskError, ValueError):
    """KIOSK_E_BAD_DOCUMENT: a receipt/JSON document is malformed."""
    code = -15
    error_name = "KIOSK_E_BAD_DOCUMENT"


class NoCard(IdCardError):
    """KIOSK_E_NO_CARD: no ID card on the reader."""
    code = -16
    error_name = "KIOSK_E_NO_CARD"


class CardError(IdCardError):
    """KIOSK_E_CARD: the card could not be selected, read or authenticated."""
    code = -17
    error_name = "KIOSK_E_CARD"


class SamError(IdCardError):
    """KIOSK_E_SAM: the reader's security module failed or is not authorised."""
    code = -18
    error_name = "KIOSK_E_SAM"


class PaperOut(PrinterError):
    """KIOSK_E_PAPER_OUT: the printer is out of paper."""
    code = -19
    error_name = "KIOSK_E_PAPER_OUT"


class CoverOpen(PrinterError):
    """KIOSK_E_COVER_OPEN: the printer cover is open."""
    code = -20
    error_name = "KIOSK_E_COVER_OPEN"


class Offline(PrinterError):
    """KIOSK_E_OFFLINE: the printer is offline or in an error state."""
    code = -21
    error_name = "KIOSK_E_OFFLINE"


class CutterError(PrinterError):
    """KIOSK_E_CUTTER: the auto-cutter failed."""
    code = -22
    error_name = "KIOSK_E_CUTTER"


class Overflow(KioskError, ValueError):
    """KIOSK_E_OVERFLOW: data too large for a buffer or a protocol field."""
    code = -23
    error_name = "KIOSK_E_OVERFLOW"


class InvalidState(KioskError):
    """KIOSK_E_STATE: not valid in the handle's current state (e.g. used after close())."""
    code = -24
    error_name = "KIOSK_E_STATE"


class DecoderError(KioskError):
    """KIOSK_E_DECODER: an external decoder (e.g. the WLT photo library) is missing or failed."""
    code = -25
    error_name = "KIOSK_E_DECODER"


for _c in [KioskError, IdCardError, PrinterError]:
    _c.__module__ = "libkiosk"

_BY_CODE: Dict[int, Type[KioskError]] = {}
for _c in list(globals().values()):
    if isinstance(_c, type) and issubclass(_c, KioskError) and _c.code < 0:
        _c.__module__ = "libkiosk"
        _BY_CODE[_c.code] = _c
del _c
_STATIC: Dict[int, Type[KioskError]] = dict(_BY_CODE)


def _camel(c_name: str) -> str:
    base = c_name[len("KIOSK_E_"):] if c_name.startswith("KIOSK_E_") else c_name
    return "".join(p.capitalize() for p in base.lower().split("_") if p) or "Unknown"


def _default_message(code: int) -> str:
    try:
        from . import _ffi

        return _ffi.dec(_ffi.lib().kiosk_strerror(code))
    except Exception:
        return f"libkiosk error {code}"


def error_class(code: int) -> Type[KioskError]:
    """The exception class for a C error code (a new subclass for codes this
    module does not know, named after ``kiosk_error_name()``)."""
    cls = _BY_CODE.get(code)
    if cls is not None:
        return cls
    c_name = f"KIOSK_E_{-code}"
    try:
        from . import _ffi

        c_name = _ffi.dec(_ffi.lib().kiosk_error_name(code)) or c_name
    except Exception:
        pass
    if c_name == "KIOSK_E_UNKNOWN":
        return KioskError  # not a code of this library: the base class, code on the instance
    cls = _cls(_camel(c_name), c_name, code, (KioskError,),
               f"{c_name}: a code newer than this binding (see kiosk_strerror).")
    _BY_CODE[code] = cls
    return cls


def make_error(code: int, message: str = "") -> KioskError:
    """An exception instance for `code` with `message` (library text if empty)."""
    cls = error_class(code)
    return cls(message, code=code)


def known_codes() -> Dict[int, Type[KioskError]]:
    """Codes with a class defined statically in this module."""
    return dict(_STATIC)
