/* After everything is read: fold global_defs into each instance, resolve
 * names, and reject what keepalived 2.2.7's config test rejects. Where
 * keepalived silently fixes a value up, vigil does the same and warns. */
#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "parser/conf_vrrp_internal.h"

#define PICK(unset, local, global) ((unset) ? (global) : (local))

static void inherit_garp(const struct global_conf *g, struct vrrp_instance_conf *vi,
			 const struct vrrp_instance_unset *u)
{
	struct vrrp_garp_conf *p = &vi->garp;

	p->master_delay_us = PICK(u->garp_master_delay < 0, p->master_delay_us,
				  g->vrrp_garp_master_delay_us);
	p->master_repeat = PICK(u->garp_master_repeat < 0, p->master_repeat,
				g->vrrp_garp_master_repeat);
	p->master_refresh_us = PICK(u->garp_refresh < 0, p->master_refresh_us,
				    g->vrrp_garp_master_refresh_us);
	p->master_refresh_repeat = PICK(u->garp_refresh_repeat < 0, p->master_refresh_repeat,
					g->vrrp_garp_master_refresh_repeat);
	/* The lower-priority burst follows the instance's own master values
	 * when the instance set those, else the global lower-priority ones. */
	if (u->garp_lower_delay < 0)
		p->lower_prio_delay_us = u->garp_master_delay >= 0 && !g->vrrp_garp_lower_prio_delay_set
						 ? p->master_delay_us
						 : g->vrrp_garp_lower_prio_delay_us;
	if (u->garp_lower_repeat < 0)
		p->lower_prio_repeat = u->garp_master_repeat >= 0 && !g->vrrp_garp_lower_prio_repeat_set
					       ? p->master_repeat
					       : g->vrrp_garp_lower_prio_repeat;
	if (u->garp_extra_if < 0) {
		p->extra_if_s = g->vrrp_garp_extra_if_s;
		p->extra_if_all = g->vrrp_garp_extra_if_all;
	}
	vi->down_timer_adverts = PICK(u->down_timer_adverts < 0, vi->down_timer_adverts,
				      g->vrrp_down_timer_adverts);
}

static void inherit_flags(struct conf_ctx *ctx, struct vrrp_instance_conf *vi,
			  const struct vrrp_instance_unset *u)
{
	const struct global_conf *g = &ctx->cfg->global;
	int smtp = u->smtp_alert >= 0 ? u->smtp_alert
		 : g->smtp_alert_vrrp >= 0 ? g->smtp_alert_vrrp : g->smtp_alert;

	vi->strict_mode = u->strict >= 0 ? u->strict : g->vrrp_strict;
	vi->smtp_alert = smtp > 0;
	vi->skip_check_adv_addr = u->skip_check >= 0 ? u->skip_check : g->vrrp_skip_check_adv_addr;
	vi->lower_prio_no_advert = u->lower_prio_no_advert >= 0 ? u->lower_prio_no_advert
				 : g->vrrp_lower_prio_no_advert >= 0 ? g->vrrp_lower_prio_no_advert
				 : vi->strict_mode;
	vi->higher_prio_send_advert = u->higher_prio_send_advert >= 0 ? u->higher_prio_send_advert
				    : g->vrrp_higher_prio_send_advert > 0;
	vi->check_unicast_src |= g->vrrp_check_unicast_src;
	/* RFC 9568 §6.1: Accept_Mode defaults to False; keepalived defaults to
	 * accept unless strict, where only the address owner accepts. */
	vi->accept = u->accept >= 0 ? u->accept
		   : vi->strict_mode ? vi->priority == VRRP_PRIO_OWNER : true;
	inherit_garp(g, vi, u);
}

static int addr_list_family(struct conf_ctx *ctx, struct vrrp_instance_conf *vi,
			    struct vrrp_addr_list *l, bool must_match, const char *what)
{
	struct vrrp_addr_conf **pp = &l->first, *prev = NULL;
	int family = 0;

