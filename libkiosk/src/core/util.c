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
