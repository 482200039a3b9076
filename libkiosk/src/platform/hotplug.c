/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hotplug.c — kiosk_context_watch_hotplug(): USB arrive/leave as events,
 * for devices a driver or profile recognises. */
#include <stdio.h>
#include "core/internal.h"
#include "transport/usb.h"


static bool known(uint16_t vid, uint16_t pid)
{
	static const enum kiosk_device_class classes[] = {KIOSK_CLASS_IDCARD, KIOSK_CLASS_PRINTER,
							  KIOSK_CLASS_SCANNER, KIOSK_CLASS_TOUCH};
	for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
		if (kioski_driver_for_usb(classes[i], vid, pid))
			return true;
	return false;
}

/* Runs on the USB event thread: only queues. */
static void on_hotplug(bool arrived, uint16_t vid, uint16_t pid, const char *serial, void *user)
{
	kiosk_context *ctx = user;
	if (!known(vid, pid)) {
		kioski_dbg(ctx, "usb", "ignoring %04x:%04x (%s): no driver knows it", vid, pid,
			   arrived ? "arrived" : "left");
		return;
	}
	char uri[448];
	kioski_usb_uri(vid, pid, serial, uri, sizeof uri);
	kiosk_event *ev = kioski_event_new(arrived ? KIOSK_EVENT_DEVICE_ARRIVED : KIOSK_EVENT_DEVICE_LEFT,
					   NULL, uri);
	if (!ev)
		return;
	if (!arrived)
		kioski_event_set_error(ev, KIOSK_E_NO_DEVICE);
	kioski_info(ctx, "usb", "%s %s", uri, arrived ? "arrived" : "left");
	kioski_post_event(ctx, ev);
	if (arrived)
		kioski_devices_arrived(ctx, uri); /* lost links to it re-open now */
}

int kiosk_context_watch_hotplug(kiosk_context *ctx, bool enable)
{
	if (!ctx)
		return KIOSK_E_INVALID_ARG;
	if (!enable) {
		kioski_hotplug_stop(ctx);
		return KIOSK_OK;
	}
	if (ctx->hotplug_on)
		return KIOSK_OK;
	int r = kioski_usb_hotplug_start(ctx, on_hotplug, ctx);
	if (r < 0)
		return r;
	ctx->hotplug_on = true;
	return KIOSK_OK;
}

void kioski_hotplug_stop(kiosk_context *ctx)
{
	if (!ctx->hotplug_on)
		return;
	kioski_usb_hotplug_stop(ctx);
	ctx->hotplug_on = false;
}
