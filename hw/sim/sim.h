/*
 * sim.h — the device-emulator harness behind kiosk-sim.
 *
 * Emulators are plain POSIX programs (no libkiosk inside): they sit on the
 * far side of a real transport — the master side of a pty, a loopback TCP
 * listener, or a umockdev USB description — so the library under test runs
 * its real code path. They are deterministic: fixed data and fixed timing
 * unless a fault switch asks otherwise.
 *
 * Every emulator is linked into the static library kiosk_sim (for tests to
 * run in-process on a thread) and into the kiosk-sim program.
 */
#ifndef KIOSK_SIM_H
#define KIOSK_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Opens a pty pair in raw mode. *master_fd is the emulator's side; the
 * slave's path (what the library opens as serial:PATH) goes to slave_path.
 * The slave is kept open once (sim_pty_hold) so that the master does not
 * see EIO between client opens. Returns 0 or -errno. */
int sim_pty_open(int *master_fd, char *slave_path, size_t slave_path_len);

/* Listens on 127.0.0.1:port (port 0 = any free port; the chosen one is
 * written back). Returns the listening fd or -errno. */
int sim_tcp_listen(int *port);

/* Reads up to len bytes with a timeout in ms: >0 bytes read, 0 timeout,
 * -1 closed/error. */
ssize_t sim_read_timeout(int fd, void *buf, size_t len, int timeout_ms);

/* Writes all bytes (retrying on EAGAIN/short writes). Returns 0 or -1. */
int sim_write_all(int fd, const void *buf, size_t len);

/* Monotonic milliseconds; sleep in milliseconds. */
uint64_t sim_now_ms(void);
void sim_sleep_ms(int ms);

/* Set by SIGINT/SIGTERM in kiosk-sim; emulator loops stop when it is set. */
extern volatile int sim_stop;

/* Logs a line to stderr when verbose (kiosk-sim -v). */
extern int sim_verbose;
void sim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Subcommands of kiosk-sim: argv[0] is the subcommand name. */
int sim_idcard_main(int argc, char **argv);
int sim_printer_main(int argc, char **argv);
int sim_scanner_main(int argc, char **argv);

#endif
