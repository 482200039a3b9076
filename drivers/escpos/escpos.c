/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * escpos.c — the ESC/POS receipt-printer driver: status, jobs, resume.
 *
 * Job protocol (the contract with a printer, and with kiosk-sim printer):
 * 1. Before sending, real-time status (DLE EOT 1, 2, 4). Paper out, cover
 *    open or offline: the job WAITS, polling, for at most the paper wait;
 *    then it fails (KIOSK_E_PAPER_OUT / _COVER_OPEN / _OFFLINE) having sent
 *    nothing.
 * 2. The encoded receipt goes out in chunks that end at the encoder's
 *    marks (after a line, band, QR, feed or cut; ~1 KB or one mark
 *    interval). On a profile with GS r, each chunk is followed by GS r 1,
 *    which the printer answers only once it has processed everything
 *    before it: the driver sends the next chunk only after that answer, so
 *    it always knows how many bytes the printer has TAKEN.
 * 3. While an answer is missing the driver asks real-time status (which
 *    printers answer even while stopped). Paper out / cover open: the job
 *    WAITS (bounded by the paper wait). A stopped printer keeps what it has
 *    received and prints it once paper is loaded, so on recovery the driver
 *    does NOT resend anything: it waits for the pending answer and goes on
 *    with the next chunk. No receipt is lost, none is printed twice.
 * 4. When the job fails or is cancelled after sending anything, it is never
 *    resent. Where the profile says the printer obeys DLE DC4 8
 *    ("clear_buffer"), the driver sends it so the rest of that job never
 *    prints later. Whatever part did print is still on the paper, uncut, and
 *    a printer that ignores the clear (or a lost link) may print the rest
 *    later: so the next job first separates itself from any leftover (ESC @,
 *    feed and cut before its first line). GS r answers still owed then are
 *    awaited before the next job sends anything, never taken as its own.
 *    The job's outcome says what may have printed (kiosk_job_get_partial(),
 *    kiosk_job_get_bytes(): bytes written to the link vs confirmed taken).
 * 5. Completion (KIOSK_OK) = the answer to the last chunk's GS r. Profiles
 *    without GS r: a real-time status check after the last write (the
 *    message says the printer's intake could not be confirmed); profiles
 *    with no status at all (or a write-only link): the bytes were written.
 * Replies are parsed by escpos_status.c; stray bytes (ASB packets, late
 * DLE EOT answers) are tolerated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "printer/printer_private.h"
#include "escpos_encode.h"
#include "escpos_status.h"
#include "escpos_trace.h"

#define COMP "escpos"
#define CHUNK 1024          /* target chunk size */
#define QUERY_MS 500        /* one real-time status query */
#define SLICE_MS 250        /* waiting for a GS r answer before asking status */
#define RECOVERY_POLL_MS 200
#define STALE_MS 1000       /* how long a late DLE EOT answer is awaited */
#define MS_PER_BYTE 2       /* slack per byte sent: links down to ~4800 baud */

struct escpos {
	struct kioski_escpos_parser parser;
	struct kioski_escpos_sensors sens;
	uint8_t rt[16];
	int rt_n;
	int rt_pending;       /* queries sent whose answer has not come */
	uint64_t rt_sent_ms;  /* when the last query was sent */
	uint64_t acks;        /* GS r answers received */
	uint64_t gsr_sent;    /* GS r requests sent (answers owed: gsr_sent - acks) */
	uint8_t last_gsr;
	bool asb_enabled;
	bool dirty; /* the previous job ended abnormally: late replies may follow */
	bool heard; /* the printer answered something on this link */
	uint64_t clears; /* DLE DC4 8 confirmations (37 25 00) received */
	bool separate_next; /* an abandoned job may have left paper or data: the next job cuts first */
};

static struct escpos *priv(kiosk_printer *prn)
{
	return prn->base.priv;
}

static bool has_status(kiosk_printer *prn)
{
	return prn->status_channel && (prn->profile.dle_eot || prn->profile.gs_r);
}

static bool link_error(int r)
{
	return r == KIOSK_E_CLOSED || r == KIOSK_E_NO_DEVICE || r == KIOSK_E_IO;
}

/* The link failed: the core marks the device offline and re-opens it in
 * the background (or before the next job). */
static void lost(kiosk_printer *prn, int r)
{
	struct escpos *es = priv(prn);
	es->gsr_sent = es->acks; /* the link that owed answers is gone */
	kioski_device_link_lost(&prn->base, r);
}

/* A new link (the core re-opened it): the printer may have been restarted. */
static void op_relinked(kiosk_printer *prn)
{
	struct escpos *es = priv(prn);
	kioski_escpos_parser_init(&es->parser);
	es->rt_n = es->rt_pending = 0;
	es->acks = es->gsr_sent = 0;
	es->asb_enabled = false;
	es->heard = false;
	es->dirty = true; /* late bytes of the old session may still come */
	prn->base.transport->trace = kioski_escpos_trace;
}

/* Reads what is there (waiting up to timeout_ms for the first byte) and
 * sorts it into status answers. KIOSK_OK if bytes came. */
static int pump(kiosk_printer *prn, int timeout_ms)
{
	struct escpos *es = priv(prn);
	uint8_t buf[64];
	size_t got = 0;
	int r = kioski_transport_read(prn->base.transport, buf, sizeof buf, &got, timeout_ms);
	if (r != KIOSK_OK)
		return r;
	for (size_t i = 0; i < got; i++) {
		struct kioski_escpos_reply rep;
		if (!kioski_escpos_parse_byte(&es->parser, buf[i], &rep))
			continue;
		if (!es->heard) {
			es->heard = true; /* a well-formed reply: the printer is there */
			kioski_device_answered(&prn->base);
		}
		switch (rep.kind) {
		case KIOSKI_ESCPOS_RT:
			if (es->rt_n < (int)sizeof es->rt)
				es->rt[es->rt_n++] = rep.b[0];
			break;
		case KIOSKI_ESCPOS_GSR:
			if (es->acks >= es->gsr_sent) {
				es->parser.noise++; /* nothing asked: not an answer */
				break;
			}
			es->acks++;
			es->last_gsr = rep.b[0];
			break;
		case KIOSKI_ESCPOS_ASB: {
			struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
			kiosk_printer_get_last_status(prn, &st);
			kioski_escpos_apply_asb(&st, rep.b, &es->sens);
			st.time_ms = kioski_now_ms();
			kioski_printer_note_status(prn, &st);
			break;
		}
		case KIOSKI_ESCPOS_CLEARED:
			/* requests still in its buffer are gone: no answers will come */
			es->gsr_sent = es->acks;
			es->clears++;
			kioski_dbg(prn->base.ctx, COMP, "printer cleared its buffers");
			break;
		}
	}
	return KIOSK_OK;
}

/* Takes in whatever is pending without waiting (and after an abnormal end,
 * lets late answers arrive first). Bounded: a link that never falls quiet
 * (a chattering device) is left after quiet_ms + 1 s. */
static int drain(kiosk_printer *prn, int quiet_ms)
{
	uint64_t until = kioski_now_ms() + (uint64_t)quiet_ms + 1000;
	for (;;) {
		int r = pump(prn, quiet_ms);
		if (r == KIOSK_E_TIMEOUT)
			return KIOSK_OK;
		if (r != KIOSK_OK)
			return r;
		if (kioski_now_ms() >= until)
			return KIOSK_OK;
	}
}

/* One DLE EOT n query. KIOSK_OK with *b, KIOSK_E_TIMEOUT, or a link error.
 * A DLE EOT answer does not say which n it answers, so a query never goes
 * out while an earlier one may still be answered (its answer stuck behind
 * data on a busy link): a late answer is awaited and dropped first, for at
 * most STALE_MS after that query was sent. */
static int query(kiosk_printer *prn, int n, int timeout_ms, uint8_t *b)
{
	struct escpos *es = priv(prn);
	int r;
	while (es->rt_pending) {
		if (es->rt_n) {
			memmove(es->rt, es->rt + 1, (size_t)--es->rt_n);
			es->rt_pending--;
			continue;
		}
		uint64_t give_up = es->rt_sent_ms + STALE_MS;
		int left = kioski_remaining_ms(give_up);
		if (left <= 0) {
			es->rt_pending = 0; /* it will not answer that one */
			break;
		}
		r = pump(prn, left);
		if (r != KIOSK_OK && r != KIOSK_E_TIMEOUT)
			return r;
	}
	es->rt_n = 0; /* unsolicited answers (none asked) are stray: drop them */
	uint8_t cmd[3] = {0x10, 0x04, (uint8_t)n};
	r = kioski_transport_write(prn->base.transport, cmd, 3, prn->io_timeout_ms);
	if (r != KIOSK_OK)
		return r;
	es->rt_pending = 1;
	es->rt_sent_ms = kioski_now_ms();
	uint64_t deadline = kioski_deadline(timeout_ms);
	while (!es->rt_n) {
		int left = kioski_remaining_ms(deadline);
		if (left <= 0)
			return KIOSK_E_TIMEOUT;
		r = pump(prn, left);
		if (r != KIOSK_OK && r != KIOSK_E_TIMEOUT)
			return r;
	}
	*b = es->rt[0];
	memmove(es->rt, es->rt + 1, (size_t)--es->rt_n);
	es->rt_pending = 0;
	return KIOSK_OK;
}

/* Real-time status: DLE EOT 1, 2, 4 (3 only when 2 reports an error). */
static int rt_status(kiosk_printer *prn, int timeout_ms, struct kiosk_printer_status *st)
{
	struct escpos *es = priv(prn);
	memset(st, 0, sizeof *st);
	st->size = sizeof *st;
	if (!prn->status_channel || !prn->profile.dle_eot)
		return KIOSK_E_NOT_SUPPORTED;
	uint64_t deadline = kioski_deadline(timeout_ms);
	static const int order[] = {1, 2, 4, 3};
	int answered = 0;
	for (size_t i = 0; i < 4; i++) {
		int n = order[i];
		if (n == 3 && st->error != KIOSK_YES && st->raw[1])
			continue; /* no error reported: skip the error-cause query */
		uint8_t b = 0;
		int left = kioski_remaining_ms(deadline);
		int r = query(prn, n, left < QUERY_MS ? (left > 0 ? left : 1) : QUERY_MS, &b);
		if (r == KIOSK_E_TIMEOUT) {
			if (!answered)
				return KIOSK_E_TIMEOUT; /* it does not answer at all */
			continue;
		}
		if (r != KIOSK_OK)
			return r;
		if (kioski_escpos_apply_rt(st, n, b, &es->sens))
			answered++;
	}
	if (!answered)
		return KIOSK_E_TIMEOUT;
	if (st->error == KIOSK_NO && st->cutter_error == KIOSK_UNKNOWN) {
		/* DLE EOT 2 says no error: none of the error causes holds */
		st->cutter_error = st->unrecoverable_error = st->recoverable_error = KIOSK_NO;
	}
	st->time_ms = kioski_now_ms();
	return KIOSK_OK;
}

/* The fault that stops printing, as an error code; KIOSK_OK if none known. */
static int fault_of(const struct kiosk_printer_status *st)
{
	if (st->paper == KIOSK_PAPER_OUT)
		return KIOSK_E_PAPER_OUT;
	if (st->cover_open == KIOSK_YES)
		return KIOSK_E_COVER_OPEN;
	if (st->cutter_error == KIOSK_YES)
		return KIOSK_E_CUTTER;
	if (st->online == KIOSK_NO || st->unrecoverable_error == KIOSK_YES)
		return KIOSK_E_OFFLINE;
	return KIOSK_OK;
}

static const char *fault_text(int f)
{
	switch (f) {
	case KIOSK_E_PAPER_OUT: return "paper out";
	case KIOSK_E_COVER_OPEN: return "cover open";
	case KIOSK_E_CUTTER: return "cutter error";
	case KIOSK_E_OFFLINE: return "printer offline";
	default: return kiosk_strerror(f);
	}
}

static int op_status(kiosk_printer *prn, int timeout_ms, struct kiosk_printer_status *st)
{
	struct escpos *es = priv(prn);
	int r = rt_status(prn, timeout_ms, st);
	if (r == KIOSK_OK || r == KIOSK_E_TIMEOUT)
		kioski_printer_note_status(prn, st);
	else if (link_error(r))
		lost(prn, r);
	if (r == KIOSK_OK)
		kioski_device_answered(&prn->base);
	else if (r == KIOSK_E_TIMEOUT && es->heard) {
		/* it answered on this link before and has gone silent (many printers
		 * never answer at all: those stay UNKNOWN, never OFFLINE) */
		es->heard = false;
		kioski_device_set_state(&prn->base, KIOSK_DEVICE_OFFLINE, KIOSK_E_TIMEOUT);
	}
	return r;
}

/* State of a running print. */
struct run {
	kiosk_printer *prn;
	kiosk_job *job;
	uint64_t fault_deadline; /* 0 while no fault */
	int fault;               /* the fault being waited out */
	bool waiting;
	char why[160];           /* a failure's reason */
};

/* Notes a status seen during a job: enters/leaves WAITING, and fails
 * (returns the fault) once the paper wait is over. */
static int job_fault_check(struct run *ru, const struct kiosk_printer_status *st)
{
	kiosk_printer *prn = ru->prn;
	kioski_printer_note_status(prn, st);
	int f = fault_of(st);
	if (f == KIOSK_OK) {
		if (ru->waiting) {
			kioski_info(prn->base.ctx, COMP, "job %llu: printer recovered, resuming",
				    (unsigned long long)kiosk_job_get_id(ru->job));
			kioski_job_set_state(ru->job, KIOSK_JOB_RUNNING);
		}
		ru->waiting = false;
		ru->fault_deadline = 0;
		return KIOSK_OK;
	}
	if (f == KIOSK_E_CUTTER) {
		snprintf(ru->why, sizeof ru->why, "cutter error");
		return f;
	}
	if (!ru->waiting) {
		pthread_mutex_lock(&prn->lock);
		int wait = prn->paper_wait_ms;
		pthread_mutex_unlock(&prn->lock);
		ru->waiting = true;
		ru->fault = f;
		ru->fault_deadline = kioski_now_ms() + (uint64_t)wait;
		kioski_job_set_state(ru->job, KIOSK_JOB_WAITING);
		kioski_warn(prn->base.ctx, COMP, "job %llu: %s, waiting up to %d ms",
			    (unsigned long long)kiosk_job_get_id(ru->job), fault_text(f), wait);
	}
	ru->fault = f;
	if (kioski_now_ms() >= ru->fault_deadline) {
		snprintf(ru->why, sizeof ru->why, "%s", fault_text(f));
		return f;
	}
	return KIOSK_OK;
}

static int check_cancel(struct run *ru)
{
	if (kioski_job_cancelled(ru->job) || kioski_device_stopping(&ru->prn->base)) {
		snprintf(ru->why, sizeof ru->why, "cancelled");
		return KIOSK_E_CANCELLED;
	}
	return KIOSK_OK;
}

static int io_fail(struct run *ru, int r, const char *what)
{
	if (r == KIOSK_E_CANCELLED && check_cancel(ru) != KIOSK_OK)
		return KIOSK_E_CANCELLED;
	snprintf(ru->why, sizeof ru->why, "%s: %s", what, kiosk_strerror(r));
	if (link_error(r))
		lost(ru->prn, r);
	return r;
}

/* Before sending: wait (bounded) until the printer can print. */
static int wait_ready(struct run *ru)
{
	kiosk_printer *prn = ru->prn;
	for (;;) {
		int r = check_cancel(ru);
		if (r)
			return r;
		struct kiosk_printer_status st;
		r = rt_status(prn, 4 * QUERY_MS, &st);
		if (r == KIOSK_E_TIMEOUT || r == KIOSK_E_NOT_SUPPORTED)
			return KIOSK_OK; /* no real-time answer: GS r (if any) decides */
		if (r != KIOSK_OK)
			return io_fail(ru, r, "status");
		r = job_fault_check(ru, &st);
		if (r != KIOSK_OK || !ru->waiting)
			return r;
		kioski_sleep_ms(RECOVERY_POLL_MS);
	}
}

/* Waits until the printer answered `want` GS r requests. */
static int wait_taken(struct run *ru, uint64_t want, size_t chunk_len)
{
	kiosk_printer *prn = ru->prn;
	struct escpos *es = priv(prn);
	/* a printer that is not stopped gets io_timeout plus MS_PER_BYTE per byte */
	uint64_t busy_deadline =
		kioski_now_ms() + (uint64_t)prn->io_timeout_ms + MS_PER_BYTE * chunk_len;
	while (es->acks < want) {
		int r = check_cancel(ru);
		if (r)
			return r;
		r = pump(prn, SLICE_MS);
		/* bytes that are not the answer (noise, ASB) do not extend the wait */
		if (r == KIOSK_OK &&
		    (es->acks >= want ||
		     kioski_now_ms() < (ru->waiting ? ru->fault_deadline : busy_deadline)))
			continue;
		if (r != KIOSK_OK && r != KIOSK_E_TIMEOUT)
			return io_fail(ru, r, "reading");
		struct kiosk_printer_status st;
		r = rt_status(prn, 2 * QUERY_MS, &st);
		if (es->acks >= want)
			break;
		if (r == KIOSK_OK) {
			bool was_waiting = ru->waiting;
			r = job_fault_check(ru, &st);
			if (r != KIOSK_OK)
				return r;
			if (ru->waiting)
				continue; /* bounded by the paper wait */
			if (was_waiting)
				busy_deadline = kioski_now_ms() + (uint64_t)prn->io_timeout_ms +
						MS_PER_BYTE * chunk_len;
		} else if (r != KIOSK_E_TIMEOUT && r != KIOSK_E_NOT_SUPPORTED) {
			return io_fail(ru, r, "status");
		}
		if (kioski_now_ms() >= busy_deadline) {
			snprintf(ru->why, sizeof ru->why, "the printer did not confirm it took the data");
			return KIOSK_E_TIMEOUT;
		}
	}
	return KIOSK_OK;
}

/* Before a job: answers still owed to GS r requests of an earlier job (a
 * printer that ignored the clear) must not be taken as this job's. They are
 * awaited (bounded); if they do not come the job fails having sent nothing,
 * and they are written off (the printer lost them, e.g. it was reset). */
static int settle_owed(struct run *ru)
{
	kiosk_printer *prn = ru->prn;
	struct escpos *es = priv(prn);
	uint64_t until = kioski_now_ms() + (uint64_t)prn->io_timeout_ms;
	while (es->acks < es->gsr_sent) {
		int r = check_cancel(ru);
		if (r)
			return r;
		if (kioski_now_ms() >= until) {
			snprintf(ru->why, sizeof ru->why,
				 "the printer still owes %llu answer(s) from an earlier job",
				 (unsigned long long)(es->gsr_sent - es->acks));
			es->gsr_sent = es->acks;
			return KIOSK_E_TIMEOUT;
		}
		r = pump(prn, SLICE_MS);
		if (r != KIOSK_OK && r != KIOSK_E_TIMEOUT)
			return io_fail(ru, r, "reading");
	}
	return KIOSK_OK;
}

/* After a failure: drop what the printer holds of this job, where the
 * profile says it obeys DLE DC4 8. True only if the printer confirmed it
 * (37 25 00): a clone that ignores it sends nothing back. */
static bool clear_printer(kiosk_printer *prn)
{
	static const uint8_t clear[10] = {0x10, 0x14, 0x08, 0x01, 0x03, 0x14, 0x01, 0x06, 0x02, 0x08};
	struct escpos *es = priv(prn);
	es->dirty = true;
	if (!prn->profile.clear_buffer || kioski_device_link_down(&prn->base) ||
	    !prn->base.transport)
		return false;
	kioski_transport_clear_cancel(prn->base.transport);
	uint64_t before = es->clears;
	if (kioski_transport_write(prn->base.transport, clear, sizeof clear, 1000) != KIOSK_OK)
		return false;
	drain(prn, 100);
	return es->clears > before;
}

/* Before the first line of a job that follows an abandoned one: whatever
 * the printer printed (or may still print) of that job is separated from
 * this one. ESC @ ends any mode it left, then feed and cut (a printer
 * without a cutter feeds the leftover past the tear bar). */
static int separate(struct run *ru)
{
	kiosk_printer *prn = ru->prn;
	uint8_t b[16];
	size_t n = 0;
	b[n++] = 0x1B, b[n++] = 0x40;             /* ESC @ */
	if (prn->profile.cutter_full || prn->profile.cutter_partial) {
		b[n++] = 0x1B, b[n++] = 0x64, b[n++] = 2; /* ESC d 2 */
		b[n++] = 0x1D, b[n++] = 0x56;             /* GS V m n: feed n, cut */
		b[n++] = prn->profile.cutter_full ? 0x41 : 0x42;
		b[n++] = (uint8_t)prn->profile.cut_feed;
	} else {
		b[n++] = 0x1B, b[n++] = 0x64, b[n++] = 6; /* ESC d 6 */
	}
	int r = kioski_transport_write(prn->base.transport, b, n, prn->io_timeout_ms);
	if (r != KIOSK_OK)
		return io_fail(ru, r, "separating from an abandoned job");
	kioski_info(prn->base.ctx, COMP, "job %llu: cut after an abandoned job first",
		    (unsigned long long)kiosk_job_get_id(ru->job));
	priv(prn)->separate_next = false;
	return KIOSK_OK;
}

/* The next chunk end: as many marks as fit in CHUNK bytes, at least one. */
static size_t next_end(const struct kioski_escpos_output *out, size_t *mi, size_t from)
{
	size_t end = 0;
	while (*mi < out->n_marks) {
		size_t m = out->marks[*mi];
		if (m <= from) {
			(*mi)++;
			continue;
		}
		if (end && m - from > CHUNK)
			break;
		end = m;
		(*mi)++;
	}
	if (!end)
		end = out->len; /* no mark left: the rest in one go */
	return end;
}

static void subst_note(const struct kioski_layout *l, char *buf, size_t len)
{
	buf[0] = 0;
	if (!l->n_subs)
		return;
	size_t k = (size_t)snprintf(buf, len, "; %zu character(s) substituted: %s", l->n_subs,
				    l->subs[0]);
	if (l->n_subs > 1 && k < len)
		snprintf(buf + k, len - k, ", …");
}

/* Sends the encoded job by the protocol above; completes the job. */
static void send_job(kiosk_printer *prn, kiosk_job *job, const struct kioski_escpos_output *out,
		     const char *subst)
{
	struct escpos *es = priv(prn);
	struct run ru = {.prn = prn, .job = job};
	unsigned long long id = (unsigned long long)kiosk_job_get_id(job);
	size_t sent = 0, taken = 0, tried = 0, chunks = 0;
	bool status = has_status(prn);
	int r;

	kioski_job_set_progress(job, 0, 0, out->len, KIOSK_JOB_PARTIAL_NONE);
	if (kioski_device_link_down(&prn->base) && (r = kioski_printer_relink(prn)) != KIOSK_OK) {
		snprintf(ru.why, sizeof ru.why, "cannot reach the printer: %s", kiosk_strerror(r));
		goto fail;
	}
	if (status) {
		r = drain(prn, es->dirty ? 150 : 0);
		if (r != KIOSK_OK) {
			r = io_fail(&ru, r, "reading");
			goto fail;
		}
		es->dirty = false;
		if (prn->profile.asb && !es->asb_enabled) {
			static const uint8_t asb[3] = {0x1D, 0x61, 0x0E};
			if (kioski_transport_write(prn->base.transport, asb, 3, prn->io_timeout_ms) == KIOSK_OK)
				es->asb_enabled = true;
		}
		if ((r = wait_ready(&ru)) != KIOSK_OK)
			goto fail;
		if (prn->profile.gs_r && (r = settle_owed(&ru)) != KIOSK_OK)
			goto fail;
	}
	if (es->separate_next && (r = separate(&ru)) != KIOSK_OK)
		goto fail;

	size_t mi = 0;
	while (sent < out->len) {
		if ((r = check_cancel(&ru)) != KIOSK_OK)
			goto fail;
		size_t end = next_end(out, &mi, sent);
		tried = end; /* a failed write may still have delivered part of it */
		r = kioski_transport_write(prn->base.transport, out->data + sent, end - sent,
					   prn->io_timeout_ms + MS_PER_BYTE * (int)(end - sent));
		if (r != KIOSK_OK) {
			r = io_fail(&ru, r, "sending");
			goto fail;
		}
		size_t len = end - sent;
		sent = end;
		chunks++;
		kioski_job_set_progress(job, sent, taken, out->len, KIOSK_JOB_PARTIAL_NONE);
		if (status && prn->profile.gs_r) {
			static const uint8_t gsr[3] = {0x1D, 0x72, 0x01};
			r = kioski_transport_write(prn->base.transport, gsr, 3, prn->io_timeout_ms);
			if (r != KIOSK_OK) {
				r = io_fail(&ru, r, "sending");
				goto fail;
			}
			uint64_t want = ++es->gsr_sent;
			if ((r = wait_taken(&ru, want, len)) != KIOSK_OK)
				goto fail;
			taken = sent;
			kioski_job_set_progress(job, sent, taken, out->len, KIOSK_JOB_PARTIAL_NONE);
		} else if (status) {
			/* no buffer-ordered answer: watch real-time status between chunks */
			if ((r = wait_ready(&ru)) != KIOSK_OK)
				goto fail;
		}
	}
	if (status && prn->profile.gs_r) {
		kioski_info(prn->base.ctx, COMP, "job %llu: printer took %zu bytes (%zu chunks)", id,
			    taken, chunks);
		kioski_job_complete(job, KIOSK_OK, "printed: the printer took all %zu bytes%s", taken,
				    subst);
		return;
	}
	if (status) {
		struct kiosk_printer_status st;
		r = rt_status(prn, 4 * QUERY_MS, &st);
		if (r == KIOSK_OK && (r = job_fault_check(&ru, &st)) == KIOSK_OK && !ru.waiting) {
			kioski_job_complete(job, KIOSK_OK,
					    "sent %zu bytes; status ok (this printer cannot confirm "
					    "intake)%s", sent, subst);
			return;
		}
		if (ru.waiting && (r = wait_ready(&ru)) == KIOSK_OK) {
			kioski_job_complete(job, KIOSK_OK, "sent %zu bytes; status ok after waiting%s",
					    sent, subst);
			return;
		}
		if (r == KIOSK_E_TIMEOUT)
			snprintf(ru.why, sizeof ru.why, "no status answer after the job");
		if (r != KIOSK_OK)
			goto fail;
	}
	kioski_job_complete(job, KIOSK_OK, "sent %zu bytes (no status channel: unconfirmed)%s", sent,
			    subst);
	return;

fail:
	if (r == KIOSK_OK)
		r = KIOSK_E_IO;
	/* Never resent. What may have printed: the confirmed part for sure; the
	 * rest of what went to the link, maybe. */
	enum kiosk_job_partial partial = taken ? KIOSK_JOB_PARTIAL_YES
				       : tried  ? KIOSK_JOB_PARTIAL_MAYBE
						: KIOSK_JOB_PARTIAL_NONE;
	bool cleared = false;
	if (tried) {
		/* ESC @ + feed + cut before the next job's first line */
		es->separate_next = true;
		cleared = clear_printer(prn);
	} else if (r == KIOSK_E_CANCELLED || (status && sent)) {
		es->dirty = true;
	}
	kioski_job_set_progress(job, tried, taken, out->len, partial);
	char took[160];
	if (!tried)
		snprintf(took, sizeof took, "nothing of its %zu bytes was sent", out->len);
	else if (status && prn->profile.gs_r)
		snprintf(took, sizeof took,
			 "wrote %zu of %zu bytes to the link, the printer confirmed taking %zu",
			 tried, out->len, taken);
	else
		snprintf(took, sizeof took,
			 "wrote %zu of %zu bytes to the link, the printer cannot confirm intake",
			 tried, out->len);
	const char *maybe = partial == KIOSK_JOB_PARTIAL_YES     ? "; part of it has printed"
			    : partial == KIOSK_JOB_PARTIAL_MAYBE ? "; part of it may have printed"
								 : "";
	kioski_device_fail(&prn->base, r, "job %llu: %s (%s%s)", id,
			   ru.why[0] ? ru.why : kiosk_strerror(r), took, maybe);
	const char *rest = !tried || tried <= taken ? ""
			   : cleared ? "; the printer cleared the rest"
				     : "; the rest may still print (the next job cuts before its first line)";
	kioski_job_complete(job, r, "%s: %s%s%s%s", ru.why[0] ? ru.why : kiosk_strerror(r), took,
			    maybe, rest, subst);
}

static void op_print(kiosk_printer *prn, kiosk_job *job, const struct kioski_layout *layout)
{
	char subst[160];
	subst_note(layout, subst, sizeof subst);
	struct kioski_escpos_output out;
	int r = kioski_escpos_encode(layout, &out);
	if (r != KIOSK_OK) {
		kioski_device_fail(&prn->base, r, "job %llu: cannot encode: %s",
				   (unsigned long long)kiosk_job_get_id(job), out.error);
		kioski_job_complete(job, r, "cannot encode the receipt: %s (nothing sent)", out.error);
		return;
	}
	send_job(prn, job, &out, subst);
	kioski_escpos_output_free(&out);
}

static int op_render(const struct kioski_layout *layout, uint8_t **data, size_t *len, char *err,
		     size_t err_len)
{
	struct kioski_escpos_output out;
	int r = kioski_escpos_encode(layout, &out);
	if (r != KIOSK_OK) {
		snprintf(err, err_len, "%s", out.error);
		return r;
	}
	*data = out.data;
	*len = out.len;
	out.data = NULL;
	kioski_escpos_output_free(&out);
	return KIOSK_OK;
}

static int op_write_raw(kiosk_printer *prn, const void *data, size_t len, int timeout_ms)
{
	if (kioski_device_link_down(&prn->base)) {
		int r = kioski_printer_relink(prn);
		if (r != KIOSK_OK)
			return r;
	}
	int r = kioski_transport_write(prn->base.transport, data, len, timeout_ms);
	if (link_error(r))
		lost(prn, r);
	return r;
}

static void op_close(kiosk_printer *prn)
{
	free(prn->base.priv);
	prn->base.priv = NULL;
}

static int op_open(kiosk_printer *prn)
{
	struct escpos *es = calloc(1, sizeof *es);
	if (!es)
		return KIOSK_E_NO_MEMORY;
	kioski_escpos_parser_init(&es->parser);
	es->sens.near_end = prn->profile.near_end_sensor;
	es->sens.cover = prn->profile.cover_sensor;
	prn->base.priv = es;
	/* traces show command structure and lengths, never the receipt's text */
	prn->base.transport->trace = kioski_escpos_trace;
	return KIOSK_OK;
}

static const struct kioski_printer_ops escpos_ops = {
	.open = op_open,
	.status = op_status,
	.print = op_print,
	.write_raw = op_write_raw,
	.close = op_close,
	.relinked = op_relinked,
	.render = op_render,
};

const struct kioski_driver kioski_driver_escpos = {
	.id = "escpos",
	.full_name = "ESC/POS receipt printer (Epson-compatible, GB18030 Chinese)",
	.cls = KIOSK_CLASS_PRINTER,
	.features = 0,
	.usb_ids = NULL, /* models are matched by the "usb" lists of the printer profiles */
	.ops = &escpos_ops,
};
