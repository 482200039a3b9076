/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd_idcard.c — kioskctl idcard read|watch|sam.
 *
 *   kioskctl idcard read --device URI [--timeout SEC] [--json] [--photo FILE]
 *                        [--fingerprint] [--address] [--masked]
 *   kioskctl idcard watch --device URI [--interval MS] [--json]
 *   kioskctl idcard sam --device URI
 *
 * read prints the card on stdout only when the whole read succeeded; any
 * failure prints one line on stderr and exits 1 with stdout left empty.
 * The human listing shows the values in full (the operator asked to read
 * this card); --masked masks name, numbers and address for demos. watch
 * lines are masked unless --json is given.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "kioskctl.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void help(FILE *f)
{
	fprintf(f,
		"usage: kioskctl idcard read --device URI [--timeout SEC] [--json] [--photo FILE]\n"
		"                            [--fingerprint] [--address] [--masked]\n"
		"       kioskctl idcard watch --device URI [--interval MS] [--json]\n"
		"       kioskctl idcard sam --device URI\n\n"
		"read   waits up to --timeout seconds (default 10) for a card and prints it;\n"
		"       --json prints the ID-card JSON (docs/contracts.md), --photo writes the raw WLT\n"
		"       photo bytes to FILE (mode 0600, never through a symbolic link;\n"
		"       decoding needs a vendor library).\n"
		"watch  prints one line per card inserted/removed until interrupted.\n"
		"sam    prints the reader's SAM status and id.\n"
		"URI: serial:/dev/ttyUSB0[?baud=115200] or usb:0400:c35a[?profile=NAME]\n");
}

static const char *dev_error(kiosk_idcard_reader *rdr, int r)
{
	const char *m = rdr ? kiosk_device_last_error(kiosk_idcard_device(rdr)) : "";
	return m && m[0] ? m : kiosk_strerror(r);
}

/* A new context with the reader open, or an exit code (nothing left open). */
static int open_reader(const char *uri, kiosk_context **ctx, kiosk_idcard_reader **rdr)
{
	*ctx = kioskctl_context();
	int r = kiosk_idcard_open(*ctx, uri, rdr);
	if (r < 0) {
		int rc = kioskctl_fail("idcard", "cannot open %s: %s (%s)", uri,
				       kiosk_context_last_error(*ctx), kiosk_error_name(r));
		kiosk_context_free(*ctx);
		*ctx = NULL;
		return rc;
	}
	return 0;
}

static void close_reader(kiosk_context *ctx, kiosk_idcard_reader *rdr)
{
	kiosk_idcard_close(rdr);
	kiosk_context_free(ctx);
}

/* Appends "label: value\n" to a buffer (kept until the read fully succeeded). */
struct text {
	char buf[8192];
	size_t len;
};

static void line(struct text *t, const char *label, const char *value)
{
	if (!value)
		return;
	int n = snprintf(t->buf + t->len, sizeof t->buf - t->len, "%-14s %s\n", label, value);
	if (n > 0 && (size_t)n < sizeof t->buf - t->len)
		t->len += (size_t)n;
}

static void listing(const kiosk_idcard *c, bool masked, struct text *t)
{
	char mn[128], mi[64], me[256], mp[64], ma[32], mx[32];
	const char *name = kiosk_idcard_get_name(c), *en = kiosk_idcard_get_english_name(c);
	const char *id = kiosk_idcard_get_id_number(c), *pass = kiosk_idcard_get_pass_number(c);
	const char *addr = kiosk_idcard_get_address(c), *extra = kiosk_idcard_get_extra_address(c);
	if (masked) {
		kiosk_idcard_masked_name(c, mn, sizeof mn);
		kiosk_idcard_masked_id_number(c, mi, sizeof mi);
		name = name ? mn : NULL;
		/* one policy for every field: kiosk/privacy.h */
		en = en ? kiosk_mask_name(en, me, sizeof me) : NULL;
		id = id ? mi : NULL;
		pass = pass ? kiosk_mask_id_number(pass, mp, sizeof mp) : NULL;
		addr = addr ? kiosk_mask_address(addr, ma, sizeof ma) : NULL;
		extra = extra ? kiosk_mask_address(extra, mx, sizeof mx) : NULL;
	}
	char valid[32] = "";
	int v = kiosk_idcard_get_id_number_valid(c);
	snprintf(valid, sizeof valid, "%s", v > 0 ? "valid" : v == 0 ? "INVALID" : "not checkable");
	char sex[64] = "", nation[64] = "";
	if (kiosk_idcard_get_sex_code(c))
		snprintf(sex, sizeof sex, "%s (%s)", kiosk_idcard_get_sex(c) ? kiosk_idcard_get_sex(c) : "?",
			 kiosk_idcard_get_sex_code(c));
	if (kiosk_idcard_get_nation_code(c))
		snprintf(nation, sizeof nation, "%s (%s)",
			 kiosk_idcard_get_nation(c) ? kiosk_idcard_get_nation(c) : "?",
			 kiosk_idcard_get_nation_code(c));
	line(t, "card type", kiosk_idcard_type_name(kiosk_idcard_get_type(c)));
	line(t, "name", name);
	line(t, "english name", en);
	line(t, "sex", sex[0] ? sex : NULL);
	line(t, "nation", nation[0] ? nation : NULL);
	line(t, "nationality", kiosk_idcard_get_nationality(c));
	line(t, "birth date", kiosk_idcard_get_birth_date(c));
	line(t, "address", addr);
	line(t, "extra address", extra);
	line(t, "id number", id);
	line(t, "check digit", id ? valid : NULL);
	line(t, "issuer", kiosk_idcard_get_issuer(c));
	line(t, "valid from", kiosk_idcard_get_valid_from(c));
	line(t, "valid until", kiosk_idcard_get_valid_until(c));
	line(t, "pass number", pass);
	line(t, "issue count", kiosk_idcard_get_issue_count(c));
	line(t, "renewal count", kiosk_idcard_get_renewal_count(c));
	line(t, "card version", kiosk_idcard_get_card_version(c));
	line(t, "authority", kiosk_idcard_get_authority_code(c));
	size_t pl = 0, fl = 0;
	kiosk_idcard_get_photo_wlt(c, &pl);
	kiosk_idcard_get_fingerprint(c, &fl);
	char b[64];
	snprintf(b, sizeof b, "%zu bytes WLT", pl);
	line(t, "photo", pl ? b : NULL);
	snprintf(b, sizeof b, "%zu bytes", fl);
	line(t, "fingerprint", fl ? b : NULL);
}

