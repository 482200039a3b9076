/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * platform.h — the platform layer (libkiosk/src/platform/): which device
 * nodes exist and when they come and go, through libudev. It is the one
 * module that knows the OS's device model; a port to another OS replaces
 * this folder. Users: discovery and hotplug events (discover.c, hotplug.c),
 * the scanner's usb: → node lookup, the usb transport's serial lookup, and
 * device recovery (a background re-open when a device's node comes back).
 *
 * Nodes of three kinds are seen:
 *  - KIOSKI_NODE_USB: a USB device (subsystem "usb", devtype usb_device),
 *    devnode /dev/bus/usb/BBB/DDD;
 *  - KIOSKI_NODE_TTY: a USB serial port (subsystem "tty", ttyUSB* / ttyACM*),
 *    devnode /dev/ttyUSBn — matched to its adapter by USB id or ID_PATH;
 *  - KIOSKI_NODE_INPUT: an evdev node (subsystem "input", event*),
 *    devnode /dev/input/eventN;
 *  - KIOSKI_NODE_LP: a USB printer class node (subsystem "usbmisc", lp*),
 *    devnode /dev/usb/lpN.
 * Each carries the ids of the USB device it belongs to (0:0 when it is not
 * on USB), that device's serial and udev's ID_PATH (the physical port, stable
 * across replugs into the same socket; "" where udev set none).
 */
#ifndef KIOSKI_PLATFORM_H
#define KIOSKI_PLATFORM_H

#include "driver.h"

enum kioski_node_kind {
	KIOSKI_NODE_USB = 1,
	KIOSKI_NODE_TTY = 2,
	KIOSKI_NODE_INPUT = 4,
	KIOSKI_NODE_LP = 8,
};
#define KIOSKI_NODE_ALL (KIOSKI_NODE_USB | KIOSKI_NODE_TTY | KIOSKI_NODE_INPUT | KIOSKI_NODE_LP)

struct kioski_node {
	enum kioski_node_kind kind;
	const char *subsystem;  /**< "usb", "tty", "input" or "usbmisc" */
	const char *syspath;    /**< /sys/devices/… */
	const char *devnode;    /**< /dev/…, "" if the node has none */
	uint16_t vid, pid;      /**< of the USB device it belongs to; 0:0 if none */
	const char *serial;     /**< that USB device's iSerialNumber, "" if none */
	const char *id_path;    /**< udev's ID_PATH, "" if none */
	int busnum, devnum;     /**< that USB device's bus and address, 0 if none */
	bool keyboard;          /**< input: udev's ID_INPUT_KEYBOARD (or KEY) */
	bool touchscreen;       /**< input: udev's ID_INPUT_TOUCHSCREEN */
};

typedef void (*kioski_node_fn)(const struct kioski_node *node, void *user);

/**
 * Calls fn for every present node of the kinds in `kinds` (a KIOSKI_NODE_*
 * mask). Returns how many, or KIOSK_E_NOT_SUPPORTED without udev.
 */
int kioski_platform_enumerate(kiosk_context *ctx, unsigned kinds, kioski_node_fn fn, void *user);

/** What a node lookup matches; unset fields (0, NULL) match anything. */
struct kioski_node_match {
	unsigned kinds;
	uint16_t vid, pid;
	const char *serial;
	const char *id_path;   /**< udev ID_PATH of the node or of its USB device */
	bool keyboard;         /**< input nodes: only keyboards */
};

/**
 * The devnode of the matching node with the lowest name (ttyUSB0 before
 * ttyUSB1, event3 before event10) into out. KIOSK_OK, KIOSK_E_NOT_FOUND,
 * or KIOSK_E_NOT_SUPPORTED without udev.
 */
int kioski_platform_find(kiosk_context *ctx, const struct kioski_node_match *m, char *out,
			 size_t out_len);

/** The serial of the USB device at bus:address, "" if none; true when found. */
bool kioski_platform_usb_serial(int busnum, int devnum, char *out, size_t out_len);

/**
 * Watches nodes of `kinds` arriving and leaving: fn(arrived, node, user)
 * runs on the watch's own thread, never concurrently with itself, for each
 * change after this call (nodes present at the start are not announced).
 * A leaving node is described as it was seen arriving (or at the start):
 * ids, serial and ID_PATH are still there after the sysfs entry is gone.
 * Several watches may run at once. KIOSK_OK, KIOSK_E_NO_MEMORY or
 * KIOSK_E_NOT_SUPPORTED (no udev monitor).
 */
struct kioski_platform_watch;
typedef void (*kioski_node_change_fn)(bool arrived, const struct kioski_node *node, void *user);
int kioski_platform_watch_start(kiosk_context *ctx, unsigned kinds, kioski_node_change_fn fn,
				void *user, struct kioski_platform_watch **out);
/** Stops and frees a watch (joins its thread: fn is not called after this). NULL is a no-op. */
void kioski_platform_watch_stop(struct kioski_platform_watch *w);

#endif
