// SPDX-License-Identifier: GPL-2.0-only
/*
 * klp-convert: turn a linked livepatch module into the livepatch ELF format.
 *
 * Every undefined symbol the module cannot bind at load (one vmlinux does
 * not export, or any symbol of a target module, which may load after the
 * patch) becomes a ".klp.sym.<obj>.<name>,<sympos>" symbol in SHN_LIVEPATCH,
 * and the relocations against it move to ".klp.rela.<obj>.<section>".
 * A symbol the source already names that way (as kpatch-style generators
 * and hand-written patches do) is kept, and its relocations move too.
 * Everything is decided and checked, the result with the rules the kernel
 * applies (<linux/klp_rules.h>), before anything is written.
 */
#include <getopt.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "klp.h"
#include <linux/klp_keys.h>

/* The largest page on x86_64: more is a broken header, not a need. */
#define MAX_ALIGN	(2U << 20)

/* Written by <linux/livepatch_sympos.h>; the names are explained there. */
#define ANNOTATIONS	".comment.klp_annotations"
#define MODULE_RELOCS	".klp.module_relocs."
/* sizeof(struct klp_module_reloc): a pointer and an unsigned int, packed */
#define MODULE_RELOC_SIZE	12

/* What a GOT reference in a module means. */
#define GOT_SYMBOL	"_GLOBAL_OFFSET_TABLE_"
#define NO_GOT		"the module was compiled as position-independent code (-fpic); kernel modules are built with -mcmodel=kernel and have no GOT"

static const char usage_text[] =
"Usage: klp-convert [options] MODULE [--module TARGET.ko]...\n"
"\n"
"Convert a linked livepatch module (.ko, or kbuild's pre-final .o) to the\n"
"livepatch ELF format: relocations against symbols the module may not bind\n"
"normally move to .klp.rela.<obj>.<section> sections and use\n"
".klp.sym.<obj>.<name>,<sympos> symbols.  Symbols the module already names\n"
"so are kept; a module entirely in the format is left unchanged.\n"
"\n"
"Symbol sources:\n"
"  --kdir DIR          kernel build tree: DIR/Module.symvers, and DIR/vmlinux\n"
"                      if it is there\n"
"  --vmlinux FILE      vmlinux ELF (its symtab, and exports from __ksymtab_*)\n"
"  --kallsyms FILE     a copy of the target's /proc/kallsyms, read as root:\n"
"                      vmlinux's and the loaded modules' symbols, exports\n"
"                      from __ksymtab_*; instead of a vmlinux\n"
"  --system-map FILE   the target's System.map (not Debian's placeholder):\n"
"                      vmlinux's symbols, exports from __ksymtab_*; instead\n"
"                      of a vmlinux\n"
"  --symvers FILE      Module.symvers (exports)\n"
"  --module FILE       a target module (.ko or .o); repeatable; takes the\n"
"                      place of its lines in --kallsyms\n"
"Options:\n"
"  -o, --output FILE   write here instead of converting MODULE in place\n"
"  --if-livepatch      do nothing, successfully, unless MODULE has\n"
"                      MODULE_INFO(livepatch, \"Y\") (for kbuild)\n"
"  -v, --verbose       list each symbol converted\n"
"  -h, --help          this text\n"
"\n"
"Ambiguous names are picked in the module's source with the macros of\n"
"<linux/livepatch_sympos.h>: KLP_SYMPOS(sym, pos) and KLP_OBJECT(sym, obj),\n"
"or KLP_MODULE_RELOC(obj) arrays.\n"
"A module signature appended to MODULE is dropped, with a warning: sign the\n"
"output again.\n"
"Exit status: 0 converted, 1 problems in the module, 2 usage or I/O error.\n";

struct annotation {
	char *sym;
	char *obj;		/* KLP_OBJECT, or NULL */
	long pos;		/* KLP_SYMPOS, or -1 */
	bool used;
};

/* What becomes of one undefined symbol. */
struct decision {
	const char *obj;	/* NULL: the symbol binds normally */
	unsigned int pos;
	bool named;		/* already named .klp.sym.<obj>.<name>,<pos> */
	char *obj_buf;		/* @obj, when it is not a symbol source's */
};

static struct {
	const char *input, *output;
	const char *vmlinux, *symvers, *kallsyms, *system_map;
	char *kdir_vmlinux, *kdir_symvers;	/* what --kdir names */
	const char **modules;
	unsigned int nr_modules;
	bool if_livepatch, verbose;
} opts;

static struct elf *patch;
static struct symsrc **srcs;	/* [0] is vmlinux when known */
static unsigned int nr_srcs;
static struct symsrc *vmlinux;
/* srcs[first_dump_module] on: modules of --kallsyms that no --module gives */
static unsigned int first_dump_module = -1U;
static struct symsrc module_exports;	/* other modules' exports, from Module.symvers */
static struct annotation *anns;
static unsigned int nr_anns, max_anns;
static struct decision *decisions;	/* by symbol index */

/*
 * Everything above is freed here, whichever way the tool exits: at the end
 * of main() or from exit() after an error.
 */
static void release(void)
{
	unsigned int i;

	for (i = 0; decisions && i < patch->nr_symbols; i++)
		free(decisions[i].obj_buf);
	free(decisions);
	for (i = 0; i < nr_anns; i++) {
		free(anns[i].sym);
		free(anns[i].obj);
	}
	free(anns);
	if (vmlinux && (!nr_srcs || srcs[0] != vmlinux))
		symsrc_free(vmlinux);
	for (i = 0; i < nr_srcs; i++)
		symsrc_free(srcs[i]);
	free(srcs);
	for (i = 0; i < module_exports.nr_exports; i++)
		free(module_exports.exports[i]);
	free(module_exports.exports);
	elf_close(patch);
	free(opts.modules);
	free(opts.kdir_vmlinux);
	free(opts.kdir_symvers);
}

/* Without a source of vmlinux's exports, before and after reading one. */
static const char * const exports_unknown[] = {
	"need --kdir, --vmlinux, --kallsyms, --system-map or --symvers to know what vmlinux exports",
	"no __ksymtab_ symbols of vmlinux, so what it exports is unknown (a kernel without CONFIG_KALLSYMS_ALL?): add --symvers with its Module.symvers",
};

