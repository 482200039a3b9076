/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * refresh.c — the guide catalog of a network backend, kept fresh in the
 * background: the app starts on the last good copy on disk (never waiting
 * for the network), a worker thread fetches the catalog with its own
 * backend handle, stores each good copy atomically and hands it to the UI
 * thread (EV_CATALOG); failures retry with a doubling back-off.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <nettle/sha2.h>
#include "app.h"

struct refresher {
	struct app *a;
	struct kapp_backend *b;
	SDL_Thread *thread;
	SDL_mutex *lock;
	SDL_cond *cond;
	volatile int stop;
	bool kick;             /* refresh now (maintenance's reconnect button) */
	char cache[600];
	uint32_t period_ms;
	uint8_t shown[SHA256_DIGEST_SIZE]; /* digest of the catalog the UI has */
	bool have_shown;
};

/* What the worker hands to the UI thread. */
struct catalog_news {
	struct kapp_catalog *cat; /* NULL: the fetch failed, or nothing changed */
	bool unchanged;           /* the backend answered with the catalog shown */
	char err[200];
	int failures;
};

static void post(struct catalog_news *n)
{
	SDL_Event ev = {0};
	ev.type = SDL_USEREVENT;
	ev.user.code = EV_CATALOG;
	ev.user.data1 = n;
	if (SDL_PushEvent(&ev) != 1) {
		kapp_catalog_free(n->cat);
		free(n);
	}
}

/* Sleeps up to ms unless stopped or kicked. */
static void pause_for(struct refresher *r, uint32_t ms)
{
	SDL_LockMutex(r->lock);
	uint32_t start = SDL_GetTicks();
	while (!r->stop && !r->kick) {
		uint32_t gone = SDL_GetTicks() - start;
		if (gone >= ms)
			break;
		SDL_CondWaitTimeout(r->cond, r->lock, ms - gone);
	}
	r->kick = false;
	SDL_UnlockMutex(r->lock);
}

static void digest(const char *json, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx h;
	sha256_init(&h);
	sha256_update(&h, len, (const uint8_t *)json);
	sha256_digest(&h, SHA256_DIGEST_SIZE, out);
}

static int worker(void *p)
{
	struct refresher *r = p;
	int failures = 0;
	if (r->a->catalog_cached) { /* the UI shows the cached copy */
		size_t len;
		char *json = kapp_read_file(r->cache, &len);
		if (json) {
			digest(json, len, r->shown);
			r->have_shown = true;
			free(json);
		}
	}
	uint32_t max_backoff = r->period_ms < 300000 ? r->period_ms : 300000;
	while (!r->stop) {
		struct catalog_news *n = calloc(1, sizeof *n);
		if (!n)
			break;
		char *json = NULL;
		size_t len = 0;
		uint8_t d[SHA256_DIGEST_SIZE];
		int rc = r->b->fetch_catalog(r->b, &json, &len, n->err, sizeof n->err);
		if (rc == KAPP_OK) {
			digest(json, len, d);
			/* the same catalog again: nothing to swap under the visitor's finger */
			n->unchanged = r->have_shown && !memcmp(d, r->shown, sizeof d);
		}
		if (rc == KAPP_OK && !n->unchanged)
			rc = kapp_catalog_parse(json, len, &n->cat, n->err, sizeof n->err);
		if (rc == KAPP_OK && !n->unchanged) {
			memcpy(r->shown, d, sizeof d);
			r->have_shown = true;
			if (kapp_catalog_cache_store(r->cache, json, len, n->err, sizeof n->err))
				fprintf(stderr, "kiosk-app: catalog cache: %s\n", n->err); /* still use it */
		}
		free(json);
		if (r->stop) {
			kapp_catalog_free(n->cat);
			free(n);
			break;
		}
		failures = n->cat || n->unchanged ? 0 : failures + 1;
		n->failures = failures;
		post(n);
		pause_for(r, failures ? kapp_backoff_ms(failures, max_backoff) : r->period_ms);
	}
	return 0;
}

