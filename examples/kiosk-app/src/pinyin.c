/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* pinyin.c — pinyin initials of Han characters, from the table generated at
 * build time (tools/gen_pinyin.py: rime luna_pinyin + Unihan kMandarin). */
#include "core.h"

extern const uint32_t kapp_pinyin_cp[];
extern const uint32_t kapp_pinyin_masks[];
extern const size_t kapp_pinyin_count;

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
	if (cp < 0x2E80)
		return 0;
	size_t lo = 0, hi = kapp_pinyin_count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (kapp_pinyin_cp[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < kapp_pinyin_count && kapp_pinyin_cp[lo] == cp ? kapp_pinyin_masks[lo] : 0;
}

size_t kapp_pinyin_table_size(void)
{
	return kapp_pinyin_count;
}
