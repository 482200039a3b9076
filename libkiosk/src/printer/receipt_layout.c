/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* receipt_layout.c — the one layout engine shared by ESC/POS and the PNG preview. */
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qrencode.h>
#include <zint.h>
#include "driver.h"
#include "printer/receipt_layout.h"

#define MAX_SUB_REPORTS 256
#define SUBST_WIDE 0x25A1 /* □, GB18030 A1 F5 */

struct ctx {
	struct kioski_layout *l;
	const struct kioski_printer_profile *p;
	unsigned flags;
	iconv_t cd;
	int y;
	int rc;
	size_t item;
	size_t n_subst_total;
	/* scratch glyph arrays */
	struct kioski_glyph *tmp, *tmp2;
	size_t n_tmp, cap_tmp, n_tmp2, cap_tmp2;
};

static int fail(struct ctx *c, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct ctx *c, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->l->error, sizeof c->l->error, fmt, ap);
	va_end(ap);
	c->rc = rc;
	return rc;
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return KIOSK_OK;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	void *p = realloc(*arr, n * elem);
	if (!p)
		return KIOSK_E_NO_MEMORY;
	*arr = p;
	*cap = n;
	return KIOSK_OK;
}

static struct kioski_line *new_line(struct ctx *c, enum kioski_line_kind kind, int advance)
{
	struct kioski_layout *l = c->l;
	if (grow((void **)&l->lines, &l->cap_lines, l->n_lines + 1, sizeof *l->lines)) {
		fail(c, KIOSK_E_NO_MEMORY, "out of memory");
		return NULL;
	}
	struct kioski_line *ln = &l->lines[l->n_lines++];
	memset(ln, 0, sizeof *ln);
	ln->kind = kind;
	ln->item = c->item;
	ln->y = c->y;
	ln->advance = advance;
	ln->sw = ln->sh = 1;
	c->y += advance;
	return ln;
}

/* ---- characters ------------------------------------------------------------ */

/* Records a substitution. The report names the item and code point but not the
 * character itself or its neighbours: receipts carry names, and these lines are logged. */
static void report(struct ctx *c, uint32_t cp, uint32_t sub)
{
	struct kioski_layout *l = c->l;
	c->n_subst_total++;
	char buf[128];
	if (l->n_subs < MAX_SUB_REPORTS)
		snprintf(buf, sizeof buf, "items[%zu]: U+%04X printed as %s", c->item, cp,
			 sub == '?' ? "'?'" : "'\xe2\x96\xa1'");
	else
		snprintf(buf, sizeof buf, "and %zu more characters substituted", c->n_subst_total - MAX_SUB_REPORTS);
	char *str = strdup(buf);
	if (!str)
		return;
	if (l->n_subs == MAX_SUB_REPORTS + 1) {
		free(l->subs[MAX_SUB_REPORTS]);
		l->subs[MAX_SUB_REPORTS] = str;
		return;
	}
	if (grow((void **)&l->subs, &l->cap_subs, l->n_subs + 1, sizeof *l->subs)) {
		free(str);
		return;
	}
	l->subs[l->n_subs++] = str;
}

static bool is_space(const struct kioski_glyph *g)
{
	return g->cp == ' ';
}

/*
 * Encodes one character for the printer; substitutes what it cannot print.
 * `gb`/`gb_len` is its GB18030 encoding when already known (gb_len 0: ask
 * iconv here).
 */
