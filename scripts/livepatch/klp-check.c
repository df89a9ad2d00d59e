// SPDX-License-Identifier: GPL-2.0-only
/*
 * klp-check: say whether a livepatch module obeys the livepatch ELF format
 * (Documentation/livepatch/module-elf-format.rst), and, given the target's
 * symbols, whether each .klp.sym resolves to exactly one address.
 *
 * It reads untrusted files: every index, offset and width is checked before
 * it is used.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "klp.h"

static const char usage_text[] =
"Usage: klp-check [options] PATCH.ko\n"
"\n"
"Check a livepatch module against the livepatch ELF format rules, and each\n"
"relocation of its .klp.rela sections: a type x86_64 applies (R_X86_64_64,\n"
"PC32, PLT32, 32, 32S, PC64, NONE), within its target section, onto zero\n"
"bytes.  With symbols of the target, also resolve every .klp.sym symbol as\n"
"the kernel would, and print the address it binds to:\n"
"\n"
"  --kallsyms FILE   a /proc/kallsyms dump of the target kernel (as root)\n"
"  --vmlinux FILE    the target vmlinux\n"
"  --module FILE.ko  a target module; repeatable\n"
"  -q, --quiet       print only problems and the summary\n"
"  -h, --help        this text\n"
"\n"
"Problems print as 'file: section[index]: problem'.\n"
"Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage or\n"
"I/O error.\n";

static const char *file;
static struct elf *patch;
static struct symsrc **srcs;
static unsigned int nr_srcs;
static bool quiet, have_vmlinux_src;

static bool livepatch_modinfo(void)
{
	const char *lp = elf_modinfo(patch, "livepatch");

	return lp && !strcmp(lp, "Y");
}

static bool named_klp_rela(const struct section *sec)
{
	return !strncmp(sec->name, KLP_RELA_PREFIX, strlen(KLP_RELA_PREFIX));
}

/* Rule: only a module with MODULE_INFO(livepatch, "Y") carries the markers. */
static void check_markers(void)
{
	unsigned int i;

	if (livepatch_modinfo())
		return;
	for (i = 1; i < patch->nr_sections; i++) {
		if (is_klp_rela(patch->sections[i])) {
			error_at(file, sec_where(patch->sections[i], -1),
				 "SHF_RELA_LIVEPATCH in a module without MODULE_INFO(livepatch, \"Y\")");
			return;
		}
	}
	for (i = 1; i < patch->nr_symbols; i++) {
		if (patch->symbols[i].sym.st_shndx == SHN_LIVEPATCH) {
			error_at(file, sec_where(patch->symtab, i),
				 "SHN_LIVEPATCH symbol in a module without MODULE_INFO(livepatch, \"Y\")");
			return;
		}
	}
}

/* Rule: the object name is one a module can have, or vmlinux. */
static void check_objname(const struct section *sec, const struct klp_name_part *obj)
{
	size_t i;

	for (i = 0; i < obj->len; i++) {
		char c = obj->s[i];

		if (c == '-') {
			error_at(file, sec_where(sec, -1),
				 "object name '%.*s' has '-': module names use '_'",
				 (int)obj->len, obj->s);
			return;
		}
		if (c <= ' ' || c >= 0x7f) {
			error_at(file, sec_where(sec, -1),
				 "object name has a non-printable character");
			return;
		}
	}
}

