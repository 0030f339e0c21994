/* One running vrrp_instance (vrrp/instance.h): its life cycle and the fsm
 * on the event loop, and the verdicts that move it (setup, tracking, its
 * sync group, a reload). Its adverts are in instance_advert.c, its VIPs
 * and virtual routes in instance_vips.c. */
#include "build-config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/log.h"
#include "vrrp/instance_internal.h"
#include "vrrp/link.h"
#include "vrrp/sync.h"
#include "vrrp/vrrp_internal.h"

#define SETUP_RETRY_US 1000000u    /* interface or socket missing: retry every 1 s */

static bool adverts_on_vmac(const struct vrrp_instance_conf *c)
{
	return c->use_vmac && !c->vmac_xmit_base && !c->peers;
}

const char *vrrp_instance_advert_if(const struct vrrp_instance *inst)
{
	return adverts_on_vmac(inst->conf) && inst->vmac.ifindex ? inst->vmac.name
								 : inst->conf->interface;
}

const char *vrrp_instance_name(const struct vrrp_instance *inst)
{
	return inst->conf->name;
}

enum vrrp_state vrrp_instance_state(const struct vrrp_instance *inst)
{
	return inst->fsm.state;
}

uint8_t vrrp_instance_priority(const struct vrrp_instance *inst)
{
	return inst->params.priority;
}

/* keepalived's rule: an address owner keeps 255 whatever the tracking says;
 * anyone else stays within 1..254. */
uint8_t vrrp_instance_effective_priority(const struct vrrp_instance *inst)
{
	int p = inst->conf->priority;

	if (p == VRRP_PRIO_OWNER) /* 254 while another owner holds on (owner.h) */
		return inst->owner.reduced ? VRRP_PRIO_OWNER - 1 : VRRP_PRIO_OWNER;
	p += inst->priority_offset;
	return (uint8_t)(p < 1 ? 1 : p > 254 ? 254 : p);
}

bool vrrp_instance_own_fault(const struct vrrp_instance *inst)
{
	return inst->fault_setup || inst->fault_tracked;
}

bool vrrp_instance_own_hold(const struct vrrp_instance *inst)
{
	return inst->hold_tracked;
}

bool vrrp_instance_wants_master(const struct vrrp_instance *inst)
{
	return inst->fsm.want_master;
}

/* keepalived: one member in FAULT puts its whole sync group in FAULT, and
 * one member waiting for its scripts holds the whole group in INIT. */
static bool effective_fault(const struct vrrp_instance *inst)
{
	return inst->sync ? vrrp_sync_fault(inst->sync) : vrrp_instance_own_fault(inst);
}

static bool effective_hold(const struct vrrp_instance *inst)
{
	return inst->sync ? vrrp_sync_hold(inst->sync) : vrrp_instance_own_hold(inst);
}

static void fill_params(struct vrrp_instance *inst)
{
	const struct vrrp_instance_conf *c = inst->conf;
	struct vrrp_fsm_params *p = &inst->params;

	p->version = (uint8_t)c->version;
	p->priority = vrrp_instance_effective_priority(inst);
	p->advert_int_cs = (uint16_t)(c->advert_int_us / CS_US);
	p->preempt = !c->nopreempt;
	p->preempt_delay_us = c->preempt_delay_us;
	p->start_master = c->state == VRRP_INIT_MASTER;
	p->primary = inst->src;
	p->hold = effective_hold(inst);
	p->sync_member = inst->sync != NULL;
	p->lower_prio_no_advert = c->lower_prio_no_advert;
	/* A quarter interval: no gap between adverts exceeds the interval,
	 * and a master never sends more than 4/3 as often. */
	p->advert_early_us = c->advert_int_us / 4;
}

/* The addresses our adverts list: the VIPs of the instance's family
 * (RFC 9568 §5.2.9), never the excluded ones. */
static int build_adv_vips(struct vrrp_instance *inst)
{
	const struct vrrp_instance_conf *c = inst->conf;
	struct vaddr *v = NULL;
	unsigned n = 0;

	if (c->vips.n) {
		v = calloc(c->vips.n, sizeof(*v));
		if (!v)
			return -ENOMEM;
	}
	for (const struct vrrp_addr_conf *a = c->vips.first; a && n < VRRP_MAX_ADDRS; a = a->next)
		if (a->addr.family == c->family)
			v[n++] = a->addr;
	free(inst->adv_vips);
	inst->adv_vips = v;
	inst->n_adv_vips = n;
	return 0;
}

