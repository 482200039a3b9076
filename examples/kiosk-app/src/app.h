/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * app.h — kiosk-app's state, screens and the glue between them.
 *
 * Personal data lives only in `struct session` (and in the cases it owns):
 * app_wipe_session() frees and zeroes all of it, on idle reset and on
 * every return to the home screen.
 */
#ifndef KAPP_APP_H
#define KAPP_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <SDL.h>
#include <kiosk/kiosk.h>
#include "core.h"
#include "ui.h"

enum screen {
	SCR_HOME, SCR_GUIDES, SCR_GUIDE, SCR_PROGRESS, SCR_CASES, SCR_CASE, SCR_REPRINT,
	SCR_RATING, SCR_PIN, SCR_MAINT, SCR_CALIB, SCR_ATTRACT, SCR_COUNT
};
const char *screen_name(enum screen s);

/* SDL user event codes */
enum { EV_KIOSK = 1, EV_ASYNC = 2, EV_WAKE = 3, EV_CATALOG = 4, EV_FLEET = 5 };

enum dev_state { DEV_NONE = 0, DEV_OK, DEV_WARN, DEV_ERROR };

struct devices {
	kiosk_context *ctx;
	kiosk_idcard_reader *reader;
	kiosk_printer *printer;
	kiosk_scanner *scanner;
	kiosk_touch *touch;
	struct kiosk_printer_status pst;
	bool have_pst;
	enum dev_state reader_state, printer_state, scanner_state;
	char reader_msg[160], printer_msg[160], scanner_msg[160];
	bool printer_lost;     /* its link is down (the library re-opens it in the background) */
	int jobs_pending;
	bool separate_first; /* a print may have been cut off by the app's own death: cut before the next */
	kiosk_job *after_cut;  /* the print queued behind that cut (a reference), until either ends */
	uint64_t prints_ok, prints_failed;
	char errors[16][200];
	int n_errors, err_head;
	SDL_Thread *poll_thread;
	SDL_sem *dispatched;
	volatile int stop;
};

/* What a print was for (rating follows case prints). */
enum print_kind { PRINT_CHECKLIST, PRINT_PROGRESS, PRINT_ACCEPTANCE, PRINT_TEST };

struct session {
	/* guide lookup */
	char query[128];
	char dept[16];
	char theme[64];
	int guide;            /* index in catalog, -1 none */
	bool letters_mode;    /* keyboard shows letters (pinyin initials) */
	/* progress */
	char number[40];      /* keypad input */
	struct kapp_case **cases;
	size_t n_cases;
	struct kapp_case *cur; /* borrowed from cases, or owned (cur_owned) */
	bool cur_owned;
	char holder_name[64];  /* masked */
	char holder_id[40];    /* masked */
	bool holder_verified;  /* an ID card was read this session */
	bool reprint_mode;     /* came through 补打回执 */
	char verify_case[40];  /* case waiting for an ID check (reprint from a number lookup) */
	/* rating */
	char rate_case[40];
	bool rated;
	int rate_level;        /* 1 or 2 while the reasons are being picked, else 0 */
	uint32_t rate_reasons; /* bit i: kapp_rating_reasons[i] picked */
	/* PIN */
	char pin[16];
	/* messages */
	char message[256];
	int message_kind;     /* 0 ok, 1 warn, 2 bad, 3 info */
	uint32_t message_until; /* SDL ticks when the message goes by itself */
	bool confirm_exit;    /* maintenance: 退出程序 asks first */
	bool busy;            /* a backend request is running */
	char busy_text[128];
};

struct idle {
	uint32_t last_input;
	bool warning;         /* countdown shown */
	uint32_t warn_start;
};

struct tour;
struct refresher;
struct app_fleet;

