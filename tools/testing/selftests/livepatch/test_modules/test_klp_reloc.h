/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Symbols the livepatch relocation test modules use without linking
 * against them: klp-convert turns every reference into a klp relocation.
 */
#ifndef _TEST_KLP_RELOC_H
#define _TEST_KLP_RELOC_H

#include <linux/jump_label.h>

/* vmlinux, not exported */
extern char *saved_command_line;
int core_kernel_text(unsigned long addr);

/* test_klp_reloc_target, static there */
extern struct static_key_false test_klp_reloc_key;
extern int test_klp_reloc_secret;
extern int test_klp_reloc_dup;
int test_klp_reloc_helper(int x);

#endif /* _TEST_KLP_RELOC_H */
