/* Config generations: which checks a generation needs (found by key, so
 * an unchanged check keeps its state, schedule and probe in flight), the
 * real servers that use them, and the public entry points (checkers.h). */
#include "build-config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "checkers/engine.h"
#include "checkers/tls.h"
#include "daemon/log.h"
#include "lib/script.h"

/* --- the check table --- */

/* The check whose key is @k. A check keeps only its key's hash: on a
 * match the key is rebuilt from the check's own conf and real server (of
 * the generation it runs in, still mapped while the next one is applied). */
static struct check *table_find(const struct checkers *c, const struct check_key *k)
{
	if (!c->n_buckets)
		return NULL;
	for (struct check *ck = c->buckets[k->hash & (c->n_buckets - 1)]; ck; ck = ck->hnext) {
		struct check_key have;
		bool same;

		if (ck->hash != k->hash)
			continue;
		if (check_key_build(ck->cfg, ck->rs, ck->conf, &have) < 0)
			continue; /* out of memory: a new check, not a wrong one */
		same = check_key_equal(&have, k);
		check_key_free(&have);
		if (same)
			return ck;
	}
	return NULL;
}

static int table_insert(struct checkers *c, struct check *ck)
{
	if (c->n_checks + 1 > c->n_buckets) {
		size_t n = c->n_buckets ? c->n_buckets * 2 : 64;
		struct check **b = calloc(n, sizeof(*b));

		if (!b)
			return -ENOMEM;
		for (size_t i = 0; i < c->n_buckets; i++)
			for (struct check *x = c->buckets[i], *nx; x; x = nx) {
				nx = x->hnext;
				x->hnext = b[x->hash & (n - 1)];
				b[x->hash & (n - 1)] = x;
			}
		free(c->buckets);
		c->buckets = b;
		c->n_buckets = n;
	}
	ck->hnext = c->buckets[ck->hash & (c->n_buckets - 1)];
	c->buckets[ck->hash & (c->n_buckets - 1)] = ck;
	c->n_checks++;
	return 0;
}

/* --- applying a generation --- */

static int check_add_user(struct check *ck, struct rs_entry *e)
{
	if (!ck->users_cap) {
		ck->users = &ck->user_inline;
		ck->users_cap = 1;
	} else if (ck->n_users == ck->users_cap) {
		unsigned cap = ck->users_cap * 2;
		bool inline_users = ck->users == &ck->user_inline;
		struct rs_entry **u = realloc(inline_users ? NULL : ck->users, cap * sizeof(*u));

		if (!u)
			return -ENOMEM;
		if (inline_users)
			u[0] = ck->user_inline;
		ck->users = u;
		ck->users_cap = cap;
	}
	if (!ck->n_users || ck->users[ck->n_users - 1]->vs != e->vs)
		ck->n_vs++;
	ck->users[ck->n_users++] = e;
	return 0;
}

static size_t rs_slot(const struct checkers *c, const struct lvs_real_server *rs)
{
	uint64_t h = (uint64_t)(uintptr_t)rs * UINT64_C(0x9E3779B97F4A7C15);

	return (size_t)(h >> 32) & (c->by_rs_cap - 1);
}

static struct rs_entry *entry_find(const struct checkers *c, const struct lvs_real_server *rs)
{
	if (!c->by_rs_cap)
		return NULL;
	for (size_t i = rs_slot(c, rs);; i = (i + 1) & (c->by_rs_cap - 1)) {
		if (!c->by_rs[i])
			return NULL;
		if (c->by_rs[i]->rs == rs)
			return c->by_rs[i];
	}
}

/* Entries' checks and confs arrays are slices of one block each (their
 * first entry's), not an allocation per real server. */
static void entries_free(struct rs_entry *entries, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rs_notify_free(entries[i].notify);
	if (entries) {
		free(entries[0].checks);
		free(entries[0].confs);
	}
	free(entries);
}

