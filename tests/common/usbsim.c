/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * usbsim.c — an in-process USB device for tests (see usbsim.h): a umockdev
 * testbed holds the device record, and a custom ioctl handler answers the
 * usbdevfs requests libusb makes (URB submit/reap/discard, claim, driver
 * detach, string descriptors).
 *
 * Facts used (umockdev 0.17, Linux usbdevfs): libusb reaps with
 * USBDEVFS_REAPURBNDELAY and treats EAGAIN as "nothing yet"; a URB reaped
 * with status -ENOENT after DISCARDURB is cancelled (or timed out); status
 * -ESHUTDOWN means the device went away, -EPIPE a stall. The handler shares
 * the address space of the client (in-process testbed), so a URB's data
 * buffer can be written directly; URB fields are synced back through
 * umockdev_ioctl_data_set_ptr() on reap.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <umockdev.h>
#include "usbsim.h"

struct urb {
	UMockdevIoctlData *data; /* the resolved struct usbdevfs_urb */
	struct urb *next;
};

struct chunk {
	uint8_t ep;
	uint8_t *data;
	size_t len, off;
	struct chunk *next;
};

struct usbsim {
	struct sim_usb_device d;
	struct sim_usb_ep eps[16];
	char serial[128], manufacturer[128], product[128], driver[64];
	char devnode[64], syspath[160], uri[200];
	UMockdevIoctlBase *handler;
	gulong signal_id;

	pthread_mutex_t lock;
	usbsim_out_fn fn;
	void *user;
	struct urb *pending;   /* submitted IN URBs waiting for data */
	struct urb *done;      /* completed, to be reaped, in order */
	struct chunk *chunks;  /* queued IN data, in order */
	uint8_t stall[32];     /* endpoints to stall on their next transfer */
	int n_stall;
	bool unplugged;
	bool scripted; /* answered by an ioctl script, no handler */
	int claim_errno; /* claims fail with this errno when set */
	struct usbsim_stats st;
};

static UMockdevTestbed *testbed;
static int n_sims;
static int next_devnum = 2;
static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;

bool usbsim_available(void)
{
	if (getenv("KIOSK_TEST_NO_UMOCKDEV"))
		return false;
	const char *pre = getenv("LD_PRELOAD");
	return pre && strstr(pre, "umockdev");
}

static struct usbdevfs_urb *U(struct urb *u)
{
	return (struct usbdevfs_urb *)u->data->data;
}

static void push(struct urb **list, struct urb *u)
{
	u->next = NULL;
	while (*list)
		list = &(*list)->next;
	*list = u;
}

static bool take_stall(usbsim *s, uint8_t ep)
{
	for (int i = 0; i < s->n_stall; i++)
		if (s->stall[i] == ep) {
			s->stall[i] = s->stall[--s->n_stall];
			return true;
		}
	return false;
}

/* Completes pending IN URBs from queued data / stalls / unplug. Locked. */
static void match_locked(usbsim *s)
{
	for (struct urb **pp = &s->pending; *pp;) {
		struct urb *u = *pp;
		struct usbdevfs_urb *x = U(u);
		bool complete = false;
		if (s->unplugged) {
			x->status = -ESHUTDOWN;
			x->actual_length = 0;
			complete = true;
		} else if (take_stall(s, x->endpoint)) {
			x->status = -EPIPE;
			x->actual_length = 0;
			complete = true;
		} else {
			for (struct chunk **cp = &s->chunks; *cp; cp = &(*cp)->next) {
				struct chunk *c = *cp;
				if (c->ep != x->endpoint)
					continue;
				size_t n = c->len - c->off;
				if (n > (size_t)x->buffer_length)
					n = (size_t)x->buffer_length;
				/* Same address space: write the client's buffer. */
				if (n)
					memcpy(x->buffer, c->data + c->off, n);
				c->off += n;
				x->actual_length = (int)n;
				x->status = 0;
				if (c->off >= c->len) {
					*cp = c->next;
					free(c->data);
					free(c);
				}
				s->st.in_transfers++;
				complete = true;
				break;
			}
		}
		if (complete) {
			*pp = u->next;
			push(&s->done, u);
		} else {
			pp = &u->next;
		}
	}
}

