/* global_defs and the top-level daemon keywords (see conf_global.h). */
#include "build-config.h"

#include <stdio.h>
#include <string.h>

#include "parser/conf_internal.h"

#define G(ctx) (&(ctx)->cfg->global)
#define H(fn) static void fn(struct conf_ctx *ctx, const struct cfg_node *n, void *o)
#define UNUSED_OBJ (void)o

#define DEF_BOOL(fn, field) H(fn) { UNUSED_OBJ; conf_bool(ctx, n, 1, &G(ctx)->field); }
#define DEF_FLAG(fn, field) H(fn) { UNUSED_OBJ; G(ctx)->field = true; }
#define DEF_STR(fn, field) H(fn) { UNUSED_OBJ; conf_str(ctx, n, 1, &G(ctx)->field); }
#define DEF_U32(fn, field, lo, hi) \
	H(fn) { UNUSED_OBJ; conf_u32(ctx, n, 1, lo, hi, &G(ctx)->field); }
#define DEF_I32(fn, field, lo, hi) \
	H(fn) { UNUSED_OBJ; conf_i32(ctx, n, 1, lo, hi, &G(ctx)->field); }
#define DEF_TIMER(fn, field, lo, hi) \
	H(fn) { UNUSED_OBJ; conf_timer_us(ctx, n, 1, lo, hi, &G(ctx)->field); }
#define DEF_TRI(fn, field) \
	H(fn) { bool b; UNUSED_OBJ; if (conf_bool(ctx, n, 1, &b) == 0) G(ctx)->field = b; }

#define SEC 1000000ull

/* Top level. */
DEF_STR(h_net_namespace, net_namespace)
DEF_STR(h_instance, instance)
DEF_FLAG(h_use_pid_dir, use_pid_dir)
DEF_FLAG(h_linkbeat_use_polling, linkbeat_use_polling)
DEF_U32(h_child_wait_time, child_wait_time_s, 0, 86400)

H(h_net_namespace_ipvs)
{
	UNUSED_OBJ;
	if (n->argc > 1)
		conf_str(ctx, n, 1, &G(ctx)->net_namespace_ipvs);
}

/* global_defs */
DEF_STR(h_router_id, router_id)
DEF_STR(h_email_from, email_from)
DEF_STR(h_smtp_helo_name, smtp_helo_name)
DEF_U32(h_smtp_connect_timeout, smtp_connect_timeout_s, 1, 86400)
DEF_TRI(h_smtp_alert, smtp_alert)
DEF_TRI(h_smtp_alert_vrrp, smtp_alert_vrrp)
DEF_TRI(h_smtp_alert_checker, smtp_alert_checker)
DEF_FLAG(h_no_email_faults, no_email_faults)
DEF_BOOL(h_checker_log_all_failures, checker_log_all_failures)
DEF_STR(h_default_interface, default_interface)
DEF_TIMER(h_garp_master_delay, vrrp_garp_master_delay_us, 0, 255 * SEC)
DEF_U32(h_garp_master_repeat, vrrp_garp_master_repeat, 1, 255)
DEF_TIMER(h_garp_master_refresh, vrrp_garp_master_refresh_us, 0, 86400 * SEC)
DEF_U32(h_garp_master_refresh_repeat, vrrp_garp_master_refresh_repeat, 1, 255)
DEF_TIMER(h_garp_interval, vrrp_garp_interval_us, 0, 1 * SEC)
DEF_TIMER(h_gna_interval, vrrp_gna_interval_us, 0, 1 * SEC)
DEF_BOOL(h_min_garp, vrrp_min_garp)
DEF_U32(h_down_timer_adverts, vrrp_down_timer_adverts, 1, 100)
DEF_TRI(h_lower_prio_no_advert, vrrp_lower_prio_no_advert)
DEF_TRI(h_higher_prio_send_advert, vrrp_higher_prio_send_advert)
DEF_FLAG(h_check_unicast_src, vrrp_check_unicast_src)
DEF_FLAG(h_skip_check_adv_addr, vrrp_skip_check_adv_addr)
DEF_FLAG(h_vrrp_strict, vrrp_strict)
DEF_BOOL(h_notify_priority_changes, vrrp_notify_priority_changes)
DEF_TIMER(h_startup_delay, vrrp_startup_delay_us, 0, 3600 * SEC)
DEF_FLAG(h_log_unknown_vrids, log_unknown_vrids)
DEF_STR(h_vmac_prefix, vmac_prefix)
DEF_STR(h_vmac_addr_prefix, vmac_addr_prefix)
DEF_I32(h_nftables_priority, nftables_priority, -32768, 32767)
DEF_FLAG(h_nftables_counters, nftables_counters)
DEF_FLAG(h_nftables_ifindex, nftables_ifindex)
DEF_FLAG(h_enable_script_security, enable_script_security)
DEF_U32(h_startup_script_timeout, startup_script_timeout_s, 1, 1000)
DEF_U32(h_shutdown_script_timeout, shutdown_script_timeout_s, 1, 1000)
DEF_FLAG(h_fifo_write_states, fifo_write_vrrp_states_on_reload)
DEF_I32(h_vrrp_priority, vrrp_priority, -20, 19)
DEF_I32(h_checker_priority, checker_priority, -20, 19)
/* vigil runs the VRRP child real-time by default (daemon/child_vrrp.c);
 * "0" or "off" turns that off. keepalived 2.2.7 knows neither (its default
 * is already off): its -t fails on them. */
