// SPDX-License-Identifier: GPL-2.0-only
/*
 * The klp tools' ELF layer: read an x86_64 relocatable object through
 * libelf into plain arrays, let the tools edit those, and write the result
 * as a fresh file that libelf lays out.  Reading checks every index, offset
 * and string against the file, because klp-check reads untrusted input.
 */
#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf.h"

/* More sections than this is a broken file, not a module. */
#define MAX_SECTIONS	0x100000U

static void set_err(struct elf *elf, const char *fmt, ...)
{
	va_list ap;

	if (elf->err)
		return;
	va_start(ap, fmt);
	if (vasprintf(&elf->err, fmt, ap) < 0)
		elf->err = NULL;
	va_end(ap);
}

const char *elf_string(const struct section *strsec, size_t off)
{
	const char *s;

	if (!strsec || !strsec->data || off >= strsec->size)
		return NULL;
	s = (const char *)strsec->data + off;
	if (!memchr(s, '\0', strsec->size - off))
		return NULL;
	return s;
}

struct section *find_section_by_index(const struct elf *elf, unsigned int idx)
{
	if (!idx || idx >= elf->nr_sections)
		return NULL;
	return elf->sections[idx];
}

struct section *find_section_by_name(const struct elf *elf, const char *name)
{
	unsigned int i;

	for (i = 1; i < elf->nr_sections; i++)
		if (!elf->sections[i]->removed &&
		    !strcmp(elf->sections[i]->name, name))
			return elf->sections[i];
	return NULL;
}

/**
 * find_alloc_section() - a section as the module loader looks it up
 * @elf: the object
 * @name: the section's name
 *
 * The loader's find_sec() takes the first SHF_ALLOC section of a name and
 * ignores any other of that name.
 *
 * Return: that section, or NULL.
 */
struct section *find_alloc_section(const struct elf *elf, const char *name)
{
	unsigned int i;

	for (i = 1; i < elf->nr_sections; i++)
		if (!elf->sections[i]->removed &&
		    (elf->sections[i]->sh.sh_flags & SHF_ALLOC) &&
		    !strcmp(elf->sections[i]->name, name))
			return elf->sections[i];
	return NULL;
}

struct symbol *find_symbol_by_index(const struct elf *elf, unsigned int idx)
{
	if (idx >= elf->nr_symbols)
		return NULL;
	return &elf->symbols[idx];
}

unsigned int rela_count(const struct section *sec)
{
	if (sec->sh.sh_type != SHT_RELA || !sec->data)
		return 0;
	return sec->size / sizeof(Elf64_Rela);
}

bool rela_get(const struct section *sec, unsigned int i, Elf64_Rela *rela)
{
	if (i >= rela_count(sec))
		return false;
	memcpy(rela, (char *)sec->data + (size_t)i * sizeof(*rela), sizeof(*rela));
	return true;
}

bool rela_walk_next(struct rela_walk *w)
{
	if (w->started)
		(*w->index)++;
	else
		*w->index = 0;
	w->started = true;
	return rela_get(w->of, *w->index, w->copy);
}

bool rela_section_walk_next(struct rela_section_walk *w)
{
	const struct elf *elf = w->in;

	for (w->next = w->next ?: 1; w->next < elf->nr_sections; w->next++) {
		struct section *sec = elf->sections[w->next];

		if (!sec->removed && sec->sh.sh_type == SHT_RELA) {
			*w->cur = sec;
			w->next++;
			return true;
		}
	}
	return false;
}

/*
 * The loader reads a section's bytes at its offset whatever its type says
 * (a NOBITS section name table too), and whatever libelf thinks of them.
 * Its bytes are the file's, if it has them.
 */
static void image_data(struct elf *elf, struct section *sec)
{
	size_t len;
	const unsigned char *image = elf_image(elf, &len);

	if (image && sec->sh.sh_offset <= len && len - sec->sh.sh_offset >= sec->sh.sh_size) {
		sec->data = (void *)(image + sec->sh.sh_offset);
		sec->size = sec->sh.sh_size;
	}
}

