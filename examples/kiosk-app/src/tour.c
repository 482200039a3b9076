/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tour.c — the scripted headless tour (kiosk-app --tour): drives the app
 * through every screen with synthetic taps on the real widgets, uses the real
 * (emulated) devices, and writes a screenshot of each step to the out folder.
 * Scans are typed into the scanner emulator through $KIOSK_APP_TOUR_SCAN (a
 * FIFO feeding `kiosk-sim scanner --stdin`); the ID card is the emulator's
 * synthetic card, present from the start.
 */
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "app.h"

enum op { SHOT, TAP, TAP_OPT, WAIT_SCREEN, WAIT_PRINT, TYPE_NUMBER, SCAN, SCAN_TEXT, DRAG,
	  PRESS_CORNER, TAP_TARGETS, SET_ATTRACT, MARK_PRINTS, SLEEP, CARD_ON, END };

struct step {
	enum op op;
	const char *arg;
	int timeout_ms;
};

static const struct step script[] = {
	{SLEEP, NULL, 800},
	{SHOT, "01-home", 0},
	{CARD_ON, NULL, 0},            /* the emulator's card is on the reader: watch it now */
	{WAIT_SCREEN, "cases", 15000},
	{SHOT, "02-own-cases-by-idcard", 0},
	{TAP, "case-0", 0},
	{WAIT_SCREEN, "case", 3000},
	{SHOT, "03-own-case", 0},
	{MARK_PRINTS, NULL, 0},
	{TAP, "print-acceptance", 0},
	{WAIT_PRINT, NULL, 30000},
	{WAIT_SCREEN, "rating", 3000},
	{SHOT, "04-rating-after-acceptance-reprint", 0},
	{TAP, "rate-5", 0},
	{SHOT, "05-rated", 0},
	{TAP, "home", 0},
	{TAP, "guides", 0},
	{SHOT, "06-guides", 0},
	{TAP, "key-B", 0},
	{TAP, "key-D", 0},
	{TAP, "key-C", 0},
	{SHOT, "07-search-BDC", 0},
	{TAP, "hit-0", 0},
	{WAIT_SCREEN, "guide", 2000},
	{SHOT, "08-guide-detail", 0},
	{DRAG, "guide-scroll", 0},
	{SHOT, "09-guide-scrolled", 0},
	{MARK_PRINTS, NULL, 0},
	{TAP, "print-checklist", 0},
	{WAIT_PRINT, NULL, 30000},
	{SHOT, "10-checklist-printed", 0},
	{TAP, "large", 0},
	{SHOT, "11-guide-large-text", 0},
	{TAP, "large", 0},
	{TAP, "home", 0},
	{TAP, "progress", 0},
	{TYPE_NUMBER, "supplement", 0},
	{SHOT, "12-keypad", 0},
	{TAP, "query", 0},
	{WAIT_SCREEN, "case", 10000},
	{SHOT, "13-case-by-number-supplement", 0},
	{MARK_PRINTS, NULL, 0},
	{TAP, "print-progress", 0},
	{WAIT_PRINT, NULL, 30000},
	{WAIT_SCREEN, "rating", 3000},
	{TAP, "rate-1", 0},            /* 非常不满意: the reasons come first */
	{TAP, "reason-1", 0},
	{TAP, "reason-3", 0},
	{SHOT, "13b-rating-reasons", 0},
	{TAP, "rate-submit", 0},
	{WAIT_SCREEN, "case", 3000},
	{TAP, "home", 0},
	{TAP, "progress", 0},
	{SCAN_TEXT, "https://qr.alipay.com/fkx?t=13800138000", 0}, /* not this hall's case QR */
	{SLEEP, NULL, 400},
	{SHOT, "13c-foreign-qr-refused", 0},
	{SCAN, "review", 0},
	{WAIT_SCREEN, "case", 10000},
	{SHOT, "14-case-by-scanned-qr", 0},
	{WAIT_SCREEN, "idle", 20000},
	{SHOT, "15-idle-countdown", 0},
	{WAIT_SCREEN, "home", 15000},
	{SHOT, "16-after-idle-reset", 0},
	{PRESS_CORNER, NULL, 0},
	{WAIT_SCREEN, "pin", 6000},
	{TAP, "pin-2", 0},
	{TAP, "pin-5", 0},
	{TAP, "pin-8", 0},
	{TAP, "pin-0", 0},
	{SHOT, "17-pin", 0},
	{TAP, "pin-k", 0},
	{WAIT_SCREEN, "maint", 2000},
	{SHOT, "18-maintenance", 0},
	{TAP, "maint-exit", 0},
	{SHOT, "18b-exit-confirm", 0},
	{TAP, "exit-cancel", 0},
	{TAP, "maint-calib", 0},
	{SHOT, "19-calibration", 0},
	{TAP_TARGETS, NULL, 0},
	{TAP, "calib-confirm", 0},
	{SHOT, "20-calibrated", 0},
	{TAP, "calib-done", 0},
	{TAP, "home", 0},
	{SET_ATTRACT, NULL, 0},
	{WAIT_SCREEN, "attract", 8000},
	{SHOT, "21-attract", 0},
	{END, NULL, 0},
};

