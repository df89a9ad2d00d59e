// SPDX-License-Identifier: GPL-2.0-only
/*
 * klp-check: say whether a livepatch module obeys the livepatch ELF format
 * (Documentation/livepatch/module-elf-format.rst), and, given the target's
 * symbols, whether each .klp.sym resolves to exactly one address.
 *
 * The format's rules are <linux/klp_rules.h>'s, the functions the kernel
 * validates with at load, so the two cannot disagree; what is here is what
 * the kernel cannot know offline: the target's symbols, modinfo, and the
 * lints a person wants to hear about.
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
/* The address each .klp.sym symbol resolved to, by symbol index. */
static struct {
	bool ok;
	unsigned long long addr;
} *bound;

/* Rule: only a module with MODULE_INFO(livepatch, "Y") carries the markers. */
static void check_markers(void)
{
	unsigned int i;

	if (is_livepatch_module(patch))
		return;
	for (i = 1; i < patch->nr_sections; i++) {
		if (klp_rela_flagged(patch->sections[i])) {
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

/*
 * The kernel writes into the bytes it finds; klp-check can only see the
 * file's, which for vmlinux's relocations are what the kernel finds.
 */
static void check_target_bytes(void *arg, const struct klp_rsec *rs,
			       unsigned int i, int width)
{
	const struct elf *elf = arg;
	const struct section *sec = elf->sections[rs->secndx];
	const struct section *base = elf->sections[sec->sh.sh_info];
	unsigned long long off = rs->relas[i].r_offset;

	if (!width)
		return;
	if (!base->data || base->size < off + width)
		error_at(file, sec_where(sec, i), "target section %s is unreadable",
			 base->name);
	else if (memcmp((char *)base->data + off, "\0\0\0\0\0\0\0\0", width))
		error_at(file, sec_where(sec, i),
			 "target bytes at %s+0x%llx are not zero", base->name, off);
}

/*
 * What the kernel's rules leave to a person: a section named like a klp
 * section that lacks the flag (the kernel takes it for an ordinary one,
 * and refuses it only if it uses a .klp.sym symbol), and header fields the
 * kernel does not read.
 */
static void lint_klp_section(const struct section *sec)
{
	const char *where = sec_where(sec, -1);

	if (!klp_rela_flagged(sec)) {
		warn_at(file, where,
			"named .klp.rela but lacks SHF_RELA_LIVEPATCH: the kernel applies it as an ordinary relocation section");
		return;
	}
	if (!(sec->sh.sh_flags & SHF_INFO_LINK))
		warn_at(file, where, "SHF_INFO_LINK is not set");
	if (sec->sh.sh_entsize != sizeof(Elf64_Rela))
		warn_at(file, where, "sh_entsize %llu, not %zu",
			(unsigned long long)sec->sh.sh_entsize, sizeof(Elf64_Rela));
}

/*
 * SHN_LIVEPATCH and a .klp.sym name go together.  The rules refuse a klp
 * entry whose symbol breaks this; a symbol no klp entry uses is the
 * loader's: it binds an undefined one among vmlinux's exports (there is
 * no ".klp.sym..." among them) and leaves the others alone.
 */
static void check_symbols(void)
{
	struct klp_sym_name sn;
	unsigned int i;
	int err;

	for (i = 1; i < patch->nr_symbols; i++) {
		const struct symbol *sym = &patch->symbols[i];
		bool named = klp_sym_named(sym);

		if (sym->sym.st_shndx != SHN_LIVEPATCH) {
			if (named && sym->sym.st_shndx == SHN_UNDEF &&
			    ELF64_ST_BIND(sym->sym.st_info) != STB_WEAK)
				error_at(file, sec_where(patch->symtab, i),
					 "'%s' is named like a livepatch symbol but undefined: the loader will not find it",
					 sym->name);
			else if (named)
				warn_at(file, sec_where(patch->symtab, i),
					"'%s' is named like a livepatch symbol but st_shndx is %u",
					sym->name, sym->sym.st_shndx);
			continue;
		}
		/* klp_rules_loader() has refused it already. */
		if (!elf_string(patch->strtab, sym->sym.st_name))
			continue;
		err = klp_parse_sym_name(sym->name, &sn);
		if (err)
			warn_at(file, sec_where(patch->symtab, i), "symbol '%s': %s",
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

	bound = calloc(patch->nr_symbols ?: 1, sizeof(*bound));
	if (!bound) {
		error_at(file, NULL, "out of memory");
		return;
	}
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
		if (!name) {
			error_at(file, where, "out of memory");
			return;
		}
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
			bound[i].ok = true;
			bound[i].addr = k->addr;
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

/*
 * An absolute 32-bit entry must hold its value, wherever the patch lands;
 * the kernel refuses it otherwise (a PC-relative one always reaches: x86
 * keeps modules within 2 GiB of the kernel and of each other).
 */
static void check_values(void)
{
	struct section *sec;
	unsigned int i, s, type;
	unsigned long long v;
	char name[32];
	Elf64_Rela r;

	for_each_rela_section(patch, sec) {
		if (!klp_rela_flagged(sec))
			continue;
		for_each_rela(sec, i, &r) {
			s = ELF64_R_SYM(r.r_info);
			type = ELF64_R_TYPE(r.r_info);
			if (s >= patch->nr_symbols || !bound[s].ok)
				continue;
			v = bound[s].addr + r.r_addend;
			if ((type == R_X86_64_32 && v != (uint32_t)v) ||
			    (type == R_X86_64_32S && (long long)v != (int32_t)v))
				error_at(file, sec_where(sec, i),
					 "symbol '%s': value 0x%llx overflows relocation type %s",
					 patch->symbols[s].name, v,
					 reloc_type_name(type, name, sizeof(name)));
		}
	}
}

/* Does an ordinary relocation make the rel32 at @sec+@off reach __fentry__? */
static bool calls_fentry(const struct section *sec, unsigned long long off)
{
	struct section *rs, *target;
	const struct symbol *sym;
	unsigned int i, type;
	Elf64_Rela r;

	for_each_loader_rela(patch, rs, target) {
		if (target != sec)
			continue;
		for_each_rela(rs, i, &r) {
			if (r.r_offset != off)
				continue;
			sym = find_symbol_by_index(patch, ELF64_R_SYM(r.r_info));
			type = ELF64_R_TYPE(r.r_info);
			return sym && !strcmp(sym->name, "__fentry__") &&
			       sym->sym.st_shndx == SHN_UNDEF && r.r_addend == -4 &&
			       (type == R_X86_64_PLT32 || type == R_X86_64_PC32);
		}
	}
	return false;
}

/*
 * Each ftrace call site (__mcount_loc, as the loader finds it: SHF_ALLOC)
 * is a relocated address that must hold a call to __fentry__ in the
 * module's text, or zero, which ftrace skips: the kernel refuses anything
 * else before ftrace, which would disable itself and every livepatch.
 */
static void check_ftrace_sites(void)
{
	const struct section *loc = find_section_by_name(patch, "__mcount_loc");
	const struct section *site;
	const struct symbol *sym;
	unsigned long long off, n, i, word, *covered;
	struct section *rs, *target;
	unsigned int j;
	Elf64_Rela r;

	if (!loc || !(loc->sh.sh_flags & SHF_ALLOC) || !loc->data)
		return;
	n = loc->size / sizeof(word);
	covered = calloc(n ?: 1, sizeof(*covered));
	if (!covered) {
		error_at(file, NULL, "out of memory");
		return;
	}
	for_each_loader_rela(patch, rs, target) {
		if (target != loc)
			continue;
		for_each_rela(rs, j, &r) {
			i = r.r_offset / sizeof(word);
			if (r.r_offset % sizeof(word) || i >= n)
				continue;
			covered[i] = 1;
			sym = find_symbol_by_index(patch, ELF64_R_SYM(r.r_info));
			site = sym ? sym->sec : NULL;
			off = sym ? sym->sym.st_value + r.r_addend : 0;
			if (ELF64_R_TYPE(r.r_info) == R_X86_64_64 && site && site->data &&
			    (site->sh.sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) ==
			    (SHF_ALLOC | SHF_EXECINSTR) &&
			    off < site->size && site->size - off >= 5 &&
			    ((const unsigned char *)site->data)[off] == 0xe8 &&
			    calls_fentry(site, off + 1))
				continue;
			error_at(file, sec_where(loc, i),
				 "not a call to __fentry__ in the module's text");
		}
	}
	for (i = 0; i < n; i++) {
		memcpy(&word, (const char *)loc->data + i * sizeof(word),
		       sizeof(word));
		if (!covered[i] && word)
			error_at(file, sec_where(loc, i),
				 "not a call to __fentry__ in the module's text");
	}
	free(covered);
}

/* Whichever way the tool exits. */
static void release(void)
{
	unsigned int i;

	for (i = 0; i < nr_srcs; i++)
		symsrc_free(srcs[i]);
	free(srcs);
	free(bound);
	elf_close(patch);
}

/* Take @n sources from @list, which is freed. */
static void add_srcs(struct symsrc **list, unsigned int n)
{
	struct symsrc **s = realloc(srcs, (nr_srcs + n) * sizeof(*srcs));
	unsigned int i;

	if (!s) {
		for (i = 0; i < n; i++)
			symsrc_free(list[i]);
		free(list);
		fputs("klp-check: out of memory\n", stderr);
		exit(EXIT_USAGE);
	}
	srcs = s;
	for (i = 0; i < n; i++)
		srcs[nr_srcs++] = list[i];
	free(list);
}

static void load_source(int opt, const char *path)
{
	struct symsrc **list;
	unsigned int n;
	char *err = NULL;

	if (opt == 'k') {
		if (symsrc_from_kallsyms(path, &list, &n, &err))
			goto fail;
		have_vmlinux_src = true;
		add_srcs(list, n);
		return;
	}
	list = malloc(sizeof(*list));
	if (!list)
		goto fail;
	list[0] = symsrc_from_elf(path, opt == 'V', &err);
	if (!list[0]) {
		free(list);
		goto fail;
	}
	have_vmlinux_src |= opt == 'V';
	add_srcs(list, 1);
	return;
fail:
	fprintf(stderr, "klp-check: %s\n", err ? err : "out of memory");
	free(err);
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

	atexit(release);
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
	for (i = 1; i < patch->nr_sections; i++)
		if (klp_rela_flagged(patch->sections[i]) ||
		    klp_rela_named(patch->sections[i]))
			lint_klp_section(patch->sections[i]);
	klp_check_rules(patch, file, check_target_bytes, patch);
	if (is_livepatch_module(patch))
		check_ftrace_sites();
	check_symbols();
	if (nr_srcs) {
		resolve_symbols();
		if (bound)
			check_values();
	}
summary:
	printf("%s: %u error%s, %u warning%s\n", file, nr_errors, nr_errors == 1 ? "" : "s",
	       nr_warnings, nr_warnings == 1 ? "" : "s");
	return nr_errors ? EXIT_PROBLEMS : 0;
}
