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

/* Look for @sym only in @obj: "vmlinux" or a module name (no .ko, '_' not '-'). */
#define KLP_OBJECT(sym, obj)	__KLP_ANNOTATE("object", sym, obj)

/*
 * The posted upstream klp-convert series says the same per object, with
 * an array in a section klp-convert reads and then removes:
 *
 *	KLP_MODULE_RELOC(my_mod) my_mod_relocs[] = {
 *		KLP_MODULE_RELOC_SYMPOS(counter, 2),
 *	};
 *
 * Each entry says what KLP_OBJECT(counter, my_mod) and KLP_SYMPOS(counter,
 * 2) say together; its sympos 0 means "the only one of that name".  The
 * series calls the entry KLP_SYMPOS, the name of the file-scope form here,
 * and no one macro can be both a declaration and an initializer.  Sources
 * written for the series build unchanged with KLP_SYMPOS_IN_ARRAYS
 * defined, which makes KLP_SYMPOS the entry (KLP_OBJECT stays):
 *
 *	ccflags-y += -DKLP_SYMPOS_IN_ARRAYS -include linux/livepatch_sympos.h
 */
struct klp_module_reloc {
	void *sym;
	unsigned int sympos;
} __packed;

#define KLP_MODULE_RELOC(obj)						\
	struct klp_module_reloc __section(".klp.module_relocs." #obj) __used

#define KLP_MODULE_RELOC_SYMPOS(symbol, pos)				\
	{ .sym = (void *)&(symbol), .sympos = (pos) }

#ifdef KLP_SYMPOS_IN_ARRAYS
#define KLP_SYMPOS(sym, pos)	KLP_MODULE_RELOC_SYMPOS(sym, pos)
#else
/* Bind @sym to the @pos-th symbol of that name (1-based, kallsyms order). */
#define KLP_SYMPOS(sym, pos)	__KLP_ANNOTATE("sympos", sym, pos)
#endif

#endif /* _LINUX_LIVEPATCH_SYMPOS_H */