static void usage_error(const char *msg)
{
	fprintf(stderr, "klp-convert: %s\n%s", msg, usage_text);
	exit(EXIT_USAGE);
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kdir",	  required_argument, NULL, 'k' },
		{ "vmlinux",	  required_argument, NULL, 'V' },
		{ "symvers",	  required_argument, NULL, 's' },
		{ "kallsyms",	  required_argument, NULL, 'K' },
		{ "system-map",	  required_argument, NULL, 'S' },
		{ "module",	  required_argument, NULL, 'm' },
		{ "output",	  required_argument, NULL, 'o' },
		{ "if-livepatch", no_argument,	     NULL, 'l' },
		{ "verbose",	  no_argument,	     NULL, 'v' },
		{ "help",	  no_argument,	     NULL, 'h' },
		{ }
	};
	const char **modules;
	int c;

	while ((c = getopt_long(argc, argv, "o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'k':
			free(opts.kdir_vmlinux);
			free(opts.kdir_symvers);
			if (asprintf(&opts.kdir_vmlinux, "%s/vmlinux", optarg) < 0)
				opts.kdir_vmlinux = NULL;
			if (asprintf(&opts.kdir_symvers, "%s/Module.symvers", optarg) < 0)
				opts.kdir_symvers = NULL;
			if (!opts.kdir_vmlinux || !opts.kdir_symvers)
				exit(EXIT_USAGE);
			/* In-tree builds may convert before vmlinux is linked. */
			opts.vmlinux = access(opts.kdir_vmlinux, R_OK) ? NULL :
				       opts.kdir_vmlinux;
			opts.symvers = opts.kdir_symvers;
			break;
		case 'V':
			opts.vmlinux = optarg;
			break;
		case 's':
			opts.symvers = optarg;
			break;
		case 'K':
			opts.kallsyms = optarg;
			break;
		case 'S':
			opts.system_map = optarg;
			break;
		case 'm':
			modules = realloc(opts.modules,
					  (opts.nr_modules + 1) * sizeof(*modules));
			if (!modules)
				exit(EXIT_USAGE);
			opts.modules = modules;
			opts.modules[opts.nr_modules++] = optarg;
			break;
		case 'o':
			opts.output = optarg;
			break;
		case 'l':
			opts.if_livepatch = true;
			break;
		case 'v':
			opts.verbose = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		default:
			usage_error("bad option");
		}
	}
	if (optind != argc - 1)
		usage_error("expected one MODULE");
	opts.input = argv[optind];
	if (!opts.output)
		opts.output = opts.input;
	/* A symbol list given takes the place of the vmlinux --kdir finds. */
	if ((opts.kallsyms || opts.system_map) && opts.vmlinux == opts.kdir_vmlinux)
		opts.vmlinux = NULL;
	if (!!opts.vmlinux + !!opts.kallsyms + !!opts.system_map > 1)
		usage_error("give vmlinux's symbols once: --vmlinux, --kallsyms or --system-map");
	if (!opts.vmlinux && !opts.symvers && !opts.kallsyms && !opts.system_map)
		usage_error(exports_unknown[0]);
}

/*
 * Give up on an I/O error, or for want of memory if @err is NULL; frees
 * @err.  @what is the file, unless @err names it already (NULL).
 */
static void fatal(const char *what, char *err)
{
	fprintf(stderr, "klp-convert: %s%s%s\n", what ?: "", what ? ": " : "",
		err ? err : "out of memory");
	free(err);
	exit(EXIT_USAGE);
}

static void open_patch(void)
{
	if (open_module("klp-convert", opts.input, &patch))
		exit(EXIT_USAGE);
	if (!patch->err && !patch->symtab)
		patch->err = strdup("no symbol table");
	if (patch->err) {
		error_at(opts.input, NULL, "%s", patch->err);
		exit(EXIT_PROBLEMS);
	}
}

/* Only a livepatch module may carry the markers. */
static bool check_livepatch(void)
{
	if (!is_livepatch_module(patch)) {
		if (opts.if_livepatch)
			return false;
		error_at(opts.input, ".modinfo", NOT_LIVEPATCH);
		exit(EXIT_PROBLEMS);
	}
	return true;
}

static void not_converted(void)
{
	printf("%s: %u error%s, not converted\n", opts.input, nr_errors,
	       nr_errors == 1 ? "" : "s");
	exit(EXIT_PROBLEMS);
}

/* A group's signature is a symbol index and its members section indices. */
static void check_group(const struct section *sec)
{
	const char *where = sec_where(sec, -1);
	unsigned int i, member;

	if (sec->sh.sh_link != patch->symtab->idx) {
		error_at(opts.input, where, "sh_link %u is not the symbol table",
			 sec->sh.sh_link);
		return;
	}
	if (sec->sh.sh_info >= patch->nr_symbols)
		error_at(opts.input, where, "signature symbol %u is not in the symtab",
			 sec->sh.sh_info);
	if (!sec->data || sec->size % sizeof(member) || !sec->size) {
		error_at(opts.input, where, "size %zu is not a flag word and members",
			 sec->size);
		return;
	}
	for (i = 1; i < sec->size / sizeof(member); i++) {
		memcpy(&member, (char *)sec->data + i * sizeof(member), sizeof(member));
		if (!member || member >= patch->nr_sections) {
			error_at(opts.input, sec_where(sec, i),
				 "member %u is not a section", member);
			return;
		}
	}
}

static void check_section(const struct section *sec)
{
	const char *where = sec_where(sec, -1);
	unsigned int type = sec->sh.sh_type, j;
	Elf64_Rela r;

	if (type != SHT_NOBITS && sec->sh.sh_size && !sec->data)
		error_at(opts.input, where, "contents lie outside the file");
	if ((sec->sh.sh_addralign & (sec->sh.sh_addralign - 1)) ||
	    sec->sh.sh_addralign > MAX_ALIGN)
		error_at(opts.input, where,
			 "sh_addralign %llu is not a power of two up to %u",
			 (unsigned long long)sec->sh.sh_addralign, MAX_ALIGN);
	if ((sec->sh.sh_flags & SHF_COMPRESSED) &&
	    ((sec->sh.sh_flags & SHF_ALLOC) || type == SHT_NOBITS ||
	     sec->sh.sh_size < sizeof(Elf64_Chdr) || type == SHT_RELA ||
	     type == SHT_SYMTAB || type == SHT_STRTAB))
		error_at(opts.input, where,
			 "SHF_COMPRESSED on a section that is allocated, empty or read by klp-convert");
	/* libelf refuses to write a size that is not a multiple of it. */
	if (sec->sh.sh_entsize > 1 && sec->sh.sh_size % sec->sh.sh_entsize)
		error_at(opts.input, where, "size %llu is not a multiple of sh_entsize %llu",
			 (unsigned long long)sec->sh.sh_size,
			 (unsigned long long)sec->sh.sh_entsize);
	if (sec->sh.sh_link >= patch->nr_sections)
		error_at(opts.input, where, "sh_link %u is not a section", sec->sh.sh_link);
	if ((type == SHT_RELA || (sec->sh.sh_flags & SHF_INFO_LINK)) &&
	    sec->sh.sh_info >= patch->nr_sections)
		error_at(opts.input, where, "sh_info %u is not a section", sec->sh.sh_info);
	if (type == SHT_REL)
		error_at(opts.input, where, "SHT_REL section: x86_64 modules use SHT_RELA");
	if ((sec == patch->strtab || sec == patch->shstrtab) && sec->sh.sh_entsize > 1)
		error_at(opts.input, where, "string table with sh_entsize %llu",
			 (unsigned long long)sec->sh.sh_entsize);
	if (type == SHT_GROUP)
		check_group(sec);
	if (type != SHT_RELA)
		return;
	if (sec->sh.sh_entsize != sizeof(Elf64_Rela))
		error_at(opts.input, where, "sh_entsize %llu, not %zu",
			 (unsigned long long)sec->sh.sh_entsize, sizeof(Elf64_Rela));
	if (sec->sh.sh_link != patch->symtab->idx)
		error_at(opts.input, where, "sh_link %u is not the symbol table",
			 sec->sh.sh_link);
	for_each_rela(sec, j, &r) {
		if (ELF64_R_SYM(r.r_info) >= patch->nr_symbols) {
			error_at(opts.input, sec_where(sec, j),
				 "symbol index %llu past the symtab's %u entries",
				 (unsigned long long)ELF64_R_SYM(r.r_info), patch->nr_symbols);
			break;
		}
	}
}

