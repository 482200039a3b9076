/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fontgen — build-time tool: packs the glyphs of GNU Unifont (unifont.hex,
 * Debian package `unifont`) that a receipt preview needs into a compact blob
 * embedded in libkiosk (receipt_font.c):
 *
 *   "KFN1" | u32 n_ranges | n × {u32 first, u32 last} | width bits (1 = 16 px)
 *   | PNG, 1-bit grey, 16 px wide, 16 rows per glyph, glyphs in range order
 *
 * Missing code points inside a range get an empty glyph flagged 8 px wide.
 * Usage: fontgen unifont.hex out.bin   (a missing hex file gives an empty font)
 */
#include <png.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint32_t ranges[][2] = {
	{0x0020, 0x007E}, {0x00A0, 0x024F}, {0x0370, 0x03FF}, {0x0400, 0x04FF},
	{0x2000, 0x206F}, {0x20A0, 0x20BF}, {0x2100, 0x22FF}, {0x2460, 0x24FF},
	{0x2500, 0x25FF}, {0x2600, 0x26FF}, {0x3000, 0x312F}, {0x3200, 0x33FF}, {0x3400, 0x4DBF},
	{0x4E00, 0x9FFF}, {0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFFEF},
};
#define N_RANGES (sizeof ranges / sizeof ranges[0])

static void put32(FILE *f, uint32_t v)
{
	uint8_t b[4] = {v & 0xFF, v >> 8 & 0xFF, v >> 16 & 0xFF, v >> 24};
	fwrite(b, 1, 4, f);
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: fontgen unifont.hex out.bin\n");
		return 2;
	}
	size_t n = 0, base[N_RANGES];
	for (size_t i = 0; i < N_RANGES; i++) {
		base[i] = n;
		n += ranges[i][1] - ranges[i][0] + 1;
	}
	uint8_t *bits = calloc(n, 32), *wide = calloc((n + 7) / 8, 1);
	if (!bits || !wide)
		return 1;
	size_t found = 0;
	FILE *in = fopen(argv[1], "r");
	if (!in) {
		fprintf(stderr, "fontgen: warning: cannot open %s: the receipt preview will draw boxes for text\n",
			argv[1]);
	} else {
		char line[512];
		while (fgets(line, sizeof line, in)) {
			char *colon = strchr(line, ':');
			if (!colon)
				continue;
			uint32_t cp = (uint32_t)strtoul(line, NULL, 16);
			size_t idx = (size_t)-1;
			for (size_t i = 0; i < N_RANGES; i++)
				if (cp >= ranges[i][0] && cp <= ranges[i][1])
					idx = base[i] + (cp - ranges[i][0]);
			if (idx == (size_t)-1)
				continue;
			char *h = colon + 1;
			size_t len = strcspn(h, "\r\n");
			if (len != 32 && len != 64)
				continue;
			bool is_wide = len == 64;
			for (int row = 0; row < 16; row++) {
				for (int k = 0; k < (is_wide ? 2 : 1); k++) {
					int hi = hexval(h[(row * (is_wide ? 2 : 1) + k) * 2]);
					int lo = hexval(h[(row * (is_wide ? 2 : 1) + k) * 2 + 1]);
					if (hi < 0 || lo < 0)
						continue;
					bits[idx * 32 + row * 2 + k] = (uint8_t)(hi << 4 | lo);
				}
			}
			if (is_wide)
				wide[idx / 8] |= (uint8_t)(1 << (idx % 8));
			found++;
		}
		fclose(in);
	}
	FILE *out = fopen(argv[2], "wb");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	fwrite("KFN1", 1, 4, out);
	put32(out, found ? (uint32_t)N_RANGES : 0);
	if (found) {
		for (size_t i = 0; i < N_RANGES; i++) {
			put32(out, ranges[i][0]);
			put32(out, ranges[i][1]);
		}
		fwrite(wide, 1, (n + 7) / 8, out);
		png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
		png_infop info = png_create_info_struct(png);
		if (!png || !info || setjmp(png_jmpbuf(png)))
			return 1;
		png_init_io(png, out);
		png_set_compression_level(png, 9);
		png_set_IHDR(png, info, 16, (png_uint_32)(n * 16), 1, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
			     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
		png_write_info(png, info);
		for (size_t r = 0; r < n * 16; r++)
			png_write_row(png, bits + r * 2);
		png_write_end(png, NULL);
		png_destroy_write_struct(&png, &info);
	}
	fclose(out);
	fprintf(stderr, "fontgen: %zu glyphs packed (%zu slots)\n", found, n);
	free(bits);
	free(wide);
	return 0;
}
