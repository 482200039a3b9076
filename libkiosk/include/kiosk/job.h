/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/job.h — asynchronous operations.
 *
 * Anything that waits on hardware (printing a receipt, reading a card,
 * waiting for a scan) runs as a kiosk_job. A job ends in exactly one
 * completion: its result is KIOSK_OK or an error code, fixed once set.
 *
 * - If a call that starts a job returns an error, no job exists and no
 *   callback will ever run for it.
 * - The callback, if given, runs exactly once, inside
 *   kiosk_context_dispatch(), never from within the call that started it.
 * - kiosk_job_wait() blocks until the job completes (no dispatch needed).
 * - A job is reference counted. The call that starts it hands the caller one
 *   reference; kiosk_job_ref() takes another (e.g. for a second thread) and
 *   kiosk_job_unref() drops one. Dropping the last reference of the caller's
 *   does not stop a running job: it carries on and its callback still runs
 *   (with a job pointer valid for the duration of the callback).
 */
#ifndef KIOSK_JOB_H
#define KIOSK_JOB_H

#include <kiosk/common.h>
#include <kiosk/context.h>

KIOSK_BEGIN_DECLS

/** An asynchronous operation (opaque). */
typedef struct kiosk_job kiosk_job;

/** A job's state. */
enum kiosk_job_state {
	KIOSK_JOB_QUEUED = 0,  /**< accepted, not started */
	KIOSK_JOB_RUNNING = 1, /**< in progress */
	KIOSK_JOB_WAITING = 2, /**< paused waiting for recovery (paper, cover) */
	KIOSK_JOB_DONE = 3,    /**< completed; kiosk_job_get_result() tells how */
};

/**
 * Whether a job that did not complete whole may have printed in part. A job
 * is never sent again by the library: an application that wants a second
 * attempt submits it again, knowing from this what the printer may already
 * have printed. Zero is NONE.
 */
enum kiosk_job_partial {
	KIOSK_JOB_PARTIAL_NONE = 0,  /**< nothing of it can have printed (nothing was sent), or it completed whole */
	KIOSK_JOB_PARTIAL_MAYBE = 1, /**< bytes went out but the device never confirmed taking them: part may have printed */
	KIOSK_JOB_PARTIAL_YES = 2,   /**< the device confirmed taking part (not all) of it: that part has printed or will */
};

/** Completion callback. `result` is KIOSK_OK or an error code. */
typedef void (*kiosk_job_fn)(kiosk_job *job, int result, void *user);

/** The job's id: unique within its context, increasing from 1. */
KIOSK_API uint64_t kiosk_job_get_id(kiosk_job *job);

/** The job's state now. */
KIOSK_API enum kiosk_job_state kiosk_job_get_state(kiosk_job *job);

/** The result once DONE; KIOSK_E_STATE before. */
KIOSK_API int kiosk_job_get_result(kiosk_job *job);

/** A message describing how the job ended ("" while not done). Never NULL. */
KIOSK_API const char *kiosk_job_get_message(kiosk_job *job);

/**
 * After completion: whether part of it may have printed (KIOSK_JOB_PARTIAL_*).
 * KIOSK_JOB_PARTIAL_NONE while not done, for a NULL job, and for jobs that
 * send nothing (status queries, card reads).
 */
KIOSK_API enum kiosk_job_partial kiosk_job_get_partial(kiosk_job *job);

/**
 * How far a print got (also while it runs): `written` bytes handed to the
 * link (an upper bound: a write that failed may have delivered only part of
 * its chunk), `confirmed` bytes the printer confirmed it took (buffer-ordered
 * status; 0 where the profile or link has no such answer), `total` bytes of
 * the encoded job. Any pointer may be NULL. Returns KIOSK_OK or
 * KIOSK_E_INVALID_ARG.
 */
KIOSK_API int kiosk_job_get_bytes(kiosk_job *job, uint64_t *written, uint64_t *confirmed,
				  uint64_t *total);

/**
 * Waits up to `timeout_ms` (KIOSK_TIMEOUT_INFINITE allowed) for completion.
 * Returns the job's result, or KIOSK_E_TIMEOUT if it is still running (the
 * job itself is not affected: wait again or cancel it), or
 * KIOSK_E_INVALID_ARG for a NULL job.
 */
KIOSK_API int kiosk_job_wait(kiosk_job *job, int timeout_ms);

/**
 * Asks the job to stop. A job not yet complete then completes with
 * KIOSK_E_CANCELLED (or with its real result if it finished first).
 * Returns KIOSK_OK, or KIOSK_E_STATE if it had already completed.
 */
KIOSK_API int kiosk_job_cancel(kiosk_job *job);

/** Takes one more reference to `job` (thread-safe). Returns `job`; NULL for NULL. */
KIOSK_API kiosk_job *kiosk_job_ref(kiosk_job *job);

/** Drops one reference (thread-safe); the last one frees the job. NULL is a no-op. */
KIOSK_API void kiosk_job_unref(kiosk_job *job);

/** Deprecated: the same as kiosk_job_unref(). Kept so that 0.x programs build and link. */
KIOSK_API void kiosk_job_free(kiosk_job *job) __attribute__((deprecated("use kiosk_job_unref()")));

KIOSK_END_DECLS
#endif
