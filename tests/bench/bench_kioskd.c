/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_kioskd — what kioskd costs on top of the C API, on kiosk-sim devices:
 *   - round trip of Printer.Status and IdCard.Read through kioskd (WebSocket on
 *     loopback) vs the same calls through the C API (p50/p99, overhead);
 *   - Common.Status through kioskd: the protocol alone, no device I/O;
 *   - kioskd's RSS idle and with 100 connections;
 *   - kioskd's CPU while idle, its devices polled (card watch every 250 ms,
 *     printer status every 2 s).
 *
 *   build/tests/bench/bench_kioskd [calls]        (default 300, paced at 40/s)
 *
 * The WebSocket client here is a minimal blocking one written for the
 * measurement (handshake, masked text frames, unmasked replies): a client
 * library's own event loop would be timed along with kioskd otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kiosk/kiosk.h>
#include "test.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	int i = (int)(p * (n - 1) + 0.5);
	return v[i];
}

/* Both sides are paced alike: at most one call every 25 ms (see ws_call). */
static void pace(void)
{
	static double last;
	double wait = last + 25.0 - now_ms();
	if (wait > 0)
		usleep((useconds_t)(wait * 1000));
	last = now_ms();
}

/* ---- a minimal blocking WebSocket client ------------------------------ */

static int ws_connect(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		perror("connect");
		exit(1);
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	char req[512];
	int n = snprintf(req, sizeof req,
			 "GET /kiosk/v1 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
			 "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
			 "Sec-WebSocket-Version: 13\r\n\r\n", port);
	if (write(fd, req, (size_t)n) != n)
		exit(1);
	char buf[2048];
	size_t got = 0;
	while (got < sizeof buf - 1) {
		ssize_t r = read(fd, buf + got, 1);
		if (r <= 0) {
			fprintf(stderr, "handshake failed\n");
			exit(1);
		}
		got += (size_t)r;
		buf[got] = '\0';
		if (strstr(buf, "\r\n\r\n"))
			break;
	}
	if (strncmp(buf, "HTTP/1.1 101", 12)) {
		fprintf(stderr, "handshake refused: %.40s\n", buf);
		exit(1);
	}
	return fd;
}

static void ws_send(int fd, const char *text)
{
	size_t len = strlen(text);
	unsigned char hdr[8] = {0x81, 0}, buf[4096];
	size_t h = 2;
	if (len < 126) {
		hdr[1] = 0x80 | (unsigned char)len;
	} else {
		hdr[1] = 0x80 | 126;
		hdr[2] = (unsigned char)(len >> 8);
		hdr[3] = (unsigned char)len;
		h = 4;
	}
	memcpy(buf, hdr, h);
	memset(buf + h, 0, 4); /* mask key 0: allowed, and the payload stays as is */
	memcpy(buf + h + 4, text, len);
	if (write(fd, buf, h + 4 + len) != (ssize_t)(h + 4 + len))
		exit(1);
}

static void read_full(int fd, void *p, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)p + got, n - got);
		if (r <= 0) {
			fprintf(stderr, "connection lost\n");
			exit(1);
		}
		got += (size_t)r;
	}
}

/* Reads one text frame into buf (NUL-terminated). */
static void ws_recv(int fd, char *buf, size_t cap)
{
	unsigned char h[2];
	read_full(fd, h, 2);
	uint64_t len = h[1] & 0x7f;
	if (len == 126) {
		unsigned char e[2];
		read_full(fd, e, 2);
		len = (uint64_t)e[0] << 8 | e[1];
	} else if (len == 127) {
		unsigned char e[8];
		read_full(fd, e, 8);
		len = 0;
		for (int i = 0; i < 8; i++)
			len = len << 8 | e[i];
	}
	if (len >= cap) {
		fprintf(stderr, "reply too large\n");
		exit(1);
	}
	read_full(fd, buf, (size_t)len);
	buf[len] = '\0';
}

