// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the livepatch relocation core (reloc.c).
 *
 * The name parser is walked through the case table that the userspace
 * klp tools also run, so kernel and tools are held to the same grammar.
 * The validator is fed small ELF images assembled here, each valid but
 * for one field, and must refuse each with -ENOEXEC before resolving or
 * writing anything.  What it keeps must not depend on the image once it
 * is built, applying must write nothing when it refuses, and clearing
 * must undo only what applying wrote.  The sympos rules are checked on
 * counted matches.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/elf.h>
#include <linux/kallsyms.h>
#include <linux/klp_compat.h>
#include <linux/klp_format.h>
#include "klp_format_cases.h"
#include <linux/klp_reloc_arch.h>
#include <linux/klp_rules.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/alternative.h>
#include <asm/cpufeatures.h>
#include <asm/nospec-branch.h>
#ifdef CONFIG_PARAVIRT
#include <asm/paravirt_types.h>
#endif
#include <asm/text-patching.h>
#include "reloc.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* The kernel's ELF headers stop short of the encoder the test needs. */
#define ELF64_R_INFO(sym, type)	(((u64)(sym) << 32) | (type))

static void check_part(struct kunit *test, const struct klp_name_part *part,
		       const char *want, const char *in)
{
	KUNIT_EXPECT_EQ_MSG(test, part->len, strlen(want), "input %s", in);
	KUNIT_EXPECT_EQ_MSG(test, strncmp(part->s, want, part->len), 0,
			    "input %s", in);
}

static void parse_matches_shared_case_table(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(klp_name_cases); i++) {
		const struct klp_name_case *c = &klp_name_cases[i];
		struct klp_rela_name rn;
		struct klp_sym_name sn;
		int err;

		if (c->rela)
			err = klp_parse_rela_name(c->in, &rn);
		else
			err = klp_parse_sym_name(c->in, &sn);
		KUNIT_EXPECT_EQ_MSG(test, err, c->err, "input %s", c->in);
		if (err || c->err)
			continue;
		if (c->rela) {
			check_part(test, &rn.obj, c->obj, c->in);
			check_part(test, &rn.sec, c->name, c->in);
		} else {
			check_part(test, &sn.obj, c->obj, c->in);
			check_part(test, &sn.name, c->name, c->in);
			KUNIT_EXPECT_EQ_MSG(test, sn.sympos, c->sympos,
					    "input %s", c->in);
		}
	}
}

static void strerror_covers_every_error(struct kunit *test)
{
	int err;

	for (err = 0; err < KLP_NAME_NR_ERRORS; err++)
		KUNIT_EXPECT_STRNEQ(test, klp_name_strerror(err), "unknown error");
	KUNIT_EXPECT_STREQ(test, klp_name_strerror(-1), "unknown error");
}

/*
 * A patch module image in memory: one target section, one klp section
 * with one relocation, and a symbol table with one .klp.sym symbol.
 */
enum {
	S_NULL, S_TEXT, S_KLP, S_SYMTAB, S_STRTAB, S_SHSTRTAB, S_KLP2, S_PLAIN,
	S_NR
};

struct img {
	Elf_Ehdr hdr;
	Elf_Shdr sh[S_NR];
	char shstr[512];
	char str[160];
	size_t shstr_len, str_len;
	Elf_Sym syms[3];
	Elf_Rela rela;
	Elf_Rela rela2;
	Elf_Rela plain;
	u8 text[32];
	struct klp_elf elf;
	struct klp_reloc_state *st;
	unsigned int nreports;	/* refusals reported by the rules */
	char report[256];	/* the last one */
};

static unsigned int add_str(char *tab, size_t *len, const char *s)
{
	unsigned int off = *len;

	memcpy(tab + off, s, strlen(s) + 1);
	*len += strlen(s) + 1;
	return off;
}

/* @obj: the object in both the section and the symbol name */
static void img_build(struct img *m, const char *obj)
{
	char name[64];

	klp_reloc_free(m->st);
	memset(m, 0, sizeof(*m));
	m->shstr_len = 1;
	m->str_len = 1;
	m->hdr.e_shnum = S_NR;
	m->hdr.e_shstrndx = S_SHSTRTAB;

	m->sh[S_TEXT].sh_name = add_str(m->shstr, &m->shstr_len, ".text");
	m->sh[S_TEXT].sh_type = SHT_PROGBITS;
	m->sh[S_TEXT].sh_flags = SHF_ALLOC | SHF_EXECINSTR;
	m->sh[S_TEXT].sh_addr = (unsigned long)m->text;
	m->sh[S_TEXT].sh_size = sizeof(m->text);

	snprintf(name, sizeof(name), ".klp.rela.%s..text", obj);
	m->sh[S_KLP].sh_name = add_str(m->shstr, &m->shstr_len, name);
	m->sh[S_KLP].sh_type = SHT_RELA;
	m->sh[S_KLP].sh_flags = SHF_RELA_LIVEPATCH | SHF_ALLOC;
	m->sh[S_KLP].sh_addr = (unsigned long)&m->rela;
	m->sh[S_KLP].sh_size = sizeof(m->rela);
	m->sh[S_KLP].sh_link = S_SYMTAB;
	m->sh[S_KLP].sh_info = S_TEXT;

	m->sh[S_SYMTAB].sh_name = add_str(m->shstr, &m->shstr_len, ".symtab");
	m->sh[S_SYMTAB].sh_type = SHT_SYMTAB;
	m->sh[S_SYMTAB].sh_addr = (unsigned long)m->syms;
	m->sh[S_SYMTAB].sh_size = sizeof(m->syms);
	m->sh[S_SYMTAB].sh_link = S_STRTAB;

	m->sh[S_STRTAB].sh_name = add_str(m->shstr, &m->shstr_len, ".strtab");
	m->sh[S_STRTAB].sh_type = SHT_STRTAB;
	m->sh[S_STRTAB].sh_addr = (unsigned long)m->str;

	m->sh[S_SHSTRTAB].sh_name = add_str(m->shstr, &m->shstr_len, ".shstrtab");
	m->sh[S_SHSTRTAB].sh_type = SHT_STRTAB;
	m->sh[S_SHSTRTAB].sh_addr = (unsigned long)m->shstr;
	m->sh[S_SHSTRTAB].sh_size = m->shstr_len;

	/* Present but inert until a case gives them flags and contents. */
	m->sh[S_KLP2].sh_type = SHT_NOTE;
	m->sh[S_PLAIN].sh_type = SHT_NOTE;

	snprintf(name, sizeof(name), ".klp.sym.%s.foo,0", obj);
	m->syms[1].st_name = add_str(m->str, &m->str_len, name);
	m->syms[1].st_shndx = SHN_LIVEPATCH;
	m->syms[1].st_info = (STB_GLOBAL << 4) | STT_FUNC;
	m->sh[S_STRTAB].sh_size = m->str_len;

	m->rela.r_offset = 4;
	m->rela.r_info = ELF64_R_INFO(1, R_X86_64_PC32);
	m->rela.r_addend = -4;
}

/* Section names live past the end of what img_build() used. */
static unsigned int img_secname(struct img *m, const char *name)
{
	unsigned int off = add_str(m->shstr, &m->shstr_len, name);

	m->sh[S_SHSTRTAB].sh_size = m->shstr_len;
	return off;
}

/* A second klp section, for @obj, into .text, with one entry at @off. */
static void img_add_klp2(struct img *m, const char *obj, u64 off)
{
	char name[64];

	snprintf(name, sizeof(name), ".klp.rela.%s..text", obj);
	m->sh[S_KLP2] = m->sh[S_KLP];
	m->sh[S_KLP2].sh_name = img_secname(m, name);
	/*
	 * Two kept sections may not share a name (sysfs lists them by
	 * name); a vmlinux one need not be kept.
	 */
	if (!strcmp(obj, "vmlinux"))
		m->sh[S_KLP2].sh_flags &= ~(u64)SHF_ALLOC;
	m->sh[S_KLP2].sh_addr = (unsigned long)&m->rela2;
	m->sh[S_KLP2].sh_size = sizeof(m->rela2);
	snprintf(name, sizeof(name), ".klp.sym.%s.bar,0", obj);
	m->syms[2].st_name = add_str(m->str, &m->str_len, name);
	m->syms[2].st_shndx = SHN_LIVEPATCH;
	m->syms[2].st_info = (STB_GLOBAL << 4) | STT_FUNC;
	m->sh[S_STRTAB].sh_size = m->str_len;
	m->sh[S_SYMTAB].sh_size = sizeof(m->syms);
	m->rela2.r_offset = off;
	m->rela2.r_info = ELF64_R_INFO(2, R_X86_64_PC32);
	m->rela2.r_addend = -4;
}

/* The klp section's second entry, @delta bytes after its first. */
static void img_second_entry(struct img *m, s64 delta)
{
	struct img_pair {
		Elf_Rela r[2];
	} *pair = (void *)&m->rela;

	/* rela and rela2 are adjacent: one section of two entries. */
	BUILD_BUG_ON(offsetof(struct img, rela2) !=
		     offsetof(struct img, rela) + sizeof(Elf_Rela));
	pair->r[1] = pair->r[0];
	pair->r[1].r_offset += delta;
	m->sh[S_KLP].sh_size = sizeof(*pair);
}

