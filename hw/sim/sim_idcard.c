/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim_idcard.c — SAM_V ID-card reader emulator: `kiosk-sim idcard`.
 *
 * The protocol core (sim_idcard_process) turns host frames into reply bytes;
 * the pty server around it adds timing (slow replies, card removal timers).
 * See sim_idcard.h for the card model and the fault switches.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sim.h"
#include "sim_idcard.h"

enum card_state { CARD_ABSENT, CARD_FRESH, CARD_SELECTED, CARD_HALTED };

struct sim_idcard {
	pthread_mutex_t lock;
	struct sim_idcard_opts o;
	struct sim_idcard_card card;
	bool have_card;
	enum card_state state;
	uint64_t remove_at; /* ms, 0 = never */
	bool removed_mid_read_done;
	int bad_left, trunc_left;
	uint32_t noise_x;
	uint8_t rx[8192];
	size_t rxlen;
	uint8_t reply_buf[6 + 256 + 1024 + 1024]; /* a read reply's data (per emulator: several may run) */
	struct sim_idcard_stats st;
	/* pty server */
	pthread_t thread;
	bool running;
	atomic_int stop; /* set by sim_idcard_stop() on another thread */
	int master;
};

static const uint8_t preamble[5] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};

struct sim_idcard *sim_idcard_new(const struct sim_idcard_opts *opts)
{
	struct sim_idcard *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	pthread_mutex_init(&s->lock, NULL);
	if (opts)
		s->o = *opts;
	s->o.card_file = NULL;
	s->bad_left = s->o.bad_checksum;
	s->trunc_left = s->o.truncated;
	s->noise_x = 0x12345678u;
	s->master = -1;
	s->st.baud = 115200;
	if (opts && opts->card_file && sim_idcard_set_card(s, opts->card_file) < 0) {
		sim_idcard_free(s);
		return NULL;
	}
	return s;
}

void sim_idcard_free(struct sim_idcard *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->lock);
	memset(s, 0, sizeof *s);
	free(s);
}

