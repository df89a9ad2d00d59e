// SPDX-License-Identifier: GPL-2.0-only
/*
 * reloc.c - from .klp names to written bytes
 *
 * A livepatch module reaches symbols the module loader will not bind for
 * it (unexported vmlinux symbols, anything in a module that may load after
 * the patch) through ".klp.rela.<obj>.<section>" relocation sections whose
 * symbols are named ".klp.sym.<obj>.<name>,<sympos>".
 *
 * Everything is validated once, when the patch module loads and its whole
 * ELF image still exists, by the rules of <linux/klp_rules.h> that the klp
 * tools share.  What the later steps need (per object: each entry's
 * destination, type and addend, and the symbols to look up) is copied into
 * a struct klp_reloc_state that the patch module owns.  vmlinux's entries
 * are written at once; a module's when it comes, and cleared when it goes.
 * Those later steps never read the image again, and clearing allocates
 * nothing and cannot fail.
 *
 * How the bytes are written depends on the architecture.  One that selects
 * HAVE_KLP_RELOC_CHECKED provides <linux/klp_reloc_arch.h>: every value is
 * then range-checked before the first byte is written, and a module's
 * entries are cleared when it goes.  Elsewhere every check that needs no
 * arch knowledge still runs, the symbols are still resolved in one batch,
 * and each section is then written by the arch's apply_relocate_add(), as
 * the module loader always did; nothing is cleared.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
#include <linux/elf.h>
#include <linux/kallsyms.h>
#include <linux/klp_reloc_arch.h>
#include <linux/klp_rules.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/moduleloader.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include "../kallsyms_internal.h"
#include <linux/klp_compat.h>
#include "core.h"
#include "reloc.h"

static bool klp_arch_checked(void)
{
	return IS_ENABLED(CONFIG_HAVE_KLP_RELOC_CHECKED);
}

/* Without the arch's table only an entry's first byte is known to be written. */
static int klp_width_unknown(unsigned int type)
{
	return 1;
}

/* The one message of a refusal at load. */
static __printf(4, 5) void klp_load_err(const struct klp_elf *elf,
					unsigned int secndx, int rela,
					const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (rela != KLP_NO_RELA)
		pr_err("%s: section %s, rela %d: %pV", elf->modname,
		       klp_secname(elf, secndx), rela, &vaf);
	else if (secndx)
		pr_err("%s: section %s: %pV", elf->modname,
		       klp_secname(elf, secndx), &vaf);
	else
		pr_err("%s: %pV", elf->modname, &vaf);
	va_end(args);
}

/**
 * klp_elf_describe() - describe a patch module's image for the rules
 * @elf: filled in; klp_rules_symtab() completes it
 * @modname: the patch module's name, for messages
 * @sechdrs: its section headers, with sh_addr where each section is now
 * @shnum: their number
 * @secstrings: its section name string table
 * @symndx: index of its symbol table
 */
void klp_elf_describe(struct klp_elf *elf, const char *modname,
		      Elf_Shdr *sechdrs, unsigned int shnum,
		      const char *secstrings, unsigned int symndx)
{
	memset(elf, 0, sizeof(*elf));
	elf->modname = modname;
	elf->report = klp_load_err;
	elf->width = klp_arch_checked() ? arch_klp_rela_width :
					  klp_width_unknown;
	elf->sechdrs = sechdrs;
	elf->shnum = shnum;
	elf->secstrings = secstrings;
	elf->symndx = symndx;
}
EXPORT_SYMBOL_IF_KUNIT(klp_elf_describe);

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

/* --- Building the state, at load ------------------------------------ */

static void klp_obj_free(struct klp_reloc_obj *obj)
{
	/* klp_reloc_release_patch() or the object's going came first. */
	WARN_ON_ONCE(obj->linked);
	kvfree(obj->names);
	kvfree(obj->syms);
	kvfree(obj->ents);
	kfree(obj->secs);
	kfree(obj->name);
}

/**
 * klp_reloc_free() - free what klp_reloc_load() kept
 * @st: the state, or NULL
 */
void klp_reloc_free(struct klp_reloc_state *st)
{
	unsigned int i;

	if (!st)
		return;
	for (i = 0; st->objs && i < st->nobjs; i++)
		klp_obj_free(&st->objs[i]);
	kfree(st->objs);
	kfree(st->secstrings);
	kfree(st);
}
EXPORT_SYMBOL_IF_KUNIT(klp_reloc_free);

/**
 * klp_reloc_find() - the kept state of one object
 * @st: a patch module's state
 * @objname: "vmlinux" or a module name
 *
 * Return: the object, or NULL if no klp section names it.
 */
