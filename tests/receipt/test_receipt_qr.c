/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_receipt_qr.c — QR codes read back with zbar: from the PNG preview (native and raster
 * profiles) and from the raster bytes actually sent to a printer without GS ( k. Also writes
 * the demo receipt preview into the build tree. */
#include <zbar.h>
#include "receipt_test_util.h"
#include "printer/receipt_private.h"

static kiosk_context *ctx;

/* Decodes every QR symbol in an 8-bit grey image; returns how many matched `want`. */
static int zbar_count(const uint8_t *grey, int w, int h, const char *want, char *got, size_t got_len)
{
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	/* raw bytes: without ECI, zbar guesses the text encoding (and takes UTF-8 Chinese for Shift-JIS) */
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
	zbar_image_t *img = zbar_image_create();
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(img, grey, (unsigned long)w * h, NULL);
	int n = zbar_scan_image(sc, img), ok = 0;
	if (got && got_len)
		got[0] = 0;
	for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s; s = zbar_symbol_next(s)) {
		const char *d = zbar_symbol_get_data(s);
		if (got && got_len)
			snprintf(got, got_len, "%s", d);
		ok += !strcmp(d, want);
	}
	(void)n;
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(sc);
	return ok;
}

static int decode_png(const uint8_t *png, size_t len, const char *want, char *got, size_t got_len)
{
	int w, h;
	uint8_t *px;
	char err[128];
	if (kioski_png_decode_gray(png, len, &w, &h, &px, err, sizeof err)) {
		fprintf(stderr, "preview is not a PNG: %s\n", err);
		return -1;
	}
	int n = zbar_count(px, w, h, want, got, got_len);
	free(px);
	return n;
}

static void test_preview_qr(void)
{
	static const char *profiles[] = {"generic-80mm", "legacy-80mm-raster-qr", "generic-58mm", "panel-58mm-nocut"};
	static const struct {
		const char *data;
		int module;
		char ecc;
	} cases[] = {
		{"https://zwfw.example.gov.cn/case/BJ2026112400123", 4, 'M'},
		{"BJ2026112400123", 3, 'H'},
		{"办件编号 BJ2026112400123 受理", 5, 'Q'},
		{"x", 8, 'L'},
		{"12345678901234567890123456789012345678901234567890ABC:/ xyz 0099 \x01\xff", 2, 'H'},
	};
	for (size_t pi = 0; pi < 4; pi++) {
		for (size_t ci = 0; ci < sizeof cases / sizeof cases[0]; ci++) {
			kiosk_receipt *r;
			kiosk_receipt_new(&r);
			kiosk_receipt_add_text(r, "above", NULL);
			CHECK_RC(kiosk_receipt_add_qr(r, cases[ci].data, cases[ci].module, cases[ci].ecc), KIOSK_OK);
			kiosk_receipt_add_text(r, "below", NULL);
			uint8_t *png = NULL;
			size_t len = 0;
			char got[512];
			CHECK_RC(kiosk_receipt_render_png(ctx, r, profiles[pi], &png, &len), KIOSK_OK);
			int n = png ? decode_png(png, len, cases[ci].data, got, sizeof got) : -1;
			if (n != 1) {
				fprintf(stderr, "%s: QR \"%s\" decoded as \"%s\" (%d matches)\n", profiles[pi],
					cases[ci].data, got, n);
				test_failures++;
			}
			kiosk_free(png);
			kiosk_receipt_free(r);
		}
	}
}

/* Rebuilds the paper from the GS v 0 bands the encoder sends and scans it. */
static void test_raster_bytes(void)
{
	const char *data = "https://zwfw.example.gov.cn/case/BJ2026112400999?from=kiosk";
	struct kioski_printer_profile p = load_profile(ctx, "legacy-80mm-raster-qr");
	kiosk_receipt *r;
	kiosk_receipt_new(&r);
	CHECK_RC(kiosk_receipt_add_qr(r, data, 6, 'M'), KIOSK_OK);
	struct kioski_escpos_output o;
	CHECK_RC(kioski_receipt_to_escpos(r, &p, &o), KIOSK_OK);
	static struct em_result em;
	CHECK(em_run(o.data, o.len, p.width_dots, p.font_a_width, p.font_a_height, &em) == 0);
	CHECK(em.n_rasters >= 2); /* 6 × 41+ modules > 128 rows: several bands */
	int h = em.y + 40, w = p.width_dots;
	uint8_t *paper = malloc((size_t)w * h);
	memset(paper, 255, (size_t)w * h);
	for (int i = 0; i < em.n_rasters; i++) {
		const struct em_raster *R = &em.rasters[i];
		CHECK(R->rows <= p.max_raster_rows);
		for (int y = 0; y < R->rows; y++)
			for (int x = 0; x < R->width_bytes * 8; x++)
				if (R->data[(size_t)y * R->width_bytes + x / 8] & (0x80 >> (x % 8)))
					paper[(size_t)(R->y + y + 20) * w + R->x + x] = 0;
	}
	char got[512];
	CHECK_EQ_INT(zbar_count(paper, w, h, data, got, sizeof got), 1);
	free(paper);
	kioski_escpos_output_free(&o);
	kiosk_receipt_free(r);
}

/* The demo receipt: a real service-hall acceptance receipt, rendered for people to look at. */
static void test_demo(void)
{
	kiosk_receipt *r = NULL;
	char err[256], out[600];
	CHECK_RC(kiosk_receipt_from_json_file(test_source_path("tests/receipt/demo-receipt.json"), &r, err,
					      sizeof err), KIOSK_OK);
	if (!r)
		return;
	static const char *profiles[] = {"generic-80mm", "generic-58mm", "kiosk-80mm-gbk"};
	for (int i = 0; i < 3; i++) {
		snprintf(out, sizeof out, "%s/tests/receipt/demo-receipt%s%s.png", KIOSK_BINARY_DIR, i ? "-" : "",
			 i ? profiles[i] : "");
		CHECK_RC(kiosk_receipt_render_png_file(ctx, r, profiles[i], out), KIOSK_OK);
		uint8_t *png;
		size_t len;
		char msg[200];
		CHECK_RC(kioski_read_whole_file(out, 16u << 20, &png, &len, msg, sizeof msg), KIOSK_OK);
		CHECK_EQ_INT(decode_png(png, len, "https://zwfw.example.gov.cn/case/BJ2026112400123", NULL, 0), 1);
		free(png);
		printf("demo receipt (%s): %s\n", profiles[i], out);
	}
	kiosk_receipt_free(r);
}

int main(void)
{
	ctx = test_context();
	test_preview_qr();
	test_raster_bytes();
	test_demo();
	kiosk_context_free(ctx);
	return test_done("test_receipt_qr");
}
