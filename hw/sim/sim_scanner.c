/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim_scanner.c — a QR/barcode scanner emulator.
 *
 *   serial (default): the master side of a pty; prints
 *     serial:/dev/pts/N?baud=B&terminator=T and sends each code followed by
 *     the terminator, like a serial scanner in its default mode.
 *   --uinput: a USB HID keyboard-wedge scanner created through /dev/uinput;
 *     prints evdev:/dev/input/eventN and "types" each code (US layout, shift
 *     for capitals and symbols, Chinese as GBK Alt+keypad codes, Enter at the
 *     end). Exits 77 where /dev/uinput is missing.
 *   --evemu FILE: writes the key events of the codes as an evemu .events
 *     file (for umockdev-run -e / umockdev_testbed_load_evemu_events) and
 *     prints the umockdev device description to use with it.
 *
 * Deterministic: fixed codes and timings; fault switches add line noise,
 * split codes across writes, or cut one off mid-way.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <linux/uinput.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <dirent.h>
#include <iconv.h>
#include "sim.h"

#define MAX_CODES 64

struct scan_opts {
	const char *codes[MAX_CODES];
	int ncodes;
	const char *terminator;
	int baud;
	int interval_ms, delay_ms, key_ms, gap_ms;
	bool repeat, use_stdin, noise, split, uinput, exit_after;
	int truncate_nth; /* 1-based code to cut off mid-way; 0 none */
	const char *evemu;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kiosk-sim scanner [--pty | --uinput | --evemu FILE] [OPTIONS] [--code TEXT]…\n"
		"  --pty               serial scanner on a pty (default); prints serial:PATH?baud=…\n"
		"  --uinput            HID keyboard-wedge scanner via /dev/uinput; prints evdev:PATH\n"
		"                      (exit 77 when /dev/uinput is not available)\n"
		"  --evemu FILE        write the codes as an evemu .events file for umockdev and\n"
		"                      print the matching umockdev device description\n"
		"  --baud N            baud rate put in the URI (default 9600)\n"
		"  --terminator T      cr | lf | crlf (default cr)\n"
		"  --code TEXT         a code to scan (repeatable; default KIOSK-CASE:2026-000123)\n"
		"  --stdin             scan each line typed on stdin (after the --code ones)\n"
		"  --delay MS          wait before the first code (default 500)\n"
		"  --interval MS       between codes (default 500)\n"
		"  --key-ms MS         between key events in wedge modes (default 2)\n"
		"  --repeat            cycle through the codes until interrupted\n"
		"  --exit              exit after the last code (default: keep the device open)\n"
		"faults:\n"
		"  --noise             line noise (NUL, DEL, STX/ETX) around each code\n"
		"  --split             write each code in 1–3 byte pieces, 5 ms apart\n"
		"  --truncate N        cut code N (1-based) off half-way, then pause --gap MS\n"
		"  --gap MS            the pause after a cut-off code (default 1000)\n");
}

/* ---- serial ------------------------------------------------------------------ */

static const char *term_bytes(const char *t)
{
	if (!strcmp(t, "lf"))
		return "\n";
	if (!strcmp(t, "crlf"))
		return "\r\n";
	return "\r";
}

static int send_serial(int fd, const struct scan_opts *o, const char *code, int index)
{
	static const uint8_t noise[] = {0x00, 0x7f, 0x02, 0x03};
	if (o->noise && sim_write_all(fd, noise, sizeof noise) < 0)
		return -1;
	size_t len = strlen(code);
	if (o->truncate_nth == index) {
		size_t half = len / 2 ? len / 2 : 1;
		sim_log("scanner: sending %zu of %zu bytes of code %d, then pausing %d ms", half,
			len, index, o->gap_ms);
		if (sim_write_all(fd, code, half) < 0)
			return -1;
		sim_sleep_ms(o->gap_ms);
		return 0;
	}
	if (o->split) {
		size_t off = 0, step = 1;
		while (off < len) {
			size_t n = len - off < step ? len - off : step;
			if (sim_write_all(fd, code + off, n) < 0)
				return -1;
			off += n;
			step = step % 3 + 1;
			sim_sleep_ms(5);
		}
	} else if (sim_write_all(fd, code, len) < 0) {
		return -1;
	}
	const char *t = term_bytes(o->terminator);
	if (o->split && strlen(t) == 2) {
		/* CR and LF in separate writes: the framer must join them. */
		if (sim_write_all(fd, t, 1) < 0)
			return -1;
		sim_sleep_ms(5);
		t++;
	}
	if (sim_write_all(fd, t, strlen(t)) < 0)
		return -1;
	if (o->noise && sim_write_all(fd, noise, 1) < 0)
		return -1;
	sim_log("scanner: sent code %d (%zu bytes)", index, len);
	return 0;
}

