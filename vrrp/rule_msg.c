/* Rules as rtnetlink requests (see route_msg.h). */
#include "build-config.h"

#include <endian.h>
#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netdb.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/route/rule.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/route_msg.h"
#include "vrrp/route_msg_internal.h"

/* What libnl 3.7's rtnl_rule cannot carry: appended to the message. */
struct rule_extra {
	bool invert;
	int64_t suppress_prefixlen, suppress_ifgroup; /* -1: none */
	bool uid_range, tun_id_set;
	struct fib_rule_uid_range uids;
	uint64_t tun_id;
};

/* "N" or "N-M" (uidrange, sport, dport). */
static int parse_range(const char *s, uint32_t max, uint32_t *lo, uint32_t *hi)
{
	const char *dash = strchr(s, '-');
	char buf[24];

	if (dash) {
		if ((size_t)(dash - s) >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s, (size_t)(dash - s));
		buf[dash - s] = '\0';
		if (vrrp_parse_u32(buf, lo) < 0 || vrrp_parse_u32(dash + 1, hi) < 0)
			return -EINVAL;
	} else if (vrrp_parse_u32(s, lo) < 0) {
		return -EINVAL;
	} else {
		*hi = *lo;
	}
	return *lo <= *hi && *hi <= max ? 0 : -EINVAL;
}

/* "ipproto tcp|udp|NUMBER" as ip(8) resolves it (/etc/protocols). */
static int parse_ipproto(const char *s, uint32_t *out)
{
	const struct protoent *p;

	if (vrrp_parse_u32(s, out) == 0)
		return *out <= 255 ? 0 : -EINVAL;
	p = getprotobyname(s);
	if (!p)
		return -EINVAL;
	*out = (uint32_t)p->p_proto;
	return 0;
}

static int rule_action_word(struct rtnl_rule *ru, const char *w)
{
	static const struct {
		const char *name;
		uint8_t action;
	} actions[] = {
	    {"blackhole", FR_ACT_BLACKHOLE},
	    {"unreachable", FR_ACT_UNREACHABLE},
	    {"prohibit", FR_ACT_PROHIBIT},
	    {"nop", FR_ACT_NOP},
	};

	for (size_t k = 0; k < sizeof(actions) / sizeof(*actions); k++)
		if (!strcmp(w, actions[k].name)) {
			rtnl_rule_set_action(ru, actions[k].action);
			return 0;
		}
	return 1;
}

/* One option word with its value (@v is the value). 0, or -EINVAL. */
static int rule_value_word(struct rtnl_rule *ru, struct rule_extra *x, const char *w, const char *v,
			   uint8_t *proto, bool *proto_set)
{
	uint32_t a, b;

	if (!strcmp(w, "tos") || !strcmp(w, "dsfield")) {
		if (vrrp_parse_u32(v, &a) < 0 || a > 255)
			return -EINVAL;
		rtnl_rule_set_dsfield(ru, (uint8_t)a);
	} else if (!strcmp(w, "realms")) {
		if (vrrp_parse_realms(v, &a) < 0)
			return -EINVAL;
		rtnl_rule_set_realms(ru, a);
	} else if (!strcmp(w, "goto")) {
		if (vrrp_parse_u32(v, &a) < 0)
			return -EINVAL;
		rtnl_rule_set_action(ru, FR_ACT_GOTO);
		rtnl_rule_set_goto(ru, a);
	} else if (!strcmp(w, "suppress_prefixlength")) {
		if (vrrp_parse_u32(v, &a) < 0)
			return -EINVAL;
		x->suppress_prefixlen = a;
	} else if (!strcmp(w, "suppress_ifgroup")) {
		if (vrrp_parse_u32(v, &a) < 0)
			return -EINVAL;
		x->suppress_ifgroup = a;
	} else if (!strcmp(w, "uidrange")) {
		if (parse_range(v, UINT32_MAX, &x->uids.start, &x->uids.end) < 0)
			return -EINVAL;
		x->uid_range = true;
	} else if (!strcmp(w, "protocol")) {
		if (vrrp_parse_proto(v, &a) < 0)
			return -EINVAL;
		*proto = (uint8_t)a;
		*proto_set = true;
	} else if (!strcmp(w, "ip_proto") || !strcmp(w, "ipproto")) {
		if (parse_ipproto(v, &a) < 0)
			return -EINVAL;
		rtnl_rule_set_ipproto(ru, (uint8_t)a);
	} else if (!strcmp(w, "sport") || !strcmp(w, "dport")) {
		if (parse_range(v, 65535, &a, &b) < 0)
			return -EINVAL;
		if (w[0] == 's')
			rtnl_rule_set_sport_range(ru, (uint16_t)a, (uint16_t)b);
		else
			rtnl_rule_set_dport_range(ru, (uint16_t)a, (uint16_t)b);
	} else if (!strcmp(w, "tun_id")) {
		char *end;

		errno = 0;
		x->tun_id = strtoull(v, &end, 0);
		if (errno || *end || !*v)
			return -EINVAL;
		x->tun_id_set = true;
	} else {
		return -EINVAL;
	}
	return 0;
}

static int rule_words(const struct vrrp_rule_conf *r, struct rtnl_rule *ru, struct rule_extra *x,
		      uint8_t *proto, bool *proto_set, const char **bad)
{
	const char *const *v = r->extra.v;

	for (unsigned i = 0; v && v[i]; i++) {
		*bad = v[i];
		if (!strcmp(v[i], "inet") || !strcmp(v[i], "inet6") ||
		    rule_action_word(ru, v[i]) == 0)
			continue;
		if (!strcmp(v[i], "l3mdev")) {
			rtnl_rule_set_l3mdev(ru, 1);
			continue;
		}
		if (!v[i + 1] || rule_value_word(ru, x, v[i], v[i + 1], proto, proto_set) < 0)
			return -EINVAL;
		i++;
	}
	*bad = NULL;
	return 0;
}

