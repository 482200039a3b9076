/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_idcard_text.c — the text-block decoder against the emulator's
 * independent encoder, for every layout; code tables, GB 11643, JSON
 * shape, masking, copy, and rejection of corrupt text.
 */
#include <string.h>
#include "test.h"
#include "idcard/idcard-private.h"
#include "sim_idcard.h"

static kiosk_idcard *decode_card(const char *name, struct sim_idcard_card *enc)
{
	char path[1024], err[256];
	snprintf(path, sizeof path, "%s/%s.json", sim_idcard_cards_dir(), name);
	if (sim_idcard_encode_file(path, enc, err, sizeof err) < 0) {
		fprintf(stderr, "encode %s: %s\n", name, err);
		test_failures++;
		return NULL;
	}
	kiosk_idcard *c = NULL;
	CHECK_RC(kiosk_idcard_decode_text(enc->text, &c), KIOSK_OK);
	return c;
}

static void test_resident(void)
{
	struct sim_idcard_card enc;
	kiosk_idcard *c = decode_card("resident", &enc);
	if (!c)
		return;
	CHECK_EQ_INT(kiosk_idcard_get_type(c), KIOSK_IDCARD_RESIDENT);
	CHECK_STR(kiosk_idcard_type_name(kiosk_idcard_get_type(c)), "resident");
	CHECK_STR(kiosk_idcard_get_name(c), "韩梅梅");
	CHECK_STR(kiosk_idcard_get_sex(c), "女");
	CHECK_STR(kiosk_idcard_get_sex_code(c), "2");
	CHECK_STR(kiosk_idcard_get_nation(c), "汉");
	CHECK_STR(kiosk_idcard_get_nation_code(c), "01");
	CHECK_STR(kiosk_idcard_get_birth_date(c), "1990-03-07");
	CHECK_STR(kiosk_idcard_get_address(c), "测试省样例市虚构区演示路1号模拟小区2栋3单元401室");
	CHECK_STR(kiosk_idcard_get_id_number(c), "100101199003070028");
	CHECK_EQ_INT(kiosk_idcard_get_id_number_valid(c), 1);
	CHECK_STR(kiosk_idcard_get_issuer(c), "样例市公安局虚构分局");
	CHECK_STR(kiosk_idcard_get_valid_from(c), "2020-01-01");
	CHECK_STR(kiosk_idcard_get_valid_until(c), "2040-01-01");
	CHECK(kiosk_idcard_get_english_name(c) == NULL);
	CHECK(kiosk_idcard_get_nationality(c) == NULL);
	CHECK(kiosk_idcard_get_pass_number(c) == NULL);
	CHECK(kiosk_idcard_get_photo_wlt(c, NULL) == NULL); /* text only */

	char buf[64];
	CHECK_STR(kiosk_idcard_masked_name(c, buf, sizeof buf), "韩*梅");
	CHECK_STR(kiosk_idcard_masked_id_number(c, buf, sizeof buf), "1001**********0028");

	char *json = NULL;
	CHECK_RC(kiosk_idcard_to_json(c, 0, &json), KIOSK_OK);
	CHECK_STR(json, "{\"card_type\":\"resident\",\"name\":\"韩梅梅\",\"english_name\":null,"
			"\"sex\":\"女\",\"sex_code\":\"2\",\"nation\":\"汉\",\"nation_code\":\"01\","
			"\"nationality\":null,\"birth_date\":\"1990-03-07\",\"address\":"
			"\"测试省样例市虚构区演示路1号模拟小区2栋3单元401室\",\"id_number\":"
			"\"100101199003070028\",\"id_number_valid\":true,\"issuer\":\"样例市公安局虚构分局\","
			"\"valid_from\":\"2020-01-01\",\"valid_until\":\"2040-01-01\",\"pass_number\":null,"
			"\"issue_count\":null}");
	kiosk_free(json);
	CHECK_RC(kiosk_idcard_to_json(c, KIOSK_IDCARD_JSON_MASKED, &json), KIOSK_OK);
	CHECK(json && !strstr(json, "韩梅梅") && !strstr(json, "100101199003070028") &&
	      strstr(json, "1001**********0028") && !strstr(json, "演示路"));
	kiosk_free(json);

	/* photo in JSON: base64 of the raw bytes */
	CHECK_RC(kioski_idcard_set_photo(c, (const uint8_t *)"\x01\x02\x03\x04", 4), KIOSK_OK);
	CHECK_RC(kiosk_idcard_to_json(c, KIOSK_IDCARD_JSON_PHOTO, &json), KIOSK_OK);
	CHECK(json && strstr(json, ",\"photo_wlt\":\"AQIDBA==\"}"));
	kiosk_free(json);

	kiosk_idcard *copy = kiosk_idcard_copy(c);
	CHECK(copy && copy != c);
	CHECK_STR(kiosk_idcard_get_address(copy), kiosk_idcard_get_address(c));
	CHECK(kiosk_idcard_get_address(copy) != kiosk_idcard_get_address(c));
	size_t pl = 0;
	CHECK(kiosk_idcard_get_photo_wlt(copy, &pl) && pl == 4);
	kiosk_idcard_free(copy);
	kiosk_idcard_free(c);
}

