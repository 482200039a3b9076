/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scr_guides.c — guide lookup: departments, search by text or pinyin initials,
 * an on-screen keyboard with catalog-word candidates. */
#include <stdio.h>
#include <string.h>
#include "app.h"

static void append(struct app *a, const char *s)
{
	size_t n = strlen(a->s.query);
	if (n + strlen(s) < sizeof a->s.query - 1)
		memcpy(a->s.query + n, s, strlen(s) + 1);
	ui_scroll_reset(&a->ui);
}

void guides_backspace(struct app *a);
void guides_backspace(struct app *a)
{
	size_t n = strlen(a->s.query);
	while (n > 0 && ((unsigned char)a->s.query[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		n--;
	a->s.query[n] = 0;
	ui_scroll_reset(&a->ui);
}

/* Replaces the trailing ASCII letters of the query by a candidate word. */
static void take_word(struct app *a, const char *w)
{
	size_t n = strlen(a->s.query);
	while (n > 0 && ((a->s.query[n - 1] >= 'a' && a->s.query[n - 1] <= 'z') ||
			 (a->s.query[n - 1] >= 'A' && a->s.query[n - 1] <= 'Z')))
		n--;
	a->s.query[n] = 0;
	append(a, w);
}

static void keyboard(struct app *a, SDL_Rect area)
{
	struct ui *ui = &a->ui;
	static const char *const rows[3] = {"QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"};
	/* 4 px between letter keys: ten keys of ≥ 96 px in 1000 px */
	int kh = (area.h - 3 * 10) / 4, kw = (area.w - 9 * 4) / 10;
	for (int r = 0; r < 3; r++) {
		int n = (int)strlen(rows[r]);
		int x0 = area.x + (area.w - n * kw - (n - 1) * 4) / 2;
		for (int i = 0; i < n; i++) {
			char id[16], lab[2] = {rows[r][i], 0};
			snprintf(id, sizeof id, "key-%c", rows[r][i]);
			if (ui_button(ui, id, (SDL_Rect){x0 + i * (kw + 4), area.y + r * (kh + 10), kw, kh}, lab,
				      BTN_KEY, true))
				append(a, lab);
		}
	}
	int y = area.y + 3 * (kh + 10), bw = (area.w - 16) / 3;
	if (ui_button(ui, "key-back", (SDL_Rect){area.x, y, bw, kh}, "← 退格", BTN_SECONDARY, a->s.query[0]))
		guides_backspace(a);
	if (ui_button(ui, "key-clear", (SDL_Rect){area.x + bw + 8, y, bw, kh}, "清空", BTN_SECONDARY,
		      a->s.query[0])) {
		a->s.query[0] = 0;
		ui_scroll_reset(ui);
	}
	if (ui_button(ui, "key-all", (SDL_Rect){area.x + 2 * (bw + 8), y, bw, kh}, "全部部门", BTN_SECONDARY,
		      a->s.dept[0] != 0)) {
		a->s.dept[0] = 0;
		ui_scroll_reset(ui);
	}
}

void scr_guides(struct app *a)
{
	struct ui *ui = &a->ui;
	app_chrome(a, "办事指南");
	if (!a->cat) {
		ui_text(ui, 40, app_content_top(a) + 40, ui->w - 80, ui_body(ui), C_DANGER, TEXT_BOLD,
			"× 办事指南暂时无法加载，请稍后再试，或到服务窗口咨询。");
		return;
	}
	bool land = ui->w > ui->h;
	int top = app_content_top(a) + 20, bottom = app_content_bottom(a) - 20;
	int bs = ui_body(ui), ss = ui_small(ui);
	/* landscape: results on the left, a keyboard of full-size keys on the right */
	int kw = land ? 1036 * ui->w / 1920 : ui->w - 80;
	int kx = land ? ui->w - 40 - kw : 40;
	int left_w = land ? kx - 80 : ui->w - 80;
	/* search box */
	int sh = ui->large ? 110 : 96;
	ui_fill(ui, (SDL_Rect){40, top, left_w, sh}, C_CARD);
	ui_frame(ui, (SDL_Rect){40, top, left_w, sh}, C_PRIMARY, 3);
	ui_region(ui, "search-box", (SDL_Rect){40, top, left_w, sh}, true);
	if (a->s.query[0])
		text_draw(ui->text, 60, top + (sh - text_line_height(bs + 4)) / 2, left_w - 40, bs + 4, C_TEXT,
			  TEXT_BOLD, a->s.query, true, 1);
	else
		text_draw(ui->text, 60, top + (sh - text_line_height(bs)) / 2, left_w - 40, bs, C_MUTED, 0,
			  "输入名称、拼音或首字母，如 BDC、gongjijin", true, 1);
	top += sh + 16;
	/* departments */
	int nd = (int)a->cat->n_depts, per = land ? 6 : 6, rows = (nd + 1 + per - 1) / per;
	int cw = (left_w - (per - 1) * 10) / per, ch = ui->large ? 76 : 68;
	for (int i = -1; i < nd; i++) {
		int k = i + 1, r = k / per, c = k % per;
		SDL_Rect rc = {40 + c * (cw + 10), top + r * (ch + 10), cw, ch};
		char id[32];
		snprintf(id, sizeof id, "dept-%s", i < 0 ? "all" : a->cat->depts[i].id);
		bool sel = i < 0 ? !a->s.dept[0] : !strcmp(a->s.dept, a->cat->depts[i].id);
		if (ui_button(ui, id, rc, i < 0 ? "全部" : a->cat->depts[i].short_name,
			      sel ? BTN_SELECTED : BTN_SECONDARY, true)) {
			snprintf(a->s.dept, sizeof a->s.dept, "%s", i < 0 ? "" : a->cat->depts[i].id);
			ui_scroll_reset(ui);
		}
	}
	top += rows * (ch + 10) + 6;
	/* keyboard + candidates */
	int kbh = ui->large ? 470 : 420, cand_h = ui->large ? 84 : 76;
	SDL_Rect kb = {kx, bottom - kbh, kw, kbh};
	int cand_y = kb.y - cand_h - 12;
	if (land) {
		kb.y = app_content_top(a) + 20 + cand_h + 20;
		cand_y = app_content_top(a) + 20;
	}
	const char *words[8];
	size_t nw = 0;
	{ /* candidates for the trailing letters */
		const char *q = a->s.query;
		size_t n = strlen(q), k = n;
		while (k > 0 && ((q[k - 1] >= 'a' && q[k - 1] <= 'z') || (q[k - 1] >= 'A' && q[k - 1] <= 'Z')))
			k--;
		if (k < n)
			nw = kapp_search_words(a->search, q + k, words, 6);
	}
	int cx = kx;
	const char *cand_label = nw ? "候选词：" : "输入拼音后，可点选候选词";
	int clw = text_width(ui->text, ss, cand_label);
	if (clw > kw)
		clw = kw;
	text_draw(ui->text, cx, cand_y + (cand_h - text_line_height(ss)) / 2, clw, ss, C_MUTED, 0,
		  cand_label, true, 1);
	cx += clw + 12;
	for (size_t i = 0; i < nw; i++) {
		int w = text_width(ui->text, bs, words[i]) + 40;
		if (cx + w > kx + kw)
			break;
		char id[32];
		snprintf(id, sizeof id, "cand-%zu", i);
		if (ui_button(ui, id, (SDL_Rect){cx, cand_y, w, cand_h}, words[i], BTN_SECONDARY, true))
			take_word(a, words[i]);
		cx += w + 10;
	}
	keyboard(a, kb);
	/* results */
	app_run_search(a);
	int list_bottom = land ? bottom : cand_y - 12;
	char cnt[96];
	if (a->n_popular)
		snprintf(cnt, sizeof cnt, "常办事项在前（%zu 项），共 %zu 项", a->n_popular, a->total_hits);
	else
		snprintf(cnt, sizeof cnt, a->total_hits > a->n_hits ? "找到 %zu 项（显示前 %zu 项）" : "找到 %zu 项",
			 a->total_hits, a->n_hits);
	top += ui_text(ui, 40, top, left_w, ss, C_MUTED, 0, cnt);
	SDL_Rect view = {40, top, left_w, list_bottom - top};
	int ih = 12 + 2 * text_line_height(bs) + text_line_height(ss) + 14, gap = 10; /* name: 2 lines */
	int content = (int)a->n_hits * (ih + gap);
	int off = ui_scroll(ui, view, content);
	ui_clip(ui, &view);
	if (!a->n_hits)
		ui_text(ui, 40, top + 20, left_w, bs, C_TEXT, 0,
			"没有找到相关事项。可换个说法，或按部门浏览；也可到服务窗口咨询。");
	int first = off / (ih + gap);
	for (int i = first; i < (int)a->n_hits; i++) {
		int y = view.y + i * (ih + gap) - off;
		if (y > view.y + view.h)
			break;
		const struct kapp_guide *g = &a->cat->guides[a->hits[i]];
		SDL_Rect rc = {40, y, left_w, ih};
		char id[16];
		snprintf(id, sizeof id, "hit-%d", i);
		bool hit = ui_button(ui, id, rc, "", BTN_KEY, true);
		text_set_label(ui->text, true);
		int yy = y + 12;
		yy += text_draw(ui->text, 60, yy, left_w - 40, bs, C_TEXT, TEXT_BOLD, g->name, true, 2);
		char sub[256];
		snprintf(sub, sizeof sub, "%s%s · %s · 到现场 %d 次", (size_t)i < a->n_popular ? "★ 常办 · " : "",
			 a->cat ? kapp_dept_short(a->cat, g->dept_id) : "", g->case_class,
			 g->visits < 0 ? 1 : g->visits);
		text_draw(ui->text, 60, yy, left_w - 40, ss, C_MUTED, 0, sub, true, 1);
		text_set_label(ui->text, false);
		if (hit) {
			a->s.guide = (int)a->hits[i];
			ui_clip(ui, NULL);
			app_go(a, SCR_GUIDE);
			return;
		}
	}
	ui_clip(ui, NULL);
}
