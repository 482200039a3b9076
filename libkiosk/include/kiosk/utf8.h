/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/utf8.h — the UTF-8 steps libkiosk uses for card fields and receipt
 * text, for programs that walk the same strings (kioskctl, kiosk-app):
 * strict (no overlong forms, no surrogates, nothing above U+10FFFF).
 */
#ifndef KIOSK_UTF8_H
#define KIOSK_UTF8_H

#include <kiosk/common.h>

KIOSK_BEGIN_DECLS

/**
 * Decodes the character at s (at most `len` bytes are read; a NUL ends the
 * input early). Returns its length in bytes (1–4) and sets *cp, or returns
 * 0 and sets *cp to U+FFFD for an invalid or cut-off sequence (skip one
 * byte and go on). `len` 0 returns 0.
 */
KIOSK_API size_t kiosk_utf8_decode(const char *s, size_t len, uint32_t *cp);

/** Encodes `cp` into out (no NUL added). Returns 1–4, or 0 for a surrogate or a value above U+10FFFF. */
KIOSK_API size_t kiosk_utf8_encode(uint32_t cp, char out[4]);

/** The offset of the first invalid sequence in s[0..len), or -1 if all is valid UTF-8. */
KIOSK_API long kiosk_utf8_invalid_at(const char *s, size_t len);

KIOSK_END_DECLS

#endif
