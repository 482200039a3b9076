/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * core.h — kiosk-app's non-UI logic: text utilities, privacy helpers, dates
 * and working days, the guide catalog, cases and deadlines, search, config,
 * backends and ratings. Built as the static library kapp_core (no SDL, no
 * libkiosk), which the unit tests in tests/app link.
 */
#ifndef KAPP_CORE_H
#define KAPP_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- UTF-8 ------------------------------------------------------------- */

/* Decodes one code point at *s, advancing it; invalid bytes give U+FFFD. */
uint32_t kapp_utf8_next(const char **s);
/* Encodes cp into out (4 bytes room); returns bytes written. */
int kapp_utf8_put(uint32_t cp, char *out);
/* Number of code points. */
size_t kapp_utf8_len(const char *s);
/* True for CJK ideographs / CJK punctuation / full-width forms. */
bool kapp_is_wide(uint32_t cp);

/* ---- privacy ------------------------------------------------------------ */

/* Overwrites len bytes (not optimised away). */
void kapp_wipe(void *p, size_t len);
/* n bytes as 2n lower-case hex digits and a NUL into out. */
void kapp_hex(const uint8_t *d, size_t n, char *out);
/* Wipes then frees a NUL-terminated string. NULL is a no-op. */
void kapp_free_str(char *s);
/* Masks: kiosk_mask_name() / kiosk_mask_id_number() of <kiosk/privacy.h>. */
/* HMAC-SHA256(key = salt, message = upper-cased ID number) as 64 hex digits. */
int kapp_id_hash(const char *salt, const char *id_number, char out[65]);
/* Constant-time comparison of two equal-length strings. */
bool kapp_str_ct_equal(const char *a, const char *b);
/* GB 11643 check of an 18-character ID number. */
bool kapp_id_number_valid(const char *id);

/* ---- dates (day numbers: days since 1970-01-01) -------------------------- */

int kapp_day_from_ymd(int y, int m, int d);
void kapp_day_to_ymd(int day, int *y, int *m, int *d);
/* Parses "YYYY-MM-DD" (more text may follow); -1 if not a date. */
int kapp_day_parse(const char *s);
/* Writes "YYYY-MM-DD" (11 bytes). */
void kapp_day_format(int day, char out[11]);
/* 0 = Monday … 6 = Sunday. */
int kapp_weekday(int day);
/* Today in local time, or $KIOSK_APP_TODAY (YYYY-MM-DD) when set. */
int kapp_today(void);

/* Working-day calendar: weekends off, plus listed holidays, minus listed
 * make-up working days (调休). */
struct kapp_calendar {
	int *holidays;
	size_t n_holidays;
	int *workdays;
	size_t n_workdays;
};
/* Loads {"holidays": ["2026-01-01", …], "workdays": ["2026-01-04", …]}. */
int kapp_calendar_load(struct kapp_calendar *cal, const char *path, char *err, size_t errlen);
int kapp_calendar_from_json(struct kapp_calendar *cal, const char *json, char *err, size_t errlen);
void kapp_calendar_free(struct kapp_calendar *cal);
bool kapp_is_working_day(const struct kapp_calendar *cal, int day);

/* ---- guide catalog --------------------------------------------------------- */

struct kapp_limit {
	int days;      /* 0 = on the spot */
	bool working;  /* working days, else natural days */
};

struct kapp_material {
	const char *name, *form, *note;
	int copies;
	bool required;
};

struct kapp_fee {
	const char *name, *amount, *basis;
};

struct kapp_guide {
	const char *code, *name, *type, *department, *dept_id, *basis, *case_class;
	const char *place, *hours, *phone, *complaint_phone, *online_url;
	const char **themes, **keywords, **conditions, **steps;
	int n_themes, n_keywords, n_conditions, n_steps;
	struct kapp_material *materials;
	int n_materials;
	struct kapp_fee *fees;
	int n_fees;
	bool fee_free;
	struct kapp_limit legal, promised;
	int visits;
	int popular;   /* rank in the catalog's "popular" list (1 = most asked for), 0 = not listed */
};