static void test_longterm(void)
{
	struct sim_idcard_card enc;
	kiosk_idcard *c = decode_card("resident-longterm", &enc);
	if (!c)
		return;
	CHECK_STR(kiosk_idcard_get_valid_until(c), "long-term");
	CHECK_STR(kiosk_idcard_get_nation(c), "维吾尔");
	CHECK_STR(kiosk_idcard_get_sex(c), "男");
	CHECK_EQ_INT(kiosk_idcard_get_id_number_valid(c), 1);
	kiosk_idcard_free(c);
}

static void test_hmt(void)
{
	struct sim_idcard_card enc;
	kiosk_idcard *c = decode_card("hk_macau_taiwan", &enc);
	if (!c)
		return;
	CHECK_EQ_INT(kiosk_idcard_get_type(c), KIOSK_IDCARD_HK_MACAU_TAIWAN);
	CHECK_STR(kiosk_idcard_type_name(kiosk_idcard_get_type(c)), "hk_macau_taiwan");
	CHECK_STR(kiosk_idcard_get_name(c), "陈样例");
	CHECK_STR(kiosk_idcard_get_sex(c), "男");
	CHECK(kiosk_idcard_get_nation(c) == NULL);
	CHECK(kiosk_idcard_get_nation_code(c) == NULL);
	CHECK_STR(kiosk_idcard_get_birth_date(c), "1988-08-12");
	CHECK_STR(kiosk_idcard_get_id_number(c), "810000198808120011");
	CHECK_EQ_INT(kiosk_idcard_get_id_number_valid(c), 1);
	CHECK_STR(kiosk_idcard_get_pass_number(c), "H00000000");
	CHECK_STR(kiosk_idcard_get_issue_count(c), "02");
	CHECK_STR(kiosk_idcard_get_valid_until(c), "2026-03-15");
	kiosk_idcard_free(c);
}

static void test_foreign2017(void)
{
	struct sim_idcard_card enc;
	kiosk_idcard *c = decode_card("foreign_permanent", &enc);
	if (!c)
		return;
	CHECK_EQ_INT(kiosk_idcard_get_type(c), KIOSK_IDCARD_FOREIGN_PERMANENT);
	CHECK_STR(kiosk_idcard_type_name(kiosk_idcard_get_type(c)), "foreign_permanent");
	CHECK_STR(kiosk_idcard_get_english_name(c), "SAMPLE, TESTCARD ALPHA");
	CHECK_STR(kiosk_idcard_get_name(c), "样卡甲");
	CHECK_STR(kiosk_idcard_get_sex(c), "男");
	CHECK_STR(kiosk_idcard_get_id_number(c), "CAN110000000001");
	CHECK_EQ_INT(kiosk_idcard_get_id_number_valid(c), -1);
	CHECK_STR(kiosk_idcard_get_nationality(c), "CAN");
	CHECK_STR(kiosk_idcard_get_birth_date(c), "1980-01-01");
	CHECK_STR(kiosk_idcard_get_valid_from(c), "2017-06-01");
	CHECK_STR(kiosk_idcard_get_card_version(c), "01");
	CHECK_STR(kiosk_idcard_get_authority_code(c), "1100");
	CHECK(kiosk_idcard_get_address(c) == NULL);
	char *json = NULL;
	CHECK_RC(kiosk_idcard_to_json(c, 0, &json), KIOSK_OK);
	CHECK(json && strstr(json, "\"id_number_valid\":null") &&
	      strstr(json, "\"card_type\":\"foreign_permanent\""));
	kiosk_free(json);
	kiosk_idcard_free(c);
}

static void test_foreign2023(void)
{
	struct sim_idcard_card enc;
	kiosk_idcard *c = decode_card("foreign_permanent_2023", &enc);
	if (!c)
		return;
	CHECK_EQ_INT(kiosk_idcard_get_type(c), KIOSK_IDCARD_FOREIGN_PERMANENT_2023);
	CHECK_STR(kiosk_idcard_type_name(kiosk_idcard_get_type(c)), "foreign_permanent_2023");
	CHECK_STR(kiosk_idcard_get_name(c), "测试样");
	CHECK_STR(kiosk_idcard_get_english_name(c), "EXAMPLE-PERSON, TESTCARD BRAVO CHARLIE DELTA");
	CHECK_STR(kiosk_idcard_get_sex(c), "女");
	CHECK_STR(kiosk_idcard_get_renewal_count(c), "00");
	CHECK_STR(kiosk_idcard_get_id_number(c), "915600198506150128");
	CHECK_EQ_INT(kiosk_idcard_get_id_number_valid(c), 1);
	CHECK_STR(kiosk_idcard_get_nationality(c), "CAN");
	CHECK_STR(kiosk_idcard_get_birth_date(c), "1985-06-15");
	CHECK_STR(kiosk_idcard_get_valid_until(c), "2033-12-01");
	kiosk_idcard_free(c);
}

