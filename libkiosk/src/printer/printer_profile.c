/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* printer_profile.c — loading and validating printer profiles (data, not code). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cjson/cJSON.h>
#include "driver.h"
#include "printer/printer_profile.h"

static int perr(char *err, size_t err_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int perr(char *err, size_t err_len, const char *fmt, ...)
{
	if (err && err_len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	return KIOSK_E_BAD_DOCUMENT;
}

static bool is_int(const cJSON *v, int lo, int hi)
{
	return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble == floor(v->valuedouble) &&
	       v->valuedouble >= lo && v->valuedouble <= hi;
}

/* Rejects keys of `o` that are not in the NULL-terminated `allowed`. */
static int check_keys(const cJSON *o, const char *where, const char *const *allowed, char *err,
		      size_t err_len)
{
	for (const cJSON *c = o->child; c; c = c->next) {
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = !strcmp(*a, c->string);
		if (!ok)
			return perr(err, err_len, "%s%s: unknown key", where, c->string);
		for (const cJSON *d = c->next; d; d = d->next)
			if (!strcmp(c->string, d->string))
				return perr(err, err_len, "%s%s: duplicate key", where, c->string);
	}
	return KIOSK_OK;
}

static int get_int(const cJSON *o, const char *key, const char *where, int lo, int hi, int *out,
		   char *err, size_t err_len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v)
		return KIOSK_OK;
	if (!is_int(v, lo, hi))
		return perr(err, err_len, "%s%s: must be an integer %d..%d", where, key, lo, hi);
	*out = (int)v->valuedouble;
	return KIOSK_OK;
}

static int get_bool(const cJSON *o, const char *key, const char *where, bool *out, char *err,
		    size_t err_len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v)
		return KIOSK_OK;
	if (!cJSON_IsBool(v))
		return perr(err, err_len, "%s%s: must be true or false", where, key);
	*out = cJSON_IsTrue(v);
	return KIOSK_OK;
}

static int get_str(const cJSON *o, const char *key, char *out, size_t cap, bool required, char *err,
		   size_t err_len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v)
		return required ? perr(err, err_len, "%s: missing", key) : KIOSK_OK;
	if (!cJSON_IsString(v) || !v->valuestring[0] || strlen(v->valuestring) >= cap)
		return perr(err, err_len, "%s: must be a string of 1..%zu bytes", key, cap - 1);
	memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
	return KIOSK_OK;
}

