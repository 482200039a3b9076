/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * protocol.h — kioskd's message layer: parses one client message into a
 * request and builds the replies (acknowledge, event, completion,
 * unsolicited). No sockets and no devices here, so it can be fuzzed alone.
 * The wire format is described in docs/kioskd.md.
 */
#ifndef KIOSKD_PROTOCOL_H
#define KIOSKD_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Acknowledge statuses. Anything but KD_ACK_OK is the command's only reply. */
enum kd_ack {
	KD_ACK_OK = 0,
	KD_ACK_INVALID_MESSAGE,
	KD_ACK_INVALID_REQUEST_ID,
	KD_ACK_UNAUTHORIZED,
	KD_ACK_TOO_MANY_REQUESTS,
};

/* Completion codes. */
enum kd_code {
	KD_SUCCESS = 0,
	KD_CANCELED,
	KD_TIMEOUT,
	KD_NO_DEVICE,
	KD_NO_CARD,
	KD_PAPER_OUT,
	KD_COVER_OPEN,
	KD_HARDWARE_ERROR,
	KD_INVALID_DATA,
	KD_UNSUPPORTED_COMMAND,
	KD_DEVICE_BUSY,
	KD_UNAUTHORIZED,
};

/* The commands kioskd knows. */
enum kd_command {
	KD_CMD_UNKNOWN = 0,
	KD_CMD_COMMON_STATUS,
	KD_CMD_COMMON_CANCEL,
	KD_CMD_IDCARD_READ,
	KD_CMD_PRINTER_PRINT,
	KD_CMD_PRINTER_STATUS,
	KD_CMD_SCANNER_READ,
};

#define KD_NAME_MAX 64         /* longest command name accepted, NUL included */
#define KD_TIMEOUT_MAX 600000  /* largest header timeout, ms */
#define KD_CANCEL_IDS_MAX 256  /* requestIds in one Common.Cancel */
#define KD_REQUEST_ID_MAX 9007199254740991LL /* 2^53 - 1: exact in a JS number */

/* One parsed command message. */
struct kd_request {
	enum kd_command cmd;
	char name[KD_NAME_MAX];  /* as sent ("" when the header had none) */
	int64_t request_id;      /* -1 when unknown */
	int timeout_ms;          /* 0: the command's default */
	/* payload (valid when invalid_payload is false) */
	bool invalid_payload;    /* → completion invalidData with `error` */
	bool photo;              /* IdCard.Read */
	char *document;          /* Printer.Print: the receipt JSON text (malloc) */
	int64_t *cancel_ids;     /* Common.Cancel (malloc); NULL with n_cancel 0: all */
	size_t n_cancel;
	char error[200];         /* why the ack is not ok, or why the payload is invalid */
};

/*
 * Parses one text message of `len` bytes (need not be NUL-terminated).
 * Returns the acknowledge status: KD_ACK_INVALID_MESSAGE (not JSON, no
 * header, wrong header types), KD_ACK_INVALID_REQUEST_ID (requestId not a
 * positive integer), or KD_ACK_OK — then req->cmd says which command
 * (KD_CMD_UNKNOWN: completion unsupportedCommand) and req->invalid_payload
 * whether its payload is unusable. Always release with kd_request_clear().
 */
enum kd_ack kd_parse_request(const char *text, size_t len, struct kd_request *req);

/* Frees what a request holds (the document is wiped first). */
void kd_request_clear(struct kd_request *req);

/* The protocol names: "ok", "invalidMessage", …; "success", "canceled", … */
const char *kd_ack_name(enum kd_ack ack);
const char *kd_code_name(enum kd_code code);
const char *kd_command_name(enum kd_command cmd);

/* The completion code for a libkiosk result (KIOSK_OK, KIOSK_E_…). */
enum kd_code kd_code_from_kiosk(int err);

/* True when `s` (len bytes) is well-formed UTF-8. */
bool kd_utf8_valid(const char *s, size_t len);

/*
 * Reply builders. Each returns a new NUL-terminated JSON text (free() it),
 * or NULL when out of memory. `name` NULL or "" gives "name": null;
 * `request_id` < 0 gives "requestId": null. `payload_json` is a JSON object
 * text copied verbatim (NULL: {}); `description` may be NULL.
 */
char *kd_msg_ack(const char *name, int64_t request_id, enum kd_ack ack, const char *description);
char *kd_msg_completion(const char *name, int64_t request_id, enum kd_code code,
			const char *description, const char *payload_json);
char *kd_msg_event(const char *name, int64_t request_id, const char *payload_json);
char *kd_msg_unsolicited(const char *name, const char *payload_json);

#endif
