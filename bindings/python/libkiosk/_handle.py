"""Shared plumbing for objects that own a C handle.

A handle's pointer lives in a small :class:`_Cell` that the owning
:class:`~libkiosk.Context` also holds. Closing the context closes every cell
still open (devices first, then jobs) before the C context is freed, whatever
order the garbage collector finalises the Python objects in; a cell knows
nothing of its Python object, so tracking it never keeps a device alive.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, Optional

from . import _ffi
from .errors import InvalidState, make_error


class _Cell:
    __slots__ = ("ptr", "release", "lock", "registry", "order", "__weakref__")

    def __init__(self, ptr: int, release: Callable[[int], None], order: int) -> None:
        self.ptr: Optional[int] = ptr
        self.release = release
        self.lock = threading.Lock()
        self.registry: Optional[Dict[int, "_Cell"]] = None
        self.order = order

    def close(self) -> None:
        with self.lock:
            ptr, self.ptr = self.ptr, None
        if ptr is None:
            return
        reg = self.registry
        if reg is not None:
            reg.pop(id(self), None)
        self.release(ptr)


# order in which a context closes what it owns
ORDER_DEVICE = 0
ORDER_JOB = 1
ORDER_OTHER = 2


class Handle:
    """Owns one C pointer; closed explicitly, by ``with``, or on garbage collection.

    Using the object after :meth:`close` raises :class:`libkiosk.InvalidState`
    instead of touching freed memory.
    """

    _kind = "handle"
    _cell: Optional[_Cell] = None

    def __init__(self, ptr: int, release: Callable[[int], None],
                 registry: Optional[Dict[int, _Cell]] = None,
                 order: int = ORDER_OTHER) -> None:
        cell = _Cell(ptr, release, order)
        if registry is not None:
            cell.registry = registry
            registry[id(cell)] = cell
        self._cell = cell

    @property
    def closed(self) -> bool:
        """True once the handle was closed (by :meth:`close` or its context)."""
        cell = self._cell
        return cell is None or cell.ptr is None

    def _p(self) -> int:
        cell = self._cell
        p = cell.ptr if cell is not None else None
        if p is None:
            raise InvalidState(f"the {self._kind} is closed", code=InvalidState.code)
        return p

    def close(self) -> None:
        """Releases the C handle. Safe to call more than once."""
        cell = self._cell
        if cell is not None:
            cell.close()

    def __enter__(self):
        self._p()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


def check(rc: int, message: Any = None) -> int:
    """Raises the exception for a negative `rc`; returns `rc` otherwise.

    `message` is a str, or a callable returning the handle's last error
    (called only on failure).
    """
    if rc >= 0:
        return rc
    if callable(message):
        try:
            message = message()
        except Exception:
            message = ""
    raise make_error(rc, message or "")


def cstr(b: Optional[bytes]) -> str:
    return _ffi.dec(b)
