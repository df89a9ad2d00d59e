// SPDX-License-Identifier: GPL-2.0-only
/*
 * A module that does nothing but take module memory: loaded between an
 * unload and a reload of the target, it takes the place the target left,
 * so the target comes back at another address and a relocation that was
 * not cleared and rewritten would point into this module instead.
 *
 * It also tells test-klp-reloc.sh where this kernel's struct module keeps
 * two fields that the loader fills in itself, and trusts: the per-CPU
 * area it frees, and the livepatch flag.  The test sets them in a
 * module's image, which the loader must then refuse.
 */

#include <linux/module.h>
#include <linux/stddef.h>

static unsigned int percpu_off = offsetof(struct module, percpu);
module_param(percpu_off, uint, 0444);
MODULE_PARM_DESC(percpu_off, "offset of struct module's percpu");

static unsigned int klp_off = offsetof(struct module, klp);
module_param(klp_off, uint, 0444);
MODULE_PARM_DESC(klp_off, "offset of struct module's klp");

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
