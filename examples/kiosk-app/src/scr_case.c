/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scr_case.c — one case: state, deadline (working days, suspensions), missing
 * materials, timeline; prints a progress slip or (after an ID check) the
 * acceptance receipt. */
#include <stdio.h>
#include <string.h>
#include "app.h"

void state_badge(struct app *a, int x, int y, int size, const struct kapp_case *c);

static bool is_own(struct app *a, const struct kapp_case *c)
{
	if (!a->s.holder_verified)
		return false;
	for (size_t i = 0; i < a->s.n_cases; i++)
		if (!strcmp(a->s.cases[i]->number, c->number))
			return true;
	return false;
}

static int content(struct app *a, const struct kapp_case *c, int x, int y0, int w, bool draw)
{
	struct ui *ui = &a->ui;
	int bs = ui_body(ui), ss = ui_small(ui), y = y0;
	char buf[512], day[11];
#define P(size, col, fl, s) y += text_draw(ui->text, x, y, w, size, col, fl, s, draw, 0)
	P(ui_title(ui), C_TEXT, TEXT_BOLD, c->guide_name);
	snprintf(buf, sizeof buf, "办件编号：%s", c->number);
	P(bs, C_TEXT, 0, buf);
	snprintf(buf, sizeof buf, "承办部门：%s　办件类型：%s", c->department, c->class_name);
	P(bs, C_TEXT, 0, buf);
	snprintf(buf, sizeof buf, "申请人：%s（%s）", c->applicant, c->id_mask);
	P(bs, C_TEXT, 0, buf);
	y += 14;
	P(bs, C_MUTED, 0, "当前状态");
	if (draw)
		state_badge(a, x, y, bs + 6, c);
	y += text_line_height(bs + 6) + 24;
	int kind;
	case_deadline_text(a, c, buf, sizeof buf, &kind);
	if (c->accepted >= 0) {
		kapp_day_format(c->accepted, day);
		char l2[80];
		kapp_limit_format(&c->limit, l2, sizeof l2);
		char t[200];
		snprintf(t, sizeof t, "受理日期：%s　承诺时限：%s", day, l2);
		P(bs, C_TEXT, 0, t);
	}
	static const char *const sym[] = {"✓ ", "▲ ", "× ", "● "};
	static const uint32_t col[] = {C_OK, C_ACCENT, C_DANGER, C_PRIMARY};
	char t2[600];
	snprintf(t2, sizeof t2, "%s%s", sym[kind & 3], buf);
	P(bs, col[kind & 3], TEXT_BOLD, t2);
	if (c->result && c->result[0]) {
		snprintf(buf, sizeof buf, "办理结果：%s", c->result);
		P(bs, C_TEXT, 0, buf);
	}
	if (c->state == KAPP_SUPPLEMENT) {
		y += 16;
		P(bs + 2, C_ACCENT, TEXT_BOLD, "▲ 需要补齐补正的材料（一次性告知）");
		for (size_t i = 0; i < c->n_missing; i++) {
			snprintf(buf, sizeof buf, "%zu. %s", i + 1, c->missing[i]);
			P(bs, C_TEXT, 0, buf);
		}
		if (!c->n_missing)
			P(bs, C_TEXT, 0, "请按窗口出具的补正告知书补齐材料。");
		P(ss, C_MUTED, 0, "补齐补正期间不计入办理时限。请携带以上材料到原受理窗口提交。");
	}
	y += 20;
	P(bs + 2, C_PRIMARY, TEXT_BOLD, "办理过程");
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct kapp_step *s = &c->steps[i];
		bool last = i + 1 == c->n_steps;
		int lh = text_line_height(bs);
		if (draw) {
			/* timeline: a filled square per step, a line between, the last one larger */
			ui_fill(ui, (SDL_Rect){x + 12, y + lh / 2, 4, lh * 2}, i + 1 < c->n_steps ? C_LINE : C_BG);
			int m = last ? 28 : 20;
			ui_fill(ui, (SDL_Rect){x + 14 - m / 2, y + lh / 2 - m / 2, m, m}, last ? C_PRIMARY : C_MUTED);
		}
		snprintf(buf, sizeof buf, "%s　%s%s", kapp_state_label(s->state), s->time, last ? "（当前）" : "");
		y += text_draw(ui->text, x + 50, y, w - 50, bs, C_TEXT, last ? TEXT_BOLD : 0, buf, draw, 0);
		if (s->note && s->note[0])
			y += text_draw(ui->text, x + 50, y, w - 50, ss, C_MUTED, 0, s->note, draw, 0);
		y += 10;
	}
#undef P
	return y - y0 + 30;
}

void scr_case(struct app *a)
{
	struct ui *ui = &a->ui;
	const struct kapp_case *c = a->s.cur;
	if (!c) {
		app_back(a);
		return;
	}
	app_chrome(a, "办件进度");
	int top = app_content_top(a) + 10, bottom = app_content_bottom(a);
	int bh = ui_button_h(ui), act_h = bh + 40;
	char why[200];
	bool can = dev_can_print(a, why, sizeof why);
	int why_h = can ? 0 : text_line_height(ui_small(ui)) + 8;
	SDL_Rect view = {40, top, ui->w - 80, bottom - top - act_h - why_h - 10};
	int h = content(a, c, 0, 0, view.w, false);
	int off = ui_scroll(ui, view, h);
	ui_clip(ui, &view);
	content(a, c, view.x, view.y - off, view.w, true);
	ui_region(ui, "case-scroll", view, true);
	ui_clip(ui, NULL);
	int y = bottom - act_h - why_h + 10;
	if (!can)
		y += ui_text(ui, 40, y, ui->w - 80, ui_small(ui), a->dev.jobs_pending ? C_PRIMARY : C_DANGER,
			     TEXT_BOLD, why) + 8; /* printing is news, not trouble */
	int bw = (ui->w - 100) / 2;
	if (ui_button(ui, "print-progress", (SDL_Rect){40, y, bw, bh}, "打印进度单", BTN_PRIMARY, can)) {
		kiosk_receipt *r = rcpt_progress(a, c);
		if (r) {
			dev_print(a, r, PRINT_PROGRESS, c->number);
			kiosk_receipt_free(r);
		}
		return;
	}
	bool accepted = c->accepted >= 0 && c->state != KAPP_REJECTED;
	if (ui_button(ui, "print-acceptance", (SDL_Rect){60 + bw, y, bw, bh},
		      accepted ? "补打受理回执" : "未受理，无回执", BTN_SECONDARY, can && accepted)) {
		if (is_own(a, c)) {
			kiosk_receipt *r = rcpt_acceptance(a, c);
			if (r) {
				dev_print(a, r, PRINT_ACCEPTANCE, c->number);
				kiosk_receipt_free(r);
			}
		} else if (!a->dev.reader) {
			app_message(a, 1, "补打回执需要核验身份证，读卡器暂不可用，请到服务窗口办理。");
		} else {
			snprintf(a->s.verify_case, sizeof a->s.verify_case, "%s", c->number);
			app_message(a, 3, "请把申请人本人的身份证放在读卡区，核验后自动打印。");
		}
	}
}
