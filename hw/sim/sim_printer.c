/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim_printer.c — the printer emulator as a device: an ESC/POS receipt
 * printer on a pty, loopback TCP or a byte feed (see sim_printer.h for the
 * model it implements). This file holds reception, real-time commands,
 * status, faults and the transports; the commands themselves are
 * interpreted by sim_printer_escpos.c and the paper is drawn by
 * sim_printer_render.c.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "sim.h"
#include "sim_printer.h"
#include "sim_printer_escpos.h"

#define RX_LIMIT (1u << 20)    /* receive buffer: stop reading the link beyond this */

struct sim_printer {
	struct sim_printer_config cfg;
	pthread_mutex_t mu;
	pthread_t thread;
	bool thread_started;
	_Atomic int stop;    /* set by sim_printer_stop() on another thread */
	int listen_fd, conn_fd, master_fd;

	/* faults */
	bool paper_out, cover_open, near_end, offline, after_fired;
	uint64_t fault_since;
	uint8_t last_asb[4];
	bool asb_on, asb_sent;

	/* reception */
	uint8_t *tok;
	size_t tok_len, tok_cap;
	uint8_t *rx; /* unprocessed commands */
	size_t rx_off, rx_len, rx_cap;
	uint8_t *tx; /* replies not yet sent */
	size_t tx_len, tx_cap;
	uint64_t slow_t0, slow_bytes;

	/* processing */
	struct sim_escpos escpos;

	struct sim_printer_stats st;
};

/* ---- small buffers ------------------------------------------------------- */

static int grow(uint8_t **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 256;
	while (n < need)
		n *= 2;
	uint8_t *p = realloc(*buf, n);
	if (!p)
		return -1;
	*buf = p;
	*cap = n;
	return 0;
}

static void reply(struct sim_printer *sp, const uint8_t *b, size_t n)
{
	if (sp->cfg.no_status)
		return;
	if (grow(&sp->tx, &sp->tx_cap, sp->tx_len + n) < 0)
		return;
	memcpy(sp->tx + sp->tx_len, b, n);
	sp->tx_len += n;
	sp->st.status_replies++;
}

/* ---- status bytes -------------------------------------------------------- */

static uint8_t dle_eot(struct sim_printer *sp, int n)
{
	bool stopped = sp->paper_out || sp->cover_open || sp->offline;
	switch (n) {
	case 1:
		return 0x12 | (stopped ? 0x08 : 0);
	case 2:
		return 0x12 | (sp->cover_open ? 0x04 : 0) | (sp->paper_out ? 0x20 : 0);
	case 3:
		return 0x12;
	case 4:
		return sp->paper_out ? 0x72 : sp->near_end ? 0x1E : 0x12;
	default:
		return 0x12;
	}
}

static void asb_packet(struct sim_printer *sp, uint8_t p[4])
{
	bool stopped = sp->paper_out || sp->cover_open || sp->offline;
	p[0] = 0x10 | (stopped ? 0x08 : 0) | (sp->cover_open ? 0x20 : 0);
	p[1] = 0x00;
	p[2] = (sp->near_end || sp->paper_out ? 0x03 : 0) | (sp->paper_out ? 0x0C : 0);
	p[3] = 0x00;
}

static void asb_check(struct sim_printer *sp)
{
	if (!sp->asb_on)
		return;
	uint8_t p[4];
	asb_packet(sp, p);
	if (!sp->asb_sent || memcmp(p, sp->last_asb, 4)) {
		memcpy(sp->last_asb, p, 4);
		sp->asb_sent = true;
		reply(sp, p, 4);
	}
}
/* ---- processing ------------------------------------------------------------ */

static void clear_buffers(struct sim_printer *sp)
{
	sp->st.cleared += sp->rx_len - sp->rx_off;
	sp->rx_off = sp->rx_len = 0;
	sim_escpos_clear_line(&sp->escpos);
}

static void hook_reply(void *ctx, const uint8_t *b, size_t n)
{
	reply(ctx, b, n);
}

static void hook_status_request(void *ctx, int n)
{
	struct sim_printer *sp = ctx;
	uint8_t r = 0;
	if (n == 1 || n == 49)
		r = (sp->near_end || sp->paper_out ? 0x03 : 0) | (sp->paper_out ? 0x0C : 0);
	reply(sp, &r, 1);
}

static void hook_asb(void *ctx, int n)
{
	struct sim_printer *sp = ctx;
	sp->asb_on = n != 0;
	sp->asb_sent = false;
	asb_check(sp);
}

/* Acts on one buffered command. */
static void process(struct sim_printer *sp, const uint8_t *b, size_t n)
{
	sp->st.processed += n;
	sim_escpos_process(&sp->escpos, b, n);
	sp->st.cuts = sp->escpos.cuts;
}

