# SPDX-License-Identifier: LGPL-2.1-or-later
"""Masking of personal data: the library's one policy (``kiosk/privacy.h``).

These call the C functions, so a name or an ID number is masked the same in
Python as in the library's logs, kioskctl and kiosk-app::

    >>> mask_name("韩梅梅"), mask_name("张三")
    ('韩*梅', '张*')
    >>> mask_id_number("100101199001010028")
    '1001**********0028'
"""

from __future__ import annotations

import ctypes
from typing import Callable, Optional

from . import _ffi
from ._ffi import c_char_p, c_size_t

for _f in ("name", "id_number", "address"):
    _ffi.proto("kiosk_mask_" + _f, c_char_p, c_char_p, c_char_p, c_size_t)


def _mask(fn: Callable[..., bytes], text: Optional[str]) -> Optional[str]:
    if text is None:
        return None
    raw = text.encode("utf-8")
    buf = ctypes.create_string_buffer(len(raw) + 4)  # the policy's bound
    fn(raw, buf, len(buf))
    out = buf.value.decode("utf-8", "replace")
    ctypes.memset(buf, 0, len(buf))
    return out


def mask_name(name: Optional[str]) -> Optional[str]:
    """"韩梅梅" → "韩*梅", "张三" → "张*", "Li Lei" → "L*****" (None stays None)."""
    return _mask(_ffi.lib().kiosk_mask_name, name)


def mask_id_number(number: Optional[str]) -> Optional[str]:
    """"100101199001010028" → "1001**********0028"; short numbers keep their last 2."""
    return _mask(_ffi.lib().kiosk_mask_id_number, number)


def mask_address(address: Optional[str]) -> Optional[str]:
    """The first two characters, then "***" ("北京市东城区…" → "北京***")."""
    return _mask(_ffi.lib().kiosk_mask_address, address)