struct klp_reloc_obj *klp_reloc_find(struct klp_reloc_state *st,
				     const char *objname)
{
	unsigned int i;

	for (i = 0; st && i < st->nobjs; i++)
		if (!strcmp(st->objs[i].name, objname))
			return &st->objs[i];
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(klp_reloc_find);

static __always_inline bool klp_is_klp_sec(const struct klp_elf *elf,
					   unsigned int i)
{
	return elf->sechdrs[i].sh_flags & SHF_RELA_LIVEPATCH;
}

/*
 * Ordinary relocation sections are the loader's, but it would bind their
 * SHN_LIVEPATCH symbols to whatever st_value says.  Only those the loader
 * applies (an SHF_ALLOC target) matter: @check is run on each.
 */
static int klp_each_plain(const struct klp_elf *elf,
			  int (*check)(const struct klp_elf *elf,
				       unsigned int secndx))
{
	unsigned int i;
	int err;

	for (i = 1; i < elf->shnum; i++) {
		if (!klp_plain_rela(elf, i))
			continue;
		err = check(elf, i);
		if (err)
			return err;
	}
	return 0;
}

/* The object of section @i, found or added; @names holds one per object. */
static int klp_obj_index(struct klp_reloc_state *st,
			 const struct klp_name_part *obj)
{
	unsigned int i;

	for (i = 0; i < st->nobjs; i++)
		if (klp_name_part_eq(obj, st->objs[i].name))
			return i;
	st->objs[i].name = kmemdup_nul(obj->s, obj->len, GFP_KERNEL);
	if (!st->objs[i].name)
		return -ENOMEM;
	st->nobjs++;
	return i;
}

/*
 * A module's entries are written long after the loader freed the patch's
 * init memory: each must land in the memory the patch keeps.  (The name
 * rule refuses ".init*" targets already; this also covers whatever an
 * architecture places in init memory by other names.)  For the entries
 * of a module object's section, when loading @pmod.
 */
static int klp_check_core(const struct klp_elf *elf, struct module *pmod,
			  const struct klp_rsec *rs, unsigned int i, int width)
{
	unsigned long loc = rs->target->sh_addr + rs->relas[i].r_offset;

	if (within_module_core(loc, pmod) &&
	    (!width || within_module_core(loc + width - 1, pmod)))
		return 0;
	elf->report(elf, rs->secndx, i,
		    "symbol '%s': the bytes at %.*s+0x%llx are not in the patch's kept memory; they would be written after the loader freed them\n",
		    klp_rela_symname(elf, &rs->relas[i]), (int)rs->name.sec.len,
		    rs->name.sec.s, (unsigned long long)rs->relas[i].r_offset);
	return -ENOEXEC;
}

/*
 * A klp symbol's name as klp_rules_rela_sym() parsed it, kept by symbol
 * index for the symbol's later entries and for pass two: each name is
 * parsed once.  Its parts are at known places in the name.  @namelen is
 * 0 until then (no symbol name is empty).
 */
struct klp_sym_memo {
	u16 namelen;
	u16 sympos;
	u8 objlen;
};

static void klp_memo_put(struct klp_sym_memo *m, const struct klp_sym_name *sn)
{
	BUILD_BUG_ON(KLP_SYMNAME_MAX > U16_MAX || KLP_SYMPOS_MAX > U16_MAX ||
		     KLP_OBJNAME_MAX > U8_MAX);
	m->namelen = sn->name.len;
	m->sympos = sn->sympos;
	m->objlen = sn->obj.len;
}

static void klp_memo_get(const struct klp_elf *elf,
			 const struct klp_sym_memo *memo, unsigned int symidx,
			 struct klp_sym_name *sn)
{
	const struct klp_sym_memo *m = &memo[symidx];
	const char *obj = elf->strtab + elf->syms[symidx].st_name +
			  strlen(KLP_SYM_PREFIX);

	sn->obj.s = obj;
	sn->obj.len = m->objlen;
	sn->name.s = obj + m->objlen + 1;
	sn->name.len = m->namelen;
	sn->sympos = m->sympos;
}

/* klp_rules_rela(), the symbol's part once a symbol. */
static int klp_memo_rela(const struct klp_elf *elf, const struct klp_rsec *rs,
			 unsigned int i, struct klp_sym_memo *memo)
{
	unsigned int symidx = ELF_R_SYM(rs->relas[i].r_info);
	struct klp_sym_name sn;
	int err;

	if (symidx < elf->nsyms && memo[symidx].namelen) {
		klp_memo_get(elf, memo, symidx, &sn);
	} else {
		err = klp_rules_rela_sym(elf, rs, i, &sn);
		if (err)
			return err;
		klp_memo_put(&memo[symidx], &sn);
	}
	return klp_rules_rela_use(elf, rs, i, &sn);
}

/* Pass one: every rule; count each object's entries and sections. */
static int klp_count(const struct klp_elf *elf, struct module *pmod,
		     struct klp_reloc_state *st, struct klp_sym_memo *memo)
{
	struct klp_rsec rs;
	unsigned int i, j;
	int o, width, err;
	bool later;

	for (i = 1; i < elf->shnum; i++) {
		if (!klp_is_klp_sec(elf, i))
			continue;
		err = klp_rules_section(elf, i, &rs);
		if (err)
			return err;
		later = pmod && !klp_name_part_eq(&rs.name.obj, KLP_VMLINUX);
		for (j = 0; j < rs.nrelas; j++) {
			width = klp_memo_rela(elf, &rs, j, memo);
			if (width < 0)
				return width;
			err = later ? klp_check_core(elf, pmod, &rs, j, width) : 0;
			if (err)
				return err;
		}
		o = klp_obj_index(st, &rs.name.obj);
		if (o < 0)
			return o;
		st->objs[o].nents += rs.nrelas;
		st->objs[o].nsecs++;
	}
	return 0;
}

static int klp_span_sort_cmp(const void *a, const void *b)
{
	return klp_span_cmp(a, b);
}

#define KLP_RUNS_MAX	32

/*
 * Generators write each section's relocations in offset order, and two
 * sections' relocations write into different sections.  Then the spans,
 * which come section by section, sort by putting each section's run in
 * place whole.  Return: false if they do not (the caller sorts them), or
 * if there is no memory for the sorted copy.
 */
static bool klp_sort_runs(struct klp_span **spansp, unsigned int n)
{
	struct { unsigned int first, len; } run[KLP_RUNS_MAX], t;
	struct klp_span *spans = *spansp, *out;
	unsigned int i, j, k = 0;

	for (i = 0; i < n; i++) {
		if (i && spans[i].secndx == spans[i - 1].secndx) {
			if (klp_span_cmp(&spans[i - 1], &spans[i]) > 0)
				return false;
			run[k - 1].len++;
			continue;
		}
		if (k == KLP_RUNS_MAX)
			return false;
		run[k].first = i;
		run[k++].len = 1;
	}
	/* By first span (few runs: insertion sort); they may not interleave. */
	for (i = 1; i < k; i++)
		for (j = i; j && klp_span_cmp(&spans[run[j - 1].first],
					      &spans[run[j].first]) > 0; j--) {
			t = run[j];
			run[j] = run[j - 1];
			run[j - 1] = t;
		}
	for (i = 1; i < k; i++)
		if (klp_span_cmp(&spans[run[i - 1].first + run[i - 1].len - 1],
				 &spans[run[i].first]) > 0)
			return false;
	out = kvmalloc_array(n, sizeof(*out), GFP_KERNEL | __GFP_NOWARN);
	if (!out)
		return false;
	for (i = 0, j = 0; i < k; j += run[i++].len)
		memcpy(&out[j], &spans[run[i].first], run[i].len * sizeof(*out));
	kvfree(spans);
	*spansp = out;
	return true;
}

/* A relocation section the overlap rule covers: a klp one, or the loader's. */
static __always_inline bool klp_writer(const struct klp_elf *elf,
				       unsigned int i)
{
	return klp_is_klp_sec(elf, i) || klp_plain_rela(elf, i);
}

/*
 * Whether section @i's entries that write come in offset order, each past
 * the last: then none of them overlaps another.
 */
static bool klp_rela_disjoint(const struct klp_elf *elf, unsigned int i)
{
	const Elf_Shdr *sec = &elf->sechdrs[i];
	const Elf_Rela *r = (const Elf_Rela *)(unsigned long)sec->sh_addr;
	unsigned long long j, n = sec->sh_size / sizeof(*r), end = 0;
	int width;

	for (j = 0; j < n; j++) {
		width = klp_width(elf, ELF_R_TYPE(r[j].r_info));
		if (width <= 0)
			continue;
		if (r[j].r_offset < end)
			return false;
		end = r[j].r_offset + width;
	}
	return true;
}

/*
 * @alone holds 2 * shnum bytes, zeroed; its second half counts each
 * target's writers (up to 2).  Set alone[i] for each section that alone
 * writes its target, its entries disjoint: the laid-out sections do not
 * overlap (the rules keep every entry inside its target), so no byte it
 * writes is written twice, and the sort can leave it out.  Return: how
 * many entries the other sections write.
 */
static unsigned int klp_overlap_alone(const struct klp_elf *elf, u8 *alone)
{
	unsigned int i, n = 0;
	u8 *writers = alone + elf->shnum;

	for (i = 1; i < elf->shnum; i++)
		if (klp_writer(elf, i) && writers[elf->sechdrs[i].sh_info] < 2)
			writers[elf->sechdrs[i].sh_info]++;
	for (i = 1; i < elf->shnum; i++) {
		if (!klp_writer(elf, i))
			continue;
		alone[i] = writers[elf->sechdrs[i].sh_info] == 1 &&
			   klp_rela_disjoint(elf, i);
		if (!alone[i])
			n += klp_plain_spans(elf, i, 0, NULL);
	}
	return n;
}

/*
 * Every pair of entries, of every object, must write disjoint bytes, and
 * none may write what an ordinary relocation writes.
 */
static int klp_check_overlap(const struct klp_elf *elf)
{
	struct klp_span *spans = NULL;
	unsigned int i, n;
	u8 *alone;
	int err = 0;

	alone = kvzalloc(2 * elf->shnum, GFP_KERNEL);
	if (!alone)
		return -ENOMEM;
	n = klp_overlap_alone(elf, alone);
	if (n < 2)
		goto out;
	spans = kvmalloc_array(n, sizeof(*spans), GFP_KERNEL);
	if (!spans) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 1, n = 0; i < elf->shnum; i++)
		if (klp_writer(elf, i) && !alone[i])
			n += klp_plain_spans(elf, i,
				elf->sechdrs[elf->sechdrs[i].sh_info].sh_addr,
				spans + n);
	if (!klp_sort_runs(&spans, n))
		sort(spans, n, sizeof(*spans), klp_span_sort_cmp, NULL);
	err = klp_rules_overlap(elf, spans, n);
	kvfree(spans);
out:
	kvfree(alone);
	return err;
}

