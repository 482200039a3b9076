/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_scanner_serial.c — serial scanners over a real pty (the emulator
 * side is the pty master, written directly by the test): each terminator,
 * codes split across writes, line noise, the inter-character timeout,
 * read timeouts, async reads, watch events, stale scans, close and unplug.
 */
#include <poll.h>
#include <unistd.h>
#include "test.h"
#include "sim.h"
#include "driver.h"

static int master = -1;
static char slave[128];

static kiosk_scanner *open_scanner(kiosk_context *ctx, const char *opts)
{
	char uri[256];
	snprintf(uri, sizeof uri, "serial:%s%s%s", slave, opts[0] ? "?" : "", opts);
	kiosk_scanner *s = NULL;
	int r = kiosk_scanner_open(ctx, uri, &s);
	if (r != KIOSK_OK) {
		fprintf(stderr, "open %s: %s: %s\n", uri, kiosk_error_name(r),
			kiosk_context_last_error(ctx));
		exit(1);
	}
	return s;
}

static void put(const char *s)
{
	if (sim_write_all(master, s, strlen(s)) < 0) {
		perror("write");
		exit(1);
	}
}

static void expect_code(kiosk_scanner *s, const char *want)
{
	char *code = NULL;
	size_t len = 0;
	CHECK_RC(kiosk_scanner_read(s, 5000, &code, &len), KIOSK_OK);
	CHECK_STR(code, want);
	if (code)
		CHECK_EQ_INT(len, strlen(want));
	kiosk_free(code);
}

/* A thread-free "emulator": the writes happen before the read starts; the
 * scanner's worker keeps them (STALE_MS) for the read that follows. */
