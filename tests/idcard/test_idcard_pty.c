/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_idcard_pty.c — the SAM_V driver against the emulator on a real pty:
 * every layout, every fault switch, SAM commands and baud, async reads and
 * cancellation, presence watching, and that logs never carry personal data.
 */
#include <limits.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "test.h"
#include "sim.h"
#include "sim_idcard.h"
#include "driver.h"

/* The static library references the serial backend weakly: pull it in. */
const void *force_serial_transport = &kioski_transport_serial;

/* ---- a log sink that remembers everything, to look for leaks ---- */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char logbuf[1 << 20];
static size_t loglen;

static void capture(kiosk_context *ctx, enum kiosk_log_level lvl, const char *comp, const char *msg,
		    void *user)
{
	(void)ctx, (void)lvl, (void)user;
	pthread_mutex_lock(&log_lock);
	int n = snprintf(logbuf + loglen, sizeof logbuf - loglen, "[%s] %s\n", comp, msg);
	if (n > 0 && loglen + (size_t)n < sizeof logbuf)
		loglen += (size_t)n;
	pthread_mutex_unlock(&log_lock);
}

static kiosk_context *ctx;

static const char *card_path(const char *name)
{
	static char p[4][1024];
	static int i;
	i = (i + 1) % 4;
	snprintf(p[i], sizeof p[i], "%s/%s.json", sim_idcard_cards_dir(), name);
	return p[i];
}

static struct sim_idcard *start(struct sim_idcard_opts o, kiosk_idcard_reader **rdr)
{
	char uri[300];
	struct sim_idcard *s = sim_idcard_start(&o, uri, sizeof uri);
	if (!s) {
		fprintf(stderr, "cannot start the emulator\n");
		exit(1);
	}
	int r = kiosk_idcard_open(ctx, uri, rdr);
	if (r != KIOSK_OK) {
		fprintf(stderr, "open %s: %s\n", uri, kiosk_context_last_error(ctx));
		exit(1);
	}
	return s;
}

static struct sim_idcard_opts opts(const char *card)
{
	struct sim_idcard_opts o = {.card_file = card ? card_path(card) : NULL, .sw3_cmd = -1};
	return o;
}

/* Reads with `o`; returns the result and frees the card (checks: card iff OK). */
static int read_with(struct sim_idcard_opts o, int timeout_ms, uint64_t *elapsed)
{
	kiosk_idcard_reader *rdr;
	struct sim_idcard *s = start(o, &rdr);
	kiosk_idcard *card = (kiosk_idcard *)1;
	uint64_t t0 = sim_now_ms();
	int r = kiosk_idcard_read(rdr, timeout_ms, 0, &card);
	if (elapsed)
		*elapsed = sim_now_ms() - t0;
	CHECK((r == KIOSK_OK) == (card != NULL));
	if (r != KIOSK_OK)
		CHECK(kiosk_device_last_error(kiosk_idcard_device(rdr))[0] != 0);
	kiosk_idcard_free(card);
	kiosk_idcard_close(rdr);
	sim_idcard_stop(s);
	return r;
}

