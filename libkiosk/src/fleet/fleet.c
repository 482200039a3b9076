/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fleet.c — the fleet module (kiosk/fleet.h): an MQTT client (libmosquitto,
 * on its own thread, see network_thread()) publishing the terminal's
 * state, its devices and its queued events, and answering config/set.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <cjson/cJSON.h>
#include <mosquitto.h>
#include "core/internal.h"
#include "fleet/message.h"
#include "fleet/queue.h"
#include <kiosk/fleet.h>
#include <kiosk/printer.h>
#include <kiosk/version.h>

#define COMP "fleet"
#define OFFLINE_STATE "{\"online\":false}" /* the last will, and a clean exit's state */
#define WINDOW 64            /* events published and not yet acknowledged, at most */
#define NCLASS 5             /* enum kiosk_device_class values 1..4 */

struct device_record {
	bool known;
	char uri[256];
	enum kiosk_device_state state;
	const char *paper;   /* kiosk_paper_state_name(), or NULL */
	int cover_open;      /* -1 unknown, 0, 1 */
	char error[64];      /* kiosk_error_name() of the last failure, or "" */
	char since[32];
};

struct inflight {
	int mid;
	uint64_t seq;
};

struct kiosk_fleet {
	kiosk_context *ctx;
	struct mosquitto *mosq;
	char host[256];
	int port, keepalive;
	bool tls;
	int wake_fd;                  /* eventfd: wakes the network thread's poll() */
	unsigned seed;                /* rand_r() state of the back-off jitter */
	pthread_t thread;
	bool thread_started;
	bool stopping;                /* guarded by lock; wakes `wake` */
	pthread_cond_t wake;
	int backoff_s;                /* reconnect back-off: 1 doubling to 30, 1 once connected */
	pthread_mutex_t lock; /* guards everything below */
	pthread_cond_t acked;
	struct kioski_fleet_queue *queue;
	bool connected;
	uint64_t sent_upto;           /* highest seq published on this connection */
	struct inflight window[WINDOW];
	int nwindow;
	struct device_record devices[NCLASS];
	kiosk_fleet_config_fn config_fn;
	void *config_user;
	char prefix[160];             /* "kiosk/HALL/ID/" */
	char all_topic[160];          /* "kiosk/HALL/all/config/set" */
	char program[64];
	char since[32];
};

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static void lib_init(void)
{
	mosquitto_lib_init();
}

static bool valid_id(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 64 || strcmp(s, "all") == 0)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

static void topic(const kiosk_fleet *f, const char *leaf, char *out, size_t size)
{
	snprintf(out, size, "%s%s", f->prefix, leaf);
}

/* Wakes the network thread so that a packet queued by another thread goes
 * out now rather than at its next poll timeout. */
static void poke(kiosk_fleet *f)
{
	uint64_t one = 1;
	if (f->wake_fd >= 0 && write(f->wake_fd, &one, sizeof one) < 0 && errno != EAGAIN)
		kioski_dbg(f->ctx, COMP, "wake: %s", strerror(errno));
}

/* ---- publishing (lock held) ------------------------------------------ */

static void publish_retained(kiosk_fleet *f, const char *leaf, const char *json)
{
	char t[224];
	topic(f, leaf, t, sizeof t);
	int rc = mosquitto_publish(f->mosq, NULL, t, (int)strlen(json), json, 1, true);
	if (rc != MOSQ_ERR_SUCCESS)
		kioski_dbg(f->ctx, COMP, "publish %s: %s", t, mosquitto_strerror(rc));
	else
		poke(f);
}

static void publish_device(kiosk_fleet *f, enum kiosk_device_class cls)
{
	struct device_record *d = &f->devices[cls];
	if (!d->known || !f->connected)
		return;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "uri", d->uri);
	cJSON_AddStringToObject(o, "state", kiosk_device_state_name(d->state));
	if (d->paper)
		cJSON_AddStringToObject(o, "paper", d->paper);
	if (d->cover_open >= 0)
		cJSON_AddBoolToObject(o, "coverOpen", d->cover_open);
	if (d->error[0])
		cJSON_AddStringToObject(o, "error", d->error);
	cJSON_AddStringToObject(o, "since", d->since);
	char *json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!json)
		return;
	char leaf[32];
	snprintf(leaf, sizeof leaf, "device/%s", kiosk_device_class_name(cls));
	publish_retained(f, leaf, json);
	free(json);
}

