/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/printer.h — ESC/POS receipt printers.
 *
 * Open a printer by URI (tcp:HOST:9100, serial:/dev/ttyUSB0?baud=115200,
 * usb:VVVV:PPPP, file:/dev/usb/lp0) and a profile that says what the model
 * can do (paper width, Chinese mode, native QR, cutter, status support).
 * Print a receipt (receipt.h) as a job:
 *
 *   kiosk_printer *prn;
 *   kiosk_printer_open(ctx, "tcp:192.0.2.10:9100", NULL, &prn);
 *   kiosk_printer_print_sync(prn, receipt, 30000);
 *   kiosk_printer_close(prn);
 *
 * Jobs. Each print is a kiosk_job (job.h) with an id and exactly one
 * completion. KIOSK_OK means the printer has TAKEN the whole job: the data
 * goes out in chunks (~1 KB, ending after a line, raster band, QR code, feed
 * or cut), each followed by a buffer-ordered status request (GS r 1, which
 * the printer answers only once it has processed everything before it); the
 * next chunk goes only after that answer, and the job completes on the answer
 * to the last one. Bytes written to a socket are not "printed". Profiles
 * without GS r: real-time status (DLE EOT) is checked between chunks and
 * after the last, and the job message says intake could not be confirmed;
 * without any status channel (URI option status=none, a plain file) the job
 * completes once written and its message says "unconfirmed".
 *
 * Paper out / cover open. If the printer runs out of paper or its cover
 * opens, the job's state becomes KIOSK_JOB_WAITING and the driver polls
 * status for at most the paper wait (kiosk_printer_set_paper_wait(),
 * default 10 s). A stopped printer keeps what it has received and prints it
 * once it recovers, so nothing is sent twice: the driver waits for the
 * pending confirmation and goes on with the next chunk. If the wait runs out
 * the job fails with KIOSK_E_PAPER_OUT / KIOSK_E_COVER_OPEN. A printer that
 * is out of paper when a job starts gets the same bounded wait (nothing is
 * sent).
 *
 * Abandoned jobs. A job that fails or is cancelled after bytes went out is
 * never resent by the library. Where the profile says the printer obeys
 * DLE DC4 8 ("clear_buffer": true) the driver clears what the printer still
 * holds of it. What did print stays on the paper, and a printer that ignores
 * the clear (or a lost link) may print the rest later: so the next job starts
 * by separating itself from any leftover (ESC @, feed and cut before its
 * first line). No visitor takes home the tail of someone else's receipt.
 * kiosk_job_get_partial() says whether part of a failed job may have printed
 * and kiosk_job_get_bytes() how many bytes were written to the link and how
 * many the printer confirmed taking; the job message says the same in words.
 *
 * Link loss. A link that fails (peer closed, unplugged, I/O error) makes the
 * device OFFLINE (device.h) and is re-opened in the background with bounded
 * back-off; a job submitted meanwhile tries once more to open it. When the
 * printer is back the next job simply works: the application reopens
 * nothing. A TCP or USB printer is ONLINE while its link is open; one on a
 * serial port is UNKNOWN until it answers a status query. A printer that
 * answered and stops answering goes OFFLINE (KIOSK_E_TIMEOUT); one that never
 * answers (many cannot) is never called OFFLINE for that. A link that carries
 * no replies (status=none, a file) is found lost only when a write fails.
 *
 * Status. kiosk_printer_get_status() asks the printer now (DLE EOT 1–4).
 * While no job runs the device polls status (kiosk_printer_set_status_poll())
 * and posts a KIOSK_EVENT_PRINTER_STATUS event (event.h) whenever it
 * changes. A condition the printer cannot sense, or did not answer about, is
 * reported as unknown — never guessed as fine.
 *
 * Characters the printer's code page cannot print are replaced by a visible
 * substitute (never dropped); the job's message (kiosk_job_get_message())
 * lists them and a warning is logged.
 */
#ifndef KIOSK_PRINTER_H
#define KIOSK_PRINTER_H

#include <kiosk/common.h>
#include <kiosk/context.h>
#include <kiosk/device.h>
#include <kiosk/job.h>
#include <kiosk/receipt.h>

KIOSK_BEGIN_DECLS

/** An open receipt printer (opaque). */
typedef struct kiosk_printer kiosk_printer;

/** Paper supply as the printer reports it. Zero is UNKNOWN. */
enum kiosk_paper_state {
	KIOSK_PAPER_UNKNOWN = 0,  /**< not sensed, or the printer did not answer */
	KIOSK_PAPER_OK = 1,       /**< paper present (and not near the end, if the model has that sensor) */
	KIOSK_PAPER_NEAR_END = 2, /**< the near-end sensor sees the roll running low */
	KIOSK_PAPER_OUT = 3,      /**< no paper: the printer stops */
};

#ifndef KIOSK_TRISTATE_DEFINED
#define KIOSK_TRISTATE_DEFINED
/** A yes/no condition that may be unknown. Zero is UNKNOWN. */
enum kiosk_tristate {
	KIOSK_UNKNOWN = 0, /**< the device cannot sense it, or did not answer */
	KIOSK_NO = 1,
	KIOSK_YES = 2,
};
#endif

