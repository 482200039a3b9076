/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * idcard.c — the ID-card family front-end: kiosk_idcard_open/read/watch/SAM.
 *
 * Every operation runs on the reader's worker thread (as a job), so reads,
 * SAM commands and presence polling never interleave on the wire. The
 * blocking calls submit a job and wait for it.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <cjson/cJSON.h>
#include "idcard/idcard-private.h"

#define COMP "idcard"
#define DEFAULT_CMD_TIMEOUT_MS 1000
#define FIND_RETRY_MS 100
#define MAX_CARD_FAILURES 3   /* failed select/read/corrupt replies per read */
#define WAIT_MARGIN_MS 15000  /* job wait beyond its own deadline (never reached normally) */

static kiosk_idcard_reader *R(kiosk_device *dev)
{
	return (kiosk_idcard_reader *)dev;
}

/* ---- open / close ------------------------------------------------------- */

static void forget_card(kiosk_idcard_reader *rdr);

/* The core re-opened the reader's lost link: the driver sets it up again. */
static int relinked(kiosk_device *dev)
{
	kiosk_idcard_reader *rdr = (kiosk_idcard_reader *)dev;
	forget_card(rdr);
	return rdr->ops->relinked ? rdr->ops->relinked(rdr) : KIOSK_OK;
}

