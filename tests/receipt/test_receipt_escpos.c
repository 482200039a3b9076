/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_receipt_escpos.c — exact ESC/POS bytes (docs/protocol-escpos.md) from receipts. */
#include "receipt_test_util.h"

#define B(...) {__VA_ARGS__}

static kiosk_context *ctx;

static void encode(const kiosk_receipt *r, const char *profile, struct kioski_escpos_output *out)
{
	struct kioski_printer_profile p = load_profile(ctx, profile);
	int rc = kioski_receipt_to_escpos(r, &p, out);
	if (rc) {
		fprintf(stderr, "encode failed: %s\n", out->error);
		exit(1);
	}
	/* Every stream must parse, never hold status queries, and split only at command boundaries. */
	static struct em_result em;
	if (em_run(out->data, out->len, p.width_dots, p.font_a_width, p.font_a_height, &em)) {
		fprintf(stderr, "stream does not interpret (%s): %s\n", profile, em.error);
		hexdump("stream", out->data, out->len);
		test_failures++;
	}
	CHECK_EQ_INT(em.n_status_queries, 0);
	CHECK(out->n_marks > 0);
	for (size_t i = 0; i < out->n_marks; i++) {
		CHECK(em_is_boundary(&em, out->marks[i]));
		if (i)
			CHECK(out->marks[i] > out->marks[i - 1]);
	}
	CHECK_EQ_INT(out->marks[out->n_marks - 1], out->len);
}

static void test_text_styles(void)
{
	kiosk_receipt *r;
	struct kioski_escpos_output o;
	struct kiosk_text_style st = {.size = sizeof(struct kiosk_text_style), .align = KIOSK_ALIGN_CENTER, .bold = true, .width = 2, .height = 2};
	CHECK_RC(kiosk_receipt_new(&r), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_text(r, "Hi", &st), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_text(r, "中文", NULL), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_cut(r, true), KIOSK_OK);
	encode(r, "generic-80mm", &o);
	/* ESC @, FS &, ESC 3 30; line: ESC 3 54 (24·2 + 6), ESC a 1, ESC E 1, GS ! 0x11, "Hi" LF;
	 * line: ESC 3 30, ESC a 0, ESC E 0, GS ! 0, D6D0 CEC4 LF; FS .; GS V 66 0. */
	CHECK_BYTES(o.data, o.len,
		    B(0x1B, 0x40, 0x1C, 0x26, 0x1B, 0x33, 30, 0x1B, 0x33, 54, 0x1B, 0x61, 0x01, 0x1B, 0x45,
		      0x01, 0x1D, 0x21, 0x11, 'H', 'i', 0x0A, 0x1B, 0x33, 30, 0x1B, 0x61, 0x00, 0x1B, 0x45,
		      0x00, 0x1D, 0x21, 0x00, 0xD6, 0xD0, 0xCE, 0xC4, 0x0A, 0x1C, 0x2E, 0x1D, 0x56, 0x42, 0x00));
	CHECK_EQ_INT(o.n_substitutions, 0);
	/* marks: after the prologue, after each line, after the cut */
	CHECK_EQ_INT(o.n_marks, 4);
	CHECK_EQ_INT(o.marks[0], 7);
	kioski_escpos_output_free(&o);

	/* Separate width/height: GS ! bits 4-7 width-1, 0-3 height-1. */
	kiosk_receipt_free(r);
	CHECK_RC(kiosk_receipt_new(&r), KIOSK_OK);
	struct kiosk_text_style wide = {.size = sizeof(struct kiosk_text_style), .align = KIOSK_ALIGN_RIGHT, .bold = false, .width = 3, .height = 1};
	CHECK_RC(kiosk_receipt_add_text(r, "A", &wide), KIOSK_OK);
	encode(r, "generic-58mm", &o);
	CHECK_BYTES(o.data, o.len,
		    B(0x1B, 0x40, 0x1C, 0x26, 0x1B, 0x33, 30, 0x1B, 0x61, 0x02, 0x1D, 0x21, 0x20, 'A', 0x0A,
		      0x1C, 0x2E));
	kioski_escpos_output_free(&o);
	kiosk_receipt_free(r);
}

