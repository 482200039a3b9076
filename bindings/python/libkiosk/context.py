# SPDX-License-Identifier: LGPL-2.1-or-later
"""The library context: devices, logging, events and event-loop integration."""

from __future__ import annotations

import asyncio
import atexit
import collections
import enum
import logging
import os
import select
import threading
import time
import weakref
from dataclasses import dataclass
from typing import (TYPE_CHECKING, Any, AsyncGenerator, Callable, Deque, Dict, Iterable,
                    Iterator, List, Optional, Tuple, Union)

from . import _ffi
from ._ffi import c_char_p, c_int, c_size_t, c_void_p
from ._handle import _Cell, check
from .device import Device, DeviceClass
from .errors import Timeout
from .events import Event, EventType

if TYPE_CHECKING:  # pragma: no cover
    from .idcard import IdCardReader
    from .jobs import Job
    from .printer import Printer
    from .scanner import Scanner
    from .touch import Calibration, Touchscreen

__all__ = ["Context", "LogLevel", "DriverInfo", "DiscoveredDevice", "version", "drivers"]

LOG_FN = _ffi.ctypes.CFUNCTYPE(None, c_void_p, c_int, c_char_p, c_char_p, c_void_p)
DISCOVER_FN = _ffi.ctypes.CFUNCTYPE(None, c_char_p, c_int, c_char_p, c_char_p, c_void_p)

_ffi.proto("kiosk_version", c_char_p)
_ffi.proto("kiosk_error_name", c_char_p, c_int)
_ffi.proto("kiosk_strerror", c_char_p, c_int)
_ffi.proto("kiosk_context_new", c_int, _ffi.POINTER(c_void_p))
_ffi.proto("kiosk_context_free", None, c_void_p)
_ffi.proto("kiosk_context_last_error", c_char_p, c_void_p)
_ffi.proto("kiosk_context_set_profile_dir", c_int, c_void_p, c_char_p)
_ffi.proto("kiosk_context_set_log", None, c_void_p, c_int, LOG_FN, c_void_p)
_ffi.proto("kiosk_context_get_log_level", c_int, c_void_p)
_ffi.proto("kiosk_context_get_fd", c_int, c_void_p)
_ffi.proto("kiosk_context_dispatch", c_int, c_void_p)
_ffi.proto("kiosk_context_wait", c_int, c_void_p, c_int)
_ffi.proto("kiosk_driver_count", c_size_t)
_ffi.proto("kiosk_driver_info", c_int, c_size_t, _ffi.POINTER(c_char_p),
           _ffi.POINTER(c_char_p), _ffi.POINTER(c_int))
_ffi.proto("kiosk_context_discover", c_int, c_void_p, DISCOVER_FN, c_void_p)


def version() -> str:
    """The version of the loaded C library, e.g. ``"1.0.0"`` (``libkiosk.__version__``
    is the version of this package; both come from the same CMake project(VERSION))."""
    return _ffi.dec(_ffi.lib().kiosk_version())


def library_path() -> str:
    """The file the C library was loaded from."""
    return _ffi.lib().path


class LogLevel(enum.IntEnum):
    """Library log levels (``enum kiosk_log_level``), most severe first."""

    NONE = 0
    ERROR = 1
    WARN = 2
    INFO = 3
    DEBUG = 4

    def to_logging(self) -> int:
        """The matching :mod:`logging` level."""
        return {0: logging.CRITICAL + 10, 1: logging.ERROR, 2: logging.WARNING,
                3: logging.INFO, 4: logging.DEBUG}[int(self)]


def _level(v: Union[LogLevel, int, str, None]) -> Optional[LogLevel]:
    if v is None:
        return None
    if isinstance(v, str):
        try:
            return LogLevel[v.upper()]
        except KeyError:
            from .errors import InvalidArgument

            raise InvalidArgument(f"unknown log level {v!r} (none, error, warn, info, debug)",
                                  code=-1) from None
    return LogLevel(int(v))


@dataclass(frozen=True)
class DriverInfo:
    """A driver compiled into the library."""

    id: str                    #: e.g. ``"samv"``
    name: str                  #: full name
    device_class: DeviceClass  #: the family it drives


@dataclass(frozen=True)
class DiscoveredDevice:
    """An attached device a driver recognised (see :meth:`Context.discover`)."""

    uri: str                   #: usable with the matching ``open_*``
    device_class: DeviceClass
    driver: str
    description: str


