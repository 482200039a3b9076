/* cmd_printer.c — placeholder until the printer issue lands. */
#include "kioskctl.h"

int kioskctl_printer(int argc, char **argv)
{
	return kioskctl_fail("printer", "not built yet: the printer support is still being written");
}
