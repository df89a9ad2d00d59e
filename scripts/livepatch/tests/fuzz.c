// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz: feed a klp tool broken copies of good objects and require that it
 * only ever answers 0, 1 or 2, the exit statuses the tools promise.
 *
 *   fuzz [-n COUNT] [-s SEED] [-r FIRST] [-d DIR] [-m MAX] [-o]
 *        INPUT... -- TOOL [ARG]...
 *   fuzz -w [-n COUNT] [-s SEED] [-r FIRST] [-d DIR] INPUT...
 *
 * Round r (FIRST <= r < FIRST + COUNT) copies INPUT number r % #INPUTs to
 * DIR/in, breaks it with one to four mutations drawn from a generator
 * seeded by SEED and r alone, and runs TOOL with each "@in" argument
 * replaced by DIR/in and "@out" by DIR/out.  So any round can be replayed
 * by itself with -r.  The mutations aim at what a reader must bound.  Two
 * in five are blind to the livepatch format:
 *   shdr, ehdr, sym, rela  one field of any section header, of the ELF
 *                          header, of any symbol or relocation entry
 *   str                    a string table's bytes
 *   flip, truncate         bits anywhere, the file's length (always last)
 * The other three in five know where the format lives:
 *   klp-shdr     one field of the header of a .klp.rela section, of the
 *                section it patches, of the symtab, its strtab or the
 *                section name table
 *   klp-sym      one field of a .klp.sym symbol, or SHN_LIVEPATCH given to
 *                another symbol
 *   klp-rela     r_offset, r_info's symbol or type, or r_addend of an entry
 *                of a .klp.rela section
 *   klp-name     a .klp.sym or .klp.rela name rewritten in place and never
 *                longer, so that every string offset stays valid: its
 *                object, its symbol or section, its sympos, its dots
 *   order        two section headers swapped
 *   order-fixed  the same, with every section index renumbered to match:
 *                a correct reader sees the same module as before
 *   dup          a copy of a .klp.rela section's header appended, in a new
 *                section header table at the end of the file
 *   drop         one section header removed and the section indices
 *                renumbered; an index that named it is left to name the
 *                section that takes its place
 *   klp-flip     bits flipped in a .klp.rela section, a .klp.sym symbol or
 *                a klp name
 * An input with no klp sections, or no klp symbols, gets the blind kind
 * instead of the one it lacks the structure for (dup then copies any
 * section).
 *
 * A round fails when the tool dies by a signal (SIGALRM after 20 s for a
 * hang) or exits with a status above MAX (default 2); sanitizers are told
 * to exit with 99.  klp-convert, which only reads good symbol sources and
 * writes to a good directory, has no business exiting 2: -m 1.  With -o
 * the tool writes @out, which must then exist exactly when it exits 0,
 * with no temporary file beside it.  A failing round's input
 * and stderr are kept as DIR/fail-<r>.ko and .log.  Exit: 0 if every round
 * passed, 1 if one failed, 2 on usage or I/O error.
 *
 * With -w no tool runs: round r's mutant is written to DIR/m-<r>.ko (r in
 * six digits) and "r INPUT MUTATIONS" printed, MUTATIONS being the kinds
 * above joined by ',', for a runner that loads them elsewhere
 * (scripts/check/klp-fuzz.sh loads them into a kernel).
 */
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../../include/linux/klp_format.h"

#define MAX_INPUTS	16
#define MAX_STEPS	4
#define MAX_KLP		64
#define MAX_OBJS	16
#define TIMEOUT		20
#define GONE		(~0U)	/* where a dropped section is */
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

struct input {
	const char *path;
	unsigned char *buf;
	size_t len;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;	/* the section headers of the good file */
	unsigned int shnum;
	const Elf64_Shdr *symtab;
	unsigned int modinfo;	/* index of .modinfo, or 0 */
	unsigned int nr_relas;
	const Elf64_Shdr *relas[64];
	/* Where the livepatch format lives, by index in the good file: */
	unsigned int symtab_idx, strtab_idx, shstrndx;	/* 0 if none */
	unsigned int nr_klp;			/* .klp.rela sections */
	unsigned int klp[MAX_KLP];
	unsigned int klp_target[MAX_KLP];	/* their sh_info, 0 if no section */
	unsigned int nr_klp_syms;
	unsigned int *klp_syms;			/* symbols named .klp.sym.* */
};

/* The object names the inputs' klp names use, for klp-name to trade. */
static struct {
	const char *s;
	size_t len;
} objs[MAX_OBJS];
static unsigned int nr_objs;