H(h_vrrp_rt_priority)
{
	UNUSED_OBJ;
	if (n->argc > 1 && (strcmp(n->args[1].s, "off") == 0 || strcmp(n->args[1].s, "0") == 0)) {
		G(ctx)->vrrp_rt_priority = 0;
		G(ctx)->vrrp_rt_off = true;
		conf_strict(ctx, n, 1, "vrrp_rt_priority %s: vigil's default real-time scheduling "
			    "is off (keepalived 2.2.7 rejects the value)", n->args[1].s);
		return;
	}
	if (conf_u32(ctx, n, 1, 1, 99, &G(ctx)->vrrp_rt_priority) == 0)
		G(ctx)->vrrp_rt_off = false;
}
DEF_U32(h_checker_rt_priority, checker_rt_priority, 1, 99)
DEF_U32(h_vrrp_rlimit_rttime, vrrp_rlimit_rttime_us, 2, UINT32_MAX)
DEF_U32(h_checker_rlimit_rttime, checker_rlimit_rttime_us, 2, UINT32_MAX)
DEF_FLAG(h_vrrp_no_swap, vrrp_no_swap)
DEF_FLAG(h_checker_no_swap, checker_no_swap)
DEF_U32(h_min_auto_priority_delay, min_auto_priority_delay_us, 1, 10000000)

H(h_max_auto_priority)
{
	UNUSED_OBJ;
	if (n->argc < 2)
		G(ctx)->max_auto_priority = 99;
	else
		conf_i32(ctx, n, 1, -1, 99, &G(ctx)->max_auto_priority);
}

H(h_random_seed)
{
	UNUSED_OBJ;
	if (conf_u32(ctx, n, 1, 0, UINT32_MAX, &G(ctx)->random_seed) == 0)
		G(ctx)->random_seed_set = true;
}

H(h_lower_prio_delay)
{
	UNUSED_OBJ;
	if (conf_timer_us(ctx, n, 1, 0, 255 * SEC, &G(ctx)->vrrp_garp_lower_prio_delay_us) == 0)
		G(ctx)->vrrp_garp_lower_prio_delay_set = true;
}

H(h_lower_prio_repeat)
{
	UNUSED_OBJ;
	if (conf_u32(ctx, n, 1, 1, 255, &G(ctx)->vrrp_garp_lower_prio_repeat) == 0)
		G(ctx)->vrrp_garp_lower_prio_repeat_set = true;
}

H(h_garp_extra_if)
{
	unsigned i = 1;

	UNUSED_OBJ;
	if (n->argc > 1 && !strcmp(n->args[1].s, "all")) {
		G(ctx)->vrrp_garp_extra_if_all = true;
		i = 2;
	}
	conf_u32(ctx, n, i, 0, 86400, &G(ctx)->vrrp_garp_extra_if_s);
}

H(h_vrrp_version)
{
	uint32_t v;

	UNUSED_OBJ;
	if (conf_u32(ctx, n, 1, 2, 3, &v) == 0)
		G(ctx)->vrrp_version = (int)v;
}

static void mcast_group(struct conf_ctx *ctx, const struct cfg_node *n, int family,
			struct vaddr *out)
{
	struct vaddr a;

	if (conf_addr(ctx, n, 1, &a) < 0)
		return;
	if (a.family != family)
		conf_error(ctx, n, 1, "'%s' needs an %s address", n->args[0].s,
			   family == AF_INET ? "IPv4" : "IPv6");
	else if (family == AF_INET ? !IN_MULTICAST(ntohl(a.u.v4.s_addr))
				   : !IN6_IS_ADDR_MULTICAST(&a.u.v6))
		conf_error(ctx, n, 1, "'%s' is not a multicast address", n->args[1].s);
	else
		*out = a;
}

H(h_mcast_group4) { UNUSED_OBJ; mcast_group(ctx, n, AF_INET, &G(ctx)->vrrp_mcast_group4); }
H(h_mcast_group6) { UNUSED_OBJ; mcast_group(ctx, n, AF_INET6, &G(ctx)->vrrp_mcast_group6); }

H(h_smtp_server)
{
	UNUSED_OBJ;
	if (conf_str(ctx, n, 1, &G(ctx)->smtp_server) == 0 && n->argc > 2)
		conf_port(ctx, n, 2, &G(ctx)->smtp_port);
}

