/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unattended recovery and no half receipt glued to the next:
 * - the printer emulator (kiosk-sim printer, a separate process) is killed
 *   and started again, on TCP and on a pty reached through a stable symlink
 *   (as udev's /dev/serial/by-id names are): the device goes OFFLINE then
 *   back with DEVICE_STATE events, and the next print works without the
 *   application reopening anything;
 * - kiosk_device_reconnect() drops and re-opens a working link;
 * - a job abandoned mid-way (paper out, nobody reloads) on a printer that
 *   ignores DLE DC4 8: after the paper comes back, no page (pages split at
 *   cuts) holds lines of the abandoned receipt together with the next one.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "printer_test_util.h"
#include "sim_printer.h"

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Kills an emulator the hard way (a crash, a power cut), reaps it. */
static void sim_kill(int pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* The device states seen in DEVICE_STATE events, in order. */
struct seen {
	enum kiosk_device_state states[32];
	int n;
	int used; /* states before this one answered an earlier wait_state() */
	int left; /* DEVICE_LEFT events */
};

/* True if a state event to `want` came since the last wait answered. */
static bool take_state(struct seen *seen, enum kiosk_device_state want)
{
	for (int i = seen->used; i < seen->n; i++)
		if (seen->states[i] == want) {
			seen->used = i + 1;
			return true;
		}
	return false;
}

/* Dispatches until a DEVICE_STATE event to `want` arrived (or `ms` passed).
 * True if it came. One batch of events can hold several changes (offline and
 * online again): each wait answers with the first unused one. */
static bool wait_state(kiosk_context *ctx, kiosk_device *dev, struct seen *seen,
		       enum kiosk_device_state want, int ms)
{
	uint64_t until = now_ms() + (uint64_t)ms;
	for (;;) {
		if (take_state(seen, want))
			return true;
		kiosk_context_dispatch(ctx);
		for (kiosk_event *ev; (ev = kiosk_context_next_event(ctx)); kiosk_event_free(ev)) {
			if (kiosk_event_get_device(ev) != dev)
				continue;
			if (kiosk_event_get_type(ev) == KIOSK_EVENT_DEVICE_LEFT)
				seen->left++;
			if (kiosk_event_get_type(ev) != KIOSK_EVENT_DEVICE_STATE)
				continue;
			enum kiosk_device_state prev;
			enum kiosk_device_state st = kiosk_event_get_device_state(ev, &prev);
			if (seen->n && seen->states[seen->n - 1] != prev) {
				fprintf(stderr, "  state event from %s, last seen %s\n",
					kiosk_device_state_name(prev),
					kiosk_device_state_name(seen->states[seen->n - 1]));
				CHECK(!"events describe every change");
			}
			if (st == KIOSK_DEVICE_OFFLINE)
				CHECK(kiosk_event_get_error(ev) != KIOSK_OK);
			fprintf(stderr, "  state: %s (%s)\n", kiosk_device_state_name(st),
				kiosk_error_name(kiosk_event_get_error(ev)));
			if (seen->n < 32)
				seen->states[seen->n++] = st;
		}
		if (take_state(seen, want))
			return true;
		if (now_ms() >= until)
			return false;
		kiosk_context_wait(ctx, 50);
	}
}

static int print_lines(kiosk_printer *prn, const char *tag, int lines, int timeout_ms,
		       enum kiosk_job_partial *partial)
{
	kiosk_receipt *r = NULL;
	kiosk_receipt_new(&r);
	for (int i = 0; i < lines; i++) {
		char t[96];
		snprintf(t, sizeof t, "%s-%02d 办理进度 case 2026-000123", tag, i);
		kiosk_receipt_add_text(r, t, NULL);
	}
	char end[32];
	snprintf(end, sizeof end, "%s-END", tag);
	kiosk_receipt_add_text(r, end, NULL);
	kiosk_receipt_add_cut(r, false);
	kiosk_job *job = NULL;
	int rc = kiosk_printer_submit(prn, r, NULL, NULL, &job);
	kiosk_receipt_free(r);
	if (rc != KIOSK_OK)
		return rc;
	rc = kiosk_job_wait(job, timeout_ms);
	fprintf(stderr, "  %s: %s: %s\n", tag, kiosk_error_name(rc), kiosk_job_get_message(job));
	if (partial)
		*partial = kiosk_job_get_partial(job);
	kiosk_job_unref(job);
	return rc;
}

/* Kill the emulator, start it again at the same place; the next print works. */
static void test_kill_restart(bool pty)
{
	fprintf(stderr, "kill and restart kiosk-sim printer (%s)\n", pty ? "pty" : "tcp");
	char dir[] = "/tmp/kiosk-recovery-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char outdir[300], link[300], uri[200], open_uri[400];
	snprintf(outdir, sizeof outdir, "%s/out", dir);
	snprintf(link, sizeof link, "%s/printer", dir);
	const char *tcp_args[] = {"--tcp", "0", "--out", outdir, NULL};
	const char *pty_args[] = {"--pty", "--out", outdir, NULL};
	int pid = test_sim_start("printer", pty ? pty_args : tcp_args, uri, sizeof uri);
	CHECK(pid > 0);
	if (pid <= 0)
		return;
	char port[16] = "";
	if (pty) {
		/* a stable name for a node that comes back elsewhere (udev by-id) */
		CHECK(symlink(uri + strlen("serial:"), link) == 0);
		snprintf(open_uri, sizeof open_uri, "serial:%s", link);
	} else {
		snprintf(port, sizeof port, "%s", strrchr(uri, ':') + 1);
		snprintf(open_uri, sizeof open_uri, "%s", uri);
	}
	kiosk_context *ctx = test_context();
	kiosk_printer *prn = NULL;
	CHECK_RC(kiosk_printer_open(ctx, open_uri, "generic-80mm", &prn), KIOSK_OK);
	if (!prn) {
		sim_kill(pid);
		kiosk_context_free(ctx);
		return;
	}
	kiosk_device *dev = kiosk_printer_device(prn);
	kiosk_printer_set_status_poll(prn, 300);
	struct seen seen = {0};
	/* a TCP connection accepted is the printer; a serial port is only a port
	 * until the printer answers */
	CHECK(wait_state(ctx, dev, &seen, KIOSK_DEVICE_ONLINE, 5000));
	CHECK_EQ_INT(kiosk_device_get_state(dev), KIOSK_DEVICE_ONLINE);
	CHECK_RC(print_lines(prn, "first", 3, 20000, NULL), KIOSK_OK);

	sim_kill(pid);
	if (pty)
		unlink(link); /* as udev removes the by-id link with the device */
	uint64_t t0 = now_ms();
	CHECK(wait_state(ctx, dev, &seen, KIOSK_DEVICE_OFFLINE, 5000));
	fprintf(stderr, "  offline after %llu ms\n", (unsigned long long)(now_ms() - t0));
	CHECK_EQ_INT(kiosk_device_get_state(dev), KIOSK_DEVICE_OFFLINE);
	CHECK_EQ_INT(seen.left, 1);
	usleep(1500 * 1000); /* a few failed re-open attempts while it is away */
	CHECK_EQ_INT(kiosk_device_get_state(dev), KIOSK_DEVICE_OFFLINE);

	const char *tcp_again[] = {"--tcp", port, "--out", outdir, NULL};
	pid = test_sim_start("printer", pty ? pty_args : tcp_again, uri, sizeof uri);
	CHECK(pid > 0);
	if (pty)
		CHECK(symlink(uri + strlen("serial:"), link) == 0);
	t0 = now_ms();
	CHECK(wait_state(ctx, dev, &seen, KIOSK_DEVICE_ONLINE, 8000));
	uint64_t back = now_ms() - t0;
	fprintf(stderr, "  online again after %llu ms\n", (unsigned long long)back);
	CHECK(back < 5000); /* bounded back-off: at most 3 s between attempts */
	CHECK_EQ_INT(seen.left, 1);
	/* the next job simply works: nothing was reopened by the application */
	CHECK_RC(print_lines(prn, "after", 3, 20000, NULL), KIOSK_OK);
	CHECK(seen.n >= 3 && seen.states[seen.n - 1] == KIOSK_DEVICE_ONLINE);

	kiosk_printer_close(prn);
	kiosk_context_free(ctx);
	sim_kill(pid);
	unlink(link);
	ptu_cleanup(dir);
}

/* A maintenance reconnect: OFFLINE, then ONLINE again; printing goes on. */
static void test_reconnect_call(void)
{
	fprintf(stderr, "kiosk_device_reconnect\n");
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	struct sim_printer *sp = NULL;
	char uri[160];
	CHECK(sim_printer_start_tcp(&cfg, &sp, uri, sizeof uri) == 0);
	kiosk_context *ctx = test_context();
	kiosk_printer *prn = NULL;
	CHECK_RC(kiosk_printer_open(ctx, uri, "generic-80mm", &prn), KIOSK_OK);
	if (!prn) {
		sim_printer_stop(sp);
		kiosk_context_free(ctx);
		return;
	}
	kiosk_device *dev = kiosk_printer_device(prn);
	struct seen seen = {0};
	CHECK(wait_state(ctx, dev, &seen, KIOSK_DEVICE_ONLINE, 3000));
	CHECK_RC(kiosk_device_set_reconnect(dev, 5, 100), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_device_set_reconnect(dev, 100, 50), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_device_set_reconnect(dev, 100, 1000), KIOSK_OK);
	CHECK_RC(kiosk_device_reconnect(NULL), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_device_reconnect(dev), KIOSK_OK);
	CHECK(wait_state(ctx, dev, &seen, KIOSK_DEVICE_OFFLINE, 3000));
	CHECK(wait_state(ctx, dev, &seen, KIOSK_DEVICE_ONLINE, 3000));
	CHECK_RC(print_lines(prn, "again", 2, 20000, NULL), KIOSK_OK);
	struct sim_printer_stats st;
	sim_printer_get_stats(sp, &st);
	CHECK_EQ_INT(st.connections, 2);
	CHECK_STR(kiosk_device_state_name(KIOSK_DEVICE_OFFLINE), "offline");
	CHECK_STR(kiosk_device_state_name(KIOSK_DEVICE_ONLINE), "online");
	CHECK_STR(kiosk_device_state_name(KIOSK_DEVICE_UNKNOWN), "unknown");
	CHECK_STR(kiosk_event_type_name(KIOSK_EVENT_DEVICE_STATE), "device-state");
	kiosk_printer_close(prn);
	sim_printer_stop(sp);
	kiosk_context_free(ctx);
}

/* Paper out mid-job, nobody reloads in time: the job is abandoned. The
 * printer ignores DLE DC4 8, so the rest of it prints once paper is back;
 * the next receipt must still be on a page of its own. */
static void test_no_half_receipt(const char *profile)
{
	fprintf(stderr, "abandoned job on a printer that ignores DLE DC4 8 (%s)\n", profile);
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.ignore_clear = true;
	cfg.paper_out_after = 1500;
	struct sim_printer *sp = NULL;
	char uri[160];
	CHECK(sim_printer_start_tcp(&cfg, &sp, uri, sizeof uri) == 0);
	kiosk_context *ctx = test_context();
	kiosk_printer *prn = NULL;
	CHECK_RC(kiosk_printer_open(ctx, uri, profile, &prn), KIOSK_OK);
	if (!prn) {
		sim_printer_stop(sp);
		kiosk_context_free(ctx);
		return;
	}
	kiosk_printer_set_status_poll(prn, 0);
	kiosk_printer_set_paper_wait(prn, 500);
	enum kiosk_job_partial partial;
	CHECK_RC(print_lines(prn, "ABANDONED", 60, 30000, &partial), KIOSK_E_PAPER_OUT);
	CHECK(partial != KIOSK_JOB_PARTIAL_NONE);
	/* paper back: the printer prints what it kept of the abandoned job */
	sim_printer_set_paper_out(sp, false);
	usleep(300 * 1000);
	CHECK_RC(print_lines(prn, "NEXT", 5, 30000, NULL), KIOSK_OK);
	int pages = sim_printer_pages(sp);
	int next_pages = 0;
	for (int i = 0; i <= pages; i++) { /* i == pages: the page in progress */
		char *t = sim_printer_page_text(sp, i);
		int a = t ? ptu_count(t, "ABANDONED-") : 0, n = t ? ptu_count(t, "NEXT-") : 0;
		if (a && n)
			fprintf(stderr, "  page %d glues the abandoned receipt to the next:\n%s\n", i, t);
		CHECK(!(a && n));
		if (n) {
			next_pages++;
			CHECK_EQ_INT(n, 6); /* the next receipt whole, once */
		}
		free(t);
	}
	CHECK_EQ_INT(next_pages, 1);
	kiosk_printer_close(prn);
	sim_printer_stop(sp);
	kiosk_context_free(ctx);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_kill_restart(false);
	test_kill_restart(true);
	test_reconnect_call();
	test_no_half_receipt("generic-80mm");          /* GS r; profile says clear works */
	test_no_half_receipt("legacy-80mm-raster-qr"); /* no GS r, no clear_buffer */
	return test_done("test_printer_recovery");
}
