/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/idcard.h — second-generation ID-card readers (SAM_V protocol, GA 467).
 *
 *   kiosk_idcard_reader *rdr;  kiosk_idcard *card;
 *   kiosk_idcard_open(ctx, "serial:/dev/ttyUSB0", &rdr);
 *   if (kiosk_idcard_read(rdr, 10000, 0, &card) == KIOSK_OK) {
 *           printf("%s\n", kiosk_idcard_get_name(card));
 *           kiosk_idcard_free(card);         // wipes the personal data
 *   }
 *   kiosk_idcard_close(rdr);
 *
 * A reader (kiosk_idcard_reader) is an open device; a card (kiosk_idcard) is
 * a value holding what was read from one card: decoded text fields (UTF-8),
 * the raw 1024-byte WLT photo, and optionally the fingerprint templates.
 *
 * Four card layouts are decoded: the resident ID card (居民身份证), the
 * HK/Macau/Taiwan residence permit ('J'), the foreigner's permanent residence
 * card of 2017 ('I') and of 2023 ('Y').
 *
 * Personal data: the library never writes card data to disk and never logs
 * it unmasked; kiosk_idcard_free() overwrites every byte it held. Keep card
 * objects only as long as you need them.
 *
 * String accessors return UTF-8 text with the card's space padding trimmed,
 * borrowed from the card (valid until kiosk_idcard_free()), or NULL when the
 * field does not exist on this card type or is blank on the card.
 */
#ifndef KIOSK_IDCARD_H
#define KIOSK_IDCARD_H

#include <kiosk/common.h>
#include <kiosk/context.h>
#include <kiosk/device.h>
#include <kiosk/job.h>

KIOSK_BEGIN_DECLS

/** An open ID-card reader (opaque). Also a kiosk_device: kiosk_idcard_device(). */
typedef struct kiosk_idcard_reader kiosk_idcard_reader;

/** The data read from one card (opaque value; free with kiosk_idcard_free()). */
typedef struct kiosk_idcard kiosk_idcard;

/** Card layouts, from the character at byte offset 248 of the text block. */
enum kiosk_idcard_type {
	KIOSK_IDCARD_RESIDENT = 0,               /**< resident ID card (any other marker) */
	KIOSK_IDCARD_HK_MACAU_TAIWAN = 1,        /**< 'J': HK/Macau/Taiwan residence permit */
	KIOSK_IDCARD_FOREIGN_PERMANENT = 2,      /**< 'I': foreigner permanent residence card, 2017 */
	KIOSK_IDCARD_FOREIGN_PERMANENT_2023 = 3, /**< 'Y': foreigner permanent residence card, 2023 */
};

/* ---- opening a reader ------------------------------------------------- */

/**
 * Opens an ID-card reader.
 *
 * `uri` is a device URI (kiosk/uri.h):
 *   serial:/dev/ttyUSB0[?baud=115200]   default 115200 8N1
 *   usb:0400:c35a[?serial=S]            USB bulk, e.g. an iDR200-like reader
 * Options understood in the URI:
 *   profile=NAME      the reader profile (hw/profiles/idcard/NAME.json) that
 *                     gives the USB pipe layout and the default baud; without
 *                     it a USB reader's profile is found by VID:PID, and a
 *                     serial reader uses "serial-115200".
 *   driver=ID         force a driver (default: by USB id, by profile, else "samv").
 *   timeout_ms=N      per-command reply timeout floor (default 1000).
 * The reader is only opened here, not probed: a missing or silent reader
 * shows up on the first command (KIOSK_E_TIMEOUT).
 *
 * Returns KIOSK_OK, KIOSK_E_INVALID_ARG, KIOSK_E_BAD_URI, KIOSK_E_NOT_FOUND
 * (no driver/profile of that name), KIOSK_E_BAD_DOCUMENT (the profile is not
 * valid JSON), KIOSK_E_NO_MEMORY, or a transport error (KIOSK_E_NO_DEVICE,
 * KIOSK_E_ACCESS, KIOSK_E_BUSY, KIOSK_E_IO, KIOSK_E_NOT_SUPPORTED for a
 * serial: path that is not a tty); kiosk_context_last_error() says why.
 */
