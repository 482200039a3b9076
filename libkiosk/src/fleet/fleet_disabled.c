/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fleet_disabled.c — the fleet API in a build without KIOSK_FLEET (no
 * libmosquitto or SQLite): the same symbols, each KIOSK_E_NOT_SUPPORTED, so
 * the library's ABI does not depend on the build options.
 */
#include "core/internal.h"
#include <kiosk/fleet.h>

int kiosk_fleet_new(kiosk_context *ctx, const struct kiosk_fleet_options *opts, kiosk_fleet **out)
{
	(void)opts;
	if (out)
		*out = NULL;
	if (ctx)
		kioski_context_fail(ctx, KIOSK_E_NOT_SUPPORTED,
				    "fleet: built without KIOSK_FLEET (libmosquitto)");
	return KIOSK_E_NOT_SUPPORTED;
}

void kiosk_fleet_free(kiosk_fleet *fleet)
{
	(void)fleet;
}

int kiosk_fleet_post_event(kiosk_fleet *fleet, const char *type, const char *fields_json,
			   uint64_t *seq)
{
	(void)fleet, (void)type, (void)fields_json, (void)seq;
	return KIOSK_E_NOT_SUPPORTED;
}

int kiosk_fleet_add_device(kiosk_fleet *fleet, kiosk_device *dev)
{
	(void)fleet, (void)dev;
	return KIOSK_E_NOT_SUPPORTED;
}

int kiosk_fleet_set_config_callback(kiosk_fleet *fleet, kiosk_fleet_config_fn fn, void *user)
{
	(void)fleet, (void)fn, (void)user;
	return KIOSK_E_NOT_SUPPORTED;
}

bool kiosk_fleet_is_connected(kiosk_fleet *fleet)
{
	(void)fleet;
	return false;
}

int kiosk_fleet_queued(kiosk_fleet *fleet)
{
	(void)fleet;
	return KIOSK_E_NOT_SUPPORTED;
}
