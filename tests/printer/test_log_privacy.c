/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Personal data never reaches a log, even at the most verbose level
 * (KIOSK_DEBUG=debug and the log callback at KIOSK_LOG_DEBUG):
 * - a receipt holding a (synthetic) name and ID number is printed over TCP,
 *   a pty (serial) and a file; the ESC/POS traces show command structure
 *   and lengths only;
 * - the synthetic card holding the same name and number is read from the
 *   SAM_V emulator: the reader's traces do not dump the text block.
 * The captured log (callback and stderr) is searched for the name and the
 * number as plain UTF-8 text and as hex in UTF-8, GB18030 and UCS-2LE (the
 * card's encoding), lower and upper case, with and without spaces between
 * the hex bytes. None may appear. The log must hold the traces themselves
 * (or the test would prove nothing).
 */
#include <ctype.h>
#include <pthread.h>
#include <signal.h>
#include <iconv.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include "printer_test_util.h"
#include "sim_idcard.h"
#include "sim_printer.h"

/* The synthetic card hw/sim/cards/resident.json (fictitious person). */
#define NAME "韩梅梅"
#define ID_NUMBER "100101199003070028"

static char *logbuf;
static size_t log_len, log_cap;
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

static void append(const char *s, size_t n)
{
	pthread_mutex_lock(&log_mu);
	if (log_len + n + 1 > log_cap) {
		log_cap = (log_len + n + 1) * 2;
		logbuf = realloc(logbuf, log_cap);
	}
	memcpy(logbuf + log_len, s, n);
	log_len += n;
	logbuf[log_len] = 0;
	pthread_mutex_unlock(&log_mu);
}

static void on_log(kiosk_context *ctx, enum kiosk_log_level level, const char *component,
		   const char *msg, void *user)
{
	(void)ctx;
	(void)level;
	(void)user;
	append(component, strlen(component));
	append(": ", 2);
	append(msg, strlen(msg));
	append("\n", 1);
}

static kiosk_context *verbose_context(void)
{
	kiosk_context *ctx = NULL;
	CHECK_RC(kiosk_context_new(&ctx), KIOSK_OK);
	kiosk_context_set_log(ctx, KIOSK_LOG_DEBUG, on_log, NULL);
	CHECK_EQ_INT(kiosk_context_get_log_level(ctx), KIOSK_LOG_DEBUG);
	return ctx;
}

static kiosk_receipt *personal_receipt(void)
{
	kiosk_receipt *r = NULL;
	kiosk_receipt_new(&r);
	kiosk_receipt_add_text(r, "受理回执", NULL);
	kiosk_receipt_add_text(r, "申请人：" NAME, NULL);
	kiosk_receipt_add_text(r, "身份证号：" ID_NUMBER, NULL);
	kiosk_receipt_add_columns(r, NAME, ID_NUMBER, NULL);
	kiosk_receipt_add_qr(r, ID_NUMBER, 4, 'M');
	kiosk_receipt_add_text(r, NAME ID_NUMBER, NULL);
	kiosk_receipt_add_cut(r, false);
	return r;
}

static void print_on(kiosk_context *ctx, const char *uri, const char *profile)
{
	kiosk_printer *prn = NULL;
	CHECK_RC(kiosk_printer_open(ctx, uri, profile, &prn), KIOSK_OK);
	if (!prn)
		return;
	kiosk_receipt *r = personal_receipt();
	CHECK_RC(kiosk_printer_print_sync(prn, r, 20000), KIOSK_OK);
	kiosk_receipt_free(r);
	kiosk_printer_close(prn);
}

/* "e9 9f a9" / "e99fa9" of `bytes`, lower case (the log is lowered). */
static void hex_of(const uint8_t *b, size_t n, bool spaces, char *out, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k + 4 < cap; i++)
		k += (size_t)snprintf(out + k, cap - k, spaces && i ? " %02x" : "%02x", b[i]);
	out[k] = 0;
}

static size_t convert(const char *to, const char *utf8, uint8_t *out, size_t cap)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	CHECK(cd != (iconv_t)-1);
	if (cd == (iconv_t)-1)
		return 0;
	char *in = (char *)utf8, *o = (char *)out;
	size_t il = strlen(utf8), ol = cap;
	CHECK(iconv(cd, &in, &il, &o, &ol) != (size_t)-1);
	iconv_close(cd);
	return cap - ol;
}

