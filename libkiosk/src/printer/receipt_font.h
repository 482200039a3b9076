/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* receipt_font.h — bitmap glyphs for the receipt preview (GNU Unifont, packed at build time). */
#ifndef KIOSKI_RECEIPT_FONT_H
#define KIOSKI_RECEIPT_FONT_H

#include <stdint.h>
#include <stdbool.h>

/**
 * The 16-row glyph of `cp`: 16 rows of 2 bytes (MSB = leftmost pixel);
 * *width is 8 or 16. NULL when the font has no glyph for it (the preview
 * then draws a box). Thread-safe; the font is unpacked on first use.
 */
const uint8_t *kioski_font_glyph(uint32_t cp, int *width);

/** True when the library was built with the glyph table. */
bool kioski_font_available(void);

#endif
