/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * catalog_cache.c — the last good guide catalog on disk, so that a terminal
 * whose backend is down at start-up still shows the guides (with the time of
 * the copy), and the back-off of the background refresh.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "core.h"

int kapp_catalog_cache_load(const char *path, struct kapp_catalog **out, int64_t *saved, char *err,
			    size_t errlen)
{
	*out = NULL;
	struct stat st;
	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return KAPP_NOT_FOUND;
	}
	int rc = kapp_catalog_load(path, out, err, errlen);
	if (rc == KAPP_OK && saved)
		*saved = (int64_t)st.st_mtime;
	return rc;
}

int kapp_catalog_cache_store(const char *path, const char *json, size_t len, char *err,
			     size_t errlen)
{
	struct kapp_catalog *cat = NULL;
	int rc = kapp_catalog_parse(json, len, &cat, err, errlen);
	kapp_catalog_free(cat);
	if (rc)
		return rc; /* never replace a good copy by a bad one */
	if (kapp_file_replace(path, json, len)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return KAPP_E_OFFLINE;
	}
	return KAPP_OK;
}

uint32_t kapp_backoff_ms(int failures, uint32_t max_ms)
{
	if (failures <= 0)
		return 0;
	uint64_t d = 2000;
	for (int i = 1; i < failures && d < max_ms; i++)
		d *= 2;
	return d > max_ms ? max_ms : (uint32_t)d;
}
