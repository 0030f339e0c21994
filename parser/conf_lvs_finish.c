/* Once everything is read: each virtual server's defaults, inheritance down
 * to real servers and checkers, and the consistency rules keepalived 2.2.7
 * applies in validate_check_config() (each correction there fails
 * "keepalived -t", so each is reported with conf_strict_at() here). */
#include "build-config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "parser/conf_lvs_internal.h"

#define SEC 1000000ull

static const char *vs_name(const struct lvs_virtual_server *vs, char *buf, size_t len)
{
	char a[VADDR_STRLEN];

	if (vs->kind == LVS_VS_FWMARK)
		snprintf(buf, len, "FWM %u", vs->fwmark);
	else if (vs->kind == LVS_VS_GROUP)
		snprintf(buf, len, "group %s", vs->group ? vs->group->name : "?");
	else
		snprintf(buf, len, "[%s]:%u", vaddr_format(&vs->addr, a, sizeof(a)), vs->port);
	return buf;
}

/* A virtual server's name for diagnostics, formatted on first use: most
 * virtual servers never need it, and formatting costs more than the rest of
 * their checks. */
struct vs_label {
	const struct lvs_virtual_server *vs;
	char buf[160];
};

static const char *label(struct vs_label *l)
{
	if (!l->buf[0])
		vs_name(l->vs, l->buf, sizeof(l->buf));
	return l->buf;
}

/* Address families: non-tunnelled real and sorry servers must match the
 * virtual server's; the first of them fixes it when the VS has none. */
static bool family_ok(struct conf_ctx *ctx, struct lvs_virtual_server *vs,
		      const struct lvs_real_server *rs, const char *what)
{
	char a[VADDR_STRLEN];

	if (rs->fwd.method == LVS_FWD_TUN)
		return true;
	if (!vs->family)
		vs->family = rs->addr.family;
	if (vs->family == rs->addr.family)
		return true;
	conf_strict_at(
	    ctx, &rs->loc,
	    "address family of virtual server and %s server %s don't match - skipping %s server",
	    what, vaddr_format(&rs->addr, a, sizeof(a)), what);
	return false;
}

static void families(struct conf_ctx *ctx, struct lvs_virtual_server *vs)
{
	struct lvs_real_server **pp;
	bool mixed = false;

	/* keepalived checks each real server as its block ends, the sorry
	 * server when the virtual server ends. */
	for (pp = &vs->real_servers; *pp;) {
		if (family_ok(ctx, vs, *pp, "real")) {
			pp = &(*pp)->next;
			continue;
		}
		*pp = (*pp)->next;
		vs->n_real_servers--;
	}
	if (vs->sorry_server && !family_ok(ctx, vs, vs->sorry_server, "sorry"))
		vs->sorry_server = NULL;
	if (vs->family)
		return;
	if (vs->kind == LVS_VS_GROUP) {
		vs->family = vs->group->have_ipv6 && !vs->group->have_ipv4 ? AF_INET6 : AF_INET;
		return;
	}
	/* fwmark with only tunnelled servers: theirs if they agree, else IPv4. */
	if (vs->sorry_server)
		vs->family = vs->sorry_server->addr.family;
	for (const struct lvs_real_server *rs = vs->real_servers; rs; rs = rs->next) {
		if (!vs->family)
			vs->family = rs->addr.family;
		else if (vs->family != rs->addr.family)
			mixed = true;
	}
	if (mixed || !vs->family)
		vs->family = AF_INET;
}

