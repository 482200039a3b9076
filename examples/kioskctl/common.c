/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* common.c — helpers shared by the kioskctl subcommands. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kioskctl.h"

static void log_to_stderr(kiosk_context *ctx, enum kiosk_log_level level, const char *component,
			  const char *msg, void *user)
{
	static const char *names[] = {"", "error", "warning", "info", "debug"};
	fprintf(stderr, "kioskctl: [%s] %s: %s\n", component, names[level], msg);
}

kiosk_context *kioskctl_context(void)
{
	kiosk_context *ctx = NULL;
	int r = kiosk_context_new(&ctx);
	if (r < 0) {
		fprintf(stderr, "kioskctl: cannot create context: %s\n", kiosk_strerror(r));
		exit(KIOSKCTL_EXIT_FAIL);
	}
	/* Errors are reported once, by the command itself; the log shows only with KIOSK_DEBUG. */
	kiosk_context_set_log(ctx, KIOSK_LOG_NONE, log_to_stderr, NULL);
	return ctx;
}

int kioskctl_fail(const char *what, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "kioskctl: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return KIOSKCTL_EXIT_FAIL;
}

int kioskctl_usage(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "kioskctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see kioskctl --help)\n");
	return KIOSKCTL_EXIT_USAGE;
}

int kioskctl_parse_seconds(const char *s)
{
	char *end = NULL;
	double v = strtod(s, &end);
	if (!s[0] || *end || !(v >= 0 && v <= 86400)) /* NaN fails both */
		return -1;
	return (int)(v * 1000.0 + 0.5);
}

void kioskctl_json_string(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		switch (*p) {
		case '"': fputs("\\\"", stdout); p++; continue;
		case '\\': fputs("\\\\", stdout); p++; continue;
		case '\n': fputs("\\n", stdout); p++; continue;
		case '\r': fputs("\\r", stdout); p++; continue;
		case '\t': fputs("\\t", stdout); p++; continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			printf("\\u%04x", *p);
			p++;
			continue;
		}
		int n = (int)kiosk_utf8_decode((const char *)p, 4, NULL);
		if (n == 0) {
			/* Not UTF-8 (e.g. a GB18030 scanner): JSON must stay valid, so the
			 * byte becomes U+FFFD; the plain output keeps the raw bytes. */
			fputs("\\ufffd", stdout);
			p++;
			continue;
		}
		fwrite(p, 1, (size_t)n, stdout);
		p += n;
	}
	putchar('"');
}
