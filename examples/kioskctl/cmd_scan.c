/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd_scan.c — kioskctl scan --device URI [--timeout SEC] [--json]
 *
 * Waits for one whole scan and prints it (the raw code and a newline, or a
 * JSON object with --json). Exit 0 with a code; 1 with a one-line error on
 * timeout or device failure; 2 on a bad command line.
 */
#include <stdio.h>
#include <string.h>
#include "kioskctl.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: kioskctl scan --device URI [--timeout SEC] [--json]\n"
		   "  URI: serial:PATH[?baud=N&terminator=cr|lf|crlf|auto]\n"
		   "       evdev:/dev/input/eventN   (USB HID keyboard-wedge scanner; grabbed)\n"
		   "       usb:VVVV:PPPP             (found through sysfs and the scanner profiles)\n"
		   "  --timeout SEC   how long to wait for a scan (default 30)\n"
		   "  --json          print {\"code\": \"…\", \"length\": N}\n");
}

int kioskctl_scan(int argc, char **argv)
{
	const char *uri = NULL;
	int timeout_ms = 30000;
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return KIOSKCTL_EXIT_OK;
		} else if (!strcmp(argv[i], "--device") && i + 1 < argc) {
			uri = argv[++i];
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			timeout_ms = kioskctl_parse_seconds(argv[++i]);
			if (timeout_ms < 0)
				return kioskctl_usage("scan: --timeout needs a number of seconds, not '%s'",
						      argv[i]);
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else {
			return kioskctl_usage("scan: unexpected argument '%s'", argv[i]);
		}
	}
	if (!uri)
		return kioskctl_usage("scan: --device URI is required");

	kiosk_context *ctx = kioskctl_context();
	kiosk_scanner *sc = NULL;
	int r = kiosk_scanner_open(ctx, uri, &sc);
	if (r < 0) {
		int rc = kioskctl_fail("scan", "%s", kiosk_context_last_error(ctx));
		kiosk_context_free(ctx);
		return rc;
	}
	char *code = NULL;
	size_t len = 0;
	r = kiosk_scanner_read(sc, timeout_ms, &code, &len);
	int rc = KIOSKCTL_EXIT_OK;
	if (r == KIOSK_E_TIMEOUT) {
		rc = kioskctl_fail("scan", "no scan within %g s", timeout_ms / 1000.0);
	} else if (r < 0) {
		const char *msg = kiosk_device_last_error(kiosk_scanner_device(sc));
		rc = kioskctl_fail("scan", "%s", msg[0] ? msg : kiosk_strerror(r));
	} else if (json) {
		/* The code as text; bytes that are not UTF-8 pass through unchanged. */
		fputs("{\"code\": ", stdout);
		kioskctl_json_string(code);
		printf(", \"length\": %zu}\n", len);
	} else {
		fwrite(code, 1, len, stdout);
		putchar('\n');
	}
	kiosk_free(code);
	kiosk_scanner_close(sc);
	kiosk_context_free(ctx);
	if (fflush(stdout) != 0 && rc == KIOSKCTL_EXIT_OK)
		rc = KIOSKCTL_EXIT_FAIL;
	return rc;
}
