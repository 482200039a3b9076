#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Print an acceptance receipt (受理回执) with a QR code, then show the printer status.

    python3 print_receipt.py --device tcp:192.0.2.10:9100 [--profile generic-80mm]
                             [--case 2026-000123] [--preview out.png] [RECEIPT.json]

Try it with the emulator:  kiosk-sim printer --tcp 0 --out /tmp/paper
"""
import argparse
import sys

import libkiosk


def build(case: str) -> libkiosk.Receipt:
    return (libkiosk.Receipt()
            .text("政务服务中心", align="center", bold=True, size=2)
            .text("受理回执", align="center")
            .rule()
            .columns("办件编号", case)
            .columns("办理事项", "居住证签注")
            .text("请凭此回执查询办件进度。", align="left")
            .qr(f"KIOSK-CASE:{case}", module=6, ecc="M")
            .feed(1)
            .cut())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", required=True, help="printer URI, e.g. tcp:192.0.2.10:9100")
    ap.add_argument("--profile", help="printer profile, e.g. generic-58mm")
    ap.add_argument("--case", default="2026-000123", help="case number on the receipt")
    ap.add_argument("--preview", help="also write the PNG preview here")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("document", nargs="?", help="a receipt JSON file instead of the built-in one")
    args = ap.parse_args()

    doc = libkiosk.Receipt.load(args.document) if args.document else build(args.case)
    with libkiosk.Context() as ctx, ctx.open_printer(args.device, profile=args.profile) as prn:
        print(f"printer {prn.uri} ({prn.profile}): {prn.status()}")
        if args.preview:
            with open(args.preview, "wb") as f:
                f.write(prn.preview(doc))
        job = prn.print_receipt(doc)
        try:
            job.wait(timeout=args.timeout)
        except libkiosk.PaperOut:
            print("out of paper: load a roll and print again", file=sys.stderr)
            return 1
        except libkiosk.CoverOpen:
            print("the printer cover is open", file=sys.stderr)
            return 1
        except libkiosk.KioskError as e:
            print(f"job {job.id} failed: {type(e).__name__}: {e}", file=sys.stderr)
            return 1
        print(f"job {job.id}: {job.message}")
        print(f"status now: {prn.status()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
