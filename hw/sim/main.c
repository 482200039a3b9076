/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kiosk-sim — emulated kiosk devices for tests, demos and vendors without hardware. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <kiosk/kiosk.h>
#include "sim.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} sims[] = {
	{"idcard", sim_idcard_main, "idcard [--pty|--usb DIR] [--card FILE] [faults…]  SAM_V ID-card reader"},
	{"printer", sim_printer_main, "printer [--tcp PORT|--pty|--usb DIR] --out DIR [faults…]  ESC/POS printer → PNG"},
	{"scanner", sim_scanner_main, "scanner [--pty] [--code TEXT…]                QR/barcode scanner"},
#ifdef KIOSK_SIM_FLEET
	{"fleet", sim_fleet_main, "fleet --kiosks N --broker URI --hall HALL      N terminals reporting over MQTT"},
#endif
};

static void on_signal(int sig)
{
	(void)sig;
	sim_stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: kiosk-sim [-v] DEVICE [OPTIONS…]\n"
		   "       kiosk-sim --version\n\n"
		   "Starts an emulated kiosk device on a real transport (pty, loopback TCP or a\n"
		   "umockdev USB description) and serves it until interrupted. It prints where\n"
		   "the device is, as a libkiosk URI, on its first line of output.\n\ndevices:\n");
	for (size_t i = 0; i < sizeof sims / sizeof sims[0]; i++)
		fprintf(f, "  %s\n", sims[i].summary);
	fprintf(f, "\nRun 'kiosk-sim DEVICE --help' for a device's options and fault switches.\n");
}

int main(int argc, char **argv)
{
	int i = 1;
	if (i < argc && !strcmp(argv[i], "-v")) {
		sim_verbose = 1;
		i++;
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[i], "--version")) {
		printf("kiosk-sim (libkiosk) %s\n", kiosk_version());
		return 0;
	}
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (size_t k = 0; k < sizeof sims / sizeof sims[0]; k++)
		if (!strcmp(argv[i], sims[k].name))
			return sims[k].run(argc - i, argv + i);
	fprintf(stderr, "kiosk-sim: unknown device '%s'\n", argv[i]);
	usage(stderr);
	return 2;
}
