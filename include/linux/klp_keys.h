/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A livepatch module's jump entries and static call sites for a module
 * object (Documentation/livepatch/module-static-keys.rst): the names of
 * their sections, and what kernel/jump_label.c and
 * kernel/static_call_inline.c do for kernel/livepatch/keys.c.
 */
#ifndef _LINUX_KLP_KEYS_H
#define _LINUX_KLP_KEYS_H

#include <linux/types.h>
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <stdbool.h>
#include <string.h>
#endif
#ifdef __KERNEL__
#include <linux/errno.h>
#endif

/* ".klp.jump_table.<obj>" and ".klp.static_call_sites.<obj>" */
#define KLP_JUMP_TABLE_PREFIX	".klp.jump_table."
#define KLP_CALL_SITES_PREFIX	".klp.static_call_sites."

/* The entries' layouts on 64-bit x86: code, target, key; site, key. */
#define KLP_JUMP_ENTRY_SIZE	16
#define KLP_JUMP_ENTRY_KEY	8
#define KLP_CALL_SITE_SIZE	8
#define KLP_CALL_SITE_KEY	4
/* The flags in the low bits of a key field, and the one we refuse. */
#define KLP_KEY_FLAGS		3
#define KLP_KEY_FLAG_INIT	2
/* A jump entry's key: a key, or a tracepoint's (struct tracepoint.key). */
#define KLP_TRACEPOINT_PREFIX	"__tracepoint_"
#define KLP_TRACEPOINT_KEY	8
/* A static call site's key: the static call's key, not its trampoline. */
#define KLP_CALL_KEY_PREFIX	"__SCK__"

/*
 * Is @sym + @addend, less the flags, what a key field of a table of kind
 * @jump may name?  The key itself, or a tracepoint's key.
 */
static inline bool klp_key_sym_ok(const char *sym, long long addend, bool jump)
{
	long long off = addend & ~(long long)KLP_KEY_FLAGS;

	if (!jump)
		return !off && !strncmp(sym, KLP_CALL_KEY_PREFIX,
					sizeof(KLP_CALL_KEY_PREFIX) - 1);
	return !off || (off == KLP_TRACEPOINT_KEY &&
			!strncmp(sym, KLP_TRACEPOINT_PREFIX,
				 sizeof(KLP_TRACEPOINT_PREFIX) - 1));
}

#ifdef __KERNEL__
#include <linux/elf.h>

struct module;
struct klp_reloc_state;
struct jump_entry;
struct static_call_site;
struct klp_jump_runs;
struct klp_sc_runs;

int klp_keys_check(struct module *pmod, struct klp_reloc_state *st,
		   const Elf_Ehdr *hdr, const Elf_Shdr *sechdrs,
		   const char *secstrings);

/*
 * Without jump labels or inline static calls there is nothing to link:
 * klp_keys_check() refuses such tables at load, and these are not called.
 */
#ifdef CONFIG_JUMP_LABEL
int klp_jump_link(struct module *pmod, struct jump_entry *start,
		  struct jump_entry *stop, struct klp_jump_runs **runsp);
void klp_jump_unlink(struct klp_jump_runs *r);
#else
static inline int klp_jump_link(struct module *pmod, struct jump_entry *start,
				struct jump_entry *stop,
				struct klp_jump_runs **runsp)
{
	return -EOPNOTSUPP;
}

static inline void klp_jump_unlink(struct klp_jump_runs *r)
{
}
#endif

#ifdef CONFIG_HAVE_STATIC_CALL_INLINE
int klp_static_call_link(struct module *pmod, struct static_call_site *start,
			 struct static_call_site *stop, void **tramp,
			 struct klp_sc_runs **runsp);
void klp_static_call_unlink(struct klp_sc_runs *r);
#else
static inline int klp_static_call_link(struct module *pmod,
				       struct static_call_site *start,
				       struct static_call_site *stop,
				       void **tramp, struct klp_sc_runs **runsp)
{
	return -EOPNOTSUPP;
}

static inline void klp_static_call_unlink(struct klp_sc_runs *r)
{
}
#endif
#endif

#endif /* _LINUX_KLP_KEYS_H */
