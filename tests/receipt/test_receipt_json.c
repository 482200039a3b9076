/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_receipt_json.c — the receipt JSON parser: every item kind, every error with its path,
 * and the round trip through kiosk_receipt_to_json(). */
#include <unistd.h>
#include "receipt_test_util.h"
#include "printer/receipt_private.h"
#include "core/codec.h"

static kiosk_context *ctx;

static void test_every_kind(void)
{
	uint8_t px[4] = {0, 255, 255, 0}, *png;
	size_t plen;
	CHECK_RC(kioski_png_encode_gray(2, 2, px, &png, &plen), KIOSK_OK);
	char *b64 = kioski_base64_encode(png, plen);
	free(png);
	char doc[2048];
	snprintf(doc, sizeof doc,
		"{\"profile\": \"generic-58mm\", \"items\": ["
		"{\"text\": \"标题\", \"align\": \"center\", \"bold\": true, \"size\": 2},"
		"{\"text\": \"wide\", \"width\": 3, \"height\": 1},"
		"{\"qr\": \"https://example.org/c/1\", \"module\": 5, \"ecc\": \"H\"},"
		"{\"qr\": \"x\", \"align\": \"left\"},"
		"{\"feed\": 2}, {\"rule\": true},"
		"{\"columns\": [\"左\", \"right\"], \"bold\": true},"
		"{\"image\": \"data:image/png;base64,%s\", \"align\": \"right\"},"
		"{\"cut\": \"partial\"}, {\"cut\": \"full\"}]}", b64);
	free(b64);
	kiosk_receipt *r = NULL;
	char err[256];
	int rc = kiosk_receipt_from_json(doc, &r, err, sizeof err);
	CHECK_RC(rc, KIOSK_OK);
	if (rc) {
		fprintf(stderr, "  %s\n", err);
		return;
	}
	CHECK_STR(kiosk_receipt_get_profile(r), "generic-58mm");
	CHECK_EQ_INT(kiosk_receipt_item_count(r), 10);
	static const enum kiosk_receipt_item_type want[] = {KIOSK_ITEM_TEXT, KIOSK_ITEM_TEXT, KIOSK_ITEM_QR,
		KIOSK_ITEM_QR, KIOSK_ITEM_FEED, KIOSK_ITEM_RULE, KIOSK_ITEM_COLUMNS, KIOSK_ITEM_IMAGE, KIOSK_ITEM_CUT,
		KIOSK_ITEM_CUT};
	for (size_t i = 0; i < 10; i++)
		CHECK_EQ_INT(kiosk_receipt_item_type(r, i), want[i]);
	CHECK_EQ_INT(kiosk_receipt_item_type(r, 10), 0);
	CHECK_STR(kiosk_receipt_item_text(r, 0), "标题");
	CHECK_STR(kiosk_receipt_item_text(r, 2), "https://example.org/c/1");
	CHECK_STR(kiosk_receipt_item_text(r, 6), "左");
	CHECK(kiosk_receipt_item_text(r, 4) == NULL);
	const struct kioski_receipt_item *it = r->items;
	CHECK_EQ_INT(it[0].style.align, KIOSK_ALIGN_CENTER);
	CHECK(it[0].style.bold);
	CHECK_EQ_INT(it[0].style.width, 2);
	CHECK_EQ_INT(it[0].style.height, 2);
	CHECK_EQ_INT(it[1].style.width, 3);
	CHECK_EQ_INT(it[1].style.height, 1);
	CHECK_EQ_INT(it[2].module, 5);
	CHECK_EQ_INT(it[2].ecc, 'H');
	CHECK_EQ_INT(it[3].module, 4); /* defaults */
	CHECK_EQ_INT(it[3].ecc, 'M');
	CHECK_EQ_INT(it[3].align, KIOSK_ALIGN_LEFT);
	CHECK_EQ_INT(it[4].lines, 2);
	CHECK_STR(it[6].text2, "right");
	CHECK(it[6].style.bold);
	CHECK_EQ_INT(it[7].w, 2);
	CHECK_EQ_INT(it[7].h, 2);
	CHECK(!memcmp(it[7].pixels, px, 4));
	CHECK_EQ_INT(it[7].align, KIOSK_ALIGN_RIGHT);
	CHECK(it[8].partial);
	CHECK(!it[9].partial);

	/* Round trip: to_json → from_json gives the same receipt (same bytes for every profile). */
	char *json = NULL;
	CHECK_RC(kiosk_receipt_to_json(r, &json), KIOSK_OK);
	kiosk_receipt *r2 = NULL;
	CHECK_RC(kiosk_receipt_from_json(json, &r2, err, sizeof err), KIOSK_OK);
	if (r2) {
		static const char *profiles[] = {"generic-80mm", "generic-58mm", "kiosk-80mm-gbk",
						 "legacy-80mm-raster-qr", "panel-58mm-nocut"};
		for (size_t k = 0; k < 5; k++) {
			uint8_t *a = NULL, *b = NULL;
			size_t la = 0, lb = 0;
			CHECK_RC(kiosk_receipt_render_escpos(ctx, r, profiles[k], &a, &la, NULL), KIOSK_OK);
			CHECK_RC(kiosk_receipt_render_escpos(ctx, r2, profiles[k], &b, &lb, NULL), KIOSK_OK);
			CHECK(la == lb && la > 0 && !memcmp(a, b, la));
			kiosk_free(a);
			kiosk_free(b);
		}
		char *json2 = NULL;
		CHECK_RC(kiosk_receipt_to_json(r2, &json2), KIOSK_OK);
		CHECK_STR(json2, json);
		kiosk_free(json2);
	}
	kiosk_free(json);
	kiosk_receipt_free(r2);
	kiosk_receipt_free(r);
}

