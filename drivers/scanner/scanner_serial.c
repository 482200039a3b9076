/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scanner_serial.c — serial scanners: each code is a line of bytes ended by
 * CR, LF or CR LF (serial:PATH?baud=N&terminator=…). The transport does the
 * termios work; this driver only feeds what arrives to the framer.
 */
#include "input/scanner-private.h"

static int serial_pump(struct kiosk_scanner *s, int timeout_ms)
{
	uint8_t buf[512];
	size_t got = 0;
	int r = kioski_transport_read(kioski_scanner_transport(s), buf, sizeof buf, &got, timeout_ms);
	if (r != KIOSK_OK)
		return r;
	kioski_framer_feed(kioski_scanner_framer(s), buf, got, kioski_now_ms());
	kioski_wipe(buf, got); /* codes may hold ID numbers: no copy left on the stack */
	return KIOSK_OK;
}

static const struct kioski_scanner_ops serial_ops = {
	.pump = serial_pump,
};

const struct kioski_driver kioski_driver_scanner_serial = {
	.id = "scanner-serial",
	.full_name = "Serial QR/barcode scanner (CR/LF-terminated codes)",
	.cls = KIOSK_CLASS_SCANNER,
	.ops = &serial_ops,
};
