/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * touch_virtual.c — the touch device an application feeds itself
 * (kiosk_touch_new_virtual() + kiosk_touch_feed(), e.g. from SDL2 events
 * through <kiosk/touch-sdl.h>). It has no transport and no pump.
 */
#include "input/touch-private.h"

static const struct kioski_touch_ops virtual_ops = {0};

const struct kioski_driver kioski_driver_touch_virtual = {
	.id = "touch-virtual",
	.full_name = "Touch input fed by the application (SDL2 or other toolkits)",
	.cls = KIOSK_CLASS_TOUCH,
	.ops = &virtual_ops,
};
