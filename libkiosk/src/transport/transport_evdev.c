/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * transport_evdev.c — evdev:/dev/input/eventN[?grab=0|1]
 *
 * Reads a Linux input device through libevdev. `read` returns whole struct
 * input_event records only (len must hold at least one); event times are
 * CLOCK_MONOTONIC where the kernel allows it. grab=1 takes the device
 * exclusively (EVIOCGRAB) so that its key presses reach no other
 * application; a device grabbed by someone else fails with KIOSK_E_BUSY.
 *
 * SYN_DROPPED (the kernel's buffer overflowed): the reader gets the
 * SYN_DROPPED event, then libevdev's resync — the events that take the
 * device's last known state to its current one (keys released meanwhile,
 * touches lifted or moved, LIBEVDEV_READ_FLAG_SYNC), ending in SYN_REPORT —
 * and then the events that follow. A reader treats the frame after a
 * SYN_DROPPED as the current state, not as motion.
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
#include <libevdev/libevdev.h>
#include "transport/evdev.h"
#include "transport/transport_fd.h"

#define EV_SIZE sizeof(struct input_event)

struct evdev_priv {
	struct libevdev *dev;
	bool grabbed;
	bool syncing;       /* a resync is being handed out (LIBEVDEV_READ_FLAG_SYNC) */
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
	struct evdev_priv *p = calloc(1, sizeof *p);
	struct libevdev *dev = p ? libevdev_new() : NULL;
	if (!dev) {
		free(p);
		close(fd);
		return KIOSK_E_NO_MEMORY;
	}
	int rc = libevdev_set_fd(dev, fd);
	if (rc < 0) {
		libevdev_free(dev);
		free(p);
		close(fd);
		return kioski_context_fail(t->ctx, KIOSK_E_NOT_SUPPORTED,
					   "evdev: cannot read the device state of %s (%s)", path,
					   strerror(-rc));
	}
	p->dev = dev;
	libevdev_set_clock_id(dev, CLOCK_MONOTONIC); /* best effort: times are informational */
	if (grab) {
		rc = libevdev_grab(dev, LIBEVDEV_GRAB);
		if (rc < 0) {
			libevdev_free(dev);
			free(p);
			close(fd);
			if (rc == -EBUSY)
				return kioski_context_fail(t->ctx, KIOSK_E_BUSY,
							   "evdev: %s is grabbed by another program",
							   path);
			return kioski_context_fail(t->ctx, KIOSK_E_IO, "evdev: cannot grab %s: %s",
						   path, strerror(-rc));
		}
		p->grabbed = true;
	}
	t->fd = fd;
	t->priv = p;
	const char *name = libevdev_get_name(dev);
	kioski_dbg(t->ctx, t->component, "opened %s (\"%s\", protocol %d.%d.%d)%s", path,
		   name ? name : "", version >> 16, (version >> 8) & 0xff, version & 0xff,
		   grab ? ", grabbed" : "");
	return KIOSK_OK;
}

static void evdev_close(kioski_transport *t)
{
	struct evdev_priv *p = t->priv;
	if (p && p->dev) {
		if (p->grabbed)
			libevdev_grab(p->dev, LIBEVDEV_UNGRAB);
		libevdev_free(p->dev);
	}
	if (t->fd >= 0) {
		close(t->fd);
		t->fd = -1;
	}
	free(p);
	t->priv = NULL;
}

/* Takes what libevdev has without blocking: up to `max` events into out.
 * KIOSK_OK (with *n, possibly 0 when nothing is waiting) or an error. */
static int take_events(kioski_transport *t, struct input_event *out, size_t max, size_t *n)
{
	struct evdev_priv *p = t->priv;
	*n = 0;
	while (*n < max) {
		struct input_event ev;
		int rc = libevdev_next_event(p->dev, p->syncing ? LIBEVDEV_READ_FLAG_SYNC
								: LIBEVDEV_READ_FLAG_NORMAL,
					     &ev);
		if (rc == -EAGAIN) {
			if (p->syncing) { /* the resync is complete */
				p->syncing = false;
				continue;
			}
			return KIOSK_OK;
		}
		if (rc == LIBEVDEV_READ_STATUS_SYNC) {
			if (!p->syncing) { /* ev is the SYN_DROPPED itself */
				kioski_warn(t->ctx, t->component,
					    "%s: the kernel dropped events; resyncing the device state",
					    kiosk_uri_get_path(t->uri));
				p->syncing = true;
			}
			out[(*n)++] = ev;
			continue;
		}
		if (rc == LIBEVDEV_READ_STATUS_SUCCESS) {
			out[(*n)++] = ev;
			continue;
		}
		if (*n)
			return KIOSK_OK; /* report the error with the next read */
		if (rc == -ENODEV)
			return evdev_hangup(t, "read");
		return evdev_map_errno(t, "read", -rc);
	}
	return KIOSK_OK;
}

static int evdev_read(kioski_transport *t, uint8_t ep, void *buf, size_t len, size_t *got,
		      int timeout_ms)
{
	*got = 0;
	if (len < EV_SIZE)
		return KIOSK_E_INVALID_ARG;
	uint64_t deadline = kioski_deadline(timeout_ms);
	for (;;) {
		if (kioski_transport_cancelled(t))
			return KIOSK_E_CANCELLED;
		size_t n = 0;
		int r = take_events(t, buf, len / EV_SIZE, &n);
		if (n) {
			*got = n * EV_SIZE;
			return KIOSK_OK;
		}
		if (r != KIOSK_OK)
			return r;
		short rev = 0;
		r = kioski_fd_wait(t, t->fd, POLLIN, timeout_ms < 0 ? UINT64_MAX : deadline, &rev);
		if (r != KIOSK_OK)
			return r;
		if ((rev & (POLLHUP | POLLERR | POLLNVAL)) && !(rev & POLLIN))
			return evdev_hangup(t, "read");
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
	struct input_event junk[64];
	size_t n;
	int rounds = 64; /* bounded: a device that streams without pause cannot hold us */
	do {
		if (take_events(t, junk, 64, &n) != KIOSK_OK)
			break;
	} while (n == 64 && --rounds);
	kioski_wipe(junk, sizeof junk);
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

static struct libevdev *dev_of(kioski_transport *t)
{
	struct evdev_priv *p = t && t->ops == &kioski_transport_evdev ? t->priv : NULL;
	return p ? p->dev : NULL;
}

int kioski_evdev_get_abs(kioski_transport *t, unsigned axis, struct input_absinfo *info)
{
	memset(info, 0, sizeof *info);
	struct libevdev *dev = dev_of(t);
	const struct input_absinfo *a = dev && axis <= ABS_MAX ? libevdev_get_abs_info(dev, axis) : NULL;
	if (!a)
		return KIOSK_E_NOT_SUPPORTED;
	*info = *a;
	return KIOSK_OK;
}

bool kioski_evdev_has(kioski_transport *t, unsigned type, unsigned code)
{
	struct libevdev *dev = dev_of(t);
	return dev && libevdev_has_event_code(dev, type, code);
}
