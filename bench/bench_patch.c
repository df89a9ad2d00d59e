// SPDX-License-Identifier: GPL-2.0-only
/*
 * The body of every benchmark patch that bench/gen-modules writes.  The
 * generated file declares the symbols and fills bench_refs[] with their
 * addresses, one klp relocation per entry, in read-only data, as code's
 * are in read-only text, then includes this file.  The
 * symbols' addresses are only stored, never used: nothing here calls a
 * function or touches a variable of the target.
 *
 * Without BENCH_TARGET the module is a livepatch module that registers no
 * patch: its vmlinux relocations are written while it loads, and that load
 * is what is timed.  With BENCH_TARGET (a module name) it enables a patch
 * with no functions for that module, so that the module's relocations are
 * written when the patch is enabled or the module comes.
 */
#include <linux/livepatch.h>
#include <linux/module.h>

#ifdef BENCH_TARGET
static struct klp_func bench_funcs[] = {
	{ }
};

static struct klp_object bench_objs[] = {
	{
		.name = BENCH_TARGET,
		.funcs = bench_funcs,
	}, { }
};

static struct klp_patch bench_patch = {
	.mod = THIS_MODULE,
	.objs = bench_objs,
};

static int __init bench_init(void)
{
	return klp_enable_patch(&bench_patch);
}
#else
static int __init bench_init(void)
{
	return 0;
}
#endif

static void __exit bench_exit(void)
{
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klp relocation benchmark: " BENCH_WHAT);
MODULE_INFO(livepatch, "Y");