static size_t string_descriptor(usbsim *s, int index, uint8_t *out, size_t max)
{
	if (index == 0) {
		const uint8_t langs[4] = {4, 3, 0x09, 0x04}; /* en-US */
		size_t n = max < 4 ? max : 4;
		memcpy(out, langs, n);
		return n;
	}
	const char *str = index == 1 ? s->d.manufacturer : index == 2 ? s->d.product
				     : index == 3 ? s->d.serial : NULL;
	if (!str)
		return (size_t)-1;
	uint8_t buf[256];
	size_t len = 2;
	for (const char *p = str; *p && len + 2 <= sizeof buf; p++) {
		buf[len++] = (uint8_t)*p; /* ASCII → UTF-16LE */
		buf[len++] = 0;
	}
	buf[0] = (uint8_t)len;
	buf[1] = 3;
	size_t n = len < max ? len : max;
	memcpy(out, buf, n);
	return n;
}

/* A control transfer on EP0: string descriptors, standard requests. */
static void control_locked(usbsim *s, struct usbdevfs_urb *x, uint8_t *buf)
{
	uint8_t type = buf[0], req = buf[1];
	uint16_t value = (uint16_t)(buf[2] | buf[3] << 8);
	uint16_t length = (uint16_t)(buf[6] | buf[7] << 8);
	size_t room = (size_t)x->buffer_length > 8 ? (size_t)x->buffer_length - 8 : 0;
	if (length < room)
		room = length;
	x->status = 0;
	x->actual_length = 0;
	if (type == 0x80 && req == 6 && (value >> 8) == 3) {
		size_t n = string_descriptor(s, value & 0xff, buf + 8, room);
		if (n == (size_t)-1)
			x->status = -EPIPE;
		else
			x->actual_length = (int)n;
	} else if ((type & 0x80) == 0) {
		/* SET_CONFIGURATION, SET_INTERFACE, CLEAR_FEATURE, class/vendor
		 * requests without data: accepted. */
	} else {
		x->status = -EPIPE;
	}
}

