/* The checker child: health checks (checkers/) decide which real servers
 * get traffic; the IPVS controller (ipvs/) makes the kernel's table match.
 *
 * Verdict changes are coalesced: each marks the table dirty and one deferred
 * event per loop iteration rebuilds the desired table and syncs it, so a
 * burst of verdicts costs one diff and one batch of requests. Neither they
 * nor reloads read the kernel's table (a dump of a big table costs more
 * than the change itself): the kernel is read at start-up, to adopt what is
 * there, and every --ipvs-repair-interval seconds, to put back what was
 * changed behind our back.
 */
#include "build-config.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checkers/checkers.h"
#include "checkers/notify.h"
#include "daemon/child.h"
#include "ipvs/controller.h"
#include "ipvs/desired.h"
#include "ipvs/local_addrs.h"
#include "vrrp/fsm.h"

/* The VRRP child sends enum vrrp_state as it is; the codec knows these. */
_Static_assert(MSG_VRRP_INIT == (int)VRRP_STATE_INIT && MSG_VRRP_BACKUP == (int)VRRP_STATE_BACKUP &&
		   MSG_VRRP_MASTER == (int)VRRP_STATE_MASTER &&
		   MSG_VRRP_FAULT == (int)VRRP_STATE_FAULT,
	       "msg_vrrp_state follows enum vrrp_state");

/* A VRRP instance's last state, as the parent relayed it. */
struct instance_state {
	char name[MSG_TEXT_MAX + 1];
	uint32_t state;
};

/* A virtual server's quorum, remembered across syncs and reloads (hysteresis
 * needs the previous state). Matched across a reload by the virtual
 * server's identity (vs_identity_cmp()), not by pointer, since a reload
 * brings new pointers. */
struct vs_quorum {
	const struct lvs_virtual_server *vs; /* of the running generation */
	bool up;
	/* ha_suspend: while the VS address is not local, its real servers'
	 * verdicts stay as they were (one per real server, in config order). */
	struct ipvs_rs_status *frozen; /* NULL: not suspended */
	struct rs_notify *scripts;     /* quorum_up/quorum_down; NULL: none */
};

struct check_state {
	struct ipvs_ctl *ctl; /* NULL: the kernel has no IPVS */
	struct checkers *checkers;
	const struct vigil_config *cfg;
	sd_event_source *defer;
	sd_event_source *repair; /* NULL when repair is off */
	uint64_t repair_usec;
	struct vs_quorum *quorum; /* one per virtual server, sorted by vs pointer */
	size_t nquorum;
	size_t last_ops; /* requests the last sync sent */
	uint64_t last_trim; /* CLOCK_MONOTONIC µs of the last heap_trim() */
	struct local_addrs *local; /* NULL unless a virtual server has ha_suspend */
	struct instance_state *instances; /* VRRP instance states heard */
	size_t ninstances;
};

static void vs_key(const struct lvs_virtual_server *vs, char *buf, size_t len)
{
	char a[VADDR_STRLEN];

	if (vs->kind == LVS_VS_GROUP)
		snprintf(buf, len, "group %s/%d", vs->group->name, vs->family);
	else if (vs->kind == LVS_VS_FWMARK)
		snprintf(buf, len, "fwmark %u/%d", vs->fwmark, vs->family);
	else
		snprintf(buf, len, "%s %s:%u", lvs_protocol_name(vs->protocol),
			 vaddr_format(&vs->addr, a, sizeof(a)), vs->port);
}

static int quorum_by_ptr(const void *a, const void *b)
{
	const struct vs_quorum *x = a, *y = b;

	return x->vs < y->vs ? -1 : x->vs > y->vs;
}

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

/* What vs_key() names, compared field by field (a reload compares every
 * virtual server: no text formatting there). */
static int vs_identity_cmp(const struct lvs_virtual_server *a, const struct lvs_virtual_server *b)
{
	int c = CMP(a->kind, b->kind) ?: CMP(a->family, b->family);

	if (c)
		return c;
	switch (a->kind) {
	case LVS_VS_GROUP:
		return strcmp(a->group->name, b->group->name);
	case LVS_VS_FWMARK:
		return CMP(a->fwmark, b->fwmark);
	default:
		c = CMP(a->protocol, b->protocol) ?: CMP(a->port, b->port) ?:
		    CMP(a->addr.family, b->addr.family);
		if (c)
			return c;
		return a->addr.family == AF_INET6
			       ? memcmp(&a->addr.u.v6, &b->addr.u.v6, sizeof(a->addr.u.v6))
			       : memcmp(&a->addr.u.v4, &b->addr.u.v4, sizeof(a->addr.u.v4));
	}
}