/*
 * Conversion rewrites the symbol table and the relocation sections and has
 * libelf lay the file out anew.  Whatever that relies on is checked first,
 * so that a broken module is refused rather than half converted.
 */
static void check_structure(void)
{
	const struct section *symtab = patch->symtab;
	bool global_seen = false;
	unsigned int i;

	if (!patch->shstrtab)
		error_at(opts.input, NULL, "e_shstrndx is not a section");
	if (patch->ehdr.e_version != EV_CURRENT ||
	    patch->ehdr.e_ident[EI_VERSION] != EV_CURRENT)
		error_at(opts.input, NULL, "ELF version %u, not %u",
			 patch->ehdr.e_version, EV_CURRENT);
	if (patch->nr_sections >= SHN_LORESERVE / 2)
		error_at(opts.input, NULL, "%u sections: too many", patch->nr_sections);
	if (!patch->strtab || patch->strtab->sh.sh_type != SHT_STRTAB)
		error_at(opts.input, sec_where(symtab, -1),
			 "sh_link %u is not a string table", symtab->sh.sh_link);
	if (symtab->sh.sh_entsize != sizeof(Elf64_Sym))
		error_at(opts.input, sec_where(symtab, -1), "sh_entsize %llu, not %zu",
			 (unsigned long long)symtab->sh.sh_entsize, sizeof(Elf64_Sym));
	for (i = 1; i < patch->nr_sections; i++)
		check_section(patch->sections[i]);
	for (i = 0; i < patch->nr_symbols; i++) {
		const struct symbol *sym = &patch->symbols[i];
		bool local = ELF64_ST_BIND(sym->sym.st_info) == STB_LOCAL;
		unsigned int shndx = sym->sym.st_shndx;

		if (local && global_seen) {
			error_at(opts.input, sec_where(symtab, i),
				 "local symbol after a global one");
			break;
		}
		global_seen |= !local;
		if (shndx == SHN_XINDEX ||
		    (shndx != SHN_UNDEF && shndx < SHN_LORESERVE && !sym->sec)) {
			error_at(opts.input, sec_where(symtab, i),
				 "st_shndx %u is not a section", shndx);
			break;
		}
	}
	if (nr_errors)
		not_converted();
}

static struct annotation *find_annotation(const char *sym)
{
	unsigned int i;

	for (i = 0; i < nr_anns; i++)
		if (!strcmp(anns[i].sym, sym))
			return &anns[i];
	return NULL;
}

/* Record that @sym is in @obj (if not NULL) at @pos (if >= 0). */
static void annotate(const char *where, const char *sym, const char *obj,
		     long pos)
{
	struct annotation *a = find_annotation(sym), *grown;

	if (!a) {
		if (nr_anns == max_anns) {
			grown = realloc(anns, (max_anns * 2 ?: 16) * sizeof(*anns));
			if (!grown)
				fatal(opts.input, NULL);
			anns = grown;
			max_anns = max_anns * 2 ?: 16;
		}
		a = &anns[nr_anns++];
		memset(a, 0, sizeof(*a));
		a->sym = strdup(sym);
		a->pos = -1;
		if (!a->sym)
			fatal(opts.input, NULL);
	}
	if (pos >= 0) {
		if (a->pos >= 0 && a->pos != pos)
			error_at(opts.input, where,
				 "KLP_SYMPOS(%s, ...) given twice", sym);
		a->pos = pos;
	}
	if (obj) {
		if (a->obj && strcmp(a->obj, obj))
			error_at(opts.input, where,
				 "KLP_OBJECT(%s, ...) given twice", sym);
		free(a->obj);
		a->obj = strdup(obj);
		if (!a->obj)
			fatal(opts.input, NULL);
	}
}

/*
 * KLP_SYMPOS() and KLP_OBJECT() leave "sympos <sym> <pos>" and
 * "object <sym> <obj>" strings in a non-alloc section.
 */
static void read_annotations(void)
{
	struct section *sec = find_section_by_name(patch, ANNOTATIONS);
	char kind[16], sym[600], arg[600], extra;
	const char *s;
	size_t off = 0;

	if (!sec)
		return;
	while ((s = elf_string(sec, off))) {
		char *end;
		long pos = -1;

		off += strlen(s) + 1;
		if (!*s)
			continue;
		if (strlen(s) >= sizeof(sym) ||
		    sscanf(s, "%15s %599s %599s %c", kind, sym, arg, &extra) != 3 ||
		    (strcmp(kind, "sympos") && strcmp(kind, "object"))) {
			error_at(opts.input, ANNOTATIONS, "malformed annotation '%s'", s);
			continue;
		}
		if (!strcmp(kind, "sympos")) {
			pos = strtol(arg, &end, 0);
			if (*end || pos < 0 || pos > KLP_SYMPOS_MAX) {
				error_at(opts.input, ANNOTATIONS,
					 "KLP_SYMPOS(%s, %s): not a position", sym, arg);
				continue;
			}
		}
		annotate(ANNOTATIONS, sym, pos < 0 ? arg : NULL, pos);
	}
}

static bool is_module_relocs(const struct section *sec)
{
	return !strncmp(sec->name, MODULE_RELOCS, strlen(MODULE_RELOCS)) &&
	       sec->sh.sh_type != SHT_RELA;
}

/*
 * The annotation form of the posted upstream klp-convert series:
 * KLP_MODULE_RELOC(obj) arrays of { symbol address, sympos } in sections
 * ".klp.module_relocs.<obj>".  Each entry says what KLP_OBJECT() and
 * KLP_SYMPOS() say; the arrays are dropped from the result.  Entries are
 * found by their relocations, so padding between two objects' arrays does
 * not matter.
 */
