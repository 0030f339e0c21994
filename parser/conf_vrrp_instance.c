/* vrrp_instance: the keyword table and its handlers. Inheritance from
 * global_defs and cross-checks run later, in conf_vrrp_check.c. */
#include "build-config.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "parser/conf_vrrp_internal.h"

#define H(fn) static void fn(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
#define VI(o) ((struct vrrp_instance_conf *)(o))

H(i_state)
{
	static const char *const names[] = { "BACKUP", "MASTER", NULL };
	int k;

	if (conf_enum(ctx, n, 1, names, &k) == 0)
		VI(obj)->state = k ? VRRP_INIT_MASTER : VRRP_INIT_BACKUP;
}

H(i_interface) { conf_str(ctx, n, 1, &VI(obj)->interface); }
H(i_vrf) { conf_str(ctx, n, 1, &VI(obj)->vrf); }

H(i_vrid)
{
	uint32_t v;

	if (conf_u32(ctx, n, 1, 1, 255, &v) == 0)
		VI(obj)->vrid = (uint8_t)v;
}

H(i_priority)
{
	uint32_t v;

	if (conf_u32(ctx, n, 1, 1, 255, &v) == 0)
		VI(obj)->priority = (uint8_t)v;
}

/* Range checks that depend on the version run at finish time. */
H(i_advert_int) { conf_timer_us(ctx, n, 1, 10000, 255 * SEC_US, &VI(obj)->advert_int_us); }

H(i_version)
{
	uint32_t v;

	if (conf_u32(ctx, n, 1, 2, 3, &v) == 0)
		VI(obj)->version = (int)v;
}

H(i_nopreempt) { (void)ctx; (void)n; VI(obj)->nopreempt = true; }
H(i_preempt) { (void)ctx; (void)n; VI(obj)->nopreempt = false; }
H(i_preempt_delay) { conf_timer_us(ctx, n, 1, 0, 1000 * SEC_US, &VI(obj)->preempt_delay_us); }

static int src_ip(struct conf_ctx *ctx, const struct cfg_node *n, struct vrrp_instance_conf *vi)
{
	struct vaddr a;

	if (conf_addr(ctx, n, 1, &a) < 0)
		return -1;
	if (vi->src_addr.family && !vaddr_equal(&vi->src_addr, &a))
		conf_warning(ctx, n, 1, "source address given twice; using %s", n->args[1].s);
	vi->src_addr = a;
	return 0;
}

H(i_src_ip) { src_ip(ctx, n, VI(obj)); }
H(i_track_src_ip) { (void)ctx; (void)n; VI(obj)->track_src_ip = true; }

H(i_mcast_dst_ip)
{
	struct vaddr a;

	if (conf_addr(ctx, n, 1, &a) < 0)
		return;
	if (a.family == AF_INET ? !IN_MULTICAST(ntohl(a.u.v4.s_addr))
				: !IN6_IS_ADDR_MC_LINKLOCAL(&a.u.v6)) {
		conf_error(ctx, n, 1, "mcast_dst_ip '%s' is not a %s multicast address",
			   n->args[1].s, a.family == AF_INET ? "an IPv4" : "a link-local IPv6");
		return;
	}
	VI(obj)->mcast_dst = a;
}

/* "ADDR [min_ttl N] [max_ttl N]" */
static void peer_line(struct conf_ctx *ctx, const struct cfg_node *c, struct vrrp_instance_conf *vi)
{
	struct vrrp_peer_conf *p = conf_alloc(ctx, c, sizeof(*p)), **tail;

	if (!p || conf_addr(ctx, c, 0, &p->addr) < 0)
		return;
	conf_loc(ctx, &c->loc, &p->loc);
	p->min_ttl = p->max_ttl = -1;
	for (unsigned i = 1; i < c->argc; i += 2) {
		uint32_t v;
		bool min = !strcmp(c->args[i].s, "min_ttl");

		if (!min && strcmp(c->args[i].s, "max_ttl")) {
			conf_error(ctx, c, i, "unknown unicast_peer option '%s' (min_ttl, max_ttl)",
				   c->args[i].s);
			return;
		}
		if (conf_u32(ctx, c, i + 1, 0, 255, &v) < 0)
			return;
		*(min ? &p->min_ttl : &p->max_ttl) = (int)v;
		vi->check_unicast_src = true; /* keepalived: a TTL range implies the check */
	}
	for (tail = &vi->peers; *tail; tail = &(*tail)->next)
		if (vaddr_equal(&(*tail)->addr, &p->addr)) {
			/* keepalived >= 2.3 drops duplicates; 2.2.7 accepted them. */
			conf_warning(ctx, c, 0, "duplicate unicast_peer %s (first at line %u); ignored",
				     c->args[0].s, (*tail)->loc.line);
			return;
		}
	*tail = p;
	vi->n_peers++;
}

