/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_touch.c — touch input through the virtual (fed) device: calibrated
 * events, slot bookkeeping, the ghost-touch filter (off by default; minimum
 * press time; debounce) and the inactivity time.
 */
#include <math.h>
#include "test.h"
#include "driver.h"

#define MAXE 64

struct ev {
	enum kiosk_event_type type;
	struct kiosk_touch_point p;
};

/* Collects the TOUCH_* events that arrive within `ms`. */
static int collect(kiosk_context *ctx, struct ev *out, int max, int ms)
{
	int n = 0;
	uint64_t end = kioski_now_ms() + (uint64_t)ms;
	while (kioski_now_ms() < end) {
		kiosk_context_wait(ctx, 20);
		kiosk_event *e;
		while ((e = kiosk_context_next_event(ctx))) {
			const struct kiosk_touch_point *p = kiosk_event_get_touch(e);
			if (p && n < max) {
				out[n].type = kiosk_event_get_type(e);
				out[n].p = *p;
				n++;
			}
			kiosk_event_free(e);
		}
	}
	return n;
}

static void test_calibrated_events(kiosk_context *ctx)
{
	kiosk_touch *t = NULL;
	CHECK_RC(kiosk_touch_new_virtual(ctx, &t), KIOSK_OK);
	CHECK_EQ_INT(kiosk_device_get_class(kiosk_touch_device(t)), KIOSK_CLASS_TOUCH);
	CHECK_STR(kiosk_device_get_driver(kiosk_touch_device(t)), "touch-virtual");
	CHECK_RC(kiosk_touch_set_screen_size(t, 1080, 1920), KIOSK_OK);
	/* A portrait screen: display rotated 90°, panel x mirrored. */
	struct kiosk_calibration cal = KIOSK_CALIBRATION_INIT;
	kiosk_calibration_identity(&cal);
	cal.matrix[0] = -1;
	cal.matrix[2] = 1;
	cal.rotation = 90;
	CHECK_RC(kiosk_touch_set_calibration(t, &cal), KIOSK_OK);
	struct kiosk_calibration back = KIOSK_CALIBRATION_INIT;
	CHECK_RC(kiosk_touch_get_calibration(t, &back), KIOSK_OK);
	CHECK_EQ_INT(back.rotation, 90);

	CHECK_RC(kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_DOWN, 0, 0.25, 0.5, 0), KIOSK_OK);
	CHECK_RC(kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_DOWN, 1, 0.75, 0.1, 0), KIOSK_OK);
	CHECK_RC(kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_MOTION, 0, 0.3, 0.5, 0), KIOSK_OK);
	CHECK_RC(kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_UP, 0, 0.3, 0.5, 0), KIOSK_OK);
	CHECK_RC(kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_UP, 1, 0.75, 0.1, 0), KIOSK_OK);
	/* Protocol errors are refused and change nothing. */
	CHECK_RC(kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_UP, 1, 0.5, 0.5, 0), KIOSK_E_STATE);
	CHECK_RC(kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_MOTION, 2, 0.5, 0.5, 0), KIOSK_E_STATE);
	CHECK_RC(kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_DOWN, 16, 0.5, 0.5, 0), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_touch_feed(t, KIOSK_EVENT_SCAN, 0, 0.5, 0.5, 0), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_DOWN, 0, NAN, 0.5, 0), KIOSK_E_INVALID_ARG);

	struct ev e[MAXE];
	int n = collect(ctx, e, MAXE, 300);
	CHECK_EQ_INT(n, 5);
	if (n == 5) {
		CHECK_EQ_INT(e[0].type, KIOSK_EVENT_TOUCH_DOWN);
		CHECK_EQ_INT(e[0].p.slot, 0);
		/* raw (0.25,0.5) → mirror (0.75,0.5) → R90 (1-0.5, 0.75) = (0.5, 0.75) */
		CHECK(fabs(e[0].p.nx - 0.5) < 1e-9 && fabs(e[0].p.ny - 0.75) < 1e-9);
		CHECK(fabs(e[0].p.x - 540) < 1e-6 && fabs(e[0].p.y - 1440) < 1e-6);
		CHECK(fabs(e[0].p.raw_nx - 0.25) < 1e-12 && fabs(e[0].p.raw_ny - 0.5) < 1e-12);
		CHECK(e[0].p.time_ms > 0);
		CHECK_EQ_INT(e[1].type, KIOSK_EVENT_TOUCH_DOWN);
		CHECK_EQ_INT(e[1].p.slot, 1);
		CHECK_EQ_INT(e[2].type, KIOSK_EVENT_TOUCH_MOTION);
		CHECK_EQ_INT(e[3].type, KIOSK_EVENT_TOUCH_UP);
		CHECK_EQ_INT(e[3].p.slot, 0);
		CHECK_EQ_INT(e[4].type, KIOSK_EVENT_TOUCH_UP);
		CHECK_EQ_INT(e[4].p.slot, 1);
	}
	/* Identity again (NULL). */
	CHECK_RC(kiosk_touch_set_calibration(t, NULL), KIOSK_OK);
	cal.rotation = 45;
	CHECK_RC(kiosk_touch_set_calibration(t, &cal), KIOSK_E_INVALID_ARG);
	kiosk_touch_close(t);
}

