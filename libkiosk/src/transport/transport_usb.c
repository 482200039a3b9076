/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * transport_usb.c — usb:VVVV:PPPP[?serial=S&interface=N&ep_in=0x81&ep_out=0x02]
 *
 * libusb-1.0: finds the device by VID:PID (and iSerialNumber when asked),
 * claims an interface (detaching a bound kernel driver such as usblp, which
 * libusb re-attaches on close) and moves data with bulk or interrupt
 * transfers, as the endpoint descriptor says. Transfers are asynchronous and
 * driven on the calling thread, so a cancel from another thread
 * (ops->cancel, or the cancel fd seen between event slices) stops a blocked
 * transfer promptly. See usb.h for the transfer shapes.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include "transport/usb.h"
#include "platform/platform.h"

/* ---- one libusb context per kiosk context ---------------------------------- */

struct usb_ctx_entry {
	kiosk_context *kctx;
	libusb_context *u;
	int refs;
	struct usb_ctx_entry *next;
};

static pthread_mutex_t usb_ctx_lock = PTHREAD_MUTEX_INITIALIZER;
static struct usb_ctx_entry *usb_ctxs;

libusb_context *kioski_usb_ctx_ref(kiosk_context *ctx, int *err)
{
	int dummy;
	if (!err)
		err = &dummy;
	*err = KIOSK_OK;
	pthread_mutex_lock(&usb_ctx_lock);
	for (struct usb_ctx_entry *e = usb_ctxs; e; e = e->next)
		if (e->kctx == ctx) {
			e->refs++;
			pthread_mutex_unlock(&usb_ctx_lock);
			return e->u;
		}
	struct usb_ctx_entry *e = calloc(1, sizeof *e);
	if (!e) {
		pthread_mutex_unlock(&usb_ctx_lock);
		*err = kioski_context_fail(ctx, KIOSK_E_NO_MEMORY, "usb: out of memory");
		return NULL;
	}
	int r = libusb_init(&e->u);
	if (r < 0) {
		free(e);
		pthread_mutex_unlock(&usb_ctx_lock);
		*err = kioski_context_fail(ctx, KIOSK_E_IO, "usb: libusb_init failed: %s",
					   libusb_strerror(r));
		return NULL;
	}
	e->kctx = ctx;
	e->refs = 1;
	e->next = usb_ctxs;
	usb_ctxs = e;
	pthread_mutex_unlock(&usb_ctx_lock);
	kioski_dbg(ctx, "usb", "libusb context created");
	return e->u;
}

void kioski_usb_ctx_unref(kiosk_context *ctx)
{
	libusb_context *dead = NULL;
	pthread_mutex_lock(&usb_ctx_lock);
	for (struct usb_ctx_entry **pp = &usb_ctxs; *pp; pp = &(*pp)->next) {
		struct usb_ctx_entry *e = *pp;
		if (e->kctx != ctx)
			continue;
		if (--e->refs == 0) {
			*pp = e->next;
			dead = e->u;
			free(e);
		}
		break;
	}
	pthread_mutex_unlock(&usb_ctx_lock);
	if (dead) {
		libusb_exit(dead);
		kioski_dbg(ctx, "usb", "libusb context freed");
	}
}

int kioski_usb_error(int e)
{
	switch (e) {
	case LIBUSB_SUCCESS: return KIOSK_OK;
	case LIBUSB_ERROR_TIMEOUT: return KIOSK_E_TIMEOUT;
	case LIBUSB_ERROR_NO_DEVICE: return KIOSK_E_NO_DEVICE;
	case LIBUSB_ERROR_NOT_FOUND: return KIOSK_E_NO_DEVICE;
	case LIBUSB_ERROR_ACCESS: return KIOSK_E_ACCESS;
	case LIBUSB_ERROR_BUSY: return KIOSK_E_BUSY;
	case LIBUSB_ERROR_NO_MEM: return KIOSK_E_NO_MEMORY;
	case LIBUSB_ERROR_NOT_SUPPORTED: return KIOSK_E_NOT_SUPPORTED;
	case LIBUSB_ERROR_INVALID_PARAM: return KIOSK_E_INVALID_ARG;
	case LIBUSB_ERROR_OVERFLOW: return KIOSK_E_OVERFLOW;
	case LIBUSB_ERROR_INTERRUPTED: return KIOSK_E_CANCELLED;
	default: return KIOSK_E_IO;
	}
}

