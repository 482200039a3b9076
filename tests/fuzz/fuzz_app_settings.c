/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_app_settings.c — libFuzzer target for the settings kiosk-app takes from
 * the hall's broker (config/set of the fleet: any client the broker lets write
 * there can send anything; docs/fleet.md).
 *
 * An accepted message only holds known settings within their ranges (a banner
 * of valid UTF-8 without control characters, at most KAPP_BANNER_MAX_CHARS),
 * never marks a setting both set and cleared, and merging it into kept
 * settings and applying them to a configuration keeps every value in range.
 * A refused one always says why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core.h"

#define FAIL(...)                                                                           \
	do {                                                                                \
		fprintf(stderr, "fuzz_app_settings: " __VA_ARGS__);                         \
		fputc('\n', stderr);                                                        \
		abort();                                                                    \
	} while (0)

static void check_config(const struct kapp_config *c)
{
	if (c->idle_warn_s < 5 || c->idle_warn_s > 3600 || c->idle_countdown_s < 3 ||
	    c->idle_countdown_s > 600 || c->attract_s < 10 || c->attract_s > 86400)
		FAIL("applied an idle time out of range: %d %d %d", c->idle_warn_s, c->idle_countdown_s,
		     c->attract_s);
	if (!kapp_banner_valid(c->banner))
		FAIL("applied a banner that is not valid");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	struct kapp_fleet_settings s, kept = {0};
	char err[200] = "";
	memset(&s, 0x5a, sizeof s);
	int rc = kapp_fleet_settings_parse(text, &s, err, sizeof err);
	if (rc != KAPP_OK) {
		if (rc != KAPP_E_DATA || !err[0])
			FAIL("refused (%d) without a reason", rc);
		if (s.set != 0x5a5a5a5au)
			FAIL("a refused message changed the output");
		free(text);
		return 0;
	}
	const unsigned all = KAPP_SET_IDLE_WARN | KAPP_SET_IDLE_COUNTDOWN | KAPP_SET_ATTRACT |
			     KAPP_SET_BANNER | KAPP_SET_LARGE_TEXT;
	if ((s.set | s.clear) & ~all || (s.set & s.clear) || !(s.set | s.clear))
		FAIL("accepted with set %#x clear %#x", s.set, s.clear);
	if ((s.set & KAPP_SET_BANNER) && !kapp_banner_valid(s.banner))
		FAIL("accepted a banner that is not valid");
	kapp_fleet_settings_merge(&kept, &s);
	struct kapp_fleet_settings once = kept;
	kapp_fleet_settings_merge(&kept, &s); /* the same message twice changes nothing more */
	if (kept.set != once.set || kept.clear != once.clear ||
	    ((kept.set & KAPP_SET_IDLE_WARN) && kept.idle_warn_s != once.idle_warn_s) ||
	    ((kept.set & KAPP_SET_IDLE_COUNTDOWN) && kept.idle_countdown_s != once.idle_countdown_s) ||
	    ((kept.set & KAPP_SET_ATTRACT) && kept.attract_s != once.attract_s) ||
	    ((kept.set & KAPP_SET_LARGE_TEXT) && kept.large_text != once.large_text) ||
	    ((kept.set & KAPP_SET_BANNER) && strcmp(kept.banner, once.banner)))
		FAIL("merging the same message twice changed the kept settings");
	struct kapp_config base, out;
	kapp_config_defaults(&base, "/data");
	out = base;
	kapp_fleet_settings_apply(&kept, &base, &out);
	check_config(&out);
	free(text);
	return 0;
}