def drivers() -> List[DriverInfo]:
    """The drivers compiled into the loaded library."""
    L = _ffi.lib()
    out = []
    for i in range(int(L.kiosk_driver_count())):
        did, name, cls = c_char_p(), c_char_p(), c_int()
        if L.kiosk_driver_info(i, _ffi.byref(did), _ffi.byref(name), _ffi.byref(cls)) < 0:
            break
        try:
            dc = DeviceClass._from_c(cls.value)
        except KeyError:
            continue
        out.append(DriverInfo(_ffi.dec(did.value), _ffi.dec(name.value), dc))
    return out


# ---- log trampoline ------------------------------------------------------

LogHandler = Callable[[LogLevel, str, str], Any]
_log_handlers: Dict[int, LogHandler] = {}
_log_keys = iter(range(1, 2**62))


def _on_log(ctx: int, level: int, component: bytes, msg: bytes, user: int) -> None:
    try:
        fn = _log_handlers.get(int(user or 0))
        if fn is not None:
            fn(LogLevel(level), _ffi.dec(component), _ffi.dec(msg))
    except BaseException:  # never unwind into C (this may run on a worker thread)
        pass


_LOG_TRAMPOLINE = LOG_FN(_on_log)
_NO_LOG_FN = LOG_FN(0)  # NULL: the library's default sink


def python_logging_handler(logger: Optional[logging.Logger] = None) -> LogHandler:
    """A log handler forwarding library messages to :mod:`logging`.

    Messages go to ``logger`` (default ``logging.getLogger("libkiosk")``) as
    children named after the component (``libkiosk.samv``, ...).
    """
    base = logger or logging.getLogger("libkiosk")

    def handler(level: LogLevel, component: str, message: str) -> None:
        base.getChild(component or "core").log(level.to_logging(), "%s", message)

    return handler


# ---- contexts alive at exit are closed before the interpreter goes away ------

_live_contexts: "weakref.WeakSet[_Cell]" = weakref.WeakSet()
_SLICE_MS = 200  # longest single poll, so a close() from another thread is noticed


@atexit.register
def _close_all_at_exit() -> None:
    for cell in list(_live_contexts):
        try:
            cell.close()
        except Exception:
            pass


