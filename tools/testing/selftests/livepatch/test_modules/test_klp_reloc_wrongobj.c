// SPDX-License-Identifier: GPL-2.0-only
/*
 * Livepatch that patches only vmlinux but uses a symbol of
 * test_klp_reloc_target, so it carries a klp section for an object that
 * is not one of its klp_objects.  klp_enable_patch() must refuse it.
 */

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include "test_klp_reloc.h"

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", test_klp_reloc_secret);
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = livepatch_cmdline_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int test_klp_reloc_wrongobj_init(void)
{
	return klp_enable_patch(&patch);
}

static void test_klp_reloc_wrongobj_exit(void)
{
}

module_init(test_klp_reloc_wrongobj_init);
module_exit(test_klp_reloc_wrongobj_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("Livepatch relocation test: section for an unknown object");
