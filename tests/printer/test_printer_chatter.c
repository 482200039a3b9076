/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Misbehaving links, with a fake printer on loopback TCP:
 * - chatter: a device that keeps sending bytes which are not answers must
 *   not keep a job from completing: each job fails with KIOSK_E_TIMEOUT
 *   within its bounded wait, including the job after a failed one (which
 *   first lets late replies arrive);
 * - stale answer: a printer that ignores the clear (DLE DC4 8) and answers
 *   a failed job's GS r late, while the next job waits for its own, must
 *   not make that next job complete KIOSK_OK. */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>
#include "test.h"

enum fake_mode { CHATTER, STALE_ANSWER };

struct fake {
	enum fake_mode mode;
	int lfd;
	atomic_bool stop;
};

/* Accepts one connection and swallows what comes. CHATTER: sends a noise
 * byte (0x80: no status answer, no ASB header) every 20 ms. STALE_ANSWER:
 * answers no status request, except that on the second GS r 1 it sends one
 * answer (0x00) — the one owed to the first. */
static void *fake_main(void *arg)
{
	struct fake *c = arg;
	struct pollfd lp = {.fd = c->lfd, .events = POLLIN};
	while (!atomic_load(&c->stop) && poll(&lp, 1, 100) == 0)
		;
	int fd = atomic_load(&c->stop) ? -1 : accept(c->lfd, NULL, NULL);
	if (fd < 0)
		return NULL;
	unsigned char last[2] = {0, 0};
	int gsr = 0;
	while (!atomic_load(&c->stop)) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 20) > 0) {
			unsigned char buf[4096];
			ssize_t n = read(fd, buf, sizeof buf);
			if (n <= 0)
				break;
			for (ssize_t i = 0; i < n; i++) {
				if (last[0] == 0x1D && last[1] == 0x72 && buf[i] == 0x01 && ++gsr == 2 &&
				    c->mode == STALE_ANSWER) {
					const unsigned char owed = 0x00;
					if (write(fd, &owed, 1) != 1)
						break;
				}
				last[0] = last[1];
				last[1] = buf[i];
			}
		}
		const unsigned char noise = 0x80;
		if (c->mode == CHATTER && write(fd, &noise, 1) != 1)
			break;
	}
	close(fd);
	return NULL;
}

/* Runs `jobs` one-line jobs against a fake printer; results[i] gets each. */
static void run(enum fake_mode mode, int jobs, int *results, bool limits)
{
	struct fake c = {.mode = mode, .lfd = socket(AF_INET, SOCK_STREAM, 0)};
	atomic_init(&c.stop, false);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof sa;
	if (c.lfd < 0 || bind(c.lfd, (struct sockaddr *)&sa, sizeof sa) || listen(c.lfd, 1) ||
	    getsockname(c.lfd, (struct sockaddr *)&sa, &sl))
		test_skip("no loopback TCP");
	pthread_t th;
	pthread_create(&th, NULL, fake_main, &c);

	char uri[96];
	snprintf(uri, sizeof uri, "tcp:127.0.0.1:%u?timeout_ms=300", ntohs(sa.sin_port));
	kiosk_context *ctx = test_context();
	kiosk_printer *prn = NULL;
	CHECK_RC(kiosk_printer_open(ctx, uri, "generic-80mm", &prn), KIOSK_OK);
	if (prn) {
		kiosk_printer_set_status_poll(prn, 0);
		kiosk_receipt *rc = NULL;
		CHECK_RC(kiosk_receipt_new(&rc), KIOSK_OK);
		kiosk_receipt_add_text(rc, "one line", NULL);
		for (int i = 0; i < jobs; i++) {
			kiosk_job *job = NULL;
			CHECK_RC(kiosk_printer_submit(prn, rc, NULL, NULL, &job), KIOSK_OK);
			if (!job)
				break;
			/* bounded: io timeout + per-byte slack + status queries, far below 60 s */
			results[i] = kiosk_job_wait(job, 60000);
			CHECK_EQ_INT(kiosk_job_get_state(job), KIOSK_JOB_DONE);
			if (kiosk_job_get_state(job) != KIOSK_JOB_DONE)
				kiosk_job_cancel(job);
			else
				fprintf(stderr, "job %d: %s\n", i + 1, kiosk_job_get_message(job));
			kiosk_job_unref(job);
		}
		kiosk_receipt_free(rc);
		if (limits) {
			/* the longest timeouts are valid and must not overflow the queue wait */
			CHECK_RC(kiosk_printer_set_paper_wait(prn, INT_MAX), KIOSK_OK);
			CHECK_RC(kiosk_printer_write_raw(prn, "x", 1, INT_MAX), KIOSK_OK);
			struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
			CHECK_RC(kiosk_printer_get_status(prn, INT_MAX, &st), KIOSK_E_TIMEOUT);
		}
		kiosk_printer_close(prn);
	}
	kiosk_context_free(ctx);
	atomic_store(&c.stop, true);
	pthread_join(th, NULL);
	close(c.lfd);
}

int main(void)
{
	int res[2] = {KIOSK_OK, KIOSK_OK};
	run(CHATTER, 2, res, true);
	CHECK_EQ_INT(res[0], KIOSK_E_TIMEOUT);
	CHECK_EQ_INT(res[1], KIOSK_E_TIMEOUT);

	res[0] = res[1] = KIOSK_OK;
	run(STALE_ANSWER, 2, res, false);
	CHECK_EQ_INT(res[0], KIOSK_E_TIMEOUT); /* its GS r is not answered in time */
	CHECK_EQ_INT(res[1], KIOSK_E_TIMEOUT); /* the late answer is job 1's, not job 2's */
	return test_done("test_printer_chatter");
}