static int publish_one(uint64_t seq, const char *json, void *user)
{
	kiosk_fleet *f = user;
	char t[224];
	topic(f, "event", t, sizeof t);
	int mid = 0;
	int rc = mosquitto_publish(f->mosq, &mid, t, (int)strlen(json), json, 1, false);
	if (rc != MOSQ_ERR_SUCCESS) {
		kioski_dbg(f->ctx, COMP, "publish event %" PRIu64 ": %s", seq, mosquitto_strerror(rc));
		return 1; /* stop; retried on the next acknowledgement or connection */
	}
	f->window[f->nwindow++] = (struct inflight){.mid = mid, .seq = seq};
	f->sent_upto = seq;
	poke(f);
	return f->nwindow >= WINDOW;
}

/* Publishes queued events past sent_upto while the window has room. */
static void flush_events(kiosk_fleet *f)
{
	if (!f->connected || f->nwindow >= WINDOW)
		return;
	kioski_fleet_queue_each(f->queue, f->sent_upto, WINDOW - f->nwindow, publish_one, f);
}

static void publish_state(kiosk_fleet *f)
{
	char json[256];
	snprintf(json, sizeof json,
		 "{\"online\":true,\"version\":\"%s\",\"program\":\"%s\",\"since\":\"%s\"}",
		 kiosk_version(), f->program, f->since);
	publish_retained(f, "state", json);
}

/* Subscribes to this kiosk's and the hall's config/set (the broker then
 * sends a retained one again). */
static void subscribe_config(kiosk_fleet *f)
{
	char t[224];
	topic(f, "config/set", t, sizeof t);
	mosquitto_subscribe(f->mosq, NULL, t, 1);
	mosquitto_subscribe(f->mosq, NULL, f->all_topic, 1);
}

/* ---- libmosquitto callbacks (fleet thread) ----------------------------- */

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
	kiosk_fleet *f = obj;
	if (rc != 0) {
		kioski_warn(f->ctx, COMP, "broker refused the connection: %s",
			    mosquitto_connack_string(rc));
		return;
	}
	kioski_info(f->ctx, COMP, "connected");
	pthread_mutex_lock(&f->lock);
	f->backoff_s = 1;
	pthread_mutex_unlock(&f->lock);
	subscribe_config(f);
	pthread_mutex_lock(&f->lock);
	f->connected = true;
	/* Everything unacknowledged is sent again on a new connection: the
	 * broker may or may not have had it; consumers de-duplicate on seq. */
	f->nwindow = 0;
	f->sent_upto = 0;
	publish_state(f);
	for (int c = 1; c < NCLASS; c++)
		publish_device(f, c);
	flush_events(f);
	pthread_mutex_unlock(&f->lock);
}

static void on_disconnect(struct mosquitto *mosq, void *obj, int rc)
{
	(void)mosq;
	kiosk_fleet *f = obj;
	pthread_mutex_lock(&f->lock);
	f->connected = false;
	pthread_cond_broadcast(&f->acked); /* kiosk_fleet_free() need not wait for PUBACKs now */
	pthread_mutex_unlock(&f->lock);
	if (rc)
		kioski_warn(f->ctx, COMP, "connection to the broker lost; reconnecting");
}

static void on_publish(struct mosquitto *mosq, void *obj, int mid)
{
	(void)mosq;
	kiosk_fleet *f = obj;
	pthread_mutex_lock(&f->lock);
	for (int i = 0; i < f->nwindow; i++) {
		if (f->window[i].mid != mid)
			continue;
		if (kioski_fleet_queue_remove(f->queue, f->window[i].seq))
			kioski_warn(f->ctx, COMP, "event queue: cannot remove %" PRIu64,
				    f->window[i].seq);
		f->window[i] = f->window[--f->nwindow];
		flush_events(f);
		pthread_cond_broadcast(&f->acked);
		break;
	}
	pthread_mutex_unlock(&f->lock);
}

