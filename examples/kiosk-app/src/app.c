/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* app.c — navigation, chrome, idle reset and privacy wipe, async backend calls. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "app.h"

static const char *const names[SCR_COUNT] = {
	"home", "guides", "guide", "progress", "cases", "case", "reprint",
	"rating", "pin", "maint", "calib", "attract"};

const char *screen_name(enum screen s)
{
	return (unsigned)s < SCR_COUNT ? names[s] : "?";
}

/* ---- navigation --------------------------------------------------------- */

void app_go(struct app *a, enum screen s)
{
	if (s == a->scr)
		return;
	if (getenv("KIOSK_APP_TRACE"))
		fprintf(stderr, "kiosk-app: %s → %s (tap %s)\n", screen_name(a->scr), screen_name(s), a->ui.tapped_id);
	if (a->n_prev == 8)
		memmove(a->prev, a->prev + 1, sizeof a->prev[0] * 7), a->n_prev--;
	if (a->scr != SCR_PIN && a->scr != SCR_ATTRACT)
		a->prev[a->n_prev++] = a->scr;
	a->scr = s;
	a->s.message[0] = 0;
	ui_scroll_reset(&a->ui);
	a->dirty = true;
	static const char *const prompts[SCR_COUNT] = {
		"欢迎使用自助服务终端，请选择要办理的业务",
		"请输入事项名称或拼音首字母，也可以按部门查找",
		"这是办事指南详情，可以打印材料清单",
		"请输入办件编号，或扫描回执二维码，或放置身份证",
		"这是您本人的办件列表",
		"这是办件进度详情",
		"请将身份证放在读卡区，核验后可补打受理回执",
		"请对本次服务进行评价，也可以跳过",
		NULL, NULL, NULL, NULL};
	if (prompts[s])
		app_say(a, prompts[s]);
	app_dump_state(a);
}

void app_back(struct app *a)
{
	enum screen s = SCR_HOME;
	while (a->n_prev > 0) {
		s = a->prev[--a->n_prev];
		if (s != a->scr)
			break;
	}
	if (getenv("KIOSK_APP_TRACE"))
		fprintf(stderr, "kiosk-app: back %s → %s\n", screen_name(a->scr), screen_name(s));
	if (s == SCR_HOME) {
		app_home(a);
		return;
	}
	a->scr = s;
	a->s.message[0] = 0;
	ui_scroll_reset(&a->ui);
	a->dirty = true;
	app_dump_state(a);
}

void app_wipe_session(struct app *a)
{
	struct session *s = &a->s;
	if (s->cur_owned)
		kapp_case_free(s->cur);
	kapp_case_list_free(s->cases, s->n_cases);
	kapp_wipe(s, sizeof *s); /* every field: query, numbers, masks, PIN digits */
	s->guide = -1;
	a->async_gen++;          /* answers to requests of the old session are dropped */
	a->n_hits = 0;
	a->hits_query[0] = 0;
	kapp_wipe(a->hits, sizeof a->hits);
}

bool app_has_personal_data(const struct app *a)
{
	const struct session *s = &a->s;
	return s->n_cases || s->cur || s->holder_name[0] || s->holder_id[0] || s->number[0] ||
	       s->verify_case[0] || s->rate_case[0] || s->pin[0];
}

void app_home(struct app *a)
{
	if (getenv("KIOSK_APP_TRACE"))
		fprintf(stderr, "kiosk-app: home from %s (nav %d, idle warning %d)\n", screen_name(a->scr), a->nav,
			a->idle.warning);
	app_wipe_session(a);
	a->n_prev = 0;
	a->scr = SCR_HOME;
	a->idle.warning = false;
	ui_scroll_reset(&a->ui);
	a->dirty = true;
	app_dump_state(a);
}

void app_end_session(struct app *a)
{
	/* the next visitor starts as configured: 大字 and voice chosen by this one end too */
	if (a->ui.large != a->cfg.large_text) {
		a->ui.large = a->cfg.large_text;
		ui_scroll_reset(&a->ui);
	}
	a->voice = a->audio;
	app_home(a);
}

void app_message(struct app *a, int kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->s.message, sizeof a->s.message, fmt, ap);
	va_end(ap);
	a->s.message_kind = kind;
	/* long enough to read twice at a slow pace, then it goes by itself */
	uint32_t ms = (kind == 1 || kind == 2 ? 6000u : 4000u) + 250u * (uint32_t)kapp_utf8_len(a->s.message);
	a->s.message_until = SDL_GetTicks() + (ms > 15000u ? 15000u : ms);
	a->dirty = true;
	app_say(a, a->s.message);
	app_dump_state(a);
}

