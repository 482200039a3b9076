/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_receipt — build time and byte size of a typical service-hall receipt
 * (header, 20 item lines, Chinese paragraph, QR, cut), built with the C
 * builder and encoded to ESC/POS for a printer with native QR (generic-80mm)
 * and one that needs a raster QR (legacy-80mm-raster-qr). The same receipt
 * is built by tests/bench/receipt_encoder.mjs with the npm encoder; run both
 * side by side with tests/bench/bench_receipt.sh.
 *
 * Output: one line per variant, "name us_per_receipt bytes" (--machine), or a table.
 * The figures are wall-clock means over many runs: a loaded machine makes them slower,
 * never wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kiosk/kiosk.h>
#include "printer/printer_profile.h"
#include "escpos/escpos_encode.h"

/* Keep in step with receipt_encoder.mjs. */
static const char *const materials[] = {"居民身份证", "户口簿", "结婚证", "出生医学证明", "社保卡",
					"不动产权证书", "营业执照", "授权委托书", "近期免冠照片", "申请表"};
static const char *const forms[] = {"原件1份", "复印件2份", "原件及复印件", "电子"};
#define QR_DATA "https://zwfw.example.gov.cn/case/BJ2026112400123"
#define PARAGRAPH "请妥善保管本回执。可在自助终端扫描下方二维码查询办件进度，也可拨打咨询电话12345。承诺件将在5个工作日内办结，办结后短信通知您到窗口领取。"

static kiosk_receipt *build(void)
{
	kiosk_receipt *r;
	struct kiosk_text_style title = {.size = sizeof(struct kiosk_text_style), .align = KIOSK_ALIGN_CENTER, .bold = true, .width = 2, .height = 2}, center = {.size = sizeof(struct kiosk_text_style), .align = KIOSK_ALIGN_CENTER, .bold = false, .width = 1, .height = 1};
	char left[128];
	if (kiosk_receipt_new(&r))
		abort();
	kiosk_receipt_add_text(r, "XX市政务服务中心", &title);
	kiosk_receipt_add_text(r, "受理回执", &center);
	kiosk_receipt_add_rule(r);
	kiosk_receipt_add_columns(r, "办件编号", "BJ2026112400123", NULL);
	for (int i = 0; i < 20; i++) {
		snprintf(left, sizeof left, "%02d %s", i + 1, materials[i % 10]);
		kiosk_receipt_add_columns(r, left, forms[i % 4], NULL);
	}
	kiosk_receipt_add_rule(r);
	kiosk_receipt_add_text(r, PARAGRAPH, NULL);
	kiosk_receipt_add_qr(r, QR_DATA, 6, 'M');
	kiosk_receipt_add_cut(r, true);
	return r;
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	bool machine = argc > 1 && !strcmp(argv[1], "--machine");
	kiosk_context *ctx;
	kiosk_context_new(&ctx);
	static const char *profiles[] = {"generic-80mm", "legacy-80mm-raster-qr"};
	static const char *labels[] = {"native_qr", "raster_qr"};
	if (!machine)
		printf("%-12s %-24s %12s %10s %8s\n", "variant", "profile", "us/receipt", "bytes", "runs");
	for (int v = 0; v < 2; v++) {
		struct kioski_printer_profile p;
		if (kioski_printer_profile_load(ctx, profiles[v], &p)) {
			fprintf(stderr, "bench_receipt: %s\n", kiosk_context_last_error(ctx));
			return 1;
		}
		size_t bytes = 0;
		/* warm up, then run for about a second */
		int runs = 0;
		double t0 = 0, t1 = 0;
		for (int pass = 0; pass < 2; pass++) {
			int n = pass ? 0 : 200;
			double start = now_us();
			for (int i = 0;; i++) {
				kiosk_receipt *r = build();
				struct kioski_escpos_output o;
				if (kioski_receipt_to_escpos(r, &p, &o))
					abort();
				bytes = o.len;
				kioski_escpos_output_free(&o);
				kiosk_receipt_free(r);
				if (!pass && i + 1 >= n)
					break;
				if (pass && (i + 1) % 100 == 0 && now_us() - start > 1e6) {
					runs = i + 1;
					break;
				}
			}
			t0 = start;
			t1 = now_us();
		}
		double us = (t1 - t0) / runs;
		if (machine)
			printf("%s %.2f %zu\n", labels[v], us, bytes);
		else
			printf("%-12s %-24s %12.2f %10zu %8d\n", labels[v], profiles[v], us, bytes, runs);
	}
	kiosk_context_free(ctx);
	return 0;
}
