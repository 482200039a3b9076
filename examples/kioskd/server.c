/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * server.c — the WebSocket side (libwebsockets): listening, the handshake
 * checks (path, Origin allow-list, token), per-connection limits, receiving
 * whole messages and sending replies in order.
 */
#include "kioskd.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define KD_PATH "/kiosk/v1"

/* Per-session data: lws allocates it with the wsi, HTTP phase included. */
struct kd_pss {
	bool admitted;   /* the handshake checks passed */
	int rights;
	struct kd_conn *conn;
};

static void out_free(struct kd_out *o)
{
	explicit_bzero(o->buf, LWS_PRE + o->len); /* replies may carry card data */
	free(o);
}

void kd_conn_send(struct kd_conn *c, char *msg)
{
	if (!msg) {
		kd_log(KD_ERR, "out of memory building a reply");
		return;
	}
	size_t len = strlen(msg);
	if (!c || !c->wsi || c->closing) {
		explicit_bzero(msg, len);
		free(msg);
		return;
	}
	struct kd_out *o = malloc(sizeof *o + LWS_PRE + len);
	if (o) {
		o->next = NULL;
		o->len = len;
		memcpy(o->buf + LWS_PRE, msg, len);
	}
	explicit_bzero(msg, len);
	free(msg);
	if (!o || c->out_bytes + len > KD_MAX_OUT_BYTES) {
		/* A client that does not read its replies is dropped, not buffered forever. */
		kd_log(KD_WARN, "connection %llu: %s: closing it",
		       (unsigned long long)c->id, o ? "does not read its replies" : "out of memory");
		if (o)
			out_free(o);
		c->closing = true;
		lws_callback_on_writable(c->wsi);
		return;
	}
	if (c->out_tail)
		c->out_tail->next = o;
	else
		c->out_head = o;
	c->out_tail = o;
	c->out_bytes += len;
	lws_callback_on_writable(c->wsi);
}

void kd_broadcast(const char *name, const char *payload_json)
{
	for (struct kd_conn *c = kd->conns; c; c = c->next)
		if (c->wsi && (c->rights & KD_RIGHT_DEVICES))
			kd_conn_send(c, kd_msg_unsolicited(name, payload_json));
}

void kd_conn_release(struct kd_conn *c)
{
	if (c->wsi || c->cmds || c->tearing_down)
		return;
	free(c);
}

/* Token bucket: KD_RATE_PER_S sustained, KD_RATE_BURST at once. */
static bool rate_ok(struct kd_conn *c)
{
	uint64_t now = kd_now_ms();
	c->bucket += (double)(now - c->bucket_ms) * KD_RATE_PER_S / 1000.0;
	if (c->bucket > KD_RATE_BURST)
		c->bucket = KD_RATE_BURST;
	c->bucket_ms = now;
	if (c->bucket < 1.0)
		return false;
	c->bucket -= 1.0;
	return true;
}

static void handle_message(struct kd_conn *c, const char *text, size_t len)
{
	struct kd_request req;
	bool within_rate = rate_ok(c);
	enum kd_ack ack = kd_parse_request(text, len, &req);
	const char *why = req.error;
	if (ack == KD_ACK_OK) {
		if (!within_rate) {
			ack = KD_ACK_TOO_MANY_REQUESTS;
			why = "more than 50 messages per second";
		} else if (c->inflight >= KD_MAX_INFLIGHT && req.cmd != KD_CMD_COMMON_CANCEL) {
			/* Common.Cancel is always taken: it is how a client gets out of this */
			ack = KD_ACK_TOO_MANY_REQUESTS;
			why = "16 commands are already pending on this connection";
		} else if (req.cmd != KD_CMD_COMMON_CANCEL && req.cmd != KD_CMD_UNKNOWN &&
			   !(c->rights & KD_RIGHT_DEVICES)) {
			ack = KD_ACK_UNAUTHORIZED;
			why = "the token lacks the right 'devices'";
		} else if (req.cmd == KD_CMD_IDCARD_READ && req.photo &&
			   !(c->rights & KD_RIGHT_PII)) {
			ack = KD_ACK_UNAUTHORIZED;
			why = "the photo needs a token with the right 'pii'";
		} else {
			for (struct kd_cmd *x = c->cmds; x; x = x->conn_next) {
				if (x->req.request_id == req.request_id) {
					ack = KD_ACK_INVALID_REQUEST_ID;
					why = "a command with this requestId is still pending";
					break;
				}
			}
		}
	} else if (!within_rate) {
		/* a flood of garbage gets one short answer per message, nothing more */
		ack = KD_ACK_TOO_MANY_REQUESTS;
		why = "more than 50 messages per second";
	}
	if (ack != KD_ACK_OK) {
		kd_log(KD_DEBUG, "connection %llu: %s refused: %s", (unsigned long long)c->id,
		       req.cmd != KD_CMD_UNKNOWN ? kd_command_name(req.cmd) : "a message",
		       kd_ack_name(ack));
		kd_conn_send(c, kd_msg_ack(req.name, req.request_id, ack, why));
		kd_request_clear(&req);
		return;
	}
	kd_command_accept(c, &req);
}