static int read_sections(struct elf *elf)
{
	size_t nr, shstrndx, i;

	if (elf_getshdrnum(elf->elf, &nr) || elf_getshdrstrndx(elf->elf, &shstrndx)) {
		set_err(elf, "bad section header table: %s", elf_errmsg(-1));
		return -1;
	}
	if (!nr || nr > MAX_SECTIONS) {
		set_err(elf, "%zu sections", nr);
		return -1;
	}
	elf->sections = calloc(nr, sizeof(*elf->sections));
	if (!elf->sections)
		return -1;
	elf->nr_sections = nr;

	for (i = 0; i < nr; i++) {
		struct section *sec = calloc(1, sizeof(*sec));
		Elf_Scn *scn = elf_getscn(elf->elf, i);
		Elf64_Shdr *sh = scn ? elf64_getshdr(scn) : NULL;
		Elf_Data *d;

		if (!sec)
			return -1;
		elf->sections[i] = sec;
		sec->idx = i;
		sec->new_idx = i;
		sec->name = "";
		if (!sh) {
			set_err(elf, "section %zu: unreadable header", i);
			return -1;
		}
		/* libelf may hand out the file's own table at any offset */
		memcpy(&sec->sh, sh, sizeof(sec->sh));
		if (!i || sec->sh.sh_type == SHT_NOBITS || !sec->sh.sh_size)
			continue;
		d = elf_rawdata(scn, NULL);
		if (d && d->d_buf && d->d_size == sec->sh.sh_size) {
			sec->data = d->d_buf;
			sec->size = d->d_size;
		} else {
			/*
			 * libelf refuses some (a symbol table that is not a
			 * whole number of entries); the loader reads them.
			 */
			image_data(elf, sec);
		}
	}

	elf->shstrtab = find_section_by_index(elf, shstrndx);
	if (elf->shstrtab && elf->shstrtab->sh.sh_type == SHT_NOBITS)
		image_data(elf, elf->shstrtab);
	for (i = 1; i < nr; i++) {
		const char *name = elf_string(elf->shstrtab, elf->sections[i]->sh.sh_name);

		elf->sections[i]->name = name ? name : "";
	}
	return 0;
}

static int read_symbols(struct elf *elf)
{
	struct section *symtab = NULL;
	unsigned int i;

	for (i = 1; i < elf->nr_sections; i++) {
		if (elf->sections[i]->sh.sh_type == SHT_SYMTAB) {
			symtab = elf->sections[i];
			break;
		}
	}
	if (!symtab)
		return 0;
	elf->symtab_idx = symtab->idx;
	if (!symtab->data)
		return 0;
	elf->symtab = symtab;
	elf->strtab = find_section_by_index(elf, symtab->sh.sh_link);
	elf->nr_symbols = symtab->size / sizeof(Elf64_Sym);
	elf->symbols = calloc(elf->nr_symbols ?: 1, sizeof(*elf->symbols));
	if (!elf->symbols)
		return -1;

	for (i = 0; i < elf->nr_symbols; i++) {
		struct symbol *sym = &elf->symbols[i];
		const char *name;

		memcpy(&sym->sym, (char *)symtab->data + (size_t)i * sizeof(Elf64_Sym),
		       sizeof(Elf64_Sym));
		sym->idx = i;
		sym->new_idx = i;
		name = elf_string(elf->strtab, sym->sym.st_name);
		sym->name = name ? name : "";
		if (sym->sym.st_shndx < SHN_LORESERVE)
			sym->sec = find_section_by_index(elf, sym->sym.st_shndx);
	}
	return 0;
}

