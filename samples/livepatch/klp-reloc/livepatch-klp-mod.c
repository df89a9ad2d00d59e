// SPDX-License-Identifier: GPL-2.0-only
/*
 * The target of livepatch-klp-modpatch: a module whose behaviour lives in
 * static functions and static data, which nothing outside it can link to.
 *
 *   cat /sys/kernel/livepatch_klp_mod/value	-> "unpatched 1", "unpatched 2", ...
 */
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/sysfs.h>

static const char * const klp_mod_words[] = { "unpatched", "patched" };
static int klp_mod_counter;

/*
 * noipa: neither inlined nor cloned (no .constprop.0), so the symbol the
 * patch binds to exists under this name.
 */
static __attribute__((__noipa__)) const char *klp_mod_word(int i)
{
	return klp_mod_words[i & 1];
}

static __attribute__((__noipa__)) ssize_t klp_mod_value_show(struct kobject *kobj,
					   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s %d\n", klp_mod_word(0), ++klp_mod_counter);
}

static struct kobj_attribute klp_mod_value_attr = __ATTR(value, 0444, klp_mod_value_show, NULL);
static struct kobject *klp_mod_kobj;

static int __init klp_mod_init(void)
{
	int ret;

	klp_mod_kobj = kobject_create_and_add("livepatch_klp_mod", kernel_kobj);
	if (!klp_mod_kobj)
		return -ENOMEM;
	ret = sysfs_create_file(klp_mod_kobj, &klp_mod_value_attr.attr);
	if (ret)
		kobject_put(klp_mod_kobj);
	return ret;
}

static void __exit klp_mod_exit(void)
{
	kobject_put(klp_mod_kobj);
}

module_init(klp_mod_init);
module_exit(klp_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Livepatch sample target: behaviour in static functions and data");
