/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scr_maint.c — PIN pad, maintenance page (device states, errors, test print,
 * exit) and the 5-point touch calibration. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "app.h"

static void pin_lock_save(struct app *a)
{
	char path[600];
	snprintf(path, sizeof path, "%.560s/pin-lock.json", a->cfg.state_dir);
	if (kapp_pin_lock_save(path, &a->pin_lock))
		dev_error(a, "维护：无法保存 %s", path);
}

/* A PIN was entered: right opens maintenance; wrong counts towards the
 * lockout, which is saved at once (it outlives the session and a restart). */
static void pin_enter(struct app *a)
{
	bool ok = app_pin_ok(a, a->s.pin);
	kapp_wipe(a->s.pin, sizeof a->s.pin);
	int64_t now = (int64_t)time(NULL);
	if (ok) {
		if (a->pin_lock.fails) {
			kapp_pin_lock_reset(&a->pin_lock);
			pin_lock_save(a);
		}
		app_go(a, SCR_MAINT);
		return;
	}
	kapp_pin_lock_fail(&a->pin_lock, now, a->cfg.pin_lock_s);
	pin_lock_save(a);
	long left = kapp_pin_lock_remaining(&a->pin_lock, now);
	dev_error(a, "维护：PIN 连续输错 %d 次%s", a->pin_lock.fails, left ? "，已锁定" : "");
	if (left)
		app_message(a, 2, "PIN 不正确。维护已锁定 %ld 秒。", left);
	else
		app_message(a, 2, "PIN 不正确。");
}

void scr_pin(struct app *a)
{
	struct ui *ui = &a->ui;
	app_chrome(a, "维护：请输入 PIN");
	int top = app_content_top(a) + 40, w = ui->w - 80;
	if (!a->cfg.pin_hash[0]) {
		/* no default PIN: staff set one from the command line */
		ui_text(ui, 40, top, w, ui_body(ui), C_TEXT, 0,
			"未设置维护 PIN，维护页面暂不可用。\n请工作人员在本机命令行运行 kiosk-app --hash-pin，"
			"输入新的 PIN，把输出的 pin_hash 一行写入配置文件（/etc/libkiosk/kiosk-app.conf），"
			"然后重新启动本程序。");
		return;
	}
	long locked = kapp_pin_lock_remaining(&a->pin_lock, (int64_t)time(NULL));
	char dots[40] = "", lockmsg[120];
	size_t n = strlen(a->s.pin);
	for (size_t i = 0; i < n && i < 12; i++)
		strcat(dots, "● ");
	if (locked)
		snprintf(lockmsg, sizeof lockmsg, "维护已锁定，请 %ld 秒后再试", locked);
	ui_fill(ui, (SDL_Rect){40, top, w, 120}, C_CARD);
	ui_frame(ui, (SDL_Rect){40, top, w, 120}, locked ? C_DANGER : C_PRIMARY, 3);
	text_draw(ui->text, 40, top + 30, w, ui_body(ui), C_TEXT, TEXT_CENTER,
		  locked ? lockmsg : n ? dots : "维护人员专用", true, 1);
	int y = top + 150, kw = (w - 24) / 3, kh = 130;
	static const char keys[12] = {'1', '2', '3', '4', '5', '6', '7', '8', '9', 'C', '0', 'K'};
	for (int i = 0; i < 12; i++) {
		char id[16], lab[16];
		snprintf(id, sizeof id, "pin-%c", keys[i] == 'C' ? 'c' : keys[i] == 'K' ? 'k' : keys[i]);
		snprintf(lab, sizeof lab, "%s", keys[i] == 'C' ? "清除" : keys[i] == 'K' ? "确定" : (char[]){keys[i], 0});
		if (!ui_button(ui, id, (SDL_Rect){40 + (i % 3) * (kw + 12), y + (i / 3) * (kh + 12), kw, kh}, lab,
			       keys[i] == 'K' ? BTN_PRIMARY : BTN_KEY, !locked))
			continue;
		if (keys[i] == 'C') {
			kapp_wipe(a->s.pin, sizeof a->s.pin);
		} else if (keys[i] == 'K') {
			pin_enter(a);
			return;
		} else if (n < KAPP_PIN_MAX_DIGITS) {
			a->s.pin[n] = keys[i];
			a->s.pin[n + 1] = 0;
		}
	}
}

static const char *tri(enum kiosk_tristate t)
{
	return t == KIOSK_YES ? "是" : t == KIOSK_NO ? "否" : "未知";
}

/* Paper in plain words (the library's names are for logs). */
static const char *paper_text(enum kiosk_paper_state p)
{
	switch (p) {
	case KIOSK_PAPER_OK: return "充足";
	case KIOSK_PAPER_NEAR_END: return "即将用完";
	case KIOSK_PAPER_OUT: return "用完了";
	default: return "未知";
	}
}

