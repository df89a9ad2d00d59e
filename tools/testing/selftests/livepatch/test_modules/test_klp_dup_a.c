// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_klp_dup, first half: a target module in which the static function
 * klp_dup_fn() and the static variable klp_dup_value occur twice, once in
 * each of its two compilation units (this one and test_klp_dup_b.c).  A
 * patch can name either only by its position: KLP_SYMPOS(klp_dup_fn, 2).
 */
#include <linux/compiler.h>
#include <linux/module.h>

/* __used and noinline: both must stay in the symbol table under their names. */
static int klp_dup_value __used = 1;

static noinline __used int klp_dup_fn(void)
{
	return READ_ONCE(klp_dup_value);
}

static int __init test_klp_dup_init(void)
{
	return 0;
}

static void __exit test_klp_dup_exit(void)
{
}

module_init(test_klp_dup_init);
module_exit(test_klp_dup_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Livepatch test target: the same static names in two files");
