/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * touch.c — the touch family front-end (public kiosk_touch_* API): ghost
 * filtering, calibration and TOUCH_* events for evdev and virtual devices.
 *
 * Raw touches arrive from the driver's pump (worker thread) or from
 * kiosk_touch_feed() (application thread); `lock` serialises them. Each slot
 * has a logical state that the ghost filter may hold back:
 *   IDLE → (min_press) PENDING_DOWN → DOWN → (debounce) PENDING_UP → IDLE
 * and the worker's tick releases held-back DOWN/UP events when due.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "input/activity.h"
#include "input/touch-private.h"

#define TICK_MS 5        /* worker tick of the ghost filter */
#define PUMP_MS 250      /* longest an evdev pump blocks with nothing held back */
#define VIRTUAL_URI "virtual:touch"

enum slot_state { SLOT_IDLE, SLOT_PENDING_DOWN, SLOT_DOWN, SLOT_PENDING_UP };

struct slot {
	enum slot_state st;
	bool raw_down;           /* the input's own view of the slot */
	double down_x, down_y;   /* where the held-back DOWN happened */
	uint64_t down_ms;
	double x, y;             /* latest position */
	uint64_t last_ms;
	bool moved;              /* moved while its DOWN was held back */
	uint64_t up_ms;
};

struct kiosk_touch {
	kiosk_device base;
	const struct kioski_touch_ops *ops;
	bool is_virtual;
	pthread_mutex_t lock; /* guards everything below */
	struct kiosk_calibration cal;
	double matrix[6];     /* effective: rotation ∘ cal.matrix */
	int w, h;
	int debounce_ms, min_press_ms;
	uint64_t filtered;
	struct slot slots[KIOSKI_TOUCH_SLOTS];
	bool gone;
};

kioski_transport *kioski_touch_transport(struct kiosk_touch *t)
{
	return t->base.transport;
}

kiosk_device *kiosk_touch_device(kiosk_touch *t)
{
	return t ? &t->base : NULL;
}

/* ---- events (called with the lock held) -------------------------------------- */

static void emit(struct kiosk_touch *t, enum kiosk_event_type type, int slot, double rx, double ry,
		 uint64_t time_ms)
{
	struct kiosk_touch_point *p = calloc(1, sizeof *p);
	kiosk_event *ev = p ? kioski_event_new(type, &t->base,
					       t->is_virtual ? VIRTUAL_URI
							     : kiosk_device_get_uri(&t->base))
			    : NULL;
	if (!ev) {
		free(p);
		kioski_err(t->base.ctx, t->base.driver->id, "out of memory: a touch event was lost");
		return;
	}
	p->slot = slot;
	p->raw_nx = rx;
	p->raw_ny = ry;
	kiosk_calibration_apply(t->matrix, rx, ry, &p->nx, &p->ny);
	p->x = p->nx * t->w;
	p->y = p->ny * t->h;
	p->time_ms = time_ms;
	kioski_event_set_payload(ev, p, free);
	kioski_post_event(t->base.ctx, ev);
	kioski_input_activity(t->base.ctx, time_ms);
}

/* Releases held-back events that are due at `now`. */
static void tick_locked(struct kiosk_touch *t, uint64_t now)
{
	for (int i = 0; i < KIOSKI_TOUCH_SLOTS; i++) {
		struct slot *s = &t->slots[i];
		if (s->st == SLOT_PENDING_DOWN && now >= s->down_ms + (uint64_t)t->min_press_ms) {
			emit(t, KIOSK_EVENT_TOUCH_DOWN, i, s->down_x, s->down_y, s->down_ms);
			if (s->moved)
				emit(t, KIOSK_EVENT_TOUCH_MOTION, i, s->x, s->y, s->last_ms);
			s->moved = false;
			s->st = SLOT_DOWN;
		}
		if (s->st == SLOT_PENDING_UP && now >= s->up_ms + (uint64_t)t->debounce_ms) {
			emit(t, KIOSK_EVENT_TOUCH_UP, i, s->x, s->y, s->up_ms);
			s->st = SLOT_IDLE;
		}
	}
}

