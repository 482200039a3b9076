/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* log.c — levels, the per-context sink, the KIOSK_DEBUG override. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/internal.h"

static const char *level_names[] = {"none", "error", "warn", "info", "debug"};

/* Parses KIOSK_DEBUG: a level name or 0–4. Returns -1 if unset or unknown. */
int kioski_log_level_from_env(void)
{
	const char *v = getenv("KIOSK_DEBUG");
	if (!v || !v[0])
		return -1;
	if (v[0] >= '0' && v[0] <= '4' && !v[1])
		return v[0] - '0';
	for (int i = 0; i <= KIOSK_LOG_DEBUG; i++)
		if (!strcasecmp(v, level_names[i]))
			return i;
	if (!strcasecmp(v, "warning"))
		return KIOSK_LOG_WARN;
	return KIOSK_LOG_DEBUG; /* any other non-empty value: "yes, debug" */
}

void kiosk_context_set_log(kiosk_context *ctx, enum kiosk_log_level level, kiosk_log_fn fn,
			   void *user)
{
	if (!ctx)
		return;
	pthread_mutex_lock(&ctx->log_lock);
	if (!ctx->log_level_forced)
		ctx->log_level = level > KIOSK_LOG_DEBUG ? KIOSK_LOG_DEBUG : level;
	ctx->log_fn = fn;
	ctx->log_user = user;
	pthread_mutex_unlock(&ctx->log_lock);
}

enum kiosk_log_level kiosk_context_get_log_level(kiosk_context *ctx)
{
	return ctx ? ctx->log_level : KIOSK_LOG_NONE;
}

bool kioski_log_enabled(kiosk_context *ctx, enum kiosk_log_level level)
{
	if (!ctx)
		return level <= KIOSK_LOG_WARN;
	return level != KIOSK_LOG_NONE && level <= ctx->log_level;
}

void kioski_logv(kiosk_context *ctx, enum kiosk_log_level level, const char *component,
		 const char *fmt, va_list ap)
{
	if (!kioski_log_enabled(ctx, level))
		return;
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	if (ctx)
		pthread_mutex_lock(&ctx->log_lock);
	kiosk_log_fn fn = ctx ? ctx->log_fn : NULL;
	if (fn)
		fn(ctx, level, component ? component : "core", msg, ctx->log_user);
	else
		fprintf(stderr, "libkiosk[%s] %s: %s\n", component ? component : "core",
			level_names[level], msg);
	if (ctx)
		pthread_mutex_unlock(&ctx->log_lock);
}

void kioski_log(kiosk_context *ctx, enum kiosk_log_level level, const char *component,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kioski_logv(ctx, level, component, fmt, ap);
	va_end(ap);
}

int kioski_context_fail(kiosk_context *ctx, int err, const char *fmt, ...)
{
	if (!ctx)
		return err;
	char msg[sizeof ctx->last_error];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&ctx->error_lock);
	memcpy(ctx->last_error, msg, sizeof msg);
	pthread_mutex_unlock(&ctx->error_lock);
	kioski_log(ctx, KIOSK_LOG_INFO, "core", "%s (%s)", msg, kiosk_error_name(err));
	return err;
}
