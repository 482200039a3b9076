/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* config.c — the one configuration file (key = value), see kiosk-app.conf.example. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>
#include "core.h"


void kapp_config_defaults(struct kapp_config *c, const char *data_dir)
{
	memset(c, 0, sizeof *c);
	snprintf(c->backend, sizeof c->backend, "local");
	snprintf(c->data_dir, sizeof c->data_dir, "%s", data_dir ? data_dir : ".");
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	if (xdg && *xdg)
		snprintf(c->state_dir, sizeof c->state_dir, "%s/kiosk-app", xdg);
	else if (home && *home)
		snprintf(c->state_dir, sizeof c->state_dir, "%s/.local/state/kiosk-app", home);
	else
		snprintf(c->state_dir, sizeof c->state_dir, "/tmp/kiosk-app");
	snprintf(c->printer_profile, sizeof c->printer_profile, "generic-80mm");
	c->http_timeout_ms = 8000;
	c->catalog_refresh_s = 1800;
	c->width = 1080;
	c->height = 1920;
	c->fullscreen = true;
	c->idle_warn_s = 60;
	c->idle_countdown_s = 20;
	c->attract_s = 180;
	c->pin_hash[0] = 0; /* no default PIN: maintenance asks for one (kiosk-app --hash-pin) */
	c->pin_lock_s = 30;
	c->tts = -1;
	snprintf(c->online_base, sizeof c->online_base, "https://zwfw.example.gov.cn/guide/");
	snprintf(c->case_url, sizeof c->case_url, "https://zwfw.example.gov.cn/case?no=");
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no") ||
		 !strcasecmp(v, "off"))
		*out = false;
	else
		return -1;
	return 0;
}

static int parse_int(const char *v, int min, int max, int *out)
{
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < min || x > max)
		return -1;
	*out = (int)x;
	return 0;
}

#define STR(key, field)                                                                    \
	if (!strcmp(k, key)) {                                                             \
		if (strlen(v) >= sizeof c->field) {                                        \
			snprintf(err, errlen, "line %d: %s: value too long", line, k);     \
			rc = KAPP_E_DATA; break;                                                      \
		}                                                                          \
		snprintf(c->field, sizeof c->field, "%s", v);                              \
		rc = KAPP_OK;                                                              \
		continue;                                                                  \
	}
#define INT(key, field, lo, hi)                                                            \
	if (!strcmp(k, key)) {                                                             \
		if (parse_int(v, lo, hi, &c->field)) {                                     \
			snprintf(err, errlen, "line %d: %s: must be an integer %d..%d", line, k, \
				 lo, hi);                                                  \
			rc = KAPP_E_DATA; break;                                                      \
		}                                                                          \
		rc = KAPP_OK;                                                              \
		continue;                                                                  \
	}
#define BOOL(key, field)                                                                   \
	if (!strcmp(k, key)) {                                                             \
		if (parse_bool(v, &c->field)) {                                            \
			snprintf(err, errlen, "line %d: %s: must be true or false", line, k); \
			rc = KAPP_E_DATA; break;                                                      \
		}                                                                          \
		rc = KAPP_OK;                                                              \
		continue;                                                                  \
	}

/* A hall or kiosk id as the fleet's topics take it: [A-Za-z0-9_-], 1..64, not "all". */
static bool fleet_id_valid(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 64 || !strcmp(s, "all"))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

/* The fleet keys hang together (the module checks the URI itself). */
static int check_fleet(const struct kapp_config *c, char *err, size_t errlen)
{
	if (!c->fleet[0]) {
		if (c->kiosk_id[0] || c->hall[0] || c->fleet_user[0] || c->fleet_password_file[0] ||
		    c->fleet_ca[0] || c->fleet_cert[0] || c->fleet_key[0] || c->fleet_queue[0]) {
			snprintf(err, errlen, "fleet_* keys, kiosk_id and hall need fleet = mqtt://HOST:PORT");
			return KAPP_E_DATA;
		}
		return KAPP_OK;
	}
	if (strncmp(c->fleet, "mqtt://", 7) && strncmp(c->fleet, "mqtts://", 8)) {
		snprintf(err, errlen, "fleet: must be mqtt://HOST[:PORT] or mqtts://HOST[:PORT]");
		return KAPP_E_DATA;
	}
	if (!fleet_id_valid(c->kiosk_id) || !fleet_id_valid(c->hall)) {
		snprintf(err, errlen, "fleet needs kiosk_id and hall: letters, digits, _ and -, "
			 "1 to 64 characters, not \"all\"");
		return KAPP_E_DATA;
	}
	if (!c->fleet_user[0] != !c->fleet_password_file[0]) {
		snprintf(err, errlen, "fleet_user and fleet_password_file go together");
		return KAPP_E_DATA;
	}
	if (!c->fleet_cert[0] != !c->fleet_key[0]) {
		snprintf(err, errlen, "fleet_cert and fleet_key go together");
		return KAPP_E_DATA;
	}
	if ((c->fleet_ca[0] || c->fleet_cert[0]) && strncmp(c->fleet, "mqtts://", 8)) {
		snprintf(err, errlen, "fleet_ca, fleet_cert and fleet_key need fleet = mqtts://…");
		return KAPP_E_DATA;
	}
	return KAPP_OK;
}