int sim_idcard_set_card(struct sim_idcard *s, const char *card_file)
{
	struct sim_idcard_card c;
	char err[256];
	if (card_file && sim_idcard_encode_file(card_file, &c, err, sizeof err) < 0) {
		fprintf(stderr, "kiosk-sim idcard: %s\n", err);
		return -1;
	}
	pthread_mutex_lock(&s->lock);
	if (card_file) {
		s->card = c;
		s->have_card = true;
		s->state = CARD_FRESH;
	} else {
		memset(&s->card, 0, sizeof s->card);
		s->have_card = false;
		s->state = CARD_ABSENT;
	}
	s->remove_at = 0;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

bool sim_idcard_has_card(struct sim_idcard *s)
{
	pthread_mutex_lock(&s->lock);
	bool have = s->have_card;
	pthread_mutex_unlock(&s->lock);
	return have;
}

void sim_idcard_get_stats(struct sim_idcard *s, struct sim_idcard_stats *st)
{
	pthread_mutex_lock(&s->lock);
	*st = s->st;
	pthread_mutex_unlock(&s->lock);
}

/* ---- reply building ---------------------------------------------------- */

struct out {
	uint8_t *p;
	size_t len, cap;
};

static void out_put(struct out *o, const void *d, size_t n)
{
	if (o->len + n > o->cap)
		n = o->cap - o->len;
	if (!n)
		return;
	memcpy(o->p + o->len, d, n);
	o->len += n;
}

/* Noise that contains near-preambles and a fake frame start, to exercise resync. */
static void put_noise(struct sim_idcard *s, struct out *o)
{
	static const uint8_t tricky[] = {0xAA, 0xAA, 0x96, 0xAA, 0x55, 0xAA, 0xAA, 0xAA, 0x96, 0x00};
	for (int i = 0; i < s->o.noise; i++) {
		uint8_t b;
		if (i < (int)sizeof tricky) {
			b = tricky[i];
		} else {
			s->noise_x = s->noise_x * 1664525u + 1013904223u;
			b = (uint8_t)(s->noise_x >> 24);
		}
		out_put(o, &b, 1);
	}
}

/* Emits a reply frame with the faults applied. `mid_read` cuts it and lifts the card. */
static void reply(struct sim_idcard *s, struct out *o, uint8_t cmd, uint8_t sw3, const uint8_t *data,
		  size_t dlen)
{
	if (s->o.sw3 && (s->o.sw3_cmd < 0 || s->o.sw3_cmd == cmd)) {
		sw3 = (uint8_t)s->o.sw3;
		dlen = 0;
	}
	size_t body = 3 + dlen + 1;
	uint8_t hdr[10];
	memcpy(hdr, preamble, 5);
	hdr[5] = (uint8_t)(body >> 8);
	hdr[6] = (uint8_t)body;
	hdr[7] = 0;
	hdr[8] = 0;
	hdr[9] = sw3;
	uint8_t chk = 0;
	for (int i = 5; i < 10; i++)
		chk ^= hdr[i];
	for (size_t i = 0; i < dlen; i++)
		chk ^= data[i];
	if (s->bad_left != 0) {
		chk ^= 0x5a;
		if (s->bad_left > 0)
			s->bad_left--;
	}
	size_t total = 10 + dlen + 1;
	size_t cut = total;
	if (s->trunc_left != 0) {
		cut = total > 12 ? total / 2 : total - 1;
		if (s->trunc_left > 0)
			s->trunc_left--;
	}
	if (cmd == 0x30 && s->o.removed_mid_read && !s->removed_mid_read_done && dlen > 100) {
		cut = total * 2 / 5;
		s->removed_mid_read_done = true;
		s->have_card = false;
		s->state = CARD_ABSENT;
	}
	put_noise(s, o);
	size_t n = cut < 10 ? cut : 10;
	out_put(o, hdr, n);
	if (cut > 10) {
		size_t dn = cut - 10 < dlen ? cut - 10 : dlen;
		out_put(o, data, dn);
		if (cut == total)
			out_put(o, &chk, 1);
	}
}

static void handle(struct sim_idcard *s, struct out *o, uint8_t cmd, uint8_t para)
{
	uint8_t *buf = s->reply_buf;
	uint8_t zero8[8] = {0};
	switch (cmd << 8 | para) {
	case 0x10ff: /* reset SAM */
		s->st.sam++;
		reply(s, o, cmd, 0x90, NULL, 0);
		return;
	case 0x11ff: /* SAM status */
		s->st.sam++;
		reply(s, o, cmd, 0x90, NULL, 0);
		return;
	case 0x12ff: { /* SAM id: 05.01-20260101-0000000001-0000000042 */
		s->st.sam++;
		uint8_t id[16] = {5, 0, 1, 0};
		uint32_t v[3] = {20260101u, 1u, 42u};
		for (int k = 0; k < 3; k++)
			for (int b = 0; b < 4; b++)
				id[4 + 4 * k + b] = (uint8_t)(v[k] >> (8 * b));
		reply(s, o, cmd, 0x90, id, 16);
		return;
	}
	case 0x2001: /* find */
		s->st.finds++;
		if (!s->have_card) {
			reply(s, o, cmd, 0x80, NULL, 0);
			return;
		}
		if (!s->o.halt_after_read && s->state == CARD_HALTED)
			s->state = CARD_FRESH; /* this reader's find wakes a read card */
		reply(s, o, cmd, 0x9f, zero8, 4);
		return;
	case 0x2002: /* select */
		s->st.selects++;
		if (!s->have_card || s->state == CARD_HALTED) {
			reply(s, o, cmd, 0x81, NULL, 0);
			return;
		}
		s->state = CARD_SELECTED;
		reply(s, o, cmd, 0x90, zero8, 8);
		return;
	case 0x3001:
	case 0x3010: { /* read text+photo[+fingerprint] */
		s->st.reads++;
		if (!s->have_card || s->state != CARD_SELECTED) {
			reply(s, o, cmd, 0x41, NULL, 0);
			return;
		}
		bool fp = para == 0x10;
		size_t fl = fp ? s->card.fingerprint_len : 0;
		size_t n = 0;
		buf[n++] = 0x01, buf[n++] = 0x00;     /* text 256 */
		buf[n++] = 0x04, buf[n++] = 0x00;     /* photo 1024 */
		if (fp)
			buf[n++] = (uint8_t)(fl >> 8), buf[n++] = (uint8_t)fl;
		memcpy(buf + n, s->card.text, 256), n += 256;
		memcpy(buf + n, s->card.photo, 1024), n += 1024;
		if (fl)
			memcpy(buf + n, s->card.fingerprint, fl), n += fl;
		s->state = CARD_HALTED;
		if (s->o.remove_after_ms > 0 && !s->remove_at)
			s->remove_at = sim_now_ms() + (uint64_t)s->o.remove_after_ms;
		reply(s, o, cmd, 0x90, buf, n);
		memset(buf, 0, n);
		return;
	}
	case 0x3003: /* additional address */
		if (!s->have_card) {
			reply(s, o, cmd, 0x41, NULL, 0);
			return;
		}
		if (!s->card.extra_address_len) {
			reply(s, o, cmd, 0x91, NULL, 0);
			return;
		}
		reply(s, o, cmd, 0x90, s->card.extra_address, s->card.extra_address_len);
		return;
	}
	if (cmd == 0x60 && para <= 4) {
		static const int rates[] = {115200, 57600, 38400, 19200, 9600};
		s->st.baud_changes++;
		s->st.baud = rates[para];
		reply(s, o, cmd, 0x90, NULL, 0);
		return;
	}
	reply(s, o, cmd, 0x21, NULL, 0); /* command error */
}

static void check_timers(struct sim_idcard *s)
{
	if (s->remove_at && sim_now_ms() >= s->remove_at) {
		s->have_card = false;
		s->state = CARD_ABSENT;
		s->remove_at = 0;
		sim_log("idcard: card lifted (remove-after)");
	}
}

size_t sim_idcard_process(struct sim_idcard *s, const uint8_t *in, size_t n, uint8_t *outp,
			  size_t cap)
{
	struct out o = {outp, 0, cap};
	pthread_mutex_lock(&s->lock);
	check_timers(s);
	if (n > sizeof s->rx - s->rxlen)
		n = sizeof s->rx - s->rxlen;
	memcpy(s->rx + s->rxlen, in, n);
	s->rxlen += n;
	for (;;) {
		/* Find a preamble; drop what precedes it. */
		size_t i = 0;
		while (i + 5 <= s->rxlen && memcmp(s->rx + i, preamble, 5))
			i++;
		if (i + 5 > s->rxlen) {
			/* keep a possible partial preamble */
			size_t keep = s->rxlen < 4 ? s->rxlen : 4;
			memmove(s->rx, s->rx + s->rxlen - keep, keep);
			s->rxlen = keep;
			break;
		}
		memmove(s->rx, s->rx + i, s->rxlen - i);
		s->rxlen -= i;
		if (s->rxlen < 7)
			break;
		size_t len = (size_t)s->rx[5] << 8 | s->rx[6];
		if (len < 3 || len > 1024) {
			s->st.bad_frames++;
			memmove(s->rx, s->rx + 1, --s->rxlen);
			reply(s, &o, 0, 0x11, NULL, 0); /* length error */
			continue;
		}
		if (s->rxlen < 7 + len)
			break;
		uint8_t chk = 0;
		for (size_t k = 5; k < 7 + len - 1; k++)
			chk ^= s->rx[k];
		uint8_t cmd = s->rx[7], para = s->rx[8];
		bool ok = chk == s->rx[7 + len - 1];
		memmove(s->rx, s->rx + 7 + len, s->rxlen - 7 - len);
		s->rxlen -= 7 + len;
		if (!ok) {
			s->st.bad_frames++;
			reply(s, &o, cmd, 0x10, NULL, 0); /* checksum error */
			continue;
		}
		sim_log("idcard: command %02x %02x", cmd, para);
		handle(s, &o, cmd, para);
	}
	pthread_mutex_unlock(&s->lock);
	return o.len;
}

/* ---- pty server ------------------------------------------------------------- */

static void *serve(void *arg)
{
	struct sim_idcard *s = arg;
	static const size_t cap = 16384;
	uint8_t *out = malloc(cap);
	uint8_t in[4096];
	while (!s->stop && !sim_stop && out) {
		struct pollfd p = {.fd = s->master, .events = POLLIN};
		int r = poll(&p, 1, 50);
		pthread_mutex_lock(&s->lock);
		check_timers(s);
		pthread_mutex_unlock(&s->lock);
		if (r <= 0)
			continue;
		ssize_t n = read(s->master, in, sizeof in);
		if (n <= 0) {
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			sim_sleep_ms(20); /* EIO while no client has the slave open */
			continue;
		}
		size_t m = sim_idcard_process(s, in, (size_t)n, out, cap);
		if (m) {
			if (s->o.slow_ms > 0)
				sim_sleep_ms(s->o.slow_ms);
			sim_write_all(s->master, out, m);
		}
	}
	free(out);
	return NULL;
}

struct sim_idcard *sim_idcard_start(const struct sim_idcard_opts *opts, char *uri, size_t len)
{
	struct sim_idcard *s = sim_idcard_new(opts);
	if (!s)
		return NULL;
	char path[256];
	int r = sim_pty_open(&s->master, path, sizeof path);
	if (r < 0) {
		fprintf(stderr, "kiosk-sim idcard: cannot open a pty: %s\n", strerror(-r));
		sim_idcard_free(s);
		return NULL;
	}
	snprintf(uri, len, "serial:%s", path);
	if (pthread_create(&s->thread, NULL, serve, s) != 0) {
		close(s->master);
		sim_idcard_free(s);
		return NULL;
	}
	s->running = true;
	return s;
}

void sim_idcard_stop(struct sim_idcard *s)
{
	if (!s)
		return;
	if (s->running) {
		s->stop = 1;
		pthread_join(s->thread, NULL);
	}
	if (s->master >= 0)
		close(s->master);
	sim_idcard_free(s);
}

/* ---- kiosk-sim idcard ---------------------------------------------------------- */

/* --usb DIR (sim_usb.c): writes a umockdev description of an iDR200-like
 * reader (0400:c35a, split pipes) and an ioctl script answering one find →
 * select → read of the loaded card with replies computed by this emulator.
 * A scripted tree cannot answer commands it did not foresee; the in-process
 * tests use the computed handler instead (tests/common/usbsim). */
int sim_usb_serve_idcard(struct sim_idcard *s, const char *dir);

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kiosk-sim idcard [--pty] [--usb DIR] [--card FILE|--no-card]\n"
		"                        [--halt-after-read] [--remove-after MS] [--fault F]…\n\n"
		"Emulates a SAM_V (GA 467) second-generation ID-card reader with a synthetic\n"
		"card and prints its URI (serial:/dev/pts/N) on the first line.\n\n"
		"  --card FILE        card JSON (a path, or a name in %s)\n"
		"  --no-card          start with no card on the reader (find answers 80)\n"
		"  --halt-after-read  a card already read answers select with 81 until lifted\n"
		"  --remove-after MS  the card is lifted MS after it was first read\n"
		"  --stdin            take commands on standard input, one per line:\n"
		"                     'place [FILE]', 'remove', 'toggle', 'lift-mid-read' (the card\n"
		"                     is placed and leaves half-way through its next read)\n"
		"  (SIGUSR1 toggles the card too: kill -USR1 PID places or lifts it)\n"
		"  --usb DIR          write a umockdev description of an iDR200-like reader and an\n"
		"                     ioctl script answering one find/select/read to DIR, then exit\n"
		"faults (--fault, repeatable):\n"
		"  no-card            same as --no-card\n"
		"  removed-mid-read   the card leaves half-way through its first read reply\n"
		"  bad-checksum[=N]   corrupt CHK of the first N replies (default: all)\n"
		"  truncated[=N]      cut the first N replies short (default: all)\n"
		"  noise[=N]          N bytes of noise before every reply (default 16)\n"
		"  sw3=XX[@CC]        answer with status XX (hex), optionally only to command CC\n"
		"  slow=MS            wait MS before every reply\n",
		sim_idcard_cards_dir());
}

