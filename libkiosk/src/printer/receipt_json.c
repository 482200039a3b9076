/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* receipt_json.c — the JSON form of a receipt (docs/contracts.md), both ways. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "driver.h"
#include "printer/receipt_private.h"
#include "core/codec.h"

struct parse {
	char *err;
	size_t err_len;
	const char *base_dir; /* for relative image paths, or NULL */
	int rc;
};

static int perr(struct parse *p, int rc, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int perr(struct parse *p, int rc, const char *path, const char *fmt, ...)
{
	if (p->err && p->err_len) {
		int n = snprintf(p->err, p->err_len, "%s: ", path);
		if (n >= 0 && (size_t)n < p->err_len) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(p->err + n, p->err_len - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	p->rc = rc;
	return rc;
}

/* An integer in [lo, hi] or an error naming `path`. */
static int get_int(struct parse *p, const cJSON *v, const char *path, int lo, int hi, int *out)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble != floor(v->valuedouble) ||
	    v->valuedouble < lo || v->valuedouble > hi)
		return perr(p, KIOSK_E_BAD_DOCUMENT, path, "must be an integer %d..%d", lo, hi);
	*out = (int)v->valuedouble;
	return KIOSK_OK;
}

static int get_align(struct parse *p, const cJSON *v, const char *path, enum kiosk_align *out)
{
	static const char *names[] = {"left", "center", "right"};
	if (cJSON_IsString(v))
		for (int i = 0; i < 3; i++)
			if (!strcmp(v->valuestring, names[i])) {
				*out = (enum kiosk_align)i;
				return KIOSK_OK;
			}
	return perr(p, KIOSK_E_BAD_DOCUMENT, path, "must be \"left\", \"center\" or \"right\"");
}

static int get_text(struct parse *p, const cJSON *v, const char *path, bool nonempty, const char **out)
{
	if (!cJSON_IsString(v))
		return perr(p, KIOSK_E_BAD_DOCUMENT, path, "must be a string");
	size_t len = strlen(v->valuestring);
	if (nonempty && !len)
		return perr(p, KIOSK_E_BAD_DOCUMENT, path, "must not be empty");
	if (len > KIOSK_RECEIPT_MAX_TEXT)
		return perr(p, KIOSK_E_BAD_DOCUMENT, path, "longer than %d bytes", KIOSK_RECEIPT_MAX_TEXT);
	long bad = kiosk_utf8_invalid_at(v->valuestring, len);
	if (bad >= 0)
		return perr(p, KIOSK_E_BAD_DOCUMENT, path, "invalid UTF-8 at byte %ld", bad);
	*out = v->valuestring;
	return KIOSK_OK;
}

enum kind { K_NONE, K_TEXT, K_QR, K_IMAGE, K_FEED, K_RULE, K_COLUMNS, K_CUT };
static const char *const kind_keys[] = {NULL, "text", "qr", "image", "feed", "rule", "columns", "cut"};

/* Which keys each kind allows besides its own. */
static bool key_allowed(enum kind k, const char *key)
{
	switch (k) {
	case K_TEXT:
		return !strcmp(key, "align") || !strcmp(key, "bold") || !strcmp(key, "size") ||
		       !strcmp(key, "width") || !strcmp(key, "height");
	case K_COLUMNS:
		return !strcmp(key, "bold") || !strcmp(key, "size") || !strcmp(key, "width") ||
		       !strcmp(key, "height");
	case K_QR:
		return !strcmp(key, "module") || !strcmp(key, "ecc") || !strcmp(key, "align");
	case K_IMAGE:
		return !strcmp(key, "align");
	default:
		return false;
	}
}

static int parse_style(struct parse *p, const cJSON *it, const char *path, struct kiosk_text_style *st)
{
	char sub[96];
	const cJSON *v;
	int n = 1;
	st->size = sizeof *st;
	st->align = KIOSK_ALIGN_LEFT;
	st->bold = false;
	st->width = st->height = 1;
	if ((v = cJSON_GetObjectItemCaseSensitive(it, "align"))) {
		snprintf(sub, sizeof sub, "%s.align", path);
		if (get_align(p, v, sub, &st->align))
			return p->rc;
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(it, "bold"))) {
		if (!cJSON_IsBool(v))
			return perr(p, KIOSK_E_BAD_DOCUMENT, path, "bold: must be true or false");
		st->bold = cJSON_IsTrue(v);
	}
	static const char *keys[] = {"size", "width", "height"};
	for (int k = 0; k < 3; k++) {
		if (!(v = cJSON_GetObjectItemCaseSensitive(it, keys[k])))
			continue;
		snprintf(sub, sizeof sub, "%s.%s", path, keys[k]);
		if (get_int(p, v, sub, 1, KIOSK_RECEIPT_MAX_SIZE, &n))
			return p->rc;
		if (k != 2)
			st->width = (uint8_t)n;
		if (k != 1)
			st->height = (uint8_t)n;
	}
	if (cJSON_GetObjectItemCaseSensitive(it, "size") &&
	    (cJSON_GetObjectItemCaseSensitive(it, "width") || cJSON_GetObjectItemCaseSensitive(it, "height")))
		return perr(p, KIOSK_E_BAD_DOCUMENT, path, "give either size or width/height, not both");
	return KIOSK_OK;
}

