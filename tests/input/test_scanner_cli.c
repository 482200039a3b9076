/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_scanner_cli.c — `kioskctl scan` against a spawned `kiosk-sim scanner`
 * (pty): a code with each terminator, split and noisy transmission, a code
 * cut off by the emulator (never printed), --json, and the exit codes of a
 * timeout (1, one line on stderr) and of a bad command line (2); and a
 * keyboard-wedge scanner found by USB id, replayed through umockdev-run.
 */
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test.h"
#include "evdev_ioctl.h"

extern char **environ;

struct proc {
	int pid;
};

/* Starts kiosk-sim scanner ARGS…; reads its URI line. */
static int sim_start(struct proc *p, char *uri, size_t uri_len, const char *const *args)
{
	p->pid = test_sim_start("scanner", args, uri, uri_len);
	return p->pid > 0 ? 0 : -1;
}

static void sim_stop_proc(struct proc *p)
{
	test_sim_stop(p->pid);
}

/* Runs kioskctl ARGS; stdout and stderr into the buffers. Returns the exit code. */
static int kioskctl(const char *args, char *out, size_t out_len, char *err, size_t err_len)
{
	char errpath[] = "/tmp/kiosk-scan-err-XXXXXX";
	int fd = mkstemp(errpath);
	close(fd);
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "%s/examples/kioskctl/kioskctl %s 2>%s", KIOSK_BINARY_DIR, args,
		 errpath);
	FILE *p = popen(cmd, "r");
	size_t n = p ? fread(out, 1, out_len - 1, p) : 0;
	out[n] = 0;
	int st = p ? pclose(p) : -1;
	FILE *f = fopen(errpath, "r");
	n = f ? fread(err, 1, err_len - 1, f) : 0;
	err[n] = 0;
	if (f)
		fclose(f);
	unlink(errpath);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void scan_case(const char *const *sim_args, const char *uri_extra, const char *want)
{
	struct proc p;
	char uri[512], args[1024], out[4096], err[4096];
	if (sim_start(&p, uri, sizeof uri, sim_args) < 0) {
		CHECK(0);
		return;
	}
	CHECK(!strncmp(uri, "serial:/dev/", 12));
	snprintf(args, sizeof args, "scan --device '%s%s' --timeout 10", uri, uri_extra);
	int rc = kioskctl(args, out, sizeof out, err, sizeof err);
	CHECK_EQ_INT(rc, 0);
	char expect[512];
	snprintf(expect, sizeof expect, "%s\n", want);
	CHECK_STR(out, expect);
	if (rc)
		fprintf(stderr, "stderr: %s", err);
	sim_stop_proc(&p);
}

