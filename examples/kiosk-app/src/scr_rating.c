/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scr_rating.c — 好差评 after a case print, as the national scheme asks: five
 * levels; for 不满意 / 非常不满意 the visitor picks the reasons from the
 * standard list (taps only, nothing to type); one rating per case on this
 * terminal; the rating is queued for upload (kapp_rating_store).
 */
#include <stdio.h>
#include <string.h>
#include "app.h"

static void finish(struct app *a, int level, uint32_t reasons)
{
	int rc = kapp_rating_store(a->cfg.state_dir, a->s.rate_case, level, reasons);
	if (rc && rc != KAPP_E_DUPLICATE)
		dev_error(a, "好差评未能保存到 %s（%d）", a->cfg.state_dir, rc);
	if (rc == KAPP_OK || rc == KAPP_E_OFFLINE) /* the hall still hears of it */
		app_fleet_rating(a, a->s.rate_case, level, reasons);
	a->s.rated = true;
	a->s.rate_level = 0;
	a->s.rate_reasons = 0;
	kapp_wipe(a->s.rate_case, sizeof a->s.rate_case);
	app_back(a);
	app_message(a, 0, rc == KAPP_E_DUPLICATE ? "本办件已评价过，感谢您的参与。"
						  : "感谢您的评价！");
}

/* Step 2 of a poor rating: the reasons. */
static void reasons_page(struct app *a, int top)
{
	struct ui *ui = &a->ui;
	bool land = ui->w > ui->h;
	int w = ui->w - 80, y = top;
	char head[160];
	snprintf(head, sizeof head, "您选择了“%s”。请点选不满意的原因（可多选）：",
		 kapp_rating_labels[a->s.rate_level - 1]);
	y += ui_text(ui, 40, y, w, ui_title(ui), C_TEXT, TEXT_BOLD, head) + 24;
	int cols = land ? 4 : 2, gap = 20;
	int bw = (w - (cols - 1) * gap) / cols, bh = ui->large ? 150 : 120;
	for (int i = 0; i < KAPP_N_REASONS; i++) {
		char id[24], lab[96];
		bool on = a->s.rate_reasons & (1u << i);
		snprintf(id, sizeof id, "reason-%d", i);
		snprintf(lab, sizeof lab, "%s%s", on ? "✓ " : "", kapp_rating_reasons[i]);
		SDL_Rect r = {40 + (i % cols) * (bw + gap), y + (i / cols) * (bh + gap), bw, bh};
		if (ui_button(ui, id, r, lab, on ? BTN_SELECTED : BTN_SECONDARY, true)) {
			a->s.rate_reasons ^= 1u << i;
			a->dirty = true;
		}
	}
	y += ((KAPP_N_REASONS + cols - 1) / cols) * (bh + gap) + 20;
	int qh = ui_button_h(ui), hw = (w - gap) / 2;
	if (ui_button(ui, "rate-submit", (SDL_Rect){40, y, hw, qh}, "提交评价", BTN_PRIMARY,
		      a->s.rate_reasons != 0))
		finish(a, a->s.rate_level, a->s.rate_reasons);
	else if (ui_button(ui, "rate-change", (SDL_Rect){40 + hw + gap, y, hw, qh}, "重新选择满意度",
			   BTN_SECONDARY, true)) {
		a->s.rate_level = 0;
		a->s.rate_reasons = 0;
		a->dirty = true;
	}
}

void scr_rating(struct app *a)
{
	struct ui *ui = &a->ui;
	app_chrome(a, "服务评价");
	bool land = ui->w > ui->h;
	int top = app_content_top(a) + 30, w = ui->w - 80;
	if (a->s.rate_level) {
		reasons_page(a, top);
		return;
	}
	int y = top + ui_text(ui, 40, top, w, ui_title(ui), C_TEXT, TEXT_BOLD, "请对本次服务进行评价（可选）");
	char sub[120];
	snprintf(sub, sizeof sub, "办件编号 %s", a->s.rate_case);
	y += ui_text(ui, 40, y + 8, w, ui_body(ui), C_MUTED, 0, sub) + 30;
	static const char *const marks[5] = {"★", "★★", "★★★", "★★★★", "★★★★★"};
	int gap = 20, qh = ui_button_h(ui);
	/* portrait: one row per level; landscape: the five levels side by side */
	int bw = land ? (w - 4 * gap) / 5 : w;
	int bh = land ? (ui->large ? 240 : 210) : (ui->large ? 140 : 120);
	int room = app_content_bottom(a) - 30 - qh - 30 - y;
	if (!land && 5 * bh + 4 * gap > room)
		bh = (room - 4 * gap) / 5;
	for (int lvl = 5; lvl >= 1; lvl--) {
		char id[16], lab[96];
		snprintf(id, sizeof id, "rate-%d", lvl);
		snprintf(lab, sizeof lab, land ? "%s\n%s" : "%s　%s", kapp_rating_labels[lvl - 1],
			 marks[lvl - 1]);
		int k = 5 - lvl;
		SDL_Rect r = land ? (SDL_Rect){40 + k * (bw + gap), y, bw, bh}
				  : (SDL_Rect){40, y + k * (bh + gap), bw, bh};
		if (ui_button(ui, id, r, lab, lvl >= 3 ? BTN_SECONDARY : BTN_KEY, !a->s.rated)) {
			if (lvl <= 2) {
				a->s.rate_level = lvl; /* the reasons first */
				a->s.rate_reasons = 0;
				a->dirty = true;
				return;
			}
			finish(a, lvl, 0);
			return;
		}
	}
	y += land ? bh + 30 : 5 * (bh + gap) + 10;
	if (ui_button(ui, "rate-skip", (SDL_Rect){40, y, w, qh}, "跳过，不评价", BTN_SECONDARY, true)) {
		a->s.rate_level = 0;
		kapp_wipe(a->s.rate_case, sizeof a->s.rate_case);
		app_back(a);
	}
}
