/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* uri.c — parsing device URIs (serial:, usb:, tcp:, file:, evdev:). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver.h"

#define URI_MAX_LEN 1024
#define URI_MAX_OPTIONS 16

struct kiosk_uri {
	enum kiosk_uri_scheme scheme;
	char *path;      /* serial/file/evdev path, tcp host */
	int port;
	uint16_t vid, pid;
	size_t n_options;
	char *keys[URI_MAX_OPTIONS];
	char *values[URI_MAX_OPTIONS];
	char *canonical;
};

static const struct {
	const char *name;
	enum kiosk_uri_scheme scheme;
} schemes[] = {
	{"serial", KIOSK_URI_SERIAL}, {"usb", KIOSK_URI_USB}, {"tcp", KIOSK_URI_TCP},
	{"file", KIOSK_URI_FILE},     {"evdev", KIOSK_URI_EVDEV},
};

const char *kiosk_uri_scheme_name(enum kiosk_uri_scheme scheme)
{
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (schemes[i].scheme == scheme)
			return schemes[i].name;
	return "unknown";
}

static int fail(char *errmsg, size_t errmsg_len, const char *fmt, ...)
{
	if (errmsg && errmsg_len) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(errmsg, errmsg_len, fmt, ap);
		va_end(ap);
	}
	return KIOSK_E_BAD_URI;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes %XX escapes in place; false on a bad escape or an embedded NUL. */
static bool percent_decode(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (*p == '%') {
			int h = p[1] ? hexval(p[1]) : -1, l = h >= 0 && p[2] ? hexval(p[2]) : -1;
			if (h < 0 || l < 0 || (h == 0 && l == 0))
				return false;
			*o++ = (char)(h * 16 + l);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return true;
}

static bool parse_hex16(const char *s, size_t n, uint16_t *out)
{
	if (n != 4)
		return false;
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		int h = hexval(s[i]);
		if (h < 0)
			return false;
		v = v * 16 + (unsigned)h;
	}
	*out = (uint16_t)v;
	return true;
}

bool kioski_parse_usb_id(const char *text, uint16_t *vid, uint16_t *pid)
{
	const char *colon = text ? strchr(text, ':') : NULL;
	return colon && parse_hex16(text, (size_t)(colon - text), vid) &&
	       parse_hex16(colon + 1, strlen(colon + 1), pid);
}

static int parse_options(kiosk_uri *u, char *q, char *errmsg, size_t errmsg_len)
{
	char *save = NULL;
	if (!*q)
		return fail(errmsg, errmsg_len, "empty option list after '?'");
	for (char *pair = strtok_r(q, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');
		if (!eq || eq == pair)
			return fail(errmsg, errmsg_len, "option '%s' is not key=value", pair);
		*eq = '\0';
		for (char *k = pair; *k; k++)
			if (!(islower((unsigned char)*k) || isdigit((unsigned char)*k) || *k == '_'))
				return fail(errmsg, errmsg_len, "option name '%s' has characters other than a-z 0-9 _", pair);
		char *val = eq + 1;
		if (!percent_decode(val))
			return fail(errmsg, errmsg_len, "option '%s' has a bad %%-escape", pair);
		for (size_t i = 0; i < u->n_options; i++)
			if (!strcmp(u->keys[i], pair))
				return fail(errmsg, errmsg_len, "option '%s' given twice", pair);
		if (u->n_options == URI_MAX_OPTIONS)
			return fail(errmsg, errmsg_len, "more than %d options", URI_MAX_OPTIONS);
		u->keys[u->n_options] = strdup(pair);
		u->values[u->n_options] = strdup(val);
		if (!u->keys[u->n_options] || !u->values[u->n_options]) {
			free(u->keys[u->n_options]);
			free(u->values[u->n_options]);
			return KIOSK_E_NO_MEMORY;
		}
		u->n_options++;
	}
	return KIOSK_OK;
}

static int parse_port(const char *s, int *port)
{
	if (!*s || strlen(s) > 5)
		return -1;
	int v = 0;
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > 65535)
		return -1;
	*port = v;
	return 0;
}