static void read_module_relocs(void)
{
	unsigned int i, j, pos;
	struct section *rs;
	Elf64_Rela r;

	for (i = 1; i < patch->nr_sections; i++) {
		struct section *sec = patch->sections[i], *rela = NULL;
		const char *obj = sec->name + strlen(MODULE_RELOCS);

		if (!is_module_relocs(sec))
			continue;
		sec->removed = true;
		for_each_rela_section(patch, rs) {
			if (rs->sh.sh_info == i) {
				rs->removed = true;
				rela = rs;
			}
		}
		if (!*obj || strchr(obj, '.') || strlen(obj) > KLP_OBJNAME_MAX) {
			error_at(opts.input, sec_where(sec, -1),
				 "KLP_MODULE_RELOC(%s): not an object name", obj);
			continue;
		}
		if (!rela)
			continue;
		for_each_rela(rela, j, &r) {
			const struct symbol *sym =
				find_symbol_by_index(patch, ELF64_R_SYM(r.r_info));

			if (!sym || sym->sym.st_shndx != SHN_UNDEF || !sym->name[0] ||
			    ELF64_R_TYPE(r.r_info) != R_X86_64_64 || r.r_addend ||
			    !sec->data || r.r_offset > sec->size ||
			    sec->size - r.r_offset < MODULE_RELOC_SIZE) {
				error_at(opts.input, sec_where(rela, j),
					 "not a KLP_MODULE_RELOC(%s) entry for a symbol the module imports",
					 obj);
				continue;
			}
			memcpy(&pos, (char *)sec->data + r.r_offset + 8, sizeof(pos));
			if (pos > KLP_SYMPOS_MAX) {
				error_at(opts.input, sec_where(rela, j),
					 "KLP_SYMPOS(%s, %u): not a position",
					 sym->name, pos);
				continue;
			}
			annotate(sec_where(rela, j), sym->name, obj, pos);
		}
	}
	/* The arrays' own symbols go with them; nothing else may use them. */
	for (i = 1; i < patch->nr_symbols; i++)
		if (patch->symbols[i].sec && patch->symbols[i].sec->removed)
			patch->symbols[i].removed = true;
	for_each_rela_section(patch, rs) {
		for_each_rela(rs, j, &r) {
			const struct symbol *sym =
				find_symbol_by_index(patch, ELF64_R_SYM(r.r_info));

			if (sym && sym->removed) {
				error_at(opts.input, sec_where(rs, j),
					 "refers to %s, a KLP_MODULE_RELOC array",
					 sym->sec->name);
				break;
			}
		}
	}
}

static void add_source(struct symsrc *src)
{
	struct symsrc **s = realloc(srcs, (nr_srcs + 1) * sizeof(*srcs));

	if (!s) {
		if (src != vmlinux)
			symsrc_free(src);
		fatal(opts.input, NULL);
	}
	srcs = s;
	srcs[nr_srcs++] = src;
}

/* Is module @obj one of the --module targets? */
static bool module_given(const char *obj)
{
	unsigned int i;

	for (i = 1; i < nr_srcs && i < first_dump_module; i++)
		if (!strcmp(srcs[i]->obj, obj))
			return true;
	return false;
}

/*
 * A /proc/kallsyms copy: vmlinux, and each module it lists that no
 * --module gives, after the --module targets.
 */
static void load_kallsyms(void)
{
	struct symsrc **list;
	unsigned int i, n;
	char *err = NULL;

	if (symsrc_from_kallsyms(opts.kallsyms, &list, &n, &err))
		fatal(NULL, err);
	for (i = 0; i < n; i++) {
		if (!strcmp(list[i]->obj, KLP_VMLINUX)) {
			vmlinux = list[i];
			list[i] = NULL;
		}
	}
	/* The reader refuses a list without vmlinux's text. */
	add_source(vmlinux);
	for (i = 0; i < opts.nr_modules; i++) {
		struct symsrc *src = symsrc_from_elf(opts.modules[i], false, &err);

		if (!src) {
			while (n--)
				symsrc_free(list[n]);
			free(list);
			fatal(NULL, err);
		}
		add_source(src);
	}
	first_dump_module = nr_srcs;
	for (i = 0; i < n; i++) {
		if (list[i] && !module_given(list[i]->obj))
			add_source(list[i]);
		else
			symsrc_free(list[i]);
	}
	free(list);
}

static void load_sources(void)
{
	unsigned int i;
	char *err = NULL;

	if (opts.kallsyms) {
		load_kallsyms();
	} else {
		if (opts.vmlinux)
			vmlinux = symsrc_from_elf(opts.vmlinux, true, &err);
		else if (opts.system_map)
			vmlinux = symsrc_from_system_map(opts.system_map, &err);
		else
			vmlinux = calloc(1, sizeof(*vmlinux));
		if (!vmlinux)
			fatal(NULL, err);
		if (!vmlinux->obj)
			vmlinux->obj = strdup(KLP_VMLINUX);
		if (!vmlinux->obj)
			fatal(opts.input, NULL);
		add_source(vmlinux);
		for (i = 0; i < opts.nr_modules; i++) {
			struct symsrc *src = symsrc_from_elf(opts.modules[i], false, &err);

			if (!src)
				fatal(NULL, err);
			add_source(src);
		}
	}
	if (opts.symvers && symsrc_add_symvers(vmlinux, &module_exports, opts.symvers, &err))
		fatal(NULL, err);
	/* Without them every export would become a klp relocation. */
	if ((opts.kallsyms || opts.system_map) && !vmlinux->nr_exports)
		fatal(opts.kallsyms ?: opts.system_map, strdup(exports_unknown[1]));
}

/* Where a symbol is first used, for messages: "sec[rela]" or ".symtab[idx]". */
static const char *first_use(const struct symbol *sym)
{
	static char buf[700];
	struct section *sec;
	unsigned int j;
	Elf64_Rela r;

	for_each_rela_section(patch, sec) {
		for_each_rela(sec, j, &r) {
			if (ELF64_R_SYM(r.r_info) == sym->idx) {
				snprintf(buf, sizeof(buf), "%s", sec_where(sec, j));
				return buf;
			}
		}
	}
	snprintf(buf, sizeof(buf), "%s", sec_where(patch->symtab, sym->idx));
	return buf;
}

/* The objects that hold a name, each with how many symbols of that name. */
struct candidates {
	const struct symsrc **src;
	unsigned int *count;
	unsigned int nr;
	unsigned int total;	/* symbols of the name in all of them */
	bool in_module;		/* one of them is a module */
};

/*
 * Does a module of the --kallsyms copy that no --module gives export
 * @name?  Such a module is a target only for what it does not export.
 */
static bool dump_module_exports(unsigned int i, const char *name)
{
	return i >= first_dump_module && symsrc_exports(srcs[i], name);
}