int kioski_touch_input(struct kiosk_touch *t, enum kiosk_event_type type, int slot, double nx,
		       double ny, uint64_t time_ms)
{
	if (!t || slot < 0 || slot >= KIOSKI_TOUCH_SLOTS || !isfinite(nx) || !isfinite(ny))
		return KIOSK_E_INVALID_ARG;
	if (type != KIOSK_EVENT_TOUCH_DOWN && type != KIOSK_EVENT_TOUCH_MOTION &&
	    type != KIOSK_EVENT_TOUCH_UP)
		return KIOSK_E_INVALID_ARG;
	if (!time_ms)
		time_ms = kioski_now_ms();
	int r = KIOSK_OK;
	pthread_mutex_lock(&t->lock);
	tick_locked(t, time_ms);
	struct slot *s = &t->slots[slot];
	switch (type) {
	case KIOSK_EVENT_TOUCH_DOWN:
		if (s->raw_down) {
			r = KIOSK_E_STATE;
			break;
		}
		s->raw_down = true;
		s->x = nx;
		s->y = ny;
		s->last_ms = time_ms;
		if (s->st == SLOT_PENDING_UP) {
			/* A bounce: the finger never really left. */
			t->filtered++;
			s->st = SLOT_DOWN;
			emit(t, KIOSK_EVENT_TOUCH_MOTION, slot, nx, ny, time_ms);
		} else if (t->min_press_ms > 0) {
			s->st = SLOT_PENDING_DOWN;
			s->down_x = nx;
			s->down_y = ny;
			s->down_ms = time_ms;
			s->moved = false;
		} else {
			s->st = SLOT_DOWN;
			emit(t, KIOSK_EVENT_TOUCH_DOWN, slot, nx, ny, time_ms);
		}
		break;
	case KIOSK_EVENT_TOUCH_MOTION:
		if (!s->raw_down) {
			r = KIOSK_E_STATE;
			break;
		}
		s->x = nx;
		s->y = ny;
		s->last_ms = time_ms;
		if (s->st == SLOT_PENDING_DOWN)
			s->moved = true;
		else
			emit(t, KIOSK_EVENT_TOUCH_MOTION, slot, nx, ny, time_ms);
		break;
	default: /* UP */
		if (!s->raw_down) {
			r = KIOSK_E_STATE;
			break;
		}
		s->raw_down = false;
		s->x = nx;
		s->y = ny;
		s->last_ms = time_ms;
		if (s->st == SLOT_PENDING_DOWN) {
			t->filtered++; /* too short: a ghost */
			s->st = SLOT_IDLE;
			kioski_dbg(t->base.ctx, t->base.driver->id,
				   "slot %d: %llu ms press filtered as a ghost touch", slot,
				   (unsigned long long)(time_ms - s->down_ms));
		} else if (t->debounce_ms > 0) {
			s->st = SLOT_PENDING_UP;
			s->up_ms = time_ms;
		} else {
			s->st = SLOT_IDLE;
			emit(t, KIOSK_EVENT_TOUCH_UP, slot, nx, ny, time_ms);
		}
		break;
	}
	pthread_mutex_unlock(&t->lock);
	return r;
}

int kiosk_touch_feed(kiosk_touch *t, enum kiosk_event_type type, int slot, double raw_nx,
		     double raw_ny, uint64_t time_ms)
{
	return kioski_touch_input(t, type, slot, raw_nx, raw_ny, time_ms);
}

/* ---- worker ---------------------------------------------------------------------- */

static void touch_tick(struct kiosk_touch *t)
{
	pthread_mutex_lock(&t->lock);
	tick_locked(t, kioski_now_ms());
	pthread_mutex_unlock(&t->lock);
}

static bool any_pending(struct kiosk_touch *t)
{
	bool pending = false;
	pthread_mutex_lock(&t->lock);
	for (int i = 0; i < KIOSKI_TOUCH_SLOTS; i++)
		pending |= t->slots[i].st == SLOT_PENDING_DOWN || t->slots[i].st == SLOT_PENDING_UP;
	pthread_mutex_unlock(&t->lock);
	return pending;
}