static void test_terminators(kiosk_context *ctx)
{
	static const struct {
		const char *opt, *data, *want;
	} cases[] = {
		{"terminator=cr", "CODE-CR\r", "CODE-CR"},
		{"terminator=lf", "CODE-LF\n", "CODE-LF"},
		{"terminator=crlf", "CODE-CRLF\r\n", "CODE-CRLF"},
		{"terminator=auto", "CODE-AUTO\r\n", "CODE-AUTO"},
		{"", "DEFAULT\n", "DEFAULT"},
		{"baud=115200&terminator=cr", "multi\nline\r", "multi\nline"},
		{"profile=generic-stm32-vcp", "FROM-PROFILE\n", "FROM-PROFILE"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		kiosk_scanner *s = open_scanner(ctx, cases[i].opt);
		if (strstr(cases[i].opt, "profile=")) /* the profile's baud became the default */
			CHECK(strstr(kiosk_device_get_uri(kiosk_scanner_device(s)), "baud=115200") != NULL);
		put(cases[i].data);
		expect_code(s, cases[i].want);
		kiosk_scanner_close(s);
	}
}

static void test_split_and_noise(kiosk_context *ctx)
{
	kiosk_scanner *s = open_scanner(ctx, "terminator=crlf&char_timeout_ms=2000");
	kiosk_job *job = NULL;
	CHECK_RC(kiosk_scanner_read_async(s, 10000, NULL, NULL, &job), KIOSK_OK);
	/* A second read while one is pending is refused. */
	char *c2 = NULL;
	CHECK_RC(kiosk_scanner_read(s, 10, &c2, NULL), KIOSK_E_BUSY);
	CHECK(c2 == NULL);
	const char *code = "\x02ZW:44030020260001\x03";
	for (const char *p = code; *p; p++) {
		char b[2] = {*p, 0};
		put(b);
		kioski_sleep_ms(3);
	}
	put("\r");
	kioski_sleep_ms(20);
	put("\n");
	CHECK_RC(kiosk_job_wait(job, 10000), KIOSK_OK);
	char *got = NULL;
	size_t len = 0;
	CHECK_RC(kiosk_job_take_scan(job, &got, &len), KIOSK_OK);
	CHECK_STR(got, "ZW:44030020260001");
	CHECK_RC(kiosk_job_take_scan(job, &c2, NULL), KIOSK_E_STATE); /* taken already */
	kiosk_free(got);
	kiosk_job_unref(job);
	kiosk_scanner_close(s);
}

static void test_timeouts(kiosk_context *ctx)
{
	kiosk_scanner *s = open_scanner(ctx, "char_timeout_ms=150");
	CHECK_EQ_INT(kiosk_scanner_get_char_timeout(s), 150);
	char *code = (char *)1;
	CHECK_RC(kiosk_scanner_read(s, 200, &code, NULL), KIOSK_E_TIMEOUT);
	CHECK(code == NULL);

	/* A code cut off: half, a pause longer than the char timeout, then a
	 * new code. The half is discarded, never delivered. */
	kiosk_job *job = NULL;
	CHECK_RC(kiosk_scanner_read_async(s, 10000, NULL, NULL, &job), KIOSK_OK);
	put("HALF-OF-A-CO");
	kioski_sleep_ms(1000);
	put("WHOLE\r");
	CHECK_RC(kiosk_job_wait(job, 10000), KIOSK_OK);
	char *got = NULL;
	CHECK_RC(kiosk_job_take_scan(job, &got, NULL), KIOSK_OK);
	CHECK_STR(got, "WHOLE");
	kiosk_free(got);
	kiosk_job_unref(job);
	CHECK_EQ_INT(kiosk_scanner_get_discarded(s), 1);

	/* Cut off at the end, with nobody reading: also discarded. */
	put("TAIL");
	kioski_sleep_ms(600);
	CHECK_RC(kiosk_scanner_read(s, 100, &code, NULL), KIOSK_E_TIMEOUT);
	CHECK_EQ_INT(kiosk_scanner_get_discarded(s), 2);
	CHECK_RC(kiosk_scanner_set_char_timeout(s, 0), KIOSK_E_INVALID_ARG);
	kiosk_scanner_close(s);
}

static void test_watch_and_stale(kiosk_context *ctx)
{
	kiosk_scanner *s = open_scanner(ctx, "");
	/* Nobody reading, not watching: the code goes stale and is dropped. */
	put("STALE\r");
	kioski_sleep_ms(2500);
	char *code = NULL;
	CHECK_RC(kiosk_scanner_read(s, 300, &code, NULL), KIOSK_E_TIMEOUT);

	/* Watching: each scan is one SCAN event with the whole code. */
	CHECK_RC(kiosk_scanner_watch(s, true), KIOSK_OK);
	uint64_t idle_before = kiosk_input_idle_ms(ctx);
	put("EV-1\rEV-2\r");
	int seen = 0;
	for (int tries = 0; tries < 100 && seen < 2; tries++) {
		kiosk_context_wait(ctx, 100);
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(ctx))) {
			if (kiosk_event_get_type(ev) == KIOSK_EVENT_SCAN) {
				size_t len = 0;
				const char *c = kiosk_event_get_scan(ev, &len);
				CHECK_STR(c, seen ? "EV-2" : "EV-1");
				CHECK_EQ_INT(len, 4);
				CHECK(kiosk_event_get_device(ev) == kiosk_scanner_device(s));
				seen++;
			}
			kiosk_event_free(ev);
		}
	}
	CHECK_EQ_INT(seen, 2);
	CHECK(kiosk_input_idle_ms(ctx) < idle_before + 1000);
	CHECK(kiosk_input_idle_ms(ctx) < 2000);
	kiosk_scanner_close(s);
}

