/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Paper and cover faults, timeouts, a closed link, exactly-once completions. */
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include "printer_test_util.h"
#include "sim_printer.h"

static uint64_t kioski_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static char outdir[256];
static const char *rig_profile = "generic-80mm";

struct rig {
	struct sim_printer *sp;
	kiosk_context *ctx;
	kiosk_printer *prn;
	char uri[200];
};

static int rig_open(struct rig *g, const struct sim_printer_config *cfg, bool pty,
		    const char *uri_opts)
{
	memset(g, 0, sizeof *g);
	char uri[160];
	int r = pty ? sim_printer_start_pty(cfg, &g->sp, uri, sizeof uri)
		    : sim_printer_start_tcp(cfg, &g->sp, uri, sizeof uri);
	if (r)
		return r;
	snprintf(g->uri, sizeof g->uri, "%s%s", uri, uri_opts ? uri_opts : "");
	g->ctx = test_context();
	r = kiosk_printer_open(g->ctx, g->uri, rig_profile, &g->prn);
	CHECK_RC(r, KIOSK_OK);
	if (r == KIOSK_OK)
		kiosk_printer_set_status_poll(g->prn, 0);
	return r;
}

static void rig_close(struct rig *g)
{
	kiosk_printer_close(g->prn);
	sim_printer_stop(g->sp);
	kiosk_context_free(g->ctx);
}

static int calls;
static int last_result;
static void on_done(kiosk_job *job, int result, void *user)
{
	(void)job;
	(void)user;
	calls++;
	last_result = result;
}

/* The last job's outcome beyond its result (kiosk_job_get_partial/_bytes). */
static enum kiosk_job_partial last_partial;
static uint64_t last_written, last_confirmed, last_total;

/* Submits, waits, dispatches; checks exactly one callback. Returns the result. */
static int print_once(struct rig *g, int lines, enum kiosk_job_state *max_state, char *msg,
		      size_t msg_len)
{
	kiosk_receipt *rc = ptu_receipt(lines);
	kiosk_job *job = NULL;
	calls = 0;
	int r = kiosk_printer_submit(g->prn, rc, on_done, NULL, &job);
	kiosk_receipt_free(rc);
	CHECK_RC(r, KIOSK_OK);
	if (r)
		return r;
	enum kiosk_job_state top = KIOSK_JOB_QUEUED;
	int until = 60000;
	while (kiosk_job_wait(job, 20) == KIOSK_E_TIMEOUT && until) {
		enum kiosk_job_state s = kiosk_job_get_state(job);
		if (s > top && s != KIOSK_JOB_DONE)
			top = s;
		until -= 20;
	}
	r = kiosk_job_get_result(job);
	last_partial = kiosk_job_get_partial(job);
	CHECK_RC(kiosk_job_get_bytes(job, &last_written, &last_confirmed, &last_total), KIOSK_OK);
	CHECK(last_confirmed <= last_written && last_written <= last_total);
	if (r == KIOSK_OK)
		CHECK_EQ_INT(last_partial, KIOSK_JOB_PARTIAL_NONE);
	if (msg)
		snprintf(msg, msg_len, "%s", kiosk_job_get_message(job));
	fprintf(stderr, "  job %llu: %s: %s\n", (unsigned long long)kiosk_job_get_id(job),
		kiosk_error_name(r), kiosk_job_get_message(job));
	for (int i = 0; i < 50 && calls == 0; i++)
		kiosk_context_wait(g->ctx, 100);
	kiosk_context_dispatch(g->ctx);
	CHECK_EQ_INT(calls, 1);
	CHECK_EQ_INT(last_result, r);
	kiosk_job_unref(job);
	if (max_state)
		*max_state = top;
	return r;
}

