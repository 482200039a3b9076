/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim_idcard.h — the SAM_V ID-card reader emulator (kiosk-sim idcard).
 *
 * It answers SAM_V command frames with replies computed from a synthetic
 * card loaded from JSON (JSON files in hw/sim/cards): the card is ENCODED into the
 * 256-byte UCS-2LE text block by this emulator's own layout tables
 * (independent of libkiosk's decoder), with a synthetic 1024-byte WLT
 * placeholder (a pattern, not a photo) and optional fingerprint bytes.
 *
 * Card model: a card on the reader answers find with 9F; select with 90
 * (81 once it was read, with halt_after_read, until it is lifted); read
 * with the data. Without a card, find answers 80.
 */
#ifndef KIOSK_SIM_IDCARD_H
#define KIOSK_SIM_IDCARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_idcard_opts {
	const char *card_file;  /* JSON card; NULL = no card on the reader */
	bool halt_after_read;   /* a card that was read answers select with 81 until lifted */
	int remove_after_ms;    /* the card leaves this long after its first read (0 = never) */
	int bad_checksum;       /* corrupt the CHK of the first N replies (-1 = all) */
	int truncated;          /* cut the first N replies short (-1 = all) */
	int noise;              /* bytes of noise written before every reply */
	int sw3;                /* answer with this SW3 instead (0 = off) … */
	int sw3_cmd;            /* … only for this CMD byte (-1 = every command) */
	int slow_ms;            /* delay before every reply */
	bool removed_mid_read;  /* the card leaves in the middle of its first read reply */
};

struct sim_idcard;

/* Creates an emulator state (no transport). Returns NULL with a message on
 * stderr if the card file cannot be loaded. */
struct sim_idcard *sim_idcard_new(const struct sim_idcard_opts *opts);
void sim_idcard_free(struct sim_idcard *s);

/* Feeds host bytes; appends any complete replies (with the faults applied,
 * except slow_ms) to out. Returns the number of reply bytes written
 * (truncated to cap). Thread-safe. For transports such as USB emulation. */
size_t sim_idcard_process(struct sim_idcard *s, const uint8_t *in, size_t n, uint8_t *out,
			  size_t cap);

/* Places a card (JSON file) on the reader, or lifts it (NULL). Thread-safe.
 * Returns 0 or -1 if the file cannot be loaded. */
int sim_idcard_set_card(struct sim_idcard *s, const char *card_file);

/* Commands served so far (find, select, read), for tests. */
struct sim_idcard_stats {
	unsigned finds, selects, reads, sam, bad_frames, baud_changes;
	int baud;
};
void sim_idcard_get_stats(struct sim_idcard *s, struct sim_idcard_stats *st);
/* True while a card lies on the emulated reader. */
bool sim_idcard_has_card(struct sim_idcard *s);

/* Runs the emulator on a new pty in a thread; writes "serial:/dev/pts/N" to
 * uri. Returns the state (use sim_idcard_set_card/get_stats on it) or NULL. */
struct sim_idcard *sim_idcard_start(const struct sim_idcard_opts *opts, char *uri, size_t len);
/* Stops the thread, closes the pty and frees the state. */
void sim_idcard_stop(struct sim_idcard *s);

/* Encodes a card JSON document into the 256-byte text block, the 1024-byte
 * WLT placeholder and (if the card has one) 1024 fingerprint bytes.
 * Returns 0, or -1 with a message in err. For tests and the fuzz corpus. */
struct sim_idcard_card {
	uint8_t text[256];
	uint8_t photo[1024];
	uint8_t fingerprint[1024];
	size_t fingerprint_len;
	uint8_t extra_address[70];
	size_t extra_address_len;
};
int sim_idcard_encode_file(const char *path, struct sim_idcard_card *card, char *err, size_t errlen);
int sim_idcard_encode_json(const char *json, struct sim_idcard_card *card, char *err, size_t errlen);

/* The directory with the synthetic cards (hw/sim/cards). */
const char *sim_idcard_cards_dir(void);

#endif