int kapp_config_parse(struct kapp_config *c, const char *text, char *err, size_t errlen)
{
	char *copy = strdup(text), *save = NULL;

	if (!copy)
		return KAPP_E_DATA;
	int line = 0, rc = KAPP_OK;
	for (char *ln = copy; ln && rc == KAPP_OK; ln = save) {
		save = strchr(ln, '\n');
		if (save)
			*save++ = 0;
		line++;
		char *s = trim(ln);
		if (!*s || *s == '#' || *s == ';' || *s == '[')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "line %d: expected key = value", line);
			rc = KAPP_E_DATA;
			break;
		}
		*eq = 0;
		char *k = trim(s), *v = trim(eq + 1);
		rc = KAPP_E_DATA; /* the macros `continue` on success */
		STR("idcard", idcard)
		STR("printer", printer)
		STR("printer_profile", printer_profile)
		STR("scanner", scanner)
		STR("touch", touch)
		STR("data_dir", data_dir)
		STR("state_dir", state_dir)
		STR("http_url", http_url)
		STR("http_token", http_token)
		STR("http_salt", http_salt)
		STR("pin_hash", pin_hash)
		STR("online_base", online_base)
		STR("case_url", case_url)
		STR("case_url_accept", case_url_accept)
		STR("hall_name", hall_name)
		STR("calibration", calibration)
		STR("banner", banner)
		STR("fleet", fleet)
		STR("kiosk_id", kiosk_id)
		STR("hall", hall)
		STR("fleet_user", fleet_user)
		STR("fleet_password_file", fleet_password_file)
		STR("fleet_ca", fleet_ca)
		STR("fleet_cert", fleet_cert)
		STR("fleet_key", fleet_key)
		STR("fleet_queue", fleet_queue)
		INT("http_timeout_ms", http_timeout_ms, 100, 120000)
		INT("catalog_refresh_s", catalog_refresh_s, 5, 86400)
		INT("idle_warn_s", idle_warn_s, 5, 3600)
		INT("idle_countdown_s", idle_countdown_s, 3, 600)
		INT("attract_s", attract_s, 10, 86400)
		INT("pin_lock_s", pin_lock_s, 1, 3600)
		BOOL("fullscreen", fullscreen)
		BOOL("large_text", large_text)
		if (!strcmp(k, "backend")) {
			if (strcmp(v, "local") && strcmp(v, "http")) {
				snprintf(err, errlen, "line %d: backend: must be local or http", line);
				break;
			}
			snprintf(c->backend, sizeof c->backend, "%s", v);
			rc = KAPP_OK;
			continue;
		}
		if (!strcmp(k, "orientation")) {
			if (!strcmp(v, "portrait")) {
				c->landscape = false;
				c->width = 1080;
				c->height = 1920;
			} else if (!strcmp(v, "landscape")) {
				c->landscape = true;
				c->width = 1920;
				c->height = 1080;
			} else {
				snprintf(err, errlen, "line %d: orientation: must be portrait or landscape", line);
				break;
			}
			rc = KAPP_OK;
			continue;
		}
		if (!strcmp(k, "tts")) {
			bool b;
			if (!strcmp(v, "auto"))
				c->tts = -1;
			else if (!parse_bool(v, &b))
				c->tts = b;
			else {
				snprintf(err, errlen, "line %d: tts: must be auto, on or off", line);
				break;
			}
			rc = KAPP_OK;
			continue;
		}
		snprintf(err, errlen, "line %d: unknown key '%s'", line, k);
		break;
	}
	if (rc == KAPP_OK && !strcmp(c->backend, "http") && !c->http_url[0]) {
		snprintf(err, errlen, "backend = http needs http_url");
		rc = KAPP_E_DATA;
	}
	if (rc == KAPP_OK && !kapp_banner_valid(c->banner)) {
		snprintf(err, errlen, "banner: at most %d characters, no control characters",
			 KAPP_BANNER_MAX_CHARS);
		rc = KAPP_E_DATA;
	}
	if (rc == KAPP_OK)
		rc = check_fleet(c, err, errlen);
	if (rc == KAPP_OK && c->pin_hash[0] && !kapp_pin_hash_valid(c->pin_hash)) {
		snprintf(err, errlen, "pin_hash: must be pbkdf2-sha256$ITERATIONS$SALT$HASH with at least %u "
			 "iterations; make one with kiosk-app --hash-pin", KAPP_PIN_MIN_ITERATIONS);
		rc = KAPP_E_DATA;
	}
	free(copy);
	return rc;
}
#undef STR
#undef INT
#undef BOOL