static int quorum_by_identity(const void *a, const void *b)
{
	return vs_identity_cmp(((const struct vs_quorum *)a)->vs, ((const struct vs_quorum *)b)->vs);
}

/* The virtual server's name for logs. */
static const char *quorum_name(const struct vs_quorum *q, char *buf, size_t len)
{
	vs_key(q->vs, buf, len);
	return buf;
}

static struct vs_quorum *quorum_find(const struct check_state *st,
				     const struct lvs_virtual_server *vs)
{
	struct vs_quorum probe = { .vs = vs };

	if (!st->nquorum)
		return NULL;
	return bsearch(&probe, st->quorum, st->nquorum, sizeof(probe), quorum_by_ptr);
}

static struct ipvs_rs_status rs_status(const struct lvs_virtual_server *vs,
				       const struct lvs_real_server *rs, void *data)
{
	struct check_state *st = data;
	struct ipvs_rs_status r = { .up = !rs->alpha, .weight = rs->weight };
	const struct vs_quorum *q = vs->ha_suspend ? quorum_find(st, vs) : NULL;

	if (q && q->frozen) {
		size_t i = 0;

		for (const struct lvs_real_server *x = vs->real_servers; x; x = x->next, i++)
			if (x == rs)
				return q->frozen[i];
	}
	if (st->checkers)
		checkers_rs_status(st->checkers, vs, rs, &r.up, &r.weight);
	return r;
}

static bool quorum_up(const struct lvs_virtual_server *vs, void *data)
{
	const struct vs_quorum *q = quorum_find(data, vs);

	return q ? q->up : true;
}

static void quorum_free(struct vs_quorum *q, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(q[i].frozen);
		rs_notify_free(q[i].scripts);
	}
	free(q);
}

/* A virtual server that first appears (start-up or reload) starts with its
 * quorum down and gains it at once if its live weight allows, as keepalived
 * does. Returns whether the script of that state runs (ipvs_quorum_start()). */
static bool quorum_start(struct vs_quorum *q, uint64_t w)
{
	enum ipvs_quorum_start s = ipvs_quorum_start(q->vs, w);
	char name[96];

	q->up = s == IPVS_QUORUM_START_UP;
	if (s == IPVS_QUORUM_START_DOWN_SORRY)
		log_info("virtual server %s: starting with quorum down, sorry server in (live "
			 "weight %llu, quorum %u, hysteresis %u)",
			 quorum_name(q, name, sizeof(name)), (unsigned long long)w, q->vs->quorum,
			 q->vs->hysteresis);
	return s != IPVS_QUORUM_START_DOWN;
}

/* New quorum states for the running generation, carrying each virtual
 * server's previous state over by key. */
static int quorum_rebuild(struct check_state *st)
{
	const struct lvs_conf *l = &st->cfg->lvs;
	struct vs_quorum *q = calloc(l->n_virtual_servers ? l->n_virtual_servers : 1, sizeof(*q));
	struct ipvs_desired_source src = { .rs_status = rs_status, .data = st };
	struct rs_notify_prep prep = { 0 };
	char label[112], name[96];
	size_t n = 0;

	if (!q)
		return -ENOMEM;
	/* The old generation is still mapped: its virtual servers compare. */
	if (st->nquorum)
		qsort(st->quorum, st->nquorum, sizeof(*st->quorum), quorum_by_identity);
	for (const struct lvs_virtual_server *vs = l->virtual_servers; vs; vs = vs->next, n++) {
		const struct vs_quorum *old;
		bool start_script = false;

		q[n].vs = vs;
		old = st->nquorum ? bsearch(&q[n], st->quorum, st->nquorum, sizeof(q[n]),
					    quorum_by_identity)
				  : NULL;
		if (old)
			q[n].up = old->up;
		else
			start_script = quorum_start(&q[n], ipvs_desired_weight_up(vs, &src));
		if (!vs->quorum_up && !vs->quorum_down)
			continue; /* no label to make for a reload of 1,000 of them */
		snprintf(label, sizeof(label), "virtual server %s",
			 quorum_name(&q[n], name, sizeof(name)));
		q[n].scripts = vs_quorum_notify_new(vs, &st->cfg->global, &prep, label);
		if (q[n].scripts && start_script && st->checkers)
			rs_notify_run(checkers_script_runner(st->checkers), q[n].scripts, q[n].up,
				      label);
	}
	rs_notify_prep_end(&prep);
	quorum_free(st->quorum, st->nquorum);
	if (n)
		qsort(q, n, sizeof(*q), quorum_by_ptr);
	st->quorum = q;
	st->nquorum = n;
	return 0;
}

