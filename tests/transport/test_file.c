/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_file.c — the file transport against a FIFO (standing in for a
 * write-mostly node like /dev/usb/lp0) with a reader thread, and a regular file.
 */
#include <stdatomic.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sim.h"
#include "tt.h"

struct reader {
	pthread_t th;
	int fd;
	uint8_t data[65536];
	_Atomic size_t len; /* grows on the reader thread, read by the test */
	atomic_int stop; /* set by the test thread */
	atomic_int paused; /* while set, does not read (the FIFO fills up) */
	int close_after;     /* close the FIFO after this many bytes (0 = never) */
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	while (!r->stop) {
		if (r->paused) {
			sim_sleep_ms(10);
			continue;
		}
		ssize_t n = sim_read_timeout(r->fd, r->data + r->len, sizeof r->data - r->len, 20);
		if (n > 0)
			r->len += (size_t)n;
		if (r->close_after && r->len >= (size_t)r->close_after) {
			close(r->fd);
			r->fd = -1;
			break;
		}
		if (r->len == sizeof r->data)
			break;
	}
	return NULL;
}

/* The reader opens its end first (non-blocking, so it does not wait for us). */
static void start_reader(struct reader *r, const char *path, int close_after)
{
	memset(r, 0, sizeof *r);
	r->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (r->fd < 0) {
		perror("open fifo");
		exit(1);
	}
	r->close_after = close_after;
	pthread_create(&r->th, NULL, reader_main, r);
}

static void stop_reader(struct reader *r)
{
	r->stop = 1;
	pthread_join(r->th, NULL);
	if (r->fd >= 0)
		close(r->fd);
}

static char dir[] = "/tmp/kiosk-test-file-XXXXXX";
static char fifo[256], plain[256];

static void test_fifo_write(kiosk_context *ctx)
{
	char uri[300];
	snprintf(uri, sizeof uri, "file:%s", fifo);
	kioski_transport *t = NULL;

	/* No reader attached: nobody would get the data. */
	CHECK_RC(tt_open(ctx, uri, &t), KIOSK_E_NO_DEVICE);
	CHECK(strstr(kiosk_context_last_error(ctx), fifo) != NULL);

	struct reader r;
	start_reader(&r, fifo, 0);
	CHECK_RC(tt_open(ctx, uri, &t), KIOSK_OK);
	if (!t) {
		stop_reader(&r);
		return;
	}
	/* ESC @, some text, a cut: arrives byte for byte. */
	const uint8_t job[] = {0x1B, 0x40, 'k', 'i', 'o', 's', 'k', '\n', 0x1D, 0x56, 0x41, 0x00};
	CHECK_RC(kioski_transport_write(t, job, sizeof job, 2000), KIOSK_OK);
	static uint8_t big[40000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (uint8_t)(i ^ (i >> 8));
	CHECK_RC(kioski_transport_write(t, big, sizeof big, 10000), KIOSK_OK);
	uint64_t until = kioski_now_ms() + 10000;
	while (r.len < sizeof job + sizeof big && kioski_now_ms() < until)
		kioski_sleep_ms(10);
	CHECK_EQ_INT(r.len, sizeof job + sizeof big);
	CHECK(!memcmp(r.data, job, sizeof job));
	CHECK(!memcmp(r.data + sizeof job, big, sizeof big));

	/* Write-only: reads are refused, not faked. */
	uint8_t buf[4];
	size_t n = 7;
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 100), KIOSK_E_NOT_SUPPORTED);
	CHECK_EQ_INT(n, 0);

	/* A stalled reader: the write times out; a blocked write is cancellable. */
	r.paused = 1;
	int rc = KIOSK_OK;
	for (int i = 0; i < 64 && rc == KIOSK_OK; i++)
		rc = kioski_transport_write(t, big, sizeof big, 200);
	CHECK_RC(rc, KIOSK_E_TIMEOUT);
	struct tt_canceller c;
	tt_cancel_later(&c, t, 150);
	uint64_t t0 = kioski_now_ms();
	CHECK_RC(kioski_transport_write(t, big, sizeof big, 30000), KIOSK_E_CANCELLED);
	pthread_join(c.th, NULL);
	CHECK(kioski_now_ms() - t0 < 150 + TT_SLACK_MS);
	kioski_transport_close(t);
	stop_reader(&r);
}

