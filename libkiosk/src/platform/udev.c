/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * udev.c — the platform layer on libudev (platform.h): enumeration, node
 * lookup and arrive/leave watching of USB devices, USB serial ports, input
 * nodes and USB printer (usblp) nodes. Every call uses its own struct udev (libudev objects are not
 * shared between threads).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <libudev.h>
#include "platform/platform.h"

#define COMP "platform"

/* A node with its strings kept (a leaving node is reported from this). */
struct node_rec {
	struct kioski_node n;
	char syspath[256], devnode[128], serial[128], id_path[160], subsystem[12];
	struct node_rec *next;
};

static uint16_t hex_attr(struct udev_device *d, const char *attr)
{
	const char *v = d ? udev_device_get_sysattr_value(d, attr) : NULL;
	return v ? (uint16_t)strtoul(v, NULL, 16) : 0;
}

static int int_attr(struct udev_device *d, const char *attr)
{
	const char *v = d ? udev_device_get_sysattr_value(d, attr) : NULL;
	return v ? atoi(v) : 0;
}

static const char *prop(struct udev_device *d, const char *key)
{
	const char *v = d ? udev_device_get_property_value(d, key) : NULL;
	return v ? v : "";
}

static void copy_trim(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
	dst[strcspn(dst, "\r\n")] = 0;
}

/* The kind of a udev device, or 0 for one we do not watch. */
static enum kioski_node_kind kind_of(struct udev_device *d)
{
	const char *ss = udev_device_get_subsystem(d), *name = udev_device_get_sysname(d);
	if (!ss || !name)
		return 0;
	if (!strcmp(ss, "usb")) {
		const char *t = udev_device_get_devtype(d);
		return t && !strcmp(t, "usb_device") ? KIOSKI_NODE_USB : 0;
	}
	if (!strcmp(ss, "tty"))
		return !strncmp(name, "ttyUSB", 6) || !strncmp(name, "ttyACM", 6) ? KIOSKI_NODE_TTY : 0;
	if (!strcmp(ss, "input"))
		return !strncmp(name, "event", 5) ? KIOSKI_NODE_INPUT : 0;
	if (!strcmp(ss, "usbmisc"))
		return !strncmp(name, "lp", 2) ? KIOSKI_NODE_LP : 0;
	return 0;
}

/* Fills a record from a present device. false for a kind we do not watch. */
static bool describe(struct udev_device *d, struct node_rec *r)
{
	memset(r, 0, sizeof *r);
	enum kioski_node_kind k = kind_of(d);
	if (!k)
		return false;
	struct udev_device *usb =
		k == KIOSKI_NODE_USB ? d : udev_device_get_parent_with_subsystem_devtype(d, "usb", "usb_device");
	r->n.kind = k;
	snprintf(r->subsystem, sizeof r->subsystem, "%s", udev_device_get_subsystem(d));
	copy_trim(r->syspath, sizeof r->syspath, udev_device_get_syspath(d));
	copy_trim(r->devnode, sizeof r->devnode, udev_device_get_devnode(d));
	if (usb) {
		r->n.vid = hex_attr(usb, "idVendor");
		r->n.pid = hex_attr(usb, "idProduct");
		r->n.busnum = int_attr(usb, "busnum");
		r->n.devnum = int_attr(usb, "devnum");
		const char *sn = udev_device_get_sysattr_value(usb, "serial");
		copy_trim(r->serial, sizeof r->serial, sn ? sn : prop(usb, "ID_SERIAL_SHORT"));
	}
	const char *ip = prop(d, "ID_PATH");
	copy_trim(r->id_path, sizeof r->id_path, ip[0] || !usb ? ip : prop(usb, "ID_PATH"));
	if (k == KIOSKI_NODE_INPUT) {
		r->n.keyboard = !strcmp(prop(d, "ID_INPUT_KEYBOARD"), "1") ||
				!strcmp(prop(d, "ID_INPUT_KEY"), "1");
		r->n.touchscreen = !strcmp(prop(d, "ID_INPUT_TOUCHSCREEN"), "1");
	}
	return true;
}

