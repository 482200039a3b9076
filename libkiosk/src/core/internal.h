/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * internal.h — core-private structures (context queue, jobs, events,
 * workers). Drivers and family front-ends use driver.h, never this file.
 */
#ifndef KIOSKI_INTERNAL_H
#define KIOSKI_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include "driver.h"

/* Something a worker thread hands to the application thread. */
struct kioski_item {
	kiosk_job *job;      /* a completed job whose callback is due, or */
	kiosk_event *event;  /* an event for the queue */
	struct kioski_item *next;
};

struct kioski_ctx_data {
	const void *key;
	void *value;
	void (*free_fn)(void *);
	struct kioski_ctx_data *next;
};

struct kiosk_context {
	pthread_mutex_t lock;          /* guards the queues below */
	int wake_fd;                   /* eventfd: readable while `posted` is non-empty */
	struct kioski_item *posted, *posted_tail; /* from workers, awaiting dispatch */
	kiosk_event *ready, *ready_tail;          /* dispatched events for next_event() */

	pthread_mutex_t log_lock;      /* guards log_fn, log_user, log_calls; never held
					* while the sink runs (log.c) */
	pthread_cond_t log_idle;       /* signalled when log_old_calls drops */
	uint64_t log_gen;              /* bumped whenever the sink changes */
	int log_calls;                 /* calls in progress of the current sink */
	int log_old_calls;             /* calls in progress of replaced sinks */
	atomic_int log_level;          /* enum kiosk_log_level; read without the lock */
	bool log_level_forced;         /* KIOSK_DEBUG set: overrides set_log (fixed at creation) */
	kiosk_log_fn log_fn;
	void *log_user;

	pthread_mutex_t error_lock;    /* guards last_error: workers fail too */
	char last_error[512];
	char *profile_dir;
	atomic_uint_fast64_t next_job_id;
	atomic_int open_devices;
	struct kioski_platform_watch *hotplug; /* kiosk_context_watch_hotplug(), platform/hotplug.c */
	struct kioski_ctx_data *data; /* kioski_context_set_data() */
	pthread_mutex_t devices_lock;  /* guards devices */
	struct kioski_worker *devices; /* open devices (device.c), for hotplug arrivals */
	_Atomic uint64_t last_input_ms; /* last touch/scan (kioski_now_ms), creation time at first */
};

struct kiosk_job {
	kiosk_context *ctx;
	uint64_t id;
	pthread_mutex_t lock;
	pthread_cond_t done_cond;
	atomic_int refs;
	enum kiosk_job_state state;
	int result;
	bool completed;
	atomic_bool cancelled;
	char message[256];
	kiosk_job_fn cb;
	void *user;
	void (*cancel_hook)(kiosk_job *job, void *arg);
	void *cancel_arg;
	void *payload;
	void (*payload_free)(void *);
	uint64_t bytes_written, bytes_confirmed, bytes_total; /* guarded by lock */
	enum kiosk_job_partial partial;
};

struct kiosk_event {
	enum kiosk_event_type type;
	kiosk_device *dev;
	char *uri;
	uint64_t time_ms;
	void *payload;
	void (*payload_free)(void *);
	char *scan;
	size_t scan_len;
	int error;
	enum kiosk_device_state state, old_state; /* DEVICE_STATE */
	kiosk_event *next;
};

/* context.c */
void kioski_context_post(kiosk_context *ctx, kiosk_job *job, kiosk_event *ev);
void kioski_context_purge_device(kiosk_context *ctx, kiosk_device *dev);

/* job.c: runs the callback of a completed job (dispatch only). */
void kioski_job_run_callback(kiosk_job *job);

/* device.c: a device at `uri` arrived (hotplug): open devices whose link is
 * lost and that it may be (usb: same VID:PID, and serial if both have one;
 * serial:/evdev: the same node, directly or through a symlink) try to
 * re-open it now instead of at their next back-off step. Any thread. */
void kioski_devices_arrived(kiosk_context *ctx, const char *uri);

/* hotplug.c: stops the hotplug watch (context teardown). */
void kioski_hotplug_stop(kiosk_context *ctx);

/* registry.c: the generated table. */
extern const struct kioski_driver *const kioski_driver_table[];

#endif
