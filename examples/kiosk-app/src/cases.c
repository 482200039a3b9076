/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cases.c — the case (办件) domain: states, JSON, deadlines with suspensions. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "core.h"

static const char *const keys[KAPP_N_STATES] = {
	"received", "accepted", "rejected", "review", "supplement",
	"suspended", "decided", "completed", "delivered"};
static const char *const labels[KAPP_N_STATES] = {
	"收件", "受理", "不予受理", "审查", "补齐补正", "挂起（特别程序）", "决定", "办结", "送达"};

const char *kapp_state_key(enum kapp_state s)
{
	return (unsigned)s < KAPP_N_STATES ? keys[s] : "unknown";
}

const char *kapp_state_label(enum kapp_state s)
{
	return (unsigned)s < KAPP_N_STATES ? labels[s] : "未知";
}

int kapp_state_from_key(const char *key)
{
	for (int i = 0; key && i < KAPP_N_STATES; i++)
		if (!strcmp(keys[i], key))
			return i;
	return -1;
}

static char *dup_or_empty(const cJSON *v)
{
	return strdup(cJSON_IsString(v) ? v->valuestring : "");
}

static int shifted_day(const cJSON *v, int shift)
{
	if (!cJSON_IsString(v))
		return -1;
	int d = kapp_day_parse(v->valuestring);
	return d < 0 ? -1 : d + shift;
}

struct kapp_case *kapp_case_from_json(const void *json, int shift, char *err, size_t errlen)
{
	const cJSON *o = json;
	if (!cJSON_IsObject(o)) {
		snprintf(err, errlen, "case: not an object");
		return NULL;
	}
	const cJSON *num = cJSON_GetObjectItemCaseSensitive(o, "number");
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, "state");
	if (!cJSON_IsString(num) || !*num->valuestring ||
	    strlen(num->valuestring) >= sizeof(((struct kapp_case *)0)->number)) {
		snprintf(err, errlen, "case: \"number\" missing or too long");
		return NULL;
	}
	int state = cJSON_IsString(st) ? kapp_state_from_key(st->valuestring) : -1;
	if (state < 0) {
		snprintf(err, errlen, "case %s: unknown \"state\"", num->valuestring);
		return NULL;
	}
	struct kapp_case *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	snprintf(c->number, sizeof c->number, "%s", num->valuestring);
	c->state = (enum kapp_state)state;
	c->guide_code = dup_or_empty(cJSON_GetObjectItemCaseSensitive(o, "guide_code"));
	c->guide_name = dup_or_empty(cJSON_GetObjectItemCaseSensitive(o, "guide_name"));
	c->department = dup_or_empty(cJSON_GetObjectItemCaseSensitive(o, "department"));
	c->class_name = dup_or_empty(cJSON_GetObjectItemCaseSensitive(o, "class"));
	c->result = dup_or_empty(cJSON_GetObjectItemCaseSensitive(o, "result"));
	const cJSON *ap = cJSON_GetObjectItemCaseSensitive(o, "applicant");
	c->applicant = dup_or_empty(cJSON_GetObjectItemCaseSensitive(ap, "name"));
	c->id_mask = dup_or_empty(cJSON_GetObjectItemCaseSensitive(ap, "id_mask"));
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(ap, "id_hash");
	if (cJSON_IsString(h) && strlen(h->valuestring) == 64)
		memcpy(c->id_hash, h->valuestring, 65);
	c->received = shifted_day(cJSON_GetObjectItemCaseSensitive(o, "received"), shift);
	c->accepted = shifted_day(cJSON_GetObjectItemCaseSensitive(o, "accepted"), shift);
	const cJSON *lim = cJSON_GetObjectItemCaseSensitive(o, "limit");
	const cJSON *days = cJSON_GetObjectItemCaseSensitive(lim, "days");
	const cJSON *unit = cJSON_GetObjectItemCaseSensitive(lim, "unit");
	c->limit.days = cJSON_IsNumber(days) ? days->valueint : 0;
	c->limit.working = !(cJSON_IsString(unit) && !strcmp(unit->valuestring, "natural"));
	const cJSON *susp = cJSON_GetObjectItemCaseSensitive(o, "suspensions");
	if (cJSON_IsArray(susp)) {
		c->susp = calloc((size_t)cJSON_GetArraySize(susp) + 1, sizeof *c->susp);
		const cJSON *s;
		cJSON_ArrayForEach(s, susp) {
			struct kapp_suspension *x = &c->susp[c->n_susp];
			x->from = shifted_day(cJSON_GetObjectItemCaseSensitive(s, "from"), shift);
			x->to = shifted_day(cJSON_GetObjectItemCaseSensitive(s, "to"), shift);
			if (x->from < 0)
				continue;
			x->reason = dup_or_empty(cJSON_GetObjectItemCaseSensitive(s, "reason"));
			c->n_susp++;
		}
	}
	const cJSON *miss = cJSON_GetObjectItemCaseSensitive(o, "missing");
	if (cJSON_IsArray(miss)) {
		c->missing = calloc((size_t)cJSON_GetArraySize(miss) + 1, sizeof(char *));
		const cJSON *m;
		cJSON_ArrayForEach(m, miss)
			if (cJSON_IsString(m))
				c->missing[c->n_missing++] = strdup(m->valuestring);
	}
	const cJSON *tl = cJSON_GetObjectItemCaseSensitive(o, "timeline");
	if (cJSON_IsArray(tl)) {
		c->steps = calloc((size_t)cJSON_GetArraySize(tl) + 1, sizeof *c->steps);
		const cJSON *t;
		cJSON_ArrayForEach(t, tl) {
			const cJSON *ts = cJSON_GetObjectItemCaseSensitive(t, "state");
			const cJSON *tt = cJSON_GetObjectItemCaseSensitive(t, "time");
			int sk = cJSON_IsString(ts) ? kapp_state_from_key(ts->valuestring) : -1;
			if (sk < 0 || !cJSON_IsString(tt))
				continue;
			struct kapp_step *x = &c->steps[c->n_steps++];
			x->state = (enum kapp_state)sk;
			int d = kapp_day_parse(tt->valuestring);
			if (d >= 0) {
				char ds[11];
				kapp_day_format(d + shift, ds);
				snprintf(x->time, sizeof x->time, "%s%s", ds,
					 strlen(tt->valuestring) > 10 ? tt->valuestring + 10 : "");
			} else {
				snprintf(x->time, sizeof x->time, "%s", tt->valuestring);
			}
			x->note = dup_or_empty(cJSON_GetObjectItemCaseSensitive(t, "note"));
		}
	}
	return c;
}

