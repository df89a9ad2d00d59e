// SPDX-License-Identifier: GPL-2.0-only
/*
 * A module that binds an unexported vmlinux function through a klp
 * relocation.  It is converted as a livepatch, then test-klp-reloc.sh
 * strips its livepatch modinfo: without it the markers must be refused.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include "test_klp_reloc.h"

static int test_klp_reloc_nolp_init(void)
{
	pr_info("%s: bound an unexported symbol: %s\n", THIS_MODULE->name,
		core_kernel_text((unsigned long)&_printk) ? "yes" : "no");
	return 0;
}

static void test_klp_reloc_nolp_exit(void)
{
}

module_init(test_klp_reloc_nolp_init);
module_exit(test_klp_reloc_nolp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("Livepatch relocation test: markers without livepatch modinfo");