/*
 * Sends a command, reads up to its completion; returns ms, -1 if not success.
 * Calls are paced to 40 per second: kioskd allows a client 50 messages per
 * second (bursts of 100) and refuses more with tooManyRequests.
 */
static double ws_call(int fd, const char *name, int id)
{
	char msg[256], buf[65536];
	snprintf(msg, sizeof msg,
		 "{\"header\":{\"type\":\"command\",\"name\":\"%s\",\"requestId\":%d,\"timeout\":10000},"
		 "\"payload\":{}}", name, id);
	pace();
	double t0 = now_ms();
	ws_send(fd, msg);
	for (;;) {
		ws_recv(fd, buf, sizeof buf);
		if (strstr(buf, "\"type\":\"acknowledge\"") && !strstr(buf, "\"status\":\"ok\"")) {
			fprintf(stderr, "refused: %s\n", buf);
			exit(1);
		}
		if (strstr(buf, "\"type\":\"completion\"")) {
			double t = now_ms() - t0;
			return strstr(buf, "\"completionCode\":\"success\"") ? t : -1;
		}
	}
}

/* ---- kioskd as a child ------------------------------------------------- */

static pid_t kioskd_start(const char *idcard, const char *printer, int *port)
{
	int p[2];
	if (pipe(p) < 0)
		exit(1);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		char path[1024];
		snprintf(path, sizeof path, "%s/examples/kioskd/kioskd", KIOSK_BINARY_DIR);
		execl(path, "kioskd", "--listen", "127.0.0.1:0", "--idcard", idcard, "--printer",
		      printer, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char line[256] = "";
	size_t got = 0;
	while (got < sizeof line - 1 && !strchr(line, '\n')) {
		ssize_t r = read(p[0], line + got, sizeof line - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
		line[got] = '\0';
	}
	close(p[0]);
	char *colon = strrchr(line, ':');
	*port = colon ? atoi(colon + 1) : 0;
	if (*port <= 0) {
		fprintf(stderr, "kioskd did not start\n");
		exit(1);
	}
	return pid;
}

static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kb = -1;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static double cpu_s(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof buf, f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	char *p = strrchr(buf, ')');
	unsigned long ut = 0, st = 0;
	/* fields after ")": state(3) … utime(14) stime(15) */
	sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void report(const char *what, double *via, double *direct, int n)
{
	double v50 = pct(via, n, 0.5), v99 = pct(via, n, 0.99);
	double d50 = pct(direct, n, 0.5), d99 = pct(direct, n, 0.99);
	printf("%-16s  C API p50 %7.3f ms  p99 %7.3f ms | kioskd p50 %7.3f ms  p99 %7.3f ms | "
	       "overhead p50 %+.3f ms  p99 %+.3f ms\n",
	       what, d50, d99, v50, v99, v50 - d50, v99 - d99);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 300;
	if (n < 10)
		n = 10;
	signal(SIGPIPE, SIG_IGN);
	char id_uri[256], prn_uri[256];
	const char *id_args[] = {"--pty", "--card", test_source_path("hw/sim/cards/resident.json"), NULL};
	int id_pid = test_sim_start("idcard", id_args, id_uri, sizeof id_uri);
	const char *prn_args[] = {"--tcp", "0", NULL};
	int prn_pid = test_sim_start("printer", prn_args, prn_uri, sizeof prn_uri);
	if (id_pid < 0 || prn_pid < 0) {
		fprintf(stderr, "kiosk-sim did not start\n");
		return 1;
	}
	double *via = calloc((size_t)n, sizeof *via), *direct = calloc((size_t)n, sizeof *direct);

	/* the C API directly */
	kiosk_context *ctx;
	kiosk_context_new(&ctx);
	kiosk_printer *prn;
	kiosk_idcard_reader *rdr;
	if (kiosk_printer_open(ctx, prn_uri, NULL, &prn) || kiosk_idcard_open(ctx, id_uri, &rdr)) {
		fprintf(stderr, "cannot open the emulated devices\n");
		return 1;
	}
	struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
	for (int i = 0; i < n; i++) {
		pace();
		double t0 = now_ms();
		if (kiosk_printer_get_status(prn, 5000, &st) != KIOSK_OK)
			fprintf(stderr, "status failed\n");
		direct[i] = now_ms() - t0;
	}
	double *prn_direct = malloc((size_t)n * sizeof *prn_direct);
	memcpy(prn_direct, direct, (size_t)n * sizeof *direct);
	int n_read = n / 10 < 20 ? 20 : n / 10; /* a read moves ~1.3 KB at 115200 baud */
	for (int i = 0; i < n_read; i++) {
		kiosk_idcard *card = NULL;
		pace();
		double t0 = now_ms();
		if (kiosk_idcard_read(rdr, 5000, 0, &card) != KIOSK_OK)
			fprintf(stderr, "read failed\n");
		direct[i] = now_ms() - t0;
		kiosk_idcard_free(card);
	}
	double *id_direct = malloc((size_t)n_read * sizeof *id_direct);
	memcpy(id_direct, direct, (size_t)n_read * sizeof *direct);
	kiosk_printer_close(prn);
	kiosk_idcard_close(rdr);
	kiosk_context_free(ctx);

	fprintf(stderr, "bench_kioskd: C API done; now through kioskd (10 s of idle first)\n");
	/* through kioskd */
	int port;
	pid_t kd = kioskd_start(id_uri, prn_uri, &port);
	sleep(2); /* settle: first polls, card announced */
	long rss_idle = rss_kb(kd);
	double c0 = cpu_s(kd), w0 = now_ms();
	sleep(10);
	double idle_cpu = (cpu_s(kd) - c0) / ((now_ms() - w0) / 1000.0) * 100.0;

	int fd = ws_connect(port);
	for (int i = 0; i < 20; i++)
		ws_call(fd, "Printer.Status", 100000 + i); /* warm up */
	for (int i = 0; i < n; i++)
		via[i] = ws_call(fd, "Printer.Status", i + 1);
	report("Printer.Status", via, prn_direct, n);
	for (int i = 0; i < n_read; i++)
		via[i] = ws_call(fd, "IdCard.Read", 10000 + i);
	report("IdCard.Read", via, id_direct, n_read);
	printf("%-16s  (kioskd answers from the card its watcher read while the card stays on the\n"
	       "%-16s   reader; the C API reads the card each time)\n", "", "");
	for (int i = 0; i < n; i++)
		via[i] = ws_call(fd, "Common.Status", 20000 + i);
	printf("%-16s  kioskd p50 %7.3f ms  p99 %7.3f ms (protocol only, no device I/O)\n",
	       "Common.Status", pct(via, n, 0.5), pct(via, n, 0.99));

	int fds[100];
	for (int i = 0; i < 100; i++) {
		fds[i] = ws_connect(port);
		ws_call(fds[i], "Common.Status", 1);
	}
	usleep(200000);
	long rss_100 = rss_kb(kd);
	for (int i = 0; i < 100; i++)
		close(fds[i]);
	close(fd);
	printf("kioskd RSS       idle %.1f MB, with 100 connections %.1f MB\n", rss_idle / 1024.0,
	       rss_100 / 1024.0);
	printf("kioskd CPU idle  %.2f %% of one core over 10 s (card watch 250 ms, printer poll 2 s)\n",
	       idle_cpu);
	printf("goals: overhead p99 <= 0.5 ms, RSS idle <= 8 MB, idle CPU <= 0.5 %%\n");

	kill(kd, SIGTERM);
	int status;
	waitpid(kd, &status, 0);
	test_sim_stop(id_pid);
	test_sim_stop(prn_pid);
	free(via);
	free(direct);
	free(prn_direct);
	free(id_direct);
	return 0;
}
