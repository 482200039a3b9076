/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pinyin.c — pinyin readings and initials of Han characters, from the table
 * generated at build time (tools/gen_pinyin.py, from Debian's Unihan data). */
#include "core.h"

extern const char *const kapp_pinyin_syllables[];
extern const uint32_t kapp_pinyin_cp[];
extern const uint32_t kapp_pinyin_masks[];
extern const uint32_t kapp_pinyin_off[];
extern const uint16_t kapp_pinyin_ids[];
extern const size_t kapp_pinyin_count;

static long row_of(uint32_t cp)
{
	if (cp < 0x2E80)
		return -1;
	size_t lo = 0, hi = kapp_pinyin_count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (kapp_pinyin_cp[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < kapp_pinyin_count && kapp_pinyin_cp[lo] == cp ? (long)lo : -1;
}

uint32_t kapp_pinyin_mask(uint32_t cp)
{
	if (cp >= 'a' && cp <= 'z')
		return 1u << (cp - 'a');
	if (cp >= 'A' && cp <= 'Z')
		return 1u << (cp - 'A');
	if (cp >= 0xFF21 && cp <= 0xFF3A) /* full-width Latin */
		return 1u << (cp - 0xFF21);
	if (cp >= 0xFF41 && cp <= 0xFF5A)
		return 1u << (cp - 0xFF41);
	long r = row_of(cp);
	return r < 0 ? 0 : kapp_pinyin_masks[r];
}

long kapp_pinyin_row(uint32_t cp)
{
	return row_of(cp);
}

size_t kapp_pinyin_row_readings(long r, const char **out, size_t max)
{
	if (r < 0 || (size_t)r >= kapp_pinyin_count)
		return 0;
	size_t n = 0;
	for (uint32_t k = kapp_pinyin_off[r]; k < kapp_pinyin_off[r + 1] && n < max; k++)
		out[n++] = kapp_pinyin_syllables[kapp_pinyin_ids[k]];
	return n;
}

size_t kapp_pinyin_readings(uint32_t cp, const char **out, size_t max)
{
	return kapp_pinyin_row_readings(row_of(cp), out, max);
}

size_t kapp_pinyin_table_size(void)
{
	return kapp_pinyin_count;
}
