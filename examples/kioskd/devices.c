/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * devices.c — the libkiosk side: opening the configured devices, running a
 * command on its device through the public API, turning job results and
 * device events into completions and unsolicited messages.
 *
 * libkiosk's context fd is adopted into the libwebsockets loop, so job
 * callbacks and events arrive on the loop's thread. The printer status query
 * has no asynchronous form in the API; it runs on one helper thread that
 * hands results back through a pipe, also adopted into the loop.
 */
#include "kioskd.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void kd_command_offload_done(struct kd_cmd *cmd);
void kd_command_released_job(struct kd_cmd *cmd);

enum { DEV_IDCARD, DEV_PRINTER, DEV_SCANNER };

/* ---- the status thread ------------------------------------------------ */

static pthread_t status_thread;
static bool status_thread_running;
static pthread_mutex_t status_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t status_cond = PTHREAD_COND_INITIALIZER;
static struct kd_cmd *status_pending; /* at most one: the printer runs one command at a time */
static bool status_stop;
static int status_pipe[2] = {-1, -1};

static void *status_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&status_lock);
	for (;;) {
		while (!status_pending && !status_stop)
			pthread_cond_wait(&status_cond, &status_lock);
		if (status_stop)
			break;
		struct kd_cmd *cmd = status_pending;
		status_pending = NULL;
		pthread_mutex_unlock(&status_lock);
		/* the command's time left, a little less so that the answer beats the timer */
		uint64_t now = kd_now_ms();
		int t = cmd->deadline_ms > now + 200 ? (int)(cmd->deadline_ms - now) - 100 : 100;
		cmd->st = (struct kiosk_printer_status)KIOSK_PRINTER_STATUS_INIT;
		cmd->result = kiosk_printer_get_status(cmd->dev->h.prn, t, &cmd->st);
		ssize_t w;
		do
			w = write(status_pipe[1], &cmd, sizeof cmd);
		while (w < 0 && errno == EINTR);
		pthread_mutex_lock(&status_lock);
	}
	pthread_mutex_unlock(&status_lock);
	return NULL;
}

/* ---- JSON payloads ------------------------------------------------------ */

static const char *tristate_json(enum kiosk_tristate v, bool invert)
{
	if (v == KIOSK_UNKNOWN)
		return "null";
	return (v == KIOSK_YES) != invert ? "true" : "false";
}

static char *printer_status_json(const struct kiosk_printer_status *st)
{
	char buf[128];
	snprintf(buf, sizeof buf, "{\"paper\":\"%s\",\"coverOpen\":%s,\"online\":%s}",
		 kiosk_paper_state_name(st->paper), tristate_json(st->cover_open, false),
		 tristate_json(st->online, false));
	return strdup(buf);
}

static char *uri_json(const struct kd_device *d)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "uri", d->uri);
	char *s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

/* A scanned code as a JSON string value: UTF-8 as is, else GB18030 converted. */
static char *code_json(const char *code, size_t len)
{
	char *utf8 = NULL;
	if (!kd_utf8_valid(code, len)) {
		iconv_t cd = iconv_open("UTF-8", "GB18030");
		if (cd != (iconv_t)-1) {
			size_t cap = len * 4 + 1, left = cap - 1, inleft = len;
			utf8 = calloc(1, cap);
			char *in = (char *)code, *out = utf8;
			if (utf8 && iconv(cd, &in, &inleft, &out, &left) == (size_t)-1) {
				explicit_bzero(utf8, cap);
				free(utf8);
				utf8 = NULL;
			}
			iconv_close(cd);
		}
		if (!utf8)
			return NULL;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code", utf8 ? utf8 : code);
	char *s = cJSON_PrintUnformatted(o);
	if (utf8) {
		explicit_bzero(utf8, strlen(utf8));
		free(utf8);
	}
	cJSON_Delete(o);
	return s;
}

const char *kd_state_name(enum kd_dev_state s)
{
	switch (s) {
	case KD_STATE_ONLINE: return "online";
	case KD_STATE_OFFLINE: return "offline";
	default: return "unknown";
	}
}

static void set_state(struct kd_device *d, enum kd_dev_state s, int err)
{
	if (err)
		snprintf(d->last_error, sizeof d->last_error, "%s", kiosk_error_name(err));
	else if (s == KD_STATE_ONLINE)
		d->last_error[0] = '\0';
	if (d->state == s)
		return;
	d->state = s;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "class", kiosk_device_class_name(d->cls));
	cJSON_AddStringToObject(o, "uri", d->uri);
	cJSON_AddStringToObject(o, "state", kd_state_name(s));
	if (d->last_error[0])
		cJSON_AddStringToObject(o, "error", d->last_error);
	char *p = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	kd_log(KD_INFO, "%s %s is %s", kiosk_device_class_name(d->cls), d->uri, kd_state_name(s));
	if (p)
		kd_broadcast("Common.DeviceChanged", p);
	free(p);
}