/* ---- US keyboard layout (reverse map) -------------------------------------------- */

static bool char_to_key(char c, int *key, bool *shift)
{
	static const char *rows[] = {
		"1234567890-=", "qwertyuiop[]", "asdfghjkl;'`", "\\zxcvbnm,./",
	};
	static const char *srows[] = {
		"!@#$%^&*()_+", "QWERTYUIOP{}", "ASDFGHJKL:\"~", "|ZXCVBNM<>?",
	};
	static const int first[] = {KEY_1, KEY_Q, KEY_A, KEY_BACKSLASH};
	if (c == ' ') {
		*key = KEY_SPACE;
		*shift = false;
		return true;
	}
	if (c == '\t') {
		*key = KEY_TAB;
		*shift = false;
		return true;
	}
	for (int r = 0; r < 4; r++) {
		const char *p = strchr(rows[r], c);
		bool s = false;
		if (!p || !c) {
			p = strchr(srows[r], c);
			s = true;
		}
		if (p && c) {
			int idx = (int)(p - (s ? srows[r] : rows[r]));
			/* Row 2 ends "…;'`": KEY_GRAVE (41) follows KEY_APOSTROPHE (40);
			 * row 3 starts with backslash (43) then z (44)…: contiguous. */
			*key = first[r] + idx;
			*shift = s;
			return true;
		}
	}
	return false;
}

struct key_sink {
	int (*emit)(void *user, int type, int code, int value);
	void *user;
	int key_ms;
};

static int tap_key(struct key_sink *k, int key)
{
	if (k->emit(k->user, EV_KEY, key, 1) < 0 || k->emit(k->user, EV_SYN, SYN_REPORT, 0) < 0 ||
	    k->emit(k->user, EV_KEY, key, 0) < 0 || k->emit(k->user, EV_SYN, SYN_REPORT, 0) < 0)
		return -1;
	return 0;
}

/* Alt + the decimal value on the keypad: how scanners in "ALT+keypad" mode
 * type a GBK double-byte character. */
static int type_alt_code(struct key_sink *k, unsigned value)
{
	static const int kp[10] = {KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4,
				   KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9};
	char digits[8];
	snprintf(digits, sizeof digits, "%u", value);
	if (k->emit(k->user, EV_KEY, KEY_LEFTALT, 1) < 0 || k->emit(k->user, EV_SYN, SYN_REPORT, 0) < 0)
		return -1;
	for (const char *p = digits; *p; p++)
		if (tap_key(k, kp[*p - '0']) < 0)
			return -1;
	if (k->emit(k->user, EV_KEY, KEY_LEFTALT, 0) < 0 || k->emit(k->user, EV_SYN, SYN_REPORT, 0) < 0)
		return -1;
	return 0;
}