H(h_notification_email)
{
	struct global_email **tail = &G(ctx)->emails;

	UNUSED_OBJ;
	while (*tail)
		tail = &(*tail)->next;
	for (const struct cfg_node *c = n->child; c; c = c->next) {
		struct global_email *e = conf_alloc(ctx, c, sizeof(*e));

		if (!e || conf_str(ctx, c, 0, &e->addr) < 0)
			return;
		*tail = e;
		tail = &e->next;
		G(ctx)->n_emails++;
	}
}

H(h_script_user)
{
	UNUSED_OBJ;
	conf_str(ctx, n, 1, &G(ctx)->script_user);
	if (n->argc > 2)
		conf_str(ctx, n, 2, &G(ctx)->script_group);
}

/* "KEYWORD COMMAND [user [group]]" */
static void script_cmd(struct conf_ctx *ctx, const struct cfg_node *n, struct global_script *s)
{
	conf_loc(ctx, &n->loc, &s->loc);
	conf_str(ctx, n, 1, &s->cmd);
	if (n->argc > 2)
		conf_str(ctx, n, 2, &s->user);
	if (n->argc > 3)
		conf_str(ctx, n, 3, &s->group);
}

H(h_startup_script) { UNUSED_OBJ; script_cmd(ctx, n, &G(ctx)->startup_script); }
H(h_shutdown_script) { UNUSED_OBJ; script_cmd(ctx, n, &G(ctx)->shutdown_script); }

static struct global_fifo *fifo_for(struct conf_ctx *ctx, const char *kw)
{
	if (!strncmp(kw, "vrrp_", 5))
		return &G(ctx)->vrrp_notify_fifo;
	if (!strncmp(kw, "lvs_", 4))
		return &G(ctx)->lvs_notify_fifo;
	return &G(ctx)->notify_fifo;
}

H(h_fifo)
{
	struct global_fifo *f = fifo_for(ctx, n->args[0].s);

	UNUSED_OBJ;
	conf_str(ctx, n, 1, &f->path);
	if (n->argc > 2)
		conf_str(ctx, n, 2, &f->user);
	if (n->argc > 3)
		conf_str(ctx, n, 3, &f->group);
}

H(h_fifo_script) { UNUSED_OBJ; script_cmd(ctx, n, &fifo_for(ctx, n->args[0].s)->script); }

H(h_nftables)
{
	UNUSED_OBJ;
	G(ctx)->firewall = GLOBAL_FW_NFTABLES;
	if (n->argc > 1)
		conf_str(ctx, n, 1, &G(ctx)->nftables_table);
}

/* An ipset name the kernel takes (IPSET_MAXNAMELEN 32 with its NUL;
 * keepalived refuses 31 and more). */
#define IPSET_NAME_MAX 30

/* @base @suffix, or NULL (reported) when longer than an ipset name. */
static const char *ipset_name(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i,
			      const char *base, const char *suffix)
{
	size_t len = strlen(base) + strlen(suffix);
	char *s;

	if (!*base || len > IPSET_NAME_MAX) {
		conf_error(ctx, n, i, "ipset name '%s%s' is %s - ignoring vrrp_ipsets", base,
			   suffix, *base ? "too long (30 characters at most)" : "empty");
		return NULL;
	}
	s = arena_alloc(ctx->arena, len + 1);
	if (s)
		snprintf(s, len + 1, "%s%s", base, suffix);
	return s;
}

/* keepalived 2.2.7: without names it uses no ipsets (its nftables mode
 * never does); vigil's blocking always goes through its own. The IGMP
 * and MLD set names (4th, 5th) are accepted: vigil's VMAC rules are
 * nftables rules of their own (vrrp/vmac_nft.h). */
H(h_vrrp_ipsets)
{
	struct global_conf *g = G(ctx);
	const char *v4, *v6, *if6;

	UNUSED_OBJ;
	if (n->argc < 2) {
		conf_warning(ctx, n, 0,
			     "vrrp_ipsets without names: vigil keeps blocking through its ipsets "
			     "vigil and vigil6");
		return;
	}
	v4 = ipset_name(ctx, n, 1, n->args[1].s, "");
	v6 = n->argc > 2 ? ipset_name(ctx, n, 2, n->args[2].s, "")
			 : ipset_name(ctx, n, 1, n->args[1].s, "6");
	if6 = n->argc > 3 ? ipset_name(ctx, n, 3, n->args[3].s, "")
			  : ipset_name(ctx, n, 1, n->args[1].s, "_if6");
	if (!v4 || !v6 || !if6)
		return;
	if (!strcmp(v4, v6) || !strcmp(v4, if6) || !strcmp(v6, if6)) {
		conf_error(ctx, n, 1, "vrrp_ipsets names must differ - ignoring vrrp_ipsets");
		return;
	}
	g->vrrp_ipset4 = v4;
	g->vrrp_ipset6 = v6;
	g->vrrp_ipset_if6 = if6;
}