/* Real-time commands act at reception. */
static void realtime(struct sim_printer *sp, const uint8_t *b, size_t n)
{
	if (b[1] == 0x04) {
		uint8_t r = dle_eot(sp, b[2]);
		if (b[2] >= 1 && b[2] <= 4)
			reply(sp, &r, 1);
	} else if (b[1] == 0x14 && n == 10 && b[2] == 8) {
		if (sp->cfg.ignore_clear) {
			sim_log("printer: ignoring DLE DC4 8 (--ignore-clear)");
			return;
		}
		clear_buffers(sp);
		static const uint8_t ok[3] = {0x37, 0x25, 0x00};
		reply(sp, ok, 3);
	} else if (b[1] == 0x05 && b[2] == 2) {
		clear_buffers(sp);
	}
}

static void receive(struct sim_printer *sp, const uint8_t *in, size_t len)
{
	sp->st.received += len;
	for (size_t i = 0; i < len; i++) {
		if (grow(&sp->tok, &sp->tok_cap, sp->tok_len + 1) < 0)
			return;
		sp->tok[sp->tok_len++] = in[i];
		size_t need = sim_escpos_cmd_len(sp->tok, sp->tok_len);
		if (need == SIZE_MAX) {
			sp->tok_len = 0; /* garbage header: drop it */
			continue;
		}
		if (!need || need > sp->tok_len) {
			/* copy the rest of a long payload in one go */
			if (need > sp->tok_len && i + 1 < len) {
				size_t take = need - sp->tok_len;
				if (take > len - i - 1)
					take = len - i - 1;
				if (grow(&sp->tok, &sp->tok_cap, sp->tok_len + take) < 0)
					return;
				memcpy(sp->tok + sp->tok_len, in + i + 1, take);
				sp->tok_len += take;
				i += take;
				if (sp->tok_len < need)
					continue;
			} else
				continue;
		}
		if (sp->tok[0] == 0x10 && sp->tok_len >= 3) {
			realtime(sp, sp->tok, sp->tok_len);
		} else {
			/* queue: [u32 length][bytes] */
			if (grow(&sp->rx, &sp->rx_cap, sp->rx_len + 4 + sp->tok_len) < 0)
				return;
			uint32_t l = (uint32_t)sp->tok_len;
			memcpy(sp->rx + sp->rx_len, &l, 4);
			memcpy(sp->rx + sp->rx_len + 4, sp->tok, sp->tok_len);
			sp->rx_len += 4 + sp->tok_len;
		}
		sp->tok_len = 0;
	}
}

static void tick(struct sim_printer *sp)
{
	uint64_t now = sim_now_ms();
	if ((sp->paper_out || sp->cover_open || sp->offline) && sp->cfg.recover_after_ms >= 0 &&
	    now - sp->fault_since >= (uint64_t)sp->cfg.recover_after_ms) {
		sim_log("printer: recovered (paper loaded, cover closed, online)");
		sp->paper_out = sp->cover_open = sp->offline = false;
	}
	/* process while the mechanism runs */
	size_t budget = 1u << 20;
	while (!sp->paper_out && !sp->cover_open && !sp->offline && sp->rx_off < sp->rx_len &&
	       budget) {
		uint32_t l;
		memcpy(&l, sp->rx + sp->rx_off, 4);
		process(sp, sp->rx + sp->rx_off + 4, l);
		sp->rx_off += 4 + l;
		budget = budget > l ? budget - l : 0;
		if (sp->cfg.paper_out_after >= 0 && !sp->after_fired &&
		    sp->st.processed >= (uint64_t)sp->cfg.paper_out_after) {
			sp->after_fired = true;
			sp->paper_out = true;
			sp->fault_since = now;
			sim_log("printer: paper out after %llu bytes",
				(unsigned long long)sp->st.processed);
		}
	}
	if (sp->rx_off == sp->rx_len)
		sp->rx_off = sp->rx_len = 0;
	asb_check(sp);
}

/* ---- public in-process API ----------------------------------------------------- */

void sim_printer_config_init(struct sim_printer_config *cfg)
{
	*cfg = (struct sim_printer_config){.width_dots = 576, .paper_out_after = -1,
					   .recover_after_ms = -1};
}

