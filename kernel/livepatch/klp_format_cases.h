/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one table of .klp name cases.  The kernel's KUnit suite
 * (kernel/livepatch/reloc_kunit.c) and the tools' unit tests
 * (scripts/livepatch/tests) both walk it through klp_parse_*_name(), so the
 * kernel and the tools are proven to accept and reject the same names.
 *
 * Include <linux/klp_format.h> first.
 */
#ifndef _LINUX_KLP_FORMAT_CASES_H
#define _LINUX_KLP_FORMAT_CASES_H

/**
 * struct klp_name_case - one input and what parsing it must give
 * @in: the name
 * @rela: true for a section name, false for a symbol name
 * @err: expected enum klp_name_error
 * @obj: expected object name (when @err is KLP_NAME_OK)
 * @name: expected symbol name, or target section name for @rela
 * @sympos: expected sympos (symbols only)
 */
struct klp_name_case {
	const char *in;
	bool rela;
	int err;
	const char *obj;
	const char *name;
	unsigned int sympos;
};

#define KLP_SYM_OK(i, o, n, p)	{ .in = i, .err = KLP_NAME_OK, .obj = o, .name = n, .sympos = p }
#define KLP_SYM_BAD(i, e)	{ .in = i, .err = e }
#define KLP_RELA_OK(i, o, s)	{ .in = i, .rela = true, .err = KLP_NAME_OK, .obj = o, .name = s }
#define KLP_RELA_BAD(i, e)	{ .in = i, .rela = true, .err = e }

static const struct klp_name_case klp_name_cases[] = {
	KLP_SYM_OK(".klp.sym.vmlinux.saved_command_line,0", "vmlinux", "saved_command_line", 0),
	KLP_SYM_OK(".klp.sym.vmlinux.foo,1", "vmlinux", "foo", 1),
	KLP_SYM_OK(".klp.sym.vmlinux.foo,65535", "vmlinux", "foo", 65535),
	KLP_SYM_OK(".klp.sym.vmlinux.foo.cold,2", "vmlinux", "foo.cold", 2),
	KLP_SYM_OK(".klp.sym.vmlinux.a.constprop.0,0", "vmlinux", "a.constprop.0", 0),
	KLP_SYM_OK(".klp.sym.test_mod.x,1,2", "test_mod", "x,1", 2),
	KLP_SYM_OK(".klp.sym.a.b,007", "a", "b", 7),
	KLP_SYM_OK(".klp.sym.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.s,0",
		   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "s", 0),
	KLP_SYM_BAD("saved_command_line", KLP_NAME_NO_PREFIX),
	KLP_SYM_BAD(".klp.sy.vmlinux.foo,0", KLP_NAME_NO_PREFIX),
	KLP_SYM_BAD(".klp.sym.", KLP_NAME_NO_OBJ),
	KLP_SYM_BAD(".klp.sym.vmlinux", KLP_NAME_NO_OBJ),
	KLP_SYM_BAD(".klp.sym..foo,0", KLP_NAME_NO_OBJ),
	KLP_SYM_BAD(".klp.sym.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.s,0",
		    KLP_NAME_OBJ_TOO_LONG),
	KLP_SYM_BAD(".klp.sym.test-mod.foo,0", KLP_NAME_OBJ_DASH),
	KLP_SYM_BAD(".klp.sym.test mod.foo,0", KLP_NAME_OBJ_CHAR),
	KLP_SYM_BAD(".klp.sym.test\tmod.foo,0", KLP_NAME_OBJ_CHAR),
	KLP_SYM_BAD(".klp.sym.t\xe9st.foo,0", KLP_NAME_OBJ_CHAR),
	KLP_SYM_OK(".klp.sym.test_mod.foo-bar,0", "test_mod", "foo-bar", 0),
	KLP_SYM_BAD(".klp.sym.vmlinux.foo", KLP_NAME_NO_SYMPOS),
	KLP_SYM_BAD(".klp.sym.vmlinux.,0", KLP_NAME_NO_SYM),
	KLP_SYM_BAD(".klp.sym.vmlinux.foo,", KLP_NAME_BAD_SYMPOS),
	KLP_SYM_BAD(".klp.sym.vmlinux.foo,-1", KLP_NAME_BAD_SYMPOS),
	KLP_SYM_BAD(".klp.sym.vmlinux.foo,+1", KLP_NAME_BAD_SYMPOS),
	KLP_SYM_BAD(".klp.sym.vmlinux.foo, 1", KLP_NAME_BAD_SYMPOS),
	KLP_SYM_BAD(".klp.sym.vmlinux.foo,0x1", KLP_NAME_BAD_SYMPOS),
	KLP_SYM_BAD(".klp.sym.vmlinux.foo,65536", KLP_NAME_BAD_SYMPOS),
	KLP_SYM_BAD(".klp.sym.vmlinux.foo,99999999999999999999", KLP_NAME_BAD_SYMPOS),
	KLP_RELA_OK(".klp.rela.vmlinux..text", "vmlinux", ".text"),
	KLP_RELA_OK(".klp.rela.vmlinux..text.unlikely", "vmlinux", ".text.unlikely"),
	KLP_RELA_OK(".klp.rela.test_mod..data.rel.ro", "test_mod", ".data.rel.ro"),
	KLP_RELA_OK(".klp.rela.m.text", "m", "text"),
	KLP_RELA_BAD(".rela.text", KLP_NAME_NO_PREFIX),
	KLP_RELA_BAD(".klp.rela.vmlinux", KLP_NAME_NO_OBJ),
	KLP_RELA_BAD(".klp.rela..text", KLP_NAME_NO_OBJ),
	KLP_RELA_BAD(".klp.rela.vmlinux.", KLP_NAME_NO_SEC),
	KLP_RELA_BAD(".klp.rela.test-mod..text", KLP_NAME_OBJ_DASH),
	KLP_RELA_BAD(".klp.rela.test\x01mod..text", KLP_NAME_OBJ_CHAR),
	KLP_RELA_BAD(".klp.rela.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..text",
		     KLP_NAME_OBJ_TOO_LONG),
};

#endif /* _LINUX_KLP_FORMAT_CASES_H */
