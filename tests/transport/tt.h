/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* tt.h — small helpers shared by the transport tests. */
#ifndef KIOSK_TT_H
#define KIOSK_TT_H

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "driver.h"
#include "test.h"

/* transport.c refers to the backends weakly, and weak references do not pull
 * members out of the static library the tests link: refer to them here. */
static const struct kioski_transport_ops *const tt_backends[] __attribute__((used)) = {
	&kioski_transport_serial, &kioski_transport_tcp, &kioski_transport_file,
};

/* Parses `text` and opens it; returns the open result (the URI is freed). */
static inline int tt_open(kiosk_context *ctx, const char *text, kioski_transport **t)
{
	kiosk_uri *uri = NULL;
	char err[200];
	*t = NULL;
	int r = kiosk_uri_parse(text, &uri, err, sizeof err);
	if (r != KIOSK_OK) {
		fprintf(stderr, "tt_open: cannot parse %s: %s\n", text, err);
		return r;
	}
	r = kioski_transport_open(ctx, uri, t);
	kiosk_uri_free(uri);
	return r;
}

/* A thread that sleeps `delay_ms` then cancels a transport. */
struct tt_canceller {
	pthread_t th;
	kioski_transport *t;
	int delay_ms;
};

static inline void *tt_cancel_main(void *arg)
{
	struct tt_canceller *c = arg;
	kioski_sleep_ms(c->delay_ms);
	kioski_transport_cancel(c->t);
	return NULL;
}

static inline void tt_cancel_later(struct tt_canceller *c, kioski_transport *t, int delay_ms)
{
	c->t = t;
	c->delay_ms = delay_ms;
	pthread_create(&c->th, NULL, tt_cancel_main, c);
}

/* Elapsed-time bounds: lower bounds are exact (timeouts may not fire early),
 * upper bounds are generous (a loaded 2-core CI machine). */
#define TT_SLACK_MS 4000

#endif