static char *sdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

struct kapp_case *kapp_case_copy(const struct kapp_case *c)
{
	struct kapp_case *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	*d = *c;
	d->guide_code = sdup(c->guide_code);
	d->guide_name = sdup(c->guide_name);
	d->department = sdup(c->department);
	d->class_name = sdup(c->class_name);
	d->result = sdup(c->result);
	d->applicant = sdup(c->applicant);
	d->id_mask = sdup(c->id_mask);
	d->susp = calloc(c->n_susp + 1, sizeof *d->susp);
	for (size_t i = 0; d->susp && i < c->n_susp; i++) {
		d->susp[i] = c->susp[i];
		d->susp[i].reason = sdup(c->susp[i].reason);
	}
	d->missing = calloc(c->n_missing + 1, sizeof(char *));
	for (size_t i = 0; d->missing && i < c->n_missing; i++)
		d->missing[i] = sdup(c->missing[i]);
	d->steps = calloc(c->n_steps + 1, sizeof *d->steps);
	for (size_t i = 0; d->steps && i < c->n_steps; i++) {
		d->steps[i] = c->steps[i];
		d->steps[i].note = sdup(c->steps[i].note);
	}
	return d;
}

void kapp_case_free(struct kapp_case *c)
{
	if (!c)
		return;
	kapp_free_str(c->guide_code);
	kapp_free_str(c->guide_name);
	kapp_free_str(c->department);
	kapp_free_str(c->class_name);
	kapp_free_str(c->result);
	kapp_free_str(c->applicant);
	kapp_free_str(c->id_mask);
	for (size_t i = 0; i < c->n_susp; i++)
		kapp_free_str(c->susp[i].reason);
	free(c->susp);
	for (size_t i = 0; i < c->n_missing; i++)
		kapp_free_str(c->missing[i]);
	free(c->missing);
	for (size_t i = 0; i < c->n_steps; i++)
		kapp_free_str(c->steps[i].note);
	free(c->steps);
	kapp_wipe(c, sizeof *c);
	free(c);
}

