# SPDX-License-Identifier: LGPL-2.1-or-later
"""Second-generation ID-card readers (SAM_V, GA 467): :class:`IdCardReader`, :class:`IdCard`."""

from __future__ import annotations

import base64
import enum
import json
import sys
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple

from . import _ffi
from ._ffi import POINTER, c_bool, c_char_p, c_int, c_size_t, c_uint, c_void_p
from ._handle import ORDER_OTHER, Handle, check, op
from .device import Device
from .errors import InvalidArgument
from .privacy import mask_address, mask_id_number, mask_name
from .jobs import Job, new_key, trampoline, JOB_FN

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context

__all__ = ["IdCard", "IdCardReader", "ReadFlags", "decode_text_block"]

_ffi.proto("kiosk_idcard_open", c_int, c_void_p, c_char_p, POINTER(c_void_p))
_ffi.proto("kiosk_idcard_close", None, c_void_p)
_ffi.proto("kiosk_idcard_device", c_void_p, c_void_p)
_ffi.proto("kiosk_idcard_read", c_int, c_void_p, c_int, c_uint, POINTER(c_void_p))
_ffi.proto("kiosk_idcard_read_async", c_int, c_void_p, c_int, c_uint, JOB_FN, c_void_p,
           POINTER(c_void_p))
_ffi.proto("kiosk_job_take_idcard", c_int, c_void_p, POINTER(c_void_p))
_ffi.proto("kiosk_idcard_watch", c_int, c_void_p, c_int, c_bool)
_ffi.proto("kiosk_idcard_set_watch_flags", c_int, c_void_p, c_uint)
_ffi.proto("kiosk_idcard_status_string", c_char_p, c_int)
_ffi.proto("kiosk_idcard_status_error", c_int, c_int)
_ffi.proto("kiosk_idcard_get_last_status", c_int, c_void_p)
_ffi.proto("kiosk_idcard_sam_reset", c_int, c_void_p)
_ffi.proto("kiosk_idcard_sam_status", c_int, c_void_p)
_ffi.proto("kiosk_idcard_sam_id", c_int, c_void_p, c_char_p, c_size_t)
_ffi.proto("kiosk_idcard_set_baud", c_int, c_void_p, c_int)
_ffi.proto("kiosk_idcard_decode_text", c_int, c_char_p, POINTER(c_void_p))
_ffi.proto("kiosk_idcard_copy", c_void_p, c_void_p)
_ffi.proto("kiosk_idcard_free", None, c_void_p)
_ffi.proto("kiosk_idcard_get_type", c_int, c_void_p)
_ffi.proto("kiosk_idcard_type_name", c_char_p, c_int)
for _f in ("name", "english_name", "sex", "sex_code", "nation", "nation_code", "nationality",
           "birth_date", "address", "id_number", "issuer", "valid_from", "valid_until",
           "pass_number", "issue_count", "renewal_count", "card_version", "authority_code",
           "extra_address"):
    _ffi.proto("kiosk_idcard_get_" + _f, c_char_p, c_void_p)
_ffi.proto("kiosk_idcard_get_id_number_valid", c_int, c_void_p)
_ffi.proto("kiosk_idcard_get_photo_wlt", c_void_p, c_void_p, POINTER(c_size_t))
_ffi.proto("kiosk_idcard_get_fingerprint", c_void_p, c_void_p, POINTER(c_size_t))
_ffi.proto("kiosk_idcard_to_json", c_int, c_void_p, c_uint, POINTER(c_void_p))
_ffi.proto("kiosk_idcard_masked_name", c_char_p, c_void_p, c_char_p, c_size_t)
_ffi.proto("kiosk_idcard_masked_id_number", c_char_p, c_void_p, c_char_p, c_size_t)
_ffi.proto("kiosk_idcard_set_wlt_library", c_int, c_void_p, c_char_p)
_ffi.proto("kiosk_idcard_decode_photo", c_int, c_void_p, c_void_p, POINTER(c_void_p),
           POINTER(c_size_t), POINTER(c_int), POINTER(c_int))

#: The ID-card JSON contract (docs/contracts.md), in order.
_GRACE_S = 30.0  # beyond a read's own timeout before giving up on its job

JSON_FIELDS = ("card_type", "name", "english_name", "sex", "sex_code", "nation", "nation_code",
               "nationality", "birth_date", "address", "id_number", "id_number_valid", "issuer",
               "valid_from", "valid_until", "pass_number", "issue_count")