/* The rules for one relocation of a .klp.rela section. */
static void check_rela(const struct section *sec, unsigned int i, const Elf64_Rela *r,
		       const struct klp_name_part *secobj, const struct section *base)
{
	unsigned long symidx = ELF64_R_SYM(r->r_info);
	unsigned int type = ELF64_R_TYPE(r->r_info);
	const struct reloc_type *t = reloc_type(type);
	const char *where = sec_where(sec, i);
	const struct symbol *sym = find_symbol_by_index(patch, symidx);
	struct klp_sym_name sn;
	unsigned char *p;
	int err;

	if (!t || !t->supported) {
		error_at(file, where, "relocation type %s is not applied on x86_64",
			 t ? t->name : "unknown");
	} else if (base && base->sh.sh_type == SHT_NOBITS) {
		error_at(file, where, "target section %s has no bytes (SHT_NOBITS)",
			 base->name);
	} else if (base && (r->r_offset > base->sh.sh_size ||
			    base->sh.sh_size - r->r_offset < t->width)) {
		error_at(file, where,
			 "offset 0x%llx + %u bytes is outside %s (size 0x%llx)",
			 (unsigned long long)r->r_offset, t->width, base->name,
			 (unsigned long long)base->sh.sh_size);
	} else if (base && t->width) {
		p = base->data ? (unsigned char *)base->data + r->r_offset : NULL;
		if (!p || base->size < r->r_offset + t->width)
			error_at(file, where, "target section %s is unreadable", base->name);
		else if (memcmp(p, "\0\0\0\0\0\0\0\0", t->width))
			error_at(file, where,
				 "target bytes at %s+0x%llx are not zero",
				 base->name, (unsigned long long)r->r_offset);
	}

	if (!sym) {
		error_at(file, where, "symbol index %lu past the symtab's %u entries",
			 symidx, patch->nr_symbols);
		return;
	}
	if (!elf_string(patch->strtab, sym->sym.st_name)) {
		error_at(file, where, "symbol %lu: name offset %u outside the string table",
			 symidx, sym->sym.st_name);
		return;
	}
	if (sym->sym.st_shndx != SHN_LIVEPATCH) {
		error_at(file, where, "symbol '%s' is not SHN_LIVEPATCH (st_shndx %u)",
			 sym->name, sym->sym.st_shndx);
		return;
	}
	err = klp_parse_sym_name(sym->name, &sn);
	if (err) {
		error_at(file, where, "symbol '%s': %s", sym->name, klp_name_strerror(err));
		return;
	}
	if (sn.obj.len != secobj->len || strncmp(sn.obj.s, secobj->s, sn.obj.len))
		error_at(file, where,
			 "symbol '%s' of %.*s used by a section for %.*s: a section may only use its own object's symbols",
			 sym->name, (int)sn.obj.len, sn.obj.s, (int)secobj->len, secobj->s);
}

/* The rules for one section that is, or looks like, a .klp.rela section. */
static void check_klp_section(const struct section *sec)
{
	struct section *base = find_section_by_index(patch, sec->sh.sh_info);
	const char *where = sec_where(sec, -1);
	struct klp_rela_name rn;
	unsigned int i;
	Elf64_Rela r;
	int err;

	if (!named_klp_rela(sec)) {
		error_at(file, where,
			 "SHF_RELA_LIVEPATCH on a section not named .klp.rela.<obj>.<section>");
		return;
	}
	if (!is_klp_rela(sec))
		error_at(file, where, "named .klp.rela but lacks SHF_RELA_LIVEPATCH");
	err = klp_parse_rela_name(sec->name, &rn);
	if (err) {
		error_at(file, where, "%s", klp_name_strerror(err));
		return;
	}
	check_objname(sec, &rn.obj);
	if (sec->sh.sh_type != SHT_RELA) {
		error_at(file, where, "section type %u, not SHT_RELA", sec->sh.sh_type);
		return;
	}
	if (!klp_name_part_eq(&rn.obj, KLP_VMLINUX) && !(sec->sh.sh_flags & SHF_ALLOC))
		error_at(file, where,
			 "section for module %.*s lacks SHF_ALLOC: it must outlive the load",
			 (int)rn.obj.len, rn.obj.s);
	if (!(sec->sh.sh_flags & SHF_INFO_LINK))
		warn_at(file, where, "SHF_INFO_LINK is not set");
	if (!patch->symtab || sec->sh.sh_link != patch->symtab->idx)
		error_at(file, where, "sh_link %u is not the symbol table", sec->sh.sh_link);
	if (!base) {
		error_at(file, where, "sh_info %u is not a section", sec->sh.sh_info);
	} else if (!klp_name_part_eq(&rn.sec, base->name)) {
		error_at(file, where, "sh_info names section '%s', not '%.*s'",
			 base->name, (int)rn.sec.len, rn.sec.s);
	}
	if (sec->sh.sh_entsize != sizeof(Elf64_Rela))
		warn_at(file, where, "sh_entsize %llu, not %zu",
			(unsigned long long)sec->sh.sh_entsize, sizeof(Elf64_Rela));
	if (sec->sh.sh_size % sizeof(Elf64_Rela)) {
		error_at(file, where, "size %llu is not a multiple of %zu",
			 (unsigned long long)sec->sh.sh_size, sizeof(Elf64_Rela));
		return;
	}
	if (sec->sh.sh_size && !sec->data) {
		error_at(file, where, "contents lie outside the file");
		return;
	}
	for (i = 0; rela_get(sec, i, &r); i++)
		check_rela(sec, i, &r, &rn.obj, base);
}

