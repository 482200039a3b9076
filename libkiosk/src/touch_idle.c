/*
 * touch_idle.c — inactivity time: milliseconds since the last touch or scan
 * of a context.
 *
 * The context structure belongs to the core, so the last-activity time is
 * kept here in a small registry keyed by context, created when the first
 * input device of a context opens (or on kiosk_input_note_activity()) and
 * removed when its last input device closes. A context freed while input
 * devices are still open would leave a stale entry (that is a use-after-free
 * of the devices anyway).
 */
#include <pthread.h>
#include <stdlib.h>
#include "scanner-private.h"

struct idle_entry {
	kiosk_context *ctx;
	uint64_t last_ms;
	int devices;
	bool noted;              /* created by kiosk_input_note_activity() */
	struct idle_entry *next;
};

static pthread_mutex_t idle_lock = PTHREAD_MUTEX_INITIALIZER;
static struct idle_entry *idle_head;

static struct idle_entry *find(kiosk_context *ctx)
{
	for (struct idle_entry *e = idle_head; e; e = e->next)
		if (e->ctx == ctx)
			return e;
	return NULL;
}

static struct idle_entry *get(kiosk_context *ctx)
{
	struct idle_entry *e = find(ctx);
	if (e)
		return e;
	e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->ctx = ctx;
	e->last_ms = kioski_now_ms();
	e->next = idle_head;
	idle_head = e;
	return e;
}

void kioski_input_activity(kiosk_context *ctx, uint64_t time_ms)
{
	if (!ctx)
		return;
	if (!time_ms)
		time_ms = kioski_now_ms();
	pthread_mutex_lock(&idle_lock);
	struct idle_entry *e = get(ctx);
	if (e && time_ms > e->last_ms)
		e->last_ms = time_ms;
	pthread_mutex_unlock(&idle_lock);
}

void kioski_input_device_added(kiosk_context *ctx)
{
	pthread_mutex_lock(&idle_lock);
	struct idle_entry *e = get(ctx);
	if (e)
		e->devices++;
	pthread_mutex_unlock(&idle_lock);
}

void kioski_input_device_removed(kiosk_context *ctx)
{
	pthread_mutex_lock(&idle_lock);
	for (struct idle_entry **pp = &idle_head; *pp; pp = &(*pp)->next) {
		struct idle_entry *e = *pp;
		if (e->ctx != ctx)
			continue;
		/* The entry lives while devices are open; an entry the application
		 * itself created (note_activity) stays until then too: it cannot
		 * outlive the context's devices safely otherwise. */
		if (--e->devices <= 0) {
			*pp = e->next;
			free(e);
		}
		break;
	}
	pthread_mutex_unlock(&idle_lock);
}

uint64_t kiosk_input_idle_ms(kiosk_context *ctx)
{
	if (!ctx)
		return 0;
	pthread_mutex_lock(&idle_lock);
	struct idle_entry *e = find(ctx);
	uint64_t now = kioski_now_ms(), idle = 0;
	if (e && now > e->last_ms)
		idle = now - e->last_ms;
	pthread_mutex_unlock(&idle_lock);
	return idle;
}

void kiosk_input_note_activity(kiosk_context *ctx)
{
	if (!ctx)
		return;
	pthread_mutex_lock(&idle_lock);
	struct idle_entry *e = get(ctx);
	if (e) {
		e->last_ms = kioski_now_ms();
		e->noted = true;
	}
	pthread_mutex_unlock(&idle_lock);
}