KIOSK_API int kiosk_idcard_open(kiosk_context *ctx, const char *uri, kiosk_idcard_reader **out);

/**
 * Closes the reader: stops card watching, cancels pending reads (their jobs
 * complete with KIOSK_E_CANCELLED) and releases the port. NULL is a no-op.
 */
KIOSK_API void kiosk_idcard_close(kiosk_idcard_reader *rdr);

/** The reader as a generic device (borrowed, valid until close). */
KIOSK_API kiosk_device *kiosk_idcard_device(kiosk_idcard_reader *rdr);

/* ---- reading cards ---------------------------------------------------- */

/** kiosk_idcard_read() flags. */
enum kiosk_idcard_read_flags {
	KIOSK_IDCARD_READ_FINGERPRINT = 1 << 0, /**< also read the fingerprint templates (CMD 30 10) */
	KIOSK_IDCARD_READ_ADDRESS = 1 << 1,     /**< also read the additional address (CMD 30 03) */
};

/**
 * Waits up to `timeout_ms` for a card, then reads it: find, select, read
 * text + photo (+ fingerprint, + additional address, per `flags`), retrying
 * find every ~100 ms and a failed select/read or a corrupt frame a bounded
 * number of times, all within `timeout_ms`. KIOSK_TIMEOUT_INFINITE is not
 * allowed (use kiosk_idcard_watch() to wait for cards indefinitely).
 *
 * Returns KIOSK_OK and a new card in *card (free with kiosk_idcard_free()),
 * or:
 *   KIOSK_E_NO_CARD    the reader answered, but no card was found in time;
 *   KIOSK_E_TIMEOUT    the reader did not answer (unplugged, wrong port/baud);
 *   KIOSK_E_CARD       a card was found but could not be selected or read
 *                      (SW3 41/81, or a card left on the reader after it was
 *                      read, that must be lifted and placed again);
 *   KIOSK_E_CHECKSUM   replies kept failing their checksum;
 *   KIOSK_E_PROTOCOL   malformed or truncated replies, or a corrupt text block;
 *   KIOSK_E_SAM        the reader's security module failed (SW3 31–33, 47, 60, 66);
 *   KIOSK_E_ACCESS     the reader refused the command as unauthorised (SW3 23);
 *   KIOSK_E_INVALID_ARG a negative timeout or an unknown flag;
 *   KIOSK_E_CANCELLED, KIOSK_E_IO, KIOSK_E_NO_DEVICE, KIOSK_E_CLOSED,
 *   KIOSK_E_NO_MEMORY.
 * Reads, SAM commands and watching share the reader's worker thread: a read
 * started while another runs waits its turn (its timeout counts from the call).
 * On error *card is NULL; kiosk_device_last_error() gives a one-line reason
 * and kiosk_idcard_get_last_status() the reader's last status byte.
 */
KIOSK_API int kiosk_idcard_read(kiosk_idcard_reader *rdr, int timeout_ms, unsigned flags,
				kiosk_idcard **card);

/**
 * The asynchronous kiosk_idcard_read(): queues the read on the reader's
 * worker and returns at once with a job (release it with kiosk_job_unref()).
 * The job's result is what kiosk_idcard_read() would have returned; on
 * KIOSK_OK take the card with kiosk_job_take_idcard(). `cb` (may be NULL)
 * runs in kiosk_context_dispatch(). On an error return no job exists.
 */
KIOSK_API int kiosk_idcard_read_async(kiosk_idcard_reader *rdr, int timeout_ms, unsigned flags,
				      kiosk_job_fn cb, void *user, kiosk_job **job);

/**
 * Moves the card out of a completed read job into *card (the caller then
 * owns it). Returns KIOSK_OK, KIOSK_E_STATE if the job is not done or holds
 * no card (failed, or already taken), KIOSK_E_INVALID_ARG.
 */
KIOSK_API int kiosk_job_take_idcard(kiosk_job *job, kiosk_idcard **card);

