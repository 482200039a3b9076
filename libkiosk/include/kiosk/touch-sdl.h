/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/touch-sdl.h — feeds SDL2 touch and mouse events through libkiosk's
 * touch calibration and ghost filter (header-only: libkiosk never links SDL).
 *
 *   #include <SDL.h>
 *   #include <kiosk/touch-sdl.h>
 *
 *   kiosk_touch *touch;  kiosk_touch_new_virtual(ctx, &touch);
 *   kiosk_touch_set_screen_size(touch, w, h);
 *   struct kiosk_touch_sdl sdl;  kiosk_touch_sdl_init(&sdl);
 *   …  SDL_Event e;  while (SDL_PollEvent(&e))
 *          if (kiosk_touch_sdl_feed(&sdl, touch, &e, win_w, win_h) > 0) continue;
 *   …  then take KIOSK_EVENT_TOUCH_* events (calibrated) from the context.
 *
 * Fingers (SDL_FINGERDOWN/MOTION/UP, normalised x/y) get slots 0–15 in the
 * order they touch. The left mouse button (for panels that report as a
 * mouse, e.g. resistive ones) is slot 0 while no finger holds it; mouse
 * events SDL synthesises from touches (which == SDL_TOUCH_MOUSEID) are
 * ignored so nothing is counted twice. Calibrate through the same path the
 * application uses: SDL normalises positions per platform.
 */
#ifndef KIOSK_TOUCH_SDL_H
#define KIOSK_TOUCH_SDL_H

#include <string.h>
#include <SDL.h>
#include <kiosk/touch.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Finger-to-slot bookkeeping of one SDL event stream. */
struct kiosk_touch_sdl {
	SDL_FingerID finger[16];
	bool used[16];
	bool mouse_down;
};

static inline void kiosk_touch_sdl_init(struct kiosk_touch_sdl *s)
{
	memset(s, 0, sizeof *s);
}

static inline int kiosk_touch_sdl__slot(struct kiosk_touch_sdl *s, SDL_FingerID id, bool alloc)
{
	for (int i = 0; i < 16; i++)
		if (s->used[i] && s->finger[i] == id)
			return i;
	if (!alloc)
		return -1;
	for (int i = s->mouse_down ? 1 : 0; i < 16; i++)
		if (!s->used[i]) {
			s->used[i] = true;
			s->finger[i] = id;
			return i;
		}
	return -1;
}

static inline double kiosk_touch_sdl__clamp(double v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * Feeds one SDL event. `win_w`, `win_h`: the window size in pixels (for
 * mouse positions). Returns 1 if the event was a touch/mouse event fed to
 * `touch`, 0 if it was not one, or a negative kiosk error.
 */
static inline int kiosk_touch_sdl_feed(struct kiosk_touch_sdl *s, kiosk_touch *touch,
				       const SDL_Event *e, int win_w, int win_h)
{
	int slot, r;
	switch (e->type) {
	case SDL_FINGERDOWN:
		slot = kiosk_touch_sdl__slot(s, e->tfinger.fingerId, true);
		if (slot < 0)
			return 1; /* more than 16 fingers: ignored */
		r = kiosk_touch_feed(touch, KIOSK_EVENT_TOUCH_DOWN, slot,
				     kiosk_touch_sdl__clamp(e->tfinger.x),
				     kiosk_touch_sdl__clamp(e->tfinger.y), 0);
		return r < 0 ? r : 1;
	case SDL_FINGERMOTION:
	case SDL_FINGERUP:
		slot = kiosk_touch_sdl__slot(s, e->tfinger.fingerId, false);
		if (slot < 0)
			return 1;
		r = kiosk_touch_feed(touch,
				     e->type == SDL_FINGERUP ? KIOSK_EVENT_TOUCH_UP
							     : KIOSK_EVENT_TOUCH_MOTION,
				     slot, kiosk_touch_sdl__clamp(e->tfinger.x),
				     kiosk_touch_sdl__clamp(e->tfinger.y), 0);
		if (e->type == SDL_FINGERUP)
			s->used[slot] = false;
		return r < 0 ? r : 1;
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		if (e->button.which == SDL_TOUCH_MOUSEID || e->button.button != SDL_BUTTON_LEFT ||
		    win_w <= 0 || win_h <= 0)
			return 0;
		if (e->type == SDL_MOUSEBUTTONDOWN) {
			if (s->mouse_down || s->used[0])
				return 1;
			s->mouse_down = true;
		} else {
			if (!s->mouse_down)
				return 1;
			s->mouse_down = false;
		}
		r = kiosk_touch_feed(touch,
				     e->type == SDL_MOUSEBUTTONDOWN ? KIOSK_EVENT_TOUCH_DOWN
								    : KIOSK_EVENT_TOUCH_UP,
				     0, kiosk_touch_sdl__clamp((double)e->button.x / win_w),
				     kiosk_touch_sdl__clamp((double)e->button.y / win_h), 0);
		return r < 0 ? r : 1;
	case SDL_MOUSEMOTION:
		if (e->motion.which == SDL_TOUCH_MOUSEID || !s->mouse_down || win_w <= 0 || win_h <= 0)
			return 0;
		r = kiosk_touch_feed(touch, KIOSK_EVENT_TOUCH_MOTION, 0,
				     kiosk_touch_sdl__clamp((double)e->motion.x / win_w),
				     kiosk_touch_sdl__clamp((double)e->motion.y / win_h), 0);
		return r < 0 ? r : 1;
	default:
		return 0;
	}
}

#ifdef __cplusplus
}
#endif
#endif
