/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim_printer_render.c — the paper of the printer emulator: lines of
 * characters and bit-image slices, graphics, barcodes, pages to PNG + text
 * (see sim_printer_render.h).
 */
#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sim.h"
#include "sim_printer_font.h"
#include "sim_printer_render.h"

#define MARGIN 16     /* white paper margin around each PNG */
#define CELL_B_W 9    /* font B half-width cell */
#define CELL_B_H 17

struct sim_cell {
	uint32_t cp;
	struct sim_style st;
	bool full;
	uint8_t *img; /* a bit-image slice instead of a character */
	int img_w, img_h;
};

/* A band of dots one line tall, drawn before it goes onto the page. */
struct band {
	uint8_t *px;
	int w, h;
};

/* ---- page ------------------------------------------------------------------- */

static int page_rows(struct sim_page *pg, int need_h)
{
	if (need_h <= pg->cap_h)
		return 0;
	int c = pg->cap_h ? pg->cap_h : 512;
	while (c < need_h)
		c *= 2;
	uint8_t *p = realloc(pg->px, (size_t)c * (size_t)pg->w);
	if (!p)
		return -1;
	memset(p + (size_t)pg->cap_h * (size_t)pg->w, 0, (size_t)(c - pg->cap_h) * (size_t)pg->w);
	pg->px = p;
	pg->cap_h = c;
	return 0;
}

static void page_set(struct sim_page *pg, int x, int y)
{
	if (x < 0 || x >= pg->w || y < 0)
		return;
	if (y >= pg->cap_h && page_rows(pg, y + 1) < 0)
		return;
	pg->px[(size_t)y * (size_t)pg->w + (size_t)x] = 1;
	if (y + 1 > pg->h)
		pg->h = y + 1;
}

static void text_append(struct sim_page *pg, const char *s, size_t n)
{
	if (pg->text_len + n + 1 > pg->text_cap) {
		size_t c = pg->text_cap ? pg->text_cap * 2 : 256;
		while (c < pg->text_len + n + 1)
			c *= 2;
		char *p = realloc(pg->text, c);
		if (!p)
			return;
		pg->text = p;
		pg->text_cap = c;
	}
	memcpy(pg->text + pg->text_len, s, n);
	pg->text_len += n;
	pg->text[pg->text_len] = 0;
}

/* Bit-image slices printed line after line read as one image in the text. */
static void note_images(struct sim_page *pg)
{
	if (!pg->img_h)
		return;
	char t[48];
	int k = snprintf(t, sizeof t, "[image %dx%d]\n", pg->img_w, pg->img_h);
	pg->img_w = pg->img_h = 0;
	text_append(pg, t, (size_t)k);
}

void sim_render_note(struct sim_render *r, const char *s, size_t n)
{
	note_images(&r->page);
	text_append(&r->page, s, n);
}

static void utf8_put(struct sim_page *pg, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	text_append(pg, b, n);
}

void sim_render_feed(struct sim_render *r, int dots)
{
	r->page.y += dots;
	if (r->page.y > r->page.h)
		r->page.h = r->page.y;
}

static int align_x(const struct sim_render *r, int width, int align)
{
	int room = r->width - width;
	if (room <= 0)
		return 0;
	return align == 1 ? room / 2 : align == 2 ? room : 0;
}

/* ---- characters ----------------------------------------------------------------- */

static int cell_w(const struct sim_cell *c)
{
	if (c->img)
		return c->img_w;
	int base = c->st.font_b && !c->full ? CELL_B_W : SIM_CELL_W;
	return (c->full ? 2 * SIM_CELL_W : base) * c->st.w;
}

static int cell_h(const struct sim_cell *c)
{
	if (c->img)
		return c->img_h;
	return (c->st.font_b && !c->full ? CELL_B_H : SIM_CELL_H) * c->st.h;
}

static void band_put(struct band *b, int x, int y, bool on)
{
	if (x >= 0 && x < b->w && y >= 0 && y < b->h)
		b->px[(size_t)y * (size_t)b->w + (size_t)x] = on;
}

static bool band_get(const struct band *b, int x, int y)
{
	return x >= 0 && x < b->w && y >= 0 && y < b->h && b->px[(size_t)y * (size_t)b->w + (size_t)x];
}

