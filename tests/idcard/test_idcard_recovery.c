/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An ID-card reader that goes away and comes back (its SAM_V emulator on a
 * pty is stopped, then started on a new pty behind the same stable name, as
 * udev's /dev/serial/by-id links are): the reader goes OFFLINE with one
 * DEVICE_LEFT, comes back ONLINE by itself, and the watch and the next read
 * work without the application reopening anything.
 */
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include "sim_idcard.h"
#include "test.h"

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct seen {
	int left, inserted;
	enum kiosk_device_state last;
};

/* Dispatches until the device is in `want` (per its events) or `ms` pass. */
static bool wait_state(kiosk_context *ctx, struct seen *seen, enum kiosk_device_state want,
		       int ms)
{
	uint64_t until = now_ms() + (uint64_t)ms;
	for (;;) {
		kiosk_context_dispatch(ctx);
		for (kiosk_event *ev; (ev = kiosk_context_next_event(ctx)); kiosk_event_free(ev)) {
			switch (kiosk_event_get_type(ev)) {
			case KIOSK_EVENT_DEVICE_LEFT: seen->left++; break;
			case KIOSK_EVENT_CARD_INSERTED: seen->inserted++; break;
			case KIOSK_EVENT_DEVICE_STATE: {
				enum kiosk_device_state prev;
				seen->last = kiosk_event_get_device_state(ev, &prev);
				fprintf(stderr, "  state: %s -> %s (%s)\n", kiosk_device_state_name(prev),
					kiosk_device_state_name(seen->last),
					kiosk_error_name(kiosk_event_get_error(ev)));
				break;
			}
			default: break;
			}
		}
		if (seen->last == want)
			return true;
		if (now_ms() >= until)
			return false;
		kiosk_context_wait(ctx, 50);
	}
}

int main(void)
{
	char dir[] = "/tmp/kiosk-idcard-recovery-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char link[300], uri[300], open_uri[400];
	snprintf(link, sizeof link, "%s/reader", dir);
	struct sim_idcard_opts o = {.card_file = test_source_path("hw/sim/cards/resident.json"),
				    .sw3_cmd = -1};
	struct sim_idcard *si = sim_idcard_start(&o, uri, sizeof uri);
	if (!si)
		return 1;
	CHECK(symlink(uri + strlen("serial:"), link) == 0);
	snprintf(open_uri, sizeof open_uri, "serial:%s", link);

	kiosk_context *ctx = test_context();
	kiosk_idcard_reader *rdr = NULL;
	CHECK_RC(kiosk_idcard_open(ctx, open_uri, &rdr), KIOSK_OK);
	if (!rdr)
		return test_done("test_idcard_recovery");
	kiosk_device *dev = kiosk_idcard_device(rdr);
	/* a serial port says nothing until the reader answers */
	CHECK_EQ_INT(kiosk_device_get_state(dev), KIOSK_DEVICE_UNKNOWN);
	CHECK_RC(kiosk_idcard_watch(rdr, 100, true), KIOSK_OK);
	struct seen seen = {0};
	CHECK(wait_state(ctx, &seen, KIOSK_DEVICE_ONLINE, 5000));
	for (int i = 0; i < 40 && !seen.inserted; i++)
		wait_state(ctx, &seen, KIOSK_DEVICE_OFFLINE, 100);
	CHECK_EQ_INT(seen.inserted, 1);

	/* the reader goes away */
	sim_idcard_stop(si);
	unlink(link);
	CHECK(wait_state(ctx, &seen, KIOSK_DEVICE_OFFLINE, 5000));
	CHECK_EQ_INT(seen.left, 1);
	usleep(1000 * 1000);
	CHECK_EQ_INT(kiosk_device_get_state(dev), KIOSK_DEVICE_OFFLINE);
	kiosk_idcard *card = NULL;
	int r = kiosk_idcard_read(rdr, 500, 0, &card);
	CHECK(r != KIOSK_OK && !card); /* fails cleanly while it is away */

	/* and comes back on another pty behind the same name */
	si = sim_idcard_start(&o, uri, sizeof uri);
	CHECK(si != NULL);
	CHECK(symlink(uri + strlen("serial:"), link) == 0);
	uint64_t t0 = now_ms();
	CHECK(wait_state(ctx, &seen, KIOSK_DEVICE_ONLINE, 8000));
	fprintf(stderr, "  online again after %llu ms\n", (unsigned long long)(now_ms() - t0));
	CHECK_EQ_INT(seen.left, 1);
	/* the watch announces the card again, and a read works */
	for (int i = 0; i < 40 && seen.inserted < 2; i++)
		wait_state(ctx, &seen, KIOSK_DEVICE_OFFLINE, 100);
	CHECK_EQ_INT(seen.inserted, 2);
	CHECK_RC(kiosk_idcard_watch(rdr, 100, false), KIOSK_OK);
	CHECK_RC(kiosk_idcard_read(rdr, 5000, 0, &card), KIOSK_OK);
	if (card)
		CHECK_STR(kiosk_idcard_get_id_number(card), "100101199003070028");
	kiosk_idcard_free(card);

	kiosk_idcard_close(rdr);
	kiosk_context_free(ctx);
	sim_idcard_stop(si);
	unlink(link);
	rmdir(dir);
	return test_done("test_idcard_recovery");
}
