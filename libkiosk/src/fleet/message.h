/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * message.h — the fleet module's parsers of what comes from outside: the
 * broker URI an application passes and the `config/set` payloads any
 * publisher with write access to the topic can send (docs/fleet.md).
 * Pure functions (cJSON only), so a fuzz target runs them without a broker.
 */
#ifndef KIOSKI_FLEET_MESSAGE_H
#define KIOSKI_FLEET_MESSAGE_H
#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

/* Largest config/set payload accepted, in bytes. */
#define KIOSKI_FLEET_CONFIG_MAX (64 * 1024)

/* mqtt://HOST[:PORT][/] or mqtts://HOST[:PORT][/] → host, port (1883 or 8883
 * by default), tls. 0, or -1 when the URI is anything else. */
int kioski_fleet_parse_broker(const char *uri, char *host, size_t host_size, int *port, bool *tls);

/* Splits a config/set payload into its "id" (a string or number, detached:
 * the caller cJSON_Delete()s it; NULL when absent or of another type) and
 * the settings — the same object without "id", printed unformatted (the
 * caller free()s it). False with `error` set when the payload is too large,
 * not JSON, not an object, has no usable id or no settings; then *settings
 * is NULL (and *id may still be set, for the answer). */
bool kioski_fleet_config_parse(const void *payload, size_t len, cJSON **id, char **settings,
			       char *error, size_t error_size);
#endif
