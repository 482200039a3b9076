# SPDX-License-Identifier: LGPL-2.1-or-later
"""Touchscreens and their calibration: :class:`Touchscreen`, :class:`Calibration`.

Calibration follows libinput's matrix convention: six numbers
``(a, b, c, d, e, f)`` map normalised device coordinates (x, y) to normalised
screen coordinates ``x' = a·x + b·y + c``, ``y' = d·x + e·y + f``.

A 5-point calibration, by hand::

    targets = libkiosk.calibration_targets(1920, 1080)   # where to draw crosses
    raw = [...]                                           # ev.touch.raw_nx/raw_ny touched for each
    cal = libkiosk.compute_calibration(targets, raw, 1920, 1080)
    cal.save("/etc/kiosk/touch.cal")

or let :meth:`Touchscreen.calibrate` collect the touches from events.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, List, Optional, Sequence, Tuple, Union, cast

from . import _ffi
from ._ffi import POINTER, c_char_p, c_double, c_int, c_size_t, c_uint64, c_void_p
from ._handle import check, op
from .device import Device
from .errors import InvalidArgument, Timeout
from .events import Event, EventType

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context

__all__ = ["Calibration", "TouchPoint", "Touchscreen", "compute_calibration",
           "calibration_targets", "rotation_matrix"]

Matrix = Tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


class _CPoint(_ffi.ctypes.Structure):
    _fields_ = [("slot", c_int), ("x", c_double), ("y", c_double), ("nx", c_double),
                ("ny", c_double), ("raw_nx", c_double), ("raw_ny", c_double),
                ("time_ms", c_uint64)]


class _CCal(_ffi.ctypes.Structure):
    """struct kiosk_calibration; `size` tells the library how much of it we have."""
    _fields_ = [("size", _ffi.ctypes.c_size_t), ("matrix", c_double * 6), ("rotation", c_int), ("screen_w", c_int),
                ("screen_h", c_int), ("rms_px", c_double)]


M6 = c_double * 6

_ffi.proto("kiosk_calibration_rotation_matrix", c_int, c_int, M6)
_ffi.proto("kiosk_calibration_compose", None, M6, M6, M6)
_ffi.proto("kiosk_calibration_effective", None, POINTER(_CCal), M6)
_ffi.proto("kiosk_calibration_apply", None, M6, c_double, c_double, POINTER(c_double),
           POINTER(c_double))
_ffi.proto("kiosk_calibration_compute_n", c_int, c_void_p, c_void_p, c_size_t, c_int, c_int, M6,
           POINTER(c_double))
_ffi.proto("kiosk_calibration_targets", None, c_int, c_int, c_double, c_void_p)
_ffi.proto("kiosk_calibration_save", c_int, POINTER(_CCal), c_char_p)
_ffi.proto("kiosk_calibration_load", c_int, c_char_p, POINTER(_CCal))
_ffi.proto("kiosk_touch_open", c_int, c_void_p, c_char_p, POINTER(c_void_p))
_ffi.proto("kiosk_touch_new_virtual", c_int, c_void_p, POINTER(c_void_p))
_ffi.proto("kiosk_touch_close", None, c_void_p)
_ffi.proto("kiosk_touch_device", c_void_p, c_void_p)
_ffi.proto("kiosk_touch_set_screen_size", c_int, c_void_p, c_int, c_int)
_ffi.proto("kiosk_touch_set_calibration", c_int, c_void_p, POINTER(_CCal))
_ffi.proto("kiosk_touch_get_calibration", c_int, c_void_p, POINTER(_CCal))
_ffi.proto("kiosk_touch_set_filter", c_int, c_void_p, c_int, c_int)
_ffi.proto("kiosk_touch_feed", c_int, c_void_p, c_int, c_int, c_double, c_double, c_uint64)
_ffi.proto("kiosk_touch_get_filtered", c_uint64, c_void_p)


@dataclass(frozen=True)
class TouchPoint:
    """A calibrated touch point (from ``touch-*`` events)."""

    slot: int       #: finger slot (0 for single touch)
    x: float        #: screen pixels (0 if no screen size was set)
    y: float
    nx: float       #: normalised 0..1 across the screen
    ny: float
    raw_nx: float   #: uncalibrated device position, normalised (what calibration takes)
    raw_ny: float
    time: float     #: CLOCK_MONOTONIC seconds


def _point_from_c(tp: int) -> TouchPoint:
    p = _CPoint.from_address(int(tp))
    return TouchPoint(p.slot, p.x, p.y, p.nx, p.ny, p.raw_nx, p.raw_ny, p.time_ms / 1000.0)


def _m6(m: Sequence[float]) -> "_ffi.ctypes.Array[c_double]":
    vals = [float(v) for v in m]
    if len(vals) != 6:
        raise InvalidArgument("a calibration matrix has 6 numbers (a, b, c, d, e, f)", code=-1)
    return M6(*vals)


@dataclass(frozen=True)
class Calibration:
    """A touchscreen calibration (a value; ``struct kiosk_calibration``).

    Attributes:
        matrix: (a, b, c, d, e, f), normalised device → normalised screen.
        rotation: clockwise rotation of the image (0/90/180/270), applied after.
        screen_w, screen_h: the screen size it was made for (0 = unknown).
        rms_px: RMS error of the fit in pixels (0 if not from a fit).
    """

    matrix: Matrix = IDENTITY
    rotation: int = 0
    screen_w: int = 0
    screen_h: int = 0
    rms_px: float = 0.0

    @classmethod
    def identity(cls) -> "Calibration":
        """The default: identity matrix, no rotation."""
        c = _CCal(size=_ffi.ctypes.sizeof(_CCal))
        c.matrix[0] = c.matrix[4] = 1.0  # kiosk_calibration_identity() is inline in C
        return cls._from_c(c)

    @classmethod
    def _from_c(cls, c: _CCal) -> "Calibration":
        m = cast(Matrix, tuple(float(v) for v in c.matrix))
        return cls(m, int(c.rotation), int(c.screen_w), int(c.screen_h), float(c.rms_px))

    def _to_c(self) -> _CCal:
        c = _CCal(size=_ffi.ctypes.sizeof(_CCal))
        c.matrix = _m6(self.matrix)
        c.rotation, c.screen_w, c.screen_h = int(self.rotation), int(self.screen_w), int(
            self.screen_h)
        c.rms_px = float(self.rms_px)
        return c

    @property
    def effective_matrix(self) -> Matrix:
        """The matrix actually applied: rotation ∘ matrix."""
        out = M6()
        c = self._to_c()
        _ffi.lib().kiosk_calibration_effective(_ffi.byref(c), out)
        return tuple(out)  # type: ignore[return-value]

    def apply(self, x: float, y: float) -> Tuple[float, float]:
        """Maps a normalised device point to a normalised screen point."""
        ox, oy = c_double(), c_double()
        _ffi.lib().kiosk_calibration_apply(_m6(self.effective_matrix), float(x), float(y),
                                           _ffi.byref(ox), _ffi.byref(oy))
        return ox.value, oy.value

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Saves atomically (temporary file, fsync, rename) for :meth:`load`."""
        c = self._to_c()
        check(_ffi.lib().kiosk_calibration_save(_ffi.byref(c), _ffi.enc(os.fspath(path), "path")),
              f"cannot save the calibration to {os.fspath(path)}")

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> "Calibration":
        """Loads a file written by :meth:`save` (:class:`NotFound`, :class:`BadDocument`)."""
        c = _CCal(size=_ffi.ctypes.sizeof(_CCal))
        check(_ffi.lib().kiosk_calibration_load(_ffi.enc(os.fspath(path), "path"),
                                                _ffi.byref(c)),
              f"cannot load the calibration {os.fspath(path)}")
        return cls._from_c(c)


