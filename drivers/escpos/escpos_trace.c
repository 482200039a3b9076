/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * escpos_trace.c — what a debug trace may say about ESC/POS traffic.
 *
 * A receipt carries personal data (a name, an ID number, a case number in a
 * QR code), so a trace of printer writes shows the command structure and
 * lengths only: "ESC @, FS &, ESC a 1, text[24], LF, GS ( k store[36], …".
 * Text runs, QR/barcode data and raster images appear as their length,
 * never as bytes; only the numeric parameters of fixed-size commands
 * (alignment, sizes, feeds, cut modes) are shown. Replies from the printer
 * (status bytes) are shown in hex: they carry no personal data.
 * KIOSK_DEBUG changes how much is logged, never this.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "escpos_trace.h"

struct out {
	char *buf;
	size_t cap, len;
	bool full;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	if (o->full)
		return;
	/* keep room for the ", …" that says the description was cut short */
	size_t room = o->cap > o->len + 6 ? o->cap - o->len - 6 : 0;
	char item[64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(item, sizeof item, fmt, ap);
	va_end(ap);
	size_t need = (size_t)n + (o->len ? 2 : 0);
	if (n < 0 || need > room) {
		o->full = true;
		if (o->cap > o->len + 5) {
			memcpy(o->buf + o->len, o->len ? ", …" : "…", o->len ? 6 : 4);
			o->len += o->len ? 5 : 3;
		}
		return;
	}
	if (o->len) {
		memcpy(o->buf + o->len, ", ", 2);
		o->len += 2;
	}
	memcpy(o->buf + o->len, item, (size_t)n + 1);
	o->len += (size_t)n;
}

/* ESC x with one numeric parameter. */
static bool esc_one(uint8_t c)
{
	return c && strchr("!-23ERMJadVtpG{ ", c);
}

/* GS x with one numeric parameter. */
static bool gs_one(uint8_t c)
{
	return c && strchr("!BHfhwarbI", c);
}

static size_t text_run(const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] >= 0x20 && p[i] != 0x7F)
		i++;
	return i;
}

/* One command at p (n bytes left): describes it, returns its length (>= 1). */
static size_t one(struct out *o, const uint8_t *p, size_t n)
{
	size_t t = text_run(p, n);
	if (t) {
		put(o, "text[%zu]", t);
		return t;
	}
	uint8_t c = p[0], c1 = n > 1 ? p[1] : 0;
	switch (c) {
	case 0x0A: put(o, "LF"); return 1;
	case 0x0D: put(o, "CR"); return 1;
	case 0x09: put(o, "HT"); return 1;
	case 0x0C: put(o, "FF"); return 1;
	case 0x10: /* DLE: real-time commands */
		if (c1 == 0x04 && n >= 3) {
			put(o, "DLE EOT %u", p[2]);
			return 3;
		}
		if (c1 == 0x14 && n >= 3) {
			put(o, "DLE DC4 %u", p[2]);
			return p[2] == 8 && n >= 10 ? 10 : 3;
		}
		if (c1 == 0x05 && n >= 3) {
			put(o, "DLE ENQ %u", p[2]);
			return 3;
		}
		break;
	case 0x1B: /* ESC */
		if (n < 2)
			break;
		if (c1 == '@') {
			put(o, "ESC @");
			return 2;
		}
		if (esc_one(c1) && n >= 3) {
			put(o, "ESC %c %u", c1, p[2]);
			return 3;
		}
		if (c1 == '*' && n >= 5) { /* bit image: m nL nH data */
			size_t dots = (size_t)p[3] | (size_t)p[4] << 8;
			size_t bytes = dots * (p[2] >= 32 ? 3 : 1);
			size_t len = 5 + bytes;
			put(o, "ESC * image[%zu]", bytes);
			return len < n ? len : n;
		}
		put(o, "ESC 0x%02x", c1);
		return 2;
	case 0x1C: /* FS */
		if (c1 == '&' || c1 == '.') {
			put(o, "FS %c", c1);
			return 2;
		}
		if ((c1 == '!' || c1 == 'C' || c1 == 'W') && n >= 3) {
			put(o, "FS %c %u", c1, p[2]);
			return 3;
		}
		if (n >= 2) {
			put(o, "FS 0x%02x", c1);
			return 2;
		}
		break;
	case 0x1D: /* GS */
		if (n < 2)
			break;
		if (c1 == 'V' && n >= 3) { /* cut: m, and n for m 65/66 */
			bool has_n = p[2] == 65 || p[2] == 66;
			if (has_n && n >= 4) {
				put(o, "GS V %u %u", p[2], p[3]);
				return 4;
			}
			put(o, "GS V %u", p[2]);
			return 3;
		}
		if (c1 == 'v' && n >= 8 && p[2] == '0') { /* raster: m xL xH yL yH data */
			size_t x = (size_t)p[4] | (size_t)p[5] << 8, y = (size_t)p[6] | (size_t)p[7] << 8;
			put(o, "GS v 0 raster %zux%zu[%zu]", x * 8, y, x * y);
			size_t len = 8 + x * y;
			return len < n ? len : n;
		}
		if (c1 == '(' && n >= 5) { /* GS ( X pL pH cn fn …: data never shown */
			size_t plen = (size_t)p[3] | (size_t)p[4] << 8;
			size_t len = 5 + plen;
			if (p[2] == 'k' && plen >= 2 && n >= 7)
				put(o, "GS ( k fn %u [%zu]", p[6], plen >= 3 ? plen - 3 : 0);
			else
				put(o, "GS ( %c [%zu]", p[2] >= 0x20 && p[2] < 0x7F ? p[2] : '?', plen);
			return len < n ? len : n;
		}
		if (c1 == 'k' && n >= 3) { /* barcode: data never shown */
			uint8_t m = p[2];
			size_t len;
			if (m <= 6) {
				const uint8_t *end = memchr(p + 3, 0, n - 3);
				len = end ? (size_t)(end - p) + 1 : n;
				put(o, "GS k %u [%zu]", m, len - 3 - (end ? 1 : 0));
			} else if (n >= 4) {
				len = 4 + (size_t)p[3];
				put(o, "GS k %u [%u]", m, p[3]);
			} else {
				len = n;
				put(o, "GS k %u", m);
			}
			return len < n ? len : n;
		}
		if ((c1 == 'L' || c1 == 'W') && n >= 4) {
			put(o, "GS %c %u", c1, (unsigned)p[2] | (unsigned)p[3] << 8);
			return 4;
		}
		if (gs_one(c1) && n >= 3) {
			put(o, "GS %c %u", c1, p[2]);
			return 3;
		}
		put(o, "GS 0x%02x", c1);
		return 2;
	default:
		break;
	}
	/* a control byte on its own (or a command cut off at the end) */
	put(o, "0x%02x", c);
	return 1;
}

void kioski_escpos_trace(const uint8_t *data, size_t len, bool out_dir, char *buf, size_t buf_len)
{
	if (!buf || !buf_len)
		return;
	buf[0] = 0;
	struct out o = {.buf = buf, .cap = buf_len};
	if (!out_dir) {
		/* replies: status bytes (DLE EOT, GS r, ASB, 37 25 00) */
		for (size_t i = 0; i < len && !o.full; i++)
			put(&o, "%02x", data[i]);
		return;
	}
	for (size_t i = 0; i < len && !o.full;)
		i += one(&o, data + i, len - i);
}
