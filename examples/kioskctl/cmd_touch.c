/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cmd_touch.c — touchscreen calibration for technicians and scripts.
 *
 *   kioskctl touch calibrate --device URI --screen WxH [--rotate DEG]
 *                            [--timeout SEC] -o FILE
 *       prints the five targets one by one ("touch target 1 at (x,y)"),
 *       takes the median raw position of each press, fits the matrix
 *       (5-point least squares), prints it with the residual and saves it.
 *   kioskctl touch show FILE
 *   kioskctl touch compute --screen WxH [--rotate DEG] [-o FILE]
 *       reads N >= 3 lines "SCREEN_X SCREEN_Y RAW_X RAW_Y" from stdin
 *       (screen pixels; raw normalised 0..1) and fits them.
 *
 * With --rotate, targets and --screen are in the rotated (displayed) frame;
 * the file keeps the panel matrix and the rotation separately.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kioskctl.h"

#define MAX_POINTS 64
#define MAX_SAMPLES 512
#define WARN_FRACTION 0.01  /* residual above 1% of the diagonal: warn */
#define REJECT_FRACTION 0.05 /* above 5%: the procedure went wrong */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kioskctl touch calibrate --device URI --screen WxH [--rotate DEG]\n"
		"                                [--timeout SEC] -o FILE\n"
		"       kioskctl touch show FILE\n"
		"       kioskctl touch compute --screen WxH [--rotate DEG] [-o FILE] < POINTS\n"
		"  URI: evdev:/dev/input/eventN[?abs_x=MIN:MAX&abs_y=MIN:MAX]\n"
		"  POINTS: lines \"SCREEN_X SCREEN_Y RAW_X RAW_Y\" (pixels; raw normalised 0..1)\n"
		"  --rotate 0|90|180|270: the display is rotated clockwise (portrait mounting)\n"
		"  --timeout SEC: per target (default 60)\n");
}

static int parse_screen(const char *s, int *w, int *h)
{
	char x;
	int n = 0;
	if (sscanf(s, "%d%c%d%n", w, &x, h, &n) != 3 || s[n] || (x != 'x' && x != 'X') || *w <= 0 ||
	    *h <= 0 || *w > 100000 || *h > 100000)
		return -1;
	return 0;
}

/* "0", "90", "180" or "270" (nothing else, not even "" or "90x"). */
static int parse_rotate(const char *s, int *deg)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || *end || (v != 0 && v != 90 && v != 180 && v != 270) || *s == '-' || *s == '+')
		return -1;
	*deg = (int)v;
	return 0;
}