/*
 * The sources holding @name, only @obj's if it is not NULL; without @obj,
 * a module of the --kallsyms copy does not hold what it exports.
 */
static void find_candidates(struct candidates *c, const char *name,
			    const char *obj)
{
	unsigned int i, count;

	memset(c, 0, sizeof(*c));
	c->src = calloc(nr_srcs, sizeof(*c->src));
	c->count = calloc(nr_srcs, sizeof(*c->count));
	if (!c->src || !c->count)
		fatal(opts.input, NULL);
	for (i = 0; i < nr_srcs; i++) {
		if (obj ? strcmp(srcs[i]->obj, obj) : dump_module_exports(i, name))
			continue;
		if (!symsrc_lookup(srcs[i], name, &count))
			continue;
		c->src[c->nr] = srcs[i];
		c->count[c->nr++] = count;
		c->total += count;
		c->in_module |= srcs[i] != vmlinux;
	}
}

static void free_candidates(struct candidates *c)
{
	free(c->src);
	free(c->count);
}

/* The annotation that picks candidate @pos of @src, e.g. "KLP_SYMPOS(bar, 2)". */
static const char *annotation_for(const char *name, const struct symsrc *src,
				  unsigned int pos, unsigned int count,
				  bool several_objects)
{
	static char buf[1400];
	int n = 0;

	if (several_objects)
		n = snprintf(buf, sizeof(buf), "KLP_OBJECT(%s, %s)%s", name, src->obj,
			     count > 1 ? " and " : "");
	if (count > 1)
		snprintf(buf + n, sizeof(buf) - n, "KLP_SYMPOS(%s, %u)", name, pos);
	return buf;
}

/* Every candidate, its source file if known, and the annotation that picks it. */
static void report_ambiguous(const struct symbol *sym, const struct candidates *c)
{
	bool several = c->nr > 1;
	unsigned int i, p, shown = 0;
	char where[KSYM_WHERE_LEN];
	const struct ksym *k;
	char *list = NULL;
	size_t len;
	FILE *f;

	f = open_memstream(&list, &len);
	if (!f)
		fatal(opts.input, NULL);
	fprintf(f, "symbol '%s': %u candidates in ", sym->name, c->total);
	for (i = 0; i < c->nr; i++)
		fprintf(f, "%s%s", i ? " and " : "", c->src[i]->obj);
	for (i = 0; i < c->nr; i++) {
		for (p = 1; p <= c->count[i]; p++, shown++)
			fprintf(f, "%s%s",
				!shown ? ": add " : shown + 1 == c->total ? " or " : ", ",
				annotation_for(sym->name, c->src[i], p, c->count[i], several));
	}
	if (fclose(f))
		fatal(opts.input, NULL);
	error_at(opts.input, first_use(sym), "%s", list);
	free(list);
	for (i = 0; i < c->nr; i++) {
		k = symsrc_lookup(c->src[i], sym->name, &p);
		for (p = 0; p < c->count[i]; p++)
			printf("%s: note: %s '%s' %s: %s\n", opts.input,
			       c->src[i]->obj, sym->name,
			       ksym_where(&k[p], where, sizeof(where)),
			       annotation_for(sym->name, c->src[i], p + 1, c->count[i],
					      several));
	}
}

/*
 * Export policy: what vmlinux exports binds normally, unless a target
 * module holds the name too or KLP_SYMPOS() asks for a position; what
 * another module exports (per Module.symvers, or a module of the
 * --kallsyms copy), and no given object holds, binds normally too
 * (modpost sees to it).
 */
static bool binds_normally(const struct symbol *sym, const struct annotation *a,
			   const struct candidates *c)
{
	unsigned int i;

	if (!c->in_module && symsrc_exports(vmlinux, sym->name))
		return !a || a->pos < 0;
	if (c->nr || a)
		return false;
	for (i = 0; i < nr_srcs; i++)
		if (dump_module_exports(i, sym->name))
			return true;
	return symsrc_exports(&module_exports, sym->name);
}

/* No object holds the name; a weak reference may stay unresolved. */
static bool not_found(const struct symbol *sym, const struct annotation *a)
{
	const char *where = "its kallsyms";

	if (a && a->obj) {
		error_at(opts.input, first_use(sym),
			 "KLP_OBJECT(%s, %s): no symbol '%s' in %s%s", sym->name, a->obj,
			 sym->name, a->obj,
			 strcmp(a->obj, KLP_VMLINUX) ? ": pass its .ko with --module" : "");
		return false;
	}
	if (ELF64_ST_BIND(sym->sym.st_info) == STB_WEAK)
		return true;
	if (!opts.vmlinux && !opts.kallsyms && !opts.system_map)
		where = "any symbol source (no vmlinux given)";
	else if (opts.nr_modules)
		where = "its kallsyms nor in any --module object";
	error_at(opts.input, first_use(sym),
		 "symbol '%s' is not exported by vmlinux and not in %s%s",
		 sym->name, where, opts.nr_modules ? "" :
		 "; if a module holds it, pass that module's .ko with --module");
	return false;
}

/* KLP_SYMPOS(): a position among the symbols of one object. */
static bool pick_sympos(const struct symbol *sym, const struct annotation *a,
			const struct candidates *c, struct decision *d)
{
	if (c->nr > 1) {
		report_ambiguous(sym, c);
		return false;
	}
	if (a->pos > c->count[0] || (a->pos == 0 && c->count[0] > 1)) {
		error_at(opts.input, first_use(sym),
			 "KLP_SYMPOS(%s, %ld): %u symbol%s named '%s' in %s",
			 sym->name, a->pos, c->count[0], c->count[0] == 1 ? "" : "s",
			 sym->name, c->src[0]->obj);
		return false;
	}
	d->obj = c->src[0]->obj;
	d->pos = a->pos;
	return true;
}

/* Without a position, the name must be unique among the candidates. */
static bool pick_only(const struct symbol *sym, const struct candidates *c,
		      struct decision *d)
{
	if (c->total > 1) {
		report_ambiguous(sym, c);
		return false;
	}
	d->obj = c->src[0]->obj;
	d->pos = 0;
	return true;
}

/* Decide what becomes of one undefined symbol; false if that is an error. */
static bool decide(const struct symbol *sym, struct decision *d)
{
	struct annotation *a = find_annotation(sym->name);
	struct candidates c;
	bool ok;

	if (a)
		a->used = true;
	if (!strcmp(sym->name, GOT_SYMBOL)) {
		error_at(opts.input, first_use(sym), "symbol '%s': %s", sym->name, NO_GOT);
		return false;
	}
	find_candidates(&c, sym->name, a ? a->obj : NULL);
	if (binds_normally(sym, a, &c))
		ok = true;
	else if (!c.nr)
		ok = not_found(sym, a);
	else if (a && a->pos >= 0)
		ok = pick_sympos(sym, a, &c, d);
	else
		ok = pick_only(sym, &c, d);
	free_candidates(&c);
	return ok;
}

