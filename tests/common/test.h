/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test.h — a tiny assertion kit for the C tests (each test is one program
 * under CTest; exit 0 pass, 77 skip, anything else fail).
 */
#ifndef KIOSK_TEST_H
#define KIOSK_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kiosk/kiosk.h>

extern int test_failures;

#define CHECK(cond)                                                                     \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
			test_failures++;                                                \
		}                                                                       \
	} while (0)

#define CHECK_EQ_INT(a, b)                                                              \
	do {                                                                            \
		long long _a = (long long)(a), _b = (long long)(b);                     \
		if (_a != _b) {                                                         \
			fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, \
				__LINE__, #a, #b, _a, _b);                              \
			test_failures++;                                                \
		}                                                                       \
	} while (0)

/* Checks a libkiosk result code, printing names on mismatch. */
#define CHECK_RC(expr, want)                                                            \
	do {                                                                            \
		int _r = (expr), _w = (want);                                           \
		if (_r != _w) {                                                         \
			fprintf(stderr, "%s:%d: %s returned %s, want %s\n", __FILE__, __LINE__, \
				#expr, kiosk_error_name(_r), kiosk_error_name(_w));     \
			test_failures++;                                                \
		}                                                                       \
	} while (0)

#define CHECK_STR(a, b)                                                                 \
	do {                                                                            \
		const char *_a = (a), *_b = (b);                                        \
		if (!_a || !_b || strcmp(_a, _b)) {                                     \
			fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", __FILE__, \
				__LINE__, #a, #b, _a ? _a : "(null)", _b ? _b : "(null)"); \
			test_failures++;                                                \
		}                                                                       \
	} while (0)

/* Ends the test: prints a summary line and returns the exit code. */
int test_done(const char *name);

/* Skips the whole test (CTest shows it as skipped, not passed). */
void test_skip(const char *why) __attribute__((noreturn));

/* A context whose log goes to stderr at the KIOSK_DEBUG level (default warn). */
kiosk_context *test_context(void);

/* Path of a file under the source tree (static buffer, one at a time). */
const char *test_source_path(const char *rel);

/*
 * Starts `kiosk-sim DEVICE ARGS…` from the build tree and reads the device URI
 * from its first output line (10 s at most; later output is discarded).
 * Returns the emulator's pid, or -1 (uri then empty).
 */
int test_sim_start(const char *device, const char *const *args, char *uri, size_t uri_len);

/* Stops an emulator with SIGTERM; returns its exit status, -1 if it did not exit normally. */
int test_sim_stop(int pid);

/* True if `prog` is found on PATH. */
int test_have_program(const char *prog);

#endif
