// SPDX-License-Identifier: GPL-2.0-only
/*
 * Init-only part of test_klp_reloc_target, linked first: one more static
 * named test_klp_reloc_dup, in .init.data, ahead of the two that stay.
 * While the module is coming its symbol table still lists this copy; the
 * kernel must count sympos among the symbols that stay after init, as the
 * klp tools do, or KLP_SYMPOS(test_klp_reloc_dup, 2) would bind the wrong
 * copy when the target loads after its patch.
 */

#include <linux/compiler.h>
#include <linux/init.h>

static int test_klp_reloc_dup __used __initdata = 7;
