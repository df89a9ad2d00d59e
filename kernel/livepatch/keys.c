// SPDX-License-Identifier: GPL-2.0-only
/*
 * Static keys and static calls of a module that loads after its patch
 * (Documentation/livepatch/module-static-keys.rst).
 *
 * A patch's jump entries and static call sites whose key lives in module
 * object M wait in ".klp.jump_table.M" and ".klp.static_call_sites.M".
 * They are checked when the patch loads, linked into M's keys once M's
 * relocations are written and M's own keys are set up, and unlinked
 * before M's relocations are cleared or the patch is freed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
#include <linux/jump_label.h>
#include <linux/klp_compat.h>
#include <linux/klp_keys.h>
#include <linux/klp_reloc_arch.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/static_call.h>
#include <linux/string.h>
#include <linux/tracepoint-defs.h>

#include "core.h"
#include "reloc.h"

/* What the kinds of table differ in. */
struct klp_keys_kind {
	const char *prefix;
	const char *what;
	unsigned int entsize;
	unsigned int key_off;
	unsigned int key_width;
	size_t key_size;
	bool (*supported)(void);
};

static bool klp_keys_jump_ok(void)
{
	return IS_ENABLED(CONFIG_JUMP_LABEL);
}

static bool klp_keys_calls_ok(void)
{
	return IS_ENABLED(CONFIG_HAVE_STATIC_CALL_INLINE);
}

static_assert(offsetof(struct tracepoint, key) == KLP_TRACEPOINT_KEY);

static const struct klp_keys_kind klp_keys_kinds[KLP_KEYS_KINDS] = {
	{ KLP_JUMP_TABLE_PREFIX, "jump entry", KLP_JUMP_ENTRY_SIZE,
	  KLP_JUMP_ENTRY_KEY, 8, sizeof(struct static_key), klp_keys_jump_ok },
	/* struct static_call_key: a function and a list */
	{ KLP_CALL_SITES_PREFIX, "static call site", KLP_CALL_SITE_SIZE,
	  KLP_CALL_SITE_KEY, 4, 2 * sizeof(long), klp_keys_calls_ok },
};

/* Where an entry of an object writes, and which entry it is. */
struct klp_keys_loc {
	unsigned long loc;
	unsigned int ent;
};

static int klp_keys_loc_cmp(const void *a, const void *b)
{
	unsigned long x = ((const struct klp_keys_loc *)a)->loc;
	unsigned long y = ((const struct klp_keys_loc *)b)->loc;

	return x < y ? -1 : x > y;
}

/* The entry of @obj that starts writing at @loc, if one does. */
static const struct klp_reloc_ent *klp_keys_ent_at(const struct klp_reloc_obj *obj,
						   const struct klp_keys_loc *locs,
						   unsigned long loc)
{
	const struct klp_keys_loc key = { .loc = loc }, *hit;

	hit = bsearch(&key, locs, obj->nents, sizeof(*locs), klp_keys_loc_cmp);
	return hit ? &obj->ents[hit->ent] : NULL;
}

/*
 * One table of kind @k for object @obj, the section at @sec in the patch
 * module @pmod, relocated by the loader but for its key fields: the key
 * fields must each be the start of exactly one of the object's entries,
 * of the kind's width, without the init flag; the code or site fields
 * must point at what the architecture will patch.
 */