KIOSK_API int kiosk_idcard_open(kiosk_context *ctx, const char *uri_text, kiosk_idcard_reader **out)
{
	if (out)
		*out = NULL;
	if (!ctx || !uri_text || !out)
		return ctx ? kioski_context_fail(ctx, KIOSK_E_INVALID_ARG, "idcard open: NULL argument")
			   : KIOSK_E_INVALID_ARG;
	char msg[200];
	kiosk_uri *uri = NULL;
	int r = kiosk_uri_parse(uri_text, &uri, msg, sizeof msg);
	if (r < 0)
		return kioski_context_fail(ctx, r, "%s", msg);
	enum kiosk_uri_scheme scheme = kiosk_uri_get_scheme(uri);
	char profile[64] = "";
	const char *opt = kiosk_uri_get_option(uri, "profile");
	bool explicit_profile = opt != NULL;
	if (opt)
		snprintf(profile, sizeof profile, "%s", opt);
	else if (scheme == KIOSK_URI_USB)
		kioski_profile_for_usb(ctx, "idcard", kiosk_uri_get_vid(uri), kiosk_uri_get_pid(uri),
				       profile, sizeof profile);
	else if (scheme == KIOSK_URI_SERIAL)
		snprintf(profile, sizeof profile, "serial-115200");
	char *json = NULL;
	if (profile[0] && kioski_profile_load(ctx, "idcard", profile, &json) < 0) {
		if (explicit_profile) {
			kiosk_uri_free(uri);
			return kioski_context_fail(ctx, KIOSK_E_NOT_FOUND,
						   "no ID-card reader profile named '%s'", profile);
		}
		profile[0] = 0;
	}
	/* Driver: driver= option, the USB id tables, else the family default. */
	const struct kioski_driver *drv = NULL;
	const char *dname = kiosk_uri_get_option(uri, "driver");
	if (dname) {
		drv = kioski_driver_find(dname);
		if (!drv || drv->cls != KIOSK_CLASS_IDCARD) {
			free(json);
			kiosk_uri_free(uri);
			return kioski_context_fail(ctx, KIOSK_E_NOT_FOUND, "no ID-card driver named '%s'",
						   dname);
		}
	}
	if (!drv && json) {
		/* The profile may name its driver. */
		cJSON *doc = cJSON_Parse(json);
		const cJSON *d = doc ? cJSON_GetObjectItemCaseSensitive(doc, "driver") : NULL;
		if (cJSON_IsString(d) && d->valuestring) {
			drv = kioski_driver_find(d->valuestring);
			if (drv && drv->cls != KIOSK_CLASS_IDCARD)
				drv = NULL;
		}
		cJSON_Delete(doc);
	}
	if (!drv && scheme == KIOSK_URI_USB)
		drv = kioski_driver_for_usb(KIOSK_CLASS_IDCARD, kiosk_uri_get_vid(uri),
					    kiosk_uri_get_pid(uri));
	if (!drv)
		drv = kioski_driver_default(KIOSK_CLASS_IDCARD);
	if (!drv || !drv->ops) {
		free(json);
		kiosk_uri_free(uri);
		return kioski_context_fail(ctx, KIOSK_E_NOT_FOUND, "no ID-card driver is built in");
	}
	long tmo = DEFAULT_CMD_TIMEOUT_MS;
	r = kiosk_uri_get_option_int(uri, "timeout_ms", 50, 60000, DEFAULT_CMD_TIMEOUT_MS, &tmo);
	if (r < 0) {
		free(json);
		kiosk_uri_free(uri);
		return kioski_context_fail(ctx, r, "timeout_ms must be a number of ms (50-60000)");
	}
	kiosk_idcard_reader *rdr = calloc(1, sizeof *rdr);
	if (!rdr) {
		free(json);
		kiosk_uri_free(uri);
		return kioski_context_fail(ctx, KIOSK_E_NO_MEMORY, "out of memory");
	}
	r = kioski_device_init(&rdr->base, ctx, KIOSK_CLASS_IDCARD, drv, uri);
	kiosk_uri_free(uri);
	if (r < 0) {
		free(json);
		free(rdr);
		return kioski_context_fail(ctx, r, "cannot set up the device");
	}
	pthread_mutex_init(&rdr->lock, NULL);
	rdr->ops = drv->ops;
	rdr->cmd_timeout_ms = (int)tmo;
	rdr->watch_interval_ms = 250;
	snprintf(rdr->profile, sizeof rdr->profile, "%s", profile);
	if (getrandom(rdr->hash_key, sizeof rdr->hash_key, 0) != (ssize_t)sizeof rdr->hash_key) {
		rdr->hash_key[0] = kioski_now_ms() ^ (uintptr_t)rdr;
		rdr->hash_key[1] = (uintptr_t)&r * 0x9e3779b97f4a7c15ULL;
	}
	r = rdr->ops->open(rdr, json);
	free(json);
	if (r == KIOSK_OK) {
		kioski_device_enable_relink(&rdr->base, relinked);
		kioski_device_link_opened(&rdr->base);
		r = kioski_device_start(&rdr->base);
	}
	if (r < 0) {
		char why[256];
		const char *dev_why = kiosk_device_last_error(&rdr->base);
		snprintf(why, sizeof why, "%s", dev_why[0] ? dev_why : kiosk_context_last_error(ctx));
		kioski_context_fail(ctx, r, "%s", why);
		if (rdr->ops->close)
			rdr->ops->close(rdr);
		kioski_device_fini(&rdr->base);
		pthread_mutex_destroy(&rdr->lock);
		free(rdr);
		return r;
	}
	*out = rdr;
	return KIOSK_OK;
}

KIOSK_API void kiosk_idcard_close(kiosk_idcard_reader *rdr)
{
	if (!rdr)
		return;
	kioski_device_set_poll(&rdr->base, 0, NULL);
	kioski_device_stop(&rdr->base);
	if (rdr->ops->close)
		rdr->ops->close(rdr);
	kioski_device_fini(&rdr->base);
	pthread_mutex_destroy(&rdr->lock);
	kioski_wipe(rdr, sizeof *rdr);
	free(rdr);
}

KIOSK_API kiosk_device *kiosk_idcard_device(kiosk_idcard_reader *rdr)
{
	return rdr ? &rdr->base : NULL;
}

KIOSK_API int kiosk_idcard_get_last_status(kiosk_idcard_reader *rdr)
{
	return rdr ? rdr->last_sw3 : 0;
}

/* ---- reading one card ------------------------------------------------------- */

static bool fatal_error(int r)
{
	switch (r) {
	case KIOSK_E_CANCELLED:
	case KIOSK_E_IO:
	case KIOSK_E_NO_DEVICE:
	case KIOSK_E_CLOSED:
	case KIOSK_E_SAM:
	case KIOSK_E_ACCESS:
	case KIOSK_E_NO_MEMORY:
	case KIOSK_E_STATE:
		return true;
	}
	return false;
}

