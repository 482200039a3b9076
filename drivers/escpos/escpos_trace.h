/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* escpos_trace.h — the structural description of ESC/POS traffic that the
 * printer's transport puts in debug traces (never text or data bytes). */
#ifndef KIOSKI_ESCPOS_TRACE_H
#define KIOSKI_ESCPOS_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** A kioski_trace_fn (driver.h): commands and lengths of what goes to the
 *  printer ("ESC @, FS &, text[24], LF, GS V 66 0"), status replies in hex. */
void kioski_escpos_trace(const uint8_t *data, size_t len, bool out, char *buf, size_t buf_len);

#endif
