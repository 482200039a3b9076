/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Round trip: receipt → driver → transport (TCP, pty) → emulator → PNG →
 * zbar reads the QR back; text and status checked on the emulator side. */
#include <unistd.h>
#include "printer_test_util.h"
#include "sim_printer.h"

static char outdir[256];

static void roundtrip(bool pty, const char *profile, int width, bool near_end_sensor)
{
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	char pages[400];
	snprintf(pages, sizeof pages, "%s/%s-%s", outdir, pty ? "pty" : "tcp", profile);
	cfg.out_dir = pages;
	cfg.width_dots = width;
	struct sim_printer *sp;
	char uri[160];
	int r = pty ? sim_printer_start_pty(&cfg, &sp, uri, sizeof uri)
		    : sim_printer_start_tcp(&cfg, &sp, uri, sizeof uri);
	CHECK_EQ_INT(r, 0);
	if (r)
		return;
	kiosk_context *ctx = test_context();
	kiosk_context_set_profile_dir(ctx, outdir);
	kiosk_printer *prn = NULL;
	CHECK_RC(kiosk_printer_open(ctx, uri, profile, &prn), KIOSK_OK);
	if (!prn) {
		sim_printer_stop(sp);
		kiosk_context_free(ctx);
		return;
	}
	CHECK_STR(kiosk_printer_get_profile_name(prn), profile);
	CHECK_STR(kiosk_device_get_driver(kiosk_printer_device(prn)), "escpos");

	struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
	CHECK_RC(kiosk_printer_get_status(prn, 3000, &st), KIOSK_OK);
	CHECK_STR(kiosk_paper_state_name(st.paper), "ok");
	CHECK_EQ_INT(st.online, KIOSK_YES);
	CHECK_STR(kiosk_printer_status_summary(&st), "ok");

	kiosk_receipt *rc = ptu_receipt(12);
	kiosk_job *job = NULL;
	CHECK_RC(kiosk_printer_submit(prn, rc, NULL, NULL, &job), KIOSK_OK);
	kiosk_receipt_free(rc); /* encoded at submit: may go now */
	CHECK(kiosk_job_get_id(job) > 0);
	CHECK_RC(kiosk_job_wait(job, 30000), KIOSK_OK);
	fprintf(stderr, "%s %s: %s\n", uri, profile, kiosk_job_get_message(job));
	kiosk_job_unref(job);

	/* completion means the printer took it all: the page is out already */
	CHECK_EQ_INT(sim_printer_pages(sp), 1);
	char *text = sim_printer_page_text(sp, 0);
	ptu_check_lines_once(text, 12);
	free(text);
	char png[512], qr[256] = "";
	CHECK_EQ_INT(sim_printer_page_png(sp, 0, png, sizeof png), 0);
	CHECK_EQ_INT(ptu_decode_qr(png, qr, sizeof qr), 0);
	CHECK_STR(qr, PTU_QR);

	/* vendor bytes go out as they are, in order with the jobs */
	static const char raw[] = "\x1b@raw vendor line\n\x1dVA\x00";
	CHECK_RC(kiosk_printer_write_raw(prn, raw, sizeof raw - 1, 5000), KIOSK_OK);
	CHECK_RC(kiosk_printer_get_status(prn, 3000, &st), KIOSK_OK); /* a round trip after it */
	int pages_now = sim_printer_pages(sp);
	CHECK_EQ_INT(pages_now, 2);
	char *rt = sim_printer_page_text(sp, pages_now - 1);
	CHECK(rt && strstr(rt, "raw vendor line"));
	free(rt);

	/* a character the profile cannot print: substituted visibly and reported */
	if (!strcmp(profile, "test-raster-qr")) {
		kiosk_receipt *r2 = NULL;
		kiosk_receipt_new(&r2);
		kiosk_receipt_add_text(r2, "ext-B: 𠀀 end", NULL);
		kiosk_receipt_add_cut(r2, false);
		CHECK_RC(kiosk_printer_submit(prn, r2, NULL, NULL, &job), KIOSK_OK);
		kiosk_receipt_free(r2);
		CHECK_RC(kiosk_job_wait(job, 30000), KIOSK_OK);
		CHECK(strstr(kiosk_job_get_message(job), "substituted") != NULL);
		fprintf(stderr, "  %s\n", kiosk_job_get_message(job));
		kiosk_job_unref(job);
		CHECK_EQ_INT(sim_printer_pages(sp), 3);
		char *t2 = sim_printer_page_text(sp, 2);
		CHECK(t2 && strstr(t2, "ext-B: ") && strstr(t2, " end") && !strstr(t2, "𠀀"));
		free(t2);
	}

	/* near end is reported, and an event follows the change */
	sim_printer_set_near_end(sp, true);
	CHECK_RC(kiosk_printer_get_status(prn, 3000, &st), KIOSK_OK);
	/* a printer without a near-end sensor cannot report it */
	CHECK_STR(kiosk_paper_state_name(st.paper), near_end_sensor ? "near_end" : "ok");
	kiosk_context_dispatch(ctx);
	int events = 0;
	for (kiosk_event *ev; (ev = kiosk_context_next_event(ctx)); kiosk_event_free(ev))
		if (kiosk_event_get_type(ev) == KIOSK_EVENT_PRINTER_STATUS &&
		    kiosk_event_get_printer_status(ev)->paper == KIOSK_PAPER_NEAR_END)
			events++;
	CHECK_EQ_INT(events >= 1, near_end_sensor);
	kiosk_printer_close(prn);
	sim_printer_stop(sp);
	kiosk_context_free(ctx);
}

