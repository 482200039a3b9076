/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * print_receipt.c — print an acceptance receipt with a QR code and wait until
 * the printer has taken it, reporting paper/cover problems as they happen.
 *
 *   print_receipt tcp:192.0.2.10:9100 [PROFILE]
 *   print_receipt serial:/dev/ttyUSB0?baud=115200 generic-58mm
 *   kiosk-sim printer --out /tmp/paper &   # an emulated printer to try it on
 */
#include <stdio.h>
#include <kiosk/kiosk.h>

static void on_done(kiosk_job *job, int result, void *user)
{
	int *done = user;
	printf("job %llu: %s — %s\n", (unsigned long long)kiosk_job_get_id(job),
	       kiosk_error_name(result), kiosk_job_get_message(job));
	*done = result == KIOSK_OK ? 1 : -1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s URI [PROFILE]\n", argv[0]);
		return 2;
	}
	kiosk_context *ctx;
	kiosk_printer *prn;
	if (kiosk_context_new(&ctx) != KIOSK_OK)
		return 1;
	if (kiosk_printer_open(ctx, argv[1], argc > 2 ? argv[2] : NULL, &prn) != KIOSK_OK) {
		fprintf(stderr, "open: %s\n", kiosk_context_last_error(ctx));
		kiosk_context_free(ctx);
		return 1;
	}
	kiosk_printer_set_paper_wait(prn, 30000); /* give staff 30 s to reload paper */

	kiosk_receipt *r;
	kiosk_receipt_new(&r);
	struct kiosk_text_style title = {.size = sizeof(struct kiosk_text_style), .align = KIOSK_ALIGN_CENTER, .bold = true, .width = 2, .height = 2};
	kiosk_receipt_add_text(r, "受理回执", &title);
	kiosk_receipt_add_columns(r, "事项", "居住证签注", NULL);
	kiosk_receipt_add_columns(r, "办件编号", "2026-000123", NULL);
	kiosk_receipt_add_columns(r, "承诺办结", "5 个工作日", NULL);
	kiosk_receipt_add_rule(r);
	kiosk_receipt_add_qr(r, "https://zwfw.example.gov.cn/case?no=2026-000123", 6, 'M');
	kiosk_receipt_add_text(r, "扫码查询办件进度", &(struct kiosk_text_style){.size = sizeof(struct kiosk_text_style), .align = KIOSK_ALIGN_CENTER});
	kiosk_receipt_add_cut(r, false);

	int done = 0;
	if (kiosk_printer_submit(prn, r, on_done, &done, NULL) != KIOSK_OK) {
		fprintf(stderr, "submit: %s\n", kiosk_device_last_error(kiosk_printer_device(prn)));
		done = -1;
	}
	kiosk_receipt_free(r);
	/* the loop an application runs: completions and status events */
	while (!done) {
		kiosk_context_wait(ctx, 1000);
		for (kiosk_event *ev; (ev = kiosk_context_next_event(ctx)); kiosk_event_free(ev)) {
			const struct kiosk_printer_status *st = kiosk_event_get_printer_status(ev);
			if (st)
				printf("printer: %s (paper %s)\n", kiosk_printer_status_summary(st),
				       kiosk_paper_state_name(st->paper));
		}
	}
	kiosk_printer_close(prn);
	kiosk_context_free(ctx);
	return done == 1 ? 0 : 1;
}