/* The library says whether a device is there (never guessed): kioskd follows it. */
static enum kd_dev_state state_of(enum kiosk_device_state s)
{
	return s == KIOSK_DEVICE_ONLINE ? KD_STATE_ONLINE
	       : s == KIOSK_DEVICE_OFFLINE ? KD_STATE_OFFLINE : KD_STATE_UNKNOWN;
}

char *kd_devices_status_json(void)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(root, "devices");
	for (int i = 0; i < 3; i++) {
		struct kd_device *d = &kd->dev[i];
		if (!d->uri)
			continue;
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "class", kiosk_device_class_name(d->cls));
		cJSON_AddStringToObject(o, "uri", d->uri);
		cJSON_AddStringToObject(o, "state",
					d->running && d->state != KD_STATE_OFFLINE ? "busy"
										   : kd_state_name(d->state));
		if (d->last_error[0])
			cJSON_AddStringToObject(o, "error", d->last_error);
		if (d->cls == KIOSK_CLASS_PRINTER) {
			cJSON_AddStringToObject(o, "paper", kiosk_paper_state_name(d->st.paper));
			if (d->st.cover_open == KIOSK_UNKNOWN)
				cJSON_AddNullToObject(o, "coverOpen");
			else
				cJSON_AddBoolToObject(o, "coverOpen", d->st.cover_open == KIOSK_YES);
			if (d->st.online == KIOSK_UNKNOWN)
				cJSON_AddNullToObject(o, "online");
			else
				cJSON_AddBoolToObject(o, "online", d->st.online == KIOSK_YES);
		} else if (d->cls == KIOSK_CLASS_IDCARD) {
			cJSON_AddBoolToObject(o, "cardPresent", d->card != NULL);
		}
		cJSON_AddItemToArray(arr, o);
	}
	char *s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return s;
}

struct kd_device *kd_device_for(enum kd_command cmd)
{
	struct kd_device *d = NULL;
	switch (cmd) {
	case KD_CMD_IDCARD_READ: d = &kd->dev[DEV_IDCARD]; break;
	case KD_CMD_PRINTER_PRINT:
	case KD_CMD_PRINTER_STATUS: d = &kd->dev[DEV_PRINTER]; break;
	case KD_CMD_SCANNER_READ: d = &kd->dev[DEV_SCANNER]; break;
	default: return NULL;
	}
	return d->uri ? d : NULL;
}

/* ---- commands ------------------------------------------------------------ */

static void complete_card(struct kd_cmd *cmd, const kiosk_idcard *card)
{
	unsigned flags = 0;
	if (!(cmd->rights & KD_RIGHT_PII))
		flags |= KIOSK_IDCARD_JSON_MASKED;
	else if (cmd->req.photo)
		flags |= KIOSK_IDCARD_JSON_PHOTO;
	char *json = NULL;
	int r = kiosk_idcard_to_json(card, flags, &json);
	if (r != KIOSK_OK) {
		kd_command_complete(cmd, KD_HARDWARE_ERROR, kiosk_strerror(r), NULL);
		return;
	}
	kd_command_complete(cmd, KD_SUCCESS, NULL, json);
	explicit_bzero(json, strlen(json));
	kiosk_free(json);
}

