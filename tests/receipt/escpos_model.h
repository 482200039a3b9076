/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * escpos_model.h — a small, strict ESC/POS interpreter for the receipt tests:
 * walks an encoded stream command by command as a printer would, records
 * printed text lines (decoded back to UTF-8), QR commands, raster bands and
 * cuts, and fails on any byte sequence it does not know.
 */
#ifndef ESCPOS_MODEL_H
#define ESCPOS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct em_line {
	char utf8[1024];  /* the text, decoded from GB18030 */
	int cells;        /* half-width cells: 1 per single byte, 2 per multi-byte character */
	int x, width, y;  /* dots, from the printer's alignment and size */
	int align, bold, sw, sh;
};

struct em_raster {
	int x, y, width_bytes, rows;
	const uint8_t *data; /* points into the stream */
};

struct em_result {
	struct em_line lines[512];
	int n_lines;
	struct em_raster rasters[256];
	int n_rasters;
	int n_qr_print;
	char qr_data[4096];
	int qr_module, qr_ecc, qr_x, qr_y;
	int n_cut_full, n_cut_partial;
	int n_status_queries;
	bool chinese_on_at_start;
	int y; /* paper advanced, dots */
	size_t boundaries[8192]; /* offset after each command */
	int n_boundaries;
	char error[256];
};

/** Interprets `data` for a printer `width_dots` wide. Returns 0 or -1 (error set). */
int em_run(const uint8_t *data, size_t len, int width_dots, int font_w, int font_h,
	   struct em_result *out);

/** True if `off` is a command boundary (or 0). */
bool em_is_boundary(const struct em_result *r, size_t off);

#endif
