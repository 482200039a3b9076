/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_usb.c — the usb transport, discovery and hotplug with the real libusb
 * under umockdev: devices emulated in-process by usbsim (custom ioctl
 * handler) and by ioctl scripts written with sim_usb (hw/sim).
 */
#include <errno.h>
#include <stdatomic.h>
#include <unistd.h>
#include "transport/usb.h"
#include "platform/platform.h"
#include "usbsim.h"
#include "tt.h"

static const struct kioski_transport_ops *const tt_usb_backend __attribute__((used)) =
	&kioski_transport_usb;

/* ---- device side ---------------------------------------------------------- */

/* Printer-like: answers each OUT with the bytes reversed on 0x81, and counts. */
struct printer_side {
	atomic_size_t received;
	atomic_int quiet; /* when set, no replies */
	uint8_t last[64];
	size_t last_len;
};

static void printer_out(usbsim *sim, uint8_t ep, const uint8_t *d, size_t n, void *user)
{
	struct printer_side *p = user;
	p->received += n;
	if (n <= sizeof p->last) {
		memcpy(p->last, d, n);
		p->last_len = n;
	}
	if (p->quiet || n > 64)
		return;
	uint8_t r[64];
	for (size_t i = 0; i < n; i++)
		r[i] = d[n - 1 - i];
	usbsim_queue_in(sim, 0x81, r, n);
}

/* ID-card-reader-like with split pipes: the frame head arrives on 0x02, its
 * rest on 0x06; the reply head goes out on 0x81 and the rest on 0x85. */
struct reader_side {
	uint8_t head[16];
	size_t head_len;
	atomic_int frames;
};

static void reader_out(usbsim *sim, uint8_t ep, const uint8_t *d, size_t n, void *user)
{
	struct reader_side *r = user;
	if (ep == 0x02) {
		r->head_len = n < sizeof r->head ? n : sizeof r->head;
		memcpy(r->head, d, r->head_len);
		return;
	}
	if (ep == 0x06) {
		static const uint8_t reply_head[7] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x08};
		static const uint8_t reply_rest[8] = {0x00, 0x00, 0x9F, 0x00, 0x00, 0x00, 0x00, 0x97};
		r->frames++;
		usbsim_queue_in(sim, 0x81, reply_head, sizeof reply_head);
		usbsim_queue_in(sim, 0x85, reply_rest, sizeof reply_rest);
	}
}

/* Echo on interrupt endpoints. */
static void hid_out(usbsim *sim, uint8_t ep, const uint8_t *d, size_t n, void *user)
{
	usbsim_queue_in(sim, 0x82, d, n);
}

/* Records which twin got data. */
static void twin_out(usbsim *sim, uint8_t ep, const uint8_t *d, size_t n, void *user)
{
	atomic_int *hits = user;
	(*hits)++;
}

/* ---- devices (added before the first libusb use) --------------------------- */

static const struct sim_usb_ep printer_eps[] = {{0x81, SIM_USB_BULK, 64}, {0x01, SIM_USB_BULK, 64}};
static const struct sim_usb_ep reader_eps[] = {{0x81, SIM_USB_BULK, 64}, {0x02, SIM_USB_BULK, 64},
					       {0x85, SIM_USB_BULK, 64}, {0x06, SIM_USB_BULK, 64}};
static const struct sim_usb_ep hid_eps[] = {{0x82, SIM_USB_INTERRUPT, 8}, {0x03, SIM_USB_INTERRUPT, 8}};

static usbsim *printer, *reader, *hid, *twin_a, *twin_b, *doomed, *mute;
static struct printer_side pside;
static struct reader_side rside;
static atomic_int hits_a, hits_b;