static void service_rules(struct conf_ctx *ctx, struct lvs_vs_build *vb, struct vs_label *name)
{
	struct lvs_virtual_server *vs = &vb->vs;
	bool by_addr = vs->kind == LVS_VS_ADDR || (vs->kind == LVS_VS_GROUP && vs->group->n_ranges);
	bool fwmark_only = vs->kind == LVS_VS_FWMARK ||
			   (vs->kind == LVS_VS_GROUP && !vs->group->n_ranges);

	if (vs->ha_suspend && (vs->kind == LVS_VS_FWMARK ||
			       (vs->kind == LVS_VS_GROUP && vs->group->n_fwmarks))) {
		conf_strict_at(
		    ctx, &vs->loc,
		    "virtual server %s: cannot use ha_suspend with fwmarks - clearing ha_suspend",
		    label(name));
		vs->ha_suspend = false;
	}
	if (by_addr && !(vb->set & LVS_SET_PROTOCOL)) {
		/* The kernel takes protocol 0 as UDP; keepalived says so. */
		conf_strict_at(ctx, &vs->loc,
			       "virtual server %s: no protocol set - defaulting to UDP", label(name));
		vs->protocol = LVS_PROTO_UDP;
	}
	if (by_addr && vs->one_packet && vs->protocol != LVS_PROTO_UDP) {
		conf_strict_at(ctx, &vs->loc,
			       "virtual server %s: one packet scheduling requires UDP - resetting",
			       label(name));
		vs->one_packet = false;
	}
	if (vs->kind == LVS_VS_ADDR && !vs->persistence_timeout && !vs->port) {
		conf_strict_at(
		    ctx, &vs->loc,
		    "virtual server %s: zero port only valid for persistent services - setting",
		    label(name));
		vs->persistence_timeout = LVS_PERSISTENCE_DEFAULT;
	}
	if (vs->kind == LVS_VS_GROUP && !vs->persistence_timeout) {
		for (const struct lvs_vsg_entry *e = vs->group->ranges; e; e = e->next) {
			if (!e->port) {
				conf_strict_at(ctx, &vs->loc,
					       "virtual server %s: zero port only valid for "
					       "persistent services - setting",
					       label(name));
				vs->persistence_timeout = LVS_PERSISTENCE_DEFAULT;
				break;
			}
		}
	}
	if (fwmark_only && (vb->set & LVS_SET_PROTOCOL)) {
		conf_strict_at(
		    ctx, &vs->loc,
		    "virtual server %s: protocol specified for fwmark - protocol will be ignored",
		    label(name));
		vs->protocol = LVS_PROTO_NONE;
	}
	if (!vs->sched) {
		conf_strict_at(ctx, &vs->loc,
			       "virtual server %s: no scheduler set, setting default 'wlc'", label(name));
		vs->sched = "wlc";
	}
	if (!(vb->set & LVS_SET_DELAY_LOOP))
		vs->delay_loop_us = 60 * SEC;
	if (!(vb->set & LVS_SET_CONNECT_TIMEOUT))
		vs->connect_timeout_us = 5 * SEC;
}

/* Defaults a real (or sorry) server takes from its virtual server. */
static void rs_inherit(struct conf_ctx *ctx, struct lvs_vs_build *vb, struct lvs_rs_build *rb,
		       struct vs_label *name)
{
	struct lvs_virtual_server *vs = &vb->vs;
	struct lvs_real_server *rs = &rb->rs;

	if (!(rb->set & LVS_SET_FWD)) {
		if (!(vb->set & LVS_SET_FWD)) {
			conf_strict_at(
			    ctx, &vs->loc,
			    "virtual server %s: no forwarding method set, setting default NAT",
			    label(name));
			vs->fwd.method = LVS_FWD_NAT;
			vb->set |= LVS_SET_FWD;
		}
		rs->fwd = vs->fwd;
	}
	if (!(rb->set & LVS_SET_ALPHA))
		rs->alpha = vs->alpha;
	if (!(rb->set & LVS_SET_INHIBIT))
		rs->inhibit_on_failure = vs->inhibit_on_failure;
	if (!(rb->set & LVS_SET_WEIGHT))
		rs->weight = vs->weight;
	if (!(rb->set & LVS_SET_SMTP_ALERT))
		rs->smtp_alert = true; /* keepalived's default when global_defs says nothing */
	if (!(rb->set & LVS_SET_CONNECT_TIMEOUT))
		rs->connect_timeout_us = vs->connect_timeout_us;
	if (!(rb->set & LVS_SET_DELAY_LOOP))
		rs->delay_loop_us = vs->delay_loop_us;
	/* retry, warmup, delay_before_retry: set only when given somewhere;
	 * the checker's own default applies otherwise. */
	if (!(rb->set & LVS_SET_RETRY) && (vb->set & LVS_SET_RETRY))
		rs->retry = vs->retry, rb->set |= LVS_SET_RETRY;
	if (!(rb->set & LVS_SET_WARMUP) && (vb->set & LVS_SET_WARMUP))
		rs->warmup_us = vs->warmup_us, rb->set |= LVS_SET_WARMUP;
	if (!(rb->set & LVS_SET_DELAY_BEFORE_RETRY) && (vb->set & LVS_SET_DELAY_BEFORE_RETRY))
		rs->delay_before_retry_us = vs->delay_before_retry_us,
		rb->set |= LVS_SET_DELAY_BEFORE_RETRY;
}

