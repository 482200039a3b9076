/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* log.c — levels, the per-context sink, the KIOSK_DEBUG override. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
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

/*
 * The sink runs with no library lock held, so that it may call back into
 * the library (kiosk_context_set_log() included, or a call that logs).
 * log_calls counts the sink calls in progress; replacing the sink waits
 * (bounded) for those of other threads, so that once kiosk_context_set_log()
 * returns the old sink and its `user` are no longer used.
 */

/* How long kiosk_context_set_log() waits for other threads' sink calls. */
#define LOG_SWAP_WAIT_MS 2000

/* The context whose sink this thread is running, and how deeply (a sink
 * that logs through the library nests). */
static __thread const kiosk_context *sink_ctx;
static __thread int sink_depth;

void kiosk_context_set_log(kiosk_context *ctx, enum kiosk_log_level level, kiosk_log_fn fn,
			   void *user)
{
	if (!ctx)
		return;
	pthread_mutex_lock(&ctx->log_lock);
	if (!ctx->log_level_forced)
		atomic_store(&ctx->log_level, level > KIOSK_LOG_DEBUG ? KIOSK_LOG_DEBUG : level);
	bool changed = ctx->log_fn != fn || ctx->log_user != user;
	ctx->log_fn = fn;
	ctx->log_user = user;
	/* Calls of the old sink on this thread (we are inside it) cannot end
	 * while we wait: leave them out. */
	int own = sink_ctx == ctx ? sink_depth : 0;
	if (changed && ctx->log_calls > own) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += LOG_SWAP_WAIT_MS / 1000;
		until.tv_nsec += (long)(LOG_SWAP_WAIT_MS % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (ctx->log_calls > own)
			if (pthread_cond_timedwait(&ctx->log_idle, &ctx->log_lock, &until))
				break; /* a sink that blocks: give up waiting, never deadlock */
	}
	pthread_mutex_unlock(&ctx->log_lock);
}

enum kiosk_log_level kiosk_context_get_log_level(kiosk_context *ctx)
{
	return ctx ? (enum kiosk_log_level)atomic_load(&ctx->log_level) : KIOSK_LOG_NONE;
}

bool kioski_log_enabled(kiosk_context *ctx, enum kiosk_log_level level)
{
	if (!ctx)
		return level <= KIOSK_LOG_WARN;
	return level != KIOSK_LOG_NONE && (int)level <= atomic_load(&ctx->log_level);
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
	if (!component)
		component = "core";
	kiosk_log_fn fn = NULL;
	void *user = NULL;
	if (ctx) {
		pthread_mutex_lock(&ctx->log_lock);
		fn = ctx->log_fn;
		user = ctx->log_user;
		if (fn)
			ctx->log_calls++;
		pthread_mutex_unlock(&ctx->log_lock);
	}
	if (!fn) {
		/* One fprintf is one locked stdio write: lines never interleave. */
		fprintf(stderr, "libkiosk[%s] %s: %s\n", component, level_names[level], msg);
		return;
	}
	const kiosk_context *outer_ctx = sink_ctx;
	int outer_depth = sink_depth;
	sink_ctx = ctx;
	sink_depth = outer_ctx == ctx ? outer_depth + 1 : 1;
	fn(ctx, level, component, msg, user); /* no library lock held */
	sink_ctx = outer_ctx;
	sink_depth = outer_depth;
	pthread_mutex_lock(&ctx->log_lock);
	ctx->log_calls--;
	pthread_cond_broadcast(&ctx->log_idle);
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