static void add_devices(void)
{
	struct sim_usb_device d = {.vid = 0x0416, .pid = 0x5011, .iface_class = 7,
				   .manufacturer = "Kiosk Test", .product = "Receipt 80",
				   .serial = "PRN-0001", .eps = printer_eps, .n_eps = 2,
				   .driver = "usblp"};
	printer = usbsim_new(&d);
	usbsim_set_handler(printer, printer_out, &pside);

	d = (struct sim_usb_device){.vid = 0x0400, .pid = 0xc35a, .serial = "IDR-77",
				    .eps = reader_eps, .n_eps = 4};
	reader = usbsim_new(&d);
	usbsim_set_handler(reader, reader_out, &rside);

	d = (struct sim_usb_device){.vid = 0x0483, .pid = 0x5750, .iface_class = 3,
				    .eps = hid_eps, .n_eps = 2};
	hid = usbsim_new(&d);
	usbsim_set_handler(hid, hid_out, NULL);

	d = (struct sim_usb_device){.vid = 0x1234, .pid = 0x0001, .serial = "TWIN-A",
				    .eps = printer_eps, .n_eps = 2};
	twin_a = usbsim_new(&d);
	usbsim_set_handler(twin_a, twin_out, &hits_a);
	d.serial = "TWIN-B";
	twin_b = usbsim_new(&d);
	usbsim_set_handler(twin_b, twin_out, &hits_b);

	d = (struct sim_usb_device){.vid = 0x0416, .pid = 0x7777, .serial = "GONE",
				    .eps = printer_eps, .n_eps = 2};
	doomed = usbsim_new(&d);

	/* No ioctl answers at all: opens, but every transfer fails. */
	d = (struct sim_usb_device){.vid = 0x0416, .pid = 0x0bad, .eps = printer_eps, .n_eps = 2};
	mute = usbsim_new_scripted(&d, NULL);

	if (!printer || !reader || !hid || !twin_a || !twin_b || !doomed || !mute) {
		fprintf(stderr, "cannot create the emulated devices\n");
		exit(1);
	}
}

/* ---- tests ------------------------------------------------------------------- */

struct seen {
	int n;
	struct {
		uint16_t vid, pid;
		char serial[64];
	} d[32];
};

static void on_device(const struct kioski_node *node, void *user)
{
	uint16_t vid = node->vid, pid = node->pid;
	const char *serial = node->serial;
	struct seen *s = user;
	if (s->n < 32) {
		s->d[s->n].vid = vid;
		s->d[s->n].pid = pid;
		snprintf(s->d[s->n].serial, sizeof s->d[s->n].serial, "%s", serial);
		s->n++;
	}
}

static bool seen_has(struct seen *s, uint16_t vid, uint16_t pid, const char *serial)
{
	for (int i = 0; i < s->n; i++)
		if (s->d[i].vid == vid && s->d[i].pid == pid && !strcmp(s->d[i].serial, serial))
			return true;
	return false;
}

static void test_enumerate(kiosk_context *ctx)
{
	struct seen s = {0};
	int n = kioski_platform_enumerate(ctx, KIOSKI_NODE_USB, on_device, &s);
	CHECK_EQ_INT(n, 7);
	CHECK(seen_has(&s, 0x0416, 0x5011, "PRN-0001"));
	CHECK(seen_has(&s, 0x0400, 0xc35a, "IDR-77"));
	CHECK(seen_has(&s, 0x0483, 0x5750, ""));
	CHECK(seen_has(&s, 0x1234, 0x0001, "TWIN-A"));
	CHECK(seen_has(&s, 0x1234, 0x0001, "TWIN-B"));
}

