/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * samv.c — the SAM_V (GA 467) ID-card reader driver.
 *
 * One command, one reply. The reply is found in a receive buffer by the
 * frame codec (samv_frame.c), which skips noise and resynchronises on the
 * preamble; a frame that fails its checksum is never used. The transport is
 * a byte stream (serial, tcp) or USB bulk pipes whose layout comes from the
 * reader profile:
 *   "pipes": {"out": "0x02", "in": "0x81", "in_chunk": 64}           one pair
 *   "pipes": {"out": "0x02", "out_body": "0x06",
 *             "in": "0x81", "in_body": "0x85", "in_chunk": 64}      split
 * In the split layout the preamble and LEN go to/come from the first pipe,
 * the rest of the frame to/from the second.
 *
 * Logging: command names, status bytes and lengths only — never the data of
 * a read reply (transport traces show lengths only, never bytes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>
#include "idcard/idcard-private.h"
#include "samv_frame.h"

#define COMP "samv"

enum pipe_mode { PIPE_STREAM, PIPE_USB_SINGLE, PIPE_USB_SPLIT };

struct samv {
	enum pipe_mode mode;
	uint8_t ep_out, ep_out_body, ep_in, ep_in_body;
	size_t in_chunk;
	int baud;
	size_t rxlen;
	uint8_t rx[2 * SAMV_MAX_FRAME];
	uint8_t tx[64];
};

static struct samv *S(kiosk_idcard_reader *r)
{
	return r->base.priv;
}

static const char *cmd_name(uint8_t cmd, uint8_t para)
{
	switch (cmd << 8 | para) {
	case 0x10ff: return "reset SAM";
	case 0x11ff: return "SAM status";
	case 0x12ff: return "read SAM id";
	case 0x2001: return "find card";
	case 0x2002: return "select card";
	case 0x3001: return "read text+photo";
	case 0x3010: return "read text+photo+fingerprint";
	case 0x3003: return "read additional address";
	}
	return cmd == 0x60 ? "set baud" : "command";
}

/* ---- opening ------------------------------------------------------------- */

static int json_hex(const cJSON *o, const char *key, int def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (cJSON_IsNumber(v))
		return v->valueint;
	if (cJSON_IsString(v) && v->valuestring)
		return (int)strtol(v->valuestring, NULL, 0);
	return def;
}

static int parse_profile(kiosk_idcard_reader *rdr, struct samv *s, const char *json)
{
	s->baud = 115200;
	s->in_chunk = 64;
	if (!json)
		return KIOSK_OK;
	cJSON *doc = cJSON_Parse(json);
	if (!doc)
		return kioski_device_fail(&rdr->base, KIOSK_E_BAD_DOCUMENT,
					  "reader profile '%s' is not valid JSON", rdr->profile);
	s->baud = json_hex(doc, "baud", 115200);
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(doc, "pipes");
	if (cJSON_IsObject(p)) {
		s->ep_out = (uint8_t)json_hex(p, "out", 0);
		s->ep_in = (uint8_t)json_hex(p, "in", 0);
		s->ep_out_body = (uint8_t)json_hex(p, "out_body", 0);
		s->ep_in_body = (uint8_t)json_hex(p, "in_body", 0);
		/* recv_some() keeps room for one chunk in half the receive buffer. */
		int chunk = json_hex(p, "in_chunk", 64);
		s->in_chunk = chunk >= 8 && (size_t)chunk <= sizeof s->rx / 2 ? (size_t)chunk : 64;
	}
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "timeout_ms");
	/* The same range as the URI's timeout_ms: callers multiply it. */
	if (cJSON_IsNumber(t) && t->valueint >= 100 && t->valueint <= 60000 &&
	    t->valueint > rdr->cmd_timeout_ms)
		rdr->cmd_timeout_ms = t->valueint;
	cJSON_Delete(doc);
	return KIOSK_OK;
}

/* The device URI with ?baud=N added when it names none. */
static int uri_with_baud(const kiosk_uri *uri, int baud, kiosk_uri **out)
{
	const char *text = kiosk_uri_to_string(uri);
	char buf[1024];
	if (kiosk_uri_get_option(uri, "baud"))
		snprintf(buf, sizeof buf, "%s", text);
	else
		snprintf(buf, sizeof buf, "%s%sbaud=%d", text, strchr(text, '?') ? "&" : "?", baud);
	return kiosk_uri_parse(buf, out, NULL, 0);
}

