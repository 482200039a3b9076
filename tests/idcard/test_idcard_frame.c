/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test_idcard_frame.c — the SAM_V frame codec: the frames of docs/protocol-samv.md, noise,
 * split input, checksum and length errors, read-reply layout. */
#include <string.h>
#include "test.h"
#include "idcard-samv/samv_frame.h"

static void check_cmd(uint8_t cmd, uint8_t para, const char *hex)
{
	uint8_t want[32], got[32];
	size_t n = 0;
	for (const char *p = hex; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		unsigned v;
		sscanf(p, "%2x", &v);
		want[n++] = (uint8_t)v;
		p += 2;
	}
	size_t m = kioski_samv_encode(cmd, para, NULL, 0, got, sizeof got);
	CHECK_EQ_INT(m, n);
	if (m != n || memcmp(want, got, n)) {
		fprintf(stderr, "command %02x %02x encodes wrong\n", cmd, para);
		test_failures++;
	}
}

int main(void)
{
	/* The whole frames of docs/protocol-samv.md, "Commands". */
	check_cmd(0x10, 0xff, "AA AA AA 96 69 00 03 10 FF EC");
	check_cmd(0x11, 0xff, "AA AA AA 96 69 00 03 11 FF ED");
	check_cmd(0x12, 0xff, "AA AA AA 96 69 00 03 12 FF EE");
	check_cmd(0x20, 0x01, "AA AA AA 96 69 00 03 20 01 22");
	check_cmd(0x20, 0x02, "AA AA AA 96 69 00 03 20 02 21");
	check_cmd(0x30, 0x01, "AA AA AA 96 69 00 03 30 01 32");
	check_cmd(0x30, 0x10, "AA AA AA 96 69 00 03 30 10 23");
	check_cmd(0x30, 0x03, "AA AA AA 96 69 00 03 30 03 30");
	uint8_t small[8];
	CHECK_EQ_INT(kioski_samv_encode(0x20, 0x01, NULL, 0, small, sizeof small), 0);

	/* find OK reply of docs/protocol-samv.md, after noise including a false preamble */
	static const uint8_t find_ok[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08, 0x00, 0x00,
					  0x9F, 0x00, 0x00, 0x00, 0x00, 0x97};
	uint8_t buf[128];
	size_t n = 0;
	static const uint8_t noise[] = {0x13, 0xAA, 0xAA, 0x96, 0xAA, 0xAA, 0xAA, 0x96, 0x00, 0x55};
	memcpy(buf, noise, sizeof noise);
	n = sizeof noise;
	memcpy(buf + n, find_ok, sizeof find_ok);
	n += sizeof find_ok;
	struct samv_reply rep;
	CHECK_EQ_INT(kioski_samv_scan(buf, n, &rep), SAMV_FRAME);
	CHECK_EQ_INT(rep.skip, sizeof noise);
	CHECK_EQ_INT(rep.frame_len, sizeof find_ok);
	CHECK_EQ_INT(rep.sw3, 0x9f);
	CHECK_EQ_INT(rep.data_len, 4);

	/* every split point: NEED_MORE until complete, never a wrong frame */
	for (size_t cut = 0; cut < sizeof find_ok; cut++) {
		enum samv_scan sc = kioski_samv_scan(find_ok, cut, &rep);
		CHECK_EQ_INT(sc, SAMV_NEED_MORE);
		CHECK_EQ_INT(rep.skip, 0);
	}

	/* a bad checksum is reported, and resync finds the next good frame */
	memcpy(buf, find_ok, sizeof find_ok);
	buf[sizeof find_ok - 1] ^= 1;
	memcpy(buf + sizeof find_ok, find_ok, sizeof find_ok);
	CHECK_EQ_INT(kioski_samv_scan(buf, 2 * sizeof find_ok, &rep), SAMV_BAD_CHECKSUM);
	size_t drop = rep.skip + 1;
	CHECK_EQ_INT(kioski_samv_scan(buf + drop, 2 * sizeof find_ok - drop, &rep), SAMV_FRAME);
	CHECK_EQ_INT(rep.skip, sizeof find_ok - drop);

	/* impossible lengths */
	uint8_t bad[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xff, 0xff, 0, 0, 0};
	CHECK_EQ_INT(kioski_samv_scan(bad, sizeof bad, &rep), SAMV_BAD_LENGTH);
	bad[5] = 0;
	bad[6] = 2;
	CHECK_EQ_INT(kioski_samv_scan(bad, sizeof bad, &rep), SAMV_BAD_LENGTH);

	/* read reply data: 2 lengths, 3 lengths, mismatch */
	static uint8_t data[6 + 256 + 1024 + 1024];
	memset(data, 0x20, sizeof data);
	data[0] = 1, data[1] = 0, data[2] = 4, data[3] = 0;
	struct samv_read_data rd;
	CHECK_EQ_INT(kioski_samv_split_read(data, 4 + 256 + 1024, 0, &rd), 0);
	CHECK(rd.text == data + 4 && rd.text_len == 256 && rd.photo_len == 1024 && !rd.fingerprint);
	CHECK_EQ_INT(kioski_samv_split_read(data, 4 + 256 + 1024, 1, &rd), 0);
	CHECK_EQ_INT(kioski_samv_split_read(data, 4 + 256 + 1023, 0, &rd), -1);
	data[4] = 4, data[5] = 0;
	CHECK_EQ_INT(kioski_samv_split_read(data, sizeof data, 1, &rd), 0);
	CHECK(rd.has_fingerprint_len && rd.fingerprint_len == 1024 && rd.text == data + 6);
	CHECK_EQ_INT(kioski_samv_split_read(data, sizeof data, 0, &rd), -1);
	CHECK_EQ_INT(kioski_samv_split_read(data, 3, 1, &rd), -1);
	return test_done("test_idcard_frame");
}
