/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Jobs complete exactly once, callbacks run only in dispatch, workers run
 * jobs in order and poll when idle, events queue in order and are purged
 * when their device closes. Uses a device with no driver or transport. */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include "test.h"
#include "driver.h"

static atomic_int in_submit;
static int calls[64];
static int results[64];

static void on_done(kiosk_job *job, int result, void *user)
{
	CHECK_EQ_INT(atomic_load(&in_submit), 0); /* never from inside the starting call */
	intptr_t i = (intptr_t)user;
	calls[i]++;
	results[i] = result;
}

/* Work: completes with the result passed as arg, after a short pause. */
static void work_result(kiosk_device *dev, kiosk_job *job, void *arg)
{
	kioski_sleep_ms(5);
	kioski_job_complete(job, (int)(intptr_t)arg, "done with %d", (int)(intptr_t)arg);
}

/* Work: waits until cancelled or the device stops. */
static void work_block(kiosk_device *dev, kiosk_job *job, void *arg)
{
	while (!kioski_job_cancelled(job) && !kioski_device_stopping(dev))
		kioski_sleep_ms(2);
	kioski_job_complete(job, KIOSK_E_CANCELLED, NULL);
}

static int warn_lines;
static void count_warn(kiosk_context *ctx, enum kiosk_log_level level, const char *component,
		       const char *msg, void *user)
{
	if (level == KIOSK_LOG_WARN)
		warn_lines++;
}

static atomic_int polls;
static void poll_fn(kiosk_device *dev)
{
	if (atomic_fetch_add(&polls, 1) < 3) {
		kiosk_event *ev = kioski_event_new(KIOSK_EVENT_SCAN, dev, NULL);
		char code[16];
		snprintf(code, sizeof code, "code-%d", atomic_load(&polls));
		kioski_event_set_scan(ev, code, strlen(code));
		kioski_post_event(dev->ctx, ev);
	}
}

/* A job callback that closes a device (as an app does on a failed read). */
static kiosk_device *closing;
static void close_device_cb(kiosk_job *job, int result, void *user)
{
	kioski_device_fini(closing);
	free(closing);
	closing = NULL;
}

static int fd_readable(kiosk_context *ctx)
{
	struct pollfd p = {.fd = kiosk_context_get_fd(ctx), .events = POLLIN};
	return poll(&p, 1, 0) == 1;
}