/* The same URI with baud replaced. */
static int uri_replace_baud(const kiosk_uri *uri, int baud, kiosk_uri **out)
{
	const char *text = kiosk_uri_to_string(uri);
	char buf[1024];
	const char *q = strchr(text, '?');
	size_t base = q ? (size_t)(q - text) : strlen(text);
	int n = snprintf(buf, sizeof buf, "%.*s?baud=%d", (int)base, text, baud);
	if (q) {
		char opts[1024];
		snprintf(opts, sizeof opts, "%s", q + 1);
		for (char *save = NULL, *tok = strtok_r(opts, "&", &save); tok;
		     tok = strtok_r(NULL, "&", &save))
			if (strncmp(tok, "baud=", 5) && n < (int)sizeof buf)
				n += snprintf(buf + n, sizeof buf - (size_t)n, "&%s", tok);
	}
	return kiosk_uri_parse(buf, out, NULL, 0);
}

static int samv_open(kiosk_idcard_reader *rdr, const char *profile_json)
{
	struct samv *s = calloc(1, sizeof *s);
	if (!s)
		return KIOSK_E_NO_MEMORY;
	rdr->base.priv = s;
	int r = parse_profile(rdr, s, profile_json);
	if (r < 0)
		return r;
	enum kiosk_uri_scheme scheme = kiosk_uri_get_scheme(rdr->base.uri);
	if (scheme == KIOSK_URI_USB) {
		if (!s->ep_out || !s->ep_in) {
			s->ep_out = 0;
			s->ep_in = 0;
			s->mode = PIPE_USB_SINGLE;
		} else {
			s->mode = s->ep_out_body && s->ep_in_body ? PIPE_USB_SPLIT : PIPE_USB_SINGLE;
		}
	} else {
		s->mode = PIPE_STREAM;
	}
	kiosk_uri *uri = NULL;
	if (scheme == KIOSK_URI_SERIAL) {
		r = uri_with_baud(rdr->base.uri, s->baud, &uri);
		if (r < 0)
			return kioski_device_fail(&rdr->base, r, "cannot add the baud to the URI");
		long b = s->baud;
		kiosk_uri_get_option_int(uri, "baud", 50, 4000000, s->baud, &b);
		s->baud = (int)b;
	}
	r = kioski_transport_open(rdr->base.ctx, uri ? uri : rdr->base.uri, &rdr->base.transport);
	kiosk_uri_free(uri);
	if (r < 0)
		return r;
	/* Replies carry the card holder's data: the transport traces lengths only. */
	kioski_dbg(rdr->base.ctx, COMP, "opened %s (%s, profile %s, %d baud)",
		   kiosk_uri_to_string(rdr->base.uri),
		   s->mode == PIPE_STREAM ? "stream" : s->mode == PIPE_USB_SPLIT ? "usb split pipes"
									 : "usb one pipe",
		   rdr->profile[0] ? rdr->profile : "none", s->baud);
	return KIOSK_OK;
}

/* A re-opened link: the port at the reader's rate, nothing buffered. */
static int samv_relinked(kiosk_idcard_reader *rdr)
{
	struct samv *s = S(rdr);
	s->rxlen = 0;
	if (s->mode == PIPE_STREAM && kiosk_uri_get_scheme(rdr->base.uri) == KIOSK_URI_SERIAL)
		return kioski_transport_set_baud(rdr->base.transport, s->baud);
	return KIOSK_OK;
}

static void samv_close(kiosk_idcard_reader *rdr)
{
	struct samv *s = S(rdr);
	if (s) {
		kioski_wipe(s, sizeof *s);
		free(s);
	}
	rdr->base.priv = NULL;
}

/* ---- one command, one reply --------------------------------------------- */

static bool link_error(int r)
{
	return r == KIOSK_E_CLOSED || r == KIOSK_E_NO_DEVICE || r == KIOSK_E_IO;
}

