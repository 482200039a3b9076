/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* util.c — UTF-8 steps, privacy helpers (salted hashes, wiping), dates. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <cjson/cJSON.h>
#include <kiosk/privacy.h>
#include <kiosk/utf8.h>
#include "core.h"

/* UTF-8 steps: libkiosk's (kiosk/utf8.h), so the app reads text as the library does. */
uint32_t kapp_utf8_next(const char **sp)
{
	uint32_t cp;
	size_t n = kiosk_utf8_decode(*sp, 4, &cp);
	*sp += n ? n : 1; /* an invalid byte gives U+FFFD and is skipped */
	return cp;
}

int kapp_utf8_put(uint32_t cp, char *o)
{
	size_t n = kiosk_utf8_encode(cp, o);
	return n ? (int)n : (int)kiosk_utf8_encode(0xFFFD, o);
}

size_t kapp_utf8_len(const char *s)
{
	size_t n = 0;
	while (*s) {
		kapp_utf8_next(&s);
		n++;
	}
	return n;
}

bool kapp_is_wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	       (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

/* ---- privacy ------------------------------------------------------------ */

void kapp_wipe(void *p, size_t len)
{
	if (p && len)
		explicit_bzero(p, len);
}

void kapp_free_str(char *s)
{
	if (!s)
		return;
	kapp_wipe(s, strlen(s));
	free(s);
}

void kapp_hex(const uint8_t *d, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * n] = 0;
}

int kapp_id_hash(const char *salt, const char *id_number, char out[65])
{
	if (!salt || !id_number)
		return KAPP_E_ARG;
	char up[64];
	size_t n = strlen(id_number);
	if (n >= sizeof up)
		return KAPP_E_ARG;
	for (size_t i = 0; i < n; i++)
		up[i] = (char)toupper((unsigned char)id_number[i]);
	struct hmac_sha256_ctx h;
	uint8_t d[SHA256_DIGEST_SIZE];
	hmac_sha256_set_key(&h, strlen(salt), (const uint8_t *)salt);
	hmac_sha256_update(&h, n, (const uint8_t *)up);
	hmac_sha256_digest(&h, sizeof d, d);
	kapp_hex(d, sizeof d, out);
	kapp_wipe(up, sizeof up);
	kapp_wipe(&h, sizeof h);
	return KAPP_OK;
}

bool kapp_str_ct_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na != nb)
		return false;
	unsigned char x = 0;
	for (size_t i = 0; i < na; i++)
		x |= (unsigned char)(a[i] ^ b[i]);
	return x == 0;
}

bool kapp_id_number_valid(const char *id)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	if (!id || strlen(id) != 18)
		return false;
	int s = 0;
	for (int i = 0; i < 17; i++) {
		if (!isdigit((unsigned char)id[i]))
			return false;
		s += (id[i] - '0') * w[i];
	}
	return "10X98765432"[s % 11] == toupper((unsigned char)id[17]);
}

/* ---- dates ---------------------------------------------------------------- */

/* Howard Hinnant's civil-date algorithms (public domain description). */
int kapp_day_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void kapp_day_to_ymd(int z, int *py, int *pm, int *pd)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int y = yoe + era * 400;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp + (mp < 10 ? 3 : -9);
	*py = y + (m <= 2);
	*pm = m;
	*pd = d;
}

int kapp_day_parse(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return -1;
		} else if (!isdigit((unsigned char)s[i])) {
			return -1;
		}
	}
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	int day = kapp_day_from_ymd(y, m, d);
	int yy, mm, dd;
	kapp_day_to_ymd(day, &yy, &mm, &dd);
	return (yy == y && mm == m && dd == d) ? day : -1;
}

void kapp_day_format(int day, char out[11])
{
	int y, m, d;
	kapp_day_to_ymd(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

int kapp_weekday(int day)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0). */
	int w = (day + 3) % 7;
	return w < 0 ? w + 7 : w;
}

int kapp_today(void)
{
	const char *env = getenv("KIOSK_APP_TODAY");
	if (env && kapp_day_parse(env) >= 0)
		return kapp_day_parse(env);
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	return kapp_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int day_list(cJSON *arr, int **out, size_t *n, const char *what, char *err, size_t errlen)
{
	*out = NULL;
	*n = 0;
	if (!arr)
		return KAPP_OK;
	if (!cJSON_IsArray(arr)) {
		snprintf(err, errlen, "%s: must be an array of dates", what);
		return KAPP_E_DATA;
	}
	int cnt = cJSON_GetArraySize(arr);
	*out = calloc((size_t)cnt + 1, sizeof(int));
	if (!*out)
		return KAPP_E_DATA;
	cJSON *it;
	cJSON_ArrayForEach(it, arr) {
		int d = cJSON_IsString(it) ? kapp_day_parse(it->valuestring) : -1;
		if (d < 0) {
			snprintf(err, errlen, "%s[%zu]: not a YYYY-MM-DD date", what, *n);
			free(*out);
			*out = NULL;
			*n = 0;
			return KAPP_E_DATA;
		}
		(*out)[(*n)++] = d;
	}
	qsort(*out, *n, sizeof(int), cmp_int);
	return KAPP_OK;
}

int kapp_calendar_from_json(struct kapp_calendar *cal, const char *json, char *err, size_t errlen)
{
	memset(cal, 0, sizeof *cal);
	cJSON *root = cJSON_Parse(json);
	if (!root || !cJSON_IsObject(root)) {
		snprintf(err, errlen, "holidays: not a JSON object");
		cJSON_Delete(root);
		return KAPP_E_DATA;
	}
	int rc = day_list(cJSON_GetObjectItem(root, "holidays"), &cal->holidays, &cal->n_holidays,
			  "holidays", err, errlen);
	if (!rc)
		rc = day_list(cJSON_GetObjectItem(root, "workdays"), &cal->workdays,
			      &cal->n_workdays, "workdays", err, errlen);
	cJSON_Delete(root);
	if (rc)
		kapp_calendar_free(cal);
	return rc;
}

int kapp_calendar_load(struct kapp_calendar *cal, const char *path, char *err, size_t errlen)
{
	char *text = kapp_read_file(path, NULL);
	if (!text) {
		memset(cal, 0, sizeof *cal);
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return KAPP_NOT_FOUND;
	}
	int rc = kapp_calendar_from_json(cal, text, err, errlen);
	free(text);
	return rc;
}

void kapp_calendar_free(struct kapp_calendar *cal)
{
	free(cal->holidays);
	free(cal->workdays);
	memset(cal, 0, sizeof *cal);
}

static bool in_sorted(const int *v, size_t n, int x)
{
	return n && bsearch(&x, v, n, sizeof(int), cmp_int);
}

bool kapp_is_working_day(const struct kapp_calendar *cal, int day)
{
	if (cal && in_sorted(cal->workdays, cal->n_workdays, day))
		return true;
	if (cal && in_sorted(cal->holidays, cal->n_holidays, day))
		return false;
	return kapp_weekday(day) < 5;
}

/* ---- files ------------------------------------------------------------------ */

char *kapp_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0) {
		fclose(f);
		return NULL;
	}
	long n = ftell(f);
	if (n < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	char *buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	if (len)
		*len = (size_t)n;
	return buf;
}

int kapp_mkdirs(const char *path)
{
	char tmp[1024];
	if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
		return -1;
	for (char *p = tmp + 1; *p; p++) {
		if (*p == '/') {
			*p = 0;
			if (mkdir(tmp, 0755) && errno != EEXIST)
				return -1;
			*p = '/';
		}
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return -1;
	return 0;
}