/* A word people say for a term of the guide names (社保卡 → 社会保障卡). */
struct kapp_alias {
	const char *word, *means;
};

struct kapp_dept {
	const char *id, *name, *short_name;
};

struct kapp_arena;

struct kapp_catalog {
	struct kapp_guide *guides;
	size_t n;
	struct kapp_dept *depts;
	size_t n_depts;
	const char **themes;
	size_t n_themes;
	struct kapp_alias *aliases;
	size_t n_aliases;
	const char *hall_name, *hall_address, *hall_hours, *hall_phone, *hall_online;
	struct kapp_arena *arena;
};

/* Parses the catalog JSON (format "libkiosk-guides/1"; see data/README.md). */
int kapp_catalog_parse(const char *json, size_t len, struct kapp_catalog **out, char *err,
		       size_t errlen);
int kapp_catalog_load(const char *path, struct kapp_catalog **out, char *err, size_t errlen);
void kapp_catalog_free(struct kapp_catalog *cat);
const struct kapp_guide *kapp_catalog_find(const struct kapp_catalog *cat, const char *code);
const char *kapp_dept_short(const struct kapp_catalog *cat, const char *dept_id);
/* "20 个工作日", "即办", "30 个自然日" */
void kapp_limit_format(const struct kapp_limit *l, char *out, size_t len);

/* ---- pinyin ----------------------------------------------------------------- */

/* Bit set of the initial letters (bit 0 = 'a') of a character's readings;
 * ASCII letters map to themselves, digits and others to 0. */
uint32_t kapp_pinyin_mask(uint32_t cp);
/* Every reading of a character without tones (ü as v, plus u: lv and lu),
 * polyphones included; writes up to max pointers to static strings into
 * out and returns the count (0 for characters without a reading). */
size_t kapp_pinyin_readings(uint32_t cp, const char **out, size_t max);
/* The same in two steps, for indexes that look a character up once: its row
 * in the table (-1 if none), then the readings of a row. */
long kapp_pinyin_row(uint32_t cp);
size_t kapp_pinyin_row_readings(long row, const char **out, size_t max);
/* Size of the generated table (for tests). */
size_t kapp_pinyin_table_size(void);

/* ---- search ------------------------------------------------------------------ */

struct kapp_search;

/* Builds the index (pinyin masks precomputed). */
struct kapp_search *kapp_search_new(const struct kapp_catalog *cat);
void kapp_search_free(struct kapp_search *s);
/* Runs a query: a run of ASCII letters matches characters that each take a
 * non-empty prefix of one of their pinyin readings (initials "gjj", full
 * pinyin "gongjijin", or a mix), or the letters themselves; other
 * characters match themselves; matches anywhere in the name, aliases,
 * keywords, department and themes; best first (see search.c). `dept` (NULL = all)
 * filters by department id, `theme` (NULL = all) by theme. Returns the
 * number of hits written to `out` (guide indexes), at most `max`; *total
 * (may be NULL) gets the number of all hits. An empty query lists
 * everything (filtered) in catalog order. */
size_t kapp_search_run(struct kapp_search *s, const char *query, const char *dept,
		       const char *theme, uint32_t *out, size_t max, size_t *total);
/* IME-style candidates: catalog words (keywords, aliases, themes, department
 * short names) that the ASCII `letters` spell from their start, by initials
 * or full pinyin ("gjj", "gongji"). Returns count. */
size_t kapp_search_words(struct kapp_search *s, const char *letters, const char **out,
			 size_t max);
/* The catalog's popular guides, most asked for first (guide indexes). */
size_t kapp_catalog_popular(const struct kapp_catalog *cat, uint32_t *out, size_t max);

/* ---- cases ------------------------------------------------------------------- */

enum kapp_state {
	KAPP_RECEIVED = 0, KAPP_ACCEPTED, KAPP_REJECTED, KAPP_REVIEW, KAPP_SUPPLEMENT,
	KAPP_SUSPENDED, KAPP_DECIDED, KAPP_COMPLETED, KAPP_DELIVERED, KAPP_N_STATES
};
const char *kapp_state_key(enum kapp_state s);
const char *kapp_state_label(enum kapp_state s);
int kapp_state_from_key(const char *key);

