/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * search.c — guide search by Chinese text and pinyin initials.
 *
 * At load every guide's searchable text (name, keywords, department, themes)
 * is flattened into one array of code points plus, per character, the set of
 * its pinyin initials as a 26-bit mask. A query character matches a text
 * character when: an ASCII letter is among the character's initials (so
 * "bdc" matches 不动产 and "ICP" matches ICP), anything else is the same
 * character (ASCII case-folded). One linear scan over the flat arrays per
 * keystroke: 10,000 guides take well under a millisecond.
 */
#include <stdlib.h>
#include <string.h>
#include "core.h"

enum { FIELD_NAME = 0, FIELD_KEYWORD = 1, FIELD_DEPT = 2, FIELD_THEME = 3 };

struct kapp_search {
	const struct kapp_catalog *cat;
	uint32_t *cps, *masks;
	uint8_t *field;    /* field of each position */
	uint32_t *off;     /* n + 1 offsets into cps/masks */
	uint16_t *name_len;
	int16_t *dept;     /* index into cat->depts, -1 unknown */
	uint64_t *themes;  /* bit i: theme i of cat->themes */
	uint64_t *scratch; /* n hit keys */
	const char **words;
	uint32_t *word_masks, *word_off; /* initials masks of each word, flattened */
	size_t n_words;
};

static uint32_t fold(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xFF21 && cp <= 0xFF3A)
		return cp - 0xFF21 + 'a';
	if (cp >= 0xFF41 && cp <= 0xFF5A)
		return cp - 0xFF41 + 'a';
	if (cp >= 0xFF10 && cp <= 0xFF19)
		return cp - 0xFF10 + '0';
	return cp;
}

struct buf {
	uint32_t *cps, *masks;
	uint8_t *field;
	size_t n, cap;
};

static int push(struct buf *b, uint32_t cp, uint8_t field)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		uint32_t *c = realloc(b->cps, cap * sizeof *c);
		if (!c)
			return -1;
		b->cps = c;
		uint32_t *m = realloc(b->masks, cap * sizeof *m);
		if (!m)
			return -1;
		b->masks = m;
		uint8_t *f = realloc(b->field, cap);
		if (!f)
			return -1;
		b->field = f;
		b->cap = cap;
	}
	b->cps[b->n] = cp ? fold(cp) : 0;
	b->masks[b->n] = cp ? kapp_pinyin_mask(cp) : 0;
	b->field[b->n] = field;
	b->n++;
	return 0;
}

static int push_text(struct buf *b, const char *s, uint8_t field)
{
	while (s && *s) {
		uint32_t cp = kapp_utf8_next(&s);
		if (cp == ' ')
			continue;
		if (push(b, cp, field))
			return -1;
	}
	return push(b, 0, field);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int build_words(struct kapp_search *s)
{
	const struct kapp_catalog *cat = s->cat;
	size_t cap = 64, n = 0;
	const char **w = malloc(cap * sizeof *w);
	if (!w)
		return -1;
#define ADDW(str)                                                                 \
	do {                                                                      \
		if ((str) && *(str)) {                                            \
			if (n == cap) {                                           \
				const char **nw = realloc(w, 2 * cap * sizeof *w); \
				if (!nw) {                                        \
					free(w);                                  \
					return -1;                                \
				}                                                 \
				w = nw;                                           \
				cap *= 2;                                         \
			}                                                         \
			w[n++] = (str);                                           \
		}                                                                 \
	} while (0)
	for (size_t i = 0; i < cat->n_depts; i++)
		ADDW(cat->depts[i].short_name);
	for (size_t i = 0; i < cat->n_themes; i++)
		ADDW(cat->themes[i]);
	for (size_t i = 0; i < cat->n; i++)
		for (int k = 0; k < cat->guides[i].n_keywords; k++)
			ADDW(cat->guides[i].keywords[k]);
#undef ADDW
	qsort(w, n, sizeof *w, cmp_str);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (!u || strcmp(w[u - 1], w[i]))
			w[u++] = w[i];
	s->words = w;
	s->n_words = u;
	size_t total = 0;
	for (size_t i = 0; i < u; i++)
		total += kapp_utf8_len(w[i]);
	s->word_masks = malloc((total + 1) * sizeof(uint32_t));
	s->word_off = malloc((u + 1) * sizeof(uint32_t));
	if (!s->word_masks || !s->word_off)
		return -1;
	size_t k = 0;
	for (size_t i = 0; i < u; i++) {
		s->word_off[i] = (uint32_t)k;
		const char *p = w[i];
		while (*p)
			s->word_masks[k++] = kapp_pinyin_mask(kapp_utf8_next(&p));
	}
	s->word_off[u] = (uint32_t)k;
	return 0;
}

struct kapp_search *kapp_search_new(const struct kapp_catalog *cat)
{
	struct kapp_search *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->cat = cat;
	size_t n = cat->n;
	s->off = malloc((n + 1) * sizeof *s->off);
	s->name_len = malloc((n + 1) * sizeof *s->name_len);
	s->dept = malloc((n + 1) * sizeof *s->dept);
	s->themes = calloc(n + 1, sizeof *s->themes);
	s->scratch = malloc((n + 1) * sizeof *s->scratch);
	struct buf b = {0};
	if (!s->off || !s->name_len || !s->dept || !s->themes || !s->scratch)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		const struct kapp_guide *g = &cat->guides[i];
		s->off[i] = (uint32_t)b.n;
		if (push_text(&b, g->name, FIELD_NAME))
			goto fail;
		size_t nl = b.n - s->off[i] - 1;
		s->name_len[i] = (uint16_t)(nl > 65535 ? 65535 : nl);
		for (int k = 0; k < g->n_keywords; k++)
			if (push_text(&b, g->keywords[k], FIELD_KEYWORD))
				goto fail;
		s->dept[i] = -1;
		for (size_t d = 0; d < cat->n_depts; d++) {
			if (!strcmp(cat->depts[d].id, g->dept_id)) {
				s->dept[i] = (int16_t)d;
				if (push_text(&b, cat->depts[d].short_name, FIELD_DEPT))
					goto fail;
			}
		}
		if (push_text(&b, g->department, FIELD_DEPT))
			goto fail;
		for (int k = 0; k < g->n_themes; k++) {
			if (push_text(&b, g->themes[k], FIELD_THEME))
				goto fail;
			for (size_t t = 0; t < cat->n_themes && t < 64; t++)
				if (!strcmp(cat->themes[t], g->themes[k]))
					s->themes[i] |= 1ull << t;
		}
	}
	s->off[n] = (uint32_t)b.n;
	s->cps = b.cps;
	s->masks = b.masks;
	s->field = b.field;
	if (build_words(s))
		goto fail2;
	return s;
fail:
	free(b.cps);
	free(b.masks);
	free(b.field);
fail2:
	kapp_search_free(s);
	return NULL;
}

