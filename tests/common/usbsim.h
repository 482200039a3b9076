/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * usbsim.h — emulate a USB device in-process for tests, under umockdev, so
 * that libkiosk's usb transport runs the real libusb against it.
 *
 * STABLE API (transports engineer). How to use it in a test:
 *
 *   CMake (until usbsim.c is part of a shared test target):
 *           pkg_check_modules(UMOCKDEV IMPORTED_TARGET umockdev-1.0)
 *           if(UMOCKDEV_FOUND)
 *             kiosk_test(test_x SOURCES test_x.c
 *               ${PROJECT_SOURCE_DIR}/tests/common/usbsim.c
 *               LIBS PkgConfig::UMOCKDEV UMOCKDEV)
 *           endif()
 *   C:      if (!usbsim_available()) test_skip("needs umockdev");
 *           static const struct sim_usb_ep eps[] = {
 *                   {0x81, SIM_USB_BULK, 64}, {0x02, SIM_USB_BULK, 64}};
 *           struct sim_usb_device d = {.vid = 0x0400, .pid = 0xc35a,
 *                   .serial = "S1", .eps = eps, .n_eps = 2};
 *           usbsim *sim = usbsim_new(&d);          // plugged in now
 *           usbsim_set_handler(sim, on_out, st);    // OUT data → your code
 *           … kiosk_*_open(ctx, usbsim_uri(sim), …) …
 *           // in on_out (runs on umockdev's thread): compute a reply and
 *           usbsim_queue_in(sim, 0x81, reply, n);
 *           usbsim_unplug(sim);                     // pending transfers fail NO_DEVICE
 *           usbsim_free(sim);
 *
 * Create every usbsim BEFORE the first libusb use in the process when you
 * need it found by enumeration without hotplug (libusb scans at init; later
 * devices arrive through hotplug, which libusb also processes).
 *
 * Semantics: IN transfers wait until data is queued for their endpoint;
 * each queued chunk is handed out in pieces of at most the transfer's length
 * (the transport asks for one wMaxPacketSize). A zero-length chunk is a
 * zero-length packet. String descriptors (manufacturer, product, serial) are
 * answered on EP0 and also appear as sysfs attributes.
 */
#ifndef KIOSK_USBSIM_H
#define KIOSK_USBSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sim.h"

typedef struct usbsim usbsim;

/** Host → device data on OUT endpoint `ep`. Runs on umockdev's handler
 *  thread; may call usbsim_queue_in()/usbsim_stall()/usbsim_unplug(). */
typedef void (*usbsim_out_fn)(usbsim *sim, uint8_t ep, const uint8_t *data, size_t len,
			      void *user);

/** True when running under umockdev-wrapper (and KIOSK_TEST_NO_UMOCKDEV is unset). */
bool usbsim_available(void);

/** Adds and plugs in a device (bus 1; d->devnum 0 picks the next free
 *  address). The description is copied. NULL on failure (message on stderr). */
usbsim *usbsim_new(const struct sim_usb_device *d);

/** Adds a device answered by a umockdev ioctl script instead (e.g. one
 *  written by sim_usb_write_dir()); `ioctl_file` NULL: no answers at all, so
 *  transfers fail with I/O errors. Handlers, queues and stalls do not apply. */
usbsim *usbsim_new_scripted(const struct sim_usb_device *d, const char *ioctl_file);

/** "usb:vvvv:pppp?serial=S" (or without serial). Valid until usbsim_free. */
const char *usbsim_uri(usbsim *sim);

void usbsim_set_handler(usbsim *sim, usbsim_out_fn fn, void *user);

/** Queues `len` bytes (0 = one zero-length packet) for IN endpoint `ep`. Thread-safe. */
void usbsim_queue_in(usbsim *sim, uint8_t ep, const void *data, size_t len);

/** The next transfer on `ep` (or the one waiting now, for IN) fails with a stall. */
void usbsim_stall(usbsim *sim, uint8_t ep);

/** Makes claiming the interface fail with errno `err` (EBUSY: another
 *  program holds it); 0 restores success. */
void usbsim_fail_claim(usbsim *sim, int err);

/** Unplugs the device: waiting transfers end with "device gone", later ones
 *  fail with ENODEV, and a remove uevent goes out (libusb hotplug). */
void usbsim_unplug(usbsim *sim);

/** Counters for checks. */
struct usbsim_stats {
	unsigned out_transfers, in_transfers; /* completed with data */
	unsigned interrupt_urbs;              /* URBs submitted as interrupt (others bulk) */
	unsigned claims, releases;
	unsigned detaches, attaches;          /* kernel driver detach/re-attach */
	bool driver_bound;                    /* the kernel driver is bound now */
};
void usbsim_get_stats(usbsim *sim, struct usbsim_stats *st);

/** Unplugs (if still plugged) and frees. NULL is a no-op. */
void usbsim_free(usbsim *sim);

#endif
