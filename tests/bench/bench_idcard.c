/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_idcard.c — ID-card reader figures:
 *  1. parsing a read reply (frame scan + block split + text decode), ns;
 *  2. a full find/select/read against kiosk-sim on a pty: the library's CPU
 *     time per read versus the wire time the same bytes take at 115200 baud
 *     (a pty has no baud rate, so the wire time is computed; goal ≤ 1 %);
 *  3. idle CPU of presence polling with no card (default 250 ms interval;
 *     goal ≤ 0.5 % of a core).
 * The emulator runs as a separate process so that its CPU is not counted.
 */
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "test.h"
#include "idcard/idcard-private.h"
#include "sim_idcard.h"
#include "idcard-samv/samv_frame.h"

extern char **environ;
const void *force_serial_transport = &kioski_transport_serial;

static double now_s(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void bench_parse(void)
{
	static const uint8_t find[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22};
	static const uint8_t sel[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x02, 0x21};
	static const uint8_t rd[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x01, 0x32};
	struct sim_idcard_opts o = {.card_file = "resident", .sw3_cmd = -1};
	struct sim_idcard *s = sim_idcard_new(&o);
	static uint8_t out[4096];
	sim_idcard_process(s, find, sizeof find, out, sizeof out);
	sim_idcard_process(s, sel, sizeof sel, out, sizeof out);
	size_t n = sim_idcard_process(s, rd, sizeof rd, out, sizeof out);
	sim_idcard_free(s);
	const int iters = 20000;
	double t0 = now_s(CLOCK_MONOTONIC);
	size_t sink = 0;
	for (int i = 0; i < iters; i++) {
		struct samv_reply rep;
		if (kioski_samv_scan(out, n, &rep) != SAMV_FRAME)
			abort();
		sink += rep.data_len;
	}
	double t1 = now_s(CLOCK_MONOTONIC);
	for (int i = 0; i < iters; i++) {
		struct samv_reply rep;
		struct samv_read_data d;
		kioski_samv_scan(out, n, &rep);
		kioski_samv_split_read(rep.data, rep.data_len, 0, &d);
		kiosk_idcard *c = NULL;
		if (kiosk_idcard_decode_text(d.text, &c) != KIOSK_OK)
			abort();
		sink += kiosk_idcard_get_id_number_valid(c);
		kiosk_idcard_free(c);
	}
	double t2 = now_s(CLOCK_MONOTONIC);
	printf("read reply (%zu bytes): frame scan + checksum %.0f ns; + split + decode text + free %.0f ns  [%zu]\n",
	       n, (t1 - t0) / iters * 1e9, (t2 - t1) / iters * 1e9, sink % 10);
}

static pid_t spawn_sim(const char *arg, const char *arg2, char *uri, size_t len)
{
	char bin[1024];
	const char *dir = getenv("KIOSK_BUILD_DIR");
	snprintf(bin, sizeof bin, "%s/hw/sim/kiosk-sim", dir ? dir : KIOSK_BINARY_DIR);
	int fds[2];
	if (pipe(fds) < 0)
		return -1;
	const char *argv[] = {bin, "idcard", arg, arg2, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	pid_t pid;
	if (posix_spawn(&pid, bin, &fa, NULL, (char *const *)argv, environ) != 0)
		return -1;
	close(fds[1]);
	size_t n = 0;
	while (n < len - 1 && read(fds[0], uri + n, 1) == 1 && uri[n] != '\n')
		n++;
	uri[n] = 0;
	close(fds[0]);
	return pid;
}

static void stop_sim(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

static void bench_read(void)
{
	char uri[256];
	pid_t pid = spawn_sim("--card", "resident", uri, sizeof uri);
	if (pid < 0 || strncmp(uri, "serial:", 7)) {
		printf("full read: cannot start kiosk-sim\n");
		return;
	}
	kiosk_context *ctx = test_context();
	kiosk_idcard_reader *rdr = NULL;
	if (kiosk_idcard_open(ctx, uri, &rdr) != KIOSK_OK) {
		printf("full read: cannot open %s\n", uri);
		stop_sim(pid);
		return;
	}
	kiosk_idcard *c = NULL;
	kiosk_idcard_read(rdr, 5000, 0, &c); /* warm up */
	kiosk_idcard_free(c);
	const int n = 50;
	double c0 = cpu_s(), w0 = now_s(CLOCK_MONOTONIC);
	int ok = 0;
	for (int i = 0; i < n; i++) {
		c = NULL;
		ok += kiosk_idcard_read(rdr, 5000, 0, &c) == KIOSK_OK;
		kiosk_idcard_free(c);
	}
	double cpu = (cpu_s() - c0) / n, wall = (now_s(CLOCK_MONOTONIC) - w0) / n;
	/* bytes on the wire per read: 3 commands of 10 bytes; replies 15 + 19 + 1295 */
	double bytes = 3 * 10 + 15 + 19 + 1295;
	double wire = bytes * 10 / 115200.0;
	printf("full find/select/read (%d/%d ok): library CPU %.3f ms per read, wall %.3f ms on a pty;\n"
	       "  wire time at 115200 baud %.1f ms (%.0f bytes) → library = %.2f %% of wire time (goal ≤ 1 %%)\n",
	       ok, n, cpu * 1e3, wall * 1e3, wire * 1e3, bytes, cpu / wire * 100);
	kiosk_idcard_close(rdr);
	kiosk_context_free(ctx);
	stop_sim(pid);
}

static void bench_idle(void)
{
	char uri[256];
	pid_t pid = spawn_sim("--no-card", NULL, uri, sizeof uri);
	if (pid < 0 || strncmp(uri, "serial:", 7)) {
		printf("idle polling: cannot start kiosk-sim\n");
		return;
	}
	kiosk_context *ctx = test_context();
	kiosk_idcard_reader *rdr = NULL;
	if (kiosk_idcard_open(ctx, uri, &rdr) != KIOSK_OK) {
		stop_sim(pid);
		return;
	}
	kiosk_idcard_watch(rdr, 0, true);
	usleep(300000);
	const double secs = 10;
	double c0 = cpu_s(), w0 = now_s(CLOCK_MONOTONIC);
	while (now_s(CLOCK_MONOTONIC) - w0 < secs) {
		kiosk_context_wait(ctx, 500);
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(ctx)))
			kiosk_event_free(ev);
	}
	double cpu = cpu_s() - c0, wall = now_s(CLOCK_MONOTONIC) - w0;
	printf("idle presence polling, no card, 250 ms interval: %.3f %% of a core over %.0f s "
	       "(goal ≤ 0.5 %%)\n", cpu / wall * 100, wall);
	kiosk_idcard_close(rdr);
	kiosk_context_free(ctx);
	stop_sim(pid);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	bench_parse();
	bench_read();
	bench_idle();
	return 0;
}