static void test_reader_gone(kiosk_context *ctx)
{
	char uri[300];
	snprintf(uri, sizeof uri, "file:%s", fifo);
	struct reader r;
	start_reader(&r, fifo, 4);
	kioski_transport *t = NULL;
	CHECK_RC(tt_open(ctx, uri, &t), KIOSK_OK);
	if (!t) {
		stop_reader(&r);
		return;
	}
	CHECK_RC(kioski_transport_write(t, "1234", 4, 2000), KIOSK_OK);
	pthread_join(r.th, NULL); /* it read 4 bytes and closed */
	/* The process survives (no SIGPIPE) and gets a clear error. */
	CHECK_RC(kioski_transport_write(t, "more", 4, 2000), KIOSK_E_CLOSED);
	kioski_transport_close(t);
}

static void test_plain_file(kiosk_context *ctx)
{
	char uri[300];
	snprintf(uri, sizeof uri, "file:%s", plain);
	kioski_transport *t = NULL;
	CHECK_RC(tt_open(ctx, uri, &t), KIOSK_E_NO_DEVICE); /* never created */
	CHECK(access(plain, F_OK) != 0);
	int fd = open(plain, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	CHECK(write(fd, "A", 1) == 1);
	close(fd);
	CHECK_RC(tt_open(ctx, uri, &t), KIOSK_OK);
	CHECK_RC(kioski_transport_write(t, "BC", 2, 1000), KIOSK_OK);
	kioski_transport_close(t);
	char buf[8] = {0};
	fd = open(plain, O_RDONLY | O_CLOEXEC);
	CHECK(read(fd, buf, sizeof buf) == 3);
	close(fd);
	CHECK_STR(buf, "ABC"); /* appended, not truncated */
}

/* Permission denied: a node the user may not open. As root, the file-system
 * uid is switched to "nobody" for the open (it drops DAC override). */
static void test_access(kiosk_context *ctx)
{
	char node[300], uri[320];
	snprintf(node, sizeof node, "%s/lp-locked", dir);
	int fd = open(node, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	close(fd);
	chmod(node, 0);
	snprintf(uri, sizeof uri, "file:%s", node);
	bool root = geteuid() == 0;
	if (root)
		setfsuid(65534);
	kioski_transport *t = NULL;
	int r = tt_open(ctx, uri, &t);
	if (root)
		setfsuid(0);
	CHECK_RC(r, KIOSK_E_ACCESS);
	CHECK(strstr(kiosk_context_last_error(ctx), "udev") != NULL);
	CHECK(t == NULL);
	kioski_transport_close(t);
	snprintf(uri, sizeof uri, "serial:%s", node);
	if (root)
		setfsuid(65534);
	r = tt_open(ctx, uri, &t);
	if (root)
		setfsuid(0);
	CHECK_RC(r, KIOSK_E_ACCESS);
	kioski_transport_close(t);
	unlink(node);
}

static void test_errors(kiosk_context *ctx)
{
	kioski_transport *t = NULL;
	CHECK_RC(tt_open(ctx, "file:/dev/usb/kiosk-no-such-lp", &t), KIOSK_E_NO_DEVICE);
	CHECK(strstr(kiosk_context_last_error(ctx), "/dev/usb/kiosk-no-such-lp") != NULL);
	CHECK(t == NULL);
	char uri[300];
	snprintf(uri, sizeof uri, "file:%s", dir);
	CHECK_RC(tt_open(ctx, uri, &t), KIOSK_E_NO_DEVICE); /* a directory */
	/* A character device that reads and writes: /dev/null. */
	CHECK_RC(tt_open(ctx, "file:/dev/null", &t), KIOSK_OK);
	if (t) {
		uint8_t b[4];
		size_t n;
		CHECK_RC(kioski_transport_write(t, "x", 1, 100), KIOSK_OK);
		CHECK_RC(kioski_transport_read(t, b, sizeof b, &n, 100), KIOSK_E_CLOSED); /* EOF */
		kioski_transport_close(t);
	}
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(fifo, sizeof fifo, "%s/lp0", dir);
	snprintf(plain, sizeof plain, "%s/capture.bin", dir);
	if (mkfifo(fifo, 0600) < 0) {
		perror("mkfifo");
		return 1;
	}
	kiosk_context *ctx = test_context();
	test_fifo_write(ctx);
	test_reader_gone(ctx);
	test_plain_file(ctx);
	test_errors(ctx);
	test_access(ctx);
	kiosk_context_free(ctx);
	unlink(fifo);
	unlink(plain);
	rmdir(dir);
	return test_done("test_transport_file");
}