static int add_image(struct parse *p, kiosk_receipt *r, const char *src, const char *path)
{
	static const char prefix[] = "data:image/png;base64,";
	uint8_t *data = NULL, *px = NULL;
	size_t len;
	int w, h, rc;
	char msg[300];
	bool inline_data = !strncmp(src, prefix, sizeof prefix - 1);
	if (inline_data) {
		const char *b = src + sizeof prefix - 1;
		if (!(data = kioski_base64_decode(b, strlen(b), &len)))
			return perr(p, KIOSK_E_BAD_DOCUMENT, path, "bad base64 in data: URI");
	} else {
		char full[4096];
		if (p->base_dir && src[0] != '/')
			snprintf(full, sizeof full, "%s/%s", p->base_dir, src);
		else
			snprintf(full, sizeof full, "%s", src);
		if ((rc = kioski_read_whole_file(full, 64u << 20, &data, &len, msg, sizeof msg)))
			return perr(p, rc, path, "%s", msg);
	}
	rc = kioski_png_decode_gray(data, len, &w, &h, &px, msg, sizeof msg);
	free(data);
	if (rc)
		return perr(p, rc, path, "%s", msg);
	if ((rc = kioski_receipt_add_image_owned(r, w, h, px, inline_data ? NULL : src)))
		return perr(p, rc, path, "%s", kiosk_receipt_last_error(r));
	return KIOSK_OK;
}