static void test_qr_native(void)
{
	kiosk_receipt *r;
	struct kioski_escpos_output o;
	CHECK_RC(kiosk_receipt_new(&r), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_qr(r, "ABC", 4, 'Q'), KIOSK_OK);
	encode(r, "generic-80mm", &o);
	/* ESC a 1, ESC J 16 (quiet zone), model 2, size 4, ecc Q (0x32), store pL=6, print, ESC J 16 */
	CHECK_BYTES(o.data, o.len,
		    B(0x1B, 0x40, 0x1C, 0x26, 0x1B, 0x33, 30, 0x1B, 0x61, 0x01, 0x1B, 0x4A, 16, 0x1D, 0x28,
		      0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00, 0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x04,
		      0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x32, 0x1D, 0x28, 0x6B, 0x06, 0x00, 0x31, 0x50,
		      0x30, 'A', 'B', 'C', 0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30, 0x1B, 0x4A, 16,
		      0x1C, 0x2E));
	kioski_escpos_output_free(&o);
	kiosk_receipt_free(r);

	/* pL/pH for 300 bytes: 303 = 0x012F; ecc letters map to 0x30..0x33 */
	char data[301];
	memset(data, 'x', 300);
	data[300] = 0;
	const char *eccs = "LMQH";
	for (int e = 0; e < 4; e++) {
		CHECK_RC(kiosk_receipt_new(&r), KIOSK_OK);
		CHECK_RC(kiosk_receipt_add_qr(r, data, 3, eccs[e]), KIOSK_OK);
		encode(r, "generic-80mm", &o);
		static const uint8_t store[] = {0x1D, 0x28, 0x6B, 0x2F, 0x01, 0x31, 0x50, 0x30, 'x'};
		CHECK(find_bytes(o.data, o.len, store, sizeof store) > 0);
		uint8_t ecc[] = {0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, (uint8_t)(0x30 + e)};
		CHECK(find_bytes(o.data, o.len, ecc, sizeof ecc) > 0);
		kioski_escpos_output_free(&o);
		kiosk_receipt_free(r);
	}
}

static void test_qr_raster(void)
{
	kiosk_receipt *r;
	struct kioski_escpos_output o;
	CHECK_RC(kiosk_receipt_new(&r), KIOSK_OK);
	/* 84 bytes at H: version 8 (49 modules); module 6 → 294 dots, 37 bytes a row, 294 rows:
	 * bands of at most 128 rows on legacy-80mm-raster-qr → 128 + 128 + 38 */
	char data[85];
	memset(data, 'q', 84);
	data[84] = 0;
	CHECK_RC(kiosk_receipt_add_qr(r, data, 6, 'H'), KIOSK_OK);
	encode(r, "legacy-80mm-raster-qr", &o);
	static const uint8_t model[] = {0x1D, 0x28, 0x6B};
	CHECK(find_bytes(o.data, o.len, model, sizeof model) < 0); /* no GS ( k on this printer */
	static const uint8_t band1[] = {0x1D, 0x76, 0x30, 0x00, 37, 0, 128, 0};
	static const uint8_t band3[] = {0x1D, 0x76, 0x30, 0x00, 37, 0, 38, 0};
	long b1 = find_bytes(o.data, o.len, band1, sizeof band1);
	CHECK(b1 > 0);
	CHECK(find_bytes(o.data + b1 + 8 + 37 * 128, o.len - (size_t)b1 - 8 - 37 * 128, band1, sizeof band1) == 0);
	CHECK(find_bytes(o.data, o.len, band3, sizeof band3) == b1 + 2 * (8 + 37 * 128));
	/* header + 3 bands + ESC J: exact size */
	CHECK_EQ_INT(o.len, 7 + 3 + 3 + 3 * 8 + 37 * 294 + 3 + 2);
	kioski_escpos_output_free(&o);
	kiosk_receipt_free(r);
}