H(h_iptables)
{
	UNUSED_OBJ;
	/* keepalived prefers nftables when both are given. */
	if (G(ctx)->firewall != GLOBAL_FW_NFTABLES)
		G(ctx)->firewall = GLOBAL_FW_IPTABLES;
	G(ctx)->iptables_chain_in = "INPUT";
	if (n->argc > 1)
		conf_str(ctx, n, 1, &G(ctx)->iptables_chain_in);
	if (n->argc > 2)
		conf_str(ctx, n, 2, &G(ctx)->iptables_chain_out);
}

H(h_dynamic_interfaces)
{
	UNUSED_OBJ;
	G(ctx)->dynamic_interfaces = true;
	if (n->argc > 1) {
		if (strcmp(n->args[1].s, "allow_if_changes"))
			conf_error(ctx, n, 1, "'dynamic_interfaces' accepts only 'allow_if_changes'");
		else
			G(ctx)->allow_if_changes = true;
	}
}


/* LVS */
DEF_FLAG(h_lvs_flush, lvs_flush)

H(h_lvs_flush_on_stop)
{
	UNUSED_OBJ;
	if (n->argc < 2)
		G(ctx)->lvs_flush_on_stop = GLOBAL_LVS_STOP_FLUSH;
	else if (!strcmp(n->args[1].s, "VS"))
		G(ctx)->lvs_flush_on_stop = GLOBAL_LVS_STOP_OWN;
	else
		conf_error(ctx, n, 1, "unknown lvs_flush_on_stop type '%s' (expected 'VS')",
			   n->args[1].s);
}

/* "lvs_timeouts [tcp SECS] [tcpfin SECS] [udp SECS]", at least one. */
H(h_lvs_timeouts)
{
	struct global_lvs_timeouts *t = &G(ctx)->lvs_timeouts;

	UNUSED_OBJ;
	if (n->argc < 3) {
		conf_error(ctx, n, 0, "'lvs_timeouts' needs at least one of tcp, tcpfin, udp "
				      "with a value");
		return;
	}
	for (unsigned i = 1; i < n->argc; i++) {
		const char *opt = n->args[i].s;
		uint32_t *field = !strcmp(opt, "tcp")	   ? &t->tcp_s
				  : !strcmp(opt, "tcpfin") ? &t->tcpfin_s
				  : !strcmp(opt, "udp")	   ? &t->udp_s
							   : NULL;

		if (!field) {
			conf_error(ctx, n, i, "unknown lvs_timeouts option '%s' (expected tcp, "
					      "tcpfin or udp)", opt);
			continue;
		}
		if (i + 1 >= n->argc) {
			conf_error(ctx, n, i, "no value for lvs_timeouts %s", opt);
			break;
		}
		conf_u32(ctx, n, ++i, 0, GLOBAL_LVS_TIMEOUT_MAX, field);
	}
}

static void syncd_option(struct conf_ctx *ctx, const struct cfg_node *n, unsigned *i,
			 struct global_lvs_syncd *d)
{
	const char *opt = n->args[*i].s;
	uint32_t v;

	if (*i + 1 >= n->argc) {
		conf_error(ctx, n, *i, "no value for lvs_sync_daemon %s", opt);
		return;
	}
	(*i)++;
	if (!strcmp(opt, "inst")) {
		if (d->vrrp_instance)
			conf_strict(ctx, n, *i, "lvs_sync_daemon VRRP instance already given as "
						"'%s' - ignoring", d->vrrp_instance);
		else
			conf_str(ctx, n, *i, &d->vrrp_instance);
	} else if (!strcmp(opt, "id")) {
		if (conf_u32(ctx, n, *i, 0, 255, &d->syncid) == 0)
			d->syncid_set = true;
	} else if (!strcmp(opt, "maxlen")) {
		if (conf_u32(ctx, n, *i, 1, 65535 - 20 - 8, &v) == 0)
			d->maxlen = (uint16_t)v;
	} else if (!strcmp(opt, "port")) {
		if (conf_u32(ctx, n, *i, 1, 65535, &v) == 0)
			d->port = (uint16_t)v;
	} else if (!strcmp(opt, "ttl")) {
		if (conf_u32(ctx, n, *i, 1, 255, &v) == 0)
			d->ttl = (uint8_t)v;
	} else {
		struct vaddr a;

		if (conf_addr(ctx, n, *i, &a) < 0)
			return;
		if (a.family == AF_INET ? !IN_MULTICAST(ntohl(a.u.v4.s_addr))
					: !IN6_IS_ADDR_MULTICAST(&a.u.v6))
			conf_error(ctx, n, *i, "lvs_sync_daemon group '%s' is not a multicast "
					       "address", n->args[*i].s);
		else
			d->group = a;
	}
}

/* keepalived 2.2.7's grammar, including the older positional form
 * "lvs_sync_daemon IF INSTANCE [SYNCID]". */