static void test_close_pending(kiosk_context *ctx)
{
	kiosk_scanner *s = open_scanner(ctx, "");
	kiosk_job *job = NULL;
	CHECK_RC(kiosk_scanner_read_async(s, KIOSK_TIMEOUT_INFINITE, NULL, NULL, &job), KIOSK_OK);
	kioski_sleep_ms(50);
	CHECK_RC(kiosk_job_cancel(job), KIOSK_OK);
	CHECK_RC(kiosk_job_wait(job, 5000), KIOSK_E_CANCELLED);
	kiosk_job_unref(job);
	/* Cancelled at once (usually before the worker ran it): the scanner must
	 * not be left busy. */
	for (int i = 0; i < 3; i++) {
		CHECK_RC(kiosk_scanner_read_async(s, 10000, NULL, NULL, &job), KIOSK_OK);
		kiosk_job_cancel(job);
		CHECK_RC(kiosk_job_wait(job, 5000), KIOSK_E_CANCELLED);
		kiosk_job_unref(job);
	}
	/* After a cancel the scanner still works. */
	put("AFTER\r");
	expect_code(s, "AFTER");
	CHECK_RC(kiosk_scanner_read_async(s, KIOSK_TIMEOUT_INFINITE, NULL, NULL, &job), KIOSK_OK);
	kiosk_scanner_close(s); /* completes the pending read */
	CHECK_RC(kiosk_job_wait(job, 5000), KIOSK_E_CANCELLED);
	char *code = NULL;
	CHECK_RC(kiosk_job_take_scan(job, &code, NULL), KIOSK_E_CANCELLED);
	kiosk_job_unref(job);
}

static void test_bad_uris(kiosk_context *ctx)
{
	kiosk_scanner *s = NULL;
	char uri[256];
	snprintf(uri, sizeof uri, "serial:%s?terminator=semicolon", slave);
	CHECK_RC(kiosk_scanner_open(ctx, uri, &s), KIOSK_E_BAD_URI);
	snprintf(uri, sizeof uri, "serial:%s?char_timeout_ms=0", slave);
	CHECK_RC(kiosk_scanner_open(ctx, uri, &s), KIOSK_E_BAD_URI);
	CHECK_RC(kiosk_scanner_open(ctx, "serial:/dev/nonexistent-scanner", &s), KIOSK_E_NO_DEVICE);
	snprintf(uri, sizeof uri, "serial:%s?profile=no-such-scanner", slave);
	CHECK_RC(kiosk_scanner_open(ctx, uri, &s), KIOSK_E_NOT_FOUND);
	CHECK_RC(kiosk_scanner_open(ctx, "tcp:127.0.0.1:9", &s), KIOSK_E_NOT_SUPPORTED);
	CHECK_RC(kiosk_scanner_open(ctx, "usb:ffff:fffe", &s), KIOSK_E_NOT_FOUND);
	CHECK_RC(kiosk_scanner_open(ctx, "evdev:/dev/null", &s), KIOSK_E_NOT_SUPPORTED);
	CHECK(s == NULL);
}

static void test_unplug(kiosk_context *ctx)
{
	kiosk_scanner *s = open_scanner(ctx, "");
	kiosk_scanner_watch(s, true);
	close(master); /* the "cable" is pulled */
	master = -1;
	bool left = false;
	for (int tries = 0; tries < 50 && !left; tries++) {
		kiosk_context_wait(ctx, 100);
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(ctx))) {
			if (kiosk_event_get_type(ev) == KIOSK_EVENT_DEVICE_LEFT)
				left = true;
			kiosk_event_free(ev);
		}
	}
	CHECK(left);
	char *code = NULL;
	int r = kiosk_scanner_read(s, 1000, &code, NULL);
	CHECK(r == KIOSK_E_NO_DEVICE);
	kiosk_scanner_close(s);
}

int main(void)
{
	if (sim_pty_open(&master, slave, sizeof slave) < 0)
		test_skip("no pty");
	kiosk_context *ctx = test_context();
	test_terminators(ctx);
	test_split_and_noise(ctx);
	test_timeouts(ctx);
	test_watch_and_stale(ctx);
	test_close_pending(ctx);
	test_bad_uris(ctx);
	test_unplug(ctx);
	kiosk_context_free(ctx);
	return test_done("test_scanner_serial");
}
