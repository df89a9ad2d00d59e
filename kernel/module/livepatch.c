// SPDX-License-Identifier: GPL-2.0-only
/*
 * The module loader's share of livepatch support.
 *
 * A patch module's relocations against a module are applied whenever that
 * module loads, which may be long after the loader has thrown the patch
 * module's ELF image away.  So the loader keeps what the relocation core
 * (kernel/livepatch/reloc.c) validated and kept at load (struct
 * klp_reloc_state), and what the format promises to keep: the ELF header,
 * the section headers and the section names, with the symbol and string
 * tables that kallsyms keeps.  It also keeps the two livepatch markers to modules
 * that declare themselves livepatch modules.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/elf.h>
#include <linux/ftrace.h>
#include <linux/klp_compat.h>
#include <linux/klp_keys.h>
#include <linux/klp_reloc_arch.h>
#include <linux/klp_rules.h>
#include <linux/livepatch.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "internal.h"

/**
 * copy_module_elf() - keep a patch module's ELF metadata in mod->klp_info
 * @mod: the livepatch module being loaded
 * @info: the loader's view of its image, sh_addr pointing at loaded sections
 *
 * The kept symbol and string tables are the ones kallsyms keeps: for a
 * livepatch module, add_kallsyms() has copied every symbol, in the same
 * order (so symbol indices in relocations stay valid) and with its whole
 * name, into the module's own memory, which outlives @mod->klp_info.  Their
 * sh_addr and sh_size in the kept section headers describe those copies.
 *
 * The relocation core's state moves from @info to the kept metadata,
 * which frees it with the module.
 *
 * Return: 0, -ENOEXEC for a symbol table that is its own string table
 * (klp_reloc_load() refuses it first), or -ENOMEM.
 */
int copy_module_elf(struct module *mod, struct load_info *info)
{
	unsigned int symndx = info->index.sym, strndx = info->index.str;
	struct klp_modinfo *ki;
	int err = -ENOMEM;

	/* One section header cannot describe both tables. */
	if (symndx == strndx)
		return -ENOEXEC;
	ki = kzalloc(sizeof(*ki), GFP_KERNEL);
	if (!ki)
		goto nomem;
	ki->hdr = *info->hdr;
	ki->symndx = symndx;
	ki->sechdrs = kmemdup(info->sechdrs,
			      sizeof(*info->sechdrs) * info->hdr->e_shnum,
			      GFP_KERNEL);
	if (!ki->sechdrs)
		goto fail;
	ki->sechdrs[symndx].sh_addr = (unsigned long)mod->core_kallsyms.symtab;
	ki->sechdrs[symndx].sh_size = mod->core_kallsyms.num_symtab *
				      sizeof(Elf_Sym);
	ki->sechdrs[strndx].sh_addr = (unsigned long)mod->core_kallsyms.strtab;
	ki->sechdrs[strndx].sh_size = mod->core_kallsyms.typetab -
				      mod->core_kallsyms.strtab;
	ki->secstrings = kmemdup(info->secstrings,
				 info->sechdrs[info->hdr->e_shstrndx].sh_size,
				 GFP_KERNEL);
	if (!ki->secstrings)
		goto fail;
	ki->relocs = info->klp_relocs;
	info->klp_relocs = NULL;
	mod->klp_info = ki;
	return 0;

fail:
	kfree(ki->sechdrs);
	kfree(ki->secstrings);
	kfree(ki);
nomem:
	pr_err("%s: out of memory keeping its ELF information\n", mod->name);
	return err;
}

/**
 * free_module_elf() - release what copy_module_elf() kept
 * @mod: the livepatch module being freed
 */
void free_module_elf(struct module *mod)
{
	struct klp_modinfo *ki = mod->klp_info;

	if (!ki)
		return;
	kfree(ki->sechdrs);
	kfree(ki->secstrings);
	klp_reloc_free(ki->relocs);
	kfree(ki);
	mod->klp_info = NULL;
}

/**
 * free_klp_relocs() - free klp relocation state that no module took
 * @info: a load that failed before copy_module_elf(), or that is done
 */
void free_klp_relocs(struct load_info *info)
{
	klp_reloc_free(info->klp_relocs);
	info->klp_relocs = NULL;
}

/**
 * check_klp_image() - refuse a livepatch module the loader cannot trust
 * @mod: a module with the livepatch modinfo
 * @info: its image, not yet laid out
 *
 * copy_module_elf() keeps the symbol table and its string table, each in
 * its own section header; one that names itself as its string table
 * cannot be kept.  The
 * loader keeps every symbol of a livepatch module, reading its name
 * unchecked, and lays its sections out by their alignment, in blocks no
 * larger than the machine's memory or module space can hold.  The rules
 * are the relocation core's, checked before the loader reads names or
 * lays anything out.
 *
 * Return: 0, or -ENOEXEC or -ENOMEM after one message.
 */