static void test_paper_out_before_job(void)
{
	fprintf(stderr, "paper out before the job\n");
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.paper_out = true;
	struct rig g;
	if (rig_open(&g, &cfg, false, NULL))
		return;
	kiosk_printer_set_paper_wait(g.prn, 700);
	struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
	CHECK_RC(kiosk_printer_get_status(g.prn, 3000, &st), KIOSK_OK);
	CHECK_EQ_INT(st.paper, KIOSK_PAPER_OUT);
	CHECK_STR(kiosk_printer_status_summary(&st), "out");
	CHECK_EQ_INT(st.size, sizeof st);
	struct kiosk_printer_status unset = {0}; /* `size` not set: refused, nothing written */
	CHECK_RC(kiosk_printer_get_last_status(g.prn, &unset), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_printer_get_status(g.prn, 100, &unset), KIOSK_E_INVALID_ARG);
	CHECK_EQ_INT(unset.paper, KIOSK_PAPER_UNKNOWN);
	uint64_t t0 = kioski_now_ms();
	enum kiosk_job_state top;
	CHECK_RC(print_once(&g, 5, &top, NULL, 0), KIOSK_E_PAPER_OUT);
	CHECK(kioski_now_ms() - t0 >= 700); /* the bounded wait was honoured */
	CHECK_EQ_INT(top, KIOSK_JOB_WAITING);
	/* nothing was sent: loading paper now prints nothing */
	sim_printer_set_paper_out(g.sp, false);
	CHECK_RC(kiosk_printer_get_status(g.prn, 3000, &st), KIOSK_OK);
	CHECK_EQ_INT(st.paper, KIOSK_PAPER_OK);
	usleep(200 * 1000);
	CHECK_EQ_INT(sim_printer_pages(g.sp), 0);
	char *t0text = sim_printer_page_text(g.sp, 0);
	CHECK_STR(t0text, ""); /* not a line of the failed job */
	free(t0text);
	/* and the next job prints once */
	CHECK_RC(print_once(&g, 5, NULL, NULL, 0), KIOSK_OK);
	CHECK_EQ_INT(sim_printer_pages(g.sp), 1);
	rig_close(&g);
}

static void test_cover_open(void)
{
	fprintf(stderr, "cover open\n");
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.cover_open = true;
	struct rig g;
	if (rig_open(&g, &cfg, true, NULL))
		return;
	kiosk_printer_set_paper_wait(g.prn, 500);
	struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
	CHECK_RC(kiosk_printer_get_status(g.prn, 3000, &st), KIOSK_OK);
	CHECK_EQ_INT(st.cover_open, KIOSK_YES);
	CHECK_EQ_INT(st.online, KIOSK_NO);
	CHECK_STR(kiosk_printer_status_summary(&st), "cover_open");
	CHECK_RC(print_once(&g, 5, NULL, NULL, 0), KIOSK_E_COVER_OPEN);
	CHECK_EQ_INT(sim_printer_pages(g.sp), 0);
	rig_close(&g);
}

/* Paper runs out half-way; the emulator reloads after 1.5 s: one full copy. */
static void test_paper_out_mid_job_recovers(bool pty)
{
	fprintf(stderr, "paper out mid-job, recovers (%s)\n", pty ? "pty" : "tcp");
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.out_dir = outdir;
	cfg.paper_out_after = 900;
	cfg.recover_after_ms = 1500;
	struct rig g;
	if (rig_open(&g, &cfg, pty, NULL))
		return;
	enum kiosk_job_state top;
	CHECK_RC(print_once(&g, 60, &top, NULL, 0), KIOSK_OK);
	CHECK_EQ_INT(top, KIOSK_JOB_WAITING);
	CHECK_EQ_INT(sim_printer_pages(g.sp), 1);
	char *text = sim_printer_page_text(g.sp, 0);
	ptu_check_lines_once(text, 60);
	free(text);
	char png[512], qr[256] = "";
	CHECK_EQ_INT(sim_printer_page_png(g.sp, 0, png, sizeof png), 0);
	CHECK_EQ_INT(ptu_decode_qr(png, qr, sizeof qr), 0);
	CHECK_STR(qr, PTU_QR);
	struct sim_printer_stats ss;
	sim_printer_get_stats(g.sp, &ss);
	CHECK_EQ_INT(ss.cleared, 0);
	CHECK_EQ_INT(ss.cuts, 1);
	rig_close(&g);
}

struct later {
	struct sim_printer *sp;
	int ms;
};
static void *reload_later(void *arg)
{
	struct later *l = arg;
	usleep((useconds_t)l->ms * 1000);
	sim_printer_set_paper_out(l->sp, false);
	return NULL;
}

/* The same on a profile without GS r (58 mm): real-time status between
 * chunks; the printer keeps its buffer, so still exactly one copy. */