static void rx_reset(struct kd_conn *c)
{
	if (c->rx) {
		explicit_bzero(c->rx, c->rx_cap);
		free(c->rx);
	}
	c->rx = NULL;
	c->rx_len = 0;
	c->rx_cap = 0;
	c->rx_oversized = false;
	c->rx_binary = false;
}

static void on_receive(struct lws *wsi, struct kd_conn *c, const void *in, size_t len)
{
	if (lws_is_first_fragment(wsi)) {
		rx_reset(c);
		c->rx_binary = lws_frame_is_binary(wsi);
	}
	if (!c->rx_oversized && !c->rx_binary) {
		if (c->rx_len + len > KD_MAX_MESSAGE) {
			c->rx_oversized = true; /* the rest is read and dropped */
			rx_reset(c);
			c->rx_oversized = true;
		} else if (len) {
			if (c->rx_len + len + 1 > c->rx_cap) {
				/* geometric growth; wipe what is left behind */
				size_t cap = c->rx_cap ? c->rx_cap : 4096;
				while (cap < c->rx_len + len + 1)
					cap *= 2;
				char *n = malloc(cap);
				if (n && c->rx) {
					memcpy(n, c->rx, c->rx_len);
					explicit_bzero(c->rx, c->rx_cap);
				}
				if (n) {
					free(c->rx);
					c->rx = n;
					c->rx_cap = cap;
				}
			}
			if (c->rx_len + len + 1 > c->rx_cap) {
				c->rx_oversized = true; /* out of memory: refused like an oversized one */
			} else {
				memcpy(c->rx + c->rx_len, in, len);
				c->rx_len += len;
			}
		}
	}
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
		return;
	if (c->rx_binary) {
		bool within_rate = rate_ok(c);
		kd_conn_send(c, kd_msg_ack(NULL, -1,
					   within_rate ? KD_ACK_INVALID_MESSAGE : KD_ACK_TOO_MANY_REQUESTS,
					   "messages are JSON text frames"));
	} else if (c->rx_oversized) {
		bool within_rate = rate_ok(c);
		kd_conn_send(c, kd_msg_ack(NULL, -1,
					   within_rate ? KD_ACK_INVALID_MESSAGE : KD_ACK_TOO_MANY_REQUESTS,
					   "message larger than 1048576 bytes"));
	} else {
		handle_message(c, c->rx ? c->rx : "", c->rx_len);
	}
	rx_reset(c);
}

static bool origin_allowed(const char *origin)
{
	for (int i = 0; i < kd->cfg.n_origins; i++)
		if (!strcasecmp(kd->cfg.origins[i], origin))
			return true;
	return false;
}

/* Returns 0 to admit, or the HTTP status to refuse with. */
static int check_handshake(struct lws *wsi, struct kd_pss *pss)
{
	char path[64];
	int n = lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI);
	if (n <= 0 || n >= (int)sizeof path || lws_hdr_copy(wsi, path, sizeof path, WSI_TOKEN_GET_URI) < 0 ||
	    strcmp(path, KD_PATH) != 0)
		return 404;
	n = lws_hdr_total_length(wsi, WSI_TOKEN_ORIGIN);
	if (n > 0) {
		char origin[256];
		if (n >= (int)sizeof origin ||
		    lws_hdr_copy(wsi, origin, sizeof origin, WSI_TOKEN_ORIGIN) < 0 ||
		    !origin_allowed(origin))
			return 403;
	}
	if (kd->n_conns >= KD_MAX_CONNECTIONS)
		return 503;
	if (!kd->tokens) {
		pss->rights = KD_RIGHT_DEVICES;
		return 0;
	}
	char buf[600];
	const char *tok = lws_get_urlarg_by_name(wsi, "token=", buf, sizeof buf);
	int rights = tok && *tok ? kd_tokens_check(kd->tokens, tok, strlen(tok)) : -1;
	explicit_bzero(buf, sizeof buf);
	if (rights < 0)
		return 401;
	pss->rights = rights;
	return 0;
}

static const char *status_body(int status)
{
	switch (status) {
	case 401: return "a valid token is needed: ws://HOST:PORT/kiosk/v1?token=TOKEN";
	case 403: return "this origin may not use kioskd";
	case 404: return "kioskd serves only the WebSocket /kiosk/v1";
	default: return "too many connections";
	}
}

/*
 * Answers a refused upgrade. Written by hand: at this point lws does not know
 * the request's HTTP version and would answer "HTTP/1.0", which strict
 * WebSocket clients reject as not a handshake answer at all.
 */