static void job_done(kiosk_job *job, int result, void *user)
{
	struct kd_cmd *cmd = user;
	struct kd_device *d = cmd->dev;
	enum kd_code code = kd_code_from_kiosk(result);
	if (result == KIOSK_E_CANCELLED && cmd->timed_out)
		code = KD_TIMEOUT;
	char desc[256];
	snprintf(desc, sizeof desc, "%s", result == KIOSK_OK ? "" : kiosk_job_get_message(job));
	if (!desc[0] && result != KIOSK_OK)
		snprintf(desc, sizeof desc, "%s", kiosk_strerror(result));
	if (code == KD_TIMEOUT && cmd->timed_out)
		snprintf(desc, sizeof desc, "no result within the command's timeout (%d ms)",
			 cmd->timeout_ms);

	switch (cmd->req.cmd) {
	case KD_CMD_IDCARD_READ: {
		kiosk_idcard *card = NULL;
		if (result == KIOSK_OK && kiosk_job_take_idcard(job, &card) == KIOSK_OK) {
			complete_card(cmd, card);
			/* the card on the reader, until CardRemoved (a reader does not read
			 * a card twice without it being lifted) */
			kiosk_idcard_free(d->card);
			d->card = card;
		} else {
			kd_command_complete(cmd, result == KIOSK_OK ? KD_HARDWARE_ERROR : code, desc, NULL);
		}
		break;
	}
	case KD_CMD_SCANNER_READ: {
		char *code_text = NULL;
		size_t len = 0;
		if (result == KIOSK_OK && kiosk_job_take_scan(job, &code_text, &len) == KIOSK_OK) {
			char *json = code_json(code_text, len);
			kd_command_complete(cmd, json ? KD_SUCCESS : KD_INVALID_DATA,
					    "the code is neither UTF-8 nor GB18030", json);
			free(json);
			kiosk_free(code_text);
		} else {
			kd_command_complete(cmd, result == KIOSK_OK ? KD_HARDWARE_ERROR : code, desc, NULL);
		}
		break;
	}
	case KD_CMD_PRINTER_PRINT: {
		d->st = (struct kiosk_printer_status)KIOSK_PRINTER_STATUS_INIT;
		kiosk_printer_get_last_status(d->h.prn, &d->st);
		kd_command_complete(cmd, code, desc, NULL);
		break;
	}
	default:
		kd_command_complete(cmd, code, desc, NULL);
		break;
	}
	kiosk_job_unref(job);
	cmd->job = NULL;
	kd_command_released_job(cmd);
}

static void watch_print(lws_sorted_usec_list_t *sul)
{
	struct kd_cmd *cmd = lws_container_of(sul, struct kd_cmd, sul_watch);
	if (cmd->completed || !cmd->job)
		return;
	enum kiosk_job_state s = kiosk_job_get_state(cmd->job);
	if (s == KIOSK_JOB_WAITING && !cmd->waiting) {
		cmd->waiting = true;
		struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
		kiosk_printer_get_last_status(cmd->dev->h.prn, &st);
		kd_command_event(cmd, "Printer.Waiting",
				 st.cover_open == KIOSK_YES ? "{\"reason\":\"coverOpen\"}"
							    : "{\"reason\":\"paperOut\"}");
	} else if (s == KIOSK_JOB_RUNNING) {
		cmd->waiting = false;
	}
	lws_sul_schedule(kd->lws, 0, &cmd->sul_watch, watch_print, 100 * LWS_US_PER_MS);
}