/**
 * Starts (`enable` true) or stops card-presence polling on the reader's
 * worker, every `interval_ms` (0 = 250 ms; 50–10000). When a card arrives it
 * is read and KIOSK_EVENT_CARD_INSERTED is posted with the card as payload
 * (kiosk_event_get_idcard()); when it leaves, KIOSK_EVENT_CARD_REMOVED.
 * A card left on the reader is announced once: it is recognised (by a
 * salted hash of its text, kept only while it is present) and not re-read
 * or re-announced. A card that cannot be read posts KIOSK_EVENT_DEVICE_ERROR
 * once per placement; a reader that stops answering posts DEVICE_ERROR
 * (KIOSK_E_TIMEOUT) once until it answers again; a reader that is unplugged
 * or fails with an I/O error posts KIOSK_EVENT_DEVICE_LEFT once. A card
 * already on the reader when watching starts is announced. The watcher
 * assumes what GA 467 readers do: a card left on the reader keeps answering
 * find (9F), so a missed find means the card may have changed. Polling
 * pauses while a read job runs. Watch reads use
 * the flags of kiosk_idcard_set_watch_flags() (default 0).
 * Returns KIOSK_OK or KIOSK_E_INVALID_ARG.
 */
KIOSK_API int kiosk_idcard_watch(kiosk_idcard_reader *rdr, int interval_ms, bool enable);

/** The read flags (KIOSK_IDCARD_READ_*) used by kiosk_idcard_watch(). Returns KIOSK_OK,
 *  or KIOSK_E_INVALID_ARG for a NULL reader or an unknown flag. */
KIOSK_API int kiosk_idcard_set_watch_flags(kiosk_idcard_reader *rdr, unsigned flags);

/* ---- reader status codes and the security module (SAM) ---------------- */

/**
 * SAM_V status bytes (SW3). Each maps to one error code of a failing call:
 *   90 OK, 9F found          → KIOSK_OK
 *   91 item empty            → KIOSK_OK for optional items (no fingerprint /
 *                              no additional address), else KIOSK_E_CARD
 *   80 no card               → KIOSK_E_NO_CARD
 *   81 select failed, 41 read failed, 40 unknown card type → KIOSK_E_CARD
 *   10 checksum, 11 length (the reader rejected our frame) → KIOSK_E_CHECKSUM
 *                              / KIOSK_E_PROTOCOL after retries
 *   21 command error, 24 unrecognised error → KIOSK_E_PROTOCOL
 *   23 unauthorised          → KIOSK_E_ACCESS
 *   31, 32, 33, 47, 60, 66   → KIOSK_E_SAM
 *   any other value          → KIOSK_E_PROTOCOL
 */
enum kiosk_idcard_status {
	KIOSK_IDCARD_SW_NONE = 0x00,            /**< no reply yet */
	KIOSK_IDCARD_SW_CHECKSUM = 0x10,        /**< the reader got a frame with a bad checksum */
	KIOSK_IDCARD_SW_LENGTH = 0x11,          /**< the reader got a frame with a bad length */
	KIOSK_IDCARD_SW_COMMAND = 0x21,         /**< command error */
	KIOSK_IDCARD_SW_UNAUTHORISED = 0x23,    /**< unauthorised operation */
	KIOSK_IDCARD_SW_UNRECOGNISED = 0x24,    /**< unrecognised error */
	KIOSK_IDCARD_SW_AUTH_SAM = 0x31,        /**< the card failed to authenticate the SAM */
	KIOSK_IDCARD_SW_AUTH_CARD = 0x32,       /**< the SAM failed to authenticate the card */
	KIOSK_IDCARD_SW_VERIFY = 0x33,          /**< verification error */
	KIOSK_IDCARD_SW_CARD_TYPE = 0x40,       /**< unrecognised card type */
	KIOSK_IDCARD_SW_READ = 0x41,            /**< reading the card failed */
	KIOSK_IDCARD_SW_RANDOM = 0x47,          /**< getting a random number failed */
	KIOSK_IDCARD_SW_SELF_TEST = 0x60,       /**< SAM self-test failed */
	KIOSK_IDCARD_SW_SAM_UNAUTHORISED = 0x66, /**< SAM not authorised */
	KIOSK_IDCARD_SW_NO_CARD = 0x80,         /**< finding a card failed: no card */
	KIOSK_IDCARD_SW_SELECT = 0x81,          /**< selecting the card failed */
	KIOSK_IDCARD_SW_OK = 0x90,              /**< success */
	KIOSK_IDCARD_SW_EMPTY = 0x91,           /**< the item is empty on the card */
	KIOSK_IDCARD_SW_FOUND = 0x9F,           /**< a card was found */
};

