/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * transport_tcp.c — tcp:HOST:PORT[?connect_timeout_ms=N]
 *
 * A raw TCP stream, e.g. a network receipt printer on port 9100. HOST is an
 * IPv4 address, an IPv6 address (in brackets in the URI) or a name resolved
 * with getaddrinfo(). Resolution and the non-blocking connect share one
 * budget, connect_timeout_ms (default 3000); each resolved address is tried
 * in turn within it. TCP_NODELAY and keep-alive are on; writes never raise
 * SIGPIPE.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include "transport/transport_fd.h"

#define TCP_DEFAULT_CONNECT_TIMEOUT_MS 3000

static int tcp_hangup(kioski_transport *t, const char *op)
{
	return kioski_context_fail(t->ctx, KIOSK_E_CLOSED, "tcp: %s:%d closed the connection (%s)",
				   kiosk_uri_get_path(t->uri), kiosk_uri_get_port(t->uri), op);
}

static int tcp_map_errno(kioski_transport *t, const char *op, int err)
{
	const char *host = kiosk_uri_get_path(t->uri);
	int port = kiosk_uri_get_port(t->uri);
	switch (err) {
	case ECONNRESET:
	case EPIPE:
	case ESHUTDOWN:
	case ECONNABORTED:
		return kioski_context_fail(t->ctx, KIOSK_E_CLOSED, "tcp: %s:%d: connection %s (%s)",
					   host, port, err == ECONNRESET ? "reset by peer" : "closed",
					   op);
	case ETIMEDOUT:
		/* keep-alive or retransmission gave up: the peer is gone */
		return kioski_context_fail(t->ctx, KIOSK_E_CLOSED,
					   "tcp: %s:%d stopped answering (%s timed out)", host, port,
					   op);
	case EHOSTUNREACH:
	case ENETUNREACH:
	case ENETDOWN:
		return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE, "tcp: %s:%d unreachable: %s",
					   host, port, strerror(err));
	default:
		return kioski_context_fail(t->ctx, KIOSK_E_IO, "tcp: %s on %s:%d failed: %s", op,
					   host, port, strerror(err));
	}
}

static const struct kioski_fd_io tcp_io = {
	.map_errno = tcp_map_errno,
	.hangup = tcp_hangup,
	.is_socket = true,
	.rdhup_closes = true,
};

static void tcp_close(kioski_transport *t)
{
	if (t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
}

static void tcp_set_options(int fd)
{
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
	/* Notice a powered-off printer within about half a minute. */
	int idle = 10, intvl = 5, cnt = 4;
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
}

/* One non-blocking connect attempt. Returns the fd, or a kiosk error with
 * *err set to the errno that ended the attempt (0 for timeout/cancel). */
static int tcp_connect_one(kioski_transport *t, const struct addrinfo *ai, uint64_t deadline,
			   int *err)
{
	*err = 0;
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			ai->ai_protocol);
	if (fd < 0) {
		*err = errno;
		return KIOSK_E_IO;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS && errno != EINTR) {
		*err = errno;
		close(fd);
		return KIOSK_E_IO;
	}
	short rev;
	int r = kioski_fd_wait(t, fd, POLLOUT, deadline, &rev);
	if (r != KIOSK_OK) {
		close(fd);
		return r;
	}
	int e = 0;
	socklen_t l = sizeof e;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &l) < 0)
		e = errno;
	if (e) {
		*err = e;
		close(fd);
		return KIOSK_E_IO;
	}
	return fd;
}

/*
 * Name resolution bounded by the connect deadline and the cancel fd:
 * getaddrinfo() itself cannot be interrupted, so a name (not a numeric
 * address) is resolved on a detached thread; if we stop waiting, the thread
 * frees the request when the resolver finally returns.
 */
struct resolve_req {
	pthread_mutex_t lock;
	int done_fd;       /* eventfd, written when the lookup finished */
	bool abandoned;
	char *host, service[8];
	struct addrinfo hints, *res;
	int rc, err;
};