/* ---- iSerialNumber ---------------------------------------------------------- */

bool kioski_usb_serial(libusb_device *dev, libusb_device_handle *h, char *out, size_t out_len)
{
	out[0] = 0;
	/* udev knows the serial of every enumerated device, readable without
	 * opening (and so without permission on) the device node */
	if (kioski_platform_usb_serial(libusb_get_bus_number(dev), libusb_get_device_address(dev),
				       out, out_len))
		return true;
	struct libusb_device_descriptor dd;
	if (!h || libusb_get_device_descriptor(dev, &dd) < 0 || !dd.iSerialNumber)
		return false;
	unsigned char s[128];
	int n = libusb_get_string_descriptor_ascii(h, dd.iSerialNumber, s, sizeof s);
	if (n <= 0)
		return false;
	snprintf(out, out_len, "%.*s", n, (const char *)s);
	return true;
}

/* ---- the transport ----------------------------------------------------------- */

struct usb_ep {
	uint8_t addr;
	uint8_t type;   /* LIBUSB_TRANSFER_TYPE_BULK or _INTERRUPT */
	uint16_t mps;   /* wMaxPacketSize (payload bytes) */
	uint8_t *left;  /* IN: bytes received beyond what a read wanted */
	size_t left_len, left_off;
};

/* Shared between a submitted transfer's callback and its submitter; heap-held
 * so that a transfer abandoned as a last resort can finish on its own. */
struct xfer_state {
	int done;
	bool abandoned;
};

struct usb_priv {
	libusb_context *u;
	libusb_device_handle *h;
	int iface;
	bool claimed;
	bool gone; /* unplugged: every later call fails fast */
	struct usb_ep eps[32];
	int n_eps;
	struct usb_ep *def_in, *def_out;
	pthread_mutex_t lock; /* guards active */
	struct libusb_transfer *active;
	uint16_t vid, pid;
};

static pthread_mutex_t xfer_lock = PTHREAD_MUTEX_INITIALIZER;

static void LIBUSB_CALL xfer_cb(struct libusb_transfer *x)
{
	struct xfer_state *st = x->user_data;
	pthread_mutex_lock(&xfer_lock);
	bool abandoned = st->abandoned;
	st->done = 1;
	pthread_mutex_unlock(&xfer_lock);
	if (abandoned) {
		kioski_wipe(x->buffer, (size_t)x->length);
		free(x->buffer);
		libusb_free_transfer(x);
		free(st);
	}
}

static const char *xfer_status_name(int s)
{
	switch (s) {
	case LIBUSB_TRANSFER_COMPLETED: return "completed";
	case LIBUSB_TRANSFER_ERROR: return "error";
	case LIBUSB_TRANSFER_TIMED_OUT: return "timed out";
	case LIBUSB_TRANSFER_CANCELLED: return "cancelled";
	case LIBUSB_TRANSFER_STALL: return "stalled";
	case LIBUSB_TRANSFER_NO_DEVICE: return "device gone";
	case LIBUSB_TRANSFER_OVERFLOW: return "overflow";
	default: return "?";
	}
}

static int usb_gone(kioski_transport *t)
{
	struct usb_priv *p = t->priv;
	p->gone = true;
	return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE, "usb: %04x:%04x was unplugged",
				   p->vid, p->pid);
}

/*
 * One transfer on `e` of `len` bytes from/into a buffer this function owns
 * (`data` is copied for OUT, filled for IN). Waits until it completes, the
 * deadline passes, or the transport is cancelled.
 */
