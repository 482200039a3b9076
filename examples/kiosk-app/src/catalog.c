/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* catalog.c — the guide catalog (JSON "libkiosk-guides/1") in one arena. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "core.h"

/* Bump allocator: every string and array of a catalog lives in a few big
 * blocks, so 10,000 guides cost a handful of mallocs and free in one go. */
struct kapp_arena {
	struct kapp_arena *next;
	size_t used, size;
	char data[];
};

static void *arena_alloc(struct kapp_arena **a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (!*a || (*a)->used + n > (*a)->size) {
		size_t sz = n > 256 * 1024 ? n : 256 * 1024;
		struct kapp_arena *b = malloc(sizeof *b + sz);
		if (!b)
			return NULL;
		b->next = *a;
		b->used = 0;
		b->size = sz;
		*a = b;
	}
	void *p = (*a)->data + (*a)->used;
	(*a)->used += n;
	memset(p, 0, n);
	return p;
}

static const char *arena_str(struct kapp_arena **a, const char *s)
{
	if (!s)
		return "";
	size_t n = strlen(s);
	char *p = arena_alloc(a, n + 1);
	if (p)
		memcpy(p, s, n + 1);
	return p ? p : "";
}

struct parse {
	struct kapp_arena **arena;
	char *err;
	size_t errlen;
	int failed;
};

static void fail(struct parse *p, const char *fmt, size_t idx, const char *key)
{
	if (!p->failed)
		snprintf(p->err, p->errlen, fmt, idx, key);
	p->failed = 1;
}

static void fail_msg(struct parse *p, const char *msg)
{
	if (!p->failed)
		snprintf(p->err, p->errlen, "%s", msg);
	p->failed = 1;
}

static const char *get_str(struct parse *p, cJSON *o, const char *key, size_t idx, bool required)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v || cJSON_IsNull(v)) {
		if (required)
			fail(p, "guides[%zu].%s: missing", idx, key);
		return "";
	}
	if (!cJSON_IsString(v)) {
		fail(p, "guides[%zu].%s: must be a string", idx, key);
		return "";
	}
	return arena_str(p->arena, v->valuestring);
}

static const char **get_strs(struct parse *p, cJSON *o, const char *key, size_t idx, int *n)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	*n = 0;
	if (!v)
		return NULL;
	if (!cJSON_IsArray(v)) {
		fail(p, "guides[%zu].%s: must be an array of strings", idx, key);
		return NULL;
	}
	int cnt = cJSON_GetArraySize(v);
	const char **arr = arena_alloc(p->arena, sizeof(char *) * (size_t)(cnt + 1));
	if (!arr)
		return NULL;
	cJSON *it;
	cJSON_ArrayForEach(it, v) {
		if (!cJSON_IsString(it)) {
			fail(p, "guides[%zu].%s: must be an array of strings", idx, key);
			return NULL;
		}
		arr[(*n)++] = arena_str(p->arena, it->valuestring);
	}
	return arr;
}

static void get_limit(struct parse *p, cJSON *o, const char *key, size_t idx, struct kapp_limit *l)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	l->days = 0;
	l->working = true;
	if (!v)
		return;
	cJSON *d = cJSON_GetObjectItemCaseSensitive(v, "days");
	cJSON *u = cJSON_GetObjectItemCaseSensitive(v, "unit");
	if (!cJSON_IsNumber(d) || d->valueint < 0 || d->valueint > 3650) {
		fail(p, "guides[%zu].%s.days: must be an integer 0..3650", idx, key);
		return;
	}
	l->days = d->valueint;
	if (u && cJSON_IsString(u)) {
		if (!strcmp(u->valuestring, "natural"))
			l->working = false;
		else if (strcmp(u->valuestring, "working"))
			fail(p, "guides[%zu].%s.unit: must be \"working\" or \"natural\"", idx, key);
	}
}