static void test_printer(kiosk_context *ctx)
{
	struct usbsim_stats st;
	kioski_transport *t = NULL;
	CHECK_RC(tt_open(ctx, "usb:0416:5011", &t), KIOSK_OK);
	if (!t)
		return;
	/* usblp was detached for us. */
	usbsim_get_stats(printer, &st);
	CHECK_EQ_INT(st.detaches, 1);
	CHECK(!st.driver_bound);
	CHECK(st.claims >= 1);

	uint8_t buf[64];
	size_t n = 0;
	CHECK_RC(kioski_transport_write(t, "hello", 5, 2000), KIOSK_OK);
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 2000), KIOSK_OK);
	CHECK_EQ_INT(n, 5);
	CHECK(!memcmp(buf, "olleh", 5));

	/* A short caller buffer: the rest of the packet is kept, not lost. */
	CHECK_RC(kioski_transport_write(t, "abcdef", 6, 2000), KIOSK_OK);
	CHECK_RC(kioski_transport_read(t, buf, 2, &n, 2000), KIOSK_OK);
	CHECK_EQ_INT(n, 2);
	CHECK(!memcmp(buf, "fe", 2));
	CHECK_RC(kioski_transport_read_exact(t, buf, 4, 2000), KIOSK_OK);
	CHECK(!memcmp(buf, "dcba", 4));

	/* Large writes arrive whole (in 4 KiB transfers). */
	pside.quiet = 1;
	size_t before = pside.received;
	static uint8_t big[10000];
	memset(big, 0x55, sizeof big);
	CHECK_RC(kioski_transport_write(t, big, sizeof big, 5000), KIOSK_OK);
	CHECK_EQ_INT(pside.received - before, sizeof big);

	/* Timeout: nothing queued. */
	uint64_t t0 = kioski_now_ms();
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 300), KIOSK_E_TIMEOUT);
	uint64_t dt = kioski_now_ms() - t0;
	CHECK(dt >= 290 && dt < 300 + TT_SLACK_MS);

	/* Cancel from another thread stops a blocked transfer promptly. */
	struct tt_canceller c;
	tt_cancel_later(&c, t, 200);
	t0 = kioski_now_ms();
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 30000), KIOSK_E_CANCELLED);
	pthread_join(c.th, NULL);
	CHECK(kioski_now_ms() - t0 < 200 + TT_SLACK_MS);
	kioski_transport_clear_cancel(t);

	/* Zero-length packets are skipped; the data after them is returned. */
	usbsim_queue_in(printer, 0x81, NULL, 0);
	usbsim_queue_in(printer, 0x81, "Z", 1);
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 2000), KIOSK_OK);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(buf[0], 'Z');

	/* A stall is an I/O error (the halt is cleared); the pipe works after. */
	usbsim_stall(printer, 0x81);
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 2000), KIOSK_E_IO);
	usbsim_queue_in(printer, 0x81, "ok", 2);
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 2000), KIOSK_OK);
	CHECK_EQ_INT(n, 2);

	/* Bulk endpoints were used as bulk. */
	usbsim_get_stats(printer, &st);
	CHECK_EQ_INT(st.interrupt_urbs, 0);

	/* Only one claim at a time (our own second open is refused as busy?
	 * usbfs allows the same process to claim twice through two handles,
	 * so this is not checked here). */
	kioski_transport_close(t);
	usbsim_get_stats(printer, &st);
	CHECK(st.releases >= 1);
	CHECK_EQ_INT(st.attaches, 1); /* usblp re-attached on close */
	CHECK(st.driver_bound);
	pside.quiet = 0;
}

