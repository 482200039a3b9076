/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_serial.c — the serial transport against a real pty: the library opens
 * the slave as it would /dev/ttyUSB0; an emulator thread serves the master.
 */
#include <stdatomic.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>
#include "sim.h"
#include "tt.h"

/* Emulator: answers every byte it receives with byte+1, until the master closes. */
struct echo {
	pthread_t th;
	int master;
	atomic_int stop; /* set by the test thread */
};

static void *echo_main(void *arg)
{
	struct echo *e = arg;
	uint8_t buf[256];
	while (!e->stop) {
		ssize_t n = sim_read_timeout(e->master, buf, sizeof buf, 50);
		if (n < 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			buf[i]++;
		if (n > 0 && sim_write_all(e->master, buf, (size_t)n) < 0)
			break;
	}
	return NULL;
}

static char slave[128];
static int master = -1;

static void new_pty(void)
{
	if (master >= 0)
		close(master);
	int r = sim_pty_open(&master, slave, sizeof slave);
	if (r < 0) {
		fprintf(stderr, "sim_pty_open: %s\n", strerror(-r));
		exit(1);
	}
}

static void test_round_trip(kiosk_context *ctx)
{
	char uri[200];
	snprintf(uri, sizeof uri, "serial:%s?baud=9600", slave);
	kioski_transport *t;
	CHECK_RC(tt_open(ctx, uri, &t), KIOSK_OK);
	if (!t)
		return;

	/* The line is raw 8N1 at 9600 baud (on Linux a pty master reports the
	 * slave's termios; opening the slave again would meet TIOCEXCL). */
	struct termios tio;
	CHECK(tcgetattr(master, &tio) == 0);
	CHECK_EQ_INT(cfgetospeed(&tio), B9600);
	CHECK_EQ_INT(cfgetispeed(&tio), B9600);
	CHECK_EQ_INT(tio.c_cflag & CSIZE, CS8);
	CHECK(!(tio.c_cflag & (PARENB | CSTOPB | CRTSCTS)));
	CHECK(tio.c_cflag & CLOCAL);
	CHECK(tio.c_cflag & CREAD);
	CHECK(!(tio.c_lflag & (ICANON | ECHO | ISIG)));
	CHECK(!(tio.c_iflag & (IXON | ICRNL)));
	CHECK(!(tio.c_oflag & OPOST));

	struct echo e = {.master = master};
	pthread_create(&e.th, NULL, echo_main, &e);

	/* host → device → host, including bytes a cooked tty would eat. */
	const uint8_t out[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22,
			       '\r', '\n', 0x03, 0x11, 0x13, 0x00, 0xFE};
	uint8_t in[sizeof out];
	CHECK_RC(kioski_transport_write(t, out, sizeof out, 2000), KIOSK_OK);
	CHECK_RC(kioski_transport_read_exact(t, in, sizeof in, 5000), KIOSK_OK);
	for (size_t i = 0; i < sizeof out; i++)
		CHECK_EQ_INT(in[i], (uint8_t)(out[i] + 1));

	/* A 4 KiB write (more than a pty buffers at once on some kernels) comes back whole. */
	static uint8_t big[4096], back[4096];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i * 7);
	CHECK_RC(kioski_transport_write(t, big, sizeof big, 5000), KIOSK_OK);
	CHECK_RC(kioski_transport_read_exact(t, back, sizeof back, 10000), KIOSK_OK);
	size_t bad = 0;
	for (size_t i = 0; i < sizeof big; i++)
		bad += back[i] != (uint8_t)(big[i] + 1);
	CHECK_EQ_INT(bad, 0);

	e.stop = 1;
	pthread_join(e.th, NULL);
	kioski_transport_close(t);
}

/* A frame the device sends in three pieces, read back as one. */
struct splitter {
	pthread_t th;
	int master;
};

static const uint8_t frame[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08, 0x00, 0x00, 0x9F,
				0x00, 0x00, 0x00, 0x00, 0x97};

static void *split_main(void *arg)
{
	struct splitter *s = arg;
	sim_sleep_ms(50);
	sim_write_all(s->master, frame, 3);
	sim_sleep_ms(60);
	sim_write_all(s->master, frame + 3, 6);
	sim_sleep_ms(60);
	sim_write_all(s->master, frame + 9, sizeof frame - 9);
	return NULL;
}

