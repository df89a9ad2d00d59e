/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The body of a test livepatch that replaces test_klp_reloc_answer() in
 * test_klp_reloc_target with livepatch_answer(), defined by the file that
 * includes this one (which may define REPLACE true first): what each such
 * test module proves lies in that function and the data it reaches.
 */
#ifndef _TEST_KLP_RELOC_ANSWER_H
#define _TEST_KLP_RELOC_ANSWER_H

#include <linux/livepatch.h>
#include <linux/module.h>

#ifndef REPLACE
#define REPLACE false
#endif

static int livepatch_answer(void);

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
	.replace = REPLACE,
};

static int test_klp_reloc_answer_init(void)
{
	return klp_enable_patch(&patch);
}

static void test_klp_reloc_answer_exit(void)
{
}

module_init(test_klp_reloc_answer_init);
module_exit(test_klp_reloc_answer_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");

#endif /* _TEST_KLP_RELOC_ANSWER_H */
