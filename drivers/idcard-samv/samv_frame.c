/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* samv_frame.c — SAM_V frame codec (see samv_frame.h). */
#include <string.h>
#include "samv_frame.h"

const uint8_t kioski_samv_preamble[SAMV_PREAMBLE_LEN] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};

uint8_t kioski_samv_xor(const uint8_t *p, size_t n)
{
	uint8_t x = 0;
	for (size_t i = 0; i < n; i++)
		x ^= p[i];
	return x;
}

size_t kioski_samv_encode(uint8_t cmd, uint8_t para, const uint8_t *data, size_t len,
			  uint8_t *out, size_t cap)
{
	size_t body = 2 + len + 1; /* CMD PARA DATA CHK */
	if (body > 0xffff || SAMV_HEADER_LEN + body > cap || (len && !data))
		return 0;
	memcpy(out, kioski_samv_preamble, SAMV_PREAMBLE_LEN);
	out[5] = (uint8_t)(body >> 8);
	out[6] = (uint8_t)body;
	out[7] = cmd;
	out[8] = para;
	if (len)
		memcpy(out + 9, data, len);
	out[9 + len] = kioski_samv_xor(out + 5, 4 + len);
	return SAMV_HEADER_LEN + body;
}

/* Offset of the first full or partial (at the buffer's end) preamble. */
static size_t find_preamble(const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (buf[i] != 0xAA)
			continue;
		size_t n = len - i < SAMV_PREAMBLE_LEN ? len - i : SAMV_PREAMBLE_LEN;
		if (!memcmp(buf + i, kioski_samv_preamble, n))
			return i;
	}
	return len;
}

enum samv_scan kioski_samv_scan(const uint8_t *buf, size_t len, struct samv_reply *out)
{
	memset(out, 0, sizeof *out);
	size_t at = find_preamble(buf, len);
	out->skip = at;
	if (len - at < SAMV_HEADER_LEN)
		return SAMV_NEED_MORE;
	const uint8_t *f = buf + at;
	size_t flen = (size_t)f[5] << 8 | f[6];
	if (flen < 4 || flen > SAMV_MAX_LEN)
		return SAMV_BAD_LENGTH;
	if (len - at < SAMV_HEADER_LEN + flen)
		return SAMV_NEED_MORE;
	out->frame_len = SAMV_HEADER_LEN + flen;
	if (kioski_samv_xor(f + 5, 2 + flen - 1) != f[SAMV_HEADER_LEN + flen - 1])
		return SAMV_BAD_CHECKSUM;
	out->sw1 = f[7];
	out->sw2 = f[8];
	out->sw3 = f[9];
	out->data = f + 10;
	out->data_len = flen - 4;
	return SAMV_FRAME;
}

int kioski_samv_split_read(const uint8_t *d, size_t len, int fingerprint,
			   struct samv_read_data *out)
{
	memset(out, 0, sizeof *out);
	if (len < 4)
		return -1;
	size_t tl = (size_t)d[0] << 8 | d[1], pl = (size_t)d[2] << 8 | d[3];
	if (4 + tl + pl == len) {
		out->text = d + 4;
		out->photo = d + 4 + tl;
	} else if (fingerprint && len >= 6) {
		size_t fl = (size_t)d[4] << 8 | d[5];
		if (6 + tl + pl + fl != len)
			return -1;
		out->has_fingerprint_len = 1;
		out->text = d + 6;
		out->photo = d + 6 + tl;
		out->fingerprint = d + 6 + tl + pl;
		out->fingerprint_len = fl;
	} else {
		return -1;
	}
	out->text_len = tl;
	out->photo_len = pl;
	return 0;
}
