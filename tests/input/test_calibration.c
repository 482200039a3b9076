/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_calibration.c — the touchscreen calibration: known matrices
 * recovered from synthetic point sets (exact and noisy, 3/5/9 points),
 * degenerate input rejected, rotation matrices and composition, the file
 * round trip (atomic, locale-proof, malformed files rejected), and the
 * kioskctl touch compute/show commands.
 */
#include <dirent.h>
#include <locale.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test.h"

#define NEAR(a, b, eps) (fabs((a) - (b)) <= (eps))

static uint64_t rng = 0x9e3779b97f4a7c15ull;

/* Deterministic noise, uniform in [-1, 1). */
static double noise(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / (double)(1ull << 52) - 1.0;
}

/* The raw (device) point that the matrix m maps to screen pixel (sx, sy). */
static void invert_point(const double m[6], int w, int h, double sx, double sy, double *rx,
			 double *ry)
{
	double X = sx / w - m[2], Y = sy / h - m[5];
	double det = m[0] * m[4] - m[1] * m[3];
	*rx = (m[4] * X - m[1] * Y) / det;
	*ry = (m[0] * Y - m[3] * X) / det;
}

static void check_matrix(const double got[6], const double want[6], double eps)
{
	for (int k = 0; k < 6; k++)
		if (!NEAR(got[k], want[k], eps)) {
			fprintf(stderr, "matrix[%d] = %.6f, want %.6f (±%g)\n", k, got[k], want[k], eps);
			test_failures++;
		}
}

static void test_recover(void)
{
	/* A panel slightly rotated, scaled and offset against the display, as
	 * a real mounting tolerance gives; and a portrait one (axes swapped). */
	static const double known[][6] = {
		{1.02, 0.015, -0.013, -0.01, 0.97, 0.021},
		{0, -1.01, 1.004, 0.99, 0.002, -0.006},
		{1, 0, 0, 0, 1, 0},
	};
	const int w = 1920, h = 1080;
	for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
		double targets[5][2], raw[5][2], m[6], rms = -1;
		kiosk_calibration_targets(w, h, 0, targets);
		/* exact: the 5-point entry point */
		for (int i = 0; i < 5; i++)
			invert_point(known[k], w, h, targets[i][0], targets[i][1], &raw[i][0], &raw[i][1]);
		CHECK_RC(kiosk_calibration_compute((const double(*)[2])targets,
						   (const double(*)[2])raw, w, h, m), KIOSK_OK);
		check_matrix(m, known[k], 1e-9);
		/* noisy: ±3 px of finger error on each target */
		for (int i = 0; i < 5; i++)
			invert_point(known[k], w, h, targets[i][0] + 3 * noise(),
				     targets[i][1] + 3 * noise(), &raw[i][0], &raw[i][1]);
		CHECK_RC(kiosk_calibration_compute_n((const double(*)[2])targets,
						     (const double(*)[2])raw, 5, w, h, m, &rms),
			 KIOSK_OK);
		check_matrix(m, known[k], 0.01);
		CHECK(rms > 0 && rms < 4.5);
		/* every target lands within a few pixels after calibration */
		for (int i = 0; i < 5; i++) {
			double x, y;
			kiosk_calibration_apply(m, raw[i][0], raw[i][1], &x, &y);
			CHECK(fabs(x * w - targets[i][0]) < 8 && fabs(y * h - targets[i][1]) < 8);
		}
	}

	/* 3 points (the minimum) recover exactly; 9 noisy points do better than 5. */
	double s3[3][2] = {{100, 100}, {1800, 150}, {900, 1000}}, r3[3][2], m[6], rms;
	for (int i = 0; i < 3; i++)
		invert_point(known[0], w, h, s3[i][0], s3[i][1], &r3[i][0], &r3[i][1]);
	CHECK_RC(kiosk_calibration_compute_n((const double(*)[2])s3, (const double(*)[2])r3, 3, w,
					     h, m, &rms), KIOSK_OK);
	check_matrix(m, known[0], 1e-9);
	CHECK(rms < 1e-6);
	double s9[9][2], r9[9][2];
	for (int i = 0; i < 9; i++) {
		s9[i][0] = 200 + 760 * (i % 3);
		s9[i][1] = 100 + 440 * (i / 3);
		invert_point(known[0], w, h, s9[i][0] + 2 * noise(), s9[i][1] + 2 * noise(), &r9[i][0],
			     &r9[i][1]);
	}
	CHECK_RC(kiosk_calibration_compute_n((const double(*)[2])s9, (const double(*)[2])r9, 9, w,
					     h, m, &rms), KIOSK_OK);
	check_matrix(m, known[0], 0.005);
}

