/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk-app — the reference self-service kiosk app on libkiosk (SDL2).
 *
 *   kiosk-app [--config FILE] [--data DIR] [--out DIR] [--tour] [--windowed]
 *             [--landscape|--portrait] [--allow-close] [--exit-after-frames N]
 *   kiosk-app --hash-pin          (reads the PIN, prints the pin_hash line)
 *
 * With no arguments and no configuration file it runs on the embedded demo
 * data. The main loop sleeps in SDL_WaitEventTimeout until an input, a
 * libkiosk wake-up (user event from the fd-polling thread) or the next timer
 * (idle countdown, momentum) is due: an idle kiosk draws nothing.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <termios.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <kiosk/kiosk.h>
#include "app.h"
#include "datadir.h"

void guides_backspace(struct app *a);
void progress_key(struct app *a, char k);

static volatile sig_atomic_t got_term;

/* Only sets a flag (async-signal-safe); the loop never sleeps longer than 5 s,
 * so SIGTERM ends the app within that. */
static void on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

static double mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

static void report(const char *what, double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	printf("%s: n=%zu p50=%.3f ms p99=%.3f ms max=%.3f ms\n", what, n, v[n / 2], v[n * 99 / 100],
	       v[n - 1]);
}

/* --bench-search CATALOG: latency of one keystroke's search (the query so far,
 * up to 200 results as the app asks) while typing queries over the catalog. */
static int bench_search(const char *path)
{
	char err[256];
	struct kapp_catalog *cat;
	double t = mono_ms();
	if (kapp_catalog_load(path, &cat, err, sizeof err)) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	double t_load = mono_ms() - t;
	t = mono_ms();
	struct kapp_search *s = kapp_search_new(cat);
	double t_index = mono_ms() - t;
	printf("catalog: %zu guides, load %.1f ms, index %.1f ms\n", cat->n, t_load, t_index);
	static const char *const queries[] = {"bdc", "sbk", "tqzfgjj", "不动产登记", "护照", "ylbx",
					      "医疗保障", "hydj", "gtgsh", "社会保障卡", "xcqgjj", "zz"};
	size_t cap = 20000, n = 0;
	double *v = malloc(cap * sizeof *v);
	uint32_t hits[200];
	for (int rep = 0; rep < 40; rep++) {
		for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
			const char *p = queries[q];
			char typed[64] = "";
			size_t k = 0;
			while (*p && n < cap) {
				const char *st = p;
				kapp_utf8_next(&p);
				memcpy(typed + k, st, (size_t)(p - st));
				k += (size_t)(p - st);
				typed[k] = 0;
				double t0 = mono_ms();
				size_t total;
				kapp_search_run(s, typed, NULL, NULL, hits, 200, &total);
				v[n++] = mono_ms() - t0;
			}
		}
	}
	report("search per keystroke", v, n);
	free(v);
	kapp_search_free(s);
	kapp_catalog_free(cat);
	return 0;
}

/* --bench-scroll: frame time (draw + present, software renderer) while a long
 * guide is dragged and flung, on the embedded data. */