class ReadFlags(enum.IntFlag):
    """What to read besides text and photo (``enum kiosk_idcard_read_flags``)."""

    NONE = 0
    FINGERPRINT = 1 << 0  #: the fingerprint templates (CMD 30 10)
    ADDRESS = 1 << 1      #: the additional address (CMD 30 03)


def _flags(fingerprint: bool, extra_address: bool) -> int:
    return int((ReadFlags.FINGERPRINT if fingerprint else 0)
               | (ReadFlags.ADDRESS if extra_address else 0))


class _CCard(Handle):
    _kind = "card"

    def __init__(self, ptr: int) -> None:
        super().__init__(ptr, _ffi.lib().kiosk_idcard_free, None, ORDER_OTHER)


@dataclass(eq=True, repr=False)
class IdCard:
    """What was read from one ID card.

    The first fields are exactly the card JSON contract (docs/contracts.md,
    ``kiosk_idcard_to_json``): strings, or None where the field does not exist
    on this card type or is blank; ``id_number_valid`` is True/False, or None
    when the number has no checkable digit (2017 foreigner card). Dates are
    ``YYYY-MM-DD``; ``valid_until`` may be ``"long-term"``.

    ``photo_wlt`` is the raw 1024-byte WLT photo (a :class:`bytearray`);
    decoding it needs the licensed vendor library (:meth:`decode_photo`).

    Personal data: ``repr()`` and ``str()`` are masked ("张*",
    "1101**********1234"); :meth:`clear` wipes what can be wiped (read it to
    see what that is), and ``with reader.read() as card:`` clears the card
    when the block ends. A card dropped without ``clear()`` still has its
    photo/fingerprint bytes zeroed when collected, unless you kept a
    reference to them. Cards refuse to pickle. Keep them only as long as
    needed.
    """

    card_type: str = "resident"
    name: Optional[str] = None
    english_name: Optional[str] = None
    sex: Optional[str] = None
    sex_code: Optional[str] = None
    nation: Optional[str] = None
    nation_code: Optional[str] = None
    nationality: Optional[str] = None
    birth_date: Optional[str] = None
    address: Optional[str] = None
    id_number: Optional[str] = None
    id_number_valid: Optional[bool] = None
    issuer: Optional[str] = None
    valid_from: Optional[str] = None
    valid_until: Optional[str] = None
    pass_number: Optional[str] = None
    issue_count: Optional[str] = None
    photo_wlt: Optional[bytearray] = None
    # beyond the JSON contract
    fingerprint: Optional[bytearray] = field(default=None, metadata={"json": False})
    extra_address: Optional[str] = field(default=None, metadata={"json": False})
    renewal_count: Optional[str] = field(default=None, metadata={"json": False})
    card_version: Optional[str] = field(default=None, metadata={"json": False})
    authority_code: Optional[str] = field(default=None, metadata={"json": False})
    _c: Optional[_CCard] = field(default=None, compare=False, metadata={"json": False})

    @property
    def masked_name(self) -> Optional[str]:
        """The name masked for screens and logs ("韩*梅", "张*", "L*****")."""
        return mask_name(self.name or self.english_name)

    @property
    def masked_id_number(self) -> Optional[str]:
        """The ID/card number masked ("2101**********0026")."""
        return mask_id_number(self.id_number)

    @property
    def cleared(self) -> bool:
        """True after :meth:`clear`."""
        return self.card_type == "" and self.name is None and self.id_number is None

    def __repr__(self) -> str:
        parts = [f"card_type={self.card_type!r}"]
        nm = self.masked_name
        if nm is not None:
            parts.append(f"name={nm!r}")
        if self.sex is not None:
            parts.append(f"sex={self.sex!r}")
        if self.nation is not None:
            parts.append(f"nation={self.nation!r}")
        if self.nationality is not None:
            parts.append(f"nationality={self.nationality!r}")
        if self.id_number is not None:
            parts.append(f"id_number={self.masked_id_number!r}")
            parts.append(f"id_number_valid={self.id_number_valid!r}")
        if self.address is not None:
            parts.append(f"address={mask_address(self.address)!r}")
        if self.valid_until is not None:
            parts.append(f"valid_until={self.valid_until!r}")
        if self.photo_wlt is not None:
            parts.append(f"photo_wlt=<{len(self.photo_wlt)} bytes>")
        if self.cleared:
            return "IdCard(<cleared>)"
        return "IdCard(" + ", ".join(parts) + ")"

    __str__ = __repr__

    def to_dict(self, photo: bool = False) -> Dict[str, Any]:
        """The card as the JSON contract's dict (``photo_wlt`` base64 only if `photo`).

        The result holds personal data in immutable strings: see :meth:`clear`.
        """
        d: Dict[str, Any] = {k: getattr(self, k) for k in JSON_FIELDS}
        if photo:
            d["photo_wlt"] = (base64.b64encode(bytes(self.photo_wlt)).decode("ascii")
                              if self.photo_wlt is not None else None)
        return d

    def to_json(self, photo: bool = False, indent: Optional[int] = None) -> str:
        """The card as JSON text (same keys and values as ``kioskctl idcard read --json``)."""
        return json.dumps(self.to_dict(photo), ensure_ascii=False, indent=indent)

    def clear(self) -> None:
        """Wipes the card's personal data.

        What is wiped for certain: the photo and fingerprint bytes (the
        :class:`bytearray` objects are overwritten with zeros in place), and
        the library's own copy of the card (freed with ``kiosk_idcard_free``,
        which overwrites every byte). Every field is then set to None.

        What cannot be wiped: Python ``str`` objects are immutable, so the text
        fields (name, ID number, address, ...) can only be dropped, not
        overwritten; the interpreter frees them when nothing else refers to
        them, and their memory is reused later but not zeroed. Copies you made
        (``to_dict()``, ``to_json()``, f-strings, logs) are yours to drop. For
        data that must never linger, keep only the masked values and the
        fields you need, and call ``clear()`` as soon as possible.
        """
        _ffi.wipe_bytearray(self.photo_wlt)
        _ffi.wipe_bytearray(self.fingerprint)
        c = self._c
        self._c = None
        if c is not None:
            c.close()
        for f in fields(self):
            if f.name == "card_type":
                self.card_type = ""
            elif f.name != "_c":
                setattr(self, f.name, None)

    def __enter__(self) -> "IdCard":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.clear()

    def __del__(self) -> None:
        # Dropped without clear(): zero the photo/fingerprint bytes, unless the
        # application still holds them itself (then they are its to wipe).
        try:
            for name in ("photo_wlt", "fingerprint"):
                if sys.getrefcount(getattr(self, name)) <= 2:  # this card + the call
                    _ffi.wipe_bytearray(getattr(self, name))
        except Exception:
            pass

    def __reduce__(self):
        raise TypeError("IdCard holds personal data and is not picklable; "
                        "use to_dict() deliberately if you must store it")

    def decode_photo(self, ctx: "Context") -> Tuple[int, int, bytearray]:
        """Decodes the WLT photo to (width, height, BGR pixels, top row first).

        Needs the licensed vendor WLT decoder: set it with
        :meth:`IdCardReader.set_wlt_library` or ``KIOSK_WLT_LIBRARY``;
        libkiosk has no decoder of its own. Raises :class:`DecoderError`
        when none is configured or it fails, :class:`NotFound` when the card
        has no photo, :class:`InvalidState` after :meth:`clear`.
        """
        if self._c is None:
            from .errors import InvalidState

            raise InvalidState("the card was cleared (or built without the library)",
                               code=InvalidState.code)
        L = _ffi.lib()
        out, n, w, h = c_void_p(), c_size_t(), c_int(), c_int()
        check(L.kiosk_idcard_decode_photo(ctx._p(), self._c._p(), _ffi.byref(out),
                                          _ffi.byref(n), _ffi.byref(w), _ffi.byref(h)),
              ctx._err)
        try:
            buf = _ffi.copy_to_bytearray(out.value, n.value)
        finally:
            if out.value:
                _ffi.ctypes.memset(out.value, 0, n.value)
                _ffi.free(out.value)
        return w.value, h.value, buf


