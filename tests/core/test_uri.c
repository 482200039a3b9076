/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* URI parsing: every scheme, options, canonical form, and clear errors. */
#include "test.h"
#include "driver.h"

static void ok(const char *text, enum kiosk_uri_scheme scheme, const char *canonical)
{
	kiosk_uri *u = NULL;
	char err[200];
	int r = kiosk_uri_parse(text, &u, err, sizeof err);
	if (r != KIOSK_OK) {
		fprintf(stderr, "parse(%s) failed: %s\n", text, err);
		test_failures++;
		return;
	}
	CHECK_EQ_INT(kiosk_uri_get_scheme(u), scheme);
	CHECK_STR(kiosk_uri_to_string(u), canonical);
	kiosk_uri_free(u);
}

static void bad(const char *text, const char *want_in_msg)
{
	kiosk_uri *u = (kiosk_uri *)0x1;
	char err[200] = "";
	CHECK_RC(kiosk_uri_parse(text, &u, err, sizeof err), KIOSK_E_BAD_URI);
	CHECK(u == NULL);
	if (!strstr(err, want_in_msg)) {
		fprintf(stderr, "parse(%s): message '%s' lacks '%s'\n", text ? text : "(null)", err,
			want_in_msg);
		test_failures++;
	}
}

int main(void)
{
	ok("serial:/dev/ttyUSB0", KIOSK_URI_SERIAL, "serial:/dev/ttyUSB0");
	ok("serial:/dev/ttyUSB0?baud=9600", KIOSK_URI_SERIAL, "serial:/dev/ttyUSB0?baud=9600");
	ok("usb:0400:C35A", KIOSK_URI_USB, "usb:0400:c35a");
	ok("usb:0416:5011?serial=AB%2012", KIOSK_URI_USB, "usb:0416:5011?serial=AB%2012");
	ok("serial:/dev/a%3Fb?x=a%26b", KIOSK_URI_SERIAL, "serial:/dev/a%3Fb?x=a%26b");
	ok("tcp:192.0.2.10:9100", KIOSK_URI_TCP, "tcp:192.0.2.10:9100");
	ok("tcp://printer.local:9100", KIOSK_URI_TCP, "tcp:printer.local:9100");
	ok("tcp:[::1]:9100", KIOSK_URI_TCP, "tcp:[::1]:9100");
	ok("file:/dev/usb/lp0", KIOSK_URI_FILE, "file:/dev/usb/lp0");
	ok("evdev:/dev/input/event3?grab=1", KIOSK_URI_EVDEV, "evdev:/dev/input/event3?grab=1");

	kiosk_uri *u = NULL;
	CHECK_RC(kiosk_uri_parse("serial:/dev/ttyS1?baud=57600&profile=x", &u, NULL, 0), KIOSK_OK);
	CHECK_STR(kiosk_uri_get_path(u), "/dev/ttyS1");
	CHECK_STR(kiosk_uri_get_option(u, "profile"), "x");
	CHECK(kiosk_uri_get_option(u, "missing") == NULL);
	long baud = 0;
	CHECK_RC(kiosk_uri_get_option_int(u, "baud", 1, 4000000, 115200, &baud), KIOSK_OK);
	CHECK_EQ_INT(baud, 57600);
	CHECK_RC(kiosk_uri_get_option_int(u, "profile", 0, 10, 0, &baud), KIOSK_E_BAD_URI);
	CHECK_RC(kiosk_uri_get_option_int(u, "absent", 0, 10, 7, &baud), KIOSK_OK);
	CHECK_EQ_INT(baud, 7);
	CHECK_EQ_INT(kiosk_uri_get_port(u), 0);
	kiosk_uri_free(u);

	CHECK_RC(kiosk_uri_parse("usb:0400:c35a", &u, NULL, 0), KIOSK_OK);
	CHECK_EQ_INT(kiosk_uri_get_vid(u), 0x0400);
	CHECK_EQ_INT(kiosk_uri_get_pid(u), 0xc35a);
	CHECK(kiosk_uri_get_path(u) == NULL);
	kiosk_uri_free(u);
	CHECK_RC(kiosk_uri_parse("tcp:127.0.0.1:65535", &u, NULL, 0), KIOSK_OK);
	CHECK_EQ_INT(kiosk_uri_get_port(u), 65535);
	CHECK_STR(kiosk_uri_get_path(u), "127.0.0.1");
	kiosk_uri_free(u);

	bad("", "empty");
	bad("/dev/ttyUSB0", "no scheme");
	bad("bluetooth:00:11", "unknown scheme");
	bad("serial:", "missing device path");
	bad("serial:ttyUSB0", "absolute");
	bad("serial:/dev/ttyUSB0?baud=fast", "baud");
	bad("serial:/dev/ttyUSB0?baud", "key=value");
	bad("serial:/dev/ttyUSB0?", "empty option");
	bad("serial:/dev/ttyUSB0?baud=1&baud=2", "twice");
	bad("serial:/dev/ttyUSB0?Baud=1", "option name");
	bad("usb:400:c35a", "vendor id");
	bad("usb:0400:c35", "product id");
	bad("usb:0400", "VVVV:PPPP");
	bad("usb:04g0:c35a", "vendor id");
	bad("usb:0400:c35a?serial=", "serial");
	bad("tcp:host", "HOST:PORT");
	bad("tcp::9100", "missing host");
	bad("tcp:host:0", "port");
	bad("tcp:host:65536", "port");
	bad("tcp:host:91a0", "port");
	bad("tcp:::1:9100", "brackets");
	bad("tcp:[::1]9100", "IPv6");
	bad("file:/dev/usb/lp0?x=%zz", "escape");
	bad("file:/dev/a b", "space");
	bad("serial:/dev/tty\n", "control");
	CHECK_RC(kiosk_uri_parse("serial:/x", NULL, NULL, 0), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_uri_parse(NULL, &u, NULL, 0), KIOSK_E_BAD_URI);

	CHECK_STR(kiosk_uri_scheme_name(KIOSK_URI_TCP), "tcp");

	/* Profiles' USB ids use the usb: URI's VVVV:PPPP form, strictly. */
	uint16_t vid = 0, pid = 0;
	CHECK(kioski_parse_usb_id("0416:5011", &vid, &pid));
	CHECK_EQ_INT(vid, 0x0416);
	CHECK_EQ_INT(pid, 0x5011);
	CHECK(kioski_parse_usb_id("28E9:0289", &vid, &pid) && vid == 0x28e9);
	static const char *bad_ids[] = {"", "0416", "416:5011", " 416:5011", "+416:5011",
					"0x16:5011", "0416:50110", "0416:5011 ", "0416-5011", NULL};
	for (int i = 0; bad_ids[i]; i++)
		CHECK(!kioski_parse_usb_id(bad_ids[i], &vid, &pid));
	CHECK(!kioski_parse_usb_id(NULL, &vid, &pid));
	return test_done("test_uri");
}