	while (*pp) {
		struct vrrp_addr_conf *a = *pp, *dup = NULL;

		for (struct vrrp_addr_conf *b = l->first; b != a && !dup; b = b->next)
			if (vaddr_equal(&a->addr, &b->addr) && a->prefix == b->prefix)
				dup = b;
		if (dup) /* keepalived >= 2.3 drops duplicate VIPs; 2.2.7 kept them. */
			conf_warning_at(ctx, &a->loc, "(%s) duplicate %s (first at line %u); ignored",
					vi->name, what, dup->loc.line);
		else if (!family)
			family = a->addr.family;
		else if (must_match && a->addr.family != family)
			conf_error_at(ctx, &a->loc, "(%s) all virtual_ipaddress entries must be of "
				      "one address family", vi->name);
		if (dup) {
			*pp = a->next;
			l->n--;
			continue;
		}
		prev = a;
		pp = &a->next;
	}
	l->last = prev;
	return family;
}

static void check_family(struct conf_ctx *ctx, struct vrrp_instance_conf *vi)
{
	int vip_family = addr_list_family(ctx, vi, &vi->vips, true, "virtual_ipaddress");
	int family = vi->family;

	addr_list_family(ctx, vi, &vi->evips, false, "virtual_ipaddress_excluded");
	if (!family)
		family = vip_family;
	if (vip_family && vip_family != family)
		conf_error_at(ctx, &vi->loc, "(%s) native_ipv6 with IPv4 virtual addresses", vi->name);
	if (!family && vi->src_addr.family)
		family = vi->src_addr.family;
	if (!family && vi->peers)
		family = vi->peers->addr.family;
	if (!family)
		family = AF_INET;
	if (vi->src_addr.family && vi->src_addr.family != family)
		conf_error_at(ctx, &vi->loc, "(%s) the source address and the virtual addresses "
			      "must be of the same address family", vi->name);
	for (const struct vrrp_peer_conf *p = vi->peers; p; p = p->next)
		if (p->addr.family != family)
			conf_error_at(ctx, &p->loc, "(%s) unicast_peer of the wrong address family",
				      vi->name);
	if (vi->mcast_dst.family && vi->mcast_dst.family != family)
		conf_error_at(ctx, &vi->loc, "(%s) mcast_dst_ip of the wrong address family",
			      vi->name);
	vi->family = family;
}

static void check_version(struct conf_ctx *ctx, struct vrrp_instance_conf *vi)
{
	const struct global_conf *g = &ctx->cfg->global;

	if (vi->family == AF_INET6) {
		if (vi->version == 2)
			conf_warning_at(ctx, &vi->loc, "(%s) VRRPv2 is IPv4 only; using version 3",
					vi->name);
		vi->version = 3;
	} else if (!vi->version)
		vi->version = g->vrrp_version;

	if (vi->version == 2 && vi->advert_int_us % SEC_US)
		/* RFC 3768 §5.3.7: Adver Int is in whole seconds. */
		conf_error_at(ctx, &vi->loc, "(%s) VRRPv2 advert_int must be a whole number of "
			      "seconds (use version 3 for fractions)", vi->name);
	if (vi->version == 3 && vi->advert_int_us > VRRP_V3_ADVERT_MAX_US)
		conf_error_at(ctx, &vi->loc, "(%s) VRRPv3 advert_int must be at most 40.95 s "
			      "(RFC 9568 §5.2.7)", vi->name);
	if (vi->version == 3 && vi->advert_int_us % 10000)
		conf_warning_at(ctx, &vi->loc, "(%s) VRRPv3 advert_int is in centiseconds; "
				"rounded down", vi->name);
	if (vi->auth_type != VRRP_AUTH_NONE && vi->version == 3)
		conf_error_at(ctx, &vi->loc, "(%s) VRRPv3 has no authentication (RFC 5798 §9)",
			      vi->name);
	if (!vi->mcast_dst.family)
		vi->mcast_dst = vi->family == AF_INET6 ? g->vrrp_mcast_group6 : g->vrrp_mcast_group4;
}