/* The port a real/sorry server uses: NAT keeps its own (the VS's when
 * none); DR/TUN cannot change the port, so keepalived resets it. */
static void rs_port(struct conf_ctx *ctx, const struct lvs_virtual_server *vs,
		    struct lvs_real_server *rs, struct vs_label *name)
{
	char a[VADDR_STRLEN];

	if (vs->kind == LVS_VS_GROUP)
		return;
	if (rs->fwd.method == LVS_FWD_NAT) {
		if (vs->kind == LVS_VS_ADDR && !rs->port)
			rs->port = vs->port;
		return;
	}
	if (vs->kind == LVS_VS_FWMARK) {
		if (rs->port)
			conf_strict_at(
			    ctx, &rs->loc,
			    "fwmark virtual server %s, server %s has port specified - clearing",
			    label(name), vaddr_format(&rs->addr, a, sizeof(a)));
		rs->port = 0;
	} else if (!rs->port) {
		rs->port = vs->port;
	} else if (rs->port != vs->port) {
		conf_strict_at(ctx, &rs->loc,
			       "virtual server %s and server %s ports don't match - resetting",
			       label(name), vaddr_format(&rs->addr, a, sizeof(a)));
		rs->port = vs->port;
	}
}

/* A checker's timing: its own, else its real server's, else the checker
 * type's default (keepalived's validate_check_config()). */
static void checker_inherit(struct lvs_checker_build *cb, const struct lvs_rs_build *rb)
{
	struct lvs_checker *c = &cb->c;
	const struct lvs_real_server *rs = &rb->rs;
	uint64_t dbr_default = c->type == LVS_CHECK_HTTP || c->type == LVS_CHECK_SSL ? 3 * SEC
			       : c->type == LVS_CHECK_DNS				? 0
											: SEC;

	if (!(cb->set & LVS_SET_ALPHA))
		c->alpha = rs->alpha;
	if (!(cb->set & LVS_SET_RETRY))
		c->retry = (rb->set & LVS_SET_RETRY) ? rs->retry
			   : c->type == LVS_CHECK_DNS ? 3
			   : c->type == LVS_CHECK_MISC ? 0
						       : 1;
	if (!(cb->set & LVS_SET_CONNECT_TIMEOUT))
		c->connect_timeout_us = rs->connect_timeout_us;
	if (!(cb->set & LVS_SET_DELAY_LOOP))
		c->delay_loop_us = rs->delay_loop_us;
	if (!(cb->set & LVS_SET_WARMUP))
		c->warmup_us = (rb->set & LVS_SET_WARMUP) ? rs->warmup_us : c->delay_loop_us;
	if (!(cb->set & LVS_SET_DELAY_BEFORE_RETRY))
		c->delay_before_retry_us = (rb->set & LVS_SET_DELAY_BEFORE_RETRY) ? rs->delay_before_retry_us
					   : dbr_default ? dbr_default
							 : c->delay_loop_us;
	if (!(cb->set & LVS_SET_CONNECT_PORT))
		c->connect_port = rs->port;
}

static void http_virtualhosts(struct lvs_checker *c, const struct lvs_real_server *rs,
			      const struct lvs_virtual_server *vs)
{
	const char *vh = c->u.http.virtualhost ? c->u.http.virtualhost
			 : rs->virtualhost    ? rs->virtualhost
					      : vs->virtualhost;

	c->u.http.virtualhost = vh;
	for (struct lvs_url *u = c->u.http.urls; u; u = u->next)
		if (!u->virtualhost)
			u->virtualhost = vh;
}

static void finish_real_server(struct conf_ctx *ctx, struct lvs_vs_build *vb,
			       struct lvs_rs_build *rb, struct vs_label *name)
{
	rs_inherit(ctx, vb, rb, name);
	rs_port(ctx, &vb->vs, &rb->rs, name);
	for (struct lvs_checker *c = rb->rs.checkers; c; c = c->next) {
		checker_inherit((struct lvs_checker_build *)c, rb);
		if (c->type == LVS_CHECK_HTTP || c->type == LVS_CHECK_SSL)
			http_virtualhosts(c, &rb->rs, &vb->vs);
	}
}

/* Duplicate real servers (same address and port): keepalived keeps the
 * first. Hashing keeps this linear for virtual servers with many. */
struct rs_key_slot {
	const struct lvs_real_server *rs;
};

