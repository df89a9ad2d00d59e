// SPDX-License-Identifier: GPL-2.0-only
/*
 * A module that does nothing but take module memory: loaded between an
 * unload and a reload of the target, it takes the place the target left,
 * so the target comes back at another address and a relocation that was
 * not cleared and rewritten would point into this module instead.
 */

#include <linux/module.h>

static int test_klp_reloc_filler_init(void)
{
	return 0;
}

static void test_klp_reloc_filler_exit(void)
{
}

module_init(test_klp_reloc_filler_init);
module_exit(test_klp_reloc_filler_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Livepatch relocation test: a module that moves the target");