static struct input inputs[MAX_INPUTS];
static unsigned int nr_inputs;
static unsigned long long rng;

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* splitmix64: small, good enough, and the same everywhere. */
static unsigned long long rnd(void)
{
	unsigned long long z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int below(unsigned int n)
{
	return n ? rnd() % n : 0;
}

static bool is_named(const struct input *in, const Elf64_Shdr *strtab,
		     unsigned long long off, const char *name)
{
	size_t n = strlen(name) + 1;

	return off < strtab->sh_size && strtab->sh_size - off >= n &&
	       !memcmp(in->buf + strtab->sh_offset + off, name, n);
}

/* Little-endian reads and writes that stay inside @len bytes. */
static unsigned long long get(const unsigned char *buf, size_t len, unsigned long long off,
			      unsigned int size)
{
	unsigned long long v = 0;

	if (off <= len && len - off >= size)
		memcpy(&v, buf + off, size);
	return v;
}

static void put(unsigned char *buf, size_t len, unsigned long long off, unsigned int size,
		unsigned long long v)
{
	if (off > len || len - off < size)
		return;
	memcpy(buf + off, &v, size);	/* little-endian host, as the files */
}

/* The string at @off of the good file's string table @tab, or NULL if unterminated. */
static const char *str_at(const struct input *in, unsigned int tab, unsigned long long off,
			  size_t *len)
{
	const Elf64_Shdr *s;
	const char *p;

	if (!tab || tab >= in->shnum)
		return NULL;
	s = &in->sh[tab];
	if (s->sh_type == SHT_NOBITS || off >= s->sh_size)
		return NULL;
	p = (const char *)in->buf + s->sh_offset + off;
	*len = strnlen(p, s->sh_size - off);
	return *len < s->sh_size - off ? p : NULL;
}

static unsigned int nr_syms(const struct input *in)
{
	return in->symtab ? in->symtab->sh_size / sizeof(Elf64_Sym) : 0;
}

/* Where symbol @s of the good file's symtab is. */
static unsigned long long sym_off(const struct input *in, unsigned int s)
{
	return in->symtab->sh_offset + (unsigned long long)s * sizeof(Elf64_Sym);
}

static const char *sym_name(const struct input *in, unsigned int s, size_t *len)
{
	return str_at(in, in->strtab_idx, get(in->buf, in->len, sym_off(in, s), 4), len);
}

static const char *sec_name(const struct input *in, unsigned int i, size_t *len)
{
	return str_at(in, in->shstrndx, in->sh[i].sh_name, len);
}

static bool has_prefix(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

/* The object part of klp name @s: after the prefix, up to the next dot. */
static const char *obj_of(const char *s, size_t *len)
{
	s += has_prefix(s, KLP_SYM_PREFIX) ? strlen(KLP_SYM_PREFIX) : strlen(KLP_RELA_PREFIX);
	*len = strcspn(s, ".");
	return s;
}

static void add_obj(const char *name)
{
	const char *s;
	unsigned int i;
	size_t len;

	if (!name)
		return;
	s = obj_of(name, &len);
	for (i = 0; i < nr_objs; i++)
		if (objs[i].len == len && !memcmp(objs[i].s, s, len))
			return;
	if (nr_objs < MAX_OBJS) {
		objs[nr_objs].s = s;
		objs[nr_objs++].len = len;
	}
}

/* Find the klp sections and symbols, which most kinds of mutation aim at. */
static void find_klp(struct input *in)
{
	unsigned int i, n = nr_syms(in);
	const char *name;
	size_t len;

	in->symtab_idx = in->symtab ? in->symtab - in->sh : 0;
	if (in->symtab && in->symtab->sh_link < in->shnum)
		in->strtab_idx = in->symtab->sh_link;
	if (in->eh->e_shstrndx < in->shnum)
		in->shstrndx = in->eh->e_shstrndx;
	for (i = 1; i < in->shnum && in->nr_klp < MAX_KLP; i++) {
		const Elf64_Shdr *s = &in->sh[i];

		name = sec_name(in, i, &len);
		if (s->sh_type != SHT_RELA ||
		    (!(s->sh_flags & SHF_RELA_LIVEPATCH) && !has_prefix(name, KLP_RELA_PREFIX)))
			continue;
		in->klp[in->nr_klp] = i;
		in->klp_target[in->nr_klp++] = s->sh_info < in->shnum ? s->sh_info : 0;
		if (has_prefix(name, KLP_RELA_PREFIX))
			add_obj(name);
	}
	in->klp_syms = calloc(n ? n : 1, sizeof(*in->klp_syms));
	if (!in->klp_syms)
		die("calloc");
	for (i = 1; i < n; i++) {
		name = sym_name(in, i, &len);
		if (has_prefix(name, KLP_SYM_PREFIX)) {
			in->klp_syms[in->nr_klp_syms++] = i;
			add_obj(name);
		}
	}
}

static void load(struct input *in, const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	unsigned int i;

	if (fd < 0 || fstat(fd, &st))
		die(path);
	in->path = path;
	in->len = st.st_size;
	in->buf = malloc(in->len);
	if (!in->buf || read(fd, in->buf, in->len) != (ssize_t)in->len)
		die(path);
	close(fd);
	in->eh = (const Elf64_Ehdr *)in->buf;
	if (in->len < sizeof(*in->eh) || memcmp(in->eh->e_ident, ELFMAG, SELFMAG) ||
	    in->eh->e_shoff + (unsigned long long)in->eh->e_shnum * sizeof(Elf64_Shdr) > in->len) {
		fprintf(stderr, "fuzz: %s: not a well-formed ELF64 seed\n", path);
		exit(2);
	}
	in->sh = (const Elf64_Shdr *)(in->buf + in->eh->e_shoff);
	in->shnum = in->eh->e_shnum;
	for (i = 1; i < in->shnum; i++) {
		if (in->sh[i].sh_offset + in->sh[i].sh_size > in->len &&
		    in->sh[i].sh_type != SHT_NOBITS) {
			fprintf(stderr, "fuzz: %s: section %u outside the file\n", path, i);
			exit(2);
		}
	}
	for (i = 1; i < in->shnum; i++) {
		if (in->sh[i].sh_type == SHT_SYMTAB)
			in->symtab = &in->sh[i];
		if (in->eh->e_shstrndx < in->shnum &&
		    is_named(in, &in->sh[in->eh->e_shstrndx], in->sh[i].sh_name, ".modinfo"))
			in->modinfo = i;
		if (in->sh[i].sh_type == SHT_RELA && in->nr_relas < 64)
			in->relas[in->nr_relas++] = &in->sh[i];
	}
	find_klp(in);
}

/* Values that sit on the edges readers get wrong. */
static unsigned long long interesting(const struct input *in, unsigned int nr_entries)
{
	static const unsigned long long fixed[] = {
		0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
		SHN_LORESERVE, SHN_LIVEPATCH, SHN_ABS, SHN_COMMON, SHN_XINDEX,
		0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL, ~0ULL - 7,
	};
	unsigned int pick = below(ARRAY_LEN(fixed) + 6);

	if (pick < ARRAY_LEN(fixed))
		return fixed[pick];
	switch (pick - ARRAY_LEN(fixed)) {
	case 0:
		return in->len;
	case 1:
		return in->len - 1 - below(16);
	case 2:
		return in->shnum - below(2);
	case 3:
		return nr_entries - below(2);
	case 4:
		return nr_entries + 1;
	default:
		return rnd() >> below(64);
	}
}

/* One field of a table entry: offset and size within the entry. */
struct field {
	unsigned char off, size;
};

static const struct field shdr_fields[] = {
	{ 0, 4 }, { 4, 4 }, { 8, 8 }, { 16, 8 }, { 24, 8 }, { 32, 8 },
	{ 40, 4 }, { 44, 4 }, { 48, 8 }, { 56, 8 },
};

static const struct field ehdr_fields[] = {
	{ 4, 1 }, { 5, 1 }, { 16, 2 }, { 18, 2 }, { 40, 8 }, { 58, 2 },
	{ 60, 2 }, { 62, 2 },
};

static const struct field sym_fields[] = {
	{ 0, 4 }, { 4, 1 }, { 5, 1 }, { 6, 2 }, { 8, 8 }, { 16, 8 },
};

static const struct field rela_fields[] = {
	{ 0, 8 }, { 8, 4 }, { 12, 4 }, { 16, 8 },
};

static void set_entry(const struct input *in, unsigned char *buf, size_t len,
		      const Elf64_Shdr *table, size_t entsize,
		      const struct field *fields, unsigned int nr_fields)
{
	unsigned int n = table->sh_size / entsize;
	const struct field *f = &fields[below(nr_fields)];
	unsigned long long at;

	if (!n)
		return;
	at = table->sh_offset + (unsigned long long)below(n) * entsize + f->off;
	put(buf, len, at, f->size, interesting(in, n));
}

/* Bytes a name parser should meet: prefixes, separators, numbers. */
static const char * const fragments[] = {
	".klp.rela.", ".klp.sym.", "vmlinux.", ".text", ",", ",0", ",65536",
	",-1", ",99999999999", "..", "livepatch=Y", "name=", "tmod.",
};

static void break_strings(const struct input *in, unsigned char *buf, size_t len)
{
	const Elf64_Shdr *sh = NULL;
	unsigned int i, tries;
	unsigned long long off;

	for (tries = 0; tries < 8 && !sh; tries++) {
		i = 1 + below(in->shnum - 1);
		if (in->sh[i].sh_type == SHT_STRTAB || (in->sh[i].sh_flags & SHF_STRINGS) ||
		    i == in->modinfo)
			sh = &in->sh[i];
	}
	if (!sh || !sh->sh_size)
		return;
	switch (below(4)) {
	case 0:		/* the last NUL goes: strings run off the end */
		put(buf, len, sh->sh_offset + sh->sh_size - 1, 1, 'A');
		break;
	case 1:
		off = sh->sh_offset + below(sh->sh_size);
		put(buf, len, off, 1, below(2) ? 0 : rnd() & 0xff);
		break;
	default: {
		const char *s = fragments[below(ARRAY_LEN(fragments))];

		off = sh->sh_offset + below(sh->sh_size);
		if (off + strlen(s) <= sh->sh_offset + sh->sh_size && off + strlen(s) <= len)
			memcpy(buf + off, s, strlen(s));
	}
	}
}

/*
 * The mutant in the making.  Section contents never move, but the section
 * headers do: order, dup and drop rearrange them, and later mutations
 * follow the good file's section i to header where[i].
 */
struct mutant {
	unsigned char *buf;
	size_t len, cap;
	unsigned long long shoff;
	unsigned int shnum;
	unsigned int *where;
};

static unsigned long long shdr_at(const struct mutant *m, unsigned int i)
{
	return m->shoff + (unsigned long long)i * sizeof(Elf64_Shdr);
}

/* A section that holds or is named by the klp structures, or 0. */
static unsigned int klp_section(const struct input *in)
{
	unsigned int k = below(in->nr_klp);

	switch (below(6)) {
	case 0:
	case 1:
		return in->nr_klp ? in->klp[k] : 0;
	case 2:
		return in->nr_klp ? in->klp_target[k] : 0;
	case 3:
		return in->symtab_idx;
	case 4:
		return in->strtab_idx;
	default:
		return in->shstrndx;
	}
}

/* A value for sh_link or sh_info: some section, or none. */
static unsigned int link_value(const struct input *in, const struct mutant *m)
{
	switch (below(9)) {
	case 0:
		return below(m->shnum);
	case 1:
		return 0;
	case 2:
		return m->shnum;
	case 3:
		return m->shnum - 1;
	case 4:
		return SHN_LIVEPATCH;
	case 5:
		return in->symtab_idx;
	case 6:
		return in->strtab_idx;
	case 7:
		return in->shstrndx;
	default:
		return klp_section(in);
	}
}

/* Whether @a and @b agree in a field of @size bytes. */
static bool same(unsigned long long a, unsigned long long b, unsigned int size)
{
	return size >= 8 ? a == b : !((a ^ b) & ((1ULL << size * 8) - 1));
}

/* A value for the field at @off of section @i's header, which holds @old. */
static unsigned long long shdr_value(const struct input *in, const struct mutant *m,
				     unsigned int i, unsigned int off, unsigned long long old)
{
	static const unsigned long long types[] = {
		SHT_NULL, SHT_PROGBITS, SHT_SYMTAB, SHT_STRTAB, SHT_RELA, SHT_NOBITS,
		SHT_REL, SHT_DYNSYM, SHT_GROUP, SHT_SYMTAB_SHNDX, 0x60000000, 0xffffffff,
	};
	static const unsigned long long flags[] = {
		SHF_RELA_LIVEPATCH, SHF_ALLOC, SHF_INFO_LINK, SHF_WRITE, SHF_EXECINSTR,
		SHF_STRINGS, SHF_GROUP, SHF_RELA_LIVEPATCH | SHF_ALLOC,
	};
	static const unsigned long long entsizes[] = { 0, 1, 8, 16, 23, 24, 25, 48, 64 };

	if (!below(3))
		return interesting(in, m->shnum);
	switch (off) {
	case 0:		/* sh_name: another's, the middle of its own, the table's end */
		if (below(2))
			return in->sh[below(in->shnum)].sh_name;
		if (below(2) || !in->shstrndx)
			return old + 1 + below(8);
		return in->sh[in->shstrndx].sh_size - below(2);
	case 4:
		return types[below(ARRAY_LEN(types))];
	case 8:		/* SHF_RELA_LIVEPATCH and the flags beside it, set or cleared */
		return old ^ flags[below(ARRAY_LEN(flags))];
	case 24:
	case 32:	/* offset, size: a little off, or off by an entry */
		if (below(2))
			return old + below(17) - 8;
		return below(2) ? old + in->sh[i].sh_entsize : old - in->sh[i].sh_entsize;
	case 40:
	case 44:
		return link_value(in, m);
	case 56:
		return entsizes[below(ARRAY_LEN(entsizes))];
	default:
		return interesting(in, m->shnum);
	}
}

static void klp_shdr(const struct input *in, struct mutant *m)
{
	const struct field *f = &shdr_fields[below(ARRAY_LEN(shdr_fields))];
	unsigned int i = klp_section(in), t;
	unsigned long long at, old, v;

	if (!i || m->where[i] == GONE)
		return;
	at = shdr_at(m, m->where[i]) + f->off;
	old = get(m->buf, m->len, at, f->size);
	for (t = 0, v = old; t < 4 && same(v, old, f->size); t++)
		v = shdr_value(in, m, i, f->off, old);
	put(m->buf, m->len, at, f->size, v);
}

static bool is_klp_sym(const struct input *in, unsigned int s)
{
	unsigned int k;

	for (k = 0; k < in->nr_klp_syms; k++)
		if (in->klp_syms[k] == s)
			return true;
	return false;
}

/* A symbol other than the klp ones, or 0. */
static unsigned int plain_sym(const struct input *in)
{
	unsigned int t, s;

	for (t = 0; t < 16; t++) {
		s = 1 + below(nr_syms(in) - 1);
		if (s < nr_syms(in) && !is_klp_sym(in, s))
			return s;
	}
	return 0;
}

/* A value for a klp symbol's st_shndx: any but its own SHN_LIVEPATCH. */
static unsigned int shndx_value(const struct input *in)
{
	static const unsigned int special[] = {
		SHN_UNDEF, SHN_ABS, SHN_COMMON, SHN_XINDEX, SHN_LIVEPATCH - 1,
		SHN_LIVEPATCH + 1, SHN_LORESERVE,
	};

	switch (below(4)) {
	case 0:
		return 1 + below(in->shnum - 1);
	case 1:		/* what a klp section patches, or the symtab */
		return in->nr_klp && below(2) ? in->klp_target[below(in->nr_klp)] :
		       in->symtab_idx;
	case 2:
		return in->shnum - below(2);
	default:
		return special[below(ARRAY_LEN(special))];
	}
}

/* A value for field @f of klp symbol @s, which holds @old. */
static unsigned long long sym_value(const struct input *in, unsigned int s, unsigned int f,
				    unsigned long long old)
{
	static const unsigned char binds[] = { STB_LOCAL, STB_GLOBAL, STB_WEAK, STB_GNU_UNIQUE };
	static const unsigned char types[] = {
		STT_NOTYPE, STT_OBJECT, STT_FUNC, STT_SECTION, STT_FILE, STT_COMMON, STT_TLS,
		STT_GNU_IFUNC,
	};
	unsigned int bind, type;
	size_t len;

	if (!below(4))
		return interesting(in, nr_syms(in));
	switch (f) {
	case 0:		/* st_name: its own middle, another's, past the table */
		if (below(3) && sym_name(in, s, &len))
			return old + 1 + below(len);
		if (below(2))
			return get(in->buf, in->len, sym_off(in, below(nr_syms(in))), 4);
		return in->sh[in->strtab_idx].sh_size - 1 + below(3);
	case 1:		/* every binding with every type, the known ones first */
		bind = below(2) ? binds[below(ARRAY_LEN(binds))] : below(16);
		type = below(2) ? types[below(ARRAY_LEN(types))] : below(16);
		return ELF64_ST_INFO(bind, type);
	case 2:
		return below(2) ? below(4) : old ^ (1 << below(8));
	case 3:
		return shndx_value(in);
	default:
		return below(2) ? interesting(in, nr_syms(in)) : old + below(17) - 8;
	}
}

static void klp_sym(const struct input *in, struct mutant *m)
{
	unsigned int s = in->klp_syms[below(in->nr_klp_syms)], f = below(ARRAY_LEN(sym_fields));
	unsigned long long at, old, v;
	unsigned int t, size = sym_fields[f].size;

	if (f == 3 && !below(4)) {	/* a symbol of the patch itself in SHN_LIVEPATCH */
		s = plain_sym(in);
		if (s)
			put(m->buf, m->len, sym_off(in, s) + 6, 2, SHN_LIVEPATCH);
		return;
	}
	at = sym_off(in, s) + sym_fields[f].off;
	old = get(m->buf, m->len, at, size);
	for (t = 0, v = old; t < 4 && same(v, old, size); t++)
		v = sym_value(in, s, f, old);
	put(m->buf, m->len, at, size, v);
}

/* A .klp.sym symbol whose object is not that of symbol @s, if one is found. */
static unsigned int other_obj_sym(const struct input *in, unsigned int s)
{
	const char *a, *b, *oa = "", *ob;
	size_t la = 0, lb, len;
	unsigned int t, o = s;

	a = s < nr_syms(in) ? sym_name(in, s, &len) : NULL;
	if (has_prefix(a, KLP_SYM_PREFIX))
		oa = obj_of(a, &la);
	for (t = 0; t < 16; t++) {
		o = in->klp_syms[below(in->nr_klp_syms)];
		b = sym_name(in, o, &len);
		if (!has_prefix(b, KLP_SYM_PREFIX))
			continue;
		ob = obj_of(b, &lb);
		if (lb != la || memcmp(oa, ob, la))
			break;
	}
	return o;
}

/*
 * A value for field @f of a klp relocation, which holds @old, in a
 * section that patches @size bytes.
 */
static unsigned long long rela_value(const struct input *in, unsigned int f,
				     unsigned long long old, unsigned long long size)
{
	static const unsigned int applied[] = {
		R_X86_64_64, R_X86_64_PC32, R_X86_64_32, R_X86_64_32S, R_X86_64_PC64,
		R_X86_64_PLT32,
	};
	static const unsigned int unknown[] = { 43, 44, 0x7f, 0xff, 0x100, 0xffff, 0xffffffff };

	switch (f) {
	case 0:		/* r_offset */
		switch (below(6)) {
		case 0:
			return 0;
		case 1:
			return size;
		case 2:	/* the last bytes, where a wide write runs off the end */
			return size - 1 - below(8);
		case 3:
			return old + 1 + below(7);
		case 4:
			return size + below(16);
		default:
			return interesting(in, size);
		}
	case 1:		/* r_info's type: the ones the kernel writes first */
		if (below(2))
			return applied[below(ARRAY_LEN(applied))];
		if (below(2))
			return below(R_X86_64_REX_GOTPCRELX + 1);
		return unknown[below(ARRAY_LEN(unknown))];
	case 2:		/* r_info's symbol: none, a plain one, another object's, none there */
		switch (below(7)) {
		case 0:
			return 0;
		case 1:
			return plain_sym(in);
		case 2:
		case 3:
			return in->nr_klp_syms ? other_obj_sym(in, old) : old;
		case 4:
			return nr_syms(in) + below(2);
		case 5:
			return ~0U;
		default:
			return interesting(in, nr_syms(in));
		}
	default:	/* r_addend */
		return below(2) ? interesting(in, size) : old + below(17) - 8;
	}
}

static void klp_rela(const struct input *in, struct mutant *m)
{
	unsigned int k = below(in->nr_klp), f = below(ARRAY_LEN(rela_fields)), t;
	const Elf64_Shdr *sec = &in->sh[in->klp[k]];
	unsigned long long at, old, v, size, n = sec->sh_size / sizeof(Elf64_Rela);

	if (!n)
		return;
	at = sec->sh_offset + below(n) * sizeof(Elf64_Rela) + rela_fields[f].off;
	size = in->klp_target[k] ? in->sh[in->klp_target[k]].sh_size : 0;
	old = get(m->buf, m->len, at, rela_fields[f].size);
	for (t = 0, v = old; t < 4 && same(v, old, rela_fields[f].size); t++)
		v = rela_value(in, f, old, size);
	put(m->buf, m->len, at, rela_fields[f].size, v);
}

/* A klp name taken apart: prefix, object, '.', symbol or section, ",sympos". */
struct klp_parts {
	char pre[16], obj[64], dot[2], name[512], pos[32];
};

static void split_name(const char *s, bool sym, struct klp_parts *p)
{
	const char *prefix = sym ? KLP_SYM_PREFIX : KLP_RELA_PREFIX, *comma;
	size_t n;

	memset(p, 0, sizeof(*p));
	if (has_prefix(s, prefix)) {
		strcpy(p->pre, prefix);
		s += strlen(prefix);
	}
	n = strcspn(s, ".");
	snprintf(p->obj, sizeof(p->obj), "%.*s", (int)n, s);
	s += n;
	if (*s == '.') {
		p->dot[0] = '.';
		s++;
	}
	comma = sym ? strrchr(s, ',') : NULL;
	n = comma ? (size_t)(comma - s) : strlen(s);
	snprintf(p->name, sizeof(p->name), "%.*s", (int)n, s);
	if (comma)
		snprintf(p->pos, sizeof(p->pos), "%s", comma);
}

/* Put @p back together in at most @max characters: the name gives way first. */
static void join_name(char *out, size_t max, const struct klp_parts *p)
{
	size_t fixed = strlen(p->pre) + strlen(p->obj) + strlen(p->dot) + strlen(p->pos);
	size_t n = strlen(p->name);

	if (fixed + n > max)
		n = fixed < max ? max - fixed : 0;
	snprintf(out, max + 1, "%s%s%s%.*s%s", p->pre, p->obj, p->dot, (int)n, p->name, p->pos);
}

/* Another name of the input, preferably @want characters long. */
static void other_name(const struct input *in, bool sym, size_t want, char *dst, size_t size)
{
	const char *s, *best = NULL;
	size_t len, best_len = 0;
	unsigned int t;

	for (t = 0; t < 32 && best_len != want; t++) {
		s = sym ? sym_name(in, below(nr_syms(in)), &len) :
			  sec_name(in, below(in->shnum), &len);
		if (s && len && (!best || len == want)) {
			best = s;
			best_len = len;
		}
	}
	if (best)
		snprintf(dst, size, "%.*s", (int)best_len, best);
}

static void rewrite_obj(struct klp_parts *p)
{
	static const char * const unknown[] = {
		"vmlinux", "", "nosuchmod", "vmlinu", "vmlinux0", "test-klp", "a b",
	};

	unsigned int o = below(nr_objs);

	if (nr_objs && below(2))
		snprintf(p->obj, sizeof(p->obj), "%.*s", (int)objs[o].len, objs[o].s);
	else
		strcpy(p->obj, unknown[below(ARRAY_LEN(unknown))]);
}

static void rewrite_sympos(struct klp_parts *p)
{
	static const char * const sympos[] = {
		",0", ",1", ",2", ",9", ",-", ",x", ",", "", ",-1", ",01", ", 1", ",+1",
		",65535", ",65536", ",0x1",
	};
	char digits[sizeof(p->pos)];

	switch (below(4)) {
	case 0:		/* the comma goes */
		snprintf(digits, sizeof(digits), "%s", p->pos[0] ? p->pos + 1 : "0");
		strcpy(p->pos, digits);
		break;
	case 1:		/* one comma more, after the name or inside it */
		if (below(2) && p->name[0]) {
			p->name[below(strlen(p->name))] = ',';
		} else {
			snprintf(digits, sizeof(digits), ",%.30s", p->pos);
			strcpy(p->pos, digits);
		}
		break;
	default:
		strcpy(p->pos, sympos[below(ARRAY_LEN(sympos))]);
		break;
	}
}

/* Dots taken out (the string shrinks, or a dot becomes '_') or put in. */
static void rewrite_dots(char *s)
{
	size_t len = strlen(s), i, n = 0;
	char *dot;

	if (!len)
		return;
	if (!below(3)) {
		s[below(len)] = '.';
		return;
	}
	for (i = 0; i < len; i++)
		n += s[i] == '.';
	if (!n)
		return;
	for (dot = strchr(s, '.'), n = below(n); n; n--)
		dot = strchr(dot + 1, '.');
	if (below(2))
		memmove(dot, dot + 1, strlen(dot));
	else
		*dot = '_';
}

/* @name, a klp name, rewritten into @out in at most @max characters. */
static void rewrite_name(const struct input *in, bool sym, const char *name, char *out,
			 size_t max)
{
	static const char * const prefixes[] = {
		KLP_SYM_PREFIX, KLP_RELA_PREFIX, ".klp.", ".klp.sym", "",
	};
	struct klp_parts p;
	char cur[1024];

	snprintf(cur, sizeof(cur), "%s", name);
	split_name(cur, sym, &p);
	switch (below(6)) {
	case 0:
		rewrite_obj(&p);
		break;
	case 1:		/* another name, of the same length where one is found */
		other_name(in, sym, below(4) ? strlen(p.name) : 0, p.name, sizeof(p.name));
		break;
	case 2:		/* the name shortened, or the string cut short in it by a NUL */
		if (below(2)) {
			p.name[below(strlen(p.name) + 1)] = '\0';
		} else {
			cur[strlen(p.pre) + strlen(p.obj) + strlen(p.dot) +
			    below(strlen(p.name) + 1)] = '\0';
			split_name(cur, sym, &p);
		}
		break;
	case 3:
		if (sym)
			rewrite_sympos(&p);
		else
			other_name(in, false, 0, p.name, sizeof(p.name));
		break;
	case 4:
		rewrite_dots(cur);
		split_name(cur, sym, &p);
		break;
	default:
		strcpy(p.pre, prefixes[below(ARRAY_LEN(prefixes))]);
		break;
	}
	join_name(out, max, &p);
}

static void klp_name(const struct input *in, struct mutant *m)
{
	bool sym = in->nr_klp_syms && (!in->nr_klp || below(3));
	unsigned int tab = sym ? in->strtab_idx : in->shstrndx, t;
	unsigned long long off, at;
	char cur[1024], out[1024];
	size_t len;

	if (sym)
		off = get(in->buf, in->len, sym_off(in, in->klp_syms[below(in->nr_klp_syms)]), 4);
	else
		off = in->sh[in->klp[below(in->nr_klp)]].sh_name;
	if (!str_at(in, tab, off, &len) || len >= sizeof(cur))
		return;
	at = in->sh[tab].sh_offset + off;
	if (at > m->len || m->len - at < len)
		return;
	memcpy(cur, m->buf + at, len);	/* as an earlier step may have left it */
	cur[len] = '\0';
	strcpy(out, cur);
	for (t = 0; t < 4 && !strcmp(out, cur); t++)
		rewrite_name(in, sym, cur, out, len);
	memset(m->buf + at, 0, len);
	memcpy(m->buf + at, out, strlen(out));
}

/* 1 to 16 bits of the klp sections' contents, the klp symbols or their names. */
static void klp_flip(const struct input *in, struct mutant *m)
{
	unsigned int k, flips = 1 + below(16), s, tab;
	unsigned long long off, at;
	const Elf64_Shdr *sec;
	size_t len;

	for (k = 0; k < flips; k++) {
		switch (in->nr_klp_syms ? below(in->nr_klp ? 3 : 2) : 2) {
		case 0:
			s = in->klp_syms[below(in->nr_klp_syms)];
			at = sym_off(in, s) + below(sizeof(Elf64_Sym));
			break;
		case 1:
			s = in->klp_syms[below(in->nr_klp_syms)];
			tab = in->strtab_idx;
			off = get(in->buf, in->len, sym_off(in, s), 4);
			if (!str_at(in, tab, off, &len))
				continue;
			at = in->sh[tab].sh_offset + off + below(len + 1);
			break;
		default:
			sec = &in->sh[in->klp[below(in->nr_klp)]];
			if (below(4)) {
				at = sec->sh_offset + below(sec->sh_size);
			} else {
				tab = in->shstrndx;
				if (!str_at(in, tab, sec->sh_name, &len))
					continue;
				at = in->sh[tab].sh_offset + sec->sh_name + below(len + 1);
			}
			break;
		}
		if (at < m->len)
			m->buf[at] ^= 1 << below(8);
	}
}

/* How section indices change: @a and @b trade places, or @a goes (@drop). */
struct renumber {
	unsigned int a, b;
	bool drop;
};

static unsigned long long new_index(const struct renumber *rn, unsigned long long i)
{
	if (rn->drop)
		return i > rn->a ? i - 1 : i;
	return i == rn->a ? rn->b : i == rn->b ? rn->a : i;
}

/* Renumber the section index of @size bytes at @at, if it is one of the @shnum. */
static void fix_index(struct mutant *m, const struct renumber *rn, unsigned long long at,
		      unsigned int size, unsigned int shnum)
{
	unsigned long long i = get(m->buf, m->len, at, size);

	if (i && i < shnum && i < SHN_LORESERVE)
		put(m->buf, m->len, at, size, new_index(rn, i));
}

/*
 * Every section index in the file follows @rn: e_shstrndx, sh_link, the
 * sh_info of relocation sections (and of SHF_INFO_LINK ones), the symbols'
 * st_shndx and the members of groups.  @shnum is the count before.
 */
static void renumber(struct mutant *m, const struct renumber *rn, unsigned int shnum)
{
	unsigned long long done[8], h, off, size, e;
	unsigned int i, k, nr_done = 0, type;

	fix_index(m, rn, offsetof(Elf64_Ehdr, e_shstrndx), 2, shnum);
	for (i = 0; i < m->shnum; i++) {
		h = shdr_at(m, i);
		type = get(m->buf, m->len, h + offsetof(Elf64_Shdr, sh_type), 4);
		off = get(m->buf, m->len, h + offsetof(Elf64_Shdr, sh_offset), 8);
		size = get(m->buf, m->len, h + offsetof(Elf64_Shdr, sh_size), 8);
		fix_index(m, rn, h + offsetof(Elf64_Shdr, sh_link), 4, shnum);
		if (type == SHT_REL || type == SHT_RELA ||
		    (get(m->buf, m->len, h + offsetof(Elf64_Shdr, sh_flags), 8) & SHF_INFO_LINK))
			fix_index(m, rn, h + offsetof(Elf64_Shdr, sh_info), 4, shnum);
		if (type != SHT_SYMTAB && type != SHT_DYNSYM && type != SHT_GROUP)
			continue;
		/* a table whose header is duplicated is renumbered once */
		for (k = 0; k < nr_done && done[k] != off; k++)
			;
		if (k < nr_done || nr_done == ARRAY_LEN(done) || off > m->len)
			continue;
		done[nr_done++] = off;
		if (size > m->len - off)
			size = m->len - off;
		if (type == SHT_GROUP) {
			for (e = 4; e + 4 <= size; e += 4)
				fix_index(m, rn, off + e, 4, shnum);
		} else {
			for (e = 0; e + sizeof(Elf64_Sym) <= size; e += sizeof(Elf64_Sym))
				fix_index(m, rn, off + e + offsetof(Elf64_Sym, st_shndx), 2,
					  shnum);
		}
	}
}

/* A section header other than 0 to move, often one of the klp structures. */
static unsigned int pick_header(const struct input *in, const struct mutant *m)
{
	unsigned int i = below(2) ? klp_section(in) : 0;

	if (i && m->where[i] != GONE && m->where[i] < m->shnum)
		return m->where[i];
	return 1 + below(m->shnum - 1);
}

static void swap_headers(const struct input *in, struct mutant *m, bool fix)
{
	struct renumber rn = { .drop = false };
	unsigned char tmp[sizeof(Elf64_Shdr)];
	unsigned int i;

	if (m->shnum < 3)
		return;
	rn.a = pick_header(in, m);
	rn.b = 1 + below(m->shnum - 2);
	if (rn.b >= rn.a)
		rn.b++;
	memcpy(tmp, m->buf + shdr_at(m, rn.a), sizeof(tmp));
	memcpy(m->buf + shdr_at(m, rn.a), m->buf + shdr_at(m, rn.b), sizeof(tmp));
	memcpy(m->buf + shdr_at(m, rn.b), tmp, sizeof(tmp));
	if (fix)
		renumber(m, &rn, m->shnum);
	for (i = 0; i < in->shnum; i++)
		if (m->where[i] != GONE)
			m->where[i] = new_index(&rn, m->where[i]);
}

static void drop_header(const struct input *in, struct mutant *m)
{
	struct renumber rn = { .drop = true };
	unsigned int i;

	if (m->shnum < 2)
		return;
	rn.a = pick_header(in, m);
	memmove(m->buf + shdr_at(m, rn.a), m->buf + shdr_at(m, rn.a + 1),
		(m->shnum - rn.a - 1) * sizeof(Elf64_Shdr));
	m->shnum--;
	put(m->buf, m->len, offsetof(Elf64_Ehdr, e_shnum), 2, m->shnum);
	renumber(m, &rn, m->shnum + 1);
	for (i = 0; i < in->shnum; i++)
		if (m->where[i] != GONE)
			m->where[i] = m->where[i] == rn.a ? GONE : new_index(&rn, m->where[i]);
}

/* A copy of a klp section's header (any one's without them) after the last. */
static void dup_header(const struct input *in, struct mutant *m)
{
	unsigned long long to = (m->len + 7) & ~7ULL, size = m->shnum * sizeof(Elf64_Shdr);
	unsigned int i = in->nr_klp ? m->where[in->klp[below(in->nr_klp)]] : GONE;

	if (i == GONE && m->shnum > 1)
		i = 1 + below(m->shnum - 1);
	if (i == GONE || to + size + sizeof(Elf64_Shdr) > m->cap)
		return;
	/* the old table stays, unreferenced, and the new one follows the file */
	memset(m->buf + m->len, 0, to - m->len);
	memcpy(m->buf + to, m->buf + m->shoff, size);
	memcpy(m->buf + to + size, m->buf + shdr_at(m, i), sizeof(Elf64_Shdr));
	m->shoff = to;
	m->shnum++;
	m->len = shdr_at(m, m->shnum);
	put(m->buf, m->len, offsetof(Elf64_Ehdr, e_shoff), 8, m->shoff);
	put(m->buf, m->len, offsetof(Elf64_Ehdr, e_shnum), 2, m->shnum);
}

enum {
	SHDR, EHDR, SYM, RELA, STR, FLIP, TRUNCATE,
	KLP_SHDR, KLP_SYM, KLP_RELA, KLP_NAME, ORDER, ORDER_FIXED, DUP, DROP, KLP_FLIP,
	NR_KINDS
};

/*
 * Weights out of 25: 10 for the blind kinds, 15 for those that know the
 * format.  An input without the structure a kind aims at gets its
 * fallback instead.
 */
static const struct kind {
	const char *name;
	unsigned int weight, fallback;
} kinds[NR_KINDS] = {
	[SHDR]		= { "shdr", 2, SHDR },
	[EHDR]		= { "ehdr", 1, EHDR },
	[SYM]		= { "sym", 2, SYM },
	[RELA]		= { "rela", 2, RELA },
	[STR]		= { "str", 1, STR },
	[FLIP]		= { "flip", 1, FLIP },
	[TRUNCATE]	= { "truncate", 1, TRUNCATE },
	[KLP_SHDR]	= { "klp-shdr", 3, SHDR },
	[KLP_SYM]	= { "klp-sym", 2, SYM },
	[KLP_RELA]	= { "klp-rela", 3, RELA },
	[KLP_NAME]	= { "klp-name", 2, STR },
	[ORDER]		= { "order", 1, ORDER },
	[ORDER_FIXED]	= { "order-fixed", 1, ORDER_FIXED },
	[DUP]		= { "dup", 1, DUP },
	[DROP]		= { "drop", 1, DROP },
	[KLP_FLIP]	= { "klp-flip", 1, FLIP },
};

static bool has_structure(const struct input *in, unsigned int kind)
{
	switch (kind) {
	case KLP_SHDR:
	case KLP_RELA:
		return in->nr_klp;
	case KLP_SYM:
		return in->nr_klp_syms && in->strtab_idx;
	case KLP_NAME:
	case KLP_FLIP:
		return in->nr_klp || in->nr_klp_syms;
	default:
		return true;
	}
}

static unsigned int pick_kind(const struct input *in)
{
	unsigned int k, total = 0, x;

	for (k = 0; k < NR_KINDS; k++)
		total += kinds[k].weight;
	x = below(total);
	for (k = 0; x >= kinds[k].weight; k++)
		x -= kinds[k].weight;
	while (!has_structure(in, k))
		k = kinds[k].fallback;
	return k;
}

/* Break @m, a copy of @in, in place; returns what was done. */
static const char *mutate(const struct input *in, struct mutant *m)
{
	static char what[128];
	const Elf64_Shdr *ehtab = &(Elf64_Shdr){ .sh_size = sizeof(Elf64_Ehdr) };
	unsigned int i, n = 1 + below(MAX_STEPS), kind;
	size_t w = 0;

	what[0] = '\0';
	for (i = 0; i < n; i++) {
		const Elf64_Shdr shtab = {
			.sh_offset = m->shoff,
			.sh_size = (unsigned long long)m->shnum * sizeof(Elf64_Shdr),
		};

		kind = pick_kind(in);
		switch (kind) {
		case SHDR:
			set_entry(in, m->buf, m->len, &shtab, sizeof(Elf64_Shdr), shdr_fields,
				  ARRAY_LEN(shdr_fields));
			break;
		case EHDR:
			set_entry(in, m->buf, m->len, ehtab, sizeof(Elf64_Ehdr), ehdr_fields,
				  ARRAY_LEN(ehdr_fields));
			break;
		case SYM:
			if (in->symtab)
				set_entry(in, m->buf, m->len, in->symtab, sizeof(Elf64_Sym),
					  sym_fields, ARRAY_LEN(sym_fields));
			break;
		case RELA:
			if (in->nr_relas)
				set_entry(in, m->buf, m->len, in->relas[below(in->nr_relas)],
					  sizeof(Elf64_Rela), rela_fields,
					  ARRAY_LEN(rela_fields));
			break;
		case STR:
			break_strings(in, m->buf, m->len);
			break;
		case FLIP: {
			unsigned int k, at, flips = 1 + below(16);

			for (k = 0; k < flips; k++) {
				at = below(m->len);
				m->buf[at] ^= 1 << below(8);
			}
			break;
		}
		case TRUNCATE:
			m->len = below(m->len);
			break;
		case KLP_SHDR:
			klp_shdr(in, m);
			break;
		case KLP_SYM:
			klp_sym(in, m);
			break;
		case KLP_RELA:
			klp_rela(in, m);
			break;
		case KLP_NAME:
			klp_name(in, m);
			break;
		case ORDER:
		case ORDER_FIXED:
			swap_headers(in, m, kind == ORDER_FIXED);
			break;
		case DUP:
			dup_header(in, m);
			break;
		case DROP:
			drop_header(in, m);
			break;
		case KLP_FLIP:
			klp_flip(in, m);
			break;
		}
		w += snprintf(what + w, sizeof(what) - w, "%s%s", i ? "," : "",
			      kinds[kind].name);
		if (kind == TRUNCATE)
			break;
	}
	return what;
}

static void write_file(const char *path, const unsigned char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd))
		die(path);
}

