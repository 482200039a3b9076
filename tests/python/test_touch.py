# SPDX-License-Identifier: LGPL-2.1-or-later
"""Touch devices and calibration helpers."""

import threading

import pytest

import libkiosk

W, H = 1920, 1080
# a panel whose raw axes are skewed, scaled and offset relative to the screen
DIST = (0.9, 0.05, 0.04, -0.03, 0.95, 0.02)


def to_raw(sx, sy):
    """Where the distorted panel reports a touch at screen pixel (sx, sy)."""
    a, b, c, d, e, f = DIST
    x, y = sx / W, sy / H
    return a * x + b * y + c, d * x + e * y + f


def test_targets_and_rotation():
    t = libkiosk.calibration_targets(W, H)
    assert len(t) == 5
    assert t[0] == pytest.approx((0.1 * W, 0.1 * H))
    assert t[2] == pytest.approx((0.9 * W, 0.9 * H))
    assert t[4] == pytest.approx((W / 2, H / 2))
    assert libkiosk.rotation_matrix(90) == pytest.approx((0, -1, 1, 1, 0, 0))
    with pytest.raises(libkiosk.InvalidArgument):
        libkiosk.rotation_matrix(45)


def test_compute_recovers_the_distortion(tmp):
    targets = libkiosk.calibration_targets(W, H)
    raw = [to_raw(*p) for p in targets]
    cal = libkiosk.compute_calibration(targets, raw, W, H)
    assert cal.rms_px < 0.01
    for sx, sy in [(100, 100), (1800, 900), (960, 540)]:
        nx, ny = cal.apply(*to_raw(sx, sy))
        assert nx * W == pytest.approx(sx, abs=0.05)
        assert ny * H == pytest.approx(sy, abs=0.05)
    path = f"{tmp}/touch.cal"
    cal.save(path)
    again = libkiosk.Calibration.load(path)
    assert again.matrix == pytest.approx(cal.matrix)
    assert (again.screen_w, again.screen_h) == (W, H)
    with pytest.raises(libkiosk.NotFound):
        libkiosk.Calibration.load(f"{tmp}/missing.cal")
    with open(f"{tmp}/bad.cal", "w") as f:
        f.write("not a calibration\n")
    with pytest.raises(libkiosk.BadDocument):
        libkiosk.Calibration.load(f"{tmp}/bad.cal")


def test_degenerate_points_are_refused():
    pts = [(10, 10), (20, 20), (30, 30), (40, 40), (50, 50)]
    raw = [(0.1, 0.1), (0.2, 0.2), (0.3, 0.3), (0.4, 0.4), (0.5, 0.5)]
    with pytest.raises(libkiosk.InvalidArgument):
        libkiosk.compute_calibration(pts, raw, W, H)
    with pytest.raises(libkiosk.InvalidArgument):
        libkiosk.compute_calibration(pts[:2], raw[:2], W, H)
    with pytest.raises(libkiosk.InvalidArgument):
        libkiosk.compute_calibration(pts, raw[:4], W, H)


def test_virtual_touch_events(ctx):
    with ctx.open_touch("virtual:touch", screen=(W, H)) as t:
        assert t.calibration.matrix == pytest.approx(libkiosk.Calibration.identity().matrix)
        t.feed("touch-down", 0.25, 0.5)
        t.feed(libkiosk.EventType.TOUCH_MOTION, 0.3, 0.5)
        t.feed("touch-up", 0.3, 0.5)
        evs = list(ctx.events(timeout=0.5))
        assert [e.type for e in evs] == ["touch-down", "touch-motion", "touch-up"]
        p = evs[0].touch
        assert p.x == pytest.approx(0.25 * W) and p.y == pytest.approx(0.5 * H)
        assert p.raw_nx == pytest.approx(0.25) and evs[0].device is t
        with pytest.raises(libkiosk.InvalidState):
            t.feed("touch-up", 0.3, 0.5)  # that finger is not down
        with pytest.raises(libkiosk.InvalidArgument):
            t.feed("scan", 0.3, 0.5)


def test_calibrate_helper(ctx):
    with ctx.open_touch("virtual:touch", screen=(W, H)) as t:
        other = ctx.open_touch("virtual:touch")
        seen = []

        def on_target(i, xy):
            seen.append(i)
            other.tap(0.5, 0.5)  # another device's touches stay queued
            rx, ry = to_raw(*xy)
            threading.Timer(0.05, t.tap, [rx, ry]).start()

        cal = t.calibrate(W, H, on_target=on_target, timeout=30)
        assert seen == [0, 1, 2, 3, 4]
        assert cal.rms_px < 0.05
        assert t.calibration.matrix == pytest.approx(cal.matrix)
        rest = list(ctx.events(timeout=0.3))
        assert [e.type for e in rest if e.device is other] == ["touch-down", "touch-up"] * 5
        # now a touch lands where it was meant
        t.tap(*to_raw(500, 300))
        evs = [e for e in ctx.events(timeout=0.5) if e.device is t]
        assert evs[0].touch.x == pytest.approx(500, abs=0.5)
        assert evs[0].touch.y == pytest.approx(300, abs=0.5)
        other.close()


def test_calibrate_times_out(ctx):
    with ctx.open_touch("virtual:touch") as t:
        with pytest.raises(libkiosk.Timeout):
            t.calibrate(W, H, timeout=0.2)


def test_ghost_filter(ctx):
    with ctx.open_touch("virtual:touch") as t:
        t.set_filter(debounce=0, min_press=0.2)
        t.tap(0.5, 0.5)
        assert [e for e in ctx.events(timeout=0.5) if e.type == "touch-down"] == []
        assert t.filtered == 1


def test_open_errors(ctx):
    with pytest.raises(libkiosk.NoDevice):
        ctx.open_touch("evdev:/dev/input/event-missing")
    with pytest.raises(libkiosk.BadUri):
        ctx.open_touch("evdev:")