struct tour {
	char out[512];
	size_t pc;
	uint32_t step_start;
	uint32_t next_at;
	uint64_t prints_mark;
	int failures, shots;
	int checked, layout_problems; /* screens checked by ui_layout_check, problems found */
	size_t missing_seen;          /* glyphs missing from the font so far */
	int min_target;               /* the smallest button side met (README figures) */
	char min_target_id[48];
	int key_w, key_h;             /* a letter key of the guide keyboard */
	int press_phase;
	int target;
	char numbers[KAPP_N_STATES][40];
	int scan_fd;
};

static void pick_numbers(struct app *a, struct tour *t)
{
	char path[600];
	snprintf(path, sizeof path, "%s/cases.json", a->cfg.data_dir);
	char *text = kapp_read_file(path, NULL);
	cJSON *root = text ? cJSON_Parse(text) : NULL;
	free(text);
	const cJSON *c;
	cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "cases")) {
		const cJSON *st = cJSON_GetObjectItem(c, "state"), *n = cJSON_GetObjectItem(c, "number");
		int k = cJSON_IsString(st) ? kapp_state_from_key(st->valuestring) : -1;
		if (k >= 0 && cJSON_IsString(n) && !t->numbers[k][0])
			snprintf(t->numbers[k], sizeof t->numbers[k], "%s", n->valuestring);
	}
	cJSON_Delete(root);
}

struct tour *tour_new(struct app *a, const char *out)
{
	struct tour *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	snprintf(t->out, sizeof t->out, "%s/screens", out);
	if (kapp_mkdirs(t->out)) {
		fprintf(stderr, "tour: cannot create %s\n", t->out);
		free(t);
		return NULL;
	}
	pick_numbers(a, t);
	text_boxes_keep_text(a->ui.text, true); /* layout reports name the text (demo data) */
	const char *fifo = getenv("KIOSK_APP_TOUR_SCAN");
	t->scan_fd = fifo ? open(fifo, O_WRONLY | O_NONBLOCK) : -1;
	return t;
}

void tour_free(struct tour *t)
{
	if (!t)
		return;
	if (t->scan_fd >= 0)
		close(t->scan_fd);
	free(t);
}

static bool tap(struct app *a, const char *id)
{
	const struct ui_region *r = ui_find(&a->ui, id);
	if (!r || !r->enabled)
		return false;
	int x = r->r.x + r->r.w / 2, y = r->r.y + r->r.h / 2;
	uint32_t now = SDL_GetTicks();
	app_note_input(a);
	ui_pointer_down(&a->ui, x, y, now);
	ui_pointer_up(&a->ui, x, y, now + 60);
	a->dirty = true;
	return true;
}

