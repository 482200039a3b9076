/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kioskd.h — the daemon's shared state: configuration, connections, devices
 * and the commands between them. One thread runs everything (the
 * libwebsockets loop, into which libkiosk's context fd is adopted); only the
 * blocking printer status query runs on a helper thread (devices.c).
 */
#ifndef KIOSKD_H
#define KIOSKD_H

#include <kiosk/kiosk.h>
#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>

#include "protocol.h"
#include "tokens.h"

#define KD_ORIGINS_MAX 16

/* Per-connection limits (docs/kioskd.md). */
#define KD_MAX_MESSAGE (1024 * 1024)    /* bytes in one message */
#define KD_MAX_INFLIGHT 16              /* accepted, not yet completed commands */
#define KD_RATE_PER_S 50                /* messages per second, sustained */
#define KD_RATE_BURST 100               /* messages in a burst */
#define KD_MAX_OUT_BYTES (8 * 1024 * 1024) /* unsent replies before the client is dropped */
#define KD_MAX_CONNECTIONS 512

struct kd_config {
	char *listen;              /* HOST:PORT */
	char *idcard, *printer, *profile, *scanner;
	char *origins[KD_ORIGINS_MAX];
	int n_origins;
	char *token_file;
	char *tls_cert, *tls_key;
	int verbose;               /* 0 warn, 1 info, 2 debug */
};

/* Parses the command line (and --config FILE). Returns 0, or 2 after printing
 * a one-line error (1 for --help/--version: exit 0). */
int kd_config_parse(struct kd_config *cfg, int argc, char **argv);
void kd_config_free(struct kd_config *cfg);

struct kd_cmd;
struct kd_device;

/* One outgoing message. */
struct kd_out {
	struct kd_out *next;
	size_t len;
	unsigned char buf[]; /* LWS_PRE bytes, then the text */
};

/* One WebSocket client. Outlives its socket while commands still reference it. */
struct kd_conn {
	struct kd_conn *next, *prev;   /* daemon's list */
	struct lws *wsi;               /* NULL once the socket is closed */
	uint64_t id;                   /* for logs */
	int rights;
	struct kd_out *out_head, *out_tail;
	size_t out_bytes;
	bool closing;                  /* drop it at the next writeable callback */
	bool tearing_down;             /* being closed: not freed under our feet */
	char *rx;                      /* the message being received */
	size_t rx_len, rx_cap;
	bool rx_oversized, rx_binary;
	double bucket;                 /* rate limit tokens */
	uint64_t bucket_ms;
	int inflight;
	struct kd_cmd *cmds;           /* accepted, not completed */
};

enum kd_dev_state { KD_STATE_UNKNOWN, KD_STATE_ONLINE, KD_STATE_OFFLINE };

struct kd_device {
	enum kiosk_device_class cls;
	const char *uri;               /* as configured */
	union {
		kiosk_idcard_reader *rdr;
		kiosk_printer *prn;
		kiosk_scanner *scn;
	} h;
	enum kd_dev_state state;
	char last_error[96];           /* a kiosk_error_name(), never device text */
	struct kd_cmd *queue_head, *queue_tail; /* waiting, in order */
	struct kd_cmd *running;
	kiosk_idcard *card;            /* the card on the reader, while it is there */
	struct kiosk_printer_status st; /* last printer status seen */
};

/* One accepted command. */
struct kd_cmd {
	struct kd_cmd *conn_next, *conn_prev; /* conn->cmds */
	struct kd_cmd *queue_next;            /* device queue */
	struct kd_conn *conn;                 /* NULL once the client is gone */
	struct kd_device *dev;
	struct kd_request req;
	int rights;                           /* the connection's, at acceptance */
	int timeout_ms;
	uint64_t deadline_ms;                 /* acceptance + timeout (kd_now_ms) */
	kiosk_job *job;
	lws_sorted_usec_list_t sul_timeout;
	lws_sorted_usec_list_t sul_watch;     /* print: watches for WAITING */
	bool completed;                       /* its completion was sent (or dropped) */
	bool timed_out, waiting;
	bool offloaded;                       /* on the status thread */
	int result;                           /* status thread result */
	struct kiosk_printer_status st;
};

struct kd_daemon {
	struct kd_config cfg;
	struct kd_tokens *tokens;             /* NULL: no token file */
	kiosk_context *kctx;
	struct lws_context *lws;
	struct lws_vhost *vhost;
	struct kd_device dev[3];              /* idcard, printer, scanner */
	struct kd_conn *conns;
	int n_conns;
	uint64_t next_conn_id;
	volatile int stop;
	int port;
};

extern struct kd_daemon *kd;

/* Logs one line to stderr (journald under systemd); never personal data or tokens. */
void kd_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define KD_ERR 0
#define KD_WARN 1
#define KD_INFO 2
#define KD_DEBUG 3

uint64_t kd_now_ms(void);

/* server.c */
int kd_server_start(void);
void kd_server_stop(void);
void kd_conn_send(struct kd_conn *c, char *msg); /* takes msg (wiped and freed) */
void kd_broadcast(const char *name, const char *payload_json);
void kd_conn_release(struct kd_conn *c);         /* frees it once closed and idle */

/* commands.c */
void kd_command_accept(struct kd_conn *c, struct kd_request *req); /* takes req */
void kd_conn_gone(struct kd_conn *c);

/* devices.c */
int kd_devices_open(void);
void kd_devices_close(void);
int kd_devices_adopt(struct lws_vhost *vh);  /* context fd and status pipe into lws */
void kd_devices_dispatch(void);               /* context fd readable */
void kd_devices_status_ready(void);           /* status pipe readable */
bool kd_device_start(struct kd_device *d, struct kd_cmd *cmd); /* false: completed at once */
void kd_device_cancel(struct kd_cmd *cmd);
char *kd_devices_status_json(void);
const char *kd_state_name(enum kd_dev_state s);
struct kd_device *kd_device_for(enum kd_command cmd);

/* commands.c, called by devices.c */
void kd_command_complete(struct kd_cmd *cmd, enum kd_code code, const char *description,
			 const char *payload_json);
void kd_command_event(struct kd_cmd *cmd, const char *name, const char *payload_json);

#endif