static void parse_guide(struct parse *p, cJSON *o, size_t i, struct kapp_guide *g)
{
	if (!cJSON_IsObject(o)) {
		fail(p, "guides[%zu]%s: must be an object", i, "");
		return;
	}
	g->code = get_str(p, o, "code", i, true);
	g->name = get_str(p, o, "name", i, true);
	if (strlen(g->code) > 50)
		fail(p, "guides[%zu].%s: longer than 50 characters", i, "code");
	g->type = get_str(p, o, "type", i, false);
	g->department = get_str(p, o, "department", i, true);
	g->dept_id = get_str(p, o, "dept_id", i, false);
	g->basis = get_str(p, o, "basis", i, false);
	g->case_class = get_str(p, o, "case_class", i, false);
	g->place = get_str(p, o, "place", i, false);
	g->hours = get_str(p, o, "hours", i, false);
	g->phone = get_str(p, o, "phone", i, false);
	g->complaint_phone = get_str(p, o, "complaint_phone", i, false);
	g->online_url = get_str(p, o, "online_url", i, false);
	g->themes = get_strs(p, o, "themes", i, &g->n_themes);
	g->keywords = get_strs(p, o, "keywords", i, &g->n_keywords);
	g->conditions = get_strs(p, o, "conditions", i, &g->n_conditions);
	g->steps = get_strs(p, o, "steps", i, &g->n_steps);
	get_limit(p, o, "legal_limit", i, &g->legal);
	get_limit(p, o, "promised_limit", i, &g->promised);
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "visits");
	g->visits = cJSON_IsNumber(v) ? v->valueint : -1;
	cJSON *mats = cJSON_GetObjectItemCaseSensitive(o, "materials");
	if (cJSON_IsArray(mats)) {
		int n = cJSON_GetArraySize(mats);
		g->materials = arena_alloc(p->arena, sizeof *g->materials * (size_t)(n + 1));
		cJSON *m;
		cJSON_ArrayForEach(m, mats) {
			if (!g->materials)
				break;
			struct kapp_material *mt = &g->materials[g->n_materials++];
			cJSON *name = cJSON_GetObjectItemCaseSensitive(m, "name");
			if (!cJSON_IsString(name)) {
				fail(p, "guides[%zu].materials: %s must be a string", i, "name");
				return;
			}
			mt->name = arena_str(p->arena, name->valuestring);
			cJSON *f = cJSON_GetObjectItemCaseSensitive(m, "form");
			mt->form = arena_str(p->arena, cJSON_IsString(f) ? f->valuestring : "");
			cJSON *nt = cJSON_GetObjectItemCaseSensitive(m, "note");
			mt->note = arena_str(p->arena, cJSON_IsString(nt) ? nt->valuestring : "");
			cJSON *c = cJSON_GetObjectItemCaseSensitive(m, "copies");
			mt->copies = cJSON_IsNumber(c) ? c->valueint : 1;
			cJSON *r = cJSON_GetObjectItemCaseSensitive(m, "required");
			mt->required = !r || cJSON_IsTrue(r);
		}
	}
	cJSON *fees = cJSON_GetObjectItemCaseSensitive(o, "fees");
	g->fee_free = true;
	if (cJSON_IsObject(fees)) {
		cJSON *fr = cJSON_GetObjectItemCaseSensitive(fees, "free");
		g->fee_free = !fr || cJSON_IsTrue(fr);
		cJSON *items = cJSON_GetObjectItemCaseSensitive(fees, "items");
		if (cJSON_IsArray(items)) {
			int n = cJSON_GetArraySize(items);
			g->fees = arena_alloc(p->arena, sizeof *g->fees * (size_t)(n + 1));
			cJSON *it;
			cJSON_ArrayForEach(it, items) {
				if (!g->fees)
					break;
				struct kapp_fee *fe = &g->fees[g->n_fees++];
				cJSON *a = cJSON_GetObjectItemCaseSensitive(it, "name");
				cJSON *b = cJSON_GetObjectItemCaseSensitive(it, "amount");
				cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "basis");
				fe->name = arena_str(p->arena, cJSON_IsString(a) ? a->valuestring : "");
				fe->amount = arena_str(p->arena, cJSON_IsString(b) ? b->valuestring : "");
				fe->basis = arena_str(p->arena, cJSON_IsString(c) ? c->valuestring : "");
			}
		}
	}
}

