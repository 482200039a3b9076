/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * search.c — guide search by Chinese text, pinyin initials and full pinyin.
 *
 * At load every guide's searchable text (name, the catalog's aliases that
 * apply to it, keywords, department, themes) is flattened into one array of
 * code points plus, per character, the set of its pinyin initials as a
 * 26-bit mask. A run of ASCII letters in the query matches a run of
 * characters when each character takes a non-empty prefix of one of its
 * readings: "bdc", "budongchan", "budongc" and "bdchan" all match 不动产;
 * ASCII letters in the text match themselves ("ICP"). Anything else matches
 * the same character (ASCII case-folded). The initials mask of the first
 * letter rejects almost every position before the readings are looked at,
 * so one scan over the flat arrays per keystroke stays in the low
 * milliseconds for 10,000 guides (tests/bench).
 *
 * Ranking, best first: where the match is (start of the name, inside the
 * name or an alias, keyword, department, theme), then the catalog's
 * "popular" rank, then the position in the name, then the shorter name.
 * A query containing an alias word (驾照) is also run with its meaning
 * (驾驶证), the better hit counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

enum { FIELD_NAME = 0, FIELD_ALIAS = 1, FIELD_KEYWORD = 2, FIELD_DEPT = 3, FIELD_THEME = 4 };

