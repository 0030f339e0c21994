/* Routes as rtnetlink requests (see route_msg.h). */
#include "build-config.h"

#include <errno.h>
#include <linux/icmpv6.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/route_msg.h"
#include "vrrp/route_msg_internal.h"

int vrrp_parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

struct nl_addr *vrrp_nl_prefix(int family, const struct vaddr *a, unsigned prefix)
{
	static const struct in6_addr zero;
	struct nl_addr *na;

	if (a && a->family)
		na = nl_addr_build(a->family, &a->u, a->family == AF_INET6 ? 16 : 4);
	else
		na = nl_addr_build(family, &zero, family == AF_INET6 ? 16 : 4);
	if (na)
		nl_addr_set_prefixlen(na, a && a->family ? (int)prefix : 0);
	return na;
}

/* "realms [FROM/]TO", numbers only (no /etc/iproute2/rt_realms). */
int vrrp_parse_realms(const char *s, uint32_t *out)
{
	const char *slash = strchr(s, '/');
	uint32_t from = 0, to;
	char buf[32];

	if (slash) {
		if ((size_t)(slash - s) >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s, (size_t)(slash - s));
		buf[slash - s] = '\0';
		if (vrrp_parse_u32(buf, &from) < 0 || from > 0xffff)
			return -EINVAL;
		s = slash + 1;
	}
	if (vrrp_parse_u32(s, &to) < 0 || to > 0xffff)
		return -EINVAL;
	*out = from << 16 | to;
	return 0;
}

/* A protocol number, a name of linux/rtnetlink.h's RTPROT_* (keepalived
 * knows them without a file too), or one from rt_protos through libnl. */
int vrrp_parse_proto(const char *s, uint32_t *out)
{
	static const struct {
		const char *name;
		uint8_t proto;
	} names[] = {
	    {"unspec", 0},	{"redirect", 1}, {"kernel", 2},	 {"boot", 3},	{"static", 4},
	    {"gated", 8},	{"ra", 9},	 {"mrt", 10},	 {"zebra", 11}, {"bird", 12},
	    {"dnrouted", 13},	{"xorp", 14},	 {"ntk", 15},	 {"dhcp", 16},	{"mrouted", 17},
	    {"keepalived", 18}, {"babel", 42},	 {"openr", 99},	 {"bgp", 186},	{"isis", 187},
	    {"ospf", 188},	{"rip", 189},	 {"eigrp", 192},
	};
	int p;

	if (vrrp_parse_u32(s, out) == 0)
		return *out <= 255 ? 0 : -EINVAL;
	for (size_t k = 0; k < sizeof(names) / sizeof(*names); k++)
		if (!strcmp(s, names[k].name)) {
			*out = names[k].proto;
			return 0;
		}
	p = rtnl_route_str2proto(s);
	if (p < 0 || p > 255)
		return -EINVAL;
	*out = (uint32_t)p;
	return 0;
}

/* RTN_* for the parser's route types, in enum vrrp_route_type's order. */
static const uint8_t rtn_of[] = {
    [VRRP_RT_UNICAST] = RTN_UNICAST,
    [VRRP_RT_BLACKHOLE] = RTN_BLACKHOLE,
    [VRRP_RT_UNREACHABLE] = RTN_UNREACHABLE,
    [VRRP_RT_PROHIBIT] = RTN_PROHIBIT,
    [VRRP_RT_THROW] = RTN_THROW,
    [VRRP_RT_LOCAL] = RTN_LOCAL,
    [VRRP_RT_BROADCAST] = RTN_BROADCAST,
    [VRRP_RT_ANYCAST] = RTN_ANYCAST,
    [VRRP_RT_MULTICAST] = RTN_MULTICAST,
    [VRRP_RT_NAT] = RTN_NAT,
};

/* Metrics (RTA_METRICS) ip(8) takes as a number; rtt and rttvar are in
 * the kernel's units (1/8 and 1/4 ms) when given bare, ms with "ms" or
 * seconds with "s". */
