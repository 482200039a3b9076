/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* sim_printer_font.c — GNU Unifont glyphs for the printer emulator, read at
 * run time from unifont.hex: $KIOSK_SIM_UNIFONT, else <datadir>/libkiosk/sim/fonts/
 * unifont.hex when a vendor put one there, else Debian's (package "unifont"). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "datadir.h"
#include "sim_printer_font.h"

#define FONT_CPS 0x10000

static uint8_t (*glyphs)[32]; /* 16 rows × 2 bytes; half-width glyphs use byte 0 of each row */
static uint8_t *widths;       /* 0 = missing, 8 or 16 */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void load(void)
{
	const char *path = getenv("KIOSK_SIM_UNIFONT");
	char local[4200];
	if (!path || !*path) {
		char dir[4000];
		path = "/usr/share/unifont/unifont.hex";
		if (!kiosk_program_datadir("sim", "KIOSK_SIM_DATA_DIR", dir, sizeof dir)) {
			snprintf(local, sizeof local, "%s/fonts/unifont.hex", dir);
			if (!access(local, R_OK))
				path = local;
		}
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "kiosk-sim: cannot open %s (install the 'unifont' package); "
				"text is drawn as boxes\n", path);
		return;
	}
	glyphs = calloc(FONT_CPS, sizeof *glyphs);
	widths = calloc(FONT_CPS, 1);
	if (!glyphs || !widths) {
		fclose(f);
		return;
	}
	char line[128];
	while (fgets(line, sizeof line, f)) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		unsigned long cp = strtoul(line, NULL, 16);
		if (cp >= FONT_CPS)
			continue;
		const char *h = colon + 1;
		size_t n = strcspn(h, "\r\n");
		if (n != 32 && n != 64)
			continue;
		int bytes_per_row = n == 32 ? 1 : 2;
		for (int row = 0; row < 16; row++)
			for (int b = 0; b < bytes_per_row; b++) {
				const char *p = h + (row * bytes_per_row + b) * 2;
				int hi = hexval(p[0]), lo = hexval(p[1]);
				if (hi < 0 || lo < 0)
					goto next;
				glyphs[cp][row * 2 + b] = (uint8_t)(hi << 4 | lo);
			}
		widths[cp] = (uint8_t)(bytes_per_row * 8);
next:;
	}
	fclose(f);
	loaded = 1;
}

int sim_font_glyph(uint32_t cp, const uint8_t **rows)
{
	pthread_once(&once, load);
	if (!loaded || cp >= FONT_CPS || !widths[cp])
		return 0;
	*rows = glyphs[cp];
	return widths[cp];
}

bool sim_font_pixel(const uint8_t *rows, int width, int x, int y)
{
	if (x < 0 || y < 0 || y >= 16 || x >= width)
		return false;
	uint8_t byte = rows[y * 2 + x / 8];
	return byte & (0x80 >> (x % 8));
}
