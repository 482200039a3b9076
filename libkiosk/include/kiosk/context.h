/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/context.h — the library context, logging and event-loop integration.
 *
 * Everything starts from one kiosk_context. It owns the driver registry, the
 * log settings and the queue through which asynchronous completions and
 * device events reach the application. There are no hidden globals: two
 * contexts in one process are independent.
 *
 * Threads: devices do their waiting on library-owned worker threads. Results
 * reach the application only inside kiosk_context_dispatch(), on the thread
 * that calls it, so callbacks never run concurrently and never re-entrantly.
 * A context and its handles may be used from one application thread at a
 * time; kiosk_job_wait() and the *_sync helpers may block any thread.
 */
#ifndef KIOSK_CONTEXT_H
#define KIOSK_CONTEXT_H

#include <kiosk/common.h>
#include <kiosk/error.h>

KIOSK_BEGIN_DECLS

/** The library context (opaque). */
typedef struct kiosk_context kiosk_context;

/**
 * Releases a buffer the library returned to the caller: the only way to
 * release one (kiosk_idcard_to_json(), kiosk_idcard_decode_photo(),
 * kiosk_receipt_to_json(), kiosk_receipt_render_png(),
 * kiosk_receipt_render_escpos(), kiosk_scanner_read(), kiosk_job_take_scan()).
 * The whole buffer is overwritten before it is freed, since some hold
 * personal data. Never pass such a buffer to free(). NULL is a no-op.
 */
KIOSK_API void kiosk_free(void *p);

/**
 * The version of the library loaded at run time, "MAJOR.MINOR.MICRO"
 * (compare KIOSK_VERSION_STRING of the headers, kiosk/version.h). Never NULL.
 */
KIOSK_API const char *kiosk_version(void);

/**
 * Creates a context. The log level starts at KIOSK_LOG_WARN, or at the level
 * named by the KIOSK_DEBUG environment variable ("error", "warn", "info",
 * "debug", or 0–4), and messages go to stderr until a callback is set.
 * Returns KIOSK_OK, KIOSK_E_INVALID_ARG or KIOSK_E_NO_MEMORY.
 */
KIOSK_API int kiosk_context_new(kiosk_context **ctx);

/**
 * Frees the context. Every device must have been closed first; jobs still
 * pending are cancelled and their callbacks are not called. NULL is a no-op.
 */
KIOSK_API void kiosk_context_free(kiosk_context *ctx);

/**
 * The message of the last failure of a context-level call (open, parse…).
 * Never NULL. Readable from any thread: a copy private to the calling
 * thread, valid until that thread calls kiosk_context_last_error() again.
 */
KIOSK_API const char *kiosk_context_last_error(kiosk_context *ctx);

/**
 * Adds a directory searched for device profiles before the built-in ones
 * (files <dir>/<family>/<name>.json, e.g. printer/generic-80mm.json). The
 * KIOSK_PROFILE_DIR environment variable does the same. NULL clears it.
 */
KIOSK_API int kiosk_context_set_profile_dir(kiosk_context *ctx, const char *dir);

/* ---- logging ---------------------------------------------------------- */

/** Log levels, most severe first. */
enum kiosk_log_level {
	KIOSK_LOG_NONE = 0,
	KIOSK_LOG_ERROR = 1,
	KIOSK_LOG_WARN = 2,
	KIOSK_LOG_INFO = 3,
	KIOSK_LOG_DEBUG = 4,
};

/**
 * A log sink. `component` names the part of the library ("core", "usb",
 * "samv", "escpos", …). `msg` has no trailing newline. Personal data in a
 * message is always masked. Called on whatever thread logs (worker threads
 * included), with no library lock held: it may call libkiosk, also
 * kiosk_context_set_log(). Keep it short and thread-safe.
 */
typedef void (*kiosk_log_fn)(kiosk_context *ctx, enum kiosk_log_level level,
			     const char *component, const char *msg, void *user);

/**
 * Sets the log level and sink. `fn` NULL restores the default stderr sink.
 * The KIOSK_DEBUG environment variable, when set, overrides `level`.
 * Thread-safe. When it returns, the previous sink is no longer running on
 * any other thread (it waits up to 2 s for calls in progress; do not hold a
 * lock your sink takes while calling it), so its `user` may be freed. Called
 * from inside a sink, it takes effect for the next message and does not wait.
 */
KIOSK_API void kiosk_context_set_log(kiosk_context *ctx, enum kiosk_log_level level,
				     kiosk_log_fn fn, void *user);

/** The effective log level. */
KIOSK_API enum kiosk_log_level kiosk_context_get_log_level(kiosk_context *ctx);

/* ---- event-loop integration ------------------------------------------ */

/**
 * A file descriptor that becomes readable (POLLIN) whenever
 * kiosk_context_dispatch() has work to do. Owned by the context: poll it,
 * never read or close it. Stable for the life of the context.
 */
KIOSK_API int kiosk_context_get_fd(kiosk_context *ctx);

/**
 * Runs pending work without blocking: calls the callbacks of completed jobs
 * (each exactly once) and moves device events to the queue read by
 * kiosk_context_next_event(). Returns KIOSK_OK.
 */
KIOSK_API int kiosk_context_dispatch(kiosk_context *ctx);

/**
 * Waits up to `timeout_ms` (KIOSK_TIMEOUT_INFINITE allowed) for the context
 * fd to become readable, then dispatches. Returns KIOSK_OK when work was
 * dispatched, KIOSK_E_TIMEOUT when none arrived in time, KIOSK_E_IO if poll()
 * fails, KIOSK_E_INVALID_ARG for a NULL context.
 */
KIOSK_API int kiosk_context_wait(kiosk_context *ctx, int timeout_ms);

KIOSK_END_DECLS
#endif