static int parse_fault(struct sim_idcard_opts *o, const char *f, bool *no_card)
{
	const char *eq = strchr(f, '=');
	const char *arg = eq ? eq + 1 : NULL;
	size_t kl = eq ? (size_t)(eq - f) : strlen(f);
	if (!strncmp(f, "no-card", kl) && kl == 7)
		*no_card = true;
	else if (kl == 16 && !strncmp(f, "removed-mid-read", kl))
		o->removed_mid_read = true;
	else if (kl == 12 && !strncmp(f, "bad-checksum", kl))
		o->bad_checksum = arg ? atoi(arg) : -1;
	else if (kl == 9 && !strncmp(f, "truncated", kl))
		o->truncated = arg ? atoi(arg) : -1;
	else if (kl == 5 && !strncmp(f, "noise", kl))
		o->noise = arg ? atoi(arg) : 16;
	else if (kl == 4 && !strncmp(f, "slow", kl) && arg)
		o->slow_ms = atoi(arg);
	else if (kl == 3 && !strncmp(f, "sw3", kl) && arg) {
		char *end;
		o->sw3 = (int)strtol(arg, &end, 16);
		o->sw3_cmd = *end == '@' ? (int)strtol(end + 1, NULL, 16) : -1;
		if (o->sw3 <= 0 || o->sw3 > 0xff)
			return -1;
	} else
		return -1;
	return 0;
}