/*
 * A symbol the source names ".klp.sym.<obj>.<name>,<sympos>" itself
 * (extern int x __asm__(".klp.sym.vmlinux.x,0")) is one already decided.
 */
static bool decide_named(const struct symbol *sym, struct decision *d)
{
	struct klp_sym_name sn;
	int err = klp_parse_sym_name(sym->name, &sn);

	if (err) {
		error_at(opts.input, first_use(sym), "symbol '%s': %s", sym->name,
			 klp_name_strerror(err));
		return false;
	}
	d->obj_buf = klp_part_dup(&sn.obj);
	if (!d->obj_buf)
		fatal(opts.input, NULL);
	d->obj = d->obj_buf;
	d->pos = sn.sympos;
	d->named = true;
	return true;
}

static void decide_all(void)
{
	unsigned int i;

	decisions = calloc(patch->nr_symbols, sizeof(*decisions));
	if (!decisions)
		fatal(opts.input, NULL);
	for (i = 1; i < patch->nr_symbols; i++) {
		const struct symbol *sym = &patch->symbols[i];
		unsigned int shndx = sym->sym.st_shndx;

		if (sym->removed)
			continue;
		if (klp_sym_named(sym) &&
		    (shndx == SHN_UNDEF || shndx == SHN_LIVEPATCH))
			decide_named(sym, &decisions[i]);
		else if (shndx == SHN_UNDEF && sym->name[0])
			decide(sym, &decisions[i]);
	}
	for (i = 0; i < nr_anns; i++)
		if (!anns[i].used)
			warn_at(opts.input, ANNOTATIONS,
				"annotation for '%s', which the module does not import",
				anns[i].sym);
}

static const struct decision *decision_of(unsigned int symidx)
{
	if (symidx >= patch->nr_symbols || !decisions[symidx].obj)
		return NULL;
	return &decisions[symidx];
}

/* The relocation types of GOT-relative addressing, which -fpic code uses. */
static bool got_type(unsigned int type)
{
	switch (type) {
	case R_X86_64_GOT32:
	case R_X86_64_GOTPCREL:
	case R_X86_64_GOTOFF64:
	case R_X86_64_GOTPC32:
	case R_X86_64_GOT64:
	case R_X86_64_GOTPCREL64:
	case R_X86_64_GOTPC64:
	case R_X86_64_GOTPLT64:
	case R_X86_64_PLTOFF64:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
		return true;
	}
	return false;
}

/*
 * The kernel writes a klp relocation only if klp_x86_64_rela_width() knows
 * its type, and refuses the patch otherwise.  Refuse it here instead, at
 * the entry the compiler made, while the reason is known.
 */
static void check_types(void)
{
	struct section *sec, *base;
	unsigned int j, symidx, type;
	char buf[48];
	Elf64_Rela r;

	for_each_loader_rela(patch, sec, base) {
		for_each_rela(sec, j, &r) {
			symidx = ELF64_R_SYM(r.r_info);
			type = ELF64_R_TYPE(r.r_info);
			if (!decision_of(symidx) || klp_x86_64_rela_width(type) >= 0)
				continue;
			error_at(opts.input, sec_where(sec, j),
				 "symbol '%s': relocation type %s cannot be a klp relocation: the kernel writes only %s%s%s",
				 patch->symbols[symidx].name,
				 reloc_type_desc(type, buf, sizeof(buf)), klp_reloc_types(),
				 got_type(type) ? "; " : "", got_type(type) ? NO_GOT : "");
		}
	}
}

/* What in a patch's source puts a reference to module @obj into @secname. */
static const char *early_use(const char *secname, const char *obj)
{
	static char buf[400];
	const char *what = klp_special_section(secname);

	if (!strcmp(secname, "__jump_table"))
		snprintf(buf, sizeof(buf),
			 "a static branch (static_branch_*/static_key_*) on a key of module %s; test it with static_key_enabled() instead",
			 obj);
	else if (!strcmp(secname, ".static_call_sites"))
		snprintf(buf, sizeof(buf),
			 "a static_call() of a static call of module %s; call through the function pointer instead",
			 obj);
	else if (!strcmp(secname, "__ex_table"))
		snprintf(buf, sizeof(buf),
			 "an exception-table user (uaccess, *_nofault) referring to %s",
			 obj);
	else if (what)
		snprintf(buf, sizeof(buf),
			 "code the loader patches at load (%s) that refers to %s",
			 what, obj);
	else if (klp_init_section(secname))
		snprintf(buf, sizeof(buf),
			 "init code or data of the patch refers to %s, which may load after the patch's init memory is freed; drop __init/__initdata there",
			 obj);
	else
		return NULL;
	return buf;
}

/*
 * A module's relocations are written when it comes, after the loader has
 * consumed the patch's special sections and freed its init sections
 * (klp_rules_section() says why); say which construct put one there.
 */
static void check_early_sections(void)
{
	struct section *sec, *base;
	unsigned int j;
	Elf64_Rela r;

	for_each_loader_rela(patch, sec, base) {
		if (!early_use(base->name, ""))
			continue;
		for_each_rela(sec, j, &r) {
			unsigned int symidx = ELF64_R_SYM(r.r_info);
			const struct decision *d = decision_of(symidx);

			if (d && strcmp(d->obj, KLP_VMLINUX))
				error_at(opts.input, sec_where(sec, j),
					 "'%s' of module %s in %s: %s",
					 patch->symbols[symidx].name, d->obj,
					 base->name, early_use(base->name, d->obj));
		}
	}
}

/*
 * The loader's tables of keys (klp_key_kinds): an entry whose key is in a
 * module object moves to that object's table, where the loader leaves it
 * until the module comes (Documentation/livepatch/module-static-keys.rst).
 */
/* The ordinary relocation section of @base, if there is one. */
static struct section *plain_rela_of(const struct section *base)
{
	unsigned int i;

	for (i = 1; i < patch->nr_sections; i++) {
		struct section *sec = patch->sections[i];

		if (!sec->removed && sec->sh.sh_type == SHT_RELA &&
		    sec->sh.sh_info == base->idx && !klp_rela_flagged(sec))
			return sec;
	}
	return NULL;
}

/*
 * For each entry of @t's table, the module object other than vmlinux whose
 * symbol its key field refers to, or NULL.  Returns whether there is one.
 */
