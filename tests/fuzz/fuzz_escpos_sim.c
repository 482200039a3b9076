/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libFuzzer target: the printer emulator's ESC/POS interpreter
 * (hw/sim/sim_printer_escpos.c behind sim_printer.c) on arbitrary host bytes — command framing,
 * GB18030 text, rasters, QR store/print, cuts, real-time commands. The
 * input is fed in pieces (first byte = piece size) to exercise commands
 * split across reads. Pages stay in memory (no output directory). */
#include <stdint.h>
#include <stdlib.h>
#include "sim_printer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 65536)
		return 0;
	struct sim_printer_config cfg;
	sim_printer_config_init(&cfg);
	cfg.width_dots = data[0] & 1 ? 384 : 576;
	cfg.gb18030_2byte_only = data[0] & 2;
	cfg.paper_out_after = data[0] & 4 ? (long)(size / 2) : -1;
	struct sim_printer *sp;
	if (sim_printer_new(&cfg, &sp))
		return 0;
	size_t piece = (size_t)(data[1] % 64) + 1;
	uint8_t reply[512];
	for (size_t off = 2; off < size; off += piece) {
		size_t n = size - off < piece ? size - off : piece;
		size_t got = sim_printer_feed(sp, data + off, n, reply, sizeof reply);
		if (got > sizeof reply)
			abort();
	}
	int pages = sim_printer_pages(sp);
	for (int i = 0; i <= pages; i++)
		free(sim_printer_page_text(sp, i));
	sim_printer_stop(sp);
	return 0;
}
