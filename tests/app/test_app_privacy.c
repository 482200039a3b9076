/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kiosk-app: masks, the salted ID hash (matches the demo store made by the
 * Python generator), constant-time compare, PIN hashes, wiping. */
#include "test.h"
#include <kiosk/privacy.h>
#include "core.h"

int main(void)
{
	char out[128];
	/* the app shows a card holder with the library's one policy (kiosk/privacy.h,
	 * tested in tests/core); the demo store below was masked by it too */
	CHECK_STR(kiosk_mask_name("韩梅梅", out, sizeof out), "韩*梅");
	CHECK_STR(kiosk_mask_id_number("100101199003070028", out, sizeof out), "1001**********0028");
	/* UTF-8 steps over libkiosk's */
	const char *u = "韩\xff";
	CHECK_EQ_INT(kapp_utf8_next(&u), 0x97E9);
	CHECK_EQ_INT(kapp_utf8_next(&u), 0xFFFD);
	CHECK(*u == 0);

	/* GB 11643 */
	CHECK(kapp_id_number_valid("100101199003070028"));
	CHECK(kapp_id_number_valid("11010519491231002X"));
	CHECK(!kapp_id_number_valid("100101199003070027"));
	CHECK(!kapp_id_number_valid("10010119900307002"));

	/* HMAC-SHA256 against an independent value (openssl dgst -sha256 -hmac key) */
	char h[65];
	CHECK_EQ_INT(kapp_id_hash("key", "the quick brown fox jumps over the lazy dog", h), KAPP_OK);
	CHECK_STR(h, "11ec517847a192f04dfe15db8deddba62a44f3e2ab2de5299918c87a2be7afcd");
	/* case-insensitive on the check letter */
	char h1[65], h2[65];
	kapp_id_hash("salt", "11010519491231002x", h1);
	kapp_id_hash("salt", "11010519491231002X", h2);
	CHECK_STR(h1, h2);
	kapp_id_hash("other", "11010519491231002X", h2);
	CHECK(strcmp(h1, h2) != 0);
	CHECK(kapp_str_ct_equal(h1, h1));
	CHECK(!kapp_str_ct_equal(h1, h2));
	CHECK(!kapp_str_ct_equal("abc", "abcd"));

	/* the demo store: the emulator's synthetic card holder finds her cases,
	 * a different (valid) number finds none */
	char err[200];
	struct kapp_backend *b = kapp_backend_local_new(KAPP_TEST_DATA, kapp_day_parse("2026-11-24"), err, sizeof err);
	CHECK(b != NULL);
	struct kapp_case **v = NULL;
	size_t n = 0;
	CHECK_EQ_INT(b->cases_by_holder(b, "100101199003070028", &v, &n, err, sizeof err), KAPP_OK);
	CHECK(n >= 3);
	for (size_t i = 0; i < n; i++) {
		CHECK_STR(v[i]->applicant, "韩*梅");
		CHECK_STR(v[i]->id_mask, "1001**********0028");
		CHECK(strstr(v[i]->id_mask, "199003") == NULL);
	}
	kapp_case_list_free(v, n);
	CHECK_EQ_INT(b->cases_by_holder(b, "11010519491231002X", &v, &n, err, sizeof err), KAPP_OK);
	CHECK_EQ_INT(n, 0);
	kapp_case_list_free(v, n);
	kapp_backend_free(b);

	/* PINs */
	/* PINs: PBKDF2-HMAC-SHA256, salted, at least 100k iterations */
	char ph[200], ph2[200];
	uint8_t salt[KAPP_PIN_SALT_BYTES] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	CHECK_EQ_INT(kapp_pin_hash("2468", salt, KAPP_PIN_MIN_ITERATIONS, ph, sizeof ph), KAPP_OK);
	CHECK(!strncmp(ph, "pbkdf2-sha256$100000$0102030405060708090a0b0c0d0e0f10$", 54));
	CHECK(kapp_pin_hash_valid(ph));
	CHECK(kapp_pin_check("2468", ph));
	CHECK(!kapp_pin_check("2469", ph));
	CHECK(!kapp_pin_check("24680", ph));
	salt[0] = 99; /* another salt, another hash */
	CHECK_EQ_INT(kapp_pin_hash("2468", salt, KAPP_PIN_MIN_ITERATIONS, ph2, sizeof ph2), KAPP_OK);
	CHECK(strcmp(ph + 54, ph2 + 54) != 0);
	CHECK(kapp_pin_hash("2468", salt, 1000, ph2, sizeof ph2) == KAPP_E_ARG); /* too fast */
	CHECK(kapp_pin_hash("24a8", salt, KAPP_PIN_MIN_ITERATIONS, ph2, sizeof ph2) == KAPP_E_ARG);
	CHECK(kapp_pin_hash("123", salt, KAPP_PIN_MIN_ITERATIONS, ph2, sizeof ph2) == KAPP_E_ARG);
	/* a weakened copy (fewer iterations written into the line) is refused */
	snprintf(ph2, sizeof ph2, "pbkdf2-sha256$1000%s", ph + strlen("pbkdf2-sha256$100000"));
	CHECK(!kapp_pin_hash_valid(ph2));
	CHECK(!kapp_pin_check("2468", ph2));
	CHECK(!kapp_pin_check("2468", "sha256$abcd$00"));
	CHECK(!kapp_pin_check("2468", "pbkdf2-sha256$nodollar"));
	CHECK(!kapp_pin_check("2468", ""));

	/* wiping */
	char *s = strdup("韩梅梅 100101199003070028");
	char *keep = s;
	kapp_wipe(s, strlen(s));
	for (size_t i = 0; i < 10; i++)
		CHECK_EQ_INT(keep[i], 0);
	free(s);
	return test_done("app_privacy");
}
