/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * evdev_ioctl.h — umockdev ioctl scripts for emulated evdev nodes: the
 * answers libevdev asks for when it opens a device (EVIOCGBIT for every
 * event type, EVIOCGNAME, EVIOCGID, EVIOCGPROP, EVIOCGKEY/LED/SW, EVIOCGABS
 * per axis), so that the emulated node has real capabilities and ranges.
 * The request sizes are those of libevdev's own buffers.
 */
#ifndef KIOSK_TEST_EVDEV_IOCTL_H
#define KIOSK_TEST_EVDEV_IOCTL_H

#include <linux/input.h>
#include <stdio.h>
#include <string.h>

#define TEST_NLONGS(x) (((x) + 8 * sizeof(long) - 1) / (8 * sizeof(long)))

struct test_evdev_axis {
	unsigned code;
	int min, max, value;
};

struct test_evdev_caps {
	const char *name;
	const unsigned *keys;        /* EV_KEY codes */
	size_t n_keys;
	const struct test_evdev_axis *axes;
	size_t n_axes;
	bool msc_scan;
	unsigned props;              /* INPUT_PROP_* bits */
};

static inline void test_evdev_hex(FILE *f, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02X", b[i]);
	fputc('\n', f);
}

static inline void test_evdev_bits(FILE *f, unsigned type, const unsigned char *bits, size_t n)
{
	fprintf(f, "EVIOCGBIT(%u) %zu ", type, n);
	test_evdev_hex(f, bits, n);
}

/* Writes the script for `dev` (e.g. "/dev/input/event7") to f. */
static inline void test_evdev_ioctl_script(FILE *f, const char *dev, const struct test_evdev_caps *c)
{
	unsigned char ev[TEST_NLONGS(EV_CNT) * sizeof(long)] = {0};
	unsigned char key[TEST_NLONGS(KEY_CNT) * sizeof(long)] = {0};
	unsigned char absb[TEST_NLONGS(ABS_CNT) * sizeof(long)] = {0};
	unsigned char small[8] = {0};
	unsigned char msc[TEST_NLONGS(MSC_CNT) * sizeof(long)] = {0};
	unsigned char ff[TEST_NLONGS(FF_CNT) * sizeof(long)] = {0};
	unsigned char props[TEST_NLONGS(INPUT_PROP_CNT) * sizeof(long)] = {0};
	ev[0] |= 1 << EV_SYN;
	for (size_t i = 0; i < c->n_keys; i++) {
		ev[EV_KEY / 8] |= 1 << (EV_KEY % 8);
		key[c->keys[i] / 8] |= (unsigned char)(1 << (c->keys[i] % 8));
	}
	for (size_t i = 0; i < c->n_axes; i++) {
		ev[EV_ABS / 8] |= 1 << (EV_ABS % 8);
		absb[c->axes[i].code / 8] |= (unsigned char)(1 << (c->axes[i].code % 8));
	}
	if (c->msc_scan) {
		ev[EV_MSC / 8] |= 1 << (EV_MSC % 8);
		msc[MSC_SCAN / 8] |= 1 << (MSC_SCAN % 8);
	}
	props[0] = (unsigned char)c->props;
	fprintf(f, "@DEV %s\n", dev);
	fprintf(f, "EVIOCGVERSION 0 01000100\n");
	char name[255] = {0};
	snprintf(name, sizeof name, "%s", c->name);
	fprintf(f, "EVIOCGNAME %zu ", strlen(name) + 1);
	test_evdev_hex(f, name, sizeof name);
	struct input_id id = {.bustype = BUS_USB, .vendor = 0x1d6b, .product = 0x0104, .version = 1};
	fprintf(f, "EVIOCGID 0 ");
	test_evdev_hex(f, &id, sizeof id);
	fprintf(f, "EVIOCGPROP %zu ", sizeof props);
	test_evdev_hex(f, props, sizeof props);
	test_evdev_bits(f, 0, ev, sizeof ev);
	test_evdev_bits(f, EV_KEY, key, sizeof key);
	test_evdev_bits(f, EV_REL, small, TEST_NLONGS(REL_CNT) * sizeof(long));
	test_evdev_bits(f, EV_ABS, absb, sizeof absb);
	test_evdev_bits(f, EV_MSC, msc, sizeof msc);
	test_evdev_bits(f, EV_SW, small, TEST_NLONGS(SW_CNT) * sizeof(long));
	test_evdev_bits(f, EV_LED, small, TEST_NLONGS(LED_CNT) * sizeof(long));
	test_evdev_bits(f, EV_SND, small, TEST_NLONGS(SND_CNT) * sizeof(long));
	test_evdev_bits(f, EV_FF, ff, sizeof ff);
	unsigned char none[TEST_NLONGS(KEY_CNT) * sizeof(long)] = {0};
	fprintf(f, "EVIOCGKEY %zu ", sizeof none);
	test_evdev_hex(f, none, sizeof none);
	fprintf(f, "EVIOCGLED %zu ", TEST_NLONGS(LED_CNT) * sizeof(long));
	test_evdev_hex(f, small, TEST_NLONGS(LED_CNT) * sizeof(long));
	fprintf(f, "EVIOCGSW %zu ", TEST_NLONGS(SW_CNT) * sizeof(long));
	test_evdev_hex(f, small, TEST_NLONGS(SW_CNT) * sizeof(long));
	for (size_t i = 0; i < c->n_axes; i++) {
		struct input_absinfo a = {.value = c->axes[i].value, .minimum = c->axes[i].min,
					  .maximum = c->axes[i].max};
		/* umockdev names the first axis "EVIOCGABS", the others "EVIOCGABS(n)" */
		if (c->axes[i].code)
			fprintf(f, "EVIOCGABS(%u) 0 ", c->axes[i].code);
		else
			fprintf(f, "EVIOCGABS 0 ");
		test_evdev_hex(f, &a, sizeof a);
	}
}

