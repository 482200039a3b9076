# SPDX-License-Identifier: LGPL-2.1-or-later
"""kioskd security: handshake checks (Origin 403, token 401), the token file,
loopback-only without TLS, wss, and hostile input that must neither crash
nor stall the daemon."""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import subprocess

import pytest
import websockets

from conftest import (ORIGIN, TOKEN_DEVICES, Client, Kioskd, check_shape, run, tool,
                      write_tokens)


def status_of(url, **kw) -> int:
    async def go():
        try:
            ws = await websockets.connect(url, **kw)
        except websockets.exceptions.InvalidStatusCode as e:
            return e.status_code
        await ws.close()
        return 101
    return run(go())


def test_handshake_checks(daemon):
    d = daemon()
    tok = f"?token={TOKEN_DEVICES}"
    assert status_of(d.url + tok, origin=ORIGIN) == 101
    assert status_of(d.url + tok) == 101                        # no Origin: not a browser page
    assert status_of(d.url + tok, origin="http://evil.example") == 403
    assert status_of(d.url + tok, origin="null") == 403
    assert status_of(d.url, origin=ORIGIN) == 401               # no token
    assert status_of(d.url + "?token=", origin=ORIGIN) == 401
    assert status_of(d.url + "?token=wrong-token-0123456789abcdef", origin=ORIGIN) == 401
    assert status_of(d.url + tok[:-1], origin=ORIGIN) == 401     # a prefix of a token
    assert status_of(d.url.replace("/kiosk/v1", "/other") + tok) == 404
    # wrong Origin wins over a missing token: 403 first
    assert status_of(d.url, origin="http://evil.example") == 403


def start_fails(tmp_path, args, want: str) -> None:
    p = subprocess.run([tool("KIOSKD", "kioskd"), *args], capture_output=True, timeout=30,
                       text=True)
    assert p.returncode != 0, p
    assert want in p.stderr, p.stderr
    assert p.stdout == ""  # it never announced a listening URL


def test_world_readable_token_file_refused(tmp_path):
    path = write_tokens(str(tmp_path / "tokens"), 0o644)
    start_fails(tmp_path, ["--listen", "127.0.0.1:0", "--token-file", path], "refusing")
    os.chmod(path, 0o602)
    start_fails(tmp_path, ["--listen", "127.0.0.1:0", "--token-file", path], "refusing")
    bad = tmp_path / "bad"
    bad.write_text("sometoken devices,root\n")
    os.chmod(bad, 0o600)
    start_fails(tmp_path, ["--listen", "127.0.0.1:0", "--token-file", str(bad)], "RIGHTS")


def test_non_loopback_needs_tls(tmp_path):
    path = write_tokens(str(tmp_path / "tokens"))
    start_fails(tmp_path, ["--listen", "0.0.0.0:0", "--token-file", path], "TLS")
    start_fails(tmp_path, ["--listen", "[::]:0", "--token-file", path], "TLS")
    start_fails(tmp_path, ["--listen", "localhost"], "HOST:PORT")


def make_cert(tmp_path):
    cert, key = str(tmp_path / "c.pem"), str(tmp_path / "k.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
    os.chmod(key, 0o600)
    return cert, key


def test_tls_on_all_interfaces(tmp_path):
    cert, key = make_cert(tmp_path)
    tokens = write_tokens(str(tmp_path / "tokens"))
    k = Kioskd(["--listen", "0.0.0.0:0", "--tls-cert", cert, "--tls-key", key,
                "--token-file", tokens], str(tmp_path))
    try:
        assert k.url.startswith("wss://")
        port = k.url.rsplit(":", 1)[1].split("/")[0]
        ctx = ssl.create_default_context(cafile=cert)

        async def go():
            c = await Client.connect(f"wss://127.0.0.1:{port}/kiosk/v1", ssl=ctx)
            check_shape(await c.call("Common.Status"), "Common.Status")
            await c.close()
            with pytest.raises(websockets.exceptions.InvalidStatusCode):
                await websockets.connect(f"wss://127.0.0.1:{port}/kiosk/v1", ssl=ctx)
        run(go())
    finally:
        k.stop_clean()


def test_no_token_file_local_clients(tmp_path):
    k = Kioskd(["--listen", "127.0.0.1:0"], str(tmp_path))
    try:
        async def go():
            c = await Client.connect(k.url, token=None)
            check_shape(await c.call("Common.Status"), "Common.Status")
            await c.close()
        run(go())
        assert status_of(k.url, origin="http://evil.example") == 403
    finally:
        k.stop_clean()


BAD = [
    (b"not json", "invalidMessage", None),
    (b"", "invalidMessage", None),
    (b"[]", "invalidMessage", None),
    (b'{"header": 5}', "invalidMessage", None),
    (b'{"payload": {}}', "invalidMessage", None),
    (b'{"header": {"type": "command", "name": "Common.Status"}}', "invalidMessage", None),
    (b'{"header": {"type": "command", "name": "Common.Status", "requestId": "7"}}',
     "invalidRequestId", None),
    (b'{"header": {"type": "command", "name": "Common.Status", "requestId": -1}}',
     "invalidRequestId", None),
    (b'{"header": {"type": "command", "name": "Common.Status", "requestId": 1.5}}',
     "invalidRequestId", None),
    (b'{"header": {"type": "event", "name": "Common.Status", "requestId": 3}}',
     "invalidMessage", 3),
    (b'{"header": {"type": "command", "name": 7, "requestId": 4}}', "invalidMessage", 4),
    (b'{"header": {"type": "command", "name": "Common.Status", "requestId": 5, "timeout": "x"}}',
     "invalidMessage", 5),
    (b'{"header": {"type": "command", "name": "Common.Status", "requestId": 6, "timeout": -5}}',
     "invalidMessage", 6),
    (b'{"header": {"type": "command", "name": "Common.Status", "requestId": 8}, "payload": []}',
     "invalidMessage", 8),
    (b'{"header": {"type": "command", "name": "Common.Status", "requestId": 9}} trailing',
     "invalidMessage", None),
    (b'{"header": {"type": "command", "name": "' + b"N" * 100 + b'", "requestId": 10}}',
     "invalidMessage", 10),
    (b"[" * 5000 + b"]" * 5000, "invalidMessage", None),
]

INVALID_DATA = [
    ("IdCard.Read", {"photo": "yes"}),
    ("Printer.Print", {}),
    ("Printer.Print", {"document": "text"}),
    ("Printer.Print", {"document": {"items": [{"text": "x", "size": 12}]}}),
    ("Printer.Print", {"document": {"items": [{"image": "/etc/passwd"}]}}),
    ("Printer.Print", {"document": {"items": [{"image": "../../x.png"}]}}),
    ("Printer.Print", {"document": {"items": [{"qr": ""}]}}),
    ("Common.Cancel", {"requestIds": "all"}),
    ("Common.Cancel", {"requestIds": [1, "2"]}),
]


def raw_text_frame(url: str, payload: bytes) -> bytes:
    """Handshakes by hand and sends one masked text frame; returns the first reply byte."""
    import base64
    import socket
    hostport = url.split("//", 1)[1].split("/", 1)[0]
    host, port = hostport.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /kiosk/v1?token={TOKEN_DEVICES} HTTP/1.1\r\nHost: {hostport}\r\n"
               "Upgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(4096)
    assert head.startswith(b"HTTP/1.1 101"), head
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    s.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + body)
    try:
        first = s.recv(1)
    except OSError:
        first = b""
    s.close()
    return first