struct bad {
	const char *json;
	const char *err; /* expected prefix of the message */
};

static void test_errors(void)
{
	static const struct bad cases[] = {
		{"", "$: malformed JSON at line 1 column 1"},
		{"{\"items\": [", "$: malformed JSON"},
		{"{\"items\": []} x", "$: unexpected data after the JSON document"},
		{"[]", "$: must be an object"},
		{"{}", "items: missing"},
		{"{\"items\": {}}", "items: must be an array"},
		{"{\"items\": [], \"title\": 1}", "$: unknown key \"title\""},
		{"{\"items\": [], \"items\": []}", "$: duplicate key \"items\""},
		{"{\"profile\": 7, \"items\": []}", "profile: must be a profile name"},
		{"{\"profile\": \"../x\", \"items\": []}", "profile: must be a profile name"},
		{"{\"items\": [1]}", "items[0]: must be an object"},
		{"{\"items\": [{}]}", "items[0]: needs one of text, qr, image, feed, rule, columns, cut"},
		{"{\"items\": [{\"text\": \"a\", \"qr\": \"b\"}]}", "items[0]: has both \"text\" and \"qr\""},
		{"{\"items\": [{\"text\": 5}]}", "items[0].text: must be a string"},
		{"{\"items\": [{\"text\": \"a\", \"colour\": \"red\"}]}", "items[0]: unknown key \"colour\" for a text item"},
		{"{\"items\": [{\"text\": \"a\", \"bold\": true, \"bold\": false}]}", "items[0]: duplicate key \"bold\""},
		{"{\"items\": [{\"text\": \"a\"}, {\"text\": \"a\"}, {\"text\": \"a\"}, {\"text\": \"a\", \"size\": 9}]}",
		 "items[3].size: must be an integer 1..8"},
		{"{\"items\": [{\"text\": \"a\", \"size\": 0}]}", "items[0].size: must be an integer 1..8"},
		{"{\"items\": [{\"text\": \"a\", \"size\": 1.5}]}", "items[0].size: must be an integer 1..8"},
		{"{\"items\": [{\"text\": \"a\", \"size\": \"2\"}]}", "items[0].size: must be an integer 1..8"},
		{"{\"items\": [{\"text\": \"a\", \"size\": 2, \"width\": 3}]}", "items[0]: give either size or width/height"},
		{"{\"items\": [{\"text\": \"a\", \"height\": 10}]}", "items[0].height: must be an integer 1..8"},
		{"{\"items\": [{\"text\": \"a\", \"align\": \"middle\"}]}", "items[0].align: must be \"left\", \"center\" or \"right\""},
		{"{\"items\": [{\"text\": \"a\", \"bold\": 1}]}", "items[0]: bold: must be true or false"},
		{"{\"items\": [{\"text\": \"\xff\"}]}", "items[0].text: invalid UTF-8 at byte 0"},
		{"{\"items\": [{\"text\": \"a\\ud800b\"}]}", "$: malformed JSON at line 1 column"},
		{"{\"items\": [{\"qr\": \"\"}]}", "items[0].qr: must be a non-empty string"},
		{"{\"items\": [{\"qr\": 12}]}", "items[0].qr: must be a non-empty string"},
		{"{\"items\": [{\"qr\": \"a\", \"module\": 17}]}", "items[0].module: must be an integer 1..16"},
		{"{\"items\": [{\"qr\": \"a\", \"module\": 0}]}", "items[0].module: must be an integer 1..16"},
		{"{\"items\": [{\"qr\": \"a\", \"ecc\": \"X\"}]}", "items[0]: ecc: must be \"L\", \"M\", \"Q\" or \"H\""},
		{"{\"items\": [{\"qr\": \"a\", \"ecc\": \"LM\"}]}", "items[0]: ecc: must be"},
		{"{\"items\": [{\"qr\": \"a\", \"bold\": true}]}", "items[0]: unknown key \"bold\" for a qr item"},
		{"{\"items\": [{\"feed\": -1}]}", "items[0].feed: must be an integer 0..255"},
		{"{\"items\": [{\"feed\": 256}]}", "items[0].feed: must be an integer 0..255"},
		{"{\"items\": [{\"feed\": \"2\"}]}", "items[0].feed: must be an integer 0..255"},
		{"{\"items\": [{\"rule\": false}]}", "items[0].rule: must be true"},
		{"{\"items\": [{\"rule\": true, \"align\": \"left\"}]}", "items[0]: unknown key \"align\" for a rule item"},
		{"{\"items\": [{\"columns\": [\"a\"]}]}", "items[0].columns: must be an array of two strings"},
		{"{\"items\": [{\"columns\": \"a\"}]}", "items[0].columns: must be an array of two strings"},
		{"{\"items\": [{\"columns\": [\"a\", 2]}]}", "items[0].columns[1]: must be a string"},
		{"{\"items\": [{\"columns\": [\"a\", \"b\"], \"align\": \"right\"}]}", "items[0]: unknown key \"align\" for a columns item"},
		{"{\"items\": [{\"cut\": true}]}", "items[0].cut: must be \"full\" or \"partial\""},
		{"{\"items\": [{\"cut\": \"half\"}]}", "items[0].cut: must be \"full\" or \"partial\""},
		{"{\"items\": [{\"image\": 3}]}", "items[0].image: must be a PNG file path"},
		{"{\"items\": [{\"image\": \"data:image/png;base64,!!!!\"}]}", "items[0].image: bad base64"},
		{"{\"items\": [{\"image\": \"data:image/png;base64,AAAA\"}]}", "items[0].image: not a readable PNG"},
		{"{\"items\": [{\"feed\": 1}, {\"image\": \"/nonexistent/x.png\"}]}", "items[1].image: cannot open '/nonexistent/x.png'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kiosk_receipt *r = (kiosk_receipt *)1;
		char err[256] = "unset";
		int rc = kiosk_receipt_from_json(cases[i].json, &r, err, sizeof err);
		bool want_nf = strstr(cases[i].err, "cannot open") != NULL;
		if (rc != (want_nf ? KIOSK_E_NOT_FOUND : KIOSK_E_BAD_DOCUMENT) || r != NULL ||
		    strncmp(err, cases[i].err, strlen(cases[i].err))) {
			fprintf(stderr, "case %zu %s\n  got %s \"%s\"\n  want \"%s\"\n", i, cases[i].json,
				kiosk_error_name(rc), err, cases[i].err);
			test_failures++;
		}
		CHECK(strchr(err, '\n') == NULL);
	}
	/* QR data too long for its error correction level: 1274 bytes at H (max 1273). */
	size_t n = 1274;
	char *doc = malloc(n + 64);
	strcpy(doc, "{\"items\": [{\"qr\": \"");
	memset(doc + strlen(doc), 'a', n);
	strcpy(doc + 19 + n, "\", \"ecc\": \"H\"}]}");
	kiosk_receipt *r = NULL;
	char err[256];
	CHECK_RC(kiosk_receipt_from_json(doc, &r, err, sizeof err), KIOSK_E_BAD_DOCUMENT);
	CHECK(strstr(err, "items[0].qr: 1274 bytes do not fit a QR code at error correction H (max 1273)") == err);
	/* 1273 fits */
	strcpy(doc + 19 + n - 1, "\", \"ecc\": \"H\"}]}");
	CHECK_RC(kiosk_receipt_from_json(doc, &r, err, sizeof err), KIOSK_OK);
	kiosk_receipt_free(r);
	free(doc);
	/* Small error buffers are safe and the NULL buffer is allowed. */
	char tiny[8];
	CHECK_RC(kiosk_receipt_from_json("{}", &r, tiny, sizeof tiny), KIOSK_E_BAD_DOCUMENT);
	CHECK_EQ_INT(strlen(tiny), 7);
	CHECK_RC(kiosk_receipt_from_json("{}", &r, NULL, 0), KIOSK_E_BAD_DOCUMENT);
	CHECK_RC(kiosk_receipt_from_json(NULL, &r, NULL, 0), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_from_json("{}", NULL, NULL, 0), KIOSK_E_INVALID_ARG);
	/* Too many items. */
	size_t cap = 16 + (KIOSK_RECEIPT_MAX_ITEMS + 1) * 12;
	char *many = malloc(cap), *p = many;
	p += sprintf(p, "{\"items\":[");
	for (int i = 0; i <= KIOSK_RECEIPT_MAX_ITEMS; i++)
		p += sprintf(p, "%s{\"feed\":1}", i ? "," : "");
	strcpy(p, "]}");
	CHECK_RC(kiosk_receipt_from_json(many, &r, err, sizeof err), KIOSK_E_BAD_DOCUMENT);
	CHECK(strstr(err, "items: more than 4096 items") == err);
	free(many);
}

static void test_file(void)
{
	/* kiosk_receipt_from_json_file resolves image paths against the file's folder. */
	char dir[] = "/tmp/kiosk-receipt-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[256], png[256];
	snprintf(png, sizeof png, "%s/logo.png", dir);
	uint8_t px[4 * 3] = {0, 255, 0, 255, 255, 0, 255, 0, 0, 0, 0, 0};
	uint8_t *data;
	size_t len;
	CHECK_RC(kioski_png_encode_gray(4, 3, px, &data, &len), KIOSK_OK);
	FILE *f = fopen(png, "wb");
	fwrite(data, 1, len, f);
	fclose(f);
	free(data);
	snprintf(path, sizeof path, "%s/r.json", dir);
	f = fopen(path, "w");
	fputs("{\"items\": [{\"image\": \"logo.png\"}, {\"text\": \"x\"}]}\n", f);
	fclose(f);
	kiosk_receipt *r = NULL;
	char err[256];
	CHECK_RC(kiosk_receipt_from_json_file(path, &r, err, sizeof err), KIOSK_OK);
	if (r) {
		CHECK_EQ_INT(r->items[0].w, 4);
		CHECK_EQ_INT(r->items[0].h, 3);
		CHECK(!memcmp(r->items[0].pixels, px, sizeof px));
		char *json;
		CHECK_RC(kiosk_receipt_to_json(r, &json), KIOSK_OK);
		CHECK(strstr(json, "\"image\":\"logo.png\"") != NULL);
		kiosk_free(json);
	}
	kiosk_receipt_free(r);
	CHECK_RC(kiosk_receipt_from_json_file("/nonexistent.json", &r, err, sizeof err), KIOSK_E_NOT_FOUND);
	CHECK(strstr(err, "/nonexistent.json") != NULL);
	unlink(png);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	ctx = test_context();
	test_every_kind();
	test_errors();
	test_file();
	kiosk_context_free(ctx);
	return test_done("test_receipt_json");
}