static int type_code(struct key_sink *k, const char *utf8, bool cut)
{
	/* Non-ASCII text goes out as GBK Alt codes: convert UTF-8 → GB18030. */
	char gbk[4096];
	const char *code = utf8;
	bool ascii = true;
	for (const char *p = utf8; *p; p++)
		ascii &= (unsigned char)*p < 0x80;
	if (!ascii) {
		iconv_t cd = iconv_open("GB18030", "UTF-8");
		char *in = (char *)utf8, *out = gbk;
		size_t inl = strlen(utf8), outl = sizeof gbk - 1;
		if (cd == (iconv_t)-1 || iconv(cd, &in, &inl, &out, &outl) == (size_t)-1) {
			fprintf(stderr, "kiosk-sim: cannot convert the code to GBK\n");
			if (cd != (iconv_t)-1)
				iconv_close(cd);
			return -1;
		}
		iconv_close(cd);
		*out = 0;
		code = gbk;
	}
	size_t len = strlen(code), n = cut ? (len / 2 ? len / 2 : 1) : len;
	for (size_t i = 0; i < n; i++) {
		int key;
		bool shift;
		unsigned char b = (unsigned char)code[i];
		if (b >= 0x81 && i + 1 < len && (unsigned char)code[i + 1] >= 0x40 &&
		    (unsigned char)code[i + 1] != 0x7f && ((unsigned char)code[i + 1] < 0x30 ||
							   (unsigned char)code[i + 1] > 0x39)) {
			if (type_alt_code(k, (unsigned)b << 8 | (unsigned char)code[i + 1]) < 0)
				return -1;
			i++;
			continue;
		}
		if (!char_to_key(code[i], &key, &shift)) {
			fprintf(stderr, "kiosk-sim: cannot type 0x%02x on a US keyboard; skipped\n",
				(unsigned char)code[i]);
			continue;
		}
		if (shift && (k->emit(k->user, EV_KEY, KEY_LEFTSHIFT, 1) < 0 ||
			      k->emit(k->user, EV_SYN, SYN_REPORT, 0) < 0))
			return -1;
		if (k->emit(k->user, EV_KEY, key, 1) < 0 || k->emit(k->user, EV_SYN, SYN_REPORT, 0) < 0 ||
		    k->emit(k->user, EV_KEY, key, 0) < 0 || k->emit(k->user, EV_SYN, SYN_REPORT, 0) < 0)
			return -1;
		if (shift && (k->emit(k->user, EV_KEY, KEY_LEFTSHIFT, 0) < 0 ||
			      k->emit(k->user, EV_SYN, SYN_REPORT, 0) < 0))
			return -1;
	}
	if (cut)
		return 0;
	if (k->emit(k->user, EV_KEY, KEY_ENTER, 1) < 0 || k->emit(k->user, EV_SYN, SYN_REPORT, 0) < 0 ||
	    k->emit(k->user, EV_KEY, KEY_ENTER, 0) < 0 || k->emit(k->user, EV_SYN, SYN_REPORT, 0) < 0)
		return -1;
	return 0;
}

/* ---- evemu file -------------------------------------------------------------------- */

struct evemu_out {
	FILE *f;
	double t;     /* seconds */
	double step;  /* seconds per key event */
};

static int evemu_emit(void *user, int type, int code, int value)
{
	struct evemu_out *e = user;
	if (type == EV_KEY)
		e->t += e->step;
	long sec = (long)e->t;
	long usec = (long)((e->t - (double)sec) * 1e6 + 0.5);
	if (usec >= 1000000) {
		sec++;
		usec -= 1000000;
	}
	return fprintf(e->f, "E: %ld.%06ld %04x %04x %d\n", sec, usec, type, code, value) < 0 ? -1
												 : 0;
}

/* The sysfs description umockdev needs for the evemu replay (a USB keyboard
 * 1d6b:0104 — a Linux USB gadget id — at /dev/input/event7). */
const char sim_scanner_umockdev_desc[] =
	"P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/0003:1D6B:0104.0001/input/input7/event7\n"
	"N: input/event7\n"
	"E: DEVNAME=/dev/input/event7\n"
	"E: MAJOR=13\n"
	"E: MINOR=71\n"
	"E: SUBSYSTEM=input\n"
	"E: ID_INPUT=1\n"
	"E: ID_INPUT_KEYBOARD=1\n"
	"A: dev=13:71\n"
	"L: device=../../input7\n"
	"\n"
	"P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/0003:1D6B:0104.0001/input/input7\n"
	"E: SUBSYSTEM=input\n"
	"E: NAME=\"kiosk-sim scanner\"\n"
	"A: name=kiosk-sim scanner\n"
	"A: capabilities/ev=120013\n"
	"A: capabilities/key=e080ffdf01cfffff fffffffffffffffe\n"
	"\n"
	"P: /devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0\n"
	"E: DEVTYPE=usb_interface\n"
	"E: SUBSYSTEM=usb\n"
	"A: bInterfaceClass=03\n"
	"\n"
	"P: /devices/pci0000:00/0000:00:14.0/usb1/1-3\n"
	"E: DEVTYPE=usb_device\n"
	"E: SUBSYSTEM=usb\n"
	"A: idVendor=1d6b\n"
	"A: idProduct=0104\n"
	"A: serial=SIM0001\n";

/* Writes the codes as evemu events: the first key at start_ms, keys key_ms
 * apart, codes gap_ms apart; code `truncate_nth` (1-based) cut off half-way.
 * Returns 0 or -1. */