struct vrrp_instance *vrrp_instance_new(struct vrrp *v, const struct vrrp_instance_conf *conf)
{
	struct vrrp_instance *inst = calloc(1, sizeof(*inst));

	if (!inst)
		return NULL;
	inst->v = v;
	inst->conf = conf;
	vrrp_fsm_init(&inst->fsm);
	if (build_adv_vips(inst) < 0) {
		free(inst);
		return NULL;
	}
	fill_params(inst);
	vrrp_notify_prepare(&inst->notify, &conf->notify, conf->name,
			    v->global && v->global->enable_script_security);
	return inst;
}

void vrrp_instance_free(struct vrrp_instance *inst)
{
	if (!inst)
		return;
	vrrp_link_detach(inst->v, inst);
	vrrp_vmac_forget(&inst->v->vmac_sys, &inst->vmac);
	vrrp_announce_free(&inst->announce);
	vrrp_vipwatch_free(&inst->vipwatch);
	sd_event_source_disable_unref(inst->timer);
	sd_event_source_disable_unref(inst->retry);
	vrrp_notify_clear(&inst->notify);
	free(inst->adv_vips);
	free(inst);
}

/* --- the fsm on the event loop ---------------------------------------- */

static void report_state(struct vrrp_instance *inst, enum vrrp_state prev, const char *why)
{
	enum vrrp_state s = inst->fsm.state;

	if (s == VRRP_STATE_MASTER)
		inst->counters.became_master++;
	log_info("(%s) %s -> %s%s%s (priority %u)", inst->conf->name, vrrp_state_name(prev),
		 vrrp_state_name(s), why ? ": " : "", why ? why : "", inst->params.priority);
	if (inst->v->hooks.state_changed)
		inst->v->hooks.state_changed(inst->v->hooks.data, inst, s);
	if (s != VRRP_STATE_INIT) {
		vrrp_notify_run(inst->v->scripts, &inst->notify, false, inst->conf->name,
				vrrp_state_name(s), inst->params.priority);
		vrrp_fifos_write(&inst->v->fifos, false, inst->conf->name, vrrp_state_name(s),
				 inst->params.priority);
	}
	if (inst->sync)
		vrrp_sync_member_changed(inst->sync, inst, prev);
}

/* Carry out what the fsm returned, in the order instance.h describes. */
void vrrp_instance_run_actions(struct vrrp_instance *inst, unsigned acts, enum vrrp_state prev,
			       const char *why)
{
	if (acts & VRRP_ACT_SEND_PRIO0)
		vrrp_instance_send_advert(inst, 0);
	if (acts & VRRP_ACT_SEND_ADVERT)
		vrrp_instance_send_advert(inst, inst->params.priority);
	if (acts & VRRP_ACT_ADD_VIPS) {
		vrrp_instance_vips_set(inst, true);
		vrrp_announce_begin(inst);
	}
	if (acts & VRRP_ACT_DEL_VIPS) {
		vrrp_announce_end(inst);
		vrrp_instance_vips_set(inst, false);
	}
	if (acts & VRRP_ACT_STATE)
		report_state(inst, prev, why);
	if (acts & VRRP_ACT_RX_LOWER) {
		vrrp_announce_lower_prio(inst);
		vrrp_notify_run_rx_lower(inst->v->scripts, &inst->notify, inst->conf->name);
		vrrp_fifos_write(&inst->v->fifos, false, inst->conf->name, "MASTER_RX_LOWER_PRI",
				 inst->params.priority);
	}
	if ((acts & VRRP_ACT_WANT_MASTER) && inst->sync)
		vrrp_sync_want_master(inst->sync, inst);
}

/* Arm the instance's timer for the fsm's next deadline. Two shortcuts keep
 * hundreds of instances at centisecond intervals cheap:
 * - a backup resets its Master_Down_Timer with every advert; moving the
 *   timer each time re-programs the kernel timer for nearly every packet
 *   (the instance that just heard its master is usually the one whose
 *   deadline was the earliest). Instead the timer stays where it is when
 *   the deadline only moved later: it fires early, the fsm finds nothing
 *   due, and it is re-armed then, exactly, for the deadline of that time.
 * - a master's advert timer may fire up to advert_early_us early
 *   (fill_params()), so sd-event wakes once for every advert due in that
 *   window: instances with one interval fall into step and send together. */
