/* cmd_receipt.c — placeholder until the printer issue lands. */
#include "kioskctl.h"

int kioskctl_receipt(int argc, char **argv)
{
	return kioskctl_fail("receipt", "not built yet: the printer support is still being written");
}
