# SPDX-License-Identifier: LGPL-2.1-or-later
# QR/barcode scanners: serial (CR/LF-terminated lines) and USB HID keyboard
# wedge (evdev key events, US layout). The framer and the front-end live in
# libkiosk/src/input/ (scanner.c, scanner_framer.c).
kiosk_driver(scanner-serial SOURCES scanner_serial.c)
kiosk_driver(scanner-hid SOURCES scanner_hid.c hid_keymap.c)
