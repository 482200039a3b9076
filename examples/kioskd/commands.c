/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * commands.c — the life of one command: accepted (acknowledge), queued on
 * its device in order, run, and completed exactly once (by the device, a
 * timeout, Common.Cancel, or the client going away).
 */
#include "kioskd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void device_pump(struct kd_device *d);

/* The name to log: a client's text never reaches the log (no line injection). */
static const char *log_name(const struct kd_cmd *cmd)
{
	return cmd->req.cmd != KD_CMD_UNKNOWN ? kd_command_name(cmd->req.cmd) : "(unknown command)";
}

static int default_timeout(enum kd_command cmd)
{
	switch (cmd) {
	case KD_CMD_IDCARD_READ: return 30000;
	case KD_CMD_SCANNER_READ: return 30000;
	case KD_CMD_PRINTER_PRINT: return 60000;
	default: return 5000;
	}
}

static void release(struct kd_cmd *cmd)
{
	if (!cmd->completed || cmd->offloaded || cmd->job)
		return;
	kd_request_clear(&cmd->req);
	free(cmd);
}

static void unlink_conn(struct kd_cmd *cmd)
{
	struct kd_conn *c = cmd->conn;
	if (!c)
		return;
	if (cmd->conn_prev)
		cmd->conn_prev->conn_next = cmd->conn_next;
	else
		c->cmds = cmd->conn_next;
	if (cmd->conn_next)
		cmd->conn_next->conn_prev = cmd->conn_prev;
	cmd->conn_next = cmd->conn_prev = NULL;
	c->inflight--;
	cmd->conn = NULL;
	kd_conn_release(c);
}

static bool dequeue(struct kd_cmd *cmd)
{
	struct kd_device *d = cmd->dev;
	if (!d)
		return false;
	for (struct kd_cmd **p = &d->queue_head, *prev = NULL; *p; prev = *p, p = &(*p)->queue_next) {
		if (*p == cmd) {
			*p = cmd->queue_next;
			if (d->queue_tail == cmd)
				d->queue_tail = prev;
			cmd->queue_next = NULL;
			return true;
		}
	}
	return false;
}

void kd_command_complete(struct kd_cmd *cmd, enum kd_code code, const char *description,
			 const char *payload_json)
{
	if (cmd->completed)
		return;
	cmd->completed = true;
	lws_sul_cancel(&cmd->sul_timeout);
	lws_sul_cancel(&cmd->sul_watch);
	if (cmd->conn && cmd->conn->wsi) {
		kd_conn_send(cmd->conn, kd_msg_completion(cmd->req.name, cmd->req.request_id, code,
							  description, payload_json));
		kd_log(KD_DEBUG, "connection %llu: %s #%lld: %s", (unsigned long long)cmd->conn->id,
		       log_name(cmd), (long long)cmd->req.request_id, kd_code_name(code));
	} else {
		/* the client left: the outcome goes to the log only (no personal data) */
		kd_log(KD_INFO, "%s of a closed connection ended: %s", log_name(cmd),
		       kd_code_name(code));
	}
	unlink_conn(cmd);
	struct kd_device *d = cmd->dev;
	bool was_running = d && d->running == cmd;
	if (was_running && !cmd->offloaded)
		d->running = NULL;
	release(cmd);
	if (was_running)
		device_pump(d);
}

void kd_command_event(struct kd_cmd *cmd, const char *name, const char *payload_json)
{
	if (!cmd->completed && cmd->conn && cmd->conn->wsi)
		kd_conn_send(cmd->conn, kd_msg_event(name, cmd->req.request_id, payload_json));
}

/* The status thread is done with a command whose device stayed busy for it. */
void kd_command_offload_done(struct kd_cmd *cmd);
void kd_command_offload_done(struct kd_cmd *cmd)
{
	struct kd_device *d = cmd->dev;
	cmd->offloaded = false;
	if (d && d->running == cmd && cmd->completed) {
		d->running = NULL;
		release(cmd);
		device_pump(d);
	}
}

void kd_command_released_job(struct kd_cmd *cmd);
void kd_command_released_job(struct kd_cmd *cmd)
{
	release(cmd);
}

static void device_pump(struct kd_device *d)
{
	static bool pumping;
	if (pumping)
		return; /* the loop below picks the next one up */
	pumping = true;
	for (int i = 0; i < 3; i++) {
		struct kd_device *x = &kd->dev[i];
		while (!x->running && x->queue_head) {
			struct kd_cmd *cmd = x->queue_head;
			x->queue_head = cmd->queue_next;
			if (!x->queue_head)
				x->queue_tail = NULL;
			cmd->queue_next = NULL;
			x->running = cmd;
			kd_device_start(x, cmd); /* on failure it completes the command */
		}
	}
	(void)d;
	pumping = false;
}

static void cancel(struct kd_cmd *cmd, bool timed_out)
{
	if (cmd->completed)
		return;
	if (dequeue(cmd)) {
		kd_command_complete(cmd, timed_out ? KD_TIMEOUT : KD_CANCELED,
				    timed_out ? "the command's timeout ran out while it was queued"
					      : "cancelled before it started", NULL);
		return;
	}
	cmd->timed_out = cmd->timed_out || timed_out;
	kd_device_cancel(cmd); /* the device completes it (or already has) */
}