/* Keeps what the rules report, so that a case can check the reason. */
static __printf(4, 5) void img_report(const struct klp_elf *elf,
				      unsigned int secndx, int rela,
				      const char *fmt, ...)
{
	struct img *m = container_of(elf, struct img, elf);
	va_list args;

	m->nreports++;
	va_start(args, fmt);
	vsnprintf(m->report, sizeof(m->report), fmt, args);
	va_end(args);
}

/* Validate and keep, as at load (no module: nothing is placed). */
static int img_prepare(struct kunit *test, struct img *m)
{
	int err;

	klp_reloc_free(m->st);
	m->st = NULL;
	klp_elf_describe(&m->elf, "kunit", m->sh, m->hdr.e_shnum, m->shstr,
			 S_SYMTAB);
	m->elf.report = img_report;
	m->nreports = 0;
	m->report[0] = '\0';
	err = klp_rules_symtab(&m->elf, m->hdr.e_shstrndx);
	if (!err)
		err = klp_rules_loader(&m->elf);
	if (err)
		return err;
	return klp_reloc_prepare(&m->elf, NULL, &m->st);
}

/* Whatever state a case leaves behind goes when the case ends. */
static void img_free(struct kunit_resource *res)
{
	struct img *m = res->data;

	klp_reloc_free(m->st);
}

static struct img *img_alloc(struct kunit *test)
{
	struct img *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct kunit_resource *res;

	KUNIT_ASSERT_NOT_NULL(test, m);
	res = kunit_kzalloc(test, sizeof(*res), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_ASSERT_EQ(test, kunit_add_resource(test, NULL, img_free, res, m),
			0);
	return m;
}

/* Entries kept for @obj, or -1 if the state has no such object. */
static int img_nents(struct img *m, const char *obj)
{
	struct klp_reloc_obj *o = klp_reloc_find(m->st, obj);

	return o ? (int)o->nents : -1;
}

static void validate_accepts_well_formed_image(struct kunit *test)
{
	struct img *m = img_alloc(test);

	img_build(m, "vmlinux");
	KUNIT_EXPECT_EQ(test, img_prepare(test, m), 0);
	KUNIT_EXPECT_EQ(test, img_nents(m, "vmlinux"), 1);
	KUNIT_EXPECT_EQ(test, img_nents(m, "other"), -1);

	img_build(m, "target_mod");
	KUNIT_EXPECT_EQ(test, img_prepare(test, m), 0);
	KUNIT_EXPECT_EQ(test, img_nents(m, "target_mod"), 1);
	KUNIT_EXPECT_EQ(test, img_nents(m, "vmlinux"), -1);

	/* Two sections of one object make one object of two entries. */
	img_build(m, "vmlinux");
	img_add_klp2(m, "vmlinux", 12);
	KUNIT_EXPECT_EQ(test, img_prepare(test, m), 0);
	KUNIT_EXPECT_EQ(test, img_nents(m, "vmlinux"), 2);
}

/*
 * One section's entries out of offset order, apart, pass; so do two
 * sections' entries into one target, apart.
 */
static void validate_accepts_disjoint_entries_in_any_order(struct kunit *test)
{
	struct img *m = img_alloc(test);

	img_build(m, "vmlinux");
	m->rela.r_offset = 20;
	img_second_entry(m, -16);
	KUNIT_EXPECT_EQ(test, img_prepare(test, m), 0);
	KUNIT_EXPECT_EQ(test, img_nents(m, "vmlinux"), 2);

	img_build(m, "vmlinux");
	m->rela.r_offset = 20;
	img_add_klp2(m, "vmlinux", 4);
	KUNIT_EXPECT_EQ(test, img_prepare(test, m), 0);
	KUNIT_EXPECT_EQ(test, img_nents(m, "vmlinux"), 2);
}

/*
 * An object's symbols come out sorted by (name, sympos), each entry using
 * its own, whether the symtab had them in that order (as klp-convert
 * writes it) or not; a name and sympos met again is a dup.
 */
static void symbols_sorted_whatever_the_symtab_order(struct kunit *test)
{
	static const char * const names[][2] = {
		{ "foo,0", "bar,0" }, { "bar,0", "foo,0" }, { "foo,2", "foo,1" },
		{ "foo,1", "foo,2" }, { "foo,0", "foo,0" }, { "fo,0", "foo,0" },
	};
	static const char * const want[][2] = {
		{ "bar", "foo" }, { "bar", "foo" }, { "foo", "foo" },
		{ "foo", "foo" }, { "foo", "foo" }, { "fo", "foo" },
	};
	struct img *m = img_alloc(test);
	struct klp_reloc_obj *o;
	char name[64];
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		img_build(m, "vmlinux");
		img_add_klp2(m, "vmlinux", 12);
		for (j = 0; j < 2; j++) {
			snprintf(name, sizeof(name), ".klp.sym.vmlinux.%s",
				 names[i][j]);
			m->syms[j + 1].st_name = add_str(m->str, &m->str_len,
							 name);
		}
		m->sh[S_STRTAB].sh_size = m->str_len;
		KUNIT_ASSERT_EQ(test, img_prepare(test, m), 0);
		o = klp_reloc_find(m->st, "vmlinux");
		KUNIT_ASSERT_NOT_NULL(test, o);
		KUNIT_ASSERT_EQ(test, o->nsyms, 2);
		for (j = 0; j < 2; j++)
			KUNIT_EXPECT_STREQ_MSG(test, o->syms[j].name, want[i][j],
					       "case %u", i);
		KUNIT_EXPECT_LE_MSG(test, o->syms[0].pos.want,
				    o->syms[1].pos.want, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, o->syms[1].dup, i == 4, "case %u", i);
		/* Entry j of the object is the one of section j, symbol j + 1. */
		KUNIT_ASSERT_EQ(test, o->nents, 2);
		for (j = 0; j < 2; j++)
			KUNIT_EXPECT_EQ_MSG(test, o->syms[o->ents[j].sym].symidx,
					    j + 1, "case %u", i);
	}
}

/* vmlinux's sections are written at load and may target anything. */
static void validate_accepts_vmlinux_into_init_and_special(struct kunit *test)
{
	static const char * const targets[] = {
		".init.text", "__jump_table", ".static_call_sites",
		".altinstructions", "__ex_table",
	};
	struct img *m = img_alloc(test);
	char name[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		img_build(m, "vmlinux");
		m->sh[S_TEXT].sh_name = img_secname(m, targets[i]);
		snprintf(name, sizeof(name), ".klp.rela.vmlinux.%s", targets[i]);
		m->sh[S_KLP].sh_name = img_secname(m, name);
		KUNIT_EXPECT_EQ_MSG(test, img_prepare(test, m), 0, "%s", name);
	}
}

/*
 * Each case spoils one field of a well-formed image, and must be refused
 * for that reason: @why is part of the one report it must make.
 */
struct bad_case {
	const char *what;
	const char *obj;
	void (*spoil)(struct img *m);
	const char *why;
};

/* One past the last entry: the symtab has ARRAY_SIZE(m->syms) of them. */
static void bad_sym_index(struct img *m)
{
	m->rela.r_info = ELF64_R_INFO(ARRAY_SIZE(m->syms), R_X86_64_PC32);
}

static void sym_index_zero(struct img *m)
{
	m->rela.r_info = ELF64_R_INFO(0, R_X86_64_PC32);
}

static void offset_past_section(struct img *m)
{
	m->rela.r_offset = sizeof(m->text) - 3;
}

static void offset_far_past_section(struct img *m)
{
	m->rela.r_offset = 0x100000;
}

static void offset_wraps(struct img *m)
{
	m->rela.r_offset = ~0ULL - 1;
}

static void unsupported_type(struct img *m)
{
	m->rela.r_info = ELF64_R_INFO(1, R_X86_64_GOTPCREL);
}

static void st_name_past_strtab(struct img *m)
{
	m->syms[1].st_name = m->str_len + 10;
}

static void st_name_unterminated(struct img *m)
{
	m->sh[S_STRTAB].sh_size = m->str_len - 1;
}

static void sym_not_shn_livepatch(struct img *m)
{
	m->syms[1].st_shndx = S_TEXT;
}

static void sym_name_malformed(struct img *m)
{
	m->syms[1].st_name = add_str(m->str, &m->str_len, ".klp.sym.vmlinux.foo");
	m->sh[S_STRTAB].sh_size = m->str_len;
}

static void sym_of_other_object(struct img *m)
{
	m->syms[1].st_name = add_str(m->str, &m->str_len,
				     ".klp.sym.other_mod.foo,0");
	m->sh[S_STRTAB].sh_size = m->str_len;
}

/* One letter off, and of the same length: the names must be compared. */
static void sym_of_same_length_object(struct img *m)
{
	m->syms[1].st_name = add_str(m->str, &m->str_len,
				     ".klp.sym.target_moe.foo,0");
	m->sh[S_STRTAB].sh_size = m->str_len;
}

static void wrong_sh_type(struct img *m)
{
	m->sh[S_KLP].sh_type = SHT_PROGBITS;
}

static void module_section_not_alloc(struct img *m)
{
	m->sh[S_KLP].sh_flags &= ~SHF_ALLOC;
}

static void target_not_alloc(struct img *m)
{
	m->sh[S_TEXT].sh_flags &= ~SHF_ALLOC;
}

static void sh_info_out_of_range(struct img *m)
{
	m->sh[S_KLP].sh_info = S_NR;
}