static void check_strict(struct conf_ctx *ctx, struct vrrp_instance_conf *vi,
			 const struct vrrp_instance_unset *u)
{
	if (!vi->strict_mode)
		return;
	/* keepalived's -t fails on the next three; it runs with them reset. */
	if (vi->accept && vi->priority != VRRP_PRIO_OWNER && vi->version == 2) {
		conf_strict_at(ctx, &vi->loc, "(%s) accept mode for VRRP version 2 does not "
			       "comply with RFC 3768; resetting", vi->name);
		vi->accept = false;
	}
	if (u->lower_prio_no_advert == 0)
		conf_strict_at(ctx, &vi->loc, "(%s) strict mode requires lower_prio_no_advert; "
			       "resetting", vi->name);
	vi->lower_prio_no_advert = true;
	if (u->higher_prio_send_advert > 0)
		conf_strict_at(ctx, &vi->loc, "(%s) strict mode requires higher_prio_send_advert "
			       "to be clear; resetting", vi->name);
	vi->higher_prio_send_advert = false;
	if (vi->auth_type != VRRP_AUTH_NONE)
		conf_error_at(ctx, &vi->loc, "(%s) strict mode does not allow authentication",
			      vi->name);
	if (vi->state == VRRP_INIT_MASTER && vi->priority != VRRP_PRIO_OWNER) {
		conf_warning_at(ctx, &vi->loc, "(%s) strict mode: state MASTER needs priority 255; "
				"starting as BACKUP", vi->name);
		vi->state = VRRP_INIT_BACKUP;
	}
	if (vi->peers)
		conf_warning_at(ctx, &vi->loc, "(%s) strict mode does not allow unicast peers",
				vi->name);
	if (vi->preempt_delay_us) {
		conf_warning_at(ctx, &vi->loc, "(%s) strict mode: preempt_delay ignored", vi->name);
		vi->preempt_delay_us = 0;
	}
	if (vi->garp.master_refresh_us) {
		conf_warning_at(ctx, &vi->loc, "(%s) strict mode: garp_master_refresh ignored",
				vi->name);
		vi->garp.master_refresh_us = 0;
	}
	if (vi->vmac_xmit_base) {
		conf_warning_at(ctx, &vi->loc, "(%s) strict mode: vmac_xmit_base ignored", vi->name);
		vi->vmac_xmit_base = false;
	}
}

/* keepalived 2.2.7 (vrrp.c): a VMAC's adverts cannot reach unicast peers
 * (the macvlan would need addresses of its own); it fixes the config up,
 * and its -t fails. */
static void check_vmac(struct conf_ctx *ctx, struct vrrp_instance_conf *vi)
{
	if (!vi->use_vmac || !vi->peers)
		return;
	if (!vi->interface) {
		conf_strict_at(ctx, &vi->loc,
			       "(%s) cannot use VMAC with unicast and no interface - clearing use_vmac",
			       vi->name);
		vi->use_vmac = false;
	} else if (!vi->vmac_xmit_base) {
		conf_strict_at(ctx, &vi->loc,
			       "(%s) unicast with use_vmac requires vmac_xmit_base - setting", vi->name);
		vi->vmac_xmit_base = true;
	}
}

static void fold_cmd_user(const struct global_conf *g, const struct vrrp_cmd_conf *c)
{
	struct vrrp_cmd_conf *w = (struct vrrp_cmd_conf *)c; /* still being built */

	if (w && !w->user && g->script_user) {
		w->user = g->script_user;
		w->group = g->script_group;
	}
}

static void fold_notify_users(const struct global_conf *g, const struct vrrp_notify_set *s)
{
	fold_cmd_user(g, s->master);
	fold_cmd_user(g, s->backup);
	fold_cmd_user(g, s->fault);
	fold_cmd_user(g, s->stop);
	fold_cmd_user(g, s->deleted);
	fold_cmd_user(g, s->any);
	fold_cmd_user(g, s->master_rx_lower_pri);
}