int check_klp_image(struct module *mod, const struct load_info *info)
{
	struct klp_elf elf;
	int err;

	klp_elf_describe(&elf, mod->name, info->sechdrs, info->hdr->e_shnum,
			 info->secstrings, info->index.sym);
	/* vmalloc() refuses more than the machine has, with a stack dump. */
	elf.mem_limit = (unsigned long long)totalram_pages() << PAGE_SHIFT;
#ifdef MODULES_LEN
	elf.mem_limit = min_t(unsigned long long, elf.mem_limit, MODULES_LEN);
#endif
	err = klp_rules_symtab(&elf, info->hdr->e_shstrndx);
	if (err)
		return err;
	return klp_rules_loader(&elf);
}

#if KLP_CHECK_SECTIONS
/**
 * check_sections() - refuse a section table that 6.1's loader misreads
 * @info: any module's image, its section headers and name table checked
 *
 * The loader looks sections up by name (find_sec()) before it knows which
 * module this is, or whether it is a livepatch module; 6.1 reads each
 * name unchecked.  The table ends in a NUL, so a name that starts in it
 * ends in it.  The loader then takes the first SHF_ALLOC section named
 * .gnu.linkonce.this_module for the module's struct module, whatever its
 * type and size: a shorter one leaves the struct's end in other sections
 * (a mutated patch module oopsed in add_kallsyms() this way), and one
 * without bytes in the file is read from wherever its offset says.  Later
 * kernels check both.
 *
 * Return: 0, or -ENOEXEC after one message.
 */
int check_sections(const struct load_info *info)
{
	unsigned long size = info->sechdrs[info->hdr->e_shstrndx].sh_size;
	const Elf_Shdr *s;
	unsigned int i;

	for (i = 0; i < info->hdr->e_shnum; i++) {
		if (info->sechdrs[i].sh_name < size)
			continue;
		pr_err("module section [%u]: name offset %u is outside the section name table (%lu bytes)\n",
		       i, info->sechdrs[i].sh_name, size);
		return -ENOEXEC;
	}
	for (i = 1; i < info->hdr->e_shnum; i++) {
		s = &info->sechdrs[i];
		if (!(s->sh_flags & SHF_ALLOC) ||
		    strcmp(info->secstrings + s->sh_name,
			   ".gnu.linkonce.this_module"))
			continue;
		if (s->sh_type != SHT_NOBITS &&
		    s->sh_size == sizeof(struct module))
			return 0;
		pr_err("module section .gnu.linkonce.this_module: %llu bytes%s (section [%u]), not this kernel's struct module of %zu\n",
		       (unsigned long long)s->sh_size,
		       s->sh_type == SHT_NOBITS ? ", none in the file" : "",
		       i, sizeof(struct module));
		return -ENOEXEC;
	}
	return 0;
}
#endif

/**
 * check_klp_modstruct() - refuse a struct module that brings loader state
 * @mod: the module's struct module, as its image has it
 * @livepatch: whether the module has the livepatch modinfo
 *
 * The loader fills in struct module as it goes and, where it does not,
 * takes what the image brought for its own: a per-CPU area it frees, sysfs
 * attributes it frees, the livepatch flag, taints.  A livepatch module's
 * must hold nothing but its name (klp_modstruct_stray()); any other
 * module's must not say it is a livepatch module, which would let it
 * patch without the livepatch taint.  Called first in check_modinfo(),
 * before the loader writes anything there.
 *
 * Return: 0, or -ENOEXEC after one message.
 */
int check_klp_modstruct(const struct module *mod, bool livepatch)
{
	const unsigned char *b = (const unsigned char *)mod;
	size_t off;

	static_assert(offsetof(struct module, name) == KLP_MODSTRUCT_NAME_OFF);
	static_assert(sizeof_field(struct module, name) ==
		      KLP_MODSTRUCT_NAME_LEN);
	if (!livepatch) {
		if (!mod->klp)
			return 0;
		pr_err("%.*s: its struct module says it is a livepatch module, but the module lacks modinfo livepatch=Y\n",
		       (int)sizeof(mod->name), mod->name);
		return -ENOEXEC;
	}
	/* The loader has checked the section's size. */
	off = klp_modstruct_stray(b, sizeof(*mod));
	if (off == sizeof(*mod))
		return 0;
	pr_err("%.*s: section .gnu.linkonce.this_module: byte 0x%02x at offset %zu of struct module, where a module brings nothing but its name; the loader would take it for its own state\n",
	       (int)sizeof(mod->name), mod->name, b[off], off);
	return -ENOEXEC;
}

