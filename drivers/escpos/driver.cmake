# SPDX-License-Identifier: LGPL-2.1-or-later
# ESC/POS receipt printers over TCP (raw 9100), serial, USB bulk and file (/dev/usb/lp0).
kiosk_driver(escpos SOURCES escpos.c escpos_encode.c escpos_status.c escpos_trace.c)
