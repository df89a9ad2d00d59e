// SPDX-License-Identifier: GPL-2.0-only
/*
 * klp-dump: show a livepatch module's .klp relocations the way a person
 * thinks of them: per target object, each .klp.rela section with its
 * relocations, and the .klp.sym symbols decoded into object, name and
 * sympos, and the tables of jump entries and static call sites that wait
 * for a module object (Documentation/livepatch/module-static-keys.rst),
 * decoded into code, target, key and kind.  --json gives the same for
 * scripts.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "klp.h"
#include <linux/klp_keys.h>

static const char usage_text[] =
"Usage: klp-dump [--json] MODULE.ko\n"
"\n"
"Decode the livepatch relocation sections (.klp.rela.<obj>.<section>) and\n"
"symbols (.klp.sym.<obj>.<name>,<sympos>) of a livepatch module, per object,\n"
"and its jump entries and static call sites for a module object\n"
"(.klp.jump_table.<obj>, .klp.static_call_sites.<obj>): each entry's code,\n"
"target or call site, its key and its kind (likely or unlikely and objtool's\n"
"NOP hint; call or tail call, and init).\n"
"\n"
"  --json       one JSON document instead of aligned columns\n"
"  -h, --help   this text\n"
"\n"
"Exit status: 0 dumped, 1 malformed input, 2 usage or I/O error.\n";

/* One decoded relocation. */
struct row {
	unsigned long long offset;
	char type[32];
	char *sym;		/* decoded name, or the raw one if it does not parse */
	unsigned int sympos;
	long long addend;
};

static struct elf *patch;
static const char *file;
static bool json;
static char **objs;
static unsigned int nr_objs;

/* Whichever way the tool exits. */
static void release(void)
{
	unsigned int i;

	for (i = 0; i < nr_objs; i++)
		free(objs[i]);
	free(objs);
	elf_close(patch);
}

static void out_of_memory(void)
{
	fprintf(stderr, "klp-dump: %s: out of memory\n", file);
	exit(EXIT_USAGE);
}

static void add_obj(const struct klp_name_part *part)
{
	char *o = klp_part_dup(part), **grown;
	unsigned int i;

	if (!o)
		out_of_memory();
	for (i = 0; i < nr_objs; i++) {
		if (!strcmp(objs[i], o)) {
			free(o);
			return;
		}
	}
	grown = realloc(objs, (nr_objs + 1) * sizeof(*objs));
	if (!grown) {
		free(o);
		out_of_memory();
	}
	objs = grown;
	objs[nr_objs++] = o;
}

/* How each kind of klp_key_kinds is shown: plural, and the key's flags. */
static const struct key_show {
	const char *whats;
	const char *flag0[2];	/* bit 0 of the key field, clear and set */
	const char *flag1, *json1;	/* bit 1, set */
} key_shows[KLP_KEY_KINDS] = {
	/* Bit 1 is objtool's hint that the code is a NOP (keys.c). */
	{ "jump entries", { "unlikely", "likely" }, "nop hint", "nop_hint" },
	{ "static call sites", { "call", "tail" }, "init", "init" },
};

static const struct klp_key_kind *key_kind_of(const struct section *sec)
{
	return klp_key_kind_of(sec->name);
}

/* Does @sec relocate a table of a module object's keys? */
static bool key_table_rela(const struct section *sec)
{
	const struct section *t = find_section_by_index(patch, sec->sh.sh_info);

	return sec->sh.sh_type == SHT_RELA && t && t != sec && key_kind_of(t);
}

/* Objects in order of first appearance, from sections and symbols alike. */
static void collect_objects(void)
{
	struct klp_rela_name rn;
	struct klp_sym_name sn;
	unsigned int i;

	for (i = 1; i < patch->nr_sections; i++)
		if (!klp_parse_rela_name(patch->sections[i]->name, &rn))
			add_obj(&rn.obj);
	for (i = 1; i < patch->nr_symbols; i++)
		if (patch->symbols[i].sym.st_shndx == SHN_LIVEPATCH &&
		    !klp_parse_sym_name(patch->symbols[i].name, &sn))
			add_obj(&sn.obj);
	for (i = 1; i < patch->nr_sections; i++) {
		const struct section *sec = patch->sections[i];
		const struct klp_key_kind *k = key_kind_of(sec);
		struct klp_name_part obj;

		if (!k)
			continue;
		obj.s = sec->name + strlen(k->prefix);
		obj.len = strlen(obj.s);
		add_obj(&obj);
	}
}

