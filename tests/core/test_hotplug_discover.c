/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kiosk_context_discover() and kiosk_context_watch_hotplug() with the real
 * libusb under umockdev: only devices a driver or profile knows are listed
 * and announced, with URIs the family open calls accept. */
#include "test.h"
#include "usbsim.h"

static const struct sim_usb_ep bulk_eps[] = {{0x81, SIM_USB_BULK, 64}, {0x02, SIM_USB_BULK, 64}};

struct seen {
	int n;
	char uris[8][128];
	enum kiosk_device_class cls[8];
};

static void on_found(const char *uri, enum kiosk_device_class cls, const char *driver_id,
		     const char *description, void *user)
{
	struct seen *s = user;
	fprintf(stderr, "found %s %s %s (%s)\n", kiosk_device_class_name(cls), uri, driver_id,
		description);
	if (s->n < 8) {
		snprintf(s->uris[s->n], sizeof s->uris[0], "%s", uri);
		s->cls[s->n] = cls;
	}
	s->n++;
}

/* Waits for one event of `type`; returns its URI in buf or "" on timeout. */
static void wait_event(kiosk_context *ctx, enum kiosk_event_type type, char *buf, size_t len,
		       int tries)
{
	buf[0] = '\0';
	for (int i = 0; i < tries && !buf[0]; i++) {
		kiosk_context_wait(ctx, 100);
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(ctx))) {
			if (kiosk_event_get_type(ev) == type && !buf[0]) {
				snprintf(buf, len, "%s", kiosk_event_get_uri(ev));
				CHECK(kiosk_event_get_device(ev) == NULL);
			}
			kiosk_event_free(ev);
		}
	}
}

int main(void)
{
	if (!usbsim_available())
		test_skip("needs umockdev (run under umockdev-wrapper)");
	/* A printer known by its profile (generic-80mm lists 0416:5011), an ID-card
	 * reader known by its profile (0400:c35a), and a stranger. */
	struct sim_usb_device printer = {.vid = 0x0416, .pid = 0x5011, .iface_class = 7,
					 .serial = "PRN1", .eps = bulk_eps, .n_eps = 2, .devnum = 2};
	struct sim_usb_device reader = {.vid = 0x0400, .pid = 0xc35a, .eps = bulk_eps, .n_eps = 2,
					.devnum = 3};
	struct sim_usb_device stranger = {.vid = 0x1d6b, .pid = 0x0002, .eps = bulk_eps,
					  .n_eps = 2, .devnum = 4};
	usbsim *p = usbsim_new(&printer), *r = usbsim_new(&reader), *s = usbsim_new(&stranger);
	CHECK(p && r && s);

	kiosk_context *ctx = test_context();
	struct seen seen = {0};
	int n = kiosk_context_discover(ctx, on_found, &seen);
	CHECK_EQ_INT(n, 2);
	bool have_printer = false, have_reader = false;
	for (int i = 0; i < seen.n && i < 8; i++) {
		if (!strcmp(seen.uris[i], "usb:0416:5011?serial=PRN1") && seen.cls[i] == KIOSK_CLASS_PRINTER)
			have_printer = true;
		if (!strcmp(seen.uris[i], "usb:0400:c35a") && seen.cls[i] == KIOSK_CLASS_IDCARD)
			have_reader = true;
		CHECK(strstr(seen.uris[i], "1d6b") == NULL);
	}
	CHECK(have_printer);
	CHECK(have_reader);
	CHECK_RC(kiosk_context_discover(ctx, NULL, NULL), KIOSK_E_INVALID_ARG);

	int h = kiosk_context_watch_hotplug(ctx, true);
	if (h == KIOSK_E_NOT_SUPPORTED) {
		fprintf(stderr, "note: libusb hotplug unavailable; hotplug part not run\n");
	} else {
		CHECK_RC(h, KIOSK_OK);
		CHECK_RC(kiosk_context_watch_hotplug(ctx, true), KIOSK_OK); /* idempotent */
		/* Drain the arrivals libusb reports for devices already present. */
		kiosk_context_wait(ctx, 300);
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(ctx)))
			kiosk_event_free(ev);

		struct sim_usb_device printer2 = printer;
		printer2.serial = "PRN2";
		printer2.devnum = 5;
		usbsim *p2 = usbsim_new(&printer2);
		char uri[128];
		wait_event(ctx, KIOSK_EVENT_DEVICE_ARRIVED, uri, sizeof uri, 100);
		CHECK_STR(uri, "usb:0416:5011?serial=PRN2");
		usbsim_unplug(p2);
		wait_event(ctx, KIOSK_EVENT_DEVICE_LEFT, uri, sizeof uri, 100);
		CHECK(strncmp(uri, "usb:0416:5011", 13) == 0);
		/* The stranger's departure is not announced. */
		usbsim_unplug(s);
		wait_event(ctx, KIOSK_EVENT_DEVICE_LEFT, uri, sizeof uri, 15);
		CHECK_STR(uri, "");
		CHECK_RC(kiosk_context_watch_hotplug(ctx, false), KIOSK_OK);
		usbsim_free(p2);
	}
	kiosk_context_free(ctx); /* also stops a watch left on */
	usbsim_free(p);
	usbsim_free(r);
	usbsim_free(s);
	return test_done("test_hotplug_discover");
}