static void draw_glyph(struct band *b, const struct sim_cell *c, int x0, int y0)
{
	int cw = cell_w(c), ch = cell_h(c), uw = cw / c->st.w, uh = ch / c->st.h;
	const uint8_t *rows = NULL;
	int gw = c->cp < 0x10000 ? sim_font_glyph(c->cp, &rows) : 0;
	for (int y = 0; y < ch; y++)
		for (int x = 0; x < cw; x++) {
			bool on;
			int bx = x / c->st.w, by = y / c->st.h;
			if (!gw) {
				/* a visible box for what the font lacks */
				on = (by == 3 || by == uh - 3) ? (bx >= 2 && bx < uw - 2)
							       : (by > 3 && by < uh - 3 &&
								  (bx == 2 || bx == uw - 3));
			} else {
				/* scale the 8/16×16 glyph into its cell */
				int sx = bx * gw / uw, sy = by * 16 / uh;
				on = sim_font_pixel(rows, gw, sx, sy);
				if (!on && c->st.bold && x > 0)
					on = sim_font_pixel(rows, gw, ((x - 1) / c->st.w) * gw / uw, sy);
			}
			if (c->st.underline && by >= uh - c->st.underline)
				on = true;
			if (c->st.reverse)
				on = !on;
			if (on)
				band_put(b, x0 + x, y0 + y, true);
		}
}

static void draw_image(struct band *b, const struct sim_cell *c, int x0, int y0)
{
	for (int y = 0; y < c->img_h; y++)
		for (int x = 0; x < c->img_w; x++)
			if (c->img[(size_t)y * (size_t)c->img_w + (size_t)x])
				band_put(b, x0 + x, y0 + y, true);
}

static int line_add(struct sim_render *r, struct sim_cell c)
{
	int cw = cell_w(&c);
	if (r->line_w + cw > r->width && r->line_n)
		sim_render_newline(r); /* wraps like a printer does */
	if (r->line_n == r->line_cap) {
		int n = r->line_cap ? r->line_cap * 2 : 64;
		struct sim_cell *p = realloc(r->line, (size_t)n * sizeof *p);
		if (!p)
			return -1;
		r->line = p;
		r->line_cap = n;
	}
	r->line[r->line_n++] = c;
	r->line_w += cw;
	return 0;
}

void sim_render_char(struct sim_render *r, uint32_t cp, bool full, const struct sim_style *st)
{
	struct sim_cell c = {.cp = cp, .st = *st, .full = full};
	if (c.st.w < 1)
		c.st.w = 1;
	if (c.st.h < 1)
		c.st.h = 1;
	line_add(r, c);
}

void sim_render_line_image(struct sim_render *r, const uint8_t *dots, int w, int h)
{
	if (w <= 0 || h <= 0)
		return;
	uint8_t *p = malloc((size_t)w * (size_t)h);
	if (!p)
		return;
	memcpy(p, dots, (size_t)w * (size_t)h);
	if (line_add(r, (struct sim_cell){.img = p, .img_w = w, .img_h = h}) < 0)
		free(p);
}

void sim_render_discard_line(struct sim_render *r)
{
	for (int i = 0; i < r->line_n; i++)
		free(r->line[i].img);
	r->line_n = 0;
	r->line_w = 0;
}

/* Puts a band on the page at the current row (turned by 180° if asked). */
static void band_out(struct sim_render *r, const struct band *b, bool upside_down)
{
	int y0 = r->page.y;
	for (int y = 0; y < b->h; y++)
		for (int x = 0; x < b->w; x++)
			if (band_get(b, upside_down ? b->w - 1 - x : x, upside_down ? b->h - 1 - y : y))
				page_set(&r->page, x, y0 + y);
}

