/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ui.h — kiosk-app's drawing kit: fonts with a glyph cache, CJK-aware text
 * layout, and immediate-mode widgets (buttons, scroll areas) whose hit
 * regions are kept per frame (for input, the headless tour and the
 * end-to-end tests, which read them from the layout file).
 */
#ifndef KAPP_UI_H
#define KAPP_UI_H

#include <stdbool.h>
#include <stdint.h>
#include <SDL.h>
#include <SDL_ttf.h>

/* ---- colours (all text/background pairs used are ≥ 4.5:1) ---------------- */
#define C_BG 0xF4F6F9u
#define C_TEXT 0x1A1A1Au
#define C_MUTED 0x4A4F57u   /* 8.0:1 on C_BG */
#define C_PRIMARY 0x0B4F9Cu /* white text on it: 8.2:1 */
#define C_ACCENT 0x8A3B00u  /* warnings, on white: 7.6:1 */
#define C_DANGER 0xA1141Bu  /* on white: 7.9:1 */
#define C_OK 0x1E6B2Eu      /* on white: 6.6:1 */
#define C_CARD 0xFFFFFFu
#define C_LINE 0xC9CED6u
#define C_DISABLED 0xDDE1E6u
#define C_WHITE 0xFFFFFFu
#define C_BAR 0x0E2A47u     /* top bar, white text 14:1 */

/* ---- text ------------------------------------------------------------------ */

struct text_engine;

/* Opens the CJK font (fontconfig's match for Noto Sans CJK SC, else the
 * Debian path). Returns NULL with a message if no font can be opened. */
struct text_engine *text_new(SDL_Renderer *r, char *err, size_t errlen);
void text_free(struct text_engine *t);
/* Drops every cached glyph texture (e.g. after a renderer reset). */
void text_flush(struct text_engine *t);
size_t text_cached_glyphs(struct text_engine *t);
/* Bytes of glyph textures the cache holds (bounded; see CACHE_MAX_BYTES). */
size_t text_cached_bytes(struct text_engine *t);
/* How often the glyph cache dropped its least recently used half. */
size_t text_cache_evictions(struct text_engine *t);
/* True if the glyph is in the cache (tests). */
bool text_glyph_cached(struct text_engine *t, int size, bool bold, uint32_t cp);

enum { TEXT_BOLD = 1, TEXT_CENTER = 2, TEXT_RIGHT = 4, TEXT_LABEL = 8 /* a button's own label */ };

/* Every text drawn is recorded for the layout check (tour): where it went,
 * whether it was cut short ("…") or ran past its width. */
#define TEXT_MAX_BOXES 512
struct text_box {
	SDL_Rect r;     /* the ink's box (within the clip rectangle) */
	int box_w;      /* the width it was given */
	bool cut, overflow, label;
	char text[48];  /* the start of the text, for reports (never personal: tour data) */
};
void text_boxes_reset(struct text_engine *t);
/* Texts drawn while on belong to the button just drawn (a card's content):
 * the layout check wants them inside it rather than off it. */
void text_set_label(struct text_engine *t, bool on);
/* Keep the start of each text for reports (the tour only: no personal data). */
void text_boxes_keep_text(struct text_engine *t, bool on);
const struct text_box *text_boxes(struct text_engine *t, int *n);

/* Width in pixels of one line of text (no wrapping). */
int text_width(struct text_engine *t, int size, const char *s);
/* Line height (size × 1.4, ≥ the 1.3 line-spacing rule). */
int text_line_height(int size);
/* Lays out and draws `s` wrapped to `w` (CJK breaks between any characters,
 * Latin at spaces, no closing punctuation at a line start); returns the
 * height used. draw=false only measures. `max_lines` 0 = unlimited; cut
 * text ends with "…". */
int text_draw(struct text_engine *t, int x, int y, int w, int size, uint32_t rgb, int flags,
	      const char *s, bool draw, int max_lines);
/* Number of code points with no glyph in the font met so far (tofu check). */
size_t text_missing_glyphs(struct text_engine *t);

/* ---- widgets ----------------------------------------------------------------- */