void conf_vrrp_check_instance(struct conf_ctx *ctx, struct vrrp_instance_conf *vi)
{
	inherit_flags(ctx, vi, TRI(vi));
	check_family(ctx, vi);
	check_version(ctx, vi);
	check_strict(ctx, vi, TRI(vi));
	check_vmac(ctx, vi);
	if (vi->state == VRRP_INIT_MASTER && vi->auth_type == VRRP_AUTH_AH) {
		/* keepalived runs as BACKUP, and its -t fails. */
		conf_strict_at(ctx, &vi->loc, "(%s) initial state MASTER is incompatible with AH "
			       "authentication; starting as BACKUP", vi->name);
		vi->state = VRRP_INIT_BACKUP;
	}
	if (!vi->vrid)
		conf_error_at(ctx, &vi->loc, "(%s) virtual_router_id is required", vi->name);
	if (!vi->interface && !vi->peers)
		conf_error_at(ctx, &vi->loc, "(%s) 'interface' is required (it may be omitted "
			      "only with unicast_peer)", vi->name);
	if (!vi->vips.n && !vi->no_virtual_ipaddress)
		conf_error_at(ctx, &vi->loc, "(%s) no virtual_ipaddress (add at least one, or "
			      "'no_virtual_ipaddress')", vi->name);
	if (vi->vmac_mac_set && vi->vmac_mac[5] == 0)
		vi->vmac_mac[5] = vi->vrid;
	if (vi->track.bfds.n)
		conf_warning_at(ctx, &vi->track.bfds.first->loc, "(%s) track_bfd is not supported "
				"by vigil; ignored", vi->name);
	conf_vrrp_resolve_tracks(ctx, &vi->track, false, vi->priority == VRRP_PRIO_OWNER,
				 vi->name);
	fold_notify_users(&ctx->cfg->global, &vi->notify);
}

static void check_sync_groups(struct conf_ctx *ctx)
{
	struct vrrp_conf *v = VRRP(ctx);

	for (struct vrrp_sync_group_conf *g = v->sync_groups; g; g = g->next) {
		char who[160];

		for (struct vrrp_name_ref *r = g->members; r; r = r->next) {
			struct vrrp_instance_conf *vi =
				conf_vrrp_find(ctx, VRRP_NAME_INSTANCE, r->name);

			if (!vi) {
				conf_error_at(ctx, &r->loc, "sync group %s: no vrrp_instance '%s'",
					      g->name, r->name);
				continue;
			}
			if (vi->sync_group) {
				conf_error_at(ctx, &r->loc, "vrrp_instance %s is already in sync group "
					      "%s; an instance can be in only one", r->name,
					      vi->sync_group->name);
				continue;
			}
			vi->sync_group = g;
			r->instance = vi;
		}
		if (!g->n_members)
			conf_error_at(ctx, &g->loc, "sync group %s has no members", g->name);
		else if (g->n_members == 1)
			conf_warning_at(ctx, &g->loc, "sync group %s has only one member", g->name);
		snprintf(who, sizeof(who), "sync group %s", g->name);
		conf_vrrp_resolve_tracks(ctx, &g->track, true, false, who);
		fold_notify_users(&ctx->cfg->global, &g->notify);
	}
}

/* keepalived zeroes the tracking weights of sync group members (unless the
 * group sets sync_group_tracking_weight): weighted members would disagree. */
static void zero_member_weights(struct conf_ctx *ctx, struct vrrp_instance_conf *vi)
{
	struct vrrp_track_list *lists[] = { &vi->track.interfaces, &vi->track.scripts,
					    &vi->track.files, &vi->track.processes };

	if (!vi->sync_group || vi->sync_group->tracking_weight)
		return;
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		for (struct vrrp_track_conf *t = lists[i]->first; t; t = t->next)
			if (t->weight) {
				conf_warning_at(ctx, &t->loc, "(%s) weight of '%s' ignored: the "
						"instance is in sync group %s", vi->name, t->name,
						vi->sync_group->name);
				t->weight = 0;
			}
}

static bool peers_overlap(const struct vrrp_instance_conf *a, const struct vrrp_instance_conf *b)
{
	for (const struct vrrp_peer_conf *p = a->peers; p; p = p->next)
		for (const struct vrrp_peer_conf *q = b->peers; q; q = q->next)
			if (vaddr_equal(&p->addr, &q->addr))
				return true;
	return false;
}

