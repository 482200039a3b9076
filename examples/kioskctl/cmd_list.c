/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_list.c — kioskctl list: attached devices the drivers know, one per line. */
#include <stdio.h>
#include <string.h>
#include "kioskctl.h"

static void print_device(const char *uri, enum kiosk_device_class cls, const char *driver_id,
			 const char *description, void *user)
{
	(void)user;
	printf("%-8s %-36s %-8s %s\n", kiosk_device_class_name(cls), uri, driver_id, description);
}

int kioskctl_list(int argc, char **argv)
{
	bool drivers = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--drivers"))
			drivers = true;
		else if (!strcmp(argv[i], "--help")) {
			printf("usage: kioskctl list [--drivers]\n"
			       "  Lists attached devices a driver recognises: class, URI, driver, model.\n"
			       "  --drivers  list the drivers compiled into libkiosk instead.\n");
			return KIOSKCTL_EXIT_OK;
		} else
			return kioskctl_usage("list: unknown option '%s'", argv[i]);
	}
	if (drivers) {
		for (size_t i = 0; i < kiosk_driver_count(); i++) {
			const char *id, *name;
			enum kiosk_device_class cls;
			kiosk_driver_info(i, &id, &name, &cls);
			printf("%-8s %-10s %s\n", kiosk_device_class_name(cls), id, name);
		}
		return KIOSKCTL_EXIT_OK;
	}
	kiosk_context *ctx = kioskctl_context();
	int n = kiosk_context_discover(ctx, print_device, NULL);
	int rc = KIOSKCTL_EXIT_OK;
	if (n < 0)
		rc = kioskctl_fail("list", "%s", kiosk_context_last_error(ctx));
	else if (n == 0)
		fprintf(stderr, "kioskctl: list: no known devices attached\n");
	kiosk_context_free(ctx);
	return rc;
}