static void resolve_req_free(struct resolve_req *q)
{
	if (q->res)
		freeaddrinfo(q->res);
	if (q->done_fd >= 0)
		close(q->done_fd);
	free(q->host);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

static void *resolve_main(void *arg)
{
	struct resolve_req *q = arg;
	q->rc = getaddrinfo(q->host, q->service, &q->hints, &q->res);
	q->err = errno;
	pthread_mutex_lock(&q->lock);
	bool abandoned = q->abandoned;
	if (!abandoned) {
		uint64_t one = 1;
		ssize_t w = write(q->done_fd, &one, sizeof one);
		(void)w;
	}
	pthread_mutex_unlock(&q->lock);
	if (abandoned)
		resolve_req_free(q);
	return NULL;
}

/* KIOSK_OK when the lookup finished: getaddrinfo's code in *gai_rc (errno
 * in *err for EAI_SYSTEM), the list in *res; else KIOSK_E_TIMEOUT,
 * KIOSK_E_CANCELLED or KIOSK_E_NO_MEMORY. (EAI_* codes are negative too, so
 * they never share the return value with kiosk codes.) */
static int tcp_resolve(kioski_transport *t, const char *host, const char *service,
		       uint64_t deadline, struct addrinfo **res, int *gai_rc, int *err)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICSERV | AI_NUMERICHOST,
	};
	*res = NULL;
	*err = 0;
	/* Numeric addresses need no resolver. */
	*gai_rc = getaddrinfo(host, service, &hints, res);
	if (*gai_rc != EAI_NONAME) {
		*err = errno;
		return KIOSK_OK;
	}
	struct resolve_req *q = calloc(1, sizeof *q);
	if (!q)
		return KIOSK_E_NO_MEMORY;
	pthread_mutex_init(&q->lock, NULL);
	q->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	q->host = strdup(host);
	snprintf(q->service, sizeof q->service, "%s", service);
	q->hints = hints;
	q->hints.ai_flags = AI_NUMERICSERV;
	pthread_attr_t attr;
	pthread_t th;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (q->done_fd < 0 || !q->host || pthread_create(&th, &attr, resolve_main, q) != 0) {
		pthread_attr_destroy(&attr);
		resolve_req_free(q);
		return KIOSK_E_NO_MEMORY;
	}
	pthread_attr_destroy(&attr);
	short rev;
	int r = kioski_fd_wait(t, q->done_fd, POLLIN, deadline, &rev);
	pthread_mutex_lock(&q->lock);
	uint64_t v;
	bool done = read(q->done_fd, &v, sizeof v) == (ssize_t)sizeof v;
	if (!done)
		q->abandoned = true;
	pthread_mutex_unlock(&q->lock);
	if (!done)
		return r < 0 ? r : KIOSK_E_TIMEOUT; /* the thread frees q */
	*gai_rc = q->rc;
	*err = q->err;
	*res = q->res;
	q->res = NULL;
	resolve_req_free(q);
	return KIOSK_OK;
}

