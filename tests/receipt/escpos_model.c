/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* escpos_model.c — see escpos_model.h. */
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include "escpos_model.h"
#include "printer/receipt_private.h"

static int fail(struct em_result *r, size_t off, const char *what)
{
	snprintf(r->error, sizeof r->error, "offset %zu: %s", off, what);
	return -1;
}

static void boundary(struct em_result *r, size_t off)
{
	if (r->n_boundaries < (int)(sizeof r->boundaries / sizeof r->boundaries[0]))
		r->boundaries[r->n_boundaries++] = off;
}

bool em_is_boundary(const struct em_result *r, size_t off)
{
	if (off == 0)
		return true;
	for (int i = 0; i < r->n_boundaries; i++)
		if (r->boundaries[i] == off)
			return true;
	return false;
}

int em_run(const uint8_t *d, size_t len, int width, int fw, int fh, struct em_result *r)
{
	memset(r, 0, sizeof *r);
	int align = 0, bold = 0, sw = 1, sh = 1, spacing = 30;
	bool chinese = false;
	uint8_t text[2048];
	size_t tn = 0;
	int cells = 0;
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	size_t i = 0;
#define NEED(n) do { if (i + (n) > len) { iconv_close(cd); return fail(r, i, "truncated command"); } } while (0)
	while (i < len) {
		uint8_t b = d[i];
		if (b == 0x0A) {
			struct em_line *L = &r->lines[r->n_lines < 511 ? r->n_lines++ : 511];
			memset(L, 0, sizeof *L);
			char *in = (char *)text, *o = L->utf8;
			size_t inl = tn, outl = sizeof L->utf8 - 1;
			iconv(cd, NULL, NULL, NULL, NULL);
			if (tn && iconv(cd, &in, &inl, &o, &outl) == (size_t)-1) {
				iconv_close(cd);
				return fail(r, i, "text is not valid GB18030");
			}
			*o = 0;
			L->cells = cells;
			L->width = cells * fw * sw;
			L->x = align == 0 ? 0 : align == 1 ? (width - L->width) / 2 : width - L->width;
			L->y = r->y;
			L->align = align, L->bold = bold, L->sw = sw, L->sh = sh;
			int adv = spacing > fh * sh ? spacing : fh * sh;
			r->y += adv;
			tn = 0;
			cells = 0;
			i++;
			boundary(r, i);
			continue;
		}
		if (b == 0x1B) {
			NEED(2);
			uint8_t c = d[i + 1];
			if (c == 0x40) { align = bold = 0; sw = sh = 1; chinese = false; i += 2; }
			else if (c == 0x61) { NEED(3); if (d[i + 2] > 2) return fail(r, i, "ESC a out of range"); align = d[i + 2]; i += 3; }
			else if (c == 0x45) { NEED(3); bold = d[i + 2] & 1; i += 3; }
			else if (c == 0x33) { NEED(3); spacing = d[i + 2]; i += 3; }
			else if (c == 0x64) { NEED(3); r->y += d[i + 2] * spacing; i += 3; }
			else if (c == 0x4A) { NEED(3); r->y += d[i + 2]; i += 3; }
			else { iconv_close(cd); return fail(r, i, "unknown ESC command"); }
			if (tn) { iconv_close(cd); return fail(r, i, "mode change inside a line"); }
			boundary(r, i);
			continue;
		}
		if (b == 0x1C) {
			NEED(2);
			if (d[i + 1] == 0x26) { chinese = true; if (i == 2) r->chinese_on_at_start = true; }
			else if (d[i + 1] == 0x2E) chinese = false;
			else { iconv_close(cd); return fail(r, i, "unknown FS command"); }
			i += 2;
			boundary(r, i);
			continue;
		}
		if (b == 0x10) {
			NEED(3);
			if (d[i + 1] == 0x04) { r->n_status_queries++; i += 3; boundary(r, i); continue; }
			iconv_close(cd);
			return fail(r, i, "unknown DLE command");
		}
		if (b == 0x1D) {
			NEED(2);
			uint8_t c = d[i + 1];
			if (c == 0x21) {
				NEED(3);
				sw = (d[i + 2] >> 4) + 1;
				sh = (d[i + 2] & 15) + 1;
				if (sw > 8 || sh > 8) { iconv_close(cd); return fail(r, i, "GS ! out of range"); }
				i += 3;
			} else if (c == 0x56) {
				NEED(4);
				if (d[i + 2] == 0x41) r->n_cut_full++;
				else if (d[i + 2] == 0x42) r->n_cut_partial++;
				else { iconv_close(cd); return fail(r, i, "unknown GS V form"); }
				i += 4;
			} else if (c == 0x76) {
				NEED(8);
				if (d[i + 2] != 0x30 || d[i + 3] != 0) { iconv_close(cd); return fail(r, i, "GS v 0 bad mode"); }
				int xb = d[i + 4] | d[i + 5] << 8, rows = d[i + 6] | d[i + 7] << 8;
				NEED(8 + (size_t)xb * rows);
				struct em_raster *R = &r->rasters[r->n_rasters < 255 ? r->n_rasters++ : 255];
				R->width_bytes = xb;
				R->rows = rows;
				R->data = d + i + 8;
				R->x = align == 0 ? 0 : align == 1 ? (width - xb * 8) / 2 : width - xb * 8;
				R->y = r->y;
				r->y += rows;
				i += 8 + (size_t)xb * rows;
			} else if (c == 0x28) {
				NEED(7);
				if (d[i + 2] != 0x6B) { iconv_close(cd); return fail(r, i, "unknown GS ( command"); }
				size_t n = d[i + 3] | (size_t)d[i + 4] << 8;
				NEED(5 + n);
				if (n < 2 || d[i + 5] != 0x31) { iconv_close(cd); return fail(r, i, "GS ( k not QR"); }
				uint8_t fn = d[i + 6];
				if (fn == 0x41) { if (n != 4 || d[i + 7] != 0x32) return fail(r, i, "QR model"); }
				else if (fn == 0x43) r->qr_module = d[i + 7];
				else if (fn == 0x45) r->qr_ecc = d[i + 7];
				else if (fn == 0x50) {
					if (d[i + 7] != 0x30 || n - 3 >= sizeof r->qr_data) { iconv_close(cd); return fail(r, i, "QR store"); }
					memcpy(r->qr_data, d + i + 8, n - 3);
					r->qr_data[n - 3] = 0;
				} else if (fn == 0x51) {
					r->n_qr_print++;
					r->qr_y = r->y;
					r->qr_x = align;
					/* the printer picks the smallest version (byte mode) */
					int v = kioski_qr_version_for(strlen(r->qr_data), r->qr_ecc - 0x30);
					r->y += (17 + 4 * v) * r->qr_module;
				} else { iconv_close(cd); return fail(r, i, "unknown QR function"); }
				i += 5 + n;
			} else {
				iconv_close(cd);
				return fail(r, i, "unknown GS command");
			}
			if (tn) { iconv_close(cd); return fail(r, i, "command inside a line"); }
			boundary(r, i);
			continue;
		}
		if (b < 0x20 || b == 0x7F) { iconv_close(cd); return fail(r, i, "stray control byte"); }
		/* printable: one character */
		size_t n = 1;
		if (b >= 0x80) {
			if (!chinese) { iconv_close(cd); return fail(r, i, "non-ASCII byte outside Chinese mode"); }
			NEED(2);
			n = (d[i + 1] >= 0x30 && d[i + 1] <= 0x39) ? 4 : 2;
			NEED(n);
		}
		if (tn + n >= sizeof text) { iconv_close(cd); return fail(r, i, "line too long"); }
		memcpy(text + tn, d + i, n);
		tn += n;
		cells += n == 1 ? 1 : 2;
		i += n;
		if (cells * fw * sw > width) { iconv_close(cd); return fail(r, i, "text overflows the paper"); }
	}
	iconv_close(cd);
	if (tn)
		return fail(r, i, "text left unprinted at the end (no LF)");
	return 0;
}