int kapp_config_load(struct kapp_config *c, const char *path, char *err, size_t errlen)
{
	char *text = kapp_read_file(path, NULL);
	if (!text) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return KAPP_NOT_FOUND;
	}
	char e[200] = "";
	int rc = kapp_config_parse(c, text, e, sizeof e);
	if (rc)
		snprintf(err, errlen, "%s: %s", path, e);
	free(text);
	return rc;
}

/* ---- ratings ---------------------------------------------------------------- */

const char *const kapp_rating_labels[5] = {"非常不满意", "不满意", "基本满意", "满意", "非常满意"};

/* The reasons a visitor picks for 不满意 / 非常不满意, after the questions of
 * the national 好差评 scheme (guide, materials, visits, time, attitude,
 * fees, facilities). Their index is what the queue records besides the text. */
const char *const kapp_rating_reasons[KAPP_N_REASONS] = {
	"办事指南不清楚", "材料要求多、重复提交", "跑了多次才办成", "办理时间太长",
	"服务态度不好", "收费不合理", "设备或系统不好用", "其他原因",
};

/* One line of the ledger of rated cases: the case number. */
static bool ledger_has(const char *path, const char *case_number)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char line[64];
	bool found = false;
	while (!found && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = 0;
		found = !strcmp(line, case_number);
	}
	fclose(f);
	return found;
}

bool kapp_rating_given(const char *state_dir, const char *case_number)
{
	char path[600];
	snprintf(path, sizeof path, "%s/" KAPP_RATED_FILE, state_dir);
	return case_number && ledger_has(path, case_number);
}

/* Appends one line to a file created 0600 (fchmod'ed back if it was not),
 * never through a symbolic link, synced (statefile.c). */
static int append_line(const char *path, const char *line)
{
	return kapp_file_append(path, line) ? KAPP_E_OFFLINE : KAPP_OK;
}

void kapp_rating_fill(void *cjson_object, const char *case_number, int level, uint32_t reasons)
{
	cJSON *o = cjson_object;
	cJSON_AddStringToObject(o, "case", case_number);
	cJSON_AddNumberToObject(o, "level", level);
	cJSON_AddStringToObject(o, "label", kapp_rating_labels[level - 1]);
	cJSON *ids = cJSON_AddArrayToObject(o, "reason_ids");
	cJSON *txt = cJSON_AddArrayToObject(o, "reasons");
	for (int i = 0; i < KAPP_N_REASONS; i++) {
		if (!(reasons & (1u << i)))
			continue;
		cJSON_AddItemToArray(ids, cJSON_CreateNumber(i + 1));
		cJSON_AddItemToArray(txt, cJSON_CreateString(kapp_rating_reasons[i]));
	}
}

int kapp_rating_store(const char *state_dir, const char *case_number, int level,
		      uint32_t reasons)
{
	if (!state_dir || level < 1 || level > 5 || !kapp_case_number_valid(case_number))
		return KAPP_E_ARG;
	if (reasons >> KAPP_N_REASONS)
		return KAPP_E_ARG;
	if ((level <= 2) != (reasons != 0))
		return KAPP_E_ARG; /* a poor rating needs a reason, a good one has none */
	if (kapp_rating_given(state_dir, case_number))
		return KAPP_E_DUPLICATE;
	kapp_private_dir(state_dir);
	time_t t = time(NULL);
	struct tm tm;
	char ts[40];
	localtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S%z", &tm);
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return KAPP_E_DATA;
	cJSON_AddNumberToObject(o, "v", 1);
	kapp_rating_fill(o, case_number, level, reasons);
	cJSON_AddStringToObject(o, "time", ts);
	char *js = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!js)
		return KAPP_E_DATA;
	size_t n = strlen(js);
	char *line = malloc(n + 2);
	if (!line) {
		free(js);
		return KAPP_E_DATA;
	}
	memcpy(line, js, n);
	line[n] = '\n';
	line[n + 1] = 0;
	free(js);
	char path[600];
	snprintf(path, sizeof path, "%s/" KAPP_RATINGS_QUEUE, state_dir);
	int rc = append_line(path, line);
	free(line);
	if (rc)
		return rc;
	/* the ledger outlives the queue, which the uploader empties */
	char entry[40];
	snprintf(entry, sizeof entry, "%s\n", case_number);
	snprintf(path, sizeof path, "%s/" KAPP_RATED_FILE, state_dir);
	return append_line(path, entry);
}
