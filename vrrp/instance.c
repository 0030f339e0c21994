#include "build-config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/log.h"
#include "vrrp/addr.h"
#include "vrrp/ah.h"
#include "vrrp/block.h"
#include "vrrp/ifwatch.h"
#include "vrrp/instance.h"
#include "vrrp/link.h"
#include "vrrp/plan.h"
#include "vrrp/route.h"
#include "vrrp/socket.h"
#include "vrrp/sync.h"
#include "vrrp/vrrp_internal.h"

#define CS_US 10000u               /* microseconds per centisecond */
#define LOG_INTERVAL_US 10000000u  /* rate-limited logs: one per 10 s per cause */
#define SETUP_RETRY_US 1000000u    /* interface or socket missing: retry every 1 s */
#define TX_BUF_LEN (VRRP_IPV4_HDR_LEN + VRRP_AH_LEN + VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16 + \
		    VRRP_AUTH_LEN)

static const char *const drop_names[VRRP_DROP_COUNT] = {
	[VRRP_DROP_OWN] = "own advert",
	[VRRP_DROP_UNICAST_SRC] = "source is not a unicast_peer",
	[VRRP_DROP_WRONG_FAMILY] = "wrong address family",
	[VRRP_DROP_NOT_RUNNING] = "instance not running",
};

static bool adverts_on_vmac(const struct vrrp_instance_conf *c)
{
	return c->use_vmac && !c->vmac_xmit_base && !c->peers;
}

const char *vrrp_instance_advert_if(const struct vrrp_instance *inst)
{
	return adverts_on_vmac(inst->conf) && inst->vmac.ifindex ? inst->vmac.name
								 : inst->conf->interface;
}

