/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scanner.c — the scanner family front-end (public kiosk_scanner_* API).
 *
 * The device's worker thread owns the input: while idle it pumps the driver
 * (keeping the device drained and partial codes timed out); a read job pumps
 * until a whole code is framed. Completed codes go, in this order, to a
 * pending read, to a SCAN event when watching, or are dropped after
 * STALE_MS (a kiosk must not act on a stale scan).
 */
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include "input/scanner-private.h"
#include "input/activity.h"
#include "platform/platform.h"

#define POLL_PUMP_MS 50   /* longest an idle pump blocks (job start latency) */
#define STALE_MS 1000     /* an undelivered code older than this is dropped */
#define QUEUE_MAX 8

struct queued_code {
	char *code;
	size_t len;
	uint64_t time_ms;
};

struct kiosk_scanner {
	kiosk_device base;
	const struct kioski_scanner_ops *ops;
	struct kioski_scan_framer framer;   /* worker thread only */
	struct queued_code queue[QUEUE_MAX]; /* worker thread only */
	size_t queued;
	pthread_mutex_t lock;               /* guards the fields below */
	bool watching;
	kiosk_job *pending;                 /* the last read job (a reference), busy until DONE */
	int char_timeout_ms;
	uint64_t discarded;
	bool gone;                          /* the device went away (event posted) */
};

/* The payload of a read job. */
#define SCAN_MAGIC 0x5343414eu
struct scan_result {
	uint32_t magic;
	char *code;
	size_t len;
	int timeout_ms;
	struct kiosk_scanner *scanner;
};

static void wipe_free(char *code, size_t len)
{
	if (code) {
		kioski_wipe(code, len);
		free(code);
	}
}

void kiosk_scanner_free_code(char *code)
{
	kiosk_free(code);
}

static void scan_result_free(void *p)
{
	struct scan_result *r = p;
	if (!r)
		return;
	wipe_free(r->code, r->len);
	free(r);
}

/* ---- accessors for drivers -------------------------------------------------- */

struct kioski_scan_framer *kioski_scanner_framer(struct kiosk_scanner *s)
{
	return &s->framer;
}

kioski_transport *kioski_scanner_transport(struct kiosk_scanner *s)
{
	return s->base.transport;
}

const kiosk_uri *kioski_scanner_uri(struct kiosk_scanner *s)
{
	return s->base.uri;
}

kiosk_device *kiosk_scanner_device(kiosk_scanner *scanner)
{
	return scanner ? &scanner->base : NULL;
}

/* ---- code delivery (worker thread) -------------------------------------------- */

static void on_code(void *user, const char *code, size_t len, uint64_t time_ms)
{
	struct kiosk_scanner *s = user;
	kioski_input_activity(s->base.ctx, 0);
	if (s->queued == QUEUE_MAX) {
		wipe_free(s->queue[0].code, s->queue[0].len);
		memmove(&s->queue[0], &s->queue[1], (QUEUE_MAX - 1) * sizeof s->queue[0]);
		s->queued--;
		kioski_warn(s->base.ctx, s->base.driver->id, "scan queue full: oldest code dropped");
	}
	char *copy = malloc(len + 1);
	if (!copy) {
		kioski_err(s->base.ctx, s->base.driver->id, "out of memory: a scan was lost");
		return;
	}
	memcpy(copy, code, len + 1);
	s->queue[s->queued++] = (struct queued_code){copy, len, time_ms};
	kioski_dbg(s->base.ctx, s->base.driver->id, "scanned a code of %zu byte(s)", len);
}

static bool pop_code(struct kiosk_scanner *s, char **code, size_t *len)
{
	if (!s->queued)
		return false;
	*code = s->queue[0].code;
	*len = s->queue[0].len;
	memmove(&s->queue[0], &s->queue[1], (s->queued - 1) * sizeof s->queue[0]);
	s->queued--;
	return true;
}

