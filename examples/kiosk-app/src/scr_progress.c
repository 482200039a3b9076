/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scr_progress.c — progress query: numeric keypad, QR scan and ID card. */
#include <stdio.h>
#include <string.h>
#include "app.h"

void progress_key(struct app *a, char k);
void progress_key(struct app *a, char k)
{
	size_t n = strlen(a->s.number);
	if (k == '<') {
		if (n)
			a->s.number[n - 1] = 0;
	} else if (k == 'C') {
		kapp_wipe(a->s.number, sizeof a->s.number);
	} else if (k == '\n') {
		if (n == KAPP_CASE_DIGITS)
			app_lookup_number(a, a->s.number);
	} else if (k >= '0' && k <= '9' && n < KAPP_CASE_DIGITS) {
		a->s.number[n] = k;
		a->s.number[n + 1] = 0;
	}
	a->dirty = true;
}

void scr_progress(struct app *a)
{
	struct ui *ui = &a->ui;
	app_chrome(a, "办件进度查询");
	bool land = ui->w > ui->h;
	int top = app_content_top(a) + 24, bottom = app_content_bottom(a) - 20;
	int bs = ui_body(ui);
	int lw = land ? ui->w / 2 - 60 : ui->w - 80;
	int y = top;
	y += ui_text(ui, 40, y, lw, ui_title(ui), C_TEXT, TEXT_BOLD, "三种方式任选其一：") + 10;
	static const char *const ways[] = {
		NULL, /* ① depends on where the keypad is */
		"② 把受理回执上的二维码对准扫码口",
		"③ 把身份证放在读卡区，查询本人全部办件"};
	for (int i = 0; i < 3; i++) {
		bool ok = i == 0 || (i == 1 ? a->dev.scanner != NULL : a->dev.reader != NULL);
		char buf[200];
		const char *way = ways[i] ? ways[i]
					  : land ? "① 在右侧键盘输入受理回执上的 14 位办件编号"
						 : "① 在下方键盘输入受理回执上的 14 位办件编号";
		snprintf(buf, sizeof buf, "%s%s", way, ok ? "" : (i == 1 ? "（扫码器暂不可用）" : "（读卡器暂不可用）"));
		y += ui_text(ui, 40, y, lw, bs, ok ? C_TEXT : C_MUTED, 0, buf) + 6;
	}
	y += 20;
	/* number display */
	int kx = land ? ui->w / 2 + 20 : 40, kw = land ? ui->w / 2 - 60 : ui->w - 80;
	int ky = land ? top : y;
	int dh = ui->large ? 130 : 116;
	ui_fill(ui, (SDL_Rect){kx, ky, kw, dh}, C_CARD);
	ui_frame(ui, (SDL_Rect){kx, ky, kw, dh}, C_PRIMARY, 3);
	ui_region(ui, "number-box", (SDL_Rect){kx, ky, kw, dh}, true);
	char shown[sizeof a->s.number + 32];
	size_t nd = strlen(a->s.number);
	if (nd)
		snprintf(shown, sizeof shown, "%s（%zu/%d 位）", a->s.number, nd, KAPP_CASE_DIGITS);
	else
		snprintf(shown, sizeof shown, "请输入 %d 位办件编号", KAPP_CASE_DIGITS);
	text_draw(ui->text, kx + 20, ky + (dh - text_line_height(bs + 14)) / 2, kw - 40, bs + 14,
		  a->s.number[0] ? C_TEXT : C_MUTED, TEXT_BOLD | TEXT_CENTER, shown, true, 1);
	ky += dh + 20;
	int qh = ui_button_h(ui);
	int pad_h = bottom - ky - qh - 20;
	int kh = (pad_h - 3 * 12) / 4, kwid = (kw - 2 * 12) / 3;
	if (kh > 150)
		kh = 150;
	static const char keys[12] = {'1', '2', '3', '4', '5', '6', '7', '8', '9', 'C', '0', '<'};
	for (int i = 0; i < 12; i++) {
		char id[16], lab[16];
		snprintf(id, sizeof id, "num-%c", keys[i] == '<' ? 'b' : keys[i] == 'C' ? 'c' : keys[i]);
		snprintf(lab, sizeof lab, "%s", keys[i] == '<' ? "← 退格" : keys[i] == 'C' ? "清除" : (char[]){keys[i], 0});
		SDL_Rect r = {kx + (i % 3) * (kwid + 12), ky + (i / 3) * (kh + 12), kwid, kh};
		bool digit = keys[i] >= '0' && keys[i] <= '9';
		if (ui_button(ui, id, r, lab, digit ? BTN_KEY : BTN_SECONDARY,
			      digit ? nd < KAPP_CASE_DIGITS : nd > 0))
			progress_key(a, keys[i]);
	}
	ky += 4 * (kh + 12) + 8;
	bool ready = nd == KAPP_CASE_DIGITS && !a->s.busy;
	if (ui_button(ui, "query", (SDL_Rect){kx, ky, kw, qh}, "查询进度", BTN_PRIMARY, ready))
		app_lookup_number(a, a->s.number);
}
