/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/event.h — device events.
 *
 * Devices report changes (a card placed, paper running low, a code scanned, a
 * touch) as events, in the manner of UnifiedPOS/XFS status events. After
 * kiosk_context_dispatch(), take them in order with kiosk_context_next_event()
 * and free each with kiosk_event_free(). Events of a device that is closed
 * are dropped from the queue.
 *
 * Status is a snapshot plus change events: query the snapshot once (e.g.
 * kiosk_printer_get_status()), then follow the events.
 */
#ifndef KIOSK_EVENT_H
#define KIOSK_EVENT_H

#include <kiosk/common.h>
#include <kiosk/context.h>
#include <kiosk/device.h>

KIOSK_BEGIN_DECLS

/** Event types. */
enum kiosk_event_type {
	KIOSK_EVENT_DEVICE_ARRIVED = 1, /**< a known USB device was plugged in (hotplug) */
	KIOSK_EVENT_DEVICE_LEFT = 2,    /**< an open device went away (unplug, closed link) */
	KIOSK_EVENT_CARD_INSERTED = 3,  /**< a card was placed and read: kiosk_event_get_idcard() */
	KIOSK_EVENT_CARD_REMOVED = 4,   /**< the card left the reader */
	KIOSK_EVENT_PRINTER_STATUS = 5, /**< printer status changed: kiosk_event_get_printer_status() */
	KIOSK_EVENT_SCAN = 6,           /**< a whole code was scanned: kiosk_event_get_scan() */
	KIOSK_EVENT_TOUCH_DOWN = 7,     /**< a finger touched: kiosk_event_get_touch() */
	KIOSK_EVENT_TOUCH_MOTION = 8,   /**< a touching finger moved */
	KIOSK_EVENT_TOUCH_UP = 9,       /**< a finger lifted */
	KIOSK_EVENT_DEVICE_ERROR = 10,  /**< a device reported an error: kiosk_event_get_error() */
	KIOSK_EVENT_DEVICE_STATE = 11,  /**< online/offline/unknown changed: kiosk_event_get_device_state() */
};

/** A device event (opaque). */
typedef struct kiosk_event kiosk_event;

struct kiosk_idcard;
struct kiosk_printer_status;
struct kiosk_touch_point;

/** "device-arrived", "card-inserted", … Never NULL. */
KIOSK_API const char *kiosk_event_type_name(enum kiosk_event_type type);

/**
 * The next queued event, or NULL when the queue is empty. Ownership passes to
 * the caller: free it with kiosk_event_free().
 */
KIOSK_API kiosk_event *kiosk_context_next_event(kiosk_context *ctx);

/** Frees an event and its payload (personal data is wiped). NULL is a no-op. */
KIOSK_API void kiosk_event_free(kiosk_event *ev);

/** The event's type. */
KIOSK_API enum kiosk_event_type kiosk_event_get_type(const kiosk_event *ev);

/** Monotonic time of the event, in milliseconds (CLOCK_MONOTONIC). */
KIOSK_API uint64_t kiosk_event_get_time_ms(const kiosk_event *ev);

/**
 * The open device the event came from, or NULL for DEVICE_ARRIVED (which has
 * only a URI). Borrowed.
 */
KIOSK_API kiosk_device *kiosk_event_get_device(const kiosk_event *ev);

/** The device URI the event concerns (always set). Never NULL. */
KIOSK_API const char *kiosk_event_get_uri(const kiosk_event *ev);

/** CARD_INSERTED: the card read (borrowed; lives as long as the event). Else NULL. */
KIOSK_API const struct kiosk_idcard *kiosk_event_get_idcard(const kiosk_event *ev);

/** PRINTER_STATUS: the new status (borrowed). Else NULL. */
KIOSK_API const struct kiosk_printer_status *kiosk_event_get_printer_status(const kiosk_event *ev);

/**
 * SCAN: the scanned code (NUL-terminated, borrowed) and its length in bytes
 * (`len` may be NULL). Else NULL.
 */
KIOSK_API const char *kiosk_event_get_scan(const kiosk_event *ev, size_t *len);

/** TOUCH_*: the calibrated touch point (borrowed). Else NULL. */
KIOSK_API const struct kiosk_touch_point *kiosk_event_get_touch(const kiosk_event *ev);

/** DEVICE_ERROR / DEVICE_LEFT / DEVICE_STATE (going offline): the error code (else KIOSK_OK). */
KIOSK_API int kiosk_event_get_error(const kiosk_event *ev);

/**
 * DEVICE_STATE: the device's new state (device.h); `previous` (may be NULL)
 * gets the state it left. Other events: KIOSK_DEVICE_UNKNOWN.
 */
KIOSK_API enum kiosk_device_state kiosk_event_get_device_state(const kiosk_event *ev,
							       enum kiosk_device_state *previous);

KIOSK_END_DECLS
#endif
