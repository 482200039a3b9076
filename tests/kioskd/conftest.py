# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fixtures for the kioskd tests: emulated devices (kiosk-sim), a kioskd
started on them with a generated token file, and a small WebSocket client.

Environment (set by CTest, see tests/kioskd/CMakeLists.txt):
  KIOSKD     the kioskd program under test
  KIOSK_SIM  the kiosk-sim emulator program
Everything listens on loopback; every process started is stopped afterwards.
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import shutil
import signal
import subprocess
import time
from typing import Dict, List, Optional

import pytest
import websockets

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CARDS = os.path.join(ROOT, "hw", "sim", "cards")

TOKEN_DEVICES = "devices-token-0123456789abcdef"
TOKEN_PII = "pii-token-0123456789abcdef0123"
TOKEN_ADMIN = "admin-only-token-0123456789abc"
ORIGIN = "http://127.0.0.1:8999"

# what must never appear in kioskd's log (the synthetic card's data, the tokens)
SECRETS = ["韩梅梅", "100101199003070028", "测试省样例市", TOKEN_DEVICES, TOKEN_PII]


def tool(env: str, name: str) -> str:
    path = os.environ.get(env) or shutil.which(name)
    if not path or not os.access(path, os.X_OK):
        pytest.fail(f"set {env} to the {name} program (CTest does this)")
    return path


def first_line(proc: subprocess.Popen, timeout: float, what: str) -> str:
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    buf = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in buf:
        r, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not r:
            raise RuntimeError(f"{what} printed nothing in {timeout} s")
        chunk = os.read(fd, 4096)
        if not chunk:
            raise RuntimeError(f"{what} exited ({proc.wait()})")
        buf += chunk
    return buf.split(b"\n", 1)[0].decode().strip()


class Proc:
    """A child process with its stderr in a file."""

    def __init__(self, argv: List[str], errpath: str, stdin: bool = False) -> None:
        self.argv = argv
        self.errpath = errpath
        self._err = open(errpath, "wb")
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self._err,
                                     stdin=subprocess.PIPE if stdin else subprocess.DEVNULL)

    def stderr(self) -> str:
        with open(self.errpath, "rb") as f:
            return f.read().decode(errors="replace")

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def stop(self, timeout: float = 15) -> Optional[int]:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
                self._err.close()
                return None
        for s in (self.proc.stdout, self.proc.stdin):
            if s:
                try:
                    s.close()
                except OSError:
                    pass
        self._err.close()
        return self.proc.returncode


class Sim(Proc):
    def __init__(self, kind: str, args: List[str], tmpdir: str, stdin: bool = False) -> None:
        super().__init__([tool("KIOSK_SIM", "kiosk-sim"), kind, *args],
                         os.path.join(tmpdir, f"sim-{kind}-{time.monotonic_ns()}.err"), stdin)
        self.uri = first_line(self.proc, 20, f"kiosk-sim {kind}")


class Kioskd(Proc):
    def __init__(self, args: List[str], tmpdir: str) -> None:
        super().__init__([tool("KIOSKD", "kioskd"), *args],
                         os.path.join(tmpdir, f"kioskd-{time.monotonic_ns()}.err"))
        self.url = first_line(self.proc, 20, "kioskd")

    def stop_clean(self) -> None:
        """Stops it and checks it ended well, without leaking personal data to its log."""
        rc = self.stop()
        log = self.stderr()
        assert rc == 0, f"kioskd exited with {rc}: {log[-3000:]}"
        assert "runtime error" not in log and "Sanitizer" not in log, log[-5000:]
        for s in SECRETS:
            assert s not in log, f"kioskd's log holds personal data or a token ({s[:3]}…)"


def write_tokens(path: str, mode: int = 0o600) -> str:
    with open(path, "w") as f:
        f.write("# kioskd test tokens\n")
        f.write(f"{TOKEN_DEVICES} devices\n")
        f.write(f"{TOKEN_PII} devices,pii\n")
        f.write(f"{TOKEN_ADMIN} admin\n")
    os.chmod(path, mode)
    return path


class Daemon:
    """kioskd on emulated devices."""

    def __init__(self, tmpdir: str, idcard: Optional[List[str]] = None,
                 printer: Optional[List[str]] = None, scanner: Optional[List[str]] = None,
                 extra: Optional[List[str]] = None, verbose: int = 1) -> None:
        self.tmp = tmpdir
        self.sims: Dict[str, Sim] = {}
        self.out = os.path.join(tmpdir, f"receipts-{time.monotonic_ns()}")
        args = ["--listen", "127.0.0.1:0", "--origin", ORIGIN,
                "--token-file", write_tokens(os.path.join(tmpdir, "tokens"))]
        if verbose:
            args.append("-" + "v" * verbose)
        if idcard is not None:
            self.sims["idcard"] = Sim("idcard", ["--pty", "--stdin", *idcard], tmpdir, stdin=True)
            args += ["--idcard", self.sims["idcard"].uri]
        if printer is not None:
            self.sims["printer"] = Sim("printer", ["--tcp", "0", "--out", self.out, *printer], tmpdir)
            args += ["--printer", self.sims["printer"].uri]
        if scanner is not None:
            self.sims["scanner"] = Sim("scanner", ["--pty", *scanner], tmpdir, stdin=True)
            args += ["--scanner", self.sims["scanner"].uri]
        self.kioskd = Kioskd(args + (extra or []), tmpdir)
        self.url = self.kioskd.url

    def receipts(self) -> List[str]:
        if not os.path.isdir(self.out):
            return []
        return sorted(f for f in os.listdir(self.out) if f.endswith(".png"))

    def stop(self) -> None:
        try:
            self.kioskd.stop_clean()
        finally:
            for s in self.sims.values():
                s.stop()


