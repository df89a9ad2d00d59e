/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rules of the livepatch module ELF format that need no running kernel.
 *
 * The kernel's relocation core (kernel/livepatch/reloc.c) and klp-check
 * (scripts/livepatch/) both validate a patch module with the functions
 * below, so that what one refuses the other refuses too, by construction.
 * Each side describes the image as a struct klp_elf (section headers whose
 * sh_addr points at the section's bytes, as the module loader leaves them)
 * and supplies the function that prints a refusal; the rules themselves,
 * and the words of every refusal, are here.  Like <linux/klp_format.h>, it
 * depends on nothing but the string functions, so it is all static inline.
 */
#ifndef _LINUX_KLP_RULES_H
#define _LINUX_KLP_RULES_H

#include <linux/klp_format.h>

#ifdef __KERNEL__
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/klp_reloc_arch.h>
#include <linux/kernel.h>
#include <linux/module.h>	/* Elf_Shdr and friends */
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#define klp_rules_alloc(n, size)	kvmalloc_array(n, size, GFP_KERNEL)
#define klp_rules_zalloc(n, size)	kvcalloc(n, size, GFP_KERNEL)
#define klp_rules_free(p)		kvfree(p)
#define klp_rules_sort(base, n, size, cmp) sort(base, n, size, cmp, NULL)
#else
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#define klp_rules_alloc(n, size)	calloc(n, size)
#define klp_rules_zalloc(n, size)	calloc(n, size)
#define klp_rules_free(p)		free(p)
#define klp_rules_sort(base, n, size, cmp) qsort(base, n, size, cmp)
/*
 * The includer names its ELF class's types and macros as the kernel does
 * (Elf_Shdr, Elf_Sym, Elf_Rela, ELF_R_SYM(), ELF_R_TYPE()).
 */
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
/* Userspace: <sys/cdefs.h> has it where the C library does. */
#ifndef __always_inline
#define __always_inline	inline
#endif
#endif

/* Not every <elf.h> has the array section types (the kernel's has not). */
#ifndef SHT_INIT_ARRAY
#define SHT_INIT_ARRAY		14
#define SHT_FINI_ARRAY		15
#define SHT_PREINIT_ARRAY	16
#endif

/* The kernel's <uapi/linux/elf.h> has it; glibc's calls bit 21 SHF_GNU_RETAIN. */
#ifndef SHF_RO_AFTER_INIT
#define SHF_RO_AFTER_INIT	0x00200000
#endif

/* A rela entry index for a message that concerns a whole section. */
#define KLP_NO_RELA	(-1)

/*
 * The largest alignment the module loader can honour: it places sections
 * at offsets in memory that is only page aligned.  x86's page size, so
 * that the tools, which know no kernel's page size, agree.
 */
#define KLP_MAX_ALIGN	4096U

/**
 * struct klp_elf - a patch module's ELF image, as the rules read it
 * @modname: the patch module's name (or file), for messages
 * @ctx: the caller's, for @report
 * @report: prints one refusal (for section @secndx, and its entry @rela or
 *	    KLP_NO_RELA) from a printf format ending in a newline; called
 *	    once per refused section
 * @width: bytes a relocation type writes, < 0 if it may not be used
 * @sechdrs: section headers; sh_addr of each is where its bytes are now
 * @shnum: number of section headers
 * @secstrings: section name string table
 * @secstrings_size: its size in bytes
 * @symndx: index of the symbol table section
 * @syms: the symbol table
 * @nsyms: number of entries in @syms
 * @strtab: the symbol string table
 * @strtab_size: its size in bytes
 * @mem_limit: the most bytes one allocation of module memory can have on
 *	       the target (0: no limit known)
 */
struct klp_elf {
	const char *modname;
	void *ctx;
	void (*report)(const struct klp_elf *elf, unsigned int secndx, int rela,
		       const char *fmt, ...);
	int (*width)(unsigned int type);
	Elf_Shdr *sechdrs;
	unsigned int shnum;
	const char *secstrings;
	size_t secstrings_size;
	unsigned int symndx;
	Elf_Sym *syms;
	unsigned int nsyms;
	const char *strtab;
	size_t strtab_size;
	unsigned long long mem_limit;
};

/**
 * struct klp_rsec - a .klp.rela section that passed klp_rules_section()
 * @secndx: its index
 * @name: its parsed name (spans into the section name string table)
 * @relas: its entries
 * @nrelas: how many
 * @target: the section its entries write into
 */
struct klp_rsec {
	unsigned int secndx;
	struct klp_rela_name name;
	const Elf_Rela *relas;
	unsigned int nrelas;
	const Elf_Shdr *target;
};

/**
 * klp_x86_64_rela_width() - how many bytes an x86-64 relocation type writes
 * @type: ELF relocation type
 *
 * The types the kernel's x86-64 writer applies to livepatch relocations,
 * and so the only ones a livepatch relocation may use there.
 *
 * Return: the width (0 for R_X86_64_NONE), or -EINVAL.
 */
static __always_inline int klp_x86_64_rela_width(unsigned int type)
{
	/* The width plus one, by type: 0 is a type that may not be used. */
	static const unsigned char w[25] = {
		[0] = 1,			/* R_X86_64_NONE */
		[1] = 9, [24] = 9,		/* R_X86_64_64, R_X86_64_PC64 */
		[2] = 5, [4] = 5,		/* R_X86_64_PC32, R_X86_64_PLT32 */
		[10] = 5, [11] = 5,		/* R_X86_64_32, R_X86_64_32S */
	};

	/* A table, not a switch: this runs for every entry of a module. */
	if (type >= ARRAY_SIZE(w) || !w[type])
		return -EINVAL;
	return w[type] - 1;
}

/*
 * @elf->width for a type.  In the kernel, x86-64's writer is the only one
 * there is: its table is read inline, with no call (a retpoline, a return
 * thunk) for every entry of a module.
 */
static __always_inline int klp_width(const struct klp_elf *elf,
				     unsigned int type)
{
#if defined(__KERNEL__) && defined(CONFIG_HAVE_KLP_RELOC_CHECKED) && defined(CONFIG_X86_64)
	if (elf->width == arch_klp_rela_width)
		return klp_x86_64_rela_width(type);
#endif
	return elf->width(type);
}

/*
 * x86-64's code-patching lists, as the kernel checks them in a livepatch
 * module before module_finalize() reads them (arch_klp_check_sites()), and
 * klp-check predicts: the size of an entry of each list, the most bytes
 * alternative.c patches at one site (its MAX_PATCH_LEN), and the number of
 * feature bits an alternative may name ((NCAPINTS + NBUGINTS) * 32 in
 * 6.1 and 6.12).  The kernel asserts at build time that these are its own.
 */
#define KLP_X86_SITE_SIZE		4	/* an s32 to the site */
#define KLP_X86_ALT_SIZE_6_1		12	/* struct alt_instr */
#define KLP_X86_ALT_SIZE_6_12		14	/* 32 bits of feature and flags */
#define KLP_X86_PARA_SIZE		16	/* struct paravirt_patch_site */
#define KLP_X86_MAX_PATCH_LEN		254
#define KLP_X86_FEATURE_BITS		((22 + 2) * 32)
#define KLP_X86_ALT_FLAG_INV		0x8000	/* ALTINSTR_FLAG_INV, 6.1 */
#define KLP_X86_ALT_FLAG_DIRECT_CALL	0x2	/* ALT_FLAG_DIRECT_CALL, 6.12 */

/**
 * klp_special_section() - is a section consumed when the patch loads?
 * @name: a patch module section name
 *
 * The loader and module_finalize() read these sections while the patch
 * module loads (jump labels, static calls, alternatives, exception and bug
 * tables, the unwinder, SMP locks, retpoline and return thunk sites).  A
 * module object's relocations are written much later, when that module
 * comes, so an entry of such a section would be read with zeroes where the
 * relocation belongs.  vmlinux's relocations are written before, and may
 * target them.
 *
 * Return: what the section holds, or NULL if it is not one of them.
 */
static inline const char *klp_special_section(const char *name)
{
	static const struct {
		const char *name;
		const char *what;
	} special[] = {
		{ "__jump_table", "static branch (jump label) entries" },
		{ ".static_call_sites", "static call sites" },
		{ ".static_call.text", "static call trampolines" },
		{ ".altinstructions", "alternative instructions" },
		{ ".altinstr_replacement", "alternative instructions" },
		{ ".altinstr_aux", "alternative instructions" },
		{ ".parainstructions", "paravirt patch sites" },
		{ "__ex_table", "exception table entries" },
		{ "__bug_table", "BUG()/WARN() entries" },
		{ ".orc_unwind", "ORC unwind entries" },
		{ ".orc_unwind_ip", "ORC unwind entries" },
		{ ".smp_locks", "SMP lock prefixes" },
		{ ".retpoline_sites", "retpoline sites" },
		{ ".return_sites", "return thunk sites" },
		{ ".ibt_endbr_seal", "IBT ENDBR sites" },
		{ ".call_sites", "call depth tracking sites" },
		{ "__mcount_loc", "ftrace call sites" },
		{ "__patchable_function_entries", "ftrace call sites" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(special); i++)
		if (!strcmp(name, special[i].name))
			return special[i].what;
	return NULL;
}

/*
 * Where struct module keeps the module's name: the same in every
 * configuration of 6.1 and 6.12 on 64-bit (a 4-byte state, padding, a
 * list head; MODULE_NAME_LEN bytes).  The kernel asserts both.
 */
#define KLP_MODSTRUCT_NAME_OFF	24
#define KLP_MODSTRUCT_NAME_LEN	56

/* The first of @n bytes at @p that is not zero, or NULL. */
static inline const unsigned char *klp_nonzero(const unsigned char *p,
					       size_t n)
{
#ifdef __KERNEL__
	return memchr_inv(p, 0, n);
#else
	for (; n; n--, p++)
		if (*p)
			return p;
	return NULL;
#endif
}

/**
 * klp_modstruct_stray() - a byte of a module's own struct module that it
 *			   may not bring
 * @b: the bytes of its .gnu.linkonce.this_module, as in the file
 * @size: how many; at least KLP_MODSTRUCT_NAME_OFF + KLP_MODSTRUCT_NAME_LEN
 *
 * A module brings its struct module with nothing in it but its name
 * (modpost's .mod.c; the init and exit pointers are relocations, zero in
 * the file).  The loader fills in the rest as it goes, and where it does
 * not, takes what is there for its own: a per-CPU area that it frees when
 * the module has none, sysfs attributes that it frees when it made none,
 * the livepatch flag, taints.
 *
 * Return: the offset of the first byte outside the name that is not
 * zero, or @size if there is none.
 */
static inline size_t klp_modstruct_stray(const unsigned char *b, size_t size)
{
	const size_t name_end = KLP_MODSTRUCT_NAME_OFF + KLP_MODSTRUCT_NAME_LEN;
	const unsigned char *p = klp_nonzero(b, KLP_MODSTRUCT_NAME_OFF);

	if (!p)
		p = klp_nonzero(b + name_end, size - name_end);
	return p ? (size_t)(p - b) : size;
}

/**
 * klp_init_section() - does the loader free this section after init?
 * @name: a patch module section name
 *
 * The module loader places ".init*" sections in the init layout, freed
 * once the patch module's init returns.  ".exit*" sections are dropped
 * there too on kernels without module unloading; livepatch requires
 * unloading, so they stay.
 */
static inline bool klp_init_section(const char *name)
{
	return !strncmp(name, ".init", 5);
}

/* A string table offset is usable only if a NUL ends it inside the table. */
static __always_inline const char *klp_str(const char *tab, size_t size,
					   size_t off)
{
	if (!tab || off >= size)
		return NULL;
	/* A table that ends in NUL, as every tool writes it, ends them all. */
	if (tab[size - 1] != '\0' && !memchr(tab + off, '\0', size - off))
		return NULL;
	return tab + off;
}

/**
 * klp_secname() - a section's name, or a placeholder if it has none
 * @elf: the image
 * @i: a section index below @elf->shnum
 */
static inline const char *klp_secname(const struct klp_elf *elf, unsigned int i)
{
	const char *name = klp_str(elf->secstrings, elf->secstrings_size,
				   elf->sechdrs[i].sh_name);

	return name ? name : "(bad name)";
}

/**
 * klp_rules_symtab() - find the symbol and string tables
 * @elf: sechdrs, shnum, secstrings and symndx filled in; the rest is set
 * @shstrndx: index of the section name string table
 *
 * Return: 0, or -ENOEXEC after one report.
 */
static inline int klp_rules_symtab(struct klp_elf *elf, unsigned int shstrndx)
{
	const Elf_Shdr *symsec, *strsec;
	unsigned int sym = elf->symndx;

	if (shstrndx >= elf->shnum || !sym || sym >= elf->shnum) {
		elf->report(elf, 0, KLP_NO_RELA,
			    "no usable symbol table or section name table\n");
		return -ENOEXEC;
	}
	elf->secstrings_size = elf->sechdrs[shstrndx].sh_size;
	symsec = &elf->sechdrs[sym];
	/* A symtab that is its own string table could not be kept. */
	if (symsec->sh_type != SHT_SYMTAB || !symsec->sh_link ||
	    symsec->sh_link >= elf->shnum || symsec->sh_link == sym ||
	    elf->sechdrs[symsec->sh_link].sh_type != SHT_STRTAB) {
		elf->report(elf, sym, KLP_NO_RELA,
			    "symbol table links section %u, which is not a string table\n",
			    symsec->sh_link);
		return -ENOEXEC;
	}
	strsec = &elf->sechdrs[symsec->sh_link];
	elf->syms = (Elf_Sym *)(unsigned long)symsec->sh_addr;
	elf->nsyms = symsec->sh_size / sizeof(Elf_Sym);
	elf->strtab = (const char *)(unsigned long)strsec->sh_addr;
	elf->strtab_size = strsec->sh_size;
	return 0;
}

/**
 * klp_rules_secnames() - every section's name lies in the section name table
 * @elf: sechdrs, shnum, secstrings and secstrings_size filled in
 *
 * The module loader checks the names of SHF_ALLOC sections only, but the
 * architecture's module_finalize() looks every section, section 0
 * included, up by name.
 *
 * Return: 0, or -ENOEXEC after one report.
 */
static inline int klp_rules_secnames(const struct klp_elf *elf)
{
	unsigned int i;

	for (i = 0; i < elf->shnum; i++) {
		if (klp_str(elf->secstrings, elf->secstrings_size,
			    elf->sechdrs[i].sh_name))
			continue;
		elf->report(elf, 0, KLP_NO_RELA,
			    "section [%u]: name offset %u is outside the section name table\n",
			    i, elf->sechdrs[i].sh_name);
		return -ENOEXEC;
	}
	return 0;
}

/* Does the loader keep section @i of a livepatch module in memory? */
static __always_inline bool klp_laid_out(const struct klp_elf *elf,
					 unsigned int i)
{
	/* layout_symtab() keeps these two, whatever their flags say. */
	return (elf->sechdrs[i].sh_flags & SHF_ALLOC) || i == elf->symndx ||
	       i == elf->sechdrs[elf->symndx].sh_link;
}

struct klp_secname {
	const char *name;
	unsigned int secndx;
	unsigned int hash;		/* klp_secname_hash(), in a table */
};

/* FNV-1a: a byte's xor and multiply, and names differ early and late. */
static inline unsigned int klp_secname_hash(const char *s)
{
	unsigned int h = 2166136261U;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619U;
	return h;
}

/*
 * Up to this many sections the names go into a hash table: no sort and no
 * indirect compare calls, which is most of the check's cost for the few
 * dozen sections of a module built without -ffunction-sections.  Past it,
 * they are sorted: names made to share a hash would make the table's
 * probes quadratic, and here that costs at most 256 * 255 / 2 compares.
 */
#define KLP_SECNAME_TABLE_MAX	256

static inline void klp_secname_dup_report(const struct klp_elf *elf,
					  unsigned int secndx,
					  unsigned int first)
{
	elf->report(elf, secndx, KLP_NO_RELA,
		    "section [%u] has this name too: sysfs has one file per name of a section the loader keeps\n",
		    first);
}

/*
 * The @n named sections of @v in a table of a power of two slots over
 * twice as many, each by its name's hash, probing linearly: a section
 * whose name is in the table already is a second of that name.
 */
static inline int klp_secname_table_dups(const struct klp_elf *elf,
					 const struct klp_secname *v,
					 unsigned int n)
{
	unsigned int i, j, h, mask = 1;
	struct klp_secname *t;
	int err = 0;

	while (mask < 2 * n)
		mask <<= 1;
	t = klp_rules_zalloc(mask, sizeof(*t));
	if (!t)
		return -ENOMEM;
	mask--;
	for (i = 0; i < n && !err; i++) {
		h = klp_secname_hash(v[i].name);
		for (j = h & mask; t[j].name; j = (j + 1) & mask) {
			if (t[j].hash == h && !strcmp(t[j].name, v[i].name)) {
				klp_secname_dup_report(elf, v[i].secndx, t[j].secndx);
				err = -ENOEXEC;
				break;
			}
		}
		t[j] = v[i];
		t[j].hash = h;
	}
	klp_rules_free(t);
	return err;
}

static inline int klp_secname_cmp(const void *a, const void *b)
{
	const struct klp_secname *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->secndx < y->secndx ? -1 : x->secndx > y->secndx;
}

/**
 * klp_rules_secname_dups() - two kept sections of one name
 * @elf: names checked by klp_rules_secnames()
 *
 * The module's sysfs directory "sections" has one file per section the
 * loader keeps that has bytes, named as the section: a second section of
 * that name makes sysfs warn, with a stack dump, and the directory is
 * left out.  No linker writes two such sections of one name.  In a hash
 * table, or sorted, not compared in pairs: a module may have 65,000
 * sections.
 *
 * Return: 0; -ENOEXEC or -ENOMEM after one report.
 */
static inline int klp_rules_secname_dups(const struct klp_elf *elf)
{
	struct klp_secname *v;
	unsigned int i, n = 0;
	int err = 0;

	v = klp_rules_alloc(elf->shnum, sizeof(*v));
	if (!v) {
		elf->report(elf, 0, KLP_NO_RELA,
			    "out of memory checking its sections\n");
		return -ENOMEM;
	}
	for (i = 1; i < elf->shnum; i++) {
		if (!klp_laid_out(elf, i) || !elf->sechdrs[i].sh_size)
			continue;
		v[n].name = elf->secstrings + elf->sechdrs[i].sh_name;
		v[n++].secndx = i;
	}
	if (n <= KLP_SECNAME_TABLE_MAX) {
		err = klp_secname_table_dups(elf, v, n);
		klp_rules_free(v);
		if (err == -ENOMEM)
			elf->report(elf, 0, KLP_NO_RELA,
				    "out of memory checking its sections\n");
		return err;
	}
	klp_rules_sort(v, n, sizeof(*v), klp_secname_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(v[i - 1].name, v[i].name))
			continue;
		klp_secname_dup_report(elf, v[i].secndx, v[i - 1].secndx);
		err = -ENOEXEC;
		break;
	}
	klp_rules_free(v);
	return err;
}

/**
 * klp_rules_layout_size() - the laid-out sections fit in module memory
 * @elf: names checked by klp_rules_secnames()
 *
 * The loader allocates the sections it lays out (SHF_ALLOC) in two
 * blocks, one for those whose name starts ".init" and one for the rest;
 * each is at least the sum of its sections' sizes.  A block larger than
 * @elf->mem_limit cannot be allocated: the allocator would refuse it with
 * a warning and a stack dump, and a size of 4 GiB or more wraps the
 * loader's 32-bit layout.  The report names the block's largest section.
 *
 * Return: 0, or -ENOMEM after one report.
 */
static inline int klp_rules_layout_size(const struct klp_elf *elf)
{
	unsigned long long need[2] = { 0, 0 }, size;
	unsigned int i, init, big[2] = { 0, 0 };

	if (!elf->mem_limit)
		return 0;
	for (i = 1; i < elf->shnum; i++) {
		if (!(elf->sechdrs[i].sh_flags & SHF_ALLOC))
			continue;
		init = !strncmp(elf->secstrings + elf->sechdrs[i].sh_name,
				".init", 5);
		size = elf->sechdrs[i].sh_size;
		/* Saturate: any sum past the limit is refused alike. */
		need[init] += size < elf->mem_limit ? size : elf->mem_limit;
		if (need[init] > elf->mem_limit)
			need[init] = elf->mem_limit + 1;
		if (!big[init] || size > elf->sechdrs[big[init]].sh_size)
			big[init] = i;
	}
	for (init = 0; init < 2; init++) {
		if (need[init] <= elf->mem_limit)
			continue;
		elf->report(elf, big[init], KLP_NO_RELA,
			    "%llu bytes: the module's %s sections need more than the %llu bytes one allocation of module memory can have\n",
			    (unsigned long long)elf->sechdrs[big[init]].sh_size,
			    init ? "init" : "core", elf->mem_limit);
		return -ENOMEM;
	}
	return 0;
}

/*
 * The loader lays each section out by its flags: without SHF_WRITE in
 * memory it makes read-only before the module's init runs, with
 * SHF_RO_AFTER_INIT in memory it makes read-only after.  It writes struct
 * module's state (coming, live, going) after both, so the section that
 * holds it (a livepatch module's is laid out, the loader takes the first
 * SHF_ALLOC one of its name) must be neither: else the write oopses, at
 * load or at rmmod.  No tool writes such flags.  Reports @i if so.
 */
static __always_inline bool klp_modstruct_readonly(const struct klp_elf *elf,
						   unsigned int i)
{
	unsigned long long flags = elf->sechdrs[i].sh_flags;

	/* Most sections are writable data or read-only and named otherwise. */
	if ((flags & (SHF_ALLOC | SHF_WRITE | SHF_RO_AFTER_INIT)) ==
	    (SHF_ALLOC | SHF_WRITE) ||
	    strcmp(elf->secstrings + elf->sechdrs[i].sh_name,
		   ".gnu.linkonce.this_module"))
		return false;
	elf->report(elf, i, KLP_NO_RELA,
		    "flags 0x%llx: struct module would be laid out in memory that becomes read-only, and the loader writes its state there (it must be SHF_WRITE, without SHF_RO_AFTER_INIT)\n",
		    flags);
	return true;
}

/**
 * klp_rules_loader() - what the module loader reads unchecked from a patch
 * @elf: completed by klp_rules_symtab()
 *
 * The module loader lays out a livepatch module's sections by their
 * alignment, and keeps every symbol, reading each name with strlen().  A
 * livepatch module is refused before it gets there if a section's name
 * does not lie in the section name table (klp_rules_secnames()), if a
 * section it lays out (SHF_ALLOC, or the symbol table and its string
 * table, which kallsyms keeps) has an alignment the layout cannot honour
 * (not a power of two, or above KLP_MAX_ALIGN: an alignment of 2^63
 * wraps the 32-bit layout size, and a later section is copied past it),
 * or if a symbol's name does not end inside the string table.
 *
 * Two things the loader lets pass silently, and the module then fails
 * for want of what they meant, are refused too: a symbol whose section
 * index is neither a section nor one the loader knows (it reports these
 * only after every unknown symbol, one line each), and an ordinary
 * relocation section whose target is no section: the loader skips it,
 * leaving zeroes where addresses belong.  (The klp sections' targets are
 * klp_rules_section()'s to check.)  So is a second kept section of one
 * name (klp_rules_secname_dups()), and a layout larger than the target's
 * module memory (klp_rules_layout_size(): -ENOMEM, as the allocation would
 * fail), and a struct module the loader would lay out read-only
 * (klp_modstruct_readonly()).
 *
 * Return: 0; -ENOEXEC or -ENOMEM after one report.
 */
static inline int klp_rules_loader(const struct klp_elf *elf)
{
	const Elf_Shdr *sec;
	unsigned long long align;
	unsigned int i, shndx;
	int err;

	if (klp_rules_secnames(elf))
		return -ENOEXEC;
	err = klp_rules_secname_dups(elf);
	if (err)
		return err;
	err = klp_rules_layout_size(elf);
	if (err)
		return err;
	for (i = 1; i < elf->shnum; i++) {
		if (!klp_laid_out(elf, i))
			continue;
		if (klp_modstruct_readonly(elf, i))
			return -ENOEXEC;
		align = elf->sechdrs[i].sh_addralign;
		if (!(align & (align - 1)) && align <= KLP_MAX_ALIGN)
			continue;
		elf->report(elf, i, KLP_NO_RELA,
			    "alignment %llu is not a power of two up to %u\n",
			    align, KLP_MAX_ALIGN);
		return -ENOEXEC;
	}
	/* layout_symtab() reads symbol 0's name too. */
	for (i = 0; i < elf->nsyms; i++) {
		if (!klp_str(elf->strtab, elf->strtab_size, elf->syms[i].st_name)) {
			elf->report(elf, elf->symndx, KLP_NO_RELA,
				    "symbol [%u]: name offset %u is outside the string table\n",
				    i, elf->syms[i].st_name);
			return -ENOEXEC;
		}
		shndx = elf->syms[i].st_shndx;
		if (!i || shndx < elf->shnum || shndx == SHN_ABS || shndx == SHN_COMMON ||
		    shndx == SHN_LIVEPATCH)
			continue;
		elf->report(elf, elf->symndx, KLP_NO_RELA,
			    "symbol [%u] '%s': section index %u is not a section (%u sections)\n",
			    i, elf->strtab + elf->syms[i].st_name, shndx, elf->shnum);
		return -ENOEXEC;
	}
	for (i = 1; i < elf->shnum; i++) {
		sec = &elf->sechdrs[i];
		if ((sec->sh_type != SHT_RELA && sec->sh_type != SHT_REL) ||
		    (sec->sh_flags & SHF_RELA_LIVEPATCH) || !sec->sh_size ||
		    (sec->sh_info && sec->sh_info < elf->shnum))
			continue;
		elf->report(elf, i, KLP_NO_RELA,
			    "target section index %u is not a section: the loader would skip these relocations\n",
			    sec->sh_info);
		return -ENOEXEC;
	}
	return 0;
}

/**
 * klp_rules_section() - everything about a klp section but its entries
 * @elf: the image
 * @secndx: a section with SHF_RELA_LIVEPATCH
 * @rs: filled in
 *
 * Return: 0, or -ENOEXEC after one report.
 */
static inline int klp_rules_section(const struct klp_elf *elf,
				    unsigned int secndx, struct klp_rsec *rs)
{
	const Elf_Shdr *sec = &elf->sechdrs[secndx];
	const char *name, *tname, *special;
	bool vmlinux;
	int err;

	name = klp_str(elf->secstrings, elf->secstrings_size, sec->sh_name);
	if (!name) {
		elf->report(elf, secndx, KLP_NO_RELA,
			    "name offset %u is outside the section name table\n",
			    sec->sh_name);
		return -ENOEXEC;
	}
	err = klp_parse_rela_name(name, &rs->name);
	if (err) {
		elf->report(elf, secndx, KLP_NO_RELA, "%s\n",
			    klp_name_strerror(err));
		return -ENOEXEC;
	}
	vmlinux = klp_name_part_eq(&rs->name.obj, KLP_VMLINUX);
	if (sec->sh_type != SHT_RELA) {
		elf->report(elf, secndx, KLP_NO_RELA,
			    "type %u is not SHT_RELA\n", sec->sh_type);
		return -ENOEXEC;
	}
	if (sec->sh_link != elf->symndx) {
		elf->report(elf, secndx, KLP_NO_RELA,
			    "links section %u, not the symbol table %u\n",
			    sec->sh_link, elf->symndx);
		return -ENOEXEC;
	}
	if (!sec->sh_info || sec->sh_info >= elf->shnum ||
	    sec->sh_info == secndx) {
		elf->report(elf, secndx, KLP_NO_RELA,
			    "target section index %u is out of range\n",
			    sec->sh_info);
		return -ENOEXEC;
	}
	rs->target = &elf->sechdrs[sec->sh_info];
	tname = klp_str(elf->secstrings, elf->secstrings_size,
			rs->target->sh_name);
	if (!tname || !klp_name_part_eq(&rs->name.sec, tname)) {
		elf->report(elf, secndx, KLP_NO_RELA,
			    "target section [%u] is named %s\n", sec->sh_info,
			    tname ? tname : "(bad name)");
		return -ENOEXEC;
	}
	/* Not the loader's own tables, nor a section without bytes. */
	if (!(rs->target->sh_flags & SHF_ALLOC) ||
	    (rs->target->sh_type != SHT_PROGBITS &&
	     rs->target->sh_type != SHT_INIT_ARRAY &&
	     rs->target->sh_type != SHT_FINI_ARRAY &&
	     rs->target->sh_type != SHT_PREINIT_ARRAY)) {
		elf->report(elf, secndx, KLP_NO_RELA,
			    "target section %s is not SHF_ALLOC code or data (type %u)\n",
			    tname, rs->target->sh_type);
		return -ENOEXEC;
	}
	/*
	 * A module's relocations are written whenever that module comes,
	 * long after the loader has freed what it does not keep and has
	 * consumed the special sections.
	 */
	if (!vmlinux && !(sec->sh_flags & SHF_ALLOC)) {
		elf->report(elf, secndx, KLP_NO_RELA,
			    "a section for module %.*s must be SHF_ALLOC\n",
			    (int)rs->name.obj.len, rs->name.obj.s);
		return -ENOEXEC;
	}
	if (!vmlinux && klp_init_section(tname)) {
		elf->report(elf, secndx, KLP_NO_RELA,
			    "target %s is freed after the patch's init, before module %.*s can come\n",
			    tname, (int)rs->name.obj.len, rs->name.obj.s);
		return -ENOEXEC;
	}
	special = vmlinux ? NULL : klp_special_section(tname);
	if (special) {
		elf->report(elf, secndx, KLP_NO_RELA,
			    "target %s holds %s, consumed when the patch loads, before module %.*s can come\n",
			    tname, special, (int)rs->name.obj.len,
			    rs->name.obj.s);
		return -ENOEXEC;
	}
	if (sec->sh_size % sizeof(Elf_Rela) ||
	    sec->sh_size / sizeof(Elf_Rela) > 0x7fffffff) {
		elf->report(elf, secndx, KLP_NO_RELA,
			    "size %llu is not a whole number of relocations\n",
			    (unsigned long long)sec->sh_size);
		return -ENOEXEC;
	}
	rs->secndx = secndx;
	rs->relas = (const Elf_Rela *)(unsigned long)sec->sh_addr;
	rs->nrelas = sec->sh_size / sizeof(Elf_Rela);
	return 0;
}

/* The symbol an entry uses, once klp_rules_rela() has accepted it. */
static inline const char *klp_rela_symname(const struct klp_elf *elf,
					   const Elf_Rela *r)
{
	return elf->strtab + elf->syms[ELF_R_SYM(r->r_info)].st_name;
}

/**
 * klp_rules_rela_sym() - the symbol of one entry of a klp section
 * @elf: the image
 * @rs: its section, accepted by klp_rules_section()
 * @i: the entry's index
 * @sn: filled in with the symbol's parsed name
 *
 * What holds of the symbol whichever entry uses it: a caller that keeps
 * @sn per symbol index may skip this for the symbol's later entries.
 *
 * Return: 0, or -ENOEXEC after one report.
 */
static inline int klp_rules_rela_sym(const struct klp_elf *elf,
				     const struct klp_rsec *rs, unsigned int i,
				     struct klp_sym_name *sn)
{
	unsigned int symidx = ELF_R_SYM(rs->relas[i].r_info);
	const Elf_Sym *sym;
	const char *symname;
	int err;

	if (symidx >= elf->nsyms) {
		elf->report(elf, rs->secndx, i,
			    "symbol index %u is outside the symbol table (%u entries)\n",
			    symidx, elf->nsyms);
		return -ENOEXEC;
	}
	if (!symidx) {
		elf->report(elf, rs->secndx, i,
			    "symbol index 0 is the null symbol, not a .klp.sym symbol\n");
		return -ENOEXEC;
	}
	sym = &elf->syms[symidx];
	symname = klp_str(elf->strtab, elf->strtab_size, sym->st_name);
	if (!symname) {
		elf->report(elf, rs->secndx, i,
			    "symbol [%u]: name offset %u is outside the string table\n",
			    symidx, sym->st_name);
		return -ENOEXEC;
	}
	if (sym->st_shndx != SHN_LIVEPATCH) {
		elf->report(elf, rs->secndx, i,
			    "symbol '%s' is not SHN_LIVEPATCH\n", symname);
		return -ENOEXEC;
	}
	err = klp_parse_sym_name(symname, sn);
	if (err) {
		elf->report(elf, rs->secndx, i, "symbol '%s': %s\n",
			    symname, klp_name_strerror(err));
		return -ENOEXEC;
	}
	return 0;
}

/**
 * klp_rules_rela_use() - the rest of one entry of a klp section
 * @elf: the image
 * @rs: its section, accepted by klp_rules_section()
 * @i: the entry's index, whose symbol klp_rules_rela_sym() accepted
 * @sn: that symbol's parsed name
 *
 * Return: the number of bytes the entry writes, or -ENOEXEC after one
 * report.
 */
static inline int klp_rules_rela_use(const struct klp_elf *elf,
				     const struct klp_rsec *rs, unsigned int i,
				     const struct klp_sym_name *sn)
{
	const Elf_Rela *r = &rs->relas[i];
	unsigned int type = ELF_R_TYPE(r->r_info);
	unsigned long long size = rs->target->sh_size;
	const char *symname = klp_rela_symname(elf, r);
	int width;

	/*
	 * vmlinux's relocations are written once, at load: a module symbol
	 * there would dangle when that module goes.  A module's are written
	 * when it comes, after the patch's special sections were consumed.
	 */
	if (sn->obj.len != rs->name.obj.len ||
	    strncmp(sn->obj.s, rs->name.obj.s, sn->obj.len)) {
		elf->report(elf, rs->secndx, i,
			    "symbol '%s' is in %.*s, but the section may only use %.*s\n",
			    symname, (int)sn->obj.len, sn->obj.s,
			    (int)rs->name.obj.len, rs->name.obj.s);
		return -ENOEXEC;
	}
	width = klp_width(elf, type);
	if (width < 0) {
		elf->report(elf, rs->secndx, i,
			    "symbol '%s': relocation type %u is not supported\n",
			    symname, type);
		return -ENOEXEC;
	}
	if (r->r_offset > size || (unsigned long long)width > size - r->r_offset) {
		elf->report(elf, rs->secndx, i,
			    "symbol '%s': offset 0x%llx + %d bytes is outside %.*s (0x%llx bytes)\n",
			    symname, (unsigned long long)r->r_offset, width,
			    (int)rs->name.sec.len, rs->name.sec.s, size);
		return -ENOEXEC;
	}
	return width;
}

/**
 * klp_rules_rela() - one entry of a klp section
 * @elf: the image
 * @rs: its section, accepted by klp_rules_section()
 * @i: the entry's index
 * @sn: filled in with the entry's parsed symbol name
 *
 * Return: the number of bytes the entry writes, or -ENOEXEC after one
 * report.
 */
static inline int klp_rules_rela(const struct klp_elf *elf,
				 const struct klp_rsec *rs, unsigned int i,
				 struct klp_sym_name *sn)
{
	int err = klp_rules_rela_sym(elf, rs, i, sn);

	return err ?: klp_rules_rela_use(elf, rs, i, sn);
}

/**
 * klp_plain_rela() - is this an ordinary relocation section the loader applies?
 * @elf: the image
 * @secndx: a section index below @elf->shnum
 *
 * The module loader applies every SHT_RELA section whose target is in
 * range and SHF_ALLOC, against the one symbol table, whatever its sh_link
 * says; the klp sections (SHF_RELA_LIVEPATCH) are left to livepatch.
 */
static __always_inline bool klp_plain_rela(const struct klp_elf *elf,
					   unsigned int secndx)
{
	const Elf_Shdr *sec = &elf->sechdrs[secndx];

	return sec->sh_type == SHT_RELA &&
	       !(sec->sh_flags & SHF_RELA_LIVEPATCH) &&
	       sec->sh_info < elf->shnum &&
	       (elf->sechdrs[sec->sh_info].sh_flags & SHF_ALLOC);
}

/*
 * For messages: the name of a symbol that an ordinary entry uses, or of
 * its section for a section symbol (which has none of its own).
 */
static inline const char *klp_plain_symname(const struct klp_elf *elf,
					    unsigned int symidx)
{
	const Elf_Sym *sym = &elf->syms[symidx];
	const char *name;

	if (ELF_ST_TYPE(sym->st_info) == STT_SECTION &&
	    sym->st_shndx < elf->shnum) {
		name = klp_str(elf->secstrings, elf->secstrings_size,
			       elf->sechdrs[sym->st_shndx].sh_name);
		if (name)
			return name;
	}
	return klp_str(elf->strtab, elf->strtab_size, sym->st_name) ?:
	       "(bad name)";
}

/**
 * klp_loader_calls() - does the loader call through pointers in this section?
 * @name: the name of an ordinary relocation section's target
 *
 * The module loader calls the module's init function and its constructors
 * while it loads it, and its exit function when it goes, through pointers
 * that the module's ordinary relocations write: into struct module
 * (.gnu.linkonce.this_module) and into .init_array or .ctors.  Each such
 * entry must be R_X86_64_64 (the only type whose value is the pointer
 * itself), of a symbol in a section of the module's code, and its value
 * must stay inside that section: elsewhere the loader would jump into
 * data, another module's memory or no memory at all.
 */
static __always_inline bool klp_loader_calls(const char *name)
{
	/* Most sections are none of the three: the second byte tells. */
	if (name[0] != '.')
		return false;
	switch (name[1]) {
	case 'g':
		return !strcmp(name, ".gnu.linkonce.this_module");
	case 'i':
		return !strcmp(name, ".init_array");
	case 'c':
		return !strcmp(name, ".ctors");
	}
	return false;
}

#define KLP_CALLED_TYPE		1	/* R_X86_64_64 */
#define KLP_CALLED_MSG_FMT \
	"symbol '%s' + 0x%llx: the loader calls the pointer this entry writes into %s, and it does not point into the module's own code"

/**
 * klp_rules_plain_section() - an ordinary relocation section of a patch
 * @elf: the image
 * @secndx: a section klp_plain_rela() accepts
 *
 * The loader would relocate an SHN_LIVEPATCH symbol's entries against
 * st_value, which is no address at all, and a symbol's of a section it
 * does not keep against the section's place in the image it reads, which
 * it frees; and the architecture's writer trusts each entry's symbol
 * index and offset.  Entries of a type the
 * rules do not know are left to the loader, which refuses them.
 *
 * Return: 0, or -ENOEXEC after one report.
 */
static inline int klp_rules_plain_section(const struct klp_elf *elf,
					  unsigned int secndx)
{
	const Elf_Shdr *sec = &elf->sechdrs[secndx];
	const Elf_Rela *r = (const Elf_Rela *)(unsigned long)sec->sh_addr;
	unsigned long long i, n = sec->sh_size / sizeof(Elf_Rela);
	const Elf_Shdr *target = &elf->sechdrs[sec->sh_info];
	unsigned int shndx;

	for (i = 0; i < n; i++) {
		unsigned int symidx = ELF_R_SYM(r[i].r_info);
		int width = klp_width(elf, ELF_R_TYPE(r[i].r_info));

		if (symidx >= elf->nsyms) {
			elf->report(elf, secndx, (int)i,
				    "symbol index %u is outside the symbol table (%u entries)\n",
				    symidx, elf->nsyms);
			return -ENOEXEC;
		}
		if (width > 0 && (r[i].r_offset > target->sh_size ||
				  (unsigned long long)width >
				  target->sh_size - r[i].r_offset)) {
			elf->report(elf, secndx, (int)i,
				    "offset 0x%llx + %d bytes is outside its target (0x%llx bytes)\n",
				    (unsigned long long)r[i].r_offset, width,
				    (unsigned long long)target->sh_size);
			return -ENOEXEC;
		}
		shndx = elf->syms[symidx].st_shndx;
		if (shndx == SHN_LIVEPATCH) {
			elf->report(elf, secndx, (int)i,
				    "symbol '%s' is SHN_LIVEPATCH, but this is not a SHF_RELA_LIVEPATCH section\n",
				    klp_plain_symname(elf, symidx));
			return -ENOEXEC;
		}
		if (width > 0 && shndx && shndx < elf->shnum &&
		    !klp_laid_out(elf, shndx)) {
			elf->report(elf, secndx, (int)i,
				    "symbol [%u] '%s' is in section %s, which the loader does not keep\n",
				    symidx, klp_plain_symname(elf, symidx),
				    klp_str(elf->secstrings, elf->secstrings_size,
					    elf->sechdrs[shndx].sh_name) ?: "(bad name)");
			return -ENOEXEC;
		}
	}
	return 0;
}

/**
 * struct klp_span - the bytes one entry writes, for the overlap rule
 * @start: first byte (an address, or an offset in one address space)
 * @len: how many
 * @secndx: the entry's section
 * @rela: the entry's index
 */
struct klp_span {
	unsigned long long start;
	unsigned int len;
	unsigned int secndx;
	unsigned int rela;
};

/*
 * For sort()/qsort(): by start, then by length, then by section and
 * entry, so that the kernel's sort and the tools' agree on which of two
 * entries at one place is named.
 */
static inline int klp_span_cmp(const void *a, const void *b)
{
	const struct klp_span *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->secndx != y->secndx)
		return x->secndx < y->secndx ? -1 : 1;
	if (x->rela != y->rela)
		return x->rela < y->rela ? -1 : 1;
	return 0;
}

