/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz_receipt_json — libFuzzer target: the receipt JSON parser, then the layout engine,
 * the ESC/POS encoder (every built-in profile in turn) and the preview drawing, and the
 * to_json round trip. Invariants checked: a parse error always has a message naming a
 * path; an accepted document re-parses from its own JSON; the encoded stream ends at
 * its last mark; nothing a printer gets is wider than the paper (the layout asserts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "printer/printer_profile.h"
#include "escpos/escpos_encode.h"
#include "printer/receipt_layout.h"
#include "printer/receipt_preview.h"

static kiosk_context *ctx;
static struct kioski_printer_profile profiles[5];
static int n_profiles;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ctx) {
		static const char *names[] = {"generic-80mm", "generic-58mm", "kiosk-80mm-gbk",
					      "legacy-80mm-raster-qr", "panel-58mm-nocut"};
		kiosk_context_new(&ctx);
		kiosk_context_set_log(ctx, KIOSK_LOG_NONE, NULL, NULL);
		for (int i = 0; i < 5; i++)
			if (!kioski_printer_profile_load(ctx, names[i], &profiles[n_profiles]))
				n_profiles++;
		if (n_profiles != 5)
			abort();
	}
	if (size > 65536)
		return 0;
	char *json = malloc(size + 1);
	memcpy(json, data, size);
	json[size] = 0;
	kiosk_receipt *r = NULL;
	char err[256] = "";
	int rc = kiosk_receipt_from_json(json, &r, err, sizeof err);
	free(json);
	if (rc) {
		if (r || !err[0] || !strchr(err, ':'))
			abort();
		return 0;
	}
	/* one profile per input, chosen by its length, keeps runs fast */
	const struct kioski_printer_profile *p = &profiles[size % (size_t)n_profiles];
	struct kioski_escpos_output o;
	if (!kioski_receipt_to_escpos(r, p, &o)) {
		if (!o.n_marks || o.marks[o.n_marks - 1] != o.len || o.len < 2 || o.data[0] != 0x1B || o.data[1] != 0x40)
			abort();
		kioski_escpos_output_free(&o);
	}
	struct kioski_layout l;
	if (!kioski_layout_build(r, p, KIOSKI_LAYOUT_QR_MATRIX, &l)) {
		for (size_t i = 0; i < l.n_lines; i++)
			if (l.lines[i].x < 0 || l.lines[i].x + l.lines[i].width > p->width_dots)
				abort();
		if (l.height < 20000) {
			int w, h;
			uint8_t *px;
			if (!kioski_preview_draw(&l, &w, &h, &px))
				free(px);
		}
		kioski_layout_free(&l);
	}
	char *out = NULL;
	if (!kiosk_receipt_to_json(r, &out)) {
		kiosk_receipt *r2 = NULL;
		if (kiosk_receipt_from_json(out, &r2, err, sizeof err) ||
		    kiosk_receipt_item_count(r2) != kiosk_receipt_item_count(r))
			abort();
		kiosk_receipt_free(r2);
		kiosk_free(out);
	}
	kiosk_receipt_free(r);
	return 0;
}
