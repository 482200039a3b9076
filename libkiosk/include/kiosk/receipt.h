/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/receipt.h — device-independent receipt documents.
 *
 * A kiosk_receipt is a list of items (text, QR code, image, feed, rule,
 * two-column row, cut), built with the kiosk_receipt_add_*() calls or parsed
 * from the JSON form:
 *
 *   {"profile": "generic-80mm",            (optional: the printer profile to lay out for)
 *    "items": [
 *      {"text": "…", "align": "left|center|right", "bold": false, "size": 1..8},
 *      {"qr": "data", "module": 1..16, "ecc": "L|M|Q|H", "align": …},
 *      {"image": "path.png" | "data:image/png;base64,…", "align": …},
 *      {"feed": 0..255},
 *      {"rule": true},
 *      {"columns": ["left", "right"], "bold": false},
 *      {"cut": "full|partial"}]}
 *
 * Text items also accept "width" and "height" (1..8) to scale the two
 * directions separately; "size" sets both. Unknown keys are rejected so that
 * a typo never prints silently wrong.
 *
 * One layout engine places the items for a printer profile (paper width in
 * dots, font size, Chinese support): the same line breaks and positions go
 * to the printer (ESC/POS, see printer.h) and to the PNG preview rendered by
 * kiosk_receipt_render_png(). Text is UTF-8; Chinese wraps by character
 * (a full-width character takes two columns), Latin text at spaces, and a
 * word longer than the line is broken: nothing runs off the paper. A
 * character the printer cannot print is replaced by a visible substitute
 * ('?' or '□') and logged as a warning (item index and code point), never
 * dropped silently. The preview draws text with GNU Unifont glyphs scaled to
 * the printer's cell; a character outside the embedded ranges is drawn as an
 * outlined box.
 *
 * A receipt is a plain value: not thread-safe, but independent receipts may
 * be used from different threads.
 */
#ifndef KIOSK_RECEIPT_H
#define KIOSK_RECEIPT_H
#include <kiosk/common.h>
#include <kiosk/context.h>

KIOSK_BEGIN_DECLS

/** A receipt document (opaque value). */
typedef struct kiosk_receipt kiosk_receipt;

/** Horizontal alignment of a line, QR code or image. */
enum kiosk_align {
	KIOSK_ALIGN_LEFT = 0,
	KIOSK_ALIGN_CENTER = 1,
	KIOSK_ALIGN_RIGHT = 2,
};

/** Item kinds, as returned by kiosk_receipt_item_type(). */
enum kiosk_receipt_item_type {
	KIOSK_ITEM_TEXT = 1,    /**< a paragraph of text (may wrap to several lines) */
	KIOSK_ITEM_QR = 2,      /**< a QR code */
	KIOSK_ITEM_IMAGE = 3,   /**< a raster image */
	KIOSK_ITEM_FEED = 4,    /**< blank lines */
	KIOSK_ITEM_RULE = 5,    /**< a horizontal line across the paper */
	KIOSK_ITEM_COLUMNS = 6, /**< a row: left text, right text flush right */
	KIOSK_ITEM_CUT = 7,     /**< cut the paper here */
};

/**
 * Text style. Start from KIOSK_TEXT_STYLE_INIT (left, regular, size 1),
 * which sets `size`; the struct may grow in later releases (fields are only
 * appended) and the library reads only the `size` bytes you have:
 *
 *   struct kiosk_text_style title = KIOSK_TEXT_STYLE_INIT;
 *   title.align = KIOSK_ALIGN_CENTER;  title.bold = true;
 *
 * `width`/`height` are character multipliers 1..8 (0 means 1). A style
 * whose `size` is not set is refused with KIOSK_E_INVALID_ARG.
 */
struct kiosk_text_style {
	size_t size;            /**< sizeof(struct kiosk_text_style) */
	enum kiosk_align align;
	bool bold;
	uint8_t width;
	uint8_t height;
};

/** Initialiser of a struct kiosk_text_style: `size` set, the default style. */
#define KIOSK_TEXT_STYLE_INIT {.size = sizeof(struct kiosk_text_style)}

/** Largest character multiplier (ESC/POS GS ! allows 1..8). */
#define KIOSK_RECEIPT_MAX_SIZE 8
/** Largest text item, QR payload (the byte capacity of QR version 40-L) or JSON document, in bytes. */
#define KIOSK_RECEIPT_MAX_TEXT 65536
#define KIOSK_RECEIPT_MAX_QR 2953
#define KIOSK_RECEIPT_MAX_JSON (4 * 1024 * 1024)
/** Largest number of items in one receipt. */
#define KIOSK_RECEIPT_MAX_ITEMS 4096
/** Largest image accepted (each side, pixels), and all images of a receipt together. */
#define KIOSK_RECEIPT_MAX_IMAGE 4096
#define KIOSK_RECEIPT_MAX_IMAGE_PIXELS (4096 * 4096)
/** Longest receipt kiosk_receipt_render_png() draws, in dots (25 m at 8 dots/mm). */
#define KIOSK_RECEIPT_MAX_PREVIEW_DOTS 200000

