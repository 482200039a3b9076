/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * devices.c — every device through libkiosk; device events become UI actions.
 *
 * The UI thread never waits on a device: the reader and the scanner are
 * watched (events), prints are jobs completed by callback, printer status
 * comes from the library's background poll. A small thread only polls the
 * context fd and wakes the SDL loop with a user event; the loop then runs
 * kiosk_context_dispatch() on the UI thread.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "app.h"

const char *dev_state_text(enum dev_state s)
{
	switch (s) {
	case DEV_OK: return "正常";
	case DEV_WARN: return "注意";
	case DEV_ERROR: return "故障";
	default: return "未连接";
	}
}

const char *dev_error_words(int rc)
{
	switch (rc) {
	case KIOSK_E_TIMEOUT: return "没有响应";
	case KIOSK_E_NO_DEVICE: return "找不到设备或已拔出";
	case KIOSK_E_BUSY: return "设备正忙";
	case KIOSK_E_ACCESS: return "没有访问权限";
	case KIOSK_E_IO: case KIOSK_E_CLOSED: return "连接中断";
	case KIOSK_E_PROTOCOL: case KIOSK_E_CHECKSUM: return "通信出错";
	case KIOSK_E_NO_CARD: return "没有放卡";
	case KIOSK_E_CARD: return "读卡失败";
	case KIOSK_E_SAM: return "安全模块故障";
	case KIOSK_E_PAPER_OUT: return "纸张用完了";
	case KIOSK_E_COVER_OPEN: return "盖子没关好";
	case KIOSK_E_OFFLINE: return "离线";
	case KIOSK_E_CUTTER: return "切纸刀故障";
	case KIOSK_E_CANCELLED: return "已取消";
	case KIOSK_E_BAD_URI: case KIOSK_E_NOT_FOUND: return "配置的地址不对";
	case KIOSK_E_NOT_SUPPORTED: return "设备不支持此操作";
	default: return "出现故障";
	}
}

void dev_error(struct app *a, const char *fmt, ...)
{
	struct devices *d = &a->dev;
	char msg[180];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	char *slot = d->errors[d->err_head];
	snprintf(slot, sizeof d->errors[0], "%02d:%02d:%02d %s", tm.tm_hour, tm.tm_min, tm.tm_sec, msg);
	d->err_head = (d->err_head + 1) % 16;
	if (d->n_errors < 16)
		d->n_errors++;
	fprintf(stderr, "kiosk-app: %s\n", msg);
}

static int poll_thread(void *p)
{
	struct app *a = p;
	struct pollfd pfd = {kiosk_context_get_fd(a->dev.ctx), POLLIN, 0};
	while (!a->dev.stop) {
		int n = poll(&pfd, 1, 1000);
		if (n <= 0 || a->dev.stop)
			continue;
		SDL_Event ev = {0};
		ev.type = SDL_USEREVENT;
		ev.user.code = EV_KIOSK;
		SDL_PushEvent(&ev);
		/* wait until the UI thread has dispatched (the fd stays readable until then) */
		SDL_SemWaitTimeout(a->dev.dispatched, 1000);
	}
	return 0;
}

static void printer_words(struct app *a)
{
	struct devices *d = &a->dev;
	const struct kiosk_printer_status *st = &d->pst;
	if (!d->have_pst || !st->time_ms) {
		d->printer_state = DEV_OK;
		snprintf(d->printer_msg, sizeof d->printer_msg, "就绪");
		return;
	}
	if (st->paper == KIOSK_PAPER_OUT) {
		d->printer_state = DEV_ERROR;
		snprintf(d->printer_msg, sizeof d->printer_msg, "纸张用尽，请联系工作人员");
	} else if (st->cover_open == KIOSK_YES) {
		d->printer_state = DEV_ERROR;
		snprintf(d->printer_msg, sizeof d->printer_msg, "打印机盖未关好，请联系工作人员");
	} else if (st->online == KIOSK_NO) {
		d->printer_state = DEV_ERROR;
		snprintf(d->printer_msg, sizeof d->printer_msg, "打印机离线，请联系工作人员");
	} else if (st->cutter_error == KIOSK_YES || st->unrecoverable_error == KIOSK_YES) {
		d->printer_state = DEV_ERROR;
		snprintf(d->printer_msg, sizeof d->printer_msg, "打印机故障，请联系工作人员");
	} else if (st->paper == KIOSK_PAPER_NEAR_END) {
		d->printer_state = DEV_WARN;
		snprintf(d->printer_msg, sizeof d->printer_msg, "纸张即将用尽");
	} else if (st->paper == KIOSK_PAPER_UNKNOWN) {
		d->printer_state = DEV_WARN;
		snprintf(d->printer_msg, sizeof d->printer_msg, "状态未知");
	} else {
		d->printer_state = DEV_OK;
		snprintf(d->printer_msg, sizeof d->printer_msg, "正常");
	}
}

