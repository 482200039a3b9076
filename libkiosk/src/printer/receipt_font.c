/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* receipt_font.c — the preview's bitmap font: a blob packed by
 * receipt_font/fontgen.c from unifont.hex, embedded with .incbin.
 * The glyphs are GNU Unifont's (Debian package `unifont`): GPL-2.0-or-later
 * with the GNU font embedding exception, or SIL OFL 1.1 — embedding them as
 * data does not change libkiosk's own licence. */
#include <pthread.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include "printer/receipt_font.h"

#ifdef KIOSK_FONT_BLOB
__asm__(".section .rodata\n"
	".balign 16\n"
	".globl kioski_font_blob\n"
	".hidden kioski_font_blob\n"
	"kioski_font_blob:\n"
	".incbin \"" KIOSK_FONT_BLOB "\"\n"
	".globl kioski_font_blob_end\n"
	".hidden kioski_font_blob_end\n"
	"kioski_font_blob_end:\n"
	".previous\n");
extern const uint8_t kioski_font_blob[] __attribute__((visibility("hidden")));
extern const uint8_t kioski_font_blob_end[] __attribute__((visibility("hidden")));
#endif

struct font {
	uint32_t n_ranges;
	uint32_t (*ranges)[3]; /* first, last, base index */
	const uint8_t *wide;
	uint8_t *bits;         /* 32 bytes per glyph */
	size_t n_glyphs;
};

static struct font font;
static pthread_once_t font_once = PTHREAD_ONCE_INIT;

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

struct mem_reader {
	const uint8_t *p;
	size_t left;
};

static void mem_read(png_structp png, png_bytep out, png_size_t n)
{
	struct mem_reader *m = png_get_io_ptr(png);
	if (n > m->left)
		png_error(png, "truncated font");
	memcpy(out, m->p, n);
	m->p += n;
	m->left -= n;
}

static void load(void)
{
#ifdef KIOSK_FONT_BLOB
	const uint8_t *b = kioski_font_blob;
	size_t len = (size_t)(kioski_font_blob_end - kioski_font_blob);
	if (len < 8 || memcmp(b, "KFN1", 4))
		return;
	uint32_t nr = rd32(b + 4);
	if (!nr || nr > 256 || len < 8 + (size_t)nr * 8)
		return;
	uint32_t(*ranges)[3] = calloc(nr, sizeof *ranges);
	if (!ranges)
		return;
	volatile size_t n = 0;
	for (uint32_t i = 0; i < nr; i++) {
		ranges[i][0] = rd32(b + 8 + i * 8);
		ranges[i][1] = rd32(b + 12 + i * 8);
		ranges[i][2] = (uint32_t)n;
		n += ranges[i][1] - ranges[i][0] + 1;
	}
	size_t off = 8 + (size_t)nr * 8;
	const uint8_t *wide = b + off;
	off += (n + 7) / 8;
	if (off > len) {
		free(ranges);
		return;
	}
	volatile size_t total = n;
	uint8_t *bits = malloc(total * 32);
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	struct mem_reader m = {b + off, len - off};
	if (!bits || !png || !info)
		goto fail;
	if (setjmp(png_jmpbuf(png)))
		goto fail;
	png_set_read_fn(png, &m, mem_read);
	png_read_info(png, info);
	if (png_get_image_width(png, info) != 16 || png_get_image_height(png, info) != total * 16 ||
	    png_get_bit_depth(png, info) != 1 || png_get_color_type(png, info) != PNG_COLOR_TYPE_GRAY)
		goto fail;
	for (size_t r = 0; r < total * 16; r++)
		png_read_row(png, bits + r * 2, NULL);
	png_destroy_read_struct(&png, &info, NULL);
	font.n_ranges = nr;
	font.ranges = ranges;
	font.wide = wide;
	font.bits = bits;
	font.n_glyphs = total;
	return;
fail:
	if (png)
		png_destroy_read_struct(&png, info ? &info : NULL, NULL);
	free(bits);
	free(ranges);
#endif
}

bool kioski_font_available(void)
{
	pthread_once(&font_once, load);
	return font.bits != NULL;
}

const uint8_t *kioski_font_glyph(uint32_t cp, int *width)
{
	pthread_once(&font_once, load);
	if (!font.bits)
		return NULL;
	for (uint32_t i = 0; i < font.n_ranges; i++) {
		if (cp < font.ranges[i][0] || cp > font.ranges[i][1])
			continue;
		size_t idx = font.ranges[i][2] + (cp - font.ranges[i][0]);
		const uint8_t *g = font.bits + idx * 32;
		bool wide = font.wide[idx / 8] >> (idx % 8) & 1;
		bool empty = true;
		for (int k = 0; k < 32 && empty; k++)
			empty = !g[k];
		if (empty && cp != ' ' && cp != 0x3000 && cp != 0xA0)
			return NULL;
		*width = wide ? 16 : 8;
		return g;
	}
	return NULL;
}