/* Codes nobody reads: events while watching, else dropped once stale. */
static void flush_queue(struct kiosk_scanner *s)
{
	pthread_mutex_lock(&s->lock);
	bool watching = s->watching;
	pthread_mutex_unlock(&s->lock);
	uint64_t now = kioski_now_ms();
	while (s->queued) {
		if (!watching && now - s->queue[0].time_ms < STALE_MS)
			break;
		char *code;
		size_t len;
		pop_code(s, &code, &len);
		if (watching) {
			kiosk_event *ev = kioski_event_new(KIOSK_EVENT_SCAN, &s->base,
							   kiosk_uri_to_string(s->base.uri));
			if (ev && kioski_event_set_scan(ev, code, len) == KIOSK_OK)
				kioski_post_event(s->base.ctx, ev);
			else {
				kiosk_event_free(ev);
				kioski_err(s->base.ctx, s->base.driver->id,
					   "out of memory: a scan event was lost");
			}
		} else {
			kioski_info(s->base.ctx, s->base.driver->id,
				    "dropped a scan nobody was reading (%zu byte(s))", len);
		}
		wipe_free(code, len);
	}
}

static void sync_settings(struct kiosk_scanner *s)
{
	pthread_mutex_lock(&s->lock);
	s->framer.char_timeout_ms = s->char_timeout_ms;
	s->discarded = s->framer.discarded;
	pthread_mutex_unlock(&s->lock);
}

static void scanner_poll(kiosk_device *dev);

/* Reports a lost device once: the core posts DEVICE_LEFT, marks it offline
 * and re-opens the link in the background (relinked() below). */
static void device_gone(struct kiosk_scanner *s, int err)
{
	pthread_mutex_lock(&s->lock);
	bool first = !s->gone;
	s->gone = true;
	pthread_mutex_unlock(&s->lock);
	if (!first)
		return;
	/* Nothing left to pump: poll only to flush and time out (no busy loop). */
	kioski_device_set_poll(&s->base, 100, scanner_poll);
	kioski_framer_discard(&s->framer, "device lost");
	kioski_device_link_lost(&s->base, err);
}

/* The core re-opened the link: fresh driver state, pumping again. */
static int relinked(kiosk_device *dev)
{
	struct kiosk_scanner *s = (struct kiosk_scanner *)dev;
	if (s->ops->close)
		s->ops->close(s);
	int r = s->ops->open ? s->ops->open(s) : KIOSK_OK;
	if (r != KIOSK_OK)
		return r;
	pthread_mutex_lock(&s->lock);
	s->gone = false;
	pthread_mutex_unlock(&s->lock);
	kioski_device_set_poll(&s->base, 1, scanner_poll);
	return KIOSK_OK;
}

static bool fatal(int r)
{
	return r == KIOSK_E_NO_DEVICE || r == KIOSK_E_CLOSED || r == KIOSK_E_IO;
}

static void scanner_poll(kiosk_device *dev)
{
	struct kiosk_scanner *s = (struct kiosk_scanner *)dev;
	sync_settings(s);
	if (s->gone) {
		flush_queue(s);
		return;
	}
	int r = s->ops->pump(s, POLL_PUMP_MS);
	kioski_framer_tick(&s->framer, kioski_now_ms());
	if (fatal(r))
		device_gone(s, r);
	else if (r == KIOSK_OK)
		kioski_device_answered(dev); /* bytes came: the scanner is there */
	flush_queue(s);
	sync_settings(s);
}

