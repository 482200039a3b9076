/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fleet.c — the terminal reports to the hall's MQTT broker (`fleet = …` in
 * the configuration; contract in docs/fleet.md) through libkiosk's fleet
 * module: its devices' state and failures (published by the module), 好差评
 * ratings and failed prints (posted here), and settings staff send back
 * (config/set).
 *
 * Threads: the config callback runs on the module's network thread. It only
 * validates, stores the settings (state_dir/fleet-settings.json, 0600,
 * atomic) under a mutex and wakes the UI loop with an SDL user event; the UI
 * thread applies them (app_fleet_apply). Nothing else here touches UI state
 * off the UI thread.
 *
 * No message carries personal data: a rating has the case number (not
 * personal), the level and the reasons; a failed print its receipt kind and
 * outcome, never its text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>
#include "app.h"

struct app_fleet {
	kiosk_fleet *fleet;
	SDL_mutex *lock;
	struct kapp_fleet_settings kept; /* under lock */
	char settings_path[600];
	int shown_connected;             /* the link as last shown (-1: not yet); UI thread */
};

static void settings_path(const struct app *a, char *out, size_t len)
{
	snprintf(out, len, "%.560s/" KAPP_FLEET_SETTINGS_FILE, a->cfg.state_dir);
}

void app_fleet_settings_init(struct app *a)
{
	a->cfg_base = a->cfg;
	if (!a->cfg.fleet[0])
		return; /* without a fleet the configuration file is all there is */
	char path[600], err[700];
	struct kapp_fleet_settings s;
	settings_path(a, path, sizeof path);
	int rc = kapp_fleet_settings_load(path, &s, err, sizeof err);
	if (rc == KAPP_E_DATA)
		fprintf(stderr, "kiosk-app: %s (the configuration file's values are used)\n", err);
	if (rc == KAPP_OK) {
		kapp_fleet_settings_apply(&s, &a->cfg_base, &a->cfg);
		fprintf(stderr, "kiosk-app: settings from the hall kept in %s applied\n", path);
	}
}

/* The fleet's thread: validate, keep, wake the UI loop. */
static bool on_config(kiosk_fleet *fleet, const char *json, char *err, size_t errlen, void *user)
{
	(void)fleet;
	struct app_fleet *af = user;
	struct kapp_fleet_settings update, next;
	if (kapp_fleet_settings_parse(json, &update, err, errlen))
		return false;
	SDL_LockMutex(af->lock);
	next = af->kept;
	kapp_fleet_settings_merge(&next, &update);
	bool ok = kapp_fleet_settings_save(af->settings_path, &next) == KAPP_OK;
	if (ok)
		af->kept = next;
	else
		snprintf(err, errlen, "cannot keep the settings: %s", strerror(errno));
	SDL_UnlockMutex(af->lock);
	if (ok) {
		SDL_Event ev = {0};
		ev.type = SDL_USEREVENT;
		ev.user.code = EV_FLEET;
		SDL_PushEvent(&ev);
	}
	return ok;
}

void app_fleet_apply(struct app *a)
{
	struct app_fleet *af = a->fleet;
	if (!af)
		return;
	struct kapp_fleet_settings s;
	SDL_LockMutex(af->lock);
	s = af->kept;
	SDL_UnlockMutex(af->lock);
	kapp_fleet_settings_apply(&s, &a->cfg_base, &a->cfg);
	/* a new default text size shows at once between visitors, else from the next one */
	if (a->ui.large != a->cfg.large_text && (a->scr == SCR_HOME || a->scr == SCR_ATTRACT) &&
	    !app_has_personal_data(a)) {
		a->ui.large = a->cfg.large_text;
		ui_scroll_reset(&a->ui);
	}
	fprintf(stderr, "kiosk-app: settings from the hall applied (idle %d+%d s, attract %d s, "
		"large text %s, banner %s)\n", a->cfg.idle_warn_s, a->cfg.idle_countdown_s,
		a->cfg.attract_s, a->cfg.large_text ? "on" : "off", a->cfg.banner[0] ? "set" : "none");
	a->dirty = true;
	app_dump_state(a);
}

/* The MQTT password: the first line of fleet_password_file, which must not be
 * readable by every user of the machine (the configuration file may be). */
