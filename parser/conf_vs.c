/* virtual_server { ... }: the service itself, its scheduler, forwarding,
 * persistence, quorum and sorry server. Real servers are in conf_rs.c. */
#include "build-config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "parser/conf_lvs_internal.h"

#define VB(obj) ((struct lvs_vs_build *)(obj))
#define VS(obj) (&VB(obj)->vs)

/* ---- helpers shared with conf_rs.c ---- */

static int parse_tunnel_opts(struct conf_ctx *ctx, const struct cfg_node *n,
			     struct lvs_forwarding *f)
{
	static const char *const types[] = { "ipip", "gue", "gre", NULL };
	bool have_port = false;
	int t;

	for (unsigned i = 2; i < n->argc; i++) {
		const char *w = n->args[i].s;

		if (strcmp(w, "type") == 0 && i + 1 < n->argc) {
			if (conf_enum(ctx, n, ++i, types, &t) < 0)
				return -EINVAL;
			f->tun_type = (enum lvs_tunnel_type)t;
		} else if (strcmp(w, "port") == 0 && i + 1 < n->argc) {
			uint32_t port;

			if (conf_u32(ctx, n, ++i, 1, 65535, &port) < 0)
				return -EINVAL;
			f->tun_port = (uint16_t)port;
			have_port = true;
		} else if (strcmp(w, "nocsum") == 0) {
			f->tun_csum = LVS_TUN_NOCSUM;
		} else if (strcmp(w, "csum") == 0) {
			f->tun_csum = LVS_TUN_CSUM;
		} else if (strcmp(w, "remcsum") == 0) {
			f->tun_csum = LVS_TUN_REMCSUM;
		} else {
			conf_error(ctx, n, i, "invalid tunnel option '%s' (type ipip|gue|gre, port N, "
					      "nocsum|csum|remcsum)", w);
			return -EINVAL;
		}
	}
	if ((f->tun_type == LVS_TUN_GUE) != have_port) {
		conf_error(ctx, n, 1, "gue tunnels require a port, other tunnel types cannot have one");
		return -EINVAL;
	}
	if (f->tun_type == LVS_TUN_IPIP && f->tun_csum != LVS_TUN_NOCSUM) {
		conf_error(ctx, n, 1, "ipip tunnels do not support a checksum option");
		return -EINVAL;
	}
	if (f->tun_type == LVS_TUN_GRE && f->tun_csum == LVS_TUN_REMCSUM) {
		conf_error(ctx, n, 1, "gre tunnels do not support the remcsum option");
		return -EINVAL;
	}
	return 0;
}

int lvs_parse_forwarding(struct conf_ctx *ctx, const struct cfg_node *n, struct lvs_forwarding *out)
{
	static const char *const methods[] = { "NAT", "DR", "TUN", NULL };
	struct lvs_forwarding f = { 0 };
	int m;

	if (conf_enum(ctx, n, 1, methods, &m) < 0)
		return -EINVAL;
	f.method = (enum lvs_fwd_method)(m + LVS_FWD_NAT);
	if (f.method != LVS_FWD_TUN && n->argc > 2) {
		conf_error(ctx, n, 2, "tunnel options only apply to lvs_method TUN");
		return -EINVAL;
	}
	if (f.method == LVS_FWD_TUN && parse_tunnel_opts(ctx, n, &f) < 0)
		return -EINVAL;
	*out = f;
	return 0;
}

struct lvs_rs_build *lvs_new_server(struct conf_ctx *ctx, const struct cfg_node *n)
{
	struct lvs_rs_build *rb = conf_alloc(ctx, n, sizeof(*rb));

	if (!rb)
		return NULL;
	conf_loc(ctx, &n->loc, &rb->rs.loc);
	if (conf_addr(ctx, n, 1, &rb->rs.addr) < 0)
		return NULL;
	if (n->argc > 2) {
		if (conf_port(ctx, n, 2, &rb->rs.port) < 0)
			return NULL;
		if (rb->rs.port)
			rb->set |= LVS_SET_PORT;
	}
	return rb;
}

const struct lvs_script *lvs_parse_script(struct conf_ctx *ctx, const struct cfg_node *n)
{
	struct lvs_script *s = conf_alloc(ctx, n, sizeof(*s));

	if (!s || conf_str(ctx, n, 1, &s->cmd) < 0)
		return NULL;
	conf_loc(ctx, &n->loc, &s->loc);
	if (n->argc > 2 && conf_str(ctx, n, 2, &s->user) < 0)
		return NULL;
	if (n->argc > 3 && conf_str(ctx, n, 3, &s->group) < 0)
		return NULL;
	ctx->cfg->lvs.n_scripts++;
	return s;
}