int sim_printer_new(const struct sim_printer_config *cfg, struct sim_printer **out)
{
	struct sim_printer *sp = calloc(1, sizeof *sp);
	if (!sp)
		return -ENOMEM;
	sp->cfg = *cfg;
	if (sp->cfg.width_dots < 64 || sp->cfg.width_dots > 4096)
		sp->cfg.width_dots = 576;
	sp->cfg.width_dots &= ~7;
	sp->cfg.out_dir = NULL;
	pthread_mutex_init(&sp->mu, NULL);
	sp->listen_fd = sp->conn_fd = sp->master_fd = -1;
	sp->paper_out = cfg->paper_out;
	sp->cover_open = cfg->cover_open;
	sp->near_end = cfg->near_end;
	sp->offline = cfg->offline;
	sp->fault_since = sim_now_ms();
	struct sim_escpos_config ec = {.width_dots = sp->cfg.width_dots, .out_dir = cfg->out_dir,
				       .gb18030_2byte_only = cfg->gb18030_2byte_only,
				       .chinese_default = cfg->chinese_default};
	struct sim_escpos_hooks hooks = {.ctx = sp, .reply = hook_reply,
					 .status_request = hook_status_request, .asb = hook_asb};
	sim_escpos_init(&sp->escpos, &ec, &hooks);
	*out = sp;
	return 0;
}

static void take_tx(struct sim_printer *sp, uint8_t *out, size_t cap, size_t *n)
{
	*n = sp->tx_len < cap ? sp->tx_len : cap;
	if (!*n)
		return;
	memcpy(out, sp->tx, *n);
	memmove(sp->tx, sp->tx + *n, sp->tx_len - *n);
	sp->tx_len -= *n;
}

size_t sim_printer_feed(struct sim_printer *sp, const uint8_t *in, size_t len, uint8_t *out,
			size_t cap)
{
	pthread_mutex_lock(&sp->mu);
	if (len)
		receive(sp, in, len);
	tick(sp);
	size_t n;
	take_tx(sp, out, cap, &n);
	pthread_mutex_unlock(&sp->mu);
	return n;
}

static void *serve(void *arg)
{
	struct sim_printer *sp = arg;
	uint8_t buf[4096], out[512];
	sp->slow_t0 = sim_now_ms();
	while (!sp->stop && !sim_stop) {
		int fd = sp->master_fd >= 0 ? sp->master_fd : sp->conn_fd;
		pthread_mutex_lock(&sp->mu);
		tick(sp);
		size_t n;
		while (fd >= 0 && sp->tx_len) {
			take_tx(sp, out, sizeof out, &n);
			pthread_mutex_unlock(&sp->mu);
			sim_write_all(fd, out, n);
			pthread_mutex_lock(&sp->mu);
		}
		bool full = sp->rx_len - sp->rx_off > RX_LIMIT;
		pthread_mutex_unlock(&sp->mu);

		if (fd < 0 && sp->listen_fd >= 0) {
			struct pollfd p = {.fd = sp->listen_fd, .events = POLLIN};
			if (poll(&p, 1, 20) > 0) {
				sp->conn_fd = accept4(sp->listen_fd, NULL, NULL, SOCK_CLOEXEC);
				if (sp->conn_fd >= 0) {
					pthread_mutex_lock(&sp->mu);
					sp->st.connections++;
					sp->tok_len = 0;
					pthread_mutex_unlock(&sp->mu);
					sim_log("printer: client connected");
				}
			}
			continue;
		}
		if (fd < 0 || full) {
			sim_sleep_ms(10);
			continue;
		}
		size_t want = sizeof buf;
		if (sp->cfg.slow_bps > 0) {
			uint64_t allowed = (sim_now_ms() - sp->slow_t0) * (uint64_t)sp->cfg.slow_bps / 1000;
			if (allowed <= sp->slow_bytes) {
				sim_sleep_ms(5);
				continue;
			}
			if (allowed - sp->slow_bytes < want)
				want = (size_t)(allowed - sp->slow_bytes);
		}
		ssize_t r = sim_read_timeout(fd, buf, want, 20);
		if (r == 0)
			continue;
		if (r < 0) {
			if (fd == sp->conn_fd) {
				sim_log("printer: client closed the connection");
				close(sp->conn_fd);
				sp->conn_fd = -1;
				pthread_mutex_lock(&sp->mu);
				sp->tok_len = 0; /* a command cut off by the hang-up is lost */
				pthread_mutex_unlock(&sp->mu);
			} else
				sim_sleep_ms(20); /* pty without a client */
			continue;
		}
		sp->slow_bytes += (uint64_t)r;
		pthread_mutex_lock(&sp->mu);
		receive(sp, buf, (size_t)r);
		pthread_mutex_unlock(&sp->mu);
	}
	return NULL;
}

static int start(struct sim_printer *sp)
{
	if (pthread_create(&sp->thread, NULL, serve, sp) != 0)
		return -EAGAIN;
	sp->thread_started = true;
	return 0;
}

int sim_printer_start_tcp(const struct sim_printer_config *cfg, struct sim_printer **out,
			  char *uri, size_t uri_len)
{
	return sim_printer_start_tcp_port(cfg, 0, out, uri, uri_len);
}