def _s(L: Any, fn: str, p: int) -> Optional[str]:
    b = getattr(L, "kiosk_idcard_get_" + fn)(p)
    return b.decode("utf-8", errors="replace") if b is not None else None


def _blob(getter: Any, p: int) -> Optional[bytearray]:
    n = c_size_t(0)
    ptr = getter(p, _ffi.byref(n))
    if not ptr:
        return None
    return _ffi.copy_to_bytearray(ptr, n.value)


def _card_from_c(cp: int, own: bool = False) -> IdCard:
    """An IdCard from a kiosk_idcard*. With `own` the pointer is adopted,
    else (borrowed, e.g. from an event) it is copied."""
    L = _ffi.lib()
    if not own:
        cp = L.kiosk_idcard_copy(cp)
        if not cp:
            from .errors import NoMemory

            raise NoMemory("cannot copy the card", code=NoMemory.code)
    cc = _CCard(int(cp))
    try:
        valid = int(L.kiosk_idcard_get_id_number_valid(cp))
        card = IdCard(
            card_type=_ffi.dec(L.kiosk_idcard_type_name(L.kiosk_idcard_get_type(cp))),
            name=_s(L, "name", cp),
            english_name=_s(L, "english_name", cp),
            sex=_s(L, "sex", cp),
            sex_code=_s(L, "sex_code", cp),
            nation=_s(L, "nation", cp),
            nation_code=_s(L, "nation_code", cp),
            nationality=_s(L, "nationality", cp),
            birth_date=_s(L, "birth_date", cp),
            address=_s(L, "address", cp),
            id_number=_s(L, "id_number", cp),
            id_number_valid=None if valid < 0 else bool(valid),
            issuer=_s(L, "issuer", cp),
            valid_from=_s(L, "valid_from", cp),
            valid_until=_s(L, "valid_until", cp),
            pass_number=_s(L, "pass_number", cp),
            issue_count=_s(L, "issue_count", cp),
            photo_wlt=_blob(L.kiosk_idcard_get_photo_wlt, cp),
            fingerprint=_blob(L.kiosk_idcard_get_fingerprint, cp),
            extra_address=_s(L, "extra_address", cp),
            renewal_count=_s(L, "renewal_count", cp),
            card_version=_s(L, "card_version", cp),
            authority_code=_s(L, "authority_code", cp),
        )
    except BaseException:
        cc.close()
        raise
    card._c = cc
    return card


