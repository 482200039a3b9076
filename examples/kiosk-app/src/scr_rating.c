/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scr_rating.c — 好差评 after a print: five levels, optional, stored locally with the case number. */
#include <stdio.h>
#include <string.h>
#include "app.h"

void scr_rating(struct app *a)
{
	struct ui *ui = &a->ui;
	app_chrome(a, "服务评价");
	int top = app_content_top(a) + 40, w = ui->w - 80;
	int y = top + ui_text(ui, 40, top, w, ui_title(ui), C_TEXT, TEXT_BOLD, "请对本次服务进行评价（可选）");
	char sub[120];
	snprintf(sub, sizeof sub, "办件编号 %s", a->s.rate_case);
	y += ui_text(ui, 40, y + 10, w, ui_body(ui), C_MUTED, 0, sub) + 40;
	static const char *const marks[5] = {"★★★★★", "★★★★", "★★★", "★★", "★"};
	int bh = ui->large ? 150 : 130;
	for (int lvl = 5; lvl >= 1; lvl--) {
		char id[16], lab[96];
		snprintf(id, sizeof id, "rate-%d", lvl);
		snprintf(lab, sizeof lab, "%s　%s", kapp_rating_labels[lvl - 1], marks[5 - lvl]);
		if (ui_button(ui, id, (SDL_Rect){40, y, w, bh}, lab, lvl >= 3 ? BTN_SECONDARY : BTN_KEY, !a->s.rated)) {
			char path[600];
			kapp_mkdirs(a->cfg.state_dir);
			snprintf(path, sizeof path, "%s/ratings.jsonl", a->cfg.state_dir);
			int rc = kapp_rating_store(path, a->s.rate_case, lvl);
			if (rc)
				dev_error(a, "rating not stored in %s", path);
			a->s.rated = true;
			kapp_wipe(a->s.rate_case, sizeof a->s.rate_case);
			app_back(a);
			app_message(a, 0, "感谢您的评价！");
			return;
		}
		y += bh + 20;
	}
	if (ui_button(ui, "rate-skip", (SDL_Rect){40, y + 20, w, ui_button_h(ui)}, "跳过，不评价", BTN_SECONDARY, true)) {
		kapp_wipe(a->s.rate_case, sizeof a->s.rate_case);
		app_back(a);
	}
}