/** A short English text for a status byte, e.g. "no card" (0x80),
 *  "selecting the card failed" (0x81); "unknown status" for other values. Never NULL. */
KIOSK_API const char *kiosk_idcard_status_string(int sw3);

/** The error code a status byte maps to (table above); KIOSK_OK for 90/9F. */
KIOSK_API int kiosk_idcard_status_error(int sw3);

/** SW3 of the reader's last reply (KIOSK_IDCARD_SW_NONE before any). */
KIOSK_API int kiosk_idcard_get_last_status(kiosk_idcard_reader *rdr);

/** Resets the reader's SAM (CMD 10 FF). KIOSK_OK or an error per the table. */
KIOSK_API int kiosk_idcard_sam_reset(kiosk_idcard_reader *rdr);

/** Asks the SAM for its status (CMD 11 FF): KIOSK_OK when it reports 90. */
KIOSK_API int kiosk_idcard_sam_status(kiosk_idcard_reader *rdr);

/**
 * Reads the SAM id (CMD 12 FF) and formats its 16 bytes as the vendors'
 * "AA.BB-CCCCCCCC-DDDDDDDDDD-EEEEEEEEEE" text (little-endian fields of 2, 2,
 * 4, 4, 4 bytes, in decimal) into `buf` (at least 40 bytes).
 * Returns KIOSK_OK, KIOSK_E_OVERFLOW if `len` is too small, or an error.
 */
KIOSK_API int kiosk_idcard_sam_id(kiosk_idcard_reader *rdr, char *buf, size_t len);

/**
 * Switches a serial reader to `baud` (115200, 57600, 38400, 19200 or 9600;
 * CMD 60 0n) and switches the open port to that rate. The reader keeps the rate
 * until it is powered off. Afterwards kiosk_device_get_uri() reports the new
 * baud= (a string it returned before is no longer valid). Returns KIOSK_OK,
 * KIOSK_E_INVALID_ARG (other rates), KIOSK_E_NOT_SUPPORTED (USB readers), or
 * an error.
 */
KIOSK_API int kiosk_idcard_set_baud(kiosk_idcard_reader *rdr, int baud);

/* ---- card values ------------------------------------------------------ */

/**
 * Decodes a 256-byte SAM_V text block (UCS-2LE) into a new card, for vendors
 * with their own transport. The card has no photo or fingerprint.
 * Returns KIOSK_OK, KIOSK_E_INVALID_ARG, KIOSK_E_NO_MEMORY or KIOSK_E_PROTOCOL
 * (invalid UCS-2, e.g. an unpaired surrogate or a control character).
 */
KIOSK_API int kiosk_idcard_decode_text(const uint8_t text[256], kiosk_idcard **out);

/** A deep copy of `card` (NULL on OOM or NULL input). Free it too. */
KIOSK_API kiosk_idcard *kiosk_idcard_copy(const kiosk_idcard *card);

/** Wipes every byte of personal data the card holds, then frees it. NULL is a no-op. */
KIOSK_API void kiosk_idcard_free(kiosk_idcard *card);

/** The card layout. */
KIOSK_API enum kiosk_idcard_type kiosk_idcard_get_type(const kiosk_idcard *card);

/** "resident", "hk_macau_taiwan", "foreign_permanent" or "foreign_permanent_2023"
 *  (the JSON card_type values). Never NULL. */
