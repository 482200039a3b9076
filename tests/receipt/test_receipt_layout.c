/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_receipt_layout.c — the layout engine: wrapping (CJK by width, Latin at spaces, long
 * words broken), two-column rows, nothing past the paper edge at any size, and the same
 * lines and positions in the ESC/POS stream and in the PNG preview. */
#include "receipt_test_util.h"
#include "printer/receipt_layout.h"
#include "printer/receipt_preview.h"

static kiosk_context *ctx;
static const char *profiles[] = {"generic-58mm", "generic-80mm", "kiosk-80mm-gbk", "legacy-80mm-raster-qr",
				 "panel-58mm-nocut"};

static void line_utf8(const struct kioski_layout *l, const struct kioski_line *ln, char *out, size_t cap)
{
	size_t n = 0;
	for (size_t k = 0; k < ln->n_glyphs && n + 5 < cap; k++) {
		n += kiosk_utf8_encode(l->glyphs[ln->glyph0 + k].cp, out + n);
	}
	out[n] = 0;
}

static kiosk_receipt *one_text(const char *text, int size)
{
	kiosk_receipt *r;
	struct kiosk_text_style st = {.size = sizeof(struct kiosk_text_style), .align = KIOSK_ALIGN_LEFT, .bold = false, .width = (uint8_t)size, .height = (uint8_t)size};
	kiosk_receipt_new(&r);
	CHECK_RC(kiosk_receipt_add_text(r, text, &st), KIOSK_OK);
	return r;
}

/* Non-space code points of `s`, in order. */
static size_t nonspace(const char *s, uint32_t *out, size_t cap)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && n < cap;) {
		uint32_t cp;
		size_t k = kiosk_utf8_decode((const char *)p, 4, &cp);
		p += k ? k : 1;
		if (cp != ' ')
			out[n++] = cp;
	}
	return n;
}

static void test_wrap_never_overflows(void)
{
	static const char *texts[] = {
		"中华人民共和国居民身份证由公安机关统一制作、发放。请携带本人有效身份证件原件到窗口办理，谢谢配合！",
		"The quick brown fox jumps over the lazy dog while the service hall prints another receipt.",
		"办件编号BJ2026112400123查询网址https://zwfw.example.gov.cn/case/BJ2026112400123请保存",
		"Supercalifragilisticexpialidociousness-without-any-break-opportunity-at-all-in-it",
		"（括号）《书名》“引号”，。、；：？！……——Mixed 中English 文 text 混排 12345 ６７８",
	};
	for (size_t pi = 0; pi < 5; pi++) {
		struct kioski_printer_profile p = load_profile(ctx, profiles[pi]);
		for (int size = 1; size <= 8; size++) {
			for (size_t ti = 0; ti < sizeof texts / sizeof texts[0]; ti++) {
				kiosk_receipt *r = one_text(texts[ti], size);
				struct kioski_layout l;
				CHECK_RC(kioski_layout_build(r, &p, 0, &l), KIOSK_OK);
				uint32_t want[512], got[512];
				size_t nw = nonspace(texts[ti], want, 512), ng = 0;
				for (size_t i = 0; i < l.n_lines; i++) {
					const struct kioski_line *ln = &l.lines[i];
					CHECK(ln->x >= 0 && ln->x + ln->width <= p.width_dots);
					CHECK(ln->n_glyphs > 0);
					for (size_t k = 0; k < ln->n_glyphs; k++)
						if (l.glyphs[ln->glyph0 + k].cp != ' ' && ng < 512)
							got[ng++] = l.glyphs[ln->glyph0 + k].cp;
				}
				/* Nothing lost or reordered: only spaces at breaks may go. */
				CHECK(ng == nw && !memcmp(got, want, nw * sizeof *want));
				kioski_layout_free(&l);
				kiosk_receipt_free(r);
			}
		}
	}
}