static void encode_char(struct ctx *c, const unsigned char *s, int n, uint32_t cp, const uint8_t *gb,
			size_t gb_len, struct kioski_glyph *g)
{
	const struct kioski_printer_profile *p = c->p;
	memset(g, 0, sizeof *g);
	if (cp == '\t')
		cp = ' ';
	if (cp >= 0x20 && cp < 0x7F) {
		g->cp = cp;
		g->bytes[0] = (uint8_t)cp;
		g->n_bytes = 1;
		g->cells = 1;
		return;
	}
	bool control = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
	bool pua = (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000 || (cp & 0xFFFE) == 0xFFFE ||
		   (cp >= 0xFDD0 && cp <= 0xFDEF);
	if (!control && !pua && p->cjk_font && c->cd != (iconv_t)-1) {
		char out[8];
		size_t len = gb_len;
		if (len) {
			memcpy(out, gb, len);
		} else {
			char *in = (char *)s, *o = out;
			size_t inl = (size_t)n, outl = sizeof out;
			iconv(c->cd, NULL, NULL, NULL, NULL);
			size_t rc = iconv(c->cd, &in, &inl, &o, &outl);
			len = rc != (size_t)-1 && inl == 0 ? sizeof out - outl : 0;
		}
		if (len == 2 || (len == 4 && p->gb18030_4byte)) {
			g->cp = cp;
			memcpy(g->bytes, out, len);
			g->n_bytes = (uint8_t)len;
			g->cells = 2;
			return;
		}
	}
	/* Not printable here: a visible substitute, reported. */
	if (p->cjk_font) {
		g->cp = SUBST_WIDE;
		g->bytes[0] = 0xA1;
		g->bytes[1] = 0xF5;
		g->n_bytes = 2;
		g->cells = 2;
	} else {
		g->cp = '?';
		g->bytes[0] = '?';
		g->n_bytes = 1;
		g->cells = 1;
	}
	report(c, cp, g->cp);
}

/* Length of the GB18030 character starting at b (1, 2 or 4), 0 if truncated. */
static size_t gb_char_len(const uint8_t *b, size_t left)
{
	size_t n = b[0] < 0x80 ? 1 : left >= 2 && b[1] >= 0x30 && b[1] <= 0x39 ? 4 : 2;
	return n <= left ? n : 0;
}

/* Converts UTF-8 `s[0..len)` (valid, no '\n') into c->tmp (or tmp2). */
static int to_glyphs(struct ctx *c, const char *s, size_t len, bool second)
{
	struct kioski_glyph **arr = second ? &c->tmp2 : &c->tmp;
	size_t *n = second ? &c->n_tmp2 : &c->n_tmp, *cap = second ? &c->cap_tmp2 : &c->cap_tmp;
	*n = 0;
	if (grow((void **)arr, cap, len + 1, sizeof **arr))
		return fail(c, KIOSK_E_NO_MEMORY, "out of memory");
	const unsigned char *u = (const unsigned char *)s;
	/* One iconv call for the whole run (GB18030 maps every code point to one
	 * character, so the two sequences walk in step); per character if it fails. */
	uint8_t stack[512], *gb = NULL;
	size_t gb_len = 0;
	bool ascii = true;
	for (size_t i = 0; i < len && ascii; i++)
		ascii = u[i] < 0x80;
	if (!ascii && c->p->cjk_font && c->cd != (iconv_t)-1) {
		size_t cap_out = len * 2 + 8;
		gb = cap_out <= sizeof stack ? stack : malloc(cap_out);
		if (gb) {
			char *in = (char *)s, *o = (char *)gb;
			size_t inl = len, outl = cap_out;
			iconv(c->cd, NULL, NULL, NULL, NULL);
			if (iconv(c->cd, &in, &inl, &o, &outl) != (size_t)-1 && inl == 0)
				gb_len = cap_out - outl;
		}
	}
	size_t gi = 0;
	bool in_step = gb_len > 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int k = (int)kiosk_utf8_decode((const char *)u + i, len - i, &cp);
		if (!k) /* validated before; a stray byte still advances */
			k = 1;
		size_t cl = in_step && gi < gb_len ? gb_char_len(gb + gi, gb_len - gi) : 0;
		if (in_step && !cl)
			in_step = false;
		encode_char(c, u + i, k, cp, cl ? gb + gi : NULL, cl, &(*arr)[(*n)++]);
		gi += cl;
		i += (size_t)k;
	}
	if (gb && gb != stack) {
		kioski_wipe(gb, len * 2 + 8);
		free(gb);
	} else if (gb) {
		kioski_wipe(stack, gb_len);
	}
	return KIOSK_OK;
}

/* Characters that must not start a line (closing punctuation). */
static bool no_line_start(uint32_t cp)
{
	static const uint32_t set[] = {',', '.', ';', ':', '!', '?', ')', ']', '}', 0x3001, 0x3002, 0xFF0C,
		0xFF0E, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015,
		0x201D, 0x2019, 0x2026, 0x00B7, 0xFF3D, 0xFF5D, 0x3009};
	for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
		if (set[i] == cp)
			return true;
	return false;
}

/* Characters that must not end a line (opening punctuation). */
static bool no_line_end(uint32_t cp)
{
	static const uint32_t set[] = {'(', '[', '{', 0xFF08, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014,
		0x201C, 0x2018, 0xFF3B, 0xFF5B, 0x3008};
	for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
		if (set[i] == cp)
			return true;
	return false;
}

