# SPDX-License-Identifier: LGPL-2.1-or-later
"""Receipt documents: :class:`Receipt` (build in Python, print, preview as PNG)."""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import os
from typing import (TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Tuple, Union)

from . import _ffi
from ._ffi import POINTER, c_char_p, c_int, c_size_t, c_void_p
from ._handle import check
from .errors import BadDocument, InvalidArgument

if TYPE_CHECKING:  # pragma: no cover
    from .context import Context

__all__ = ["Receipt", "receipt_profiles", "Document"]

PROFILE_FN = _ffi.ctypes.CFUNCTYPE(None, c_char_p, c_char_p, c_void_p)

_ffi.proto("kiosk_receipt_new", c_int, POINTER(c_void_p))
_ffi.proto("kiosk_receipt_free", None, c_void_p)
_ffi.proto("kiosk_receipt_last_error", c_char_p, c_void_p)
_ffi.proto("kiosk_receipt_from_json", c_int, c_char_p, POINTER(c_void_p), c_char_p, c_size_t)
_ffi.proto("kiosk_receipt_from_json_file", c_int, c_char_p, POINTER(c_void_p), c_char_p,
           c_size_t)
_ffi.proto("kiosk_receipt_to_json", c_int, c_void_p, POINTER(c_void_p))
_ffi.proto("kiosk_receipt_item_count", c_size_t, c_void_p)
_ffi.proto("kiosk_receipt_render_png", c_int, c_void_p, c_void_p, c_char_p, POINTER(c_void_p),
           POINTER(c_size_t))
_ffi.proto("kiosk_receipt_render_escpos", c_int, c_void_p, c_void_p, c_char_p,
           POINTER(c_void_p), POINTER(c_size_t), POINTER(c_size_t))
_ffi.proto("kiosk_receipt_profiles", c_int, PROFILE_FN, c_void_p)

_ALIGNS = ("left", "center", "right")
_ECCS = ("L", "M", "Q", "H")


def _align(a: Optional[str]) -> Optional[str]:
    if a is None:
        return None
    if a == "centre":
        a = "center"
    if a not in _ALIGNS:
        raise InvalidArgument(f"align must be one of left, center, right, not {a!r}", code=-1)
    return a


def _size(v: Optional[int], what: str) -> Optional[int]:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 8:
        raise InvalidArgument(f"{what} must be an integer 1..8, not {v!r}", code=-1)
    return v


