/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * text.c — fonts, glyph cache and CJK line breaking.
 *
 * Glyphs are rendered once per (size, bold, code point) into a white
 * texture and tinted with SDL_SetTextureColorMod when drawn, so a page of
 * Chinese costs one small blit per character and no per-string rendering.
 * The cache holds glyph images only (no strings), so nothing personal stays
 * in it after a screen is wiped.
 *
 * One face is open per weight and is switched between sizes on a glyph
 * cache miss (TTF_SetFontSize): a Noto CJK face costs ~2.6 MB of FreeType
 * tables, so a face per size made the app's memory grow by tens of MB as
 * screens used new sizes. The glyph table, when full (in glyphs or in texture
 * bytes), drops the least recently used half of its glyphs and keeps the rest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fontconfig/fontconfig.h>
#include "core.h"
#include "ui.h"

#define FONT_REGULAR "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
#define FONT_BOLD "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
#define CACHE_BITS 13
#define CACHE_CAP 6000 /* glyphs before the least recently used half is dropped */
/* Glyph textures (ARGB, 4 bytes a pixel) before the same happens: the cache's
 * share of the app's memory is bounded in bytes, not only in glyphs, since a
 * large-print glyph weighs ten times a small one. */
#define CACHE_MAX_BYTES (24u << 20)

struct glyph {
	uint32_t key; /* size << 22 | bold << 21 | cp; 0 = empty slot */
	SDL_Texture *tex;
	int w, h, adv;
	bool rendered, missing;
	uint64_t used_at; /* use clock */
};

struct font {
	TTF_Font *f; /* opened on first use */
	int size;    /* the size it is set to now */
};

struct text_engine {
	SDL_Renderer *r;
	char path[512], bold_path[512];
	int index;
	struct font faces[2]; /* regular, bold */
	struct glyph *slots;
	size_t n_slots, used;
	size_t bytes; /* texture bytes of the cached glyphs */
	size_t missing;
	uint64_t clock;         /* ticks on every glyph or font use */
	size_t evictions, size_switches;
	struct text_box boxes[TEXT_MAX_BOXES]; /* texts drawn since text_boxes_reset */
	int n_boxes;
	bool boxes_full, keep_text, label;
};

/* fontconfig's best match for `pattern`: a CJK font file we can read. */
static bool font_match(const char *pattern, char *path, size_t len, int *index)
{
	FcConfig *cfg = FcInitLoadConfigAndFonts();
	FcPattern *pat = cfg ? FcNameParse((const FcChar8 *)pattern) : NULL;
	bool ok = false;
	if (pat) {
		FcConfigSubstitute(cfg, pat, FcMatchPattern);
		FcDefaultSubstitute(pat);
		FcResult res;
		FcPattern *m = FcFontMatch(cfg, pat, &res);
		FcChar8 *file = NULL;
		int ix = 0;
		if (m && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
		    strstr((const char *)file, "CJK") && !access((const char *)file, R_OK)) {
			if (FcPatternGetInteger(m, FC_INDEX, 0, &ix) != FcResultMatch)
				ix = 0;
			snprintf(path, len, "%s", (const char *)file);
			*index = ix;
			ok = true;
		}
		if (m)
			FcPatternDestroy(m);
		FcPatternDestroy(pat);
	}
	if (cfg)
		FcConfigDestroy(cfg);
	return ok;
}

static void find_font(struct text_engine *t)
{
	snprintf(t->path, sizeof t->path, "%s", FONT_REGULAR);
	t->index = 2; /* NotoSansCJK-Regular.ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK */
	const char *env = getenv("KIOSK_APP_FONT");
	if (env && *env) {
		snprintf(t->path, sizeof t->path, "%s", env);
		t->index = 0;
		const char *ix = getenv("KIOSK_APP_FONT_INDEX");
		if (ix)
			t->index = atoi(ix);
	} else {
		/* fontconfig's answer (else the Debian path above) */
		font_match("Noto Sans CJK SC:lang=zh-cn", t->path, sizeof t->path, &t->index);
	}
	snprintf(t->bold_path, sizeof t->bold_path, "%s", t->path);
	char *reg = strstr(t->bold_path, "Regular");
	if (reg) {
		char tmp[512];
		snprintf(tmp, sizeof tmp, "%.*sBold%s", (int)(reg - t->bold_path), t->bold_path,
			 reg + 7);
		if (!access(tmp, R_OK))
			snprintf(t->bold_path, sizeof t->bold_path, "%s", tmp);
	}
}

