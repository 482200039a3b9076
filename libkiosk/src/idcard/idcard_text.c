/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * idcard_text.c — the 256-byte SAM_V text block: UCS-2LE decoding, the four
 * card layouts (docs/protocol-samv.md), code tables (GB/T 2261.1 sex, GB 3304 nation),
 * the GB 11643 check digit, and the SW3 status table.
 */
#include <stdlib.h>
#include <string.h>
#include "idcard/idcard-private.h"
#include "core/codec.h"

/* ---- UCS-2LE → UTF-8 ------------------------------------------------------ */

int kioski_ucs2_to_utf8(const uint8_t *p, size_t len, char **out)
{
	*out = NULL;
	size_t n = len / 2;
	/* Trim trailing padding: spaces, NULs, full-width spaces. */
	while (n > 0) {
		unsigned c = p[2 * (n - 1)] | (unsigned)p[2 * (n - 1) + 1] << 8;
		if (c == 0x0020 || c == 0x0000 || c == 0x3000)
			n--;
		else
			break;
	}
	/* and leading spaces */
	size_t s = 0;
	while (s < n) {
		unsigned c = p[2 * s] | (unsigned)p[2 * s + 1] << 8;
		if (c == 0x0020 || c == 0x3000)
			s++;
		else
			break;
	}
	if (s == n)
		return KIOSK_OK;
	/* A card holds no control characters, surrogates or non-characters. */
	for (size_t i = s; i < n; i++) {
		unsigned c = p[2 * i] | (unsigned)p[2 * i + 1] << 8;
		if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0xd800 && c <= 0xdfff) ||
		    c == 0xfffe || c == 0xffff)
			return KIOSK_E_PROTOCOL;
	}
	return kioski_ucs2le_to_utf8(p + 2 * s, 2 * (n - s), out);
}

/* ---- code tables ------------------------------------------------------------ */

const char *kioski_idcard_sex_name(const char *code)
{
	if (!code || !code[0] || code[1])
		return NULL;
	switch (code[0]) {
	case '0': return "未知的性别";
	case '1': return "男";
	case '2': return "女";
	case '9': return "未说明的性别";
	}
	return NULL;
}

static const char *const nations[] = {
	NULL, "汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜",
	"满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
	"佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
	"达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
	"塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
	"独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
};

const char *kioski_idcard_nation_name(const char *code)
{
	if (!code || strlen(code) != 2 || code[0] < '0' || code[0] > '9' || code[1] < '0' ||
	    code[1] > '9')
		return NULL;
	int n = (code[0] - '0') * 10 + (code[1] - '0');
	if (n >= 1 && n <= 56)
		return nations[n];
	if (n == 97)
		return "其他";
	if (n == 98)
		return "外国血统中国籍人士";
	return NULL;
}

/* ---- GB 11643 ------------------------------------------------------------------ */

char kioski_gb11643_check_char(const char *d)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char chk[] = "10X98765432";
	int s = 0;
	for (int i = 0; i < 17; i++) {
		if (d[i] < '0' || d[i] > '9')
			return 0;
		s += (d[i] - '0') * w[i];
	}
	return chk[s % 11];
}

int kioski_gb11643_valid(const char *number)
{
	if (!number || strlen(number) != 18)
		return 0;
	char c = kioski_gb11643_check_char(number);
	char last = number[17] == 'x' ? 'X' : number[17];
	return c && c == last;
}

/* ---- salted hash (SipHash-2-4 construction) ------------------------------------- */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                   \
	do {                                                                       \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);          \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                             \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                             \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);          \
	} while (0)