int main(void)
{
	char exe[512];
	snprintf(exe, sizeof exe, "%s/hw/sim/kiosk-sim", KIOSK_BINARY_DIR);
	if (access(exe, X_OK) != 0)
		test_skip("kiosk-sim not built");

	/* Each terminator, repeated so a slow start cannot miss it. */
	const char *cr[] = {"--terminator", "cr", "--code", "CASE-2026-000123", "--delay", "100",
			    "--interval", "150", "--repeat", NULL};
	scan_case(cr, "", "CASE-2026-000123");
	const char *lf[] = {"--terminator", "lf", "--code", "https://zwfw.example.gov.cn/c/42",
			    "--delay", "100", "--interval", "150", "--repeat", NULL};
	scan_case(lf, "", "https://zwfw.example.gov.cn/c/42");
	const char *crlf[] = {"--terminator", "crlf", "--code", "办件编号 2026-7", "--delay", "100",
			      "--interval", "150", "--repeat", NULL};
	scan_case(crlf, "", "办件编号 2026-7");
	/* Split into 1–3 byte writes with line noise around: the same code. The
	 * first code must not start before kioskctl has opened the port (opening
	 * flushes what is pending, and a code's tail looks like a whole code):
	 * under ThreadSanitizer kioskctl takes far longer to start. */
#ifdef __SANITIZE_THREAD__
#define NOISY_DELAY "3000"
#else
#define NOISY_DELAY "600"
#endif
	const char *noisy[] = {"--terminator", "crlf", "--split", "--noise", "--code", "SPLIT+NOISE",
			       "--delay", NOISY_DELAY, "--interval", "150", "--repeat", NULL};
	scan_case(noisy, "", "SPLIT+NOISE");
	/* The first code is cut off half-way: only the second may come out. */
	const char *cut[] = {"--code", "CUT-OFF-CODE", "--code", "GOOD", "--truncate", "1",
			     "--gap", "800", "--delay", "300", "--interval", "100", NULL};
	scan_case(cut, "&char_timeout_ms=200", "GOOD");

	/* --json */
	struct proc p;
	char uri[512], args[1024], out[4096], err[4096];
	const char *js[] = {"--code", "A\"B", "--delay", "100", "--interval", "150", "--repeat", NULL};
	if (sim_start(&p, uri, sizeof uri, js) == 0) {
		snprintf(args, sizeof args, "scan --device '%s' --timeout 10 --json", uri);
		CHECK_EQ_INT(kioskctl(args, out, sizeof out, err, sizeof err), 0);
		CHECK_STR(out, "{\"code\": \"A\\\"B\", \"length\": 3}\n");
		sim_stop_proc(&p);
	} else {
		CHECK(0);
	}

	/* Timeout: exit 1 and exactly one line on stderr. */
	const char *late[] = {"--delay", "60000", NULL};
	if (sim_start(&p, uri, sizeof uri, late) == 0) {
		snprintf(args, sizeof args, "scan --device '%s' --timeout 0.5", uri);
		CHECK_EQ_INT(kioskctl(args, out, sizeof out, err, sizeof err), 1);
		CHECK_STR(out, "");
		CHECK(strstr(err, "no scan within") != NULL);
		char *nl = strchr(err, '\n');
		CHECK(nl && nl[1] == 0);
		sim_stop_proc(&p);
	} else {
		CHECK(0);
	}

	/* A keyboard-wedge scanner: kiosk-sim writes the key events (evemu) and
	 * the umockdev description; kioskctl reads it by USB id under umockdev-run. */
	if (test_have_program("umockdev-run")) {
		char dir[] = "/tmp/kiosk-wedge-XXXXXX";
		if (mkdtemp(dir)) {
			char cmd[2048];
			snprintf(cmd, sizeof cmd,
				 "cd %s && %s/hw/sim/kiosk-sim scanner --evemu wedge.events "
				 "--code 'Kiosk-42!' --delay 300 > wedge.out && tail -n +2 wedge.out > "
				 "wedge.umockdev && head -1 wedge.out",
				 dir, KIOSK_BINARY_DIR);
			FILE *pp = popen(cmd, "r");
			char first[256] = "";
			if (pp) {
				if (!fgets(first, sizeof first, pp))
					first[0] = 0;
				pclose(pp);
			}
			CHECK_STR(first, "evdev:/dev/input/event7\n");
			/* what libevdev reads of the node: a keyboard's capabilities */
			char ioctl_path[512];
			snprintf(ioctl_path, sizeof ioctl_path, "%s/wedge.ioctl", dir);
			FILE *io = fopen(ioctl_path, "w");
			CHECK(io != NULL);
			if (io) {
				test_evdev_ioctl_script(io, "/dev/input/event7", &test_evdev_scanner_caps);
				fclose(io);
			}
			snprintf(args, sizeof args, "scan --device usb:1d6b:0104 --timeout 10");
			snprintf(cmd, sizeof cmd,
				 "cd %s && umockdev-run -d wedge.umockdev -i /dev/input/event7=wedge.ioctl "
				 "-e /dev/input/event7=wedge.events -- %s/examples/kioskctl/kioskctl %s; "
				 "echo rc=$?; rm -f wedge.*",
				 dir, KIOSK_BINARY_DIR, args);
			pp = popen(cmd, "r");
			size_t n = pp ? fread(out, 1, sizeof out - 1, pp) : 0;
			out[n] = 0;
			if (pp)
				pclose(pp);
			CHECK_STR(out, "Kiosk-42!\nrc=0\n");
			rmdir(dir);
		}
	} else {
		fprintf(stderr, "note: umockdev-run missing: wedge part skipped\n");
	}

	/* Usage errors: 2; a device that is not there: 1. */
	CHECK_EQ_INT(kioskctl("scan", out, sizeof out, err, sizeof err), 2);
	CHECK_EQ_INT(kioskctl("scan --device serial:/dev/pts/0 --timeout abc", out, sizeof out, err,
			      sizeof err), 2);
	CHECK_EQ_INT(kioskctl("scan --device serial:/nonexistent --timeout 1", out, sizeof out, err,
			      sizeof err), 1);
	CHECK(strstr(err, "kioskctl: scan:") == err);
	CHECK_EQ_INT(kioskctl("scan --device bogus --timeout 1", out, sizeof out, err, sizeof err), 1);
	return test_done("test_scanner_cli");
}
