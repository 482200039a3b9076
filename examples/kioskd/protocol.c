/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * protocol.c — parsing client messages and building replies (docs/kioskd.md).
 */
#include "protocol.h"

#include <cjson/cJSON.h>
#include <kiosk/kiosk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ack_names[] = {
	[KD_ACK_OK] = "ok",
	[KD_ACK_INVALID_MESSAGE] = "invalidMessage",
	[KD_ACK_INVALID_REQUEST_ID] = "invalidRequestId",
	[KD_ACK_UNAUTHORIZED] = "unauthorized",
	[KD_ACK_TOO_MANY_REQUESTS] = "tooManyRequests",
};

static const char *const code_names[] = {
	[KD_SUCCESS] = "success",
	[KD_CANCELED] = "canceled",
	[KD_TIMEOUT] = "timeout",
	[KD_NO_DEVICE] = "noDevice",
	[KD_NO_CARD] = "noCard",
	[KD_PAPER_OUT] = "paperOut",
	[KD_COVER_OPEN] = "coverOpen",
	[KD_HARDWARE_ERROR] = "hardwareError",
	[KD_INVALID_DATA] = "invalidData",
	[KD_UNSUPPORTED_COMMAND] = "unsupportedCommand",
	[KD_DEVICE_BUSY] = "deviceBusy",
	[KD_UNAUTHORIZED] = "unauthorized",
};

static const char *const command_names[] = {
	[KD_CMD_UNKNOWN] = "",
	[KD_CMD_COMMON_STATUS] = "Common.Status",
	[KD_CMD_COMMON_CANCEL] = "Common.Cancel",
	[KD_CMD_IDCARD_READ] = "IdCard.Read",
	[KD_CMD_PRINTER_PRINT] = "Printer.Print",
	[KD_CMD_PRINTER_STATUS] = "Printer.Status",
	[KD_CMD_SCANNER_READ] = "Scanner.Read",
};

const char *kd_ack_name(enum kd_ack ack)
{
	return (unsigned)ack < sizeof ack_names / sizeof *ack_names ? ack_names[ack] : "invalidMessage";
}

const char *kd_code_name(enum kd_code code)
{
	return (unsigned)code < sizeof code_names / sizeof *code_names ? code_names[code]
								      : "hardwareError";
}

const char *kd_command_name(enum kd_command cmd)
{
	return (unsigned)cmd < sizeof command_names / sizeof *command_names ? command_names[cmd] : "";
}

enum kd_code kd_code_from_kiosk(int err)
{
	switch (err) {
	case KIOSK_OK: return KD_SUCCESS;
	case KIOSK_E_CANCELLED: return KD_CANCELED;
	case KIOSK_E_TIMEOUT: return KD_TIMEOUT;
	case KIOSK_E_NO_DEVICE:
	case KIOSK_E_CLOSED: return KD_NO_DEVICE;
	case KIOSK_E_NO_CARD: return KD_NO_CARD;
	case KIOSK_E_PAPER_OUT: return KD_PAPER_OUT;
	case KIOSK_E_COVER_OPEN: return KD_COVER_OPEN;
	case KIOSK_E_INVALID_ARG:
	case KIOSK_E_BAD_DOCUMENT:
	case KIOSK_E_OVERFLOW: return KD_INVALID_DATA;
	case KIOSK_E_NOT_SUPPORTED: return KD_UNSUPPORTED_COMMAND;
	case KIOSK_E_BUSY: return KD_DEVICE_BUSY;
	case KIOSK_E_ACCESS: return KD_UNAUTHORIZED;
	default: return KD_HARDWARE_ERROR;
	}
}

bool kd_utf8_valid(const char *str, size_t len)
{
	return kiosk_utf8_invalid_at(str, len) < 0;
}

static void wipe(void *p, size_t n)
{
	if (p)
		explicit_bzero(p, n);
}

void kd_request_clear(struct kd_request *req)
{
	if (req->document) {
		wipe(req->document, strlen(req->document));
		free(req->document);
	}
	free(req->cancel_ids);
	memset(req, 0, sizeof *req);
	req->request_id = -1;
}

static enum kd_ack fail(struct kd_request *req, enum kd_ack ack, const char *why)
{
	snprintf(req->error, sizeof req->error, "%s", why);
	return ack;
}

static void payload_fail(struct kd_request *req, const char *fmt, const char *arg)
{
	req->invalid_payload = true;
	snprintf(req->error, sizeof req->error, fmt, arg ? arg : "");
}

