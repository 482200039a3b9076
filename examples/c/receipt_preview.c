/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * receipt_preview — build a receipt with the C builder and look at it
 * without a printer: writes the preview PNG the printer profile would print,
 * and the receipt's JSON form (what `kioskctl print` and Python accept).
 *
 *   receipt_preview [PROFILE] [OUT.png]      (default generic-58mm, receipt.png)
 */
#include <stdio.h>
#include <stdlib.h>
#include <kiosk/kiosk.h>

int main(int argc, char **argv)
{
	const char *profile = argc > 1 ? argv[1] : "generic-58mm";
	const char *out = argc > 2 ? argv[2] : "receipt.png";
	kiosk_context *ctx;
	kiosk_receipt *r;
	int rc;
	if ((rc = kiosk_context_new(&ctx)) || (rc = kiosk_receipt_new(&r))) {
		fprintf(stderr, "receipt_preview: %s\n", kiosk_strerror(rc));
		return 1;
	}
	struct kiosk_text_style title = {.size = sizeof(struct kiosk_text_style), .align = KIOSK_ALIGN_CENTER, .bold = true, .width = 2, .height = 2};
	struct kiosk_text_style center = {.size = sizeof(struct kiosk_text_style), .align = KIOSK_ALIGN_CENTER};
	kiosk_receipt_add_text(r, "便民服务中心", &title);
	kiosk_receipt_add_text(r, "排队号 Queue ticket", &center);
	kiosk_receipt_add_rule(r);
	kiosk_receipt_add_columns(r, "业务", "社保卡补换", NULL);
	kiosk_receipt_add_columns(r, "号码", "A-0231", &(struct kiosk_text_style){.size = sizeof(struct kiosk_text_style), .bold = true});
	kiosk_receipt_add_columns(r, "前面等候", "7 人", NULL);
	kiosk_receipt_add_qr(r, "https://zwfw.example.gov.cn/q/A-0231", 5, 'M');
	kiosk_receipt_add_text(r, "过号请重新取号。", &center);
	kiosk_receipt_add_cut(r, true);

	rc = kiosk_receipt_render_png_file(ctx, r, profile, out);
	if (rc) {
		fprintf(stderr, "receipt_preview: %s\n", kiosk_context_last_error(ctx));
	} else {
		char *json = NULL;
		if (!kiosk_receipt_to_json(r, &json))
			printf("%s\n", json);
		kiosk_free(json);
		fprintf(stderr, "receipt_preview: %s preview written to %s\n", profile, out);
	}
	kiosk_receipt_free(r);
	kiosk_context_free(ctx);
	return rc ? 1 : 0;
}