static void test_split_pipes(kiosk_context *ctx)
{
	kioski_transport *t = NULL;
	CHECK_RC(tt_open(ctx, "usb:0400:c35a?serial=IDR-77", &t), KIOSK_OK);
	if (!t)
		return;
	static const uint8_t find[10] = {0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22};
	CHECK_RC(kioski_transport_write_ep(t, 0x02, find, 7, 2000), KIOSK_OK);
	CHECK_RC(kioski_transport_write_ep(t, 0x06, find + 7, 3, 2000), KIOSK_OK);
	uint8_t head[7], rest[8];
	size_t n = 0;
	CHECK_RC(kioski_transport_read_ep(t, 0x81, head, sizeof head, &n, 2000), KIOSK_OK);
	CHECK_EQ_INT(n, 7);
	CHECK_RC(kioski_transport_read_ep(t, 0x85, rest, sizeof rest, &n, 2000), KIOSK_OK);
	CHECK_EQ_INT(n, 8);
	CHECK_EQ_INT(rest[2], 0x9F);
	CHECK_EQ_INT(rest[7], 0x97);
	CHECK_EQ_INT(rside.frames, 1);
	CHECK_EQ_INT(rside.head_len, 7);
	CHECK(!memcmp(rside.head, find, 7));
	/* Wrong direction or a pipe the interface lacks. */
	CHECK_RC(kioski_transport_read_ep(t, 0x02, head, sizeof head, &n, 100), KIOSK_E_INVALID_ARG);
	CHECK_RC(kioski_transport_write_ep(t, 0x85, find, 1, 100), KIOSK_E_INVALID_ARG);
	CHECK_RC(kioski_transport_write_ep(t, 0x07, find, 1, 100), KIOSK_E_INVALID_ARG);
	kioski_transport_close(t);

	/* Defaults chosen by option. */
	CHECK_RC(tt_open(ctx, "usb:0400:c35a?ep_in=0x85&ep_out=0x06", &t), KIOSK_OK);
	if (t) {
		CHECK_RC(kioski_transport_write_ep(t, 0x02, find, 7, 2000), KIOSK_OK);
		CHECK_RC(kioski_transport_write(t, find + 7, 3, 2000), KIOSK_OK); /* → 0x06 */
		CHECK_RC(kioski_transport_read(t, rest, sizeof rest, &n, 2000), KIOSK_OK); /* ← 0x85 */
		CHECK_EQ_INT(n, 8);
		CHECK_RC(kioski_transport_read_ep(t, 0x81, head, sizeof head, &n, 2000), KIOSK_OK);
		CHECK_EQ_INT(n, 7);
		kioski_transport_close(t);
	}
	CHECK_EQ_INT(rside.frames, 2);
	CHECK_RC(tt_open(ctx, "usb:0400:c35a?ep_in=0x02", &t), KIOSK_E_BAD_URI);
	CHECK_RC(tt_open(ctx, "usb:0400:c35a?ep_out=0x99", &t), KIOSK_E_BAD_URI);
	CHECK_RC(tt_open(ctx, "usb:0400:c35a?interface=3", &t), KIOSK_E_BAD_URI);
}

static void test_interrupt(kiosk_context *ctx)
{
	kioski_transport *t = NULL;
	CHECK_RC(tt_open(ctx, "usb:0483:5750", &t), KIOSK_OK);
	if (!t)
		return;
	uint8_t buf[8];
	size_t n = 0;
	CHECK_RC(kioski_transport_write(t, "\x01\x02\x03", 3, 2000), KIOSK_OK);
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 2000), KIOSK_OK);
	CHECK_EQ_INT(n, 3);
	CHECK_EQ_INT(buf[2], 3);
	struct usbsim_stats st;
	usbsim_get_stats(hid, &st);
	CHECK_EQ_INT(st.interrupt_urbs, 2);
	kioski_transport_close(t);
}

static void test_serial_select(kiosk_context *ctx)
{
	kioski_transport *t = NULL;
	CHECK_RC(tt_open(ctx, "usb:1234:0001?serial=TWIN-B", &t), KIOSK_OK);
	if (t) {
		CHECK_RC(kioski_transport_write(t, "x", 1, 2000), KIOSK_OK);
		kioski_transport_close(t);
	}
	CHECK_RC(tt_open(ctx, "usb:1234:0001?serial=TWIN-A", &t), KIOSK_OK);
	if (t) {
		CHECK_RC(kioski_transport_write(t, "xy", 2, 2000), KIOSK_OK);
		kioski_transport_close(t);
	}
	CHECK_EQ_INT(hits_a, 1);
	CHECK_EQ_INT(hits_b, 1);

	/* Another program holds the interface. */
	usbsim_fail_claim(twin_a, EBUSY);
	CHECK_RC(tt_open(ctx, "usb:1234:0001?serial=TWIN-A", &t), KIOSK_E_BUSY);
	CHECK(strstr(kiosk_context_last_error(ctx), "another program") != NULL);
	CHECK(t == NULL);
	usbsim_fail_claim(twin_a, 0);
	CHECK_RC(tt_open(ctx, "usb:1234:0001?serial=TWIN-A", &t), KIOSK_OK);
	kioski_transport_close(t);
	CHECK_RC(tt_open(ctx, "usb:1234:0001?serial=TWIN-C", &t), KIOSK_E_NO_DEVICE);
	CHECK(strstr(kiosk_context_last_error(ctx), "TWIN-C") != NULL);
	CHECK_RC(tt_open(ctx, "usb:dead:beef", &t), KIOSK_E_NO_DEVICE);
	CHECK(strstr(kiosk_context_last_error(ctx), "dead:beef") != NULL);
	CHECK(t == NULL);
}