static void on_timeout(lws_sorted_usec_list_t *sul)
{
	struct kd_cmd *cmd = lws_container_of(sul, struct kd_cmd, sul_timeout);
	kd_log(KD_DEBUG, "%s #%lld: timeout after %d ms", log_name(cmd),
	       (long long)cmd->req.request_id, cmd->timeout_ms);
	cancel(cmd, true);
}

void kd_command_accept(struct kd_conn *c, struct kd_request *req)
{
	struct kd_cmd *cmd = calloc(1, sizeof *cmd);
	if (!cmd) {
		kd_conn_send(c, kd_msg_ack(req->name, req->request_id, KD_ACK_TOO_MANY_REQUESTS,
					   "out of memory"));
		kd_request_clear(req);
		return;
	}
	cmd->req = *req; /* takes the request's buffers */
	memset(req, 0, sizeof *req);
	cmd->conn = c;
	cmd->rights = c->rights;
	cmd->conn_next = c->cmds;
	if (c->cmds)
		c->cmds->conn_prev = cmd;
	c->cmds = cmd;
	c->inflight++;
	cmd->timeout_ms = cmd->req.timeout_ms ? cmd->req.timeout_ms : default_timeout(cmd->req.cmd);
	kd_conn_send(c, kd_msg_ack(cmd->req.name, cmd->req.request_id, KD_ACK_OK, NULL));
	kd_log(KD_DEBUG, "connection %llu: %s #%lld accepted", (unsigned long long)c->id,
	       log_name(cmd), (long long)cmd->req.request_id);

	if (cmd->req.cmd == KD_CMD_UNKNOWN) {
		char why[128];
		snprintf(why, sizeof why, "unknown command \"%s\"", cmd->req.name);
		kd_command_complete(cmd, KD_UNSUPPORTED_COMMAND, why, NULL);
		return;
	}
	if (cmd->req.invalid_payload) {
		kd_command_complete(cmd, KD_INVALID_DATA, cmd->req.error, NULL);
		return;
	}
	switch (cmd->req.cmd) {
	case KD_CMD_COMMON_STATUS: {
		char *json = kd_devices_status_json();
		kd_command_complete(cmd, json ? KD_SUCCESS : KD_HARDWARE_ERROR, "out of memory", json);
		free(json);
		return;
	}
	case KD_CMD_COMMON_CANCEL: {
		/* Collect first: cancelling may complete (and free) commands. */
		struct kd_cmd *victims[KD_MAX_INFLIGHT + 2];
		int n = 0;
		for (struct kd_cmd *x = c->cmds; x && n < KD_MAX_INFLIGHT + 2; x = x->conn_next) {
			if (x == cmd || x->completed || x->req.cmd == KD_CMD_COMMON_CANCEL)
				continue;
			bool hit = cmd->req.cancel_ids == NULL;
			for (size_t k = 0; !hit && k < cmd->req.n_cancel; k++)
				hit = cmd->req.cancel_ids[k] == x->req.request_id;
			if (hit)
				victims[n++] = x;
		}
		for (int k = 0; k < n; k++)
			cancel(victims[k], false);
		kd_command_complete(cmd, KD_SUCCESS, NULL, NULL);
		return;
	}
	default:
		break;
	}
	struct kd_device *d = kd_device_for(cmd->req.cmd);
	if (!d) {
		kd_command_complete(cmd, KD_NO_DEVICE, "no such device is configured in kioskd", NULL);
		return;
	}
	cmd->dev = d;
	cmd->deadline_ms = kd_now_ms() + (uint64_t)cmd->timeout_ms;
	/* Reads are given the time left as their own timeout (and end with noCard
	 * or timeout by themselves); kioskd's timer is then only a backstop. */
	int grace = cmd->req.cmd == KD_CMD_IDCARD_READ || cmd->req.cmd == KD_CMD_SCANNER_READ ? 1000 : 0;
	lws_sul_schedule(kd->lws, 0, &cmd->sul_timeout, on_timeout,
			 (lws_usec_t)(cmd->timeout_ms + grace) * LWS_US_PER_MS);
	if (d->queue_tail)
		d->queue_tail->queue_next = cmd;
	else
		d->queue_head = cmd;
	d->queue_tail = cmd;
	device_pump(d);
}

void kd_conn_gone(struct kd_conn *c)
{
	struct kd_cmd *victims[KD_MAX_INFLIGHT + 2];
	int n = 0;
	for (struct kd_cmd *x = c->cmds; x && n < KD_MAX_INFLIGHT + 2; x = x->conn_next)
		victims[n++] = x;
	for (int k = 0; k < n; k++) {
		struct kd_cmd *x = victims[k];
		if (x->completed)
			continue;
		if (x->req.cmd == KD_CMD_PRINTER_PRINT && x->dev && x->dev->running == x) {
			/* A receipt being printed is finished (never cut off half-way);
			 * its outcome is logged once when it completes. */
			kd_log(KD_INFO, "connection %llu closed during a print: the print continues",
			       (unsigned long long)c->id);
			continue;
		}
		cancel(x, false);
	}
}
