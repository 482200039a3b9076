# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared plumbing for objects that own a C handle.

A handle's pointer lives in a small :class:`_Cell` that the owning
:class:`~libkiosk.Context` also holds. Closing the context closes every cell
still open (devices first, then jobs) before the C context is freed, whatever
order the garbage collector finalises the Python objects in; a cell knows
nothing of its Python object, so tracking it never keeps a device alive.

Calls that use the pointer run between :meth:`_Cell.enter` and
:meth:`_Cell.leave` (the :func:`op` decorator). :meth:`_Cell.close` refuses
new calls at once, cancels the jobs that blocking calls are waiting on, waits
for the calls in flight on other threads to return, and only then frees the
C handle — so closing a device from another thread never frees memory a call
is still using. Closing from inside one of the handle's own calls (e.g. from
a callback) is deferred until that call returns.
"""

from __future__ import annotations

import functools
import threading
from typing import Any, Callable, Dict, Optional, Set, TypeVar

from . import _ffi
from .errors import InvalidState, make_error

F = TypeVar("F", bound=Callable[..., Any])


class _Cell:
    __slots__ = ("ptr", "release", "lock", "cond", "registry", "order", "kind", "busy",
                 "owners", "closing", "pending_close", "waiting_jobs", "__weakref__")

    def __init__(self, ptr: int, release: Callable[[int], None], order: int,
                 kind: str = "handle") -> None:
        self.ptr: Optional[int] = ptr
        self.release = release
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        self.registry: Optional[Dict[int, "_Cell"]] = None
        self.order = order
        self.kind = kind
        self.busy = 0
        self.owners: Dict[int, int] = {}
        self.closing = False
        self.pending_close = False
        self.waiting_jobs: Set[Any] = set()

    def _closed_error(self) -> InvalidState:
        return InvalidState(f"the {self.kind} is closed", code=InvalidState.code)

    def enter(self) -> int:
        """Marks a call in flight; returns the pointer (InvalidState if closed)."""
        with self.lock:
            if self.ptr is None or self.closing:
                raise self._closed_error()
            tid = threading.get_ident()
            self.owners[tid] = self.owners.get(tid, 0) + 1
            self.busy += 1
            return self.ptr

    def leave(self) -> None:
        do_close = False
        with self.lock:
            tid = threading.get_ident()
            n = self.owners.get(tid, 0) - 1
            if n > 0:
                self.owners[tid] = n
            else:
                self.owners.pop(tid, None)
            self.busy -= 1
            if self.busy == 0:
                self.cond.notify_all()
            if self.pending_close and tid not in self.owners:
                self.pending_close = False
                do_close = True
        if do_close:
            self._finish_close()

    def close(self) -> None:
        with self.lock:
            if self.ptr is None:
                return
            self.closing = True
            if threading.get_ident() in self.owners:
                self.pending_close = True  # inside our own call: finish when it returns
                jobs = list(self.waiting_jobs)
            else:
                jobs = None
        if jobs is not None:
            _cancel_all(jobs)
            return
        self._finish_close()

    def _finish_close(self) -> None:
        with self.lock:
            jobs = list(self.waiting_jobs)
        _cancel_all(jobs)
        with self.lock:
            while self.busy > 0 and not (set(self.owners) == {threading.get_ident()}):
                self.cond.wait(0.25)
                if self.busy > 0:  # a call may wait on a job started since
                    _cancel_all(list(self.waiting_jobs))
            ptr, self.ptr = self.ptr, None
        if ptr is None:
            return
        reg = self.registry
        if reg is not None:
            reg.pop(id(self), None)
        self.release(ptr)


def _cancel_all(jobs: Any) -> None:
    for j in jobs:
        try:
            j.cancel()
        except Exception:
            pass


# order in which a context closes what it owns
ORDER_DEVICE = 0
ORDER_JOB = 1
ORDER_OTHER = 2


def op(fn: F) -> F:
    """Runs a method as a call in flight on the object's handle (see module doc)."""

    @functools.wraps(fn)
    def wrapper(self: "Handle", *args: Any, **kwargs: Any) -> Any:
        cell = self._cell
        if cell is None:
            raise InvalidState(f"the {self._kind} is closed", code=InvalidState.code)
        cell.enter()
        try:
            return fn(self, *args, **kwargs)
        finally:
            cell.leave()

    return wrapper  # type: ignore[return-value]


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
        cell = _Cell(ptr, release, order, self._kind)
        if registry is not None:
            cell.registry = registry
            registry[id(cell)] = cell
        self._cell = cell

    @property
    def closed(self) -> bool:
        """True once the handle was closed (by :meth:`close` or its context)."""
        cell = self._cell
        return cell is None or cell.ptr is None or cell.closing

    def _p(self) -> int:
        cell = self._cell
        if cell is None or cell.ptr is None or cell.closing:
            raise InvalidState(f"the {self._kind} is closed", code=InvalidState.code)
        return cell.ptr

    def _q(self) -> int:
        """The pointer inside an :func:`op` call (valid until the call returns)."""
        cell = self._cell
        p = cell.ptr if cell is not None else None
        if p is None:
            raise InvalidState(f"the {self._kind} is closed", code=InvalidState.code)
        return p

    def _waiting_on(self, job: Any) -> "_JobWait":
        """``with self._waiting_on(job):`` — close() cancels `job` while we wait on it."""
        return _JobWait(self._cell, job)

    def close(self) -> None:
        """Releases the C handle. Safe to call more than once, and from any thread."""
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


class _JobWait:
    def __init__(self, cell: Optional[_Cell], job: Any) -> None:
        self.cell, self.job = cell, job

    def __enter__(self) -> Any:
        if self.cell is not None:
            with self.cell.lock:
                self.cell.waiting_jobs.add(self.job)
                closing = self.cell.closing
            if closing:
                _cancel_all([self.job])
        return self.job

    def __exit__(self, *exc: Any) -> None:
        if self.cell is not None:
            with self.cell.lock:
                self.cell.waiting_jobs.discard(self.job)


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