def rotation_matrix(degrees: int) -> Matrix:
    """The matrix of a clockwise rotation (0/90/180/270), libinput's values."""
    out = M6()
    check(_ffi.lib().kiosk_calibration_rotation_matrix(int(degrees), out),
          f"rotation must be 0, 90, 180 or 270, not {degrees!r}")
    return tuple(out)  # type: ignore[return-value]


def compose(outer: Sequence[float], inner: Sequence[float]) -> Matrix:
    """outer ∘ inner (apply `inner` first)."""
    out = M6()
    _ffi.lib().kiosk_calibration_compose(_m6(outer), _m6(inner), out)
    return tuple(out)  # type: ignore[return-value]


def calibration_targets(width: int, height: int, margin: float = 0.1) -> List[Tuple[float, float]]:
    """The five calibration targets in screen pixels: top-left, top-right,
    bottom-right, bottom-left (`margin` of the size in from the edges), centre."""
    out = (c_double * 10)()
    _ffi.lib().kiosk_calibration_targets(int(width), int(height), float(margin), out)
    return [(out[2 * i], out[2 * i + 1]) for i in range(5)]


def compute_calibration(screen: Sequence[Tuple[float, float]],
                        raw: Sequence[Tuple[float, float]], width: int, height: int
                        ) -> Calibration:
    """Least-squares fit (the tslib method) from n >= 3 point pairs.

    Args:
        screen: the targets in screen pixels (e.g. :func:`calibration_targets`).
        raw: the raw normalised device positions touched for them
            (``TouchPoint.raw_nx, raw_ny``).
        width, height: the screen size in pixels.

    Raises :class:`InvalidArgument` for fewer than 3 pairs, mismatched lists,
    non-finite values, or degenerate points (all on a line) that admit no fit.
    """
    n = len(screen)
    if n != len(raw):
        raise InvalidArgument(f"{n} screen points but {len(raw)} raw points", code=-1)
    s = (c_double * (2 * n))(*[float(v) for p in screen for v in p])
    r = (c_double * (2 * n))(*[float(v) for p in raw for v in p])
    if len(s) != 2 * n or len(r) != 2 * n:
        raise InvalidArgument("points are (x, y) pairs", code=-1)
    out, rms = M6(), c_double()
    check(_ffi.lib().kiosk_calibration_compute_n(s, r, n, int(width), int(height), out,
                                                 _ffi.byref(rms)),
          "no calibration fits these points (fewer than 3, non-finite, or all on one line)")
    return Calibration(tuple(out), 0, int(width), int(height), rms.value)  # type: ignore[arg-type]


