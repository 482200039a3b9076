/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_evdev_uinput.c — the evdev transport (libevdev) against a real
 * kernel input device made with libevdev's uinput: capabilities and axis
 * ranges as the kernel reports them, and the resync after SYN_DROPPED. The
 * kernel's buffer is overflowed on purpose while a key is held down and a
 * finger rests on the panel: the reader gets SYN_DROPPED, then the state as
 * it is (the key still down, the finger where it is now), never a key
 * release or a lifted finger that did not happen. Skips where /dev/uinput
 * is absent or not writable (containers).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <unistd.h>
#include <libevdev/libevdev.h>
#include <libevdev/libevdev-uinput.h>
#include "test.h"
#include "driver.h"
#include "transport/evdev.h"

static struct libevdev_uinput *make_device(void)
{
	int fd = open("/dev/uinput", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		test_skip("/dev/uinput is not available here");
	struct libevdev *dev = libevdev_new();
	libevdev_set_name(dev, "kiosk test panel");
	libevdev_enable_event_code(dev, EV_KEY, KEY_A, NULL);
	libevdev_enable_event_code(dev, EV_KEY, BTN_TOUCH, NULL);
	struct input_absinfo ax = {.minimum = 0, .maximum = 1000};
	libevdev_enable_event_code(dev, EV_ABS, ABS_X, &ax);
	libevdev_enable_event_code(dev, EV_ABS, ABS_Y, &ax);
	struct libevdev_uinput *ui = NULL;
	int rc = libevdev_uinput_create_from_device(dev, fd, &ui);
	libevdev_free(dev);
	if (rc < 0) {
		close(fd);
		test_skip("cannot create a uinput device");
	}
	return ui;
}

static void emit(struct libevdev_uinput *ui, unsigned type, unsigned code, int value)
{
	CHECK_EQ_INT(libevdev_uinput_write_event(ui, type, code, value), 0);
}

/* Reads events until SYN_REPORT (or timeout); returns how many. */
static int read_frame(kioski_transport *t, struct input_event *out, int max)
{
	int n = 0;
	while (n < max) {
		size_t got = 0;
		if (kioski_transport_read(t, out + n, sizeof *out, &got, 2000) != KIOSK_OK)
			break;
		n++;
		if (out[n - 1].type == EV_SYN && out[n - 1].code == SYN_REPORT)
			break;
	}
	return n;
}

static const struct input_event *find(const struct input_event *ev, int n, unsigned type,
				      unsigned code)
{
	const struct input_event *last = NULL;
	for (int i = 0; i < n; i++)
		if (ev[i].type == type && ev[i].code == code)
			last = &ev[i];
	return last;
}

int main(void)
{
	struct libevdev_uinput *ui = make_device();
	const char *node = libevdev_uinput_get_devnode(ui);
	if (!node)
		test_skip("uinput device without a node (no devtmpfs)");
	usleep(200000); /* let udev settle the node's permissions */
	kiosk_context *ctx = test_context();
	char text[256];
	snprintf(text, sizeof text, "evdev:%s", node);
	kiosk_uri *uri = NULL;
	CHECK_RC(kiosk_uri_parse(text, &uri, NULL, 0), KIOSK_OK);
	kioski_transport *t = NULL;
	int r = kioski_transport_open(ctx, uri, &t);
	kiosk_uri_free(uri);
	if (r == KIOSK_E_ACCESS)
		test_skip("no permission on the uinput node");
	CHECK_RC(r, KIOSK_OK);
	if (r != KIOSK_OK)
		return test_done("test_evdev_uinput");

	/* what the kernel says about the device */
	CHECK(kioski_evdev_has(t, EV_KEY, KEY_A));
	CHECK(kioski_evdev_has(t, EV_ABS, ABS_X));
	CHECK(!kioski_evdev_has(t, EV_REL, REL_X));
	struct input_absinfo ai;
	CHECK_RC(kioski_evdev_get_abs(t, ABS_X, &ai), KIOSK_OK);
	CHECK_EQ_INT(ai.maximum, 1000);

	/* a plain frame */
	emit(ui, EV_KEY, BTN_TOUCH, 1);
	emit(ui, EV_ABS, ABS_X, 100);
	emit(ui, EV_ABS, ABS_Y, 200);
	emit(ui, EV_SYN, SYN_REPORT, 0);
	struct input_event ev[4096];
	int n = read_frame(t, ev, 16);
	CHECK(find(ev, n, EV_KEY, BTN_TOUCH) && find(ev, n, EV_KEY, BTN_TOUCH)->value == 1);
	CHECK(find(ev, n, EV_ABS, ABS_X) && find(ev, n, EV_ABS, ABS_X)->value == 100);

	/* overflow the kernel's buffer: KEY_A goes down and stays, the finger
	 * moves many times and ends at (777, 555) */
	emit(ui, EV_KEY, KEY_A, 1);
	emit(ui, EV_SYN, SYN_REPORT, 0);
	for (int i = 0; i < 2000; i++) {
		emit(ui, EV_ABS, ABS_X, 300 + i % 400);
		emit(ui, EV_SYN, SYN_REPORT, 0);
	}
	emit(ui, EV_ABS, ABS_X, 777);
	emit(ui, EV_ABS, ABS_Y, 555);
	emit(ui, EV_SYN, SYN_REPORT, 0);

	/* read everything: somewhere a SYN_DROPPED, and the resync after it */
	int total = 0, dropped_at = -1;
	for (;;) {
		size_t got = 0;
		r = kioski_transport_read(t, ev + total, sizeof ev - (size_t)total * sizeof ev[0], &got, 300);
		if (r != KIOSK_OK || total + (int)(got / sizeof ev[0]) >= 4000)
			break;
		for (size_t k = 0; k < got / sizeof ev[0]; k++)
			if (ev[total + (int)k].type == EV_SYN && ev[total + (int)k].code == SYN_DROPPED &&
			    dropped_at < 0)
				dropped_at = total + (int)k;
		total += (int)(got / sizeof ev[0]);
	}
	CHECK(dropped_at >= 0);
	if (dropped_at >= 0) {
		/* the resync frame: up to the first SYN_REPORT after the drop */
		int end = dropped_at;
		while (end < total && !(ev[end].type == EV_SYN && ev[end].code == SYN_REPORT))
			end++;
		const struct input_event *k = find(ev + dropped_at, end - dropped_at, EV_KEY, KEY_A);
		CHECK(!k || k->value == 1); /* never a release that did not happen */
		const struct input_event *b = find(ev + dropped_at, end - dropped_at, EV_KEY, BTN_TOUCH);
		CHECK(!b || b->value == 1); /* the finger is not lifted */
	}
	/* at the end the state is the device's: finger at (777, 555) */
	const struct input_event *x = find(ev, total, EV_ABS, ABS_X);
	const struct input_event *y = find(ev, total, EV_ABS, ABS_Y);
	CHECK(x && x->value == 777);
	CHECK(y && y->value == 555);
	/* and no KEY_A release anywhere */
	for (int i = 0; i < total; i++)
		CHECK(!(ev[i].type == EV_KEY && ev[i].code == KEY_A && ev[i].value == 0));

	kioski_transport_close(t);
	libevdev_uinput_destroy(ui);
	kiosk_context_free(ctx);
	return test_done("test_evdev_uinput");
}
