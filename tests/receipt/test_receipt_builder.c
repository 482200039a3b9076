/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_receipt_builder.c — the C builder: ranges, errors, ownership, images. */
#include <unistd.h>
#include <png.h>
#include "receipt_test_util.h"
#include "printer/receipt_private.h"

int main(void)
{
	kiosk_receipt *r = NULL;
	CHECK_RC(kiosk_receipt_new(NULL), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_new(&r), KIOSK_OK);
	CHECK_EQ_INT(kiosk_receipt_item_count(r), 0);
	CHECK_STR(kiosk_receipt_last_error(r), "");
	CHECK(kiosk_receipt_get_profile(r) == NULL);

	/* profile name */
	CHECK_RC(kiosk_receipt_set_profile(r, "generic-58mm"), KIOSK_OK);
	CHECK_STR(kiosk_receipt_get_profile(r), "generic-58mm");
	CHECK_RC(kiosk_receipt_set_profile(r, "a/b"), KIOSK_E_INVALID_ARG);
	CHECK_STR(kiosk_receipt_get_profile(r), "generic-58mm");
	CHECK_RC(kiosk_receipt_set_profile(r, NULL), KIOSK_OK);
	CHECK(kiosk_receipt_get_profile(r) == NULL);

	/* text */
	struct kiosk_text_style st = KIOSK_TEXT_STYLE_INIT;
	CHECK_RC(kiosk_receipt_add_text(r, "plain", NULL), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_text(r, "initial style = defaults", &st), KIOSK_OK);
	CHECK_EQ_INT(r->items[1].style.width, 1);
	CHECK_EQ_INT(r->items[1].style.height, 1);
	struct kiosk_text_style unsized = {.align = KIOSK_ALIGN_CENTER}; /* `size` not set */
	size_t before = kiosk_receipt_item_count(r);
	CHECK_RC(kiosk_receipt_add_text(r, "x", &unsized), KIOSK_E_INVALID_ARG);
	CHECK(strstr(kiosk_receipt_last_error(r), "KIOSK_TEXT_STYLE_INIT") != NULL);
	CHECK_EQ_INT(kiosk_receipt_item_count(r), before);
	/* A caller built against a later release, whose struct is longer. */
	struct {
		struct kiosk_text_style s;
		uint32_t later_field;
	} longer = {.s = KIOSK_TEXT_STYLE_INIT, .later_field = 7};
	longer.s.size = sizeof longer;
	longer.s.bold = true;
	kiosk_receipt *r2;
	CHECK_RC(kiosk_receipt_new(&r2), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_text(r2, "longer", &longer.s), KIOSK_OK);
	CHECK(r2->items[0].style.bold);
	kiosk_receipt_free(r2);
	st.width = 9;
	CHECK_RC(kiosk_receipt_add_text(r, "x", &st), KIOSK_E_INVALID_ARG);
	CHECK(strstr(kiosk_receipt_last_error(r), "size") != NULL);
	st.width = 8;
	st.height = 8;
	st.align = (enum kiosk_align)3;
	CHECK_RC(kiosk_receipt_add_text(r, "x", &st), KIOSK_E_INVALID_ARG);
	st.align = KIOSK_ALIGN_RIGHT;
	CHECK_RC(kiosk_receipt_add_text(r, "x", &st), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_text(r, NULL, NULL), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_add_text(r, "bad \xC0\x80 overlong", NULL), KIOSK_E_INVALID_ARG);
	CHECK(strstr(kiosk_receipt_last_error(r), "UTF-8") != NULL);
	CHECK_RC(kiosk_receipt_add_text(r, "\xED\xA0\x80", NULL), KIOSK_E_INVALID_ARG); /* surrogate */
	CHECK_RC(kiosk_receipt_add_text(r, "\xF4\x90\x80\x80", NULL), KIOSK_E_INVALID_ARG); /* > U+10FFFF */
	CHECK_EQ_INT(kiosk_receipt_item_count(r), 3);

	/* QR */
	CHECK_RC(kiosk_receipt_add_qr(r, "x", 0, 'M'), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_add_qr(r, "x", 17, 'M'), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_add_qr(r, "x", 4, 'm'), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_add_qr(r, "", 4, 'M'), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_add_qr(r, NULL, 4, 'M'), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_set_last_align(r, KIOSK_ALIGN_LEFT), KIOSK_E_STATE);
	CHECK_RC(kiosk_receipt_add_qr(r, "case 1", 16, 'L'), KIOSK_OK);
	CHECK_EQ_INT(r->items[3].align, KIOSK_ALIGN_CENTER);
	CHECK_RC(kiosk_receipt_set_last_align(r, KIOSK_ALIGN_RIGHT), KIOSK_OK);
	CHECK_EQ_INT(r->items[3].align, KIOSK_ALIGN_RIGHT);
	/* capacity edges from the QR tables */
	char big[2954];
	memset(big, 'a', sizeof big - 1);
	big[2953] = 0;
	CHECK_RC(kiosk_receipt_add_qr(r, big, 1, 'M'), KIOSK_E_INVALID_ARG);
	big[2331] = 0;
	CHECK_RC(kiosk_receipt_add_qr(r, big, 1, 'M'), KIOSK_OK);
	CHECK_EQ_INT(kioski_qr_version_for(17, 0), 1);
	CHECK_EQ_INT(kioski_qr_version_for(18, 0), 2);
	CHECK_EQ_INT(kioski_qr_version_for(2953, 0), 40);
	CHECK_EQ_INT(kioski_qr_version_for(2954, 0), 0);

	/* feed, rule, columns, cut */
	CHECK_RC(kiosk_receipt_add_feed(r, -1), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_add_feed(r, 256), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_add_feed(r, 0), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_rule(r), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_columns(r, "a", NULL, NULL), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_add_columns(r, "", "", NULL), KIOSK_OK);
	st.align = KIOSK_ALIGN_CENTER;
	st.bold = true;
	CHECK_RC(kiosk_receipt_add_columns(r, "合计", "¥12.00", &st), KIOSK_OK);
	CHECK_EQ_INT(r->items[r->n - 1].style.align, KIOSK_ALIGN_LEFT); /* ignored for rows */
	CHECK_STR(kiosk_receipt_item_text(r, r->n - 1), "合计");
	CHECK_RC(kiosk_receipt_add_cut(r, false), KIOSK_OK);
	CHECK_EQ_INT(kiosk_receipt_item_type(r, r->n - 1), KIOSK_ITEM_CUT);

	/* images */
	uint8_t px[6] = {0, 50, 100, 150, 200, 250};
	CHECK_RC(kiosk_receipt_add_image_gray(r, 0, 1, px), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_add_image_gray(r, 3, 2, NULL), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_add_image_gray(r, KIOSK_RECEIPT_MAX_IMAGE + 1, 1, px), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_receipt_add_image_gray(r, 3, 2, px), KIOSK_OK);
	px[0] = 99; /* copied, not borrowed */
	CHECK_EQ_INT(r->items[r->n - 1].pixels[0], 0);
	CHECK_RC(kiosk_receipt_add_image_png(r, "/nonexistent.png"), KIOSK_E_NOT_FOUND);
	CHECK(strstr(kiosk_receipt_last_error(r), "/nonexistent.png") != NULL);
	CHECK_RC(kiosk_receipt_add_image_png_data(r, "not a png", 9), KIOSK_E_BAD_DOCUMENT);
	/* An RGBA PNG with transparency is flattened onto white. */
	{
		uint8_t rgba[8] = {0, 0, 0, 255, 0, 0, 0, 0}; /* opaque black, transparent */
		png_image img;
		memset(&img, 0, sizeof img);
		img.version = PNG_IMAGE_VERSION;
		img.width = 2;
		img.height = 1;
		img.format = PNG_FORMAT_RGBA;
		uint8_t buf[512];
		png_alloc_size_t len = sizeof buf;
		CHECK(png_image_write_to_memory(&img, buf, &len, 0, rgba, 0, NULL));
		CHECK_RC(kiosk_receipt_add_image_png_data(r, buf, len), KIOSK_OK);
		const struct kioski_receipt_item *it = &r->items[r->n - 1];
		CHECK_EQ_INT(it->w, 2);
		CHECK(it->pixels[0] < 16);  /* opaque black */
		CHECK(it->pixels[1] > 240); /* transparent → white */
	}

	/* all images together are bounded */
	kiosk_receipt *imgs;
	CHECK_RC(kiosk_receipt_new(&imgs), KIOSK_OK);
	uint8_t *zero = calloc(4096, 2048);
	CHECK_RC(kiosk_receipt_add_image_gray(imgs, 4096, 2048, zero), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_image_gray(imgs, 4096, 2048, zero), KIOSK_OK);
	CHECK_RC(kiosk_receipt_add_image_gray(imgs, 1, 1, zero), KIOSK_E_OVERFLOW);
	CHECK_EQ_INT(kiosk_receipt_item_count(imgs), 2);
	free(zero);
	/* a receipt too long to preview is refused, not drawn into gigabytes */
	for (int i = 0; i < 30; i++)
		kiosk_receipt_add_feed(imgs, 255);
	kiosk_context *ctx = test_context();
	uint8_t *png = NULL;
	size_t plen = 0;
	CHECK_RC(kiosk_receipt_render_png(ctx, imgs, "generic-58mm", &png, &plen), KIOSK_E_OVERFLOW);
	CHECK(png == NULL);
	CHECK(strstr(kiosk_context_last_error(ctx), "too long to preview") != NULL);
	kiosk_context_free(ctx);
	kiosk_receipt_free(imgs);

	/* the item limit */
	kiosk_receipt *many;
	CHECK_RC(kiosk_receipt_new(&many), KIOSK_OK);
	for (int i = 0; i < KIOSK_RECEIPT_MAX_ITEMS; i++)
		if (kiosk_receipt_add_feed(many, 1))
			test_failures++;
	CHECK_RC(kiosk_receipt_add_rule(many), KIOSK_E_OVERFLOW);
	CHECK_EQ_INT(kiosk_receipt_item_count(many), KIOSK_RECEIPT_MAX_ITEMS);
	kiosk_receipt_free(many);

	/* NULL handles */
	CHECK_RC(kiosk_receipt_add_rule(NULL), KIOSK_E_INVALID_ARG);
	CHECK_EQ_INT(kiosk_receipt_item_count(NULL), 0);
	kiosk_receipt_free(NULL);
	kiosk_receipt_free(r);
	return test_done("test_receipt_builder");
}
