/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim_printer.c — an ESC/POS receipt printer on a pty, loopback TCP or a
 * byte feed (see sim_printer.h for the model it implements).
 *
 * It interprets the bytes itself (not with libkiosk's encoder) and renders
 * the paper with Unifont glyphs scaled to the 12×24 / 24×24 cells of a
 * printer's font A; QR codes are drawn with libqrencode so they scan.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <iconv.h>
#include <png.h>
#include <poll.h>
#include <pthread.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sim.h"
#include "sim_printer.h"
#include "sim_printer_font.h"

#define MARGIN 16              /* white paper margin around each PNG */
#define CELL_W 12              /* font A half-width cell */
#define CELL_H 24
#define MAX_TOKEN (16u << 20)  /* larger commands are dropped as garbage */
#define RX_LIMIT (1u << 20)    /* receive buffer: stop reading the link beyond this */

struct cell {
	uint32_t cp;
	uint8_t w, h, bold, full;
};

struct page {
	uint8_t *px; /* 1 = black */
	int w, h, cap_h;
	int y;       /* next row to print at */
	char *text;
	size_t text_len, text_cap;
};

struct done_page {
	char *text;
	char png[512];
};

struct sim_printer {
	struct sim_printer_config cfg;
	char out_dir[400];
	pthread_mutex_t mu;
	pthread_t thread;
	bool thread_started;
	_Atomic int stop;    /* set by sim_printer_stop() on another thread */
	int listen_fd, conn_fd, master_fd;

	/* faults */
	bool paper_out, cover_open, near_end, offline, after_fired;
	uint64_t fault_since;
	uint8_t last_asb[4];
	bool asb_on, asb_sent;

	/* reception */
	uint8_t *tok;
	size_t tok_len, tok_cap;
	uint8_t *rx; /* unprocessed commands */
	size_t rx_off, rx_len, rx_cap;
	uint8_t *tx; /* replies not yet sent */
	size_t tx_len, tx_cap;
	uint64_t slow_t0, slow_bytes;

	/* processing */
	bool chinese, bold;
	int align, size_w, size_h, spacing;
	uint8_t mb[4];
	int mb_len;
	struct cell *line;
	int line_n, line_cap, line_w;
	uint8_t *qr_data;
	size_t qr_len;
	int qr_module, qr_ecc;
	iconv_t cd;
	struct page page;
	struct done_page *pages;
	int n_pages;

	struct sim_printer_stats st;
};

/* ---- small buffers ------------------------------------------------------- */

static int grow(uint8_t **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 256;
	while (n < need)
		n *= 2;
	uint8_t *p = realloc(*buf, n);
	if (!p)
		return -1;
	*buf = p;
	*cap = n;
	return 0;
}

static void reply(struct sim_printer *sp, const uint8_t *b, size_t n)
{
	if (sp->cfg.no_status)
		return;
	if (grow(&sp->tx, &sp->tx_cap, sp->tx_len + n) < 0)
		return;
	memcpy(sp->tx + sp->tx_len, b, n);
	sp->tx_len += n;
	sp->st.status_replies++;
}

static void text_append(struct page *pg, const char *s, size_t n)
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

/* ---- status bytes -------------------------------------------------------- */

static uint8_t dle_eot(struct sim_printer *sp, int n)
{
	bool stopped = sp->paper_out || sp->cover_open || sp->offline;
	switch (n) {
	case 1:
		return 0x12 | (stopped ? 0x08 : 0);
	case 2:
		return 0x12 | (sp->cover_open ? 0x04 : 0) | (sp->paper_out ? 0x20 : 0);
	case 3:
		return 0x12;
	case 4:
		return sp->paper_out ? 0x72 : sp->near_end ? 0x1E : 0x12;
	default:
		return 0x12;
	}
}

static void asb_packet(struct sim_printer *sp, uint8_t p[4])
{
	bool stopped = sp->paper_out || sp->cover_open || sp->offline;
	p[0] = 0x10 | (stopped ? 0x08 : 0) | (sp->cover_open ? 0x20 : 0);
	p[1] = 0x00;
	p[2] = (sp->near_end || sp->paper_out ? 0x03 : 0) | (sp->paper_out ? 0x0C : 0);
	p[3] = 0x00;
}

static void asb_check(struct sim_printer *sp)
{
	if (!sp->asb_on)
		return;
	uint8_t p[4];
	asb_packet(sp, p);
	if (!sp->asb_sent || memcmp(p, sp->last_asb, 4)) {
		memcpy(sp->last_asb, p, 4);
		sp->asb_sent = true;
		reply(sp, p, 4);
	}
}

/* ---- page drawing --------------------------------------------------------- */

static int page_rows(struct page *pg, int need_h)
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

static void page_set(struct page *pg, int x, int y)
{
	if (x < 0 || x >= pg->w || y < 0)
		return;
	if (y >= pg->cap_h && page_rows(pg, y + 1) < 0)
		return;
	pg->px[(size_t)y * (size_t)pg->w + (size_t)x] = 1;
	if (y + 1 > pg->h)
		pg->h = y + 1;
}

static void page_feed(struct page *pg, int dots)
{
	pg->y += dots;
	if (pg->y > pg->h)
		pg->h = pg->y;
}

static int align_x(struct sim_printer *sp, int width)
{
	int room = sp->cfg.width_dots - width;
	if (room <= 0)
		return 0;
	return sp->align == 1 ? room / 2 : sp->align == 2 ? room : 0;
}

static void draw_glyph(struct page *pg, const struct cell *c, int x0, int y0)
{
	int cw = (c->full ? 2 * CELL_W : CELL_W) * c->w, ch = CELL_H * c->h;
	const uint8_t *rows = NULL;
	int gw = c->cp < 0x10000 ? sim_font_glyph(c->cp, &rows) : 0;
	for (int y = 0; y < ch; y++)
		for (int x = 0; x < cw; x++) {
			bool on;
			if (!gw) {
				/* a visible box for what the font lacks */
				int bx = x / c->w, by = y / c->h, bw = cw / c->w;
				on = (by == 3 || by == CELL_H - 3) ? (bx >= 2 && bx < bw - 2)
								   : (by > 3 && by < CELL_H - 3 &&
								      (bx == 2 || bx == bw - 3));
			} else {
				/* scale the 8/16×16 glyph into its cell */
				int sx = (x / c->w) * gw / (cw / c->w), sy = (y / c->h) * 16 / CELL_H;
				on = sim_font_pixel(rows, gw, sx, sy);
				if (!on && c->bold && x > 0)
					on = sim_font_pixel(rows, gw, ((x - 1) / c->w) * gw / (cw / c->w), sy);
			}
			if (on)
				page_set(pg, x0 + x, y0 + y);
		}
}

static void utf8_put(struct page *pg, uint32_t cp)
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

/* Prints the line buffer (LF, or a line that filled up). */
static void print_line(struct sim_printer *sp)
{
	int maxh = 1;
	for (int i = 0; i < sp->line_n; i++)
		if (sp->line[i].h > maxh)
			maxh = sp->line[i].h;
	int x = align_x(sp, sp->line_w);
	int top = sp->page.y;
	for (int i = 0; i < sp->line_n; i++) {
		struct cell *c = &sp->line[i];
		/* characters share the baseline at the bottom of the line */
		draw_glyph(&sp->page, c, x, top + (maxh - c->h) * CELL_H);
		x += (c->full ? 2 * CELL_W : CELL_W) * c->w;
		utf8_put(&sp->page, c->cp);
	}
	text_append(&sp->page, "\n", 1);
	/* As ESC/POS printers do: the line advances by the line spacing, or by
	 * the tallest character when that is taller (ESC 3 is a minimum). */
	int adv = sp->spacing;
	if (maxh * CELL_H > adv)
		adv = maxh * CELL_H;
	page_feed(&sp->page, adv);
	sp->line_n = 0;
	sp->line_w = 0;
}

static void flush_line(struct sim_printer *sp)
{
	if (sp->line_n)
		print_line(sp);
}

static void put_char(struct sim_printer *sp, uint32_t cp, bool full)
{
	int cw = (full ? 2 * CELL_W : CELL_W) * sp->size_w;
	if (sp->line_w + cw > sp->cfg.width_dots && sp->line_n)
		print_line(sp); /* wraps like a printer does */
	if (sp->line_n == sp->line_cap) {
		int c = sp->line_cap ? sp->line_cap * 2 : 64;
		struct cell *p = realloc(sp->line, (size_t)c * sizeof *p);
		if (!p)
			return;
		sp->line = p;
		sp->line_cap = c;
	}
	sp->line[sp->line_n++] = (struct cell){cp, (uint8_t)sp->size_w, (uint8_t)sp->size_h,
					       sp->bold, full};
	sp->line_w += cw;
}

/* ---- pages out ------------------------------------------------------------- */

static int write_png(const char *path, const struct page *pg, int width)
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

/* Ends the page (a cut, or stop with something printed). */
static void finish_page(struct sim_printer *sp)
{
	flush_line(sp);
	struct done_page *p = realloc(sp->pages, (size_t)(sp->n_pages + 1) * sizeof *p);
	if (!p)
		return;
	sp->pages = p;
	struct done_page *d = &sp->pages[sp->n_pages];
	d->text = sp->page.text ? sp->page.text : strdup("");
	d->png[0] = 0;
	if (sp->out_dir[0]) {
		char base[480];
		snprintf(base, sizeof base, "%s/receipt-%04d", sp->out_dir, sp->n_pages + 1);
		snprintf(d->png, sizeof d->png, "%s.png", base);
		if (write_png(d->png, &sp->page, sp->cfg.width_dots) < 0)
			fprintf(stderr, "kiosk-sim: cannot write %s: %s\n", d->png, strerror(errno));
		char txt[500];
		snprintf(txt, sizeof txt, "%s.txt", base);
		FILE *f = fopen(txt, "w");
		if (f) {
			fputs(d->text ? d->text : "", f);
			fclose(f);
		}
		sim_log("printer: page %d → %s", sp->n_pages + 1, d->png);
	}
	sp->n_pages++;
	free(sp->page.px);
	sp->page = (struct page){.w = sp->cfg.width_dots};
}

static bool page_dirty(const struct sim_printer *sp)
{
	return sp->page.h > 0 || sp->page.text_len > 0 || sp->line_n > 0;
}

/* ---- command lengths --------------------------------------------------------- */

/* Length of the command starting at b (n bytes so far): 0 = need more,
 * SIZE_MAX = too large to accept. */
static size_t cmd_len(const uint8_t *b, size_t n)
{
#define NEED(k)                    \
	do {                       \
		if (n < (size_t)(k)) \
			return 0;  \
	} while (0)
	switch (b[0]) {
	case 0x10: /* DLE */
		NEED(2);
		if (b[1] == 0x04 || b[1] == 0x05)
			return 3;
		if (b[1] == 0x14) {
			NEED(3);
			return b[2] == 8 ? 10 : 5;
		}
		return 1; /* a lone DLE byte is data */
	case 0x1B: /* ESC */
		NEED(2);
		switch (b[1]) {
		case '@': case '2': case '<': case 'i': case 'm':
			return 2;
		case '$': case '\\':
			return 4;
		case 'p':
			return 5;
		case 'c':
			NEED(3);
			return b[2] == '3' || b[2] == '4' || b[2] == '5' ? 4 : 3;
		case '*': {
			NEED(5);
			size_t k = (size_t)b[3] | (size_t)b[4] << 8;
			return 5 + (b[2] >= 32 ? 3 * k : k);
		}
		case 'D': { /* tab stops, NUL-terminated */
			for (size_t i = 2; i < n; i++)
				if (!b[i])
					return i + 1;
			return n > 40 ? n : 0;
		}
		default:
			return 3;
		}
	case 0x1C: /* FS */
		NEED(2);
		switch (b[1]) {
		case '&': case '.':
			return 2;
		case 'p': case 'S':
			return 4;
		default:
			return 3;
		}
	case 0x1D: /* GS */
		NEED(2);
		switch (b[1]) {
		case 'V':
			NEED(3);
			return b[2] >= 65 ? 4 : 3;
		case 'v': {
			NEED(8);
			size_t x = (size_t)b[4] | (size_t)b[5] << 8, y = (size_t)b[6] | (size_t)b[7] << 8;
			size_t t = 8 + x * y;
			return t > MAX_TOKEN ? SIZE_MAX : t;
		}
		case '(': {
			NEED(5);
			return 5 + ((size_t)b[3] | (size_t)b[4] << 8);
		}
		case 'L': case 'W': case '$': case 'P':
			return 4;
		case 'k':
			NEED(3);
			if (b[2] <= 6) {
				for (size_t i = 3; i < n; i++)
					if (!b[i])
						return i + 1;
				return n > 300 ? n : 0;
			}
			NEED(4);
			return 4 + b[3];
		case '8': {
			NEED(7);
			size_t t = 7 + ((size_t)b[3] | (size_t)b[4] << 8 | (size_t)b[5] << 16 |
					(size_t)b[6] << 24);
			return t > MAX_TOKEN ? SIZE_MAX : t;
		}
		case '*': {
			NEED(4);
			return 4 + (size_t)b[2] * b[3] * 8;
		}
		default:
			return 3;
		}
	default:
		return 1;
	}
#undef NEED
}

/* ---- processing ------------------------------------------------------------ */

static void reset_modes(struct sim_printer *sp)
{
	sp->chinese = false;
	sp->bold = false;
	sp->align = 0;
	sp->size_w = sp->size_h = 1;
	sp->spacing = 30;
	sp->mb_len = 0;
	sp->qr_module = 3;
	sp->qr_ecc = 1;
}

static void clear_buffers(struct sim_printer *sp)
{
	sp->st.cleared += sp->rx_len - sp->rx_off;
	sp->rx_off = sp->rx_len = 0;
	sp->line_n = 0;
	sp->line_w = 0;
	sp->mb_len = 0;
}

static void draw_bits(struct sim_printer *sp, const uint8_t *d, int xbytes, int rows, int sx,
		      int sy)
{
	int w = xbytes * 8 * sx;
	int x0 = align_x(sp, w), y0 = sp->page.y;
	for (int y = 0; y < rows; y++)
		for (int x = 0; x < xbytes * 8; x++)
			if (d[(size_t)y * (size_t)xbytes + (size_t)x / 8] & (0x80 >> (x % 8)))
				for (int a = 0; a < sy; a++)
					for (int b = 0; b < sx; b++)
						page_set(&sp->page, x0 + x * sx + b, y0 + y * sy + a);
	page_feed(&sp->page, rows * sy);
}

static void print_qr(struct sim_printer *sp)
{
	if (!sp->qr_len)
		return;
	static const QRecLevel lv[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
	QRcode *q = QRcode_encodeData((int)sp->qr_len, sp->qr_data, 0, lv[sp->qr_ecc & 3]);
	if (!q) {
		text_append(&sp->page, "[qr-error]\n", 11);
		return;
	}
	int m = sp->qr_module, size = q->width * m;
	int x0 = align_x(sp, size), y0 = sp->page.y;
	for (int y = 0; y < q->width; y++)
		for (int x = 0; x < q->width; x++)
			if (q->data[y * q->width + x] & 1)
				for (int a = 0; a < m; a++)
					for (int b = 0; b < m; b++)
						page_set(&sp->page, x0 + x * m + b, y0 + y * m + a);
	page_feed(&sp->page, size);
	text_append(&sp->page, "[qr] ", 5);
	text_append(&sp->page, (const char *)sp->qr_data, sp->qr_len);
	text_append(&sp->page, "\n", 1);
	QRcode_free(q);
}

static void gs_paren(struct sim_printer *sp, const uint8_t *b, size_t n)
{
	if (b[2] != 'k' || n < 8 || b[5] != 49)
		return; /* only QR (cn 49) */
	uint8_t fn = b[6];
	if (fn == 67 && n >= 8 && b[7] >= 1 && b[7] <= 16)
		sp->qr_module = b[7];
	else if (fn == 69 && n >= 8)
		sp->qr_ecc = (b[7] - 48) & 3;
	else if (fn == 80 && n >= 8) {
		size_t len = n - 8;
		uint8_t *p = realloc(sp->qr_data, len + 1);
		if (!p)
			return;
		memcpy(p, b + 8, len);
		p[len] = 0;
		sp->qr_data = p;
		sp->qr_len = len;
	} else if (fn == 81) {
		flush_line(sp);
		print_qr(sp);
	}
}

static void text_byte(struct sim_printer *sp, uint8_t c)
{
	if (!sp->chinese || (sp->mb_len == 0 && c < 0x81) || c == 0xFF) {
		sp->mb_len = 0;
		put_char(sp, c < 0x80 ? c : 0xFFFD, false);
		return;
	}
	sp->mb[sp->mb_len++] = c;
	size_t need = 2;
	if (sp->mb_len >= 2 && sp->mb[1] >= 0x30 && sp->mb[1] <= 0x39)
		need = 4;
	if ((size_t)sp->mb_len < need)
		return;
	uint32_t cp = 0xFFFD;
	if (need == 4 && sp->cfg.gb18030_2byte_only)
		cp = 0x25A1; /* this printer lacks the 4-byte area */
	else if (sp->cd != (iconv_t)-1) {
		char *in = (char *)sp->mb, *out;
		size_t inl = need, outl = 4;
		uint8_t u[4];
		out = (char *)u;
		iconv(sp->cd, NULL, NULL, NULL, NULL);
		if (iconv(sp->cd, &in, &inl, &out, &outl) != (size_t)-1 && outl == 0)
			cp = (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
			     (uint32_t)u[3] << 24;
	}
	sp->mb_len = 0;
	put_char(sp, cp, true);
}

/* Acts on one buffered command. */
static void process(struct sim_printer *sp, const uint8_t *b, size_t n)
{
	sp->st.processed += n;
	switch (b[0]) {
	case 0x0A:
		if (sp->line_n)
			print_line(sp);
		else {
			text_append(&sp->page, "\n", 1);
			page_feed(&sp->page, sp->spacing);
		}
		return;
	case 0x0D: case 0x00:
		return;
	case 0x09:
		put_char(sp, ' ', false);
		return;
	case 0x10:
		if (n == 1)
			text_byte(sp, b[0]);
		return;
	case 0x1B:
		switch (b[1]) {
		case '@':
			flush_line(sp);
			reset_modes(sp);
			return;
		case 'E': case 'G':
			sp->bold = b[2] & 1;
			return;
		case 'a':
			sp->align = (b[2] % 48) <= 2 ? b[2] % 48 : 0;
			return;
		case '!':
			sp->bold = b[2] & 0x08;
			sp->size_h = b[2] & 0x10 ? 2 : 1;
			sp->size_w = b[2] & 0x20 ? 2 : 1;
			return;
		case 'd':
			flush_line(sp);
			for (int i = 0; i < b[2]; i++) {
				text_append(&sp->page, "\n", 1);
				page_feed(&sp->page, sp->spacing);
			}
			return;
		case 'J':
			flush_line(sp);
			page_feed(&sp->page, b[2]);
			return;
		case '2':
			sp->spacing = 30;
			return;
		case '3':
			sp->spacing = b[2] ? b[2] : 1;
			return;
		default:
			return;
		}
	case 0x1C:
		if (b[1] == '&')
			sp->chinese = true;
		else if (b[1] == '.') {
			sp->chinese = false;
			sp->mb_len = 0;
		}
		return;
	case 0x1D:
		switch (b[1]) {
		case '!':
			sp->size_w = ((b[2] >> 4) & 7) + 1;
			sp->size_h = (b[2] & 7) + 1;
			return;
		case 'V':
			finish_page(sp);
			sp->st.cuts++;
			return;
		case 'v': {
			flush_line(sp);
			int m = b[3] & 3, xb = b[4] | b[5] << 8, rows = b[6] | b[7] << 8;
			draw_bits(sp, b + 8, xb, rows, (m & 1) + 1, ((m >> 1) & 1) + 1);
			char t[48];
			int k = snprintf(t, sizeof t, "[raster %dx%d]\n", xb * 8, rows);
			text_append(&sp->page, t, (size_t)k);
			return;
		}
		case '(':
			gs_paren(sp, b, n);
			return;
		case 'r': {
			uint8_t r = 0;
			if (b[2] == 1 || b[2] == 49)
				r = (sp->near_end || sp->paper_out ? 0x03 : 0) | (sp->paper_out ? 0x0C : 0);
			reply(sp, &r, 1);
			return;
		}
		case 'a':
			sp->asb_on = b[2] != 0;
			sp->asb_sent = false;
			asb_check(sp);
			return;
		default:
			return;
		}
	default:
		text_byte(sp, b[0]);
	}
}

/* Real-time commands act at reception. */
static void realtime(struct sim_printer *sp, const uint8_t *b, size_t n)
{
	if (b[1] == 0x04) {
		uint8_t r = dle_eot(sp, b[2]);
		if (b[2] >= 1 && b[2] <= 4)
			reply(sp, &r, 1);
	} else if (b[1] == 0x14 && n == 10 && b[2] == 8) {
		if (sp->cfg.ignore_clear) {
			sim_log("printer: ignoring DLE DC4 8 (--ignore-clear)");
			return;
		}
		clear_buffers(sp);
		static const uint8_t ok[3] = {0x37, 0x25, 0x00};
		reply(sp, ok, 3);
	} else if (b[1] == 0x05 && b[2] == 2) {
		clear_buffers(sp);
	}
}

static void receive(struct sim_printer *sp, const uint8_t *in, size_t len)
{
	sp->st.received += len;
	for (size_t i = 0; i < len; i++) {
		if (grow(&sp->tok, &sp->tok_cap, sp->tok_len + 1) < 0)
			return;
		sp->tok[sp->tok_len++] = in[i];
		size_t need = cmd_len(sp->tok, sp->tok_len);
		if (need == SIZE_MAX) {
			sp->tok_len = 0; /* garbage header: drop it */
			continue;
		}
		if (!need || need > sp->tok_len) {
			/* copy the rest of a long payload in one go */
			if (need > sp->tok_len && i + 1 < len) {
				size_t take = need - sp->tok_len;
				if (take > len - i - 1)
					take = len - i - 1;
				if (grow(&sp->tok, &sp->tok_cap, sp->tok_len + take) < 0)
					return;
				memcpy(sp->tok + sp->tok_len, in + i + 1, take);
				sp->tok_len += take;
				i += take;
				if (sp->tok_len < need)
					continue;
			} else
				continue;
		}
		if (sp->tok[0] == 0x10 && sp->tok_len >= 3) {
			realtime(sp, sp->tok, sp->tok_len);
		} else {
			/* queue: [u32 length][bytes] */
			if (grow(&sp->rx, &sp->rx_cap, sp->rx_len + 4 + sp->tok_len) < 0)
				return;
			uint32_t l = (uint32_t)sp->tok_len;
			memcpy(sp->rx + sp->rx_len, &l, 4);
			memcpy(sp->rx + sp->rx_len + 4, sp->tok, sp->tok_len);
			sp->rx_len += 4 + sp->tok_len;
		}
		sp->tok_len = 0;
	}
}

static void tick(struct sim_printer *sp)
{
	uint64_t now = sim_now_ms();
	if ((sp->paper_out || sp->cover_open || sp->offline) && sp->cfg.recover_after_ms >= 0 &&
	    now - sp->fault_since >= (uint64_t)sp->cfg.recover_after_ms) {
		sim_log("printer: recovered (paper loaded, cover closed, online)");
		sp->paper_out = sp->cover_open = sp->offline = false;
	}
	/* process while the mechanism runs */
	size_t budget = 1u << 20;
	while (!sp->paper_out && !sp->cover_open && !sp->offline && sp->rx_off < sp->rx_len &&
	       budget) {
		uint32_t l;
		memcpy(&l, sp->rx + sp->rx_off, 4);
		process(sp, sp->rx + sp->rx_off + 4, l);
		sp->rx_off += 4 + l;
		budget = budget > l ? budget - l : 0;
		if (sp->cfg.paper_out_after >= 0 && !sp->after_fired &&
		    sp->st.processed >= (uint64_t)sp->cfg.paper_out_after) {
			sp->after_fired = true;
			sp->paper_out = true;
			sp->fault_since = now;
			sim_log("printer: paper out after %llu bytes",
				(unsigned long long)sp->st.processed);
		}
	}
	if (sp->rx_off == sp->rx_len)
		sp->rx_off = sp->rx_len = 0;
	asb_check(sp);
}

/* ---- public in-process API ----------------------------------------------------- */

void sim_printer_config_init(struct sim_printer_config *cfg)
{
	*cfg = (struct sim_printer_config){.width_dots = 576, .paper_out_after = -1,
					   .recover_after_ms = -1};
}

int sim_printer_new(const struct sim_printer_config *cfg, struct sim_printer **out)
{
	struct sim_printer *sp = calloc(1, sizeof *sp);
	if (!sp)
		return -ENOMEM;
	sp->cfg = *cfg;
	if (sp->cfg.width_dots < 64 || sp->cfg.width_dots > 4096)
		sp->cfg.width_dots = 576;
	sp->cfg.width_dots &= ~7;
	if (cfg->out_dir) {
		snprintf(sp->out_dir, sizeof sp->out_dir, "%s", cfg->out_dir);
		mkdir(cfg->out_dir, 0755);
	}
	sp->cfg.out_dir = NULL;
	pthread_mutex_init(&sp->mu, NULL);
	sp->listen_fd = sp->conn_fd = sp->master_fd = -1;
	sp->paper_out = cfg->paper_out;
	sp->cover_open = cfg->cover_open;
	sp->near_end = cfg->near_end;
	sp->offline = cfg->offline;
	sp->fault_since = sim_now_ms();
	sp->cd = iconv_open("UTF-32LE", "GB18030");
	sp->page.w = sp->cfg.width_dots;
	reset_modes(sp);
	*out = sp;
	return 0;
}

static void take_tx(struct sim_printer *sp, uint8_t *out, size_t cap, size_t *n)
{
	*n = sp->tx_len < cap ? sp->tx_len : cap;
	if (!*n)
		return;
	memcpy(out, sp->tx, *n);
	memmove(sp->tx, sp->tx + *n, sp->tx_len - *n);
	sp->tx_len -= *n;
}

size_t sim_printer_feed(struct sim_printer *sp, const uint8_t *in, size_t len, uint8_t *out,
			size_t cap)
{
	pthread_mutex_lock(&sp->mu);
	if (len)
		receive(sp, in, len);
	tick(sp);
	size_t n;
	take_tx(sp, out, cap, &n);
	pthread_mutex_unlock(&sp->mu);
	return n;
}

static void *serve(void *arg)
{
	struct sim_printer *sp = arg;
	uint8_t buf[4096], out[512];
	sp->slow_t0 = sim_now_ms();
	while (!sp->stop && !sim_stop) {
		int fd = sp->master_fd >= 0 ? sp->master_fd : sp->conn_fd;
		pthread_mutex_lock(&sp->mu);
		tick(sp);
		size_t n;
		while (fd >= 0 && sp->tx_len) {
			take_tx(sp, out, sizeof out, &n);
			pthread_mutex_unlock(&sp->mu);
			sim_write_all(fd, out, n);
			pthread_mutex_lock(&sp->mu);
		}
		bool full = sp->rx_len - sp->rx_off > RX_LIMIT;
		pthread_mutex_unlock(&sp->mu);

		if (fd < 0 && sp->listen_fd >= 0) {
			struct pollfd p = {.fd = sp->listen_fd, .events = POLLIN};
			if (poll(&p, 1, 20) > 0) {
				sp->conn_fd = accept4(sp->listen_fd, NULL, NULL, SOCK_CLOEXEC);
				if (sp->conn_fd >= 0) {
					pthread_mutex_lock(&sp->mu);
					sp->st.connections++;
					sp->tok_len = 0;
					pthread_mutex_unlock(&sp->mu);
					sim_log("printer: client connected");
				}
			}
			continue;
		}
		if (fd < 0 || full) {
			sim_sleep_ms(10);
			continue;
		}
		size_t want = sizeof buf;
		if (sp->cfg.slow_bps > 0) {
			uint64_t allowed = (sim_now_ms() - sp->slow_t0) * (uint64_t)sp->cfg.slow_bps / 1000;
			if (allowed <= sp->slow_bytes) {
				sim_sleep_ms(5);
				continue;
			}
			if (allowed - sp->slow_bytes < want)
				want = (size_t)(allowed - sp->slow_bytes);
		}
		ssize_t r = sim_read_timeout(fd, buf, want, 20);
		if (r == 0)
			continue;
		if (r < 0) {
			if (fd == sp->conn_fd) {
				sim_log("printer: client closed the connection");
				close(sp->conn_fd);
				sp->conn_fd = -1;
				pthread_mutex_lock(&sp->mu);
				sp->tok_len = 0; /* a command cut off by the hang-up is lost */
				pthread_mutex_unlock(&sp->mu);
			} else
				sim_sleep_ms(20); /* pty without a client */
			continue;
		}
		sp->slow_bytes += (uint64_t)r;
		pthread_mutex_lock(&sp->mu);
		receive(sp, buf, (size_t)r);
		pthread_mutex_unlock(&sp->mu);
	}
	return NULL;
}

static int start(struct sim_printer *sp)
{
	if (pthread_create(&sp->thread, NULL, serve, sp) != 0)
		return -EAGAIN;
	sp->thread_started = true;
	return 0;
}

int sim_printer_start_tcp(const struct sim_printer_config *cfg, struct sim_printer **out,
			  char *uri, size_t uri_len)
{
	struct sim_printer *sp;
	int r = sim_printer_new(cfg, &sp);
	if (r < 0)
		return r;
	int port = 0;
	sp->listen_fd = sim_tcp_listen(&port);
	if (sp->listen_fd < 0 || (r = start(sp)) < 0) {
		r = sp->listen_fd < 0 ? sp->listen_fd : r;
		sim_printer_stop(sp);
		return r;
	}
	snprintf(uri, uri_len, "tcp:127.0.0.1:%d", port);
	*out = sp;
	return 0;
}

int sim_printer_start_pty(const struct sim_printer_config *cfg, struct sim_printer **out,
			  char *uri, size_t uri_len)
{
	struct sim_printer *sp;
	int r = sim_printer_new(cfg, &sp);
	if (r < 0)
		return r;
	char path[128];
	r = sim_pty_open(&sp->master_fd, path, sizeof path);
	if (r < 0 || (r = start(sp)) < 0) {
		sim_printer_stop(sp);
		return r;
	}
	snprintf(uri, uri_len, "serial:%s", path);
	*out = sp;
	return 0;
}

void sim_printer_stop(struct sim_printer *sp)
{
	if (!sp)
		return;
	sp->stop = 1;
	if (sp->thread_started)
		pthread_join(sp->thread, NULL);
	if (page_dirty(sp))
		finish_page(sp);
	if (sp->conn_fd >= 0)
		close(sp->conn_fd);
	if (sp->listen_fd >= 0)
		close(sp->listen_fd);
	if (sp->master_fd >= 0)
		close(sp->master_fd);
	if (sp->cd != (iconv_t)-1)
		iconv_close(sp->cd);
	for (int i = 0; i < sp->n_pages; i++)
		free(sp->pages[i].text);
	free(sp->pages);
	free(sp->page.px);
	free(sp->page.text);
	free(sp->line);
	free(sp->tok);
	free(sp->rx);
	free(sp->tx);
	free(sp->qr_data);
	pthread_mutex_destroy(&sp->mu);
	free(sp);
}

int sim_printer_pages(struct sim_printer *sp)
{
	pthread_mutex_lock(&sp->mu);
	int n = sp->n_pages;
	pthread_mutex_unlock(&sp->mu);
	return n;
}

char *sim_printer_page_text(struct sim_printer *sp, int i)
{
	char *r = NULL;
	pthread_mutex_lock(&sp->mu);
	if (i >= 0 && i < sp->n_pages)
		r = strdup(sp->pages[i].text ? sp->pages[i].text : "");
	else if (i == sp->n_pages) {
		/* the page in progress, with its unprinted line */
		r = strdup(sp->page.text ? sp->page.text : "");
	}
	pthread_mutex_unlock(&sp->mu);
	return r;
}

int sim_printer_page_png(struct sim_printer *sp, int i, char *path, size_t len)
{
	int r = -1;
	pthread_mutex_lock(&sp->mu);
	if (i >= 0 && i < sp->n_pages && sp->pages[i].png[0]) {
		snprintf(path, len, "%s", sp->pages[i].png);
		r = 0;
	}
	pthread_mutex_unlock(&sp->mu);
	return r;
}

void sim_printer_set_paper_out(struct sim_printer *sp, bool out)
{
	pthread_mutex_lock(&sp->mu);
	if (out && !sp->paper_out)
		sp->fault_since = sim_now_ms();
	sp->paper_out = out;
	pthread_mutex_unlock(&sp->mu);
}

void sim_printer_set_cover_open(struct sim_printer *sp, bool open)
{
	pthread_mutex_lock(&sp->mu);
	if (open && !sp->cover_open)
		sp->fault_since = sim_now_ms();
	sp->cover_open = open;
	pthread_mutex_unlock(&sp->mu);
}

void sim_printer_set_near_end(struct sim_printer *sp, bool near_end)
{
	pthread_mutex_lock(&sp->mu);
	sp->near_end = near_end;
	pthread_mutex_unlock(&sp->mu);
}

void sim_printer_set_offline(struct sim_printer *sp, bool offline)
{
	pthread_mutex_lock(&sp->mu);
	if (offline && !sp->offline)
		sp->fault_since = sim_now_ms();
	sp->offline = offline;
	pthread_mutex_unlock(&sp->mu);
}

void sim_printer_get_stats(struct sim_printer *sp, struct sim_printer_stats *st)
{
	pthread_mutex_lock(&sp->mu);
	*st = sp->st;
	st->unprocessed = sp->rx_len - sp->rx_off;
	st->paper_out = sp->paper_out;
	st->cover_open = sp->cover_open;
	st->offline = sp->offline;
	pthread_mutex_unlock(&sp->mu);
}

/* ---- kiosk-sim printer ----------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kiosk-sim printer [--tcp PORT | --pty | --usb DIR] [--out DIR] [options]\n"
		"An ESC/POS receipt printer. Prints its URI on the first line, then serves\n"
		"until interrupted; each cut writes DIR/receipt-NNNN.png and .txt.\n"
		"  --tcp PORT          listen on 127.0.0.1:PORT (0 = any; default 0)\n"
		"  --pty               serve on a pty (URI serial:/dev/pts/N)\n"
		"  --usb DIR           write a umockdev USB printer (0416:5011) answering one\n"
		"                      status query, for umockdev-run (see the hint on stderr)\n"
		"  --out DIR           where pages go (default: keep them in memory)\n"
		"  --width DOTS        printable width (576 = 80 mm, 384 = 58 mm)\n"
		"  --profile NAME      a name containing 58 selects 384 dots, else 576\n"
		"  --near-end          the near-end sensor is tripped\n"
		"  --paper-out         out of paper from the start\n"
		"  --paper-out-after N paper runs out after N processed bytes\n"
		"  --recover-after S   paper/cover recover S seconds after failing\n"
		"  --cover-open        the cover is open from the start\n"
		"  --offline           offline for another reason (DLE EOT 1 bit 3), stops\n"
		"  --slow BPS          the link carries at most BPS bytes per second\n"
		"  --no-status         never answer status requests\n"
		"  --gb2312-only       print GB18030 4-byte characters as a box\n"
		"  --ignore-clear      ignore DLE DC4 8 (clear buffers), as many clones do\n");
}

/*
 * --usb DIR: writes a umockdev description of a USB printer-class device
 * (0416:5011, the generic-80mm profile's id; bulk OUT 0x01, IN 0x82) and an
 * ioctl script answering one real-time status query (DLE EOT 1, 2, 4), the
 * replies computed by this emulator with the fault switches given. A
 * scripted tree cannot compute replies to data it did not foresee (a whole
 * receipt): the in-process tests use the computed handler instead
 * (tests/common/usbsim + sim_printer_feed()).
 */
static int write_usb_dir(const struct sim_printer_config *cfg, const char *dir)
{
	static const struct sim_usb_ep eps[] = {{0x01, SIM_USB_BULK, 64}, {0x82, SIM_USB_BULK, 64}};
	struct sim_usb_device d = {.vid = 0x0416, .pid = 0x5011, .iface_class = 7,
				   .manufacturer = "kiosk-sim", .product = "kiosk-sim ESC/POS printer",
				   .serial = "PRN0001", .eps = eps, .n_eps = 2};
	static const uint8_t q[3][3] = {{0x10, 0x04, 1}, {0x10, 0x04, 2}, {0x10, 0x04, 4}};
	static uint8_t rep[3][8];
	struct sim_usb_exchange x[3];
	struct sim_printer *sp;
	struct sim_printer_config c = *cfg;
	c.out_dir = NULL;
	if (sim_printer_new(&c, &sp) < 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		size_t n = sim_printer_feed(sp, q[i], 3, rep[i], sizeof rep[i]);
		x[i] = (struct sim_usb_exchange){.out_ep = 0x01, .out = q[i], .out_len = 3,
						 .in_ep = 0x82, .in = rep[i], .in_len = n};
	}
	sim_printer_stop(sp);
	int r = sim_usb_write_dir(dir, &d, x, 3);
	if (r < 0) {
		fprintf(stderr, "kiosk-sim printer: cannot write %s: %s\n", dir, strerror(-r));
		return -1;
	}
	char node[64];
	printf("usb:0416:5011?serial=PRN0001\n");
	fprintf(stderr, "kiosk-sim printer: run a client with\n  umockdev-run -d %s/device.umockdev "
			"-i %s=%s/device.ioctl -- kioskctl printer status --device usb:0416:5011\n",
		dir, sim_usb_devnode(&d, node, sizeof node), dir);
	return 0;
}

int sim_printer_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"tcp", required_argument, 0, 't'},       {"pty", no_argument, 0, 'p'},
		{"usb", required_argument, 0, 'u'},       {"out", required_argument, 0, 'o'},
		{"width", required_argument, 0, 'w'},     {"profile", required_argument, 0, 'P'},
		{"near-end", no_argument, 0, 'n'},        {"paper-out", no_argument, 0, 'O'},
		{"paper-out-after", required_argument, 0, 'A'},
		{"recover-after", required_argument, 0, 'R'},
		{"cover-open", no_argument, 0, 'c'},      {"slow", required_argument, 0, 's'},
		{"no-status", no_argument, 0, 'S'},       {"gb2312-only", no_argument, 0, 'g'},
		{"offline", no_argument, 0, 'F'},      {"ignore-clear", no_argument, 0, 'I'},
		{"help", no_argument, 0, 'h'},            {0, 0, 0, 0}};
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	int tcp_port = -1;
	bool pty = false;
	const char *usb_dir = NULL;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't': tcp_port = atoi(optarg); break;
		case 'p': pty = true; break;
		case 'u': usb_dir = optarg; break;
		case 'o': cfg.out_dir = optarg; break;
		case 'w': cfg.width_dots = atoi(optarg); break;
		case 'P': cfg.width_dots = strstr(optarg, "58") ? 384 : 576; break;
		case 'n': cfg.near_end = true; break;
		case 'O': cfg.paper_out = true; break;
		case 'A': cfg.paper_out_after = atol(optarg); break;
		case 'R': cfg.recover_after_ms = (int)(atof(optarg) * 1000); break;
		case 'c': cfg.cover_open = true; break;
		case 'F': cfg.offline = true; break;
		case 's': cfg.slow_bps = atol(optarg); break;
		case 'S': cfg.no_status = true; break;
		case 'g': cfg.gb18030_2byte_only = true; break;
		case 'I': cfg.ignore_clear = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (usb_dir)
		return write_usb_dir(&cfg, usb_dir) == 0 ? 0 : 1;
	if (cfg.width_dots < 64 || cfg.width_dots > 4096 || cfg.width_dots % 8) {
		fprintf(stderr, "kiosk-sim printer: --width must be a multiple of 8 in 64..4096\n");
		return 2;
	}
	struct sim_printer *sp = NULL;
	char uri[160];
	int r;
	if (pty)
		r = sim_printer_start_pty(&cfg, &sp, uri, sizeof uri);
	else {
		struct sim_printer *tmp;
		r = sim_printer_new(&cfg, &tmp);
		if (r == 0) {
			int port = tcp_port < 0 ? 0 : tcp_port;
			tmp->listen_fd = sim_tcp_listen(&port);
			if (tmp->listen_fd < 0) {
				r = tmp->listen_fd;
				sim_printer_stop(tmp);
			} else if ((r = start(tmp)) < 0)
				sim_printer_stop(tmp);
			else {
				snprintf(uri, sizeof uri, "tcp:127.0.0.1:%d", port);
				sp = tmp;
			}
		}
	}
	if (r < 0) {
		fprintf(stderr, "kiosk-sim printer: cannot start: %s\n", strerror(-r));
		return 1;
	}
	printf("%s\n", uri);
	fflush(stdout);
	while (!sim_stop)
		sim_sleep_ms(50);
	int pages = sim_printer_pages(sp);
	sim_printer_stop(sp);
	sim_log("printer: stopped after %d page(s)", pages);
	return 0;
}
