/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * idcard_card.c — the kiosk_idcard value: accessors, copy, wipe-on-free,
 * masking and the JSON form of docs/contracts.md.
 */
#include <stdlib.h>
#include <string.h>
#include "idcard/idcard-private.h"
#include "core/codec.h"

kiosk_idcard *kioski_idcard_new(void)
{
	kiosk_idcard *c = calloc(1, sizeof *c);
	if (c)
		c->id_valid = 0;
	return c;
}

static void wipe_str(char *s)
{
	if (s) {
		kioski_wipe(s, strlen(s));
		free(s);
	}
}

int kioski_idcard_set_field(kiosk_idcard *card, enum kioski_idcard_field f, const char *utf8)
{
	char *n = NULL;
	if (utf8 && utf8[0] && !(n = strdup(utf8)))
		return KIOSK_E_NO_MEMORY;
	wipe_str(card->field[f]);
	card->field[f] = n;
	return KIOSK_OK;
}

static int set_blob(uint8_t **dst, size_t *dlen, const uint8_t *p, size_t len)
{
	uint8_t *n = NULL;
	if (len) {
		if (!(n = malloc(len)))
			return KIOSK_E_NO_MEMORY;
		memcpy(n, p, len);
	}
	if (*dst) {
		kioski_wipe(*dst, *dlen);
		free(*dst);
	}
	*dst = n;
	*dlen = len;
	return KIOSK_OK;
}

int kioski_idcard_set_photo(kiosk_idcard *card, const uint8_t *p, size_t len)
{
	return set_blob(&card->photo, &card->photo_len, p, len);
}

int kioski_idcard_set_fingerprint(kiosk_idcard *card, const uint8_t *p, size_t len)
{
	return set_blob(&card->fingerprint, &card->fingerprint_len, p, len);
}

KIOSK_API void kiosk_idcard_free(kiosk_idcard *card)
{
	if (!card)
		return;
	for (int i = 0; i < KIOSKI_IDF_COUNT; i++)
		wipe_str(card->field[i]);
	if (card->photo) {
		kioski_wipe(card->photo, card->photo_len);
		free(card->photo);
	}
	if (card->fingerprint) {
		kioski_wipe(card->fingerprint, card->fingerprint_len);
		free(card->fingerprint);
	}
	kioski_wipe(card, sizeof *card);
	free(card);
}

void kioski_idcard_free_cb(void *card)
{
	kiosk_idcard_free(card);
}

KIOSK_API kiosk_idcard *kiosk_idcard_copy(const kiosk_idcard *card)
{
	if (!card)
		return NULL;
	kiosk_idcard *c = kioski_idcard_new();
	if (!c)
		return NULL;
	c->type = card->type;
	c->sex = card->sex;
	c->nation = card->nation;
	c->id_valid = card->id_valid;
	for (int i = 0; i < KIOSKI_IDF_COUNT; i++)
		if (kioski_idcard_set_field(c, i, card->field[i]) < 0)
			goto oom;
	if (kioski_idcard_set_photo(c, card->photo, card->photo_len) < 0 ||
	    kioski_idcard_set_fingerprint(c, card->fingerprint, card->fingerprint_len) < 0)
		goto oom;
	return c;
oom:
	kiosk_idcard_free(c);
	return NULL;
}

/* ---- accessors ------------------------------------------------------------ */

#define FIELD(fn, f)                                                        \
	KIOSK_API const char *kiosk_idcard_get_##fn(const kiosk_idcard *card) \
	{                                                                   \
		return card ? card->field[f] : NULL;                        \
	}

