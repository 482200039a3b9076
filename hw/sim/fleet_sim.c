/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fleet_sim.c — `kiosk-sim fleet`: N simulated terminals reporting to one
 * MQTT broker, for the scale benchmark (tests/bench/fleet_scale.py) and its
 * smoke test. Unlike the device emulators this is a client of libkiosk:
 * each terminal is a real fleet-module client — its own kiosk_context, its
 * own kiosk_fleet (own MQTT connection, own network thread, own SQLite
 * event queue file) — with one emulated printer whose state churns.
 *
 * The printer is a driver-API-level fake device (no transport, URI ""):
 * its changes go through the library's real event path —
 * kioski_device_set_state() and a posted KIOSK_EVENT_PRINTER_STATUS, then
 * kiosk_context_dispatch(), where the fleet module observes them exactly as
 * it observes a real printer. An emulated printer per terminal on a real
 * transport (kiosk-sim printer) would add a device thread and two sockets
 * per terminal and measure the emulator, not the fleet path.
 *
 * One process holds as many terminals as its file limit allows (each needs
 * 8 descriptors: the MQTT socket, libmosquitto's wake-up socket pair,
 * the module's eventfd, the SQLite file and its -wal and -shm files, and the
 * context's eventfd); beyond that the terminals are spread over worker
 * processes (--per-process). docs/fleet.md ("Scaling out") has the figures.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <kiosk/fleet.h>
#include <kiosk/kiosk.h>
#include "driver.h"
#include "sim.h"

#define FDS_PER_TERMINAL 8
#define FD_RESERVE 64

struct fleet_opts {
	int kiosks, churn_ms, duration_s, connect_timeout_s, per_process, keepalive_s, hold_s;
	const char *broker, *hall, *queue_dir, *prefix, *user, *password_file;
};

struct terminal {
	kiosk_context *ctx;
	kiosk_device *printer;
	kiosk_fleet *fleet;
	uint64_t next_ms;
	unsigned step;
};

static const struct kioski_driver fake_printer = {
	.id = "sim-fleet",
	.full_name = "kiosk-sim fleet: emulated printer (no transport)",
	.cls = KIOSK_CLASS_PRINTER,
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kiosk-sim fleet --kiosks N --broker mqtt://HOST:PORT --hall HALL [OPTIONS]\n"
		"  --kiosks N            simulated terminals (1..100000)\n"
		"  --broker URI          mqtt://HOST[:PORT] or mqtts://HOST[:PORT]\n"
		"  --hall HALL           hall id of every terminal\n"
		"  --prefix P            terminal ids are P00001, P00002, … (default sim-)\n"
		"  --churn-ms MS         mean time between printer changes of one terminal\n"
		"                        (default 10000; 0: no churn)\n"
		"  --duration S          seconds of churn once every terminal is online (default 30)\n"
		"  --connect-timeout S   give up when not all are online after S seconds (default 120)\n"
		"  --keepalive S         MQTT keep-alive of each terminal (default 30)\n"
		"  --queue-dir DIR       where the terminals' event queues go (default: a new\n"
		"                        directory under $TMPDIR, removed at exit)\n"
		"  --per-process M       terminals per worker process (default: as many as the\n"
		"                        file limit allows, 8 descriptors each)\n"
		"  --hold S              after the churn, stay connected S seconds more and print\n"
		"                        'connected kiosks=K' whenever K changes (a broker restart)\n"
		"  --user U              MQTT user name of every terminal\n"
		"  --password-file F     file whose first line is the MQTT password\n"
		"Prints key=value lines: 'online', 'churn start_ms=…', 'churn end_ms=… changes=…',\n"
		"'rss …'. Exit 0 when every terminal came online and churned, 1 otherwise.\n");
}

/* A field of /proc/self/status in KiB ("VmRSS", "RssAnon"), or -1. */
static long status_kib(const char *key)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;
	size_t n = strlen(key);
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			kib = strtol(line + n + 1, NULL, 10);
			break;
		}
	if (f)
		fclose(f);
	return kib;
}

static int64_t real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- one terminal ------------------------------------------------------ */

