/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hid_keymap.c — decodes the key events of a USB HID keyboard-wedge scanner
 * (as evdev reports them) into characters, with a US keyboard layout.
 *
 * Wedge scanners "type" each code: press/release per character, a shift key
 * held around capitals and symbols, Enter at the end. Caps lock is ignored:
 * the scanner already sends shift for capitals, and the grabbed device's own
 * lock state is not the user's. Chords with Ctrl/Alt/Meta are not text.
 */
#include <linux/input.h>
#include <string.h>
#include "hid_keymap.h"

struct keydef {
	char plain, shifted;
};

static const struct keydef keymap[128] = {
	[KEY_1] = {'1', '!'},          [KEY_2] = {'2', '@'},          [KEY_3] = {'3', '#'},
	[KEY_4] = {'4', '$'},          [KEY_5] = {'5', '%'},          [KEY_6] = {'6', '^'},
	[KEY_7] = {'7', '&'},          [KEY_8] = {'8', '*'},          [KEY_9] = {'9', '('},
	[KEY_0] = {'0', ')'},          [KEY_MINUS] = {'-', '_'},      [KEY_EQUAL] = {'=', '+'},
	[KEY_TAB] = {'\t', '\t'},      [KEY_Q] = {'q', 'Q'},          [KEY_W] = {'w', 'W'},
	[KEY_E] = {'e', 'E'},          [KEY_R] = {'r', 'R'},          [KEY_T] = {'t', 'T'},
	[KEY_Y] = {'y', 'Y'},          [KEY_U] = {'u', 'U'},          [KEY_I] = {'i', 'I'},
	[KEY_O] = {'o', 'O'},          [KEY_P] = {'p', 'P'},          [KEY_LEFTBRACE] = {'[', '{'},
	[KEY_RIGHTBRACE] = {']', '}'}, [KEY_A] = {'a', 'A'},          [KEY_S] = {'s', 'S'},
	[KEY_D] = {'d', 'D'},          [KEY_F] = {'f', 'F'},          [KEY_G] = {'g', 'G'},
	[KEY_H] = {'h', 'H'},          [KEY_J] = {'j', 'J'},          [KEY_K] = {'k', 'K'},
	[KEY_L] = {'l', 'L'},          [KEY_SEMICOLON] = {';', ':'},  [KEY_APOSTROPHE] = {'\'', '"'},
	[KEY_GRAVE] = {'`', '~'},      [KEY_BACKSLASH] = {'\\', '|'}, [KEY_Z] = {'z', 'Z'},
	[KEY_X] = {'x', 'X'},          [KEY_C] = {'c', 'C'},          [KEY_V] = {'v', 'V'},
	[KEY_B] = {'b', 'B'},          [KEY_N] = {'n', 'N'},          [KEY_M] = {'m', 'M'},
	[KEY_COMMA] = {',', '<'},      [KEY_DOT] = {'.', '>'},        [KEY_SLASH] = {'/', '?'},
	[KEY_KPASTERISK] = {'*', '*'}, [KEY_SPACE] = {' ', ' '},      [KEY_KP7] = {'7', '7'},
	[KEY_KP8] = {'8', '8'},        [KEY_KP9] = {'9', '9'},        [KEY_KPMINUS] = {'-', '-'},
	[KEY_KP4] = {'4', '4'},        [KEY_KP5] = {'5', '5'},        [KEY_KP6] = {'6', '6'},
	[KEY_KPPLUS] = {'+', '+'},     [KEY_KP1] = {'1', '1'},        [KEY_KP2] = {'2', '2'},
	[KEY_KP3] = {'3', '3'},        [KEY_KP0] = {'0', '0'},        [KEY_KPDOT] = {'.', '.'},
	[KEY_102ND] = {'\\', '|'},     [KEY_KPSLASH] = {'/', '/'},    [KEY_KPEQUAL] = {'=', '='},
	[KEY_KPCOMMA] = {',', ','},
};

char kioski_hid_keymap_us(uint16_t code, bool shift)
{
	if (code >= sizeof keymap / sizeof keymap[0])
		return 0;
	return shift ? keymap[code].shifted : keymap[code].plain;
}

