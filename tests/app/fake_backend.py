#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A hall approval system on loopback for kiosk-app's tests and the soak bench:
the JSON REST contract of examples/kiosk-app/HTTP-API.md over the demo data.

  fake_backend.py --data DIR --port N [--token T] [--mute]

Prints "ready PORT" when listening. --mute accepts connections and never
answers (a backend that hangs). SIGTERM stops it.
"""
import argparse
import json
import os
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--token")
    ap.add_argument("--mute", action="store_true")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))

    if args.mute:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", args.port))
        s.listen(64)
        print("ready", s.getsockname()[1], flush=True)
        held = []
        while True:  # accept, read nothing back, never answer
            c, _ = s.accept()
            held.append(c)

    guides = open(os.path.join(args.data, "guides.json"), "rb").read()
    store = json.load(open(os.path.join(args.data, "cases.json"), encoding="utf-8"))
    by_number = {c["number"]: c for c in store["cases"]}
    by_holder = {}
    for c in store["cases"]:
        by_holder.setdefault(c["applicant"]["id_hash"], []).append(c)
    meta = json.dumps({"id_salt": store["salt"], "hash": "hmac-sha256"}).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def send(self, status, body):
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if args.token and self.headers.get("Authorization") != "Bearer " + args.token:
                return self.send(401, b'{"error":"token"}')
            u = urlsplit(self.path)
            path = u.path.rstrip("/")
            if path.endswith("/v1/meta"):
                return self.send(200, meta)
            if path.endswith("/v1/guides"):
                return self.send(200, guides)
            if "/v1/cases/" in path:
                c = by_number.get(path.rsplit("/", 1)[1])
                if not c:
                    return self.send(404, b'{"error":"not found"}')
                return self.send(200, json.dumps({"case": c}, ensure_ascii=False).encode())
            if path.endswith("/v1/cases"):
                h = parse_qs(u.query).get("holder", [""])[0]
                return self.send(200, json.dumps({"cases": by_holder.get(h, [])},
                                                 ensure_ascii=False).encode())
            self.send(404, b'{"error":"no such path"}')

    srv = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    srv.daemon_threads = True
    print("ready", srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