static void test_degenerate(void)
{
	double m[6] = {7, 7, 7, 7, 7, 7};
	double targets[5][2];
	kiosk_calibration_targets(800, 480, 0, targets);
	/* all five touches at one spot (nobody touched the targets) */
	double same[5][2] = {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}};
	CHECK_RC(kiosk_calibration_compute((const double(*)[2])targets, (const double(*)[2])same, 800,
					   480, m), KIOSK_E_INVALID_ARG);
	/* all on one line */
	double line[5][2] = {{0.1, 0.1}, {0.3, 0.3}, {0.5, 0.5}, {0.7, 0.7}, {0.9, 0.9}};
	CHECK_RC(kiosk_calibration_compute((const double(*)[2])targets, (const double(*)[2])line, 800,
					   480, m), KIOSK_E_INVALID_ARG);
	/* one corner touched twice (second corner's touch at the first's spot) */
	double twice[5][2] = {{0.1, 0.1}, {0.1, 0.1}, {0.9, 0.9}, {0.1, 0.9}, {0.5, 0.5}};
	CHECK_RC(kiosk_calibration_compute((const double(*)[2])targets, (const double(*)[2])twice,
					   800, 480, m), KIOSK_E_INVALID_ARG);
	/* too few points, bad sizes, NaN */
	double ok[5][2] = {{0.1, 0.1}, {0.9, 0.1}, {0.9, 0.9}, {0.1, 0.9}, {0.5, 0.5}};
	CHECK_RC(kiosk_calibration_compute_n((const double(*)[2])targets, (const double(*)[2])ok, 2,
					     800, 480, m, NULL), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_calibration_compute((const double(*)[2])targets, (const double(*)[2])ok, 0,
					   480, m), KIOSK_E_INVALID_ARG);
	ok[2][0] = NAN;
	CHECK_RC(kiosk_calibration_compute((const double(*)[2])targets, (const double(*)[2])ok, 800,
					   480, m), KIOSK_E_INVALID_ARG);
	/* nothing written on failure */
	CHECK(m[0] == 7 && m[5] == 7);
}