static void open_reader(struct app *a)
{
	struct devices *d = &a->dev;
	if (!a->cfg.idcard[0])
		return;
	if (kiosk_idcard_open(d->ctx, a->cfg.idcard, &d->reader)) {
		dev_error(a, "读卡器无法打开：%s", kiosk_context_last_error(d->ctx));
		fprintf(stderr, "kiosk-app: %s: %s\n", a->cfg.idcard, kiosk_context_last_error(d->ctx));
		d->reader = NULL;
		d->reader_state = DEV_ERROR;
		return;
	}
	if (!a->tour) /* the tour starts watching when its script places the card */
		kiosk_idcard_watch(d->reader, 300, true);
	d->reader_state = DEV_OK;
}

static void open_printer(struct app *a)
{
	struct devices *d = &a->dev;
	if (!a->cfg.printer[0])
		return;
	if (kiosk_printer_open(d->ctx, a->cfg.printer,
			       a->cfg.printer_profile[0] ? a->cfg.printer_profile : NULL, &d->printer)) {
		dev_error(a, "打印机无法打开：%s", kiosk_context_last_error(d->ctx));
		fprintf(stderr, "kiosk-app: %s: %s\n", a->cfg.printer, kiosk_context_last_error(d->ctx));
		d->printer = NULL;
		return;
	}
	kiosk_printer_set_paper_wait(d->printer, 5000);
	/* the poll also re-opens a lost link: printing comes back within ~2 s of the printer */
	kiosk_printer_set_status_poll(d->printer, 2000);
	d->printer_lost = false;
	d->pst.size = sizeof d->pst;
	d->have_pst = kiosk_printer_get_last_status(d->printer, &d->pst) == KIOSK_OK;
	printer_words(a);
}

static void open_scanner(struct app *a)
{
	struct devices *d = &a->dev;
	if (!a->cfg.scanner[0])
		return;
	if (kiosk_scanner_open(d->ctx, a->cfg.scanner, &d->scanner)) {
		dev_error(a, "扫码器无法打开：%s", kiosk_context_last_error(d->ctx));
		fprintf(stderr, "kiosk-app: %s: %s\n", a->cfg.scanner, kiosk_context_last_error(d->ctx));
		d->scanner = NULL;
		d->scanner_state = DEV_ERROR;
		return;
	}
	kiosk_scanner_watch(d->scanner, true);
	d->scanner_state = DEV_OK;
}

int dev_open_all(struct app *a)
{
	struct devices *d = &a->dev;
	int rc = kiosk_context_new(&d->ctx);
	if (rc) {
		fprintf(stderr, "kiosk-app: libkiosk context: %s\n", kiosk_strerror(rc));
		return rc;
	}
	open_reader(a);
	open_printer(a);
	open_scanner(a);
	if (a->cfg.touch[0] && strncmp(a->cfg.touch, "sdl", 3)) {
		rc = kiosk_touch_open(d->ctx, a->cfg.touch, &d->touch);
		if (rc) {
			dev_error(a, "触摸屏无法打开：%s（错误码 %d）", dev_error_words(rc), rc);
			fprintf(stderr, "kiosk-app: %s: %s\n", a->cfg.touch, kiosk_context_last_error(d->ctx));
			d->touch = NULL;
		} else {
			kiosk_touch_set_screen_size(d->touch, a->cfg.width, a->cfg.height);
		}
	}
	d->dispatched = SDL_CreateSemaphore(0);
	d->poll_thread = SDL_CreateThread(poll_thread, "kapp-kiosk", a);
	return KIOSK_OK;
}

/* Maintenance's reconnect button: the library drops and re-opens each open
 * device's link in the background (kiosk_device_reconnect()); a device that
 * could not be opened at start is opened now. The catalog is fetched again. */