static gboolean on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer user)
{
	usbsim *s = user;
	gulong req = umockdev_ioctl_client_get_request(c);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(c);

	pthread_mutex_lock(&s->lock);
	bool gone = s->unplugged;
	pthread_mutex_unlock(&s->lock);

	switch (req) {
	case USBDEVFS_GET_CAPABILITIES: {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);
		guint32 caps = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
			       USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
		memcpy(d->data, &caps, sizeof caps);
		umockdev_ioctl_data_unref(d);
		umockdev_ioctl_client_complete(c, 0, 0);
		return TRUE;
	}
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY: {
		pthread_mutex_lock(&s->lock);
		match_locked(s);
		struct urb *u = s->done;
		if (u)
			s->done = u->next;
		pthread_mutex_unlock(&s->lock);
		if (!u) {
			umockdev_ioctl_client_complete(c, -1, gone ? ENODEV : EAGAIN);
			return TRUE;
		}
		UMockdevIoctlData *p = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), NULL);
		umockdev_ioctl_data_set_ptr(p, 0, u->data);
		umockdev_ioctl_data_unref(p);
		umockdev_ioctl_data_unref(u->data);
		free(u);
		umockdev_ioctl_client_complete(c, 0, 0);
		return TRUE;
	}
	case USBDEVFS_DISCARDURB: {
		void *addr = *(void **)arg->data;
		pthread_mutex_lock(&s->lock);
		struct urb *found = NULL;
		for (struct urb **pp = &s->pending; *pp; pp = &(*pp)->next)
			if ((void *)(*pp)->data->client_addr == addr) {
				found = *pp;
				*pp = found->next;
				break;
			}
		if (found) {
			U(found)->status = -ENOENT;
			U(found)->actual_length = 0;
			push(&s->done, found);
		}
		pthread_mutex_unlock(&s->lock);
		umockdev_ioctl_client_complete(c, found ? 0 : -1, found ? 0 : EINVAL);
		return TRUE;
	}
	default:
		break;
	}

	if (gone) {
		umockdev_ioctl_client_complete(c, -1, ENODEV);
		return TRUE;
	}

	switch (req) {
	case USBDEVFS_SUBMITURB: {
		UMockdevIoctlData *ud =
			umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
		struct usbdevfs_urb *x = (struct usbdevfs_urb *)ud->data;
		UMockdevIoctlData *bd = NULL;
		if (x->buffer_length > 0)
			bd = umockdev_ioctl_data_resolve(ud, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer),
							 (gsize)x->buffer_length, NULL);
		struct urb *u = calloc(1, sizeof *u);
		u->data = ud;
		uint8_t ep = x->endpoint;
		uint8_t *copy = NULL;
		size_t copy_len = 0;
		pthread_mutex_lock(&s->lock);
		if (x->type == USBDEVFS_URB_TYPE_INTERRUPT)
			s->st.interrupt_urbs++;
		if (x->type == USBDEVFS_URB_TYPE_CONTROL) {
			if (bd && x->buffer_length >= 8)
				control_locked(s, x, bd->data);
			else
				x->status = -EPIPE;
			push(&s->done, u);
		} else if (ep & 0x80) {
			push(&s->pending, u);
			match_locked(s);
		} else if (take_stall(s, ep)) {
			x->status = -EPIPE;
			x->actual_length = 0;
			push(&s->done, u);
		} else {
			x->status = 0;
			x->actual_length = x->buffer_length;
			if (bd) {
				copy_len = (size_t)x->buffer_length;
				copy = malloc(copy_len);
				memcpy(copy, bd->data, copy_len);
			}
			s->st.out_transfers++;
			push(&s->done, u);
		}
		usbsim_out_fn fn = s->fn;
		void *fu = s->user;
		pthread_mutex_unlock(&s->lock);
		if (bd)
			umockdev_ioctl_data_unref(bd);
		umockdev_ioctl_client_complete(c, 0, 0);
		if (copy && fn)
			fn(s, ep, copy, copy_len, fu);
		free(copy);
		return TRUE;
	}
	case USBDEVFS_CLAIMINTERFACE:
	case USBDEVFS_RELEASEINTERFACE: {
		pthread_mutex_lock(&s->lock);
		int cerr = req == USBDEVFS_CLAIMINTERFACE ? s->claim_errno : 0;
		if (cerr) {
			pthread_mutex_unlock(&s->lock);
			umockdev_ioctl_client_complete(c, -1, cerr);
			return TRUE;
		}
		if (req == USBDEVFS_CLAIMINTERFACE)
			s->st.claims++;
		else
			s->st.releases++;
		pthread_mutex_unlock(&s->lock);
		umockdev_ioctl_client_complete(c, 0, 0);
		return TRUE;
	}
	case USBDEVFS_SETINTERFACE:
	case USBDEVFS_SETCONFIGURATION:
	case USBDEVFS_CLEAR_HALT:
	case USBDEVFS_RESETEP:
	case USBDEVFS_RESET:
		umockdev_ioctl_client_complete(c, 0, 0);
		return TRUE;
	case USBDEVFS_GETDRIVER: {
		UMockdevIoctlData *d =
			umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_getdriver), NULL);
		struct usbdevfs_getdriver *g = (struct usbdevfs_getdriver *)d->data;
		pthread_mutex_lock(&s->lock);
		bool bound = s->st.driver_bound;
		pthread_mutex_unlock(&s->lock);
		if (bound)
			snprintf(g->driver, sizeof g->driver, "%s", s->driver);
		umockdev_ioctl_data_unref(d);
		umockdev_ioctl_client_complete(c, bound ? 0 : -1, bound ? 0 : ENODATA);
		return TRUE;
	}
	case USBDEVFS_DISCONNECT_CLAIM: {
		pthread_mutex_lock(&s->lock);
		if (s->claim_errno) {
			int cerr = s->claim_errno;
			pthread_mutex_unlock(&s->lock);
			umockdev_ioctl_client_complete(c, -1, cerr);
			return TRUE;
		}
		if (s->st.driver_bound) {
			s->st.driver_bound = false;
			s->st.detaches++;
		}
		s->st.claims++;
		pthread_mutex_unlock(&s->lock);
		umockdev_ioctl_client_complete(c, 0, 0);
		return TRUE;
	}
	case USBDEVFS_IOCTL: {
		UMockdevIoctlData *d =
			umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_ioctl), NULL);
		struct usbdevfs_ioctl *io = (struct usbdevfs_ioctl *)d->data;
		int code = io->ioctl_code;
		umockdev_ioctl_data_unref(d);
		int err = 0;
		pthread_mutex_lock(&s->lock);
		if (code == (int)USBDEVFS_DISCONNECT) {
			if (s->st.driver_bound) {
				s->st.driver_bound = false;
				s->st.detaches++;
			} else {
				err = ENODATA;
			}
		} else if (code == (int)USBDEVFS_CONNECT) {
			if (s->driver[0] && !s->st.driver_bound) {
				s->st.driver_bound = true;
				s->st.attaches++;
			}
		} else {
			err = ENOTTY;
		}
		pthread_mutex_unlock(&s->lock);
		umockdev_ioctl_client_complete(c, err ? -1 : 0, err);
		return TRUE;
	}
	default:
		umockdev_ioctl_client_complete(c, -1, ENOTTY);
		return TRUE;
	}
}

