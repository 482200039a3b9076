/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_replug.c — replugging under umockdev (run under umockdev-wrapper):
 * a serial ID-card reader behind a USB-serial adapter (ttyUSB0, a pty whose
 * other side the SAM_V emulator answers) and a USB HID keyboard-wedge
 * scanner (input/event7, key events replayed from evemu) are unplugged and
 * plugged in again; a USB printer-class port (/dev/usb/lp0) comes and goes. The hotplug watch reports each node leaving, then
 * arriving, with the URI that reopens it; the test reopens them by that
 * URI and reads a card and a scan again. The platform layer's own watch
 * (what device recovery builds on) sees the same, with ids and ID_PATH.
 */
#include <poll.h>
#include <pthread.h>
#include <unistd.h>
#include <umockdev.h>
#include "test.h"
#include "driver.h"
#include "evdev_ioctl.h"
#include "platform/platform.h"
#include "sim_idcard.h"

extern const char sim_scanner_umockdev_desc[];
int sim_scanner_write_evemu(FILE *f, const char *const *codes, int ncodes, int start_ms,
			    int key_ms, int gap_ms, int truncate_nth);

static UMockdevTestbed *tb;
static char dir[] = "/tmp/kiosk-replug-XXXXXX";

/* A CH340 USB-serial adapter in port 1-4 with its ttyUSB0. */
static const char adapter_desc[] =
	"P: /devices/pci0000:00/0000:00:14.0/usb1/1-4\n"
	"N: bus/usb/001/009\n"
	"E: DEVNAME=/dev/bus/usb/001/009\n"
	"E: DEVTYPE=usb_device\n"
	"E: SUBSYSTEM=usb\n"
	"E: ID_PATH=pci-0000:00:14.0-usb-0:4\n"
	"A: idVendor=1a86\n"
	"A: idProduct=7523\n"
	"A: busnum=1\n"
	"A: devnum=9\n"
	"\n"
	"P: /devices/pci0000:00/0000:00:14.0/usb1/1-4/1-4:1.0\n"
	"E: DEVTYPE=usb_interface\n"
	"E: SUBSYSTEM=usb\n"
	"A: bInterfaceClass=ff\n"
	"\n"
	"P: /devices/pci0000:00/0000:00:14.0/usb1/1-4/1-4:1.0/ttyUSB%d/tty/ttyUSB%d\n"
	"N: ttyUSB%d\n"
	"E: DEVNAME=/dev/ttyUSB%d\n"
	"E: SUBSYSTEM=tty\n"
	"E: ID_PATH=pci-0000:00:14.0-usb-0:4:1.0\n"
	"A: dev=188:%d\n";

#define ADAPTER "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-4"
#define SCANNER "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3"

/* ---- the platform layer's own watch (the recovery API) ---------------- */

struct node_log {
	pthread_mutex_t lock;
	char lines[32][200];
	int n;
};

static void on_node(bool arrived, const struct kioski_node *n, void *user)
{
	struct node_log *l = user;
	pthread_mutex_lock(&l->lock);
	if (l->n < 32)
		snprintf(l->lines[l->n++], sizeof l->lines[0], "%s %s %s %04x:%04x %s",
			 arrived ? "+" : "-", n->subsystem, n->devnode, n->vid, n->pid, n->id_path);
	pthread_mutex_unlock(&l->lock);
}

/* Whether the test's own watch logged `line`, waiting up to 5 s for it: that
 * watch runs on its own thread, so it may see a uevent after the context's
 * watch has already turned it into the event the test waited for. */
static bool log_has(struct node_log *l, const char *line)
{
	for (int waited = 0;; waited += 10) {
		pthread_mutex_lock(&l->lock);
		bool found = false;
		for (int i = 0; i < l->n; i++)
			found |= !strcmp(l->lines[i], line);
		pthread_mutex_unlock(&l->lock);
		if (found || waited >= 5000)
			return found;
		poll(NULL, 0, 10);
	}
}

/* ---- public hotplug events ----------------------------------------------- */

/* Waits up to ms for an event of `type` with `uri`; false on timeout.
 * Other events are dropped. */