static uint32_t rs_hash(const struct lvs_real_server *rs)
{
	const uint8_t *p = (const uint8_t *)&rs->addr.u;
	size_t len = rs->addr.family == AF_INET ? 4 : 16;
	uint32_t h = 2166136261u ^ rs->port;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static bool rs_same(const struct lvs_real_server *a, const struct lvs_real_server *b)
{
	return a->port == b->port && vaddr_equal(&a->addr, &b->addr);
}

static void drop_duplicates(struct conf_ctx *ctx, struct lvs_virtual_server *vs,
			    struct vs_label *name)
{
	size_t cap = 16, mask;
	struct rs_key_slot *slots;
	struct lvs_real_server **pp;
	char a[VADDR_STRLEN];

	while (cap < 2 * (size_t)vs->n_real_servers)
		cap *= 2;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return; /* only a diagnostic is lost */
	mask = cap - 1;
	for (pp = &vs->real_servers; *pp;) {
		struct lvs_real_server *rs = *pp;
		size_t i = rs_hash(rs) & mask;

		while (slots[i].rs && !rs_same(slots[i].rs, rs))
			i = (i + 1) & mask;
		if (!slots[i].rs) {
			slots[i].rs = rs;
			pp = &rs->next;
			continue;
		}
		conf_strict_at(
		    ctx, &rs->loc,
		    "virtual server %s: real server [%s]:%u is duplicated - removing second rs",
		    label(name), vaddr_format(&rs->addr, a, sizeof(a)), rs->port);
		*pp = rs->next;
		vs->n_real_servers--;
	}
	free(slots);
}

static void quorum_rules(struct conf_ctx *ctx, struct lvs_virtual_server *vs,
			 struct vs_label *name)
{
	uint64_t weight_sum = 0;

	for (const struct lvs_real_server *rs = vs->real_servers; rs; rs = rs->next)
		weight_sum += rs->weight;
	if (vs->quorum > weight_sum) {
		conf_strict_at(ctx, &vs->loc,
			       "quorum %u for virtual server %s exceeds total weight of real "
			       "servers %llu, reducing quorum",
			       vs->quorum, label(name), (unsigned long long)weight_sum);
		vs->quorum = (uint32_t)weight_sum;
	}
	if (vs->hysteresis >= vs->quorum && (vs->hysteresis || vs->quorum)) {
		conf_strict_at(ctx, &vs->loc,
			       "virtual server %s: hysteresis %u >= quorum %u; reducing hysteresis",
			       label(name), vs->hysteresis, vs->quorum);
		vs->hysteresis = vs->quorum ? vs->quorum - 1 : 0;
	} else if (vs->quorum == 0) {
		conf_strict_at(ctx, &vs->loc,
			       "virtual server %s: quorum 0 leaves hysteresis undefined", label(name));
	}
}

void lvs_finish_virtual_server(struct conf_ctx *ctx, struct lvs_vs_build *vb)
{
	struct lvs_virtual_server *vs = &vb->vs;
	struct vs_label label_buf = { .vs = vs }, *name = &label_buf;

	families(ctx, vs);
	if (!vs->n_real_servers) {
		conf_strict_at(ctx, &vs->loc, "virtual server %s has no real servers - ignoring",
			       label(name));
		return;
	}
	service_rules(ctx, vb, name);
	drop_duplicates(ctx, vs, name);
	for (struct lvs_real_server *rs = vs->real_servers; rs; rs = rs->next)
		finish_real_server(ctx, vb, (struct lvs_rs_build *)rs, name);
	if (vs->sorry_server) {
		struct lvs_rs_build *sb = (struct lvs_rs_build *)vs->sorry_server;

		rs_inherit(ctx, vb, sb, name);
		rs_port(ctx, vs, &sb->rs, name);
		for (const struct lvs_real_server *rs = vs->real_servers; rs; rs = rs->next) {
			if (rs_same(rs, &sb->rs) && rs->inhibit_on_failure != sb->rs.inhibit_on_failure) {
				conf_strict_at(ctx, &sb->rs.loc,
					       "virtual server %s: sorry server matches a real "
					       "server but inhibit setting differs",
					       label(name));
				sb->rs.inhibit_on_failure = rs->inhibit_on_failure;
			}
		}
	}
	if (!(vb->set & LVS_SET_SMTP_ALERT))
		vs->smtp_alert = false;
	quorum_rules(ctx, vs, name);
}
