# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fixtures for the libkiosk Python binding tests.

Environment (set by CTest, see tests/python/CMakeLists.txt):
  LIBKIOSK_LIBRARY  the libkiosk.so under test
  KIOSK_SIM         the kiosk-sim emulator program
  KIOSKCTL          the kioskctl program (contract cross-checks)
  KIOSK_BUILD_DIR   the CMake build tree (install test; optional)
The emulators run as real processes on real transports (pty, loopback TCP):
each fixture starts one, reads the device URI from its first stdout line, and
terminates it afterwards.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import List, Optional

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))

import libkiosk  # noqa: E402


def _tool(env: str, name: str) -> str:
    path = os.environ.get(env) or shutil.which(name)
    if not path or not os.access(path, os.X_OK):
        pytest.fail(f"set {env} to the {name} program (CTest does this)")
    return path


class Sim:
    """A running kiosk-sim process and the URI it printed."""

    def __init__(self, kind: str, args: List[str], tmpdir: str, stdin: bool = False) -> None:
        self.kind = kind
        self.errpath = os.path.join(tmpdir, f"sim-{kind}-{os.getpid()}-{time.monotonic_ns()}.err")
        self._err = open(self.errpath, "wb")
        self.proc = subprocess.Popen([_tool("KIOSK_SIM", "kiosk-sim"), kind, *args],
                                     stdout=subprocess.PIPE, stderr=self._err,
                                     stdin=subprocess.PIPE if stdin else subprocess.DEVNULL)
        self.uri = self._first_line(20.0)

    def _first_line(self, timeout: float) -> str:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        buf = b""
        deadline = time.monotonic() + timeout
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            r, _, _ = select.select([fd], [], [], max(0.0, left))
            if not r:
                self.stop()
                pytest.fail(f"kiosk-sim {self.kind} printed no URI in {timeout} s: "
                            f"{self.stderr()}")
            chunk = os.read(fd, 4096)
            if not chunk:
                self.stop()
                rc = self.proc.returncode
                if rc == 77:
                    pytest.skip(f"kiosk-sim {self.kind}: not available here ({self.stderr()})")
                pytest.fail(f"kiosk-sim {self.kind} exited ({rc}): {self.stderr()}")
            buf += chunk
        return buf.split(b"\n", 1)[0].decode().strip()

    def send(self, line: str) -> None:
        """Writes a line to the emulator's stdin (kiosk-sim scanner --stdin scans it)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def stderr(self) -> str:
        try:
            with open(self.errpath, "rb") as f:
                return f.read().decode(errors="replace")[-2000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.proc.stdout:
            self.proc.stdout.close()
        if self.proc.stdin:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        self._err.close()


@pytest.fixture
def tmp(tmp_path) -> str:
    return str(tmp_path)


@pytest.fixture
def sim(tmp_path):
    """start(kind, *args) -> Sim; every emulator started is stopped afterwards."""
    started: List[Sim] = []

    def start(kind: str, *args: str, stdin: bool = False) -> Sim:
        s = Sim(kind, list(args), str(tmp_path), stdin=stdin)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


@pytest.fixture
def ctx():
    c = libkiosk.Context()
    yield c
    c.close()


@pytest.fixture
def kioskctl() -> str:
    return _tool("KIOSKCTL", "kioskctl")


def wait_for(pred, timeout: float = 10.0, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(interval)
    return pred()


def zbar_decode(png_path: str) -> Optional[str]:
    """The QR payload in a PNG, read back with zbarimg (None if none found)."""
    exe = shutil.which("zbarimg")
    if exe is None:
        pytest.fail("zbarimg (zbar-tools) is needed to read printed QR codes back")
    r = subprocess.run([exe, "--quiet", "--raw", "-Sqrcode.enable=1", png_path],
                       capture_output=True, timeout=60)
    if r.returncode != 0:
        return None
    return r.stdout.decode("utf-8", errors="replace").strip()


def build_dir() -> Optional[str]:
    d = os.environ.get("KIOSK_BUILD_DIR")
    if d:
        return d
    lib = os.environ.get("LIBKIOSK_LIBRARY")
    if lib:  # <build>/libkiosk/libkiosk.so.0
        cand = os.path.dirname(os.path.dirname(os.path.abspath(lib)))
        if os.path.exists(os.path.join(cand, "CMakeCache.txt")):
            return cand
    return None


TMPDIR = tempfile.gettempdir()


def next_event(ctx, timeout: float = 30.0, skip=("device-state",)):
    """The next event that is not a device-state change (those come with
    every link change, e.g. a serial device's first answer)."""
    deadline = time.monotonic() + timeout
    while True:
        ev = ctx.next_event(timeout=max(0.0, deadline - time.monotonic()))
        if ev.type not in skip:
            return ev