/*
 * The module loader reads neither e_ident[EI_CLASS], [EI_DATA] nor
 * [EI_VERSION]: it takes every module for an object of its own class and
 * byte order.  libelf believes them, so a file that says otherwise is read
 * from a private copy that says ELF64, little-endian, current version, as
 * the loader takes it; @elf->ident keeps what the file says.
 */
static Elf *begin(struct elf *elf, size_t size)
{
	unsigned char *map;

	if (pread(elf->fd, elf->ident, EI_NIDENT, 0) != EI_NIDENT ||
	    memcmp(elf->ident, ELFMAG, SELFMAG) ||
	    (elf->ident[EI_CLASS] == ELFCLASS64 &&
	     elf->ident[EI_DATA] == ELFDATA2LSB &&
	     elf->ident[EI_VERSION] == EV_CURRENT))
		return elf_begin(elf->fd, ELF_C_READ_MMAP, NULL);
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, elf->fd, 0);
	if (map == MAP_FAILED)
		return NULL;
	elf->copy = map;
	elf->copy_size = size;
	map[EI_CLASS] = ELFCLASS64;
	map[EI_DATA] = ELFDATA2LSB;
	map[EI_VERSION] = EV_CURRENT;
	return elf_memory((char *)map, size);
}

struct elf *elf_open(const char *name)
{
	struct elf *elf = calloc(1, sizeof(*elf));
	Elf64_Ehdr *eh;
	struct stat st;

	if (!elf)
		return NULL;
	elf->name = name;
	elf->fd = open(name, O_RDONLY);
	if (elf->fd >= 0 && fstat(elf->fd, &st)) {
		close(elf->fd);
		elf->fd = -1;
	} else if (elf->fd >= 0 && !S_ISREG(st.st_mode)) {
		/* An I/O error for the caller (fd < 0), not bad input. */
		close(elf->fd);
		elf->fd = -1;
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	}
	if (elf->fd < 0) {
		set_err(elf, "%s", strerror(errno));
		return elf;
	}
	elf_version(EV_CURRENT);
	elf->elf = begin(elf, st.st_size);
	if (!elf->elf || elf_kind(elf->elf) != ELF_K_ELF) {
		set_err(elf, "not an ELF file");
		return elf;
	}
	eh = elf64_getehdr(elf->elf);
	if (!eh || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64) {
		set_err(elf, "not an x86_64 ELF64 object");
		return elf;
	}
	elf->ehdr = *eh;
	if (read_sections(elf) || read_symbols(elf))
		set_err(elf, "out of memory");
	return elf;
}

/**
 * elf_image() - the bytes of the file
 * @elf: an object elf_open() returned, read or not
 * @len: set to their number
 *
 * What the module loader is handed, but for the e_ident bytes begin()
 * mends.  Valid until elf_close().
 *
 * Return: the bytes, or NULL if the file could not be mapped.
 */
const unsigned char *elf_image(const struct elf *elf, size_t *len)
{
	const char *p = elf->elf ? elf_rawfile(elf->elf, len) : NULL;

	return (const unsigned char *)p;
}

void elf_close(struct elf *elf)
{
	unsigned int i;

	if (!elf)
		return;
	for (i = 0; i < elf->nr_sections; i++) {
		if (!elf->sections[i])
			continue;
		if (elf->sections[i]->owned)
			free(elf->sections[i]->data);
		free(elf->sections[i]->name_buf);
		free(elf->sections[i]);
	}
	for (i = 0; i < elf->nr_symbols; i++)
		free(elf->symbols[i].name_buf);
	free(elf->sections);
	free(elf->symbols);
	if (elf->elf)
		elf_end(elf->elf);
	if (elf->copy)
		munmap(elf->copy, elf->copy_size);
	if (elf->fd >= 0)
		close(elf->fd);
	free(elf->err);
	free(elf);
}

int section_set_data(struct section *sec, void *data, size_t size)
{
	if (sec->owned)
		free(sec->data);
	sec->data = data;
	sec->size = size;
	sec->sh.sh_size = size;
	sec->owned = true;
	return 0;
}

