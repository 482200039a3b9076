/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Error names, masking, hex dumps, logging levels and the KIOSK_DEBUG override. */
#include <stdlib.h>
#include "test.h"
#include "driver.h"
#include "core/codec.h"

static int log_calls;
static char last_msg[512];

static void sink(kiosk_context *ctx, enum kiosk_log_level level, const char *component,
		 const char *msg, void *user)
{
	log_calls++;
	snprintf(last_msg, sizeof last_msg, "%s:%s", component, msg);
}

int main(void)
{
	/* Every code has a distinct name and a description. */
	for (int e = 0; e >= KIOSK_E_DECODER; e--) {
		CHECK(strncmp(kiosk_error_name(e), "KIOSK_", 6) == 0);
		CHECK(strcmp(kiosk_error_name(e), "KIOSK_E_UNKNOWN") != 0);
		CHECK(strlen(kiosk_strerror(e)) > 3);
		for (int f = e + 1; f <= 0; f++)
			CHECK(strcmp(kiosk_error_name(e), kiosk_error_name(f)) != 0);
	}
	CHECK_STR(kiosk_error_name(KIOSK_E_TIMEOUT), "KIOSK_E_TIMEOUT");
	CHECK_STR(kiosk_error_name(-999), "KIOSK_E_UNKNOWN");
	CHECK_STR(kiosk_strerror(-999), "Unknown error");
	CHECK(kiosk_version()[0] >= '0');

	char out[64];
	kiosk_mask_id_number("210102199001010026", out, sizeof out);
	CHECK_STR(out, "2101**********0026");
	kiosk_mask_id_number("12345", out, sizeof out);
	CHECK_STR(out, "***45");
	kiosk_mask_id_number(NULL, out, sizeof out);
	CHECK_STR(out, "");
	kiosk_mask_name("韩梅梅", out, sizeof out);
	CHECK_STR(out, "韩*梅");
	kiosk_mask_name("张三", out, sizeof out);
	CHECK_STR(out, "张*");
	kiosk_mask_name("欧阳娜娜", out, sizeof out);
	CHECK_STR(out, "欧*娜");
	kiosk_mask_name("Li Lei", out, sizeof out);
	CHECK_STR(out, "L*****");
	/* A name of more than 128 characters is masked to its very end. */
	char longname[4 * 140] = "王";
	for (int i = 0; i < 127; i++)
		strcat(longname, "某");
	strcat(longname, "秘密泄露");
	kiosk_mask_name(longname, out, sizeof out);
	CHECK_STR(out, "王*露");
	char tiny[4];
	kiosk_mask_name("韩梅梅", tiny, sizeof tiny);
	CHECK_STR(tiny, "韩");
	/* the contract of kiosk/privacy.h */
	CHECK_STR(kiosk_mask_id_number("100101199001010028", out, sizeof out), "1001**********0028");
	CHECK_STR(kiosk_mask_name("李", out, sizeof out), "李*");
	CHECK_STR(kiosk_mask_name("A", out, sizeof out), "A*");
	CHECK_STR(kiosk_mask_name("", out, sizeof out), "");
	CHECK_STR(kiosk_mask_name(NULL, out, sizeof out), "");
	CHECK_STR(kiosk_mask_name("\xff\xfe\xfd", out, sizeof out), "\xff*\xfd");
	CHECK_STR(kiosk_mask_address("北京市东城区景山前街4号", out, sizeof out), "北京***");
	CHECK_STR(kiosk_mask_address("A", out, sizeof out), "A***");
	CHECK_STR(kiosk_mask_address(NULL, out, sizeof out), "");
	char six[6];
	CHECK_STR(kiosk_mask_address("北京市", six, sizeof six), "");
	/* the UTF-8 steps behind them */
	uint32_t cp;
	CHECK_EQ_INT(kiosk_utf8_decode("韩", 3, &cp), 3);
	CHECK_EQ_INT(cp, 0x97E9);
	CHECK_EQ_INT(kiosk_utf8_decode("\xe9\x9f", 2, &cp), 0); /* cut off */
	CHECK_EQ_INT(cp, 0xFFFD);
	CHECK_EQ_INT(kiosk_utf8_decode("\xc0\x80", 2, &cp), 0); /* overlong */
	CHECK_EQ_INT(kiosk_utf8_decode("\xed\xa0\x80", 3, &cp), 0); /* surrogate */
	char enc[4];
	CHECK_EQ_INT(kiosk_utf8_encode(0x20000, enc), 4);
	CHECK(!memcmp(enc, "\xf0\xa0\x80\x80", 4));
	CHECK_EQ_INT(kiosk_utf8_encode(0xD800, enc), 0);
	CHECK_EQ_INT(kiosk_utf8_invalid_at("ok\xe9\x9f", 4), 2);
	CHECK_EQ_INT(kiosk_utf8_invalid_at("韩梅梅", strlen("韩梅梅")), -1);
	/* base64: padded, strict */
	char *b64 = kioski_base64_encode((const uint8_t *)"kiosk", 5);
	CHECK_STR(b64, "a2lvc2s=");
	size_t blen = 0;
	uint8_t *raw = kioski_base64_decode(b64, strlen(b64), &blen);
	CHECK(raw && blen == 5 && !memcmp(raw, "kiosk", 5));
	free(raw);
	free(b64);
	CHECK(kioski_base64_decode("a2lvc2s", 7, &blen) == NULL);
	CHECK(kioski_base64_decode("a2l vc2s", 8, &blen) == NULL);
	CHECK(kioski_base64_decode("a2lv\nc2s", 8, &blen) == NULL);
	CHECK(kioski_base64_decode("a=lvc2s=", 8, &blen) == NULL);

	uint8_t bytes[100];
	for (int i = 0; i < 100; i++)
		bytes[i] = (uint8_t)i;
	char hex[64];
	kioski_hex(bytes, 3, 64, hex, sizeof hex);
	CHECK_STR(hex, "00 01 02");
	kioski_hex(bytes, 100, 2, hex, sizeof hex);
	CHECK_STR(hex, "00 01 …");

	uint8_t secret[8] = "secret!";
	kioski_wipe(secret, sizeof secret);
	for (int i = 0; i < 8; i++)
		CHECK_EQ_INT(secret[i], 0);

	uint64_t d = kioski_deadline(50);
	CHECK(kioski_remaining_ms(d) <= 50);
	CHECK_EQ_INT(kioski_remaining_ms(kioski_deadline(-1)), INT32_MAX);
	CHECK_EQ_INT(kioski_remaining_ms(kioski_now_ms() - 1), 0);

	/* Levels filter, the sink receives the component, KIOSK_DEBUG overrides. */
	unsetenv("KIOSK_DEBUG");
	kiosk_context *ctx = test_context();
	CHECK_EQ_INT(kiosk_context_get_log_level(ctx), KIOSK_LOG_WARN);
	kiosk_context_set_log(ctx, KIOSK_LOG_INFO, sink, NULL);
	kioski_dbg(ctx, "samv", "hidden %d", 1);
	CHECK_EQ_INT(log_calls, 0);
	kioski_info(ctx, "samv", "shown %d\n", 2);
	CHECK_EQ_INT(log_calls, 1);
	CHECK_STR(last_msg, "samv:shown 2");
	CHECK_RC(kioski_context_fail(ctx, KIOSK_E_NO_DEVICE, "no %s", "reader"), KIOSK_E_NO_DEVICE);
	CHECK_STR(kiosk_context_last_error(ctx), "no reader");
	kiosk_context_free(ctx);

	setenv("KIOSK_DEBUG", "debug", 1);
	ctx = test_context();
	kiosk_context_set_log(ctx, KIOSK_LOG_ERROR, sink, NULL);
	CHECK_EQ_INT(kiosk_context_get_log_level(ctx), KIOSK_LOG_DEBUG);
	kiosk_context_free(ctx);
	setenv("KIOSK_DEBUG", "1", 1);
	ctx = test_context();
	CHECK_EQ_INT(kiosk_context_get_log_level(ctx), KIOSK_LOG_ERROR);
	kiosk_context_free(ctx);
	unsetenv("KIOSK_DEBUG");

	CHECK_RC(kiosk_context_new(NULL), KIOSK_E_INVALID_ARG);
	kiosk_context_free(NULL);
	return test_done("test_errors_util");
}
