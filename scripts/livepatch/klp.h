/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the klp tools share beyond ELF: the format's rules, applied with
 * <linux/klp_rules.h> exactly as the kernel applies them; the symbol
 * sources that say where a name lives and at which sympos (vmlinux,
 * modules, a /proc/kallsyms dump); and the compiler-style diagnostics.
 */
#ifndef _KLP_H
#define _KLP_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "elf.h"
#include "../../include/linux/klp_format.h"

/* The kernel's names for the ELF class the tools read, for klp_rules.h. */
#define Elf_Ehdr	Elf64_Ehdr
#define Elf_Shdr	Elf64_Shdr
#define Elf_Sym		Elf64_Sym
#define Elf_Rela	Elf64_Rela
#define ELF_R_SYM(i)	ELF64_R_SYM(i)
#define ELF_R_TYPE(i)	ELF64_R_TYPE(i)
#define ELF_ST_TYPE(i)	ELF64_ST_TYPE(i)
#include "../../include/linux/klp_rules.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif

#define EXIT_PROBLEMS	1
#define EXIT_USAGE	2

int open_module(const char *tool, const char *path, struct elf **elfp);

/* What scripts/sign-file appends to a module (<linux/module_signature.h>). */
#define MODULE_SIG_STRING	"~Module signature appended~\n"

/* The @len bytes at @buf end in an appended module signature's marker. */
bool module_signed(const unsigned char *buf, size_t len);

/* The module has MODULE_INFO(livepatch, "Y"): it may carry the markers. */
bool is_livepatch_module(const struct elf *elf);
#define NOT_LIVEPATCH	"not a livepatch module: add MODULE_INFO(livepatch, \"Y\")"

/*
 * @sym is the module's struct module (THIS_MODULE).  The loader goes by
 * where a symbol is, not by its name: in a .ko, any symbol at the start
 * of .gnu.linkonce.this_module; in an object not yet linked with its
 * .mod.o, the undefined __this_module.
 */
static inline bool klp_is_struct_module(const struct symbol *sym)
{
	if (sym->sym.st_shndx == SHN_UNDEF)
		return !strcmp(sym->name, "__this_module");
	return sym->sec && !strcmp(sym->sec->name, ".gnu.linkonce.this_module") &&
	       !sym->sym.st_value;
}

/* @sec has the SHF_RELA_LIVEPATCH flag, whatever its name. */
static inline bool klp_rela_flagged(const struct section *sec)
{
	return sec->sh.sh_flags & SHF_RELA_LIVEPATCH;
}

/* @sec is named ".klp.rela.", whatever its flags. */
static inline bool klp_rela_named(const struct section *sec)
{
	return !strncmp(sec->name, KLP_RELA_PREFIX, strlen(KLP_RELA_PREFIX));
}

/* @sym is named ".klp.sym.", whatever its section index. */
static inline bool klp_sym_named(const struct symbol *sym)
{
	return !strncmp(sym->name, KLP_SYM_PREFIX, strlen(KLP_SYM_PREFIX));
}

/*
 * Does the module loader keep @sec in memory?  It is SHF_ALLOC, and not
 * one of the two whose SHF_ALLOC the loader clears (.modinfo, __versions);
 * or it is the symbol table or its string table, which the loader keeps.
 */
bool loader_alloc(const struct elf *elf, const struct section *sec);

/*
 * The relocation sections the module loader applies itself: kept SHT_RELA
 * sections without SHF_RELA_LIVEPATCH whose target (sh_info) is a kept
 * SHF_ALLOC section.  The target of @sec if it is one, else NULL.
 */
struct section *loader_rela_target(const struct elf *elf, const struct section *sec);

struct loader_rela_walk {
	struct rela_section_walk all;
	struct section **base;
};

bool loader_rela_walk_next(struct loader_rela_walk *w);

/* Each relocation section the loader applies, and its @target. */
#define for_each_loader_rela(elf, sec, target)				\
	for (struct loader_rela_walk lrela_walk_ = {			\
		.all = { .in = (elf), .cur = &(sec) }, .base = &(target) }; \
	     loader_rela_walk_next(&lrela_walk_);)

/*
 * The name of an x86_64 relocation type, for printing.  Which types a klp
 * relocation may use, and their widths, is klp_x86_64_rela_width()'s.
 */
const char *reloc_type_name(unsigned int type, char *buf, size_t len);
const char *reloc_type_desc(unsigned int type, char *buf, size_t len);

/* The types a klp relocation may use (that write bytes), for messages. */
const char *klp_reloc_types(void);

/* An entry klp_check_rules() accepted, and the bytes it writes. */
typedef void (*klp_entry_fn)(void *arg, const struct klp_rsec *rs,
			     unsigned int i, int width);

unsigned int klp_check_rules(const struct elf *elf, const char *file,
			     klp_entry_fn entry, void *arg);

/* One symbol of an object as kallsyms lists it. */
struct ksym {
	const char *name;
	unsigned long long addr;
	unsigned int order;	/* place in kallsyms order within the object */
	unsigned int pos;	/* 1-based among symbols of the same name */
	char type;		/* nm's letter (from its section, for a file's) */
	const char *file;	/* a local's source file (STT_FILE), or NULL */
};