/* ---- virtual_server keywords ---- */

static void kw_ip_family(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	static const char *const families[] = { "inet", "inet6", NULL };
	int f;

	if (conf_enum(ctx, n, 1, families, &f) < 0)
		return;
	f = f ? AF_INET6 : AF_INET;
	if (VS(obj)->family && VS(obj)->family != f) {
		conf_error(ctx, n, 1, "ip_family %s conflicts with the virtual server's address family",
			   n->args[1].s);
		return;
	}
	VS(obj)->family = f;
	VB(obj)->set |= LVS_SET_FAMILY;
}

static void kw_retry(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_u32(ctx, n, 1, 1, UINT32_MAX, &VS(obj)->retry) == 0)
		VB(obj)->set |= LVS_SET_RETRY;
}

static void kw_delay_before_retry(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_timer_us(ctx, n, 1, 0, UINT64_MAX / 2, &VS(obj)->delay_before_retry_us) == 0)
		VB(obj)->set |= LVS_SET_DELAY_BEFORE_RETRY;
}

static void kw_warmup(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_timer_us(ctx, n, 1, 0, UINT64_MAX / 2, &VS(obj)->warmup_us) == 0)
		VB(obj)->set |= LVS_SET_WARMUP;
}

static void kw_connect_timeout(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_timer_us(ctx, n, 1, 1, UINT32_MAX, &VS(obj)->connect_timeout_us) == 0)
		VB(obj)->set |= LVS_SET_CONNECT_TIMEOUT;
}

static void kw_delay_loop(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_timer_us(ctx, n, 1, 1, UINT64_MAX / 2, &VS(obj)->delay_loop_us) == 0)
		VB(obj)->set |= LVS_SET_DELAY_LOOP;
}

static void kw_inhibit(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	(void)ctx, (void)n;
	VS(obj)->inhibit_on_failure = true; /* keepalived ignores any argument here */
}

static void kw_sched(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	int i;

	if (conf_enum(ctx, n, 1, lvs_schedulers, &i) == 0) {
		VS(obj)->sched = lvs_schedulers[i];
		VB(obj)->set |= LVS_SET_SCHED;
	}
}

/* ops, flag-N, sh-*, mh-*, hashed. keepalived checks the scheduler when it
 * reads the flag, so "sh-port" before "lvs_sched sh" is ignored there too. */
static void kw_sched_flag(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_virtual_server *vs = VS(obj);
	const char *w = n->args[0].s;
	const char *s = vs->sched ? vs->sched : "";

	if (strcmp(w, "ops") == 0)
		vs->one_packet = true;
	else if (strncmp(w, "flag-", 5) == 0)
		vs->sched_flags |= LVS_SCHED_FLAG_1 << (w[5] - '1');
	else if (strcmp(s, "sh") == 0 || strcmp(s, "mh") == 0) {
		if (strcmp(w + 2, "-fallback") == 0 && strncmp(w, s, 2) == 0)
			vs->sched_flags |= LVS_SCHED_FLAG_1;
		else if (strcmp(w + 2, "-port") == 0 && strncmp(w, s, 2) == 0)
			vs->sched_flags |= LVS_SCHED_FLAG_2;
	} else
		conf_strict(ctx, n, 0, "%s only applies to the %.2s scheduler - ignoring", w,
			    strcmp(w, "hashed") ? w : "sh");
}

static void kw_lvs_method(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (lvs_parse_forwarding(ctx, n, &VS(obj)->fwd) == 0)
		VB(obj)->set |= LVS_SET_FWD;
}

static void kw_persistence_engine(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_str(ctx, n, 1, &VS(obj)->persistence_engine);
}

static void kw_persistence_timeout(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (n->argc < 2)
		VS(obj)->persistence_timeout = LVS_PERSISTENCE_DEFAULT;
	else
		conf_u32(ctx, n, 1, 1, LVS_PERSISTENCE_MAX, &VS(obj)->persistence_timeout);
}

static void kw_persistence_granularity(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_virtual_server *vs = VS(obj);
	int af = vs->family ? vs->family : strchr(n->args[1].s, '.') ? AF_INET : AF_INET6;
	struct in_addr mask;

	if (af == AF_INET6) {
		if (conf_u32(ctx, n, 1, 1, 128, &vs->persistence_granularity) < 0)
			return;
	} else if (inet_pton(AF_INET, n->args[1].s, &mask) == 1) {
		vs->persistence_granularity = mask.s_addr;
	} else {
		conf_error(ctx, n, 1, "invalid IPv4 persistence_granularity '%s' (a netmask)",
			   n->args[1].s);
		return;
	}
	if (!vs->family)
		vs->family = af;
	if (!vs->persistence_timeout)
		vs->persistence_timeout = LVS_PERSISTENCE_DEFAULT;
}