static void send_ack(kiosk_fleet *f, cJSON *id, bool ok, const char *error)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "id", id ? cJSON_Duplicate(id, true) : cJSON_CreateNull());
	cJSON_AddBoolToObject(o, "ok", ok);
	if (!ok)
		cJSON_AddStringToObject(o, "error", error);
	char *json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!json)
		return;
	char t[224];
	topic(f, "config/ack", t, sizeof t);
	mosquitto_publish(f->mosq, NULL, t, (int)strlen(json), json, 1, false);
	free(json);
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *msg)
{
	(void)mosq;
	kiosk_fleet *f = obj;
	if (msg->retain && msg->payloadlen == 0)
		return; /* a retained config being cleared */
	cJSON *id;
	char *settings, error[256] = "";
	bool ok = kioski_fleet_config_parse(msg->payload, (size_t)msg->payloadlen, &id, &settings,
					    error, sizeof error);
	if (ok) {
		pthread_mutex_lock(&f->lock);
		kiosk_fleet_config_fn fn = f->config_fn;
		void *user = f->config_user;
		pthread_mutex_unlock(&f->lock);
		if (!fn) {
			snprintf(error, sizeof error, "settings not accepted by this program");
			ok = false;
		} else {
			ok = fn(f, settings, error, sizeof error, user);
			error[sizeof error - 1] = 0;
			if (!ok && !error[0])
				snprintf(error, sizeof error, "refused");
		}
		free(settings);
	}
	send_ack(f, id, ok, error);
	kioski_info(f->ctx, COMP, "config from %s: %s%s", msg->topic, ok ? "applied" : "refused: ",
		    ok ? "" : error);
	cJSON_Delete(id);
}

/* ---- the network thread ----------------------------------------------- */

/*
 * One turn of a plain-TCP link: waits (poll(), at most 1 s, so keep-alive
 * pings go out in time) for the socket or a poke(), then reads, writes and
 * runs libmosquitto's housekeeping. Not mosquitto_loop(): it select()s and
 * refuses a socket numbered 1024 or above, which a process with many files
 * (kioskd with its clients, the fleet simulator) reaches.
 */
static int link_turn(kiosk_fleet *f)
{
	int sock = mosquitto_socket(f->mosq);
	if (sock < 0)
		return MOSQ_ERR_NO_CONN;
	struct pollfd p[2] = {
		{.fd = sock, .events = POLLIN | (mosquitto_want_write(f->mosq) ? POLLOUT : 0)},
		{.fd = f->wake_fd, .events = POLLIN},
	};
	if (poll(p, 2, 1000) < 0 && errno != EINTR)
		return MOSQ_ERR_ERRNO;
	if (p[1].revents & POLLIN) {
		uint64_t n;
		if (read(f->wake_fd, &n, sizeof n) < 0 && errno != EAGAIN)
			return MOSQ_ERR_ERRNO;
	}
	int rc = MOSQ_ERR_SUCCESS;
	if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
		/* Read every packet that is there (loop_read returns after one
		 * batch; errno EAGAIN says the socket is drained). */
		for (int i = 0; i < 64 && rc == MOSQ_ERR_SUCCESS; i++) {
			errno = 0;
			rc = mosquitto_loop_read(f->mosq, 1);
			if (errno == EAGAIN || errno == EWOULDBLOCK || mosquitto_socket(f->mosq) < 0)
				break;
		}
	}
	if (rc == MOSQ_ERR_SUCCESS && mosquitto_socket(f->mosq) >= 0 && mosquitto_want_write(f->mosq))
		rc = mosquitto_loop_write(f->mosq, 1);
	if (rc == MOSQ_ERR_SUCCESS)
		rc = mosquitto_loop_misc(f->mosq);
	return rc;
}

/* The next reconnect wait in ms: the back-off with "equal jitter" (half
 * fixed, half random), so that terminals that lost the broker together
 * (a broker restart) do not all come back in the same second. */
static int next_wait_ms(kiosk_fleet *f)
{
	int ms = f->backoff_s * 1000;
	int wait = ms / 2 + (int)(rand_r(&f->seed) % (unsigned)(ms / 2 + 1));
	f->backoff_s = f->backoff_s >= 15 ? 30 : f->backoff_s * 2;
	return wait;
}