static void test_layouts(void)
{
	static const struct {
		const char *file, *name, *id;
		enum kiosk_idcard_type type;
		bool fp, extra;
	} cards[] = {
		{"resident", "韩梅梅", "100101199003070028", KIOSK_IDCARD_RESIDENT, true, true},
		{"resident-longterm", "李测试", "100102196502120010", KIOSK_IDCARD_RESIDENT, false, false},
		{"hk_macau_taiwan", "陈样例", "810000198808120011", KIOSK_IDCARD_HK_MACAU_TAIWAN, false, false},
		{"foreign_permanent", "样卡甲", "CAN110000000001", KIOSK_IDCARD_FOREIGN_PERMANENT, false, false},
		{"foreign_permanent_2023", "测试样", "915600198506150128",
		 KIOSK_IDCARD_FOREIGN_PERMANENT_2023, false, false},
	};
	for (size_t i = 0; i < sizeof cards / sizeof cards[0]; i++) {
		kiosk_idcard_reader *rdr;
		struct sim_idcard *s = start(opts(cards[i].file), &rdr);
		kiosk_idcard *c = NULL;
		CHECK_RC(kiosk_idcard_read(rdr, 5000,
					   KIOSK_IDCARD_READ_FINGERPRINT | KIOSK_IDCARD_READ_ADDRESS, &c),
			 KIOSK_OK);
		if (c) {
			CHECK_EQ_INT(kiosk_idcard_get_type(c), cards[i].type);
			CHECK_STR(kiosk_idcard_get_name(c), cards[i].name);
			CHECK_STR(kiosk_idcard_get_id_number(c), cards[i].id);
			size_t pl = 0, fl = 0;
			const uint8_t *p = kiosk_idcard_get_photo_wlt(c, &pl);
			CHECK(p && pl == 1024 && !memcmp(p, "KIOSK-SIM SYNTHETIC", 19));
			kiosk_idcard_get_fingerprint(c, &fl);
			CHECK_EQ_INT(fl, cards[i].fp ? 1024 : 0);
			if (cards[i].extra)
				CHECK_STR(kiosk_idcard_get_extra_address(c), "测试省样例市虚构区新址路88号");
			else
				CHECK(kiosk_idcard_get_extra_address(c) == NULL);
		}
		CHECK_EQ_INT(kiosk_idcard_get_last_status(rdr), cards[i].extra ? 0x90 : 0x91);
		kiosk_idcard_free(c);
		kiosk_idcard_close(rdr);
		sim_idcard_stop(s);
	}
}

static void test_faults(void)
{
	uint64_t ms;
	struct sim_idcard_opts o;

	CHECK_RC(read_with(opts(NULL), 800, &ms), KIOSK_E_NO_CARD);
	CHECK(ms >= 700 && ms < 800 + 1500);

	o = opts("resident");
	o.removed_mid_read = true;
	int r = read_with(o, 2000, &ms);
	CHECK(r == KIOSK_E_PROTOCOL || r == KIOSK_E_NO_CARD || r == KIOSK_E_CARD);
	CHECK(ms < 2000 + 1500);

	o = opts("resident");
	o.bad_checksum = -1;
	CHECK_RC(read_with(o, 3000, &ms), KIOSK_E_CHECKSUM);
	CHECK(ms < 3000 + 1500);

	o = opts("resident");
	o.bad_checksum = 2;
	CHECK_RC(read_with(o, 3000, NULL), KIOSK_OK);

	o = opts("resident");
	o.truncated = -1;
	CHECK_RC(read_with(o, 3000, &ms), KIOSK_E_PROTOCOL);
	CHECK(ms < 3000 + 1500);

	o = opts("resident");
	o.truncated = 1;
	CHECK_RC(read_with(o, 4000, NULL), KIOSK_OK);

	o = opts("resident");
	o.noise = 40;
	CHECK_RC(read_with(o, 3000, NULL), KIOSK_OK);

	o = opts("resident");
	o.slow_ms = 300;
	CHECK_RC(read_with(o, 5000, NULL), KIOSK_OK);

	o = opts("resident");
	o.sw3 = 0x60;
	CHECK_RC(read_with(o, 2000, NULL), KIOSK_E_SAM);
	o = opts("resident");
	o.sw3 = 0x41;
	o.sw3_cmd = 0x30;
	CHECK_RC(read_with(o, 2000, NULL), KIOSK_E_CARD);
	o = opts("resident");
	o.sw3 = 0x81;
	o.sw3_cmd = 0x20;
	CHECK_RC(read_with(o, 2000, NULL), KIOSK_E_CARD);
	o = opts("resident");
	o.sw3 = 0x23;
	CHECK_RC(read_with(o, 2000, NULL), KIOSK_E_ACCESS);
	/* the reader says our frame was corrupt: retried, then reported */
	o = opts("resident");
	o.sw3 = 0x10;
	CHECK_RC(read_with(o, 2000, NULL), KIOSK_E_CHECKSUM);
	o = opts("resident");
	o.sw3 = 0x11;
	CHECK_RC(read_with(o, 2000, NULL), KIOSK_E_PROTOCOL);
	o = opts("resident");
	o.sw3 = 0x24;
	CHECK_RC(read_with(o, 2000, NULL), KIOSK_E_PROTOCOL);

	/* A reader that never answers. */
	int master;
	char path[256], uri[300];
	CHECK(sim_pty_open(&master, path, sizeof path) == 0);
	snprintf(uri, sizeof uri, "serial:%s", path);
	kiosk_idcard_reader *rdr;
	CHECK_RC(kiosk_idcard_open(ctx, uri, &rdr), KIOSK_OK);
	kiosk_idcard *c = NULL;
	uint64_t t0 = sim_now_ms();
	CHECK_RC(kiosk_idcard_read(rdr, 1500, 0, &c), KIOSK_E_TIMEOUT);
	CHECK(sim_now_ms() - t0 < 1500 + 1500);
	CHECK_RC(kiosk_idcard_sam_status(rdr), KIOSK_E_TIMEOUT);
	kiosk_idcard_close(rdr);
	close(master);
}