static void test_rotation(void)
{
	double r[6], out[6], x, y;
	CHECK_RC(kiosk_calibration_rotation_matrix(90, r), KIOSK_OK);
	static const double r90[6] = {0, -1, 1, 1, 0, 0};
	check_matrix(r, r90, 0);
	/* 90° clockwise: the top-left corner of the panel goes to the top-right. */
	kiosk_calibration_apply(r, 0, 0, &x, &y);
	CHECK(NEAR(x, 1, 1e-12) && NEAR(y, 0, 1e-12));
	kiosk_calibration_apply(r, 1, 0, &x, &y);
	CHECK(NEAR(x, 1, 1e-12) && NEAR(y, 1, 1e-12));
	CHECK_RC(kiosk_calibration_rotation_matrix(45, r), KIOSK_E_INVALID_ARG);
	CHECK_RC(kiosk_calibration_rotation_matrix(360, r), KIOSK_E_INVALID_ARG);
	/* four quarter turns, or 90 then 270, are the identity */
	double acc[6] = {1, 0, 0, 0, 1, 0}, id[6] = {1, 0, 0, 0, 1, 0};
	kiosk_calibration_rotation_matrix(90, r);
	for (int i = 0; i < 4; i++)
		kiosk_calibration_compose(r, acc, acc);
	check_matrix(acc, id, 1e-12);
	double r270[6];
	kiosk_calibration_rotation_matrix(270, r270);
	kiosk_calibration_compose(r270, r, out);
	check_matrix(out, id, 1e-12);
	double r180[6], rr[6];
	kiosk_calibration_rotation_matrix(180, r180);
	kiosk_calibration_compose(r, r, rr);
	check_matrix(rr, r180, 1e-12);

	/* effective = rotation ∘ matrix */
	struct kiosk_calibration cal = KIOSK_CALIBRATION_INIT;
	kiosk_calibration_identity(&cal);
	cal.matrix[0] = 0.5; /* panel reports half-scale x */
	cal.rotation = 90;
	double eff[6];
	kiosk_calibration_effective(&cal, eff);
	kiosk_calibration_apply(eff, 1.0, 0.25, &x, &y); /* matrix → (0.5, 0.25); R90 → (0.75, 0.5) */
	CHECK(NEAR(x, 0.75, 1e-12) && NEAR(y, 0.5, 1e-12));
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	if (d)
		closedir(d);
	return n;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static void test_persistence(void)
{
	char dir[] = "/tmp/kiosk-cal-XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(0);
		return;
	}
	char path[256];
	snprintf(path, sizeof path, "%s/touch.cal", dir);
	struct kiosk_calibration a, b;
	kiosk_calibration_identity(&a);
	double m[6] = {1.0234567890123457, -0.0153, 0.0123456789, 0.0101, 0.97123, -0.021};
	memcpy(a.matrix, m, sizeof m);
	a.rotation = 270;
	a.screen_w = 1080;
	a.screen_h = 1920;
	a.rms_px = 1.25;
	/* A decimal-comma locale in the application must not change the file. */
	const char *loc = setlocale(LC_NUMERIC, "de_DE.UTF-8");
	CHECK_RC(kiosk_calibration_save(&a, path), KIOSK_OK);
	CHECK_EQ_INT(count_files(dir), 1); /* no temporary file left behind */
	CHECK_RC(kiosk_calibration_load(path, &b), KIOSK_OK);
	setlocale(LC_NUMERIC, "C");
	if (!loc)
		fprintf(stderr, "note: de_DE.UTF-8 not installed; locale part ran in C\n");
	check_matrix(b.matrix, a.matrix, 0); /* %.17g round-trips exactly */
	CHECK_EQ_INT(b.rotation, 270);
	CHECK_EQ_INT(b.screen_w, 1080);
	CHECK_EQ_INT(b.screen_h, 1920);
	CHECK(NEAR(b.rms_px, 1.25, 1e-9));
	/* Overwrite keeps one file, replaced whole. */
	a.rotation = 0;
	CHECK_RC(kiosk_calibration_save(&a, path), KIOSK_OK);
	CHECK_RC(kiosk_calibration_load(path, &b), KIOSK_OK);
	CHECK_EQ_INT(b.rotation, 0);
	CHECK_EQ_INT(count_files(dir), 1);

	/* Malformed files: rejected, the output untouched. */
	static const char *bad[] = {
		"",
		"version 1\n",
		"matrix 1 0 0 0 1 0\n",
		"version 2\nmatrix 1 0 0 0 1 0\n",
		"version 1\nmatrix 1 0 0 0 1\n",
		"version 1\nmatrix 1 0 0 0 1 0 7\n",
		"version 1\nmatrix 1 0 0 0 1 nan\n",
		"version 1\nmatrix 1 0 0 0 1 0\nrotation 45\n",
		"version 1\nmatrix 1,5 0 0 0 1 0\n",
		"\x89PNG\r\n\x1a\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_file(path, bad[i]);
		struct kiosk_calibration c = {.size = sizeof c, .rotation = 123};
		int r = kiosk_calibration_load(path, &c);
		if (r != KIOSK_E_BAD_DOCUMENT)
			fprintf(stderr, "bad file %zu accepted (%s)\n", i, kiosk_error_name(r));
		CHECK_RC(r, KIOSK_E_BAD_DOCUMENT);
		CHECK_EQ_INT(c.rotation, 123);
	}
	/* Comments, blank lines and unknown (future) keys are fine. */
	write_file(path, "# hand-written\n\nversion 1\nmatrix 1 0 0 0 1 0\nfuture_key 42\n");
	CHECK_RC(kiosk_calibration_load(path, &b), KIOSK_OK);
	CHECK_RC(kiosk_calibration_load("/nonexistent/x.cal", &b), KIOSK_E_NOT_FOUND);
	CHECK_RC(kiosk_calibration_save(&a, "/nonexistent/dir/x.cal"), KIOSK_E_NOT_FOUND);
	a.rotation = 15;
	CHECK_RC(kiosk_calibration_save(&a, path), KIOSK_E_INVALID_ARG);
	unlink(path);
	rmdir(dir);
}