KIOSK_API const char *kiosk_idcard_type_name(enum kiosk_idcard_type type);

/** Name: the Chinese name (resident, 'J'; on foreign cards the Chinese name if any). */
KIOSK_API const char *kiosk_idcard_get_name(const kiosk_idcard *card);
/** English name (foreign cards; 'Y' parts 1 and 2 joined), else NULL. */
KIOSK_API const char *kiosk_idcard_get_english_name(const kiosk_idcard *card);
/** Sex from GB/T 2261.1: "男", "女", "未知的性别" (0), "未说明的性别" (9); NULL if blank/unknown code. */
KIOSK_API const char *kiosk_idcard_get_sex(const kiosk_idcard *card);
/** The sex code as on the card ("0", "1", "2", "9"). */
KIOSK_API const char *kiosk_idcard_get_sex_code(const kiosk_idcard *card);
/** Nation (民族) from GB 3304, e.g. "汉" (resident cards only); NULL for an unknown code. */
KIOSK_API const char *kiosk_idcard_get_nation(const kiosk_idcard *card);
/** The nation code as on the card, e.g. "01" (resident cards only). */
KIOSK_API const char *kiosk_idcard_get_nation_code(const kiosk_idcard *card);
/** Nationality, ISO 3166 alpha-3, e.g. "CAN" (foreign cards only). */
KIOSK_API const char *kiosk_idcard_get_nationality(const kiosk_idcard *card);
/** Birth date "YYYY-MM-DD" (the raw text if it is not 8 digits). */
KIOSK_API const char *kiosk_idcard_get_birth_date(const kiosk_idcard *card);
/** Address (resident, 'J'). With KIOSK_IDCARD_READ_ADDRESS see also get_extra_address. */
KIOSK_API const char *kiosk_idcard_get_address(const kiosk_idcard *card);
/** ID number (18 characters), or the card number of a foreign card (15 'I' / 18 'Y'). */
KIOSK_API const char *kiosk_idcard_get_id_number(const kiosk_idcard *card);
/**
 * The GB 11643 (ISO 7064 MOD 11-2) check of the ID number: 1 valid, 0 invalid,
 * -1 not checkable (the 'I' card number has its own undocumented scheme).
 */
KIOSK_API int kiosk_idcard_get_id_number_valid(const kiosk_idcard *card);
/** Issuing authority (resident, 'J'). */
KIOSK_API const char *kiosk_idcard_get_issuer(const kiosk_idcard *card);
/** Valid from "YYYY-MM-DD". */
KIOSK_API const char *kiosk_idcard_get_valid_from(const kiosk_idcard *card);
/** Valid until "YYYY-MM-DD", or "long-term" for 长期. */
KIOSK_API const char *kiosk_idcard_get_valid_until(const kiosk_idcard *card);
/** Pass number (通行证号码, 'J' only). */
KIOSK_API const char *kiosk_idcard_get_pass_number(const kiosk_idcard *card);
/** Issue count (签发次数, 'J' only), as on the card, e.g. "01". */
KIOSK_API const char *kiosk_idcard_get_issue_count(const kiosk_idcard *card);
/** Renewal count (换证次数, 'Y' only), as on the card. */
KIOSK_API const char *kiosk_idcard_get_renewal_count(const kiosk_idcard *card);
/** Card version ('I' only), as on the card. */
KIOSK_API const char *kiosk_idcard_get_card_version(const kiosk_idcard *card);
/** Accepting authority code ('I' only), as on the card. */
KIOSK_API const char *kiosk_idcard_get_authority_code(const kiosk_idcard *card);
/** The additional address (追加住址) when read with KIOSK_IDCARD_READ_ADDRESS and present. */
KIOSK_API const char *kiosk_idcard_get_extra_address(const kiosk_idcard *card);

/** The raw WLT photo (1024 bytes, borrowed) and its length; NULL/0 if none. */
KIOSK_API const uint8_t *kiosk_idcard_get_photo_wlt(const kiosk_idcard *card, size_t *len);
/** The raw fingerprint templates (borrowed, usually 1024 bytes), NULL/0 if not read or absent. */
KIOSK_API const uint8_t *kiosk_idcard_get_fingerprint(const kiosk_idcard *card, size_t *len);

