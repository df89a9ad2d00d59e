// SPDX-License-Identifier: GPL-2.0-only
/*
 * reloc.c - from .klp names to written bytes
 *
 * A livepatch module reaches symbols the module loader will not bind for
 * it (unexported vmlinux symbols, anything in a module that may load after
 * the patch) through ".klp.rela.<obj>.<section>" relocation sections whose
 * symbols are named ".klp.sym.<obj>.<name>,<sympos>".  This file checks
 * such sections, finds their symbols one object at a time, writes the
 * relocated values into the patch module, and clears them again when the
 * patched module goes.  The name grammar is <linux/klp_format.h>, which
 * the userspace klp tools share.
 *
 * How the bytes are written depends on the architecture.  One that selects
 * HAVE_KLP_RELOC_CHECKED provides <linux/klp_reloc_arch.h>: each value is
 * then range-checked before the first byte is written, a failed write is
 * undone, and a module's relocations are cleared when it goes.  Elsewhere
 * every check that needs no arch knowledge still runs, the symbols are
 * still resolved in one batch, and each section is then written by the
 * arch's apply_relocate_add(), as the module loader always did; nothing
 * is cleared.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/bsearch.h>
#include <linux/elf.h>
#include <linux/kallsyms.h>
#include <linux/klp_format.h>
#include <linux/klp_reloc_arch.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/moduleloader.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include "reloc.h"

static bool klp_arch_checked(void)
{
	return IS_ENABLED(CONFIG_HAVE_KLP_RELOC_CHECKED);
}

/* A string table offset is usable only if a NUL ends it inside the table. */
static const char *klp_str(const char *tab, size_t size, size_t off)
{
	if (!tab || off >= size || !memchr(tab + off, '\0', size - off))
		return NULL;
	return tab + off;
}

static const char *klp_secname(const struct klp_elf *elf, unsigned int i)
{
	const char *name = klp_str(elf->secstrings, elf->secstrings_size,
				   elf->sechdrs[i].sh_name);

	return name ?: "(bad name)";
}

/* The one message of a refusal that concerns a single relocation entry. */
static __printf(4, 5) void klp_rela_err(const struct klp_elf *elf,
					unsigned int secndx, unsigned int i,
					const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("%s: section %s, rela %u: %pV", elf->modname,
	       klp_secname(elf, secndx), i, &vaf);
	va_end(args);
}

/**
 * klp_elf_init() - describe a patch module's image to the core
 * @elf: filled in
 * @modname: the patch module's name, for messages
 * @pmod: the patch module, or NULL if nothing will be written
 * @hdr: its ELF header
 * @sechdrs: its section headers, with sh_addr where each section is now
 * @secstrings: its section name string table
 * @symndx: index of its symbol table
 *
 * Return: 0, or -ENOEXEC if the symbol table cannot be used.
 */