/*
 * Select + read a found card into a new card object. `hash` gets the salted
 * hash of its text block (when not NULL); `known` (when not NULL) is a hash
 * to compare with: if it matches, *same is set and no card is decoded.
 */
static int read_found_card(kiosk_idcard_reader *rdr, unsigned flags, uint64_t deadline,
			   uint64_t *hash, const uint64_t *known, bool *same, kiosk_idcard **out)
{
	*out = NULL;
	int r = rdr->ops->select(rdr, deadline);
	if (r < 0)
		return r;
	struct kioski_idcard_raw *raw = calloc(1, sizeof *raw);
	if (!raw)
		return KIOSK_E_NO_MEMORY;
	r = rdr->ops->read(rdr, flags & KIOSK_IDCARD_READ_FINGERPRINT, raw, deadline);
	if (r < 0)
		goto out;
	uint64_t h = kioski_idcard_text_hash(rdr->hash_key, raw->text);
	if (hash)
		*hash = h;
	if (known && same && *known == h) {
		*same = true;
		goto out;
	}
	kiosk_idcard *card = NULL;
	r = kiosk_idcard_decode_text(raw->text, &card);
	if (r < 0) {
		r = kioski_device_fail(&rdr->base, r, "the card's text block is corrupt (%s)",
				       kiosk_error_name(r));
		goto out;
	}
	if ((r = kioski_idcard_set_photo(card, raw->photo, raw->photo_len)) < 0 ||
	    (r = kioski_idcard_set_fingerprint(card, raw->fingerprint, raw->fingerprint_len)) < 0) {
		kiosk_idcard_free(card);
		goto out;
	}
	if (flags & KIOSK_IDCARD_READ_ADDRESS) {
		uint8_t addr[KIOSKI_IDCARD_ADDR_MAX];
		size_t alen = 0;
		r = rdr->ops->read_address(rdr, addr, sizeof addr, &alen, deadline);
		if (r == KIOSK_OK && alen) {
			r = kioski_ucs2_to_utf8(addr, alen, &card->field[KIOSKI_IDF_EXTRA_ADDRESS]);
			if (r < 0)
				kioski_device_fail(&rdr->base, r, "the additional address is corrupt");
		}
		kioski_wipe(addr, sizeof addr);
		if (r < 0) {
			kiosk_idcard_free(card);
			goto out;
		}
	}
	if (kioski_log_enabled(rdr->base.ctx, KIOSK_LOG_INFO)) {
		char mn[64], mi[64];
		kioski_info(rdr->base.ctx, COMP, "read %s card of %s, %s",
			    kiosk_idcard_type_name(card->type),
			    kiosk_idcard_masked_name(card, mn, sizeof mn),
			    kiosk_idcard_masked_id_number(card, mi, sizeof mi));
	}
	*out = card;
out:
	kioski_wipe(raw, sizeof *raw);
	free(raw);
	return r;
}

struct read_args {
	uint64_t deadline;
	unsigned flags;
};

