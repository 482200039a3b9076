/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fleet_kiosk — a terminal for the fleet tests: a context with an optional
 * TCP printer and a fleet client, driven by commands on stdin.
 *
 *   fleet_kiosk --broker URI --hall H --id ID --queue FILE
 *               [--user U --password P] [--printer URI] [--queue-max N]
 *
 * stdin, one command a line:
 *   event TYPE [JSON]   queue an event; answers "queued SEQ"
 *   burst N TYPE        queue N events; answers "queued LAST_SEQ"
 *   queued              answers "queued-count N"
 *   print TEXT          submits a receipt of TEXT and a cut to the printer
 *                       (not waited for); answers "printing", later
 *                       "printed OK" or "printed ERROR_NAME"
 *   quit                closes cleanly
 * stdout also says "connected"/"disconnected" on changes, "config SETTINGS"
 * when settings were applied and "app-event TYPE [STATE]" for every event the
 * application itself received (the fleet must not take them away).
 *
 * Settings accepted: "idle_timeout_s" (integer 10..3600) and "banner"
 * (string of at most 200 bytes); anything else is refused with the reason.
 */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <kiosk/kiosk.h>

static bool apply_config(kiosk_fleet *fleet, const char *settings, char *error, size_t size,
			 void *user)
{
	(void)fleet, (void)user;
	cJSON *o = cJSON_Parse(settings);
	bool ok = o != NULL;
	for (cJSON *it = o ? o->child : NULL; it && ok; it = it->next) {
		if (!strcmp(it->string, "idle_timeout_s")) {
			if (!cJSON_IsNumber(it) || it->valuedouble != (int)it->valuedouble ||
			    it->valueint < 10 || it->valueint > 3600) {
				snprintf(error, size, "idle_timeout_s must be an integer 10..3600");
				ok = false;
			}
		} else if (!strcmp(it->string, "banner")) {
			if (!cJSON_IsString(it) || strlen(it->valuestring) > 200) {
				snprintf(error, size, "banner must be a string of at most 200 bytes");
				ok = false;
			}
		} else {
			snprintf(error, size, "unknown setting: %.64s", it->string);
			ok = false;
		}
	}
	cJSON_Delete(o);
	if (ok) {
		printf("config %s\n", settings);
		fflush(stdout);
	}
	return ok;
}

static void job_done(kiosk_job *job, int result, void *user)
{
	(void)job, (void)user;
	printf("printed %s\n", result ? kiosk_error_name(result) : "OK");
	fflush(stdout);
}

/* A receipt as a visitor's would be: it makes the emulator's paper run out. */
static void print_text(kiosk_printer *prn, const char *text)
{
	kiosk_receipt *r = NULL;
	int rc = prn ? kiosk_receipt_new(&r) : KIOSK_E_NO_DEVICE;
	if (!rc)
		rc = kiosk_receipt_add_text(r, text, NULL);
	if (!rc)
		rc = kiosk_receipt_add_cut(r, false);
	if (!rc)
		rc = kiosk_printer_submit(prn, r, job_done, NULL, NULL);
	kiosk_receipt_free(r);
	if (rc)
		printf("error %s\n", kiosk_error_name(rc));
	else
		printf("printing\n");
}

