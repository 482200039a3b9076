/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kiosk-app: the files it writes (0600 in a 0700 folder, atomic replacement),
 * the maintenance PIN lockout (growing delays, kept across restarts), the
 * guide catalog cache, the refresh back-off and the http:// loopback rule. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"
#include "core.h"

static mode_t mode_of(const char *path)
{
	struct stat st;
	return lstat(path, &st) ? (mode_t)-1 : st.st_mode & 07777;
}

int main(void)
{
	char dir[] = "/tmp/kapp-state.XXXXXX", sub[300], path[400], path2[400], err[300];
	CHECK(mkdtemp(dir) != NULL);
	umask(022);

	/* a private folder: created 0700, and an existing wider one narrowed */
	snprintf(sub, sizeof sub, "%s/a/state", dir);
	CHECK_EQ_INT(kapp_private_dir(sub), 0);
	CHECK_EQ_INT(mode_of(sub), 0700);
	chmod(sub, 0755);
	CHECK_EQ_INT(kapp_private_dir(sub), 0);
	CHECK_EQ_INT(mode_of(sub), 0700);

	/* atomic replacement: 0600, content whole, no temp file left */
	snprintf(path, sizeof path, "%s/f.json", sub);
	CHECK_EQ_INT(kapp_file_replace(path, "{\"a\":1}\n", 8), 0);
	CHECK_EQ_INT(mode_of(path), 0600);
	CHECK_EQ_INT(kapp_file_replace(path, "{}\n", 3), 0);
	size_t len;
	char *text = kapp_read_file(path, &len);
	CHECK(text && len == 3 && !strcmp(text, "{}\n"));
	free(text);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", sub);
	CHECK_EQ_INT(system(cmd), 0);

	/* ratings: appended, 0600, a symlink is not followed */
	snprintf(path, sizeof path, "%s/" KAPP_RATINGS_QUEUE, sub);
	CHECK_EQ_INT(kapp_rating_store(sub, "20261124000001", 5, 0), KAPP_OK);
	CHECK_EQ_INT(kapp_rating_store(sub, "20261124000002", 1, 1), KAPP_OK);
	CHECK_EQ_INT(mode_of(path), 0600);
	text = kapp_read_file(path, &len);
	CHECK(text && strstr(text, "\"level\":5") && strstr(text, "20261124000002"));
	free(text);
	char sub2[320];
	snprintf(sub2, sizeof sub2, "%s/b", dir);
	CHECK_EQ_INT(kapp_private_dir(sub2), 0);
	snprintf(path2, sizeof path2, "%s/elsewhere", dir);
	snprintf(path, sizeof path, "%s/" KAPP_RATINGS_QUEUE, sub2);
	CHECK_EQ_INT(symlink(path2, path), 0);
	CHECK(kapp_rating_store(sub2, "20261124000003", 3, 0) != KAPP_OK);
	CHECK(access(path2, F_OK) != 0);

	/* PIN lockout: three free tries, then base, 2·base, 4·base … capped */
	CHECK_EQ_INT(kapp_pin_lock_delay(1, 30), 0);
	CHECK_EQ_INT(kapp_pin_lock_delay(2, 30), 0);
	CHECK_EQ_INT(kapp_pin_lock_delay(3, 30), 30);
	CHECK_EQ_INT(kapp_pin_lock_delay(4, 30), 60);
	CHECK_EQ_INT(kapp_pin_lock_delay(5, 30), 120);
	CHECK_EQ_INT(kapp_pin_lock_delay(40, 30), KAPP_PIN_MAX_LOCK_S);
	struct kapp_pin_lock l = {0}, back;
	int64_t now = 1790000000;
	kapp_pin_lock_fail(&l, now, 30);
	kapp_pin_lock_fail(&l, now, 30);
	CHECK_EQ_INT(kapp_pin_lock_remaining(&l, now), 0);
	kapp_pin_lock_fail(&l, now, 30);
	CHECK_EQ_INT(kapp_pin_lock_remaining(&l, now), 30);
	CHECK_EQ_INT(kapp_pin_lock_remaining(&l, now + 10), 20);
	CHECK_EQ_INT(kapp_pin_lock_remaining(&l, now + 30), 0);
	CHECK_EQ_INT(kapp_pin_lock_remaining(&l, now - 100000), KAPP_PIN_MAX_LOCK_S); /* clock set back */
	/* kept across a restart, 0600 */
	snprintf(path, sizeof path, "%s/pin-lock.json", sub);
	CHECK_EQ_INT(kapp_pin_lock_load(path, &back, now, 30), KAPP_OK); /* none yet: unlocked */
	CHECK_EQ_INT(back.fails, 0);
	CHECK_EQ_INT(kapp_pin_lock_save(path, &l), KAPP_OK);
	CHECK_EQ_INT(mode_of(path), 0600);
	CHECK_EQ_INT(kapp_pin_lock_load(path, &back, now, 30), KAPP_OK);
	CHECK_EQ_INT(back.fails, 3);
	CHECK_EQ_INT(kapp_pin_lock_remaining(&back, now + 5), 25);
	kapp_pin_lock_fail(&back, now + 40, 30);
	CHECK_EQ_INT(kapp_pin_lock_remaining(&back, now + 40), 60);
	kapp_pin_lock_reset(&back);
	CHECK_EQ_INT(kapp_pin_lock_remaining(&back, now), 0);
	/* a damaged file locks (fail closed) */
	CHECK_EQ_INT(kapp_file_replace(path, "garbage", 7), 0);
	CHECK_EQ_INT(kapp_pin_lock_load(path, &back, now, 30), KAPP_E_DATA);
	CHECK_EQ_INT(kapp_pin_lock_remaining(&back, now), 30);
	/* so does a time no clock can show (found by fuzz_app_pin: it overflowed int64_t) */
	CHECK_EQ_INT(kapp_file_replace(path, "{\"fails\":2,\"until\":1e300}", 25), 0);
	CHECK_EQ_INT(kapp_pin_lock_load(path, &back, now, 30), KAPP_E_DATA);
	CHECK_EQ_INT(kapp_pin_lock_remaining(&back, now), 30);

	/* catalog cache: a good copy is stored and read back; a bad one never replaces it */
	size_t glen;
	char *guides = kapp_read_file(KAPP_TEST_DATA "/guides.json", &glen);
	CHECK(guides != NULL);
	snprintf(path, sizeof path, "%s/catalog-cache.json", sub);
	struct kapp_catalog *cat = NULL;
	int64_t saved = 0;
	CHECK_EQ_INT(kapp_catalog_cache_load(path, &cat, &saved, err, sizeof err), KAPP_NOT_FOUND);
	CHECK_EQ_INT(kapp_catalog_cache_store(path, guides, glen, err, sizeof err), KAPP_OK);
	CHECK_EQ_INT(mode_of(path), 0600);
	CHECK(kapp_catalog_cache_store(path, "{\"format\":\"nope\"}", 17, err, sizeof err) != KAPP_OK);
	CHECK(kapp_catalog_cache_store(path, guides, glen / 2, err, sizeof err) != KAPP_OK);
	CHECK_EQ_INT(kapp_catalog_cache_load(path, &cat, &saved, err, sizeof err), KAPP_OK);
	CHECK(cat && cat->n == 67);
	CHECK(saved > 0);
	kapp_catalog_free(cat);
	free(guides);

	/* background refresh back-off */
	CHECK_EQ_INT(kapp_backoff_ms(0, 300000), 0);
	CHECK_EQ_INT(kapp_backoff_ms(1, 300000), 2000);
	CHECK_EQ_INT(kapp_backoff_ms(2, 300000), 4000);
	CHECK_EQ_INT(kapp_backoff_ms(4, 300000), 16000);
	CHECK_EQ_INT(kapp_backoff_ms(30, 300000), 300000);
	CHECK_EQ_INT(kapp_backoff_ms(30, 5000), 5000);

	/* http:// only to loopback: the token and holder hashes never travel in clear */
	CHECK(kapp_url_allowed("https://zwfw.example.gov.cn/api", err, sizeof err));
	CHECK(kapp_url_allowed("http://127.0.0.1:8080/api", err, sizeof err));
	CHECK(kapp_url_allowed("http://127.1.2.3/", err, sizeof err));
	CHECK(kapp_url_allowed("http://localhost:9000", err, sizeof err));
	CHECK(kapp_url_allowed("http://[::1]:9000/x", err, sizeof err));
	CHECK(!kapp_url_allowed("http://192.0.2.10/api", err, sizeof err));
	CHECK(strstr(err, "192.0.2.10") && strstr(err, "https://"));
	CHECK(!kapp_url_allowed("http://127.0.0.1.evil.example/api", err, sizeof err));
	CHECK(!kapp_url_allowed("http://localhost.evil.example/", err, sizeof err));
	CHECK(!kapp_url_allowed("ftp://127.0.0.1/", err, sizeof err));
	CHECK(!kapp_url_allowed("http://", err, sizeof err));
	CHECK(kapp_backend_http_new("http://198.51.100.7:8080", "tok", NULL, 1000, err, sizeof err) == NULL);

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CHECK_EQ_INT(system(cmd), 0);
	return test_done("app_state");
}