static void read_work(kiosk_device *dev, kiosk_job *job, void *arg)
{
	struct kiosk_scanner *s = (struct kiosk_scanner *)dev;
	struct scan_result *res = kioski_job_get_payload(job);
	uint64_t deadline = kioski_deadline(res->timeout_ms);
	int result = KIOSK_E_TIMEOUT;
	sync_settings(s);
	for (;;) {
		if (pop_code(s, &res->code, &res->len)) {
			result = KIOSK_OK;
			break;
		}
		if (kioski_job_cancelled(job) || kioski_device_stopping(dev)) {
			result = KIOSK_E_CANCELLED;
			break;
		}
		/* a scanner that went away is tried once more (it may be back) */
		if (s->gone && (!kioski_device_link_down(dev) || kioski_device_relink(dev) != KIOSK_OK)) {
			result = kioski_device_fail(dev, KIOSK_E_NO_DEVICE, "the scanner went away");
			break;
		}
		int left = kioski_remaining_ms(deadline);
		if (left == 0)
			break;
		/* Wake at least every char timeout to discard stale partial codes. */
		int slice = left;
		if (slice > s->framer.char_timeout_ms)
			slice = s->framer.char_timeout_ms;
		int r = s->ops->pump(s, slice);
		kioski_framer_tick(&s->framer, kioski_now_ms());
		if (r == KIOSK_E_CANCELLED) {
			if (kioski_job_cancelled(job) || kioski_device_stopping(dev)) {
				result = KIOSK_E_CANCELLED;
				break;
			}
			kioski_transport_clear_cancel(dev->transport);
			continue;
		}
		if (fatal(r)) {
			device_gone(s, r);
			result = kioski_device_fail(dev, r, "reading the scanner failed: %s",
						    kiosk_strerror(r));
			break;
		}
	}
	sync_settings(s);
	if (result == KIOSK_OK)
		kioski_job_complete(job, KIOSK_OK, "scanned %zu byte(s)", res->len);
	else if (result == KIOSK_E_TIMEOUT)
		kioski_job_complete(job, result, "no scan within %d ms", res->timeout_ms);
	else
		kioski_job_complete(job, result, "%s", kiosk_strerror(result));
}

/* ---- open/close -------------------------------------------------------------- */

/* Appends `key=value` to a URI text unless the key is present. */
static int uri_with_default(kiosk_context *ctx, kiosk_uri **uri, const char *key,
			    const char *value)
{
	if (kiosk_uri_get_option(*uri, key))
		return KIOSK_OK;
	const char *text = kiosk_uri_to_string(*uri);
	size_t n = strlen(text) + strlen(key) + strlen(value) + 3;
	char *buf = malloc(n);
	if (!buf)
		return KIOSK_E_NO_MEMORY;
	snprintf(buf, n, "%s%c%s=%s", text, strchr(text, '?') ? '&' : '?', key, value);
	kiosk_uri *nu = NULL;
	char err[128];
	int r = kiosk_uri_parse(buf, &nu, err, sizeof err);
	free(buf);
	if (r < 0)
		return kioski_context_fail(ctx, r, "%s", err);
	kiosk_uri_free(*uri);
	*uri = nu;
	return KIOSK_OK;
}

/* /dev/input/eventN (a keyboard node; want_tty false) or /dev/ttyXXX of a USB
 * device, by its ids (and serial) or its port (udev ID_PATH), from the
 * platform layer. */
static bool find_usb_node(kiosk_context *ctx, uint16_t vid, uint16_t pid, const char *serial,
			  const char *id_path, bool want_tty, char *out, size_t out_len)
{
	struct kioski_node_match m = {.kinds = want_tty ? KIOSKI_NODE_TTY : KIOSKI_NODE_INPUT,
				      .vid = vid, .pid = pid, .serial = serial, .id_path = id_path,
				      .keyboard = !want_tty};
	return kioski_platform_find(ctx, &m, out, out_len) == KIOSK_OK;
}

/* Settings a scanner profile gives (hw/profiles/scanner/NAME.json). */
struct profile_settings {
	char mode[16];       /* "wedge" or "serial" */
	char terminator[16];
	long baud;
};

