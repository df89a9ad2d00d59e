/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_klp_reloc_target's symbols, named in the livepatch format by the
 * source itself.  The quotes are for the assembler, which would otherwise
 * read the comma before the sympos as an operand separator.
 */
#ifndef _TEST_KLP_RELOC_NAMED_H
#define _TEST_KLP_RELOC_NAMED_H

extern int named_secret
	__asm__("\".klp.sym.test_klp_reloc_target.test_klp_reloc_secret,0\"");
extern int named_dup
	__asm__("\".klp.sym.test_klp_reloc_target.test_klp_reloc_dup,2\"");
int named_helper(int x)
	__asm__("\".klp.sym.test_klp_reloc_target.test_klp_reloc_helper,0\"");

#endif /* _TEST_KLP_RELOC_NAMED_H */