/** kiosk_idcard_to_json() flags. */
enum kiosk_idcard_json_flags {
	KIOSK_IDCARD_JSON_PHOTO = 1 << 0,  /**< add "photo_wlt" (base64 of the raw WLT) */
	KIOSK_IDCARD_JSON_MASKED = 1 << 1, /**< mask name, english_name, id_number, pass_number,
					        address (for logs and screens) */
	KIOSK_IDCARD_JSON_PRETTY = 1 << 2, /**< indented, one field per line */
};

/**
 * The card as a JSON object with exactly these keys, in this order:
 *   card_type, name, english_name, sex, sex_code, nation, nation_code,
 *   nationality, birth_date, address, id_number, id_number_valid, issuer,
 *   valid_from, valid_until, pass_number, issue_count [, photo_wlt]
 * Every value is a string or null (absent on this card type, or blank),
 * except id_number_valid: true, false, or null when not checkable.
 * photo_wlt is present only with KIOSK_IDCARD_JSON_PHOTO.
 * *json is a new string: release it with kiosk_free() (which wipes it: it
 * holds personal data).
 * Returns KIOSK_OK, KIOSK_E_INVALID_ARG or KIOSK_E_NO_MEMORY.
 */
KIOSK_API int kiosk_idcard_to_json(const kiosk_idcard *card, unsigned flags, char **json);

/** The name masked for screens and logs ("韩*梅", "张*", "L*****") into buf. Returns buf. */
KIOSK_API const char *kiosk_idcard_masked_name(const kiosk_idcard *card, char *buf, size_t len);
/** The ID/card number masked ("2101**********0026") into buf. Returns buf. */
KIOSK_API const char *kiosk_idcard_masked_id_number(const kiosk_idcard *card, char *buf,
						    size_t len);

/* ---- photo decoding (vendor library) ---------------------------------- */

/**
 * Names the WLT decoder library used by kiosk_idcard_decode_photo() for this
 * context (a path or soname for dlopen()); NULL reverts to $KIOSK_WLT_LIBRARY.
 * Returns KIOSK_OK or KIOSK_E_NO_MEMORY.
 */
KIOSK_API int kiosk_idcard_set_wlt_library(kiosk_context *ctx, const char *library);

/**
 * Decodes the card's WLT photo to 102×126 pixels of 24-bit BGR, top row
 * first (*len = 102*126*3 = 38556), through a licensed vendor decoder:
 * libkiosk has no WLT decoder of its own. The library is the one set with
 * kiosk_idcard_set_wlt_library(), else $KIOSK_WLT_LIBRARY. Symbols tried:
 *   int kiosk_wlt_decode(const uint8_t *wlt, size_t wlt_len,
 *                        uint8_t *bgr, size_t bgr_len, int *w, int *h);
 *       libkiosk's own plug-in interface: 0 on success, top-down BGR.
 *   int unpack(char *wlt, char *bmp, int mode);
 *       the common libwlt2bmp/libwlt interface: called with mode 0 and a
 *       38862-byte buffer; returns 1 on success and fills a 24-bit BMP
 *       (54-byte header, bottom-up rows padded to 4 bytes), which is
 *       converted; a buffer without a "BM" header is taken as raw
 *       bottom-up padded rows.
 * *bgr is a new buffer: release it with kiosk_free() (which wipes it).
 * Returns KIOSK_OK; KIOSK_E_DECODER when no library is configured, it cannot
 * be loaded, has neither symbol, or fails (kiosk_context_last_error() says
 * which); KIOSK_E_NOT_FOUND when the card has no photo; KIOSK_E_INVALID_ARG.
 */
KIOSK_API int kiosk_idcard_decode_photo(kiosk_context *ctx, const kiosk_idcard *card,
					uint8_t **bgr, size_t *len, int *width, int *height);

KIOSK_END_DECLS
#endif
