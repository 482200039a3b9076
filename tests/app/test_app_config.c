/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kiosk-app: the configuration file. */
#include "test.h"
#include "core.h"

int main(void)
{
	struct kapp_config c;
	char err[256];
	kapp_config_defaults(&c, "/data");
	CHECK_STR(c.backend, "local");
	CHECK_STR(c.data_dir, "/data");
	CHECK_EQ_INT(c.idle_warn_s, 60);
	CHECK_EQ_INT(c.width, 1080);
	CHECK_EQ_INT(c.height, 1920);
	CHECK_EQ_INT(c.tts, -1);
	const char *good =
		"# a comment\n"
		"idcard = serial:/dev/ttyUSB0?baud=115200\n"
		"printer=tcp:192.0.2.10:9100\n"
		"  scanner =  evdev:/dev/input/event5  \n"
		"\n"
		"orientation = landscape\n"
		"idle_warn_s = 90\n"
		"idle_countdown_s = 15\n"
		"attract_s = 300\n"
		"large_text = yes\n"
		"tts = off\n"
		"backend = http\n"
		"http_url = http://127.0.0.1:8080/api\n"
		"http_timeout_ms = 2500\n"
		"pin_hash = pbkdf2-sha256$150000$00112233445566778899aabbccddeeff$"
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
		"pin_lock_s = 5\n"
		"catalog_refresh_s = 60\n"
		"case_url_accept = https://old.example.gov.cn/q/ https://b.example/c/\n";
	CHECK_EQ_INT(kapp_config_parse(&c, good, err, sizeof err), KAPP_OK);
	CHECK_STR(c.idcard, "serial:/dev/ttyUSB0?baud=115200");
	CHECK_STR(c.printer, "tcp:192.0.2.10:9100");
	CHECK_STR(c.scanner, "evdev:/dev/input/event5");
	CHECK(c.landscape);
	CHECK_EQ_INT(c.width, 1920);
	CHECK_EQ_INT(c.height, 1080);
	CHECK_EQ_INT(c.idle_warn_s, 90);
	CHECK_EQ_INT(c.idle_countdown_s, 15);
	CHECK_EQ_INT(c.attract_s, 300);
	CHECK(c.large_text);
	CHECK_EQ_INT(c.tts, 0);
	CHECK_STR(c.backend, "http");
	CHECK_EQ_INT(c.http_timeout_ms, 2500);
	CHECK_EQ_INT(c.pin_lock_s, 5);
	CHECK_EQ_INT(c.catalog_refresh_s, 60);
	CHECK_STR(c.case_url_accept, "https://old.example.gov.cn/q/ https://b.example/c/");
	CHECK_STR(c.case_url, "https://zwfw.example.gov.cn/case?no=");

	static const struct {
		const char *text, *want;
	} bad[] = {
		{"idle_warn_s = 2\n", "line 1: idle_warn_s"},
		{"idle_warn_s = abc\n", "idle_warn_s"},
		{"\nfoo = bar\n", "line 2: unknown key 'foo'"},
		{"orientation = sideways\n", "orientation"},
		{"backend = ftp\n", "backend"},
		{"large_text = maybe\n", "large_text"},
		{"just a line\n", "expected key = value"},
		{"backend = http\n", "http_url"},
		{"pin_hash = 1234\n", "pin_hash"},
		{"pin_hash = sha256$ab$cd\n", "--hash-pin"}, /* the old fast hash */
		{"pin_hash = pbkdf2-sha256$1000$00112233445566778899aabbccddeeff$"
		 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n", "100000"},
		{"pin_lock_s = 0\n", "pin_lock_s"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kapp_config_defaults(&c, "/data");
		err[0] = 0;
		CHECK_EQ_INT(kapp_config_parse(&c, bad[i].text, err, sizeof err), KAPP_E_DATA);
		if (!strstr(err, bad[i].want))
			fprintf(stderr, "config case %zu: message '%s' lacks '%s'\n", i, err, bad[i].want);
		CHECK(strstr(err, bad[i].want) != NULL);
	}
	kapp_config_defaults(&c, "/data");
	CHECK_EQ_INT(kapp_config_load(&c, "/nonexistent/kiosk-app.conf", err, sizeof err), KAPP_NOT_FOUND);
	/* the shipped example parses */
	CHECK_EQ_INT(kapp_config_load(&c, KAPP_TEST_DATA "/kiosk-app.conf.example", err, sizeof err), KAPP_OK);
	return test_done("app_config");
}
