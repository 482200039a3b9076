/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * transport_file.c — file:PATH
 *
 * A write-mostly device node such as /dev/usb/lp0 (usblp) or a parallel
 * port: opened read-write when the node allows it (so a bidirectional
 * printer can answer status requests), else write-only. A FIFO is opened
 * write-only and needs a reader already attached; an existing regular file
 * is appended to (a capture of what would go to the device). Nothing is
 * ever created. All I/O is non-blocking with poll timeouts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "transport/transport_fd.h"

struct file_priv {
	bool readable;
};

static int file_hangup(kioski_transport *t, const char *op)
{
	return kioski_context_fail(t->ctx, KIOSK_E_CLOSED, "file: %s: the other side closed (%s)",
				   kiosk_uri_get_path(t->uri), op);
}

static int file_map_errno(kioski_transport *t, const char *op, int err)
{
	const char *path = kiosk_uri_get_path(t->uri);
	switch (err) {
	case EPIPE:
		return kioski_context_fail(t->ctx, KIOSK_E_CLOSED, "file: %s: no reader any more (%s)",
					   path, op);
	case ENODEV:
	case ENXIO:
		return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE, "file: %s: device gone (%s)",
					   path, op);
	case ENOSPC:
		return kioski_context_fail(t->ctx, KIOSK_E_IO, "file: %s: no space left (%s)", path,
					   op);
	default:
		return kioski_context_fail(t->ctx, KIOSK_E_IO, "file: %s on %s failed: %s", op, path,
					   strerror(err));
	}
}

static const struct kioski_fd_io file_io = {
	.map_errno = file_map_errno,
	.hangup = file_hangup,
};

static void file_close(kioski_transport *t)
{
	if (t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
	free(t->priv);
	t->priv = NULL;
}

static int file_open(kioski_transport *t)
{
	const char *path = kiosk_uri_get_path(t->uri);
	if (!path || !*path)
		return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI, "file: no path");
	struct file_priv *p = calloc(1, sizeof *p);
	if (!p)
		return kioski_context_fail(t->ctx, KIOSK_E_NO_MEMORY, "file: out of memory");
	t->priv = p;

	struct stat st;
	if (stat(path, &st) < 0) {
		int e = errno;
		file_close(t);
		return kioski_fd_open_error(t, "file", path, e);
	}
	const int common = O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
	int fd;
	if (S_ISDIR(st.st_mode)) {
		file_close(t);
		return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE, "file: %s is a directory", path);
	} else if (S_ISFIFO(st.st_mode)) {
		/* Read-write on a FIFO would make us our own reader. */
		fd = open(path, O_WRONLY | common);
		if (fd < 0 && errno == ENXIO) {
			file_close(t);
			return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE,
						   "file: FIFO %s has no reader", path);
		}
	} else if (S_ISREG(st.st_mode)) {
		fd = open(path, O_WRONLY | O_APPEND | common);
	} else {
		fd = open(path, O_RDWR | common);
		if (fd >= 0)
			p->readable = true;
		else if (errno == EACCES || errno == EPERM || errno == EROFS || errno == EINVAL ||
			 errno == EISDIR)
			fd = open(path, O_WRONLY | common);
	}
	if (fd < 0) {
		int e = errno;
		file_close(t);
		return kioski_fd_open_error(t, "file", path, e);
	}
	t->fd = fd;
	kioski_dbg(t->ctx, t->component, "opened %s %s", path,
		   p->readable ? "read-write" : "write-only");
	return KIOSK_OK;
}

static int file_read(kioski_transport *t, uint8_t ep, void *buf, size_t len, size_t *got,
		     int timeout_ms)
{
	struct file_priv *p = t->priv;
	*got = 0;
	if (!p || !p->readable)
		return kioski_context_fail(t->ctx, KIOSK_E_NOT_SUPPORTED,
					   "file: %s is open write-only; it cannot be read",
					   kiosk_uri_get_path(t->uri));
	return kioski_fd_read(t, &file_io, buf, len, got, timeout_ms);
}

static int file_write(kioski_transport *t, uint8_t ep, const void *buf, size_t len, int timeout_ms)
{
	return kioski_fd_write(t, &file_io, buf, len, timeout_ms);
}

static void file_discard_input(kioski_transport *t)
{
	struct file_priv *p = t->priv;
	if (p && p->readable)
		kioski_fd_discard_input(t, &file_io);
}

const struct kioski_transport_ops kioski_transport_file = {
	.name = "file",
	.scheme = KIOSK_URI_FILE,
	.open = file_open,
	.close = file_close,
	.read = file_read,
	.write = file_write,
	.discard_input = file_discard_input,
};
