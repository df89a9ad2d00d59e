// SPDX-License-Identifier: GPL-2.0-only
/*
 * The patch of test_klp_reloc_mod, written the way kpatch-style generators
 * and hand-written patches name what they reach: every symbol of the
 * target already carries its .klp.sym name (the quotes are for the
 * assembler, which would read the comma as an operand separator).  kbuild
 * and klp-convert must keep those names, mark them SHN_LIVEPATCH and move
 * their relocations into .klp.rela sections; the answer is the same.
 */

#include <linux/kernel.h>
#include "test_klp_reloc_answer.h"
#include "test_klp_reloc_named.h"

static int livepatch_answer(void)
{
	return named_secret * 1000 + named_dup * 100 + named_helper(0);
}

MODULE_DESCRIPTION("Livepatch relocation test: symbols named in the format by the source");
