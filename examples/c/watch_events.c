/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * watch_events.c — a vendor's starting point for an event loop: opens every
 * device given on the command line and prints their events as they come,
 * from a poll() loop on kiosk_context_get_fd().
 *
 *   watch_events scanner:serial:/dev/ttyACM0 touch:evdev:/dev/input/event5 …
 *
 * Each argument is FAMILY:URI with FAMILY scanner or touch (an argument
 * without a family is opened as a scanner). Ctrl-C ends it.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <kiosk/kiosk.h>

#define MAX_DEVICES 16

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_event(kiosk_context *ctx, kiosk_event *ev)
{
	enum kiosk_event_type type = kiosk_event_get_type(ev);
	printf("%llu %s %s", (unsigned long long)kiosk_event_get_time_ms(ev),
	       kiosk_event_type_name(type), kiosk_event_get_uri(ev));
	size_t len;
	const char *code = kiosk_event_get_scan(ev, &len);
	const struct kiosk_touch_point *p = kiosk_event_get_touch(ev);
	if (code)
		printf(" code=\"%.*s\" (%zu bytes)", (int)len, code, len);
	if (p)
		printf(" slot=%d x=%.1f y=%.1f (raw %.4f,%.4f)", p->slot, p->x, p->y, p->raw_nx,
		       p->raw_ny);
	int err = kiosk_event_get_error(ev);
	if (err)
		printf(" error=%s", kiosk_error_name(err));
	printf("  [idle %llu ms]\n", (unsigned long long)kiosk_input_idle_ms(ctx));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s [scanner:|touch:]URI…\n", argv[0]);
		return 2;
	}
	kiosk_context *ctx = NULL;
	if (kiosk_context_new(&ctx) < 0)
		return 1;
	kiosk_scanner *scanners[MAX_DEVICES];
	kiosk_touch *touches[MAX_DEVICES];
	int ns = 0, nt = 0, rc = 0;
	for (int i = 1; i < argc && ns < MAX_DEVICES && nt < MAX_DEVICES; i++) {
		const char *arg = argv[i];
		int r;
		if (!strncmp(arg, "touch:", 6)) {
			r = kiosk_touch_open(ctx, arg + 6, &touches[nt]);
			if (r == KIOSK_OK)
				nt++;
		} else {
			if (!strncmp(arg, "scanner:", 8))
				arg += 8;
			r = kiosk_scanner_open(ctx, arg, &scanners[ns]);
			if (r == KIOSK_OK)
				kiosk_scanner_watch(scanners[ns++], true);
		}
		if (r < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], kiosk_context_last_error(ctx));
			rc = 1;
		}
	}
	if (!ns && !nt) {
		kiosk_context_free(ctx);
		return 1;
	}
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	struct pollfd pfd = {.fd = kiosk_context_get_fd(ctx), .events = POLLIN};
	while (!stop) {
		int r = poll(&pfd, 1, 1000);
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		kiosk_context_dispatch(ctx);
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(ctx))) {
			print_event(ctx, ev);
			kiosk_event_free(ev);
		}
	}
	for (int i = 0; i < ns; i++)
		kiosk_scanner_close(scanners[i]);
	for (int i = 0; i < nt; i++)
		kiosk_touch_close(touches[i]);
	kiosk_context_free(ctx);
	return rc;
}