void app_say(struct app *a, const char *text)
{
	if (a->voice && a->audio && !a->tour)
		tts_say(text);
}

bool app_pin_ok(const struct app *a, const char *pin)
{
	/* no default PIN: without pin_hash maintenance cannot be opened */
	return a->cfg.pin_hash[0] && kapp_pin_check(pin, a->cfg.pin_hash);
}

static uint32_t tap_p99_ms(const struct app *a)
{
	if (!a->tap_lat_n)
		return 0;
	uint64_t want = a->tap_lat_n - a->tap_lat_n / 100, seen = 0;
	for (uint32_t i = 0; i < 256; i++) {
		seen += a->tap_lat_hist[i];
		if (seen >= want)
			return i;
	}
	return 255;
}

void app_note_input(struct app *a)
{
	a->idle.last_input = SDL_GetTicks();
	if (a->idle.warning) {
		a->idle.warning = false;
		a->dirty = true;
	}
	if (a->dev.ctx)
		kiosk_input_note_activity(a->dev.ctx);
}

/* ---- chrome ------------------------------------------------------------------ */

int app_content_top(const struct app *a)
{
	return a->ui.large ? 150 : 130;
}

int app_content_bottom(const struct app *a)
{
	return a->ui.h - (a->ui.large ? 170 : 150);
}

/* The device states as three units, joined with a break only between units
 * (a newline where the next one would not fit): never a break mid-word. */