int main(void)
{
	snprintf(outdir, sizeof outdir, "%s/printer-roundtrip-XXXXXX", KIOSK_BINARY_DIR);
	if (!mkdtemp(outdir))
		return 1;
	if (ptu_write_raster_profile(outdir) != 0)
		return 1;
	roundtrip(false, "generic-80mm", 576, true);    /* TCP, native QR, GS r */
	roundtrip(true, "generic-80mm", 576, true);     /* pty */
	roundtrip(false, "test-raster-qr", 576, false); /* raster QR bands, no GS r */
	roundtrip(true, "generic-58mm", 384, true);     /* 58 mm, no GS r */
	roundtrip(true, "legacy-80mm-raster-qr", 576, false); /* shipped raster-QR profile */

	/* file: a spool file has no status channel; the job completes once
	 * written and says so. The emulator then reads the spool back. */
	{
		char spool[300];
		snprintf(spool, sizeof spool, "file:%s/spool.bin", outdir);
		FILE *f = fopen(spool + 5, "w");
		if (f)
			fclose(f);
		kiosk_context *ctx = test_context();
		kiosk_printer *prn = NULL;
		CHECK_RC(kiosk_printer_open(ctx, spool, "generic-80mm", &prn), KIOSK_OK);
		if (prn) {
			struct kiosk_printer_status st = KIOSK_PRINTER_STATUS_INIT;
			CHECK_RC(kiosk_printer_get_status(prn, 500, &st), KIOSK_E_NOT_SUPPORTED);
			CHECK_EQ_INT(st.paper, KIOSK_PAPER_UNKNOWN);
			kiosk_receipt *rc = ptu_receipt(3);
			kiosk_job *job = NULL;
			CHECK_RC(kiosk_printer_submit(prn, rc, NULL, NULL, &job), KIOSK_OK);
			kiosk_receipt_free(rc);
			CHECK_RC(kiosk_job_wait(job, 10000), KIOSK_OK);
			CHECK(strstr(kiosk_job_get_message(job), "unconfirmed") != NULL);
			kiosk_job_unref(job);
			kiosk_printer_close(prn);
		}
		kiosk_context_free(ctx);
		f = fopen(spool + 5, "rb");
		uint8_t buf[8192];
		size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
		if (f)
			fclose(f);
		CHECK(n > 100);
		struct sim_printer_config cfg;
		sim_printer_config_init(&cfg);
		struct sim_printer *sp;
		CHECK_EQ_INT(sim_printer_new(&cfg, &sp), 0);
		uint8_t rep[16];
		sim_printer_feed(sp, buf, n, rep, sizeof rep);
		CHECK_EQ_INT(sim_printer_pages(sp), 1);
		char *t = sim_printer_page_text(sp, 0);
		ptu_check_lines_once(t, 3);
		CHECK(t && strstr(t, "[qr] " PTU_QR));
		free(t);
		sim_printer_stop(sp);
	}

	/* status names */
	CHECK_STR(kiosk_paper_state_name(KIOSK_PAPER_OUT), "out");
	CHECK_STR(kiosk_paper_state_name(KIOSK_PAPER_UNKNOWN), "unknown");
	struct kiosk_printer_status z = KIOSK_PRINTER_STATUS_INIT;
	CHECK_STR(kiosk_printer_status_summary(&z), "offline");
	z.size = 0; /* size not set: nothing is read */
	CHECK_STR(kiosk_printer_status_summary(&z), "unknown");
	ptu_cleanup(outdir);
	return test_done("test_printer_roundtrip");
}