class Receipt:
    """A receipt document, built in Python (the receipt JSON of docs/contracts.md).

    Builder calls append one item and return the receipt, so they chain::

        doc = (libkiosk.Receipt(profile="generic-80mm")
               .text("政务服务中心", align="center", bold=True, size=2)
               .text("受理回执", align="center")
               .rule()
               .columns("办件编号", "2024-000123")
               .qr("https://example.gov.cn/case/2024-000123", module=6, ecc="M")
               .feed(2)
               .cut())

    Values are checked as they are added (:class:`InvalidArgument`); the
    library checks the whole document again when it is printed, previewed
    (:meth:`render_png`) or :meth:`validate`-d (:class:`BadDocument`, with
    the JSON path of the bad value). A plain ``dict`` in the same format is
    accepted wherever a Receipt is.
    """

    def __init__(self, profile: Optional[str] = None,
                 items: Optional[List[Dict[str, Any]]] = None) -> None:
        self.profile: Optional[str] = profile
        self.items: List[Dict[str, Any]] = list(items or [])

    # ---- builder --------------------------------------------------------

    def text(self, text: str, align: Optional[str] = None, bold: Optional[bool] = None,
             size: Optional[int] = None, *, width: Optional[int] = None,
             height: Optional[int] = None) -> "Receipt":
        """A paragraph of UTF-8 text ('\\n' starts a new line); `size` 1..8 scales
        both directions, `width`/`height` one each."""
        if not isinstance(text, str):
            raise TypeError("text must be a str")
        it: Dict[str, Any] = {"text": text}
        if align is not None:
            it["align"] = _align(align)
        if bold is not None:
            it["bold"] = bool(bold)
        if size is not None:
            it["size"] = _size(size, "size")
        if width is not None:
            it["width"] = _size(width, "width")
        if height is not None:
            it["height"] = _size(height, "height")
        self.items.append(it)
        return self

    def qr(self, data: str, module: Optional[int] = None, ecc: Optional[str] = None,
           align: Optional[str] = None) -> "Receipt":
        """A QR code of `data`; `module` 1..16 dots, `ecc` 'L'|'M'|'Q'|'H' (centred by default)."""
        if not isinstance(data, str) or not data:
            raise InvalidArgument("qr data must be a non-empty str", code=-1)
        it: Dict[str, Any] = {"qr": data}
        if module is not None:
            if isinstance(module, bool) or not isinstance(module, int) or not 1 <= module <= 16:
                raise InvalidArgument(f"module must be an integer 1..16, not {module!r}",
                                      code=-1)
            it["module"] = module
        if ecc is not None:
            if ecc not in _ECCS:
                raise InvalidArgument(f"ecc must be one of L, M, Q, H, not {ecc!r}", code=-1)
            it["ecc"] = ecc
        if align is not None:
            it["align"] = _align(align)
        self.items.append(it)
        return self

    def image(self, png: Union[str, "os.PathLike[str]", bytes, bytearray],
              align: Optional[str] = None) -> "Receipt":
        """A PNG image: a file path, or the PNG bytes themselves. Scaled to fit
        the paper and dithered to black and white when laid out."""
        if isinstance(png, (bytes, bytearray)):
            if not bytes(png[:8]) == b"\x89PNG\r\n\x1a\n":
                raise InvalidArgument("image bytes are not a PNG", code=-1)
            src = "data:image/png;base64," + base64.b64encode(bytes(png)).decode("ascii")
        else:
            src = os.fspath(png)
        it: Dict[str, Any] = {"image": src}
        if align is not None:
            it["align"] = _align(align)
        self.items.append(it)
        return self

    def feed(self, lines: int = 1) -> "Receipt":
        """`lines` (0..255) blank lines."""
        if isinstance(lines, bool) or not isinstance(lines, int) or not 0 <= lines <= 255:
            raise InvalidArgument(f"feed must be an integer 0..255, not {lines!r}", code=-1)
        self.items.append({"feed": lines})
        return self

    def rule(self) -> "Receipt":
        """A horizontal line across the paper."""
        self.items.append({"rule": True})
        return self

    def columns(self, left: str, right: str, bold: Optional[bool] = None) -> "Receipt":
        """A row: `left` from the left edge, `right` flush right."""
        it: Dict[str, Any] = {"columns": [str(left), str(right)]}
        if bold is not None:
            it["bold"] = bool(bold)
        self.items.append(it)
        return self

    def cut(self, partial: bool = False) -> "Receipt":
        """Cut the paper here (partial: one point left uncut)."""
        self.items.append({"cut": "partial" if partial else "full"})
        return self

    # ---- conversions ----------------------------------------------------

    def to_dict(self) -> Dict[str, Any]:
        """The document as the receipt JSON dict."""
        d: Dict[str, Any] = {}
        if self.profile:
            d["profile"] = self.profile
        d["items"] = copy.deepcopy(self.items)
        return d

    def to_json(self, indent: Optional[int] = None) -> str:
        """The document as receipt JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Receipt":
        """A Receipt from the JSON dict (checked by the library when used)."""
        if not isinstance(d, Mapping):
            raise BadDocument("a receipt document is a JSON object", code=BadDocument.code)
        items = d.get("items", [])
        if not isinstance(items, list):
            raise BadDocument("items: must be an array", code=BadDocument.code)
        return cls(d.get("profile"), [dict(i) if isinstance(i, Mapping) else i for i in items])

    @classmethod
    def from_json(cls, text: str) -> "Receipt":
        """A Receipt from JSON text (checked by the library now)."""
        with _c_receipt(text):
            pass
        try:
            return cls.from_dict(json.loads(text))
        except ValueError as e:
            raise BadDocument(str(e), code=BadDocument.code) from None

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> "Receipt":
        """Reads a receipt JSON file. Relative image paths are made absolute
        against the file's directory, as ``kioskctl print`` resolves them."""
        path = os.fspath(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        r = cls._from_json_unchecked(text)
        base = os.path.dirname(os.path.abspath(path))
        for it in r.items:
            img = it.get("image") if isinstance(it, dict) else None
            if isinstance(img, str) and not img.startswith("data:") and not os.path.isabs(img):
                it["image"] = os.path.join(base, img)
        r.validate()
        return r

    @classmethod
    def _from_json_unchecked(cls, text: str) -> "Receipt":
        try:
            return cls.from_dict(json.loads(text))
        except ValueError as e:
            raise BadDocument(f"not JSON: {e}", code=BadDocument.code) from None

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        kinds = []
        for it in self.items:
            k = next(iter(it), "?") if isinstance(it, dict) else "?"
            kinds.append(k)
        prof = f" profile={self.profile!r}" if self.profile else ""
        return f"<libkiosk.Receipt{prof} items={len(self.items)} [{', '.join(kinds[:8])}" \
               f"{', …' if len(kinds) > 8 else ''}]>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Receipt):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    # ---- library-backed operations -------------------------------------

    def validate(self) -> None:
        """Has the library parse the document; raises :class:`BadDocument`
        (message names the bad value, e.g. ``items[3].size: ...``) or
        :class:`NotFound` (missing image file)."""
        with _c_receipt(self):
            pass

    def render_png(self, ctx: Optional["Context"] = None, profile: Optional[str] = None) -> bytes:
        """The preview as PNG bytes: one pixel per printer dot, laid out exactly
        as printed with printer profile `profile` (default: the document's,
        else ``generic-80mm``). `ctx` None uses a temporary context."""
        return _render(self, ctx, profile, png=True)[0]

    def save_png(self, path: Union[str, "os.PathLike[str]"], ctx: Optional["Context"] = None,
                 profile: Optional[str] = None) -> None:
        """Writes :meth:`render_png` to `path`."""
        data = self.render_png(ctx, profile)
        with open(path, "wb") as f:
            f.write(data)

    def render_escpos(self, ctx: Optional["Context"] = None,
                      profile: Optional[str] = None) -> Tuple[bytes, int]:
        """The ESC/POS bytes a printer with `profile` gets, and how many
        characters were substituted because it cannot print them."""
        return _render(self, ctx, profile, png=False)


Document = Union[Receipt, Mapping[str, Any], str]


def _doc_json(doc: Document) -> str:
    if isinstance(doc, Receipt):
        return doc.to_json()
    if isinstance(doc, Mapping):
        try:
            return json.dumps(doc, ensure_ascii=False)
        except (TypeError, ValueError) as e:
            raise BadDocument(f"not JSON-serialisable: {e}", code=BadDocument.code) from None
    if isinstance(doc, str):
        return doc
    raise TypeError("a receipt is a libkiosk.Receipt, a dict in the receipt JSON format, "
                    f"or JSON text; not {type(doc).__name__}")


@contextlib.contextmanager
def _c_receipt(doc: Document) -> Iterator[int]:
    """A kiosk_receipt* parsed from `doc`, freed on exit."""
    L = _ffi.lib()
    text = _ffi.enc(_doc_json(doc), "receipt JSON")
    out = c_void_p()
    err = _ffi.ctypes.create_string_buffer(512)
    check(L.kiosk_receipt_from_json(text, _ffi.byref(out), err, 512),
          lambda: _ffi.dec(err.value) or "bad receipt document")
    try:
        yield _ffi.out(out)
    finally:
        L.kiosk_receipt_free(out.value)


def _render(doc: Document, ctx: Optional["Context"], profile: Optional[str],
            png: bool) -> Tuple[bytes, int]:
    from .context import Context

    own = ctx is None
    c = Context() if ctx is None else ctx
    try:
        L = _ffi.lib()
        with _c_receipt(doc) as r:
            out, n, subst = c_void_p(), c_size_t(), c_size_t()
            prof = _ffi.enc(profile, "profile")
            if png:
                check(L.kiosk_receipt_render_png(c._p(), r, prof, _ffi.byref(out), _ffi.byref(n)),
                      c._err)
            else:
                check(L.kiosk_receipt_render_escpos(c._p(), r, prof, _ffi.byref(out),
                                                    _ffi.byref(n), _ffi.byref(subst)), c._err)
            return _ffi.take_bytes(out.value, n.value, wipe=True), int(subst.value)
    finally:
        if own:
            c.close()


def receipt_profiles() -> List[Tuple[str, str]]:
    """The printer profiles built into the library: (name, description), by name."""
    out: List[Tuple[str, str]] = []

    def cb(name: bytes, desc: bytes, user: int) -> None:
        out.append((_ffi.dec(name), _ffi.dec(desc)))

    fn = PROFILE_FN(cb)
    check(_ffi.lib().kiosk_receipt_profiles(fn, None))
    return out
