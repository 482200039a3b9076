/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * usb_hotplug.c — USB discovery and arrive/leave watching for the core
 * (usb.h): kioski_usb_enumerate() and kioski_usb_hotplug_start/stop().
 *
 * libusb calls hotplug callbacks from whichever thread handles its events
 * (ours, or a transport waiting for a transfer), where blocking is not
 * allowed: the callback only queues; the watch thread then reads the serial
 * and calls the core's function.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include "transport/usb.h"

void kioski_usb_uri(uint16_t vid, uint16_t pid, const char *serial, char *out, size_t out_len)
{
	char esc[3 * 128 + 1]; /* a 127-byte serial, every byte escaped */
	kioski_uri_escape_value(serial, esc, sizeof esc);
	if (serial && *serial)
		snprintf(out, out_len, "usb:%04x:%04x?serial=%s", vid, pid, esc);
	else
		snprintf(out, out_len, "usb:%04x:%04x", vid, pid);
}

int kioski_usb_enumerate(kiosk_context *ctx,
			 void (*fn)(uint16_t vid, uint16_t pid, const char *serial, uint8_t bus,
				    uint8_t addr, void *user),
			 void *user)
{
	if (!ctx || !fn)
		return KIOSK_E_INVALID_ARG;
	int err;
	libusb_context *u = kioski_usb_ctx_ref(ctx, &err);
	if (!u)
		return err;
	libusb_device **list = NULL;
	ssize_t n = libusb_get_device_list(u, &list);
	if (n < 0) {
		kioski_usb_ctx_unref(ctx);
		return kioski_context_fail(ctx, kioski_usb_error((int)n),
					   "usb: cannot list devices: %s", libusb_strerror((int)n));
	}
	int count = 0;
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor dd;
		if (libusb_get_device_descriptor(list[i], &dd) < 0)
			continue;
		if (dd.bDeviceClass == LIBUSB_CLASS_HUB)
			continue;
		char serial[128] = "";
		if (dd.iSerialNumber && !kioski_usb_serial(list[i], NULL, serial, sizeof serial)) {
			/* No sysfs: ask the device, if we may open it. */
			libusb_device_handle *h;
			if (libusb_open(list[i], &h) == 0) {
				kioski_usb_serial(list[i], h, serial, sizeof serial);
				libusb_close(h);
			}
		}
		fn(dd.idVendor, dd.idProduct, serial, libusb_get_bus_number(list[i]),
		   libusb_get_device_address(list[i]), user);
		count++;
	}
	libusb_free_device_list(list, 1);
	kioski_usb_ctx_unref(ctx);
	return count;
}

/* ---- hotplug ------------------------------------------------------------------ */

struct hp_event {
	bool arrived;
	libusb_device *dev; /* referenced */
	uint16_t vid, pid;
	struct hp_event *next;
};

struct hp_known {
	uint8_t bus, addr;
	char serial[128];
	struct hp_known *next;
};

struct hp_watch {
	kiosk_context *ctx;
	libusb_context *u;
	libusb_hotplug_callback_handle cb;
	void (*fn)(bool arrived, uint16_t vid, uint16_t pid, const char *serial, void *user);
	void *user;
	pthread_t thread;
	pthread_mutex_t lock; /* guards queue */
	struct hp_event *queue, **tail;
	struct hp_known *known; /* serials seen on arrival (watch thread only) */
	atomic_bool stop; /* set by kioski_usb_hotplug_stop(), read by the thread */
	struct hp_watch *next;
};

static pthread_mutex_t hp_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hp_watch *hp_watches;

static int LIBUSB_CALL hp_callback(libusb_context *u, libusb_device *dev,
				   libusb_hotplug_event event, void *user)
{
	struct hp_watch *w = user;
	struct libusb_device_descriptor dd;
	struct hp_event *ev = calloc(1, sizeof *ev);
	if (!ev)
		return 0;
	ev->arrived = event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED;
	ev->dev = libusb_ref_device(dev);
	if (libusb_get_device_descriptor(dev, &dd) == 0) {
		ev->vid = dd.idVendor;
		ev->pid = dd.idProduct;
	}
	pthread_mutex_lock(&w->lock);
	*w->tail = ev;
	w->tail = &ev->next;
	pthread_mutex_unlock(&w->lock);
	return 0; /* stay registered */
}

