/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/device.h — what every opened device has in common.
 *
 * Each device family has its own typed handle (kiosk_idcard_reader,
 * kiosk_printer, kiosk_scanner, kiosk_touch). Each of them is also a
 * kiosk_device, reached with kiosk_<family>_device(); events name their
 * source as a kiosk_device. A kiosk_device is borrowed from its typed
 * handle: it is valid until that handle is closed.
 */
#ifndef KIOSK_DEVICE_H
#define KIOSK_DEVICE_H

#include <kiosk/common.h>
#include <kiosk/context.h>

KIOSK_BEGIN_DECLS

/** The common part of an open device (opaque, borrowed). */
typedef struct kiosk_device kiosk_device;

/** Device families. */
enum kiosk_device_class {
	KIOSK_CLASS_IDCARD = 1,  /**< second-generation ID-card reader (SAM_V) */
	KIOSK_CLASS_PRINTER = 2, /**< receipt printer (ESC/POS) */
	KIOSK_CLASS_SCANNER = 3, /**< QR/barcode scanner */
	KIOSK_CLASS_TOUCH = 4,   /**< touchscreen */
};

/** "idcard", "printer", "scanner" or "touch". */
KIOSK_API const char *kiosk_device_class_name(enum kiosk_device_class cls);

/** The device's family. */
KIOSK_API enum kiosk_device_class kiosk_device_get_class(kiosk_device *dev);

/** The URI it was opened with, canonical form. Never NULL. */
KIOSK_API const char *kiosk_device_get_uri(kiosk_device *dev);

/** The id of the driver that runs it, e.g. "samv", "escpos". Never NULL. */
KIOSK_API const char *kiosk_device_get_driver(kiosk_device *dev);

/**
 * The message of the device's last failure; "" if none. Never NULL.
 * Readable from any thread, also while the device's worker fails: the text
 * is copied under the lock it is written under into a buffer private to the
 * calling thread, valid until that thread calls kiosk_device_last_error()
 * again (copy it to keep it). kiosk_context_last_error() works the same way.
 */
KIOSK_API const char *kiosk_device_last_error(kiosk_device *dev);

/* ---- state and recovery ----------------------------------------------- */

/**
 * Whether an open device can be reached. Zero is UNKNOWN.
 *
 * ONLINE: the device itself is known to be there: it answered on its link,
 *   or holds a link only it can hold (an accepted TCP connection, a claimed
 *   USB interface).
 * OFFLINE: the link was lost (peer closed, unplugged, I/O error) or a device
 *   that used to answer stopped answering. A lost link is re-opened in the
 *   background with bounded exponential back-off (see
 *   kiosk_device_set_reconnect()); nothing needs to be closed or reopened by
 *   the application: the next job works once the device is back.
 * UNKNOWN: the link is open but says nothing about the device (a serial
 *   port is open whether or not a printer is attached) and the device has not
 *   answered yet, or cannot answer at all (no status channel). Never guessed
 *   as ONLINE.
 *
 * Every change queues a KIOSK_EVENT_DEVICE_STATE event (event.h) with the new
 * state (kiosk_event_get_device_state()) and, on going OFFLINE, the reason
 * (kiosk_event_get_error()). A lost link also queues KIOSK_EVENT_DEVICE_LEFT
 * once, as before.
 */
enum kiosk_device_state {
	KIOSK_DEVICE_UNKNOWN = 0, /**< open, but the device has not shown it is there */
	KIOSK_DEVICE_ONLINE = 1,  /**< the device is there and answers */
	KIOSK_DEVICE_OFFLINE = 2, /**< link lost or device silent; being re-opened in the background */
};

/** "unknown", "online" or "offline". Never NULL. */
KIOSK_API const char *kiosk_device_state_name(enum kiosk_device_state state);

/** The device's state now (thread-safe, no I/O). UNKNOWN for NULL. */
KIOSK_API enum kiosk_device_state kiosk_device_get_state(kiosk_device *dev);