static void touch_poll(kiosk_device *dev)
{
	struct kiosk_touch *t = (struct kiosk_touch *)dev;
	if (t->ops->pump && !t->gone) {
		/* Block long when nothing is held back; closing cancels the wait. */
		int r = t->ops->pump(t, any_pending(t) ? TICK_MS : PUMP_MS);
		if (r == KIOSK_E_NO_DEVICE || r == KIOSK_E_CLOSED || r == KIOSK_E_IO) {
			t->gone = true;
			/* Lift every finger so the application is not left with a stuck touch. */
			uint64_t now = kioski_now_ms();
			pthread_mutex_lock(&t->lock);
			for (int i = 0; i < KIOSKI_TOUCH_SLOTS; i++)
				if (t->slots[i].raw_down) {
					pthread_mutex_unlock(&t->lock);
					kioski_touch_input(t, KIOSK_EVENT_TOUCH_UP, i, t->slots[i].x,
							   t->slots[i].y, now);
					pthread_mutex_lock(&t->lock);
				}
			/* UPs held back by the debounce go out now: no finger can bounce
			 * back on a device that is gone, and DEVICE_LEFT comes last. */
			tick_locked(t, UINT64_MAX);
			pthread_mutex_unlock(&t->lock);
			kiosk_event *ev = kioski_event_new(KIOSK_EVENT_DEVICE_LEFT, dev,
							   kiosk_device_get_uri(dev));
			if (ev) {
				kioski_event_set_error(ev, r);
				kioski_post_event(dev->ctx, ev);
			}
			kioski_device_fail(dev, r, "touchscreen lost: %s", kiosk_strerror(r));
			/* Nothing left to pump: tick only for held-back events. */
			kioski_device_set_poll(dev, TICK_MS, touch_poll);
		}
	}
	touch_tick(t);
}

/* ---- open/close --------------------------------------------------------------------- */

static struct kiosk_touch *touch_alloc(void)
{
	struct kiosk_touch *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	pthread_mutex_init(&t->lock, NULL);
	kiosk_calibration_identity(&t->cal);
	kiosk_calibration_effective(&t->cal, t->matrix);
	return t;
}