int kioski_printer_profile_parse(const char *json, struct kioski_printer_profile *p, char *err,
				 size_t err_len)
{
	static const char *const top_keys[] = {"name", "description", "paper_mm", "width_dots", "dpi",
		"font_a", "line_spacing", "chinese", "native_qr", "cutter", "cut_feed", "clear_buffer", "status",
		"max_raster_rows", "usb", "transport", NULL};
	static const char *const chinese_keys[] = {"font", "fs_mode", "gb18030_4byte", NULL};
	static const char *const status_keys[] = {"dle_eot", "asb", "gs_r", "near_end_sensor",
		"cover_sensor", NULL};
	static const char *const transport_keys[] = {"usb_ep_out", "usb_ep_in", "baud",
		"tcp_port", NULL};
	if (!json || !p)
		return KIOSK_E_INVALID_ARG;
	memset(p, 0, sizeof *p);
	/* Defaults: an 80 mm 203 dpi printer with a Chinese font and everything. */
	p->paper_mm = 80;
	p->width_dots = 576;
	p->dpi = 203;
	p->font_a_width = 12;
	p->font_a_height = 24;
	p->line_spacing = 30;
	p->cjk_font = p->chinese_mode = p->gb18030_4byte = true;
	p->native_qr = true;
	p->cutter_full = p->cutter_partial = true;
	p->dle_eot = true;
	p->max_raster_rows = 256;

	cJSON *root = cJSON_Parse(json);
	int rc = KIOSK_OK;
	if (!root)
		return perr(err, err_len, "malformed JSON");
	const cJSON *v, *o;
	if (!cJSON_IsObject(root)) {
		rc = perr(err, err_len, "must be a JSON object");
		goto out;
	}
	if ((rc = check_keys(root, "", top_keys, err, err_len)) ||
	    (rc = get_str(root, "name", p->name, sizeof p->name, true, err, err_len)) ||
	    (rc = get_str(root, "description", p->description, sizeof p->description, true, err, err_len)) ||
	    (rc = get_int(root, "paper_mm", "", 20, 120, &p->paper_mm, err, err_len)) ||
	    (rc = get_int(root, "width_dots", "", 96, 2400, &p->width_dots, err, err_len)) ||
	    (rc = get_int(root, "dpi", "", 100, 600, &p->dpi, err, err_len)) ||
	    (rc = get_int(root, "line_spacing", "", 8, 255, &p->line_spacing, err, err_len)) ||
	    (rc = get_bool(root, "native_qr", "", &p->native_qr, err, err_len)) ||
	    (rc = get_int(root, "cut_feed", "", 0, 255, &p->cut_feed, err, err_len)) ||
	    (rc = get_bool(root, "clear_buffer", "", &p->clear_buffer, err, err_len)) ||
	    (rc = get_int(root, "max_raster_rows", "", 8, 4096, &p->max_raster_rows, err, err_len)))
		goto out;
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "font_a"))) {
		if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2 || !is_int(v->child, 6, 64) ||
		    !is_int(v->child->next, 8, 64)) {
			rc = perr(err, err_len, "font_a: must be [width, height] in dots (6..64, 8..64)");
			goto out;
		}
		p->font_a_width = (int)v->child->valuedouble;
		p->font_a_height = (int)v->child->next->valuedouble;
	}
	if ((o = cJSON_GetObjectItemCaseSensitive(root, "chinese"))) {
		if (!cJSON_IsObject(o)) {
			rc = perr(err, err_len, "chinese: must be an object");
			goto out;
		}
		if ((rc = check_keys(o, "chinese.", chinese_keys, err, err_len)) ||
		    (rc = get_bool(o, "font", "chinese.", &p->cjk_font, err, err_len)) ||
		    (rc = get_bool(o, "fs_mode", "chinese.", &p->chinese_mode, err, err_len)) ||
		    (rc = get_bool(o, "gb18030_4byte", "chinese.", &p->gb18030_4byte, err, err_len)))
			goto out;
		if (!p->cjk_font)
			p->chinese_mode = p->gb18030_4byte = false;
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "cutter"))) {
		if (cJSON_IsString(v) && !strcmp(v->valuestring, "full+partial")) {
			p->cutter_full = p->cutter_partial = true;
		} else if (cJSON_IsString(v) && !strcmp(v->valuestring, "full")) {
			p->cutter_full = true;
			p->cutter_partial = false;
		} else if (cJSON_IsString(v) && !strcmp(v->valuestring, "none")) {
			p->cutter_full = p->cutter_partial = false;
		} else {
			rc = perr(err, err_len, "cutter: must be \"full+partial\", \"full\" or \"none\"");
			goto out;
		}
	}
	if ((o = cJSON_GetObjectItemCaseSensitive(root, "status"))) {
		if (!cJSON_IsObject(o)) {
			rc = perr(err, err_len, "status: must be an object");
			goto out;
		}
		if ((rc = check_keys(o, "status.", status_keys, err, err_len)) ||
		    (rc = get_bool(o, "dle_eot", "status.", &p->dle_eot, err, err_len)) ||
		    (rc = get_bool(o, "asb", "status.", &p->asb, err, err_len)) ||
		    (rc = get_bool(o, "gs_r", "status.", &p->gs_r, err, err_len)) ||
		    (rc = get_bool(o, "near_end_sensor", "status.", &p->near_end_sensor, err, err_len)) ||
		    (rc = get_bool(o, "cover_sensor", "status.", &p->cover_sensor, err, err_len)))
			goto out;
	}
	if ((o = cJSON_GetObjectItemCaseSensitive(root, "transport"))) {
		int ep_out = 0, ep_in = 0;
		if (!cJSON_IsObject(o)) {
			rc = perr(err, err_len, "transport: must be an object");
			goto out;
		}
		if ((rc = check_keys(o, "transport.", transport_keys, err, err_len)) ||
		    (rc = get_int(o, "baud", "transport.", 1200, 921600, &p->baud, err, err_len)) ||
		    (rc = get_int(o, "tcp_port", "transport.", 1, 65535, &p->tcp_port, err, err_len)) ||
		    (rc = get_int(o, "usb_ep_out", "transport.", 0x01, 0x0F, &ep_out, err, err_len)) ||
		    (rc = get_int(o, "usb_ep_in", "transport.", 0x81, 0x8F, &ep_in, err, err_len)))
			goto out;
		p->usb_ep_out = (uint8_t)ep_out;
		p->usb_ep_in = (uint8_t)ep_in;
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(root, "usb"))) {
		if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > KIOSKI_PROFILE_MAX_USB) {
			rc = perr(err, err_len, "usb: must be an array of at most %d \"VVVV:PPPP\" ids",
				  KIOSKI_PROFILE_MAX_USB);
			goto out;
		}
		int i = 0;
		for (const cJSON *u = v->child; u; u = u->next, i++) {
			if (!cJSON_IsString(u) ||
			    !kioski_parse_usb_id(u->valuestring, &p->usb[i].vid, &p->usb[i].pid)) {
				rc = perr(err, err_len, "usb[%d]: must be \"VVVV:PPPP\" (hex)", i);
				goto out;
			}
		}
		p->n_usb = i;
	}
	/* Cross-checks: the layout relies on these. */
	if (p->width_dots < 16 * p->font_a_width) {
		rc = perr(err, err_len, "width_dots: %d is narrower than 16 font cells (%d dots)", p->width_dots,
			  16 * p->font_a_width);
		goto out;
	}
	if (p->line_spacing < p->font_a_height ||
	    p->line_spacing - p->font_a_height + 8 * p->font_a_height > 255) {
		rc = perr(err, err_len, "line_spacing: must be at least the font height (%d) and leave room for size 8",
			  p->font_a_height);
		goto out;
	}
	p->columns = p->width_dots / p->font_a_width;