/* Writes the photo to a fresh 0600 file in the same folder, then renames it
 * over path: a symbolic link at path is refused (never followed), an existing
 * regular file is replaced (hard links to it keep the old bytes). */
static int write_photo(const kiosk_idcard *card, const char *path)
{
	size_t len = 0;
	const uint8_t *p = kiosk_idcard_get_photo_wlt(card, &len);
	if (!p || !len)
		return kioskctl_fail("idcard read", "the card has no photo");
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			return kioskctl_fail("idcard read",
					     "%s is a symbolic link: not followed (give the real path)", path);
		if (!S_ISREG(st.st_mode))
			return kioskctl_fail("idcard read", "%s exists and is not a regular file", path);
	}
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp)
		return kioskctl_fail("idcard read", "%s: path too long", path);
	int fd = mkostemp(tmp, O_CLOEXEC); /* O_CREAT|O_EXCL, 0600 */
	if (fd < 0)
		return kioskctl_fail("idcard read", "cannot write %s: %m", path);
	ssize_t n = write(fd, p, len);
	bool ok = n == (ssize_t)len && fsync(fd) == 0;
	if (close(fd) < 0 || !ok || rename(tmp, path) < 0) {
		unlink(tmp);
		return kioskctl_fail("idcard read", "cannot write %s: %m", path);
	}
	return 0;
}

static int cmd_read(const char *uri, int timeout_ms, bool json, const char *photo, unsigned flags,
		    bool masked)
{
	kiosk_context *ctx;
	kiosk_idcard_reader *rdr = NULL;
	int rc = open_reader(uri, &ctx, &rdr);
	if (rc)
		return rc;
	kiosk_idcard *card = NULL;
	int r = kiosk_idcard_read(rdr, timeout_ms, flags, &card);
	if (r < 0) {
		rc = kioskctl_fail("idcard read", "%s (%s)", dev_error(rdr, r), kiosk_error_name(r));
		goto out;
	}
	char *text = NULL;
	struct text *t = NULL;
	if (json) {
		r = kiosk_idcard_to_json(card, KIOSK_IDCARD_JSON_PRETTY |
						       (masked ? KIOSK_IDCARD_JSON_MASKED : 0),
					 &text);
		if (r < 0) {
			rc = kioskctl_fail("idcard read", "%s", kiosk_strerror(r));
			goto out;
		}
	} else {
		t = calloc(1, sizeof *t);
		if (!t) {
			rc = kioskctl_fail("idcard read", "out of memory");
			goto out;
		}
		listing(card, masked, t);
	}
	if (photo && (rc = write_photo(card, photo)) != 0) {
		if (text) {
			kiosk_free(text); /* wipes it */
		}
		if (t) {
			explicit_bzero(t, sizeof *t);
			free(t);
		}
		goto out;
	}
	if (text) {
		printf("%s\n", text);
		kiosk_free(text); /* wipes it */
	} else {
		fwrite(t->buf, 1, t->len, stdout);
		explicit_bzero(t, sizeof *t);
		free(t);
	}
	fflush(stdout);
	rc = KIOSKCTL_EXIT_OK;
out:
	kiosk_idcard_free(card);
	close_reader(ctx, rdr);
	return rc;
}

