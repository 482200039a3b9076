/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_receipt_profile.c — printer profiles: the built-in ones, validation, USB matching,
 * and the udev rules generated from them. */
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "driver.h"
#include "receipt_test_util.h"

static char rules_text[65536];
static int n_ids_checked;

/* Every "usb" id of every embedded profile (any family) has its rule. */
static void check_profile_ids(const char *name, const char *json, void *user)
{
	const char *family = user;
	cJSON *doc = cJSON_Parse(json);
	const cJSON *usb = cJSON_GetObjectItemCaseSensitive(doc, "usb"), *it;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "emulated"))) {
		/* Emulated devices (kiosk-sim) must get no rule on real terminals. */
		cJSON_ArrayForEach(it, usb) {
			CHECK(cJSON_IsString(it));
			if (cJSON_IsString(it)) {
				char want[64];
				uint16_t vid = 0, pid = 0;
				CHECK(kioski_parse_usb_id(it->valuestring, &vid, &pid));
				snprintf(want, sizeof want, "ATTR{idVendor}==\"%04x\", ATTR{idProduct}==\"%04x\"",
					 vid, pid);
				CHECK(strstr(rules_text, want) == NULL);
			}
		}
		cJSON_Delete(doc);
		return;
	}
	cJSON_ArrayForEach(it, usb) {
		uint16_t vid = 0, pid = 0;
		/* The one form the library and the rule writer accept. */
		CHECK(cJSON_IsString(it) && kioski_parse_usb_id(it->valuestring, &vid, &pid));
		char want[160];
		snprintf(want, sizeof want, "ATTR{idVendor}==\"%04x\", ATTR{idProduct}==\"%04x\", MODE=\"0660\", GROUP=\"kiosk\"",
			 vid, pid);
		if (!strstr(rules_text, want)) {
			fprintf(stderr, "udev rules lack %s/%s id %04x:%04x\n", family, name, vid, pid);
			test_failures++;
		}
		n_ids_checked++;
	}
	cJSON_Delete(doc);
}

static int n_listed;
static void count(const char *name, const char *desc, void *user)
{
	n_listed++;
	CHECK(desc && desc[0]);
}

static void test_builtin(kiosk_context *ctx)
{
	static const char *names[] = {"generic-58mm", "generic-80mm", "kiosk-80mm-gbk", "legacy-80mm-raster-qr",
				      "panel-58mm-nocut"};
	struct kioski_printer_profile p[5];
	for (int i = 0; i < 5; i++) {
		CHECK_RC(kioski_printer_profile_load(ctx, names[i], &p[i]), KIOSK_OK);
		CHECK_STR(p[i].name, names[i]);
		CHECK_EQ_INT(p[i].columns, p[i].width_dots / p[i].font_a_width);
	}
	CHECK_EQ_INT(p[0].width_dots, 384);
	CHECK_EQ_INT(p[0].columns, 32);
	CHECK_EQ_INT(p[1].width_dots, 576);
	CHECK_EQ_INT(p[1].columns, 48);
	CHECK(p[1].native_qr && p[1].gb18030_4byte && p[1].cutter_full && p[1].cutter_partial);
	CHECK(p[1].chinese_mode && p[1].dle_eot && p[1].asb);
	CHECK(!p[2].gb18030_4byte && p[2].native_qr);                /* GBK-only font */
	CHECK(!p[3].native_qr && p[3].max_raster_rows == 128 && p[3].cutter_full && !p[3].cutter_partial);
	CHECK(!p[4].cutter_full && !p[4].cutter_partial && !p[4].near_end_sensor); /* tear bar */
	CHECK_EQ_INT(p[4].baud, 9600);
	CHECK_EQ_INT(p[1].n_usb, 1);
	CHECK_EQ_INT(p[1].usb[0].vid, 0x0416);
	CHECK_EQ_INT(p[1].usb[0].pid, 0x5011);
	n_listed = 0;
	CHECK_EQ_INT(kiosk_receipt_profiles(count, NULL), 5);
	CHECK_EQ_INT(n_listed, 5);

	struct kioski_printer_profile q;
	CHECK_RC(kioski_printer_profile_for_usb(ctx, 0x0416, 0x5011, &q), KIOSK_OK);
	CHECK_STR(q.name, "generic-80mm");
	CHECK_RC(kioski_printer_profile_for_usb(ctx, 0x28e9, 0x0289, &q), KIOSK_OK);
	CHECK_STR(q.name, "kiosk-80mm-gbk");
	CHECK_RC(kioski_printer_profile_for_usb(ctx, 0x0483, 0x5720, &q), KIOSK_OK);
	CHECK_STR(q.name, "generic-58mm");
	CHECK_RC(kioski_printer_profile_for_usb(ctx, 0x1234, 0x5678, &q), KIOSK_E_NOT_FOUND);
	CHECK_RC(kioski_printer_profile_load(ctx, "no-such-printer", &q), KIOSK_E_NOT_FOUND);
	CHECK(strstr(kiosk_context_last_error(ctx), "no-such-printer") != NULL);
	CHECK_RC(kioski_printer_profile_load(ctx, "../idcard/idr200", &q), KIOSK_E_NOT_FOUND);
}