H(i_unicast_peer)
{
	for (const struct cfg_node *c = n->child; c; c = c->next)
		peer_line(ctx, c, VI(obj));
}

H(i_unicast_ttl)
{
	uint32_t v;

	if (conf_u32(ctx, n, 1, 0, 255, &v) == 0)
		VI(obj)->unicast_ttl = (int)v;
}
H(i_unicast_fault_no_peer) { (void)ctx; (void)n; VI(obj)->unicast_fault_no_peer = true; }
H(i_check_unicast_src) { (void)ctx; (void)n; VI(obj)->check_unicast_src = true; }

H(a_type)
{
	static const char *const names[] = { "PASS", "AH", NULL };
	int k;

	if (conf_enum(ctx, n, 1, names, &k) == 0)
		VI(obj)->auth_type = k ? VRRP_AUTH_AH : VRRP_AUTH_PASS;
}

H(a_pass)
{
	const char *s = n->args[1].s;

	if (strlen(s) > VRRP_AUTH_PASS_LEN)
		/* keepalived truncates and fails its config test. */
		conf_error(ctx, n, 1, "auth_pass is longer than %d characters (RFC 2338 §5.3.10)",
			   VRRP_AUTH_PASS_LEN);
	memset(VI(obj)->auth_pass, 0, VRRP_AUTH_PASS_LEN);
	memcpy(VI(obj)->auth_pass, s, strnlen(s, VRRP_AUTH_PASS_LEN));
}

static const struct kw auth_kws[] = {
	{ "auth_type", a_type, 1, 1, 0, NULL },
	{ "auth_pass", a_pass, 1, 1, 0, NULL },
};
static const struct kw_table auth_table = KW_TABLE("authentication", auth_kws);

H(i_authentication)
{
	struct vrrp_instance_conf *vi = VI(obj);

	kw_dispatch(ctx, n->child, &auth_table, obj);
	if (vi->auth_type != VRRP_AUTH_NONE && !vi->auth_pass[0]) {
		conf_error(ctx, n, 0, "authentication without auth_pass");
		vi->auth_type = VRRP_AUTH_NONE;
	} else if (vi->auth_type == VRRP_AUTH_NONE && vi->auth_pass[0]) {
		conf_error(ctx, n, 0, "authentication without auth_type");
	}
}

H(i_vips) { conf_addr_block(ctx, n, VRRP_ADDR_VIRTUAL, &VI(obj)->vips); }
H(i_evips) { conf_addr_block(ctx, n, VRRP_ADDR_VIRTUAL, &VI(obj)->evips); }
H(i_no_vips) { (void)ctx; (void)n; VI(obj)->no_virtual_ipaddress = true; }
H(i_routes) { conf_route_block(ctx, n, VRRP_ADDR_VIRTUAL, &VI(obj)->routes); }
H(i_rules) { conf_rule_block(ctx, n, VRRP_ADDR_VIRTUAL, &VI(obj)->rules); }

H(i_track_if) { conf_vrrp_track_block(ctx, n, VRRP_TRACK_INTERFACE, 253, &VI(obj)->track.interfaces); }
H(i_track_script) { conf_vrrp_track_block(ctx, n, VRRP_TRACK_SCRIPT, 253, &VI(obj)->track.scripts); }
H(i_track_file) { conf_vrrp_track_block(ctx, n, VRRP_TRACK_FILE, 254, &VI(obj)->track.files); }
H(i_track_process) { conf_vrrp_track_block(ctx, n, VRRP_TRACK_PROCESS, 254, &VI(obj)->track.processes); }
H(i_track_bfd) { conf_vrrp_track_block(ctx, n, VRRP_TRACK_BFD, 253, &VI(obj)->track.bfds); }
H(i_dont_track_primary) { (void)ctx; (void)n; VI(obj)->dont_track_primary = true; }