struct text_engine *text_new(SDL_Renderer *r, char *err, size_t errlen)
{
	if (!TTF_WasInit() && TTF_Init()) {
		snprintf(err, errlen, "TTF_Init: %s", TTF_GetError());
		return NULL;
	}
	struct text_engine *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->r = r;
	find_font(t);
	TTF_Font *probe = TTF_OpenFontIndex(t->path, 24, t->index);
	if (!probe) {
		snprintf(err, errlen, "cannot open font %s: %s (install fonts-noto-cjk)", t->path,
			 TTF_GetError());
		free(t);
		return NULL;
	}
	TTF_CloseFont(probe);
	t->n_slots = 1u << CACHE_BITS;
	t->slots = calloc(t->n_slots, sizeof *t->slots);
	if (!t->slots) {
		free(t);
		return NULL;
	}
	return t;
}

void text_flush(struct text_engine *t)
{
	for (size_t i = 0; i < t->n_slots; i++) {
		if (t->slots[i].tex)
			SDL_DestroyTexture(t->slots[i].tex);
		memset(&t->slots[i], 0, sizeof t->slots[i]);
	}
	t->used = 0;
	t->bytes = 0;
}

size_t text_cached_glyphs(struct text_engine *t)
{
	return t->used;
}

size_t text_cached_bytes(struct text_engine *t)
{
	return t->bytes;
}

size_t text_missing_glyphs(struct text_engine *t)
{
	return t->missing;
}

void text_free(struct text_engine *t)
{
	if (!t)
		return;
	text_flush(t);
	free(t->slots);
	for (int i = 0; i < 2; i++)
		if (t->faces[i].f)
			TTF_CloseFont(t->faces[i].f);
	free(t);
}