/* Rule: an ordinary relocation never uses a .klp.sym, whose value is 0. */
static void check_normal_section(const struct section *sec)
{
	const struct section *base = find_section_by_index(patch, sec->sh.sh_info);
	unsigned int i;
	Elf64_Rela r;

	if (sec->sh.sh_type != SHT_RELA || !base || !(base->sh.sh_flags & SHF_ALLOC))
		return;
	for (i = 0; rela_get(sec, i, &r); i++) {
		const struct symbol *sym = find_symbol_by_index(patch, ELF64_R_SYM(r.r_info));

		if (sym && sym->sym.st_shndx == SHN_LIVEPATCH)
			error_at(file, sec_where(sec, i),
				 "ordinary relocation uses livepatch symbol '%s'", sym->name);
	}
}

/* Rule: SHN_LIVEPATCH and a .klp.sym name go together. */
static void check_symbols(void)
{
	struct klp_sym_name sn;
	unsigned int i;
	int err;

	for (i = 1; i < patch->nr_symbols; i++) {
		const struct symbol *sym = &patch->symbols[i];
		bool named = !strncmp(sym->name, KLP_SYM_PREFIX, strlen(KLP_SYM_PREFIX));

		if (sym->sym.st_shndx != SHN_LIVEPATCH) {
			if (named)
				error_at(file, sec_where(patch->symtab, i),
					 "'%s' is named like a livepatch symbol but st_shndx is %u",
					 sym->name, sym->sym.st_shndx);
			continue;
		}
		if (!elf_string(patch->strtab, sym->sym.st_name)) {
			error_at(file, sec_where(patch->symtab, i),
				 "name offset %u outside the string table", sym->sym.st_name);
			continue;
		}
		err = klp_parse_sym_name(sym->name, &sn);
		if (err)
			error_at(file, sec_where(patch->symtab, i), "symbol '%s': %s",
				 sym->name, klp_name_strerror(err));
		else if (ELF64_ST_BIND(sym->sym.st_info) != STB_GLOBAL)
			warn_at(file, sec_where(patch->symtab, i),
				"livepatch symbol '%s' is not global", sym->name);
	}
}

static const struct symsrc *find_src(const struct klp_name_part *obj)
{
	unsigned int i;

	for (i = 0; i < nr_srcs; i++)
		if (klp_name_part_eq(obj, srcs[i]->obj))
			return srcs[i];
	return NULL;
}

