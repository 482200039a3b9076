# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every C error code has its own exception class, named after the code."""

import pickle

import pytest

import libkiosk
from libkiosk import _ffi, errors


def c_codes():
    """Every code the loaded C library names (probing 0..-40)."""
    lib = _ffi.lib()
    out = {}
    for code in range(-1, -41, -1):
        name = lib.kiosk_error_name(code).decode()
        if name != "KIOSK_E_UNKNOWN":
            out[code] = name
    return out


def test_every_c_code_has_a_static_class():
    codes = c_codes()
    assert len(codes) >= 25, codes
    static = errors.known_codes()
    missing = {c: n for c, n in codes.items() if c not in static}
    assert not missing, f"C error codes without a Python class: {missing}"
    for code, name in codes.items():
        cls = libkiosk.error_class(code)
        assert cls is static[code]
        assert cls.error_name == name
        assert cls.code == code
        assert issubclass(cls, libkiosk.KioskError)
        # exported at the top level under its own name
        assert getattr(libkiosk, cls.__name__) is cls
        assert cls.__module__ == "libkiosk"
        assert cls.__doc__ and name in cls.__doc__


@pytest.mark.parametrize("name,builtin", [
    ("Timeout", TimeoutError), ("InvalidArgument", ValueError), ("BadUri", ValueError),
    ("BadDocument", ValueError), ("NoMemory", MemoryError), ("AccessDenied", PermissionError),
    ("NotFound", LookupError), ("Closed", ConnectionError), ("IoError", OSError),
])
def test_builtin_bases(name, builtin):
    cls = getattr(libkiosk, name)
    assert issubclass(cls, builtin)
    e = cls("why it failed")
    assert str(e) == "why it failed"
    assert e.message == "why it failed"


def test_names_from_the_issue():
    expect = {"KIOSK_E_TIMEOUT": "Timeout", "KIOSK_E_NO_DEVICE": "NoDevice",
              "KIOSK_E_PAPER_OUT": "PaperOut", "KIOSK_E_COVER_OPEN": "CoverOpen",
              "KIOSK_E_PROTOCOL": "ProtocolError", "KIOSK_E_CHECKSUM": "ChecksumError",
              "KIOSK_E_INVALID_ARG": "InvalidArgument", "KIOSK_E_BAD_URI": "BadUri",
              "KIOSK_E_BAD_DOCUMENT": "BadDocument", "KIOSK_E_NO_CARD": "NoCard"}
    by_name = {c.error_name: c.__name__ for c in errors.known_codes().values()}
    for c_name, py in expect.items():
        assert by_name[c_name] == py


def test_families_and_default_message():
    assert issubclass(libkiosk.PaperOut, libkiosk.PrinterError)
    assert issubclass(libkiosk.NoCard, libkiosk.IdCardError)
    assert issubclass(libkiosk.ChecksumError, libkiosk.ProtocolError)
    e = libkiosk.PaperOut()
    # no message given: the library's description of the code
    assert str(e) == _ffi.lib().kiosk_strerror(-19).decode()
    assert e.code == -19 and e.error_name == "KIOSK_E_PAPER_OUT"


def test_unknown_code_is_still_a_kiosk_error():
    cls = libkiosk.error_class(-39)
    assert cls is libkiosk.KioskError
    e = errors.make_error(-39, "from the future")
    assert isinstance(e, libkiosk.KioskError) and e.code == -39


def test_pickle_roundtrip():
    e = libkiosk.CoverOpen("cover open on tcp:x", code=-20)
    e2 = pickle.loads(pickle.dumps(e))
    assert type(e2) is libkiosk.CoverOpen and str(e2) == str(e) and e2.code == -20


def test_library_message_is_carried(ctx):
    with pytest.raises(libkiosk.BadUri) as ei:
        ctx.open_printer("usb:zz:1")
    msg = str(ei.value)
    assert msg and msg != _ffi.lib().kiosk_strerror(-13).decode(), msg
    assert isinstance(ei.value, ValueError)
    with pytest.raises(libkiosk.NoDevice) as ei:
        ctx.open_idcard("serial:/dev/this-port-does-not-exist")
    assert "this-port-does-not-exist" in str(ei.value)
