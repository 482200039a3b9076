/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_receipt_barcode.c — barcode items: the builder's checks, JSON both ways, the GS k
 * bytes for a printer that has it, and the codes zbar reads back from the PNG preview and
 * from the page kiosk-sim printer prints from the bytes (native GS k and raster). */
#include <zbar.h>
#include "receipt_test_util.h"
#include "printer/receipt_private.h"
#include "sim_printer.h"

static kiosk_context *ctx;

static const struct {
	enum kiosk_barcode_symbology sym;
	const char *data, *zbar; /* what zbar reads: type and data */
} codes[] = {
	{KIOSK_BARCODE_CODE128, "BJ2026112400123", "CODE-128:BJ2026112400123"},
	{KIOSK_BARCODE_CODE128, "a{b}~ 9", "CODE-128:a{b}~ 9"},
	{KIOSK_BARCODE_CODE39, "KIOSK-39 $/+%", "CODE-39:KIOSK-39 $/+%"},
	{KIOSK_BARCODE_EAN13, "490123456789", "EAN-13:4901234567894"},
	{KIOSK_BARCODE_EAN13, "4901234567894", "EAN-13:4901234567894"},
	{KIOSK_BARCODE_ITF, "12345678", "I2/5:12345678"},
};
#define N_CODES (sizeof codes / sizeof codes[0])

/* Every symbol zbar finds in an 8-bit grey image, as "TYPE:DATA" lines. */
static void zbar_all(const uint8_t *grey, int w, int h, char *out, size_t len)
{
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 1);
	zbar_image_t *img = zbar_image_create();
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(img, grey, (unsigned long)w * h, NULL);
	zbar_scan_image(sc, img);
	size_t o = 0;
	out[0] = 0;
	for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s && o < len; s = zbar_symbol_next(s))
		o += (size_t)snprintf(out + o, len - o, "%s:%s\n", zbar_get_symbol_name(zbar_symbol_get_type(s)),
				      zbar_symbol_get_data(s));
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(sc);
}

static void zbar_png_file(const char *path, char *out, size_t len)
{
	uint8_t *png, *px;
	size_t n;
	int w, h;
	char msg[200];
	out[0] = 0;
	if (kioski_read_whole_file(path, 64u << 20, &png, &n, msg, sizeof msg) ||
	    kioski_png_decode_gray(png, n, &w, &h, &px, msg, sizeof msg)) {
		fprintf(stderr, "%s: %s\n", path, msg);
		test_failures++;
		return;
	}
	free(png);
	zbar_all(px, w, h, out, len);
	free(px);
}