void vrrp_instance_rearm(struct vrrp_instance *inst)
{
	uint64_t at = vrrp_fsm_next_deadline(&inst->fsm);
	uint64_t accuracy = 1;

	if (!inst->timer)
		return;
	if (!at) {
		sd_event_source_set_enabled(inst->timer, SD_EVENT_OFF);
		inst->timer_at = 0;
		return;
	}
	if (inst->fsm.state == VRRP_STATE_MASTER && at == inst->fsm.adver_at &&
	    inst->params.advert_early_us && at > inst->params.advert_early_us) {
		accuracy = inst->params.advert_early_us;
		at -= accuracy;
	} else if (inst->fsm.state == VRRP_STATE_BACKUP && inst->timer_at &&
		   inst->timer_at <= at) {
		return;
	}
	sd_event_source_set_time(inst->timer, at);
	sd_event_source_set_time_accuracy(inst->timer, accuracy);
	sd_event_source_set_enabled(inst->timer, SD_EVENT_ONESHOT);
	inst->timer_at = at;
}

void vrrp_instance_step(struct vrrp_instance *inst, const struct vrrp_event *ev, const char *why)
{
	enum vrrp_state prev = inst->fsm.state;
	unsigned acts = vrrp_fsm_step(&inst->fsm, &inst->params, ev, vrrp_now_us());

	vrrp_instance_run_actions(inst, acts, prev, why);
	vrrp_instance_rearm(inst);
}

static int on_timer(sd_event_source *s, uint64_t usec, void *data)
{
	struct vrrp_instance *inst = data;
	const struct vrrp_event ev = {.type = VRRP_EV_TIMER};

	(void)s;
	(void)usec;
	/* Master_Down_Timer: the other address owner is gone. */
	if (inst->fsm.state == VRRP_STATE_BACKUP && vrrp_owner_restore(&inst->owner)) {
		log_info("(%s) the other address owner is gone: priority 255 again", inst->conf->name);
		inst->params.priority = vrrp_instance_effective_priority(inst);
	}
	inst->timer_at = 0; /* a oneshot source is off once it fired */
	if (inst->fsm.state == VRRP_STATE_BACKUP && inst->link &&
	    vrrp_fsm_next_deadline(&inst->fsm) <= vrrp_now_us())
		vrrp_link_poll(inst->link); /* adverts already here count */
	vrrp_instance_step(inst, &ev,
			   inst->fsm.state == VRRP_STATE_BACKUP ? "master down timer expired" : NULL);
	return 0;
}

/* --- setup, start, stop ----------------------------------------------- */

static int vmac_up(struct vrrp_instance *inst)
{
	const struct vrrp_instance_conf *c = inst->conf;
	bool fresh = !inst->vmac.ifindex;
	int rc;

	rc = vrrp_vmac_up(inst->v->nl, &inst->v->vmac_sys, c,
			  inst->v->global ? inst->v->global->vmac_prefix : NULL, adverts_on_vmac(c),
			  &inst->vmac);
	if (rc == 0 && fresh)
		log_info("(%s) VMAC interface %s on %s (ifindex %u)", c->name, inst->vmac.name,
			 c->interface, inst->vmac.ifindex);
	return rc;
}

/* The interface our socket should be bound to now (0: none). */
static unsigned advert_ifindex(const struct vrrp_instance *inst)
{
	const char *ifname = vrrp_instance_advert_if(inst);

	return ifname ? if_nametoindex(ifname) : 0;
}

static int setup(struct vrrp_instance *inst)
{
	const struct vrrp_instance_conf *c = inst->conf;
	int rc;

	if (c->interface) {
		inst->ifindex = if_nametoindex(c->interface);
		if (!inst->ifindex)
			return -ENODEV;
	}
	if (c->use_vmac) {
		rc = vmac_up(inst);
		if (rc < 0)
			return rc;
	}
	/* Re-created with another ifindex: its socket is bound to the old
	 * one and the group membership went with it. */
	if (inst->link && vrrp_link_ifindex(inst->link) != advert_ifindex(inst))
		vrrp_link_detach(inst->v, inst);
	if (!inst->link) {
		rc = vrrp_link_attach(inst->v, inst);
		if (rc < 0)
			return rc;
	}
	if (!inst->timer) {
		rc = sd_event_add_time(inst->v->event, &inst->timer, CLOCK_MONOTONIC, 0, 1, on_timer,
				       inst);
		if (rc < 0)
			return rc;
		sd_event_source_set_enabled(inst->timer, SD_EVENT_OFF);
	}
	/* keepalived: no usable address to send from is a FAULT, left
	 * when one appears (or finishes DAD). */
	return vrrp_instance_resolve_src(inst);
}

