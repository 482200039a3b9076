/* shot.c — screenshots of the rendered frame as PNG (libpng). */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include "app.h"

int shot_save(SDL_Renderer *r, int w_, int h_, const char *path)
{
	int w = w_, h = h_;
	int ow = 0, oh = 0;
	if (SDL_GetRendererOutputSize(r, &ow, &oh) == 0 && ow > 0 && oh > 0) {
		w = ow;
		h = oh;
	}
	uint8_t *px = malloc((size_t)w * (size_t)h * 3);
	if (!px)
		return -1;
	SDL_Rect all = {0, 0, w, h};
	SDL_RenderSetViewport(r, NULL);
	if (SDL_RenderReadPixels(r, &all, SDL_PIXELFORMAT_RGB24, px, w * 3)) {
		free(px);
		return -1;
	}
	FILE *volatile f = fopen(path, "wb");
	if (!f) {
		free(px);
		return -1;
	}
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!png || !info || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		fclose(f);
		free(px);
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
	fclose(f);
	free(px);
	return 0;
}
