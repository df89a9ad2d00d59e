// SPDX-License-Identifier: GPL-2.0-only
/*
 * Target module for test-klp-reloc.sh.  Its static code and data are
 * reachable from a livepatch only through klp relocations; reading the
 * "answer" parameter shows whether test_klp_reloc_answer() is patched.
 * Its "key" parameter reads its static key through its own static branch.
 */

#include <linux/jump_label.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

int test_klp_reloc_dup_one(void);

/* Not exported, and static: nothing but a klp relocation binds these. */
static int test_klp_reloc_secret __used = 42;
static int test_klp_reloc_dup __used = 1;
static __used DEFINE_STATIC_KEY_FALSE(test_klp_reloc_key);

static noinline __attribute__((noipa)) int test_klp_reloc_helper(int x)
{
	return x + 7;
}

/* Global, as a function a livepatch replaces by name (old_name). */
int test_klp_reloc_answer(void);

noinline int test_klp_reloc_answer(void)
{
	return 1;
}

/* Keep the helper called so that it stays out of line and unrenamed. */
static int answer_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d %d\n", test_klp_reloc_answer(),
			  test_klp_reloc_helper(0) + test_klp_reloc_dup_one() +
			  test_klp_reloc_dup);
}

static const struct kernel_param_ops answer_ops = {
	.get = answer_get,
};
module_param_cb(answer, &answer_ops, NULL, 0444);

static int key_get(char *buf, const struct kernel_param *kp)
{
	if (static_branch_unlikely(&test_klp_reloc_key))
		return sysfs_emit(buf, "on\n");
	return sysfs_emit(buf, "off\n");
}

static const struct kernel_param_ops key_ops = {
	.get = key_get,
};
module_param_cb(key, &key_ops, NULL, 0444);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Livepatch relocation test: target module");