FIELD(name, KIOSKI_IDF_NAME)
FIELD(english_name, KIOSKI_IDF_ENGLISH_NAME)
FIELD(sex_code, KIOSKI_IDF_SEX_CODE)
FIELD(nation_code, KIOSKI_IDF_NATION_CODE)
FIELD(nationality, KIOSKI_IDF_NATIONALITY)
FIELD(birth_date, KIOSKI_IDF_BIRTH_DATE)
FIELD(address, KIOSKI_IDF_ADDRESS)
FIELD(id_number, KIOSKI_IDF_ID_NUMBER)
FIELD(issuer, KIOSKI_IDF_ISSUER)
FIELD(valid_from, KIOSKI_IDF_VALID_FROM)
FIELD(valid_until, KIOSKI_IDF_VALID_UNTIL)
FIELD(pass_number, KIOSKI_IDF_PASS_NUMBER)
FIELD(issue_count, KIOSKI_IDF_ISSUE_COUNT)
FIELD(renewal_count, KIOSKI_IDF_RENEWAL_COUNT)
FIELD(card_version, KIOSKI_IDF_CARD_VERSION)
FIELD(authority_code, KIOSKI_IDF_AUTHORITY_CODE)
FIELD(extra_address, KIOSKI_IDF_EXTRA_ADDRESS)

KIOSK_API const char *kiosk_idcard_get_sex(const kiosk_idcard *card)
{
	return card ? card->sex : NULL;
}

KIOSK_API const char *kiosk_idcard_get_nation(const kiosk_idcard *card)
{
	return card ? card->nation : NULL;
}

KIOSK_API int kiosk_idcard_get_id_number_valid(const kiosk_idcard *card)
{
	return card ? card->id_valid : 0;
}

KIOSK_API enum kiosk_idcard_type kiosk_idcard_get_type(const kiosk_idcard *card)
{
	return card ? card->type : KIOSK_IDCARD_RESIDENT;
}

KIOSK_API const char *kiosk_idcard_type_name(enum kiosk_idcard_type type)
{
	switch (type) {
	case KIOSK_IDCARD_HK_MACAU_TAIWAN: return "hk_macau_taiwan";
	case KIOSK_IDCARD_FOREIGN_PERMANENT: return "foreign_permanent";
	case KIOSK_IDCARD_FOREIGN_PERMANENT_2023: return "foreign_permanent_2023";
	case KIOSK_IDCARD_RESIDENT: break;
	}
	return "resident";
}

KIOSK_API const uint8_t *kiosk_idcard_get_photo_wlt(const kiosk_idcard *card, size_t *len)
{
	if (len)
		*len = card ? card->photo_len : 0;
	return card ? card->photo : NULL;
}

KIOSK_API const uint8_t *kiosk_idcard_get_fingerprint(const kiosk_idcard *card, size_t *len)
{
	if (len)
		*len = card ? card->fingerprint_len : 0;
	return card ? card->fingerprint : NULL;
}

static const char *display_name(const kiosk_idcard *card)
{
	const char *n = card->field[KIOSKI_IDF_NAME];
	return n ? n : card->field[KIOSKI_IDF_ENGLISH_NAME];
}

KIOSK_API const char *kiosk_idcard_masked_name(const kiosk_idcard *card, char *buf, size_t len)
{
	if (!buf || !len)
		return "";
	buf[0] = 0;
	if (card && display_name(card))
		kiosk_mask_name(display_name(card), buf, len);
	return buf;
}

KIOSK_API const char *kiosk_idcard_masked_id_number(const kiosk_idcard *card, char *buf,
						    size_t len)
{
	if (!buf || !len)
		return "";
	buf[0] = 0;
	if (card && card->field[KIOSKI_IDF_ID_NUMBER])
		kiosk_mask_id_number(card->field[KIOSKI_IDF_ID_NUMBER], buf, len);
	return buf;
}

/* ---- JSON ----------------------------------------------------------------- */

/* A string builder that wipes what it drops (it holds personal data). */
struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 512;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *q = malloc(cap);
		if (!q) {
			b->oom = true;
			return;
		}
		if (b->p) {
			memcpy(q, b->p, b->len);
			kioski_wipe(b->p, b->cap);
			free(b->p);
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

static void sb_json_string(struct sbuf *b, const char *s)
{
	if (!s) {
		sb_puts(b, "null");
		return;
	}
	sb_put(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char esc[8];
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			sb_put(b, esc, 2);
		} else if (*p < 0x20) {
			static const char hex[] = "0123456789abcdef";
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			sb_put(b, esc, 6);
		} else {
			sb_put(b, (const char *)p, 1);
		}
	}
	sb_put(b, "\"", 1);
}

