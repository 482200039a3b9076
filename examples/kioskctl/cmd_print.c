/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_print.c — kioskctl print: print a receipt document and wait until the
 * printer has taken it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kioskctl.h"

static const char *cause(int r)
{
	switch (r) {
	case KIOSK_E_PAPER_OUT: return "paper out";
	case KIOSK_E_COVER_OPEN: return "cover open";
	case KIOSK_E_OFFLINE: return "printer offline";
	case KIOSK_E_CUTTER: return "cutter error";
	case KIOSK_E_TIMEOUT: return "timeout";
	case KIOSK_E_CLOSED: return "connection closed by the printer";
	case KIOSK_E_NO_DEVICE: return "printer not found or unplugged";
	case KIOSK_E_CANCELLED: return "cancelled";
	case KIOSK_E_BAD_DOCUMENT: return "bad document";
	default: return kiosk_strerror(r);
	}
}

static int usage_print(FILE *f)
{
	fprintf(f, "usage: kioskctl print --device URI [--profile NAME] [--wait-paper SEC]\n"
		   "                      [--timeout SEC] RECEIPT.json\n"
		   "Prints a receipt document and waits until the printer has taken all of it.\n"
		   "  --device URI       tcp:HOST:9100, serial:/dev/ttyUSB0?baud=115200,\n"
		   "                     usb:VVVV:PPPP, file:/dev/usb/lp0\n"
		   "  --profile NAME     printer profile (default: the document's \"profile\",\n"
		   "                     the USB id's profile, or generic-80mm)\n"
		   "  --wait-paper SEC   how long to wait for paper / a closed cover (default 10)\n"
		   "  --timeout SEC      overall limit (default: 60 plus the paper wait)\n"
		   "Exit 0 only when the job completed; otherwise one line naming the cause.\n");
	return f == stdout ? KIOSKCTL_EXIT_OK : KIOSKCTL_EXIT_USAGE;
}

int kioskctl_print(int argc, char **argv)
{
	static const struct option opts[] = {{"device", required_argument, 0, 'd'},
					     {"profile", required_argument, 0, 'p'},
					     {"wait-paper", required_argument, 0, 'w'},
					     {"timeout", required_argument, 0, 't'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	const char *device = NULL, *profile = NULL;
	int wait_ms = 10000, timeout_ms = -1, c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "d:p:w:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': device = optarg; break;
		case 'p': profile = optarg; break;
		case 'w':
			if ((wait_ms = kioskctl_parse_seconds(optarg)) < 0)
				return kioskctl_usage("print: --wait-paper needs seconds, got '%s'", optarg);
			break;
		case 't':
			if ((timeout_ms = kioskctl_parse_seconds(optarg)) <= 0)
				return kioskctl_usage("print: --timeout needs seconds > 0, got '%s'", optarg);
			break;
		case 'h': return usage_print(stdout);
		default: return kioskctl_usage("print: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (!device)
		return kioskctl_usage("print: --device URI is required");
	if (optind != argc - 1)
		return kioskctl_usage("print: give exactly one RECEIPT.json");
	const char *path = argv[optind];
	if (timeout_ms < 0)
		timeout_ms = 60000 + wait_ms;

	kiosk_context *ctx = kioskctl_context();
	kiosk_receipt *rc = NULL;
	char err[256] = "";
	int r = kiosk_receipt_from_json_file(path, &rc, err, sizeof err);
	if (r != KIOSK_OK) {
		kiosk_context_free(ctx);
		return kioskctl_fail("print", "bad document: %s: %s", path,
				     err[0] ? err : kiosk_strerror(r));
	}
	if (!profile)
		profile = kiosk_receipt_get_profile(rc);
	kiosk_printer *prn = NULL;
	r = kiosk_printer_open(ctx, device, profile, &prn);
	if (r != KIOSK_OK) {
		int e = kioskctl_fail("print", "%s: %s", cause(r), kiosk_context_last_error(ctx));
		kiosk_receipt_free(rc);
		kiosk_context_free(ctx);
		return e;
	}
	kiosk_printer_set_status_poll(prn, 0);
	kiosk_printer_set_paper_wait(prn, wait_ms);
	kiosk_job *job = NULL;
	r = kiosk_printer_submit(prn, rc, NULL, NULL, &job);
	int rc_exit = KIOSKCTL_EXIT_OK;
	if (r != KIOSK_OK) {
		rc_exit = kioskctl_fail("print", "%s: %s", cause(r),
					kiosk_device_last_error(kiosk_printer_device(prn)));
	} else {
		r = kiosk_job_wait(job, timeout_ms);
		if (r == KIOSK_E_TIMEOUT && kiosk_job_get_state(job) != KIOSK_JOB_DONE) {
			kiosk_job_cancel(job);
			kiosk_job_wait(job, 10000);
			rc_exit = kioskctl_fail("print", "timeout: the job did not complete within %.1f s",
						timeout_ms / 1000.0);
		} else if (r != KIOSK_OK) {
			rc_exit = kioskctl_fail("print", "%s: %s", cause(r), kiosk_job_get_message(job));
		} else {
			printf("job %llu: %s\n", (unsigned long long)kiosk_job_get_id(job),
			       kiosk_job_get_message(job));
		}
		kiosk_job_unref(job);
	}
	kiosk_printer_close(prn);
	kiosk_receipt_free(rc);
	kiosk_context_free(ctx);
	return rc_exit;
}