static int usb_transfer(kioski_transport *t, struct usb_ep *e, uint8_t *data, int len,
			int *actual, uint64_t deadline)
{
	struct usb_priv *p = t->priv;
	*actual = 0;
	if (p->gone)
		return usb_gone(t);
	int ms = kioski_remaining_ms(deadline);
	unsigned int tmo = deadline == UINT64_MAX ? 0 : ms > 0 ? (unsigned int)ms : 1;

	struct libusb_transfer *x = libusb_alloc_transfer(0);
	struct xfer_state *st = calloc(1, sizeof *st);
	uint8_t *buf = malloc(len > 0 ? (size_t)len : 1);
	if (!x || !st || !buf) {
		libusb_free_transfer(x);
		free(st);
		free(buf);
		return kioski_context_fail(t->ctx, KIOSK_E_NO_MEMORY, "usb: out of memory");
	}
	bool in = e->addr & LIBUSB_ENDPOINT_IN;
	if (!in)
		memcpy(buf, data, (size_t)len);
	if (e->type == LIBUSB_TRANSFER_TYPE_INTERRUPT)
		libusb_fill_interrupt_transfer(x, p->h, e->addr, buf, len, xfer_cb, st, tmo);
	else
		libusb_fill_bulk_transfer(x, p->h, e->addr, buf, len, xfer_cb, st, tmo);

	pthread_mutex_lock(&p->lock);
	int r = kioski_transport_cancelled(t) ? LIBUSB_ERROR_INTERRUPTED : libusb_submit_transfer(x);
	if (r == 0)
		p->active = x;
	pthread_mutex_unlock(&p->lock);
	if (r < 0) {
		libusb_free_transfer(x);
		free(st);
		free(buf);
		if (r == LIBUSB_ERROR_INTERRUPTED)
			return KIOSK_E_CANCELLED;
		if (r == LIBUSB_ERROR_NO_DEVICE)
			return usb_gone(t);
		return kioski_context_fail(t->ctx, kioski_usb_error(r),
					   "usb: cannot submit a transfer on endpoint 0x%02x: %s",
					   e->addr, libusb_strerror(r));
	}

	bool cancel_sent = false, user_cancel = false;
	uint64_t cancel_at = 0;
	for (;;) {
		pthread_mutex_lock(&xfer_lock);
		int done = st->done;
		pthread_mutex_unlock(&xfer_lock);
		if (done)
			break;
		if (!cancel_sent && kioski_transport_cancelled(t)) {
			user_cancel = true;
			cancel_sent = true;
			cancel_at = kioski_now_ms();
			libusb_cancel_transfer(x);
		}
		/* libusb enforces the transfer timeout itself; this slice only
		 * bounds how late a cancel without ops->cancel is noticed. */
		struct timeval tv = {0, 100 * 1000};
		int hr = libusb_handle_events_timeout_completed(p->u, &tv, &st->done);
		if (hr < 0 && hr != LIBUSB_ERROR_INTERRUPTED && hr != LIBUSB_ERROR_TIMEOUT &&
		    !cancel_sent) {
			kioski_warn(t->ctx, t->component, "event handling failed: %s",
				    libusb_strerror(hr));
			cancel_sent = true;
			cancel_at = kioski_now_ms();
			libusb_cancel_transfer(x);
		}
		if (cancel_sent && kioski_now_ms() - cancel_at > 5000) {
			/* The cancel never completed (a broken device or host
			 * controller): leave the transfer to free itself. */
			pthread_mutex_lock(&p->lock);
			p->active = NULL;
			pthread_mutex_unlock(&p->lock);
			pthread_mutex_lock(&xfer_lock);
			bool late = st->done;
			st->abandoned = !late;
			pthread_mutex_unlock(&xfer_lock);
			if (late)
				break;
			kioski_warn(t->ctx, t->component,
				    "a transfer on endpoint 0x%02x did not stop after cancel", e->addr);
			return user_cancel ? KIOSK_E_CANCELLED
					   : kioski_context_fail(t->ctx, KIOSK_E_IO,
								 "usb: endpoint 0x%02x is stuck",
								 e->addr);
		}
	}
	pthread_mutex_lock(&p->lock);
	p->active = NULL;
	pthread_mutex_unlock(&p->lock);

	int status = x->status;
	*actual = x->actual_length;
	if (in && x->actual_length > 0)
		memcpy(data, buf, (size_t)x->actual_length);
	libusb_free_transfer(x);
	kioski_wipe(buf, (size_t)len); /* ID-card replies carry personal data */
	free(buf);
	free(st);

	switch (status) {
	case LIBUSB_TRANSFER_COMPLETED:
		return KIOSK_OK;
	case LIBUSB_TRANSFER_TIMED_OUT:
		return KIOSK_E_TIMEOUT;
	case LIBUSB_TRANSFER_CANCELLED:
		if (user_cancel || kioski_transport_cancelled(t))
			return KIOSK_E_CANCELLED;
		return kioski_context_fail(t->ctx, KIOSK_E_IO,
					   "usb: transfer on endpoint 0x%02x was aborted", e->addr);
	case LIBUSB_TRANSFER_NO_DEVICE:
		return usb_gone(t);
	case LIBUSB_TRANSFER_STALL: {
		int cr = libusb_clear_halt(p->h, e->addr);
		if (cr == LIBUSB_ERROR_NO_DEVICE)
			return usb_gone(t);
		return kioski_context_fail(t->ctx, KIOSK_E_IO,
					   "usb: endpoint 0x%02x stalled (halt %s)", e->addr,
					   cr == 0 ? "cleared" : "not cleared");
	}
	case LIBUSB_TRANSFER_OVERFLOW:
		return kioski_context_fail(t->ctx, KIOSK_E_IO,
					   "usb: endpoint 0x%02x sent more than a packet (overflow)",
					   e->addr);
	default:
		return kioski_context_fail(t->ctx, KIOSK_E_IO, "usb: transfer on endpoint 0x%02x: %s",
					   e->addr, xfer_status_name(status));
	}
}

