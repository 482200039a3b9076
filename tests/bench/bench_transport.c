/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_transport — what the transports cost: request/reply round trips of
 * a 10-byte frame (a SAM_V command's size), bulk throughput, and how fast a
 * cancel from another thread wakes a blocked read. Serial runs over a pty
 * (no baud-rate pacing: it measures the code path, not the wire), TCP over
 * 127.0.0.1.
 *
 *   build/tests/bench/bench_transport [round-trips]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "driver.h"
#include "sim.h"

__attribute__((used)) static const void *const bench_transports[] = {&kioski_transport_tcp,
								       &kioski_transport_serial};

/* Far side: echoes everything back (mode 0) or swallows it (mode 1). */
struct peer {
	pthread_t th;
	int fd, lfd, mode;
	volatile int stop;
};

static void *peer_main(void *arg)
{
	struct peer *p = arg;
	if (p->lfd >= 0) {
		p->fd = accept(p->lfd, NULL, NULL);
		if (p->fd < 0)
			return NULL;
	}
	static uint8_t buf[65536];
	while (!p->stop) {
		ssize_t n = sim_read_timeout(p->fd, buf, sizeof buf, 50);
		if (n < 0)
			break;
		if (n > 0 && p->mode == 0 && sim_write_all(p->fd, buf, (size_t)n) < 0)
			break;
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void round_trips(const char *name, kioski_transport *t, int n)
{
	uint64_t *lat = calloc((size_t)n, sizeof *lat);
	static const uint8_t frame[10] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22};
	uint8_t back[10];
	int ok = 0;
	for (int i = 0; i < n; i++) {
		uint64_t t0 = now_us();
		if (kioski_transport_write(t, frame, sizeof frame, 2000) ||
		    kioski_transport_read_exact(t, back, sizeof back, 2000))
			break;
		lat[ok++] = now_us() - t0;
	}
	qsort(lat, (size_t)ok, sizeof *lat, cmp_u64);
	if (ok)
		printf("%-7s round trip (10 B out, 10 B back): median %6.1f us, p99 %6.1f us  (%d runs)\n",
		       name, lat[ok / 2] / 1.0, lat[ok * 99 / 100] / 1.0, ok);
	free(lat);
}

static void throughput(const char *name, kioski_transport *t, size_t total)
{
	static uint8_t chunk[65536];
	uint64_t t0 = now_us();
	size_t sent = 0;
	while (sent < total && kioski_transport_write(t, chunk, sizeof chunk, 5000) == KIOSK_OK)
		sent += sizeof chunk;
	double s = (now_us() - t0) / 1e6;
	printf("%-7s write throughput: %.0f MB/s  (%zu MB in %.3f s)\n", name,
	       sent / 1e6 / s, sent >> 20, s);
}

struct canceller {
	kioski_transport *t;
	uint64_t at;
};

static void *cancel_main(void *arg)
{
	struct canceller *c = arg;
	kioski_sleep_ms(5);
	c->at = now_us();
	kioski_transport_cancel(c->t);
	return NULL;
}

static void cancel_latency(const char *name, kioski_transport *t, int n)
{
	uint64_t lat[200];
	if (n > 200)
		n = 200;
	int ok = 0;
	uint8_t b[8];
	size_t got;
	for (int i = 0; i < n; i++) {
		struct canceller c = {.t = t};
		pthread_t th;
		pthread_create(&th, NULL, cancel_main, &c);
		int r = kioski_transport_read(t, b, sizeof b, &got, 10000);
		uint64_t end = now_us();
		pthread_join(th, NULL);
		kioski_transport_clear_cancel(t);
		if (r == KIOSK_E_CANCELLED)
			lat[ok++] = end - c.at;
	}
	qsort(lat, (size_t)ok, sizeof *lat, cmp_u64);
	if (ok)
		printf("%-7s cancel → blocked read returns: median %6.1f us, max %6.1f us  (%d runs)\n",
		       name, lat[ok / 2] / 1.0, lat[ok - 1] / 1.0, ok);
}

static kioski_transport *open_uri(kiosk_context *ctx, const char *text)
{
	kiosk_uri *u = NULL;
	kioski_transport *t = NULL;
	if (kiosk_uri_parse(text, &u, NULL, 0) || kioski_transport_open(ctx, u, &t))
		fprintf(stderr, "cannot open %s: %s\n", text, kiosk_context_last_error(ctx));
	kiosk_uri_free(u);
	return t;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000;
	kiosk_context *ctx;
	if (kiosk_context_new(&ctx))
		return 1;
	char uri[200], slave[128];

	/* serial over a pty */
	struct peer p = {.lfd = -1};
	if (sim_pty_open(&p.fd, slave, sizeof slave) < 0)
		return 1;
	snprintf(uri, sizeof uri, "serial:%s?baud=115200", slave);
	kioski_transport *t = open_uri(ctx, uri);
	if (t) {
		pthread_create(&p.th, NULL, peer_main, &p);
		round_trips("serial", t, n);
		p.mode = 1;
		throughput("serial", t, 64u << 20);
		p.stop = 1;
		pthread_join(p.th, NULL);
		cancel_latency("serial", t, 100);
		kioski_transport_close(t);
	}
	close(p.fd);

	/* tcp over loopback */
	int port = 0;
	struct peer q = {.lfd = sim_tcp_listen(&port)};
	if (q.lfd < 0)
		return 1;
	pthread_create(&q.th, NULL, peer_main, &q);
	snprintf(uri, sizeof uri, "tcp:127.0.0.1:%d", port);
	t = open_uri(ctx, uri);
	if (t) {
		round_trips("tcp", t, n);
		q.mode = 1;
		throughput("tcp", t, 256u << 20);
		cancel_latency("tcp", t, 100);
		kioski_transport_close(t);
	}
	q.stop = 1;
	pthread_join(q.th, NULL);
	close(q.fd);
	close(q.lfd);
	kiosk_context_free(ctx);
	return 0;
}
