/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scr_attract.c — the attract screen after a long idle; any touch returns home. */
#include "app.h"

void scr_attract(struct app *a)
{
	struct ui *ui = &a->ui;
	static const char *const lines[] = {
		"触摸屏幕，开始办理", "查办事指南　查办件进度　补打回执", "把身份证放在读卡区，查询本人办件",
		"把回执二维码对准扫码口，直接查看进度"};
	ui_fill(ui, (SDL_Rect){0, 0, ui->w, ui->h}, C_BAR);
	int t = ui_title(ui) * 2;
	int y = ui->h / 3;
	y += text_draw(ui->text, 40, y, ui->w - 80, t, C_WHITE, TEXT_BOLD | TEXT_CENTER,
		       a->cat && a->cat->hall_name[0] ? a->cat->hall_name : "政务服务中心", true, 0);
	y += text_draw(ui->text, 40, y + 20, ui->w - 80, ui_title(ui), C_WHITE, TEXT_CENTER,
		       "自助服务区", true, 0) + 120;
	if (a->cfg.banner[0]) {
		y -= 60;
		app_banner(a, 40, &y, ui->w - 80, true);
		y += 60;
	}
	int k = (int)((SDL_GetTicks() / 6000) % 4);
	y += text_draw(ui->text, 40, y, ui->w - 80, ui_title(ui), 0xFFE08A, TEXT_BOLD | TEXT_CENTER, lines[k],
		       true, 0) + 80;
	/* what to do, where a visitor looks: the whole screen is the target */
	int bw = ui->w / 2, bh = ui_button_h(ui) + 40, bx = (ui->w - bw) / 2;
	ui_fill(ui, (SDL_Rect){bx, y, bw, bh}, C_WHITE);
	ui_frame(ui, (SDL_Rect){bx, y, bw, bh}, 0xFFE08A, 6);
	text_draw(ui->text, bx, y + (bh - text_line_height(ui_title(ui))) / 2, bw, ui_title(ui), C_PRIMARY,
		  TEXT_BOLD | TEXT_CENTER, "点击开始", true, 1);
	ui_region(ui, "attract", (SDL_Rect){0, 0, ui->w, ui->h}, true);
	if (ui->tap) {
		ui->tap = false;
		app_home(a);
	}
}