static void test_paper_out_mid_job_no_gsr(void)
{
	fprintf(stderr, "paper out mid-job, profile without GS r\n");
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.width_dots = 384;
	cfg.paper_out_after = 900;
	cfg.recover_after_ms = 1200;
	struct rig g;
	rig_profile = "generic-58mm";
	int r = rig_open(&g, &cfg, false, NULL);
	rig_profile = "generic-80mm";
	if (r)
		return;
	enum kiosk_job_state top;
	CHECK_RC(print_once(&g, 60, &top, NULL, 0), KIOSK_OK);
	CHECK_EQ_INT(top, KIOSK_JOB_WAITING);
	CHECK_EQ_INT(sim_printer_pages(g.sp), 1);
	char *text = sim_printer_page_text(g.sp, 0);
	ptu_check_lines_once(text, 60);
	free(text);
	rig_close(&g);
}

/* Paper out injected at run time, reloaded by "staff" from another thread. */
static void test_paper_out_injected(void)
{
	fprintf(stderr, "paper out injected, reloaded from another thread\n");
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.paper_out_after = 2500;
	struct rig g;
	if (rig_open(&g, &cfg, false, NULL))
		return;
	kiosk_printer_set_paper_wait(g.prn, 8000);
	pthread_t th;
	struct later l = {g.sp, 1200};
	pthread_create(&th, NULL, reload_later, &l);
	CHECK_RC(print_once(&g, 80, NULL, NULL, 0), KIOSK_OK);
	pthread_join(th, NULL);
	CHECK_EQ_INT(sim_printer_pages(g.sp), 1);
	char *text = sim_printer_page_text(g.sp, 0);
	ptu_check_lines_once(text, 80);
	free(text);
	rig_close(&g);
}

/* Paper out mid-job and nobody reloads: PAPER_OUT, part of it printed; what
 * the printer held of the job is cleared so a later reload prints no half
 * receipt, and the next job cuts off the printed head before its first line. */
static void test_paper_out_mid_job_gives_up(void)
{
	fprintf(stderr, "paper out mid-job, no reload\n");
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.paper_out_after = 900;
	struct rig g;
	if (rig_open(&g, &cfg, false, NULL))
		return;
	kiosk_printer_set_paper_wait(g.prn, 600);
	char msg[256];
	CHECK_RC(print_once(&g, 60, NULL, msg, sizeof msg), KIOSK_E_PAPER_OUT);
	CHECK(strstr(msg, "paper out") != NULL);
	/* paper ran out inside the first chunk: written, not confirmed */
	CHECK_EQ_INT(last_partial, KIOSK_JOB_PARTIAL_MAYBE);
	CHECK(last_written > 0 && last_written < last_total && last_confirmed == 0);
	CHECK(strstr(kiosk_device_last_error(kiosk_printer_device(g.prn)), "paper out") != NULL);
	sim_printer_set_paper_out(g.sp, false);
	usleep(300 * 1000);
	struct sim_printer_stats ss;
	sim_printer_get_stats(g.sp, &ss);
	CHECK(ss.cleared > 0);
	CHECK_EQ_INT(ss.unprocessed, 0);
	CHECK_EQ_INT(sim_printer_pages(g.sp), 0);
	/* a reprint: first the printed head is cut off, then one whole copy */
	CHECK_RC(print_once(&g, 60, NULL, NULL, 0), KIOSK_OK);
	CHECK_EQ_INT(sim_printer_pages(g.sp), 2);
	char *head = sim_printer_page_text(g.sp, 0);
	CHECK(head && ptu_count(head, "line 00 ") == 1 && ptu_count(head, "谢谢 END") == 0);
	free(head);
	char *text = sim_printer_page_text(g.sp, 1);
	CHECK(text && ptu_count(text, "line 00 ") == 1 && ptu_count(text, "line 59 ") == 1 &&
	      ptu_count(text, "谢谢 END") == 1);
	free(text);
	rig_close(&g);
}

