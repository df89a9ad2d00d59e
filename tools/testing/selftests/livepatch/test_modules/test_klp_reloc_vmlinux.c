// SPDX-License-Identifier: GPL-2.0-only
/*
 * Livepatch whose new /proc/cmdline reads a vmlinux variable and calls a
 * vmlinux function that are not exported, through klp relocations.
 */

#include <linux/kernel.h>
#include <linux/seq_file.h>
#include "test_klp_reloc.h"
#include "test_klp_reloc_cmdline.h"

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s: %s core_kernel_text=%s\n", THIS_MODULE->name,
		   saved_command_line,
		   core_kernel_text((unsigned long)&seq_printf) ? "works" : "fails");
	return 0;
}

MODULE_DESCRIPTION("Livepatch relocation test: unexported vmlinux symbols");
