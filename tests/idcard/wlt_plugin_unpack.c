/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wlt_plugin_unpack.c — TEST FIXTURE for the WLT hook, not a decoder: it
 * has the common libwlt2bmp `unpack(char *wlt, char *bmp, int mode)`
 * signature and writes a 102×126 24-bit bottom-up BMP whose blue channel
 * is the top-down row number, so the test can check the BMP conversion.
 */
#include <stdint.h>
#include <string.h>

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

__attribute__((visibility("default"))) int unpack(char *wlt, char *bmp, int mode)
{
	(void)mode;
	if (!wlt || !bmp || memcmp(wlt, "KIOSK-SIM", 9))
		return -1; /* only the emulator's placeholder */
	uint8_t *b = (uint8_t *)bmp;
	memset(b, 0, 54);
	b[0] = 'B', b[1] = 'M';
	le32(b + 2, 54 + 308 * 126);
	le32(b + 10, 54);
	le32(b + 14, 40);
	le32(b + 18, 102);
	le32(b + 22, 126);
	b[26] = 1, b[28] = 24;
	for (int row = 0; row < 126; row++) { /* stored bottom-up */
		uint8_t *r = b + 54 + (size_t)row * 308;
		memset(r, 0, 308);
		for (int x = 0; x < 102; x++) {
			r[3 * x] = (uint8_t)(125 - row); /* B = top-down row index */
			r[3 * x + 1] = (uint8_t)x;
			r[3 * x + 2] = 0x80;
		}
	}
	return 1;
}
