# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks, before the receipt benchmark times anything, that every peer prints the same
receipt as libkiosk: each DIR/<side>-<variant>.bin is printed by `kiosk-sim printer
--replay`; the text lines, the codes zbar reads back and every dot above the QR code must
equal libkiosk's (the QR itself may differ in mask or position and must decode the same).
Usage: receipt_same.py KIOSK_SIM DIR PEER… ; prints "<peer> <variant> same|DIFFERENT: why"
and exits 0 (a different peer is left out of the comparison, not an error of the bench)."""
import subprocess
import sys
from itertools import zip_longest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "printer"))
from emulator_util import read_png, zbar  # noqa: E402

VARIANTS = ["native_qr", "raster_qr"]


def page(sim, binfile, out):
    proc = subprocess.run([sim, "printer", "--replay", str(binfile), "--out", str(out)],
                          capture_output=True, text=True, timeout=60)
    pngs = sorted(out.glob("receipt-*.png"))
    if proc.returncode or len(pngs) != 1:
        return None, f"{len(pngs)} pages (one cut expected): {proc.stderr.strip()}"
    text = [line for line in pngs[0].with_suffix(".txt").read_text(encoding="utf-8").splitlines()
            if not line.startswith(("[qr]", "[raster ", "[image "))]
    w, h, rows = read_png(pngs[0])
    # the QR begins on the first row with a run of 40 black dots (a finder pattern)
    top = next((y for y in range(h) if "1" * 40 in "".join(map(str, rows[y]))), h)
    return {"text": text, "codes": zbar(pngs[0]), "rows": rows[:top], "unknown": proc.stdout}, None


def main():
    sim, d, peers = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    for variant in VARIANTS:
        ref, err = page(sim, d / f"libkiosk-{variant}.bin", d / f"out-libkiosk-{variant}")
        if err:
            print(f"libkiosk {variant} DIFFERENT: {err}")
            continue
        for peer in peers:
            f = d / f"{peer}-{variant}.bin"
            if not f.exists():
                continue
            got, err = page(sim, f, d / f"out-{peer}-{variant}")
            if not err:
                if got["text"] != ref["text"]:
                    diff = next(i for i, (a, b) in enumerate(zip_longest(got["text"], ref["text"])) if a != b)
                    err = f"text line {diff + 1}: {got['text'][diff:diff + 1]} != {ref['text'][diff:diff + 1]}"
                elif got["codes"] != ref["codes"]:
                    err = f"codes {got['codes']} != {ref['codes']}"
                elif got["rows"] != ref["rows"]:
                    y = next((i for i, (a, b) in enumerate(zip(got["rows"], ref["rows"])) if a != b),
                             min(len(got["rows"]), len(ref["rows"])))
                    err = f"dots differ from row {y} (above the QR code)"
            print(f"{peer} {variant} " + (f"DIFFERENT: {err}" if err else "same"))


main()
