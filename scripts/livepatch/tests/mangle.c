// SPDX-License-Identifier: GPL-2.0-only
/*
 * mangle: break one thing in an ELF object, in place, for klp-check's
 * tests.  It finds what to break through the tools' ELF layer and writes
 * raw bytes at their file offsets, so the result can be as wrong as a
 * fuzzer would make it.
 *
 *   mangle FILE ehdr class|data|type|machine|shentsize|shnum|shstrndx VALUE
 *   mangle FILE shdr SECTION type|flags|addr|offset|size|link|info|align|entsize VALUE
 *   mangle FILE rela SECTION INDEX sym|type|offset|addend VALUE
 *   mangle FILE sym NAME shndx|name VALUE
 *   mangle FILE str SECTION|NAME OLD NEW	(in place; NEW no longer than OLD)
 *   mangle FILE byte SECTION OFFSET VALUE
 *
 * A SECTION of the form #N is section N, whatever its name.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../elf.h"

static int fd;

static void die(const char *msg)
{
	fprintf(stderr, "mangle: %s\n", msg);
	exit(2);
}

static void put(off_t off, const void *buf, size_t len)
{
	if (pwrite(fd, buf, len, off) != (ssize_t)len)
		die("write failed");
}

static struct section *sec_named(struct elf *elf, const char *name)
{
	struct section *sec;

	if (name[0] == '#') {
		unsigned long i = strtoul(name + 1, NULL, 0);

		if (i >= elf->nr_sections)
			die("no such section");
		return elf->sections[i];
	}
	sec = find_section_by_name(elf, name);

	if (!sec)
		die("no such section");
	return sec;
}

struct field {
	const char *name;
	off_t off;
	size_t len;
};

static const struct field shdr_fields[] = {
	{ "type", offsetof(Elf64_Shdr, sh_type), 4 },
	{ "flags", offsetof(Elf64_Shdr, sh_flags), 8 },
	{ "addr", offsetof(Elf64_Shdr, sh_addr), 8 },
	{ "offset", offsetof(Elf64_Shdr, sh_offset), 8 },
	{ "size", offsetof(Elf64_Shdr, sh_size), 8 },
	{ "link", offsetof(Elf64_Shdr, sh_link), 4 },
	{ "info", offsetof(Elf64_Shdr, sh_info), 4 },
	{ "align", offsetof(Elf64_Shdr, sh_addralign), 8 },
	{ "entsize", offsetof(Elf64_Shdr, sh_entsize), 8 },
	{ }
};

static const struct field ehdr_fields[] = {
	{ "class", EI_CLASS, 1 },
	{ "data", EI_DATA, 1 },
	{ "type", offsetof(Elf64_Ehdr, e_type), 2 },
	{ "machine", offsetof(Elf64_Ehdr, e_machine), 2 },
	{ "shentsize", offsetof(Elf64_Ehdr, e_shentsize), 2 },
	{ "shnum", offsetof(Elf64_Ehdr, e_shnum), 2 },
	{ "shstrndx", offsetof(Elf64_Ehdr, e_shstrndx), 2 },
	{ }
};

/* Where field @f of a header is, and how wide. */
static off_t field_at(const struct field *fields, const char *f, size_t *len)
{
	for (; fields->name; fields++) {
		if (!strcmp(f, fields->name)) {
			*len = fields->len;
			return fields->off;
		}
	}
	die("unknown field");
	return 0;
}

/* Replace OLD by NEW inside section @sec's bytes, NUL-padding. */
static void replace_in(struct section *sec, const char *old, const char *new)
{
	char *p = memmem(sec->data, sec->size, old, strlen(old));
	char buf[512] = "";

	if (!p || strlen(new) > strlen(old) || strlen(old) >= sizeof(buf))
		die("string not found or too long");
	memcpy(buf, new, strlen(new));
	put(sec->sh.sh_offset + (p - (char *)sec->data), buf, strlen(old));
}

int main(int argc, char **argv)
{
	struct elf *elf;
	unsigned long long v;

	if (argc < 5)
		die("usage: see the source");
	elf = elf_open(argv[1]);
	if (!elf || elf->err)
		die("cannot read");
	fd = open(argv[1], O_RDWR);
	if (fd < 0)
		die("cannot open");
	v = strtoull(argv[argc - 1], NULL, 0);

	if (!strcmp(argv[2], "ehdr") && argc == 5) {
		size_t len;
		off_t off = field_at(ehdr_fields, argv[3], &len);

		put(off, &v, len);
	} else if (!strcmp(argv[2], "shdr") && argc == 6) {
		struct section *sec = sec_named(elf, argv[3]);
		off_t off = elf->ehdr.e_shoff + (off_t)sec->idx * sizeof(Elf64_Shdr);
		size_t len;

		off += field_at(shdr_fields, argv[4], &len);
		put(off, &v, len);
	} else if (!strcmp(argv[2], "rela") && argc == 7) {
		struct section *sec = sec_named(elf, argv[3]);
		off_t off = sec->sh.sh_offset + strtoul(argv[4], NULL, 0) * sizeof(Elf64_Rela);
		Elf64_Rela r;

		if (!rela_get(sec, strtoul(argv[4], NULL, 0), &r))
			die("no such relocation");
		if (!strcmp(argv[5], "sym"))
			r.r_info = ELF64_R_INFO(v, ELF64_R_TYPE(r.r_info));
		else if (!strcmp(argv[5], "type"))
			r.r_info = ELF64_R_INFO(ELF64_R_SYM(r.r_info), v);
		else if (!strcmp(argv[5], "addend"))
			r.r_addend = v;
		else
			r.r_offset = v;
		put(off, &r, sizeof(r));
	} else if (!strcmp(argv[2], "sym") && argc == 6) {
		unsigned int i;

		for (i = 1; i < elf->nr_symbols; i++)
			if (!strcmp(elf->symbols[i].name, argv[3]))
				break;
		if (i == elf->nr_symbols)
			die("no such symbol");
		if (!strcmp(argv[4], "shndx")) {
			unsigned short s = v;

			put(elf->symtab->sh.sh_offset + i * sizeof(Elf64_Sym) +
			    offsetof(Elf64_Sym, st_shndx), &s, 2);
		} else {
			unsigned int n = v;

			put(elf->symtab->sh.sh_offset + i * sizeof(Elf64_Sym) +
			    offsetof(Elf64_Sym, st_name), &n, 4);
		}
	} else if (!strcmp(argv[2], "str") && argc == 6) {
		replace_in(sec_named(elf, argv[3]), argv[4], argv[5]);
	} else if (!strcmp(argv[2], "byte") && argc == 6) {
		struct section *sec = sec_named(elf, argv[3]);
		unsigned char b = v;

		put(sec->sh.sh_offset + strtoul(argv[4], NULL, 0), &b, 1);
	} else {
		die("bad arguments");
	}
	close(fd);
	elf_close(elf);
	return 0;
}
