/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * transport_evdev.c — evdev:/dev/input/eventN[?grab=0|1]
 *
 * Reads a Linux input device with plain <linux/input.h> ioctls (no
 * libevdev dependency). `read` returns whole struct input_event records
 * only (len must hold at least one); event times are CLOCK_MONOTONIC where
 * the kernel allows it. grab=1 takes the device exclusively (EVIOCGRAB) so
 * that its key presses reach no other application; a device grabbed by
 * someone else fails with KIOSK_E_BUSY.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "transport/evdev.h"
#include "transport/transport_fd.h"

#define EV_SIZE sizeof(struct input_event)

struct evdev_priv {
	bool grabbed;
	/* A partial record (only from non-evdev nodes, e.g. an emulated one). */
	uint8_t part[sizeof(struct input_event)];
	size_t part_len;
};

static int evdev_map_errno(kioski_transport *t, const char *op, int err)
{
	if (err == ENODEV || err == ENXIO)
		return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE, "evdev: %s: device unplugged",
					   kiosk_uri_get_path(t->uri));
	return kioski_context_fail(t->ctx, KIOSK_E_IO, "evdev: %s %s failed: %s",
				   kiosk_uri_get_path(t->uri), op, strerror(err));
}

static int evdev_hangup(kioski_transport *t, const char *op)
{
	return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE, "evdev: %s went away during %s",
				   kiosk_uri_get_path(t->uri), op);
}

static const struct kioski_fd_io evdev_io = {
	.map_errno = evdev_map_errno,
	.hangup = evdev_hangup,
};

static int evdev_open(kioski_transport *t)
{
	const char *path = kiosk_uri_get_path(t->uri);
	if (!path || !*path)
		return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI, "evdev: no device path");
	long grab = 0;
	if (kiosk_uri_get_option_int(t->uri, "grab", 0, 1, 0, &grab) != KIOSK_OK)
		return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI, "evdev: grab must be 0 or 1");
	int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS))
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return kioski_fd_open_error(t, "evdev", path, errno);
	int version = 0;
	if (ioctl(fd, EVIOCGVERSION, &version) < 0) {
		int e = errno;
		close(fd);
		return kioski_context_fail(t->ctx, KIOSK_E_NOT_SUPPORTED,
					   "evdev: %s is not an input event device (%s)", path,
					   strerror(e));
	}
	int clk = CLOCK_MONOTONIC;
	(void)ioctl(fd, EVIOCSCLOCKID, &clk); /* best effort: times are informational */
	struct evdev_priv *p = calloc(1, sizeof *p);
	if (!p) {
		close(fd);
		return KIOSK_E_NO_MEMORY;
	}
	if (grab) {
		if (ioctl(fd, EVIOCGRAB, (void *)1) < 0) {
			int e = errno;
			free(p);
			close(fd);
			if (e == EBUSY)
				return kioski_context_fail(t->ctx, KIOSK_E_BUSY,
							   "evdev: %s is grabbed by another program",
							   path);
			return kioski_context_fail(t->ctx, KIOSK_E_IO, "evdev: cannot grab %s: %s",
						   path, strerror(e));
		}
		p->grabbed = true;
	}
	t->fd = fd;
	t->priv = p;
	char name[128] = "";
	if (ioctl(fd, EVIOCGNAME(sizeof name - 1), name) < 0)
		name[0] = 0;
	kioski_dbg(t->ctx, t->component, "opened %s (\"%s\", protocol %d.%d.%d)%s", path, name,
		   version >> 16, (version >> 8) & 0xff, version & 0xff,
		   grab ? ", grabbed" : "");
	return KIOSK_OK;
}

static void evdev_close(kioski_transport *t)
{
	struct evdev_priv *p = t->priv;
	if (t->fd >= 0) {
		if (p && p->grabbed)
			(void)ioctl(t->fd, EVIOCGRAB, (void *)0);
		close(t->fd);
		t->fd = -1;
	}
	free(p);
	t->priv = NULL;
}

static int evdev_read(kioski_transport *t, uint8_t ep, void *buf, size_t len, size_t *got,
		      int timeout_ms)
{
	struct evdev_priv *p = t->priv;
	*got = 0;
	if (len < EV_SIZE)
		return KIOSK_E_INVALID_ARG;
	len -= len % EV_SIZE;
	uint64_t deadline = kioski_deadline(timeout_ms);
	uint8_t *out = buf;
	for (;;) {
		size_t have = p->part_len;
		if (have)
			memcpy(out, p->part, have);
		p->part_len = 0;
		size_t n = 0;
		int left = timeout_ms < 0 ? -1 : kioski_remaining_ms(deadline);
		int r = kioski_fd_read(t, &evdev_io, out + have, len - have, &n, left);
		if (r != KIOSK_OK) {
			memcpy(p->part, out, have); /* keep the partial record */
			p->part_len = have;
			return r;
		}
		size_t total = have + n;
		size_t whole = total - total % EV_SIZE;
		p->part_len = total - whole;
		memcpy(p->part, out + whole, p->part_len);
		if (whole) {
			*got = whole;
			return KIOSK_OK;
		}
		if (timeout_ms >= 0 && kioski_remaining_ms(deadline) == 0)
			return KIOSK_E_TIMEOUT;
	}
}

static int evdev_write(kioski_transport *t, uint8_t ep, const void *buf, size_t len,
		       int timeout_ms)
{
	if (len % EV_SIZE)
		return KIOSK_E_INVALID_ARG;
	return kioski_fd_write(t, &evdev_io, buf, len, timeout_ms);
}

static void evdev_discard_input(kioski_transport *t)
{
	struct evdev_priv *p = t->priv;
	uint8_t junk[64 * EV_SIZE];
	while (read(t->fd, junk, sizeof junk) > 0)
		;
	if (p)
		p->part_len = 0;
}

const struct kioski_transport_ops kioski_transport_evdev = {
	.name = "evdev",
	.scheme = KIOSK_URI_EVDEV,
	.open = evdev_open,
	.close = evdev_close,
	.read = evdev_read,
	.write = evdev_write,
	.discard_input = evdev_discard_input,
};

int kioski_evdev_get_abs(kioski_transport *t, unsigned axis, struct input_absinfo *info)
{
	if (!t || t->ops != &kioski_transport_evdev || t->fd < 0 || axis > ABS_MAX)
		return KIOSK_E_NOT_SUPPORTED;
	memset(info, 0, sizeof *info);
	if (ioctl(t->fd, EVIOCGABS(axis), info) < 0)
		return KIOSK_E_NOT_SUPPORTED;
	return KIOSK_OK;
}

bool kioski_evdev_has(kioski_transport *t, unsigned type, unsigned code)
{
	if (!t || t->ops != &kioski_transport_evdev || t->fd < 0 || type > EV_MAX)
		return false;
	unsigned long bits[(KEY_MAX + 8 * sizeof(unsigned long)) / (8 * sizeof(unsigned long))];
	memset(bits, 0, sizeof bits);
	unsigned max = type == 0 ? EV_MAX : type == EV_KEY ? KEY_MAX : type == EV_ABS ? ABS_MAX
						     : type == EV_REL ? REL_MAX : 0x3ff;
	if (code > max)
		return false;
	if (ioctl(t->fd, EVIOCGBIT(type, sizeof bits), bits) < 0)
		return false;
	size_t bpl = 8 * sizeof(unsigned long);
	return (bits[code / bpl] >> (code % bpl)) & 1;
}