/*
 * Connects, runs the client and reconnects with back-off (1 s doubling to
 * 30 s, jittered) until kiosk_fleet_free(). Our own loop rather than
 * mosquitto_loop_start(): libmosquitto's gives up when the very first
 * connection attempt fails (a terminal that boots before the broker), and
 * its reconnect sleep cannot be interrupted on shutdown. TLS links use
 * mosquitto_loop() (libmosquitto finishes a non-blocking TLS handshake only
 * there), so their socket must be below 1024: one terminal per process is.
 */
static void *network_thread(void *arg)
{
	kiosk_fleet *f = arg;
	bool first = true, have_link = false;
	for (;;) {
		pthread_mutex_lock(&f->lock);
		bool stop = f->stopping;
		pthread_mutex_unlock(&f->lock);
		if (stop)
			break;
		int rc;
		if (!have_link) {
			rc = first ? mosquitto_connect_async(f->mosq, f->host, f->port, f->keepalive)
				   : mosquitto_reconnect_async(f->mosq);
			first = false;
			have_link = rc == MOSQ_ERR_SUCCESS;
			if (!have_link)
				kioski_dbg(f->ctx, COMP, "connect %s:%d: %s", f->host, f->port,
					   rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
		}
		if (have_link) {
			rc = f->tls ? mosquitto_loop(f->mosq, 500, 1) : link_turn(f);
			if (rc == MOSQ_ERR_SUCCESS)
				continue;
			have_link = false;
			kioski_dbg(f->ctx, COMP, "link: %s",
				   rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
		}
		/* Wait before the next attempt; kiosk_fleet_free() cuts it short. */
		pthread_mutex_lock(&f->lock);
		f->connected = false;
		int wait_ms = next_wait_ms(f);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += wait_ms / 1000;
		until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (!f->stopping && pthread_cond_timedwait(&f->wake, &f->lock, &until) == 0)
			;
		pthread_mutex_unlock(&f->lock);
	}
	/* Best effort: what kiosk_fleet_free() queued (the offline state, the
	 * DISCONNECT) goes out before the socket closes. */
	if (have_link && !f->tls && mosquitto_socket(f->mosq) >= 0)
		mosquitto_loop_write(f->mosq, 1);
	return NULL;
}

/* ---- device changes (dispatching thread) ------------------------------ */

static void post_event(kiosk_fleet *f, const char *type, cJSON *fields);

static void observe(kiosk_context *ctx, const kiosk_event *ev, void *user)
{
	(void)ctx;
	kiosk_fleet *f = user;
	kiosk_device *dev = kiosk_event_get_device(ev);
	if (!dev)
		return;
	enum kiosk_device_class cls = kiosk_device_get_class(dev);
	if (cls < 1 || cls >= NCLASS)
		return;
	enum kiosk_event_type type = kiosk_event_get_type(ev);
	uint64_t when = kiosk_event_get_time_ms(ev);
	const char *event = NULL;
	cJSON *fields = NULL;

	pthread_mutex_lock(&f->lock);
	struct device_record *d = &f->devices[cls];
	bool changed = false;
	if (!d->known) {
		d->known = true;
		d->cover_open = -1;
		d->state = kiosk_device_get_state(dev);
		kioski_fleet_iso_time_at(d->since, when);
		changed = true;
	}
	snprintf(d->uri, sizeof d->uri, "%s", kiosk_device_get_uri(dev));
	if (type == KIOSK_EVENT_DEVICE_STATE) {
		enum kiosk_device_state prev, st = kiosk_event_get_device_state(ev, &prev);
		d->state = st;
		snprintf(d->error, sizeof d->error, "%s",
			 st == KIOSK_DEVICE_OFFLINE ? kiosk_error_name(kiosk_event_get_error(ev)) : "");
		kioski_fleet_iso_time_at(d->since, when);
		changed = true;
		if (st == KIOSK_DEVICE_OFFLINE)
			event = "device_offline";
		else if (st == KIOSK_DEVICE_ONLINE && prev == KIOSK_DEVICE_OFFLINE)
			event = "device_online";
		if (event) {
			fields = cJSON_CreateObject();
			cJSON_AddStringToObject(fields, "class", kiosk_device_class_name(cls));
			cJSON_AddStringToObject(fields, "uri", d->uri);
			if (d->error[0])
				cJSON_AddStringToObject(fields, "error", d->error);
		}
	} else if (type == KIOSK_EVENT_PRINTER_STATUS) {
		const struct kiosk_printer_status *ps = kiosk_event_get_printer_status(ev);
		if (ps) {
			const char *paper = kiosk_paper_state_name(ps->paper);
			int cover = ps->cover_open == KIOSK_YES ? 1 : ps->cover_open == KIOSK_NO ? 0 : -1;
			if (ps->paper == KIOSK_PAPER_OUT && (!d->paper || strcmp(d->paper, "out")))
				event = "paper_out";
			else if (ps->paper == KIOSK_PAPER_NEAR_END &&
				 (!d->paper || strcmp(d->paper, "near_end")))
				event = "paper_low";
			if (!d->paper || strcmp(d->paper, paper) || d->cover_open != cover) {
				d->paper = paper;
				d->cover_open = cover;
				kioski_fleet_iso_time_at(d->since, when);
				changed = true;
			}
			if (event) {
				fields = cJSON_CreateObject();
				cJSON_AddStringToObject(fields, "uri", d->uri);
			}
		}
	} else if (type == KIOSK_EVENT_DEVICE_ERROR && cls == KIOSK_CLASS_IDCARD) {
		event = "card_read_failed";
		fields = cJSON_CreateObject();
		cJSON_AddStringToObject(fields, "uri", d->uri);
		cJSON_AddStringToObject(fields, "error", kiosk_error_name(kiosk_event_get_error(ev)));
	}
	if (changed)
		publish_device(f, cls);
	pthread_mutex_unlock(&f->lock);
	if (event)
		post_event(f, event, fields);
	cJSON_Delete(fields);
}

/* ---- public API ------------------------------------------------------- */

int kiosk_fleet_new(kiosk_context *ctx, const struct kiosk_fleet_options *opts, kiosk_fleet **out)
{
	if (!ctx || !opts || !out)
		return KIOSK_E_INVALID_ARG;
	*out = NULL;
	if (opts->size < offsetof(struct kiosk_fleet_options, keepalive_s) + sizeof(int))
		return kioski_context_fail(ctx, KIOSK_E_INVALID_ARG,
					   "fleet: options size not set (KIOSK_FLEET_OPTIONS_INIT)");
	char host[256];
	int port;
	bool tls;
	if (kioski_fleet_parse_broker(opts->broker, host, sizeof host, &port, &tls))
		return kioski_context_fail(ctx, KIOSK_E_INVALID_ARG,
					   "fleet: broker must be mqtt://HOST[:PORT] or mqtts://HOST[:PORT]");
	if (!valid_id(opts->hall) || !valid_id(opts->kiosk_id))
		return kioski_context_fail(ctx, KIOSK_E_INVALID_ARG,
					   "fleet: hall and kiosk id: 1..64 of [A-Za-z0-9_-], not \"all\"");
	if (!opts->queue_path || !opts->queue_path[0])
		return kioski_context_fail(ctx, KIOSK_E_INVALID_ARG, "fleet: queue_path is required");
	if ((opts->cert_file != NULL) != (opts->key_file != NULL))
		return kioski_context_fail(ctx, KIOSK_E_INVALID_ARG,
					   "fleet: cert_file and key_file go together");
	if (opts->keepalive_s != 0 && (opts->keepalive_s < 5 || opts->keepalive_s > 65535))
		return kioski_context_fail(ctx, KIOSK_E_INVALID_ARG, "fleet: keepalive_s must be 5..65535");
	unsigned qmax = opts->queue_max ? opts->queue_max : 10000;
	if (qmax < 8)
		return kioski_context_fail(ctx, KIOSK_E_INVALID_ARG, "fleet: queue_max below 8");

	kiosk_fleet *f = calloc(1, sizeof *f);
	if (!f)
		return KIOSK_E_NO_MEMORY;
	f->ctx = ctx;
	f->wake_fd = -1;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->acked, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&f->wake, &ca);
	pthread_condattr_destroy(&ca);
	f->backoff_s = 1;
	snprintf(f->host, sizeof f->host, "%s", host);
	f->port = port;
	f->tls = tls;
	f->seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)f ^ (unsigned)getpid();
	f->keepalive = opts->keepalive_s > 0 ? opts->keepalive_s : 30;
	snprintf(f->prefix, sizeof f->prefix, "kiosk/%s/%s/", opts->hall, opts->kiosk_id);
	snprintf(f->all_topic, sizeof f->all_topic, "kiosk/%s/all/config/set", opts->hall);
	snprintf(f->program, sizeof f->program, "%s", opts->program ? opts->program : "libkiosk");
	for (char *c = f->program; *c; c++)
		if (*c == '"' || *c == '\\' || (unsigned char)*c < 0x20)
			*c = '_';
	kioski_fleet_iso_time_at(f->since, 0);
	char err[512];
	f->queue = kioski_fleet_queue_open(opts->queue_path, qmax, err, sizeof err);
	if (!f->queue) {
		kiosk_fleet_free(f);
		return kioski_context_fail(ctx, KIOSK_E_IO, "fleet: %s", err);
	}

	f->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (f->wake_fd < 0) {
		kiosk_fleet_free(f);
		return kioski_context_fail(ctx, KIOSK_E_IO, "fleet: eventfd: %s", strerror(errno));
	}
	pthread_once(&lib_once, lib_init);
	char client_id[160];
	snprintf(client_id, sizeof client_id, "kiosk-%s-%s", opts->hall, opts->kiosk_id);
	f->mosq = mosquitto_new(client_id, true, f);
	if (!f->mosq) {
		kiosk_fleet_free(f);
		return KIOSK_E_NO_MEMORY;
	}
	char will_topic[224];
	topic(f, "state", will_topic, sizeof will_topic);
	int rc = mosquitto_will_set(f->mosq, will_topic, (int)strlen(OFFLINE_STATE), OFFLINE_STATE, 1,
				    true);
	if (rc == MOSQ_ERR_SUCCESS && (opts->username || opts->password))
		rc = mosquitto_username_pw_set(f->mosq, opts->username, opts->password);
	if (rc == MOSQ_ERR_SUCCESS && tls)
		rc = mosquitto_tls_set(f->mosq, opts->ca_file, opts->ca_file ? NULL : "/etc/ssl/certs",
				       opts->cert_file, opts->key_file, NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		kiosk_fleet_free(f);
		return kioski_context_fail(ctx, KIOSK_E_INVALID_ARG, "fleet: %s",
					   mosquitto_strerror(rc));
	}
	mosquitto_threaded_set(f->mosq, true);
	mosquitto_connect_callback_set(f->mosq, on_connect);
	mosquitto_disconnect_callback_set(f->mosq, on_disconnect);
	mosquitto_publish_callback_set(f->mosq, on_publish);
	mosquitto_message_callback_set(f->mosq, on_message);
	if (kioski_context_add_observer(ctx, observe, f)) {
		kiosk_fleet_free(f);
		return KIOSK_E_NO_MEMORY;
	}
	/* A broker not there yet is not an error: the thread keeps trying. */
	if (pthread_create(&f->thread, NULL, network_thread, f)) {
		kiosk_fleet_free(f);
		return kioski_context_fail(ctx, KIOSK_E_NO_MEMORY, "fleet: cannot start its thread");
	}
	f->thread_started = true;
	*out = f;
	return KIOSK_OK;
}