#define UI_MAX_REGIONS 256

struct ui_region {
	char id[48];
	SDL_Rect r;     /* within the clip rectangle (scroll areas) */
	SDL_Rect full;  /* as laid out, before clipping */
	bool enabled;
	bool button;    /* a button (else an area: scroll view, hidden target) */
};

struct ui {
	SDL_Renderer *r;
	struct text_engine *text;
	int w, h;          /* logical size */
	bool large;        /* large-text mode */
	/* pointer state */
	bool down;
	int down_x, down_y, x, y;
	uint32_t down_ms;
	bool dragging;
	bool tap;          /* a tap is waiting to be claimed by a widget this frame */
	int tap_x, tap_y;
	char tapped_id[48]; /* what the last tap hit (for logs) */
	/* scroll area (one per screen) */
	float scroll, scroll_v, scroll_max;
	int drag_last_y;
	uint32_t drag_last_ms;
	bool scroll_active;
	/* regions of the frame being drawn / of the last frame */
	struct ui_region regions[UI_MAX_REGIONS], last[UI_MAX_REGIONS];
	int n_regions, n_last;
	bool animating;    /* something moves: draw again soon */
	bool fired;        /* a widget fired this frame: draw again */
	bool clipping;     /* regions are clipped to `clip` (inside a scroll area) */
	SDL_Rect clip;
};

/* Body, title and small text sizes for the current mode (body ≥ 30 px in large mode). */
int ui_body(const struct ui *ui);
int ui_title(const struct ui *ui);
int ui_small(const struct ui *ui);
int ui_button_h(const struct ui *ui);

void ui_fill(struct ui *ui, SDL_Rect r, uint32_t rgb);
void ui_frame(struct ui *ui, SDL_Rect r, uint32_t rgb, int thickness);
/* Adds a hit region without drawing (used by hidden areas). */
void ui_region(struct ui *ui, const char *id, SDL_Rect r, bool enabled);

enum { BTN_PRIMARY = 0, BTN_SECONDARY = 1, BTN_DANGER = 2, BTN_KEY = 3, BTN_SELECTED = 4 };
/* Draws a button (≥ 60×60 px); returns true when it was tapped this frame.
 * A disabled button draws greyed with its label and never fires. */
bool ui_button(struct ui *ui, const char *id, SDL_Rect r, const char *label, int style,
	       bool enabled);
/* Text helpers. */
int ui_text(struct ui *ui, int x, int y, int w, int size, uint32_t rgb, int flags, const char *s);
/* Draws a status badge: shape + text (never colour alone). kind 0 ok, 1 warn, 2 bad, 3 info. */
void ui_badge(struct ui *ui, int x, int y, int size, int kind, const char *label);

/* Pointer input in logical coordinates. */
void ui_pointer_down(struct ui *ui, int x, int y, uint32_t ms);
void ui_pointer_move(struct ui *ui, int x, int y, uint32_t ms);
void ui_pointer_up(struct ui *ui, int x, int y, uint32_t ms);
/* Starts a frame (clears regions); ends it (keeps regions, consumes a stray tap). */
void ui_begin(struct ui *ui);
void ui_end(struct ui *ui);
/* Scroll area: call with the viewport and the content height each frame,
 * before drawing content; returns the scroll offset to subtract. Dragging
 * inside the viewport scrolls, and a flick carries on with momentum. */
int ui_scroll(struct ui *ui, SDL_Rect view, int content_h);
void ui_scroll_reset(struct ui *ui);
/* Clips drawing and hit regions to r (NULL ends it). */
void ui_clip(struct ui *ui, const SDL_Rect *r);
/* Advances momentum by dt ms; true while still moving. */
bool ui_animate(struct ui *ui, uint32_t dt_ms);
/* Checks the last frame's layout (kapp_layout_check): text out of its box,
 * text or buttons over a button, targets under 60 px. Returns the number of
 * problems, described one a line in report. */
int ui_layout_check(struct ui *ui, char *report, size_t len);
/* Looks a region of the last frame up by id. */
const struct ui_region *ui_find(const struct ui *ui, const char *id);

#endif