/* A USB HID keyboard-wedge scanner (kiosk-sim's), and a multitouch screen
 * with axes 0..4095 and 10 slots. */
static const __attribute__((unused)) unsigned test_evdev_scanner_keys[] = {
	KEY_ESC, KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9, KEY_0, KEY_MINUS,
	KEY_EQUAL, KEY_BACKSPACE, KEY_TAB, KEY_Q, KEY_W, KEY_E, KEY_R, KEY_T, KEY_Y, KEY_U, KEY_I,
	KEY_O, KEY_P, KEY_LEFTBRACE, KEY_RIGHTBRACE, KEY_ENTER, KEY_LEFTCTRL, KEY_A, KEY_S, KEY_D,
	KEY_F, KEY_G, KEY_H, KEY_J, KEY_K, KEY_L, KEY_SEMICOLON, KEY_APOSTROPHE, KEY_GRAVE,
	KEY_LEFTSHIFT, KEY_BACKSLASH, KEY_Z, KEY_X, KEY_C, KEY_V, KEY_B, KEY_N, KEY_M, KEY_COMMA,
	KEY_DOT, KEY_SLASH, KEY_RIGHTSHIFT, KEY_KPASTERISK, KEY_LEFTALT, KEY_SPACE, KEY_CAPSLOCK,
	KEY_NUMLOCK, KEY_KP7, KEY_KP8, KEY_KP9, KEY_KPMINUS, KEY_KP4, KEY_KP5, KEY_KP6, KEY_KPPLUS,
	KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP0, KEY_KPDOT, KEY_KPENTER, KEY_RIGHTCTRL, KEY_KPSLASH,
	KEY_RIGHTALT};
static const __attribute__((unused)) struct test_evdev_caps test_evdev_scanner_caps = {
	.name = "kiosk-sim scanner", .keys = test_evdev_scanner_keys,
	.n_keys = sizeof test_evdev_scanner_keys / sizeof test_evdev_scanner_keys[0], .msc_scan = true};
static const __attribute__((unused)) unsigned test_evdev_touch_keys[] = {BTN_TOUCH};
static const __attribute__((unused)) struct test_evdev_axis test_evdev_mt_axes[] = {
	{ABS_X, 0, 4095, 0}, {ABS_Y, 0, 4095, 0}, {ABS_MT_SLOT, 0, 9, 0},
	{ABS_MT_POSITION_X, 0, 4095, 0}, {ABS_MT_POSITION_Y, 0, 4095, 0},
	{ABS_MT_TRACKING_ID, 0, 65535, 0}};
static const __attribute__((unused)) struct test_evdev_caps test_evdev_touch_caps = {
	.name = "test touchscreen", .keys = test_evdev_touch_keys, .n_keys = 1, .axes = test_evdev_mt_axes,
	.n_axes = sizeof test_evdev_mt_axes / sizeof test_evdev_mt_axes[0], .props = 1 << INPUT_PROP_DIRECT};

#endif