static void test_no_answers(kiosk_context *ctx)
{
	kioski_transport *t = NULL;
	CHECK_RC(tt_open(ctx, "usb:0416:0bad", &t), KIOSK_OK);
	if (!t)
		return;
	uint8_t buf[8];
	size_t n;
	CHECK_RC(kioski_transport_write(t, "x", 1, 1000), KIOSK_E_IO);
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 1000), KIOSK_E_IO);
	kioski_transport_close(t);
}

struct unplugger {
	pthread_t th;
	int delay_ms;
};

static void *unplug_main(void *arg)
{
	struct unplugger *u = arg;
	kioski_sleep_ms(u->delay_ms);
	usbsim_unplug(doomed);
	return NULL;
}

static void test_unplug(kiosk_context *ctx)
{
	kioski_transport *t = NULL;
	CHECK_RC(tt_open(ctx, "usb:0416:7777", &t), KIOSK_OK);
	if (!t)
		return;
	struct unplugger u = {.delay_ms = 200};
	pthread_create(&u.th, NULL, unplug_main, &u);
	uint8_t buf[8];
	size_t n;
	uint64_t t0 = kioski_now_ms();
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 20000), KIOSK_E_NO_DEVICE);
	CHECK(kioski_now_ms() - t0 < 200 + TT_SLACK_MS);
	pthread_join(u.th, NULL);
	CHECK_RC(kioski_transport_write(t, "x", 1, 1000), KIOSK_E_NO_DEVICE);
	CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 1000), KIOSK_E_NO_DEVICE);
	kioski_transport_close(t);
	CHECK_RC(tt_open(ctx, "usb:0416:7777", &t), KIOSK_E_NO_DEVICE);
}

/* A device written by sim_usb (kiosk-sim --usb) and answered by umockdev's
 * script player: the files a person would use with umockdev-run. */
static void test_sim_usb_script(kiosk_context *ctx)
{
	char dir[] = "/tmp/kiosk-test-usb-XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	static const struct sim_usb_ep eps[] = {{0x81, SIM_USB_BULK, 64}, {0x02, SIM_USB_BULK, 64}};
	struct sim_usb_device d = {.vid = 0x0416, .pid = 0x5aa5, .serial = "SCRIPT-1",
				   .eps = eps, .n_eps = 2, .devnum = 40};
	uint8_t status[1] = {0x12}, ask[3] = {0x10, 0x04, 0x01};
	uint8_t big_reply[100];
	for (int i = 0; i < 100; i++)
		big_reply[i] = (uint8_t)i;
	const struct sim_usb_exchange x[] = {
		{.out_ep = 0x02, .out = ask, .out_len = 3, .in_ep = 0x81, .in = status, .in_len = 1},
		{.out_ep = 0x02, .out = (const uint8_t *)"\x1b@", .out_len = 2},
		{.out_ep = 0x02, .out = ask, .out_len = 3, .in_ep = 0x81, .in = big_reply,
		 .in_len = sizeof big_reply},
	};
	CHECK_EQ_INT(sim_usb_write_dir(dir, &d, x, 3), 0);
	char path[300];
	snprintf(path, sizeof path, "%s/device.ioctl", dir);
	usbsim *s = usbsim_new_scripted(&d, path);
	CHECK(s != NULL);
	kioski_transport *t = NULL;
	if (s)
		CHECK_RC(tt_open(ctx, "usb:0416:5aa5", &t), KIOSK_OK);
	if (t) {
		uint8_t buf[128];
		size_t n = 0;
		CHECK_RC(kioski_transport_write(t, ask, 3, 2000), KIOSK_OK);
		CHECK_RC(kioski_transport_read(t, buf, sizeof buf, &n, 2000), KIOSK_OK);
		CHECK_EQ_INT(n, 1);
		CHECK_EQ_INT(buf[0], 0x12);
		CHECK_RC(kioski_transport_write(t, "\x1b@", 2, 2000), KIOSK_OK);
		CHECK_RC(kioski_transport_write(t, ask, 3, 2000), KIOSK_OK);
		CHECK_RC(kioski_transport_read_exact(t, buf, 100, 2000), KIOSK_OK);
		CHECK(!memcmp(buf, big_reply, 100));
		kioski_transport_close(t);
	}
	usbsim_free(s);
	static const char *files[] = {"device.umockdev", "device.ioctl", "README"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		CHECK(access(path, R_OK) == 0);
		unlink(path);
	}
	rmdir(dir);
}