void sim_render_newline(struct sim_render *r)
{
	int spacing = r->spacing;
	if (!r->line_n) {
		sim_render_note(r, "\n", 1);
		sim_render_feed(r, spacing);
		return;
	}
	int maxh = 1;
	bool text = false;
	for (int i = 0; i < r->line_n; i++) {
		if (cell_h(&r->line[i]) > maxh)
			maxh = cell_h(&r->line[i]);
		text |= !r->line[i].img;
	}
	struct band b = {calloc((size_t)r->width * (size_t)maxh, 1), r->width, maxh};
	int x = align_x(r, r->line_w, r->align), w = 0;
	if (text)
		note_images(&r->page);
	for (int i = 0; i < r->line_n; i++) {
		struct sim_cell *c = &r->line[i];
		/* characters and images share the baseline at the bottom of the line */
		if (b.px) {
			if (c->img)
				draw_image(&b, c, x, maxh - c->img_h);
			else
				draw_glyph(&b, c, x, maxh - cell_h(c));
		}
		x += cell_w(c);
		w += cell_w(c);
		if (!c->img)
			utf8_put(&r->page, c->cp);
	}
	if (b.px)
		band_out(r, &b, r->upside_down);
	free(b.px);
	if (text)
		text_append(&r->page, "\n", 1);
	else {
		/* an image-only line: slices one under the other read as one image */
		if (w > r->page.img_w)
			r->page.img_w = w;
		r->page.img_h += maxh;
	}
	/* As ESC/POS printers do: the line advances by the line spacing, or by
	 * the tallest element when that is taller (ESC 3 is a minimum). */
	sim_render_feed(r, spacing > maxh ? spacing : maxh);
	sim_render_discard_line(r);
}

void sim_render_flush(struct sim_render *r)
{
	if (r->line_n)
		sim_render_newline(r);
}

/* ---- graphics -------------------------------------------------------------------- */

void sim_render_bits(struct sim_render *r, const uint8_t *d, int xbytes, int rows, int sx, int sy)
{
	note_images(&r->page);
	int x0 = align_x(r, xbytes * 8 * sx, r->align), y0 = r->page.y;
	for (int y = 0; y < rows; y++)
		for (int x = 0; x < xbytes * 8; x++)
			if (d[(size_t)y * (size_t)xbytes + (size_t)x / 8] & (0x80 >> (x % 8)))
				for (int a = 0; a < sy; a++)
					for (int b = 0; b < sx; b++)
						page_set(&r->page, x0 + x * sx + b, y0 + y * sy + a);
	sim_render_feed(r, rows * sy);
}

void sim_render_matrix(struct sim_render *r, const uint8_t *mods, int cols, int rows, int mx,
		       int my)
{
	note_images(&r->page);
	int x0 = align_x(r, cols * mx, r->align), y0 = r->page.y;
	for (int y = 0; y < rows; y++)
		for (int x = 0; x < cols; x++)
			if (mods[y * cols + x] & 1)
				for (int a = 0; a < my; a++)
					for (int b = 0; b < mx; b++)
						page_set(&r->page, x0 + x * mx + b, y0 + y * my + a);
	sim_render_feed(r, rows * my);
}

/* One line of HRI characters centred on x_mid. */
static void hri_line(struct sim_render *r, const char *hri, int x_mid, bool font_b)
{
	struct sim_style st = {.w = 1, .h = 1, .font_b = font_b};
	int cw = font_b ? CELL_B_W : SIM_CELL_W, ch = font_b ? CELL_B_H : SIM_CELL_H;
	int n = (int)strlen(hri);
	struct band b = {calloc((size_t)r->width * (size_t)ch, 1), r->width, ch};
	if (!b.px)
		return;
	int x = x_mid - n * cw / 2;
	if (x < 0)
		x = 0;
	for (int i = 0; i < n; i++, x += cw) {
		struct sim_cell c = {.cp = (uint8_t)hri[i], .st = st};
		draw_glyph(&b, &c, x, 0);
	}
	band_out(r, &b, false);
	free(b.px);
	sim_render_feed(r, ch + 2);
}

void sim_render_barcode(struct sim_render *r, const uint8_t *bars, int n, int module, int height,
			int hri_pos, bool font_b, const char *hri)
{
	note_images(&r->page);
	int w = n * module, x0 = align_x(r, w, r->align);
	if (hri && *hri && (hri_pos & 1))
		hri_line(r, hri, x0 + w / 2, font_b);
	int y0 = r->page.y;
	for (int i = 0; i < n; i++)
		if (bars[i])
			for (int y = 0; y < height; y++)
				for (int b = 0; b < module; b++)
					page_set(&r->page, x0 + i * module + b, y0 + y);
	sim_render_feed(r, height);
	if (hri && *hri && (hri_pos & 2)) {
		sim_render_feed(r, 2);
		hri_line(r, hri, x0 + w / 2, font_b);
	}
}