static void test_split_frame(kiosk_context *ctx)
{
	char uri[200];
	snprintf(uri, sizeof uri, "serial:%s", slave); /* default 115200 */
	kioski_transport *t;
	CHECK_RC(tt_open(ctx, uri, &t), KIOSK_OK);
	if (!t)
		return;
	struct splitter s = {.master = master};
	pthread_create(&s.th, NULL, split_main, &s);
	uint8_t got[sizeof frame];
	CHECK_RC(kioski_transport_read_exact(t, got, sizeof got, 5000), KIOSK_OK);
	CHECK(!memcmp(got, frame, sizeof frame));
	pthread_join(s.th, NULL);

	/* A plain read returns what is there (at least one byte), not more. */
	sim_write_all(master, "xy", 2);
	size_t n = 0;
	uint8_t buf[64];
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 2000), KIOSK_OK);
	CHECK(n >= 1 && n <= 2);
	if (n == 1) {
		CHECK_RC(kioski_transport_read(t, buf + 1, sizeof buf - 1, &n, 2000), KIOSK_OK);
		CHECK_EQ_INT(n, 1);
	}
	CHECK(!memcmp(buf, "xy", 2));

	/* discard_input drops what the device sent. */
	sim_write_all(master, "stale", 5);
	kioski_sleep_ms(100);
	kioski_transport_discard_input(t);
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 100), KIOSK_E_TIMEOUT);
	kioski_transport_close(t);
}

static void test_bad_options(kiosk_context *ctx)
{
	static const char *bad[] = {"?baud=12345", "?baud=abc", "?baud=0", "?flow=xonxoff"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char uri[200];
		snprintf(uri, sizeof uri, "serial:%s%s", slave, bad[i]);
		kioski_transport *t = NULL;
		CHECK_RC(tt_open(ctx, uri, &t), KIOSK_E_BAD_URI);
		CHECK(t == NULL);
		CHECK(strlen(kiosk_context_last_error(ctx)) > 0);
	}
	/* Every supported rate opens. */
	static const char *good[] = {"9600", "19200", "38400", "57600", "115200", "230400"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char uri[200];
		snprintf(uri, sizeof uri, "serial:%s?baud=%s&flow=rtscts", slave, good[i]);
		kioski_transport *t = NULL;
		CHECK_RC(tt_open(ctx, uri, &t), KIOSK_OK);
		kioski_transport_close(t);
	}
}

static void test_timeout_and_cancel(kiosk_context *ctx)
{
	char uri[200];
	snprintf(uri, sizeof uri, "serial:%s", slave);
	kioski_transport *t;
	CHECK_RC(tt_open(ctx, uri, &t), KIOSK_OK);
	if (!t)
		return;
	uint8_t buf[16];
	size_t n = 99;

	uint64_t t0 = kioski_now_ms();
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 300), KIOSK_E_TIMEOUT);
	uint64_t dt = kioski_now_ms() - t0;
	CHECK(dt >= 290);
	CHECK(dt < 300 + TT_SLACK_MS);
	CHECK_EQ_INT(n, 0);

	/* A zero timeout polls once. */
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 0), KIOSK_E_TIMEOUT);

	/* Cancel from another thread wakes a long read promptly. */
	struct tt_canceller c;
	t0 = kioski_now_ms();
	tt_cancel_later(&c, t, 200);
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 30000), KIOSK_E_CANCELLED);
	dt = kioski_now_ms() - t0;
	pthread_join(c.th, NULL);
	CHECK(dt < 200 + TT_SLACK_MS);
	/* Stays cancelled until cleared. */
	CHECK_RC(kioski_transport_write(t, "x", 1, 1000), KIOSK_E_CANCELLED);
	kioski_transport_clear_cancel(t);
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 50), KIOSK_E_TIMEOUT);

	/* Nobody reads the master: writes fill the pty buffer and then time out. */
	static uint8_t big[65536];
	int r = KIOSK_OK;
	for (int i = 0; i < 64 && r == KIOSK_OK; i++)
		r = kioski_transport_write(t, big, sizeof big, 200);
	CHECK_RC(r, KIOSK_E_TIMEOUT);
	/* … and a blocked write is cancellable too. */
	tt_cancel_later(&c, t, 200);
	t0 = kioski_now_ms();
	CHECK_RC(kioski_transport_write(t, big, sizeof big, 30000), KIOSK_E_CANCELLED);
	pthread_join(c.th, NULL);
	CHECK(kioski_now_ms() - t0 < 200 + TT_SLACK_MS);
	kioski_transport_close(t);
}