void dev_reconnect(struct app *a)
{
	struct devices *d = &a->dev;
	if (!d->ctx)
		return;
	dev_error(a, "维护：正在重新连接全部设备");
	if (d->reader)
		kiosk_device_reconnect(kiosk_idcard_device(d->reader));
	else
		open_reader(a);
	if (d->printer)
		kiosk_device_reconnect(kiosk_printer_device(d->printer));
	else
		open_printer(a);
	if (d->scanner)
		kiosk_device_reconnect(kiosk_scanner_device(d->scanner));
	else
		open_scanner(a);
	app_fleet_add_devices(a);
	if (a->refresher)
		refresh_now(a->refresher);
	a->dirty = true;
	app_dump_state(a);
}

static void printer_link_lost(struct app *a, bool left, int err)
{
	struct devices *d = &a->dev;
	d->printer_lost = true;
	d->printer_state = DEV_ERROR;
	snprintf(d->printer_msg, sizeof d->printer_msg, "打印机%s，请联系工作人员", left ? "已断开" : "故障");
	dev_error(a, "打印机%s：%s（%s）", left ? "已断开" : "故障", dev_error_words(err),
		  kiosk_error_name(err));
}

/* The printer is back (its state went online): its last status says the rest. */
static void printer_back(struct app *a)
{
	struct devices *d = &a->dev;
	if (!d->printer_lost || !d->printer)
		return;
	d->printer_lost = false;
	d->pst.size = sizeof d->pst;
	d->have_pst = kiosk_printer_get_last_status(d->printer, &d->pst) == KIOSK_OK;
	printer_words(a);
	dev_error(a, "打印机已恢复：%s", d->printer_msg);
	a->dirty = true;
	app_dump_state(a);
}

/* A device's state changed (online / offline / unknown): the status bar and
 * what is enabled follow it at once. */
static void device_state(struct app *a, kiosk_device *src, const kiosk_event *ev)
{
	struct devices *d = &a->dev;
	enum kiosk_device_state st = kiosk_event_get_device_state(ev, NULL);
	int err = kiosk_event_get_error(ev);
	if (d->printer && src == kiosk_printer_device(d->printer)) {
		if (st == KIOSK_DEVICE_OFFLINE && !d->printer_lost)
			printer_link_lost(a, true, err);
		else if (st != KIOSK_DEVICE_OFFLINE)
			printer_back(a);
	} else if (d->reader && src == kiosk_idcard_device(d->reader)) {
		d->reader_state = st == KIOSK_DEVICE_OFFLINE ? DEV_ERROR : DEV_OK;
		if (st == KIOSK_DEVICE_OFFLINE)
			dev_error(a, "读卡器离线：%s（%s）", dev_error_words(err), kiosk_error_name(err));
	} else if (d->scanner && src == kiosk_scanner_device(d->scanner)) {
		d->scanner_state = st == KIOSK_DEVICE_OFFLINE ? DEV_ERROR : DEV_OK;
		if (st == KIOSK_DEVICE_OFFLINE)
			dev_error(a, "扫码器离线：%s（%s）", dev_error_words(err), kiosk_error_name(err));
	}
	a->dirty = true;
	app_dump_state(a);
}


/* Reader trouble the visitor can fix: said in plain words where they are. */
static void reader_trouble(struct app *a, int err)
{
	dev_error(a, "读卡未完成：%s（%s）", dev_error_words(err), kiosk_error_name(err));
	if (a->scr == SCR_PIN || a->scr == SCR_MAINT || a->scr == SCR_CALIB)
		return;
	if (a->scr == SCR_ATTRACT)
		app_go(a, SCR_HOME);
	app_message(a, 1, "读卡未完成，请重新放置身份证。");
}

void dev_close_all(struct app *a)
{
	struct devices *d = &a->dev;
	d->stop = 1;
	if (d->dispatched)
		SDL_SemPost(d->dispatched);
	if (d->poll_thread)
		SDL_WaitThread(d->poll_thread, NULL);
	if (d->dispatched)
		SDL_DestroySemaphore(d->dispatched);
	kiosk_idcard_close(d->reader);
	kiosk_printer_close(d->printer);
	kiosk_scanner_close(d->scanner);
	kiosk_touch_close(d->touch);
	if (d->ctx) {
		kiosk_context_dispatch(d->ctx);
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(d->ctx)))
			kiosk_event_free(ev);
	}
	kiosk_job_unref(d->after_cut);
	kiosk_context_free(d->ctx);
	memset(d, 0, sizeof *d);
}

static bool is_dev(kiosk_device *dev, kiosk_device *other)
{
	return dev && other && dev == other;
}