static bool can_break_before(const struct kioski_glyph *g, size_t i)
{
	if (is_space(&g[i - 1]))
		return !is_space(&g[i]);
	if (g[i - 1].cells == 2 || g[i].cells == 2)
		return !no_line_start(g[i].cp) && !no_line_end(g[i - 1].cp) && !is_space(&g[i]);
	return false;
}

static int width_of(const struct kioski_glyph *g, size_t a, size_t b)
{
	int w = 0;
	for (size_t i = a; i < b; i++)
		w += g[i].cells;
	return w;
}

/* Emits a text line of glyphs g[a..b) (copied). */
static struct kioski_line *emit_text(struct ctx *c, const struct kioski_glyph *g, size_t a, size_t b,
				     const struct kiosk_text_style *st, enum kiosk_align align)
{
	const struct kioski_printer_profile *p = c->p;
	struct kioski_layout *l = c->l;
	if (grow((void **)&l->glyphs, &l->cap_glyphs, l->n_glyphs + (b - a), sizeof *l->glyphs)) {
		fail(c, KIOSK_E_NO_MEMORY, "out of memory");
		return NULL;
	}
	int adv = p->line_spacing - p->font_a_height + p->font_a_height * st->height;
	struct kioski_line *ln = new_line(c, KIOSKI_LINE_TEXT, adv);
	if (!ln)
		return NULL;
	ln->glyph0 = l->n_glyphs;
	ln->n_glyphs = b - a;
	if (b > a)
		memcpy(&l->glyphs[l->n_glyphs], g + a, (b - a) * sizeof *g);
	l->n_glyphs += b - a;
	ln->bold = st->bold;
	ln->sw = st->width;
	ln->sh = st->height;
	ln->align = align;
	ln->height = p->font_a_height * st->height;
	ln->width = width_of(g, a, b) * p->font_a_width * st->width;
	ln->x = align == KIOSK_ALIGN_LEFT ? 0 :
		align == KIOSK_ALIGN_CENTER ? (p->width_dots - ln->width) / 2 : p->width_dots - ln->width;
	return ln;
}

/*
 * Greedy line breaking of g[0..n) into lines of at most `max` cells.
 * Calls emit for all lines, or for all but the last when `keep_last` (the
 * last line's range is then returned in *la, *lb).
 */
static int wrap(struct ctx *c, const struct kioski_glyph *g, size_t n, int max,
		const struct kiosk_text_style *st, enum kiosk_align align, bool keep_last, size_t *la,
		size_t *lb)
{
	size_t s = 0;
	bool continuation = false;
	for (;;) {
		if (continuation) {
			while (s < n && is_space(&g[s]))
				s++;
			if (s >= n) { /* only spaces were left after a break */
				if (keep_last)
					*la = *lb = n;
				return KIOSK_OK;
			}
		}
		int w = 0;
		size_t i = s, brk = 0;
		while (i < n) {
			if (i > s && can_break_before(g, i))
				brk = i;
			if (w + g[i].cells > max)
				break;
			w += g[i].cells;
			i++;
		}
		size_t end;
		if (i >= n)
			end = n;
		else if (brk > s)
			end = brk;
		else
			end = i > s ? i : s + 1; /* a word longer than the line is broken */
		size_t te = end;
		if (end < n)
			while (te > s && is_space(&g[te - 1]))
				te--;
		if (end >= n && keep_last) {
			*la = s;
			*lb = te;
			return KIOSK_OK;
		}
		if (!emit_text(c, g, s, te, st, align))
			return c->rc;
		if (end >= n)
			return KIOSK_OK;
		s = end;
		continuation = true;
	}
}

static int max_cells(const struct ctx *c, int sw)
{
	return c->p->width_dots / (c->p->font_a_width * sw);
}

static int layout_text(struct ctx *c, const struct kioski_receipt_item *it)
{
	const char *s = it->text;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		if (to_glyphs(c, s, len, false) ||
		    wrap(c, c->tmp, c->n_tmp, max_cells(c, it->style.width), &it->style, it->style.align, false,
			 NULL, NULL))
			return c->rc;
		if (!nl)
			return KIOSK_OK;
		s = nl + 1;
	}
}

