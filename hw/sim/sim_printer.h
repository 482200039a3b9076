/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim_printer.h — the ESC/POS printer emulator, for in-process tests.
 *
 * The emulator sits on the far side of a real transport (loopback TCP or a
 * pty master) and behaves like a receipt printer:
 *
 * - Reception: bytes are split into commands as they arrive. Real-time
 *   commands (DLE EOT n, DLE DC4 n, DLE ENQ n) are answered or acted on at
 *   once, even while the printer is stopped; everything else enters the
 *   receive buffer in order.
 * - Processing: commands leave the buffer in order and are printed onto the
 *   current page (text in GB18030 inside FS & … FS ., sizes, bold, alignment,
 *   GS v 0 rasters, GS ( k QR codes, feeds). A cut (GS V) ends the page:
 *   it is written to OUT_DIR/receipt-NNNN.png (+ .txt with the decoded text).
 * - While the paper is out or the cover is open, processing stops but
 *   reception goes on: the buffered data is kept and printed after recovery
 *   (as real printers do), so a driver must not send it again. GS r n is
 *   buffer-ordered: its reply comes only when processing reaches it, which is
 *   how a driver learns that the printer has TAKEN the data before it.
 * - DLE DC4 8 (clear buffers, Epson) drops every unprocessed byte and the
 *   unprinted line, and replies 37 25 00: a driver sends it when it gives up
 *   a job, so the rest of that job never prints later. With ignore_clear
 *   it does nothing and sends nothing, as many clones do.
 * - ASB (GS a n, n != 0): a 4-byte status packet at once and on every change.
 *
 * Status bytes follow docs/protocol-escpos.md (DLE EOT 1–4, pattern 0xx1xx10); GS r 1
 * replies 0xx0xxxx with bits 0–1 near end, bits 2–3 paper end.
 */
#ifndef KIOSK_SIM_PRINTER_H
#define KIOSK_SIM_PRINTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_printer_config {
	int width_dots;          /**< printable width, default 576 */
	const char *out_dir;     /**< where pages go; NULL keeps them in memory only */
	bool near_end;           /**< the near-end sensor trips from the start */
	bool paper_out;          /**< out of paper from the start */
	long paper_out_after;    /**< paper runs out after this many processed bytes; <0 never */
	int recover_after_ms;    /**< paper/cover recover this long after failing; <0 never */
	bool cover_open;         /**< cover open from the start */
	bool offline;            /**< offline for another reason (error, feed held): stops, DLE EOT 1 bit 3 */
	long slow_bps;           /**< link speed cap in bytes per second; 0 = unlimited */
	bool no_status;          /**< never answer DLE EOT / GS r / ASB */
	bool gb18030_2byte_only; /**< prints GB18030 4-byte sequences as a box */
	bool ignore_clear;       /**< ignores DLE DC4 8 (clear buffers) as many clones do: no reply */
};

/** Default configuration (576 dots, no faults). */
void sim_printer_config_init(struct sim_printer_config *cfg);

struct sim_printer;

/** Starts the emulator on its own thread, listening on 127.0.0.1 (any free
 *  port); writes "tcp:127.0.0.1:PORT" into `uri`. Returns 0 or -errno. */
int sim_printer_start_tcp(const struct sim_printer_config *cfg, struct sim_printer **out,
			  char *uri, size_t uri_len);
/** As above on a pty: `uri` gets "serial:/dev/pts/N". */
int sim_printer_start_pty(const struct sim_printer_config *cfg, struct sim_printer **out,
			  char *uri, size_t uri_len);
/** Stops the thread, writes an uncut non-empty page, frees. NULL is a no-op. */
void sim_printer_stop(struct sim_printer *sp);

/** Pages finished by a cut so far. */
int sim_printer_pages(struct sim_printer *sp);
/** Decoded text of page `i` (0-based; i == pages means the page in progress):
 *  printed lines in UTF-8 separated by '\n', QR codes as "[qr] DATA",
 *  rasters as "[raster WxH]". malloc()ed; NULL if no such page. */
char *sim_printer_page_text(struct sim_printer *sp, int i);
/** Path of page i's PNG (only with out_dir); 0 or -1. */
int sim_printer_page_png(struct sim_printer *sp, int i, char *path, size_t len);

/** Fault switches at run time (thread-safe). Recovering from paper-out or
 *  cover-open lets buffered data print. */
void sim_printer_set_paper_out(struct sim_printer *sp, bool out);
void sim_printer_set_cover_open(struct sim_printer *sp, bool open);
void sim_printer_set_near_end(struct sim_printer *sp, bool near_end);
void sim_printer_set_offline(struct sim_printer *sp, bool offline);

/** Counters: bytes received, bytes processed (printed/acted on), status
 *  replies sent, connections accepted. */
struct sim_printer_stats {
	uint64_t received, processed, unprocessed;
	uint64_t status_replies, connections, cuts, cleared;
	bool paper_out, cover_open, offline;
};
void sim_printer_get_stats(struct sim_printer *sp, struct sim_printer_stats *st);

/** Serves one already-open fd pair (used by the USB gadget emulation):
 *  feeds `in` bytes to the printer and returns the reply bytes it produced
 *  into `out` (at most `cap`). Thread-safe. Returns the reply length. */
size_t sim_printer_feed(struct sim_printer *sp, const uint8_t *in, size_t len, uint8_t *out,
			size_t cap);

/** Creates an emulator with no transport (for sim_printer_feed). */
int sim_printer_new(const struct sim_printer_config *cfg, struct sim_printer **out);

#endif
