/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_idcard_kioskctl.c — the real kioskctl program against kiosk-sim
 * processes (spawned; the URI is read from the emulator's first line):
 * exit codes, stdout clean on every failure, the JSON contract, and that a
 * failure comes back within the timeout plus a small margin.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>
#include <sys/stat.h>
#include "test.h"

extern char **environ;

static const char *kioskctl_bin = KIOSK_BINARY_DIR "/examples/kioskctl/kioskctl";
static const char *sim_bin = KIOSK_BINARY_DIR "/hw/sim/kiosk-sim";

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct sim {
	pid_t pid;
	char uri[256];
};

/* Starts kiosk-sim idcard ARGS… and reads the URI from its first line. */
static int sim_start(struct sim *s, const char *const *args)
{
	s->pid = test_sim_start("idcard", args, s->uri, sizeof s->uri);
	return s->pid > 0 && strncmp(s->uri, "serial:", 7) == 0 ? 0 : -1;
}

static void sim_end(struct sim *s)
{
	CHECK_EQ_INT(test_sim_stop(s->pid), 0); /* clean shutdown on SIGTERM */
}

struct result {
	int status;
	uint64_t ms;
	char out[16384];
	char err[4096];
};

static void slurp(int fd, char *buf, size_t cap, size_t *len)
{
	ssize_t k = read(fd, buf + *len, cap - 1 - *len);
	if (k > 0)
		*len += (size_t)k;
	buf[*len] = 0;
}

/* Runs kioskctl with args; captures stdout/stderr; kills it after 30 s. */
static void run(struct result *res, const char *const *args)
{
	int o[2], e[2];
	memset(res, 0, sizeof *res);
	if (pipe(o) < 0 || pipe(e) < 0) {
		res->status = -1;
		return;
	}
	const char *argv[32] = {kioskctl_bin};
	int n = 1;
	for (int i = 0; args[i] && n < 30; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, o[1], 1);
	posix_spawn_file_actions_adddup2(&fa, e[1], 2);
	posix_spawn_file_actions_addclose(&fa, o[0]);
	posix_spawn_file_actions_addclose(&fa, e[0]);
	pid_t pid;
	uint64_t t0 = now_ms();
	int r = posix_spawn(&pid, kioskctl_bin, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(o[1]);
	close(e[1]);
	if (r != 0) {
		res->status = -1;
		return;
	}
	size_t ol = 0, el = 0;
	bool o_open = true, e_open = true;
	while ((o_open || e_open) && now_ms() - t0 < 30000) {
		struct pollfd p[2] = {{.fd = o_open ? o[0] : -1, .events = POLLIN},
				      {.fd = e_open ? e[0] : -1, .events = POLLIN}};
		if (poll(p, 2, 200) <= 0)
			continue;
		if (p[0].revents) {
			size_t before = ol;
			slurp(o[0], res->out, sizeof res->out, &ol);
			if (ol == before)
				o_open = false;
		}
		if (p[1].revents) {
			size_t before = el;
			slurp(e[0], res->err, sizeof res->err, &el);
			if (el == before)
				e_open = false;
		}
	}
	int st = 0;
	if (o_open || e_open)
		kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	res->ms = now_ms() - t0;
	res->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	close(o[0]);
	close(e[0]);
}

/* A failure: non-zero exit, empty stdout, exactly one stderr line, in time. */
static void expect_failure(const char *what, const char *const *sim_args, const char *timeout,
			   int budget_ms, const char *err_has)
{
	struct sim s;
	if (sim_start(&s, sim_args) < 0) {
		fprintf(stderr, "%s: cannot start kiosk-sim\n", what);
		test_failures++;
		return;
	}
	struct result r;
	const char *args[] = {"idcard", "read", "--device", s.uri, "--timeout", timeout, "--json", NULL};
	run(&r, args);
	sim_end(&s);
	int lines = 0;
	for (const char *p = r.err; *p; p++)
		lines += *p == '\n';
	if (r.status == 0 || r.out[0] || lines != 1 || (int)r.ms > budget_ms ||
	    (err_has && !strstr(r.err, err_has))) {
		fprintf(stderr, "%s: status %d, %llu ms (budget %d), stdout \"%s\", stderr \"%s\"\n",
			what, r.status, (unsigned long long)r.ms, budget_ms, r.out, r.err);
		test_failures++;
	}
}

static void test_json_contract(void)
{
	static const char *keys[] = {"card_type", "name", "english_name", "sex", "sex_code", "nation",
				     "nation_code", "nationality", "birth_date", "address",
				     "id_number", "id_number_valid", "issuer", "valid_from",
				     "valid_until", "pass_number", "issue_count"};
	static const struct {
		const char *card, *type, *field, *value;
	} cases[] = {
		{"resident", "resident", "address", "测试省样例市虚构区演示路1号模拟小区2栋3单元401室"},
		{"resident-longterm", "resident", "valid_until", "long-term"},
		{"hk_macau_taiwan", "hk_macau_taiwan", "pass_number", "H00000000"},
		{"foreign_permanent", "foreign_permanent", "english_name", "SAMPLE, TESTCARD ALPHA"},
		{"foreign_permanent_2023", "foreign_permanent_2023", "nationality", "CAN"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *sargs[] = {"--card", cases[i].card, NULL};
		struct sim s;
		if (sim_start(&s, sargs) < 0) {
			test_failures++;
			continue;
		}
		struct result r;
		const char *args[] = {"idcard", "read", "--device", s.uri, "--timeout", "5", "--json", NULL};
		run(&r, args);
		CHECK_EQ_INT(r.status, 0);
		cJSON *doc = cJSON_Parse(r.out);
		CHECK(doc != NULL);
		if (doc) {
			CHECK_EQ_INT(cJSON_GetArraySize(doc), (int)(sizeof keys / sizeof keys[0]));
			for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
				CHECK(cJSON_GetObjectItemCaseSensitive(doc, keys[k]) != NULL);
			const cJSON *t = cJSON_GetObjectItemCaseSensitive(doc, "card_type");
			CHECK(cJSON_IsString(t) && !strcmp(t->valuestring, cases[i].type));
			const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, cases[i].field);
			CHECK(cJSON_IsString(v) && !strcmp(v->valuestring, cases[i].value));
			cJSON_Delete(doc);
		}
		/* human listing and --photo: the raw WLT bytes, mode 0600 */
		char photo[] = "/tmp/kiosk-idcard-photo-XXXXXX";
		int fd = mkstemp(photo);
		close(fd);
		chmod(photo, 0644); /* an existing file is made private too */
		const char *args2[] = {"idcard", "read", "--device", s.uri, "--photo", photo, NULL};
		run(&r, args2);
		CHECK_EQ_INT(r.status, 0);
		struct stat st;
		CHECK(stat(photo, &st) == 0 && (st.st_mode & 0777) == 0600);
		CHECK(strstr(r.out, "card type") && strstr(r.out, cases[i].type));
		FILE *f = fopen(photo, "rb");
		char buf[2048];
		size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
		if (f)
			fclose(f);
		CHECK_EQ_INT(n, 1024);
		CHECK(n >= 19 && !memcmp(buf, "KIOSK-SIM SYNTHETIC", 19));
		/* a symbolic link is not followed: a clear error, its target untouched */
		char target[] = "/tmp/kiosk-idcard-target-XXXXXX";
		fd = mkstemp(target);
		close(fd);
		unlink(photo);
		CHECK(symlink(target, photo) == 0);
		run(&r, args2);
		CHECK(r.status != 0);
		CHECK(strstr(r.err, "symbolic link") != NULL);
		CHECK(stat(target, &st) == 0 && st.st_size == 0);
		CHECK(lstat(photo, &st) == 0 && S_ISLNK(st.st_mode));
		unlink(target);
		unlink(photo);
		sim_end(&s);
	}
}

static void test_watch_process(void)
{
	const char *sargs[] = {"--remove-after", "700", NULL};
	struct sim s;
	if (sim_start(&s, sargs) < 0) {
		test_failures++;
		return;
	}
	int o[2];
	CHECK(pipe(o) == 0);
	const char *argv[] = {kioskctl_bin, "idcard", "watch", "--device", s.uri, "--interval", "100", NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, o[1], 1);
	posix_spawn_file_actions_addclose(&fa, o[0]);
	pid_t pid;
	CHECK(posix_spawn(&pid, kioskctl_bin, &fa, NULL, (char *const *)argv, environ) == 0);
	posix_spawn_file_actions_destroy(&fa);
	close(o[1]);
	char out[4096] = "";
	size_t len = 0;
	uint64_t end = now_ms() + 4000;
	while (now_ms() < end && !strstr(out, "card-removed")) {
		struct pollfd p = {.fd = o[0], .events = POLLIN};
		if (poll(&p, 1, 100) > 0)
			slurp(o[0], out, sizeof out, &len);
	}
	kill(pid, SIGINT);
	int st;
	waitpid(pid, &st, 0);
	slurp(o[0], out, sizeof out, &len);
	close(o[0]);
	sim_end(&s);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(strstr(out, "card-inserted resident 韩*梅 1001**********0028\ncard-removed\n") != NULL);
	if (test_failures)
		fprintf(stderr, "watch output: %s\n", out);
}

int main(void)
{
	if (access(kioskctl_bin, X_OK) || access(sim_bin, X_OK))
		test_skip("kioskctl or kiosk-sim not built");
	signal(SIGPIPE, SIG_IGN);
	test_json_contract();
	test_watch_process();

	/* failures: timeout 2 s, budget = timeout + 2 s margin for a loaded machine */
	const char *nocard[] = {"--no-card", NULL};
	expect_failure("no card", nocard, "2", 4000, "KIOSK_E_NO_CARD");
	const char *badsum[] = {"--fault", "bad-checksum", NULL};
	expect_failure("bad checksum", badsum, "2", 4000, "KIOSK_E_CHECKSUM");
	const char *trunc[] = {"--fault", "truncated", NULL};
	expect_failure("truncated", trunc, "2", 4000, "KIOSK_E_PROTOCOL");
	const char *mid[] = {"--fault", "removed-mid-read", NULL};
	expect_failure("removed mid-read", mid, "2", 4000, "then the card was removed");
	const char *sam[] = {"--fault", "sw3=60", NULL};
	expect_failure("SAM self-test", sam, "2", 4000, "KIOSK_E_SAM");
	const char *rd[] = {"--fault", "sw3=41@30", NULL};
	expect_failure("read failed", rd, "2", 4000, "KIOSK_E_CARD");
	const char *slow[] = {"--no-card", "--fault", "slow=400", NULL};
	expect_failure("slow, no card", slow, "2", 4000, "KIOSK_E_NO_CARD");

	/* a device that does not exist */
	struct result r;
	const char *args[] = {"idcard", "read", "--device", "serial:/dev/nonexistent-kiosk-tty",
			      "--timeout", "1", NULL};
	run(&r, args);
	CHECK(r.status != 0 && !r.out[0] && strchr(r.err, '\n') == strrchr(r.err, '\n'));
	/* usage errors exit 2 */
	const char *bad[] = {"idcard", "read", "--timeout", "x", NULL};
	run(&r, bad);
	CHECK_EQ_INT(r.status, 2);
	CHECK(!r.out[0]);
	return test_done("test_idcard_kioskctl");
}
