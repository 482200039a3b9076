/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_input.c — input-device figures:
 *   - scan latency: a code written to a serial scanner's pty until
 *     kiosk_scanner_read() returns it (median, p95, max);
 *   - HID wedge decoding: key events decoded and framed per second;
 *   - calibration: 5-point fits per second;
 *   - touch: kiosk_touch_feed() until the event is out of the context queue.
 */
#include <time.h>
#include <unistd.h>
#include <linux/input.h>
#include "test.h"
#include "sim.h"
#include "driver.h"
#include "input/scanner-private.h"
#include "scanner/hid_keymap.h"

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void report(const char *what, double *v, int n, const char *unit)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	printf("%-34s median %8.3f %s   p95 %8.3f %s   max %8.3f %s   (n=%d)\n", what, v[n / 2], unit,
	       v[n * 95 / 100], unit, v[n - 1], unit, n);
}

static void bench_scan_latency(void)
{
	int master;
	char slave[128], uri[256];
	if (sim_pty_open(&master, slave, sizeof slave) < 0)
		return;
	snprintf(uri, sizeof uri, "serial:%s?baud=115200", slave);
	kiosk_context *ctx = test_context();
	kiosk_scanner *s = NULL;
	if (kiosk_scanner_open(ctx, uri, &s) < 0)
		return;
	enum { N = 200 };
	double lat[N];
	int n = 0;
	for (int i = 0; i < N; i++) {
		kiosk_job *job = NULL;
		if (kiosk_scanner_read_async(s, 5000, NULL, NULL, &job) < 0)
			break;
		kioski_sleep_ms(2);
		char code[64];
		int len = snprintf(code, sizeof code, "https://zwfw.example.gov.cn/c/%06d\r", i);
		double t0 = now_us();
		sim_write_all(master, code, (size_t)len);
		if (kiosk_job_wait(job, 5000) == KIOSK_OK)
			lat[n++] = (now_us() - t0) / 1000.0;
		kiosk_job_unref(job);
	}
	if (n)
		report("scan latency (pty, 40-byte QR)", lat, n, "ms");
	kiosk_scanner_close(s);
	kiosk_context_free(ctx);
	close(master);
}

static size_t codes;
static void count(void *u, const char *c, size_t l, uint64_t t)
{
	codes++;
}

static void bench_hid(void)
{
	struct kioski_hid_decoder d;
	struct kioski_scan_framer f;
	kioski_hid_init(&d, false);
	kioski_framer_init(&f, KIOSKI_TERM_NONE, 0, 300, count, NULL);
	static const int keys[] = {KEY_H, KEY_T, KEY_T, KEY_P, KEY_S, KEY_SEMICOLON, KEY_SLASH,
				   KEY_SLASH, KEY_Z, KEY_W, KEY_F, KEY_W, KEY_DOT, KEY_1, KEY_2};
	const int rounds = 200000;
	double t0 = now_us();
	size_t events = 0;
	char c;
	for (int r = 0; r < rounds; r++) {
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			for (int v = 1; v >= 0; v--) {
				if (kioski_hid_decode(&d, EV_KEY, (uint16_t)keys[k], v, &c) == KIOSKI_HID_CHAR)
					kioski_framer_put(&f, (uint8_t)c, 1000);
				kioski_hid_decode(&d, EV_SYN, SYN_REPORT, 0, &c);
				events += 2;
			}
		}
		kioski_hid_decode(&d, EV_KEY, KEY_ENTER, 1, &c);
		kioski_framer_end(&f, 1000);
		events++;
	}
	double s = (now_us() - t0) / 1e6;
	printf("%-34s %.1f M events/s, %.0f k codes/s (%zu codes)\n", "HID wedge decode + framing",
	       events / s / 1e6, codes / s / 1e3, codes);
	kioski_framer_fini(&f);
}

static void bench_calibration(void)
{
	double targets[5][2], raw[5][2], m[6];
	kiosk_calibration_targets(1920, 1080, 0, targets);
	for (int i = 0; i < 5; i++) {
		raw[i][0] = targets[i][0] / 1920 * 1.01 + 0.003 * i;
		raw[i][1] = targets[i][1] / 1080 * 0.99 - 0.002 * i;
	}
	const int n = 1000000;
	double t0 = now_us(), sink = 0;
	for (int i = 0; i < n; i++) {
		raw[i % 5][0] += 1e-9;
		kiosk_calibration_compute((const double(*)[2])targets, (const double(*)[2])raw, 1920,
					  1080, m);
		sink += m[0];
	}
	double s = (now_us() - t0) / 1e6;
	printf("%-34s %.2f M fits/s (%.3f us each)%s\n", "5-point least-squares fit", n / s / 1e6,
	       s / n * 1e6, sink > 0 ? "" : " ");
}

static void bench_touch(void)
{
	kiosk_context *ctx = test_context();
	kiosk_touch *t = NULL;
	if (kiosk_touch_new_virtual(ctx, &t) < 0)
		return;
	kiosk_touch_set_screen_size(t, 1920, 1080);
	enum { N = 2000 };
	static double lat[N];
	int n = 0;
	for (int i = 0; i < N; i++) {
		double t0 = now_us();
		kiosk_touch_feed(t, i % 2 ? KIOSK_EVENT_TOUCH_UP : KIOSK_EVENT_TOUCH_DOWN, 0, 0.5, 0.5, 0);
		kiosk_context_wait(ctx, 1000);
		kiosk_event *e = kiosk_context_next_event(ctx);
		if (e) {
			lat[n++] = now_us() - t0;
			kiosk_event_free(e);
		}
	}
	report("touch feed -> event out of queue", lat, n, "us");
	kiosk_touch_close(t);
	kiosk_context_free(ctx);
}

int main(void)
{
	bench_scan_latency();
	bench_hid();
	bench_calibration();
	bench_touch();
	return 0;
}
