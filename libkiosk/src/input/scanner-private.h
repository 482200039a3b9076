/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scanner-private.h — the scanner family's internal API: the code framer
 * (bytes → whole codes, with terminators and the inter-character timeout),
 * the HID key decoder (evdev key events → characters, US layout), and the
 * ops a scanner driver implements for the front-end in scanner.c.
 */
#ifndef KIOSKI_SCANNER_PRIVATE_H
#define KIOSKI_SCANNER_PRIVATE_H

#include "driver.h"

/* ---- framer ------------------------------------------------------------- */

enum kioski_scan_term {
	KIOSKI_TERM_AUTO = 0, /* CR, LF or CR LF end a code */
	KIOSKI_TERM_CR,       /* only CR; LF is data */
	KIOSKI_TERM_LF,       /* only LF; CR is data */
	KIOSKI_TERM_CRLF,     /* only CR LF; a lone CR or LF is data */
	KIOSKI_TERM_NONE,     /* no byte ends a code: kioski_framer_end() does (HID) */
};

/** Parses "auto", "cr", "lf", "crlf" (and "none"). Returns 0 or -1. */
int kioski_scan_term_parse(const char *s, enum kioski_scan_term *out);

/** Called with each whole code (NUL-terminated; `len` excludes the NUL). */
typedef void (*kioski_scan_emit_fn)(void *user, const char *code, size_t len, uint64_t time_ms);

struct kioski_scan_framer {
	enum kioski_scan_term term;
	size_t max_len;          /* longer codes are discarded */
	int char_timeout_ms;     /* a partial older than this is discarded */
	kioski_scan_emit_fn emit;
	void *user;
	kiosk_context *ctx;      /* for logs; may be NULL */
	const char *component;   /* log tag */

	uint8_t *buf;            /* the partial code */
	size_t len, cap;
	bool overflow;           /* current code exceeded max_len */
	bool after_cr;           /* AUTO: last byte was a terminating CR; CRLF: a CR is pending */
	uint64_t last_ms;        /* time of the last byte of the partial code */
	uint64_t discarded;      /* partial/overlong codes discarded */
	uint64_t emitted;
};

void kioski_framer_init(struct kioski_scan_framer *f, enum kioski_scan_term term, size_t max_len,
			int char_timeout_ms, kioski_scan_emit_fn emit, void *user);
/** Wipes and frees the buffer. */
void kioski_framer_fini(struct kioski_scan_framer *f);
/** Feeds bytes that arrived at `now_ms`. Emits every code they complete. */
void kioski_framer_feed(struct kioski_scan_framer *f, const void *data, size_t n, uint64_t now_ms);
/** Feeds one data byte (no terminator interpretation; noise still dropped). */
void kioski_framer_put(struct kioski_scan_framer *f, uint8_t c, uint64_t now_ms);
/** Ends the current code (an explicit terminator, e.g. the Enter key). */
void kioski_framer_end(struct kioski_scan_framer *f, uint64_t now_ms);
/** Discards a partial code whose last byte is older than the timeout. */
void kioski_framer_tick(struct kioski_scan_framer *f, uint64_t now_ms);
/** Discards any partial code now (`why` is logged). */
void kioski_framer_discard(struct kioski_scan_framer *f, const char *why);
/** True while a partial code is buffered. */
bool kioski_framer_busy(const struct kioski_scan_framer *f);

/* ---- HID keyboard-wedge decoder ----------------------------------------- */

struct kioski_hid_decoder {
	bool lshift, rshift;
	bool lctrl, rctrl, lalt, ralt, lmeta, rmeta;
	bool tab_terminates;
	uint64_t ignored;        /* key presses with no US-layout character */
	uint32_t alt_value;      /* Alt + keypad digits being entered */
	int alt_digits;
	uint8_t bytes[2];        /* KIOSKI_HID_BYTES: the bytes of an Alt code */
	int nbytes;
};

enum {
	KIOSKI_HID_NONE = 0,     /* nothing to deliver */
	KIOSKI_HID_CHAR = 1,     /* *out holds one character */
	KIOSKI_HID_END = 2,      /* the code ends (Enter / keypad Enter / Tab when configured) */
	KIOSKI_HID_DROPPED = 3,  /* the kernel dropped events (SYN_DROPPED): the partial code is corrupt */
	KIOSKI_HID_BYTES = 4,    /* an Alt+keypad code ended: d->bytes[0..nbytes) hold its byte(s) */
};

void kioski_hid_init(struct kioski_hid_decoder *d, bool tab_terminates);
/**
 * Feeds one input_event (type, code, value). Returns a KIOSKI_HID_* value.
 * Alt + keypad digits (the "ALT+keypad" emulation scanners use for bytes a
 * US keyboard cannot type) yield, when Alt is released, the value's byte:
 * 1–255 one byte, 256–65535 two bytes high first (a GBK/GB18030 double-byte
 * character, as Chinese scanners send them); other values are ignored.
 */
int kioski_hid_decode(struct kioski_hid_decoder *d, uint16_t type, uint16_t code, int32_t value,
		      char *out);
/** The US-layout character of key `code` (linux KEY_*), or 0 if none. */
char kioski_hid_keymap_us(uint16_t code, bool shift);

/* ---- drivers -------------------------------------------------------------- */

struct kiosk_scanner;

/** The ops table behind kioski_driver.ops for scanner drivers. */
struct kioski_scanner_ops {
	/** Sets up driver state after the transport is open (may be NULL). */
	int (*start)(struct kiosk_scanner *s);
	/** Frees driver state (may be NULL). */
	void (*stop)(struct kiosk_scanner *s);
	/**
	 * Waits up to timeout_ms for input and feeds what arrived to the
	 * scanner's framer (kioski_scanner_framer()). Returns KIOSK_OK (input
	 * handled), KIOSK_E_TIMEOUT (none), or a transport error.
	 */
	int (*pump)(struct kiosk_scanner *s, int timeout_ms);
	/** The URI option "grab" defaults to 1 for this driver (evdev). */
	bool grab_by_default;
};

/** Front-end accessors for drivers. */
struct kioski_scan_framer *kioski_scanner_framer(struct kiosk_scanner *s);
kioski_transport *kioski_scanner_transport(struct kiosk_scanner *s);
void *kioski_scanner_driver_data(struct kiosk_scanner *s);
void kioski_scanner_set_driver_data(struct kiosk_scanner *s, void *data);
const kiosk_uri *kioski_scanner_uri(struct kiosk_scanner *s);

extern const struct kioski_driver kioski_driver_scanner_serial;
extern const struct kioski_driver kioski_driver_scanner_hid;

/* ---- inactivity registry (touch_idle.c) --------------------------------- */

/** Records input activity at `time_ms` (0 = now) for ctx. */
void kioski_input_activity(kiosk_context *ctx, uint64_t time_ms);
/** An input device of ctx opened / closed (keeps the registry entry alive). */

/* ---- evdev helpers (transport_evdev.c) ------------------------------------ */

struct input_absinfo;
/** EVIOCGABS on an evdev transport. Returns KIOSK_OK or KIOSK_E_NOT_SUPPORTED. */
int kioski_evdev_get_abs(kioski_transport *t, unsigned axis, struct input_absinfo *info);
/** True if the device reports event `type` code `code` (EVIOCGBIT). */
bool kioski_evdev_has(kioski_transport *t, unsigned type, unsigned code);

#endif
