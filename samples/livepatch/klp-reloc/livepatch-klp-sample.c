// SPDX-License-Identifier: GPL-2.0-only
/*
 * A livepatch for vmlinux that needs klp relocations: the new
 * /proc/cmdline calls nr_processes(), a function vmlinux does not export,
 * and reads total_forks and saved_command_line, variables it does not
 * export either.  klp-convert turns the references into
 * .klp.sym.vmlinux.<name>,0 symbols that the kernel binds at load.
 *
 *   insmod livepatch-klp-sample.ko
 *   cat /proc/cmdline	-> "<cmdline> [klp-sample: processes N, forks M]"
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>		/* saved_command_line */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/sched/stat.h>	/* nr_processes(), total_forks */
#include <linux/seq_file.h>

/*
 * saved_command_line, nr_processes() and total_forks are declared by the
 * headers above but not exported by vmlinux: klp-convert makes klp
 * relocations for them.
 */
static int klp_sample_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s [klp-sample: processes %d, forks %lu]\n",
		   saved_command_line, nr_processes(), total_forks);
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = klp_sample_cmdline_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		/* NULL name: vmlinux */
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_sample_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_sample_exit(void)
{
}

module_init(klp_sample_init);
module_exit(klp_sample_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Livepatch sample: /proc/cmdline through non-exported vmlinux symbols");
MODULE_INFO(livepatch, "Y");
