/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What differs, for klp-reloc's own files, between the LTS lines it is
 * built on: Linux 6.1 and 6.12.  Each item says which line needs it and
 * why.  The hook patches (patches/ and patches/6.12/) hold the rest.
 */
#ifndef _LINUX_KLP_COMPAT_H
#define _LINUX_KLP_COMPAT_H

#include <linux/mm.h>
#include <linux/module.h>

/*
 * Which line: 6.4 moved a module's memory to mod->mem[], which module.h
 * walks with for_each_mod_mem_type(); of our lines, 6.12 has it.
 */
#ifdef for_each_mod_mem_type
#define KLP_LINE_6_12	1
#else
#define KLP_LINE_6_12	0
#endif

/*
 * A module's memory: 6.1 has two layouts (core_layout, init_layout), each
 * text first; 6.4 and later one region per kind (mod->mem[]).
 */
#if KLP_LINE_6_12
static inline bool klp_span_has(unsigned long base, unsigned long size,
				unsigned long addr, unsigned long len)
{
	return base && addr >= base && len <= size && addr - base <= size - len;
}

static inline bool klp_mem_has(const struct module_memory *mem,
			       unsigned long addr, unsigned long len)
{
	return klp_span_has((unsigned long)mem->base, mem->size, addr, len);
}

/*
 * Do the @len bytes at @addr lie in the module's text, and @room bytes in
 * its pages (each region is allocated in whole pages)?
 */
static inline bool klp_mod_text_has(const struct module *mod,
				    unsigned long addr, unsigned long len,
				    unsigned long room)
{
	const struct module_memory *mem;
	int i;

	for (i = 0; i < 2; i++) {
		mem = &mod->mem[i ? MOD_INIT_TEXT : MOD_TEXT];
		if (klp_mem_has(mem, addr, len) &&
		    klp_span_has((unsigned long)mem->base,
				 PAGE_ALIGN(mem->size), addr, room))
			return true;
	}
	return false;
}

/*
 * For tests: a module whose text is the @text_size bytes at @base, and
 * whose other memory follows it up to @size bytes.
 */
static inline void klp_mod_set_text(struct module *mod, void *base,
				    unsigned int text_size, unsigned int size)
{
	mod->mem[MOD_TEXT].base = base;
	mod->mem[MOD_TEXT].size = text_size;
	mod->mem[MOD_DATA].base = size > text_size ? base + text_size : NULL;
	mod->mem[MOD_DATA].size = size - text_size;
}

/* Do the @len bytes at @addr lie in any of the module's memory? */
static inline bool klp_mod_has(const struct module *mod, unsigned long addr,
			       unsigned long len)
{
	for_each_mod_mem_type(type)
		if (klp_mem_has(&mod->mem[type], addr, len))
			return true;
	return false;
}

/*
 * The start of the module's read-only region (text or rodata, core or
 * init) that holds the @len bytes at @addr, or 0 if none does: only
 * text_poke() writes there once the module is formed.
 */
static inline unsigned long klp_mod_ro_base(const struct module *mod,
					    unsigned long addr,
					    unsigned long len)
{
	static const enum mod_mem_type ro[] = {
		MOD_TEXT, MOD_RODATA, MOD_INIT_TEXT, MOD_INIT_RODATA,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(ro); i++)
		if (klp_mem_has(&mod->mem[ro[i]], addr, len))
			return (unsigned long)mod->mem[ro[i]].base;
	return 0;
}

/* Do the @len bytes at @addr lie in the module's writable data? */
static inline bool klp_mod_data_has(const struct module *mod,
				    unsigned long addr, unsigned long len)
{
	return klp_mem_has(&mod->mem[MOD_DATA], addr, len) ||
	       klp_mem_has(&mod->mem[MOD_INIT_DATA], addr, len);
}
#else
static inline bool klp_layout_has(const struct module_layout *layout,
				  unsigned long addr, unsigned long len)
{
	unsigned long base = (unsigned long)layout->base;

	return base && addr >= base && len <= layout->size &&
	       addr - base <= layout->size - len;
}

/*
 * The @len bytes at @addr lie in @layout's text, and @room bytes from
 * @addr lie in @layout (what follows the text is mapped too).
 */
static inline bool klp_layout_text_has(const struct module_layout *layout,
				       unsigned long addr, unsigned long len,
				       unsigned long room)
{
	return klp_layout_has(layout, addr, room) &&
	       len <= layout->text_size &&
	       addr - (unsigned long)layout->base <= layout->text_size - len;
}

static inline bool klp_mod_text_has(const struct module *mod,
				    unsigned long addr, unsigned long len,
				    unsigned long room)
{
	return klp_layout_text_has(&mod->core_layout, addr, len, room) ||
	       klp_layout_text_has(&mod->init_layout, addr, len, room);
}

