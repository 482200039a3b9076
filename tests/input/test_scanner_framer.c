/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_scanner_framer.c — the scanner code framer (terminators, split input,
 * noise, inter-character timeout, overlong codes) and the HID keyboard-wedge
 * decoder (US layout, shift, caps lock, chords, Enter), with synthetic times.
 */
#include <linux/input.h>
#include "test.h"
#include "input/scanner-private.h"
#include "scanner/hid_keymap.h"

#define MAXC 16

struct sink {
	char codes[MAXC][256];
	size_t lens[MAXC];
	int n;
};

static void collect(void *user, const char *code, size_t len, uint64_t t)
{
	struct sink *s = user;
	if (s->n < MAXC) {
		memcpy(s->codes[s->n], code, len + 1);
		s->lens[s->n] = len;
		s->n++;
	}
}

static void feed_str(struct kioski_scan_framer *f, const char *s, uint64_t t)
{
	kioski_framer_feed(f, s, strlen(s), t);
}

static void test_terminators(void)
{
	struct sink s = {0};
	struct kioski_scan_framer f;

	/* auto: CR, LF and CR LF all end a code; no empty codes. */
	kioski_framer_init(&f, KIOSKI_TERM_AUTO, 0, 100, collect, &s);
	feed_str(&f, "A1\rB2\nC3\r\nD4\n\r\r\n", 1000);
	CHECK_EQ_INT(s.n, 4);
	CHECK_STR(s.codes[0], "A1");
	CHECK_STR(s.codes[1], "B2");
	CHECK_STR(s.codes[2], "C3");
	CHECK_STR(s.codes[3], "D4");
	kioski_framer_fini(&f);

	/* cr: LF is data. */
	memset(&s, 0, sizeof s);
	kioski_framer_init(&f, KIOSKI_TERM_CR, 0, 100, collect, &s);
	feed_str(&f, "line1\nline2\rX\r", 1000);
	CHECK_EQ_INT(s.n, 2);
	CHECK_STR(s.codes[0], "line1\nline2");
	CHECK_EQ_INT(s.lens[0], 11);
	CHECK_STR(s.codes[1], "X");
	kioski_framer_fini(&f);

	/* lf: CR is data. */
	memset(&s, 0, sizeof s);
	kioski_framer_init(&f, KIOSKI_TERM_LF, 0, 100, collect, &s);
	feed_str(&f, "a\rb\n", 1000);
	CHECK_EQ_INT(s.n, 1);
	CHECK_STR(s.codes[0], "a\rb");
	kioski_framer_fini(&f);

	/* crlf: only the pair ends a code; lone CR and LF are data. */
	memset(&s, 0, sizeof s);
	kioski_framer_init(&f, KIOSKI_TERM_CRLF, 0, 100, collect, &s);
	feed_str(&f, "x\ry\nz\r\n", 1000);
	CHECK_EQ_INT(s.n, 1);
	CHECK_STR(s.codes[0], "x\ry\nz");
	/* The pair split across two reads. */
	feed_str(&f, "QR123\r", 1010);
	CHECK_EQ_INT(s.n, 1);
	feed_str(&f, "\nNEXT\r\n", 1020);
	CHECK_EQ_INT(s.n, 3);
	CHECK_STR(s.codes[1], "QR123");
	CHECK_STR(s.codes[2], "NEXT");
	/* A lone CR, then a pause longer than the char timeout: stale, not data of the next code. */
	feed_str(&f, "\r", 1030);
	feed_str(&f, "LATER\r\n", 1500);
	CHECK_EQ_INT(s.n, 4);
	CHECK_STR(s.codes[3], "LATER");
	kioski_framer_fini(&f);

	enum kioski_scan_term t;
	CHECK_EQ_INT(kioski_scan_term_parse("CRLF", &t), 0);
	CHECK_EQ_INT(t, KIOSKI_TERM_CRLF);
	CHECK_EQ_INT(kioski_scan_term_parse("tab", &t), -1);
}

