/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_scanner.c — the scanner input paths on arbitrary data: the serial
 * line framer (every terminator mode, random read splits and gaps, small
 * and default length limits) and the HID key decoder fed with arbitrary
 * input_event records. Invariants: every emitted code is non-empty,
 * NUL-terminated, within max_len and free of line noise.
 */
#include <stdlib.h>
#include <linux/input.h>
#include <stdint.h>
#include <string.h>
#include "input/scanner-private.h"
#include "scanner/hid_keymap.h"

/* Not FUZZ_CHECK(): it vanishes under NDEBUG in release-type fuzz builds. */
#define FUZZ_CHECK(c) \
	do { \
		if (!(c)) \
			abort(); \
	} while (0)

struct check {
	size_t max_len;
	enum kioski_scan_term term;
	size_t codes;
};

static void on_code(void *user, const char *code, size_t len, uint64_t t)
{
	struct check *c = user;
	FUZZ_CHECK(len > 0 && len <= c->max_len);
	FUZZ_CHECK(code[len] == 0);
	for (size_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)code[i];
		bool ctl_ok = b == '\t' || (c->term == KIOSKI_TERM_CR && b == '\n') ||
			      (c->term == KIOSKI_TERM_LF && b == '\r') ||
			      (c->term == KIOSKI_TERM_CRLF && (b == '\r' || b == '\n'));
		FUZZ_CHECK(!((b < 0x20 && !ctl_ok) || b == 0x7f));
	}
	c->codes++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t mode = data[0], split = data[1];
	data += 2;
	size -= 2;

	/* Framer: byte stream with reads of 1..16 bytes, some after long gaps. */
	struct check c = {.max_len = (mode & 0x10) ? 16 : 8192, .term = (enum kioski_scan_term)(mode % 5)};
	struct kioski_scan_framer f;
	kioski_framer_init(&f, c.term, c.max_len, 100, on_code, &c);
	uint64_t t = 1000;
	for (size_t off = 0; off < size;) {
		size_t n = (size_t)(split % 16) + 1;
		if (n > size - off)
			n = size - off;
		if (c.term == KIOSKI_TERM_NONE && data[off] == '\r')
			kioski_framer_end(&f, t);
		kioski_framer_feed(&f, data + off, n, t);
		t += (data[off] & 0x80) ? 150 : 3;
		kioski_framer_tick(&f, t);
		off += n;
		split = (uint8_t)(split * 31 + 7);
	}
	kioski_framer_fini(&f);

	/* HID decoder: the data as (type, code, value) triples of 5 bytes. */
	struct check h = {.max_len = 64, .term = KIOSKI_TERM_NONE};
	struct kioski_hid_decoder d;
	kioski_hid_init(&d, mode & 1);
	kioski_framer_init(&f, KIOSKI_TERM_NONE, h.max_len, 100, on_code, &h);
	t = 1000;
	for (size_t off = 0; off + 5 <= size; off += 5) {
		uint16_t type = data[off] % (EV_MAX + 1);
		uint16_t code = (uint16_t)(data[off + 1] | (data[off + 2] & 1) << 8);
		int32_t value = (int8_t)data[off + 3];
		char ch = 0;
		switch (kioski_hid_decode(&d, type, code, value, &ch)) {
		case KIOSKI_HID_CHAR:
			FUZZ_CHECK(ch == '\t' || (ch >= 0x20 && ch < 0x7f));
			kioski_framer_put(&f, (uint8_t)ch, t);
			break;
		case KIOSKI_HID_BYTES:
			FUZZ_CHECK(d.nbytes == 1 || d.nbytes == 2);
			for (int k = 0; k < d.nbytes; k++)
				kioski_framer_put(&f, d.bytes[k], t);
			break;
		case KIOSKI_HID_END: kioski_framer_end(&f, t); break;
		case KIOSKI_HID_DROPPED: kioski_framer_discard(&f, "fuzz"); break;
		default: break;
		}
		t += data[off + 4] >> 4;
	}
	kioski_framer_fini(&f);
	return 0;
}
