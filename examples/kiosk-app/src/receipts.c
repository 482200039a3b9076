/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* receipts.c — kiosk_receipt documents: materials checklist, progress slip, acceptance receipt. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "app.h"

static void text(kiosk_receipt *r, const char *s, int size, bool bold, enum kiosk_align al)
{
	struct kiosk_text_style st = {.size = sizeof(struct kiosk_text_style), .align = al, .bold = bold, .width = (uint8_t)size, .height = (uint8_t)size};
	kiosk_receipt_add_text(r, s, &st);
}

static void line(kiosk_receipt *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(kiosk_receipt *r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	kiosk_receipt_add_text(r, buf, NULL);
}

static const char *hall(struct app *a)
{
	if (a->cfg.hall_name[0])
		return a->cfg.hall_name;
	return a->cat && a->cat->hall_name[0] ? a->cat->hall_name : "政务服务中心";
}

static void footer(struct app *a, kiosk_receipt *r)
{
	char ts[40];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%d %H:%M", &tm);
	kiosk_receipt_add_rule(r);
	line(r, "打印时间：%s", ts);
	line(r, "%s 自助服务终端", hall(a));
	kiosk_receipt_add_feed(r, 2);
	kiosk_receipt_add_cut(r, true);
}

static kiosk_receipt *start(struct app *a, const char *title)
{
	kiosk_receipt *r = NULL;
	if (kiosk_receipt_new(&r))
		return NULL;
	if (a->cfg.printer_profile[0])
		kiosk_receipt_set_profile(r, a->cfg.printer_profile);
	text(r, hall(a), 1, false, KIOSK_ALIGN_CENTER);
	text(r, title, 2, true, KIOSK_ALIGN_CENTER);
	kiosk_receipt_add_rule(r);
	return r;
}

kiosk_receipt *rcpt_checklist(struct app *a, const struct kapp_guide *g)
{
	kiosk_receipt *r = start(a, "材料清单（一次性告知）");
	if (!r)
		return NULL;
	char lim[64], lim2[64];
	text(r, g->name, 1, true, KIOSK_ALIGN_LEFT);
	line(r, "实施主体：%s", g->department);
	line(r, "事项编码：%s", g->code);
	if (g->type[0])
		line(r, "事项类型：%s　办件类型：%s", g->type, g->case_class);
	kapp_limit_format(&g->legal, lim, sizeof lim);
	kapp_limit_format(&g->promised, lim2, sizeof lim2);
	line(r, "法定时限：%s　承诺时限：%s", lim, lim2);
	if (g->fee_free || !g->n_fees) {
		line(r, "收费：不收费");
	} else {
		for (int i = 0; i < g->n_fees; i++)
			line(r, "收费：%s %s", g->fees[i].name, g->fees[i].amount);
	}
	if (g->visits >= 0)
		line(r, "到现场次数：%d 次", g->visits);
	kiosk_receipt_add_rule(r);
	text(r, "申请材料", 1, true, KIOSK_ALIGN_LEFT);
	for (int i = 0; i < g->n_materials; i++) {
		const struct kapp_material *m = &g->materials[i];
		line(r, "□ %d. %s（%s，%d 份，%s）%s%s", i + 1, m->name, m->form[0] ? m->form : "原件",
		     m->copies, m->required ? "必要" : "非必要，视情况提供", m->note[0] ? "　" : "",
		     m->note);
	}
	kiosk_receipt_add_rule(r);
	line(r, "办理地点：%s", g->place);
	line(r, "办理时间：%s", g->hours);
	line(r, "咨询电话：%s　监督投诉：%s", g->phone, g->complaint_phone);
	kiosk_receipt_add_feed(r, 1);
	const char *url = g->online_url[0] ? g->online_url : NULL;
	char buf[512];
	if (!url) {
		snprintf(buf, sizeof buf, "%s%s", a->cfg.online_base, g->code);
		url = buf;
	}
	kiosk_receipt_add_qr(r, url, 6, 'M');
	text(r, "扫码查看网上办事指南", 1, false, KIOSK_ALIGN_CENTER);
	footer(a, r);
	return r;
}

void case_deadline_text(struct app *a, const struct kapp_case *c, char *out, size_t len, int *kind)
{
	struct kapp_deadline d;
	kapp_case_deadline(c, &a->cal, a->today, &d);
	const char *unit = c->limit.working ? "个工作日" : "天";
	char due[11] = "";
	if (d.due >= 0)
		kapp_day_format(d.due, due);
	*kind = 3;
	if (!d.applies) {
		if (c->state == KAPP_REJECTED) {
			snprintf(out, len, "不予受理，不计算办理时限");
			*kind = 2;
		} else if (c->state == KAPP_RECEIVED) {
			snprintf(out, len, "已收件，待受理后开始计算办理时限");
		} else {
			snprintf(out, len, "即办件，当场办结");
		}
	} else if (d.finished) {
		char fd[11];
		kapp_day_format(d.finished_day, fd);
		if (d.remaining >= 0) {
			snprintf(out, len, "已于 %s 作出决定，用时 %d %s（承诺 %d %s），按时办结", fd, d.used,
				 unit, c->limit.days, unit);
			*kind = 0;
		} else {
			snprintf(out, len, "已于 %s 作出决定，用时 %d %s，超出承诺时限 %d %s", fd, d.used,
				 unit, -d.remaining, unit);
			*kind = 1;
		}
	} else if (d.paused) {
		snprintf(out, len, "办理时限暂停计算（%s中），已用 %d %s，剩余 %d %s",
			 c->state == KAPP_SUPPLEMENT ? "补齐补正" : "特别程序", d.used, unit,
			 d.remaining > 0 ? d.remaining : 0, unit);
		*kind = 1;
	} else if (d.remaining >= 0) {
		snprintf(out, len, "剩余 %d %s，承诺 %s 前办结%s", d.remaining, unit, due,
			 d.suspended ? "（已扣除暂停计算的天数）" : "");
		*kind = 0;
	} else {
		snprintf(out, len, "已超期 %d %s（承诺 %s 前办结），可拨打监督电话 12345", -d.remaining,
			 unit, due);
		*kind = 2;
	}
}

kiosk_receipt *rcpt_progress(struct app *a, const struct kapp_case *c)
{
	kiosk_receipt *r = start(a, "办件进度查询单");
	if (!r)
		return NULL;
	char dl[256], day[11];
	int kind;
	line(r, "办件编号：%s", c->number);
	line(r, "事项名称：%s", c->guide_name);
	line(r, "承办部门：%s", c->department);
	line(r, "申请人：%s（%s）", c->applicant, c->id_mask);
	text(r, "当前状态：", 1, false, KIOSK_ALIGN_LEFT);
	text(r, kapp_state_label(c->state), 2, true, KIOSK_ALIGN_LEFT);
	if (c->accepted >= 0) {
		kapp_day_format(c->accepted, day);
		line(r, "受理日期：%s", day);
	}
	case_deadline_text(a, c, dl, sizeof dl, &kind);
	line(r, "办理时限：%s", dl);
	if (c->state == KAPP_SUPPLEMENT && c->n_missing) {
		kiosk_receipt_add_rule(r);
		text(r, "需补齐补正的材料（一次性告知）", 1, true, KIOSK_ALIGN_LEFT);
		for (size_t i = 0; i < c->n_missing; i++)
			line(r, "□ %zu. %s", i + 1, c->missing[i]);
	}
	kiosk_receipt_add_rule(r);
	text(r, "办理过程", 1, true, KIOSK_ALIGN_LEFT);
	for (size_t i = 0; i < c->n_steps; i++)
		line(r, "%s　%s　%s", c->steps[i].time, kapp_state_label(c->steps[i].state),
		     c->steps[i].note ? c->steps[i].note : "");
	kiosk_receipt_add_feed(r, 1);
	char url[300];
	snprintf(url, sizeof url, "%s%s", a->cfg.case_url, c->number);
	kiosk_receipt_add_qr(r, url, 6, 'M');
	text(r, "扫码可再次查询本办件进度", 1, false, KIOSK_ALIGN_CENTER);
	footer(a, r);
	return r;
}

kiosk_receipt *rcpt_acceptance(struct app *a, const struct kapp_case *c)
{
	kiosk_receipt *r = start(a, "受理通知书（补打）");
	if (!r)
		return NULL;
	char day[11] = "", dl[256];
	int kind;
	if (c->accepted >= 0)
		kapp_day_format(c->accepted, day);
	line(r, "%s：", c->applicant);
	if (c->accepted >= 0)
		line(r, "　　您申请的“%s”事项，本机关已于 %s 受理。", c->guide_name, day);
	else
		line(r, "　　您申请的“%s”事项，本机关已收到申请材料。", c->guide_name);
	line(r, "办件编号：%s", c->number);
	line(r, "承办部门：%s", c->department);
	line(r, "办件类型：%s", c->class_name);
	case_deadline_text(a, c, dl, sizeof dl, &kind);
	line(r, "办理时限：%s", dl);
	kiosk_receipt_add_feed(r, 1);
	kiosk_receipt_add_qr(r, c->number, 6, 'M');
	text(r, "凭此码可在自助终端扫码查询进度", 1, false, KIOSK_ALIGN_CENTER);
	footer(a, r);
	return r;
}

kiosk_receipt *rcpt_test(struct app *a)
{
	kiosk_receipt *r = start(a, "打印测试");
	if (!r)
		return NULL;
	line(r, "中文：政务服务 一次性告知 办件进度");
	line(r, "ASCII: 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	kiosk_receipt_add_columns(r, "左对齐", "右对齐", NULL);
	kiosk_receipt_add_qr(r, "libkiosk test print", 5, 'M');
	footer(a, r);
	return r;
}
