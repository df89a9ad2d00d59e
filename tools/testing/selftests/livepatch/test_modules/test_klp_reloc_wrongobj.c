// SPDX-License-Identifier: GPL-2.0-only
/*
 * Livepatch that patches only vmlinux but uses a symbol of
 * test_klp_reloc_target, so it carries a klp section for an object that
 * is not one of its klp_objects.  klp_enable_patch() must refuse it.
 */

#include <linux/kernel.h>
#include <linux/seq_file.h>
#include "test_klp_reloc.h"
#include "test_klp_reloc_cmdline.h"

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", test_klp_reloc_secret);
	return 0;
}

MODULE_DESCRIPTION("Livepatch relocation test: section for an unknown object");