/* Whether the address of @vs is local, as ha_suspend asks: for a group,
 * any address of its ranges (keepalived's check_api.c addr_matches()).
 * fwmark services never get here: the parser clears their ha_suspend. */
static bool vs_addr_local(const struct local_addrs *la, const struct lvs_virtual_server *vs)
{
	if (vs->kind == LVS_VS_ADDR)
		return local_addrs_has(la, &vs->addr);
	if (vs->kind != LVS_VS_GROUP)
		return true;
	for (const struct lvs_vsg_entry *e = vs->group->ranges; e; e = e->next)
		if (e->start.family == vs->family && local_addrs_any_in(la, &e->start, &e->end))
			return true;
	return false;
}

/* keepalived's ha_suspend: a virtual server's checks are suspended while
 * its address is on no local interface, and its real servers keep their
 * last verdicts. (The probes still run here -- the engine has no per-VS
 * pause -- but their verdicts do not reach the table.) Returns whether any
 * suspension changed. */
static bool suspend_update(struct check_state *st)
{
	bool any = false;

	for (size_t i = 0; i < st->nquorum; i++) {
		struct vs_quorum *q = &st->quorum[i];
		const struct lvs_virtual_server *vs = q->vs;
		bool suspend = vs->ha_suspend && !vs_addr_local(st->local, vs);
		struct ipvs_rs_status *frozen;
		char name[96];
		size_t n = 0;

		if (suspend == (q->frozen != NULL))
			continue;
		any = true;
		if (!suspend) {
			free(q->frozen);
			q->frozen = NULL;
			log_info("virtual server %s: address is local, health checks resumed",
				 quorum_name(q, name, sizeof(name)));
			continue;
		}
		frozen = calloc(vs->n_real_servers ? vs->n_real_servers : 1, sizeof(*frozen));
		if (!frozen) {
			log_err("virtual server %s: cannot suspend its checks: out of memory",
				quorum_name(q, name, sizeof(name)));
			continue;
		}
		/* The verdicts as they stand, read before q->frozen is set. */
		for (const struct lvs_real_server *rs = vs->real_servers; rs; rs = rs->next)
			frozen[n++] = rs_status(vs, rs, st);
		q->frozen = frozen;
		log_info("virtual server %s: address not local, health checks suspended (ha_suspend)",
			 quorum_name(q, name, sizeof(name)));
	}
	return any;
}

static void on_local_addrs(void *data)
{
	struct check_state *st = data;

	if (suspend_update(st))
		sd_event_source_set_enabled(st->defer, SD_EVENT_ONESHOT);
}

/* Apply keepalived's quorum rule to every virtual server; log changes. */
static void quorum_update(struct check_state *st)
{
	struct ipvs_desired_source src = { .rs_status = rs_status, .data = st };

	for (size_t i = 0; i < st->nquorum; i++) {
		struct vs_quorum *q = &st->quorum[i];
		uint64_t w = ipvs_desired_weight_up(q->vs, &src);
		bool up = ipvs_quorum_next(q->vs, w, q->up);
		char name[96];

		if (up != q->up) {
			char label[112];

			log_warn("virtual server %s: quorum %s (live weight %llu, quorum %u, "
				 "hysteresis %u)%s",
				 quorum_name(q, name, sizeof(name)), up ? "regained" : "lost", (unsigned long long)w,
				 q->vs->quorum, q->vs->hysteresis,
				 q->vs->sorry_server ? (up ? "; sorry server out" : "; sorry server in")
						     : "");
			snprintf(label, sizeof(label), "virtual server %s", name);
			if (q->scripts && st->checkers)
				rs_notify_run(checkers_script_runner(st->checkers), q->scripts, up,
					      label);
		}
		q->up = up;
	}
}

static void on_failed(void *data, const struct ipvs_op *op, int err)
{
	char k[96], d[64];

	ipvs_key_format(&op->svc->key, k, sizeof(k));
	if (op->dest)
		log_err("IPVS %s %s in %s failed: %s", ipvs_op_name(op->type),
			ipvs_dest_format(op->dest, d, sizeof(d)), k, strerror(-err));
	else
		log_err("IPVS %s %s failed: %s", ipvs_op_name(op->type), k, strerror(-err));
}

