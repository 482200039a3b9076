/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scanner-private.h — the scanner family's internal API: the code framer
 * (bytes → whole codes, with terminators and the inter-character timeout)
 * and the ops a scanner driver implements for the front-end in scanner.c.
 * (The HID key decoder belongs to its driver: drivers/scanner/hid_keymap.h.)
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

/* ---- drivers -------------------------------------------------------------- */

struct kiosk_scanner;

/** The ops table behind kioski_driver.ops for scanner drivers. */
struct kioski_scanner_ops {
	/** Sets up driver state (kiosk_device.priv) after the transport is open
	 *  (may be NULL). */
	int (*open)(struct kiosk_scanner *s);
	/** Frees driver state (may be NULL). */
	void (*close)(struct kiosk_scanner *s);
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
const kiosk_uri *kioski_scanner_uri(struct kiosk_scanner *s);

extern const struct kioski_driver kioski_driver_scanner_serial;
extern const struct kioski_driver kioski_driver_scanner_hid;

#endif