static int cmd_watch(const char *uri, int interval_ms, bool json)
{
	kiosk_context *ctx;
	kiosk_idcard_reader *rdr = NULL;
	int rc = open_reader(uri, &ctx, &rdr);
	if (rc)
		return rc;
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	int r = kiosk_idcard_watch(rdr, interval_ms, true);
	if (r < 0) {
		rc = kioskctl_fail("idcard watch", "%s", dev_error(rdr, r));
		goto out;
	}
	fprintf(stderr, "kioskctl: watching %s (Ctrl-C to stop)\n", uri);
	while (!interrupted) {
		kiosk_context_wait(ctx, 200);
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(ctx))) {
			enum kiosk_event_type type = kiosk_event_get_type(ev);
			const kiosk_idcard *c = kiosk_event_get_idcard(ev);
			if (json) {
				printf("{\"event\":\"%s\"", kiosk_event_type_name(type));
				if (c) {
					char *j = NULL;
					if (kiosk_idcard_to_json(c, 0, &j) == KIOSK_OK) {
						printf(",\"card\":%s", j);
						kiosk_free(j);
					}
				}
				if (kiosk_event_get_error(ev))
					printf(",\"error\":\"%s\"", kiosk_error_name(kiosk_event_get_error(ev)));
				printf("}\n");
			} else if (c) {
				char mn[128], mi[64];
				printf("%s %s %s %s\n", kiosk_event_type_name(type),
				       kiosk_idcard_type_name(kiosk_idcard_get_type(c)),
				       kiosk_idcard_masked_name(c, mn, sizeof mn),
				       kiosk_idcard_masked_id_number(c, mi, sizeof mi));
			} else if (kiosk_event_get_error(ev)) {
				printf("%s %s\n", kiosk_event_type_name(type),
				       kiosk_error_name(kiosk_event_get_error(ev)));
			} else {
				printf("%s\n", kiosk_event_type_name(type));
			}
			kiosk_event_free(ev);
		}
	}
	rc = KIOSKCTL_EXIT_OK;
out:
	close_reader(ctx, rdr);
	return rc;
}

static int cmd_sam(const char *uri)
{
	kiosk_context *ctx;
	kiosk_idcard_reader *rdr = NULL;
	int rc = open_reader(uri, &ctx, &rdr);
	if (rc)
		return rc;
	char id[64];
	int r = kiosk_idcard_sam_status(rdr);
	if (r == KIOSK_OK)
		r = kiosk_idcard_sam_id(rdr, id, sizeof id);
	if (r < 0) {
		rc = kioskctl_fail("idcard sam", "%s (%s)", dev_error(rdr, r), kiosk_error_name(r));
	} else {
		printf("SAM status: ok\nSAM id: %s\n", id);
		rc = KIOSKCTL_EXIT_OK;
	}
	close_reader(ctx, rdr);
	return rc;
}

int kioskctl_idcard(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		help(argc < 2 ? stderr : stdout);
		return argc < 2 ? KIOSKCTL_EXIT_USAGE : KIOSKCTL_EXIT_OK;
	}
	const char *sub = argv[1], *uri = NULL, *photo = NULL;
	int timeout_ms = 10000, interval_ms = 0;
	bool json = false, masked = false;
	unsigned flags = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;
		if (!strcmp(a, "--device") && has) {
			uri = argv[++i];
		} else if (!strcmp(a, "--timeout") && has) {
			timeout_ms = kioskctl_parse_seconds(argv[++i]);
			if (timeout_ms < 0)
				return kioskctl_usage("--timeout needs a number of seconds");
		} else if (!strcmp(a, "--interval") && has) {
			interval_ms = atoi(argv[++i]);
			if (interval_ms < 50 || interval_ms > 10000)
				return kioskctl_usage("--interval needs 50-10000 ms");
		} else if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--masked")) {
			masked = true;
		} else if (!strcmp(a, "--photo") && has) {
			photo = argv[++i];
		} else if (!strcmp(a, "--fingerprint")) {
			flags |= KIOSK_IDCARD_READ_FINGERPRINT;
		} else if (!strcmp(a, "--address")) {
			flags |= KIOSK_IDCARD_READ_ADDRESS;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			help(stdout);
			return KIOSKCTL_EXIT_OK;
		} else {
			return kioskctl_usage("idcard %s: unknown option '%s'", sub, a);
		}
	}
	if (!uri)
		return kioskctl_usage("idcard %s needs --device URI", sub);
	if (!strcmp(sub, "read"))
		return cmd_read(uri, timeout_ms, json, photo, flags, masked);
	if (!strcmp(sub, "watch"))
		return cmd_watch(uri, interval_ms, json);
	if (!strcmp(sub, "sam"))
		return cmd_sam(uri);
	return kioskctl_usage("unknown idcard command '%s'", sub);
}