static bool outside_file(const struct section *sec)
{
	return sec->sh.sh_type != SHT_NOBITS && sec->sh.sh_size && !sec->data;
}

/* A table the dump reads: in the file, and a whole number of entries. */
static bool check_table(const struct section *sec, size_t entsize)
{
	const char *where = sec_where(sec, -1);

	if (outside_file(sec)) {
		error_at(file, where, "contents lie outside the file");
		return false;
	}
	if (sec->sh.sh_size % entsize) {
		error_at(file, where, "size %llu is not a multiple of %zu",
			 (unsigned long long)sec->sh.sh_size, entsize);
		return false;
	}
	return true;
}

static void check_klp_section(const struct section *sec,
			      const struct section *symtab)
{
	const char *where = sec_where(sec, -1);
	unsigned int j;
	Elf64_Rela r;

	if (sec->sh.sh_type != SHT_RELA) {
		error_at(file, where, "type %u is not SHT_RELA", sec->sh.sh_type);
		return;
	}
	if (!check_table(sec, sizeof(Elf64_Rela)))
		return;
	if (!find_section_by_index(patch, sec->sh.sh_info))
		error_at(file, where, "sh_info %u is not a section", sec->sh.sh_info);
	/* An unreadable symtab is reported once, for itself. */
	if (symtab && !symtab->data)
		return;
	if (!symtab || sec->sh.sh_link != symtab->idx) {
		error_at(file, where, "sh_link %u is not the symbol table",
			 sec->sh.sh_link);
		return;
	}
	for_each_rela(sec, j, &r) {
		if (ELF64_R_SYM(r.r_info) >= patch->nr_symbols) {
			error_at(file, sec_where(sec, j),
				 "symbol index %llu is outside the symbol table (%u entries)",
				 (unsigned long long)ELF64_R_SYM(r.r_info),
				 patch->nr_symbols);
			return;
		}
	}
}

/*
 * A dump shows what the file says, so what it reads must be in the file:
 * the section names, the symbol table and its strings, .modinfo, and each
 * .klp.rela section with its entries.  Whether those obey the format is
 * klp-check's to say.
 */