static int terminal_open(struct terminal *t, const struct fleet_opts *o, int index,
			 const char *password)
{
	char id[80], path[4096];
	snprintf(id, sizeof id, "%s%05d", o->prefix, index);
	snprintf(path, sizeof path, "%s/%s.db", o->queue_dir, id);
	if (kiosk_context_new(&t->ctx))
		return -1;
	kiosk_context_set_log(t->ctx, KIOSK_LOG_ERROR, NULL, NULL);
	t->printer = calloc(1, sizeof *t->printer);
	if (!t->printer || kioski_device_init(t->printer, t->ctx, KIOSK_CLASS_PRINTER, &fake_printer,
					      NULL)) {
		free(t->printer);
		t->printer = NULL;
		return -1;
	}
	struct kiosk_fleet_options fo = KIOSK_FLEET_OPTIONS_INIT;
	fo.broker = o->broker;
	fo.hall = o->hall;
	fo.kiosk_id = id;
	fo.program = "kiosk-sim";
	fo.username = o->user;
	fo.password = password;
	fo.queue_path = path;
	fo.keepalive_s = o->keepalive_s;
	if (kiosk_fleet_new(t->ctx, &fo, &t->fleet)) {
		fprintf(stderr, "kiosk-sim fleet: %s: %s\n", id, kiosk_context_last_error(t->ctx));
		return -1;
	}
	kioski_device_set_state(t->printer, KIOSK_DEVICE_ONLINE, 0);
	kiosk_context_dispatch(t->ctx); /* the fleet learns the printer */
	return 0;
}

static void terminal_drain(struct terminal *t)
{
	kiosk_context_dispatch(t->ctx);
	kiosk_event *ev;
	while ((ev = kiosk_context_next_event(t->ctx)))
		kiosk_event_free(ev);
}

static void post_paper(struct terminal *t, enum kiosk_paper_state paper)
{
	struct kiosk_printer_status *st = calloc(1, sizeof *st);
	kiosk_event *ev = st ? kioski_event_new(KIOSK_EVENT_PRINTER_STATUS, t->printer, "") : NULL;
	if (!ev) {
		free(st);
		return;
	}
	st->size = sizeof *st;
	st->paper = paper;
	st->cover_open = KIOSK_NO;
	st->online = KIOSK_YES;
	st->time_ms = kioski_now_ms();
	kioski_event_set_payload(ev, st, free);
	kioski_post_event(t->ctx, ev);
}

/* One change of the printer, in a cycle a hall knows: paper low, paper
 * out, paper refilled, unplugged, back. Each is a retained device/printer
 * message (and, but for the refill, a queued event). */
static void terminal_churn(struct terminal *t)
{
	switch (t->step++ % 5) {
	case 0: post_paper(t, KIOSK_PAPER_NEAR_END); break;
	case 1: post_paper(t, KIOSK_PAPER_OUT); break;
	case 2: post_paper(t, KIOSK_PAPER_OK); break;
	case 3: kioski_device_set_state(t->printer, KIOSK_DEVICE_OFFLINE, KIOSK_E_NO_DEVICE); break;
	default: kioski_device_set_state(t->printer, KIOSK_DEVICE_ONLINE, 0); break;
	}
	terminal_drain(t);
}

static void terminal_close(struct terminal *t)
{
	kiosk_fleet_free(t->fleet);
	if (t->printer) {
		terminal_drain(t);
		kioski_device_stop(t->printer);
		kioski_device_fini(t->printer);
		free(t->printer);
	}
	kiosk_context_free(t->ctx);
}

/* ---- a worker process: terminals [first, first + n) -------------------- */