void kapp_search_free(struct kapp_search *s)
{
	if (!s)
		return;
	free(s->cps);
	free(s->masks);
	free(s->field);
	free(s->off);
	free(s->name_len);
	free(s->dept);
	free(s->themes);
	free(s->scratch);
	free(s->words);
	free(s->word_masks);
	free(s->word_off);
	free(s);
}

struct qchar {
	uint32_t cp, mask; /* mask != 0: a letter matched by initials */
};

static size_t compile(const char *query, struct qchar *q, size_t max)
{
	size_t m = 0;
	while (*query && m < max) {
		uint32_t cp = fold(kapp_utf8_next(&query));
		if (cp == ' ' || cp == '\t' || cp == '\'')
			continue;
		q[m].cp = cp;
		q[m].mask = (cp >= 'a' && cp <= 'z') ? 1u << (cp - 'a') : 0;
		m++;
	}
	return m;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

size_t kapp_search_run(struct kapp_search *s, const char *query, const char *dept,
		       const char *theme, uint32_t *out, size_t max, size_t *total)
{
	struct qchar q[64];
	size_t m = compile(query ? query : "", q, 64);
	int want_dept = -2;
	if (dept && *dept) {
		want_dept = -3;
		for (size_t d = 0; d < s->cat->n_depts; d++)
			if (!strcmp(s->cat->depts[d].id, dept))
				want_dept = (int)d;
	}
	uint64_t want_theme = 0;
	if (theme && *theme) {
		want_theme = ~0ull;
		for (size_t t = 0; t < s->cat->n_themes && t < 64; t++)
			if (!strcmp(s->cat->themes[t], theme))
				want_theme = 1ull << t;
	}
	size_t hits = 0;
	const uint32_t *cps = s->cps, *masks = s->masks;
	for (size_t i = 0; i < s->cat->n; i++) {
		if (want_dept != -2 && s->dept[i] != want_dept)
			continue;
		if (want_theme && !(s->themes[i] & want_theme))
			continue;
		if (!m) {
			s->scratch[hits++] = i;
			continue;
		}
		uint32_t a = s->off[i], e = s->off[i + 1];
		uint64_t best = UINT64_MAX;
		for (uint32_t p = a; p + m <= e; p++) {
			size_t k = 0;
			for (; k < m; k++) {
				uint32_t t = p + (uint32_t)k;
				if (q[k].mask ? !(masks[t] & q[k].mask) : cps[t] != q[k].cp)
					break;
			}
			if (k < m)
				continue;
			uint32_t pos = p - a;
			unsigned tier = s->field[p] == FIELD_NAME ? (pos == 0 ? 0 : 1) : 1 + s->field[p];
			uint64_t score = ((uint64_t)tier << 40) | ((uint64_t)(pos > 255 ? 255 : pos) << 32) |
					 ((uint64_t)(s->name_len[i] > 4095 ? 4095 : s->name_len[i]) << 20) | i;
			best = score;
			break; /* the first match is the best position */
		}
		if (best != UINT64_MAX)
			s->scratch[hits++] = best;
	}
	if (total)
		*total = hits;
	if (m)
		qsort(s->scratch, hits, sizeof *s->scratch, cmp_u64);
	size_t n = hits < max ? hits : max;
	for (size_t i = 0; i < n; i++)
		out[i] = (uint32_t)(s->scratch[i] & 0xFFFFF);
	return n;
}

size_t kapp_search_words(struct kapp_search *s, const char *letters, const char **out, size_t max)
{
	struct qchar q[32];
	size_t m = compile(letters ? letters : "", q, 32), n = 0;
	if (!m)
		return 0;
	for (size_t k = 0; k < m; k++)
		if (!q[k].mask)
			return 0;
	for (size_t w = 0; w < s->n_words && n < max; w++) {
		uint32_t a = s->word_off[w], e = s->word_off[w + 1];
		if (e - a < m)
			continue;
		size_t k = 0;
		for (; k < m; k++)
			if (!(s->word_masks[a + k] & q[k].mask))
				break;
		if (k == m)
			out[n++] = s->words[w];
	}
	return n;
}
