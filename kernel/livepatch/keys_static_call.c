// SPDX-License-Identifier: GPL-2.0-only
/*
 * A livepatch module's static call sites for the static calls of a module
 * that loads after it (Documentation/livepatch/module-static-keys.rst).
 *
 * kernel/static_call_inline.c includes this file, so that it
 * can link sites into a key's list of user modules with that file's own
 * helpers, and so that the walk over a key's users finds where each run's
 * table ends (klp_static_call_stop()).  kernel/livepatch/keys.c decides
 * what to link and when.
 */

#include <linux/klp_keys.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/spinlock.h>

#ifdef CONFIG_LIVEPATCH

static int __static_call_text_reserved(struct static_call_site *iter_start,
				       struct static_call_site *iter_stop,
				       void *start, void *end, bool init);

/* One run: a patch's sites for one key, linked into that key's list. */
struct klp_sc_node {
	struct static_call_mod sm;
	struct klp_sc_runs *runs;
};

/* What klp_static_call_link() linked for one table. */
struct klp_sc_runs {
	struct list_head list;		/* klp_sc_tables */
	struct static_call_site *start;
	struct static_call_site *stop;
	void **tramp;			/* each site's call as relocated */
	unsigned int n;
	struct klp_sc_node node[];
};

/* Every linked table, for kprobes' klp_static_call_text_reserved(). */
static LIST_HEAD(klp_sc_tables);
static DEFINE_SPINLOCK(klp_sc_tables_lock);

/* The end of the table that holds @sm's run. */
static struct static_call_site *klp_static_call_stop(struct module *m,
						     struct static_call_mod *sm)
{
	struct static_call_site *stop = m->static_call_sites +
					m->num_static_call_sites;

	if (!is_livepatch_module(m) ||
	    (sm->sites >= m->static_call_sites && sm->sites < stop))
		return stop;
	return container_of(sm, struct klp_sc_node, sm)->runs->stop;
}

/* Does a table of a patch module hold a call site in [start, end]? */
static int klp_static_call_text_reserved(void *start, void *end)
{
	struct klp_sc_runs *r;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&klp_sc_tables_lock, flags);
	list_for_each_entry(r, &klp_sc_tables, list) {
		ret = __static_call_text_reserved(r->start, r->stop, start,
						  end, false);
		if (ret)
			break;
	}
	spin_unlock_irqrestore(&klp_sc_tables_lock, flags);
	return ret;
}

/**
 * klp_static_call_link() - link a patch's sites for a module's static calls
 * @pmod: the patch module whose text holds the sites
 * @start: the first site of its table for the module object
 * @stop: the end of that table
 * @tramp: for each site, the trampoline its relocated call goes to
 * @runsp: set to what klp_static_call_unlink() takes, or NULL for no sites
 *
 * Each run of sites with one key is linked into that key's list of user
 * modules, as @pmod's, and each site is made to call the key's current
 * function.  The caller has checked every site (klp_keys_check_calls())
 * after the module object's relocations were written and its own static
 * calls set up.  @tramp becomes the result's and is freed with it.
 *
 * Context: takes cpus_read_lock() and static_call_lock().
 * Return: 0, or -ENOMEM with nothing linked or written.
 */
int klp_static_call_link(struct module *pmod, struct static_call_site *start,
			 struct static_call_site *stop, void **tramp,
			 struct klp_sc_runs **runsp)
{
	struct static_call_site *site;
	struct klp_sc_runs *r;
	unsigned int n = 0, i;

	*runsp = NULL;
	for (site = start; site < stop; site++)
		if (site == start ||
		    static_call_key(site) != static_call_key(site - 1))
			n++;
	if (!n)
		return 0;
	r = kvzalloc(struct_size(r, node, n), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->start = start;
	r->stop = stop;
	r->tramp = tramp;
	r->n = n;

	cpus_read_lock();
	static_call_lock();
	for (site = start, i = 0; site < stop; site++) {
		struct static_call_key *key = static_call_key(site);

		if (site == start || key != static_call_key(site - 1)) {
			struct klp_sc_node *node = &r->node[i++];

			node->runs = r;
			node->sm.mod = pmod;
			node->sm.sites = site;
			node->sm.next = static_call_key_next(key);
			/*
			 * A key whose owner uses none of its sites keeps
			 * "no sites" in itself; the owner's own sites were
			 * moved to a node of theirs when the owner came.
			 */
			key->mods = &node->sm;
		}
		arch_static_call_transform(static_call_addr(site), NULL,
					   key->func,
					   static_call_is_tail(site));
	}
	spin_lock_irq(&klp_sc_tables_lock);
	list_add(&r->list, &klp_sc_tables);
	spin_unlock_irq(&klp_sc_tables_lock);
	static_call_unlock();
	cpus_read_unlock();
	*runsp = r;
	return 0;
}

/**
 * klp_static_call_unlink() - take back what klp_static_call_link() linked
 * @r: what it returned; NULL does nothing
 *
 * Each site calls its trampoline again, the call its relocation wrote, so
 * that clearing the relocation leaves the instruction the compiler wrote.
 * Allocates nothing.
 *
 * Context: before the module object's keys are freed; takes
 * cpus_read_lock() and static_call_lock().
 */
void klp_static_call_unlink(struct klp_sc_runs *r)
{
	struct static_call_site *site;
	struct static_call_mod **prev;
	unsigned int i;

	if (!r)
		return;
	cpus_read_lock();
	static_call_lock();
	spin_lock_irq(&klp_sc_tables_lock);
	list_del(&r->list);
	spin_unlock_irq(&klp_sc_tables_lock);
	for (i = 0; i < r->n; i++) {
		struct static_call_key *key =
			static_call_key(r->node[i].sm.sites);

		for (prev = &key->mods; *prev && *prev != &r->node[i].sm;
		     prev = &(*prev)->next)
			;
		if (!WARN_ON_ONCE(!*prev))
			*prev = r->node[i].sm.next;
	}
	for (site = r->start; site < r->stop; site++)
		arch_static_call_transform(static_call_addr(site), NULL,
					   r->tramp[site - r->start],
					   static_call_is_tail(site));
	static_call_unlock();
	cpus_read_unlock();
	kvfree(r->tramp);
	kvfree(r);
}

#else /* !CONFIG_LIVEPATCH */

#ifdef CONFIG_MODULES
static struct static_call_site *klp_static_call_stop(struct module *m,
						     struct static_call_mod *sm)
{
	return m->static_call_sites + m->num_static_call_sites;
}
#endif

static int klp_static_call_text_reserved(void *start, void *end)
{
	return 0;
}

#endif /* CONFIG_LIVEPATCH */
