/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * samv_frame.h — SAM_V frame codec (GA 467, docs/protocol-samv.md): pure functions on
 * byte buffers, no I/O, so the fuzzer and the benchmark can drive them.
 *
 *   host → reader: AA AA AA 96 69 | LEN1 LEN2 | CMD PARA | DATA… | CHK
 *   reader → host: AA AA AA 96 69 | LEN1 LEN2 | SW1 SW2 SW3 | DATA… | CHK
 * LEN is big-endian and counts the bytes after itself, CHK included; CHK is
 * the XOR of LEN1 … the byte before CHK.
 */
#ifndef KIOSKI_SAMV_FRAME_H
#define KIOSKI_SAMV_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define SAMV_PREAMBLE_LEN 5
#define SAMV_HEADER_LEN 7          /* preamble + LEN */
/* The largest LEN a reader sends: read text+photo+fingerprint is 0x090A;
 * anything above this is taken as corruption and resynchronised past. */
#define SAMV_MAX_LEN 4096
#define SAMV_MAX_FRAME (SAMV_HEADER_LEN + SAMV_MAX_LEN)

extern const uint8_t kioski_samv_preamble[SAMV_PREAMBLE_LEN];

/** Encodes a command frame into out (cap bytes). Returns its length, 0 if it does not fit. */
size_t kioski_samv_encode(uint8_t cmd, uint8_t para, const uint8_t *data, size_t len,
			  uint8_t *out, size_t cap);

/** XOR checksum of n bytes. */
uint8_t kioski_samv_xor(const uint8_t *p, size_t n);

enum samv_scan {
	SAMV_NEED_MORE = 0,    /* no complete frame yet: drop `skip` bytes (noise), keep the rest */
	SAMV_FRAME = 1,        /* a valid frame at buf+skip, `frame_len` bytes */
	SAMV_BAD_CHECKSUM = 2, /* a complete frame at buf+skip failed its checksum */
	SAMV_BAD_LENGTH = 3,   /* a preamble at buf+skip with an impossible LEN */
};

/** A reply frame located in a buffer (pointers into it). */
struct samv_reply {
	size_t skip;      /* bytes before the frame (noise) */
	size_t frame_len; /* whole frame, preamble to CHK */
	uint8_t sw1, sw2, sw3;
	const uint8_t *data; /* after SW3 */
	size_t data_len;     /* up to CHK, exclusive */
};

/**
 * Looks for the first reply frame in buf[0..len). Liberal: skips noise
 * before a preamble. After SAMV_BAD_CHECKSUM or SAMV_BAD_LENGTH the caller
 * drops `skip + 1` bytes and scans again (resynchronising on the next
 * preamble); after SAMV_FRAME it drops `skip + frame_len`; after
 * SAMV_NEED_MORE it drops `skip` and reads more.
 */
enum samv_scan kioski_samv_scan(const uint8_t *buf, size_t len, struct samv_reply *out);

/** The layout of a read reply's data (text, photo, fingerprint). */
struct samv_read_data {
	const uint8_t *text, *photo, *fingerprint;
	size_t text_len, photo_len, fingerprint_len;
	int has_fingerprint_len; /* the reply carried a third (fingerprint) length */
};

/**
 * Splits the data of a read reply (text len, photo len [, fingerprint len],
 * then the blocks). `fingerprint` says whether CMD 30 10 was sent; a reply
 * with only two lengths is accepted for it too. Returns 0, or -1 when the
 * lengths do not add up.
 */
int kioski_samv_split_read(const uint8_t *data, size_t len, int fingerprint,
			   struct samv_read_data *out);

#endif
