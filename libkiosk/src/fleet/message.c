/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* message.c — broker URIs and config/set payloads (see message.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fleet/message.h"

int kioski_fleet_parse_broker(const char *uri, char *host, size_t host_size, int *port, bool *tls)
{
	const char *p;
	if (!uri)
		return -1;
	if (!strncmp(uri, "mqtt://", 7)) {
		p = uri + 7;
		*tls = false;
		*port = 1883;
	} else if (!strncmp(uri, "mqtts://", 8)) {
		p = uri + 8;
		*tls = true;
		*port = 8883;
	} else {
		return -1;
	}
	size_t n = strcspn(p, ":/");
	if (n == 0 || n >= host_size)
		return -1;
	memcpy(host, p, n);
	host[n] = 0;
	p += n;
	if (*p == ':') {
		char *end;
		long v = strtol(p + 1, &end, 10);
		if (end == p + 1 || v < 1 || v > 65535 || (*end && strcmp(end, "/")))
			return -1;
		*port = (int)v;
	} else if (*p && strcmp(p, "/")) {
		return -1;
	}
	return 0;
}

bool kioski_fleet_config_parse(const void *payload, size_t len, cJSON **id, char **settings,
			       char *error, size_t error_size)
{
	*id = NULL;
	*settings = NULL;
	if (len > KIOSKI_FLEET_CONFIG_MAX) {
		snprintf(error, error_size, "settings too large");
		return false;
	}
	cJSON *root = cJSON_ParseWithLength(payload, len);
	if (!root || !cJSON_IsObject(root)) {
		snprintf(error, error_size, root ? "not a JSON object" : "not valid JSON");
		cJSON_Delete(root);
		return false;
	}
	cJSON *given = cJSON_DetachItemFromObjectCaseSensitive(root, "id");
	bool ok = false;
	if (!given || !(cJSON_IsString(given) || cJSON_IsNumber(given))) {
		snprintf(error, error_size, "\"id\" must be a string or a number");
		cJSON_Delete(given);
		given = NULL;
	} else if (cJSON_GetObjectItemCaseSensitive(root, "id")) {
		snprintf(error, error_size, "\"id\" given twice");
	} else if (!root->child) {
		snprintf(error, error_size, "no settings");
	} else if (!(*settings = cJSON_PrintUnformatted(root))) {
		snprintf(error, error_size, "out of memory");
	} else {
		ok = true;
	}
	*id = given;
	cJSON_Delete(root);
	return ok;
}