static void begin(struct vrrp_instance *inst, const char *why)
{
	const struct vrrp_event ev = {.type = VRRP_EV_STARTUP};

	fill_params(inst);
	/* A previous run killed while master may have left our VIPs behind;
	 * as a backup we must not hold them. */
	if (inst->params.priority != VRRP_PRIO_OWNER && !inst->params.start_master)
		vrrp_instance_vips_set(inst, false);
	vrrp_instance_step(inst, &ev, why);
}

/* Bring the state in line with the verdict: FAULT while the instance or a
 * member of its sync group is faulty; out of FAULT (to INIT when held,
 * else BACKUP, or MASTER for an owner) when none is; out of INIT once no
 * script holds it. */
void vrrp_instance_update(struct vrrp_instance *inst, const char *why)
{
	const struct vrrp_event fault = {.type = VRRP_EV_FAULT};
	const struct vrrp_event clear = {.type = VRRP_EV_FAULT_CLEAR};

	if (!inst->started)
		return;
	fill_params(inst);
	if (effective_fault(inst)) {
		if (inst->fsm.state != VRRP_STATE_FAULT)
			vrrp_instance_step(inst, &fault, why);
		return;
	}
	if (inst->fsm.state == VRRP_STATE_FAULT)
		vrrp_instance_step(inst, &clear, why);
	else if (inst->fsm.state == VRRP_STATE_INIT && !inst->params.hold)
		begin(inst, why);
}

/* The instance's own verdict changed: its sync group decides for all. */
static void changed(struct vrrp_instance *inst, const char *why)
{
	if (inst->sync)
		vrrp_sync_refresh(inst->sync, why);
	else
		vrrp_instance_update(inst, why);
}

static int on_retry(sd_event_source *s, uint64_t usec, void *data)
{
	struct vrrp_instance *inst = data;

	(void)usec;
	if (setup(inst) < 0) {
		sd_event_source_set_time_relative(s, SETUP_RETRY_US);
		sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
		return 0;
	}
	log_info("(%s) interface %s is usable now", inst->conf->name,
		 inst->conf->interface ? inst->conf->interface : "-");
	inst->fault_setup = false;
	sd_event_source_set_enabled(s, SD_EVENT_OFF);
	changed(inst, "interface usable");
	return 0;
}

void vrrp_instance_setup_failed(struct vrrp_instance *inst, int rc)
{
	const char *ifname = inst->conf->interface ? inst->conf->interface : "-";
	char why[128], buf[VADDR_STRLEN];

	inst->fault_setup = true;
	if (rc == -EADDRNOTAVAIL && inst->conf->src_addr.family)
		snprintf(why, sizeof(why), "source address %s is not usable on this host",
			 vaddr_format(&inst->conf->src_addr, buf, sizeof(buf)));
	else if (rc == -EADDRNOTAVAIL)
		snprintf(why, sizeof(why), "no usable IPv%c address on %s to send from",
			 inst->conf->family == AF_INET6 ? '6' : '4', ifname);
	else
		snprintf(why, sizeof(why), "cannot use interface %s: %s", ifname, strerror(-rc));
	changed(inst, why);
	if (!inst->retry &&
	    sd_event_add_time_relative(inst->v->event, &inst->retry, CLOCK_MONOTONIC,
				       SETUP_RETRY_US, 0, on_retry, inst) < 0)
		log_err("(%s) cannot schedule a retry", inst->conf->name);
	else if (inst->retry)
		sd_event_source_set_enabled(inst->retry, SD_EVENT_ONESHOT);
}

void vrrp_instance_retry_now(struct vrrp_instance *inst)
{
	if (!inst->retry)
		return;
	sd_event_source_set_time(inst->retry, vrrp_now_us());
	sd_event_source_set_enabled(inst->retry, SD_EVENT_ONESHOT);
}

void vrrp_instance_start(struct vrrp_instance *inst)
{
	int rc;

	inst->started = true;
	rc = setup(inst);
	if (rc < 0) {
		vrrp_instance_setup_failed(inst, rc);
		return;
	}
	changed(inst, inst->hold_tracked ? "waiting for track scripts" : "starting");
}

void vrrp_instance_shutdown(struct vrrp_instance *inst)
{
	const struct vrrp_event ev = {.type = VRRP_EV_SHUTDOWN};

	vrrp_instance_step(inst, &ev, "stopping");
	if (inst->vips_installed)
		vrrp_instance_vips_set(inst, false);
	vrrp_announce_end(inst);
	if (inst->retry)
		sd_event_source_set_enabled(inst->retry, SD_EVENT_OFF);
	vrrp_link_detach(inst->v, inst);
	/* keepalived deletes its VMAC interfaces when it stops (a child that
	 * dies leaves them, with the VIPs, to its successor). */
	vrrp_vmac_down(inst->v->nl, &inst->v->vmac_sys, &inst->vmac);
	inst->started = false;
}