static int send_frame(kiosk_idcard_reader *rdr, const uint8_t *f, size_t n, int timeout_ms)
{
	struct samv *s = S(rdr);
	kioski_transport *t = rdr->base.transport;
	switch (s->mode) {
	case PIPE_STREAM:
		return kioski_transport_write(t, f, n, timeout_ms);
	case PIPE_USB_SINGLE:
		return kioski_transport_write_ep(t, s->ep_out, f, n, timeout_ms);
	case PIPE_USB_SPLIT: {
		int r = kioski_transport_write_ep(t, s->ep_out, f, SAMV_HEADER_LEN, timeout_ms);
		if (r == KIOSK_OK)
			r = kioski_transport_write_ep(t, s->ep_out_body, f + SAMV_HEADER_LEN,
						      n - SAMV_HEADER_LEN, timeout_ms);
		return r;
	}
	}
	return KIOSK_E_STATE;
}

static int recv_some(kiosk_idcard_reader *rdr, int timeout_ms)
{
	struct samv *s = S(rdr);
	kioski_transport *t = rdr->base.transport;
	if (s->rxlen + s->in_chunk > sizeof s->rx) {
		/* A flood of noise: keep the newest half. */
		size_t keep = sizeof s->rx / 2;
		memmove(s->rx, s->rx + s->rxlen - keep, keep);
		s->rxlen = keep;
	}
	size_t got = 0, room = sizeof s->rx - s->rxlen;
	int r;
	switch (s->mode) {
	case PIPE_STREAM:
		r = kioski_transport_read(t, s->rx + s->rxlen, room, &got, timeout_ms);
		break;
	case PIPE_USB_SPLIT:
		/* The header comes on the first IN pipe, the body on the second. */
		r = kioski_transport_read_ep(t, s->rxlen < SAMV_HEADER_LEN ? s->ep_in : s->ep_in_body,
					     s->rx + s->rxlen, s->in_chunk, &got, timeout_ms);
		break;
	default:
		r = kioski_transport_read_ep(t, s->ep_in, s->rx + s->rxlen, s->in_chunk, &got,
					     timeout_ms);
		break;
	}
	if (r == KIOSK_OK)
		s->rxlen += got;
	return r;
}

static void rx_drop(struct samv *s, size_t n)
{
	if (n >= s->rxlen) {
		s->rxlen = 0;
		return;
	}
	memmove(s->rx, s->rx + n, s->rxlen - n);
	s->rxlen -= n;
}

/* Reply wait for a command: the floor, plus twice the wire time of the
 * longest reply at the serial rate. */
static int reply_timeout(kiosk_idcard_reader *rdr, size_t max_reply)
{
	struct samv *s = S(rdr);
	int ms = rdr->cmd_timeout_ms;
	if (s->mode == PIPE_STREAM && s->baud > 0)
		ms += (int)(2 * max_reply * 10 * 1000 / (size_t)s->baud);
	return ms;
}

/*
 * Sends cmd/para and waits for its reply frame (left at the start of s->rx;
 * `rep` points into it). `retries`: how often a checksum or length failure
 * (ours or the reader's SW3 10/11) is retried — only for commands that may
 * safely be repeated.
 */
