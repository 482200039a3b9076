/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * printer_private.h — the receipt-printer family inside libkiosk: the
 * kiosk_printer handle (printer/printer.c) and the ops a printer driver
 * (drivers/escpos) implements.
 *
 * The boundary: the front-end is device-independent. It lays a receipt out
 * for the printer's profile (printer/receipt_layout.h, shared with the PNG
 * preview) and hands the driver that layout; the driver owns its wire
 * protocol entirely (for ESC/POS: the encoding, status, chunking, recovery).
 */
#ifndef KIOSKI_PRINTER_PRIVATE_H
#define KIOSKI_PRINTER_PRIVATE_H

#include <pthread.h>
#include "driver.h"
#include "printer/printer_profile.h"
#include "printer/receipt_layout.h"
#include <kiosk/printer.h>
#include <kiosk/receipt.h>

#define KIOSKI_PRINTER_DEFAULT_PAPER_WAIT_MS 10000
#define KIOSKI_PRINTER_DEFAULT_POLL_MS 2000
#define KIOSKI_PRINTER_DEFAULT_IO_TIMEOUT_MS 5000

struct kiosk_printer {
	kiosk_device base; /* first: (kiosk_device *)prn is valid */
	struct kioski_printer_profile profile;
	pthread_mutex_t lock;                /* guards the fields below */
	struct kiosk_printer_status last;    /* last status seen */
	bool have_last;
	int paper_wait_ms;
	int poll_ms;
	int io_timeout_ms;                   /* per I/O step (URI option timeout_ms) */
	bool status_channel;                 /* the link can carry replies (URI status=none turns it off) */
};

/** A queued print (owned by the job). */
struct kioski_print_work {
	kiosk_printer *prn;
	struct kioski_layout layout;
};

/** What a printer driver implements (struct kioski_driver.ops). All calls
 *  but `render` run on the device worker. */
struct kioski_printer_ops {
	/** Sets up driver state (prn->base.priv); the transport is open. */
	int (*open)(kiosk_printer *prn);
	/** Queries DLE EOT 1–4 (or the model's equivalent) within timeout_ms. */
	int (*status)(kiosk_printer *prn, int timeout_ms, struct kiosk_printer_status *st);
	/** Prints the laid-out receipt as `job`; completes the job exactly once.
	 *  The layout's substitution reports are for the completion message. */
	void (*print)(kiosk_printer *prn, kiosk_job *job, const struct kioski_layout *layout);
	/** Sends raw bytes. */
	int (*write_raw)(kiosk_printer *prn, const void *data, size_t len, int timeout_ms);
	/** Frees driver state (prn->base.priv). */
	void (*close)(kiosk_printer *prn);
	/** Encodes a layout as the bytes this driver would send for it, without
	 *  a device (kiosk_receipt_render_escpos()). *data is malloc'ed. Returns
	 *  KIOSK_OK, KIOSK_E_NO_MEMORY or KIOSK_E_INVALID_ARG with `err` set.
	 *  Optional; any thread. */
	int (*render)(const struct kioski_layout *layout, uint8_t **data, size_t *len, char *err,
		      size_t err_len);
	/** The link was re-opened (a new connection): forget per-link state. Optional. */
	void (*relinked)(kiosk_printer *prn);
};

/** Records a status seen by the driver; posts KIOSK_EVENT_PRINTER_STATUS if it changed. */
void kioski_printer_note_status(kiosk_printer *prn, const struct kiosk_printer_status *st);

/** True when two snapshots differ in anything but time and raw bytes. */
bool kioski_printer_status_changed(const struct kiosk_printer_status *a,
				   const struct kiosk_printer_status *b);

/** Reopens a transport that failed (kioski_device_link_down()). KIOSK_OK or the open error. */
int kioski_printer_relink(kiosk_printer *prn);

#endif
