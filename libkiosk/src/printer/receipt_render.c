/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* receipt_render.c — the PNG preview drawn from the layout, and the public render calls. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver.h"
#include "printer/printer_private.h"
#include "printer/receipt_font.h"
#include "printer/receipt_layout.h"
#include "printer/receipt_preview.h"

#define MARGIN_BOTTOM 24

struct canvas {
	int w, h;
	uint8_t *px; /* 8-bit grey, 255 = paper */
};

static void dot(struct canvas *c, int x, int y, uint8_t v)
{
	if (x >= 0 && y >= 0 && x < c->w && y < c->h)
		c->px[(size_t)y * c->w + x] = v;
}

static void fill(struct canvas *c, int x, int y, int w, int h, uint8_t v)
{
	for (int j = y; j < y + h; j++)
		for (int i = x; i < x + w; i++)
			dot(c, i, j, v);
}

/* Draws glyph g scaled into the box (bx, by, bw, bh). */
static void draw_glyph(struct canvas *c, const struct kioski_glyph *g, int bx, int by, int bw, int bh,
		       bool bold)
{
	if (g->cp == ' ' || g->cp == 0x3000)
		return;
	int gw;
	const uint8_t *bm = kioski_font_glyph(g->cp, &gw);
	if (!bm) {
		/* No glyph in the preview font: an outlined box, like a printer's missing glyph. */
		int m = bw / 6 + 1;
		for (int i = bx + m; i < bx + bw - m; i++) {
			dot(c, i, by + bh / 6, 0);
			dot(c, i, by + bh - bh / 6 - 1, 0);
		}
		for (int j = by + bh / 6; j < by + bh - bh / 6; j++) {
			dot(c, bx + m, j, 0);
			dot(c, bx + bw - m - 1, j, 0);
		}
		return;
	}
	/* An 8-px glyph in a full-width box is centred at half the box width. */
	int ox = 0, tw = bw;
	if (gw == 8 && g->cells == 2) {
		tw = bw / 2;
		ox = (bw - tw) / 2;
	}
	for (int y = 0; y < bh; y++) {
		int sy = y * 16 / bh;
		for (int x = 0; x < tw; x++) {
			int sx = x * gw / tw;
			if (bm[sy * 2 + (sx >> 3)] & (0x80 >> (sx & 7))) {
				dot(c, bx + ox + x, by + y, 0);
				if (bold)
					dot(c, bx + ox + x + 1, by + y, 0);
			}
		}
	}
}

static void draw_bits(struct canvas *c, int x0, int y0, const uint8_t *bits, int stride, int w, int rows)
{
	for (int y = 0; y < rows; y++)
		for (int x = 0; x < w; x++)
			if (bits[(size_t)y * stride + (x >> 3)] & (0x80 >> (x & 7)))
				dot(c, x0 + x, y0 + y, 0);
}

int kioski_preview_draw(const struct kioski_layout *l, int *w, int *h, uint8_t **pixels)
{
	const struct kioski_printer_profile *p = l->profile;
	if (l->height > KIOSK_RECEIPT_MAX_PREVIEW_DOTS)
		return KIOSK_E_OVERFLOW;
	struct canvas c = {p->width_dots, l->height + MARGIN_BOTTOM, NULL};
	if (c.h < 1)
		c.h = 1;
	c.px = malloc((size_t)c.w * c.h);
	if (!c.px)
		return KIOSK_E_NO_MEMORY;
	memset(c.px, 255, (size_t)c.w * c.h);
	for (size_t i = 0; i < l->n_lines; i++) {
		const struct kioski_line *ln = &l->lines[i];
		switch (ln->kind) {
		case KIOSKI_LINE_TEXT: {
			int cw = p->font_a_width * ln->sw, x = ln->x;
			for (size_t k = 0; k < ln->n_glyphs; k++) {
				const struct kioski_glyph *g = &l->glyphs[ln->glyph0 + k];
				int bw = cw * g->cells;
				draw_glyph(&c, g, x, ln->y, bw, ln->height, ln->bold);
				x += bw;
			}
			break;
		}
		case KIOSKI_LINE_QR: {
			int y0 = ln->y + ln->feed_dots;
			if (ln->bits) {
				draw_bits(&c, ln->x, y0, ln->bits, ln->stride, ln->width, ln->rows);
			} else if (ln->qr_matrix) {
				int m = ln->qr_module;
				for (int my = 0; my < ln->qr_modules; my++)
					for (int mx = 0; mx < ln->qr_modules; mx++)
						if (ln->qr_matrix[my * ln->qr_modules + mx])
							fill(&c, ln->x + mx * m, y0 + my * m, m, m, 0);
			}
			break;
		}
		case KIOSKI_LINE_RASTER:
			draw_bits(&c, ln->x, ln->y, ln->bits, ln->stride, ln->width, ln->rows);
			break;
		case KIOSKI_LINE_CUT: {
			/* A grey dashed line where the paper is cut (or torn off). */
			int y = ln->y + ln->advance - 2;
			for (int x = 0; x < c.w; x++)
				if ((x / 8) % 2 == 0 || (!ln->partial && (x / 4) % 2 == 0))
					dot(&c, x, y, 128);
			break;
		}
		case KIOSKI_LINE_FEED:
			break;
		}
	}
	*w = c.w;
	*h = c.h;
	*pixels = c.px;
	return KIOSK_OK;
}