H(h_lvs_sync_daemon)
{
	static const char *const opts[] = { "inst", "id", "maxlen", "port", "ttl", "group" };
	struct global_lvs_syncd *d = &G(ctx)->lvs_syncd;

	UNUSED_OBJ;
	if (d->ifname) {
		conf_strict(ctx, n, 0, "lvs_sync_daemon already given (interface %s) - ignoring",
			    d->ifname);
		return;
	}
	if (strlen(n->args[1].s) > GLOBAL_LVS_IFNAME_MAX) {
		conf_error(ctx, n, 1, "lvs_sync_daemon interface name '%s' is longer than %d "
				      "characters", n->args[1].s, GLOBAL_LVS_IFNAME_MAX);
		return;
	}
	conf_loc(ctx, &n->loc, &d->loc);
	conf_str(ctx, n, 1, &d->ifname);
	for (unsigned i = 2; i < n->argc; i++) {
		const char *a = n->args[i].s;
		bool known = false;

		for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
			known |= !strcmp(a, opts[k]);
		if (known) {
			syncd_option(ctx, n, &i, d);
		} else if (i == 2) {
			conf_str(ctx, n, 2, &d->vrrp_instance);
		} else if (i == 3) {
			conf_strict(ctx, n, 3, "please use keyword \"id\" before the lvs_sync_daemon "
					       "sync ID");
			if (conf_u32(ctx, n, 3, 0, 255, &d->syncid) == 0)
				d->syncid_set = true;
		} else {
			conf_error(ctx, n, i, "unknown lvs_sync_daemon option '%s'", a);
		}
	}
}

