/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * read_card.c — read one second-generation ID card and print it.
 *
 *   read_card serial:/dev/ttyUSB0          (or usb:0400:c35a, or a kiosk-sim URI)
 *
 * Replaces the vendor SDK sequence CVR_InitComm / CVR_Authenticate /
 * CVR_Read_Content / GetPeopleName… (or SDT_StartFindIDCard /
 * SDT_SelectIDCard / SDT_ReadBaseMsg) with one blocking call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kiosk/kiosk.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DEVICE-URI\n", argv[0]);
		return 2;
	}
	kiosk_context *ctx = NULL;
	if (kiosk_context_new(&ctx) != KIOSK_OK)
		return 1;
	kiosk_idcard_reader *rdr = NULL;
	int r = kiosk_idcard_open(ctx, argv[1], &rdr);
	if (r != KIOSK_OK) {
		fprintf(stderr, "open: %s\n", kiosk_context_last_error(ctx));
		kiosk_context_free(ctx);
		return 1;
	}
	printf("place a card on the reader (10 s)…\n");
	kiosk_idcard *card = NULL;
	r = kiosk_idcard_read(rdr, 10000, 0, &card);
	if (r != KIOSK_OK) {
		/* KIOSK_E_NO_CARD: nobody placed a card; KIOSK_E_TIMEOUT: the reader is silent */
		fprintf(stderr, "read: %s (%s)\n", kiosk_device_last_error(kiosk_idcard_device(rdr)),
			kiosk_error_name(r));
	} else {
		/* Masked values for the screen/log; the full values are in the accessors. */
		char name[64], id[64];
		printf("%s card: %s, %s, valid until %s, check digit %s\n",
		       kiosk_idcard_type_name(kiosk_idcard_get_type(card)),
		       kiosk_idcard_masked_name(card, name, sizeof name),
		       kiosk_idcard_masked_id_number(card, id, sizeof id),
		       kiosk_idcard_get_valid_until(card),
		       kiosk_idcard_get_id_number_valid(card) > 0 ? "ok" : "not ok/not checkable");
		/* The photo needs the vendor's licensed WLT decoder (KIOSK_WLT_LIBRARY). */
		uint8_t *bgr = NULL;
		size_t len = 0;
		int w, h;
		if (kiosk_idcard_decode_photo(ctx, card, &bgr, &len, &w, &h) == KIOSK_OK) {
			printf("photo: %dx%d BGR\n", w, h);
			kiosk_free(bgr); /* wipes the photo */
		} else {
			printf("photo: %s\n", kiosk_context_last_error(ctx));
		}
		kiosk_idcard_free(card); /* wipes the personal data */
	}
	kiosk_idcard_close(rdr);
	kiosk_context_free(ctx);
	return r == KIOSK_OK ? 0 : 1;
}
