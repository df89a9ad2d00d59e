// SPDX-License-Identifier: GPL-2.0-only
/*
 * Livepatch of /proc/cmdline whose own code branches on a static key of
 * vmlinux that vmlinux does not export: the sched_switch tracepoint's.  The
 * patch module's __jump_table entry reaches the key through a
 * .klp.rela.vmlinux.__jump_table relocation, written at load before the
 * entry is read.  Enabling the trace event flips the branch.
 */

#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <trace/events/sched.h>
#include "test_klp_reloc.h"
#include "test_klp_reloc_cmdline.h"

static int livepatch_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s [sched_switch: %s]\n", saved_command_line,
		   static_key_false(&__tracepoint_sched_switch.key) ? "on" : "off");
	return 0;
}

MODULE_DESCRIPTION("Livepatch relocation test: a static branch on a vmlinux key");