static void test_halt_and_sam(void)
{
	struct sim_idcard_opts o = opts("resident");
	o.halt_after_read = true;
	kiosk_idcard_reader *rdr;
	struct sim_idcard *s = start(o, &rdr);
	kiosk_idcard *c = NULL;
	CHECK_RC(kiosk_idcard_read(rdr, 3000, 0, &c), KIOSK_OK);
	kiosk_idcard_free(c);
	c = NULL;
	CHECK_RC(kiosk_idcard_read(rdr, 1500, 0, &c), KIOSK_E_CARD); /* lift and place again */
	CHECK_EQ_INT(kiosk_idcard_get_last_status(rdr), 0x81);
	sim_idcard_set_card(s, card_path("hk_macau_taiwan"));
	CHECK_RC(kiosk_idcard_read(rdr, 3000, 0, &c), KIOSK_OK);
	CHECK(c && kiosk_idcard_get_type(c) == KIOSK_IDCARD_HK_MACAU_TAIWAN);
	kiosk_idcard_free(c);

	CHECK_RC(kiosk_idcard_sam_status(rdr), KIOSK_OK);
	CHECK_RC(kiosk_idcard_sam_reset(rdr), KIOSK_OK);
	char id[64], tiny[8];
	CHECK_RC(kiosk_idcard_sam_id(rdr, id, sizeof id), KIOSK_OK);
	CHECK_STR(id, "05.01-20260101-0000000001-0000000042");
	CHECK_RC(kiosk_idcard_sam_id(rdr, tiny, sizeof tiny), KIOSK_E_OVERFLOW);
	CHECK_RC(kiosk_idcard_set_baud(rdr, 12345), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_idcard_set_baud(rdr, 9600), KIOSK_OK);
	struct sim_idcard_stats st;
	sim_idcard_get_stats(s, &st);
	CHECK_EQ_INT(st.baud, 9600);
	CHECK(strstr(kiosk_device_get_uri(kiosk_idcard_device(rdr)), "baud=9600") != NULL);
	CHECK_RC(kiosk_idcard_sam_status(rdr), KIOSK_OK); /* still talking after the reopen */
	kiosk_idcard_close(rdr);
	sim_idcard_stop(s);
}

static int cb_calls, cb_result;
static void on_done(kiosk_job *job, int result, void *user)
{
	(void)job, (void)user;
	cb_calls++;
	cb_result = result;
}

