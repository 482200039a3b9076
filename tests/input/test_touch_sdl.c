/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_touch_sdl.c — the <kiosk/touch-sdl.h> helper: SDL finger and mouse
 * events (built by hand, no video needed) become calibrated TOUCH_* events
 * of a virtual device; touch-synthesised mouse events are not doubled.
 */
#include <kiosk/touch-sdl.h>
#include "test.h"

static int drain(kiosk_context *ctx, enum kiosk_event_type *types, int *slots, double *xs, int max)
{
	int n = 0;
	for (int i = 0; i < 10; i++) {
		kiosk_context_wait(ctx, 20);
		kiosk_event *e;
		while ((e = kiosk_context_next_event(ctx))) {
			const struct kiosk_touch_point *p = kiosk_event_get_touch(e);
			if (p && n < max) {
				types[n] = kiosk_event_get_type(e);
				slots[n] = p->slot;
				xs[n] = p->x;
				n++;
			}
			kiosk_event_free(e);
		}
	}
	return n;
}

int main(void)
{
	kiosk_context *ctx = test_context();
	kiosk_touch *t = NULL;
	CHECK_RC(kiosk_touch_new_virtual(ctx, &t), KIOSK_OK);
	kiosk_touch_set_screen_size(t, 800, 600);
	struct kiosk_calibration cal = KIOSK_CALIBRATION_INIT;
	kiosk_calibration_identity(&cal);
	cal.matrix[0] = 0.5; /* the panel over-reports x by 2 */
	kiosk_touch_set_calibration(t, &cal);
	struct kiosk_touch_sdl sdl;
	kiosk_touch_sdl_init(&sdl);

	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = SDL_FINGERDOWN;
	e.tfinger.fingerId = 77;
	e.tfinger.x = 0.8f;
	e.tfinger.y = 0.5f;
	CHECK_EQ_INT(kiosk_touch_sdl_feed(&sdl, t, &e, 800, 600), 1);
	e.tfinger.fingerId = 78; /* a second finger */
	CHECK_EQ_INT(kiosk_touch_sdl_feed(&sdl, t, &e, 800, 600), 1);
	/* SDL's own mouse emulation of the touch: ignored */
	SDL_Event m;
	memset(&m, 0, sizeof m);
	m.type = SDL_MOUSEBUTTONDOWN;
	m.button.which = SDL_TOUCH_MOUSEID;
	m.button.button = SDL_BUTTON_LEFT;
	CHECK_EQ_INT(kiosk_touch_sdl_feed(&sdl, t, &m, 800, 600), 0);
	e.type = SDL_FINGERUP;
	e.tfinger.fingerId = 77;
	CHECK_EQ_INT(kiosk_touch_sdl_feed(&sdl, t, &e, 800, 600), 1);
	e.tfinger.fingerId = 78;
	CHECK_EQ_INT(kiosk_touch_sdl_feed(&sdl, t, &e, 800, 600), 1);
	/* A real mouse (a resistive panel): press, drag, release. */
	m.button.which = 0;
	m.button.x = 400;
	m.button.y = 300;
	CHECK_EQ_INT(kiosk_touch_sdl_feed(&sdl, t, &m, 800, 600), 1);
	SDL_Event mv;
	memset(&mv, 0, sizeof mv);
	mv.type = SDL_MOUSEMOTION;
	mv.motion.x = 600;
	mv.motion.y = 300;
	CHECK_EQ_INT(kiosk_touch_sdl_feed(&sdl, t, &mv, 800, 600), 1);
	m.type = SDL_MOUSEBUTTONUP;
	CHECK_EQ_INT(kiosk_touch_sdl_feed(&sdl, t, &m, 800, 600), 1);
	CHECK_EQ_INT(kiosk_touch_sdl_feed(&sdl, t, &mv, 800, 600), 0); /* no button held */
	SDL_Event other;
	memset(&other, 0, sizeof other);
	other.type = SDL_KEYDOWN;
	CHECK_EQ_INT(kiosk_touch_sdl_feed(&sdl, t, &other, 800, 600), 0);

	enum kiosk_event_type ty[16];
	int sl[16];
	double xs[16];
	int n = drain(ctx, ty, sl, xs, 16);
	CHECK_EQ_INT(n, 7);
	if (n == 7) {
		CHECK(ty[0] == KIOSK_EVENT_TOUCH_DOWN && sl[0] == 0);
		CHECK(xs[0] > 319.9 && xs[0] < 320.1); /* 0.8 × 0.5 × 800 */
		CHECK(ty[1] == KIOSK_EVENT_TOUCH_DOWN && sl[1] == 1);
		CHECK(ty[2] == KIOSK_EVENT_TOUCH_UP && sl[2] == 0);
		CHECK(ty[3] == KIOSK_EVENT_TOUCH_UP && sl[3] == 1);
		CHECK(ty[4] == KIOSK_EVENT_TOUCH_DOWN && sl[4] == 0);
		CHECK(xs[4] > 199.9 && xs[4] < 200.1);
		CHECK(ty[5] == KIOSK_EVENT_TOUCH_MOTION && xs[5] > 299.9 && xs[5] < 300.1);
		CHECK(ty[6] == KIOSK_EVENT_TOUCH_UP);
	}
	kiosk_touch_close(t);
	kiosk_context_free(ctx);
	return test_done("test_touch_sdl");
}
