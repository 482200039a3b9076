/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/fleet.h — fleet telemetry: the terminal reports to the hall's MQTT
 * broker (docs/fleet.md holds the topic and message contract).
 *
 * Under `kiosk/HALL/ID/` the module publishes
 *   state          retained {"online": true, "version", "program", "since"};
 *                  the broker publishes the last will {"online": false}
 *                  (retained) when the terminal vanishes;
 *   device/CLASS   retained, on every change of a device of the context:
 *                  {"uri", "state", "paper"?, "coverOpen"?, "error"?, "since"}
 *                  ("since": when the device changed, i.e. its event's time);
 *   event          QoS 1, not retained: {"seq", "time", "type", …};
 * and answers settings sent to `kiosk/HALL/ID/config/set` and
 * `kiosk/HALL/all/config/set` on `kiosk/HALL/ID/config/ack`
 * {"id", "ok", "error"?}.
 *
 * Events are written to an on-disk queue (SQLite, WAL, one file, mode 0600)
 * before they are published and deleted only when the broker acknowledges
 * them, so a broker outage or a power cut loses none; `seq` grows by exactly
 * one per terminal across restarts (it is kept in the same file). The queue
 * is bounded: when full, the oldest events are dropped and an
 * `events_dropped` event {"count": N, "dropped": [[first_seq, last_seq], …]}
 * says how many and which (a seq in a range that did arrive is a drop
 * notice itself). No message ever carries personal data.
 *
 * Threads: the MQTT client (libmosquitto) runs on its own thread, which
 * connects, reconnects with exponential back-off (1 s doubling to 30 s, each
 * wait drawn between half and all of it, so that terminals that lost a
 * restarting broker together do not return together), publishes and
 * receives. It uses four descriptors (socket, libmosquitto's socket pair,
 * an eventfd) plus the queue's SQLite files, and works with descriptors
 * numbered 1024 and above, except over mqtts://, where libmosquitto's
 * select()-based loop needs the socket below 1024. Device changes are
 * followed inside kiosk_context_dispatch() (the application's events are not consumed: it
 * still gets every one from kiosk_context_next_event()). The config callback
 * runs on the fleet's thread (see kiosk_fleet_set_config_callback()).
 *
 * Optional at build time (CMake option KIOSK_FLEET, on where libmosquitto
 * and SQLite are found). Without it every function exists and returns
 * KIOSK_E_NOT_SUPPORTED.
 */
#ifndef KIOSK_FLEET_H
#define KIOSK_FLEET_H

#include <kiosk/common.h>
#include <kiosk/context.h>
#include <kiosk/device.h>

KIOSK_BEGIN_DECLS

/** A connection of this terminal to the hall's broker (opaque). */
typedef struct kiosk_fleet kiosk_fleet;

/**
 * What kiosk_fleet_new() needs. Set `size` to sizeof the struct (use
 * KIOSK_FLEET_OPTIONS_INIT): fields added by later releases are read only
 * when `size` covers them. Strings are copied.
 */
struct kiosk_fleet_options {
	size_t size;            /**< sizeof(struct kiosk_fleet_options) */
	const char *broker;     /**< "mqtt://HOST[:PORT]" (1883) or "mqtts://HOST[:PORT]" (8883) */
	const char *hall;       /**< hall id: [A-Za-z0-9_-], 1..64 chars, not "all" */
	const char *kiosk_id;   /**< terminal id, same characters; not "all" */
	const char *program;    /**< "kioskd", "kiosk-app", … (state's "program") */
	const char *username;   /**< MQTT user name, or NULL */
	const char *password;   /**< MQTT password, or NULL */
	const char *ca_file;    /**< mqtts: CA bundle (NULL: the system's) */
	const char *cert_file;  /**< mqtts: client certificate, or NULL */
	const char *key_file;   /**< mqtts: its key, or NULL */
	const char *queue_path; /**< the event queue's SQLite file (required; created 0600) */
	unsigned queue_max;     /**< events kept at most, >= 8 (0: 10000); drop notices come on top */
	int keepalive_s;        /**< MQTT keep-alive, 5..65535 s (0: 30); the will fires after 1.5x this */
};

/** Initialiser of a struct kiosk_fleet_options: `size` set, the rest zero. */
#define KIOSK_FLEET_OPTIONS_INIT {.size = sizeof(struct kiosk_fleet_options)}

/**
 * Opens the event queue, starts the MQTT client thread and begins
 * connecting (a broker that is not there yet is retried in the background;
 * events queue meanwhile). Returns KIOSK_OK, KIOSK_E_INVALID_ARG (a missing
 * or malformed option; kiosk_context_last_error() says which),
 * KIOSK_E_IO (the queue file cannot be opened), KIOSK_E_NO_MEMORY or
 * KIOSK_E_NOT_SUPPORTED (built without KIOSK_FLEET).
 */
KIOSK_API int kiosk_fleet_new(kiosk_context *ctx, const struct kiosk_fleet_options *opts,
			      kiosk_fleet **out);

/**
 * Publishes `{"online": false}` (retained) on `state` when connected,
 * waits up to 2 s for queued events to be acknowledged, disconnects and
 * frees. Events not yet acknowledged stay in the queue file for the next
 * run. Call it before kiosk_context_free(). NULL is a no-op.
 */
KIOSK_API void kiosk_fleet_free(kiosk_fleet *fleet);

/**
 * Queues an event: written to the queue file (and so safe) when this
 * returns, published when the broker is reachable. `type`: [a-z_], 1..32
 * chars ("print_failed", "paper_out", "paper_low", "card_read_failed",
 * "device_offline", "device_online", "rating", …). `fields_json`: a JSON
 * object whose members are added to the message (e.g. a rating's
 * {"case": "2026-000123", "level": 5, "reasons": ["快"]}), or NULL; it must
 * not hold "seq", "time" or "type", nor personal data. `seq` (may be NULL)
 * gets the event's sequence number. Returns KIOSK_OK, KIOSK_E_INVALID_ARG
 * or KIOSK_E_IO. Any thread.
 *
 * The module itself queues paper_out/paper_low (printer status events),
 * device_offline/device_online (device state events) and card_read_failed
 * (device errors of an ID-card reader); print_failed is the application's to
 * post, since only it knows which job mattered.
 */
KIOSK_API int kiosk_fleet_post_event(kiosk_fleet *fleet, const char *type,
				     const char *fields_json, uint64_t *seq);

/**
 * Publishes a device's current state on `device/CLASS` now (a device
 * opened before the fleet, or whose state never changed). Later changes of
 * any device of the context are published by themselves.
 */
KIOSK_API int kiosk_fleet_add_device(kiosk_fleet *fleet, kiosk_device *dev);

/**
 * Receives settings from `config/set`. `settings_json` is the received
 * object without its "id" (at least one member). Return true when applied;
 * false with a reason written to `error` (NUL-terminated, at most
 * `error_size` bytes) to refuse. Runs on the fleet's network thread: keep it
 * short and hand the settings to the application thread as it likes.
 */
typedef bool (*kiosk_fleet_config_fn)(kiosk_fleet *fleet, const char *settings_json,
				      char *error, size_t error_size, void *user);

/**
 * Sets (or, with NULL, clears) the config callback. Without one, every
 * config/set is answered `"ok": false, "error": "settings not accepted by
 * this program"`. Messages that are not a JSON object, or whose "id" is
 * neither a string nor a number, are answered ok:false with the reason and
 * never reach the callback. Setting the first callback while connected
 * subscribes again, so a retained config/set refused before it is delivered
 * once more.
 */
KIOSK_API int kiosk_fleet_set_config_callback(kiosk_fleet *fleet, kiosk_fleet_config_fn fn,
					      void *user);

/** True while connected to the broker. */
KIOSK_API bool kiosk_fleet_is_connected(kiosk_fleet *fleet);

/** Number of events in the queue not yet acknowledged by the broker (or an error < 0). */
KIOSK_API int kiosk_fleet_queued(kiosk_fleet *fleet);

KIOSK_END_DECLS

#endif
