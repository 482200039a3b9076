/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* printer.c — the receipt-printer front-end: kiosk_printer_* on top of a
 * printer driver's ops (drivers/escpos), run on the device worker. */
#include <limits.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "printer/printer_private.h"

#define COMP "printer"

static const struct kioski_printer_ops *ops_of(kiosk_printer *prn)
{
	return prn->base.driver->ops;
}

const char *kiosk_paper_state_name(enum kiosk_paper_state paper)
{
	switch (paper) {
	case KIOSK_PAPER_OK: return "ok";
	case KIOSK_PAPER_NEAR_END: return "near_end";
	case KIOSK_PAPER_OUT: return "out";
	default: return "unknown";
	}
}

const char *kiosk_tristate_name(enum kiosk_tristate v)
{
	switch (v) {
	case KIOSK_YES: return "yes";
	case KIOSK_NO: return "no";
	default: return "unknown";
	}
}

/* The size of struct kiosk_printer_status in 1.0, the smallest accepted. */
#define STATUS_SIZE_1_0 (offsetof(struct kiosk_printer_status, time_ms) + sizeof(uint64_t))

/* Copies the library's snapshot into a caller's struct of st->size bytes. */
static int status_out(struct kiosk_printer_status *dst, const struct kiosk_printer_status *src)
{
	if (dst->size < STATUS_SIZE_1_0)
		return KIOSK_E_INVALID_ARG;
	size_t n = dst->size < sizeof *src ? dst->size : sizeof *src;
	memcpy((char *)dst + sizeof dst->size, (const char *)src + sizeof src->size,
	       n - sizeof dst->size);
	dst->size = n;
	return KIOSK_OK;
}

const char *kiosk_printer_status_summary(const struct kiosk_printer_status *st)
{
	if (!st || st->size < STATUS_SIZE_1_0)
		return "unknown";
	bool any = st->raw[0] || st->raw[1] || st->raw[2] || st->raw[3] ||
		   st->paper != KIOSK_PAPER_UNKNOWN;
	if (!any || st->online == KIOSK_NO) {
		if (any && st->cover_open == KIOSK_YES)
			return "cover_open";
		if (any && st->paper == KIOSK_PAPER_OUT)
			return "out";
		return "offline";
	}
	if (st->cover_open == KIOSK_YES)
		return "cover_open";
	if (st->paper == KIOSK_PAPER_OUT)
		return "out";
	if (st->cutter_error == KIOSK_YES || st->unrecoverable_error == KIOSK_YES)
		return "error";
	if (st->paper == KIOSK_PAPER_NEAR_END)
		return "near_end";
	if (st->paper == KIOSK_PAPER_OK)
		return "ok";
	return "unknown";
}

bool kioski_printer_status_changed(const struct kiosk_printer_status *a,
				   const struct kiosk_printer_status *b)
{
	return a->paper != b->paper || a->cover_open != b->cover_open || a->online != b->online ||
	       a->paper_stop != b->paper_stop || a->error != b->error ||
	       a->cutter_error != b->cutter_error ||
	       a->unrecoverable_error != b->unrecoverable_error ||
	       a->recoverable_error != b->recoverable_error;
}

void kioski_printer_note_status(kiosk_printer *prn, const struct kiosk_printer_status *st_in)
{
	struct kiosk_printer_status cur = *st_in;
	const struct kiosk_printer_status *st = &cur;
	cur.size = sizeof cur;
	pthread_mutex_lock(&prn->lock);
	bool changed = !prn->have_last || kioski_printer_status_changed(&prn->last, st);
	prn->last = *st;
	prn->have_last = true;
	pthread_mutex_unlock(&prn->lock);
	if (!changed)
		return;
	kioski_info(prn->base.ctx, COMP, "status: %s (paper %s, cover open %s, online %s)",
		    kiosk_printer_status_summary(st), kiosk_paper_state_name(st->paper),
		    kiosk_tristate_name(st->cover_open), kiosk_tristate_name(st->online));
	struct kiosk_printer_status *copy = malloc(sizeof *copy);
	kiosk_event *ev = copy ? kioski_event_new(KIOSK_EVENT_PRINTER_STATUS, &prn->base,
						  kiosk_uri_to_string(prn->base.uri))
			       : NULL;
	if (!ev) {
		free(copy);
		return;
	}
	*copy = cur;
	kioski_event_set_payload(ev, copy, free);
	kioski_post_event(prn->base.ctx, ev);
}

