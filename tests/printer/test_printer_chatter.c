/* A link that never falls quiet: a device that keeps sending bytes which
 * are not answers (noise) must not keep a job from completing. Each job
 * fails with KIOSK_E_TIMEOUT within its bounded wait, including the job
 * after a failed one (which first lets late replies arrive). */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>
#include "test.h"

struct chatter {
	int lfd;
	atomic_bool stop;
};

/* Accepts one connection; swallows what comes and sends a noise byte
 * (0x80: no status answer, no ASB header) every 20 ms. */
static void *chatter_main(void *arg)
{
	struct chatter *c = arg;
	struct pollfd lp = {.fd = c->lfd, .events = POLLIN};
	while (!atomic_load(&c->stop) && poll(&lp, 1, 100) == 0)
		;
	int fd = atomic_load(&c->stop) ? -1 : accept(c->lfd, NULL, NULL);
	if (fd < 0)
		return NULL;
	while (!atomic_load(&c->stop)) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 20) > 0) {
			char buf[4096];
			if (read(fd, buf, sizeof buf) <= 0)
				break;
		}
		const unsigned char noise = 0x80;
		if (write(fd, &noise, 1) != 1)
			break;
	}
	close(fd);
	return NULL;
}

int main(void)
{
	struct chatter c = {.lfd = socket(AF_INET, SOCK_STREAM, 0)};
	atomic_init(&c.stop, false);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof sa;
	if (c.lfd < 0 || bind(c.lfd, (struct sockaddr *)&sa, sizeof sa) || listen(c.lfd, 1) ||
	    getsockname(c.lfd, (struct sockaddr *)&sa, &sl))
		test_skip("no loopback TCP");
	pthread_t th;
	pthread_create(&th, NULL, chatter_main, &c);

	char uri[96];
	snprintf(uri, sizeof uri, "tcp:127.0.0.1:%u?timeout_ms=300", ntohs(sa.sin_port));
	kiosk_context *ctx = test_context();
	kiosk_printer *prn = NULL;
	CHECK_RC(kiosk_printer_open(ctx, uri, "generic-80mm", &prn), KIOSK_OK);
	if (prn) {
		kiosk_printer_set_status_poll(prn, 0);
		kiosk_receipt *rc = NULL;
		CHECK_RC(kiosk_receipt_new(&rc), KIOSK_OK);
		kiosk_receipt_add_text(rc, "chatter", NULL);
		for (int i = 0; i < 2; i++) {
			kiosk_job *job = NULL;
			CHECK_RC(kiosk_printer_submit(prn, rc, NULL, NULL, &job), KIOSK_OK);
			if (!job)
				break;
			/* bounded: io timeout + per-byte slack + status queries, far below 60 s */
			int r = kiosk_job_wait(job, 60000);
			CHECK_EQ_INT(kiosk_job_get_state(job), KIOSK_JOB_DONE);
			CHECK_EQ_INT(r, KIOSK_E_TIMEOUT);
			if (kiosk_job_get_state(job) != KIOSK_JOB_DONE)
				kiosk_job_cancel(job);
			kiosk_job_free(job);
		}
		kiosk_receipt_free(rc);
		/* the longest timeouts are valid and must not overflow the queue wait */
		CHECK_RC(kiosk_printer_set_paper_wait(prn, INT_MAX), KIOSK_OK);
		CHECK_RC(kiosk_printer_write_raw(prn, "x", 1, INT_MAX), KIOSK_OK);
		struct kiosk_printer_status st;
		CHECK_RC(kiosk_printer_get_status(prn, INT_MAX, &st), KIOSK_E_TIMEOUT);
		kiosk_printer_close(prn);
	}
	kiosk_context_free(ctx);
	atomic_store(&c.stop, true);
	pthread_join(th, NULL);
	close(c.lfd);
	return test_done("test_printer_chatter");
}