static void test_checks_and_corruption(void)
{
	CHECK_EQ_INT(kioski_gb11643_valid("100101199003070028"), 1);
	CHECK_EQ_INT(kioski_gb11643_valid("100101199003070027"), 0);
	CHECK_EQ_INT(kioski_gb11643_valid("11010519491231002X"), 1); /* the standard's example */
	CHECK_EQ_INT(kioski_gb11643_valid("11010519491231002x"), 1);
	CHECK_EQ_INT(kioski_gb11643_valid("1101051949123100"), 0);
	CHECK_EQ_INT(kioski_gb11643_valid("A10105194912310021"), 0);
	CHECK(kioski_idcard_nation_name("56") && !strcmp(kioski_idcard_nation_name("56"), "基诺"));
	CHECK(kioski_idcard_nation_name("57") == NULL);
	CHECK(kioski_idcard_nation_name("98") && !strcmp(kioski_idcard_nation_name("98"), "外国血统中国籍人士"));
	CHECK(kioski_idcard_sex_name("9") && !strcmp(kioski_idcard_sex_name("9"), "未说明的性别"));
	CHECK(kioski_idcard_sex_name("3") == NULL);

	struct sim_idcard_card enc;
	char err[128];
	CHECK(sim_idcard_encode_file("resident", &enc, err, sizeof err) == 0);
	/* wrong check digit → decoded, flagged invalid */
	enc.text[122 + 17 * 2] = '7';
	kiosk_idcard *c = NULL;
	CHECK_RC(kiosk_idcard_decode_text(enc.text, &c), KIOSK_OK);
	CHECK_EQ_INT(kiosk_idcard_get_id_number_valid(c), 0);
	kiosk_idcard_free(c);
	/* an unpaired surrogate in the name → corrupt */
	enc.text[0] = 0x00;
	enc.text[1] = 0xd8;
	CHECK_RC(kiosk_idcard_decode_text(enc.text, &c), KIOSK_E_PROTOCOL);
	CHECK(c == NULL);
	/* a control character → corrupt */
	enc.text[0] = 0x07;
	enc.text[1] = 0x00;
	CHECK_RC(kiosk_idcard_decode_text(enc.text, &c), KIOSK_E_PROTOCOL);
	/* all blank → resident with no fields */
	uint8_t blank[256];
	for (int i = 0; i < 256; i += 2)
		blank[i] = ' ', blank[i + 1] = 0;
	CHECK_RC(kiosk_idcard_decode_text(blank, &c), KIOSK_OK);
	CHECK(c && kiosk_idcard_get_name(c) == NULL && kiosk_idcard_get_id_number_valid(c) == 0);
	kiosk_idcard_free(c);
	CHECK_RC(kiosk_idcard_decode_text(NULL, &c), KIOSK_E_INVALID_ARG);

	/* status table: every documented SW3 maps to its documented error */
	CHECK_RC(kiosk_idcard_status_error(0x90), KIOSK_OK);
	CHECK_RC(kiosk_idcard_status_error(0x9f), KIOSK_OK);
	CHECK_RC(kiosk_idcard_status_error(0x80), KIOSK_E_NO_CARD);
	CHECK_RC(kiosk_idcard_status_error(0x81), KIOSK_E_CARD);
	CHECK_RC(kiosk_idcard_status_error(0x41), KIOSK_E_CARD);
	CHECK_RC(kiosk_idcard_status_error(0x40), KIOSK_E_CARD);
	CHECK_RC(kiosk_idcard_status_error(0x10), KIOSK_E_CHECKSUM);
	CHECK_RC(kiosk_idcard_status_error(0x11), KIOSK_E_PROTOCOL);
	CHECK_RC(kiosk_idcard_status_error(0x21), KIOSK_E_PROTOCOL);
	CHECK_RC(kiosk_idcard_status_error(0x23), KIOSK_E_ACCESS);
	CHECK_RC(kiosk_idcard_status_error(0x60), KIOSK_E_SAM);
	CHECK_RC(kiosk_idcard_status_error(0x66), KIOSK_E_SAM);
	CHECK_RC(kiosk_idcard_status_error(0x31), KIOSK_E_SAM);
	CHECK_STR(kiosk_idcard_status_string(0x80), "no card");
	CHECK_STR(kiosk_idcard_status_string(0x42), "unknown status");
}

int main(void)
{
	test_resident();
	test_longterm();
	test_hmt();
	test_foreign2017();
	test_foreign2023();
	test_checks_and_corruption();
	return test_done("test_idcard_text");
}