static const struct kw global_defs_kws[] = {
	{ "router_id", h_router_id, 1, 1, 0, NULL },
	{ "notification_email", h_notification_email, 0, 0, KW_BLOCK, NULL },
	{ "notification_email_from", h_email_from, 1, 1, 0, NULL },
	{ "smtp_server", h_smtp_server, 1, 2, 0, NULL },
	{ "smtp_helo_name", h_smtp_helo_name, 1, 1, 0, NULL },
	{ "smtp_connect_timeout", h_smtp_connect_timeout, 1, 1, 0, NULL },
	{ "smtp_alert", h_smtp_alert, 0, 1, 0, NULL },
	{ "smtp_alert_vrrp", h_smtp_alert_vrrp, 0, 1, 0, NULL },
	{ "smtp_alert_checker", h_smtp_alert_checker, 0, 1, 0, NULL },
	{ "no_email_faults", h_no_email_faults, 0, 0, 0, NULL },
	{ "checker_log_all_failures", h_checker_log_all_failures, 0, 1, 0, NULL },
	{ "default_interface", h_default_interface, 1, 1, 0, NULL },
	{ "vrrp_mcast_group4", h_mcast_group4, 1, 1, 0, NULL },
	{ "vrrp_mcast_group6", h_mcast_group6, 1, 1, 0, NULL },
	{ "vrrp_garp_master_delay", h_garp_master_delay, 1, 1, 0, NULL },
	{ "vrrp_garp_master_repeat", h_garp_master_repeat, 1, 1, 0, NULL },
	{ "vrrp_garp_lower_prio_delay", h_lower_prio_delay, 1, 1, 0, NULL },
	{ "vrrp_garp_lower_prio_repeat", h_lower_prio_repeat, 1, 1, 0, NULL },
	{ "vrrp_garp_master_refresh", h_garp_master_refresh, 1, 1, 0, NULL },
	{ "vrrp_garp_master_refresh_repeat", h_garp_master_refresh_repeat, 1, 1, 0, NULL },
	{ "vrrp_garp_interval", h_garp_interval, 1, 1, 0, NULL },
	{ "vrrp_gna_interval", h_gna_interval, 1, 1, 0, NULL },
	{ "vrrp_min_garp", h_min_garp, 0, 1, 0, NULL },
	{ "vrrp_garp_extra_if", h_garp_extra_if, 1, 2, 0, NULL },
	{ "vrrp_down_timer_adverts", h_down_timer_adverts, 1, 1, 0, NULL },
	{ "vrrp_lower_prio_no_advert", h_lower_prio_no_advert, 0, 1, 0, NULL },
	{ "vrrp_higher_prio_send_advert", h_higher_prio_send_advert, 0, 1, 0, NULL },
	{ "vrrp_version", h_vrrp_version, 1, 1, 0, NULL },
	{ "vrrp_check_unicast_src", h_check_unicast_src, 0, 0, 0, NULL },
	{ "vrrp_skip_check_adv_addr", h_skip_check_adv_addr, 0, 0, 0, NULL },
	{ "vrrp_strict", h_vrrp_strict, 0, 0, 0, NULL },
	{ "vrrp_notify_priority_changes", h_notify_priority_changes, 0, 1, 0, NULL },
	{ "vrrp_startup_delay", h_startup_delay, 1, 1, 0, NULL },
	{ "log_unknown_vrids", h_log_unknown_vrids, 0, 0, 0, NULL },
	{ "dynamic_interfaces", h_dynamic_interfaces, 0, 1, 0, NULL },
	{ "vmac_prefix", h_vmac_prefix, 1, 1, 0, NULL },
	{ "vmac_addr_prefix", h_vmac_addr_prefix, 1, 1, 0, NULL },
	{ "nftables", h_nftables, 0, 1, 0, NULL },
	{ "nftables_priority", h_nftables_priority, 1, 1, 0, NULL },
	{ "nftables_counters", h_nftables_counters, 0, 0, 0, NULL },
	{ "nftables_ifindex", h_nftables_ifindex, 0, 0, 0, NULL },
	{ "vrrp_iptables", h_iptables, 0, 2, 0, NULL },
	{ "vrrp_ipsets", h_vrrp_ipsets, 0, 5, 0, NULL },
	{ "script_user", h_script_user, 1, 2, 0, NULL },
	{ "enable_script_security", h_enable_script_security, 0, 0, 0, NULL },
	{ "startup_script", h_startup_script, 1, 3, 0, NULL },
	{ "startup_script_timeout", h_startup_script_timeout, 1, 1, 0, NULL },
	{ "shutdown_script", h_shutdown_script, 1, 3, 0, NULL },
	{ "shutdown_script_timeout", h_shutdown_script_timeout, 1, 1, 0, NULL },
	{ "notify_fifo", h_fifo, 1, 3, 0, NULL },
	{ "notify_fifo_script", h_fifo_script, 1, 3, 0, NULL },
	{ "vrrp_notify_fifo", h_fifo, 1, 3, 0, NULL },
	{ "vrrp_notify_fifo_script", h_fifo_script, 1, 3, 0, NULL },
	{ "lvs_notify_fifo", h_fifo, 1, 3, 0, NULL },
	{ "lvs_notify_fifo_script", h_fifo_script, 1, 3, 0, NULL },
	{ "fifo_write_vrrp_states_on_reload", h_fifo_write_states, 0, 0, 0, NULL },
	{ "vrrp_priority", h_vrrp_priority, 1, 1, 0, NULL },
	{ "checker_priority", h_checker_priority, 1, 1, 0, NULL },
	{ "vrrp_rt_priority", h_vrrp_rt_priority, 1, 1, 0, NULL },
	{ "checker_rt_priority", h_checker_rt_priority, 1, 1, 0, NULL },
	{ "vrrp_rlimit_rttime", h_vrrp_rlimit_rttime, 1, 1, 0, NULL },
	{ "vrrp_rlimit_rtime", h_vrrp_rlimit_rttime, 1, 1, KW_DEPRECATED, "vrrp_rlimit_rttime" },
	{ "checker_rlimit_rttime", h_checker_rlimit_rttime, 1, 1, 0, NULL },
	{ "checker_rlimit_rtime", h_checker_rlimit_rttime, 1, 1, KW_DEPRECATED, "checker_rlimit_rttime" },
	{ "vrrp_no_swap", h_vrrp_no_swap, 0, 0, 0, NULL },
	{ "checker_no_swap", h_checker_no_swap, 0, 0, 0, NULL },
	{ "max_auto_priority", h_max_auto_priority, 0, 1, 0, NULL },
	{ "min_auto_priority_delay", h_min_auto_priority_delay, 1, 1, 0, NULL },
	{ "random_seed", h_random_seed, 1, 1, 0, NULL },
	{ "bfd_cpu_affinity", NULL, 0, KW_ANY, KW_IGNORED, "BFD" },
	{ "bfd_no_swap", NULL, 0, KW_ANY, KW_IGNORED, "BFD" },
	{ "bfd_priority", NULL, 0, KW_ANY, KW_IGNORED, "BFD" },
	{ "bfd_process_name", NULL, 0, KW_ANY, KW_IGNORED, "BFD" },
	{ "bfd_rlimit_rtime", NULL, 0, KW_ANY, KW_IGNORED, "BFD" },
	{ "bfd_rlimit_rttime", NULL, 0, KW_ANY, KW_IGNORED, "BFD" },
	{ "bfd_rt_priority", NULL, 0, KW_ANY, KW_IGNORED, "BFD" },
	{ "checker_cpu_affinity", NULL, 0, KW_ANY, KW_IGNORED, "CPU affinity" },
	{ "checker_process_name", NULL, 0, KW_ANY, KW_IGNORED, "process names" },
	{ "config_save_dir", NULL, 0, KW_ANY, KW_IGNORED, "debugging aid" },
	{ "data_use_instance", NULL, 0, KW_ANY, KW_IGNORED, "SIGUSR1 data dumps" },
	{ "dbus_service_name", NULL, 0, KW_ANY, KW_IGNORED, "D-Bus" },
	{ "disable_local_igmp", NULL, 0, KW_ANY, KW_IGNORED, "VMAC IGMP handling" },
	{ "enable_dbus", NULL, 0, KW_ANY, KW_IGNORED, "D-Bus" },
	{ "enable_snmp_checker", NULL, 0, KW_ANY, KW_IGNORED, "SNMP" },
	{ "enable_snmp_keepalived", NULL, 0, KW_ANY, KW_IGNORED, "SNMP" },
	{ "enable_snmp_rfc", NULL, 0, KW_ANY, KW_IGNORED, "SNMP" },
	{ "enable_snmp_rfcv2", NULL, 0, KW_ANY, KW_IGNORED, "SNMP" },
	{ "enable_snmp_rfcv3", NULL, 0, KW_ANY, KW_IGNORED, "SNMP" },
	{ "enable_snmp_vrrp", NULL, 0, KW_ANY, KW_IGNORED, "SNMP" },
	{ "enable_traps", NULL, 0, KW_ANY, KW_IGNORED, "SNMP" },
	/* Applied by the lexer as it reads it (lines.h): nothing left to do. */
	{ "include_check", NULL, 0, KW_ANY, 0, NULL },
	{ "lvs_flush", h_lvs_flush, 0, 0, 0, NULL },
	{ "lvs_flush_on_stop", h_lvs_flush_on_stop, 0, 1, 0, NULL },
	{ "lvs_flush_onstop", h_lvs_flush_on_stop, 0, 1, 0, NULL },
	{ "lvs_netlink_cmd_rcv_bufs", NULL, 0, KW_ANY, KW_IGNORED, "netlink buffer sizing" },
	{ "lvs_netlink_cmd_rcv_bufs_force", NULL, 0, KW_ANY, KW_IGNORED, "netlink buffer sizing" },
	{ "lvs_netlink_monitor_rcv_bufs", NULL, 0, KW_ANY, KW_IGNORED, "netlink buffer sizing" },
	{ "lvs_netlink_monitor_rcv_bufs_force", NULL, 0, KW_ANY, KW_IGNORED, "netlink buffer sizing" },
	{ "lvs_process_name", NULL, 0, KW_ANY, KW_IGNORED, "process names" },
	{ "lvs_sync_daemon", h_lvs_sync_daemon, 1, KW_ANY, 0, NULL },
	{ "lvs_timeouts", h_lvs_timeouts, 0, KW_ANY, 0, NULL },
	{ "nftables_ipvs", NULL, 0, KW_ANY, KW_IGNORED, "virtual server group fwmarks" },
	{ "nftables_ipvs_priority", NULL, 0, KW_ANY, KW_IGNORED, "virtual server group fwmarks" },
	{ "nftables_ipvs_start_fwmark", NULL, 0, KW_ANY, KW_IGNORED, "virtual server group fwmarks" },
	{ "no_checker_emails", NULL, 0, KW_ANY, KW_IGNORED, "SMTP alerts from checkers" },
	{ "process_monitor_rcv_bufs", NULL, 0, KW_ANY, KW_IGNORED, "netlink buffer sizing" },
	{ "process_monitor_rcv_bufs_force", NULL, 0, KW_ANY, KW_IGNORED, "netlink buffer sizing" },
	{ "process_name", NULL, 0, KW_ANY, KW_IGNORED, "process names" },
	{ "process_names", NULL, 0, KW_ANY, KW_IGNORED, "process names" },
	{ "reload_check_config", NULL, 0, KW_ANY, KW_IGNORED, "vigil always validates before a reload" },
	{ "reload_file", NULL, 0, KW_ANY, KW_IGNORED, "scheduled reloads" },
	{ "reload_repeat", NULL, 0, KW_ANY, KW_IGNORED, "scheduled reloads" },
	{ "reload_time_file", NULL, 0, KW_ANY, KW_IGNORED, "scheduled reloads" },
	{ "rs_init_notifies", NULL, 0, KW_ANY, KW_IGNORED, "not modelled yet" },
	{ "snmp_socket", NULL, 0, KW_ANY, KW_IGNORED, "SNMP" },
	{ "tmp_config_directory", NULL, 0, KW_ANY, KW_IGNORED, "vigil keeps the config in memory" },
	{ "umask", NULL, 0, KW_ANY, KW_IGNORED, "vigil creates files 0600" },
	{ "vrrp_cpu_affinity", NULL, 0, KW_ANY, KW_IGNORED, "CPU affinity" },
	{ "vrrp_garp_extra_if_vmac", NULL, 0, KW_ANY, KW_IGNORED,
	  "keepalived 2.2.7 does not know it either (vrrp_garp_extra_if)" },
	{ "vrrp_netlink_cmd_rcv_bufs", NULL, 0, KW_ANY, KW_IGNORED, "netlink buffer sizing" },
	{ "vrrp_netlink_cmd_rcv_bufs_force", NULL, 0, KW_ANY, KW_IGNORED, "netlink buffer sizing" },
	{ "vrrp_netlink_monitor_rcv_bufs", NULL, 0, KW_ANY, KW_IGNORED, "netlink buffer sizing" },
	{ "vrrp_netlink_monitor_rcv_bufs_force", NULL, 0, KW_ANY, KW_IGNORED, "netlink buffer sizing" },
	{ "vrrp_process_name", NULL, 0, KW_ANY, KW_IGNORED, "process names" },
	{ "vrrp_rx_bufs_multiplier", NULL, 0, KW_ANY, KW_IGNORED, "socket buffer sizing" },
	{ "vrrp_rx_bufs_policy", NULL, 0, KW_ANY, KW_IGNORED, "socket buffer sizing" },
	{ "vrrp_vmac_garp_intvl", h_garp_extra_if, 1, 2, KW_DEPRECATED, "vrrp_garp_extra_if" },
};
static const struct kw_table global_defs_table = KW_TABLE("global_defs", global_defs_kws);

