# SPDX-License-Identifier: LGPL-2.1-or-later
"""libkiosk — the peripherals of a self-service kiosk from Python.

ID-card readers (SAM_V), ESC/POS receipt printers, QR/barcode scanners and
touchscreens behind one API, over the libkiosk C library (loaded with ctypes:
no compiler needed). Devices are opened by URI — ``serial:/dev/ttyUSB0``,
``usb:0400:c35a``, ``tcp:192.0.2.10:9100``, ``file:/dev/usb/lp0``,
``evdev:/dev/input/event5``.

Read an ID card::

    import libkiosk
    with libkiosk.Context() as ctx, ctx.open_idcard("serial:/dev/ttyUSB0") as reader:
        card = reader.read(timeout=10)      # -> IdCard (masked repr)
        print(card.name, card.id_number_valid)
        card.clear()                        # wipe what can be wiped

Print a receipt and check the printer::

    with ctx.open_printer("tcp:192.0.2.10:9100", profile="generic-80mm") as prn:
        doc = libkiosk.Receipt().text("受理回执", align="center", bold=True, size=2) \\
                                .qr("CASE-2024-000123").cut()
        prn.print_receipt(doc).wait(timeout=30)
        st = prn.status()                   # PrinterStatus(paper='ok', cover_open=False, online=True)
        png = doc.render_png(ctx)           # preview, PNG bytes

Scan a code: ``ctx.open_scanner("serial:/dev/ttyACM0").read(timeout=30)``.

Events (card inserted/removed, printer status, scans, touches) arrive as
:class:`Event` objects, blocking::

    reader.watch()
    for ev in ctx.events(timeout=60):
        print(ev.type, ev.card)

from asyncio (the context's fd is watched by the running loop)::

    async for ev in ctx.aevents():
        ...

or as callbacks, run while ``ctx.run()`` blocks or an asyncio loop is
attached (``ctx.attach_asyncio()``)::

    ctx.on("card-inserted", lambda ev: show(ev.card), device=reader)
    ctx.run(timeout=60)                     # ctx.stop() from a callback ends it

Jobs (prints, background reads) are waited on with ``job.wait(timeout=…)``,
``await job``, or ``job.add_done_callback(fn)``.

Errors raise subclasses of :class:`KioskError` named after the C codes —
:class:`Timeout` (also a builtin ``TimeoutError``), :class:`NoDevice`,
:class:`PaperOut`, :class:`CoverOpen`, :class:`ProtocolError`, ... — with the
library's message. Timeouts are in seconds (float). Handles are context
managers, are closed on garbage collection, and raise :class:`InvalidState`
when used after ``close()``.

The shared library is found through ``LIBKIOSK_LIBRARY`` (a file path), the
copy installed with the package by ``cmake --install``, or the dynamic
loader's normal search for ``libkiosk.so.0``.
"""

from __future__ import annotations

from ._ffi import LibraryNotFound
from .context import (Context, DiscoveredDevice, DriverInfo, LogLevel, drivers, library_path,
                      python_logging_handler, version)
from .device import Device, DeviceClass
from .errors import (AccessDenied, BadDocument, BadUri, Busy, Cancelled, CardError,
                     ChecksumError, Closed, CoverOpen, CutterError, DecoderError, IdCardError,
                     InvalidArgument, InvalidState, IoError, KioskError, NoCard, NoDevice,
                     NoMemory, NotFound, NotSupported, Offline, Overflow, PaperOut,
                     PrinterError, ProtocolError, SamError, Timeout, error_class)
from .events import Event, EventType
from .idcard import IdCard, IdCardReader, ReadFlags, decode_text_block
from .jobs import Job, JobState
from .printer import Printer, PrinterStatus
from .privacy import mask_address, mask_id_number, mask_name
from .receipt import Receipt, receipt_profiles
from .scanner import Scanner
from .touch import (Calibration, TouchPoint, Touchscreen, calibration_targets,
                    compute_calibration, rotation_matrix)

try:  # written at build/install time (the build backend, cmake --install)
    from ._version import __version__
except ImportError:  # imported from the source tree
    from ._srcversion import version_from_tree as _tree_version
    __version__ = _tree_version() or "0+unknown"

__all__ = [
    # context and library
    "Context", "LogLevel", "DriverInfo", "DiscoveredDevice", "drivers", "version",
    "library_path", "python_logging_handler", "LibraryNotFound",
    # devices
    "Device", "DeviceClass", "IdCardReader", "IdCard", "ReadFlags", "decode_text_block",
    "Printer", "PrinterStatus", "Receipt", "receipt_profiles", "Scanner",
    "Touchscreen", "TouchPoint", "Calibration", "compute_calibration", "calibration_targets",
    "rotation_matrix",
    # events and jobs
    "Event", "EventType", "Job", "JobState",
    # errors
    "KioskError", "IdCardError", "PrinterError", "InvalidArgument", "NoMemory", "IoError",
    "Timeout", "NoDevice", "Busy", "AccessDenied", "ProtocolError", "ChecksumError",
    "Cancelled", "Closed", "NotSupported", "BadUri", "NotFound", "BadDocument", "NoCard",
    "CardError", "SamError", "PaperOut", "CoverOpen", "Offline", "CutterError", "Overflow",
    "InvalidState", "DecoderError", "error_class",
    # personal data
    "mask_name", "mask_id_number", "mask_address",
]
