/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* queue.c — the fleet event queue in SQLite (see queue.h). */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include <cjson/cJSON.h>
#include "driver.h"
#include "fleet/queue.h"

struct kioski_fleet_queue {
	sqlite3 *db;
	unsigned max;
};

static void iso_time_of(char out[32], struct timespec ts)
{
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000));
}

void kioski_fleet_iso_time_at(char out[32], uint64_t mono_ms)
{
	struct timespec real;
	clock_gettime(CLOCK_REALTIME, &real);
	uint64_t now_ms = kioski_now_ms();
	int64_t ago_ms = mono_ms && mono_ms <= now_ms ? (int64_t)(now_ms - mono_ms) : 0;
	int64_t ns = (int64_t)real.tv_sec * 1000000000LL + real.tv_nsec - ago_ms * 1000000LL;
	iso_time_of(out, (struct timespec){.tv_sec = (time_t)(ns / 1000000000LL),
					   .tv_nsec = (long)(ns % 1000000000LL)});
}

static int exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

struct kioski_fleet_queue *kioski_fleet_queue_open(const char *path, unsigned max, char *err,
						   size_t err_size)
{
	/* Create the file 0600 ourselves: SQLite would use the umask. The WAL
	 * and shm files take the main file's mode. */
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, err_size, "event queue %s: %m", path);
		return NULL;
	}
	fchmod(fd, 0600);
	close(fd);
	struct kioski_fleet_queue *q = calloc(1, sizeof *q);
	if (!q) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	q->max = max;
	if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) !=
		    SQLITE_OK ||
	    sqlite3_busy_timeout(q->db, 2000) != SQLITE_OK ||
	    exec(q->db, "PRAGMA journal_mode=WAL") || exec(q->db, "PRAGMA synchronous=FULL") ||
	    exec(q->db, "CREATE TABLE IF NOT EXISTS event (seq INTEGER PRIMARY KEY, type TEXT NOT NULL, json TEXT NOT NULL);"
			"CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
			"INSERT OR IGNORE INTO meta VALUES ('next_seq', 1);")) {
		snprintf(err, err_size, "event queue %s: %s", path,
			 q->db ? sqlite3_errmsg(q->db) : "cannot open");
		kioski_fleet_queue_close(q);
		return NULL;
	}
	return q;
}

void kioski_fleet_queue_close(struct kioski_fleet_queue *q)
{
	if (!q)
		return;
	sqlite3_close(q->db);
	free(q);
}