static bool read_line(int fd, char *buf, size_t size, int timeout_ms)
{
	size_t n = 0;
	uint64_t deadline = sim_now_ms() + (uint64_t)timeout_ms;
	while (n + 1 < size) {
		int left = (int)(deadline - sim_now_ms());
		if (left <= 0 || sim_read_timeout(fd, buf + n, 1, left) != 1)
			return false;
		if (buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = 0;
	return true;
}

static int worker(const struct fleet_opts *o, int first, int n, const char *password, int up,
		  int down)
{
	long base = status_kib("VmRSS"), base_anon = status_kib("RssAnon");
	struct terminal *ts = calloc((size_t)n, sizeof *ts);
	int opened = 0;
	while (ts && opened < n && !sim_stop) {
		if (terminal_open(&ts[opened], o, first + opened, password)) {
			terminal_close(&ts[opened]);
			break;
		}
		opened++;
	}
	/* Wait until every terminal is connected (none when one failed to open:
	 * the run is lost anyway). */
	uint64_t deadline = sim_now_ms() + (uint64_t)o->connect_timeout_s * 1000;
	int online = 0;
	while (!sim_stop && opened == n) {
		online = 0;
		for (int i = 0; i < opened; i++)
			online += kiosk_fleet_is_connected(ts[i].fleet);
		if (online == n || sim_now_ms() >= deadline)
			break;
		sim_sleep_ms(100);
	}
	dprintf(up, "R %d %ld %ld\n", online, base, base_anon);
	char line[64];
	bool go = online == n && read_line(down, line, sizeof line,
					    (o->connect_timeout_s + 60) * 1000) && line[0] == 'G';
	long changes = 0;
	if (go && o->churn_ms > 0) {
		uint64_t start = sim_now_ms(), end = start + (uint64_t)o->duration_s * 1000;
		unsigned seed = (unsigned)getpid();
		for (int i = 0; i < n; i++)
			ts[i].next_ms = start + (uint64_t)(rand_r(&seed) % (unsigned)o->churn_ms);
		while (!sim_stop) {
			uint64_t now = sim_now_ms(), next = end;
			if (now >= end)
				break;
			for (int i = 0; i < n; i++) {
				if (ts[i].next_ms <= now) {
					terminal_churn(&ts[i]);
					changes++;
					/* mean churn_ms, spread over ±50 % */
					ts[i].next_ms += (uint64_t)o->churn_ms / 2 +
							 rand_r(&seed) % (unsigned)(o->churn_ms + 1);
					now = sim_now_ms();
				}
				if (ts[i].next_ms < next)
					next = ts[i].next_ms;
			}
			if (next > now)
				sim_sleep_ms((int)(next - now > 20 ? 20 : next - now));
		}
	} else if (go) {
		for (int s = 0; s < o->duration_s * 10 && !sim_stop; s++)
			sim_sleep_ms(100);
	}
	/* Everything published? (device/… messages are in libmosquitto's
	 * queue; give the network threads a moment.) */
	sim_sleep_ms(500);
	dprintf(up, "D %ld %ld %ld\n", changes, status_kib("VmRSS"), status_kib("RssAnon"));
	/* --hold: stay connected and say how many are, four times a second
	 * (the benchmark restarts the broker meanwhile). */
	uint64_t hold_end = sim_now_ms() + (uint64_t)o->hold_s * 1000;
	while (go && !sim_stop && sim_now_ms() < hold_end) {
		int on = 0;
		for (int i = 0; i < n; i++)
			on += kiosk_fleet_is_connected(ts[i].fleet);
		dprintf(up, "C %d\n", on);
		sim_sleep_ms(250);
	}
	for (int i = 0; i < opened; i++)
		terminal_close(&ts[i]);
	free(ts);
	return go ? 0 : 1;
}

/* ---- the coordinating process --------------------------------------------- */

/* Removes the queue directory we made (flat: NAME.db, -wal, -shm). */
static void remove_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	if (rmdir(path))
		fprintf(stderr, "kiosk-sim fleet: cannot remove %s: %s\n", path, strerror(errno));
}

static char *read_password(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char buf[512];
	char *p = fgets(buf, sizeof buf, f) ? strdup(buf) : NULL;
	fclose(f);
	if (p)
		p[strcspn(p, "\r\n")] = 0;
	return p;
}

struct worker_link {
	pid_t pid;
	int up, down;
};

/* --hold: prints "connected kiosks=K t_ms=…" whenever the number of
 * connected terminals changes, until the workers stop reporting. */
static int hold(struct worker_link *ws, int nw, int kiosks, int hold_s)
{
	int *count = calloc((size_t)nw, sizeof *count), last = -1;
	struct pollfd *p = calloc((size_t)nw, sizeof *p);
	char (*buf)[64] = calloc((size_t)nw, sizeof *buf);
	size_t *len = calloc((size_t)nw, sizeof *len);
	int open = nw;
	uint64_t deadline = sim_now_ms() + (uint64_t)hold_s * 1000 + 10000;
	for (int i = 0; count && p && buf && len && i < nw; i++) {
		count[i] = kiosks / nw; /* all were online */
		p[i] = (struct pollfd){.fd = ws[i].up, .events = POLLIN};
	}
	while (count && p && buf && len && open > 0 && sim_now_ms() < deadline && !sim_stop) {
		if (poll(p, (nfds_t)nw, 1000) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < nw; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP)))
				continue;
			char c;
			if (read(p[i].fd, &c, 1) != 1) {
				p[i].fd = -1;
				open--;
				continue;
			}
			if (c != '\n') {
				if (len[i] + 1 < sizeof buf[i])
					buf[i][len[i]++] = c;
				continue;
			}
			buf[i][len[i]] = 0;
			len[i] = 0;
			sscanf(buf[i], "C %d", &count[i]);
		}
		int sum = 0;
		for (int i = 0; count && i < nw; i++)
			sum += count[i];
		if (sum != last)
			printf("connected kiosks=%d t_ms=%lld\n", sum, (long long)real_ms());
		last = sum;
	}
	free(count);
	free(p);
	free(buf);
	free(len);
	return 0;
}

