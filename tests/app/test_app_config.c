/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kiosk-app: the configuration file. */
#include "test.h"
#include <sys/stat.h>
#include <unistd.h>
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
		/* fleet keys hang together */
		{"kiosk_id = k1\n", "need fleet"},
		{"fleet = http://127.0.0.1:1883\n", "mqtt://"},
		{"fleet = mqtt://127.0.0.1:1883\nhall = h1\n", "kiosk_id and hall"},
		{"fleet = mqtt://127.0.0.1\nhall = all\nkiosk_id = k1\n", "kiosk_id and hall"},
		{"fleet = mqtt://127.0.0.1\nhall = h1\nkiosk_id = k/1\n", "kiosk_id and hall"},
		{"fleet = mqtt://127.0.0.1\nhall = h1\nkiosk_id = k1\nfleet_user = k1\n", "go together"},
		{"fleet = mqtt://127.0.0.1\nhall = h1\nkiosk_id = k1\nfleet_ca = /ca.pem\n", "mqtts://"},
		{"fleet = mqtts://127.0.0.1\nhall = h1\nkiosk_id = k1\nfleet_cert = /c.pem\n", "go together"},
		{"banner = 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
		 "一二三四五六七八九十一二三四五六七八九十一\n", "banner"},
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
	const char *fleet = "fleet = mqtts://broker.hall.example:8883\nkiosk_id = k-017\nhall = hall_1\n"
			    "fleet_user = k-017\nfleet_password_file = /etc/libkiosk/fleet.pw\n"
			    "fleet_ca = /etc/ssl/hall-ca.pem\nbanner = 今日 17:00 闭厅\n";
	kapp_config_defaults(&c, "/data");
	CHECK_EQ_INT(kapp_config_parse(&c, fleet, err, sizeof err), KAPP_OK);
	CHECK_STR(c.fleet, "mqtts://broker.hall.example:8883");
	CHECK_STR(c.kiosk_id, "k-017");
	CHECK_STR(c.fleet_password_file, "/etc/libkiosk/fleet.pw");
	CHECK_STR(c.banner, "今日 17:00 闭厅");

	/* settings from the hall (config/set) */
	struct kapp_fleet_settings kept = {0}, u;
	CHECK_EQ_INT(kapp_fleet_settings_parse("{\"banner\":\"午休 12:00-13:30\",\"idle_warn_s\":90}", &u,
					       err, sizeof err), KAPP_OK);
	CHECK_EQ_INT((int)u.set, KAPP_SET_BANNER | KAPP_SET_IDLE_WARN);
	kapp_fleet_settings_merge(&kept, &u);
	CHECK_EQ_INT(kapp_fleet_settings_parse("{\"attract_s\":600,\"large_text\":true,\"idle_warn_s\":null}",
					       &u, err, sizeof err), KAPP_OK);
	kapp_fleet_settings_merge(&kept, &u);
	CHECK_EQ_INT((int)kept.set, KAPP_SET_BANNER | KAPP_SET_ATTRACT | KAPP_SET_LARGE_TEXT);
	struct kapp_config base, eff;
	kapp_config_defaults(&base, "/data");
	eff = base;
	kapp_fleet_settings_apply(&kept, &base, &eff);
	CHECK_EQ_INT(eff.idle_warn_s, 60); /* null: back to the file's value */
	CHECK_EQ_INT(eff.attract_s, 600);
	CHECK(eff.large_text);
	CHECK_STR(eff.banner, "午休 12:00-13:30");
	static const struct {
		const char *json, *want;
	} refused[] = {
		{"{not json", "not valid JSON"},
		{"[1]", "JSON object"},
		{"{}", "no settings"},
		{"{\"volume\":3}", "unknown setting: volume"},
		{"{\"idle_warn_s\":2}", "idle_warn_s: must be an integer 5..3600"},
		{"{\"idle_warn_s\":30.5}", "idle_warn_s: must be an integer"},
		{"{\"idle_countdown_s\":\"10\"}", "idle_countdown_s: must be an integer 3..600"},
		{"{\"attract_s\":1e9}", "attract_s"},
		{"{\"banner\":5}", "banner: must be a text"},
		{"{\"banner\":\"line\\nbreak\"}", "banner: must be a text"},
		{"{\"large_text\":1}", "large_text: must be true or false"},
		{"{\"banner\":\"ok\",\"idle_warn_s\":0}", "idle_warn_s"}, /* all or nothing */
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		memset(&u, 0x5a, sizeof u);
		err[0] = 0;
		CHECK_EQ_INT(kapp_fleet_settings_parse(refused[i].json, &u, err, sizeof err), KAPP_E_DATA);
		if (!strstr(err, refused[i].want))
			fprintf(stderr, "settings case %zu: '%s' lacks '%s'\n", i, err, refused[i].want);
		CHECK(strstr(err, refused[i].want) != NULL);
		CHECK_EQ_INT((int)u.set, 0x5a5a5a5a); /* untouched */
	}
	/* kept across restarts: 0600, atomic */
	char dir[] = "/tmp/kapp-settings.XXXXXX", path[64];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/" KAPP_FLEET_SETTINGS_FILE, dir);
	struct kapp_fleet_settings back;
	CHECK_EQ_INT(kapp_fleet_settings_load(path, &back, err, sizeof err), KAPP_NOT_FOUND);
	CHECK_EQ_INT(kapp_fleet_settings_save(path, &kept), KAPP_OK);
	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK_EQ_INT(kapp_fleet_settings_load(path, &back, err, sizeof err), KAPP_OK);
	CHECK_EQ_INT((int)back.set, (int)kept.set);
	CHECK_EQ_INT(back.attract_s, 600);
	CHECK_STR(back.banner, "午休 12:00-13:30");
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	fputs("{\"v\":1,\"attract_s\":", f);
	fclose(f);
	CHECK_EQ_INT(kapp_fleet_settings_load(path, &back, err, sizeof err), KAPP_E_DATA);
	CHECK_EQ_INT((int)back.set, 0);
	unlink(path);
	rmdir(dir);
	return test_done("app_config");
}