/**
 * A status snapshot, decoded from the DLE EOT 1–4 replies (or an ASB
 * packet). Fields whose reply did not arrive are UNKNOWN.
 *
 * The struct may grow in later releases (fields are only ever appended).
 * Before passing one to the library set `size` to sizeof the struct you
 * have, most simply with KIOSK_PRINTER_STATUS_INIT:
 *
 *   struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
 *   kiosk_printer_get_status(prn, 2000, &st);
 *
 * The library fills at most `size` bytes and sets `size` to what it filled;
 * a field that lies beyond `size` was not filled (an older library). Structs
 * the library hands out (kiosk_event_get_printer_status()) carry their size
 * the same way.
 */
struct kiosk_printer_status {
	size_t size;                             /**< bytes valid; see above */
	enum kiosk_paper_state paper;
	enum kiosk_tristate cover_open;          /**< DLE EOT 2 bit 2 */
	enum kiosk_tristate online;              /**< NO when DLE EOT 1 bit 3 (offline) is set */
	enum kiosk_tristate paper_stop;          /**< DLE EOT 2 bit 5: printing stopped by paper end */
	enum kiosk_tristate error;               /**< DLE EOT 2 bit 6: an error occurred */
	enum kiosk_tristate cutter_error;        /**< DLE EOT 3 bit 3 */
	enum kiosk_tristate unrecoverable_error; /**< DLE EOT 3 bit 5 */
	enum kiosk_tristate recoverable_error;   /**< DLE EOT 3 bit 6 (auto-recoverable) */
	uint8_t raw[4];      /**< the reply bytes to DLE EOT 1..4; 0 where none came */
	uint64_t time_ms;    /**< when it was read (CLOCK_MONOTONIC ms); 0 if never */
};

/** Initialiser of a struct kiosk_printer_status: `size` set, everything UNKNOWN. */
#define KIOSK_PRINTER_STATUS_INIT {.size = sizeof(struct kiosk_printer_status)}

/** "ok", "near_end", "out" or "unknown". Never NULL. */
KIOSK_API const char *kiosk_paper_state_name(enum kiosk_paper_state paper);

/** "yes", "no" or "unknown". Never NULL. */
KIOSK_API const char *kiosk_tristate_name(enum kiosk_tristate v);

/**
 * One word for the whole status, most severe first: "offline" (no answer at
 * all, or the offline bit set for no reason the status gives),
 * "cover_open", "out" (these two also when they are why the printer is
 * offline), "error" (cutter or unrecoverable error), "near_end", "ok", or
 * "unknown" when the paper state is not known (or `size` is too small to
 * hold the fields). Never NULL.
 */
KIOSK_API const char *kiosk_printer_status_summary(const struct kiosk_printer_status *st);

/**
 * Opens a printer.
 * `uri`: see uri.h. Options read by the driver: `profile=NAME`,
 *   `timeout_ms=N` (per I/O step, default 5000; a printer that is not
 *   stopped gets this plus 2 ms per byte to confirm each chunk),
 *   `status=none` (the link carries no replies: jobs complete once written,
 *   and their message says so; a plain-file `file:` URI implies it).
 * `profile`: a printer profile name (hw/profiles/printer/NAME.json, e.g.
 *   "generic-80mm", "generic-58mm"); NULL picks, in order, the URI's
 *   `profile=` option, the profile listing the USB VID:PID, "generic-80mm".
 * Opening sends nothing and does not require the printer to answer status
 * (some never do); the link is opened (a TCP connection, a serial port, a
 * claimed USB interface) and kept until close. A link lost later is reopened
 * in the background and before the next job or status query (see "Link
 * loss" above).
 * Returns KIOSK_OK, KIOSK_E_INVALID_ARG, KIOSK_E_BAD_URI,
 * KIOSK_E_NOT_FOUND (no such profile), or a transport error
 * (KIOSK_E_NO_DEVICE, KIOSK_E_ACCESS, KIOSK_E_BUSY, KIOSK_E_TIMEOUT, KIOSK_E_IO);
 * the reason is in kiosk_context_last_error().
 */
KIOSK_API int kiosk_printer_open(kiosk_context *ctx, const char *uri, const char *profile,
				 kiosk_printer **out);

/**
 * Closes the printer: cancels queued and running jobs (each completes with
 * KIOSK_E_CANCELLED unless it finished first), stops the worker and closes
 * the link. NULL is a no-op.
 */
KIOSK_API void kiosk_printer_close(kiosk_printer *prn);

/** The printer as a generic device (borrowed; valid until close). */
KIOSK_API kiosk_device *kiosk_printer_device(kiosk_printer *prn);

/** The name of the profile in use, e.g. "generic-80mm". Never NULL. */
KIOSK_API const char *kiosk_printer_get_profile_name(kiosk_printer *prn);