/* By (name, sympos): symbols equal so are one symbol, resolved once. */
static int klp_rsym_key_cmp(const struct klp_reloc_sym *x,
			    const struct klp_reloc_sym *y)
{
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->pos.want < y->pos.want ? -1 : x->pos.want > y->pos.want;
}

static int klp_rsym_cmp(const void *a, const void *b)
{
	const struct klp_reloc_sym *x = a, *y = b;
	int c = klp_rsym_key_cmp(x, y);

	return c ?: (x->symidx < y->symidx ? -1 : x->symidx > y->symidx);
}

/*
 * Add ELF symbol @symidx as the object's next symbol.  Its names point
 * into the image until klp_copy_names().
 */
static void klp_obj_sym(const struct klp_elf *elf, struct klp_reloc_obj *obj,
			int *symmap, const struct klp_sym_memo *memo,
			unsigned int symidx)
{
	struct klp_reloc_sym *s = &obj->syms[obj->nsyms];
	struct klp_sym_name sn;

	s->elfname = elf->strtab + elf->syms[symidx].st_name;
	klp_memo_get(elf, memo, symidx, &sn);
	s->name = sn.name.s;
	s->namelen = sn.name.len;
	s->symidx = symidx;
	s->pos.want = sn.sympos;
	symmap[symidx] = obj->nsyms++;
}

/* The length of @s's ELF name, which its name (still in the image) is in. */
static size_t klp_elfname_len(const struct klp_reloc_sym *s)
{
	const char *end = s->name + s->namelen;

	return end - s->elfname + strlen(end);
}

/*
 * Copy the symbols' names out of the image, all in one allocation: the
 * names, which are compared as C strings, and with @elfnames their full
 * names, for messages.  vmlinux's are used only while the image is there
 * (klp_reloc_load()): its full names stay in it.
 */
static int klp_copy_names(struct klp_reloc_obj *obj, bool elfnames)
{
	size_t size = 0, len;
	unsigned int i;
	char *p;

	for (i = 0; i < obj->nsyms; i++)
		size += obj->syms[i].namelen + 1 +
			(elfnames ? klp_elfname_len(&obj->syms[i]) + 1 : 0);
	obj->names = kvmalloc(size ?: 1, GFP_KERNEL);
	if (!obj->names)
		return -ENOMEM;
	for (i = 0, p = obj->names; i < obj->nsyms; i++) {
		struct klp_reloc_sym *s = &obj->syms[i];

		if (elfnames) {
			len = klp_elfname_len(s) + 1;
			memcpy(p, s->elfname, len);
			s->elfname = p;
			p += len;
		}
		memcpy(p, s->name, s->namelen);
		p[s->namelen] = '\0';
		s->name = p;
		p += s->namelen + 1;
	}
	return 0;
}

/*
 * Sorted by (name, sympos), so that each name's run is contiguous, and
 * each symbol marked dup that repeats the one before it.  The symbols
 * were taken in symtab order, which klp-convert makes this order already:
 * then one pass checks it and marks them.  @symmap is renumbered with
 * them.
 */
static void klp_sort_syms(struct klp_reloc_obj *obj, int *symmap)
{
	struct klp_reloc_sym *syms = obj->syms;
	unsigned int i;
	int c;

	for (i = 1; i < obj->nsyms; i++) {
		c = klp_rsym_key_cmp(&syms[i - 1], &syms[i]);
		if (c > 0)
			break;
		syms[i].dup = !c;
	}
	if (i >= obj->nsyms)
		return;
	sort(syms, obj->nsyms, sizeof(*syms), klp_rsym_cmp, NULL);
	syms[0].dup = false;
	symmap[syms[0].symidx] = 0;
	for (i = 1; i < obj->nsyms; i++) {
		syms[i].dup = !klp_rsym_key_cmp(&syms[i - 1], &syms[i]);
		symmap[syms[i].symidx] = i;
	}
}

/* Whether section @i is one of @obj's klp sections; fills @rs if so. */
static bool klp_obj_sec(const struct klp_elf *elf,
			const struct klp_reloc_obj *obj, unsigned int i,
			struct klp_rsec *rs)
{
	if (!klp_is_klp_sec(elf, i))
		return false;
	klp_rules_section(elf, i, rs);
	return klp_name_part_eq(&rs->name.obj, obj->name);
}

/*
 * Pass two, for one object: its symbols, in symtab order, then its
 * entries.  @symmap is -1 for every symbol on entry.
 */
static int klp_fill_obj(const struct klp_elf *elf, struct klp_reloc_obj *obj,
			int *symmap, const struct klp_sym_memo *memo)
{
	unsigned int i, j, lo = elf->nsyms, hi = 0, n = obj->nents;
	struct klp_rsec rs;
	int err;

	obj->ents = kvcalloc(n, sizeof(*obj->ents), GFP_KERNEL);
	obj->syms = kvcalloc(n, sizeof(*obj->syms), GFP_KERNEL);
	obj->secs = kcalloc(obj->nsecs, sizeof(*obj->secs), GFP_KERNEL);
	if (!obj->ents || !obj->syms || !obj->secs)
		return -ENOMEM;
	for (i = 1; i < elf->shnum; i++) {
		if (!klp_obj_sec(elf, obj, i, &rs))
			continue;
		for (j = 0; j < rs.nrelas; j++) {
			unsigned int symidx = ELF_R_SYM(rs.relas[j].r_info);

			symmap[symidx] = -2;
			lo = min(lo, symidx);
			hi = max(hi, symidx + 1);
		}
	}
	for (i = lo; i < hi; i++)
		if (symmap[i] == -2)
			klp_obj_sym(elf, obj, symmap, memo, i);
	err = klp_copy_names(obj, strcmp(obj->name, KLP_VMLINUX));
	if (err)
		return err;
	klp_sort_syms(obj, symmap);
	obj->nents = 0;
	obj->nsecs = 0;
	for (i = 1; i < elf->shnum; i++) {
		if (!klp_obj_sec(elf, obj, i, &rs))
			continue;
		if (!obj->nsecs)
			obj->sh_name = elf->sechdrs[i].sh_name;
		obj->secs[obj->nsecs++] = i;
		for (j = 0; j < rs.nrelas; j++) {
			const Elf_Rela *r = &rs.relas[j];
			struct klp_reloc_ent *e = &obj->ents[obj->nents++];

			e->loc = (void *)(unsigned long)(rs.target->sh_addr +
							 r->r_offset);
			e->addend = r->r_addend;
			e->sym = symmap[ELF_R_SYM(r->r_info)];
			e->type = ELF_R_TYPE(r->r_info);
			e->width = klp_width(elf, e->type);
			e->sh_name = elf->sechdrs[i].sh_name;
			e->rela = j;
		}
	}
	for (i = lo; i < hi; i++)
		symmap[i] = -1;
	return 0;
}

/* Pass two: each object's entries and symbols, in memory the patch owns. */
static int klp_fill(const struct klp_elf *elf, struct klp_reloc_state *st,
		    const struct klp_sym_memo *memo)
{
	unsigned int o;
	int *symmap;
	int err = 0;

	symmap = kvmalloc_array(elf->nsyms, sizeof(*symmap), GFP_KERNEL);
	if (!symmap)
		return -ENOMEM;
	memset(symmap, 0xff, elf->nsyms * sizeof(*symmap));
	for (o = 0; !err && o < st->nobjs; o++)
		err = klp_fill_obj(elf, &st->objs[o], symmap, memo);
	kvfree(symmap);
	return err;
}