static bool wait_event(kiosk_context *ctx, enum kiosk_event_type type, const char *uri, int ms)
{
	uint64_t end = kioski_now_ms() + (uint64_t)ms;
	while (kioski_now_ms() < end) {
		kiosk_context_wait(ctx, 50);
		kiosk_event *ev;
		bool hit = false;
		while ((ev = kiosk_context_next_event(ctx))) {
			if (kiosk_event_get_type(ev) == type && !kiosk_event_get_device(ev) &&
			    !strcmp(kiosk_event_get_uri(ev), uri))
				hit = true;
			kiosk_event_free(ev);
		}
		if (hit)
			return true;
	}
	fprintf(stderr, "no %s event for %s\n", type == KIOSK_EVENT_DEVICE_ARRIVED ? "arrived" : "left",
		uri);
	return false;
}

/* ---- the emulated serial reader --------------------------------------- */

struct reader_emu {
	int tty;       /* n of ttyUSBn */
	char tty_syspath[256];
	int fd;        /* pty master */
	struct sim_idcard *sim;
	int stop_fd[2];
	pthread_t thread;
};

static void *reader_thread(void *arg)
{
	struct reader_emu *e = arg;
	uint8_t in[512], out[8192];
	for (;;) {
		struct pollfd p[2] = {{e->fd, POLLIN, 0}, {e->stop_fd[0], POLLIN, 0}};
		if (poll(p, 2, 1000) < 0 || p[1].revents)
			break;
		if (!(p[0].revents & POLLIN)) {
			if (p[0].revents & (POLLHUP | POLLERR))
				usleep(10000); /* no slave open right now */
			continue;
		}
		ssize_t n = read(e->fd, in, sizeof in);
		if (n <= 0)
			continue;
		size_t m = sim_idcard_process(e->sim, in, (size_t)n, out, sizeof out);
		for (size_t off = 0; off < m;) {
			ssize_t w = write(e->fd, out + off, m - off);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
	}
	return NULL;
}

/* Plugs the adapter in; its port is ttyUSB<n>. (umockdev cannot give a
 * removed node name a new pty, so a replug takes the next n, as the kernel
 * does when the old node is still held open somewhere.) */
static bool plug_adapter(struct reader_emu *e, int n)
{
	GError *err = NULL;
	char desc[sizeof adapter_desc + 64], devnode[32];
	snprintf(desc, sizeof desc, adapter_desc, n, n, n, n, n);
	snprintf(devnode, sizeof devnode, "/dev/ttyUSB%d", n);
	snprintf(e->tty_syspath, sizeof e->tty_syspath, ADAPTER "/1-4:1.0/ttyUSB%d/tty/ttyUSB%d", n, n);
	e->tty = n;
	if (!umockdev_testbed_add_from_string(tb, desc, &err)) {
		fprintf(stderr, "testbed: %s\n", err->message);
		return false;
	}
	e->fd = umockdev_testbed_get_dev_fd(tb, devnode);
	if (e->fd < 0) {
		fprintf(stderr, "umockdev gave %s no pty\n", devnode);
		return false;
	}
	if (pipe(e->stop_fd) || pthread_create(&e->thread, NULL, reader_thread, e))
		return false;
	return true; /* umockdev sent the "add" uevents */
}

static void unplug_adapter(struct reader_emu *e)
{
	if (write(e->stop_fd[1], "x", 1) != 1)
		CHECK(0);
	pthread_join(e->thread, NULL);
	close(e->stop_fd[0]);
	close(e->stop_fd[1]);
	umockdev_testbed_uevent(tb, e->tty_syspath, "remove");
	umockdev_testbed_uevent(tb, ADAPTER, "remove");
	/* children first: umockdev keeps each device's bus link until it goes */
	umockdev_testbed_remove_device(tb, e->tty_syspath);
	umockdev_testbed_remove_device(tb, ADAPTER "/1-4:1.0");
	umockdev_testbed_remove_device(tb, ADAPTER);
}

static void read_card(kiosk_context *ctx, const char *uri)
{
	kiosk_idcard_reader *rdr = NULL;
	char full[256];
	snprintf(full, sizeof full, "%s?profile=serial-115200", uri);
	int r = kiosk_idcard_open(ctx, full, &rdr);
	CHECK_RC(r, KIOSK_OK);
	if (r != KIOSK_OK) {
		fprintf(stderr, "%s\n", kiosk_context_last_error(ctx));
		return;
	}
	kiosk_idcard *card = NULL;
	r = kiosk_idcard_read(rdr, 5000, 0, &card);
	CHECK_RC(r, KIOSK_OK);
	if (card) {
		CHECK_STR(kiosk_idcard_get_name(card), "韩梅梅");
		kiosk_idcard_free(card);
	}
	kiosk_idcard_close(rdr);
}

static void test_serial_reader(kiosk_context *ctx, struct node_log *log)
{
	char card[512];
	snprintf(card, sizeof card, "%s/resident.json", sim_idcard_cards_dir());
	struct sim_idcard_opts o = {.card_file = card, .sw3_cmd = -1};
	struct reader_emu e = {.sim = sim_idcard_new(&o)};
	CHECK(e.sim != NULL);
	if (!e.sim || !plug_adapter(&e, 0)) {
		CHECK(0);
		return;
	}
	CHECK(wait_event(ctx, KIOSK_EVENT_DEVICE_ARRIVED, "serial:/dev/ttyUSB0", 5000));
	read_card(ctx, "serial:/dev/ttyUSB0");

	unplug_adapter(&e);
	CHECK(wait_event(ctx, KIOSK_EVENT_DEVICE_LEFT, "serial:/dev/ttyUSB0", 5000));
	/* plugged into the same socket again */
	CHECK(plug_adapter(&e, 1));
	CHECK(wait_event(ctx, KIOSK_EVENT_DEVICE_ARRIVED, "serial:/dev/ttyUSB1", 5000));
	read_card(ctx, "serial:/dev/ttyUSB1"); /* reopened by the event's URI */
	/* found by its port as well as by its adapter's ids */
	char node[128] = "";
	struct kioski_node_match by_path = {.kinds = KIOSKI_NODE_TTY,
					    .id_path = "pci-0000:00:14.0-usb-0:4:1.0"};
	CHECK_RC(kioski_platform_find(ctx, &by_path, node, sizeof node), KIOSK_OK);
	CHECK_STR(node, "/dev/ttyUSB1");
	struct kioski_node_match by_id = {.kinds = KIOSKI_NODE_TTY, .vid = 0x1a86, .pid = 0x7523};
	CHECK_RC(kioski_platform_find(ctx, &by_id, node, sizeof node), KIOSK_OK);
	CHECK_STR(node, "/dev/ttyUSB1");
	unplug_adapter(&e);
	CHECK(wait_event(ctx, KIOSK_EVENT_DEVICE_LEFT, "serial:/dev/ttyUSB1", 5000));
	CHECK_RC(kioski_platform_find(ctx, &by_path, node, sizeof node), KIOSK_E_NOT_FOUND);
	sim_idcard_free(e.sim);

	/* the recovery API saw leave then arrive, with ids and port */
	CHECK(log_has(log, "+ tty /dev/ttyUSB0 1a86:7523 pci-0000:00:14.0-usb-0:4:1.0"));
	CHECK(log_has(log, "- tty /dev/ttyUSB0 1a86:7523 pci-0000:00:14.0-usb-0:4:1.0"));
	CHECK(log_has(log, "+ tty /dev/ttyUSB1 1a86:7523 pci-0000:00:14.0-usb-0:4:1.0"));
	CHECK(log_has(log, "- usb /dev/bus/usb/001/009 1a86:7523 pci-0000:00:14.0-usb-0:4"));
}

/* ---- the emulated HID scanner ----------------------------------------- */

/* The scanner's description with its input node numbered n (kiosk-sim's
 * says input7/event7; umockdev cannot reuse a removed node's name), parents
 * first, as the kernel adds them (umockdev sends "add" in this order). */
static char scanner_input[256], scanner_event[300], scanner_devnode[64];

static char *numbered_desc(int n)
{
	const char *src = sim_scanner_umockdev_desc;
	size_t cap = strlen(src) + 256, o = 0;
	char *out = malloc(cap);
	for (const char *p = src; *p && out;) {
		static const char *const from[] = {"input7", "event7", "13:71", "MINOR=71"};
		size_t k;
		for (k = 0; k < 4; k++)
			if (!strncmp(p, from[k], strlen(from[k])))
				break;
		if (k < 4) {
			o += (size_t)snprintf(out + o, cap - o, k == 0 ? "input%d" : k == 1 ? "event%d"
							 : k == 2 ? "13:%d" : "MINOR=%d",
					      k < 2 ? n : 64 + n);
			p += strlen(from[k]);
		} else {
			out[o++] = *p++;
		}
	}
	if (!out)
		return NULL;
	out[o] = 0;
	/* reverse the blocks (kiosk-sim lists the event node first) */
	char *rev = calloc(1, cap + 4), *blocks[8];
	int nb = 0;
	for (char *save = NULL, *b = strtok_r(out, "\n", &save); b && rev;
	     b = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(b, "P: ", 3) && nb < 8)
			blocks[nb++] = b;
		else if (nb)
			b[-1] = '\n'; /* keep the block's lines together */
	}
	for (int i = nb - 1; i >= 0 && rev; i--) {
		strcat(rev, blocks[i]);
		strcat(rev, "\n\n");
	}
	free(out);
	return rev;
}

