/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The livepatch relocation core's interface to the rest of
 * kernel/livepatch and to its KUnit suite.
 */
#ifndef _LIVEPATCH_RELOC_H
#define _LIVEPATCH_RELOC_H

#include <linux/elf.h>
#include <linux/klp_format.h>
#include <linux/livepatch.h>
#include <linux/module.h>

/**
 * struct klp_elf - the parts of a patch module's ELF image the core reads
 * @modname: the patch module's name, for messages
 * @pmod: the patch module, or NULL when only validating (KUnit)
 * @sechdrs: section headers; sh_addr of each is where its bytes are now
 * @shnum: number of section headers
 * @secstrings: section name string table
 * @secstrings_size: its size in bytes
 * @symndx: index of the symbol table section
 * @syms: the symbol table
 * @nsyms: number of entries in @syms
 * @strtab: the symbol string table
 * @strtab_size: its size in bytes
 */
struct klp_elf {
	const char *modname;
	struct module *pmod;
	Elf_Shdr *sechdrs;
	unsigned int shnum;
	const char *secstrings;
	size_t secstrings_size;
	unsigned int symndx;
	Elf_Sym *syms;
	unsigned int nsyms;
	const char *strtab;
	size_t strtab_size;
};

/**
 * struct klp_rsec - a .klp.rela section that passed validation
 * @secndx: its index
 * @name: its parsed name (spans into the section name string table)
 * @relas: its entries
 * @nrelas: how many
 * @target: the section its entries write into
 */
struct klp_rsec {
	unsigned int secndx;
	struct klp_rela_name name;
	Elf_Rela *relas;
	unsigned int nrelas;
	Elf_Shdr *target;
};

/**
 * struct klp_sympos - counting the symbols of one name, in kallsyms order
 * @want: the sympos asked for: 0 for "unique", N for the Nth
 * @count: how many symbols of that name were seen
 * @addr: the address picked so far
 */
struct klp_sympos {
	unsigned int want;
	unsigned int count;
	unsigned long addr;
};

int klp_elf_init(struct klp_elf *elf, const char *modname,
		 struct module *pmod, const Elf_Ehdr *hdr, Elf_Shdr *sechdrs,
		 const char *secstrings, unsigned int symndx);
int klp_reloc_scan(const struct klp_elf *elf, const char *objname,
		   struct klp_rsec **rsecs, unsigned int *nrsecs);
void klp_sympos_match(struct klp_sympos *sp, unsigned long addr);
int klp_sympos_result(const struct klp_sympos *sp);

int klp_reloc_check_objects(struct klp_patch *patch);
int klp_reloc_apply_object(struct klp_patch *patch, struct klp_object *obj);
void klp_reloc_clear_object(struct klp_patch *patch, struct klp_object *obj);

#endif /* _LIVEPATCH_RELOC_H */
