/* cmd_idcard.c — placeholder until the idcard issue lands. */
#include "kioskctl.h"

int kioskctl_idcard(int argc, char **argv)
{
	return kioskctl_fail("idcard", "not built yet: the idcard support is still being written");
}
