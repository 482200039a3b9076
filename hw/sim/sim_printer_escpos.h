/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim_printer_escpos.h — the ESC/POS interpreter of the printer emulator.
 *
 * It splits a byte stream into commands (sim_escpos_cmd_len) and acts on
 * one command at a time (sim_escpos_process): print modes, text in the
 * selected code page or GB18030, graphics, barcodes, QR codes, cuts. What it
 * prints goes to a renderer (sim_printer_render.h); what concerns the
 * device — status requests and their replies — goes back through hooks, so
 * the interpreter knows nothing of transports or faults.
 */
#ifndef KIOSK_SIM_PRINTER_ESCPOS_H
#define KIOSK_SIM_PRINTER_ESCPOS_H

#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sim_printer_render.h"

#define SIM_ESCPOS_MAX_CMD (16u << 20) /* larger commands are dropped as garbage */

/** What the interpreter needs from the device around it. */
struct sim_escpos_hooks {
	void *ctx;
	/** Bytes to send back to the host (GS r, GS ( k size information). */
	void (*reply)(void *ctx, const uint8_t *b, size_t n);
	/** GS r n: the device answers with its paper status. */
	void (*status_request)(void *ctx, int n);
	/** GS a n: automatic status back on (n != 0) or off. */
	void (*asb)(void *ctx, int n);
};

struct sim_escpos_config {
	int width_dots;
	const char *out_dir;     /**< NULL keeps pages in memory */
	bool gb18030_2byte_only; /**< GB18030 4-byte sequences print as a box */
	bool chinese_default;    /**< Chinese mode (FS &) at power-up and after ESC @ */
};

#define SIM_ESCPOS_NV_IMAGES 8

/* A stored column- or row-format image. */
struct sim_escpos_image {
	uint8_t *data;
	int x, y;
};

struct sim_escpos {
	struct sim_escpos_config cfg;
	struct sim_escpos_hooks hooks;
	struct sim_render render;

	/* text */
	bool chinese;
	struct sim_style style;
	int cn_w, cn_h, cn_underline; /* FS ! / FS - / FS W for Chinese characters */
	uint8_t mb[4];
	int mb_len;
	iconv_t cd;                   /* GB18030 → UTF-32 */
	int code_page;                /* ESC t */
	uint32_t page_high[128];      /* its 0x80–0xFF */
	int intl;                     /* ESC R */

	/* symbols */
	uint8_t *qr_data;
	size_t qr_len;
	int qr_model, qr_module, qr_ecc;
	int bar_height, bar_module, bar_hri;
	bool bar_font_b;
	int sym2d;                    /* GS Z: what ESC Z prints (0 PDF417, 1 DataMatrix, 2 QR) */

	/* images */
	struct sim_escpos_image nv[SIM_ESCPOS_NV_IMAGES], dl, gfx;
	int gfx_sx, gfx_sy;

	uint64_t cuts;
	uint64_t unknown;             /* commands not understood or ignored */
	char *unknown_log;            /* their descriptions, one a line */
	size_t unknown_len;
};

/** Length of the command starting at b (n bytes so far): 0 = need more,
 *  SIZE_MAX = too large to accept. */
size_t sim_escpos_cmd_len(const uint8_t *b, size_t n);

/** Sets up the interpreter and its renderer; cfg->out_dir is copied. */
void sim_escpos_init(struct sim_escpos *e, const struct sim_escpos_config *cfg,
		     const struct sim_escpos_hooks *hooks);
/** Writes an unfinished non-empty page (as at power-off), then frees. */
void sim_escpos_finish(struct sim_escpos *e);
/** Acts on one whole command (as split by sim_escpos_cmd_len). */
void sim_escpos_process(struct sim_escpos *e, const uint8_t *b, size_t n);
/** Reports a command the interpreter does not act on (stderr + unknown_log). */
void sim_escpos_unknown(struct sim_escpos *e, const uint8_t *b, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/** Drops the unprinted line and a half-received multibyte character
 *  (DLE DC4 8, DLE ENQ 2). */
void sim_escpos_clear_line(struct sim_escpos *e);

#endif