static int klp_keys_check_table(struct module *pmod, const char *secname,
				const Elf_Shdr *sec,
				const struct klp_keys_kind *k,
				struct klp_reloc_obj *obj,
				const struct klp_keys_loc *locs)
{
	unsigned long start = sec->sh_addr, n, i, inside = 0;
	const struct klp_reloc_ent *e;
	int err;

	if (!k->supported()) {
		pr_err("%s: section %s: this kernel has no %ss to link it to\n",
		       pmod->name, secname, k->what);
		return -ENOEXEC;
	}
	if (sec->sh_type != SHT_PROGBITS || !(sec->sh_flags & SHF_ALLOC) ||
	    !(sec->sh_flags & SHF_WRITE)) {
		pr_err("%s: section %s: must be SHT_PROGBITS, SHF_ALLOC and SHF_WRITE\n",
		       pmod->name, secname);
		return -ENOEXEC;
	}
	if (sec->sh_size % k->entsize || start % k->key_width) {
		pr_err("%s: section %s: not a whole number of %zu-byte entries, aligned\n",
		       pmod->name, secname, (size_t)k->entsize);
		return -ENOEXEC;
	}
	n = sec->sh_size / k->entsize;
	if (!within_module_core(start, pmod) ||
	    !within_module_core(start + sec->sh_size - 1, pmod)) {
		pr_err("%s: section %s: not in the memory the patch keeps after init\n",
		       pmod->name, secname);
		return -ENOEXEC;
	}
	for (i = 0; i < obj->nents; i++) {
		unsigned long loc = (unsigned long)obj->ents[i].loc;

		if (loc - start < sec->sh_size)
			inside++;
	}
	for (i = 0; i < n; i++) {
		unsigned long field = start + i * k->entsize + k->key_off;

		e = klp_keys_ent_at(obj, locs, field);
		if (!e || e->width != k->key_width) {
			pr_err("%s: section %s, %s %lu: its key is not written by one %u-byte klp relocation of object '%s'\n",
			       pmod->name, secname, k->what, i, k->key_width,
			       obj->name);
			return -ENOEXEC;
		}
		if (!klp_key_sym_ok(obj->syms[e->sym].name, e->addend,
				    k == &klp_keys_kinds[KLP_KEYS_JUMP])) {
			pr_err("%s: section %s, %s %lu: symbol '%s'%+lld is not a %s\n",
			       pmod->name, secname, k->what, i,
			       obj->syms[e->sym].name,
			       e->addend & ~(s64)KLP_KEY_FLAGS,
			       k == &klp_keys_kinds[KLP_KEYS_JUMP] ?
			       "static key or a tracepoint's key" :
			       "static call key (" KLP_CALL_KEY_PREFIX "*)");
			return -ENOEXEC;
		}
		/*
		 * A jump entry's bit 1 is objtool's "NOP this" hint until the
		 * kernel reuses it for "init" (klp_jump_link() clears it); a
		 * static call site's is set by the kernel alone.
		 */
		if (k == &klp_keys_kinds[KLP_KEYS_CALLS] &&
		    (e->addend & KLP_KEY_FLAG_INIT)) {
			pr_err("%s: section %s, %s %lu: marked as init code, which is freed before module '%s' can come\n",
			       pmod->name, secname, k->what, i, obj->name);
			return -ENOEXEC;
		}
		if (k == &klp_keys_kinds[KLP_KEYS_JUMP])
			err = arch_klp_check_jump_entry(pmod, secname,
							(void *)start, i);
		else
			err = arch_klp_check_call_site(pmod, secname,
						       (void *)start, i,
						       e->addend & 1);
		if (err)
			return err;
		/* A static call site's displacement is the object's to write. */
		if (k == &klp_keys_kinds[KLP_KEYS_CALLS]) {
			const s32 *site = (const s32 *)(start + i * k->entsize);
			unsigned long disp = (unsigned long)site + *site + 1;
			const struct klp_reloc_ent *d;

			d = klp_keys_ent_at(obj, locs, disp);
			if (!d || d->width != 4) {
				pr_err("%s: section %s, %s %lu: its call is not to a symbol of object '%s' (no klp relocation writes it)\n",
				       pmod->name, secname, k->what, i,
				       obj->name);
				return -ENOEXEC;
			}
		}
	}
	/* No other entry of the object may write into the table. */
	if (inside != n) {
		pr_err("%s: section %s: %lu klp relocations of object '%s' write into it, for %lu keys\n",
		       pmod->name, secname, inside, obj->name, n);
		return -ENOEXEC;
	}
	obj->keys[k - klp_keys_kinds].start = (void *)start;
	obj->keys[k - klp_keys_kinds].stop = (void *)(start + sec->sh_size);
	return 0;
}

/* The kind of table @name is, and its object's name after the prefix. */
static const struct klp_keys_kind *klp_keys_kind_of(const char *name,
						    const char **objname)
{
	unsigned int i;

	/* Every section is asked: most are ruled out by their first bytes. */
	BUILD_BUG_ON(KLP_JUMP_TABLE_PREFIX[1] != 'k' ||
		     KLP_CALL_SITES_PREFIX[1] != 'k');
	if (name[0] != '.' || name[1] != 'k')
		return NULL;
	for (i = 0; i < KLP_KEYS_KINDS; i++) {
		size_t len = strlen(klp_keys_kinds[i].prefix);

		if (!strncmp(name, klp_keys_kinds[i].prefix, len)) {
			*objname = name + len;
			return &klp_keys_kinds[i];
		}
	}
	return NULL;
}

/* The object's entry locations with their entries, sorted by location. */
static struct klp_keys_loc *klp_keys_locs(const struct klp_reloc_obj *obj)
{
	struct klp_keys_loc *locs;
	unsigned int i;

