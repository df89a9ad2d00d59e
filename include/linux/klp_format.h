/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Names of the livepatch module ELF format: ".klp.rela.<obj>.<section>"
 * relocation sections and ".klp.sym.<obj>.<name>,<sympos>" symbols.
 *
 * This header is the one parser of those names.  The kernel's relocation
 * core (kernel/livepatch/reloc.c) and the userspace klp tools
 * (scripts/livepatch/) both include it, so a name is accepted by one exactly
 * when it is accepted by the other.  It depends on nothing but strlen() and
 * friends, which is why it is all static inline.
 */
#ifndef _LINUX_KLP_FORMAT_H
#define _LINUX_KLP_FORMAT_H

#ifdef __KERNEL__
#include <linux/string.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#endif

#define KLP_RELA_PREFIX		".klp.rela."
#define KLP_SYM_PREFIX		".klp.sym."
#define KLP_VMLINUX		"vmlinux"

#ifndef SHF_RELA_LIVEPATCH
#define SHF_RELA_LIVEPATCH	0x00100000
#endif
#ifndef SHN_LIVEPATCH
#define SHN_LIVEPATCH		0xff20
#endif

/*
 * An object name must fit in struct module's name[] (MODULE_NAME_LEN, 56 on
 * 64-bit) with its NUL; a symbol name must fit in KSYM_NAME_LEN (512) with
 * its NUL.  Fixed here so that the tools agree with the kernel.
 */
#define KLP_OBJNAME_MAX		55
#define KLP_SYMNAME_MAX		511
/* Largest sympos accepted: far beyond any real count of duplicate names. */
#define KLP_SYMPOS_MAX		65535U

/**
 * struct klp_name_part - a span of characters inside a parsed name
 * @s: first character (not NUL-terminated)
 * @len: number of characters
 */
struct klp_name_part {
	const char *s;
	size_t len;
};

/**
 * struct klp_sym_name - the parts of ".klp.sym.<obj>.<name>,<sympos>"
 * @obj: the object holding the symbol, "vmlinux" or a module name
 * @name: the symbol's name in that object (may contain dots)
 * @sympos: 0 for "unique in @obj", N >= 1 for the Nth in kallsyms order
 */
struct klp_sym_name {
	struct klp_name_part obj;
	struct klp_name_part name;
	unsigned int sympos;
};

/**
 * struct klp_rela_name - the parts of ".klp.rela.<obj>.<section>"
 * @obj: the object whose symbols the section's relocations use
 * @sec: the name of the patch module section the relocations write into
 */
struct klp_rela_name {
	struct klp_name_part obj;
	struct klp_name_part sec;
};

enum klp_name_error {
	KLP_NAME_OK = 0,
	KLP_NAME_NO_PREFIX,
	KLP_NAME_NO_OBJ,
	KLP_NAME_OBJ_TOO_LONG,
	KLP_NAME_OBJ_DASH,
	KLP_NAME_OBJ_CHAR,
	KLP_NAME_NO_SYM,
	KLP_NAME_SYM_TOO_LONG,
	KLP_NAME_NO_SYMPOS,
	KLP_NAME_BAD_SYMPOS,
	KLP_NAME_NO_SEC,
	KLP_NAME_NR_ERRORS,
};

/**
 * klp_name_strerror() - describe a klp_parse_*_name() failure
 * @err: a value of enum klp_name_error
 *
 * Return: a short phrase suitable after "symbol 'x': " in a message.
 */
static inline const char *klp_name_strerror(int err)
{
	static const char * const msgs[KLP_NAME_NR_ERRORS] = {
		[KLP_NAME_OK]		= "well-formed",
		[KLP_NAME_NO_PREFIX]	= "missing the .klp.sym. or .klp.rela. prefix",
		[KLP_NAME_NO_OBJ]	= "object name is empty or not followed by '.'",
		[KLP_NAME_OBJ_TOO_LONG]	= "object name longer than 55 characters",
		[KLP_NAME_OBJ_DASH]	= "object name has '-': module names use '_'",
		[KLP_NAME_OBJ_CHAR]	= "object name has a space or a non-printable character",
		[KLP_NAME_NO_SYM]	= "symbol name is empty",
		[KLP_NAME_SYM_TOO_LONG]	= "symbol name longer than 511 characters",
		[KLP_NAME_NO_SYMPOS]	= "missing ',<sympos>' suffix",
		[KLP_NAME_BAD_SYMPOS]	= "sympos is not a decimal number up to 65535",
		[KLP_NAME_NO_SEC]	= "target section name is empty",
	};

	if (err < 0 || err >= KLP_NAME_NR_ERRORS)
		return "unknown error";
	return msgs[err];
}

