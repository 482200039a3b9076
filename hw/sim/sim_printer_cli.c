/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sim_printer_cli.c — the `kiosk-sim printer` program around the emulator. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sim.h"
#include "sim_printer.h"


static void usage(FILE *f)
{
	fprintf(f,
		"usage: kiosk-sim printer [--tcp PORT | --pty | --usb DIR | --replay FILE] [--out DIR] [options]\n"
		"An ESC/POS receipt printer. Prints its URI on the first line, then serves\n"
		"until interrupted; each cut writes DIR/receipt-NNNN.png and .txt.\n"
		"  --tcp PORT          listen on 127.0.0.1:PORT (0 = any; default 0)\n"
		"  --pty               serve on a pty (URI serial:/dev/pts/N)\n"
		"  --usb DIR           write a umockdev USB printer (0416:5011) answering one\n"
		"                      status query, for umockdev-run (see the hint on stderr)\n"
		"  --replay FILE       print the bytes of FILE (a recorded job; - = stdin), then\n"
		"                      exit: pages as with a link, replies discarded\n"
		"  --out DIR           where pages go (default: keep them in memory)\n"
		"  --width DOTS        printable width (576 = 80 mm, 384 = 58 mm)\n"
		"  --profile NAME      a name containing 58 selects 384 dots, else 576\n"
		"  --near-end          the near-end sensor is tripped\n"
		"  --paper-out         out of paper from the start\n"
		"  --paper-out-after N paper runs out after N processed bytes\n"
		"  --recover-after S   paper/cover recover S seconds after failing\n"
		"  --cover-open        the cover is open from the start\n"
		"  --offline           offline for another reason (DLE EOT 1 bit 3), stops\n"
		"  --slow BPS          the link carries at most BPS bytes per second\n"
		"  --no-status         never answer status requests\n"
		"  --gb2312-only       print GB18030 4-byte characters as a box\n"
		"  --ignore-clear      ignore DLE DC4 8 (clear buffers), as many clones do\n"
		"  --chinese-default   start in Chinese mode (FS &), as many Chinese printers do:\n"
		"                      bytes >= 0x81 are GB18030 until FS .\n"
		"Commands it does not act on are reported on stderr, never printed as text.\n");
}

/*
 * --usb DIR: writes a umockdev description of a USB printer-class device
 * (0416:5011, the generic-80mm profile's id; bulk OUT 0x01, IN 0x82) and an
 * ioctl script answering one real-time status query (DLE EOT 1, 2, 4), the
 * replies computed by this emulator with the fault switches given. A
 * scripted tree cannot compute replies to data it did not foresee (a whole
 * receipt): the in-process tests use the computed handler instead
 * (tests/common/usbsim + sim_printer_feed()).
 */
static int write_usb_dir(const struct sim_printer_config *cfg, const char *dir)
{
	static const struct sim_usb_ep eps[] = {{0x01, SIM_USB_BULK, 64}, {0x82, SIM_USB_BULK, 64}};
	struct sim_usb_device d = {.vid = 0x0416, .pid = 0x5011, .iface_class = 7,
				   .manufacturer = "kiosk-sim", .product = "kiosk-sim ESC/POS printer",
				   .serial = "PRN0001", .eps = eps, .n_eps = 2};
	static const uint8_t q[3][3] = {{0x10, 0x04, 1}, {0x10, 0x04, 2}, {0x10, 0x04, 4}};
	static uint8_t rep[3][8];
	struct sim_usb_exchange x[3];
	struct sim_printer *sp;
	struct sim_printer_config c = *cfg;
	c.out_dir = NULL;
	if (sim_printer_new(&c, &sp) < 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		size_t n = sim_printer_feed(sp, q[i], 3, rep[i], sizeof rep[i]);
		x[i] = (struct sim_usb_exchange){.out_ep = 0x01, .out = q[i], .out_len = 3,
						 .in_ep = 0x82, .in = rep[i], .in_len = n};
	}
	sim_printer_stop(sp);
	int r = sim_usb_write_dir(dir, &d, x, 3);
	if (r < 0) {
		fprintf(stderr, "kiosk-sim printer: cannot write %s: %s\n", dir, strerror(-r));
		return -1;
	}
	char node[64];
	printf("usb:0416:5011?serial=PRN0001\n");
	fprintf(stderr, "kiosk-sim printer: run a client with\n  umockdev-run -d %s/device.umockdev "
			"-i %s=%s/device.ioctl -- kioskctl printer status --device usb:0416:5011\n",
		dir, sim_usb_devnode(&d, node, sizeof node), dir);
	return 0;
}

