/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * usb.h — the libusb side of libkiosk (transport/transport_usb.c).
 *
 * One libusb context per kiosk_context, created on first use and freed when
 * the last open transport lets go. Discovery and hotplug are the platform
 * layer's (platform/platform.h, on udev).
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

/** Maps a libusb error to a kiosk error. */
int kioski_usb_error(int libusb_err);

/** The iSerialNumber string of `dev`, from sysfs when available, else by
 *  reading the string descriptor through `h` (may be NULL: then sysfs only).
 *  Returns true when found. */
bool kioski_usb_serial(libusb_device *dev, libusb_device_handle *h, char *out, size_t out_len);

#endif