const char *vrrp_instance_vip_dev(const struct vrrp_instance *inst, const struct vrrp_addr_conf *a)
{
	const struct vrrp_instance_conf *c = inst->conf;

	/* keepalived.conf(5), use_vmac: "the VIPs, and eVIPs of the matching
	 * address family, which do not specify a different interface". */
	if (c->use_vmac && inst->vmac.ifindex && a->addr.family == c->family &&
	    (!a->dev || (c->interface && !strcmp(a->dev, c->interface))))
		return inst->vmac.name;
	return vrrp_addr_dev(a, c->interface);
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
static uint8_t effective_priority(const struct vrrp_instance *inst)
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
	p->priority = effective_priority(inst);
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

/* --- sending ---------------------------------------------------------- */

static void tx_failed(struct vrrp_instance *inst, const struct vaddr *dst, const char *why)
{
	char buf[VADDR_STRLEN];
	uint64_t n;

	inst->counters.tx_errors++;
	if (vrrp_ratelimit_ok(&inst->rl_tx, vrrp_now_us(), LOG_INTERVAL_US, &n))
		log_warn("(%s) cannot send advert to %s: %s (%lu more not logged)", inst->conf->name,
			 dst ? vaddr_format(dst, buf, sizeof(buf)) : "-", why, (unsigned long)n);
}

/* Where our advert source may be: a configured one anywhere on the host,
 * the interface's own on the interface. */
static unsigned src_scope(const struct vrrp_instance *inst)
{
	return inst->conf->src_addr.family ? 0 : inst->ifindex;
}

/* unicast_src_ip / mcast_src_ip once it is on the host, else the
 * interface's primary address (vrrp/iftable.h): never a tentative or
 * DAD-failed one (keepalived 2.3.3). Without the interface watch, the
 * configured address is taken on trust and getifaddrs() picks. */
static int lookup_src(const struct vrrp_instance *inst, struct vaddr *out)
{
	const struct vrrp_instance_conf *c = inst->conf;
	const struct vrrp_iftable *t;

	if (!inst->v->ifw) {
		if (!c->src_addr.family)
			return vrrp_socket_primary_addr(c->interface, c->family, out);
		*out = c->src_addr;
		return 0;
	}
	t = vrrp_ifwatch_table(inst->v->ifw);
	if (!c->src_addr.family)
		return vrrp_iftable_primary(t, inst->ifindex, c->family, out);
	if (!vrrp_iftable_usable(t, 0, &c->src_addr))
		return -EADDRNOTAVAIL;
	*out = c->src_addr;
	return 0;
}

/* Our advert source, kept while it stays usable: another link-local
 * address appearing does not change it (keepalived 2.3.3). */
static int resolve_src(struct vrrp_instance *inst)
{
	if (inst->src.family)
		return 0;
	if (lookup_src(inst, &inst->src) < 0) {
		inst->src.family = 0;
		return -EADDRNOTAVAIL;
	}
	inst->params.primary = inst->src;
	return 0;
}

static bool src_still_usable(const struct vrrp_instance *inst)
{
	return inst->src.family &&
	       (!inst->v->ifw ||
		vrrp_iftable_usable(vrrp_ifwatch_table(inst->v->ifw), src_scope(inst), &inst->src));
}

static void send_to(struct vrrp_instance *inst, struct vrrp_pkt_params *p, const struct vaddr *dst)
{
	const struct vrrp_instance_conf *c = inst->conf;
	uint8_t buf[TX_BUF_LEN];
	size_t len;
	int ttl = c->peers && c->unicast_ttl >= 0 ? c->unicast_ttl : VRRP_TTL;
	bool ah = p->auth_type == VRRP_PKT_AUTH_AH;
	int rc;

	p->dst = *dst;
	if (ah) {
		const struct vrrp_ah_params ap = {
		    .ip_id = inst->ip_id, .ttl = (uint8_t)ttl, .seq = inst->ah_seq,
		    .unicast = c->peers != NULL};

		len = vrrp_ah_encode(p, &ap, buf, sizeof(buf));
	} else {
		len = vrrp_pkt_encode(p, buf, sizeof(buf));
	}
	if (!len) {
		tx_failed(inst, dst, "cannot encode");
		return;
	}
	rc = vrrp_socket_send(ah ? vrrp_link_ah_fd(inst->link) : vrrp_link_fd(inst->link),
			      vrrp_link_ifindex(inst->link), &inst->src, dst, ttl, buf, len);
	if (rc < 0) {
		if (rc == -EADDRNOTAVAIL || rc == -EINVAL)
			inst->src.family = c->src_addr.family ? inst->src.family : 0;
		tx_failed(inst, dst, strerror(-rc));
		return;
	}
	inst->counters.tx_adverts++;
	if (!p->priority)
		inst->counters.tx_prio0++;
}

static void send_advert(struct vrrp_instance *inst, uint8_t priority)
{
	const struct vrrp_instance_conf *c = inst->conf;
	struct vrrp_pkt_params p = {
	    .version = (uint8_t)c->version,
	    .vrid = c->vrid,
	    .priority = priority,
	    .advert_int_cs = inst->params.advert_int_cs,
	    .auth_type = (uint8_t)c->auth_type,
	    .auth_pass = c->auth_pass,
	    .vips = inst->adv_vips,
	    .nvips = inst->n_adv_vips,
	};

	if (!inst->link)
		return;
	if (resolve_src(inst) < 0) {
		tx_failed(inst, NULL, "no source address on the interface yet");
		return;
	}
	p.src = inst->src;
	if (c->auth_type == VRRP_AUTH_AH) {
		/* keepalived: one number per advert (not per peer); the counter
		 * stops short of wrapping; IP id 0 would let the kernel pick. */
		if (inst->ah_seq < 0xfffffffeu)
			inst->ah_seq++;
		inst->ip_id = inst->ip_id == 0xffff ? 1 : inst->ip_id + 1;
	}
	if (!c->peers) {
		send_to(inst, &p, &c->mcast_dst);
		return;
	}
	for (const struct vrrp_peer_conf *peer = c->peers; peer; peer = peer->next)
		send_to(inst, &p, &peer->addr);
}

/* --- addresses -------------------------------------------------------- */

static void addr_failed(struct vrrp_instance *inst, const struct vrrp_addr_conf *a, bool add,
			int rc)
{
	char buf[VADDR_STRLEN];
	uint64_t n;

	inst->counters.addr_errors++;
	if (vrrp_ratelimit_ok(&inst->rl_addr, vrrp_now_us(), LOG_INTERVAL_US, &n))
		log_err("(%s) cannot %s %s/%u on %s: %s (%lu more not logged)", inst->conf->name,
			add ? "add" : "remove", vaddr_format(&a->addr, buf, sizeof(buf)), a->prefix,
			vrrp_instance_vip_dev(inst, a), strerror(-rc), (unsigned long)n);
}

static void block_failed(struct vrrp_instance *inst, const struct vrrp_addr_conf *a, bool add,
			 int rc)
{
	char buf[VADDR_STRLEN];
	uint64_t n;

	inst->counters.block_errors++;
	if (vrrp_ratelimit_ok(&inst->rl_addr, vrrp_now_us(), LOG_INTERVAL_US, &n))
		log_err("(%s) cannot %s traffic to %s (no_accept): %s (%lu more not logged)",
			inst->conf->name, add ? "block" : "unblock",
			vaddr_format(&a->addr, buf, sizeof(buf)), strerror(-rc), (unsigned long)n);
}

/* Into or out of the block set, when @c says this instance blocks. */
static void block_change(struct vrrp_instance *inst, const struct vrrp_instance_conf *c,
			 const struct vrrp_addr_conf *a, bool add)
{
	int rc;

	if (!vrrp_conf_blocks(c))
		return;
	if (!inst->v->block)
		rc = -ENOTCONN;
	else
		rc = add ? vrrp_block_add(inst->v->block, &a->addr, vrrp_instance_vip_dev(inst, a))
			 : vrrp_block_del(inst->v->block, &a->addr, vrrp_instance_vip_dev(inst, a));
	/* Nothing to unblock without a block set, or without the address. */
	if (rc < 0 && (add || (rc != -ENOTCONN && rc != -ENOENT)))
		block_failed(inst, a, add, rc);
}

/* Add or remove one VIP of @c. Blocked before it is added and unblocked
 * after it is gone, so it is never on an interface unblocked. */
static void addr_change(struct vrrp_instance *inst, const struct vrrp_instance_conf *c,
			const struct vrrp_addr_conf *a, bool add)
{
	const char *dev = vrrp_instance_vip_dev(inst, a);
	unsigned ifindex = dev ? if_nametoindex(dev) : 0;
	int rc;

	if (add)
		block_change(inst, c, a, true);
	if (!inst->v->nl)
		rc = -ENOTCONN;
	else if (!ifindex)
		rc = -ENODEV;
	else
		rc = add ? vrrp_addr_add(inst->v->nl, ifindex, a) : vrrp_addr_del(inst->v->nl, ifindex, a);
	if (rc < 0 && !(rc == -ENODEV && !add))
		addr_failed(inst, a, add, rc);
	if (!add)
		block_change(inst, c, a, false);
}

/* virtual_routes and virtual_rules go with the VIPs: after them when
 * added, before them when removed (keepalived's order). */
static void vroutes_set(struct vrrp_instance *inst, const struct vrrp_instance_conf *c, bool add)
{
	const struct vrrp_route_set set = {.routes = &c->routes, .rules = &c->rules};
	char who[80];

	if (!c->routes.n && !c->rules.n)
		return;
	snprintf(who, sizeof(who), "(%s)", c->name);
	inst->counters.route_errors += vrrp_route_set_apply(inst->v->nl, who, &set, add);
}

static void vips_set(struct vrrp_instance *inst, bool add)
{
	if (!add)
		vroutes_set(inst, inst->conf, false);
	for (const struct vrrp_addr_conf *a = inst->conf->vips.first; a; a = a->next)
		addr_change(inst, inst->conf, a, add);
	for (const struct vrrp_addr_conf *a = inst->conf->evips.first; a; a = a->next)
		addr_change(inst, inst->conf, a, add);
	if (add)
		vroutes_set(inst, inst->conf, true);
	inst->vips_installed = add;
	vrrp_vipwatch_clear(&inst->vipwatch);
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
static void run_actions(struct vrrp_instance *inst, unsigned acts, enum vrrp_state prev,
			const char *why)
{
	if (acts & VRRP_ACT_SEND_PRIO0)
		send_advert(inst, 0);
	if (acts & VRRP_ACT_SEND_ADVERT)
		send_advert(inst, inst->params.priority);
	if (acts & VRRP_ACT_ADD_VIPS) {
		vips_set(inst, true);
		vrrp_announce_begin(inst);
	}
	if (acts & VRRP_ACT_DEL_VIPS) {
		vrrp_announce_end(inst);
		vips_set(inst, false);
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
static void rearm(struct vrrp_instance *inst)
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

static void step(struct vrrp_instance *inst, const struct vrrp_event *ev, const char *why)
{
	enum vrrp_state prev = inst->fsm.state;
	unsigned acts = vrrp_fsm_step(&inst->fsm, &inst->params, ev, vrrp_now_us());

	run_actions(inst, acts, prev, why);
	rearm(inst);
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
		inst->params.priority = effective_priority(inst);
	}
	inst->timer_at = 0; /* a oneshot source is off once it fired */
	if (inst->fsm.state == VRRP_STATE_BACKUP && inst->link &&
	    vrrp_fsm_next_deadline(&inst->fsm) <= vrrp_now_us())
		vrrp_link_poll(inst->link); /* adverts already here count */
	step(inst, &ev, inst->fsm.state == VRRP_STATE_BACKUP ? "master down timer expired" : NULL);
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
	return resolve_src(inst);
}

static void begin(struct vrrp_instance *inst, const char *why)
{
	const struct vrrp_event ev = {.type = VRRP_EV_STARTUP};

	fill_params(inst);
	/* A previous run killed while master may have left our VIPs behind;
	 * as a backup we must not hold them. */
	if (inst->params.priority != VRRP_PRIO_OWNER && !inst->params.start_master)
		vips_set(inst, false);
	step(inst, &ev, why);
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
			step(inst, &fault, why);
		return;
	}
	if (inst->fsm.state == VRRP_STATE_FAULT)
		step(inst, &clear, why);
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

static void setup_failed(struct vrrp_instance *inst, int rc)
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

static void retry_now(struct vrrp_instance *inst)
{
	if (!inst->retry)
		return;
	sd_event_source_set_time(inst->retry, vrrp_now_us());
	sd_event_source_set_enabled(inst->retry, SD_EVENT_ONESHOT);
}

/* The instance's interface went away (or came back as another ifindex):
 * its socket, group membership and VIPs went with it. FAULT, and start
 * again from setup() once it is back (keepalived 2.3.3). */
static void interface_lost(struct vrrp_instance *inst, const char *ifname)
{
	log_warn("(%s) interface %s was deleted or re-created", inst->conf->name, ifname);
	vrrp_link_detach(inst->v, inst);
	inst->ifindex = 0;
	inst->src.family = 0;
	setup_failed(inst, -ENODEV);
	retry_now(inst);
}

/* @ifname no longer has @ifindex. The table may lag the kernel by a
 * batch: ask the kernel too. */
static bool ifindex_changed(const struct vrrp_instance *inst, const char *ifname, unsigned ifindex)
{
	return ifname && ifindex &&
	       vrrp_iftable_ifindex(vrrp_ifwatch_table(inst->v->ifw), ifname) != ifindex &&
	       if_nametoindex(ifname) != ifindex;
}

static unsigned vip_ifindex(void *ctx, const struct vrrp_addr_conf *a)
{
	const struct vrrp_instance *inst = ctx;
	const char *dev = vrrp_instance_vip_dev(inst, a);

	return dev ? vrrp_iftable_ifindex(vrrp_ifwatch_table(inst->v->ifw), dev) : 0;
}

/* A master whose VIP was deleted behind its back does what keepalived
 * 2.2.7 does (vrrp/fsm.h VRRP_EV_VIP_LOST): priority-0 advert, all VIPs
 * and virtual routes removed, master again after Skew_Time, everything
 * added and announced. */
static void vips_check(struct vrrp_instance *inst)
{
	const struct vrrp_addr_list *lists[] = {&inst->conf->vips, &inst->conf->evips};
	const struct vrrp_event ev = {.type = VRRP_EV_VIP_LOST};
	const struct vrrp_addr_conf *lost;
	char buf[VADDR_STRLEN];

	if (inst->fsm.state != VRRP_STATE_MASTER || !inst->vips_installed)
		return;
	lost = vrrp_vipwatch_scan(&inst->vipwatch, vrrp_ifwatch_table(inst->v->ifw), lists, 2,
				  vip_ifindex, inst);
	if (!lost)
		return;
	inst->counters.vips_lost++;
	log_warn("(%s) %s was removed from %s behind our back: setting the VIPs again",
		 inst->conf->name, vaddr_format(&lost->addr, buf, sizeof(buf)),
		 vrrp_instance_vip_dev(inst, lost));
	step(inst, &ev, "a VIP was removed");
}

void vrrp_instance_routes_check(struct vrrp_instance *inst)
{
	const struct vrrp_event ev = {.type = VRRP_EV_VIP_LOST};
	const struct cfg_loc *lost = NULL;

	if (!inst->started || inst->fsm.state != VRRP_STATE_MASTER || !inst->vips_installed)
		return;
	for (const struct vrrp_route_conf *r = inst->conf->routes.first; r; r = r->next)
		if (r->dev && !r->no_track && !r->append &&
		    vrrp_route_restore(inst->v->nl, r) == 1 && !lost)
			lost = &r->loc;
	for (const struct vrrp_rule_conf *r = inst->conf->rules.first; r; r = r->next)
		if (!r->no_track && vrrp_rule_restore(inst->v->nl, r) == 1 && !lost)
			lost = &r->loc;
	if (!lost)
		return;
	inst->counters.vips_lost++;
	log_warn("(%s) the route or rule of %s:%u was removed behind our back: setting the "
		 "VIPs, routes and rules again", inst->conf->name, lost->file ? lost->file : "?",
		 lost->line);
	step(inst, &ev, "a virtual route or rule was removed");
}

void vrrp_instance_ifs_changed(struct vrrp_instance *inst)
{
	const char *advert_if = vrrp_instance_advert_if(inst);
	char buf[VADDR_STRLEN];

	if (!inst->started)
		return;
	if (inst->fault_setup) {
		retry_now(inst);
		return;
	}
	/* Its interface, or the one its socket is bound to (a VMAC). */
	if (ifindex_changed(inst, inst->conf->interface, inst->ifindex)) {
		interface_lost(inst, inst->conf->interface);
		return;
	}
	if (inst->link && ifindex_changed(inst, advert_if, vrrp_link_ifindex(inst->link))) {
		interface_lost(inst, advert_if);
		return;
	}
	/* Its VMAC interface deleted behind its back, also when adverts
	 * leave from the base (vmac_xmit_base): made again at once, as
	 * keepalived 2.2.7 does. */
	if (inst->vmac.ifindex && ifindex_changed(inst, inst->vmac.name, inst->vmac.ifindex)) {
		interface_lost(inst, inst->vmac.name);
		return;
	}
	vips_check(inst);
	if (src_still_usable(inst))
		return;
	inst->src.family = 0;
	if (resolve_src(inst) == 0) {
		log_info("(%s) adverts now come from %s", inst->conf->name,
			 vaddr_format(&inst->src, buf, sizeof(buf)));
		return;
	}
	setup_failed(inst, -EADDRNOTAVAIL);
}

void vrrp_instance_start(struct vrrp_instance *inst)
{
	int rc;

	inst->started = true;
	rc = setup(inst);
	if (rc < 0) {
		setup_failed(inst, rc);
		return;
	}
	changed(inst, inst->hold_tracked ? "waiting for track scripts" : "starting");
}

void vrrp_instance_shutdown(struct vrrp_instance *inst)
{
	const struct vrrp_event ev = {.type = VRRP_EV_SHUTDOWN};

	step(inst, &ev, "stopping");
	if (inst->vips_installed)
		vips_set(inst, false);
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

/* --- receiving -------------------------------------------------------- */

static void rx_drop_log(struct vrrp_instance *inst, const char *why, const struct vaddr *src)
{
	char buf[VADDR_STRLEN];
	uint64_t n;

	if (vrrp_ratelimit_ok(&inst->rl_rx, vrrp_now_us(), LOG_INTERVAL_US, &n))
		log_warn("(%s) dropped advert from %s: %s (%lu more drops not logged)",
			 inst->conf->name, vaddr_format(src, buf, sizeof(buf)), why, (unsigned long)n);
}

void vrrp_instance_on_bad_packet(struct vrrp_instance *inst, enum vrrp_pkt_err err,
				 const struct vaddr *src)
{
	if ((unsigned)err < VRRP_PKT_ERR_COUNT)
		inst->counters.rx_pkt_err[err]++;
	rx_drop_log(inst, vrrp_pkt_err_name(err), src);
}

static void drop(struct vrrp_instance *inst, enum vrrp_drop why, const struct vaddr *src,
		 bool quiet)
{
	inst->counters.rx_drop[why]++;
	if (!quiet)
		rx_drop_log(inst, drop_names[why], src);
}

static bool from_peer(const struct vrrp_instance_conf *c, const struct vaddr *src)
{
	for (const struct vrrp_peer_conf *p = c->peers; p; p = p->next)
		if (vaddr_equal(&p->addr, src))
			return true;
	return false;
}

/* We own the addresses (priority 255) and so does the sender. */
static void owner_conflict(struct vrrp_instance *inst, const struct vaddr *theirs)
{
	/* Time for a keepalived or vigil owner to give way: it does at its
	 * next advert, so four of our intervals are plenty. */
	uint64_t grace = 4 * (uint64_t)inst->params.advert_int_cs * CS_US;
	char buf[VADDR_STRLEN];

	vaddr_format(theirs, buf, sizeof(buf));
	switch (vrrp_owner_on_advert(&inst->owner, &inst->src, theirs, vrrp_now_us(), grace)) {
	case VRRP_OWNER_KEEP:
		log_warn("(%s) CONFIGURATION ERROR: %s is configured as address owner (priority "
			 "255) too, please fix - keeping 255 for now, our address is higher",
			 inst->conf->name, buf);
		break;
	case VRRP_OWNER_REDUCE:
		log_warn("(%s) CONFIGURATION ERROR: local instance and %s are both configured as "
			 "address owner (priority 255), please fix - reducing local priority to 254",
			 inst->conf->name, buf);
		inst->params.priority = effective_priority(inst);
		break;
	case VRRP_OWNER_NONE:
		break;
	}
}

void vrrp_instance_on_advert(struct vrrp_instance *inst, const struct vrrp_advert *a)
{
	const struct vrrp_instance_conf *c = inst->conf;
	const struct vrrp_pkt_expect e = {
	    .version = (uint8_t)c->version,
	    .advert_int_cs = inst->params.advert_int_cs,
	    .auth_type = (uint8_t)c->auth_type,
	    .auth_pass = c->auth_pass,
	    .vips = c->skip_check_adv_addr ? NULL : inst->adv_vips,
	    .nvips = inst->n_adv_vips,
	    .unicast = c->peers != NULL,
	};
	struct vrrp_event ev = {.type = VRRP_EV_ADVERT};
	enum vrrp_pkt_err err;
	enum vrrp_state prev;
	unsigned acts;
	char why[96], buf[VADDR_STRLEN];

	if (inst->src.family && vaddr_equal(&a->ip.src, &inst->src)) {
		drop(inst, VRRP_DROP_OWN, &a->ip.src, true);
		return;
	}
	if (a->family != c->family) {
		drop(inst, VRRP_DROP_WRONG_FAMILY, &a->ip.src, false);
		return;
	}
	err = vrrp_pkt_check(a, &e);
	if (err == VRRP_PKT_OK && a->ah) {
		/* keepalived's anti-replay: above the counter, which follows. */
		if (a->ah_seq <= inst->ah_seq)
			err = VRRP_PKT_AH_REPLAY;
		else
			inst->ah_seq = a->ah_seq;
	}
	if (err != VRRP_PKT_OK) {
		vrrp_instance_on_bad_packet(inst, err, &a->ip.src);
		return;
	}
	if (c->peers && c->check_unicast_src && !from_peer(c, &a->ip.src)) {
		drop(inst, VRRP_DROP_UNICAST_SRC, &a->ip.src, false);
		return;
	}
	if (inst->fsm.state != VRRP_STATE_BACKUP && inst->fsm.state != VRRP_STATE_MASTER) {
		drop(inst, VRRP_DROP_NOT_RUNNING, &a->ip.src, true);
		return;
	}
	inst->counters.rx_adverts++;
	if (!a->priority)
		inst->counters.rx_prio0++;
	if (c->priority == VRRP_PRIO_OWNER && a->priority == VRRP_PRIO_OWNER)
		owner_conflict(inst, &a->ip.src);
	ev.priority = a->priority;
	ev.advert_int_cs = a->advert_int_cs;
	ev.src = a->ip.src;
	prev = inst->fsm.state;
	acts = vrrp_fsm_step(&inst->fsm, &inst->params, &ev, vrrp_now_us());
	/* keepalived 2.2.7 (vrrp_state_master_rx()): a master hearing a lower
	 * AH advert goes on from the other's number + 1, so its next advert
	 * (+2) is above the counter of that lower master, which then accepts
	 * it instead of dropping it as a replay. Wraps as keepalived's does. */
	if ((acts & VRRP_ACT_RX_LOWER) && a->ah)
		inst->ah_seq = a->ah_seq + 1;
	if (acts & VRRP_ACT_STATE) /* the reason is only logged then */
		snprintf(why, sizeof(why), "advert from %s with priority %u",
			 vaddr_format(&a->ip.src, buf, sizeof(buf)), a->priority);
	run_actions(inst, acts, prev, (acts & VRRP_ACT_STATE) ? why : NULL);
	rearm(inst);
}

/* --- reload and tracking ---------------------------------------------- */

static bool list_has(const struct vrrp_addr_list *l, const struct vrrp_addr_conf *a)
{
	for (const struct vrrp_addr_conf *b = l->first; b; b = b->next)
		if (vrrp_addr_same(a, b))
			return true;
	return false;
}

/* Remove what @next no longer has, add what it newly has; the rest stays
 * untouched in the kernel. */
static void vips_update(struct vrrp_instance *inst, const struct vrrp_instance_conf *next,
			const struct vrrp_addr_list *old, const struct vrrp_addr_list *new)
{
	for (const struct vrrp_addr_conf *a = old->first; a; a = a->next)
		if (!list_has(new, a))
			addr_change(inst, inst->conf, a, false);
	for (const struct vrrp_addr_conf *a = new->first; a; a = a->next)
		if (!list_has(old, a)) {
			addr_change(inst, next, a, true);
			vrrp_announce_addr(inst, a);
		}
}

/* accept / no_accept changed by a reload: the VIPs that stay installed
 * go into or out of the block set. */
static void vips_reblock(struct vrrp_instance *inst, const struct vrrp_instance_conf *next,
			 const struct vrrp_addr_list *old, const struct vrrp_addr_list *new)
{
	bool block = vrrp_conf_blocks(next);

	if (block == vrrp_conf_blocks(inst->conf))
		return;
	for (const struct vrrp_addr_conf *a = new->first; a; a = a->next)
		if (list_has(old, a))
			block_change(inst, block ? next : inst->conf, a, block);
}

void vrrp_instance_reconfigure(struct vrrp_instance *inst, const struct vrrp_instance_conf *next)
{
	const struct vrrp_instance_conf *old = inst->conf;
	struct vrrp_fsm_params before = inst->params;

	/* Both hold pointers into @old. */
	vrrp_announce_reconfigure(inst, next);
	vrrp_vipwatch_clear(&inst->vipwatch);
	if (inst->vips_installed) {
		const struct vrrp_route_set from = {.routes = &old->routes, .rules = &old->rules};
		const struct vrrp_route_set to = {.routes = &next->routes, .rules = &next->rules};
		char who[80];

		vips_reblock(inst, next, &old->vips, &next->vips);
		vips_reblock(inst, next, &old->evips, &next->evips);
		vips_update(inst, next, &old->vips, &next->vips);
		vips_update(inst, next, &old->evips, &next->evips);
		snprintf(who, sizeof(who), "(%s)", next->name);
		inst->counters.route_errors +=
			vrrp_route_set_update(inst->v->nl, who, &from, &to);
	}
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

		step(inst, &ev, "reconfigured");
	}
}

void vrrp_instance_set_priority_offset(struct vrrp_instance *inst, int delta)
{
	const struct vrrp_event ev = {.type = VRRP_EV_PRIORITY};
	uint8_t before = inst->params.priority;

	inst->priority_offset = delta;
	inst->params.priority = effective_priority(inst);
	if (inst->params.priority == before || !inst->started)
		return;
	step(inst, &ev, "priority changed");
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
	step(inst, &ev, why);
}
