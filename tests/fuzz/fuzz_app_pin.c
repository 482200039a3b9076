/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_app_pin.c — libFuzzer target for kiosk-app's maintenance-PIN parsers:
 * the stored hash ("pbkdf2-sha256$ITER$SALT$HASH" from the config) and the
 * lockout file (pin-lock.json, which survives restarts and may be damaged).
 *
 * First byte even: the rest is a stored hash. An accepted one has exactly
 * the shape the app writes (prefix, iterations >= the minimum, 32 hex salt,
 * 64 hex hash). No PIN is checked against it: an accepted hash costs at
 * least 100,000 PBKDF2 rounds, too slow for a fuzzer (app_state tests it).
 * First byte odd: the rest is the lockout file. Loading it never unlocks a
 * damaged file (fail closed), keeps the fail count within 0..1000 and the
 * remaining lock within 0..KAPP_PIN_MAX_LOCK_S whatever the clock says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core.h"

#define FAIL(...)                                                                           \
	do {                                                                                \
		fprintf(stderr, "fuzz_app_pin: " __VA_ARGS__);                              \
		fputc('\n', stderr);                                                        \
		abort();                                                                    \
	} while (0)

static bool hex_run(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return false;
	return true;
}

static void stored_hash(const char *text)
{
	if (!kapp_pin_hash_valid(text))
		return;
	const char *prefix = "pbkdf2-sha256$";
	if (strncmp(text, prefix, strlen(prefix)))
		FAIL("accepted without the prefix: '%s'", text);
	char *end;
	unsigned long it = strtoul(text + strlen(prefix), &end, 10);
	if (it < KAPP_PIN_MIN_ITERATIONS)
		FAIL("accepted %lu iterations", it);
	if (*end != '$' || !hex_run(end + 1, 32) || end[33] != '$' || !hex_run(end + 34, 64) ||
	    end[98])
		FAIL("accepted a malformed hash '%s'", text);
}

static void lock_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(text, 1, len, f);
	fclose(f);
	const int64_t now = 1764806400; /* 2025-12-04 */
	struct kapp_pin_lock l;
	int rc = kapp_pin_lock_load(path, &l, now, 30);
	if (l.fails < 0 || l.fails > 1000)
		FAIL("%d fails", l.fails);
	long left = kapp_pin_lock_remaining(&l, now);
	if (left < 0 || left > KAPP_PIN_MAX_LOCK_S)
		FAIL("locked for %ld s", left);
	if (rc != KAPP_OK && left == 0)
		FAIL("a damaged lock file unlocked maintenance");
	/* whatever was loaded, one more wrong PIN keeps the lock within bounds */
	kapp_pin_lock_fail(&l, now, 30);
	left = kapp_pin_lock_remaining(&l, now);
	if (left < 0 || left > KAPP_PIN_MAX_LOCK_S)
		FAIL("locked for %ld s after a wrong PIN", left);
}

static char path[64];

static void remove_lock_file(void)
{
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		snprintf(path, sizeof path, "/tmp/fuzz_app_pin.%ld.json", (long)getpid());
		atexit(remove_lock_file);
	}
	if (size < 1 || size > 4096)
		return 0;
	char *text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = 0;
	if (data[0] % 2 == 0)
		stored_hash(text);
	else
		lock_file(path, text, size - 1);
	free(text);
	return 0;
}