/* A printer that never answers: the job fails with TIMEOUT, not a hang. */
static void test_no_status_timeout(void)
{
	fprintf(stderr, "no status answers\n");
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.no_status = true;
	struct rig g;
	if (rig_open(&g, &cfg, false, "?timeout_ms=400"))
		return;
	struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
	CHECK_RC(kiosk_printer_get_status(g.prn, 800, &st), KIOSK_E_TIMEOUT);
	CHECK_EQ_INT(st.paper, KIOSK_PAPER_UNKNOWN);
	CHECK_EQ_INT(st.cover_open, KIOSK_UNKNOWN);
	CHECK_EQ_INT(st.online, KIOSK_UNKNOWN);
	CHECK_STR(kiosk_printer_status_summary(&st), "offline");
	/* never silently "took 0 of N": bytes written vs confirmed, and maybe printed */
	char msg[256];
	CHECK_RC(print_once(&g, 40, NULL, msg, sizeof msg), KIOSK_E_TIMEOUT);
	CHECK_EQ_INT(last_partial, KIOSK_JOB_PARTIAL_MAYBE);
	CHECK(last_written > 0 && last_confirmed == 0);
	CHECK(strstr(msg, "wrote ") && strstr(msg, "confirmed taking 0") &&
	      strstr(msg, "may have printed"));
	/* silence from a printer that never answered is not OFFLINE (many never
	 * answer); its accepted connection says it is there */
	CHECK_EQ_INT(kiosk_device_get_state(kiosk_printer_device(g.prn)), KIOSK_DEVICE_ONLINE);
	rig_close(&g);
}

struct killer {
	struct rig *g;
	int ms;
};
static void *stop_sim_later(void *arg)
{
	struct killer *k = arg;
	usleep((useconds_t)k->ms * 1000);
	sim_printer_stop(k->g->sp);
	k->g->sp = NULL;
	return NULL;
}

/* The peer goes away mid-job (slow link, then the printer vanishes). */
static void test_closed_mid_job(void)
{
	fprintf(stderr, "link closed mid-job\n");
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.slow_bps = 2000;
	struct rig g;
	if (rig_open(&g, &cfg, false, NULL))
		return;
	pthread_t th;
	struct killer k = {&g, 400};
	pthread_create(&th, NULL, stop_sim_later, &k);
	int r = print_once(&g, 60, NULL, NULL, 0);
	pthread_join(th, NULL);
	CHECK(r == KIOSK_E_CLOSED || r == KIOSK_E_IO || r == KIOSK_E_NO_DEVICE);
	CHECK(last_partial != KIOSK_JOB_PARTIAL_NONE && last_written > 0);
	CHECK_EQ_INT(kiosk_device_get_state(kiosk_printer_device(g.prn)), KIOSK_DEVICE_OFFLINE);
	/* the next job fails cleanly too (nobody listens any more) */
	r = print_once(&g, 2, NULL, NULL, 0);
	CHECK(r != KIOSK_OK);
	/* one DEVICE_LEFT for the one loss */
	kiosk_context_dispatch(g.ctx);
	int left = 0;
	for (kiosk_event *ev; (ev = kiosk_context_next_event(g.ctx)); kiosk_event_free(ev))
		left += kiosk_event_get_type(ev) == KIOSK_EVENT_DEVICE_LEFT;
	CHECK_EQ_INT(left, 1);
	rig_close(&g);
}

/* Cancelling a job waiting for paper completes it once with CANCELLED. */
static void test_cancel_waiting(void)
{
	fprintf(stderr, "cancel while waiting for paper\n");
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.paper_out = true;
	struct rig g;
	if (rig_open(&g, &cfg, false, NULL))
		return;
	kiosk_receipt *rc = ptu_receipt(3);
	kiosk_job *job = NULL;
	calls = 0;
	CHECK_RC(kiosk_printer_submit(g.prn, rc, on_done, NULL, &job), KIOSK_OK);
	kiosk_receipt_free(rc);
	for (int i = 0; i < 200 && kiosk_job_get_state(job) != KIOSK_JOB_WAITING; i++)
		usleep(20 * 1000);
	CHECK_EQ_INT(kiosk_job_get_state(job), KIOSK_JOB_WAITING);
	CHECK_RC(kiosk_job_cancel(job), KIOSK_OK);
	CHECK_RC(kiosk_job_wait(job, 10000), KIOSK_E_CANCELLED);
	for (int i = 0; i < 50 && !calls; i++)
		kiosk_context_wait(g.ctx, 100);
	CHECK_EQ_INT(calls, 1);
	kiosk_job_unref(job);
	rig_close(&g);
}