static int refuse(struct lws *wsi, int status)
{
	const char *reason = status == 401 ? "Unauthorized" : status == 403 ? "Forbidden"
			     : status == 404 ? "Not Found" : "Service Unavailable";
	const char *body = status_body(status);
	unsigned char buf[LWS_PRE + 512];
	int n = snprintf((char *)buf + LWS_PRE, sizeof buf - LWS_PRE,
			 "HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\n"
			 "content-length: %zu\r\nconnection: close\r\n\r\n%s\n",
			 status, reason, strlen(body) + 1, body);
	kd_log(KD_INFO, "handshake refused with %d", status);
	if (lws_write(wsi, buf + LWS_PRE, (size_t)n, LWS_WRITE_HTTP_HEADERS) != n)
		return -1;
	return 1;
}

static int cb_kiosk(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct kd_pss *pss = user;
	struct kd_conn *c = pss ? pss->conn : NULL;
	switch (reason) {
	case LWS_CALLBACK_HTTP:
		/* plain HTTP: nothing to serve */
		if (lws_return_http_status(wsi, 404, status_body(404)))
			return -1;
		return lws_http_transaction_completed(wsi) ? -1 : 0;
	case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE: {
		/* No session data yet: only decide, answering refusals with their status. */
		struct kd_pss probe = {0};
		int status = in && !strcmp(in, "websocket") ? check_handshake(wsi, &probe) : 404;
		return status ? refuse(wsi, status) : 0;
	}
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		/* The same checks again, now with the session data to keep the rights in. */
		if (!pss || check_handshake(wsi, pss) != 0)
			return -1;
		pss->admitted = true;
		return 0;
	case LWS_CALLBACK_ESTABLISHED: {
		if (!pss || !pss->admitted)
			return -1; /* fail closed: only a checked handshake gets here */
		c = calloc(1, sizeof *c);
		if (!c)
			return -1;
		c->wsi = wsi;
		c->id = ++kd->next_conn_id;
		c->rights = pss->rights;
		c->bucket = KD_RATE_BURST;
		c->bucket_ms = kd_now_ms();
		c->next = kd->conns;
		if (kd->conns)
			kd->conns->prev = c;
		kd->conns = c;
		kd->n_conns++;
		pss->conn = c;
		kd_log(KD_INFO, "connection %llu opened (%s%s%s)", (unsigned long long)c->id,
		       c->rights & KD_RIGHT_DEVICES ? "devices" : "",
		       c->rights & KD_RIGHT_PII ? ",pii" : "", c->rights & KD_RIGHT_ADMIN ? ",admin" : "");
		return 0;
	}
	case LWS_CALLBACK_RECEIVE:
		if (!c)
			return -1;
		on_receive(wsi, c, in, len);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE: {
		if (!c)
			return -1;
		if (c->closing) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION, NULL, 0);
			return -1;
		}
		struct kd_out *o = c->out_head;
		if (!o)
			return 0;
		int w = lws_write(wsi, o->buf + LWS_PRE, o->len, LWS_WRITE_TEXT);
		if (w < (int)o->len)
			return -1;
		c->out_head = o->next;
		if (!c->out_head)
			c->out_tail = NULL;
		c->out_bytes -= o->len;
		out_free(o);
		if (c->out_head)
			lws_callback_on_writable(wsi);
		return 0;
	}
	case LWS_CALLBACK_CLOSED:
		if (!c)
			return 0;
		pss->conn = NULL;
		kd_log(KD_INFO, "connection %llu closed", (unsigned long long)c->id);
		c->wsi = NULL;
		rx_reset(c);
		while (c->out_head) {
			struct kd_out *o = c->out_head;
			c->out_head = o->next;
			out_free(o);
		}
		c->out_tail = NULL;
		c->out_bytes = 0;
		if (c->prev)
			c->prev->next = c->next;
		else
			kd->conns = c->next;
		if (c->next)
			c->next->prev = c->prev;
		kd->n_conns--;
		c->tearing_down = true;
		kd_conn_gone(c); /* its commands: cancelled or left to finish */
		c->tearing_down = false;
		kd_conn_release(c);
		return 0;
	default:
		return 0;
	}
}

/* The adopted fds: libkiosk's context fd and the status thread's pipe. */
static int cb_fd(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		 size_t len)
{
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (lws_get_opaque_user_data(wsi) == (void *)1)
			kd_devices_dispatch();
		else
			kd_devices_status_ready();
		return 0;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (!kd->stop)
			kd_log(KD_ERR, "an internal descriptor closed");
		return 0;
	default:
		return 0;
	}
}

