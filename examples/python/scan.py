#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Wait for a QR/barcode scan and print it (or keep printing scans with --watch).

    python3 scan.py --device serial:/dev/ttyACM0 [--timeout 30] [--watch N]

Try it with the emulator:  kiosk-sim scanner --pty --code KIOSK-CASE:2026-000123
"""
import argparse
import sys

import libkiosk


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", required=True,
                    help="scanner URI: serial:PATH, evdev:/dev/input/eventN or usb:VVVV:PPPP")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait")
    ap.add_argument("--watch", type=int, metavar="N", help="print N scans as events, then stop")
    args = ap.parse_args()

    with libkiosk.Context() as ctx, ctx.open_scanner(args.device) as scanner:
        if args.watch is None:
            try:
                print(scanner.read(timeout=args.timeout))
            except libkiosk.Timeout:
                print("no scan", file=sys.stderr)
                return 1
            return 0
        scanner.watch()
        n = 0
        for ev in ctx.events(timeout=args.timeout):
            if ev.type == libkiosk.EventType.SCAN:
                n += 1
                print(f"{n}: {ev.code}")
                if n >= args.watch:
                    break
        return 0 if n >= args.watch else 1


if __name__ == "__main__":
    sys.exit(main())