/* A JSON number that is an integer within [lo, hi]. */
static bool integer_in(const cJSON *v, double lo, double hi, int64_t *out)
{
	if (!cJSON_IsNumber(v))
		return false;
	double d = v->valuedouble;
	if (!isfinite(d) || d != floor(d) || d < lo || d > hi)
		return false;
	*out = (int64_t)d;
	return true;
}

/* A web page must not make the daemon read files: images only as data: URIs. */
static bool document_reads_files(const cJSON *doc, char *which, size_t len)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(doc, "items");
	if (!cJSON_IsArray(items))
		return false; /* the receipt parser says what is wrong */
	int i = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, items) {
		const cJSON *img = cJSON_GetObjectItemCaseSensitive(it, "image");
		if (cJSON_IsString(img) && strncmp(img->valuestring, "data:", 5) != 0) {
			snprintf(which, len, "items[%d].image", i);
			return true;
		}
		i++;
	}
	return false;
}

static void parse_payload(struct kd_request *req, const cJSON *payload)
{
	switch (req->cmd) {
	case KD_CMD_IDCARD_READ: {
		const cJSON *photo = cJSON_GetObjectItemCaseSensitive(payload, "photo");
		if (photo && !cJSON_IsBool(photo))
			payload_fail(req, "payload.photo: must be true or false%s", NULL);
		else
			req->photo = cJSON_IsTrue(photo);
		break;
	}
	case KD_CMD_PRINTER_PRINT: {
		const cJSON *doc = cJSON_GetObjectItemCaseSensitive(payload, "document");
		char which[48];
		if (!cJSON_IsObject(doc)) {
			payload_fail(req, "payload.document: must be a receipt document (an object)%s",
				     NULL);
		} else if (document_reads_files(doc, which, sizeof which)) {
			payload_fail(req, "payload.document.%s: images must be data: URIs", which);
		} else if (!(req->document = cJSON_PrintUnformatted(doc))) {
			payload_fail(req, "payload.document: out of memory%s", NULL);
		}
		break;
	}
	case KD_CMD_COMMON_CANCEL: {
		const cJSON *ids = cJSON_GetObjectItemCaseSensitive(payload, "requestIds");
		if (!ids || cJSON_IsNull(ids))
			break; /* all of the connection's commands */
		if (!cJSON_IsArray(ids)) {
			payload_fail(req, "payload.requestIds: must be an array of request ids%s", NULL);
			break;
		}
		int n = cJSON_GetArraySize(ids);
		if (n > KD_CANCEL_IDS_MAX) {
			payload_fail(req, "payload.requestIds: at most 256 ids%s", NULL);
			break;
		}
		req->cancel_ids = calloc(n ? (size_t)n : 1, sizeof *req->cancel_ids);
		if (!req->cancel_ids) {
			payload_fail(req, "out of memory%s", NULL);
			break;
		}
		const cJSON *v;
		cJSON_ArrayForEach(v, ids) {
			int64_t id;
			if (!integer_in(v, 1, (double)KD_REQUEST_ID_MAX, &id)) {
				payload_fail(req, "payload.requestIds: each must be a positive integer%s",
					     NULL);
				break;
			}
			req->cancel_ids[req->n_cancel++] = id;
		}
		break;
	}
	default:
		break; /* no payload fields */
	}
}

static void wipe_tree(cJSON *n)
{
	for (; n; n = n->next) {
		if (n->valuestring)
			wipe(n->valuestring, strlen(n->valuestring));
		if (n->string)
			wipe(n->string, strlen(n->string));
		wipe_tree(n->child);
	}
}

