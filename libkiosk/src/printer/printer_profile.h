/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * printer_profile.h — receipt printer profiles (hw/profiles/printer/NAME.json),
 * shared by the receipt encoder and the printer driver.
 *
 * A profile is data describing one printer model: its paper, fonts, what
 * commands it understands, how it reports status, how it is attached.
 * JSON schema (every key except "name"/"description" optional where a
 * default is given; unknown keys are errors):
 *
 *   {"name": "generic-80mm",            must equal the file name
 *    "description": "…",
 *    "paper_mm": 80, "width_dots": 576, "dpi": 203,
 *    "font_a": [12, 24],                 cell width, height in dots
 *    "line_spacing": 30,                 dots per size-1 text line (>= font height)
 *    "chinese": {"font": true, "fs_mode": true, "gb18030_4byte": true},
 *    "native_qr": true,
 *    "cutter": "full+partial" | "full" | "none",
 *    "cut_feed": 0,                      n of GS V 65/66 n
 *    "clear_buffer": false,              obeys DLE DC4 8 (clear buffers; default false:
 *                                        not known, so an abandoned job is not relied on
 *                                        to be cleared)
 *    "status": {"dle_eot": true, "asb": false, "gs_r": false,
 *               "near_end_sensor": true, "cover_sensor": true},
 *    "max_raster_rows": 256,             rows per GS v 0 band
 *    "usb": ["0416:5011", …],            USB VID:PID this model answers to
 *    "transport": {"usb_ep_out": 0, "usb_ep_in": 0, "baud": 115200, "tcp_port": 9100}}
 */
#ifndef KIOSKI_PRINTER_PROFILE_H
#define KIOSKI_PRINTER_PROFILE_H

#include <kiosk/kiosk.h>

#define KIOSKI_PROFILE_MAX_USB 8

struct kioski_printer_profile {
	char name[64];
	char description[128];
	int paper_mm;          /**< paper roll width */
	int width_dots;        /**< printable width in dots (576 on 80 mm, 384 on 58 mm) */
	int dpi;               /**< dots per inch (203 = 8 dots/mm) */
	int font_a_width;      /**< font A cell in dots (12×24): half-width characters */
	int font_a_height;
	int columns;           /**< font A characters per line = width_dots / font_a_width */
	int line_spacing;      /**< dots advanced per size-1 text line */
	bool cjk_font;         /**< has a Chinese (GB18030 double-byte) font */
	bool chinese_mode;     /**< Chinese must be switched on with FS & (off: FS .) */
	bool gb18030_4byte;    /**< prints GB18030 4-byte sequences (else double-byte area only) */
	bool native_qr;        /**< understands GS ( k QR (model 2) */
	bool cutter_full;      /**< GS V 65 n */
	bool cutter_partial;   /**< GS V 66 n */
	int cut_feed;          /**< n of GS V 65/66 n: extra feed before cutting, motion units */
	bool clear_buffer;     /**< obeys DLE DC4 8 (Epson "clear buffers"); false = not known to */
	bool dle_eot;          /**< answers DLE EOT n real-time status */
	bool asb;              /**< supports automatic status back (GS a n) */
	bool gs_r;             /**< answers GS r 1 (buffer-ordered paper status) */
	bool near_end_sensor;  /**< has a paper near-end sensor (else near-end is unknown) */
	bool cover_sensor;     /**< reports cover open (else unknown) */
	int max_raster_rows;   /**< largest GS v 0 band height it accepts */
	int baud;              /**< serial speed hint, 0 if none */
	int tcp_port;          /**< raw TCP port hint (9100), 0 if none */
	uint8_t usb_ep_out;    /**< bulk OUT endpoint hint, 0 = the first bulk OUT */
	uint8_t usb_ep_in;     /**< bulk IN endpoint hint, 0 = the first bulk IN */
	struct {
		uint16_t vid, pid;
	} usb[KIOSKI_PROFILE_MAX_USB];
	int n_usb;
};

/**
 * Parses and validates profile JSON. `err` gets a one-line message naming
 * the bad key ("cutter: must be \"full+partial\", \"full\" or \"none\"").
 * Returns KIOSK_OK or KIOSK_E_BAD_DOCUMENT. No context needed (for tests and
 * tools).
 */
int kioski_printer_profile_parse(const char *json, struct kioski_printer_profile *out, char *err,
				 size_t err_len);

/**
 * Loads the printer profile `name` through kioski_profile_load() (built-in
 * or the context's profile directory) and validates it. KIOSK_E_NOT_FOUND
 * for an unknown name, KIOSK_E_BAD_DOCUMENT for an invalid file, with the
 * context's last error set.
 */
int kioski_printer_profile_load(kiosk_context *ctx, const char *name,
				struct kioski_printer_profile *out);

/** Loads the profile whose "usb" list holds vid:pid; KIOSK_E_NOT_FOUND if none. */
int kioski_printer_profile_for_usb(kiosk_context *ctx, uint16_t vid, uint16_t pid,
				   struct kioski_printer_profile *out);

/** The profile used when neither the caller nor the receipt names one. */
#define KIOSKI_DEFAULT_PRINTER_PROFILE "generic-80mm"

#endif