static void sh_info_name_mismatch(struct img *m)
{
	m->sh[S_KLP].sh_info = S_SYMTAB;
	m->sh[S_SYMTAB].sh_flags |= SHF_ALLOC;
}

static void sh_link_not_symtab(struct img *m)
{
	m->sh[S_KLP].sh_link = S_STRTAB;
}

static void size_not_whole_relas(struct img *m)
{
	m->sh[S_KLP].sh_size = sizeof(m->rela) - 1;
}

static void section_name_malformed(struct img *m)
{
	m->sh[S_KLP].sh_name = add_str(m->shstr, &m->shstr_len, ".klp.rela.vmlinux");
	m->sh[S_SHSTRTAB].sh_size = m->shstr_len;
}

static void section_name_offset_bad(struct img *m)
{
	m->sh[S_KLP].sh_name = m->shstr_len + 5;
}

static void symtab_links_itself(struct img *m)
{
	m->sh[S_SYMTAB].sh_link = S_SYMTAB;
}

static void symtab_links_non_strtab(struct img *m)
{
	m->sh[S_SYMTAB].sh_link = S_TEXT;
}

static void target_renamed(struct img *m, const char *target)
{
	char name[64];

	m->sh[S_TEXT].sh_name = img_secname(m, target);
	snprintf(name, sizeof(name), ".klp.rela.target_mod.%s", target);
	m->sh[S_KLP].sh_name = img_secname(m, name);
}

static void module_target_init_text(struct img *m)
{
	target_renamed(m, ".init.text");
}

static void module_target_init_data(struct img *m)
{
	target_renamed(m, ".init.data");
}

static void target_nobits(struct img *m)
{
	m->sh[S_TEXT].sh_type = SHT_NOBITS;
}

/* The loader's tables are not code or data, whatever their flags. */
static void target_symtab(struct img *m)
{
	m->sh[S_TEXT].sh_name = img_secname(m, ".text.old");
	m->sh[S_SYMTAB].sh_flags |= SHF_ALLOC;
	m->sh[S_SYMTAB].sh_name = img_secname(m, ".text");
	m->sh[S_KLP].sh_info = S_SYMTAB;
}

static void sh_info_itself(struct img *m)
{
	m->sh[S_KLP].sh_info = S_KLP;
}

/* An ordinary .rela section into .text, using the klp symbol. */
static void plain_rela_uses_klp_sym(struct img *m)
{
	m->sh[S_PLAIN].sh_name = img_secname(m, ".rela.text");
	m->sh[S_PLAIN].sh_type = SHT_RELA;
	m->sh[S_PLAIN].sh_addr = (unsigned long)&m->plain;
	m->sh[S_PLAIN].sh_size = sizeof(m->plain);
	m->sh[S_PLAIN].sh_link = S_SYMTAB;
	m->sh[S_PLAIN].sh_info = S_TEXT;
	m->plain.r_offset = 16;
	m->plain.r_info = ELF64_R_INFO(1, R_X86_64_64);
}

static void plain_rela_sym_past_symtab(struct img *m)
{
	plain_rela_uses_klp_sym(m);
	m->plain.r_info = ELF64_R_INFO(7, R_X86_64_64);
}

/* Its address is in the image the loader frees once the module is in. */
static void plain_rela_sym_in_dropped_section(struct img *m)
{
	plain_rela_uses_klp_sym(m);
	m->sh[S_KLP2].sh_name = img_secname(m, ".comment");
	m->sh[S_KLP2].sh_size = 8;
	m->syms[2].st_name = m->syms[1].st_name + 9;	/* "vmlinux.foo,0" */
	m->syms[2].st_shndx = S_KLP2;
	m->plain.r_info = ELF64_R_INFO(2, R_X86_64_64);
}

static void plain_rela_offset_past_target(struct img *m)
{
	plain_rela_uses_klp_sym(m);
	m->plain.r_info = ELF64_R_INFO(0, R_X86_64_64);
	m->plain.r_offset = sizeof(m->text) - 4;
}

/* The loader applies it whatever its sh_link says, against the symtab. */
static void plain_rela_other_link_sym_past_symtab(struct img *m)
{
	plain_rela_sym_past_symtab(m);
	m->sh[S_PLAIN].sh_link = S_STRTAB;
}

/* 8 bytes at 2, by the loader: the klp entry's 4 bytes at 4 are among them. */
static void klp_over_plain(struct img *m)
{
	plain_rela_uses_klp_sym(m);
	m->plain.r_info = ELF64_R_INFO(0, R_X86_64_64);
	m->plain.r_offset = 2;
}

static void align_not_power_of_two(struct img *m)
{
	m->sh[S_TEXT].sh_addralign = 3;
}

static void align_above_page(struct img *m)
{
	m->sh[S_TEXT].sh_addralign = 8192;
}

/* layout_symtab() lays the string table out too, by its alignment. */
static void strtab_align_wraps(struct img *m)
{
	m->sh[S_STRTAB].sh_addralign = 1ULL << 63;
}

/* sysfs has one file per kept section's name; the loader keeps both. */
static void section_name_twice(struct img *m)
{
	m->sh[S_KLP2] = m->sh[S_TEXT];
}

/* layout_symtab() keeps the symbol table, and sysfs lists it. */
static void section_named_symtab(struct img *m)
{
	m->sh[S_KLP2] = m->sh[S_TEXT];
	m->sh[S_KLP2].sh_name = m->sh[S_SYMTAB].sh_name;
}

/* x86's module_finalize() reads every section's name, allocated or not. */
static void note_name_past_shstrtab(struct img *m)
{
	m->sh[S_KLP2].sh_name = m->shstr_len + 100;
}

static void null_section_name_past_shstrtab(struct img *m)
{
	m->sh[S_NULL].sh_name = m->shstr_len + 100;
}

/* The loader reads every name of a livepatch module, used or not. */
static void unused_st_name_past_strtab(struct img *m)
{
	m->syms[2].st_name = m->str_len + 100;
}

/* layout_symtab() reads the null symbol's name as well. */
static void null_symbol_st_name_past_strtab(struct img *m)
{
	m->syms[0].st_name = 0x80000000;
}

/* The loader would report it only after every unknown symbol. */
static void sym_shndx_reserved(struct img *m)
{
	m->syms[2].st_shndx = SHN_LORESERVE;
}

/* The loader would skip it, leaving its target's addresses zero. */
static void plain_rela_target_past_end(struct img *m)
{
	plain_rela_uses_klp_sym(m);
	m->plain.r_info = ELF64_R_INFO(0, R_X86_64_64);
	m->sh[S_PLAIN].sh_info = 99;
}

static void plain_rela_target_null(struct img *m)
{
	plain_rela_target_past_end(m);
	m->sh[S_PLAIN].sh_info = 0;
}

static void section_object_dash(struct img *m)
{
	m->sh[S_KLP].sh_name = img_secname(m, ".klp.rela.target-mod..text");
}

static void overlap_same_offset(struct img *m)
{
	img_add_klp2(m, "vmlinux", 4);
}

/* 4 bytes at 4 and 4 bytes at 6: whatever the values, the same bytes. */
static void overlap_by_two(struct img *m)
{
	img_add_klp2(m, "vmlinux", 6);
}

static void overlap_by_two_below(struct img *m)
{
	img_add_klp2(m, "vmlinux", 2);
}

/* A vmlinux entry and a module entry at one place: defect of the past. */
static void overlap_across_objects(struct img *m)
{
	img_add_klp2(m, "target_mod", 4);
}

static void overlap_within_section(struct img *m)
{
	img_second_entry(m, 3);
}

/* Out of offset order, which a section alone writing its target may be. */
static void overlap_within_section_below(struct img *m)
{
	img_second_entry(m, -3);
}

