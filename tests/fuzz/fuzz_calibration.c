/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_calibration — libFuzzer target: the touchscreen calibration file
 * parser, kiosk_calibration_load() (libkiosk/src/input/calibration.c), on
 * arbitrary file contents (served from a memfd, no disk).
 *
 * Invariants: the result is KIOSK_OK or KIOSK_E_BAD_DOCUMENT; a failure leaves
 * the output untouched; a success has a finite matrix, a rotation of
 * 0/90/180/270, non-negative screen sizes and a finite RMS, and survives a
 * save/load round trip bit for bit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <kiosk/kiosk.h>

#define FAIL(...)                                                                           \
	do {                                                                                \
		fprintf(stderr, "fuzz_calibration: " __VA_ARGS__);                          \
		fputc('\n', stderr);                                                        \
		abort();                                                                    \
	} while (0)

static int load_bytes(const uint8_t *data, size_t size, struct kiosk_calibration *cal)
{
	int fd = memfd_create("fuzz-calibration", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	size_t off = 0;
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	int r = kiosk_calibration_load(path, cal);
	close(fd);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	struct kiosk_calibration cal, untouched;
	memset(&cal, 0x5a, sizeof cal); /* garbage the library must not keep … */
	cal.size = sizeof cal;          /* … in a struct whose size is set */
	memcpy(&untouched, &cal, sizeof cal);
	int r = load_bytes(data, size, &cal);
	if (r != KIOSK_OK) {
		if (r != KIOSK_E_BAD_DOCUMENT)
			FAIL("unexpected error %s", kiosk_error_name(r));
		if (memcmp(&cal, &untouched, sizeof cal))
			FAIL("a rejected file changed the output");
		return 0;
	}
	for (int k = 0; k < 6; k++)
		if (!isfinite(cal.matrix[k]))
			FAIL("non-finite matrix entry accepted");
	if (cal.rotation < 0 || cal.rotation >= 360 || cal.rotation % 90 || cal.screen_w < 0 ||
	    cal.screen_h < 0 || !isfinite(cal.rms_px))
		FAIL("out-of-range field accepted");

	/* What was accepted is saved and read back exactly. */
	char dir[] = "/tmp/fuzz-calibration-XXXXXX";
	if (!mkdtemp(dir))
		abort();
	char path[64];
	snprintf(path, sizeof path, "%s/cal", dir);
	int s = kiosk_calibration_save(&cal, path);
	struct kiosk_calibration back = KIOSK_CALIBRATION_INIT;
	int l = s == KIOSK_OK ? kiosk_calibration_load(path, &back) : s;
	unlink(path);
	rmdir(dir);
	if (s != KIOSK_OK || l != KIOSK_OK)
		FAIL("accepted calibration does not round-trip: save %s, load %s",
		     kiosk_error_name(s), kiosk_error_name(l));
	if (memcmp(back.matrix, cal.matrix, sizeof cal.matrix) || back.rotation != cal.rotation ||
	    back.screen_w != cal.screen_w || back.screen_h != cal.screen_h)
		FAIL("round trip changed the calibration");
	return 0;
}
