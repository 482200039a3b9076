/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * privacy.c — the one masking policy for personal data (kiosk/privacy.h
 * documents it); the library's logs and masked JSON, kioskctl, kiosk-app
 * and the Python package all call it.
 */
#include <string.h>
#include "driver.h"

/* Length of the character at s (an invalid byte counts as one). */
static size_t char_len(const char *s, size_t left)
{
	size_t n = kiosk_utf8_decode(s, left, NULL);
	return n ? n : 1;
}

static const char *empty(char *buf, size_t len)
{
	if (buf && len)
		buf[0] = '\0';
	return buf ? buf : "";
}

KIOSK_API const char *kiosk_mask_name(const char *name, char *buf, size_t len)
{
	if (!buf || !len || !name || !name[0])
		return empty(buf, len);
	size_t total = strlen(name), n = 0, last = 0;
	for (size_t i = 0; i < total; i += char_len(name + i, total - i)) {
		last = i;
		n++;
	}
	size_t o = 0, c = 0;
	buf[0] = '\0';
	for (size_t b = 0; b < total; c++) {
		size_t e = b + char_len(name + b, total - b);
		bool wide = (unsigned char)name[b] >= 0x80;
		/* the first character; the last of 3+ when it is Chinese */
		bool keep = c == 0 || (n >= 3 && b == last && wide);
		if (keep) {
			if (o + (e - b) + 1 > len)
				break;
			memcpy(buf + o, name + b, e - b);
			o += e - b;
		} else if (!(wide && o > 0 && buf[o - 1] == '*')) {
			/* hidden Chinese characters in a row collapse into one '*' */
			if (o + 2 > len)
				break;
			buf[o++] = '*';
		}
		b = e;
	}
	if (n == 1 && o > 0 && o + 2 <= len)
		buf[o++] = '*'; /* never a whole name */
	buf[o] = '\0';
	return buf;
}

KIOSK_API const char *kiosk_mask_id_number(const char *number, char *buf, size_t len)
{
	if (!buf || !len || !number)
		return empty(buf, len);
	size_t n = strlen(number), o = 0;
	size_t head = n >= 10 ? 4 : 0, tail = n >= 10 ? 4 : (n > 2 ? 2 : 0);
	for (size_t i = 0; i < n && o + 1 < len; i++)
		buf[o++] = (i < head || i >= n - tail) ? number[i] : '*';
	buf[o] = '\0';
	return buf;
}

KIOSK_API const char *kiosk_mask_address(const char *address, char *buf, size_t len)
{
	if (!buf || !len || !address || !address[0])
		return empty(buf, len);
	size_t total = strlen(address), keep = 0;
	for (int k = 0; k < 2 && keep < total; k++)
		keep += char_len(address + keep, total - keep);
	if (keep + 4 > len)
		return empty(buf, len);
	memcpy(buf, address, keep);
	memcpy(buf + keep, "***", 4);
	return buf;
}