static const struct bad_case bad_cases[] = {
	{ "symbol index past the symtab", "vmlinux", bad_sym_index,
	  "symbol index 3 is outside the symbol table (3 entries)" },
	{ "symbol index 0", "vmlinux", sym_index_zero,
	  "symbol index 0 is the null symbol, not a .klp.sym symbol" },
	{ "offset + width just past the section", "vmlinux", offset_past_section,
	  "offset 0x1d + 4 bytes is outside .text (0x20 bytes)" },
	{ "offset far past the section", "vmlinux", offset_far_past_section,
	  "offset 0x100000 + 4 bytes is outside .text" },
	{ "offset that wraps around", "vmlinux", offset_wraps,
	  "offset 0xfffffffffffffffe + 4 bytes is outside .text" },
	{ "unsupported relocation type", "vmlinux", unsupported_type,
	  "relocation type 9 is not supported" },
	{ "st_name past the strtab", "vmlinux", st_name_past_strtab,
	  "is outside the string table" },
	{ "st_name not NUL-terminated in the strtab", "vmlinux", st_name_unterminated,
	  "is outside the string table" },
	{ "symbol not SHN_LIVEPATCH", "vmlinux", sym_not_shn_livepatch,
	  "symbol '.klp.sym.vmlinux.foo,0' is not SHN_LIVEPATCH" },
	{ "symbol name without sympos", "vmlinux", sym_name_malformed,
	  "missing ',<sympos>' suffix" },
	{ "vmlinux section using a module symbol", "vmlinux", sym_of_other_object,
	  "is in other_mod, but the section may only use vmlinux" },
	{ "module section using another object's symbol", "target_mod",
	  sym_of_other_object,
	  "is in other_mod, but the section may only use target_mod" },
	{ "module section using a same-length object's symbol", "target_mod",
	  sym_of_same_length_object,
	  "is in target_moe, but the section may only use target_mod" },
	{ "section of type SHT_PROGBITS", "vmlinux", wrong_sh_type,
	  "type 1 is not SHT_RELA" },
	{ "module section without SHF_ALLOC", "target_mod", module_section_not_alloc,
	  "a section for module target_mod must be SHF_ALLOC" },
	{ "target section without SHF_ALLOC", "vmlinux", target_not_alloc,
	  "target section .text is not SHF_ALLOC code or data (type 1)" },
	{ "sh_info out of range", "vmlinux", sh_info_out_of_range,
	  "target section index 8 is out of range" },
	{ "sh_info naming another section", "vmlinux", sh_info_name_mismatch,
	  "target section [3] is named .symtab" },
	{ "sh_link not the symtab", "vmlinux", sh_link_not_symtab,
	  "links section 4, not the symbol table 3" },
	{ "size not a whole number of relocations", "vmlinux", size_not_whole_relas,
	  "size 23 is not a whole number of relocations" },
	{ "section name without target", "vmlinux", section_name_malformed,
	  "object name is empty or not followed by '.'" },
	{ "section name offset past shstrtab", "vmlinux", section_name_offset_bad,
	  "is outside the section name table" },
	{ "symtab whose sh_link is itself", "vmlinux", symtab_links_itself,
	  "symbol table links section 3, which is not a string table" },
	{ "symtab whose sh_link is not a strtab", "vmlinux", symtab_links_non_strtab,
	  "symbol table links section 1, which is not a string table" },
	{ "module section into .init.text", "target_mod", module_target_init_text,
	  "target .init.text is freed after the patch's init" },
	{ "module section into .init.data", "target_mod", module_target_init_data,
	  "target .init.data is freed after the patch's init" },
	{ "target section SHT_NOBITS", "vmlinux", target_nobits,
	  "target section .text is not SHF_ALLOC code or data (type 8)" },
	{ "target section the symtab", "vmlinux", target_symtab,
	  "target section .text is not SHF_ALLOC code or data (type 2)" },
	{ "sh_info naming the section itself", "vmlinux", sh_info_itself,
	  "target section index 2 is out of range" },
	{ "ordinary .rela using a klp symbol", "vmlinux", plain_rela_uses_klp_sym,
	  "is SHN_LIVEPATCH, but this is not a SHF_RELA_LIVEPATCH section" },
	{ "ordinary .rela symbol past the symtab", "vmlinux",
	  plain_rela_sym_past_symtab,
	  "symbol index 7 is outside the symbol table (3 entries)" },
	{ "ordinary .rela to a symbol in a section not kept", "vmlinux",
	  plain_rela_sym_in_dropped_section,
	  "symbol [2] 'vmlinux.foo,0' is in section .comment, which the loader does not keep" },
	{ "ordinary .rela writing past its target", "vmlinux",
	  plain_rela_offset_past_target,
	  "offset 0x1c + 8 bytes is outside its target (0x20 bytes)" },
	{ "ordinary .rela of another sh_link, symbol past the symtab", "vmlinux",
	  plain_rela_other_link_sym_past_symtab,
	  "symbol index 7 is outside the symbol table (3 entries)" },
	{ "klp entry on bytes an ordinary relocation writes", "vmlinux",
	  klp_over_plain,
	  "writes bytes that entry 0 of section .rela.text also writes" },
	{ "section aligned to 3", "vmlinux", align_not_power_of_two,
	  "alignment 3 is not a power of two up to 4096" },
	{ "section aligned to 8192", "vmlinux", align_above_page,
	  "alignment 8192 is not a power of two up to 4096" },
	{ "string table aligned to 2^63", "vmlinux", strtab_align_wraps,
	  "alignment 9223372036854775808 is not a power of two up to 4096" },
	{ "two kept sections named .text", "vmlinux", section_name_twice,
	  "section [1] has this name too" },
	{ "a kept section named .symtab", "vmlinux", section_named_symtab,
	  "section [3] has this name too" },
	{ "non-ALLOC section's name past the shstrtab", "vmlinux",
	  note_name_past_shstrtab,
	  "section [6]: name offset 157 is outside the section name table" },
	{ "section 0's name past the shstrtab", "vmlinux",
	  null_section_name_past_shstrtab,
	  "section [0]: name offset 157 is outside the section name table" },
	{ "unused symbol's st_name past the strtab", "vmlinux",
	  unused_st_name_past_strtab,
	  "symbol [2]: name offset" },
	{ "null symbol's st_name past the strtab", "vmlinux",
	  null_symbol_st_name_past_strtab,
	  "symbol [0]: name offset 2147483648 is outside the string table" },
	{ "symbol in reserved section index 0xff00", "vmlinux", sym_shndx_reserved,
	  "symbol [2] '': section index 65280 is not a section" },
	{ "ordinary .rela whose target is past the last section", "vmlinux",
	  plain_rela_target_past_end,
	  "target section index 99 is not a section: the loader would skip these relocations" },
	{ "ordinary .rela whose target is section 0", "vmlinux", plain_rela_target_null,
	  "target section index 0 is not a section" },
	{ "object name with '-'", "target_mod", section_object_dash,
	  "object name has '-'" },
	{ "two entries at one offset", "vmlinux", overlap_same_offset,
	  "writes bytes that entry 0 of section .klp.rela.vmlinux..text also writes" },
	{ "entries at 4 and 6", "vmlinux", overlap_by_two,
	  "writes bytes that entry 0 of section .klp.rela.vmlinux..text also writes" },
	{ "entries at 4 and 2", "vmlinux", overlap_by_two_below,
	  "writes bytes that entry 0 of section .klp.rela.vmlinux..text also writes" },
	{ "vmlinux and module entries at one offset", "vmlinux", overlap_across_objects,
	  "also writes" },
	{ "entries at 4 and 7 in one section", "vmlinux", overlap_within_section,
	  "writes bytes that entry 0 of section .klp.rela.vmlinux..text also writes" },
	{ "entries at 4 and 1 in one section", "vmlinux", overlap_within_section_below,
	  "writes bytes that entry 1 of section .klp.rela.vmlinux..text also writes" },
};

static void bad_case_desc(const struct bad_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad, bad_cases, bad_case_desc);

static void validate_rejects_malformed(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct img *m = img_alloc(test);

	img_build(m, c->obj);
	KUNIT_ASSERT_EQ(test, img_prepare(test, m), 0);
	c->spoil(m);
	KUNIT_EXPECT_EQ(test, img_prepare(test, m), -ENOEXEC);
	KUNIT_EXPECT_NULL(test, m->st);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(m->text, sizeof(m->text)));
	/* Refused once, and for the reason the case spoils. */
	KUNIT_EXPECT_EQ(test, m->nreports, 1);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(m->report, c->why),
				  "reported: %s", m->report);
}

/* The loader's rules with a limit on one block of module memory. */
static int img_loader_within(struct img *m, unsigned long long limit)
{
	m->elf.mem_limit = limit;
	m->nreports = 0;
	m->report[0] = '\0';
	return klp_rules_loader(&m->elf);
}

/*
 * vmalloc() refuses a block larger than the machine, with a stack dump;
 * the rules refuse it first, in one line naming the largest section.
 */
static void layout_needs_more_than_module_memory(struct kunit *test)
{
	struct img *m = img_alloc(test);
	u64 core;

	img_build(m, "vmlinux");
	KUNIT_ASSERT_EQ(test, img_prepare(test, m), 0);
	/* The image lays out .text and its .klp.rela section. */
	core = m->sh[S_TEXT].sh_size + m->sh[S_KLP].sh_size;
	KUNIT_EXPECT_EQ(test, img_loader_within(m, 0), 0);
	KUNIT_EXPECT_EQ(test, img_loader_within(m, core), 0);
	KUNIT_EXPECT_EQ(test, img_loader_within(m, core - 1), -ENOMEM);
	KUNIT_EXPECT_EQ(test, m->nreports, 1);
	KUNIT_EXPECT_NOT_NULL_MSG(test,
				  strstr(m->report, "32 bytes: the module's core sections"),
				  "reported: %s", m->report);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(m->report, "more than the 55 bytes"),
				  "reported: %s", m->report);

	/* .init sections are a block of their own. */
	m->sh[S_KLP2] = m->sh[S_TEXT];
	m->sh[S_KLP2].sh_name = add_str(m->shstr, &m->shstr_len, ".init.text");
	m->sh[S_SHSTRTAB].sh_size = m->shstr_len;
	m->elf.secstrings_size = m->shstr_len;
	KUNIT_EXPECT_EQ(test, img_loader_within(m, core), 0);
	KUNIT_EXPECT_EQ(test, img_loader_within(m, m->sh[S_TEXT].sh_size - 1),
			-ENOMEM);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(m->report, "core sections"),
				  "reported: %s", m->report);

	/* Sizes that would wrap a sum are refused, not added up. */
	m->sh[S_KLP2].sh_size = U64_MAX;
	m->sh[S_TEXT].sh_size = U64_MAX;
	KUNIT_EXPECT_EQ(test, img_loader_within(m, SZ_1G), -ENOMEM);
	KUNIT_EXPECT_EQ(test, m->nreports, 1);
}