/**
 * klp_reloc_prepare() - validate a patch module's image, keep its entries
 * @elf: the image, described by klp_elf_describe() and klp_rules_symtab()
 * @pmod: the patch module being loaded, or NULL when only validating
 * @statep: set to the new state, or NULL on failure
 *
 * Every rule of <linux/klp_rules.h> is applied to every klp section and
 * entry, and to the ordinary relocation sections; with @pmod, a module
 * object's entries must also land in memory the patch keeps after init.
 * Nothing is resolved or written.  Cost: a few passes over the entries,
 * and one sort of them.
 *
 * Return: 0; -ENOEXEC after one message naming the section, entry and
 * symbol; -ENOMEM.
 */
int klp_reloc_prepare(const struct klp_elf *elf, struct module *pmod,
		      struct klp_reloc_state **statep)
{
	struct klp_sym_memo *memo = NULL;
	struct klp_reloc_state *st;
	unsigned int i, nsecs = 0;
	int err;

	*statep = NULL;
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		goto nomem;
	for (i = 1; i < elf->shnum; i++)
		nsecs += klp_is_klp_sec(elf, i);
	st->objs = kcalloc(nsecs, sizeof(*st->objs), GFP_KERNEL);
	st->secstrings = kmemdup(elf->secstrings, elf->secstrings_size,
				 GFP_KERNEL);
	memo = kvcalloc(elf->nsyms, sizeof(*memo), GFP_KERNEL);
	if ((nsecs && !st->objs) || (elf->secstrings_size && !st->secstrings) ||
	    !memo)
		goto nomem;
	st->secstrings_size = elf->secstrings_size;
	/* The format's own sections first, then the loader's. */
	err = klp_count(elf, pmod, st, memo);
	if (!err)
		err = klp_each_plain(elf, klp_rules_plain_section);
	if (!err)
		err = klp_check_overlap(elf);
	if (!err)
		err = klp_fill(elf, st, memo);
	kvfree(memo);
	memo = NULL;
	if (err == -ENOMEM)
		goto nomem;
	if (err) {
		klp_reloc_free(st);
		return err;
	}
	*statep = st;
	return 0;
nomem:
	pr_err("%s: out of memory keeping its klp relocations\n", elf->modname);
	kvfree(memo);
	klp_reloc_free(st);
	return -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(klp_reloc_prepare);

/* --- Resolving and writing, at load or when a module comes ------------ */

/* Length of the run of symbols named like syms[i]. */
static unsigned int klp_name_run(const struct klp_reloc_obj *obj,
				 unsigned int i)
{
	unsigned int j = i + 1;

	while (j < obj->nsyms && !strcmp(obj->syms[j].name, obj->syms[i].name))
		j++;
	return j - i;
}

struct klp_name_run {
	struct klp_reloc_sym *first;
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

/*
 * vmlinux's symbols, through kallsyms' name index (kallsyms_seqs_of_names:
 * every symbol's number, sorted by name, each name's in kallsyms order).
 * kallsyms_on_each_match_symbol() searches it afresh for each name, and
 * each step of its search first walks up to 255 compressed names to find
 * where its symbol starts, then expands that symbol whole.  We search for
 * all the names together: ours are sorted too, so each name is searched
 * only between where its neighbours were found, and a step expands a
 * symbol only as far as it agrees with the name.  A step finds where its
 * symbol starts from klp_ksyms_index, in at most three lengths.  The
 * matches, and their order, are the same.
 */

/*
 * Where every KLP_KSYMS_STRIDE'th symbol starts in kallsyms_names, as an
 * offset from kallsyms' marker of its block of 256.  Built by the first
 * search and kept, since vmlinux's symbols never change: half a byte a
 * symbol (about 40 KiB for 80,000 symbols) spares every later load a
 * pass over all the lengths, and a walk of up to 255 of them at each
 * step.  NULL until built; a search without it walks from the markers.
 */
#define KLP_KSYMS_STRIDE	4
/* Each index entry is in the block of 256 whose marker it is counted from. */
static_assert(256 % KLP_KSYMS_STRIDE == 0);
static u16 *klp_ksyms_index;
/* Set if an offset does not fit in a u16: then there is no index. */
static bool klp_ksyms_index_unfit;

/* Where the symbol after the one at @at starts in kallsyms_names. */
static __always_inline unsigned int klp_ksyms_next(unsigned int at)
{
	unsigned int len = kallsyms_names[at];

	/* A length with the top bit set takes a second byte. */
	if (len & 0x80)
		len = (len & 0x7f) + (kallsyms_names[++at] << 7);
	return at + len + 1;
}

static u16 *klp_ksyms_build_index(void)
{
	unsigned int i, n = kallsyms_num_syms, at = 0, rel;
	u16 *index;

	index = kvmalloc_array(DIV_ROUND_UP(n, KLP_KSYMS_STRIDE),
			       sizeof(*index), GFP_KERNEL | __GFP_NOWARN);
	if (!index)
		return NULL;
	for (i = 0; i < n; i++) {
		if (!(i % KLP_KSYMS_STRIDE)) {
			rel = at - kallsyms_markers[i >> 8];
			if (rel > U16_MAX) {
				WRITE_ONCE(klp_ksyms_index_unfit, true);
				kvfree(index);
				return NULL;
			}
			index[i / KLP_KSYMS_STRIDE] = rel;
		}
		at = klp_ksyms_next(at);
	}
	return index;
}

/*
 * The index, built if it is not yet.  Two first searches may build it
 * together; one keeps its own, the other frees its own and takes that.
 */
static const u16 *klp_ksyms_get_index(void)
{
	/* Pairs with the cmpxchg(): the entries are seen filled. */
	u16 *index = smp_load_acquire(&klp_ksyms_index), *old;

	if (index || READ_ONCE(klp_ksyms_index_unfit))
		return index;
	index = klp_ksyms_build_index();
	if (!index)
		return NULL;
	/*
	 * Fully ordered: publishes our entries before the pointer, and if
	 * another search won, orders our reads of its entries after.
	 */
	old = cmpxchg(&klp_ksyms_index, NULL, index);
	if (!old)
		return index;
	kvfree(index);
	return old;
}

struct klp_ksyms {
	const u16 *index;		/* klp_ksyms_index, or NULL */
	struct klp_reloc_obj *obj;
};

/*
 * Where symbol @seq starts: from the index, or from the marker kallsyms
 * keeps for every 256th symbol.
 */
static unsigned int klp_ksyms_at(const struct klp_ksyms *k, unsigned int seq)
{
	unsigned int at = kallsyms_markers[seq >> 8], i;

	if (k->index) {
		at += k->index[seq / KLP_KSYMS_STRIDE];
		i = seq % KLP_KSYMS_STRIDE;
	} else {
		i = seq & 0xff;
	}
	for (; i; i--)
		at = klp_ksyms_next(at);
	return at;
}

/* strcmp(@name, symbol @seq), expanding the symbol no further than needed. */
static int klp_ksyms_cmp(const struct klp_ksyms *k, const char *name,
			 unsigned int seq)
{
	const u8 *data = &kallsyms_names[klp_ksyms_at(k, seq)];
	unsigned int len = *data++;
	const char *tok;

	if (len & 0x80)
		len = (len & 0x7f) + (*data++ << 7);
	if (!len)
		return *name ? 1 : 0;
	/* The first character of the expansion is the symbol's type. */
	tok = &kallsyms_token_table[kallsyms_token_index[*data++]] + 1;
	for (;;) {
		for (; *tok; tok++, name++)
			if (*name != *tok)
				return (u8)*name - (u8)*tok;
		if (!--len)
			return *name ? 1 : 0;
		tok = &kallsyms_token_table[kallsyms_token_index[*data++]];
	}
}

/* The symbol number at position @i of the name index. */
static unsigned int klp_ksyms_seq(unsigned int i)
{
	const u8 *p = &kallsyms_seqs_of_names[3 * i];

	return p[0] << 16 | p[1] << 8 | p[2];
}

/*
 * Find the names of syms[lo, hi) among positions [klo, khi) of the index:
 * the middle name first, then those before it before its matches and
 * those after it after them.  Each level halves the names: the depth is
 * at most 32.
 */
static void klp_ksyms_find(const struct klp_ksyms *k, unsigned int lo,
			   unsigned int hi, unsigned int klo, unsigned int khi)
{
	struct klp_name_run run;
	unsigned int mid, a, b, m;
	bool eq = false;		/* the symbol at b is the name */
	int c;

	if (lo >= hi)
		return;
	mid = lo + (hi - lo) / 2;
	while (mid > lo && !strcmp(k->obj->syms[mid - 1].name,
				   k->obj->syms[mid].name))
		mid--;
	run.first = &k->obj->syms[mid];
	run.len = klp_name_run(k->obj, mid);
	a = klo;
	b = khi;
	while (a < b) {
		m = a + (b - a) / 2;
		c = klp_ksyms_cmp(k, run.first->name, klp_ksyms_seq(m));
		if (c > 0) {
			a = m + 1;
		} else {
			b = m;
			eq = !c;
		}
	}
	/* b == a: the first symbol not below the name, already compared. */
	while (eq) {
		klp_run_match(&run, klp_kallsyms_address(klp_ksyms_seq(b)));
		b++;
		eq = b < khi &&
		     !klp_ksyms_cmp(k, run.first->name, klp_ksyms_seq(b));
	}
	cond_resched();
	klp_ksyms_find(k, lo, mid, klo, a);
	klp_ksyms_find(k, mid + run.len, hi, b, khi);
}

/**
 * klp_reloc_resolve_vmlinux() - count and locate an object's symbols in vmlinux
 * @obj: the object, its symbols sorted by name
 * @way: KLP_KSYMS_INDEX: search the name index for all names together,
 *	 finding where symbols start from klp_ksyms_index (built now if it
 *	 is not yet, and without it if there is no memory for it);
 *	 KLP_KSYMS_MARKERS: the same search, from kallsyms' markers alone;
 *	 KLP_KSYMS_LOOKUP: one kallsyms_on_each_match_symbol() per name
 *
 * The ways find the same matches in the same order; the tests compare
 * them.  Names that Clang's LTO suffixed are left to kallsyms, which
 * knows the rule.
 */
VISIBLE_IF_KUNIT void klp_reloc_resolve_vmlinux(struct klp_reloc_obj *obj,
						enum klp_ksyms_way way)
{
	struct klp_ksyms k = { .obj = obj };
	struct klp_name_run run;
	unsigned int i;