static int do_read(kiosk_idcard_reader *rdr, kiosk_job *job, uint64_t deadline, unsigned flags,
		   uint64_t *hash, kiosk_idcard **out)
{
	bool answered = false;
	int card_failures = 0, card_err = KIOSK_OK, last = KIOSK_E_TIMEOUT;
	char card_msg[sizeof rdr->base.last_error] = "";
	for (;;) {
		if ((job && kioski_job_cancelled(job)) || kioski_device_stopping(&rdr->base))
			return kioski_device_fail(&rdr->base, KIOSK_E_CANCELLED, "read cancelled");
		int r = rdr->ops->find(rdr, deadline);
		if (r == KIOSK_OK) {
			answered = true;
			r = read_found_card(rdr, flags, deadline, hash, NULL, NULL, out);
			if (r == KIOSK_OK)
				return KIOSK_OK;
			if (fatal_error(r))
				return r;
			card_err = r;
			last = r;
			snprintf(card_msg, sizeof card_msg, "%s", rdr->base.last_error);
			if (++card_failures >= MAX_CARD_FAILURES)
				return r;
		} else if (r == KIOSK_E_NO_CARD) {
			answered = true;
			last = r;
		} else if (fatal_error(r)) {
			return r;
		} else {
			if (r != KIOSK_E_TIMEOUT) {
				answered = true;
				if (++card_failures >= MAX_CARD_FAILURES)
					return r;
			}
			last = r;
		}
		int left = kioski_remaining_ms(deadline);
		if (left <= 0)
			break;
		kioski_sleep_ms(left < FIND_RETRY_MS ? left : FIND_RETRY_MS);
		if (kioski_remaining_ms(deadline) <= 0)
			break;
	}
	if (card_err) {
		/* A card was there but could not be read: say why (a later
		 * "no card" from find must not hide the reason). */
		kioski_device_set_error(&rdr->base, "%s%s", card_msg,
					last == KIOSK_E_NO_CARD ? "; then the card was removed" : "");
		return card_err;
	}
	if (last == KIOSK_E_NO_CARD)
		return kioski_device_fail(&rdr->base, KIOSK_E_NO_CARD, "no card was placed in time");
	if (last == KIOSK_E_TIMEOUT && !answered)
		return kioski_device_fail(&rdr->base, KIOSK_E_TIMEOUT, "the reader does not answer");
	return last; /* the reader's last answers were corrupt: last_error says how */
}

static void read_work(kiosk_device *dev, kiosk_job *job, void *arg)
{
	kiosk_idcard_reader *rdr = R(dev);
	struct read_args a = *(struct read_args *)arg; /* the job's payload until the card replaces it */
	kiosk_idcard *card = NULL;
	uint64_t hash = 0;
	int r = do_read(rdr, job, a.deadline, a.flags, &hash, &card);
	if (r == KIOSK_OK) {
		/* A card just read is now "the card on the reader" for watching. */
		pthread_mutex_lock(&rdr->lock);
		rdr->present = rdr->watching;
		rdr->present_hash = hash;
		rdr->present_failed = false;
		rdr->miss_count = 0;
		if (rdr->watching && rdr->watch_restart) {
			/* Watching just started: this card is handled, not announced. */
			rdr->watch_restart = false;
			rdr->reader_silent = false;
			rdr->reader_lost = false;
		}
		pthread_mutex_unlock(&rdr->lock);
		kioski_job_set_payload(job, card, kioski_idcard_free_cb);
		kioski_job_complete(job, KIOSK_OK, "card read");
	} else {
		kioski_job_complete(job, r, "%s", rdr->base.last_error);
	}
}

KIOSK_API int kiosk_idcard_read_async(kiosk_idcard_reader *rdr, int timeout_ms, unsigned flags,
				      kiosk_job_fn cb, void *user, kiosk_job **job)
{
	if (job)
		*job = NULL;
	if (!rdr || !job)
		return KIOSK_E_INVALID_ARG;
	if (timeout_ms < 0)
		return kioski_device_fail(&rdr->base, KIOSK_E_INVALID_ARG,
					  "a read needs a finite timeout (use kiosk_idcard_watch)");
	if (flags & ~(unsigned)(KIOSK_IDCARD_READ_FINGERPRINT | KIOSK_IDCARD_READ_ADDRESS))
		return kioski_device_fail(&rdr->base, KIOSK_E_INVALID_ARG, "unknown read flags");
	struct read_args *a = malloc(sizeof *a);
	if (!a)
		return KIOSK_E_NO_MEMORY;
	a->deadline = kioski_deadline(timeout_ms);
	a->flags = flags;
	kiosk_job *j = kioski_job_new(rdr->base.ctx, cb, user);
	if (!j) {
		free(a);
		return KIOSK_E_NO_MEMORY;
	}
	/* The args live in the job (freed with it): a job cancelled before it
	 * starts, or still queued when the reader closes, never runs read_work. */
	kioski_job_set_payload(j, a, free);
	int r = kioski_device_submit(&rdr->base, j, read_work, a);
	if (r < 0) {
		kioski_job_discard(j);
		return r;
	}
	*job = j;
	return KIOSK_OK;
}