static void test_async(void)
{
	kiosk_idcard_reader *rdr;
	struct sim_idcard *s = start(opts("foreign_permanent_2023"), &rdr);
	kiosk_job *job = NULL;
	cb_calls = 0;
	CHECK_RC(kiosk_idcard_read_async(rdr, 3000, 0, on_done, NULL, &job), KIOSK_OK);
	CHECK_EQ_INT(cb_calls, 0);
	uint64_t t0 = sim_now_ms();
	while (!cb_calls && sim_now_ms() - t0 < 10000)
		kiosk_context_wait(ctx, 100);
	CHECK_EQ_INT(cb_calls, 1);
	CHECK_RC(cb_result, KIOSK_OK);
	kiosk_idcard *c = NULL;
	CHECK_RC(kiosk_job_take_idcard(job, &c), KIOSK_OK);
	CHECK(c && !strcmp(kiosk_idcard_get_id_number(c), "915600198506150128"));
	kiosk_idcard *again = NULL;
	CHECK_RC(kiosk_job_take_idcard(job, &again), KIOSK_E_STATE); /* taken once */
	CHECK(again == NULL);
	kiosk_job_unref(job);
	kiosk_idcard_free(c);
	c = NULL;
	CHECK_RC(kiosk_job_take_idcard(NULL, &c), KIOSK_E_INVALID_ARG);
	/* A job of another kind (e.g. a print job) holds no card. */
	kiosk_job *other = kioski_job_new(ctx, NULL, NULL);
	kioski_job_set_payload(other, strdup("not a card"), free);
	kioski_job_complete(other, KIOSK_OK, NULL);
	CHECK_RC(kiosk_job_take_idcard(other, &c), KIOSK_E_STATE);
	CHECK(c == NULL);
	kiosk_job_unref(other);

	/* Cancel a read that waits for a card. */
	sim_idcard_set_card(s, NULL);
	cb_calls = 0;
	CHECK_RC(kiosk_idcard_read_async(rdr, 20000, 0, on_done, NULL, &job), KIOSK_OK);
	sim_sleep_ms(300);
	t0 = sim_now_ms();
	CHECK_RC(kiosk_job_cancel(job), KIOSK_OK);
	CHECK_RC(kiosk_job_wait(job, 5000), KIOSK_E_CANCELLED);
	CHECK(sim_now_ms() - t0 < 3000);
	while (!cb_calls && sim_now_ms() - t0 < 5000)
		kiosk_context_wait(ctx, 100);
	CHECK_EQ_INT(cb_calls, 1);
	CHECK_RC(cb_result, KIOSK_E_CANCELLED);
	CHECK_RC(kiosk_job_take_idcard(job, &c), KIOSK_E_STATE);
	kiosk_job_unref(job);
	CHECK_RC(kiosk_idcard_read_async(rdr, -1, 0, NULL, NULL, &job), KIOSK_E_INVALID_ARG);
	CHECK(job == NULL);

	/* Reads that never start (cancelled while queued, or queued at close)
	 * complete cancelled and leak nothing (LeakSanitizer in the ASan build). */
	kiosk_job *running = NULL, *queued = NULL, *at_close = NULL;
	CHECK_RC(kiosk_idcard_read_async(rdr, 20000, 0, NULL, NULL, &running), KIOSK_OK);
	CHECK_RC(kiosk_idcard_read_async(rdr, 20000, 0, NULL, NULL, &queued), KIOSK_OK);
	CHECK_RC(kiosk_idcard_read_async(rdr, 20000, 0, NULL, NULL, &at_close), KIOSK_OK);
	CHECK_RC(kiosk_job_cancel(queued), KIOSK_OK);
	CHECK_RC(kiosk_job_cancel(running), KIOSK_OK);
	CHECK_RC(kiosk_job_wait(queued, 10000), KIOSK_E_CANCELLED);
	CHECK_RC(kiosk_job_wait(running, 10000), KIOSK_E_CANCELLED);
	kiosk_job_unref(running);
	kiosk_job_unref(queued);

	/* The longest timeout a caller can pass is bounded, not overflowed. */
	sim_idcard_set_card(s, card_path("resident"));
	char uri[300];
	snprintf(uri, sizeof uri, "%s", kiosk_device_get_uri(kiosk_idcard_device(rdr)));
	kiosk_idcard_close(rdr);
	CHECK_RC(kiosk_job_wait(at_close, 0), KIOSK_E_CANCELLED);
	kiosk_job_unref(at_close);
	rdr = NULL;
	CHECK_RC(kiosk_idcard_open(ctx, uri, &rdr), KIOSK_OK);
	CHECK_RC(kiosk_idcard_read(rdr, INT_MAX, 0, &c), KIOSK_OK);
	kiosk_idcard_free(c);
	kiosk_idcard_close(rdr);
	sim_idcard_stop(s);
}