int sim_scanner_write_evemu(FILE *f, const char *const *codes, int ncodes, int start_ms,
			    int key_ms, int gap_ms, int truncate_nth)
{
	struct evemu_out e = {.f = f, .t = start_ms / 1000.0, .step = key_ms / 1000.0};
	struct key_sink k = {.emit = evemu_emit, .user = &e, .key_ms = key_ms};
	if (fprintf(f, "# EVEMU 1.3\n# kiosk-sim scanner: %d code(s)\n", ncodes) < 0)
		return -1;
	for (int i = 0; i < ncodes; i++) {
		if (type_code(&k, codes[i], truncate_nth == i + 1) < 0)
			return -1;
		e.t += gap_ms / 1000.0;
	}
	return fflush(f) == 0 ? 0 : -1;
}

/* ---- uinput -------------------------------------------------------------------------- */

struct uinput_out {
	int fd;
	int key_ms;
};

static int uinput_emit(void *user, int type, int code, int value)
{
	struct uinput_out *u = user;
	struct input_event ev = {.type = (uint16_t)type, .code = (uint16_t)code, .value = value};
	if (sim_write_all(u->fd, &ev, sizeof ev) < 0)
		return -1;
	if (type == EV_KEY && u->key_ms)
		sim_sleep_ms(u->key_ms);
	return 0;
}

