/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim_usb.c — writes umockdev device records and usbdevfs ioctl scripts so
 * that a USB device can be emulated for the real libusb (see sim.h).
 *
 * Record format facts (umockdev 0.17): "P:" sysfs path, "N:" device node
 * (no payload for usb), "E:" udev properties, "A:" sysfs attributes with
 * "\n" escaped, "H:" binary attributes in hex (descriptors = device
 * descriptor followed by the configuration). Ioctl scripts list
 * USBDEVFS_REAPURBNDELAY records: ret type endpoint status flags
 * buffer_length actual_length error_count hexdata; a record indented under
 * another follows it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sim.h"

/* A growing text buffer. */
struct sbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	if (b->oom)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		size_t room = b->cap - b->len;
		int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if (b->s && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 1024;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

static char *sb_take(struct sbuf *b)
{
	if (b->oom) {
		free(b->s);
		return NULL;
	}
	return b->s ? b->s : strdup("");
}

static void sb_hex(struct sbuf *b, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_printf(b, "%02X", p[i]);
}

static int devnum(const struct sim_usb_device *d)
{
	return d->devnum > 0 ? d->devnum : 2;
}

static uint16_t ep_mps(const struct sim_usb_ep *e)
{
	return e->mps ? e->mps : 64;
}

static const struct sim_usb_ep *find_ep(const struct sim_usb_device *d, uint8_t addr)
{
	for (size_t i = 0; i < d->n_eps; i++)
		if (d->eps[i].addr == addr)
			return &d->eps[i];
	return NULL;
}

size_t sim_usb_descriptors(const struct sim_usb_device *d, uint8_t *buf, size_t len)
{
	size_t n_eps = d->n_eps > 16 ? 16 : d->n_eps;
	size_t total = 18 + 9 + 9 + 7 * n_eps;
	if (len < total)
		return 0;
	uint8_t *p = buf;
	/* device descriptor: USB 2.0, class per interface, EP0 64 bytes */
	const uint8_t dev[18] = {18, 1, 0x00, 0x02, 0, 0, 0, 64,
				 (uint8_t)d->vid, (uint8_t)(d->vid >> 8),
				 (uint8_t)d->pid, (uint8_t)(d->pid >> 8),
				 0x00, 0x01,
				 d->manufacturer ? 1 : 0, d->product ? 2 : 0, d->serial ? 3 : 0, 1};
	memcpy(p, dev, sizeof dev);
	p += sizeof dev;
	size_t cfg_len = total - 18;
	/* configuration: one interface, self-powered, 100 mA */
	const uint8_t cfg[9] = {9, 2, (uint8_t)cfg_len, (uint8_t)(cfg_len >> 8), 1, 1, 0, 0xC0, 50};
	memcpy(p, cfg, sizeof cfg);
	p += sizeof cfg;
	uint8_t cls = d->iface_class ? d->iface_class : 0xFF;
	uint8_t sub = cls == 7 ? 1 : 0, proto = cls == 7 ? 2 : 0; /* printer: bidirectional */
	const uint8_t ifc[9] = {9, 4, 0, 0, (uint8_t)n_eps, cls, sub, proto, 0};
	memcpy(p, ifc, sizeof ifc);
	p += sizeof ifc;
	for (size_t i = 0; i < n_eps; i++) {
		const struct sim_usb_ep *e = &d->eps[i];
		uint16_t mps = ep_mps(e);
		uint8_t type = e->type == SIM_USB_INTERRUPT ? 3 : 2;
		const uint8_t ep[7] = {7, 5, e->addr, type, (uint8_t)mps, (uint8_t)(mps >> 8),
				       (uint8_t)(type == 3 ? 1 : 0)};
		memcpy(p, ep, sizeof ep);
		p += sizeof ep;
	}
	return total;
}

const char *sim_usb_devnode(const struct sim_usb_device *d, char *buf, size_t len)
{
	snprintf(buf, len, "/dev/bus/usb/001/%03d", devnum(d));
	return buf;
}

const char *sim_usb_syspath(const struct sim_usb_device *d, char *buf, size_t len)
{
	snprintf(buf, len, "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-%d", devnum(d));
	return buf;
}

char *sim_usb_umockdev_record(const struct sim_usb_device *d)
{
	uint8_t desc[18 + 9 + 9 + 7 * 16];
	size_t dl = sim_usb_descriptors(d, desc, sizeof desc);
	int dn = devnum(d);
	struct sbuf b = {0};
	sb_printf(&b, "P: /devices/pci0000:00/0000:00:14.0/usb1/1-%d\n", dn);
	sb_printf(&b, "N: bus/usb/001/%03d\n", dn);
	sb_printf(&b, "E: BUSNUM=001\nE: DEVNUM=%03d\nE: DEVNAME=/dev/bus/usb/001/%03d\n", dn, dn);
	sb_printf(&b, "E: DEVTYPE=usb_device\nE: DRIVER=usb\nE: SUBSYSTEM=usb\n");
	sb_printf(&b, "E: PRODUCT=%x/%x/1\n", d->vid, d->pid);
	if (d->serial)
		sb_printf(&b, "E: ID_SERIAL_SHORT=%s\n", d->serial);
	sb_printf(&b, "A: bConfigurationValue=1\\n\nA: bNumConfigurations=1\\n\n"
		      "A: bNumInterfaces= 1\\n\nA: busnum=1\\n\nA: devnum=%d\\n\n", dn);
	sb_printf(&b, "A: idVendor=%04x\\n\nA: idProduct=%04x\\n\nA: speed=12\\n\n", d->vid,
		  d->pid);
	if (d->manufacturer)
		sb_printf(&b, "A: manufacturer=%s\\n\n", d->manufacturer);
	if (d->product)
		sb_printf(&b, "A: product=%s\\n\n", d->product);
	if (d->serial)
		sb_printf(&b, "A: serial=%s\\n\n", d->serial);
	sb_printf(&b, "H: descriptors=");
	sb_hex(&b, desc, dl);
	sb_printf(&b, "\n");
	if (d->driver) {
		/* the interface, with a bound kernel driver */
		uint8_t cls = d->iface_class ? d->iface_class : 0xFF;
		sb_printf(&b, "\nP: /devices/pci0000:00/0000:00:14.0/usb1/1-%d/1-%d:1.0\n", dn, dn);
		sb_printf(&b, "E: DEVTYPE=usb_interface\nE: DRIVER=%s\nE: SUBSYSTEM=usb\n", d->driver);
		sb_printf(&b, "A: bInterfaceNumber=00\\n\nA: bInterfaceClass=%02x\\n\n", cls);
	}
	return sb_take(&b);
}

/* One URB record at `depth`. */
static void urb_record(struct sbuf *b, int depth, const struct sim_usb_ep *e, size_t buffer_len,
		       const uint8_t *data, size_t n)
{
	for (int i = 0; i < depth; i++)
		sb_printf(b, " ");
	sb_printf(b, "USBDEVFS_REAPURBNDELAY 0 %d %u 0 0 %zu %zu 0 ",
		  e->type == SIM_USB_INTERRUPT ? 1 : 3, e->addr, buffer_len, n);
	sb_hex(b, data, n);
	sb_printf(b, "\n");
}

char *sim_usb_ioctl_script(const struct sim_usb_device *d, const struct sim_usb_exchange *x,
			   size_t n)
{
	char node[64];
	struct sbuf b = {0};
	sb_printf(&b, "@DEV %s (usbdevfs)\n", sim_usb_devnode(d, node, sizeof node));
	for (size_t i = 0; i < n; i++) {
		const struct sim_usb_exchange *ex = &x[i];
		int depth = 0;
		if (ex->out_len) {
			const struct sim_usb_ep *e = find_ep(d, ex->out_ep);
			if (!e || (e->addr & 0x80)) {
				free(b.s);
				return NULL;
			}
			for (size_t off = 0; off < ex->out_len; off += SIM_USB_OUT_CHUNK) {
				size_t c = ex->out_len - off;
				if (c > SIM_USB_OUT_CHUNK)
					c = SIM_USB_OUT_CHUNK;
				urb_record(&b, off ? 1 : 0, e, c, ex->out + off, c);
			}
			depth = 1;
		}
		if (ex->in_len) {
			const struct sim_usb_ep *e = find_ep(d, ex->in_ep);
			if (!e || !(e->addr & 0x80)) {
				free(b.s);
				return NULL;
			}
			uint16_t mps = ep_mps(e);
			for (size_t off = 0; off < ex->in_len; off += mps) {
				size_t c = ex->in_len - off;
				if (c > mps)
					c = mps;
				urb_record(&b, depth, e, mps, ex->in + off, c);
			}
		}
	}
	return sb_take(&b);
}

static int write_file(const char *dir, const char *name, const char *text)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "we");
	if (!f)
		return -errno;
	fputs(text, f);
	if (fclose(f) != 0)
		return -errno;
	return 0;
}