int sim_fleet_main(int argc, char **argv)
{
	struct fleet_opts o = {.churn_ms = 10000, .duration_s = 30, .connect_timeout_s = 120,
			       .keepalive_s = 30, .prefix = "sim-"};
	static const struct option longopts[] = {
		{"kiosks", required_argument, NULL, 'n'},
		{"broker", required_argument, NULL, 'b'},
		{"hall", required_argument, NULL, 'H'},
		{"prefix", required_argument, NULL, 'P'},
		{"churn-ms", required_argument, NULL, 'c'},
		{"duration", required_argument, NULL, 'd'},
		{"connect-timeout", required_argument, NULL, 't'},
		{"keepalive", required_argument, NULL, 'k'},
		{"queue-dir", required_argument, NULL, 'q'},
		{"per-process", required_argument, NULL, 'p'},
		{"hold", required_argument, NULL, 'o'},
		{"user", required_argument, NULL, 'u'},
		{"password-file", required_argument, NULL, 'w'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': o.kiosks = atoi(optarg); break;
		case 'b': o.broker = optarg; break;
		case 'H': o.hall = optarg; break;
		case 'P': o.prefix = optarg; break;
		case 'c': o.churn_ms = atoi(optarg); break;
		case 'd': o.duration_s = atoi(optarg); break;
		case 't': o.connect_timeout_s = atoi(optarg); break;
		case 'k': o.keepalive_s = atoi(optarg); break;
		case 'q': o.queue_dir = optarg; break;
		case 'p': o.per_process = atoi(optarg); break;
		case 'o': o.hold_s = atoi(optarg); break;
		case 'u': o.user = optarg; break;
		case 'w': o.password_file = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (o.kiosks < 1 || o.kiosks > 100000 || !o.broker || !o.hall || o.churn_ms < 0 ||
	    o.duration_s < 0 || o.hold_s < 0 || o.connect_timeout_s < 1 || o.per_process < 0 ||
	    optind < argc) {
		fprintf(stderr, "kiosk-sim fleet: --kiosks 1..100000, --broker and --hall are required\n");
		usage(stderr);
		return 2;
	}
	char *password = NULL;
	if (o.password_file && !(password = read_password(o.password_file))) {
		fprintf(stderr, "kiosk-sim fleet: cannot read %s: %s\n", o.password_file, strerror(errno));
		return 2;
	}
	char tmpdir[4096] = "";
	if (!o.queue_dir) {
		const char *t = getenv("TMPDIR");
		snprintf(tmpdir, sizeof tmpdir, "%s/kiosk-sim-fleet-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(tmpdir)) {
			fprintf(stderr, "kiosk-sim fleet: mkdtemp: %s\n", strerror(errno));
			return 2;
		}
		o.queue_dir = tmpdir;
	} else if (mkdir(o.queue_dir, 0700) && errno != EEXIST) {
		fprintf(stderr, "kiosk-sim fleet: %s: %s\n", o.queue_dir, strerror(errno));
		return 2;
	}

	/* Raise the soft file limit to the hard one; share out terminals. */
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	long cap = ((long)rl.rlim_cur - FD_RESERVE) / FDS_PER_TERMINAL;
	if (rl.rlim_cur == RLIM_INFINITY || cap > 100000)
		cap = 100000;
	int per = o.per_process > 0 ? o.per_process : (int)(cap < 1 ? 1 : cap);
	if (per > cap) {
		fprintf(stderr, "kiosk-sim fleet: --per-process %d needs %d files, the limit is %ld\n",
			per, per * FDS_PER_TERMINAL + FD_RESERVE, (long)rl.rlim_cur);
		free(password);
		return 2;
	}
	int nworkers = (o.kiosks + per - 1) / per;
	printf("fleet kiosks=%d processes=%d per_process=%d nofile=%ld\n", o.kiosks, nworkers,
	       (o.kiosks + nworkers - 1) / nworkers, (long)rl.rlim_cur);

	struct worker_link *ws = calloc((size_t)nworkers, sizeof *ws);
	int started = 0, rc = 1;
	uint64_t t0 = sim_now_ms();
	for (int i = 0; ws && i < nworkers; i++) {
		int first = i * o.kiosks / nworkers, last = (i + 1) * o.kiosks / nworkers;
		int up[2], down[2];
		if (pipe(up) || pipe(down))
			break;
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			close(up[0]);
			close(down[1]);
			for (int k = 0; k < started; k++) {
				close(ws[k].up);
				close(ws[k].down);
			}
			int wrc = worker(&o, first + 1, last - first, password, up[1], down[0]);
			free(ws);
			free(password);
			exit(wrc);
		}
		close(up[1]);
		close(down[0]);
		ws[started++] = (struct worker_link){.pid = pid, .up = up[0], .down = down[1]};
	}
	if (started < nworkers) {
		fprintf(stderr, "kiosk-sim fleet: cannot start worker %d: %s\n", started, strerror(errno));
		goto out;
	}
	/* Every worker reports its terminals online (or the timeout). */
	int online = 0;
	long base = 0, total = 0, base_anon = 0, total_anon = 0, changes = 0;
	char line[128];
	for (int i = 0; i < started; i++) {
		int on = 0;
		long b = 0, ba = 0;
		if (!read_line(ws[i].up, line, sizeof line, (o.connect_timeout_s + 600) * 1000) ||
		    sscanf(line, "R %d %ld %ld", &on, &b, &ba) != 3)
			goto out;
		online += on;
		base += b;
		base_anon += ba;
	}
	printf("online kiosks=%d/%d seconds=%.1f\n", online, o.kiosks, (sim_now_ms() - t0) / 1000.0);
	if (online != o.kiosks) {
		fprintf(stderr, "kiosk-sim fleet: only %d of %d terminals came online within %d s\n",
			online, o.kiosks, o.connect_timeout_s);
		goto out;
	}
	printf("churn start_ms=%lld churn_ms=%d duration_s=%d\n", (long long)real_ms(), o.churn_ms,
	       o.duration_s);
	for (int i = 0; i < started; i++)
		if (write(ws[i].down, "G\n", 2) != 2)
			goto out;
	int64_t end_ms = 0;
	for (int i = 0; i < started; i++) {
		long ch = 0, r = 0, ra = 0;
		if (!read_line(ws[i].up, line, sizeof line, (o.duration_s + 120) * 1000) ||
		    sscanf(line, "D %ld %ld %ld", &ch, &r, &ra) != 3)
			goto out;
		changes += ch;
		total += r;
		total_anon += ra;
		end_ms = real_ms();
	}
	printf("churn end_ms=%lld changes=%ld rate_per_s=%.1f\n", (long long)end_ms, changes,
	       o.duration_s > 0 ? (double)changes / o.duration_s : 0.0);
	/* VmRSS includes the mapped -shm files of the queues (tmpfs or page
	 * cache); RssAnon is the heap and the thread stacks. */
	printf("rss base_kib=%ld total_kib=%ld per_kiosk_kib=%.1f anon_per_kiosk_kib=%.1f\n", base,
	       total, (double)(total - base) / o.kiosks, (double)(total_anon - base_anon) / o.kiosks);
	if (o.hold_s > 0 && hold(ws, started, o.kiosks, o.hold_s))
		goto out;
	rc = 0;
out:
	for (int i = 0; i < started; i++) {
		close(ws[i].down);
		int st;
		if (rc)
			kill(ws[i].pid, SIGTERM);
		if (waitpid(ws[i].pid, &st, 0) == ws[i].pid && (!WIFEXITED(st) || WEXITSTATUS(st)))
			rc = 1;
		close(ws[i].up);
	}
	free(ws);
	free(password);
	if (tmpdir[0])
		remove_dir(tmpdir);
	return rc;
}
