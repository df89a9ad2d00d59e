// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared knowledge of the klp tools.
 *
 * sympos is the rank of a symbol among those of the same name, in the order
 * the kernel walks them when it resolves a .klp.sym: kallsyms_on_each_symbol()
 * for vmlinux, whose table scripts/kallsyms sorted by address (weak symbols
 * after strong ones at the same address, then in nm's order), and
 * module_kallsyms_on_each_symbol() for a module, which walks the module's
 * symtab in file order, keeping only what is_core_symbol() keeps once the
 * module has run its init.  The ELF readers below reproduce both orders; a
 * kallsyms dump already is in that order.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "klp.h"
#include <linux/klp_keys.h>

unsigned int nr_errors, nr_warnings;
unsigned long long klp_mem_limit = KLP_MODULE_SPACE_SIZE;

static const char * const reloc_names[] = {
	[R_X86_64_NONE]		= "R_X86_64_NONE",
	[R_X86_64_64]		= "R_X86_64_64",
	[R_X86_64_PC32]		= "R_X86_64_PC32",
	[R_X86_64_GOT32]	= "R_X86_64_GOT32",
	[R_X86_64_PLT32]	= "R_X86_64_PLT32",
	[R_X86_64_COPY]		= "R_X86_64_COPY",
	[R_X86_64_GLOB_DAT]	= "R_X86_64_GLOB_DAT",
	[R_X86_64_JUMP_SLOT]	= "R_X86_64_JUMP_SLOT",
	[R_X86_64_RELATIVE]	= "R_X86_64_RELATIVE",
	[R_X86_64_GOTPCREL]	= "R_X86_64_GOTPCREL",
	[R_X86_64_32]		= "R_X86_64_32",
	[R_X86_64_32S]		= "R_X86_64_32S",
	[R_X86_64_16]		= "R_X86_64_16",
	[R_X86_64_PC16]		= "R_X86_64_PC16",
	[R_X86_64_8]		= "R_X86_64_8",
	[R_X86_64_PC8]		= "R_X86_64_PC8",
	[R_X86_64_DTPMOD64]	= "R_X86_64_DTPMOD64",
	[R_X86_64_DTPOFF64]	= "R_X86_64_DTPOFF64",
	[R_X86_64_TPOFF64]	= "R_X86_64_TPOFF64",
	[R_X86_64_TLSGD]	= "R_X86_64_TLSGD",
	[R_X86_64_TLSLD]	= "R_X86_64_TLSLD",
	[R_X86_64_DTPOFF32]	= "R_X86_64_DTPOFF32",
	[R_X86_64_GOTTPOFF]	= "R_X86_64_GOTTPOFF",
	[R_X86_64_TPOFF32]	= "R_X86_64_TPOFF32",
	[R_X86_64_PC64]		= "R_X86_64_PC64",
	[R_X86_64_GOTOFF64]	= "R_X86_64_GOTOFF64",
	[R_X86_64_GOTPC32]	= "R_X86_64_GOTPC32",
	[R_X86_64_GOT64]	= "R_X86_64_GOT64",
	[R_X86_64_GOTPCREL64]	= "R_X86_64_GOTPCREL64",
	[R_X86_64_GOTPC64]	= "R_X86_64_GOTPC64",
	[R_X86_64_GOTPLT64]	= "R_X86_64_GOTPLT64",
	[R_X86_64_PLTOFF64]	= "R_X86_64_PLTOFF64",
	[R_X86_64_SIZE32]	= "R_X86_64_SIZE32",
	[R_X86_64_SIZE64]	= "R_X86_64_SIZE64",
	[R_X86_64_GOTPC32_TLSDESC] = "R_X86_64_GOTPC32_TLSDESC",
	[R_X86_64_TLSDESC_CALL]	= "R_X86_64_TLSDESC_CALL",
	[R_X86_64_TLSDESC]	= "R_X86_64_TLSDESC",
	[R_X86_64_IRELATIVE]	= "R_X86_64_IRELATIVE",
	[R_X86_64_RELATIVE64]	= "R_X86_64_RELATIVE64",
	[R_X86_64_GOTPCRELX]	= "R_X86_64_GOTPCRELX",
	[R_X86_64_REX_GOTPCRELX] = "R_X86_64_REX_GOTPCRELX",
};

const char *reloc_type_name(unsigned int type, char *buf, size_t len)
{
	if (type < ARRAY_SIZE(reloc_names) && reloc_names[type])
		return reloc_names[type];
	snprintf(buf, len, "type %u", type);
	return buf;
}

/* "R_X86_64_16 (12)", or "99" for a type without a name. */
const char *reloc_type_desc(unsigned int type, char *buf, size_t len)
{
	if (type < ARRAY_SIZE(reloc_names) && reloc_names[type])
		snprintf(buf, len, "%s (%u)", reloc_names[type], type);
	else
		snprintf(buf, len, "%u", type);
	return buf;
}

const char *klp_reloc_types(void)
{
	static char list[256];
	unsigned int type;
	size_t n = 0;

	if (list[0])
		return list;
	for (type = 1; type < ARRAY_SIZE(reloc_names) && n < sizeof(list); type++)
		if (reloc_names[type] && klp_x86_64_rela_width(type) > 0)
			n += snprintf(list + n, sizeof(list) - n, "%s%s",
				      n ? ", " : "", reloc_names[type]);
	return list;
}

/*
 * Names come from the file: a byte that is not printable ASCII is shown
 * as \xNN, as dmesg shows the kernel's messages, and never reaches the
 * terminal raw.
 */
static void put_escaped(const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void report(const char *kind, const char *file, const char *where,
		   const char *fmt, va_list ap)
{
	char *msg;

	printf("%s: ", file);
	if (where) {
		put_escaped(where);
		fputs(": ", stdout);
	}
	if (kind)
		printf("%s: ", kind);
	if (vasprintf(&msg, fmt, ap) < 0) {
		puts("(out of memory)");
		return;
	}
	put_escaped(msg);
	putchar('\n');
	free(msg);
}

void error_at(const char *file, const char *where, const char *fmt, ...)
{
	va_list ap;

	nr_errors++;
	va_start(ap, fmt);
	report(NULL, file, where, fmt, ap);
	va_end(ap);
}

void warn_at(const char *file, const char *where, const char *fmt, ...)
{
	va_list ap;

	nr_warnings++;
	va_start(ap, fmt);
	report("warning", file, where, fmt, ap);
	va_end(ap);
}

/* "name[idx]" for messages; idx < 0 leaves out the brackets. */
const char *sec_where(const struct section *sec, long idx)
{
	static char buf[600];
	const char *name = sec->name[0] ? sec->name : "(unnamed)";

	if (idx < 0)
		snprintf(buf, sizeof(buf), "%.500s", name);
	else
		snprintf(buf, sizeof(buf), "%.500s[%ld]", name, idx);
	return buf;
}

/* As the module loader decides: the "livepatch" key, whatever its value. */
bool is_livepatch_module(const struct elf *elf)
{
	return elf_modinfo(elf, "livepatch");
}

/*
 * The loader takes SHF_ALLOC from the first SHF_ALLOC section named
 * .modinfo, and from the first named __versions, before anything else.
 */
static bool loader_unallocs(const struct elf *elf, const struct section *sec)
{
	unsigned int i;

	if (strcmp(sec->name, ".modinfo") && strcmp(sec->name, "__versions"))
		return false;
	for (i = 1; i < sec->idx && i < elf->nr_sections; i++) {
		if ((elf->sections[i]->sh.sh_flags & SHF_ALLOC) &&
		    !strcmp(elf->sections[i]->name, sec->name))
			return false;
	}
	return true;
}

bool loader_alloc(const struct elf *elf, const struct section *sec)
{
	/*
	 * layout_symtab() (CONFIG_KALLSYMS, as in every distribution's
	 * kernel) sets SHF_ALLOC on the symbol table and its string table
	 * before relocations are applied: a section relocating either is
	 * applied too.
	 */
	if (elf->symtab && (sec == elf->symtab || sec->idx == elf->symtab->sh.sh_link))
		return true;
	return (sec->sh.sh_flags & SHF_ALLOC) && !loader_unallocs(elf, sec);
}

struct section *loader_rela_target(const struct elf *elf, const struct section *sec)
{
	struct section *target = find_section_by_index(elf, sec->sh.sh_info);

	if (sec->removed || sec->sh.sh_type != SHT_RELA || klp_rela_flagged(sec) ||
	    !target || target->removed || !loader_alloc(elf, target))
		return NULL;
	return target;
}

bool loader_rela_walk_next(struct loader_rela_walk *w)
{
	while (rela_section_walk_next(&w->all)) {
		*w->base = loader_rela_target(w->all.in, *w->all.cur);
		if (*w->base)
			return true;
	}
	return false;
}

/*
 * The rules of <linux/klp_rules.h> read an image as the module loader
 * leaves it: section headers whose sh_addr is where the bytes are.  This is
 * that view of an object read (and perhaps edited) through elf.c.
 */
struct klp_view {
	struct klp_elf k;
	Elf64_Shdr *shdrs;
	Elf64_Sym *syms;
	void **copies;		/* aligned copies of misaligned relocations */
	struct klp_span *spans;
	unsigned int nr_spans, max_spans;
};

static __printf(4, 5) void view_report(const struct klp_elf *k,
					unsigned int secndx, int rela,
					const char *fmt, ...)
{
	const struct elf *elf = k->ctx;
	const char *where = NULL;
	char *msg;
	size_t len;
	va_list ap;

	if (secndx && secndx < elf->nr_sections)
		where = sec_where(elf->sections[secndx], rela);
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (!msg) {
		error_at(k->modname, where, "out of memory");
		return;
	}
	len = strlen(msg);
	if (len && msg[len - 1] == '\n')
		msg[len - 1] = '\0';
	error_at(k->modname, where, "%s", msg);
	free(msg);
}

static void view_free(struct klp_view *v, unsigned int nr_sections)
{
	unsigned int i;

	for (i = 0; v->copies && i < nr_sections; i++)
		free(v->copies[i]);
	free(v->copies);
	free(v->shdrs);
	free(v->syms);
	free(v->spans);
}

/* The symtab is @elf's symbols as they are now, which may be edited. */
static int view_init(struct klp_view *v, const struct elf *elf,
		     const char *file)
{
	unsigned int i;

	memset(v, 0, sizeof(*v));
	v->k.mem_limit = klp_mem_limit;
	v->shdrs = calloc(elf->nr_sections, sizeof(*v->shdrs));
	v->copies = calloc(elf->nr_sections, sizeof(*v->copies));
	v->syms = calloc(elf->nr_symbols ?: 1, sizeof(*v->syms));
	if (!v->shdrs || !v->copies || !v->syms)
		return -1;
	for (i = 0; i < elf->nr_symbols; i++)
		v->syms[i] = elf->symbols[i].sym;
	for (i = 0; i < elf->nr_sections; i++) {
		const struct section *sec = elf->sections[i];
		Elf64_Shdr *sh = &v->shdrs[i];
		void *data = sec->data;

		*sh = sec->sh;
		if (data && sh->sh_type == SHT_RELA &&
		    (uintptr_t)data % _Alignof(Elf64_Rela)) {
			v->copies[i] = malloc(sec->size);
			if (!v->copies[i])
				return -1;
			data = memcpy(v->copies[i], data, sec->size);
		}
		sh->sh_addr = (uintptr_t)data;
		/* Its header is never laid out. */
		if (loader_unallocs(elf, sec))
			sh->sh_flags &= ~(Elf64_Xword)SHF_ALLOC;
		/* Nothing may read past what is there. */
		if (data)
			sh->sh_size = sec->size;
		else if (sh->sh_type == SHT_RELA || sh->sh_type == SHT_SYMTAB)
			sh->sh_size = 0;
	}
	/*
	 * The loader takes the first SHT_SYMTAB whatever it holds: one
	 * without a whole entry is a table of none.
	 */
	if (elf->symtab_idx) {
		v->shdrs[elf->symtab_idx].sh_addr = (uintptr_t)v->syms;
		v->shdrs[elf->symtab_idx].sh_size =
			(size_t)elf->nr_symbols * sizeof(Elf64_Sym);
		v->k.symndx = elf->symtab_idx;
	}
	v->k.modname = file;
	v->k.ctx = (void *)elf;
	v->k.report = view_report;
	v->k.width = klp_x86_64_rela_width;
	v->k.sechdrs = v->shdrs;
	v->k.shnum = elf->nr_sections;
	v->k.secstrings = elf->shstrtab ? elf->shstrtab->data : NULL;
	return 0;
}

/* Room for @n more spans. */
static int reserve_spans(struct klp_view *v, unsigned int n)
{
	struct klp_span *s;
	unsigned int max = v->max_spans ?: 64;

	while (max - v->nr_spans < n)
		max *= 2;
	if (max == v->max_spans)
		return 0;
	s = realloc(v->spans, max * sizeof(*s));
	if (!s)
		return -1;
	v->spans = s;
	v->max_spans = max;
	return 0;
}

/* In a file, sections have no addresses: a target's index stands for one. */
static unsigned long long target_base(const struct klp_view *v,
				      unsigned int secndx)
{
	return (unsigned long long)v->shdrs[secndx].sh_info << 40;
}

/* What the loader writes for ordinary relocation section @i. */
static int add_plain_spans(struct klp_view *v, unsigned int i)
{
	unsigned int n = klp_plain_spans(&v->k, i, 0, NULL);

	if (reserve_spans(v, n))
		return -1;
	v->nr_spans += klp_plain_spans(&v->k, i, target_base(v, i),
				       v->spans + v->nr_spans);
	return 0;
}

static int add_span(struct klp_view *v, const struct klp_rsec *rs,
		    unsigned int i, int width)
{
	struct klp_span *s;

	if (reserve_spans(v, 1))
		return -1;
	s = &v->spans[v->nr_spans++];
	s->start = target_base(v, rs->secndx) + rs->relas[i].r_offset;
	s->len = width;
	s->secndx = rs->secndx;
	s->rela = i;
	return 0;
}

/**
 * klp_check_rules() - the format's rules, as the kernel applies them
 * @elf: a patch module
 * @file: its name, for messages
 * @entry: called for each entry of a klp section that the rules accept
 * @arg: passed to @entry
 *
 * Applies every rule of <linux/klp_rules.h>: the symbol table and what the
 * loader reads of the image unchecked, each ordinary relocation section the
 * loader applies, each SHF_RELA_LIVEPATCH section and its entries (up to
 * the first refused one of a section, as the kernel stops there), and the
 * overlap of all entries, ordinary ones included.  Each problem
 * is reported with error_at().
 *
 * Return: the number of problems reported.
 */
unsigned int klp_check_rules(const struct elf *elf, const char *file,
			     klp_entry_fn entry, void *arg)
{
	unsigned int before = nr_errors, i, j;
	struct klp_view v;
	struct klp_sym_name sn;
	struct klp_rsec rs;
	int width;

	if (view_init(&v, elf, file))
		goto oom;
	if (klp_rules_symtab(&v.k, elf->shstrtab ? elf->shstrtab->idx :
						   elf->nr_sections) ||
	    klp_rules_loader(&v.k))
		goto out;
	for (i = 1; i < elf->nr_sections; i++) {
		const struct section *sec = elf->sections[i];

		/* Left out of what klp-convert writes. */
		if (sec->removed)
			continue;
		if (sec->sh.sh_type == SHT_RELA && !v.shdrs[i].sh_addr &&
		    sec->sh.sh_size) {
			error_at(file, sec_where(sec, -1),
				 "contents lie outside the file");
			continue;
		}
		if (!klp_rela_flagged(sec)) {
			if (loader_rela_target(elf, sec) &&
			    !klp_rules_plain_section(&v.k, i) &&
			    add_plain_spans(&v, i))
				goto oom;
			continue;
		}
		if (klp_rules_section(&v.k, i, &rs))
			continue;
		for (j = 0; j < rs.nrelas; j++) {
			width = klp_rules_rela(&v.k, &rs, j, &sn);
			if (width < 0)
				break;
			if (entry)
				entry(arg, &rs, j, width);
			if (width && add_span(&v, &rs, j, width))
				goto oom;
		}
	}
	if (v.nr_spans)
		qsort(v.spans, v.nr_spans, sizeof(*v.spans), klp_span_cmp);
	klp_rules_overlap(&v.k, v.spans, v.nr_spans);
	goto out;
oom:
	error_at(file, NULL, "out of memory");
out:
	view_free(&v, elf->nr_sections);
	return nr_errors - before;
}

char *klp_part_dup(const struct klp_name_part *part)
{
	return strndup(part->s, part->len);
}

char *module_name(const struct elf *elf, const char *path)
{
	const char *name = elf ? elf_modinfo(elf, "name") : NULL;
	const char *base;
	char *s, *p;

	if (name && *name)
		return strdup(name);
	base = strrchr(path, '/');
	s = strdup(base ? base + 1 : path);
	if (!s)
		return NULL;
	p = strchr(s, '.');
	if (p)
		*p = '\0';
	for (p = s; *p; p++)
		if (*p == '-')
			*p = '_';
	return s;
}

static __printf(2, 3) void set_err(char **err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) < 0)
		*err = NULL;
	va_end(ap);
}

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

