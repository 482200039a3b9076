/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fleet_settings.c — the settings staff may change from the hall's side
 * (config/set of the fleet, docs/fleet.md): validated here, kept in
 * state_dir/fleet-settings.json and laid over the configuration file.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include <kiosk/kiosk.h>
#include "core.h"

struct int_setting {
	const char *name;
	unsigned bit;
	int lo, hi;
	size_t offset;
};

/* The same ranges as the configuration file's keys (config.c). */
static const struct int_setting ints[] = {
	{"idle_warn_s", KAPP_SET_IDLE_WARN, 5, 3600, offsetof(struct kapp_fleet_settings, idle_warn_s)},
	{"idle_countdown_s", KAPP_SET_IDLE_COUNTDOWN, 3, 600,
	 offsetof(struct kapp_fleet_settings, idle_countdown_s)},
	{"attract_s", KAPP_SET_ATTRACT, 10, 86400, offsetof(struct kapp_fleet_settings, attract_s)},
};

bool kapp_banner_valid(const char *text)
{
	if (!text)
		return false;
	size_t n = 0;
	while (*text) {
		uint32_t cp;
		size_t k = kiosk_utf8_decode(text, 4, &cp);
		if (!k || cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029)
			return false;
		text += k;
		if (++n > KAPP_BANNER_MAX_CHARS)
			return false;
	}
	return true;
}

static int parse_object(const cJSON *o, bool allow_version, struct kapp_fleet_settings *out,
			char *err, size_t errlen)
{
	struct kapp_fleet_settings s = {0};
	if (!cJSON_IsObject(o))
		return snprintf(err, errlen, "settings must be a JSON object"), KAPP_E_DATA;
	if (!o->child)
		return snprintf(err, errlen, "no settings"), KAPP_E_DATA;
	for (const cJSON *m = o->child; m; m = m->next) {
		const char *k = m->string;
		if (allow_version && !strcmp(k, "v"))
			continue;
		size_t i;
		for (i = 0; i < sizeof ints / sizeof ints[0]; i++)
			if (!strcmp(k, ints[i].name))
				break;
		if (i < sizeof ints / sizeof ints[0]) {
			const struct int_setting *d = &ints[i];
			if (cJSON_IsNull(m)) {
				s.clear |= d->bit;
				s.set &= ~d->bit;
				continue;
			}
			double v = cJSON_IsNumber(m) ? m->valuedouble : NAN;
			if (!(v >= d->lo && v <= d->hi) || v != floor(v))
				return snprintf(err, errlen, "%s: must be an integer %d..%d", k, d->lo, d->hi),
				       KAPP_E_DATA;
			*(int *)((char *)&s + d->offset) = (int)v;
			s.set |= d->bit;
			s.clear &= ~d->bit;
		} else if (!strcmp(k, "banner")) {
			if (cJSON_IsNull(m)) {
				s.clear |= KAPP_SET_BANNER;
				s.set &= ~KAPP_SET_BANNER;
				continue;
			}
			if (!cJSON_IsString(m) || !kapp_banner_valid(m->valuestring) ||
			    strlen(m->valuestring) >= sizeof s.banner)
				return snprintf(err, errlen, "banner: must be a text of at most %d characters "
						"without control characters", KAPP_BANNER_MAX_CHARS),
				       KAPP_E_DATA;
			snprintf(s.banner, sizeof s.banner, "%s", m->valuestring);
			s.set |= KAPP_SET_BANNER;
			s.clear &= ~KAPP_SET_BANNER;
		} else if (!strcmp(k, "large_text")) {
			if (cJSON_IsNull(m)) {
				s.clear |= KAPP_SET_LARGE_TEXT;
				s.set &= ~KAPP_SET_LARGE_TEXT;
				continue;
			}
			if (!cJSON_IsBool(m))
				return snprintf(err, errlen, "large_text: must be true or false"), KAPP_E_DATA;
			s.large_text = cJSON_IsTrue(m);
			s.set |= KAPP_SET_LARGE_TEXT;
			s.clear &= ~KAPP_SET_LARGE_TEXT;
		} else {
			/* a long key is cut in the reason */
			return snprintf(err, errlen, "unknown setting: %.40s", k), KAPP_E_DATA;
		}
	}
	*out = s;
	return KAPP_OK;
}