static int spaces_line(struct ctx *c, const struct kioski_glyph *left, size_t nl, int pad,
		       const struct kioski_glyph *right, size_t nr, const struct kiosk_text_style *st)
{
	struct kioski_glyph *buf = malloc((nl + (size_t)pad + nr + 1) * sizeof *buf);
	if (!buf)
		return fail(c, KIOSK_E_NO_MEMORY, "out of memory");
	size_t k = 0;
	if (nl)
		memcpy(buf, left, nl * sizeof *buf);
	k = nl;
	for (int i = 0; i < pad; i++, k++) {
		memset(&buf[k], 0, sizeof buf[k]);
		buf[k].cp = ' ';
		buf[k].bytes[0] = ' ';
		buf[k].n_bytes = 1;
		buf[k].cells = 1;
	}
	if (nr)
		memcpy(buf + k, right, nr * sizeof *buf);
	k += nr;
	struct kioski_line *ln = emit_text(c, buf, 0, k, st, KIOSK_ALIGN_LEFT);
	kioski_wipe(buf, k * sizeof *buf);
	free(buf);
	return ln ? KIOSK_OK : c->rc;
}

static int layout_columns(struct ctx *c, const struct kioski_receipt_item *it)
{
	const struct kiosk_text_style *st = &it->style;
	int max = max_cells(c, st->width);
	/* Newlines inside a column become spaces: a row is one logical line. */
	char *l = strdup(it->text), *r = strdup(it->text2);
	if (!l || !r) {
		free(l);
		free(r);
		return fail(c, KIOSK_E_NO_MEMORY, "out of memory");
	}
	for (char *q = l; *q; q++)
		if (*q == '\n')
			*q = ' ';
	for (char *q = r; *q; q++)
		if (*q == '\n')
			*q = ' ';
	int rc = to_glyphs(c, l, strlen(l), false);
	if (!rc)
		rc = to_glyphs(c, r, strlen(r), true);
	kioski_wipe(l, strlen(l));
	kioski_wipe(r, strlen(r));
	free(l);
	free(r);
	if (rc)
		return rc;
	int wr = width_of(c->tmp2, 0, c->n_tmp2);
	if (wr > max) {
		/* The right text alone is wider than the paper: both wrap. */
		if (c->n_tmp && wrap(c, c->tmp, c->n_tmp, max, st, KIOSK_ALIGN_LEFT, false, NULL, NULL))
			return c->rc;
		return wrap(c, c->tmp2, c->n_tmp2, max, st, KIOSK_ALIGN_RIGHT, false, NULL, NULL);
	}
	size_t a = 0, b = 0;
	if (c->n_tmp && wrap(c, c->tmp, c->n_tmp, max, st, KIOSK_ALIGN_LEFT, true, &a, &b))
		return c->rc;
	int wl = width_of(c->tmp, a, b);
	if (wl + (wl && wr ? 1 : 0) + wr <= max)
		return spaces_line(c, c->tmp + a, b - a, max - wl - wr, c->tmp2, c->n_tmp2, st);
	if (!emit_text(c, c->tmp, a, b, st, KIOSK_ALIGN_LEFT))
		return c->rc;
	return spaces_line(c, NULL, 0, max - wr, c->tmp2, c->n_tmp2, st);
}

static int layout_rule(struct ctx *c)
{
	static const struct kiosk_text_style st = {.size = sizeof st, .width = 1, .height = 1};
	int n = max_cells(c, 1);
	if (grow((void **)&c->tmp, &c->cap_tmp, (size_t)n, sizeof *c->tmp))
		return fail(c, KIOSK_E_NO_MEMORY, "out of memory");
	for (int i = 0; i < n; i++) {
		memset(&c->tmp[i], 0, sizeof c->tmp[i]);
		c->tmp[i].cp = '-';
		c->tmp[i].bytes[0] = '-';
		c->tmp[i].n_bytes = 1;
		c->tmp[i].cells = 1;
	}
	return emit_text(c, c->tmp, 0, (size_t)n, &st, KIOSK_ALIGN_LEFT) ? KIOSK_OK : c->rc;
}

static int align_x(const struct ctx *c, enum kiosk_align a, int w)
{
	return a == KIOSK_ALIGN_LEFT ? 0 : a == KIOSK_ALIGN_CENTER ? (c->p->width_dots - w) / 2 :
								      c->p->width_dots - w;
}

/*
 * Splits QR data into numeric / alphanumeric / byte segments with the fewest
 * bits (dynamic programming over the three modes; costs in sixths of a bit),
 * for the count-field widths of version class `cls` (1-9, 10-26, 27-40).
 * libqrencode's own splitter keeps digits inside byte runs, which makes
 * URLs with case numbers a version larger than needed.
 */