static void read_profile(kiosk_context *ctx, const char *name, struct profile_settings *ps)
{
	char *json = NULL;
	if (kioski_profile_load(ctx, "scanner", name, &json) != KIOSK_OK)
		return;
	cJSON *root = cJSON_Parse(json);
	free(json);
	if (!root)
		return;
	const cJSON *it;
	if ((it = cJSON_GetObjectItemCaseSensitive(root, "mode")) && cJSON_IsString(it))
		snprintf(ps->mode, sizeof ps->mode, "%s", it->valuestring);
	if ((it = cJSON_GetObjectItemCaseSensitive(root, "terminator")) && cJSON_IsString(it))
		snprintf(ps->terminator, sizeof ps->terminator, "%s", it->valuestring);
	if ((it = cJSON_GetObjectItemCaseSensitive(root, "baud")) && cJSON_IsNumber(it))
		ps->baud = (long)it->valuedouble;
	cJSON_Delete(root);
}

/* usb:VVVV:PPPP[?serial=S][&path=ID_PATH] → evdev:… or serial:… through the
 * platform layer (udev) and the profile. */
static int resolve_usb(kiosk_context *ctx, kiosk_uri **uri)
{
	uint16_t vid = kiosk_uri_get_vid(*uri), pid = kiosk_uri_get_pid(*uri);
	const char *serial = kiosk_uri_get_option(*uri, "serial");
	const char *id_path = kiosk_uri_get_option(*uri, "path");
	struct profile_settings ps = {.baud = 0};
	char pname[64] = "";
	const char *given = kiosk_uri_get_option(*uri, "profile");
	if (given)
		snprintf(pname, sizeof pname, "%s", given);
	else if (kioski_profile_for_usb(ctx, "scanner", vid, pid, pname, sizeof pname) != KIOSK_OK)
		pname[0] = 0;
	if (pname[0])
		read_profile(ctx, pname, &ps);
	char node[PATH_MAX];
	bool tty = false;
	if (!strcmp(ps.mode, "serial"))
		tty = find_usb_node(ctx, vid, pid, serial, id_path, true, node, sizeof node);
	else if (find_usb_node(ctx, vid, pid, serial, id_path, false, node, sizeof node))
		tty = false;
	else if (strcmp(ps.mode, "wedge") &&
		 find_usb_node(ctx, vid, pid, serial, id_path, true, node, sizeof node))
		tty = true;
	else
		node[0] = 0;
	if (!node[0])
		return kioski_context_fail(ctx, KIOSK_E_NOT_FOUND,
					   "scanner: no %s input node of USB device %04x:%04x found "
					   "(is it plugged in, in %s mode?)",
					   strcmp(ps.mode, "serial") ? "keyboard" : "tty", vid, pid,
					   ps.mode[0] ? ps.mode : "keyboard-wedge or serial");
	/* Carry the options over (except serial/profile/path, which were for the lookup). */
	char text[PATH_MAX + 256];
	int n = snprintf(text, sizeof text, "%s:%s", tty ? "serial" : "evdev", node);
	char sep = '?';
	const char *orig = kiosk_uri_to_string(*uri);
	const char *q = strchr(orig, '?');
	if (q) {
		char *opts = kioski_strdup(q + 1), *save = NULL;
		if (!opts)
			return KIOSK_E_NO_MEMORY;
		for (char *kv = strtok_r(opts, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
			if (!strncmp(kv, "serial=", 7) || !strncmp(kv, "profile=", 8) ||
			    !strncmp(kv, "path=", 5))
				continue;
			n += snprintf(text + n, sizeof text - (size_t)n, "%c%s", sep, kv);
			sep = '&';
			if ((size_t)n >= sizeof text)
				break;
		}
		free(opts);
	}
	if (tty && ps.baud > 0 && !kiosk_uri_get_option(*uri, "baud") && (size_t)n < sizeof text) {
		n += snprintf(text + n, sizeof text - (size_t)n, "%cbaud=%ld", sep, ps.baud);
		sep = '&';
	}
	if (ps.terminator[0] && !kiosk_uri_get_option(*uri, "terminator") && (size_t)n < sizeof text)
		n += snprintf(text + n, sizeof text - (size_t)n, "%cterminator=%s", sep,
			      ps.terminator);
	if ((size_t)n >= sizeof text)
		return kioski_context_fail(ctx, KIOSK_E_BAD_URI, "scanner: URI too long");
	kiosk_uri *nu = NULL;
	char err[128];
	int r = kiosk_uri_parse(text, &nu, err, sizeof err);
	if (r < 0)
		return kioski_context_fail(ctx, r, "scanner: %s", err);
	kioski_info(ctx, "scanner", "usb:%04x:%04x is %s", vid, pid, text);
	kiosk_uri_free(*uri);
	*uri = nu;
	return KIOSK_OK;
}

int kiosk_scanner_open(kiosk_context *ctx, const char *uri_text, kiosk_scanner **out)
{
	if (!ctx || !uri_text || !out)
		return ctx ? kioski_context_fail(ctx, KIOSK_E_INVALID_ARG, "scanner: NULL argument")
			   : KIOSK_E_INVALID_ARG;
	*out = NULL;
	kiosk_uri *uri = NULL;
	char err[160];
	int r = kiosk_uri_parse(uri_text, &uri, err, sizeof err);
	if (r < 0)
		return kioski_context_fail(ctx, r, "%s", err);
	if (kiosk_uri_get_scheme(uri) == KIOSK_URI_USB && (r = resolve_usb(ctx, &uri)) < 0)
		goto fail_uri;

	/* profile=NAME on serial:/evdev: its baud and terminator are defaults. */
	const char *pname = kiosk_uri_get_option(uri, "profile");
	if (pname && kiosk_uri_get_scheme(uri) != KIOSK_URI_USB) {
		struct profile_settings ps = {.baud = 0};
		char *json = NULL;
		if (kioski_profile_load(ctx, "scanner", pname, &json) != KIOSK_OK) {
			r = kioski_context_fail(ctx, KIOSK_E_NOT_FOUND, "scanner: no profile '%s'", pname);
			goto fail_uri;
		}
		free(json);
		read_profile(ctx, pname, &ps);
		char baud[24];
		snprintf(baud, sizeof baud, "%ld", ps.baud);
		if (ps.baud > 0 && kiosk_uri_get_scheme(uri) == KIOSK_URI_SERIAL &&
		    (r = uri_with_default(ctx, &uri, "baud", baud)) < 0)
			goto fail_uri;
		if (ps.terminator[0] && (r = uri_with_default(ctx, &uri, "terminator", ps.terminator)) < 0)
			goto fail_uri;
	}

	const struct kioski_driver *drv;
	switch (kiosk_uri_get_scheme(uri)) {
	case KIOSK_URI_SERIAL:
		drv = &kioski_driver_scanner_serial;
		r = uri_with_default(ctx, &uri, "baud", "9600");
		break;
	case KIOSK_URI_EVDEV:
		drv = &kioski_driver_scanner_hid;
		r = uri_with_default(ctx, &uri, "grab", "1");
		break;
	default:
		r = kioski_context_fail(ctx, KIOSK_E_NOT_SUPPORTED,
					"scanner: %s: use serial:, evdev: or usb:", uri_text);
		goto fail_uri;
	}
	if (r < 0)
		goto fail_uri;
	long char_timeout = 300, max_len = 8192;
	if (kiosk_uri_get_option_int(uri, "char_timeout_ms", 1, 60000, 300, &char_timeout) < 0 ||
	    kiosk_uri_get_option_int(uri, "max_len", 1, 1 << 20, 8192, &max_len) < 0) {
		r = kioski_context_fail(ctx, KIOSK_E_BAD_URI,
					"scanner: char_timeout_ms must be 1–60000, max_len 1–1048576");
		goto fail_uri;
	}
	enum kioski_scan_term term = KIOSKI_TERM_AUTO;
	const char *ts = kiosk_uri_get_option(uri, "terminator");
	if (drv == &kioski_driver_scanner_serial && ts && kioski_scan_term_parse(ts, &term) < 0) {
		r = kioski_context_fail(ctx, KIOSK_E_BAD_URI,
					"scanner: terminator must be cr, lf, crlf or auto, not '%s'", ts);
		goto fail_uri;
	}
	if (drv == &kioski_driver_scanner_hid) {
		if (ts && strcmp(ts, "enter") && strcmp(ts, "tab")) {
			r = kioski_context_fail(ctx, KIOSK_E_BAD_URI,
						"scanner: a keyboard-wedge terminator is enter or tab, not '%s'",
						ts);
			goto fail_uri;
		}
		term = KIOSKI_TERM_NONE;
	}

	struct kiosk_scanner *s = calloc(1, sizeof *s);
	if (!s) {
		r = KIOSK_E_NO_MEMORY;
		goto fail_uri;
	}
	pthread_mutex_init(&s->lock, NULL);
	s->ops = drv->ops;
	s->char_timeout_ms = (int)char_timeout;
	r = kioski_device_init(&s->base, ctx, KIOSK_CLASS_SCANNER, drv, uri);
	if (r < 0) {
		pthread_mutex_destroy(&s->lock);
		free(s);
		goto fail_uri;
	}
	kioski_framer_init(&s->framer, term, (size_t)max_len, (int)char_timeout, on_code, s);
	s->framer.ctx = ctx;
	s->framer.component = drv->id;
	r = kioski_transport_open(ctx, uri, &s->base.transport);
	if (r == KIOSK_OK && s->ops->open)
		r = s->ops->open(s);
	if (r == KIOSK_OK)
		r = kioski_device_start(&s->base);
	if (r < 0) {
		if (s->ops->close && s->base.transport)
			s->ops->close(s);
		kioski_device_fini(&s->base);
		kioski_framer_fini(&s->framer);
		pthread_mutex_destroy(&s->lock);
		free(s);
		goto fail_uri;
	}
	kiosk_uri_free(uri);
	kioski_device_enable_relink(&s->base, relinked);
	kioski_device_link_opened(&s->base);
	kioski_device_set_poll(&s->base, 1, scanner_poll);
	kioski_info(ctx, drv->id, "opened %s", kiosk_device_get_uri(&s->base));
	*out = s;
	return KIOSK_OK;
fail_uri:
	kiosk_uri_free(uri);
	return r;
}

void kiosk_scanner_close(kiosk_scanner *s)
{
	if (!s)
		return;
	kioski_device_stop(&s->base);
	if (s->ops->close)
		s->ops->close(s);
	kioski_device_fini(&s->base);
	kioski_framer_fini(&s->framer);
	for (size_t i = 0; i < s->queued; i++)
		wipe_free(s->queue[i].code, s->queue[i].len);
	if (s->pending)
		kioski_job_unref(s->pending);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* ---- reading ------------------------------------------------------------------- */

int kiosk_scanner_read_async(kiosk_scanner *s, int timeout_ms, kiosk_job_fn cb, void *user,
			     kiosk_job **out)
{
	if (out)
		*out = NULL;
	if (!s || !out)
		return KIOSK_E_INVALID_ARG;
	struct scan_result *res = calloc(1, sizeof *res);
	kiosk_job *job = res ? kioski_job_new(s->base.ctx, cb, user) : NULL;
	if (!job) {
		free(res);
		return KIOSK_E_NO_MEMORY;
	}
	res->magic = SCAN_MAGIC;
	res->timeout_ms = timeout_ms < 0 ? KIOSK_TIMEOUT_INFINITE : timeout_ms;
	res->scanner = s;
	kioski_job_set_payload(job, res, scan_result_free);
	/* One read at a time. A job counts as pending until it is DONE, however
	 * it ended (even cancelled before it ever ran). */
	pthread_mutex_lock(&s->lock);
	kiosk_job *prev = s->pending;
	bool busy = prev && kiosk_job_get_state(prev) != KIOSK_JOB_DONE;
	if (!busy)
		s->pending = job;
	pthread_mutex_unlock(&s->lock);
	if (busy) {
		kioski_job_unref(job);
		kioski_job_unref(job);
		return kioski_device_fail(&s->base, KIOSK_E_BUSY, "another read is pending");
	}
	kioski_job_ref(job); /* s->pending's */
	if (prev)
		kioski_job_unref(prev);
	int r = kioski_device_submit(&s->base, job, read_work, NULL);
	if (r < 0) {
		pthread_mutex_lock(&s->lock);
		s->pending = NULL;
		pthread_mutex_unlock(&s->lock);
		/* No job exists for the caller: drop every reference quietly. */
		kioski_job_unref(job);
		kioski_job_unref(job);
		kioski_job_unref(job);
		return r;
	}
	*out = job;
	return KIOSK_OK;
}

int kiosk_job_take_scan(kiosk_job *job, char **code, size_t *len)
{
	if (code)
		*code = NULL;
	if (len)
		*len = 0;
	if (!job || !code)
		return KIOSK_E_INVALID_ARG;
	/* Only a scan job's payload: another family's job is not ours to read. */
	struct scan_result *res = kioski_job_get_payload_of(job, scan_result_free);
	if (!res && kioski_job_get_payload(job))
		return KIOSK_E_INVALID_ARG;
	if (kiosk_job_get_state(job) != KIOSK_JOB_DONE)
		return KIOSK_E_STATE;
	int r = kiosk_job_get_result(job);
	if (r < 0)
		return r;
	if (!res || res->magic != SCAN_MAGIC)
		return res ? KIOSK_E_INVALID_ARG : KIOSK_E_STATE;
	if (!res->code)
		return KIOSK_E_STATE;
	*code = res->code;
	if (len)
		*len = res->len;
	res->code = NULL;
	res->len = 0;
	return KIOSK_OK;
}

int kiosk_scanner_read(kiosk_scanner *s, int timeout_ms, char **code, size_t *len)
{
	if (code)
		*code = NULL;
	if (len)
		*len = 0;
	if (!s || !code)
		return KIOSK_E_INVALID_ARG;
	kiosk_job *job = NULL;
	int r = kiosk_scanner_read_async(s, timeout_ms, NULL, NULL, &job);
	if (r < 0)
		return r;
	r = kiosk_job_wait(job, KIOSK_TIMEOUT_INFINITE); /* the job itself times out */
	if (r == KIOSK_OK)
		r = kiosk_job_take_scan(job, code, len);
	kiosk_job_unref(job);
	return r;
}

int kiosk_scanner_watch(kiosk_scanner *s, bool enable)
{
	if (!s)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&s->lock);
	s->watching = enable;
	pthread_mutex_unlock(&s->lock);
	return KIOSK_OK;
}

int kiosk_scanner_set_char_timeout(kiosk_scanner *s, int ms)
{
	if (!s || ms < 1 || ms > 60000)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&s->lock);
	s->char_timeout_ms = ms;
	pthread_mutex_unlock(&s->lock);
	return KIOSK_OK;
}

int kiosk_scanner_get_char_timeout(kiosk_scanner *s)
{
	if (!s)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&s->lock);
	int ms = s->char_timeout_ms;
	pthread_mutex_unlock(&s->lock);
	return ms;
}

uint64_t kiosk_scanner_get_discarded(kiosk_scanner *s)
{
	if (!s)
		return 0;
	pthread_mutex_lock(&s->lock);
	uint64_t n = s->discarded;
	pthread_mutex_unlock(&s->lock);
	return n;
}