struct kapp_step {
	enum kapp_state state;
	char time[20];
	char *note;
};

struct kapp_suspension {
	int from, to; /* day numbers; to = -1 while still suspended */
	char *reason;
};

struct kapp_case {
	char number[40];
	char *guide_code, *guide_name, *department, *class_name, *result;
	enum kapp_state state;
	char *applicant;  /* masked name */
	char *id_mask;    /* masked ID number */
	char id_hash[65];
	int received, accepted; /* day numbers, -1 if none */
	struct kapp_limit limit;
	struct kapp_suspension *susp;
	size_t n_susp;
	char **missing;
	size_t n_missing;
	struct kapp_step *steps;
	size_t n_steps;
};

/* Parses one case object (cJSON *) — declared void* to keep cJSON private.
 * `shift` days are added to every date (demo-store rebasing). */
struct kapp_case *kapp_case_from_json(const void *cjson, int shift, char *err, size_t errlen);
/* Deep copy; wipes on free. */
struct kapp_case *kapp_case_copy(const struct kapp_case *c);
void kapp_case_free(struct kapp_case *c);
void kapp_case_list_free(struct kapp_case **v, size_t n);

struct kapp_deadline {
	bool applies;    /* false for cases never accepted or rejected */
	bool finished;   /* decided/completed/delivered: the clock stopped at the decision */
	bool paused;     /* an open suspension (补正/挂起): the clock is stopped */
	int due;         /* the promised date (day number), -1 while paused */
	int used;        /* days of the limit used so far (or at the decision) */
	int remaining;   /* limit - used; negative = overdue by -remaining */
	int suspended;   /* counted days excluded by suspensions */
	int finished_day;
};
/* Computes the deadline of a case on `today` with the calendar. */
void kapp_case_deadline(const struct kapp_case *c, const struct kapp_calendar *cal, int today,
			struct kapp_deadline *out);
/* Counted days in (from, to] (working or natural), minus suspended ones. */
int kapp_count_days(const struct kapp_calendar *cal, bool working, int from, int to,
		    const struct kapp_suspension *susp, size_t n_susp);
/* A case number as printed on receipts: 14 digits. */
#define KAPP_CASE_DIGITS 14
bool kapp_case_number_valid(const char *s);
/* The case number of a scanned code, which is accepted only as the bare
 * 14-digit number or as one of the configured case-URL `prefixes`
 * (space-separated) followed by exactly the number (a trailing CR/LF is
 * dropped). Anything else — a payment link, another site's case QR, a
 * phone number — is refused (false) and must not be looked up. */
bool kapp_case_number_from_scan(const char *code, const char *prefixes, char *out, size_t len);

/* ---- config -------------------------------------------------------------------- */

struct kapp_config {
	char idcard[256], printer[256], printer_profile[64], scanner[256], touch[256];
	char backend[16];      /* "local" or "http" */
	char data_dir[512];    /* guides.json, cases.json, holidays.json */
	char state_dir[512];   /* ratings.jsonl, calibration */
	char http_url[512], http_token[256], http_salt[128];
	int http_timeout_ms;
	int catalog_refresh_s; /* background refresh of a network catalog */
	bool landscape;
	int width, height;     /* logical size; from orientation */
	bool fullscreen;
	int idle_warn_s, idle_countdown_s, attract_s;
	char pin_hash[160];
	int pin_lock_s;        /* first lockout after wrong PINs (doubles after each) */
	bool large_text;
	int tts;               /* 0 off, 1 on, -1 auto */
	char online_base[256]; /* QR link prefix for guides */
	char case_url[256];    /* QR link prefix for cases (printed, and accepted when scanned) */
	char case_url_accept[512]; /* more accepted case-QR prefixes, space-separated */
	char hall_name[128];
	char calibration[512];
	char banner[256];      /* a notice on the home and attract screens ("" none) */
	/* fleet telemetry (docs/fleet.md): empty `fleet` = not reporting */
	char fleet[256];       /* mqtt://HOST[:PORT] or mqtts://HOST[:PORT] */
	char kiosk_id[65], hall[65];
	char fleet_user[128], fleet_password_file[512];
	char fleet_ca[512], fleet_cert[512], fleet_key[512];
	char fleet_queue[512]; /* "" = state_dir/fleet-queue.db */
};
/* Built-in defaults (the embedded demo). `data_dir` default is passed in. */
void kapp_config_defaults(struct kapp_config *c, const char *data_dir);
/* Parses key = value lines; unknown keys and bad values are errors (line number in err). */
int kapp_config_parse(struct kapp_config *c, const char *text, char *err, size_t errlen);
int kapp_config_load(struct kapp_config *c, const char *path, char *err, size_t errlen);

