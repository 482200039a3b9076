/* test.c — the assertion kit's helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test.h"

int test_failures;

int test_done(const char *name)
{
	if (test_failures) {
		fprintf(stderr, "%s: %d check(s) failed\n", name, test_failures);
		return 1;
	}
	fprintf(stderr, "%s: all checks passed\n", name);
	return 0;
}

void test_skip(const char *why)
{
	fprintf(stderr, "SKIP: %s\n", why);
	exit(77);
}

kiosk_context *test_context(void)
{
	kiosk_context *ctx = NULL;
	if (kiosk_context_new(&ctx) != KIOSK_OK) {
		fprintf(stderr, "cannot create context\n");
		exit(1);
	}
	return ctx;
}

const char *test_source_path(const char *rel)
{
	static char buf[4096];
	snprintf(buf, sizeof buf, "%s/%s", KIOSK_SOURCE_DIR, rel);
	return buf;
}

int test_have_program(const char *prog)
{
	const char *path = getenv("PATH");
	if (!path)
		return 0;
	char *copy = strdup(path), *save = NULL;
	int found = 0;
	for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char full[4096];
		snprintf(full, sizeof full, "%s/%s", dir, prog);
		found = access(full, X_OK) == 0;
	}
	free(copy);
	return found;
}
