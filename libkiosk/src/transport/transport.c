/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* transport.c — the generic transport layer: backend choice, cancellation,
 * exact reads. Backends (transport_<scheme>.c) implement only the ops. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "core/internal.h"

static const struct kioski_transport_ops *backend_for(enum kiosk_uri_scheme scheme)
{
	switch (scheme) {
	case KIOSK_URI_SERIAL: return &kioski_transport_serial;
	case KIOSK_URI_TCP: return &kioski_transport_tcp;
	case KIOSK_URI_FILE: return &kioski_transport_file;
	case KIOSK_URI_USB: return &kioski_transport_usb;
	case KIOSK_URI_EVDEV: return &kioski_transport_evdev;
	}
	return NULL;
}

int kioski_transport_open(kiosk_context *ctx, const kiosk_uri *uri, kioski_transport **out)
{
	if (!ctx || !uri || !out)
		return KIOSK_E_INVALID_ARG;
	*out = NULL;
	const struct kioski_transport_ops *ops = backend_for(kiosk_uri_get_scheme(uri));
	if (!ops)
		return kioski_context_fail(ctx, KIOSK_E_NOT_SUPPORTED, "%s: no %s transport in this build",
					   kiosk_uri_to_string(uri),
					   kiosk_uri_scheme_name(kiosk_uri_get_scheme(uri)));
	kioski_transport *t = calloc(1, sizeof *t);
	if (!t)
		return KIOSK_E_NO_MEMORY;
	t->ops = ops;
	t->ctx = ctx;
	t->fd = -1;
	snprintf(t->component, sizeof t->component, "%s", ops->name);
	t->cancel_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	int r = kiosk_uri_parse(kiosk_uri_to_string(uri), &t->uri, NULL, 0);
	if (t->cancel_fd < 0 || r < 0) {
		if (t->cancel_fd >= 0)
			close(t->cancel_fd);
		kiosk_uri_free(t->uri);
		free(t);
		return r < 0 ? r : KIOSK_E_IO;
	}
	r = ops->open(t);
	if (r < 0) {
		close(t->cancel_fd);
		kiosk_uri_free(t->uri);
		free(t);
		return r;
	}
	kioski_dbg(ctx, t->component, "opened %s", kiosk_uri_to_string(t->uri));
	*out = t;
	return KIOSK_OK;
}

void kioski_transport_close(kioski_transport *t)
{
	if (!t)
		return;
	t->ops->close(t);
	close(t->cancel_fd);
	kiosk_uri_free(t->uri);
	free(t);
}

bool kioski_transport_cancelled(kioski_transport *t)
{
	/* Look without touching: the eventfd stays readable while cancelled. */
	struct pollfd p = {.fd = t->cancel_fd, .events = POLLIN};
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

void kioski_transport_cancel(kioski_transport *t)
{
	if (!t)
		return;
	uint64_t one = 1;
	ssize_t w = write(t->cancel_fd, &one, sizeof one);
	(void)w;
	if (t->ops->cancel)
		t->ops->cancel(t);
}

void kioski_transport_clear_cancel(kioski_transport *t)
{
	uint64_t v;
	if (t) {
		ssize_t r = read(t->cancel_fd, &v, sizeof v);
		(void)r;
	}
}

void kioski_transport_discard_input(kioski_transport *t)
{
	if (t && t->ops->discard_input)
		t->ops->discard_input(t);
}

int kioski_transport_set_baud(kioski_transport *t, int baud)
{
	if (!t || baud <= 0)
		return KIOSK_E_INVALID_ARG;
	if (!t->ops->set_baud)
		return kioski_context_fail(t->ctx, KIOSK_E_NOT_SUPPORTED, "%s: no baud rate to set",
					   t->component);
	return t->ops->set_baud(t, baud);
}

/* Traffic traces: lengths, or the driver's structural description; never
 * the bytes themselves (a receipt's text, a card's text block). */
static void trace(kioski_transport *t, const void *data, size_t len, bool out)
{
	char desc[480];
	desc[0] = 0;
	if (t->trace)
		t->trace(data, len, out, desc, sizeof desc);
	kioski_dbg(t->ctx, t->component, "%s %zu byte(s)%s%s", out ? "->" : "<-", len,
		   desc[0] ? ": " : "", desc);
}

int kioski_transport_read_ep(kioski_transport *t, uint8_t ep, void *buf, size_t len, size_t *got,
			     int timeout_ms)
{
	size_t dummy;
	if (!got)
		got = &dummy;
	*got = 0;
	if (!t || !buf || !len)
		return KIOSK_E_INVALID_ARG;
	if (kioski_transport_cancelled(t))
		return KIOSK_E_CANCELLED;
	int r = t->ops->read(t, ep, buf, len, got, timeout_ms);
	if (r == KIOSK_OK && kioski_log_enabled(t->ctx, KIOSK_LOG_DEBUG))
		trace(t, buf, *got, false);
	return r;
}

int kioski_transport_write_ep(kioski_transport *t, uint8_t ep, const void *buf, size_t len,
			      int timeout_ms)
{
	if (!t || (!buf && len))
		return KIOSK_E_INVALID_ARG;
	if (kioski_transport_cancelled(t))
		return KIOSK_E_CANCELLED;
	if (kioski_log_enabled(t->ctx, KIOSK_LOG_DEBUG))
		trace(t, buf, len, true);
	return t->ops->write(t, ep, buf, len, timeout_ms);
}

int kioski_transport_read(kioski_transport *t, void *buf, size_t len, size_t *got, int timeout_ms)
{
	return kioski_transport_read_ep(t, 0, buf, len, got, timeout_ms);
}

int kioski_transport_write(kioski_transport *t, const void *buf, size_t len, int timeout_ms)
{
	return kioski_transport_write_ep(t, 0, buf, len, timeout_ms);
}

int kioski_transport_read_exact(kioski_transport *t, void *buf, size_t len, int timeout_ms)
{
	uint64_t deadline = kioski_deadline(timeout_ms);
	uint8_t *p = buf;
	size_t have = 0;
	while (have < len) {
		int left = timeout_ms < 0 ? -1 : kioski_remaining_ms(deadline);
		if (timeout_ms >= 0 && left == 0)
			return KIOSK_E_TIMEOUT;
		size_t got = 0;
		int r = kioski_transport_read(t, p + have, len - have, &got, left);
		if (r < 0)
			return r;
		have += got;
	}
	return KIOSK_OK;
}
