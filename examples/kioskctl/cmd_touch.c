/* cmd_touch.c — placeholder until the touch issue lands. */
#include "kioskctl.h"

int kioskctl_touch(int argc, char **argv)
{
	return kioskctl_fail("touch", "not built yet: the touch support is still being written");
}
