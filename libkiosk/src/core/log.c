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
 * Calls in progress are counted per sink generation; replacing the sink
 * from outside any sink waits (bounded) until the calls of the replaced
 * sinks have returned, so that once kiosk_context_set_log() returns the old
 * sink and its `user` are no longer used. From inside a sink it does not
 * wait (that call itself is still running the old sink, and other threads'
 * sinks may be waiting the same way).
 */

/* How long kiosk_context_set_log() waits for other threads' sink calls. */
#define LOG_SWAP_WAIT_MS 2000

/* How deeply this thread is inside sink calls (a sink that logs nests). */
static __thread int sink_depth;

void kiosk_context_set_log(kiosk_context *ctx, enum kiosk_log_level level, kiosk_log_fn fn,
			   void *user)
{
	if (!ctx)
		return;
	pthread_mutex_lock(&ctx->log_lock);
	if (!ctx->log_level_forced)
		atomic_store(&ctx->log_level, level > KIOSK_LOG_DEBUG ? KIOSK_LOG_DEBUG : level);
	if (ctx->log_fn != fn || ctx->log_user != user) {
		ctx->log_fn = fn;
		ctx->log_user = user;
		ctx->log_gen++;
		ctx->log_old_calls += ctx->log_calls;
		ctx->log_calls = 0;
	}
	if (sink_depth == 0 && ctx->log_old_calls > 0) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += LOG_SWAP_WAIT_MS / 1000;
		until.tv_nsec += (long)(LOG_SWAP_WAIT_MS % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (ctx->log_old_calls > 0)
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
	uint64_t gen = 0;
	if (ctx) {
		pthread_mutex_lock(&ctx->log_lock);
		fn = ctx->log_fn;
		user = ctx->log_user;
		gen = ctx->log_gen;
		if (fn)
			ctx->log_calls++;
		pthread_mutex_unlock(&ctx->log_lock);
	}
	if (!fn) {
		/* One fprintf is one locked stdio write: lines never interleave. */
		fprintf(stderr, "libkiosk[%s] %s: %s\n", component, level_names[level], msg);
		return;
	}
	sink_depth++;
	fn(ctx, level, component, msg, user); /* no library lock held */
	sink_depth--;
	pthread_mutex_lock(&ctx->log_lock);
	if (gen == ctx->log_gen) {
		ctx->log_calls--;
	} else {
		ctx->log_old_calls--;
		pthread_cond_broadcast(&ctx->log_idle);
	}
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
