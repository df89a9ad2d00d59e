// SPDX-License-Identifier: GPL-2.0-only
/*
 * A livepatch for the module livepatch_klp_mod that uses the module's
 * static function klp_mod_word() and static variable klp_mod_counter.
 * klp-convert turns them into .klp.sym.livepatch_klp_mod.<name>,0 symbols
 * in .klp.rela.livepatch_klp_mod..text, which the kernel applies whenever
 * the module comes, before or after this patch.
 *
 *   cat /sys/kernel/livepatch_klp_mod/value	-> "patched 1", "patched 2", ...
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/sysfs.h>
#include "livepatch-klp-mod.h"

static ssize_t klp_modpatch_value_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s %d\n", klp_mod_word(1), ++klp_mod_counter);
}

static struct klp_func funcs[] = {
	{
		.old_name = "klp_mod_value_show",
		.new_func = klp_modpatch_value_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		.name = "livepatch_klp_mod",
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_modpatch_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_modpatch_exit(void)
{
}

module_init(klp_modpatch_init);
module_exit(klp_modpatch_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Livepatch sample: patch a module through its static symbols");
MODULE_INFO(livepatch, "Y");