static void kw_protocol(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	static const char *const protos[] = { "TCP", "UDP", "SCTP", NULL };

	for (int i = 0; protos[i]; i++) {
		if (strcasecmp(n->args[1].s, protos[i]) == 0) {
			VS(obj)->protocol = (enum lvs_protocol)(LVS_PROTO_TCP + i);
			VB(obj)->set |= LVS_SET_PROTOCOL;
			return;
		}
	}
	conf_error(ctx, n, 1, "'protocol' does not accept '%s'; expected TCP|UDP|SCTP", n->args[1].s);
}

static void kw_ha_suspend(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	(void)ctx, (void)n;
	VS(obj)->ha_suspend = true;
}

static void kw_smtp_alert(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_bool(ctx, n, 1, &VS(obj)->smtp_alert) == 0)
		VB(obj)->set |= LVS_SET_SMTP_ALERT;
}

static void kw_virtualhost(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_str(ctx, n, 1, &VS(obj)->virtualhost);
}

static void kw_snmp_name(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_str(ctx, n, 1, &VS(obj)->snmp_name);
}

static void kw_alpha(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	(void)ctx, (void)n;
	VS(obj)->alpha = true;
}

static void kw_omega(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	(void)ctx, (void)n;
	VS(obj)->omega = true;
}

static void kw_quorum_up(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (VS(obj)->quorum_up)
		conf_strict(ctx, n, 1, "quorum_up script already specified - ignoring");
	else
		VS(obj)->quorum_up = lvs_parse_script(ctx, n);
}

static void kw_quorum_down(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (VS(obj)->quorum_down)
		conf_strict(ctx, n, 1, "quorum_down script already specified - ignoring");
	else
		VS(obj)->quorum_down = lvs_parse_script(ctx, n);
}

static void kw_quorum(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	if (conf_u32(ctx, n, 1, 1, UINT32_MAX, &VS(obj)->quorum) < 0)
		VS(obj)->quorum = 1; /* keepalived: "Setting to 1" */
}

static void kw_hysteresis(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_u32(ctx, n, 1, 0, UINT32_MAX, &VS(obj)->hysteresis);
}

static void kw_weight(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	conf_u32(ctx, n, 1, 1, LVS_WEIGHT_MAX, &VS(obj)->weight);
}

static void kw_sorry_server(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_rs_build *rb = lvs_new_server(ctx, n);

	if (!rb)
		return;
	if (VS(obj)->sorry_server)
		rb->rs.inhibit_on_failure = VS(obj)->sorry_server->inhibit_on_failure;
	VS(obj)->sorry_server = &rb->rs;
}

static void kw_sorry_server_inhibit(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_real_server *ss = VS(obj)->sorry_server;

	if (!ss) {
		conf_strict(ctx, n, 0,
			    "sorry_server_inhibit used before or without sorry_server - ignoring");
		return;
	}
	ss->inhibit_on_failure = true;
	((struct lvs_rs_build *)ss)->set |= LVS_SET_INHIBIT;
}

static void kw_sorry_server_method(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_real_server *ss = VS(obj)->sorry_server;

	if (!ss) {
		conf_strict(ctx, n, 0,
			    "sorry_server_lvs_method used without sorry_server - ignoring");
		return;
	}
	if (lvs_parse_forwarding(ctx, n, &ss->fwd) == 0)
		((struct lvs_rs_build *)ss)->set |= LVS_SET_FWD;
}

