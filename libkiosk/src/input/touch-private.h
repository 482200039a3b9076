/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * touch-private.h — the touch family's internal API: the ops a touch driver
 * implements, and the front-end entry point drivers feed raw touches into.
 */
#ifndef KIOSKI_TOUCH_PRIVATE_H
#define KIOSKI_TOUCH_PRIVATE_H

#include "driver.h"

#define KIOSKI_TOUCH_SLOTS 16

struct kiosk_touch;

/** The ops table behind kioski_driver.ops for touch drivers. */
struct kioski_touch_ops {
	/** Sets up driver state (kiosk_device.priv) after the transport is open
	 *  (may be NULL). Returns KIOSK_E_NOT_SUPPORTED for a device that is not
	 *  a touchscreen. */
	int (*open)(struct kiosk_touch *t);
	/** Frees driver state (may be NULL). */
	void (*close)(struct kiosk_touch *t);
	/** Waits up to timeout_ms for input and feeds it with kioski_touch_input().
	 *  Returns KIOSK_OK, KIOSK_E_TIMEOUT or a transport error. NULL for virtual. */
	int (*pump)(struct kiosk_touch *t, int timeout_ms);
};

/**
 * A raw touch from a driver: type TOUCH_DOWN/MOTION/UP, slot 0..15, the
 * uncalibrated position normalised to 0..1, CLOCK_MONOTONIC ms.
 * Filters, calibrates and posts the event. Returns as kiosk_touch_feed().
 */
int kioski_touch_input(struct kiosk_touch *t, enum kiosk_event_type type, int slot, double nx,
		       double ny, uint64_t time_ms);

kioski_transport *kioski_touch_transport(struct kiosk_touch *t);

extern const struct kioski_driver kioski_driver_touch_evdev;
extern const struct kioski_driver kioski_driver_touch_virtual;

/* Copies a caller's calibration of src->size bytes in (the rest: identity);
 * KIOSK_E_INVALID_ARG when its size is not set. */
int kioski_calibration_copy_in(struct kiosk_calibration *dst, const struct kiosk_calibration *src);
/* Copies into a caller's calibration of dst->size bytes and sets dst->size. */
int kioski_calibration_copy_out(struct kiosk_calibration *dst, const struct kiosk_calibration *src);

#endif
