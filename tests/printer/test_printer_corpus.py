# SPDX-License-Identifier: LGPL-2.1-or-later
"""The third-party corpus: the reference receipt built by three npm ESC/POS encoders
(installed at pinned versions from tests/printer/corpus/package-lock.json into a folder of
the build tree), sent to `kiosk-sim printer` over loopback TCP as an application would,
then checked: the text on each page (.txt), the QR codes and barcodes zbar reads back from
each PNG, one page per cut, nothing the emulator does not understand.
How each encoder gets Chinese text to the printer: tests/printer/corpus/README.md."""
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from emulator_util import kiosk_sim, zbar

HERE = Path(__file__).resolve().parent / "corpus"
ENCODERS = ["receipt-printer-encoder", "escpos-buffer", "node-escpos"]


@pytest.fixture(scope="module")
def receipts(tmp_path_factory):
    """npm ci into the build tree (once per lock file), then the receipts of every encoder."""
    npm_dir = Path(os.environ.get("KIOSK_CORPUS_NPM_DIR") or tmp_path_factory.mktemp("npm"))
    npm_dir.mkdir(parents=True, exist_ok=True)
    lock = (HERE / "package-lock.json").read_bytes()
    stamp = npm_dir / "node_modules" / ".kiosk-lock"
    if not stamp.exists() or stamp.read_bytes() != lock:
        for f in ("package.json", "package-lock.json"):
            shutil.copy(HERE / f, npm_dir / f)
        proc = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error",
                               "--fetch-retries=2", "--fetch-timeout=60000"],
                              cwd=npm_dir, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, "npm ci failed (the npm registry must be reachable):\n" + proc.stderr
        stamp.write_bytes(lock)
    shutil.copy(HERE / "encoders.mjs", npm_dir / "encoders.mjs")
    out = tmp_path_factory.mktemp("receipts")
    proc = subprocess.run(["node", "encoders.mjs", "receipts", str(out)], cwd=npm_dir,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return out


def print_over_tcp(data, out_dir, args, pages):
    """Runs kiosk-sim printer on loopback TCP, sends `data`, waits for `pages` cuts, stops it."""
    sim = subprocess.Popen([kiosk_sim(), "printer", "--tcp", "0", "--out", str(out_dir), *args],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        uri = sim.stdout.readline().strip()
        assert uri.startswith("tcp:127.0.0.1:"), uri
        with socket.create_connection(("127.0.0.1", int(uri.rsplit(":", 1)[1])), timeout=10) as s:
            s.sendall(data)
            deadline = time.monotonic() + 30
            while not (out_dir / f"receipt-{pages:04d}.txt").exists():
                assert time.monotonic() < deadline, f"no page {pages} within 30 s"
                time.sleep(0.05)
        time.sleep(0.2)   # anything after the last cut would make a page at shutdown
    finally:
        sim.send_signal(signal.SIGTERM)
        _, err = sim.communicate(timeout=30)
    assert sim.returncode == 0, err
    return err


@pytest.mark.parametrize("encoder", ENCODERS)
def test_encoder_receipt_prints_right(encoder, receipts, tmp_path):
    expect = json.loads((receipts / f"{encoder}.json").read_text())
    data = (receipts / f"{encoder}.bin").read_bytes()
    err = print_over_tcp(data, tmp_path, expect["args"], len(expect["pages"]))
    pngs = sorted(tmp_path.glob("receipt-*.png"))
    assert len(pngs) == len(expect["pages"]), "one page per cut"
    for i, page in enumerate(expect["pages"]):
        text = pngs[i].with_suffix(".txt").read_text(encoding="utf-8")
        for want in page["text"]:
            assert want in text, f"page {i + 1}: {want!r} not printed:\n{text}"
        assert zbar(pngs[i]) == sorted(page["codes"]), f"page {i + 1}"
    assert "not understood" not in err, err