/**
 * klp_plain_spans() - the bytes an ordinary relocation section writes
 * @elf: the image
 * @secndx: a relocation section whose entries the rules passed: one
 *	    klp_rules_plain_section() passed, or a klp section
 * @base: where its target starts, in the address space of the klp spans
 *	  it is compared with
 * @spans: filled with one span per entry that writes, or NULL to count
 *
 * A klp entry may not write what the loader writes for an ordinary one:
 * for vmlinux the loader would find the klp value there and refuse, and
 * for a module the klp entry would find the loader's.
 *
 * Return: the number of entries that write.
 */
static inline unsigned int klp_plain_spans(const struct klp_elf *elf,
					   unsigned int secndx,
					   unsigned long long base,
					   struct klp_span *spans)
{
	const Elf_Shdr *sec = &elf->sechdrs[secndx];
	const Elf_Rela *r = (const Elf_Rela *)(unsigned long)sec->sh_addr;
	unsigned long long i, n = sec->sh_size / sizeof(Elf_Rela);
	unsigned int nspans = 0;
	int width;

	for (i = 0; i < n; i++) {
		width = klp_width(elf, ELF_R_TYPE(r[i].r_info));
		if (width <= 0)
			continue;
		if (spans) {
			spans[nspans].start = base + r[i].r_offset;
			spans[nspans].len = width;
			spans[nspans].secndx = secndx;
			spans[nspans].rela = i;
		}
		nspans++;
	}
	return nspans;
}

/**
 * klp_rules_overlap() - no two entries may write the same byte
 * @elf: the image
 * @spans: every entry that writes (len > 0), sorted with klp_span_cmp()
 * @n: how many
 *
 * Whatever the values, a byte written twice is a byte one of the writers
 * does not own, and clearing one would clear the other.
 *
 * Return: 0, or -ENOEXEC after one report naming both entries.
 */
static inline int klp_rules_overlap(const struct klp_elf *elf,
				    const struct klp_span *spans, unsigned int n)
{
	unsigned long long end = 0;
	unsigned int i, last = 0;

	for (i = 0; i < n; i++) {
		if (i && spans[i].start < end) {
			elf->report(elf, spans[i].secndx, spans[i].rela,
				    "writes bytes that entry %u of section %s also writes\n",
				    spans[last].rela,
				    klp_secname(elf, spans[last].secndx));
			return -ENOEXEC;
		}
		if (spans[i].start + spans[i].len > end) {
			end = spans[i].start + spans[i].len;
			last = i;
		}
	}
	return 0;
}

#endif /* _LINUX_KLP_RULES_H */