/**
 * check_klp_markers() - refuse livepatch markers in a non-livepatch module
 * @mod: a module without the livepatch modinfo
 * @info: its image, not yet laid out
 *
 * SHF_RELA_LIVEPATCH sections and SHN_LIVEPATCH symbols bind symbols that
 * vmlinux does not export; only a module that takes the livepatch taint
 * may use them.
 *
 * Return: 0, or -ENOEXEC naming the first marker or bad name found.
 */
int check_klp_markers(struct module *mod, const struct load_info *info)
{
	const Elf_Shdr *symsec = &info->sechdrs[info->index.sym];
	const Elf_Shdr *strsec = &info->sechdrs[info->index.str];
	const Elf_Sym *sym = (void *)info->hdr + symsec->sh_offset;
	unsigned int i, n = symsec->sh_size / sizeof(*sym);
	const char *name;

	for (i = 1; i < info->hdr->e_shnum; i++) {
		if (info->sechdrs[i].sh_flags & SHF_RELA_LIVEPATCH) {
			name = klp_str(info->secstrings,
				       info->sechdrs[info->hdr->e_shstrndx].sh_size,
				       info->sechdrs[i].sh_name);
			pr_err("%s: section %s is SHF_RELA_LIVEPATCH, but the module lacks modinfo livepatch=Y\n",
			       mod->name, name ?: "(bad name)");
			return -ENOEXEC;
		}
	}
	for (i = 1; i < n; i++) {
		size_t off = min_t(size_t, sym[i].st_name, strsec->sh_size);

		if (sym[i].st_shndx != SHN_LIVEPATCH)
			continue;
		pr_err("%s: symbol '%.*s' is SHN_LIVEPATCH, but the module lacks modinfo livepatch=Y\n",
		       mod->name,
		       (int)strnlen(info->strtab + off, strsec->sh_size - off),
		       info->strtab + off);
		return -ENOEXEC;
	}
	return 0;
}

/**
 * check_klp_sites() - refuse a patch whose code-patching lists point out
 * @mod: a module, laid out and relocated, before module_finalize()
 * @info: its image
 *
 * The architecture rewrites the instructions its lists name, at the
 * addresses a livepatch module's relocations put there; those must be the
 * module's own (arch_klp_check_sites()).
 *
 * Return: 0, or -ENOEXEC naming the first bad entry.
 */
int check_klp_sites(struct module *mod, const struct load_info *info)
{
#ifdef CONFIG_HAVE_KLP_RELOC_CHECKED
	int err;

	if (!is_livepatch_module(mod))
		return 0;
	err = arch_klp_check_sites(mod, info->hdr, info->sechdrs,
				   info->secstrings);
	if (!err)
		err = klp_keys_check(mod, info->klp_relocs, info->hdr,
				     info->sechdrs, info->secstrings);
	return err;
#else
	return 0;
#endif
}

/**
 * check_klp_callsites() - refuse a patch whose ftrace call sites are not
 * @mod: a module, relocated and finalized, before ftrace_module_init()
 *
 * Each entry of a module's __mcount_loc, filled in by its relocations,
 * must be a call to __fentry__ in the module's text: ftrace rewrites it,
 * and on anything else it disables itself, and every livepatch with it,
 * until the next boot.  Nor may it be zero: ftrace skips such an entry
 * but has counted it, and a page of records left empty by the skipping is
 * later read before its start (ftrace_free_mem() at the end of init, in
 * 6.1).  For a livepatch module this is checked first.
 *
 * Return: 0, or -ENOEXEC naming the first bad entry.
 */
int check_klp_callsites(struct module *mod)
{
#if defined(CONFIG_FTRACE_MCOUNT_RECORD) && defined(CONFIG_HAVE_KLP_RELOC_CHECKED)
	unsigned int i;

	if (!is_livepatch_module(mod))
		return 0;
	for (i = 0; i < mod->num_ftrace_callsites; i++) {
		unsigned long ip = mod->ftrace_callsites[i];

		if (!ip) {
			pr_err("%s: section __mcount_loc, entry %u: zero, not a call site (ftrace would count it, skip it, and read before its records)\n",
			       mod->name, i);
			return -ENOEXEC;
		}
		if (klp_mod_text_has(mod, ip, MCOUNT_INSN_SIZE,
				     MCOUNT_INSN_SIZE) &&
		    arch_klp_ftrace_site(ip))
			continue;
		pr_err("%s: section __mcount_loc, entry %u: not a call to __fentry__ in the module's text\n",
		       mod->name, i);
		return -ENOEXEC;
	}
#endif
	return 0;
}
