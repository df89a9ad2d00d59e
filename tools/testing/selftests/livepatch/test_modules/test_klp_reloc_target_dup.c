// SPDX-License-Identifier: GPL-2.0-only
/*
 * Second half of test_klp_reloc_target: a static of the same name as one
 * in the first half, so that the module holds two symbols of that name.
 */

#include <linux/compiler.h>

int test_klp_reloc_dup_one(void);

static int test_klp_reloc_dup __used = 2;

int test_klp_reloc_dup_one(void)
{
	return test_klp_reloc_dup;
}