static void test_cut_fallback(void)
{
	kiosk_receipt *r;
	struct kioski_escpos_output o;
	CHECK_RC(kiosk_receipt_new(&r), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_cut(r, true), KIOSK_OK);
	encode(r, "generic-80mm", &o);
	CHECK_BYTES(o.data, o.len, B(0x1B, 0x40, 0x1C, 0x26, 0x1B, 0x33, 30, 0x1C, 0x2E, 0x1D, 0x56, 0x42, 0x00));
	kioski_escpos_output_free(&o);
	encode(r, "legacy-80mm-raster-qr", &o); /* full cut only */
	CHECK_BYTES(o.data, o.len, B(0x1B, 0x40, 0x1C, 0x26, 0x1B, 0x33, 30, 0x1C, 0x2E, 0x1D, 0x56, 0x41, 0x00));
	kioski_escpos_output_free(&o);
	encode(r, "panel-58mm-nocut", &o); /* no cutter: feed past the tear bar */
	CHECK_BYTES(o.data, o.len, B(0x1B, 0x40, 0x1C, 0x26, 0x1B, 0x33, 30, 0x1C, 0x2E, 0x1B, 0x64, 0x04));
	kioski_escpos_output_free(&o);
	kiosk_receipt_free(r);
	/* full cut and feed */
	CHECK_RC(kiosk_receipt_new(&r), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_feed(r, 3), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_cut(r, false), KIOSK_OK);
	encode(r, "generic-58mm", &o);
	CHECK_BYTES(o.data, o.len,
		    B(0x1B, 0x40, 0x1C, 0x26, 0x1B, 0x33, 30, 0x1B, 0x64, 0x03, 0x1C, 0x2E, 0x1D, 0x56, 0x41, 0x00));
	kioski_escpos_output_free(&o);
	kiosk_receipt_free(r);
}

static void test_substitutions(void)
{
	kiosk_receipt *r;
	struct kioski_escpos_output o;
	CHECK_RC(kiosk_receipt_new(&r), KIOSK_OK);
	/* U+20000 is GB18030 95 32 82 36 (4 bytes); a control character must never reach the printer raw. */
	CHECK_RC(kiosk_receipt_add_text(r, "a\xF0\xA0\x80\x80" "b\x1B" "c", NULL), KIOSK_OK);
	encode(r, "generic-80mm", &o);
	static const uint8_t four[] = {'a', 0x95, 0x32, 0x82, 0x36, 'b', 0xA1, 0xF5, 'c', 0x0A};
	CHECK(find_bytes(o.data, o.len, four, sizeof four) > 0);
	CHECK_EQ_INT(o.n_substitutions, 1);
	if (o.n_substitutions)
		CHECK(strstr(o.substitutions[0], "U+001B") != NULL);
	kioski_escpos_output_free(&o);

	encode(r, "kiosk-80mm-gbk", &o); /* no 4-byte support: □ (A1 F5) for both */
	static const uint8_t two[] = {'a', 0xA1, 0xF5, 'b', 0xA1, 0xF5, 'c', 0x0A};
	CHECK(find_bytes(o.data, o.len, two, sizeof two) > 0);
	CHECK_EQ_INT(o.n_substitutions, 2);
	if (o.n_substitutions == 2) {
		CHECK_STR(o.substitutions[0], "items[0]: U+20000 printed as '\xe2\x96\xa1'");
	}
	CHECK(find_bytes(o.data, o.len, "\x1B" "c", 2) < 0);
	kioski_escpos_output_free(&o);
	kiosk_receipt_free(r);

	/* A printer without a Chinese font: '?' for everything non-ASCII, no FS &. */
	struct kioski_printer_profile p;
	char err[128];
	CHECK_RC(kioski_printer_profile_parse("{\"name\":\"latin\",\"description\":\"no CJK\",\"width_dots\":384,"
					      "\"chinese\":{\"font\":false}}", &p, err, sizeof err), KIOSK_OK);
	CHECK_RC(kiosk_receipt_new(&r), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_text(r, "é中", NULL), KIOSK_OK);
	CHECK_RC(kioski_receipt_to_escpos(r, &p, &o), KIOSK_OK);
	CHECK_BYTES(o.data, o.len, B(0x1B, 0x40, 0x1B, 0x33, 30, '?', '?', 0x0A));
	CHECK_EQ_INT(o.n_substitutions, 2);
	CHECK_EQ_INT(o.n_substituted, 2);
	kioski_escpos_output_free(&o);
	kiosk_receipt_free(r);

	/* 300 unprintable characters: 256 reports and one summary, the count exact. */
	char many[300 * 4 + 1];
	for (int i = 0; i < 300; i++)
		memcpy(many + i * 4, "\xF0\x9F\x98\x80", 4); /* U+1F600: 4-byte GB18030 */
	many[1200] = 0;
	CHECK_RC(kiosk_receipt_new(&r), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_text(r, many, NULL), KIOSK_OK);
	encode(r, "kiosk-80mm-gbk", &o);
	CHECK_EQ_INT(o.n_substituted, 300);
	CHECK_EQ_INT(o.n_substitutions, 257);
	if (o.n_substitutions == 257)
		CHECK_STR(o.substitutions[256], "and 44 more characters substituted");
	kioski_escpos_output_free(&o);
	size_t n = 0;
	uint8_t *bytes = NULL;
	size_t blen = 0;
	CHECK_RC(kiosk_receipt_render_escpos(ctx, r, "kiosk-80mm-gbk", &bytes, &blen, &n), KIOSK_OK);
	CHECK_EQ_INT(n, 300);
	kiosk_free(bytes);
	kiosk_receipt_free(r);
}