static int parse_item(struct parse *p, kiosk_receipt *r, const cJSON *it, size_t idx)
{
	char path[64], sub[96];
	snprintf(path, sizeof path, "items[%zu]", idx);
	if (!cJSON_IsObject(it))
		return perr(p, KIOSK_E_BAD_DOCUMENT, path, "must be an object");
	enum kind kind = K_NONE;
	for (const cJSON *c = it->child; c; c = c->next) {
		for (int k = K_TEXT; k <= K_CUT; k++) {
			if (strcmp(c->string, kind_keys[k]))
				continue;
			if (kind != K_NONE)
				return perr(p, KIOSK_E_BAD_DOCUMENT, path, "has both \"%s\" and \"%s\"",
					    kind_keys[kind], kind_keys[k]);
			kind = (enum kind)k;
		}
	}
	if (kind == K_NONE)
		return perr(p, KIOSK_E_BAD_DOCUMENT, path,
			    "needs one of text, qr, image, feed, rule, columns, cut");
	for (const cJSON *c = it->child; c; c = c->next) {
		if (!strcmp(c->string, kind_keys[kind]))
			continue;
		if (!key_allowed(kind, c->string))
			return perr(p, KIOSK_E_BAD_DOCUMENT, path, "unknown key \"%.40s\" for a %s item",
				    c->string, kind_keys[kind]);
		for (const cJSON *d = c->next; d; d = d->next)
			if (!strcmp(c->string, d->string))
				return perr(p, KIOSK_E_BAD_DOCUMENT, path, "duplicate key \"%.40s\"", c->string);
	}
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, kind_keys[kind]);
	for (const cJSON *d = v->next; d; d = d->next)
		if (!strcmp(v->string, d->string))
			return perr(p, KIOSK_E_BAD_DOCUMENT, path, "duplicate key \"%s\"", v->string);
	snprintf(sub, sizeof sub, "%s.%s", path, kind_keys[kind]);
	struct kiosk_text_style st;
	const char *s, *s2;
	int n = 0, rc = KIOSK_OK;
	switch (kind) {
	case K_TEXT:
		if (get_text(p, v, sub, false, &s) || parse_style(p, it, path, &st))
			return p->rc;
		rc = kiosk_receipt_add_text(r, s, &st);
		break;
	case K_COLUMNS: {
		if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2)
			return perr(p, KIOSK_E_BAD_DOCUMENT, sub, "must be an array of two strings");
		char sub0[112], sub1[112];
		snprintf(sub0, sizeof sub0, "%s[0]", sub);
		snprintf(sub1, sizeof sub1, "%s[1]", sub);
		if (get_text(p, v->child, sub0, false, &s) || get_text(p, v->child->next, sub1, false, &s2) ||
		    parse_style(p, it, path, &st))
			return p->rc;
		rc = kiosk_receipt_add_columns(r, s, s2, &st);
		break;
	}
	case K_QR: {
		int module = 4;
		char ecc = 'M';
		enum kiosk_align align = KIOSK_ALIGN_CENTER;
		if (!cJSON_IsString(v) || !v->valuestring[0])
			return perr(p, KIOSK_E_BAD_DOCUMENT, sub, "must be a non-empty string");
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(it, "module");
		const cJSON *e = cJSON_GetObjectItemCaseSensitive(it, "ecc");
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(it, "align");
		char sm[96];
		if (m) {
			snprintf(sm, sizeof sm, "%s.module", path);
			if (get_int(p, m, sm, 1, 16, &module))
				return p->rc;
		}
		if (e) {
			if (!cJSON_IsString(e) || strlen(e->valuestring) != 1 ||
			    kioski_qr_ecc_index(e->valuestring[0]) < 0)
				return perr(p, KIOSK_E_BAD_DOCUMENT, path, "ecc: must be \"L\", \"M\", \"Q\" or \"H\"");
			ecc = e->valuestring[0];
		}
		if (a) {
			snprintf(sm, sizeof sm, "%s.align", path);
			if (get_align(p, a, sm, &align))
				return p->rc;
		}
		size_t len = strlen(v->valuestring);
		int ei = kioski_qr_ecc_index(ecc);
		if (len > KIOSK_RECEIPT_MAX_QR || !kioski_qr_version_for(len, ei))
			return perr(p, KIOSK_E_BAD_DOCUMENT, sub,
				    "%zu bytes do not fit a QR code at error correction %c (max %u)", len, ecc,
				    kioski_qr_capacity[ei][39]);
		if (!(rc = kiosk_receipt_add_qr(r, v->valuestring, module, ecc)))
			rc = kiosk_receipt_set_last_align(r, align);
		break;
	}
	case K_IMAGE: {
		enum kiosk_align align = KIOSK_ALIGN_CENTER;
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(it, "align");
		if (!cJSON_IsString(v) || !v->valuestring[0])
			return perr(p, KIOSK_E_BAD_DOCUMENT, sub, "must be a PNG file path or a data:image/png;base64 URI");
		if (a) {
			char sm[96];
			snprintf(sm, sizeof sm, "%s.align", path);
			if (get_align(p, a, sm, &align))
				return p->rc;
		}
		if (add_image(p, r, v->valuestring, sub))
			return p->rc;
		rc = kiosk_receipt_set_last_align(r, align);
		break;
	}
	case K_FEED:
		if (get_int(p, v, sub, 0, 255, &n))
			return p->rc;
		rc = kiosk_receipt_add_feed(r, n);
		break;
	case K_RULE:
		if (!cJSON_IsTrue(v))
			return perr(p, KIOSK_E_BAD_DOCUMENT, sub, "must be true");
		rc = kiosk_receipt_add_rule(r);
		break;
	case K_CUT:
		if (!cJSON_IsString(v) || (strcmp(v->valuestring, "full") && strcmp(v->valuestring, "partial")))
			return perr(p, KIOSK_E_BAD_DOCUMENT, sub, "must be \"full\" or \"partial\"");
		rc = kiosk_receipt_add_cut(r, !strcmp(v->valuestring, "partial"));
		break;
	case K_NONE:
		break;
	}
	if (rc == KIOSK_E_NO_MEMORY)
		return perr(p, rc, path, "out of memory");
	if (rc)
		return perr(p, KIOSK_E_BAD_DOCUMENT, path, "%s", kiosk_receipt_last_error(r));
	return KIOSK_OK;
}

/* Wipes every string of a parsed tree before it is freed: documents carry names. */
static void wipe_tree(cJSON *n)
{
	for (; n; n = n->next) {
		if (n->valuestring)
			kioski_wipe(n->valuestring, strlen(n->valuestring));
		wipe_tree(n->child);
	}
}