/*
 * Split "<obj>.<rest>" after @prefix, of @plen characters; the object name
 * has no dots.  It is "vmlinux" or a module's name, which the module
 * loader compares as is: a name no module can have would never be
 * matched, so it is refused here.  One pass: the first bad character is
 * held until the dot is found, since a missing or overlong object name
 * is the error to report then.
 */
static inline int klp_parse_obj(const char *name, const char *prefix,
				size_t plen, struct klp_name_part *obj,
				const char **rest)
{
	int bad = KLP_NAME_OK;
	const char *p;

	if (strncmp(name, prefix, plen))
		return KLP_NAME_NO_PREFIX;
	name += plen;
	for (p = name; *p != '.'; p++) {
		if (!*p)
			return KLP_NAME_NO_OBJ;
		if (bad)
			continue;
		if (*p == '-')
			bad = KLP_NAME_OBJ_DASH;
		else if (*p <= ' ' || *p >= 0x7f)
			bad = KLP_NAME_OBJ_CHAR;
	}
	if (p == name)
		return KLP_NAME_NO_OBJ;
	if (p - name > KLP_OBJNAME_MAX)
		return KLP_NAME_OBJ_TOO_LONG;
	if (bad)
		return bad;
	obj->s = name;
	obj->len = p - name;
	*rest = p + 1;
	return KLP_NAME_OK;
}

/**
 * klp_parse_sym_name() - split a ".klp.sym.<obj>.<name>,<sympos>" name
 * @str: NUL-terminated symbol name from the patch module's string table
 * @out: filled with spans into @str on success
 *
 * The object name ends at the first dot after the prefix; the symbol name
 * runs to the last comma, so it may itself contain dots (foo.cold,
 * bar.constprop.0).  sympos is plain decimal: no sign, no spaces, no
 * leading "0x".
 *
 * Return: KLP_NAME_OK or a positive enum klp_name_error.
 */
static inline int klp_parse_sym_name(const char *str, struct klp_sym_name *out)
{
	const char *rest, *comma, *p;
	unsigned int pos = 0;
	int err;

	err = klp_parse_obj(str, KLP_SYM_PREFIX, sizeof(KLP_SYM_PREFIX) - 1,
			    &out->obj, &rest);
	if (err)
		return err;
	comma = strrchr(rest, ',');
	if (!comma)
		return KLP_NAME_NO_SYMPOS;
	if (comma == rest)
		return KLP_NAME_NO_SYM;
	if (comma - rest > KLP_SYMNAME_MAX)
		return KLP_NAME_SYM_TOO_LONG;
	if (!comma[1])
		return KLP_NAME_BAD_SYMPOS;
	for (p = comma + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return KLP_NAME_BAD_SYMPOS;
		pos = pos * 10 + (*p - '0');
		if (pos > KLP_SYMPOS_MAX)
			return KLP_NAME_BAD_SYMPOS;
	}
	out->name.s = rest;
	out->name.len = comma - rest;
	out->sympos = pos;
	return KLP_NAME_OK;
}

/**
 * klp_parse_rela_name() - split a ".klp.rela.<obj>.<section>" name
 * @str: NUL-terminated section name from the section header string table
 * @out: filled with spans into @str on success
 *
 * Return: KLP_NAME_OK or a positive enum klp_name_error.
 */
static inline int klp_parse_rela_name(const char *str, struct klp_rela_name *out)
{
	const char *rest;
	int err;

	err = klp_parse_obj(str, KLP_RELA_PREFIX, sizeof(KLP_RELA_PREFIX) - 1,
			    &out->obj, &rest);
	if (err)
		return err;
	if (!*rest)
		return KLP_NAME_NO_SEC;
	out->sec.s = rest;
	out->sec.len = strlen(rest);
	return KLP_NAME_OK;
}

/**
 * klp_name_part_eq() - compare a parsed span with a C string
 * @part: the span
 * @str: NUL-terminated string
 *
 * Return: true if they hold the same characters.
 */
static inline bool klp_name_part_eq(const struct klp_name_part *part,
				    const char *str)
{
	return strlen(str) == part->len && !strncmp(part->s, str, part->len);
}

#endif /* _LINUX_KLP_FORMAT_H */