/* The checks of one real server: found by key, or created; its notify
 * scripts, prepared. */
static int entry_bind(struct checkers *c, const struct vigil_config *cfg, struct rs_entry *e,
		      struct rs_notify_prep *prep)
{
	const struct lvs_real_server *rs = e->rs;

	if (rs->notify_up || rs->notify_down) {
		char label[160];

		e->notify =
		    rs_notify_new(rs, &cfg->global, prep, entry_label(e, label, sizeof(label)));
	}

	for (const struct lvs_checker *conf = rs->checkers; conf; conf = conf->next) {
		struct check_key key;
		struct check *ck;

		if (!check_type_of(conf->type))
			continue;
		if (check_key_build(cfg, rs, conf, &key) < 0)
			return -ENOMEM;
		ck = table_find(c, &key);
		if (!ck) {
			ck = check_new(c, cfg, conf, rs, key.hash);
			if (!ck || table_insert(c, ck) < 0) {
				check_key_free(&key);
				check_free(ck);
				return -ENOMEM;
			}
		}
		check_key_free(&key);
		ck->seen = true;
		ck->log_all_failures |=
		    conf->log_all_failures || cfg->global.checker_log_all_failures;
		if (check_add_user(ck, e) < 0)
			return -ENOMEM;
		e->confs[e->n_checks] = conf;
		e->checks[e->n_checks++] = ck;
	}
	return 0;
}

static void table_drop_unseen(struct checkers *c)
{
	for (size_t i = 0; i < c->n_buckets; i++) {
		struct check **pp = &c->buckets[i];

		while (*pp) {
			struct check *ck = *pp;

			if (ck->seen) {
				pp = &ck->hnext;
				continue;
			}
			*pp = ck->hnext;
			c->n_checks--;
			check_free(ck);
		}
	}
}

/* --- what a reload tells scripts, and the status output --- */

struct entry_ref {
	char key[176];
	const struct rs_entry *e;
};

static int entry_ref_cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry_ref *)a)->key, ((const struct entry_ref *)b)->key);
}

static void entry_ref_set(struct entry_ref *ref, const struct rs_entry *e)
{
	char label[160];

	/* The protocol too: TCP and UDP services on one address:port are
	 * distinct virtual servers. */
	snprintf(ref->key, sizeof(ref->key), "%d %s", (int)e->vs->protocol,
		 entry_label(e, label, sizeof(label)));
	ref->e = e;
}

/* keepalived on reload (clear_diff_rs(), migrate_checkers()): a real
 * server that was up and is gone runs its notify_down; one that stays and
 * whose verdict the new configuration changed runs the script of its new
 * state. New real servers run nothing. Real servers are matched by their
 * virtual server and address, not by pointer. Costs nothing when neither
 * generation has a notify script. */
static void generation_notify(struct checkers *c, const struct rs_entry *old, size_t n_old,
			      const struct rs_entry *next, size_t n_next)
{
	struct entry_ref *refs, probe;
	size_t n_refs = 0;
	bool any = false;

	for (size_t i = 0; i < n_old && !any; i++)
		any = old[i].notify;
	for (size_t i = 0; i < n_next && !any; i++)
		any = next[i].notify;
	if (!any || !n_old)
		return;
	refs = calloc(n_next ? n_next : 1, sizeof(*refs));
	if (!refs) {
		log_err("out of memory: notify scripts not run for this reload");
		return;
	}
	for (size_t i = 0; i < n_next; i++)
		entry_ref_set(&refs[n_refs++], &next[i]);
	qsort(refs, n_refs, sizeof(*refs), entry_ref_cmp);
	for (size_t i = 0; i < n_old; i++) {
		const struct entry_ref *found;

		entry_ref_set(&probe, &old[i]);
		found = bsearch(&probe, refs, n_refs, sizeof(*refs), entry_ref_cmp);
		if (!found) {
			if (old[i].up)
				entry_notify(c, &old[i], false);
		} else if (found->e->up != old[i].up) {
			entry_notify(c, found->e, found->e->up);
		}
	}
	free(refs);
}

