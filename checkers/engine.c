/* The health-check engine: one check per distinct probe (key.h), each on
 * its own timer, verdicts fanned out to every real server that uses it.
 *
 * A real server of a virtual server is an rs_entry: the checks it uses and
 * the verdict last reported for it (up only when every check is up). A
 * check knows its users, so a changed verdict is reported to each. On
 * reload the entries are rebuilt from the new generation; checks are
 * looked up by key, so an unchanged check keeps its state, its schedule and
 * even its probe in flight.
 */
#include "build-config.h"

#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkers/check.h"
#include "checkers/checkers.h"
#include "checkers/key.h"
#include "checkers/sched.h"
#include "checkers/tls.h"
#include "daemon/log.h"
#include "lib/script.h"

/* Timer slack: probes due within 1 ms of each other share a wake-up. */
#define CHECK_TIMER_ACCURACY_US 1000
/* Probe failure messages (not state changes) per second, engine-wide. */
#define FAILURE_LOG_PER_SEC 20

struct rs_entry {
	const struct lvs_virtual_server *vs;
	const struct lvs_real_server *rs;
	struct check **checks;
	const struct lvs_checker **confs; /* this generation's checker of each */
	unsigned n_checks;
	bool up;
	uint32_t weight;
};

struct checkers {
	sd_event *event;
	const struct vigil_config *cfg;
	const struct checkers_ops *ops;
	void *data;
	/* Checks by key: chained hash, power-of-two buckets. */
	struct check **buckets;
	size_t n_buckets, n_checks;
	/* Real servers of the running generation, and an index by rs pointer
	 * (open addressing; a real server belongs to one virtual server). */
	struct rs_entry *entries;
	size_t n_entries;
	struct rs_entry **by_rs;
	size_t by_rs_cap;
	uint64_t spread_k; /* checks created so far: their spreading index */
	void *tls_ctx;
	struct script_runner *scripts;
	uint64_t log_second;
	unsigned log_count, log_suppressed;
};

static const struct check_type *check_type_of(enum lvs_checker_type t)
{
	switch (t) {
	case LVS_CHECK_TCP: return &check_type_tcp;
	case LVS_CHECK_HTTP:
	case LVS_CHECK_SSL: return &check_type_http;
	case LVS_CHECK_SMTP: return &check_type_smtp;
	case LVS_CHECK_DNS: return &check_type_dns;
	case LVS_CHECK_UDP: return &check_type_udp;
	case LVS_CHECK_PING: return &check_type_ping;
	case LVS_CHECK_MISC: return &check_type_misc;
	case LVS_CHECK_FILE: return &check_type_file;
	case LVS_CHECK_BFD: return NULL; /* accepted, never run */
	}
	return NULL;
}

static uint64_t engine_now(const struct checkers *c)
{
	uint64_t now = 0;

	sd_event_now(c->event, CLOCK_MONOTONIC, &now);
	return now;
}

uint64_t check_now(const struct check *ck)
{
	return engine_now(ck->engine);
}

/* --- names for logs --- */

static const char *vs_name(const struct lvs_virtual_server *vs, char *buf, size_t len)
{
	char a[VADDR_STRLEN];

	switch (vs->kind) {
	case LVS_VS_FWMARK:
		snprintf(buf, len, "fwmark %u", vs->fwmark);
		break;
	case LVS_VS_GROUP:
		snprintf(buf, len, "group %s", vs->group ? vs->group->name : "?");
		break;
	default:
		vaddr_format(&vs->addr, a, sizeof(a));
		snprintf(buf, len, vs->addr.family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, vs->port);
		break;
	}
	return buf;
}

static const char *rs_name(const struct lvs_real_server *rs, char *buf, size_t len)
{
	char a[VADDR_STRLEN];

	vaddr_format(&rs->addr, a, sizeof(a));
	snprintf(buf, len, rs->addr.family == AF_INET6 ? "[%s]:%u" : "%s:%u", a, rs->port);
	return buf;
}