H(h_global_defs)
{
	kw_dispatch(ctx, n->child, &global_defs_table, o);
}

const struct kw conf_global_top_kws[] = {
	{ "global_defs", h_global_defs, 0, 0, KW_BLOCK, NULL },
	{ "net_namespace", h_net_namespace, 1, 1, 0, NULL },
	{ "net_namespace_ipvs", h_net_namespace_ipvs, 0, 1, 0, NULL },
	{ "namespace_with_ipsets", NULL, 0, 0, KW_IGNORED, "vigil's ipsets are namespace-aware" },
	{ "instance", h_instance, 1, 1, 0, NULL },
	{ "use_pid_dir", h_use_pid_dir, 0, 0, 0, NULL },
	{ "linkbeat_use_polling", h_linkbeat_use_polling, 0, 0, 0, NULL },
	{ "child_wait_time", h_child_wait_time, 1, 1, 0, NULL },
};
const size_t conf_global_top_nkws = sizeof(conf_global_top_kws) / sizeof(conf_global_top_kws[0]);

void conf_global_defaults(struct conf_ctx *ctx, struct global_conf *g)
{
	(void)ctx;
	memset(g, 0, sizeof(*g));
	g->child_wait_time_s = 5;
	g->smtp_port = 25;
	g->smtp_connect_timeout_s = 30;
	g->smtp_alert = g->smtp_alert_vrrp = g->smtp_alert_checker = -1;
	vaddr_parse("224.0.0.18", &g->vrrp_mcast_group4);
	vaddr_parse("ff02::12", &g->vrrp_mcast_group6);
	g->vrrp_garp_master_delay_us = 5 * SEC;
	g->vrrp_garp_master_repeat = 5;
	g->vrrp_garp_master_refresh_repeat = 1;
	g->vrrp_down_timer_adverts = 3;
	g->vrrp_lower_prio_no_advert = -1;
	g->vrrp_higher_prio_send_advert = -1;
	g->vrrp_version = 2;
	g->nftables_priority = -1;
	g->startup_script_timeout_s = 10;
	g->shutdown_script_timeout_s = 10;
}

