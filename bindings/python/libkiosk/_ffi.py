# SPDX-License-Identifier: LGPL-2.1-or-later
"""Low-level access to the libkiosk shared library (ctypes, ABI mode).

Nothing here is public API: the rest of the package declares the C
prototypes it uses with :func:`proto` and calls them through :func:`lib`.

How the library is found, first match wins:

1. ``LIBKIOSK_LIBRARY`` in the environment: that exact file (no fallback,
   so a typo is an error rather than a silent use of another copy);
2. the library installed next to this package by ``cmake --install``
   (its path is recorded in ``_install.py`` at install time);
3. the dynamic loader's normal search (``libkiosk.so.0`` through
   ``LD_LIBRARY_PATH``, the ld.so cache, ...);
4. :func:`ctypes.util.find_library` ("kiosk").

Loading is lazy: ``import libkiosk`` and ``help(libkiosk)`` work without the
shared library; the first call that needs it raises :class:`LibraryNotFound`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import os
import threading
from typing import Any, Callable, Dict, Optional, Sequence, Tuple

SONAME = "libkiosk.so.0"
INFINITE_MS = -1
_INT_MAX = 2**31 - 1

c_void_p = ctypes.c_void_p
c_char_p = ctypes.c_char_p
c_int = ctypes.c_int
c_uint = ctypes.c_uint
c_size_t = ctypes.c_size_t
c_uint8 = ctypes.c_uint8
c_uint16 = ctypes.c_uint16
c_uint64 = ctypes.c_uint64
c_double = ctypes.c_double
c_float = ctypes.c_float
c_bool = ctypes.c_bool
POINTER = ctypes.POINTER
byref = ctypes.byref


class LibraryNotFound(ImportError):
    """The libkiosk shared library could not be loaded.

    Install libkiosk (``cmake --install``), make ``libkiosk.so.0`` visible to
    the dynamic loader, or set ``LIBKIOSK_LIBRARY`` to the library file.
    """


LibraryNotFound.__module__ = "libkiosk"


# name -> (restype, argtypes)
_PROTOS: Dict[str, Tuple[Any, Sequence[Any]]] = {}


def proto(name: str, restype: Any, *argtypes: Any) -> None:
    """Declares the C prototype of `name` (used when it is first called)."""
    _PROTOS[name] = (restype, list(argtypes))


class Library:
    """The loaded shared library with typed functions as attributes."""

    def __init__(self, cdll: ctypes.CDLL, path: str) -> None:
        self._cdll = cdll
        self.path = path

    def has(self, name: str) -> bool:
        """True if the library exports `name` (families may be absent)."""
        try:
            getattr(self._cdll, name)
            return True
        except AttributeError:
            return False

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in _PROTOS:
            raise AttributeError(f"libkiosk binding: no prototype declared for {name}")
        try:
            fn = getattr(self._cdll, name)
        except AttributeError:
            from .errors import NotSupported

            raise NotSupported(
                f"{name} is not in {self.path} (a libkiosk without this feature?)",
                code=-12,
            ) from None
        restype, argtypes = _PROTOS[name]
        fn.restype = restype
        fn.argtypes = argtypes
        self.__dict__[name] = fn
        return fn


_lib: Optional[Library] = None
_lock = threading.Lock()


def _candidates() -> Sequence[str]:
    env = os.environ.get("LIBKIOSK_LIBRARY")
    if env:
        return [env]
    out = []
    try:
        from . import _install  # type: ignore[attr-defined]  # by cmake --install

        hint = getattr(_install, "LIBRARY", None)
        if hint and os.path.exists(hint):
            out.append(hint)
    except ImportError:
        pass
    out.append(SONAME)
    found = ctypes.util.find_library("kiosk")
    if found:
        out.append(found)
    return out


def load() -> Library:
    """Loads the library once (thread-safe) and returns it."""
    global _lib
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is not None:
            return _lib
        errors = []
        for cand in _candidates():
            try:
                cdll = ctypes.CDLL(cand)
            except OSError as e:
                errors.append(f"{cand}: {e}")
                continue
            if not hasattr(cdll, "kiosk_context_new"):
                errors.append(f"{cand}: not libkiosk (no kiosk_context_new)")
                continue
            _lib = Library(cdll, cand)
            return _lib
        how = "; ".join(errors) or "no candidates"
        raise LibraryNotFound(
            "cannot load libkiosk (" + how + "). Install it, add its directory to "
            "LD_LIBRARY_PATH, or set LIBKIOSK_LIBRARY=/path/to/libkiosk.so.0"
        )


def lib() -> Library:
    """The loaded library (loads it on first use)."""
    return _lib if _lib is not None else load()


# ---- conversions -------------------------------------------------------


def enc(s: Optional[str], what: str = "string") -> Optional[bytes]:
    """str -> NUL-terminated UTF-8 bytes for C (None stays None)."""
    if s is None:
        return None
    if isinstance(s, (bytes, bytearray)):
        b = bytes(s)
    elif isinstance(s, str):
        b = s.encode("utf-8")
    elif isinstance(s, os.PathLike):
        b = os.fsencode(s)
    else:
        raise TypeError(f"{what} must be str, not {type(s).__name__}")
    if b"\0" in b:
        from .errors import InvalidArgument

        raise InvalidArgument(f"{what} contains a NUL character", code=-1)
    return b


def out(v: "ctypes.c_void_p") -> int:
    """The pointer a successful C call stored in an out-parameter."""
    if not v.value:
        from .errors import KioskError

        raise KioskError("libkiosk returned success but no object", code=-24)
    return int(v.value)


def dec(b: Optional[bytes]) -> str:
    """C string (bytes or None) -> str ("" for NULL)."""
    if not b:
        return ""
    return b.decode("utf-8", errors="replace")


def ms(timeout: Optional[float], what: str = "timeout") -> int:
    """Seconds (float, None = no limit) -> milliseconds for C."""
    if timeout is None:
        return INFINITE_MS
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"{what} must be a number of seconds or None")
    if math.isnan(timeout) or timeout < 0:
        from .errors import InvalidArgument

        raise InvalidArgument(f"{what} must be >= 0 seconds or None, not {timeout!r}", code=-1)
    if math.isinf(timeout):
        return INFINITE_MS
    return min(_INT_MAX, int(math.ceil(timeout * 1000.0)))


# ---- memory returned by the library ------------------------------------

proto("kiosk_free", None, c_void_p)


def free(p: Optional[int]) -> None:
    """Frees a buffer the library allocated for us (kiosk_free)."""
    if p:
        lib().kiosk_free(p)


def take_bytes(p: Optional[int], n: int, wipe: bool = False) -> bytes:
    """Copies `n` bytes at `p`, then releases the C copy with kiosk_free (which wipes it)."""
    if not p:
        return b""
    try:
        return ctypes.string_at(p, n)
    finally:
        if wipe:
            ctypes.memset(p, 0, n)
        free(p)


def copy_to_bytearray(p: Optional[int], n: int) -> bytearray:
    """Copies `n` bytes at `p` into a new (wipeable) bytearray, without an
    intermediate immutable bytes object."""
    buf = bytearray(n)
    if p and n:
        ctypes.memmove((ctypes.c_char * n).from_buffer(buf), p, n)
    return buf


def wipe_bytearray(buf: Optional[bytearray]) -> None:
    """Overwrites a bytearray with zeros in place."""
    if buf:
        n = len(buf)
        ctypes.memset((ctypes.c_char * n).from_buffer(buf), 0, n)