/* At most this many shared probes are listed at info level; the rest at
 * debug level (10,000 of them must not flood the log). */
#define SHARING_LOGGED 20

/* The status output: one summary line, and one per probe that several
 * virtual servers share. */
static void log_sharing(const struct checkers *c)
{
	size_t shared = 0, users = 0, listed = 0;

	for (size_t i = 0; i < c->n_entries; i++)
		users += c->entries[i].n_checks;
	for (size_t i = 0; i < c->n_buckets; i++)
		for (const struct check *ck = c->buckets[i]; ck; ck = ck->hnext) {
			if (ck->n_vs < 2)
				continue;
			shared++;
			if (listed++ < SHARING_LOGGED)
				log_info("probe %s shared by %u virtual servers", check_name(ck),
					 ck->n_vs);
			else
				log_debug("probe %s shared by %u virtual servers", check_name(ck),
					  ck->n_vs);
		}
	if (listed > SHARING_LOGGED)
		log_info("... and %zu more shared probes (listed at debug level)",
			 listed - SHARING_LOGGED);
	log_info("health checks: %zu real servers, %zu checkers, %zu probes scheduled, "
		 "%zu of them shared by several virtual servers (%zu probes saved)",
		 c->n_entries, users, c->n_checks, shared, users - c->n_checks);
}

static int engine_apply(struct checkers *c, const struct vigil_config *cfg, bool notify)
{
	const struct lvs_conf *lvs = &cfg->lvs;
	struct rs_entry *entries, **by_rs;
	struct rs_notify_prep prep = {0};
	struct check **checks;
	const struct lvs_checker **confs;
	size_t n = 0, cap = 16, k = 0, n_confs = 0;
	int r = 0;

	for (const struct lvs_virtual_server *vs = lvs->virtual_servers; vs; vs = vs->next) {
		n += vs->n_real_servers;
		for (const struct lvs_real_server *rs = vs->real_servers; rs; rs = rs->next)
			n_confs += rs->n_checkers;
	}
	while (cap < n + n / 2) /* load at most 2/3 */
		cap *= 2;
	entries = calloc(n ? n : 1, sizeof(*entries));
	by_rs = calloc(cap, sizeof(*by_rs));
	checks = calloc(n_confs ? n_confs : 1, sizeof(*checks));
	confs = calloc(n_confs ? n_confs : 1, sizeof(*confs));
	if (!entries || !by_rs || !checks || !confs) {
		free(entries);
		free(by_rs);
		free(checks);
		free(confs);
		return -ENOMEM;
	}
	/* Every entry gets its slice of the two blocks (entries_free()). */
	entries[0].checks = checks;
	entries[0].confs = confs;
	for (size_t i = 0; i < c->n_buckets; i++)
		for (struct check *ck = c->buckets[i]; ck; ck = ck->hnext) {
			ck->seen = false;
			ck->n_users = ck->n_vs = 0;
			ck->log_all_failures = false;
		}
	for (const struct lvs_virtual_server *vs = lvs->virtual_servers; vs && !r; vs = vs->next)
		for (const struct lvs_real_server *rs = vs->real_servers; rs && !r; rs = rs->next) {
			struct rs_entry *e = &entries[k++];

			e->vs = vs;
			e->rs = rs;
			e->checks = checks;
			e->confs = confs;
			checks += rs->n_checkers;
			confs += rs->n_checkers;
			r = entry_bind(c, cfg, e, &prep);
		}
	rs_notify_prep_end(&prep);
	if (r < 0) {
		/* Leave the running generation as it was: the checks created
		 * for @cfg are dropped, users rebuilt from the old entries. */
		entries_free(entries, k);
		free(by_rs);
		for (size_t i = 0; i < c->n_buckets; i++)
			for (struct check *ck = c->buckets[i]; ck; ck = ck->hnext) {
				ck->seen = false;
				ck->n_users = ck->n_vs = 0;
			}
		for (size_t i = 0; i < c->n_entries; i++)
			for (unsigned j = 0; j < c->entries[i].n_checks; j++) {
				c->entries[i].checks[j]->seen = true;
				check_add_user(c->entries[i].checks[j], &c->entries[i]);
			}
		table_drop_unseen(c);
		return r;
	}
	table_drop_unseen(c);
	/* Kept checks move to the new generation (equal keys: equal values). */
	for (size_t i = 0; i < n; i++)
		for (unsigned j = 0; j < entries[i].n_checks; j++) {
			entries[i].checks[j]->conf = entries[i].confs[j];
			entries[i].checks[j]->rs = entries[i].rs;
			entries[i].checks[j]->cfg = cfg;
		}
	for (size_t i = 0; i < n; i++)
		entry_eval(&entries[i], &entries[i].up, &entries[i].weight);
	if (notify)
		generation_notify(c, c->entries, c->n_entries, entries, n);
	entries_free(c->entries, c->n_entries);
	free(c->by_rs);
	c->entries = entries;
	c->n_entries = n;
	c->by_rs = by_rs;
	c->by_rs_cap = cap;
	c->cfg = cfg;
	for (size_t i = 0; i < n; i++) {
		struct rs_entry *e = &entries[i];
		size_t s = rs_slot(c, e->rs);

		while (by_rs[s])
			s = (s + 1) & (cap - 1);
		by_rs[s] = e;
	}
	log_sharing(c);
	return 0;
}