/* Run the tool; returns its wait status. */
static int run(char **argv, const char *log)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);
		int err = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (null < 0 || err < 0)
			_exit(127);
		dup2(null, 1);
		dup2(err, 2);
		alarm(TIMEOUT);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return status;
}

static bool exists(const char *path)
{
	return !access(path, F_OK);
}

/* Why wait status @st fails the round, or NULL if it passes. */
static const char *verdict(int st, int max, bool check_output, const char *out,
			   const char *tmp)
{
	static char reason[64];

	if (WIFSIGNALED(st)) {
		snprintf(reason, sizeof(reason), "killed by signal %d%s", WTERMSIG(st),
			 WTERMSIG(st) == SIGALRM ? " (timeout)" : "");
		return reason;
	}
	if (WEXITSTATUS(st) > max) {
		snprintf(reason, sizeof(reason), "exit status %d", WEXITSTATUS(st));
		return reason;
	}
	if (check_output && (WEXITSTATUS(st) == 0) != exists(out))
		return WEXITSTATUS(st) ? "output written despite failure" :
					 "exit 0 without output";
	if (check_output && exists(tmp))
		return "temporary output left behind";
	return NULL;
}

/* Round @r's mutant: the same bytes whether written or run. */
static const char *round_mutant(unsigned long long seed, unsigned long r,
				const struct input **in, unsigned char **buf,
				size_t *len)
{
	struct mutant m;
	const char *what;
	unsigned int i;

	*in = &inputs[r % nr_inputs];
	/* room for a new section header table per step, for dup */
	m.cap = (*in)->len + MAX_STEPS * (8 + ((*in)->shnum + MAX_STEPS) * sizeof(Elf64_Shdr));
	m.buf = malloc(m.cap);
	m.where = malloc(((*in)->shnum + 1) * sizeof(*m.where));
	if (!m.buf || !m.where)
		die("malloc");
	m.len = (*in)->len;
	m.shoff = (*in)->eh->e_shoff;
	m.shnum = (*in)->shnum;
	for (i = 0; i < (*in)->shnum; i++)
		m.where[i] = i;
	rng = seed * 0x100000001b3ULL ^ r;
	memcpy(m.buf, (*in)->buf, m.len);
	what = mutate(*in, &m);
	free(m.where);
	*buf = m.buf;
	*len = m.len;
	return what;
}