static int bench_scroll(struct app *a)
{
	if (!a->cat || !a->cat->n)
		return 1;
	size_t best = 0;
	for (size_t i = 0; i < a->cat->n; i++)
		if (a->cat->guides[i].n_materials + a->cat->guides[i].n_conditions >
		    a->cat->guides[best].n_materials + a->cat->guides[best].n_conditions)
			best = i;
	a->s.guide = (int)best;
	a->scr = SCR_GUIDE;
	a->ui.large = true; /* the longer page */
	app_draw(a);
	app_draw(a);
	double v[2000];
	size_t n = 0;
	uint32_t tick = 1000;
	for (int round = 0; round < 6; round++) {
		int dir = round % 2 ? 1 : -1, y = dir < 0 ? 1400 : 400;
		ui_pointer_down(&a->ui, 540, y, tick);
		for (int f = 0; f < 40 && n < 2000; f++) {
			tick += 16;
			y += dir * 25;
			ui_pointer_move(&a->ui, 540, y, tick);
			double t0 = mono_ms();
			app_draw(a);
			v[n++] = mono_ms() - t0;
		}
		ui_pointer_up(&a->ui, 540, y, tick);
		for (int f = 0; f < 120 && n < 2000 && ui_animate(&a->ui, 16); f++) {
			tick += 16;
			double t0 = mono_ms();
			app_draw(a);
			v[n++] = mono_ms() - t0;
		}
	}
	printf("scroll: guide \"%s\" (%d materials), large text, %dx%d\n", a->cat->guides[best].name,
	       a->cat->guides[best].n_materials, a->ui.w, a->ui.h);
	report("frame time while scrolling", v, n);
	return 0;
}