void vrrp_instance_notify_stop(struct vrrp_instance *inst)
{
	vrrp_notify_run(inst->v->scripts, &inst->notify, false, inst->conf->name, "STOP",
			inst->params.priority);
	vrrp_fifos_write(&inst->v->fifos, false, inst->conf->name, "STOP", inst->params.priority);
}

void vrrp_instance_notify_deleted(struct vrrp_instance *inst, enum vrrp_state was)
{
	const char *state = inst->conf->notify_deleted ? "DELETED" : "FAULT";

	if (!inst->conf->notify_deleted && was == VRRP_STATE_FAULT)
		return;
	vrrp_notify_run_deleted(inst->v->scripts, &inst->notify, inst->conf->name, state,
				inst->params.priority);
	vrrp_fifos_write(&inst->v->fifos, false, inst->conf->name, state, inst->params.priority);
}

/* --- reload and tracking ---------------------------------------------- */

void vrrp_instance_reconfigure(struct vrrp_instance *inst, const struct vrrp_instance_conf *next)
{
	struct vrrp_fsm_params before = inst->params;

	/* Both hold pointers into @old. */
	vrrp_announce_reconfigure(inst, next);
	vrrp_vipwatch_clear(&inst->vipwatch);
	vrrp_instance_vips_reconfigure(inst, next);
	inst->conf = next;
	vrrp_notify_clear(&inst->notify);
	vrrp_notify_prepare(&inst->notify, &next->notify, next->name,
			    inst->v->global && inst->v->global->enable_script_security);
	if (build_adv_vips(inst) < 0)
		log_err("(%s) out of memory for the advert address list", next->name);
	fill_params(inst);
	if (before.priority != inst->params.priority ||
	    before.advert_int_cs != inst->params.advert_int_cs ||
	    before.preempt != inst->params.preempt) {
		const struct vrrp_event ev = {.type = VRRP_EV_PRIORITY};

		vrrp_instance_step(inst, &ev, "reconfigured");
	}
}

void vrrp_instance_set_priority_offset(struct vrrp_instance *inst, int delta)
{
	const struct vrrp_event ev = {.type = VRRP_EV_PRIORITY};
	uint8_t before = inst->params.priority;

	inst->priority_offset = delta;
	inst->params.priority = vrrp_instance_effective_priority(inst);
	if (inst->params.priority == before || !inst->started)
		return;
	vrrp_instance_step(inst, &ev, "priority changed");
	if (inst->conf->notify_priority_changes &&
	    (inst->fsm.state == VRRP_STATE_MASTER || inst->fsm.state == VRRP_STATE_BACKUP))
		vrrp_fifos_write(&inst->v->fifos, false, inst->conf->name,
				 inst->fsm.state == VRRP_STATE_MASTER ? "MASTER_PRIORITY"
								     : "BACKUP_PRIORITY",
				 inst->params.priority);
}

void vrrp_instance_set_fault(struct vrrp_instance *inst, bool fault)
{
	if (inst->fault_tracked == fault)
		return;
	inst->fault_tracked = fault;
	changed(inst, fault ? "tracking reports a fault" : "tracking fault cleared");
}

void vrrp_instance_set_hold(struct vrrp_instance *inst, bool hold)
{
	if (inst->hold_tracked == hold)
		return;
	inst->hold_tracked = hold;
	changed(inst, hold ? "waiting for track scripts" : "track scripts reported");
}

void vrrp_instance_set_tracking(struct vrrp_instance *inst, int delta, bool fault, bool hold)
{
	const char *why;

	vrrp_instance_set_priority_offset(inst, delta);
	if (inst->fault_tracked == fault && inst->hold_tracked == hold)
		return;
	why = fault ? "tracking reports a fault"
	      : hold ? "waiting for track scripts"
	      : inst->fault_tracked ? "tracking fault cleared"
				    : "track scripts reported";
	inst->fault_tracked = fault;
	inst->hold_tracked = hold;
	changed(inst, why);
}

void vrrp_instance_sync_event(struct vrrp_instance *inst, enum vrrp_event_type type,
			      const char *why)
{
	const struct vrrp_event ev = {.type = type};

	fill_params(inst);
	vrrp_instance_step(inst, &ev, why);
}
