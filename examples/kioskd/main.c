/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kioskd — the local device service for web kiosk pages: a WebSocket
 * protocol shaped after XFS4IoT (docs/kioskd.md) over the public libkiosk
 * API. This file: start-up checks, the event loop and an orderly stop.
 */
#include "kioskd.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct kd_daemon *kd;
static struct kd_daemon daemon_state;

uint64_t kd_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void kd_log(int level, const char *fmt, ...)
{
	int max = KD_WARN + (kd ? kd->cfg.verbose : 0);
	if (level > max)
		return;
	static const char *const tag[] = {"error", "warning", "info", "debug"};
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "kioskd: %s: %s\n", tag[level < 0 ? 0 : level > 3 ? 3 : level], msg);
}

static void on_signal(int sig)
{
	(void)sig;
	kd->stop = 1;
	if (kd->lws)
		lws_cancel_service(kd->lws);
}

/* Ends every command still pending, so that each gets its one completion
 * (or is logged) before the sockets and devices go away. */
static void drain_commands(void)
{
	for (int i = 0; i < 3; i++) {
		struct kd_device *d = &kd->dev[i];
		while (d->queue_head) {
			struct kd_cmd *cmd = d->queue_head;
			kd_device_cancel(cmd); /* not running: no effect */
			d->queue_head = cmd->queue_next;
			if (!d->queue_head)
				d->queue_tail = NULL;
			cmd->queue_next = NULL;
			kd_command_complete(cmd, KD_CANCELED, "kioskd is stopping", NULL);
		}
		if (d->running)
			kd_device_cancel(d->running);
	}
	uint64_t deadline = kd_now_ms() + 5000;
	for (;;) {
		bool busy = false;
		for (int i = 0; i < 3; i++)
			busy = busy || kd->dev[i].running;
		if (!busy || kd_now_ms() > deadline)
			break;
		kiosk_context_wait(kd->kctx, 50);
		kd_devices_dispatch();
		kd_devices_status_ready();
	}
}

int main(int argc, char **argv)
{
	kd = &daemon_state;
	int r = kd_config_parse(&kd->cfg, argc, argv);
	if (r)
		return r == 1 ? 0 : 2;
	signal(SIGPIPE, SIG_IGN);
	int status = 1;
	if (kd->cfg.token_file) {
		char err[512];
		kd->tokens = kd_tokens_load(kd->cfg.token_file, err, sizeof err);
		if (!kd->tokens) {
			kd_log(KD_ERR, "%s", err);
			goto out;
		}
	} else {
		kd_log(KD_WARN, "no --token-file: every local client has the right 'devices'");
	}
	if (kd->cfg.n_origins == 0)
		kd_log(KD_INFO, "no --origin: web pages (which send Origin) are refused");
	if (kd_devices_open() < 0)
		goto out;
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (kd_server_start() < 0)
		goto out;
	/* first results of polling, before anyone asks */
	kd_devices_dispatch();
	while (!kd->stop)
		if (lws_service(kd->lws, 0) < 0)
			break;
	kd_log(KD_INFO, "stopping");
	status = 0;
out:
	if (kd->kctx)
		drain_commands();
	kd_server_stop();
	if (kd->kctx)
		kd_devices_close();
	kd_tokens_free(kd->tokens);
	kd_config_free(&kd->cfg);
	return status;
}
