/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmd_receipt.c — kioskctl receipt: preview a receipt document without a
 * printer (PNG), dump its ESC/POS bytes, list the printer profiles. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kioskctl.h"

static int usage_receipt(FILE *f)
{
	fprintf(f, "usage: kioskctl receipt render RECEIPT.json [--profile NAME] -o OUT.png\n"
		   "       kioskctl receipt escpos RECEIPT.json [--profile NAME] -o OUT.bin\n"
		   "       kioskctl receipt check RECEIPT.json\n"
		   "       kioskctl receipt profiles\n"
		   "render   draws the receipt as the printer with that profile would print it\n"
		   "         (same layout as the printed receipt), one pixel per printer dot\n"
		   "escpos   writes the ESC/POS bytes a printer would receive ('-o -' = stdout)\n"
		   "check    parses the document and reports the first error with its JSON path\n"
		   "profiles lists the built-in printer profiles\n"
		   "  --profile NAME   printer profile (default: the document's \"profile\", else\n"
		   "                   generic-80mm); KIOSK_PROFILE_DIR adds profile files\n"
		   "Exit 0 on success; otherwise one line naming the problem.\n");
	return f == stdout ? KIOSKCTL_EXIT_OK : KIOSKCTL_EXIT_USAGE;
}

static void print_profile(const char *name, const char *description, void *user)
{
	printf("%-24s %s\n", name, description);
}

static int write_out(const char *path, const uint8_t *data, size_t len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
	if (!f)
		return kioskctl_fail("receipt", "cannot write '%s'", path);
	bool ok = fwrite(data, 1, len, f) == len;
	ok &= f == stdout ? fflush(f) == 0 : fclose(f) == 0;
	return ok ? KIOSKCTL_EXIT_OK : kioskctl_fail("receipt", "cannot write '%s'", path);
}

int kioskctl_receipt(int argc, char **argv)
{
	static const struct option opts[] = {{"profile", required_argument, 0, 'p'},
					     {"output", required_argument, 0, 'o'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	if (argc < 2)
		return usage_receipt(stderr);
	const char *sub = argv[1];
	if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help"))
		return usage_receipt(stdout);
	if (strcmp(sub, "render") && strcmp(sub, "escpos") && strcmp(sub, "check") && strcmp(sub, "profiles"))
		return kioskctl_usage("receipt: unknown subcommand '%s'", sub);
	const char *profile = NULL, *output = NULL, *input = NULL;
	int c;
	optind = 1;
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "p:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': profile = optarg; break;
		case 'o': output = optarg; break;
		case 'h': return usage_receipt(stdout);
		default: return usage_receipt(stderr);
		}
	}
	if (!strcmp(sub, "profiles")) {
		if (optind < argc)
			return kioskctl_usage("receipt profiles: takes no arguments");
		return kiosk_receipt_profiles(print_profile, NULL) > 0 ? KIOSKCTL_EXIT_OK :
			kioskctl_fail("receipt", "no printer profiles built in");
	}
	if (optind + 1 != argc)
		return kioskctl_usage("receipt %s: give exactly one RECEIPT.json", sub);
	input = argv[optind];
	if (strcmp(sub, "check") && !output)
		return kioskctl_usage("receipt %s: -o OUT is required", sub);

	kiosk_receipt *r = NULL;
	char err[256];
	int rc = kiosk_receipt_from_json_file(input, &r, err, sizeof err);
	if (rc)
		return kioskctl_fail("receipt", "%s: %s", input, err[0] ? err : kiosk_strerror(rc));
	if (!strcmp(sub, "check")) {
		printf("%s: ok, %zu items\n", input, kiosk_receipt_item_count(r));
		kiosk_receipt_free(r);
		return KIOSKCTL_EXIT_OK;
	}
	kiosk_context *ctx = kioskctl_context();
	int exit_code;
	if (!strcmp(sub, "render")) {
		rc = kiosk_receipt_render_png_file(ctx, r, profile, output);
		exit_code = rc ? kioskctl_fail("receipt", "%s", kiosk_context_last_error(ctx)) : KIOSKCTL_EXIT_OK;
	} else {
		uint8_t *data = NULL;
		size_t len = 0, subst = 0;
		rc = kiosk_receipt_render_escpos(ctx, r, profile, &data, &len, &subst);
		if (rc) {
			exit_code = kioskctl_fail("receipt", "%s", kiosk_context_last_error(ctx));
		} else {
			exit_code = write_out(output, data, len);
			if (subst)
				fprintf(stderr, "kioskctl: receipt: %zu characters the printer cannot print were substituted (KIOSK_DEBUG=warn lists them)\n",
					subst);
		}
		kiosk_free(data);
	}
	kiosk_receipt_free(r);
	kiosk_context_free(ctx);
	return exit_code;
}