/* ---- hotplug --------------------------------------------------------------- */

struct hp_log {
	pthread_mutex_t lock;
	int arrived, left;
	char serial_arrived[64], serial_left[64];
};

static void on_hotplug(bool arrived, const struct kioski_node *node, void *user)
{
	struct hp_log *l = user;
	const char *serial = node->serial;
	if (node->kind != KIOSKI_NODE_USB || node->vid != 0x0416 || node->pid != 0x4242)
		return;
	pthread_mutex_lock(&l->lock);
	if (arrived) {
		l->arrived++;
		snprintf(l->serial_arrived, sizeof l->serial_arrived, "%s", serial);
	} else {
		l->left++;
		snprintf(l->serial_left, sizeof l->serial_left, "%s", serial);
	}
	pthread_mutex_unlock(&l->lock);
}

static bool wait_count(struct hp_log *l, int *field, int want, int ms)
{
	uint64_t until = kioski_now_ms() + (uint64_t)ms;
	for (;;) {
		pthread_mutex_lock(&l->lock);
		int v = *field;
		pthread_mutex_unlock(&l->lock);
		if (v >= want)
			return true;
		if (kioski_now_ms() > until)
			return false;
		kioski_sleep_ms(20);
	}
}

static void test_hotplug(kiosk_context *ctx)
{
	static struct hp_log l = {.lock = PTHREAD_MUTEX_INITIALIZER};
	struct kioski_platform_watch *w = NULL;
	int r = kioski_platform_watch_start(ctx, KIOSKI_NODE_USB, on_hotplug, &l, &w);
	CHECK_RC(r, KIOSK_OK); /* umockdev emulates the udev monitor */
	if (r != KIOSK_OK)
		return;
	struct sim_usb_device d = {.vid = 0x0416, .pid = 0x4242, .serial = "HOT-1",
				   .eps = printer_eps, .n_eps = 2};
	usbsim *s = usbsim_new(&d);
	CHECK(s != NULL);
	CHECK(wait_count(&l, &l.arrived, 1, 10000));
	/* The new device can be opened and used. */
	kioski_transport *t = NULL;
	CHECK_RC(tt_open(ctx, "usb:0416:4242?serial=HOT-1", &t), KIOSK_OK);
	if (t) {
		CHECK_RC(kioski_transport_write(t, "x", 1, 2000), KIOSK_OK);
		kioski_transport_close(t);
	}
	usbsim_unplug(s);
	CHECK(wait_count(&l, &l.left, 1, 10000));
	kioski_platform_watch_stop(w);
	kioski_platform_watch_stop(NULL); /* a no-op */
	CHECK_EQ_INT(l.arrived, 1);
	CHECK_EQ_INT(l.left, 1);
	CHECK_STR(l.serial_arrived, "HOT-1");
	CHECK_STR(l.serial_left, "HOT-1");
	usbsim_free(s);
}

int main(void)
{
	if (!usbsim_available())
		test_skip("needs umockdev (run under umockdev-wrapper)");
	add_devices();
	kiosk_context *ctx = test_context();
	test_enumerate(ctx);
	test_printer(ctx);
	test_split_pipes(ctx);
	test_interrupt(ctx);
	test_serial_select(ctx);
	test_no_answers(ctx);
	test_unplug(ctx);
	test_sim_usb_script(ctx);
	test_hotplug(ctx);
	kiosk_context_free(ctx);
	usbsim_free(printer);
	usbsim_free(reader);
	usbsim_free(hid);
	usbsim_free(twin_a);
	usbsim_free(twin_b);
	usbsim_free(doomed);
	usbsim_free(mute);
	return test_done("test_transport_usb");
}
