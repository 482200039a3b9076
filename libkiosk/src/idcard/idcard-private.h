/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * idcard-private.h — the ID-card family inside libkiosk: the reader and card
 * structures and the ops table a driver (drivers/idcard-samv) implements.
 */
#ifndef KIOSKI_IDCARD_PRIVATE_H
#define KIOSKI_IDCARD_PRIVATE_H

#include <pthread.h>
#include "driver.h"
#include <kiosk/idcard.h>

/* Sizes fixed by GA 467. */
#define KIOSKI_IDCARD_TEXT_LEN 256
#define KIOSKI_IDCARD_PHOTO_MAX 1024
#define KIOSKI_IDCARD_FP_MAX 1024
#define KIOSKI_IDCARD_ADDR_MAX 512

/* Decoded text fields of a card (UTF-8, malloc()ed, NULL when absent). */
enum kioski_idcard_field {
	KIOSKI_IDF_NAME,
	KIOSKI_IDF_ENGLISH_NAME,
	KIOSKI_IDF_SEX_CODE,
	KIOSKI_IDF_NATION_CODE,
	KIOSKI_IDF_NATIONALITY,
	KIOSKI_IDF_BIRTH_DATE,
	KIOSKI_IDF_ADDRESS,
	KIOSKI_IDF_ID_NUMBER,
	KIOSKI_IDF_ISSUER,
	KIOSKI_IDF_VALID_FROM,
	KIOSKI_IDF_VALID_UNTIL,
	KIOSKI_IDF_PASS_NUMBER,
	KIOSKI_IDF_ISSUE_COUNT,
	KIOSKI_IDF_RENEWAL_COUNT,
	KIOSKI_IDF_CARD_VERSION,
	KIOSKI_IDF_AUTHORITY_CODE,
	KIOSKI_IDF_EXTRA_ADDRESS,
	KIOSKI_IDF_COUNT
};

struct kiosk_idcard {
	enum kiosk_idcard_type type;
	char *field[KIOSKI_IDF_COUNT];
	const char *sex;    /* static table text or NULL */
	const char *nation; /* static table text or NULL */
	int id_valid;       /* 1, 0, -1 not checkable */
	uint8_t *photo;
	size_t photo_len;
	uint8_t *fingerprint;
	size_t fingerprint_len;
};

/* What a driver's read returns (the reader wipes it after decoding). */
struct kioski_idcard_raw {
	uint8_t text[KIOSKI_IDCARD_TEXT_LEN];
	uint8_t photo[KIOSKI_IDCARD_PHOTO_MAX];
	size_t photo_len;
	uint8_t fingerprint[KIOSKI_IDCARD_FP_MAX];
	size_t fingerprint_len;
	bool fingerprint_read; /* the reader answered the fingerprint command */
};

struct kiosk_idcard_reader;

/*
 * Driver ops. Each runs on the reader's worker thread, returns KIOSK_OK or a
 * kiosk_error, sets rdr->last_sw3 from the reply and the device's last error
 * (kioski_device_fail) on failure. `deadline` is a kioski_deadline() value.
 */
struct kioski_idcard_ops {
	/* Opens the transport (rdr->base.transport) and driver state. */
	int (*open)(struct kiosk_idcard_reader *rdr, const char *profile_json);
	void (*close)(struct kiosk_idcard_reader *rdr);
	/* KIOSK_OK when a card is found (9F), KIOSK_E_NO_CARD on 80. */
	int (*find)(struct kiosk_idcard_reader *rdr, uint64_t deadline);
	int (*select)(struct kiosk_idcard_reader *rdr, uint64_t deadline);
	/* Text + photo, and the fingerprint with `fingerprint`. */
	int (*read)(struct kiosk_idcard_reader *rdr, bool fingerprint, struct kioski_idcard_raw *raw,
		    uint64_t deadline);
	/* The additional address (UCS-2LE); *len 0 when the card has none (SW3 91). */
	int (*read_address)(struct kiosk_idcard_reader *rdr, uint8_t *buf, size_t cap, size_t *len,
			    uint64_t deadline);
	int (*sam_reset)(struct kiosk_idcard_reader *rdr, uint64_t deadline);
	int (*sam_status)(struct kiosk_idcard_reader *rdr, uint64_t deadline);
	int (*sam_id)(struct kiosk_idcard_reader *rdr, uint8_t id[16], uint64_t deadline);
	int (*set_baud)(struct kiosk_idcard_reader *rdr, int baud, uint64_t deadline);
	/* The core re-opened a lost link (rdr->base.transport is new): set it up
	 * as open did and forget per-link state. Optional. */
	int (*relinked)(struct kiosk_idcard_reader *rdr);
};

struct kiosk_idcard_reader {
	kiosk_device base; /* first member */
	const struct kioski_idcard_ops *ops;
	char profile[64];
	int cmd_timeout_ms;        /* reply timeout floor */
	_Atomic int last_sw3;
	/* watch state (worker thread only, except the settings under lock) */
	pthread_mutex_t lock;
	int watch_interval_ms;
	unsigned watch_flags;
	bool watching;
	bool watch_restart;        /* set by kiosk_idcard_watch(): the worker resets the state below */
	bool present;              /* a card is on the reader and was handled */
	bool present_failed;       /* … but could not be read (error posted once) */
	bool read_cut_posted;      /* a read that broke off was reported (until a find sees no card) */
	bool reader_silent;        /* DEVICE_ERROR(TIMEOUT) posted, until it answers again */
	bool reader_lost;          /* DEVICE_LEFT posted */
	int miss_count;
	uint64_t present_hash;
	uint64_t hash_key[2];
};

/* ---- card (idcard_card.c, idcard_text.c) ---- */
kiosk_idcard *kioski_idcard_new(void);
int kioski_idcard_set_field(kiosk_idcard *card, enum kioski_idcard_field f, const char *utf8);
/* Decodes `len` bytes of UCS-2LE (padding trimmed) into a new UTF-8 string
 * (NULL for blank). KIOSK_E_PROTOCOL on surrogates or control characters. */
int kioski_ucs2_to_utf8(const uint8_t *p, size_t len, char **out);
/* Attaches photo / fingerprint copies. */
int kioski_idcard_set_photo(kiosk_idcard *card, const uint8_t *p, size_t len);
int kioski_idcard_set_fingerprint(kiosk_idcard *card, const uint8_t *p, size_t len);
/* GB 11643 check of an 18-character number: 1 valid, 0 not. */
int kioski_gb11643_valid(const char *number);
/* The GB 11643 check character for 17 digits, or 0 if not 17 digits. */
char kioski_gb11643_check_char(const char *first17);
const char *kioski_idcard_sex_name(const char *code);
const char *kioski_idcard_nation_name(const char *code);
/* Salted 64-bit hash of a text block (for "same card" recognition). */
uint64_t kioski_idcard_text_hash(const uint64_t key[2], const uint8_t text[256]);
void kioski_idcard_free_cb(void *card);

/* ---- status codes ---- */
int kioski_idcard_sw3_error(int sw3);

#endif
