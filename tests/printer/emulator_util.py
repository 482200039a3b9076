# SPDX-License-Identifier: LGPL-2.1-or-later
"""Helpers for the printer emulator tests: run `kiosk-sim printer --replay`, read its
pages (.txt), decode the codes on them with zbarimg, read a PNG's dots."""
import os
import struct
import subprocess
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
RECORDED = HERE / "corpus" / "recorded"


def kiosk_sim():
    path = os.environ.get("KIOSK_SIM")
    if not path:
        raise RuntimeError("KIOSK_SIM is not set (CTest sets it to the built kiosk-sim)")
    return path


class Result:
    def __init__(self, out_dir, proc):
        self.out_dir = Path(out_dir)
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.pngs = sorted(self.out_dir.glob("receipt-*.png"))
        self.texts = [p.with_suffix(".txt").read_text(encoding="utf-8", errors="replace")
                      for p in self.pngs]

    def codes(self, page):
        return zbar(self.pngs[page])


def replay(data, out_dir, *args):
    """Prints `data` (bytes, or the name of a recorded file) and returns its pages."""
    if isinstance(data, str):
        data = (RECORDED / (data + ".bin")).read_bytes()
    proc = subprocess.run([kiosk_sim(), "printer", "--replay", "-", "--out", str(out_dir), *args],
                          input=data, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    proc.stdout = proc.stdout.decode()
    proc.stderr = proc.stderr.decode(errors="replace")
    return Result(out_dir, proc)


def zbar(png):
    """Every code zbarimg finds on a page, as sorted 'TYPE:DATA' lines."""
    proc = subprocess.run(["zbarimg", "-q", str(png)], capture_output=True, timeout=60)
    return sorted(line for line in proc.stdout.decode(errors="replace").splitlines() if ":" in line)


def read_png(path):
    """8-bit greyscale PNG (what the emulator writes) → (width, height, rows of 0/1, 1 = black)."""
    raw = Path(path).read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(raw):
        length, kind = struct.unpack(">I4s", raw[pos:pos + 8])
        body = raw[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour == 0, "not 8-bit grey"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    data = zlib.decompress(idat)
    rows, prev = [], bytearray(width)
    for y in range(height):
        f = data[y * (width + 1)]
        line = bytearray(data[y * (width + 1) + 1:(y + 1) * (width + 1)])
        for x in range(width):
            a = line[x - 1] if x else 0
            b = prev[x]
            c = prev[x - 1] if x else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pred) & 255
        rows.append([1 if v < 128 else 0 for v in line])
        prev = line
    return width, height, rows