static int check_sync(struct check_state *st, bool read_kernel, char *text, size_t len)
{
	struct ipvs_desired_source src = { rs_status, quorum_up, st };
	struct ipvs_table desired;
	struct ipvs_ctl_stats stats;
	int rc;

	if (!st->ctl) {
		snprintf(text, len, "%u virtual servers; IPVS unavailable",
			 st->cfg->lvs.n_virtual_servers);
		return 0;
	}
	quorum_update(st);
	rc = ipvs_desired_build(&st->cfg->lvs, &src, &desired);
	if (rc == 0)
		rc = ipvs_ctl_sync(st->ctl, &desired, read_kernel, &stats);
	if (rc < 0) {
		snprintf(text, len, "IPVS sync failed: %s", strerror(-rc));
		return rc;
	}
	snprintf(text, len, "%zu IPVS services, %zu destinations (%zu requests, %zu failed)",
		 stats.services, stats.dests, stats.ops, stats.failed);
	st->last_ops = stats.ops;
	return 0;
}

/* A sync builds the whole desired table and frees the previous one; a
 * reload holds two generations' real-server entries for a moment. glibc
 * keeps what is freed in the middle of the heap, so the process would stay
 * as big as its worst moment: give the free pages back after a reload, a
 * repair, and at most once a second after syncs. */