static void print_matrix(const char *label, const double m[6])
{
	printf("%s %.6f %.6f %.6f %.6f %.6f %.6f\n", label, m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void print_calibration(const struct kiosk_calibration *cal)
{
	double eff[6];
	kiosk_calibration_effective(cal, eff);
	print_matrix("matrix:", cal->matrix);
	printf("rotation: %d\n", cal->rotation);
	if (cal->screen_w > 0)
		printf("screen: %dx%d\n", cal->screen_w, cal->screen_h);
	printf("residual: %.2f px (rms)\n", cal->rms_px);
	print_matrix("effective:", eff);
	/* The same matrix for X11/Wayland through udev (libinput's property). */
	printf("udev: ENV{LIBINPUT_CALIBRATION_MATRIX}=\"%g %g %g %g %g %g\"\n", eff[0], eff[1],
	       eff[2], eff[3], eff[4], eff[5]);
}

/* Fits raw → displayed screen, then stores the panel matrix R⁻¹ ∘ F. */
static int fit(const double (*screen)[2], const double (*raw)[2], size_t n, int w, int h,
	       int rotate, struct kiosk_calibration *cal)
{
	double f[6], inv[6];
	double rms = 0;
	int r = kiosk_calibration_compute_n(screen, raw, n, w, h, f, &rms);
	if (r < 0)
		return r;
	kiosk_calibration_identity(cal);
	kiosk_calibration_rotation_matrix((360 - rotate) % 360, inv);
	kiosk_calibration_compose(inv, f, cal->matrix);
	cal->rotation = rotate;
	cal->screen_w = w;
	cal->screen_h = h;
	cal->rms_px = rms;
	return KIOSK_OK;
}

static int check_residual(const struct kiosk_calibration *cal)
{
	/* Compared squared: no libm needed. */
	double diag2 = (double)cal->screen_w * cal->screen_w + (double)cal->screen_h * cal->screen_h;
	double rms2 = cal->rms_px * cal->rms_px;
	if (rms2 > REJECT_FRACTION * REJECT_FRACTION * diag2)
		return kioskctl_fail("touch", "residual %.1f px is too large: the targets were not "
					      "touched accurately (or --rotate is wrong); not saved",
				     cal->rms_px);
	if (rms2 > WARN_FRACTION * WARN_FRACTION * diag2)
		fprintf(stderr, "kioskctl: touch: warning: residual %.1f px is high; consider "
				"calibrating again\n", cal->rms_px);
	return KIOSKCTL_EXIT_OK;
}

static int save(const struct kiosk_calibration *cal, const char *out)
{
	int r = kiosk_calibration_save(cal, out);
	if (r < 0)
		return kioskctl_fail("touch", "cannot save %s: %s", out, kiosk_strerror(r));
	printf("saved %s\n", out);
	return KIOSKCTL_EXIT_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A touch this soon after the last accepted press lifted is its bounce. */
#define BOUNCE_MS 150

/* Waits for one press of slot 0 (DOWN … UP) and returns its median raw point.
 * Touches before *quiet_until (the bounce of the previous press) are skipped;
 * on success *quiet_until is set past this press's UP. Judged by the events'
 * own times, so a slow process never drops a real press that is queued. */
static int collect_press(kiosk_context *ctx, int timeout_ms, double *rx, double *ry,
			 uint64_t *quiet_until)
{
	static double xs[MAX_SAMPLES], ys[MAX_SAMPLES];
	size_t n = 0;
	bool down = false;
	int waited = 0;
	while (waited < timeout_ms) {
		int r = kiosk_context_wait(ctx, 100);
		waited += 100;
		if (r == KIOSK_E_TIMEOUT)
			continue;
		kiosk_event *ev;
		while ((ev = kiosk_context_next_event(ctx))) {
			enum kiosk_event_type type = kiosk_event_get_type(ev);
			const struct kiosk_touch_point *p = kiosk_event_get_touch(ev);
			if (type == KIOSK_EVENT_DEVICE_LEFT) {
				kiosk_event_free(ev);
				return KIOSK_E_NO_DEVICE;
			}
			if (p && p->slot == 0 && !down && kiosk_event_get_time_ms(ev) < *quiet_until) {
				kiosk_event_free(ev); /* a bounce of the previous press */
				continue;
			}
			if (p && p->slot == 0) {
				if (type == KIOSK_EVENT_TOUCH_DOWN) {
					down = true;
					n = 0;
				}
				if (down && n < MAX_SAMPLES) {
					xs[n] = p->raw_nx;
					ys[n] = p->raw_ny;
					n++;
				}
				if (type == KIOSK_EVENT_TOUCH_UP && down && n) {
					*quiet_until = kiosk_event_get_time_ms(ev) + BOUNCE_MS;
					kiosk_event_free(ev);
					*rx = median(xs, n);
					*ry = median(ys, n);
					return KIOSK_OK;
				}
			}
			kiosk_event_free(ev);
		}
	}
	return KIOSK_E_TIMEOUT;
}

static int cmd_calibrate(int argc, char **argv)
{
	const char *uri = NULL, *out = NULL;
	int w = 0, h = 0, rotate = 0, timeout_ms = 60000;
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--device") && v) {
			uri = argv[++i];
		} else if (!strcmp(argv[i], "--screen") && v) {
			if (parse_screen(argv[++i], &w, &h) < 0)
				return kioskctl_usage("touch: --screen must be WxH, e.g. 1920x1080");
		} else if (!strcmp(argv[i], "--rotate") && v) {
			if (parse_rotate(argv[++i], &rotate) < 0)
				return kioskctl_usage("touch: --rotate must be 0, 90, 180 or 270");
		} else if (!strcmp(argv[i], "--timeout") && v) {
			timeout_ms = kioskctl_parse_seconds(argv[++i]);
			if (timeout_ms <= 0)
				return kioskctl_usage("touch: --timeout needs a number of seconds");
		} else if (!strcmp(argv[i], "-o") && v) {
			out = argv[++i];
		} else {
			return kioskctl_usage("touch calibrate: unexpected argument '%s'", argv[i]);
		}
	}
	if (!uri || !w || !out)
		return kioskctl_usage("touch calibrate: --device, --screen and -o are required");

	kiosk_context *ctx = kioskctl_context();
	kiosk_touch *t = NULL;
	int r = kiosk_touch_open(ctx, uri, &t);
	if (r < 0) {
		int rc = kioskctl_fail("touch", "%s", kiosk_context_last_error(ctx));
		kiosk_context_free(ctx);
		return rc;
	}
	kiosk_touch_set_screen_size(t, w, h);
	kiosk_touch_set_calibration(t, NULL); /* raw positions are what we collect */
	double targets[5][2], raw[5][2];
	kiosk_calibration_targets(w, h, 0, targets);
	int rc = KIOSKCTL_EXIT_OK;
	uint64_t quiet_until = 0;
	for (int i = 0; i < 5 && rc == KIOSKCTL_EXIT_OK; i++) {
		printf("touch target %d at (%.0f,%.0f)\n", i + 1, targets[i][0], targets[i][1]);
		fflush(stdout);
		r = collect_press(ctx, timeout_ms, &raw[i][0], &raw[i][1], &quiet_until);
		if (r == KIOSK_E_TIMEOUT)
			rc = kioskctl_fail("touch", "target %d was not touched within %g s", i + 1,
					   timeout_ms / 1000.0);
		else if (r < 0)
			rc = kioskctl_fail("touch", "%s", kiosk_strerror(r));
		else
			printf("  raw (%.4f, %.4f)\n", raw[i][0], raw[i][1]);
	}
	kiosk_touch_close(t);
	kiosk_context_free(ctx);
	if (rc != KIOSKCTL_EXIT_OK)
		return rc;
	struct kiosk_calibration cal = KIOSK_CALIBRATION_INIT;
	r = fit((const double(*)[2])targets, (const double(*)[2])raw, 5, w, h, rotate, &cal);
	if (r < 0)
		return kioskctl_fail("touch", "the touches do not determine a calibration (the same "
					      "spot touched twice, or all on one line): run it again");
	print_calibration(&cal);
	if ((rc = check_residual(&cal)) != KIOSKCTL_EXIT_OK)
		return rc;
	return save(&cal, out);
}

static int cmd_compute(int argc, char **argv)
{
	const char *out = NULL;
	int w = 0, h = 0, rotate = 0;
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(argv[i], "--screen") && v) {
			if (parse_screen(argv[++i], &w, &h) < 0)
				return kioskctl_usage("touch: --screen must be WxH, e.g. 1920x1080");
		} else if (!strcmp(argv[i], "--rotate") && v) {
			if (parse_rotate(argv[++i], &rotate) < 0)
				return kioskctl_usage("touch: --rotate must be 0, 90, 180 or 270");
		} else if (!strcmp(argv[i], "-o") && v) {
			out = argv[++i];
		} else {
			return kioskctl_usage("touch compute: unexpected argument '%s'", argv[i]);
		}
	}
	if (!w)
		return kioskctl_usage("touch compute: --screen WxH is required");
	double screen[MAX_POINTS][2], raw[MAX_POINTS][2];
	size_t n = 0;
	char line[256];
	int lineno = 0;
	while (fgets(line, sizeof line, stdin)) {
		lineno++;
		char *s = line + strspn(line, " \t");
		if (*s == '#' || *s == '\n' || !*s)
			continue;
		if (n == MAX_POINTS)
			return kioskctl_fail("touch", "more than %d points", MAX_POINTS);
		int used = 0;
		if (sscanf(s, "%lf %lf %lf %lf %n", &screen[n][0], &screen[n][1], &raw[n][0],
			   &raw[n][1], &used) != 4 || s[used])
			return kioskctl_fail("touch", "line %d: expected SCREEN_X SCREEN_Y RAW_X RAW_Y",
					     lineno);
		n++;
	}
	if (n < 3)
		return kioskctl_fail("touch", "need at least 3 points, got %zu", n);
	struct kiosk_calibration cal = KIOSK_CALIBRATION_INIT;
	if (fit((const double(*)[2])screen, (const double(*)[2])raw, n, w, h, rotate, &cal) < 0)
		return kioskctl_fail("touch", "the points do not determine a calibration (degenerate)");
	print_calibration(&cal);
	if (!out)
		return KIOSKCTL_EXIT_OK;
	int rc = check_residual(&cal);
	return rc != KIOSKCTL_EXIT_OK ? rc : save(&cal, out);
}

static int cmd_show(int argc, char **argv)
{
	if (argc != 2)
		return kioskctl_usage("touch show FILE");
	struct kiosk_calibration cal = KIOSK_CALIBRATION_INIT;
	int r = kiosk_calibration_load(argv[1], &cal);
	if (r < 0)
		return kioskctl_fail("touch", "%s: %s", argv[1],
				     r == KIOSK_E_BAD_DOCUMENT ? "not a calibration file"
							       : kiosk_strerror(r));
	print_calibration(&cal);
	return KIOSKCTL_EXIT_OK;
}

int kioskctl_touch(int argc, char **argv)
{
	if (argc < 2)
		return kioskctl_usage("touch: calibrate, show or compute?");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return KIOSKCTL_EXIT_OK;
	}
	if (!strcmp(argv[1], "calibrate"))
		return cmd_calibrate(argc - 1, argv + 1);
	if (!strcmp(argv[1], "compute"))
		return cmd_compute(argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 1, argv + 1);
	return kioskctl_usage("touch: unknown action '%s' (calibrate, show, compute)", argv[1]);
}
