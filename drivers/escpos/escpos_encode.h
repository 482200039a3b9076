/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * escpos_encode.h — the ESC/POS encoder of the escpos driver: a laid-out
 * receipt (libkiosk/src/printer/receipt_layout.h, the same layout the PNG
 * preview draws) turned into the bytes an ESC/POS printer takes
 * (the driver's README: drivers/escpos/README.md).
 *
 * The stream starts with ESC @ (and FS & on Chinese-mode printers), sets
 * its line spacing, then prints line by line; it ends with FS . (Chinese
 * mode) and, if the receipt has a cut, the cut (a partial cut falls back to
 * a full one, no cutter → a feed past the tear bar). It holds no status
 * queries: the driver adds those.
 */
#ifndef KIOSKI_ESCPOS_ENCODE_H
#define KIOSKI_ESCPOS_ENCODE_H

#include <kiosk/kiosk.h>
#include "printer/printer_profile.h"
#include "printer/receipt_layout.h"

struct kioski_escpos_output {
	uint8_t *data;
	size_t len;
	/**
	 * Offsets where the stream may be split into chunks, increasing, last
	 * == len: after the prologue, after each printed line (LF), each raster
	 * band, QR print command, feed and cut — never inside a command or a
	 * multi-byte character. (The driver never resends: a stopped printer
	 * keeps what it received, see drivers/escpos/escpos.c.)
	 */
	size_t *marks;
	size_t n_marks;
	/** One entry per substituted character: "U+20000 '𠀀' → '□' (line 3)". */
	char **substitutions;
	size_t n_substitutions;
	/** Characters substituted in all (the reports stop after 256 plus one summary line). */
	size_t n_substituted;
	/** Why the encoding failed ("" on success). */
	char error[192];
};

/**
 * Encodes the layout `l` (for the profile it was built for; zeroes *out
 * first). The substitution fields stay empty: the layout holds those.
 * Returns KIOSK_OK, KIOSK_E_INVALID_ARG or KIOSK_E_NO_MEMORY, with out->error
 * set; on error data/marks are NULL.
 */
int kioski_escpos_encode(const struct kioski_layout *l, struct kioski_escpos_output *out);

/**
 * Lays out `r` for profile `p` and encodes it (zeroes *out first), moving
 * the layout's substitution reports into *out. Returns KIOSK_OK,
 * KIOSK_E_INVALID_ARG, KIOSK_E_NO_MEMORY or KIOSK_E_BAD_DOCUMENT (an item
 * cannot be encoded), with out->error set; on error data/marks are NULL.
 * QR codes wider than the paper are printed at a smaller module size and
 * images are scaled down: every valid receipt fits.
 */
int kioski_receipt_to_escpos(const kiosk_receipt *r, const struct kioski_printer_profile *p,
			     struct kioski_escpos_output *out);

/** Frees (wiping the bytes) what the encoder allocated and zeroes *out. */
void kioski_escpos_output_free(struct kioski_escpos_output *out);

#endif