/* Collects events for `ms`; counts by type; keeps the last inserted card's id. */
struct seen {
	int inserted, removed, errors, last_error;
	char last_id[32];
	enum kiosk_idcard_type last_type;
};

static void collect(struct seen *sn, int ms)
{
	uint64_t end = sim_now_ms() + (uint64_t)ms;
	while (sim_now_ms() < end) {
		kiosk_context_wait(ctx, 50);
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(ctx))) {
			switch (kiosk_event_get_type(ev)) {
			case KIOSK_EVENT_CARD_INSERTED: {
				const kiosk_idcard *c = kiosk_event_get_idcard(ev);
				CHECK(c != NULL);
				sn->inserted++;
				if (c) {
					snprintf(sn->last_id, sizeof sn->last_id, "%s",
						 kiosk_idcard_get_id_number(c));
					sn->last_type = kiosk_idcard_get_type(c);
				}
				break;
			}
			case KIOSK_EVENT_CARD_REMOVED: sn->removed++; break;
			case KIOSK_EVENT_DEVICE_ERROR:
				sn->errors++;
				sn->last_error = kiosk_event_get_error(ev);
				break;
			default: break;
			}
			kiosk_event_free(ev);
		}
	}
}

static void test_watch(bool halt)
{
	struct sim_idcard_opts o = opts("resident");
	o.halt_after_read = halt;
	kiosk_idcard_reader *rdr;
	struct sim_idcard *s = start(o, &rdr);
	CHECK_RC(kiosk_idcard_watch(rdr, 5, true), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_idcard_watch(rdr, 100, true), KIOSK_OK);
	struct seen sn = {0};
	collect(&sn, 1500);
	CHECK_EQ_INT(sn.inserted, 1);
	CHECK_EQ_INT(sn.removed, 0);
	CHECK_STR(sn.last_id, "100101199003070028");
	struct sim_idcard_stats st;
	sim_idcard_get_stats(s, &st);
	CHECK_EQ_INT(st.reads, 1); /* the card left on the reader is not read again */
	CHECK(st.finds >= 5);

	sim_idcard_set_card(s, NULL);
	collect(&sn, 1500);
	CHECK_EQ_INT(sn.removed, 1);
	CHECK_EQ_INT(sn.inserted, 1);

	sim_idcard_set_card(s, card_path("foreign_permanent"));
	collect(&sn, 1500);
	CHECK_EQ_INT(sn.inserted, 2);
	CHECK_EQ_INT(sn.last_type, KIOSK_IDCARD_FOREIGN_PERMANENT);
	CHECK_EQ_INT(sn.errors, 0);

	/* Swapped within one poll gap: recognised as a different card by its hash. */
	sim_idcard_set_card(s, NULL);
	sim_idcard_get_stats(s, &st);
	unsigned before = st.finds;
	/* exactly: at least one find must see the reader empty (the gap) */
	for (int i = 0; i < 500 && st.finds < before + 1; i++) {
		sim_sleep_ms(5);
		sim_idcard_get_stats(s, &st);
	}
	sim_idcard_set_card(s, card_path("hk_macau_taiwan"));
	collect(&sn, 1500);
	CHECK_EQ_INT(sn.last_type, KIOSK_IDCARD_HK_MACAU_TAIWAN);
	CHECK_EQ_INT(sn.inserted, 3);

	CHECK_RC(kiosk_idcard_watch(rdr, 0, false), KIOSK_OK);
	sim_idcard_get_stats(s, &st);
	unsigned finds = st.finds;
	sim_sleep_ms(500);
	sim_idcard_get_stats(s, &st);
	CHECK(st.finds <= finds + 1); /* polling stopped */
	kiosk_idcard_close(rdr);
	sim_idcard_stop(s);
}