/** Creates an empty receipt. KIOSK_OK, KIOSK_E_INVALID_ARG or KIOSK_E_NO_MEMORY. */
KIOSK_API int kiosk_receipt_new(kiosk_receipt **out);

/** Frees the receipt and its items (text is wiped). NULL is a no-op. */
KIOSK_API void kiosk_receipt_free(kiosk_receipt *r);

/** The message of the receipt's last failed call; "" if none. Never NULL. */
KIOSK_API const char *kiosk_receipt_last_error(const kiosk_receipt *r);

/**
 * Names the printer profile the receipt is meant for (e.g. "generic-58mm");
 * NULL clears it. Used by the render calls and printers when they are not
 * given a profile of their own. Not checked here (profiles need a context).
 */
KIOSK_API int kiosk_receipt_set_profile(kiosk_receipt *r, const char *name);
/** The profile set with kiosk_receipt_set_profile() or the JSON, or NULL. */
KIOSK_API const char *kiosk_receipt_get_profile(const kiosk_receipt *r);

/* ---- builder ------------------------------------------------------------
 * Each call appends one item and returns KIOSK_OK, KIOSK_E_INVALID_ARG (a
 * value out of range, invalid UTF-8 — see kiosk_receipt_last_error()),
 * KIOSK_E_OVERFLOW (more than KIOSK_RECEIPT_MAX_ITEMS) or KIOSK_E_NO_MEMORY.
 * On error the receipt is unchanged. Strings are copied.
 */

/**
 * Appends UTF-8 text. '\n' starts a new line, '\t' becomes a space; other
 * control characters are printed as a visible substitute. `style` NULL means
 * the default style. Empty text prints an empty line.
 */
KIOSK_API int kiosk_receipt_add_text(kiosk_receipt *r, const char *utf8,
				     const struct kiosk_text_style *style);

/**
 * Appends a QR code (model 2) of `data` (1..KIOSK_RECEIPT_MAX_QR
 * bytes), `module` dots per module (1..16), error correction `ecc` 'L', 'M',
 * 'Q' or 'H', centred, with a quiet zone of 4 modules above and below.
 * Printed natively (GS ( k) where the profile says the printer can, else as
 * a raster image the library encodes (numeric/alphanumeric/byte segments
 * for the smallest symbol). The module size is reduced if the symbol would
 * be wider than the paper. The preview of a native code assumes the printer
 * encodes in byte mode at the smallest version.
 */
KIOSK_API int kiosk_receipt_add_qr(kiosk_receipt *r, const char *data, int module, char ecc);

/** Sets the alignment of the last QR code or image added (default centre). */
KIOSK_API int kiosk_receipt_set_last_align(kiosk_receipt *r, enum kiosk_align align);

/**
 * Appends the PNG file at `path` (read now). Colour and alpha are flattened
 * onto white; at layout time the image is scaled down to fit the paper and
 * Floyd–Steinberg dithered to black and white. Errors: KIOSK_E_NOT_FOUND
 * (no such file), KIOSK_E_BAD_DOCUMENT (not a PNG, or larger than
 * KIOSK_RECEIPT_MAX_IMAGE), KIOSK_E_IO.
 */
KIOSK_API int kiosk_receipt_add_image_png(kiosk_receipt *r, const char *path);

/** As kiosk_receipt_add_image_png() for a PNG held in memory. */
KIOSK_API int kiosk_receipt_add_image_png_data(kiosk_receipt *r, const void *png, size_t len);

/**
 * Appends an 8-bit greyscale image (0 black … 255 white), `w`×`h` pixels,
 * row after row with no padding (copied), each side 1..KIOSK_RECEIPT_MAX_IMAGE.
 * All image items together may hold KIOSK_RECEIPT_MAX_IMAGE_PIXELS
 * (KIOSK_E_OVERFLOW beyond, for every add_image call).
 */
KIOSK_API int kiosk_receipt_add_image_gray(kiosk_receipt *r, int w, int h,
					   const uint8_t *pixels);

/** Appends `lines` (0..255) blank lines of the default line height. */
KIOSK_API int kiosk_receipt_add_feed(kiosk_receipt *r, int lines);

/** Appends a horizontal rule across the paper. */
KIOSK_API int kiosk_receipt_add_rule(kiosk_receipt *r);