static volatile sig_atomic_t toggles;

static void on_usr1(int sig)
{
	(void)sig;
	toggles++;
}

static void place_or_lift(struct sim_idcard *s, const char *file, const char *dflt, bool place)
{
	if (place && sim_idcard_set_card(s, file && *file ? file : dflt) == 0)
		printf("card placed\n");
	else if (!place && sim_idcard_set_card(s, NULL) == 0)
		printf("card removed\n");
	fflush(stdout);
}

/* One command line from stdin, waiting at most 50 ms; EOF ends command mode. */
static void serve_command(struct sim_idcard *s, const char *dflt, bool *commands)
{
	char line[1100];
	struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
	if (poll(&p, 1, 50) <= 0)
		return;
	if (!fgets(line, sizeof line, stdin)) {
		*commands = false;
		return;
	}
	line[strcspn(line, "\r\n")] = '\0';
	if (!strncmp(line, "place", 5) && (line[5] == ' ' || !line[5]))
		place_or_lift(s, line[5] ? line + 6 : NULL, dflt, true);
	else if (!strcmp(line, "remove"))
		place_or_lift(s, NULL, dflt, false);
	else if (!strcmp(line, "toggle"))
		place_or_lift(s, NULL, dflt, !sim_idcard_has_card(s));
	else if (!strcmp(line, "lift-mid-read")) {
		/* the card is placed and leaves half-way through its next read reply */
		pthread_mutex_lock(&s->lock);
		s->o.removed_mid_read = true;
		s->removed_mid_read_done = false;
		pthread_mutex_unlock(&s->lock);
		place_or_lift(s, NULL, dflt, true);
	} else if (line[0])
		fprintf(stderr, "kiosk-sim idcard: unknown command '%s' (place [FILE], remove, toggle, "
			"lift-mid-read)\n", line);
}