static bool qr_alnum(unsigned char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch && strchr(" $%*+-./:", ch));
}

static QRcode *qr_encode_segmented(const unsigned char *d, size_t n, QRecLevel level, int cls)
{
	static const int count_bits[3][3] = {{8, 9, 10}, {16, 11, 12}, {16, 13, 14}}; /* [cls][mode] */
	static const int unit[3] = {48, 33, 20};                                   /* byte, alnum, numeric */
	static const QRencodeMode qm[3] = {QR_MODE_8, QR_MODE_AN, QR_MODE_NUM};
	long *cost = malloc((n + 1) * 3 * sizeof *cost);
	signed char *from = malloc((n + 1) * 3);
	QRcode *q = NULL;
	QRinput *in = NULL;
	if (!cost || !from)
		goto out;
	for (size_t i = 0; i < n; i++) {
		for (int m = 0; m < 3; m++) {
			bool ok = m == 0 || (m == 1 ? qr_alnum(d[i]) : d[i] >= '0' && d[i] <= '9');
			long best = -1;
			int bp = -1;
			for (int p = 0; p < 3 && ok; p++) {
				long c;
				if (i == 0) {
					if (p)
						break;
					c = 0;
				} else if ((c = cost[(i - 1) * 3 + p]) < 0) {
					continue;
				}
				if (i == 0 || p != m)
					c += (4 + count_bits[cls][m]) * 6;
				c += unit[m];
				if (best < 0 || c < best)
					best = c, bp = i ? p : -1;
			}
			cost[i * 3 + m] = ok ? best : -1;
			from[i * 3 + m] = (signed char)bp;
		}
	}
	int m = 0;
	for (int k = 1; k < 3; k++)
		if (cost[(n - 1) * 3 + k] >= 0 && cost[(n - 1) * 3 + k] < cost[(n - 1) * 3 + m])
			m = k;
	/* Walk back, marking each position's mode. */
	signed char *mode = (signed char *)malloc(n);
	if (!mode)
		goto out;
	for (size_t i = n; i-- > 0;) {
		mode[i] = (signed char)m;
		if (i)
			m = from[i * 3 + m];
	}
	if (!(in = QRinput_new2(0, level))) {
		free(mode);
		goto out;
	}
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && mode[j] == mode[i])
			j++;
		if (QRinput_append(in, qm[(int)mode[i]], (int)(j - i), d + i)) {
			free(mode);
			goto out;
		}
		i = j;
	}
	free(mode);
	q = QRcode_encodeInput(in);
out:
	if (in)
		QRinput_free(in);
	free(cost);
	free(from);
	return q;
}

/* The smallest symbol over the three version classes' segmentations. */
static QRcode *qr_encode_raster(const char *data, size_t n, QRecLevel level)
{
	static const int max_version[3] = {9, 26, 40};
	for (int cls = 0; cls < 3; cls++) {
		QRcode *q = qr_encode_segmented((const unsigned char *)data, n, level, cls);
		if (q && q->version <= max_version[cls])
			return q;
		if (q)
			QRcode_free(q);
	}
	return QRcode_encodeData((int)n, (const unsigned char *)data, 0, level);
}

