/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* device.c — the common part of open devices and their worker threads. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/internal.h"

struct kioski_work {
	kiosk_job *job;
	kioski_work_fn fn;
	void *arg;
	struct kioski_work *next;
};

/* One thread per device: runs jobs in order and, when idle, the poll function. */
struct kioski_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	/* Held across a state change and the posting of its event, so that
	 * events reach the queue in the order of the changes (a reconnect
	 * request and the worker both change the state). Taken before lock. */
	pthread_mutex_t state_lock;
	pthread_cond_t cond;
	struct kioski_work *head, *tail;
	bool started;
	atomic_bool stop;
	kiosk_job *current;  /* the job running now (guarded by lock) */
	int poll_interval_ms;
	kioski_poll_fn poll_fn;
	uint64_t next_poll_ms;

	/* state and link recovery (guarded by lock) */
	enum kiosk_device_state state;
	bool relink_on;          /* the family re-opens lost links */
	kioski_relink_fn relink_fn;
	bool link_down;          /* lost, not yet re-opened */
	uint64_t next_relink_ms; /* next background attempt */
	int backoff_ms;          /* the wait before next_relink_ms */
	int min_backoff_ms, max_backoff_ms;

	kiosk_device *dev;            /* for the context's list (hotplug arrivals) */
	bool usb;                     /* a usb: device, matched by these (fixed at init) */
	uint16_t vid, pid;
	char serial[128];
	char path[256];               /* else the node path (serial:, evdev:), or "" */
	struct kioski_worker *ctx_next; /* guarded by ctx->devices_lock */
};

#define RELINK_MIN_MS 250
#define RELINK_MAX_MS 3000

const char *kiosk_device_class_name(enum kiosk_device_class cls)
{
	switch (cls) {
	case KIOSK_CLASS_IDCARD: return "idcard";
	case KIOSK_CLASS_PRINTER: return "printer";
	case KIOSK_CLASS_SCANNER: return "scanner";
	case KIOSK_CLASS_TOUCH: return "touch";
	}
	return "unknown";
}