/* "aliases": [{"word": "社保卡", "means": "社会保障卡"}, …]: what people say
 * for a term of the guide names; the search finds the guides by either. */
static void parse_aliases(struct parse *p, cJSON *root, struct kapp_catalog *cat)
{
	cJSON *al = cJSON_GetObjectItemCaseSensitive(root, "aliases");
	if (!al || cJSON_IsNull(al))
		return;
	if (!cJSON_IsArray(al)) {
		fail_msg(p, "catalog: \"aliases\" must be an array");
		return;
	}
	int n = cJSON_GetArraySize(al);
	cat->aliases = arena_alloc(p->arena, sizeof *cat->aliases * (size_t)(n + 1));
	cJSON *a;
	size_t i = 0;
	cJSON_ArrayForEach(a, al) {
		if (!cat->aliases)
			return;
		cJSON *w = cJSON_GetObjectItemCaseSensitive(a, "word");
		cJSON *m = cJSON_GetObjectItemCaseSensitive(a, "means");
		if (!cJSON_IsString(w) || !cJSON_IsString(m) || !*w->valuestring ||
		    !*m->valuestring || strlen(w->valuestring) > 60 || strlen(m->valuestring) > 60) {
			fail(p, "catalog: aliases[%zu]%s: needs \"word\" and \"means\" (text, at most 60 bytes)",
			     i, "");
			return;
		}
		cat->aliases[cat->n_aliases].word = arena_str(p->arena, w->valuestring);
		cat->aliases[cat->n_aliases].means = arena_str(p->arena, m->valuestring);
		cat->n_aliases++;
		i++;
	}
}

/* "popular": [code, …], most asked for first: shown before anything is
 * typed and preferred by the search ranking. */
static void parse_popular(struct parse *p, cJSON *root, struct kapp_catalog *cat)
{
	cJSON *pop = cJSON_GetObjectItemCaseSensitive(root, "popular");
	if (!pop || cJSON_IsNull(pop))
		return;
	if (!cJSON_IsArray(pop)) {
		fail_msg(p, "catalog: \"popular\" must be an array of guide codes");
		return;
	}
	cJSON *c;
	size_t i = 0;
	cJSON_ArrayForEach(c, pop) {
		struct kapp_guide *g = NULL;
		for (size_t k = 0; cJSON_IsString(c) && k < cat->n; k++)
			if (!strcmp(cat->guides[k].code, c->valuestring))
				g = &cat->guides[k];
		if (!g) {
			fail(p, "catalog: popular[%zu]: %s is not the code of a guide", i,
			     cJSON_IsString(c) ? c->valuestring : "(not text)");
			return;
		}
		if (!g->popular)
			g->popular = (int)(i + 1);
		i++;
	}
}