static int parse_body(kiosk_uri *u, char *body, char *errmsg, size_t errmsg_len)
{
	const char *sn = kiosk_uri_scheme_name(u->scheme);
	switch (u->scheme) {
	case KIOSK_URI_SERIAL:
	case KIOSK_URI_FILE:
	case KIOSK_URI_EVDEV:
		if (!*body)
			return fail(errmsg, errmsg_len, "%s: missing device path (e.g. %s:/dev/%s)", sn, sn,
				    u->scheme == KIOSK_URI_SERIAL ? "ttyUSB0" :
				    u->scheme == KIOSK_URI_FILE ? "usb/lp0" : "input/event0");
		if (body[0] != '/')
			return fail(errmsg, errmsg_len, "%s: device path '%s' must be absolute", sn, body);
		if (!percent_decode(body))
			return fail(errmsg, errmsg_len, "%s: bad %%-escape in path", sn);
		u->path = strdup(body);
		return u->path ? KIOSK_OK : KIOSK_E_NO_MEMORY;
	case KIOSK_URI_USB: {
		char *colon = strchr(body, ':');
		if (!colon)
			return fail(errmsg, errmsg_len, "usb: expected VVVV:PPPP (hex vendor and product id), got '%s'", body);
		if (!parse_hex16(body, (size_t)(colon - body), &u->vid))
			return fail(errmsg, errmsg_len, "usb: vendor id must be 4 hex digits, got '%.*s'",
				    (int)(colon - body), body);
		if (!parse_hex16(colon + 1, strlen(colon + 1), &u->pid))
			return fail(errmsg, errmsg_len, "usb: product id must be 4 hex digits, got '%s'", colon + 1);
		return KIOSK_OK;
	}
	case KIOSK_URI_TCP: {
		char *host = body, *port;
		if (body[0] == '[') {
			char *close = strchr(body, ']');
			if (!close || close[1] != ':')
				return fail(errmsg, errmsg_len, "tcp: expected [IPv6]:PORT, got '%s'", body);
			*close = '\0';
			host = body + 1;
			port = close + 2;
		} else {
			char *colon = strrchr(body, ':');
			if (!colon)
				return fail(errmsg, errmsg_len, "tcp: expected HOST:PORT, got '%s'", body);
			if (memchr(body, ':', (size_t)(colon - body)))
				return fail(errmsg, errmsg_len, "tcp: put an IPv6 address in brackets: [%s]", body);
			*colon = '\0';
			port = colon + 1;
		}
		if (!*host)
			return fail(errmsg, errmsg_len, "tcp: missing host");
		for (const char *p = host; *p; p++)
			if (!(isalnum((unsigned char)*p) || *p == '.' || *p == '-' || *p == ':' ||
			      *p == '_' || *p == '%'))
				return fail(errmsg, errmsg_len, "tcp: bad character '%c' in host", *p);
		if (parse_port(port, &u->port) < 0)
			return fail(errmsg, errmsg_len, "tcp: port must be 1-65535, got '%s'", port);
		u->path = strdup(host);
		return u->path ? KIOSK_OK : KIOSK_E_NO_MEMORY;
	}
	}
	return fail(errmsg, errmsg_len, "unknown scheme");
}

/* Options every transport understands are checked here, once. */
static int check_known_options(kiosk_uri *u, char *errmsg, size_t errmsg_len)
{
	long v;
	if (kiosk_uri_get_option_int(u, "baud", 50, 4000000, 115200, &v) < 0)
		return fail(errmsg, errmsg_len, "baud must be a number, got '%s'", kiosk_uri_get_option(u, "baud"));
	const char *serial = kiosk_uri_get_option(u, "serial");
	if (serial && !*serial)
		return fail(errmsg, errmsg_len, "serial= must not be empty");
	return KIOSK_OK;
}

/* Appends `s` with %-escapes for bytes that would not parse back as themselves. */
static size_t append_escaped(char *buf, size_t size, size_t o, const char *s, const char *specials)
{
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < size; p++) {
		if (*p <= 0x20 || *p == 0x7f || *p == '%' || strchr(specials, *p))
			o += (size_t)snprintf(buf + o, size - o, "%%%02X", *p);
		else
			buf[o++] = (char)*p;
	}
	buf[o < size ? o : size - 1] = '\0';
	return o;
}

void kioski_usb_uri(uint16_t vid, uint16_t pid, const char *serial, char *out, size_t out_len)
{
	char esc[3 * 128 + 1]; /* a 127-byte serial, every byte escaped */
	kioski_uri_escape_value(serial, esc, sizeof esc);
	if (serial && *serial)
		snprintf(out, out_len, "usb:%04x:%04x?serial=%s", vid, pid, esc);
	else
		snprintf(out, out_len, "usb:%04x:%04x", vid, pid);
}

void kioski_uri_escape_value(const char *value, char *out, size_t out_len)
{
	if (out && out_len)
		append_escaped(out, out_len, 0, value ? value : "", "&");
}

static int build_canonical(kiosk_uri *u)
{
	char buf[URI_MAX_LEN * 4];
	size_t o = 0;
	switch (u->scheme) {
	case KIOSK_URI_USB:
		o = (size_t)snprintf(buf, sizeof buf, "usb:%04x:%04x", u->vid, u->pid);
		break;
	case KIOSK_URI_TCP:
		o = (size_t)snprintf(buf, sizeof buf, strchr(u->path, ':') ? "tcp:[%s]:%d" : "tcp:%s:%d",
				     u->path, u->port);
		break;
	default:
		o = (size_t)snprintf(buf, sizeof buf, "%s:", kiosk_uri_scheme_name(u->scheme));
		o = append_escaped(buf, sizeof buf, o, u->path, "?");
	}
	for (size_t i = 0; i < u->n_options && o + 2 < sizeof buf; i++) {
		buf[o++] = i ? '&' : '?';
		o = append_escaped(buf, sizeof buf, o, u->keys[i], "");
		if (o + 2 < sizeof buf)
			buf[o++] = '=';
		o = append_escaped(buf, sizeof buf, o, u->values[i], "&");
	}
	buf[o < sizeof buf ? o : sizeof buf - 1] = '\0';
	u->canonical = strdup(buf);
	return u->canonical ? KIOSK_OK : KIOSK_E_NO_MEMORY;
}