static void test_watch_unreadable(void)
{
	struct sim_idcard_opts o = opts("resident");
	o.sw3 = 0x41;
	o.sw3_cmd = 0x30;
	kiosk_idcard_reader *rdr;
	struct sim_idcard *s = start(o, &rdr);
	CHECK_RC(kiosk_idcard_watch(rdr, 100, true), KIOSK_OK);
	struct seen sn = {0};
	collect(&sn, 1500);
	CHECK_EQ_INT(sn.inserted, 0);
	CHECK_EQ_INT(sn.errors, 1); /* once per placement, not once per poll */
	kiosk_idcard_close(rdr);
	sim_idcard_stop(s);
}

/* A card lifted half-way through its read: reported once as NO_CARD (the app
 * asks for it again), and placed again it is read. */
static void test_watch_lifted_mid_read(void)
{
	struct sim_idcard_opts o = opts("resident");
	o.removed_mid_read = true;
	kiosk_idcard_reader *rdr;
	struct sim_idcard *s = start(o, &rdr);
	CHECK_RC(kiosk_idcard_watch(rdr, 100, true), KIOSK_OK);
	struct seen sn = {0};
	collect(&sn, 1500);
	CHECK_EQ_INT(sn.inserted, 0);
	CHECK_EQ_INT(sn.errors, 1);
	CHECK_EQ_INT(sn.last_error, KIOSK_E_NO_CARD);
	sim_idcard_set_card(s, card_path("resident"));
	collect(&sn, 1500);
	CHECK_EQ_INT(sn.inserted, 1);
	CHECK_EQ_INT(sn.errors, 1);
	kiosk_idcard_close(rdr);
	sim_idcard_stop(s);
}

static void test_watch_silent_reader(void)
{
	int master;
	char path[256], uri[300];
	CHECK(sim_pty_open(&master, path, sizeof path) == 0);
	snprintf(uri, sizeof uri, "serial:%s?timeout_ms=200", path);
	kiosk_idcard_reader *rdr;
	CHECK_RC(kiosk_idcard_open(ctx, uri, &rdr), KIOSK_OK);
	CHECK_RC(kiosk_idcard_watch(rdr, 100, true), KIOSK_OK);
	struct seen sn = {0};
	collect(&sn, 2000);
	CHECK_EQ_INT(sn.errors, 1); /* once, not once per poll */
	CHECK_EQ_INT(sn.inserted + sn.removed, 0);
	kiosk_idcard_close(rdr);
	close(master);
}