KIOSK_API int kiosk_job_take_idcard(kiosk_job *job, kiosk_idcard **card)
{
	if (card)
		*card = NULL;
	if (!job || !card)
		return KIOSK_E_INVALID_ARG;
	if (kiosk_job_get_state(job) != KIOSK_JOB_DONE || kiosk_job_get_result(job) != KIOSK_OK)
		return KIOSK_E_STATE;
	/* Only a read job's card: any other job's payload is not a card. */
	kiosk_idcard *c = kioski_job_take_payload_of(job, kioski_idcard_free_cb);
	if (!c)
		return KIOSK_E_STATE;
	*card = c;
	return KIOSK_OK;
}

/* Waits for a job the library bounds by its own deadline. */
static int wait_job(kiosk_job *job, int timeout_ms)
{
	int wait = timeout_ms < 0 ? WAIT_MARGIN_MS
		   : timeout_ms > INT_MAX - WAIT_MARGIN_MS ? INT_MAX : timeout_ms + WAIT_MARGIN_MS;
	int r = kiosk_job_wait(job, wait);
	if (r == KIOSK_E_TIMEOUT && kiosk_job_get_state(job) != KIOSK_JOB_DONE) {
		kiosk_job_cancel(job);
		r = kiosk_job_wait(job, WAIT_MARGIN_MS);
	}
	return r;
}

KIOSK_API int kiosk_idcard_read(kiosk_idcard_reader *rdr, int timeout_ms, unsigned flags,
				kiosk_idcard **card)
{
	if (card)
		*card = NULL;
	if (!rdr || !card)
		return KIOSK_E_INVALID_ARG;
	kiosk_job *job = NULL;
	int r = kiosk_idcard_read_async(rdr, timeout_ms, flags, NULL, NULL, &job);
	if (r < 0)
		return r;
	r = wait_job(job, timeout_ms);
	if (r == KIOSK_OK)
		r = kiosk_job_take_idcard(job, card);
	kiosk_job_unref(job);
	return r;
}

/* ---- presence polling ------------------------------------------------------- */

static void post(kiosk_idcard_reader *rdr, enum kiosk_event_type type, kiosk_idcard *card, int err)
{
	kiosk_event *ev = kioski_event_new(type, &rdr->base, kiosk_uri_to_string(rdr->base.uri));
	if (!ev) {
		kiosk_idcard_free(card);
		return;
	}
	if (card)
		kioski_event_set_payload(ev, card, kioski_idcard_free_cb);
	if (err)
		kioski_event_set_error(ev, err);
	kioski_post_event(rdr->base.ctx, ev);
}

/* A lost reader knows no card: one it announced is reported removed, and
 * the card found once it is back is announced (and read) again. Worker only. */
static void forget_card(kiosk_idcard_reader *rdr)
{
	if (rdr->present)
		post(rdr, KIOSK_EVENT_CARD_REMOVED, NULL, 0);
	rdr->present = false;
	rdr->present_failed = false;
	rdr->present_hash = 0;
	rdr->miss_count = 0;
}

