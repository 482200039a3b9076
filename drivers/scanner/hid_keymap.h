/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hid_keymap.h — the scanner-hid driver's key decoder: evdev key events of
 * a USB HID keyboard-wedge scanner → characters (US layout), with the
 * Alt+keypad byte codes (hid_keymap.c).
 */
#ifndef KIOSKI_HID_KEYMAP_H
#define KIOSKI_HID_KEYMAP_H

#include "driver.h"

struct kioski_hid_decoder {
	bool lshift, rshift;
	bool lctrl, rctrl, lalt, ralt, lmeta, rmeta;
	bool tab_terminates;
	uint64_t ignored;        /* key presses with no US-layout character */
	uint32_t alt_value;      /* Alt + keypad digits being entered */
	int alt_digits;
	uint8_t bytes[2];        /* KIOSKI_HID_BYTES: the bytes of an Alt code */
	int nbytes;
	bool resync;             /* after SYN_DROPPED until SYN_REPORT: state, not typing */
};

enum {
	KIOSKI_HID_NONE = 0,     /* nothing to deliver */
	KIOSKI_HID_CHAR = 1,     /* *out holds one character */
	KIOSKI_HID_END = 2,      /* the code ends (Enter / keypad Enter / Tab when configured) */
	KIOSKI_HID_DROPPED = 3,  /* the kernel dropped events (SYN_DROPPED): the partial code is
				    corrupt; the resync events up to SYN_REPORT set key state only */
	KIOSKI_HID_BYTES = 4,    /* an Alt+keypad code ended: d->bytes[0..nbytes) hold its byte(s) */
};

void kioski_hid_init(struct kioski_hid_decoder *d, bool tab_terminates);
/**
 * Feeds one input_event (type, code, value). Returns a KIOSKI_HID_* value.
 * Alt + keypad digits (the "ALT+keypad" emulation scanners use for bytes a
 * US keyboard cannot type) yield, when Alt is released, the value's byte:
 * 1–255 one byte, 256–65535 two bytes high first (a GBK/GB18030 double-byte
 * character, as Chinese scanners send them); other values are ignored.
 */
int kioski_hid_decode(struct kioski_hid_decoder *d, uint16_t type, uint16_t code, int32_t value,
		      char *out);
/** The US-layout character of key `code` (linux KEY_*), or 0 if none. */
char kioski_hid_keymap_us(uint16_t code, bool shift);

#endif