static void point(struct node_rec *r)
{
	r->n.subsystem = r->subsystem;
	r->n.syspath = r->syspath;
	r->n.devnode = r->devnode;
	r->n.serial = r->serial;
	r->n.id_path = r->id_path;
}

static bool wanted(unsigned kinds, const struct kioski_node *n)
{
	return (kinds & n->kind) != 0;
}

/* Every walk of sysfs in this process (enumerations, and describing a
 * node a watch reports) happens under this lock, and nothing else does:
 * callbacks run after it is released. Hotplug events and look-ups are rare,
 * so it costs nothing; it keeps umockdev's preload library — the tests'
 * sysfs, which translates paths in one static buffer — from being entered
 * by two threads at once (a data race under TSan, a flaky test_replug). */
static pthread_mutex_t sysfs_lock = PTHREAD_MUTEX_INITIALIZER;

/* Calls fn for every present node of `kinds`; returns the count or an error. */
static int each_node(struct udev *u, unsigned kinds, void (*fn)(struct node_rec *r, void *user),
		     void *user)
{
	struct udev_enumerate *e = udev_enumerate_new(u);
	if (!e)
		return KIOSK_E_NO_MEMORY;
	if (kinds & KIOSKI_NODE_USB)
		udev_enumerate_add_match_subsystem(e, "usb");
	if (kinds & KIOSKI_NODE_TTY)
		udev_enumerate_add_match_subsystem(e, "tty");
	if (kinds & KIOSKI_NODE_INPUT)
		udev_enumerate_add_match_subsystem(e, "input");
	if (kinds & KIOSKI_NODE_LP)
		udev_enumerate_add_match_subsystem(e, "usbmisc");
	pthread_mutex_lock(&sysfs_lock);
	udev_enumerate_scan_devices(e);
	pthread_mutex_unlock(&sysfs_lock);
	int count = 0;
	struct udev_list_entry *it;
	udev_list_entry_foreach(it, udev_enumerate_get_list_entry(e))
	{
		pthread_mutex_lock(&sysfs_lock);
		struct udev_device *d = udev_device_new_from_syspath(u, udev_list_entry_get_name(it));
		struct node_rec r;
		bool ok = d && describe(d, &r) && wanted(kinds, &r.n);
		if (d)
			udev_device_unref(d);
		pthread_mutex_unlock(&sysfs_lock);
		if (ok) {
			point(&r);
			fn(&r, user);
			count++;
		}
	}
	udev_enumerate_unref(e);
	return count;
}

struct enum_ctx {
	kioski_node_fn fn;
	void *user;
};

static void enum_cb(struct node_rec *r, void *user)
{
	struct enum_ctx *c = user;
	c->fn(&r->n, c->user);
}

int kioski_platform_enumerate(kiosk_context *ctx, unsigned kinds, kioski_node_fn fn, void *user)
{
	if (!fn)
		return KIOSK_E_INVALID_ARG;
	struct udev *u = udev_new();
	if (!u)
		return kioski_context_fail(ctx, KIOSK_E_NOT_SUPPORTED, "udev is not available");
	struct enum_ctx c = {fn, user};
	int n = each_node(u, kinds, enum_cb, &c);
	udev_unref(u);
	return n;
}

/* ---- lookup ---------------------------------------------------------------- */

struct find_ctx {
	const struct kioski_node_match *m;
	char best[128];
};

/* "event3" < "event10": compares the trailing numbers of same-prefix names. */
static bool name_before(const char *a, const char *b)
{
	return strverscmp(a, b) < 0;
}

static void find_cb(struct node_rec *r, void *user)
{
	struct find_ctx *c = user;
	const struct kioski_node_match *m = c->m;
	if (!r->devnode[0])
		return;
	if ((m->vid || m->pid) && (r->n.vid != m->vid || r->n.pid != m->pid))
		return;
	if (m->serial && m->serial[0] && strcmp(m->serial, r->serial))
		return;
	if (m->id_path && m->id_path[0] && strcmp(m->id_path, r->id_path))
		return;
	if (m->keyboard && r->n.kind == KIOSKI_NODE_INPUT && !r->n.keyboard)
		return;
	if (!c->best[0] || name_before(r->devnode, c->best))
		snprintf(c->best, sizeof c->best, "%s", r->devnode);
}

