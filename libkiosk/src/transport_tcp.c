/*
 * transport_tcp.c — tcp:HOST:PORT[?connect_timeout_ms=N]
 *
 * A raw TCP stream, e.g. a network receipt printer on port 9100. HOST is an
 * IPv4 address, an IPv6 address (in brackets in the URI) or a name resolved
 * with getaddrinfo(). The connect is non-blocking and bounded by
 * connect_timeout_ms (default 3000); each resolved address is tried in turn
 * within that budget. TCP_NODELAY and keep-alive are on; writes never raise
 * SIGPIPE.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "transport_fd.h"

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
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_NUMERICSERV,
	}, *res = NULL;
	int gr = getaddrinfo(host, service, &hints, &res);
	if (gr != 0) {
		if (gr == EAI_SYSTEM)
			return kioski_context_fail(t->ctx, KIOSK_E_IO, "tcp: cannot resolve %s: %s",
						   host, strerror(errno));
		return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE, "tcp: cannot resolve %s: %s",
					   host, gai_strerror(gr));
	}

	uint64_t deadline = kioski_deadline((int)cto);
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
	uint8_t junk[512];
	/* Bounded: a peer streaming without pause must not keep us here. */
	for (int i = 0; i < 64 && t->fd >= 0; i++)
		if (recv(t->fd, junk, sizeof junk, MSG_DONTWAIT) <= 0)
			break;
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
