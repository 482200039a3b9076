/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_input_umockdev.c — evdev replay through umockdev (run under
 * umockdev-wrapper): a USB HID keyboard-wedge scanner and a multitouch
 * screen are described in a umockdev testbed and their key/touch events are
 * replayed from evemu files; the library opens them through its real evdev
 * transport (libevdev: open, EVIOCGRAB, capabilities and axis ranges from
 * the ioctl answers of evdev_ioctl.h, events, and the resync after a
 * SYN_DROPPED) and its udev lookup (usb:VVVV:PPPP → /dev/input/eventN).
 * The touchscreens are also given axis ranges in the URI (abs_x/abs_y) —
 * the override a vendor uses for panels that misreport them.
 */
#include <unistd.h>
#include <umockdev.h>
#include "test.h"
#include "driver.h"
#include "evdev_ioctl.h"

extern const char sim_scanner_umockdev_desc[];
int sim_scanner_write_evemu(FILE *f, const char *const *codes, int ncodes, int start_ms,
			    int key_ms, int gap_ms, int truncate_nth);

static const char touch_desc[] =
	"P: /devices/platform/i2c-0/0-0038/input/input8/event8\n"
	"N: input/event8\n"
	"E: DEVNAME=/dev/input/event8\n"
	"E: MAJOR=13\n"
	"E: MINOR=72\n"
	"E: SUBSYSTEM=input\n"
	"E: ID_INPUT=1\n"
	"E: ID_INPUT_TOUCHSCREEN=1\n"
	"A: dev=13:72\n"
	"L: device=../../input8\n"
	"\n"
	"P: /devices/platform/i2c-0/0-0038/input/input8\n"
	"E: SUBSYSTEM=input\n"
	"A: name=test touchscreen\n"
	"A: capabilities/ev=b\n"
	"A: capabilities/abs=6618000 3\n";

/* Two fingers: slot 0 presses at (1024, 3072), moves, lifts; slot 1
 * touches at (4095, 0) meanwhile. Axis range 0..4095. */
static const char touch_events[] =
	"# EVEMU 1.3\n"
	"E: 0.200000 0003 002f 0\n"     /* ABS_MT_SLOT 0 */
	"E: 0.200000 0003 0039 100\n"   /* TRACKING_ID */
	"E: 0.200000 0003 0035 1024\n"  /* X */
	"E: 0.200000 0003 0036 3072\n"  /* Y */
	"E: 0.200000 0000 0000 0\n"
	"E: 0.220000 0003 0035 2048\n"
	"E: 0.220000 0000 0000 0\n"
	"E: 0.240000 0003 002f 1\n"
	"E: 0.240000 0003 0039 101\n"
	"E: 0.240000 0003 0035 4095\n"
	"E: 0.240000 0003 0036 0\n"
	"E: 0.240000 0000 0000 0\n"
	"E: 0.260000 0003 002f 0\n"
	"E: 0.260000 0003 0039 -1\n"
	"E: 0.260000 0000 0000 0\n"
	"E: 0.280000 0003 002f 1\n"
	"E: 0.280000 0003 0039 -1\n"
	"E: 0.280000 0000 0000 0\n";

/* A resistive single-touch panel (ABS_X/ABS_Y + BTN_TOUCH, range 100..3900),
 * with a kernel buffer overrun (SYN_DROPPED) in the middle of a second press. */
static const char st_desc[] =
	"P: /devices/platform/serio1/input/input9/event9\n"
	"N: input/event9\n"
	"E: DEVNAME=/dev/input/event9\n"
	"E: SUBSYSTEM=input\n"
	"E: ID_INPUT=1\n"
	"E: ID_INPUT_TOUCHSCREEN=1\n"
	"A: dev=13:73\n";