static void touch_free(struct kiosk_touch *t)
{
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static int start_worker(struct kiosk_touch *t)
{
	int r = kioski_device_start(&t->base);
	if (r < 0)
		return r;
	/* evdev: the pump blocks in the read; virtual: ticks only while filtering. */
	if (t->ops->pump)
		kioski_device_set_poll(&t->base, 1, touch_poll);
	return KIOSK_OK;
}

int kiosk_touch_new_virtual(kiosk_context *ctx, kiosk_touch **out)
{
	if (!ctx || !out)
		return KIOSK_E_INVALID_ARG;
	*out = NULL;
	struct kiosk_touch *t = touch_alloc();
	if (!t)
		return KIOSK_E_NO_MEMORY;
	t->is_virtual = true;
	t->ops = kioski_driver_touch_virtual.ops;
	int r = kioski_device_init(&t->base, ctx, KIOSK_CLASS_TOUCH, &kioski_driver_touch_virtual,
				   NULL);
	if (r < 0) {
		touch_free(t);
		return r;
	}
	r = start_worker(t);
	if (r < 0) {
		kioski_device_fini(&t->base);
		touch_free(t);
		return r;
	}
	*out = t;
	return KIOSK_OK;
}

static int parse_size(const char *s, int *w, int *h)
{
	char *end;
	long a = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return -1;
	const char *p = end + 1;
	long b = strtol(p, &end, 10);
	if (end == p || *end || a <= 0 || b <= 0 || a > 100000 || b > 100000)
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

int kiosk_touch_open(kiosk_context *ctx, const char *uri_text, kiosk_touch **out)
{
	if (!ctx || !uri_text || !out)
		return ctx ? kioski_context_fail(ctx, KIOSK_E_INVALID_ARG, "touch: NULL argument")
			   : KIOSK_E_INVALID_ARG;
	*out = NULL;
	kiosk_uri *uri = NULL;
	char err[160];
	int r = kiosk_uri_parse(uri_text, &uri, err, sizeof err);
	if (r < 0)
		return kioski_context_fail(ctx, r, "%s", err);
	if (kiosk_uri_get_scheme(uri) != KIOSK_URI_EVDEV) {
		kiosk_uri_free(uri);
		return kioski_context_fail(ctx, KIOSK_E_NOT_SUPPORTED,
					   "touch: %s: use evdev:/dev/input/eventN (or a virtual "
					   "device fed from SDL)", uri_text);
	}
	struct kiosk_calibration cal;
	kiosk_calibration_identity(&cal);
	const char *calfile = kiosk_uri_get_option(uri, "calibration");
	if (calfile && (r = kiosk_calibration_load(calfile, &cal)) < 0) {
		r = kioski_context_fail(ctx, r, "touch: cannot load calibration %s: %s", calfile,
					kiosk_strerror(r));
		kiosk_uri_free(uri);
		return r;
	}
	int w = cal.screen_w, h = cal.screen_h;
	const char *size = kiosk_uri_get_option(uri, "screen");
	if (size && parse_size(size, &w, &h) < 0) {
		r = kioski_context_fail(ctx, KIOSK_E_BAD_URI, "touch: screen must be WxH, not '%s'",
					size);
		kiosk_uri_free(uri);
		return r;
	}
	struct kiosk_touch *t = touch_alloc();
	if (!t) {
		kiosk_uri_free(uri);
		return KIOSK_E_NO_MEMORY;
	}
	t->cal = cal;
	kiosk_calibration_effective(&t->cal, t->matrix);
	t->w = w;
	t->h = h;
	t->ops = kioski_driver_touch_evdev.ops;
	r = kioski_device_init(&t->base, ctx, KIOSK_CLASS_TOUCH, &kioski_driver_touch_evdev, uri);
	kiosk_uri_free(uri);
	if (r < 0) {
		touch_free(t);
		return r;
	}
	r = kioski_transport_open(ctx, t->base.uri, &t->base.transport);
	if (r == KIOSK_OK && t->ops->open && (r = t->ops->open(t)) < 0)
		kioski_context_fail(ctx, r, "touch: %s: %s", uri_text, t->base.last_error);
	if (r == KIOSK_OK)
		r = start_worker(t);
	if (r < 0) {
		if (t->ops->close && t->base.priv)
			t->ops->close(t);
		kioski_device_fini(&t->base);
		touch_free(t);
		return r;
	}
	*out = t;
	return KIOSK_OK;
}

void kiosk_touch_close(kiosk_touch *t)
{
	if (!t)
		return;
	kioski_device_stop(&t->base);
	if (t->ops->close)
		t->ops->close(t);
	kioski_device_fini(&t->base);
	touch_free(t);
}

/* ---- settings --------------------------------------------------------------------------- */

int kiosk_touch_set_screen_size(kiosk_touch *t, int w, int h)
{
	if (!t || w <= 0 || h <= 0)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&t->lock);
	t->w = w;
	t->h = h;
	pthread_mutex_unlock(&t->lock);
	return KIOSK_OK;
}

int kiosk_touch_set_calibration(kiosk_touch *t, const struct kiosk_calibration *cal)
{
	if (!t)
		return KIOSK_E_INVALID_ARG;
	struct kiosk_calibration c;
	if (cal) {
		if (kioski_calibration_copy_in(&c, cal) != KIOSK_OK)
			return KIOSK_E_INVALID_ARG;
	} else {
		kiosk_calibration_identity(&c);
	}
	double probe[6];
	if (kiosk_calibration_rotation_matrix(c.rotation, probe) < 0)
		return KIOSK_E_INVALID_ARG;
	for (int k = 0; k < 6; k++)
		if (!isfinite(c.matrix[k]))
			return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&t->lock);
	t->cal = c;
	kiosk_calibration_effective(&t->cal, t->matrix);
	pthread_mutex_unlock(&t->lock);
	return KIOSK_OK;
}

int kiosk_touch_get_calibration(kiosk_touch *t, struct kiosk_calibration *cal)
{
	if (!t || !cal)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&t->lock);
	struct kiosk_calibration c = t->cal;
	pthread_mutex_unlock(&t->lock);
	return kioski_calibration_copy_out(cal, &c);
}

int kiosk_touch_set_filter(kiosk_touch *t, int debounce_ms, int min_press_ms)
{
	if (!t || debounce_ms < 0 || debounce_ms > 10000 || min_press_ms < 0 ||
	    min_press_ms > 10000)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&t->lock);
	t->debounce_ms = debounce_ms;
	t->min_press_ms = min_press_ms;
	/* Release anything held under the old settings. */
	tick_locked(t, kioski_now_ms());
	pthread_mutex_unlock(&t->lock);
	if (!t->ops->pump)
		kioski_device_set_poll(&t->base, debounce_ms || min_press_ms ? TICK_MS : 0,
				       touch_poll);
	return KIOSK_OK;
}

uint64_t kiosk_touch_get_filtered(kiosk_touch *t)
{
	if (!t)
		return 0;
	pthread_mutex_lock(&t->lock);
	uint64_t n = t->filtered;
	pthread_mutex_unlock(&t->lock);
	return n;
}