/* Reads one line (the PIN) from stdin, without echo on a terminal. */
static bool read_pin(const char *prompt, char *out, size_t len)
{
	bool tty = isatty(0);
	struct termios old, quiet;
	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(0, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(0, TCSAFLUSH, &quiet);
	}
	bool ok = fgets(out, (int)len, stdin) != NULL;
	if (tty) {
		tcsetattr(0, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (ok)
		out[strcspn(out, "\r\n")] = 0;
	return ok;
}

/* --hash-pin: PBKDF2 hash of a PIN read from stdin, printed as the config line. */
static int hash_pin(void)
{
	char pin[64] = "", again[64] = "", out[200];
	uint8_t salt[KAPP_PIN_SALT_BYTES];
	int rc = 1;
	if (!read_pin("维护 PIN (4-12 digits): ", pin, sizeof pin)) {
		fprintf(stderr, "kiosk-app: --hash-pin: no PIN on standard input\n");
		goto out;
	}
	if (!kapp_pin_valid(pin)) {
		fprintf(stderr, "kiosk-app: --hash-pin: the PIN must be %d to %d digits\n",
			KAPP_PIN_MIN_DIGITS, KAPP_PIN_MAX_DIGITS);
		goto out;
	}
	if (isatty(0) && (!read_pin("again: ", again, sizeof again) || strcmp(pin, again))) {
		fprintf(stderr, "kiosk-app: --hash-pin: the two PINs differ\n");
		goto out;
	}
	FILE *r = fopen("/dev/urandom", "rb");
	if (!r || fread(salt, 1, sizeof salt, r) != sizeof salt) {
		fprintf(stderr, "kiosk-app: cannot read /dev/urandom\n");
		if (r)
			fclose(r);
		goto out;
	}
	fclose(r);
	if (kapp_pin_hash(pin, salt, KAPP_PIN_ITERATIONS, out, sizeof out) == KAPP_OK) {
		printf("pin_hash = %s\n", out);
		rc = 0;
	}
out:
	kapp_wipe(pin, sizeof pin);
	kapp_wipe(again, sizeof again);
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: kiosk-app [--config FILE] [--data DIR] [--out DIR] [--tour] [--windowed]\n"
		   "                 [--landscape|--portrait] [--large] [--allow-close] [--exit-after-frames N]\n"
		   "       kiosk-app --hash-pin         read a PIN on stdin, print its pin_hash line for the configuration\n"
		   "       kiosk-app --version\n\n"
		   "Without --config it reads %s if present, else runs on the embedded demo data.\n"
		   "--tour runs the scripted headless tour and writes screenshots to --out (default out).\n",
		   KAPP_CONFIG_DEFAULT);
}

/* The bundled demo hall data: $KIOSK_APP_DATA, else <datadir>/libkiosk/kiosk-app
 * relative to this program (examples/common/datadir.h). */
static const char *default_data_dir(void)
{
	static char dir[4096];
	if (kiosk_program_datadir("kiosk-app", "KIOSK_APP_DATA", dir, sizeof dir))
		fprintf(stderr, "kiosk-app: no demo data in %s (give --data DIR or set KIOSK_APP_DATA)\n",
			dir);
	return dir;
}

/* Pointer from SDL (logical coordinates); applies the touch calibration. */
static void pointer(struct app *a, int type, int x, int y)
{
	struct ui *ui = &a->ui;
	uint32_t now = SDL_GetTicks();
	double nx = (double)x / ui->w, ny = (double)y / ui->h;
	if (a->scr == SCR_CALIB && type == SDL_MOUSEBUTTONUP && a->calib_step < 5) {
		a->calib_raw[a->calib_step][0] = nx;
		a->calib_raw[a->calib_step][1] = ny;
	} else if (a->calib_loaded && (a->scr != SCR_CALIB || a->calib_step >= 5)) {
		/* (from step 5 on, the new calibration is on trial: its confirm tap goes through it) */
		double m[6], cx, cy;
		kiosk_calibration_effective(&a->calib, m);
		kiosk_calibration_apply(m, nx, ny, &cx, &cy);
		x = (int)(cx * ui->w);
		y = (int)(cy * ui->h);
	}
	app_note_input(a);
	if (getenv("KIOSK_APP_TRACE") && type != SDL_MOUSEMOTION)
		fprintf(stderr, "kiosk-app: %u pointer %s %d,%d\n", (unsigned)now,
			type == SDL_MOUSEBUTTONDOWN ? "down" : "up", x, y);
	if (type == SDL_MOUSEBUTTONDOWN)
		ui_pointer_down(ui, x, y, now);
	else if (type == SDL_MOUSEMOTION)
		ui_pointer_move(ui, x, y, now);
	else
		ui_pointer_up(ui, x, y, now);
	a->dirty = true;
}

static void handle(struct app *a, SDL_Event *ev)
{
	switch (ev->type) {
	case SDL_QUIT:
		if (a->allow_close)
			a->quit = true;
		break;
	case SDL_MOUSEBUTTONDOWN:
	case SDL_MOUSEBUTTONUP:
		if (ev->button.button == SDL_BUTTON_LEFT) {
			if (!a->tap_pending_ms)
				a->tap_pending_ms = ev->button.timestamp ? ev->button.timestamp : 1;
			pointer(a, (int)ev->type, ev->button.x, ev->button.y);
		}
		break;
	case SDL_MOUSEMOTION:
		if (ev->motion.state & SDL_BUTTON_LMASK)
			pointer(a, SDL_MOUSEMOTION, ev->motion.x, ev->motion.y);
		break;
	case SDL_TEXTINPUT:
		app_note_input(a);
		if (a->scr == SCR_GUIDES) {
			size_t n = strlen(a->s.query), k = strlen(ev->text.text);
			if (n + k < sizeof a->s.query - 1)
				memcpy(a->s.query + n, ev->text.text, k + 1);
			ui_scroll_reset(&a->ui);
		} else if (a->scr == SCR_PROGRESS) {
			for (const char *p = ev->text.text; *p; p++)
				progress_key(a, *p);
		}
		a->dirty = true;
		break;
	case SDL_KEYDOWN:
		app_note_input(a);
		if (ev->key.keysym.sym == SDLK_BACKSPACE) {
			if (a->scr == SCR_GUIDES)
				guides_backspace(a);
			else if (a->scr == SCR_PROGRESS)
				progress_key(a, '<');
		} else if (ev->key.keysym.sym == SDLK_RETURN && a->scr == SCR_PROGRESS) {
			progress_key(a, '\n');
		}
		a->dirty = true;
		break;
	case SDL_WINDOWEVENT:
		a->dirty = true;
		break;
	case SDL_USEREVENT:
		if (ev->user.code == EV_KIOSK)
			dev_dispatch(a);
		else if (ev->user.code == EV_ASYNC)
			app_on_async(a, ev->user.data1);
		else if (ev->user.code == EV_CATALOG)
			app_on_catalog(a, ev->user.data1);
		else if (ev->user.code == EV_FLEET)
			app_fleet_apply(a);
		a->dirty = true;
		break;
	default:
		break;
	}
}

int main(int argc, char **argv)
{
	double t0 = mono_ms();
	static struct app app;
	struct app *a = &app;
	const char *config = NULL, *data = NULL;
	bool tour = false, windowed = false, large = false, bench_scroll_mode = false;
	int orient = 0;
	long exit_after = 0;
	snprintf(a->out_dir, sizeof a->out_dir, "out");
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(s, "--config") && v)
			config = v, i++;
		else if (!strcmp(s, "--data") && v)
			data = v, i++;
		else if (!strcmp(s, "--out") && v)
			snprintf(a->out_dir, sizeof a->out_dir, "%s", v), i++;
		else if (!strcmp(s, "--tour"))
			tour = true;
		else if (!strcmp(s, "--windowed"))
			windowed = true;
		else if (!strcmp(s, "--landscape"))
			orient = 2;
		else if (!strcmp(s, "--portrait"))
			orient = 1;
		else if (!strcmp(s, "--large"))
			large = true;
		else if (!strcmp(s, "--allow-close"))
			a->allow_close = true;
		else if (!strcmp(s, "--bench-search") && v)
			return bench_search(v);
		else if (!strcmp(s, "--bench-scroll"))
			bench_scroll_mode = true;
		else if (!strcmp(s, "--exit-after-frames") && v)
			exit_after = atol(v), i++;
		else if (!strcmp(s, "--hash-pin")) {
			return hash_pin();
		} else if (!strcmp(s, "--version")) {
			printf("kiosk-app (libkiosk) %s\n", kiosk_version());
			return 0;
		} else if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	/* configuration */
	char err[300] = "";
	kapp_config_defaults(&a->cfg, data ? data : default_data_dir());
	if (!config && !access(KAPP_CONFIG_DEFAULT, R_OK))
		config = KAPP_CONFIG_DEFAULT;
	if (config && kapp_config_load(&a->cfg, config, err, sizeof err)) {
		fprintf(stderr, "kiosk-app: %s\n", err);
		return 2;
	}
	if (data)
		snprintf(a->cfg.data_dir, sizeof a->cfg.data_dir, "%s", data);
	if (orient == 1) {
		a->cfg.landscape = false;
		a->cfg.width = 1080;
		a->cfg.height = 1920;
	} else if (orient == 2) {
		a->cfg.landscape = true;
		a->cfg.width = 1920;
		a->cfg.height = 1080;
	}
	if (large)
		a->cfg.large_text = true;
	if (tour) {
		/* the tour shows the idle countdown and the reset quickly */
		a->cfg.idle_warn_s = 8;
		a->cfg.idle_countdown_s = 4;
	}
	app_fleet_settings_init(a);
	a->layout_path = getenv("KIOSK_APP_LAYOUT");
	a->state_path = getenv("KIOSK_APP_STATE");
	a->s.guide = -1;
	a->today = kapp_today();
	/* the files the app writes (ratings, calibration, catalog cache, PIN lockout) */
	if (kapp_private_dir(a->cfg.state_dir))
		fprintf(stderr, "kiosk-app: state_dir %s: %s (ratings and calibration are not kept)\n",
			a->cfg.state_dir, strerror(errno));
	dev_print_check_interrupted(a); /* a print the last run left unfinished */
	{
		char lock[600];
		snprintf(lock, sizeof lock, "%.560s/pin-lock.json", a->cfg.state_dir);
		if (kapp_pin_lock_load(lock, &a->pin_lock, (int64_t)time(NULL), a->cfg.pin_lock_s))
			fprintf(stderr, "kiosk-app: %s is unreadable: maintenance stays locked for now\n", lock);
	}
	/* data: a network backend's catalog comes from the on-disk copy first and
	 * is refreshed in the background; the first frame never waits for it */
	a->backend = kapp_backend_new(&a->cfg, a->today, err, sizeof err);
	if (!a->backend) {
		fprintf(stderr, "kiosk-app: backend: %s\n", err);
		return 2;
	}
	if (a->backend->fetch_catalog) {
		char cache[600];
		int64_t saved = 0;
		struct kapp_catalog *cat = NULL;
		snprintf(cache, sizeof cache, "%.560s/catalog-cache.json", a->cfg.state_dir);
		if (kapp_catalog_cache_load(cache, &cat, &saved, err, sizeof err) == KAPP_OK)
			app_catalog_install(a, cat, true, saved);
		else
			snprintf(a->catalog_error, sizeof a->catalog_error, "正在连接后台…");
	} else if (a->backend->load_catalog(a->backend, &a->cat, a->catalog_error,
					    sizeof a->catalog_error)) {
		fprintf(stderr, "kiosk-app: guide catalog: %s (guide lookup shows an offline message)\n",
			a->catalog_error);
	}
	if (a->cat && !a->search)
		a->search = kapp_search_new(a->cat);
	char hol[600];
	snprintf(hol, sizeof hol, "%.500s/holidays.json", a->cfg.data_dir);
	if (kapp_calendar_load(&a->cal, hol, err, sizeof err) < 0)
		fprintf(stderr, "kiosk-app: %s (weekends only)\n", err);
	if (a->cfg.calibration[0] || a->cfg.state_dir[0]) {
		char path[600];
		if (a->cfg.calibration[0])
			snprintf(path, sizeof path, "%.500s", a->cfg.calibration);
		else
			snprintf(path, sizeof path, "%.500s/touch.cal", a->cfg.state_dir);
		kiosk_calibration_identity(&a->calib); /* sets its size */
		a->calib_loaded = kiosk_calibration_load(path, &a->calib) == KIOSK_OK;
	}
	/* video */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	SDL_SetHint(SDL_HINT_RENDER_DRIVER, getenv("KIOSK_APP_RENDERER") ? getenv("KIOSK_APP_RENDERER") : "software");
	SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
	/* the software renderer presents through X11 SHM / the KMS framebuffer: no GL
	 * (loading Mesa llvmpipe alone costs ~50 MB) */
	SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
	SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1");
	if (tour && !getenv("SDL_VIDEODRIVER"))
		setenv("SDL_VIDEODRIVER", "offscreen", 1);
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS)) {
		fprintf(stderr, "kiosk-app: SDL_Init: %s\n", SDL_GetError());
		return 1;
	}
	struct sigaction sa = {0};
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	int w = a->cfg.width, h = a->cfg.height;
	Uint32 flags = SDL_WINDOW_SHOWN;
	int ww = w, wh = h;
	if (windowed) {
		SDL_DisplayMode dm;
		if (!SDL_GetDesktopDisplayMode(0, &dm) && (dm.h < h + 80 || dm.w < w)) {
			double s = (dm.h - 80.0) / h;
			if (dm.w * 0.95 / w < s)
				s = dm.w * 0.95 / w;
			ww = (int)(w * s);
			wh = (int)(h * s);
		}
		flags |= SDL_WINDOW_RESIZABLE;
	} else if (a->cfg.fullscreen && !tour) {
		flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
	}
	a->win = SDL_CreateWindow("kiosk-app", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, ww, wh, flags);
	if (!a->win) {
		fprintf(stderr, "kiosk-app: window: %s\n", SDL_GetError());
		return 1;
	}
	a->ren = SDL_CreateRenderer(a->win, -1, 0);
	if (!a->ren) {
		fprintf(stderr, "kiosk-app: renderer: %s\n", SDL_GetError());
		return 1;
	}
	SDL_RenderSetLogicalSize(a->ren, w, h);
	SDL_ShowCursor(windowed ? SDL_ENABLE : SDL_DISABLE);
	a->ui.r = a->ren;
	a->ui.w = w;
	a->ui.h = h;
	a->ui.large = a->cfg.large_text;
	a->ui.text = text_new(a->ren, err, sizeof err);
	if (!a->ui.text) {
		fprintf(stderr, "kiosk-app: %s\n", err);
		return 1;
	}
	a->audio = a->cfg.tts == 1 || (a->cfg.tts == -1 && tts_audio_available());
	if (a->cfg.tts == 0)
		a->audio = false;
	a->voice = a->audio;
	a->scr = SCR_HOME;
	a->idle.last_input = SDL_GetTicks();
	a->dirty = true;
	if (tour) {
		a->tour = tour_new(a, a->out_dir);
		if (!a->tour)
			return 1;
	}
	if (bench_scroll_mode) {
		int rc = bench_scroll(a);
		text_free(a->ui.text);
		SDL_Quit();
		return rc;
	}
	app_dump_state(a);
	SDL_StartTextInput();
	bool first = true;
	uint32_t last_anim = SDL_GetTicks();
	while (!a->quit && !got_term) {
		uint32_t now = SDL_GetTicks();
		app_tick(a, now);
		if (a->ui.animating || a->ui.scroll_v != 0) {
			ui_animate(&a->ui, now - last_anim);
			a->dirty = true;
		}
		last_anim = now;
		if (a->dirty) {
			app_draw(a);
			if (a->tap_pending_ms) { /* tap-to-frame latency (figures for the soak bench) */
				uint32_t ms = SDL_GetTicks() - a->tap_pending_ms;
				a->tap_lat_hist[ms < 255 ? ms : 255]++;
				a->tap_lat_n++;
				a->tap_pending_ms = 0;
			}
			if (first) {
				first = false;
				/* devices after the first frame: never fatal, each missing
				 * one just disables its feature */
				dev_open_all(a);
				app_fleet_start(a);
				if (a->backend->fetch_catalog) {
					a->refresher = refresh_start(a, err, sizeof err);
					if (!a->refresher)
						fprintf(stderr, "kiosk-app: %s\n", err);
				}
				a->dirty = true;
				double ms = mono_ms() - t0;
				if (getenv("KIOSK_APP_BENCH"))
					printf("first-frame-ms %.1f\n", ms);
				fflush(stdout);
			}
			if (exit_after && (long)a->frames >= exit_after)
				break;
		}
		if (a->tour && !a->dirty && !tour_step(a, a->tour, SDL_GetTicks()))
			a->quit = true;
		if (a->quit)
			break;
		uint32_t wait = a->dirty ? 0 : app_next_wakeup(a, now);
		if (a->tour && wait > 50)
			wait = 50;
		SDL_Event ev;
		if (SDL_WaitEventTimeout(&ev, (int)wait)) {
			handle(a, &ev);
			while (SDL_PollEvent(&ev))
				handle(a, &ev);
		}
	}
	tts_stop();
	refresh_stop(a->refresher);
	a->refresher = NULL;
	{ /* answers still queued: free what they carry */
		SDL_Event ev;
		while (SDL_PollEvent(&ev))
			if (ev.type == SDL_USEREVENT && ev.user.code == EV_CATALOG)
				refresh_news_free(ev.user.data1);
	}
	app_wipe_session(a);
	app_fleet_stop(a);
	dev_close_all(a);
	tour_free(a->tour);
	text_free(a->ui.text);
	SDL_DestroyRenderer(a->ren);
	SDL_DestroyWindow(a->win);
	TTF_Quit();
	SDL_Quit();
	kapp_search_free(a->search);
	kapp_catalog_free(a->cat);
	kapp_calendar_free(&a->cal);
	kapp_backend_free(a->backend);
	return 0;
}