enum kd_ack kd_parse_request(const char *text, size_t len, struct kd_request *req)
{
	memset(req, 0, sizeof *req);
	req->request_id = -1;
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
	if (!root)
		return fail(req, KD_ACK_INVALID_MESSAGE, "not valid JSON");
	enum kd_ack ack = KD_ACK_OK;
	for (const char *p = end; p && p < text + len; p++) {
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
			ack = fail(req, KD_ACK_INVALID_MESSAGE, "text after the JSON value");
			goto out;
		}
	}
	const cJSON *header = cJSON_GetObjectItemCaseSensitive(root, "header");
	if (!cJSON_IsObject(root) || !cJSON_IsObject(header)) {
		ack = fail(req, KD_ACK_INVALID_MESSAGE, "no header object");
		goto out;
	}
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(header, "name");
	if (cJSON_IsString(name) && strlen(name->valuestring) < sizeof req->name &&
	    kd_utf8_valid(name->valuestring, strlen(name->valuestring)))
		snprintf(req->name, sizeof req->name, "%s", name->valuestring);
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(header, "requestId");
	if (!id || cJSON_IsNull(id)) {
		ack = fail(req, KD_ACK_INVALID_MESSAGE, "header.requestId is missing");
		goto out;
	}
	if (!integer_in(id, 1, (double)KD_REQUEST_ID_MAX, &req->request_id)) {
		ack = fail(req, KD_ACK_INVALID_REQUEST_ID,
			   "header.requestId must be an integer 1..9007199254740991");
		goto out;
	}
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(header, "type");
	if (!cJSON_IsString(type) || strcmp(type->valuestring, "command") != 0) {
		ack = fail(req, KD_ACK_INVALID_MESSAGE, "header.type must be \"command\"");
		goto out;
	}
	if (!cJSON_IsString(name) || !req->name[0]) {
		ack = fail(req, KD_ACK_INVALID_MESSAGE,
			   "header.name must be a command name (at most 63 bytes)");
		goto out;
	}
	const cJSON *timeout = cJSON_GetObjectItemCaseSensitive(header, "timeout");
	int64_t t = 0;
	if (timeout && !cJSON_IsNull(timeout) && !integer_in(timeout, 0, KD_TIMEOUT_MAX, &t)) {
		ack = fail(req, KD_ACK_INVALID_MESSAGE,
			   "header.timeout must be an integer 0..600000 (milliseconds)");
		goto out;
	}
	req->timeout_ms = (int)t;
	const cJSON *payload = cJSON_GetObjectItemCaseSensitive(root, "payload");
	if (payload && !cJSON_IsNull(payload) && !cJSON_IsObject(payload)) {
		ack = fail(req, KD_ACK_INVALID_MESSAGE, "payload must be an object");
		goto out;
	}
	req->cmd = KD_CMD_UNKNOWN;
	for (size_t i = 1; i < sizeof command_names / sizeof *command_names; i++)
		if (!strcmp(req->name, command_names[i]))
			req->cmd = (enum kd_command)i;
	if (req->cmd != KD_CMD_UNKNOWN)
		parse_payload(req, payload);
out:
	/* The document may hold personal data: wipe cJSON's copies too. */
	if (req->cmd == KD_CMD_PRINTER_PRINT)
		wipe_tree(root);
	cJSON_Delete(root);
	return ack;
}

/* {"header": HEADER, "payload": PAYLOAD} with the header built by cJSON. */
static char *envelope(const char *type, const char *name, int64_t request_id,
		      const char *status_key, const char *status, const char *description,
		      const char *payload_json)
{
	cJSON *h = cJSON_CreateObject();
	if (!h)
		return NULL;
	cJSON_AddStringToObject(h, "type", type);
	if (name && *name)
		cJSON_AddStringToObject(h, "name", name);
	else
		cJSON_AddNullToObject(h, "name");
	if (request_id >= 0) {
		/* as an exact integer: cJSON would print 15 significant digits */
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)request_id);
		cJSON_AddRawToObject(h, "requestId", id);
	}
	else if (strcmp(type, "unsolicited") != 0)
		cJSON_AddNullToObject(h, "requestId");
	if (status_key)
		cJSON_AddStringToObject(h, status_key, status);
	if (description && *description)
		cJSON_AddStringToObject(h, "errorDescription", description);
	char *htext = cJSON_PrintUnformatted(h);
	cJSON_Delete(h);
	if (!htext)
		return NULL;
	const char *p = payload_json && *payload_json ? payload_json : "{}";
	size_t n = strlen(htext) + strlen(p) + 32;
	char *out = malloc(n);
	if (out)
		snprintf(out, n, "{\"header\":%s,\"payload\":%s}", htext, p);
	free(htext);
	return out;
}

char *kd_msg_ack(const char *name, int64_t request_id, enum kd_ack ack, const char *description)
{
	return envelope("acknowledge", name, request_id, "status", kd_ack_name(ack),
			ack == KD_ACK_OK ? NULL : description, NULL);
}

char *kd_msg_completion(const char *name, int64_t request_id, enum kd_code code,
			const char *description, const char *payload_json)
{
	return envelope("completion", name, request_id, "completionCode", kd_code_name(code),
			code == KD_SUCCESS ? NULL : description, payload_json);
}

char *kd_msg_event(const char *name, int64_t request_id, const char *payload_json)
{
	return envelope("event", name, request_id, NULL, NULL, NULL, payload_json);
}

char *kd_msg_unsolicited(const char *name, const char *payload_json)
{
	return envelope("unsolicited", name, -1, NULL, NULL, NULL, payload_json);
}