static void sort_names(char **list, unsigned int nr)
{
	if (nr)
		qsort(list, nr, sizeof(*list), cmp_str);
}

/* Sort by name and kallsyms order, and number each name's symbols. */
static void symsrc_index(struct symsrc *src)
{
	unsigned int i;

	if (src->nr)
		qsort(src->syms, src->nr, sizeof(*src->syms), cmp_ksym);
	for (i = 0; i < src->nr; i++)
		src->syms[i].pos = (i && !strcmp(src->syms[i].name,
						 src->syms[i - 1].name)) ?
				   src->syms[i - 1].pos + 1 : 1;
	sort_names(src->exports, src->nr_exports);
	sort_names(src->gpl, src->nr_gpl);
}

/*
 * Room in *@arr, which holds @nr entries of @size bytes in room for *@max,
 * for one more.  It doubles: a kallsyms dump has 100,000 lines and more.
 */
static int room_for_one(void *arr, unsigned int nr, unsigned int *max, size_t size)
{
	unsigned int want = *max ? *max * 2 : 64;
	void *grown;

	if (nr < *max)
		return 0;
	if (want <= *max)
		return -1;
	grown = realloc(*(void **)arr, (size_t)want * size);
	if (!grown)
		return -1;
	*(void **)arr = grown;
	*max = want;
	return 0;
}

