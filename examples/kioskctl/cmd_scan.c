/* cmd_scan.c — placeholder until the scanner issue lands. */
#include "kioskctl.h"

int kioskctl_scan(int argc, char **argv)
{
	return kioskctl_fail("scan", "not built yet: the scanner support is still being written");
}