/* Every section the loader consumes at load, as the format lists them. */
static const char * const special_sections[] = {
	"__jump_table", ".static_call_sites", ".altinstructions",
	".altinstr_replacement", ".parainstructions", "__ex_table",
	"__bug_table", ".orc_unwind", ".orc_unwind_ip", ".smp_locks",
	".retpoline_sites", ".return_sites",
};

static void special_desc(const char * const *name, char *desc)
{
	strscpy(desc, *name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(special, special_sections, special_desc);

static void validate_rejects_module_into_special(struct kunit *test)
{
	const char * const *target = test->param_value;
	struct img *m = img_alloc(test);

	img_build(m, "target_mod");
	target_renamed(m, *target);
	KUNIT_EXPECT_EQ(test, img_prepare(test, m), -ENOEXEC);
	KUNIT_EXPECT_NULL(test, m->st);
	KUNIT_EXPECT_NOT_NULL(test, klp_special_section(*target));
	KUNIT_EXPECT_EQ(test, m->nreports, 1);
	KUNIT_EXPECT_NOT_NULL_MSG(test,
				  strstr(m->report, "consumed when the patch loads"),
				  "reported: %s", m->report);
}

/* A vmlinux entry of 8 bytes at text+8 to a real, unique symbol. */
static void img_build_real(struct img *m)
{
	img_build(m, "vmlinux");
	m->syms[1].st_name = add_str(m->str, &m->str_len,
				     ".klp.sym.vmlinux.klp_enable_patch,0");
	m->sh[S_STRTAB].sh_size = m->str_len;
	m->rela.r_offset = 8;
	m->rela.r_info = ELF64_R_INFO(1, R_X86_64_64);
	m->rela.r_addend = 0x10;
}

static int img_apply(struct img *m)
{
	return klp_reloc_apply(m->st, "kunit", NULL,
			       klp_reloc_find(m->st, "vmlinux"), NULL);
}

static u64 text_u64(struct img *m, unsigned int off)
{
	u64 v;

	memcpy(&v, m->text + off, sizeof(v));
	return v;
}

/*
 * The loader frees a non-SHF_ALLOC section with the rest of the load
 * image; what the core kept must not point into it.
 */
static void apply_reads_nothing_of_the_image(struct kunit *test)
{
	struct img *m = img_alloc(test);

	img_build_real(m);
	m->sh[S_KLP].sh_flags &= ~SHF_ALLOC;
	KUNIT_ASSERT_EQ(test, img_prepare(test, m), 0);
	memset(&m->rela, 0xa5, sizeof(m->rela));
	memset(m->syms, 0xa5, sizeof(m->syms));
	memset(m->str, 0xa5, sizeof(m->str));
	memset(m->shstr, 0xa5, sizeof(m->shstr));
	memset(m->sh, 0xa5, sizeof(m->sh));
	KUNIT_EXPECT_EQ(test, img_apply(m), 0);
	KUNIT_EXPECT_EQ(test, text_u64(m, 8),
			(u64)(unsigned long)klp_enable_patch + 0x10);
}

static void apply_refused_writes_nothing(struct kunit *test)
{
	struct img *m = img_alloc(test);

	img_build_real(m);
	m->syms[1].st_name = add_str(m->str, &m->str_len,
				     ".klp.sym.vmlinux.klp_kunit_no_such_symbol,0");
	m->sh[S_STRTAB].sh_size = m->str_len;
	KUNIT_ASSERT_EQ(test, img_prepare(test, m), 0);
	KUNIT_EXPECT_EQ(test, img_apply(m), -ENOENT);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(m->text, sizeof(m->text)));
}

/*
 * A second entry, in a second section, at text+16: 8 bytes of another
 * real symbol.  The first entry is good, so a refusal of this one proves
 * that every entry is checked before the first byte is written.
 */
static void img_add_real2(struct img *m, unsigned int type)
{
	img_add_klp2(m, "vmlinux", 16);
	m->syms[2].st_name = add_str(m->str, &m->str_len,
				     ".klp.sym.vmlinux.klp_reloc_apply,0");
	m->sh[S_STRTAB].sh_size = m->str_len;
	m->rela2.r_info = ELF64_R_INFO(2, type);
	m->rela2.r_addend = 0;
}

static void apply_checks_every_entry_before_writing(struct kunit *test)
{
	struct img *m = img_alloc(test);

	/* The second entry's bytes are not zero. */
	img_build_real(m);
	img_add_real2(m, R_X86_64_64);
	KUNIT_ASSERT_EQ(test, img_prepare(test, m), 0);
	m->text[20] = 0x77;
	KUNIT_EXPECT_EQ(test, img_apply(m), -ENOEXEC);
	KUNIT_EXPECT_EQ(test, text_u64(m, 8), 0ULL);
	KUNIT_EXPECT_EQ(test, text_u64(m, 16), 0x77ULL << 32);

	/* The second entry's value does not fit: a kernel address in 32 bits. */
	img_build_real(m);
	img_add_real2(m, R_X86_64_32);
	KUNIT_ASSERT_EQ(test, img_prepare(test, m), 0);
	KUNIT_EXPECT_EQ(test, img_apply(m), -ERANGE);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(m->text, sizeof(m->text)));

	/*
	 * PC32 from kmalloc()ed memory (the direct map) to kernel text is
	 * out of reach, as it never is from module memory: the one way to
	 * see the range check refuse a real apply.
	 */
	img_build_real(m);
	img_add_real2(m, R_X86_64_PC32);
	KUNIT_ASSERT_EQ(test, img_prepare(test, m), 0);
	KUNIT_EXPECT_EQ(test, img_apply(m), -ERANGE);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(m->text, sizeof(m->text)));

	/* Both good: both written, each with its own symbol. */
	img_build_real(m);
	img_add_real2(m, R_X86_64_64);
	KUNIT_ASSERT_EQ(test, img_prepare(test, m), 0);
	KUNIT_EXPECT_EQ(test, img_apply(m), 0);
	KUNIT_EXPECT_EQ(test, text_u64(m, 8),
			(u64)(unsigned long)klp_enable_patch + 0x10);
	KUNIT_EXPECT_EQ(test, text_u64(m, 16),
			(u64)(unsigned long)klp_reloc_apply);
}

/* A refused apply wrote nothing, so clearing after it must undo nothing. */
static void clear_after_refusal_keeps_foreign_bytes(struct kunit *test)
{
	struct img *m = img_alloc(test);

	img_build_real(m);
	KUNIT_ASSERT_EQ(test, img_prepare(test, m), 0);
	m->text[10] = 0x5a;
	KUNIT_EXPECT_EQ(test, img_apply(m), -ENOEXEC);
	klp_reloc_clear(klp_reloc_find(m->st, "vmlinux"), NULL);
	KUNIT_EXPECT_EQ(test, m->text[10], 0x5a);
	KUNIT_EXPECT_EQ(test, text_u64(m, 8), 0x5a0000ULL);
}

/* Clearing undoes exactly the entries' bytes, once, and allows a reapply. */
static void clear_undoes_exactly_what_apply_wrote(struct kunit *test)
{
	struct img *m = img_alloc(test);
	struct klp_reloc_obj *obj;
	u64 want = (u64)(unsigned long)klp_enable_patch + 0x10;

	img_build_real(m);
	KUNIT_ASSERT_EQ(test, img_prepare(test, m), 0);
	obj = klp_reloc_find(m->st, "vmlinux");
	memset(m->text, 0xcc, sizeof(m->text));
	memset(m->text + 8, 0, 8);
	KUNIT_ASSERT_EQ(test, img_apply(m), 0);
	KUNIT_EXPECT_EQ(test, text_u64(m, 8), want);
	klp_reloc_clear(obj, NULL);
	KUNIT_EXPECT_EQ(test, text_u64(m, 8), 0ULL);
	KUNIT_EXPECT_EQ(test, m->text[7], 0xcc);
	KUNIT_EXPECT_EQ(test, m->text[16], 0xcc);
	m->text[8] = 0x11;	/* not ours: a second clear must leave it */
	klp_reloc_clear(obj, NULL);
	KUNIT_EXPECT_EQ(test, m->text[8], 0x11);
	m->text[8] = 0;
	KUNIT_EXPECT_EQ(test, img_apply(m), 0);
	KUNIT_EXPECT_EQ(test, text_u64(m, 8), want);
}

/* sympos: @n symbols share the name; which address, or which error? */
struct sympos_case {
	const char *what;
	unsigned int want, n;
	int err;
	unsigned int pick;	/* 1-based index of the expected match */
};

static const struct sympos_case sympos_cases[] = {
	{ "0 with a unique name picks it", 0, 1, 0, 1 },
	{ "0 with a duplicated name is ambiguous", 0, 3, -EINVAL, 0 },
	{ "0 with no such name is not found", 0, 0, -ENOENT, 0 },
	{ "1 with a unique name picks it", 1, 1, 0, 1 },
	{ "1 picks the first of three", 1, 3, 0, 1 },
	{ "3 picks the third of three", 3, 3, 0, 3 },
	{ "2 picks the second of three", 2, 3, 0, 2 },
	{ "4 of three is not found", 4, 3, -ENOENT, 0 },
	{ "2 of none is not found", 2, 0, -ENOENT, 0 },
};

static void sympos_case_desc(const struct sympos_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sympos, sympos_cases, sympos_case_desc);