static struct usb_ep *find_ep(struct usb_priv *p, uint8_t addr)
{
	for (int i = 0; i < p->n_eps; i++)
		if (p->eps[i].addr == addr)
			return &p->eps[i];
	return NULL;
}

/* The endpoint a call addresses: `ep` if non-zero, else the default one. */
static int pick_ep(kioski_transport *t, uint8_t ep, bool in, struct usb_ep **out)
{
	struct usb_priv *p = t->priv;
	*out = NULL;
	if (ep == 0) {
		*out = in ? p->def_in : p->def_out;
		if (!*out)
			return kioski_context_fail(t->ctx, KIOSK_E_NOT_SUPPORTED,
						   "usb: interface %d has no %s endpoint", p->iface,
						   in ? "IN" : "OUT");
		return KIOSK_OK;
	}
	struct usb_ep *e = find_ep(p, ep);
	if (!e || !!(ep & LIBUSB_ENDPOINT_IN) != in)
		return kioski_context_fail(t->ctx, KIOSK_E_INVALID_ARG,
					   "usb: interface %d has no %s endpoint 0x%02x", p->iface,
					   in ? "IN" : "OUT", ep);
	*out = e;
	return KIOSK_OK;
}

static int usb_read(kioski_transport *t, uint8_t ep, void *buf, size_t len, size_t *got,
		    int timeout_ms)
{
	struct usb_priv *p = t->priv;
	struct usb_ep *e;
	*got = 0;
	int r = pick_ep(t, ep, true, &e);
	if (r < 0)
		return r;
	if (len == 0)
		return KIOSK_OK;
	if (e->left_off < e->left_len) {
		size_t n = e->left_len - e->left_off;
		if (n > len)
			n = len;
		memcpy(buf, e->left + e->left_off, n);
		e->left_off += n;
		*got = n;
		return KIOSK_OK;
	}
	if (p->gone)
		return usb_gone(t);
	uint64_t deadline = kioski_deadline(timeout_ms);
	for (;;) {
		int actual = 0;
		r = usb_transfer(t, e, e->left, e->mps, &actual, deadline);
		if (r < 0)
			return r;
		if (actual > 0) {
			size_t n = (size_t)actual < len ? (size_t)actual : len;
			memcpy(buf, e->left, n);
			e->left_len = (size_t)actual;
			e->left_off = n;
			*got = n;
			return KIOSK_OK;
		}
		/* A zero-length packet: nothing for the caller yet. */
		if (kioski_remaining_ms(deadline) == 0)
			return KIOSK_E_TIMEOUT;
	}
}

static int usb_write(kioski_transport *t, uint8_t ep, const void *buf, size_t len, int timeout_ms)
{
	struct usb_priv *p = t->priv;
	struct usb_ep *e;
	int r = pick_ep(t, ep, false, &e);
	if (r < 0)
		return r;
	if (p->gone)
		return usb_gone(t);
	uint64_t deadline = kioski_deadline(timeout_ms);
	const uint8_t *d = buf;
	size_t left = len;
	while (left) {
		int n = left > KIOSKI_USB_OUT_CHUNK ? KIOSKI_USB_OUT_CHUNK : (int)left;
		int actual = 0;
		r = usb_transfer(t, e, (uint8_t *)d, n, &actual, deadline);
		if (r < 0)
			return r;
		if (actual < 0 || actual > n)
			actual = n;
		d += actual;
		left -= (size_t)actual;
		if (left && kioski_remaining_ms(deadline) == 0)
			return KIOSK_E_TIMEOUT;
	}
	return KIOSK_OK;
}

