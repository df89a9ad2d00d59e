// SPDX-License-Identifier: GPL-2.0-only
/*
 * A livepatch module's jump entries for the keys of a module that loads
 * after it (Documentation/livepatch/module-static-keys.rst).
 *
 * kernel/jump_label.c includes this file, with CONFIG_MODULES, so that it
 * can link entries into a key's list of user modules with its helpers:
 * a patch's runs are linked as a user module's entries are, and the walk
 * over a key's users finds where each run's table ends through
 * klp_jump_stop().  kernel/livepatch/keys.c decides what to link and when.
 */

#include <linux/klp_keys.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/spinlock.h>

#ifdef CONFIG_LIVEPATCH

/* One run: a patch's entries for one key, linked into that key's list. */
struct klp_jump_node {
	struct static_key_mod jm;
	struct klp_jump_runs *runs;
};

/* What klp_jump_link() linked for one table, for klp_jump_unlink(). */
struct klp_jump_runs {
	struct list_head list;		/* klp_jump_tables */
	struct jump_entry *start;
	struct jump_entry *stop;
	unsigned int n;
	struct klp_jump_node node[];
};

/* Every linked table, for kprobes' klp_jump_text_reserved(), atomic. */
static LIST_HEAD(klp_jump_tables);
static DEFINE_SPINLOCK(klp_jump_tables_lock);

/*
 * The end of the table that holds @jm's run: the patch module's own
 * __jump_table, or one of its tables for a module object.
 */
static struct jump_entry *klp_jump_stop(struct module *m,
					struct static_key_mod *jm)
{
	struct jump_entry *stop = m->jump_entries + m->num_jump_entries;

	if (!is_livepatch_module(m) ||
	    (jm->entries >= m->jump_entries && jm->entries < stop))
		return stop;
	return container_of(jm, struct klp_jump_node, jm)->runs->stop;
}

/* Does a table of a patch module hold a jump site in [start, end]? */
static int klp_jump_text_reserved(void *start, void *end)
{
	struct klp_jump_runs *r;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&klp_jump_tables_lock, flags);
	list_for_each_entry(r, &klp_jump_tables, list) {
		ret = __jump_label_text_reserved(r->start, r->stop, start, end,
						 false);
		if (ret)
			break;
	}
	spin_unlock_irqrestore(&klp_jump_tables_lock, flags);
	return ret;
}

static unsigned int klp_jump_nruns(struct jump_entry *start,
				   struct jump_entry *stop)
{
	struct jump_entry *e;
	unsigned int n = 0;

	for (e = start; e < stop; e++)
		if (e == start || jump_entry_key(e) != jump_entry_key(e - 1))
			n++;
	return n;
}

/*
 * Put @jm first in @key's list of user modules.  A key that is not linked
 * yet keeps its owner's entries in the key itself: they move to a node of
 * their own, @owner_jm.
 */
static void klp_jump_push(struct static_key *key, struct static_key_mod *jm,
			  struct static_key_mod **owner_jm)
{
	if (!static_key_linked(key)) {
		struct static_key_mod *o = *owner_jm;

		*owner_jm = NULL;
		preempt_disable();
		o->mod = __module_address((unsigned long)key);
		preempt_enable();
		o->entries = static_key_entries(key);
		o->next = NULL;
		static_key_set_mod(key, o);
		static_key_set_linked(key);
	}
	jm->next = static_key_mod(key);
	static_key_set_mod(key, jm);
}

/* Take @jm out of @key's list; fold a lone owner's node back into @key. */
static void klp_jump_pop(struct static_key *key, struct static_key_mod *jm)
{
	struct static_key_mod *m, **prev = NULL;

	for (m = static_key_mod(key); m && m != jm; m = m->next)
		prev = &m->next;
	if (WARN_ON_ONCE(!m))
		return;
	if (prev)
		*prev = jm->next;
	else
		static_key_set_mod(key, jm->next);
	m = static_key_mod(key);
	if (m && !m->next) {
		static_key_set_entries(key, m->entries);
		static_key_clear_linked(key);
		kfree(m);
	}
}