def _c_json(card: IdCard, photo: bool = False) -> str:
    """The library's own JSON for the card (for cross-checks)."""
    if card._c is None:
        raise InvalidArgument("the card has no library copy", code=-1)
    L = _ffi.lib()
    out = c_void_p()
    check(L.kiosk_idcard_to_json(card._c._p(), 1 if photo else 0, _ffi.byref(out)))
    p = _ffi.out(out)
    n = len(_ffi.ctypes.string_at(p))
    return _ffi.take_bytes(p, n, wipe=True).decode("utf-8")


def decode_text_block(text: bytes) -> IdCard:
    """Decodes a 256-byte SAM_V text block (UCS-2LE) into an :class:`IdCard`
    without a reader (for vendors with their own transport, and tests).
    The card has no photo or fingerprint."""
    b = bytes(text)
    if len(b) != 256:
        raise InvalidArgument(f"a text block is 256 bytes, not {len(b)}", code=-1)
    out = c_void_p()
    buf = _ffi.ctypes.create_string_buffer(b, 256)
    try:
        check(_ffi.lib().kiosk_idcard_decode_text(buf, _ffi.byref(out)),
              "invalid text block (not UCS-2LE card text)")
    finally:
        _ffi.ctypes.memset(buf, 0, 256)
    return _card_from_c(_ffi.out(out), own=True)


