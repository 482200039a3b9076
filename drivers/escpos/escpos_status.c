/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* escpos_status.c — ESC/POS reply parsing and status decoding. */
#include <string.h>
#include "escpos_status.h"

void kioski_escpos_parser_init(struct kioski_escpos_parser *p)
{
	memset(p, 0, sizeof *p);
}

bool kioski_escpos_parse_byte(struct kioski_escpos_parser *p, uint8_t b,
			      struct kioski_escpos_reply *out)
{
	if (p->want) {
		bool ok = p->want == 4 ? (b & 0x90) == 0 /* ASB body: 0xx0xxxx */
				       : (p->have == 1 ? b == 0x25 : b == 0x00);
		if (ok) {
			p->buf[p->have++] = b;
			if (p->have < p->want)
				return false;
			out->kind = p->want == 4 ? KIOSKI_ESCPOS_ASB : KIOSKI_ESCPOS_CLEARED;
			memcpy(out->b, p->buf, 4);
			p->want = p->have = 0;
			return true;
		}
		/* a broken packet: count it as noise and look at b afresh */
		p->noise += (uint64_t)p->have;
		p->want = p->have = 0;
	}
	memset(out->b, 0, sizeof out->b);
	if ((b & 0x93) == 0x12) {
		out->kind = KIOSKI_ESCPOS_RT;
		out->b[0] = b;
		return true;
	}
	if ((b & 0x93) == 0x10) {
		p->buf[0] = b;
		p->have = 1;
		p->want = 4;
		return false;
	}
	if (b == 0x37) {
		memset(p->buf, 0, sizeof p->buf);
		p->buf[0] = b;
		p->have = 1;
		p->want = 3;
		return false;
	}
	if ((b & 0x90) == 0) {
		out->kind = KIOSKI_ESCPOS_GSR;
		out->b[0] = b;
		return true;
	}
	p->noise++;
	return false;
}

static enum kiosk_tristate tri(bool v)
{
	return v ? KIOSK_YES : KIOSK_NO;
}

static void set_paper(struct kiosk_printer_status *st, bool out, bool near,
		      const struct kioski_escpos_sensors *s)
{
	if (out)
		st->paper = KIOSK_PAPER_OUT;
	else if (near && s->near_end)
		st->paper = KIOSK_PAPER_NEAR_END;
	else
		st->paper = KIOSK_PAPER_OK;
}

bool kioski_escpos_apply_rt(struct kiosk_printer_status *st, int n, uint8_t b,
			    const struct kioski_escpos_sensors *s)
{
	if ((b & 0x93) != 0x12 || n < 1 || n > 4)
		return false;
	st->raw[n - 1] = b;
	switch (n) {
	case 1:
		st->online = tri(!(b & 0x08));
		break;
	case 2:
		if (s->cover)
			st->cover_open = tri(b & 0x04);
		st->paper_stop = tri(b & 0x20);
		st->error = tri(b & 0x40);
		break;
	case 3:
		st->cutter_error = tri(b & 0x08);
		st->unrecoverable_error = tri(b & 0x20);
		st->recoverable_error = tri(b & 0x40);
		break;
	case 4:
		set_paper(st, (b & 0x60) != 0, (b & 0x0C) != 0, s);
		break;
	}
	return true;
}

void kioski_escpos_apply_gsr1(struct kiosk_printer_status *st, uint8_t b,
			      const struct kioski_escpos_sensors *s)
{
	set_paper(st, (b & 0x0C) != 0, (b & 0x03) != 0, s);
}

void kioski_escpos_apply_asb(struct kiosk_printer_status *st, const uint8_t b[4],
			     const struct kioski_escpos_sensors *s)
{
	st->online = tri(!(b[0] & 0x08));
	if (s->cover)
		st->cover_open = tri(b[0] & 0x20);
	st->cutter_error = tri(b[1] & 0x08);
	st->unrecoverable_error = tri(b[1] & 0x20);
	st->recoverable_error = tri(b[1] & 0x40);
	st->error = tri(b[1] & 0x68);
	set_paper(st, (b[2] & 0x0C) != 0, (b[2] & 0x03) != 0, s);
	st->paper_stop = tri(b[2] & 0x0C);
}
