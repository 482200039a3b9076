/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_idcard_text.c — libFuzzer target for the 256-byte text decoder and
 * what consumes a card: JSON (all flag combinations), masking, copy, free.
 * Inputs shorter than 256 bytes are padded with spaces; the rest of a longer
 * input is fed to the UCS-2 converter on its own.
 */
#include <stdlib.h>
#include <string.h>
#include <kiosk/kiosk.h>
#include "idcard/idcard-private.h"

static void check_utf8(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\n')
			abort(); /* the decoder rejects control characters */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t text[256];
	for (size_t i = 0; i < 256; i += 2)
		text[i] = ' ', text[i + 1] = 0;
	memcpy(text, data, size < 256 ? size : 256);
	kiosk_idcard *card = NULL;
	int r = kiosk_idcard_decode_text(text, &card);
	if (r == KIOSK_OK) {
		if (!card)
			abort();
		for (unsigned flags = 0; flags < 8; flags++) {
			char *json = NULL;
			if (kiosk_idcard_to_json(card, flags, &json) != KIOSK_OK || !json)
				abort();
			kiosk_free(json);
		}
		const char *fields[] = {kiosk_idcard_get_name(card), kiosk_idcard_get_address(card),
					kiosk_idcard_get_id_number(card),
					kiosk_idcard_get_english_name(card)};
		for (size_t i = 0; i < 4; i++)
			if (fields[i])
				check_utf8(fields[i]);
		char buf[64];
		kiosk_idcard_masked_name(card, buf, sizeof buf);
		kiosk_idcard_masked_id_number(card, buf, sizeof buf);
		kiosk_idcard *copy = kiosk_idcard_copy(card);
		kiosk_idcard_free(copy);
		kiosk_idcard_free(card);
	} else if (card) {
		abort();
	}
	if (size > 256) {
		char *s = NULL;
		if (kioski_ucs2_to_utf8(data + 256, size - 256, &s) == KIOSK_OK && s)
			check_utf8(s);
		free(s);
	}
	return 0;
}