static int64_t query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Inserts one event with the next seq; inside the caller's transaction. */
static int insert(sqlite3 *db, const char *type, const char *fields, uint64_t *seq_out)
{
	int64_t seq = query_int(db, "SELECT value FROM meta WHERE key='next_seq'");
	if (seq < 1)
		return -1;
	char when[32];
	kioski_fleet_iso_time_at(when, 0);
	char *json = sqlite3_mprintf("{\"seq\":%lld,\"time\":\"%s\",\"type\":\"%s\"%s%s}",
				     (long long)seq, when, type, fields[0] ? "," : "", fields);
	if (!json)
		return -1;
	sqlite3_stmt *st;
	int rc = -1;
	if (sqlite3_prepare_v2(db, "INSERT INTO event VALUES (?, ?, ?)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, seq);
		sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, json, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(st);
	}
	sqlite3_free(json);
	if (rc == 0) {
		char sql[80];
		snprintf(sql, sizeof sql, "UPDATE meta SET value=%lld WHERE key='next_seq'",
			 (long long)seq + 1);
		rc = exec(db, sql);
	}
	if (rc == 0 && seq_out)
		*seq_out = (uint64_t)seq;
	return rc;
}

static char *marker_json(sqlite3 *db, int64_t seq)
{
	sqlite3_stmt *st;
	char *json = NULL;
	if (sqlite3_prepare_v2(db, "SELECT json FROM event WHERE seq=?", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, seq);
	if (sqlite3_step(st) == SQLITE_ROW)
		json = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return json;
}

/* Records that events first..last (all seqs in between that were not
 * markers) were dropped: in the newest marker not yet published (seq >
 * sent_upto), else in a new events_dropped event
 * {"count": N, "dropped": [[first, last], …]}. */
static int note_drop(sqlite3 *db, int64_t first, int64_t last, int64_t count, uint64_t sent_upto)
{
	char sql[160];
	snprintf(sql, sizeof sql,
		 "SELECT max(seq) FROM event WHERE type='events_dropped' AND seq > %" PRIu64, sent_upto);
	int64_t m = query_int(db, sql);
	char *old = m > 0 ? marker_json(db, m) : NULL;
	cJSON *o = old ? cJSON_Parse(old) : NULL;
	free(old);
	cJSON *ranges = o ? cJSON_GetObjectItemCaseSensitive(o, "dropped") : NULL;
	cJSON *n = o ? cJSON_GetObjectItemCaseSensitive(o, "count") : NULL;
	if (!o || !cJSON_IsArray(ranges) || !cJSON_IsNumber(n)) {
		cJSON_Delete(o);
		char fields[96];
		snprintf(fields, sizeof fields, "\"count\":%lld,\"dropped\":[[%lld,%lld]]",
			 (long long)count, (long long)first, (long long)last);
		return insert(db, "events_dropped", fields, NULL);
	}
	cJSON_SetNumberValue(n, n->valuedouble + (double)count);
	cJSON *prev = cJSON_GetArrayItem(ranges, cJSON_GetArraySize(ranges) - 1);
	cJSON *pend = prev ? cJSON_GetArrayItem(prev, 1) : NULL;
	/* Adjacent (only the marker itself in between): widen the last range. */
	if (pend && cJSON_IsNumber(pend) &&
	    (first == (int64_t)pend->valuedouble + 1 ||
	     (m == (int64_t)pend->valuedouble + 1 && first == m + 1)))
		cJSON_SetNumberValue(pend, (double)last);
	else {
		cJSON *r = cJSON_CreateArray();
		cJSON_AddItemToArray(r, cJSON_CreateNumber((double)first));
		cJSON_AddItemToArray(r, cJSON_CreateNumber((double)last));
		cJSON_AddItemToArray(ranges, r);
	}
	char *json = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!json)
		return -1;
	sqlite3_stmt *st;
	int rc = -1;
	if (sqlite3_prepare_v2(db, "UPDATE event SET json=? WHERE seq=?", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, json, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, m);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(st);
	}
	free(json);
	return rc;
}

int kioski_fleet_queue_push(struct kioski_fleet_queue *q, const char *type, const char *fields,
			    uint64_t sent_upto, uint64_t *seq)
{
	if (exec(q->db, "BEGIN IMMEDIATE"))
		return -1;
	/* `max` bounds the events; the drop markers (at most a few, since
	 * unpublished ones are updated in place) are never dropped. */
	int64_t n = query_int(q->db, "SELECT count(*) FROM event WHERE type != 'events_dropped'");
	int rc = n < 0 ? -1 : 0;
	if (rc == 0 && (uint64_t)n + 1 > q->max) {
		int64_t drop = n + 1 - q->max;
		char sql[200];
		int64_t first = query_int(q->db, "SELECT min(seq) FROM event WHERE type != 'events_dropped'");
		snprintf(sql, sizeof sql,
			 "SELECT max(seq) FROM (SELECT seq FROM event WHERE type != 'events_dropped' "
			 "ORDER BY seq LIMIT %lld)", (long long)drop);
		int64_t last = query_int(q->db, sql);
		snprintf(sql, sizeof sql,
			 "DELETE FROM event WHERE type != 'events_dropped' AND seq <= %lld", (long long)last);
		rc = first > 0 && last >= first ? exec(q->db, sql) : -1;
		if (rc == 0)
			rc = note_drop(q->db, first, last, drop, sent_upto);
	}
	if (rc == 0)
		rc = insert(q->db, type, fields, seq);
	if (rc == 0 && exec(q->db, "COMMIT") == 0)
		return 0;
	exec(q->db, "ROLLBACK");
	return -1;
}

int kioski_fleet_queue_each(struct kioski_fleet_queue *q, uint64_t after, int limit,
			    int (*fn)(uint64_t seq, const char *json, void *user), void *user)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(q->db, "SELECT seq, json FROM event WHERE seq > ? ORDER BY seq LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)after);
	sqlite3_bind_int(st, 2, limit);
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		n++;
		if (fn((uint64_t)sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
		       user))
			break;
	}
	sqlite3_finalize(st);
	return n;
}

int kioski_fleet_queue_remove(struct kioski_fleet_queue *q, uint64_t seq)
{
	char sql[64];
	snprintf(sql, sizeof sql, "DELETE FROM event WHERE seq=%" PRIu64, seq);
	return exec(q->db, sql);
}

int kioski_fleet_queue_count(struct kioski_fleet_queue *q)
{
	return (int)query_int(q->db, "SELECT count(*) FROM event");
}