/* Reopens a lost link now (worker only): the core closes the old link,
 * opens the URI again and runs relinked() below. */
int kioski_printer_relink(kiosk_printer *prn)
{
	return kioski_device_relink(&prn->base);
}

/* The core re-opened the link: the driver starts afresh on it. */
static int relinked(kiosk_device *dev)
{
	kiosk_printer *prn = (kiosk_printer *)dev;
	if (ops_of(prn)->relinked)
		ops_of(prn)->relinked(prn);
	return KIOSK_OK;
}

static void poll_fn(kiosk_device *dev)
{
	kiosk_printer *prn = (kiosk_printer *)dev;
	if (kioski_device_link_down(dev))
		return; /* the core re-opens it in the background */
	if (!prn->status_channel || !prn->profile.dle_eot)
		return;
	struct kiosk_printer_status st;
	ops_of(prn)->status(prn, 1500, &st);
}

/* ---- open / close -------------------------------------------------------- */

int kiosk_printer_open(kiosk_context *ctx, const char *uri_text, const char *profile,
		       kiosk_printer **out)
{
	if (out)
		*out = NULL;
	if (!ctx || !uri_text || !out)
		return ctx ? kioski_context_fail(ctx, KIOSK_E_INVALID_ARG,
						 "kiosk_printer_open: NULL argument")
			   : KIOSK_E_INVALID_ARG;
	kiosk_uri *uri = NULL;
	char msg[160];
	int r = kiosk_uri_parse(uri_text, &uri, msg, sizeof msg);
	if (r != KIOSK_OK)
		return kioski_context_fail(ctx, r, "%s: %s", uri_text, msg);

	const struct kioski_driver *drv = kioski_driver_find("escpos");
	if (!drv)
		drv = kioski_driver_default(KIOSK_CLASS_PRINTER);
	if (!drv) {
		kiosk_uri_free(uri);
		return kioski_context_fail(ctx, KIOSK_E_NOT_FOUND, "no printer driver compiled in");
	}
	kiosk_printer *prn = calloc(1, sizeof *prn);
	if (!prn) {
		kiosk_uri_free(uri);
		return KIOSK_E_NO_MEMORY;
	}
	pthread_mutex_init(&prn->lock, NULL);
	prn->paper_wait_ms = KIOSKI_PRINTER_DEFAULT_PAPER_WAIT_MS;
	prn->poll_ms = KIOSKI_PRINTER_DEFAULT_POLL_MS;
	prn->status_channel = true;

	/* profile: argument, URI option, USB id, default */
	const char *name = profile ? profile : kiosk_uri_get_option(uri, "profile");
	if (name)
		r = kioski_printer_profile_load(ctx, name, &prn->profile);
	else {
		r = KIOSK_E_NOT_FOUND;
		if (kiosk_uri_get_scheme(uri) == KIOSK_URI_USB)
			r = kioski_printer_profile_for_usb(ctx, kiosk_uri_get_vid(uri),
							   kiosk_uri_get_pid(uri), &prn->profile);
		if (r == KIOSK_E_NOT_FOUND)
			r = kioski_printer_profile_load(ctx, KIOSKI_DEFAULT_PRINTER_PROFILE,
							&prn->profile);
	}
	long v = KIOSKI_PRINTER_DEFAULT_IO_TIMEOUT_MS;
	if (r == KIOSK_OK)
		r = kiosk_uri_get_option_int(uri, "timeout_ms", 10, 600000,
					     KIOSKI_PRINTER_DEFAULT_IO_TIMEOUT_MS, &v);
	if (r != KIOSK_OK) {
		if (r == KIOSK_E_BAD_URI)
			kioski_context_fail(ctx, r, "%s: timeout_ms must be 10..600000", uri_text);
		pthread_mutex_destroy(&prn->lock);
		free(prn);
		kiosk_uri_free(uri);
		return r; /* the profile loader set the context's message */
	}
	prn->io_timeout_ms = (int)v;
	const char *st = kiosk_uri_get_option(uri, "status");
	if (st && (!strcmp(st, "none") || !strcmp(st, "0") || !strcmp(st, "off")))
		prn->status_channel = false;
	if (kiosk_uri_get_scheme(uri) == KIOSK_URI_FILE) {
		/* a plain file (a spool, a test) cannot answer */
		struct stat sb;
		const char *path = kiosk_uri_get_path(uri);
		if (path && stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			prn->status_channel = false;
	}

	r = kioski_device_init(&prn->base, ctx, KIOSK_CLASS_PRINTER, drv, uri);
	kiosk_uri_free(uri);
	if (r != KIOSK_OK) {
		pthread_mutex_destroy(&prn->lock);
		free(prn);
		return r;
	}
	r = kioski_transport_open(ctx, prn->base.uri, &prn->base.transport);
	if (r == KIOSK_OK)
		r = ((const struct kioski_printer_ops *)drv->ops)->open(prn);
	if (r == KIOSK_OK)
		r = kioski_device_start(&prn->base);
	if (r != KIOSK_OK) {
		if (prn->base.priv)
			ops_of(prn)->close(prn);
		if (!kiosk_context_last_error(ctx)[0])
			kioski_context_fail(ctx, r, "%s: %s", uri_text, kiosk_strerror(r));
		kioski_device_fini(&prn->base);
		pthread_mutex_destroy(&prn->lock);
		free(prn);
		return r;
	}
	kioski_device_enable_relink(&prn->base, relinked);
	kioski_device_link_opened(&prn->base);
	if (prn->status_channel && prn->profile.dle_eot)
		kioski_device_set_poll(&prn->base, prn->poll_ms, poll_fn);
	kioski_info(ctx, COMP, "opened %s with profile %s", uri_text, prn->profile.name);
	*out = prn;
	return KIOSK_OK;
}

void kiosk_printer_close(kiosk_printer *prn)
{
	if (!prn)
		return;
	kioski_device_stop(&prn->base);
	ops_of(prn)->close(prn);
	kioski_device_fini(&prn->base);
	pthread_mutex_destroy(&prn->lock);
	free(prn);
}

kiosk_device *kiosk_printer_device(kiosk_printer *prn)
{
	return prn ? &prn->base : NULL;
}

const char *kiosk_printer_get_profile_name(kiosk_printer *prn)
{
	return prn ? prn->profile.name : "";
}

/* How long the app thread waits for work queued behind a job: the caller's
 * timeout plus a paper wait and slack, without overflowing an int. */
static int queued_wait_ms(kiosk_printer *prn, int timeout_ms)
{
	pthread_mutex_lock(&prn->lock);
	long long ms = (long long)timeout_ms + prn->paper_wait_ms + 30000;
	pthread_mutex_unlock(&prn->lock);
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* ---- status ---------------------------------------------------------------- */

struct status_work {
	int timeout_ms;
	int result;
	struct kiosk_printer_status st;
};

static void status_fn(kiosk_device *dev, kiosk_job *job, void *arg)
{
	kiosk_printer *prn = (kiosk_printer *)dev;
	struct status_work *w = arg;
	if (kioski_device_link_down(dev) && (w->result = kioski_printer_relink(prn)) != KIOSK_OK) {
		kioski_job_complete(job, w->result, "%s", prn->base.last_error);
		return;
	}
	w->result = ops_of(prn)->status(prn, w->timeout_ms, &w->st);
	kioski_job_complete(job, w->result, NULL);
}

int kiosk_printer_get_status(kiosk_printer *prn, int timeout_ms, struct kiosk_printer_status *st)
{
	if (!prn || !st || timeout_ms < 0)
		return KIOSK_E_INVALID_ARG;
	struct kiosk_printer_status unknown = {.size = sizeof unknown};
	if (status_out(st, &unknown) != KIOSK_OK)
		return kioski_device_fail(&prn->base, KIOSK_E_INVALID_ARG,
					  "status: st->size is not set (KIOSK_PRINTER_STATUS_INIT)");
	if (!prn->status_channel || !prn->profile.dle_eot)
		return kioski_device_fail(&prn->base, KIOSK_E_NOT_SUPPORTED,
					  "this printer (profile %s, link %s) reports no status",
					  prn->profile.name, kiosk_uri_to_string(prn->base.uri));
	struct status_work *w = calloc(1, sizeof *w);
	kiosk_job *job = w ? kioski_job_new(prn->base.ctx, NULL, NULL) : NULL;
	if (!job) {
		free(w);
		return KIOSK_E_NO_MEMORY;
	}
	w->timeout_ms = timeout_ms;
	kioski_job_set_payload(job, w, free);
	int r = kioski_device_submit(&prn->base, job, status_fn, w);
	if (r != KIOSK_OK) {
		kioski_job_unref(job);
		kioski_job_unref(job);
		return r;
	}
	/* the query runs after a job in progress: allow for it, but stay bounded */
	kiosk_job_wait(job, queued_wait_ms(prn, timeout_ms));
	if (kiosk_job_get_state(job) != KIOSK_JOB_DONE) {
		kiosk_job_cancel(job);
		kiosk_job_unref(job);
		return kioski_device_fail(&prn->base, KIOSK_E_TIMEOUT,
					  "status: the printer is busy with a job");
	}
	status_out(st, &w->st);
	if (w->result == KIOSK_E_TIMEOUT)
		kioski_device_fail(&prn->base, KIOSK_E_TIMEOUT, "the printer did not answer status");
	r = w->result;
	kiosk_job_unref(job);
	return r;
}

int kiosk_printer_get_last_status(kiosk_printer *prn, struct kiosk_printer_status *st)
{
	if (!prn || !st)
		return KIOSK_E_INVALID_ARG;
	struct kiosk_printer_status last = {.size = sizeof last};
	pthread_mutex_lock(&prn->lock);
	if (prn->have_last)
		last = prn->last;
	pthread_mutex_unlock(&prn->lock);
	last.size = sizeof last;
	return status_out(st, &last);
}

/* ---- jobs ---------------------------------------------------------------------- */

static void print_work_free(void *p)
{
	struct kioski_print_work *w = p;
	kioski_layout_free(&w->layout);
	free(w);
}

static void print_fn(kiosk_device *dev, kiosk_job *job, void *arg)
{
	kiosk_printer *prn = (kiosk_printer *)dev;
	struct kioski_print_work *w = arg;
	if (kioski_job_cancelled(job))
		kioski_transport_cancel(prn->base.transport);
	ops_of(prn)->print(prn, job, &w->layout);
	/* the layout is no longer needed; the shell goes with the job */
	kioski_layout_free(&w->layout);
}

int kiosk_printer_submit(kiosk_printer *prn, const kiosk_receipt *receipt, kiosk_job_fn cb,
			 void *user, kiosk_job **out_job)
{
	if (out_job)
		*out_job = NULL;
	if (!prn || !receipt)
		return KIOSK_E_INVALID_ARG;
	struct kioski_print_work *w = calloc(1, sizeof *w);
	if (!w)
		return KIOSK_E_NO_MEMORY;
	w->prn = prn;
	int r = kioski_layout_build(receipt, &prn->profile, 0, &w->layout);
	if (r != KIOSK_OK) {
		kioski_device_fail(&prn->base, r, "cannot lay out the receipt: %s",
				   w->layout.error[0] ? w->layout.error : kiosk_strerror(r));
		free(w);
		return r;
	}
	/* The characters themselves may be part of a name: the log gets the
	 * count, the job message (for the application) names them. */
	if (w->layout.n_subs)
		kioski_warn(prn->base.ctx, COMP,
			    "profile %s cannot print %zu character(s) of this receipt: substituted",
			    prn->profile.name, w->layout.n_subs);
	kiosk_job *job = kioski_job_new(prn->base.ctx, cb, user);
	if (!job) {
		print_work_free(w);
		return KIOSK_E_NO_MEMORY;
	}
	kioski_job_set_payload(job, w, print_work_free);
	r = kioski_device_submit(&prn->base, job, print_fn, w);
	if (r != KIOSK_OK) {
		/* no job exists for the caller: drop both references, no callback */
		kioski_job_unref(job);
		kioski_job_unref(job);
		return r;
	}
	kioski_dbg(prn->base.ctx, COMP, "job %llu queued: %zu lines, %d dots long",
		   (unsigned long long)kiosk_job_get_id(job), w->layout.n_lines, w->layout.height);
	if (out_job)
		*out_job = job;
	else
		kiosk_job_unref(job);
	return KIOSK_OK;
}

int kiosk_printer_print_sync(kiosk_printer *prn, const kiosk_receipt *receipt, int timeout_ms)
{
	kiosk_job *job;
	int r = kiosk_printer_submit(prn, receipt, NULL, NULL, &job);
	if (r != KIOSK_OK)
		return r;
	r = kiosk_job_wait(job, timeout_ms);
	if (r == KIOSK_E_TIMEOUT) {
		kiosk_job_cancel(job);
		/* the cancel completes it promptly; wait so the result is final */
		kiosk_job_wait(job, 10000);
		kioski_device_fail(&prn->base, KIOSK_E_TIMEOUT, "print: no completion within %d ms",
				   timeout_ms);
		r = KIOSK_E_TIMEOUT;
	} else if (r != KIOSK_OK) {
		kioski_device_fail(&prn->base, r, "%s", kiosk_job_get_message(job));
	}
	kiosk_job_unref(job);
	return r;
}

int kiosk_printer_set_paper_wait(kiosk_printer *prn, int ms)
{
	if (!prn || ms < 0)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&prn->lock);
	prn->paper_wait_ms = ms;
	pthread_mutex_unlock(&prn->lock);
	return KIOSK_OK;
}

int kiosk_printer_set_status_poll(kiosk_printer *prn, int interval_ms)
{
	if (!prn || interval_ms < 0)
		return KIOSK_E_INVALID_ARG;
	prn->poll_ms = interval_ms;
	if (prn->status_channel && prn->profile.dle_eot)
		kioski_device_set_poll(&prn->base, interval_ms, interval_ms ? poll_fn : NULL);
	return KIOSK_OK;
}

struct raw_work {
	const void *data;
	size_t len;
	int timeout_ms;
};

static void raw_fn(kiosk_device *dev, kiosk_job *job, void *arg)
{
	kiosk_printer *prn = (kiosk_printer *)dev;
	struct raw_work *w = arg;
	int r = ops_of(prn)->write_raw(prn, w->data, w->len, w->timeout_ms);
	kioski_job_complete(job, r, NULL);
}

int kiosk_printer_write_raw(kiosk_printer *prn, const void *data, size_t len, int timeout_ms)
{
	if (!prn || (!data && len) || timeout_ms < 0)
		return KIOSK_E_INVALID_ARG;
	if (!len)
		return KIOSK_OK;
	struct raw_work *w = malloc(sizeof *w + len);
	kiosk_job *job = w ? kioski_job_new(prn->base.ctx, NULL, NULL) : NULL;
	if (!job) {
		free(w);
		return KIOSK_E_NO_MEMORY;
	}
	memcpy(w + 1, data, len);
	w->data = w + 1;
	w->len = len;
	w->timeout_ms = timeout_ms;
	kioski_job_set_payload(job, w, free);
	int r = kioski_device_submit(&prn->base, job, raw_fn, w);
	if (r != KIOSK_OK) {
		kioski_job_unref(job);
		kioski_job_unref(job);
		return r;
	}
	r = kiosk_job_wait(job, queued_wait_ms(prn, timeout_ms));
	if (r == KIOSK_E_TIMEOUT)
		kiosk_job_cancel(job);
	kiosk_job_unref(job);
	return r;
}
