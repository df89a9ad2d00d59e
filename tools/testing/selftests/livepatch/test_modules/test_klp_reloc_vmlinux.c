// SPDX-License-Identifier: GPL-2.0-only
/*
 * Livepatch whose new /proc/cmdline reads a vmlinux variable and calls a
 * vmlinux function that are not exported, through klp relocations.
 */

#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include "test_klp_reloc.h"

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: %s core_kernel_text=%s\n", THIS_MODULE->name,
		   saved_command_line,
		   core_kernel_text((unsigned long)&seq_printf) ? "works" : "fails");
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
		/* name being NULL means vmlinux */
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int test_klp_reloc_vmlinux_init(void)
{
	return klp_enable_patch(&patch);
}

static void test_klp_reloc_vmlinux_exit(void)
{
}

module_init(test_klp_reloc_vmlinux_init);
module_exit(test_klp_reloc_vmlinux_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("Livepatch relocation test: unexported vmlinux symbols");
