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
#include "fleet/queue.h"

struct kioski_fleet_queue {
	sqlite3 *db;
	unsigned max;
};

void kioski_fleet_iso_time(char out[32])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000));
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
	    exec(q->db, "CREATE TABLE IF NOT EXISTS event (seq INTEGER PRIMARY KEY, json TEXT NOT NULL);"
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
	kioski_fleet_iso_time(when);
	char *json = sqlite3_mprintf("{\"seq\":%lld,\"time\":\"%s\",\"type\":\"%s\"%s%s}",
				     (long long)seq, when, type, fields[0] ? "," : "", fields);
	if (!json)
		return -1;
	sqlite3_stmt *st;
	int rc = -1;
	if (sqlite3_prepare_v2(db, "INSERT INTO event VALUES (?, ?)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, seq);
		sqlite3_bind_text(st, 2, json, -1, SQLITE_TRANSIENT);
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

int kioski_fleet_queue_push(struct kioski_fleet_queue *q, const char *type, const char *fields,
			    uint64_t *seq)
{
	if (exec(q->db, "BEGIN IMMEDIATE"))
		return -1;
	int64_t n = query_int(q->db, "SELECT count(*) FROM event");
	int rc = n < 0 ? -1 : 0;
	if (rc == 0 && (uint64_t)n + 2 > q->max) {
		/* Full: drop the oldest, leaving room for this event and the
		 * events_dropped event that counts them. */
		int64_t drop = n + 2 - q->max;
		int64_t first = query_int(q->db, "SELECT min(seq) FROM event");
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT seq FROM event ORDER BY seq LIMIT 1 OFFSET %lld",
			 (long long)drop - 1);
		int64_t last = query_int(q->db, sql);
		char fields_d[128];
		snprintf(fields_d, sizeof fields_d, "\"count\":%lld,\"first_seq\":%lld,\"last_seq\":%lld",
			 (long long)drop, (long long)first, (long long)last);
		snprintf(sql, sizeof sql,
			 "DELETE FROM event WHERE seq IN (SELECT seq FROM event ORDER BY seq LIMIT %lld)",
			 (long long)drop);
		rc = exec(q->db, sql);
		if (rc == 0)
			rc = insert(q->db, "events_dropped", fields_d, NULL);
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