uint64_t kioski_idcard_text_hash(const uint64_t key[2], const uint8_t text[256])
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ key[0], v1 = 0x646f72616e646f6dULL ^ key[1];
	uint64_t v2 = 0x6c7967656e657261ULL ^ key[0], v3 = 0x7465646279746573ULL ^ key[1];
	for (size_t i = 0; i < 256; i += 8) {
		uint64_t m = 0;
		for (int b = 0; b < 8; b++)
			m |= (uint64_t)text[i + b] << (8 * b);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	uint64_t m = (uint64_t)256 << 56;
	v3 ^= m;
	SIPROUND;
	SIPROUND;
	v0 ^= m;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* ---- layouts ------------------------------------------------------------------- */

struct layout_field {
	enum kioski_idcard_field f;
	uint16_t off, len;
};

static const struct layout_field resident[] = {
	{KIOSKI_IDF_NAME, 0, 30},         {KIOSKI_IDF_SEX_CODE, 30, 2},
	{KIOSKI_IDF_NATION_CODE, 32, 4},  {KIOSKI_IDF_BIRTH_DATE, 36, 16},
	{KIOSKI_IDF_ADDRESS, 52, 70},     {KIOSKI_IDF_ID_NUMBER, 122, 36},
	{KIOSKI_IDF_ISSUER, 158, 30},     {KIOSKI_IDF_VALID_FROM, 188, 16},
	{KIOSKI_IDF_VALID_UNTIL, 204, 16}, {0, 0, 0},
};

static const struct layout_field hmt[] = {
	{KIOSKI_IDF_NAME, 0, 30},          {KIOSKI_IDF_SEX_CODE, 30, 2},
	{KIOSKI_IDF_BIRTH_DATE, 36, 16},   {KIOSKI_IDF_ADDRESS, 52, 70},
	{KIOSKI_IDF_ID_NUMBER, 122, 36},   {KIOSKI_IDF_ISSUER, 158, 30},
	{KIOSKI_IDF_VALID_FROM, 188, 16},  {KIOSKI_IDF_VALID_UNTIL, 204, 16},
	{KIOSKI_IDF_PASS_NUMBER, 220, 18}, {KIOSKI_IDF_ISSUE_COUNT, 238, 4},
	{0, 0, 0},
};

static const struct layout_field foreign2017[] = {
	{KIOSKI_IDF_ENGLISH_NAME, 0, 120}, {KIOSKI_IDF_SEX_CODE, 120, 2},
	{KIOSKI_IDF_ID_NUMBER, 122, 30},   {KIOSKI_IDF_NATIONALITY, 152, 6},
	{KIOSKI_IDF_NAME, 158, 30},        {KIOSKI_IDF_VALID_FROM, 188, 16},
	{KIOSKI_IDF_VALID_UNTIL, 204, 16}, {KIOSKI_IDF_BIRTH_DATE, 220, 16},
	{KIOSKI_IDF_CARD_VERSION, 236, 4}, {KIOSKI_IDF_AUTHORITY_CODE, 240, 8},
	{0, 0, 0},
};

/* 'Y' English name parts 1 (52, 70) and 2 (220, 22) are joined separately. */
static const struct layout_field foreign2023[] = {
	{KIOSKI_IDF_NAME, 0, 30},           {KIOSKI_IDF_SEX_CODE, 30, 2},
	{KIOSKI_IDF_RENEWAL_COUNT, 32, 4},  {KIOSKI_IDF_BIRTH_DATE, 36, 16},
	{KIOSKI_IDF_ID_NUMBER, 122, 36},    {KIOSKI_IDF_VALID_FROM, 188, 16},
	{KIOSKI_IDF_VALID_UNTIL, 204, 16},  {KIOSKI_IDF_NATIONALITY, 242, 6},
	{0, 0, 0},
};

/* "20200131" → "2020-01-31"; 长期 → "long-term"; anything else kept as is. */
static int normalise_date(char **s)
{
	char *v = *s;
	if (!v)
		return KIOSK_OK;
	if (!strcmp(v, "长期")) {
		char *n = strdup("long-term");
		if (!n)
			return KIOSK_E_NO_MEMORY;
		kioski_wipe(v, strlen(v));
		free(v);
		*s = n;
		return KIOSK_OK;
	}
	if (strlen(v) != 8 || strspn(v, "0123456789") != 8)
		return KIOSK_OK;
	char *n = malloc(11);
	if (!n)
		return KIOSK_E_NO_MEMORY;
	memcpy(n, v, 4);
	n[4] = '-';
	memcpy(n + 5, v + 4, 2);
	n[7] = '-';
	memcpy(n + 8, v + 6, 2);
	n[10] = 0;
	kioski_wipe(v, 8);
	free(v);
	*s = n;
	return KIOSK_OK;
}

static enum kiosk_idcard_type text_type(const uint8_t *text)
{
	if (text[249] != 0)
		return KIOSK_IDCARD_RESIDENT;
	switch (text[248]) {
	case 'J': return KIOSK_IDCARD_HK_MACAU_TAIWAN;
	case 'I': return KIOSK_IDCARD_FOREIGN_PERMANENT;
	case 'Y': return KIOSK_IDCARD_FOREIGN_PERMANENT_2023;
	}
	return KIOSK_IDCARD_RESIDENT;
}

KIOSK_API int kiosk_idcard_decode_text(const uint8_t text[256], kiosk_idcard **out)
{
	if (!out)
		return KIOSK_E_INVALID_ARG;
	*out = NULL;
	if (!text)
		return KIOSK_E_INVALID_ARG;
	kiosk_idcard *card = kioski_idcard_new();
	if (!card)
		return KIOSK_E_NO_MEMORY;
	card->type = text_type(text);
	const struct layout_field *lay = card->type == KIOSK_IDCARD_HK_MACAU_TAIWAN ? hmt
		: card->type == KIOSK_IDCARD_FOREIGN_PERMANENT ? foreign2017
		: card->type == KIOSK_IDCARD_FOREIGN_PERMANENT_2023 ? foreign2023 : resident;
	int r = KIOSK_OK;
	for (const struct layout_field *lf = lay; lf->len && r == KIOSK_OK; lf++)
		r = kioski_ucs2_to_utf8(text + lf->off, lf->len, &card->field[lf->f]);
	if (r == KIOSK_OK && card->type == KIOSK_IDCARD_FOREIGN_PERMANENT_2023) {
		uint8_t joined[92];
		memcpy(joined, text + 52, 70);
		memcpy(joined + 70, text + 220, 22);
		r = kioski_ucs2_to_utf8(joined, sizeof joined, &card->field[KIOSKI_IDF_ENGLISH_NAME]);
		kioski_wipe(joined, sizeof joined);
	}
	if (r == KIOSK_OK)
		r = normalise_date(&card->field[KIOSKI_IDF_BIRTH_DATE]);
	if (r == KIOSK_OK)
		r = normalise_date(&card->field[KIOSKI_IDF_VALID_FROM]);
	if (r == KIOSK_OK)
		r = normalise_date(&card->field[KIOSKI_IDF_VALID_UNTIL]);
	if (r != KIOSK_OK) {
		kiosk_idcard_free(card);
		return r;
	}
	card->sex = kioski_idcard_sex_name(card->field[KIOSKI_IDF_SEX_CODE]);
	card->nation = kioski_idcard_nation_name(card->field[KIOSKI_IDF_NATION_CODE]);
	if (card->type == KIOSK_IDCARD_FOREIGN_PERMANENT)
		card->id_valid = -1;
	else
		card->id_valid = kioski_gb11643_valid(card->field[KIOSKI_IDF_ID_NUMBER]);
	*out = card;
	return KIOSK_OK;
}

/* ---- SW3 status table ------------------------------------------------------------ */

KIOSK_API const char *kiosk_idcard_status_string(int sw3)
{
	switch (sw3) {
	case 0x00: return "no reply";
	case 0x10: return "the reader got a frame with a bad checksum";
	case 0x11: return "the reader got a frame with a bad length";
	case 0x21: return "command error";
	case 0x23: return "unauthorised operation";
	case 0x24: return "unrecognised error";
	case 0x31: return "the card failed to authenticate the SAM";
	case 0x32: return "the SAM failed to authenticate the card";
	case 0x33: return "verification error";
	case 0x40: return "unrecognised card type";
	case 0x41: return "reading the card failed";
	case 0x47: return "getting a random number failed";
	case 0x60: return "SAM self-test failed";
	case 0x66: return "SAM not authorised";
	case 0x80: return "no card";
	case 0x81: return "selecting the card failed";
	case 0x90: return "success";
	case 0x91: return "item empty on the card";
	case 0x9f: return "card found";
	}
	return "unknown status";
}

int kioski_idcard_sw3_error(int sw3)
{
	switch (sw3) {
	case 0x90: case 0x9f: return KIOSK_OK;
	case 0x80: return KIOSK_E_NO_CARD;
	case 0x81: case 0x41: case 0x40: case 0x91: return KIOSK_E_CARD;
	case 0x10: return KIOSK_E_CHECKSUM;
	case 0x11: case 0x21: case 0x24: return KIOSK_E_PROTOCOL;
	case 0x23: return KIOSK_E_ACCESS;
	case 0x31: case 0x32: case 0x33: case 0x47: case 0x60: case 0x66: return KIOSK_E_SAM;
	}
	return KIOSK_E_PROTOCOL;
}

KIOSK_API int kiosk_idcard_status_error(int sw3)
{
	return kioski_idcard_sw3_error(sw3);
}
