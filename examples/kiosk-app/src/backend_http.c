/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * backend_http.c — the hall's approval system over a JSON REST contract
 * (documented in examples/kiosk-app/HTTP-API.md), via libcurl.
 *
 *   GET {base}/v1/meta                 {"id_salt": "…", "hash": "hmac-sha256"}
 *   GET {base}/v1/guides               a libkiosk-guides/1 catalog
 *   GET {base}/v1/cases/{number}       200 {"case": {…}} | 404
 *   GET {base}/v1/cases?holder={hash}  200 {"cases": [{…}, …]}
 *
 * Every request has a connect timeout (≤ 3 s) and a total timeout
 * (http_timeout_ms); any transport failure or 5xx is KAPP_E_OFFLINE, which
 * the app shows as a plain offline message. The ID number never leaves the
 * kiosk: only its salted hash does.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curl/curl.h>
#include <cjson/cJSON.h>
#include "core.h"

struct http {
	struct kapp_backend b;
	char base[512];
	char auth[300];
	char salt[128];
	int timeout_ms;
};

struct body {
	char *data;
	size_t len;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *user)
{
	struct body *b = user;
	size_t n = size * nmemb;
	if (b->len + n > 64u * 1024 * 1024)
		return 0; /* refuse absurd bodies */
	char *d = realloc(b->data, b->len + n + 1);
	if (!d)
		return 0;
	memcpy(d + b->len, ptr, n);
	b->len += n;
	d[b->len] = 0;
	b->data = d;
	return n;
}

static int on_progress(void *user, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	(void)dt, (void)dn, (void)ut, (void)un;
	volatile int *cancel = user;
	return cancel && *cancel ? 1 : 0; /* non-zero aborts the transfer */
}

/* GET base+path. Returns the HTTP status (>0) with *body, or KAPP_E_OFFLINE. */
static int get(struct http *h, const char *path, struct body *body, char *err, size_t len)
{
	char url[1200];
	snprintf(url, sizeof url, "%s%s", h->base, path);
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, len, "curl init failed");
		return KAPP_E_OFFLINE;
	}
	struct curl_slist *hdr = curl_slist_append(NULL, "Accept: application/json");
	if (h->auth[0])
		hdr = curl_slist_append(hdr, h->auth);
	memset(body, 0, sizeof *body);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(h->timeout_ms < 3000 ? h->timeout_ms : 3000));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)h->timeout_ms);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "libkiosk-kiosk-app/1");
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect could leave loopback */
	if (h->b.cancel) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)h->b.cancel);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	}
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	/* errors name the path without its query: a holder hash stays out of logs */
	int plen = (int)strcspn(path, "?");
	if (rc != CURLE_OK) {
		snprintf(err, len, "%.*s: %s", plen, path, curl_easy_strerror(rc));
		free(body->data);
		body->data = NULL;
		return KAPP_E_OFFLINE;
	}
	if (status >= 500) {
		snprintf(err, len, "%.*s: server error %ld", plen, path, status);
		free(body->data);
		body->data = NULL;
		return KAPP_E_OFFLINE;
	}
	return (int)status;
}

static int need_salt(struct http *h, char *err, size_t len)
{
	if (h->salt[0])
		return KAPP_OK;
	struct body b;
	int st = get(h, "/v1/meta", &b, err, len);
	if (st < 0)
		return st;
	cJSON *root = st == 200 && b.data ? cJSON_Parse(b.data) : NULL;
	free(b.data);
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "id_salt");
	if (!cJSON_IsString(s) || !*s->valuestring || strlen(s->valuestring) >= sizeof h->salt) {
		snprintf(err, len, "/v1/meta: no id_salt");
		cJSON_Delete(root);
		return KAPP_E_DATA;
	}
	snprintf(h->salt, sizeof h->salt, "%s", s->valuestring);
	cJSON_Delete(root);
	return KAPP_OK;
}

static int fetch_catalog(struct kapp_backend *bk, char **json, size_t *json_len, char *err,
			 size_t len)
{
	struct http *h = (struct http *)bk;
	struct body b;
	*json = NULL;
	*json_len = 0;
	int st = get(h, "/v1/guides", &b, err, len);
	if (st < 0)
		return st;
	if (st != 200 || !b.data) {
		snprintf(err, len, "/v1/guides: HTTP %d", st);
		free(b.data);
		return KAPP_E_DATA;
	}
	*json = b.data;
	*json_len = b.len;
	return KAPP_OK;
}

static int load_catalog(struct kapp_backend *bk, struct kapp_catalog **out, char *err, size_t len)
{
	char *json;
	size_t n;
	*out = NULL;
	int rc = fetch_catalog(bk, &json, &n, err, len);
	if (rc)
		return rc;
	rc = kapp_catalog_parse(json, n, out, err, len);
	free(json);
	return rc;
}

static bool safe_number(const char *n)
{
	if (!*n || strlen(n) > 32)
		return false;
	for (; *n; n++)
		if (!isalnum((unsigned char)*n) && *n != '-')
			return false;
	return true;
}