static void test_builder_checks(void)
{
	kiosk_receipt *r;
	kiosk_receipt_new(&r);
	CHECK_RC(kiosk_receipt_add_barcode(r, "BJ2026", KIOSK_BARCODE_CODE128, 0, true), KIOSK_OK);
	CHECK_EQ_INT(kiosk_receipt_item_type(r, 0), KIOSK_ITEM_BARCODE);
	CHECK_STR(kiosk_receipt_item_text(r, 0), "BJ2026");
	CHECK_RC(kiosk_receipt_set_last_align(r, KIOSK_ALIGN_LEFT), KIOSK_OK);
	static const struct {
		enum kiosk_barcode_symbology sym;
		const char *data;
		int height;
		const char *why;
	} bad[] = {
		{KIOSK_BARCODE_CODE128, "", 0, "1..80"},
		{KIOSK_BARCODE_CODE128, "办件", 0, "printable ASCII"},
		{KIOSK_BARCODE_CODE39, "lower", 0, "0-9, A-Z"},
		{KIOSK_BARCODE_EAN13, "49012345678", 0, "12 digits"},
		{KIOSK_BARCODE_EAN13, "4901234567890", 0, "check digit"},
		{KIOSK_BARCODE_ITF, "123", 0, "even number"},
		{KIOSK_BARCODE_ITF, "12", 256, "height"},
		{(enum kiosk_barcode_symbology)9, "12", 0, "symbology"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_RC(kiosk_receipt_add_barcode(r, bad[i].data, bad[i].sym, bad[i].height, true),
			 KIOSK_E_INVALID_ARG);
		if (!strstr(kiosk_receipt_last_error(r), bad[i].why)) {
			fprintf(stderr, "case %zu: error \"%s\" lacks \"%s\"\n", i, kiosk_receipt_last_error(r),
				bad[i].why);
			test_failures++;
		}
	}
	CHECK_EQ_INT((int)kiosk_receipt_item_count(r), 1);
	kiosk_receipt_free(r);
}

static void test_json(void)
{
	kiosk_receipt *r = NULL;
	char err[256];
	CHECK_RC(kiosk_receipt_from_json("{\"items\": [{\"barcode\": \"BJ2026112400123\"},"
					 "{\"barcode\": \"490123456789\", \"symbology\": \"ean13\", \"height\": 60,"
					 " \"hri\": \"none\", \"align\": \"right\"}]}",
					 &r, err, sizeof err),
		 KIOSK_OK);
	char *json = NULL;
	CHECK_RC(kiosk_receipt_to_json(r, &json), KIOSK_OK);
	CHECK_STR(json, "{\"items\":[{\"barcode\":\"BJ2026112400123\",\"symbology\":\"code128\",\"height\":80,"
			"\"hri\":\"below\"},{\"barcode\":\"490123456789\",\"symbology\":\"ean13\",\"height\":60,"
			"\"hri\":\"none\",\"align\":\"right\"}]}");
	kiosk_free(json);
	kiosk_receipt_free(r);
	static const struct {
		const char *json, *err;
	} bad[] = {
		{"{\"items\": [{\"barcode\": \"x\", \"symbology\": \"qr\"}]}", "items[0]: symbology: must be"},
		{"{\"items\": [{\"barcode\": \"123\", \"symbology\": \"itf\"}]}", "items[0].barcode: ITF data must be"},
		{"{\"items\": [{\"barcode\": \"x\", \"height\": 0}]}", "items[0].height"},
		{"{\"items\": [{\"barcode\": \"x\", \"hri\": \"above\"}]}", "items[0]: hri: must be"},
		{"{\"items\": [{\"barcode\": \"x\", \"module\": 2}]}", "unknown key \"module\""},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = NULL;
		CHECK_RC(kiosk_receipt_from_json(bad[i].json, &r, err, sizeof err), KIOSK_E_BAD_DOCUMENT);
		if (!strstr(err, bad[i].err)) {
			fprintf(stderr, "%s: error \"%s\" lacks \"%s\"\n", bad[i].json, err, bad[i].err);
			test_failures++;
		}
		kiosk_receipt_free(r);
	}
}

static kiosk_receipt *all_codes(void)
{
	kiosk_receipt *r;
	kiosk_receipt_new(&r);
	kiosk_receipt_add_text(r, "条码 barcodes", NULL);
	for (size_t i = 0; i < N_CODES; i++)
		CHECK_RC(kiosk_receipt_add_barcode(r, codes[i].data, codes[i].sym, 60, i % 2 == 0), KIOSK_OK);
	kiosk_receipt_add_cut(r, false);
	return r;
}

/* What zbar reads must be exactly the codes of the receipt. */
static void check_codes(const char *where, const char *got)
{
	for (size_t i = 0; i < N_CODES; i++)
		if (!strstr(got, codes[i].zbar)) {
			fprintf(stderr, "%s: %s not read back; zbar read:\n%s", where, codes[i].zbar, got);
			test_failures++;
		}
}

static void test_gs_k_bytes(void)
{
	kiosk_receipt *r;
	kiosk_receipt_new(&r);
	kiosk_receipt_add_barcode(r, "a{b", KIOSK_BARCODE_CODE128, 50, true);
	kiosk_receipt_add_barcode(r, "490123456789", KIOSK_BARCODE_EAN13, 0, false);
	uint8_t *d;
	size_t n;
	CHECK_RC(kiosk_receipt_render_escpos(ctx, r, "generic-80mm", &d, &n, NULL), KIOSK_OK);
	static const uint8_t c128[] = {0x1D, 'h', 50, 0x1D, 'w', 2, 0x1D, 'H', 2, 0x1D, 'f', 0,
				       0x1D, 'k', 73, 6, '{', 'B', 'a', '{', '{', 'b'};
	static const uint8_t ean[] = {0x1D, 'h', 80, 0x1D, 'w', 2, 0x1D, 'H', 0, 0x1D, 'f', 0,
				      0x1D, 'k', 67, 12, '4', '9', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'};
	CHECK(find_bytes(d, n, c128, sizeof c128) > 0);
	CHECK(find_bytes(d, n, ean, sizeof ean) > 0);
	/* the HRI is the printer's: not also sent as text */
	CHECK(find_bytes(d, n, "a{b\n", 4) < 0);
	kiosk_free(d);
	/* a printer without GS k gets bars as GS v 0 and the text as text */
	CHECK_RC(kiosk_receipt_render_escpos(ctx, r, "legacy-80mm-raster-qr", &d, &n, NULL), KIOSK_OK);
	CHECK(find_bytes(d, n, "\x1dk", 2) < 0);
	CHECK(find_bytes(d, n, "\x1dv0", 3) > 0);
	CHECK(find_bytes(d, n, "a{b\n", 4) > 0);
	kiosk_free(d);
	kiosk_receipt_free(r);
}

static void test_preview_and_printed(void)
{
	static const char *profiles[] = {"generic-80mm", "legacy-80mm-raster-qr", "generic-58mm"};
	char dir[512], got[2048], where[600];
	snprintf(dir, sizeof dir, "%s/tests/receipt/barcode-pages", KIOSK_BINARY_DIR);
	for (int i = 0; i < 3; i++) {
		kiosk_receipt *r = all_codes();
		/* the preview */
		uint8_t *png, *px;
		size_t len;
		int w, h;
		char msg[128];
		CHECK_RC(kiosk_receipt_render_png(ctx, r, profiles[i], &png, &len), KIOSK_OK);
		CHECK_RC(kioski_png_decode_gray(png, len, &w, &h, &px, msg, sizeof msg), KIOSK_OK);
		zbar_all(px, w, h, got, sizeof got);
		snprintf(where, sizeof where, "%s preview", profiles[i]);
		check_codes(where, got);
		free(px);
		kiosk_free(png);
		/* the bytes, printed by the emulator */
		uint8_t *d;
		CHECK_RC(kiosk_receipt_render_escpos(ctx, r, profiles[i], &d, &len, NULL), KIOSK_OK);
		struct sim_printer_config cfg;
		sim_printer_config_init(&cfg);
		cfg.width_dots = strstr(profiles[i], "58") ? 384 : 576;
		char out[600];
		snprintf(out, sizeof out, "%s/%s", dir, profiles[i]);
		cfg.out_dir = out;
		struct sim_printer *sp;
		CHECK_RC(sim_printer_new(&cfg, &sp), 0);
		uint8_t reply[64];
		sim_printer_feed(sp, d, len, reply, sizeof reply);
		CHECK_EQ_INT(sim_printer_pages(sp), 1);
		char path[700];
		CHECK_RC(sim_printer_page_png(sp, 0, path, sizeof path), 0);
		char *unknown = sim_printer_unknown_log(sp);
		CHECK_STR(unknown, "");
		free(unknown);
		char *text = sim_printer_page_text(sp, 0);
		/* GS k where the profile has it; else the bars as a raster, the text as text */
		CHECK(text && strstr(text, i == 1 ? "[raster " : "[code128] BJ2026112400123"));
		CHECK(text && strstr(text, "BJ2026112400123"));
		free(text);
		zbar_png_file(path, got, sizeof got);
		snprintf(where, sizeof where, "%s printed", profiles[i]);
		check_codes(where, got);
		sim_printer_stop(sp);
		kiosk_free(d);
		kiosk_receipt_free(r);
	}
}

int main(void)
{
	ctx = test_context();
	test_builder_checks();
	test_json();
	test_gs_k_bytes();
	test_preview_and_printed();
	kiosk_context_free(ctx);
	return test_done("test_receipt_barcode");
}
