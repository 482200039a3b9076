/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_fleet_config.c — libFuzzer target for the fleet module's parsers of
 * outside input: config/set payloads (anyone allowed to publish on the topic
 * can send them) and broker URIs.
 *
 * First byte 0: the rest is a broker URI. An accepted one starts with
 * mqtt:// or mqtts:// (tls set accordingly), gives a non-empty host with no
 * ':' or '/', and a port in 1..65535.
 * Otherwise: the rest is a config/set payload. Accepted settings are a JSON
 * object with at least one member and no "id", and the id is a string or a
 * number; a refusal always says why and hands out no settings.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fleet/message.h"

#define FAIL(...)                                                                           \
	do {                                                                                \
		fprintf(stderr, "fuzz_fleet_config: " __VA_ARGS__);                         \
		fputc('\n', stderr);                                                        \
		abort();                                                                    \
	} while (0)

static void broker(const char *uri)
{
	char host[256];
	int port = 0;
	bool tls = false;
	if (kioski_fleet_parse_broker(uri, host, sizeof host, &port, &tls))
		return;
	bool plain = !strncmp(uri, "mqtt://", 7), secure = !strncmp(uri, "mqtts://", 8);
	if (!(plain || secure) || tls != secure)
		FAIL("accepted '%s' (tls %d)", uri, tls);
	if (!host[0] || strpbrk(host, ":/") || port < 1 || port > 65535)
		FAIL("'%s' gave host '%s' port %d", uri, host, port);
	if (!strstr(uri, host))
		FAIL("'%s' gave a host not in it: '%s'", uri, host);
}

static void config(const uint8_t *data, size_t len)
{
	cJSON *id = NULL;
	char *settings = NULL, error[256] = "";
	bool ok = kioski_fleet_config_parse(data, len, &id, &settings, error, sizeof error);
	if (!ok) {
		if (!error[0] || settings)
			FAIL("refused without a reason, or with settings");
	} else {
		if (!id || !(cJSON_IsString(id) || cJSON_IsNumber(id)))
			FAIL("accepted without a usable id");
		cJSON *back = settings ? cJSON_Parse(settings) : NULL;
		if (!back || !cJSON_IsObject(back) || !back->child)
			FAIL("accepted settings that are not a non-empty object: %s",
			     settings ? settings : "(null)");
		if (cJSON_GetObjectItemCaseSensitive(back, "id"))
			FAIL("the id stayed among the settings: %s", settings);
		cJSON_Delete(back);
	}
	if (id && !(cJSON_IsString(id) || cJSON_IsNumber(id)))
		FAIL("handed out an id of another type");
	cJSON_Delete(id);
	free(settings);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 2 * KIOSKI_FLEET_CONFIG_MAX)
		return 0;
	if (data[0] == 0) {
		char *uri = malloc(size);
		if (!uri)
			return 0;
		memcpy(uri, data + 1, size - 1);
		uri[size - 1] = 0;
		broker(uri);
		free(uri);
	} else {
		config(data + 1, size - 1);
	}
	return 0;
}