void dev_dispatch(struct app *a)
{
	struct devices *d = &a->dev;
	if (!d->ctx)
		return;
	kiosk_context_dispatch(d->ctx);
	kiosk_event *ev;
	while ((ev = kiosk_context_next_event(d->ctx))) {
		kiosk_device *src = kiosk_event_get_device(ev);
		switch (kiosk_event_get_type(ev)) {
		case KIOSK_EVENT_CARD_REMOVED:
			if (is_dev(src, d->reader ? kiosk_idcard_device(d->reader) : NULL))
				d->reader_state = DEV_OK; /* it answers */
			break;
		case KIOSK_EVENT_CARD_INSERTED: {
			const kiosk_idcard *card = kiosk_event_get_idcard(ev);
			d->reader_state = DEV_OK;
			if (card)
				app_on_card(a, card);
			break;
		}
		case KIOSK_EVENT_PRINTER_STATUS: {
			const struct kiosk_printer_status *st = kiosk_event_get_printer_status(ev);
			if (st) {
				d->pst = *st;
				d->pst.size = sizeof d->pst; /* ours, not the library's */
				d->have_pst = true;
				d->printer_lost = false;
				enum dev_state before = d->printer_state;
				printer_words(a);
				if (d->printer_state == DEV_ERROR && before != DEV_ERROR)
					dev_error(a, "打印机：%s", d->printer_msg);
				a->dirty = true;
				app_dump_state(a);
			}
			break;
		}
		case KIOSK_EVENT_SCAN: {
			size_t len = 0;
			const char *code = kiosk_event_get_scan(ev, &len);
			d->scanner_state = DEV_OK;
			if (code)
				app_on_scan(a, code);
			break;
		}
		case KIOSK_EVENT_TOUCH_DOWN:
		case KIOSK_EVENT_TOUCH_MOTION:
		case KIOSK_EVENT_TOUCH_UP: {
			const struct kiosk_touch_point *p = kiosk_event_get_touch(ev);
			if (!p || p->slot != 0)
				break; /* one finger only: no multi-finger gestures */
			int x = (int)p->x, y = (int)p->y;
			uint32_t now = SDL_GetTicks();
			app_note_input(a);
			if (kiosk_event_get_type(ev) == KIOSK_EVENT_TOUCH_DOWN)
				ui_pointer_down(&a->ui, x, y, now);
			else if (kiosk_event_get_type(ev) == KIOSK_EVENT_TOUCH_MOTION)
				ui_pointer_move(&a->ui, x, y, now);
			else
				ui_pointer_up(&a->ui, x, y, now);
			a->dirty = true;
			break;
		}
		case KIOSK_EVENT_DEVICE_STATE:
			device_state(a, src, ev);
			break;
		case KIOSK_EVENT_DEVICE_ERROR:
		case KIOSK_EVENT_DEVICE_LEFT: {
			int err = kiosk_event_get_error(ev);
			bool left = kiosk_event_get_type(ev) == KIOSK_EVENT_DEVICE_LEFT;
			if (is_dev(src, d->reader ? kiosk_idcard_device(d->reader) : NULL)) {
				if (left || err == KIOSK_E_TIMEOUT) {
					d->reader_state = left ? DEV_ERROR : DEV_WARN;
					dev_error(a, "读卡器%s：%s（错误码 %d）", left ? "已断开" : "", dev_error_words(err), err);
				} else {
					reader_trouble(a, err); /* a card lifted mid-read, unreadable */
				}
			} else if (is_dev(src, d->printer ? kiosk_printer_device(d->printer) : NULL)) {
				if (left || kiosk_device_get_state(src) == KIOSK_DEVICE_OFFLINE)
					printer_link_lost(a, left, err);
				else
					dev_error(a, "打印机：%s（错误码 %d）", dev_error_words(err), err);
			} else if (is_dev(src, d->scanner ? kiosk_scanner_device(d->scanner) : NULL)) {
				d->scanner_state = left ? DEV_ERROR : DEV_WARN;
				dev_error(a, "扫码器%s：%s（错误码 %d）", left ? "已断开" : "", dev_error_words(err), err);
			} else {
				dev_error(a, "设备 %s：%s（错误码 %d）", kiosk_event_get_uri(ev), dev_error_words(err), err);
			}
			a->dirty = true;
			break;
		}
		default:
			break;
		}
		kiosk_event_free(ev);
	}
	if (d->dispatched)
		SDL_SemPost(d->dispatched);
}

