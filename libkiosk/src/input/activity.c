/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * activity.c — inactivity: milliseconds since the last touch or scan of a
 * context (kept in the context, as an atomic time stamp).
 */
#include "core/internal.h"
#include "input/activity.h"

void kioski_input_activity(kiosk_context *ctx, uint64_t time_ms)
{
	if (!ctx)
		return;
	if (!time_ms)
		time_ms = kioski_now_ms();
	uint64_t seen = atomic_load(&ctx->last_input_ms);
	while (time_ms > seen && !atomic_compare_exchange_weak(&ctx->last_input_ms, &seen, time_ms))
		;
}

uint64_t kiosk_input_idle_ms(kiosk_context *ctx)
{
	if (!ctx)
		return 0;
	uint64_t now = kioski_now_ms(), last = atomic_load(&ctx->last_input_ms);
	return now > last ? now - last : 0;
}

void kiosk_input_note_activity(kiosk_context *ctx)
{
	kioski_input_activity(ctx, 0);
}