def test_malformed_input(daemon):
    d = daemon(idcard=["--no-card"], printer=[])

    async def go():
        c = await Client.connect(d.url)
        for raw, status, rid in BAD:
            m = await c.raw(raw.decode())
            assert m["header"]["type"] == "acknowledge", (raw, m)
            assert m["header"]["status"] == status, (raw[:60], m)
            assert m["header"]["requestId"] == rid, (raw[:60], m)
            assert m["header"]["errorDescription"]
        # binary frames are refused the same way
        m = await c.raw(b'{"header": {}}')
        assert m["header"]["status"] == "invalidMessage"
        for name, payload in INVALID_DATA:
            done = check_shape(await c.call(name, payload), name, "invalidData")
            assert done["header"]["errorDescription"], done
        # the largest requestId a JavaScript number holds exactly comes back exactly
        big_id = 9007199254740991
        done = check_shape(await c.finish(await c.send("Common.Status", request_id=big_id)),
                           "Common.Status")
        assert done["header"]["requestId"] == big_id
        c.next_id = 500
        # nothing was printed by all that
        assert d.receipts() == []
        # an oversized message: refused, the connection stays usable
        big = json.dumps({"header": {"type": "command", "name": "Printer.Print", "requestId": 77},
                          "payload": {"document": {"items": [{"text": "x" * (2 << 20)}]}}})
        m = await c.raw(big)
        assert m["header"]["status"] == "invalidMessage" and "larger" in m["header"]["errorDescription"]
        check_shape(await c.call("Common.Status"), "Common.Status")
        # a duplicate requestId while the first is pending
        rid = await c.send("IdCard.Read", timeout=3000)
        await c.ws.send(json.dumps({"header": {"type": "command", "name": "Common.Status",
                                               "requestId": rid}}))
        seen = []
        while True:
            m = await c.recv()
            seen.append(m)
            if m["header"]["type"] == "acknowledge" and m["header"]["status"] != "ok":
                assert m["header"]["status"] == "invalidRequestId"
                c.pending[rid].remove(m)
                break
        check_shape(await c.finish(rid), "IdCard.Read", "noCard")
        await c.close()
        # invalid UTF-8 in a text frame closes that connection only (RFC 6455: 1007)
        assert raw_text_frame(d.url, b"\xff\xfe{}") in (b"", b"\x88")
        c2 = await Client.connect(d.url)
        check_shape(await c2.call("Common.Status"), "Common.Status")
        await c2.close()
    run(go())


def test_limits(daemon):
    d = daemon(scanner=["--stdin"])

    async def go():
        c = await Client.connect(d.url)
        # at most 16 commands pending per connection
        ids = [await c.send("Scanner.Read", timeout=60000) for _ in range(16)]
        extra = await c.send("Scanner.Read", timeout=60000)
        msgs = await c.finish(extra)
        assert [m["header"]["status"] for m in msgs] == ["tooManyRequests"]
        check_shape(await c.call("Common.Cancel"), "Common.Cancel")
        for i in ids:
            check_shape(await c.finish(i), "Scanner.Read", "canceled")
        # a flood: beyond the burst, tooManyRequests; no message goes unanswered
        n = 300
        for i in range(n):
            await c.ws.send(json.dumps({"header": {"type": "command", "name": "Common.Status",
                                                   "requestId": 1000 + i}}))
        acks = {}
        completions = 0
        while len(acks) < n or completions < sum(1 for s in acks.values() if s == "ok"):
            m = await c.recv()
            if m["header"]["type"] == "acknowledge":
                acks[m["header"]["requestId"]] = m["header"]["status"]
            elif m["header"]["type"] == "completion":
                completions += 1
        assert "tooManyRequests" in acks.values() and "ok" in acks.values()
        # after a pause the connection works again
        await asyncio.sleep(2.1)
        check_shape(await c.call("Common.Status"), "Common.Status")
        await c.close()
    run(go())