static const struct {
	const char *name;
	int rtax;
	unsigned unit_per_ms; /* 0: a plain number */
} metric_words[] = {
    {"mtu", RTAX_MTU, 0},
    {"advmss", RTAX_ADVMSS, 0},
    {"reordering", RTAX_REORDERING, 0},
    {"window", RTAX_WINDOW, 0},
    {"cwnd", RTAX_CWND, 0},
    {"ssthresh", RTAX_SSTHRESH, 0},
    {"initcwnd", RTAX_INITCWND, 0},
    {"initrwnd", RTAX_INITRWND, 0},
    {"hoplimit", RTAX_HOPLIMIT, 0},
    {"quickack", RTAX_QUICKACK, 0},
    {"fastopen_no_cookie", RTAX_FASTOPEN_NO_COOKIE, 0},
    {"rtt", RTAX_RTT, 8},
    {"rttvar", RTAX_RTTVAR, 4},
    {"rto_min", RTAX_RTO_MIN, 1},
};

static int parse_time(const char *s, unsigned unit_per_ms, uint32_t *out)
{
	char buf[32];
	size_t len = strlen(s);
	unsigned mult = 0;
	uint32_t v;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len + 1);
	if (len > 2 && !strcmp(buf + len - 2, "ms")) {
		buf[len - 2] = '\0';
		mult = 1;
	} else if (len > 1 && buf[len - 1] == 's') {
		buf[len - 1] = '\0';
		mult = 1000;
	}
	if (vrrp_parse_u32(buf, &v) < 0)
		return -EINVAL;
	/* ip(8): a bare number is raw, except rto_min which is always ms. */
	if (mult)
		v = v * mult * unit_per_ms;
	*out = v;
	return 0;
}

/* What the option words add beyond libnl's route object. */
struct route_extra {
	int pref; /* -1: none */
	int64_t expires;
};

static int metric_word(struct rtnl_route *rt, const char *const *v, unsigned *ip, uint32_t *lock)
{
	const char *w = v[*ip];
	uint32_t val;

	for (size_t k = 0; k < sizeof(metric_words) / sizeof(*metric_words); k++) {
		if (strcmp(w, metric_words[k].name))
			continue;
		if (v[*ip + 1] && !strcmp(v[*ip + 1], "lock")) {
			*lock |= 1u << metric_words[k].rtax;
			++*ip;
		}
		if (!v[++*ip])
			return -EINVAL;
		if (metric_words[k].unit_per_ms
			? parse_time(v[*ip], metric_words[k].unit_per_ms, &val) < 0
			: vrrp_parse_u32(v[*ip], &val) < 0)
			return -EINVAL;
		return rtnl_route_set_metric(rt, metric_words[k].rtax, val) < 0 ? -EINVAL : 0;
	}
	return 1;
}

/* The route's option words (parser/conf_addr.c keeps them validated for
 * arity only). Returns 0, or -EINVAL with *bad at the offending word. */
static int route_words(const struct vrrp_route_conf *r, struct rtnl_route *rt,
		       struct route_extra *x, uint32_t *realms, const char **bad, const char **note)
{
	const char *const *v = r->extra.v;
	uint32_t lock = 0, val;

	for (unsigned i = 0; v && v[i]; i++) {
		const char *w = v[i];
		int rc = metric_word(rt, v, &i, &lock);

		*bad = w;
		if (rc < 0)
			return rc;
		if (rc == 0 || !strcmp(w, "inet") || !strcmp(w, "inet6"))
			continue;
		if (!v[i + 1] && strcmp(w, "encap"))
			return -EINVAL;
		if (!strcmp(w, "tos") || !strcmp(w, "dsfield")) {
			if (vrrp_parse_u32(v[++i], &val) < 0 || val > 255)
				return -EINVAL;
			rtnl_route_set_tos(rt, (uint8_t)val);
		} else if (!strcmp(w, "features")) {
			if (strcmp(v[++i], "ecn"))
				return -EINVAL;
			rtnl_route_set_metric(rt, RTAX_FEATURES, RTAX_FEATURE_ECN);
		} else if (!strcmp(w, "realms")) {
			if (vrrp_parse_realms(v[++i], realms) < 0)
				return -EINVAL;
		} else if (!strcmp(w, "protocol")) {
			if (vrrp_parse_proto(v[++i], &val) < 0)
				return -EINVAL;
			rtnl_route_set_protocol(rt, (uint8_t)val);
		} else if (!strcmp(w, "pref")) {
			w = v[++i];
			x->pref = !strcmp(w, "low")	 ? ICMPV6_ROUTER_PREF_LOW
				  : !strcmp(w, "medium") ? ICMPV6_ROUTER_PREF_MEDIUM
				  : !strcmp(w, "high")	 ? ICMPV6_ROUTER_PREF_HIGH
							 : -1;
			if (x->pref < 0)
				return -EINVAL;
		} else if (!strcmp(w, "expires")) {
			if (vrrp_parse_u32(v[++i], &val) < 0)
				return -EINVAL;
			x->expires = val;
		} else if (!strcmp(w, "ttl-propagate")) {
			w = v[++i];
			if (strcmp(w, "enabled") && strcmp(w, "disabled"))
				return -EINVAL;
			rtnl_route_set_ttl_propagate(rt, !strcmp(w, "enabled"));
		} else {
			/* congctl (a string metric libnl cannot carry), vrf,
			 * encap: not programmed, said once to the caller. */
			if (!*note)
				*note = w;
			if (strcmp(w, "encap"))
				i++;
		}
	}
	*bad = NULL;
	if (lock)
		rtnl_route_set_metric(rt, RTAX_LOCK, lock);
	return 0;
}

