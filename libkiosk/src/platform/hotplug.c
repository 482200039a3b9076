/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hotplug.c — kiosk_context_watch_hotplug(): nodes arriving and leaving,
 * from the platform layer's udev watch, as DEVICE_ARRIVED / DEVICE_LEFT
 * events with a URI the family open calls take:
 *   usb:VVVV:PPPP[?serial=S]   a USB device a driver or profile knows;
 *   serial:/dev/ttyUSBn        a USB serial port (ttyUSB*, ttyACM*): the
 *                              adapter's ids say nothing of what is behind it;
 *   evdev:/dev/input/eventN    a keyboard (HID scanner) or touchscreen node;
 *   file:/dev/usb/lpN          a USB printer-class port (usblp). */
#include <stdio.h>
#include "core/internal.h"
#include "platform/platform.h"


static bool known(uint16_t vid, uint16_t pid)
{
	static const enum kiosk_device_class classes[] = {KIOSK_CLASS_IDCARD, KIOSK_CLASS_PRINTER,
							  KIOSK_CLASS_SCANNER, KIOSK_CLASS_TOUCH};
	for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
		if (kioski_driver_for_usb(classes[i], vid, pid))
			return true;
	return false;
}

/* Runs on the watch thread: only queues. */
static void on_change(bool arrived, const struct kioski_node *n, void *user)
{
	kiosk_context *ctx = user;
	char uri[448];
	switch (n->kind) {
	case KIOSKI_NODE_USB:
		if (!known(n->vid, n->pid)) {
			kioski_dbg(ctx, "hotplug", "ignoring usb %04x:%04x (%s): no driver knows it",
				   n->vid, n->pid, arrived ? "arrived" : "left");
			return;
		}
		kioski_usb_uri(n->vid, n->pid, n->serial, uri, sizeof uri);
		break;
	case KIOSKI_NODE_TTY:
		if (!n->devnode[0])
			return;
		snprintf(uri, sizeof uri, "serial:%s", n->devnode);
		break;
	case KIOSKI_NODE_INPUT:
		if (!n->devnode[0] || !(n->keyboard || n->touchscreen))
			return;
		snprintf(uri, sizeof uri, "evdev:%s", n->devnode);
		break;
	case KIOSKI_NODE_LP:
		if (!n->devnode[0])
			return;
		snprintf(uri, sizeof uri, "file:%s", n->devnode);
		break;
	default:
		return;
	}
	kiosk_event *ev = kioski_event_new(arrived ? KIOSK_EVENT_DEVICE_ARRIVED : KIOSK_EVENT_DEVICE_LEFT,
					   NULL, uri);
	if (!ev)
		return;
	if (!arrived)
		kioski_event_set_error(ev, KIOSK_E_NO_DEVICE);
	kioski_info(ctx, "hotplug", "%s %s", uri, arrived ? "arrived" : "left");
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
	if (ctx->hotplug)
		return KIOSK_OK;
	return kioski_platform_watch_start(ctx, KIOSKI_NODE_ALL, on_change, ctx, &ctx->hotplug);
}

void kioski_hotplug_stop(kiosk_context *ctx)
{
	kioski_platform_watch_stop(ctx->hotplug);
	ctx->hotplug = NULL;
}
