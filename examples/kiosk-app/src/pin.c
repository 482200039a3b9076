/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pin.c — the maintenance PIN: a slow salted hash (PBKDF2-HMAC-SHA256 from
 * nettle) and the lockout after wrong PINs, kept in a state file so that it
 * holds per terminal, across visitor sessions and across restarts.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <nettle/pbkdf2.h>
#include <cjson/cJSON.h>
#include "core.h"

#define PREFIX "pbkdf2-sha256$"

static int unhex(const char *s, size_t n, uint8_t *out)
{
	for (size_t i = 0; i < n; i++) {
		int v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[2 * i + k];
			int x = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
			if (x < 0)
				return -1;
			v = v * 16 + x;
		}
		out[i] = (uint8_t)v;
	}
	return 0;
}

bool kapp_pin_valid(const char *pin)
{
	size_t n = pin ? strlen(pin) : 0;
	if (n < KAPP_PIN_MIN_DIGITS || n > KAPP_PIN_MAX_DIGITS)
		return false;
	for (size_t i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return false;
	return true;
}

int kapp_pin_hash(const char *pin, const uint8_t salt[KAPP_PIN_SALT_BYTES], unsigned iterations,
		  char *out, size_t len)
{
	if (!kapp_pin_valid(pin) || iterations < KAPP_PIN_MIN_ITERATIONS)
		return KAPP_E_ARG;
	uint8_t d[32];
	char salt_hex[2 * KAPP_PIN_SALT_BYTES + 1], d_hex[65];
	pbkdf2_hmac_sha256(strlen(pin), (const uint8_t *)pin, iterations, KAPP_PIN_SALT_BYTES, salt,
			   sizeof d, d);
	kapp_hex(salt, KAPP_PIN_SALT_BYTES, salt_hex);
	kapp_hex(d, sizeof d, d_hex);
	kapp_wipe(d, sizeof d);
	int n = snprintf(out, len, PREFIX "%u$%s$%s", iterations, salt_hex, d_hex);
	kapp_wipe(d_hex, sizeof d_hex);
	return n > 0 && (size_t)n < len ? KAPP_OK : KAPP_E_ARG;
}

/* Splits a stored hash; false when it is not PREFIX ITER$SALT$HASH with sane values. */
static bool parse(const char *stored, unsigned *iter, uint8_t salt[KAPP_PIN_SALT_BYTES])
{
	if (!stored || strncmp(stored, PREFIX, strlen(PREFIX)))
		return false;
	const char *p = stored + strlen(PREFIX);
	char *end;
	errno = 0;
	unsigned long it = strtoul(p, &end, 10);
	if (errno || end == p || *end != '$' || it < KAPP_PIN_MIN_ITERATIONS || it > 100000000ul)
		return false;
	const char *s = end + 1, *d = strchr(s, '$');
	if (!d || d - s != 2 * KAPP_PIN_SALT_BYTES || strlen(d + 1) != 64)
		return false;
	uint8_t tmp[32];
	if (unhex(s, KAPP_PIN_SALT_BYTES, salt) || unhex(d + 1, 32, tmp))
		return false;
	*iter = (unsigned)it;
	return true;
}

bool kapp_pin_hash_valid(const char *stored)
{
	unsigned it;
	uint8_t salt[KAPP_PIN_SALT_BYTES];
	return parse(stored, &it, salt);
}

bool kapp_pin_check(const char *pin, const char *stored)
{
	unsigned it;
	uint8_t salt[KAPP_PIN_SALT_BYTES];
	if (!kapp_pin_valid(pin) || !parse(stored, &it, salt))
		return false;
	char calc[200];
	if (kapp_pin_hash(pin, salt, it, calc, sizeof calc))
		return false;
	bool ok = strlen(calc) == strlen(stored) && kapp_str_ct_equal(calc, stored);
	kapp_wipe(calc, sizeof calc);
	return ok;
}

/* ---- lockout ---------------------------------------------------------------- */

long kapp_pin_lock_delay(int fails, int base_s)
{
	if (fails < KAPP_PIN_FREE_TRIES)
		return 0;
	long d = base_s > 0 ? base_s : 1;
	for (int i = KAPP_PIN_FREE_TRIES; i < fails && d < KAPP_PIN_MAX_LOCK_S; i++)
		d *= 2;
	return d > KAPP_PIN_MAX_LOCK_S ? KAPP_PIN_MAX_LOCK_S : d;
}

long kapp_pin_lock_remaining(const struct kapp_pin_lock *l, int64_t now)
{
	if (l->until <= now)
		return 0;
	int64_t left = l->until - now;
	/* the clock went back (or the file was edited): never more than the longest lock */
	return left > KAPP_PIN_MAX_LOCK_S ? KAPP_PIN_MAX_LOCK_S : (long)left;
}

void kapp_pin_lock_fail(struct kapp_pin_lock *l, int64_t now, int base_s)
{
	if (l->fails < 1000)
		l->fails++;
	long d = kapp_pin_lock_delay(l->fails, base_s);
	l->until = d ? now + d : 0;
}

void kapp_pin_lock_reset(struct kapp_pin_lock *l)
{
	l->fails = 0;
	l->until = 0;
}

int kapp_pin_lock_load(const char *path, struct kapp_pin_lock *l, int64_t now, int base_s)
{
	kapp_pin_lock_reset(l);
	size_t len;
	char *text = kapp_read_file(path, &len);
	if (!text && errno == ENOENT)
		return KAPP_OK;
	cJSON *root = text ? cJSON_ParseWithLength(text, len) : NULL;
	free(text);
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, "fails");
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(root, "until");
	int rc = KAPP_OK;
	/* `until` within ±2^53 s: a double beyond cannot be a time and does not fit int64_t */
	if (cJSON_IsNumber(f) && cJSON_IsNumber(u) && f->valuedouble >= 0 && f->valuedouble <= 1000 &&
	    u->valuedouble >= -9007199254740992.0 && u->valuedouble <= 9007199254740992.0) {
		l->fails = (int)f->valuedouble;
		l->until = (int64_t)u->valuedouble;
	} else {
		/* unreadable: fail closed, as after the free tries */
		l->fails = KAPP_PIN_FREE_TRIES;
		l->until = now + kapp_pin_lock_delay(l->fails, base_s);
		rc = KAPP_E_DATA;
	}
	cJSON_Delete(root);
	return rc;
}

int kapp_pin_lock_save(const char *path, const struct kapp_pin_lock *l)
{
	char buf[96];
	int n = snprintf(buf, sizeof buf, "{\"fails\":%d,\"until\":%" PRId64 "}\n", l->fails, l->until);
	return kapp_file_replace(path, buf, (size_t)n) ? KAPP_E_OFFLINE : KAPP_OK;
}