int kioski_device_init(kiosk_device *dev, kiosk_context *ctx, enum kiosk_device_class cls,
		       const struct kioski_driver *driver, const kiosk_uri *uri)
{
	memset(dev, 0, sizeof *dev);
	dev->ctx = ctx;
	dev->cls = cls;
	dev->driver = driver;
	if (uri) {
		int r = kiosk_uri_parse(kiosk_uri_to_string(uri), &dev->uri, NULL, 0);
		if (r < 0)
			return r;
	}
	struct kioski_worker *w = calloc(1, sizeof *w);
	if (!w) {
		kiosk_uri_free(dev->uri);
		dev->uri = NULL;
		return KIOSK_E_NO_MEMORY;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_mutex_init(&w->state_lock, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &attr);
	pthread_condattr_destroy(&attr);
	atomic_init(&w->stop, false);
	w->min_backoff_ms = RELINK_MIN_MS;
	w->max_backoff_ms = RELINK_MAX_MS;
	w->dev = dev;
	if (dev->uri && kiosk_uri_get_scheme(dev->uri) == KIOSK_URI_USB) {
		const char *serial = kiosk_uri_get_option(dev->uri, "serial");
		w->usb = true;
		w->vid = kiosk_uri_get_vid(dev->uri);
		w->pid = kiosk_uri_get_pid(dev->uri);
		snprintf(w->serial, sizeof w->serial, "%s", serial ? serial : "");
	} else if (dev->uri && kiosk_uri_get_path(dev->uri)) {
		snprintf(w->path, sizeof w->path, "%s", kiosk_uri_get_path(dev->uri));
	}
	dev->worker = w;
	pthread_mutex_lock(&ctx->devices_lock);
	w->ctx_next = ctx->devices;
	ctx->devices = w;
	pthread_mutex_unlock(&ctx->devices_lock);
	atomic_fetch_add(&ctx->open_devices, 1);
	return KIOSK_OK;
}

/* Cancels the device's transport, but only while `job` is the one running:
 * a cancel that loses the race with completion must not hit the next job. */
static void device_cancel_hook(kiosk_job *job, void *arg)
{
	kiosk_device *dev = arg;
	struct kioski_worker *w = dev->worker;
	pthread_mutex_lock(&w->lock);
	if (w->current == job && dev->transport)
		kioski_transport_cancel(dev->transport);
	pthread_mutex_unlock(&w->lock);
}

void kioski_device_swap_transport(kiosk_device *dev, kioski_transport *t)
{
	struct kioski_worker *w = dev->worker;
	if (w)
		pthread_mutex_lock(&w->lock);
	kioski_transport *old = dev->transport;
	dev->transport = t;
	if (w)
		pthread_mutex_unlock(&w->lock);
	if (old && old != t)
		kioski_transport_close(old);
}

static void set_current(kiosk_device *dev, kiosk_job *job)
{
	pthread_mutex_lock(&dev->worker->lock);
	dev->worker->current = job;
	pthread_mutex_unlock(&dev->worker->lock);
}

static void run_work(kiosk_device *dev, struct kioski_work *wk)
{
	/* Becoming current first, then clearing, drops any cancel meant for an
	 * earlier job (the hook cancels only while its job is current). */
	set_current(dev, wk->job);
	if (dev->transport)
		kioski_transport_clear_cancel(dev->transport);
	/* The clear may have swallowed the cancel of a close that raced in. */
	if (kioski_device_stopping(dev)) {
		kioski_job_complete(wk->job, KIOSK_E_CANCELLED, "device closed");
		set_current(dev, NULL);
		return;
	}
	if (kioski_job_cancelled(wk->job)) {
		kioski_job_complete(wk->job, KIOSK_E_CANCELLED, "cancelled before it started");
		set_current(dev, NULL);
		return;
	}
	kioski_job_set_state(wk->job, KIOSK_JOB_RUNNING);
	kioski_job_set_cancel_hook(wk->job, device_cancel_hook, dev);
	/* A cancel that raced in before the hook was set still stops the transport. */
	if (kioski_job_cancelled(wk->job) && dev->transport)
		kioski_transport_cancel(dev->transport);
	wk->fn(dev, wk->job, wk->arg);
	set_current(dev, NULL);
}

static void *worker_main(void *arg)
{
	kiosk_device *dev = arg;
	struct kioski_worker *w = dev->worker;
	pthread_mutex_lock(&w->lock);
	while (!atomic_load(&w->stop)) {
		if (w->head) {
			struct kioski_work *wk = w->head;
			w->head = wk->next;
			if (!w->head)
				w->tail = NULL;
			pthread_mutex_unlock(&w->lock);
			run_work(dev, wk);
			kioski_job_unref(wk->job); /* the queue's reference */
			free(wk);
			pthread_mutex_lock(&w->lock);
			continue;
		}
		uint64_t now = kioski_now_ms(), wake = UINT64_MAX;
		/* A lost link is re-opened between jobs, backing off. */
		if (w->relink_on && w->link_down && w->max_backoff_ms > 0) {
			if (now >= w->next_relink_ms) {
				pthread_mutex_unlock(&w->lock);
				if (dev->transport)
					kioski_transport_clear_cancel(dev->transport);
				if (!kioski_device_stopping(dev))
					kioski_device_relink(dev);
				pthread_mutex_lock(&w->lock);
				continue;
			}
			wake = w->next_relink_ms;
		}
		if (w->poll_fn && w->poll_interval_ms > 0) {
			if (now >= w->next_poll_ms) {
				kioski_poll_fn fn = w->poll_fn;
				pthread_mutex_unlock(&w->lock);
				if (dev->transport)
					kioski_transport_clear_cancel(dev->transport);
				if (!kioski_device_stopping(dev)) /* a close's cancel may be gone */
					fn(dev);
				pthread_mutex_lock(&w->lock);
				w->next_poll_ms = kioski_now_ms() + (uint64_t)w->poll_interval_ms;
				continue;
			}
			if (w->next_poll_ms < wake)
				wake = w->next_poll_ms;
		}
		if (wake == UINT64_MAX) {
			pthread_cond_wait(&w->cond, &w->lock);
		} else {
			struct timespec until = {.tv_sec = (time_t)(wake / 1000),
						 .tv_nsec = (long)(wake % 1000) * 1000000L};
			pthread_cond_timedwait(&w->cond, &w->lock, &until);
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int kioski_device_start(kiosk_device *dev)
{
	struct kioski_worker *w = dev->worker;
	if (!w)
		return KIOSK_E_STATE;
	if (w->started)
		return KIOSK_OK;
	if (pthread_create(&w->thread, NULL, worker_main, dev) != 0)
		return kioski_device_fail(dev, KIOSK_E_NO_MEMORY, "cannot start the device thread");
	w->started = true;
	return KIOSK_OK;
}

void kioski_device_stop(kiosk_device *dev)
{
	struct kioski_worker *w = dev->worker;
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	atomic_store(&w->stop, true);
	pthread_cond_broadcast(&w->cond);
	if (dev->transport) /* under the lock: a swap cannot free it meanwhile */
		kioski_transport_cancel(dev->transport);
	pthread_mutex_unlock(&w->lock);
	if (w->started) {
		pthread_join(w->thread, NULL);
		w->started = false;
	}
	/* Jobs that never ran complete as cancelled: exactly one completion each. */
	pthread_mutex_lock(&w->lock);
	struct kioski_work *wk = w->head;
	w->head = w->tail = NULL;
	pthread_mutex_unlock(&w->lock);
	while (wk) {
		struct kioski_work *next = wk->next;
		kioski_job_complete(wk->job, KIOSK_E_CANCELLED, "device closed");
		kioski_job_unref(wk->job);
		free(wk);
		wk = next;
	}
	if (dev->transport)
		kioski_transport_clear_cancel(dev->transport);
}

bool kioski_device_stopping(kiosk_device *dev)
{
	return dev->worker && atomic_load(&dev->worker->stop);
}

void kioski_device_fini(kiosk_device *dev)
{
	if (!dev->ctx)
		return;
	kioski_device_stop(dev);
	if (dev->transport) {
		kioski_transport_close(dev->transport);
		dev->transport = NULL;
	}
	kioski_context_purge_device(dev->ctx, dev);
	if (dev->worker) {
		pthread_mutex_lock(&dev->ctx->devices_lock);
		for (struct kioski_worker **p = &dev->ctx->devices; *p; p = &(*p)->ctx_next)
			if (*p == dev->worker) {
				*p = dev->worker->ctx_next;
				break;
			}
		pthread_mutex_unlock(&dev->ctx->devices_lock);
		pthread_mutex_destroy(&dev->worker->lock);
		pthread_mutex_destroy(&dev->worker->state_lock);
		pthread_cond_destroy(&dev->worker->cond);
		free(dev->worker);
		dev->worker = NULL;
		atomic_fetch_sub(&dev->ctx->open_devices, 1);
	}
	kiosk_uri_free(dev->uri);
	dev->uri = NULL;
	dev->ctx = NULL;
}

int kioski_device_submit(kiosk_device *dev, kiosk_job *job, kioski_work_fn fn, void *arg)
{
	struct kioski_worker *w = dev->worker;
	if (!w || !w->started || atomic_load(&w->stop))
		return kioski_device_fail(dev, KIOSK_E_STATE, "device is not running");
	struct kioski_work *wk = calloc(1, sizeof *wk);
	if (!wk)
		return KIOSK_E_NO_MEMORY;
	wk->job = job;
	wk->fn = fn;
	wk->arg = arg;
	pthread_mutex_lock(&w->lock);
	if (atomic_load(&w->stop)) {
		/* Stopping now: kioski_device_stop() may have drained the queue already. */
		pthread_mutex_unlock(&w->lock);
		free(wk);
		return kioski_device_fail(dev, KIOSK_E_STATE, "device is not running");
	}
	kioski_job_ref(job);
	if (w->tail)
		w->tail->next = wk;
	else
		w->head = wk;
	w->tail = wk;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return KIOSK_OK;
}

void kioski_device_set_poll(kiosk_device *dev, int interval_ms, kioski_poll_fn fn)
{
	struct kioski_worker *w = dev->worker;
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->poll_interval_ms = fn ? interval_ms : 0;
	w->poll_fn = interval_ms > 0 ? fn : NULL;
	w->next_poll_ms = kioski_now_ms();
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

int kioski_device_fail(kiosk_device *dev, int err, const char *fmt, ...)
{
	char msg[sizeof dev->last_error];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* A failure repeated by polling (a reader unplugged all day) is logged
	 * once at WARN, then at DEBUG until something else happens. */
	pthread_mutex_lock(&dev->ctx->error_lock); /* read from other threads */
	bool repeat = !strcmp(msg, dev->last_error);
	memcpy(dev->last_error, msg, sizeof msg);
	pthread_mutex_unlock(&dev->ctx->error_lock);
	kioski_log(dev->ctx, repeat ? KIOSK_LOG_DEBUG : KIOSK_LOG_WARN,
		   dev->driver ? dev->driver->id : "core", "%s: %s (%s)",
		   dev->uri ? kiosk_uri_to_string(dev->uri) : "?", msg, kiosk_error_name(err));
	return err;
}

void kioski_device_set_error(kiosk_device *dev, const char *fmt, ...)
{
	char msg[sizeof dev->last_error];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&dev->ctx->error_lock);
	memcpy(dev->last_error, msg, sizeof msg);
	pthread_mutex_unlock(&dev->ctx->error_lock);
}

/* ---- state and link recovery ----------------------------------------------- */

const char *kiosk_device_state_name(enum kiosk_device_state state)
{
	switch (state) {
	case KIOSK_DEVICE_ONLINE: return "online";
	case KIOSK_DEVICE_OFFLINE: return "offline";
	default: return "unknown";
	}
}

enum kiosk_device_state kiosk_device_get_state(kiosk_device *dev)
{
	if (!dev || !dev->worker)
		return KIOSK_DEVICE_UNKNOWN;
	pthread_mutex_lock(&dev->worker->lock);
	enum kiosk_device_state st = dev->worker->state;
	pthread_mutex_unlock(&dev->worker->lock);
	return st;
}

void kioski_device_set_state(kiosk_device *dev, enum kiosk_device_state state, int err)
{
	struct kioski_worker *w = dev->worker;
	if (!w)
		return;
	pthread_mutex_lock(&w->state_lock);
	pthread_mutex_lock(&w->lock);
	enum kiosk_device_state old = w->state;
	w->state = state;
	pthread_mutex_unlock(&w->lock);
	if (old == state) {
		pthread_mutex_unlock(&w->state_lock);
		return;
	}
	const char *uri = dev->uri ? kiosk_uri_to_string(dev->uri) : "?";
	kiosk_event *ev = kioski_event_new(KIOSK_EVENT_DEVICE_STATE, dev, uri);
	if (ev) {
		ev->state = state;
		ev->old_state = old;
		if (state == KIOSK_DEVICE_OFFLINE)
			ev->error = err;
		kioski_post_event(dev->ctx, ev);
	}
	pthread_mutex_unlock(&w->state_lock);
	/* logged with no lock held: the log sink may call back into the library */
	if (state == KIOSK_DEVICE_OFFLINE)
		kioski_warn(dev->ctx, dev->driver ? dev->driver->id : "core", "%s: %s -> offline (%s)",
			    uri, kiosk_device_state_name(old), kiosk_error_name(err));
	else
		kioski_info(dev->ctx, dev->driver ? dev->driver->id : "core", "%s: %s -> %s", uri,
			    kiosk_device_state_name(old), kiosk_device_state_name(state));
}

void kioski_device_link_opened(kiosk_device *dev)
{
	switch (dev->uri ? kiosk_uri_get_scheme(dev->uri) : KIOSK_URI_FILE) {
	case KIOSK_URI_TCP:  /* a connection the printer accepted */
	case KIOSK_URI_USB:  /* an interface claimed on the attached device */
	case KIOSK_URI_EVDEV:
		kioski_device_set_state(dev, KIOSK_DEVICE_ONLINE, KIOSK_OK);
		break;
	default: /* a serial port or a file opens whether or not a device is behind it */
		kioski_device_set_state(dev, KIOSK_DEVICE_UNKNOWN, KIOSK_OK);
		break;
	}
}

void kioski_device_answered(kiosk_device *dev)
{
	kioski_device_set_state(dev, KIOSK_DEVICE_ONLINE, KIOSK_OK);
}

void kioski_device_enable_relink(kiosk_device *dev, kioski_relink_fn fn)
{
	struct kioski_worker *w = dev->worker;
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->relink_on = true;
	w->relink_fn = fn;
	pthread_mutex_unlock(&w->lock);
}

bool kioski_device_link_lost(kiosk_device *dev, int err)
{
	struct kioski_worker *w = dev->worker;
	if (!w)
		return false;
	pthread_mutex_lock(&w->lock);
	bool first = !w->link_down;
	w->link_down = true;
	if (first) {
		w->backoff_ms = w->min_backoff_ms;
		w->next_relink_ms = kioski_now_ms() + (uint64_t)w->backoff_ms;
	}
	pthread_mutex_unlock(&w->lock);
	if (!first)
		return false;
	kioski_device_fail(dev, err, "link lost: %s", kiosk_strerror(err));
	/* DEVICE_LEFT first: whoever sees the state change has the loss too */
	kiosk_event *ev = kioski_event_new(KIOSK_EVENT_DEVICE_LEFT, dev, NULL);
	if (ev) {
		kioski_event_set_error(ev, err);
		kioski_post_event(dev->ctx, ev);
	}
	kioski_device_set_state(dev, KIOSK_DEVICE_OFFLINE, err);
	return true;
}

bool kioski_device_link_down(kiosk_device *dev)
{
	struct kioski_worker *w = dev->worker;
	if (!w)
		return false;
	pthread_mutex_lock(&w->lock);
	bool down = w->link_down;
	pthread_mutex_unlock(&w->lock);
	return down;
}

int kioski_device_relink(kiosk_device *dev)
{
	struct kioski_worker *w = dev->worker;
	if (!w)
		return KIOSK_E_STATE;
	/* The old link goes first: a serial port is opened exclusively. */
	kioski_device_swap_transport(dev, NULL);
	kioski_transport *t = NULL;
	int r = kioski_transport_open(dev->ctx, dev->uri, &t);
	if (r == KIOSK_OK) {
		kioski_device_swap_transport(dev, t);
		pthread_mutex_lock(&w->lock);
		w->link_down = false;
		kioski_relink_fn fn = w->relink_fn;
		pthread_mutex_unlock(&w->lock);
		kioski_device_link_opened(dev);
		if (fn && (r = fn(dev)) != KIOSK_OK) {
			kioski_device_link_lost(dev, r);
			return r;
		}
		pthread_mutex_lock(&w->lock);
		w->backoff_ms = 0;
		pthread_mutex_unlock(&w->lock);
		kioski_info(dev->ctx, dev->driver ? dev->driver->id : "core", "%s: link re-opened",
			    kiosk_uri_to_string(dev->uri));
		return KIOSK_OK;
	}
	pthread_mutex_lock(&w->lock);
	int b = w->backoff_ms ? w->backoff_ms * 2 : w->min_backoff_ms;
	if (w->max_backoff_ms && b > w->max_backoff_ms)
		b = w->max_backoff_ms;
	w->backoff_ms = b;
	w->next_relink_ms = kioski_now_ms() + (uint64_t)b;
	pthread_mutex_unlock(&w->lock);
	/* repeated identical failures are logged once at WARN (kioski_device_fail) */
	kioski_device_fail(dev, r, "cannot re-open the link: %s", kiosk_context_last_error(dev->ctx));
	return r;
}

void kioski_devices_arrived(kiosk_context *ctx, const char *uri_text)
{
	kiosk_uri *arrived = NULL;
	if (!ctx || kiosk_uri_parse(uri_text, &arrived, NULL, 0) != KIOSK_OK)
		return;
	const char *serial = kiosk_uri_get_option(arrived, "serial");
	const char *node = kiosk_uri_get_path(arrived);
	bool usb = kiosk_uri_get_scheme(arrived) == KIOSK_URI_USB;
	pthread_mutex_lock(&ctx->devices_lock);
	for (struct kioski_worker *w = ctx->devices; w; w = w->ctx_next) {
		if (usb != w->usb)
			continue;
		if (usb && (w->vid != kiosk_uri_get_vid(arrived) || w->pid != kiosk_uri_get_pid(arrived) ||
			    (w->serial[0] && serial && strcmp(w->serial, serial))))
			continue;
		if (!usb) {
			/* the node itself, or a stable name (by-id, by-path) that
			 * points to it */
			char real[PATH_MAX];
			if (!node || !w->path[0] ||
			    (strcmp(w->path, node) &&
			     (!realpath(w->path, real) || strcmp(real, node))))
				continue;
		}
		pthread_mutex_lock(&w->lock);
		if (w->relink_on && w->link_down) {
			w->backoff_ms = 0;
			w->next_relink_ms = kioski_now_ms();
			pthread_cond_broadcast(&w->cond);
		}
		pthread_mutex_unlock(&w->lock);
	}
	pthread_mutex_unlock(&ctx->devices_lock);
	kiosk_uri_free(arrived);
}

int kiosk_device_set_reconnect(kiosk_device *dev, int min_ms, int max_ms)
{
	if (!dev || !dev->worker || min_ms < 10 || min_ms > 60000 ||
	    (max_ms && (max_ms < min_ms || max_ms > 600000)))
		return KIOSK_E_INVALID_ARG;
	struct kioski_worker *w = dev->worker;
	pthread_mutex_lock(&w->lock);
	int r = KIOSK_E_NOT_SUPPORTED;
	if (w->relink_on) {
		w->min_backoff_ms = min_ms;
		w->max_backoff_ms = max_ms;
		if (w->backoff_ms > max_ms && max_ms) {
			w->backoff_ms = max_ms;
			uint64_t soon = kioski_now_ms() + (uint64_t)max_ms;
			if (w->next_relink_ms > soon)
				w->next_relink_ms = soon;
		}
		pthread_cond_broadcast(&w->cond);
		r = KIOSK_OK;
	}
	pthread_mutex_unlock(&w->lock);
	return r;
}

int kiosk_device_reconnect(kiosk_device *dev)
{
	if (!dev || !dev->worker)
		return KIOSK_E_INVALID_ARG;
	struct kioski_worker *w = dev->worker;
	pthread_mutex_lock(&w->lock);
	if (!w->relink_on) {
		pthread_mutex_unlock(&w->lock);
		return KIOSK_E_NOT_SUPPORTED;
	}
	w->link_down = true;
	w->backoff_ms = 0;
	w->next_relink_ms = kioski_now_ms();
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	kioski_info(dev->ctx, dev->driver ? dev->driver->id : "core", "%s: reconnect requested",
		    kiosk_uri_to_string(dev->uri));
	kioski_device_set_state(dev, KIOSK_DEVICE_OFFLINE, KIOSK_E_CLOSED);
	return KIOSK_OK;
}

enum kiosk_device_class kiosk_device_get_class(kiosk_device *dev)
{
	return dev ? dev->cls : 0;
}

const char *kiosk_device_get_uri(kiosk_device *dev)
{
	return dev && dev->uri ? kiosk_uri_to_string(dev->uri) : "";
}

const char *kiosk_device_get_driver(kiosk_device *dev)
{
	return dev && dev->driver ? dev->driver->id : "";
}

const char *kiosk_device_last_error(kiosk_device *dev)
{
	/* A per-thread copy taken under the lock the worker writes under. */
	static __thread char copy[sizeof dev->last_error];
	if (!dev)
		return "";
	pthread_mutex_lock(&dev->ctx->error_lock);
	memcpy(copy, dev->last_error, sizeof copy);
	pthread_mutex_unlock(&dev->ctx->error_lock);
	return copy;
}

void kiosk_device_set_user_data(kiosk_device *dev, void *user)
{
	if (dev)
		dev->user_data = user;
}

void *kiosk_device_get_user_data(kiosk_device *dev)
{
	return dev ? dev->user_data : NULL;
}