int kioski_platform_find(kiosk_context *ctx, const struct kioski_node_match *m, char *out,
			 size_t out_len)
{
	struct udev *u = udev_new();
	if (!u)
		return kioski_context_fail(ctx, KIOSK_E_NOT_SUPPORTED, "udev is not available");
	struct find_ctx c = {.m = m};
	each_node(u, m->kinds ? m->kinds : KIOSKI_NODE_ALL, find_cb, &c);
	udev_unref(u);
	if (!c.best[0])
		return KIOSK_E_NOT_FOUND;
	snprintf(out, out_len, "%s", c.best);
	return KIOSK_OK;
}

struct serial_ctx {
	int bus, dev;
	char *out;
	size_t len;
	bool found;
};

static void serial_cb(struct node_rec *r, void *user)
{
	struct serial_ctx *c = user;
	if (!c->found && r->n.busnum == c->bus && r->n.devnum == c->dev) {
		snprintf(c->out, c->len, "%s", r->serial);
		c->found = r->serial[0] != 0;
	}
}

bool kioski_platform_usb_serial(int busnum, int devnum, char *out, size_t out_len)
{
	out[0] = 0;
	struct udev *u = udev_new();
	if (!u)
		return false;
	struct serial_ctx c = {busnum, devnum, out, out_len, false};
	each_node(u, KIOSKI_NODE_USB, serial_cb, &c);
	udev_unref(u);
	return c.found;
}

/* ---- watching ------------------------------------------------------------- */

struct kioski_platform_watch {
	kiosk_context *ctx;
	unsigned kinds;
	kioski_node_change_fn fn;
	void *user;
	struct udev *u;
	struct udev_monitor *mon;
	int stop_fd;
	pthread_t thread;
	struct node_rec *known; /* present nodes (watch thread only after start) */
};

static void remember(struct kioski_platform_watch *w, const struct node_rec *r)
{
	for (struct node_rec *k = w->known; k; k = k->next)
		if (!strcmp(k->syspath, r->syspath)) {
			struct node_rec *next = k->next;
			*k = *r;
			k->next = next;
			point(k);
			return;
		}
	struct node_rec *k = malloc(sizeof *k);
	if (!k)
		return;
	*k = *r;
	point(k);
	k->next = w->known;
	w->known = k;
}

/* Takes the record of a known node out of the list (caller frees). */
static struct node_rec *forget(struct kioski_platform_watch *w, const char *syspath)
{
	for (struct node_rec **p = &w->known; *p; p = &(*p)->next)
		if (!strcmp((*p)->syspath, syspath)) {
			struct node_rec *k = *p;
			*p = k->next;
			return k;
		}
	return NULL;
}

static void remember_cb(struct node_rec *r, void *user)
{
	remember(user, r);
}

static void handle(struct kioski_platform_watch *w, struct udev_device *d)
{
	const char *action = udev_device_get_action(d), *syspath = udev_device_get_syspath(d);
	if (!action || !syspath)
		return;
	if (!strcmp(action, "add") || !strcmp(action, "change") || !strcmp(action, "bind")) {
		struct node_rec r;
		pthread_mutex_lock(&sysfs_lock);
		bool ok = describe(d, &r);
		pthread_mutex_unlock(&sysfs_lock);
		if (!ok || !wanted(w->kinds, &r.n))
			return;
		point(&r);
		bool had = false;
		for (struct node_rec *k = w->known; k; k = k->next)
			had |= !strcmp(k->syspath, r.syspath);
		remember(w, &r);
		if (!had) {
			kioski_dbg(w->ctx, COMP, "%s %s arrived (%04x:%04x%s%s)", r.subsystem,
				   r.devnode[0] ? r.devnode : r.syspath, r.n.vid, r.n.pid,
				   r.id_path[0] ? ", " : "", r.id_path);
			w->fn(true, &r.n, w->user);
		}
	} else if (!strcmp(action, "remove")) {
		struct node_rec *k = forget(w, syspath);
		if (!k)
			return; /* not one of ours, or never seen */
		point(k);
		kioski_dbg(w->ctx, COMP, "%s %s left", k->subsystem, k->devnode[0] ? k->devnode : k->syspath);
		w->fn(false, &k->n, w->user);
		free(k);
	}
}

