/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_touch_calibrate_cli.c — the technician procedure end to end:
 * `kioskctl touch calibrate` runs under umockdev-run against an emulated
 * multitouch screen whose evemu recording presses the five targets of a
 * panel with a known misalignment (with finger jitter); the saved file must
 * hold that matrix, and one press missing must fail with a one-line error.
 */
#include <math.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test.h"
#include "evdev_ioctl.h"

static const char desc[] =
	"P: /devices/platform/i2c-0/0-0038/input/input8/event8\n"
	"N: input/event8\n"
	"E: DEVNAME=/dev/input/event8\n"
	"E: SUBSYSTEM=input\n"
	"E: ID_INPUT=1\n"
	"E: ID_INPUT_TOUCHSCREEN=1\n"
	"A: dev=13:72\n";

/* The panel: screen_normalised = M · raw_normalised. */
static const double M[6] = {0.98, 0.01, 0.012, -0.008, 1.03, -0.02};

static void raw_for(double sx, double sy, int w, int h, double *rx, double *ry)
{
	double X = sx / w - M[2], Y = sy / h - M[5];
	double det = M[0] * M[4] - M[1] * M[3];
	*rx = (M[4] * X - M[1] * Y) / det;
	*ry = (M[0] * Y - M[3] * X) / det;
}

static int write_events(const char *path, int w, int h, int presses)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	double targets[5][2];
	kiosk_calibration_targets(w, h, 0, targets);
	fprintf(f, "# EVEMU 1.3\n");
	static const int jitter[] = {3, -2, 1, -3, 2};
	for (int i = 0; i < presses; i++) {
		double rx, ry;
		raw_for(targets[i][0], targets[i][1], w, h, &rx, &ry);
		int x = (int)lround(rx * 4095), y = (int)lround(ry * 4095);
		double t = 0.6 + 0.6 * i;
		fprintf(f, "E: %.6f 0003 002f 0\nE: %.6f 0003 0039 %d\n", t, t, 10 + i);
		fprintf(f, "E: %.6f 0003 0035 %d\nE: %.6f 0003 0036 %d\nE: %.6f 0000 0000 0\n", t,
			x + 15, t, y - 12, t); /* the finger lands off, then settles */
		for (int k = 0; k < 5; k++) {
			t += 0.01;
			fprintf(f, "E: %.6f 0003 0035 %d\nE: %.6f 0003 0036 %d\nE: %.6f 0000 0000 0\n",
				t, x + jitter[k], t, y - jitter[(k + 2) % 5], t);
		}
		t += 0.02;
		fprintf(f, "E: %.6f 0003 0039 -1\nE: %.6f 0000 0000 0\n", t, t);
	}
	return fclose(f);
}

static int run(const char *dir, const char *args, char *out, size_t out_len)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
		 "umockdev-run -d %s/touch.umockdev -i /dev/input/event8=%s/touch.ioctl "
		 "-e /dev/input/event8=%s/touch.events -- %s/examples/kioskctl/kioskctl %s 2>&1",
		 dir, dir, dir, KIOSK_BINARY_DIR, args);
	FILE *p = popen(cmd, "r");
	size_t n = p ? fread(out, 1, out_len - 1, p) : 0;
	out[n] = 0;
	int st = p ? pclose(p) : -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

int main(void)
{
	if (!test_have_program("umockdev-run"))
		test_skip("umockdev-run not installed");
	char dir[] = "/tmp/kiosk-tcal-XXXXXX";
	if (!mkdtemp(dir))
		test_skip("no temporary directory");
	put(dir, "touch.umockdev", desc);
	char ioctl_path[512];
	snprintf(ioctl_path, sizeof ioctl_path, "%s/touch.ioctl", dir);
	FILE *io = fopen(ioctl_path, "w");
	CHECK(io != NULL);
	if (io) {
		test_evdev_ioctl_script(io, "/dev/input/event8", &test_evdev_touch_caps);
		fclose(io);
	}
	char events[512], calfile[512], args[1024], out[8192];
	snprintf(events, sizeof events, "%s/touch.events", dir);
	snprintf(calfile, sizeof calfile, "%s/touch.cal", dir);
	const int w = 800, h = 480;

	CHECK_EQ_INT(write_events(events, w, h, 5), 0);
	snprintf(args, sizeof args,
		 "touch calibrate --device 'evdev:/dev/input/event8?abs_x=0:4095&abs_y=0:4095' "
		 "--screen %dx%d --timeout 20 -o %s", w, h, calfile);
	int rc = run(dir, args, out, sizeof out);
	CHECK_EQ_INT(rc, 0);
	CHECK(strstr(out, "touch target 1 at (80,48)") != NULL);
	CHECK(strstr(out, "touch target 5 at (400,240)") != NULL);
	if (rc)
		fprintf(stderr, "%s", out);
	struct kiosk_calibration cal = KIOSK_CALIBRATION_INIT;
	CHECK_RC(kiosk_calibration_load(calfile, &cal), KIOSK_OK);
	for (int k = 0; k < 6; k++)
		if (fabs(cal.matrix[k] - M[k]) > 0.003) {
			fprintf(stderr, "matrix[%d] = %f, want %f\n", k, cal.matrix[k], M[k]);
			test_failures++;
		}
	CHECK(cal.rms_px < 2.0); /* the medians drop the landing outlier */
	CHECK_EQ_INT(cal.screen_w, w);

	/* Only four presses: target 5 times out, nothing is saved. */
	unlink(calfile);
	CHECK_EQ_INT(write_events(events, w, h, 4), 0);
	snprintf(args, sizeof args,
		 "touch calibrate --device 'evdev:/dev/input/event8?abs_x=0:4095&abs_y=0:4095' "
		 "--screen %dx%d --timeout 1.5 -o %s", w, h, calfile);
	CHECK_EQ_INT(run(dir, args, out, sizeof out), 1);
	CHECK(strstr(out, "kioskctl: touch: target 5 was not touched within 1.5 s\n") != NULL);
	CHECK(access(calfile, F_OK) != 0);

	unlink(events);
	char path[600];
	snprintf(path, sizeof path, "%s/touch.umockdev", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/touch.ioctl", dir);
	unlink(path);
	rmdir(dir);
	return test_done("test_touch_calibrate_cli");
}