static int rule_object(const struct vrrp_rule_conf *r, struct rtnl_rule *ru, struct rule_extra *x,
		       const char **note)
{
	uint8_t proto = 0;
	bool proto_set = false;
	int rc;

	rtnl_rule_set_family(ru, r->family);
	rtnl_rule_set_prio(ru, r->preference);
	rtnl_rule_set_action(ru, FR_ACT_TO_TBL);
	x->invert = r->invert;
	if (r->from.family || r->to.family) {
		struct nl_addr *from =
		    r->from.family ? vrrp_nl_prefix(r->family, &r->from, r->from_prefix) : NULL;
		struct nl_addr *to =
		    r->to.family ? vrrp_nl_prefix(r->family, &r->to, r->to_prefix) : NULL;

		rc = (r->from.family && !from) || (r->to.family && !to) ? -ENOMEM : 0;
		if (rc == 0 && from)
			rc = rtnl_rule_set_src(ru, from) < 0 ? -ENOMEM : 0;
		if (rc == 0 && to)
			rc = rtnl_rule_set_dst(ru, to) < 0 ? -ENOMEM : 0;
		nl_addr_put(from);
		nl_addr_put(to);
		if (rc < 0)
			return rc;
	}
	if (r->fwmark_set) {
		rtnl_rule_set_mark(ru, r->fwmark);
		if (r->fwmask != UINT32_MAX)
			rtnl_rule_set_mask(ru, r->fwmask);
	}
	if (r->iif && rtnl_rule_set_iif(ru, r->iif) < 0) {
		*note = r->iif;
		return -EINVAL;
	}
	if (r->oif && rtnl_rule_set_oif(ru, r->oif) < 0) {
		*note = r->oif;
		return -EINVAL;
	}
	rc = rule_words(r, ru, x, &proto, &proto_set, note);
	if (rc < 0)
		return rc;
	/* ip(8) looks up the main table when an action needs one and none is
	 * given. */
	if (r->table_set)
		rtnl_rule_set_table(ru, r->table);
	else if (rtnl_rule_get_action(ru) == FR_ACT_TO_TBL)
		rtnl_rule_set_table(ru, RT_TABLE_MAIN);
	/* keepalived 2.2.7 (alloc_rule()) tracks every rule but no_track ones
	 * by their protocol, forcing RTPROT_KEEPALIVED on them. */
	if (!r->no_track)
		rtnl_rule_set_protocol(ru, VRRP_ROUTE_PROTO);
	else if (proto_set)
		rtnl_rule_set_protocol(ru, proto);
	return 0;
}

static int rule_extra_put(struct nl_msg *msg, const struct rule_extra *x)
{
	struct fib_rule_hdr *frh = nlmsg_data(nlmsg_hdr(msg));

	if (x->invert)
		frh->flags |= FIB_RULE_INVERT;
	if (x->suppress_prefixlen >= 0 &&
	    nla_put_u32(msg, FRA_SUPPRESS_PREFIXLEN, (uint32_t)x->suppress_prefixlen) < 0)
		return -ENOMEM;
	if (x->suppress_ifgroup >= 0 &&
	    nla_put_u32(msg, FRA_SUPPRESS_IFGROUP, (uint32_t)x->suppress_ifgroup) < 0)
		return -ENOMEM;
	if (x->uid_range && nla_put(msg, FRA_UID_RANGE, sizeof(x->uids), &x->uids) < 0)
		return -ENOMEM;
	if (x->tun_id_set && nla_put_u64(msg, FRA_TUN_ID, htobe64(x->tun_id)) < 0)
		return -ENOMEM;
	return 0;
}

int vrrp_rule_msg(const struct vrrp_rule_conf *r, bool add, struct nl_msg **out, const char **note)
{
	struct rule_extra x = {.suppress_prefixlen = -1, .suppress_ifgroup = -1};
	struct rtnl_rule *ru = rtnl_rule_alloc();
	struct nl_msg *msg = NULL;
	int rc;

	*note = NULL;
	if (!ru)
		return -ENOMEM;
	rc = rule_object(r, ru, &x, note);
	if (rc == 0) {
		/* NLM_F_EXCL: the kernel would otherwise add a second copy of a
		 * rule already there (one a previous vigild left behind). */
		rc = add ? rtnl_rule_build_add_request(ru, NLM_F_EXCL, &msg)
			 : rtnl_rule_build_delete_request(ru, 0, &msg);
		if (rc < 0)
			rc = rc == -NLE_NOMEM ? -ENOMEM : -EINVAL;
	}
	rtnl_rule_put(ru);
	if (rc == 0)
		rc = rule_extra_put(msg, &x);
	if (rc < 0) {
		nlmsg_free(msg);
		return rc;
	}
	*out = msg;
	return 0;
}

bool vrrp_rule_same(const struct vrrp_rule_conf *a, const struct vrrp_rule_conf *b)
{
	return a->family == b->family && vaddr_equal(&a->from, &b->from) &&
	       vaddr_equal(&a->to, &b->to) && a->from_prefix == b->from_prefix &&
	       a->to_prefix == b->to_prefix && a->table_set == b->table_set &&
	       a->table == b->table && a->preference == b->preference &&
	       a->fwmark_set == b->fwmark_set && a->fwmark == b->fwmark && a->fwmask == b->fwmask &&
	       vrrp_str_same(a->iif, b->iif) && vrrp_str_same(a->oif, b->oif) &&
	       a->invert == b->invert && a->no_track == b->no_track &&
	       vrrp_opt_words_same(&a->extra, &b->extra);
}
