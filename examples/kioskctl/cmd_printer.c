/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_printer.c — kioskctl printer status: the printer's status now. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "kioskctl.h"

static void json_tri(const char *key, enum kiosk_tristate v, bool comma)
{
	printf("\"%s\":%s%s", key, v == KIOSK_YES ? "true" : v == KIOSK_NO ? "false" : "null",
	       comma ? "," : "");
}

static int usage_printer(FILE *f)
{
	fprintf(f, "usage: kioskctl printer status --device URI [--profile NAME] [--timeout SEC] [--json]\n"
		   "Asks the printer for its status (DLE EOT 1-4). A condition the printer\n"
		   "cannot sense is shown as unknown (JSON null). Exit 0 when it answered.\n");
	return f == stdout ? KIOSKCTL_EXIT_OK : KIOSKCTL_EXIT_USAGE;
}

int kioskctl_printer(int argc, char **argv)
{
	if (argc < 2)
		return kioskctl_usage("printer: which action? (status)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return usage_printer(stdout);
	if (strcmp(argv[1], "status"))
		return kioskctl_usage("printer: unknown action '%s' (status)", argv[1]);
	static const struct option opts[] = {{"device", required_argument, 0, 'd'},
					     {"profile", required_argument, 0, 'p'},
					     {"timeout", required_argument, 0, 't'},
					     {"json", no_argument, 0, 'j'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	const char *device = NULL, *profile = NULL;
	int timeout_ms = 3000, c;
	bool json = false;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "d:p:t:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': device = optarg; break;
		case 'p': profile = optarg; break;
		case 't':
			if ((timeout_ms = kioskctl_parse_seconds(optarg)) <= 0)
				return kioskctl_usage("printer status: --timeout needs seconds > 0");
			break;
		case 'j': json = true; break;
		case 'h': return usage_printer(stdout);
		default: return kioskctl_usage("printer status: unknown option '%s'", argv[optind]);
		}
	}
	if (!device)
		return kioskctl_usage("printer status: --device URI is required");
	if (optind != argc - 1)
		return kioskctl_usage("printer status: unexpected argument '%s'", argv[optind + 1]);

	kiosk_context *ctx = kioskctl_context();
	kiosk_printer *prn = NULL;
	int r = kiosk_printer_open(ctx, device, profile, &prn);
	if (r != KIOSK_OK) {
		int e = kioskctl_fail("printer status", "%s", kiosk_context_last_error(ctx));
		kiosk_context_free(ctx);
		return e;
	}
	kiosk_printer_set_status_poll(prn, 0);
	struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
	r = kiosk_printer_get_status(prn, timeout_ms, &st);
	if (json) {
		printf("{\"paper\":\"%s\",", kiosk_paper_state_name(st.paper));
		json_tri("cover_open", st.cover_open, true);
		json_tri("online", st.online, true);
		json_tri("paper_stop", st.paper_stop, true);
		json_tri("error", st.error, true);
		json_tri("cutter_error", st.cutter_error, true);
		json_tri("unrecoverable_error", st.unrecoverable_error, true);
		json_tri("recoverable_error", st.recoverable_error, true);
		printf("\"summary\":\"%s\",\"profile\":", kiosk_printer_status_summary(&st));
		kioskctl_json_string(kiosk_printer_get_profile_name(prn));
		printf(",\"raw\":[%u,%u,%u,%u]}\n", st.raw[0], st.raw[1], st.raw[2], st.raw[3]);
	} else {
		printf("status:        %s\n", kiosk_printer_status_summary(&st));
		printf("paper:         %s\n", kiosk_paper_state_name(st.paper));
		printf("cover open:    %s\n", kiosk_tristate_name(st.cover_open));
		printf("online:        %s\n", kiosk_tristate_name(st.online));
		printf("cutter error:  %s\n", kiosk_tristate_name(st.cutter_error));
		printf("unrecoverable: %s\n", kiosk_tristate_name(st.unrecoverable_error));
		printf("recoverable:   %s\n", kiosk_tristate_name(st.recoverable_error));
		printf("profile:       %s\n", kiosk_printer_get_profile_name(prn));
	}
	int e = KIOSKCTL_EXIT_OK;
	if (r != KIOSK_OK)
		e = kioskctl_fail("printer status", "%s",
				  kiosk_device_last_error(kiosk_printer_device(prn)));
	kiosk_printer_close(prn);
	kiosk_context_free(ctx);
	return e;
}
