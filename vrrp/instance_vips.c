/* A vrrp_instance's VIPs, eVIPs, virtual routes and rules in the kernel
 * (with the no_accept block set): set and unset, changed by difference on
 * a reload, and watched: a VIP, route or rule deleted behind a master's
 * back, its interface deleted or re-created, its advert source gone. */
#include "build-config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "daemon/log.h"
#include "vrrp/addr.h"
#include "vrrp/block.h"
#include "vrrp/ifwatch.h"
#include "vrrp/instance_internal.h"
#include "vrrp/link.h"
#include "vrrp/plan.h"
#include "vrrp/route.h"
#include "vrrp/vrrp_internal.h"

/* --- addresses -------------------------------------------------------- */

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

void vrrp_instance_vips_set(struct vrrp_instance *inst, bool add)
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

/* --- watching -------------------------------------------------------- */

/* The instance's interface went away (or came back as another ifindex):
 * its socket, group membership and VIPs went with it. FAULT, and start
 * again from setup() once it is back (keepalived 2.3.3). */
static void interface_lost(struct vrrp_instance *inst, const char *ifname)
{
	log_warn("(%s) interface %s was deleted or re-created", inst->conf->name, ifname);
	vrrp_link_detach(inst->v, inst);
	inst->ifindex = 0;
	inst->src.family = 0;
	vrrp_instance_setup_failed(inst, -ENODEV);
	vrrp_instance_retry_now(inst);
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
	vrrp_instance_step(inst, &ev, "a VIP was removed");
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
	vrrp_instance_step(inst, &ev, "a virtual route or rule was removed");
}

void vrrp_instance_ifs_changed(struct vrrp_instance *inst)
{
	const char *advert_if = vrrp_instance_advert_if(inst);
	char buf[VADDR_STRLEN];

	if (!inst->started)
		return;
	if (inst->fault_setup) {
		vrrp_instance_retry_now(inst);
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
	if (vrrp_instance_src_still_usable(inst))
		return;
	inst->src.family = 0;
	if (vrrp_instance_resolve_src(inst) == 0) {
		log_info("(%s) adverts now come from %s", inst->conf->name,
			 vaddr_format(&inst->src, buf, sizeof(buf)));
		return;
	}
	vrrp_instance_setup_failed(inst, -EADDRNOTAVAIL);
}

/* --- reload ---------------------------------------------------------- */

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

void vrrp_instance_vips_reconfigure(struct vrrp_instance *inst,
				    const struct vrrp_instance_conf *next)
{
	const struct vrrp_instance_conf *old = inst->conf;

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
}