static const char st_events[] =
	"# EVEMU 1.3\n"
	"E: 0.200000 0001 014a 1\n"    /* BTN_TOUCH down */
	"E: 0.200000 0003 0000 2000\n" /* ABS_X */
	"E: 0.200000 0003 0001 1050\n" /* ABS_Y */
	"E: 0.200000 0000 0000 0\n"
	"E: 0.220000 0003 0000 2100\n"
	"E: 0.220000 0000 0000 0\n"
	"E: 0.240000 0001 014a 0\n"
	"E: 0.240000 0000 0000 0\n"
	"E: 0.300000 0001 014a 1\n"    /* second press … */
	"E: 0.300000 0000 0000 0\n"
	"E: 0.320000 0000 0003 0\n"    /* SYN_DROPPED: the finger is lifted for us */
	"E: 0.320000 0003 0000 10\n"   /* ignored until the next SYN_REPORT */
	"E: 0.320000 0000 0000 0\n"
	"E: 0.400000 0003 0000 3900\n" /* a clean frame, no touch: nothing */
	"E: 0.400000 0000 0000 0\n";

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* The emulated nodes' capabilities, as libevdev reads them (EVIOCGRAB is
 * answered by umockdev itself). */
static const struct test_evdev_axis st_axes[] = {{ABS_X, 100, 3900, 100}, {ABS_Y, 100, 3900, 100}};
static const unsigned touch_keys[] = {BTN_TOUCH};
static const struct test_evdev_caps st_caps = {
	.name = "resistive panel", .keys = touch_keys, .n_keys = 1, .axes = st_axes, .n_axes = 2,
	.props = 1 << INPUT_PROP_DIRECT};

static bool load_ioctls(UMockdevTestbed *tb, const char *dir, const char *dev,
			const struct test_evdev_caps *caps)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s.ioctl", dir, strrchr(dev, '/') + 1);
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	test_evdev_ioctl_script(f, dev, caps);
	fclose(f);
	GError *err = NULL;
	bool ok = umockdev_testbed_load_ioctl(tb, dev, path, &err);
	if (!ok)
		fprintf(stderr, "ioctl: %s\n", err->message);
	unlink(path);
	return ok;
}

static int wait_scans(kiosk_context *ctx, char codes[][128], int max, int ms)
{
	int n = 0;
	uint64_t end = kioski_now_ms() + (uint64_t)ms;
	while (n < max && kioski_now_ms() < end) {
		kiosk_context_wait(ctx, 50);
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(ctx))) {
			const char *c = kiosk_event_get_scan(ev, NULL);
			if (c && n < max)
				snprintf(codes[n++], 128, "%s", c);
			kiosk_event_free(ev);
		}
	}
	return n;
}

static void test_scanner(UMockdevTestbed *tb, kiosk_context *ctx, const char *dir)
{
	GError *err = NULL;
	if (!umockdev_testbed_add_from_string(tb, sim_scanner_umockdev_desc, &err)) {
		fprintf(stderr, "testbed: %s\n", err->message);
		CHECK(0);
		return;
	}
	static const char *const codes[] = {"CUT-OFF", "Hello, World!", "ID:440300-2026_07~x|{}",
					    "办件编号:2026-7"};
	char path[512];
	snprintf(path, sizeof path, "%s/scanner.events", dir);
	FILE *f = fopen(path, "w");
	/* keys 1 ms apart, codes 1 s apart, the first one cut off half-way
	 * (the pause exceeds the 300 ms char timeout given below). */
	CHECK_EQ_INT(sim_scanner_write_evemu(f, codes, 4, 200, 1, 1000, 1), 0);
	fclose(f);
	CHECK(load_ioctls(tb, dir, "/dev/input/event7", &test_evdev_scanner_caps));
	if (!umockdev_testbed_load_evemu_events(tb, "/dev/input/event7", path, &err)) {
		fprintf(stderr, "evemu: %s\n", err->message);
		CHECK(0);
		return;
	}
	/* By USB id: the sysfs walk finds the keyboard node of 0483:0011. */
	kiosk_scanner *s = NULL;
	int r = kiosk_scanner_open(ctx, "usb:1d6b:0104?serial=SIM0001&char_timeout_ms=300", &s);
	CHECK_RC(r, KIOSK_OK);
	if (r != KIOSK_OK) {
		fprintf(stderr, "%s\n", kiosk_context_last_error(ctx));
		return;
	}
	CHECK(strstr(kiosk_device_get_uri(kiosk_scanner_device(s)), "evdev:/dev/input/event7") != NULL);
	CHECK(strstr(kiosk_device_get_uri(kiosk_scanner_device(s)), "terminator=enter") != NULL); /* from the profile */
	CHECK(strstr(kiosk_device_get_uri(kiosk_scanner_device(s)), "grab=1") != NULL);
	CHECK_STR(kiosk_device_get_driver(kiosk_scanner_device(s)), "scanner-hid");
	kiosk_scanner_watch(s, true);
	char got[5][128];
	int n = wait_scans(ctx, got, 3, 10000);
	n += wait_scans(ctx, got + n, 5 - n, 300); /* nothing more (the cut-off code) */
	CHECK_EQ_INT(n, 3);
	if (n >= 3) {
		CHECK_STR(got[0], "Hello, World!");
		CHECK_STR(got[1], "ID:440300-2026_07~x|{}");
		/* Chinese typed as GBK Alt+keypad codes arrives as GBK bytes. */
		CHECK_STR(got[2], "\xb0\xec\xbc\xfe\xb1\xe0\xba\xc5:2026-7");
	}
	CHECK_EQ_INT(kiosk_scanner_get_discarded(s), 1);
	kiosk_scanner_close(s);

	/* A wrong serial number finds nothing. */
	CHECK_RC(kiosk_scanner_open(ctx, "usb:1d6b:0104?serial=OTHER", &s), KIOSK_E_NOT_FOUND);
}