static int layout_qr(struct ctx *c, const struct kioski_receipt_item *it)
{
	static const QRecLevel lv[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
	int ei = kioski_qr_ecc_index(it->ecc);
	int version = kioski_qr_version_for(it->text_len, ei);
	if (!version || memchr(it->text, 0, it->text_len))
		return fail(c, KIOSK_E_BAD_DOCUMENT, "items[%zu]: QR data does not fit", c->item);
	bool native = c->p->native_qr;
	QRcode *q = NULL;
	if (!native) {
		/* Our own raster: numeric/alphanumeric/byte segments chosen for the smallest symbol. */
		q = qr_encode_raster(it->text, it->text_len, lv[ei]);
	} else if (c->flags & KIOSKI_LAYOUT_QR_MATRIX) {
		/* The printer's symbol, as the preview shows it: byte mode, smallest version. */
		q = QRcode_encodeData((int)it->text_len, (const unsigned char *)it->text, version, lv[ei]);
	}
	if ((!native || (c->flags & KIOSKI_LAYOUT_QR_MATRIX)) && !q)
		return fail(c, KIOSK_E_NO_MEMORY, "items[%zu]: QR encoding failed", c->item);
	if (q)
		version = q->version;
	int modules = 17 + 4 * version, m = it->module;
	if (q && q->width != modules) {
		QRcode_free(q);
		return fail(c, KIOSK_E_BAD_DOCUMENT, "items[%zu]: QR version mismatch", c->item);
	}
	while (m > 1 && modules * m > c->p->width_dots)
		m--;
	int size = modules * m, qz = KIOSKI_QR_QUIET(m);
	struct kioski_line *ln = new_line(c, KIOSKI_LINE_QR, qz + size + qz);
	if (!ln) {
		QRcode_free(q);
		return c->rc;
	}
	ln->align = it->align;
	ln->qr_data = malloc(it->text_len + 1);
	if (!ln->qr_data) {
		QRcode_free(q);
		return fail(c, KIOSK_E_NO_MEMORY, "out of memory");
	}
	memcpy(ln->qr_data, it->text, it->text_len);
	ln->qr_data[it->text_len] = 0;
	ln->qr_len = it->text_len;
	ln->qr_ecc = it->ecc;
	ln->qr_version = version;
	ln->qr_modules = modules;
	ln->qr_module = m;
	ln->feed_dots = qz;
	ln->width = size;
	ln->height = size;
	ln->x = align_x(c, it->align, size);
	if (!q)
		return KIOSK_OK;
	ln->qr_matrix = malloc((size_t)modules * modules);
	if (ln->qr_matrix)
		for (int i = 0; i < modules * modules; i++)
			ln->qr_matrix[i] = q->data[i] & 1;
	QRcode_free(q);
	if (!ln->qr_matrix)
		return fail(c, KIOSK_E_NO_MEMORY, "out of memory");
	if (!native) {
		ln->stride = (size + 7) / 8;
		ln->rows = size;
		ln->bits = calloc((size_t)ln->stride * size, 1);
		if (!ln->bits)
			return fail(c, KIOSK_E_NO_MEMORY, "out of memory");
		for (int my = 0; my < modules; my++) {
			uint8_t *row = ln->bits + (size_t)my * m * ln->stride;
			const uint8_t *mrow = ln->qr_matrix + (size_t)my * modules;
			for (int mx = 0; mx < modules; mx++)
				if (mrow[mx])
					for (int x = mx * m; x < mx * m + m; x++)
						row[x >> 3] |= (uint8_t)(0x80 >> (x & 7));
			for (int k = 1; k < m; k++) /* the module's other rows are copies */
				memcpy(row + (size_t)k * ln->stride, row, (size_t)ln->stride);
		}
	}
	return KIOSK_OK;
}

/* A linear barcode: the bars from libzint (what a raster printer gets and the
 * preview draws), then its human-readable text as a text line. */
static int layout_barcode(struct ctx *c, const struct kioski_receipt_item *it)
{
	static const int zint_sym[] = {[KIOSK_BARCODE_CODE128] = BARCODE_CODE128,
				       [KIOSK_BARCODE_CODE39] = BARCODE_CODE39,
				       [KIOSK_BARCODE_EAN13] = BARCODE_EANX,
				       [KIOSK_BARCODE_ITF] = BARCODE_C25INTER};
	if (it->symbology < KIOSK_BARCODE_CODE128 || it->symbology > KIOSK_BARCODE_ITF)
		return fail(c, KIOSK_E_BAD_DOCUMENT, "items[%zu]: unknown symbology", c->item);
	struct zint_symbol *z = ZBarcode_Create();
	if (!z)
		return fail(c, KIOSK_E_NO_MEMORY, "out of memory");
	z->symbology = zint_sym[it->symbology];
	if (it->symbology == KIOSK_BARCODE_EAN13 && it->text_len == 13)
		z->symbology = BARCODE_EANX_CHK;
	if (ZBarcode_Encode(z, (const unsigned char *)it->text, (int)it->text_len) >= ZINT_ERROR ||
	    z->width <= 0) {
		fail(c, KIOSK_E_BAD_DOCUMENT, "items[%zu]: barcode: %s", c->item, z->errtxt);
		ZBarcode_Delete(z);
		return c->rc;
	}
	int n = z->width, m = 2;
	while (m > 1 && (n + 20) * m > c->p->width_dots)
		m--;
	if ((n + 20) * m > c->p->width_dots) {
		ZBarcode_Delete(z);
		return fail(c, KIOSK_E_BAD_DOCUMENT, "items[%zu]: barcode of %d modules is wider than the paper",
			    c->item, n);
	}
	int gap = 8, h = it->bar_height;
	struct kioski_line *ln = new_line(c, KIOSKI_LINE_BARCODE, gap + h + (it->hri ? 2 : gap));
	if (!ln) {
		ZBarcode_Delete(z);
		return c->rc;
	}
	ln->align = it->align;
	ln->bar_symbology = it->symbology;
	ln->bar_module = m;
	ln->bar_hri = it->hri;
	ln->feed_dots = gap;
	ln->width = n * m;
	ln->height = h;
	ln->x = align_x(c, it->align, ln->width);
	ln->qr_data = malloc(it->text_len + 1);
	ln->stride = (ln->width + 7) / 8;
	ln->rows = h;
	ln->bits = calloc((size_t)ln->stride * h, 1);
	if (!ln->qr_data || !ln->bits) {
		ZBarcode_Delete(z);
		return fail(c, KIOSK_E_NO_MEMORY, "out of memory");
	}
	memcpy(ln->qr_data, it->text, it->text_len + 1);
	ln->qr_len = it->text_len;
	for (int i = 0; i < n; i++)
		if ((z->encoded_data[0][i >> 3] >> (i & 7)) & 1)
			for (int x = i * m; x < i * m + m; x++)
				ln->bits[x >> 3] |= (uint8_t)(0x80 >> (x & 7));
	for (int y = 1; y < h; y++)
		memcpy(ln->bits + (size_t)y * ln->stride, ln->bits, (size_t)ln->stride);
	char hri[sizeof z->text];
	snprintf(hri, sizeof hri, "%s", z->text[0] ? (const char *)z->text : it->text);
	ZBarcode_Delete(z);
	if (!it->hri)
		return KIOSK_OK;
	/* the text, centred under the bars but kept on the paper (under
	 * right-aligned bars it may be wider than they are): a text line of its own */
	struct kioski_receipt_item t = {.type = KIOSK_ITEM_TEXT, .text = hri,
					.style = {.size = sizeof t.style, .align = KIOSK_ALIGN_CENTER,
						  .width = 1, .height = 1}};
	size_t first = c->l->n_lines;
	if (layout_text(c, &t))
		return c->rc;
	int x_mid = c->l->lines[first - 1].x + c->l->lines[first - 1].width / 2;
	for (size_t i = first; i < c->l->n_lines; i++) {
		struct kioski_line *tl = &c->l->lines[i];
		tl->item = c->item;
		tl->printer_hri = c->p->native_barcode;
		int x = x_mid - tl->width / 2, right = c->p->width_dots - tl->width;
		tl->x = x > right ? right : x;
		if (tl->x < 0)
			tl->x = 0;
	}
	return KIOSK_OK;
}

static int layout_image(struct ctx *c, const struct kioski_receipt_item *it)
{
	int W = c->p->width_dots;
	int tw = it->w < W ? it->w : W;
	int th = (int)((long long)it->h * tw / it->w);
	if (th < 1)
		th = 1;
	/* Area-average downscale into a float buffer, then Floyd–Steinberg. */
	float *f = malloc((size_t)tw * th * sizeof *f);
	if (!f)
		return fail(c, KIOSK_E_NO_MEMORY, "out of memory");
	for (int y = 0; y < th; y++) {
		int y0 = (int)((long long)y * it->h / th), y1 = (int)((long long)(y + 1) * it->h / th);
		if (y1 <= y0)
			y1 = y0 + 1;
		for (int x = 0; x < tw; x++) {
			int x0 = (int)((long long)x * it->w / tw), x1 = (int)((long long)(x + 1) * it->w / tw);
			if (x1 <= x0)
				x1 = x0 + 1;
			long sum = 0;
			for (int yy = y0; yy < y1; yy++)
				for (int xx = x0; xx < x1; xx++)
					sum += it->pixels[(size_t)yy * it->w + xx];
			f[(size_t)y * tw + x] = (float)sum / (float)((y1 - y0) * (x1 - x0));
		}
	}
	struct kioski_line *ln = new_line(c, KIOSKI_LINE_RASTER, th);
	if (!ln) {
		free(f);
		return c->rc;
	}
	ln->align = it->align;
	ln->width = tw;
	ln->height = th;
	ln->x = align_x(c, it->align, tw);
	ln->stride = (tw + 7) / 8;
	ln->rows = th;
	ln->bits = calloc((size_t)ln->stride * th, 1);
	if (!ln->bits) {
		free(f);
		return fail(c, KIOSK_E_NO_MEMORY, "out of memory");
	}
	for (int y = 0; y < th; y++) {
		for (int x = 0; x < tw; x++) {
			float old = f[(size_t)y * tw + x];
			float nv = old < 128.0f ? 0.0f : 255.0f;
			float e = old - nv;
			if (nv == 0.0f)
				ln->bits[(size_t)y * ln->stride + (x >> 3)] |= (uint8_t)(0x80 >> (x & 7));
			if (x + 1 < tw)
				f[(size_t)y * tw + x + 1] += e * 7.0f / 16.0f;
			if (y + 1 < th) {
				if (x > 0)
					f[(size_t)(y + 1) * tw + x - 1] += e * 3.0f / 16.0f;
				f[(size_t)(y + 1) * tw + x] += e * 5.0f / 16.0f;
				if (x + 1 < tw)
					f[(size_t)(y + 1) * tw + x + 1] += e * 1.0f / 16.0f;
			}
		}
	}
	free(f);
	return KIOSK_OK;
}

int kioski_layout_build(const kiosk_receipt *r, const struct kioski_printer_profile *p, unsigned flags,
			struct kioski_layout *out)
{
	memset(out, 0, sizeof *out);
	if (!r || !p || p->width_dots < 16 * p->font_a_width || p->font_a_width < 1)
		return KIOSK_E_INVALID_ARG;
	out->profile = p;
	struct ctx c = {.l = out, .p = p, .flags = flags};
	c.cd = p->cjk_font ? iconv_open("GB18030", "UTF-8") : (iconv_t)-1;
	if (p->cjk_font && c.cd == (iconv_t)-1) {
		/* No GB18030 converter installed: every non-ASCII character is substituted. */
	}
	for (size_t i = 0; i < r->n && !c.rc; i++) {
		const struct kioski_receipt_item *it = &r->items[i];
		c.item = i;
		switch (it->type) {
		case KIOSK_ITEM_TEXT:
			layout_text(&c, it);
			break;
		case KIOSK_ITEM_COLUMNS:
			layout_columns(&c, it);
			break;
		case KIOSK_ITEM_RULE:
			layout_rule(&c);
			break;
		case KIOSK_ITEM_QR:
			layout_qr(&c, it);
			break;
		case KIOSK_ITEM_IMAGE:
			layout_image(&c, it);
			break;
		case KIOSK_ITEM_BARCODE:
			layout_barcode(&c, it);
			break;
		case KIOSK_ITEM_FEED:
			if (it->lines > 0) {
				struct kioski_line *ln = new_line(&c, KIOSKI_LINE_FEED, it->lines * p->line_spacing);
				if (ln)
					ln->feed_lines = it->lines;
			}
			break;
		case KIOSK_ITEM_CUT: {
			struct kioski_line *ln = new_line(&c, KIOSKI_LINE_CUT, 3 * p->line_spacing);
			if (ln) {
				ln->partial = it->partial;
				ln->width = p->width_dots;
			}
			break;
		}
		}
	}
	if (c.cd != (iconv_t)-1)
		iconv_close(c.cd);
	if (c.tmp)
		kioski_wipe(c.tmp, c.cap_tmp * sizeof *c.tmp);
	if (c.tmp2)
		kioski_wipe(c.tmp2, c.cap_tmp2 * sizeof *c.tmp2);
	free(c.tmp);
	free(c.tmp2);
	out->height = c.y;
	out->n_substituted = c.n_subst_total;
	if (c.rc) {
		char msg[sizeof out->error];
		memcpy(msg, out->error, sizeof msg);
		kioski_layout_free(out);
		memcpy(out->error, msg, sizeof msg);
		return c.rc;
	}
	return KIOSK_OK;
}

void kioski_layout_free(struct kioski_layout *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n_lines; i++) {
		struct kioski_line *ln = &l->lines[i];
		if (ln->qr_data)
			kioski_wipe(ln->qr_data, ln->qr_len);
		free(ln->qr_data);
		free(ln->qr_matrix);
		free(ln->bits);
	}
	free(l->lines);
	if (l->glyphs)
		kioski_wipe(l->glyphs, l->n_glyphs * sizeof *l->glyphs);
	free(l->glyphs);
	for (size_t i = 0; i < l->n_subs; i++)
		free(l->subs[i]);
	free(l->subs);
	memset(l, 0, sizeof *l);
}
