/* sim_scanner.c — placeholder until the scanner issue lands its emulator. */
#include <stdio.h>
#include "sim.h"

int sim_scanner_main(int argc, char **argv)
{
	fprintf(stderr, "kiosk-sim: the scanner emulator is not built yet\n");
	return 2;
}
