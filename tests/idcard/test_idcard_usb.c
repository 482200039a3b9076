/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_idcard_usb.c — the SAM_V driver over the real usb transport and
 * libusb, against an in-process umockdev device (tests/common/usbsim) whose
 * replies are computed by the emulator core (sim_idcard_process): the
 * iDR200-like split pipe layout (OUT 0x02/0x06, IN 0x81/0x85), the
 * single-pipe layout, a bad-checksum fault, unplugging, and a scripted
 * ioctl tree as written by `kiosk-sim idcard --usb DIR`.
 */
#include <string.h>
#include <unistd.h>
#include "test.h"
#include "usbsim.h"
#include "sim_idcard.h"
#include "driver.h"

const void *force_usb_transport = &kioski_transport_usb;

struct dev {
	struct sim_idcard *card;
	bool split;
	uint8_t out[8192];
	size_t n;
};

static void on_out(usbsim *sim, uint8_t ep, const uint8_t *data, size_t len, void *user)
{
	struct dev *d = user;
	(void)ep;
	size_t m = sim_idcard_process(d->card, data, len, d->out, sizeof d->out);
	if (!m)
		return;
	if (d->split && m > 7) {
		usbsim_queue_in(sim, 0x81, d->out, 7);
		usbsim_queue_in(sim, 0x85, d->out + 7, m - 7);
	} else {
		usbsim_queue_in(sim, 0x81, d->out, m);
	}
}

static const struct sim_usb_ep split_eps[] = {
	{0x02, SIM_USB_BULK, 64}, {0x06, SIM_USB_BULK, 64},
	{0x81, SIM_USB_BULK, 64}, {0x85, SIM_USB_BULK, 64},
};
static const struct sim_usb_ep single_eps[] = {
	{0x02, SIM_USB_BULK, 64}, {0x81, SIM_USB_BULK, 64},
};

static const char *card_path(const char *name)
{
	static char p[1024];
	snprintf(p, sizeof p, "%s/%s.json", sim_idcard_cards_dir(), name);
	return p;
}

int main(void)
{
	if (!usbsim_available())
		test_skip("needs umockdev (run under umockdev-wrapper)");
	struct sim_usb_device split = {.vid = 0x0400, .pid = 0xc35a, .serial = "IDR1",
				       .product = "SAM_V emulated reader", .eps = split_eps,
				       .n_eps = 4};
	struct sim_usb_device single = {.vid = 0x1234, .pid = 0x5678, .serial = "ONE1",
					.eps = single_eps, .n_eps = 2};
	struct sim_idcard_opts o = {.card_file = card_path("resident"), .sw3_cmd = -1};
	struct dev d1 = {.card = sim_idcard_new(&o), .split = true};
	o.card_file = card_path("foreign_permanent_2023");
	o.bad_checksum = 2;
	struct dev d2 = {.card = sim_idcard_new(&o), .split = false};
	usbsim *s1 = usbsim_new(&split), *s2 = usbsim_new(&single);
	CHECK(s1 && s2 && d1.card && d2.card);
	if (!s1 || !s2)
		return test_done("test_idcard_usb");
	usbsim_set_handler(s1, on_out, &d1);
	usbsim_set_handler(s2, on_out, &d2);

	kiosk_context *ctx = test_context();
	/* Split pipes: the profile is found by VID:PID (idr200). */
	kiosk_idcard_reader *rdr = NULL;
	CHECK_RC(kiosk_idcard_open(ctx, usbsim_uri(s1), &rdr), KIOSK_OK);
	if (rdr) {
		kiosk_idcard *c = NULL;
		CHECK_RC(kiosk_idcard_read(rdr, 5000, KIOSK_IDCARD_READ_FINGERPRINT, &c), KIOSK_OK);
		CHECK(c && !strcmp(kiosk_idcard_get_name(c), "韩梅梅"));
		size_t fl = 0;
		kiosk_idcard_get_fingerprint(c, &fl);
		CHECK_EQ_INT(fl, 1024);
		kiosk_idcard_free(c);
		char id[64];
		CHECK_RC(kiosk_idcard_sam_id(rdr, id, sizeof id), KIOSK_OK);
		CHECK_RC(kiosk_idcard_set_baud(rdr, 9600), KIOSK_E_NOT_SUPPORTED);
		struct usbsim_stats st;
		usbsim_get_stats(s1, &st);
		CHECK(st.out_transfers >= 8); /* each command in two OUT transfers */
		/* The card leaves; then the reader is unplugged. */
		sim_idcard_set_card(d1.card, NULL);
		CHECK_RC(kiosk_idcard_read(rdr, 600, 0, &c), KIOSK_E_NO_CARD);
		usbsim_unplug(s1);
		int r = kiosk_idcard_read(rdr, 2000, 0, &c);
		CHECK(r == KIOSK_E_NO_DEVICE || r == KIOSK_E_IO);
		CHECK(c == NULL);
		kiosk_idcard_close(rdr);
	}

	/* One pipe pair, named by the profile option; two corrupt replies recovered. */
	char uri[256];
	snprintf(uri, sizeof uri, "%s%sprofile=usb-single-pipe", usbsim_uri(s2),
		 strchr(usbsim_uri(s2), '?') ? "&" : "?");
	CHECK_RC(kiosk_idcard_open(ctx, uri, &rdr), KIOSK_OK);
	if (rdr) {
		kiosk_idcard *c = NULL;
		CHECK_RC(kiosk_idcard_read(rdr, 5000, 0, &c), KIOSK_OK);
		CHECK(c && !strcmp(kiosk_idcard_get_id_number(c), "915600198506150128"));
		kiosk_idcard_free(c);
		kiosk_idcard_close(rdr);
	}
	CHECK_RC(kiosk_idcard_open(ctx, "usb:1234:5678?profile=no-such-profile", &rdr),
		 KIOSK_E_NOT_FOUND);
	kiosk_context_free(ctx);
	usbsim_free(s1);
	usbsim_free(s2);
	sim_idcard_free(d1.card);
	sim_idcard_free(d2.card);
	return test_done("test_idcard_usb");
}