static int transact(kiosk_idcard_reader *rdr, uint8_t cmd, uint8_t para, const uint8_t *data,
		    size_t dlen, size_t max_reply, int retries, uint64_t deadline,
		    struct samv_reply *rep)
{
	struct samv *s = S(rdr);
	const char *what = cmd_name(cmd, para);
	if (kioski_device_link_down(&rdr->base)) {
		int r = kioski_device_relink(&rdr->base);
		if (r < 0)
			return kioski_device_fail(&rdr->base, r, "%s: the reader is not reachable", what);
	}
	if (!rdr->base.transport)
		return kioski_device_fail(&rdr->base, KIOSK_E_NO_DEVICE, "%s: the port is closed", what);
	size_t n = kioski_samv_encode(cmd, para, data, dlen, s->tx, sizeof s->tx);
	if (!n)
		return kioski_device_fail(&rdr->base, KIOSK_E_OVERFLOW, "%s: frame too long", what);
	int err = KIOSK_OK;
	for (int attempt = 0; attempt <= retries; attempt++) {
		int left = kioski_remaining_ms(deadline);
		if (left <= 0 && attempt > 0)
			break;
		int wait = reply_timeout(rdr, max_reply);
		if (wait > left)
			wait = left;
		if (wait < 1)
			wait = 1;
		uint64_t until = kioski_now_ms() + (uint64_t)wait;
		kioski_transport_discard_input(rdr->base.transport);
		s->rxlen = 0;
		int r = send_frame(rdr, s->tx, n, wait);
		if (r < 0) {
			if (r == KIOSK_E_TIMEOUT)
				return kioski_device_fail(&rdr->base, r, "%s: the reader does not accept data",
							  what);
			if (link_error(r))
				kioski_device_link_lost(&rdr->base, r);
			return kioski_device_fail(&rdr->base, r, "%s: write failed", what);
		}
		bool bad = false;
		for (;;) {
			enum samv_scan sc = kioski_samv_scan(s->rx, s->rxlen, rep);
			if (sc == SAMV_FRAME) {
				rx_drop(s, rep->skip);
				rep->data -= rep->skip;
				rep->skip = 0;
				break;
			}
			if (sc == SAMV_BAD_CHECKSUM) {
				kioski_dbg(rdr->base.ctx, COMP, "%s: reply checksum error (%zu bytes)",
					   what, rep->frame_len);
				rx_drop(s, rep->skip + 1);
				bad = true;
				/* Only what is already buffered may still hold a good frame. */
				struct samv_reply tmp;
				if (kioski_samv_scan(s->rx, s->rxlen, &tmp) == SAMV_NEED_MORE)
					break;
				continue;
			}
			if (sc == SAMV_BAD_LENGTH) {
				rx_drop(s, rep->skip + 1);
				continue;
			}
			rx_drop(s, rep->skip);
			int rem = kioski_remaining_ms(until);
			if (rem <= 0) {
				r = KIOSK_E_TIMEOUT;
				break;
			}
			r = recv_some(rdr, rem);
			if (r == KIOSK_E_TIMEOUT)
				break;
			if (r < 0) {
				if (link_error(r))
					kioski_device_link_lost(&rdr->base, r);
				return kioski_device_fail(&rdr->base, r, "%s: read failed", what);
			}
		}
		if (bad) {
			err = kioski_device_fail(&rdr->base, KIOSK_E_CHECKSUM,
						 "%s: the reply failed its checksum", what);
			continue;
		}
		if (r == KIOSK_E_TIMEOUT) {
			if (s->rxlen > 0) {
				err = kioski_device_fail(&rdr->base, KIOSK_E_PROTOCOL,
							 "%s: truncated reply (%zu bytes, no complete frame)",
							 what, s->rxlen);
				continue;
			}
			/* a reader that answered before and fell silent is offline */
			if (kiosk_device_get_state(&rdr->base) == KIOSK_DEVICE_ONLINE)
				kioski_device_set_state(&rdr->base, KIOSK_DEVICE_OFFLINE,
							KIOSK_E_TIMEOUT);
			return kioski_device_fail(&rdr->base, KIOSK_E_TIMEOUT,
						  "%s: the reader did not answer within %d ms", what,
						  wait);
		}
		kioski_device_answered(&rdr->base);
		rdr->last_sw3 = rep->sw3;
		kioski_dbg(rdr->base.ctx, COMP, "%s: SW %02x %02x %02x, %zu data bytes", what,
			   rep->sw1, rep->sw2, rep->sw3, rep->data_len);
		if (rep->sw3 == 0x10 || rep->sw3 == 0x11) {
			err = kioski_device_fail(&rdr->base, kioski_idcard_sw3_error(rep->sw3),
						 "%s: %s (SW3 %02X)", what,
						 kiosk_idcard_status_string(rep->sw3), rep->sw3);
			continue;
		}
		return KIOSK_OK;
	}
	return err ? err : kioski_device_fail(&rdr->base, KIOSK_E_TIMEOUT, "%s: no time left", what);
}

