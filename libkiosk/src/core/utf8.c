/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * utf8.c — the library's one copy of UTF-8 decoding and encoding
 * (kiosk/utf8.h), and UCS-2LE ↔ UTF-8 conversion through iconv.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include "core/codec.h"

KIOSK_API size_t kiosk_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t dummy;
	if (!cp)
		cp = &dummy;
	*cp = 0xFFFD;
	if (!s || !len)
		return 0;
	unsigned c = s[0];
	size_t n;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[k] & 0xC0) != 0x80) /* also stops at a NUL */
			return 0;
		v = v << 6 | (s[k] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

KIOSK_API size_t kiosk_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

KIOSK_API long kiosk_utf8_invalid_at(const char *s, size_t len)
{
	if (!s)
		return len ? 0 : -1;
	for (size_t i = 0; i < len;) {
		size_t n = kiosk_utf8_decode(s + i, len - i, NULL);
		if (!n)
			return (long)i;
		i += n;
	}
	return -1;
}

int kioski_ucs2le_to_utf8(const uint8_t *in, size_t len, char **out)
{
	*out = NULL;
	len &= ~(size_t)1;
	iconv_t cd = iconv_open("UTF-8", "UCS-2LE");
	if (cd == (iconv_t)-1)
		return KIOSK_E_NOT_SUPPORTED;
	size_t cap = len / 2 * 3 + 1; /* a BMP character is at most 3 UTF-8 bytes */
	char *buf = malloc(cap);
	if (!buf) {
		iconv_close(cd);
		return KIOSK_E_NO_MEMORY;
	}
	char *ip = (char *)in, *op = buf;
	size_t il = len, ol = cap - 1;
	size_t r = iconv(cd, &ip, &il, &op, &ol);
	iconv_close(cd);
	if (r == (size_t)-1 || il) {
		kioski_wipe(buf, cap);
		free(buf);
		return errno == ENOMEM ? KIOSK_E_NO_MEMORY : KIOSK_E_PROTOCOL;
	}
	*op = 0;
	*out = buf;
	return KIOSK_OK;
}
