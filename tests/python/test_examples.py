# SPDX-License-Identifier: LGPL-2.1-or-later
"""The example scripts in examples/python run against the emulators."""

import glob
import json
import os
import subprocess
import sys

from conftest import ROOT, zbar_decode

EX = os.path.join(ROOT, "examples", "python")


def run(script, *args, timeout=120):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(ROOT, "bindings", "python")
    return subprocess.run([sys.executable, os.path.join(EX, script), *args],
                          capture_output=True, timeout=timeout, env=env, text=True)


def test_every_device_has_an_example():
    names = {os.path.basename(p) for p in glob.glob(os.path.join(EX, "*.py"))}
    assert {"read_card.py", "print_receipt.py", "scan.py", "events_asyncio.py",
            "calibrate.py"} <= names


def test_read_card(sim):
    s = sim("idcard", "--pty")
    r = run("read_card.py", "--device", s.uri)
    assert r.returncode == 0, r.stderr
    assert "IdCard(card_type='resident'" in r.stdout and "韩梅梅" not in r.stdout
    r = run("read_card.py", "--device", s.uri, "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout[:r.stdout.rindex("}") + 1])
    assert d["card_type"] == "resident" and "*" in d["id_number"]
    s2 = sim("idcard", "--pty", "--no-card")
    r = run("read_card.py", "--device", s2.uri, "--timeout", "0.3")
    assert r.returncode == 1 and "no card" in r.stderr


def test_print_receipt(sim, tmp):
    out = os.path.join(tmp, "paper")
    os.mkdir(out)
    s = sim("printer", "--tcp", "0", "--out", out)
    prev = os.path.join(tmp, "preview.png")
    r = run("print_receipt.py", "--device", s.uri, "--case", "2026-000777", "--preview", prev)
    assert r.returncode == 0, r.stderr
    assert "paper='ok'" in r.stdout and "job " in r.stdout
    assert zbar_decode(prev) == "KIOSK-CASE:2026-000777"
    s2 = sim("printer", "--tcp", "0", "--paper-out")
    r = run("print_receipt.py", "--device", s2.uri)
    assert r.returncode == 1 and "out of paper" in r.stderr


def test_scan(sim):
    s = sim("scanner", "--pty", "--code", "KIOSK-CASE:2026-000123", "--delay", "1500",
            "--repeat", "--interval", "300")
    r = run("scan.py", "--device", s.uri, "--timeout", "30")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "KIOSK-CASE:2026-000123"
    r = run("scan.py", "--device", s.uri, "--watch", "2", "--timeout", "30")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["1: KIOSK-CASE:2026-000123", "2: KIOSK-CASE:2026-000123"]


def test_events_asyncio(sim):
    card = sim("idcard", "--pty", "--remove-after", "1000")
    prn = sim("printer", "--tcp", "0")
    r = run("events_asyncio.py", "--idcard", card.uri, "--printer", prn.uri,
            "--seconds", "4")
    assert r.returncode == 0, r.stderr
    assert "card inserted: IdCard(card_type='resident'" in r.stdout
    assert "card removed" in r.stdout


def test_calibrate(tmp):
    path = os.path.join(tmp, "touch.cal")
    r = run("calibrate.py", "--simulate", "--out", path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("target ") == 5 and "rms error" in r.stdout
    import libkiosk
    cal = libkiosk.Calibration.load(path)
    assert cal.rms_px < 0.1 and (cal.screen_w, cal.screen_h) == (1920, 1080)
