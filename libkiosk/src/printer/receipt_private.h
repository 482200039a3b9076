/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* receipt_private.h — the receipt model shared by receipt*.c (not installed). */
#ifndef KIOSKI_RECEIPT_PRIVATE_H
#define KIOSKI_RECEIPT_PRIVATE_H

#include <kiosk/kiosk.h>

struct kioski_receipt_item {
	enum kiosk_receipt_item_type type;
	struct kiosk_text_style style; /**< TEXT, COLUMNS (width/height normalised to 1..8) */
	enum kiosk_align align;        /**< QR, IMAGE */
	char *text;                    /**< TEXT text, QR data, COLUMNS left */
	char *text2;                   /**< COLUMNS right */
	size_t text_len;               /**< QR data length */
	int module;                    /**< QR module size 1..16 */
	char ecc;                      /**< QR 'L' 'M' 'Q' 'H' */
	int w, h;                      /**< IMAGE size */
	uint8_t *pixels;               /**< IMAGE 8-bit grey, w*h */
	char *source;                  /**< IMAGE: the path it came from (for to_json), or NULL */
	int lines;                     /**< FEED */
	bool partial;                  /**< CUT */
};

struct kiosk_receipt {
	struct kioski_receipt_item *items;
	size_t n, cap;
	char *profile;
	size_t image_pixels; /**< all IMAGE items together */
	char error[256];
};

/** Byte-mode capacity of QR versions 1..40 at ecc L, M, Q, H. */
extern const uint16_t kioski_qr_capacity[4][40];
/** 0..3 for 'L' 'M' 'Q' 'H', -1 otherwise. */
int kioski_qr_ecc_index(char ecc);
/** Smallest QR version (1..40) holding `len` bytes at ecc index, 0 if none. */
int kioski_qr_version_for(size_t len, int ecc_index);

/** Decodes a PNG (memory) into 8-bit grey on white. err gets a message. */
int kioski_png_decode_gray(const void *png, size_t len, int *w, int *h, uint8_t **pixels,
			   char *err, size_t err_len);
/** Encodes 8-bit grey pixels as PNG (malloc'ed). */
int kioski_png_encode_gray(int w, int h, const uint8_t *pixels, uint8_t **png, size_t *len);

/** Appends an image item that takes ownership of `pixels`; `source` copied (may be NULL). */
int kioski_receipt_add_image_owned(kiosk_receipt *r, int w, int h, uint8_t *pixels,
				   const char *source);

/** Reads a whole file (NUL-terminated, at most `max` bytes) with a message on error:
 *  KIOSK_E_NOT_FOUND, KIOSK_E_IO, KIOSK_E_BAD_DOCUMENT (too big), KIOSK_E_NO_MEMORY. */
int kioski_read_whole_file(const char *path, size_t max, uint8_t **data, size_t *len, char *msg,
			   size_t msg_len);

#endif