/* Resolve each used .klp.sym the way the kernel will, in the given symbols. */
static void resolve_symbols(void)
{
	unsigned int i, count, resolved = 0;
	struct klp_sym_name sn;

	for (i = 1; i < patch->nr_symbols; i++) {
		const struct symbol *sym = &patch->symbols[i];
		const char *where = sec_where(patch->symtab, i);
		const struct symsrc *src;
		const struct ksym *k;
		char *name;

		if (sym->sym.st_shndx != SHN_LIVEPATCH || klp_parse_sym_name(sym->name, &sn))
			continue;
		src = find_src(&sn.obj);
		if (!src) {
			if (klp_name_part_eq(&sn.obj, KLP_VMLINUX) ? have_vmlinux_src : true)
				warn_at(file, where, "'%s': no symbols of %.*s given, not resolved",
					sym->name, (int)sn.obj.len, sn.obj.s);
			continue;
		}
		name = klp_part_dup(&sn.name);
		k = symsrc_lookup(src, name, &count);
		if (!count)
			error_at(file, where, "symbol '%s': no symbol named '%s' in %s",
				 sym->name, name, src->obj);
		else if (!sn.sympos && count > 1)
			error_at(file, where,
				 "symbol '%s': %u symbols named '%s' in %s: use sympos 1 to %u",
				 sym->name, count, name, src->obj, count);
		else if (sn.sympos > count)
			error_at(file, where, "symbol '%s': only %u symbol%s named '%s' in %s",
				 sym->name, count, count == 1 ? "" : "s", name, src->obj);
		if (count && sn.sympos <= count && (sn.sympos || count == 1)) {
			k += sn.sympos ? sn.sympos - 1 : 0;
			resolved++;
			if (!quiet)
				printf("%s: %s resolves to %s '%s' #%u at 0x%llx\n", file,
				       sym->name, src->obj, name, k->pos, k->addr);
		}
		if (klp_name_part_eq(&sn.obj, KLP_VMLINUX) && symsrc_exports(src, name))
			warn_at(file, where,
				"'%s' is exported by vmlinux: an ordinary relocation would do",
				name);
		free(name);
	}
	if (!quiet)
		printf("%s: %u livepatch symbol%s resolved\n", file, resolved,
		       resolved == 1 ? "" : "s");
}

static void add_src(struct symsrc *src)
{
	srcs = realloc(srcs, (nr_srcs + 1) * sizeof(*srcs));
	if (!srcs)
		exit(EXIT_USAGE);
	srcs[nr_srcs++] = src;
}

static void load_source(int opt, const char *path)
{
	struct symsrc **many;
	unsigned int n, i;
	char *err = NULL;
	struct symsrc *src;

	if (opt == 'k') {
		if (symsrc_from_kallsyms(path, &many, &n, &err))
			goto fail;
		for (i = 0; i < n; i++)
			add_src(many[i]);
		have_vmlinux_src = true;
		return;
	}
	src = symsrc_from_elf(path, opt == 'V', &err);
	if (!src)
		goto fail;
	have_vmlinux_src |= opt == 'V';
	add_src(src);
	return;
fail:
	fprintf(stderr, "klp-check: %s\n", err ? err : "out of memory");
	exit(EXIT_USAGE);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kallsyms", required_argument, NULL, 'k' },
		{ "vmlinux",  required_argument, NULL, 'V' },
		{ "module",   required_argument, NULL, 'm' },
		{ "quiet",    no_argument,	 NULL, 'q' },
		{ "help",     no_argument,	 NULL, 'h' },
		{ }
	};
	unsigned int i;
	int c;

	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
		case 'V':
		case 'm':
			load_source(c, optarg);
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	file = argv[optind];
	if (open_module("klp-check", file, &patch))
		return EXIT_USAGE;
	if (patch->err) {
		error_at(file, NULL, "%s", patch->err);
		goto summary;
	}

	check_markers();
	for (i = 1; i < patch->nr_sections; i++) {
		const struct section *sec = patch->sections[i];

		if (is_klp_rela(sec) || named_klp_rela(sec))
			check_klp_section(sec);
		else
			check_normal_section(sec);
	}
	check_symbols();
	if (nr_srcs)
		resolve_symbols();
summary:
	printf("%s: %u error%s, %u warning%s\n", file, nr_errors, nr_errors == 1 ? "" : "s",
	       nr_warnings, nr_warnings == 1 ? "" : "s");
	elf_close(patch);
	return nr_errors ? EXIT_PROBLEMS : 0;
}
