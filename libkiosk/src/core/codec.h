/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * codec.h — the library's shared text and byte codecs: base64 (base64.c,
 * on nettle) and UCS-2LE → UTF-8 (utf8.c, on iconv; the UTF-8 steps
 * themselves are public: kiosk/utf8.h).
 */
#ifndef KIOSKI_CODEC_H
#define KIOSKI_CODEC_H

#include "driver.h"

/** Base64 (standard alphabet, padded). The string is malloc'ed; NULL when out of memory. */
char *kioski_base64_encode(const uint8_t *data, size_t len);
/** Decodes padded base64 (white space not allowed); malloc'ed, NULL on bad input. */
uint8_t *kioski_base64_decode(const char *s, size_t slen, size_t *out_len);

/** UCS-2LE (len bytes; an odd last byte is ignored) → a new UTF-8 string.
 *  KIOSK_E_PROTOCOL for an unpaired surrogate, KIOSK_E_NO_MEMORY,
 *  KIOSK_E_NOT_SUPPORTED when iconv lacks UCS-2LE. */
int kioski_ucs2le_to_utf8(const uint8_t *in, size_t len, char **out);

#endif
