#include "build-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/log.h"
#include "lib/script.h"
#include "vrrp/addr.h"
#include "vrrp/ah.h"
#include "vrrp/block.h"
#include "vrrp/garp.h"
#include "vrrp/ifwatch.h"
#include "vrrp/routewatch.h"
#include "vrrp/instance.h"
#include "vrrp/ndisc.h"
#include "vrrp/plan.h"
#include "vrrp/sync.h"
#include "vrrp/track.h"
#include "vrrp/vrrp_internal.h"

/* keepalived gives notify_stop scripts one second (TIMER_HZ) at shutdown. */
#define STOP_SCRIPTS_WAIT_US 1000000u

uint64_t vrrp_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* An interface or address changed: instances follow (vrrp/instance.h). */
static void on_ifs_changed(void *data)
{
	struct vrrp *v = data;

	for (struct vrrp_instance *i = v->instances; i; i = i->next)
		vrrp_instance_ifs_changed(i);
	/* track_interface and the instances' own interfaces: up or down */
	vrrp_tracker_ifs_changed(v->tracker);
}

/* A route tagged as ours, or a rule, was deleted: masters check theirs. */
static void on_route_deleted(void *data)
{
	struct vrrp *v = data;

	for (struct vrrp_instance *i = v->instances; i; i = i->next)
		vrrp_instance_routes_check(i);
}

