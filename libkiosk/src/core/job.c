/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* job.c — asynchronous operations that complete exactly once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/internal.h"

kiosk_job *kioski_job_new(kiosk_context *ctx, kiosk_job_fn cb, void *user)
{
	kiosk_job *job = calloc(1, sizeof *job);
	if (!job)
		return NULL;
	job->ctx = ctx;
	job->id = atomic_fetch_add(&ctx->next_job_id, 1);
	pthread_mutex_init(&job->lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&job->done_cond, &attr);
	pthread_condattr_destroy(&attr);
	atomic_init(&job->refs, 2); /* the caller's and the library's */
	atomic_init(&job->cancelled, false);
	job->state = KIOSK_JOB_QUEUED;
	job->cb = cb;
	job->user = user;
	return job;
}

void kioski_job_ref(kiosk_job *job)
{
	atomic_fetch_add(&job->refs, 1);
}

void kioski_job_unref(kiosk_job *job)
{
	if (!job || atomic_fetch_sub(&job->refs, 1) != 1)
		return;
	if (job->payload && job->payload_free)
		job->payload_free(job->payload);
	pthread_mutex_destroy(&job->lock);
	pthread_cond_destroy(&job->done_cond);
	free(job);
}

void kioski_job_discard(kiosk_job *job)
{
	if (!job)
		return;
	kioski_job_unref(job);
	kioski_job_unref(job);
}

void kioski_job_set_state(kiosk_job *job, enum kiosk_job_state state)
{
	pthread_mutex_lock(&job->lock);
	if (!job->completed)
		job->state = state;
	pthread_mutex_unlock(&job->lock);
}

bool kioski_job_cancelled(kiosk_job *job)
{
	return atomic_load(&job->cancelled);
}

void kioski_job_set_cancel_hook(kiosk_job *job, void (*hook)(kiosk_job *job, void *arg),
				void *arg)
{
	pthread_mutex_lock(&job->lock);
	job->cancel_hook = hook;
	job->cancel_arg = arg;
	pthread_mutex_unlock(&job->lock);
}

void kioski_job_set_payload(kiosk_job *job, void *payload, void (*free_fn)(void *))
{
	pthread_mutex_lock(&job->lock);
	if (job->payload && job->payload_free)
		job->payload_free(job->payload);
	job->payload = payload;
	job->payload_free = free_fn;
	pthread_mutex_unlock(&job->lock);
}

void *kioski_job_get_payload(kiosk_job *job)
{
	pthread_mutex_lock(&job->lock);
	void *p = job->payload;
	pthread_mutex_unlock(&job->lock);
	return p;
}

void *kioski_job_take_payload(kiosk_job *job)
{
	pthread_mutex_lock(&job->lock);
	void *p = job->payload;
	job->payload = NULL;
	job->payload_free = NULL;
	pthread_mutex_unlock(&job->lock);
	return p;
}

void *kioski_job_take_payload_of(kiosk_job *job, void (*free_fn)(void *))
{
	pthread_mutex_lock(&job->lock);
	void *p = NULL;
	if (job->payload && job->payload_free == free_fn) {
		p = job->payload;
		job->payload = NULL;
		job->payload_free = NULL;
	}
	pthread_mutex_unlock(&job->lock);
	return p;
}

void *kioski_job_get_payload_of(kiosk_job *job, void (*free_fn)(void *))
{
	pthread_mutex_lock(&job->lock);
	void *p = job->payload_free == free_fn ? job->payload : NULL;
	pthread_mutex_unlock(&job->lock);
	return p;
}

void kioski_job_complete(kiosk_job *job, int result, const char *fmt, ...)
{
	kioski_job_ref(job); /* the callback may run (and unref) before we return */
	pthread_mutex_lock(&job->lock);
	if (job->completed) {
		pthread_mutex_unlock(&job->lock);
		kioski_err(job->ctx, "core", "bug: job %llu completed twice (ignored)",
			   (unsigned long long)job->id);
		kioski_job_unref(job);
		return;
	}
	job->completed = true;
	job->state = KIOSK_JOB_DONE;
	job->result = result;
	job->cancel_hook = NULL;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(job->message, sizeof job->message, fmt, ap);
		va_end(ap);
	} else {
		snprintf(job->message, sizeof job->message, "%s", kiosk_strerror(result));
	}
	bool has_cb = job->cb != NULL;
	/* Queue the callback before waking waiters: whoever returns from
	 * kiosk_job_wait() and then dispatches sees it run. */
	if (has_cb)
		kioski_context_post(job->ctx, job, NULL); /* the library's ref rides along */
	pthread_cond_broadcast(&job->done_cond);
	pthread_mutex_unlock(&job->lock);
	kioski_dbg(job->ctx, "core", "job %llu done: %s (%s)", (unsigned long long)job->id,
		   kiosk_error_name(result), job->message);
	if (!has_cb)
		kioski_job_unref(job);
	kioski_job_unref(job);
}