/**
 * Sets the background re-open back-off of a lost link: the first attempt
 * `min_ms` after the loss, each next one after twice the previous wait, at
 * most `max_ms` apart (defaults 250 and 3000, so a device that comes back is
 * online again within about 3 s). `max_ms` 0 turns background re-opening
 * off (a lost link is then re-opened only by the next job or status query).
 * Returns KIOSK_OK, KIOSK_E_INVALID_ARG (min_ms outside 10..60000, max_ms
 * neither 0 nor in min_ms..600000) or KIOSK_E_NOT_SUPPORTED (a device family
 * whose links are not re-opened: touchscreens).
 */
KIOSK_API int kiosk_device_set_reconnect(kiosk_device *dev, int min_ms, int max_ms);

/**
 * Drops the device's link and re-opens it now, in the background, between
 * jobs (a maintenance "reconnect" button). The state goes OFFLINE, then back
 * as the new link allows; a job running now is not interrupted. Returns
 * KIOSK_OK (scheduled), KIOSK_E_INVALID_ARG or KIOSK_E_NOT_SUPPORTED as
 * above.
 */
KIOSK_API int kiosk_device_reconnect(kiosk_device *dev);

/** Attaches an application pointer (returned in events). */
KIOSK_API void kiosk_device_set_user_data(kiosk_device *dev, void *user);
/** The pointer set by kiosk_device_set_user_data(), or NULL. */
KIOSK_API void *kiosk_device_get_user_data(kiosk_device *dev);

/* ---- drivers and discovery ------------------------------------------- */

/** Number of drivers compiled in. */
KIOSK_API size_t kiosk_driver_count(void);
/** Driver `i`'s id (e.g. "samv"), full name and class; KIOSK_E_INVALID_ARG past the end. */
KIOSK_API int kiosk_driver_info(size_t i, const char **id, const char **full_name,
				enum kiosk_device_class *cls);

/**
 * Calls `fn` once for each attached device a driver recognises (USB devices
 * by VID:PID from the drivers' id tables and the profiles, as "usb:" URIs;
 * USB serial ports ttyUSB* and ttyACM* by their adapter's VID:PID, as "serial:"
 * URIs), found through udev. `uri` is
 * usable with the matching kiosk_*_open(). Returns the number found (>= 0)
 * or an error code.
 */
typedef void (*kiosk_discover_fn)(const char *uri, enum kiosk_device_class cls,
				  const char *driver_id, const char *description, void *user);
KIOSK_API int kiosk_context_discover(kiosk_context *ctx, kiosk_discover_fn fn, void *user);

/**
 * Starts (`enable` true) or stops watching hotplug through udev. While on,
 * each node that arrives queues KIOSK_EVENT_DEVICE_ARRIVED and each that
 * leaves KIOSK_EVENT_DEVICE_LEFT (error KIOSK_E_NO_DEVICE); their
 * kiosk_event_get_device() is NULL and kiosk_event_get_uri() is usable with
 * the family's open call:
 *   "usb:VVVV:PPPP[?serial=S]"  a USB device that a driver or profile recognises;
 *   "serial:/dev/ttyUSBn"       a USB serial port (ttyUSB*, ttyACM*), whatever
 *                               is behind the adapter (an ID-card reader, a scanner);
 *   "evdev:/dev/input/eventN"   a keyboard (a HID scanner) or touchscreen node;
 *   "file:/dev/usb/lpN"         a USB printer-class port (the usblp driver's node).
 * One USB device may so give several events (its usb: URI and its port's).
 * Devices present when the watch starts are not announced (use
 * kiosk_context_discover()). Open devices also report their own loss as
 * KIOSK_EVENT_DEVICE_LEFT with the device set. Returns KIOSK_OK, or
 * KIOSK_E_NOT_SUPPORTED where udev cannot be listened to.
 */
KIOSK_API int kiosk_context_watch_hotplug(kiosk_context *ctx, bool enable);

KIOSK_END_DECLS
#endif
