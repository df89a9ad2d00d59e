// SPDX-License-Identifier: GPL-2.0-only
/*
 * Livepatch for test_klp_reloc_target with a pointer to the target's data
 * in each of two sections of its own, ".xnit.data" and "__jxmp_table".
 * Built, it loads and works.  test-klp-reloc.sh renames them (same length)
 * to ".init.data", which the loader frees after init, and "__jump_table",
 * which the loader consumes at load: a module object's relocations may
 * target neither, since they are written when that module comes.
 */

#include <linux/kernel.h>
#include "test_klp_reloc_answer.h"
#include "test_klp_reloc.h"

static int * const in_init __used __section(".xnit.data") =
	&test_klp_reloc_secret;
static int * const in_special __used __section("__jxmp_table") =
	&test_klp_reloc_secret;

static int livepatch_answer(void)
{
	return 1;
}

MODULE_DESCRIPTION("Livepatch relocation test: targets in init and special sections, once renamed");