struct app {
	struct kapp_config cfg;       /* in effect: cfg_base with the hall's settings over it */
	struct kapp_config cfg_base;  /* as the configuration file (and options) gave it */
	struct app_fleet *fleet;      /* reporting to the hall's broker (fleet.c), or NULL */
	bool banner_shown;            /* the last frame showed cfg.banner */
	char config_path[512];
	char out_dir[512];
	struct devices dev;
	struct kapp_backend *backend;
	struct kapp_catalog *cat;
	struct kapp_search *search;
	struct kapp_calendar cal;
	int today;
	char catalog_error[256];
	bool catalog_cached;   /* showing the on-disk copy: the backend has not answered yet */
	int64_t catalog_time;  /* when the shown catalog was fetched (epoch s) */
	int catalog_failures;  /* background refreshes failed in a row */
	struct refresher *refresher;
	struct kapp_pin_lock pin_lock; /* wrong maintenance PINs (state_dir/pin-lock.json) */
	uint64_t tap_lat_hist[256];    /* tap-to-frame latency, 1 ms buckets (last = more) */
	uint64_t tap_lat_n;
	uint32_t tap_pending_ms;       /* SDL time of a tap not yet drawn, 0 none */
	SDL_Window *win;
	SDL_Renderer *ren;
	struct ui ui;
	enum screen scr, prev[8];
	int n_prev;
	struct session s;
	struct idle idle;
	bool voice;           /* voice prompts on */
	bool audio;           /* an audio device exists */
	bool quit;
	bool allow_close;
	bool dirty;
	uint32_t async_gen;   /* requests of an older session are ignored */
	uint32_t hits[200];
	size_t n_hits, total_hits;
	size_t n_popular;      /* the first n_popular hits are the catalog's popular ones */
	char hits_query[240];
	struct tour *tour;
	const char *layout_path; /* KIOSK_APP_LAYOUT: regions dumped per frame (tests) */
	const char *state_path;  /* KIOSK_APP_STATE: screen + flags dumped (tests) */
	uint64_t frames;
	/* touch calibration in progress */
	int calib_step;
	double calib_raw[5][2], calib_targets[5][2];
	char calib_msg[200];
	struct kiosk_calibration calib;
	bool calib_loaded;
	struct kiosk_calibration calib_prev; /* restored unless the new one is confirmed */
	bool calib_prev_loaded;
	uint32_t calib_confirm_start;        /* SDL ms the confirm target appeared */
	const char *calib_result;            /* "saved", "reverted", "failed" (state file) */
	uint32_t press_start;  /* long-press detection on the hidden corner */
	bool press_corner;
	uint64_t last_job_ok;
	int nav;               /* navigation asked for while drawing: 1 back, 2 home */
	int title_right;       /* the top bar's free width for the title (and messages) */
	SDL_Rect message_rect; /* where the message of the last frame was (w 0: none) */
};