static int command(kiosk_context *ctx, kiosk_fleet *fleet, kiosk_printer *prn, char *line)
{
	line[strcspn(line, "\n")] = 0;
	char *save = NULL, *cmd = strtok_r(line, " ", &save);
	if (!cmd)
		return 0;
	if (!strcmp(cmd, "quit"))
		return 1;
	uint64_t seq = 0;
	if (!strcmp(cmd, "event")) {
		char *type = strtok_r(NULL, " ", &save);
		char *json = save && *save ? save : NULL;
		int rc = kiosk_fleet_post_event(fleet, type ? type : "", json, &seq);
		if (rc)
			printf("error %s: %s\n", kiosk_error_name(rc), kiosk_context_last_error(ctx));
		else
			printf("queued %llu\n", (unsigned long long)seq);
	} else if (!strcmp(cmd, "burst")) {
		char *n = strtok_r(NULL, " ", &save), *type = strtok_r(NULL, " ", &save);
		int count = n ? atoi(n) : 0, rc = 0;
		for (int i = 0; i < count && !rc; i++)
			rc = kiosk_fleet_post_event(fleet, type ? type : "", "{\"burst\":true}", &seq);
		if (rc)
			printf("error %s\n", kiosk_error_name(rc));
		else
			printf("queued %llu\n", (unsigned long long)seq);
	} else if (!strcmp(cmd, "print")) {
		print_text(prn, save && *save ? save : "");
	} else if (!strcmp(cmd, "queued")) {
		printf("queued-count %d\n", kiosk_fleet_queued(fleet));
	} else {
		printf("error unknown command %s\n", cmd);
	}
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct kiosk_fleet_options o = KIOSK_FLEET_OPTIONS_INIT;
	const char *printer_uri = NULL;
	static const struct option longopts[] = {
		{"broker", required_argument, 0, 'b'}, {"hall", required_argument, 0, 'h'},
		{"id", required_argument, 0, 'i'},     {"queue", required_argument, 0, 'q'},
		{"user", required_argument, 0, 'u'},   {"password", required_argument, 0, 'p'},
		{"printer", required_argument, 0, 'P'}, {"queue-max", required_argument, 0, 'm'},
		{0, 0, 0, 0}};
	int c;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': o.broker = optarg; break;
		case 'h': o.hall = optarg; break;
		case 'i': o.kiosk_id = optarg; break;
		case 'q': o.queue_path = optarg; break;
		case 'u': o.username = optarg; break;
		case 'p': o.password = optarg; break;
		case 'P': printer_uri = optarg; break;
		case 'm': o.queue_max = (unsigned)atoi(optarg); break;
		default: return 2;
		}
	}
	o.program = "fleet-test";
	o.keepalive_s = 5; /* the shortest: the will fires ~7.5 s after a kill -9 */
	kiosk_context *ctx;
	if (kiosk_context_new(&ctx))
		return 1;
	kiosk_printer *prn = NULL;
	if (printer_uri) {
		int rc = kiosk_printer_open(ctx, printer_uri, NULL, &prn);
		if (rc) {
			fprintf(stderr, "printer: %s\n", kiosk_context_last_error(ctx));
			return 1;
		}
		kiosk_device_set_reconnect(kiosk_printer_device(prn), 50, 300);
		kiosk_printer_set_status_poll(prn, 200);
	}
	kiosk_fleet *fleet;
	int rc = kiosk_fleet_new(ctx, &o, &fleet);
	if (rc) {
		fprintf(stderr, "fleet: %s: %s\n", kiosk_error_name(rc), kiosk_context_last_error(ctx));
		kiosk_printer_close(prn);
		kiosk_context_free(ctx);
		return rc == KIOSK_E_NOT_SUPPORTED ? 77 : 1;
	}
	kiosk_fleet_set_config_callback(fleet, apply_config, NULL);
	if (prn)
		kiosk_fleet_add_device(fleet, kiosk_printer_device(prn));
	printf("started\n");
	fflush(stdout);
	bool was_connected = false, done = false, input_open = true;
	char line[4096];
	while (!done) {
		struct pollfd p[2] = {{.fd = kiosk_context_get_fd(ctx), .events = POLLIN},
				      {.fd = input_open ? 0 : -1, .events = POLLIN}};
		poll(p, 2, 100);
		kiosk_context_dispatch(ctx);
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(ctx))) {
			enum kiosk_event_type t = kiosk_event_get_type(ev);
			printf("app-event %s%s%s\n", kiosk_event_type_name(t),
			       t == KIOSK_EVENT_DEVICE_STATE ? " " : "",
			       t == KIOSK_EVENT_DEVICE_STATE
				       ? kiosk_device_state_name(kiosk_event_get_device_state(ev, NULL))
				       : "");
			kiosk_event_free(ev);
		}
		bool conn = kiosk_fleet_is_connected(fleet);
		if (conn != was_connected)
			printf("%s\n", conn ? "connected" : "disconnected");
		was_connected = conn;
		fflush(stdout);
		if (p[1].revents & (POLLIN | POLLHUP)) {
			if (!fgets(line, sizeof line, stdin))
				input_open = false, done = true;
			else
				done = command(ctx, fleet, prn, line);
		}
	}
	kiosk_fleet_free(fleet);
	kiosk_printer_close(prn);
	kiosk_context_free(ctx);
	return 0;
}