static bool plug_scanner(int n, const char *code)
{
	GError *err = NULL;
	char *desc = numbered_desc(n);
	snprintf(scanner_input, sizeof scanner_input,
		 SCANNER "/1-3:1.0/0003:1D6B:0104.0001/input/input%d", n);
	snprintf(scanner_event, sizeof scanner_event, "%s/event%d", scanner_input, n);
	snprintf(scanner_devnode, sizeof scanner_devnode, "/dev/input/event%d", n);
	bool ok = desc && umockdev_testbed_add_from_string(tb, desc, &err);
	free(desc);
	if (!ok) {
		fprintf(stderr, "testbed: %s\n", err ? err->message : "no memory");
		return false;
	}
	char path[512];
	snprintf(path, sizeof path, "%s/event.ioctl", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	test_evdev_ioctl_script(f, scanner_devnode, &test_evdev_scanner_caps);
	fclose(f);
	ok = umockdev_testbed_load_ioctl(tb, scanner_devnode, path, &err);
	unlink(path);
	snprintf(path, sizeof path, "%s/scanner.events", dir);
	f = fopen(path, "w");
	/* the code 1.5 s after the node appears: time to reopen it */
	ok = ok && f && sim_scanner_write_evemu(f, &code, 1, 1500, 1, 1000, 0) == 0;
	if (f)
		fclose(f);
	ok = ok && umockdev_testbed_load_evemu_events(tb, scanner_devnode, path, &err);
	unlink(path);
	if (!ok) {
		fprintf(stderr, "scanner: %s\n", err ? err->message : "cannot write files");
		return false;
	}
	return true; /* umockdev sent the "add" uevents */
}

static void unplug_scanner(void)
{
	umockdev_testbed_uevent(tb, scanner_event, "remove");
	umockdev_testbed_uevent(tb, scanner_input, "remove");
	umockdev_testbed_uevent(tb, SCANNER, "remove");
	umockdev_testbed_remove_device(tb, scanner_event);
	umockdev_testbed_remove_device(tb, scanner_input);
	umockdev_testbed_remove_device(tb, SCANNER "/1-3:1.0");
	umockdev_testbed_remove_device(tb, SCANNER);
}

static void scan_once(kiosk_context *ctx, const char *want)
{
	kiosk_scanner *s = NULL;
	int r = kiosk_scanner_open(ctx, "usb:1d6b:0104?serial=SIM0001", &s);
	CHECK_RC(r, KIOSK_OK);
	if (r != KIOSK_OK) {
		fprintf(stderr, "%s\n", kiosk_context_last_error(ctx));
		return;
	}
	CHECK_STR(kiosk_device_get_driver(kiosk_scanner_device(s)), "scanner-hid");
	char *code = NULL;
	size_t len = 0;
	r = kiosk_scanner_read(s, 8000, &code, &len);
	CHECK_RC(r, KIOSK_OK);
	CHECK_STR(code ? code : "", want);
	kiosk_free(code);
	kiosk_scanner_close(s);
}

static void test_hid_scanner(kiosk_context *ctx, struct node_log *log)
{
	CHECK(plug_scanner(7, "FIRST-1"));
	CHECK(wait_event(ctx, KIOSK_EVENT_DEVICE_ARRIVED, "evdev:/dev/input/event7", 5000));
	scan_once(ctx, "FIRST-1");
	unplug_scanner();
	CHECK(wait_event(ctx, KIOSK_EVENT_DEVICE_LEFT, "evdev:/dev/input/event7", 5000));
	CHECK(plug_scanner(8, "AGAIN-2"));
	CHECK(wait_event(ctx, KIOSK_EVENT_DEVICE_ARRIVED, "evdev:/dev/input/event8", 5000));
	scan_once(ctx, "AGAIN-2"); /* reopened: the same USB id finds the new node */
	unplug_scanner();
	CHECK(wait_event(ctx, KIOSK_EVENT_DEVICE_LEFT, "evdev:/dev/input/event8", 5000));
	CHECK(log_has(log, "+ input /dev/input/event7 1d6b:0104 "));
	CHECK(log_has(log, "- input /dev/input/event7 1d6b:0104 "));
	CHECK(log_has(log, "+ input /dev/input/event8 1d6b:0104 "));
	CHECK(log_has(log, "- usb  1d6b:0104 "));
}

/* ---- a USB printer-class port (usblp) ------------------------------------ */

static const char lp_desc[] =
	"P: /devices/pci0000:00/0000:00:14.0/usb1/1-5\n"
	"N: bus/usb/001/011\n"
	"E: DEVNAME=/dev/bus/usb/001/011\n"
	"E: DEVTYPE=usb_device\n"
	"E: SUBSYSTEM=usb\n"
	"A: idVendor=0416\n"
	"A: idProduct=5011\n"
	"A: serial=LP-1\n"
	"\n"
	"P: /devices/pci0000:00/0000:00:14.0/usb1/1-5/1-5:1.0\n"
	"E: DEVTYPE=usb_interface\n"
	"E: SUBSYSTEM=usb\n"
	"A: bInterfaceClass=07\n"
	"\n"
	"P: /devices/pci0000:00/0000:00:14.0/usb1/1-5/1-5:1.0/usbmisc/lp0\n"
	"N: usb/lp0\n"
	"E: DEVNAME=/dev/usb/lp0\n"
	"E: SUBSYSTEM=usbmisc\n"
	"A: dev=180:0\n";

#define LP_USB "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-5"

static void test_usblp(kiosk_context *ctx, struct node_log *log)
{
	GError *err = NULL;
	CHECK(umockdev_testbed_add_from_string(tb, lp_desc, &err));
	CHECK(wait_event(ctx, KIOSK_EVENT_DEVICE_ARRIVED, "file:/dev/usb/lp0", 5000));
	char node[64] = "";
	struct kioski_node_match m = {.kinds = KIOSKI_NODE_LP, .vid = 0x0416, .pid = 0x5011,
				      .serial = "LP-1"};
	CHECK_RC(kioski_platform_find(ctx, &m, node, sizeof node), KIOSK_OK);
	CHECK_STR(node, "/dev/usb/lp0");
	umockdev_testbed_uevent(tb, LP_USB "/1-5:1.0/usbmisc/lp0", "remove");
	umockdev_testbed_uevent(tb, LP_USB, "remove");
	CHECK(wait_event(ctx, KIOSK_EVENT_DEVICE_LEFT, "file:/dev/usb/lp0", 5000));
	CHECK(log_has(log, "- usbmisc /dev/usb/lp0 0416:5011 "));
	umockdev_testbed_remove_device(tb, LP_USB "/1-5:1.0/usbmisc/lp0");
	umockdev_testbed_remove_device(tb, LP_USB "/1-5:1.0");
	umockdev_testbed_remove_device(tb, LP_USB);
}

int main(void)
{
	const char *preload = getenv("LD_PRELOAD");
	if (getenv("KIOSK_TEST_NO_UMOCKDEV") || !preload || !strstr(preload, "umockdev-preload"))
		test_skip("not running under umockdev-wrapper");
	if (!mkdtemp(dir))
		test_skip("no temporary directory");
	tb = umockdev_testbed_new();
	kiosk_context *ctx = test_context();
	CHECK_RC(kiosk_context_watch_hotplug(ctx, true), KIOSK_OK);
	static struct node_log log = {.lock = PTHREAD_MUTEX_INITIALIZER};
	struct kioski_platform_watch *w = NULL;
	CHECK_RC(kioski_platform_watch_start(ctx, KIOSKI_NODE_ALL, on_node, &log, &w), KIOSK_OK);

	test_serial_reader(ctx, &log);
	test_hid_scanner(ctx, &log);
	test_usblp(ctx, &log);

	kioski_platform_watch_stop(w);
	kiosk_context_free(ctx);
	g_object_unref(tb);
	rmdir(dir);
	return test_done("test_replug");
}