static int nexthop_add(struct rtnl_route *rt, int family, const struct vaddr *via, const char *dev,
		       uint32_t weight, bool onlink, uint32_t realms,
		       const struct vrrp_ifindex_fn *ifx, const char **note)
{
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();

	if (!nh)
		return -ENOMEM;
	if (via && via->family) {
		struct nl_addr *gw =
		    vrrp_nl_prefix(family, via, via->family == AF_INET6 ? 128 : 32);

		if (!gw) {
			rtnl_route_nh_free(nh);
			return -ENOMEM;
		}
		rtnl_route_nh_set_gateway(nh, gw);
		nl_addr_put(gw);
	}
	if (dev) {
		unsigned idx = ifx && ifx->lookup ? ifx->lookup(ifx->data, dev) : 0;

		if (!idx) {
			rtnl_route_nh_free(nh);
			*note = dev;
			return -ENODEV;
		}
		rtnl_route_nh_set_ifindex(nh, (int)idx);
	}
	/* ip(8) and the kernel count rtnh_hops from 0: weight 1 is 0. */
	if (weight)
		rtnl_route_nh_set_weight(nh, (uint8_t)(weight - 1));
	if (onlink)
		rtnl_route_nh_set_flags(nh, RTNH_F_ONLINK);
	if (realms)
		rtnl_route_nh_set_realms(nh, realms);
	rtnl_route_add_nexthop(rt, nh);
	return 0;
}

static int route_nexthops(const struct vrrp_route_conf *r, struct rtnl_route *rt, uint32_t realms,
			  const struct vrrp_ifindex_fn *ifx, const char **note)
{
	int rc = 0;

	if (r->nexthops) {
		for (const struct vrrp_nexthop_conf *nh = r->nexthops; nh && rc == 0; nh = nh->next)
			rc = nexthop_add(rt, r->family, &nh->via, nh->dev ? nh->dev : r->dev,
					 nh->weight, nh->onlink || r->onlink, realms, ifx, note);
		return rc;
	}
	/* keepalived's "via A or B": two equal paths through the same dev. */
	if (r->or_via.family) {
		rc = nexthop_add(rt, r->family, &r->via, r->dev, 0, r->onlink, realms, ifx, note);
		if (rc == 0)
			rc = nexthop_add(rt, r->family, &r->or_via, r->dev, 0, r->onlink, realms,
					 ifx, note);
		return rc;
	}
	if (!r->via.family && !r->dev)
		return 0;
	rc = nexthop_add(rt, r->family, &r->via, r->dev, 0, false, realms, ifx, note);
	/* With one path, libnl sends the route's own flags (rtm_flags). */
	if (rc == 0 && r->onlink)
		rtnl_route_set_flags(rt, RTNH_F_ONLINK);
	return rc;
}

/* ip(8)'s scope when none is configured (iproute2 iproute_modify()). */
static uint8_t route_scope(const struct vrrp_route_conf *r, bool add)
{
	if (r->scope >= 0)
		return (uint8_t)r->scope;
	if (!add)
		return RT_SCOPE_NOWHERE;
	switch (r->type) {
	case VRRP_RT_LOCAL:
	case VRRP_RT_NAT:
		return RT_SCOPE_HOST;
	case VRRP_RT_BROADCAST:
	case VRRP_RT_MULTICAST:
	case VRRP_RT_ANYCAST:
		return RT_SCOPE_LINK;
	case VRRP_RT_UNICAST:
		return r->via.family || r->nexthops ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	default:
		return RT_SCOPE_UNIVERSE;
	}
}

