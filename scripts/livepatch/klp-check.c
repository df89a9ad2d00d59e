// SPDX-License-Identifier: GPL-2.0-only
/*
 * klp-check: say whether a livepatch module obeys the livepatch ELF format
 * (Documentation/livepatch/module-elf-format.rst), and, given the target's
 * symbols, whether each .klp.sym resolves to exactly one address.
 *
 * The format's rules are <linux/klp_rules.h>'s, the functions the kernel
 * validates with at load, so the two cannot disagree; what is here is what
 * the kernel cannot know offline: the target's symbols, modinfo, and the
 * lints a person wants to hear about.  Around them, the 6.1 module loader's
 * own checks of any module (kernel/module/main.c and x86's
 * apply_relocate_add()), so that exit status 0 means the kernel takes the
 * module as far as its init.  And what klp_enable_patch() and a target's
 * coming refuse in the patch's own description of itself: the klp_object
 * and klp_func arrays of its struct klp_patch, read from the module's data
 * where klp_desc_read() can tell them for sure.
 *
 * It reads untrusted files: every index, offset and width is checked before
 * it is used.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "klp.h"
#include <linux/klp_keys.h>

static const char usage_text[] =
"Usage: klp-check [options] PATCH.ko\n"
"\n"
"Check a livepatch module against the livepatch ELF format rules, and each\n"
"relocation of its .klp.rela sections: a type x86_64 applies (R_X86_64_64,\n"
"PC32, PLT32, 32, 32S, PC64, NONE), within its target section, onto zero\n"
"bytes.  Also check what the Linux 6.1 module loader checks of any module:\n"
"the ELF header and section table, symbol section indices, and its own\n"
"relocations.  With symbols of the target, also resolve every .klp.sym\n"
"symbol as the kernel would, and print the address it binds to; bind each\n"
"undefined symbol to an export (given vmlinux's symbols); and compare the\n"
"vermagic with a target module's.\n"
"\n"
"Also read the patch's struct klp_patch, its klp_object array and their\n"
"klp_func arrays, from the module's data, and check them as the kernel\n"
"does when the patch is enabled (for a module object: when that module\n"
"loads): each .klp.rela section's object is vmlinux or one of the patch's\n"
"objects; each object has funcs; each function has an old_name and a\n"
"new_func; and, given the object's symbols, old_name names one symbol at\n"
"old_sympos (0: the only one of that name).  Where the arrays cannot be\n"
"told for sure, a note says so and nothing of them is checked.\n"
"\n"
"Options:\n"
"\n"
"  --kallsyms FILE   a /proc/kallsyms dump of the target kernel (as root)\n"
"  --vmlinux FILE    the target vmlinux\n"
"  --system-map FILE the target's System.map (not Debian's placeholder)\n"
"  --module FILE.ko  a target module; repeatable\n"
"  --meminfo FILE    the target's /proc/meminfo: refuse sections that need\n"
"                    more than its MemTotal (default: x86_64's module space)\n"
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
static struct klp_desc desc;
/* Some source says what vmlinux exports: the loader's undefined symbols are judged. */
static bool quiet, have_vmlinux_src;
/*
 * The address each .klp.sym symbol resolved to, by symbol index.  A
 * module's symbol read from its file has only its offset: the module is
 * put somewhere in module space when it loads (@in_module_space).
 */
static struct {
	bool ok, in_module_space;
	char type;		/* nm's letter, where the source has one */
	unsigned long long addr;
} *bound;

/* x86_64's module space: MODULES_VADDR (below it with KASLR) to MODULES_END. */
#define MODULE_SPACE_END	0xffffffffff000000ULL
#define MODULE_SPACE_START	(MODULE_SPACE_END - KLP_MODULE_SPACE_SIZE)

/*
 * Rule: only a module with MODULE_INFO(livepatch, "Y") carries the
 * markers.  One with neither is an ordinary module, not klp-check's.
 */
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
	error_at(file, ".modinfo", NOT_LIVEPATCH);
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

/*
 * A module that calls a klp_enable_patch() of its own, defined in one of
 * its sections, never calls the kernel's (fuzz round 8393): its patch is
 * never enabled, and the kernel never resolves its module objects'
 * symbols.  A module that names no klp_enable_patch() at all may be
 * enabled otherwise, and is judged as if it were.
 */
