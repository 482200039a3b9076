/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The printer over USB (printer class, bulk OUT 0x01 / IN 0x82) under
 * umockdev: the real libusb transport, the emulator computing replies. */
#include <unistd.h>
#include "printer_test_util.h"
#include "sim_printer.h"
#include "usbsim.h"

static struct sim_printer *sp;
static long unplug_after = -1; /* unplug once this many more bytes came */

static void on_out(usbsim *sim, uint8_t ep, const uint8_t *data, size_t len, void *user)
{
	(void)ep;
	(void)user;
	if (unplug_after >= 0) {
		unplug_after -= (long)len;
		if (unplug_after < 0) {
			usbsim_unplug(sim); /* the cable is pulled mid-job */
			return;
		}
	}
	uint8_t reply[256];
	size_t n = sim_printer_feed(sp, data, len, reply, sizeof reply);
	if (n)
		usbsim_queue_in(sim, 0x82, reply, n);
}

int main(void)
{
	if (!usbsim_available())
		test_skip("needs umockdev");
	static const struct sim_usb_ep eps[] = {{0x82, SIM_USB_BULK, 64}, {0x01, SIM_USB_BULK, 64}};
	/* 0416:5011 is listed by the generic-80mm profile */
	struct sim_usb_device d = {.vid = 0x0416, .pid = 0x5011, .iface_class = 7,
				   .manufacturer = "kiosk-sim", .product = "ESC/POS printer",
				   .serial = "PRN0001", .eps = eps, .n_eps = 2};
	char outdir[256];
	snprintf(outdir, sizeof outdir, "%s/printer-usb-XXXXXX", KIOSK_BINARY_DIR);
	if (!mkdtemp(outdir))
		return 1;
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.out_dir = outdir;
	cfg.paper_out_after = 900;
	cfg.recover_after_ms = 1000;
	CHECK_EQ_INT(sim_printer_new(&cfg, &sp), 0);
	usbsim *sim = usbsim_new(&d);
	CHECK(sim != NULL);
	if (!sim)
		return test_done("test_printer_usb");
	usbsim_set_handler(sim, on_out, NULL);

	kiosk_context *ctx = test_context();
	kiosk_printer *prn = NULL;
	CHECK_RC(kiosk_printer_open(ctx, usbsim_uri(sim), NULL, &prn), KIOSK_OK);
	if (prn) {
		kiosk_printer_set_status_poll(prn, 0);
		CHECK_STR(kiosk_printer_get_profile_name(prn), "generic-80mm"); /* by USB id */
		struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
		CHECK_RC(kiosk_printer_get_status(prn, 3000, &st), KIOSK_OK);
		CHECK_EQ_INT(st.paper, KIOSK_PAPER_OK);

		/* paper runs out half-way and comes back: one whole copy */
		kiosk_receipt *rc = ptu_receipt(60);
		int r = kiosk_printer_print_sync(prn, rc, 30000);
		CHECK_RC(r, KIOSK_OK);
		if (r)
			fprintf(stderr, "%s\n", kiosk_device_last_error(kiosk_printer_device(prn)));
		CHECK_EQ_INT(sim_printer_pages(sp), 1);
		char *text = sim_printer_page_text(sp, 0);
		ptu_check_lines_once(text, 60);
		free(text);
		char png[512], qr[256] = "";
		CHECK_EQ_INT(sim_printer_page_png(sp, 0, png, sizeof png), 0);
		CHECK_EQ_INT(ptu_decode_qr(png, qr, sizeof qr), 0);
		CHECK_STR(qr, PTU_QR);

		/* unplugged mid-job: one failure completion, no hang */
		unplug_after = 700;
		kiosk_job *job = NULL;
		CHECK_RC(kiosk_printer_submit(prn, rc, NULL, NULL, &job), KIOSK_OK);
		r = kiosk_job_wait(job, 30000);
		CHECK(r == KIOSK_E_NO_DEVICE || r == KIOSK_E_IO || r == KIOSK_E_CLOSED);
		fprintf(stderr, "unplugged: %s: %s\n", kiosk_error_name(r), kiosk_job_get_message(job));
		kiosk_job_unref(job);
		CHECK_EQ_INT(sim_printer_pages(sp), 1); /* the half job was not cut */
		/* and the next job fails cleanly too */
		r = kiosk_printer_print_sync(prn, rc, 30000);
		CHECK(r == KIOSK_E_NO_DEVICE || r == KIOSK_E_IO || r == KIOSK_E_CLOSED);
		kiosk_device *dev = kiosk_printer_device(prn);
		CHECK_EQ_INT(kiosk_device_get_state(dev), KIOSK_DEVICE_OFFLINE);

		/* plugged in again: the background re-open finds it (poll fallback,
		 * no hotplug watch), and the next job works without a reopen */
		usbsim_free(sim);
		unplug_after = -1;
		sim = usbsim_new(&d);
		CHECK(sim != NULL);
		if (sim)
			usbsim_set_handler(sim, on_out, NULL);
		for (int i = 0; i < 100 && kiosk_device_get_state(dev) != KIOSK_DEVICE_ONLINE; i++)
			usleep(100 * 1000);
		CHECK_EQ_INT(kiosk_device_get_state(dev), KIOSK_DEVICE_ONLINE);
		kiosk_receipt *small = ptu_receipt(3);
		r = kiosk_printer_print_sync(prn, small, 30000);
		CHECK_RC(r, KIOSK_OK);
		if (r)
			fprintf(stderr, "after replug: %s\n", kiosk_device_last_error(dev));
		kiosk_receipt_free(small);

		/* With the hotplug watch on, an arrival re-opens at once, however
		 * long the back-off: unplug, wait past a failed attempt, plug in. */
		int h = kiosk_context_watch_hotplug(ctx, true);
		if (h == KIOSK_E_NOT_SUPPORTED) {
			fprintf(stderr, "note: libusb hotplug unavailable; arrival part not run\n");
		} else {
			CHECK_RC(h, KIOSK_OK);
			/* another device keeps the umockdev testbed (and so the udev
			 * monitor libusb listens on) alive across the re-plug */
			struct sim_usb_device other = d;
			other.vid = 0x1234;
			other.pid = 0x5678;
			other.serial = "OTHER";
			other.devnum = 0;
			usbsim *keep = usbsim_new(&other);
			CHECK_RC(kiosk_device_set_reconnect(dev, 30000, 60000), KIOSK_OK);
			usbsim_unplug(sim);
			struct kiosk_printer_status st2 = KIOSK_PRINTER_STATUS_INIT;
			kiosk_printer_get_status(prn, 1000, &st2); /* finds the loss */
			CHECK_EQ_INT(kiosk_device_get_state(dev), KIOSK_DEVICE_OFFLINE);
			usbsim_free(sim);
			d.devnum = 9; /* a new address, as a real re-plug gets */
			sim = usbsim_new(&d);
			CHECK(sim != NULL);
			if (sim)
				usbsim_set_handler(sim, on_out, NULL);
			uint64_t waited = 0;
			for (; waited < 10000 && kiosk_device_get_state(dev) != KIOSK_DEVICE_ONLINE;
			     waited += 50)
				usleep(50 * 1000);
			fprintf(stderr, "online %llu ms after the arrival\n", (unsigned long long)waited);
			CHECK_EQ_INT(kiosk_device_get_state(dev), KIOSK_DEVICE_ONLINE);
			CHECK(waited < 10000); /* the back-off alone would wait 30 s */
			kiosk_context_watch_hotplug(ctx, false);
			usbsim_free(keep);
		}
		kiosk_receipt_free(rc);
		kiosk_printer_close(prn);
	}
	usbsim_free(sim);
	sim_printer_stop(sp);
	kiosk_context_free(ctx);
	ptu_cleanup(outdir);
	return test_done("test_printer_usb");
}