static void test_wrap_rules(void)
{
	struct kioski_printer_profile p = load_profile(ctx, "generic-58mm"); /* 32 cells */
	struct kioski_layout l;
	char buf[1024];
	/* Latin breaks at spaces */
	const char *latin = "aaaa bbbbbbbbbb cccccccccc dddddddddd eeee ffff";
	kiosk_receipt *r = one_text(latin, 1);
	CHECK_RC(kioski_layout_build(r, &p, 0, &l), KIOSK_OK);
	CHECK_EQ_INT(l.n_lines, 2);
	line_utf8(&l, &l.lines[0], buf, sizeof buf);
	CHECK_STR(buf, "aaaa bbbbbbbbbb cccccccccc");
	line_utf8(&l, &l.lines[1], buf, sizeof buf);
	CHECK_STR(buf, "dddddddddd eeee ffff");
	kioski_layout_free(&l);
	kiosk_receipt_free(r);
	/* a long word is broken at the edge */
	char word[101];
	memset(word, 'x', 100);
	word[100] = 0;
	r = one_text(word, 1);
	CHECK_RC(kioski_layout_build(r, &p, 0, &l), KIOSK_OK);
	CHECK_EQ_INT(l.n_lines, 4);
	CHECK_EQ_INT(l.lines[0].n_glyphs, 32);
	CHECK_EQ_INT(l.lines[3].n_glyphs, 4);
	kioski_layout_free(&l);
	kiosk_receipt_free(r);
	/* spaces at a break go, and do not make a blank line of their own */
	char spaced[64];
	memset(spaced, 'y', 32);
	memset(spaced + 32, ' ', 10);
	spaced[42] = 0;
	r = one_text(spaced, 1);
	CHECK_RC(kioski_layout_build(r, &p, 0, &l), KIOSK_OK);
	CHECK_EQ_INT(l.n_lines, 1);
	kioski_layout_free(&l);
	kiosk_receipt_free(r);
	/* CJK: 16 full-width characters per 58 mm line; size 2 → 8 */
	r = one_text("一二三四五六七八九十一二三四五六七八九十", 1);
	CHECK_RC(kioski_layout_build(r, &p, 0, &l), KIOSK_OK);
	CHECK_EQ_INT(l.n_lines, 2);
	CHECK_EQ_INT(l.lines[0].n_glyphs, 16);
	CHECK_EQ_INT(l.lines[0].width, 384);
	kioski_layout_free(&l);
	kiosk_receipt_free(r);
	r = one_text("一二三四五六七八九十一二三四五六七八九十", 2);
	CHECK_RC(kioski_layout_build(r, &p, 0, &l), KIOSK_OK);
	CHECK_EQ_INT(l.n_lines, 3);
	CHECK_EQ_INT(l.lines[0].n_glyphs, 8);
	CHECK_EQ_INT(l.lines[0].advance, 54);
	CHECK_EQ_INT(l.lines[1].y, 54);
	kioski_layout_free(&l);
	kiosk_receipt_free(r);
	/* closing punctuation never starts a line: the break moves one character back */
	r = one_text("中中中中中中中中中中中中中中中中，后", 1);
	CHECK_RC(kioski_layout_build(r, &p, 0, &l), KIOSK_OK);
	CHECK_EQ_INT(l.n_lines, 2);
	CHECK_EQ_INT(l.lines[0].n_glyphs, 15);
	line_utf8(&l, &l.lines[1], buf, sizeof buf);
	CHECK_STR(buf, "中，后");
	kioski_layout_free(&l);
	kiosk_receipt_free(r);
	/* '\n' breaks, empty lines kept; alignment */
	kiosk_receipt_new(&r);
	struct kiosk_text_style c = {.size = sizeof(struct kiosk_text_style), .align = KIOSK_ALIGN_CENTER, .bold = false, .width = 1, .height = 1}, rt = {.size = sizeof(struct kiosk_text_style), .align = KIOSK_ALIGN_RIGHT, .bold = false, .width = 1, .height = 1};
	kiosk_receipt_add_text(r, "ab\n\ncd", &c);
	kiosk_receipt_add_text(r, "中", &rt);
	CHECK_RC(kioski_layout_build(r, &p, 0, &l), KIOSK_OK);
	CHECK_EQ_INT(l.n_lines, 4);
	CHECK_EQ_INT(l.lines[0].x, (384 - 24) / 2);
	CHECK_EQ_INT(l.lines[1].n_glyphs, 0);
	CHECK_EQ_INT(l.lines[3].x, 384 - 24);
	kioski_layout_free(&l);
	kiosk_receipt_free(r);
}

static void test_columns(void)
{
	struct kioski_printer_profile p = load_profile(ctx, "generic-58mm");
	struct kioski_layout l;
	char buf[1024];
	kiosk_receipt *r;
	kiosk_receipt_new(&r);
	kiosk_receipt_add_columns(r, "事项名称", "ABC", NULL);
	kiosk_receipt_add_columns(r, "城乡居民基本医疗保险参保登记和变更", "12.00", NULL);
	kiosk_receipt_add_columns(r, "左", "这一段右侧文字本身就比整行还要长所以只能换行", NULL);
	kiosk_receipt_add_columns(r, "", "R", NULL);
	CHECK_RC(kioski_layout_build(r, &p, 0, &l), KIOSK_OK);
	/* row 1: one line, right text flush with the 32nd cell */
	line_utf8(&l, &l.lines[0], buf, sizeof buf);
	CHECK_STR(buf, "事项名称                     ABC");
	CHECK_EQ_INT(l.lines[0].width, 384);
	/* row 2: 17 CJK (34 cells) wrap: 16 on the first line, the 17th with the amount */
	line_utf8(&l, &l.lines[1], buf, sizeof buf);
	CHECK_STR(buf, "城乡居民基本医疗保险参保登记和变");
	line_utf8(&l, &l.lines[2], buf, sizeof buf);
	CHECK_STR(buf, "更                         12.00");
	/* row 3: the right text is longer than a line: left on its own, right wraps right-aligned */
	line_utf8(&l, &l.lines[3], buf, sizeof buf);
	CHECK_STR(buf, "左");
	CHECK_EQ_INT(l.lines[4].align, KIOSK_ALIGN_RIGHT);
	CHECK_EQ_INT(l.lines[5].align, KIOSK_ALIGN_RIGHT);
	CHECK(l.lines[5].x + l.lines[5].width == 384);
	/* row 4: empty left */
	line_utf8(&l, &l.lines[6], buf, sizeof buf);
	CHECK_EQ_INT(strlen(buf), 32);
	CHECK_EQ_INT(buf[31], 'R');
	for (size_t i = 0; i < l.n_lines; i++)
		CHECK(l.lines[i].x + l.lines[i].width <= 384);
	kioski_layout_free(&l);
	kiosk_receipt_free(r);
}