static bool enables_nothing(void)
{
	const struct symbol *sym;
	unsigned int i;

	for (i = 1; i < patch->nr_symbols; i++) {
		sym = &patch->symbols[i];
		if (!strcmp(sym->name, "klp_enable_patch"))
			return sym->sym.st_shndx != SHN_UNDEF;
	}
	return false;
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
	bool never = enables_nothing();
	struct klp_sym_name sn;

	bound = calloc(patch->nr_symbols ?: 1, sizeof(*bound));
	if (!bound) {
		error_at(file, NULL, "out of memory");
		return;
	}
	for (i = 1; i < patch->nr_symbols; i++) {
		const struct symbol *sym = &patch->symbols[i];
		const char *where = sec_where(patch->symtab, i);
		char at[KSYM_WHERE_LEN], *name;
		const struct symsrc *src;
		const struct ksym *k;

		if (sym->sym.st_shndx != SHN_LIVEPATCH || klp_parse_sym_name(sym->name, &sn))
			continue;
		if (never && !klp_name_part_eq(&sn.obj, KLP_VMLINUX)) {
			warn_at(file, where,
				"'%s': never resolved: the module's klp_enable_patch() is its own, not the kernel's, so the patch is never enabled",
				sym->name);
			continue;
		}
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
			bound[i].type = k->type;
			bound[i].in_module_space = src->elf &&
						   strcmp(src->obj, KLP_VMLINUX);
			if (!quiet)
				printf("%s: %s resolves to %s '%s' %s\n", file,
				       sym->name, src->obj, name,
				       ksym_where(k, at, sizeof(at)));
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

/* "section+0xoffset", for a place in the patch's data. */
static const char *data_where(const struct section *sec, unsigned long long off)
{
	static char buf[600];

	snprintf(buf, sizeof(buf), "%.500s+0x%llx", sec->name[0] ? sec->name : "(unnamed)",
		 off);
	return buf;
}

static const char *obj_name(const struct klp_desc_obj *obj)
{
	return obj->name ? obj->name : KLP_VMLINUX;
}

/*
 * The kernel enables only the objects the patch describes, and refuses a
 * patch with a .klp.rela section for any other (klp_reloc_check_objects()):
 * its relocations would never be applied.
 */
static void check_klp_objects(void)
{
	const struct section *sec;
	struct klp_rela_name rn;
	unsigned int i, j;
	char list[256];
	size_t n;
	bool known;

	n = snprintf(list, sizeof(list), "%s", KLP_VMLINUX);
	for (j = 0; j < desc.nr_objs && n < sizeof(list); j++)
		if (desc.obj[j].name)
			n += snprintf(list + n, sizeof(list) - n, ", %.60s", desc.obj[j].name);
	for (i = 1; i < patch->nr_sections; i++) {
		sec = patch->sections[i];
		/* The rules say what is wrong with a name that does not parse. */
		if (!klp_rela_flagged(sec) || klp_parse_rela_name(sec->name, &rn))
			continue;
		known = klp_name_part_eq(&rn.obj, KLP_VMLINUX);
		for (j = 0; j < desc.nr_objs && !known; j++)
			known = desc.obj[j].name && klp_name_part_eq(&rn.obj, desc.obj[j].name);
		if (!known)
			error_at(file, sec_where(sec, -1),
				 "object '%.*s' is neither vmlinux nor one of the patch's objects (%s)",
				 (int)rn.obj.len, rn.obj.s, list);
	}
}

/*
 * The loader lays the text sections that stay after init one after
 * another, in the order of the section table, each at its alignment.  The
 * next of them from index *@i on, and where it begins (@at carries the end
 * of the one before); NULL after the last.
 */
static const struct section *next_laid_text(unsigned int *i, unsigned long long *at)
{
	const struct section *s;
	unsigned long long align;

	for (; *i < patch->nr_sections; (*i)++) {
		s = patch->sections[*i];
		if ((s->sh.sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) !=
		    (SHF_ALLOC | SHF_EXECINSTR) || !loader_alloc(patch, s) ||
		    klp_init_section(s->name))
			continue;
		align = s->sh.sh_addralign ?: 1;
		*at = (*at + align - 1) / align * align;
		(*i)++;
		return s;
	}
	return NULL;
}

/*
 * Why the new function at @t+@off, in the patch module, cannot stand in
 * for an old one, or NULL: as klp_enable_patch() judges it, by address,
 * it must be in a text section that stays after init.
 */
static const char *new_func_unfit(const struct section *t, unsigned long long off)
{
	unsigned long long at = 0, here = 0;
	const struct section *s;
	unsigned int i = 1;
	bool laid = false;

	if (klp_init_section(t->name) && off < t->sh.sh_size)
		return "is in the patch module's init memory, which is freed once it has loaded";
	while ((s = next_laid_text(&i, &at))) {
		if (s == t) {
			here = at + off;
			laid = true;
		}
		at += s->sh.sh_size;
	}
	i = 1;
	at = 0;
	while (laid && (s = next_laid_text(&i, &at))) {
		if (here - at < s->sh.sh_size)
			return NULL;
		at += s->sh.sh_size;
	}
	return "is not in a text section of the patch module";
}

/*
 * What klp_enable_patch() and klp_init_object()/klp_init_func() refuse
 * whatever the target: an object without funcs, a function without
 * old_name or new_func, names too long, and two objects, or two functions
 * of an object, that would get the same sysfs directory.
 */
static void check_klp_funcs(void)
{
	const struct klp_desc_func *f, *g;
	const struct klp_desc_obj *obj;
	unsigned int i, j, k;
	const char *why;

	for (i = 0; i < desc.nr_objs; i++) {
		obj = &desc.obj[i];
		if (obj->name && strlen(obj->name) > KLP_OBJNAME_MAX)
			error_at(file, data_where(obj->sec, obj->off),
				 "object name '%s' is longer than %u characters", obj->name,
				 KLP_OBJNAME_MAX);
		if (!obj->funcs)
			error_at(file, data_where(obj->sec, obj->off),
				 "object '%s' has no funcs: klp_enable_patch() refuses the patch",
				 obj_name(obj));
		for (j = 0; j < i; j++)
			if (!strcmp(obj_name(obj), obj_name(&desc.obj[j])))
				error_at(file, data_where(obj->sec, obj->off),
					 "object '%s' is also object %u: its sysfs directory exists already",
					 obj_name(obj), j);
		for (j = 0; j < obj->nr_funcs; j++) {
			f = &obj->func[j];
			if (!f->old_name) {
				error_at(file, data_where(f->sec, f->off),
					 "function %u of object %s: old_name is NULL",
					 j, obj_name(obj));
				continue;
			}
			if (strlen(f->old_name) > KLP_SYMNAME_MAX)
				error_at(file, data_where(f->sec, f->off),
					 "patched function '%.60s...' (object %s): old_name is longer than %u characters",
					 f->old_name, obj_name(obj), KLP_SYMNAME_MAX);
			if (!f->new_func)
				error_at(file, data_where(f->sec, f->off),
					 "patched function '%s' (object %s): new_func is NULL",
					 f->old_name, obj_name(obj));
			why = f->new_func && f->new_sec ?
			      new_func_unfit(f->new_sec, f->new_off) : NULL;
			if (why)
				error_at(file, data_where(f->sec, f->off),
					 "patched function '%s' (object %s): its new function, %.60s+0x%llx, %s",
					 f->old_name, obj_name(obj), f->new_sec->name,
					 f->new_off, why);
			for (k = 0; k < j; k++) {
				g = &obj->func[k];
				if (g->old_name && !strcmp(f->old_name, g->old_name) &&
				    (f->old_sympos ?: 1) == (g->old_sympos ?: 1))
					error_at(file, data_where(f->sec, f->off),
						 "patched function '%s' (object %s, sympos %llu) is also function %u: its sysfs directory exists already",
						 f->old_name, obj_name(obj), f->old_sympos, k);
			}
		}
	}
}

/*
 * klp_enable_patch() refuses a patch whose .mod is not the module's own
 * struct module (THIS_MODULE).  Where no klp_patch can be read, one case
 * is certain: a module that calls klp_enable_patch() but nowhere takes its
 * struct module's address (a relocation to __this_module + 0 that the
 * loader applies, outside .gnu.linkonce.this_module; a PC-relative one
 * counts the field's distance to the instruction's end, up to 12 bytes)
 * set no .mod to it, as when its .rela.data is missing.  The symbol is
 * told by where it is (klp_is_struct_module()), as the loader does.
 * Where the klp_patch is read, the same holds of its own address: no code
 * that takes it, and klp_enable_patch() is given no patch (as when the
 * relocation of the init's "mov $patch, %rdi" is R_X86_64_NONE).  Only
 * code counts: KASAN's table of globals points at every one of them.
 */
static bool takes_address(const Elf64_Rela *r, unsigned long long v,
			  unsigned long long at)
{
	unsigned int type = ELF64_R_TYPE(r->r_info);

	if (type == R_X86_64_NONE)
		return false;
	if (type == R_X86_64_PC32 || type == R_X86_64_PLT32 || type == R_X86_64_PC64)
		return at - v <= 12;
	return v == at;
}

static void check_enable_arguments(bool read)
{
	bool calls = false, takes = false, takes_patch = false;
	const struct section *to;
	const struct symbol *sym;
	struct section *rs;
	unsigned int i;
	Elf64_Rela r;

	for_each_rela_section(patch, rs) {
		to = find_section_by_index(patch, rs->sh.sh_info);
		if (klp_rela_flagged(rs) || !to || !(to->sh.sh_flags & SHF_ALLOC))
			continue;
		for_each_rela(rs, i, &r) {
			sym = find_symbol_by_index(patch, ELF64_R_SYM(r.r_info));
			if (!sym)
				continue;
			if (!strcmp(sym->name, "klp_enable_patch"))
				calls |= ELF64_R_TYPE(r.r_info) != R_X86_64_NONE &&
					 sym->sym.st_shndx == SHN_UNDEF;
			else if (klp_is_struct_module(sym) &&
				 takes_address(&r, r.r_addend, 0) &&
				 strcmp(to->name, ".gnu.linkonce.this_module"))
				takes = true;
			else if (read && sym->sec == desc.sec &&
				 (to->sh.sh_flags & SHF_EXECINSTR) &&
				 takes_address(&r, sym->sym.st_value + r.r_addend,
					       desc.off))
				takes_patch = true;
		}
	}
	if (calls && !read && !takes)
		error_at(file, NULL,
			 "klp_enable_patch() is called, but no relocation takes the address of symbol '__this_module': no klp_patch's .mod is THIS_MODULE, and the kernel refuses the patch");
	if (calls && read && !takes_patch)
		error_at(file, data_where(desc.sec, desc.off),
			 "klp_enable_patch() is called, but no relocation takes the address of this klp_patch: it is given no patch, and refuses");
}

/*
 * THIS_MODULE is &__this_module, which must be the start of
 * .gnu.linkonce.this_module: that is where the loader puts the struct
 * module, whatever the symbol says.  A klp_patch's .mod relocated to a
 * __this_module elsewhere is not the module, and klp_enable_patch()
 * refuses the patch.
 */
static void check_this_module_symbol(void)
{
	const struct symbol *sym;
	unsigned int i;

	for (i = 1; i < patch->nr_symbols; i++) {
		sym = &patch->symbols[i];
		if (strcmp(sym->name, "__this_module") || sym->sym.st_shndx == SHN_UNDEF)
			continue;
		if (sym->sec && !strcmp(sym->sec->name, ".gnu.linkonce.this_module") &&
		    !sym->sym.st_value)
			continue;
		error_at(file, sec_where(patch->symtab, i),
			 "symbol '__this_module' is not at the start of .gnu.linkonce.this_module: THIS_MODULE is not the module's struct module, and the kernel refuses the patch");
	}
}

/*
 * The patch's own description of itself: what klp_enable_patch() is
 * given.  Read only where it can be read for sure; else say why not, and
 * check nothing of it.
 */
static void check_klp_patch(void)
{
	unsigned int i, nr_funcs = 0;
	int ret;

	if (!is_livepatch_module(patch))
		return;
	if (enables_nothing()) {
		warn_at(file, NULL,
			"the module's klp_enable_patch() is its own, not the kernel's: the patch is never enabled, and its klp_patch is not checked");
		return;
	}
	check_this_module_symbol();
	ret = klp_desc_read(patch, &desc);
	if (ret < 0) {
		error_at(file, NULL, "out of memory");
		return;
	}
	if (ret == KLP_DESC_UNSURE && !quiet)
		printf("%s: note: the klp_patch is not read (%s): %s\n", file, desc.why,
		       "its objects and functions are not checked");
	if (ret == KLP_DESC_NONE || ret == KLP_DESC_READ)
		check_enable_arguments(ret == KLP_DESC_READ);
	if (ret != KLP_DESC_READ)
		return;
	for (i = 0; i < desc.nr_objs; i++)
		nr_funcs += desc.obj[i].nr_funcs;
	if (!quiet)
		printf("%s: klp_patch at %s: %u object%s, %u function%s\n", file,
		       data_where(desc.sec, desc.off), desc.nr_objs,
		       desc.nr_objs == 1 ? "" : "s", nr_funcs, nr_funcs == 1 ? "" : "s");
	check_klp_objects();
	check_klp_funcs();
}

static const struct symsrc *src_named(const char *obj)
{
	unsigned int i;

	for (i = 0; i < nr_srcs; i++)
		if (!strcmp(srcs[i]->obj, obj))
			return srcs[i];
	return NULL;
}

/*
 * klp_find_object_symbol(): old_name must name a symbol of its object,
 * counted in kallsyms order: the only one for old_sympos 0, else the
 * old_sympos-th.  For vmlinux at klp_enable_patch(); for a module when it
 * comes, which the kernel then refuses.
 */
static void resolve_func(const struct klp_desc_obj *obj, const struct klp_desc_func *f,
			 const struct symsrc *src)
{
	const char *where = data_where(f->sec, f->off), *name = f->old_name;
	unsigned long long pos = f->old_sympos;
	char at[KSYM_WHERE_LEN];
	const struct ksym *k;
	unsigned int count;

	k = symsrc_lookup(src, name, &count);
	if (!count)
		error_at(file, where,
			 "patched function '%s' (object %s, sympos %llu): not found in %s",
			 name, obj_name(obj), pos, src->obj);
	else if (!pos && count > 1)
		error_at(file, where,
			 "patched function '%s' (object %s, sympos 0): ambiguous, %u symbols named '%s' in %s: set old_sympos to one of 1 to %u",
			 name, obj_name(obj), count, name, src->obj, count);
	else if (pos > count)
		error_at(file, where,
			 "patched function '%s' (object %s, sympos %llu): only %u symbol%s named '%s' in %s",
			 name, obj_name(obj), pos, count, count == 1 ? "" : "s", name,
			 src->obj);
	else if (!quiet)
		printf("%s: patched function '%s' (object %s, sympos %llu): %s\n",
		       file, name, obj_name(obj), pos,
		       ksym_where(&k[pos ? pos - 1 : 0], at, sizeof(at)));
}

/* Each function whose object's symbols are given; the rest are not judged. */
static void resolve_funcs(void)
{
	const struct klp_desc_obj *obj;
	const struct symsrc *src;
	unsigned int i, j;

	for (i = 0; i < desc.nr_objs; i++) {
		obj = &desc.obj[i];
		src = src_named(obj_name(obj));
		for (j = 0; src && j < obj->nr_funcs; j++)
			if (obj->func[j].old_name &&
			    strlen(obj->func[j].old_name) <= KLP_SYMNAME_MAX)
				resolve_func(obj, &obj->func[j], src);
	}
}

/* Does @v not fit the field of absolute relocation @type? */
static bool overflows(unsigned int type, unsigned long long v)
{
	return (type == R_X86_64_32 && v != (uint32_t)v) ||
	       (type == R_X86_64_32S && (long long)v != (int32_t)v);
}

/*
 * Do the values @lo to @hi (modulo 2^64) all fit the field of @type, or
 * all not?  Biased, a value that fits is one below 2^32; the biased range
 * fits wholly if it does not wrap and ends below 2^32, and misses wholly if
 * it does not wrap and starts at 2^32 or more.
 */
static void field_verdict(unsigned int type, unsigned long long lo,
			  unsigned long long hi, bool *all_fit, bool *none_fit)
{
	unsigned long long bias = type == R_X86_64_32 ? 0 : 0x80000000ULL;

	lo += bias;
	hi += bias;
	*all_fit = lo <= hi && hi < 0x100000000ULL;
	*none_fit = lo <= hi && lo >= 0x100000000ULL;
}

/* Do all the values @hi - @width to @hi overflow a signed 32 bits? */
static bool s32_range_overflows(unsigned long long hi, unsigned long long width)
{
	bool all_fit, none_fit;

	field_verdict(R_X86_64_32S, hi - width, hi, &all_fit, &none_fit);
	return none_fit;
}

/*
 * Does the PC-relative value @s + @a - P overflow 32 bits for every place
 * P the patch may land in module space?  The kernel computes it modulo
 * 2^64.
 */
static bool pcrel_overflows(unsigned long long s, long long a)
{
	return s32_range_overflows(s + a - MODULE_SPACE_START,
				   MODULE_SPACE_END - MODULE_SPACE_START);
}

/*
 * The same for a symbol of a module: S and P both anywhere in module
 * space, so S - P anywhere within its width either way.
 */
static bool pcrel_in_space_overflows(long long a)
{
	unsigned long long width = MODULE_SPACE_END - MODULE_SPACE_START;

	return s32_range_overflows(a + width, 2 * width);
}

/* Do all the values @hi - @width to @hi fit a signed 32 bits? */
static bool s32_range_fits(unsigned long long hi, unsigned long long width)
{
	bool all_fit, none_fit;

	field_verdict(R_X86_64_32S, hi - width, hi, &all_fit, &none_fit);
	return all_fit;
}

/*
 * Does S - P + @a fit wherever in module space the patch and the module
 * of S load?  Where it fits for some places only, the kernel takes or
 * refuses the patch by where the allocator happened to put the two: a
 * relocation no generator makes, and no module to rely on.  (A vmlinux
 * symbol is judged by pcrel_overflows() alone: there only P moves.)
 */
static bool pcrel_in_space_fits(long long a)
{
	unsigned long long width = MODULE_SPACE_END - MODULE_SPACE_START;

	return s32_range_fits(a + width, 2 * width);
}

static void pcrel_unsure(const struct section *sec, unsigned int i,
			 unsigned int s, unsigned int type, long long a)
{
	char name[32];

	error_at(file, sec_where(sec, i),
		 "symbol '%s' + 0x%llx: S - P fits relocation type %s only where the modules happen to load",
		 patch->symbols[s].name, (unsigned long long)a,
		 reloc_type_name(type, name, sizeof(name)));
}

/*
 * An absolute 32-bit entry must hold its value, wherever the patch lands;
 * the kernel refuses it otherwise.  A PC-relative one reaches a vmlinux
 * symbol from anywhere in module space (x86 keeps modules within 2 GiB of
 * the kernel and of each other), unless its addend takes it away.
 */
static void check_values(void)
{
	struct section *sec;
	unsigned int i, s, type;
	unsigned long long v, hi;
	bool all_fit, none_fit;
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
			if (bound[s].in_module_space) {
				/*
				 * Wherever the module goes: the values that do
				 * not fit are one range, so if both ends of
				 * where it may go fail, and no wrap lies
				 * between, every place fails.
				 */
				if ((type == R_X86_64_PC32 ||
				     type == R_X86_64_PLT32) &&
				    pcrel_in_space_overflows(r.r_addend)) {
					error_at(file, sec_where(sec, i),
						 "symbol '%s' + 0x%llx: S - P overflows relocation type %s wherever the modules load",
						 patch->symbols[s].name,
						 (unsigned long long)r.r_addend,
						 reloc_type_name(type, name, sizeof(name)));
					continue;
				}
				if ((type == R_X86_64_PC32 ||
				     type == R_X86_64_PLT32) &&
				    !pcrel_in_space_fits(r.r_addend)) {
					pcrel_unsure(sec, i, s, type, r.r_addend);
					continue;
				}
				v = MODULE_SPACE_START + r.r_addend;
				hi = MODULE_SPACE_END + r.r_addend;
				if (type != R_X86_64_32 && type != R_X86_64_32S)
					continue;
				field_verdict(type, v, hi, &all_fit, &none_fit);
				if (all_fit)
					continue;
				if (none_fit)
					error_at(file, sec_where(sec, i),
						 "symbol '%s': value 0x%llx to 0x%llx (in module space, wherever the module loads) overflows relocation type %s",
						 patch->symbols[s].name, v, hi,
						 reloc_type_name(type, name, sizeof(name)));
				else
					error_at(file, sec_where(sec, i),
						 "symbol '%s': value 0x%llx to 0x%llx (in module space) fits relocation type %s only where the module happens to load",
						 patch->symbols[s].name, v, hi,
						 reloc_type_name(type, name, sizeof(name)));
				continue;
			}
			v = bound[s].addr + r.r_addend;
			if ((type == R_X86_64_PC32 || type == R_X86_64_PLT32) &&
			    pcrel_overflows(bound[s].addr, r.r_addend)) {
				error_at(file, sec_where(sec, i),
					 "symbol '%s': value 0x%llx - P overflows relocation type %s wherever the module loads",
					 patch->symbols[s].name, v,
					 reloc_type_name(type, name, sizeof(name)));
				continue;
			}
			if (overflows(type, v))
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
 * module's text: the kernel refuses anything else before ftrace, which
 * would disable itself and every livepatch, and zero too, which ftrace
 * counts but skips, and so reads before its records later.
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
		if (covered[i])
			continue;
		if (word)
			error_at(file, sec_where(loc, i),
				 "not a call to __fentry__ in the module's text");
		else
			error_at(file, sec_where(loc, i),
				 "zero, not a call site (ftrace would count it, skip it, and read before its records)");
	}
	free(covered);
}

/* The last section named @name, SHF_ALLOC or not, as module_finalize() finds it. */
static const struct section *last_named(const char *name)
{
	const struct section *found = NULL;
	unsigned int i;

	for (i = 1; i < patch->nr_sections; i++)
		if (!strcmp(patch->sections[i]->name, name))
			found = patch->sections[i];
	return found;
}

/* A code-patching list the loader does not keep is refused, as the kernel does. */
static const struct section *kept_list(const char *name)
{
	const struct section *list = last_named(name);

	if (!list || !list->sh.sh_size)
		return NULL;
	if (loader_alloc(patch, list))
		return list;
	error_at(file, sec_where(list, -1), "not SHF_ALLOC, so not in the module");
	return NULL;
}

/*
 * The section and offset that the relocation of @list's bytes at @at
 * gives (S + A), if one of type @type does; NULL otherwise.  An entry
 * without a relocation holds a value relative to wherever the list lands.
 */
static const struct section *list_reloc(const struct section *list,
					unsigned long long at, unsigned int type,
					unsigned long long *off)
{
	const struct section *found = NULL;
	const struct symbol *sym;
	struct section *rs, *target;
	unsigned int j;
	Elf64_Rela r;

	for_each_loader_rela(patch, rs, target) {
		if (target != list)
			continue;
		for_each_rela(rs, j, &r) {
			if (r.r_offset != at)
				continue;
			sym = find_symbol_by_index(patch, ELF64_R_SYM(r.r_info));
			found = NULL;
			if (ELF64_R_TYPE(r.r_info) != type || !sym || !sym->sec ||
			    !loader_alloc(patch, sym->sec))
				continue;
			found = sym->sec;
			*off = sym->sym.st_value + r.r_addend;
		}
	}
	return found;
}

/* Do @len bytes at @sec+@off lie in the module's text (@code) or in it? */
static bool in_module(const struct section *sec, unsigned long long off,
		      unsigned long long len, bool code)
{
	return sec && (!code || (sec->sh.sh_flags & SHF_EXECINSTR)) &&
	       off < sec->sh.sh_size && len <= sec->sh.sh_size - off;
}

/*
 * The section and offset (@off) of the site that entry @i of a list of
 * s32s names, in the module's text; NULL after an error if it is not.
 */
static const struct section *site_of(const struct section *list,
				     unsigned long long i, unsigned long long *off)
{
	const struct section *sec;

	*off = 0;
	sec = list_reloc(list, i * KLP_X86_SITE_SIZE, R_X86_64_PC32, off);
	if (in_module(sec, *off, 1, true))
		return sec;
	error_at(file, sec_where(list, i), "the site is not in the module's text");
	return NULL;
}

/* Entry @i (bytes @e) of a list of s32s, each to a site of an instruction. */
static void check_site(const struct section *list, unsigned long long i,
		       const unsigned char *e)
{
	unsigned long long off;

	(void)e;
	site_of(list, i, &off);
}

/* The byte at @sec+@off, or -1 where the file has none. */
static int byte_at(const struct section *sec, unsigned long long off)
{
	if (!sec->data || off >= sec->size)
		return -1;
	return ((const unsigned char *)sec->data)[off];
}

/* Is @part the string @str? */
static bool part_is(const struct klp_name_part *part, const char *str)
{
	return part->len == strlen(str) && !memcmp(part->s, str, part->len);
}

/*
 * Does relocation section @rs write, at @at, a rel32 to vmlinux's @want: a
 * PC32 or PLT32 entry with addend -4, to @want or to .klp.sym.vmlinux.@want,N?
 * @found keeps its value when no entry of @rs is at @at; the last one is.
 */
static void rela_rel32(const struct section *rs, unsigned long long at,
		       const char *want, bool *found)
{
	const struct symbol *sym;
	struct klp_sym_name sn;
	unsigned int j, type;
	Elf64_Rela r;

	for_each_rela(rs, j, &r) {
		if (r.r_offset != at)
			continue;
		type = ELF64_R_TYPE(r.r_info);
		sym = find_symbol_by_index(patch, ELF64_R_SYM(r.r_info));
		*found = (type == R_X86_64_PC32 || type == R_X86_64_PLT32) &&
			 r.r_addend == -4 && sym;
		if (!*found || !strcmp(sym->name, want))
			continue;
		*found = sym->sym.st_shndx == SHN_LIVEPATCH &&
			 !klp_parse_sym_name(sym->name, &sn) &&
			 part_is(&sn.obj, "vmlinux") && part_is(&sn.name, want);
	}
}

/*
 * Does the rel32 of a call or jump at @sec+@at go to vmlinux's @want when
 * module_finalize() reads it?  The loader's relocations are written by
 * then, and (our kernel) the .klp.rela.vmlinux ones; a module's are not.
 */
static bool rel32_to(const struct section *sec, unsigned long long at,
		     const char *want)
{
	struct section *rs, *target;
	struct klp_rela_name rn;
	bool found = false;

	for_each_loader_rela(patch, rs, target)
		if (target == sec)
			rela_rel32(rs, at, want, &found);
	for_each_rela_section(patch, rs)
		if (klp_rela_flagged(rs) && rs->sh.sh_info == sec->idx &&
		    !klp_parse_rela_name(rs->name, &rn) &&
		    part_is(&rn.obj, "vmlinux"))
			rela_rel32(rs, at, want, &found);
	return found;
}

/*
 * The site of entry @i of @list, in the module's text, or NULL after an
 * error.  *@imm is where the rel32 of the call or jump there is: after an
 * optional CS prefix, E8 or E9, or 0F 8x (a conditional jump) if @jcc; 0
 * if the site holds none of these.
 */
static const struct section *branch_site(const struct section *list,
					 unsigned long long i, bool jcc,
					 unsigned long long *imm)
{
	unsigned long long off, at;
	const struct section *sec;
	int op;

	sec = site_of(list, i, &off);
	if (!sec)
		return NULL;
	at = off + (byte_at(sec, off) == 0x2e);
	op = byte_at(sec, at);
	if (op == 0xe8 || op == 0xe9)
		*imm = at + 1;
	else if (jcc && op == 0x0f && (byte_at(sec, at + 1) & 0xf0) == 0x80)
		*imm = at + 2;
	else
		*imm = 0;
	if (*imm && !in_module(sec, off, *imm + 4 - off, true)) {
		error_at(file, sec_where(list, i),
			 "the site is not a whole instruction in the module's text");
		return NULL;
	}
	return sec;
}

/* apply_returns() takes a jump to the return thunk, and WARNs on others. */
static void check_return(const struct section *list, unsigned long long i,
			 const unsigned char *e)
{
	const struct section *sec;
	unsigned long long imm;

	(void)e;
	sec = branch_site(list, i, false, &imm);
	if (!sec)
		return;
	if (!imm || byte_at(sec, imm - 1) != 0xe9 ||
	    !rel32_to(sec, imm, "__x86_return_thunk"))
		error_at(file, sec_where(list, i), "the site is not a jump to the return thunk");
}

/*
 * apply_retpolines() takes a call or jump to a register's retpoline thunk,
 * WARNs on others and BUG()s on %rsp's.
 */
static void check_retpoline(const struct section *list, unsigned long long i,
			    const unsigned char *e)
{
	static const char * const regs[] = {
		"rax", "rcx", "rdx", "rbx", "rbp", "rsi", "rdi", "r8", "r9",
		"r10", "r11", "r12", "r13", "r14", "r15",
	};
	const struct section *sec;
	unsigned long long imm;
	char thunk[32];
	unsigned int r;

	(void)e;
	sec = branch_site(list, i, true, &imm);
	if (!sec)
		return;
	for (r = 0; imm && r < ARRAY_SIZE(regs); r++) {
		snprintf(thunk, sizeof(thunk), "__x86_indirect_thunk_%s", regs[r]);
		if (rel32_to(sec, imm, thunk))
			return;
	}
	error_at(file, sec_where(list, i),
		 "the site is not a call or jump to a register's retpoline thunk");
}

/*
 * Is the module built for 6.12 or later (its vermagic says), whose
 * alternatives carry 16 bits of flags and whose loader has no
 * .parainstructions but .call_sites?  6.1 otherwise.
 */
static bool line_6_12(void)
{
	static int line = -1;
	const char *magic;
	unsigned int major, minor;

	if (line < 0) {
		magic = elf_modinfo(patch, "vermagic");
		line = magic && sscanf(magic, "%u.%u", &major, &minor) == 2 &&
		       (major > 6 || (major == 6 && minor >= 12));
	}
	return line;
}

static unsigned int alt_size(void)
{
	return line_6_12() ? KLP_X86_ALT_SIZE_6_12 : KLP_X86_ALT_SIZE_6_1;
}

/* Where entry @i of .altinstructions replaces bytes: NULL if nowhere. */
static const struct section *alt_of(const struct section *list,
				    unsigned long long i,
				    unsigned long long *off)
{
	*off = 0;
	return list_reloc(list, i * alt_size(), R_X86_64_PC32, off);
}

/*
 * The length the kernel takes for entry @i, whose own is @len: 6.12 pads
 * the entries of one site (consecutive entries) to the longest.
 */
static unsigned int alt_len(const struct section *list, unsigned long long i,
			    unsigned int len)
{
	unsigned long long n = list->sh.sh_size / alt_size(), j, off, o;
	const struct section *sec = alt_of(list, i, &off), *s;
	int step;

	if (!line_6_12() || !sec || !list->data)
		return len;
	for (step = -1; step <= 1; step += 2)
		for (j = i + step; j < n; j += step) {
			s = alt_of(list, j, &o);
			if (s != sec || o != off || (j + 1) * alt_size() > list->size)
				break;
			if (((const unsigned char *)list->data)[j * alt_size() + 12] > len)
				len = ((const unsigned char *)list->data)[j * alt_size() + 12];
		}
	return len;
}

/*
 * 6.12's direct call (paravirt) replaces a 6-byte "call *disp(%rip)" with
 * a 5-byte call, and the kernel BUG()s on anything else.
 */
static bool alt_call_ok(const struct section *sec, unsigned long long off,
			const struct section *rsec, unsigned long long roff,
			unsigned int len, unsigned int repl_len)
{
	return len == 6 && repl_len == 5 && byte_at(rsec, roff) == 0xe8 &&
	       byte_at(sec, off) == 0xff && byte_at(sec, off + 1) == 0x15;
}

/*
 * struct alt_instr: s32 instr_offset, repl_offset; then 6.1: u16 cpuid
 * (top bit: inverted), u8 lengths; 6.12: u16 cpuid, u16 flags, u8 lengths.
 */
static void check_alternative(const struct section *list, unsigned long long i,
			      const unsigned char *e)
{
	unsigned long long at = i * alt_size(), off = 0, roff = 0;
	const struct section *sec, *rsec;
	unsigned short cpuid, flags = 0;
	unsigned int len, repl_len;
	bool bad;

	memcpy(&cpuid, e + 8, 2);
	if (line_6_12()) {
		memcpy(&flags, e + 10, 2);
		len = alt_len(list, i, e[12]);
		repl_len = e[13];
	} else {
		cpuid &= ~KLP_X86_ALT_FLAG_INV;
		len = e[10];
		repl_len = e[11];
	}
	sec = list_reloc(list, at, R_X86_64_PC32, &off);
	bad = !in_module(sec, off, len, true);
	rsec = list_reloc(list, at + 4, R_X86_64_PC32, &roff);
	bad |= !in_module(rsec, roff, repl_len, false);
	/* The replacement is written over the original: no longer than it. */
	if (bad || cpuid >= KLP_X86_FEATURE_BITS ||
	    len > KLP_X86_MAX_PATCH_LEN || repl_len > len)
		error_at(file, sec_where(list, i),
			 "the alternative's bytes, lengths or feature are not ones the kernel takes");
	else if ((flags & KLP_X86_ALT_FLAG_DIRECT_CALL) &&
		 !alt_call_ok(sec, off, rsec, roff, len, repl_len))
		error_at(file, sec_where(list, i),
			 "a direct call, but not a call replacing \"call *disp(%%rip)\"");
}

/* struct paravirt_patch_site: u8 *instr; u8 type, len */
static void check_paravirt(const struct section *list, unsigned long long i,
			   const unsigned char *e)
{
	unsigned long long off = 0;
	const struct section *sec;

	sec = list_reloc(list, i * KLP_X86_PARA_SIZE, R_X86_64_64, &off);
	if (e[9] > KLP_X86_MAX_PATCH_LEN || !in_module(sec, off, e[9], true))
		error_at(file, sec_where(list, i),
			 "the %u bytes it patches are not in the module's text", e[9]);
}

/*
 * module_finalize() rewrites the code at each site that the module's lists
 * name, at the addresses its relocations put there; for a livepatch module
 * the kernel first checks them all (arch_klp_check_sites()): each site of
 * the s32 lists in the module's text, each alternative replacing bytes of
 * that text with bytes of the module, lengths and features it takes, each
 * paravirt site in the text.  The list is the last section of its name.
 * A return site must be a jump to the return thunk, a retpoline site a
 * call or jump to a register's thunk (the bytes and the relocation that
 * fills in the rel32 say so; the kernel decodes the instruction).  A site
 * in the last bytes of the text needs room for a whole instruction after
 * it, which only the layout says: not checked here, nor .ibt_endbr_seal's
 * ENDBR64 instructions, which only a kernel with IBT checks.
 */
static void check_patch_sites(void)
{
	static const struct {
		const char *name;
		unsigned int entsize;
		void (*check)(const struct section *list, unsigned long long i,
			      const unsigned char *e);
	} lists[] = {
		{ ".retpoline_sites", KLP_X86_SITE_SIZE, check_retpoline },
		{ ".return_sites", KLP_X86_SITE_SIZE, check_return },
		{ ".ibt_endbr_seal", KLP_X86_SITE_SIZE, check_site },
		{ ".smp_locks", KLP_X86_SITE_SIZE, check_site },
		{ ".altinstructions", 0, check_alternative },
		{ ".parainstructions", KLP_X86_PARA_SIZE, check_paravirt },
		{ ".call_sites", KLP_X86_SITE_SIZE, check_site },
	};
	unsigned char e[KLP_X86_PARA_SIZE];
	const struct section *list;
	unsigned long long i, at;
	unsigned int l, entsize;

	for (l = 0; l < ARRAY_SIZE(lists); l++) {
		/* 6.12 has no .parainstructions, 6.1 no .call_sites. */
		if (!strcmp(lists[l].name, line_6_12() ? ".parainstructions" :
							  ".call_sites"))
			continue;
		entsize = lists[l].entsize ?: alt_size();
		list = kept_list(lists[l].name);
		if (!list)
			continue;
		if (list->sh.sh_size % entsize) {
			error_at(file, sec_where(list, -1),
				 "size %llu is not a whole number of entries",
				 (unsigned long long)list->sh.sh_size);
			continue;
		}
		for (i = 0; i < list->sh.sh_size / entsize; i++) {
			/* Bytes the file lacks (SHT_NOBITS) are zeroes in memory. */
			at = i * entsize;
			memset(e, 0, sizeof(e));
			if (list->data && at < list->size)
				memcpy(e, (const char *)list->data + at,
				       list->size - at < entsize ?
				       list->size - at : entsize);
			lists[l].check(list, i, e);
		}
	}
}

/* Is @rs a klp section of object @obj that writes into @table? */
static bool obj_writes(const struct section *rs, const char *obj,
		       const struct section *table)
{
	struct klp_rela_name rn;

	return klp_rela_flagged(rs) && rs->sh.sh_info == table->idx &&
	       !klp_parse_rela_name(rs->name, &rn) && part_is(&rn.obj, obj);
}

/* The one klp relocation of @obj that writes @table's bytes at @at. */
static bool key_reloc(const struct section *table, const char *obj,
		      unsigned long long at, Elf64_Rela *found)
{
	unsigned long long hits = 0;
	struct section *rs;
	unsigned int j;
	Elf64_Rela r;

	for_each_rela_section(patch, rs) {
		if (!obj_writes(rs, obj, table))
			continue;
		for_each_rela(rs, j, &r) {
			if (r.r_offset == at) {
				*found = r;
				hits++;
			}
		}
	}
	return hits == 1;
}

/* What writes the key field of one entry of a table of keys. */
struct key_field {
	unsigned int nr;	/* klp relocations of the object there */
	Elf64_Rela r;		/* the last of them */
};

/*
 * One pass over @obj's klp relocations into @table: the key field of each
 * of its @n entries (at @key_off in @entsize bytes), and, in @total, how
 * many of them write inside the table at all.
 */
static struct key_field *key_fields(const struct section *table,
				    const char *obj, unsigned long long n,
				    unsigned int entsize, unsigned int key_off,
				    unsigned long long *total)
{
	struct key_field *f = calloc(n ?: 1, sizeof(*f));
	struct section *rs;
	unsigned int j;
	Elf64_Rela r;

	*total = 0;
	if (!f) {
		error_at(file, NULL, "out of memory");
		return NULL;
	}
	for_each_rela_section(patch, rs) {
		if (!obj_writes(rs, obj, table))
			continue;
		for_each_rela(rs, j, &r) {
			if (r.r_offset >= table->sh.sh_size)
				continue;
			(*total)++;
			if (r.r_offset % entsize != key_off)
				continue;
			f[r.r_offset / entsize].nr++;
			f[r.r_offset / entsize].r = r;
		}
	}
	return f;
}

/* Does some klp section of @obj write into the patch? */
static bool has_klp_object(const char *obj)
{
	struct klp_rela_name rn;
	struct section *rs;

	for_each_rela_section(patch, rs)
		if (klp_rela_flagged(rs) && !klp_parse_rela_name(rs->name, &rn) &&
		    part_is(&rn.obj, obj))
			return true;
	return false;
}

/* Jump entry @i of @table: its code a NOP or a jump to its target. */
static void check_jump_entry(const struct section *table, unsigned long long i)
{
	unsigned long long base = i * KLP_JUMP_ENTRY_SIZE, code, target;
	const struct section *cs, *ts;
	int op;

	cs = list_reloc(table, base, R_X86_64_PC32, &code);
	ts = list_reloc(table, base + 4, R_X86_64_PC32, &target);
	if (!in_module(cs, code, 2, true) ||
	    klp_init_section(cs->name) || !in_module(ts, target, 1, true) ||
	    klp_init_section(ts->name)) {
		error_at(file, sec_where(table, i),
			 "jump entry: its code or target is not in the module's text after init");
		return;
	}
	op = byte_at(cs, code);
	if ((op == 0x66 && byte_at(cs, code + 1) == 0x90) ||
	    (op == 0x0f && in_module(cs, code, 5, true) && byte_at(cs, code + 1) == 0x1f &&
	     byte_at(cs, code + 2) == 0x44 && byte_at(cs, code + 3) == 0 &&
	     byte_at(cs, code + 4) == 0))
		return;
	/* A jump's displacement is the loader's to write, to the target. */
	if ((op == 0xeb || (op == 0xe9 && in_module(cs, code, 5, true))) &&
	    cs == ts)
		return;
	error_at(file, sec_where(table, i),
		 "jump entry: the code is neither a NOP nor a jump to the entry's target");
}

/* Static call site @i of @table: a call or tail jump that @obj relocates. */
static void check_call_site(const struct section *table, unsigned long long i,
			    const char *obj, bool tail)
{
	unsigned long long site;
	const struct section *ss;
	Elf64_Rela r;

	ss = list_reloc(table, i * KLP_CALL_SITE_SIZE, R_X86_64_PC32, &site);
	if (!in_module(ss, site, 5, true) || klp_init_section(ss->name)) {
		error_at(file, sec_where(table, i),
			 "static call site: not in the module's text after init");
		return;
	}
	if (byte_at(ss, site) != (tail ? 0xe9 : 0xe8)) {
		error_at(file, sec_where(table, i), "static call site: not a %s",
			 tail ? "jump (tail call)" : "call");
		return;
	}
	if (!key_reloc(ss, obj, site + 1, &r) ||
	    klp_x86_64_rela_width(ELF64_R_TYPE(r.r_info)) != 4)
		error_at(file, sec_where(table, i),
			 "static call site: its call is not to a symbol of object '%s' (no klp relocation writes it)",
			 obj);
}

/* @t's kind of table of keys: its index in klp_key_kinds, or KLP_KEY_KINDS. */
static unsigned int key_kind(const struct section *t)
{
	const struct klp_key_kind *k = klp_key_kind_of(t->name);

	return k ? k - klp_key_kinds : KLP_KEY_KINDS;
}

/*
 * A patch's tables of jump entries and static call sites for module
 * objects (Documentation/livepatch/module-static-keys.rst), checked as
 * klp_keys_check() does at load.
 */
static void check_key_tables(void)
{
	unsigned long long i, n, total;
	const struct symbol *sym;
	struct key_field *keys;
	struct klp_sym_name sn;
	const struct section *t;
	unsigned int k, s;
	const char *obj;
	Elf64_Rela r;

	for (s = 1; s < patch->nr_sections; s++) {
		t = patch->sections[s];
		k = key_kind(t);
		if (t->removed || k == KLP_KEY_KINDS)
			continue;
		obj = t->name + strlen(klp_key_kinds[k].prefix);
		if (!strcmp(obj, KLP_VMLINUX) || !has_klp_object(obj)) {
			error_at(file, sec_where(t, -1),
				 "'%s' is not a module object of the patch's klp sections%s",
				 obj, strcmp(obj, KLP_VMLINUX) ? "" :
				 " (vmlinux's keys stay in the loader's tables)");
			continue;
		}
		if (t->sh.sh_type != SHT_PROGBITS ||
		    (t->sh.sh_flags & (SHF_ALLOC | SHF_WRITE)) !=
		    (SHF_ALLOC | SHF_WRITE)) {
			error_at(file, sec_where(t, -1),
				 "must be SHT_PROGBITS, SHF_ALLOC and SHF_WRITE");
			continue;
		}
		if (t->sh.sh_size % klp_key_kinds[k].entsize ||
		    (t->sh.sh_addralign && t->sh.sh_addralign < klp_key_kinds[k].width)) {
			error_at(file, sec_where(t, -1),
				 "not a whole number of %u-byte entries, aligned",
				 klp_key_kinds[k].entsize);
			continue;
		}
		n = t->sh.sh_size / klp_key_kinds[k].entsize;
		keys = key_fields(t, obj, n, klp_key_kinds[k].entsize, klp_key_kinds[k].key_off,
				  &total);
		if (!keys)
			return;
		for (i = 0; i < n; i++) {
			r = keys[i].r;
			if (keys[i].nr != 1 ||
			    klp_x86_64_rela_width(ELF64_R_TYPE(r.r_info)) !=
			    (int)klp_key_kinds[k].width) {
				error_at(file, sec_where(t, i),
					 "%s: its key is not written by one %u-byte klp relocation of object '%s'",
					 klp_key_kinds[k].what, klp_key_kinds[k].width, obj);
				continue;
			}
			sym = find_symbol_by_index(patch, ELF64_R_SYM(r.r_info));
			if (!sym || klp_parse_sym_name(sym->name, &sn) ||
			    !klp_key_sym_ok(sn.name.s, r.r_addend, k == 0)) {
				error_at(file, sec_where(t, i),
					 "%s: symbol '%.*s'%+lld is not a %s",
					 klp_key_kinds[k].what,
					 sym && !klp_parse_sym_name(sym->name, &sn) ?
					 (int)sn.name.len : 1,
					 sym && !klp_parse_sym_name(sym->name, &sn) ?
					 sn.name.s : "?",
					 (long long)(r.r_addend & ~(long long)KLP_KEY_FLAGS),
					 k == 0 ? "static key or a tracepoint's key" :
					 "static call key (" KLP_CALL_KEY_PREFIX "*)");
				continue;
			}
			/* A jump entry's bit 1 is objtool's hint: see keys.c. */
			if (k == 1 && (r.r_addend & KLP_KEY_FLAG_INIT)) {
				error_at(file, sec_where(t, i),
					 "%s: marked as init code, which is freed before module '%s' can come",
					 klp_key_kinds[k].what, obj);
				continue;
			}
			if (k == 0)
				check_jump_entry(t, i);
			else
				check_call_site(t, i, obj, r.r_addend & 1);
		}
		free(keys);
		if (total != n)
			error_at(file, sec_where(t, -1),
				 "%llu klp relocations of object '%s' write into it, for %llu keys",
				 total, obj, n);
	}
}

/*
 * Given the module's symbols, each key a table names must be its writable
 * data, as klp_keys_check_linked() requires when the module comes.
 */
static void check_key_data(void)
{
	const struct section *t;
	struct section *rs;
	unsigned int j, k;
	Elf64_Rela r;

	for_each_rela_section(patch, rs) {
		t = find_section_by_index(patch, rs->sh.sh_info);
		if (!klp_rela_flagged(rs) || !t || t == rs)
			continue;
		k = key_kind(t);
		if (k == KLP_KEY_KINDS)
			continue;
		for_each_rela(rs, j, &r) {
			unsigned int s = ELF64_R_SYM(r.r_info);

			if (r.r_offset % klp_key_kinds[k].entsize != klp_key_kinds[k].key_off ||
			    s >= patch->nr_symbols || !bound[s].ok ||
			    !bound[s].type || strchr("dDbB", bound[s].type))
				continue;
			error_at(file, sec_where(rs, j),
				 "%s %llu: key '%s' is not writable data (type '%c'): the kernel refuses it when its module comes",
				 t->name,
				 (unsigned long long)(r.r_offset / klp_key_kinds[k].entsize),
				 patch->symbols[s].name, bound[s].type);
		}
	}
}

/*
 * A kernel with STRICT_MODULE_RWX (x86's default) refuses any module with
 * a section both writable and executable (module_enforce_rwx_sections()).
 */
static void check_wx(void)
{
	const Elf64_Xword wx = SHF_WRITE | SHF_EXECINSTR;
	unsigned int i;

	/* Section 0 too: the loader checks only its type, size and address. */
	for (i = 0; i < patch->nr_sections; i++)
		if ((patch->sections[i]->sh.sh_flags & wx) == wx)
			error_at(file, sec_where(patch->sections[i], -1),
				 "both SHF_WRITE and SHF_EXECINSTR: the kernel refuses a module with such a section");
}

/* <linux/module_signature.h>: what follows the module, before the marker. */
#define PKEY_ID_PKCS7		2

struct module_signature {
	unsigned char algo, hash, id_type, signer_len, key_id_len, pad[3];
	unsigned char sig_len[4];	/* big-endian */
};

/*
 * How many bytes of @buf the loader takes for the module: it cuts an
 * appended signature off first (module_sig_check()).  klp-check cannot
 * verify a signature, but one the loader cannot even parse is refused
 * whatever the keys, and so is it here.
 */
static bool module_len(const unsigned char *buf, size_t *len)
{
	const size_t mlen = sizeof(MODULE_SIG_STRING) - 1;
	struct module_signature ms;
	unsigned long sig_len;

	if (!module_signed(buf, *len))
		return true;
	*len -= mlen;
	if (*len <= sizeof(ms)) {
		error_at(file, NULL, "signature marker without a signature");
		return false;
	}
	memcpy(&ms, buf + *len - sizeof(ms), sizeof(ms));
	sig_len = (unsigned long)ms.sig_len[0] << 24 | ms.sig_len[1] << 16 |
		  ms.sig_len[2] << 8 | ms.sig_len[3];
	if (sig_len >= *len - sizeof(ms)) {
		error_at(file, NULL, "signature of %lu bytes is longer than the module",
			 sig_len);
		return false;
	}
	/* Not PKCS#7: the loader takes the module as unsigned. */
	if (ms.id_type != PKEY_ID_PKCS7)
		return true;
	if (ms.algo || ms.hash || ms.signer_len || ms.key_id_len ||
	    ms.pad[0] || ms.pad[1] || ms.pad[2]) {
		error_at(file, NULL, "PKCS#7 signature information has non-zero parameters");
		return false;
	}
	*len -= sig_len + sizeof(ms);
	return true;
}

/* Section @i for a message: its name where it has one. */
static const char *image_where(unsigned int i)
{
	static char buf[32];

	if (patch->sections && i < patch->nr_sections && patch->sections[i] &&
	    patch->sections[i]->name[0])
		return sec_where(patch->sections[i], -1);
	snprintf(buf, sizeof(buf), "section [%u]", i);
	return buf;
}

/* Do the contents of section @i, @sh, lie within the module's @len bytes? */
static bool within(unsigned int i, const Elf64_Shdr *sh, size_t len)
{
	unsigned long long end = sh->sh_offset + sh->sh_size;

	if (end >= sh->sh_offset && end <= len)
		return true;
	error_at(file, image_where(i),
		 "contents (0x%llx bytes at 0x%llx) lie outside the file (0x%zx bytes)",
		 (unsigned long long)sh->sh_size,
		 (unsigned long long)sh->sh_offset, len);
	return false;
}

/*
 * The loader's first look at a module (elf_validity_check()): the header,
 * the section header table, the section name table, section 0, and that
 * each section with contents lies within the module, in that order.  Like
 * the loader, stop at the first problem: what follows would read what it
 * refused.  The header's class, byte order and version it does not read.
 *
 * Return: true if the loader gets past it.
 */
static bool check_image(void)
{
	const unsigned char *buf;
	Elf64_Shdr sh, str;
	Elf64_Ehdr eh;
	unsigned int i;
	size_t len;

	buf = elf_image(patch, &len);
	if (!buf)
		return true;	/* patch->err says why */
	if (!module_len(buf, &len))
		return false;
	if (len < SELFMAG || memcmp(buf, ELFMAG, SELFMAG)) {
		error_at(file, NULL, "not an ELF file");
		return false;
	}
	if (len < sizeof(eh)) {
		error_at(file, NULL, "%zu bytes: shorter than an ELF header", len);
		return false;
	}
	memcpy(&eh, buf, sizeof(eh));
	if (eh.e_type != ET_REL) {
		error_at(file, NULL, "not a relocatable object (e_type %u)", eh.e_type);
		return false;
	}
	if (eh.e_machine != EM_X86_64) {
		error_at(file, NULL, "not an x86_64 object (e_machine %u)", eh.e_machine);
		return false;
	}
	if (eh.e_shentsize != sizeof(sh)) {
		error_at(file, NULL, "e_shentsize is %u, not %zu", eh.e_shentsize,
			 sizeof(sh));
		return false;
	}
	if (eh.e_shoff >= len || eh.e_shnum * sizeof(sh) > len - eh.e_shoff) {
		error_at(file, NULL,
			 "the section header table (%u entries at 0x%llx) lies outside the file (0x%zx bytes)",
			 eh.e_shnum, (unsigned long long)eh.e_shoff, len);
		return false;
	}
	if (!eh.e_shstrndx || eh.e_shstrndx >= eh.e_shnum) {
		error_at(file, NULL, "e_shstrndx %u is not a section (e_shnum %u)",
			 eh.e_shstrndx, eh.e_shnum);
		return false;
	}
	memcpy(&str, buf + eh.e_shoff + eh.e_shstrndx * sizeof(str), sizeof(str));
	if (!within(eh.e_shstrndx, &str, len))
		return false;
	if (!str.sh_size || buf[str.sh_offset + str.sh_size - 1]) {
		error_at(file, image_where(eh.e_shstrndx),
			 "the section name table is empty or does not end in a NUL");
		return false;
	}
	memcpy(&sh, buf + eh.e_shoff, sizeof(sh));
	if (sh.sh_type != SHT_NULL || sh.sh_size || sh.sh_addr) {
		error_at(file, NULL, "section [0] is not SHT_NULL with size and address 0");
		return false;
	}
	for (i = 1; i < eh.e_shnum; i++) {
		memcpy(&sh, buf + eh.e_shoff + i * sizeof(sh), sizeof(sh));
		if (sh.sh_type == SHT_NULL || sh.sh_type == SHT_NOBITS)
			continue;
		if (sh.sh_type == SHT_SYMTAB &&
		    (!sh.sh_link || sh.sh_link >= eh.e_shnum)) {
			error_at(file, image_where(i),
				 "symbol table links section %u, which does not exist",
				 sh.sh_link);
			return false;
		}
		if (!within(i, &sh, len))
			return false;
		if ((sh.sh_flags & SHF_ALLOC) && sh.sh_name >= str.sh_size) {
			error_at(file, NULL,
				 "section [%u]: name offset %u is outside the section name table",
				 i, sh.sh_name);
			return false;
		}
	}
	if (patch->ident[EI_CLASS] != ELFCLASS64 ||
	    patch->ident[EI_DATA] != ELFDATA2LSB ||
	    patch->ident[EI_VERSION] != EV_CURRENT)
		warn_at(file, NULL,
			"e_ident gives class %u, data %u, version %u: the loader reads none of them, and takes the file as ELF64 little-endian",
			patch->ident[EI_CLASS], patch->ident[EI_DATA],
			patch->ident[EI_VERSION]);
	return true;
}

/* setup_load_info(): a module has its struct module in this section. */
static void check_this_module(void)
{
	const struct section *mine, *theirs;
	unsigned int i;

	mine = find_alloc_section(patch, ".gnu.linkonce.this_module");
	if (!mine) {
		error_at(file, NULL,
			 "no SHF_ALLOC section .gnu.linkonce.this_module: not a kernel module (modpost's .mod.o holds it)");
		return;
	}
	/*
	 * It is the module's struct module: the kernel refuses one of
	 * another size than its own, or without bytes in the file.  A
	 * target module built for the kernel has the kernel's size.
	 */
	if (mine->sh.sh_type == SHT_NOBITS) {
		error_at(file, sec_where(mine, -1),
			 "SHT_NOBITS: the kernel reads the module's struct module from the file");
		return;
	}
	/* check_klp_image(): nothing but the name (klp_modstruct_stray()). */
	if (mine->data && mine->size == mine->sh.sh_size &&
	    mine->size >= KLP_MODSTRUCT_NAME_OFF + KLP_MODSTRUCT_NAME_LEN) {
		size_t off = klp_modstruct_stray(mine->data, mine->size);

		if (off < mine->size) {
			error_at(file, sec_where(mine, -1),
				 "byte 0x%02x at offset %zu of struct module, where a module brings nothing but its name; the loader would take it for its own state",
				 ((const unsigned char *)mine->data)[off], off);
			return;
		}
	}
	for (i = 0; i < nr_srcs; i++) {
		theirs = srcs[i]->elf ?
			 find_alloc_section(srcs[i]->elf, ".gnu.linkonce.this_module") : NULL;
		if (!theirs || !strcmp(srcs[i]->obj, KLP_VMLINUX))
			continue;
		if (mine->sh.sh_size != theirs->sh.sh_size)
			error_at(file, sec_where(mine, -1),
				 "%llu bytes, not the kernel's struct module of %llu (%s's)",
				 (unsigned long long)mine->sh.sh_size,
				 (unsigned long long)theirs->sh.sh_size, srcs[i]->obj);
		return;
	}
}

/*
 * check_modinfo(): the loader compares the module's vermagic with its own
 * (past the first word if the module has __versions), and refuses a
 * module without one, unless forced.  A target module built for the
 * kernel carries the kernel's.
 */
static void check_vermagic(void)
{
	const char *magic = elf_modinfo(patch, "vermagic"), *want;
	bool crcs = find_alloc_section(patch, "__versions");
	unsigned int i;
	size_t a = 0, b = 0;

	for (i = 0; i < nr_srcs; i++) {
		want = srcs[i]->elf ? elf_modinfo(srcs[i]->elf, "vermagic") : NULL;
		if (!want || !strcmp(srcs[i]->obj, KLP_VMLINUX))
			continue;
		if (!magic) {
			error_at(file, ".modinfo",
				 "no NUL-terminated vermagic: the kernel's is '%s' (%s's)", want,
				 srcs[i]->obj);
			return;
		}
		if (crcs) {
			a = strcspn(magic, " ");
			b = strcspn(want, " ");
		}
		if (strcmp(magic + a, want + b))
			error_at(file, ".modinfo",
				 "vermagic '%s' is not the kernel's '%s' (%s's)", magic,
				 want, srcs[i]->obj);
		return;
	}
}

enum export_kind { NOT_EXPORTED, EXPORTED_ANY, EXPORTED_GPL };

/*
 * Does any object given export @name, as a symbol an undefined one binds
 * to?  EXPORTED_GPL when every export of it is GPL-only.
 */
static enum export_kind exported(const char *name)
{
	enum export_kind kind = NOT_EXPORTED;
	unsigned int i;

	for (i = 0; i < nr_srcs; i++) {
		if (!symsrc_exports(srcs[i], name))
			continue;
		if (!symsrc_exports_gpl(srcs[i], name))
			return EXPORTED_ANY;
		kind = EXPORTED_GPL;
	}
	return kind;
}

/*
 * The licences the loader calls GPL-compatible (license_is_gpl_compatible()
 * in include/linux/license.h): a module under any other, or none, is
 * tainted proprietary when it loads, and its undefined symbols cannot bind
 * to GPL-only exports.
 */
static bool gpl_compatible(const char *licence)
{
	static const char *const ok[] = {
		"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
		"Dual MIT/GPL", "Dual MPL/GPL",
	};
	unsigned int i;

	for (i = 0; licence && i < ARRAY_SIZE(ok); i++)
		if (!strcmp(licence, ok[i]))
			return true;
	return false;
}

/*
 * simplify_symbols(): a symbol's section index is a section of the module,
 * or one the loader knows: SHN_UNDEF, bound to an export of vmlinux or of
 * a loaded module; SHN_ABS; SHN_LIVEPATCH (any other, klp_rules_loader()
 * refuses).  SHN_COMMON is refused, as modules are built -fno-common.
 * Exports are known only with vmlinux's symbols, and a module's only if
 * it is given.
 */
static void check_symbol_sections(void)
{
	const char *licence = elf_modinfo(patch, "license");
	unsigned int i, shndx, unjudged = 0;
	const struct symbol *sym;
	enum export_kind kind;

	for (i = 1; i < patch->nr_symbols; i++) {
		sym = &patch->symbols[i];
		shndx = sym->sym.st_shndx;
		switch (shndx) {
		case SHN_ABS:
		case SHN_LIVEPATCH:
			break;
		case SHN_COMMON:
			if (strncmp(sym->name, "__gnu_lto", 9))
				error_at(file, sec_where(patch->symtab, i),
					 "symbol '%s' is SHN_COMMON: build with -fno-common",
					 sym->name);
			break;
		case SHN_UNDEF:
			/* check_symbols() says what is wrong with these. */
			if (klp_sym_named(sym) || ELF64_ST_BIND(sym->sym.st_info) == STB_WEAK ||
			    !strcmp(sym->name, "_GLOBAL_OFFSET_TABLE_"))
				break;
			if (!have_vmlinux_src) {
				unjudged++;
				break;
			}
			kind = exported(sym->name);
			if (kind == EXPORTED_GPL && !gpl_compatible(licence))
				error_at(file, sec_where(patch->symtab, i),
					 "undefined symbol '%s' is a GPL-only export, and the module's licence '%s' is not GPL-compatible: the loader refuses the module (Unknown symbol %s)",
					 sym->name, licence ?: "(none)", sym->name);
			else if (kind == NOT_EXPORTED)
				error_at(file, sec_where(patch->symtab, i),
					 "undefined symbol '%s' is exported neither by vmlinux nor by a module given: the loader refuses the module (Unknown symbol %s)",
					 sym->name, sym->name);
			break;
		default:
			/* klp_rules_loader() says what is wrong with these. */
			break;
		}
	}
	if (unjudged && !quiet)
		printf("%s: note: %u undefined symbol%s not checked against %s\n",
		       file, unjudged, unjudged == 1 ? "" : "s",
		       "vmlinux's exports: give --kallsyms, --vmlinux or --system-map");
}

/*
 * The loader fills in parts of struct module, the .gnu.linkonce.this_module
 * section, before it relocates; a relocation there finds those bytes not
 * zero.  Only the first fields are at the same place in every
 * configuration and in 6.1 and 6.12: the state, which is then
 * MODULE_STATE_UNFORMED (its first byte), and the list links (bytes 8 to
 * 23).  kbuild relocates only the init and exit pointers, further on.
 */
static bool loader_filled(const struct section *target, unsigned long long off,
			  int width)
{
	if (strcmp(target->name, ".gnu.linkonce.this_module"))
		return false;
	return off == 0 || (off < 24 && off + width > 8);
}

/*
 * Where the symbol of an ordinary entry lies once the loader has bound it:
 * from *@lo to *@hi, which are one address where it is known, and a range
 * where the module holding it may load anywhere in module space.  False
 * where that is not known: an undefined symbol exported by nothing given.
 * A weak one that nothing exports stays 0, as simplify_symbols() leaves
 * it, where vmlinux's exports are known.
 */
static bool plain_sym_range(const struct symbol *sym, unsigned long long *lo,
			    unsigned long long *hi)
{
	const struct section *sec = sym->sec;
	unsigned long long v = sym->sym.st_value;
	const struct ksym *k;
	unsigned int i, count;

	if (sym->sym.st_shndx == SHN_ABS) {
		*lo = *hi = v;
		return true;
	}
	if (sym->sym.st_shndx == SHN_UNDEF) {
		for (i = 0; i < nr_srcs; i++) {
			if (!symsrc_exports(srcs[i], sym->name))
				continue;
			k = symsrc_lookup(srcs[i], sym->name, &count);
			if (!count)
				return false;
			if (srcs[i]->elf && strcmp(srcs[i]->obj, KLP_VMLINUX)) {
				*lo = MODULE_SPACE_START + k->addr;
				*hi = MODULE_SPACE_END + k->addr;
			} else {
				*lo = *hi = k->addr;
			}
			return true;
		}
		if (!have_vmlinux_src || ELF64_ST_BIND(sym->sym.st_info) != STB_WEAK)
			return false;
		*lo = *hi = 0;
		return true;
	}
	if (!sec || !loader_alloc(patch, sec) || sec->sh.sh_size > KLP_MODULE_SPACE_SIZE)
		return false;
	*lo = MODULE_SPACE_START + v;
	*hi = MODULE_SPACE_END - sec->sh.sh_size + v;
	return true;
}

/* A section symbol is named by its section, as the kernel does. */
static const char *plain_symname(const struct symbol *sym)
{
	return ELF64_ST_TYPE(sym->sym.st_info) == STT_SECTION && sym->sec ?
	       sym->sec->name : sym->name;
}

/*
 * The loader's writer refuses an ordinary entry of type 32 or 32S whose
 * value does not fit, and for a livepatch module klp_reloc_load() refuses
 * one of those or of PC32 or PLT32 first.  With S where plain_sym_range() says and P anywhere
 * its section may land (or S - P exact, within one section), the value
 * fits everywhere, nowhere, or only where the module happens to load.
 * The first to fail is the entry named.
 */
static bool plain_value_fails(const struct section *sec, unsigned int i,
			      const struct section *target, const Elf64_Rela *r)
{
	unsigned int type = ELF64_R_TYPE(r->r_info);
	unsigned long long slo, shi, lo, hi, a = r->r_addend;
	const struct symbol *sym;
	bool pcrel, all_fit, none_fit;
	const char *sname, *tname;
	char name[32];

	pcrel = type == R_X86_64_PC32 || type == R_X86_64_PLT32;
	/* The writer lets PC-relative values wrap: only our check sees them. */
	if (pcrel ? !is_livepatch_module(patch) :
		    type != R_X86_64_32 && type != R_X86_64_32S)
		return false;
	sym = find_symbol_by_index(patch, ELF64_R_SYM(r->r_info));
	if (!sym || !plain_sym_range(sym, &slo, &shi))
		return false;
	lo = slo + a;
	hi = shi + a;
	if (pcrel && sym->sec == target) {
		lo = sym->sym.st_value + a - r->r_offset;
		hi = lo;
	} else if (pcrel) {
		if (target->sh.sh_size > KLP_MODULE_SPACE_SIZE)
			return false;
		lo -= MODULE_SPACE_END - target->sh.sh_size + r->r_offset;
		hi -= MODULE_SPACE_START + r->r_offset;
	}
	field_verdict(type, lo, hi, &all_fit, &none_fit);
	if (all_fit)
		return false;
	tname = reloc_type_name(type, name, sizeof(name));
	sname = plain_symname(sym);
	if (lo == hi)
		error_at(file, sec_where(sec, i),
			 "symbol '%s' + 0x%llx: value 0x%llx overflows relocation type %s",
			 sname, a, lo, tname);
	else if (none_fit)
		error_at(file, sec_where(sec, i),
			 "symbol '%s' + 0x%llx: value 0x%llx to 0x%llx overflows relocation type %s wherever the module loads",
			 sname, a, lo, hi, tname);
	else
		error_at(file, sec_where(sec, i),
			 "symbol '%s' + 0x%llx: value 0x%llx to 0x%llx fits relocation type %s only where the module happens to load",
			 sname, a, lo, hi, tname);
	return true;
}

/*
 * apply_relocations() and x86_64's apply_relocate_add(): the loader
 * applies each SHT_RELA section whose target is an SHF_ALLOC section and
 * that is not a klp section.  Each entry must be of a type it knows, onto
 * bytes that are zero; an SHT_REL section it cannot apply.  A relocation
 * section whose target is no section at all it skips, leaving zeroes where
 * the addresses belong.
 */
/*
 * klp_loader_calls(): an entry whose pointer the loader calls must be an
 * R_X86_64_64 of a symbol in the module's code, its value inside the
 * symbol's section (symbol values are offsets into it here).
 */
static bool calls_code(const Elf64_Rela *r)
{
	unsigned int symidx = ELF64_R_SYM(r->r_info);
	const struct symbol *sym;
	const struct section *code;

	if (ELF64_R_TYPE(r->r_info) != KLP_CALLED_TYPE || symidx >= patch->nr_symbols)
		return false;
	sym = &patch->symbols[symidx];
	code = sym->sec;
	return code && (code->sh.sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) ==
		       (SHF_ALLOC | SHF_EXECINSTR) &&
	       sym->sym.st_value + r->r_addend < code->sh.sh_size;
}

static void check_plain_relocs(void)
{
	const struct section *sec, *target;
	unsigned int i, j, type;
	unsigned long long off;
	char name[32];
	int width;
	Elf64_Rela r;

	for (i = 1; i < patch->nr_sections; i++) {
		sec = patch->sections[i];
		if ((sec->sh.sh_type != SHT_RELA && sec->sh.sh_type != SHT_REL) ||
		    klp_rela_flagged(sec))
			continue;
		/* klp_rules_loader() refuses these: the loader would skip them. */
		if (!sec->sh.sh_info || sec->sh.sh_info >= patch->nr_sections)
			continue;
		target = patch->sections[sec->sh.sh_info];
		if (!loader_alloc(patch, target))
			continue;
		if (sec->sh.sh_type == SHT_REL) {
			error_at(file, sec_where(sec, -1),
				 "SHT_REL relocations into %s: x86_64 modules take SHT_RELA only",
				 target->name);
			continue;
		}
		for_each_rela(sec, j, &r) {
			type = ELF64_R_TYPE(r.r_info);
			width = klp_x86_64_rela_width(type);
			off = r.r_offset;
			if (width < 0) {
				error_at(file, sec_where(sec, j),
					 "relocation type %s is not one the module loader applies",
					 reloc_type_desc(type, name, sizeof(name)));
				break;
			}
			/* Out of range is klp_check_rules()' to say. */
			if (!width || off > target->sh.sh_size ||
			    target->sh.sh_size - off < (unsigned int)width)
				continue;
			if (plain_value_fails(sec, j, target, &r))
				break;
			if (target->sh.sh_type == SHT_NOBITS || !target->data ||
			    off > target->size || target->size - off < (unsigned int)width)
				continue;
			if (memcmp((char *)target->data + off, "\0\0\0\0\0\0\0\0", width)) {
				error_at(file, sec_where(sec, j),
					 "target bytes at %s+0x%llx are not zero", target->name,
					 off);
				break;
			}
			if (loader_filled(target, off, width)) {
				error_at(file, sec_where(sec, j),
					 "target bytes at %s+0x%llx are struct module's state or list, which the loader sets before it relocates",
					 target->name, off);
				break;
			}
			if (klp_loader_calls(target->name) && !calls_code(&r)) {
				error_at(file, sec_where(sec, j), KLP_CALLED_MSG_FMT,
					 ELF64_R_SYM(r.r_info) < patch->nr_symbols ?
					 plain_symname(&patch->symbols[ELF64_R_SYM(r.r_info)]) :
					 "(none)",
					 (unsigned long long)r.r_addend, target->name);
				break;
			}
		}
	}
}

/* Whichever way the tool exits. */
static void release(void)
{
	unsigned int i;

	for (i = 0; i < nr_srcs; i++)
		symsrc_free(srcs[i]);
	free(srcs);
	free(bound);
	klp_desc_free(&desc);
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
	unsigned int i, n;
	char *err = NULL;

	if (opt == 'k') {
		if (symsrc_from_kallsyms(path, &list, &n, &err))
			goto fail;
	} else {
		n = 1;
		list = malloc(sizeof(*list));
		if (!list)
			goto fail;
		list[0] = opt == 'S' ? symsrc_from_system_map(path, &err) :
			  symsrc_from_elf(path, opt == 'V', &err);
		if (!list[0]) {
			free(list);
			goto fail;
		}
	}
	/* A kernel without CONFIG_KALLSYMS_ALL lists no __ksymtab_ symbols. */
	for (i = 0; i < n; i++)
		have_vmlinux_src |= !strcmp(list[i]->obj, KLP_VMLINUX) &&
				    list[i]->nr_exports;
	add_srcs(list, n);
	return;
fail:
	fprintf(stderr, "klp-check: %s\n", err ? err : "out of memory");
	free(err);
	exit(EXIT_USAGE);
}

/* The target's MemTotal caps its module memory, as vmalloc() refuses more. */
static void read_meminfo(const char *path)
{
	unsigned long long kb = 0;
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "klp-check: %s: %s\n", path, strerror(errno));
		exit(EXIT_USAGE);
	}
	while (!kb && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %llu kB", &kb) != 1)
			kb = 0;
	fclose(f);
	if (!kb) {
		fprintf(stderr, "klp-check: %s: no MemTotal line\n", path);
		exit(EXIT_USAGE);
	}
	if (kb < KLP_MODULE_SPACE_SIZE / 1024)
		klp_mem_limit = kb * 1024;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kallsyms", required_argument, NULL, 'k' },
		{ "vmlinux",  required_argument, NULL, 'V' },
		{ "system-map", required_argument, NULL, 'S' },
		{ "module",   required_argument, NULL, 'm' },
		{ "meminfo",  required_argument, NULL, 'M' },
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
		case 'S':
		case 'm':
			load_source(c, optarg);
			break;
		case 'M':
			read_meminfo(optarg);
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
	if (!check_image())
		goto summary;
	if (patch->err) {
		error_at(file, NULL, "%s", patch->err);
		goto summary;
	}

	check_this_module();
	check_markers();
	for (i = 1; i < patch->nr_sections; i++)
		if (klp_rela_flagged(patch->sections[i]) ||
		    klp_rela_named(patch->sections[i]))
			lint_klp_section(patch->sections[i]);
	klp_check_rules(patch, file, check_target_bytes, patch);
	if (is_livepatch_module(patch)) {
		check_ftrace_sites();
		check_patch_sites();
		check_key_tables();
	}
	check_wx();
	check_symbols();
	check_symbol_sections();
	check_plain_relocs();
	check_klp_patch();
	if (nr_srcs) {
		check_vermagic();
		resolve_symbols();
		resolve_funcs();
		if (bound) {
			check_values();
			check_key_data();
		}
	}
summary:
	printf("%s: %u error%s, %u warning%s\n", file, nr_errors, nr_errors == 1 ? "" : "s",
	       nr_warnings, nr_warnings == 1 ? "" : "s");
	return nr_errors ? EXIT_PROBLEMS : 0;
}