static void usb_cancel(kioski_transport *t)
{
	struct usb_priv *p = t->priv;
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	if (p->active)
		libusb_cancel_transfer(p->active);
	pthread_mutex_unlock(&p->lock);
}

static void usb_discard_input(kioski_transport *t)
{
	struct usb_priv *p = t->priv;
	if (!p)
		return;
	/* Leftovers may be personal data (ID-card replies): wipe, not just forget. */
	for (int i = 0; i < p->n_eps; i++) {
		if (p->eps[i].left)
			kioski_wipe(p->eps[i].left, p->eps[i].mps);
		p->eps[i].left_len = p->eps[i].left_off = 0;
	}
}

static void usb_close(kioski_transport *t)
{
	struct usb_priv *p = t->priv;
	if (!p)
		return;
	if (p->h) {
		if (p->claimed && !p->gone)
			libusb_release_interface(p->h, p->iface);
		libusb_close(p->h); /* re-attaches a detached kernel driver */
	}
	for (int i = 0; i < p->n_eps; i++) {
		if (p->eps[i].left)
			kioski_wipe(p->eps[i].left, p->eps[i].mps);
		free(p->eps[i].left);
	}
	if (p->u)
		kioski_usb_ctx_unref(t->ctx);
	pthread_mutex_destroy(&p->lock);
	free(p);
	t->priv = NULL;
}

/* Parses an endpoint option ("0x81", "129"); 0 when absent, -1 when malformed. */
static int ep_option(kioski_transport *t, const char *key)
{
	const char *v = kiosk_uri_get_option(t->uri, key);
	if (!v)
		return 0;
	char *end;
	long n = strtol(v, &end, 0);
	if (!*v || *end || n <= 0 || n > 0xff)
		return -1;
	return (int)n;
}

static bool usable_type(uint8_t attrs)
{
	int type = attrs & LIBUSB_TRANSFER_TYPE_MASK;
	return type == LIBUSB_TRANSFER_TYPE_BULK || type == LIBUSB_TRANSFER_TYPE_INTERRUPT;
}

/* 2 = has a bulk/interrupt IN and OUT, 1 = only OUT, 0 = neither. */
static int iface_score(const struct libusb_interface_descriptor *id)
{
	bool in = false, out = false;
	for (int i = 0; i < id->bNumEndpoints; i++) {
		const struct libusb_endpoint_descriptor *ed = &id->endpoint[i];
		if (!usable_type(ed->bmAttributes))
			continue;
		if (ed->bEndpointAddress & LIBUSB_ENDPOINT_IN)
			in = true;
		else
			out = true;
	}
	return in && out ? 2 : out ? 1 : 0;
}

