/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_app_text.c — libFuzzer target for kiosk-app's text parsers: the
 * scanned-code acceptance (kapp_case_number_from_scan) and the guide catalog
 * (JSON with aliases and the popular list) followed by searches over it
 * (pinyin matching, alias variants).
 *
 * First byte 0: the rest is a scanned code. Checks: an accepted code gives
 * exactly 14 digits, which end the (trimmed) code, and what precedes them is
 * empty or one of the configured prefixes. Otherwise: the rest is "query\n
 * catalog JSON"; a parsed catalog is searched with the query (and its
 * prefixes); hits are valid guide indexes, in number at most the total.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

#define FAIL(...)                                                                           \
	do {                                                                                \
		fprintf(stderr, "fuzz_app_text: " __VA_ARGS__);                             \
		fputc('\n', stderr);                                                        \
		abort();                                                                    \
	} while (0)

static const char *const prefixes = "https://zwfw.example.gov.cn/case?no= https://b.example/c/";

static void scan(const char *code)
{
	char out[40];
	if (!kapp_case_number_from_scan(code, prefixes, out, sizeof out))
		return;
	if (!kapp_case_number_valid(out))
		FAIL("accepted '%s' as '%s'", code, out);
	size_t n = strlen(code);
	while (n && (code[n - 1] == '\r' || code[n - 1] == '\n' || code[n - 1] == ' '))
		n--;
	if (n < KAPP_CASE_DIGITS || memcmp(code + n - KAPP_CASE_DIGITS, out, KAPP_CASE_DIGITS))
		FAIL("'%s' does not end with its number %s", code, out);
	size_t pre = n - KAPP_CASE_DIGITS;
	if (pre && !((pre == 36 && !memcmp(code, "https://zwfw.example.gov.cn/case?no=", 36)) ||
		     (pre == 20 && !memcmp(code, "https://b.example/c/", 20))))
		FAIL("'%s' accepted with a foreign prefix", code);
}

static void catalog(const char *text, size_t len)
{
	const char *nl = memchr(text, '\n', len);
	if (!nl)
		return;
	char query[128];
	size_t ql = (size_t)(nl - text) < sizeof query - 1 ? (size_t)(nl - text) : sizeof query - 1;
	memcpy(query, text, ql);
	query[ql] = 0;
	struct kapp_catalog *cat = NULL;
	char err[256];
	const char *json = nl + 1;
	if (kapp_catalog_parse(json, len - (size_t)(json - text), &cat, err, sizeof err))
		return;
	struct kapp_search *s = kapp_search_new(cat);
	if (s) {
		uint32_t hits[64];
		for (size_t k = ql; k > 0; k = k > 8 ? k - 8 : 0) { /* the query as it is typed */
			query[k] = 0;
			size_t total = 0;
			size_t n = kapp_search_run(s, query, NULL, NULL, hits, 64, &total);
			if (n > total || n > 64)
				FAIL("%zu hits of %zu", n, total);
			for (size_t i = 0; i < n; i++)
				if (hits[i] >= cat->n)
					FAIL("hit %u of %zu guides", hits[i], cat->n);
			const char *words[8];
			if (kapp_search_words(s, query, words, 8) > 8)
				FAIL("too many words");
		}
		uint32_t pop[64];
		size_t np = kapp_catalog_popular(cat, pop, 64);
		for (size_t i = 0; i < np; i++)
			if (pop[i] >= cat->n || !cat->guides[pop[i]].popular)
				FAIL("popular %u is not a popular guide", pop[i]);
		kapp_search_free(s);
	}
	kapp_catalog_free(cat);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 65536)
		return 0;
	char *text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = 0;
	if (data[0] == 0)
		scan(text);
	else
		catalog(text, strnlen(text, size - 1));
	free(text);
	return 0;
}