bool dev_can_print(struct app *a, char *why, size_t len)
{
	struct devices *d = &a->dev;
	if (!d->printer) {
		snprintf(why, len, "本机未连接打印机，暂不能打印");
		return false;
	}
	/* a printer that never reported a status cannot say it is back: the
	 * library re-opens its link before the next job, so it may be tried */
	bool blind = d->printer_lost && (!d->have_pst || !d->pst.time_ms);
	if (d->printer_state == DEV_ERROR && !blind) {
		snprintf(why, len, "%s", d->printer_msg);
		return false;
	}
	if (d->jobs_pending > 0) {
		snprintf(why, len, "● 正在打印，请稍候");
		return false;
	}
	why[0] = 0;
	return true;
}

/* ---- prints cut off by the app's own death ------------------------------
 * The library separates a job from the leftover of an abandoned one within
 * one process. When the app itself dies mid-print (crash, kill -9, power cut
 * of the PC while the printer keeps power), what it already sent may still
 * print or wait in the printer's buffer, and a fresh process knows nothing of
 * it. So while a job is out, state_dir/print-in-flight exists (0600, only the
 * start time and the kind of print, no personal data); it goes when the last
 * job completes, whatever its outcome. Found at start, it makes the next
 * print begin with a job of its own that feeds and cuts. */
#define PRINT_MARKER "print-in-flight"

const char *print_kind_name(enum print_kind k)
{
	switch (k) {
	case PRINT_CHECKLIST: return "checklist";
	case PRINT_PROGRESS: return "progress";
	case PRINT_ACCEPTANCE: return "acceptance";
	case PRINT_TEST: return "test";
	}
	return "other";
}

static void marker_path(const struct app *a, char *buf, size_t len)
{
	snprintf(buf, len, "%.560s/" PRINT_MARKER, a->cfg.state_dir);
}

static void marker_write(struct app *a, enum print_kind kind)
{
	char path[600], line[96];
	marker_path(a, path, sizeof path);
	int n = snprintf(line, sizeof line, "{\"started\":%lld,\"kind\":\"%s\"}\n", (long long)time(NULL),
			 print_kind_name(kind));
	if (kapp_file_replace(path, line, (size_t)n))
		fprintf(stderr, "kiosk-app: %s: %s (a restart during this print cannot be detected)\n", path,
			strerror(errno));
}

/* No job out and no separation owed: nothing a restart must know. */
static void marker_clear_if_idle(struct app *a)
{
	if (a->dev.jobs_pending > 0 || a->dev.separate_first)
		return;
	char path[600];
	marker_path(a, path, sizeof path);
	if (unlink(path) && errno != ENOENT)
		fprintf(stderr, "kiosk-app: %s: %s\n", path, strerror(errno));
}

void dev_print_check_interrupted(struct app *a)
{
	char path[600];
	marker_path(a, path, sizeof path);
	if (access(path, F_OK))
		return;
	a->dev.separate_first = true;
	dev_error(a, "上次打印可能未完成（程序曾中断），下一张凭条前先切纸");
}

static void separation_done(kiosk_job *job, int result, void *user)
{
	struct app *a = user;
	(void)job;
	if (result == KIOSK_OK) {
		a->dev.separate_first = false;
		fprintf(stderr, "kiosk-app: cut after a print the last run left unfinished\n");
		marker_clear_if_idle(a);
	} else {
		/* still owed: the next print cuts first again (and the library
		 * separates after this job itself if it sent anything). The
		 * receipt queued behind it must not print glued to the leftover:
		 * unless it has begun, it is cancelled (its callback says so). */
		fprintf(stderr, "kiosk-app: cut after an unfinished print: %s\n", kiosk_error_name(result));
		uint64_t written = 0;
		if (a->dev.after_cut && kiosk_job_get_state(a->dev.after_cut) != KIOSK_JOB_DONE &&
		    !kiosk_job_get_bytes(a->dev.after_cut, &written, NULL, NULL) && written == 0)
			kiosk_job_cancel(a->dev.after_cut);
	}
	kiosk_job_unref(a->dev.after_cut);
	a->dev.after_cut = NULL;
}

/* Feed and cut as a job of its own, ahead of the next receipt: a job that
 * sent nothing but this cannot itself leave a tail worth a receipt.
 * Returns whether it was queued. */
