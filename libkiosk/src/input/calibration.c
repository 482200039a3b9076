/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * calibration.c — touchscreen calibration: the least-squares affine fit of
 * tslib's ts_calibrate, expressed as a libinput-style 2×3 matrix on
 * normalised coordinates; rotation; a small text file (atomic save).
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "input/touch-private.h"
#include "driver.h"

/* The size of struct kiosk_calibration in 1.0, the smallest accepted. */
#define CAL_SIZE_1_0 (offsetof(struct kiosk_calibration, rms_px) + sizeof(double))

int kioski_calibration_copy_in(struct kiosk_calibration *dst, const struct kiosk_calibration *src)
{
	kiosk_calibration_identity(dst);
	if (!src || src->size < CAL_SIZE_1_0)
		return KIOSK_E_INVALID_ARG;
	size_t n = src->size < sizeof *dst ? src->size : sizeof *dst;
	memcpy((char *)dst + sizeof dst->size, (const char *)src + sizeof src->size,
	       n - sizeof dst->size);
	return KIOSK_OK;
}

int kioski_calibration_copy_out(struct kiosk_calibration *dst, const struct kiosk_calibration *src)
{
	if (!dst || dst->size < CAL_SIZE_1_0)
		return KIOSK_E_INVALID_ARG;
	size_t n = dst->size < sizeof *src ? dst->size : sizeof *src;
	memcpy((char *)dst + sizeof dst->size, (const char *)src + sizeof src->size,
	       n - sizeof dst->size);
	dst->size = n;
	return KIOSK_OK;
}

int kiosk_calibration_rotation_matrix(int degrees, double m[6])
{
	static const double rot[4][6] = {
		{1, 0, 0, 0, 1, 0},
		{0, -1, 1, 1, 0, 0},  /* 90° clockwise */
		{-1, 0, 1, 0, -1, 1}, /* 180° */
		{0, 1, 0, -1, 0, 1},  /* 270° */
	};
	if (!m || degrees < 0 || degrees % 90 || degrees >= 360)
		return KIOSK_E_INVALID_ARG;
	memcpy(m, rot[degrees / 90], sizeof rot[0]);
	return KIOSK_OK;
}

void kiosk_calibration_compose(const double o[6], const double i[6], double out[6])
{
	double r[6] = {
		o[0] * i[0] + o[1] * i[3], o[0] * i[1] + o[1] * i[4], o[0] * i[2] + o[1] * i[5] + o[2],
		o[3] * i[0] + o[4] * i[3], o[3] * i[1] + o[4] * i[4], o[3] * i[2] + o[4] * i[5] + o[5],
	};
	memcpy(out, r, sizeof r);
}

void kiosk_calibration_effective(const struct kiosk_calibration *cal_in, double out[6])
{
	struct kiosk_calibration copy;
	const struct kiosk_calibration *cal = &copy;
	kioski_calibration_copy_in(&copy, cal_in); /* identity if `size` is not set */
	double rot[6];
	if (kiosk_calibration_rotation_matrix(cal->rotation, rot) != KIOSK_OK)
		kiosk_calibration_rotation_matrix(0, rot);
	kiosk_calibration_compose(rot, cal->matrix, out);
}

void kiosk_calibration_apply(const double m[6], double x, double y, double *ox, double *oy)
{
	double nx = m[0] * x + m[1] * y + m[2];
	double ny = m[3] * x + m[4] * y + m[5];
	if (ox)
		*ox = nx;
	if (oy)
		*oy = ny;
}

void kiosk_calibration_targets(int w, int h, double margin, double t[5][2])
{
	if (margin <= 0 || margin >= 0.5)
		margin = 0.1;
	double x0 = w * margin, x1 = w * (1 - margin), y0 = h * margin, y1 = h * (1 - margin);
	double pts[5][2] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {w / 2.0, h / 2.0}};
	memcpy(t, pts, sizeof pts);
}