static void sympos_counts_in_kallsyms_order(struct kunit *test)
{
	const struct sympos_case *c = test->param_value;
	struct klp_sympos sp = { .want = c->want };
	unsigned int i;

	for (i = 1; i <= c->n; i++)
		klp_sympos_match(&sp, 0x1000 * i);
	KUNIT_EXPECT_EQ(test, klp_sympos_result(&sp), c->err);
	if (!c->err)
		KUNIT_EXPECT_EQ(test, sp.addr, 0x1000UL * c->pick);
}

static int names_cmp(const void *a, const void *b)
{
	return strcmp(*(const char * const *)a, *(const char * const *)b);
}

/*
 * One walk of vmlinux's name index finds, for each name, the symbols that
 * kallsyms_on_each_match_symbol() finds name by name, in the same order:
 * for the names of thousands of places in the kernel's text (statics of
 * the same name among them), names that prefix others, and absent ones;
 * whether it finds where symbols start from our index or from kallsyms'
 * markers, and for four of the names as for all.
 */
static void vmlinux_walk_finds_what_lookups_find(struct kunit *test)
{
	static const char * const extra[] = {
		"sprint_symbol", "sprint_symbol_", "sprint_symbol_no_offsetz",
		"klp_kunit_absent", "a", "_", "zzzz",
	};
	unsigned long here = (unsigned long)sprint_symbol_no_offset;
	struct klp_reloc_obj one = {}, walk = {}, marks = {}, few = {};
	unsigned int max = 4096, n = 0, i, j, dups = 0;
	const char **names;
	char *buf;
	long off;

	/* Off the stack: with four objects there, it would pass 1 KiB. */
	buf = kunit_kmalloc(test, KSYM_SYMBOL_LEN, GFP_KERNEL);
	names = kunit_kcalloc(test, max, sizeof(*names), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, buf && names);
	for (i = 0; i < ARRAY_SIZE(extra); i++)
		names[n++] = extra[i];
	for (off = -(8L << 20); off < (8L << 20) && n < max; off += 4099) {
		sprint_symbol_no_offset(buf, here + off);
		/* an address in no symbol prints as 0x..., a module's as "x [m]" */
		if (!strncmp(buf, "0x", 2) || strchr(buf, ' '))
			continue;
		names[n] = kunit_kmalloc(test, strlen(buf) + 1, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, names[n]);
		strcpy((char *)names[n++], buf);
	}
	sort(names, n, sizeof(*names), names_cmp, NULL);
	for (i = 1, max = 1; i < n; i++)
		if (strcmp(names[i], names[max - 1]))
			names[max++] = names[i];
	n = max;
	KUNIT_ASSERT_GT(test, n, 500U);

	/* each name twice: sympos 0, and sympos 2 */
	one.nsyms = 2 * n;
	one.syms = kunit_kcalloc(test, 2 * n, sizeof(*one.syms), GFP_KERNEL);
	walk.syms = kunit_kcalloc(test, 2 * n, sizeof(*walk.syms), GFP_KERNEL);
	marks.syms = kunit_kcalloc(test, 2 * n, sizeof(*marks.syms),
				   GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, one.syms && walk.syms && marks.syms);
	for (i = 0; i < 2 * n; i++) {
		one.syms[i].name = names[i / 2];
		one.syms[i].pos.want = 2 * (i & 1);
	}
	walk.nsyms = one.nsyms;
	marks.nsyms = one.nsyms;
	memcpy(walk.syms, one.syms, 2 * n * sizeof(*walk.syms));
	memcpy(marks.syms, one.syms, 2 * n * sizeof(*marks.syms));
	klp_reloc_resolve_vmlinux(&one, KLP_KSYMS_LOOKUP);
	klp_reloc_resolve_vmlinux(&walk, KLP_KSYMS_INDEX);
	klp_reloc_resolve_vmlinux(&marks, KLP_KSYMS_MARKERS);
	for (i = 0; i < 2 * n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, walk.syms[i].pos.count,
				    one.syms[i].pos.count, "%s", names[i / 2]);
		KUNIT_EXPECT_EQ_MSG(test, walk.syms[i].pos.addr,
				    one.syms[i].pos.addr, "%s", names[i / 2]);
		KUNIT_EXPECT_EQ_MSG(test, marks.syms[i].pos.count,
				    one.syms[i].pos.count, "%s", names[i / 2]);
		KUNIT_EXPECT_EQ_MSG(test, marks.syms[i].pos.addr,
				    one.syms[i].pos.addr, "%s", names[i / 2]);
		dups += one.syms[i].pos.count > 1;
		if (!strcmp(names[i / 2], "klp_kunit_absent"))
			KUNIT_EXPECT_EQ(test, walk.syms[i].pos.count, 0U);
		if (!strcmp(names[i / 2], "sprint_symbol"))
			KUNIT_EXPECT_EQ(test, walk.syms[i].pos.addr,
					i & 1 ? 0 : (unsigned long)sprint_symbol);
	}
	KUNIT_EXPECT_GT(test, dups, 0U);
	kunit_info(test, "%u names, %u of them not unique\n", n, dups / 2);

	/* Four names, far apart: each search spans more of the index. */
	few.nsyms = 8;
	few.syms = kunit_kcalloc(test, 8, sizeof(*few.syms), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, few.syms);
	for (i = 0; i < 8; i++) {
		j = 2 * ((i / 2) * (n - 1) / 3) + (i & 1);
		few.syms[i] = walk.syms[j];
		few.syms[i].pos.count = 0;
		few.syms[i].pos.addr = 0;
	}
	klp_reloc_resolve_vmlinux(&few, KLP_KSYMS_INDEX);
	for (i = 0; i < 8; i++) {
		j = 2 * ((i / 2) * (n - 1) / 3) + (i & 1);
		KUNIT_EXPECT_EQ_MSG(test, few.syms[i].pos.count,
				    one.syms[j].pos.count, "%s", names[j / 2]);
		KUNIT_EXPECT_EQ_MSG(test, few.syms[i].pos.addr,
				    one.syms[j].pos.addr, "%s", names[j / 2]);
	}
}

static void x86_ranges_checked_before_write(struct kunit *test)
{
	unsigned long loc = 0xffffffffa0000000UL;
	u64 val;

	KUNIT_EXPECT_EQ(test, arch_klp_rela_value(R_X86_64_PC32, loc + 0x100,
						  loc, &val), 0);
	KUNIT_EXPECT_EQ(test, val, 0x100ULL);
	KUNIT_EXPECT_EQ(test, arch_klp_rela_value(R_X86_64_PC32, loc - (1UL << 31),
						  loc, &val), 0);
	KUNIT_EXPECT_EQ(test, arch_klp_rela_value(R_X86_64_PLT32, 0x7fff00000000ULL,
						  loc, &val), -ERANGE);
	KUNIT_EXPECT_EQ(test, arch_klp_rela_value(R_X86_64_PC32, loc + (1UL << 31),
						  loc, &val), -ERANGE);
	KUNIT_EXPECT_EQ(test, arch_klp_rela_value(R_X86_64_32, 1ULL << 32,
						  loc, &val), -ERANGE);
	KUNIT_EXPECT_EQ(test, arch_klp_rela_value(R_X86_64_32S, loc,
						  loc, &val), 0);
	KUNIT_EXPECT_EQ(test, arch_klp_rela_value(R_X86_64_32S, 0x80000000ULL,
						  loc, &val), -ERANGE);
	KUNIT_EXPECT_EQ(test, arch_klp_rela_value(R_X86_64_64, ~0ULL,
						  loc, &val), 0);
	KUNIT_EXPECT_EQ(test, arch_klp_rela_width(R_X86_64_GOTPCREL), -EINVAL);
	KUNIT_EXPECT_EQ(test, arch_klp_rela_width(R_X86_64_PC64), 8);
}

/* A module with 64 bytes of text in a page, and one list section. */
struct sites {
	struct module mod;
	Elf_Ehdr hdr;
	Elf_Shdr sh[2];
	char names[32];
	u8 text[PAGE_SIZE];
	s32 site[2];
	struct alt_instr alt;
#if KLP_X86_PARAINSTRUCTIONS
	struct paravirt_patch_site para;
#endif
};

static struct sites *sites_build(struct kunit *test, const char *list)
{
	struct sites *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	strscpy(t->mod.name, "kunit", sizeof(t->mod.name));
	klp_mod_set_text(&t->mod, t->text, 64, PAGE_SIZE);
	t->hdr.e_shnum = 2;
	strscpy(t->names + 1, list, sizeof(t->names) - 1);
	t->sh[1].sh_name = 1;
	t->sh[1].sh_flags = SHF_ALLOC;
	t->sh[1].sh_addr = (unsigned long)t->site;
	t->sh[1].sh_size = sizeof(t->site);
	return t;
}

/* Entry @i of the s32 list points at byte @off of the module. */
static void sites_point(struct sites *t, int i, long off)
{
	t->site[i] = (long)(t->text + off) - (long)&t->site[i];
}

static int sites_check(struct sites *t)
{
	return arch_klp_check_sites(&t->mod, &t->hdr, t->sh, t->names);
}

