/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_idcard_wlt.c — the WLT photo hook: without a configured vendor
 * library it fails with KIOSK_E_DECODER (libkiosk never fakes a decoder);
 * with one it calls the documented symbols (test fixtures stand in for a
 * vendor library) and converts their output.
 */
#include <stdlib.h>
#include <string.h>
#include "test.h"
#include "idcard/idcard-private.h"
#include "sim_idcard.h"

int main(void)
{
	unsetenv("KIOSK_WLT_LIBRARY");
	kiosk_context *ctx = test_context();
	struct sim_idcard_card enc;
	char err[128];
	CHECK(sim_idcard_encode_file("resident", &enc, err, sizeof err) == 0);
	kiosk_idcard *card = NULL;
	CHECK_RC(kiosk_idcard_decode_text(enc.text, &card), KIOSK_OK);
	uint8_t *bgr = NULL;
	size_t len = 0;
	int w = 0, h = 0;
	/* no photo yet */
	CHECK_RC(kiosk_idcard_decode_photo(ctx, card, &bgr, &len, &w, &h), KIOSK_E_NOT_FOUND);
	CHECK_RC(kioski_idcard_set_photo(card, enc.photo, sizeof enc.photo), KIOSK_OK);
	/* nothing configured */
	CHECK_RC(kiosk_idcard_decode_photo(ctx, card, &bgr, &len, &w, &h), KIOSK_E_DECODER);
	CHECK(bgr == NULL && strstr(kiosk_context_last_error(ctx), "KIOSK_WLT_LIBRARY"));
	/* a library that cannot be loaded, one that is not a decoder */
	CHECK_RC(kiosk_idcard_set_wlt_library(ctx, "/nonexistent/libwlt.so"), KIOSK_OK);
	CHECK_RC(kiosk_idcard_decode_photo(ctx, card, &bgr, &len, &w, &h), KIOSK_E_DECODER);
	CHECK_RC(kiosk_idcard_set_wlt_library(ctx, "libm.so.6"), KIOSK_OK);
	CHECK_RC(kiosk_idcard_decode_photo(ctx, card, &bgr, &len, &w, &h), KIOSK_E_DECODER);
	CHECK(strstr(kiosk_context_last_error(ctx), "neither") != NULL);

	/* libkiosk's plug-in symbol */
	CHECK_RC(kiosk_idcard_set_wlt_library(ctx, WLT_PLUGIN_KIOSK), KIOSK_OK);
	CHECK_RC(kiosk_idcard_decode_photo(ctx, card, &bgr, &len, &w, &h), KIOSK_OK);
	CHECK_EQ_INT(len, 102 * 126 * 3);
	CHECK(w == 102 && h == 126);
	uint8_t want0 = (uint8_t)~enc.photo[0], want1500 = (uint8_t)~enc.photo[476];
	CHECK(bgr && bgr[0] == want0 && bgr[1500] == want1500);
	kiosk_free(bgr);
	bgr = NULL;

	/* the libwlt2bmp-style unpack(), via the environment */
	CHECK_RC(kiosk_idcard_set_wlt_library(ctx, NULL), KIOSK_OK);
	setenv("KIOSK_WLT_LIBRARY", WLT_PLUGIN_UNPACK, 1);
	CHECK_RC(kiosk_idcard_decode_photo(ctx, card, &bgr, &len, &w, &h), KIOSK_OK);
	if (bgr) {
		CHECK_EQ_INT(bgr[0], 0);                                 /* top row */
		CHECK_EQ_INT(bgr[(size_t)125 * 102 * 3], 125);           /* bottom row */
		CHECK_EQ_INT(bgr[(size_t)10 * 102 * 3 + 3 * 7 + 1], 7);  /* G = x */
		CHECK_EQ_INT(bgr[(size_t)10 * 102 * 3 + 3 * 7 + 2], 0x80);
	}
	kiosk_free(bgr);
	/* the fixture refuses other input: the failure is reported, not faked */
	CHECK_RC(kioski_idcard_set_photo(card, (const uint8_t *)"not a wlt", 9), KIOSK_OK);
	CHECK_RC(kiosk_idcard_decode_photo(ctx, card, &bgr, &len, &w, &h), KIOSK_E_DECODER);
	unsetenv("KIOSK_WLT_LIBRARY");
	kiosk_idcard_free(card);
	kiosk_context_free(ctx);
	return test_done("test_idcard_wlt");
}
