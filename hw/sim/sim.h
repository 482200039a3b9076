/* SPDX-License-Identifier: LGPL-2.1-or-later */
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

#include <stdatomic.h>
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
extern atomic_int sim_stop;

/* Logs a line to stderr when verbose (kiosk-sim -v). */
extern int sim_verbose;
void sim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Subcommands of kiosk-sim: argv[0] is the subcommand name. */
int sim_idcard_main(int argc, char **argv);
int sim_printer_main(int argc, char **argv);
int sim_scanner_main(int argc, char **argv);
/* `kiosk-sim fleet` (fleet_sim.c, only where libkiosk has its fleet module):
 * not an emulator but N simulated terminals on libkiosk itself. */
int sim_fleet_main(int argc, char **argv);

/* ---- USB description writer (sim_usb.c) -------------------------------------
 * Writes what umockdev needs to emulate a USB device for the real libusb:
 * a device record (sysfs attributes + device/configuration descriptors) and
 * an ioctl script of bulk/interrupt exchanges, in the shapes libkiosk's usb
 * transport uses (each IN transfer asks for one wMaxPacketSize; OUT data
 * goes in transfers of at most SIM_USB_OUT_CHUNK bytes). Run the result with
 *   umockdev-run -d DIR/device.umockdev -i /dev/bus/usb/001/NNN=DIR/device.ioctl -- CMD
 * (DIR/README holds the exact line). */

#define SIM_USB_BULK 2       /* endpoint transfer types (bmAttributes) */
#define SIM_USB_INTERRUPT 3
#define SIM_USB_OUT_CHUNK 4096 /* = KIOSKI_USB_OUT_CHUNK in libkiosk/src/usb.h */

struct sim_usb_ep {
	uint8_t addr;  /* 0x81 = IN 1, 0x02 = OUT 2 */
	uint8_t type;  /* SIM_USB_BULK or SIM_USB_INTERRUPT */
	uint16_t mps;  /* wMaxPacketSize; 0 = 64 */
};

struct sim_usb_device {
	uint16_t vid, pid;
	uint8_t iface_class;      /* 0 = vendor specific (0xff); 7 = printer, 3 = HID */
	const char *manufacturer; /* strings (sysfs attributes); NULL = none */
	const char *product;
	const char *serial;
	const struct sim_usb_ep *eps;
	size_t n_eps;             /* at most 16, all on interface 0 */
	int devnum;               /* address on bus 1; 0 = 2 */
	const char *driver;       /* kernel driver bound to interface 0 (e.g. "usblp"), or NULL */
};

/* One scripted exchange: the host writes `out` on `out_ep` (out_len 0: no
 * write, the device speaks first), then reads; the device answers `in` on
 * `in_ep` (in_len 0: no answer). */
struct sim_usb_exchange {
	uint8_t out_ep;
	const uint8_t *out;
	size_t out_len;
	uint8_t in_ep;
	const uint8_t *in;
	size_t in_len;
};

/* Device + configuration descriptors into buf; returns their length (0 if buf is too small). */
size_t sim_usb_descriptors(const struct sim_usb_device *d, uint8_t *buf, size_t len);
/* The device node, e.g. "/dev/bus/usb/001/002". */
const char *sim_usb_devnode(const struct sim_usb_device *d, char *buf, size_t len);
/* The sysfs path of the device (for umockdev), e.g. "/sys/devices/…/usb1/1-2". */
const char *sim_usb_syspath(const struct sim_usb_device *d, char *buf, size_t len);
/* The umockdev device record (malloc'd text; NULL on OOM). */
char *sim_usb_umockdev_record(const struct sim_usb_device *d);
/* The umockdev ioctl script of the exchanges (malloc'd text; NULL on OOM or a
 * bad endpoint). */
char *sim_usb_ioctl_script(const struct sim_usb_device *d, const struct sim_usb_exchange *x,
			   size_t n);
/* Writes DIR/device.umockdev, DIR/device.ioctl and DIR/README (creating DIR).
 * Returns 0 or -errno. */
int sim_usb_write_dir(const char *dir, const struct sim_usb_device *d,
		      const struct sim_usb_exchange *x, size_t n);

#endif