/* 退出程序 asks first: the page behind is modal while it does. */
static void exit_dialog(struct app *a)
{
	struct ui *ui = &a->ui;
	SDL_SetRenderDrawBlendMode(a->ren, SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(a->ren, 0, 0, 0, 150);
	SDL_RenderFillRect(a->ren, NULL);
	SDL_SetRenderDrawBlendMode(a->ren, SDL_BLENDMODE_NONE);
	ui->n_regions = 0;
	text_boxes_reset(ui->text);
	int w = ui->w - 160, bh = ui_button_h(ui) + 10, x = 80;
	int t = ui_title(ui), b = ui_body(ui);
	int h = 40 + text_line_height(t) + 20 + 2 * text_line_height(b) + 40 + bh + 40;
	int y = (ui->h - h) / 2;
	ui_fill(ui, (SDL_Rect){x, y, w, h}, C_WHITE);
	ui_frame(ui, (SDL_Rect){x, y, w, h}, C_DANGER, 6);
	int yy = y + 40;
	yy += text_draw(ui->text, x + 40, yy, w - 80, t, C_TEXT, TEXT_BOLD | TEXT_CENTER, "确定退出程序吗？", true, 0) + 20;
	text_draw(ui->text, x + 40, yy, w - 80, b, C_TEXT, TEXT_CENTER,
		  "退出后本终端停止服务，直到重新启动。", true, 0);
	int bw = (w - 120) / 2, by = y + h - bh - 40;
	if (ui_button(ui, "exit-cancel", (SDL_Rect){x + 40, by, bw, bh}, "取消，继续服务", BTN_PRIMARY, true)) {
		a->s.confirm_exit = false;
		a->dirty = true;
	} else if (ui_button(ui, "exit-confirm", (SDL_Rect){x + 80 + bw, by, bw, bh}, "确定退出", BTN_DANGER,
			     true)) {
		a->s.confirm_exit = false;
		a->quit = true;
	}
}

void scr_maint(struct app *a)
{
	struct ui *ui = &a->ui;
	struct devices *d = &a->dev;
	app_chrome(a, "维护页面");
	/* While 退出程序 asks, the page behind takes no tap: a tap meant for the
	 * dialog must not land on a page button it covers (the landscape layout
	 * puts 测试打印 right under 取消). The dialog gets the tap back below. */
	bool modal = a->s.confirm_exit, tap = ui->tap, down = ui->down;
	if (modal)
		ui->tap = ui->down = false;
	int x = 40, w = ui->w - 80, y = app_content_top(a) + 20, bs = ui_body(ui), ss = ui_small(ui);
	char buf[512];
	y += ui_text(ui, x, y, w, bs + 4, C_PRIMARY, TEXT_BOLD, "设备状态");
	snprintf(buf, sizeof buf, "读卡器：%s　%s", d->reader ? dev_state_text(d->reader_state) : "未连接",
		 d->reader ? kiosk_device_get_uri(kiosk_idcard_device(d->reader)) : a->cfg.idcard);
	y += ui_text(ui, x, y, w, ss, C_TEXT, 0, buf);
	if (d->printer) {
		snprintf(buf, sizeof buf, "打印机：%s　%s　型号配置 %s", d->printer_msg,
			 kiosk_device_get_uri(kiosk_printer_device(d->printer)),
			 kiosk_printer_get_profile_name(d->printer));
		y += ui_text(ui, x, y, w, ss, C_TEXT, 0, buf);
		snprintf(buf, sizeof buf, "　纸张：%s　盖板打开：%s　在线：%s　已打印 %llu 张，失败 %llu 次",
			 paper_text(d->pst.paper), tri(d->pst.cover_open), tri(d->pst.online),
			 (unsigned long long)d->prints_ok, (unsigned long long)d->prints_failed);
		y += ui_text(ui, x, y, w, ss, C_TEXT, 0, buf);
	} else {
		snprintf(buf, sizeof buf, "打印机：未连接（配置：%s）", a->cfg.printer[0] ? a->cfg.printer : "无");
		y += ui_text(ui, x, y, w, ss, C_TEXT, 0, buf);
	}
	snprintf(buf, sizeof buf, "扫码器：%s　%s", d->scanner ? dev_state_text(d->scanner_state) : "未连接",
		 d->scanner ? kiosk_device_get_uri(kiosk_scanner_device(d->scanner)) : a->cfg.scanner);
	y += ui_text(ui, x, y, w, ss, C_TEXT, 0, buf);
	snprintf(buf, sizeof buf, "后台：%s　指南 %zu 项　软件版本 %s　已缓存字形 %zu 个（%.1f MB）　缺字 %zu 个　触摸校准：%s",
		 !a->backend ? "无" : !strcmp(a->backend->name, "http") ? "联网服务" : "本机数据",
		 a->cat ? a->cat->n : 0, kiosk_version(),
		 text_cached_glyphs(ui->text), text_cached_bytes(ui->text) / 1048576.0, text_missing_glyphs(ui->text),
		 a->calib_loaded ? "已加载" : "未校准");
	y += ui_text(ui, x, y, w, ss, C_TEXT, 0, buf) + 10;
	y += ui_text(ui, x, y, w, bs + 4, C_PRIMARY, TEXT_BOLD, "最近错误");
	if (!d->n_errors)
		y += ui_text(ui, x, y, w, ss, C_MUTED, 0, "无");
	int bh = ui_button_h(ui), bw = (w - 20) / 2;
	int by = app_content_bottom(a) - 3 * bh - 80;
	/* newest first, with their time, as many as fit above the buttons */
	for (int i = 0; i < d->n_errors && i < 8 && y + 2 * text_line_height(ss) < by - 10; i++) {
		int k = (d->err_head - 1 - i + 32) % 16;
		y += text_draw(ui->text, x, y, w, ss, C_TEXT, 0, d->errors[k], true, 2);
	}
	char why[200];
	bool can = dev_can_print(a, why, sizeof why);
	if (ui_button(ui, "maint-test-print", (SDL_Rect){x, by, bw, bh}, "测试打印", BTN_PRIMARY, can)) {
		kiosk_receipt *r = rcpt_test(a);
		if (r) {
			dev_print(a, r, PRINT_TEST, NULL);
			kiosk_receipt_free(r);
		}
	}
	if (ui_button(ui, "maint-calib", (SDL_Rect){x + bw + 20, by, bw, bh}, "触摸校准", BTN_SECONDARY, true)) {
		a->calib_step = 0;
		kiosk_calibration_targets(ui->w, ui->h, 0.1, a->calib_targets);
		a->calib_msg[0] = 0;
		a->calib_result = NULL;
		app_go(a, SCR_CALIB);
	}
	by += bh + 20;
	/* close and reopen every device (and fetch the catalog again) */
	if (ui_button(ui, "maint-reconnect", (SDL_Rect){x, by, bw, bh}, "重新连接设备", BTN_SECONDARY,
		      d->jobs_pending == 0)) {
		dev_reconnect(a);
		app_message(a, 3, "已重新连接设备。");
	}
	if (ui_button(ui, "maint-orient", (SDL_Rect){x + bw + 20, by, bw, bh}, "清除错误记录", BTN_SECONDARY,
		      d->n_errors > 0)) {
		d->n_errors = 0;
		d->err_head = 0;
	}
	by += bh + 20;
	if (ui_button(ui, "maint-exit", (SDL_Rect){x + bw + 20, by, bw, bh}, "退出程序", BTN_DANGER, true)) {
		a->s.confirm_exit = true;
		a->dirty = true;
	}
	if (modal) {
		ui->tap = tap;
		ui->down = down;
	}
	if (a->s.confirm_exit)
		exit_dialog(a);
}

/* Calibration: the raw (uncalibrated) normalised position of each tap is
 * recorded by main.c in a->calib_raw[a->calib_step] before the tap is seen here.
 * Steps 0-4 are the five targets; at 5 the new calibration is applied on
 * trial and must be confirmed by tapping a button within CALIB_CONFIRM_MS,
 * else the previous one comes back (a wrong calibration must never lock
 * staff out); 6 shows the outcome. */
#define CALIB_CONFIRM_MS 10000

static void calib_path(struct app *a, char *path, size_t len)
{
	if (a->cfg.calibration[0])
		snprintf(path, len, "%s", a->cfg.calibration);
	else
		snprintf(path, len, "%.560s/touch.cal", a->cfg.state_dir);
}

static void calib_save(struct app *a)
{
	char path[600], tmp[640];
	calib_path(a, path, sizeof path);
	snprintf(tmp, sizeof tmp, "%s.new", path);
	kapp_private_dir(a->cfg.state_dir);
	int rc = kiosk_calibration_save(&a->calib, tmp);
	if (rc == KIOSK_OK && kapp_file_commit(tmp, path))
		rc = KIOSK_E_IO;
	a->calib_result = "saved";
	snprintf(a->calib_msg, sizeof a->calib_msg, "校准完成，误差 %.1f 像素%s。", a->calib.rms_px,
		 rc ? "（未能保存，重启后恢复原校准）" : "，已保存");
	if (rc)
		dev_error(a, "触摸校准：无法保存 %s（%s）", path, kiosk_error_name(rc));
	a->calib_step = 6;
	app_dump_state(a);
}

void calib_revert(struct app *a)
{
	a->calib = a->calib_prev;
	a->calib_loaded = a->calib_prev_loaded;
	a->calib_result = "reverted";
	snprintf(a->calib_msg, sizeof a->calib_msg, "校准未确认，已恢复原来的校准。");
	dev_error(a, "触摸校准：%d 秒内未确认，已恢复原校准", CALIB_CONFIRM_MS / 1000);
	a->calib_step = 6;
	a->dirty = true;
	app_dump_state(a);
}

void calib_tick(struct app *a, uint32_t now)
{
	if (a->scr != SCR_CALIB || a->calib_step != 5)
		return;
	if (now - a->calib_confirm_start >= CALIB_CONFIRM_MS)
		calib_revert(a);
	else
		a->dirty = true; /* the countdown */
}

void scr_calib(struct app *a)
{
	struct ui *ui = &a->ui;
	ui_fill(ui, (SDL_Rect){0, 0, ui->w, ui->h}, C_WHITE);
	int bs = ui_body(ui);
	if (a->calib_step < 5) {
		int tx = (int)a->calib_targets[a->calib_step][0], ty = (int)a->calib_targets[a->calib_step][1];
		ui_fill(ui, (SDL_Rect){tx - 40, ty - 2, 80, 5}, C_DANGER);
		ui_fill(ui, (SDL_Rect){tx - 2, ty - 40, 5, 80}, C_DANGER);
		ui_frame(ui, (SDL_Rect){tx - 14, ty - 14, 29, 29}, C_DANGER, 3);
		char buf[128];
		snprintf(buf, sizeof buf, "触摸校准：请准确点击十字中心（第 %d / 5 点）", a->calib_step + 1);
		text_draw(ui->text, 40, ui->h / 2 - 100, ui->w - 80, bs, C_TEXT, TEXT_CENTER, buf, true, 0);
		ui_region(ui, "calib-target", (SDL_Rect){0, 0, ui->w, ui->h}, true);
		if (ui->tap) {
			ui->tap = false;
			a->calib_step++;
			if (a->calib_step == 5) {
				double m[6], rms = 0;
				int rc = kiosk_calibration_compute_n((const double(*)[2])a->calib_targets,
								     (const double(*)[2])a->calib_raw, 5, ui->w,
								     ui->h, m, &rms);
				if (rc) {
					snprintf(a->calib_msg, sizeof a->calib_msg,
						 "校准失败：%s，请重试。",
						 rc == KIOSK_E_INVALID_ARG ? "五个点太靠近或在一条线上"
									   : "无法计算校准参数");
					a->calib_result = "failed";
					a->calib_step = 6;
				} else {
					/* on trial until confirmed */
					a->calib_prev = a->calib;
					a->calib_prev_loaded = a->calib_loaded;
					kiosk_calibration_identity(&a->calib);
					memcpy(a->calib.matrix, m, sizeof m);
					a->calib.screen_w = ui->w;
					a->calib.screen_h = ui->h;
					a->calib.rms_px = rms;
					a->calib_loaded = true;
					a->calib_confirm_start = SDL_GetTicks();
					a->calib_result = "confirm";
				}
				app_dump_state(a);
			}
			a->dirty = true;
		}
		return;
	}
	if (a->calib_step == 5) {
		uint32_t gone = SDL_GetTicks() - a->calib_confirm_start;
		int left = gone >= CALIB_CONFIRM_MS ? 0 : (int)((CALIB_CONFIRM_MS - gone + 999) / 1000);
		char buf[200];
		snprintf(buf, sizeof buf, "请点击下面的按钮确认新的校准。\n%d 秒内没有确认，将恢复原来的校准。", left);
		text_draw(ui->text, 40, ui->h / 3, ui->w - 80, bs, C_TEXT, TEXT_CENTER, buf, true, 0);
		if (ui_button(ui, "calib-confirm", (SDL_Rect){ui->w / 4, ui->h / 2, ui->w / 2, ui_button_h(ui) + 40},
			      "确认校准", BTN_PRIMARY, true))
			calib_save(a);
		return;
	}
	text_draw(ui->text, 40, ui->h / 3, ui->w - 80, bs, C_TEXT, TEXT_CENTER, a->calib_msg, true, 0);
	if (ui_button(ui, "calib-done", (SDL_Rect){ui->w / 4, ui->h / 2, ui->w / 2, ui_button_h(ui)}, "完成",
		      BTN_PRIMARY, true))
		app_back(a);
}
