/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* shot.c — screenshots of the rendered frame as PNG (libpng). */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include "app.h"

/* Nothing here changes after setjmp(), so a libpng error unwinds cleanly. */
static int write_png(FILE *f, const uint8_t *px, int w, int h)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (!png)
		return -1;
	png_infop info = png_create_info_struct(png);
	if (!info || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, 3);
	png_write_info(png, info);
	for (int y = 0; y < h; y++)
		png_write_row(png, px + (size_t)y * (size_t)w * 3);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return 0;
}

int shot_save(SDL_Renderer *r, int w, int h, const char *path)
{
	int ow = 0, oh = 0;
	if (SDL_GetRendererOutputSize(r, &ow, &oh) == 0 && ow > 0 && oh > 0) {
		w = ow;
		h = oh;
	}
	uint8_t *px = malloc((size_t)w * (size_t)h * 3);
	if (!px)
		return -1;
	SDL_Rect all = {0, 0, w, h};
	SDL_Rect vp;
	SDL_RenderGetViewport(r, &vp);
	SDL_RenderSetViewport(r, NULL);
	int rc = SDL_RenderReadPixels(r, &all, SDL_PIXELFORMAT_RGB24, px, w * 3);
	SDL_RenderSetViewport(r, &vp);
	FILE *f = rc ? NULL : fopen(path, "wb");
	if (f) {
		rc = write_png(f, px, w, h);
		if (fclose(f))
			rc = -1;
	} else {
		rc = -1;
	}
	free(px);
	return rc;
}
