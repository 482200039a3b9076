/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: the ESC/POS driver's reply parser and status decoding
 * (drivers/escpos/escpos_status.c) on arbitrary bytes from a printer. The
 * first byte picks the sensors and the DLE EOT n each status byte answers. */
#include <stdlib.h>
#include <string.h>
#include "escpos/escpos_status.h"

static void check_status(const struct kiosk_printer_status *st)
{
	if ((unsigned)st->paper > KIOSK_PAPER_OUT || (unsigned)st->cover_open > KIOSK_YES ||
	    (unsigned)st->online > KIOSK_YES || (unsigned)st->cutter_error > KIOSK_YES ||
	    (unsigned)st->recoverable_error > KIOSK_YES ||
	    (unsigned)st->unrecoverable_error > KIOSK_YES || (unsigned)st->error > KIOSK_YES ||
	    (unsigned)st->paper_stop > KIOSK_YES)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	struct kioski_escpos_sensors s = {.near_end = data[0] & 1, .cover = data[0] & 2};
	struct kioski_escpos_parser p;
	kioski_escpos_parser_init(&p);
	struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
	int n = 1;
	size_t replies = 0;
	for (size_t i = 1; i < size; i++) {
		struct kioski_escpos_reply rep;
		if (!kioski_escpos_parse_byte(&p, data[i], &rep))
			continue;
		replies++;
		switch (rep.kind) {
		case KIOSKI_ESCPOS_RT:
			if ((rep.b[0] & 0x93) != 0x12)
				abort();
			if (!kioski_escpos_apply_rt(&st, n, rep.b[0], &s))
				abort();
			n = n % 4 + 1;
			break;
		case KIOSKI_ESCPOS_GSR:
			if (rep.b[0] & 0x90)
				abort();
			kioski_escpos_apply_gsr1(&st, rep.b[0], &s);
			break;
		case KIOSKI_ESCPOS_ASB:
			if ((rep.b[0] & 0x93) != 0x10 || (rep.b[1] & 0x90) || (rep.b[2] & 0x90) ||
			    (rep.b[3] & 0x90))
				abort();
			kioski_escpos_apply_asb(&st, rep.b, &s);
			break;
		case KIOSKI_ESCPOS_CLEARED:
			if (rep.b[0] != 0x37 || rep.b[1] != 0x25 || rep.b[2] != 0)
				abort();
			break;
		default:
			abort();
		}
		check_status(&st);
		/* a sensor the printer lacks is never reported */
		if (!s.cover && st.cover_open != KIOSK_UNKNOWN)
			abort();
		if (!s.near_end && st.paper == KIOSK_PAPER_NEAR_END)
			abort();
	}
	/* at most one reply per byte */
	if (replies > size - 1)
		abort();
	/* a byte that is not a DLE EOT reply is refused */
	struct kiosk_printer_status st2 = st;
	if (kioski_escpos_apply_rt(&st2, 4, (uint8_t)(data[0] | 0x80), &s) || memcmp(&st, &st2, sizeof st))
		abort();
	return 0;
}
