/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kioskctl.h — shared helpers of the kioskctl subcommands. */
#ifndef KIOSKCTL_H
#define KIOSKCTL_H

#include <kiosk/kiosk.h>

/* Exit codes. */
#define KIOSKCTL_EXIT_OK 0
#define KIOSKCTL_EXIT_FAIL 1   /* the operation failed (device, timeout, paper…) */
#define KIOSKCTL_EXIT_USAGE 2  /* bad command line */

/* Each subcommand: argv[0] is the subcommand name. Returns an exit code. */
int kioskctl_idcard(int argc, char **argv);
int kioskctl_print(int argc, char **argv);
int kioskctl_printer(int argc, char **argv);
int kioskctl_receipt(int argc, char **argv);
int kioskctl_scan(int argc, char **argv);
int kioskctl_touch(int argc, char **argv);
int kioskctl_list(int argc, char **argv);
int kioskctl_fleet(int argc, char **argv);

/* A context whose log goes to stderr prefixed "kioskctl:"; exits on failure. */
kiosk_context *kioskctl_context(void);

/* Prints "kioskctl: <what>: <message>" on stderr (one line). Returns KIOSKCTL_EXIT_FAIL. */
int kioskctl_fail(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints a usage error and returns KIOSKCTL_EXIT_USAGE. */
int kioskctl_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses a non-negative number of seconds (may be fractional) into ms; -1 on error. */
int kioskctl_parse_seconds(const char *s);

/* Writes `s` JSON-escaped (with quotes) to stdout; bytes that are not UTF-8
 * become \\ufffd so the output is always valid JSON. */
void kioskctl_json_string(const char *s);

#endif