/* ---- settings from the hall (fleet_settings.c) ------------------------------------------ */

/* What staff may change remotely through the fleet's config/set (docs/fleet.md):
 * a JSON object of these members, each optional; null puts a setting back to
 * the configuration file's value. Kept in state_dir/fleet-settings.json (0600,
 * replaced atomically) and applied over the configuration at every start. */
#define KAPP_FLEET_SETTINGS_FILE "fleet-settings.json"
#define KAPP_BANNER_MAX_CHARS 60
enum {
	KAPP_SET_IDLE_WARN = 1u << 0,      /* "idle_warn_s": 5..3600 */
	KAPP_SET_IDLE_COUNTDOWN = 1u << 1, /* "idle_countdown_s": 3..600 */
	KAPP_SET_ATTRACT = 1u << 2,        /* "attract_s": 10..86400 */
	KAPP_SET_BANNER = 1u << 3,         /* "banner": ≤ 60 characters, no control characters; "" none */
	KAPP_SET_LARGE_TEXT = 1u << 4,     /* "large_text": true/false (the default text size) */
};
struct kapp_fleet_settings {
	unsigned set;   /* KAPP_SET_* given a value */
	unsigned clear; /* KAPP_SET_* given null (back to the configuration file) */
	int idle_warn_s, idle_countdown_s, attract_s;
	bool large_text;
	char banner[256];
};
/* Validates a settings object: every member known and in range, else
 * KAPP_E_DATA with the reason in err ("unknown setting: volume",
 * "idle_warn_s: must be an integer 5..3600"); `out` is only written on success. */
int kapp_fleet_settings_parse(const char *json, struct kapp_fleet_settings *out, char *err,
			      size_t errlen);
/* Adds an update to the settings kept so far (a null clears). */
void kapp_fleet_settings_merge(struct kapp_fleet_settings *into,
			       const struct kapp_fleet_settings *update);
/* A banner text is at most KAPP_BANNER_MAX_CHARS characters of valid UTF-8 with no
 * control characters. */
bool kapp_banner_valid(const char *text);
/* The kept settings: KAPP_NOT_FOUND without a file, KAPP_E_DATA if it is damaged. */
int kapp_fleet_settings_load(const char *path, struct kapp_fleet_settings *out, char *err,
			     size_t errlen);
/* Stores them (0600, atomic). KAPP_OK or KAPP_E_OFFLINE (errno set). */
int kapp_fleet_settings_save(const char *path, const struct kapp_fleet_settings *s);
/* `base` (the configuration file's values) with the kept settings over it, into `out`. */
void kapp_fleet_settings_apply(const struct kapp_fleet_settings *s, const struct kapp_config *base,
			       struct kapp_config *out);

/* ---- backends ---------------------------------------------------------------------- */

enum {
	KAPP_OK = 0,
	KAPP_NOT_FOUND = 1,
	KAPP_E_OFFLINE = -1,  /* backend unreachable / timed out */
	KAPP_E_DATA = -2,     /* malformed data */
	KAPP_E_ARG = -3,
	KAPP_E_DUPLICATE = -4, /* already done (a case rated twice) */
};