static int usb_setup_interface(kioski_transport *t, libusb_device *dev)
{
	struct usb_priv *p = t->priv;
	struct libusb_config_descriptor *cfg = NULL;
	int r = libusb_get_active_config_descriptor(dev, &cfg);
	if (r < 0)
		r = libusb_get_config_descriptor(dev, 0, &cfg);
	if (r < 0)
		return kioski_context_fail(t->ctx, kioski_usb_error(r),
					   "usb: cannot read the configuration of %04x:%04x: %s",
					   p->vid, p->pid, libusb_strerror(r));
	long want = -1;
	if (kiosk_uri_get_option(t->uri, "interface") &&
	    kiosk_uri_get_option_int(t->uri, "interface", 0, 255, 0, &want) != KIOSK_OK) {
		libusb_free_config_descriptor(cfg);
		return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI,
					   "usb: interface must be a number 0..255");
	}
	const struct libusb_interface_descriptor *chosen = NULL;
	int best = 0;
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		if (cfg->interface[i].num_altsetting < 1)
			continue;
		const struct libusb_interface_descriptor *id = &cfg->interface[i].altsetting[0];
		if (want >= 0) {
			if (id->bInterfaceNumber == want)
				chosen = id;
			continue;
		}
		int s = iface_score(id);
		if (s > best) {
			best = s;
			chosen = id;
		}
	}
	if (!chosen) {
		libusb_free_config_descriptor(cfg);
		if (want >= 0)
			return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI,
						   "usb: %04x:%04x has no interface %ld", p->vid,
						   p->pid, want);
		return kioski_context_fail(t->ctx, KIOSK_E_NOT_SUPPORTED,
					   "usb: %04x:%04x has no interface with bulk or interrupt "
					   "endpoints", p->vid, p->pid);
	}
	p->iface = chosen->bInterfaceNumber;
	for (int i = 0; i < chosen->bNumEndpoints && p->n_eps < 32; i++) {
		const struct libusb_endpoint_descriptor *ed = &chosen->endpoint[i];
		if (!usable_type(ed->bmAttributes))
			continue;
		struct usb_ep *e = &p->eps[p->n_eps++];
		e->addr = ed->bEndpointAddress;
		e->type = (ed->bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) == LIBUSB_TRANSFER_TYPE_BULK
				  ? LIBUSB_TRANSFER_TYPE_BULK
				  : LIBUSB_TRANSFER_TYPE_INTERRUPT;
		e->mps = ed->wMaxPacketSize & 0x7ff;
		if (e->mps == 0)
			e->mps = 64;
		if (e->addr & LIBUSB_ENDPOINT_IN) {
			e->left = malloc(e->mps);
			if (!e->left) {
				libusb_free_config_descriptor(cfg);
				return kioski_context_fail(t->ctx, KIOSK_E_NO_MEMORY,
							   "usb: out of memory");
			}
			if (!p->def_in)
				p->def_in = e;
		} else if (!p->def_out) {
			p->def_out = e;
		}
	}
	libusb_free_config_descriptor(cfg);

	int ein = ep_option(t, "ep_in"), eout = ep_option(t, "ep_out");
	if (ein < 0 || eout < 0)
		return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI,
					   "usb: ep_in/ep_out must be endpoint addresses like 0x81");
	if (ein) {
		struct usb_ep *e = find_ep(p, (uint8_t)ein);
		if (!e || !(e->addr & LIBUSB_ENDPOINT_IN))
			return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI,
						   "usb: interface %d has no IN endpoint 0x%02x",
						   p->iface, ein);
		p->def_in = e;
	}
	if (eout) {
		struct usb_ep *e = find_ep(p, (uint8_t)eout);
		if (!e || (e->addr & LIBUSB_ENDPOINT_IN))
			return kioski_context_fail(t->ctx, KIOSK_E_BAD_URI,
						   "usb: interface %d has no OUT endpoint 0x%02x",
						   p->iface, eout);
		p->def_out = e;
	}
	return KIOSK_OK;
}

static int open_error(kioski_transport *t, int r, const char *what)
{
	struct usb_priv *p = t->priv;
	switch (r) {
	case LIBUSB_ERROR_ACCESS:
		return kioski_context_fail(t->ctx, KIOSK_E_ACCESS,
					   "usb: permission denied to %s %04x:%04x (install the "
					   "libkiosk udev rules or add the user to the kiosk group)",
					   what, p->vid, p->pid);
	case LIBUSB_ERROR_BUSY:
		return kioski_context_fail(t->ctx, KIOSK_E_BUSY,
					   "usb: %04x:%04x interface %d is claimed by another program",
					   p->vid, p->pid, p->iface);
	case LIBUSB_ERROR_NO_DEVICE:
	case LIBUSB_ERROR_NOT_FOUND:
		return kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE,
					   "usb: %04x:%04x went away while opening", p->vid, p->pid);
	default:
		return kioski_context_fail(t->ctx, kioski_usb_error(r), "usb: cannot %s %04x:%04x: %s",
					   what, p->vid, p->pid, libusb_strerror(r));
	}
}

