/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wlt_plugin_kiosk.c — TEST FIXTURE for the WLT hook, not a decoder: it
 * implements libkiosk's plug-in symbol and fills the image with a pattern
 * derived from the input bytes, so the test can check the plumbing
 * (dlopen, symbol lookup, buffer sizes, ownership).
 */
#include <stddef.h>
#include <stdint.h>

__attribute__((visibility("default"))) int kiosk_wlt_decode(const uint8_t *wlt, size_t wlt_len, uint8_t *bgr, size_t bgr_len, int *w,
		     int *h)
{
	if (wlt_len != 1024 || bgr_len != 102 * 126 * 3)
		return -1;
	for (size_t i = 0; i < bgr_len; i++)
		bgr[i] = (uint8_t)(wlt[i % wlt_len] ^ 0xff);
	*w = 102;
	*h = 126;
	return 0;
}
