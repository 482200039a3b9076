/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * touch_evdev.c — touchscreens read directly from evdev, for vendors whose
 * application does not use SDL.
 *
 * Multitouch protocol B (ABS_MT_SLOT, ABS_MT_TRACKING_ID,
 * ABS_MT_POSITION_X/Y) when the device has slots, otherwise single touch
 * (ABS_X/ABS_Y with BTN_TOUCH, or BTN_LEFT on resistive panels that report
 * as a mouse-like device). Changes are collected until SYN_REPORT and then
 * reported per slot as DOWN, MOTION or UP with positions normalised to the
 * axis ranges. After SYN_DROPPED the transport's resync (libevdev) brings
 * the slots to the device's current state up to the next SYN_REPORT: a
 * finger lifted meanwhile is reported UP, one still down keeps its slot
 * (MOTION to where it is now), a new one comes DOWN. A read error lifts
 * every finger.
 */
#include <linux/input.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "input/touch-private.h"
#include "transport/evdev.h"

struct mt_slot {
	int id;            /* tracking id, -1 = no contact */
	int x, y;
	bool changed;
	bool active;       /* reported as down */
};

struct evdev_touch {
	bool mt;
	bool mt_auto;                 /* switch to multitouch on the first ABS_MT_ event */
	int nslots;
	struct input_absinfo ax, ay;  /* the axes used */
	int cur;                      /* current MT slot */
	struct mt_slot slot[KIOSKI_TOUCH_SLOTS];
	/* single touch */
	bool st_touch, st_active, st_changed;
	int st_x, st_y;
};

static double norm(const struct input_absinfo *a, int v)
{
	if (a->maximum <= a->minimum)
		return 0;
	/* in double: int differences overflow for ranges wider than INT_MAX */
	return ((double)v - a->minimum) / ((double)a->maximum - a->minimum);
}

/* URI override "MIN:MAX" of an axis range (like udev's EVDEV_ABS_xx hwdb
 * fix for panels that report wrong ranges). 1 = set, 0 = absent, -1 = bad. */
static int axis_override(struct kiosk_touch *t, const char *key, struct input_absinfo *a)
{
	const char *v = kiosk_uri_get_option(((kiosk_device *)t)->uri, key);
	if (!v)
		return 0;
	int lo, hi, n = 0;
	if (sscanf(v, "%d:%d%n", &lo, &hi, &n) != 2 || v[n] || hi <= lo)
		return -1;
	a->minimum = lo;
	a->maximum = hi;
	return 1;
}

static int evt_open(struct kiosk_touch *t)
{
	kioski_transport *tr = kioski_touch_transport(t);
	struct evdev_touch *e = calloc(1, sizeof *e);
	if (!e)
		return KIOSK_E_NO_MEMORY;
	e->mt = kioski_evdev_has(tr, EV_ABS, ABS_MT_SLOT) &&
		kioski_evdev_has(tr, EV_ABS, ABS_MT_POSITION_X) &&
		kioski_evdev_has(tr, EV_ABS, ABS_MT_POSITION_Y);
	int rx, ry;
	e->nslots = 1;
	if (e->mt) {
		struct input_absinfo s;
		rx = kioski_evdev_get_abs(tr, ABS_MT_POSITION_X, &e->ax);
		ry = kioski_evdev_get_abs(tr, ABS_MT_POSITION_Y, &e->ay);
		if (kioski_evdev_get_abs(tr, ABS_MT_SLOT, &s) == KIOSK_OK)
			e->nslots = s.maximum + 1;
	} else {
		rx = kioski_evdev_has(tr, EV_ABS, ABS_X) ? kioski_evdev_get_abs(tr, ABS_X, &e->ax)
							  : KIOSK_E_NOT_SUPPORTED;
		ry = kioski_evdev_has(tr, EV_ABS, ABS_Y) ? kioski_evdev_get_abs(tr, ABS_Y, &e->ay)
							  : KIOSK_E_NOT_SUPPORTED;
	}
	int ox = axis_override(t, "abs_x", &e->ax), oy = axis_override(t, "abs_y", &e->ay);
	if (ox < 0 || oy < 0) {
		free(e);
		return kioski_device_fail((kiosk_device *)t, KIOSK_E_BAD_URI,
					  "abs_x/abs_y must be MIN:MAX with MIN < MAX");
	}
	if (ox > 0)
		rx = KIOSK_OK;
	if (oy > 0)
		ry = KIOSK_OK;
	if (ox > 0 && oy > 0 && !e->mt) {
		/* Capabilities unknown (the ranges came from the URI): accept
		 * multitouch if the device turns out to send it. */
		e->mt_auto = true;
		e->nslots = KIOSKI_TOUCH_SLOTS;
	}
	if (e->nslots > KIOSKI_TOUCH_SLOTS)
		e->nslots = KIOSKI_TOUCH_SLOTS;
	if (e->nslots < 1)
		e->nslots = 1;
	for (int i = 0; i < KIOSKI_TOUCH_SLOTS; i++)
		e->slot[i].id = -1;
	if (rx < 0 || ry < 0 || e->ax.maximum <= e->ax.minimum || e->ay.maximum <= e->ay.minimum) {
		free(e);
		return kioski_device_fail((kiosk_device *)t, KIOSK_E_NOT_SUPPORTED,
					  "not a touchscreen: no absolute X/Y axes "
					  "(give abs_x=MIN:MAX&abs_y=MIN:MAX if the device hides them)");
	}
	kioski_dbg(((kiosk_device *)t)->ctx, "touch-evdev", "%s, %d slot(s), x %d..%d, y %d..%d",
		   e->mt ? "multitouch" : e->mt_auto ? "touch (type from events)" : "single touch",
		   e->nslots, e->ax.minimum, e->ax.maximum, e->ay.minimum, e->ay.maximum);
	kiosk_touch_device(t)->priv = e;
	return KIOSK_OK;
}