static int route_object(const struct vrrp_route_conf *r, bool add,
			const struct vrrp_ifindex_fn *ifx, struct rtnl_route *rt,
			struct route_extra *x, const char **note)
{
	struct nl_addr *dst = vrrp_nl_prefix(r->family, &r->dst, r->dst_prefix);
	const char *bad = NULL;
	uint32_t realms = 0;
	int rc;

	if (!dst)
		return -ENOMEM;
	rtnl_route_set_family(rt, (uint8_t)r->family);
	rc = rtnl_route_set_dst(rt, dst);
	nl_addr_put(dst);
	if (rc < 0)
		return -ENOMEM;
	rtnl_route_set_type(rt, rtn_of[r->type]);
	rtnl_route_set_table(rt, r->table_set ? r->table : RT_TABLE_MAIN);
	rtnl_route_set_protocol(rt, VRRP_ROUTE_PROTO);
	rtnl_route_set_scope(rt, route_scope(r, add));
	if (r->metric_set)
		rtnl_route_set_priority(rt, r->metric);
	if (r->src.family) {
		struct nl_addr *src = vrrp_nl_prefix(r->family, &r->src, 0);

		if (!src)
			return -ENOMEM;
		nl_addr_set_prefixlen(src, r->src.family == AF_INET6 ? 128 : 32);
		rc = rtnl_route_set_pref_src(rt, src);
		nl_addr_put(src);
		if (rc < 0)
			return -ENOMEM;
	}
	rc = route_words(r, rt, x, &realms, &bad, note);
	if (rc < 0) {
		*note = bad;
		return rc;
	}
	/* The parser types a protocol number (a name stays a word, handled
	 * above); either replaces RTPROT_KEEPALIVED. */
	if (r->protocol >= 0)
		rtnl_route_set_protocol(rt, (uint8_t)r->protocol);
	return route_nexthops(r, rt, realms, ifx, note);
}

int vrrp_route_msg(const struct vrrp_route_conf *r, bool add, const struct vrrp_ifindex_fn *ifx,
		   struct nl_msg **out, const char **note)
{
	struct route_extra x = {.pref = -1, .expires = -1};
	struct rtnl_route *rt = rtnl_route_alloc();
	struct nl_msg *msg = NULL;
	int rc;

	*note = NULL;
	if (!rt)
		return -ENOMEM;
	rc = route_object(r, add, ifx, rt, &x, note);
	if (rc == 0) {
		rc = add ? rtnl_route_build_add_request(rt, r->append ? NLM_F_APPEND : 0, &msg)
			 : rtnl_route_build_del_request(rt, 0, &msg);
		if (rc < 0)
			rc = rc == -NLE_NOMEM ? -ENOMEM : -EINVAL;
	}
	rtnl_route_put(rt);
	if (rc == 0 && ((x.pref >= 0 && nla_put_u8(msg, RTA_PREF, (uint8_t)x.pref) < 0) ||
			(x.expires >= 0 && nla_put_u32(msg, RTA_EXPIRES, (uint32_t)x.expires) < 0)))
		rc = -ENOMEM;
	if (rc < 0) {
		nlmsg_free(msg);
		return rc;
	}
	*out = msg;
	return 0;
}

bool vrrp_opt_words_same(const struct vrrp_opt_words *a, const struct vrrp_opt_words *b)
{
	if (a->n != b->n)
		return false;
	for (unsigned i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return false;
	return true;
}

bool vrrp_str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool nexthops_same(const struct vrrp_nexthop_conf *a, const struct vrrp_nexthop_conf *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (!vaddr_equal(&a->via, &b->via) || !vrrp_str_same(a->dev, b->dev) ||
		    a->weight != b->weight || a->onlink != b->onlink)
			return false;
	return !a && !b;
}

bool vrrp_route_same(const struct vrrp_route_conf *a, const struct vrrp_route_conf *b)
{
	return a->family == b->family && a->type == b->type && vaddr_equal(&a->dst, &b->dst) &&
	       a->dst_prefix == b->dst_prefix && vaddr_equal(&a->src, &b->src) &&
	       vaddr_equal(&a->via, &b->via) && vaddr_equal(&a->or_via, &b->or_via) &&
	       vrrp_str_same(a->dev, b->dev) && a->table_set == b->table_set &&
	       a->table == b->table && a->metric_set == b->metric_set && a->metric == b->metric &&
	       a->scope == b->scope && a->protocol == b->protocol && a->onlink == b->onlink &&
	       a->append == b->append && nexthops_same(a->nexthops, b->nexthops) &&
	       vrrp_opt_words_same(&a->extra, &b->extra);
}
