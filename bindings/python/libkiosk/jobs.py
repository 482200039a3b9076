# SPDX-License-Identifier: LGPL-2.1-or-later
"""Asynchronous operations (print jobs, background reads): :class:`Job`."""

from __future__ import annotations

import asyncio
import enum
import itertools
import threading
import time
import weakref
from typing import TYPE_CHECKING, Any, Callable, Generic, List, Optional, TypeVar

from . import _ffi
from ._ffi import c_int, c_uint64, c_void_p, c_char_p
from ._handle import ORDER_JOB, Handle, op
from .errors import InvalidState, KioskError, Timeout, make_error

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context

__all__ = ["Job", "JobState"]

_SLICE_MS = 200  # longest single blocking wait in C, so signals are seen

T = TypeVar("T")

JOB_FN = _ffi.ctypes.CFUNCTYPE(None, c_void_p, c_int, c_void_p)

_ffi.proto("kiosk_job_get_id", c_uint64, c_void_p)
_ffi.proto("kiosk_job_get_state", c_int, c_void_p)
_ffi.proto("kiosk_job_get_result", c_int, c_void_p)
_ffi.proto("kiosk_job_get_message", c_char_p, c_void_p)
_ffi.proto("kiosk_job_wait", c_int, c_void_p, c_int)
_ffi.proto("kiosk_job_cancel", c_int, c_void_p)
_ffi.proto("kiosk_job_unref", None, c_void_p)


class JobState(enum.IntEnum):
    """A job's state (``enum kiosk_job_state``)."""

    QUEUED = 0   #: accepted, not started
    RUNNING = 1  #: in progress
    WAITING = 2  #: paused waiting for recovery (paper, cover)
    DONE = 3     #: completed


# Completion callbacks: C gets one trampoline for every job, with a key as its
# user pointer. The key maps to the live Job (weakly unless something waits on
# it), so a Job dropped by the application is freed and its late callback is
# ignored; the trampoline itself lives as long as the module.
_keys = itertools.count(1)
_registry: "weakref.WeakValueDictionary[int, Job[Any]]" = weakref.WeakValueDictionary()
_pinned: dict = {}
_reg_lock = threading.RLock()  # re-entrant: a collected Job may be released under it


def _on_complete(job_ptr: int, result: int, user: int) -> None:
    try:
        key = int(user or 0)
        with _reg_lock:
            job = _registry.get(key)
        if job is not None:
            job._c_completed(result)
    except BaseException:  # never let an exception unwind into C
        pass


_TRAMPOLINE = JOB_FN(_on_complete)


def new_key() -> int:
    """A fresh user key for a job about to be submitted."""
    return next(_keys)


def trampoline() -> Any:
    """The C callback to pass when submitting a job."""
    return _TRAMPOLINE


