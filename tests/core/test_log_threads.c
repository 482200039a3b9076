/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The log sink runs with no library lock held: a sink may call back into
 * the library, kiosk_context_set_log() included (this deadlocked before
 * 1.0), from the application thread and from other threads; once
 * kiosk_context_set_log() returns, the previous sink is not running on any
 * other thread. Also: device and context errors read from any thread, and
 * the version macros agree with kiosk_version().
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <kiosk/kiosk.h>
#include "driver.h"
#include "test.h"

static kiosk_context *ctx;

/* ---- a sink that replaces itself ---------------------------------------- */

static atomic_int swaps, quiet_calls;

static void quiet_sink(kiosk_context *c, enum kiosk_log_level level, const char *component,
		       const char *msg, void *user)
{
	atomic_fetch_add(&quiet_calls, 1);
}

static void swapping_sink(kiosk_context *c, enum kiosk_log_level level, const char *component,
			  const char *msg, void *user)
{
	/* Calls that take library locks, from inside the sink. */
	(void)kiosk_context_get_log_level(c);
	(void)kiosk_context_last_error(c);
	kiosk_context_set_log(c, KIOSK_LOG_DEBUG, quiet_sink, NULL);
	atomic_fetch_add(&swaps, 1);
}

static void test_set_log_from_sink(void)
{
	kiosk_context_set_log(ctx, KIOSK_LOG_DEBUG, swapping_sink, NULL);
	kioski_log(ctx, KIOSK_LOG_WARN, "test", "first message");
	CHECK_EQ_INT(atomic_load(&swaps), 1);
	kioski_log(ctx, KIOSK_LOG_WARN, "test", "second message");
	CHECK_EQ_INT(atomic_load(&swaps), 1); /* the replacement took effect */
	CHECK_EQ_INT(atomic_load(&quiet_calls), 1);
	/* A context-level failure logs through the sink too. */
	kiosk_context_set_log(ctx, KIOSK_LOG_DEBUG, swapping_sink, NULL);
	kioski_context_fail(ctx, KIOSK_E_IO, "a failure that is logged");
	CHECK_EQ_INT(atomic_load(&swaps), 2);
	CHECK_STR(kiosk_context_last_error(ctx), "a failure that is logged");
}

/* ---- sinks swapped while other threads log ------------------------------ */

struct sink_state {
	atomic_int running; /* calls of this sink in progress */
	atomic_int calls;
};

static struct sink_state sink_a, sink_b;
/* Bumped before and after every swap made from inside a sink: such a swap
 * may re-install a counting sink while the main thread is replacing it. */
static atomic_int inner_swaps;

static void counting_sink(kiosk_context *c, enum kiosk_log_level level, const char *component,
			  const char *msg, void *user)
{
	struct sink_state *s = user;
	atomic_fetch_add(&s->running, 1);
	atomic_fetch_add(&s->calls, 1);
	if (atomic_load(&s->calls) % 7 == 0) { /* sometimes swap from inside, on this thread */
		atomic_fetch_add(&inner_swaps, 1);
		kiosk_context_set_log(c, KIOSK_LOG_DEBUG, counting_sink, s == &sink_a ? &sink_b : &sink_a);
		atomic_fetch_add(&inner_swaps, 1);
	}
	usleep(50);
	atomic_fetch_sub(&s->running, 1);
}

static atomic_bool stop_logging;

static void *logger(void *arg)
{
	while (!atomic_load(&stop_logging))
		kioski_log(ctx, KIOSK_LOG_INFO, "test", "from thread %d", *(int *)arg);
	return NULL;
}