/* Append @str to a string table; returns its offset, or 0 on failure. */
size_t elf_add_string(struct section *strsec, const char *str)
{
	size_t len = strlen(str) + 1, off = strsec->size;
	char *buf = malloc(off + len);

	if (!buf)
		return 0;
	if (off)
		memcpy(buf, strsec->data, off);
	memcpy(buf + off, str, len);
	section_set_data(strsec, buf, off + len);
	return off;
}

struct section *elf_add_section(struct elf *elf, const char *name,
				const Elf64_Shdr *sh)
{
	struct section **secs, *sec;
	size_t off;

	secs = realloc(elf->sections, (elf->nr_sections + 1) * sizeof(*secs));
	if (!secs)
		return NULL;
	elf->sections = secs;
	sec = calloc(1, sizeof(*sec));
	if (!sec)
		return NULL;
	/* The string table moves as it grows: the name is kept apart. */
	sec->name_buf = strdup(name);
	off = sec->name_buf ? elf_add_string(elf->shstrtab, name) : 0;
	if (!off) {
		free(sec->name_buf);
		free(sec);
		return NULL;
	}
	sec->name = sec->name_buf;
	sec->sh = *sh;
	sec->sh.sh_name = off;
	sec->sh.sh_size = 0;
	sec->idx = elf->nr_sections;
	sec->new_idx = sec->idx;
	secs[elf->nr_sections++] = sec;
	return sec;
}

/* Give @sym a new name, added to the symbol string table. */
int elf_rename_symbol(struct elf *elf, struct symbol *sym, const char *name)
{
	char *buf = strdup(name);
	size_t off = buf ? elf_add_string(elf->strtab, name) : 0;

	if (!off) {
		free(buf);
		return -1;
	}
	free(sym->name_buf);
	sym->name_buf = buf;
	sym->name = buf;
	sym->sym.st_name = off;
	return 0;
}

const char *elf_modinfo(const struct elf *elf, const char *key)
{
	struct section *sec = find_alloc_section(elf, ".modinfo");
	size_t klen = strlen(key), off = 0;
	const char *s;

	if (!sec || !sec->data)
		return NULL;
	while (off < sec->size) {
		s = elf_string(sec, off);
		if (!s)
			return NULL;
		if (!strncmp(s, key, klen) && s[klen] == '=')
			return s + klen + 1;
		off += strlen(s) + 1;
	}
	return NULL;
}

/*
 * With a symbol order set, give the kept globals, from symbol @first on,
 * their indices in that order (ties in their index order); the locals keep
 * theirs, first.  Return: 0, or -1 with the reason set.
 */
static int (*order_cmp)(const struct symbol *a, const struct symbol *b);

