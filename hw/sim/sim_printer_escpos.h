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
};

struct sim_escpos {
	struct sim_escpos_config cfg;
	struct sim_escpos_hooks hooks;
	struct sim_render render;

	bool chinese;
	struct sim_style style;
	uint8_t mb[4];
	int mb_len;
	uint8_t *qr_data;
	size_t qr_len;
	int qr_module, qr_ecc;
	iconv_t cd;

	uint64_t cuts;
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
/** Drops the unprinted line and a half-received multibyte character
 *  (DLE DC4 8, DLE ENQ 2). */
void sim_escpos_clear_line(struct sim_escpos *e);

#endif
