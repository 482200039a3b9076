/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* datadir.c — a program's data directory, found relative to the program. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "datadir.h"

#ifndef KIOSK_DATADIR_FROM_BINDIR
#error "KIOSK_DATADIR_FROM_BINDIR (e.g. \"../share/libkiosk\") comes from CMake"
#endif

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int kiosk_program_datadir(const char *sub, const char *env, char *out, size_t len)
{
	const char *e = env ? getenv(env) : NULL;
	if (e && *e) {
		snprintf(out, len, "%s", e);
		return 0;
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0) {
		snprintf(out, len, "(cannot read /proc/self/exe)/%s/%s", KIOSK_DATADIR_FROM_BINDIR, sub);
		return -1;
	}
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	char tried[PATH_MAX + 64];
	if (KIOSK_DATADIR_FROM_BINDIR[0] == '/') /* an absolute datadir chosen at configure time */
		snprintf(tried, sizeof tried, "%s/%s", KIOSK_DATADIR_FROM_BINDIR, sub);
	else
		snprintf(tried, sizeof tried, "%s/%s/%s", exe, KIOSK_DATADIR_FROM_BINDIR, sub);
	char real[PATH_MAX];
	if (realpath(tried, real) && is_dir(real)) {
		snprintf(out, len, "%s", real);
		return 0;
	}
	snprintf(out, len, "%s", tried);
	return -1;
}
