/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * receipt_layout.h — the ONE layout engine: a receipt placed on the paper of
 * a printer profile as a list of positioned lines. It is what a printer
 * driver prints (struct kioski_printer_ops.print; the escpos driver encodes
 * it in drivers/escpos/escpos_encode.c) and what the PNG preview draws, so
 * both share line breaks and positions. A layout owns everything it points
 * to except `profile`, so it may outlive the receipt it was built from.
 *
 * Units are printer dots; y grows down the paper. A text line is a run of
 * glyphs, each already encoded for the printer (GB18030 in Chinese mode)
 * and one or two cells wide (cell = font_a_width × size width).
 */
#ifndef KIOSKI_RECEIPT_LAYOUT_H
#define KIOSKI_RECEIPT_LAYOUT_H

#include "printer/printer_profile.h"
#include "printer/receipt_private.h"

enum kioski_line_kind {
	KIOSKI_LINE_TEXT = 1, /**< glyphs (also rules and two-column rows) */
	KIOSKI_LINE_QR,       /**< a QR symbol */
	KIOSKI_LINE_RASTER,   /**< a 1-bit image */
	KIOSKI_LINE_FEED,     /**< blank space */
	KIOSKI_LINE_CUT,      /**< a cut (or tear-off feed) */
	KIOSKI_LINE_BARCODE,  /**< the bars of a linear barcode (its text is a TEXT line) */
};

struct kioski_glyph {
	uint32_t cp;       /**< the character drawn (the substitute if substituted) */
	uint8_t bytes[4];  /**< its printer encoding */
	uint8_t n_bytes;
	uint8_t cells;     /**< 1 (half-width) or 2 (full-width) */
};

struct kioski_line {
	enum kioski_line_kind kind;
	size_t item;              /**< index of the receipt item it comes from */
	int y;                    /**< top, dots */
	int advance;              /**< dots to the next line's top */
	int x;                    /**< left edge after alignment, dots */
	int width;                /**< dots */
	int height;               /**< drawn height, dots (<= advance) */
	enum kiosk_align align;
	/* TEXT */
	bool bold;
	bool printer_hri;         /**< the text under a native barcode: the printer prints it
				   *   (GS H), the preview draws it, the encoder skips it */
	uint8_t sw, sh;           /**< size multipliers */
	size_t glyph0, n_glyphs;  /**< range in layout.glyphs */
	/* QR and BARCODE */
	char *qr_data;            /**< a copy: a layout outlives its receipt on a print queue */
	size_t qr_len;
	char qr_ecc;
	int qr_version, qr_modules, qr_module; /**< module may be smaller than asked, to fit.
	 * Raster QR (no native QR): mixed numeric/alphanumeric/byte segments, smallest
	 * version. Native: the printer encodes; geometry assumes byte mode. */
	uint8_t *qr_matrix;       /**< qr_modules² bytes, 1 = dark; only when asked for */
	/* BARCODE: native (GS k, profile native_barcode) or drawn (bits); bits always hold the bars (libzint) */
	enum kiosk_barcode_symbology bar_symbology;
	int bar_module;           /**< dots per module (GS w) */
	bool bar_hri;             /**< the human-readable digits under the bars */
	/* RASTER (and raster QR, barcode bars): rows of `stride` bytes, MSB = leftmost, 1 = black */
	uint8_t *bits;
	int stride, rows;
	/* FEED: n lines (ESC d n) or dots (ESC J n) */
	int feed_lines, feed_dots;
	/* CUT */
	bool partial;
};

struct kioski_layout {
	const struct kioski_printer_profile *profile;
	struct kioski_line *lines;
	size_t n_lines, cap_lines;
	struct kioski_glyph *glyphs;
	size_t n_glyphs, cap_glyphs;
	char **subs;              /**< substitution reports */
	size_t n_subs, cap_subs;
	size_t n_substituted;     /**< characters substituted in all */
	int height;               /**< total paper length, dots */
	char error[192];
};

enum {
	KIOSKI_LAYOUT_QR_MATRIX = 1,  /**< fill qr_matrix for every QR (the preview needs it) */
};

/** Lays out `r` for `p`. KIOSK_OK, KIOSK_E_NO_MEMORY or KIOSK_E_BAD_DOCUMENT (error set). */
int kioski_layout_build(const kiosk_receipt *r, const struct kioski_printer_profile *p, unsigned flags,
			struct kioski_layout *out);
void kioski_layout_free(struct kioski_layout *l);

/** Quiet zone above and below a QR code, dots, for module size m. */
#define KIOSKI_QR_QUIET(m) ((m) * 4 > 255 ? 255 : (m) * 4)

#endif