struct kapp_backend {
	const char *name;
	int (*load_catalog)(struct kapp_backend *b, struct kapp_catalog **out, char *err, size_t len);
	/* The catalog as fetched (JSON text, malloc'd), for the on-disk cache; NULL
	 * for backends whose data is local already. */
	int (*fetch_catalog)(struct kapp_backend *b, char **json, size_t *json_len, char *err,
			     size_t len);
	/* When set and non-zero, requests in flight give up (KAPP_E_OFFLINE) within ~0.1 s. */
	volatile int *cancel;
	int (*case_by_number)(struct kapp_backend *b, const char *number, struct kapp_case **out,
			      char *err, size_t len);
	/* id_number is hashed here with the backend's salt; only the hash leaves. */
	int (*cases_by_holder)(struct kapp_backend *b, const char *id_number,
			       struct kapp_case ***out, size_t *n, char *err, size_t len);
	void (*free)(struct kapp_backend *b);
};

struct kapp_backend *kapp_backend_local_new(const char *data_dir, int today, char *err,
					    size_t len);
/* http:// is accepted only for a loopback host (127.0.0.0/8, ::1, localhost):
 * the bearer token and holder hashes never travel in clear. */
bool kapp_url_allowed(const char *url, char *err, size_t len);
struct kapp_backend *kapp_backend_http_new(const char *base_url, const char *token,
					   const char *salt, int timeout_ms, char *err, size_t len);
struct kapp_backend *kapp_backend_new(const struct kapp_config *cfg, int today, char *err,
				      size_t len);
static inline void kapp_backend_free(struct kapp_backend *b)
{
	if (b)
		b->free(b);
}

/* ---- guide catalog cache (catalog_cache.c) ------------------------------------------ */

/* Loads the last good catalog copy; *saved (may be NULL) gets its time (epoch s). */
int kapp_catalog_cache_load(const char *path, struct kapp_catalog **out, int64_t *saved, char *err,
			    size_t errlen);
/* Stores a catalog's JSON text atomically (0600) after checking that it parses. */
int kapp_catalog_cache_store(const char *path, const char *json, size_t len, char *err,
			     size_t errlen);
/* Background refresh back-off: 2 s after the first failure, doubling, at most max_ms. */
uint32_t kapp_backoff_ms(int failures, uint32_t max_ms);

/* ---- ratings (好差评) ----------------------------------------------------------- */

extern const char *const kapp_rating_labels[5]; /* 非常不满意 … 非常满意 (level 1 … 5) */
/* Reasons offered for 不满意 / 非常不满意 (bit i of `reasons` = reason i). */
#define KAPP_N_REASONS 8
extern const char *const kapp_rating_reasons[KAPP_N_REASONS];
/* Files in state_dir: the upload queue and the ledger of rated cases. */
#define KAPP_RATINGS_QUEUE "ratings-queue.jsonl"
#define KAPP_RATED_FILE "rated-cases.txt"
/* Queues a rating for upload: one JSON line appended to
 * state_dir/ratings-queue.jsonl (created 0600; format in README.md,
 * "Rating queue"), and the case number to the ledger. level 1..5; levels 1
 * and 2 need at least one reason, 3..5 take none. KAPP_E_DUPLICATE if this
 * terminal already rated the case; KAPP_E_ARG for a bad level, reason set
 * or case number; KAPP_E_OFFLINE if the file cannot be written. */
int kapp_rating_store(const char *state_dir, const char *case_number, int level,
		      uint32_t reasons);
/* True if this terminal already rated the case (one rating per case). */
bool kapp_rating_given(const char *state_dir, const char *case_number);
/* Adds a rating's members to a JSON object (cJSON *, declared void* to keep
 * cJSON private): "case", "level", "label", "reason_ids", "reasons". The
 * same shape in the upload queue and in the fleet's rating event. */
void kapp_rating_fill(void *cjson_object, const char *case_number, int level, uint32_t reasons);

/* ---- layout check (layout_check.c) --------------------------------------------------- */

