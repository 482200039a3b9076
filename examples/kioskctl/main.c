/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kioskctl — the vendor's command-line tool for libkiosk devices. */
#include <stdio.h>
#include <string.h>
#include "kioskctl.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"idcard", kioskctl_idcard, "idcard read|watch --device URI …   read ID cards"},
	{"print", kioskctl_print, "print --device URI [--profile NAME] RECEIPT.json"},
	{"printer", kioskctl_printer, "printer status --device URI [--json]"},
	{"receipt", kioskctl_receipt, "receipt render RECEIPT.json --profile NAME -o out.png"},
	{"scan", kioskctl_scan, "scan --device URI [--timeout SEC]   print one scanned code"},
	{"touch", kioskctl_touch, "touch calibrate|show …              touchscreen calibration"},
	{"list", kioskctl_list, "list                                attached devices the drivers know"},
	{"fleet", kioskctl_fleet, "fleet status --broker mqtt://HOST:PORT [--hall HALL] [--json]"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: kioskctl COMMAND [ARGS…]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %s\n", commands[i].summary);
	fprintf(f, "\nDevice URIs: serial:PATH[?baud=N]  usb:VVVV:PPPP[?serial=S]  tcp:HOST:PORT  file:PATH\n"
		   "Set KIOSK_DEBUG=debug for a protocol trace (personal data stays masked).\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return KIOSKCTL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return KIOSKCTL_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("kioskctl (libkiosk) %s\n", kiosk_version());
		return KIOSKCTL_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "kioskctl: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return KIOSKCTL_EXIT_USAGE;
}
