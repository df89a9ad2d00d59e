// SPDX-License-Identifier: GPL-2.0-only
/*
 * Livepatch for test_klp_reloc_target with a pointer to the target's data
 * in each of two sections of its own, ".xnit.data" and "__jxmp_table".
 * Built, it loads and works.  test-klp-reloc.sh renames them (same length)
 * to ".init.data", which the loader frees after init, and "__jump_table",
 * which the loader consumes at load: a module object's relocations may
 * target neither, since they are written when that module comes.
 */

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include "test_klp_reloc.h"

static int * const in_init __used __section(".xnit.data") =
	&test_klp_reloc_secret;
static int * const in_special __used __section("__jxmp_table") =
	&test_klp_reloc_secret;

static int livepatch_answer(void)
{
	return 1;
}

static struct klp_func funcs[] = {
	{
		.old_name = "test_klp_reloc_answer",
		.new_func = livepatch_answer,
	}, { }
};

static struct klp_object objs[] = {
	{
		.name = "test_klp_reloc_target",
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int test_klp_reloc_init_init(void)
{
	return klp_enable_patch(&patch);
}

static void test_klp_reloc_init_exit(void)
{
}

module_init(test_klp_reloc_init_init);
module_exit(test_klp_reloc_init_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("Livepatch relocation test: targets in init and special sections, once renamed");
