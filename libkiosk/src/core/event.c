/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* event.c — device events and their payloads. */
#include <stdlib.h>
#include <string.h>
#include "core/internal.h"

static const char *type_names[] = {
	[KIOSK_EVENT_DEVICE_ARRIVED] = "device-arrived",
	[KIOSK_EVENT_DEVICE_LEFT] = "device-left",
	[KIOSK_EVENT_CARD_INSERTED] = "card-inserted",
	[KIOSK_EVENT_CARD_REMOVED] = "card-removed",
	[KIOSK_EVENT_PRINTER_STATUS] = "printer-status",
	[KIOSK_EVENT_SCAN] = "scan",
	[KIOSK_EVENT_TOUCH_DOWN] = "touch-down",
	[KIOSK_EVENT_TOUCH_MOTION] = "touch-motion",
	[KIOSK_EVENT_TOUCH_UP] = "touch-up",
	[KIOSK_EVENT_DEVICE_ERROR] = "device-error",
	[KIOSK_EVENT_DEVICE_STATE] = "device-state",
};

const char *kiosk_event_type_name(enum kiosk_event_type type)
{
	if ((unsigned)type < sizeof type_names / sizeof type_names[0] && type_names[type])
		return type_names[type];
	return "unknown";
}

kiosk_event *kioski_event_new(enum kiosk_event_type type, kiosk_device *dev, const char *uri)
{
	kiosk_event *ev = calloc(1, sizeof *ev);
	if (!ev)
		return NULL;
	ev->type = type;
	ev->dev = dev;
	if (!uri && dev)
		uri = kiosk_uri_to_string(dev->uri);
	ev->uri = strdup(uri ? uri : "");
	ev->time_ms = kioski_now_ms();
	if (!ev->uri) {
		free(ev);
		return NULL;
	}
	return ev;
}

void kioski_event_set_payload(kiosk_event *ev, void *payload, void (*free_fn)(void *))
{
	if (!ev)
		return;
	if (ev->payload && ev->payload_free)
		ev->payload_free(ev->payload);
	ev->payload = payload;
	ev->payload_free = free_fn;
}

int kioski_event_set_scan(kiosk_event *ev, const char *code, size_t len)
{
	char *copy = malloc(len + 1);
	if (!copy)
		return KIOSK_E_NO_MEMORY;
	memcpy(copy, code, len);
	copy[len] = '\0';
	if (ev->scan) {
		kioski_wipe(ev->scan, ev->scan_len);
		free(ev->scan);
	}
	ev->scan = copy;
	ev->scan_len = len;
	return KIOSK_OK;
}

void kioski_event_set_error(kiosk_event *ev, int err)
{
	if (ev)
		ev->error = err;
}

void kiosk_event_free(kiosk_event *ev)
{
	if (!ev)
		return;
	if (ev->payload && ev->payload_free)
		ev->payload_free(ev->payload);
	if (ev->scan) {
		kioski_wipe(ev->scan, ev->scan_len); /* a scanned code may be personal */
		free(ev->scan);
	}
	free(ev->uri);
	free(ev);
}

enum kiosk_event_type kiosk_event_get_type(const kiosk_event *ev)
{
	return ev ? ev->type : 0;
}

uint64_t kiosk_event_get_time_ms(const kiosk_event *ev)
{
	return ev ? ev->time_ms : 0;
}

kiosk_device *kiosk_event_get_device(const kiosk_event *ev)
{
	return ev ? ev->dev : NULL;
}

const char *kiosk_event_get_uri(const kiosk_event *ev)
{
	return ev && ev->uri ? ev->uri : "";
}

const struct kiosk_idcard *kiosk_event_get_idcard(const kiosk_event *ev)
{
	return ev && ev->type == KIOSK_EVENT_CARD_INSERTED ? ev->payload : NULL;
}

const struct kiosk_printer_status *kiosk_event_get_printer_status(const kiosk_event *ev)
{
	return ev && ev->type == KIOSK_EVENT_PRINTER_STATUS ? ev->payload : NULL;
}

const char *kiosk_event_get_scan(const kiosk_event *ev, size_t *len)
{
	if (!ev || ev->type != KIOSK_EVENT_SCAN || !ev->scan) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = ev->scan_len;
	return ev->scan;
}

const struct kiosk_touch_point *kiosk_event_get_touch(const kiosk_event *ev)
{
	if (!ev)
		return NULL;
	switch (ev->type) {
	case KIOSK_EVENT_TOUCH_DOWN:
	case KIOSK_EVENT_TOUCH_MOTION:
	case KIOSK_EVENT_TOUCH_UP:
		return ev->payload;
	default:
		return NULL;
	}
}

int kiosk_event_get_error(const kiosk_event *ev)
{
	return ev ? ev->error : KIOSK_OK;
}

enum kiosk_device_state kiosk_event_get_device_state(const kiosk_event *ev,
						     enum kiosk_device_state *previous)
{
	bool is = ev && ev->type == KIOSK_EVENT_DEVICE_STATE;
	if (previous)
		*previous = is ? ev->old_state : KIOSK_DEVICE_UNKNOWN;
	return is ? ev->state : KIOSK_DEVICE_UNKNOWN;
}