/**
 * Appends a two-column row: `left` from the left edge, `right` flush right
 * on the same line. If both do not fit, the left text wraps onto the lines
 * above so that the right text keeps the last line. `style` NULL = default;
 * its align is ignored. Either string may be "" (not NULL).
 */
KIOSK_API int kiosk_receipt_add_columns(kiosk_receipt *r, const char *left, const char *right,
					const struct kiosk_text_style *style);

/**
 * Appends a cut. `partial` asks for a partial cut (one point left uncut);
 * a printer without that cuts fully, one without a cutter feeds the paper
 * past the tear bar instead.
 */
KIOSK_API int kiosk_receipt_add_cut(kiosk_receipt *r, bool partial);

/* ---- inspection ---------------------------------------------------------- */

/** Number of items. 0 for NULL. */
KIOSK_API size_t kiosk_receipt_item_count(const kiosk_receipt *r);
/** Kind of item `i`, or 0 when `i` is past the end. */
KIOSK_API enum kiosk_receipt_item_type kiosk_receipt_item_type(const kiosk_receipt *r, size_t i);
/** The text of a TEXT item, the data of a QR item, the left text of a COLUMNS
 *  item; NULL for other kinds or `i` past the end. Borrowed. */
KIOSK_API const char *kiosk_receipt_item_text(const kiosk_receipt *r, size_t i);

/* ---- JSON ----------------------------------------------------------------- */

/**
 * Parses a receipt document (format above; at most KIOSK_RECEIPT_MAX_JSON
 * bytes). Relative image paths are resolved against the current directory.
 * Returns KIOSK_OK, or KIOSK_E_BAD_DOCUMENT with a one-line message in
 * `err` (may be NULL) that names the JSON path of the bad value, e.g.
 * "items[3].size: must be an integer 1..8"; KIOSK_E_NOT_FOUND for a missing
 * image file, KIOSK_E_NO_MEMORY. On error *out is NULL.
 */
KIOSK_API int kiosk_receipt_from_json(const char *json, kiosk_receipt **out, char *err,
				      size_t err_len);

/** As kiosk_receipt_from_json() reading the file `path`; relative image
 *  paths are resolved against the file's directory. */
KIOSK_API int kiosk_receipt_from_json_file(const char *path, kiosk_receipt **out, char *err,
					   size_t err_len);

/**
 * Writes the receipt as JSON (compact, UTF-8) into *json (release it with
 * kiosk_free()).
 * kiosk_receipt_from_json() of the result gives an equal receipt; images are
 * written as "data:image/png;base64,…" unless they came from a file path.
 */
KIOSK_API int kiosk_receipt_to_json(const kiosk_receipt *r, char **json);

/* ---- rendering -------------------------------------------------------------- */

/**
 * Renders the preview of the receipt as printed with printer profile
 * `profile` (NULL: the receipt's profile, else "generic-80mm"): a greyscale
 * PNG one pixel per printer dot, as wide as the paper's printable area,
 * drawn by the same layout as the ESC/POS output. *png is a new buffer
 * (release it with kiosk_free()). Errors: KIOSK_E_NOT_FOUND (no such profile), KIOSK_E_OVERFLOW
 * (longer than KIOSK_RECEIPT_MAX_PREVIEW_DOTS), KIOSK_E_NO_MEMORY, with the
 * context's last error set.
 */
KIOSK_API int kiosk_receipt_render_png(kiosk_context *ctx, const kiosk_receipt *r,
				       const char *profile, uint8_t **png, size_t *len);

/** As kiosk_receipt_render_png(), writing the PNG to `path` (KIOSK_E_IO if it cannot). */
KIOSK_API int kiosk_receipt_render_png_file(kiosk_context *ctx, const kiosk_receipt *r,
					    const char *profile, const char *path);

/**
 * The ESC/POS bytes the printer with profile `profile` (NULL as above) gets
 * for this receipt, without any status query: starts with ESC @, ends with
 * the cut if any. *data is a new buffer (release it with kiosk_free()). `n_substituted` (may be
 * NULL) receives how many characters were replaced because the printer
 * cannot print them (each is also logged at WARN).
 */
KIOSK_API int kiosk_receipt_render_escpos(kiosk_context *ctx, const kiosk_receipt *r,
					  const char *profile, uint8_t **data, size_t *len,
					  size_t *n_substituted);

/**
 * Lists the printer profiles built into the library (sorted by name):
 * calls `fn` with each name and its one-line description. Returns how many.
 */
KIOSK_API int kiosk_receipt_profiles(void (*fn)(const char *name, const char *description,
						void *user),
				     void *user);

KIOSK_END_DECLS
#endif
