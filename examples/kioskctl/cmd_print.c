/* cmd_print.c — placeholder until the printer issue lands. */
#include "kioskctl.h"

int kioskctl_print(int argc, char **argv)
{
	return kioskctl_fail("print", "not built yet: the printer support is still being written");
}
