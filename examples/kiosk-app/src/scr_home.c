/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scr_home.c — the home screen: three services, card/QR hints, hidden maintenance corner. */
#include <stdio.h>
#include "app.h"

/* A big tile: a button with a title and a line of explanation. */
static bool tile(struct app *a, const char *id, SDL_Rect r, const char *icon, const char *title,
		 const char *sub)
{
	struct ui *ui = &a->ui;
	bool hit = ui_button(ui, id, r, "", BTN_PRIMARY, true);
	text_set_label(ui->text, true);
	int ts = ui_title(ui), bs = ui_body(ui);
	int ih = text_line_height(ts * 2);
	text_draw(ui->text, r.x + 30, r.y + (r.h - ih) / 2, ts * 2 + 20, ts * 2, C_WHITE, TEXT_BOLD, icon, true, 1);
	int x = r.x + 60 + ts * 2, w = r.w - (x - r.x) - 30;
	int th = text_line_height(ts) + text_draw(ui->text, 0, 0, w, bs, C_WHITE, 0, sub, false, 3);
	int y = r.y + (r.h - th) / 2;
	y += text_draw(ui->text, x, y, w, ts, C_WHITE, TEXT_BOLD, title, true, 1);
	text_draw(ui->text, x, y, w, bs, 0xE8EEF6, 0, sub, true, 3);
	text_set_label(ui->text, false);
	return hit;
}

void scr_home(struct app *a)
{
	struct ui *ui = &a->ui;
	app_chrome(a, "自助服务终端");
	/* hidden: a 3-second press here opens the PIN pad (see app_tick) */
	ui_region(ui, "maint-corner", (SDL_Rect){0, 0, 200, app_content_top(a)}, true);
	int top = app_content_top(a) + 30, bottom = app_content_bottom(a) - 20;
	int x = 40, w = ui->w - 80;
	top += ui_text(ui, x, top, w, ui_title(ui), C_TEXT, TEXT_BOLD, "您好！请选择要办理的业务") + 20;
	if (a->cfg.banner[0]) {
		app_banner(a, x, &top, w, false);
		top += 20;
	}
	int hint_h = a->ui.large ? 330 : 280;
	int avail = bottom - top - hint_h - 40;
	bool land = ui->w > ui->h;
	int n = 3, gap = 30;
	SDL_Rect r[3];
	if (land) {
		int tw = (w - 2 * gap) / 3;
		for (int i = 0; i < n; i++)
			r[i] = (SDL_Rect){x + i * (tw + gap), top, tw, avail};
	} else {
		int th = (avail - 2 * gap) / 3;
		if (th > 360)
			th = 360;
		for (int i = 0; i < n; i++)
			r[i] = (SDL_Rect){x, top + i * (th + gap), w, th};
	}
	if (tile(a, "guides", r[0], "①", "办事指南", "查询办理条件、申请材料、流程和时限，可打印材料清单"))
		app_go(a, SCR_GUIDES);
	if (tile(a, "progress", r[1], "②", "办件进度查询", "输入办件编号、扫描回执二维码，或刷身份证查询本人办件"))
		app_go(a, SCR_PROGRESS);
	if (tile(a, "reprint", r[2], "③", "补打受理回执", "刷身份证核验本人身份后，补打受理通知书"))
		app_go(a, SCR_REPRINT);
	int hy = bottom - hint_h;
	ui_fill(ui, (SDL_Rect){x, hy, w, hint_h}, C_CARD);
	ui_frame(ui, (SDL_Rect){x, hy, w, hint_h}, C_LINE, 2);
	int y = hy + 20, bs = ui_body(ui);
	y += ui_text(ui, x + 30, y, w - 60, bs, C_TEXT, TEXT_BOLD, "也可以直接：");
	y += ui_text(ui, x + 30, y, w - 60, bs, C_TEXT, 0,
		     a->dev.reader ? "● 把身份证放在读卡区，查询本人的全部办件"
				   : "● 读卡器暂不可用：请输入办件编号查询");
	ui_text(ui, x + 30, y, w - 60, bs, C_TEXT, 0,
		a->dev.scanner ? "● 把受理回执上的二维码对准扫码口，直接查看进度"
			       : "● 扫码器暂不可用：请输入办件编号查询");
}