void kioski_job_run_callback(kiosk_job *job)
{
	job->cb(job, job->result, job->user);
	kioski_job_unref(job);
}

uint64_t kiosk_job_get_id(kiosk_job *job)
{
	return job ? job->id : 0;
}

enum kiosk_job_state kiosk_job_get_state(kiosk_job *job)
{
	if (!job)
		return KIOSK_JOB_DONE;
	pthread_mutex_lock(&job->lock);
	enum kiosk_job_state s = job->state;
	pthread_mutex_unlock(&job->lock);
	return s;
}

int kiosk_job_get_result(kiosk_job *job)
{
	if (!job)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&job->lock);
	int r = job->completed ? job->result : KIOSK_E_STATE;
	pthread_mutex_unlock(&job->lock);
	return r;
}

const char *kiosk_job_get_message(kiosk_job *job)
{
	if (!job)
		return "";
	pthread_mutex_lock(&job->lock);
	const char *m = job->completed ? job->message : "";
	pthread_mutex_unlock(&job->lock);
	return m;
}

int kiosk_job_wait(kiosk_job *job, int timeout_ms)
{
	if (!job)
		return KIOSK_E_INVALID_ARG;
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	if (timeout_ms >= 0) {
		until.tv_sec += timeout_ms / 1000;
		until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&job->lock);
	while (!job->completed) {
		int r = timeout_ms < 0 ? pthread_cond_wait(&job->done_cond, &job->lock)
				       : pthread_cond_timedwait(&job->done_cond, &job->lock, &until);
		if (r == ETIMEDOUT)
			break;
	}
	int result = job->completed ? job->result : KIOSK_E_TIMEOUT;
	pthread_mutex_unlock(&job->lock);
	return result;
}

int kiosk_job_cancel(kiosk_job *job)
{
	if (!job)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&job->lock);
	if (job->completed) {
		pthread_mutex_unlock(&job->lock);
		return KIOSK_E_STATE;
	}
	atomic_store(&job->cancelled, true);
	void (*hook)(kiosk_job *, void *) = job->cancel_hook;
	void *arg = job->cancel_arg;
	kioski_job_ref(job); /* the hook may run after a concurrent completion */
	pthread_mutex_unlock(&job->lock);
	if (hook)
		hook(job, arg);
	kioski_job_unref(job);
	return KIOSK_OK;
}

kiosk_job *kiosk_job_ref(kiosk_job *job)
{
	if (job)
		kioski_job_ref(job);
	return job;
}

void kiosk_job_unref(kiosk_job *job)
{
	kioski_job_unref(job);
}

void kiosk_job_free(kiosk_job *job)
{
	kioski_job_unref(job);
}

void kioski_job_set_progress(kiosk_job *job, uint64_t written, uint64_t confirmed, uint64_t total,
			     enum kiosk_job_partial partial)
{
	pthread_mutex_lock(&job->lock);
	if (!job->completed) {
		job->bytes_written = written;
		job->bytes_confirmed = confirmed;
		job->bytes_total = total;
		job->partial = partial;
	}
	pthread_mutex_unlock(&job->lock);
}

enum kiosk_job_partial kiosk_job_get_partial(kiosk_job *job)
{
	if (!job)
		return KIOSK_JOB_PARTIAL_NONE;
	pthread_mutex_lock(&job->lock);
	enum kiosk_job_partial p = job->completed ? job->partial : KIOSK_JOB_PARTIAL_NONE;
	pthread_mutex_unlock(&job->lock);
	return p;
}

int kiosk_job_get_bytes(kiosk_job *job, uint64_t *written, uint64_t *confirmed, uint64_t *total)
{
	if (!job)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&job->lock);
	if (written)
		*written = job->bytes_written;
	if (confirmed)
		*confirmed = job->bytes_confirmed;
	if (total)
		*total = job->bytes_total;
	pthread_mutex_unlock(&job->lock);
	return KIOSK_OK;
}