static int order_globals_cmp(const void *a, const void *b)
{
	const struct symbol *x = *(const struct symbol * const *)a;
	const struct symbol *y = *(const struct symbol * const *)b;
	int c = order_cmp(x, y);

	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int order_globals(struct elf *elf, unsigned int first)
{
	struct symbol **order;
	unsigned int i, n = 0, base;

	if (!elf->sym_order)
		return 0;
	/* Extended section indices go by symbol index: leave them be. */
	for (i = 1; i < elf->nr_sections; i++)
		if (elf->sections[i]->sh.sh_type == SHT_SYMTAB_SHNDX)
			return 0;
	order = malloc((elf->nr_symbols - first) * sizeof(*order));
	if (!order) {
		set_err(elf, "out of memory");
		return -1;
	}
	for (i = first; i < elf->nr_symbols; i++)
		if (!elf->symbols[i].removed)
			order[n++] = &elf->symbols[i];
	base = order[0]->new_idx;
	order_cmp = elf->sym_order;
	qsort(order, n, sizeof(*order), order_globals_cmp);
	for (i = 0; i < n; i++)
		order[i]->new_idx = base + i;
	free(order);
	return 0;
}

/* Give kept sections and symbols their output indices. */
static int renumber(struct elf *elf)
{
	unsigned int i, n = 1, first = 0;
	bool global_seen = false;

	for (i = 1; i < elf->nr_sections; i++)
		if (!elf->sections[i]->removed)
			elf->sections[i]->new_idx = n++;
	if (n >= SHN_LORESERVE) {
		set_err(elf, "%u sections: too many", n);
		return -1;
	}

	for (n = 0, i = 0; i < elf->nr_symbols; i++) {
		struct symbol *sym = &elf->symbols[i];

		if (sym->removed)
			continue;
		if (sym->sec && sym->sec->removed) {
			set_err(elf, "symbol %u is in a removed section", i);
			return -1;
		}
		if (ELF64_ST_BIND(sym->sym.st_info) == STB_LOCAL) {
			if (global_seen) {
				set_err(elf, "symbol %u: a local after a global", i);
				return -1;
			}
			elf->symtab->sh.sh_info = n + 1;
		} else if (!global_seen) {
			global_seen = true;
			first = i;
		}
		sym->new_idx = n++;
	}
	if (global_seen && order_globals(elf, first))
		return -1;

	for (i = 1; i < elf->nr_sections; i++) {
		struct section *sec = elf->sections[i];
		struct symbol *sig = group_signature(elf, sec);

		if (!sec->removed && sig && sig->removed) {
			set_err(elf, "%s: the group's signature symbol '%s' is removed",
				sec->name, sig->name);
			return -1;
		}
	}
	return 0;
}

static unsigned int new_section_index(const struct elf *elf, unsigned int idx)
{
	struct section *sec = find_section_by_index(elf, idx);

	return sec ? sec->new_idx : idx;
}

struct symbol *group_signature(const struct elf *elf, const struct section *sec)
{
	if (sec->sh.sh_type != SHT_GROUP || !elf->symtab ||
	    sec->sh.sh_link != elf->symtab->idx)
		return NULL;
	return find_symbol_by_index(elf, sec->sh.sh_info);
}

/*
 * A group's members are section indices, after a flag word; members that
 * are left out leave the group.
 */
static int remap_group(struct elf *elf, struct section *sec)
{
	unsigned int i, n = 1, nr = sec->size / sizeof(Elf32_Word);
	Elf32_Word *words;

	if (!sec->data || !nr)
		return 0;
	words = malloc(nr * sizeof(*words));
	if (!words)
		return -1;
	memcpy(words, sec->data, nr * sizeof(*words));
	for (i = 1; i < nr; i++) {
		struct section *member = find_section_by_index(elf, words[i]);

		if (!member || !member->removed)
			words[n++] = new_section_index(elf, words[i]);
	}
	section_set_data(sec, words, n * sizeof(*words));
	return 0;
}

/* Rewrite the symtab and every relocation for the new indices. */
static int remap(struct elf *elf)
{
	unsigned int i, j, n = 0;
	struct section *sec;
	Elf64_Sym *syms;

	if (!elf->symtab)
		return 0;
	syms = calloc(elf->nr_symbols ?: 1, sizeof(*syms));
	if (!syms)
		return -1;
	for (i = 0; i < elf->nr_symbols; i++) {
		struct symbol *sym = &elf->symbols[i];

		if (sym->removed)
			continue;
		syms[sym->new_idx] = sym->sym;
		if (sym->sec)
			syms[sym->new_idx].st_shndx = sym->sec->new_idx;
		n++;
	}
	section_set_data(elf->symtab, syms, n * sizeof(*syms));

	for (i = 1; i < elf->nr_sections; i++) {
		sec = elf->sections[i];
		if (!sec->removed && sec->sh.sh_type == SHT_GROUP &&
		    remap_group(elf, sec))
			return -1;
	}
	for_each_rela_section(elf, sec) {
		Elf64_Rela r, *relas;

		relas = malloc(rela_count(sec) * sizeof(*relas) ?: 1);
		if (!relas)
			return -1;
		for_each_rela(sec, j, &r) {
			struct symbol *sym = find_symbol_by_index(elf, ELF64_R_SYM(r.r_info));

			if (!sym || sym->removed) {
				set_err(elf, "%s[%u]: no symbol %llu", sec->name, j,
					(unsigned long long)ELF64_R_SYM(r.r_info));
				free(relas);
				return -1;
			}
			r.r_info = ELF64_R_INFO(sym->new_idx, ELF64_R_TYPE(r.r_info));
			relas[j] = r;
		}
		section_set_data(sec, relas, j * sizeof(*relas));
	}
	return 0;
}

static int write_sections(struct elf *elf, Elf *out)
{
	unsigned int i;

	for (i = 1; i < elf->nr_sections; i++) {
		struct section *sec = elf->sections[i];
		Elf_Scn *scn;
		Elf64_Shdr *sh;
		Elf_Data *d;

		if (sec->removed)
			continue;
		scn = elf_newscn(out);
		sh = scn ? elf64_getshdr(scn) : NULL;
		d = scn ? elf_newdata(scn) : NULL;
		if (!sh || !d)
			return -1;
		*sh = sec->sh;
		sh->sh_offset = 0;
		sh->sh_link = new_section_index(elf, sec->sh.sh_link);
		if (sec->sh.sh_type == SHT_RELA || sec->sh.sh_type == SHT_REL ||
		    (sec->sh.sh_flags & SHF_INFO_LINK))
			sh->sh_info = new_section_index(elf, sec->sh.sh_info);
		else if (group_signature(elf, sec))
			sh->sh_info = group_signature(elf, sec)->new_idx;
		d->d_type = ELF_T_BYTE;
		d->d_version = EV_CURRENT;
		d->d_align = sec->sh.sh_addralign ?: 1;
		if (sec->sh.sh_type == SHT_NOBITS) {
			d->d_buf = NULL;
			d->d_size = sec->sh.sh_size;
		} else {
			d->d_buf = sec->data;
			d->d_size = sec->size;
		}
	}
	return 0;
}

/*
 * Write the object to @path, leaving out removed sections and symbols.  The
 * file is written beside @path and renamed over it, so a failure leaves
 * @path as it was.
 */
int elf_write(struct elf *elf, const char *path)
{
	char *tmp = NULL;
	Elf64_Ehdr *eh;
	Elf *out = NULL;
	int fd = -1, ret = -1;

	if (renumber(elf) || remap(elf))
		return -1;
	if (asprintf(&tmp, "%s.klp-tmp", path) < 0)
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		set_err(elf, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	out = elf_begin(fd, ELF_C_WRITE, NULL);
	eh = out ? elf64_newehdr(out) : NULL;
	if (!eh) {
		set_err(elf, "%s", elf_errmsg(-1));
		goto out;
	}
	memcpy(eh->e_ident, elf->ehdr.e_ident, EI_NIDENT);
	eh->e_type = elf->ehdr.e_type;
	eh->e_machine = elf->ehdr.e_machine;
	eh->e_version = elf->ehdr.e_version;
	eh->e_flags = elf->ehdr.e_flags;
	if (write_sections(elf, out)) {
		set_err(elf, "%s", elf_errmsg(-1));
		goto out;
	}
	eh->e_shstrndx = elf->shstrtab->new_idx;
	elf_flagehdr(out, ELF_C_SET, ELF_F_DIRTY);
	if (elf_update(out, ELF_C_WRITE) < 0) {
		set_err(elf, "%s", elf_errmsg(-1));
		goto out;
	}
	if (rename(tmp, path)) {
		set_err(elf, "cannot rename %s to %s: %s", tmp, path,
			strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (out)
		elf_end(out);
	if (fd >= 0)
		close(fd);
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}