static void hp_deliver(struct hp_watch *w, struct hp_event *ev)
{
	uint8_t bus = libusb_get_bus_number(ev->dev), addr = libusb_get_device_address(ev->dev);
	char serial[128] = "";
	if (ev->arrived) {
		if (!kioski_usb_serial(ev->dev, NULL, serial, sizeof serial)) {
			libusb_device_handle *h;
			if (libusb_open(ev->dev, &h) == 0) {
				kioski_usb_serial(ev->dev, h, serial, sizeof serial);
				libusb_close(h);
			}
		}
		struct hp_known *k = calloc(1, sizeof *k);
		if (k) {
			k->bus = bus;
			k->addr = addr;
			snprintf(k->serial, sizeof k->serial, "%s", serial);
			k->next = w->known;
			w->known = k;
		}
	} else {
		for (struct hp_known **pp = &w->known; *pp; pp = &(*pp)->next) {
			struct hp_known *k = *pp;
			if (k->bus == bus && k->addr == addr) {
				snprintf(serial, sizeof serial, "%s", k->serial);
				*pp = k->next;
				free(k);
				break;
			}
		}
	}
	kioski_dbg(w->ctx, "usb", "hotplug: %04x:%04x %s (bus %u address %u)", ev->vid, ev->pid,
		   ev->arrived ? "arrived" : "left", bus, addr);
	w->fn(ev->arrived, ev->vid, ev->pid, serial, w->user);
}

static void hp_drain(struct hp_watch *w, bool deliver)
{
	for (;;) {
		pthread_mutex_lock(&w->lock);
		struct hp_event *ev = w->queue;
		if (ev) {
			w->queue = ev->next;
			if (!w->queue)
				w->tail = &w->queue;
	atomic_init(&w->stop, false);
		}
		pthread_mutex_unlock(&w->lock);
		if (!ev)
			return;
		if (deliver)
			hp_deliver(w, ev);
		libusb_unref_device(ev->dev);
		free(ev);
	}
}

static void *hp_thread(void *arg)
{
	struct hp_watch *w = arg;
	while (!atomic_load(&w->stop)) {
		struct timeval tv = {0, 200 * 1000};
		int completed = 0;
		libusb_handle_events_timeout_completed(w->u, &tv, &completed);
		hp_drain(w, !atomic_load(&w->stop));
	}
	return NULL;
}

int kioski_usb_hotplug_start(kiosk_context *ctx,
			     void (*fn)(bool arrived, uint16_t vid, uint16_t pid, const char *serial,
					void *user),
			     void *user)
{
	if (!ctx || !fn)
		return KIOSK_E_INVALID_ARG;
	if (!libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG))
		return kioski_context_fail(ctx, KIOSK_E_NOT_SUPPORTED,
					   "usb: this libusb cannot watch for hotplug");
	pthread_mutex_lock(&hp_lock);
	for (struct hp_watch *w = hp_watches; w; w = w->next)
		if (w->ctx == ctx) {
			pthread_mutex_unlock(&hp_lock);
			return kioski_context_fail(ctx, KIOSK_E_BUSY,
						   "usb: hotplug is already being watched");
		}
	struct hp_watch *w = calloc(1, sizeof *w);
	if (!w) {
		pthread_mutex_unlock(&hp_lock);
		return kioski_context_fail(ctx, KIOSK_E_NO_MEMORY, "usb: out of memory");
	}
	int err;
	w->u = kioski_usb_ctx_ref(ctx, &err);
	if (!w->u) {
		free(w);
		pthread_mutex_unlock(&hp_lock);
		return err;
	}
	w->ctx = ctx;
	w->fn = fn;
	w->user = user;
	w->tail = &w->queue;
	atomic_init(&w->stop, false);
	pthread_mutex_init(&w->lock, NULL);
	int r = libusb_hotplug_register_callback(
		w->u, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
		LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
		hp_callback, w, &w->cb);
	if (r == 0 && pthread_create(&w->thread, NULL, hp_thread, w) != 0) {
		libusb_hotplug_deregister_callback(w->u, w->cb);
		r = LIBUSB_ERROR_NO_MEM;
	}
	if (r != 0) {
		kioski_usb_ctx_unref(ctx);
		pthread_mutex_destroy(&w->lock);
		free(w);
		pthread_mutex_unlock(&hp_lock);
		return kioski_context_fail(ctx, kioski_usb_error(r),
					   "usb: cannot watch for hotplug: %s", libusb_strerror(r));
	}
	w->next = hp_watches;
	hp_watches = w;
	pthread_mutex_unlock(&hp_lock);
	kioski_dbg(ctx, "usb", "hotplug watch started");
	return KIOSK_OK;
}

void kioski_usb_hotplug_stop(kiosk_context *ctx)
{
	pthread_mutex_lock(&hp_lock);
	struct hp_watch *w = NULL;
	for (struct hp_watch **pp = &hp_watches; *pp; pp = &(*pp)->next)
		if ((*pp)->ctx == ctx) {
			w = *pp;
			*pp = w->next;
			break;
		}
	pthread_mutex_unlock(&hp_lock);
	if (!w)
		return;
	libusb_hotplug_deregister_callback(w->u, w->cb);
	atomic_store(&w->stop, true);
	libusb_interrupt_event_handler(w->u);
	pthread_join(w->thread, NULL);
	hp_drain(w, false);
	while (w->known) {
		struct hp_known *k = w->known;
		w->known = k->next;
		free(k);
	}
	pthread_mutex_destroy(&w->lock);
	kioski_usb_ctx_unref(ctx);
	free(w);
	kioski_dbg(ctx, "usb", "hotplug watch stopped");
}