/* false when it completed the command at once */
static bool start_print(struct kd_device *d, struct kd_cmd *cmd)
{
	char err[256] = "";
	kiosk_receipt *r = NULL;
	int rc = kiosk_receipt_from_json(cmd->req.document, &r, err, sizeof err);
	if (rc != KIOSK_OK) {
		kd_command_complete(cmd, rc == KIOSK_E_NO_MEMORY ? KD_HARDWARE_ERROR : KD_INVALID_DATA,
				    err[0] ? err : kiosk_strerror(rc), NULL);
		return false;
	}
	/* wait for paper / a closed cover for at most half the command's time */
	int wait = cmd->timeout_ms / 2;
	kiosk_printer_set_paper_wait(d->h.prn, wait > 30000 ? 30000 : wait);
	rc = kiosk_printer_submit(d->h.prn, r, job_done, cmd, &cmd->job);
	kiosk_receipt_free(r);
	if (rc != KIOSK_OK) {
		const char *why = kiosk_device_last_error(kiosk_printer_device(d->h.prn));
		kd_command_complete(cmd, kd_code_from_kiosk(rc), why[0] ? why : kiosk_strerror(rc),
				    NULL);
		return false;
	}
	lws_sul_schedule(kd->lws, 0, &cmd->sul_watch, watch_print, 100 * LWS_US_PER_MS);
	return true;
}

bool kd_device_start(struct kd_device *d, struct kd_cmd *cmd)
{
	int rc;
	uint64_t now = kd_now_ms();
	int left = cmd->deadline_ms > now ? (int)(cmd->deadline_ms - now) : 1;
	switch (cmd->req.cmd) {
	case KD_CMD_IDCARD_READ:
		if (d->card) {
			complete_card(cmd, d->card); /* still on the reader: already read */
			return false;
		}
		rc = kiosk_idcard_read_async(d->h.rdr, left, 0, job_done, cmd, &cmd->job);
		break;
	case KD_CMD_SCANNER_READ:
		rc = kiosk_scanner_read_async(d->h.scn, left, job_done, cmd, &cmd->job);
		break;
	case KD_CMD_PRINTER_PRINT:
		return start_print(d, cmd);
	case KD_CMD_PRINTER_STATUS:
		pthread_mutex_lock(&status_lock);
		cmd->offloaded = true;
		status_pending = cmd;
		pthread_cond_signal(&status_cond);
		pthread_mutex_unlock(&status_lock);
		return true;
	default:
		kd_command_complete(cmd, KD_UNSUPPORTED_COMMAND, "not a device command", NULL);
		return false;
	}
	if (rc != KIOSK_OK) {
		kd_command_complete(cmd, kd_code_from_kiosk(rc), kiosk_strerror(rc), NULL);
		return false;
	}
	return true;
}

void kd_device_cancel(struct kd_cmd *cmd)
{
	if (cmd->completed)
		return;
	if (cmd->job) {
		kiosk_job_cancel(cmd->job); /* completes through job_done */
	} else if (cmd->offloaded) {
		/* the query cannot be interrupted: answer now, drop its result later */
		kd_command_complete(cmd, cmd->timed_out ? KD_TIMEOUT : KD_CANCELED,
				    cmd->timed_out ? "the printer did not answer in time" : "cancelled",
				    NULL);
	}
}

void kd_devices_status_ready(void)
{
	struct kd_cmd *cmd;
	ssize_t n;
	while ((n = read(status_pipe[0], &cmd, sizeof cmd)) == (ssize_t)sizeof cmd) {
		struct kd_device *d = cmd->dev;
		if (cmd->result == KIOSK_OK || cmd->result == KIOSK_E_NOT_SUPPORTED) {
			if (cmd->result == KIOSK_OK)
				d->st = cmd->st;
			char *json = printer_status_json(&cmd->st);
			kd_command_complete(cmd, KD_SUCCESS, NULL, json);
			free(json);
		} else {
			const char *why = kiosk_device_last_error(kiosk_printer_device(d->h.prn));
			char *json = printer_status_json(&cmd->st);
			kd_command_complete(cmd, kd_code_from_kiosk(cmd->result),
					    why[0] ? why : kiosk_strerror(cmd->result), json);
			free(json);
		}
		kd_command_offload_done(cmd);
	}
}

/* ---- events ------------------------------------------------------------ */