static void check_label(struct check *ck, const struct vaddr *addr, uint16_t port)
{
	const struct lvs_checker *c = ck->conf;
	char a[VADDR_STRLEN];

	if (c->type == LVS_CHECK_MISC) {
		snprintf(ck->label, sizeof(ck->label), "MISC_CHECK '%s'", c->u.misc.script.cmd);
	} else if (c->type == LVS_CHECK_FILE) {
		snprintf(ck->label, sizeof(ck->label), "FILE_CHECK %s", c->u.file.track_file);
	} else {
		vaddr_format(addr, a, sizeof(a));
		if (c->type == LVS_CHECK_PING)
			snprintf(ck->label, sizeof(ck->label), "PING_CHECK %s", a);
		else
			snprintf(ck->label, sizeof(ck->label),
				 addr->family == AF_INET6 ? "%s [%s]:%u" : "%s %s:%u",
				 lvs_checker_name(c->type), a, port);
	}
}

void checkers_log_failure(struct checkers *c, const char *fmt, ...)
{
	uint64_t second = engine_now(c) / 1000000;
	char msg[512];
	va_list ap;

	if (second != c->log_second) {
		if (c->log_suppressed)
			log_warn("%u probe failure messages suppressed", c->log_suppressed);
		c->log_second = second;
		c->log_count = 0;
		c->log_suppressed = 0;
	}
	if (c->log_count >= FAILURE_LOG_PER_SEC) {
		c->log_suppressed++;
		return;
	}
	c->log_count++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warn("%s", msg);
}

/* --- real server verdicts --- */

static void entry_eval(const struct rs_entry *e, bool *up, uint32_t *weight)
{
	int64_t w = e->rs->weight, add = 0;

	*up = true;
	for (unsigned i = 0; i < e->n_checks; i++) {
		const struct check *ck = e->checks[i];

		if (!ck->state.up)
			*up = false;
		if (ck->weight_kind == CHECK_WEIGHT_SET)
			w = ck->weight_value;
		else if (ck->weight_kind == CHECK_WEIGHT_ADD)
			add += ck->weight_value;
	}
	w += add;
	*weight = w < 0 ? 0 : w > (int64_t)LVS_WEIGHT_MAX ? LVS_WEIGHT_MAX : (uint32_t)w;
}

static void entry_update(struct checkers *c, struct rs_entry *e)
{
	char v[80], r[64];
	uint32_t weight;
	bool up;

	entry_eval(e, &up, &weight);
	if (up == e->up && weight == e->weight)
		return;
	if (up != e->up)
		log_info("virtual server %s: real server %s is %s", vs_name(e->vs, v, sizeof(v)),
			 rs_name(e->rs, r, sizeof(r)), up ? "up" : "down");
	else
		log_info("virtual server %s: real server %s weight %u", vs_name(e->vs, v, sizeof(v)),
			 rs_name(e->rs, r, sizeof(r)), weight);
	e->up = up;
	e->weight = weight;
	if (c->ops && c->ops->rs_changed)
		c->ops->rs_changed(c->data, e->vs, e->rs, up, weight);
}

/* --- probes: start, deadline, end --- */

static void check_arm(struct check *ck, uint64_t due)
{
	if (sd_event_source_set_time(ck->timer, due) < 0 ||
	    sd_event_source_set_enabled(ck->timer, SD_EVENT_ONESHOT) < 0)
		log_err("%s: cannot arm its timer: the check stops", ck->label);
}

void check_set_deadline(struct check *ck, uint64_t usec)
{
	check_arm(ck, check_now(ck) + usec);
}

void check_run_now(struct check *ck)
{
	if (!ck->running && ck->type)
		check_arm(ck, check_now(ck));
}

static void check_start(struct check *ck)
{
	ck->running = true;
	ck->phase = NULL;
	check_set_deadline(ck, ck->conf->connect_timeout_us);
	ck->type->start(ck);
}

static int check_timer_cb(sd_event_source *s, uint64_t usec, void *data)
{
	struct check *ck = data;
	const char *phase;

	if (!ck->running) {
		check_start(ck);
		return 0;
	}
	if (ck->type->timeout) {
		ck->type->timeout(ck);
		return 0;
	}
	phase = ck->phase;
	ck->type->cancel(ck);
	check_close(ck);
	check_done(ck, false, "timed out%s%s", phase ? " " : "", phase ? phase : "");
	return 0;
}

static void check_log_result(struct check *ck, bool ok, bool changed, const char *reason)
{
	char shared[48] = "";

	if (ck->n_vs > 1)
		snprintf(shared, sizeof(shared), " (shared by %u virtual servers)", ck->n_vs);
	if (changed && ok)
		log_info("%s%s: success, up", ck->label, shared);
	else if (changed)
		log_warn("%s%s: down: %s", ck->label, shared, reason);
	else if (!ok && (ck->log_all_failures || ck->state.up))
		checkers_log_failure(ck->engine, "%s%s: failed (%s): %s", ck->label, shared,
				     ck->state.up ? "will retry" : "still down", reason);
}