/* ---- pages out -------------------------------------------------------------------- */

static int write_png(const char *path, const struct sim_page *pg, int width)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	int W = width + 2 * MARGIN, H = (pg->h > 0 ? pg->h : 1) + 2 * MARGIN;
	uint8_t *row = malloc((size_t)W);
	if (!png || !info || !row || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		fclose(f);
		return -1;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)W, (png_uint_32)H, 8, PNG_COLOR_TYPE_GRAY,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < H; y++) {
		memset(row, 255, (size_t)W);
		int py = y - MARGIN;
		if (py >= 0 && py < pg->h && py < pg->cap_h)
			for (int x = 0; x < width; x++)
				if (pg->px[(size_t)py * (size_t)pg->w + (size_t)x])
					row[MARGIN + x] = 0;
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	return fclose(f) == 0 ? 0 : -1;
}

static void make_dirs(const char *dir);

void sim_render_init(struct sim_render *r, int width, const char *out_dir)
{
	*r = (struct sim_render){.width = width, .spacing = 30};
	r->page.w = width;
	if (out_dir && *out_dir) {
		snprintf(r->out_dir, sizeof r->out_dir, "%s", out_dir);
		make_dirs(out_dir);
	}
}

bool sim_render_dirty(const struct sim_render *r)
{
	/* paper fed after the last cut, with nothing on it, is not a page */
	if (r->line_n > 0 || r->page.img_h > 0)
		return true;
	for (size_t i = 0; i < r->page.text_len; i++)
		if (r->page.text[i] != '\n')
			return true;
	for (size_t i = 0; r->page.px && i < (size_t)r->page.h * (size_t)r->page.w; i++)
		if (r->page.px[i])
			return true;
	return false;
}

/* mkdir -p */
static void make_dirs(const char *dir)
{
	char p[400];
	snprintf(p, sizeof p, "%s", dir);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0755);
			*s = '/';
		}
	mkdir(p, 0755);
}

void sim_render_finish_page(struct sim_render *r)
{
	sim_render_flush(r);
	note_images(&r->page);
	struct sim_done_page *p = realloc(r->pages, (size_t)(r->n_pages + 1) * sizeof *p);
	if (!p)
		return;
	r->pages = p;
	struct sim_done_page *d = &r->pages[r->n_pages];
	d->text = r->page.text ? r->page.text : strdup("");
	d->png[0] = 0;
	if (r->out_dir[0]) {
		char base[480];
		snprintf(base, sizeof base, "%s/receipt-%04d", r->out_dir, r->n_pages + 1);
		snprintf(d->png, sizeof d->png, "%s.png", base);
		/* Each file lands whole (written aside, then renamed), the text first:
		 * whoever sees receipt-NNNN.png can read the finished page and its .txt. */
		char txt[500], tmp[520];
		snprintf(txt, sizeof txt, "%s.txt", base);
		snprintf(tmp, sizeof tmp, "%s.tmp", txt);
		FILE *f = fopen(tmp, "w");
		bool txt_ok = false;
		if (f) {
			fputs(d->text ? d->text : "", f);
			txt_ok = fclose(f) == 0 && rename(tmp, txt) == 0;
		}
		if (!txt_ok) {
			fprintf(stderr, "kiosk-sim: cannot write %s: %s\n", txt, strerror(errno));
			unlink(tmp);
		}
		snprintf(tmp, sizeof tmp, "%s.tmp", d->png);
		if (write_png(tmp, &r->page, r->width) < 0 || rename(tmp, d->png) < 0) {
			fprintf(stderr, "kiosk-sim: cannot write %s: %s\n", d->png, strerror(errno));
			unlink(tmp);
		}
		sim_log("printer: page %d → %s", r->n_pages + 1, d->png);
	}
	r->n_pages++;
	free(r->page.px);
	r->page = (struct sim_page){.w = r->width};
}

void sim_render_free(struct sim_render *r)
{
	for (int i = 0; i < r->n_pages; i++)
		free(r->pages[i].text);
	free(r->pages);
	free(r->page.px);
	free(r->page.text);
	sim_render_discard_line(r);
	free(r->line);
	*r = (struct sim_render){0};
}