static void on_event(kiosk_event *ev)
{
	kiosk_device *kdev = kiosk_event_get_device(ev);
	struct kd_device *d = kdev ? kiosk_device_get_user_data(kdev) : NULL;
	if (!d)
		return;
	char *p = NULL;
	switch (kiosk_event_get_type(ev)) {
	case KIOSK_EVENT_CARD_INSERTED: {
		const kiosk_idcard *card = kiosk_event_get_idcard(ev);
		kiosk_idcard_free(d->card);
		d->card = card ? kiosk_idcard_copy(card) : NULL;
		if ((p = uri_json(d)))
			kd_broadcast("IdCard.CardInserted", p);
		break;
	}
	case KIOSK_EVENT_CARD_REMOVED:
		kiosk_idcard_free(d->card);
		d->card = NULL;
		if ((p = uri_json(d)))
			kd_broadcast("IdCard.CardRemoved", p);
		break;
	case KIOSK_EVENT_PRINTER_STATUS: {
		const struct kiosk_printer_status *st = kiosk_event_get_printer_status(ev);
		if (!st)
			break;
		d->st = *st;
		if ((p = printer_status_json(st)))
			kd_broadcast("Printer.StatusChanged", p);
		break;
	}
	case KIOSK_EVENT_SCAN: {
		size_t len = 0;
		const char *code = kiosk_event_get_scan(ev, &len);
		if (code && (p = code_json(code, len)))
			kd_broadcast("Scanner.Scanned", p);
		break;
	}
	case KIOSK_EVENT_DEVICE_STATE: {
		enum kd_dev_state s = state_of(kiosk_event_get_device_state(ev, NULL));
		set_state(d, s, s == KD_STATE_OFFLINE ? kiosk_event_get_error(ev) : 0);
		break;
	}
	case KIOSK_EVENT_DEVICE_LEFT:
	case KIOSK_EVENT_DEVICE_ERROR: {
		int err = kiosk_event_get_error(ev);
		if (err)
			snprintf(d->last_error, sizeof d->last_error, "%s", kiosk_error_name(err));
		break;
	}
	default:
		break;
	}
	if (p) {
		explicit_bzero(p, strlen(p));
		free(p);
	}
}

void kd_devices_dispatch(void)
{
	kiosk_context_dispatch(kd->kctx);
	kiosk_event *ev;
	while ((ev = kiosk_context_next_event(kd->kctx))) {
		on_event(ev);
		kiosk_event_free(ev);
	}
}

/* ---- setup ----------------------------------------------------------------- */

static int adopt(struct lws_vhost *vh, int fd, void *tag)
{
	lws_sock_file_fd_type u;
	u.filefd = fd;
	struct lws *wsi = lws_adopt_descriptor_vhost(vh, LWS_ADOPT_RAW_FILE_DESC, u, "kiosk-fd", NULL);
	if (!wsi) {
		kd_log(KD_ERR, "cannot add a descriptor to the event loop");
		close(fd);
		return -1;
	}
	lws_set_opaque_user_data(wsi, tag);
	return 0;
}

int kd_devices_adopt(struct lws_vhost *vh)
{
	/* lws closes what it adopted: give it a duplicate of the context's fd */
	int fd = fcntl(kiosk_context_get_fd(kd->kctx), F_DUPFD_CLOEXEC, 3);
	if (fd < 0 || adopt(vh, fd, (void *)1) < 0)
		return -1;
	if (adopt(vh, status_pipe[0], (void *)2) < 0) {
		status_pipe[0] = -1;
		return -1;
	}
	return 0;
}

static void log_sink(kiosk_context *ctx, enum kiosk_log_level level, const char *component,
		     const char *msg, void *user)
{
	(void)ctx;
	(void)user;
	/* libkiosk masks personal data in its messages */
	kd_log(level <= KIOSK_LOG_ERROR ? KD_ERR : level == KIOSK_LOG_WARN ? KD_WARN
		: level == KIOSK_LOG_INFO ? KD_INFO : KD_DEBUG,
	       "%s: %s", component, msg);
}