static void test_split_noise_timeout(void)
{
	struct sink s = {0};
	struct kioski_scan_framer f;
	kioski_framer_init(&f, KIOSKI_TERM_AUTO, 0, 100, collect, &s);

	/* A code arriving one byte per read, 10 ms apart. */
	const char *code = "https://zwfw.example.gov.cn/q?c=2026-000123\r\n";
	for (size_t i = 0; code[i]; i++)
		kioski_framer_feed(&f, code + i, 1, 2000 + 10 * i);
	CHECK_EQ_INT(s.n, 1);
	CHECK_STR(s.codes[0], "https://zwfw.example.gov.cn/q?c=2026-000123");

	/* Line noise (NUL, DEL, STX/ETX, BEL) is dropped; TAB and UTF-8 kept. */
	const uint8_t noisy[] = {0x00, 0x02, 'A', 0x7f, '\t', 0xe4, 0xb8, 0xad, 0x07, 'B', 0x03, '\r'};
	kioski_framer_feed(&f, noisy, sizeof noisy, 5000);
	CHECK_EQ_INT(s.n, 2);
	CHECK_STR(s.codes[1], "A\t\xe4\xb8\xad" "B");

	/* A partial code cut off by the inter-character timeout is discarded,
	 * and the bytes after the gap form their own code. */
	CHECK_EQ_INT(f.discarded, 0);
	feed_str(&f, "PARTIAL", 6000);
	kioski_framer_tick(&f, 6050); /* within the timeout: kept */
	CHECK(kioski_framer_busy(&f));
	kioski_framer_tick(&f, 6101); /* past it: discarded */
	CHECK(!kioski_framer_busy(&f));
	CHECK_EQ_INT(f.discarded, 1);
	feed_str(&f, "OTHER", 7000);
	feed_str(&f, "X\r", 7500); /* 500 ms gap inside a code: its start goes */
	CHECK_EQ_INT(s.n, 3);
	CHECK_STR(s.codes[2], "X");
	CHECK_EQ_INT(f.discarded, 2);
	/* A pause before the terminator alone also loses the code. */
	feed_str(&f, "LATE", 8000);
	feed_str(&f, "\r", 8200);
	CHECK_EQ_INT(s.n, 3);
	CHECK_EQ_INT(f.discarded, 3);
	/* A CR, a long pause, then LF: the LF is not swallowed (it ends an empty line). */
	feed_str(&f, "K\r", 9000);
	feed_str(&f, "\nM\r", 9500);
	CHECK_EQ_INT(s.n, 5);
	CHECK_STR(s.codes[3], "K");
	CHECK_STR(s.codes[4], "M");
	kioski_framer_fini(&f);

	/* Overlong codes are discarded whole, the next one is fine. */
	memset(&s, 0, sizeof s);
	kioski_framer_init(&f, KIOSKI_TERM_AUTO, 8, 100, collect, &s);
	feed_str(&f, "123456789\rSHORT\r", 100);
	CHECK_EQ_INT(s.n, 1);
	CHECK_STR(s.codes[0], "SHORT");
	CHECK_EQ_INT(f.discarded, 1);
	feed_str(&f, "12345678\r", 100); /* exactly max_len: fine */
	CHECK_EQ_INT(s.n, 2);
	kioski_framer_fini(&f);
}

/* ---- HID decoder ----------------------------------------------------------------- */

struct keyseq {
	struct kioski_hid_decoder d;
	struct kioski_scan_framer f;
	struct sink s;
	uint64_t t;
};

static void ev(struct keyseq *k, int type, int code, int value)
{
	char c;
	switch (kioski_hid_decode(&k->d, (uint16_t)type, (uint16_t)code, value, &c)) {
	case KIOSKI_HID_CHAR: kioski_framer_put(&k->f, (uint8_t)c, k->t); break;
	case KIOSKI_HID_END: kioski_framer_end(&k->f, k->t); break;
	case KIOSKI_HID_DROPPED: kioski_framer_discard(&k->f, "test drop"); break;
	case KIOSKI_HID_BYTES:
		for (int i = 0; i < k->d.nbytes; i++)
			kioski_framer_put(&k->f, k->d.bytes[i], k->t);
		break;
	}
	k->t += 2;
}

static void tap(struct keyseq *k, int key)
{
	ev(k, EV_KEY, key, 1);
	ev(k, EV_SYN, SYN_REPORT, 0);
	ev(k, EV_KEY, key, 0);
	ev(k, EV_SYN, SYN_REPORT, 0);
}

static void shifted(struct keyseq *k, int shift, int key)
{
	ev(k, EV_KEY, shift, 1);
	tap(k, key);
	ev(k, EV_KEY, shift, 0);
}