/* The baud comes from the URI, else from the profile (here a custom one). */
static void test_profile_baud(void)
{
	char dir[] = "/tmp/kiosk-idcard-prof-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char sub[300], file[400];
	snprintf(sub, sizeof sub, "%s/idcard", dir);
	CHECK(mkdir(sub, 0700) == 0);
	snprintf(file, sizeof file, "%s/slow-link.json", sub);
	FILE *f = fopen(file, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs("{\"name\": \"slow-link\", \"driver\": \"samv\", \"baud\": 38400}\n", f);
	fclose(f);
	CHECK_RC(kiosk_context_set_profile_dir(ctx, dir), KIOSK_OK);
	struct sim_idcard_opts o = opts("resident");
	char uri[300], u2[400];
	struct sim_idcard *s = sim_idcard_start(&o, uri, sizeof uri);
	kiosk_idcard_reader *rdr = NULL;
	snprintf(u2, sizeof u2, "%s?profile=slow-link", uri);
	CHECK_RC(kiosk_idcard_open(ctx, u2, &rdr), KIOSK_OK);
	if (rdr) {
		kiosk_device *dev = kiosk_idcard_device(rdr);
		CHECK(strstr(kiosk_uri_to_string(dev->transport->uri), "baud=38400") != NULL);
		kiosk_idcard *c = NULL;
		CHECK_RC(kiosk_idcard_read(rdr, 3000, 0, &c), KIOSK_OK);
		kiosk_idcard_free(c);
		kiosk_idcard_close(rdr);
	}
	snprintf(u2, sizeof u2, "%s?profile=slow-link&baud=19200", uri);
	CHECK_RC(kiosk_idcard_open(ctx, u2, &rdr), KIOSK_OK);
	if (rdr) {
		CHECK(strstr(kiosk_uri_to_string(kiosk_idcard_device(rdr)->transport->uri), "baud=19200"));
		kiosk_idcard_close(rdr);
	}
	/* An in_chunk larger than the driver's receive buffer is not trusted. */
	snprintf(file, sizeof file, "%s/big-chunk.json", sub);
	f = fopen(file, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("{\"name\": \"big-chunk\", \"timeout_ms\": 2000000000,"
		      " \"pipes\": {\"in_chunk\": 16384}}\n", f);
		fclose(f);
	}
	snprintf(u2, sizeof u2, "%s?profile=big-chunk", uri);
	CHECK_RC(kiosk_idcard_open(ctx, u2, &rdr), KIOSK_OK);
	if (rdr) {
		kiosk_idcard *c = NULL;
		CHECK_RC(kiosk_idcard_read(rdr, 3000, 0, &c), KIOSK_OK);
		kiosk_idcard_free(c);
		/* An out-of-range profile timeout is ignored, not multiplied. */
		CHECK_RC(kiosk_idcard_sam_status(rdr), KIOSK_OK);
		kiosk_idcard_close(rdr);
	}
	unlink(file);
	snprintf(file, sizeof file, "%s/slow-link.json", sub);
	snprintf(u2, sizeof u2, "%s?profile=missing-profile", uri);
	CHECK_RC(kiosk_idcard_open(ctx, u2, &rdr), KIOSK_E_NOT_FOUND);
	CHECK(strstr(kiosk_context_last_error(ctx), "missing-profile") != NULL);
	kiosk_context_set_profile_dir(ctx, NULL);
	sim_idcard_stop(s);
	unlink(file);
	rmdir(sub);
	rmdir(dir);
}

int main(void)
{
	ctx = test_context();
	kiosk_context_set_log(ctx, KIOSK_LOG_DEBUG, capture, NULL);
	test_layouts();
	test_faults();
	test_halt_and_sam();
	test_async();
	test_watch(false);
	test_watch(true);
	test_watch_unreadable();
	test_watch_lifted_mid_read();
	test_watch_silent_reader();
	test_profile_baud();
	/* Personal data never reached the log, but the log did see the reads. */
	CHECK(strstr(logbuf, "read resident card of 韩*梅, 1001**********0028") != NULL);
	static const char *secrets[] = {"韩梅梅", "100101199003070028", "演示路", "陈样例",
					"810000198808120011", "915600198506150128", "TESTCARD",
					/* 韩梅梅 as UCS-2LE in a hex dump */ "e9 97 85 68 85 68",
					/* the ID number's digits as UCS-2LE */ "31 00 30 00 30 00 31 00 30 00 31 00 31 00 39 00"};
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if (strstr(logbuf, secrets[i])) {
			fprintf(stderr, "log leaks '%s'\n", secrets[i]);
			test_failures++;
		}
	kiosk_context_free(ctx);
	return test_done("test_idcard_pty");
}