int kapp_catalog_parse(const char *json, size_t len, struct kapp_catalog **out, char *err,
		       size_t errlen)
{
	*out = NULL;
	cJSON *root = cJSON_ParseWithLength(json, len);
	if (!root) {
		snprintf(err, errlen, "catalog: not valid JSON (near byte %ld)",
			 cJSON_GetErrorPtr() ? (long)(cJSON_GetErrorPtr() - json) : -1L);
		return KAPP_E_DATA;
	}
	cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
	if (!cJSON_IsString(fmt) || strncmp(fmt->valuestring, "libkiosk-guides/1", 17)) {
		snprintf(err, errlen, "catalog: \"format\" must be \"libkiosk-guides/1\"");
		cJSON_Delete(root);
		return KAPP_E_DATA;
	}
	struct kapp_catalog *cat = calloc(1, sizeof *cat);
	if (!cat) {
		cJSON_Delete(root);
		return KAPP_E_DATA;
	}
	struct parse p = {&cat->arena, err, errlen, 0};
	cJSON *hall = cJSON_GetObjectItemCaseSensitive(root, "hall");
#define HALL(field, key)                                                                   \
	do {                                                                               \
		cJSON *h_ = cJSON_GetObjectItemCaseSensitive(hall, key);                   \
		cat->field = arena_str(p.arena, cJSON_IsString(h_) ? h_->valuestring : ""); \
	} while (0)
	HALL(hall_name, "name");
	HALL(hall_address, "address");
	HALL(hall_hours, "hours");
	HALL(hall_phone, "phone");
	HALL(hall_online, "online");
#undef HALL
	cJSON *depts = cJSON_GetObjectItemCaseSensitive(root, "departments");
	if (cJSON_IsArray(depts)) {
		int n = cJSON_GetArraySize(depts);
		cat->depts = arena_alloc(p.arena, sizeof *cat->depts * (size_t)(n + 1));
		cJSON *d;
		cJSON_ArrayForEach(d, depts) {
			if (!cat->depts)
				break;
			struct kapp_dept *dp = &cat->depts[cat->n_depts++];
			cJSON *a = cJSON_GetObjectItemCaseSensitive(d, "id");
			cJSON *b = cJSON_GetObjectItemCaseSensitive(d, "name");
			cJSON *c = cJSON_GetObjectItemCaseSensitive(d, "short");
			dp->id = arena_str(p.arena, cJSON_IsString(a) ? a->valuestring : "");
			dp->name = arena_str(p.arena, cJSON_IsString(b) ? b->valuestring : "");
			dp->short_name = arena_str(p.arena, cJSON_IsString(c) ? c->valuestring : dp->name);
		}
	}
	int nt = 0;
	cat->themes = get_strs(&p, root, "themes", 0, &nt);
	cat->n_themes = (size_t)nt;
	cJSON *guides = cJSON_GetObjectItemCaseSensitive(root, "guides");
	if (!cJSON_IsArray(guides)) {
		snprintf(err, errlen, "catalog: \"guides\" must be an array");
		p.failed = 1;
	} else {
		size_t n = (size_t)cJSON_GetArraySize(guides);
		cat->guides = calloc(n + 1, sizeof *cat->guides);
		if (!cat->guides)
			p.failed = 1;
		cJSON *g;
		cJSON_ArrayForEach(g, guides) {
			if (p.failed)
				break;
			parse_guide(&p, g, cat->n, &cat->guides[cat->n]);
			cat->n++;
		}
	}
	if (!p.failed)
		parse_aliases(&p, root, cat);
	if (!p.failed)
		parse_popular(&p, root, cat);
	cJSON_Delete(root);
	if (p.failed) {
		kapp_catalog_free(cat);
		return KAPP_E_DATA;
	}
	*out = cat;
	return KAPP_OK;
}

int kapp_catalog_load(const char *path, struct kapp_catalog **out, char *err, size_t errlen)
{
	size_t len;
	char *text = kapp_read_file(path, &len);
	if (!text) {
		*out = NULL;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return KAPP_NOT_FOUND;
	}
	int rc = kapp_catalog_parse(text, len, out, err, errlen);
	free(text);
	return rc;
}

void kapp_catalog_free(struct kapp_catalog *cat)
{
	if (!cat)
		return;
	struct kapp_arena *a = cat->arena;
	while (a) {
		struct kapp_arena *n = a->next;
		free(a);
		a = n;
	}
	free(cat->guides);
	free(cat);
}

const struct kapp_guide *kapp_catalog_find(const struct kapp_catalog *cat, const char *code)
{
	for (size_t i = 0; cat && code && i < cat->n; i++)
		if (!strcmp(cat->guides[i].code, code))
			return &cat->guides[i];
	return NULL;
}

const char *kapp_dept_short(const struct kapp_catalog *cat, const char *dept_id)
{
	for (size_t i = 0; cat && i < cat->n_depts; i++)
		if (!strcmp(cat->depts[i].id, dept_id))
			return cat->depts[i].short_name;
	return dept_id;
}

void kapp_limit_format(const struct kapp_limit *l, char *out, size_t len)
{
	if (l->days <= 0)
		snprintf(out, len, "即办（当场办结）");
	else
		snprintf(out, len, "%d 个%s日", l->days, l->working ? "工作" : "自然");
}