static bool screen_is(struct app *a, const char *name)
{
	if (!strcmp(name, "idle"))
		return a->idle.warning;
	return !strcmp(screen_name(a->scr), name) && !a->s.busy;
}

static void next(struct tour *t, uint32_t now, int delay)
{
	t->pc++;
	t->step_start = now;
	t->next_at = now + (uint32_t)delay;
}

bool tour_step(struct app *a, struct tour *t, uint32_t now)
{
	if ((int32_t)(now - t->next_at) < 0 || a->dirty)
		return true; /* let the last action draw first */
	const struct step *s = &script[t->pc];
	char path[700];
	switch (s->op) {
	case SHOT:
		snprintf(path, sizeof path, "%s/%s.png", t->out, s->arg);
		if (shot_save(a->ren, a->ui.w, a->ui.h, path)) {
			fprintf(stderr, "tour: screenshot %s failed\n", path);
			t->failures++;
		} else {
			printf("tour: %s\n", path);
			t->shots++;
		}
		{
			/* the layout rules hold on every screen of the tour, in its mode */
			char report[4096];
			int bad = ui_layout_check(&a->ui, report, sizeof report);
			if (bad) {
				fprintf(stderr, "tour: %s (%s%s): %d layout problem(s):\n%s", s->arg,
					a->ui.w > a->ui.h ? "landscape" : "portrait",
					a->ui.large ? ", 大字" : "", bad, report);
				t->failures += bad;
				t->layout_problems += bad;
			}
			t->checked++;
			for (int i = 0; i < a->ui.n_last; i++) {
				const struct ui_region *g = &a->ui.last[i];
				int side = g->full.w < g->full.h ? g->full.w : g->full.h;
				if (g->button && (!t->min_target || side < t->min_target)) {
					t->min_target = side;
					snprintf(t->min_target_id, sizeof t->min_target_id, "%s", g->id);
				}
				if (!strcmp(g->id, "key-Q")) {
					t->key_w = g->full.w;
					t->key_h = g->full.h;
				}
			}
			size_t tofu = text_missing_glyphs(a->ui.text);
			if (tofu > t->missing_seen) { /* a box instead of a character */
				fprintf(stderr, "tour: %s: %zu character(s) missing from the font\n", s->arg,
					tofu - t->missing_seen);
				t->failures++;
				t->layout_problems++;
				t->missing_seen = tofu;
			}
		}
		next(t, now, 0);
		break;
	case TAP:
	case TAP_OPT:
		if (!tap(a, s->arg)) {
			if (now - t->step_start < 3000)
				return true; /* the widget may appear after the next frame */
			fprintf(stderr, "tour: no enabled '%s' on screen %s\n", s->arg, screen_name(a->scr));
			t->failures += s->op == TAP;
		}
		next(t, now, 250);
		break;
	case WAIT_SCREEN:
		if (screen_is(a, s->arg)) {
			next(t, now, 300);
		} else if (now - t->step_start > (uint32_t)s->timeout_ms) {
			fprintf(stderr, "tour: screen %s did not come (on %s)\n", s->arg, screen_name(a->scr));
			t->failures++;
			next(t, now, 0);
		}
		break;
	case MARK_PRINTS:
		t->prints_mark = a->dev.prints_ok + a->dev.prints_failed;
		next(t, now, 0);
		break;
	case WAIT_PRINT:
		if (a->dev.prints_ok + a->dev.prints_failed > t->prints_mark) {
			if (a->dev.prints_ok <= t->prints_mark - 0 && a->dev.prints_failed)
				t->failures++;
			next(t, now, 500);
		} else if (now - t->step_start > (uint32_t)s->timeout_ms) {
			fprintf(stderr, "tour: print did not complete\n");
			t->failures++;
			next(t, now, 0);
		}
		break;
	case TYPE_NUMBER: {
		int k = kapp_state_from_key(s->arg);
		const char *n = k >= 0 ? t->numbers[k] : "";
		for (const char *p = n; *p; p++) {
			char id[16];
			snprintf(id, sizeof id, "num-%c", *p);
			if (!tap(a, id))
				t->failures++;
			app_draw(a); /* each tap is claimed by the frame that follows it */
		}
		next(t, now, 200);
		break;
	}
	case SCAN: {
		int k = kapp_state_from_key(s->arg);
		char line[400];
		snprintf(line, sizeof line, "%s%s\n", a->cfg.case_url, k >= 0 ? t->numbers[k] : "");
		if (t->scan_fd < 0 || write(t->scan_fd, line, strlen(line)) < 0) {
			fprintf(stderr, "tour: no scanner feed ($KIOSK_APP_TOUR_SCAN): looking the number up directly\n");
			app_on_scan(a, line);
		}
		next(t, now, 200);
		break;
	}
	case SCAN_TEXT: {
		char line[400];
		snprintf(line, sizeof line, "%s\n", s->arg);
		if (t->scan_fd < 0 || write(t->scan_fd, line, strlen(line)) < 0)
			app_on_scan(a, line);
		next(t, now, 200);
		break;
	}
	case DRAG: {
		const struct ui_region *r = ui_find(&a->ui, s->arg);
		if (r) {
			int x = r->r.x + r->r.w / 2, y0 = r->r.y + r->r.h * 3 / 4;
			uint32_t tt = now;
			ui_pointer_down(&a->ui, x, y0, tt);
			for (int i = 1; i <= 10; i++)
				ui_pointer_move(&a->ui, x, y0 - i * 60, tt + (uint32_t)i * 16);
			ui_pointer_up(&a->ui, x, y0 - 600, tt + 170);
			a->dirty = true;
		}
		next(t, now, 1500); /* the fling settles */
		break;
	}
	case PRESS_CORNER:
		if (t->press_phase == 0) {
			ui_pointer_down(&a->ui, 60, 40, now);
			t->press_phase = 1;
			t->next_at = now + 100;
		} else if (a->scr == SCR_PIN || now - t->step_start > 5000) {
			a->ui.down = false;
			t->press_phase = 0;
			next(t, now, 200);
		}
		break;
	case TAP_TARGETS:
		if (a->calib_step >= 5) {
			next(t, now, 200);
			break;
		}
		{
			/* a slightly skewed panel: raw = 0.98·screen + 6 px */
			int x = (int)(a->calib_targets[a->calib_step][0] * 0.98 + 6);
			int y = (int)(a->calib_targets[a->calib_step][1] * 0.98 + 6);
			a->calib_raw[a->calib_step][0] = (double)x / a->ui.w;
			a->calib_raw[a->calib_step][1] = (double)y / a->ui.h;
			ui_pointer_down(&a->ui, x, y, now);
			ui_pointer_up(&a->ui, x, y, now + 50);
			a->dirty = true;
			t->next_at = now + 150;
		}
		break;
	case SLEEP:
		next(t, now, s->timeout_ms);
		break;
	case CARD_ON:
		if (a->dev.reader)
			kiosk_idcard_watch(a->dev.reader, 300, true);
		next(t, now, 0);
		break;
	case SET_ATTRACT:
		a->cfg.attract_s = 2;
		next(t, now, 0);
		break;
	case END:
		printf("tour: %d screenshots in %s, %d screens layout-checked (%s%s), %d layout problem(s), "
		       "%d problem(s) in all\n",
		       t->shots, t->out, t->checked, a->ui.w > a->ui.h ? "landscape" : "portrait",
		       a->ui.large ? ", 大字" : "", t->layout_problems, t->failures);
		printf("tour: smallest button side %d px (%s); letter keys %d×%d px\n", t->min_target,
		       t->min_target_id, t->key_w, t->key_h);
		if (t->failures)
			exit(3);
		return false;
	}
	return true;
}