static void device_line(struct app *a, int size, int width, char *buf, size_t len)
{
	char u[3][200];
	if (!a->dev.printer)
		snprintf(u[0], sizeof u[0], "打印机：未连接");
	else
		snprintf(u[0], sizeof u[0], "打印机：%s", a->dev.printer_msg[0] ? a->dev.printer_msg : "正常");
	snprintf(u[1], sizeof u[1], "读卡器：%s", a->dev.reader ? dev_state_text(a->dev.reader_state) : "未连接");
	snprintf(u[2], sizeof u[2], "扫码器：%s", a->dev.scanner ? dev_state_text(a->dev.scanner_state) : "未连接");
	size_t used = 0;
	int line_w = 0, gap = text_width(a->ui.text, size, "　");
	buf[0] = 0;
	for (int i = 0; i < 3; i++) {
		int w = text_width(a->ui.text, size, u[i]);
		const char *sep = "";
		if (i)
			sep = line_w + gap + w <= width ? "　" : "\n";
		line_w = *sep == '\n' || !i ? w : line_w + gap + w;
		int n = snprintf(buf + used, len - used, "%s%s", sep, u[i]);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

void app_chrome(struct app *a, const char *title)
{
	struct ui *ui = &a->ui;
	int top = app_content_top(a), bottom = app_content_bottom(a);
	ui_fill(ui, (SDL_Rect){0, 0, ui->w, top}, C_BAR);
	int bw = ui->large ? 230 : 200, bh = top - 30;
	int right = ui->w - 20;
	if (a->audio) {
		right -= bw;
		if (ui_button(ui, "voice", (SDL_Rect){right, 15, bw, bh},
			      a->voice ? "语音：开" : "语音：关",
			      a->voice ? BTN_SELECTED : BTN_SECONDARY, true)) {
			a->voice = !a->voice;
			a->dirty = true;
		}
		right -= 16;
	}
	right -= bw;
	if (ui_button(ui, "large", (SDL_Rect){right, 15, bw, bh},
		      ui->large ? "大字：开" : "大字：关", ui->large ? BTN_SELECTED : BTN_SECONDARY, true)) {
		ui->large = !ui->large;
		ui_scroll_reset(ui);
		a->dirty = true;
		app_dump_state(a);
	}
	int ts = ui_title(ui);
	a->title_right = right - 20;
	text_draw(ui->text, 30, (top - text_line_height(ts)) / 2, right - 50, ts, C_WHITE, TEXT_BOLD,
		  title, true, 1);
	/* bottom bar */
	ui_fill(ui, (SDL_Rect){0, bottom, ui->w, ui->h - bottom}, C_BAR);
	int h = ui->h - bottom - 50;
	if (a->scr != SCR_HOME && a->scr != SCR_ATTRACT) {
		/* deferred to the end of the frame: the screen still uses its data */
		if (ui_button(ui, "back", (SDL_Rect){20, bottom + 12, 240, h}, "◀ 返回", BTN_SECONDARY, true))
			a->nav = 1;
		if (ui_button(ui, "home", (SDL_Rect){280, bottom + 12, 240, h}, "首页", BTN_SECONDARY, true))
			a->nav = 2;
	}
	char line[700];
	int ss = ui_small(ui);
	int x = a->scr != SCR_HOME ? 540 : 30;
	device_line(a, ss, ui->w - x - 20, line, sizeof line);
	text_draw(ui->text, x, bottom + 12, ui->w - x - 20, ss, C_WHITE, 0, line, true, 2);
	char note[80];
	app_catalog_note(a, note, sizeof note); /* quiet: the catalog is the on-disk copy */
	if (note[0] && (a->scr == SCR_GUIDES || a->scr == SCR_GUIDE))
		text_draw(ui->text, x, ui->h - text_line_height(ss) - 2, ui->w / 2 - x, ss, 0xD8DEE6, 0, note,
			  true, 1);
	text_draw(ui->text, 0, ui->h - text_line_height(ss) - 2, ui->w - 20, ss, 0xD8DEE6, TEXT_RIGHT,
		  a->cfg.hall_name[0] ? a->cfg.hall_name
				      : (a->cat && a->cat->hall_name[0] ? a->cat->hall_name : "政务服务中心"),
		  true, 1);
}

/* Messages show in the top bar, over the title and left of its buttons:
 * never over a live control, so they block no tap, and they have no tap
 * target of their own; they go by themselves (app_tick). */
static void draw_message(struct app *a)
{
	struct ui *ui = &a->ui;
	a->message_rect = (SDL_Rect){0, 0, 0, 0};
	if (!a->s.message[0] && !a->s.busy)
		return;
	const char *msg = a->s.busy ? a->s.busy_text : a->s.message;
	int kind = a->s.busy ? 3 : a->s.message_kind;
	int bar = app_content_top(a), x = 12, y = 10;
	int w = (a->title_right > 0 ? a->title_right : ui->w - 20) - x, h = bar - 20;
	static const uint32_t col[] = {C_OK, C_ACCENT, C_DANGER, C_PRIMARY};
	static const char *const sym[] = {"✓", "▲", "×", "●"};
	int size = ui_body(ui), sw = size + 24;
	/* two lines at most: a smaller size before a cut */
	while (size > 24 && text_draw(ui->text, 0, 0, w - sw - 30, size, C_TEXT, 0, msg, false, 0) >
				    2 * text_line_height(size))
		size -= 2;
	int th = text_draw(ui->text, 0, 0, w - sw - 30, size, C_TEXT, 0, msg, false, 2);
	a->message_rect = (SDL_Rect){x, y, w, h};
	ui_fill(ui, (SDL_Rect){x, y, w, h}, C_WHITE);
	ui_fill(ui, (SDL_Rect){x, y, 12, h}, col[kind & 3]);
	ui_frame(ui, (SDL_Rect){x, y, w, h}, col[kind & 3], 3);
	text_draw(ui->text, x + 20, y + (h - text_line_height(size)) / 2, sw, size, col[kind & 3], TEXT_BOLD,
		  sym[kind & 3], true, 1);
	text_draw(ui->text, x + 20 + sw, y + (h - th) / 2, w - sw - 30, size, C_TEXT, 0, msg, true, 2);
}

static void draw_idle(struct app *a, uint32_t now)
{
	struct ui *ui = &a->ui;
	int left = a->cfg.idle_countdown_s - (int)((now - a->idle.warn_start) / 1000);
	if (left < 0)
		left = 0;
	/* dim the screen behind the dialog */
	SDL_SetRenderDrawBlendMode(a->ren, SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(a->ren, 0, 0, 0, 150);
	SDL_RenderFillRect(a->ren, NULL);
	SDL_SetRenderDrawBlendMode(a->ren, SDL_BLENDMODE_NONE);
	int w = ui->w - 120, h = ui->large ? 760 : 660, x = 60, y = (ui->h - h) / 2;
	ui->n_regions = 0; /* the dialog is modal */
	text_boxes_reset(ui->text);
	ui_fill(ui, (SDL_Rect){x, y, w, h}, C_WHITE);
	ui_frame(ui, (SDL_Rect){x, y, w, h}, C_ACCENT, 6);
	int t = ui_title(ui), b = ui_body(ui);
	int yy = y + 40;
	yy += text_draw(ui->text, x + 40, yy, w - 80, t, C_TEXT, TEXT_BOLD | TEXT_CENTER,
			"您还在操作吗？", true, 0) + 20;
	char num[16];
	snprintf(num, sizeof num, "%d", left);
	yy += text_draw(ui->text, x + 40, yy, w - 80, t * 2, C_ACCENT, TEXT_BOLD | TEXT_CENTER, num, true, 0);
	char msg[200];
	snprintf(msg, sizeof msg, "%d 秒后将返回首页，并清除本次查询的个人信息。", left);
	yy += text_draw(ui->text, x + 40, yy, w - 80, b, C_TEXT, TEXT_CENTER, msg, true, 0) + 30;
	int bw = (w - 120) / 2, bh = ui_button_h(ui) + 10;
	if (ui_button(ui, "idle-continue", (SDL_Rect){x + 40, y + h - bh - 40, bw, bh}, "继续操作",
		      BTN_PRIMARY, true))
		app_note_input(a);
	if (ui_button(ui, "idle-home", (SDL_Rect){x + 80 + bw, y + h - bh - 40, bw, bh}, "返回首页",
		      BTN_SECONDARY, true))
		app_end_session(a);
}

void app_draw(struct app *a)
{
	struct ui *ui = &a->ui;
	uint32_t now = SDL_GetTicks();
	a->dirty = false; /* what the screens change while drawing marks it dirty again */
	ui_begin(ui);
	a->banner_shown = false;
	SDL_SetRenderDrawColor(a->ren, (C_BG >> 16) & 255, (C_BG >> 8) & 255, C_BG & 255, 255);
	SDL_RenderClear(a->ren);
	switch (a->scr) {
	case SCR_HOME: scr_home(a); break;
	case SCR_GUIDES: scr_guides(a); break;
	case SCR_GUIDE: scr_guide(a); break;
	case SCR_PROGRESS: scr_progress(a); break;
	case SCR_CASES: scr_cases(a); break;
	case SCR_CASE: scr_case(a); break;
	case SCR_REPRINT: scr_reprint(a); break;
	case SCR_RATING: scr_rating(a); break;
	case SCR_PIN: scr_pin(a); break;
	case SCR_MAINT: scr_maint(a); break;
	case SCR_CALIB: scr_calib(a); break;
	case SCR_ATTRACT: scr_attract(a); break;
	default: break;
	}
	ui_clip(ui, NULL);
	if (a->nav) {
		int nav = a->nav;
		a->nav = 0;
		if (nav == 1)
			app_back(a);
		else
			app_home(a);
	}
	if (a->scr != SCR_ATTRACT && a->scr != SCR_CALIB)
		draw_message(a);
	else
		a->message_rect = (SDL_Rect){0, 0, 0, 0};
	if (a->idle.warning)
		draw_idle(a, now);
	ui_end(ui);
	if (ui->fired) {
		ui->fired = false;
		a->dirty = true;
	}
	SDL_RenderPresent(a->ren);
	a->frames++;
	app_dump_state(a); /* only when KIOSK_APP_STATE is set (tests) */
	if (a->layout_path) {
		char tmp[600];
		snprintf(tmp, sizeof tmp, "%.590s.tmp", a->layout_path);
		FILE *f = fopen(tmp, "w");
		if (f) {
			fprintf(f, "{\"screen\":\"%s\",\"frame\":%llu,\"regions\":[", screen_name(a->scr),
				(unsigned long long)a->frames);
			for (int i = 0; i < ui->n_last; i++)
				fprintf(f, "%s{\"id\":\"%s\",\"x\":%d,\"y\":%d,\"w\":%d,\"h\":%d,\"enabled\":%s}",
					i ? "," : "", ui->last[i].id, ui->last[i].r.x, ui->last[i].r.y,
					ui->last[i].r.w, ui->last[i].r.h, ui->last[i].enabled ? "true" : "false");
			fprintf(f, "],\"message\":{\"x\":%d,\"y\":%d,\"w\":%d,\"h\":%d}}\n",
				a->message_rect.x, a->message_rect.y, a->message_rect.w, a->message_rect.h);
			fclose(f);
			rename(tmp, a->layout_path); /* readers never see half a file */
		}
	}
}

/* The message shown, when it is one of the fixed public texts the tests look
 * for (never free text that could hold personal data). */
static const char *text_key(const struct app *a)
{
	static const char *const known[] = {"读卡未完成，请重新放置身份证", "PIN 不正确", "维护已锁定",
					    "未设置维护 PIN", "校准未确认", "打印完成"};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strstr(a->s.message, known[i]))
			return known[i];
	return "";
}

void app_dump_state(struct app *a)
{
	if (!a->state_path)
		return;
	char tmp[600];
	snprintf(tmp, sizeof tmp, "%s.tmp", a->state_path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return;
	/* flags only: the state file never holds personal data (the banner is the hall's notice) */
	cJSON *b = cJSON_CreateString(a->cfg.banner);
	char *banner = b ? cJSON_PrintUnformatted(b) : NULL;
	cJSON_Delete(b);
	fprintf(f, "{\"screen\":\"%s\",\"personal\":%s,\"cases\":%zu,\"case_loaded\":%s,"
		   "\"large\":%s,\"idle_warning\":%s,\"busy\":%s,\"prints_ok\":%llu,\"prints_failed\":%llu,"
		   "\"message\":\"%s\",\"hits\":%zu,\"printer\":\"%s\",\"missing_glyphs\":%zu,"
		   "\"number_digits\":%zu,\"rating_step\":\"%s\",\"confirm_exit\":%s,"
		   "\"catalog\":\"%s\",\"guides\":%zu,\"pin_locked_s\":%ld,\"pin_fails\":%d,\"calib\":\"%s\","
		   "\"glyphs\":%zu,\"glyph_bytes\":%zu,\"taps\":%llu,\"tap_p99_ms\":%u,\"text\":\"%s\","
		   "\"banner\":%s,\"banner_shown\":%s,\"idle_warn_s\":%d,\"idle_countdown_s\":%d,"
		   "\"attract_s\":%d,\"fleet\":\"%s\"}\n",
		screen_name(a->scr), app_has_personal_data(a) ? "true" : "false", a->s.n_cases,
		a->s.cur ? "true" : "false", a->ui.large ? "true" : "false",
		a->idle.warning ? "true" : "false", a->s.busy ? "true" : "false",
		(unsigned long long)a->dev.prints_ok, (unsigned long long)a->dev.prints_failed,
		a->s.message_kind >= 1 && a->s.message[0] ? "problem" : (a->s.message[0] ? "info" : ""),
		a->n_hits, a->dev.printer ? a->dev.printer_msg : "none",
		a->ui.text ? text_missing_glyphs(a->ui.text) : 0, strlen(a->s.number),
		a->scr != SCR_RATING ? "" : a->s.rate_level ? "reasons" : "levels",
		a->s.confirm_exit ? "true" : "false",
		!a->cat ? "none" : a->catalog_cached ? "cache" : "live", a->cat ? a->cat->n : 0,
		kapp_pin_lock_remaining(&a->pin_lock, (int64_t)time(NULL)), a->pin_lock.fails,
		a->calib_result ? a->calib_result : "", a->ui.text ? text_cached_glyphs(a->ui.text) : 0,
		a->ui.text ? text_cached_bytes(a->ui.text) : 0, (unsigned long long)a->tap_lat_n, tap_p99_ms(a),
		text_key(a), banner ? banner : "\"\"", a->banner_shown ? "true" : "false", a->cfg.idle_warn_s,
		a->cfg.idle_countdown_s, a->cfg.attract_s, app_fleet_status(a));
	cJSON_free(banner);
	fclose(f);
	rename(tmp, a->state_path);
}

/* The hall's notice (cfg.banner, from the configuration or sent by staff through
 * the fleet; at most KAPP_BANNER_MAX_CHARS, so never more than three lines): a
 * framed strip at *y, which moves below it. */
void app_banner(struct app *a, int x, int *y, int w, bool on_dark)
{
	struct ui *ui = &a->ui;
	if (!a->cfg.banner[0])
		return;
	int size = ui_body(ui), pad = 18;
	int th = text_draw(ui->text, 0, 0, w - 2 * pad - 10, size, C_TEXT, TEXT_BOLD, a->cfg.banner, false, 0);
	SDL_Rect r = {x, *y, w, th + 2 * pad};
	ui_fill(ui, r, on_dark ? 0xFFE08Au : 0xFFF4D6u);
	ui_fill(ui, (SDL_Rect){x, *y, 10, r.h}, C_ACCENT);
	text_draw(ui->text, x + 10 + pad, *y + pad, w - 2 * pad - 10, size, C_TEXT, TEXT_BOLD, a->cfg.banner,
		  true, 0);
	*y += r.h;
	a->banner_shown = true;
}

/* ---- idle ------------------------------------------------------------------------ */

void app_tick(struct app *a, uint32_t now)
{
	if (app_fleet_changed(a)) { /* the maintenance page and the state file show the link */
		a->dirty = true;
		app_dump_state(a);
	}
	if (a->s.message[0] && (int32_t)(now - a->s.message_until) >= 0) {
		a->s.message[0] = 0;
		a->dirty = true;
		app_dump_state(a);
	}
	uint32_t idle = now - a->idle.last_input;
	bool active_screen = a->scr != SCR_HOME && a->scr != SCR_ATTRACT;
	if (!a->idle.warning && (active_screen || app_has_personal_data(a)) &&
	    a->scr != SCR_CALIB && idle >= (uint32_t)a->cfg.idle_warn_s * 1000u && !a->s.busy) {
		a->idle.warning = true;
		a->idle.warn_start = now;
		if (getenv("KIOSK_APP_TRACE"))
			fprintf(stderr, "kiosk-app: idle warning after %u ms\n", (unsigned)idle);
		a->dirty = true;
		app_say(a, "您还在操作吗？如需继续，请点击继续操作");
		app_dump_state(a);
	}
	if (a->idle.warning) {
		if (now - a->idle.warn_start >= (uint32_t)a->cfg.idle_countdown_s * 1000u) {
			app_end_session(a);
			a->idle.last_input = now;
		} else {
			a->dirty = true; /* the countdown ticks: one frame per second */
		}
	}
	if (a->scr == SCR_HOME && !app_has_personal_data(a) &&
	    idle >= (uint32_t)a->cfg.attract_s * 1000u) {
		a->scr = SCR_ATTRACT;
		a->dirty = true;
		app_dump_state(a);
	}
	if (a->scr == SCR_ATTRACT && (now / 6000) != ((now - 16) / 6000))
		a->dirty = true; /* the attract screen changes its line every 6 s */
	calib_tick(a, now);
	if (a->scr == SCR_PIN && a->pin_lock.until) { /* the lock's countdown */
		if (!kapp_pin_lock_remaining(&a->pin_lock, (int64_t)time(NULL)))
			a->pin_lock.until = 0; /* unlocked (the count of wrong PINs stays) */
		a->dirty = true;
	}
	/* long press (3 s) on the hidden corner of the home screen opens the PIN pad */
	if (a->scr == SCR_HOME && a->ui.down && !a->ui.dragging && a->ui.down_x < 200 &&
	    a->ui.down_y < app_content_top(a) && now - a->ui.down_ms >= 3000) {
		a->ui.down = false;
		app_go(a, SCR_PIN);
	}
}

uint32_t app_next_wakeup(struct app *a, uint32_t now)
{
	if (a->ui.animating || a->s.busy)
		return 16;
	if (a->scr == SCR_HOME && a->ui.down && a->ui.down_x < 200)
		return 100;
	if (a->scr == SCR_CALIB || (a->scr == SCR_PIN && a->pin_lock.until))
		return 250; /* countdowns on screen */
	if (a->idle.warning)
		return 1000 - (now - a->idle.warn_start) % 1000;
	uint32_t idle = now - a->idle.last_input;
	uint32_t next = 5000;

	bool active_screen = a->scr != SCR_HOME && a->scr != SCR_ATTRACT;
	if (active_screen || app_has_personal_data(a)) {
		uint32_t due = (uint32_t)a->cfg.idle_warn_s * 1000u;
		next = due > idle ? due - idle : 0;
	} else if (a->scr == SCR_HOME) {
		uint32_t due = (uint32_t)a->cfg.attract_s * 1000u;
		next = due > idle ? due - idle : 0;
	} else if (a->scr == SCR_ATTRACT) {
		next = 6000 - now % 6000;
	}
	if (a->s.message[0] && (int32_t)(a->s.message_until - now) < (int32_t)next)
		next = (int32_t)(a->s.message_until - now) > 0 ? a->s.message_until - now : 0;
	return next > 5000 ? 5000 : next;
}

/* ---- search ------------------------------------------------------------------------ */

void app_run_search(struct app *a)
{
	if (!a->search)
		return;
	char key[240];
	snprintf(key, sizeof key, "%s|%s|%s", a->s.query, a->s.dept, a->s.theme);
	if (!strcmp(key, a->hits_query))
		return;
	size_t max = sizeof a->hits / sizeof a->hits[0];
	a->n_popular = 0;
	if (!a->s.query[0] && !a->s.dept[0] && !a->s.theme[0] && a->cat) {
		/* before anything is typed: the hall's popular services first, then the rest */
		size_t np = kapp_catalog_popular(a->cat, a->hits, max);
		size_t n = np;
		for (size_t i = 0; i < a->cat->n && n < max; i++)
			if (!a->cat->guides[i].popular)
				a->hits[n++] = (uint32_t)i;
		a->n_hits = n;
		a->n_popular = np;
		a->total_hits = a->cat->n;
	} else {
		a->n_hits = kapp_search_run(a->search, a->s.query, a->s.dept, a->s.theme, a->hits, max,
					    &a->total_hits);
	}
	snprintf(a->hits_query, sizeof a->hits_query, "%s", key);
}

/* ---- async backend calls -------------------------------------------------------------- */

enum req_type { REQ_NUMBER, REQ_HOLDER };

struct req {
	enum req_type type;
	uint32_t gen;
	bool verify_only;
	struct kapp_backend *backend;
	char number[40];
	char id[40];
	int rc;
	char err[200];
	struct kapp_case *c;
	struct kapp_case **v;
	size_t n;
};

static int req_thread(void *p)
{
	struct req *r = p;
	if (r->type == REQ_NUMBER)
		r->rc = r->backend->case_by_number(r->backend, r->number, &r->c, r->err, sizeof r->err);
	else
		r->rc = r->backend->cases_by_holder(r->backend, r->id, &r->v, &r->n, r->err, sizeof r->err);
	kapp_wipe(r->id, sizeof r->id);
	SDL_Event ev = {0};
	ev.type = SDL_USEREVENT;
	ev.user.code = EV_ASYNC;
	ev.user.data1 = r;
	SDL_PushEvent(&ev);
	return 0;
}

static void start(struct app *a, struct req *r, const char *busy)
{
	r->gen = a->async_gen;
	r->backend = a->backend;
	a->s.busy = true;
	snprintf(a->s.busy_text, sizeof a->s.busy_text, "%s", busy);
	a->s.message[0] = 0;
	a->dirty = true;
	SDL_Thread *t = SDL_CreateThread(req_thread, "kapp-req", r);
	if (!t) {
		a->s.busy = false;
		kapp_wipe(r, sizeof *r);
		free(r);
		app_message(a, 2, "系统繁忙，请稍后再试");
		return;
	}
	SDL_DetachThread(t);
	app_dump_state(a);
}

void async_case_by_number(struct app *a, const char *number)
{
	if (a->s.busy || !a->backend)
		return;
	struct req *r = calloc(1, sizeof *r);
	if (!r)
		return;
	r->type = REQ_NUMBER;
	snprintf(r->number, sizeof r->number, "%s", number);
	start(a, r, "正在查询，请稍候…");
}

void async_cases_by_holder(struct app *a, const char *id_number, bool verify_only)
{
	if (a->s.busy || !a->backend)
		return;
	struct req *r = calloc(1, sizeof *r);
	if (!r)
		return;
	r->type = REQ_HOLDER;
	r->verify_only = verify_only;
	snprintf(r->id, sizeof r->id, "%s", id_number);
	start(a, r, verify_only ? "正在核验身份，请稍候…" : "正在查询您的办件，请稍候…");
}

static void offline(struct app *a, const char *err)
{
	dev_error(a, "后台服务暂时连不上（详情在运行日志里）");
	fprintf(stderr, "kiosk-app: backend: %s\n", err);
	app_message(a, 2, "系统暂时无法连接，请稍后再试，或到服务窗口咨询。");
}

void app_on_async(struct app *a, void *p)
{
	struct req *r = p;
	if (r->gen != a->async_gen) { /* an older session's answer: drop it, wiped */
		kapp_case_free(r->c);
		kapp_case_list_free(r->v, r->n);
		kapp_wipe(r, sizeof *r);
		free(r);
		return;
	}
	a->s.busy = false;
	a->dirty = true;
	if (r->type == REQ_NUMBER) {
		if (r->rc == KAPP_OK && r->c) {
			if (a->s.cur_owned)
				kapp_case_free(a->s.cur);
			a->s.cur = r->c;
			a->s.cur_owned = true;
			r->c = NULL;
			app_go(a, SCR_CASE);
		} else if (r->rc == KAPP_NOT_FOUND) {
			app_message(a, 1, "没有找到办件编号 %s，请核对回执上的编号后重试。", r->number);
		} else {
			offline(a, r->err);
		}
	} else if (r->verify_only) {
		bool match = false;
		for (size_t i = 0; r->rc == KAPP_OK && i < r->n; i++)
			if (!strcmp(r->v[i]->number, a->s.verify_case))
				match = true;
		if (r->rc < 0) {
			offline(a, r->err);
		} else if (match) {
			a->s.holder_verified = true;
			if (a->s.cur && !strcmp(a->s.cur->number, a->s.verify_case)) {
				kiosk_receipt *rc = rcpt_acceptance(a, a->s.cur);
				if (rc) {
					dev_print(a, rc, PRINT_ACCEPTANCE, a->s.cur->number);
					kiosk_receipt_free(rc);
				}
			}
			a->s.verify_case[0] = 0;
		} else {
			a->s.verify_case[0] = 0;
			app_message(a, 1, "身份证与该办件的申请人不一致，不能补打回执。");
		}
		kapp_case_list_free(r->v, r->n);
		r->v = NULL;
	} else {
		if (r->rc == KAPP_OK) {
			kapp_case_list_free(a->s.cases, a->s.n_cases);
			a->s.cases = r->v;
			a->s.n_cases = r->n;
			r->v = NULL;
			if (a->s.cur && !a->s.cur_owned)
				a->s.cur = NULL;
			app_go(a, SCR_CASES);
		} else {
			offline(a, r->err);
		}
	}
	kapp_case_free(r->c);
	kapp_case_list_free(r->v, r->n);
	kapp_wipe(r, sizeof *r);
	free(r);
	app_dump_state(a);
}

/* ---- device input ------------------------------------------------------------------------ */

void app_lookup_number(struct app *a, const char *number)
{
	if (!kapp_case_number_valid(number)) {
		app_message(a, 1, "办件编号应为 14 位数字，请核对后重新输入。");
		return;
	}
	async_case_by_number(a, number);
}

void app_on_card(struct app *a, const kiosk_idcard *card)
{
	app_note_input(a);
	if (a->scr == SCR_PIN || a->scr == SCR_MAINT || a->scr == SCR_CALIB) {
		app_message(a, 0, "读卡测试：已读到一张身份证（%s）。",
			    kiosk_idcard_type_name(kiosk_idcard_get_type(card)));
		return;
	}
	const char *id = kiosk_idcard_get_id_number(card);
	if (!id || !*id) {
		app_message(a, 1, "未能读取身份证号码，请重新放置身份证。");
		return;
	}
	if (a->scr == SCR_ATTRACT)
		a->scr = SCR_HOME;
	/* the library's masks, as in the case store (韩*梅 / 1001**********0028) */
	kiosk_mask_name(kiosk_idcard_get_name(card), a->s.holder_name, sizeof a->s.holder_name);
	kiosk_mask_id_number(id, a->s.holder_id, sizeof a->s.holder_id);
	if (a->s.verify_case[0])
		async_cases_by_holder(a, id, true);
	else
		async_cases_by_holder(a, id, false);
	a->s.holder_verified = true;
	if (a->scr == SCR_REPRINT)
		a->s.reprint_mode = true;
}

void app_on_scan(struct app *a, const char *code)
{
	app_note_input(a);
	if (a->scr == SCR_PIN || a->scr == SCR_MAINT || a->scr == SCR_CALIB) {
		app_message(a, 0, "扫码测试：收到 %zu 个字符。", strlen(code));
		return;
	}
	/* only this hall's case QR (configured prefixes) or a bare case number:
	 * a payment link's phone number or another site's case is never looked up */
	char n[40], prefixes[800];
	snprintf(prefixes, sizeof prefixes, "%s %s", a->cfg.case_url, a->cfg.case_url_accept);
	if (!kapp_case_number_from_scan(code, prefixes, n, sizeof n)) {
		app_message(a, 1, "这不是本中心的办件二维码。请扫描受理回执上的二维码，或输入办件编号。");
		return;
	}
	if (a->scr == SCR_ATTRACT)
		a->scr = SCR_HOME;
	async_case_by_number(a, n);
}