	if (way != KLP_KSYMS_LOOKUP && !IS_ENABLED(CONFIG_LTO_CLANG)) {
		if (way == KLP_KSYMS_INDEX)
			k.index = klp_ksyms_get_index();
		klp_ksyms_find(&k, 0, obj->nsyms, 0, kallsyms_num_syms);
		return;
	}
	for (i = 0; i < obj->nsyms; i += run.len) {
		run.first = &obj->syms[i];
		run.len = klp_name_run(obj, i);
		kallsyms_on_each_match_symbol(klp_vmlinux_match,
					      run.first->name, &run);
	}
}
EXPORT_SYMBOL_IF_KUNIT(klp_reloc_resolve_vmlinux);

static int klp_rsym_name_cmp(const void *key, const void *elt)
{
	const struct klp_reloc_sym *rs = elt;

	return strcmp(key, rs->name);
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
static void klp_resolve_module(struct klp_reloc_obj *obj, struct module *mod)
{
	const struct mod_kallsyms *ks = &mod->core_kallsyms;
	struct klp_name_run run;
	struct klp_reloc_sym *hit;
	unsigned int i, first;

	for (i = 0; i < ks->num_symtab; i++) {
		const Elf_Sym *sym = &ks->symtab[i];
		const char *name = ks->strtab + sym->st_name;

		if (sym->st_shndx == SHN_UNDEF)
			continue;
		hit = bsearch(name, obj->syms, obj->nsyms, sizeof(*obj->syms),
			      klp_rsym_name_cmp);
		if (!hit)
			continue;
		for (first = hit - obj->syms;
		     first && !strcmp(obj->syms[first - 1].name, name); first--)
			;
		run.first = &obj->syms[first];
		run.len = klp_name_run(obj, first);
		klp_run_match(&run, kallsyms_symbol_value(sym));
	}
}

/* Where an apply runs, for its one message. */
struct klp_apply {
	const struct klp_reloc_state *st;
	const char *pname;
	struct module *pmod;
	struct klp_reloc_obj *obj;
	struct module *mod;
};

static __printf(3, 4) void klp_ent_err(const struct klp_apply *a,
				       const struct klp_reloc_ent *e,
				       const char *fmt, ...)
{
	const char *sec = klp_str(a->st->secstrings, a->st->secstrings_size,
				  e->sh_name);
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (a->mod && a->mod->state == MODULE_STATE_COMING)
		pr_err("%s: refusing to load module %s: section %s, rela %u: %pV",
		       a->pname, a->mod->name, sec, e->rela, &vaf);
	else
		pr_err("%s: section %s, rela %u: %pV", a->pname, sec, e->rela,
		       &vaf);
	va_end(args);
}

/* The first entry that uses symbol @s, for messages. */
static const struct klp_reloc_ent *klp_first_use(const struct klp_reloc_obj *obj,
						 unsigned int s)
{
	unsigned int i;

	for (i = 0; i < obj->nents; i++)
		if (obj->ents[i].sym == s)
			return &obj->ents[i];
	return &obj->ents[0];
}

/* Every symbol must have resolved before a value is computed. */
static int klp_verdict(const struct klp_apply *a)
{
	struct klp_reloc_obj *obj = a->obj;
	unsigned int i;
	int err;

	for (i = 0; i < obj->nsyms; i++) {
		struct klp_reloc_sym *rs = &obj->syms[i];
		const struct klp_reloc_ent *e;

		if (rs->dup) {
			rs->pos = rs[-1].pos;
			continue;
		}
		err = klp_sympos_result(&rs->pos);
		if (!err)
			continue;
		e = klp_first_use(obj, i);
		if (!rs->pos.count)
			klp_ent_err(a, e, "symbol '%s' not found in %s\n",
				    rs->name, obj->name);
		else if (err == -EINVAL)
			klp_ent_err(a, e,
				    "symbol '%s' is not unique in %s (%u found): give its sympos, 1 to %u\n",
				    rs->name, obj->name, rs->pos.count,
				    rs->pos.count);
		else
			klp_ent_err(a, e,
				    "symbol '%s' has no position %u in %s (%u found)\n",
				    rs->name, rs->pos.want, obj->name,
				    rs->pos.count);
		return err;
	}
	return 0;
}

static int klp_ent_value(const struct klp_reloc_obj *obj,
			 const struct klp_reloc_ent *e, u64 *val)
{
	return arch_klp_rela_value(e->type,
				   obj->syms[e->sym].pos.addr + e->addend,
				   (unsigned long)e->loc, val);
}

/*
 * With every value known, prove each write will succeed before the first,
 * so that a refusal has nothing to undo.
 */
static int klp_check_values(const struct klp_apply *a)
{
	const struct klp_reloc_obj *obj = a->obj;
	unsigned int i;
	u64 val;

	for (i = 0; i < obj->nents; i++) {
		const struct klp_reloc_ent *e = &obj->ents[i];
		const char *sym = obj->syms[e->sym].elfname;

		if (klp_ent_value(obj, e, &val)) {
			klp_ent_err(a, e,
				    "symbol '%s' in %s: value 0x%llx overflows relocation type %u\n",
				    sym, obj->name, val, e->type);
			return -ERANGE;
		}
		if (memchr_inv(e->loc, 0, e->width)) {
			klp_ent_err(a, e,
				    "symbol '%s' in %s: the %u bytes it writes are not zero\n",
				    sym, obj->name, e->width);
			return -ENOEXEC;
		}
	}
	return 0;
}

static void klp_write(const struct klp_apply *a)
{
	const struct klp_reloc_obj *obj = a->obj;
	unsigned int i;
	u64 val;

	arch_klp_write_begin(a->pmod);
	for (i = 0; i < obj->nents; i++) {
		const struct klp_reloc_ent *e = &obj->ents[i];

		if (!e->width)
			continue;
		klp_ent_value(obj, e, &val);
		arch_klp_write(a->pmod, e->loc, &val, e->width);
	}
	arch_klp_write_end(a->pmod);
}

/*
 * The arch's own writer, on the section headers and symtab the patch
 * module keeps (or, at load, the loader's): it reads the relocations from
 * the sections themselves, which are SHF_ALLOC for a module object.
 */
static int klp_write_unchecked(const struct klp_apply *a, Elf_Shdr *sechdrs,
			       const char *strtab, unsigned int symndx)
{
	const struct klp_reloc_obj *obj = a->obj;
	Elf_Sym *syms = (Elf_Sym *)sechdrs[symndx].sh_addr;
	unsigned int i;
	int err;

	for (i = 0; i < obj->nsyms; i++)
		syms[obj->syms[i].symidx].st_value = obj->syms[i].pos.addr;
	for (i = 0; i < obj->nsecs; i++) {
		err = apply_relocate_add(sechdrs, strtab, symndx, obj->secs[i],
					 a->pmod);
		if (err) {
			pr_err("%s: section %s: relocations for %s not written\n",
			       a->pname,
			       klp_str(a->st->secstrings, a->st->secstrings_size,
				       sechdrs[obj->secs[i]].sh_name) ?: "?",
			       obj->name);
			return err;
		}
	}
	return 0;
}

/**
 * klp_reloc_apply() - resolve and write one object's entries
 * @st: the patch module's state
 * @pname: the patch module's name, for messages
 * @pmod: the patch module, or NULL for a test image in kernel memory
 * @obj: one of @st's objects, not applied
 * @mod: the module @obj names, loaded; NULL for vmlinux
 *
 * Every symbol is looked up (vmlinux through the kallsyms name index, a
 * module in one walk of its own symbols), every value computed and range
 * checked, and every destination found zero, before the first byte is
 * written; so a refusal writes nothing.  Allocates nothing it needs: the
 * first search of vmlinux builds the index that speeds every later one,
 * and does without it if memory is short.
 *
 * Return: 0, or a negative errno after one message.
 */
int klp_reloc_apply(struct klp_reloc_state *st, const char *pname,
		    struct module *pmod, struct klp_reloc_obj *obj,
		    struct module *mod)
{
	struct klp_apply a = { st, pname, pmod, obj, mod };
	unsigned int i;
	int err;

	if (obj->applied || !obj->nents)
		return 0;
	for (i = 0; i < obj->nsyms; i++) {
		obj->syms[i].pos.count = 0;
		obj->syms[i].pos.addr = 0;
	}
	if (mod)
		klp_resolve_module(obj, mod);
	else
		klp_reloc_resolve_vmlinux(obj, KLP_KSYMS_INDEX);
	err = klp_verdict(&a);
	if (err)
		return err;
	if (!klp_arch_checked()) {
		struct klp_modinfo *ki = pmod->klp_info;

		/* At load the loader's own headers are passed in instead. */
		return klp_write_unchecked(&a, ki->sechdrs,
			(char *)ki->sechdrs[ki->sechdrs[ki->symndx].sh_link].sh_addr,
			ki->symndx);
	}
	err = klp_check_values(&a);
	if (err)
		return err;
	klp_write(&a);
	obj->applied = true;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(klp_reloc_apply);

/**
 * klp_reloc_clear() - zero what an object's entries wrote
 * @obj: the object
 * @pmod: the patch module written into
 *
 * Only an applied object is cleared, and only the bytes its own entries
 * wrote: no two entries of a patch share a byte.  Allocates nothing and
 * cannot fail.  Without HAVE_KLP_RELOC_CHECKED nothing was applied here.
 */
void klp_reloc_clear(struct klp_reloc_obj *obj, struct module *pmod)
{
	static const u64 zero;
	unsigned int i;

	if (!klp_arch_checked() || !obj || !obj->applied)
		return;
	arch_klp_write_begin(pmod);
	for (i = 0; i < obj->nents; i++)
		if (obj->ents[i].width)
			arch_klp_write(pmod, obj->ents[i].loc, &zero,
				       obj->ents[i].width);
	arch_klp_write_end(pmod);
	obj->applied = false;
}
EXPORT_SYMBOL_IF_KUNIT(klp_reloc_clear);

/* --- The hooks: the module loader and kernel/livepatch/core.c --------- */

/* Whether the @width bytes at @p are zero: no call for the usual widths. */
static __always_inline bool klp_zero(const void *p, int width)
{
	u32 v4;
	u64 v8;

	/* A memcpy() of a constant size is a load, aligned or not. */
	if (width == 4) {
		memcpy(&v4, p, 4);
		return !v4;
	}
	if (width == 8) {
		memcpy(&v8, p, 8);
		return !v8;
	}
	return !memchr_inv(p, 0, width);
}

/*
 * An entry whose pointer the loader calls (klp_loader_calls()): its
 * symbol's value is already the symbol's address, so the pointer must be
 * inside the code section that holds the symbol.
 */
static bool klp_calls_code(const struct klp_elf *elf, const Elf_Rela *r)
{
	const Elf_Sym *sym = &elf->syms[ELF_R_SYM(r->r_info)];
	const Elf_Shdr *code;

	if (ELF_R_TYPE(r->r_info) != KLP_CALLED_TYPE || !sym->st_shndx ||
	    sym->st_shndx >= elf->shnum)
		return false;
	code = &elf->sechdrs[sym->st_shndx];
	return (code->sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) ==
	       (SHF_ALLOC | SHF_EXECINSTR) &&
	       sym->st_value + r->r_addend - code->sh_addr < code->sh_size;
}

/*
 * The loader applies the ordinary entries next, with the architecture's
 * writer.  That refuses an absolute value its field cannot hold in two
 * lines that name neither section nor symbol, and bytes that are not zero
 * in one that names only an address; on x86 it lets a PC-relative value
 * wrap.  By now the symbols are bound and the sections placed, so each
 * entry of a livepatch module is judged here first, in one line naming
 * it.  An entry of a type the architecture does not know is left to the
 * loader, which refuses it in a line of its own.  An entry that writes a
 * pointer the loader calls (init, exit, constructors) must point into the
 * module's own code (klp_loader_calls()).  The errno stays the loader's.
 */
static int klp_plain_values(const struct klp_elf *elf, unsigned int secndx)
{
	const Elf_Shdr *sec = &elf->sechdrs[secndx];
	const Elf_Rela *r = (const Elf_Rela *)(unsigned long)sec->sh_addr;
	unsigned long base = elf->sechdrs[sec->sh_info].sh_addr;
	unsigned long long i, n = sec->sh_size / sizeof(Elf_Rela);
	bool calls = klp_loader_calls(klp_secname(elf, sec->sh_info));
	const Elf_Sym *sym;
	unsigned long loc;
	int width;
	u64 val;

	for (i = 0; i < n; i++) {
		width = klp_width(elf, ELF_R_TYPE(r[i].r_info));
		if (width <= 0)
			continue;
		/* klp_rules_plain_section() checked the index and offset. */
		sym = &elf->syms[ELF_R_SYM(r[i].r_info)];
		loc = base + r[i].r_offset;
		if (arch_klp_rela_value(ELF_R_TYPE(r[i].r_info),
					sym->st_value + r[i].r_addend, loc,
					&val) == -ERANGE) {
			elf->report(elf, secndx, (int)i,
				    "symbol '%s' + 0x%llx: value 0x%llx overflows relocation type %u\n",
				    klp_plain_symname(elf, ELF_R_SYM(r[i].r_info)),
				    (unsigned long long)r[i].r_addend,
				    (unsigned long long)val,
				    (unsigned int)ELF_R_TYPE(r[i].r_info));
			return -ENOEXEC;
		}
		if (!klp_zero((const void *)loc, width)) {
			elf->report(elf, secndx, (int)i,
				    "symbol '%s': the %d bytes it writes at %s+0x%llx are not zero\n",
				    klp_plain_symname(elf, ELF_R_SYM(r[i].r_info)),
				    width, klp_secname(elf, sec->sh_info),
				    (unsigned long long)r[i].r_offset);
			return -ENOEXEC;
		}
		if (calls && !klp_calls_code(elf, &r[i])) {
			elf->report(elf, secndx, (int)i, KLP_CALLED_MSG_FMT "\n",
				    klp_plain_symname(elf, ELF_R_SYM(r[i].r_info)),
				    (unsigned long long)r[i].r_addend,
				    klp_secname(elf, sec->sh_info));
			return -ENOEXEC;
		}
	}
	return 0;
}

/**
 * klp_reloc_load() - validate a patch module's klp sections, apply vmlinux's
 * @pmod: the patch module, still being loaded
 * @hdr: its ELF header
 * @sechdrs: its section headers, sh_addr pointing at the loaded sections
 * @secstrings: its section name string table
 * @symndx: index of its symbol table
 * @statep: set to what later steps need, owned by the caller from then on
 *	    (it goes to @pmod->klp_info, or to klp_reloc_free())
 *
 * Every SHF_RELA_LIVEPATCH section is validated now, so that a section
 * meant for a module that is not loaded yet is refused now rather than
 * then.  The ordinary entries' values and target bytes are checked
 * before the loader applies them.  The ".klp.rela.vmlinux.*" sections are
 * resolved and written before the patch module's code can run.
 *
 * Context: the module loader, before the patch module is formed.
 * Return: 0 or a negative errno, after one message; see
 * Documentation/livepatch/module-elf-format.rst for the table.
 */
int klp_reloc_load(struct module *pmod, const Elf_Ehdr *hdr,
		   Elf_Shdr *sechdrs, const char *secstrings,
		   unsigned int symndx, struct klp_reloc_state **statep)
{
	struct klp_reloc_state *st;
	struct klp_reloc_obj *vmlinux;
	struct klp_apply a;
	struct klp_elf elf;
	int err;

	BUILD_BUG_ON(KLP_OBJNAME_MAX >= MODULE_NAME_LEN);
	BUILD_BUG_ON(KLP_SYMNAME_MAX >= KSYM_NAME_LEN);

	*statep = NULL;
	klp_elf_describe(&elf, pmod->name, sechdrs, hdr->e_shnum, secstrings,
			 symndx);
	err = klp_rules_symtab(&elf, hdr->e_shstrndx);
	if (!err)
		err = klp_reloc_prepare(&elf, pmod, &st);
	if (err)
		return err;
	if (klp_arch_checked())
		err = klp_each_plain(&elf, klp_plain_values);
	if (err) {
		klp_reloc_free(st);
		return err;
	}
	vmlinux = klp_reloc_find(st, KLP_VMLINUX);
	if (vmlinux && !klp_arch_checked()) {
		a = (struct klp_apply){ st, pmod->name, pmod, vmlinux, NULL };
		klp_reloc_resolve_vmlinux(vmlinux, KLP_KSYMS_INDEX);
		err = klp_verdict(&a);
		if (!err)
			err = klp_write_unchecked(&a, sechdrs, elf.strtab, symndx);
	} else if (vmlinux) {
		err = klp_reloc_apply(st, pmod->name, pmod, vmlinux, NULL);
	}
	if (err) {
		klp_reloc_free(st);
		return err;
	}
	/*
	 * vmlinux never goes: nothing of its entries or symbols is needed
	 * again, and its symbols' full names are in the image.
	 */
	if (vmlinux) {
		kvfree(vmlinux->ents);
		vmlinux->ents = NULL;
		vmlinux->nents = 0;
		kvfree(vmlinux->syms);
		vmlinux->syms = NULL;
		vmlinux->nsyms = 0;
		kvfree(vmlinux->names);
		vmlinux->names = NULL;
	}
	*statep = st;
	return 0;
}

/**
 * klp_reloc_state_of() - what a patch module's load kept of its klp sections
 * @patch: the patch
 *
 * Return: the state, or NULL if the patch module has no klp sections.
 */
struct klp_reloc_state *klp_reloc_state_of(struct klp_patch *patch)
{
	return patch->mod->klp_info ? patch->mod->klp_info->relocs : NULL;
}

/*
 * Why the new function at @addr cannot stand in for an old one of @patch,
 * or NULL.  The core sizes it with kallsyms when its object is ready, which
 * for a module object is after the patch module's init memory is freed;
 * and ftrace sends every call of the old function there for as long as the
 * patch is enabled.  So it must be code that stays: in the patch module, a
 * text section that is not init code (its section headers, which the
 * module keeps, say where each lies); elsewhere, the kernel's or another
 * module's text.  (Text has a symbol before it for kallsyms to size it by;
 * the core still asks.)  A module that is no livepatch module keeps no
 * section headers: klp_enable_patch() refuses it next, so it is not
 * judged here.
 */
static const char *klp_reloc_new_func_unfit(const struct klp_patch *patch,
					    unsigned long addr)
{
	const struct klp_modinfo *ki = patch->mod->klp_info;
	const Elf_Shdr *s;
	unsigned int i;

	if (within_module_init(addr, patch->mod))
		return "is in the patch module's init memory, which is freed once it has loaded";
	if (within_module(addr, patch->mod)) {
		if (!ki)
			return NULL;
		for (i = 1; i < ki->hdr.e_shnum; i++) {
			s = &ki->sechdrs[i];
			if ((s->sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) ==
			    (SHF_ALLOC | SHF_EXECINSTR) &&
			    addr - s->sh_addr < s->sh_size)
				break;
		}
		if (i == ki->hdr.e_shnum)
			return "is not in a text section of the patch module";
	} else if (!kernel_text_address(addr)) {
		return "is not code";
	}
	return NULL;
}

/*
 * The functions of object @i of @patch, as klp_init_func() takes them: each
 * with an old name that kallsyms can hold and a new function that stays.
 */
static int klp_reloc_check_funcs(const struct klp_patch *patch,
				 struct klp_object *obj, unsigned int i)
{
	const char *oname = obj->name ?: "vmlinux";
	struct klp_func *func;
	unsigned int j = 0;
	const char *why;

	klp_for_each_func_static(obj, func) {
		if (!func->old_name) {
			pr_err("%s: object '%s' (%u), function %u: no name (.old_name is NULL)\n",
			       patch->mod->name, oname, i, j);
			return -EINVAL;
		}
		if (strnlen(func->old_name, KSYM_NAME_LEN) >= KSYM_NAME_LEN) {
			pr_err("%s: object '%s' (%u), function %u: its old_name is %u bytes or more\n",
			       patch->mod->name, oname, i, j, KSYM_NAME_LEN);
			return -EINVAL;
		}
		if (!func->new_func) {
			pr_err("%s: object '%s' (%u), function '%s': no new function (.new_func is NULL)\n",
			       patch->mod->name, oname, i, func->old_name);
			return -EINVAL;
		}
		why = klp_reloc_new_func_unfit(patch, (unsigned long)func->new_func);
		if (why) {
			pr_err("%s: object '%s' (%u), function '%s': its new function %pS %s\n",
			       patch->mod->name, oname, i, func->old_name,
			       func->new_func, why);
			return -EINVAL;
		}
		j++;
	}
	return 0;
}

/**
 * klp_reloc_check_patch() - say why klp_enable_patch() cannot take a patch
 * @patch: what klp_enable_patch() was given
 * @caller: the address it was called from
 *
 * The fields klp_enable_patch() reads first come from the patch module's
 * data and the relocations the loader applied to it: a generator that
 * dropped .rela.data, or a mutated module, leaves .mod and .objs zero or
 * pointing anywhere.  A struct module lives in its own module's memory
 * (THIS_MODULE), so .mod must be the module whose memory holds it.  The
 * message names the module whose memory holds @patch, or else @caller
 * (which a tail call makes the caller's caller).
 *
 * Return: 0, or -EINVAL after one line saying what is wrong.
 */
int klp_reloc_check_patch(struct klp_patch *patch, unsigned long caller)
{
	char who[MODULE_NAME_LEN] = "";
	struct klp_object *obj;
	struct module *owner;
	unsigned int i = 0;

	if (!patch) {
		pr_err("klp_enable_patch() from %pS: no patch given\n",
		       (void *)caller);
		return -EINVAL;
	}
	preempt_disable();
	owner = __module_address((unsigned long)patch);
	if (owner)
		strscpy(who, owner->name, sizeof(who));
	owner = __module_address((unsigned long)patch->mod);
	preempt_enable();
	if (!patch->mod || owner != patch->mod) {
		if (who[0])
			pr_err("%s: the patch's .mod is not a loaded module (THIS_MODULE)\n",
			       who);
		else
			pr_err("klp_enable_patch() from %pS: the patch's .mod is not a loaded module (THIS_MODULE)\n",
			       (void *)caller);
		return -EINVAL;
	}
	if (!patch->objs) {
		pr_err("%s: the patch has no objects (.objs is NULL)\n",
		       patch->mod->name);
		return -EINVAL;
	}
	klp_for_each_object_static(patch, obj) {
		if (!obj->funcs) {
			pr_err("%s: the patch's object %u has no functions (.funcs is NULL)\n",
			       patch->mod->name, i);
			return -EINVAL;
		}
		if (obj->name && strnlen(obj->name, MODULE_NAME_LEN) >=
		    MODULE_NAME_LEN) {
			pr_err("%s: the patch's object %u: its name is not a module name (%zu bytes or more)\n",
			       patch->mod->name, i, MODULE_NAME_LEN);
			return -EINVAL;
		}
		if (klp_reloc_check_funcs(patch, obj, i))
			return -EINVAL;
		i++;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(klp_reloc_check_patch);

/**
 * klp_reloc_check_registered() - a patch, or a module, seen already
 * @patch: a patch klp_reloc_check_patch() took
 *
 * Called with klp_mutex held.  A patch on klp_patches already would be
 * added to the list a second time, which turns the list into a loop: it
 * is enabled already, and so the call does nothing (a refusal would fail
 * its module's init and free the module under the registered patch).  A
 * second patch of one module would ask for a second sysfs directory of the
 * module's name.  The first comes of a module whose init calls
 * klp_enable_patch() twice on one patch, the second of one that enables
 * two.
 *
 * Return: 0 for a patch not seen, 1 for @patch registered already (after
 * a warning), or -EEXIST for another patch of its module (after one line).
 */
int klp_reloc_check_registered(struct klp_patch *patch)
{
	struct klp_patch *old;

	lockdep_assert_held(&klp_mutex);
	klp_for_each_patch(old) {
		if (old == patch) {
			pr_warn("%s: the patch is registered already: enabling it again does nothing\n",
				patch->mod->name);
			return 1;
		}
		if (old->mod == patch->mod) {
			pr_err("%s: the module has a patch registered already\n",
			       patch->mod->name);
			return -EEXIST;
		}
	}
	return 0;
}

/**
 * klp_reloc_check_objects() - refuse sections for objects the patch lacks
 * @patch: the patch being enabled
 *
 * A ".klp.rela.<obj>" section whose object is neither vmlinux nor one of
 * @patch's objects would never be applied, leaving the patch's code with
 * zeroes where addresses belong.
 *
 * Return: 0, or -EINVAL after naming the first such object.
 */
int klp_reloc_check_objects(struct klp_patch *patch)
{
	struct klp_reloc_state *st = klp_reloc_state_of(patch);
	struct klp_object *obj;
	unsigned int i;
	bool known;

	for (i = 0; st && i < st->nobjs; i++) {
		const struct klp_reloc_obj *ro = &st->objs[i];

		known = !strcmp(ro->name, KLP_VMLINUX);
		klp_for_each_object_static(patch, obj)
			if (obj->name && !strcmp(obj->name, ro->name))
				known = true;
		if (!known) {
			pr_err("%s: section %s: object '%s' is neither vmlinux nor one of the patch's objects\n",
			       patch->mod->name,
			       klp_str(st->secstrings, st->secstrings_size,
				       ro->sh_name) ?: "?",
			       ro->name);
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * klp_reloc_apply_object() - resolve and write a module object's entries
 * @patch: the patch
 * @obj: one of its module objects, whose module is loaded (@obj->mod)
 *
 * Context: klp_mutex held.
 * Return: 0 or a negative errno, after one message.
 */
int klp_reloc_apply_object(struct klp_patch *patch, struct klp_object *obj)
{
	struct klp_reloc_state *st = klp_reloc_state_of(patch);
	struct klp_reloc_obj *ro;
	int err;

	if (!obj->name)
		return 0;	/* vmlinux's were written at load */
	ro = klp_reloc_find(st, obj->name);
	if (!ro)
		return 0;
	err = klp_reloc_apply(st, patch->mod->name, patch->mod, ro, obj->mod);
	if (err)
		return err;
	err = klp_keys_apply_object(patch->mod->name, patch->mod, ro, obj->mod);
	if (err)
		klp_reloc_clear(ro, patch->mod);
	return err;
}

/**
 * klp_reloc_clear_object() - zero what a module object's entries wrote
 * @patch: the patch
 * @obj: one of its module objects
 *
 * Lets the module load again later and be relocated afresh.  Does nothing
 * for an object that was not applied.
 *
 * Context: klp_mutex held.
 */
void klp_reloc_clear_object(struct klp_patch *patch, struct klp_object *obj)
{
	struct klp_reloc_obj *ro;

	if (!obj->name)
		return;
	ro = klp_reloc_find(klp_reloc_state_of(patch), obj->name);
	klp_keys_unlink(ro);
	klp_reloc_clear(ro, patch->mod);
}

/**
 * klp_reloc_release_patch() - unlink a patch's entries from modules' keys
 * @patch: a patch leaving klp_patches
 *
 * Its module objects' jump entries and static call sites are linked into
 * the keys of modules that stay loaded after the patch is freed; the patch
 * module's memory goes with it.  Allocates nothing and cannot fail.
 *
 * Context: klp_mutex held.
 */
void klp_reloc_release_patch(struct klp_patch *patch)
{
	struct klp_reloc_state *st = klp_reloc_state_of(patch);
	unsigned int i;

	for (i = 0; st && i < st->nobjs; i++)
		klp_keys_unlink(&st->objs[i]);
}
