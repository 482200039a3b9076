/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* scr_guide.c — a guide's detail page with every element; prints the materials checklist. */
#include <stdio.h>
#include <string.h>
#include "app.h"

struct flow {
	struct app *a;
	int x, y, w;       /* y: running position in content coordinates */
	int off, vy, vh;   /* scroll offset and viewport */
	bool draw;
};

/* Draws (or measures) a paragraph, skipping ones outside the viewport. */
static void para(struct flow *f, int size, uint32_t rgb, int flags, const char *s, int indent)
{
	struct ui *ui = &f->a->ui;
	int h = text_draw(ui->text, 0, 0, f->w - indent, size, rgb, flags, s, false, 0);
	int sy = f->vy + f->y - f->off;
	if (f->draw && sy + h >= f->vy && sy <= f->vy + f->vh)
		text_draw(ui->text, f->x + indent, sy, f->w - indent, size, rgb, flags, s, true, 0);
	f->y += h;
}

static void heading(struct flow *f, const char *s)
{
	struct ui *ui = &f->a->ui;
	f->y += 24;
	int sy = f->vy + f->y - f->off;
	if (f->draw && sy + 60 >= f->vy && sy <= f->vy + f->vh)
		ui_fill(ui, (SDL_Rect){f->x, sy + 6, 8, text_line_height(ui_body(ui)) - 12}, C_PRIMARY);
	struct flow g = *f;
	g.x += 24;
	g.w -= 24;
	para(&g, ui_body(ui) + 4, C_PRIMARY, TEXT_BOLD, s, 0);
	f->y = g.y + 6;
}

static void kv(struct flow *f, const char *k, const char *v)
{
	char buf[1200];
	snprintf(buf, sizeof buf, "%s：%s", k, v && *v ? v : "—");
	para(f, ui_body(&f->a->ui), C_TEXT, 0, buf, 0);
}

/* part 1: what to bring (title, conditions, materials); part 2: how it goes
 * (steps, limits and fees, place, the rest); 0: both in one column. */
static int body(struct app *a, const struct kapp_guide *g, struct flow *f, int part)
{
	struct ui *ui = &a->ui;
	int bs = ui_body(ui);
	char buf[1200], lim[64];
	f->y = 0;
	if (part == 2)
		goto how;
	para(f, ui_title(ui), C_TEXT, TEXT_BOLD, g->name, 0);
	snprintf(buf, sizeof buf, "%s　·　%s　·　%s", g->department, g->type[0] ? g->type : "政务服务",
		 g->case_class[0] ? g->case_class : "—");
	para(f, bs, C_MUTED, 0, buf, 0);
	heading(f, "受理条件");
	for (int i = 0; i < g->n_conditions; i++) {
		snprintf(buf, sizeof buf, "%d. %s", i + 1, g->conditions[i]);
		para(f, bs, C_TEXT, 0, buf, 0);
	}
	if (!g->n_conditions)
		para(f, bs, C_TEXT, 0, "无特别条件", 0);
	snprintf(buf, sizeof buf, "申请材料（共 %d 项）", g->n_materials);
	heading(f, buf);
	for (int i = 0; i < g->n_materials; i++) {
		const struct kapp_material *m = &g->materials[i];
		snprintf(buf, sizeof buf, "%d. %s", i + 1, m->name);
		para(f, bs, C_TEXT, TEXT_BOLD, buf, 0);
		snprintf(buf, sizeof buf, "%s · %d 份 · %s%s%s", m->form[0] ? m->form : "原件", m->copies,
			 m->required ? "必要" : "非必要（视情况提供）", m->note[0] ? " · " : "", m->note);
		para(f, bs, C_MUTED, 0, buf, 40);
		f->y += 8;
	}
	if (part == 1)
		return f->y + 40;
how:
	heading(f, "办理流程");
	for (int i = 0; i < g->n_steps; i++) {
		snprintf(buf, sizeof buf, "第 %d 步　%s", i + 1, g->steps[i]);
		para(f, bs, C_TEXT, 0, buf, 0);
	}
	heading(f, "时限与收费");
	kv(f, "办件类型", g->case_class);
	kapp_limit_format(&g->legal, lim, sizeof lim);
	kv(f, "法定办结时限", lim);
	kapp_limit_format(&g->promised, lim, sizeof lim);
	kv(f, "承诺办结时限", lim);
	if (g->fee_free || !g->n_fees) {
		kv(f, "收费", "不收费");
	} else {
		for (int i = 0; i < g->n_fees; i++) {
			snprintf(buf, sizeof buf, "%s %s（依据：%s）", g->fees[i].name, g->fees[i].amount,
				 g->fees[i].basis);
			kv(f, "收费", buf);
		}
	}
	snprintf(buf, sizeof buf, "%d 次", g->visits < 0 ? 1 : g->visits);
	kv(f, "到现场次数", buf);
	heading(f, "办理地点与咨询");
	kv(f, "办理地点", g->place);
	kv(f, "办理时间", g->hours);
	kv(f, "咨询电话", g->phone);
	kv(f, "监督投诉电话", g->complaint_phone);
	kv(f, "网上办理地址", g->online_url);
	heading(f, "其他");
	kv(f, "设定依据", g->basis);
	kv(f, "实施主体", g->department);
	kv(f, "事项编码", g->code);
	f->y += 40;
	return f->y;
}