static void evt_close(struct kiosk_touch *t)
{
	free(kiosk_touch_device(t)->priv);
	kiosk_touch_device(t)->priv = NULL;
}

static void lift_all(struct kiosk_touch *t, struct evdev_touch *e, uint64_t now)
{
	for (int i = 0; i < KIOSKI_TOUCH_SLOTS; i++) {
		struct mt_slot *s = &e->slot[i];
		if (s->active)
			kioski_touch_input(t, KIOSK_EVENT_TOUCH_UP, i, norm(&e->ax, s->x),
					   norm(&e->ay, s->y), now);
		s->active = false;
		s->changed = false;
		s->id = -1;
	}
	if (e->st_active)
		kioski_touch_input(t, KIOSK_EVENT_TOUCH_UP, 0, norm(&e->ax, e->st_x),
				   norm(&e->ay, e->st_y), now);
	e->st_active = e->st_touch = e->st_changed = false;
}

static void frame(struct kiosk_touch *t, struct evdev_touch *e, uint64_t now)
{
	if (e->mt) {
		for (int i = 0; i < e->nslots; i++) {
			struct mt_slot *s = &e->slot[i];
			double x = norm(&e->ax, s->x), y = norm(&e->ay, s->y);
			if (s->active && s->id < 0) {
				kioski_touch_input(t, KIOSK_EVENT_TOUCH_UP, i, x, y, now);
				s->active = false;
			} else if (!s->active && s->id >= 0) {
				kioski_touch_input(t, KIOSK_EVENT_TOUCH_DOWN, i, x, y, now);
				s->active = true;
			} else if (s->active && s->changed) {
				kioski_touch_input(t, KIOSK_EVENT_TOUCH_MOTION, i, x, y, now);
			}
			s->changed = false;
		}
		return;
	}
	double x = norm(&e->ax, e->st_x), y = norm(&e->ay, e->st_y);
	if (e->st_active && !e->st_touch) {
		kioski_touch_input(t, KIOSK_EVENT_TOUCH_UP, 0, x, y, now);
		e->st_active = false;
	} else if (!e->st_active && e->st_touch) {
		kioski_touch_input(t, KIOSK_EVENT_TOUCH_DOWN, 0, x, y, now);
		e->st_active = true;
	} else if (e->st_active && e->st_changed) {
		kioski_touch_input(t, KIOSK_EVENT_TOUCH_MOTION, 0, x, y, now);
	}
	e->st_changed = false;
}

static void handle(struct kiosk_touch *t, struct evdev_touch *e, const struct input_event *ev,
		   uint64_t now)
{
	if (ev->type == EV_SYN) {
		/* after SYN_DROPPED the resync events follow: applied as one frame */
		if (ev->code == SYN_REPORT)
			frame(t, e, now);
		return;
	}
	if (ev->type == EV_ABS) {
		if (!e->mt && e->mt_auto && ev->code >= ABS_MT_SLOT && ev->code <= ABS_MT_TOOL_Y) {
			e->mt = true;
			e->st_active = e->st_touch = e->st_changed = false;
		}
		if (e->mt) {
			struct mt_slot *s = e->cur >= 0 && e->cur < e->nslots ? &e->slot[e->cur] : NULL;
			switch (ev->code) {
			case ABS_MT_SLOT: e->cur = ev->value; break;
			case ABS_MT_TRACKING_ID:
				if (s)
					s->id = ev->value;
				break;
			case ABS_MT_POSITION_X:
				if (s) {
					s->x = ev->value;
					s->changed = true;
				}
				break;
			case ABS_MT_POSITION_Y:
				if (s) {
					s->y = ev->value;
					s->changed = true;
				}
				break;
			default: break;
			}
		} else if (ev->code == ABS_X) {
			e->st_x = ev->value;
			e->st_changed = true;
		} else if (ev->code == ABS_Y) {
			e->st_y = ev->value;
			e->st_changed = true;
		}
	} else if (ev->type == EV_KEY && !e->mt && (ev->code == BTN_TOUCH || ev->code == BTN_LEFT)) {
		e->st_touch = ev->value != 0;
	}
}

static int evt_pump(struct kiosk_touch *t, int timeout_ms)
{
	struct evdev_touch *e = kiosk_touch_device(t)->priv;
	struct input_event ev[64];
	size_t got = 0;
	int r = kioski_transport_read(kioski_touch_transport(t), ev, sizeof ev, &got, timeout_ms);
	if (r != KIOSK_OK) {
		if (r != KIOSK_E_TIMEOUT && r != KIOSK_E_CANCELLED)
			lift_all(t, e, kioski_now_ms());
		return r;
	}
	uint64_t now = kioski_now_ms();
	for (size_t i = 0; i < got / sizeof ev[0]; i++)
		handle(t, e, &ev[i], now);
	return KIOSK_OK;
}

static const struct kioski_touch_ops evdev_ops = {
	.open = evt_open,
	.close = evt_close,
	.pump = evt_pump,
};

const struct kioski_driver kioski_driver_touch_evdev = {
	.id = "touch-evdev",
	.full_name = "evdev touchscreen (multitouch protocol B or single touch)",
	.cls = KIOSK_CLASS_TOUCH,
	.ops = &evdev_ops,
};