int kapp_fleet_settings_parse(const char *json, struct kapp_fleet_settings *out, char *err,
			      size_t errlen)
{
	cJSON *o = json ? cJSON_Parse(json) : NULL;
	if (!o) {
		snprintf(err, errlen, "not valid JSON");
		return KAPP_E_DATA;
	}
	int rc = parse_object(o, false, out, err, errlen);
	cJSON_Delete(o);
	return rc;
}

void kapp_fleet_settings_merge(struct kapp_fleet_settings *into,
			       const struct kapp_fleet_settings *u)
{
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
		if (u->set & ints[i].bit)
			*(int *)((char *)into + ints[i].offset) = *(const int *)((const char *)u + ints[i].offset);
	if (u->set & KAPP_SET_BANNER)
		snprintf(into->banner, sizeof into->banner, "%s", u->banner);
	if (u->set & KAPP_SET_LARGE_TEXT)
		into->large_text = u->large_text;
	into->set = (into->set | u->set) & ~u->clear;
	into->clear = 0;
	if (!(into->set & KAPP_SET_BANNER))
		into->banner[0] = 0;
}

int kapp_fleet_settings_load(const char *path, struct kapp_fleet_settings *out, char *err,
			     size_t errlen)
{
	memset(out, 0, sizeof *out);
	size_t len = 0;
	char *text = kapp_read_file(path, &len);
	if (!text) {
		if (errno == ENOENT)
			return KAPP_NOT_FOUND;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return KAPP_E_DATA;
	}
	cJSON *o = cJSON_ParseWithLength(text, len);
	free(text);
	char e[160] = "not valid JSON";
	int rc = o ? parse_object(o, true, out, e, sizeof e) : KAPP_E_DATA;
	cJSON_Delete(o);
	if (rc == KAPP_OK && out->clear)
		rc = KAPP_E_DATA, snprintf(e, sizeof e, "null values");
	if (rc) {
		memset(out, 0, sizeof *out);
		snprintf(err, errlen, "%s: %s", path, e);
	}
	return rc;
}

int kapp_fleet_settings_save(const char *path, const struct kapp_fleet_settings *s)
{
	cJSON *o = cJSON_CreateObject();
	if (!o) {
		errno = ENOMEM;
		return KAPP_E_OFFLINE;
	}
	cJSON_AddNumberToObject(o, "v", 1);
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
		if (s->set & ints[i].bit)
			cJSON_AddNumberToObject(o, ints[i].name,
						*(const int *)((const char *)s + ints[i].offset));
	if (s->set & KAPP_SET_BANNER)
		cJSON_AddStringToObject(o, "banner", s->banner);
	if (s->set & KAPP_SET_LARGE_TEXT)
		cJSON_AddBoolToObject(o, "large_text", s->large_text);
	char *js = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!js) {
		errno = ENOMEM;
		return KAPP_E_OFFLINE;
	}
	size_t n = strlen(js);
	int rc = kapp_file_replace(path, js, n) ? KAPP_E_OFFLINE : KAPP_OK;
	int e = errno;
	free(js);
	errno = e;
	return rc;
}

void kapp_fleet_settings_apply(const struct kapp_fleet_settings *s, const struct kapp_config *base,
			       struct kapp_config *out)
{
	out->idle_warn_s = s->set & KAPP_SET_IDLE_WARN ? s->idle_warn_s : base->idle_warn_s;
	out->idle_countdown_s =
		s->set & KAPP_SET_IDLE_COUNTDOWN ? s->idle_countdown_s : base->idle_countdown_s;
	out->attract_s = s->set & KAPP_SET_ATTRACT ? s->attract_s : base->attract_s;
	out->large_text = s->set & KAPP_SET_LARGE_TEXT ? s->large_text : base->large_text;
	snprintf(out->banner, sizeof out->banner, "%s",
		 s->set & KAPP_SET_BANNER ? s->banner : base->banner);
}