struct vrid_slot {
	const struct vrrp_instance_conf *vi;
	size_t pos;
};

static bool vrid_order_key_differs(const struct vrrp_instance_conf *a,
				   const struct vrrp_instance_conf *b)
{
	return a->vrid != b->vrid || a->family != b->family || strcmp(a->interface, b->interface);
}

static bool vrid_clash(const struct vrrp_instance_conf *a, const struct vrrp_instance_conf *b)
{
	if (!a->peers != !b->peers)
		return false;
	return a->peers ? peers_overlap(a, b) : vaddr_equal(&a->mcast_dst, &b->mcast_dst);
}

/* Same interface, family and VRID; then config order (qsort is not stable). */
static int vrid_order(const void *pa, const void *pb)
{
	const struct vrrp_instance_conf *a = ((const struct vrid_slot *)pa)->vi;
	const struct vrrp_instance_conf *b = ((const struct vrid_slot *)pb)->vi;
	int c = strcmp(a->interface, b->interface);

	if (c)
		return c;
	if (a->vrid != b->vrid)
		return a->vrid < b->vrid ? -1 : 1;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return ((const struct vrid_slot *)pa)->pos < ((const struct vrid_slot *)pb)->pos ? -1 : 1;
}

/* Adverts are demultiplexed by (interface, family, VRID): two instances
 * sharing all three would read each other's adverts. keepalived allows it
 * with different multicast groups or with unicast peers that do not overlap.
 * Sorted, only instances that share all three are compared. */
static void check_vrid_clash(struct conf_ctx *ctx)
{
	struct vrid_slot *v = calloc(VRRP(ctx)->n_instances + 1, sizeof(*v));
	size_t n = 0;

	if (!v) {
		conf_error_at(ctx, NULL, "out of memory checking VRIDs");
		return;
	}
	for (const struct vrrp_instance_conf *vi = VRRP(ctx)->instances; vi; vi = vi->next)
		if (vi->vrid && vi->interface) {
			v[n].vi = vi;
			v[n].pos = n;
			n++;
		}
	qsort(v, n, sizeof(*v), vrid_order);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n && !vrid_order_key_differs(v[i].vi, v[j].vi); j++)
			if (vrid_clash(v[i].vi, v[j].vi))
				conf_error_at(ctx, &v[j].vi->loc,
					      "%s and %s both use VRID %u with %s on interface %s",
					      v[i].vi->name, v[j].vi->name, v[i].vi->vrid,
					      v[i].vi->family == AF_INET ? "IPv4" : "IPv6",
					      v[i].vi->interface);
	free(v);
}

static void check_track_groups(struct conf_ctx *ctx)
{
	for (struct vrrp_track_group_conf *g = VRRP(ctx)->track_groups; g; g = g->next)
		for (struct vrrp_name_ref *r = g->members; r; r = r->next) {
			r->instance = conf_vrrp_find(ctx, VRRP_NAME_INSTANCE, r->name);
			if (!r->instance)
				conf_error_at(ctx, &r->loc, "track_group %s: no vrrp_instance '%s'",
					      g->name, r->name);
		}
}

static void check_scripts(struct conf_ctx *ctx)
{
	const struct global_conf *g = &ctx->cfg->global;

	for (struct vrrp_script_conf *s = VRRP(ctx)->scripts; s; s = s->next) {
		if (!s->timeout_us)
			s->timeout_us = s->interval_us;
		if (!s->user && g->script_user) {
			s->user = g->script_user;
			s->group = g->script_group;
		}
	}
}

void conf_vrrp_check_all(struct conf_ctx *ctx)
{
	check_scripts(ctx);
	for (struct vrrp_instance_conf *vi = VRRP(ctx)->instances; vi; vi = vi->next)
		conf_vrrp_check_instance(ctx, vi);
	check_sync_groups(ctx);
	for (struct vrrp_instance_conf *vi = VRRP(ctx)->instances; vi; vi = vi->next)
		zero_member_weights(ctx, vi);
	check_vrid_clash(ctx);
	check_track_groups(ctx);
}
