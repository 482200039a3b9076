#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Read one ID card and print it (masked unless --show).

    python3 read_card.py --device serial:/dev/ttyUSB0 [--timeout 10] [--json] [--show]

Try it with the emulator:  kiosk-sim idcard --pty   (prints the URI to use)
"""
import argparse
import json
import sys

import libkiosk


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", required=True, help="reader URI, e.g. serial:/dev/ttyUSB0")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a card")
    ap.add_argument("--json", action="store_true", help="print the card as JSON")
    ap.add_argument("--show", action="store_true", help="print personal data unmasked")
    args = ap.parse_args()

    with libkiosk.Context() as ctx, ctx.open_idcard(args.device) as reader:
        try:
            card = reader.read(timeout=args.timeout)
        except libkiosk.NoCard:
            print("no card on the reader", file=sys.stderr)
            return 1
        except libkiosk.KioskError as e:
            print(f"{type(e).__name__}: {e}", file=sys.stderr)
            return 1
        try:
            if args.json:
                d = card.to_dict()
                if not args.show:  # masked for screens and logs
                    d.update(name=card.masked_name, id_number=card.masked_id_number,
                             address=card.address and card.address[:2] + "***",
                             english_name=card.english_name and card.english_name[0] + "***",
                             pass_number=card.pass_number and "***")
                print(json.dumps(d, ensure_ascii=False, indent=2))
            elif args.show:
                print(f"{card.name}  {card.sex}  {card.birth_date}  {card.id_number}")
                print(card.address or "")
            else:
                print(card)  # masked repr
            print(f"ID number check digit: {'ok' if card.id_number_valid else 'WRONG' if card.id_number_valid is False else 'n/a'}")
        finally:
            card.clear()  # wipe what can be wiped as soon as we are done
    return 0


if __name__ == "__main__":
    sys.exit(main())
