/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_printer_link — where the time of a typical receipt goes: encoding,
 * the link (TCP vs a 115200-baud serial line, 8N1 = 11520 bytes/s, emulated
 * by capping the emulator's link speed) and the driver's confirmation
 * round trips (one GS r per ~1 KB chunk). Native QR vs raster QR.
 *
 *   build/tests/bench/bench_printer_link [runs]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <kiosk/kiosk.h>
#include "sim_printer.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static kiosk_receipt *typical(void)
{
	kiosk_receipt *r;
	kiosk_receipt_new(&r);
	struct kiosk_text_style title = {.size = sizeof(struct kiosk_text_style), .align = KIOSK_ALIGN_CENTER, .bold = true, .width = 2, .height = 2};
	kiosk_receipt_add_text(r, "某某区政务服务中心", &title);
	kiosk_receipt_add_text(r, "受理回执", &title);
	kiosk_receipt_add_rule(r);
	static const char *rows[][2] = {{"事项名称", "居住证签注"}, {"办件编号", "2026-000123"},
					{"申请人", "张*"}, {"证件号码", "110***********1234"},
					{"受理窗口", "B12"}, {"受理时间", "2026-11-24 10:32"},
					{"办件类型", "承诺件"}, {"承诺办结", "5 个工作日"},
					{"咨询电话", "12345"}, {"收费", "不收费"}};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		kiosk_receipt_add_columns(r, rows[i][0], rows[i][1], NULL);
	kiosk_receipt_add_rule(r);
	kiosk_receipt_add_text(r, "请妥善保管本回执，凭回执或扫描下方二维码查询办件进度。", NULL);
	kiosk_receipt_add_qr(r, "https://zwfw.example.gov.cn/case?no=2026-000123&k=9f3a", 6, 'M');
	kiosk_receipt_add_feed(r, 2);
	kiosk_receipt_add_cut(r, false);
	return r;
}

static void write_raster_profile(const char *dir)
{
	char p[512];
	snprintf(p, sizeof p, "%s/printer", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/printer/bench-raster-qr.json", dir);
	FILE *f = fopen(p, "w");
	if (!f)
		return;
	fputs("{\"name\": \"bench-raster-qr\", \"description\": \"bench: raster QR, GS r\",\n"
	      " \"paper_mm\": 80, \"width_dots\": 576, \"dpi\": 203, \"font_a\": [12, 24],\n"
	      " \"line_spacing\": 30, \"chinese\": {\"font\": true, \"fs_mode\": true, \"gb18030_4byte\": true},\n"
	      " \"native_qr\": false, \"cutter\": \"full+partial\", \"cut_feed\": 0,\n"
	      " \"status\": {\"dle_eot\": true, \"asb\": false, \"gs_r\": true,\n"
	      "            \"near_end_sensor\": true, \"cover_sensor\": true},\n"
	      " \"max_raster_rows\": 128}\n", f);
	fclose(f);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void run(const char *label, const char *profile, long bps, int runs, const char *pdir)
{
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.slow_bps = bps;
	struct sim_printer *sp;
	char uri[160];
	if (sim_printer_start_tcp(&cfg, &sp, uri, sizeof uri)) {
		printf("%s: cannot start the emulator\n", label);
		return;
	}
	kiosk_context *ctx;
	kiosk_context_new(&ctx);
	kiosk_context_set_profile_dir(ctx, pdir);
	kiosk_printer *prn;
	if (kiosk_printer_open(ctx, uri, profile, &prn) != KIOSK_OK) {
		printf("%s: open failed: %s\n", label, kiosk_context_last_error(ctx));
		sim_printer_stop(sp);
		kiosk_context_free(ctx);
		return;
	}
	kiosk_printer_set_status_poll(prn, 0);
	kiosk_receipt *r = typical();
	uint8_t *bytes;
	size_t len = 0;
	double e0 = now_ms();
	kiosk_receipt_render_escpos(ctx, r, profile, &bytes, &len, NULL);
	double enc = now_ms() - e0;
	kiosk_free(bytes);
	double *t = calloc((size_t)runs, sizeof *t);
	int ok = 0;
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms();
		int rc = kiosk_printer_print_sync(prn, r, 120000);
		t[i] = now_ms() - t0;
		ok += rc == KIOSK_OK;
	}
	qsort(t, (size_t)runs, sizeof *t, cmp);
	double wire = bps ? len * 1000.0 / (double)bps : 0;
	printf("%-34s %7zu B  encode %6.2f ms  job median %8.1f ms (min %8.1f, max %8.1f)"
	       "  wire %7.1f ms  other %6.1f ms  ok %d/%d\n",
	       label, len, enc, t[runs / 2], t[0], t[runs - 1], wire, t[runs / 2] - wire, ok, runs);
	free(t);
	kiosk_receipt_free(r);
	kiosk_printer_close(prn);
	sim_printer_stop(sp);
	kiosk_context_free(ctx);
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	if (runs < 1)
		runs = 1;
	char dir[] = "/tmp/bench-printer-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	write_raster_profile(dir);
	printf("typical acceptance receipt (10 rows, Chinese text, QR, cut); %d runs each\n"
	       "job = submit until the printer confirmed (GS r) it took all bytes;\n"
	       "wire = bytes / link speed (115200 8N1 = 11520 B/s); other = job - wire\n", runs);
	run("TCP, native QR", "generic-80mm", 0, runs, dir);
	run("TCP, raster QR", "bench-raster-qr", 0, runs, dir);
	run("115200 baud, native QR", "generic-80mm", 11520, runs, dir);
	run("115200 baud, raster QR", "bench-raster-qr", 11520, runs, dir);
	char p[600];
	snprintf(p, sizeof p, "%s/printer/bench-raster-qr.json", dir);
	remove(p);
	snprintf(p, sizeof p, "%s/printer", dir);
	rmdir(p);
	rmdir(dir);
	return 0;
}
