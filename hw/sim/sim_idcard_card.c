/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim_idcard_card.c — encodes a synthetic card (JSON) into what a SAM_V
 * reader returns: the 256-byte UCS-2LE text block (space padded, laid out
 * per card type), a 1024-byte WLT placeholder and fingerprint bytes.
 * Written independently of libkiosk's decoder so that tests compare two
 * implementations of the layout tables.
 */
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "datadir.h"
#include "sim_idcard.h"

static char cards_dir[4096];
static pthread_once_t cards_once = PTHREAD_ONCE_INIT;

static void find_cards_dir(void)
{
	char dir[4000];
	kiosk_program_datadir("sim", "KIOSK_SIM_DATA_DIR", dir, sizeof dir);
	snprintf(cards_dir, sizeof cards_dir, "%s/cards", dir);
}

/* <datadir>/libkiosk/sim/cards beside the installed program, or
 * $KIOSK_SIM_DATA_DIR/cards (examples/common/datadir.h). */
const char *sim_idcard_cards_dir(void)
{
	pthread_once(&cards_once, find_cards_dir);
	return cards_dir;
}

struct slot {
	const char *key;
	int off, len; /* bytes */
};

/* Layout tables (docs/protocol-samv.md, "The text block"), keyed by the card JSON's field names. */
static const struct slot lay_resident[] = {
	{"name", 0, 30}, {"sex_code", 30, 2}, {"nation_code", 32, 4}, {"birth_date", 36, 16},
	{"address", 52, 70}, {"id_number", 122, 36}, {"issuer", 158, 30},
	{"valid_from", 188, 16}, {"valid_until", 204, 16}, {NULL, 0, 0},
};
static const struct slot lay_hmt[] = {
	{"name", 0, 30}, {"sex_code", 30, 2}, {"birth_date", 36, 16},
	{"address", 52, 70}, {"id_number", 122, 36}, {"issuer", 158, 30},
	{"valid_from", 188, 16}, {"valid_until", 204, 16}, {"pass_number", 220, 18},
	{"issue_count", 238, 4}, {NULL, 0, 0},
};
static const struct slot lay_i[] = {
	{"english_name", 0, 120}, {"sex_code", 120, 2}, {"id_number", 122, 30},
	{"nationality", 152, 6}, {"name", 158, 30}, {"valid_from", 188, 16},
	{"valid_until", 204, 16}, {"birth_date", 220, 16}, {"card_version", 236, 4},
	{"authority_code", 240, 8}, {NULL, 0, 0},
};
static const struct slot lay_y[] = {
	{"name", 0, 30}, {"sex_code", 30, 2}, {"renewal_count", 32, 4}, {"birth_date", 36, 16},
	{"id_number", 122, 36}, {"valid_from", 188, 16}, {"valid_until", 204, 16},
	{"nationality", 242, 6}, {NULL, 0, 0},
};

/* UTF-8 → UCS-2 code units through iconv; returns count or -1 (invalid,
 * outside the BMP, or more than max). */
static int utf8_to_ucs2(const char *s, uint16_t *out, int max)
{
	iconv_t cd = iconv_open("UCS-2LE", "UTF-8");
	if (cd == (iconv_t)-1)
		return -1;
	uint8_t buf[512];
	char *ip = (char *)s, *op = (char *)buf;
	size_t il = strlen(s), ol = sizeof buf;
	size_t r = iconv(cd, &ip, &il, &op, &ol);
	iconv_close(cd);
	int n = (int)((sizeof buf - ol) / 2);
	if (r == (size_t)-1 || il || n > max)
		return -1;
	for (int i = 0; i < n; i++)
		out[i] = (uint16_t)(buf[2 * i] | buf[2 * i + 1] << 8);
	return n;
}

/* Writes `s` into text[off..off+len) as UCS-2LE, space padded. */
static int put_field(uint8_t *text, int off, int len, const char *s, const char *key, char *err,
		     size_t errlen)
{
	uint16_t u[128];
	int n = utf8_to_ucs2(s, u, len / 2);
	if (n < 0) {
		snprintf(err, errlen, "field %s: too long for %d bytes or not BMP UTF-8", key, len);
		return -1;
	}
	for (int i = 0; i < len / 2; i++) {
		uint16_t c = i < n ? u[i] : 0x0020;
		text[off + 2 * i] = (uint8_t)(c & 0xff);
		text[off + 2 * i + 1] = (uint8_t)(c >> 8);
	}
	return 0;
}