static void test_image(void)
{
	kiosk_receipt *r;
	struct kioski_escpos_output o;
	/* 16x4 grey: left half black, right half white → 2 bytes/row FF 00 */
	uint8_t px[64];
	for (int i = 0; i < 64; i++)
		px[i] = (i % 16) < 8 ? 0 : 255;
	CHECK_RC(kiosk_receipt_new(&r), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_image_gray(r, 16, 4, px), KIOSK_OK);
	CHECK_RC(kiosk_receipt_set_last_align(r, KIOSK_ALIGN_LEFT), KIOSK_OK);
	encode(r, "generic-58mm", &o);
	CHECK_BYTES(o.data, o.len,
		    B(0x1B, 0x40, 0x1C, 0x26, 0x1B, 0x33, 30, 0x1D, 0x76, 0x30, 0x00, 2, 0, 4, 0, 0xFF, 0x00,
		      0xFF, 0x00, 0xFF, 0x00, 0xFF, 0x00, 0x1C, 0x2E));
	kioski_escpos_output_free(&o);
	kiosk_receipt_free(r);
	/* A 1000-px-wide image is scaled to the paper (576 dots = 72 bytes), grey dithered to ~50 % ink. */
	uint8_t *big = malloc(1000 * 500);
	memset(big, 128, 1000 * 500);
	CHECK_RC(kiosk_receipt_new(&r), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_image_gray(r, 1000, 500, big), KIOSK_OK);
	free(big);
	encode(r, "generic-80mm", &o);
	static const uint8_t hdr[] = {0x1D, 0x76, 0x30, 0x00, 72, 0, 0, 1}; /* 256-row band */
	long at = find_bytes(o.data, o.len, hdr, sizeof hdr);
	CHECK(at > 0);
	if (at > 0) {
		long ones = 0;
		for (size_t k = 0; k < 72 * 256; k++)
			ones += __builtin_popcount(o.data[at + 8 + (long)k]);
		CHECK(ones > 72 * 256 * 8 * 45 / 100 && ones < 72 * 256 * 8 * 55 / 100);
	}
	kioski_escpos_output_free(&o);
	kiosk_receipt_free(r);
}

int main(void)
{
	ctx = test_context();
	test_text_styles();
	test_qr_native();
	test_qr_raster();
	test_cut_fallback();
	test_substitutions();
	test_image();
	kiosk_context_free(ctx);
	return test_done("test_receipt_escpos");
}