static int parse_doc(struct parse *p, const char *json, size_t len, kiosk_receipt **out)
{
	*out = NULL;
	if (len > KIOSK_RECEIPT_MAX_JSON)
		return perr(p, KIOSK_E_BAD_DOCUMENT, "$", "document larger than %d bytes", KIOSK_RECEIPT_MAX_JSON);
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, false);
	if (!root) {
		size_t off = end && end >= json ? (size_t)(end - json) : 0;
		size_t line = 1, col = 1;
		for (size_t i = 0; i < off && i < len; i++) {
			if (json[i] == '\n')
				line++, col = 1;
			else
				col++;
		}
		return perr(p, KIOSK_E_BAD_DOCUMENT, "$", "malformed JSON at line %zu column %zu", line, col);
	}
	/* Only whitespace may follow the document. */
	for (const char *q = end; q && q < json + len && *q; q++)
		if (*q != ' ' && *q != '\n' && *q != '\r' && *q != '\t') {
			cJSON_Delete(root);
			return perr(p, KIOSK_E_BAD_DOCUMENT, "$", "unexpected data after the JSON document");
		}
	kiosk_receipt *r = NULL;
	int rc = KIOSK_OK;
	if (!cJSON_IsObject(root)) {
		rc = perr(p, KIOSK_E_BAD_DOCUMENT, "$", "must be an object {\"items\": [...]}");
		goto out;
	}
	for (const cJSON *c = root->child; c; c = c->next) {
		if (strcmp(c->string, "items") && strcmp(c->string, "profile")) {
			rc = perr(p, KIOSK_E_BAD_DOCUMENT, "$", "unknown key \"%.40s\"", c->string);
			goto out;
		}
		for (const cJSON *d = c->next; d; d = d->next)
			if (!strcmp(c->string, d->string)) {
				rc = perr(p, KIOSK_E_BAD_DOCUMENT, "$", "duplicate key \"%s\"", c->string);
				goto out;
			}
	}
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items");
	const cJSON *prof = cJSON_GetObjectItemCaseSensitive(root, "profile");
	if (!items) {
		rc = perr(p, KIOSK_E_BAD_DOCUMENT, "items", "missing");
		goto out;
	}
	if (!cJSON_IsArray(items)) {
		rc = perr(p, KIOSK_E_BAD_DOCUMENT, "items", "must be an array");
		goto out;
	}
	if (cJSON_GetArraySize(items) > KIOSK_RECEIPT_MAX_ITEMS) {
		rc = perr(p, KIOSK_E_BAD_DOCUMENT, "items", "more than %d items", KIOSK_RECEIPT_MAX_ITEMS);
		goto out;
	}
	if ((rc = kiosk_receipt_new(&r)))
		goto out;
	if (prof) {
		if (!cJSON_IsString(prof) || kiosk_receipt_set_profile(r, prof->valuestring)) {
			rc = perr(p, KIOSK_E_BAD_DOCUMENT, "profile", "must be a profile name (1..63 characters, no '/')");
			goto out;
		}
	}
	size_t idx = 0;
	for (const cJSON *it = items->child; it; it = it->next, idx++)
		if ((rc = parse_item(p, r, it, idx)))
			goto out;
out:
	wipe_tree(root);
	cJSON_Delete(root);
	if (rc) {
		kiosk_receipt_free(r);
		return rc;
	}
	*out = r;
	return KIOSK_OK;
}

KIOSK_API int kiosk_receipt_from_json(const char *json, kiosk_receipt **out, char *err, size_t err_len)
{
	struct parse p = {err, err_len, NULL, 0};
	if (err && err_len)
		err[0] = 0;
	if (!out)
		return KIOSK_E_INVALID_ARG;
	*out = NULL;
	if (!json)
		return perr(&p, KIOSK_E_INVALID_ARG, "$", "no document");
	return parse_doc(&p, json, strlen(json), out);
}

KIOSK_API int kiosk_receipt_from_json_file(const char *path, kiosk_receipt **out, char *err, size_t err_len)
{
	struct parse p = {err, err_len, NULL, 0};
	if (err && err_len)
		err[0] = 0;
	if (!out)
		return KIOSK_E_INVALID_ARG;
	*out = NULL;
	if (!path)
		return perr(&p, KIOSK_E_INVALID_ARG, "$", "no file name");
	uint8_t *data;
	size_t len;
	char msg[300];
	int rc = kioski_read_whole_file(path, KIOSK_RECEIPT_MAX_JSON, &data, &len, msg, sizeof msg);
	if (rc) {
		if (err && err_len)
			snprintf(err, err_len, "%s", msg);
		return rc;
	}
	char *dir = strdup(path);
	if (!dir) {
		free(data);
		return KIOSK_E_NO_MEMORY;
	}
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = 0;
	else if (slash)
		dir[1] = 0;
	p.base_dir = slash ? dir : NULL;
	if (memchr(data, 0, len))
		rc = perr(&p, KIOSK_E_BAD_DOCUMENT, "$", "the file contains a NUL byte");
	else
		rc = parse_doc(&p, (const char *)data, len, out);
	free(dir);
	kioski_wipe(data, len);
	free(data);
	return rc;
}

