/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The body of a test livepatch that replaces cmdline_proc_show() in vmlinux
 * with livepatch_cmdline_proc_show(), defined by the file that includes
 * this one: what each such test module proves lies in that one function.
 */
#ifndef _TEST_KLP_RELOC_CMDLINE_H
#define _TEST_KLP_RELOC_CMDLINE_H

#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v);

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = livepatch_cmdline_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		/* name being NULL means vmlinux */
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int test_klp_reloc_cmdline_init(void)
{
#ifdef TEST_KLP_ENABLE_TWICE
	int ret = klp_enable_patch(&patch);

	if (ret)
		return ret;
#endif
	return klp_enable_patch(&patch);
}

static void test_klp_reloc_cmdline_exit(void)
{
}

module_init(test_klp_reloc_cmdline_init);
module_exit(test_klp_reloc_cmdline_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");

#endif /* _TEST_KLP_RELOC_CMDLINE_H */
