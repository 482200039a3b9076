/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * transport_serial.c — serial:PATH[?baud=N&flow=none|rtscts]
 *
 * Opens a tty (USB-serial adaptor, on-board UART, or a pty slave in tests)
 * exclusively, in raw 8N1 mode at the requested baud rate, non-blocking;
 * reads and writes go through the shared poll loop (transport_fd.c). The
 * previous line settings are restored on close.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include "transport/transport_fd.h"

struct serial_priv {
	struct termios saved;
	bool have_saved;
};

static const struct {
	long baud;
	speed_t speed;
} serial_speeds[] = {
	{9600, B9600},     {19200, B19200},   {38400, B38400},
	{57600, B57600},   {115200, B115200}, {230400, B230400},
};

/* On a hang-up, tell an unplugged adaptor (its node is gone) from a closed peer. */
static int serial_hangup(kioski_transport *t, const char *op)
{
	const char *path = kiosk_uri_get_path(t->uri);
	struct stat st;
	if (path && stat(path, &st) < 0 && errno == ENOENT)
		return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE,
					   "serial: %s went away during %s", path, op);
	return kioski_context_fail(t->ctx, KIOSK_E_CLOSED, "serial: %s hung up during %s",
				   path ? path : "?", op);
}

static int serial_map_errno(kioski_transport *t, const char *op, int err)
{
	switch (err) {
	case EIO: /* the line hung up (pty master closed, modem hang-up) */
	case EPIPE:
		return serial_hangup(t, op);
	case ENODEV:
	case ENXIO:
		return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE, "serial: %s: device gone (%s)",
					   op, strerror(err));
	default:
		return kioski_context_fail(t->ctx, KIOSK_E_IO, "serial: %s failed: %s", op,
					   strerror(err));
	}
}

static const struct kioski_fd_io serial_io = {
	.map_errno = serial_map_errno,
	.hangup = serial_hangup,
};

static void serial_close(kioski_transport *t)
{
	struct serial_priv *p = t->priv;
	if (t->fd >= 0) {
		if (p && p->have_saved)
			tcsetattr(t->fd, TCSANOW, &p->saved);
		ioctl(t->fd, TIOCNXCL);
		flock(t->fd, LOCK_UN);
		close(t->fd);
		t->fd = -1;
	}
	free(p);
	t->priv = NULL;
}

static int serial_open(kioski_transport *t)
{
	const char *path = kiosk_uri_get_path(t->uri);
	if (!path || !*path)
		return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI, "serial: no device path");

	long baud = 115200;
	if (kiosk_uri_get_option_int(t->uri, "baud", 1, 100000000, 115200, &baud) != KIOSK_OK)
		return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI,
					   "serial: baud must be a number, got '%s'",
					   kiosk_uri_get_option(t->uri, "baud"));
	speed_t speed = 0;
	bool found = false;
	for (size_t i = 0; i < sizeof serial_speeds / sizeof serial_speeds[0]; i++)
		if (serial_speeds[i].baud == baud) {
			speed = serial_speeds[i].speed;
			found = true;
		}
	if (!found)
		return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI,
					   "serial: unsupported baud rate %ld (use 9600, 19200, "
					   "38400, 57600, 115200 or 230400)", baud);
	const char *flow = kiosk_uri_get_option(t->uri, "flow");
	bool rtscts = false;
	if (flow && !strcmp(flow, "rtscts"))
		rtscts = true;
	else if (flow && strcmp(flow, "none"))
		return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI,
					   "serial: flow must be 'none' or 'rtscts', got '%s'", flow);

	struct serial_priv *p = calloc(1, sizeof *p);
	if (!p)
		return kioski_context_fail(t->ctx, KIOSK_E_NO_MEMORY, "serial: out of memory");
	t->priv = p;

	int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		serial_close(t);
		return kioski_fd_open_error(t, "serial", path, e);
	}
	t->fd = fd;
	/* Another libkiosk (or any flock-aware program) holding the port? */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		serial_close(t);
		if (e == EWOULDBLOCK)
			return kioski_context_fail(t->ctx, KIOSK_E_BUSY,
						   "serial: %s is in use by another program", path);
		return kioski_context_fail(t->ctx, KIOSK_E_IO, "serial: cannot lock %s: %s", path,
					   strerror(e));
	}
	if (tcgetattr(fd, &p->saved) < 0) {
		int e = errno;
		serial_close(t);
		if (e == ENOTTY || e == EINVAL)
			return kioski_context_fail(t->ctx, KIOSK_E_NOT_SUPPORTED,
						   "serial: %s is not a serial port (use file: for "
						   "plain device nodes)", path);
		return serial_map_errno(t, "tcgetattr", e);
	}
	p->have_saved = true;
	/* Keep others (without CAP_SYS_ADMIN) from opening the line too. */
	ioctl(fd, TIOCEXCL);

	struct termios tio = p->saved;
	cfmakeraw(&tio);
	tio.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | CSTOPB | CRTSCTS);
	tio.c_cflag |= CS8 | CLOCAL | CREAD;
	if (rtscts)
		tio.c_cflag |= CRTSCTS;
	tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	if (cfsetispeed(&tio, speed) < 0 || cfsetospeed(&tio, speed) < 0 ||
	    tcsetattr(fd, TCSANOW, &tio) < 0) {
		int e = errno;
		serial_close(t);
		return kioski_context_fail(t->ctx, KIOSK_E_IO, "serial: cannot set %s to %ld 8N1: %s",
					   path, baud, strerror(e));
	}
	/* Stale bytes from before we opened are not ours. */
	tcflush(fd, TCIFLUSH);
	kioski_dbg(t->ctx, t->component, "opened %s at %ld 8N1, flow %s", path, baud,
		   rtscts ? "rtscts" : "none");
	return KIOSK_OK;
}

