/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk-app: the font and glyph caches on a real renderer (SDL offscreen,
 * software). A long session uses more text sizes than the font table holds
 * and more glyphs than the cache holds: every size still draws in its own
 * face (a CJK character is one em wide), and the cache drops the least
 * recently used glyphs, keeping the ones in use.
 */
#include <SDL.h>
#include "test.h"
#include "core.h"
#include "ui.h"

int main(void)
{
	setenv("SDL_VIDEODRIVER", "offscreen", 1);
	if (SDL_Init(SDL_INIT_VIDEO))
		test_skip("no SDL video (offscreen driver missing)");
	SDL_Window *w = SDL_CreateWindow("t", 0, 0, 64, 64, SDL_WINDOW_HIDDEN);
	SDL_Renderer *r = w ? SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE) : NULL;
	CHECK(r != NULL);
	char err[256] = "";
	struct text_engine *t = r ? text_new(r, err, sizeof err) : NULL;
	if (!t) {
		fprintf(stderr, "text_new: %s\n", err);
		return 1;
	}
	/* 40 sizes, twice around, bold and regular: far more than the 16 faces kept */
	for (int round = 0; round < 2; round++)
		for (int size = 14; size < 94; size += 2)
			for (int bold = 0; bold < 2; bold++) {
				int wd = text_width(t, size, "中文办事");
				if (wd < 4 * size - 4 || wd > 4 * size + 4) {
					fprintf(stderr, "size %d%s: 4 characters %d px wide, want %d\n", size,
						bold ? " bold" : "", wd, 4 * size);
					test_failures++;
				}
				int h = text_draw(t, 0, 0, 2000, size, 0, bold ? TEXT_BOLD : 0, "汉字", true, 1);
				CHECK_EQ_INT(h, text_line_height(size));
			}
	/* the glyph cache: 20,000 distinct glyphs while a hot line is drawn now and then */
	const char *hot = "请取走凭条";
	for (uint32_t cp = 0x4E00; cp < 0x4E00 + 20000; cp++) {
		char s[8] = {0};
		kapp_utf8_put(cp, s);
		text_width(t, 30, s);
		if (cp % 500 == 0)
			text_width(t, 30, hot);
	}
	CHECK(text_cache_evictions(t) >= 3);
	CHECK(text_cached_glyphs(t) <= 6000);
	for (const char *p = hot; *p;) {
		uint32_t cp = kapp_utf8_next(&p);
		CHECK(text_glyph_cached(t, 30, false, cp));
	}
	CHECK(text_glyph_cached(t, 30, false, 0x4E00 + 19999)); /* the newest */
	CHECK(!text_glyph_cached(t, 30, false, 0x4E01));        /* long unused */
	CHECK_EQ_INT(text_missing_glyphs(t), 0);
	text_free(t);
	SDL_DestroyRenderer(r);
	SDL_DestroyWindow(w);
	TTF_Quit();
	SDL_Quit();
	return test_done("app_text");
}
