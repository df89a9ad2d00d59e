/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The livepatch relocation core's interface to the rest of
 * kernel/livepatch and to its KUnit suite.
 */
#ifndef _LIVEPATCH_RELOC_H
#define _LIVEPATCH_RELOC_H

#include <linux/elf.h>
#include <linux/klp_rules.h>
#include <linux/livepatch.h>
#include <linux/module.h>

/**
 * struct klp_sympos - counting the symbols of one name, in kallsyms order
 * @want: the sympos asked for: 0 for "unique", N for the Nth
 * @count: how many symbols of that name were seen
 * @addr: the address picked so far
 */
struct klp_sympos {
	unsigned int want;
	unsigned int count;
	unsigned long addr;
};

/**
 * struct klp_reloc_sym - one .klp.sym symbol an object's entries use
 * @elfname: its full ".klp.sym.<obj>.<name>,<sympos>" name, in the
 *	     object's @names; vmlinux's, in the image (see klp_copy_names())
 * @name: the symbol's name in its object, in the object's @names
 * @namelen: the length of @name
 * @symidx: its index in the patch module's symbol table
 * @pos: the sympos wanted, and the count and address found
 * @dup: same name and sympos as the symbol before it: resolved by that one
 */
struct klp_reloc_sym {
	const char *elfname;
	const char *name;
	unsigned int namelen;
	unsigned int symidx;
	struct klp_sympos pos;
	bool dup;
};

/**
 * struct klp_reloc_ent - one validated relocation entry
 * @loc: the bytes it writes, in the patch module's own memory
 * @addend: r_addend
 * @sym: index into the object's symbols
 * @type: the relocation type
 * @width: how many bytes it writes
 * @sh_name: its section's name, an offset into the kept names
 * @rela: its index in that section, for messages
 */
struct klp_reloc_ent {
	void *loc;
	s64 addend;
	unsigned int sym;
	unsigned int type;
	unsigned int width;
	unsigned int sh_name;
	unsigned int rela;
};

/* The two kinds of table of keys.c, and the bounds of one. */
enum { KLP_KEYS_JUMP, KLP_KEYS_CALLS, KLP_KEYS_KINDS };

struct klp_keys_span {
	void *start;
	void *stop;
};

struct klp_jump_runs;
struct klp_sc_runs;

/**
 * struct klp_reloc_obj - everything needed to relocate for one object
 * @name: "vmlinux" or a module name
 * @ents: its entries, in section and entry order
 * @nents: how many
 * @syms: the symbols they use, sorted by name and sympos
 * @nsyms: how many
 * @names: one allocation that holds their names
 * @secs: its sections' indices, for apply_relocate_add() on archs
 *	  without HAVE_KLP_RELOC_CHECKED
 * @nsecs: how many
 * @sh_name: its first section's name, an offset into the kept names
 * @applied: its entries are written, and clearing them is ours to do
 * @keys: its jump table and static call sites (keys.c), if any
 * @jruns: its jump entries' runs, while linked into its module's keys
 * @sruns: its static call sites' runs, the same
 * @linked: @jruns and @sruns are linked
 */
struct klp_reloc_obj {
	char *name;
	struct klp_reloc_ent *ents;
	unsigned int nents;
	struct klp_reloc_sym *syms;
	unsigned int nsyms;
	char *names;
	unsigned int *secs;
	unsigned int nsecs;
	unsigned int sh_name;
	bool applied;
	struct klp_keys_span keys[KLP_KEYS_KINDS];
	struct klp_jump_runs *jruns;
	struct klp_sc_runs *sruns;
	bool linked;
};

/**
 * struct klp_reloc_state - what a patch module's load kept for later
 * @secstrings: a copy of its section names, for messages
 * @secstrings_size: their size
 * @objs: one per object its klp sections name, vmlinux included
 * @nobjs: how many
 *
 * Built while the whole ELF image exists, owned by the patch module
 * (struct klp_modinfo) and freed with it.  Nothing after the load reads
 * the image again.
 */
struct klp_reloc_state {
	char *secstrings;
	size_t secstrings_size;
	struct klp_reloc_obj *objs;
	unsigned int nobjs;
};

int klp_reloc_prepare(const struct klp_elf *elf, struct module *pmod,
		      struct klp_reloc_state **statep);
int klp_reloc_apply(struct klp_reloc_state *st, const char *pname,
		    struct module *pmod, struct klp_reloc_obj *obj,
		    struct module *mod);
void klp_reloc_clear(struct klp_reloc_obj *obj, struct module *pmod);
struct klp_reloc_obj *klp_reloc_find(struct klp_reloc_state *st,
				     const char *objname);
struct klp_reloc_state *klp_reloc_state_of(struct klp_patch *patch);
#ifdef CONFIG_HAVE_KLP_RELOC_CHECKED
int klp_keys_apply_object(const char *pname, struct module *pmod,
			  struct klp_reloc_obj *obj, struct module *mod);
void klp_keys_unlink(struct klp_reloc_obj *obj);
#else
/* Such a kernel refuses the tables at load (check_klp_sites()). */
static inline int klp_keys_apply_object(const char *pname,
					struct module *pmod,
					struct klp_reloc_obj *obj,
					struct module *mod)
{
	return 0;
}

static inline void klp_keys_unlink(struct klp_reloc_obj *obj)
{
}
#endif
void klp_sympos_match(struct klp_sympos *sp, unsigned long addr);
int klp_sympos_result(const struct klp_sympos *sp);
/* How klp_reloc_resolve_vmlinux() finds vmlinux's symbols. */
enum klp_ksyms_way {
	KLP_KSYMS_INDEX,
	KLP_KSYMS_MARKERS,
	KLP_KSYMS_LOOKUP,
};

#if IS_ENABLED(CONFIG_KUNIT)
void klp_reloc_resolve_vmlinux(struct klp_reloc_obj *obj,
			       enum klp_ksyms_way way);
#endif

int klp_reloc_check_patch(struct klp_patch *patch, unsigned long caller);
int klp_reloc_check_registered(struct klp_patch *patch);
int klp_reloc_check_objects(struct klp_patch *patch);
int klp_reloc_apply_object(struct klp_patch *patch, struct klp_object *obj);
void klp_reloc_clear_object(struct klp_patch *patch, struct klp_object *obj);
void klp_reloc_release_patch(struct klp_patch *patch);

#endif /* _LIVEPATCH_RELOC_H */
