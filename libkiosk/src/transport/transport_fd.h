/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * transport_fd.h — shared I/O loop of the fd-based transports (serial, tcp,
 * file). Internal to the transport_*.c files.
 *
 * Every wait polls the I/O fd together with t->cancel_fd, so that
 * kioski_transport_cancel() wakes a blocked read or write at once.
 */
#ifndef KIOSKI_TRANSPORT_FD_H
#define KIOSKI_TRANSPORT_FD_H

#include "driver.h"

/** How a backend turns an errno (or a hang-up, err == 0) into a kiosk error. */
struct kioski_fd_io {
	/** Maps errno from read()/write()/SO_ERROR to a kiosk error and sets a
	 *  message on the context. `op` is "read" or "write". */
	int (*map_errno)(kioski_transport *t, const char *op, int err);
	/** Called on POLLHUP/POLLERR without data, or EOF: returns the error
	 *  to report (usually KIOSK_E_CLOSED). */
	int (*hangup)(kioski_transport *t, const char *op);
	bool is_socket;   /**< use recv/send with MSG_NOSIGNAL instead of read/write */
	bool rdhup_closes; /**< tcp: a peer that shut down its side counts as closed on write */
};

/**
 * Waits until `fd` reports one of `events`, the cancel fd fires, or the
 * deadline (kioski_deadline() based) passes. Returns KIOSK_OK with the fd's
 * revents in *revents, KIOSK_E_CANCELLED, KIOSK_E_TIMEOUT or KIOSK_E_IO.
 */
int kioski_fd_wait(kioski_transport *t, int fd, short events, uint64_t deadline,
		   short *revents);

/** The ops->read contract over t->fd (non-blocking). */
int kioski_fd_read(kioski_transport *t, const struct kioski_fd_io *io, void *buf, size_t len,
		   size_t *got, int timeout_ms);

/** The ops->write contract over t->fd (non-blocking); SIGPIPE never raised. */
int kioski_fd_write(kioski_transport *t, const struct kioski_fd_io *io, const void *buf,
		    size_t len, int timeout_ms);

/** Drops input already waiting on t->fd without blocking (bounded, so a peer
 *  that streams without pause cannot hold us); the bytes are wiped. */
void kioski_fd_discard_input(kioski_transport *t, const struct kioski_fd_io *io);

/** Maps an open() errno for `path` to a kiosk error with a clear context message. */
int kioski_fd_open_error(kioski_transport *t, const char *what, const char *path, int err);

#endif
