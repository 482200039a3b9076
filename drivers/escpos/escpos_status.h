/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * escpos_status.h — the ESC/POS reply parser: splits what a printer sends
 * back into real-time status bytes (DLE EOT n), buffer-ordered replies
 * (GS r n), automatic status back packets (ASB, GS a) and the DLE DC4 8
 * answer, and decodes them into a kiosk_printer_status. Pure code (no I/O),
 * fuzzed by tests/fuzz/fuzz_escpos_status.c.
 *
 * Byte classes (docs/protocol-escpos.md; Epson's conventions):
 *   DLE EOT reply  0xx1xx10   (b & 0x93) == 0x12
 *   ASB header     0xx1xx00   (b & 0x93) == 0x10, then 3 bytes 0xx0xxxx
 *   GS r reply     0xx0xxxx   (b & 0x90) == 0x00
 *   DC4 8 answer   37 25 00
 * Anything else is counted as noise and ignored.
 */
#ifndef KIOSKI_ESCPOS_STATUS_H
#define KIOSKI_ESCPOS_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kiosk/printer.h>

enum kioski_escpos_reply_kind {
	KIOSKI_ESCPOS_RT = 1,      /**< one DLE EOT reply byte in b[0] */
	KIOSKI_ESCPOS_GSR = 2,     /**< one GS r reply byte in b[0] */
	KIOSKI_ESCPOS_ASB = 3,     /**< four ASB bytes in b[0..3] */
	KIOSKI_ESCPOS_CLEARED = 4, /**< the DLE DC4 8 answer 37 25 00 */
};

struct kioski_escpos_reply {
	enum kioski_escpos_reply_kind kind;
	uint8_t b[4];
};

struct kioski_escpos_parser {
	uint8_t buf[4];
	int have;        /* bytes of a multi-byte reply collected */
	int want;        /* its length (4 ASB, 3 DC4) or 0 */
	uint64_t noise;  /* bytes that matched nothing */
};

void kioski_escpos_parser_init(struct kioski_escpos_parser *p);

/** Feeds one byte. Returns true and fills *out when a reply is complete. */
bool kioski_escpos_parse_byte(struct kioski_escpos_parser *p, uint8_t b,
			      struct kioski_escpos_reply *out);

/** What the printer can sense (from its profile). */
struct kioski_escpos_sensors {
	bool near_end;
	bool cover;
};

/** Applies the reply to DLE EOT n (1–4) to *st. False if `b` is not a
 *  DLE EOT reply byte (then *st is unchanged). */
bool kioski_escpos_apply_rt(struct kiosk_printer_status *st, int n, uint8_t b,
			    const struct kioski_escpos_sensors *s);
/** Applies a GS r 1 reply (paper sensors). */
void kioski_escpos_apply_gsr1(struct kiosk_printer_status *st, uint8_t b,
			      const struct kioski_escpos_sensors *s);
/** Applies an ASB packet. */
void kioski_escpos_apply_asb(struct kiosk_printer_status *st, const uint8_t b[4],
			     const struct kioski_escpos_sensors *s);

#endif