/* ---- public calls ------------------------------------------------------------- */

static int load_profile(kiosk_context *ctx, const kiosk_receipt *r, const char *name,
			struct kioski_printer_profile *p)
{
	if (!name)
		name = r->profile ? r->profile : KIOSKI_DEFAULT_PRINTER_PROFILE;
	return kioski_printer_profile_load(ctx, name, p);
}

KIOSK_API int kiosk_receipt_render_png(kiosk_context *ctx, const kiosk_receipt *r, const char *profile,
				       uint8_t **png, size_t *len)
{
	if (!ctx || !r || !png || !len)
		return KIOSK_E_INVALID_ARG;
	*png = NULL;
	*len = 0;
	struct kioski_printer_profile p;
	struct kioski_layout l;
	int rc = load_profile(ctx, r, profile, &p);
	if (rc)
		return rc;
	if ((rc = kioski_layout_build(r, &p, KIOSKI_LAYOUT_QR_MATRIX, &l)))
		return kioski_context_fail(ctx, rc, "receipt: %s", l.error);
	for (size_t i = 0; i < l.n_subs; i++)
		kioski_warn(ctx, "receipt", "%s: %s", p.name, l.subs[i]);
	int w, h;
	uint8_t *px;
	if (!(rc = kioski_preview_draw(&l, &w, &h, &px))) {
		rc = kioski_png_encode_gray(w, h, px, png, len);
		free(px);
	}
	kioski_layout_free(&l);
	if (rc == KIOSK_E_OVERFLOW)
		return kioski_context_fail(ctx, rc, "receipt: too long to preview (more than %d dots)",
					   KIOSK_RECEIPT_MAX_PREVIEW_DOTS);
	if (rc)
		return kioski_context_fail(ctx, rc, "receipt: cannot draw the preview PNG");
	return KIOSK_OK;
}

KIOSK_API int kiosk_receipt_render_png_file(kiosk_context *ctx, const kiosk_receipt *r,
					    const char *profile, const char *path)
{
	if (!path)
		return KIOSK_E_INVALID_ARG;
	uint8_t *png;
	size_t len;
	int rc = kiosk_receipt_render_png(ctx, r, profile, &png, &len);
	if (rc)
		return rc;
	FILE *f = fopen(path, "wb");
	if (!f) {
		rc = kioski_context_fail(ctx, KIOSK_E_IO, "cannot write '%s': %s", path, strerror(errno));
		free(png);
		return rc;
	}
	bool ok = fwrite(png, 1, len, f) == len;
	ok &= fclose(f) == 0;
	free(png);
	if (!ok)
		return kioski_context_fail(ctx, KIOSK_E_IO, "cannot write '%s'", path);
	return KIOSK_OK;
}

KIOSK_API int kiosk_receipt_render_escpos(kiosk_context *ctx, const kiosk_receipt *r, const char *profile,
					  uint8_t **data, size_t *len, size_t *n_substituted)
{
	if (!ctx || !r || !data || !len)
		return KIOSK_E_INVALID_ARG;
	*data = NULL;
	*len = 0;
	/* The bytes are the escpos driver's business: lay out here, encode there. */
	const struct kioski_driver *drv = kioski_driver_find("escpos");
	const struct kioski_printer_ops *ops = drv ? drv->ops : NULL;
	if (!ops || !ops->render)
		return kioski_context_fail(ctx, KIOSK_E_NOT_SUPPORTED,
					   "receipt: no ESC/POS driver compiled in");
	struct kioski_printer_profile p;
	struct kioski_layout l;
	int rc = load_profile(ctx, r, profile, &p);
	if (rc)
		return rc;
	if ((rc = kioski_layout_build(r, &p, 0, &l)))
		return kioski_context_fail(ctx, rc, "receipt: %s", l.error);
	for (size_t i = 0; i < l.n_subs; i++)
		kioski_warn(ctx, "receipt", "%s: %s", p.name, l.subs[i]);
	char err[192] = "";
	rc = ops->render(&l, data, len, err, sizeof err);
	if (rc == KIOSK_OK && n_substituted)
		*n_substituted = l.n_substituted;
	kioski_layout_free(&l);
	if (rc)
		return kioski_context_fail(ctx, rc, "receipt: %s", err[0] ? err : kiosk_strerror(rc));
	return KIOSK_OK;
}
