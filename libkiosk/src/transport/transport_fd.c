/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * transport_fd.c — the poll loop shared by the serial, tcp and file
 * transports: non-blocking read/write on t->fd bounded by a deadline, woken
 * by t->cancel_fd.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "transport/transport_fd.h"

int kioski_fd_wait(kioski_transport *t, int fd, short events, uint64_t deadline,
		   short *revents)
{
	*revents = 0;
	for (;;) {
		struct pollfd p[2] = {
			{.fd = t->cancel_fd, .events = POLLIN},
			{.fd = fd, .events = events},
		};
		int ms = kioski_remaining_ms(deadline);
		if (deadline == UINT64_MAX)
			ms = -1;
		int r = poll(p, 2, ms);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return kioski_context_fail(t->ctx, KIOSK_E_IO, "%s: poll failed: %s",
						   t->component, strerror(errno));
		}
		if (p[0].revents & POLLIN)
			return KIOSK_E_CANCELLED;
		if (p[1].revents) {
			*revents = p[1].revents;
			return KIOSK_OK;
		}
		if (r == 0 && kioski_remaining_ms(deadline) == 0)
			return KIOSK_E_TIMEOUT;
	}
}

/* A socket's pending error (SO_ERROR), or 0. */
static int socket_error(int fd)
{
	int err = 0;
	socklen_t l = sizeof err;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0)
		return errno;
	return err;
}

int kioski_fd_read(kioski_transport *t, const struct kioski_fd_io *io, void *buf, size_t len,
		   size_t *got, int timeout_ms)
{
	*got = 0;
	if (len == 0)
		return KIOSK_OK;
	uint64_t deadline = kioski_deadline(timeout_ms);
	for (;;) {
		short rev;
		int r = kioski_fd_wait(t, t->fd, POLLIN, deadline, &rev);
		if (r != KIOSK_OK)
			return r;
		if (rev & POLLIN) {
			ssize_t n = io->is_socket ? recv(t->fd, buf, len, MSG_DONTWAIT)
						  : read(t->fd, buf, len);
			if (n > 0) {
				*got = (size_t)n;
				return KIOSK_OK;
			}
			if (n == 0)
				return io->hangup(t, "read");
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return io->map_errno(t, "read", errno);
		}
		if (rev & POLLNVAL)
			return kioski_context_fail(t->ctx, KIOSK_E_IO, "%s: descriptor is not open",
						   t->component);
		if (io->is_socket && (rev & POLLERR)) {
			int e = socket_error(t->fd);
			if (e)
				return io->map_errno(t, "read", e);
		}
		if (rev & (POLLHUP | POLLERR))
			return io->hangup(t, "read");
	}
}

/* write() to a pipe or FIFO whose reader is gone raises SIGPIPE; a library
 * must not kill its host, so block it for this thread and swallow the one
 * this write raised (a SIGPIPE that was already pending is left alone). */
static ssize_t write_nosigpipe(int fd, const void *buf, size_t len)
{
	sigset_t pipe_set, old, pending;
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigemptyset(&pending);
	sigpending(&pending);
	bool was_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	ssize_t n = write(fd, buf, len);
	int e = errno;
	if (n < 0 && e == EPIPE && !was_pending) {
		struct timespec zero = {0, 0};
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return n;
}

int kioski_fd_write(kioski_transport *t, const struct kioski_fd_io *io, const void *buf,
		    size_t len, int timeout_ms)
{
	const uint8_t *p = buf;
	size_t left = len;
	uint64_t deadline = kioski_deadline(timeout_ms);
	bool hung = false;

	if (io->rdhup_closes) {
		/* A peer that has closed its side (FIN) would accept this write and
		 * answer with a reset only later: report it now. */
		struct pollfd pf = {.fd = t->fd, .events = POLLRDHUP};
		if (poll(&pf, 1, 0) > 0) {
			if (pf.revents & POLLERR) {
				int e = socket_error(t->fd);
				if (e)
					return io->map_errno(t, "write", e);
			}
			if (pf.revents & (POLLRDHUP | POLLHUP | POLLERR))
				return io->hangup(t, "write");
		}
	}
	while (left) {
		ssize_t n = io->is_socket ? send(t->fd, p, left, MSG_NOSIGNAL | MSG_DONTWAIT)
					  : write_nosigpipe(t->fd, p, left);
		if (n > 0) {
			p += n;
			left -= (size_t)n;
			hung = false;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || errno == EAGAIN) {
			if (hung)
				return io->hangup(t, "write");
			short rev;
			int r = kioski_fd_wait(t, t->fd, POLLOUT, deadline, &rev);
			if (r != KIOSK_OK)
				return r;
			if (rev & POLLNVAL)
				return kioski_context_fail(t->ctx, KIOSK_E_IO,
							   "%s: descriptor is not open", t->component);
			if (io->is_socket && (rev & POLLERR)) {
				int e = socket_error(t->fd);
				if (e)
					return io->map_errno(t, "write", e);
			}
			/* On hang-up try the write once more: it reports the errno. */
			if (!(rev & POLLOUT) && (rev & (POLLHUP | POLLERR)))
				hung = true;
			continue;
		}
		return io->map_errno(t, "write", errno);
	}
	return KIOSK_OK;
}

void kioski_fd_discard_input(kioski_transport *t, const struct kioski_fd_io *io)
{
	uint8_t junk[512];
	for (int i = 0; i < 64 && t->fd >= 0; i++) {
		ssize_t n = io->is_socket ? recv(t->fd, junk, sizeof junk, MSG_DONTWAIT)
					  : read(t->fd, junk, sizeof junk);
		if (n <= 0)
			break;
	}
	kioski_wipe(junk, sizeof junk); /* may be a reply carrying personal data */
}

int kioski_fd_open_error(kioski_transport *t, const char *what, const char *path, int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE, "%s: %s does not exist",
					   what, path);
	case ENODEV:
	case ENXIO:
		return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE,
					   "%s: no device behind %s (%s)", what, path,
					   strerror(err));
	case EACCES:
	case EPERM:
	case EROFS:
		return kioski_context_fail(t->ctx, KIOSK_E_ACCESS,
					   "%s: permission denied opening %s (install the libkiosk "
					   "udev rules or add the user to the kiosk group)",
					   what, path);
	case EBUSY:
	case EWOULDBLOCK:
		return kioski_context_fail(t->ctx, KIOSK_E_BUSY,
					   "%s: %s is in use by another program", what, path);
	case ENOMEM:
		return kioski_context_fail(t->ctx, KIOSK_E_NO_MEMORY, "%s: out of memory", what);
	default:
		return kioski_context_fail(t->ctx, KIOSK_E_IO, "%s: cannot open %s: %s", what,
					   path, strerror(err));
	}
}
