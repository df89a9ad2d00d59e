// SPDX-License-Identifier: GPL-2.0-only
/*
 * Livepatch for test_klp_reloc_target that reads and sets the target's own
 * static key through a klp relocation: the patched answer enables the key
 * (static_branch_enable(), which patches the target's code) and reports
 * static_key_enabled() as 1000 + 0 or 1.  The target's "key" parameter,
 * read through its own static branch, then says "on".
 */

#include <linux/jump_label.h>
#include <linux/kernel.h>
#include "test_klp_reloc_answer.h"
#include "test_klp_reloc.h"

static int livepatch_answer(void)
{
	static_branch_enable(&test_klp_reloc_key);
	return 1000 + static_key_enabled(&test_klp_reloc_key);
}

MODULE_DESCRIPTION("Livepatch relocation test: a target module's static key");