static void x86_patch_sites_checked_before_finalize(struct kunit *test)
{
	struct sites *t = sites_build(test, ".smp_locks");

	sites_point(t, 0, 0);
	sites_point(t, 1, 63);
	KUNIT_EXPECT_EQ(test, sites_check(t), 0);
	/* Past the text, in the module's data. */
	sites_point(t, 1, 64);
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	/* Before the module. */
	sites_point(t, 1, -1);
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	/* In the text, but the decoder could read past the module. */
	klp_mod_set_text(&t->mod, t->text, PAGE_SIZE, PAGE_SIZE);
	sites_point(t, 1, PAGE_SIZE - 2);
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	t->sh[1].sh_size = 6;
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	/* Not kept: a NOBITS one would be read past the load image. */
	sites_point(t, 1, 8);
	klp_mod_set_text(&t->mod, t->text, 64, PAGE_SIZE);
	t->sh[1].sh_size = sizeof(t->site);
	KUNIT_EXPECT_EQ(test, sites_check(t), 0);
	t->sh[1].sh_flags = 0;
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);

	t = sites_build(test, ".altinstructions");
	t->sh[1].sh_addr = (unsigned long)&t->alt;
	t->sh[1].sh_size = sizeof(t->alt);
	t->alt.instr_offset = (long)(t->text + 8) - (long)&t->alt.instr_offset;
	t->alt.repl_offset = (long)(t->text + 100) - (long)&t->alt.repl_offset;
	t->alt.instrlen = 5;
	t->alt.replacementlen = 5;
	KUNIT_EXPECT_EQ(test, sites_check(t), 0);
	t->alt.instrlen = 57;	/* bytes 8 to 64: one past the text */
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	t->alt.instrlen = 5;
	t->alt.replacementlen = 255;
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	t->alt.replacementlen = 6;	/* longer than what it replaces */
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	t->alt.replacementlen = 5;
	t->alt.repl_offset -= 200;	/* before the module */
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	t->alt.repl_offset += 200;
	t->alt.cpuid = (NCAPINTS + NBUGINTS) * 32;
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
#if KLP_LINE_6_12
	t->alt.flags = ALT_FLAG_NOT;
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	t->alt.cpuid = 0;
#else
	t->alt.cpuid |= ALTINSTR_FLAG_INV;
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	t->alt.cpuid = ALTINSTR_FLAG_INV;
#endif
	KUNIT_EXPECT_EQ(test, sites_check(t), 0);

#if KLP_X86_PARAINSTRUCTIONS
	t = sites_build(test, ".parainstructions");
	t->sh[1].sh_addr = (unsigned long)&t->para;
	t->sh[1].sh_size = sizeof(t->para);
	t->para.instr = t->text + 8;
	t->para.len = 5;
	KUNIT_EXPECT_EQ(test, sites_check(t), 0);
	/* paravirt_patch() would read past pv_ops. */
	t->para.type = sizeof(pv_ops) / sizeof(void *);
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	t->para.type = 0;
	t->para.len = 57;	/* bytes 8 to 64: one past the text */
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
#endif
}

#if KLP_LINE_6_12
/* Alternative @a replaces bytes at @instr of the module with those at @repl. */
static void alt_point(struct alt_instr *a, u8 *instr, u8 *repl,
		      unsigned int len, unsigned int repl_len)
{
	a->instr_offset = (long)instr - (long)&a->instr_offset;
	a->repl_offset = (long)repl - (long)&a->repl_offset;
	a->instrlen = len;
	a->replacementlen = repl_len;
}

/*
 * 6.12 pads the entries of one site to the longest, calls paravirt
 * operations directly, and moves the replacement's jumps: each as
 * apply_alternatives() takes it, or BUG()s.
 */
static void x86_alternatives_checked_as_6_12_patches_them(struct kunit *test)
{
	struct sites *t = sites_build(test, ".altinstructions");
	struct alt_instr *a = kunit_kcalloc(test, 2, sizeof(*a), GFP_KERNEL);
	u8 *text = t->text;
	s32 disp;

	KUNIT_ASSERT_NOT_NULL(test, a);
	t->sh[1].sh_addr = (unsigned long)a;
	t->sh[1].sh_size = 2 * sizeof(*a);
	/* One site: the second entry's 5 bytes make room for the first's. */
	alt_point(&a[0], text + 8, text + 100, 2, 5);
	alt_point(&a[1], text + 8, text + 100, 5, 5);
	KUNIT_EXPECT_EQ(test, sites_check(t), 0);
	alt_point(&a[1], text + 16, text + 100, 5, 5);
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	alt_point(&a[1], text + 8, text + 100, 2, 2);
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);

	/* A jump out of the replacement, moved 92 bytes still fits a rel8. */
	t->sh[1].sh_size = sizeof(*a);
	memcpy(text + 100, "\xeb\x10", 2);
	alt_point(&a[0], text + 8, text + 100, 2, 2);
	KUNIT_EXPECT_EQ(test, sites_check(t), 0);
	/* Moved 192 bytes, it would not: __apply_relocation() BUG()s. */
	memcpy(text + 200, "\xeb\x10", 2);
	alt_point(&a[0], text + 8, text + 200, 2, 2);
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	/* A jump within the replacement is not moved. */
	memcpy(text + 200, "\xeb\x00", 2);
	KUNIT_EXPECT_EQ(test, sites_check(t), 0);

#ifdef CONFIG_PARAVIRT
	/* call *disp(%rip) through a pointer in the module, made direct. */
	memcpy(text + 8, "\xff\x15", 2);
	disp = 32 - 14;
	memcpy(text + 10, &disp, sizeof(disp));
	memcpy(text + 100, "\xe8\0\0\0\0", 5);
	alt_point(&a[0], text + 8, text + 100, 6, 5);
	a[0].flags = ALT_FLAG_DIRECT_CALL;
	KUNIT_EXPECT_EQ(test, sites_check(t), 0);
	/* The pointer past the module's memory. */
	disp = PAGE_SIZE;
	memcpy(text + 10, &disp, sizeof(disp));
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	disp = 32 - 14;
	memcpy(text + 10, &disp, sizeof(disp));
	/* Not a call, or not replacing "call *disp(%rip)": BUG(). */
	text[100] = JMP32_INSN_OPCODE;
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	text[100] = CALL_INSN_OPCODE;
	text[9] = 0x14;
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	text[9] = 0x15;
	a[0].replacementlen = 4;
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
#endif
}
#endif

/*
 * Text within a rel32 of the kernel's thunks (module or kernel data, as
 * this suite is built): a call or jump there can reach them.  And a list
 * of one site within an s32 of it.
 */
static u8 klp_kunit_text[64] __aligned(16);
static s32 klp_kunit_site;

/* At byte @off of klp_kunit_text: opcode bytes @op, then a rel32 to @dest. */
static void sites_insn(int off, const char *op, unsigned long dest)
{
	unsigned int n = strlen(op);
	u8 *at = klp_kunit_text + off;
	s32 rel = dest - (unsigned long)(at + n + 4);

	memcpy(at, op, n);
	memcpy(at + n, &rel, sizeof(rel));
	klp_kunit_site = (long)at - (long)&klp_kunit_site;
}

static void x86_patch_sites_decoded_before_finalize(struct kunit *test)
{
	struct sites *t = sites_build(test, ".return_sites");
#if KLP_RETPOLINE && defined(CONFIG_OBJTOOL)
	/* The array of thunks is not exported; its first, %rax's, is. */
	unsigned long thunks = (unsigned long)__x86_indirect_thunk_rax;
#endif

	klp_mod_set_text(&t->mod, klp_kunit_text, sizeof(klp_kunit_text),
			 sizeof(klp_kunit_text));
	t->sh[1].sh_addr = (unsigned long)&klp_kunit_site;
	t->sh[1].sh_size = sizeof(klp_kunit_site);
	if (KLP_RETHUNK) {
		sites_insn(0, "\xe9", (unsigned long)&__x86_return_thunk);
		KUNIT_EXPECT_EQ(test, sites_check(t), 0);
		/* A jump elsewhere, a call to the thunk, a plain ret. */
		sites_insn(0, "\xe9", (unsigned long)klp_kunit_text);
		KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
		sites_insn(0, "\xe8", (unsigned long)&__x86_return_thunk);
		KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
		sites_insn(0, "\xc3", 0);
		KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
		/* A whole jump, but its last byte past the text. */
		sites_insn(48, "\xe9", (unsigned long)&__x86_return_thunk);
		klp_mod_set_text(&t->mod, klp_kunit_text, 52,
				 sizeof(klp_kunit_text));
		KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
		klp_mod_set_text(&t->mod, klp_kunit_text,
				 sizeof(klp_kunit_text),
				 sizeof(klp_kunit_text));
	}

#if KLP_RETPOLINE && defined(CONFIG_OBJTOOL)
	strscpy(t->names + 1, ".retpoline_sites", sizeof(t->names) - 1);
	sites_insn(16, "\xe8", thunks);			/* %rax */
	KUNIT_EXPECT_EQ(test, sites_check(t), 0);
	sites_insn(16, "\x0f\x85", thunks + 15 * RETPOLINE_THUNK_SIZE);
	KUNIT_EXPECT_EQ(test, sites_check(t), 0);		/* jne, %r15 */
	/* %rsp's thunk: apply_retpolines() would BUG(). */
	sites_insn(16, "\xe9", thunks + 4 * RETPOLINE_THUNK_SIZE);
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	sites_insn(16, "\xe8", thunks + 16 * RETPOLINE_THUNK_SIZE);
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	sites_insn(16, "\xe8", thunks - 1);
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
	sites_insn(16, "\xc3", 0);
	KUNIT_EXPECT_EQ(test, sites_check(t), -ENOEXEC);
#endif
}

