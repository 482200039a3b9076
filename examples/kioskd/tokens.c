/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tokens.c — loading the token file and checking presented tokens.
 */
#include "tokens.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <nettle/sha2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TOKEN_MAX 512
#define TOKENS_MAX 1024

struct kd_token {
	uint8_t digest[SHA256_DIGEST_SIZE];
	int rights;
};

struct kd_tokens {
	struct kd_token *v;
	size_t n;
};

static void digest(const char *s, size_t len, uint8_t out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx c;
	sha256_init(&c);
	sha256_update(&c, len, (const uint8_t *)s);
	sha256_digest(&c, SHA256_DIGEST_SIZE, out);
	explicit_bzero(&c, sizeof c);
}

int kd_rights_parse(const char *list)
{
	int rights = 0;
	const char *p = list;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 7 && !strncmp(p, "devices", 7))
			rights |= KD_RIGHT_DEVICES;
		else if (n == 3 && !strncmp(p, "pii", 3))
			rights |= KD_RIGHT_PII;
		else if (n == 5 && !strncmp(p, "admin", 5))
			rights |= KD_RIGHT_ADMIN;
		else
			return -1;
		p += n;
		if (*p == ',')
			p++;
	}
	return rights;
}

struct kd_tokens *kd_tokens_load(const char *path, char *err, size_t err_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		snprintf(err, err_len, "token file %s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, err_len, "token file %s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if (st.st_mode & (S_IROTH | S_IWOTH)) {
		snprintf(err, err_len,
			 "token file %s is accessible to every user (mode %04o): refusing it; "
			 "chmod o-rwx it (e.g. 0640, group kiosk)",
			 path, (unsigned)(st.st_mode & 07777));
		close(fd);
		return NULL;
	}
	FILE *f = fdopen(fd, "r");
	if (!f) {
		snprintf(err, err_len, "token file %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	struct kd_tokens *t = calloc(1, sizeof *t);
	char line[TOKEN_MAX + 128];
	int lineno = 0;
	bool ok = t != NULL;
	if (!ok)
		snprintf(err, err_len, "out of memory");
	while (ok && fgets(line, sizeof line, f)) {
		lineno++;
		size_t len = strlen(line);
		if (len == sizeof line - 1 && line[len - 1] != '\n') {
			snprintf(err, err_len, "token file %s:%d: line too long", path, lineno);
			ok = false;
			break;
		}
		char *save = NULL;
		char *tok = strtok_r(line, " \t\r\n", &save);
		if (!tok || tok[0] == '#')
			continue;
		char *rights = strtok_r(NULL, " \t\r\n", &save);
		char *extra = strtok_r(NULL, " \t\r\n", &save);
		int r = rights ? kd_rights_parse(rights) : -1;
		if (!rights || extra || r < 0 || strlen(tok) > TOKEN_MAX) {
			snprintf(err, err_len,
				 "token file %s:%d: want \"TOKEN RIGHTS\" with RIGHTS a comma list of "
				 "devices, pii, admin",
				 path, lineno);
			ok = false;
		} else if (t->n == TOKENS_MAX) {
			snprintf(err, err_len, "token file %s: more than %d tokens", path, TOKENS_MAX);
			ok = false;
		} else {
			struct kd_token *v = realloc(t->v, (t->n + 1) * sizeof *v);
			if (!v) {
				snprintf(err, err_len, "out of memory");
				ok = false;
			} else {
				t->v = v;
				digest(tok, strlen(tok), v[t->n].digest);
				v[t->n++].rights = r;
			}
		}
		explicit_bzero(line, sizeof line);
	}
	explicit_bzero(line, sizeof line);
	fclose(f);
	if (ok && t->n == 0) {
		snprintf(err, err_len, "token file %s holds no token", path);
		ok = false;
	}
	if (!ok) {
		kd_tokens_free(t);
		return NULL;
	}
	return t;
}

int kd_tokens_check(const struct kd_tokens *t, const char *token, size_t len)
{
	if (!t || !token)
		return -1;
	uint8_t d[SHA256_DIGEST_SIZE];
	digest(token, len, d);
	int found = -1;
	for (size_t i = 0; i < t->n; i++) {
		unsigned diff = 0;
		for (size_t k = 0; k < sizeof d; k++)
			diff |= d[k] ^ t->v[i].digest[k];
		/* no branch on the secret: select the rights by mask */
		int match = -(int)(((diff | (0u - diff)) >> 31) ^ 1u); /* -1 when diff == 0 */
		found = (found & ~match) | (t->v[i].rights & match);
	}
	explicit_bzero(d, sizeof d);
	return found;
}

size_t kd_tokens_count(const struct kd_tokens *t)
{
	return t ? t->n : 0;
}

void kd_tokens_free(struct kd_tokens *t)
{
	if (!t)
		return;
	if (t->v)
		explicit_bzero(t->v, t->n * sizeof *t->v);
	free(t->v);
	free(t);
}