/* ---- to JSON ----------------------------------------------------------------- */

static const char *align_name(enum kiosk_align a)
{
	return a == KIOSK_ALIGN_CENTER ? "center" : a == KIOSK_ALIGN_RIGHT ? "right" : "left";
}

static bool add_style(cJSON *o, const struct kiosk_text_style *st, bool with_align)
{
	bool ok = true;
	if (with_align && st->align != KIOSK_ALIGN_LEFT)
		ok &= cJSON_AddStringToObject(o, "align", align_name(st->align)) != NULL;
	if (st->bold)
		ok &= cJSON_AddTrueToObject(o, "bold") != NULL;
	if (st->width == st->height) {
		if (st->width > 1)
			ok &= cJSON_AddNumberToObject(o, "size", st->width) != NULL;
	} else {
		ok &= cJSON_AddNumberToObject(o, "width", st->width) != NULL;
		ok &= cJSON_AddNumberToObject(o, "height", st->height) != NULL;
	}
	return ok;
}

static cJSON *item_json(const struct kioski_receipt_item *it)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o != NULL;
	if (!ok)
		return NULL;
	switch (it->type) {
	case KIOSK_ITEM_TEXT:
		ok = cJSON_AddStringToObject(o, "text", it->text) && add_style(o, &it->style, true);
		break;
	case KIOSK_ITEM_COLUMNS: {
		const char *pair[2] = {it->text, it->text2};
		cJSON *a = cJSON_CreateStringArray(pair, 2);
		ok = a && cJSON_AddItemToObject(o, "columns", a) && add_style(o, &it->style, false);
		break;
	}
	case KIOSK_ITEM_QR: {
		char ecc[2] = {it->ecc, 0};
		ok = cJSON_AddStringToObject(o, "qr", it->text) && cJSON_AddNumberToObject(o, "module", it->module) &&
		     cJSON_AddStringToObject(o, "ecc", ecc);
		if (ok && it->align != KIOSK_ALIGN_CENTER)
			ok = cJSON_AddStringToObject(o, "align", align_name(it->align)) != NULL;
		break;
	}
	case KIOSK_ITEM_IMAGE:
		if (it->source) {
			ok = cJSON_AddStringToObject(o, "image", it->source) != NULL;
		} else {
			uint8_t *png = NULL;
			size_t len = 0;
			char *b = NULL, *uri = NULL;
			ok = !kioski_png_encode_gray(it->w, it->h, it->pixels, &png, &len) &&
			     (b = kioski_base64_encode(png, len)) &&
			     (uri = malloc(strlen(b) + 32)) != NULL;
			if (ok) {
				sprintf(uri, "data:image/png;base64,%s", b);
				ok = cJSON_AddStringToObject(o, "image", uri) != NULL;
			}
			free(png);
			free(b);
			free(uri);
		}
		if (ok && it->align != KIOSK_ALIGN_CENTER)
			ok = cJSON_AddStringToObject(o, "align", align_name(it->align)) != NULL;
		break;
	case KIOSK_ITEM_FEED:
		ok = cJSON_AddNumberToObject(o, "feed", it->lines) != NULL;
		break;
	case KIOSK_ITEM_RULE:
		ok = cJSON_AddTrueToObject(o, "rule") != NULL;
		break;
	case KIOSK_ITEM_CUT:
		ok = cJSON_AddStringToObject(o, "cut", it->partial ? "partial" : "full") != NULL;
		break;
	}
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

KIOSK_API int kiosk_receipt_to_json(const kiosk_receipt *r, char **json)
{
	if (!r || !json)
		return KIOSK_E_INVALID_ARG;
	*json = NULL;
	cJSON *root = cJSON_CreateObject(), *items = NULL;
	bool ok = root && (!r->profile || cJSON_AddStringToObject(root, "profile", r->profile)) &&
		  (items = cJSON_AddArrayToObject(root, "items"));
	for (size_t i = 0; ok && i < r->n; i++) {
		cJSON *o = item_json(&r->items[i]);
		ok = o && cJSON_AddItemToArray(items, o);
	}
	if (ok)
		*json = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return *json ? KIOSK_OK : KIOSK_E_NO_MEMORY;
}