int sim_idcard_main(int argc, char **argv)
{
	struct sim_idcard_opts o = {.sw3_cmd = -1};
	const char *card = NULL, *usb_dir = NULL;
	bool no_card = false, commands = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--stdin")) {
			commands = true;
		} else if (!strcmp(a, "--pty")) {
			/* the default */
		} else if (!strcmp(a, "--usb") && i + 1 < argc) {
			usb_dir = argv[++i];
		} else if (!strcmp(a, "--card") && i + 1 < argc) {
			card = argv[++i];
		} else if (!strcmp(a, "--no-card")) {
			no_card = true;
		} else if (!strcmp(a, "--halt-after-read")) {
			o.halt_after_read = true;
		} else if (!strcmp(a, "--remove-after") && i + 1 < argc) {
			o.remove_after_ms = atoi(argv[++i]);
		} else if (!strcmp(a, "--fault") && i + 1 < argc) {
			if (parse_fault(&o, argv[++i], &no_card) < 0) {
				fprintf(stderr, "kiosk-sim idcard: unknown fault '%s'\n", argv[i]);
				usage(stderr);
				return 2;
			}
		} else {
			fprintf(stderr, "kiosk-sim idcard: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	static char default_card[1024];
	if (!card && !no_card) {
		snprintf(default_card, sizeof default_card, "%s/resident.json", sim_idcard_cards_dir());
		card = default_card;
	}
	o.card_file = no_card ? NULL : card;
	if (usb_dir) {
		struct sim_idcard *s = sim_idcard_new(&o);
		if (!s)
			return 1;
		int r = sim_usb_serve_idcard(s, usb_dir);
		sim_idcard_free(s);
		return r ? 1 : 0;
	}
	char uri[300];
	struct sim_idcard *s = sim_idcard_start(&o, uri, sizeof uri);
	if (!s)
		return 1;
	printf("%s\n", uri);
	fflush(stdout);
	/* The card to place again: the one given, or the default resident card. */
	static char place_card[1024];
	if (card)
		snprintf(place_card, sizeof place_card, "%s", card);
	else
		snprintf(place_card, sizeof place_card, "%s/resident.json", sim_idcard_cards_dir());
	struct sigaction sa = {0};
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	while (!sim_stop) {
		if (commands)
			serve_command(s, place_card, &commands);
		else
			sim_sleep_ms(50);
		for (; toggles > 0; toggles--)
			place_or_lift(s, NULL, place_card, !sim_idcard_has_card(s));
	}
	sim_idcard_stop(s);
	return 0;
}
