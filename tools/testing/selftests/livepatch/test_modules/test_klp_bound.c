// SPDX-License-Identifier: GPL-2.0-only
/*
 * A livepatch that patches no function: it binds one symbol of its target
 * through a klp relocation and tells where the kernel bound it, so that a
 * test can hold that address against klp-check's prediction.
 *
 *   cat /sys/module/<name>/parameters/bound	-> "ffffffff81d3db98"
 *
 * The symbol is chosen when the module is built, so this one source makes
 * a patch per (object, name, position):
 *
 *   KLP_BOUND_SYM	the symbol's name
 *   KLP_BOUND_POS	its sympos: 0 when the name is unique, else 1, 2, ...
 *   KLP_BOUND_OBJ	the target module's name as a string; vmlinux if unset
 *
 * tools/testing/selftests/livepatch/test-klp-tools.sh drives it.
 */
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/livepatch_sympos.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/stringify.h>

/*
 * The C name is ours and the assembler name is the target's, so a target
 * that some header declares with another type cannot clash.  Only the
 * address is taken, never the contents, so any symbol fits "char []".
 */
extern char klp_bound_target[] __asm__(__stringify(KLP_BOUND_SYM));

#if KLP_BOUND_POS
KLP_SYMPOS(KLP_BOUND_SYM, KLP_BOUND_POS);
#endif

/*
 * Computed at each read: a module target's relocations are written only
 * when that module comes, which may be long after this patch loaded.
 */
static int klp_bound_get(char *buf, const struct kernel_param *kp)
{
	return scnprintf(buf, PAGE_SIZE, "%lx\n",
			 (unsigned long)klp_bound_target);
}

static const struct kernel_param_ops klp_bound_ops = {
	.get = klp_bound_get,
};
module_param_cb(bound, &klp_bound_ops, NULL, 0444);
MODULE_PARM_DESC(bound, "address the kernel bound to "
		 __stringify(KLP_BOUND_SYM) " (hex)");

static struct klp_func klp_bound_funcs[] = {
	{ }
};

static struct klp_object klp_bound_objs[] = {
	{
#ifdef KLP_BOUND_OBJ
		.name = KLP_BOUND_OBJ,
#endif
		.funcs = klp_bound_funcs,
	}, { }
};

static struct klp_patch klp_bound_patch = {
	.mod = THIS_MODULE,
	.objs = klp_bound_objs,
};

static int __init klp_bound_init(void)
{
	return klp_enable_patch(&klp_bound_patch);
}

static void __exit klp_bound_exit(void)
{
}

module_init(klp_bound_init);
module_exit(klp_bound_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Livepatch test: report the address a klp relocation bound");
MODULE_INFO(livepatch, "Y");