/* Times are given explicitly (a synthetic clock in the recent past) so the
 * filter's decisions do not depend on scheduling; only the release of held
 * events waits for the worker's tick. */
static void test_filter(kiosk_context *ctx)
{
	kiosk_touch *t = NULL;
	CHECK_RC(kiosk_touch_new_virtual(ctx, &t), KIOSK_OK);
	struct ev e[MAXE];
	uint64_t t0 = kioski_now_ms();

	/* Off by default: a 5 ms tap is delivered. */
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_DOWN, 0, 0.1, 0.1, t0);
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_UP, 0, 0.1, 0.1, t0 + 5);
	CHECK_EQ_INT(collect(ctx, e, MAXE, 100), 2);
	CHECK_EQ_INT(kiosk_touch_get_filtered(t), 0);

	CHECK_RC(kiosk_touch_set_filter(t, -1, 0), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_touch_set_filter(t, 0, 10001), KIOSK_E_INVALID_ARG);

	/* Minimum press 200 ms: a 30 ms ghost vanishes entirely. (Generous
	 * values: the worker's tick uses the real clock, so a feed delayed by a
	 * loaded machine must not cross them.) */
	CHECK_RC(kiosk_touch_set_filter(t, 0, 200), KIOSK_OK);
	t0 = kioski_now_ms();
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_DOWN, 0, 0.2, 0.2, t0);
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_MOTION, 0, 0.21, 0.2, t0 + 10);
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_UP, 0, 0.21, 0.2, t0 + 30);
	CHECK_EQ_INT(collect(ctx, e, MAXE, 400), 0);
	CHECK_EQ_INT(kiosk_touch_get_filtered(t), 1);

	/* A real press: its DOWN comes (with the original position and time)
	 * once it has lasted 200 ms, then the motion made meanwhile. */
	t0 = kioski_now_ms();
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_DOWN, 0, 0.3, 0.3, t0);
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_MOTION, 0, 0.35, 0.3, t0 + 20);
	int n = collect(ctx, e, MAXE, 600);
	CHECK_EQ_INT(n, 2);
	if (n == 2) {
		CHECK_EQ_INT(e[0].type, KIOSK_EVENT_TOUCH_DOWN);
		CHECK(fabs(e[0].p.raw_nx - 0.3) < 1e-12);
		CHECK_EQ_INT(e[0].p.time_ms, t0);
		CHECK_EQ_INT(e[1].type, KIOSK_EVENT_TOUCH_MOTION);
		CHECK(fabs(e[1].p.raw_nx - 0.35) < 1e-12);
	}
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_UP, 0, 0.35, 0.3, 0);
	n = collect(ctx, e, MAXE, 100);
	CHECK_EQ_INT(n, 1);
	CHECK(n == 1 && e[0].type == KIOSK_EVENT_TOUCH_UP);

	/* Debounce 300 ms: a lift-and-touch 20 ms later is one press (a MOTION),
	 * and the final UP comes only after the debounce time. */
	CHECK_RC(kiosk_touch_set_filter(t, 300, 0), KIOSK_OK);
	t0 = kioski_now_ms();
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_DOWN, 0, 0.5, 0.5, t0);
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_UP, 0, 0.5, 0.5, t0 + 40);
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_DOWN, 0, 0.51, 0.5, t0 + 60);
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_UP, 0, 0.51, 0.5, t0 + 90);
	n = collect(ctx, e, MAXE, 800);
	CHECK_EQ_INT(n, 3);
	if (n == 3) {
		CHECK_EQ_INT(e[0].type, KIOSK_EVENT_TOUCH_DOWN);
		CHECK_EQ_INT(e[1].type, KIOSK_EVENT_TOUCH_MOTION);
		CHECK_EQ_INT(e[2].type, KIOSK_EVENT_TOUCH_UP);
		CHECK_EQ_INT(e[2].p.time_ms, t0 + 90);
	}
	CHECK_EQ_INT(kiosk_touch_get_filtered(t), 2);
	/* Two touches further apart than the debounce stay two. */
	t0 = kioski_now_ms() - 2000;
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_DOWN, 0, 0.5, 0.5, t0);
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_UP, 0, 0.5, 0.5, t0 + 40);
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_DOWN, 0, 0.5, 0.5, t0 + 500);
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_UP, 0, 0.5, 0.5, t0 + 540);
	n = collect(ctx, e, MAXE, 800);
	CHECK_EQ_INT(n, 4);
	kiosk_touch_close(t);
}