class Context:
    """The library context: open devices from it; it delivers their events.

    Everything starts here::

        with libkiosk.Context() as ctx:
            with ctx.open_idcard("serial:/dev/ttyUSB0") as reader:
                card = reader.read(timeout=10)

    Closing the context (``close()``, ``with``, or garbage collection) closes
    every device and job opened from it first. Devices keep their context
    alive, so dropping the context variable while a device is in use is safe.

    Events and job completions reach Python when the context dispatches:
    :meth:`events` / :meth:`next_event` (blocking, with timeouts),
    :meth:`aevents` (asyncio: the loop watches :meth:`fileno`), or
    :meth:`dispatch` from your own poll loop.

    Threads: the library does its waiting on its own threads. Dispatching and
    the event iterators are safe from several threads (each event goes to
    one taker). ``close()`` of the context or a device may come from any
    thread: blocking calls in flight elsewhere are cancelled (they raise
    :class:`Cancelled` or :class:`InvalidState`) and the C handle is freed
    only after they returned. Other calls on one device are best kept to
    one thread at a time, as in the C API.

    Args:
        log_level: library log level (:class:`LogLevel`, an int 0–4 or a name
            such as ``"debug"``); None keeps the default (warn, or the
            ``KIOSK_DEBUG`` environment variable, which always wins).
        log: where library log lines go: None for stderr (the library
            default), ``"logging"`` for the :mod:`logging` module
            (logger ``libkiosk.<component>``), or a callable
            ``log(level, component, message)`` (it may be called from
            library threads).
        profile_dir: a directory searched for device profiles before the
            built-in ones (``<dir>/<family>/<name>.json``).
    """

    def __init__(self, log_level: Union[LogLevel, int, str, None] = None,
                 log: Union[None, str, LogHandler] = None,
                 profile_dir: Optional[Union[str, "os.PathLike[str]"]] = None) -> None:
        L = _ffi.lib()
        out = c_void_p()
        check(L.kiosk_context_new(_ffi.byref(out)), "cannot create a libkiosk context")
        ptr = _ffi.out(out)
        self._children: Dict[int, _Cell] = {}
        self._devices: "weakref.WeakValueDictionary[int, Device]" = weakref.WeakValueDictionary()
        self._log_key = next(_log_keys)
        children = self._children
        log_key = self._log_key

        def release(p: int) -> None:
            for cell in sorted(list(children.values()), key=lambda c: c.order):
                try:
                    cell.close()
                except Exception:
                    pass
            if _log_handlers.pop(log_key, None) is not None:
                L.kiosk_context_set_log(p, L.kiosk_context_get_log_level(p),
                                        _NO_LOG_FN, None)
            L.kiosk_context_free(p)

        self._cell = _Cell(ptr, release, 0, "context")
        _live_contexts.add(self._cell)
        self._lock = threading.RLock()
        self._events: Deque[Event] = collections.deque()
        self._ready_jobs: Deque["Job[Any]"] = collections.deque()
        self._handlers: List["_EventHandler"] = []
        self._ready_handlers: Deque[Tuple[Event, List["_EventHandler"]]] = collections.deque()
        self._stop_run = False
        self._waiters: List[Tuple[asyncio.AbstractEventLoop, "asyncio.Future[None]"]] = []
        self._loops: Dict[int, Tuple[asyncio.AbstractEventLoop, int]] = {}
        self._fd = int(L.kiosk_context_get_fd(ptr))
        try:
            if profile_dir is not None:
                self.set_profile_dir(profile_dir)
            if log_level is not None or log is not None:
                self.set_log(log_level, log)
        except BaseException:
            self.close()
            raise

    # ---- lifecycle ------------------------------------------------------

    def _p(self) -> int:
        p = self._cell.ptr
        if p is None or self._cell.closing:
            from .errors import InvalidState

            raise InvalidState("the context is closed", code=InvalidState.code)
        return p

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran."""
        return self._cell.ptr is None or self._cell.closing

    def close(self) -> None:
        """Closes every device and job of the context, then the context itself."""
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        for loop, _ in list(self._loops.values()):
            try:
                if loop is running:
                    loop.remove_reader(self._fd)
                else:  # asyncio loops are not thread-safe: let it remove the reader
                    loop.call_soon_threadsafe(loop.remove_reader, self._fd)
            except Exception:
                pass
        self._loops.clear()
        self._cell.close()
        self._devices.clear()
        waiters, self._waiters = self._waiters, []
        for loop, fut in waiters:
            try:
                loop.call_soon_threadsafe(_set_done, fut)
            except RuntimeError:
                pass

    def __enter__(self) -> "Context":
        self._p()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self._cell.close()
        except Exception:
            pass

    def __repr__(self) -> str:
        if self.closed:
            return "<libkiosk.Context closed>"
        return f"<libkiosk.Context fd={self._fd} devices={len(self._devices)}>"

    @property
    def last_error(self) -> str:
        """The message of the last failed context-level call (open, parse, ...)."""
        return _ffi.dec(_ffi.lib().kiosk_context_last_error(self._p()))

    def _err(self) -> str:
        try:
            return self.last_error
        except Exception:
            return ""

    def set_profile_dir(self, path: Optional[Union[str, "os.PathLike[str]"]]) -> None:
        """Searches `path` for device profiles before the built-in ones (None clears)."""
        check(_ffi.lib().kiosk_context_set_profile_dir(
            self._p(), _ffi.enc(os.fspath(path) if path is not None else None, "path")),
            self._err)

    # ---- logging --------------------------------------------------------

    def set_log(self, level: Union[LogLevel, int, str, None] = None,
                handler: Union[None, str, LogHandler] = None) -> None:
        """Sets the log level and sink (see the class docstring for `handler`).

        `level` None keeps the current level. ``KIOSK_DEBUG`` in the
        environment overrides the level.
        """
        p = self._p()
        L = _ffi.lib()
        lv = _level(level)
        if lv is None:
            lv = LogLevel(L.kiosk_context_get_log_level(p))
        if handler == "logging":
            handler = python_logging_handler()
        elif isinstance(handler, str):
            from .errors import InvalidArgument

            raise InvalidArgument("log must be None, 'logging' or a callable", code=-1)
        if handler is None:
            L.kiosk_context_set_log(p, int(lv), _NO_LOG_FN, None)
            _log_handlers.pop(self._log_key, None)
        else:
            if not callable(handler):
                raise TypeError("log handler must be callable")
            _log_handlers[self._log_key] = handler
            L.kiosk_context_set_log(p, int(lv), _LOG_TRAMPOLINE, self._log_key)

    @property
    def log_level(self) -> LogLevel:
        """The effective log level."""
        return LogLevel(_ffi.lib().kiosk_context_get_log_level(self._p()))

    # ---- devices --------------------------------------------------------

    def open_idcard(self, uri: str) -> "IdCardReader":
        """Opens an ID-card reader, e.g. ``"serial:/dev/ttyUSB0?baud=115200"``."""
        from .idcard import IdCardReader

        return IdCardReader._open(self, uri)

    def open_printer(self, uri: str, profile: Optional[str] = None) -> "Printer":
        """Opens a receipt printer, e.g. ``"tcp:192.0.2.10:9100"``.

        Args:
            uri: the device URI.
            profile: a printer profile name (e.g. ``"generic-80mm"``); None lets
                the driver choose from the device or its defaults.
        """
        from .printer import Printer

        return Printer._open(self, uri, profile)

    def open_scanner(self, uri: str) -> "Scanner":
        """Opens a QR/barcode scanner, e.g. ``"serial:/dev/ttyACM0"``."""
        from .scanner import Scanner

        return Scanner._open(self, uri)

    def open_touch(self, uri: str = "virtual:touch", *,
                   screen: Optional[Tuple[int, int]] = None,
                   calibration: Optional["Calibration"] = None) -> "Touchscreen":
        """Opens a touchscreen, e.g. ``"evdev:/dev/input/event5"``, or with
        ``"virtual:touch"`` a touch device the application feeds.

        Args:
            screen: (width, height) in pixels for the events' x/y.
            calibration: a :class:`Calibration` to apply (see also the URI
                option ``calibration=FILE``).
        """
        from .touch import Touchscreen

        return Touchscreen._open(self, uri, screen, calibration)

    def idle_time(self) -> float:
        """Seconds since the last touch or scan in this context (from any scanner
        or touch device), for a kiosk's idle reset; 0 while none is open."""
        return _ffi.lib().kiosk_input_idle_ms(self._p()) / 1000.0

    def note_activity(self) -> None:
        """Records user activity now (e.g. a key press the application saw)."""
        _ffi.lib().kiosk_input_note_activity(self._p())

    def discover(self) -> List[DiscoveredDevice]:
        """Attached devices a driver recognises (USB by VID:PID, ...)."""
        found: List[DiscoveredDevice] = []

        def cb(uri: bytes, cls: int, drv: bytes, desc: bytes, user: int) -> None:
            try:
                dc = DeviceClass._from_c(cls)
            except KeyError:
                return
            found.append(DiscoveredDevice(_ffi.dec(uri), dc, _ffi.dec(drv), _ffi.dec(desc)))

        fn = DISCOVER_FN(cb)
        check(_ffi.lib().kiosk_context_discover(self._p(), fn, None), self._err)
        return found

    @property
    def devices(self) -> List[Device]:
        """The devices opened from this context that are still open."""
        return [d for d in list(self._devices.values()) if not d.closed]

    def _register_device(self, base: int, dev: Device) -> None:
        self._devices[base] = dev

    def _unregister_device(self, base: int) -> None:
        self._devices.pop(base, None)

    def _device_for(self, base: int) -> Optional[Device]:
        return self._devices.get(int(base))

    # ---- dispatch and events -------------------------------------------

    def fileno(self) -> int:
        """A file descriptor that becomes readable when :meth:`dispatch` has work.

        Owned by the context: poll it (``select``, ``selectors``,
        ``loop.add_reader``), never read or close it.
        """
        self._p()
        return self._fd

    def dispatch(self) -> int:
        """Runs pending work without blocking.

        Completed jobs' callbacks run (here, on this thread) and device events
        move to the queue read by :meth:`next_event` / :meth:`events`.
        Returns the number of events queued by this call.
        """
        L = _ffi.lib()
        n = 0
        p = self._cell.enter()  # close() from another thread waits for us
        try:
            with self._lock:
                n = self._dispatch_locked(L, p)
                waiters: List[Any] = []
                if self._events and self._waiters:
                    waiters, self._waiters = self._waiters, []
        finally:
            self._cell.leave()
        for loop, fut in waiters:
            try:
                loop.call_soon_threadsafe(_set_done, fut)
            except RuntimeError:
                pass
        self._run_callbacks()
        return n

    def _dispatch_locked(self, L: Any, p: int) -> int:
        n = 0
        L.kiosk_context_dispatch(p)
        while True:
            evp = L.kiosk_context_next_event(p)
            if not evp:
                return n
            try:
                ev = Event._from_c(self, evp)
            finally:
                L.kiosk_event_free(evp)
            handlers = [h for h in self._handlers if h.matches(ev)]
            if handlers:  # handled by callbacks: not queued for the iterators
                self._ready_handlers.append((ev, handlers))
            else:
                self._events.append(ev)
                n += 1

    def _queue_job_callbacks(self, job: "Job[Any]") -> None:
        self._ready_jobs.append(job)

    def _run_callbacks(self) -> None:
        while True:
            try:
                ev, handlers = self._ready_handlers.popleft()
            except IndexError:
                break
            for i, h in enumerate(handlers):
                try:
                    h.fn(ev)
                except BaseException:
                    if handlers[i + 1:]:  # the rest run at the next dispatch
                        self._ready_handlers.appendleft((ev, handlers[i + 1:]))
                    raise
        while True:
            try:
                job = self._ready_jobs.popleft()
            except IndexError:
                return
            job._run_callbacks()

    # ---- event callbacks ------------------------------------------------

    def on(self, types: Union[None, str, "EventType", Iterable[Union[str, "EventType"]]],
           callback: Callable[[Event], Any], device: Optional[Device] = None) -> object:
        """Calls ``callback(event)`` for each event of `types` (None: all), from
        `device` if given; returns a token for :meth:`off`.

        Callbacks run inside dispatch, on the dispatching thread: while
        :meth:`run` blocks, while an asyncio loop is attached
        (:meth:`attach_asyncio`, :meth:`aevents`, ``await job``), or from your
        own :meth:`dispatch` calls. An event handled by a callback is not
        queued for :meth:`events` / :meth:`aevents`::

            reader.watch()
            ctx.on("card-inserted", lambda ev: show(ev.card), device=reader)
            ctx.on(["card-removed"], lambda ev: reset_screen())
            ctx.run(timeout=60)
        """
        if not callable(callback):
            raise TypeError("callback must be callable")
        if types is None:
            wanted = None
        elif isinstance(types, str):
            wanted = frozenset([EventType(types)])
        else:
            wanted = frozenset(EventType(t) for t in types)
        h = _EventHandler(callback, wanted, device)
        with self._lock:
            self._handlers.append(h)
        return h

    def off(self, token: object) -> None:
        """Removes a callback added with :meth:`on` (unknown tokens are ignored)."""
        with self._lock:
            self._handlers = [h for h in self._handlers if h is not token]

    def run(self, timeout: Optional[float] = None) -> None:
        """Dispatches (running event and job callbacks) until :meth:`stop` is
        called — e.g. from a callback —, the context is closed, or `timeout`
        seconds passed (None: no limit). Events no callback handles stay
        queued for :meth:`events`."""
        _ffi.ms(timeout)
        deadline = None if timeout is None else time.monotonic() + timeout
        poller = select.poll()
        poller.register(self.fileno(), select.POLLIN)
        self._stop_run = False
        while not self._stop_run and not self.closed:
            self.dispatch()
            if self._stop_run or self.closed:
                break
            wait_ms = _SLICE_MS
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                wait_ms = max(1, min(wait_ms, int(left * 1000 + 0.999)))
            poller.poll(wait_ms)
        self._stop_run = False

    def stop(self) -> None:
        """Makes :meth:`run` return (thread-safe)."""
        self._stop_run = True

    def attach_asyncio(self, loop: Optional[asyncio.AbstractEventLoop] = None) -> None:
        """Has `loop` (default: the running loop) dispatch whenever the context
        has work, so :meth:`on` callbacks and job callbacks run in it, until
        :meth:`detach_asyncio` or :meth:`close`."""
        self._attach_loop(loop or asyncio.get_running_loop())

    def detach_asyncio(self, loop: Optional[asyncio.AbstractEventLoop] = None) -> None:
        """Undoes one :meth:`attach_asyncio`."""
        self._detach_loop(loop or asyncio.get_running_loop())

    def _take_event(self) -> Optional[Event]:
        with self._lock:
            return self._events.popleft() if self._events else None

    def _requeue(self, events: List[Event]) -> None:
        """Puts events taken out of order back at the front of the queue."""
        if not events:
            return
        with self._lock:
            self._events.extendleft(reversed(events))

    def pending_events(self) -> int:
        """Events already dispatched and not yet taken."""
        return len(self._events)

    def next_event(self, timeout: Optional[float] = None) -> Event:
        """Returns the next device event, waiting up to `timeout` seconds.

        Args:
            timeout: seconds; None waits without limit; 0 only checks.

        Raises:
            Timeout: no event arrived in time.
        """
        _ffi.ms(timeout)  # validates
        deadline = None if timeout is None else time.monotonic() + timeout
        poller = select.poll()
        poller.register(self.fileno(), select.POLLIN)
        while True:
            ev = self._take_event()
            if ev is not None:
                return ev
            self.dispatch()
            ev = self._take_event()
            if ev is not None:
                return ev
            wait_ms = _SLICE_MS
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Timeout(f"no event within {timeout:g} s", code=Timeout.code)
                wait_ms = max(1, min(wait_ms, int(left * 1000 + 0.999)))
            self._p()  # closed meanwhile (by another thread)?
            poller.poll(wait_ms)

    def events(self, timeout: Optional[float] = None) -> Iterator[Event]:
        """Iterates over device events as they arrive (blocking).

        The iteration ends when no event arrived for `timeout` seconds (None:
        never ends by itself; break out of the loop instead)::

            for ev in ctx.events(timeout=30):
                if ev.type == "card-inserted":
                    print(ev.card)
        """
        while True:
            try:
                ev = self.next_event(timeout)
            except Timeout:
                return
            yield ev

    # ---- asyncio --------------------------------------------------------

    def _attach_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        key = id(loop)
        with self._lock:
            fd = self.fileno()
            ent = self._loops.get(key)
            if ent is not None:
                self._loops[key] = (loop, ent[1] + 1)
                return
            self._loops[key] = (loop, 1)
        loop.add_reader(fd, self._on_readable, loop)

    def _detach_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        key = id(loop)
        with self._lock:
            ent = self._loops.get(key)
            if ent is None:
                return
            if ent[1] > 1:
                self._loops[key] = (loop, ent[1] - 1)
                return
            del self._loops[key]
        try:
            loop.remove_reader(self._fd)
        except Exception:
            pass

    def _on_readable(self, loop: asyncio.AbstractEventLoop) -> None:
        try:
            self.dispatch()
        except Exception as e:  # a user callback failed: report, keep the loop alive
            if self.closed:
                try:
                    loop.remove_reader(self._fd)
                except Exception:
                    pass
                return
            loop.call_exception_handler({"message": "libkiosk: error in dispatch",
                                         "exception": e, "context": self})

    async def aevents(self, timeout: Optional[float] = None) -> AsyncGenerator[Event, None]:
        """Iterates over device events from asyncio::

            async for ev in ctx.aevents():
                ...

        While iterating, the running loop watches the context's fd
        (``loop.add_reader``) and dispatches; job callbacks and ``await job``
        are served by the same reader. The iteration ends when no event
        arrived for `timeout` seconds (None: never by itself), or when the
        context is closed.
        """
        _ffi.ms(timeout)
        loop = asyncio.get_running_loop()
        self._attach_loop(loop)
        try:
            self.dispatch()
            while True:
                with self._lock:
                    ev = self._events.popleft() if self._events else None
                    fut = None
                    if ev is None:
                        fut = loop.create_future()
                        self._waiters.append((loop, fut))
                if ev is not None:
                    yield ev
                    continue
                if self.closed:
                    return
                assert fut is not None
                try:
                    if timeout is None:
                        await fut
                    else:
                        await asyncio.wait_for(fut, timeout)
                except asyncio.TimeoutError:
                    with self._lock:
                        self._waiters = [w for w in self._waiters if w[1] is not fut]
                    return
                if self.closed:
                    return
        finally:
            self._detach_loop(loop)

    async def anext_event(self, timeout: Optional[float] = None) -> Event:
        """The next event from asyncio; raises :class:`Timeout` after `timeout` s."""
        agen = self.aevents(timeout)
        try:
            async for ev in agen:
                return ev
        finally:
            await agen.aclose()
        raise Timeout(f"no event within {timeout} s", code=Timeout.code)


class _EventHandler:
    __slots__ = ("fn", "types", "device_ref")

    def __init__(self, fn: Callable[[Event], Any], types: Optional[frozenset],
                 device: Optional[Device]) -> None:
        self.fn = fn
        self.types = types
        self.device_ref = weakref.ref(device) if device is not None else None

    def matches(self, ev: Event) -> bool:
        if self.types is not None and ev.type not in self.types:
            return False
        if self.device_ref is not None:
            dev = self.device_ref()
            return dev is not None and ev.device is dev
        return True

    def __repr__(self) -> str:
        return f"<libkiosk event callback {getattr(self.fn, '__name__', self.fn)!r}>"


def _set_done(fut: "asyncio.Future[None]") -> None:
    if not fut.done():
        fut.set_result(None)
