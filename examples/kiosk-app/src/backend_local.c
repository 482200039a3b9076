/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * backend_local.c — the embedded backend: a guide catalog (guides.json) and a
 * case store (cases.json, format "libkiosk-cases/1") under the data dir.
 *
 * The case store is read per query (it is small next to the catalog, and the
 * hall's export job may replace it at any time). A store with
 * "rebase": "week" (the bundled demo) is shifted forward by whole weeks so
 * that its "as_of" date falls in the current week: weekdays stay weekdays and
 * the demo's deadlines stay realistic whenever it is run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "core.h"

struct local {
	struct kapp_backend b;
	char dir[512];
	int today;
};

static int load_catalog(struct kapp_backend *b, struct kapp_catalog **out, char *err, size_t len)
{
	struct local *l = (struct local *)b;
	char path[600];
	snprintf(path, sizeof path, "%s/guides.json", l->dir);
	return kapp_catalog_load(path, out, err, len);
}

/* Parses the store; calls fn for every case until it returns non-zero. */
static int each_case(struct local *l, int (*fn)(const cJSON *c, int shift, void *u), void *u,
		     char *salt, size_t salt_len, char *err, size_t len)
{
	char path[600];
	snprintf(path, sizeof path, "%s/cases.json", l->dir);
	size_t n;
	char *text = kapp_read_file(path, &n);
	if (!text) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return KAPP_E_OFFLINE;
	}
	cJSON *root = cJSON_ParseWithLength(text, n);
	free(text);
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
	const cJSON *cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
	if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, "libkiosk-cases/1") ||
	    !cJSON_IsArray(cases)) {
		snprintf(err, len, "%s: not a libkiosk-cases/1 store", path);
		cJSON_Delete(root);
		return KAPP_E_DATA;
	}
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "salt");
	if (salt)
		snprintf(salt, salt_len, "%s", cJSON_IsString(s) ? s->valuestring : "");
	int shift = 0;
	const cJSON *rb = cJSON_GetObjectItemCaseSensitive(root, "rebase");
	const cJSON *asof = cJSON_GetObjectItemCaseSensitive(root, "as_of");
	if (cJSON_IsString(rb) && !strcmp(rb->valuestring, "week") && cJSON_IsString(asof)) {
		int a = kapp_day_parse(asof->valuestring);
		if (a >= 0) {
			int diff = l->today - a;
			shift = diff >= 0 ? diff / 7 * 7 : -((-diff + 6) / 7 * 7);
		}
	}
	int rc = KAPP_OK;
	const cJSON *c;
	cJSON_ArrayForEach(c, cases) {
		rc = fn(c, shift, u);
		if (rc)
			break;
	}
	cJSON_Delete(root);
	return rc < 0 ? rc : KAPP_OK;
}

struct by_number {
	const char *number;
	struct kapp_case *found;
};

static int match_number(const cJSON *c, int shift, void *u)
{
	struct by_number *q = u;
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(c, "number");
	if (!cJSON_IsString(n) || strcmp(n->valuestring, q->number))
		return 0;
	char e[128];
	q->found = kapp_case_from_json(c, shift, e, sizeof e);
	return 1;
}

static int case_by_number(struct kapp_backend *b, const char *number, struct kapp_case **out,
			  char *err, size_t len)
{
	struct by_number q = {number, NULL};
	*out = NULL;
	int rc = each_case((struct local *)b, match_number, &q, NULL, 0, err, len);
	if (rc)
		return rc;
	*out = q.found;
	return q.found ? KAPP_OK : KAPP_NOT_FOUND;
}

struct by_holder {
	const char *id_number;
	char salt[128];
	char hash[65];
	struct kapp_case **v;
	size_t n, cap;
};

static int match_holder(const cJSON *c, int shift, void *u)
{
	struct by_holder *q = u;
	if (!q->hash[0] && kapp_id_hash(q->salt, q->id_number, q->hash))
		return KAPP_E_ARG;
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(c, "applicant"),
							  "id_hash");
	if (!cJSON_IsString(h) || strlen(h->valuestring) != 64 ||
	    !kapp_str_ct_equal(h->valuestring, q->hash))
		return 0;
	char e[128];
	struct kapp_case *k = kapp_case_from_json(c, shift, e, sizeof e);
	if (!k)
		return 0;
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 8;
		struct kapp_case **nv = realloc(q->v, cap * sizeof *nv);
		if (!nv) {
			kapp_case_free(k);
			return KAPP_E_DATA;
		}
		q->v = nv;
		q->cap = cap;
	}
	q->v[q->n++] = k;
	return 0;
}

static int cmp_case_desc(const void *a, const void *b)
{
	const struct kapp_case *x = *(struct kapp_case *const *)a, *y = *(struct kapp_case *const *)b;
	return strcmp(y->number, x->number);
}

static int cases_by_holder(struct kapp_backend *b, const char *id_number, struct kapp_case ***out,
			   size_t *n, char *err, size_t len)
{
	struct local *l = (struct local *)b;
	struct by_holder q;
	memset(&q, 0, sizeof q);
	q.id_number = id_number;
	*out = NULL;
	*n = 0;
	int rc = each_case(l, match_holder, &q, q.salt, sizeof q.salt, err, len);
	kapp_wipe(q.hash, sizeof q.hash);
	if (rc) {
		kapp_case_list_free(q.v, q.n);
		if (rc == KAPP_E_ARG)
			snprintf(err, len, "ID number not usable");
		return rc;
	}
	if (q.n > 1) /* qsort(NULL, 0, …) is undefined */
		qsort(q.v, q.n, sizeof *q.v, cmp_case_desc);
	*out = q.v;
	*n = q.n;
	return KAPP_OK;
}

static void local_free(struct kapp_backend *b)
{
	free(b);
}

struct kapp_backend *kapp_backend_local_new(const char *data_dir, int today, char *err, size_t len)
{
	struct local *l = calloc(1, sizeof *l);
	if (!l) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	l->b.name = "local";
	l->b.load_catalog = load_catalog;
	l->b.case_by_number = case_by_number;
	l->b.cases_by_holder = cases_by_holder;
	l->b.free = local_free;
	snprintf(l->dir, sizeof l->dir, "%s", data_dir);
	l->today = today;
	return &l->b;
}
