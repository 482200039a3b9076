/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A program a vendor would write against the installed libkiosk-dev: built by
 * test_debian.sh with pkg-config and with find_package(libkiosk) (shared and
 * static). Prints the library version; exits non-zero on any failure. */
#include <kiosk/kiosk.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	kiosk_context *ctx;
	if (kiosk_context_new(&ctx) != KIOSK_OK)
		return 1;
	kiosk_uri *u = NULL;
	int r = kiosk_uri_parse("usb:0400:c35a", &u, NULL, 0);
	if (r != KIOSK_OK || strcmp(kiosk_uri_to_string(u), "usb:0400:c35a") != 0) {
		fprintf(stderr, "consumer: URI round trip failed\n");
		return 1;
	}
	kiosk_uri_free(u);
	size_t drivers = kiosk_driver_count();
	printf("libkiosk %s, %zu drivers\n", kiosk_version(), drivers);
	kiosk_context_free(ctx);
	/* argv[1]: the version the package claims */
	return drivers > 0 && (argc < 2 || !strcmp(argv[1], kiosk_version())) ? 0 : 1;
}