static bool key_owners(const struct klp_key_kind *t, struct section *rsec,
		       unsigned long n, const char **owner)
{
	bool any = false;
	unsigned int j;
	Elf64_Rela r;

	for_each_rela(rsec, j, &r) {
		unsigned long i = r.r_offset / t->entsize;
		const struct decision *d;

		if (i >= n || r.r_offset % t->entsize != t->key_off)
			continue;
		d = decision_of(ELF64_R_SYM(r.r_info));
		if (!d || !strcmp(d->obj, KLP_VMLINUX))
			continue;
		if (!strncmp(patch->symbols[ELF64_R_SYM(r.r_info)].name,
			     "__SCT__", 7)) {
			error_at(opts.input, sec_where(rsec, j),
				 "a static call site of module %s names its trampoline, not its key (static_call_mod()?): call it with static_call() in the patch",
				 d->obj);
			continue;
		}
		owner[i] = d->obj;
		any = true;
	}
	return any;
}

/*
 * Entries [0, n) of @t's table @base whose owner is @obj (NULL: the ones
 * that stay) go, in order, into @dst's bytes and @drsec's relocations.
 */
static void copy_entries(const struct klp_key_kind *t, struct section *base,
			 struct section *rsec, const char **owner,
			 unsigned long n, const char *obj,
			 struct section *dst, struct section *drsec)
{
	unsigned char *data = calloc(n ? n : 1, t->entsize);
	Elf64_Rela *relas = malloc(rela_count(rsec) * sizeof(*relas) + 1);
	long *to = malloc((n ? n : 1) * sizeof(*to));
	unsigned long i, m = 0;
	unsigned int j, nr = 0;
	Elf64_Rela r;

	if (!data || !relas || !to)
		fatal(opts.input, NULL);
	for (i = 0; i < n; i++) {
		to[i] = -1;
		if (obj ? !owner[i] || strcmp(owner[i], obj) : !!owner[i])
			continue;
		memcpy(data + m * t->entsize,
		       (unsigned char *)base->data + i * t->entsize, t->entsize);
		to[i] = m++;
	}
	for_each_rela(rsec, j, &r) {
		i = r.r_offset / t->entsize;
		if (i >= n || to[i] < 0)
			continue;
		r.r_offset = to[i] * t->entsize + r.r_offset % t->entsize;
		relas[nr++] = r;
	}
	free(to);
	section_set_data(dst, data, m * t->entsize);
	section_set_data(drsec, relas, nr * sizeof(*relas));
}

/* Each module object's entries of @t's table move to a table of theirs. */
static void move_key_table(const struct klp_key_kind *t)
{
	struct section *base = find_alloc_section(patch, t->loader);
	struct section *rsec = base ? plain_rela_of(base) : NULL;
	unsigned long n, i, k, nr_done = 0;
	const char **owner, **done;
	bool any;

	if (!rsec || !base->data || base->size % t->entsize)
		return;
	n = base->size / t->entsize;
	owner = calloc(n ? n : 1, sizeof(*owner));
	done = calloc(n ? n : 1, sizeof(*done));
	if (!owner || !done)
		fatal(opts.input, NULL);
	any = key_owners(t, rsec, n, owner);
	for (i = 0; any && i < n; i++) {
		Elf64_Shdr sh = {
			.sh_type = SHT_PROGBITS,
			.sh_flags = SHF_ALLOC | SHF_WRITE,
			.sh_addralign = 8,
		};
		Elf64_Shdr rsh = {
			.sh_type = SHT_RELA,
			.sh_flags = SHF_INFO_LINK,
			.sh_link = patch->symtab->idx,
			.sh_addralign = 8,
			.sh_entsize = sizeof(Elf64_Rela),
		};
		struct section *dst, *drsec;
		char *name, *rname;

		/*
		 * The first entry of each object makes the object's table;
		 * a patch has few objects, so @done is short.
		 */
		if (!owner[i])
			continue;
		for (k = 0; k < nr_done; k++)
			if (!strcmp(done[k], owner[i]))
				break;
		if (k < nr_done)
			continue;
		done[nr_done++] = owner[i];
		if (asprintf(&name, "%s%s", t->prefix, owner[i]) < 0 ||
		    asprintf(&rname, ".rela%s", name) < 0)
			fatal(opts.input, NULL);
		if (find_section_by_name(patch, name))
			error_at(opts.input, name, "the patch has this section already");
		dst = elf_add_section(patch, name, &sh);
		if (!dst)
			fatal(opts.input, NULL);
		rsh.sh_info = dst->idx;
		drsec = elf_add_section(patch, rname, &rsh);
		if (!drsec)
			fatal(opts.input, NULL);
		free(name);
		free(rname);
		copy_entries(t, base, rsec, owner, n, owner[i], dst, drsec);
		if (opts.verbose)
			printf("%s: %lu %s entries -> %s\n", opts.input,
			       dst->size / t->entsize, t->loader, dst->name);
	}
	if (any)
		copy_entries(t, base, rsec, owner, n, NULL, base, rsec);
	free(done);
	free(owner);
}

static void move_key_entries(void)
{
	unsigned int i;

	for (i = 0; i < KLP_KEY_KINDS; i++)
		move_key_table(&klp_key_kinds[i]);
}

/* The .klp.rela section for @obj's entries into @base: made, or reused. */
static struct section *klp_section(const char *obj, struct section *base,
				   struct section ***made, unsigned int *nr_made)
{
	Elf64_Shdr sh = {
		.sh_type = SHT_RELA,
		.sh_flags = SHF_ALLOC | SHF_INFO_LINK | SHF_RELA_LIVEPATCH,
		.sh_link = patch->symtab->idx,
		.sh_info = base->idx,
		.sh_addralign = 8,
		.sh_entsize = sizeof(Elf64_Rela),
	};
	struct section *sec, **grown;
	unsigned int i;
	char *name;

	if (asprintf(&name, KLP_RELA_PREFIX "%s.%s", obj, base->name) < 0)
		fatal(opts.input, NULL);
	for (i = 0; i < *nr_made; i++) {
		if (!strcmp((*made)[i]->name, name)) {
			free(name);
			return (*made)[i];
		}
	}
	sec = find_section_by_name(patch, name);
	if (!sec || !klp_rela_flagged(sec) || sec->sh.sh_info != base->idx)
		sec = elf_add_section(patch, name, &sh);
	free(name);
	grown = realloc(*made, (*nr_made + 1) * sizeof(**made));
	if (!sec || !grown)
		fatal(opts.input, NULL);
	*made = grown;
	(*made)[(*nr_made)++] = sec;
	return sec;
}

static void append_rela(struct section *sec, const Elf64_Rela *r)
{
	char *buf = malloc(sec->size + sizeof(*r));

	if (!buf)
		fatal(opts.input, NULL);
	if (sec->size)
		memcpy(buf, sec->data, sec->size);
	memcpy(buf + sec->size, r, sizeof(*r));
	section_set_data(sec, buf, sec->size + sizeof(*r));
}

/*
 * Move each relocation against a converted symbol from the loader's
 * sections to its .klp.rela section (which the loader leaves alone).
 */