static inline bool klp_mod_has(const struct module *mod, unsigned long addr,
			       unsigned long len)
{
	return klp_layout_has(&mod->core_layout, addr, len) ||
	       klp_layout_has(&mod->init_layout, addr, len);
}

/* Text and rodata, at the start of each layout. */
static inline unsigned long klp_mod_ro_base(const struct module *mod,
					    unsigned long addr,
					    unsigned long len)
{
	const struct module_layout *l[] = {
		&mod->core_layout, &mod->init_layout,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(l); i++)
		if (klp_layout_has(l[i], addr, len) &&
		    addr - (unsigned long)l[i]->base + len <= l[i]->ro_size)
			return (unsigned long)l[i]->base;
	return 0;
}

/* What follows ro_after_init in each layout. */
static inline bool klp_mod_data_has(const struct module *mod,
				    unsigned long addr, unsigned long len)
{
	const struct module_layout *l[] = {
		&mod->core_layout, &mod->init_layout,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(l); i++)
		if (klp_layout_has(l[i], addr, len) &&
		    addr - (unsigned long)l[i]->base >= l[i]->ro_after_init_size)
			return true;
	return false;
}

static inline void klp_mod_set_text(struct module *mod, void *base,
				    unsigned int text_size, unsigned int size)
{
	mod->core_layout.base = base;
	mod->core_layout.text_size = text_size;
	mod->core_layout.ro_size = text_size;
	mod->core_layout.ro_after_init_size = text_size;
	mod->core_layout.size = size;
}
#endif

/*
 * 6.1's loader reads section names and the struct module section
 * unchecked; check_sections(), through 6.1's hook patch 0007, checks them
 * first.  6.12's loader checks both itself (elf_validity_cache_*()).
 */
#define KLP_CHECK_SECTIONS	(!KLP_LINE_6_12)

/* 6.12 renamed the mitigations' options CONFIG_MITIGATION_*. */
#define KLP_RETPOLINE	(IS_ENABLED(CONFIG_RETPOLINE) || \
			 IS_ENABLED(CONFIG_MITIGATION_RETPOLINE))
#define KLP_RETHUNK	(IS_ENABLED(CONFIG_RETHUNK) || \
			 IS_ENABLED(CONFIG_MITIGATION_RETHUNK))

/*
 * x86's struct alt_instr: 6.1 has a 16-bit feature word whose top bit
 * inverts it; 6.12 a 16-bit feature and 16 bits of flags (ALT_FLAG_NOT,
 * ALT_FLAG_DIRECT_CALL).  6.12 patches paravirt calls through alternatives
 * and has no .parainstructions.
 */
#if KLP_LINE_6_12
#define KLP_X86_ALT_SIZE	KLP_X86_ALT_SIZE_6_12
#define klp_alt_feature(a)	((a)->cpuid)
#define klp_alt_direct_call(a)	((a)->flags & ALT_FLAG_DIRECT_CALL)
#define KLP_X86_PARAINSTRUCTIONS 0
#else
#define KLP_X86_ALT_SIZE	KLP_X86_ALT_SIZE_6_1
#define klp_alt_feature(a)	((a)->cpuid & ~ALTINSTR_FLAG_INV)
#define klp_alt_direct_call(a)	((void)(a), 0)
#define KLP_X86_PARAINSTRUCTIONS IS_ENABLED(CONFIG_PARAVIRT)
#endif

#endif /* _LINUX_KLP_COMPAT_H */

/*
 * The address of kallsyms' symbol number @seq, for a user of
 * kernel/kallsyms_internal.h.  6.12 has kallsyms_sym_address() in
 * <linux/kallsyms.h>; 6.1 keeps it static, so this is its rule: addresses
 * stored whole, or as offsets from kallsyms_relative_base, where (with
 * absolute per-CPU symbols) a non-negative offset is an absolute address.
 * It is outside the include guard: the header included again after
 * kernel/kallsyms_internal.h adds it.
 */
#if defined(LINUX_KALLSYMS_INTERNAL_H_) && !defined(KLP_COMPAT_KALLSYMS)
#define KLP_COMPAT_KALLSYMS
#if KLP_LINE_6_12
#define klp_kallsyms_address(seq)	kallsyms_sym_address(seq)
#else
static inline unsigned long klp_kallsyms_address(unsigned int seq)
{
	long off;

	if (!IS_ENABLED(CONFIG_KALLSYMS_BASE_RELATIVE))
		return kallsyms_addresses[seq];
	off = kallsyms_offsets[seq];
	if (!IS_ENABLED(CONFIG_KALLSYMS_ABSOLUTE_PERCPU))
		return kallsyms_relative_base + (u32)off;
	return off >= 0 ? off : kallsyms_relative_base - 1 - off;
}
#endif
#endif