static void test_touch(UMockdevTestbed *tb, kiosk_context *ctx, const char *dir)
{
	GError *err = NULL;
	if (!umockdev_testbed_add_from_string(tb, touch_desc, &err)) {
		fprintf(stderr, "testbed: %s\n", err->message);
		CHECK(0);
		return;
	}
	char path[512], calpath[512];
	snprintf(path, sizeof path, "%s/touch.events", dir);
	write_text(path, touch_events);
	CHECK(load_ioctls(tb, dir, "/dev/input/event8", &test_evdev_touch_caps));
	if (!umockdev_testbed_load_evemu_events(tb, "/dev/input/event8", path, &err)) {
		fprintf(stderr, "evemu: %s\n", err->message);
		CHECK(0);
		return;
	}
	/* A calibration that mirrors x, loaded from a file named in the URI. */
	snprintf(calpath, sizeof calpath, "%s/touch.cal", dir);
	struct kiosk_calibration cal = KIOSK_CALIBRATION_INIT;
	kiosk_calibration_identity(&cal);
	cal.matrix[0] = -1;
	cal.matrix[2] = 1;
	CHECK_RC(kiosk_calibration_save(&cal, calpath), KIOSK_OK);
	char uri[1024];
	snprintf(uri, sizeof uri,
		 "evdev:/dev/input/event8?abs_x=0:4095&abs_y=0:4095&screen=1000x500&calibration=%s",
		 calpath);
	kiosk_touch *t = NULL;
	int r = kiosk_touch_open(ctx, uri, &t);
	CHECK_RC(r, KIOSK_OK);
	if (r != KIOSK_OK) {
		fprintf(stderr, "%s\n", kiosk_context_last_error(ctx));
		return;
	}
	struct {
		enum kiosk_event_type type;
		struct kiosk_touch_point p;
	} e[16];
	int n = 0;
	uint64_t end = kioski_now_ms() + 10000;
	while (n < 5 && kioski_now_ms() < end) {
		kiosk_context_wait(ctx, 50);
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(ctx))) {
			const struct kiosk_touch_point *p = kiosk_event_get_touch(ev);
			if (p && n < 16) {
				e[n].type = kiosk_event_get_type(ev);
				e[n].p = *p;
				n++;
			}
			kiosk_event_free(ev);
		}
	}
	CHECK_EQ_INT(n, 5);
	if (n == 5) {
		CHECK_EQ_INT(e[0].type, KIOSK_EVENT_TOUCH_DOWN);
		CHECK_EQ_INT(e[0].p.slot, 0);
		CHECK(e[0].p.raw_nx > 0.2499 && e[0].p.raw_nx < 0.2502);
		CHECK(e[0].p.raw_ny > 0.7501 && e[0].p.raw_ny < 0.7503);
		/* mirrored: x' = 1 - 0.25 → 750 px of 1000 */
		CHECK(e[0].p.x > 749.8 && e[0].p.x < 750.2);
		CHECK(e[0].p.y > 375.0 && e[0].p.y < 375.2);
		CHECK_EQ_INT(e[1].type, KIOSK_EVENT_TOUCH_MOTION);
		CHECK_EQ_INT(e[2].type, KIOSK_EVENT_TOUCH_DOWN);
		CHECK_EQ_INT(e[2].p.slot, 1);
		CHECK(e[2].p.x < 0.01 && e[2].p.y < 0.01);
		CHECK_EQ_INT(e[3].type, KIOSK_EVENT_TOUCH_UP);
		CHECK_EQ_INT(e[3].p.slot, 0);
		CHECK_EQ_INT(e[4].type, KIOSK_EVENT_TOUCH_UP);
		CHECK_EQ_INT(e[4].p.slot, 1);
	}
	CHECK(kiosk_input_idle_ms(ctx) < 5000);
	kiosk_touch_close(t);
	unlink(calpath);
}

