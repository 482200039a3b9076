/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* discover.c — kiosk_context_discover(): attached devices the drivers know,
 * from the platform layer (udev): USB devices by VID:PID, and USB serial
 * ports (ttyUSB*, ttyACM*) by the VID:PID of the adapter they belong to. */
#include <stdio.h>
#include "core/internal.h"
#include "platform/platform.h"


struct discover_state {
	kiosk_context *ctx;
	kiosk_discover_fn fn;
	void *user;
	int found;
};

static const enum kiosk_device_class classes[] = {KIOSK_CLASS_IDCARD, KIOSK_CLASS_PRINTER,
						  KIOSK_CLASS_SCANNER, KIOSK_CLASS_TOUCH};

/* Reports vid:pid under `uri` for every class a driver claims it for. */
static void report(struct discover_state *st, const char *uri, uint16_t vid, uint16_t pid)
{
	for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
		const struct kioski_driver *d = kioski_driver_for_usb(classes[i], vid, pid);
		if (!d)
			continue;
		char profile[128] = "", desc[256];
		const char *family = classes[i] == KIOSK_CLASS_TOUCH ? "touch"
								      : kiosk_device_class_name(classes[i]);
		kioski_profile_for_usb(st->ctx, family, vid, pid, profile, sizeof profile);
		snprintf(desc, sizeof desc, "%04x:%04x %s%s%s", vid, pid, d->full_name,
			 profile[0] ? ", profile " : "", profile);
		st->fn(uri, classes[i], d->id, desc, st->user);
		st->found++;
	}
}

static void on_node(const struct kioski_node *n, void *user)
{
	char uri[448];
	if (n->kind == KIOSKI_NODE_USB)
		kioski_usb_uri(n->vid, n->pid, n->serial, uri, sizeof uri);
	else if (n->kind == KIOSKI_NODE_TTY && n->devnode[0] && (n->vid || n->pid))
		snprintf(uri, sizeof uri, "serial:%s", n->devnode);
	else
		return;
	report(user, uri, n->vid, n->pid);
}

int kiosk_context_discover(kiosk_context *ctx, kiosk_discover_fn fn, void *user)
{
	if (!ctx || !fn)
		return KIOSK_E_INVALID_ARG;
	struct discover_state st = {ctx, fn, user, 0};
	int r = kioski_platform_enumerate(ctx, KIOSKI_NODE_USB | KIOSKI_NODE_TTY, on_node, &st);
	if (r < 0)
		return r;
	return st.found;
}
