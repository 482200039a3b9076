/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * base64.c — the library's base64 (photos in card JSON, images in receipt
 * JSON), on nettle's codec; standard alphabet, padded, strict on input.
 */
#include <stdlib.h>
#include <string.h>
#include <nettle/base64.h>
#include "core/codec.h"

char *kioski_base64_encode(const uint8_t *data, size_t len)
{
	size_t olen = BASE64_ENCODE_RAW_LENGTH(len);
	char *out = malloc(olen + 1);
	if (!out)
		return NULL;
	if (len)
		base64_encode_raw(out, len, data);
	out[olen] = 0;
	return out;
}

uint8_t *kioski_base64_decode(const char *s, size_t slen, size_t *out_len)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	/* nettle skips white space and accepts a missing pad: we do not */
	if (!s || slen % 4)
		return NULL;
	size_t body = slen;
	if (body && s[body - 1] == '=')
		body--;
	if (body && s[body - 1] == '=')
		body--;
	for (size_t i = 0; i < body; i++)
		if (!s[i] || !strchr(alphabet, s[i]))
			return NULL;
	uint8_t *out = malloc(BASE64_DECODE_LENGTH(slen) + 1);
	if (!out)
		return NULL;
	struct base64_decode_ctx ctx;
	size_t n = BASE64_DECODE_LENGTH(slen) + 1;
	base64_decode_init(&ctx);
	if (!base64_decode_update(&ctx, &n, out, slen, s) || !base64_decode_final(&ctx)) {
		free(out);
		return NULL;
	}
	*out_len = n;
	return out;
}