void scr_guide(struct app *a)
{
	struct ui *ui = &a->ui;
	if (!a->cat || a->s.guide < 0 || (size_t)a->s.guide >= a->cat->n) {
		app_back(a);
		return;
	}
	const struct kapp_guide *g = &a->cat->guides[a->s.guide];
	app_chrome(a, "办事指南详情");
	int top = app_content_top(a), bottom = app_content_bottom(a);
	int act_h = ui_button_h(ui) + 40;
	char why[200];
	bool can = dev_can_print(a, why, sizeof why);
	int why_h = can ? 0 : text_line_height(ui_small(ui)) + 8;
	SDL_Rect view = {40, top + 10, ui->w - 80, bottom - top - act_h - why_h - 20};
	/* landscape: two columns side by side, scrolled together */
	bool land = ui->w > ui->h;
	int cols = land ? 2 : 1, gap = 60, cw = (view.w - 30 - (cols - 1) * gap) / cols;
	static int cached_h, cached_guide = -1, cached_large = -1, cached_w;
	if (cached_guide != a->s.guide || cached_large != ui->large || cached_w != view.w) {
		cached_h = 0;
		for (int c = 0; c < cols; c++) {
			struct flow m = {a, view.x + c * (cw + gap), 0, cw, 0, view.y, view.h, false};
			int h = body(a, g, &m, land ? c + 1 : 0);
			if (h > cached_h)
				cached_h = h;
		}
		cached_guide = a->s.guide;
		cached_large = ui->large;
		cached_w = view.w;
	}
	int off = ui_scroll(ui, view, cached_h);
	ui_clip(ui, &view);
	for (int c = 0; c < cols; c++) {
		struct flow f = {a, view.x + c * (cw + gap), 0, cw, off, view.y, view.h, true};
		body(a, g, &f, land ? c + 1 : 0);
	}
	if (land)
		ui_fill(ui, (SDL_Rect){view.x + cw + gap / 2, view.y, 2, view.h}, C_LINE);
	ui_region(ui, "guide-scroll", view, true);
	ui_clip(ui, NULL);
	/* scroll position, in words and a bar (not colour alone) */
	if (cached_h > view.h) {
		int bh = view.h * view.h / cached_h, by = view.y + (int)((long)(view.h - bh) * off / (cached_h - view.h));
		ui_fill(ui, (SDL_Rect){ui->w - 30, view.y, 10, view.h}, C_LINE);
		ui_fill(ui, (SDL_Rect){ui->w - 30, by, 10, bh}, C_PRIMARY);
	}
	int y = bottom - act_h - why_h + 10;
	if (!can)
		y += ui_text(ui, 40, y, ui->w - 80, ui_small(ui), a->dev.jobs_pending ? C_PRIMARY : C_DANGER,
			     TEXT_BOLD, why) + 8; /* printing is news, not trouble */
	if (ui_button(ui, "print-checklist", (SDL_Rect){40, y, ui->w - 80, ui_button_h(ui)},
		      can ? "打印材料清单（带二维码）" : "打印材料清单（暂不可用）", BTN_PRIMARY, can)) {
		kiosk_receipt *r = rcpt_checklist(a, g);
		if (r) {
			dev_print(a, r, PRINT_CHECKLIST, NULL);
			kiosk_receipt_free(r);
		}
	}
}
