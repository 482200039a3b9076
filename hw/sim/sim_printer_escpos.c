/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim_printer_escpos.c — the ESC/POS interpreter of the printer emulator
 * (see sim_printer_escpos.h). It reads the bytes itself (not with
 * libkiosk's encoder). QR codes are drawn with libqrencode, barcodes and
 * the other 2D symbols with libzint, single-byte code pages come from
 * iconv, so what it prints scans and reads like the real thing.
 *
 * Every command it does not act on is reported through sim_escpos_unknown():
 * nothing it does not understand is printed as text. docs/escpos-emulator.md
 * lists what it understands.
 */
#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zint.h>
#include "sim.h"
#include "sim_printer_escpos.h"

/* ---- command lengths --------------------------------------------------------- */

/* FS q n [xL xH yL yH d…]×n: n NV bit images one after the other. */
static size_t fs_q_len(const uint8_t *b, size_t n)
{
	if (n < 3)
		return 0;
	size_t off = 3;
	for (int i = 0; i < b[2]; i++) {
		if (n < off + 4)
			return 0;
		size_t x = (size_t)b[off] | (size_t)b[off + 1] << 8;
		size_t y = (size_t)b[off + 2] | (size_t)b[off + 3] << 8;
		off += 4 + x * y * 8;
		if (off > SIM_ESCPOS_MAX_CMD)
			return SIZE_MAX;
	}
	return off;
}

/* ESC & y c1 c2 [x d1…d(y·x)]…: user-defined characters. */
static size_t esc_amp_len(const uint8_t *b, size_t n)
{
	if (n < 5)
		return 0;
	size_t off = 5;
	int count = b[4] >= b[3] ? b[4] - b[3] + 1 : 0;
	for (int i = 0; i < count; i++) {
		if (n < off + 1)
			return 0;
		off += 1 + (size_t)b[off] * b[2];
	}
	return off;
}

size_t sim_escpos_cmd_len(const uint8_t *b, size_t n)
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
		return 1; /* a lone DLE byte */
	case 0x1B: /* ESC */
		NEED(2);
		switch (b[1]) {
		case '@': case '2': case '<': case 'i': case 'm': case 0x0F:
		case 0x0C:
			return 2;
		case '$': case '\\': case 'B':
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
		case 'Z': {
			NEED(7);
			return 7 + ((size_t)b[5] | (size_t)b[6] << 8);
		}
		case '(': {
			NEED(5);
			return 5 + ((size_t)b[3] | (size_t)b[4] << 8);
		}
		case '&': {
			size_t t = esc_amp_len(b, n);
			return t > SIM_ESCPOS_MAX_CMD ? SIZE_MAX : t;
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
		case 'q':
			return fs_q_len(b, n);
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
			return t > SIM_ESCPOS_MAX_CMD ? SIZE_MAX : t;
		}
		case '(': {
			NEED(5);
			return 5 + ((size_t)b[3] | (size_t)b[4] << 8);
		}
		case 'L': case 'W': case '$': case 'P': case '\\':
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
			return t > SIM_ESCPOS_MAX_CMD ? SIZE_MAX : t;
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

/* ---- reporting ------------------------------------------------------------------ */

#define UNKNOWN_LOG_CAP (64u << 10)

void sim_escpos_unknown(struct sim_escpos *e, const uint8_t *b, size_t n, const char *fmt, ...)
{
	char msg[400];
	int k = 0;
	va_list ap;
	va_start(ap, fmt);
	k = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (k < 0)
		k = 0;
	if ((size_t)k >= sizeof msg)
		k = sizeof msg - 1;
	size_t show = n < 12 ? n : 12;
	k += snprintf(msg + k, sizeof msg - (size_t)k, " [");
	for (size_t i = 0; i < show && (size_t)k < sizeof msg - 8; i++)
		k += snprintf(msg + k, sizeof msg - (size_t)k, i ? " %02X" : "%02X", b[i]);
	if ((size_t)k < sizeof msg - 16)
		k += snprintf(msg + k, sizeof msg - (size_t)k, n > show ? " … %zu bytes]" : "]", n);
	e->unknown++;
	if (e->unknown <= 200)
		fprintf(stderr, "kiosk-sim: printer: %s\n", msg);
	else if (e->unknown == 201)
		fprintf(stderr, "kiosk-sim: printer: more commands not understood; see the stats\n");
	if (e->unknown_len + (size_t)k + 2 < UNKNOWN_LOG_CAP) {
		char *p = realloc(e->unknown_log, e->unknown_len + (size_t)k + 2);
		if (p) {
			memcpy(p + e->unknown_len, msg, (size_t)k);
			e->unknown_len += (size_t)k;
			p[e->unknown_len++] = '\n';
			p[e->unknown_len] = 0;
			e->unknown_log = p;
		}
	}
}

#define IGNORED(what) sim_escpos_unknown(e, b, n, "ignored %s", what)

/* ---- modes ---------------------------------------------------------------------- */

/* ESC t n → iconv name (Epson numbering; the pages most printers share). */
static const char *code_page_name(int n)
{
	switch (n) {
	case 0: return "CP437";
	case 2: return "CP850";
	case 3: return "CP860";
	case 4: return "CP863";
	case 5: return "CP865";
	case 11: return "CP851";
	case 13: return "CP857";
	case 14: return "CP737";
	case 15: return "ISO-8859-7";
	case 16: return "CP1252";
	case 17: return "CP866";
	case 18: return "CP852";
	case 19: return "CP858";
	case 45: return "CP1250";
	case 46: return "CP1251";
	case 47: return "CP1253";
	case 48: return "CP1254";
	case 49: return "CP1255";
	case 50: return "CP1256";
	case 51: return "CP1257";
	case 52: return "CP1258";
	default: return NULL;
	}
}

/* Fills the upper half (0x80–0xFF) of the current code page through iconv. */
static int load_code_page(struct sim_escpos *e, int n)
{
	const char *name = code_page_name(n);
	if (!name)
		return -1;
	iconv_t cd = iconv_open("UTF-32LE", name);
	if (cd == (iconv_t)-1)
		return -1;
	for (int i = 0; i < 128; i++) {
		char in[1] = {(char)(0x80 + i)}, *ip = in, *op;
		uint8_t u[4];
		size_t il = 1, ol = 4;
		op = (char *)u;
		iconv(cd, NULL, NULL, NULL, NULL);
		e->page_high[i] = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && ol == 0
					  ? (uint32_t)u[0] | (uint32_t)u[1] << 8 |
						    (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24
					  : 0xFFFD;
	}
	iconv_close(cd);
	/* IBM added the euro to PC857 at 0xD5 (as printers have it); glibc's
	 * CP857 is the older table */
	if (n == 13)
		e->page_high[0xD5 - 0x80] = 0x20AC;
	e->code_page = n;
	return 0;
}

/* ESC R n: the international character sets (Epson's table) replace 12
 * positions of ASCII. */
static uint32_t international(int set, uint8_t c)
{
	static const uint8_t pos[12] = {0x23, 0x24, 0x40, 0x5B, 0x5C, 0x5D,
					0x5E, 0x60, 0x7B, 0x7C, 0x7D, 0x7E};
	static const uint16_t sets[16][12] = {
		{0}, /* 0 U.S.A. */
		{'#', '$', 0xE0, 0xB0, 0xE7, 0xA7, '^', '`', 0xE9, 0xF9, 0xE8, 0xA8},     /* France */
		{'#', '$', 0xA7, 0xC4, 0xD6, 0xDC, '^', '`', 0xE4, 0xF6, 0xFC, 0xDF},     /* Germany */
		{0xA3, '$', '@', '[', '\\', ']', '^', '`', '{', '|', '}', '~'},           /* U.K. */
		{'#', '$', '@', 0xC6, 0xD8, 0xC5, '^', '`', 0xE6, 0xF8, 0xE5, '~'},       /* Denmark I */
		{'#', 0xA4, 0xC9, 0xC4, 0xD6, 0xC5, 0xDC, 0xE9, 0xE4, 0xF6, 0xE5, 0xFC},  /* Sweden */
		{'#', '$', '@', 0xB0, '\\', 0xE9, '^', 0xF9, 0xE0, 0xF2, 0xE8, 0xEC},     /* Italy */
		{0x20A7, '$', '@', 0xA1, 0xD1, 0xBF, '^', '`', 0xA8, 0xF1, '}', '~'},     /* Spain I */
		{'#', '$', '@', '[', 0xA5, ']', '^', '`', '{', '|', '}', '~'},            /* Japan */
		{'#', 0xA4, 0xC9, 0xC6, 0xD8, 0xC5, 0xDC, 0xE9, 0xE6, 0xF8, 0xE5, 0xFC},  /* Norway */
		{'#', '$', 0xC9, 0xC6, 0xD8, 0xC5, 0xDC, 0xE9, 0xE6, 0xF8, 0xE5, 0xFC},   /* Denmark II */
		{'#', '$', 0xE1, 0xA1, 0xD1, 0xBF, 0xE9, '`', 0xED, 0xF1, 0xF3, 0xFA},    /* Spain II */
		{'#', '$', 0xE1, 0xA1, 0xD1, 0xBF, 0xE9, 0xFC, 0xED, 0xF1, 0xF3, 0xFA},   /* Latin America */
		{'#', '$', '@', '[', 0x20A9, ']', '^', '`', '{', '|', '}', '~'},          /* Korea */
		{'#', '$', 0x17D, 0x160, 0x110, 0x106, 0x10C, 0x17E, 0x161, 0x111, 0x107, 0x10D}, /* Slovenia/Croatia */
		{'#', 0xA5, '@', '[', '\\', ']', '^', '`', '{', '|', '}', '~'},           /* China */
	};
	if (set <= 0 || set > 15)
		return c;
	for (int i = 0; i < 12; i++)
		if (pos[i] == c)
			return sets[set][i];
	return c;
}

static void reset_modes(struct sim_escpos *e)
{
	e->chinese = e->cfg.chinese_default;
	e->style = (struct sim_style){.w = 1, .h = 1};
	e->cn_w = e->cn_h = 1;
	e->cn_underline = 0;
	e->render.align = 0;
	e->render.spacing = 30;
	e->render.upside_down = false;
	e->mb_len = 0;
	e->qr_model = 2;
	e->qr_module = 3;
	e->qr_ecc = 1;
	e->bar_height = 162;
	e->bar_module = 3;
	e->bar_hri = 0;
	e->bar_font_b = false;
	e->sym2d = 2;
	e->intl = 0;
	if (e->code_page != 0)
		load_code_page(e, 0);
}

void sim_escpos_clear_line(struct sim_escpos *e)
{
	sim_render_discard_line(&e->render);
	e->mb_len = 0;
}

/* ---- text ------------------------------------------------------------------------ */

static void put_half(struct sim_escpos *e, uint32_t cp)
{
	sim_render_char(&e->render, cp, false, &e->style);
}

static void put_full(struct sim_escpos *e, uint32_t cp)
{
	struct sim_style st = e->style;
	if (e->cn_w > st.w)
		st.w = (uint8_t)e->cn_w;
	if (e->cn_h > st.h)
		st.h = (uint8_t)e->cn_h;
	if (e->cn_underline > st.underline)
		st.underline = (uint8_t)e->cn_underline;
	sim_render_char(&e->render, cp, true, &st);
}

static void single_byte(struct sim_escpos *e, uint8_t c)
{
	put_half(e, c < 0x80 ? international(e->intl, c) : e->page_high[c - 0x80]);
}

static void text_byte(struct sim_escpos *e, uint8_t c)
{
	if (!e->chinese || (e->mb_len == 0 && c < 0x81) || c == 0xFF) {
		e->mb_len = 0;
		single_byte(e, c);
		return;
	}
	e->mb[e->mb_len++] = c;
	size_t need = 2;
	if (e->mb_len >= 2 && e->mb[1] >= 0x30 && e->mb[1] <= 0x39)
		need = 4;
	if ((size_t)e->mb_len < need)
		return;
	uint32_t cp = 0xFFFD;
	if (need == 4 && e->cfg.gb18030_2byte_only)
		cp = 0x25A1; /* this printer lacks the 4-byte area */
	else if (e->cd != (iconv_t)-1) {
		char *in = (char *)e->mb, *out;
		size_t inl = need, outl = 4;
		uint8_t u[4];
		out = (char *)u;
		iconv(e->cd, NULL, NULL, NULL, NULL);
		if (iconv(e->cd, &in, &inl, &out, &outl) != (size_t)-1 && outl == 0)
			cp = (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
			     (uint32_t)u[3] << 24;
	}
	e->mb_len = 0;
	put_full(e, cp);
}

/* ---- graphics ---------------------------------------------------------------------- */

/* Column-format bit image (ESC *, FS q, GS *): `cols` columns of `bytes`
 * bytes each, MSB at the top, into a 1-byte-per-dot block scaled sx × sy. */
static uint8_t *columns_to_dots(const uint8_t *d, int cols, int bytes, int sx, int sy, int *w,
				int *h)
{
	*w = cols * sx;
	*h = bytes * 8 * sy;
	size_t size = (size_t)*w * (size_t)*h;
	uint8_t *px = calloc(size ? size : 1, 1);
	if (!px)
		return NULL;
	for (int x = 0; x < cols; x++)
		for (int y = 0; y < bytes * 8; y++)
			if (d[(size_t)x * (size_t)bytes + (size_t)y / 8] & (0x80 >> (y % 8)))
				for (int a = 0; a < sy; a++)
					for (int c = 0; c < sx; c++)
						px[(size_t)(y * sy + a) * (size_t)*w + (size_t)(x * sx + c)] = 1;
	return px;
}

/* 1-byte-per-dot block → rows of MSB-first bytes for sim_render_bits. */
static void print_dots(struct sim_escpos *e, const uint8_t *px, int w, int h)
{
	int xb = (w + 7) / 8;
	size_t size = (size_t)xb * (size_t)h;
	uint8_t *rows = calloc(size ? size : 1, 1);
	if (!rows)
		return;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			if (px[(size_t)y * (size_t)w + (size_t)x])
				rows[(size_t)y * (size_t)xb + (size_t)x / 8] |= (uint8_t)(0x80 >> (x % 8));
	sim_render_bits(&e->render, rows, xb, h, 1, 1);
	free(rows);
}

static void note_image(struct sim_escpos *e, const char *kind, int w, int h)
{
	char t[64];
	int k = snprintf(t, sizeof t, "[%s %dx%d]\n", kind, w, h);
	sim_render_note(&e->render, t, (size_t)k);
}

/* ESC * m nL nH d…: a slice of bit image in the line buffer. On a 203 dpi
 * head the 8-dot modes print each dot 3 dots tall, single density 2 wide. */
static void esc_star(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	int m = b[2], k = b[3] | b[4] << 8, bytes, sx, sy;
	switch (m) {
	case 0: bytes = 1; sx = 2; sy = 3; break;
	case 1: bytes = 1; sx = 1; sy = 3; break;
	case 32: bytes = 3; sx = 2; sy = 1; break;
	case 33: bytes = 3; sx = 1; sy = 1; break;
	default:
		sim_escpos_unknown(e, b, n, "not understood: ESC * mode %d", m);
		return;
	}
	int w, h;
	uint8_t *px = columns_to_dots(b + 5, k, bytes, sx, sy, &w, &h);
	if (px) {
		sim_render_line_image(&e->render, px, w, h);
		free(px);
	}
}

/* GS v 0 m xL xH yL yH d… */
static void gs_v0(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	if (b[2] != 0 && b[2] != '0') {
		sim_escpos_unknown(e, b, n, "not understood: GS v %d", b[2]);
		return;
	}
	sim_render_flush(&e->render);
	int m = b[3] & 3, xb = b[4] | b[5] << 8, rows = b[6] | b[7] << 8;
	sim_render_bits(&e->render, b + 8, xb, rows, (m & 1) + 1, ((m >> 1) & 1) + 1);
	note_image(e, "raster", xb * 8 * ((m & 1) + 1), rows * (((m >> 1) & 1) + 1));
}

/* FS q n [xL xH yL yH d…]×n: defines the NV bit images (column format). */
static void fs_q(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	for (int i = 0; i < SIM_ESCPOS_NV_IMAGES; i++)
		free(e->nv[i].data);
	memset(e->nv, 0, sizeof e->nv);
	size_t off = 3;
	for (int i = 0; i < b[2] && off + 4 <= n; i++) {
		int x = b[off] | b[off + 1] << 8, y = b[off + 2] | b[off + 3] << 8;
		size_t len = (size_t)x * (size_t)y * 8;
		if (i < SIM_ESCPOS_NV_IMAGES && off + 4 + len <= n && len) {
			e->nv[i].data = malloc(len);
			if (e->nv[i].data) {
				memcpy(e->nv[i].data, b + off + 4, len);
				e->nv[i].x = x;
				e->nv[i].y = y;
			}
		}
		off += 4 + len;
	}
}

/* FS p n m: prints NV bit image n (1-based), m = 0 normal, 1 double width,
 * 2 double height, 3 both. */
static void fs_p(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	int i = b[2] - 1, m = b[3] & 3;
	if (i < 0 || i >= SIM_ESCPOS_NV_IMAGES || !e->nv[i].data) {
		sim_escpos_unknown(e, b, n, "FS p: NV bit image %d is not defined (FS q)", b[2]);
		return;
	}
	sim_render_flush(&e->render);
	int w, h;
	uint8_t *px = columns_to_dots(e->nv[i].data, e->nv[i].x * 8, e->nv[i].y, (m & 1) + 1,
				      (m >> 1) + 1, &w, &h);
	if (px) {
		print_dots(e, px, w, h);
		free(px);
		note_image(e, "nv-image", w, h);
	}
}

/* GS * x y d…: defines the downloaded bit image; GS / m prints it. */
static void gs_star(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	free(e->dl.data);
	e->dl = (struct sim_escpos_image){0};
	size_t len = (size_t)b[2] * b[3] * 8;
	if (!len || n < 4 + len)
		return;
	e->dl.data = malloc(len);
	if (!e->dl.data)
		return;
	memcpy(e->dl.data, b + 4, len);
	e->dl.x = b[2];
	e->dl.y = b[3];
}

static void gs_slash(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	if (!e->dl.data) {
		sim_escpos_unknown(e, b, n, "GS /: no downloaded bit image (GS *)");
		return;
	}
	int m = (b[2] >= '0' ? b[2] - '0' : b[2]) & 3, w, h;
	uint8_t *px = columns_to_dots(e->dl.data, e->dl.x * 8, e->dl.y, (m & 1) + 1, (m >> 1) + 1,
				      &w, &h);
	if (px) {
		sim_render_line_image(&e->render, px, w, h);
		free(px);
	}
}

/* GS ( L / GS 8 L: graphics in the print buffer (fn 112 store raster, fn
 * 50 or 2 print it). `p` points at m (after the length bytes). */
static void graphics(struct sim_escpos *e, const uint8_t *b, size_t n, const uint8_t *p,
		     size_t len)
{
	if (len < 2) {
		sim_escpos_unknown(e, b, n, "not understood: GS ( L with no function");
		return;
	}
	int fn = p[1];
	if (fn == 112 && len >= 10) {
		/* a bx by c xL xH yL yH d… */
		int a = p[2], bx = p[3], by = p[4], c = p[5];
		int x = p[6] | p[7] << 8, y = p[8] | p[9] << 8;
		size_t need = (size_t)((x + 7) / 8) * (size_t)y;
		if (a != 48 || c != 49 || len < 10 + need || (bx != 1 && bx != 2) ||
		    (by != 1 && by != 2)) {
			sim_escpos_unknown(e, b, n, "not understood: GS ( L fn 112 tone %d colour %d", a, c);
			return;
		}
		free(e->gfx.data);
		e->gfx.data = malloc(need ? need : 1);
		if (!e->gfx.data)
			return;
		memcpy(e->gfx.data, p + 10, need);
		e->gfx.x = x;
		e->gfx.y = y;
		e->gfx_sx = bx;
		e->gfx_sy = by;
	} else if (fn == 50 || fn == 2) {
		if (!e->gfx.data) {
			sim_escpos_unknown(e, b, n, "GS ( L print: no graphics stored");
			return;
		}
		sim_render_flush(&e->render);
		sim_render_bits(&e->render, e->gfx.data, (e->gfx.x + 7) / 8, e->gfx.y, e->gfx_sx,
				e->gfx_sy);
		note_image(e, "raster", e->gfx.x * e->gfx_sx, e->gfx.y * e->gfx_sy);
		free(e->gfx.data);
		e->gfx = (struct sim_escpos_image){0};
	} else
		sim_escpos_unknown(e, b, n, "not understood: GS ( L function %d", fn);
}

/* ---- QR and 2D symbols ------------------------------------------------------------ */

static QRcode *qr_encode(const uint8_t *data, size_t len, int version, int ecc, bool micro)
{
	static const QRecLevel lv[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
	if (!micro)
		return QRcode_encodeData((int)len, data, version, lv[ecc & 3]);
	for (int v = version > 0 ? version : 1; v <= 4; v++) {
		QRcode *q = QRcode_encodeDataMQR((int)len, data, v, lv[ecc & 3]);
		if (q)
			return q;
	}
	return NULL;
}

static void print_qr_data(struct sim_escpos *e, const uint8_t *data, size_t len, int version,
			  int ecc, int module, bool micro)
{
	sim_render_flush(&e->render);
	QRcode *q = qr_encode(data, len, version, ecc, micro);
	if (!q) {
		sim_render_note(&e->render, "[qr-error]\n", 11);
		return;
	}
	sim_render_matrix(&e->render, q->data, q->width, q->width, module, module);
	sim_render_note(&e->render, "[qr] ", 5);
	sim_render_note(&e->render, (const char *)data, len);
	sim_render_note(&e->render, "\n", 1);
	QRcode_free(q);
}

/* A 2D symbol from libzint (PDF417, DataMatrix): its rows of modules. */
static void print_zint_2d(struct sim_escpos *e, int symbology, const uint8_t *data, size_t len,
			  int module, int row_h, const char *kind)
{
	struct zint_symbol *s = ZBarcode_Create();
	if (!s)
		return;
	s->symbology = symbology;
	if (ZBarcode_Encode(s, data, (int)len) >= ZINT_ERROR || s->width <= 0 || s->rows <= 0) {
		sim_render_note(&e->render, "[2d-error]\n", 11);
		ZBarcode_Delete(s);
		return;
	}
	int rows = s->rows, cols = s->width;
	uint8_t *mods = calloc((size_t)rows * (size_t)cols, 1);
	if (mods) {
		for (int y = 0; y < rows; y++)
			for (int x = 0; x < cols; x++)
				mods[y * cols + x] = (s->encoded_data[y][x >> 3] >> (x & 7)) & 1;
		sim_render_flush(&e->render);
		sim_render_matrix(&e->render, mods, cols, rows, module, row_h);
		char t[32];
		int k = snprintf(t, sizeof t, "[%s] ", kind);
		sim_render_note(&e->render, t, (size_t)k);
		sim_render_note(&e->render, (const char *)data, len);
		sim_render_note(&e->render, "\n", 1);
		free(mods);
	}
	ZBarcode_Delete(s);
}

/* GS ( k: 2D symbols; cn 49 is QR (fn 65 model, 67 module, 69 ECC, 80
 * store, 81 print, 82 size information). */
static void gs_paren_k(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	if (n < 7 || b[5] != 49) {
		sim_escpos_unknown(e, b, n, "not understood: GS ( k symbol %d (only QR, cn 49)",
				   n > 5 ? b[5] : -1);
		return;
	}
	uint8_t fn = b[6];
	if (fn == 65 && n >= 8) {
		e->qr_model = b[7] == 49 ? 1 : b[7] == 51 ? 3 : 2;
		if (e->qr_model == 1)
			sim_escpos_unknown(e, b, n, "QR model 1 is drawn as model 2 (libqrencode has no model 1)");
	} else if (fn == 67 && n >= 8) {
		if (b[7] >= 1 && b[7] <= 16)
			e->qr_module = b[7];
	} else if (fn == 69 && n >= 8) {
		if (b[7] >= 48 && b[7] <= 51)
			e->qr_ecc = b[7] - 48;
	} else if (fn == 80 && n >= 8) {
		size_t len = n - 8;
		uint8_t *p = realloc(e->qr_data, len + 1);
		if (!p)
			return;
		memcpy(p, b + 8, len);
		p[len] = 0;
		e->qr_data = p;
		e->qr_len = len;
	} else if (fn == 81) {
		if (e->qr_len)
			print_qr_data(e, e->qr_data, e->qr_len, 0, e->qr_ecc, e->qr_module,
				      e->qr_model == 3);
	} else if (fn == 82) {
		/* size information: "1D 28 6B …" answered as 37 36 W 1F H 1F 30 00 */
		QRcode *q = e->qr_len ? qr_encode(e->qr_data, e->qr_len, 0, e->qr_ecc, e->qr_model == 3)
				      : NULL;
		char r[32];
		int size = q ? q->width * e->qr_module : 0;
		int k = snprintf(r, sizeof r, "\x37\x36%d\x1f%d\x1f%c", size, size, q ? '0' : '1');
		if (e->hooks.reply)
			e->hooks.reply(e->hooks.ctx, (const uint8_t *)r, (size_t)k + 1);
		QRcode_free(q);
	} else
		sim_escpos_unknown(e, b, n, "not understood: GS ( k QR function %d", fn);
}

/* ESC Z m n k dL dH d…: the 2D symbol selected by GS Z (QR by default):
 * for QR m is the version (0 auto), n the ECC letter, k the module size. */
static void esc_z(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	const uint8_t *data = b + 7;
	size_t len = n - 7;
	if (!len)
		return;
	int k = b[4];
	if (k < 1 || k > 16)
		k = 3;
	if (e->sym2d == 2) {
		int ecc = 0;
		switch (b[3]) {
		case 'M': case 'm': case 1: ecc = 1; break;
		case 'Q': case 'q': case 2: ecc = 2; break;
		case 'H': case 'h': case 3: ecc = 3; break;
		default: ecc = 0;
		}
		int version = b[2] <= 40 ? b[2] : 0;
		print_qr_data(e, data, len, version, ecc, k, false);
	} else if (e->sym2d == 0)
		print_zint_2d(e, BARCODE_PDF417, data, len, 2, 3 * 2, "pdf417");
	else
		print_zint_2d(e, BARCODE_DATAMATRIX, data, len, k, k, "datamatrix");
}

/* ---- barcodes ------------------------------------------------------------------------- */

/* Code 128 data as a printer gets it ({A/{B/{C code sets, {{ = '{') → the
 * characters it encodes. Returns the length or -1. */
static int code128_decode(struct sim_escpos *e, const uint8_t *d, size_t n, char *out, size_t cap,
			  const uint8_t *cmd, size_t cmd_n)
{
	size_t o = 0, i = 0;
	int set = 0;
	if (n < 2 || d[0] != '{' || (d[1] != 'A' && d[1] != 'B' && d[1] != 'C')) {
		sim_escpos_unknown(e, cmd, cmd_n, "Code 128 without a code set ({A/{B/{C) first: "
						  "taken as code set B, as many printers do (an Epson prints nothing)");
		set = 'B';
	}
	while (i < n) {
		if (d[i] == '{' && i + 1 < n) {
			uint8_t c = d[i + 1];
			i += 2;
			if (c == 'A' || c == 'B' || c == 'C')
				set = c;
			else if (c == '{') {
				if (o + 1 >= cap)
					return -1;
				out[o++] = '{';
			} else if (c != 'S' && c != '1' && c != '2' && c != '3' && c != '4')
				return -1; /* FNC and shift are accepted and not encoded */
			continue;
		}
		if (set == 'C') {
			if (d[i] > 99 || o + 2 >= cap)
				return -1;
			out[o++] = (char)('0' + d[i] / 10);
			out[o++] = (char)('0' + d[i] % 10);
		} else {
			if (o + 1 >= cap || (set == 'B' && d[i] < 0x20) || d[i] > 0x7F)
				return -1;
			out[o++] = (char)d[i];
		}
		i++;
	}
	out[o] = 0;
	return (int)o;
}

/* GS k m d… NUL (m 0–6) or GS k m n d1…dn (m 65–73). */
static void gs_k(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	int m = b[2];
	const uint8_t *d;
	size_t len;
	if (m <= 6) {
		d = b + 3;
		len = n - 4; /* without the NUL */
		m += 65;
	} else {
		d = b + 4;
		len = n - 4;
	}
	static const struct {
		int zint;
		const char *name;
	} kinds[] = {
		{BARCODE_UPCA, "upca"},       {BARCODE_UPCE, "upce"},   {BARCODE_EANX, "ean13"},
		{BARCODE_EANX, "ean8"},       {BARCODE_CODE39, "code39"}, {BARCODE_C25INTER, "itf"},
		{BARCODE_CODABAR, "codabar"}, {BARCODE_CODE93, "code93"}, {BARCODE_CODE128, "code128"},
	};
	if (m < 65 || m > 73) {
		sim_escpos_unknown(e, b, n, "not understood: GS k symbology %d", b[2]);
		return;
	}
	int zs = kinds[m - 65].zint;
	const char *name = kinds[m - 65].name;
	char data[512];
	int dl;
	if (m == 73) {
		dl = code128_decode(e, d, len, data, sizeof data, b, n);
	} else {
		/* Code 39 with its start/stop characters: the printer adds them itself */
		if (m == 69 && len >= 2 && d[0] == '*' && d[len - 1] == '*') {
			d++;
			len -= 2;
		}
		dl = len < sizeof data ? (int)len : -1;
		if (dl >= 0) {
			memcpy(data, d, len);
			data[len] = 0;
		}
		/* EAN/UPC with the check digit given: zint's _CHK variants verify it */
		if (m == 65 && len == 12)
			zs = BARCODE_UPCA_CHK;
		else if (m == 66 && len == 8)
			zs = BARCODE_UPCE_CHK;
		else if ((m == 67 && len == 13) || (m == 68 && len == 8))
			zs = BARCODE_EANX_CHK;
	}
	struct zint_symbol *s = dl > 0 ? ZBarcode_Create() : NULL;
	if (s)
		s->symbology = zs;
	if (!s || ZBarcode_Encode(s, (const uint8_t *)data, dl) >= ZINT_ERROR || s->width <= 0) {
		sim_escpos_unknown(e, b, n, "GS k %s: data the symbology cannot encode%s%s", name,
				   s ? ": " : "", s ? s->errtxt : "");
		ZBarcode_Delete(s);
		return;
	}
	/* the bars are the first row of modules */
	uint8_t *bars = malloc((size_t)s->width);
	if (bars) {
		for (int x = 0; x < s->width; x++)
			bars[x] = (s->encoded_data[0][x >> 3] >> (x & 7)) & 1;
		sim_render_flush(&e->render);
		if (s->width * e->bar_module > e->render.width)
			sim_escpos_unknown(e, b, n, "GS k %s: %d dots wide, more than the paper: not printed",
					   name, s->width * e->bar_module);
		else {
			const char *hri = s->text[0] ? (const char *)s->text : data;
			sim_render_barcode(&e->render, bars, s->width, e->bar_module, e->bar_height,
					   e->bar_hri, e->bar_font_b, hri);
			char t[48];
			int k = snprintf(t, sizeof t, "[%s] ", name);
			sim_render_note(&e->render, t, (size_t)k);
			sim_render_note(&e->render, data, (size_t)dl);
			sim_render_note(&e->render, "\n", 1);
		}
		free(bars);
	}
	ZBarcode_Delete(s);
}

/* ---- commands --------------------------------------------------------------------------- */

static void cut(struct sim_escpos *e, int feed)
{
	sim_render_flush(&e->render);
	if (feed > 0)
		sim_render_feed(&e->render, feed);
	sim_render_finish_page(&e->render);
	e->cuts++;
}

/* ESC J n: prints the line and feeds n dots (at least the line's height). */
static void feed_dots(struct sim_escpos *e, int dots)
{
	struct sim_render *r = &e->render;
	if (!r->line_n) {
		sim_render_feed(r, dots);
		return;
	}
	int keep = r->spacing;
	r->spacing = dots;
	sim_render_newline(r);
	r->spacing = keep;
}

static int bool_arg(uint8_t v)
{
	return v == '0' ? 0 : v == '1' ? 1 : v == '2' ? 2 : v;
}

static void esc(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	struct sim_render *r = &e->render;
	switch (b[1]) {
	case '@':
		sim_render_flush(r);
		reset_modes(e);
		return;
	case 'E': case 'G':
		e->style.bold = b[2] & 1;
		return;
	case 'a':
		r->align = (b[2] % 48) <= 2 ? b[2] % 48 : 0;
		return;
	case '!':
		e->style.font_b = b[2] & 0x01;
		e->style.bold = b[2] & 0x08;
		e->style.h = b[2] & 0x10 ? 2 : 1;
		e->style.w = b[2] & 0x20 ? 2 : 1;
		e->style.underline = b[2] & 0x80 ? 1 : 0;
		return;
	case '-': {
		int v = bool_arg(b[2]);
		e->style.underline = (uint8_t)(v <= 2 ? v : 0);
		return;
	}
	case 'M': {
		int v = bool_arg(b[2]);
		e->style.font_b = v == 1;
		return;
	}
	case '{':
		r->upside_down = b[2] & 1;
		return;
	case 'd':
		sim_render_flush(r);
		for (int i = 0; i < b[2]; i++)
			sim_render_newline(r);
		return;
	case 'J':
		feed_dots(e, b[2]);
		return;
	case '2':
		r->spacing = 30;
		return;
	case '3':
		r->spacing = b[2];
		return;
	case 'i':
		cut(e, 0);
		return;
	case 'm':
		cut(e, 0);
		return;
	case '*':
		esc_star(e, b, n);
		return;
	case 'Z':
		esc_z(e, b, n);
		return;
	case 't':
		if (load_code_page(e, b[2]) < 0)
			sim_escpos_unknown(e, b, n, "ESC t %d: code page not known, kept %d", b[2],
					   e->code_page);
		return;
	case 'R':
		if (b[2] <= 15)
			e->intl = b[2];
		else
			sim_escpos_unknown(e, b, n, "ESC R %d: international set not known", b[2]);
		return;
	case '$': {
		/* absolute position: blank space up to dot (nL + nH·256) */
		int x = b[2] | b[3] << 8;
		if (x > r->line_w && x < r->width) {
			uint8_t *blank = calloc((size_t)(x - r->line_w), 1);
			if (blank) {
				sim_render_line_image(r, blank, x - r->line_w, 1);
				free(blank);
			}
		}
		return;
	}
	case 'p':
		sim_log("printer: drawer pulse (ESC p)");
		return;
	case 'B':
		sim_log("printer: buzzer (ESC B)");
		return;
	case '=': case 'c':
		return; /* peripheral selection, paper sensors and panel buttons: no print effect */
	case 'D':
		IGNORED("ESC D (tab stops: HT advances one space)");
		return;
	case ' ':
		IGNORED("ESC SP (right-side character spacing)");
		return;
	case 'V':
		IGNORED("ESC V (90° rotation)");
		return;
	case '4': case '5':
		IGNORED("ESC 4/5 (italic: not an ESC/POS command)");
		return;
	default:
		sim_escpos_unknown(e, b, n, "not understood: ESC %c (0x%02X)",
				   b[1] >= 0x21 && b[1] < 0x7F ? b[1] : '?', b[1]);
	}
}

static void fs(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	switch (b[1]) {
	case '&':
		e->chinese = true;
		return;
	case '.':
		e->chinese = false;
		e->mb_len = 0;
		return;
	case '!':
		e->cn_w = b[2] & 0x04 ? 2 : 1;
		e->cn_h = b[2] & 0x08 ? 2 : 1;
		e->cn_underline = b[2] & 0x80 ? 1 : 0;
		return;
	case '-': {
		int v = bool_arg(b[2]);
		e->cn_underline = v <= 2 ? v : 0;
		return;
	}
	case 'W':
		e->cn_w = e->cn_h = b[2] & 1 ? 2 : 1;
		return;
	case 'C':
		if (bool_arg(b[2]) != 0)
			sim_escpos_unknown(e, b, n, "FS C %d: only GB18030 Chinese is emulated", b[2]);
		return;
	case 'S':
		IGNORED("FS S (Chinese character spacing)");
		return;
	case 'q':
		fs_q(e, b, n);
		return;
	case 'p':
		fs_p(e, b, n);
		return;
	default:
		sim_escpos_unknown(e, b, n, "not understood: FS %c (0x%02X)",
				   b[1] >= 0x21 && b[1] < 0x7F ? b[1] : '?', b[1]);
	}
}

static void gs(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	struct sim_render *r = &e->render;
	switch (b[1]) {
	case '!':
		e->style.w = ((b[2] >> 4) & 7) + 1;
		e->style.h = (b[2] & 7) + 1;
		return;
	case 'B':
		e->style.reverse = b[2] & 1;
		return;
	case 'V':
		/* m 0/48 full, 1/49 partial; 65/66 feed n then cut; 97/98 and
		 * 103/104 feed to the cutter then n more */
		cut(e, b[2] >= 65 && n >= 4 ? b[3] : 0);
		return;
	case 'v':
		gs_v0(e, b, n);
		return;
	case '(':
		if (b[2] == 'k')
			gs_paren_k(e, b, n);
		else if (b[2] == 'L')
			graphics(e, b, n, b + 5, n - 5);
		else
			sim_escpos_unknown(e, b, n, "not understood: GS ( %c", b[2]);
		return;
	case '8':
		if (b[2] == 'L')
			graphics(e, b, n, b + 7, n - 7);
		else
			sim_escpos_unknown(e, b, n, "not understood: GS 8 %c", b[2]);
		return;
	case '*':
		gs_star(e, b, n);
		return;
	case '/':
		gs_slash(e, b, n);
		return;
	case 'k':
		gs_k(e, b, n);
		return;
	case 'h':
		e->bar_height = b[2] ? b[2] : 1;
		return;
	case 'w':
		/* Epson accepts 2–6; many printers 1–6 */
		if (b[2] >= 1 && b[2] <= 6)
			e->bar_module = b[2];
		return;
	case 'H':
		e->bar_hri = bool_arg(b[2]) & 3;
		return;
	case 'f':
		e->bar_font_b = bool_arg(b[2]) == 1;
		return;
	case 'Z':
		if (b[2] <= 2)
			e->sym2d = b[2];
		return;
	case 'P':
		return; /* motion units: this printer's stay one dot */
	case 'r':
		if (e->hooks.status_request)
			e->hooks.status_request(e->hooks.ctx, b[2]);
		return;
	case 'a':
		if (e->hooks.asb)
			e->hooks.asb(e->hooks.ctx, b[2]);
		return;
	case 'L':
		IGNORED("GS L (left margin)");
		return;
	case 'W':
		IGNORED("GS W (print area width)");
		return;
	default:
		(void)r;
		sim_escpos_unknown(e, b, n, "not understood: GS %c (0x%02X)",
				   b[1] >= 0x21 && b[1] < 0x7F ? b[1] : '?', b[1]);
	}
}

void sim_escpos_process(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	struct sim_render *r = &e->render;
	switch (b[0]) {
	case 0x0A:
		sim_render_newline(r);
		return;
	case 0x0D: case 0x00:
		return;
	case 0x09:
		put_half(e, ' ');
		return;
	case 0x07:
		sim_log("printer: buzzer (BEL)");
		return;
	case 0x1B:
		esc(e, b, n);
		return;
	case 0x1C:
		fs(e, b, n);
		return;
	case 0x1D:
		gs(e, b, n);
		return;
	default:
		if (b[0] < 0x20 || b[0] == 0x7F) {
			e->mb_len = 0;
			sim_escpos_unknown(e, b, n, "not understood: control byte 0x%02X", b[0]);
			return;
		}
		text_byte(e, b[0]);
	}
}

/* ---- life cycle ------------------------------------------------------------ */

void sim_escpos_init(struct sim_escpos *e, const struct sim_escpos_config *cfg,
		     const struct sim_escpos_hooks *hooks)
{
	*e = (struct sim_escpos){.cfg = *cfg, .code_page = -1};
	if (hooks)
		e->hooks = *hooks;
	sim_render_init(&e->render, cfg->width_dots, cfg->out_dir);
	e->cfg.out_dir = NULL;
	e->cd = iconv_open("UTF-32LE", "GB18030");
	reset_modes(e);
}

void sim_escpos_finish(struct sim_escpos *e)
{
	if (sim_render_dirty(&e->render))
		sim_render_finish_page(&e->render);
	sim_render_free(&e->render);
	if (e->cd != (iconv_t)-1)
		iconv_close(e->cd);
	free(e->qr_data);
	for (int i = 0; i < SIM_ESCPOS_NV_IMAGES; i++)
		free(e->nv[i].data);
	free(e->dl.data);
	free(e->gfx.data);
	free(e->unknown_log);
	*e = (struct sim_escpos){0};
}
