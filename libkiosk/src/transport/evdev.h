/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * evdev.h — what drivers may ask of an evdev transport
 * (evdev:/dev/input/eventN, transport/transport_evdev.c) beyond read/write:
 * the device's capabilities and axis ranges. Used by the touch and HID
 * scanner drivers; a transport of another scheme answers "not supported".
 */
#ifndef KIOSKI_TRANSPORT_EVDEV_H
#define KIOSKI_TRANSPORT_EVDEV_H

#include "driver.h"

struct input_absinfo;

/** The range of absolute axis `axis` (EVIOCGABS). KIOSK_OK or KIOSK_E_NOT_SUPPORTED. */
int kioski_evdev_get_abs(kioski_transport *t, unsigned axis, struct input_absinfo *info);

/** True if the device reports event `type` code `code` (EVIOCGBIT). */
bool kioski_evdev_has(kioski_transport *t, unsigned type, unsigned code);

#endif
