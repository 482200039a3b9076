/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* escpos_encode.c — a receipt layout encoded as ESC/POS bytes (see escpos_encode.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver.h"
#include "escpos_encode.h"

struct buf {
	uint8_t *d;
	size_t n, cap;
	bool oom;
	size_t *marks;
	size_t n_marks, cap_marks;
	/* printer mode as last set */
	int align, bold, size, spacing;
};

static bool reserve(struct buf *b, size_t more)
{
	if (b->oom)
		return false;
	if (b->n + more <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->n + more)
		cap *= 2;
	uint8_t *p = realloc(b->d, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->d = p;
	b->cap = cap;
	return true;
}

static void put(struct buf *b, const void *p, size_t n)
{
	if (reserve(b, n)) {
		memcpy(b->d + b->n, p, n);
		b->n += n;
	}
}

static void put3(struct buf *b, uint8_t x, uint8_t y, uint8_t z)
{
	uint8_t t[3] = {x, y, z};
	put(b, t, 3);
}

static void mark(struct buf *b)
{
	if (b->oom)
		return;
	if (b->n_marks && b->marks[b->n_marks - 1] == b->n)
		return;
	if (b->n_marks == b->cap_marks) {
		size_t cap = b->cap_marks ? b->cap_marks * 2 : 64;
		size_t *m = realloc(b->marks, cap * sizeof *m);
		if (!m) {
			b->oom = true;
			return;
		}
		b->marks = m;
		b->cap_marks = cap;
	}
	b->marks[b->n_marks++] = b->n;
}

static void set_align(struct buf *b, int a)
{
	if (b->align != a) {
		put3(b, 0x1B, 0x61, (uint8_t)a);
		b->align = a;
	}
}

static void set_bold(struct buf *b, int on)
{
	if (b->bold != on) {
		put3(b, 0x1B, 0x45, (uint8_t)on);
		b->bold = on;
	}
}

static void set_size(struct buf *b, int sw, int sh)
{
	int n = (sw - 1) << 4 | (sh - 1);
	if (b->size != n) {
		put3(b, 0x1D, 0x21, (uint8_t)n);
		b->size = n;
	}
}

static void set_spacing(struct buf *b, int dots)
{
	if (b->spacing != dots) {
		put3(b, 0x1B, 0x33, (uint8_t)dots);
		b->spacing = dots;
	}
}

/* GS ( k with a function payload: pL pH cn fn … */
static void gs_k(struct buf *b, uint8_t fn, const void *data, size_t len)
{
	size_t n = len + 2;
	uint8_t h[7] = {0x1D, 0x28, 0x6B, (uint8_t)(n & 0xFF), (uint8_t)(n >> 8), 0x31, fn};
	put(b, h, sizeof h);
	put(b, data, len);
}

static void encode_qr_native(struct buf *b, const struct kioski_line *ln)
{
	static const uint8_t model[] = {0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00};
	put(b, model, sizeof model);
	uint8_t m = (uint8_t)ln->qr_module;
	gs_k(b, 0x43, &m, 1);
	uint8_t e = (uint8_t)(0x30 + kioski_qr_ecc_index(ln->qr_ecc));
	gs_k(b, 0x45, &e, 1);
	/* store: pL pH 31 50 30 d… with pL+256·pH = len + 3 */
	size_t n = ln->qr_len + 3;
	uint8_t h[8] = {0x1D, 0x28, 0x6B, (uint8_t)(n & 0xFF), (uint8_t)(n >> 8), 0x31, 0x50, 0x30};
	put(b, h, sizeof h);
	put(b, ln->qr_data, ln->qr_len);
	uint8_t pr = 0x30;
	gs_k(b, 0x51, &pr, 1);
}

static void encode_raster(struct buf *b, const struct kioski_line *ln, int max_rows)
{
	for (int y = 0; y < ln->rows; y += max_rows) {
		int rows = ln->rows - y < max_rows ? ln->rows - y : max_rows;
		uint8_t h[8] = {0x1D, 0x76, 0x30, 0x00, (uint8_t)(ln->stride & 0xFF), (uint8_t)(ln->stride >> 8),
				(uint8_t)(rows & 0xFF), (uint8_t)(rows >> 8)};
		put(b, h, sizeof h);
		put(b, ln->bits + (size_t)y * ln->stride, (size_t)rows * ln->stride);
		mark(b);
	}
}

/* GS h / GS w / GS H / GS f, then GS k m n d… (format B): Code 128 in code
 * set B ("{B", a '{' doubled), EAN-13 with its 12 digits (the printer adds
 * the check digit). */
static void encode_barcode(struct buf *b, const struct kioski_line *ln)
{
	static const uint8_t m[] = {[KIOSK_BARCODE_CODE128] = 73, [KIOSK_BARCODE_CODE39] = 69,
				    [KIOSK_BARCODE_EAN13] = 67, [KIOSK_BARCODE_ITF] = 70};
	uint8_t d[256];
	size_t n = 0;
	if (ln->bar_symbology == KIOSK_BARCODE_CODE128) {
		d[n++] = '{';
		d[n++] = 'B';
	}
	size_t len = ln->bar_symbology == KIOSK_BARCODE_EAN13 ? 12 : ln->qr_len;
	for (size_t i = 0; i < len && n < sizeof d - 2; i++) {
		if (ln->bar_symbology == KIOSK_BARCODE_CODE128 && ln->qr_data[i] == '{')
			d[n++] = '{';
		d[n++] = (uint8_t)ln->qr_data[i];
	}
	put3(b, 0x1D, 0x68, (uint8_t)ln->rows);
	put3(b, 0x1D, 0x77, (uint8_t)ln->bar_module);
	put3(b, 0x1D, 0x48, ln->bar_hri ? 2 : 0);
	put3(b, 0x1D, 0x66, 0);
	put3(b, 0x1D, 0x6B, m[ln->bar_symbology]);
	put(b, &(uint8_t){(uint8_t)n}, 1);
	put(b, d, n);
}

static void feed_dots(struct buf *b, int dots)
{
	while (dots > 0) {
		int n = dots > 255 ? 255 : dots;
		put3(b, 0x1B, 0x4A, (uint8_t)n);
		dots -= n;
	}
}

int kioski_escpos_encode(const struct kioski_layout *lp, struct kioski_escpos_output *out)
{
	if (!out)
		return KIOSK_E_INVALID_ARG;
	memset(out, 0, sizeof *out);
	if (!lp || !lp->profile) {
		snprintf(out->error, sizeof out->error, "no layout or profile");
		return KIOSK_E_INVALID_ARG;
	}
	const struct kioski_layout l = *lp;
	const struct kioski_printer_profile *p = l.profile;
	struct buf b = {0};
	reserve(&b, 256 + l.n_glyphs * 2 + l.n_lines * 4);
	put(&b, "\x1B\x40", 2);
	if (p->chinese_mode)
		put(&b, "\x1C\x26", 2);
	b.spacing = -1;
	set_spacing(&b, p->line_spacing);
	/* Printer defaults after ESC @: left, not bold, size 1. */
	b.align = 0;
	b.bold = 0;
	b.size = 0;
	mark(&b);
	int base_spacing = p->line_spacing;
	for (size_t i = 0; i < l.n_lines; i++) {
		const struct kioski_line *ln = &l.lines[i];
		switch (ln->kind) {
		case KIOSKI_LINE_TEXT: {
			if (ln->printer_hri)
				break; /* the printer prints a native barcode's text itself (GS H) */
			set_spacing(&b, ln->advance);
			if (ln->n_glyphs) {
				set_align(&b, (int)ln->align);
				set_bold(&b, ln->bold);
				set_size(&b, ln->sw, ln->sh);
			}
			if (reserve(&b, ln->n_glyphs * 4 + 1)) {
				for (size_t k = 0; k < ln->n_glyphs; k++) {
					const struct kioski_glyph *g = &l.glyphs[ln->glyph0 + k];
					memcpy(b.d + b.n, g->bytes, g->n_bytes);
					b.n += g->n_bytes;
				}
				b.d[b.n++] = 0x0A;
			}
			mark(&b);
			break;
		}
		case KIOSKI_LINE_QR:
			set_align(&b, (int)ln->align);
			feed_dots(&b, ln->feed_dots);
			mark(&b);
			if (p->native_qr) {
				encode_qr_native(&b, ln);
				mark(&b);
			} else {
				encode_raster(&b, ln, p->max_raster_rows);
			}
			feed_dots(&b, ln->feed_dots);
			mark(&b);
			break;
		case KIOSKI_LINE_RASTER:
			set_align(&b, (int)ln->align);
			encode_raster(&b, ln, p->max_raster_rows);
			break;
		case KIOSKI_LINE_BARCODE:
			set_align(&b, (int)ln->align);
			feed_dots(&b, ln->feed_dots);
			mark(&b);
			if (p->native_barcode)
				encode_barcode(&b, ln);
			else
				encode_raster(&b, ln, p->max_raster_rows);
			if (!ln->bar_hri)
				feed_dots(&b, ln->feed_dots);
			mark(&b);
			break;
		case KIOSKI_LINE_FEED:
			set_spacing(&b, base_spacing);
			put3(&b, 0x1B, 0x64, (uint8_t)ln->feed_lines);
			mark(&b);
			break;
		case KIOSKI_LINE_CUT:
			if (p->chinese_mode && i + 1 == l.n_lines)
				put(&b, "\x1C\x2E", 2);
			if (ln->partial && p->cutter_partial)
				put3(&b, 0x1D, 0x56, 0x42), put(&b, &(uint8_t){(uint8_t)p->cut_feed}, 1);
			else if (p->cutter_full || p->cutter_partial)
				put3(&b, 0x1D, 0x56, p->cutter_full ? 0x41 : 0x42),
					put(&b, &(uint8_t){(uint8_t)p->cut_feed}, 1);
			else {
				set_spacing(&b, base_spacing);
				put3(&b, 0x1B, 0x64, 4); /* no cutter: past the tear bar */
			}
			mark(&b);
			break;
		}
	}
	bool ends_with_cut = l.n_lines && l.lines[l.n_lines - 1].kind == KIOSKI_LINE_CUT;
	if (p->chinese_mode && !ends_with_cut) {
		put(&b, "\x1C\x2E", 2);
		mark(&b);
	}
	if (b.oom) {
		free(b.d);
		free(b.marks);
		snprintf(out->error, sizeof out->error, "out of memory");
		return KIOSK_E_NO_MEMORY;
	}
	out->data = b.d;
	out->len = b.n;
	out->marks = b.marks;
	out->n_marks = b.n_marks;
	return KIOSK_OK;
}

int kioski_receipt_to_escpos(const kiosk_receipt *r, const struct kioski_printer_profile *p,
			     struct kioski_escpos_output *out)
{
	if (!out)
		return KIOSK_E_INVALID_ARG;
	memset(out, 0, sizeof *out);
	if (!r || !p) {
		snprintf(out->error, sizeof out->error, "no receipt or profile");
		return KIOSK_E_INVALID_ARG;
	}
	struct kioski_layout l;
	int rc = kioski_layout_build(r, p, 0, &l);
	if (rc) {
		snprintf(out->error, sizeof out->error, "%s", l.error);
		return rc;
	}
	rc = kioski_escpos_encode(&l, out);
	if (rc == KIOSK_OK) {
		out->substitutions = l.subs;
		out->n_substitutions = l.n_subs;
		out->n_substituted = l.n_substituted;
		l.subs = NULL;
		l.n_subs = 0;
	}
	kioski_layout_free(&l);
	return rc;
}

void kioski_escpos_output_free(struct kioski_escpos_output *out)
{
	if (!out)
		return;
	if (out->data)
		kioski_wipe(out->data, out->len);
	free(out->data);
	free(out->marks);
	for (size_t i = 0; i < out->n_substitutions; i++)
		free(out->substitutions[i]);
	free(out->substitutions);
	memset(out, 0, sizeof *out);
}
