/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scr_cases.c — the ID-card holder's own cases (masked name and ID number only). */
#include <stdio.h>
#include "app.h"

void state_badge(struct app *a, int x, int y, int size, const struct kapp_case *c);
void state_badge(struct app *a, int x, int y, int size, const struct kapp_case *c)
{
	int kind = 3;
	switch (c->state) {
	case KAPP_COMPLETED:
	case KAPP_DELIVERED:
	case KAPP_DECIDED: kind = 0; break;
	case KAPP_SUPPLEMENT:
	case KAPP_SUSPENDED: kind = 1; break;
	case KAPP_REJECTED: kind = 2; break;
	default: kind = 3; break;
	}
	ui_badge(&a->ui, x, y, size, kind, kapp_state_label(c->state));
}

void scr_cases(struct app *a)
{
	struct ui *ui = &a->ui;
	app_chrome(a, a->s.reprint_mode ? "补打受理回执" : "我的办件");
	int top = app_content_top(a) + 20, bottom = app_content_bottom(a) - 20;
	int bs = ui_body(ui), ss = ui_small(ui), w = ui->w - 80;
	char head[200];
	snprintf(head, sizeof head, "%s（%s），共 %zu 件办件", a->s.holder_name, a->s.holder_id, a->s.n_cases);
	top += ui_text(ui, 40, top, w, bs + 4, C_TEXT, TEXT_BOLD, head) + 6;
	top += ui_text(ui, 40, top, w, ss, C_MUTED, 0,
		       a->s.reprint_mode ? "请选择要补打受理回执的办件。" : "点击办件查看进度详情。") + 10;
	if (!a->s.n_cases) {
		ui_text(ui, 40, top + 20, w, bs, C_TEXT, 0,
			"没有查到您本人名下的办件。如有疑问，请到服务窗口咨询。");
		return;
	}
	SDL_Rect view = {40, top, w, bottom - top};
	int ih = ui->large ? 200 : 176, gap = 12;
	int off = ui_scroll(ui, view, (int)a->s.n_cases * (ih + gap));
	ui_clip(ui, &view);
	for (size_t i = 0; i < a->s.n_cases; i++) {
		int y = view.y + (int)i * (ih + gap) - off;
		if (y + ih < view.y)
			continue;
		if (y > view.y + view.h)
			break;
		const struct kapp_case *c = a->s.cases[i];
		char id[32];
		snprintf(id, sizeof id, "case-%zu", i);
		bool hit = ui_button(ui, id, (SDL_Rect){40, y, w, ih}, "", BTN_KEY, true);
		text_set_label(ui->text, true);
		int yy = y + 14;
		yy += text_draw(ui->text, 60, yy, w - 40, bs, C_TEXT, TEXT_BOLD, c->guide_name, true, 1);
		char sub[160];
		snprintf(sub, sizeof sub, "办件编号 %s", c->number);
		yy += text_draw(ui->text, 60, yy, w - 40, ss, C_MUTED, 0, sub, true, 1) + 4;
		state_badge(a, 60, yy, ss, c);
		text_set_label(ui->text, false);
		if (hit) {
			if (a->s.cur_owned)
				kapp_case_free(a->s.cur);
			a->s.cur = a->s.cases[i];
			a->s.cur_owned = false;
			ui_clip(ui, NULL);
			app_go(a, SCR_CASE);
			return;
		}
	}
	ui_clip(ui, NULL);
}
