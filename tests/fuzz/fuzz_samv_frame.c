/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_samv_frame.c — libFuzzer target for the SAM_V reply parser: scans the
 * input as the driver does (drop noise, resync after bad frames) and checks
 * that every accepted frame lies inside the buffer, passes its checksum, and
 * that read-reply block splitting stays inside the frame's data.
 */
#include <stdlib.h>
#include <string.h>
#include "idcard-samv/samv_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;
	int frames = 0;
	while (off < size && frames < 1000) {
		struct samv_reply rep;
		enum samv_scan sc = kioski_samv_scan(data + off, size - off, &rep);
		if (sc == SAMV_NEED_MORE)
			break;
		if (rep.skip > size - off)
			abort();
		if (sc == SAMV_BAD_CHECKSUM || sc == SAMV_BAD_LENGTH) {
			off += rep.skip + 1;
			continue;
		}
		const uint8_t *f = data + off + rep.skip;
		if (rep.frame_len < 11 || rep.frame_len > size - off - rep.skip ||
		    memcmp(f, kioski_samv_preamble, SAMV_PREAMBLE_LEN) ||
		    kioski_samv_xor(f + 5, rep.frame_len - 6) != f[rep.frame_len - 1] ||
		    rep.data != f + 10 || rep.data_len != rep.frame_len - 11)
			abort();
		for (int fp = 0; fp < 2; fp++) {
			struct samv_read_data rd;
			if (kioski_samv_split_read(rep.data, rep.data_len, fp, &rd) == 0) {
				const uint8_t *end = rep.data + rep.data_len;
				if (rd.text + rd.text_len > end || rd.photo + rd.photo_len > end ||
				    (rd.fingerprint && rd.fingerprint + rd.fingerprint_len > end))
					abort();
			}
		}
		off += rep.skip + rep.frame_len;
		frames++;
	}
	/* Encoding never overflows its buffer. */
	uint8_t out[64];
	if (size >= 2) {
		size_t n = kioski_samv_encode(data[0], data[1], data + 2,
					      size - 2 < 80 ? size - 2 : 80, out, sizeof out);
		if (n > sizeof out)
			abort();
	}
	return 0;
}
