/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* profile.c — device profiles: embedded JSON, overridable from a directory. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/internal.h"
#include "core/profiles.h"

#define PROFILE_MAX_BYTES (256 * 1024)

static bool safe_name(const char *s)
{
	if (!s || !*s || strlen(s) > 100)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '_' || *s == '.') ||
		    (s[0] == '.' && s[1] == '.'))
			return false;
	return true;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(PROFILE_MAX_BYTES + 1);
	size_t n = buf ? fread(buf, 1, PROFILE_MAX_BYTES + 1, f) : 0;
	fclose(f);
	if (!buf || n > PROFILE_MAX_BYTES) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* The override directories, in order: the context's, then $KIOSK_PROFILE_DIR. */
static char *load_override(kiosk_context *ctx, const char *family, const char *name)
{
	const char *dirs[2] = {ctx ? ctx->profile_dir : NULL, getenv("KIOSK_PROFILE_DIR")};
	for (int i = 0; i < 2; i++) {
		if (!dirs[i] || !*dirs[i])
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s/%s.json", dirs[i], family, name);
		char *text = read_file(path);
		if (text) {
			kioski_dbg(ctx, "core", "profile %s/%s from %s", family, name, path);
			return text;
		}
	}
	return NULL;
}

int kioski_profile_load(kiosk_context *ctx, const char *family, const char *name, char **json)
{
	if (!json)
		return KIOSK_E_INVALID_ARG;
	*json = NULL;
	if (!safe_name(family) || !safe_name(name))
		return kioski_context_fail(ctx, KIOSK_E_INVALID_ARG, "bad profile name '%s'",
					   name ? name : "(null)");
	char *text = load_override(ctx, family, name);
	if (!text) {
		for (const struct kioski_embedded_profile *p = kioski_embedded_profiles; p->family; p++)
			if (!strcmp(p->family, family) && !strcmp(p->name, name)) {
				text = strdup(p->json);
				if (!text)
					return KIOSK_E_NO_MEMORY;
				break;
			}
	}
	if (!text)
		return kioski_context_fail(ctx, KIOSK_E_NOT_FOUND, "no %s profile named '%s'", family, name);
	*json = text;
	return KIOSK_OK;
}

/* True if the profile's "usb" list ("VVVV:PPPP" strings) holds vid:pid. */
static bool profile_has_usb(const char *json, uint16_t vid, uint16_t pid)
{
	cJSON *doc = cJSON_Parse(json);
	bool found = false;
	const cJSON *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(doc, "usb")) {
		uint16_t v, p;
		if (cJSON_IsString(it) && kioski_parse_usb_id(it->valuestring, &v, &p) && v == vid &&
		    p == pid) {
			found = true;
			break;
		}
	}
	cJSON_Delete(doc);
	return found;
}

int kioski_profile_for_usb(kiosk_context *ctx, const char *family, uint16_t vid, uint16_t pid,
			   char *name, size_t name_len)
{
	for (const struct kioski_embedded_profile *p = kioski_embedded_profiles; p->family; p++) {
		if (strcmp(p->family, family))
			continue;
		char *text = load_override(ctx, family, p->name);
		bool hit = profile_has_usb(text ? text : p->json, vid, pid);
		free(text);
		if (hit) {
			snprintf(name, name_len, "%s", p->name);
			return KIOSK_OK;
		}
	}
	return KIOSK_E_NOT_FOUND;
}

void kioski_profile_foreach(const char *family,
			    void (*fn)(const char *name, const char *json, void *user), void *user)
{
	for (const struct kioski_embedded_profile *p = kioski_embedded_profiles; p->family; p++)
		if (!family || !strcmp(p->family, family))
			fn(p->name, p->json, user);
}