/* Maps a reply's SW3 to the op's result; sets the message on failure. */
static int check_sw3(kiosk_idcard_reader *rdr, const char *what, const struct samv_reply *rep,
		     uint8_t ok)
{
	if (rep->sw3 == ok)
		return KIOSK_OK;
	int err = kioski_idcard_sw3_error(rep->sw3);
	if (err == KIOSK_OK)
		err = KIOSK_E_PROTOCOL; /* a success code that does not belong to this command */
	if (err == KIOSK_E_NO_CARD) {
		/* Not a warning: polling sees it all the time. */
		snprintf(rdr->base.last_error, sizeof rdr->base.last_error, "%s: no card (SW3 80)",
			 what);
		return err;
	}
	return kioski_device_fail(&rdr->base, err, "%s: %s (SW3 %02X)", what,
				  kiosk_idcard_status_string(rep->sw3), rep->sw3);
}

/* ---- ops -------------------------------------------------------------------- */

/* A command without data whose reply carries only a status: `ok` expected. */
static int simple_command(kiosk_idcard_reader *rdr, uint8_t cmd, uint8_t para, int retries,
			  uint8_t ok, uint64_t deadline)
{
	struct samv_reply rep;
	int r = transact(rdr, cmd, para, NULL, 0, 64, retries, deadline, &rep);
	return r < 0 ? r : check_sw3(rdr, cmd_name(cmd, para), &rep, ok);
}

static int samv_find(kiosk_idcard_reader *rdr, uint64_t deadline)
{
	return simple_command(rdr, 0x20, 0x01, 2, 0x9f, deadline);
}

static int samv_select(kiosk_idcard_reader *rdr, uint64_t deadline)
{
	return simple_command(rdr, 0x20, 0x02, 0, 0x90, deadline);
}

static int samv_read(kiosk_idcard_reader *rdr, bool fingerprint, struct kioski_idcard_raw *raw,
		     uint64_t deadline)
{
	struct samv *s = S(rdr);
	struct samv_reply rep;
	const char *what = fingerprint ? "read text+photo+fingerprint" : "read text+photo";
	int r = transact(rdr, 0x30, fingerprint ? 0x10 : 0x01, NULL, 0,
			 fingerprint ? 2400 : 1300, 0, deadline, &rep);
	if (r < 0)
		goto out; /* a truncated or corrupt reply may still hold card data */
	r = check_sw3(rdr, what, &rep, 0x90);
	if (r < 0)
		goto out;
	struct samv_read_data rd;
	if (kioski_samv_split_read(rep.data, rep.data_len, fingerprint, &rd) < 0) {
		r = kioski_device_fail(&rdr->base, KIOSK_E_PROTOCOL,
				       "%s: block lengths do not match the reply (%zu bytes)", what,
				       rep.data_len);
		goto out;
	}
	if (rd.text_len != KIOSKI_IDCARD_TEXT_LEN || rd.photo_len > KIOSKI_IDCARD_PHOTO_MAX ||
	    rd.fingerprint_len > KIOSKI_IDCARD_FP_MAX) {
		r = kioski_device_fail(&rdr->base, KIOSK_E_PROTOCOL,
				       "%s: unexpected block sizes (text %zu, photo %zu, fingerprint %zu)",
				       what, rd.text_len, rd.photo_len, rd.fingerprint_len);
		goto out;
	}
	memcpy(raw->text, rd.text, rd.text_len);
	memcpy(raw->photo, rd.photo, rd.photo_len);
	raw->photo_len = rd.photo_len;
	if (rd.fingerprint_len)
		memcpy(raw->fingerprint, rd.fingerprint, rd.fingerprint_len);
	raw->fingerprint_len = rd.fingerprint_len;
	raw->fingerprint_read = fingerprint;
out:
	/* The receive buffer held the card: wipe it. */
	kioski_wipe(s->rx, sizeof s->rx);
	s->rxlen = 0;
	return r;
}

static int samv_read_address(kiosk_idcard_reader *rdr, uint8_t *buf, size_t cap, size_t *len,
			     uint64_t deadline)
{
	struct samv *s = S(rdr);
	struct samv_reply rep;
	*len = 0;
	int r = transact(rdr, 0x30, 0x03, NULL, 0, 600, 0, deadline, &rep);
	/* SW3 91: no additional address on this card. */
	if (r == KIOSK_OK && rep.sw3 != 0x91 &&
	    (r = check_sw3(rdr, "read additional address", &rep, 0x90)) == KIOSK_OK) {
		if (rep.data_len % 2 || rep.data_len > cap)
			r = kioski_device_fail(&rdr->base, KIOSK_E_PROTOCOL,
					       "read additional address: bad length %zu", rep.data_len);
		else {
			memcpy(buf, rep.data, rep.data_len);
			*len = rep.data_len;
		}
	}
	/* The receive buffer held the address, or part of it on an error. */
	kioski_wipe(s->rx, sizeof s->rx);
	s->rxlen = 0;
	return r;
}