static void *watch_thread(void *arg)
{
	struct kioski_platform_watch *w = arg;
	struct pollfd p[2] = {{udev_monitor_get_fd(w->mon), POLLIN, 0}, {w->stop_fd, POLLIN, 0}};
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			kioski_warn(w->ctx, COMP, "hotplug watch stops: poll: %s", strerror(errno));
			break;
		}
		if (p[1].revents)
			break;
		if (p[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
			kioski_warn(w->ctx, COMP, "hotplug watch stops: the udev monitor closed");
			break;
		}
		struct udev_device *d;
		for (;;) {
			pthread_mutex_lock(&sysfs_lock);
			d = udev_monitor_receive_device(w->mon);
			pthread_mutex_unlock(&sysfs_lock);
			if (!d)
				break;
			handle(w, d);
			udev_device_unref(d);
		}
	}
	return NULL;
}

static void watch_free(struct kioski_platform_watch *w)
{
	while (w->known) {
		struct node_rec *k = w->known;
		w->known = k->next;
		free(k);
	}
	if (w->mon)
		udev_monitor_unref(w->mon);
	if (w->u)
		udev_unref(w->u);
	if (w->stop_fd >= 0)
		close(w->stop_fd);
	free(w);
}

int kioski_platform_watch_start(kiosk_context *ctx, unsigned kinds, kioski_node_change_fn fn,
				void *user, struct kioski_platform_watch **out)
{
	*out = NULL;
	if (!fn || !kinds)
		return KIOSK_E_INVALID_ARG;
	struct kioski_platform_watch *w = calloc(1, sizeof *w);
	if (!w)
		return KIOSK_E_NO_MEMORY;
	w->ctx = ctx;
	w->kinds = kinds;
	w->fn = fn;
	w->user = user;
	w->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	w->u = udev_new();
	w->mon = w->u ? udev_monitor_new_from_netlink(w->u, "udev") : NULL;
	if (w->stop_fd < 0 || !w->mon) {
		watch_free(w);
		return kioski_context_fail(ctx, KIOSK_E_NOT_SUPPORTED, "no udev monitor: hotplug unavailable");
	}
	if (kinds & KIOSKI_NODE_USB)
		udev_monitor_filter_add_match_subsystem_devtype(w->mon, "usb", "usb_device");
	if (kinds & KIOSKI_NODE_TTY)
		udev_monitor_filter_add_match_subsystem_devtype(w->mon, "tty", NULL);
	if (kinds & KIOSKI_NODE_INPUT)
		udev_monitor_filter_add_match_subsystem_devtype(w->mon, "input", NULL);
	if (kinds & KIOSKI_NODE_LP)
		udev_monitor_filter_add_match_subsystem_devtype(w->mon, "usbmisc", NULL);
	if (udev_monitor_enable_receiving(w->mon) < 0) {
		watch_free(w);
		return kioski_context_fail(ctx, KIOSK_E_NOT_SUPPORTED,
					   "cannot listen to udev: hotplug unavailable");
	}
	/* Nodes present now, so that their removal can be described. */
	each_node(w->u, kinds, remember_cb, w);
	if (pthread_create(&w->thread, NULL, watch_thread, w)) {
		watch_free(w);
		return KIOSK_E_NO_MEMORY;
	}
	*out = w;
	return KIOSK_OK;
}

void kioski_platform_watch_stop(struct kioski_platform_watch *w)
{
	if (!w)
		return;
	uint64_t one = 1;
	if (write(w->stop_fd, &one, sizeof one) < 0) {
		/* an eventfd write only fails on overflow: the thread is woken anyway */
	}
	pthread_join(w->thread, NULL);
	watch_free(w);
}
