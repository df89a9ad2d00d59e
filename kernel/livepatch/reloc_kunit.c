// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the livepatch relocation core (reloc.c).
 *
 * The name parser is walked through the case table that the userspace
 * klp tools also run, so kernel and tools are held to the same grammar.
 * The validator is fed small ELF images assembled here, each valid but
 * for one field, and must refuse each with -ENOEXEC before resolving or
 * writing anything.  The sympos rules are checked on counted matches.
 */

#include <kunit/test.h>
#include <linux/elf.h>
#include <linux/klp_format.h>
#include <linux/klp_format_cases.h>
#include <linux/klp_reloc_arch.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
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
enum { S_NULL, S_TEXT, S_KLP, S_SYMTAB, S_STRTAB, S_SHSTRTAB, S_NR };

struct img {
	Elf_Ehdr hdr;
	Elf_Shdr sh[S_NR];
	char shstr[160];
	char str[160];
	size_t shstr_len, str_len;
	Elf_Sym syms[2];
	Elf_Rela rela;
	u8 text[32];
	struct klp_elf elf;
};

static unsigned int add_str(char *tab, size_t *len, const char *s)
{
	unsigned int off = *len;

	strcpy(tab + off, s);
	*len += strlen(s) + 1;
	return off;
}

/* @obj: the object in both the section and the symbol name */
static void img_build(struct img *m, const char *obj)
{
	char name[64];

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

	snprintf(name, sizeof(name), ".klp.sym.%s.foo,0", obj);
	m->syms[1].st_name = add_str(m->str, &m->str_len, name);
	m->syms[1].st_shndx = SHN_LIVEPATCH;
	m->syms[1].st_info = (STB_GLOBAL << 4) | STT_FUNC;
	m->sh[S_STRTAB].sh_size = m->str_len;

	m->rela.r_offset = 4;
	m->rela.r_info = ELF64_R_INFO(1, R_X86_64_PC32);
	m->rela.r_addend = -4;
}

static int img_scan(struct kunit *test, struct img *m, const char *obj,
		    unsigned int *n)
{
	struct klp_rsec *rsecs;
	int err;

	KUNIT_ASSERT_EQ(test, klp_elf_init(&m->elf, "kunit", NULL, &m->hdr,
					   m->sh, m->shstr, S_SYMTAB), 0);
	err = klp_reloc_scan(&m->elf, obj, &rsecs, n);
	kfree(rsecs);
	return err;
}

static void validate_accepts_well_formed_image(struct kunit *test)
{
	struct img *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, m);
	img_build(m, "vmlinux");
	KUNIT_EXPECT_EQ(test, img_scan(test, m, "vmlinux", &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1U);
	KUNIT_EXPECT_EQ(test, img_scan(test, m, "other", &n), 0);
	KUNIT_EXPECT_EQ(test, n, 0U);

	img_build(m, "target_mod");
	KUNIT_EXPECT_EQ(test, img_scan(test, m, "target_mod", &n), 0);
	KUNIT_EXPECT_EQ(test, n, 1U);
}

/* Each case spoils one field of a well-formed image. */
struct bad_case {
	const char *what;
	const char *obj;
	void (*spoil)(struct img *m);
};

static void bad_sym_index(struct img *m)
{
	m->rela.r_info = ELF64_R_INFO(2, R_X86_64_PC32);
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

static const struct bad_case bad_cases[] = {
	{ "symbol index past the symtab", "vmlinux", bad_sym_index },
	{ "symbol index 0", "vmlinux", sym_index_zero },
	{ "offset + width just past the section", "vmlinux", offset_past_section },
	{ "offset far past the section", "vmlinux", offset_far_past_section },
	{ "offset that wraps around", "vmlinux", offset_wraps },
	{ "unsupported relocation type", "vmlinux", unsupported_type },
	{ "st_name past the strtab", "vmlinux", st_name_past_strtab },
	{ "st_name not NUL-terminated in the strtab", "vmlinux", st_name_unterminated },
	{ "symbol not SHN_LIVEPATCH", "vmlinux", sym_not_shn_livepatch },
	{ "symbol name without sympos", "vmlinux", sym_name_malformed },
	{ "vmlinux section using a module symbol", "vmlinux", sym_of_other_object },
	{ "module section using another object's symbol", "target_mod", sym_of_other_object },
	{ "section of type SHT_PROGBITS", "vmlinux", wrong_sh_type },
	{ "module section without SHF_ALLOC", "target_mod", module_section_not_alloc },
	{ "target section without SHF_ALLOC", "vmlinux", target_not_alloc },
	{ "sh_info out of range", "vmlinux", sh_info_out_of_range },
	{ "sh_info naming another section", "vmlinux", sh_info_name_mismatch },
	{ "sh_link not the symtab", "vmlinux", sh_link_not_symtab },
	{ "size not a whole number of relocations", "vmlinux", size_not_whole_relas },
	{ "section name without target", "vmlinux", section_name_malformed },
	{ "section name offset past shstrtab", "vmlinux", section_name_offset_bad },
};

static void bad_case_desc(const struct bad_case *c, char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad, bad_cases, bad_case_desc);

static void validate_rejects_malformed(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct img *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, m);
	img_build(m, c->obj);
	c->spoil(m);
	KUNIT_EXPECT_EQ(test, img_scan(test, m, c->obj, &n), -ENOEXEC);
	/* A bad section is refused whichever object is being applied. */
	KUNIT_EXPECT_EQ(test, img_scan(test, m, "unrelated", &n), -ENOEXEC);
	KUNIT_EXPECT_TRUE(test, mem_is_zero(m->text, sizeof(m->text)));
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

static struct kunit_case klp_reloc_cases[] = {
	KUNIT_CASE(parse_matches_shared_case_table),
	KUNIT_CASE(strerror_covers_every_error),
	KUNIT_CASE(validate_accepts_well_formed_image),
	KUNIT_CASE_PARAM(validate_rejects_malformed, bad_gen_params),
	KUNIT_CASE_PARAM(sympos_counts_in_kallsyms_order, sympos_gen_params),
	KUNIT_CASE(x86_ranges_checked_before_write),
	{}
};

static struct kunit_suite klp_reloc_suite = {
	.name = "livepatch-reloc",
	.test_cases = klp_reloc_cases,
};

kunit_test_suite(klp_reloc_suite);

MODULE_DESCRIPTION("KUnit tests for livepatch relocations");
MODULE_LICENSE("GPL");