/* --replay FILE: the bytes of a recorded job through the emulator, no link. */
static int replay_file(const struct sim_printer_config *cfg, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f) {
		fprintf(stderr, "kiosk-sim printer: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	struct sim_printer *sp;
	if (sim_printer_new(cfg, &sp) < 0) {
		fprintf(stderr, "kiosk-sim printer: out of memory\n");
		return 1;
	}
	uint8_t buf[65536], out[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sim_printer_feed(sp, buf, n, out, sizeof out);
	bool bad = ferror(f);
	if (f != stdin)
		fclose(f);
	/* what is still buffered (a fault switch may hold it) is printed or reported */
	sim_printer_feed(sp, NULL, 0, out, sizeof out);
	struct sim_printer_stats st;
	sim_printer_get_stats(sp, &st);
	int pages = sim_printer_pages(sp);
	sim_printer_stop(sp);
	printf("%d page(s) cut, %llu byte(s), %llu command(s) not understood or ignored%s\n", pages,
	       (unsigned long long)st.received, (unsigned long long)st.unknown,
	       st.unprocessed ? ", some bytes held by a fault" : "");
	if (bad) {
		fprintf(stderr, "kiosk-sim printer: read error on %s\n", path);
		return 1;
	}
	return 0;
}

int sim_printer_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"tcp", required_argument, 0, 't'},       {"pty", no_argument, 0, 'p'},
		{"usb", required_argument, 0, 'u'},       {"out", required_argument, 0, 'o'},
		{"width", required_argument, 0, 'w'},     {"profile", required_argument, 0, 'P'},
		{"near-end", no_argument, 0, 'n'},        {"paper-out", no_argument, 0, 'O'},
		{"paper-out-after", required_argument, 0, 'A'},
		{"recover-after", required_argument, 0, 'R'},
		{"cover-open", no_argument, 0, 'c'},      {"slow", required_argument, 0, 's'},
		{"no-status", no_argument, 0, 'S'},       {"gb2312-only", no_argument, 0, 'g'},
		{"offline", no_argument, 0, 'F'},       {"chinese-default", no_argument, 0, 'C'},
		{"replay", required_argument, 0, 'r'},   {"ignore-clear", no_argument, 0, 'I'},
		{"help", no_argument, 0, 'h'},            {0, 0, 0, 0}};
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	int tcp_port = -1;
	bool pty = false;
	const char *usb_dir = NULL, *replay = NULL;
	optind = 1;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't': tcp_port = atoi(optarg); break;
		case 'p': pty = true; break;
		case 'u': usb_dir = optarg; break;
		case 'r': replay = optarg; break;
		case 'o': cfg.out_dir = optarg; break;
		case 'w': cfg.width_dots = atoi(optarg); break;
		case 'P': cfg.width_dots = strstr(optarg, "58") ? 384 : 576; break;
		case 'n': cfg.near_end = true; break;
		case 'O': cfg.paper_out = true; break;
		case 'A': cfg.paper_out_after = atol(optarg); break;
		case 'R': cfg.recover_after_ms = (int)(atof(optarg) * 1000); break;
		case 'c': cfg.cover_open = true; break;
		case 'F': cfg.offline = true; break;
		case 's': cfg.slow_bps = atol(optarg); break;
		case 'S': cfg.no_status = true; break;
		case 'g': cfg.gb18030_2byte_only = true; break;
		case 'C': cfg.chinese_default = true; break;
		case 'I': cfg.ignore_clear = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (usb_dir)
		return write_usb_dir(&cfg, usb_dir) == 0 ? 0 : 1;
	if (cfg.width_dots < 64 || cfg.width_dots > 4096 || cfg.width_dots % 8) {
		fprintf(stderr, "kiosk-sim printer: --width must be a multiple of 8 in 64..4096\n");
		return 2;
	}
	if (replay)
		return replay_file(&cfg, replay);
	struct sim_printer *sp = NULL;
	char uri[160];
	int r;
	if (pty)
		r = sim_printer_start_pty(&cfg, &sp, uri, sizeof uri);
	else
		r = sim_printer_start_tcp_port(&cfg, tcp_port < 0 ? 0 : tcp_port, &sp, uri, sizeof uri);
	if (r < 0) {
		fprintf(stderr, "kiosk-sim printer: cannot start: %s\n", strerror(-r));
		return 1;
	}
	printf("%s\n", uri);
	fflush(stdout);
	while (!sim_stop)
		sim_sleep_ms(50);
	int pages = sim_printer_pages(sp);
	sim_printer_stop(sp);
	sim_log("printer: stopped after %d page(s)", pages);
	return 0;
}
