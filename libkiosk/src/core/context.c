/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* context.c — the context: its queues, the wake fd and dispatch. */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "core/internal.h"
#include <kiosk/version.h>

int kioski_log_level_from_env(void);

const char *kiosk_version(void)
{
	return KIOSK_VERSION_STRING;
}

void kiosk_free(void *p)
{
	if (!p)
		return;
	/* Buffers handed out may hold personal data (card JSON, photos, scans):
	 * wipe the whole allocation, whatever the caller knows of its size. */
	explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

int kiosk_context_new(kiosk_context **out)
{
	if (!out)
		return KIOSK_E_INVALID_ARG;
	*out = NULL;
	kiosk_context *ctx = calloc(1, sizeof *ctx);
	if (!ctx)
		return KIOSK_E_NO_MEMORY;
	ctx->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (ctx->wake_fd < 0) {
		free(ctx);
		return KIOSK_E_IO;
	}
	pthread_mutex_init(&ctx->lock, NULL);
	pthread_mutex_init(&ctx->log_lock, NULL);
	pthread_cond_init(&ctx->log_idle, NULL);
	pthread_mutex_init(&ctx->error_lock, NULL);
	pthread_mutex_init(&ctx->devices_lock, NULL);
	atomic_init(&ctx->log_level, KIOSK_LOG_WARN);
	int env = kioski_log_level_from_env();
	if (env >= 0) {
		atomic_store(&ctx->log_level, env);
		ctx->log_level_forced = true;
	}
	atomic_init(&ctx->next_job_id, 1);
	atomic_init(&ctx->open_devices, 0);
	atomic_init(&ctx->last_input_ms, kioski_now_ms());
	*out = ctx;
	return KIOSK_OK;
}

static void free_event_list(kiosk_event *ev)
{
	while (ev) {
		kiosk_event *next = ev->next;
		kiosk_event_free(ev);
		ev = next;
	}
}

void kiosk_context_free(kiosk_context *ctx)
{
	if (!ctx)
		return;
	int open = atomic_load(&ctx->open_devices);
	if (open)
		kioski_warn(ctx, "core", "context freed with %d device(s) still open", open);
	kioski_hotplug_stop(ctx);
	/* Completed jobs whose callbacks never ran: drop the library's reference. */
	struct kioski_item *it = ctx->posted;
	while (it) {
		struct kioski_item *next = it->next;
		if (it->job)
			kioski_job_unref(it->job);
		if (it->event)
			kiosk_event_free(it->event);
		free(it);
		it = next;
	}
	free_event_list(ctx->ready);
	while (ctx->data)
		kioski_context_set_data(ctx, ctx->data->key, NULL, NULL);
	close(ctx->wake_fd);
	free(ctx->profile_dir);
	pthread_mutex_destroy(&ctx->lock);
	pthread_mutex_destroy(&ctx->log_lock);
	pthread_cond_destroy(&ctx->log_idle);
	pthread_mutex_destroy(&ctx->error_lock);
	pthread_mutex_destroy(&ctx->devices_lock);
	free(ctx);
}

const char *kiosk_context_last_error(kiosk_context *ctx)
{
	/* A per-thread copy: a worker may record a failure while the caller reads. */
	static __thread char copy[sizeof ctx->last_error];
	if (!ctx)
		return "no context";
	pthread_mutex_lock(&ctx->error_lock);
	memcpy(copy, ctx->last_error, sizeof copy);
	pthread_mutex_unlock(&ctx->error_lock);
	return copy;
}

int kiosk_context_set_profile_dir(kiosk_context *ctx, const char *dir)
{
	if (!ctx)
		return KIOSK_E_INVALID_ARG;
	char *copy = NULL;
	if (dir && !(copy = strdup(dir)))
		return KIOSK_E_NO_MEMORY;
	free(ctx->profile_dir);
	ctx->profile_dir = copy;
	return KIOSK_OK;
}

int kioski_context_set_data(kiosk_context *ctx, const void *key, void *data,
			    void (*free_fn)(void *))
{
	struct kioski_ctx_data **pp = &ctx->data;
	while (*pp && (*pp)->key != key)
		pp = &(*pp)->next;
	struct kioski_ctx_data *d = *pp;
	if (d) {
		if (d->value && d->free_fn)
			d->free_fn(d->value);
		if (!data) {
			*pp = d->next;
			free(d);
			return KIOSK_OK;
		}
	} else {
		if (!data)
			return KIOSK_OK;
		if (!(d = calloc(1, sizeof *d)))
			return KIOSK_E_NO_MEMORY;
		d->key = key;
		d->next = ctx->data;
		ctx->data = d;
	}
	d->value = data;
	d->free_fn = free_fn;
	return KIOSK_OK;
}

void *kioski_context_get_data(kiosk_context *ctx, const void *key)
{
	for (struct kioski_ctx_data *d = ctx ? ctx->data : NULL; d; d = d->next)
		if (d->key == key)
			return d->value;
	return NULL;
}

int kiosk_context_get_fd(kiosk_context *ctx)
{
	return ctx ? ctx->wake_fd : -1;
}

/* Queues exactly one of `job` (a completion whose callback is due) or `ev`. */
void kioski_context_post(kiosk_context *ctx, kiosk_job *job, kiosk_event *ev)
{
	struct kioski_item *it = calloc(1, sizeof *it);
	if (!it) {
		/* Out of memory: an event is lost (logged); a job must still complete. */
		kioski_err(ctx, "core", "out of memory queueing a completion");
		if (ev)
			kiosk_event_free(ev);
		if (job)
			kioski_job_unref(job);
		return;
	}
	it->job = job;
	it->event = ev;
	pthread_mutex_lock(&ctx->lock);
	if (ctx->posted_tail)
		ctx->posted_tail->next = it;
	else
		ctx->posted = it;
	ctx->posted_tail = it;
	uint64_t one = 1;
	ssize_t w = write(ctx->wake_fd, &one, sizeof one);
	(void)w;
	pthread_mutex_unlock(&ctx->lock);
}

void kioski_post_event(kiosk_context *ctx, kiosk_event *ev)
{
	if (ctx && ev)
		kioski_context_post(ctx, NULL, ev);
}

int kiosk_context_dispatch(kiosk_context *ctx)
{
	if (!ctx)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&ctx->lock);
	struct kioski_item *list = ctx->posted;
	ctx->posted = ctx->posted_tail = NULL;
	uint64_t drained;
	ssize_t r = read(ctx->wake_fd, &drained, sizeof drained);
	(void)r;
	pthread_mutex_unlock(&ctx->lock);

	/* Events go to the ready queue first, all at once: a callback below
	 * may close a device, and kioski_context_purge_device() must then find
	 * that device's events there rather than in this local list. */
	pthread_mutex_lock(&ctx->lock);
	for (struct kioski_item *it = list; it; it = it->next) {
		if (!it->event)
			continue;
		it->event->next = NULL;
		if (ctx->ready_tail)
			ctx->ready_tail->next = it->event;
		else
			ctx->ready = it->event;
		ctx->ready_tail = it->event;
		it->event = NULL;
	}
	pthread_mutex_unlock(&ctx->lock);

	/* Callbacks run unlocked: they may submit jobs or close devices. */
	while (list) {
		struct kioski_item *it = list;
		list = it->next;
		if (it->job)
			kioski_job_run_callback(it->job);
		free(it);
	}
	return KIOSK_OK;
}

