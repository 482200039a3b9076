/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Stands in for test_usb.c where libumockdev was not found at build time. */
#include "test.h"

int main(void)
{
	test_skip("libumockdev (umockdev-1.0) not found when building; USB tests not built");
}