/* The ESC/POS stream, read back as a printer would, has the layout's lines at the layout's
 * positions; the preview has ink only inside those boxes, and in each non-blank one. */
static void test_same_layout_everywhere(void)
{
	kiosk_receipt *r = NULL;
	char err[256];
	CHECK_RC(kiosk_receipt_from_json_file(test_source_path("tests/receipt/demo-receipt.json"), &r, err,
					      sizeof err), KIOSK_OK);
	if (!r) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	static struct em_result em;
	for (size_t pi = 0; pi < 5; pi++) {
		struct kioski_printer_profile p = load_profile(ctx, profiles[pi]);
		struct kioski_layout l;
		struct kioski_escpos_output o;
		CHECK_RC(kioski_layout_build(r, &p, KIOSKI_LAYOUT_QR_MATRIX, &l), KIOSK_OK);
		CHECK_RC(kioski_receipt_to_escpos(r, &p, &o), KIOSK_OK);
		if (em_run(o.data, o.len, p.width_dots, p.font_a_width, p.font_a_height, &em)) {
			fprintf(stderr, "%s: %s\n", profiles[pi], em.error);
			test_failures++;
		}
		int t = 0;
		char buf[1024];
		for (size_t i = 0; i < l.n_lines; i++) {
			const struct kioski_line *ln = &l.lines[i];
			if (ln->kind == KIOSKI_LINE_CUT)
				break;
			if (ln->kind != KIOSKI_LINE_TEXT)
				continue;
			if (t >= em.n_lines) {
				test_failures++;
				break;
			}
			const struct em_line *e = &em.lines[t++];
			line_utf8(&l, ln, buf, sizeof buf);
			if (strcmp(buf, e->utf8) || e->x != ln->x || e->width != ln->width || e->y != ln->y) {
				fprintf(stderr, "%s line %zu: layout \"%s\" x=%d w=%d y=%d, printer \"%s\" x=%d w=%d y=%d\n",
					profiles[pi], i, buf, ln->x, ln->width, ln->y, e->utf8, e->x, e->width, e->y);
				test_failures++;
			}
		}
		CHECK_EQ_INT(t, em.n_lines);
		/* the preview */
		int w, h;
		uint8_t *px;
		CHECK_RC(kioski_preview_draw(&l, &w, &h, &px), KIOSK_OK);
		CHECK_EQ_INT(w, p.width_dots);
		CHECK(h >= l.height);
		long stray = 0;
		for (int y = 0; y < h; y++) {
			for (int x = 0; x < w; x++) {
				if (px[(size_t)y * w + x] == 255)
					continue;
				bool inside = false;
				for (size_t i = 0; i < l.n_lines && !inside; i++) {
					const struct kioski_line *ln = &l.lines[i];
					int top = ln->y + (ln->kind == KIOSKI_LINE_QR ? ln->feed_dots : 0);
					int bottom = ln->kind == KIOSKI_LINE_CUT ? ln->y + ln->advance : top + ln->height;
					int right = ln->x + ln->width + (ln->bold ? 1 : 0);
					inside = y >= top && y < bottom && x >= ln->x && x < right;
				}
				stray += !inside;
			}
		}
		CHECK_EQ_INT(stray, 0);
		for (size_t i = 0; i < l.n_lines; i++) {
			const struct kioski_line *ln = &l.lines[i];
			if (ln->kind != KIOSKI_LINE_TEXT || !ln->n_glyphs)
				continue;
			long ink = 0;
			for (int y = ln->y; y < ln->y + ln->height; y++)
				for (int x = ln->x; x < ln->x + ln->width; x++)
					ink += px[(size_t)y * w + x] == 0;
			CHECK(ink > 0);
		}
		free(px);
		kioski_escpos_output_free(&o);
		kioski_layout_free(&l);
	}
	kiosk_receipt_free(r);
}

int main(void)
{
	ctx = test_context();
	test_wrap_never_overflows();
	test_wrap_rules();
	test_columns();
	test_same_layout_everywhere();
	kiosk_context_free(ctx);
	return test_done("test_receipt_layout");
}