static void sb_base64(struct sbuf *b, const uint8_t *d, size_t n)
{
	char *text = kioski_base64_encode(d, n);
	if (!text) {
		b->oom = true;
		return;
	}
	sb_put(b, "\"", 1);
	sb_put(b, text, strlen(text));
	sb_put(b, "\"", 1);
	kioski_wipe(text, strlen(text)); /* a photo is personal data */
	free(text);
}

KIOSK_API int kiosk_idcard_to_json(const kiosk_idcard *card, unsigned flags, char **json)
{
	if (!json)
		return KIOSK_E_INVALID_ARG;
	*json = NULL;
	if (!card)
		return KIOSK_E_INVALID_ARG;
	bool pretty = flags & KIOSK_IDCARD_JSON_PRETTY;
	bool masked = flags & KIOSK_IDCARD_JSON_MASKED;
	char m_name[128], m_en[256], m_id[64], m_pass[64], m_addr[32];
	const char *name = card->field[KIOSKI_IDF_NAME];
	const char *en = card->field[KIOSKI_IDF_ENGLISH_NAME];
	const char *id = card->field[KIOSKI_IDF_ID_NUMBER];
	const char *pass = card->field[KIOSKI_IDF_PASS_NUMBER];
	const char *addr = card->field[KIOSKI_IDF_ADDRESS];
	if (masked) {
		if (name)
			name = kiosk_mask_name(name, m_name, sizeof m_name);
		if (en)
			en = kiosk_mask_name(en, m_en, sizeof m_en);
		if (id)
			id = kiosk_mask_id_number(id, m_id, sizeof m_id);
		if (pass)
			pass = kiosk_mask_id_number(pass, m_pass, sizeof m_pass);
		if (addr)
			addr = kiosk_mask_address(addr, m_addr, sizeof m_addr);
	}
	const char *valid = card->id_valid > 0 ? "true" : card->id_valid == 0 ? "false" : "null";
	struct {
		const char *key;
		const char *val;
		bool raw;
	} kv[] = {
		{"card_type", kiosk_idcard_type_name(card->type), false},
		{"name", name, false},
		{"english_name", en, false},
		{"sex", card->sex, false},
		{"sex_code", card->field[KIOSKI_IDF_SEX_CODE], false},
		{"nation", card->nation, false},
		{"nation_code", card->field[KIOSKI_IDF_NATION_CODE], false},
		{"nationality", card->field[KIOSKI_IDF_NATIONALITY], false},
		{"birth_date", card->field[KIOSKI_IDF_BIRTH_DATE], false},
		{"address", addr, false},
		{"id_number", id, false},
		{"id_number_valid", valid, true},
		{"issuer", card->field[KIOSKI_IDF_ISSUER], false},
		{"valid_from", card->field[KIOSKI_IDF_VALID_FROM], false},
		{"valid_until", card->field[KIOSKI_IDF_VALID_UNTIL], false},
		{"pass_number", pass, false},
		{"issue_count", card->field[KIOSKI_IDF_ISSUE_COUNT], false},
	};
	struct sbuf b = {0};
	sb_puts(&b, "{");
	for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
		if (i)
			sb_puts(&b, ",");
		sb_puts(&b, pretty ? "\n  \"" : "\"");
		sb_puts(&b, kv[i].key);
		sb_puts(&b, pretty ? "\": " : "\":");
		if (kv[i].raw)
			sb_puts(&b, kv[i].val);
		else
			sb_json_string(&b, kv[i].val);
	}
	if (flags & KIOSK_IDCARD_JSON_PHOTO) {
		sb_puts(&b, pretty ? ",\n  \"photo_wlt\": " : ",\"photo_wlt\":");
		if (card->photo && !masked)
			sb_base64(&b, card->photo, card->photo_len);
		else
			sb_puts(&b, "null");
	}
	sb_puts(&b, pretty ? "\n}" : "}");
	kioski_wipe(m_name, sizeof m_name);
	kioski_wipe(m_en, sizeof m_en);
	kioski_wipe(m_id, sizeof m_id);
	kioski_wipe(m_pass, sizeof m_pass);
	if (b.oom) {
		if (b.p) {
			kioski_wipe(b.p, b.cap);
			free(b.p);
		}
		return KIOSK_E_NO_MEMORY;
	}
	*json = b.p;
	return KIOSK_OK;
}
