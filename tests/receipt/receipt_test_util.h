/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* receipt_test_util.h — helpers shared by the receipt tests. */
#ifndef RECEIPT_TEST_UTIL_H
#define RECEIPT_TEST_UTIL_H

#include <stdio.h>
#include <string.h>
#include "test.h"
#include "printer/printer_profile.h"
#include "escpos/escpos_encode.h"
#include "escpos_model.h"

/* Loads a built-in profile or aborts the test. */
static inline struct kioski_printer_profile load_profile(kiosk_context *ctx, const char *name)
{
	struct kioski_printer_profile p;
	int rc = kioski_printer_profile_load(ctx, name, &p);
	if (rc) {
		fprintf(stderr, "cannot load profile %s: %s\n", name, kiosk_context_last_error(ctx));
		exit(1);
	}
	return p;
}

/* Finds `needle` in `hay`; returns its offset or -1. */
static inline long find_bytes(const uint8_t *hay, size_t n, const void *needle, size_t m)
{
	for (size_t i = 0; m && i + m <= n; i++)
		if (!memcmp(hay + i, needle, m))
			return (long)i;
	return -1;
}

static inline void hexdump(const char *what, const uint8_t *d, size_t n)
{
	fprintf(stderr, "%s (%zu bytes):", what, n);
	for (size_t i = 0; i < n && i < 256; i++)
		fprintf(stderr, " %02x", d[i]);
	fprintf(stderr, "%s\n", n > 256 ? " …" : "");
}

#define CHECK_BYTES(got, glen, want)                                                            \
	do {                                                                                    \
		static const uint8_t _w[] = want;                                               \
		if ((glen) != sizeof _w || memcmp((got), _w, sizeof _w)) {                      \
			fprintf(stderr, "%s:%d: bytes differ\n", __FILE__, __LINE__);           \
			hexdump("  got ", (got), (glen));                                       \
			hexdump("  want", _w, sizeof _w);                                       \
			test_failures++;                                                        \
		}                                                                               \
	} while (0)

#endif
