/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tokens.h — the token file: one "TOKEN RIGHTS" line each, RIGHTS a comma
 * list of devices, pii, admin (docs/kioskd.md). Tokens are kept only as
 * SHA-256 digests and compared in constant time.
 */
#ifndef KIOSKD_TOKENS_H
#define KIOSKD_TOKENS_H

#include <stddef.h>

enum kd_right {
	KD_RIGHT_DEVICES = 1 << 0, /* status, read cards, print, scan */
	KD_RIGHT_PII = 1 << 1,     /* unmasked card fields and the photo */
	KD_RIGHT_ADMIN = 1 << 2,
};

struct kd_tokens;

/*
 * Loads `path`. Refuses (returns NULL, reason in `err`) a file that others
 * may read or write, that is not a regular file, or that has a malformed
 * line or an unknown right.
 */
struct kd_tokens *kd_tokens_load(const char *path, char *err, size_t err_len);

/* Rights of `token` (len bytes), or -1 when it is not in the file. Constant time
 * in the token's content (every entry is compared). */
int kd_tokens_check(const struct kd_tokens *t, const char *token, size_t len);

/* Number of tokens. */
size_t kd_tokens_count(const struct kd_tokens *t);

void kd_tokens_free(struct kd_tokens *t);

/* Parses a rights list ("devices,pii"); -1 for an unknown right. */
int kd_rights_parse(const char *list);

#endif
