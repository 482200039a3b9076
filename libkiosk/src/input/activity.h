/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * activity.h — input activity of a context (input/activity.c): every touch
 * and every scan counts, kiosk_input_idle_ms() reads it.
 */
#ifndef KIOSKI_INPUT_ACTIVITY_H
#define KIOSKI_INPUT_ACTIVITY_H

#include "driver.h"

/** Records input activity at `time_ms` (0 = now) for ctx. */
void kioski_input_activity(kiosk_context *ctx, uint64_t time_ms);

#endif
