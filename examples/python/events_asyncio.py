#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Follow card, printer and scanner events from asyncio, next to other work.

    python3 events_asyncio.py [--idcard URI] [--printer URI] [--scanner URI]
                              [--seconds 30] [--count N]

The context's file descriptor is watched by the running loop (loop.add_reader
through ctx.aevents()), so nothing blocks and no thread is needed.
"""
import argparse
import asyncio
import sys

import libkiosk


async def heartbeat(stop: asyncio.Event) -> None:
    while not stop.is_set():  # stands for the rest of the application
        await asyncio.sleep(1)


async def follow(args: argparse.Namespace) -> int:
    with libkiosk.Context() as ctx:
        devices = []
        if args.idcard:
            rdr = ctx.open_idcard(args.idcard)
            rdr.watch(interval=0.25)
            devices.append(rdr)
        if args.printer:
            prn = ctx.open_printer(args.printer)
            print("printer:", prn.status())
            prn.set_status_poll(0.5)
            devices.append(prn)
        if args.scanner:
            sc = ctx.open_scanner(args.scanner)
            sc.watch()
            devices.append(sc)
        if not devices:
            print("give at least one of --idcard, --printer, --scanner", file=sys.stderr)
            return 2
        stop = asyncio.Event()
        beat = asyncio.create_task(heartbeat(stop))
        n = 0
        try:
            async for ev in ctx.aevents(timeout=args.seconds):
                n += 1
                if ev.type == "card-inserted":
                    print(f"card inserted: {ev.card}")  # masked
                    ev.card.clear()
                elif ev.type == "card-removed":
                    print("card removed")
                elif ev.type == "printer-status":
                    print(f"printer: {ev.status}")
                elif ev.type == "scan":
                    print(f"scanned: {ev.code}")
                else:
                    print(ev)
                if args.count and n >= args.count:
                    break
        finally:
            stop.set()
            await beat
            for d in devices:
                d.close()
        return 0 if n else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--idcard", help="ID-card reader URI (watched for cards)")
    ap.add_argument("--printer", help="printer URI (status polled)")
    ap.add_argument("--scanner", help="scanner URI (scans delivered as events)")
    ap.add_argument("--seconds", type=float, default=30.0, help="stop after this long without events")
    ap.add_argument("--count", type=int, default=0, help="stop after this many events")
    return asyncio.run(follow(ap.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
