// SPDX-License-Identifier: GPL-2.0-only
/*
 * Livepatch for test_klp_reloc_target that reads the target's static data
 * and calls its static function, all through module-specific klp
 * relocations, and a non-exported vmlinux variable through a vmlinux one.
 * Patched, the target's "answer" is 42 * 1000 + 2 * 100 + 7.
 * Two functions in two sections give the patch two klp sections for the
 * target, which the failure-atomicity test relies on.
 */

#include <linux/kernel.h>
#include <linux/livepatch_sympos.h>
#include "test_klp_reloc_answer.h"
#include "test_klp_reloc.h"

KLP_SYMPOS(test_klp_reloc_dup, 2);

static noinline __section(".text.klp_second") int second_half(void)
{
	return test_klp_reloc_dup * 100 + test_klp_reloc_helper(0);
}

/* vmlinux's relocations come along too; the answer does not change. */
static int livepatch_answer(void)
{
	return test_klp_reloc_secret * 1000 + second_half() +
	       !saved_command_line;
}

MODULE_DESCRIPTION("Livepatch relocation test: patch for a module target");
