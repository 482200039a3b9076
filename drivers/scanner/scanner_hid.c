/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scanner_hid.c — USB HID keyboard-wedge scanners read through evdev
 * (evdev:/dev/input/eventN, grabbed by default): key events are decoded with
 * a US layout (hid_keymap.c), Alt+keypad codes give raw bytes (GBK for
 * Chinese), and a code ends at Enter, keypad Enter, or Tab with terminator=tab.
 */
#include <linux/input.h>
#include <stdlib.h>
#include <string.h>
#include "input/scanner-private.h"
#include "hid_keymap.h"

static int hid_open(struct kiosk_scanner *s)
{
	struct kioski_hid_decoder *d = calloc(1, sizeof *d);
	if (!d)
		return KIOSK_E_NO_MEMORY;
	const char *term = kiosk_uri_get_option(kioski_scanner_uri(s), "terminator");
	kioski_hid_init(d, term && !strcmp(term, "tab"));
	kiosk_scanner_device(s)->priv = d;
	return KIOSK_OK;
}

static void hid_close(struct kiosk_scanner *s)
{
	struct kioski_hid_decoder *d = kiosk_scanner_device(s)->priv;
	if (d) {
		kioski_wipe(d, sizeof *d);
		free(d);
	}
	kiosk_scanner_device(s)->priv = NULL;
}

static int hid_pump(struct kiosk_scanner *s, int timeout_ms)
{
	struct input_event ev[64];
	size_t got = 0;
	int r = kioski_transport_read(kioski_scanner_transport(s), ev, sizeof ev, &got, timeout_ms);
	if (r != KIOSK_OK)
		return r;
	struct kioski_hid_decoder *d = kiosk_scanner_device(s)->priv;
	struct kioski_scan_framer *f = kioski_scanner_framer(s);
	uint64_t now = kioski_now_ms();
	for (size_t i = 0; i < got / sizeof ev[0]; i++) {
		char c;
		switch (kioski_hid_decode(d, ev[i].type, ev[i].code, ev[i].value, &c)) {
		case KIOSKI_HID_CHAR:
			kioski_framer_put(f, (uint8_t)c, now);
			break;
		case KIOSKI_HID_BYTES:
			for (int k = 0; k < d->nbytes; k++)
				kioski_framer_put(f, d->bytes[k], now);
			break;
		case KIOSKI_HID_END:
			kioski_framer_end(f, now);
			break;
		case KIOSKI_HID_DROPPED:
			kioski_framer_discard(f, "the kernel dropped input events");
			break;
		default:
			break;
		}
	}
	kioski_wipe(ev, sizeof ev);
	return KIOSK_OK;
}

static const struct kioski_scanner_ops hid_ops = {
	.open = hid_open,
	.close = hid_close,
	.pump = hid_pump,
	.grab_by_default = true,
};

const struct kioski_driver kioski_driver_scanner_hid = {
	.id = "scanner-hid",
	.full_name = "USB HID keyboard-wedge QR/barcode scanner (evdev, US layout)",
	.cls = KIOSK_CLASS_SCANNER,
	.ops = &hid_ops,
};