static bool read_password(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	struct stat st;
	if (!f || fstat(fileno(f), &st)) {
		fprintf(stderr, "kiosk-app: fleet_password_file %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return false;
	}
	if (st.st_mode & S_IROTH) {
		fprintf(stderr, "kiosk-app: fleet_password_file %s is readable by every user: "
			"chmod 0600 (or 0640 for the kiosk's group) it\n", path);
		fclose(f);
		return false;
	}
	bool ok = fgets(out, (int)len, f) != NULL;
	fclose(f);
	if (!ok) {
		fprintf(stderr, "kiosk-app: fleet_password_file %s is empty\n", path);
		return false;
	}
	out[strcspn(out, "\r\n")] = 0;
	return true;
}

void app_fleet_add_devices(struct app *a)
{
	struct devices *d = &a->dev;
	if (!a->fleet)
		return;
	if (d->reader)
		kiosk_fleet_add_device(a->fleet->fleet, kiosk_idcard_device(d->reader));
	if (d->printer)
		kiosk_fleet_add_device(a->fleet->fleet, kiosk_printer_device(d->printer));
	if (d->scanner)
		kiosk_fleet_add_device(a->fleet->fleet, kiosk_scanner_device(d->scanner));
	if (d->touch) /* an evdev touchscreen (SDL's own input is not a libkiosk device) */
		kiosk_fleet_add_device(a->fleet->fleet, kiosk_touch_device(d->touch));
}

int app_fleet_start(struct app *a)
{
	const struct kapp_config *c = &a->cfg;
	if (!c->fleet[0] || !a->dev.ctx)
		return 0;
	struct app_fleet *af = calloc(1, sizeof *af);
	if (af)
		af->shown_connected = -1;
	char password[256] = "", queue[600];
	if (!af || !(af->lock = SDL_CreateMutex())) {
		free(af);
		return -1;
	}
	settings_path(a, af->settings_path, sizeof af->settings_path);
	char err[700];
	if (kapp_fleet_settings_load(af->settings_path, &af->kept, err, sizeof err) == KAPP_E_DATA)
		memset(&af->kept, 0, sizeof af->kept); /* said at start; the next config/set replaces it */
	if (c->fleet_queue[0])
		snprintf(queue, sizeof queue, "%s", c->fleet_queue);
	else
		snprintf(queue, sizeof queue, "%.560s/fleet-queue.db", c->state_dir);
	struct kiosk_fleet_options o = KIOSK_FLEET_OPTIONS_INIT;
	o.broker = c->fleet;
	o.hall = c->hall;
	o.kiosk_id = c->kiosk_id;
	o.program = "kiosk-app";
	o.queue_path = queue;
	if (c->fleet_user[0]) {
		if (!read_password(c->fleet_password_file, password, sizeof password))
			goto fail;
		o.username = c->fleet_user;
		o.password = password;
	}
	o.ca_file = c->fleet_ca[0] ? c->fleet_ca : NULL;
	o.cert_file = c->fleet_cert[0] ? c->fleet_cert : NULL;
	o.key_file = c->fleet_key[0] ? c->fleet_key : NULL;
	int rc = kiosk_fleet_new(a->dev.ctx, &o, &af->fleet);
	kapp_wipe(password, sizeof password);
	if (rc != KIOSK_OK) {
		fprintf(stderr, "kiosk-app: fleet: %s (%s); the terminal does not report\n",
			rc == KIOSK_E_NOT_SUPPORTED ? "libkiosk was built without the fleet module"
						    : kiosk_context_last_error(a->dev.ctx),
			kiosk_error_name(rc));
		goto fail;
	}
	kiosk_fleet_set_config_callback(af->fleet, on_config, af);
	a->fleet = af;
	app_fleet_add_devices(a);
	fprintf(stderr, "kiosk-app: fleet: reporting to %s as %s/%s\n", c->fleet, c->hall, c->kiosk_id);
	return 0;
fail:
	kapp_wipe(password, sizeof password);
	SDL_DestroyMutex(af->lock);
	free(af);
	return -1;
}

void app_fleet_stop(struct app *a)
{
	struct app_fleet *af = a->fleet;
	if (!af)
		return;
	kiosk_fleet_free(af->fleet); /* joins its thread: no callback after this */
	SDL_DestroyMutex(af->lock);
	free(af);
	a->fleet = NULL;
}

const char *app_fleet_status(const struct app *a)
{
	if (!a->cfg.fleet[0])
		return "off";
	if (!a->fleet)
		return "failed";
	return kiosk_fleet_is_connected(a->fleet->fleet) ? "connected" : "connecting";
}

bool app_fleet_changed(struct app *a)
{
	struct app_fleet *af = a->fleet;
	if (!af)
		return false;
	int now = kiosk_fleet_is_connected(af->fleet);
	if (now == af->shown_connected)
		return false;
	af->shown_connected = now;
	return true;
}

int app_fleet_queued(const struct app *a)
{
	return a->fleet ? kiosk_fleet_queued(a->fleet->fleet) : 0;
}

static void post(struct app *a, const char *type, cJSON *fields)
{
	char *js = fields ? cJSON_PrintUnformatted(fields) : NULL;
	cJSON_Delete(fields);
	if (!js) {
		fprintf(stderr, "kiosk-app: fleet: %s event not queued (out of memory)\n", type);
		return;
	}
	uint64_t seq = 0;
	int rc = kiosk_fleet_post_event(a->fleet->fleet, type, js, &seq);
	free(js);
	if (rc != KIOSK_OK)
		dev_error(a, "fleet: %s event not queued: %s", type, kiosk_error_name(rc));
	else if (getenv("KIOSK_APP_TRACE"))
		fprintf(stderr, "kiosk-app: fleet: %s event queued as seq %llu\n", type,
			(unsigned long long)seq);
}

void app_fleet_rating(struct app *a, const char *case_number, int level, uint32_t reasons)
{
	if (!a->fleet || level < 1 || level > 5)
		return;
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return;
	kapp_rating_fill(o, case_number, level, reasons);
	post(a, "rating", o);
}

void app_fleet_print_failed(struct app *a, kiosk_job *job, int result, enum print_kind kind)
{
	if (!a->fleet)
		return;
	static const char *const partial[] = {"none", "maybe", "yes"};
	enum kiosk_job_partial p = kiosk_job_get_partial(job);
	uint64_t written = 0, total = 0;
	kiosk_job_get_bytes(job, &written, NULL, &total);
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return;
	cJSON_AddStringToObject(o, "uri", a->cfg.printer);
	cJSON_AddNumberToObject(o, "job", (double)kiosk_job_get_id(job));
	cJSON_AddStringToObject(o, "receipt", print_kind_name(kind));
	cJSON_AddStringToObject(o, "outcome", kiosk_error_name(result));
	cJSON_AddStringToObject(o, "partial", (unsigned)p < 3 ? partial[p] : "unknown");
	cJSON_AddNumberToObject(o, "bytes_written", (double)written);
	cJSON_AddNumberToObject(o, "bytes_total", (double)total);
	post(a, "print_failed", o);
}