class IdCardReader(Device):
    """An open ID-card reader (``ctx.open_idcard(uri)``).

    URIs: ``serial:/dev/ttyUSB0[?baud=115200]``, ``usb:0400:c35a`` and the
    options ``profile=``, ``driver=``, ``timeout_ms=`` (see kiosk/idcard.h).
    The reader is not probed on open: a missing reader shows up as
    :class:`Timeout` on the first read.
    """

    _kind = "ID-card reader"
    _base_fn = "kiosk_idcard_device"

    @classmethod
    def _open(cls, ctx: "Context", uri: str) -> "IdCardReader":
        L = _ffi.lib()
        out = c_void_p()
        check(L.kiosk_idcard_open(ctx._p(), _ffi.enc(uri, "uri"), _ffi.byref(out)), ctx._err)
        return cls(ctx, _ffi.out(out), L.kiosk_idcard_close)

    @op
    def read(self, timeout: float = 10.0, *, fingerprint: bool = False,
             extra_address: bool = False) -> IdCard:
        """Waits up to `timeout` seconds for a card and reads it.

        Args:
            timeout: seconds (a finite number: use :meth:`watch` to wait for
                cards indefinitely).
            fingerprint: also read the fingerprint templates.
            extra_address: also read the additional address (追加住址).

        Raises:
            NoCard: the reader answered but no card came in time.
            Timeout: the reader did not answer (unplugged, wrong port/baud).
            CardError, ChecksumError, ProtocolError, SamError, Busy, ...
        """
        if timeout is None:
            raise InvalidArgument("read() needs a finite timeout; use watch() to wait "
                                  "for cards indefinitely", code=-1)
        # run as a job so that close() from another thread or Ctrl-C cancels it
        job = self.read_async(timeout, fingerprint=fingerprint, extra_address=extra_address)
        return self._run_sync(job, timeout + _GRACE_S)

    @op
    def read_async(self, timeout: float = 10.0, *, fingerprint: bool = False,
                   extra_address: bool = False) -> "Job[IdCard]":
        """Starts a read in the background; the job's value is the :class:`IdCard`.

        ``card = await reader.read_async(10)`` from asyncio, or
        ``reader.read_async(10).wait()``.
        """
        if timeout is None:
            raise InvalidArgument("read_async() needs a finite timeout", code=-1)
        key = new_key()
        out = c_void_p()
        check(_ffi.lib().kiosk_idcard_read_async(self._p(), _ffi.ms(timeout),
                                                 _flags(fingerprint, extra_address),
                                                 trampoline(), key, _ffi.byref(out)),
              self._err)

        def take(job_ptr: int) -> IdCard:
            cp = c_void_p()
            check(_ffi.lib().kiosk_job_take_idcard(job_ptr, _ffi.byref(cp)),
                  "the job's card was already taken")
            return _card_from_c(_ffi.out(cp), own=True)

        return Job(self._ctx, _ffi.out(out), key, owner=self, take_result=take)

    @op
    def watch(self, enable: bool = True, interval: float = 0.25, *, fingerprint: bool = False,
              extra_address: bool = False) -> None:
        """Starts (or with ``enable=False`` stops) watching for cards.

        Every `interval` seconds (0.05–10) the reader looks for a card; a new
        card is read and posted as a ``card-inserted`` event carrying the
        :class:`IdCard` (``ev.card``), its removal as ``card-removed``. A card
        left on the reader is announced once. Take the events with
        :meth:`Context.events` or :meth:`Context.aevents`.
        """
        p = self._p()
        L = _ffi.lib()
        check(L.kiosk_idcard_set_watch_flags(p, _flags(fingerprint, extra_address)), self._err)
        check(L.kiosk_idcard_watch(p, _ffi.ms(interval, "interval"), bool(enable)), self._err)

    @op
    def unwatch(self) -> None:
        """Stops watching for cards."""
        check(_ffi.lib().kiosk_idcard_watch(self._p(), 0, False), self._err)

    @property
    @op
    def last_status(self) -> int:
        """SW3 byte of the reader's last reply (0 before any; 0x90 success, 0x80 no card...)."""
        return int(_ffi.lib().kiosk_idcard_get_last_status(self._p()))

    @staticmethod
    def status_string(sw3: int) -> str:
        """A short English text for a SW3 status byte ("no card", "select failed"...)."""
        return _ffi.dec(_ffi.lib().kiosk_idcard_status_string(int(sw3)))

    @op
    def sam_reset(self) -> None:
        """Resets the reader's security module (CMD 10 FF)."""
        check(_ffi.lib().kiosk_idcard_sam_reset(self._p()), self._err)

    @op
    def sam_status(self) -> None:
        """Checks the security module (CMD 11 FF); raises unless it reports OK."""
        check(_ffi.lib().kiosk_idcard_sam_status(self._p()), self._err)

    @op
    def sam_id(self) -> str:
        """The SAM id as vendors print it ("AA.BB-CCCCCCCC-DDDDDDDDDD-EEEEEEEEEE")."""
        buf = _ffi.ctypes.create_string_buffer(64)
        check(_ffi.lib().kiosk_idcard_sam_id(self._p(), buf, 64), self._err)
        return _ffi.dec(buf.value)

    @op
    def set_baud(self, baud: int) -> None:
        """Switches a serial reader to `baud` (115200/57600/38400/19200/9600)."""
        check(_ffi.lib().kiosk_idcard_set_baud(self._p(), int(baud)), self._err)

    @op
    def set_wlt_library(self, library: Optional[str]) -> None:
        """Names the vendor WLT decoder (path or soname) for this reader's context;
        None reverts to ``$KIOSK_WLT_LIBRARY``."""
        check(_ffi.lib().kiosk_idcard_set_wlt_library(self._ctx._p(),
                                                      _ffi.enc(library, "library")),
              self._ctx._err)