static int write_mutants(const char *dir, unsigned long long seed,
			 unsigned long first, unsigned long count)
{
	char path[4200];
	unsigned long r;

	for (r = first; r < first + count; r++) {
		const struct input *in;
		unsigned char *buf;
		const char *what;
		size_t len;

		what = round_mutant(seed, r, &in, &buf, &len);
		snprintf(path, sizeof(path), "%s/m-%06lu.ko", dir, r);
		write_file(path, buf, len);
		printf("%lu %s %s\n", r, strrchr(in->path, '/') ?
		       strrchr(in->path, '/') + 1 : in->path, what);
		free(buf);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long count = 1000, first = 0, r, failed = 0, status[3] = { 0 };
	unsigned long long seed = 1;
	const char *dir = ".";
	bool check_output = false, write_only = false;
	char in_path[4096], out_path[4096], tmp_path[4200], log_path[4096];
	char **cmd;
	int c, i, ncmd, max = 2;

	while ((c = getopt(argc, argv, "+n:s:r:d:m:ow")) != -1) {
		switch (c) {
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			first = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			dir = optarg;
			break;
		case 'm':
			max = atoi(optarg);
			break;
		case 'o':
			check_output = true;
			break;
		case 'w':
			write_only = true;
			break;
		default:
			return 2;
		}
	}
	for (; optind < argc && strcmp(argv[optind], "--"); optind++) {
		if (nr_inputs == MAX_INPUTS)
			return 2;
		load(&inputs[nr_inputs++], argv[optind]);
	}
	if (!nr_inputs || (!write_only && optind + 1 >= argc)) {
		fputs("usage: fuzz [-n N] [-s SEED] [-r FIRST] [-d DIR] [-m MAX] [-o]\n"
		      "            INPUT... -- TOOL [ARG]...\n"
		      "       fuzz -w [-n N] [-s SEED] [-r FIRST] [-d DIR] INPUT...\n",
		      stderr);
		return 2;
	}
	if (write_only)
		return write_mutants(dir, seed, first, count);
	snprintf(in_path, sizeof(in_path), "%s/in", dir);
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	snprintf(tmp_path, sizeof(tmp_path), "%s.klp-tmp", out_path);
	snprintf(log_path, sizeof(log_path), "%s/stderr", dir);
	ncmd = argc - optind - 1;
	cmd = calloc(ncmd + 1, sizeof(*cmd));
	if (!cmd)
		die("calloc");
	for (i = 0; i < ncmd; i++) {
		char *a = argv[optind + 1 + i];

		cmd[i] = !strcmp(a, "@in") ? in_path : !strcmp(a, "@out") ? out_path : a;
	}
	setenv("ASAN_OPTIONS", "exitcode=99:detect_leaks=0:abort_on_error=0", 0);
	setenv("UBSAN_OPTIONS", "exitcode=99:halt_on_error=1:print_stacktrace=1", 0);

	for (r = first; r < first + count; r++) {
		const struct input *in;
		unsigned char *buf;
		size_t len;
		const char *what, *why;
		int st;

		what = round_mutant(seed, r, &in, &buf, &len);
		write_file(in_path, buf, len);
		unlink(out_path);
		st = run(cmd, log_path);
		why = verdict(st, max, check_output, out_path, tmp_path);
		if (!why && WEXITSTATUS(st) <= 2)
			status[WEXITSTATUS(st)]++;
		if (why) {
			char keep[4200];

			failed++;
			printf("# round %lu (%s, %s): %s\n", r, in->path, what, why);
			snprintf(keep, sizeof(keep), "%s/fail-%lu.ko", dir, r);
			rename(in_path, keep);
			snprintf(keep, sizeof(keep), "%s/fail-%lu.log", dir, r);
			rename(log_path, keep);
		}
		unlink(tmp_path);
		free(buf);
	}
	printf("# %lu rounds: %lu exited 0, %lu exited 1, %lu exited 2, %lu failed\n",
	       count, status[0], status[1], status[2], failed);
	return failed ? 1 : 0;
}