static const char *str(const cJSON *doc, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int sim_idcard_encode_json(const char *json, struct sim_idcard_card *card, char *err, size_t errlen)
{
	memset(card, 0, sizeof *card);
	cJSON *doc = cJSON_Parse(json);
	if (!doc) {
		snprintf(err, errlen, "card is not valid JSON");
		return -1;
	}
	int rc = -1;
	const char *layout = str(doc, "layout");
	const struct slot *lay;
	char marker = 0;
	if (!layout || !strcmp(layout, "resident")) {
		lay = lay_resident;
	} else if (!strcmp(layout, "hk_macau_taiwan")) {
		lay = lay_hmt;
		marker = 'J';
	} else if (!strcmp(layout, "foreign_permanent")) {
		lay = lay_i;
		marker = 'I';
	} else if (!strcmp(layout, "foreign_permanent_2023")) {
		lay = lay_y;
		marker = 'Y';
	} else {
		snprintf(err, errlen, "unknown layout '%s'", layout);
		goto out;
	}
	for (int i = 0; i < 128; i++) {
		card->text[2 * i] = 0x20;
		card->text[2 * i + 1] = 0;
	}
	for (const struct slot *sl = lay; sl->key; sl++) {
		const char *v = str(doc, sl->key);
		if (v && put_field(card->text, sl->off, sl->len, v, sl->key, err, errlen) < 0)
			goto out;
	}
	if (marker == 'Y') {
		/* English name: 35 characters in part 1 (52), the rest in part 2 (220). */
		const char *en = str(doc, "english_name");
		uint16_t u[64];
		int n = en ? utf8_to_ucs2(en, u, 46) : 0;
		if (n < 0) {
			snprintf(err, errlen, "english_name too long for a 'Y' card (46 characters)");
			goto out;
		}
		for (int i = 0; i < 46; i++) {
			uint16_t c = i < n ? u[i] : 0x20;
			int off = i < 35 ? 52 + 2 * i : 220 + 2 * (i - 35);
			card->text[off] = (uint8_t)c;
			card->text[off + 1] = (uint8_t)(c >> 8);
		}
	}
	if (marker) {
		card->text[248] = (uint8_t)marker;
		card->text[249] = 0;
	}
	/* The WLT placeholder: a marker then a seeded pattern. Not a photo. */
	const cJSON *seed_j = cJSON_GetObjectItemCaseSensitive(doc, "photo_seed");
	unsigned seed = cJSON_IsNumber(seed_j) ? (unsigned)seed_j->valueint : 1;
	static const char mark[] = "KIOSK-SIM SYNTHETIC NOT A PHOTO ";
	memcpy(card->photo, mark, sizeof mark - 1);
	uint32_t x = 0x9e3779b9u * (seed + 1);
	for (size_t i = sizeof mark - 1; i < sizeof card->photo; i++) {
		x = x * 1103515245u + 12345u;
		card->photo[i] = (uint8_t)(x >> 16);
	}
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "fingerprint"))) {
		card->fingerprint_len = sizeof card->fingerprint;
		for (size_t i = 0; i < card->fingerprint_len; i++)
			card->fingerprint[i] = (uint8_t)((i * 7 + seed * 13) ^ (i >> 3));
		card->fingerprint[0] = 0x43; /* two synthetic 512-byte templates */
		card->fingerprint[512] = 0x43;
	}
	const char *extra = str(doc, "extra_address");
	if (extra) {
		if (put_field(card->extra_address, 0, 70, extra, "extra_address", err, errlen) < 0)
			goto out;
		card->extra_address_len = 70;
	}
	rc = 0;
out:
	cJSON_Delete(doc);
	return rc;
}

int sim_idcard_encode_file(const char *path, struct sim_idcard_card *card, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char alt[4200] = "";
	if (!f) {
		/* A bare name: look in the installed synthetic cards. */
		snprintf(alt, sizeof alt, "%s/%s%s", sim_idcard_cards_dir(), path,
			 strstr(path, ".json") ? "" : ".json");
		f = fopen(alt, "rb");
	}
	if (!f) {
		snprintf(err, errlen, "cannot open card file %s (nor %s)", path, alt);
		return -1;
	}
	char buf[16384];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	return sim_idcard_encode_json(buf, card, err, errlen);
}
