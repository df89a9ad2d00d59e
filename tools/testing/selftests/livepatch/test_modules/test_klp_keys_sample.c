// SPDX-License-Identifier: GPL-2.0-only
/*
 * Livepatch for an in-tree module with real tracepoints: samples/trace_events'
 * trace-events-sample, built from the kernel tree's own source next to this
 * file (klp-reloc.sh copies it in).  Its simple_thread_fn(), the thread that
 * enabling the event foo_bar_with_fn starts, becomes a copy that traces its
 * own strings through the module's tracepoints foo_bar_with_fn and
 * foo_with_template_fn, whose keys and static calls live in the module
 * (Documentation/livepatch/module-static-keys.rst).
 */

#include <linux/kthread.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/sched.h>
#include "trace-events-sample.h"

static int livepatch_simple_thread_fn(void *arg)
{
	int cnt = 0;

	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		schedule_timeout(HZ / 4);
		trace_foo_bar_with_fn("patched", cnt);
		trace_foo_with_template_fn("patched template", cnt);
		cnt++;
	}
	return 0;
}

static struct klp_func funcs[] = {
	{
		.old_name = "simple_thread_fn",
		.new_func = livepatch_simple_thread_fn,
	}, { }
};

static struct klp_object objs[] = {
	{
		.name = "trace_events_sample",
		.funcs = funcs,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int test_klp_keys_sample_init(void)
{
	return klp_enable_patch(&patch);
}

static void test_klp_keys_sample_exit(void)
{
}

module_init(test_klp_keys_sample_init);
module_exit(test_klp_keys_sample_exit);
MODULE_DESCRIPTION("Livepatch test: the trace events sample module's own tracepoints");
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