void check_done(struct check *ck, bool ok, const char *fmt, ...)
{
	const struct lvs_checker *conf = ck->conf;
	struct verdict_params p = { .retry = conf->retry };
	enum verdict_next next;
	char reason[256] = "";
	uint64_t now = check_now(ck);
	bool changed;
	va_list ap;

	check_close(ck);
	ck->running = false;
	ck->phase = NULL;
	if (!ok && fmt) {
		va_start(ap, fmt);
		vsnprintf(reason, sizeof(reason), fmt, ap);
		va_end(ap);
	}
	if (conf->type == LVS_CHECK_HTTP || conf->type == LVS_CHECK_SSL)
		p.fast_recovery = conf->u.http.fast_recovery;
	if (ck->type->immediate)
		p.retry = 0;
	changed = verdict_step(&ck->state, &p, ok, &next);
	check_log_result(ck, ok, changed, reason);
	/* Users are told even without a change of state: the weight may have
	 * moved; entry_update() reports only what changed. */
	for (unsigned i = 0; i < ck->n_users; i++)
		entry_update(ck->engine, ck->users[i]);

	if (next == VERDICT_NEXT_RETRY) {
		check_arm(ck, now + conf->delay_before_retry_us);
	} else {
		ck->slot_us = sched_next_slot(ck->slot_us, conf->delay_loop_us, now);
		check_arm(ck, ck->slot_us);
	}
}

/* --- the check table --- */

static struct check *table_find(const struct checkers *c, const struct check_key *k)
{
	if (!c->n_buckets)
		return NULL;
	for (struct check *ck = c->buckets[k->hash & (c->n_buckets - 1)]; ck; ck = ck->hnext)
		if (ck->hash == k->hash && ck->key_len == k->len &&
		    memcmp(ck->key, k->bytes, k->len) == 0)
			return ck;
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

static void check_free(struct check *ck)
{
	if (!ck)
		return;
	if (ck->running && ck->type) {
		ck->type->cancel(ck);
		check_close(ck);
	}
	if (ck->type && ck->type->fini)
		ck->type->fini(ck);
	sd_event_source_disable_unref(ck->timer);
	free(ck->users);
	free(ck->key);
	free(ck);
}

static void check_set_dst(struct check *ck, const struct vaddr *addr, uint16_t port)
{
	memset(&ck->dst, 0, sizeof(ck->dst));
	if (addr->family == AF_INET6) {
		ck->dst.in6.sin6_family = AF_INET6;
		ck->dst.in6.sin6_addr = addr->u.v6;
		ck->dst.in6.sin6_port = htons(port);
		if (IN6_IS_ADDR_LINKLOCAL(&addr->u.v6) && ck->conf->bind_if)
			ck->dst.in6.sin6_scope_id = if_nametoindex(ck->conf->bind_if);
		ck->dst_len = sizeof(ck->dst.in6);
	} else {
		ck->dst.in.sin_family = AF_INET;
		ck->dst.in.sin_addr = addr->u.v4;
		ck->dst.in.sin_port = htons(port);
		ck->dst_len = sizeof(ck->dst.in);
	}
}

/* A new check for @conf (probing @rs); takes @key. NULL on failure. */
static struct check *check_new(struct checkers *c, const struct vigil_config *cfg,
			       const struct lvs_checker *conf, const struct lvs_real_server *rs,
			       struct check_key *key)
{
	struct check *ck = calloc(1, sizeof(*ck));
	struct vaddr addr;
	uint16_t port;
	uint64_t due;
	int r;

	if (!ck)
		return NULL;
	ck->engine = c;
	ck->event = c->event;
	ck->cfg = cfg;
	ck->conf = conf;
	ck->type = check_type_of(conf->type);
	ck->fd = -1;
	ck->key = key->bytes;
	ck->key_len = key->len;
	ck->hash = key->hash;
	key->bytes = NULL;
	check_target(conf, rs, &addr, &port);
	check_set_dst(ck, &addr, port);
	check_label(ck, &addr, port);
	verdict_init(&ck->state, conf->alpha);

