// SPDX-License-Identifier: GPL-2.0-only
/*
 * The body of the benchmark's target module.  The generated file defines
 * its many static variables, each kept by __used, so that the module's
 * symbol table holds them and a patch can bind to them by name; then it
 * includes this file.
 */
#include <linux/module.h>

static int __init bench_target_init(void)
{
	return 0;
}

static void __exit bench_target_exit(void)
{
}

module_init(bench_target_init);
module_exit(bench_target_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klp relocation benchmark: a target with many statics");
