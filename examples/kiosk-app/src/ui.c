/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ui.c — immediate-mode widgets: buttons, badges, drag-and-fling scrolling. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "core.h"
#include "ui.h"

int ui_body(const struct ui *ui)
{
	int base = ui->large ? 38 : 30;
	return base * (ui->w < ui->h ? ui->w : ui->h) / 1080;
}

int ui_title(const struct ui *ui)
{
	return ui_body(ui) * 3 / 2;
}

int ui_small(const struct ui *ui)
{
	return ui->large ? ui_body(ui) * 5 / 6 : 26;
}

int ui_button_h(const struct ui *ui)
{
	return ui->large ? 112 : 96;
}

static void color(struct ui *ui, uint32_t rgb)
{
	SDL_SetRenderDrawColor(ui->r, (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255, 255);
}

void ui_fill(struct ui *ui, SDL_Rect r, uint32_t rgb)
{
	color(ui, rgb);
	SDL_RenderFillRect(ui->r, &r);
}

void ui_frame(struct ui *ui, SDL_Rect r, uint32_t rgb, int t)
{
	color(ui, rgb);
	for (int i = 0; i < t; i++) {
		SDL_Rect x = {r.x + i, r.y + i, r.w - 2 * i, r.h - 2 * i};
		SDL_RenderDrawRect(ui->r, &x);
	}
}

void ui_region(struct ui *ui, const char *id, SDL_Rect r, bool enabled)
{
	if (ui->n_regions >= UI_MAX_REGIONS)
		return;
	SDL_Rect full = r;
	if (ui->clipping) {
		SDL_Rect c;
		if (!SDL_IntersectRect(&r, &ui->clip, &c))
			return;
		r = c;
	}
	struct ui_region *g = &ui->regions[ui->n_regions++];
	snprintf(g->id, sizeof g->id, "%s", id);
	g->r = r;
	g->full = full;
	g->enabled = enabled;
	g->button = false;
}

static bool inside(SDL_Rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

bool ui_button(struct ui *ui, const char *id, SDL_Rect r, const char *label, int style, bool enabled)
{
	/* no silent growth: a target under 60 px is a layout bug the tour reports */
	int before = ui->n_regions;
	ui_region(ui, id, r, enabled);
	if (ui->n_regions > before)
		ui->regions[before].button = true;
	bool pressed = enabled && ui->down && !ui->dragging && inside(r, ui->x, ui->y) &&
		       inside(r, ui->down_x, ui->down_y);
	uint32_t bg, fg;
	switch (style) {
	case BTN_PRIMARY: bg = C_PRIMARY; fg = C_WHITE; break;
	case BTN_DANGER: bg = C_DANGER; fg = C_WHITE; break;
	case BTN_SELECTED: bg = C_BAR; fg = C_WHITE; break;
	case BTN_KEY: bg = C_CARD; fg = C_TEXT; break;
	default: bg = C_CARD; fg = C_PRIMARY; break;
	}
	if (!enabled) {
		bg = C_DISABLED;
		fg = C_MUTED;
	}
	if (pressed)
		bg = style == BTN_PRIMARY || style == BTN_DANGER || style == BTN_SELECTED ? C_TEXT : C_LINE;
	ui_fill(ui, r, bg);
	ui_frame(ui, r, enabled ? (style == BTN_SECONDARY || style == BTN_KEY ? C_PRIMARY : bg) : C_LINE,
		 style == BTN_SELECTED ? 4 : 2);
	if (style == BTN_SELECTED) /* selection shown by a marker too, not by colour alone */
		ui_fill(ui, (SDL_Rect){r.x + 8, r.y + r.h - 12, r.w - 16, 5}, C_WHITE);
	int size = style == BTN_KEY ? ui_body(ui) + 4 : ui_body(ui);
	int th = text_draw(ui->text, 0, 0, r.w - 16, size, fg, TEXT_BOLD | TEXT_CENTER, label, false, 0);
	while ((th > r.h - 8 || th > 2 * text_line_height(size)) && size > 20) {
		size -= 2;
		th = text_draw(ui->text, 0, 0, r.w - 16, size, fg, TEXT_BOLD | TEXT_CENTER, label, false, 0);
	}
	text_draw(ui->text, r.x + 8, r.y + (r.h - th) / 2, r.w - 16, size, fg,
		  TEXT_BOLD | TEXT_CENTER | TEXT_LABEL, label, true, 2);
	if (enabled && ui->tap && inside(r, ui->tap_x, ui->tap_y) &&
	    (!ui->clipping || inside(ui->clip, ui->tap_x, ui->tap_y))) {
		ui->tap = false;
		ui->fired = true;
		snprintf(ui->tapped_id, sizeof ui->tapped_id, "%s", id);
		return true;
	}
	return false;
}

int ui_text(struct ui *ui, int x, int y, int w, int size, uint32_t rgb, int flags, const char *s)
{
	return text_draw(ui->text, x, y, w, size, rgb, flags, s, true, 0);
}

void ui_badge(struct ui *ui, int x, int y, int size, int kind, const char *label)
{
	static const uint32_t col[] = {C_OK, C_ACCENT, C_DANGER, C_PRIMARY};
	/* shapes: ✓ (ok), ▲ (warning), × (bad), ● (info) — a symbol plus the words */
	static const char *const sym[] = {"✓", "▲", "×", "●"};
	char buf[256];
	snprintf(buf, sizeof buf, "%s %s", sym[kind & 3], label);
	int w = text_width(ui->text, size, buf) + 24, h = text_line_height(size) + 8;
	ui_fill(ui, (SDL_Rect){x, y, w, h}, C_WHITE);
	ui_frame(ui, (SDL_Rect){x, y, w, h}, col[kind & 3], 3);
	text_draw(ui->text, x + 12, y + 4, w, size, col[kind & 3], TEXT_BOLD, buf, true, 1);
}

void ui_pointer_down(struct ui *ui, int x, int y, uint32_t ms)
{
	ui->down = true;
	ui->dragging = false;
	ui->down_x = ui->x = x;
	ui->down_y = ui->y = y;
	ui->down_ms = ms;
	ui->drag_last_y = y;
	ui->drag_last_ms = ms;
	ui->scroll_v = 0;
}

void ui_pointer_move(struct ui *ui, int x, int y, uint32_t ms)
{
	ui->x = x;
	ui->y = y;
	if (!ui->down)
		return;
	if (!ui->dragging && (abs(y - ui->down_y) > 18 || abs(x - ui->down_x) > 18))
		ui->dragging = true;
	if (ui->dragging && ui->scroll_active) {
		int dy = y - ui->drag_last_y;
		uint32_t dt = ms - ui->drag_last_ms;
		ui->scroll -= (float)dy;
		if (dt > 0) {
			float v = -(float)dy / (float)dt; /* px per ms */
			ui->scroll_v = 0.6f * v + 0.4f * ui->scroll_v;
		}
		ui->drag_last_y = y;
		ui->drag_last_ms = ms;
		ui->animating = true;
	}
}

void ui_pointer_up(struct ui *ui, int x, int y, uint32_t ms)
{
	ui->x = x;
	ui->y = y;
	if (ui->down && !ui->dragging) {
		ui->tap = true;
		ui->tap_x = x;
		ui->tap_y = y;
		ui->scroll_v = 0;
	}
	if (ui->dragging && ms - ui->drag_last_ms > 80)
		ui->scroll_v = 0; /* stopped before lifting: no fling */
	ui->down = false;
	ui->dragging = false;
	ui->animating = ui->scroll_v != 0;
}

void ui_begin(struct ui *ui)
{
	ui->n_regions = 0;
	if (ui->text)
		text_boxes_reset(ui->text);
	ui->scroll_active = false;
}

void ui_end(struct ui *ui)
{
	memcpy(ui->last, ui->regions, sizeof(ui->regions[0]) * (size_t)ui->n_regions);
	ui->n_last = ui->n_regions;
	ui->tap = false; /* a tap that hit nothing is dropped */
}

int ui_scroll(struct ui *ui, SDL_Rect view, int content_h)
{
	ui->scroll_active = true;
	ui->scroll_max = content_h > view.h ? (float)(content_h - view.h) : 0;
	if (ui->scroll < 0) {
		ui->scroll = 0;
		ui->scroll_v = 0;
	}
	if (ui->scroll > ui->scroll_max) {
		ui->scroll = ui->scroll_max;
		ui->scroll_v = 0;
	}
	return (int)lroundf(ui->scroll);
}

void ui_clip(struct ui *ui, const SDL_Rect *r)
{
	ui->clipping = r != NULL;
	if (r)
		ui->clip = *r;
	SDL_RenderSetClipRect(ui->r, r);
}

void ui_scroll_reset(struct ui *ui)
{
	ui->scroll = 0;
	ui->scroll_v = 0;
}

bool ui_animate(struct ui *ui, uint32_t dt)
{
	if (ui->down || fabsf(ui->scroll_v) < 0.02f) {
		if (!ui->down)
			ui->scroll_v = 0;
		ui->animating = ui->down && ui->dragging;
		return ui->animating;
	}
	if (dt > 50)
		dt = 50;
	ui->scroll += ui->scroll_v * (float)dt;
	ui->scroll_v *= powf(0.995f, (float)dt); /* friction: ~0.6 s to a stop */
	if (ui->scroll < 0 || ui->scroll > ui->scroll_max)
		ui->scroll_v = 0;
	ui->animating = true;
	return true;
}

const struct ui_region *ui_find(const struct ui *ui, const char *id)
{
	for (int i = 0; i < ui->n_last; i++)
		if (!strcmp(ui->last[i].id, id))
			return &ui->last[i];
	return NULL;
}

int ui_layout_check(struct ui *ui, char *report, size_t len)
{
	static struct kapp_box boxes[UI_MAX_REGIONS + TEXT_MAX_BOXES];
	size_t n = 0;
	for (int i = 0; i < ui->n_last; i++) {
		const struct ui_region *g = &ui->last[i];
		boxes[n++] = (struct kapp_box){
			.x = g->r.x, .y = g->r.y, .w = g->r.w, .h = g->r.h,
			.full_w = g->full.w, .full_h = g->full.h,
			.kind = g->button ? KAPP_BOX_BUTTON : KAPP_BOX_AREA, .id = g->id};
	}
	int nt = 0;
	const struct text_box *tb = ui->text ? text_boxes(ui->text, &nt) : NULL;
	for (int i = 0; i < nt; i++)
		boxes[n++] = (struct kapp_box){
			.x = tb[i].r.x, .y = tb[i].r.y, .w = tb[i].r.w, .h = tb[i].r.h,
			.full_w = tb[i].r.w, .full_h = tb[i].r.h,
			.kind = tb[i].label ? KAPP_BOX_LABEL : KAPP_BOX_TEXT,
			.cut = tb[i].cut, .overflow = tb[i].overflow, .id = tb[i].text};
	return kapp_layout_check(boxes, n, ui->w, ui->h, 60, report, len);
}