static void test_swap_while_logging(void)
{
	atomic_store(&stop_logging, false);
	kiosk_context_set_log(ctx, KIOSK_LOG_DEBUG, counting_sink, &sink_a);
	pthread_t th[3];
	int ids[3] = {0, 1, 2};
	for (int i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, logger, &ids[i]);
	int stray = 0;
	for (int round = 0; round < 200; round++) {
		/* Replace the sink until no swap from inside a sink overlapped the
		 * replacement (the last writer wins; that is not what is tested). */
		int before;
		do {
			before = atomic_load(&inner_swaps);
			kiosk_context_set_log(ctx, KIOSK_LOG_DEBUG, quiet_sink, NULL);
		} while (atomic_load(&inner_swaps) != before);
		/* Neither counting sink runs any more on another thread. */
		if (atomic_load(&sink_a.running) || atomic_load(&sink_b.running))
			stray++;
		kiosk_context_set_log(ctx, KIOSK_LOG_DEBUG, counting_sink,
				      round % 2 ? &sink_a : &sink_b);
		usleep(200);
	}
	atomic_store(&stop_logging, true);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	CHECK_EQ_INT(stray, 0);
	CHECK(atomic_load(&sink_a.calls) + atomic_load(&sink_b.calls) > 0);
	kiosk_context_set_log(ctx, KIOSK_LOG_WARN, NULL, NULL);
}

/* ---- errors read from another thread ------------------------------------- */

static void *fail_often(void *arg)
{
	for (int i = 0; i < 2000; i++)
		kioski_context_fail(ctx, KIOSK_E_IO, "failure number %d of a worker", i);
	return NULL;
}

static void test_errors_from_threads(void)
{
	kiosk_context_set_log(ctx, KIOSK_LOG_NONE, quiet_sink, NULL);
	kioski_context_fail(ctx, KIOSK_E_IO, "failure number none yet");
	pthread_t th;
	pthread_create(&th, NULL, fail_often, NULL);
	int torn = 0;
	for (int i = 0; i < 2000; i++) {
		const char *e = kiosk_context_last_error(ctx);
		if (strncmp(e, "failure number ", 15) != 0)
			torn++;
	}
	pthread_join(th, NULL);
	CHECK_EQ_INT(torn, 0);
	CHECK_STR(kiosk_context_last_error(ctx), "failure number 1999 of a worker");
	kiosk_context_set_log(ctx, KIOSK_LOG_WARN, NULL, NULL);
}

/* ---- versions ------------------------------------------------------------ */

static void test_version(void)
{
	char want[32];
	snprintf(want, sizeof want, "%d.%d.%d", KIOSK_VERSION_MAJOR, KIOSK_VERSION_MINOR,
		 KIOSK_VERSION_MICRO);
	CHECK_STR(kiosk_version(), want);
	CHECK_STR(KIOSK_VERSION_STRING, want);
	CHECK(KIOSK_CHECK_VERSION(1, 0, 0));
	CHECK(KIOSK_CHECK_VERSION(KIOSK_VERSION_MAJOR, KIOSK_VERSION_MINOR, KIOSK_VERSION_MICRO));
	CHECK(!KIOSK_CHECK_VERSION(KIOSK_VERSION_MAJOR, KIOSK_VERSION_MINOR, KIOSK_VERSION_MICRO + 1));
	CHECK(!KIOSK_CHECK_VERSION(KIOSK_VERSION_MAJOR, KIOSK_VERSION_MINOR + 1, 0));
	CHECK(!KIOSK_CHECK_VERSION(KIOSK_VERSION_MAJOR + 1, 0, 0));
	CHECK(KIOSK_CHECK_VERSION(0, 99, 99));
}

/* ---- kiosk_free wipes ----------------------------------------------------- */

static void test_job_refs(void)
{
	kiosk_job *job = kioski_job_new(ctx, NULL, NULL);
	CHECK(job != NULL);
	CHECK(kiosk_job_ref(job) == job);
	CHECK(kiosk_job_ref(NULL) == NULL);
	kioski_job_complete(job, KIOSK_OK, "done"); /* no callback: drops the library's */
	kiosk_job_unref(job);                       /* the extra reference */
	CHECK_EQ_INT(kiosk_job_get_result(job), KIOSK_OK);
	kiosk_job_unref(job); /* the caller's: frees it (ASan/LSan check the count) */
	kiosk_job_unref(NULL);
}

int main(void)
{
	alarm(60); /* a deadlock fails the test instead of hanging it */
	CHECK_RC(kiosk_context_new(&ctx), KIOSK_OK);
	test_set_log_from_sink();
	test_swap_while_logging();
	test_errors_from_threads();
	test_version();
	test_job_refs();
	kiosk_context_free(ctx);
	return test_done("test_log_threads");
}