int kiosk_context_wait(kiosk_context *ctx, int timeout_ms)
{
	if (!ctx)
		return KIOSK_E_INVALID_ARG;
	uint64_t deadline = kioski_deadline(timeout_ms);
	for (;;) {
		struct pollfd p = {.fd = ctx->wake_fd, .events = POLLIN};
		int left = timeout_ms < 0 ? -1 : kioski_remaining_ms(deadline);
		int n = poll(&p, 1, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return KIOSK_E_IO;
		if (n == 0)
			return KIOSK_E_TIMEOUT;
		return kiosk_context_dispatch(ctx);
	}
}

kiosk_event *kiosk_context_next_event(kiosk_context *ctx)
{
	if (!ctx)
		return NULL;
	pthread_mutex_lock(&ctx->lock);
	kiosk_event *ev = ctx->ready;
	if (ev) {
		ctx->ready = ev->next;
		if (!ctx->ready)
			ctx->ready_tail = NULL;
		ev->next = NULL;
	}
	pthread_mutex_unlock(&ctx->lock);
	return ev;
}

void kioski_context_purge_device(kiosk_context *ctx, kiosk_device *dev)
{
	pthread_mutex_lock(&ctx->lock);
	/* Posted, not yet dispatched. */
	struct kioski_item **pp = &ctx->posted, *last = NULL;
	while (*pp) {
		struct kioski_item *it = *pp;
		if (it->event && it->event->dev == dev) { /* an item holds an event or a job */
			*pp = it->next;
			kiosk_event_free(it->event);
			free(it);
			continue;
		}
		last = it;
		pp = &it->next;
	}
	ctx->posted_tail = last;
	/* Dispatched, not yet taken. */
	kiosk_event **ep = &ctx->ready, *elast = NULL;
	while (*ep) {
		kiosk_event *ev = *ep;
		if (ev->dev == dev) {
			*ep = ev->next;
			kiosk_event_free(ev);
			continue;
		}
		elast = ev;
		ep = &ev->next;
	}
	ctx->ready_tail = elast;
	pthread_mutex_unlock(&ctx->lock);
}