/* Append a copy of @name to the list *@list of *@nr names in room for *@max. */
static int add_name(char ***list, unsigned int *nr, unsigned int *max,
		    const char *name)
{
	if (room_for_one(list, *nr, max, sizeof(**list)))
		return -1;
	(*list)[*nr] = strdup(name);
	if (!(*list)[*nr])
		return -1;
	(*nr)++;
	return 0;
}

/* An export of @src; @gpl if only GPL-compatible modules may bind to it. */
static int add_export(struct symsrc *src, const char *name, bool gpl)
{
	if (add_name(&src->exports, &src->nr_exports, &src->max_exports, name))
		return -1;
	return gpl ? add_name(&src->gpl, &src->nr_gpl, &src->max_gpl, name) : 0;
}

/*
 * A symbol list has no sections: vmlinux's GPL-only exports are those
 * whose __ksymtab_ entry lies in [__start___ksymtab_gpl,
 * __stop___ksymtab_gpl).  A module's list has no such bounds, and its
 * exports count as plain ones.
 */
static int mark_gpl_by_range(struct symsrc *src)
{
	const struct ksym *start, *stop, *k;
	unsigned int i, n;
	char name[600];

	start = symsrc_lookup(src, "__start___ksymtab_gpl", &n);
	stop = symsrc_lookup(src, "__stop___ksymtab_gpl", &n);
	if (!start || !stop || start->addr >= stop->addr)
		return 0;
	for (i = 0; i < src->nr_exports; i++) {
		if (snprintf(name, sizeof(name), "__ksymtab_%s",
			     src->exports[i]) >= (int)sizeof(name))
			continue;
		k = symsrc_lookup(src, name, &n);
		if (k && k->addr >= start->addr && k->addr < stop->addr &&
		    add_name(&src->gpl, &src->nr_gpl, &src->max_gpl, src->exports[i]))
			return -1;
	}
	sort_names(src->gpl, src->nr_gpl);
	return 0;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static bool in_list(const char *s, const char * const *list,
		    bool (*match)(const char *, const char *))
{
	for (; *list; list++)
		if (match(s, *list))
			return true;
	return false;
}

static bool same(const char *a, const char *b)
{
	return !strcmp(a, b);
}

static bool contains(const char *s, const char *part)
{
	return strstr(s, part);
}

/*
 * nm's letter for a symbol of a section without SHF_ALLOC: 'N' for
 * debugging sections (known by name), 'n' for other read-only sections
 * with contents, 'b' for SHT_NOBITS and '?' for the rest.  kallsyms
 * drops 'N' and 'n' and keeps the others.
 */
static bool nm_nonalloc_dropped(const struct section *sec)
{
	static const char * const debug_prefixes[] = {
		".debug", ".gnu.debuglto_.debug_", ".gnu.linkonce.wi.", ".zdebug",
		".line", ".stab", NULL
	};

	if (in_list(sec->name, debug_prefixes, has_prefix) ||
	    !strcmp(sec->name, ".gdb_index"))
		return true;
	return sec->sh.sh_type != SHT_NOBITS && !(sec->sh.sh_flags & SHF_WRITE);
}

/*
 * Does vmlinux's kallsyms keep a symbol named @name?  A 6.1 vmlinux gets
 * its table from "nm -n" filtered by scripts/mksysmap (which also makes
 * System.map), then by is_ignored_symbol() in scripts/kallsyms.c; with
 * CONFIG_KALLSYMS_ALL nothing else is dropped.  The names below are the
 * two scripts' lists; kallsyms drops its own tables by exact name only,
 * so kallsyms_lookup_name and friends stay.
 */
static bool kallsyms_name(const char *name)
{
	static const char * const mksysmap_prefixes[] = {
		"$", ".L", "__crc_", "__kstrtab_", "__kstrtabns_", NULL
	};
	static const char * const ignored_names[] = {
		"L0", "kallsyms_addresses", "kallsyms_offsets",
		"kallsyms_relative_base", "kallsyms_num_syms", "kallsyms_names",
		"kallsyms_markers", "kallsyms_token_table", "kallsyms_token_index",
		"kallsyms_seqs_of_names", "_SDA_BASE_", "_SDA2_BASE_", NULL
	};
	static const char * const ignored_prefixes[] = {
		"__efistub_", "__kvm_nvhe_$", "__kvm_nvhe_.L", "__AArch64ADRPThunk_",
		"__ARMV5PILongThunk_", "__ARMV7PILongThunk_", "__ThumbV7PILongThunk_",
		"__LA25Thunk_", "__microLA25Thunk_", "__kcfi_typeid_", NULL
	};
	static const char * const ignored_suffixes[] = {
		"_from_arm", "_from_thumb", "_veneer", NULL
	};
	static const char * const ignored_parts[] = {
		".long_branch.", ".plt_branch.", NULL
	};

	return !in_list(name, mksysmap_prefixes, has_prefix) &&
	       !in_list(name, ignored_names, same) &&
	       !in_list(name, ignored_prefixes, has_prefix) &&
	       !in_list(name, ignored_suffixes, has_suffix) &&
	       !in_list(name, ignored_parts, contains);
}

/*
 * Is @sym one that kallsyms lists for vmlinux?  nm leaves out section and
 * file symbols; it calls undefined ones 'U'/'w', absolute ones 'A' and GNU
 * unique ones 'u', and none of these reach the table.
 */
static bool vmlinux_kallsym(const struct symbol *sym)
{
	unsigned int type = ELF64_ST_TYPE(sym->sym.st_info);

	if (!sym->name[0] || !sym->sec || type == STT_SECTION || type == STT_FILE ||
	    ELF64_ST_BIND(sym->sym.st_info) == STB_GNU_UNIQUE)
		return false;
	if (!(sym->sec->sh.sh_flags & SHF_ALLOC) && nm_nonalloc_dropped(sym->sec))
		return false;
	return kallsyms_name(sym->name);
}

/*
 * Is @sym one that a module keeps in its kallsyms after init
 * (is_core_symbol)?  The kernel counts a module's sympos among those only,
 * so an init-only symbol is neither a candidate nor counted.
 */
static bool module_kallsym(const struct symbol *sym)
{
	const struct section *sec = sym->sec;

	if (!sym->name[0] || !sec || !(sec->sh.sh_flags & SHF_ALLOC))
		return false;
	/* The loader drops SHF_ALLOC from these two. */
	if (!strcmp(sec->name, ".modinfo") || !strcmp(sec->name, "__versions"))
		return false;
	return !klp_init_section(sec->name);
}

/*
 * nm's letter for @sym, as kallsyms shows it, from its section's flags:
 * text, writable data (bss where the file has no bytes), read-only data;
 * upper case for a global.
 */
static char nm_type(const struct symbol *sym)
{
	const Elf64_Shdr *sh = &sym->sec->sh;
	char c = 'r';

	if (sh->sh_flags & SHF_EXECINSTR)
		c = 't';
	else if (sh->sh_flags & SHF_WRITE)
		c = sh->sh_type == SHT_NOBITS ? 'b' : 'd';
	return ELF64_ST_BIND(sym->sym.st_info) == STB_LOCAL ? c : toupper(c);
}

/* Address order as scripts/kallsyms sorts, ties kept in symtab order. */
static int cmp_addr(const void *a, const void *b)
{
	const struct symbol *x = *(const struct symbol * const *)a;
	const struct symbol *y = *(const struct symbol * const *)b;
	bool wx = ELF64_ST_BIND(x->sym.st_info) == STB_WEAK;
	bool wy = ELF64_ST_BIND(y->sym.st_info) == STB_WEAK;

	if (x->sym.st_value != y->sym.st_value)
		return x->sym.st_value < y->sym.st_value ? -1 : 1;
	if (wx != wy)
		return wx - wy;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * A local symbol's source file: the nearest STT_FILE symbol before it, as
 * the compiler and the linker lay out the locals of each translation unit.
 * An empty name (the linker's own locals) names none, and a global symbol
 * has none: globals follow all the locals, whichever file they are from.
 */
static const char *local_file(const struct symbol *sym, const char *file)
{
	if (ELF64_ST_BIND(sym->sym.st_info) != STB_LOCAL || !file || !*file)
		return NULL;
	return file;
}

/* Why a stripped object cannot serve: a module's, vmlinux's. */
static const char * const stripped[] = {
	"no symbol table: a stripped module cannot say where its symbols are; give it as built",
	"no symbol table: a stripped vmlinux cannot say where its symbols are; give the one with symbols (Debian: package linux-image-<version>-dbg), or --kallsyms with a copy of /proc/kallsyms read as root",
};

struct symsrc *symsrc_from_elf(const char *path, bool vmlinux, char **err)
{
	struct symsrc *src = calloc(1, sizeof(*src));
	struct symbol **order = NULL;
	const char **file_of = NULL, *file = NULL;
	unsigned int i, n = 0;

	if (!src)
		goto oom;
	src->file = path;
	src->elf = elf_open(path);
	if (!src->elf)
		goto oom;
	if (!src->elf->err && !src->elf->symtab)
		src->elf->err = strdup(stripped[vmlinux]);
	if (src->elf->err) {
		set_err(err, "%s: %s", path, src->elf->err);
		symsrc_free(src);
		return NULL;
	}
	src->obj = vmlinux ? strdup(KLP_VMLINUX) : module_name(src->elf, path);
	order = calloc(src->elf->nr_symbols ?: 1, sizeof(*order));
	src->syms = calloc(src->elf->nr_symbols ?: 1, sizeof(*src->syms));
	file_of = calloc(src->elf->nr_symbols ?: 1, sizeof(*file_of));
	if (!src->obj || !order || !src->syms || !file_of)
		goto oom;

	for (i = 1; i < src->elf->nr_symbols; i++) {
		struct symbol *sym = &src->elf->symbols[i];

		if (ELF64_ST_TYPE(sym->sym.st_info) == STT_FILE)
			file = sym->name;
		file_of[i] = local_file(sym, file);
		if (!strncmp(sym->name, "__ksymtab_", 10) && sym->sec &&
		    add_export(src, sym->name + 10,
			       !strcmp(sym->sec->name, "__ksymtab_gpl")))
			goto oom;
		if (vmlinux ? vmlinux_kallsym(sym) : module_kallsym(sym))
			order[n++] = sym;
	}
	if (vmlinux)
		qsort(order, n, sizeof(*order), cmp_addr);
	for (i = 0; i < n; i++) {
		src->syms[i].name = order[i]->name;
		src->syms[i].addr = order[i]->sym.st_value;
		src->syms[i].type = nm_type(order[i]);
		src->syms[i].order = i;
		src->syms[i].file = file_of[order[i]->idx];
	}
	src->nr = n;
	free(order);
	free(file_of);
	symsrc_index(src);
	return src;
oom:
	free(order);
	free(file_of);
	symsrc_free(src);
	*err = strdup("out of memory");
	return NULL;
}

static struct symsrc *find_obj(struct symsrc ***srcs, unsigned int *nr,
			       const char *obj, const char *path)
{
	struct symsrc **s, *src;
	unsigned int i;

	for (i = 0; i < *nr; i++)
		if (!strcmp((*srcs)[i]->obj, obj))
			return (*srcs)[i];
	s = realloc(*srcs, (*nr + 1) * sizeof(*s));
	if (!s)
		return NULL;
	*srcs = s;
	src = calloc(1, sizeof(*src));
	if (!src)
		return NULL;
	src->obj = strdup(obj);
	if (!src->obj) {
		free(src);
		return NULL;
	}
	src->file = path;
	s[(*nr)++] = src;
	return src;
}

/* The two symbol lists a user may have instead of vmlinux. */
enum symlist {
	SYMLIST_KALLSYMS,	/* /proc/kallsyms: vmlinux, then the modules */
	SYMLIST_SYSTEM_MAP,	/* System.map: vmlinux as scripts/mksysmap left it */
};

static const char * const symlist_name[] = {
	[SYMLIST_KALLSYMS]	= "/proc/kallsyms",
	[SYMLIST_SYSTEM_MAP]	= "System.map",
};

struct sym_line {
	unsigned long long addr;
	char type;
	char name[600];
	char mod[128];		/* "" for vmlinux */
};

/*
 * "ADDR TYPE NAME", with "\t[MODULE]" after it for a module's symbol in
 * /proc/kallsyms, and nothing else on the line.
 */
static bool parse_sym_line(const char *line, bool modules, struct sym_line *l)
{
	int end = 0;

	l->mod[0] = '\0';
	if (sscanf(line, "%llx %c %599s%n", &l->addr, &l->type, l->name, &end) != 3)
		return false;
	line += end;
	line += strspn(line, " \t");
	if (modules && *line == '[') {
		end = 0;
		if (sscanf(line, "[%127[^]]]%n", l->mod, &end) != 1 || !end)
			return false;
		line += end;
	}
	return !line[strspn(line, " \t\r\n")];
}

/* kallsyms lists BPF programs and trampolines as if in these modules. */
static bool pseudo_module(const char *mod)
{
	return !strcmp(mod, "bpf") || has_prefix(mod, "__builtin__");
}

/*
 * Does kallsyms keep this System.map line?  It drops undefined, debugging
 * and absolute symbols (x86_64 keeps none of the last) and the names
 * kallsyms_name() refuses.
 */
static bool map_kallsym(const struct sym_line *l)
{
	return !strchr("UuNnAa", l->type) && kallsyms_name(l->name);
}

static int add_ksym(struct symsrc *src, const struct sym_line *l)
{
	struct ksym *k;

	if (room_for_one(&src->syms, src->nr, &src->max_syms, sizeof(*k)))
		return -1;
	k = src->syms + src->nr;
	memset(k, 0, sizeof(*k));
	k->name = strdup(l->name);
	if (!k->name)
		return -1;
	k->addr = l->addr;
	k->type = l->type;
	k->order = src->nr++;
	return 0;
}

/* scripts/kallsyms' order of System.map's lines: by address, weak last. */
static int cmp_map_order(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	bool wx = x->type == 'w' || x->type == 'W';
	bool wy = y->type == 'w' || y->type == 'W';

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (wx != wy)
		return wx - wy;
	return x->order < y->order ? -1 : x->order > y->order;
}

/*
 * Why the list just read cannot serve, or NULL: a copy of /proc/kallsyms
 * made without root has every address zero, and a list without one text
 * symbol of vmlinux is not one (Debian's /boot/System.map is a one-line
 * placeholder).  Otherwise, the first line that is not a symbol.
 */
static void refuse_symlist(const char *path, enum symlist kind, bool nonzero,
			   unsigned int text, unsigned int bad, char **err)
{
	if (kind == SYMLIST_KALLSYMS && text && !nonzero)
		set_err(err, "%s: every address is zero: read /proc/kallsyms as root (sudo cat /proc/kallsyms > FILE)",
			path);
	else if (!text && kind == SYMLIST_SYSTEM_MAP)
		set_err(err, "%s: no text symbols, so not a System.map (Debian's /boot/System.map is a placeholder: the real one is in package linux-image-<version>-dbg; or give --kallsyms with a copy of /proc/kallsyms read as root)",
			path);
	else if (!text)
		set_err(err, "%s: no text symbols of vmlinux, so not a copy of /proc/kallsyms",
			path);
	else
		set_err(err, "%s:%u: not a %s line", path, bad, symlist_name[kind]);
}

/* Read @kind's list at @path into one source per object, in kallsyms order. */
static int read_symlist(const char *path, enum symlist kind,
			struct symsrc ***srcs, unsigned int *nr, char **err)
{
	FILE *f = fopen(path, "r");
	unsigned int lineno = 0, bad = 0, text = 0, i;
	bool nonzero = false;
	struct sym_line l;
	char line[1024];

	*srcs = NULL;
	*nr = 0;
	if (!f) {
		set_err(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct symsrc *src;

		lineno++;
		if (!parse_sym_line(line, kind == SYMLIST_KALLSYMS, &l)) {
			bad = bad ?: lineno;
			continue;
		}
		nonzero |= l.addr != 0;
		if (pseudo_module(l.mod))
			continue;
		src = find_obj(srcs, nr, l.mod[0] ? l.mod : KLP_VMLINUX, path);
		if (!src)
			goto oom;
		if (has_prefix(l.name, "__ksymtab_") && add_export(src, l.name + 10, false))
			goto oom;
		if (kind == SYMLIST_SYSTEM_MAP ? !map_kallsym(&l) : toupper(l.type) == 'U')
			continue;
		text += !l.mod[0] && toupper(l.type) == 'T';
		if (add_ksym(src, &l))
			goto oom;
	}
	fclose(f);
	f = NULL;
	if (bad || !text || (kind == SYMLIST_KALLSYMS && !nonzero)) {
		refuse_symlist(path, kind, nonzero, text, bad, err);
		goto fail;
	}
	for (i = 0; i < *nr; i++) {
		struct symsrc *src = (*srcs)[i];
		unsigned int j;

		if (kind == SYMLIST_SYSTEM_MAP) {
			qsort(src->syms, src->nr, sizeof(*src->syms), cmp_map_order);
			for (j = 0; j < src->nr; j++)
				src->syms[j].order = j;
		}
		symsrc_index(src);
		if (!strcmp(src->obj, KLP_VMLINUX) && mark_gpl_by_range(src))
			goto oom;
	}
	return 0;
oom:
	*err = strdup("out of memory");
fail:
	if (f)
		fclose(f);
	for (i = 0; i < *nr; i++)
		symsrc_free((*srcs)[i]);
	free(*srcs);
	*srcs = NULL;
	*nr = 0;
	return -1;
}

/*
 * Read a /proc/kallsyms dump, "addr type name [module]" per line, into one
 * source per object.  Lines are in kallsyms order already.
 */
int symsrc_from_kallsyms(const char *path, struct symsrc ***srcs,
			 unsigned int *nr, char **err)
{
	return read_symlist(path, SYMLIST_KALLSYMS, srcs, nr, err);
}

/*
 * Read a System.map, "addr type name" per line in address order, as
 * vmlinux's source.  Its exports are its __ksymtab_ symbols.
 */
struct symsrc *symsrc_from_system_map(const char *path, char **err)
{
	struct symsrc **list, *src;
	unsigned int nr;

	if (read_symlist(path, SYMLIST_SYSTEM_MAP, &list, &nr, err))
		return NULL;
	/* Only vmlinux lines parse, and one had a text symbol. */
	src = list[0];
	free(list);
	return src;
}

/*
 * Module.symvers: "crc name module export-type [namespace]" per line.
 * vmlinux's exports go to @vmlinux, every module's to @modules.
 */
int symsrc_add_symvers(struct symsrc *vmlinux, struct symsrc *modules,
		       const char *path, char **err)
{
	FILE *f = fopen(path, "r");
	char line[1024], name[600], mod[600], type[600];

	if (!f) {
		set_err(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %599s %599s %599s", name, mod, type) != 3)
			continue;
		if (add_export(strcmp(mod, KLP_VMLINUX) ? modules : vmlinux, name,
			       !strcmp(type, "EXPORT_SYMBOL_GPL"))) {
			fclose(f);
			*err = strdup("out of memory");
			return -1;
		}
	}
	fclose(f);
	sort_names(vmlinux->exports, vmlinux->nr_exports);
	sort_names(vmlinux->gpl, vmlinux->nr_gpl);
	sort_names(modules->exports, modules->nr_exports);
	sort_names(modules->gpl, modules->nr_gpl);
	return 0;
}

const struct ksym *symsrc_lookup(const struct symsrc *src, const char *name,
				 unsigned int *count)
{
	unsigned int lo = 0, hi = src->nr, n = 0;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (strcmp(src->syms[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < src->nr && !strcmp(src->syms[lo + n].name, name))
		n++;
	*count = n;
	return n ? &src->syms[lo] : NULL;
}

const char *ksym_where(const struct ksym *k, char *buf, size_t len)
{
	size_t n = snprintf(buf, len, "#%u at 0x%llx", k->pos, k->addr);
	const char *s;

	if (!k->file || n + 4 >= len)
		return buf;
	/* The name is the file's: escaped as put_escaped() does. */
	n += snprintf(buf + n, len - n, " (");
	for (s = k->file; *s && n + 5 < len; s++) {
		unsigned char c = *s;

		if (c < 0x20 || c >= 0x7f)
			n += snprintf(buf + n, len - n, "\\x%02x", c);
		else
			buf[n++] = c;
	}
	snprintf(buf + n, len - n, ")");
	return buf;
}

bool symsrc_exports(const struct symsrc *src, const char *name)
{
	return src->nr_exports &&
	       bsearch(&name, src->exports, src->nr_exports, sizeof(char *), cmp_str);
}

/* Is @name one of @src's GPL-only exports (EXPORT_SYMBOL_GPL)? */
bool symsrc_exports_gpl(const struct symsrc *src, const char *name)
{
	return src->nr_gpl &&
	       bsearch(&name, src->gpl, src->nr_gpl, sizeof(char *), cmp_str);
}

void symsrc_free(struct symsrc *src)
{
	unsigned int i;

	if (!src)
		return;
	if (!src->elf)
		for (i = 0; i < src->nr; i++)
			free((char *)src->syms[i].name);
	for (i = 0; i < src->nr_exports; i++)
		free(src->exports[i]);
	free(src->exports);
	for (i = 0; i < src->nr_gpl; i++)
		free(src->gpl[i]);
	free(src->gpl);
	free(src->syms);
	free(src->obj);
	elf_close(src->elf);
	free(src);
}

bool module_signed(const unsigned char *buf, size_t len)
{
	const size_t mlen = sizeof(MODULE_SIG_STRING) - 1;

	return len > mlen && !memcmp(buf + len - mlen, MODULE_SIG_STRING, mlen);
}

/**
 * open_module() - open the module a tool was given
 * @tool: the tool's name, for the message
 * @path: the file
 * @elfp: set to the module; a problem with its contents is in ->err
 *
 * Return: 0, or EXIT_USAGE after a message if the file cannot be read.
 */
int open_module(const char *tool, const char *path, struct elf **elfp)
{
	struct elf *elf = elf_open(path);

	if (!elf || elf->fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", tool, path,
			elf && elf->err ? elf->err : "out of memory");
		elf_close(elf);
		return EXIT_USAGE;
	}
	if (!elf->err && elf->ehdr.e_type != ET_REL)
		elf->err = strdup("not a relocatable object");
	*elfp = elf;
	return 0;
}

/*
 * The patch's description of itself.  In 6.1 what a patch module's
 * initializer may set comes first in each structure, at fixed offsets:
 * klp_patch {mod, objs}, klp_object {name, funcs, callbacks: four pointers
 * and a bool}, klp_func {old_name, new_func, old_sympos}.  The rest is the
 * kernel's, zero in the module, and its size depends on the kernel's
 * configuration (a kobject is inside).  So an array's stride is learnt
 * from the data: the distance from entry 0 to entry 1, or the size of the
 * array's own symbol shared among its entries.  Where the data allows two
 * readings the reader gives up rather than guess: a wrong reading would
 * have klp-check refuse a module the kernel takes.
 */
#define KLP_PATCH_OBJS		8
#define KLP_PATCH_STATES	16
#define KLP_OBJ_FUNCS		8
#define KLP_OBJ_CALLBACKS	16
#define KLP_OBJ_INIT		56
#define KLP_FUNC_NEW_FUNC	8
#define KLP_FUNC_OLD_SYMPOS	16
#define KLP_FUNC_INIT		24

/* What a pointer of the patch's data holds once the loader relocated it. */
enum ptr_kind {
	PTR_NULL,	/* zero bytes that no relocation writes */
	PTR_STR,	/* a NUL-terminated string in read-only data */
	PTR_CODE,	/* the module's code, or a symbol of another object */
	PTR_DATA,	/* the module's writable data */
	PTR_ODD,	/* anything else */
};

struct ptr {
	enum ptr_kind kind;
	const struct section *sec;	/* PTR_STR, PTR_DATA: where it points */
	unsigned long long off;
};

/* An array entry's first fields, as the kernel's loop over them sees them. */
enum head {
	HEAD_ENTRY,	/* an entry the kernel can take */
	HEAD_REFUSED,	/* an entry it refuses: a NULL that must not be,
			 * or a new function in the module's data
			 */
	HEAD_END,	/* the terminator */
	HEAD_OTHER,	/* not an entry of this array */
};

struct desc_rela {
	unsigned int sec;	/* the section it writes into */
	unsigned long long off;
	Elf64_Rela r;
};

struct spot {
	const struct section *sec;
	unsigned long long off;
};

struct decoder;

struct kind {
	const char *name;
	unsigned int head;	/* bytes the kernel reads of the terminator */
	unsigned int init;	/* bytes an initializer may set */
	enum head (*classify)(const struct decoder *d, const struct section *sec,
			      unsigned long long off);
};

struct array {
	const struct kind *kind;
	const struct section *sec;
	unsigned long long off;
	unsigned long long size;	/* the stride; 0 while unknown */
	unsigned long long limit;	/* where something else begins */
	char limit_why[96];		/* what does */
	unsigned int n;			/* entries before the terminator */
};

struct decoder {
	const struct elf *elf;
	struct desc_rela *relas;	/* sorted by section, then offset */
	unsigned int nr_relas, max_relas;
	struct spot *starts;		/* where the structures found begin */
	unsigned int nr_starts, max_starts;
	struct array *arrays;
	unsigned int nr_arrays, max_arrays;
	char why[sizeof(((struct klp_desc *)0)->why)];
};

/* read_patch()'s answers besides 0 and -1. */
#define DESC_UNSURE	1
#define DESC_NOT_PATCH	2

static __printf(2, 3) int unsure(struct decoder *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->why, sizeof(d->why), fmt, ap);
	va_end(ap);
	return DESC_UNSURE;
}

static int cmp_desc_rela(const void *a, const void *b)
{
	const struct desc_rela *x = a, *y = b;

	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Every relocation that writes into an SHF_ALLOC section, ordinary or klp. */
static int collect_relas(struct decoder *d)
{
	const struct section *target;
	struct section *sec;
	unsigned int i;
	Elf64_Rela r;

	for_each_rela_section(d->elf, sec) {
		target = find_section_by_index(d->elf, sec->sh.sh_info);
		if (!target || !(target->sh.sh_flags & SHF_ALLOC))
			continue;
		for_each_rela(sec, i, &r) {
			if (room_for_one(&d->relas, d->nr_relas, &d->max_relas,
					 sizeof(*d->relas)))
				return -1;
			d->relas[d->nr_relas].sec = target->idx;
			d->relas[d->nr_relas].off = r.r_offset;
			d->relas[d->nr_relas++].r = r;
		}
	}
	if (d->nr_relas)
		qsort(d->relas, d->nr_relas, sizeof(*d->relas), cmp_desc_rela);
	return 0;
}

/* How many relocations write any of @len bytes at @sec+@off; the first. */
static unsigned int relas_at(const struct decoder *d, const struct section *sec,
			     unsigned long long off, unsigned long long len,
			     const struct desc_rela **first)
{
	unsigned long long from = off > 7 ? off - 7 : 0;
	unsigned int lo = 0, hi = d->nr_relas, n = 0;
	const struct desc_rela *r;
	int width;

	*first = NULL;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		r = &d->relas[mid];
		if (r->sec < sec->idx || (r->sec == sec->idx && r->off < from))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < d->nr_relas; lo++) {
		r = &d->relas[lo];
		if (r->sec != sec->idx || r->off >= off + len)
			break;
		width = klp_x86_64_rela_width(ELF64_R_TYPE(r->r.r_info));
		if (width < 0)
			width = 8;
		if (r->off + width <= off)
			continue;
		if (!n++)
			*first = r;
	}
	return n;
}

/* How many bytes of @sec can be read: SHT_NOBITS reads as zeroes. */
static unsigned long long sec_len(const struct section *sec)
{
	if (sec->sh.sh_type == SHT_NOBITS)
		return sec->sh.sh_size;
	return sec->data ? sec->size : 0;
}

static bool bytes_zero(const struct section *sec, unsigned long long off,
		       unsigned long long len)
{
	const unsigned char *p = sec->data;
	unsigned long long i;

	if (off > sec_len(sec) || sec_len(sec) - off < len)
		return false;
	for (i = 0; sec->sh.sh_type != SHT_NOBITS && i < len; i++)
		if (p[off + i])
			return false;
	return true;
}

/* The 8 bytes at @sec+@off, which must be there. */
static unsigned long long read_u64(const struct section *sec, unsigned long long off)
{
	unsigned long long v = 0;

	if (sec->sh.sh_type != SHT_NOBITS)
		memcpy(&v, (const char *)sec->data + off, sizeof(v));
	return v;
}

/* Are [@from, @to) of @sec zero bytes that no relocation writes? */
static bool blank(const struct decoder *d, const struct section *sec,
		  unsigned long long from, unsigned long long to)
{
	const struct desc_rela *r;

	return from <= to && bytes_zero(sec, from, to - from) &&
	       !relas_at(d, sec, from, to - from, &r);
}

static struct ptr read_ptr(const struct decoder *d, const struct section *sec,
			   unsigned long long off)
{
	struct ptr p = { .kind = PTR_ODD };
	const struct desc_rela *r;
	const struct section *t;
	const struct symbol *sym;
	unsigned long long to;
	unsigned int n;

	/* Bytes that are not zero are an address no relocation makes. */
	if (!bytes_zero(sec, off, 8))
		return p;
	n = relas_at(d, sec, off, 8, &r);
	if (!n) {
		p.kind = PTR_NULL;
		return p;
	}
	if (n > 1 || r->off != off || ELF64_R_TYPE(r->r.r_info) != R_X86_64_64 ||
	    !ELF64_R_SYM(r->r.r_info))
		return p;
	sym = find_symbol_by_index(d->elf, ELF64_R_SYM(r->r.r_info));
	if (!sym)
		return p;
	if (sym->sym.st_shndx == SHN_UNDEF) {
		/* An undefined weak symbol may be NULL. */
		if (ELF64_ST_BIND(sym->sym.st_info) != STB_WEAK)
			p.kind = PTR_CODE;
		return p;
	}
	t = sym->sec;
	if (!t || !(t->sh.sh_flags & SHF_ALLOC))
		return p;
	if (t->sh.sh_flags & SHF_EXECINSTR) {
		p.kind = PTR_CODE;
		return p;
	}
	to = sym->sym.st_value + (unsigned long long)r->r.r_addend;
	if (to >= sec_len(t))
		return p;
	p.sec = t;
	p.off = to;
	if (t->sh.sh_flags & SHF_WRITE)
		p.kind = PTR_DATA;
	else if (t->sh.sh_type != SHT_NOBITS &&
		 memchr((const char *)t->data + to, '\0', t->size - to))
		p.kind = PTR_STR;
	return p;
}

/* klp_for_each_object_static() goes on while name or funcs is set. */
static enum head classify_obj(const struct decoder *d, const struct section *sec,
			      unsigned long long off)
{
	struct ptr name = read_ptr(d, sec, off);
	struct ptr funcs = read_ptr(d, sec, off + KLP_OBJ_FUNCS);
	unsigned int i;

	if (name.kind == PTR_NULL && funcs.kind == PTR_NULL)
		return HEAD_END;
	if ((name.kind != PTR_NULL && name.kind != PTR_STR) ||
	    (funcs.kind != PTR_NULL && funcs.kind != PTR_DATA))
		return HEAD_OTHER;
	for (i = 0; i < 4; i++) {
		struct ptr cb = read_ptr(d, sec, off + KLP_OBJ_CALLBACKS + 8 * i);

		if (cb.kind != PTR_NULL && cb.kind != PTR_CODE)
			return HEAD_OTHER;
	}
	return funcs.kind == PTR_DATA ? HEAD_ENTRY : HEAD_REFUSED;
}

/*
 * klp_for_each_func_static() goes on while old_name, new_func or
 * old_sympos is set.
 */
static enum head classify_func(const struct decoder *d, const struct section *sec,
			       unsigned long long off)
{
	struct ptr name = read_ptr(d, sec, off);
	struct ptr fn = read_ptr(d, sec, off + KLP_FUNC_NEW_FUNC);
	const struct desc_rela *r;
	unsigned long long pos;

	if (off > sec_len(sec) || sec_len(sec) - off < KLP_FUNC_INIT ||
	    relas_at(d, sec, off + KLP_FUNC_OLD_SYMPOS, 8, &r))
		return HEAD_OTHER;
	pos = read_u64(sec, off + KLP_FUNC_OLD_SYMPOS);
	if (name.kind == PTR_NULL && fn.kind == PTR_NULL && !pos)
		return HEAD_END;
	if (name.kind == PTR_STR && (fn.kind == PTR_DATA || fn.kind == PTR_STR))
		return HEAD_REFUSED;
	if ((name.kind != PTR_NULL && name.kind != PTR_STR) ||
	    (fn.kind != PTR_NULL && fn.kind != PTR_CODE))
		return HEAD_OTHER;
	return name.kind == PTR_STR && fn.kind == PTR_CODE ? HEAD_ENTRY : HEAD_REFUSED;
}

static const struct kind obj_kind = {
	.name = "klp_object", .head = 16, .init = KLP_OBJ_INIT,
	.classify = classify_obj,
};

static const struct kind func_kind = {
	.name = "klp_func", .head = KLP_FUNC_INIT, .init = KLP_FUNC_INIT,
	.classify = classify_func,
};

static int add_start(struct decoder *d, const struct section *sec,
		     unsigned long long off)
{
	if (room_for_one(&d->starts, d->nr_starts, &d->max_starts,
			 sizeof(*d->starts)))
		return -1;
	d->starts[d->nr_starts].sec = sec;
	d->starts[d->nr_starts++].off = off;
	return 0;
}

/* The array's own symbol: an object with a size, starting where it does. */
static const struct symbol *array_symbol(const struct elf *elf,
					 const struct section *sec,
					 unsigned long long off)
{
	unsigned int i;

	for (i = 1; i < elf->nr_symbols; i++) {
		const struct symbol *sym = &elf->symbols[i];

		if (sym->sec == sec && sym->sym.st_value == off &&
		    sym->sym.st_size && ELF64_ST_TYPE(sym->sym.st_info) == STT_OBJECT)
			return sym;
	}
	return NULL;
}

/* Where, past the array @a, something else begins, and what. */
static void array_limit(const struct decoder *d, struct array *a)
{
	const struct symbol *sym = array_symbol(d->elf, a->sec, a->off);
	unsigned int i;

	a->limit = sec_len(a->sec);
	snprintf(a->limit_why, sizeof(a->limit_why), "the end of %.60s",
		 a->sec->name);
	for (i = 0; i < d->nr_starts; i++) {
		if (d->starts[i].sec == a->sec && d->starts[i].off > a->off &&
		    d->starts[i].off < a->limit) {
			a->limit = d->starts[i].off;
			snprintf(a->limit_why, sizeof(a->limit_why),
				 "another structure at %.40s+0x%llx", a->sec->name,
				 a->limit);
		}
	}
	if (sym && sym->sym.st_size < a->limit - a->off) {
		a->limit = a->off + sym->sym.st_size;
		snprintf(a->limit_why, sizeof(a->limit_why), "the end of its symbol '%.50s'",
			 sym->name);
	}
}

static const char *arr_name(const struct array *a, char *buf, size_t len)
{
	snprintf(buf, len, "%s array at %.60s+0x%llx", a->kind->name,
		 a->sec->name, a->off);
	return buf;
}

/*
 * An array with its own symbol: the symbol holds exactly its entries and
 * the terminator, which tells the stride of a one-entry array.
 */
static int check_array_symbol(struct decoder *d, struct array *a)
{
	const struct symbol *sym = array_symbol(d->elf, a->sec, a->off);
	const struct kind *k = a->kind;
	unsigned long long size, s;
	char buf[100];

	if (!sym || !a->n)
		return 0;
	size = sym->sym.st_size;
	if (a->size) {
		if (size % a->size || size / a->size != a->n + 1ULL)
			return unsure(d,
				      "%s: its symbol '%.60s' is %llu bytes, not %u entries of %llu",
				      arr_name(a, buf, sizeof(buf)), sym->name,
				      size, a->n + 1, a->size);
		return 0;
	}
	s = size / 2;
	if (size % 2 || s % 8 || s < k->init + 8 || a->limit - a->off < s + k->head ||
	    k->classify(d, a->sec, a->off + s) != HEAD_END ||
	    !blank(d, a->sec, a->off + k->init, a->off + s))
		return unsure(d,
			      "%s: its symbol '%.60s' is %llu bytes, not one entry and a terminator",
			      arr_name(a, buf, sizeof(buf)), sym->name, size);
	a->size = s;
	return 0;
}

/*
 * Find how many entries the array @a has, and, if it has two or more, its
 * stride.  The kernel's part of an entry is zero, and so are the padding
 * and the terminator: entry 1 is the first thing past entry 0's own
 * fields, unless that thing is where another structure begins.
 */
static int read_array(struct decoder *d, struct array *a)
{
	const struct kind *k = a->kind;
	const struct section *sec = a->sec;
	unsigned long long x = a->off, min = k->init + 8, p, e, pos;
	unsigned int i;
	enum head h;
	char buf[100];

	array_limit(d, a);
	a->size = 0;
	a->n = 0;
	h = k->classify(d, sec, x);
	if (h == HEAD_END)
		return 0;
	if (h == HEAD_OTHER)
		return unsure(d, "%s: entry 0 is not a %s", arr_name(a, buf, sizeof(buf)),
			      k->name);
	for (p = x + k->init; p < a->limit && a->limit - p >= 8 &&
	     blank(d, sec, p, p + 8); p += 8)
		;
	if (p >= a->limit || a->limit - p < 8) {
		if (a->limit - x < min + k->head)
			return unsure(d, "%s: no room for a terminator before %s",
				      arr_name(a, buf, sizeof(buf)), a->limit_why);
		a->n = 1;
		return check_array_symbol(d, a);
	}
	e = p;
	if (k->classify(d, sec, e) != HEAD_ENTRY) {
		e = p - 8;
		if (e - x < min || k->classify(d, sec, e) != HEAD_ENTRY)
			return unsure(d,
				      "%s: %.60s+0x%llx is neither a %s nor where something else begins",
				      arr_name(a, buf, sizeof(buf)), sec->name, p, k->name);
	}
	if (e - x < min)
		return unsure(d, "%s: entry 1 at %.60s+0x%llx is too close",
			      arr_name(a, buf, sizeof(buf)), sec->name, e);
	for (i = 1, pos = e;; i++, pos += e - x) {
		if (pos > a->limit || a->limit - pos < k->head)
			return unsure(d,
				      "%s: entries of %llu bytes reach %s with no terminator",
				      arr_name(a, buf, sizeof(buf)), e - x, a->limit_why);
		h = k->classify(d, sec, pos);
		if (h == HEAD_END)
			break;
		if (a->limit - pos < e - x)
			return unsure(d,
				      "%s: entry %u of %llu bytes at %.60s+0x%llx runs past %s",
				      arr_name(a, buf, sizeof(buf)), i, e - x, sec->name,
				      pos, a->limit_why);
		if (h == HEAD_OTHER || !blank(d, sec, pos + k->init, pos + (e - x)))
			return unsure(d,
				      "%s: entry %u at %.60s+0x%llx is neither a %s nor the terminator",
				      arr_name(a, buf, sizeof(buf)), i, sec->name, pos,
				      k->name);
	}
	a->n = i;
	a->size = e - x;
	return check_array_symbol(d, a);
}

static int add_array(struct decoder *d, const struct kind *k,
		     const struct section *sec, unsigned long long off)
{
	struct array *a;

	if (room_for_one(&d->arrays, d->nr_arrays, &d->max_arrays,
			 sizeof(*d->arrays)))
		return -1;
	a = &d->arrays[d->nr_arrays++];
	memset(a, 0, sizeof(*a));
	a->kind = k;
	a->sec = sec;
	a->off = off;
	return read_array(d, a);
}

/*
 * All arrays of a kind share one stride, which then settles the one-entry
 * arrays of that kind; and no structure begins inside another.
 */
static int check_layout(struct decoder *d, struct klp_desc *desc)
{
	const struct kind *kinds[] = { &obj_kind, &func_kind };
	unsigned long long size, end;
	unsigned int i, j, n;
	struct array *a;
	char buf[100];

	for (n = 0; n < ARRAY_SIZE(kinds); n++) {
		size = 0;
		for (i = 0; i < d->nr_arrays; i++) {
			a = &d->arrays[i];
			if (a->kind != kinds[n] || !a->size)
				continue;
			if (size && size != a->size)
				return unsure(d, "%s arrays of %llu and of %llu bytes an entry",
					      a->kind->name, size, a->size);
			size = a->size;
		}
		for (i = 0; size && i < d->nr_arrays; i++) {
			a = &d->arrays[i];
			if (a->kind != kinds[n] || a->size || a->n != 1)
				continue;
			if (a->limit - a->off < size + a->kind->head ||
			    a->kind->classify(d, a->sec, a->off + size) != HEAD_END ||
			    !blank(d, a->sec, a->off + a->kind->init, a->off + size))
				return unsure(d,
					      "%s: no terminator %llu bytes on, as the other arrays' entries are long",
					      arr_name(a, buf, sizeof(buf)), size);
			a->size = size;
		}
		if (kinds[n] == &obj_kind)
			desc->obj_size = size;
		else
			desc->func_size = size;
	}
	for (i = 0; i < d->nr_arrays; i++) {
		a = &d->arrays[i];
		end = a->off + a->kind->head +
		      (a->size ? a->n * a->size : a->n ? a->kind->init + 8 : 0);
		for (j = 0; j < d->nr_starts; j++)
			if (d->starts[j].sec == a->sec && d->starts[j].off > a->off &&
			    d->starts[j].off < end)
				return unsure(d,
					      "%s: %.60s+0x%llx, inside it, is where something else begins",
					      arr_name(a, buf, sizeof(buf)), a->sec->name,
					      d->starts[j].off);
	}
	for (j = 0; j < d->nr_starts; j++)
		if (d->starts[j].sec == desc->sec && d->starts[j].off > desc->off &&
		    d->starts[j].off < desc->off + 16)
			return unsure(d,
				      "the klp_patch at %.60s+0x%llx holds the start of an array",
				      desc->sec->name, desc->off);
	return 0;
}

static const char *str_at(const struct ptr *p)
{
	return p->kind == PTR_STR ? (const char *)p->sec->data + p->off : NULL;
}

/*
 * Where the pointer at @sec+@off points, if the loader sets it to a place
 * in the module itself (an R_X86_64_64 of a symbol the module defines):
 * its section, and the offset there in @to (which may lie outside it).
 */
static const struct section *own_target(const struct decoder *d,
					const struct section *sec,
					unsigned long long off,
					unsigned long long *to)
{
	const struct desc_rela *r;
	const struct symbol *sym;

	if (!bytes_zero(sec, off, 8) || relas_at(d, sec, off, 8, &r) != 1 ||
	    r->off != off || ELF64_R_TYPE(r->r.r_info) != R_X86_64_64)
		return NULL;
	sym = find_symbol_by_index(d->elf, ELF64_R_SYM(r->r.r_info));
	if (!sym || !sym->sec || sym->sym.st_shndx == SHN_UNDEF ||
	    sym->sym.st_shndx >= SHN_LORESERVE)
		return NULL;
	*to = sym->sym.st_value + (unsigned long long)r->r.r_addend;
	return sym->sec;
}

/* The entries of the klp_func array at @p, for object @o. */
static int read_funcs(struct decoder *d, const struct array *a,
		      struct klp_desc_obj *o)
{
	struct klp_desc_func *f;
	struct ptr name;
	unsigned int i;

	o->func = calloc(a->n ?: 1, sizeof(*o->func));
	if (!o->func)
		return -1;
	for (i = 0; i < a->n; i++) {
		f = &o->func[o->nr_funcs++];
		f->sec = a->sec;
		f->off = a->off + i * a->size;
		name = read_ptr(d, a->sec, f->off);
		f->old_name = str_at(&name);
		f->new_func = read_ptr(d, a->sec, f->off + KLP_FUNC_NEW_FUNC).kind != PTR_NULL;
		f->new_sec = own_target(d, a->sec, f->off + KLP_FUNC_NEW_FUNC,
					&f->new_off);
		f->old_sympos = read_u64(a->sec, f->off + KLP_FUNC_OLD_SYMPOS);
	}
	return 0;
}

/*
 * The klp_patch whose mod is at @sec+@off: 0 if read, DESC_NOT_PATCH if
 * objs does not point at a klp_object, DESC_UNSURE, or -1.
 */
static int read_patch(struct decoder *d, const struct section *sec,
		      unsigned long long off, struct klp_desc *desc)
{
	struct ptr objs = read_ptr(d, sec, off + KLP_PATCH_OBJS), name, funcs, states;
	struct ptr *fptr = NULL;
	struct klp_desc_obj *o;
	unsigned int i, first;
	int ret;

	d->nr_starts = 0;
	d->nr_arrays = 0;
	desc->sec = sec;
	desc->off = off;
	if (objs.kind != PTR_DATA || classify_obj(d, objs.sec, objs.off) != HEAD_ENTRY)
		return DESC_NOT_PATCH;
	funcs = read_ptr(d, objs.sec, objs.off + KLP_OBJ_FUNCS);
	states = read_ptr(d, sec, off + KLP_PATCH_STATES);
	if (add_start(d, sec, off) || add_start(d, objs.sec, objs.off) ||
	    add_start(d, funcs.sec, funcs.off) ||
	    (states.kind == PTR_DATA && add_start(d, states.sec, states.off)))
		return -1;
	ret = add_array(d, &obj_kind, objs.sec, objs.off);
	if (ret)
		return ret;
	desc->nr_objs = d->arrays[0].n;
	desc->obj = calloc(desc->nr_objs, sizeof(*desc->obj));
	fptr = calloc(desc->nr_objs, sizeof(*fptr));
	if (!desc->obj || !fptr) {
		ret = -1;
		goto out;
	}
	for (i = 0; i < desc->nr_objs; i++) {
		o = &desc->obj[i];
		o->sec = objs.sec;
		o->off = objs.off + i * d->arrays[0].size;
		name = read_ptr(d, o->sec, o->off);
		fptr[i] = read_ptr(d, o->sec, o->off + KLP_OBJ_FUNCS);
		o->name = str_at(&name);
		o->funcs = fptr[i].kind == PTR_DATA;
		if (o->funcs && add_start(d, fptr[i].sec, fptr[i].off)) {
			ret = -1;
			goto out;
		}
	}
	for (i = 0; i < desc->nr_objs; i++) {
		if (!desc->obj[i].funcs)
			continue;
		first = d->nr_arrays;
		ret = add_array(d, &func_kind, fptr[i].sec, fptr[i].off);
		if (ret)
			goto out;
		ret = read_funcs(d, &d->arrays[first], &desc->obj[i]);
		if (ret)
			goto out;
	}
	ret = check_layout(d, desc);
out:
	free(fptr);
	return ret;
}

/**
 * klp_desc_free() - free what klp_desc_read() allocated
 * @desc: a description klp_desc_read() filled in, or one zeroed
 *
 * Leaves @desc with no objects; it may be freed again.
 */
void klp_desc_free(struct klp_desc *desc)
{
	unsigned int i;

	for (i = 0; desc->obj && i < desc->nr_objs; i++)
		free(desc->obj[i].func);
	free(desc->obj);
	desc->obj = NULL;
	desc->nr_objs = 0;
}

/**
 * klp_desc_read() - read the patch's struct klp_patch and its arrays
 * @elf: a livepatch module
 * @desc: filled in; free it with klp_desc_free() whatever the answer
 *
 * The klp_patch is the structure whose first two pointers are relocated
 * to the struct module (klp_is_struct_module()) and to an array of
 * klp_object; each object's funcs points at an array of klp_func.
 * Entries and terminators are told apart as the kernel's loops over them
 * do.  The strides of the arrays are
 * learnt from the data, never assumed, and any doubt about them, or about
 * what a pointer holds, makes the answer KLP_DESC_UNSURE, with the reason
 * in @desc->why.  So does a second klp_patch.  Cost: O(R log R) to sort
 * the R relocations, then O(A * S + B log R) for A arrays, S symbols and
 * B bytes read.
 *
 * Return: an enum klp_desc_result, or -1 if out of memory.
 */
int klp_desc_read(const struct elf *elf, struct klp_desc *desc)
{
	struct decoder d = { .elf = elf };
	struct klp_desc cand;
	char why[sizeof(desc->why)] = "";
	unsigned int i, found = 0;
	int ret = -1, r;

	memset(desc, 0, sizeof(*desc));
	if (collect_relas(&d))
		goto out;
	for (i = 0; i < d.nr_relas; i++) {
		const struct desc_rela *dr = &d.relas[i];
		const struct section *sec = elf->sections[dr->sec];
		const struct symbol *sym;

		sym = find_symbol_by_index(elf, ELF64_R_SYM(dr->r.r_info));
		if (!sym || !klp_is_struct_module(sym) ||
		    (sec->sh.sh_flags & (SHF_WRITE | SHF_EXECINSTR)) != SHF_WRITE ||
		    read_ptr(&d, sec, dr->off).kind == PTR_ODD)
			continue;
		memset(&cand, 0, sizeof(cand));
		r = read_patch(&d, sec, dr->off, &cand);
		if (r < 0) {
			klp_desc_free(&cand);
			goto out;
		}
		if (r == DESC_UNSURE && !why[0])
			memcpy(why, d.why, sizeof(why));
		if (r || found++) {
			klp_desc_free(&cand);
			continue;
		}
		*desc = cand;
	}
	if (found > 1 && !why[0])
		snprintf(why, sizeof(why), "%u klp_patch structures", found);
	ret = found ? KLP_DESC_READ : KLP_DESC_NONE;
	if (why[0]) {
		klp_desc_free(desc);
		memcpy(desc->why, why, sizeof(why));
		ret = KLP_DESC_UNSURE;
	}
out:
	free(d.relas);
	free(d.starts);
	free(d.arrays);
	return ret;
}

const struct klp_key_kind klp_key_kinds[KLP_KEY_KINDS] = {
	{ "__jump_table", KLP_JUMP_TABLE_PREFIX, "jump entry",
	  KLP_JUMP_ENTRY_SIZE, KLP_JUMP_ENTRY_KEY, 8 },
	{ ".static_call_sites", KLP_CALL_SITES_PREFIX, "static call site",
	  KLP_CALL_SITE_SIZE, KLP_CALL_SITE_KEY, 4 },
};

const struct klp_key_kind *klp_key_kind_of(const char *name)
{
	unsigned int k;

	for (k = 0; k < KLP_KEY_KINDS; k++)
		if (!strncmp(name, klp_key_kinds[k].prefix,
			     strlen(klp_key_kinds[k].prefix)))
			return &klp_key_kinds[k];
	return NULL;
}