out:
	cJSON_Delete(root);
	if (rc) {
		char name[64];
		memcpy(name, p->name, sizeof name);
		memset(p, 0, sizeof *p);
		memcpy(p->name, name, sizeof name);
	}
	return rc;
}

int kioski_printer_profile_load(kiosk_context *ctx, const char *name, struct kioski_printer_profile *out)
{
	if (!name || !out)
		return KIOSK_E_INVALID_ARG;
	char *json = NULL;
	char err[200];
	if (!name[0] || strlen(name) >= sizeof out->name || strpbrk(name, "/\\"))
		return kioski_context_fail(ctx, KIOSK_E_NOT_FOUND, "no printer profile named '%s'", name);
	int rc = kioski_profile_load(ctx, "printer", name, &json);
	if (rc < 0 || !json)
		return kioski_context_fail(ctx, rc < 0 ? rc : KIOSK_E_NOT_FOUND, "no printer profile named '%s'", name);
	rc = kioski_printer_profile_parse(json, out, err, sizeof err);
	free(json);
	if (rc)
		return kioski_context_fail(ctx, rc, "printer profile '%s': %s", name, err);
	if (strcmp(out->name, name)) {
		kioski_context_fail(ctx, KIOSK_E_BAD_DOCUMENT, "printer profile '%s': name: is \"%s\", must match the file name",
				    name, out->name);
		memset(out, 0, sizeof *out);
		return KIOSK_E_BAD_DOCUMENT;
	}
	return KIOSK_OK;
}

int kioski_printer_profile_for_usb(kiosk_context *ctx, uint16_t vid, uint16_t pid,
				   struct kioski_printer_profile *out)
{
	char name[64];
	int rc = kioski_profile_for_usb(ctx, "printer", vid, pid, name, sizeof name);
	if (rc < 0)
		return kioski_context_fail(ctx, KIOSK_E_NOT_FOUND, "no printer profile lists USB id %04x:%04x", vid, pid);
	return kioski_printer_profile_load(ctx, name, out);
}

struct list_state {
	struct {
		char name[64];
		char description[128];
	} *e;
	size_t n, cap;
};

static void collect(const char *name, const char *json, void *user)
{
	struct list_state *s = user;
	struct kioski_printer_profile p;
	char err[8];
	if (kioski_printer_profile_parse(json, &p, err, sizeof err))
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		void *q = realloc(s->e, cap * sizeof *s->e);
		if (!q)
			return;
		s->e = q;
		s->cap = cap;
	}
	snprintf(s->e[s->n].name, sizeof s->e[s->n].name, "%s", name);
	snprintf(s->e[s->n].description, sizeof s->e[s->n].description, "%s", p.description);
	s->n++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

KIOSK_API int kiosk_receipt_profiles(void (*fn)(const char *name, const char *description, void *user),
				     void *user)
{
	struct list_state s = {0};
	kioski_profile_foreach("printer", collect, &s);
	if (s.n)
		qsort(s.e, s.n, sizeof *s.e, by_name);
	for (size_t i = 0; fn && i < s.n; i++)
		fn(s.e[i].name, s.e[i].description, user);
	free(s.e);
	return (int)s.n;
}
