/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_kioskd_message.c — libFuzzer target for kioskd's message parser
 * (examples/kioskd/protocol.c), without sockets.
 *
 * For any input: no crash, leak or hang; the acknowledge status is one of
 * the protocol's; an accepted command has a name and a requestId in range;
 * every reply built from what was parsed (acknowledge, completion, event)
 * is valid JSON and valid UTF-8 that carries the same requestId back.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"

#define FAIL(...)                                                                           \
	do {                                                                                \
		fprintf(stderr, "fuzz_kioskd_message: " __VA_ARGS__);                       \
		fputc('\n', stderr);                                                        \
		abort();                                                                    \
	} while (0)

static void check_reply(char *msg, int64_t request_id, const char *what)
{
	if (!msg)
		FAIL("%s: no reply built", what);
	if (!kd_utf8_valid(msg, strlen(msg)))
		FAIL("%s: reply is not UTF-8", what);
	cJSON *j = cJSON_Parse(msg);
	if (!j)
		FAIL("%s: reply is not JSON: %s", what, msg);
	const cJSON *h = cJSON_GetObjectItemCaseSensitive(j, "header");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(h, "requestId");
	if (request_id < 0 ? !cJSON_IsNull(id)
			   : !cJSON_IsNumber(id) || (int64_t)id->valuedouble != request_id)
		FAIL("%s: requestId not echoed: %s", what, msg);
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "payload")))
		FAIL("%s: no payload object", what);
	cJSON_Delete(j);
	free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kd_request req;
	enum kd_ack ack = kd_parse_request((const char *)data, size, &req);
	if (ack > KD_ACK_TOO_MANY_REQUESTS)
		FAIL("acknowledge status %d out of range", (int)ack);
	if (ack != KD_ACK_OK && !req.error[0])
		FAIL("a refusal without a reason");
	if (ack == KD_ACK_OK) {
		if (!req.name[0] || req.request_id < 1 || req.request_id > KD_REQUEST_ID_MAX)
			FAIL("accepted a command without a name or with requestId %lld",
			     (long long)req.request_id);
		if (req.timeout_ms < 0 || req.timeout_ms > KD_TIMEOUT_MAX)
			FAIL("timeout %d out of range", req.timeout_ms);
		if (req.cmd == KD_CMD_PRINTER_PRINT && !req.invalid_payload && !req.document)
			FAIL("Printer.Print accepted without a document");
		if (req.invalid_payload && !req.error[0])
			FAIL("invalid payload without a reason");
		if (req.cmd != KD_CMD_UNKNOWN && strcmp(kd_command_name(req.cmd), req.name))
			FAIL("command %s parsed as %s", req.name, kd_command_name(req.cmd));
	}
	check_reply(kd_msg_ack(req.name, req.request_id, ack, req.error), req.request_id, "ack");
	check_reply(kd_msg_completion(req.name, req.request_id, KD_INVALID_DATA, req.error, "{}"),
		    req.request_id, "completion");
	check_reply(kd_msg_event(req.name, req.request_id, NULL), req.request_id, "event");
	kd_request_clear(&req);
	return 0;
}