H(i_notify_master) { conf_vrrp_notify(ctx, n, &VI(obj)->notify.master); }
H(i_notify_backup) { conf_vrrp_notify(ctx, n, &VI(obj)->notify.backup); }
H(i_notify_fault) { conf_vrrp_notify(ctx, n, &VI(obj)->notify.fault); }
H(i_notify_stop) { conf_vrrp_notify(ctx, n, &VI(obj)->notify.stop); }
H(i_notify_deleted)
{
	VI(obj)->notify_deleted = true; /* with or without a script */
	conf_vrrp_notify(ctx, n, &VI(obj)->notify.deleted);
}
H(i_notify) { conf_vrrp_notify(ctx, n, &VI(obj)->notify.any); }
H(i_notify_rx_lower) { conf_vrrp_notify(ctx, n, &VI(obj)->notify.master_rx_lower_pri); }
H(i_notify_prio) { conf_bool(ctx, n, 1, &VI(obj)->notify_priority_changes); }

/* Tri-state booleans: set now, the global default fills the rest later. */
static void tri(struct conf_ctx *ctx, const struct cfg_node *n, signed char *slot)
{
	bool b;

	if (conf_bool(ctx, n, 1, &b) == 0)
		*slot = b;
}

H(i_smtp_alert) { tri(ctx, n, &TRI(obj)->smtp_alert); }
H(i_accept) { (void)ctx; (void)n; TRI(obj)->accept = 1; }
H(i_no_accept) { (void)ctx; (void)n; TRI(obj)->accept = 0; }
H(i_strict_mode) { tri(ctx, n, &TRI(obj)->strict); }
H(i_lower_prio_no_advert) { tri(ctx, n, &TRI(obj)->lower_prio_no_advert); }
H(i_higher_prio_send_advert) { tri(ctx, n, &TRI(obj)->higher_prio_send_advert); }
H(i_skip_check_adv_addr) { tri(ctx, n, &TRI(obj)->skip_check); }

static int parse_mac(const char *s, uint8_t mac[6], unsigned *len)
{
	unsigned v[6];
	int used = 0, k;

	k = sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &used);
	if (k != 6 || s[used]) {
		used = 0;
		k = sscanf(s, "%2x:%2x:%2x:%2x:%2x%n", &v[0], &v[1], &v[2], &v[3], &v[4], &used);
		if (k != 5 || s[used])
			return -1;
	}
	for (int i = 0; i < k; i++)
		mac[i] = (uint8_t)v[i];
	*len = (unsigned)k;
	return 0;
}

H(i_use_vmac)
{
	struct vrrp_instance_conf *vi = VI(obj);
	unsigned len;

	vi->use_vmac = true;
	for (unsigned i = 1; i < n->argc; i++) {
		if (strchr(n->args[i].s, ':')) {
			if (parse_mac(n->args[i].s, vi->vmac_mac, &len) < 0) {
				conf_error(ctx, n, i, "invalid MAC address '%s'", n->args[i].s);
				return;
			}
			vi->vmac_mac_set = true;
			/* Five octets: the VRID is the sixth, filled at finish. */
			if (len == 5)
				vi->vmac_mac[5] = 0;
		} else if (strlen(n->args[i].s) >= 16) {
			conf_error(ctx, n, i, "VMAC interface name '%s' is longer than 15 characters",
				   n->args[i].s);
		} else
			conf_str(ctx, n, i, &vi->vmac_ifname);
	}
}

H(i_vmac_xmit_base) { (void)ctx; (void)n; VI(obj)->vmac_xmit_base = true; }
H(i_use_vmac_addr)
{
	VI(obj)->use_vmac_addr = true;
	conf_warning(ctx, n, 0, "'use_vmac_addr' is not supported by vigil; addresses on other "
				"interfaces go on those interfaces themselves");
}

