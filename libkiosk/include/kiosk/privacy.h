/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kiosk/privacy.h — THE masking policy for personal data shown on screens,
 * printed in logs or handed to a web page without the right to see it.
 * The library (logs, masked card JSON), kioskctl, kiosk-app and the Python
 * package all call these functions, so one card looks the same everywhere.
 *
 * Name (UTF-8): the first character is kept; with three characters or more
 * the last one is kept too when it is a Chinese (non-ASCII) character; the
 * characters between become one '*' for Chinese names and one '*' each for
 * Latin letters; a name of one character gets a '*' after it, so that no
 * whole name is ever shown.
 *     韩梅梅 → 韩*梅     张三 → 张*     欧阳娜娜 → 欧*娜     Li Lei → L*****     李 → 李*
 * ID or card number: ten characters or more keep the first 4 and the last 4,
 * every other character becomes '*'; shorter numbers keep only their last 2.
 *     100101199001010028 → 1001**********0028     12345 → ***45
 * Address (UTF-8): the first two characters, then "***".
 *     北京市东城区… → 北京***
 *
 * Every function writes a NUL-terminated result into buf (at most len bytes,
 * cut at a character boundary) and returns buf; NULL or "" input gives "".
 * A buffer of strlen(input) + 4 bytes always holds the whole result.
 * They allocate nothing and are safe from any thread.
 */
#ifndef KIOSK_PRIVACY_H
#define KIOSK_PRIVACY_H

#include <kiosk/common.h>

KIOSK_BEGIN_DECLS

/** Masks a person's name (韩梅梅 → 韩*梅, 张三 → 张*). Returns buf ("" if len is 0 and buf is NULL). */
KIOSK_API const char *kiosk_mask_name(const char *name, char *buf, size_t len);

/** Masks an ID or card number (100101199001010028 → 1001**********0028). Returns buf. */
KIOSK_API const char *kiosk_mask_id_number(const char *number, char *buf, size_t len);

/** Masks an address to its first two characters (北京市… → 北京***). Returns buf. */
KIOSK_API const char *kiosk_mask_address(const char *address, char *buf, size_t len);

KIOSK_END_DECLS

#endif