/**
 * klp_jump_link() - link a patch's jump entries for a module's keys
 * @pmod: the patch module whose text the entries describe
 * @start: the first entry of its table for the module object
 * @stop: the end of that table
 * @runsp: set to what klp_jump_unlink() takes, or NULL for no entries
 *
 * Each run of entries with one key is linked into that key's list of
 * user modules, as @pmod's, and its code is set to the key's state.  The
 * caller has checked every entry (klp_keys_check_jump()) after the
 * module object's relocations were written and its own keys set up.
 *
 * Context: takes cpus_read_lock() and jump_label_lock().
 * Return: 0, or -ENOMEM with nothing linked or written.
 */
int klp_jump_link(struct module *pmod, struct jump_entry *start,
		  struct jump_entry *stop, struct klp_jump_runs **runsp)
{
	struct static_key_mod **spare;
	unsigned int n, i, nspare;
	struct klp_jump_runs *r;
	struct jump_entry *e;

	*runsp = NULL;
	n = klp_jump_nruns(start, stop);
	if (!n)
		return 0;
	r = kvzalloc(struct_size(r, node, n), GFP_KERNEL);
	/* A node for each key's owner entries, should its key be unlinked. */
	spare = kvcalloc(n, sizeof(*spare), GFP_KERNEL);
	if (!r || !spare)
		goto nomem;
	for (nspare = 0; nspare < n; nspare++) {
		spare[nspare] = kzalloc(sizeof(**spare), GFP_KERNEL);
		if (!spare[nspare])
			goto nomem;
	}
	r->start = start;
	r->stop = stop;
	r->n = n;

	cpus_read_lock();
	jump_label_lock();
	for (e = start, i = 0; e < stop; e++) {
		struct static_key *key = jump_entry_key(e);
		struct klp_jump_node *node;

		/* Bit 1 of the key field came from objtool; it means init here. */
		jump_entry_set_init(e, false);
		if (e != start && key == jump_entry_key(e - 1))
			continue;
		node = &r->node[i++];
		node->runs = r;
		node->jm.mod = pmod;
		node->jm.entries = e;
		klp_jump_push(key, &node->jm, &spare[i - 1]);
		if (jump_label_type(e) != jump_label_init_type(e))
			__jump_label_update(key, e, stop, false);
	}
	spin_lock_irq(&klp_jump_tables_lock);
	list_add(&r->list, &klp_jump_tables);
	spin_unlock_irq(&klp_jump_tables_lock);
	jump_label_unlock();
	cpus_read_unlock();

	for (i = 0; i < n; i++)
		kfree(spare[i]);
	kvfree(spare);
	*runsp = r;
	return 0;

nomem:
	while (spare && nspare--)
		kfree(spare[nspare]);
	kvfree(spare);
	kvfree(r);
	return -ENOMEM;
}

/**
 * klp_jump_unlink() - take back what klp_jump_link() linked
 * @r: what it returned; NULL does nothing
 *
 * Each entry's code is set back to its initial state, as the compiler
 * wrote it, while its key is still there to say what that is: the next
 * klp_jump_link() for the module object expects it.  Allocates nothing.
 *
 * Context: before the module object's keys are freed; takes
 * cpus_read_lock() and jump_label_lock().
 */
void klp_jump_unlink(struct klp_jump_runs *r)
{
	unsigned int i;

	if (!r)
		return;
	cpus_read_lock();
	jump_label_lock();
	spin_lock_irq(&klp_jump_tables_lock);
	list_del(&r->list);
	spin_unlock_irq(&klp_jump_tables_lock);
	for (i = 0; i < r->n; i++) {
		struct jump_entry *first = r->node[i].jm.entries, *e;
		struct static_key *key = jump_entry_key(first);
		enum jump_label_type init;

		for (e = first; e < r->stop && jump_entry_key(e) == key; e++) {
			init = jump_label_init_type(e);
			if (jump_label_type(e) != init)
				arch_jump_label_transform(e, init);
		}
		klp_jump_pop(key, &r->node[i].jm);
	}
	jump_label_unlock();
	cpus_read_unlock();
	kvfree(r);
}

#else /* !CONFIG_LIVEPATCH */

static struct jump_entry *klp_jump_stop(struct module *m,
					struct static_key_mod *jm)
{
	return m->jump_entries + m->num_jump_entries;
}

static int klp_jump_text_reserved(void *start, void *end)
{
	return 0;
}

#endif /* CONFIG_LIVEPATCH */
