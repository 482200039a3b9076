/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scanner_framer.c — turns the byte stream of a scanner into whole codes.
 *
 * A code is the data between terminators. A partial code whose next byte
 * does not arrive within the inter-character timeout is discarded (never
 * delivered), as is one longer than max_len. Control bytes that are not
 * terminators (except TAB) are line noise and dropped. Empty codes (e.g.
 * a bare CR LF) are not codes.
 */
#include <stdlib.h>
#include <string.h>
#include "input/scanner-private.h"

int kioski_scan_term_parse(const char *s, enum kioski_scan_term *out)
{
	static const struct {
		const char *name;
		enum kioski_scan_term term;
	} names[] = {
		{"auto", KIOSKI_TERM_AUTO}, {"cr", KIOSKI_TERM_CR},     {"lf", KIOSKI_TERM_LF},
		{"crlf", KIOSKI_TERM_CRLF}, {"none", KIOSKI_TERM_NONE},
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcasecmp(s, names[i].name)) {
			*out = names[i].term;
			return 0;
		}
	return -1;
}

void kioski_framer_init(struct kioski_scan_framer *f, enum kioski_scan_term term, size_t max_len,
			int char_timeout_ms, kioski_scan_emit_fn emit, void *user)
{
	memset(f, 0, sizeof *f);
	f->term = term;
	f->max_len = max_len ? max_len : 8192;
	f->char_timeout_ms = char_timeout_ms > 0 ? char_timeout_ms : 300;
	f->emit = emit;
	f->user = user;
	f->component = "scanner";
}

void kioski_framer_fini(struct kioski_scan_framer *f)
{
	if (f->buf) {
		kioski_wipe(f->buf, f->cap);
		free(f->buf);
	}
	f->buf = NULL;
	f->len = f->cap = 0;
}

bool kioski_framer_busy(const struct kioski_scan_framer *f)
{
	return f->len > 0 || f->overflow;
}

static void reset(struct kioski_scan_framer *f)
{
	if (f->buf && f->len)
		kioski_wipe(f->buf, f->len);
	f->len = 0;
	f->overflow = false;
}

void kioski_framer_discard(struct kioski_scan_framer *f, const char *why)
{
	if (!kioski_framer_busy(f)) {
		f->after_cr = false;
		return;
	}
	f->discarded++;
	/* The content may be personal (a QR with an ID number): log only its size. */
	kioski_warn(f->ctx, f->component, "discarded a partial code of %zu byte(s): %s", f->len,
		    why);
	reset(f);
	f->after_cr = false;
}

void kioski_framer_tick(struct kioski_scan_framer *f, uint64_t now_ms)
{
	if (kioski_framer_busy(f) && now_ms > f->last_ms &&
	    now_ms - f->last_ms > (uint64_t)f->char_timeout_ms)
		kioski_framer_discard(f, "inter-character timeout");
	/* A CR LF split by a long pause: the LF no longer belongs to the CR (and
	 * in crlf mode a lone CR left pending does not join the next code). */
	if ((f->term == KIOSKI_TERM_AUTO || f->term == KIOSKI_TERM_CRLF) && f->after_cr &&
	    now_ms > f->last_ms &&
	    now_ms - f->last_ms > (uint64_t)f->char_timeout_ms)
		f->after_cr = false;
}

static void append(struct kioski_scan_framer *f, uint8_t c, uint64_t now_ms)
{
	f->last_ms = now_ms;
	if (f->overflow)
		return;
	if (f->len >= f->max_len) {
		f->overflow = true;
		return;
	}
	if (f->len + 1 >= f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 128;
		if (ncap > f->max_len + 1)
			ncap = f->max_len + 1;
		uint8_t *nb = malloc(ncap);
		if (!nb) {
			f->overflow = true; /* reported as discarded at the terminator */
			return;
		}
		if (f->buf) {
			memcpy(nb, f->buf, f->len);
			kioski_wipe(f->buf, f->cap);
			free(f->buf);
		}
		f->buf = nb;
		f->cap = ncap;
	}
	f->buf[f->len++] = c;
}

void kioski_framer_end(struct kioski_scan_framer *f, uint64_t now_ms)
{
	kioski_framer_tick(f, now_ms);
	if (f->overflow) {
		f->discarded++;
		kioski_warn(f->ctx, f->component,
			    "discarded a code longer than %zu bytes (or out of memory)", f->max_len);
		reset(f);
		return;
	}
	if (!f->len)
		return; /* empty line: not a code */
	f->buf[f->len] = 0;
	size_t len = f->len;
	f->emitted++;
	if (f->emit)
		f->emit(f->user, (const char *)f->buf, len, now_ms);
	reset(f);
}

static bool is_noise(uint8_t c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

void kioski_framer_put(struct kioski_scan_framer *f, uint8_t c, uint64_t now_ms)
{
	kioski_framer_tick(f, now_ms);
	if (is_noise(c))
		return;
	append(f, c, now_ms);
}

/* A control byte kept as data in the CR/LF-only modes. */
static void put_data_ctl(struct kioski_scan_framer *f, uint8_t c, uint64_t now_ms)
{
	append(f, c, now_ms);
}

void kioski_framer_feed(struct kioski_scan_framer *f, const void *data, size_t n, uint64_t now_ms)
{
	const uint8_t *p = data;
	kioski_framer_tick(f, now_ms);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		switch (f->term) {
		case KIOSKI_TERM_AUTO:
			if (c == '\r' || c == '\n') {
				bool swallow = c == '\n' && f->after_cr;
				f->after_cr = c == '\r';
				f->last_ms = now_ms;
				if (!swallow)
					kioski_framer_end(f, now_ms);
				continue;
			}
			f->after_cr = false;
			break;
		case KIOSKI_TERM_CR:
			if (c == '\r') {
				kioski_framer_end(f, now_ms);
				continue;
			}
			if (c == '\n') {
				put_data_ctl(f, c, now_ms);
				continue;
			}
			break;
		case KIOSKI_TERM_LF:
			if (c == '\n') {
				kioski_framer_end(f, now_ms);
				continue;
			}
			if (c == '\r') {
				put_data_ctl(f, c, now_ms);
				continue;
			}
			break;
		case KIOSKI_TERM_CRLF:
			if (f->after_cr) {
				f->after_cr = false;
				if (c == '\n') {
					kioski_framer_end(f, now_ms);
					continue;
				}
				put_data_ctl(f, '\r', now_ms);
			}
			if (c == '\r') {
				f->after_cr = true;
				f->last_ms = now_ms;
				continue;
			}
			if (c == '\n') {
				put_data_ctl(f, c, now_ms);
				continue;
			}
			break;
		case KIOSKI_TERM_NONE:
			break;
		}
		if (is_noise(c))
			continue;
		append(f, c, now_ms);
	}
}