struct kapp_search {
	const struct kapp_catalog *cat;
	uint32_t *cps, *masks;
	uint16_t *rows;    /* row of each position in the pinyin table, NO_ROW if none */
	uint32_t *masks2;  /* second letters of each position's readings (bu → u) */
	uint8_t *field;    /* field of each position */
	uint32_t *off;     /* n + 1 offsets into cps/masks */
	uint16_t *name_len;
	int16_t *dept;     /* index into cat->depts, -1 unknown */
	uint64_t *themes;  /* bit i: theme i of cat->themes */
	uint64_t *scratch; /* n hit keys */
	const char **words;
	uint32_t *word_cps, *word_masks, *word_off; /* each word's text and initials, flattened */
	uint16_t *word_rows;
	uint32_t *word_masks2;
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

#define NO_ROW 0xFFFF

static uint16_t row16(uint32_t cp)
{
	long r = kapp_pinyin_row(cp);
	return r >= 0 && r < NO_ROW ? (uint16_t)r : NO_ROW;
}

/* The set of second letters of a character's readings (a fast "no" before
 * the readings themselves are looked at). */
static uint32_t second_letters(uint16_t row)
{
	const char *rd[16];
	size_t n = row == NO_ROW ? 0 : kapp_pinyin_row_readings(row, rd, 16);
	uint32_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (rd[i][0] && rd[i][1] >= 'a' && rd[i][1] <= 'z')
			m |= 1u << (rd[i][1] - 'a');
	return m;
}

struct buf {
	uint32_t *cps, *masks, *masks2;
	uint16_t *rows;
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
		uint16_t *r = realloc(b->rows, cap * sizeof *r);
		if (!r)
			return -1;
		b->rows = r;
		uint32_t *m2 = realloc(b->masks2, cap * sizeof *m2);
		if (!m2)
			return -1;
		b->masks2 = m2;
		uint8_t *f = realloc(b->field, cap);
		if (!f)
			return -1;
		b->field = f;
		b->cap = cap;
	}
	b->cps[b->n] = cp ? fold(cp) : 0;
	b->masks[b->n] = cp ? kapp_pinyin_mask(cp) : 0;
	b->rows[b->n] = cp ? row16(cp) : NO_ROW;
	b->masks2[b->n] = second_letters(b->rows[b->n]);
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
	for (size_t i = 0; i < cat->n_aliases; i++)
		ADDW(cat->aliases[i].word);
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
	s->word_cps = malloc((total + 1) * sizeof(uint32_t));
	s->word_masks = malloc((total + 1) * sizeof(uint32_t));
	s->word_rows = malloc((total + 1) * sizeof(uint16_t));
	s->word_masks2 = malloc((total + 1) * sizeof(uint32_t));
	s->word_off = malloc((u + 1) * sizeof(uint32_t));
	if (!s->word_cps || !s->word_masks || !s->word_rows || !s->word_masks2 || !s->word_off)
		return -1;
	size_t k = 0;
	for (size_t i = 0; i < u; i++) {
		s->word_off[i] = (uint32_t)k;
		const char *p = w[i];
		while (*p) {
			uint32_t cp = kapp_utf8_next(&p);
			s->word_cps[k] = fold(cp);
			s->word_rows[k] = row16(cp);
			s->word_masks2[k] = second_letters(s->word_rows[k]);
			s->word_masks[k++] = kapp_pinyin_mask(cp);
		}
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
		for (size_t k = 0; k < cat->n_aliases; k++) {
			bool applies = strstr(g->name, cat->aliases[k].means) != NULL;
			for (int j = 0; !applies && j < g->n_keywords; j++)
				applies = strstr(g->keywords[j], cat->aliases[k].means) != NULL;
			if (applies && push_text(&b, cat->aliases[k].word, FIELD_ALIAS))
				goto fail;
		}
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
	s->rows = b.rows;
	s->masks2 = b.masks2;
	s->field = b.field;
	if (build_words(s))
		goto fail2;
	return s;
fail:
	free(b.cps);
	free(b.masks);
	free(b.rows);
	free(b.masks2);
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
	free(s->rows);
	free(s->masks2);
	free(s->field);
	free(s->off);
	free(s->name_len);
	free(s->dept);
	free(s->themes);
	free(s->scratch);
	free(s->words);
	free(s->word_cps);
	free(s->word_rows);
	free(s->word_masks2);
	free(s->word_masks);
	free(s->word_off);
	free(s);
}

struct qchar {
	uint32_t cp;
	bool letter; /* an ASCII letter: matched by pinyin */
};

#define MAX_Q 64

static size_t compile(const char *query, struct qchar *q, size_t max)
{
	size_t m = 0;
	while (*query && m < max) {
		uint32_t cp = fold(kapp_utf8_next(&query));
		if (cp == ' ' || cp == '\t' || cp == '\'')
			continue;
		q[m].cp = cp;
		q[m].letter = cp >= 'a' && cp <= 'z';
		m++;
	}
	return m;
}

/* Text to match against: code points (folded), initials masks; a 0 code
 * point ends a field. */
struct text {
	const uint32_t *cps, *masks, *masks2;
	const uint16_t *rows;
	uint32_t end;
};

/* Length of the initial consonant (shengmu) of a syllable: zh/ch/sh 2, b… 1, 0 for a, e, o. */
static size_t shengmu_len(const char *syl)
{
	if ((syl[0] == 'z' || syl[0] == 'c' || syl[0] == 's') && syl[1] == 'h')
		return 2;
	return strchr("aeo", syl[0]) ? 0 : 1;
}

/* Does q[k..m) match the text from position t on? Each Han character takes
 * a non-empty prefix of one of its readings (longest first). `strict`: a
 * character before the last one takes its initial letter, its initial
 * consonant (zh) or the whole syllable, not a part of it; only the last one
 * may be cut short (typing in progress) — "shebao" is 社保 strictly, but
 * 申报 only loosely. `budget` bounds the work on pathological input.
 * Returns the position after the match, or 0 for none. */
static uint32_t match_from(const struct text *tx, const struct qchar *q, size_t m, size_t k,
			   uint32_t t, bool strict, int *budget)
{
	if (k == m)
		return t;
	if (t >= tx->end || !tx->cps[t] || --*budget < 0)
		return 0;
	uint32_t c = tx->cps[t];
	if (!q[k].letter)
		return c == q[k].cp ? match_from(tx, q, m, k + 1, t + 1, strict, budget) : 0;
	if (!(tx->masks[t] & (1u << (q[k].cp - 'a'))))
		return 0;
	if (c < 0x2E80) /* a Latin letter in the text matches itself */
		return c == q[k].cp ? match_from(tx, q, m, k + 1, t + 1, strict, budget) : 0;
	if (k + 1 == m) /* the last letter: the initials mask said it all */
		return t + 1;
	if (q[k + 1].letter) {
		/* the next letter is either this reading's second one or the next
		 * character's initial (a Latin letter there matches itself too) */
		uint32_t next = 1u << (q[k + 1].cp - 'a');
		bool here = tx->masks2[t] & next;
		bool there = t + 1 < tx->end && tx->cps[t + 1] && (tx->masks[t + 1] & next);
		if (!here && !there)
			return 0;
		if (!here)
			return match_from(tx, q, m, k + 1, t + 1, strict, budget);
	}
	const char *rd[16];
	size_t nr = tx->rows[t] == NO_ROW ? 0 : kapp_pinyin_row_readings(tx->rows[t], rd, 16);
	uint32_t tried = 0; /* bit L-1 set: a prefix of length L was tried */
	for (size_t r = 0; r < nr; r++) {
		size_t len = 0, full = strlen(rd[r]), sm = shengmu_len(rd[r]);
		while (rd[r][len] && k + len < m && q[k + len].letter &&
		       (uint32_t)(unsigned char)rd[r][len] == q[k + len].cp)
			len++;
		for (; len > 0; len--) {
			if (strict && k + len < m && len != 1 && len != full && len != sm)
				continue;
			if (tried & (1u << (len - 1)))
				continue;
			tried |= 1u << (len - 1);
			uint32_t end = match_from(tx, q, m, k + len, t + 1, strict, budget);
			if (end)
				return end;
		}
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Best score of guide i for the query (lower is better), UINT64_MAX = no hit.
 * From the top bit down: a loose match (a syllable cut short mid-query), the
 * tier (0 the name starts with it; 1 a whole alias or keyword; 2 inside the
 * name or an alias; 3 inside a keyword; 4 department; 5 theme), the popular
 * rank, the position in the name, the name's length, the guide index. */
static uint64_t score_guide(const struct kapp_search *s, size_t i, const struct qchar *q, size_t m)
{
	uint32_t a = s->off[i], e = s->off[i + 1];
	struct text tx = {s->cps, s->masks, s->masks2, s->rows, e};
	uint32_t first_mask = q[0].letter ? 1u << (q[0].cp - 'a') : 0;
	uint64_t best = UINT64_MAX;
	const struct kapp_guide *g = &s->cat->guides[i];
	uint64_t pop = g->popular > 0 && g->popular < 4095 ? (uint64_t)g->popular : 4095;
	uint64_t len = s->name_len[i] > 4095 ? 4095 : s->name_len[i];
	unsigned best_tier = 7; /* of the best strict match so far */
	for (uint32_t p = a; p < e; p++) {
		/* fields come in rank order: past a strict match only a whole alias or
		 * keyword (tier 1) can still beat one inside the name (tier 2) */
		if (best_tier <= 1 || (best_tier < 7 && s->field[p] > FIELD_KEYWORD))
			break;
		if (first_mask ? !(s->masks[p] & first_mask) : s->cps[p] != q[0].cp)
			continue;
		for (int loose = 0; loose < (best_tier < 7 ? 1 : 2); loose++) {
			int budget = 4096;
			uint32_t end = match_from(&tx, q, m, 0, p, !loose, &budget);
			if (!end)
				continue;
			uint32_t pos = p - a;
			bool word_start = p == a || !s->cps[p - 1];
			bool word_end = !s->cps[end];
			unsigned tier;
			switch (s->field[p]) {
			case FIELD_NAME:
				tier = pos == 0 ? 0 : 2;
				break;
			case FIELD_ALIAS:
				tier = word_start && word_end ? 1 : 2;
				pos = 255;
				break;
			case FIELD_KEYWORD:
				tier = word_start && word_end ? 1 : 3;
				pos = 255;
				break;
			default:
				tier = s->field[p] == FIELD_DEPT ? 4 : 5;
				pos = 255;
			}
			uint64_t sc = ((uint64_t)loose << 63) | ((uint64_t)tier << 60) | (pop << 48) |
				      ((uint64_t)(pos > 255 ? 255 : pos) << 40) | (len << 20) | i;
			if (sc < best)
				best = sc;
			if (!loose && tier < best_tier)
				best_tier = tier;
			break; /* a strict match needs no loose look */
		}
	}
	return best;
}

/* The query with one alias word replaced by its meaning (驾照换证 → 驾驶证换证);
 * returns false when the query holds none (from alias k on). */
static bool alias_variant(const struct kapp_catalog *cat, const char *query, size_t *k,
			  char *out, size_t len)
{
	for (; *k < cat->n_aliases; (*k)++) {
		const struct kapp_alias *al = &cat->aliases[*k];
		const char *hit = strstr(query, al->word);
		if (!hit || (unsigned char)*al->word < 0x80)
			continue;
		int n = snprintf(out, len, "%.*s%s%s", (int)(hit - query), query, al->means,
				 hit + strlen(al->word));
		(*k)++;
		if (n > 0 && (size_t)n < len)
			return true;
	}
	return false;
}

size_t kapp_search_run(struct kapp_search *s, const char *query, const char *dept,
		       const char *theme, uint32_t *out, size_t max, size_t *total)
{
	enum { MAX_VARIANTS = 4 };
	struct qchar q[MAX_VARIANTS][MAX_Q];
	size_t m[MAX_VARIANTS], nv = 0;
	if (!query)
		query = "";
	m[nv] = compile(query, q[nv], MAX_Q);
	nv++;
	char alt[512];
	size_t ak = 0;
	while (m[0] && nv < MAX_VARIANTS &&
	       alias_variant(s->cat, query, &ak, alt, sizeof alt)) {
		m[nv] = compile(alt, q[nv], MAX_Q);
		if (m[nv])
			nv++;
	}
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
	for (size_t i = 0; i < s->cat->n; i++) {
		if (want_dept != -2 && s->dept[i] != want_dept)
			continue;
		if (want_theme && !(s->themes[i] & want_theme))
			continue;
		if (!m[0]) {
			s->scratch[hits++] = i;
			continue;
		}
		uint64_t best = UINT64_MAX;
		for (size_t v = 0; v < nv; v++) {
			uint64_t sc = score_guide(s, i, q[v], m[v]);
			if (sc < best)
				best = sc;
		}
		if (best != UINT64_MAX)
			s->scratch[hits++] = best;
	}
	if (total)
		*total = hits;
	if (m[0])
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
		if (!q[k].letter)
			return 0;
	for (size_t w = 0; w < s->n_words && n < max; w++) {
		struct text tx = {s->word_cps, s->word_masks, s->word_masks2, s->word_rows,
				  s->word_off[w + 1]};
		int budget = 1024;
		if (match_from(&tx, q, m, 0, s->word_off[w], true, &budget))
			out[n++] = s->words[w];
	}
	return n;
}

size_t kapp_catalog_popular(const struct kapp_catalog *cat, uint32_t *out, size_t max)
{
	size_t n = 0;
	for (int rank = 1; n < max; rank++) {
		bool more = false;
		for (size_t i = 0; i < cat->n && n < max; i++) {
			if (cat->guides[i].popular == rank)
				out[n++] = (uint32_t)i;
			if (cat->guides[i].popular > rank)
				more = true;
		}
		if (!more)
			break;
	}
	return n;
}