/*
 * Writes into a running patch module: those in one page of its read-only
 * memory reach it together, at the end or when a write elsewhere comes;
 * the bytes between them keep what they hold then.  A write that crosses
 * a page goes alone; one into writable memory is stored at once.
 */
static void x86_module_writes_gathered_per_page(struct kunit *test)
{
	static const u32 a = 0x11111111, b = 0x22222222, d = 0x44444444;
	static const u64 c = 0x3333333333333333ULL;
	struct module *mod;
	u8 *m, *want;
	u32 e = 0x55555555;

	mod = kunit_kzalloc(test, sizeof(*mod), GFP_KERNEL);
	want = kunit_kzalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, mod && want);
	m = vmalloc(3 * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, m);
	mod->state = MODULE_STATE_LIVE;
	/* text: the first page and 64 bytes; then writable data */
	klp_mod_set_text(mod, m, PAGE_SIZE + 64, 3 * PAGE_SIZE);
	memset(m, 0xcc, 3 * PAGE_SIZE);
	memset(want, 0xcc, 3 * PAGE_SIZE);

	arch_klp_write_begin(mod);
	arch_klp_write(mod, m + 100, &a, sizeof(a));
	arch_klp_write(mod, m + 40, &b, sizeof(b));
	/* gathered, not yet written */
	KUNIT_EXPECT_EQ(test, m[100], 0xcc);
	KUNIT_EXPECT_EQ(test, m[40], 0xcc);
	/* across the page boundary: alone, after what was gathered */
	arch_klp_write(mod, m + PAGE_SIZE - 4, &c, sizeof(c));
	KUNIT_EXPECT_EQ(test, m[100], 0x11);
	KUNIT_EXPECT_EQ(test, m[40], 0x22);
	arch_klp_write(mod, m + PAGE_SIZE + 8, &d, sizeof(d));
	/* into data: stored at once, beside what is gathered */
	arch_klp_write(mod, m + PAGE_SIZE + 100, &e, sizeof(e));
	KUNIT_EXPECT_EQ(test, m[PAGE_SIZE + 100], 0x55);
	arch_klp_write(mod, m + PAGE_SIZE + 16, &d, sizeof(d));
	KUNIT_EXPECT_EQ(test, m[PAGE_SIZE + 8], 0xcc);
	KUNIT_EXPECT_EQ(test, m[PAGE_SIZE + 16], 0xcc);
	arch_klp_write_end(mod);
	memcpy(want + 100, &a, sizeof(a));
	memcpy(want + 40, &b, sizeof(b));
	memcpy(want + PAGE_SIZE - 4, &c, sizeof(c));
	memcpy(want + PAGE_SIZE + 8, &d, sizeof(d));
	memcpy(want + PAGE_SIZE + 16, &d, sizeof(d));
	memcpy(want + PAGE_SIZE + 100, &e, sizeof(e));
	KUNIT_EXPECT_EQ(test, memcmp(m, want, 3 * PAGE_SIZE), 0);

	/* The bytes between are read again for each batch. */
	m[70] = 0x5a;
	want[70] = 0x5a;
	e = 0;
	arch_klp_write_begin(mod);
	arch_klp_write(mod, m + 40, &e, sizeof(e));
	arch_klp_write(mod, m + 100, &e, sizeof(e));
	arch_klp_write(mod, m + PAGE_SIZE - 4, &e, sizeof(e));
	arch_klp_write_end(mod);
	memset(want + 40, 0, 4);
	memset(want + 100, 0, 4);
	memset(want + PAGE_SIZE - 4, 0, 4);
	KUNIT_EXPECT_EQ(test, memcmp(m, want, 3 * PAGE_SIZE), 0);
	vfree(m);
}

/*
 * klp_enable_patch()'s first checks: what a patch module's data and its
 * relocations give it, each wrong in its own way, is refused.
 */
static void enable_checks_the_patch_first(struct kunit *test)
{
	struct klp_func *funcs;
	struct klp_object *objs;
	struct klp_patch *patch;
	struct module *fake;

	/* Each on the heap: together they are larger than a stack frame. */
	funcs = kunit_kcalloc(test, 2, sizeof(*funcs), GFP_KERNEL);
	objs = kunit_kcalloc(test, 3, sizeof(*objs), GFP_KERNEL);
	patch = kunit_kzalloc(test, sizeof(*patch), GFP_KERNEL);
	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, funcs && objs && patch && fake);
	funcs[0].old_name = "klp_kunit_none";
	funcs[0].new_func = enable_checks_the_patch_first;
	objs[0].funcs = funcs;
	patch->objs = objs;

	KUNIT_EXPECT_EQ(test, klp_reloc_check_patch(NULL, _RET_IP_), -EINVAL);
	/* .mod zero, as a patch module without its .rela.data has it */
	KUNIT_EXPECT_EQ(test, klp_reloc_check_patch(patch, _RET_IP_), -EINVAL);
	/* a struct module, but in no module's memory */
	patch->mod = fake;
	KUNIT_EXPECT_EQ(test, klp_reloc_check_patch(patch, _RET_IP_), -EINVAL);
	if (IS_BUILTIN(CONFIG_LIVEPATCH_RELOC_KUNIT_TEST))
		kunit_skip(test, "built in: no module of its own to be .mod");
	patch->mod = THIS_MODULE;
	KUNIT_EXPECT_EQ(test, klp_reloc_check_patch(patch, _RET_IP_), 0);
	/* in the module's memory, but not its struct module */
	patch->mod = (struct module *)((char *)THIS_MODULE + 8);
	KUNIT_EXPECT_EQ(test, klp_reloc_check_patch(patch, _RET_IP_), -EINVAL);
	patch->mod = THIS_MODULE;
	patch->objs = NULL;
	KUNIT_EXPECT_EQ(test, klp_reloc_check_patch(patch, _RET_IP_), -EINVAL);
	/* a second object, named, without functions */
	patch->objs = objs;
	objs[1].name = "klp_kunit_obj";
	KUNIT_EXPECT_EQ(test, klp_reloc_check_patch(patch, _RET_IP_), -EINVAL);
	objs[1].funcs = funcs;
	KUNIT_EXPECT_EQ(test, klp_reloc_check_patch(patch, _RET_IP_), 0);
	/* a function without its new code, then without its name */
	funcs[0].new_func = NULL;
	KUNIT_EXPECT_EQ(test, klp_reloc_check_patch(patch, _RET_IP_), -EINVAL);
	/* a new function that is no code: ftrace would jump into the heap */
	funcs[0].new_func = funcs;
	KUNIT_EXPECT_EQ(test, klp_reloc_check_patch(patch, _RET_IP_), -EINVAL);
	funcs[0].new_func = enable_checks_the_patch_first;
	funcs[0].old_name = NULL;
	KUNIT_EXPECT_EQ(test, klp_reloc_check_patch(patch, _RET_IP_), -EINVAL);
	funcs[0].old_name = "klp_kunit_none";
	/* an object name no module can have */
	objs[1].name = "klp_kunit_a_module_name_far_longer_than_fifty_six_bytes_is";
	KUNIT_EXPECT_EQ(test, klp_reloc_check_patch(patch, _RET_IP_), -EINVAL);
}

static struct kunit_case klp_reloc_cases[] = {
	KUNIT_CASE(parse_matches_shared_case_table),
	KUNIT_CASE(strerror_covers_every_error),
	KUNIT_CASE(validate_accepts_well_formed_image),
	KUNIT_CASE(layout_needs_more_than_module_memory),
	KUNIT_CASE(validate_accepts_vmlinux_into_init_and_special),
	KUNIT_CASE(validate_accepts_disjoint_entries_in_any_order),
	KUNIT_CASE(symbols_sorted_whatever_the_symtab_order),
	KUNIT_CASE_PARAM(validate_rejects_malformed, bad_gen_params),
	KUNIT_CASE_PARAM(validate_rejects_module_into_special, special_gen_params),
	KUNIT_CASE(apply_reads_nothing_of_the_image),
	KUNIT_CASE(apply_refused_writes_nothing),
	KUNIT_CASE(apply_checks_every_entry_before_writing),
	KUNIT_CASE(clear_after_refusal_keeps_foreign_bytes),
	KUNIT_CASE(clear_undoes_exactly_what_apply_wrote),
	KUNIT_CASE_PARAM(sympos_counts_in_kallsyms_order, sympos_gen_params),
	KUNIT_CASE(vmlinux_walk_finds_what_lookups_find),
	KUNIT_CASE(x86_ranges_checked_before_write),
	KUNIT_CASE(x86_patch_sites_checked_before_finalize),
	KUNIT_CASE(x86_patch_sites_decoded_before_finalize),
	KUNIT_CASE(x86_module_writes_gathered_per_page),
#if KLP_LINE_6_12
	KUNIT_CASE(x86_alternatives_checked_as_6_12_patches_them),
#endif
	KUNIT_CASE(enable_checks_the_patch_first),
	{}
};

static struct kunit_suite klp_reloc_suite = {
	.name = "livepatch-reloc",
	.test_cases = klp_reloc_cases,
};

kunit_test_suite(klp_reloc_suite);

MODULE_DESCRIPTION("KUnit tests for livepatch relocations");
MODULE_LICENSE("GPL");
