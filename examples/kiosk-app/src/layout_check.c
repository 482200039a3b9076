/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * layout_check.c — the rules a laid-out screen must keep, checked by the
 * tour on every screenshot in every mode (portrait, landscape, 大字):
 *   - no text leaves its box: cut short with "…", wider than the width it
 *     was given, or past the screen's edge;
 *   - nothing overlaps a button: no other button, no text but its own label
 *     (a label must stay inside its button);
 *   - every target is at least `min_target` px in both directions (as laid
 *     out, even when a scroll area shows only part of it).
 * Pure geometry on plain boxes, so a unit test can hand it broken layouts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "core.h"

struct out {
	char *buf;
	size_t len, used;
	int problems;
};

static void problem(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct out *o, const char *fmt, ...)
{
	o->problems++;
	if (!o->buf || o->used + 1 >= o->len)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->used += (size_t)n < o->len - o->used ? (size_t)n : o->len - o->used - 1;
	if (o->used + 1 < o->len) {
		o->buf[o->used++] = '\n';
		o->buf[o->used] = 0;
	}
}

static int overlap(const struct kapp_box *a, const struct kapp_box *b)
{
	int x = (a->x > b->x ? a->x : b->x), y = (a->y > b->y ? a->y : b->y);
	int r = (a->x + a->w < b->x + b->w ? a->x + a->w : b->x + b->w);
	int d = (a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h);
	return r > x && d > y ? (r - x) * (d - y) : 0;
}

static bool inside(const struct kapp_box *in, const struct kapp_box *out)
{
	return in->x >= out->x && in->y >= out->y && in->x + in->w <= out->x + out->w &&
	       in->y + in->h <= out->y + out->h;
}

static const char *name(const struct kapp_box *b)
{
	return b->id && *b->id ? b->id : "(text)";
}

int kapp_layout_check(const struct kapp_box *b, size_t n, int screen_w, int screen_h,
		      int min_target, char *report, size_t len)
{
	struct out o = {report, len, 0, 0};
	if (report && len)
		report[0] = 0;
	for (size_t i = 0; i < n; i++) {
		const struct kapp_box *x = &b[i];
		bool text = x->kind == KAPP_BOX_TEXT || x->kind == KAPP_BOX_LABEL;
		if (text && x->cut)
			problem(&o, "text cut short: \"%s\" at %d,%d", name(x), x->x, x->y);
		if (text && x->overflow)
			problem(&o, "text wider than its box: \"%s\" at %d,%d", name(x), x->x, x->y);
		if (x->x < 0 || x->y < 0 || x->x + x->w > screen_w || x->y + x->h > screen_h)
			problem(&o, "%s \"%s\" leaves the screen: %d,%d %dx%d", text ? "text" : "target",
				name(x), x->x, x->y, x->w, x->h);
		if ((x->kind == KAPP_BOX_BUTTON || x->kind == KAPP_BOX_AREA) &&
		    (x->full_w < min_target || x->full_h < min_target))
			problem(&o, "target \"%s\" is %dx%d px (under %d)", name(x), x->full_w, x->full_h,
				min_target);
		if (x->kind != KAPP_BOX_BUTTON)
			continue;
		for (size_t k = 0; k < n; k++) {
			const struct kapp_box *y = &b[k];
			if (k == i)
				continue;
			if (y->kind == KAPP_BOX_BUTTON && k > i && overlap(x, y))
				problem(&o, "buttons \"%s\" and \"%s\" overlap", name(x), name(y));
			else if (y->kind == KAPP_BOX_TEXT && overlap(x, y))
				problem(&o, "text \"%s\" lies over button \"%s\"", name(y), name(x));
			else if (y->kind == KAPP_BOX_LABEL && overlap(x, y) && !inside(y, x))
				problem(&o, "label \"%s\" spills out of button \"%s\"", name(y), name(x));
		}
	}
	return o.problems;
}
