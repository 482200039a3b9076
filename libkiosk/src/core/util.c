/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* util.c — time, memory wiping, masking and hex helpers for drivers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "driver.h"

uint64_t kioski_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t kioski_deadline(int timeout_ms)
{
	if (timeout_ms < 0)
		return UINT64_MAX;
	return kioski_now_ms() + (uint64_t)timeout_ms;
}

int kioski_remaining_ms(uint64_t deadline_ms)
{
	if (deadline_ms == UINT64_MAX)
		return INT32_MAX;
	uint64_t now = kioski_now_ms();
	if (now >= deadline_ms)
		return 0;
	uint64_t left = deadline_ms - now;
	return left > INT32_MAX ? INT32_MAX : (int)left;
}

void kioski_sleep_ms(int ms)
{
	if (ms <= 0)
		return;
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void kioski_wipe(void *p, size_t n)
{
	if (p && n)
		explicit_bzero(p, n);
}

char *kioski_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

void kioski_mask_id_number(const char *number, char *out, size_t out_len)
{
	if (!out || !out_len)
		return;
	size_t n = number ? strlen(number) : 0, o = 0;
	size_t keep_head = n >= 10 ? 4 : 0, keep_tail = n >= 10 ? 4 : (n > 2 ? 2 : 0);
	for (size_t i = 0; i < n && o + 1 < out_len; i++)
		out[o++] = (i < keep_head || i >= n - keep_tail) ? number[i] : '*';
	out[o] = '\0';
}

/* Length in bytes of the UTF-8 sequence starting with byte c (1 for invalid). */
static size_t utf8_len(unsigned char c)
{
	if (c >= 0xF0 && c < 0xF8)
		return 4;
	if (c >= 0xE0)
		return c < 0xF0 ? 3 : 1;
	if (c >= 0xC0)
		return 2;
	return 1;
}

void kioski_mask_name(const char *name, char *out, size_t out_len)
{
	if (!out || !out_len)
		return;
	out[0] = '\0';
	if (!name || !name[0])
		return;
	/* Count the characters and find where the last one starts. */
	size_t len = strlen(name), n = 0, last = 0;
	for (size_t i = 0; i < len; i += utf8_len((unsigned char)name[i])) {
		last = i;
		n++;
	}
	size_t o = 0, c = 0;
	for (size_t b = 0; b < len; c++) {
		size_t e = b + utf8_len((unsigned char)name[b]);
		if (e > len)
			e = len;
		/* Keep the first character; keep the last one when there are 3+. */
		bool keep = c == 0 || (n >= 3 && b == last && (unsigned char)name[b] >= 0x80);
		if (keep) {
			if (o + (e - b) + 1 > out_len)
				break;
			memcpy(out + o, name + b, e - b);
			o += e - b;
		} else if (!((unsigned char)name[b] >= 0x80 && o > 0 && out[o - 1] == '*')) {
			/* Consecutive hidden characters of a CJK name collapse into one '*'. */
			if (o + 2 > out_len)
				break;
			out[o++] = '*';
		}
		b = e;
	}
	out[o] = '\0';
}

void kioski_hex(const void *data, size_t len, size_t max, char *out, size_t out_len)
{
	if (!out || !out_len)
		return;
	const uint8_t *p = data;
	size_t o = 0, n = len < max ? len : max;
	out[0] = '\0';
	for (size_t i = 0; i < n && o + 4 < out_len; i++)
		o += (size_t)snprintf(out + o, out_len - o, i ? " %02x" : "%02x", p[i]);
	if (n < len && o + 5 < out_len)
		snprintf(out + o, out_len - o, " …");
}