static void test_exclusive(kiosk_context *ctx)
{
	char uri[200];
	snprintf(uri, sizeof uri, "serial:%s", slave);
	kioski_transport *a = NULL, *b = NULL;
	CHECK_RC(tt_open(ctx, uri, &a), KIOSK_OK);
	CHECK_RC(tt_open(ctx, uri, &b), KIOSK_E_BUSY);
	CHECK(b == NULL);
	kioski_transport_close(a);
	CHECK_RC(tt_open(ctx, uri, &b), KIOSK_OK);
	kioski_transport_close(b);
}

static void test_hangup(kiosk_context *ctx)
{
	char uri[200];
	snprintf(uri, sizeof uri, "serial:%s", slave);
	kioski_transport *t;
	CHECK_RC(tt_open(ctx, uri, &t), KIOSK_OK);
	if (!t)
		return;
	/* The device side goes away while we wait for a reply. */
	close(master);
	master = -1;
	uint8_t buf[8];
	size_t n;
	uint64_t t0 = kioski_now_ms();
	int r = kioski_transport_read(t, buf, sizeof buf, &n, 10000);
	CHECK(r == KIOSK_E_CLOSED || r == KIOSK_E_NO_DEVICE);
	if (r != KIOSK_E_CLOSED && r != KIOSK_E_NO_DEVICE)
		fprintf(stderr, "read after hang-up: %s\n", kiosk_error_name(r));
	CHECK(kioski_now_ms() - t0 < TT_SLACK_MS);
	r = kioski_transport_write(t, "x", 1, 2000);
	CHECK(r == KIOSK_E_CLOSED || r == KIOSK_E_NO_DEVICE);
	if (r != KIOSK_E_CLOSED && r != KIOSK_E_NO_DEVICE)
		fprintf(stderr, "write after hang-up: %s\n", kiosk_error_name(r));
	kioski_transport_close(t);
}

/* An unplugged USB-serial adaptor: its node disappears and the line hangs
 * up. Emulated with a symlink to a pty slave that is removed before the
 * master closes: the hang-up is then reported as NO_DEVICE, not CLOSED. */
static void test_unplugged_adaptor(kiosk_context *ctx)
{
	char link[] = "/tmp/kiosk-ttyUSB-XXXXXX";
	int lfd = mkstemp(link);
	if (lfd < 0) {
		CHECK(!"mkstemp");
		return;
	}
	close(lfd);
	unlink(link);
	if (symlink(slave, link) < 0) {
		CHECK(!"symlink");
		return;
	}
	char uri[200];
	snprintf(uri, sizeof uri, "serial:%s", link);
	kioski_transport *t;
	CHECK_RC(tt_open(ctx, uri, &t), KIOSK_OK);
	if (!t) {
		unlink(link);
		return;
	}
	unlink(link);
	close(master);
	master = -1;
	uint8_t buf[8];
	size_t n;
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 10000), KIOSK_E_NO_DEVICE);
	CHECK(strstr(kiosk_context_last_error(ctx), "went away") != NULL);
	kioski_transport_close(t);
}

static void test_missing(kiosk_context *ctx)
{
	kioski_transport *t = NULL;
	CHECK_RC(tt_open(ctx, "serial:/dev/kiosk-no-such-tty", &t), KIOSK_E_NO_DEVICE);
	CHECK(strstr(kiosk_context_last_error(ctx), "/dev/kiosk-no-such-tty") != NULL);
	CHECK(t == NULL);
	/* Not a tty. */
	CHECK_RC(tt_open(ctx, "serial:/dev/null", &t), KIOSK_E_NOT_SUPPORTED);
	CHECK(t == NULL);
}

int main(void)
{
	kiosk_context *ctx = test_context();
	new_pty();
	test_round_trip(ctx);
	test_split_frame(ctx);
	test_bad_options(ctx);
	test_timeout_and_cancel(ctx);
	new_pty();
	test_exclusive(ctx);
	test_hangup(ctx);
	new_pty();
	test_unplugged_adaptor(ctx);
	test_missing(ctx);
	kiosk_context_free(ctx);
	return test_done("test_transport_serial");
}