/* Fails if the lowered log holds `what` in any of its forms. */
static void check_absent(const char *lowered, const char *label, const char *utf8)
{
	if (strstr(logbuf, utf8)) {
		fprintf(stderr, "  the log holds the %s as text\n", label);
		CHECK(!"personal data in the log as text");
	}
	static const char *const encodings[] = {"UTF-8", "GB18030", "UCS-2LE"};
	for (size_t e = 0; e < 3; e++) {
		uint8_t bytes[256];
		size_t n = convert(encodings[e], utf8, bytes, sizeof bytes);
		for (int spaces = 0; spaces < 2; spaces++) {
			char hex[1024];
			hex_of(bytes, n, spaces, hex, sizeof hex);
			if (n && strstr(lowered, hex)) {
				fprintf(stderr, "  the log holds the %s as %s hex%s: %s\n", label,
					encodings[e], spaces ? " (spaced)" : "", hex);
				CHECK(!"personal data in the log as hex");
			}
		}
	}
}

int main(void)
{
	/* The most verbose level there is; it must change nothing about this. */
	setenv("KIOSK_DEBUG", "debug", 1);
	signal(SIGPIPE, SIG_IGN);

	/* stderr too: a message logged without a context goes there */
	fflush(stderr);
	int saved = dup(2);
	int cap_fd = memfd_create("log-privacy-stderr", MFD_CLOEXEC);
	CHECK(saved >= 0 && cap_fd >= 0);
	dup2(cap_fd, 2);

	kiosk_context *ctx = verbose_context();
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	struct sim_printer *sp = NULL;
	char uri[200];
	CHECK(sim_printer_start_tcp(&cfg, &sp, uri, sizeof uri) == 0);
	print_on(ctx, uri, "generic-80mm");
	sim_printer_stop(sp);
	CHECK(sim_printer_start_pty(&cfg, &sp, uri, sizeof uri) == 0);
	print_on(ctx, uri, "generic-58mm");
	sim_printer_stop(sp);
	char path[] = "/tmp/kiosk-privacy-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	char file_uri[300];
	snprintf(file_uri, sizeof file_uri, "file:%s", path);
	print_on(ctx, file_uri, "legacy-80mm-raster-qr");
	unlink(path);

	/* the ID card: the reply to READ carries the text block (UCS-2LE) */
	struct sim_idcard_opts o = {.card_file = test_source_path("hw/sim/cards/resident.json"),
				    .sw3_cmd = -1};
	struct sim_idcard *si = sim_idcard_start(&o, uri, sizeof uri);
	CHECK(si != NULL);
	kiosk_idcard_reader *rdr = NULL;
	if (si)
		CHECK_RC(kiosk_idcard_open(ctx, uri, &rdr), KIOSK_OK);
	if (rdr) {
		kiosk_idcard *card = NULL;
		CHECK_RC(kiosk_idcard_read(rdr, 10000, 0, &card), KIOSK_OK);
		if (card)
			CHECK_STR(kiosk_idcard_get_id_number(card), ID_NUMBER); /* it was really read */
		kiosk_idcard_free(card);
		kiosk_idcard_close(rdr);
	}
	sim_idcard_stop(si);
	kiosk_context_free(ctx);

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	off_t n = lseek(cap_fd, 0, SEEK_END);
	if (n > 0) {
		char *err = malloc((size_t)n);
		if (err && pread(cap_fd, err, (size_t)n, 0) == n)
			append(err, (size_t)n);
		free(err);
	}
	close(cap_fd);

	char *lowered = strdup(logbuf ? logbuf : "");
	for (char *p = lowered; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	/* the traces are there: structure and lengths */
	CHECK(strstr(logbuf, "-> ") != NULL && strstr(logbuf, "text[") != NULL);
	CHECK(strstr(logbuf, "GS ( k fn 80 [18]") != NULL); /* the QR data: its length only */
	CHECK(strstr(logbuf, "samv") != NULL);
	fprintf(stderr, "captured %zu bytes of log\n", log_len);
	check_absent(lowered, "name", NAME);
	check_absent(lowered, "ID number", ID_NUMBER);
	check_absent(lowered, "name and number", NAME ID_NUMBER);
	if (test_failures || getenv("KIOSK_TEST_KEEP"))
		fprintf(stderr, "---- captured log ----\n%s\n---- end ----\n", logbuf);
	free(lowered);
	free(logbuf);
	return test_done("test_log_privacy");
}
