// SPDX-License-Identifier: GPL-2.0-only
/*
 * Livepatch for test_klp_keys_target's test_klp_keys_answer(): the same
 * body, counting from 2000, so that it takes the target's static branch,
 * tracepoint and static call, whose keys live in the target
 * (Documentation/livepatch/module-static-keys.rst).
 */

#include <linux/livepatch.h>
#include <linux/module.h>
#include "test_klp_keys.h"

static int livepatch_answer(void)
{
	return test_klp_keys_body(2000);
}

static struct klp_func funcs[] = {
	{
		.old_name = "test_klp_keys_answer",
		.new_func = livepatch_answer,
	}, { }
};

static struct klp_object objs[] = {
	{
		.name = "test_klp_keys_target",
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int test_klp_keys_mod_init(void)
{
	return klp_enable_patch(&patch);
}

static void test_klp_keys_mod_exit(void)
{
}

module_init(test_klp_keys_mod_init);
module_exit(test_klp_keys_mod_exit);
MODULE_DESCRIPTION("Livepatch test: a target module's static key, tracepoint and static call");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
