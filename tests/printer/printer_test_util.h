/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* printer_test_util.h — helpers for the printer tests: QR decoding of an
 * emulator page (libzbar + libpng), receipts, counting substrings. */
#ifndef PRINTER_TEST_UTIL_H
#define PRINTER_TEST_UTIL_H

#include <png.h>
#include <stdio.h>
#include <sys/stat.h>
#include <ftw.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>
#include "test.h"

/* Decodes the first QR code in a greyscale PNG into `out`; 0 or -1. */
static inline int ptu_decode_qr(const char *png_path, char *out, size_t len)
{
	png_image img;
	memset(&img, 0, sizeof img);
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_file(&img, png_path))
		return -1;
	img.format = PNG_FORMAT_GRAY;
	size_t sz = PNG_IMAGE_SIZE(img);
	uint8_t *px = malloc(sz);
	if (!px || !png_image_finish_read(&img, NULL, px, 0, NULL)) {
		free(px);
		png_image_free(&img);
		return -1;
	}
	zbar_image_scanner_t *sc = zbar_image_scanner_create();
	zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_t *zi = zbar_image_create();
	zbar_image_set_format(zi, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(zi, img.width, img.height);
	zbar_image_set_data(zi, px, sz, NULL);
	int r = -1;
	if (zbar_scan_image(sc, zi) > 0) {
		const zbar_symbol_t *sym = zbar_image_first_symbol(zi);
		if (sym) {
			snprintf(out, len, "%s", zbar_symbol_get_data(sym));
			r = 0;
		}
	}
	zbar_image_destroy(zi);
	zbar_image_scanner_destroy(sc);
	free(px);
	return r;
}

static inline int ptu_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes a test's output directory unless KIOSK_TEST_KEEP is set (to look
 * at the receipts: they are PNGs). */
static inline void ptu_cleanup(const char *dir)
{
	if (getenv("KIOSK_TEST_KEEP")) {
		fprintf(stderr, "pages kept in %s\n", dir);
		return;
	}
	nftw(dir, ptu_rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Occurrences of `needle` in `hay`. */
static inline int ptu_count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* A profile of a printer without native QR nor GS r (raster QR, real-time
 * status only), written into `dir`/printer/ for kiosk_context_set_profile_dir(). */
static inline int ptu_write_raster_profile(const char *dir)
{
	char path[512];
	snprintf(path, sizeof path, "%s/printer", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/printer/test-raster-qr.json", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("{\"name\": \"test-raster-qr\", \"description\": \"test: raster QR, no GS r\",\n"
	      " \"paper_mm\": 80, \"width_dots\": 576, \"dpi\": 203, \"font_a\": [12, 24],\n"
	      " \"line_spacing\": 30,\n"
	      " \"chinese\": {\"font\": true, \"fs_mode\": true, \"gb18030_4byte\": false},\n"
	      " \"native_qr\": false, \"cutter\": \"full\", \"cut_feed\": 0,\n"
	      " \"status\": {\"dle_eot\": true, \"asb\": false, \"gs_r\": false,\n"
	      "            \"near_end_sensor\": false, \"cover_sensor\": true},\n"
	      " \"max_raster_rows\": 64}\n", f);
	return fclose(f);
}

#define PTU_QR "https://zwfw.example.gov.cn/case?no=2026-000123"

/* A receipt of `lines` numbered lines ("line 07 办理进度 …"), a QR code and a cut. */
static inline kiosk_receipt *ptu_receipt(int lines)
{
	kiosk_receipt *r = NULL;
	if (kiosk_receipt_new(&r) != KIOSK_OK)
		return NULL;
	struct kiosk_text_style title = {.size = sizeof title, .align = KIOSK_ALIGN_CENTER, .bold = true, .width = 2,
					 .height = 2};
	kiosk_receipt_add_text(r, "受理回执", &title);
	for (int i = 0; i < lines; i++) {
		char t[96];
		snprintf(t, sizeof t, "line %02d 办理进度 case 2026-000123", i);
		kiosk_receipt_add_text(r, t, NULL);
	}
	kiosk_receipt_add_qr(r, PTU_QR, 6, 'M');
	kiosk_receipt_add_text(r, "谢谢 END", NULL);
	kiosk_receipt_add_cut(r, false);
	return r;
}

/* Checks that page text holds every line exactly once. */
static inline void ptu_check_lines_once(const char *text, int lines)
{
	CHECK(text != NULL);
	if (!text)
		return;
	CHECK_EQ_INT(ptu_count(text, "受理回执"), 1);
	for (int i = 0; i < lines; i++) {
		char t[32];
		snprintf(t, sizeof t, "line %02d ", i);
		int n = ptu_count(text, t);
		if (n != 1)
			fprintf(stderr, "line %02d printed %d times\n", i, n);
		CHECK_EQ_INT(n, 1);
	}
	CHECK_EQ_INT(ptu_count(text, "谢谢 END"), 1);
}

#endif
