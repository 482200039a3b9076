/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim_printer_render.h — the paper of the printer emulator.
 *
 * The renderer knows nothing of ESC/POS: it holds the page being printed
 * (1 bit per dot, the width of the print head), the line buffer of
 * characters and bit-image slices waiting for a line feed, the decoded text
 * of the page, and the finished pages (written as receipt-NNNN.png + .txt
 * when it has an output folder). Characters are Unifont glyphs scaled into
 * the 12×24 / 24×24 cells of a printer's font A.
 */
#ifndef KIOSK_SIM_PRINTER_RENDER_H
#define KIOSK_SIM_PRINTER_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_CELL_W 12 /* font A half-width cell */
#define SIM_CELL_H 24

/** How a character is printed. */
struct sim_style {
	uint8_t w, h;      /**< magnification 1..8 */
	bool bold;
	uint8_t underline; /**< 0, 1 or 2 dots thick */
	bool reverse;      /**< white on black */
	bool font_b;       /**< the small font (9×17 half-width cells) */
};

struct sim_cell;

struct sim_page {
	uint8_t *px; /* 1 = black */
	int w, h, cap_h;
	int y;       /* next row to print at */
	char *text;
	size_t text_len, text_cap;
	int img_w, img_h; /* bit-image slices not yet noted in the text */
};

struct sim_done_page {
	char *text;
	char png[512];
};

struct sim_render {
	int width;              /* dots */
	/* how the next line prints; set by the interpreter as modes change */
	int align;              /* 0 left, 1 centre, 2 right */
	int spacing;            /* line spacing in dots (a minimum) */
	bool upside_down;       /* lines turned by 180° */
	char out_dir[400];      /* "" = keep pages in memory */
	struct sim_page page;
	struct sim_cell *line;
	int line_n, line_cap, line_w;
	struct sim_done_page *pages;
	int n_pages;
};

/** Sets up an empty page `width` dots wide; out_dir NULL or "" keeps pages in memory. */
void sim_render_init(struct sim_render *r, int width, const char *out_dir);
/** Frees everything (the page in progress is dropped, not written). */
void sim_render_free(struct sim_render *r);

/** Adds a character (full = double-width CJK cell) to the line; a line that
 *  would overflow the paper is printed first, as printers wrap. */
void sim_render_char(struct sim_render *r, uint32_t cp, bool full, const struct sim_style *st);
/** Adds a bit-image slice (w×h dots, 1 byte per dot, copied) to the line. */
void sim_render_line_image(struct sim_render *r, const uint8_t *dots, int w, int h);
/** Prints the line buffer (with r->align, advancing by r->spacing or by the
 *  tallest element when taller, turned by 180° if r->upside_down). An empty
 *  line feeds r->spacing dots and ends a text line. */
void sim_render_newline(struct sim_render *r);
/** Prints the line buffer if it holds anything (before a graphic or a cut). */
void sim_render_flush(struct sim_render *r);
/** Drops the unprinted line. */
void sim_render_discard_line(struct sim_render *r);
/** Feeds paper by `dots` without a text line break. */
void sim_render_feed(struct sim_render *r, int dots);
/** Prints a 1-bit graphic (rows of xbytes bytes, MSB leftmost) scaled sx×sy. */
void sim_render_bits(struct sim_render *r, const uint8_t *d, int xbytes, int rows, int sx, int sy);
/** Prints a module matrix (1 byte per module, bit 0 = dark), cols × rows
 *  modules, each mx × my dots. Graphics and barcodes are aligned with r->align. */
void sim_render_matrix(struct sim_render *r, const uint8_t *mods, int cols, int rows, int mx,
		       int my);
/** Prints a linear barcode: bars[i] != 0 for a dark module, `module` dots
 *  per module, `height` dots tall; HRI text (may be NULL) above (1), below
 *  (2) or both (3), centred under the bars, in font A (font_b: the smaller
 *  font B). */
void sim_render_barcode(struct sim_render *r, const uint8_t *bars, int n, int module, int height,
			int hri_pos, bool font_b, const char *hri);
/** Appends to the page's decoded text (UTF-8). */
void sim_render_note(struct sim_render *r, const char *s, size_t n);
/** True if the page holds anything. */
bool sim_render_dirty(const struct sim_render *r);
/** Ends the page (a cut): writes its PNG and text when there is an output folder. */
void sim_render_finish_page(struct sim_render *r);

#endif
