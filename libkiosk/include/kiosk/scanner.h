/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/scanner.h — QR/barcode scanners.
 *
 * Two kinds of scanner are supported behind one handle:
 *
 *   serial:PATH[?baud=N][&terminator=cr|lf|crlf|auto]
 *       a scanner on a (USB-)serial line that sends each code followed by
 *       a terminator. `auto` (the default) ends a code at CR, at LF or at
 *       CR LF; `cr` ends it at CR only (LF is then data), `lf` at LF only
 *       (CR is then data), `crlf` only at the pair CR LF. Other control
 *       bytes (0x00–0x1F except TAB, and 0x7F) are line noise and dropped.
 *       baud defaults to 9600.
 *
 *   evdev:/dev/input/eventN[?grab=0|1][&terminator=enter|tab]
 *       a USB HID "keyboard wedge" scanner read as an input device: its
 *       key events are decoded with a US keyboard layout (both shift keys
 *       honoured, caps lock ignored because the scanner itself sends shift
 *       for capitals, Ctrl/Meta chords dropped, Alt+keypad codes decoded as
 *       below) and a code ends at Enter or keypad Enter (or Tab with
 *       terminator=tab). The device is grabbed (EVIOCGRAB, grab=1 is the
 *       default) so that scans never reach other applications as keystrokes.
 *
 *   usb:VVVV:PPPP[?serial=S][&path=ID_PATH]
 *       finds the attached USB device through udev (by its ids and serial,
 *       or by `path`, udev's ID_PATH of the port it is plugged into): its keyboard evdev
 *       node (wedge mode) or its tty (USB CDC serial mode), as the scanner
 *       profile (hw/profiles/scanner/) for that VID:PID says; without a
 *       profile, an evdev keyboard node is preferred over a tty.
 *
 * Chinese text: a keyboard wedge can only "type" what a US keyboard has.
 * For QR codes holding Chinese, either use serial mode (most scanner engines
 * switch to USB CDC serial by a configuration code; the bytes arrive as the
 * scanner sends them, GB18030 or UTF-8), or set the scanner's "ALT+keypad"
 * emulation with GBK code values: Alt + keypad digits are decoded to the
 * value's bytes (1–255 one byte, larger values two bytes, high first), so
 * such a code arrives in GBK.
 *
 * Options common to all: `char_timeout_ms=N` (default 300) — a code whose
 * next character does not arrive within N ms is incomplete (a scan cut off
 * by a bad read, a pulled cable): it is discarded and logged at WARN, never
 * delivered; `max_len=N` (default 8192) — longer codes are discarded;
 * `profile=NAME` — use that scanner profile.
 *
 * A scan is always delivered whole: as the result of kiosk_scanner_read()
 * or of a read job, or — while watching — as a KIOSK_EVENT_SCAN event.
 * A code completed while nobody reads and the scanner is not watched is kept
 * for one second (for a read that starts right after, as in a loop calling
 * kiosk_scanner_read()), then dropped (logged at INFO): a kiosk must never
 * act on a stale scan. Up to 8 codes are kept; a scanner that is unplugged
 * posts KIOSK_EVENT_DEVICE_LEFT and its reads fail with KIOSK_E_NO_DEVICE
 * until it is closed and opened again.
 * Codes are raw bytes as the scanner sent them (usually ASCII or UTF-8; some
 * scanners send GB18030): a NUL-terminated buffer plus its length.
 */
#ifndef KIOSK_SCANNER_H
#define KIOSK_SCANNER_H

#include <kiosk/common.h>
#include <kiosk/context.h>
#include <kiosk/device.h>
#include <kiosk/job.h>

KIOSK_BEGIN_DECLS

/** An open QR/barcode scanner (opaque). */
typedef struct kiosk_scanner kiosk_scanner;

/**
 * Opens the scanner named by `uri` (see above) and starts reading it.
 * Returns KIOSK_OK and the handle in *scanner, or KIOSK_E_INVALID_ARG,
 * KIOSK_E_BAD_URI, KIOSK_E_NO_DEVICE, KIOSK_E_ACCESS, KIOSK_E_BUSY
 * (grabbed by someone else), KIOSK_E_NOT_FOUND (usb: no such device),
 * KIOSK_E_IO, KIOSK_E_NO_MEMORY, with kiosk_context_last_error() set.
 */
KIOSK_API int kiosk_scanner_open(kiosk_context *ctx, const char *uri, kiosk_scanner **scanner);

/** Stops reading, cancels pending reads (they complete with KIOSK_E_CANCELLED),
 *  releases the grab and closes the device. NULL is a no-op. */
KIOSK_API void kiosk_scanner_close(kiosk_scanner *scanner);

/** The scanner as a kiosk_device (borrowed; valid until close). */
KIOSK_API kiosk_device *kiosk_scanner_device(kiosk_scanner *scanner);

/**
 * Waits up to `timeout_ms` (KIOSK_TIMEOUT_INFINITE allowed) for one whole
 * scan. On KIOSK_OK, *code is a new NUL-terminated buffer (release it with
 * kiosk_free()) and *len (may be NULL) its length.
 * Errors: KIOSK_E_TIMEOUT, KIOSK_E_CANCELLED, KIOSK_E_NO_DEVICE (unplugged),
 * KIOSK_E_CLOSED, KIOSK_E_IO, KIOSK_E_BUSY (another read is pending).
 * *code is NULL on error.
 */
KIOSK_API int kiosk_scanner_read(kiosk_scanner *scanner, int timeout_ms, char **code, size_t *len);

/**
 * Starts an asynchronous read of one scan (see job.h). `cb` (may be NULL)
 * runs once inside kiosk_context_dispatch(). Take the code with
 * kiosk_job_take_scan() after completion. Only one read may be pending
 * (KIOSK_E_BUSY otherwise). Returns KIOSK_OK and *job, or an error and no job.
 */
KIOSK_API int kiosk_scanner_read_async(kiosk_scanner *scanner, int timeout_ms, kiosk_job_fn cb,
				       void *user, kiosk_job **job);

/**
 * Takes the code out of a completed read job: *code (release it with
 * kiosk_free()) and *len
 * (may be NULL). Returns KIOSK_OK, the job's error if it failed,
 * KIOSK_E_STATE if it has not completed or the code was already taken, or
 * KIOSK_E_INVALID_ARG if it is not a scanner read job.
 */
KIOSK_API int kiosk_job_take_scan(kiosk_job *job, char **code, size_t *len);

/** Deprecated: the same as kiosk_free(), which releases every buffer the
 *  library returns. Kept so that 0.x programs still build and link. */
KIOSK_API void kiosk_scanner_free_code(char *code)
	__attribute__((deprecated("use kiosk_free()")));

/**
 * While `enable` is true, every scan that no read is waiting for is posted
 * as a KIOSK_EVENT_SCAN event (kiosk_event_get_scan()) on the context.
 * Off after open. Returns KIOSK_OK.
 */
KIOSK_API int kiosk_scanner_watch(kiosk_scanner *scanner, bool enable);

/**
 * Sets the inter-character timeout (1–60000 ms; also the URI option
 * char_timeout_ms). A partial code older than this is discarded.
 */
KIOSK_API int kiosk_scanner_set_char_timeout(kiosk_scanner *scanner, int ms);

/** The inter-character timeout in ms. */
KIOSK_API int kiosk_scanner_get_char_timeout(kiosk_scanner *scanner);

/** Number of partial codes discarded so far (timeouts, overlong codes). */
KIOSK_API uint64_t kiosk_scanner_get_discarded(kiosk_scanner *scanner);

/* ---- inactivity ---------------------------------------------------------- */

/**
 * Milliseconds since the last touch (down, motion or up) or scan seen in
 * this context, from any scanner or touch device, or noted with
 * kiosk_input_note_activity(); since the context was created if none yet.
 * For the idle reset of a kiosk app. Thread-safe.
 */
KIOSK_API uint64_t kiosk_input_idle_ms(kiosk_context *ctx);

/** Records activity now (e.g. a key press the application saw itself). */
KIOSK_API void kiosk_input_note_activity(kiosk_context *ctx);

KIOSK_END_DECLS
#endif
