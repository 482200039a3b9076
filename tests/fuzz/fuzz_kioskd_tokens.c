/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_kioskd_tokens.c — libFuzzer target for kioskd's token-file parser
 * (examples/kioskd/tokens.c).
 *
 * The input is written to a private file and loaded. For any input: no
 * crash or leak; a refusal says why; a loaded file holds at least one token,
 * and every "TOKEN RIGHTS" line of it is found again with exactly the rights
 * it lists, while a token not in the file is not.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tokens.h"

#define FAIL(...)                                                                           \
	do {                                                                                \
		fprintf(stderr, "fuzz_kioskd_tokens: " __VA_ARGS__);                        \
		fputc('\n', stderr);                                                        \
		abort();                                                                    \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof path, "/tmp/fuzz-kioskd-tokens-%d", (int)getpid());
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		FAIL("cannot write %s", path);
	close(fd);
	char err[512] = "";
	struct kd_tokens *t = kd_tokens_load(path, err, sizeof err);
	if (!t) {
		if (!err[0])
			FAIL("refused without a reason");
		return 0;
	}
	if (kd_tokens_count(t) == 0)
		FAIL("loaded a file without tokens");
	/* every well-formed line is found again (the last line of a token wins) */
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *save2 = NULL;
		char *tok = strtok_r(line, " \t\r", &save2); /* the loader's separators */
		char *rights = tok ? strtok_r(NULL, " \t\r", &save2) : NULL;
		if (!tok || !rights || tok[0] == '#' || strtok_r(NULL, " \t\r", &save2))
			continue;
		if (kd_rights_parse(rights) >= 0 && kd_tokens_check(t, tok, strlen(tok)) < 0)
			FAIL("token of a loaded line not found");
	}
	free(text);
	if (kd_tokens_check(t, "\x01not-a-token\x02", 14) >= 0 && !memchr(data, 0x01, size))
		FAIL("an unknown token was accepted");
	kd_tokens_free(t);
	return 0;
}