static TTF_Font *font_for(struct text_engine *t, int size, bool bold)
{
	t->clock++;
	struct font *face = &t->faces[bold];
	if (!face->f) {
		face->f = TTF_OpenFontIndex(bold ? t->bold_path : t->path, size, t->index);
		if (!face->f && bold)
			face->f = TTF_OpenFontIndex(t->path, size, t->index);
		if (!face->f)
			return NULL; /* no glyphs rather than glyphs of another size */
		TTF_SetFontHinting(face->f, TTF_HINTING_LIGHT);
		face->size = size;
	} else if (face->size != size) {
		if (TTF_SetFontSize(face->f, size))
			return NULL;
		face->size = size;
		t->size_switches++;
	}
	return face->f;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Drops the least recently used half of the glyphs; the others are put back
 * into a fresh table (open addressing cannot delete in place). */
static void evict_glyphs(struct text_engine *t)
{
	uint64_t *ages = malloc(t->used * sizeof *ages);
	struct glyph *fresh = calloc(t->n_slots, sizeof *fresh);
	if (!ages || !fresh) {
		free(ages);
		free(fresh);
		text_flush(t);
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < t->n_slots; i++)
		if (t->slots[i].key)
			ages[n++] = t->slots[i].used_at;
	qsort(ages, n, sizeof *ages, cmp_u64);
	uint64_t keep_from = n ? ages[n / 2] : 0;
	free(ages);
	size_t kept = 0, bytes = 0;
	for (size_t i = 0; i < t->n_slots; i++) {
		struct glyph *g = &t->slots[i];
		if (!g->key)
			continue;
		if (g->used_at < keep_from) {
			if (g->tex)
				SDL_DestroyTexture(g->tex);
			continue;
		}
		size_t h = (g->key * 2654435761u) & (t->n_slots - 1);
		while (fresh[h].key)
			h = (h + 1) & (t->n_slots - 1);
		fresh[h] = *g;
		kept++;
		if (g->tex)
			bytes += (size_t)g->w * (size_t)g->h * 4;
	}
	free(t->slots);
	t->slots = fresh;
	t->used = kept;
	t->bytes = bytes;
	t->evictions++;
}

size_t text_cache_evictions(struct text_engine *t)
{
	return t->evictions;
}

bool text_glyph_cached(struct text_engine *t, int size, bool bold, uint32_t cp)
{
	uint32_t key = ((uint32_t)size << 22) | ((uint32_t)bold << 21) | (cp & 0x1FFFFF);
	size_t h = (key * 2654435761u) & (t->n_slots - 1);
	while (t->slots[h].key && t->slots[h].key != key)
		h = (h + 1) & (t->n_slots - 1);
	return t->slots[h].key == key;
}

static struct glyph *glyph(struct text_engine *t, int size, bool bold, uint32_t cp, bool render)
{
	if (size > 511)
		size = 511;
	uint32_t key = ((uint32_t)size << 22) | ((uint32_t)bold << 21) | (cp & 0x1FFFFF);
	size_t h = (key * 2654435761u) & (t->n_slots - 1);
	while (t->slots[h].key && t->slots[h].key != key)
		h = (h + 1) & (t->n_slots - 1);
	struct glyph *g = &t->slots[h];
	if (!g->key) {
		if (t->used >= CACHE_CAP || t->bytes >= CACHE_MAX_BYTES) {
			evict_glyphs(t);
			return glyph(t, size, bold, cp, render);
		}
		TTF_Font *f = font_for(t, size, bold);
		g->key = key;
		t->used++;
		int minx, maxx, miny, maxy, adv = size / 2;
		if (!f || !TTF_GlyphIsProvided32(f, cp)) {
			g->missing = true;
			t->missing++;
			adv = size;
		} else if (TTF_GlyphMetrics32(f, cp, &minx, &maxx, &miny, &maxy, &adv)) {
			adv = size / 2;
		}
		g->adv = adv;
	}
	g->used_at = ++t->clock;
	if (render && !g->rendered && t->bytes >= CACHE_MAX_BYTES) {
		/* measured earlier, drawn now: the byte bound holds here too */
		evict_glyphs(t);
		return glyph(t, size, bold, cp, render);
	}
	if (render && !g->rendered) {
		g->rendered = true;
		TTF_Font *f = font_for(t, size, bold);
		if (f && !g->missing && cp > ' ') {
			SDL_Surface *s = TTF_RenderGlyph32_Blended(f, cp, (SDL_Color){255, 255, 255, 255});
			if (s) {
				g->tex = SDL_CreateTextureFromSurface(t->r, s);
				g->w = s->w;
				g->h = s->h;
				SDL_FreeSurface(s);
				if (g->tex) {
					SDL_SetTextureBlendMode(g->tex, SDL_BLENDMODE_BLEND);
					t->bytes += (size_t)g->w * (size_t)g->h * 4;
				}
			}
		}
	}
	return g;
}

int text_line_height(int size)
{
	return size * 14 / 10;
}

static int advance(struct text_engine *t, int size, bool bold, uint32_t cp)
{
	if (cp == '\t')
		cp = ' ';
	return glyph(t, size, bold, cp, false)->adv;
}

int text_width(struct text_engine *t, int size, const char *s)
{
	int w = 0;
	while (s && *s) {
		uint32_t cp = kapp_utf8_next(&s);
		if (cp == '\n')
			break;
		w += advance(t, size, false, cp);
	}
	return w;
}

/* Characters that must not start a line (Chinese kinsoku rules, GB/T 15834 spirit). */
static bool no_line_start(uint32_t cp)
{
	static const uint32_t v[] = {0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01,
				     0xFF09, 0x300B, 0x300D, 0x300F, 0x3011, 0x201D, 0x2019,
				     0x2026, 0x00B7, ',', '.', ';', ':', '?', '!', ')', ']', '%'};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (v[i] == cp)
			return true;
	return false;
}

static bool no_line_end(uint32_t cp)
{
	return cp == 0xFF08 || cp == 0x300A || cp == 0x300C || cp == 0x300E || cp == 0x3010 ||
	       cp == 0x201C || cp == '(' || cp == '[';
}

static void draw_run(struct text_engine *t, int x, int y, int size, bool bold, uint32_t rgb,
		     const char *a, const char *e, bool ellipsis)
{
	int line_h = text_line_height(size);
	TTF_Font *face = font_for(t, size, bold);
	int top = y + (line_h - (face ? TTF_FontHeight(face) : size)) / 2;
	const char *p = a;
	while (p < e) {
		uint32_t cp = kapp_utf8_next(&p);
		if (cp == '\t')
			cp = ' ';
		struct glyph *g = glyph(t, size, bold, cp, true);
		if (g->tex) {
			SDL_SetTextureColorMod(g->tex, (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255);
			SDL_Rect d = {x, top, g->w, g->h};
			SDL_RenderCopy(t->r, g->tex, NULL, &d);
		} else if (g->missing) {
			/* never silently: a visible box where the font has no glyph */
			SDL_SetRenderDrawColor(t->r, (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255, 255);
			SDL_Rect b = {x + 2, top + size / 6, g->adv - 4, size * 5 / 6};
			SDL_RenderDrawRect(t->r, &b);
		}
		x += g->adv;
	}
	if (ellipsis)
		draw_run(t, x, y, size, bold, rgb, "…", "…" + strlen("…"), false);
}

void text_boxes_reset(struct text_engine *t)
{
	t->n_boxes = 0;
	t->boxes_full = false;
}

void text_set_label(struct text_engine *t, bool on)
{
	t->label = on;
}

void text_boxes_keep_text(struct text_engine *t, bool on)
{
	t->keep_text = on;
}

const struct text_box *text_boxes(struct text_engine *t, int *n)
{
	*n = t->n_boxes;
	return t->boxes;
}

/* Records where a text was drawn, within the clip rectangle (scroll areas). */
static void record_box(struct text_engine *t, SDL_Rect r, int box_w, bool cut, bool overflow,
		       bool label, const char *s)
{
	SDL_Rect clip;
	if (SDL_RenderIsClipEnabled(t->r)) {
		SDL_RenderGetClipRect(t->r, &clip);
		SDL_Rect in;
		if (!SDL_IntersectRect(&r, &clip, &in))
			return; /* scrolled out of view */
		bool clipped = in.w != r.w || in.h != r.h;
		r = in;
		if (clipped)
			overflow = false; /* half scrolled out of view, not out of its box */
	}
	if (t->n_boxes == TEXT_MAX_BOXES) {
		t->boxes_full = true;
		return;
	}
	struct text_box *b = &t->boxes[t->n_boxes++];
	b->r = r;
	b->box_w = box_w;
	b->cut = cut;
	b->overflow = overflow;
	b->label = label;
	b->text[0] = 0;
	if (t->keep_text) { /* whole characters only */
		size_t n = 0;
		for (const char *p = s; *p && (size_t)(p - s) < sizeof b->text - 5;) {
			kapp_utf8_next(&p);
			n = (size_t)(p - s);
		}
		if (n >= sizeof b->text)
			n = sizeof b->text - 1;
		memcpy(b->text, s, n);
		b->text[n] = 0;
	}
}

int text_draw(struct text_engine *t, int x, int y, int w, int size, uint32_t rgb, int flags,
	      const char *s, bool draw, int max_lines)
{
	bool bold = flags & TEXT_BOLD;
	int line_h = text_line_height(size);
	int lines = 0;
	int min_x = x + w, max_x = x;
	bool was_cut = false, overflow = false;
	const char *p = s ? s : "";
	while (*p) {
		/* one line: [p, brk) */
		const char *q = p, *brk = NULL, *last_space = NULL;
		int width = 0;
		uint32_t prev = 0;
		while (*q) {
			const char *here = q;
			uint32_t cp = kapp_utf8_next(&q);
			if (cp == '\n') {
				brk = here;
				break;
			}
			int a = advance(t, size, bold, cp);
			if (width + a > w && here > p) {
				/* break before `here` — or earlier to keep rules */
				const char *cut = here;
				if (!kapp_is_wide(cp) && cp != ' ' && !kapp_is_wide(prev) && last_space)
					cut = last_space; /* inside a Latin word: go back to the space */
				else if (no_line_start(cp) || no_line_end(prev)) {
					/* step back one character (if the line keeps something) */
					const char *b = p, *before = p;
					while (b < here) {
						before = b;
						kapp_utf8_next(&b);
					}
					if (before > p)
						cut = before;
				}
				brk = cut;
				break;
			}
			if (cp == ' ')
				last_space = q;
			width += a;
			prev = cp;
		}
		if (!brk)
			brk = q;
		lines++;
		bool last = max_lines && lines == max_lines && *brk;
		if (draw) {
			int lw = 0;
			for (const char *m = p; m < brk;)
				lw += advance(t, size, bold, kapp_utf8_next(&m));
			int lx = x;
			if (flags & TEXT_CENTER)
				lx = x + (w - lw) / 2;
			else if (flags & TEXT_RIGHT)
				lx = x + w - lw;
			const char *end = brk;
			if (last) { /* leave room for the ellipsis */
				int ew = advance(t, size, bold, 0x2026);
				while (end > p && lw + ew > w) {
					const char *b = p, *before = p;
					while (b < end) {
						before = b;
						kapp_utf8_next(&b);
					}
					lw -= advance(t, size, bold, kapp_utf8_next(&(const char *){before}));
					end = before;
				}
			}
			draw_run(t, lx, y + (lines - 1) * line_h, size, bold, rgb, p, end, last);
			if (last)
				lw += advance(t, size, bold, 0x2026);
			was_cut |= last;
			overflow |= lw > w;
			if (lx < min_x)
				min_x = lx;
			if (lx + lw > max_x)
				max_x = lx + lw;
		}
		p = brk;
		if (*p == '\n')
			p++;
		else
			while (*p == ' ')
				p++;
		if (last)
			break;
	}
	if (!lines)
		lines = 1;
	if (draw && s && *s && max_x > min_x)
		record_box(t, (SDL_Rect){min_x, y, max_x - min_x, lines * line_h}, w, was_cut, overflow,
			   (flags & TEXT_LABEL) || t->label, s);
	return lines * line_h;
}
