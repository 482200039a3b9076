/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_uri.c — libFuzzer target for kiosk_uri_parse().
 *
 * Checks, for any input: no crash or leak; the result is the same with and
 * without an error buffer; a failure leaves *uri NULL and a non-empty,
 * terminated message (also in a tiny buffer); a success has a known scheme,
 * consistent accessors, and a canonical form that parses again to the very
 * same URI (the library copies URIs through their canonical text).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kiosk/kiosk.h>

#define FAIL(...)                                                                           \
	do {                                                                                \
		fprintf(stderr, "fuzz_uri: " __VA_ARGS__);                                  \
		fputc('\n', stderr);                                                        \
		abort();                                                                    \
	} while (0)

static const char *const keys[] = {"baud", "serial", "interface", "ep_in", "ep_out", "flow",
				   "connect_timeout_ms", "timeout_ms", "x"};

static void same(const kiosk_uri *a, const kiosk_uri *b, const char *text)
{
	if (kiosk_uri_get_scheme(a) != kiosk_uri_get_scheme(b))
		FAIL("scheme changed through canonical form of '%s'", text);
	const char *pa = kiosk_uri_get_path(a), *pb = kiosk_uri_get_path(b);
	if ((pa == NULL) != (pb == NULL) || (pa && strcmp(pa, pb)))
		FAIL("path changed through canonical form of '%s'", text);
	if (kiosk_uri_get_port(a) != kiosk_uri_get_port(b) ||
	    kiosk_uri_get_vid(a) != kiosk_uri_get_vid(b) ||
	    kiosk_uri_get_pid(a) != kiosk_uri_get_pid(b))
		FAIL("port/vid/pid changed through canonical form of '%s'", text);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *va = kiosk_uri_get_option(a, keys[i]);
		const char *vb = kiosk_uri_get_option(b, keys[i]);
		if ((va == NULL) != (vb == NULL) || (va && strcmp(va, vb)))
			FAIL("option %s changed through canonical form of '%s'", keys[i], text);
	}
	if (strcmp(kiosk_uri_to_string(a), kiosk_uri_to_string(b)))
		FAIL("canonical form of '%s' is not stable: '%s' vs '%s'", text,
		     kiosk_uri_to_string(a), kiosk_uri_to_string(b));
}

static void check_accessors(const kiosk_uri *u, const char *text)
{
	enum kiosk_uri_scheme s = kiosk_uri_get_scheme(u);
	if (s < KIOSK_URI_SERIAL || s > KIOSK_URI_EVDEV)
		FAIL("bad scheme %d for '%s'", (int)s, text);
	const char *canon = kiosk_uri_to_string(u);
	if (!canon || strncmp(canon, kiosk_uri_scheme_name(s), strlen(kiosk_uri_scheme_name(s))))
		FAIL("canonical form of '%s' does not start with its scheme", text);
	const char *path = kiosk_uri_get_path(u);
	switch (s) {
	case KIOSK_URI_USB:
		if (path)
			FAIL("usb URI '%s' has a path", text);
		break;
	case KIOSK_URI_TCP:
		if (!path || !*path || kiosk_uri_get_port(u) < 1 || kiosk_uri_get_port(u) > 65535)
			FAIL("tcp URI '%s' without host or port", text);
		break;
	default:
		if (!path || path[0] != '/')
			FAIL("path URI '%s' without an absolute path", text);
		if (kiosk_uri_get_port(u) || kiosk_uri_get_vid(u) || kiosk_uri_get_pid(u))
			FAIL("path URI '%s' has port/vid/pid", text);
	}
	long v = 0;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		int r = kiosk_uri_get_option_int(u, keys[i], -1000, 1000000, 7, &v);
		if (r != KIOSK_OK && r != KIOSK_E_BAD_URI)
			FAIL("get_option_int returned %d", r);
		if (!kiosk_uri_get_option(u, keys[i]) && (r != KIOSK_OK || v != 7))
			FAIL("absent option %s did not give the default", keys[i]);
	}
	/* baud is validated at parse time. */
	if (kiosk_uri_get_option_int(u, "baud", 50, 4000000, 115200, &v) != KIOSK_OK)
		FAIL("'%s' parsed with an invalid baud", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;

	kiosk_uri *u = NULL, *u2 = NULL;
	char err[160], tiny[4];
	memset(err, 'X', sizeof err);
	int r = kiosk_uri_parse(text, &u, err, sizeof err);
	int r_null = kiosk_uri_parse(text, &u2, NULL, 0);
	kiosk_uri_free(u2);
	u2 = NULL;
	int r_tiny = kiosk_uri_parse(text, &u2, tiny, sizeof tiny);
	kiosk_uri_free(u2);
	u2 = NULL;
	if (r != r_null || r != r_tiny)
		FAIL("result depends on the error buffer: %d/%d/%d", r, r_null, r_tiny);
	if (r != KIOSK_OK) {
		if (r != KIOSK_E_BAD_URI && r != KIOSK_E_NO_MEMORY)
			FAIL("unexpected error %d", r);
		if (u)
			FAIL("failed parse left a URI");
		if (!memchr(err, 0, sizeof err) || !err[0])
			FAIL("failed parse without a terminated message");
		if (!memchr(tiny, 0, sizeof tiny))
			FAIL("message overflowed a tiny buffer");
		free(text);
		return 0;
	}
	if (!u)
		FAIL("success without a URI");
	check_accessors(u, text);
	const char *canon = kiosk_uri_to_string(u);
	int r2 = kiosk_uri_parse(canon, &u2, err, sizeof err);
	if (r2 != KIOSK_OK)
		FAIL("canonical form '%s' of '%s' does not parse: %s", canon, text, err);
	same(u, u2, text);
	kiosk_uri_free(u2);
	kiosk_uri_free(u);
	free(text);
	return 0;
}