void kapp_case_list_free(struct kapp_case **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		kapp_case_free(v[i]);
	free(v);
}

/* A day is suspended when from <= day < to (to = the day the clock restarts). */
static bool suspended(const struct kapp_suspension *s, size_t n, int day)
{
	for (size_t i = 0; i < n; i++)
		if (day >= s[i].from && (s[i].to < 0 || day < s[i].to))
			return true;
	return false;
}

static bool counts(const struct kapp_calendar *cal, bool working, int day)
{
	return !working || kapp_is_working_day(cal, day);
}

int kapp_count_days(const struct kapp_calendar *cal, bool working, int from, int to,
		    const struct kapp_suspension *susp, size_t n_susp)
{
	int n = 0;
	for (int d = from + 1; d <= to; d++)
		if (counts(cal, working, d) && !suspended(susp, n_susp, d))
			n++;
	return n;
}

void kapp_case_deadline(const struct kapp_case *c, const struct kapp_calendar *cal, int today,
			struct kapp_deadline *out)
{
	memset(out, 0, sizeof *out);
	out->due = -1;
	out->finished_day = -1;
	if (c->accepted < 0 || c->state == KAPP_REJECTED || c->state == KAPP_RECEIVED ||
	    c->limit.days <= 0)
		return;
	out->applies = true;
	if (c->state == KAPP_DECIDED || c->state == KAPP_COMPLETED || c->state == KAPP_DELIVERED) {
		out->finished = true;
		for (size_t i = 0; i < c->n_steps; i++)
			if (c->steps[i].state == KAPP_DECIDED ||
			    (out->finished_day < 0 && c->steps[i].state == KAPP_COMPLETED))
				out->finished_day = kapp_day_parse(c->steps[i].time);
		if (out->finished_day < 0)
			out->finished_day = today;
	}
	int end = out->finished ? out->finished_day : today;
	for (size_t i = 0; i < c->n_susp; i++)
		if (c->susp[i].to < 0 && !out->finished)
			out->paused = true;
	out->used = kapp_count_days(cal, c->limit.working, c->accepted, end, c->susp, c->n_susp);
	out->suspended = kapp_count_days(cal, c->limit.working, c->accepted, end, NULL, 0) - out->used;
	out->remaining = c->limit.days - out->used;
	if (!out->paused) {
		/* the promised date: the limit-th counted, unsuspended day after acceptance */
		int n = 0, d = c->accepted;
		while (n < c->limit.days && d < c->accepted + 20000) {
			d++;
			if (counts(cal, c->limit.working, d) && !suspended(c->susp, c->n_susp, d))
				n++;
		}
		out->due = d;
	}
}

bool kapp_case_number_valid(const char *s)
{
	size_t n = 0;
	for (; s && s[n]; n++)
		if (!isdigit((unsigned char)s[n]))
			return false;
	return n == KAPP_CASE_DIGITS;
}

/* The prefix `pre` (case-sensitive in the path, like a web server) opens
 * `code`: returns what follows it, or NULL. */
static const char *after_prefix(const char *code, const char *pre, size_t plen)
{
	return plen && !strncmp(code, pre, plen) ? code + plen : NULL;
}

bool kapp_case_number_from_scan(const char *code, const char *prefixes, char *out, size_t len)
{
	if (!code || !out || len <= KAPP_CASE_DIGITS)
		return false;
	size_t clen = strlen(code);
	while (clen && (code[clen - 1] == '\r' || code[clen - 1] == '\n' || code[clen - 1] == ' '))
		clen--; /* scanners end a code with CR/LF */
	if (clen > 1024)
		return false;
	char buf[1025];
	memcpy(buf, code, clen);
	buf[clen] = 0;
	const char *num = NULL;
	if (kapp_case_number_valid(buf)) {
		num = buf; /* the bare number, as printed under the QR */
	} else {
		/* space-separated prefixes: "https://a/case?no= https://b/c/" */
		const char *p = prefixes ? prefixes : "";
		while (*p && !num) {
			while (*p == ' ' || *p == '\t')
				p++;
			size_t plen = strcspn(p, " \t");
			const char *rest = after_prefix(buf, p, plen);
			if (rest && kapp_case_number_valid(rest))
				num = rest;
			p += plen;
		}
	}
	if (!num)
		return false;
	memcpy(out, num, KAPP_CASE_DIGITS + 1);
	return true;
}