static void check_input(void)
{
	const struct section *symtab = NULL, *strtab;
	unsigned int i;

	if (!patch->shstrtab || outside_file(patch->shstrtab)) {
		error_at(file, NULL, "no section name table in the file (e_shstrndx %u)",
			 patch->ehdr.e_shstrndx);
		return;
	}
	for (i = 1; i < patch->nr_sections && !symtab; i++)
		if (patch->sections[i]->sh.sh_type == SHT_SYMTAB)
			symtab = patch->sections[i];
	if (symtab && check_table(symtab, sizeof(Elf64_Sym))) {
		strtab = find_section_by_index(patch, symtab->sh.sh_link);
		if (!strtab || strtab->sh.sh_type != SHT_STRTAB)
			error_at(file, sec_where(symtab, -1),
				 "sh_link %u is not a string table", symtab->sh.sh_link);
		else
			check_table(strtab, 1);
	}
	for (i = 1; i < patch->nr_sections; i++) {
		const struct section *sec = patch->sections[i];
		struct klp_rela_name rn;

		if (!strcmp(sec->name, ".modinfo"))
			check_table(sec, 1);
		else if (!klp_parse_rela_name(sec->name, &rn) ||
			 key_table_rela(sec))
			check_klp_section(sec, symtab);
		else if (key_kind_of(sec))
			check_table(sec, key_kind_of(sec)->entsize);
	}
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void free_rows(struct row *rows, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		free(rows[i].sym);
	free(rows);
}

/* The entries of @sec, decoded; free_rows() them. */
static unsigned int read_rows(const struct section *sec, struct row **rows)
{
	unsigned int i, n = rela_count(sec);
	char tbuf[32];
	Elf64_Rela r;

	*rows = calloc(n ?: 1, sizeof(**rows));
	if (!*rows)
		out_of_memory();
	for_each_rela(sec, i, &r) {
		struct symbol *sym = find_symbol_by_index(patch, ELF64_R_SYM(r.r_info));
		struct row *row = &(*rows)[i];
		struct klp_sym_name sn;

		row->offset = r.r_offset;
		snprintf(row->type, sizeof(row->type), "%s",
			 reloc_type_name(ELF64_R_TYPE(r.r_info), tbuf, sizeof(tbuf)));
		row->addend = r.r_addend;
		if (!sym) {
			row->sym = strdup("(bad index)");
		} else if (klp_parse_sym_name(sym->name, &sn)) {
			row->sym = strdup(sym->name);
		} else {
			row->sym = klp_part_dup(&sn.name);
			row->sympos = sn.sympos;
		}
		if (!row->sym) {
			free_rows(*rows, i);
			out_of_memory();
		}
	}
	return n;
}

static int width(const char *s, int w)
{
	int l = strlen(s);

	return l > w ? l : w;
}

static void dump_section_text(const struct section *sec, const char *target)
{
	unsigned int i, n;
	struct row *rows;
	int wt = 4, ws = 6;

	n = read_rows(sec, &rows);
	printf("  %s -> %s, %u relocation%s\n", sec->name, target, n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		wt = width(rows[i].type, wt);
		ws = width(rows[i].sym, ws);
	}
	if (n)
		printf("    %-10s  %-*s  %-*s  %6s  %s\n", "OFFSET", wt, "TYPE", ws,
		       "SYMBOL", "SYMPOS", "ADDEND");
	for (i = 0; i < n; i++)
		printf("    0x%08llx  %-*s  %-*s  %6u  %lld\n", rows[i].offset, wt,
		       rows[i].type, ws, rows[i].sym, rows[i].sympos, rows[i].addend);
	free_rows(rows, n);
}

static void dump_section_json(const struct section *sec, const char *target,
			      bool first)
{
	unsigned int i, n;
	struct row *rows;

	n = read_rows(sec, &rows);
	printf("%s\n      { \"name\": ", first ? "" : ",");
	json_str(sec->name);
	printf(", \"target\": ");
	json_str(target);
	printf(", \"relocations\": [");
	for (i = 0; i < n; i++) {
		printf("%s\n        { \"offset\": %llu, \"type\": ", i ? "," : "",
		       rows[i].offset);
		json_str(rows[i].type);
		printf(", \"symbol\": ");
		json_str(rows[i].sym);
		printf(", \"sympos\": %u, \"addend\": %lld }", rows[i].sympos,
		       rows[i].addend);
	}
	printf("%s] }", n ? "\n      " : "");
	free_rows(rows, n);
}

static void dump_symbols(const char *obj)
{
	struct klp_sym_name sn;
	unsigned int i, n = 0;
	int wn = 4;
	char *name;

	for (i = 1; i < patch->nr_symbols; i++) {
		if (patch->symbols[i].sym.st_shndx != SHN_LIVEPATCH ||
		    klp_parse_sym_name(patch->symbols[i].name, &sn) ||
		    !klp_name_part_eq(&sn.obj, obj))
			continue;
		if ((int)sn.name.len > wn)
			wn = sn.name.len;
		n++;
	}
	if (json)
		printf("],\n    \"symbols\": [");
	else
		printf("  .klp.sym symbols: %u\n", n);
	if (!json && n)
		printf("    %-6s  %-*s  %6s  %s\n", "INDEX", wn, "NAME", "SYMPOS", "ELF NAME");
	for (n = 0, i = 1; i < patch->nr_symbols; i++) {
		struct symbol *sym = &patch->symbols[i];

		if (sym->sym.st_shndx != SHN_LIVEPATCH ||
		    klp_parse_sym_name(sym->name, &sn) || !klp_name_part_eq(&sn.obj, obj))
			continue;
		name = klp_part_dup(&sn.name);
		if (!name)
			out_of_memory();
		if (json) {
			printf("%s\n      { \"index\": %u, \"name\": ", n ? "," : "", i);
			json_str(name);
			printf(", \"sympos\": %u, \"elf_name\": ", sn.sympos);
			json_str(sym->name);
			printf(" }");
		} else {
			printf("    %-6u  %-*s  %6u  %s\n", i, wn, name, sn.sympos, sym->name);
		}
		free(name);
		n++;
	}
	if (json)
		printf("%s]", n ? "\n    " : "");
}

/* What writes one 4-byte field of a key table: the relocations there. */
struct field {
	unsigned int nr;
	unsigned int symidx;
	long long addend;
};

/*
 * The relocations, ordinary and klp alike, that write each 4-byte field of
 * @table: one pass over them, however long the table.
 */
static struct field *read_fields(const struct section *table)
{
	size_t n = table->sh.sh_size / 4;
	struct field *f = calloc(n ?: 1, sizeof(*f));
	unsigned int i, j;
	Elf64_Rela r;

	if (!f)
		out_of_memory();
	for (i = 1; i < patch->nr_sections; i++) {
		const struct section *rs = patch->sections[i];

		if (rs->sh.sh_type != SHT_RELA || rs->sh.sh_info != table->idx)
			continue;
		for_each_rela(rs, j, &r) {
			if (r.r_offset % 4 || r.r_offset / 4 >= n)
				continue;
			f[r.r_offset / 4].nr++;
			f[r.r_offset / 4].symidx = ELF64_R_SYM(r.r_info);
			f[r.r_offset / 4].addend = r.r_addend;
		}
	}
	return f;
}

/* The function or object of @sec that holds @at, if one does. */
static const struct symbol *holder(const struct section *sec,
				   unsigned long long at)
{
	unsigned int i;

	for (i = 1; i < patch->nr_symbols; i++) {
		const struct symbol *s = &patch->symbols[i];
		unsigned char t = ELF64_ST_TYPE(s->sym.st_info);

		if (s->sec == sec && (t == STT_FUNC || t == STT_OBJECT) &&
		    at >= s->sym.st_value && at - s->sym.st_value < s->sym.st_size)
			return s;
	}
	return NULL;
}

/*
 * Where field @f points, for a person: "func+0x5" for an address in the
 * patch, a klp symbol's name (decoded) with its offset, less @flags.
 */
static char *field_place(const struct field *f, long long flags)
{
	const struct symbol *sym = find_symbol_by_index(patch, f->symidx);
	long long off = f->addend & ~flags;
	const struct symbol *in;
	struct klp_sym_name sn;
	const char *name;
	int len = -1;
	char *out;

	if (f->nr != 1 || !sym) {
		out = strdup(f->nr > 1 ? "(several relocations)" :
			     f->nr ? "(bad index)" : "(no relocation)");
		if (!out)
			out_of_memory();
		return out;
	}
	name = sym->name;
	if (sym->sym.st_shndx == SHN_LIVEPATCH && !klp_parse_sym_name(name, &sn)) {
		name = sn.name.s;
		len = sn.name.len;
	} else if (ELF64_ST_TYPE(sym->sym.st_info) == STT_SECTION && sym->sec) {
		in = holder(sym->sec, sym->sym.st_value + off);
		off += sym->sym.st_value - (in ? in->sym.st_value : 0);
		name = in ? in->name : sym->sec->name;
	}
	if (!name[0])
		name = "(unnamed)";
	if (len < 0)
		len = strlen(name);
	if (asprintf(&out, off ? "%.*s%c%#llx" : "%.*s", len, name,
		     off < 0 ? '-' : '+',
		     off < 0 ? -(unsigned long long)off : (unsigned long long)off) < 0)
		out_of_memory();
	return out;
}

/*
 * The flags in @key's addend, in words; "-" unless exactly one relocation
 * writes the key.
 */
static const char *entry_kind(const struct klp_key_kind *k,
			      const struct field *key)
{
	const struct key_show *show = &key_shows[k - klp_key_kinds];
	static char buf[32];

	if (key->nr != 1)
		return "-";
	snprintf(buf, sizeof(buf), "%s%s%s", show->flag0[key->addend & 1],
		 key->addend & 2 ? ", " : "", key->addend & 2 ? show->flag1 : "");
	return buf;
}

/* The table of keys @t, entry by entry. */
static void dump_key_table(const struct section *t, const struct klp_key_kind *k,
			   bool first)
{
	unsigned long long i, n = t->sh.sh_size / k->entsize;
	unsigned int c, nr_cols = k->entsize / 4;
	long long flags;
	size_t w[4];
	static const char *const heads[2][4] = {
		{ "CODE", "TARGET", "KEY", "" },
		{ "SITE", "KEY" },
	};
	static const char *const jheads[2][4] = {
		{ "code", "target", "key", "" },
		{ "site", "key" },
	};
	const struct key_show *show = &key_shows[k - klp_key_kinds];
	const char *const *head = heads[k - klp_key_kinds];
	const char *const *jhead = jheads[k - klp_key_kinds];
	struct field *f = read_fields(t);
	char **cell = calloc(n * nr_cols ?: 1, sizeof(*cell));

	if (!cell)
		out_of_memory();
	/* One column a 4-byte field; a jump entry's 8-byte key takes two. */
	for (c = 0; c < nr_cols; c++)
		w[c] = strlen(head[c]);
	for (i = 0; i < n; i++) {
		for (c = 0; c < nr_cols; c++) {
			struct field *fc = &f[i * nr_cols + c];

			if (!head[c][0])
				continue;
			flags = k->key_off == c * 4 ? KLP_KEY_FLAGS : 0;
			cell[i * nr_cols + c] = field_place(fc, flags);
			if (strlen(cell[i * nr_cols + c]) > w[c])
				w[c] = strlen(cell[i * nr_cols + c]);
		}
	}
	if (json) {
		printf("%s\n      { \"name\": ", first ? "" : ",");
		json_str(t->name);
		printf(", \"kind\": ");
		json_str(k->what);
		printf(", \"entries\": [");
	} else {
		printf("  %s: %llu %s\n", t->name, n, n == 1 ? k->what : show->whats);
		if (n) {
			printf("    %-5s", "INDEX");
			for (c = 0; c < nr_cols; c++)
				if (head[c][0])
					printf("  %-*s", (int)w[c], head[c]);
			printf("  KIND\n");
		}
	}
	for (i = 0; i < n; i++) {
		const struct field *key = &f[(i * k->entsize + k->key_off) / 4];

		if (json)
			printf("%s\n        { \"index\": %llu", i ? "," : "", i);
		else
			printf("    %-5llu", i);
		for (c = 0; c < nr_cols; c++) {
			const char *v = cell[i * nr_cols + c];

			if (!head[c][0])
				continue;
			if (json) {
				printf(", \"%s\": ", jhead[c]);
				json_str(v);
			} else {
				printf("  %-*s", (int)w[c], v);
			}
		}
		if (json && key->nr != 1) {
			printf(", \"kind\": null, \"%s\": null }", show->json1);
		} else if (json) {
			printf(", \"kind\": ");
			json_str(show->flag0[key->addend & 1]);
			printf(", \"%s\": %s }", show->json1,
			       key->addend & 2 ? "true" : "false");
		} else {
			printf("  %s\n", entry_kind(k, key));
		}
	}
	if (json)
		printf("%s] }", n ? "\n      " : "");
	for (i = 0; i < n * nr_cols; i++)
		free(cell[i]);
	free(cell);
	free(f);
}

/* @obj's tables of keys; in JSON, a "key_tables" list. */
static void dump_key_tables(const char *obj)
{
	unsigned int i, n = 0;

	if (json)
		printf(",\n    \"key_tables\": [");
	for (i = 1; i < patch->nr_sections; i++) {
		const struct section *t = patch->sections[i];
		const struct klp_key_kind *k = key_kind_of(t);

		if (!k || strcmp(t->name + strlen(k->prefix), obj))
			continue;
		dump_key_table(t, k, !n);
		n++;
	}
	if (json)
		printf("%s]", n ? "\n    " : "");
}

static void dump_object(const char *obj, bool first)
{
	struct klp_rela_name rn;
	unsigned int i, n = 0;

	if (json) {
		printf("%s\n    { \"name\": ", first ? "" : ",");
		json_str(obj);
		printf(", \"sections\": [");
	} else {
		printf("\n%s\n", obj);
	}
	for (i = 1; i < patch->nr_sections; i++) {
		struct section *sec = patch->sections[i];
		struct section *base = find_section_by_index(patch, sec->sh.sh_info);
		const char *target = base ? base->name : "(bad sh_info)";

		if (klp_parse_rela_name(sec->name, &rn) || !klp_name_part_eq(&rn.obj, obj))
			continue;
		if (json)
			dump_section_json(sec, target, !n);
		else
			dump_section_text(sec, target);
		n++;
	}
	if (json && n)
		printf("\n    ");
	dump_symbols(obj);
	dump_key_tables(obj);
	if (json)
		printf(" }");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	bool livepatch;
	unsigned int i;
	int c;

	atexit(release);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			return 0;
		}
		if (c != 'j') {
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
		json = true;
	}
	if (optind != argc - 1) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	file = argv[optind];
	if (open_module("klp-dump", file, &patch))
		return EXIT_USAGE;
	if (patch->err) {
		error_at(file, NULL, "%s", patch->err);
		return EXIT_PROBLEMS;
	}

	check_input();
	if (nr_errors) {
		printf("%s: %u error%s, not dumped\n", file, nr_errors,
		       nr_errors == 1 ? "" : "s");
		return EXIT_PROBLEMS;
	}
	collect_objects();
	livepatch = is_livepatch_module(patch);
	if (json) {
		printf("{ \"file\": ");
		json_str(file);
		printf(", \"livepatch\": %s, \"objects\": [",
		       livepatch ? "true" : "false");
	} else {
		printf("%s: %s, %u object%s with klp relocations\n", file,
		       livepatch ? "livepatch module" : "NOT a livepatch module",
		       nr_objs, nr_objs == 1 ? "" : "s");
	}
	for (i = 0; i < nr_objs; i++)
		dump_object(objs[i], !i);
	if (json)
		printf("%s] }\n", nr_objs ? "\n  " : "");
	return 0;
}
