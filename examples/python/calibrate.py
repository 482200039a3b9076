#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""5-point touchscreen calibration, saved for kiosk-app / kioskctl / libkiosk.

    python3 calibrate.py --device evdev:/dev/input/event5 --screen 1920x1080 --out touch.cal
    python3 calibrate.py --simulate --out touch.cal     # no touchscreen: a simulated skewed panel

Touch each cross as it is announced. The fit is the tslib least-squares method;
the result is a libinput-style matrix (see kiosk/touch.h).
"""
import argparse
import sys
import threading

import libkiosk

# the simulated panel: raw axes skewed, scaled and offset against the screen
SKEW = (0.92, 0.03, 0.05, -0.02, 0.96, 0.01)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", help="touchscreen URI, e.g. evdev:/dev/input/event5")
    ap.add_argument("--simulate", action="store_true", help="feed a simulated panel instead")
    ap.add_argument("--screen", default="1920x1080", help="screen size WxH in pixels")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds to wait per target")
    ap.add_argument("--out", required=True, help="where to save the calibration")
    args = ap.parse_args()
    w, h = (int(v) for v in args.screen.lower().split("x"))
    if not args.simulate and not args.device:
        ap.error("give --device URI or --simulate")

    with libkiosk.Context() as ctx:
        touch = ctx.open_touch("virtual:touch" if args.simulate else args.device, screen=(w, h))

        def on_target(i, xy):
            print(f"target {i + 1}/5: touch the cross at ({xy[0]:.0f}, {xy[1]:.0f})")
            if args.simulate:  # the finger lands where the skewed panel says
                a, b, c, d, e, f = SKEW
                x, y = xy[0] / w, xy[1] / h
                raw = (a * x + b * y + c, d * x + e * y + f)
                threading.Timer(0.1, touch.tap, raw).start()

        try:
            cal = touch.calibrate(w, h, on_target=on_target, timeout=args.timeout)
        except libkiosk.Timeout as e:
            print(e, file=sys.stderr)
            return 1
        except libkiosk.InvalidArgument as e:
            print(f"no usable fit ({e}); touch the crosses more carefully", file=sys.stderr)
            return 1
        cal.save(args.out)
        print("matrix:", " ".join(f"{v:.6f}" for v in cal.matrix))
        print(f"rms error: {cal.rms_px:.2f} px; saved to {args.out}")
        touch.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