	locs = kvcalloc(obj->nents, sizeof(*locs), GFP_KERNEL);
	if (!locs)
		return NULL;
	for (i = 0; i < obj->nents; i++) {
		locs[i].loc = (unsigned long)obj->ents[i].loc;
		locs[i].ent = i;
	}
	/* Locations are distinct: klp_check_overlap() saw to it. */
	sort(locs, obj->nents, sizeof(*locs), klp_keys_loc_cmp, NULL);
	return locs;
}

/**
 * klp_keys_check() - check a patch module's tables for module objects
 * @pmod: the livepatch module, laid out and relocated but for its klp
 *	  sections of module objects
 * @st: what klp_reloc_load() kept of its klp sections
 * @hdr: its ELF header
 * @sechdrs: its section headers, sh_addr where each section is now
 * @secstrings: its section names
 *
 * Return: 0, or -ENOEXEC or -ENOMEM after one message naming the section
 * (and the entry, for -ENOEXEC).
 */
int klp_keys_check(struct module *pmod, struct klp_reloc_state *st,
		   const Elf_Ehdr *hdr, const Elf_Shdr *sechdrs,
		   const char *secstrings)
{
	const struct klp_keys_kind *k;
	struct klp_reloc_obj *obj;
	const char *name, *objname;
	struct klp_keys_loc *locs;
	unsigned int i;
	int err;

	for (i = 1; i < hdr->e_shnum; i++) {
		name = secstrings + sechdrs[i].sh_name;
		k = klp_keys_kind_of(name, &objname);
		if (!k)
			continue;
		obj = st ? klp_reloc_find(st, objname) : NULL;
		if (!obj || !strcmp(objname, KLP_VMLINUX)) {
			pr_err("%s: section %s: '%s' is not a module object of the patch's klp sections%s\n",
			       pmod->name, name, objname,
			       strcmp(objname, KLP_VMLINUX) ? "" :
			       " (vmlinux's keys stay in the loader's tables)");
			return -ENOEXEC;
		}
		if (obj->keys[k - klp_keys_kinds].start) {
			pr_err("%s: section %s: a second table of object '%s'\n",
			       pmod->name, name, objname);
			return -ENOEXEC;
		}
		locs = klp_keys_locs(obj);
		if (!locs) {
			pr_err("%s: section %s: out of memory checking it\n",
			       pmod->name, name);
			return -ENOMEM;
		}
		err = klp_keys_check_table(pmod, name, &sechdrs[i], k, obj,
					   locs);
		kvfree(locs);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Each key of @obj's tables, now written, must be one of @mod's, in its
 * writable core data (the key lists are written there, as long as the
 * module lives); each entry's instruction must be what the architecture
 * expects.  For static call sites, @tramp gets where each call goes now.
 */
static int klp_keys_check_linked(const char *pname, struct klp_reloc_obj *obj,
				 struct module *mod, void **tramp)
{
	const struct klp_keys_kind *k;
	unsigned long key, i, n;
	const void *start, *f;
	int err;

	for (k = klp_keys_kinds; k < klp_keys_kinds + KLP_KEYS_KINDS; k++) {
		start = obj->keys[k - klp_keys_kinds].start;
		n = (obj->keys[k - klp_keys_kinds].stop - start) / k->entsize;
		for (i = 0; i < n; i++) {
			f = start + i * k->entsize + k->key_off;
			key = (unsigned long)f + (k->key_width == 8 ?
				*(const s64 *)f : *(const s32 *)f);
			key &= ~(unsigned long)KLP_KEY_FLAGS;
			if (!within_module_core(key, mod) || key % sizeof(long) ||
			    !klp_mod_data_has(mod, key, k->key_size)) {
				pr_err("%s: section %s%s, %s %lu: its key is not in module %s's writable data\n",
				       pname, k->prefix, obj->name, k->what, i,
				       mod->name);
				return -ENOEXEC;
			}
			if (k == &klp_keys_kinds[KLP_KEYS_JUMP])
				err = arch_klp_check_jump_state(pname,
								obj->name,
								start, i);
			else
				err = arch_klp_check_call_state(pname, mod,
								start, i,
								&tramp[i]);
			if (err)
				return err;
		}
	}
	return 0;
}

/* Link @obj's tables, written for @mod, whose keys are set up. */
static int klp_keys_link(const char *pname, struct module *pmod,
			 struct klp_reloc_obj *obj, struct module *mod)
{
	struct klp_keys_span *jt = &obj->keys[KLP_KEYS_JUMP];
	struct klp_keys_span *sc = &obj->keys[KLP_KEYS_CALLS];
	size_t nsites = (sc->stop - sc->start) / KLP_CALL_SITE_SIZE;
	void **tramp = NULL;
	int err;

	if (obj->linked || (!jt->start && !sc->start))
		return 0;
	if (nsites) {
		tramp = kvcalloc(nsites, sizeof(*tramp), GFP_KERNEL);
		if (!tramp)
			goto nomem;
	}
	err = klp_keys_check_linked(pname, obj, mod, tramp);
	if (err) {
		kvfree(tramp);
		return err;
	}
	if (jt->start && klp_jump_link(pmod, jt->start, jt->stop, &obj->jruns))
		goto nomem;
	if (sc->start &&
	    klp_static_call_link(pmod, sc->start, sc->stop, tramp, &obj->sruns)) {
		klp_jump_unlink(obj->jruns);
		obj->jruns = NULL;
		goto nomem;
	}
	obj->linked = true;
	return 0;
nomem:
	kvfree(tramp);
	pr_err("%s: out of memory linking its entries for module %s's keys\n",
	       pname, mod->name);
	return -ENOMEM;
}

/**
 * klp_keys_unlink() - take a module object's entries out of its keys
 * @obj: the object; nothing is done if its entries are not linked
 *
 * Allocates nothing and cannot fail.
 */
void klp_keys_unlink(struct klp_reloc_obj *obj)
{
	if (!obj || !obj->linked)
		return;
	klp_static_call_unlink(obj->sruns);
	klp_jump_unlink(obj->jruns);
	obj->sruns = NULL;
	obj->jruns = NULL;
	obj->linked = false;
}

/*
 * The modules whose own keys are set up: from the end of their
 * MODULE_STATE_COMING notification to the start of their GOING one.
 * klp_mutex.
 */
struct klp_keys_ready {
	struct list_head list;
	struct module *mod;
};

static LIST_HEAD(klp_keys_ready_mods);

static bool klp_keys_ready(struct module *mod)
{
	struct klp_keys_ready *r;

	lockdep_assert_held(&klp_mutex);
	if (mod->state == MODULE_STATE_LIVE)
		return true;
	list_for_each_entry(r, &klp_keys_ready_mods, list)
		if (r->mod == mod)
			return true;
	return false;
}

/**
 * klp_keys_apply_object() - link an object's entries if its keys are there
 * @pname: the patch module's name
 * @pmod: the patch module
 * @obj: the object, whose relocations were just written
 * @mod: its module
 *
 * A module whose keys are not set up yet (it is coming, before the
 * notifiers of jump labels and static calls) has its patches' entries
 * linked by klp_keys_notify() instead.
 *
 * Context: klp_mutex held.
 * Return: 0, or a negative errno after one message, with nothing linked.
 */
int klp_keys_apply_object(const char *pname, struct module *pmod,
			  struct klp_reloc_obj *obj, struct module *mod)
{
	if (!klp_keys_ready(mod))
		return 0;
	return klp_keys_link(pname, pmod, obj, mod);
}

/*
 * After the notifiers of jump labels and static calls (a lower priority
 * than theirs), a coming module's keys are set up: link the entries of
 * every patch whose relocations for it are written.
 */
static int klp_keys_notify(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct module *mod = data;
	struct klp_keys_ready *r, *tmp;
	struct klp_reloc_obj *ro;
	struct klp_patch *patch;
	struct klp_object *obj;
	int err = 0;

	if (action != MODULE_STATE_COMING && action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&klp_mutex);
	if (action == MODULE_STATE_GOING) {
		list_for_each_entry_safe(r, tmp, &klp_keys_ready_mods, list)
			if (r->mod == mod) {
				list_del(&r->list);
				kfree(r);
			}
		goto out;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		goto nomem;
	r->mod = mod;
	klp_for_each_patch(patch) {
		klp_for_each_object(patch, obj) {
			if (obj->mod != mod)
				continue;
			ro = klp_reloc_find(klp_reloc_state_of(patch), mod->name);
			if (!ro || !ro->applied)
				continue;
			err = klp_keys_link(patch->mod->name, patch->mod, ro,
					    mod);
			if (err) {
				/*
				 * No GOING comes to the notifier that fails:
				 * klp_module_going() unlinks what was linked.
				 */
				kfree(r);
				goto out;
			}
		}
	}
	list_add(&r->list, &klp_keys_ready_mods);
out:
	mutex_unlock(&klp_mutex);
	return notifier_from_errno(err);
nomem:
	mutex_unlock(&klp_mutex);
	pr_err("%s: out of memory noting that its keys are set up\n",
	       mod->name);
	return notifier_from_errno(-ENOMEM);
}

static struct notifier_block klp_keys_nb = {
	.notifier_call = klp_keys_notify,
	.priority = INT_MIN,
};

static int __init klp_keys_init(void)
{
	return register_module_notifier(&klp_keys_nb);
}
core_initcall(klp_keys_init);
