/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.c — kioskd's command line and its config file (same keys:
 * "key = value" lines, # comments; the command line wins).
 */
#include "kioskd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: kioskd [--config FILE] --listen HOST:PORT [--idcard URI]\n"
	"              [--printer URI [--profile NAME]] [--scanner URI] [--origin ORIGIN]...\n"
	"              [--token-file FILE] [--tls-cert FILE --tls-key FILE] [-v]\n"
	"The local device service for web kiosk pages: a WebSocket at\n"
	"ws://HOST:PORT/kiosk/v1?token=TOKEN (wss with TLS). It listens on loopback only\n"
	"unless TLS is configured. See kioskd(8).\n"
	"  --listen HOST:PORT   address to listen on (PORT 0: any free port)\n"
	"  --idcard URI         ID-card reader (libkiosk device URI)\n"
	"  --printer URI        receipt printer; --profile NAME its printer profile\n"
	"  --scanner URI        QR/barcode scanner\n"
	"  --origin ORIGIN      a web origin allowed to connect (repeatable), e.g.\n"
	"                       http://127.0.0.1:8080; a page of any other origin gets 403\n"
	"  --token-file FILE    \"TOKEN RIGHTS\" lines (rights: devices,pii,admin); must not\n"
	"                       be readable by others. Without it, loopback clients need no\n"
	"                       token and have the right devices only.\n"
	"  --tls-cert FILE, --tls-key FILE   serve wss:// (PEM)\n"
	"  --config FILE        read the same keys from FILE (key = value)\n"
	"  -v, --verbose        more log (repeat for debug); personal data is never logged\n";

static int set(char **slot, const char *v)
{
	free(*slot);
	*slot = strdup(v);
	return *slot ? 0 : -1;
}

static int set_key(struct kd_config *cfg, const char *key, const char *v, const char *where)
{
	char k[32];
	snprintf(k, sizeof k, "%s", key);
	for (char *p = k; *p; p++)
		if (*p == '_')
			*p = '-';
	if (!strcmp(k, "listen")) return set(&cfg->listen, v);
	if (!strcmp(k, "idcard")) return set(&cfg->idcard, v);
	if (!strcmp(k, "printer")) return set(&cfg->printer, v);
	if (!strcmp(k, "profile")) return set(&cfg->profile, v);
	if (!strcmp(k, "scanner")) return set(&cfg->scanner, v);
	if (!strcmp(k, "token-file")) return set(&cfg->token_file, v);
	if (!strcmp(k, "tls-cert")) return set(&cfg->tls_cert, v);
	if (!strcmp(k, "tls-key")) return set(&cfg->tls_key, v);
	if (!strcmp(k, "origin")) {
		if (cfg->n_origins == KD_ORIGINS_MAX) {
			fprintf(stderr, "kioskd: %s: at most %d origins\n", where, KD_ORIGINS_MAX);
			return -2;
		}
		return set(&cfg->origins[cfg->n_origins++], v);
	}
	fprintf(stderr, "kioskd: %s: unknown key '%s'\n", where, key);
	return -2;
}

static int read_file(struct kd_config *cfg, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "kioskd: config %s: %s\n", path, strerror(errno));
		return -2;
	}
	char line[4096], where[512];
	int n = 0, r = 0;
	while (r == 0 && fgets(line, sizeof line, f)) {
		n++;
		snprintf(where, sizeof where, "config %s:%d", path, n);
		char *s = line + strspn(line, " \t");
		s[strcspn(s, "\r\n")] = '\0';
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			fprintf(stderr, "kioskd: %s: want key = value\n", where);
			r = -2;
			break;
		}
		char *ke = eq;
		while (ke > s && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		*ke = '\0';
		char *v = eq + 1 + strspn(eq + 1, " \t");
		char *ve = v + strlen(v);
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			*--ve = '\0';
		r = set_key(cfg, s, v, where);
	}
	fclose(f);
	return r;
}

int kd_config_parse(struct kd_config *cfg, int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, 0, 'c'}, {"listen", required_argument, 0, 'l'},
		{"idcard", required_argument, 0, 'i'}, {"printer", required_argument, 0, 'p'},
		{"profile", required_argument, 0, 'P'}, {"scanner", required_argument, 0, 's'},
		{"origin", required_argument, 0, 'o'}, {"token-file", required_argument, 0, 't'},
		{"tls-cert", required_argument, 0, 'C'}, {"tls-key", required_argument, 0, 'K'},
		{"verbose", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'},
		{"version", no_argument, 0, 'V'}, {0, 0, 0, 0},
	};
	memset(cfg, 0, sizeof *cfg);
	/* --config first, so that the command line overrides the file */
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			v = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			v = argv[i] + 9;
		else if (!strcmp(argv[i], "--"))
			break;
		if (v && read_file(cfg, v) < 0)
			return 2;
	}
	bool cli_origin = false;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		int r = 0;
		switch (c) {
		case 'c': break;
		case 'l': r = set(&cfg->listen, optarg); break;
		case 'i': r = set(&cfg->idcard, optarg); break;
		case 'p': r = set(&cfg->printer, optarg); break;
		case 'P': r = set(&cfg->profile, optarg); break;
		case 's': r = set(&cfg->scanner, optarg); break;
		case 't': r = set(&cfg->token_file, optarg); break;
		case 'C': r = set(&cfg->tls_cert, optarg); break;
		case 'K': r = set(&cfg->tls_key, optarg); break;
		case 'o':
			if (!cli_origin) { /* origins on the command line replace the file's */
				for (int k = 0; k < cfg->n_origins; k++)
					free(cfg->origins[k]);
				cfg->n_origins = 0;
				cli_origin = true;
			}
			r = set_key(cfg, "origin", optarg, "command line");
			break;
		case 'v': cfg->verbose++; break;
		case 'h': fputs(usage_text, stdout); return 1;
		case 'V': printf("kioskd %s\n", kiosk_version()); return 1;
		default:
			fprintf(stderr, "kioskd: unknown or incomplete option '%s' (see --help)\n",
				argv[optind - 1]);
			return 2;
		}
		if (r == -1) {
			fprintf(stderr, "kioskd: out of memory\n");
			return 2;
		}
		if (r < 0)
			return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "kioskd: unexpected argument '%s' (see --help)\n", argv[optind]);
		return 2;
	}
	if (!cfg->listen) {
		fprintf(stderr, "kioskd: --listen HOST:PORT is required (see --help)\n");
		return 2;
	}
	if (!cfg->tls_cert != !cfg->tls_key) {
		fprintf(stderr, "kioskd: --tls-cert and --tls-key go together\n");
		return 2;
	}
	if (cfg->profile && !cfg->printer) {
		fprintf(stderr, "kioskd: --profile needs --printer\n");
		return 2;
	}
	return 0;
}

void kd_config_free(struct kd_config *cfg)
{
	free(cfg->listen);
	free(cfg->idcard);
	free(cfg->printer);
	free(cfg->profile);
	free(cfg->scanner);
	free(cfg->token_file);
	free(cfg->tls_cert);
	free(cfg->tls_key);
	for (int i = 0; i < cfg->n_origins; i++)
		free(cfg->origins[i]);
	memset(cfg, 0, sizeof *cfg);
}