void kioski_hid_init(struct kioski_hid_decoder *d, bool tab_terminates)
{
	memset(d, 0, sizeof *d);
	d->tab_terminates = tab_terminates;
}

static bool *modifier(struct kioski_hid_decoder *d, uint16_t code)
{
	switch (code) {
	case KEY_LEFTSHIFT: return &d->lshift;
	case KEY_RIGHTSHIFT: return &d->rshift;
	case KEY_LEFTCTRL: return &d->lctrl;
	case KEY_RIGHTCTRL: return &d->rctrl;
	case KEY_LEFTALT: return &d->lalt;
	case KEY_RIGHTALT: return &d->ralt;
	case KEY_LEFTMETA: return &d->lmeta;
	case KEY_RIGHTMETA: return &d->rmeta;
	default: return NULL;
	}
}

int kioski_hid_decode(struct kioski_hid_decoder *d, uint16_t type, uint16_t code, int32_t value,
		      char *out)
{
	if (type == EV_SYN && code == SYN_DROPPED) {
		/* Keys were lost: the code being typed is corrupt. The transport's
		 * resync (libevdev) follows up to the next SYN_REPORT: key changes
		 * that bring the state up to date, which set modifiers but type
		 * nothing. */
		d->alt_value = 0;
		d->alt_digits = 0;
		d->resync = true;
		return KIOSKI_HID_DROPPED;
	}
	if (type == EV_SYN && code == SYN_REPORT)
		d->resync = false;
	if (type != EV_KEY)
		return KIOSKI_HID_NONE;
	bool *mod = modifier(d, code);
	if (mod) {
		bool alt = code == KEY_LEFTALT || code == KEY_RIGHTALT;
		bool was_alt = d->lalt || d->ralt;
		if (value == 0 || value == 1)
			*mod = value == 1;
		if (alt && value == 1 && !was_alt) {
			d->alt_value = 0;
			d->alt_digits = 0;
		}
		if (alt && value == 0 && !d->lalt && !d->ralt && d->alt_digits) {
			uint32_t v = d->alt_value;
			d->alt_digits = 0;
			d->alt_value = 0;
			if (v == 0 || v > 0xffff) {
				d->ignored++;
				return KIOSKI_HID_NONE;
			}
			d->nbytes = 0;
			if (v > 0xff)
				d->bytes[d->nbytes++] = (uint8_t)(v >> 8);
			d->bytes[d->nbytes++] = (uint8_t)(v & 0xff);
			return KIOSKI_HID_BYTES;
		}
		return KIOSKI_HID_NONE;
	}
	if (value != 1 || d->resync) /* releases, autorepeat and resync carry no new character */
		return KIOSKI_HID_NONE;
	if (code == KEY_ENTER || code == KEY_KPENTER)
		return KIOSKI_HID_END;
	if (code == KEY_TAB && d->tab_terminates)
		return KIOSKI_HID_END;
	if ((d->lalt || d->ralt) && !d->lctrl && !d->rctrl && !d->lmeta && !d->rmeta &&
	    code >= KEY_KP7 && code <= KEY_KP0 && code != KEY_KPMINUS && code != KEY_KPPLUS) {
		/* KEY_KP7…KEY_KP0 span 71–82; the two non-digits are excluded above. */
		if (d->alt_digits < 6)
			d->alt_value = d->alt_value * 10 + (uint32_t)(kioski_hid_keymap_us(code, false) - '0');
		else
			d->alt_value = 0x10000; /* too long: rejected at Alt release */
		d->alt_digits++;
		return KIOSKI_HID_NONE;
	}
	if (d->lctrl || d->rctrl || d->lalt || d->ralt || d->lmeta || d->rmeta) {
		d->ignored++;
		return KIOSKI_HID_NONE;
	}
	char c = kioski_hid_keymap_us(code, d->lshift || d->rshift);
	if (!c) {
		/* Caps lock, num lock, function keys…: not part of a code. */
		if (code != KEY_CAPSLOCK && code != KEY_NUMLOCK && code != KEY_SCROLLLOCK)
			d->ignored++;
		return KIOSKI_HID_NONE;
	}
	*out = c;
	return KIOSKI_HID_CHAR;
}