int checkers_new(sd_event *ev, const struct vigil_config *cfg, const struct checkers_ops *ops,
		 void *data, struct checkers **out)
{
	struct checkers *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return -ENOMEM;
	c->event = sd_event_ref(ev);
	c->ops = ops;
	c->data = data;
	c->epoll_fd = -1;
	r = checks_loop_init(c);
	if (r < 0) {
		log_err("health checks: cannot set up the engine's timer and sockets: %s",
			strerror(-r));
		checkers_free(c);
		return r;
	}
	r = engine_apply(c, cfg, false);
	if (r < 0) {
		checkers_free(c);
		return r;
	}
	*out = c;
	return 0;
}

int checkers_reload(struct checkers *c, const struct vigil_config *next)
{
	return engine_apply(c, next, true);
}

void checkers_rs_status(const struct checkers *c, const struct lvs_virtual_server *vs,
			const struct lvs_real_server *rs, bool *up, uint32_t *weight)
{
	const struct rs_entry *e = entry_find(c, rs);

	if (!e) {
		*up = !rs->alpha;
		*weight = rs->weight;
		return;
	}
	*up = e->up;
	*weight = e->weight;
}

unsigned checkers_rs_sharing(const struct checkers *c, const struct lvs_virtual_server *vs,
			     const struct lvs_real_server *rs)
{
	const struct rs_entry *e = entry_find(c, rs);
	unsigned most = 1;

	for (unsigned i = 0; e && i < e->n_checks; i++)
		if (e->checks[i]->n_vs > most)
			most = e->checks[i]->n_vs;
	return most;
}

void checkers_counts(const struct checkers *c, size_t *n_checks, size_t *n_real_servers)
{
	*n_checks = c->n_checks;
	*n_real_servers = c->n_entries;
}

void checkers_free(struct checkers *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_buckets; i++)
		for (struct check *ck = c->buckets[i], *next; ck; ck = next) {
			next = ck->hnext;
			check_free(ck);
		}
	free(c->buckets);
	checks_loop_fini(c);
	entries_free(c->entries, c->n_entries);
	free(c->by_rs);
	tls_ctx_free(c->tls_ctx);
	script_runner_free(c->scripts);
	sd_event_unref(c->event);
	free(c);
}