int kiosk_calibration_compute_n(const double (*screen)[2], const double (*raw)[2], size_t n,
				int w, int h, double m[6], double *rms_px)
{
	if (!screen || !raw || !m || n < 3 || w <= 0 || h <= 0)
		return KIOSK_E_INVALID_ARG;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(screen[i][0]) || !isfinite(screen[i][1]) || !isfinite(raw[i][0]) ||
		    !isfinite(raw[i][1]))
			return KIOSK_E_INVALID_ARG;
	/* The same spot touched for two targets far apart: a botched procedure,
	 * not a calibration (the fit alone may not notice with 5 points). */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double dr = hypot(raw[i][0] - raw[j][0], raw[i][1] - raw[j][1]);
			double ds = hypot((screen[i][0] - screen[j][0]) / w,
					  (screen[i][1] - screen[j][1]) / h);
			if (dr < 0.01 && ds > 0.1)
				return KIOSK_E_INVALID_ARG;
		}
	/* Centred normal equations: stable and make degeneracy easy to see. */
	double mx = 0, my = 0, mX = 0, mY = 0;
	for (size_t i = 0; i < n; i++) {
		mx += raw[i][0];
		my += raw[i][1];
		mX += screen[i][0] / w;
		mY += screen[i][1] / h;
	}
	mx /= (double)n;
	my /= (double)n;
	mX /= (double)n;
	mY /= (double)n;
	double sxx = 0, sxy = 0, syy = 0, sxX = 0, syX = 0, sxY = 0, syY = 0;
	for (size_t i = 0; i < n; i++) {
		double x = raw[i][0] - mx, y = raw[i][1] - my;
		double X = screen[i][0] / w - mX, Y = screen[i][1] / h - mY;
		sxx += x * x;
		sxy += x * y;
		syy += y * y;
		sxX += x * X;
		syX += y * X;
		sxY += x * Y;
		syY += y * Y;
	}
	double det = sxx * syy - sxy * sxy;
	double scale = (sxx + syy) * (sxx + syy);
	if (!(scale > 1e-12) || !(det > 1e-6 * scale))
		return KIOSK_E_INVALID_ARG; /* all points on one line or one spot */
	double a = (sxX * syy - syX * sxy) / det;
	double b = (syX * sxx - sxX * sxy) / det;
	double d = (sxY * syy - syY * sxy) / det;
	double e = (syY * sxx - sxY * sxy) / det;
	double r[6] = {a, b, mX - a * mx - b * my, d, e, mY - d * mx - e * my};
	for (int k = 0; k < 6; k++)
		if (!isfinite(r[k]))
			return KIOSK_E_INVALID_ARG;
	if (rms_px) {
		double sum = 0;
		for (size_t i = 0; i < n; i++) {
			double px, py;
			kiosk_calibration_apply(r, raw[i][0], raw[i][1], &px, &py);
			double dx = px * w - screen[i][0], dy = py * h - screen[i][1];
			sum += dx * dx + dy * dy;
		}
		*rms_px = sqrt(sum / (double)n);
	}
	memcpy(m, r, sizeof r);
	return KIOSK_OK;
}

int kiosk_calibration_compute(const double screen[5][2], const double raw[5][2], int w, int h,
			      double m[6])
{
	return kiosk_calibration_compute_n(screen, raw, 5, w, h, m, NULL);
}

/* ---- persistence ------------------------------------------------------------- */

/* Numbers in the file are always in the C locale, whatever the application set. */
static locale_t c_loc;
static pthread_once_t c_loc_once = PTHREAD_ONCE_INIT;

