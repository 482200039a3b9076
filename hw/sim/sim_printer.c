/* sim_printer.c — placeholder until the printer issue lands its emulator. */
#include <stdio.h>
#include "sim.h"

int sim_printer_main(int argc, char **argv)
{
	fprintf(stderr, "kiosk-sim: the printer emulator is not built yet\n");
	return 2;
}
