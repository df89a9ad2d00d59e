// SPDX-License-Identifier: GPL-2.0-only
/*
 * Target for test_klp_keys_mod: a static key, a tracepoint and a static
 * call of its own, each with a knob.  Parameters:
 *   answer  (read)  test_klp_keys_answer(): 1000 + 100 if the branch is
 *                   on, + 2 or + 4 by the static call's two calls (2000 +
 *                   ... patched)
 *   via     (read)  how the last plain static call came: "direct",
 *                   "trampoline" or "none" (none since the last read)
 *   branch  (write) 0 or 1: the static key
 *   call    (write) 1 or 2: the static call's function
 *   probe   (write) 0 or 1: a probe on the tracepoint, which counts
 *   hits    (read)  the probe's count, and the last value it saw
 */

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <asm/ibt.h>
#include <asm/text-patching.h>

#define CREATE_TRACE_POINTS
#include "test_klp_keys.h"

__used DEFINE_STATIC_KEY_FALSE(test_klp_keys_branch);

/*
 * How the last plain call of the static call came, read off the call
 * instruction before the callee's return address (x86's CALL rel32): a
 * site that the static call code linked calls the function itself (or
 * past its ENDBR, or, with call depth tracking, a thunk in the 16 bytes of
 * padding before it); a site it did not link calls the trampoline, which
 * jumps on.  A tail call returns to its caller's caller, whose call is to
 * neither, and is not counted.
 */
enum { VIA_NONE, VIA_DIRECT, VIA_TRAMPOLINE };
static atomic_t via;

static void test_klp_keys_saw(unsigned long fn, unsigned long ret)
{
	unsigned long to;
	s32 rel;

	if (*(const u8 *)(ret - CALL_INSN_SIZE) != CALL_INSN_OPCODE)
		return;
	memcpy(&rel, (const void *)(ret - sizeof(rel)), sizeof(rel));
	to = ret + rel;
	if (to == (unsigned long)STATIC_CALL_TRAMP_ADDR(test_klp_keys_call))
		atomic_set(&via, VIA_TRAMPOLINE);
	else if (to <= fn + ENDBR_INSN_SIZE && to + 16 >= fn)
		atomic_set(&via, VIA_DIRECT);
}

int test_klp_keys_one(int x)
{
	test_klp_keys_saw((unsigned long)test_klp_keys_one,
			  (unsigned long)__builtin_return_address(0));
	return x + 1;
}

static int test_klp_keys_two(int x)
{
	test_klp_keys_saw((unsigned long)test_klp_keys_two,
			  (unsigned long)__builtin_return_address(0));
	return x + 2;
}

DEFINE_STATIC_CALL(test_klp_keys_call, test_klp_keys_one);

static atomic_t hits;
static atomic_t last;

static void test_klp_keys_probe(void *data, int value)
{
	atomic_inc(&hits);
	atomic_set(&last, value);
}

noinline int test_klp_keys_answer(void)
{
	return test_klp_keys_body(1000);
}

static int answer_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", test_klp_keys_answer());
}

static const struct kernel_param_ops answer_ops = {
	.get = answer_get,
};
module_param_cb(answer, &answer_ops, NULL, 0444);

static int via_get(char *buf, const struct kernel_param *kp)
{
	static const char *const names[] = {
		[VIA_NONE] = "none",
		[VIA_DIRECT] = "direct",
		[VIA_TRAMPOLINE] = "trampoline",
	};

	return sysfs_emit(buf, "%s\n", names[atomic_xchg(&via, VIA_NONE)]);
}

static const struct kernel_param_ops via_ops = {
	.get = via_get,
};
module_param_cb(via, &via_ops, NULL, 0444);

static int branch_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err = kstrtobool(val, &on);

	if (err)
		return err;
	if (on)
		static_branch_enable(&test_klp_keys_branch);
	else
		static_branch_disable(&test_klp_keys_branch);
	return 0;
}

static const struct kernel_param_ops branch_ops = {
	.set = branch_set,
};
module_param_cb(branch, &branch_ops, NULL, 0200);

static int call_set(const char *val, const struct kernel_param *kp)
{
	unsigned int which;
	int err = kstrtouint(val, 0, &which);

	if (err)
		return err;
	if (which != 1 && which != 2)
		return -EINVAL;
	static_call_update(test_klp_keys_call,
			   which == 1 ? test_klp_keys_one : test_klp_keys_two);
	return 0;
}

static const struct kernel_param_ops call_ops = {
	.set = call_set,
};
module_param_cb(call, &call_ops, NULL, 0200);

static bool probing;

static int probe_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err = kstrtobool(val, &on);

	if (err || on == probing)
		return err;
	err = on ? register_trace_test_klp_keys_event(test_klp_keys_probe,
						      NULL) :
		   unregister_trace_test_klp_keys_event(test_klp_keys_probe,
							NULL);
	if (!err)
		probing = on;
	return err;
}

static const struct kernel_param_ops probe_ops = {
	.set = probe_set,
};
module_param_cb(probe, &probe_ops, NULL, 0200);

static int hits_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d %d\n", atomic_read(&hits),
			  atomic_read(&last));
}

static const struct kernel_param_ops hits_ops = {
	.get = hits_get,
};
module_param_cb(hits, &hits_ops, NULL, 0444);

static void __exit test_klp_keys_exit(void)
{
	if (probing)
		unregister_trace_test_klp_keys_event(test_klp_keys_probe, NULL);
	tracepoint_synchronize_unregister();
}

module_exit(test_klp_keys_exit);
MODULE_DESCRIPTION("Livepatch test target: a static key, a tracepoint and a static call of its own");
MODULE_LICENSE("GPL");
