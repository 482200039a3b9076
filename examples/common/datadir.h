/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * datadir.h — where an installed libkiosk program finds its data.
 *
 * The programs (kiosk-sim, kiosk-app, …) carry no absolute path of the build
 * machine. Their data lives in <prefix>/share/libkiosk/<sub>, and they find it
 * from their own location (/proc/self/exe → <prefix>/bin → ../share/libkiosk),
 * so an installed tree can be moved to another prefix and still works. The
 * build tree mirrors that layout (build/bin beside build/share/libkiosk, see
 * kiosk_program() and kiosk_data() in libkiosk/cmake/KioskHelpers.cmake).
 */
#ifndef KIOSK_PROGRAM_DATADIR_H
#define KIOSK_PROGRAM_DATADIR_H

#include <stddef.h>

/*
 * Writes the data directory `sub` (e.g. "sim", "kiosk-app") into out:
 * the environment variable `env` when it is set and not empty (no check), else
 * <dir of the running program>/KIOSK_DATADIR_FROM_BINDIR/<sub> when that is a
 * directory. Returns 0, or -1 when no directory was found; out then holds the
 * path that was tried, for the caller's error message.
 */
int kiosk_program_datadir(const char *sub, const char *env, char *out, size_t len);

#endif