static usbsim *sim_alloc(const struct sim_usb_device *d);
static bool sim_add_record(usbsim *s);

usbsim *usbsim_new_scripted(const struct sim_usb_device *d, const char *ioctl_file)
{
	usbsim *s = sim_alloc(d);
	if (!s)
		return NULL;
	s->scripted = true;
	GError *err = NULL;
	if (ioctl_file && !umockdev_testbed_load_ioctl(testbed, s->devnode, ioctl_file, &err)) {
		fprintf(stderr, "usbsim: load_ioctl %s: %s\n", ioctl_file, err ? err->message : "?");
		g_clear_error(&err);
		s->scripted = false;
		usbsim_free(s);
		return NULL;
	}
	if (!sim_add_record(s)) {
		s->scripted = false;
		usbsim_free(s);
		return NULL;
	}
	return s;
}

static bool sim_add_record(usbsim *s)
{
	GError *err = NULL;
	char *rec = sim_usb_umockdev_record(&s->d);
	bool ok = rec && umockdev_testbed_add_from_string(testbed, rec, &err);
	free(rec);
	if (!ok) {
		fprintf(stderr, "usbsim: add device: %s\n", err ? err->message : "out of memory");
		g_clear_error(&err);
	}
	return ok;
}

usbsim *usbsim_new(const struct sim_usb_device *d)
{
	usbsim *s = sim_alloc(d);
	if (!s)
		return NULL;
	/* The handler first, so the device answers as soon as it appears. */
	s->handler = umockdev_ioctl_base_new();
	s->signal_id = g_signal_connect(s->handler, "handle-ioctl", G_CALLBACK(on_ioctl), s);
	GError *err = NULL;
	if (!umockdev_testbed_attach_ioctl(testbed, s->devnode, s->handler, &err)) {
		fprintf(stderr, "usbsim: attach_ioctl %s: %s\n", s->devnode,
			err ? err->message : "?");
		g_clear_error(&err);
		g_signal_handler_disconnect(s->handler, s->signal_id);
		g_object_unref(s->handler);
		s->handler = NULL;
		usbsim_free(s);
		return NULL;
	}
	if (!sim_add_record(s)) {
		umockdev_testbed_detach_ioctl(testbed, s->devnode, NULL);
		g_signal_handler_disconnect(s->handler, s->signal_id);
		g_object_unref(s->handler);
		s->handler = NULL;
		usbsim_free(s);
		return NULL;
	}
	return s;
}

static usbsim *sim_alloc(const struct sim_usb_device *d)
{
	if (!usbsim_available()) {
		fprintf(stderr, "usbsim: not running under umockdev-wrapper\n");
		return NULL;
	}
	if (d->n_eps > 16) {
		fprintf(stderr, "usbsim: at most 16 endpoints\n");
		return NULL;
	}
	usbsim *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	pthread_mutex_init(&s->lock, NULL);
	s->d = *d;
	memcpy(s->eps, d->eps, d->n_eps * sizeof d->eps[0]);
	s->d.eps = s->eps;
	if (d->serial) {
		snprintf(s->serial, sizeof s->serial, "%s", d->serial);
		s->d.serial = s->serial;
	}
	if (d->manufacturer) {
		snprintf(s->manufacturer, sizeof s->manufacturer, "%s", d->manufacturer);
		s->d.manufacturer = s->manufacturer;
	}
	if (d->product) {
		snprintf(s->product, sizeof s->product, "%s", d->product);
		s->d.product = s->product;
	}
	if (d->driver) {
		snprintf(s->driver, sizeof s->driver, "%s", d->driver);
		s->d.driver = s->driver;
		s->st.driver_bound = true;
	}

	pthread_mutex_lock(&global_lock);
	if (!testbed)
		testbed = umockdev_testbed_new();
	if (!s->d.devnum)
		s->d.devnum = next_devnum;
	if (s->d.devnum >= next_devnum)
		next_devnum = s->d.devnum + 1;
	n_sims++;
	pthread_mutex_unlock(&global_lock);

	sim_usb_devnode(&s->d, s->devnode, sizeof s->devnode);
	sim_usb_syspath(&s->d, s->syspath, sizeof s->syspath);
	if (s->d.serial)
		snprintf(s->uri, sizeof s->uri, "usb:%04x:%04x?serial=%s", d->vid, d->pid,
			 s->d.serial);
	else
		snprintf(s->uri, sizeof s->uri, "usb:%04x:%04x", d->vid, d->pid);

	return s;
}