static const struct lws_protocols protocols[] = {
	{"kiosk", cb_kiosk, sizeof(struct kd_pss), 4096, 0, NULL, 0},
	{"kiosk-fd", cb_fd, 0, 0, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static void lws_log_sink(int level, const char *line)
{
	/* lws logs no headers at these levels; tokens travel in the URL only */
	size_t n = strcspn(line, "\n");
	kd_log(level == LLL_ERR ? KD_ERR : KD_WARN, "websocket: %.*s", (int)n, line);
}

/* Splits HOST:PORT ([v6]:PORT too) and resolves HOST to numeric addresses.
 * *loopback says whether every address is a loopback one. */
static int parse_listen(const char *spec, char *host, size_t hlen, int *port, bool *loopback)
{
	const char *colon = strrchr(spec, ':');
	if (!colon || colon == spec)
		return -1;
	char h[256];
	size_t n = (size_t)(colon - spec);
	if (spec[0] == '[') {
		if (n < 2 || spec[n - 1] != ']')
			return -1;
		spec++;
		n -= 2;
	}
	if (n >= sizeof h)
		return -1;
	memcpy(h, spec, n);
	h[n] = '\0';
	char *end;
	long p = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || p < 0 || p > 65535)
		return -1;
	*port = (int)p;
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
	if (getaddrinfo(h, NULL, &hints, &res) != 0)
		return -1;
	*loopback = true;
	host[0] = '\0';
	for (struct addrinfo *a = res; a; a = a->ai_next) {
		char num[INET6_ADDRSTRLEN] = "";
		if (a->ai_family == AF_INET) {
			const struct sockaddr_in *s = (const void *)a->ai_addr;
			if ((ntohl(s->sin_addr.s_addr) >> 24) != 127)
				*loopback = false;
			inet_ntop(AF_INET, &s->sin_addr, num, sizeof num);
		} else if (a->ai_family == AF_INET6) {
			const struct sockaddr_in6 *s = (const void *)a->ai_addr;
			if (!IN6_IS_ADDR_LOOPBACK(&s->sin6_addr))
				*loopback = false;
			inet_ntop(AF_INET6, &s->sin6_addr, num, sizeof num);
		}
		if (!host[0] && num[0])
			snprintf(host, hlen, "%s", num);
	}
	freeaddrinfo(res);
	return host[0] ? 0 : -1;
}

int kd_server_start(void)
{
	char host[INET6_ADDRSTRLEN];
	int port;
	bool loopback;
	bool tls = kd->cfg.tls_cert != NULL;
	if (parse_listen(kd->cfg.listen, host, sizeof host, &port, &loopback) < 0) {
		kd_log(KD_ERR, "--listen %s: want HOST:PORT with a resolvable host", kd->cfg.listen);
		return -1;
	}
	if (!loopback && !tls) {
		kd_log(KD_ERR, "--listen %s is not a loopback address: a non-loopback address needs "
			       "TLS (--tls-cert, --tls-key)", kd->cfg.listen);
		return -1;
	}
	if (!loopback && !kd->tokens) {
		kd_log(KD_ERR, "--listen %s is not a loopback address: it needs a --token-file",
		       kd->cfg.listen);
		return -1;
	}
	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log_sink);
	struct lws_context_creation_info info;
	memset(&info, 0, sizeof info);
	info.port = port;
	info.iface = host;
	info.protocols = protocols;
	info.gid = (gid_t)-1;
	info.uid = (uid_t)-1;
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	if (!strchr(host, ':'))
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	info.max_http_header_data = 4096;
	info.timeout_secs = 10;
	info.ka_time = 60;
	info.ka_probes = 3;
	info.ka_interval = 10;
	if (tls) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = kd->cfg.tls_cert;
		info.ssl_private_key_filepath = kd->cfg.tls_key;
	}
	kd->lws = lws_create_context(&info);
	if (!kd->lws) {
		kd_log(KD_ERR, "cannot start the WebSocket server");
		return -1;
	}
	kd->vhost = lws_create_vhost(kd->lws, &info);
	if (!kd->vhost) {
		kd_log(KD_ERR, "cannot listen on %s%s", kd->cfg.listen,
		       tls ? " (or the TLS certificate/key cannot be loaded)" : "");
		return -1;
	}
	kd->port = lws_get_vhost_listen_port(kd->vhost);
	if (kd_devices_adopt(kd->vhost) < 0)
		return -1;
	printf("%s://%s%s%s:%d/kiosk/v1\n", tls ? "wss" : "ws", strchr(host, ':') ? "[" : "", host,
	       strchr(host, ':') ? "]" : "", kd->port);
	fflush(stdout);
	kd_log(KD_INFO, "listening on %s port %d%s", host, kd->port, tls ? " with TLS" : "");
	return 0;
}

void kd_server_stop(void)
{
	if (kd->lws)
		lws_context_destroy(kd->lws);
	kd->lws = NULL;
}
