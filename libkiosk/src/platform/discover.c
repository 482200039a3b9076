/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* discover.c — kiosk_context_discover(): attached devices the drivers know.
 * USB devices come from libusb enumeration (usb.h); USB-serial adapters
 * (ttyUSB*, ttyACM*) from sysfs, matched by their parent's VID:PID. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/internal.h"
#include "transport/usb.h"


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

static void on_usb(uint16_t vid, uint16_t pid, const char *serial, uint8_t bus, uint8_t addr,
		   void *user)
{
	char uri[448];
	kioski_usb_uri(vid, pid, serial, uri, sizeof uri);
	report(user, uri, vid, pid);
}

static bool read_hex_attr(const char *dir, const char *attr, uint16_t *out)
{
	char path[PATH_MAX], buf[16];
	int n = snprintf(path, sizeof path, "%s/%s", dir, attr);
	if (n < 0 || (size_t)n >= sizeof path)
		return false; /* a truncated path would name another file */
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool ok = fgets(buf, sizeof buf, f) != NULL;
	fclose(f);
	if (ok)
		*out = (uint16_t)strtoul(buf, NULL, 16);
	return ok;
}

static void discover_tty(struct discover_state *st)
{
	DIR *d = opendir("/sys/class/tty");
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "ttyUSB", 6) && strncmp(e->d_name, "ttyACM", 6))
			continue;
		char link[PATH_MAX], real[PATH_MAX];
		snprintf(link, sizeof link, "/sys/class/tty/%s/device", e->d_name);
		if (!realpath(link, real))
			continue;
		/* Walk up to the USB device (the directory holding idVendor). */
		for (int depth = 0; depth < 4; depth++) {
			uint16_t vid, pid;
			if (read_hex_attr(real, "idVendor", &vid) && read_hex_attr(real, "idProduct", &pid)) {
				char uri[PATH_MAX + 16];
				snprintf(uri, sizeof uri, "serial:/dev/%s", e->d_name);
				report(st, uri, vid, pid);
				break;
			}
			char *slash = strrchr(real, '/');
			if (!slash || slash == real)
				break;
			*slash = '\0';
		}
	}
	closedir(d);
}

int kiosk_context_discover(kiosk_context *ctx, kiosk_discover_fn fn, void *user)
{
	if (!ctx || !fn)
		return KIOSK_E_INVALID_ARG;
	struct discover_state st = {ctx, fn, user, 0};
	int r = kioski_usb_enumerate(ctx, on_usb, &st);
	if (r < 0)
		kioski_info(ctx, "core", "USB enumeration failed: %s", kiosk_strerror(r));
	discover_tty(&st);
	return st.found;
}