static int uinput_open(char *uri, size_t uri_len)
{
	int fd = open("/dev/uinput", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ioctl(fd, UI_SET_EVBIT, EV_KEY);
	ioctl(fd, UI_SET_EVBIT, EV_SYN);
	for (int k = KEY_ESC; k <= KEY_KPDOT; k++)
		ioctl(fd, UI_SET_KEYBIT, k);
	ioctl(fd, UI_SET_KEYBIT, KEY_KPENTER);
	struct uinput_setup us = {0};
	us.id.bustype = BUS_USB;
	us.id.vendor = 0x1d6b;
	us.id.product = 0x0104;
	snprintf(us.name, sizeof us.name, "kiosk-sim scanner");
	if (ioctl(fd, UI_DEV_SETUP, &us) < 0 || ioctl(fd, UI_DEV_CREATE) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	char sys[64] = "";
	if (ioctl(fd, UI_GET_SYSNAME(sizeof sys), sys) < 0) {
		int e = errno;
		ioctl(fd, UI_DEV_DESTROY);
		close(fd);
		return -e;
	}
	/* The event node appears under /sys/class/input/inputN/ once udev is done. */
	char dir[128], node[300] = "";
	snprintf(dir, sizeof dir, "/sys/class/input/%s", sys);
	for (int tries = 0; tries < 200 && !node[0]; tries++) {
		DIR *d = opendir(dir);
		struct dirent *de;
		while (d && (de = readdir(d)))
			if (!strncmp(de->d_name, "event", 5))
				snprintf(node, sizeof node, "%s", de->d_name);
		if (d)
			closedir(d);
		if (!node[0])
			sim_sleep_ms(10);
	}
	if (!node[0]) {
		ioctl(fd, UI_DEV_DESTROY);
		close(fd);
		return -ENODEV;
	}
	snprintf(uri, uri_len, "evdev:/dev/input/%s", node);
	return fd;
}

/* ---- main ---------------------------------------------------------------------------- */

static int parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* Serves the codes through `send` (serial) or the key sink (wedge). */
static int run_codes(const struct scan_opts *o, int fd, struct key_sink *k)
{
	int index = 0;
	sim_sleep_ms(o->delay_ms);
	do {
		for (int i = 0; i < o->ncodes && !sim_stop; i++) {
			index++;
			int r = k ? type_code(k, o->codes[i], o->truncate_nth == index)
				  : send_serial(fd, o, o->codes[i], index);
			if (r < 0) {
				fprintf(stderr, "kiosk-sim: scanner: write failed: %s\n", strerror(errno));
				return 1;
			}
			sim_sleep_ms(o->interval_ms);
		}
	} while (o->repeat && o->ncodes && !sim_stop);
	if (o->use_stdin) {
		char line[4096];
		while (!sim_stop && fgets(line, sizeof line, stdin)) {
			line[strcspn(line, "\r\n")] = 0;
			if (!line[0])
				continue;
			index++;
			int r = k ? type_code(k, line, false) : send_serial(fd, o, line, index);
			if (r < 0)
				return 1;
		}
	}
	if (!o->exit_after)
		while (!sim_stop)
			sim_sleep_ms(100);
	else
		sim_sleep_ms(500); /* a pty hang-up flushes unread input: let the reader drain it */
	return 0;
}

int sim_scanner_main(int argc, char **argv)
{
	struct scan_opts o = {.terminator = "cr", .baud = 9600, .interval_ms = 500,
			      .delay_ms = 500, .key_ms = 2, .gap_ms = 1000};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--pty")) {
			o.uinput = false;
		} else if (!strcmp(a, "--uinput")) {
			o.uinput = true;
		} else if (!strcmp(a, "--evemu") && v) {
			o.evemu = v;
			i++;
		} else if (!strcmp(a, "--baud") && v && !parse_int(v, 50, 4000000, &o.baud)) {
			i++;
		} else if (!strcmp(a, "--terminator") && v &&
			   (!strcmp(v, "cr") || !strcmp(v, "lf") || !strcmp(v, "crlf"))) {
			o.terminator = v;
			i++;
		} else if (!strcmp(a, "--code") && v) {
			if (o.ncodes == MAX_CODES) {
				fprintf(stderr, "kiosk-sim: at most %d --code\n", MAX_CODES);
				return 2;
			}
			o.codes[o.ncodes++] = v;
			i++;
		} else if (!strcmp(a, "--interval") && v && !parse_int(v, 0, 3600000, &o.interval_ms)) {
			i++;
		} else if (!strcmp(a, "--delay") && v && !parse_int(v, 0, 3600000, &o.delay_ms)) {
			i++;
		} else if (!strcmp(a, "--key-ms") && v && !parse_int(v, 0, 1000, &o.key_ms)) {
			i++;
		} else if (!strcmp(a, "--gap") && v && !parse_int(v, 0, 3600000, &o.gap_ms)) {
			i++;
		} else if (!strcmp(a, "--truncate") && v && !parse_int(v, 1, 1000000, &o.truncate_nth)) {
			i++;
		} else if (!strcmp(a, "--stdin")) {
			o.use_stdin = true;
		} else if (!strcmp(a, "--repeat")) {
			o.repeat = true;
		} else if (!strcmp(a, "--exit")) {
			o.exit_after = true;
		} else if (!strcmp(a, "--noise")) {
			o.noise = true;
		} else if (!strcmp(a, "--split")) {
			o.split = true;
		} else {
			fprintf(stderr, "kiosk-sim: scanner: bad option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (!o.ncodes && !o.use_stdin)
		o.codes[o.ncodes++] = "KIOSK-CASE:2026-000123";

	if (o.evemu) {
		FILE *f = fopen(o.evemu, "w");
		if (!f || sim_scanner_write_evemu(f, o.codes, o.ncodes, o.delay_ms, o.key_ms,
						  o.interval_ms, o.truncate_nth) < 0) {
			fprintf(stderr, "kiosk-sim: cannot write %s: %s\n", o.evemu, strerror(errno));
			if (f)
				fclose(f);
			return 1;
		}
		fclose(f);
		printf("evdev:/dev/input/event7\n%s", sim_scanner_umockdev_desc);
		return 0;
	}

	if (o.uinput) {
		char uri[128];
		int fd = uinput_open(uri, sizeof uri);
		if (fd < 0) {
			fprintf(stderr, "kiosk-sim: scanner: no uinput here (%s): skipping\n",
				strerror(-fd));
			return 77;
		}
		printf("%s\n", uri);
		fflush(stdout);
		struct uinput_out u = {.fd = fd, .key_ms = o.key_ms};
		struct key_sink k = {.emit = uinput_emit, .user = &u, .key_ms = o.key_ms};
		int r = run_codes(&o, -1, &k);
		ioctl(fd, UI_DEV_DESTROY);
		close(fd);
		return r;
	}

	int master;
	char slave[128];
	int r = sim_pty_open(&master, slave, sizeof slave);
	if (r < 0) {
		fprintf(stderr, "kiosk-sim: scanner: cannot open a pty: %s\n", strerror(-r));
		return 1;
	}
	printf("serial:%s?baud=%d&terminator=%s\n", slave, o.baud, o.terminator);
	fflush(stdout);
	r = run_codes(&o, master, NULL);
	close(master);
	return r;
}
