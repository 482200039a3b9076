/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_escpos_trace — libFuzzer target: the ESC/POS trace describer
 * (drivers/escpos/escpos_trace.c), which walks arbitrary bytes going to a
 * printer. The first byte picks the output buffer size and direction.
 *
 * Invariants: no crash, no overrun, the description is terminated and fits;
 * what goes out is described in printable ASCII only (plus the final "…"),
 * so no text byte of a receipt (GB18030, UTF-8: bytes >= 0x80) can appear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "escpos/escpos_trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	size_t cap = 1 + data[0] * 4u; /* 1..1021 */
	bool out = !(data[0] & 1) || data[0] == 1;
	char *buf = malloc(cap);
	if (!buf)
		return 0;
	kioski_escpos_trace(data + 1, size - 1, out, buf, cap);
	size_t len = strnlen(buf, cap);
	if (len == cap)
		abort(); /* not terminated */
	const char *ell = strstr(buf, "…");
	size_t body = ell ? (size_t)(ell - buf) : len;
	if (ell && ell + strlen("…") != buf + len)
		abort(); /* the ellipsis only ends it */
	for (size_t i = 0; i < body; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7E)
			abort();
	free(buf);
	return 0;
}
