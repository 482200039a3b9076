/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sim_common.c — pty, TCP and timing helpers shared by the emulators. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "sim.h"

atomic_int sim_stop; /* written by the signal handler (lock-free: async-signal-safe), read by every thread */
int sim_verbose;

int sim_pty_open(int *master_fd, char *slave_path, size_t slave_path_len)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		return -errno;
	if (grantpt(m) < 0 || unlockpt(m) < 0) {
		int e = errno;
		close(m);
		return -e;
	}
	char name[128];
	if (ptsname_r(m, name, sizeof name) != 0) {
		int e = errno;
		close(m);
		return -e;
	}
	/* Raw mode on the slave so the line discipline passes bytes untouched. */
	int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s >= 0) {
		struct termios tio;
		if (tcgetattr(s, &tio) == 0) {
			cfmakeraw(&tio);
			tcsetattr(s, TCSANOW, &tio);
		}
		/* Deliberately kept open (leaked) for the life of the emulator: with
		 * no slave open, the master reads EIO between client sessions. */
	}
	snprintf(slave_path, slave_path_len, "%s", name);
	*master_fd = m;
	return 0;
}

int sim_tcp_listen(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)*port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	socklen_t len = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &len);
	*port = ntohs(a.sin_port);
	return fd;
}

ssize_t sim_read_timeout(int fd, void *buf, size_t len, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	for (;;) {
		int r = poll(&p, 1, timeout_ms);
		if (r < 0 && errno == EINTR) {
			if (sim_stop)
				return -1;
			continue;
		}
		if (r <= 0)
			return r == 0 ? 0 : -1;
		ssize_t n = read(fd, buf, len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		return n > 0 ? n : -1;
	}
}

int sim_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				struct pollfd pf = {.fd = fd, .events = POLLOUT};
				poll(&pf, 1, 100);
				continue;
			}
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

uint64_t sim_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void sim_sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !sim_stop)
		;
}

void sim_log(const char *fmt, ...)
{
	if (!sim_verbose)
		return;
	va_list ap;
	fprintf(stderr, "kiosk-sim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