static int serial_set_baud(kioski_transport *t, int baud)
{
	speed_t speed = 0;
	for (size_t i = 0; i < sizeof serial_speeds / sizeof serial_speeds[0]; i++)
		if (serial_speeds[i].baud == baud)
			speed = serial_speeds[i].speed;
	if (!speed)
		return kioski_context_fail(t->ctx, KIOSK_E_INVALID_ARG,
					   "serial: unsupported baud rate %d", baud);
	struct termios tio;
	if (tcgetattr(t->fd, &tio) < 0)
		return serial_map_errno(t, "tcgetattr", errno);
	/* Let queued output leave at the old rate, but not forever: tcdrain()
	 * blocks without limit when flow control holds the line. */
	uint64_t deadline = kioski_deadline(2000);
	int queued = 0;
	while (ioctl(t->fd, TIOCOUTQ, &queued) == 0 && queued > 0) {
		if (kioski_remaining_ms(deadline) == 0)
			return kioski_context_fail(t->ctx, KIOSK_E_TIMEOUT,
						   "serial: %d bytes still queued after 2 s; rate not changed",
						   queued);
		kioski_sleep_ms(2);
	}
	if (cfsetispeed(&tio, speed) < 0 || cfsetospeed(&tio, speed) < 0 ||
	    tcsetattr(t->fd, TCSANOW, &tio) < 0)
		return serial_map_errno(t, "set baud", errno);
	tcflush(t->fd, TCIFLUSH); /* bytes received at the old rate are noise now */
	kioski_dbg(t->ctx, t->component, "now at %d baud", baud);
	return KIOSK_OK;
}

static int serial_read(kioski_transport *t, uint8_t ep, void *buf, size_t len, size_t *got,
		       int timeout_ms)
{
	return kioski_fd_read(t, &serial_io, buf, len, got, timeout_ms);
}

static int serial_write(kioski_transport *t, uint8_t ep, const void *buf, size_t len,
			int timeout_ms)
{
	return kioski_fd_write(t, &serial_io, buf, len, timeout_ms);
}

static void serial_discard_input(kioski_transport *t)
{
	if (t->fd >= 0)
		tcflush(t->fd, TCIFLUSH);
}

const struct kioski_transport_ops kioski_transport_serial = {
	.name = "serial",
	.scheme = KIOSK_URI_SERIAL,
	.open = serial_open,
	.close = serial_close,
	.read = serial_read,
	.write = serial_write,
	.discard_input = serial_discard_input,
	.set_baud = serial_set_baud,
};