/* app.c */
void app_go(struct app *a, enum screen s);
void app_back(struct app *a);
void app_home(struct app *a);           /* wipes the session */
void app_wipe_session(struct app *a);
void app_end_session(struct app *a);    /* idle: home, wiped, and the visitor's modes reset */
bool app_has_personal_data(const struct app *a);
void app_message(struct app *a, int kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void app_chrome(struct app *a, const char *title); /* top bar + bottom bar */
int app_content_top(const struct app *a);
int app_content_bottom(const struct app *a);
void app_draw(struct app *a);
void app_tick(struct app *a, uint32_t now);
uint32_t app_next_wakeup(struct app *a, uint32_t now); /* ms until something is due */
void app_note_input(struct app *a);
void app_on_card(struct app *a, const kiosk_idcard *card);
void app_on_scan(struct app *a, const char *code);
void app_lookup_number(struct app *a, const char *number);
void app_on_async(struct app *a, void *result);
void app_run_search(struct app *a);
void app_dump_state(struct app *a);
bool app_pin_ok(const struct app *a, const char *pin);
void app_say(struct app *a, const char *text);

/* refresh.c */
struct refresher *refresh_start(struct app *a, char *err, size_t len);
void refresh_now(struct refresher *r);
void refresh_stop(struct refresher *r);
void refresh_news_free(void *news);
void app_catalog_install(struct app *a, struct kapp_catalog *cat, bool from_cache, int64_t saved);
void app_on_catalog(struct app *a, void *news);
void app_catalog_note(const struct app *a, char *out, size_t len); /* "数据更新于 …" or "" */

/* devices.c */
int dev_open_all(struct app *a);
void dev_close_all(struct app *a);
void dev_dispatch(struct app *a);         /* runs kiosk_context_dispatch + events */
void dev_reconnect(struct app *a);        /* maintenance: re-open every device's link */
bool dev_can_print(struct app *a, char *why, size_t len);
int dev_print(struct app *a, kiosk_receipt *r, enum print_kind kind, const char *case_number);
const char *print_kind_name(enum print_kind kind); /* "checklist", "progress", "acceptance", "test" */
/* At start: state_dir/print-in-flight left behind means the app died while a
 * job was printing; the next print then begins with a feed and cut (see
 * README.md, "Prints cut off by a restart"). */
void dev_print_check_interrupted(struct app *a);
void dev_error(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *dev_state_text(enum dev_state s);
const char *dev_error_words(int rc); /* a library error in plain Chinese */

/* fleet.c (docs/fleet.md) */
void app_fleet_settings_init(struct app *a); /* cfg_base = cfg; the kept hall settings over cfg */
int app_fleet_start(struct app *a);          /* after dev_open_all(); 0 also when not configured */
void app_fleet_stop(struct app *a);          /* before dev_close_all() */
void app_fleet_add_devices(struct app *a);   /* devices opened later (maintenance) */
void app_fleet_apply(struct app *a);         /* EV_FLEET: settings from the hall, on the UI thread */
const char *app_fleet_status(const struct app *a); /* off, failed, connecting, connected */
int app_fleet_queued(const struct app *a);
bool app_fleet_changed(struct app *a);        /* the link went up or down since last asked */
void app_fleet_rating(struct app *a, const char *case_number, int level, uint32_t reasons);
void app_fleet_print_failed(struct app *a, kiosk_job *job, int result, enum print_kind kind);
void app_banner(struct app *a, int x, int *y, int w, bool on_dark); /* cfg.banner, if any */

/* receipts.c */
kiosk_receipt *rcpt_checklist(struct app *a, const struct kapp_guide *g);
kiosk_receipt *rcpt_progress(struct app *a, const struct kapp_case *c);
kiosk_receipt *rcpt_acceptance(struct app *a, const struct kapp_case *c);
kiosk_receipt *rcpt_test(struct app *a);
void case_deadline_text(struct app *a, const struct kapp_case *c, char *out, size_t len, int *kind);

/* tts.c */
bool tts_audio_available(void);
void tts_say(const char *text);
void tts_stop(void);

/* shot.c */
int shot_save(SDL_Renderer *r, int w, int h, const char *path);

/* tour.c */
struct tour *tour_new(struct app *a, const char *out_dir);
void tour_free(struct tour *t);
/* Called once per loop iteration; returns false when the tour is over. */
bool tour_step(struct app *a, struct tour *t, uint32_t now);

/* screens */
void scr_home(struct app *a);
void scr_guides(struct app *a);
void scr_guide(struct app *a);
void scr_progress(struct app *a);
void scr_cases(struct app *a);
void scr_case(struct app *a);
void scr_reprint(struct app *a);
void scr_rating(struct app *a);
void scr_pin(struct app *a);
void scr_maint(struct app *a);
void scr_calib(struct app *a);
void calib_tick(struct app *a, uint32_t now);   /* reverts an unconfirmed calibration */
void calib_revert(struct app *a);
void scr_attract(struct app *a);

/* Async backend requests (run on a worker thread, answered with EV_ASYNC). */
void async_case_by_number(struct app *a, const char *number);
void async_cases_by_holder(struct app *a, const char *id_number, bool verify_only);

#endif