static void test_idle(kiosk_context *ctx)
{
	kiosk_touch *t = NULL;
	kiosk_input_note_activity(ctx);
	CHECK(kiosk_input_idle_ms(ctx) < 100);
	CHECK_RC(kiosk_touch_new_virtual(ctx, &t), KIOSK_OK);
	kioski_sleep_ms(250);
	uint64_t idle = kiosk_input_idle_ms(ctx);
	CHECK(idle >= 200 && idle < 10000);
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_DOWN, 0, 0.5, 0.5, 0);
	CHECK(kiosk_input_idle_ms(ctx) < 200);
	kiosk_touch_feed(t, KIOSK_EVENT_TOUCH_UP, 0, 0.5, 0.5, 0);
	kioski_sleep_ms(150);
	CHECK(kiosk_input_idle_ms(ctx) >= 100);
	kiosk_input_note_activity(ctx);
	CHECK(kiosk_input_idle_ms(ctx) < 100);
	/* Another context has its own clock, running from its creation. */
	kioski_sleep_ms(150);
	kiosk_context *other = test_context();
	CHECK(kiosk_input_idle_ms(other) < 100);
	CHECK(kiosk_input_idle_ms(ctx) >= 100);
	kiosk_context_free(other);
	kiosk_touch_close(t);
	kiosk_event *e;
	kiosk_context_dispatch(ctx);
	while ((e = kiosk_context_next_event(ctx)))
		kiosk_event_free(e);
}

static void test_open_errors(kiosk_context *ctx)
{
	kiosk_touch *t = NULL;
	CHECK_RC(kiosk_touch_open(ctx, "serial:/dev/ttyS0", &t), KIOSK_E_NOT_SUPPORTED);
	CHECK_RC(kiosk_touch_open(ctx, "evdev:/dev/input/nonexistent", &t), KIOSK_E_NO_DEVICE);
	CHECK_RC(kiosk_touch_open(ctx, "evdev:/dev/null", &t), KIOSK_E_NOT_SUPPORTED);
	CHECK_RC(kiosk_touch_open(ctx, "evdev:/dev/null?screen=12", &t), KIOSK_E_BAD_URI);
	CHECK_RC(kiosk_touch_open(ctx, "evdev:/dev/null?calibration=/nonexistent.cal", &t),
		 KIOSK_E_NOT_FOUND);
	CHECK(t == NULL);
}

int main(void)
{
	kiosk_context *ctx = test_context();
	test_calibrated_events(ctx);
	test_filter(ctx);
	test_idle(ctx);
	test_open_errors(ctx);
	kiosk_context_free(ctx);
	return test_done("test_touch");
}