static const struct kw vs_kws[] = {
	{ "ip_family", kw_ip_family, 1, 1, 0, NULL },
	{ "retry", kw_retry, 1, 1, 0, NULL },
	{ "delay_before_retry", kw_delay_before_retry, 1, 1, 0, NULL },
	{ "warmup", kw_warmup, 1, 1, 0, NULL },
	{ "connect_timeout", kw_connect_timeout, 1, 1, 0, NULL },
	{ "delay_loop", kw_delay_loop, 1, 1, 0, NULL },
	{ "inhibit_on_failure", kw_inhibit, 0, 1, 0, NULL },
	{ "lb_algo", kw_sched, 1, 1, 0, NULL },
	{ "lvs_sched", kw_sched, 1, 1, 0, NULL },
	{ "hashed", kw_sched_flag, 0, 0, 0, NULL },
	{ "ops", kw_sched_flag, 0, 0, 0, NULL },
	{ "flag-1", kw_sched_flag, 0, 0, 0, NULL },
	{ "flag-2", kw_sched_flag, 0, 0, 0, NULL },
	{ "flag-3", kw_sched_flag, 0, 0, 0, NULL },
	{ "sh-port", kw_sched_flag, 0, 0, 0, NULL },
	{ "sh-fallback", kw_sched_flag, 0, 0, 0, NULL },
	{ "mh-port", kw_sched_flag, 0, 0, 0, NULL },
	{ "mh-fallback", kw_sched_flag, 0, 0, 0, NULL },
	{ "lb_kind", kw_lvs_method, 1, 8, 0, NULL },
	{ "lvs_method", kw_lvs_method, 1, 8, 0, NULL },
	{ "persistence_engine", kw_persistence_engine, 1, 1, 0, NULL },
	{ "persistence_timeout", kw_persistence_timeout, 0, 1, 0, NULL },
	{ "persistence_granularity", kw_persistence_granularity, 1, 1, 0, NULL },
	{ "protocol", kw_protocol, 1, 1, 0, NULL },
	{ "ha_suspend", kw_ha_suspend, 0, 0, 0, NULL },
	{ "smtp_alert", kw_smtp_alert, 0, 1, 0, NULL },
	{ "virtualhost", kw_virtualhost, 1, 1, 0, NULL },
	{ "snmp_name", kw_snmp_name, 1, 1, 0, NULL },
	{ "alpha", kw_alpha, 0, 1, 0, NULL },
	{ "omega", kw_omega, 0, 1, 0, NULL },
	{ "quorum_up", kw_quorum_up, 1, 3, 0, NULL },
	{ "quorum_down", kw_quorum_down, 1, 3, 0, NULL },
	{ "quorum", kw_quorum, 1, 1, 0, NULL },
	{ "hysteresis", kw_hysteresis, 1, 1, 0, NULL },
	{ "weight", kw_weight, 1, 1, 0, NULL },
	{ "sorry_server", kw_sorry_server, 1, 2, 0, NULL },
	{ "sorry_server_inhibit", kw_sorry_server_inhibit, 0, 1, 0, NULL },
	{ "sorry_server_lvs_method", kw_sorry_server_method, 1, 8, 0, NULL },
	{ "real_server", lvs_kw_real_server, 1, 2, KW_OPT_BLOCK, NULL },
};
const struct kw_table lvs_vs_table = KW_TABLE("virtual_server", vs_kws);

/* "virtual_server ADDR [PORT]" | "fwmark N" | "group NAME" */
static int vs_head(struct conf_ctx *ctx, const struct cfg_node *n, struct lvs_vs_build *vb)
{
	struct lvs_virtual_server *vs = &vb->vs;
	const char *w = n->args[1].s;

	if (strcmp(w, "fwmark") == 0 || strcmp(w, "group") == 0) {
		if (n->argc != 3) {
			conf_error(ctx, n, 1, "'virtual_server %s' needs one argument", w);
			return -EINVAL;
		}
		if (w[0] == 'g') {
			vs->kind = LVS_VS_GROUP;
			return conf_str(ctx, n, 2, &vb->group_name);
		}
		vs->kind = LVS_VS_FWMARK;
		return conf_u32(ctx, n, 2, 1, UINT32_MAX, &vs->fwmark);
	}
	vs->kind = LVS_VS_ADDR;
	if (conf_addr(ctx, n, 1, &vs->addr) < 0)
		return -EINVAL;
	vs->family = vs->addr.family;
	if (n->argc > 2 && conf_port(ctx, n, 2, &vs->port) < 0)
		return -EINVAL;
	return 0;
}

void lvs_kw_virtual_server(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct lvs_conf *l = &ctx->cfg->lvs;
	struct lvs_vs_build *vb = conf_alloc(ctx, n, sizeof(*vb));

	(void)obj;
	if (!vb)
		return;
	conf_loc(ctx, &n->loc, &vb->vs.loc);
	vb->vs.quorum = 1;
	vb->vs.weight = 1;
	if (vs_head(ctx, n, vb) < 0)
		return;
	kw_dispatch(ctx, n->child, &lvs_vs_table, vb);
	LVS_LIST_REVERSE(struct lvs_real_server, vb->vs.real_servers);
	vb->vs.next = l->virtual_servers;
	l->virtual_servers = &vb->vs;
}
