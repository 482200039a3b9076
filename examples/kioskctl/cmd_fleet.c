/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd_fleet.c — kioskctl fleet status: every terminal of a hall as the
 * hall's MQTT broker knows it (retained kiosk/HALL/ID/state and
 * kiosk/HALL/ID/device/CLASS, docs/fleet.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "kioskctl.h"

#ifdef KIOSKCTL_FLEET
#include <mosquitto.h>

struct status {
	cJSON *kiosks;         /* "HALL/ID" → {"hall", "id", "state", "devices"} */
	bool subscribed;
	int connack;           /* -1 until CONNACK */
	struct timespec last;  /* last message or SUBACK */
	const char *hall;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double last_activity;

static void on_connect(struct mosquitto *mosq, void *obj, int rc)
{
	struct status *s = obj;
	s->connack = rc;
	if (rc)
		return;
	char t[2][160];
	snprintf(t[0], sizeof t[0], "kiosk/%s/+/state", s->hall);
	snprintf(t[1], sizeof t[1], "kiosk/%s/+/device/+", s->hall);
	char *subs[2] = {t[0], t[1]};
	mosquitto_subscribe_multiple(mosq, NULL, 2, subs, 1, 0, NULL);
}

static void on_subscribe(struct mosquitto *mosq, void *obj, int mid, int n, const int *qos)
{
	(void)mosq, (void)mid, (void)n, (void)qos;
	struct status *s = obj;
	s->subscribed = true;
	last_activity = now_s();
}

static void on_message(struct mosquitto *mosq, void *obj, const struct mosquitto_message *m)
{
	(void)mosq;
	struct status *s = obj;
	last_activity = now_s();
	/* kiosk/HALL/ID/state or kiosk/HALL/ID/device/CLASS */
	char **parts;
	int n;
	if (mosquitto_sub_topic_tokenise(m->topic, &parts, &n) != MOSQ_ERR_SUCCESS)
		return;
	bool is_state = n == 4 && !strcmp(parts[3], "state");
	bool is_device = n == 5 && !strcmp(parts[3], "device");
	cJSON *payload = m->payloadlen > 0 ? cJSON_ParseWithLength(m->payload, (size_t)m->payloadlen) : NULL;
	if ((is_state || is_device) && payload && cJSON_IsObject(payload) && m->payloadlen > 0) {
		char key[300];
		snprintf(key, sizeof key, "%s/%s", parts[1], parts[2]);
		cJSON *k = cJSON_GetObjectItemCaseSensitive(s->kiosks, key);
		if (!k) {
			k = cJSON_CreateObject();
			cJSON_AddStringToObject(k, "hall", parts[1]);
			cJSON_AddStringToObject(k, "id", parts[2]);
			cJSON_AddNullToObject(k, "state");
			cJSON_AddObjectToObject(k, "devices");
			cJSON_AddItemToObject(s->kiosks, key, k);
		}
		if (is_state)
			cJSON_ReplaceItemInObjectCaseSensitive(k, "state", payload);
		else {
			cJSON *devs = cJSON_GetObjectItemCaseSensitive(k, "devices");
			cJSON_DeleteItemFromObjectCaseSensitive(devs, parts[4]);
			cJSON_AddItemToObject(devs, parts[4], payload);
		}
		payload = NULL;
	} else if (m->payloadlen > 0) {
		fprintf(stderr, "kioskctl: fleet: ignoring %s: not a JSON object\n", m->topic);
	}
	cJSON_Delete(payload);
	mosquitto_sub_topic_tokens_free(&parts, n);
}

static const char *str(cJSON *o, const char *name, const char *dflt)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : dflt;
}