int vrrp_new(sd_event *event, const struct vrrp_hooks *hooks, struct vrrp **out)
{
	struct vrrp *v = calloc(1, sizeof(*v));
	int rc;

	if (!v)
		return -ENOMEM;
	v->event = sd_event_ref(event);
	vrrp_fifos_init(&v->fifos);
	if (hooks)
		v->hooks = *hooks;
	/* Without privileges these fail; instances then report what they
	 * cannot do, and the daemon still runs (as keepalived -t users and
	 * the unprivileged daemon tests expect). */
	rc = vrrp_addr_open(&v->nl);
	if (rc < 0) {
		log_warn("no rtnetlink socket for addresses: %s", strerror(-rc));
		v->nl = NULL;
	}
	v->garp_fd = vrrp_garp_open();
	if (v->garp_fd < 0)
		log_warn("no packet socket for gratuitous ARP: %s", strerror(-v->garp_fd));
	v->ndisc_fd = vrrp_ndisc_open();
	if (v->ndisc_fd < 0)
		log_warn("no ICMPv6 socket for neighbour advertisements: %s",
			 strerror(-v->ndisc_fd));
	rc = vrrp_ifwatch_new(event, on_ifs_changed, v, &v->ifw);
	if (rc < 0) {
		log_warn("no rtnetlink socket for interface changes: %s", strerror(-rc));
		v->ifw = NULL;
	}
	rc = vrrp_routewatch_new(event, on_route_deleted, v, &v->rtw);
	if (rc < 0) {
		log_warn("no rtnetlink socket for route changes: %s", strerror(-rc));
		v->rtw = NULL;
	}
	rc = script_runner_new(event, &v->scripts);
	if (rc < 0) {
		vrrp_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

void vrrp_free(struct vrrp *v)
{
	if (!v)
		return;
	while (v->instances) {
		struct vrrp_instance *i = v->instances;

		v->instances = i->next;
		vrrp_instance_free(i);
	}
	while (v->syncs) {
		struct vrrp_sync *s = v->syncs;

		v->syncs = s->next;
		vrrp_sync_free(s);
	}
	vrrp_tracker_free(v->tracker);
	sd_event_source_disable_unref(v->startup_delay);
	vrrp_block_free(v->block);
	vrrp_fifos_close(&v->fifos);
	vrrp_vmac_sys_clear(&v->vmac_sys);
	vrrp_ifwatch_free(v->ifw);
	vrrp_routewatch_free(v->rtw);
	script_runner_free(v->scripts);
	vrrp_addr_close(v->nl);
	if (v->garp_fd >= 0)
		close(v->garp_fd);
	if (v->ndisc_fd >= 0)
		close(v->ndisc_fd);
	sd_event_unref(v->event);
	free(v);
}

struct vrrp_instance *vrrp_instance_by_name(struct vrrp *v, const char *name)
{
	for (struct vrrp_instance *i = v->instances; i; i = i->next)
		if (strcmp(i->conf->name, name) == 0)
			return i;
	return NULL;
}

/* AH needs libcrypto, loaded now if an instance uses it: its absence is
 * said once per configuration, not at each advert that cannot be sent. */
static void ah_check(const struct vigil_config *next)
{
	char why[256];

	for (const struct vrrp_instance_conf *c = next->vrrp.instances; c; c = c->next)
		if (c->auth_type == VRRP_AUTH_AH && vrrp_ah_available(why, sizeof(why)) < 0)
			log_err("(%s) authentication AH: %s: no advert can be sent or accepted",
				c->name, why);
}

/* Instances of @next that run already with a compatible configuration,
 * in @next's order; the others are stopped and freed. */
static struct vrrp_instance *keep_compatible(struct vrrp *v, const struct vigil_config *next,
					     unsigned *kept, unsigned *stopped)
{
	struct vrrp_instance *keep = NULL, **tail = &keep;

	for (const struct vrrp_instance_conf *c = next->vrrp.instances; c; c = c->next) {
		for (struct vrrp_instance **pp = &v->instances; *pp; pp = &(*pp)->next) {
			struct vrrp_instance *i = *pp;

			if (strcmp(i->conf->name, c->name))
				continue;
			*pp = i->next;
			if (!vrrp_conf_compatible(i->conf, c)) {
				enum vrrp_state was = vrrp_instance_state(i);

				log_info("(%s) its VRID, interface, family or addressing changed: "
					 "restarting it", c->name);
				vrrp_instance_shutdown(i);
				if (!vrrp_conf_same_router(i->conf, c))
					vrrp_instance_notify_deleted(i, was);
				vrrp_instance_free(i);
				(*stopped)++;
				break;
			}
			i->next = NULL;
			*tail = i;
			tail = &i->next;
			(*kept)++;
			break;
		}
	}
	/* What is left is gone from the configuration. */
	while (v->instances) {
		struct vrrp_instance *i = v->instances;

		v->instances = i->next;
		enum vrrp_state was = vrrp_instance_state(i);

		log_info("(%s) removed from the configuration: stopping it", i->conf->name);
		vrrp_instance_shutdown(i);
		vrrp_instance_notify_deleted(i, was);
		vrrp_instance_free(i);
		(*stopped)++;
	}
	return keep;
}

static struct vrrp_instance *find_in(struct vrrp_instance *list, const char *name)
{
	for (; list; list = list->next)
		if (strcmp(list->conf->name, name) == 0)
			return list;
	return NULL;
}

/* --- tracking ------------------------------------------------------------ */

static void track_apply(struct vrrp *v, struct vrrp_instance *inst)
{
	struct vrrp_prio_result r = vrrp_tracker_eval(v->tracker, inst->conf);

	vrrp_instance_set_tracking(inst, r.offset, r.fault, r.n_unknown > 0);
}

static void on_track_changed(void *owner, enum vrrp_track_kind kind, const char *name)
{
	struct vrrp *v = owner;

	for (struct vrrp_instance *i = v->instances; i; i = i->next)
		if (vrrp_tracker_tracks(v->tracker, i->conf, kind, name))
			track_apply(v, i);
}

static const struct vrrp_tracker_ops track_ops = {.changed = on_track_changed};

/* --- sync groups ---------------------------------------------------------- */

static struct vrrp_sync *sync_by_name(struct vrrp_sync *list, const char *name)
{
	for (; list; list = list->next)
		if (!strcmp(list->conf->name, name))
			return list;
	return NULL;
}

/* @next's groups, each keeping the state of its namesake in v->syncs. */
static int syncs_new(struct vrrp *v, const struct vigil_config *next, struct vrrp_sync **out)
{
	struct vrrp_sync *list = NULL, **tail = &list;

	for (const struct vrrp_sync_group_conf *g = next->vrrp.sync_groups; g; g = g->next) {
		struct vrrp_sync *s = vrrp_sync_new(v, g, sync_by_name(v->syncs, g->name));

		if (!s) {
			while (list) {
				s = list;
				list = s->next;
				vrrp_sync_free(s);
			}
			return -ENOMEM;
		}
		*tail = s;
		tail = &s->next;
	}
	*out = list;
	return 0;
}

static void syncs_link(struct vrrp *v)
{
	for (struct vrrp_sync *s = v->syncs; s; s = s->next)
		for (const struct vrrp_name_ref *m = s->conf->members; m; m = m->next) {
			struct vrrp_instance *i = find_in(v->instances, m->name);

			if (i && !i->sync)
				vrrp_sync_add(s, i);
		}
}

/* --- no_accept ------------------------------------------------------------ */

static void block_settings(const struct global_conf *g, struct vrrp_block_settings *s)
{
	s->table = g->nftables_table ? g->nftables_table : VRRP_BLOCK_TABLE;
	s->priority = g->nftables_priority;
	s->counters = g->nftables_counters;
	s->set4 = g->vrrp_ipset4 ? g->vrrp_ipset4 : VRRP_BLOCK_SET4;
	s->set6 = g->vrrp_ipset6 ? g->vrrp_ipset6 : VRRP_BLOCK_SET6;
	s->set_if6 = g->vrrp_ipset_if6 ? g->vrrp_ipset_if6 : VRRP_BLOCK_SET_IF6;
}

/* A previous run killed while master left its VIPs in the sets; those of
 * blocking instances of @next are theirs to keep or drop as they start
 * (a master adopted stays blocked), the rest no longer has an owner. */
static void block_prune(struct vrrp *v, const struct vigil_config *next)
{
	struct vrrp_block_member *m;
	size_t n, pruned = 0;
	int rc = vrrp_block_members(v->block, &m, &n);

	if (rc < 0) {
		log_warn("no_accept: cannot list the ipsets: %s", strerror(-rc));
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!vrrp_conf_blocks_addr(next->vrrp.instances, &m[i].addr) &&
		    vrrp_block_del(v->block, &m[i].addr, m[i].ifname) == 0)
			pruned++;
	if (pruned)
		log_info("no_accept: unblocked %zu address%s a previous run left in the ipsets",
			 pruned, pruned == 1 ? "" : "es");
	free(m);
}

/* Open the block set when an instance of @next first needs it, or rebuild
 * its tables when their settings changed. It stays until the daemon stops
 * (keepalived's tables too). Failing leaves the instances running without
 * it, as keepalived does; each one says so when it becomes master. */
static void block_apply(struct vrrp *v, const struct vigil_config *prev,
			const struct vigil_config *next)
{
	struct vrrp_block_settings s, was;
	char why[256];
	int rc;

	if (!v->block && !vrrp_conf_any_blocks(next->vrrp.instances))
		return;
	block_settings(&next->global, &s);
	if (!v->block) {
		rc = vrrp_block_open(&s, &v->block, why, sizeof(why));
		if (rc < 0) {
			v->block = NULL;
			log_err("no_accept: cannot set up the nftables table %s and the ipsets "
				"%s, %s: %s; VIPs of no_accept masters will accept traffic",
				s.table, s.set4, s.set6, why);
		} else {
			log_info("no_accept: VIPs blocked through ipsets %s, %s and nftables "
				 "tables ip/ip6 %s", s.set4, s.set6, s.table);
			block_prune(v, next);
		}
		return;
	}
	if (!prev)
		return;
	block_settings(&prev->global, &was);
	/* The sets hold what is blocked now: renaming them would open a gap. */
	if (strcmp(was.set4, s.set4) || strcmp(was.set6, s.set6) ||
	    strcmp(was.set_if6, s.set_if6))
		log_warn("no_accept: vrrp_ipsets %s %s %s takes effect at the next start (the "
			 "VIPs stay in %s, %s, %s)",
			 s.set4, s.set6, s.set_if6, was.set4, was.set6, was.set_if6);
	if (!strcmp(was.table, s.table) && was.priority == s.priority &&
	    was.counters == s.counters)
		return;
	rc = vrrp_block_update(v->block, &s, why, sizeof(why));
	if (rc < 0)
		log_err("no_accept: cannot rebuild the nftables table %s: %s", s.table, why);
}

/* --- a configuration generation ------------------------------------------- */

static unsigned start_instances(struct vrrp *v)
{
	unsigned started = 0;

	for (struct vrrp_instance *i = v->instances; i; i = i->next)
		if (!i->started) {
			vrrp_instance_start(i);
			started++;
		}
	return started;
}

static int on_startup_delay(sd_event_source *s, uint64_t usec, void *data)
{
	struct vrrp *v = data;

	(void)usec;
	sd_event_source_set_enabled(s, SD_EVENT_OFF);
	log_info("vrrp_startup_delay over: starting %u VRRP instance(s)", start_instances(v));
	return 0;
}

/* keepalived's vrrp_startup_delay: after the process starts, no instance
 * opens a socket, sends, listens or touches an address until the delay has
 * passed. Reloads meanwhile only change what will start. Returns true while
 * the delay runs. */
static bool startup_delayed(struct vrrp *v, const struct vigil_config *next)
{
	uint64_t delay = next->global.vrrp_startup_delay_us;
	int enabled = SD_EVENT_OFF;

	if (!v->configured) {
		v->configured = true;
		if (delay && sd_event_add_time_relative(v->event, &v->startup_delay, CLOCK_MONOTONIC,
							delay, 1000, on_startup_delay, v) >= 0)
			log_info("vrrp_startup_delay: instances start in %.3f s", delay / 1e6);
	}
	if (!v->startup_delay)
		return false;
	return sd_event_source_get_enabled(v->startup_delay, &enabled) >= 0 &&
	       enabled != SD_EVENT_OFF;
}

/* fifo_write_vrrp_states_on_reload, as keepalived 2.2.7's
 * vrrp_init_state() after a reload (for readers that open the FIFO again):
 * the line of every group the reload left in its state, then of every
 * instance it kept in BACKUP or FAULT; not of a kept master (keepalived
 * takes another path for those), nor of what changed (notified already). */
static void fifo_states_on_reload(struct vrrp *v)
{
	for (const struct vrrp_sync *s = v->syncs; s; s = s->next)
		if (s->reload_from != VRRP_STATE_INIT && s->state == s->reload_from)
			vrrp_fifos_write(&v->fifos, true, s->conf->name, vrrp_state_name(s->state),
					 0);
	for (const struct vrrp_instance *i = v->instances; i; i = i->next) {
		enum vrrp_state st = vrrp_instance_state(i);

		if ((st == VRRP_STATE_BACKUP || st == VRRP_STATE_FAULT) && st == i->reload_from)
			vrrp_fifos_write(&v->fifos, false, i->conf->name, vrrp_state_name(st),
					 i->params.priority);
	}
}

int vrrp_apply(struct vrrp *v, const struct vigil_config *prev, const struct vigil_config *next,
	       char *text, size_t len)
{
	struct vrrp_instance *kept_list, *list = NULL, **tail = &list;
	struct vrrp_tracker *tracker;
	struct vrrp_sync *syncs;
	unsigned kept = 0, stopped = 0, started = 0, fault = 0;
	int rc;

	/* Each instance holds its own part of @prev; the block set compares
	 * the global settings. */
	/* What can fail comes first, so that a failure changes nothing. */
	rc = vrrp_tracker_new(v->event, v->scripts, v->ifw, next, v->tracker, &track_ops, v,
			      &tracker);
	if (rc < 0) {
		snprintf(text, len, "cannot set up tracking: %s", strerror(-rc));
		return rc;
	}
	rc = syncs_new(v, next, &syncs);
	if (rc < 0) {
		vrrp_tracker_free(tracker);
		snprintf(text, len, "cannot set up sync groups: %s", strerror(-rc));
		return rc;
	}
	/* Groups are rebuilt: nobody belongs to an old one any more. */
	for (struct vrrp_instance *i = v->instances; i; i = i->next)
		i->sync = NULL;
	ah_check(next);
	kept_list = keep_compatible(v, next, &kept, &stopped);
	/* Before any instance of @next adds a VIP. */
	block_apply(v, prev, next);
	v->global = &next->global;
	/* keepalived sets its static entries before any instance runs. */
	vrrp_static_apply(&v->statics, v->nl, next);
	vrrp_fifos_apply(&v->fifos, v->global, v->scripts);
	/* Rebuild the list in @next's order: kept ones take their new
	 * configuration in place, new ones are created (and started below,
	 * once tracking has told them where to start). */
	for (const struct vrrp_instance_conf *c = next->vrrp.instances; c; c = c->next) {
		struct vrrp_instance *i = find_in(kept_list, c->name);

		if (i) {
			for (struct vrrp_instance **pp = &kept_list; *pp; pp = &(*pp)->next)
				if (*pp == i) {
					*pp = i->next;
					break;
				}
			i->next = NULL;
			i->reload_from = vrrp_instance_state(i);
			vrrp_instance_reconfigure(i, c);
		} else {
			i = vrrp_instance_new(v, c);
			if (!i) {
				log_err("(%s) out of memory: not started", c->name);
				continue;
			}
		}
		*tail = i;
		tail = &i->next;
	}
	v->instances = list;
	while (v->syncs) {
		struct vrrp_sync *s = v->syncs;

		v->syncs = s->next;
		vrrp_sync_free(s);
	}
	v->syncs = syncs;
	syncs_link(v);
	vrrp_tracker_free(v->tracker); /* after new(): script states carried over */
	v->tracker = tracker;
	for (struct vrrp_instance *i = v->instances; i; i = i->next)
		track_apply(v, i);
	if (!startup_delayed(v, next)) {
		started = start_instances(v);
		for (struct vrrp_sync *s = v->syncs; s; s = s->next)
			vrrp_sync_applied(s);
		if (prev && next->global.fifo_write_vrrp_states_on_reload)
			fifo_states_on_reload(v);
	}
	for (struct vrrp_instance *i = v->instances; i; i = i->next)
		fault += vrrp_instance_state(i) == VRRP_STATE_FAULT;
	snprintf(text, len, "%u VRRP instance%s (%u kept, %u started, %u stopped, %u in FAULT)",
		 next->vrrp.n_instances, next->vrrp.n_instances == 1 ? "" : "s", kept, started,
		 stopped, fault);
	log_info("applied configuration: %s", text);
	return 0;
}

void vrrp_shutdown(struct vrrp *v)
{
	/* Tracking first: its scripts are killed and nothing re-evaluates
	 * an instance while it stops. */
	vrrp_tracker_free(v->tracker);
	v->tracker = NULL;
	for (struct vrrp_instance *i = v->instances; i; i = i->next) {
		i->sync = NULL; /* stopping together is not syncing */
		vrrp_instance_shutdown(i);
	}
	/* keepalived's stop_vrrp(): after the instances, the static entries. */
	vrrp_static_remove(&v->statics, v->nl);
	/* keepalived's notify_shutdown(): every instance, then every group. */
	for (struct vrrp_instance *i = v->instances; i; i = i->next)
		vrrp_instance_notify_stop(i);
	for (struct vrrp_sync *s = v->syncs; s; s = s->next)
		vrrp_sync_notify_stop(s);
	if (script_runner_wait(v->scripts, STOP_SCRIPTS_WAIT_US))
		log_warn("notify scripts still running %u ms after stopping: killing them",
			 STOP_SCRIPTS_WAIT_US / 1000);
	/* Every VIP is gone: nothing left to protect. */
	if (v->block) {
		int rc = vrrp_block_remove(v->block);

		v->block = NULL;
		if (rc < 0)
			log_warn("no_accept: removing the nftables tables and ipsets: %s",
				 strerror(-rc));
	}
}
