# SPDX-License-Identifier: LGPL-2.1-or-later
# Touchscreens: evdev (multitouch protocol B or single touch) and the virtual
# device fed by the application (e.g. from SDL2). Calibration, filtering and
# events live in libkiosk/src/input/ (touch.c, calibration.c).
kiosk_driver(touch-evdev SOURCES touch_evdev.c)
kiosk_driver(touch-virtual SOURCES touch_virtual.c)