/* Closing the printer while a job waits for paper: one CANCELLED completion. */
static void test_close_waiting(void)
{
	fprintf(stderr, "close while waiting for paper\n");
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.paper_out = true;
	struct rig g;
	if (rig_open(&g, &cfg, true, NULL))
		return;
	kiosk_receipt *rc = ptu_receipt(3);
	kiosk_job *job = NULL, *queued = NULL;
	calls = 0;
	CHECK_RC(kiosk_printer_submit(g.prn, rc, on_done, NULL, &job), KIOSK_OK);
	CHECK_RC(kiosk_printer_submit(g.prn, rc, on_done, NULL, &queued), KIOSK_OK);
	kiosk_receipt_free(rc);
	for (int i = 0; i < 200 && kiosk_job_get_state(job) != KIOSK_JOB_WAITING; i++)
		usleep(20 * 1000);
	CHECK_EQ_INT(kiosk_job_get_state(job), KIOSK_JOB_WAITING);
	CHECK_EQ_INT(kiosk_job_get_state(queued), KIOSK_JOB_QUEUED);
	kiosk_printer_close(g.prn);
	g.prn = NULL;
	CHECK_RC(kiosk_job_get_result(job), KIOSK_E_CANCELLED);
	CHECK_RC(kiosk_job_get_result(queued), KIOSK_E_CANCELLED);
	for (int i = 0; i < 50 && calls < 2; i++)
		kiosk_context_wait(g.ctx, 100);
	CHECK_EQ_INT(calls, 2);
	kiosk_job_unref(job);
	kiosk_job_unref(queued);
	rig_close(&g);
}

/* Status polling raises events on change. */
static void test_status_events(void)
{
	fprintf(stderr, "status events\n");
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	struct rig g;
	if (rig_open(&g, &cfg, false, NULL))
		return;
	kiosk_printer_set_status_poll(g.prn, 100);
	int ok = 0, out = 0, cover = 0;
	for (int step = 0; step < 3; step++) {
		if (step == 1)
			sim_printer_set_paper_out(g.sp, true);
		if (step == 2) {
			sim_printer_set_paper_out(g.sp, false);
			sim_printer_set_cover_open(g.sp, true);
		}
		uint64_t until = kioski_now_ms() + 3000;
		while (kioski_now_ms() < until) {
			kiosk_context_wait(g.ctx, 100);
			for (kiosk_event *ev; (ev = kiosk_context_next_event(g.ctx)); kiosk_event_free(ev)) {
				const struct kiosk_printer_status *s = kiosk_event_get_printer_status(ev);
				if (!s)
					continue;
				ok += s->paper == KIOSK_PAPER_OK && s->cover_open == KIOSK_NO;
				out += s->paper == KIOSK_PAPER_OUT;
				cover += s->cover_open == KIOSK_YES;
			}
			if ((step == 0 && ok) || (step == 1 && out) || (step == 2 && cover))
				break;
		}
	}
	/* (a poll that straddles a change may report it in two steps: >= 1) */
	CHECK(ok >= 1);
	CHECK(out >= 1);
	CHECK(cover >= 1);
	rig_close(&g);
}

/* A slow link: status answers queue behind data (as on a busy serial line);
 * late answers must not be mistaken for later queries'. Paper runs out too. */
static void test_slow_link(void)
{
	fprintf(stderr, "slow link with a paper-out\n");
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.slow_bps = 4000;
	cfg.paper_out_after = 1200;
	cfg.recover_after_ms = 800;
	struct rig g;
	if (rig_open(&g, &cfg, true, NULL))
		return;
	enum kiosk_job_state top;
	CHECK_RC(print_once(&g, 60, &top, NULL, 0), KIOSK_OK);
	CHECK_EQ_INT(top, KIOSK_JOB_WAITING);
	CHECK_EQ_INT(sim_printer_pages(g.sp), 1);
	char *text = sim_printer_page_text(g.sp, 0);
	ptu_check_lines_once(text, 60);
	free(text);
	struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
	CHECK_RC(kiosk_printer_get_status(g.prn, 3000, &st), KIOSK_OK);
	CHECK_EQ_INT(st.paper, KIOSK_PAPER_OK);
	CHECK_EQ_INT(st.online, KIOSK_YES);
	rig_close(&g);
}

int main(void)
{
	snprintf(outdir, sizeof outdir, "%s/printer-faults-XXXXXX", KIOSK_BINARY_DIR);
	if (!mkdtemp(outdir))
		return 1;
	test_paper_out_before_job();
	test_cover_open();
	test_paper_out_mid_job_recovers(false);
	test_paper_out_mid_job_recovers(true);
	test_paper_out_mid_job_no_gsr();
	test_paper_out_injected();
	test_paper_out_mid_job_gives_up();
	test_no_status_timeout();
	test_closed_mid_job();
	test_cancel_waiting();
	test_close_waiting();
	test_status_events();
	test_slow_link();
	ptu_cleanup(outdir);
	return test_done("test_printer_faults");
}