static void print_text(cJSON *kiosks)
{
	cJSON *k;
	cJSON_ArrayForEach(k, kiosks) {
		cJSON *st = cJSON_GetObjectItemCaseSensitive(k, "state");
		cJSON *online = cJSON_GetObjectItemCaseSensitive(st, "online");
		printf("%s/%s  %s", str(k, "hall", "?"), str(k, "id", "?"),
		       cJSON_IsTrue(online) ? "online" : cJSON_IsFalse(online) ? "offline" : "unknown");
		if (cJSON_IsTrue(online))
			printf("  %s %s  since %s", str(st, "program", "?"), str(st, "version", "?"),
			       str(st, "since", "?"));
		printf("\n");
		cJSON *d;
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(k, "devices")) {
			printf("  %-8s %-8s", d->string, str(d, "state", "?"));
			if (str(d, "paper", NULL))
				printf(" paper=%s", str(d, "paper", ""));
			cJSON *cover = cJSON_GetObjectItemCaseSensitive(d, "coverOpen");
			if (cJSON_IsBool(cover))
				printf(" cover=%s", cJSON_IsTrue(cover) ? "open" : "closed");
			if (str(d, "error", NULL))
				printf(" error=%s", str(d, "error", ""));
			printf("  %s  since %s\n", str(d, "uri", "?"), str(d, "since", "?"));
		}
	}
}

static int parse_broker(const char *uri, char *host, size_t size, int *port, bool *tls)
{
	const char *p;
	if (!strncmp(uri, "mqtt://", 7))
		p = uri + 7, *tls = false, *port = 1883;
	else if (!strncmp(uri, "mqtts://", 8))
		p = uri + 8, *tls = true, *port = 8883;
	else
		return -1;
	size_t n = strcspn(p, ":/");
	if (n == 0 || n >= size)
		return -1;
	memcpy(host, p, n);
	host[n] = 0;
	if (p[n] == ':') {
		char *end;
		long v = strtol(p + n + 1, &end, 10);
		if (v < 1 || v > 65535 || (*end && strcmp(end, "/")))
			return -1;
		*port = (int)v;
	} else if (p[n] && strcmp(p + n, "/")) {
		return -1;
	}
	return 0;
}

static int read_password(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	bool ok = fgets(out, (int)size, f) != NULL;
	fclose(f);
	out[strcspn(out, "\r\n")] = 0;
	return ok ? 0 : -1;
}
#endif

static int status_usage(FILE *f, int rc)
{
	fprintf(f, "usage: kioskctl fleet status --broker mqtt://HOST[:PORT] [--hall HALL] [--json]\n"
		   "  Lists every terminal of a hall with its state and devices, as retained on\n"
		   "  the hall's MQTT broker (topics kiosk/HALL/ID/state and .../device/CLASS).\n"
		   "  --broker URI          mqtt://HOST[:PORT] (1883) or mqtts://HOST[:PORT] (8883)\n"
		   "  --hall HALL           one hall (default: every hall)\n"
		   "  --json                one JSON document {\"kiosks\": [...]}\n"
		   "  --timeout SEC         wait at most this long for the broker (default 3)\n"
		   "  --user NAME           MQTT user name\n"
		   "  --password-file FILE  the MQTT password, first line of FILE\n"
		   "  --cafile FILE         mqtts: CA certificates (default: the system's)\n");
	return rc;
}

int kioskctl_fleet(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "--help"))
		return status_usage(stdout, KIOSKCTL_EXIT_OK);
	if (argc < 2 || strcmp(argv[1], "status"))
		return kioskctl_usage("fleet: the subcommand is 'status' (kioskctl fleet --help)");
	const char *broker = NULL, *hall = "+", *user = NULL, *pwfile = NULL, *cafile = NULL;
	bool json = false;
	int timeout_ms = 3000;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		bool has = i + 1 < argc;
		if (!strcmp(a, "--help"))
			return status_usage(stdout, KIOSKCTL_EXIT_OK);
		else if (!strcmp(a, "--json"))
			json = true;
		else if (!strcmp(a, "--broker") && has)
			broker = argv[++i];
		else if (!strcmp(a, "--hall") && has)
			hall = argv[++i];
		else if (!strcmp(a, "--user") && has)
			user = argv[++i];
		else if (!strcmp(a, "--password-file") && has)
			pwfile = argv[++i];
		else if (!strcmp(a, "--cafile") && has)
			cafile = argv[++i];
		else if (!strcmp(a, "--timeout") && has) {
			timeout_ms = kioskctl_parse_seconds(argv[++i]);
			if (timeout_ms <= 0)
				return kioskctl_usage("fleet: --timeout wants a positive number of seconds");
		} else
			return kioskctl_usage("fleet: unknown or incomplete option '%s'", a);
	}
	if (!broker)
		return kioskctl_usage("fleet status: --broker mqtt://HOST[:PORT] is required");
	if (!hall[0] || strchr(hall, '/') || strchr(hall, '#') || (strchr(hall, '+') && strcmp(hall, "+")))
		return kioskctl_usage("fleet status: --hall must be one hall id");