/**
 * Queries status now (DLE EOT 1–4), waiting up to `timeout_ms` in all
 * (runs after any job in progress). Replies that do not come leave their
 * fields UNKNOWN. Returns KIOSK_OK if at least one reply came,
 * KIOSK_E_TIMEOUT if none did (then every field is UNKNOWN, not an error
 * of the printer: many printers on a plain link never answer),
 * KIOSK_E_NOT_SUPPORTED (the profile or link has no status channel, e.g. a
 * plain file or URI option status=none), or a transport error
 * (KIOSK_E_CLOSED, KIOSK_E_NO_DEVICE, KIOSK_E_IO). KIOSK_E_INVALID_ARG when
 * `st->size` is not set (see struct kiosk_printer_status).
 */
KIOSK_API int kiosk_printer_get_status(kiosk_printer *prn, int timeout_ms,
				       struct kiosk_printer_status *st);

/**
 * The last status the device saw (from a query, the background poll, a job
 * or an ASB packet), without I/O. All UNKNOWN if none yet. Returns KIOSK_OK,
 * or KIOSK_E_INVALID_ARG when `st->size` is not set.
 */
KIOSK_API int kiosk_printer_get_last_status(kiosk_printer *prn, struct kiosk_printer_status *st);

/**
 * Starts printing `receipt` (encoded for the printer's profile now, so the
 * receipt may be freed as soon as this returns).
 * `cb` (may be NULL) runs once from kiosk_context_dispatch() with the
 * result. What each result says about the paper (kiosk_job_get_partial():
 * NONE, MAYBE = bytes went out unconfirmed, YES = the printer confirmed
 * taking part); no job is ever resent by the library:
 * - KIOSK_OK: the printer confirmed taking the whole job (GS r), or, on a
 *   printer that cannot confirm, all was written and status was fine (the
 *   message says "cannot confirm intake" / "unconfirmed"). Partial NONE.
 * - KIOSK_E_PAPER_OUT, KIOSK_E_COVER_OPEN: the fault outlasted the paper
 *   wait. NONE if it was there before anything was sent; else YES or MAYBE.
 * - KIOSK_E_OFFLINE: the printer reported itself offline (DLE EOT 1) or an
 *   unrecoverable error. As above.
 * - KIOSK_E_CUTTER: the auto-cutter failed: the receipt printed, uncut
 *   (YES or MAYBE).
 * - KIOSK_E_TIMEOUT: the printer did not confirm taking a chunk in time, or
 *   owed answers of an earlier job never came (then nothing was sent: NONE).
 *   MAYBE (or YES for the chunks it confirmed): "took 0" never means "printed
 *   nothing" — kiosk_job_get_bytes() tells written from confirmed.
 * - KIOSK_E_CLOSED, KIOSK_E_NO_DEVICE, KIOSK_E_IO: the link was lost (or
 *   could not be re-opened: NONE). MAYBE/YES if bytes went out before.
 * - KIOSK_E_CANCELLED: kiosk_job_cancel() or close. NONE if it had not
 *   started sending; else MAYBE/YES.
 * `job` (may be NULL) receives the caller's reference: kiosk_job_unref() it.
 * Returns KIOSK_OK, or KIOSK_E_INVALID_ARG / KIOSK_E_BAD_DOCUMENT (the
 * receipt cannot be encoded; kiosk_device_last_error() says which item) /
 * KIOSK_E_NO_MEMORY — then no job exists and `cb` never runs.
 */
KIOSK_API int kiosk_printer_submit(kiosk_printer *prn, const kiosk_receipt *receipt,
				   kiosk_job_fn cb, void *user, kiosk_job **job);

/**
 * Prints and waits: kiosk_printer_submit() + kiosk_job_wait(). Returns the
 * job's result; on KIOSK_E_TIMEOUT the job is cancelled (and the printer may
 * have printed part of it). The reason of a failure is in
 * kiosk_device_last_error(kiosk_printer_device(prn)).
 */
KIOSK_API int kiosk_printer_print_sync(kiosk_printer *prn, const kiosk_receipt *receipt,
				       int timeout_ms);

/**
 * How long a job waits for paper or a closed cover before failing, in ms
 * (default 10000; 0 fails at once). Applies to every wait that begins
 * afterwards (also in a job already running).
 * Returns KIOSK_OK or KIOSK_E_INVALID_ARG (negative).
 */
KIOSK_API int kiosk_printer_set_paper_wait(kiosk_printer *prn, int ms);

/**
 * Background status polling while no job runs, every `interval_ms`
 * (default 2000; 0 stops it). Changes raise KIOSK_EVENT_PRINTER_STATUS.
 * Returns KIOSK_OK or KIOSK_E_INVALID_ARG (negative).
 */
KIOSK_API int kiosk_printer_set_status_poll(kiosk_printer *prn, int interval_ms);

/**
 * Sends vendor bytes as they are (e.g. a logo download), in order with the
 * jobs, waiting up to `timeout_ms`. No status check, no completion
 * guarantee beyond the write. Returns KIOSK_OK or a transport error.
 */
KIOSK_API int kiosk_printer_write_raw(kiosk_printer *prn, const void *data, size_t len,
				      int timeout_ms);

KIOSK_END_DECLS
#endif
