/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * usb.h — the libusb side of libkiosk (transport_usb.c, usb_hotplug.c).
 *
 * One libusb context per kiosk_context, created on first use and freed when
 * the last user (open transport, enumeration, hotplug watch) lets go.
 *
 * Transfer shapes, relied on by emulators that script the device side
 * (hw/sim/sim_usb.c, tests/common/usbsim.c):
 *  - every IN transfer asks for exactly one wMaxPacketSize of the endpoint;
 *    bytes beyond what the caller wanted are kept for its next read;
 *  - OUT data goes out in transfers of at most KIOSKI_USB_OUT_CHUNK bytes,
 *    one transfer per write call when it fits;
 *  - bulk or interrupt is chosen from the endpoint descriptor.
 */
#ifndef KIOSKI_USB_H
#define KIOSKI_USB_H

#include <libusb.h>
#include "driver.h"

#define KIOSKI_USB_OUT_CHUNK 4096

/** The libusb context of `ctx`, created on first call; each successful call
 *  must be paired with kioski_usb_ctx_unref(). NULL with the context error
 *  set (and *err = KIOSK_E_IO / KIOSK_E_NO_MEMORY) on failure. */
libusb_context *kioski_usb_ctx_ref(kiosk_context *ctx, int *err);
void kioski_usb_ctx_unref(kiosk_context *ctx);

/** The device URI "usb:vvvv:pppp[?serial=S]" (S %-escaped; omitted when
 *  `serial` is NULL or empty) into out. */
void kioski_usb_uri(uint16_t vid, uint16_t pid, const char *serial, char *out, size_t out_len);

/** Maps a libusb error to a kiosk error. */
int kioski_usb_error(int libusb_err);

/** The iSerialNumber string of `dev`, from sysfs when available, else by
 *  reading the string descriptor through `h` (may be NULL: then sysfs only).
 *  Returns true when found. */
bool kioski_usb_serial(libusb_device *dev, libusb_device_handle *h, char *out, size_t out_len);

/**
 * Calls fn for every attached USB device (any VID:PID; `serial` is "" when
 * the device has none or it cannot be read without opening it). Returns the
 * number of devices (>= 0) or a kiosk error.
 */
int kioski_usb_enumerate(kiosk_context *ctx,
			 void (*fn)(uint16_t vid, uint16_t pid, const char *serial, uint8_t bus,
				    uint8_t addr, void *user),
			 void *user);

/**
 * Starts watching USB arrive/leave for `ctx` (one watch per context):
 * fn runs on a library thread, never concurrently with itself, for devices
 * plugged in or removed after this call. `serial` is the device's
 * iSerialNumber ("" if none); for a removal it is the one seen on arrival.
 * KIOSK_E_NOT_SUPPORTED where libusb has no hotplug; KIOSK_E_BUSY if the
 * context already has a watch.
 */
int kioski_usb_hotplug_start(kiosk_context *ctx,
			     void (*fn)(bool arrived, uint16_t vid, uint16_t pid, const char *serial,
					void *user),
			     void *user);

/** Stops the watch of `ctx` (joins its thread; fn is not called after this
 *  returns). No-op when none is running. */
void kioski_usb_hotplug_stop(kiosk_context *ctx);

#endif
