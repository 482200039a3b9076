/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * queue.h — the fleet module's on-disk event queue (SQLite, WAL, one file,
 * mode 0600): events and the next `seq`, kept until the broker's PUBACK.
 * Not thread-safe: the fleet module serialises calls under its lock.
 */
#ifndef KIOSKI_FLEET_QUEUE_H
#define KIOSKI_FLEET_QUEUE_H
#include <stdbool.h>
#include <stdint.h>

struct kioski_fleet_queue;

/* Opens (creating, mode 0600) the queue file; NULL on failure with `err` set. */
struct kioski_fleet_queue *kioski_fleet_queue_open(const char *path, unsigned max,
						   char *err, size_t err_size);
void kioski_fleet_queue_close(struct kioski_fleet_queue *q);
/* Appends an event: `fields` is "" or the inner members of a JSON object
 * (`"a":1,"b":2`). Assigns the next seq and the time. When `max` events are
 * queued the oldest are dropped and counted in an events_dropped event
 * {"count": N, "dropped": [[first_seq, last_seq], …]}: the newest one with
 * seq > `sent_upto` (not published yet) is updated, else one is queued.
 * Durable (synchronous=FULL) when it returns 0; -1 on failure. */
int kioski_fleet_queue_push(struct kioski_fleet_queue *q, const char *type, const char *fields,
			    uint64_t sent_upto, uint64_t *seq);
/* Calls fn for up to `limit` events with seq > after, in seq order; returns
 * the number visited or -1. */
int kioski_fleet_queue_each(struct kioski_fleet_queue *q, uint64_t after, int limit,
			    int (*fn)(uint64_t seq, const char *json, void *user), void *user);
/* Removes an acknowledged event. */
int kioski_fleet_queue_remove(struct kioski_fleet_queue *q, uint64_t seq);
/* Events in the queue, or -1. */
int kioski_fleet_queue_count(struct kioski_fleet_queue *q);
/* UTC time as ISO-8601 with milliseconds ("2026-12-04T16:40:00.123Z") of an
 * instant given in CLOCK_MONOTONIC milliseconds (kioski_now_ms(), an event's
 * kiosk_event_get_time_ms(): the moment a device changed, not the moment the
 * change was dispatched); 0 for now. */
void kioski_fleet_iso_time_at(char out[32], uint64_t mono_ms);

#endif