static int tcp_open(kioski_transport *t)
{
	const char *host = kiosk_uri_get_path(t->uri);
	int port = kiosk_uri_get_port(t->uri);
	if (!host || !*host || port <= 0 || port > 65535)
		return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI, "tcp: need HOST:PORT");
	long cto = TCP_DEFAULT_CONNECT_TIMEOUT_MS;
	if (kiosk_uri_get_option_int(t->uri, "connect_timeout_ms", 1, 600000,
				     TCP_DEFAULT_CONNECT_TIMEOUT_MS, &cto) != KIOSK_OK)
		return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI,
					   "tcp: connect_timeout_ms must be 1..600000, got '%s'",
					   kiosk_uri_get_option(t->uri, "connect_timeout_ms"));

	char service[8];
	snprintf(service, sizeof service, "%d", port);
	uint64_t deadline = kioski_deadline((int)cto);
	struct addrinfo *res = NULL;
	int gerr = 0, gr = 0;
	int rr = tcp_resolve(t, host, service, deadline, &res, &gr, &gerr);
	if (rr == KIOSK_E_TIMEOUT)
		return kioski_context_fail(t->ctx, rr, "tcp: resolving %s took longer than %ld ms",
					   host, cto);
	if (rr == KIOSK_E_CANCELLED)
		return kioski_context_fail(t->ctx, rr, "tcp: resolving %s cancelled", host);
	if (rr != KIOSK_OK)
		return kioski_context_fail(t->ctx, rr, "tcp: out of memory");
	if (gr != 0) {
		if (gr == EAI_SYSTEM)
			return kioski_context_fail(t->ctx, KIOSK_E_IO, "tcp: cannot resolve %s: %s",
						   host, strerror(gerr));
		return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE, "tcp: cannot resolve %s: %s",
					   host, gai_strerror(gr));
	}

	int last_err = 0, r = KIOSK_E_NO_DEVICE;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		int e;
		r = tcp_connect_one(t, ai, deadline, &e);
		if (r >= 0) {
			t->fd = r;
			break;
		}
		if (r == KIOSK_E_CANCELLED || r == KIOSK_E_TIMEOUT)
			break;
		last_err = e;
	}
	freeaddrinfo(res);
	if (t->fd < 0) {
		if (r == KIOSK_E_CANCELLED)
			return kioski_context_fail(t->ctx, r, "tcp: connect to %s:%d cancelled", host,
						   port);
		if (r == KIOSK_E_TIMEOUT)
			return kioski_context_fail(t->ctx, r, "tcp: no answer from %s:%d within %ld ms",
						   host, port, cto);
		switch (last_err) {
		case ECONNREFUSED:
			return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE,
						   "tcp: %s:%d refused the connection (nothing "
						   "listening there)", host, port);
		case EHOSTUNREACH:
		case ENETUNREACH:
		case ENETDOWN:
		case EADDRNOTAVAIL:
		case EAFNOSUPPORT:
			return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE,
						   "tcp: %s:%d unreachable: %s", host, port,
						   strerror(last_err));
		case ETIMEDOUT:
			return kioski_context_fail(t->ctx, KIOSK_E_TIMEOUT,
						   "tcp: connecting to %s:%d timed out", host, port);
		case EACCES:
		case EPERM:
			return kioski_context_fail(t->ctx, KIOSK_E_ACCESS,
						   "tcp: connecting to %s:%d not permitted: %s", host,
						   port, strerror(last_err));
		default:
			return kioski_context_fail(t->ctx, KIOSK_E_IO, "tcp: cannot connect to %s:%d: %s",
						   host, port, strerror(last_err));
		}
	}
	tcp_set_options(t->fd);
	kioski_dbg(t->ctx, t->component, "connected to %s:%d", host, port);
	return KIOSK_OK;
}

static int tcp_read(kioski_transport *t, uint8_t ep, void *buf, size_t len, size_t *got,
		    int timeout_ms)
{
	return kioski_fd_read(t, &tcp_io, buf, len, got, timeout_ms);
}

static int tcp_write(kioski_transport *t, uint8_t ep, const void *buf, size_t len, int timeout_ms)
{
	return kioski_fd_write(t, &tcp_io, buf, len, timeout_ms);
}

static void tcp_discard_input(kioski_transport *t)
{
	kioski_fd_discard_input(t, &tcp_io);
}

const struct kioski_transport_ops kioski_transport_tcp = {
	.name = "tcp",
	.scheme = KIOSK_URI_TCP,
	.open = tcp_open,
	.close = tcp_close,
	.read = tcp_read,
	.write = tcp_write,
	.discard_input = tcp_discard_input,
};