static int case_by_number(struct kapp_backend *bk, const char *number, struct kapp_case **out,
			  char *err, size_t len)
{
	struct http *h = (struct http *)bk;
	*out = NULL;
	if (!safe_number(number))
		return KAPP_NOT_FOUND;
	char path[80];
	snprintf(path, sizeof path, "/v1/cases/%s", number);
	struct body b;
	int st = get(h, path, &b, err, len);
	if (st < 0)
		return st;
	if (st == 404) {
		free(b.data);
		return KAPP_NOT_FOUND;
	}
	cJSON *root = st == 200 && b.data ? cJSON_Parse(b.data) : NULL;
	free(b.data);
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "case");
	if (!c) {
		snprintf(err, len, "%s: HTTP %d, no \"case\"", path, st);
		cJSON_Delete(root);
		return KAPP_E_DATA;
	}
	*out = kapp_case_from_json(c, 0, err, len);
	cJSON_Delete(root);
	return *out ? KAPP_OK : KAPP_E_DATA;
}

static int cases_by_holder(struct kapp_backend *bk, const char *id_number, struct kapp_case ***out,
			   size_t *n, char *err, size_t len)
{
	struct http *h = (struct http *)bk;
	*out = NULL;
	*n = 0;
	int rc = need_salt(h, err, len);
	if (rc)
		return rc;
	char hash[65], path[120];
	if (kapp_id_hash(h->salt, id_number, hash))
		return KAPP_E_ARG;
	snprintf(path, sizeof path, "/v1/cases?holder=%s", hash);
	kapp_wipe(hash, sizeof hash);
	struct body b;
	int st = get(h, path, &b, err, len);
	kapp_wipe(path, sizeof path);
	if (st < 0)
		return st;
	cJSON *root = st == 200 && b.data ? cJSON_Parse(b.data) : NULL;
	free(b.data);
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "cases");
	if (!cJSON_IsArray(arr)) {
		snprintf(err, len, "/v1/cases: HTTP %d, no \"cases\" array", st);
		cJSON_Delete(root);
		return KAPP_E_DATA;
	}
	size_t cnt = (size_t)cJSON_GetArraySize(arr);
	struct kapp_case **v = calloc(cnt + 1, sizeof *v);
	const cJSON *c;
	cJSON_ArrayForEach(c, arr) {
		if (!v)
			break;
		struct kapp_case *k = kapp_case_from_json(c, 0, err, len);
		if (k)
			v[(*n)++] = k;
	}
	cJSON_Delete(root);
	*out = v;
	return KAPP_OK;
}

static void http_free(struct kapp_backend *b)
{
	kapp_wipe(b, sizeof(struct http));
	free(b);
}

static void curl_ready(void)
{
	static int ready;
	if (!ready) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		ready = 1;
	}
}

bool kapp_url_allowed(const char *url, char *err, size_t len)
{
	if (!url || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))) {
		snprintf(err, len, "http_url must start with https:// (or http:// on loopback)");
		return false;
	}
	curl_ready();
	CURLU *u = curl_url();
	char *host = NULL, *scheme = NULL;
	bool ok = false;
	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) || curl_url_get(u, CURLUPART_SCHEME, &scheme, 0)) {
		snprintf(err, len, "http_url: not a valid URL");
	} else if (!strcmp(scheme, "https")) {
		ok = true;
	} else {
		/* http: the bearer token and the holder hashes would travel in clear */
		ok = !strcmp(host, "localhost") || !strcmp(host, "[::1]") || !strcmp(host, "::1") ||
		     !strncmp(host, "127.", 4);
		if (ok && !strncmp(host, "127.", 4)) { /* 127.x.y.z, digits and dots only */
			int dots = 0;
			for (const char *p = host; *p; p++) {
				if (*p == '.')
					dots++;
				else if (*p < '0' || *p > '9')
					ok = false;
			}
			ok = ok && dots == 3;
		}
		if (!ok)
			snprintf(err, len, "http_url: plain http:// is refused for %s (only loopback); use https://",
				 host);
	}
	curl_free(host);
	curl_free(scheme);
	curl_url_cleanup(u);
	return ok;
}

struct kapp_backend *kapp_backend_http_new(const char *base_url, const char *token,
					   const char *salt, int timeout_ms, char *err, size_t len)
{
	if (!kapp_url_allowed(base_url, err, len))
		return NULL;
	struct http *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->b.name = "http";
	h->b.load_catalog = load_catalog;
	h->b.fetch_catalog = fetch_catalog;
	h->b.case_by_number = case_by_number;
	h->b.cases_by_holder = cases_by_holder;
	h->b.free = http_free;
	snprintf(h->base, sizeof h->base, "%s", base_url);
	size_t n = strlen(h->base);
	while (n && h->base[n - 1] == '/')
		h->base[--n] = 0;
	if (token && *token)
		snprintf(h->auth, sizeof h->auth, "Authorization: Bearer %s", token);
	if (salt)
		snprintf(h->salt, sizeof h->salt, "%s", salt);
	h->timeout_ms = timeout_ms > 0 ? timeout_ms : 8000;
	return &h->b;
}

struct kapp_backend *kapp_backend_new(const struct kapp_config *cfg, int today, char *err,
				      size_t len)
{
	if (!strcmp(cfg->backend, "http"))
		return kapp_backend_http_new(cfg->http_url, cfg->http_token, cfg->http_salt,
					     cfg->http_timeout_ms, err, len);
	return kapp_backend_local_new(cfg->data_dir, today, err, len);
}
