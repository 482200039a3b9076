/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/common.h — macros shared by every libkiosk header.
 */
#ifndef KIOSK_COMMON_H
#define KIOSK_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
#define KIOSK_BEGIN_DECLS extern "C" {
#define KIOSK_END_DECLS }
#else
#define KIOSK_BEGIN_DECLS
#define KIOSK_END_DECLS
#endif

/** Marks a symbol exported from the shared library. */
#define KIOSK_API __attribute__((visibility("default")))

/** Pass as a timeout to wait without limit (only where documented as allowed). */
#define KIOSK_TIMEOUT_INFINITE (-1)

#endif