int sim_usb_write_dir(const char *dir, const struct sim_usb_device *d,
		      const struct sim_usb_exchange *x, size_t n)
{
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	char *rec = sim_usb_umockdev_record(d);
	char *script = sim_usb_ioctl_script(d, x, n);
	int r = rec && script ? 0 : -ENOMEM;
	if (rec && !script)
		r = -EINVAL; /* an exchange names an endpoint the device lacks */
	if (!r)
		r = write_file(dir, "device.umockdev", rec);
	if (!r)
		r = write_file(dir, "device.ioctl", script);
	if (!r) {
		char node[64], readme[1024];
		snprintf(readme, sizeof readme,
			 "Emulated USB device %04x:%04x for umockdev (written by kiosk-sim).\n"
			 "Run a program against it with the real libusb:\n\n"
			 "  umockdev-run -d %s/device.umockdev -i %s=%s/device.ioctl -- \\\n"
			 "      kioskctl … --device usb:%04x:%04x\n\n"
			 "The ioctl script answers %zu scripted exchange(s) in order.\n",
			 d->vid, d->pid, dir, sim_usb_devnode(d, node, sizeof node), dir, d->vid,
			 d->pid, n);
		r = write_file(dir, "README", readme);
	}
	free(rec);
	free(script);
	return r;
}