void kiosk_fleet_free(kiosk_fleet *f)
{
	if (!f)
		return;
	kioski_context_remove_observer(f->ctx, observe, f);
	if (f->mosq) {
		pthread_mutex_lock(&f->lock);
		if (f->connected) {
			publish_retained(f, "state", OFFLINE_STATE);
			/* Give queued events up to 2 s to be acknowledged. */
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 2;
			while (f->connected && f->nwindow > 0 &&
			       pthread_cond_timedwait(&f->acked, &f->lock, &until) == 0)
				;
		}
		pthread_mutex_unlock(&f->lock);
		/* The DISCONNECT is queued before the thread is told to stop, so its
		 * last write carries it and the broker drops the will (a clean exit
		 * must not look like a crash in the broker's log). */
		mosquitto_disconnect(f->mosq);
		poke(f);
		pthread_mutex_lock(&f->lock);
		f->stopping = true;
		pthread_cond_broadcast(&f->wake);
		pthread_mutex_unlock(&f->lock);
		poke(f);
		if (f->thread_started)
			pthread_join(f->thread, NULL);
		mosquitto_destroy(f->mosq);
	}
	kioski_fleet_queue_close(f->queue);
	if (f->wake_fd >= 0)
		close(f->wake_fd);
	pthread_cond_destroy(&f->acked);
	pthread_cond_destroy(&f->wake);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

static bool valid_type(const char *t)
{
	size_t n = t ? strlen(t) : 0;
	if (n == 0 || n > 32)
		return false;
	for (; *t; t++)
		if (!(*t >= 'a' && *t <= 'z') && *t != '_')
			return false;
	return true;
}

/* Queues an event whose fields are a cJSON object (or NULL); lock not held. */
static int queue_event(kiosk_fleet *f, const char *type, cJSON *fields, uint64_t *seq)
{
	char *inner = NULL;
	if (fields && fields->child) {
		char *all = cJSON_PrintUnformatted(fields);
		if (!all)
			return KIOSK_E_NO_MEMORY;
		size_t n = strlen(all); /* strip the braces: "{…}" → "…" */
		memmove(all, all + 1, n - 2);
		all[n - 2] = 0;
		inner = all;
	}
	pthread_mutex_lock(&f->lock);
	int rc = kioski_fleet_queue_push(f->queue, type, inner ? inner : "", f->sent_upto, seq);
	if (rc == 0)
		flush_events(f);
	pthread_mutex_unlock(&f->lock);
	free(inner);
	if (rc)
		kioski_warn(f->ctx, COMP, "event queue: cannot write a %s event", type);
	return rc ? KIOSK_E_IO : KIOSK_OK;
}

static void post_event(kiosk_fleet *f, const char *type, cJSON *fields)
{
	queue_event(f, type, fields, NULL);
}

int kiosk_fleet_post_event(kiosk_fleet *f, const char *type, const char *fields_json,
			   uint64_t *seq)
{
	if (!f || !valid_type(type))
		return KIOSK_E_INVALID_ARG;
	cJSON *fields = NULL;
	if (fields_json) {
		fields = cJSON_Parse(fields_json);
		if (!fields || !cJSON_IsObject(fields) ||
		    cJSON_GetObjectItemCaseSensitive(fields, "seq") ||
		    cJSON_GetObjectItemCaseSensitive(fields, "time") ||
		    cJSON_GetObjectItemCaseSensitive(fields, "type")) {
			cJSON_Delete(fields);
			return kioski_context_fail(f->ctx, KIOSK_E_INVALID_ARG,
						   "fleet: event fields must be a JSON object without seq, time, type");
		}
	}
	int rc = queue_event(f, type, fields, seq);
	cJSON_Delete(fields);
	return rc;
}

int kiosk_fleet_add_device(kiosk_fleet *f, kiosk_device *dev)
{
	if (!f || !dev)
		return KIOSK_E_INVALID_ARG;
	enum kiosk_device_class cls = kiosk_device_get_class(dev);
	if (cls < 1 || cls >= NCLASS)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&f->lock);
	struct device_record *d = &f->devices[cls];
	if (!d->known)
		d->cover_open = -1;
	d->known = true;
	snprintf(d->uri, sizeof d->uri, "%s", kiosk_device_get_uri(dev));
	d->state = kiosk_device_get_state(dev);
	kioski_fleet_iso_time_at(d->since, 0);
	publish_device(f, cls);
	pthread_mutex_unlock(&f->lock);
	return KIOSK_OK;
}

int kiosk_fleet_set_config_callback(kiosk_fleet *f, kiosk_fleet_config_fn fn, void *user)
{
	if (!f)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&f->lock);
	bool had = f->config_fn != NULL, connected = f->connected;
	f->config_fn = fn;
	f->config_user = user;
	pthread_mutex_unlock(&f->lock);
	if (fn && !had && connected) {
		/* A retained config/set that arrived before the callback was
		 * refused; subscribing again makes the broker send it once more. */
		subscribe_config(f);
		poke(f);
	}
	return KIOSK_OK;
}

bool kiosk_fleet_is_connected(kiosk_fleet *f)
{
	if (!f)
		return false;
	pthread_mutex_lock(&f->lock);
	bool c = f->connected;
	pthread_mutex_unlock(&f->lock);
	return c;
}

int kiosk_fleet_queued(kiosk_fleet *f)
{
	if (!f)
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&f->lock);
	int n = kioski_fleet_queue_count(f->queue);
	pthread_mutex_unlock(&f->lock);
	return n < 0 ? KIOSK_E_IO : n;
}