H(i_garp_master_delay)
{
	if (conf_timer_us(ctx, n, 1, 0, 255 * SEC_US, &VI(obj)->garp.master_delay_us) == 0)
		TRI(obj)->garp_master_delay = 1;
}
H(i_garp_master_repeat)
{
	if (conf_u32(ctx, n, 1, 1, 255, &VI(obj)->garp.master_repeat) == 0)
		TRI(obj)->garp_master_repeat = 1;
}
H(i_garp_master_refresh)
{
	if (conf_timer_us(ctx, n, 1, 0, 86400 * SEC_US, &VI(obj)->garp.master_refresh_us) == 0)
		TRI(obj)->garp_refresh = 1;
}
H(i_garp_master_refresh_repeat)
{
	if (conf_u32(ctx, n, 1, 1, 255, &VI(obj)->garp.master_refresh_repeat) == 0)
		TRI(obj)->garp_refresh_repeat = 1;
}
H(i_garp_lower_prio_delay)
{
	if (conf_timer_us(ctx, n, 1, 0, 255 * SEC_US, &VI(obj)->garp.lower_prio_delay_us) == 0)
		TRI(obj)->garp_lower_delay = 1;
}
H(i_garp_lower_prio_repeat)
{
	if (conf_u32(ctx, n, 1, 0, 255, &VI(obj)->garp.lower_prio_repeat) == 0)
		TRI(obj)->garp_lower_repeat = 1;
}
H(i_garp_extra_if)
{
	unsigned i = 1;

	if (n->argc > 1 && !strcmp(n->args[1].s, "all")) {
		VI(obj)->garp.extra_if_all = true;
		i = 2;
	}
	if (conf_u32(ctx, n, i, 0, 86400, &VI(obj)->garp.extra_if_s) == 0)
		TRI(obj)->garp_extra_if = 1;
}
H(i_down_timer_adverts)
{
	if (conf_u32(ctx, n, 1, 1, 100, &VI(obj)->down_timer_adverts) == 0)
		TRI(obj)->down_timer_adverts = 1;
}
H(i_promote_secondaries) { (void)ctx; (void)n; VI(obj)->promote_secondaries = true; }
H(i_linkbeat) { (void)ctx; (void)n; VI(obj)->linkbeat_use_polling = true; }
H(i_kernel_rx_buf_size) { conf_u32(ctx, n, 1, 0, UINT32_MAX, &VI(obj)->kernel_rx_buf_size); }
H(i_debug) { uint32_t v; conf_u32(ctx, n, 1, 0, 4, &v); (void)obj; }
H(i_native_ipv6) { (void)ctx; (void)n; VI(obj)->family = AF_INET6; }