static void c_loc_init(void)
{
	c_loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

static locale_t c_locale(void)
{
	pthread_once(&c_loc_once, c_loc_init);
	return c_loc ? c_loc : LC_GLOBAL_LOCALE;
}

int kiosk_calibration_save(const struct kiosk_calibration *cal_in, const char *path)
{
	struct kiosk_calibration copy;
	const struct kiosk_calibration *cal = &copy;
	if (kioski_calibration_copy_in(&copy, cal_in) != KIOSK_OK || !path || !*path)
		return KIOSK_E_INVALID_ARG;
	for (int k = 0; k < 6; k++)
		if (!isfinite(cal->matrix[k]))
			return KIOSK_E_INVALID_ARG;
	if (cal->rotation < 0 || cal->rotation >= 360 || cal->rotation % 90)
		return KIOSK_E_INVALID_ARG;
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 16);
	if (!tmp)
		return KIOSK_E_NO_MEMORY;
	snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		free(tmp);
		return e == EACCES || e == EPERM || e == EROFS ? KIOSK_E_ACCESS
			: e == ENOENT || e == ENOTDIR		 ? KIOSK_E_NOT_FOUND
								 : KIOSK_E_IO;
	}
	fchmod(fd, 0644);
	locale_t old = uselocale(c_locale());
	char buf[512];
	int n = snprintf(buf, sizeof buf,
			 "# libkiosk touchscreen calibration (libinput matrix convention:\n"
			 "# normalised device x,y -> screen x' = a x + b y + c, y' = d x + e y + f)\n"
			 "version 1\n"
			 "matrix %.17g %.17g %.17g %.17g %.17g %.17g\n"
			 "rotation %d\n"
			 "screen %d %d\n"
			 "rms_px %.6g\n",
			 cal->matrix[0], cal->matrix[1], cal->matrix[2], cal->matrix[3],
			 cal->matrix[4], cal->matrix[5], cal->rotation, cal->screen_w, cal->screen_h,
			 isfinite(cal->rms_px) ? cal->rms_px : 0.0);
	uselocale(old);
	int r = KIOSK_OK;
	const char *p = buf;
	size_t left = n > 0 && (size_t)n < sizeof buf ? (size_t)n : 0;
	if (!left)
		r = KIOSK_E_IO;
	while (left && r == KIOSK_OK) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			r = KIOSK_E_IO;
		else {
			p += w;
			left -= (size_t)w;
		}
	}
	if (r == KIOSK_OK && fsync(fd) < 0)
		r = KIOSK_E_IO;
	if (close(fd) < 0 && r == KIOSK_OK)
		r = KIOSK_E_IO;
	if (r == KIOSK_OK && rename(tmp, path) < 0)
		r = errno == EACCES || errno == EPERM ? KIOSK_E_ACCESS : KIOSK_E_IO;
	if (r != KIOSK_OK)
		unlink(tmp);
	else {
		/* Make the rename itself durable (best effort). */
		char *dir = kioski_strdup(path);
		char *slash = dir ? strrchr(dir, '/') : NULL;
		int dfd = -1;
		if (slash) {
			*(slash == dir ? slash + 1 : slash) = 0;
			dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		} else if (dir) {
			dfd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	free(tmp);
	return r;
}

int kiosk_calibration_load(const char *path, struct kiosk_calibration *out)
{
	if (!path || !out || out->size < CAL_SIZE_1_0)
		return KIOSK_E_INVALID_ARG;
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT || errno == ENOTDIR ? KIOSK_E_NOT_FOUND
		       : errno == EACCES || errno == EPERM ? KIOSK_E_ACCESS
							    : KIOSK_E_IO;
	struct kiosk_calibration cal;
	kiosk_calibration_identity(&cal);
	bool have_matrix = false, have_version = false, bad = false;
	char line[512];
	int lines = 0;
	locale_t old = uselocale(c_locale());
	while (!bad && fgets(line, sizeof line, f)) {
		if (++lines > 64 || !strchr(line, '\n')) {
			bad = !feof(f) || lines > 64; /* overlong line or file */
			if (bad)
				break;
		}
		char *s = line + strspn(line, " \t");
		if (*s == '#' || *s == '\n' || *s == 0)
			continue;
		char key[32];
		int off = 0;
		if (sscanf(s, "%31s%n", key, &off) != 1) {
			bad = true;
			break;
		}
		s += off;
		int used = 0;
		if (!strcmp(key, "version")) {
			int v;
			bad = sscanf(s, "%d %n", &v, &used) != 1 || v != 1;
			have_version = true;
		} else if (!strcmp(key, "matrix")) {
			double *m = cal.matrix;
			bad = sscanf(s, "%lf %lf %lf %lf %lf %lf %n", &m[0], &m[1], &m[2], &m[3], &m[4],
				     &m[5], &used) != 6;
			for (int k = 0; k < 6 && !bad; k++)
				bad = !isfinite(m[k]);
			have_matrix = true;
		} else if (!strcmp(key, "rotation")) {
			bad = sscanf(s, "%d %n", &cal.rotation, &used) != 1 || cal.rotation < 0 ||
			      cal.rotation >= 360 || cal.rotation % 90;
		} else if (!strcmp(key, "screen")) {
			bad = sscanf(s, "%d %d %n", &cal.screen_w, &cal.screen_h, &used) != 2 ||
			      cal.screen_w < 0 || cal.screen_h < 0;
		} else if (!strcmp(key, "rms_px")) {
			bad = sscanf(s, "%lf %n", &cal.rms_px, &used) != 1 || !isfinite(cal.rms_px);
		} else {
			continue; /* a later version's key: ignored */
		}
		if (!bad && s[used] != 0)
			bad = true; /* trailing garbage */
	}
	uselocale(old);
	bool ioerr = ferror(f);
	fclose(f);
	if (ioerr)
		return KIOSK_E_IO;
	if (bad || !have_matrix || !have_version)
		return KIOSK_E_BAD_DOCUMENT;
	kioski_calibration_copy_out(out, &cal);
	return KIOSK_OK;
}
