/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/error.h — error codes.
 *
 * Every libkiosk call that can fail returns an int: KIOSK_OK (0) on success or
 * one of the negative codes below. The codes are stable ABI: new ones are only
 * ever appended. A handle also keeps a human-readable message about its last
 * failure (kiosk_device_last_error(), kiosk_context_last_error()).
 */
#ifndef KIOSK_ERROR_H
#define KIOSK_ERROR_H

#include <kiosk/common.h>

KIOSK_BEGIN_DECLS

/** Result codes. 0 is success; every error is negative. */
enum kiosk_error {
	KIOSK_OK = 0,
	KIOSK_E_INVALID_ARG = -1,    /**< an argument is NULL, out of range or malformed */
	KIOSK_E_NO_MEMORY = -2,      /**< allocation failed */
	KIOSK_E_IO = -3,             /**< input/output error on the transport */
	KIOSK_E_TIMEOUT = -4,        /**< the operation did not finish in time */
	KIOSK_E_NO_DEVICE = -5,      /**< no such device, or it was unplugged */
	KIOSK_E_BUSY = -6,           /**< the device is in use by another operation or process */
	KIOSK_E_ACCESS = -7,         /**< permission denied (check udev rules / the kiosk group) */
	KIOSK_E_PROTOCOL = -8,       /**< the device sent something the protocol does not allow */
	KIOSK_E_CHECKSUM = -9,       /**< a frame failed its checksum (after bounded retries) */
	KIOSK_E_CANCELLED = -10,     /**< the operation was cancelled */
	KIOSK_E_CLOSED = -11,        /**< the peer closed the connection */
	KIOSK_E_NOT_SUPPORTED = -12, /**< the device or driver cannot do this */
	KIOSK_E_BAD_URI = -13,       /**< a device URI is malformed */
	KIOSK_E_NOT_FOUND = -14,     /**< no driver, profile, file or item of that name */
	KIOSK_E_BAD_DOCUMENT = -15,  /**< a receipt/JSON document is malformed */
	KIOSK_E_NO_CARD = -16,       /**< no ID card on the reader */
	KIOSK_E_CARD = -17,          /**< the card could not be selected/read/authenticated */
	KIOSK_E_SAM = -18,           /**< the reader's security module failed or is not authorised */
	KIOSK_E_PAPER_OUT = -19,     /**< the printer is out of paper */
	KIOSK_E_COVER_OPEN = -20,    /**< the printer cover is open */
	KIOSK_E_OFFLINE = -21,       /**< the printer is offline or in an error state */
	KIOSK_E_CUTTER = -22,        /**< the auto-cutter failed */
	KIOSK_E_OVERFLOW = -23,      /**< data too large for a buffer or a protocol field */
	KIOSK_E_STATE = -24,         /**< the call is not valid in the handle's current state */
	KIOSK_E_DECODER = -25,       /**< an external decoder (e.g. WLT photo) is missing or failed */
};

/** The code's name, e.g. "KIOSK_E_TIMEOUT"; "KIOSK_E_UNKNOWN" for an unknown code. Never NULL. */
KIOSK_API const char *kiosk_error_name(int err);

/** A short English description of the code. Never NULL. */
KIOSK_API const char *kiosk_strerror(int err);

KIOSK_END_DECLS
#endif
