/* sim_idcard.c — placeholder until the idcard issue lands its emulator. */
#include <stdio.h>
#include "sim.h"

int sim_idcard_main(int argc, char **argv)
{
	fprintf(stderr, "kiosk-sim: the idcard emulator is not built yet\n");
	return 2;
}