	due = engine_now(c) + sched_spread(c->spread_k++, conf->warmup_us);
	ck->slot_us = due;
	r = sd_event_add_time(c->event, &ck->timer, CLOCK_MONOTONIC, due, CHECK_TIMER_ACCURACY_US,
			      check_timer_cb, ck);
	if (r < 0) {
		log_err("%s: cannot create its timer: %s", ck->label, strerror(-r));
		goto fail;
	}
	if (ck->type->init && ck->type->init(ck) < 0) {
		/* Reason logged by init(). The check stays, down and idle, so
		 * its real servers do not get traffic on an unverified
		 * promise. */
		ck->type = NULL;
		ck->state.up = false;
		sd_event_source_set_enabled(ck->timer, SD_EVENT_OFF);
	} else if (ck->type->immediate) {
		check_start(ck);
	}
	return ck;
fail:
	ck->type = NULL;
	sd_event_source_disable_unref(ck->timer);
	free(ck->key);
	free(ck);
	return NULL;
}

/* --- applying a generation --- */

static int check_add_user(struct check *ck, struct rs_entry *e)
{
	if (ck->n_users == ck->users_cap) {
		unsigned cap = ck->users_cap ? ck->users_cap * 2 : 2;
		struct rs_entry **u = realloc(ck->users, cap * sizeof(*u));

		if (!u)
			return -ENOMEM;
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

static void entries_free(struct rs_entry *entries, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(entries[i].checks);
		free(entries[i].confs);
	}
	free(entries);
}

/* The checks of one real server: found by key, or created. */
static int entry_bind(struct checkers *c, const struct vigil_config *cfg, struct rs_entry *e)
{
	const struct lvs_real_server *rs = e->rs;

	e->checks = calloc(rs->n_checkers ? rs->n_checkers : 1, sizeof(*e->checks));
	e->confs = calloc(rs->n_checkers ? rs->n_checkers : 1, sizeof(*e->confs));
	if (!e->checks || !e->confs)
		return -ENOMEM;
	for (const struct lvs_checker *conf = rs->checkers; conf; conf = conf->next) {
		struct check_key key;
		struct check *ck;

		if (!check_type_of(conf->type))
			continue;
		if (check_key_build(cfg, rs, conf, &key) < 0)
			return -ENOMEM;
		ck = table_find(c, &key);
		if (ck) {
			check_key_free(&key);
		} else {
			ck = check_new(c, cfg, conf, rs, &key);
			check_key_free(&key);
			if (!ck || table_insert(c, ck) < 0) {
				check_free(ck);
				return -ENOMEM;
			}
		}
		ck->seen = true;
		ck->log_all_failures |= conf->log_all_failures || cfg->global.checker_log_all_failures;
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

static int engine_apply(struct checkers *c, const struct vigil_config *cfg)
{
	const struct lvs_conf *lvs = &cfg->lvs;
	struct rs_entry *entries, **by_rs;
	size_t n = 0, cap = 16, k = 0;
	int r = 0;

	for (const struct lvs_virtual_server *vs = lvs->virtual_servers; vs; vs = vs->next)
		n += vs->n_real_servers;
	while (cap < 2 * n)
		cap *= 2;
	entries = calloc(n ? n : 1, sizeof(*entries));
	by_rs = calloc(cap, sizeof(*by_rs));
	if (!entries || !by_rs) {
		free(entries);
		free(by_rs);
		return -ENOMEM;
	}
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
			r = entry_bind(c, cfg, e);
		}
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
			entries[i].checks[j]->cfg = cfg;
		}
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
		entry_eval(e, &e->up, &e->weight);
	}
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
	r = engine_apply(c, cfg);
	if (r < 0) {
		checkers_free(c);
		return r;
	}
	*out = c;
	return 0;
}

int checkers_reload(struct checkers *c, const struct vigil_config *next)
{
	return engine_apply(c, next);
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
	entries_free(c->entries, c->n_entries);
	free(c->by_rs);
	tls_ctx_free(c->tls_ctx);
	script_runner_free(c->scripts);
	sd_event_unref(c->event);
	free(c);
}

struct script_runner *checkers_script_runner(struct checkers *c)
{
	int r;

	if (!c->scripts) {
		r = script_runner_new(c->event, &c->scripts);
		if (r < 0)
			log_err("MISC_CHECK: cannot run scripts: %s", strerror(-r));
	}
	return c->scripts;
}

void *checkers_tls_ctx(struct checkers *c)
{
	if (!c->tls_ctx)
		c->tls_ctx = tls_ctx_new(c->cfg ? c->cfg->lvs.ssl : NULL);
	return c->tls_ctx;
}