class Touchscreen(Device):
    """A touchscreen (``ctx.open_touch("evdev:/dev/input/event5")``) or a virtual
    touch device fed by the application (``ctx.open_touch("virtual:touch")``,
    e.g. from a GUI toolkit's touch events). Touches arrive as ``touch-down``,
    ``touch-motion`` and ``touch-up`` events with a calibrated :class:`TouchPoint`.
    """

    _kind = "touchscreen"
    _base_fn = "kiosk_touch_device"

    @classmethod
    def _open(cls, ctx: "Context", uri: str, screen: Optional[Tuple[int, int]] = None,
              calibration: Optional[Calibration] = None) -> "Touchscreen":
        L = _ffi.lib()
        out = c_void_p()
        if uri in ("virtual", "virtual:touch"):
            check(L.kiosk_touch_new_virtual(ctx._p(), _ffi.byref(out)), ctx._err)
        else:
            check(L.kiosk_touch_open(ctx._p(), _ffi.enc(uri, "uri"), _ffi.byref(out)), ctx._err)
        t = cls(ctx, _ffi.out(out), L.kiosk_touch_close)
        try:
            if screen is not None:
                t.set_screen_size(*screen)
            if calibration is not None:
                t.calibration = calibration
        except BaseException:
            t.close()
            raise
        return t

    @op
    def set_screen_size(self, width: int, height: int) -> None:
        """The screen size in pixels used for :attr:`TouchPoint.x` / ``y``."""
        check(_ffi.lib().kiosk_touch_set_screen_size(self._p(), int(width), int(height)),
              self._err)

    @property
    @op
    def calibration(self) -> Calibration:
        """The calibration in use (assign a :class:`Calibration`, or None for identity)."""
        c = _CCal(size=_ffi.ctypes.sizeof(_CCal))
        check(_ffi.lib().kiosk_touch_get_calibration(self._p(), _ffi.byref(c)), self._err)
        return Calibration._from_c(c)

    @calibration.setter
    @op
    def calibration(self, cal: Optional[Calibration]) -> None:
        p = self._p()
        if cal is None:
            check(_ffi.lib().kiosk_touch_set_calibration(p, None), self._err)
        else:
            c = cal._to_c()
            check(_ffi.lib().kiosk_touch_set_calibration(p, _ffi.byref(c)), self._err)

    @op
    def set_filter(self, debounce: float = 0.0, min_press: float = 0.0) -> None:
        """Ghost-touch filtering: merge lift/touch bounces within `debounce`
        seconds; drop touches shorter than `min_press` seconds (0–10 each)."""
        check(_ffi.lib().kiosk_touch_set_filter(self._p(), _ffi.ms(debounce, "debounce"),
                                                _ffi.ms(min_press, "min_press")), self._err)

    @property
    @op
    def filtered(self) -> int:
        """Touches the ghost filter dropped so far."""
        return int(_ffi.lib().kiosk_touch_get_filtered(self._p()))

    @op
    def feed(self, kind: Union[EventType, str], x: float, y: float, slot: int = 0,
             time_ms: int = 0) -> None:
        """Feeds one raw touch (normalised 0..1 device position) to the device.

        `kind` is ``"touch-down"``, ``"touch-motion"`` or ``"touch-up"``. The
        calibrated event is posted to the context. Raises :class:`InvalidState`
        for a motion/up of a finger not down, or a down of one already down.
        """
        t = {EventType.TOUCH_DOWN: 7, EventType.TOUCH_MOTION: 8, EventType.TOUCH_UP: 9}.get(
            EventType(kind) if not isinstance(kind, EventType) else kind)
        if t is None:
            raise InvalidArgument("kind must be touch-down, touch-motion or touch-up", code=-1)
        check(_ffi.lib().kiosk_touch_feed(self._p(), t, int(slot), float(x), float(y),
                                          int(time_ms)), self._err)

    def tap(self, x: float, y: float, slot: int = 0) -> None:
        """Feeds a touch-down and a touch-up at one raw normalised position."""
        self.feed(EventType.TOUCH_DOWN, x, y, slot)
        self.feed(EventType.TOUCH_UP, x, y, slot)

    @op
    def calibrate(self, width: int, height: int, *,
                  on_target: Optional[Callable[[int, Tuple[float, float]], None]] = None,
                  timeout: float = 60.0, margin: float = 0.1, apply: bool = True
                  ) -> Calibration:
        """Runs an interactive 5-point calibration from this device's touches.

        For each of :func:`calibration_targets` in turn, calls
        ``on_target(index, (x, y))`` (draw a cross there), then waits up to
        `timeout` seconds for a touch of this device to lift and takes its raw
        position. Events of other devices seen meanwhile stay queued for
        :meth:`Context.events`. Returns the fitted :class:`Calibration` and,
        with `apply`, makes it this device's calibration (save it yourself
        with :meth:`Calibration.save`).
        """
        ctx = self._ctx
        targets = calibration_targets(width, height, margin)
        raw: List[Tuple[float, float]] = []
        others: List[Event] = []
        try:
            for i, tgt in enumerate(targets):
                if on_target is not None:
                    on_target(i, tgt)
                deadline = time.monotonic() + timeout
                while True:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise Timeout(f"no touch for calibration target {i + 1} of 5 "
                                      f"within {timeout:g} s", code=Timeout.code)
                    ev = ctx.next_event(left)
                    if ev.device is self and ev.type == EventType.TOUCH_UP and ev.touch:
                        raw.append((ev.touch.raw_nx, ev.touch.raw_ny))
                        break
                    if ev.device is not self:
                        others.append(ev)
        finally:
            ctx._requeue(others)
        cal = compute_calibration(targets, raw, width, height)
        if apply:
            self.calibration = cal
        return cal