static void test_hid(void)
{
	struct keyseq k;
	memset(&k, 0, sizeof k);
	k.t = 1000;
	kioski_hid_init(&k.d, false);
	kioski_framer_init(&k.f, KIOSKI_TERM_NONE, 0, 100, collect, &k.s);

	/* "Ab1!:" then Enter — left and right shift, a MSC_SCAN before each key
	 * as real keyboards send, and an autorepeat that must not double a key. */
	shifted(&k, KEY_LEFTSHIFT, KEY_A);
	ev(&k, EV_MSC, MSC_SCAN, 0x70005);
	tap(&k, KEY_B);
	tap(&k, KEY_1);
	shifted(&k, KEY_RIGHTSHIFT, KEY_1);
	ev(&k, EV_KEY, KEY_RIGHTSHIFT, 1);
	ev(&k, EV_KEY, KEY_SEMICOLON, 1);
	ev(&k, EV_KEY, KEY_SEMICOLON, 2); /* autorepeat */
	ev(&k, EV_KEY, KEY_SEMICOLON, 0);
	ev(&k, EV_KEY, KEY_RIGHTSHIFT, 0);
	tap(&k, KEY_ENTER);
	CHECK_EQ_INT(k.s.n, 1);
	CHECK_STR(k.s.codes[0], "Ab1!:");

	/* Every printable US-layout character round-trips through the keymap. */
	const char *all = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			  "-=[];'`\\,./_+{}:\"~|<>?!@#$%^&*() ";
	for (const char *p = all; *p; p++) {
		bool found = false;
		for (int code = 0; code < 128 && !found; code++)
			for (int sh = 0; sh < 2 && !found; sh++)
				if (kioski_hid_keymap_us((uint16_t)code, sh) == *p) {
					if (sh)
						shifted(&k, KEY_LEFTSHIFT, code);
					else
						tap(&k, code);
					found = true;
				}
		CHECK(found);
	}
	tap(&k, KEY_KPENTER);
	CHECK_EQ_INT(k.s.n, 2);
	CHECK_STR(k.s.codes[1], all);

	/* Caps lock is ignored (the scanner shifts capitals itself), keypad
	 * digits are digits, Ctrl chords and function keys are not text. */
	tap(&k, KEY_CAPSLOCK);
	tap(&k, KEY_X);
	shifted(&k, KEY_LEFTSHIFT, KEY_Y);
	tap(&k, KEY_KP7);
	tap(&k, KEY_KPDOT);
	ev(&k, EV_KEY, KEY_LEFTCTRL, 1);
	tap(&k, KEY_C);
	ev(&k, EV_KEY, KEY_LEFTCTRL, 0);
	tap(&k, KEY_F5);
	tap(&k, KEY_KPENTER);
	CHECK_EQ_INT(k.s.n, 3);
	CHECK_STR(k.s.codes[2], "xY7.");
	CHECK_EQ_INT(k.d.ignored, 2);

	/* Events dropped by the kernel: the partial code is thrown away; the
	 * transport's resync (libevdev) then brings the key state up to date
	 * up to SYN_REPORT: the lost shift release does not stick, and a key
	 * found held down types nothing. */
	ev(&k, EV_KEY, KEY_LEFTSHIFT, 1);
	tap(&k, KEY_Q);
	ev(&k, EV_SYN, SYN_DROPPED, 0);
	ev(&k, EV_KEY, KEY_LEFTSHIFT, 0);
	ev(&k, EV_KEY, KEY_X, 1);
	ev(&k, EV_SYN, SYN_REPORT, 0);
	ev(&k, EV_KEY, KEY_X, 0);
	tap(&k, KEY_Z);
	tap(&k, KEY_ENTER);
	CHECK_EQ_INT(k.s.n, 4);
	CHECK_STR(k.s.codes[3], "z");

	/* Tab as the terminator when configured; else data. */
	tap(&k, KEY_A);
	tap(&k, KEY_TAB);
	tap(&k, KEY_B);
	tap(&k, KEY_ENTER);
	CHECK_STR(k.s.codes[4], "a\tb");
	k.d.tab_terminates = true;
	tap(&k, KEY_C);
	tap(&k, KEY_TAB);
	CHECK_EQ_INT(k.s.n, 6);
	CHECK_STR(k.s.codes[5], "c");

	/* Alt + keypad codes: GBK double-byte values and single bytes.
	 * 中 = GBK D6D0 = 54992, 国 = B9FA = 47610, 65 = 'A'. */
	static const int kp[10] = {KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4,
				   KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9};
	static const char *alt_codes[] = {"54992", "47610", "65", "1234567", "0"};
	for (size_t i = 0; i < sizeof alt_codes / sizeof alt_codes[0]; i++) {
		ev(&k, EV_KEY, i % 2 ? KEY_RIGHTALT : KEY_LEFTALT, 1);
		for (const char *p = alt_codes[i]; *p; p++)
			tap(&k, kp[*p - '0']);
		ev(&k, EV_KEY, i % 2 ? KEY_RIGHTALT : KEY_LEFTALT, 0);
	}
	tap(&k, KEY_1);
	tap(&k, KEY_ENTER);
	CHECK_EQ_INT(k.s.n, 7);
	CHECK_STR(k.s.codes[6], "\xd6\xd0\xb9\xfa" "A1");
	CHECK_EQ_INT(k.d.ignored, 4); /* the too-long and the zero code */

	/* A scan interrupted longer than the inter-character timeout. */
	tap(&k, KEY_1);
	k.t += 500;
	tap(&k, KEY_2);
	tap(&k, KEY_ENTER);
	CHECK_EQ_INT(k.s.n, 8);
	CHECK_STR(k.s.codes[7], "2");
	CHECK_EQ_INT(k.f.discarded, 2);
	kioski_framer_fini(&k.f);
}

int main(void)
{
	test_terminators();
	test_split_noise_timeout();
	test_hid();
	return test_done("test_scanner_framer");
}