static void move_relocations(void)
{
	struct section **made = NULL, *sec, *base;
	unsigned int j, nr_made = 0;

	for_each_loader_rela(patch, sec, base) {
		Elf64_Rela r, *keep;
		unsigned int n = 0;

		keep = malloc(rela_count(sec) * sizeof(*keep) + 1);
		if (!keep)
			fatal(opts.input, NULL);
		for_each_rela(sec, j, &r) {
			const struct decision *d = decision_of(ELF64_R_SYM(r.r_info));

			if (d)
				append_rela(klp_section(d->obj, base, &made, &nr_made), &r);
			else
				keep[n++] = r;
		}
		section_set_data(sec, keep, n * sizeof(*keep));
	}
	free(made);
}

static void rename_symbols(void)
{
	unsigned int i;

	for (i = 1; i < patch->nr_symbols; i++) {
		struct symbol *sym = &patch->symbols[i];
		const struct decision *d = decision_of(i);
		char *name;

		if (!d)
			continue;
		if (d->named) {
			sym->sym.st_shndx = SHN_LIVEPATCH;
			continue;
		}
		if (asprintf(&name, KLP_SYM_PREFIX "%s.%s,%u", d->obj, sym->name,
			     d->pos) < 0)
			fatal(opts.input, NULL);
		if (opts.verbose)
			printf("%s: %s -> %s\n", opts.input, sym->name, name);
		if (elf_rename_symbol(patch, sym, name)) {
			free(name);
			fatal(opts.input, NULL);
		}
		free(name);
		sym->sym.st_shndx = SHN_LIVEPATCH;
		sym->sym.st_info = ELF64_ST_INFO(STB_GLOBAL, ELF64_ST_TYPE(sym->sym.st_info));
	}
}

static int part_cmp(const struct klp_name_part *x, const struct klp_name_part *y)
{
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/*
 * The kernel takes an object's .klp.sym symbols in symtab order and sorts
 * them by (name, sympos) unless they already come so: write them so, each
 * object's together, after the other globals (whose order stays).
 */
static int klp_sym_order(const struct symbol *a, const struct symbol *b)
{
	struct klp_sym_name x = {}, y = {};
	bool ka = a->sym.st_shndx == SHN_LIVEPATCH &&
		  !klp_parse_sym_name(a->name, &x);
	bool kb = b->sym.st_shndx == SHN_LIVEPATCH &&
		  !klp_parse_sym_name(b->name, &y);
	int c;

	if (!ka || !kb)
		return ka - kb;
	c = part_cmp(&x.obj, &y.obj);
	if (!c)
		c = part_cmp(&x.name, &y.name);
	if (!c && x.sympos != y.sympos)
		c = x.sympos < y.sympos ? -1 : 1;
	return c;
}

/* The annotations have done their job: drop them and their section symbol. */
static void strip_annotations(void)
{
	struct section *sec = find_section_by_name(patch, ANNOTATIONS), *rs;
	unsigned int i;

	if (!sec)
		return;
	sec->removed = true;
	for (i = 1; i < patch->nr_symbols; i++)
		if (patch->symbols[i].sec == sec)
			patch->symbols[i].removed = true;
	for_each_rela_section(patch, rs)
		if (rs->sh.sh_info == sec->idx)
			rs->removed = true;
}

/* No relocation that stays may use a symbol that is stripped. */
static void check_stripped(void)
{
	const struct symbol *sym;
	struct section *rs;
	unsigned int j;
	Elf64_Rela r;

	for_each_rela_section(patch, rs) {
		for_each_rela(rs, j, &r) {
			sym = find_symbol_by_index(patch, ELF64_R_SYM(r.r_info));
			if (sym && sym->removed) {
				error_at(opts.input, sec_where(rs, j),
					 "symbol '%s' is in %s, which klp-convert removes",
					 sym->name,
					 sym->sec ? sym->sec->name : "a removed section");
				break;
			}
		}
	}
}

/*
 * A COMDAT group is known by its signature symbol, which must outlive what
 * is stripped.
 */
static void check_groups(void)
{
	const struct symbol *sig;
	unsigned int i;

	for (i = 1; i < patch->nr_sections; i++) {
		sig = group_signature(patch, patch->sections[i]);
		if (!patch->sections[i]->removed && sig && sig->removed)
			error_at(opts.input, sec_where(patch->sections[i], -1),
				 "the group's signature symbol '%s' is in %s, which klp-convert removes; sign the group with a symbol of its own",
				 sig->name, sig->sec ? sig->sec->name : "a removed section");
	}
}

/*
 * A module that needs no klp relocation, or is in the format already, is
 * left as it is.
 */
static bool nothing_to_do(void)
{
	struct section *sec, *base;
	unsigned int i, j;
	Elf64_Rela r;

	for (i = 1; i < patch->nr_symbols; i++)
		if (decisions[i].obj &&
		    patch->symbols[i].sym.st_shndx != SHN_LIVEPATCH)
			return false;
	for (i = 1; i < patch->nr_sections; i++)
		if (is_module_relocs(patch->sections[i]))
			return false;
	for_each_loader_rela(patch, sec, base)
		for_each_rela(sec, j, &r)
			if (decision_of(ELF64_R_SYM(r.r_info)))
				return false;
	return !find_section_by_name(patch, ANNOTATIONS);
}

/*
 * Rewriting a module drops what sign-file appended, and the kernel would
 * take it as unsigned: refused under module.sig_enforce or Secure Boot.
 */
static bool input_signed(void)
{
	const unsigned char *buf;
	size_t len;

	buf = elf_image(patch, &len);
	return buf && module_signed(buf, len);
}

int main(int argc, char **argv)
{
	bool unchanged, was_signed;

	atexit(release);
	parse_args(argc, argv);
	open_patch();
	was_signed = input_signed();
	if (!check_livepatch())
		return 0;
	check_structure();
	read_annotations();
	read_module_relocs();
	load_sources();

	decide_all();
	check_types();
	move_key_entries();
	check_early_sections();
	if (nr_errors)
		not_converted();

	unchanged = nothing_to_do();
	move_relocations();
	rename_symbols();
	strip_annotations();
	check_stripped();
	check_groups();
	if (nr_errors)
		not_converted();
	if (klp_check_rules(patch, opts.input, NULL, NULL))
		not_converted();
	if (!unchanged || strcmp(opts.input, opts.output)) {
		patch->sym_order = klp_sym_order;
		if (elf_write(patch, opts.output)) {
			fprintf(stderr, "klp-convert: %s: cannot write: %s\n",
				opts.output, patch->err ?: elf_errmsg(-1));
			return EXIT_USAGE;
		}
		if (was_signed)
			fprintf(stderr,
				"klp-convert: %s: warning: written without the input's module signature: sign it again with scripts/sign-file (Debian: package linux-kbuild-<version>) and your MOK key\n",
				opts.output);
	}
	return 0;
}