static int usb_open(kioski_transport *t)
{
	struct usb_priv *p = calloc(1, sizeof *p);
	if (!p)
		return kioski_context_fail(t->ctx, KIOSK_E_NO_MEMORY, "usb: out of memory");
	pthread_mutex_init(&p->lock, NULL);
	t->priv = p;
	p->vid = kiosk_uri_get_vid(t->uri);
	p->pid = kiosk_uri_get_pid(t->uri);
	const char *want_serial = kiosk_uri_get_option(t->uri, "serial");
	int err;
	p->u = kioski_usb_ctx_ref(t->ctx, &err);
	if (!p->u) {
		usb_close(t);
		return err;
	}

	libusb_device **list = NULL;
	ssize_t n = libusb_get_device_list(p->u, &list);
	if (n < 0) {
		int r = kioski_context_fail(t->ctx, kioski_usb_error((int)n),
					    "usb: cannot list devices: %s", libusb_strerror((int)n));
		usb_close(t);
		return r;
	}
	libusb_device *dev = NULL;
	int matches = 0, open_err = 0;
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor dd;
		if (libusb_get_device_descriptor(list[i], &dd) < 0 || dd.idVendor != p->vid ||
		    dd.idProduct != p->pid)
			continue;
		if (want_serial) {
			char s[128];
			libusb_device_handle *h = NULL;
			bool have = kioski_usb_serial(list[i], NULL, s, sizeof s);
			if (!have) {
				int r = libusb_open(list[i], &h);
				if (r < 0) {
					open_err = r;
					continue;
				}
				have = kioski_usb_serial(list[i], h, s, sizeof s);
			}
			if (!have || strcmp(s, want_serial)) {
				if (h)
					libusb_close(h);
				continue;
			}
			if (h && !dev) {
				p->h = h;
				dev = list[i];
			} else if (h) {
				libusb_close(h);
			}
		}
		matches++;
		if (!dev)
			dev = list[i];
	}
	if (dev)
		libusb_ref_device(dev);
	libusb_free_device_list(list, 1);
	if (!dev) {
		int r;
		if (open_err)
			r = open_error(t, open_err, "open");
		else if (want_serial)
			r = kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE,
						"usb: no device %04x:%04x with serial '%s' attached",
						p->vid, p->pid, want_serial);
		else
			r = kioski_context_fail(t->ctx, KIOSK_E_NO_DEVICE,
						"usb: no device %04x:%04x attached", p->vid, p->pid);
		usb_close(t);
		return r;
	}
	if (matches > 1)
		kioski_info(t->ctx, t->component,
			    "%d devices %04x:%04x attached; using bus %u address %u (add "
			    "?serial=… to choose)", matches, p->vid, p->pid,
			    libusb_get_bus_number(dev), libusb_get_device_address(dev));
	int r = usb_setup_interface(t, dev);
	if (r == KIOSK_OK && !p->h) {
		int lr = libusb_open(dev, &p->h);
		if (lr < 0)
			r = open_error(t, lr, "open");
	}
	if (r == KIOSK_OK) {
		/* Detach a bound kernel driver (usblp, usbhid…) for as long as we
		 * hold the interface; not every platform can, which is fine. */
		libusb_set_auto_detach_kernel_driver(p->h, 1);
		int lr = libusb_claim_interface(p->h, p->iface);
		if (lr == LIBUSB_ERROR_OTHER || lr == LIBUSB_ERROR_NOT_SUPPORTED) {
			/* The detach request itself failed (an emulated or unusual
			 * usbfs without USBDEVFS_DISCONNECT_CLAIM): claim plainly. */
			libusb_set_auto_detach_kernel_driver(p->h, 0);
			if (libusb_kernel_driver_active(p->h, p->iface) == 1)
				libusb_detach_kernel_driver(p->h, p->iface);
			lr = libusb_claim_interface(p->h, p->iface);
			if (lr == LIBUSB_ERROR_OTHER || lr == LIBUSB_ERROR_NOT_SUPPORTED) {
				/* usbfs claims an interface on its first transfer
				 * anyway; a conflict then shows as a transfer error. */
				kioski_warn(t->ctx, t->component,
					    "cannot claim interface %d of %04x:%04x (%s); "
					    "continuing unclaimed", p->iface, p->vid, p->pid,
					    libusb_strerror(lr));
				lr = 0;
			} else if (lr == 0) {
				p->claimed = true;
			}
		} else if (lr == 0) {
			p->claimed = true;
		}
		if (lr < 0)
			r = open_error(t, lr, "claim");
	}
	if (r == KIOSK_OK)
		kioski_dbg(t->ctx, t->component,
			   "opened %04x:%04x at bus %u address %u, interface %d, IN 0x%02x, OUT 0x%02x",
			   p->vid, p->pid, libusb_get_bus_number(dev), libusb_get_device_address(dev),
			   p->iface, p->def_in ? p->def_in->addr : 0,
			   p->def_out ? p->def_out->addr : 0);
	libusb_unref_device(dev);
	if (r < 0)
		usb_close(t);
	return r;
}

const struct kioski_transport_ops kioski_transport_usb = {
	.name = "usb",
	.scheme = KIOSK_URI_USB,
	.open = usb_open,
	.close = usb_close,
	.read = usb_read,
	.write = usb_write,
	.cancel = usb_cancel,
	.discard_input = usb_discard_input,
};