/* Runs kioskctl with `input` on stdin; returns the exit code, output in out. */
static int kioskctl(const char *args, const char *input, char *out, size_t out_len)
{
	char in_path[] = "/tmp/kiosk-cal-in-XXXXXX";
	int fd = mkstemp(in_path);
	if (fd < 0)
		return -1;
	if (write(fd, input, strlen(input)) < 0)
		return -1;
	close(fd);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "%s/examples/kioskctl/kioskctl %s < %s 2>&1", KIOSK_BINARY_DIR, args,
		 in_path);
	FILE *p = popen(cmd, "r");
	size_t n = p ? fread(out, 1, out_len - 1, p) : 0;
	out[n] = 0;
	int st = p ? pclose(p) : -1;
	unlink(in_path);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_kioskctl(void)
{
	char out[4096], args[512];
	char path[] = "/tmp/kiosk-cal-ctl-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	/* Screen 800x480, a panel reporting x mirrored: raw x = 1 - screen x. */
	const char *pts = "# sx sy rx ry\n"
			  "80 48 0.9 0.1\n720 48 0.1 0.1\n720 432 0.1 0.9\n80 432 0.9 0.9\n"
			  "400 240 0.5 0.5\n";
	snprintf(args, sizeof args, "touch compute --screen 800x480 -o %s", path);
	int rc = kioskctl(args, pts, out, sizeof out);
	CHECK_EQ_INT(rc, 0);
	CHECK(strstr(out, "matrix: -1.000000 0.000000 1.000000 0.000000 1.000000 0.000000") != NULL);
	CHECK(strstr(out, "residual: 0.00 px") != NULL);
	if (rc)
		fprintf(stderr, "%s", out);
	struct kiosk_calibration cal = KIOSK_CALIBRATION_INIT;
	CHECK_RC(kiosk_calibration_load(path, &cal), KIOSK_OK);
	CHECK(NEAR(cal.matrix[0], -1, 1e-9) && NEAR(cal.matrix[2], 1, 1e-9));
	snprintf(args, sizeof args, "touch show %s", path);
	CHECK_EQ_INT(kioskctl(args, "", out, sizeof out), 0);
	CHECK(strstr(out, "LIBINPUT_CALIBRATION_MATRIX}=\"-1 0 1 0 1 0\"") != NULL);

	/* With --rotate the file keeps the panel matrix; effective = the fit. */
	snprintf(args, sizeof args, "touch compute --screen 800x480 --rotate 90 -o %s", path);
	CHECK_EQ_INT(kioskctl(args, pts, out, sizeof out), 0);
	CHECK_RC(kiosk_calibration_load(path, &cal), KIOSK_OK);
	CHECK_EQ_INT(cal.rotation, 90);
	double eff[6];
	kiosk_calibration_effective(&cal, eff);
	CHECK(NEAR(eff[0], -1, 1e-9) && NEAR(eff[2], 1, 1e-9) && NEAR(eff[4], 1, 1e-9));

	/* Degenerate, too few, garbage, wild residual: non-zero exits. */
	CHECK_EQ_INT(kioskctl("touch compute --screen 800x480",
			      "80 48 0.5 0.5\n720 48 0.5 0.5\n400 240 0.5 0.5\n", out, sizeof out), 1);
	CHECK_EQ_INT(kioskctl("touch compute --screen 800x480", "80 48 0.1 0.1\n", out, sizeof out),
		     1);
	CHECK_EQ_INT(kioskctl("touch compute --screen 800x480", "80 48 x y\n", out, sizeof out), 1);
	CHECK(strstr(out, "line 1") != NULL);
	snprintf(args, sizeof args, "touch compute --screen 800x480 -o %s", path);
	CHECK_EQ_INT(kioskctl(args,
			      "80 48 0.1 0.1\n720 48 0.9 0.1\n720 432 0.9 0.9\n80 432 0.1 0.9\n"
			      "400 240 0.8 0.25\n", out, sizeof out), 1);
	CHECK(strstr(out, "not saved") != NULL);
	CHECK_EQ_INT(kioskctl("touch compute", "", out, sizeof out), 2);
	/* --rotate takes exactly 0, 90, 180 or 270 */
	CHECK_EQ_INT(kioskctl("touch compute --screen 800x480 --rotate ''", "", out, sizeof out), 2);
	CHECK_EQ_INT(kioskctl("touch compute --screen 800x480 --rotate 90x", "", out, sizeof out), 2);
	CHECK_EQ_INT(kioskctl("touch compute --screen 800x480 --rotate -0", "", out, sizeof out), 2);
	CHECK_EQ_INT(kioskctl("touch show /nonexistent.cal", "", out, sizeof out), 1);
	unlink(path);
}

int main(void)
{
	test_recover();
	test_degenerate();
	test_rotation();
	test_persistence();
	test_kioskctl();
	return test_done("test_calibration");
}