int sim_printer_start_tcp_port(const struct sim_printer_config *cfg, int port,
			       struct sim_printer **out, char *uri, size_t uri_len)
{
	struct sim_printer *sp;
	int r = sim_printer_new(cfg, &sp);
	if (r < 0)
		return r;
	sp->listen_fd = sim_tcp_listen(&port);
	if (sp->listen_fd < 0 || (r = start(sp)) < 0) {
		r = sp->listen_fd < 0 ? sp->listen_fd : r;
		sim_printer_stop(sp);
		return r;
	}
	snprintf(uri, uri_len, "tcp:127.0.0.1:%d", port);
	*out = sp;
	return 0;
}

int sim_printer_start_pty(const struct sim_printer_config *cfg, struct sim_printer **out,
			  char *uri, size_t uri_len)
{
	struct sim_printer *sp;
	int r = sim_printer_new(cfg, &sp);
	if (r < 0)
		return r;
	char path[128];
	r = sim_pty_open(&sp->master_fd, path, sizeof path);
	if (r < 0 || (r = start(sp)) < 0) {
		sim_printer_stop(sp);
		return r;
	}
	snprintf(uri, uri_len, "serial:%s", path);
	*out = sp;
	return 0;
}

void sim_printer_stop(struct sim_printer *sp)
{
	if (!sp)
		return;
	sp->stop = 1;
	if (sp->thread_started)
		pthread_join(sp->thread, NULL);
	sim_escpos_finish(&sp->escpos);
	if (sp->conn_fd >= 0)
		close(sp->conn_fd);
	if (sp->listen_fd >= 0)
		close(sp->listen_fd);
	if (sp->master_fd >= 0)
		close(sp->master_fd);
	free(sp->tok);
	free(sp->rx);
	free(sp->tx);
	pthread_mutex_destroy(&sp->mu);
	free(sp);
}

int sim_printer_pages(struct sim_printer *sp)
{
	pthread_mutex_lock(&sp->mu);
	int n = sp->escpos.render.n_pages;
	pthread_mutex_unlock(&sp->mu);
	return n;
}

char *sim_printer_page_text(struct sim_printer *sp, int i)
{
	char *r = NULL;
	pthread_mutex_lock(&sp->mu);
	const struct sim_render *rd = &sp->escpos.render;
	if (i >= 0 && i < rd->n_pages)
		r = strdup(rd->pages[i].text ? rd->pages[i].text : "");
	else if (i == rd->n_pages) {
		/* the page in progress, with its unprinted line */
		r = strdup(rd->page.text ? rd->page.text : "");
	}
	pthread_mutex_unlock(&sp->mu);
	return r;
}

char *sim_printer_unknown_log(struct sim_printer *sp)
{
	pthread_mutex_lock(&sp->mu);
	char *r = strdup(sp->escpos.unknown_log ? sp->escpos.unknown_log : "");
	pthread_mutex_unlock(&sp->mu);
	return r;
}

int sim_printer_page_png(struct sim_printer *sp, int i, char *path, size_t len)
{
	int r = -1;
	pthread_mutex_lock(&sp->mu);
	const struct sim_render *rd = &sp->escpos.render;
	if (i >= 0 && i < rd->n_pages && rd->pages[i].png[0]) {
		snprintf(path, len, "%s", rd->pages[i].png);
		r = 0;
	}
	pthread_mutex_unlock(&sp->mu);
	return r;
}

void sim_printer_set_paper_out(struct sim_printer *sp, bool out)
{
	pthread_mutex_lock(&sp->mu);
	if (out && !sp->paper_out)
		sp->fault_since = sim_now_ms();
	sp->paper_out = out;
	pthread_mutex_unlock(&sp->mu);
}

void sim_printer_set_cover_open(struct sim_printer *sp, bool open)
{
	pthread_mutex_lock(&sp->mu);
	if (open && !sp->cover_open)
		sp->fault_since = sim_now_ms();
	sp->cover_open = open;
	pthread_mutex_unlock(&sp->mu);
}

void sim_printer_set_near_end(struct sim_printer *sp, bool near_end)
{
	pthread_mutex_lock(&sp->mu);
	sp->near_end = near_end;
	pthread_mutex_unlock(&sp->mu);
}

void sim_printer_set_offline(struct sim_printer *sp, bool offline)
{
	pthread_mutex_lock(&sp->mu);
	if (offline && !sp->offline)
		sp->fault_since = sim_now_ms();
	sp->offline = offline;
	pthread_mutex_unlock(&sp->mu);
}

void sim_printer_get_stats(struct sim_printer *sp, struct sim_printer_stats *st)
{
	pthread_mutex_lock(&sp->mu);
	*st = sp->st;
	st->unknown = sp->escpos.unknown;
	st->unprocessed = sp->rx_len - sp->rx_off;
	st->paper_out = sp->paper_out;
	st->cover_open = sp->cover_open;
	st->offline = sp->offline;
	pthread_mutex_unlock(&sp->mu);
}