static int samv_sam_reset(kiosk_idcard_reader *rdr, uint64_t deadline)
{
	return simple_command(rdr, 0x10, 0xff, 2, 0x90, deadline);
}

static int samv_sam_status(kiosk_idcard_reader *rdr, uint64_t deadline)
{
	return simple_command(rdr, 0x11, 0xff, 2, 0x90, deadline);
}

static int samv_sam_id(kiosk_idcard_reader *rdr, uint8_t id[16], uint64_t deadline)
{
	struct samv_reply rep;
	int r = transact(rdr, 0x12, 0xff, NULL, 0, 64, 2, deadline, &rep);
	if (r < 0 || (r = check_sw3(rdr, "read SAM id", &rep, 0x90)) < 0)
		return r;
	if (rep.data_len < 16)
		return kioski_device_fail(&rdr->base, KIOSK_E_PROTOCOL,
					  "read SAM id: %zu bytes instead of 16", rep.data_len);
	memcpy(id, rep.data, 16);
	return KIOSK_OK;
}

static int samv_set_baud(kiosk_idcard_reader *rdr, int baud, uint64_t deadline)
{
	static const int rates[] = {115200, 57600, 38400, 19200, 9600};
	int code = -1;
	for (int i = 0; i < 5; i++)
		if (rates[i] == baud)
			code = i;
	if (code < 0)
		return kioski_device_fail(&rdr->base, KIOSK_E_INVALID_ARG,
					  "set baud: %d is not one of 115200/57600/38400/19200/9600",
					  baud);
	if (kiosk_uri_get_scheme(rdr->base.uri) != KIOSK_URI_SERIAL)
		return kioski_device_fail(&rdr->base, KIOSK_E_NOT_SUPPORTED,
					  "set baud: only serial readers have a baud rate");
	struct samv_reply rep;
	int r = transact(rdr, 0x60, (uint8_t)code, NULL, 0, 64, 0, deadline, &rep);
	if (r < 0 || (r = check_sw3(rdr, "set baud", &rep, 0x90)) < 0)
		return r;
	/* The reader now talks at the new rate: follow it on the same port. */
	r = kioski_transport_set_baud(rdr->base.transport, baud);
	if (r < 0)
		return kioski_device_fail(&rdr->base, r, "set baud: the port cannot follow to %d: %s",
					  baud, kiosk_context_last_error(rdr->base.ctx));
	S(rdr)->baud = baud;
	kiosk_uri *uri = NULL;
	if (uri_replace_baud(rdr->base.uri, baud, &uri) == KIOSK_OK) { /* what get_uri reports */
		kiosk_uri_free(rdr->base.uri);
		rdr->base.uri = uri;
	}
	kioski_info(rdr->base.ctx, COMP, "reader switched to %d baud", baud);
	return KIOSK_OK;
}

static const struct kioski_idcard_ops samv_ops = {
	.open = samv_open,
	.close = samv_close,
	.find = samv_find,
	.select = samv_select,
	.read = samv_read,
	.read_address = samv_read_address,
	.sam_reset = samv_sam_reset,
	.sam_status = samv_sam_status,
	.sam_id = samv_sam_id,
	.set_baud = samv_set_baud,
	.relinked = samv_relinked,
};

static const struct kioski_usb_id samv_usb_ids[] = {
	{0x0400, 0xc35a, "idr200"},
	{0, 0, NULL},
};

const struct kioski_driver kioski_driver_samv = {
	.id = "samv",
	.full_name = "SAM_V (GA 467) second-generation ID-card reader",
	.cls = KIOSK_CLASS_IDCARD,
	.features = 0,
	.usb_ids = samv_usb_ids,
	.ops = &samv_ops,
};