int main(void)
{
	kiosk_context *ctx = test_context();
	kiosk_uri *uri = NULL;
	CHECK_RC(kiosk_uri_parse("serial:/dev/null-device", &uri, NULL, 0), KIOSK_OK);
	kiosk_device dev;
	CHECK_RC(kioski_device_init(&dev, ctx, KIOSK_CLASS_SCANNER, NULL, uri), KIOSK_OK);
	kiosk_uri_free(uri);
	CHECK_STR(kiosk_device_get_uri(&dev), "serial:/dev/null-device");
	CHECK_EQ_INT(kiosk_device_get_class(&dev), KIOSK_CLASS_SCANNER);

	/* A failure repeated by polling is logged once at WARN, not every time. */
	kiosk_context_set_log(ctx, KIOSK_LOG_WARN, count_warn, NULL);
	for (int i = 0; i < 5; i++)
		CHECK_RC(kioski_device_fail(&dev, KIOSK_E_TIMEOUT, "the reader does not answer"),
			 KIOSK_E_TIMEOUT);
	CHECK_EQ_INT(warn_lines, 1);
	kioski_device_fail(&dev, KIOSK_E_NO_DEVICE, "gone");
	kioski_device_fail(&dev, KIOSK_E_TIMEOUT, "the reader does not answer");
	CHECK_EQ_INT(warn_lines, 3);
	CHECK_STR(kiosk_device_last_error(&dev), "the reader does not answer");
	kiosk_context_set_log(ctx, KIOSK_LOG_WARN, NULL, NULL);

	/* Submitting before start is refused: no job exists, no callback. */
	kiosk_job *early = kioski_job_new(ctx, on_done, (void *)(intptr_t)63);
	CHECK_RC(kioski_device_submit(&dev, early, work_result, NULL), KIOSK_E_STATE);
	kioski_job_discard(early); /* as a front-end does when submit fails */
	CHECK_RC(kioski_device_start(&dev), KIOSK_OK);

	/* Ten jobs in order; ids increase; results fixed once set. */
	kiosk_job *jobs[10];
	for (int i = 0; i < 10; i++) {
		atomic_store(&in_submit, 1);
		jobs[i] = kioski_job_new(ctx, on_done, (void *)(intptr_t)i);
		CHECK_RC(kioski_device_submit(&dev, jobs[i], work_result, (void *)(intptr_t)-i), KIOSK_OK);
		atomic_store(&in_submit, 0);
		if (i)
			CHECK(kiosk_job_get_id(jobs[i]) > kiosk_job_get_id(jobs[i - 1]));
	}
	CHECK_RC(kiosk_job_wait(jobs[9], 10000), -9);
	for (int i = 0; i < 10; i++) {
		CHECK_RC(kiosk_job_wait(jobs[i], 0), -i);
		CHECK_EQ_INT(kiosk_job_get_state(jobs[i]), KIOSK_JOB_DONE);
		CHECK_EQ_INT(calls[i], 0); /* not before dispatch */
	}
	CHECK_STR(kiosk_job_get_message(jobs[3]), "done with -3");
	CHECK(fd_readable(ctx));
	CHECK_RC(kiosk_context_dispatch(ctx), KIOSK_OK);
	CHECK(!fd_readable(ctx));
	for (int i = 0; i < 10; i++) {
		CHECK_EQ_INT(calls[i], 1);
		CHECK_EQ_INT(results[i], -i);
		CHECK_RC(kiosk_job_cancel(jobs[i]), KIOSK_E_STATE);
		kiosk_job_unref(jobs[i]);
	}
	CHECK_RC(kiosk_context_dispatch(ctx), KIOSK_OK);
	for (int i = 0; i < 10; i++)
		CHECK_EQ_INT(calls[i], 1);

	/* A running job cancelled; one queued behind it cancelled before it starts. */
	kiosk_job *blocker = kioski_job_new(ctx, on_done, (void *)(intptr_t)20);
	kiosk_job *queued = kioski_job_new(ctx, on_done, (void *)(intptr_t)21);
	CHECK_RC(kioski_device_submit(&dev, blocker, work_block, NULL), KIOSK_OK);
	CHECK_RC(kioski_device_submit(&dev, queued, work_result, (void *)(intptr_t)0), KIOSK_OK);
	CHECK_RC(kiosk_job_wait(blocker, 50), KIOSK_E_TIMEOUT);
	CHECK_RC(kiosk_job_cancel(queued), KIOSK_OK);
	CHECK_RC(kiosk_job_cancel(blocker), KIOSK_OK);
	CHECK_RC(kiosk_job_wait(blocker, 10000), KIOSK_E_CANCELLED);
	CHECK_RC(kiosk_job_wait(queued, 10000), KIOSK_E_CANCELLED);
	/* The caller may free before the callback has run: it still runs once. */
	kiosk_job_unref(blocker);
	kiosk_job_unref(queued);
	CHECK_RC(kiosk_context_wait(ctx, 5000), KIOSK_OK);
	CHECK_EQ_INT(calls[20], 1);
	CHECK_EQ_INT(calls[21], 1);

	/* Double completion is ignored. */
	kiosk_job *twice = kioski_job_new(ctx, NULL, NULL);
	kioski_job_ref(twice);
	kioski_job_complete(twice, KIOSK_OK, NULL);
	kioski_job_complete(twice, KIOSK_E_IO, NULL);
	CHECK_RC(kiosk_job_get_result(twice), KIOSK_OK);
	kiosk_job_unref(twice);
	kiosk_job_unref(twice);

	/* Payloads. */
	kiosk_job *pj = kioski_job_new(ctx, NULL, NULL);
	kioski_job_set_payload(pj, strdup("payload"), free);
	char *taken = kioski_job_take_payload(pj);
	CHECK_STR(taken, "payload");
	free(taken);
	CHECK(kioski_job_get_payload(pj) == NULL);
	kioski_job_set_payload(pj, strdup("freed with the job"), free);
	kioski_job_complete(pj, KIOSK_OK, NULL);
	/* A family's take function refuses another family's payload. */
	char *code = (char *)"x";
	CHECK_RC(kiosk_job_take_scan(pj, &code, NULL), KIOSK_E_INVALID_ARG);
	CHECK(code == NULL);
	CHECK(kioski_job_get_payload_of(pj, free) != NULL);
	kiosk_job_unref(pj);

	/* Polling when idle posts events, in order. */
	kioski_device_set_poll(&dev, 10, poll_fn);
	for (int i = 0; i < 200 && atomic_load(&polls) < 4; i++)
		kioski_sleep_ms(10);
	kioski_device_set_poll(&dev, 0, NULL);
	CHECK(atomic_load(&polls) >= 4);
	CHECK(kiosk_context_next_event(ctx) == NULL); /* not before dispatch */
	kiosk_context_dispatch(ctx);
	for (int i = 1; i <= 3; i++) {
		kiosk_event *ev = kiosk_context_next_event(ctx);
		CHECK(ev != NULL);
		if (!ev)
			break;
		char want[16];
		snprintf(want, sizeof want, "code-%d", i);
		size_t len = 0;
		CHECK_EQ_INT(kiosk_event_get_type(ev), KIOSK_EVENT_SCAN);
		CHECK_STR(kiosk_event_get_scan(ev, &len), want);
		CHECK_EQ_INT(len, strlen(want));
		CHECK(kiosk_event_get_device(ev) == &dev);
		CHECK_STR(kiosk_event_get_uri(ev), "serial:/dev/null-device");
		CHECK(kiosk_event_get_idcard(ev) == NULL);
		CHECK(kiosk_event_get_touch(ev) == NULL);
		kiosk_event_free(ev);
	}
	CHECK(kiosk_context_next_event(ctx) == NULL);
	CHECK_STR(kiosk_event_type_name(KIOSK_EVENT_CARD_INSERTED), "card-inserted");

	/* Events of a closed device are dropped; a queued job completes cancelled. */
	kiosk_event *ev = kioski_event_new(KIOSK_EVENT_DEVICE_ERROR, &dev, NULL);
	kioski_event_set_error(ev, KIOSK_E_IO);
	kioski_post_event(ctx, ev);
	kiosk_job *b2 = kioski_job_new(ctx, on_done, (void *)(intptr_t)30);
	kiosk_job *q2 = kioski_job_new(ctx, on_done, (void *)(intptr_t)31);
	CHECK_RC(kioski_device_submit(&dev, b2, work_block, NULL), KIOSK_OK);
	CHECK_RC(kioski_device_submit(&dev, q2, work_result, (void *)(intptr_t)0), KIOSK_OK);
	kioski_device_fini(&dev);
	CHECK_RC(kiosk_job_wait(b2, 0), KIOSK_E_CANCELLED);
	CHECK_RC(kiosk_job_wait(q2, 0), KIOSK_E_CANCELLED);
	kiosk_context_dispatch(ctx);
	CHECK(kiosk_context_next_event(ctx) == NULL);
	CHECK_EQ_INT(calls[30], 1);
	CHECK_EQ_INT(calls[31], 1);
	kiosk_job_unref(b2);
	kiosk_job_unref(q2);

	/* A callback that closes a device drops that device's events posted in
	 * the same dispatch batch, even those queued after the completion. */
	CHECK_RC(kiosk_uri_parse("serial:/dev/closing-device", &uri, NULL, 0), KIOSK_OK);
	closing = calloc(1, sizeof *closing);
	CHECK_RC(kioski_device_init(closing, ctx, KIOSK_CLASS_SCANNER, NULL, uri), KIOSK_OK);
	kiosk_uri_free(uri);
	kiosk_job *closer = kioski_job_new(ctx, close_device_cb, NULL);
	kioski_job_complete(closer, KIOSK_OK, NULL);
	kiosk_event *late = kioski_event_new(KIOSK_EVENT_SCAN, closing, NULL);
	kioski_event_set_scan(late, "late", 4);
	kioski_post_event(ctx, late);
	CHECK_RC(kiosk_context_dispatch(ctx), KIOSK_OK);
	CHECK(closing == NULL);
	kiosk_event *stale = kiosk_context_next_event(ctx);
	CHECK(stale == NULL);
	kiosk_event_free(stale);
	kiosk_job_unref(closer);

	CHECK_RC(kiosk_context_wait(ctx, 20), KIOSK_E_TIMEOUT);
	/* A completion left undispatched is released with the context. */
	kiosk_job *left = kioski_job_new(ctx, on_done, (void *)(intptr_t)40);
	kioski_job_complete(left, KIOSK_OK, NULL);
	kiosk_job_unref(left);
	kiosk_context_free(ctx);
	CHECK_EQ_INT(calls[40], 0);
	return test_done("test_jobs_events");
}