int kd_devices_open(void)
{
	int r = kiosk_context_new(&kd->kctx);
	if (r != KIOSK_OK) {
		kd_log(KD_ERR, "libkiosk: %s", kiosk_strerror(r));
		return -1;
	}
	enum kiosk_log_level lvl = kd->cfg.verbose >= 2 ? KIOSK_LOG_DEBUG
				   : kd->cfg.verbose ? KIOSK_LOG_INFO : KIOSK_LOG_WARN;
	kiosk_context_set_log(kd->kctx, lvl, log_sink, NULL);
	if (pipe2(status_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		kd_log(KD_ERR, "pipe: %s", strerror(errno));
		return -1;
	}
	kd->dev[DEV_IDCARD].cls = KIOSK_CLASS_IDCARD;
	kd->dev[DEV_PRINTER].cls = KIOSK_CLASS_PRINTER;
	kd->dev[DEV_SCANNER].cls = KIOSK_CLASS_SCANNER;
	kiosk_device *kdev = NULL;
	if (kd->cfg.idcard) {
		struct kd_device *d = &kd->dev[DEV_IDCARD];
		r = kiosk_idcard_open(kd->kctx, kd->cfg.idcard, &d->h.rdr);
		if (r != KIOSK_OK)
			goto fail;
		d->uri = kd->cfg.idcard;
		kdev = kiosk_idcard_device(d->h.rdr);
		kiosk_device_set_user_data(kdev, d);
		d->state = state_of(kiosk_device_get_state(kdev));
		kiosk_idcard_watch(d->h.rdr, 0, true);
	}
	if (kd->cfg.printer) {
		struct kd_device *d = &kd->dev[DEV_PRINTER];
		r = kiosk_printer_open(kd->kctx, kd->cfg.printer, kd->cfg.profile, &d->h.prn);
		if (r != KIOSK_OK)
			goto fail;
		d->uri = kd->cfg.printer;
		kdev = kiosk_printer_device(d->h.prn);
		kiosk_device_set_user_data(kdev, d);
		d->state = state_of(kiosk_device_get_state(kdev));
		d->st = (struct kiosk_printer_status)KIOSK_PRINTER_STATUS_INIT;
		kiosk_printer_get_last_status(d->h.prn, &d->st);
	}
	if (kd->cfg.scanner) {
		struct kd_device *d = &kd->dev[DEV_SCANNER];
		r = kiosk_scanner_open(kd->kctx, kd->cfg.scanner, &d->h.scn);
		if (r != KIOSK_OK)
			goto fail;
		d->uri = kd->cfg.scanner;
		kdev = kiosk_scanner_device(d->h.scn);
		kiosk_device_set_user_data(kdev, d);
		d->state = state_of(kiosk_device_get_state(kdev));
		kiosk_scanner_watch(d->h.scn, true);
	}
	if (pthread_create(&status_thread, NULL, status_main, NULL) != 0) {
		kd_log(KD_ERR, "cannot start the status thread");
		return -1;
	}
	status_thread_running = true;
	return 0;
fail:
	kd_log(KD_ERR, "cannot open a device: %s (%s)", kiosk_context_last_error(kd->kctx),
	       kiosk_error_name(r));
	return -1;
}

void kd_devices_close(void)
{
	if (status_thread_running) {
		pthread_mutex_lock(&status_lock);
		status_stop = true;
		pthread_cond_signal(&status_cond);
		pthread_mutex_unlock(&status_lock);
		pthread_join(status_thread, NULL);
		status_thread_running = false;
	}
	struct kd_device *d = &kd->dev[DEV_IDCARD];
	kiosk_idcard_free(d->card);
	d->card = NULL;
	kiosk_idcard_close(d->h.rdr);
	kiosk_printer_close(kd->dev[DEV_PRINTER].h.prn);
	kiosk_scanner_close(kd->dev[DEV_SCANNER].h.scn);
	memset(kd->dev, 0, sizeof kd->dev);
	if (status_pipe[1] >= 0)
		close(status_pipe[1]);
	status_pipe[1] = -1;
	kiosk_context_free(kd->kctx);
	kd->kctx = NULL;
}
