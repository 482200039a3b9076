/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * idcard_wlt.c — the WLT photo decoder hook. libkiosk has no WLT decoder:
 * the format is decoded only by licensed vendor libraries, which this file
 * dlopen()s when the integrator names one (see kiosk/idcard.h).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "idcard/idcard-private.h"

#define WLT_W 102
#define WLT_H 126
#define BMP_ROW 308 /* 102*3 = 306, padded to 4 */
#define BMP_SIZE (54 + BMP_ROW * WLT_H)

/* The configured library, kept in the context (kioski_context_set_data). */
static const char wlt_key;

KIOSK_API int kiosk_idcard_set_wlt_library(kiosk_context *ctx, const char *library)
{
	if (!ctx)
		return KIOSK_E_INVALID_ARG;
	char *dup = NULL;
	if (library && !(dup = strdup(library)))
		return KIOSK_E_NO_MEMORY;
	int r = kioski_context_set_data(ctx, &wlt_key, dup, free);
	if (r < 0)
		free(dup);
	return r;
}

static char *configured_library(kiosk_context *ctx)
{
	const char *set = kioski_context_get_data(ctx, &wlt_key);
	char *lib = set ? strdup(set) : NULL;
	if (!lib) {
		const char *env = getenv("KIOSK_WLT_LIBRARY");
		if (env && env[0])
			lib = strdup(env);
	}
	return lib;
}

typedef int (*kiosk_wlt_decode_fn)(const uint8_t *wlt, size_t wlt_len, uint8_t *bgr,
				   size_t bgr_len, int *w, int *h);
typedef int (*unpack_fn)(char *wlt, char *bmp, int mode);

/* BMP (or headerless bottom-up padded rows) → top-down packed BGR. */
static int bmp_to_bgr(const uint8_t *bmp, uint8_t *bgr)
{
	const uint8_t *pix = bmp;
	if (bmp[0] == 'B' && bmp[1] == 'M') {
		uint32_t off = bmp[10] | bmp[11] << 8 | (uint32_t)bmp[12] << 16 | (uint32_t)bmp[13] << 24;
		int32_t w = (int32_t)(bmp[18] | bmp[19] << 8 | (uint32_t)bmp[20] << 16 | (uint32_t)bmp[21] << 24);
		int32_t h = (int32_t)(bmp[22] | bmp[23] << 8 | (uint32_t)bmp[24] << 16 | (uint32_t)bmp[25] << 24);
		unsigned bpp = bmp[28] | bmp[29] << 8;
		if (w != WLT_W || (h != WLT_H && h != -WLT_H) || bpp != 24 || off < 54 ||
		    off + (size_t)BMP_ROW * WLT_H > BMP_SIZE + 1024)
			return -1;
		pix = bmp + off;
		if (h < 0) { /* top-down */
			for (int y = 0; y < WLT_H; y++)
				memcpy(bgr + (size_t)y * WLT_W * 3, pix + (size_t)y * BMP_ROW, WLT_W * 3);
			return 0;
		}
	}
	for (int y = 0; y < WLT_H; y++)
		memcpy(bgr + (size_t)y * WLT_W * 3, pix + (size_t)(WLT_H - 1 - y) * BMP_ROW, WLT_W * 3);
	return 0;
}

KIOSK_API int kiosk_idcard_decode_photo(kiosk_context *ctx, const kiosk_idcard *card,
					uint8_t **bgr, size_t *len, int *width, int *height)
{
	if (bgr)
		*bgr = NULL;
	if (len)
		*len = 0;
	if (!ctx || !card || !bgr)
		return ctx ? kioski_context_fail(ctx, KIOSK_E_INVALID_ARG, "decode photo: NULL argument")
			   : KIOSK_E_INVALID_ARG;
	if (!card->photo || !card->photo_len)
		return kioski_context_fail(ctx, KIOSK_E_NOT_FOUND, "the card has no photo");
	char *lib = configured_library(ctx);
	if (!lib)
		return kioski_context_fail(ctx, KIOSK_E_DECODER,
					   "no WLT decoder configured: libkiosk cannot decode ID-card "
					   "photos itself; set KIOSK_WLT_LIBRARY or call "
					   "kiosk_idcard_set_wlt_library() with the vendor's decoder");
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		int r = kioski_context_fail(ctx, KIOSK_E_DECODER, "cannot load the WLT decoder %s: %s",
					    lib, e ? e : "?");
		free(lib);
		return r;
	}
	size_t out_len = (size_t)WLT_W * WLT_H * 3;
	uint8_t *out = calloc(1, out_len);
	uint8_t wlt[KIOSKI_IDCARD_PHOTO_MAX + 64] = {0};
	size_t wl = card->photo_len < KIOSKI_IDCARD_PHOTO_MAX ? card->photo_len : KIOSKI_IDCARD_PHOTO_MAX;
	memcpy(wlt, card->photo, wl);
	int r = KIOSK_OK, w = WLT_W, hh = WLT_H;
	kiosk_wlt_decode_fn kdec = (kiosk_wlt_decode_fn)dlsym(h, "kiosk_wlt_decode");
	unpack_fn unpack = kdec ? NULL : (unpack_fn)dlsym(h, "unpack");
	if (!out) {
		r = KIOSK_E_NO_MEMORY;
	} else if (kdec) {
		int rc = kdec(wlt, wl, out, out_len, &w, &hh);
		if (rc != 0 || w != WLT_W || hh != WLT_H)
			r = kioski_context_fail(ctx, KIOSK_E_DECODER,
						"the WLT decoder %s failed (kiosk_wlt_decode returned %d, %dx%d)",
						lib, rc, w, hh);
	} else if (unpack) {
		uint8_t *bmp = calloc(1, BMP_SIZE + 1024);
		if (!bmp) {
			r = KIOSK_E_NO_MEMORY;
		} else {
			int rc = unpack((char *)wlt, (char *)bmp, 0);
			if (rc != 1)
				r = kioski_context_fail(ctx, KIOSK_E_DECODER,
							"the WLT decoder %s failed (unpack returned %d)", lib, rc);
			else if (bmp_to_bgr(bmp, out) < 0)
				r = kioski_context_fail(ctx, KIOSK_E_DECODER,
							"the WLT decoder %s returned an unexpected BMP", lib);
			kioski_wipe(bmp, BMP_SIZE + 1024);
			free(bmp);
		}
	} else {
		r = kioski_context_fail(ctx, KIOSK_E_DECODER,
					"%s has neither kiosk_wlt_decode nor unpack: not a WLT decoder", lib);
	}
	kioski_wipe(wlt, sizeof wlt);
	dlclose(h);
	free(lib);
	if (r < 0) {
		if (out) {
			kioski_wipe(out, out_len);
			free(out);
		}
		return r;
	}
	*bgr = out;
	if (len)
		*len = out_len;
	if (width)
		*width = WLT_W;
	if (height)
		*height = WLT_H;
	return KIOSK_OK;
}