struct refresher *refresh_start(struct app *a, char *err, size_t len)
{
	struct refresher *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->a = a;
	r->b = kapp_backend_new(&a->cfg, a->today, err, len); /* its own handle: own thread */
	if (!r->b || !r->b->fetch_catalog) {
		kapp_backend_free(r->b);
		free(r);
		return NULL;
	}
	r->b->cancel = &r->stop;
	snprintf(r->cache, sizeof r->cache, "%.560s/catalog-cache.json", a->cfg.state_dir);
	r->period_ms = (uint32_t)a->cfg.catalog_refresh_s * 1000u;
	r->lock = SDL_CreateMutex();
	r->cond = SDL_CreateCond();
	r->thread = r->lock && r->cond ? SDL_CreateThread(worker, "kapp-catalog", r) : NULL;
	if (!r->thread) {
		snprintf(err, len, "cannot start the catalog thread: %s", SDL_GetError());
		refresh_stop(r);
		return NULL;
	}
	return r;
}

void refresh_now(struct refresher *r)
{
	if (!r)
		return;
	SDL_LockMutex(r->lock);
	r->kick = true;
	SDL_CondSignal(r->cond);
	SDL_UnlockMutex(r->lock);
}

void refresh_stop(struct refresher *r)
{
	if (!r)
		return;
	if (r->lock) {
		SDL_LockMutex(r->lock);
		r->stop = 1; /* also aborts a request in flight (the backend's cancel flag) */
		SDL_CondSignal(r->cond);
		SDL_UnlockMutex(r->lock);
	}
	if (r->thread)
		SDL_WaitThread(r->thread, NULL);
	/* news still queued for the UI thread is dropped by the caller's event drain */
	kapp_backend_free(r->b);
	if (r->cond)
		SDL_DestroyCond(r->cond);
	if (r->lock)
		SDL_DestroyMutex(r->lock);
	free(r);
}

void refresh_news_free(void *p)
{
	struct catalog_news *n = p;
	if (n)
		kapp_catalog_free(n->cat);
	free(n);
}

void app_catalog_install(struct app *a, struct kapp_catalog *cat, bool from_cache, int64_t saved)
{
	const char *code = NULL;
	if (a->cat && a->s.guide >= 0 && (size_t)a->s.guide < a->cat->n)
		code = a->cat->guides[a->s.guide].code;
	int guide = -1;
	if (code) {
		for (size_t i = 0; i < cat->n; i++)
			if (!strcmp(cat->guides[i].code, code))
				guide = (int)i;
	}
	kapp_search_free(a->search);
	kapp_catalog_free(a->cat);
	a->cat = cat;
	a->search = kapp_search_new(cat);
	a->s.guide = guide;
	if (guide < 0 && a->scr == SCR_GUIDE)
		a->scr = SCR_GUIDES; /* the guide left the catalog */
	a->hits_query[0] = 0;     /* search again on the new catalog */
	a->n_hits = 0;
	app_run_search(a);
	a->catalog_error[0] = 0;
	a->catalog_cached = from_cache;
	a->catalog_time = saved ? saved : (int64_t)time(NULL);
	a->dirty = true;
}

void app_on_catalog(struct app *a, void *p)
{
	struct catalog_news *n = p;
	if (n->cat || n->unchanged) {
		bool was_cached = a->catalog_cached;
		if (n->cat) {
			app_catalog_install(a, n->cat, false, 0);
		} else {
			a->catalog_cached = false; /* confirmed current */
			a->catalog_time = (int64_t)time(NULL);
			a->dirty = true;
		}
		if ((was_cached || a->catalog_failures) && a->cat)
			dev_error(a, "后台：办事指南已更新（%zu 项）", a->cat->n);
		a->catalog_failures = 0;
	} else {
		if (!a->catalog_failures) /* once per outage, not per retry */
			dev_error(a, "后台：办事指南未能更新：%s（稍后自动重试）", n->err);
		a->catalog_failures = n->failures;
		if (!a->cat)
			snprintf(a->catalog_error, sizeof a->catalog_error, "%s", n->err);
	}
	free(n);
	app_dump_state(a);
}

void app_catalog_note(const struct app *a, char *out, size_t len)
{
	out[0] = 0;
	if (!a->cat || !a->catalog_cached)
		return;
	time_t t = (time_t)a->catalog_time;
	struct tm tm;
	localtime_r(&t, &tm);
	snprintf(out, len, "数据更新于 %04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min);
}