@pytest.fixture
def daemon(tmp_path):
    """daemon(**kwargs) -> Daemon; stopped (and checked) afterwards."""
    started: List[Daemon] = []

    def start(**kw) -> Daemon:
        d = Daemon(str(tmp_path), **kw)
        started.append(d)
        return d

    yield start
    for d in started:
        d.stop()


class Client:
    """A protocol client: send commands, collect replies per requestId."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.next_id = 1
        self.unsolicited: List[dict] = []
        self.pending: Dict[int, List[dict]] = {}
        self.loose: List[dict] = []

    @classmethod
    async def connect(cls, url: str, token: Optional[str] = TOKEN_DEVICES,
                      origin: Optional[str] = None, **kw) -> "Client":
        full = url + (f"?token={token}" if token else "")
        ws = await websockets.connect(full, origin=origin, max_size=None, **kw)
        return cls(ws)

    async def send(self, name: str, payload: Optional[dict] = None, timeout: Optional[int] = None,
                   request_id: Optional[int] = None) -> int:
        rid = request_id if request_id is not None else self.next_id
        self.next_id = max(self.next_id, rid) + 1
        header = {"type": "command", "name": name, "requestId": rid}
        if timeout is not None:
            header["timeout"] = timeout
        await self.ws.send(json.dumps({"header": header, "payload": payload or {}}))
        self.pending.setdefault(rid, [])
        return rid

    async def recv(self, wait: float = 20.0) -> dict:
        m = json.loads(await asyncio.wait_for(self.ws.recv(), wait))
        h = m["header"]
        if h["type"] == "unsolicited":
            self.unsolicited.append(m)
        elif h.get("requestId") in self.pending:
            self.pending[h["requestId"]].append(m)
        else:
            self.loose.append(m)
        return m

    async def finish(self, rid: int, wait: float = 30.0) -> List[dict]:
        """All messages of command `rid` up to its completion (or a refusing acknowledge)."""
        deadline = time.monotonic() + wait
        while True:
            msgs = self.pending.get(rid, [])
            if msgs and (msgs[-1]["header"]["type"] == "completion" or
                         (msgs[-1]["header"]["type"] == "acknowledge" and
                          msgs[-1]["header"]["status"] != "ok")):
                return msgs
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"command {rid}: no completion in {wait} s: {msgs}")
            await self.recv(left)

    async def call(self, name: str, payload: Optional[dict] = None, timeout: Optional[int] = None,
                   wait: float = 30.0) -> List[dict]:
        return await self.finish(await self.send(name, payload, timeout), wait)

    async def raw(self, data) -> dict:
        """Sends a raw frame and returns the next reply that is not unsolicited."""
        await self.ws.send(data)
        while True:
            m = await self.recv()
            if m["header"]["type"] != "unsolicited":
                return m

    async def wait_unsolicited(self, name: str, wait: float = 15.0) -> dict:
        deadline = time.monotonic() + wait
        while True:
            for m in self.unsolicited:
                if m["header"]["name"] == name:
                    self.unsolicited.remove(m)
                    return m
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no unsolicited {name} in {wait} s")
            try:
                await self.recv(left)
            except asyncio.TimeoutError:
                pass

    async def close(self) -> None:
        await self.ws.close()


def check_shape(msgs: List[dict], name: str, code: Optional[str] = "success") -> dict:
    """Exactly one acknowledge (ok) first, exactly one completion last; returns the completion."""
    assert msgs[0]["header"]["type"] == "acknowledge", msgs
    assert msgs[0]["header"]["status"] == "ok", msgs
    assert msgs[0]["header"]["name"] == name
    kinds = [m["header"]["type"] for m in msgs]
    assert kinds.count("acknowledge") == 1 and kinds.count("completion") == 1, kinds
    assert all(k == "event" for k in kinds[1:-1]), kinds
    done = msgs[-1]
    assert done["header"]["name"] == name
    assert done["header"]["requestId"] == msgs[0]["header"]["requestId"]
    if code is not None:
        assert done["header"]["completionCode"] == code, done
    return done


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 240))