static void poll_fn(kiosk_device *dev)
{
	kiosk_idcard_reader *rdr = R(dev);
	pthread_mutex_lock(&rdr->lock);
	bool watching = rdr->watching;
	unsigned flags = rdr->watch_flags;
	if (watching && rdr->watch_restart) {
		/* A card already on the reader is announced when watching starts. */
		rdr->watch_restart = false;
		rdr->present = false;
		rdr->present_failed = false;
		rdr->present_hash = 0;
		rdr->miss_count = 0;
		rdr->reader_silent = false;
		rdr->reader_lost = false;
	}
	pthread_mutex_unlock(&rdr->lock);
	if (!watching || kioski_device_link_down(dev))
		return; /* a lost link is re-opened by the core, with back-off */
	uint64_t deadline = kioski_deadline(rdr->cmd_timeout_ms * 3);
	int r = rdr->ops->find(rdr, deadline);
	if (r == KIOSK_E_NO_CARD) {
		rdr->reader_silent = false;
		rdr->reader_lost = false;
		rdr->read_cut_posted = false;
		if (rdr->present && ++rdr->miss_count >= 2) {
			rdr->present = false;
			rdr->present_failed = false;
			rdr->present_hash = 0;
			rdr->miss_count = 0;
			kioski_dbg(dev->ctx, COMP, "card removed");
			post(rdr, KIOSK_EVENT_CARD_REMOVED, NULL, 0);
		}
		return;
	}
	if (r == KIOSK_E_NO_DEVICE || r == KIOSK_E_CLOSED || r == KIOSK_E_IO) {
		/* the driver reported the loss: the core posted DEVICE_LEFT and
		 * re-opens the link in the background */
		rdr->reader_lost = true;
		forget_card(rdr);
		return;
	}
	if (r == KIOSK_E_TIMEOUT) {
		if (!rdr->reader_silent) {
			rdr->reader_silent = true;
			post(rdr, KIOSK_EVENT_DEVICE_ERROR, NULL, r);
		}
		return;
	}
	if (r < 0)
		return; /* a corrupt reply: try again at the next poll */
	rdr->reader_silent = false;
	rdr->reader_lost = false;
	/* A card handled before and found again without a gap is the same card:
	 * no select, no read. After a missed poll it may have been swapped, so
	 * it is read again and recognised by its hash. */
	bool gap = rdr->miss_count > 0;
	rdr->miss_count = 0;
	if (rdr->present && !gap)
		return;
	kiosk_idcard *card = NULL;
	uint64_t h = 0;
	bool same = false;
	r = read_found_card(rdr, flags, deadline, &h, rdr->present ? &rdr->present_hash : NULL,
			    &same, &card);
	if (r < 0) {
		/* A card already handled that does not answer select/read again is the
		 * same card, halted after its read. A new card that cannot be read is
		 * reported once. */
		if (!rdr->present && (r == KIOSK_E_CARD || r == KIOSK_E_SAM)) {
			rdr->present = true;
			rdr->present_failed = true;
			rdr->present_hash = 0;
			post(rdr, KIOSK_EVENT_DEVICE_ERROR, NULL, r);
		} else if (!rdr->present && (r == KIOSK_E_PROTOCOL || r == KIOSK_E_NO_CARD) &&
			   !rdr->read_cut_posted) {
			/* The read broke off (the card was lifted mid-read): said once
			 * as KIOSK_E_NO_CARD so the application can ask for the card
			 * again; the next poll reads a card that is still there. */
			rdr->read_cut_posted = true;
			post(rdr, KIOSK_EVENT_DEVICE_ERROR, NULL, KIOSK_E_NO_CARD);
		}
		return;
	}
	if (same)
		return; /* the card announced before, still on the reader */
	if (rdr->present)
		post(rdr, KIOSK_EVENT_CARD_REMOVED, NULL, 0); /* swapped between two polls */
	rdr->present = true;
	rdr->present_failed = false;
	rdr->present_hash = h;
	rdr->read_cut_posted = false;
	post(rdr, KIOSK_EVENT_CARD_INSERTED, card, 0);
}

KIOSK_API int kiosk_idcard_watch(kiosk_idcard_reader *rdr, int interval_ms, bool enable)
{
	if (!rdr)
		return KIOSK_E_INVALID_ARG;
	if (interval_ms == 0)
		interval_ms = 250;
	if (enable && (interval_ms < 50 || interval_ms > 10000))
		return kioski_device_fail(&rdr->base, KIOSK_E_INVALID_ARG,
					  "watch interval must be 50-10000 ms");
	pthread_mutex_lock(&rdr->lock);
	/* The watch state belongs to the worker (a poll may be running now):
	 * it resets it at its next poll. */
	if (enable && !rdr->watching)
		rdr->watch_restart = true;
	rdr->watching = enable;
	rdr->watch_interval_ms = interval_ms;
	pthread_mutex_unlock(&rdr->lock);
	kioski_device_set_poll(&rdr->base, enable ? interval_ms : 0, enable ? poll_fn : NULL);
	return KIOSK_OK;
}