#define TRIM_EVERY_US 1000000ULL
static void heap_trim(struct check_state *st, sd_event *ev, bool force)
{
	uint64_t now = 0;

	sd_event_now(ev, CLOCK_MONOTONIC, &now);
	if (!force && now < st->last_trim + TRIM_EVERY_US)
		return;
	st->last_trim = now;
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

static int on_repair(sd_event_source *s, uint64_t usec, void *data)
{
	struct check_state *st = data;
	char text[256];
	int rc;

	rc = check_sync(st, true, text, sizeof(text));
	if (rc < 0)
		log_err("%s", text);
	else if (st->last_ops)
		log_warn("repaired the IPVS table: %s", text);
	heap_trim(st, sd_event_source_get_event(s), true);
	sd_event_source_set_time(s, usec + st->repair_usec);
	return 0;
}

static void on_rs_changed(void *data, const struct lvs_virtual_server *vs,
			  const struct lvs_real_server *rs, bool up, uint32_t weight)
{
	struct check_state *st = data;

	/* Coalesce: one sync per loop iteration, however many verdicts. */
	sd_event_source_set_enabled(st->defer, SD_EVENT_ONESHOT);
}

static int on_defer(sd_event_source *s, void *data)
{
	struct check_state *st = data;
	char text[256];

	sd_event_source_set_enabled(s, SD_EVENT_OFF);
	if (check_sync(st, false, text, sizeof(text)) < 0)
		log_err("%s", text);
	else
		log_debug("%s", text);
	heap_trim(st, sd_event_source_get_event(s), false);
	return 0;
}

/* Watch local addresses while some virtual server has ha_suspend. */
static void ha_suspend_watch(struct child *c, struct check_state *st)
{
	bool need = false;
	int rc;

	for (const struct lvs_virtual_server *vs = st->cfg->lvs.virtual_servers; vs; vs = vs->next)
		need |= vs->ha_suspend;
	if (need && !st->local) {
		rc = local_addrs_new(c->event, on_local_addrs, st, &st->local);
		if (rc < 0)
			log_err("ha_suspend: cannot watch local addresses (%s): checks stay active",
				strerror(-rc));
	} else if (!need) {
		local_addrs_free(st->local);
		st->local = NULL;
	}
	if (st->local)
		suspend_update(st);
}

/* 1 MASTER, 0 any other state, -1 not heard yet. */
static int instance_master(const struct check_state *st, const char *name)
{
	for (size_t i = 0; name && i < st->ninstances; i++)
		if (!strcmp(st->instances[i].name, name))
			return st->instances[i].state == MSG_VRRP_MASTER;
	return -1;
}

static void syncd_update(struct check_state *st)
{
	const struct global_lvs_syncd *d = &st->cfg->global.lvs_syncd;
	int master = instance_master(st, d->vrrp_instance);
	int rc;

	if (!st->ctl)
		return;
	rc = ipvs_ctl_syncd(st->ctl, d, master);
	if (rc < 0)
		log_err("lvs_sync_daemon on %s: %s", d->ifname ? d->ifname : "(removed)",
			strerror(-rc));
	else if (d->ifname)
		log_debug("lvs_sync_daemon on %s: %s", d->ifname,
			  !d->vrrp_instance ? "master and backup"
			  : master == 1	    ? "master"
					    : "backup");
}

/* The parent relays each VRRP instance's state changes (and, to a new
 * checker process, the last state of each). */
static void child_check_on_state(struct child *c, const struct msg_state *s)
{
	struct check_state *st = c->priv;
	struct instance_state *v = NULL;

	if (!st || s->kind != MSG_STATE_VRRP_INSTANCE)
		return;
	for (size_t i = 0; i < st->ninstances && !v; i++)
		if (!strcmp(st->instances[i].name, s->name))
			v = &st->instances[i];
	if (!v) {
		v = realloc(st->instances, (st->ninstances + 1) * sizeof(*v));
		if (!v) {
			log_err("VRRP instance %s: state not recorded: out of memory", s->name);
			return;
		}
		st->instances = v;
		v = &v[st->ninstances++];
		snprintf(v->name, sizeof(v->name), "%s", s->name);
	}
	v->state = s->value;
	if (st->cfg && st->cfg->global.lvs_syncd.vrrp_instance &&
	    !strcmp(st->cfg->global.lvs_syncd.vrrp_instance, s->name))
		syncd_update(st);
}

static void timeouts_update(struct check_state *st)
{
	const struct global_lvs_timeouts *t = &st->cfg->global.lvs_timeouts;
	bool changed;
	int rc;

	if (!st->ctl)
		return;
	rc = ipvs_ctl_timeouts(st->ctl, t, &changed);
	if (rc < 0)
		log_err("lvs_timeouts: cannot set the IPVS timeouts: %s", strerror(-rc));
	else if (changed)
		log_info("IPVS timeouts set (tcp %u, tcpfin %u, udp %u; 0: the kernel's own)",
			 t->tcp_s, t->tcpfin_s, t->udp_s);
}

static int check_state_new(struct child *c, struct check_state **out)
{
	static const struct ipvs_ctl_report report = { .failed = on_failed };
	struct check_state *st = calloc(1, sizeof(*st));
	int rc;

	if (!st)
		return -ENOMEM;
	rc = ipvs_ctl_new(&report, &st->ctl);
	if (rc < 0)
		log_err("IPVS is not available (%s): virtual servers will not be programmed",
			strerror(-rc));
	rc = sd_event_add_defer(c->event, &st->defer, on_defer, st);
	if (rc < 0) {
		ipvs_ctl_free(st->ctl);
		free(st);
		return rc;
	}
	sd_event_source_set_enabled(st->defer, SD_EVENT_OFF);
	/* A new configuration (or a shutdown) from the parent goes before
	 * the next batch of probes: behind thousands of checks due at once
	 * in a starved VM it waited for seconds. */
	if (c->io)
		sd_event_source_set_priority(c->io, SD_EVENT_PRIORITY_IMPORTANT);
	if (st->ctl && c->ipvs_repair_s) {
		uint64_t now;

		st->repair_usec = c->ipvs_repair_s * 1000000ULL;
		sd_event_now(c->event, CLOCK_MONOTONIC, &now);
		rc = sd_event_add_time(c->event, &st->repair, CLOCK_MONOTONIC,
				       now + st->repair_usec, 0, on_repair, st);
		if (rc < 0)
			log_warn("no periodic IPVS repair: %s", strerror(-rc));
		else
			sd_event_source_set_enabled(st->repair, SD_EVENT_ON);
	}
	*out = st;
	return 0;
}

static const struct checkers_ops checkers_ops = { .rs_changed = on_rs_changed };

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int child_check_apply(struct child *c, const struct vigil_config *next, char *text,
			     size_t len)
{
	struct check_state *st = c->priv;
	bool first = !st;
	double t0 = mono_ms(), t_checks;
	int rc;

	if (!st) {
		rc = check_state_new(c, &st);
		if (rc < 0) {
			snprintf(text, len, "cannot start: %s", strerror(-rc));
			return rc;
		}
		c->priv = st;
	}
	rc = st->checkers ? checkers_reload(st->checkers, next)
			  : checkers_new(c->event, next, &checkers_ops, st, &st->checkers);
	if (rc < 0) {
		snprintf(text, len, "cannot start the health checks: %s", strerror(-rc));
		return rc; /* the previous generation keeps running */
	}
	t_checks = mono_ms();
	if (first && st->ctl && next->global.lvs_flush) {
		/* lvs_flush is for the daemon's start; a checker process that
		 * replaces one that died adopts the table instead. */
		if (c->respawned)
			log_info("lvs_flush: not flushing, adopting the table of the previous "
				 "checker process");
		else if ((rc = ipvs_ctl_flush(st->ctl)) < 0)
			log_err("lvs_flush: cannot flush the IPVS table: %s", strerror(-rc));
		else
			log_info("lvs_flush: flushed the IPVS table");
	}
	st->cfg = next;
	timeouts_update(st);
	syncd_update(st);
	rc = quorum_rebuild(st);
	if (rc < 0) {
		snprintf(text, len, "out of memory");
		return rc;
	}
	ha_suspend_watch(c, st);
	/* Read the kernel at start-up only: a matching table is adopted, not
	 * re-added. A reload diffs against what we applied. */
	rc = check_sync(st, first, text, len);
	if (rc == 0)
		log_info("applied configuration in %.1f ms (health checks %.1f ms): %s",
			 mono_ms() - t0, t_checks - t0, text);
	heap_trim(st, c->event, true);
	return rc;
}

/* keepalived's omega: a clean shutdown takes the real servers down, so the
 * notify_down of those that were up and the quorum_down of virtual servers
 * that had quorum run. */
static void omega_notify(struct check_state *st)
{
	struct script_runner *runner;
	bool any = false;
	char label[112], name[96];

	for (size_t i = 0; i < st->nquorum; i++)
		any |= st->quorum[i].vs->omega;
	if (!any || !st->checkers)
		return;
	checkers_omega(st->checkers);
	runner = checkers_script_runner(st->checkers);
	for (size_t i = 0; i < st->nquorum; i++) {
		struct vs_quorum *q = &st->quorum[i];

		if (!q->vs->omega || !q->up || !q->scripts)
			continue;
		snprintf(label, sizeof(label), "virtual server %s",
			 quorum_name(q, name, sizeof(name)));
		rs_notify_run(runner, q->scripts, false, label);
	}
}

/* keepalived's shutdown backstop: the scripts still running (the omega
 * ones, and those checkers_stop() sent SIGTERM) get a second to exit;
 * checkers_free() SIGKILLs the rest. */
static void stop_scripts_wait(struct check_state *st)
{
	struct script_runner *runner = st->checkers ? checkers_script_runner(st->checkers) : NULL;
	unsigned left;

	if (runner && script_runner_active(runner) && (left = script_runner_wait(runner, 1000000)))
		log_warn("%u scripts still running 1 s after stopping: killing them", left);
}

static void child_check_stop(struct child *c)
{
	struct check_state *st = c->priv;
	struct ipvs_ctl_stats stats;

	if (!st)
		return;
	/* keepalived's order: scripts in flight terminated, services and their
	 * omega scripts down, then the wait for the scripts. */
	if (c->shutdown) {
		checkers_stop(st->checkers);
		omega_notify(st);
	}
	if (st->ctl && c->shutdown) {
		if (st->cfg && st->cfg->global.lvs_flush_on_stop == GLOBAL_LVS_STOP_FLUSH) {
			int rc = ipvs_ctl_flush(st->ctl);

			if (rc < 0)
				log_err("lvs_flush_on_stop: cannot flush the IPVS table: %s",
					strerror(-rc));
			else
				log_info("lvs_flush_on_stop: flushed the IPVS table");
		} else if (ipvs_ctl_remove_all(st->ctl, &stats) == 0) {
			log_info("removed %zu IPVS services", stats.ops - stats.failed);
		}
		if (ipvs_ctl_syncd_stop(st->ctl) < 0)
			log_warn("cannot stop the IPVS sync daemon");
	} else if (st->ctl) {
		log_info("leaving the IPVS table in place for the next checker process to adopt");
	}
	if (c->shutdown)
		stop_scripts_wait(st);
	ipvs_ctl_free(st->ctl);
	checkers_free(st->checkers);
	quorum_free(st->quorum, st->nquorum);
	local_addrs_free(st->local);
	free(st->instances);
	sd_event_source_unref(st->defer);
	sd_event_source_unref(st->repair);
	free(st);
	c->priv = NULL;
}

const struct child_desc child_check_desc = {
    .ident = "vigild-check",
    .apply = child_check_apply,
    .stop = child_check_stop,
    .state = child_check_on_state,
};
