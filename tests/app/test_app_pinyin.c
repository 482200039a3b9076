/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk-app: the generated pinyin table (built from Unihan, Debian
 * unicode-data) checked over every GB2312 level-1 character (the 3,755 most
 * common, enumerated through iconv from the codes 0xB0A1–0xD7F9) against an
 * independent source: rime's pinyin_simp dictionary (Debian
 * rime-data-pinyin-simp), a simplified-Chinese input method's character list
 * with usage weights.
 *
 * Every reading the independent source weighs at least a fifth of the
 * character's main reading (and the main reading always) must be in the
 * table, with its initial in the initials mask. Rarer readings there (不 dun,
 * 许 hu: archaic or dialectal) are counted and reported, not required.
 */
#include <iconv.h>
#include "test.h"
#include "core.h"

struct entry {
	uint32_t cp;
	char syl[8];
	long weight;
};

static struct entry *entries;
static size_t n_entries, cap_entries;

static int load_simp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[512];
	bool body = false;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		if (!body) {
			body = !strcmp(line, "...");
			continue;
		}
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		const char *p = line;
		uint32_t cp = kapp_utf8_next(&p);
		if (*p || cp < 0x2E80) /* one character only */
			continue;
		char *syl = tab + 1, *tab2 = strchr(syl, '\t');
		long w = 0;
		if (tab2) {
			*tab2 = 0;
			w = atol(tab2 + 1);
		}
		if (strlen(syl) >= sizeof entries->syl || strchr(syl, ' '))
			continue;
		if (n_entries == cap_entries) {
			cap_entries = cap_entries ? cap_entries * 2 : 8192;
			entries = realloc(entries, cap_entries * sizeof *entries);
			if (!entries) {
				fclose(f);
				return -1;
			}
		}
		entries[n_entries].cp = cp;
		snprintf(entries[n_entries].syl, sizeof entries->syl, "%s", syl);
		entries[n_entries].weight = w;
		n_entries++;
	}
	fclose(f);
	return 0;
}

static bool has_reading(uint32_t cp, const char *syl)
{
	const char *rd[32];
	size_t n = kapp_pinyin_readings(cp, rd, 32);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rd[i], syl))
			return true;
	return false;
}

static uint32_t bit(char c)
{
	return 1u << (c - 'a');
}

int main(void)
{
	/* the characters of the report that lacked their normal initial */
	CHECK_EQ_INT(kapp_pinyin_mask(0x5F00 /* 开 */), bit('k'));
	CHECK_EQ_INT(kapp_pinyin_mask(0x79EF /* 积 */), bit('j'));
	CHECK_EQ_INT(kapp_pinyin_mask(0x4E1A /* 业 */), bit('y'));
	CHECK_EQ_INT(kapp_pinyin_mask(0x5173 /* 关 */), bit('g'));
	CHECK_EQ_INT(kapp_pinyin_mask(0x5907 /* 备 */), bit('b'));
	CHECK_EQ_INT(kapp_pinyin_mask(0x6743 /* 权 */), bit('q'));
	/* classical readings of the 汉语大字典 stay out of common characters */
	const char *one[8];
	CHECK_EQ_INT(kapp_pinyin_readings(0x62B5 /* 抵 */, one, 8), 1);
	CHECK_EQ_INT(kapp_pinyin_readings(0x62BC /* 押 */, one, 8), 1);
	CHECK_STR(one[0], "ya");
	/* polyphones keep every reading */
	CHECK(has_reading(0x884C /* 行 */, "xing") && has_reading(0x884C, "hang"));
	CHECK(has_reading(0x957F /* 长 */, "chang") && has_reading(0x957F, "zhang"));
	CHECK(has_reading(0x4E50 /* 乐 */, "le") && has_reading(0x4E50, "yue"));
	CHECK(has_reading(0x91CD /* 重 */, "zhong") && has_reading(0x91CD, "chong"));
	/* ü as v, and u beside it */
	CHECK(has_reading(0x7EFF /* 绿 */, "lv") && has_reading(0x7EFF, "lu"));
	CHECK(has_reading(0x7565 /* 略 */, "lve") && has_reading(0x7565, "lue"));
	CHECK_EQ_INT(kapp_pinyin_readings('a', (const char *[4]){0}, 4), 0);

	if (load_simp(KAPP_PINYIN_SIMP)) {
		fprintf(stderr, "cannot read %s (apt-get install rime-data-pinyin-simp)\n",
			KAPP_PINYIN_SIMP);
		return 1;
	}
	CHECK(n_entries > 5000);

	iconv_t cd = iconv_open("UTF-8", "GB2312");
	CHECK(cd != (iconv_t)-1);
	if (cd == (iconv_t)-1)
		return test_done("app_pinyin");
	size_t chars = 0, required = 0, optional = 0, optional_missing = 0;
	for (int hi = 0xB0; hi <= 0xD7; hi++) {
		for (int lo = 0xA1; lo <= 0xFE; lo++) {
			if (hi == 0xD7 && lo > 0xF9)
				break; /* level 1 ends at 0xD7F9 */
			char in[2] = {(char)hi, (char)lo}, out[8] = {0};
			char *ip = in, *op = out;
			size_t il = 2, ol = sizeof out - 1;
			if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
				fprintf(stderr, "GB2312 %02X%02X: not converted\n", hi, lo);
				test_failures++;
				continue;
			}
			const char *p = out;
			uint32_t cp = kapp_utf8_next(&p);
			chars++;
			const char *rd[32];
			if (!kapp_pinyin_readings(cp, rd, 32)) {
				fprintf(stderr, "%s (U+%04X): no reading in the table\n", out, cp);
				test_failures++;
				continue;
			}
			long top = -1;
			for (size_t i = 0; i < n_entries; i++)
				if (entries[i].cp == cp && entries[i].weight > top)
					top = entries[i].weight;
			if (top < 0) {
				fprintf(stderr, "%s: not in the independent source\n", out);
				test_failures++;
				continue;
			}
			for (size_t i = 0; i < n_entries; i++) {
				const struct entry *e = &entries[i];
				if (e->cp != cp)
					continue;
				bool must = e->weight * 5 >= top;
				bool ok = has_reading(cp, e->syl) &&
					  (kapp_pinyin_mask(cp) & bit(e->syl[0]));
				if (must) {
					required++;
					if (!ok) {
						fprintf(stderr, "%s: reading %s (weight %ld of %ld) missing\n",
							out, e->syl, e->weight, top);
						test_failures++;
					}
				} else {
					optional++;
					optional_missing += !ok;
				}
			}
		}
	}
	iconv_close(cd);
	CHECK_EQ_INT(chars, 3755);
	CHECK(required >= 3755);
	printf("GB2312 level 1: %zu characters, %zu main readings all present; "
	       "%zu rare readings, %zu of them not in the table\n",
	       chars, required, optional, optional_missing);
	free(entries);
	return test_done("app_pinyin");
}
