/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scr_reprint.c — 补打回执: asks for the ID card; the card event lists own cases. */
#include "app.h"

void scr_reprint(struct app *a)
{
	struct ui *ui = &a->ui;
	app_chrome(a, "补打受理回执");
	a->s.reprint_mode = true;
	int top = app_content_top(a) + 40, w = ui->w - 80;
	int y = top + ui_text(ui, 40, top, w, ui_title(ui), C_TEXT, TEXT_BOLD, "请把身份证放在读卡区") + 20;
	y += ui_text(ui, 40, y, w, ui_body(ui), C_TEXT, 0,
		     "核验身份后，将列出您本人名下的办件，选择办件即可补打受理通知书。身份证号码只用于本次核验，不会显示或保存。") + 40;
	/* a card on a reader, drawn */
	int cw = ui->w / 2, ch = cw * 54 / 86, cx = (ui->w - cw) / 2;
	ui_fill(ui, (SDL_Rect){cx - 40, y + ch / 2, cw + 80, ch}, C_BAR);
	ui_fill(ui, (SDL_Rect){cx, y, cw, ch}, C_CARD);
	ui_frame(ui, (SDL_Rect){cx, y, cw, ch}, C_PRIMARY, 4);
	ui_fill(ui, (SDL_Rect){cx + cw - cw / 3, y + 30, cw / 4, ch / 2}, C_LINE);
	for (int i = 0; i < 4; i++)
		ui_fill(ui, (SDL_Rect){cx + 30, y + 40 + i * 50, cw / 2, 16}, C_LINE);
	y += ch + ch / 2 + 40;
	if (!a->dev.reader)
		ui_text(ui, 40, y, w, ui_body(ui), C_DANGER, TEXT_BOLD,
			"× 读卡器暂不可用，不能补打回执。请到服务窗口办理，或返回使用办件编号查询进度。");
	else if (a->dev.reader_state != DEV_OK)
		ui_text(ui, 40, y, w, ui_body(ui), C_ACCENT, TEXT_BOLD, "▲ 读卡器状态异常，如无法读卡请联系工作人员。");
}