#ifndef KIOSKCTL_FLEET
	(void)json, (void)timeout_ms, (void)user, (void)pwfile, (void)cafile;
	return kioskctl_fail("fleet", "this kioskctl was built without fleet support (libmosquitto)");
#else
	char host[256];
	int port;
	bool tls;
	if (parse_broker(broker, host, sizeof host, &port, &tls))
		return kioskctl_usage("fleet status: --broker must be mqtt://HOST[:PORT] or mqtts://HOST[:PORT]");
	char password[256] = "";
	if (pwfile && read_password(pwfile, password, sizeof password))
		return kioskctl_fail("fleet", "cannot read the password file %s", pwfile);
	mosquitto_lib_init();
	struct status s = {.kiosks = cJSON_CreateObject(), .connack = -1, .hall = hall};
	struct mosquitto *mosq = mosquitto_new(NULL, true, &s);
	int rc = KIOSKCTL_EXIT_FAIL;
	if (!mosq || !s.kiosks)
		goto out;
	mosquitto_connect_callback_set(mosq, on_connect);
	mosquitto_subscribe_callback_set(mosq, on_subscribe);
	mosquitto_message_callback_set(mosq, on_message);
	if (user)
		mosquitto_username_pw_set(mosq, user, pwfile ? password : NULL);
	if (tls && mosquitto_tls_set(mosq, cafile, cafile ? NULL : "/etc/ssl/certs", NULL, NULL, NULL)) {
		rc = kioskctl_fail("fleet", "cannot set up TLS");
		goto out;
	}
	int mrc = mosquitto_connect(mosq, host, port, 10);
	if (mrc != MOSQ_ERR_SUCCESS) {
		rc = kioskctl_fail("fleet", "%s: %s", broker,
				   mrc == MOSQ_ERR_ERRNO ? "cannot connect" : mosquitto_strerror(mrc));
		goto out;
	}
	/* Retained messages follow the SUBACK at once: stop after 300 ms of
	 * quiet, or at the timeout. */
	double deadline = now_s() + timeout_ms / 1000.0;
	while (now_s() < deadline) {
		mrc = mosquitto_loop(mosq, 100, 1);
		if (s.connack > 0)
			break;
		if (mrc != MOSQ_ERR_SUCCESS && s.connack != 0)
			break;
		if (s.subscribed && now_s() - last_activity > 0.3)
			break;
	}
	if (s.connack != 0) {
		rc = kioskctl_fail("fleet", "%s: %s", broker,
				   s.connack > 0 ? mosquitto_connack_string(s.connack) : "no answer");
		goto out;
	}
	if (!s.subscribed) {
		rc = kioskctl_fail("fleet", "%s: subscription not confirmed in time", broker);
		goto out;
	}
	if (json) {
		cJSON *doc = cJSON_CreateObject();
		cJSON *arr = cJSON_AddArrayToObject(doc, "kiosks");
		cJSON *k;
		cJSON_ArrayForEach(k, s.kiosks)
			cJSON_AddItemToArray(arr, cJSON_Duplicate(k, true));
		char *text = cJSON_Print(doc);
		if (text)
			printf("%s\n", text);
		free(text);
		cJSON_Delete(doc);
	} else if (!s.kiosks->child) {
		fprintf(stderr, "kioskctl: fleet: no terminal has reported to %s\n", broker);
	} else {
		print_text(s.kiosks);
	}
	rc = KIOSKCTL_EXIT_OK;
	mosquitto_disconnect(mosq);
out:
	explicit_bzero(password, sizeof password);
	mosquitto_destroy(mosq);
	cJSON_Delete(s.kiosks);
	mosquitto_lib_cleanup();
	return rc;
#endif
}
