/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/touch.h — touchscreens and their calibration.
 *
 * Touch input reaches the application as KIOSK_EVENT_TOUCH_DOWN / _MOTION /
 * _UP events whose kiosk_touch_point is already calibrated, from either of
 * two sources:
 *
 *   evdev:/dev/input/eventN[?grab=0|1][&calibration=FILE][&screen=WxH]
 *                          [&abs_x=MIN:MAX&abs_y=MIN:MAX]
 *       the kernel input device directly (for vendors without SDL):
 *       multitouch protocol B (ABS_MT_SLOT, ABS_MT_TRACKING_ID,
 *       ABS_MT_POSITION_X/Y) or single touch (ABS_X/ABS_Y + BTN_TOUCH, or
 *       BTN_LEFT). Not grabbed unless grab=1. `calibration` loads a file
 *       saved by kiosk_calibration_save(); `screen` sets the screen size
 *       (else the file's). `abs_x`/`abs_y` override the axis ranges the
 *       device reports (for panels that misreport them, like udev's
 *       EVDEV_ABS_00/01 hwdb fix); with both given, multitouch is also
 *       recognised from the events themselves. After SYN_DROPPED (events
 *       lost) every finger is lifted. Unplugging posts
 *       KIOSK_EVENT_DEVICE_LEFT after lifting every finger.
 *
 *   a virtual device (kiosk_touch_new_virtual()) that the application feeds
 *   with kiosk_touch_feed(), e.g. from SDL2 events through the inline
 *   helpers of <kiosk/touch-sdl.h>; the library itself never links SDL.
 *
 * Coordinates. "Normalised" means 0..1 across the axis (device axis range
 * for raw input, screen width/height for output). The calibration matrix
 * follows libinput's LIBINPUT_CALIBRATION_MATRIX convention: six numbers
 * [a b c; d e f] mapping normalised device coordinates (x, y) to normalised
 * screen coordinates x' = a·x + b·y + c, y' = d·x + e·y + f. Screen pixels
 * are then x'·width, y'·height.
 *
 * Inactivity (time since the last touch or scan) is kiosk_input_idle_ms(),
 * declared in <kiosk/scanner.h>.
 */
#ifndef KIOSK_TOUCH_H
#define KIOSK_TOUCH_H

#include <kiosk/common.h>
#include <kiosk/context.h>
#include <kiosk/device.h>
#include <kiosk/job.h>
#include <kiosk/event.h>

KIOSK_BEGIN_DECLS

/** An open touchscreen or a virtual (fed) touch device (opaque). */
typedef struct kiosk_touch kiosk_touch;

/** One touch point, as carried by TOUCH_* events (kiosk_event_get_touch()). */
struct kiosk_touch_point {
	int slot;          /**< finger slot, 0..N-1 (0 for single touch) */
	double x, y;       /**< calibrated position in screen pixels (0 if no screen size set) */
	double nx, ny;     /**< calibrated position, normalised 0..1 (may fall slightly outside) */
	double raw_nx;     /**< uncalibrated device position, normalised 0..1 — what */
	double raw_ny;     /**<   kiosk_calibration_compute() takes as `raw` */
	uint64_t time_ms;  /**< CLOCK_MONOTONIC milliseconds */
};

/* ---- calibration ------------------------------------------------------- */

/**
 * A touchscreen calibration: a value, copy it freely. The struct may grow in
 * later releases (fields are only appended): start from
 * KIOSK_CALIBRATION_INIT (or kiosk_calibration_identity()), which sets
 * `size`. The library reads and writes only the `size` bytes you have, sets
 * `size` to what it filled, and refuses a struct whose `size` is not set
 * with KIOSK_E_INVALID_ARG.
 */
struct kiosk_calibration {
	/** sizeof(struct kiosk_calibration) */
	size_t size;
	/** Normalised device → normalised screen, in the panel's own orientation
	 *  (libinput convention, see above). Identity: {1,0,0, 0,1,0}. */
	double matrix[6];
	/** Clockwise rotation of the displayed image, 0/90/180/270, applied after
	 *  `matrix` (portrait-mounted screens). */
	int rotation;
	/** The screen size in pixels the calibration was made for (0 if unknown;
	 *  informational, the matrix itself is size-independent). */
	int screen_w, screen_h;
	/** RMS error of the fit in screen pixels (0 if not from a fit; informational). */
	double rms_px;
};

/** Initialiser of a struct kiosk_calibration: `size` set, the identity. */
#define KIOSK_CALIBRATION_INIT                                                          \
	{.size = sizeof(struct kiosk_calibration), .matrix = {1, 0, 0, 0, 1, 0}}

/** Sets *cal to the default calibration (KIOSK_CALIBRATION_INIT): identity
 *  matrix, rotation 0, no screen size. Inline: it needs your sizeof. */
static inline void kiosk_calibration_identity(struct kiosk_calibration *cal)
{
	if (cal) {
		struct kiosk_calibration id = KIOSK_CALIBRATION_INIT;
		*cal = id;
	}
}

/**
 * The matrix for a clockwise rotation of `degrees` (0, 90, 180, 270) in
 * normalised coordinates (libinput's values: 90° = {0,-1,1, 1,0,0}).
 * Returns KIOSK_OK or KIOSK_E_INVALID_ARG.
 */
KIOSK_API int kiosk_calibration_rotation_matrix(int degrees, double matrix_out[6]);

/** out = outer ∘ inner (apply `inner` first). `out` may alias either input. */
KIOSK_API void kiosk_calibration_compose(const double outer[6], const double inner[6],
					 double out[6]);

/** The matrix actually applied: rotation ∘ matrix (the identity for a
 *  struct whose `size` is not set). */
KIOSK_API void kiosk_calibration_effective(const struct kiosk_calibration *cal, double matrix_out[6]);

/** Applies a matrix to a normalised point. */
KIOSK_API void kiosk_calibration_apply(const double matrix[6], double x, double y, double *out_x,
				       double *out_y);

/**
 * The 5-point least-squares fit (the tslib method): given the five target
 * positions in screen pixels `screen` (for a w×h screen) and the raw
 * normalised device positions `raw` touched for them, computes the matrix
 * that best maps raw to screen (normalised). Same as
 * kiosk_calibration_compute_n(screen, raw, 5, w, h, matrix_out, NULL).
 */
KIOSK_API int kiosk_calibration_compute(const double screen[5][2], const double raw[5][2], int w,
					int h, double matrix_out[6]);

/**
 * Least-squares fit over `n` >= 3 point pairs. `rms_px` (may be NULL)
 * receives the root-mean-square residual in screen pixels. Returns
 * KIOSK_OK, or KIOSK_E_INVALID_ARG when n < 3, w/h <= 0, a value is not
 * finite, or the raw points are degenerate (all on one line, or the same
 * point touched for distinct targets), so that no unique fit exists.
 */
KIOSK_API int kiosk_calibration_compute_n(const double (*screen)[2], const double (*raw)[2],
					  size_t n, int w, int h, double matrix_out[6],
					  double *rms_px);

/**
 * The five target positions (screen pixels) for a w×h screen, in the order
 * used by kioskctl touch calibrate: top-left, top-right, bottom-right,
 * bottom-left (each `margin` of the size in from the edges, 10% when
 * margin <= 0), then the centre.
 */
KIOSK_API void kiosk_calibration_targets(int w, int h, double margin, double targets_out[5][2]);

/**
 * Saves to a small text file (written to a temporary file in the same
 * directory, fsync'ed, renamed over `path`: never half-written). Returns
 * KIOSK_OK, KIOSK_E_INVALID_ARG (also for `size` not set), KIOSK_E_ACCESS or
 * KIOSK_E_IO.
 */
KIOSK_API int kiosk_calibration_save(const struct kiosk_calibration *cal, const char *path);

/**
 * Loads a file written by kiosk_calibration_save() into *cal, whose `size`
 * must be set. Returns KIOSK_OK, KIOSK_E_INVALID_ARG, KIOSK_E_NOT_FOUND,
 * KIOSK_E_ACCESS, KIOSK_E_IO or KIOSK_E_BAD_DOCUMENT (malformed; *cal
 * untouched).
 */
KIOSK_API int kiosk_calibration_load(const char *path, struct kiosk_calibration *cal);

/* ---- touch devices ---------------------------------------------------- */

/**
 * Opens an evdev touchscreen (see above) and starts posting TOUCH_* events.
 * Errors: KIOSK_E_BAD_URI, KIOSK_E_NO_DEVICE, KIOSK_E_ACCESS, KIOSK_E_BUSY,
 * KIOSK_E_NOT_SUPPORTED (not a touch device: no absolute X/Y axes),
 * KIOSK_E_BAD_DOCUMENT (bad calibration file), KIOSK_E_IO, KIOSK_E_NO_MEMORY.
 */
KIOSK_API int kiosk_touch_open(kiosk_context *ctx, const char *uri, kiosk_touch **touch);

/** A touch device fed by the application with kiosk_touch_feed(). Its events
 *  carry the URI "virtual:touch"; kiosk_device_get_uri() gives "". */
KIOSK_API int kiosk_touch_new_virtual(kiosk_context *ctx, kiosk_touch **touch);

/** Stops and closes (or frees, if virtual); its queued events are dropped
 *  (see event.h). NULL is a no-op. */
KIOSK_API void kiosk_touch_close(kiosk_touch *touch);

/** The touch device as a kiosk_device (borrowed; valid until close). */
KIOSK_API kiosk_device *kiosk_touch_device(kiosk_touch *touch);

/** Sets the screen size in pixels used for kiosk_touch_point x/y. */
KIOSK_API int kiosk_touch_set_screen_size(kiosk_touch *touch, int width, int height);

/** Replaces the calibration (NULL = identity). Takes effect for the next point.
 *  KIOSK_E_INVALID_ARG for a bad rotation, a non-finite value or `size` not set. */
KIOSK_API int kiosk_touch_set_calibration(kiosk_touch *touch, const struct kiosk_calibration *cal);

/** Copies the calibration in use into *cal, whose `size` must be set. */
KIOSK_API int kiosk_touch_get_calibration(kiosk_touch *touch, struct kiosk_calibration *cal);

/**
 * Ghost-touch filtering, off (0, 0) by default.
 * `debounce_ms`: a finger that lifts and touches again on the same slot
 *   within this time is one continuous press (the UP is held back that long;
 *   a bounce becomes a MOTION).
 * `min_press_ms`: a touch released sooner than this is a ghost and produces
 *   no events at all (its DOWN is held back that long).
 * Each 0–10000 ms. Returns KIOSK_OK or KIOSK_E_INVALID_ARG.
 */
KIOSK_API int kiosk_touch_set_filter(kiosk_touch *touch, int debounce_ms, int min_press_ms);

/**
 * Feeds one raw touch to the device (any touch device; normally a virtual
 * one). `type` is KIOSK_EVENT_TOUCH_DOWN, _MOTION or _UP; `slot` 0..15;
 * `raw_nx`, `raw_ny` the uncalibrated normalised position (SDL's
 * SDL_TouchFingerEvent x/y, or mouse pixels divided by the window size);
 * `time_ms` CLOCK_MONOTONIC ms, or 0 for now. The calibrated event is posted
 * to the context (after filtering). Thread-safe. Returns KIOSK_OK,
 * KIOSK_E_INVALID_ARG, or KIOSK_E_STATE (MOTION/UP of a slot not down,
 * DOWN of a slot already down — the input is ignored).
 */
KIOSK_API int kiosk_touch_feed(kiosk_touch *touch, enum kiosk_event_type type, int slot,
			       double raw_nx, double raw_ny, uint64_t time_ms);

/** Number of touches the ghost filter dropped so far. */
KIOSK_API uint64_t kiosk_touch_get_filtered(kiosk_touch *touch);

KIOSK_END_DECLS
#endif
