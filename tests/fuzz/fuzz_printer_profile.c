/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_printer_profile — libFuzzer target: the printer profile parser
 * (libkiosk/src/printer/printer_profile.c) on arbitrary text, then the ESC/POS
 * encoder with every profile the parser accepts.
 *
 * Invariants: a rejected profile has a terminated, non-empty message (also in
 * a tiny buffer) and the same result without one; an accepted profile keeps
 * every field inside the ranges the layout relies on, parses to the same
 * result twice, and encodes a small receipt (text, Chinese, QR, rule, cut)
 * without error, the stream ending at its last mark.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "printer/printer_profile.h"
#include "escpos/escpos_encode.h"

#define FAIL(...)                                                                           \
	do {                                                                                \
		fprintf(stderr, "fuzz_printer_profile: " __VA_ARGS__);                      \
		fputc('\n', stderr);                                                        \
		abort();                                                                    \
	} while (0)

static kiosk_receipt *receipt;

static void check_ranges(const struct kioski_printer_profile *p)
{
	if (!p->name[0] || !memchr(p->name, 0, sizeof p->name) ||
	    !memchr(p->description, 0, sizeof p->description))
		FAIL("name or description not set/terminated");
	if (p->width_dots < 96 || p->width_dots > 2400 || p->dpi < 100 || p->dpi > 600 ||
	    p->font_a_width < 6 || p->font_a_width > 64 || p->font_a_height < 8 ||
	    p->font_a_height > 64 || p->line_spacing < p->font_a_height ||
	    p->max_raster_rows < 8 || p->max_raster_rows > 4096 || p->cut_feed < 0 ||
	    p->cut_feed > 255)
		FAIL("field out of range in accepted profile '%s'", p->name);
	if (p->columns != p->width_dots / p->font_a_width || p->columns < 16)
		FAIL("columns %d inconsistent", p->columns);
	if (p->n_usb < 0 || p->n_usb > KIOSKI_PROFILE_MAX_USB)
		FAIL("n_usb %d", p->n_usb);
	if (!p->cjk_font && (p->chinese_mode || p->gb18030_4byte))
		FAIL("Chinese mode without a Chinese font");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16384)
		return 0;
	if (!receipt) {
		kiosk_receipt_new(&receipt);
		struct kiosk_text_style big = {.align = KIOSK_ALIGN_CENTER, .bold = true, .width = 2, .height = 2};
		kiosk_receipt_add_text(receipt, "受理回执 Receipt 𠀀", &big);
		kiosk_receipt_add_rule(receipt);
		kiosk_receipt_add_qr(receipt, "https://example.invalid/q?c=1", 6, 'M');
		kiosk_receipt_add_cut(receipt, true);
	}
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;

	struct kioski_printer_profile p, q;
	char err[200], tiny[3];
	memset(err, 'X', sizeof err);
	int r = kioski_printer_profile_parse(text, &p, err, sizeof err);
	int r_null = kioski_printer_profile_parse(text, &q, NULL, 0);
	int r_tiny = kioski_printer_profile_parse(text, &q, tiny, sizeof tiny);
	if (r != r_null || r != r_tiny)
		FAIL("result depends on the error buffer: %d/%d/%d", r, r_null, r_tiny);
	if (r != KIOSK_OK) {
		if (r != KIOSK_E_BAD_DOCUMENT)
			FAIL("unexpected error %d", r);
		if (!memchr(err, 0, sizeof err) || !err[0])
			FAIL("rejected profile without a terminated message");
		if (!memchr(tiny, 0, sizeof tiny))
			FAIL("message overflowed a tiny buffer");
		free(text);
		return 0;
	}
	check_ranges(&p);
	if (kioski_printer_profile_parse(text, &q, NULL, 0) != KIOSK_OK || memcmp(&p, &q, sizeof p))
		FAIL("a second parse of '%s' differs", p.name);
	struct kioski_escpos_output out;
	memset(&out, 0, sizeof out);
	int e = kioski_receipt_to_escpos(receipt, &p, &out);
	if (e != KIOSK_OK)
		FAIL("profile '%s' accepted but cannot encode a plain receipt: %s", p.name, out.error);
	if (!out.len || !out.n_marks || out.marks[out.n_marks - 1] != out.len)
		FAIL("encoded stream does not end at its last mark");
	kioski_escpos_output_free(&out);
	free(text);
	return 0;
}
