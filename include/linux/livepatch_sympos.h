/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Annotations for klp-convert (scripts/livepatch/klp-convert.c).
 *
 * A livepatch module refers to symbols of vmlinux or of a target module
 * that it cannot link against.  When such a name is not unique, klp-convert
 * stops and asks which one is meant; these macros say it, at file scope:
 *
 *	extern int counter;
 *	KLP_SYMPOS(counter, 2);		(the 2nd 'counter' in kallsyms order)
 *	KLP_OBJECT(counter, my_mod);	(the one in module my_mod)
 *
 * Each leaves a string in a non-allocated section that klp-convert reads
 * and then removes, so nothing reaches the running kernel.  Its name
 * starts with ".comment" because modpost expects non-allocated sections of
 * a module to be comments, notes or debug information, and the module
 * linker script keeps such a section.  A ".note" name would be gathered
 * into vmlinux's notes by mistake, a ".discard" one dropped at link time.
 */
#ifndef _LINUX_LIVEPATCH_SYMPOS_H
#define _LINUX_LIVEPATCH_SYMPOS_H

#define __KLP_ANNOTATE(kind, sym, arg)					\
	asm(".pushsection .comment.klp_annotations,\"\",@progbits\n\t"	\
	    ".asciz \"" kind " " #sym " " #arg "\"\n\t"			\
	    ".popsection")

/* Bind @sym to the @pos-th symbol of that name (1-based, kallsyms order). */
#define KLP_SYMPOS(sym, pos)	__KLP_ANNOTATE("sympos", sym, pos)

/* Look for @sym only in @obj: "vmlinux" or a module name (no .ko, '_' not '-'). */
#define KLP_OBJECT(sym, obj)	__KLP_ANNOTATE("object", sym, obj)

#endif /* _LINUX_LIVEPATCH_SYMPOS_H */