/* keepalived: the sync ID defaults to the instance's VRID; an unknown
 * instance clears the whole lvs_sync_daemon. */
static void conf_global_finish_syncd(struct conf_ctx *ctx, struct global_lvs_syncd *d)
{
	const struct vrrp_instance_conf *inst;

	if (!d->ifname || !d->vrrp_instance)
		return;
	for (inst = ctx->cfg->vrrp.instances; inst; inst = inst->next)
		if (!strcmp(inst->name, d->vrrp_instance))
			break;
	if (!inst) {
		conf_strict_at(ctx, &d->loc, "lvs_sync_daemon: no vrrp_instance '%s' - ignoring "
					     "lvs_sync_daemon", d->vrrp_instance);
		memset(d, 0, sizeof(*d));
		return;
	}
	if (!d->syncid_set)
		d->syncid = inst->vrid;
}

void conf_global_finish(struct conf_ctx *ctx)
{
	struct global_conf *g = G(ctx);

	if (!g->vrrp_garp_lower_prio_delay_set)
		g->vrrp_garp_lower_prio_delay_us = g->vrrp_garp_master_delay_us;
	if (!g->vrrp_garp_lower_prio_repeat_set)
		g->vrrp_garp_lower_prio_repeat = g->vrrp_garp_master_repeat;
	if (g->vrrp_min_garp) {
		/* keepalived: one GARP, no second burst, unless set explicitly. */
		g->vrrp_garp_master_repeat = 1;
		g->vrrp_garp_master_delay_us = 0;
	}
	if (g->firewall == GLOBAL_FW_NFTABLES && !g->nftables_table)
		g->nftables_table = arena_strdup(ctx->arena, "keepalived");
	if (!g->vmac_prefix)
		g->vmac_prefix = arena_strdup(ctx->arena, "vrrp");
	conf_global_finish_syncd(ctx, &g->lvs_syncd);
	if (g->startup_script.cmd && !g->startup_script.user && g->script_user) {
		g->startup_script.user = g->script_user;
		g->startup_script.group = g->script_group;
	}
}