class Job(Handle, Generic[T]):
    """A running operation that ends in exactly one completion.

    Wait for it blocking with :meth:`wait`, from asyncio with ``await job``,
    or register :meth:`add_done_callback` (run by the context's dispatch:
    :meth:`Context.dispatch`, :meth:`Context.events`, or the asyncio reader).
    A failed job raises the exception of its error code from :meth:`wait` /
    :meth:`result`, with the library's message (e.g. :class:`PaperOut`).
    """

    _kind = "job"

    def __init__(self, ctx: "Context", ptr: int, key: int, owner: Any = None,
                 take_result: Optional[Callable[[int], T]] = None) -> None:
        def release(p: int, key: int = key) -> None:
            with _reg_lock:
                _pinned.pop(key, None)
            _ffi.lib().kiosk_job_unref(p)

        super().__init__(ptr, release, ctx._children, ORDER_JOB)
        self._ctx = ctx
        self._owner = owner  # keeps the device open while the job lives
        self._key = key
        self._take = take_result
        self._value: Any = None
        self._taken = False
        self._callbacks: List[Callable[["Job[T]"], Any]] = []
        self._futures: List[Any] = []
        self._notified = False
        self.id: int = int(_ffi.lib().kiosk_job_get_id(ptr))  #: unique in its context, from 1
        with _reg_lock:
            _registry[key] = self

    def __repr__(self) -> str:
        if self.closed:
            return f"<libkiosk.Job id={self.id} closed>"
        return f"<libkiosk.Job id={self.id} {self.state.name.lower()}>"

    # ---- state ----------------------------------------------------------

    @property
    @op
    def state(self) -> JobState:
        """The job's state now (:class:`JobState`)."""
        return JobState(_ffi.lib().kiosk_job_get_state(self._q()))

    def done(self) -> bool:
        """True once the job completed (successfully or not)."""
        return self.state == JobState.DONE

    @property
    @op
    def message(self) -> str:
        """How the job ended ("" while it runs)."""
        return _ffi.dec(_ffi.lib().kiosk_job_get_message(self._q()))

    @op
    def exception(self) -> Optional[KioskError]:
        """The job's error as an exception, None on success.

        Raises :class:`InvalidState` while the job is still running.
        """
        p = self._q()
        L = _ffi.lib()
        if L.kiosk_job_get_state(p) != JobState.DONE:
            raise InvalidState(f"job {self.id} is still running", code=InvalidState.code)
        rc = int(L.kiosk_job_get_result(p))
        if rc >= 0:
            return None
        return make_error(rc, _ffi.dec(L.kiosk_job_get_message(p)))

    @op
    def result(self) -> T:
        """The job's value once done (None for print jobs); raises its error.

        Raises :class:`InvalidState` while the job is still running.
        """
        err = self.exception()
        if err is not None:
            raise err
        if self._take is not None and not self._taken:
            self._value = self._take(self._q())
            self._taken = True
        return self._value

    # ---- waiting --------------------------------------------------------

    @op
    def wait(self, timeout: Optional[float] = None) -> T:
        """Blocks until the job completes and returns its value.

        Waits in short slices, so Ctrl-C (KeyboardInterrupt) works while
        waiting; the job itself carries on unless you :meth:`cancel` it.

        Args:
            timeout: seconds to wait; None waits without limit.

        Raises:
            Timeout: the job is still running after `timeout` (it carries on:
                wait again or :meth:`cancel` it).
            KioskError: the job failed (the subclass of its error code).
        """
        p = self._q()
        L = _ffi.lib()
        _ffi.ms(timeout)  # validates
        deadline = None if timeout is None else time.monotonic() + timeout
        while L.kiosk_job_get_state(p) != JobState.DONE:
            step = _SLICE_MS
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Timeout(f"job {self.id} still running after {timeout:g} s",
                                  code=Timeout.code)
                step = max(1, min(step, int(left * 1000 + 0.999)))
            L.kiosk_job_wait(p, step)
        return self.result()

    @op
    def cancel(self) -> bool:
        """Asks the job to stop. True if asked, False if it had already completed.

        A job not yet complete then ends with :class:`Cancelled` (or its real
        result if it finished first).
        """
        rc = _ffi.lib().kiosk_job_cancel(self._q())
        return rc == 0

    def add_done_callback(self, fn: Callable[["Job[T]"], Any]) -> None:
        """Calls ``fn(job)`` once the job completes.

        The callback runs inside the context's dispatch (on the thread that
        calls :meth:`Context.dispatch`, iterates :meth:`Context.events`, or
        runs the asyncio loop attached by :meth:`Context.aevents` / ``await``).
        If the job has already completed and been dispatched, ``fn`` runs at
        the next dispatch. The job is kept alive until the callback ran.
        """
        self._p()
        with _reg_lock:
            self._callbacks.append(fn)
            _pinned[self._key] = self
            already = self._notified
        if already:
            self._ctx._queue_job_callbacks(self)

    def __await__(self):
        return self.wait_async().__await__()

    async def wait_async(self, timeout: Optional[float] = None) -> T:
        """Waits from asyncio (the context's fd is watched by the running loop)."""
        loop = asyncio.get_running_loop()
        if self.state != JobState.DONE:
            fut = loop.create_future()
            with _reg_lock:
                self._futures.append((loop, fut))
                _pinned[self._key] = self
                notified = self._notified
            if notified:
                fut.set_result(None)
            self._ctx._attach_loop(loop)
            try:
                if timeout is None:
                    await fut
                else:
                    try:
                        await asyncio.wait_for(fut, timeout)
                    except asyncio.TimeoutError:
                        raise Timeout(f"job {self.id} still running after {timeout} s",
                                      code=Timeout.code) from None
            finally:
                self._ctx._detach_loop(loop)
        return self.result()

    # ---- completion plumbing (called from the C trampoline) -------------

    def _c_completed(self, result: int) -> None:
        with _reg_lock:
            self._notified = True
            futs, self._futures = self._futures, []
        for loop, fut in futs:
            def _set(f=fut):
                if not f.done():
                    f.set_result(None)
            try:
                loop.call_soon_threadsafe(_set)
            except RuntimeError:  # loop closed
                pass
        self._ctx._queue_job_callbacks(self)

    def _run_callbacks(self) -> None:
        with _reg_lock:
            cbs, self._callbacks = self._callbacks, []
            if not self._futures:
                _pinned.pop(self._key, None)
        for i, fn in enumerate(cbs):
            try:
                fn(self)
            except BaseException:
                with _reg_lock:  # the rest run at the next dispatch
                    self._callbacks[:0] = cbs[i + 1:]
                    if self._callbacks:
                        _pinned[self._key] = self
                if self._callbacks:
                    self._ctx._queue_job_callbacks(self)
                raise
