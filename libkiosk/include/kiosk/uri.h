/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/uri.h — device URIs.
 *
 *   serial:PATH[?baud=N]          e.g. serial:/dev/ttyUSB0?baud=115200
 *   usb:VVVV:PPPP[?serial=S]      e.g. usb:0400:c35a  (hex VID:PID)
 *   tcp:HOST:PORT                 e.g. tcp:192.0.2.10:9100, tcp:[::1]:9100
 *   file:PATH                     e.g. file:/dev/usb/lp0
 *   evdev:PATH                    e.g. evdev:/dev/input/event5 (scanners, touch)
 *
 * Further `key=value` options may follow `?`, joined by `&` (values may use
 * %XX escapes); unknown keys are kept for drivers. Options the transports read:
 *
 *   serial:  baud=9600|19200|38400|57600|115200|230400 (default 115200),
 *            flow=none|rtscts (default none)
 *   tcp:     connect_timeout_ms=N (name lookup + connect, default 3000)
 *   usb:     serial=S (iSerialNumber), interface=N, ep_in=0x81, ep_out=0x02
 *            (default: the first interface with an IN/OUT pair)
 *   evdev:   grab=0|1 (exclusive access; scanners default to 1)
 *   any:     profile=NAME (the device profile, where a family uses one)
 */
#ifndef KIOSK_URI_H
#define KIOSK_URI_H

#include <kiosk/common.h>
#include <kiosk/error.h>

KIOSK_BEGIN_DECLS

/** The transport a URI names. */
enum kiosk_uri_scheme {
	KIOSK_URI_SERIAL = 1,
	KIOSK_URI_USB = 2,
	KIOSK_URI_TCP = 3,
	KIOSK_URI_FILE = 4,
	KIOSK_URI_EVDEV = 5,
};

/** A parsed device URI (opaque). */
typedef struct kiosk_uri kiosk_uri;

/**
 * Parses `text`. On failure returns KIOSK_E_BAD_URI (or KIOSK_E_NO_MEMORY, or
 * KIOSK_E_INVALID_ARG when `uri` is NULL) and,
 * when `errmsg` is not NULL, writes a one-line reason into it (at most
 * `errmsg_len` bytes, NUL-terminated), e.g. "usb: VID must be 4 hex digits".
 */
KIOSK_API int kiosk_uri_parse(const char *text, kiosk_uri **uri, char *errmsg, size_t errmsg_len);

/** Frees a URI. NULL is a no-op. */
KIOSK_API void kiosk_uri_free(kiosk_uri *uri);

/** The scheme. */
KIOSK_API enum kiosk_uri_scheme kiosk_uri_get_scheme(const kiosk_uri *uri);

/** "serial", "usb", "tcp", "file" or "evdev". */
KIOSK_API const char *kiosk_uri_scheme_name(enum kiosk_uri_scheme scheme);

/** serial/file/evdev: the path; tcp: the host (without brackets); usb: NULL. */
KIOSK_API const char *kiosk_uri_get_path(const kiosk_uri *uri);

/** tcp: the port (1–65535); other schemes: 0. */
KIOSK_API int kiosk_uri_get_port(const kiosk_uri *uri);

/** usb: vendor and product id; other schemes: 0. */
KIOSK_API uint16_t kiosk_uri_get_vid(const kiosk_uri *uri);
KIOSK_API uint16_t kiosk_uri_get_pid(const kiosk_uri *uri);

/** The value of option `key` (e.g. "baud", "serial"), or NULL if absent. */
KIOSK_API const char *kiosk_uri_get_option(const kiosk_uri *uri, const char *key);

/**
 * Option `key` as an integer in [min, max]; `def` when absent. Returns
 * KIOSK_E_BAD_URI if present but not a number in range.
 */
KIOSK_API int kiosk_uri_get_option_int(const kiosk_uri *uri, const char *key, long min,
				       long max, long def, long *value);

/** The canonical text form (the input normalised). Never NULL. */
KIOSK_API const char *kiosk_uri_to_string(const kiosk_uri *uri);

KIOSK_END_DECLS
#endif