const char *usbsim_uri(usbsim *s)
{
	return s->uri;
}

void usbsim_set_handler(usbsim *s, usbsim_out_fn fn, void *user)
{
	pthread_mutex_lock(&s->lock);
	s->fn = fn;
	s->user = user;
	pthread_mutex_unlock(&s->lock);
}

void usbsim_queue_in(usbsim *s, uint8_t ep, const void *data, size_t len)
{
	struct chunk *c = calloc(1, sizeof *c);
	c->ep = ep;
	c->len = len;
	c->data = malloc(len ? len : 1);
	if (len)
		memcpy(c->data, data, len);
	pthread_mutex_lock(&s->lock);
	struct chunk **pp = &s->chunks;
	while (*pp)
		pp = &(*pp)->next;
	*pp = c;
	match_locked(s);
	pthread_mutex_unlock(&s->lock);
}

void usbsim_stall(usbsim *s, uint8_t ep)
{
	pthread_mutex_lock(&s->lock);
	if (s->n_stall < (int)sizeof s->stall)
		s->stall[s->n_stall++] = ep;
	match_locked(s);
	pthread_mutex_unlock(&s->lock);
}

void usbsim_fail_claim(usbsim *s, int err)
{
	pthread_mutex_lock(&s->lock);
	s->claim_errno = err;
	pthread_mutex_unlock(&s->lock);
}

void usbsim_unplug(usbsim *s)
{
	pthread_mutex_lock(&s->lock);
	bool was = s->unplugged;
	s->unplugged = true;
	match_locked(s);
	pthread_mutex_unlock(&s->lock);
	if (was || (!s->handler && !s->scripted))
		return;
	/* The removal as udev (and so libusb's hotplug monitor) sees it, then
	 * the sysfs entry and node go. The open handle keeps answering ENODEV. */
	umockdev_testbed_uevent(testbed, s->syspath, "remove");
	umockdev_testbed_remove_device(testbed, s->syspath);
}

void usbsim_get_stats(usbsim *s, struct usbsim_stats *st)
{
	pthread_mutex_lock(&s->lock);
	*st = s->st;
	pthread_mutex_unlock(&s->lock);
}

void usbsim_free(usbsim *s)
{
	if (!s)
		return;
	if (s->scripted)
		usbsim_unplug(s);
	if (s->handler) {
		usbsim_unplug(s);
		umockdev_testbed_detach_ioctl(testbed, s->devnode, NULL);
		g_signal_handler_disconnect(s->handler, s->signal_id);
		g_object_unref(s->handler);
	}
	while (s->pending || s->done) {
		struct urb **l = s->pending ? &s->pending : &s->done;
		struct urb *u = *l;
		*l = u->next;
		umockdev_ioctl_data_unref(u->data);
		free(u);
	}
	while (s->chunks) {
		struct chunk *c = s->chunks;
		s->chunks = c->next;
		free(c->data);
		free(c);
	}
	pthread_mutex_destroy(&s->lock);
	free(s);
	pthread_mutex_lock(&global_lock);
	bool last = --n_sims == 0;
	UMockdevTestbed *tb = last ? testbed : NULL;
	if (last)
		testbed = NULL;
	pthread_mutex_unlock(&global_lock);
	if (tb)
		g_object_unref(tb);
}
