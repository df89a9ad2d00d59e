/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the livepatch relocation core (kernel/livepatch/reloc.c) asks of an
 * architecture: the width of each relocation type, its value with a range
 * check made before anything is written, a way to write into a patch
 * module that may already be running (which also clears what was written),
 * whether an ftrace call site of a patch module is one ftrace can patch,
 * whether the sites of its code-patching lists lie in its own text, and
 * whether its jump entries and static call sites for module objects are
 * ones the jump label and static call code can patch.
 * An architecture that provides all of these selects
 * HAVE_KLP_RELOC_CHECKED; the core calls none of them elsewhere.
 */
#ifndef _LINUX_KLP_RELOC_ARCH_H
#define _LINUX_KLP_RELOC_ARCH_H

#include <linux/elf.h>
#include <linux/module.h>
#include <linux/types.h>

int arch_klp_rela_width(unsigned int type);
int arch_klp_rela_value(unsigned int type, u64 sa, unsigned long loc,
			u64 *val);
void arch_klp_write_begin(struct module *pmod);
void arch_klp_write(struct module *pmod, void *loc, const void *src,
		    size_t len);
void arch_klp_write_end(struct module *pmod);
bool arch_klp_ftrace_site(unsigned long ip);
int arch_klp_check_sites(const struct module *mod, const Elf_Ehdr *hdr,
			 const Elf_Shdr *sechdrs, const char *secstrings);
int arch_klp_check_jump_entry(const struct module *mod, const char *name,
			      const void *table, unsigned long i);
int arch_klp_check_jump_state(const char *pname, const char *obj,
			      const void *table, unsigned long i);
int arch_klp_check_call_site(const struct module *mod, const char *name,
			     const void *table, unsigned long i, bool tail);
int arch_klp_check_call_state(const char *pname, const struct module *mod,
			      const void *table, unsigned long i, void **tramp);

#endif /* _LINUX_KLP_RELOC_ARCH_H */