/*
 * "#2 at 0xffffffff81000200 (fs/proc/cmdline.c)": @k's sympos, address
 * and, where the symbol source has it, source file; for messages, in @buf
 * of @len bytes (KSYM_WHERE_LEN will do).
 */
#define KSYM_WHERE_LEN	320
const char *ksym_where(const struct ksym *k, char *buf, size_t len);

/*
 * An object's symbols: vmlinux or one module, read from an ELF file or a
 * kallsyms dump.  @syms is sorted by name, then by kallsyms order, so the
 * symbols of one name are adjacent and in sympos order.
 */
struct symsrc {
	char *obj;
	const char *file;
	struct ksym *syms;
	unsigned int nr, max_syms;
	char **exports;		/* sorted names this object exports */
	unsigned int nr_exports, max_exports;
	char **gpl;		/* those of them that are GPL-only, sorted */
	unsigned int nr_gpl, max_gpl;
	struct elf *elf;	/* kept open: names point into it */
};

struct symsrc *symsrc_from_elf(const char *path, bool vmlinux, char **err);
struct symsrc *symsrc_from_system_map(const char *path, char **err);
int symsrc_from_kallsyms(const char *path, struct symsrc ***srcs,
			 unsigned int *nr, char **err);
int symsrc_add_symvers(struct symsrc *vmlinux, struct symsrc *modules,
		       const char *path, char **err);
const struct ksym *symsrc_lookup(const struct symsrc *src, const char *name,
				 unsigned int *count);
bool symsrc_exports(const struct symsrc *src, const char *name);
bool symsrc_exports_gpl(const struct symsrc *src, const char *name);
void symsrc_free(struct symsrc *src);

/*
 * The patch's description of itself, as the struct klp_patch given to
 * klp_enable_patch() holds it: its klp_object array, and each object's
 * klp_func array, read from the module's data and their relocations.
 * Strings point into the module's sections.
 */
struct klp_desc_func {
	const struct section *sec;	/* where the entry is */
	unsigned long long off;
	const char *old_name;		/* NULL for a NULL pointer */
	bool new_func;			/* new_func is not NULL */
	/* where new_func points, if the loader sets it to the module's own */
	const struct section *new_sec;
	unsigned long long new_off;
	unsigned long long old_sympos;
};

struct klp_desc_obj {
	const struct section *sec;	/* where the entry is */
	unsigned long long off;
	const char *name;		/* NULL for vmlinux */
	bool funcs;			/* funcs is not NULL */
	struct klp_desc_func *func;
	unsigned int nr_funcs;
};

struct klp_desc {
	const struct section *sec;	/* where the struct klp_patch is */
	unsigned long long off;
	struct klp_desc_obj *obj;
	unsigned int nr_objs;
	/* sizeof() of each struct, where an array showed it; else 0 */
	unsigned long long obj_size, func_size;
	char why[200];			/* KLP_DESC_UNSURE: why */
};

enum klp_desc_result {
	KLP_DESC_NONE,		/* no struct klp_patch in the data */
	KLP_DESC_UNSURE,	/* one, but its arrays cannot be told for sure */
	KLP_DESC_READ,
};

int klp_desc_read(const struct elf *elf, struct klp_desc *desc);
void klp_desc_free(struct klp_desc *desc);

/* The module name of a .ko or .o: modinfo "name", else the file name. */
char *module_name(const struct elf *elf, const char *path);

char *klp_part_dup(const struct klp_name_part *part);

/*
 * The two kinds of table of a module object's keys
 * (Documentation/livepatch/module-static-keys.rst): the loader's table an
 * entry comes from, the prefix of the object's own, what an entry is
 * called, its size, where its key field is and how wide.
 */
struct klp_key_kind {
	const char *loader, *prefix, *what;
	unsigned int entsize, key_off, width;
};

#define KLP_KEY_KINDS	2
extern const struct klp_key_kind klp_key_kinds[KLP_KEY_KINDS];
/* The kind of table section @name is, or NULL. */
const struct klp_key_kind *klp_key_kind_of(const char *name);

/*
 * The most bytes one block of module memory can have on the target:
 * x86_64's module space without KASLR (MODULES_VADDR to MODULES_END),
 * unless klp-check is told the target's memory.  klp_check_rules()
 * refuses a layout larger than this, as the loader's allocation would.
 */
#define KLP_MODULE_SPACE_SIZE	(0xffffffffff000000ULL - 0xffffffffa0000000ULL)
extern unsigned long long klp_mem_limit;

/* Diagnostics: "file: where: message", counted for the summary. */
extern unsigned int nr_errors, nr_warnings;
__printf(3, 4) void error_at(const char *file, const char *where, const char *fmt, ...);
__printf(3, 4) void warn_at(const char *file, const char *where, const char *fmt, ...);
const char *sec_where(const struct section *sec, long idx);

#endif /* _KLP_H */
