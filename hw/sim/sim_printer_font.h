/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sim_printer_font.h — Unifont bitmap glyphs (8×16 / 16×16) for the printer emulator. */
#ifndef KIOSK_SIM_PRINTER_FONT_H
#define KIOSK_SIM_PRINTER_FONT_H

#include <stdbool.h>
#include <stdint.h>

/* Looks up a BMP code point: returns its width in pixels (8 or 16) and sets
 * *rows (16 rows of 2 bytes, MSB leftmost), or 0 if the font lacks it or is
 * not installed ($KIOSK_SIM_UNIFONT overrides the path). Thread-safe. */
int sim_font_glyph(uint32_t cp, const uint8_t **rows);

/* Pixel (x, y) of a glyph from sim_font_glyph(). */
bool sim_font_pixel(const uint8_t *rows, int width, int x, int y);

#endif