static const struct kw instance_kws[] = {
	{ "state", i_state, 1, 1, 0, NULL },
	{ "interface", i_interface, 1, 1, 0, NULL },
	{ "vrf", i_vrf, 1, 1, 0, NULL },
	{ "virtual_router_id", i_vrid, 1, 1, 0, NULL },
	{ "priority", i_priority, 1, 1, 0, NULL },
	{ "advert_int", i_advert_int, 1, 1, 0, NULL },
	{ "version", i_version, 1, 1, 0, NULL },
	{ "nopreempt", i_nopreempt, 0, 0, 0, NULL },
	{ "preempt", i_preempt, 0, 0, 0, NULL },
	{ "preempt_delay", i_preempt_delay, 1, 1, 0, NULL },
	{ "accept", i_accept, 0, 0, 0, NULL },
	{ "no_accept", i_no_accept, 0, 0, 0, NULL },
	{ "strict_mode", i_strict_mode, 0, 1, 0, NULL },
	{ "mcast_src_ip", i_src_ip, 1, 1, 0, NULL },
	{ "unicast_src_ip", i_src_ip, 1, 1, 0, NULL },
	{ "track_src_ip", i_track_src_ip, 0, 0, 0, NULL },
	{ "mcast_dst_ip", i_mcast_dst_ip, 1, 1, 0, NULL },
	{ "unicast_peer", i_unicast_peer, 0, 0, KW_BLOCK, NULL },
	{ "unicast_ttl", i_unicast_ttl, 1, 1, 0, NULL },
	{ "unicast_fault_no_peer", i_unicast_fault_no_peer, 0, 0, 0, NULL },
	{ "check_unicast_src", i_check_unicast_src, 0, 0, 0, NULL },
	{ "authentication", i_authentication, 0, 0, KW_BLOCK, NULL },
	{ "virtual_ipaddress", i_vips, 0, 0, KW_BLOCK, NULL },
	{ "virtual_ipaddress_excluded", i_evips, 0, 0, KW_BLOCK, NULL },
	{ "no_virtual_ipaddress", i_no_vips, 0, 0, 0, NULL },
	{ "virtual_routes", i_routes, 0, 0, KW_BLOCK, NULL },
	{ "virtual_rules", i_rules, 0, 0, KW_BLOCK, NULL },
	{ "track_interface", i_track_if, 0, 0, KW_BLOCK, NULL },
	{ "track_script", i_track_script, 0, 0, KW_BLOCK, NULL },
	{ "track_file", i_track_file, 0, 0, KW_BLOCK, NULL },
	{ "track_process", i_track_process, 0, 0, KW_BLOCK, NULL },
	{ "track_bfd", i_track_bfd, 0, 0, KW_BLOCK, NULL },
	{ "dont_track_primary", i_dont_track_primary, 0, 0, 0, NULL },
	{ "notify_master", i_notify_master, 1, 3, 0, NULL },
	{ "notify_backup", i_notify_backup, 1, 3, 0, NULL },
	{ "notify_fault", i_notify_fault, 1, 3, 0, NULL },
	{ "notify_stop", i_notify_stop, 1, 3, 0, NULL },
	{ "notify_deleted", i_notify_deleted, 0, 3, 0, NULL },
	{ "notify", i_notify, 1, 3, 0, NULL },
	{ "notify_master_rx_lower_pri", i_notify_rx_lower, 1, 3, 0, NULL },
	{ "notify_priority_changes", i_notify_prio, 0, 1, 0, NULL },
	{ "smtp_alert", i_smtp_alert, 0, 1, 0, NULL },
	{ "use_vmac", i_use_vmac, 0, 2, 0, NULL },
	{ "vmac_xmit_base", i_vmac_xmit_base, 0, 0, 0, NULL },
	{ "use_vmac_addr", i_use_vmac_addr, 0, 0, 0, NULL },
	/* keepalived 2.2.7: the same handler as garp_extra_if, deprecated. */
	{ "vmac_garp_intvl", i_garp_extra_if, 1, 2, KW_DEPRECATED, "garp_extra_if" },
	{ "use_ipvlan", NULL, 0, 3, KW_IGNORED, "ipvlan interfaces are not supported; use use_vmac" },
	{ "garp_master_delay", i_garp_master_delay, 1, 1, 0, NULL },
	{ "garp_master_repeat", i_garp_master_repeat, 1, 1, 0, NULL },
	{ "garp_master_refresh", i_garp_master_refresh, 1, 1, 0, NULL },
	{ "garp_master_refresh_repeat", i_garp_master_refresh_repeat, 1, 1, 0, NULL },
	{ "garp_lower_prio_delay", i_garp_lower_prio_delay, 1, 1, 0, NULL },
	{ "garp_lower_prio_repeat", i_garp_lower_prio_repeat, 1, 1, 0, NULL },
	{ "garp_extra_if", i_garp_extra_if, 1, 2, 0, NULL },
	{ "down_timer_adverts", i_down_timer_adverts, 1, 1, 0, NULL },
	{ "lower_prio_no_advert", i_lower_prio_no_advert, 0, 1, 0, NULL },
	{ "higher_prio_send_advert", i_higher_prio_send_advert, 0, 1, 0, NULL },
	{ "skip_check_adv_addr", i_skip_check_adv_addr, 0, 1, 0, NULL },
	{ "promote_secondaries", i_promote_secondaries, 0, 0, 0, NULL },
	{ "kernel_rx_buf_size", i_kernel_rx_buf_size, 1, 1, 0, NULL },
	{ "linkbeat_use_polling", i_linkbeat, 0, 0, KW_DEPRECATED, "linkbeat_interfaces" },
	{ "native_ipv6", i_native_ipv6, 0, 0, KW_DEPRECATED,
	  "IPv6 virtual_ipaddress (the family follows the VIPs)" },
	{ "debug", i_debug, 1, 1, 0, NULL },
	{ "lvs_sync_daemon_interface", NULL, 0, 1, KW_IGNORED,
	  "deprecated; use global_defs lvs_sync_daemon" },
	{ "old_unicast_checksum", NULL, 0, 1, KW_IGNORED,
	  "pre-1.3.6 VRRPv3 checksums are not generated" },
};
static const struct kw_table instance_table = KW_TABLE("vrrp_instance", instance_kws);

void conf_vrrp_instance_block(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct vrrp_instance_conf *vi;
	struct vrrp_instance_unset *t;

	(void)obj;
	if (conf_vrrp_name_taken(ctx, n, VRRP_NAME_INSTANCE, "vrrp_instance"))
		return;
	vi = conf_alloc(ctx, n, sizeof(*vi) + sizeof(struct vrrp_instance_unset));
	if (!vi || conf_str(ctx, n, 1, &vi->name) < 0)
		return;
	conf_loc(ctx, &n->loc, &vi->loc);
	vi->priority = VRRP_PRIO_DEFAULT;
	vi->advert_int_us = SEC_US;
	vi->unicast_ttl = -1;
	t = (struct vrrp_instance_unset *)(vi + 1);
	memset(t, -1, sizeof(*t));
	kw_dispatch(ctx, n->child, &instance_table, vi);
	VRRP_APPEND(ctx, instances, vi);
	conf_vrrp_name_add(ctx, VRRP_NAME_INSTANCE, vi->name, vi);
}