KIOSK_API int kiosk_idcard_set_watch_flags(kiosk_idcard_reader *rdr, unsigned flags)
{
	if (!rdr || (flags & ~(unsigned)(KIOSK_IDCARD_READ_FINGERPRINT | KIOSK_IDCARD_READ_ADDRESS)))
		return KIOSK_E_INVALID_ARG;
	pthread_mutex_lock(&rdr->lock);
	rdr->watch_flags = flags;
	pthread_mutex_unlock(&rdr->lock);
	return KIOSK_OK;
}

/* ---- SAM and baud ------------------------------------------------------------ */

enum sam_op { OP_RESET, OP_STATUS, OP_ID, OP_BAUD };

struct sam_args {
	enum sam_op op;
	int baud;
	uint64_t deadline;
	uint8_t id[16];
};

static void sam_work(kiosk_device *dev, kiosk_job *job, void *arg)
{
	kiosk_idcard_reader *rdr = R(dev);
	struct sam_args *a = arg;
	int r;
	switch (a->op) {
	case OP_RESET: r = rdr->ops->sam_reset(rdr, a->deadline); break;
	case OP_STATUS: r = rdr->ops->sam_status(rdr, a->deadline); break;
	case OP_ID: r = rdr->ops->sam_id(rdr, a->id, a->deadline); break;
	default: r = rdr->ops->set_baud(rdr, a->baud, a->deadline); break;
	}
	kioski_job_complete(job, r, "%s", r ? rdr->base.last_error : "done");
}

static int run_sam(kiosk_idcard_reader *rdr, enum sam_op op, int baud, uint8_t id[16])
{
	if (!rdr)
		return KIOSK_E_INVALID_ARG;
	int timeout = rdr->cmd_timeout_ms * 4;
	struct sam_args *a = calloc(1, sizeof *a);
	if (!a)
		return KIOSK_E_NO_MEMORY;
	a->op = op;
	a->baud = baud;
	a->deadline = kioski_deadline(timeout);
	kiosk_job *job = kioski_job_new(rdr->base.ctx, NULL, NULL);
	if (!job) {
		free(a);
		return KIOSK_E_NO_MEMORY;
	}
	/* The args live in the job (freed with it), so a late completion is safe. */
	kioski_job_set_payload(job, a, free);
	int r = kioski_device_submit(&rdr->base, job, sam_work, a);
	if (r < 0) {
		kioski_job_discard(job);
		return r;
	}
	r = wait_job(job, timeout);
	if (r == KIOSK_OK && id)
		memcpy(id, a->id, 16);
	kiosk_job_unref(job);
	return r;
}

KIOSK_API int kiosk_idcard_sam_reset(kiosk_idcard_reader *rdr)
{
	return run_sam(rdr, OP_RESET, 0, NULL);
}

KIOSK_API int kiosk_idcard_sam_status(kiosk_idcard_reader *rdr)
{
	return run_sam(rdr, OP_STATUS, 0, NULL);
}

KIOSK_API int kiosk_idcard_sam_id(kiosk_idcard_reader *rdr, char *buf, size_t len)
{
	if (!rdr || !buf)
		return KIOSK_E_INVALID_ARG;
	uint8_t id[16];
	int r = run_sam(rdr, OP_ID, 0, id);
	if (r < 0)
		return r;
	unsigned a = id[0] | id[1] << 8, b = id[2] | id[3] << 8;
	uint32_t c = id[4] | (uint32_t)id[5] << 8 | (uint32_t)id[6] << 16 | (uint32_t)id[7] << 24;
	uint32_t d = id[8] | (uint32_t)id[9] << 8 | (uint32_t)id[10] << 16 | (uint32_t)id[11] << 24;
	uint32_t e = id[12] | (uint32_t)id[13] << 8 | (uint32_t)id[14] << 16 | (uint32_t)id[15] << 24;
	int n = snprintf(buf, len, "%02u.%02u-%08u-%010u-%010u", a, b, c, d, e);
	if (n < 0 || (size_t)n >= len)
		return KIOSK_E_OVERFLOW;
	return KIOSK_OK;
}

KIOSK_API int kiosk_idcard_set_baud(kiosk_idcard_reader *rdr, int baud)
{
	return run_sam(rdr, OP_BAUD, baud, NULL);
}