/* ---- kiosk-sim idcard --usb DIR ------------------------------------------------ */

#include "sim_idcard.h"

/* Provided here for sim_idcard.c (declared weak there): an iDR200-like reader
 * (0400:c35a, frames split across OUT 0x02/0x06 and IN 0x81/0x85) scripted
 * for one card read — find, select, read text+photo — with the replies the
 * emulator core computes for the loaded card. */
int sim_usb_serve_idcard(struct sim_idcard *s, const char *dir);

int sim_usb_serve_idcard(struct sim_idcard *s, const char *dir)
{
	static const struct sim_usb_ep eps[] = {
		{0x02, SIM_USB_BULK, 64}, {0x06, SIM_USB_BULK, 64},
		{0x81, SIM_USB_BULK, 64}, {0x85, SIM_USB_BULK, 64},
	};
	const struct sim_usb_device d = {
		.vid = 0x0400, .pid = 0xc35a, .manufacturer = "libkiosk",
		.product = "SAM_V reader (kiosk-sim)", .serial = "SIM0001",
		.eps = eps, .n_eps = 4,
	};
	static const uint8_t cmds[3][10] = {
		{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22}, /* find */
		{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x02, 0x21}, /* select */
		{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x01, 0x32}, /* read text+photo */
	};
	enum { HEAD = 7 }; /* preamble + LEN: on the first pipe of each direction */
	static uint8_t replies[3][4096];
	struct sim_usb_exchange x[9];
	size_t n = 0;
	for (int i = 0; i < 3; i++) {
		size_t m = sim_idcard_process(s, cmds[i], sizeof cmds[i], replies[i],
					      sizeof replies[i]);
		x[n++] = (struct sim_usb_exchange){.out_ep = 0x02, .out = cmds[i], .out_len = HEAD};
		x[n] = (struct sim_usb_exchange){.out_ep = 0x06, .out = cmds[i] + HEAD,
						 .out_len = sizeof cmds[i] - HEAD};
		if (m) {
			x[n].in_ep = 0x81;
			x[n].in = replies[i];
			x[n].in_len = m < HEAD ? m : HEAD;
		}
		n++;
		if (m > HEAD)
			x[n++] = (struct sim_usb_exchange){.in_ep = 0x85, .in = replies[i] + HEAD,
							   .in_len = m - HEAD};
	}
	int r = sim_usb_write_dir(dir, &d, x, n);
	if (r < 0) {
		fprintf(stderr, "kiosk-sim idcard: cannot write %s: %s\n", dir, strerror(-r));
		return r;
	}
	printf("usb:%04x:%04x?serial=%s\n", d.vid, d.pid, d.serial);
	fflush(stdout);
	char node[64];
	fprintf(stderr,
		"kiosk-sim idcard: wrote %s/device.umockdev and %s/device.ioctl (one card read);\n"
		"  umockdev-run -d %s/device.umockdev -i %s=%s/device.ioctl -- \\\n"
		"      kioskctl idcard read --device usb:%04x:%04x\n",
		dir, dir, dir, sim_usb_devnode(&d, node, sizeof node), dir, d.vid, d.pid);
	return 0;
}