static void test_single_touch(UMockdevTestbed *tb, kiosk_context *ctx, const char *dir)
{
	GError *err = NULL;
	if (!umockdev_testbed_add_from_string(tb, st_desc, &err)) {
		fprintf(stderr, "testbed: %s\n", err->message);
		CHECK(0);
		return;
	}
	char path[512];
	snprintf(path, sizeof path, "%s/st.events", dir);
	write_text(path, st_events);
	CHECK(load_ioctls(tb, dir, "/dev/input/event9", &st_caps));
	if (!umockdev_testbed_load_evemu_events(tb, "/dev/input/event9", path, &err)) {
		fprintf(stderr, "evemu: %s\n", err->message);
		CHECK(0);
		return;
	}
	kiosk_touch *t = NULL;
	int r = kiosk_touch_open(ctx, "evdev:/dev/input/event9?abs_x=100:3900&abs_y=100:3900&screen=800x600",
				 &t);
	CHECK_RC(r, KIOSK_OK);
	if (r != KIOSK_OK)
		return;
	enum kiosk_event_type ty[16];
	double xs[16], ys[16];
	int n = 0;
	uint64_t end = kioski_now_ms() + 3000;
	while (kioski_now_ms() < end) {
		kiosk_context_wait(ctx, 50);
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(ctx))) {
			const struct kiosk_touch_point *p = kiosk_event_get_touch(ev);
			if (p && n < 16) {
				ty[n] = kiosk_event_get_type(ev);
				xs[n] = p->x;
				ys[n] = p->y;
				n++;
			}
			kiosk_event_free(ev);
		}
		if (n >= 5)
			kioski_sleep_ms(300); /* then make sure nothing else comes */
		if (n >= 5)
			break;
	}
	kiosk_context_wait(ctx, 100);
	kiosk_event *ev;
	while ((ev = kiosk_context_next_event(ctx))) {
		if (kiosk_event_get_touch(ev))
			n++;
		kiosk_event_free(ev);
	}
	/* DOWN, MOTION, UP; then DOWN and the UP that SYN_DROPPED forces. */
	CHECK_EQ_INT(n, 5);
	if (n == 5) {
		CHECK(ty[0] == KIOSK_EVENT_TOUCH_DOWN && ty[1] == KIOSK_EVENT_TOUCH_MOTION &&
		      ty[2] == KIOSK_EVENT_TOUCH_UP && ty[3] == KIOSK_EVENT_TOUCH_DOWN &&
		      ty[4] == KIOSK_EVENT_TOUCH_UP);
		CHECK(xs[0] > 399.9 && xs[0] < 400.1); /* (2000-100)/3800 × 800 */
		CHECK(ys[0] > 149.9 && ys[0] < 150.1); /* (1050-100)/3800 × 600 */
		CHECK(xs[1] > 420.9 && xs[1] < 421.1);
	}
	kiosk_touch_close(t);
	unlink(path);
}

int main(void)
{
	const char *preload = getenv("LD_PRELOAD");
	if (getenv("KIOSK_TEST_NO_UMOCKDEV") || !preload || !strstr(preload, "umockdev-preload"))
		test_skip("not running under umockdev-wrapper");
	char dir[] = "/tmp/kiosk-umock-XXXXXX";
	if (!mkdtemp(dir))
		test_skip("no temporary directory");
	UMockdevTestbed *tb = umockdev_testbed_new();
	kiosk_context *ctx = test_context();
	test_scanner(tb, ctx, dir);
	test_touch(tb, ctx, dir);
	test_single_touch(tb, ctx, dir);
	kiosk_context_free(ctx);
	g_object_unref(tb);
	char path[600];
	snprintf(path, sizeof path, "%s/scanner.events", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/touch.events", dir);
	unlink(path);
	rmdir(dir);
	return test_done("test_input_umockdev");
}