static bool submit_separation(struct app *a)
{
	kiosk_receipt *r = NULL;
	if (kiosk_receipt_new(&r))
		return false;
	kiosk_job *job = NULL;
	bool queued = !kiosk_receipt_add_feed(r, 2) && !kiosk_receipt_add_cut(r, false) &&
		      !kiosk_printer_submit(a->dev.printer, r, separation_done, a, &job);
	if (queued)
		kiosk_job_unref(job);
	else
		fprintf(stderr, "kiosk-app: could not queue the cut after an unfinished print\n");
	kiosk_receipt_free(r);
	return queued;
}

struct print_ctx {
	struct app *a;
	enum print_kind kind;
	uint32_t gen;
	char number[40];
};

static const char *print_failure(int rc)
{
	switch (rc) {
	case KIOSK_E_PAPER_OUT: return "纸张用尽，未能打印，请联系工作人员。";
	case KIOSK_E_COVER_OPEN: return "打印机盖未关好，未能打印，请联系工作人员。";
	case KIOSK_E_OFFLINE: return "打印机离线，未能打印，请联系工作人员。";
	case KIOSK_E_CUTTER: return "打印机切纸故障，请联系工作人员。";
	case KIOSK_E_TIMEOUT: return "打印机没有响应，请联系工作人员。";
	case KIOSK_E_CANCELLED: return "打印已取消。";
	default: return "打印失败，请联系工作人员。";
	}
}

static void print_done(kiosk_job *job, int result, void *user)
{
	struct print_ctx *p = user;
	struct app *a = p->a;
	a->dev.jobs_pending--;
	a->dirty = true;
	if (result == KIOSK_OK) {
		a->dev.prints_ok++;
		printer_back(a); /* it took a whole job: it is there */
		a->last_job_ok = kiosk_job_get_id(job);
		if (p->gen == a->async_gen) {
			/* one rating per case on this terminal: a rated case is not asked again */
			if ((p->kind == PRINT_PROGRESS || p->kind == PRINT_ACCEPTANCE) && p->number[0] &&
			    !kapp_rating_given(a->cfg.state_dir, p->number)) {
				snprintf(a->s.rate_case, sizeof a->s.rate_case, "%s", p->number);
				a->s.rated = false;
				a->s.rate_level = 0;
				a->s.rate_reasons = 0;
				app_go(a, SCR_RATING);
			}
			app_message(a, 0, "打印完成，请取走凭条。");
		}
	} else {
		a->dev.prints_failed++;
		dev_error(a, "第 %llu 份打印失败：%s（错误码 %d）", (unsigned long long)kiosk_job_get_id(job),
			  dev_error_words(result), result);
		fprintf(stderr, "kiosk-app: print job %llu: %s — %s\n", (unsigned long long)kiosk_job_get_id(job),
			kiosk_error_name(result), kiosk_job_get_message(job));
		app_fleet_print_failed(a, job, result, p->kind);
		if (p->gen == a->async_gen)
			app_message(a, 2, "%s", print_failure(result));
	}
	kapp_wipe(p, sizeof *p);
	free(p);
	marker_clear_if_idle(a);
	app_dump_state(a);
}

int dev_print(struct app *a, kiosk_receipt *r, enum print_kind kind, const char *case_number)
{
	char why[200];
	if (!dev_can_print(a, why, sizeof why)) {
		app_message(a, 1, "%s", why);
		return KIOSK_E_STATE;
	}
	struct print_ctx *p = calloc(1, sizeof *p);
	if (!p)
		return KIOSK_E_NO_MEMORY;
	p->a = a;
	p->kind = kind;
	p->gen = a->async_gen;
	if (case_number)
		snprintf(p->number, sizeof p->number, "%s", case_number);
	marker_write(a, kind); /* before any byte goes out */
	bool behind_cut = a->dev.separate_first && !a->dev.after_cut && submit_separation(a);
	kiosk_job *job = NULL;
	int rc = kiosk_printer_submit(a->dev.printer, r, print_done, p, &job);
	if (rc) {
		dev_error(a, "打印未能开始：%s（错误码 %d）", dev_error_words(rc), rc);
		fprintf(stderr, "kiosk-app: print: %s: %s\n", kiosk_error_name(rc),
			kiosk_device_last_error(kiosk_printer_device(a->dev.printer)));
		free(p);
		marker_clear_if_idle(a);
		app_message(a, 2, "打印失败，请联系工作人员。");
		return rc;
	}
	if (behind_cut)
		a->dev.after_cut = job; /* keeps the reference */
	else
		kiosk_job_unref(job);
	a->dev.jobs_pending++;
	app_message(a, 3, "正在打印，请稍候…");
	return KIOSK_OK;
}