int klp_elf_init(struct klp_elf *elf, const char *modname,
		 struct module *pmod, const Elf_Ehdr *hdr, Elf_Shdr *sechdrs,
		 const char *secstrings, unsigned int symndx)
{
	const Elf_Shdr *symsec, *strsec;

	memset(elf, 0, sizeof(*elf));
	elf->modname = modname;
	elf->pmod = pmod;
	elf->sechdrs = sechdrs;
	elf->shnum = hdr->e_shnum;
	elf->secstrings = secstrings;
	elf->symndx = symndx;
	if (hdr->e_shstrndx >= hdr->e_shnum || !symndx ||
	    symndx >= hdr->e_shnum) {
		pr_err("%s: no usable symbol table or section name table\n",
		       modname);
		return -ENOEXEC;
	}
	elf->secstrings_size = sechdrs[hdr->e_shstrndx].sh_size;
	symsec = &sechdrs[symndx];
	if (symsec->sh_type != SHT_SYMTAB || !symsec->sh_link ||
	    symsec->sh_link >= hdr->e_shnum) {
		pr_err("%s: symbol table section %u has no string table\n",
		       modname, symndx);
		return -ENOEXEC;
	}
	strsec = &sechdrs[symsec->sh_link];
	elf->syms = (Elf_Sym *)symsec->sh_addr;
	elf->nsyms = symsec->sh_size / sizeof(Elf_Sym);
	elf->strtab = (const char *)strsec->sh_addr;
	elf->strtab_size = strsec->sh_size;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(klp_elf_init);

/* Everything about one section that does not depend on its entries. */
static int klp_check_section(const struct klp_elf *elf, unsigned int secndx,
			     struct klp_rsec *rs)
{
	Elf_Shdr *sec = &elf->sechdrs[secndx];
	const char *name, *tname;
	int err;

	name = klp_str(elf->secstrings, elf->secstrings_size, sec->sh_name);
	if (!name) {
		pr_err("%s: section [%u]: name offset %u is outside the section name table\n",
		       elf->modname, secndx, sec->sh_name);
		return -ENOEXEC;
	}
	err = klp_parse_rela_name(name, &rs->name);
	if (err) {
		pr_err("%s: section %s: %s\n", elf->modname, name,
		       klp_name_strerror(err));
		return -ENOEXEC;
	}
	if (sec->sh_type != SHT_RELA) {
		pr_err("%s: section %s: type %u is not SHT_RELA\n",
		       elf->modname, name, sec->sh_type);
		return -ENOEXEC;
	}
	if (sec->sh_link != elf->symndx) {
		pr_err("%s: section %s: links section %u, not the symbol table %u\n",
		       elf->modname, name, sec->sh_link, elf->symndx);
		return -ENOEXEC;
	}
	if (!sec->sh_info || sec->sh_info >= elf->shnum) {
		pr_err("%s: section %s: target section index %u is out of range\n",
		       elf->modname, name, sec->sh_info);
		return -ENOEXEC;
	}
	rs->target = &elf->sechdrs[sec->sh_info];
	tname = klp_str(elf->secstrings, elf->secstrings_size,
			rs->target->sh_name);
	if (!tname || !klp_name_part_eq(&rs->name.sec, tname)) {
		pr_err("%s: section %s: target section [%u] is named %s\n",
		       elf->modname, name, sec->sh_info, tname ?: "(bad name)");
		return -ENOEXEC;
	}
	if (!(rs->target->sh_flags & SHF_ALLOC)) {
		pr_err("%s: section %s: target section is not SHF_ALLOC\n",
		       elf->modname, name);
		return -ENOEXEC;
	}
	/*
	 * A module's relocations are applied whenever that module loads,
	 * long after the loader has freed every section it did not keep.
	 */
	if (!klp_name_part_eq(&rs->name.obj, KLP_VMLINUX) &&
	    !(sec->sh_flags & SHF_ALLOC)) {
		pr_err("%s: section %s: a section for module %.*s must be SHF_ALLOC\n",
		       elf->modname, name, (int)rs->name.obj.len,
		       rs->name.obj.s);
		return -ENOEXEC;
	}
	if (sec->sh_size % sizeof(Elf_Rela) ||
	    sec->sh_size / sizeof(Elf_Rela) > UINT_MAX) {
		pr_err("%s: section %s: size %llu is not a whole number of relocations\n",
		       elf->modname, name, (unsigned long long)sec->sh_size);
		return -ENOEXEC;
	}
	rs->secndx = secndx;
	rs->relas = (Elf_Rela *)sec->sh_addr;
	rs->nrelas = sec->sh_size / sizeof(Elf_Rela);
	return 0;
}

static int klp_check_rela(const struct klp_elf *elf,
			  const struct klp_rsec *rs, unsigned int i)
{
	const Elf_Rela *r = &rs->relas[i];
	unsigned int symidx = ELF_R_SYM(r->r_info);
	unsigned int type = ELF_R_TYPE(r->r_info);
	u64 size = rs->target->sh_size;
	struct klp_sym_name sn;
	const Elf_Sym *sym;
	const char *symname;
	int width, err;

	if (!symidx || symidx >= elf->nsyms) {
		klp_rela_err(elf, rs->secndx, i,
			     "symbol index %u is outside the symbol table (%u entries)\n",
			     symidx, elf->nsyms);
		return -ENOEXEC;
	}
	sym = &elf->syms[symidx];
	symname = klp_str(elf->strtab, elf->strtab_size, sym->st_name);
	if (!symname) {
		klp_rela_err(elf, rs->secndx, i,
			     "symbol [%u]: name offset %u is outside the string table\n",
			     symidx, sym->st_name);
		return -ENOEXEC;
	}
	if (sym->st_shndx != SHN_LIVEPATCH) {
		klp_rela_err(elf, rs->secndx, i,
			     "symbol '%s' is not SHN_LIVEPATCH\n", symname);
		return -ENOEXEC;
	}
	err = klp_parse_sym_name(symname, &sn);
	if (err) {
		klp_rela_err(elf, rs->secndx, i, "symbol '%s': %s\n",
			     symname, klp_name_strerror(err));
		return -ENOEXEC;
	}
	/*
	 * vmlinux's relocations are written once, at load: a module symbol
	 * there would dangle when that module goes.  A module's are written
	 * when it comes, before vmlinux-dependent module state exists.
	 */
	if (sn.obj.len != rs->name.obj.len ||
	    strncmp(sn.obj.s, rs->name.obj.s, sn.obj.len)) {
		klp_rela_err(elf, rs->secndx, i,
			     "symbol '%s' is in %.*s, but the section may only use %.*s\n",
			     symname, (int)sn.obj.len, sn.obj.s,
			     (int)rs->name.obj.len, rs->name.obj.s);
		return -ENOEXEC;
	}
	/*
	 * Without the arch's table only the entry's first byte is known to
	 * be written; a wider guess would refuse valid entries that end a
	 * section.
	 */
	width = klp_arch_checked() ? arch_klp_rela_width(type) : 1;
	if (width < 0) {
		klp_rela_err(elf, rs->secndx, i,
			     "symbol '%s': relocation type %u is not supported\n",
			     symname, type);
		return -ENOEXEC;
	}
	if (r->r_offset > size || width > size - r->r_offset) {
		klp_rela_err(elf, rs->secndx, i,
			     "symbol '%s': offset 0x%llx + %d bytes is outside %.*s (0x%llx bytes)\n",
			     symname, (unsigned long long)r->r_offset, width,
			     (int)rs->name.sec.len, rs->name.sec.s,
			     (unsigned long long)size);
		return -ENOEXEC;
	}
	return 0;
}

/**
 * klp_reloc_scan() - validate every klp section, collect one object's
 * @elf: the patch module's image
 * @objname: the object whose sections to collect: "vmlinux" or a module
 * @rsecs: set to a kmalloc'ed array of those sections, or NULL if none
 * @nrsecs: set to its length
 *
 * All SHF_RELA_LIVEPATCH sections are checked, not only @objname's, so a
 * malformed section is refused at once rather than when its module comes.
 * Nothing is resolved or written.  Cost: one pass over every entry.
 *
 * Return: 0; -ENOEXEC after one message naming the first malformed section
 * or entry; -ENOMEM.
 */
int klp_reloc_scan(const struct klp_elf *elf, const char *objname,
		   struct klp_rsec **rsecs, unsigned int *nrsecs)
{
	unsigned int i, j, n = 0, max = 0;
	struct klp_rsec rs, *out;
	int err;

	*rsecs = NULL;
	*nrsecs = 0;
	for (i = 1; i < elf->shnum; i++)
		if (elf->sechdrs[i].sh_flags & SHF_RELA_LIVEPATCH)
			max++;
	if (!max)
		return 0;
	out = kcalloc(max, sizeof(*out), GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	for (i = 1; i < elf->shnum; i++) {
		if (!(elf->sechdrs[i].sh_flags & SHF_RELA_LIVEPATCH))
			continue;
		err = klp_check_section(elf, i, &rs);
		for (j = 0; !err && j < rs.nrelas; j++)
			err = klp_check_rela(elf, &rs, j);
		if (err) {
			kfree(out);
			return err;
		}
		if (klp_name_part_eq(&rs.name.obj, objname))
			out[n++] = rs;
	}
	*rsecs = out;
	*nrsecs = n;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(klp_reloc_scan);

/**
 * klp_sympos_match() - count one more symbol of the wanted name
 * @sp: the count so far
 * @addr: the symbol's address
 *
 * Call in kallsyms order (the order the kernel's symbol table and a
 * module's symtab list them); this is the order sympos counts in.
 * sympos 0 takes the first match and relies on klp_sympos_result() to
 * refuse a second one.
 */
void klp_sympos_match(struct klp_sympos *sp, unsigned long addr)
{
	sp->count++;
	if (sp->count == (sp->want ?: 1))
		sp->addr = addr;
}
EXPORT_SYMBOL_IF_KUNIT(klp_sympos_match);

/**
 * klp_sympos_result() - the verdict once every symbol has been counted
 * @sp: the count
 *
 * Return: 0 if @sp->addr is the answer; -ENOENT if no symbol has the name
 * or fewer than @sp->want do; -EINVAL if @sp->want is 0 and the name is
 * not unique.
 */
int klp_sympos_result(const struct klp_sympos *sp)
{
	if (!sp->count || sp->want > sp->count)
		return -ENOENT;
	if (!sp->want && sp->count > 1)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(klp_sympos_result);

/* One distinct .klp.sym symbol that an object's sections use. */
struct klp_rsym {
	char *name;
	unsigned int symidx;
	struct klp_sympos pos;
	bool dup;	/* same name and sympos as the entry before it */
};

/* One object's sections and the symbols they need, resolved together. */
struct klp_batch {
	const struct klp_elf *elf;
	const char *objname;
	struct klp_rsec *rsecs;
	unsigned int nrsecs;
	struct klp_rsym *syms;
	unsigned int nsyms;
};

static int klp_rsym_cmp(const void *a, const void *b)
{
	const struct klp_rsym *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->pos.want != y->pos.want)
		return x->pos.want < y->pos.want ? -1 : 1;
	return x->symidx < y->symidx ? -1 : x->symidx > y->symidx;
}

static int klp_rsym_name_cmp(const void *key, const void *elt)
{
	const struct klp_rsym *rs = elt;

	return strcmp(key, rs->name);
}

/* Sort the distinct symbols by (name, sympos) so that duplicates meet. */
static int klp_batch_collect(struct klp_batch *b)
{
	const struct klp_elf *elf = b->elf;
	struct klp_sym_name sn;
	unsigned long *used;
	unsigned int s, i, n = 0;
	int err = -ENOMEM;

	used = bitmap_zalloc(elf->nsyms, GFP_KERNEL);
	if (!used)
		return -ENOMEM;
	for (s = 0; s < b->nrsecs; s++)
		for (i = 0; i < b->rsecs[s].nrelas; i++)
			__set_bit(ELF_R_SYM(b->rsecs[s].relas[i].r_info), used);
	b->nsyms = bitmap_weight(used, elf->nsyms);
	b->syms = kcalloc(b->nsyms, sizeof(*b->syms), GFP_KERNEL);
	if (!b->syms)
		goto out;
	for_each_set_bit(i, used, elf->nsyms) {
		struct klp_rsym *rs = &b->syms[n++];

		/* klp_check_rela() has vetted the name. */
		klp_parse_sym_name(elf->strtab + elf->syms[i].st_name, &sn);
		rs->name = kmemdup_nul(sn.name.s, sn.name.len, GFP_KERNEL);
		if (!rs->name)
			goto out;
		rs->symidx = i;
		rs->pos.want = sn.sympos;
	}
	sort(b->syms, b->nsyms, sizeof(*b->syms), klp_rsym_cmp, NULL);
	for (i = 1; i < b->nsyms; i++)
		b->syms[i].dup = !strcmp(b->syms[i].name, b->syms[i - 1].name) &&
				 b->syms[i].pos.want == b->syms[i - 1].pos.want;
	err = 0;
out:
	bitmap_free(used);
	return err;
}

static void klp_batch_free(struct klp_batch *b)
{
	unsigned int i;

	for (i = 0; b->syms && i < b->nsyms; i++)
		kfree(b->syms[i].name);
	kfree(b->syms);
	kfree(b->rsecs);
}

/* Length of the run of entries named like syms[i]. */
static unsigned int klp_name_run(const struct klp_rsym *syms, unsigned int i,
				 unsigned int n)
{
	unsigned int j = i + 1;

	while (j < n && !strcmp(syms[j].name, syms[i].name))
		j++;
	return j - i;
}

struct klp_name_run {
	struct klp_rsym *first;
	unsigned int len;
};

static void klp_run_match(struct klp_name_run *run, unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < run->len; i++)
		if (!run->first[i].dup)
			klp_sympos_match(&run->first[i].pos, addr);
}

static int klp_vmlinux_match(void *data, unsigned long addr)
{
	klp_run_match(data, addr);
	return 0;
}

/* The name index gives each name's matches in kallsyms order. */
static void klp_resolve_vmlinux(struct klp_batch *b)
{
	struct klp_name_run run;
	unsigned int i;

	for (i = 0; i < b->nsyms; i += run.len) {
		run.first = &b->syms[i];
		run.len = klp_name_run(b->syms, i, b->nsyms);
		kallsyms_on_each_match_symbol(klp_vmlinux_match, run.first->name,
					      &run);
	}
}

/*
 * One walk of the module's own symtab, in its order, serves every name.
 * The walk is over the symbols the module keeps after its init
 * (core_kallsyms, filled at load, before the module is coming): while a
 * module is coming its kallsyms still lists init symbols too, and sympos
 * would then count differently before and after the module's init, and
 * differently from the klp tools.  The module cannot be freed meanwhile:
 * our callers hold klp_mutex, which klp_module_going() waits for.
 */
static void klp_resolve_module(struct klp_batch *b, struct module *mod)
{
	const struct mod_kallsyms *ks = &mod->core_kallsyms;
	struct klp_name_run run;
	struct klp_rsym *hit;
	unsigned int i, first;

	for (i = 0; i < ks->num_symtab; i++) {
		const Elf_Sym *sym = &ks->symtab[i];
		const char *name = ks->strtab + sym->st_name;

		if (sym->st_shndx == SHN_UNDEF)
			continue;
		hit = bsearch(name, b->syms, b->nsyms, sizeof(*b->syms),
			      klp_rsym_name_cmp);
		if (!hit)
			continue;
		for (first = hit - b->syms;
		     first && !strcmp(b->syms[first - 1].name, name); first--)
			;
		run.first = &b->syms[first];
		run.len = klp_name_run(b->syms, first, b->nsyms);
		klp_run_match(&run, kallsyms_symbol_value(sym));
	}
}

/* The first entry of the batch that uses symbol @symidx, for messages. */
static bool klp_first_use(const struct klp_batch *b, unsigned int symidx,
			  unsigned int *s, unsigned int *i)
{
	for (*s = 0; *s < b->nrsecs; (*s)++)
		for (*i = 0; *i < b->rsecs[*s].nrelas; (*i)++)
			if (ELF_R_SYM(b->rsecs[*s].relas[*i].r_info) == symidx)
				return true;
	return false;
}

static void klp_report_unresolved(const struct klp_batch *b,
				  const struct klp_rsym *rs, int err)
{
	const struct klp_elf *elf = b->elf;
	unsigned int s, i, secndx;

	if (!klp_first_use(b, rs->symidx, &s, &i))
		return;
	secndx = b->rsecs[s].secndx;
	if (!rs->pos.count)
		klp_rela_err(elf, secndx, i, "symbol '%s' not found in %s\n",
			     rs->name, b->objname);
	else if (err == -EINVAL)
		klp_rela_err(elf, secndx, i,
			     "symbol '%s' is not unique in %s (%u found): give its sympos, 1 to %u\n",
			     rs->name, b->objname, rs->pos.count, rs->pos.count);
	else
		klp_rela_err(elf, secndx, i,
			     "symbol '%s' has no position %u in %s (%u found)\n",
			     rs->name, rs->pos.want, b->objname, rs->pos.count);
}

/* Every symbol must have resolved before a value is stored. */
static int klp_batch_verdict(struct klp_batch *b)
{
	unsigned int i;
	int err;

	for (i = 0; i < b->nsyms; i++) {
		struct klp_rsym *rs = &b->syms[i];

		if (rs->dup) {
			rs->pos = rs[-1].pos;
			continue;
		}
		err = klp_sympos_result(&rs->pos);
		if (err) {
			klp_report_unresolved(b, rs, err);
			return err;
		}
	}
	for (i = 0; i < b->nsyms; i++)
		b->elf->syms[b->syms[i].symidx].st_value = b->syms[i].pos.addr;
	return 0;
}

static void *klp_rela_loc(const struct klp_rsec *rs, unsigned int i)
{
	return (void *)rs->target->sh_addr + rs->relas[i].r_offset;
}

static int klp_rela_value(const struct klp_elf *elf, const struct klp_rsec *rs,
			  unsigned int i, u64 *val, int *width)
{
	const Elf_Rela *r = &rs->relas[i];
	const Elf_Sym *sym = &elf->syms[ELF_R_SYM(r->r_info)];
	unsigned int type = ELF_R_TYPE(r->r_info);

	*width = arch_klp_rela_width(type);
	return arch_klp_rela_value(type, sym->st_value + r->r_addend,
				   (unsigned long)klp_rela_loc(rs, i), val);
}

static const char *klp_rela_symname(const struct klp_elf *elf,
				    const struct klp_rsec *rs, unsigned int i)
{
	return elf->strtab + elf->syms[ELF_R_SYM(rs->relas[i].r_info)].st_name;
}

/* With every value known, prove each write will succeed before the first. */
static int klp_batch_check(const struct klp_batch *b)
{
	const struct klp_elf *elf = b->elf;
	unsigned int s, i;
	int width, err;
	u64 val;

	for (s = 0; s < b->nrsecs; s++) {
		const struct klp_rsec *rs = &b->rsecs[s];

		for (i = 0; i < rs->nrelas; i++) {
			err = klp_rela_value(elf, rs, i, &val, &width);
			if (err) {
				klp_rela_err(elf, rs->secndx, i,
					     "symbol '%s' in %s: value 0x%llx overflows relocation type %u\n",
					     klp_rela_symname(elf, rs, i),
					     b->objname, val,
					     (unsigned int)ELF_R_TYPE(rs->relas[i].r_info));
				return -ERANGE;
			}
			if (memchr_inv(klp_rela_loc(rs, i), 0, width)) {
				klp_rela_err(elf, rs->secndx, i,
					     "symbol '%s' in %s: the %d bytes at %.*s+0x%llx are not zero\n",
					     klp_rela_symname(elf, rs, i),
					     b->objname, width,
					     (int)rs->name.sec.len, rs->name.sec.s,
					     (unsigned long long)rs->relas[i].r_offset);
				return -ENOEXEC;
			}
		}
	}
	return 0;
}

static void klp_clear_sections(const struct klp_elf *elf,
			       const struct klp_rsec *rsecs, unsigned int n)
{
	unsigned int s;

	for (s = 0; s < n; s++)
		clear_relocate_add(elf->sechdrs, elf->strtab, elf->symndx,
				   rsecs[s].secndx, elf->pmod);
}

/*
 * Two entries writing the same bytes pass klp_batch_check() one by one;
 * the second is caught here, and everything written so far is undone.
 */
static int klp_batch_write(const struct klp_batch *b)
{
	const struct klp_elf *elf = b->elf;
	unsigned int s, i;
	int width, err = 0;
	u64 val;

	arch_klp_write_begin(elf->pmod);
	for (s = 0; s < b->nrsecs; s++) {
		const struct klp_rsec *rs = &b->rsecs[s];

		for (i = 0; i < rs->nrelas && !err; i++) {
			void *loc = klp_rela_loc(rs, i);

			klp_rela_value(elf, rs, i, &val, &width);
			if (memchr_inv(loc, 0, width)) {
				klp_rela_err(elf, rs->secndx, i,
					     "symbol '%s' in %s: bytes at %.*s+0x%llx already written by another relocation\n",
					     klp_rela_symname(elf, rs, i),
					     b->objname,
					     (int)rs->name.sec.len, rs->name.sec.s,
					     (unsigned long long)rs->relas[i].r_offset);
				err = -ENOEXEC;
				break;
			}
			arch_klp_write(elf->pmod, loc, &val, width);
		}
		if (err)
			break;
	}
	arch_klp_write_end(elf->pmod);
	if (err)
		klp_clear_sections(elf, b->rsecs, s + 1);
	return err;
}

/* The arch's writer checks each value as it writes it, and undoes nothing. */
static int klp_batch_write_unchecked(const struct klp_batch *b)
{
	const struct klp_elf *elf = b->elf;
	unsigned int s;
	int err;

	for (s = 0; s < b->nrsecs; s++) {
		err = apply_relocate_add(elf->sechdrs, elf->strtab, elf->symndx,
					 b->rsecs[s].secndx, elf->pmod);
		if (err) {
			pr_err("%s: section %s: relocations for %s not written\n",
			       elf->modname, klp_secname(elf, b->rsecs[s].secndx),
			       b->objname);
			return err;
		}
	}
	return 0;
}

/*
 * Validate, resolve and write all of one object's sections.  @mod is the
 * module to search, or NULL for vmlinux.
 */
static int klp_reloc_apply(const struct klp_elf *elf, const char *objname,
			   struct module *mod)
{
	struct klp_batch b = { .elf = elf, .objname = objname };
	int err;

	err = klp_reloc_scan(elf, objname, &b.rsecs, &b.nrsecs);
	if (err || !b.nrsecs)
		goto out;
	err = klp_batch_collect(&b);
	if (err)
		goto out;
	if (mod)
		klp_resolve_module(&b, mod);
	else
		klp_resolve_vmlinux(&b);
	err = klp_batch_verdict(&b);
	if (err)
		goto out;
	if (klp_arch_checked()) {
		err = klp_batch_check(&b);
		if (!err)
			err = klp_batch_write(&b);
	} else {
		err = klp_batch_write_unchecked(&b);
	}
out:
	if (err == -ENOMEM)
		pr_err("%s: out of memory relocating for %s\n", elf->modname,
		       objname);
	klp_batch_free(&b);
	return err;
}

/**
 * klp_reloc_load() - check a patch module's klp sections, apply vmlinux's
 * @pmod: the patch module, still being loaded
 * @hdr: its ELF header
 * @sechdrs: its section headers, sh_addr pointing at the loaded sections
 * @secstrings: its section name string table
 * @symndx: index of its symbol table
 *
 * Every SHF_RELA_LIVEPATCH section is validated, so that a section meant
 * for a module that is not loaded yet is refused now rather than then.
 * The ".klp.rela.vmlinux.*" sections are resolved and written before the
 * patch module's code can run.
 *
 * Context: the module loader, before the patch module is formed.
 * Return: 0 or a negative errno, after one message; see
 * Documentation/livepatch/module-elf-format.rst for the table.
 */
int klp_reloc_load(struct module *pmod, const Elf_Ehdr *hdr,
		   Elf_Shdr *sechdrs, const char *secstrings,
		   unsigned int symndx)
{
	struct klp_elf elf;
	int err;

	BUILD_BUG_ON(KLP_OBJNAME_MAX >= MODULE_NAME_LEN);
	BUILD_BUG_ON(KLP_SYMNAME_MAX >= KSYM_NAME_LEN);

	err = klp_elf_init(&elf, pmod->name, pmod, hdr, sechdrs, secstrings,
			   symndx);
	if (err)
		return err;
	return klp_reloc_apply(&elf, KLP_VMLINUX, NULL);
}

static int klp_elf_of_patch(struct klp_elf *elf, struct klp_patch *patch)
{
	struct klp_modinfo *info = patch->mod->klp_info;

	return klp_elf_init(elf, patch->mod->name, patch->mod, &info->hdr,
			    info->sechdrs, info->secstrings, info->symndx);
}

/**
 * klp_reloc_check_objects() - refuse sections for objects the patch lacks
 * @patch: the patch being enabled
 *
 * A ".klp.rela.<obj>" section whose object is neither vmlinux nor one of
 * @patch's objects would never be applied, leaving the patch's code with
 * zeroes where addresses belong.
 *
 * Return: 0, or -EINVAL after naming the first such section.
 */
int klp_reloc_check_objects(struct klp_patch *patch)
{
	struct klp_rsec *rsecs;
	struct klp_object *obj;
	struct klp_elf elf;
	struct klp_rela_name rn;
	unsigned int i, n;
	bool known;
	int err;

	err = klp_elf_of_patch(&elf, patch);
	if (err)
		return err;
	/* Collecting vmlinux's sections validates all of them on the way. */
	err = klp_reloc_scan(&elf, KLP_VMLINUX, &rsecs, &n);
	kfree(rsecs);
	if (err)
		return err;
	for (i = 1; i < elf.shnum; i++) {
		if (!(elf.sechdrs[i].sh_flags & SHF_RELA_LIVEPATCH))
			continue;
		klp_parse_rela_name(klp_secname(&elf, i), &rn);
		known = klp_name_part_eq(&rn.obj, KLP_VMLINUX);
		klp_for_each_object_static(patch, obj)
			if (obj->name && klp_name_part_eq(&rn.obj, obj->name))
				known = true;
		if (!known) {
			pr_err("%s: section %s: object '%.*s' is neither vmlinux nor one of the patch's objects\n",
			       elf.modname, klp_secname(&elf, i),
			       (int)rn.obj.len, rn.obj.s);
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * klp_reloc_apply_object() - resolve and write a module object's sections
 * @patch: the patch
 * @obj: one of its module objects, whose module is loaded (@obj->mod)
 *
 * All of the object's sections are validated first, every symbol the
 * object needs is looked up in one walk of @obj->mod's symbol table, and
 * only then is anything written.  With HAVE_KLP_RELOC_CHECKED, a failure
 * part-way through the writes undoes them.
 *
 * Context: klp_mutex held.
 * Return: 0 or a negative errno, after one message.
 */
int klp_reloc_apply_object(struct klp_patch *patch, struct klp_object *obj)
{
	struct klp_elf elf;
	int err;

	err = klp_elf_of_patch(&elf, patch);
	if (err)
		return err;
	return klp_reloc_apply(&elf, obj->name, obj->mod);
}

/**
 * klp_reloc_clear_object() - zero what a module object's sections wrote
 * @patch: the patch
 * @obj: one of its module objects
 *
 * Lets the module load again later and be relocated afresh.  Harmless
 * when nothing was written: only bytes found zero are ever written.
 * Without HAVE_KLP_RELOC_CHECKED there is no clear_relocate_add(), so
 * nothing is cleared and a reload fares as it does in the base kernel.
 *
 * Context: klp_mutex held.
 */
void klp_reloc_clear_object(struct klp_patch *patch, struct klp_object *obj)
{
	struct klp_rsec *rsecs;
	struct klp_elf elf;
	unsigned int n;

	if (!klp_arch_checked() || klp_elf_of_patch(&elf, patch) ||
	    klp_reloc_scan(&elf, obj->name, &rsecs, &n))
		return;
	klp_clear_sections(&elf, rsecs, n);
	kfree(rsecs);
}