int kiosk_uri_parse(const char *text, kiosk_uri **out, char *errmsg, size_t errmsg_len)
{
	if (errmsg && errmsg_len)
		errmsg[0] = '\0';
	if (!out)
		return KIOSK_E_INVALID_ARG;
	*out = NULL;
	if (!text || !*text)
		return fail(errmsg, errmsg_len, "empty device URI");
	size_t len = strlen(text);
	if (len > URI_MAX_LEN)
		return fail(errmsg, errmsg_len, "device URI longer than %d bytes", URI_MAX_LEN);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f || text[i] == ' ')
			return fail(errmsg, errmsg_len, "device URI contains a space or control character");
	const char *colon = strchr(text, ':');
	if (!colon)
		return fail(errmsg, errmsg_len,
			    "'%s' has no scheme: use serial:, usb:, tcp:, file: or evdev:", text);
	kiosk_uri *u = calloc(1, sizeof *u);
	char *copy = strdup(text);
	if (!u || !copy) {
		free(u);
		free(copy);
		return KIOSK_E_NO_MEMORY;
	}
	int r = KIOSK_E_BAD_URI;
	size_t slen = (size_t)(colon - text);
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strlen(schemes[i].name) == slen && !strncmp(text, schemes[i].name, slen))
			u->scheme = schemes[i].scheme;
	if (!u->scheme) {
		r = fail(errmsg, errmsg_len, "unknown scheme '%.*s': use serial:, usb:, tcp:, file: or evdev:",
			 (int)slen, text);
		goto out;
	}
	char *body = copy + slen + 1;
	/* Tolerate "scheme://path" as written by people used to URLs. */
	if (body[0] == '/' && body[1] == '/' && u->scheme != KIOSK_URI_SERIAL &&
	    u->scheme != KIOSK_URI_FILE && u->scheme != KIOSK_URI_EVDEV)
		body += 2;
	char *q = strchr(body, '?');
	if (q)
		*q++ = '\0';
	r = parse_body(u, body, errmsg, errmsg_len);
	if (r == KIOSK_OK && q)
		r = parse_options(u, q, errmsg, errmsg_len);
	if (r == KIOSK_OK)
		r = check_known_options(u, errmsg, errmsg_len);
	if (r == KIOSK_OK)
		r = build_canonical(u);
out:
	free(copy);
	if (r != KIOSK_OK) {
		kiosk_uri_free(u);
		return r;
	}
	*out = u;
	return KIOSK_OK;
}

void kiosk_uri_free(kiosk_uri *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n_options; i++) {
		free(u->keys[i]);
		free(u->values[i]);
	}
	free(u->path);
	free(u->canonical);
	free(u);
}

enum kiosk_uri_scheme kiosk_uri_get_scheme(const kiosk_uri *u)
{
	return u ? u->scheme : 0;
}

const char *kiosk_uri_get_path(const kiosk_uri *u)
{
	return u ? u->path : NULL;
}

int kiosk_uri_get_port(const kiosk_uri *u)
{
	return u && u->scheme == KIOSK_URI_TCP ? u->port : 0;
}

uint16_t kiosk_uri_get_vid(const kiosk_uri *u)
{
	return u && u->scheme == KIOSK_URI_USB ? u->vid : 0;
}

uint16_t kiosk_uri_get_pid(const kiosk_uri *u)
{
	return u && u->scheme == KIOSK_URI_USB ? u->pid : 0;
}

const char *kiosk_uri_get_option(const kiosk_uri *u, const char *key)
{
	if (!u || !key)
		return NULL;
	for (size_t i = 0; i < u->n_options; i++)
		if (!strcmp(u->keys[i], key))
			return u->values[i];
	return NULL;
}

int kiosk_uri_get_option_int(const kiosk_uri *u, const char *key, long min, long max, long def,
			     long *value)
{
	const char *s = kiosk_uri_get_option(u, key);
	if (!s) {
		if (value)
			*value = def;
		return KIOSK_OK;
	}
	char *end = NULL;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (!*s || *end || errno || v < min || v > max)
		return KIOSK_E_BAD_URI;
	if (value)
		*value = v;
	return KIOSK_OK;
}

const char *kiosk_uri_to_string(const kiosk_uri *u)
{
	return u && u->canonical ? u->canonical : "";
}
