/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test.c — the assertion kit's helpers. */
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "driver.h"
#include "test.h"

extern char **environ;

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

int test_sim_start(const char *device, const char *const *args, char *uri, size_t uri_len)
{
	char sim[1024];
	snprintf(sim, sizeof sim, "%s/hw/sim/kiosk-sim", KIOSK_BINARY_DIR);
	const char *argv[34] = {sim, device};
	int n = 2;
	for (int i = 0; args && args[i] && n < 33; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	uri[0] = '\0';
	int fds[2];
	if (pipe(fds) < 0)
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	pid_t pid;
	int r = posix_spawn(&pid, sim, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (r != 0) {
		close(fds[0]);
		return -1;
	}
	/* One byte at a time up to the newline, so nothing after it is consumed. */
	size_t len = 0;
	uint64_t deadline = kioski_deadline(10000);
	while (len + 1 < uri_len && kioski_remaining_ms(deadline) > 0) {
		struct pollfd p = {.fd = fds[0], .events = POLLIN};
		if (poll(&p, 1, kioski_remaining_ms(deadline)) <= 0)
			continue;
		if (read(fds[0], uri + len, 1) != 1 || uri[len] == '\n')
			break;
		len++;
	}
	uri[len] = '\0';
	close(fds[0]); /* kiosk-sim ignores SIGPIPE: later lines are dropped */
	if (!len) {
		test_sim_stop(pid);
		return -1;
	}
	return pid;
}

int test_sim_stop(int pid)
{
	if (pid <= 0)
		return -1;
	kill(pid, SIGTERM);
	int st;
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}
