/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small vocabulary over libelf for the klp tools: an x86_64 ELF64
 * relocatable object read into arrays of sections, symbols and relocations,
 * edited in memory, and written out whole.
 *
 * Reading never trusts the file: every index, offset and string is checked
 * before use, so klp-check can be pointed at anything.
 */
#ifndef _KLP_ELF_H
#define _KLP_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <libelf.h>
#include <elf.h>

struct section {
	unsigned int idx;
	const char *name;	/* "" when sh_name is not a valid string */
	char *name_buf;		/* @name, when it is ours rather than the file's */
	Elf64_Shdr sh;
	void *data;		/* sh_size bytes; NULL for SHT_NOBITS or unreadable */
	size_t size;		/* bytes available at @data */
	bool owned;		/* @data was allocated by us */
	bool removed;		/* left out by elf_write() */
	unsigned int new_idx;
};

struct symbol {
	unsigned int idx;
	const char *name;	/* "" when st_name is not a valid string */
	char *name_buf;		/* @name, when it is ours rather than the file's */
	Elf64_Sym sym;
	struct section *sec;	/* NULL unless st_shndx is a real section */
	bool removed;
	unsigned int new_idx;
};

struct elf {
	const char *name;
	int fd;
	Elf *elf;
	Elf64_Ehdr ehdr;
	unsigned char ident[EI_NIDENT];	/* e_ident as the file has it */
	void *copy;		/* a private mapping libelf reads, if any */
	size_t copy_size;
	struct section **sections;	/* by index; [0] is the null section */
	unsigned int nr_sections;
	struct section *shstrtab;
	struct section *symtab;	/* NULL if the object has none */
	unsigned int symtab_idx; /* the loader's: the first SHT_SYMTAB, or 0 */
	struct section *strtab;
	struct symbol *symbols;
	unsigned int nr_symbols;
	/* If set, elf_write() puts the globals in this order (locals first). */
	int (*sym_order)(const struct symbol *a, const struct symbol *b);
	char *err;		/* why elf_open() failed */
};

struct elf *elf_open(const char *name);
void elf_close(struct elf *elf);
const unsigned char *elf_image(const struct elf *elf, size_t *len);
int elf_write(struct elf *elf, const char *path);

struct section *find_section_by_name(const struct elf *elf, const char *name);
struct section *find_alloc_section(const struct elf *elf, const char *name);
struct section *find_section_by_index(const struct elf *elf, unsigned int idx);
struct symbol *find_symbol_by_index(const struct elf *elf, unsigned int idx);

/* An SHT_GROUP section's signature symbol, if it names one of ours. */
struct symbol *group_signature(const struct elf *elf, const struct section *sec);

/* Relocations of an SHT_RELA section, read and written by value. */
unsigned int rela_count(const struct section *sec);
bool rela_get(const struct section *sec, unsigned int i, Elf64_Rela *rela);

/* Where the walks of the for_each_ macros below are, and what they set. */
struct rela_walk {
	const struct section *of;
	unsigned int *index;
	Elf64_Rela *copy;
	bool started;
};

struct rela_section_walk {
	const struct elf *in;
	struct section **cur;
	unsigned int next;	/* the index to look at next; 0 before the first */
};

bool rela_walk_next(struct rela_walk *w);
bool rela_section_walk_next(struct rela_section_walk *w);

/* Each entry of SHT_RELA section @sec: its index in @i, a copy in *@r. */
#define for_each_rela(sec, i, r)					\
	for (struct rela_walk rela_walk_ = {				\
		.of = (sec), .index = &(i), .copy = (r) };		\
	     rela_walk_next(&rela_walk_);)

/* Each SHT_RELA section that elf_write() keeps, in index order. */
#define for_each_rela_section(elf, sec)					\
	for (struct rela_section_walk rsec_walk_ = {			\
		.in = (elf), .cur = &(sec) };				\
	     rela_section_walk_next(&rsec_walk_);)

const char *elf_string(const struct section *strsec, size_t off);
size_t elf_add_string(struct section *strsec, const char *str);
int section_set_data(struct section *sec, void *data, size_t size);
struct section *elf_add_section(struct elf *elf, const char *name,
				const Elf64_Shdr *sh);
int elf_rename_symbol(struct elf *elf, struct symbol *sym, const char *name);

/*
 * The .modinfo value of @key ("livepatch", "name", ...), or NULL; found as
 * the module loader finds it, in the first SHF_ALLOC .modinfo.
 */
const char *elf_modinfo(const struct elf *elf, const char *key);

#endif /* _KLP_ELF_H */
