/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_klp_keys_target's function that test_klp_keys_mod patches, once:
 * the target's copy counts from 1000, the patch's from 2000.  Both take
 * the static branch, the tracepoint and the static call of the target.
 */
#ifndef _TEST_KLP_KEYS_H
#define _TEST_KLP_KEYS_H

#include <linux/jump_label.h>
#include <linux/static_call.h>
#include "test_klp_keys_trace.h"

/* The target's: static there, or not exported. */
extern struct static_key_false test_klp_keys_branch;
int test_klp_keys_one(int x);
DECLARE_STATIC_CALL(test_klp_keys_call, test_klp_keys_one);

/*
 * @base, plus 100 while the branch is on, plus twice what the static call
 * adds (1 or 2); the tracepoint sees the value before the calls.  Two
 * call sites: a plain call, whose callee can tell from its return address
 * whether the site calls it directly or through the static call's
 * trampoline (the target's "via"), and a tail call.
 */
static __always_inline int test_klp_keys_body(int base)
{
	int v = base;

	if (static_branch_unlikely(&test_klp_keys_branch))
		v += 100;
	trace_test_klp_keys_event(v);
	v += static_call(test_klp_keys_call)(0);
	return static_call(test_klp_keys_call)(v);
}

#endif /* _TEST_KLP_KEYS_H */