enum kapp_box_kind {
	KAPP_BOX_BUTTON, /* a tap target drawn as a button */
	KAPP_BOX_AREA,   /* a tap area (scroll view, hidden target): may hold buttons */
	KAPP_BOX_TEXT,   /* a drawn text */
	KAPP_BOX_LABEL,  /* a button's own label */
};

struct kapp_box {
	int x, y, w, h;       /* as seen (clipped to a scroll view) */
	int full_w, full_h;   /* as laid out (targets) */
	enum kapp_box_kind kind;
	bool cut, overflow;   /* texts: cut short with "…", wider than their width */
	const char *id;       /* for the report */
};

/* Checks one screen: texts neither cut, nor wider than their box, nor off
 * screen; no button overlapped by another button or by any text but its own
 * label (which must stay inside); every target ≥ min_target px both ways.
 * Returns the number of problems, described one a line in report. */
int kapp_layout_check(const struct kapp_box *boxes, size_t n, int screen_w, int screen_h,
		      int min_target, char *report, size_t len);

/* ---- maintenance PIN (pin.c) ----------------------------------------------------------- */

#define KAPP_PIN_MIN_DIGITS 4
#define KAPP_PIN_MAX_DIGITS 12
#define KAPP_PIN_SALT_BYTES 16
#define KAPP_PIN_MIN_ITERATIONS 100000u
#define KAPP_PIN_ITERATIONS 150000u   /* what --hash-pin writes */
#define KAPP_PIN_FREE_TRIES 3         /* wrong PINs before the first lock */
#define KAPP_PIN_MAX_LOCK_S 3600

/* 4..12 digits. */
bool kapp_pin_valid(const char *pin);
/* "pbkdf2-sha256$ITER$SALTHEX$HASHHEX" = PBKDF2-HMAC-SHA256(PIN, salt, ITER), 32 bytes. */
int kapp_pin_hash(const char *pin, const uint8_t salt[KAPP_PIN_SALT_BYTES], unsigned iterations,
		  char *out, size_t len);
/* True when `stored` is a well-formed hash with at least KAPP_PIN_MIN_ITERATIONS. */
bool kapp_pin_hash_valid(const char *stored);
/* Constant-time check of a PIN against a stored hash. */
bool kapp_pin_check(const char *pin, const char *stored);

/* Lockout after wrong PINs: KAPP_PIN_FREE_TRIES are free, then every wrong
 * PIN locks the pad for base_s, 2·base_s, 4·base_s … at most
 * KAPP_PIN_MAX_LOCK_S. Times are wall-clock seconds (they survive a restart). */
struct kapp_pin_lock {
	int fails;      /* wrong PINs since the last right one */
	int64_t until;  /* locked until (epoch seconds), 0 = not locked */
};
long kapp_pin_lock_delay(int fails, int base_s);
long kapp_pin_lock_remaining(const struct kapp_pin_lock *l, int64_t now);
void kapp_pin_lock_fail(struct kapp_pin_lock *l, int64_t now, int base_s);
void kapp_pin_lock_reset(struct kapp_pin_lock *l);
/* A missing file is no lock; an unreadable one locks (fail closed, KAPP_E_DATA). */
int kapp_pin_lock_load(const char *path, struct kapp_pin_lock *l, int64_t now, int base_s);
int kapp_pin_lock_save(const char *path, const struct kapp_pin_lock *l);

/* ---- files the app writes (statefile.c) --------------------------------------------------- */

/* mkdir -p, then the folder itself is made 0700. */
int kapp_private_dir(const char *path);
/* Replaces path with data atomically: temp file (0600) + fsync + rename + fsync of the folder. */
int kapp_file_replace(const char *path, const void *data, size_t len);
/* Makes an already written temp file 0600, fsyncs it and renames it over path. */
int kapp_file_commit(const char *tmp, const char *path);
/* Appends one line (0600 file, no symlink followed, fsync). */
int kapp_file_append(const char *path, const char *line);

/* ---- misc ---------------------------------------------------------------------------- */

/* Reads a whole file (NUL-terminated); NULL on error. */
char *kapp_read_file(const char *path, size_t *len);
/* mkdir -p */
int kapp_mkdirs(const char *path);

#endif