static void test_validation(void)
{
	static const struct {
		const char *json, *err;
	} bad[] = {
		{"[]", "must be a JSON object"},
		{"{", "malformed JSON"},
		{"{\"description\":\"d\"}", "name: missing"},
		{"{\"name\":\"x\"}", "description: missing"},
		{"{\"name\":\"x\",\"description\":\"d\",\"paper\":80}", "paper: unknown key"},
		{"{\"name\":\"x\",\"description\":\"d\",\"width_dots\":50}", "width_dots: must be an integer 96..2400"},
		{"{\"name\":\"x\",\"description\":\"d\",\"width_dots\":150}", "width_dots: 150 is narrower than 16 font cells"},
		{"{\"name\":\"x\",\"description\":\"d\",\"cutter\":\"yes\"}", "cutter: must be \"full+partial\", \"full\" or \"none\""},
		{"{\"name\":\"x\",\"description\":\"d\",\"native_qr\":1}", "native_qr: must be true or false"},
		{"{\"name\":\"x\",\"description\":\"d\",\"chinese\":{\"fs\":true}}", "chinese.fs: unknown key"},
		{"{\"name\":\"x\",\"description\":\"d\",\"status\":{\"dle_eot\":\"y\"}}", "status.dle_eot: must be true or false"},
		{"{\"name\":\"x\",\"description\":\"d\",\"usb\":[\"0416-5011\"]}", "usb[0]: must be \"VVVV:PPPP\" (hex)"},
		{"{\"name\":\"x\",\"description\":\"d\",\"usb\":[\"0416:5011\",\"zz:1\"]}", "usb[1]: must be"},
		{"{\"name\":\"x\",\"description\":\"d\",\"transport\":{\"baud\":7}}", "transport.baud: must be an integer"},
		{"{\"name\":\"x\",\"description\":\"d\",\"font_a\":[12]}", "font_a: must be [width, height]"},
		{"{\"name\":\"x\",\"description\":\"d\",\"line_spacing\":20}", "line_spacing: must be at least the font height"},
		{"{\"name\":\"x\",\"description\":\"d\",\"max_raster_rows\":0}", "max_raster_rows: must be an integer 8..4096"},
		{"{\"name\":\"x\",\"description\":\"d\",\"native_qr\":true,\"native_qr\":false}", "native_qr: duplicate key"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct kioski_printer_profile p;
		char err[160] = "";
		int rc = kioski_printer_profile_parse(bad[i].json, &p, err, sizeof err);
		if (rc != KIOSK_E_BAD_DOCUMENT || strncmp(err, bad[i].err, strlen(bad[i].err))) {
			fprintf(stderr, "profile case %zu: %s → %s \"%s\", want \"%s\"\n", i, bad[i].json,
				kiosk_error_name(rc), err, bad[i].err);
			test_failures++;
		}
	}
	struct kioski_printer_profile p;
	char err[160];
	CHECK_RC(kioski_printer_profile_parse("{\"name\":\"x\",\"description\":\"d\"}", &p, err, sizeof err), KIOSK_OK);
	CHECK_EQ_INT(p.width_dots, 576); /* documented defaults */
	CHECK(p.native_qr && p.cutter_full && p.chinese_mode);
}

static void test_profile_dir(kiosk_context *ctx)
{
	/* A profile directory overrides and adds profiles; a file whose name does not match is refused. */
	char dir[] = "/tmp/kiosk-prof-XXXXXX", sub[128], f1[160], f2[160];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(sub, sizeof sub, "%s/printer", dir);
	mkdir(sub, 0700);
	snprintf(f1, sizeof f1, "%s/narrow-40mm.json", sub);
	snprintf(f2, sizeof f2, "%s/misnamed.json", sub);
	FILE *f = fopen(f1, "w");
	fputs("{\"name\":\"narrow-40mm\",\"description\":\"40 mm\",\"paper_mm\":40,\"width_dots\":256,\"native_qr\":false}", f);
	fclose(f);
	f = fopen(f2, "w");
	fputs("{\"name\":\"other\",\"description\":\"x\"}", f);
	fclose(f);
	CHECK_RC(kiosk_context_set_profile_dir(ctx, dir), KIOSK_OK);
	struct kioski_printer_profile p;
	CHECK_RC(kioski_printer_profile_load(ctx, "narrow-40mm", &p), KIOSK_OK);
	CHECK_EQ_INT(p.width_dots, 256);
	CHECK_RC(kioski_printer_profile_load(ctx, "misnamed", &p), KIOSK_E_BAD_DOCUMENT);
	CHECK(strstr(kiosk_context_last_error(ctx), "must match the file name") != NULL);
	CHECK_RC(kiosk_context_set_profile_dir(ctx, NULL), KIOSK_OK);
	unlink(f1);
	unlink(f2);
	rmdir(sub);
	rmdir(dir);
}

static void test_udev_rules(void)
{
	/* The build generated the rules from every profile with a USB id. */
	char path[512];
	snprintf(path, sizeof path, "%s/hw/udev/70-libkiosk.rules", KIOSK_BINARY_DIR);
	FILE *f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	size_t n = fread(rules_text, 1, sizeof rules_text - 1, f);
	fclose(f);
	rules_text[n] = 0;
	static const char *families[] = {"printer", "idcard", "scanner", "touch"};
	for (int i = 0; i < 4; i++)
		kioski_profile_foreach(families[i], check_profile_ids, (void *)families[i]);
	CHECK(n_ids_checked >= 4); /* three printers and the idr200 reader at least */
	CHECK(strstr(rules_text, "ATTR{idVendor}==\"0416\", ATTR{idProduct}==\"5011\"") != NULL);
	CHECK(strstr(rules_text, "MODE=\"0666\"") == NULL);
	CHECK(strstr(rules_text, "# printer/generic-80mm") != NULL);
}

int main(void)
{
	kiosk_context *ctx = test_context();
	test_builtin(ctx);
	test_validation();
	test_profile_dir(ctx);
	test_udev_rules();
	kiosk_context_free(ctx);
	return test_done("test_receipt_profile");
}
