/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim_printer_escpos.c — the ESC/POS interpreter of the printer emulator
 * (see sim_printer_escpos.h). It reads the bytes itself (not with
 * libkiosk's encoder); QR codes are drawn with libqrencode so they scan.
 */
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim_printer_escpos.h"

/* ---- command lengths --------------------------------------------------------- */

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
			return t > SIM_ESCPOS_MAX_CMD ? SIZE_MAX : t;
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

/* ---- processing ------------------------------------------------------------ */

static void reset_modes(struct sim_escpos *e)
{
	e->chinese = false;
	e->style = (struct sim_style){.w = 1, .h = 1};
	e->render.align = 0;
	e->render.spacing = 30;
	e->mb_len = 0;
	e->qr_module = 3;
	e->qr_ecc = 1;
}

void sim_escpos_clear_line(struct sim_escpos *e)
{
	sim_render_discard_line(&e->render);
	e->mb_len = 0;
}

static void print_qr(struct sim_escpos *e)
{
	if (!e->qr_len)
		return;
	static const QRecLevel lv[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
	QRcode *q = QRcode_encodeData((int)e->qr_len, e->qr_data, 0, lv[e->qr_ecc & 3]);
	if (!q) {
		sim_render_note(&e->render, "[qr-error]\n", 11);
		return;
	}
	sim_render_matrix(&e->render, q->data, q->width, q->width, e->qr_module, e->qr_module);
	sim_render_note(&e->render, "[qr] ", 5);
	sim_render_note(&e->render, (const char *)e->qr_data, e->qr_len);
	sim_render_note(&e->render, "\n", 1);
	QRcode_free(q);
}

static void gs_paren(struct sim_escpos *e, const uint8_t *b, size_t n)
{
	if (b[2] != 'k' || n < 8 || b[5] != 49)
		return; /* only QR (cn 49) */
	uint8_t fn = b[6];
	if (fn == 67 && n >= 8 && b[7] >= 1 && b[7] <= 16)
		e->qr_module = b[7];
	else if (fn == 69 && n >= 8)
		e->qr_ecc = (b[7] - 48) & 3;
	else if (fn == 80 && n >= 8) {
		size_t len = n - 8;
		uint8_t *p = realloc(e->qr_data, len + 1);
		if (!p)
			return;
		memcpy(p, b + 8, len);
		p[len] = 0;
		e->qr_data = p;
		e->qr_len = len;
	} else if (fn == 81) {
		sim_render_flush(&e->render);
		print_qr(e);
	}
}

static void text_byte(struct sim_escpos *e, uint8_t c)
{
	if (!e->chinese || (e->mb_len == 0 && c < 0x81) || c == 0xFF) {
		e->mb_len = 0;
		sim_render_char(&e->render, c < 0x80 ? c : 0xFFFD, false, &e->style);
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
	sim_render_char(&e->render, cp, true, &e->style);
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
		sim_render_char(r, ' ', false, &e->style);
		return;
	case 0x10:
		if (n == 1)
			text_byte(e, b[0]);
		return;
	case 0x1B:
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
			e->style.bold = b[2] & 0x08;
			e->style.h = b[2] & 0x10 ? 2 : 1;
			e->style.w = b[2] & 0x20 ? 2 : 1;
			return;
		case 'd':
			sim_render_flush(r);
			for (int i = 0; i < b[2]; i++)
				sim_render_newline(r);
			return;
		case 'J':
			sim_render_flush(r);
			sim_render_feed(r, b[2]);
			return;
		case '2':
			r->spacing = 30;
			return;
		case '3':
			r->spacing = b[2] ? b[2] : 1;
			return;
		default:
			return;
		}
	case 0x1C:
		if (b[1] == '&')
			e->chinese = true;
		else if (b[1] == '.') {
			e->chinese = false;
			e->mb_len = 0;
		}
		return;
	case 0x1D:
		switch (b[1]) {
		case '!':
			e->style.w = ((b[2] >> 4) & 7) + 1;
			e->style.h = (b[2] & 7) + 1;
			return;
		case 'V':
			sim_render_finish_page(r);
			e->cuts++;
			return;
		case 'v': {
			sim_render_flush(r);
			int m = b[3] & 3, xb = b[4] | b[5] << 8, rows = b[6] | b[7] << 8;
			sim_render_bits(r, b + 8, xb, rows, (m & 1) + 1, ((m >> 1) & 1) + 1);
			char t[48];
			int k = snprintf(t, sizeof t, "[raster %dx%d]\n", xb * 8, rows);
			sim_render_note(r, t, (size_t)k);
			return;
		}
		case '(':
			gs_paren(e, b, n);
			return;
		case 'r':
			if (e->hooks.status_request)
				e->hooks.status_request(e->hooks.ctx, b[2]);
			return;
		case 'a':
			if (e->hooks.asb)
				e->hooks.asb(e->hooks.ctx, b[2]);
			return;
		default:
			return;
		}
	default:
		text_byte(e, b[0]);
	}
}

/* ---- life cycle ------------------------------------------------------------ */

void sim_escpos_init(struct sim_escpos *e, const struct sim_escpos_config *cfg,
		     const struct sim_escpos_hooks *hooks)
{
	*e = (struct sim_escpos){.cfg = *cfg};
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
	*e = (struct sim_escpos){0};
}
