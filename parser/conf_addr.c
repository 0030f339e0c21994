/* Address, route and rule lines (see conf_addr.h). */
#include "build-config.h"

#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "parser/conf_internal.h"

static const char *const scope_names[] = { "global", "site", "link", "host", "nowhere", NULL };
static const int scope_values[] = { 0, 200, 253, 254, 255 };

/* "scope NAME|NUMBER" as ip(8) accepts it. */
static int conf_scope(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, int *out)
{
	const char *s = conf_arg(n, i);
	uint64_t v;

	for (int k = 0; s && scope_names[k]; k++)
		if (strcmp(s, scope_names[k]) == 0) {
			*out = scope_values[k];
			return 0;
		}
	if (s && parse_u64(s, &v) == 0 && v <= 255) {
		*out = (int)v;
		return 0;
	}
	conf_error(ctx, n, i, "invalid scope '%s' (expected global|site|link|host|nowhere or 0-255)",
		   s ? s : "");
	return -1;
}

static const char *need(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i)
{
	if (i >= n->argc) {
		conf_error(ctx, n, i - 1, "'%s' needs a value", n->args[i - 1].s);
		return NULL;
	}
	return n->args[i].s;
}

static int addr_option(struct conf_ctx *ctx, const struct cfg_node *n, unsigned *ip,
		       enum vrrp_addr_ctx where, struct vrrp_addr_conf *a)
{
	unsigned i = *ip;
	const char *w = n->args[i].s;
	bool hp;

	if (!strcmp(w, "home")) a->home = true;
	else if (!strcmp(w, "-nodad")) a->nodad = true;
	else if (!strcmp(w, "mngtmpaddr")) a->mngtmpaddr = true;
	else if (!strcmp(w, "noprefixroute")) a->noprefixroute = true;
	else if (!strcmp(w, "autojoin")) a->autojoin = true;
	else if (!strcmp(w, "no_track")) a->no_track = true;
	else if (!strcmp(w, "use_vmac") && where == VRRP_ADDR_VIRTUAL) {
		a->use_vmac = true;
		conf_warning(ctx, n, i, "per-address 'use_vmac' is not supported by vigil; the "
					"address goes on its interface itself");
	} else {
		static const char *const with_value[] = { "dev", "label", "scope", "track_group", "peer",
							  "brd", "broadcast", "preferred_lft", NULL };
		int k = 0;

		while (with_value[k] && strcmp(with_value[k], w))
			k++;
		if (!with_value[k]) {
			conf_error(ctx, n, i, "unknown option '%s' for an address", w);
			return -1;
		}
		if (!need(ctx, n, i + 1))
			return -1;
		*ip = ++i;
		if (!strcmp(w, "dev"))
			return conf_str(ctx, n, i, &a->dev);
		if (!strcmp(w, "label"))
			return conf_str(ctx, n, i, &a->label);
		if (!strcmp(w, "scope"))
			return conf_scope(ctx, n, i, &a->scope);
		if (!strcmp(w, "track_group") && where == VRRP_ADDR_STATIC)
			return conf_str(ctx, n, i, &a->track_group);
		if (!strcmp(w, "peer"))
			return conf_prefix(ctx, n, i, &a->peer, &a->peer_prefix, &hp);
		if (!strcmp(w, "brd") || !strcmp(w, "broadcast")) {
			if (!strcmp(n->args[i].s, "+") || !strcmp(n->args[i].s, "-")) {
				a->brd_mode = n->args[i].s[0] == '+' ? VRRP_BRD_SET : VRRP_BRD_CLEAR;
				return 0;
			}
			a->brd_mode = VRRP_BRD_ADDR;
			return conf_addr(ctx, n, i, &a->brd);
		}
		if (!strcmp(w, "preferred_lft")) {
			uint32_t v;

			if (!strcmp(n->args[i].s, "forever")) {
				a->preferred_lft = UINT32_MAX;
				return 0;
			}
			if (conf_u32(ctx, n, i, 0, UINT32_MAX - 1, &v) < 0)
				return -1;
			a->preferred_lft = v;
			return 0;
		}
		conf_error(ctx, n, i - 1, "unknown option '%s' for an address", w);
		return -1;
	}
	return 0;
}

void conf_addr_line(struct conf_ctx *ctx, const struct cfg_node *n, enum vrrp_addr_ctx where,
		    struct vrrp_addr_list *list)
{
	struct vrrp_addr_conf *a = conf_alloc(ctx, n, sizeof(*a));
	bool bad = false;

	if (!a)
		return;
	conf_loc(ctx, &n->loc, &a->loc);
	a->preferred_lft = -1;
	if (conf_prefix(ctx, n, 0, &a->addr, &a->prefix, &a->has_prefix) < 0)
		return;
	for (unsigned i = 1; i < n->argc; i++)
		if (addr_option(ctx, n, &i, where, a) < 0)
			bad = true;
	if (a->peer.family && a->peer.family != a->addr.family) {
		conf_error(ctx, n, 0, "peer address family differs from %s's", n->args[0].s);
		bad = true;
	}
	if (a->brd_mode == VRRP_BRD_ADDR && a->brd.family != a->addr.family) {
		conf_error(ctx, n, 0, "broadcast address family differs from %s's", n->args[0].s);
		bad = true;
	}
	if (bad)
		return;
	if (list->last)
		list->last->next = a;
	else
		list->first = a;
	list->last = a;
	list->n++;
}

void conf_addr_block(struct conf_ctx *ctx, const struct cfg_node *n, enum vrrp_addr_ctx where,
		     struct vrrp_addr_list *list)
{
	for (const struct cfg_node *c = n->child; c; c = c->next)
		conf_addr_line(ctx, c, where, list);
}

/* Route/rule options ip(8) knows, with how many words follow. */
struct opt_spec {
	const char *name;
	unsigned nargs;
};

static const struct opt_spec route_opts[] = {
	{ "tos", 1 }, { "dsfield", 1 }, { "mtu", 1 }, { "advmss", 1 }, { "rtt", 1 },
	{ "rttvar", 1 }, { "reordering", 1 }, { "window", 1 }, { "cwnd", 1 },
	{ "ssthresh", 1 }, { "realms", 1 }, { "rto_min", 1 }, { "initcwnd", 1 },
	{ "initrwnd", 1 }, { "features", 1 }, { "quickack", 1 }, { "congctl", 1 },
	{ "pref", 1 }, { "fastopen_no_cookie", 1 }, { "hoplimit", 1 }, { "ttl-propagate", 1 },
	{ "expires", 1 }, { "vrf", 1 }, { "encap", 0 },
	{ "lock", 0 }, { "inet6", 0 }, { "inet", 0 },
};

static const struct opt_spec rule_opts[] = {
	{ "tos", 1 }, { "dsfield", 1 }, { "realms", 1 }, { "goto", 1 },
	{ "suppress_prefixlength", 1 }, { "suppress_ifgroup", 1 }, { "uidrange", 1 },
	{ "l3mdev", 0 }, { "protocol", 1 }, { "ip_proto", 1 }, { "ipproto", 1 }, { "sport", 1 },
	{ "dport", 1 }, { "tun_id", 1 }, { "blackhole", 0 }, { "unreachable", 0 },
	{ "prohibit", 0 }, { "nop", 0 }, { "inet6", 0 }, { "inet", 0 },
};

static const struct opt_spec *opt_find(const struct opt_spec *t, size_t nt, const char *w)
{
	for (size_t k = 0; k < nt; k++)
		if (!strcmp(t[k].name, w))
			return &t[k];
	return NULL;
}

/* Copy words [from, to) into a NULL-terminated arena array appended to @o. */
static void keep_words(struct conf_ctx *ctx, const struct cfg_node *n, unsigned from, unsigned to,
		       struct vrrp_opt_words *o)
{
	const char **v = conf_alloc(ctx, n, (o->n + (to - from) + 1) * sizeof(*v));

	if (!v)
		return;
	for (unsigned k = 0; k < o->n; k++)
		v[k] = o->v[k];
	for (unsigned k = from; k < to; k++)
		conf_str(ctx, n, k, &v[o->n++]);
	v[o->n] = NULL;
	o->v = v;
}

static const char *const route_types[] = { "unicast", "blackhole", "unreachable", "prohibit",
					   "throw", "local", "broadcast", "anycast",
					   "multicast", "nat", NULL };

static int route_dst(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i,
		     struct vrrp_route_conf *r)
{
	bool hp;

	if (!strcmp(n->args[i].s, "default")) {
		r->dst.family = 0;
		r->dst_prefix = 0;
		return 0;
	}
	if (conf_prefix(ctx, n, i, &r->dst, &r->dst_prefix, &hp) < 0)
		return -1;
	r->family = r->dst.family;
	return 0;
}

static int route_gw(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, struct vaddr *a,
		    int *family)
{
	if (conf_addr(ctx, n, i, a) < 0)
		return -1;
	if (*family && *family != a->family) {
		conf_error(ctx, n, i, "address family of '%s' differs from the route's", n->args[i].s);
		return -1;
	}
	*family = a->family;
	return 0;
}

static int route_word(struct conf_ctx *ctx, const struct cfg_node *n, unsigned *ip,
		      enum vrrp_addr_ctx where, struct vrrp_route_conf *r)
{
	unsigned i = *ip;
	const char *w = n->args[i].s;
	const struct opt_spec *o;

	if (!strcmp(w, "onlink")) { r->onlink = true; return 0; }
	if (!strcmp(w, "append")) { r->append = true; return 0; }
	if (!strcmp(w, "no_track")) { r->no_track = true; return 0; }
	if (!strcmp(w, "inet6")) { r->family = AF_INET6; return 0; }
	if ((o = opt_find(route_opts, sizeof(route_opts) / sizeof(*route_opts), w))) {
		/* encap takes everything up to the next known word. */
		unsigned end = i + 1 + o->nargs;

		/* ip(8): a metric may be locked, "mtu lock 1400". */
		if (o->nargs == 1 && end < n->argc && !strcmp(n->args[i + 1].s, "lock"))
			end++;
		if (end > n->argc) {
			conf_error(ctx, n, i, "'%s' needs a value", w);
			return -1;
		}
		keep_words(ctx, n, i, end, &r->extra);
		*ip = end - 1;
		return 0;
	}
	if (!need(ctx, n, i + 1))
		return -1;
	*ip = ++i;
	if (!strcmp(w, "via") || !strcmp(w, "gw"))
		return route_gw(ctx, n, i, &r->via, &r->family);
	if (!strcmp(w, "or"))
		return route_gw(ctx, n, i, &r->or_via, &r->family);
	if (!strcmp(w, "src"))
		return route_gw(ctx, n, i, &r->src, &r->family);
	if (!strcmp(w, "to"))
		return route_dst(ctx, n, i, r);
	if (!strcmp(w, "dev") || !strcmp(w, "oif"))
		return conf_str(ctx, n, i, &r->dev);
	if (!strcmp(w, "scope"))
		return conf_scope(ctx, n, i, &r->scope);
	if (!strcmp(w, "track_group") && where == VRRP_ADDR_STATIC)
		return conf_str(ctx, n, i, &r->track_group);
	if (!strcmp(w, "metric") || !strcmp(w, "priority") || !strcmp(w, "preference")) {
		r->metric_set = true;
		return conf_u32(ctx, n, i, 0, UINT32_MAX, &r->metric);
	}
	if (!strcmp(w, "table")) {
		r->table_set = true;
		if (!strcmp(n->args[i].s, "main")) { r->table = 254; return 0; }
		if (!strcmp(n->args[i].s, "local")) { r->table = 255; return 0; }
		if (!strcmp(n->args[i].s, "default")) { r->table = 253; return 0; }
		return conf_u32(ctx, n, i, 1, UINT32_MAX, &r->table);
	}
	if (!strcmp(w, "protocol")) {
		uint32_t v;
		static const char *const p[] = { "unspec", "redirect", "kernel", "boot", "static", NULL };
		int k;

		for (k = 0; p[k]; k++)
			if (!strcmp(n->args[i].s, p[k])) {
				r->protocol = k;
				return 0;
			}
		if (parse_u64(n->args[i].s, &(uint64_t){ 0 }) < 0) {
			/* A name from /etc/iproute2/rt_protos: resolved at run time. */
			keep_words(ctx, n, i - 1, i + 1, &r->extra);
			return 0;
		}
		if (conf_u32(ctx, n, i, 0, 255, &v) < 0)
			return -1;
		r->protocol = (int)v;
		return 0;
	}
	conf_error(ctx, n, i - 1, "unknown route option '%s'", w);
	return -1;
}

/* A word of an open "nexthop": via/gw, dev, weight, onlink. Returns 1 when
 * the word is not a nexthop's (it then belongs to the route), 0 or -1. */
static int nexthop_word(struct conf_ctx *ctx, const struct cfg_node *n, unsigned *ip,
			struct vrrp_route_conf *r, struct vrrp_nexthop_conf *nh)
{
	unsigned i = *ip;
	const char *w = n->args[i].s;

	if (!strcmp(w, "onlink")) {
		nh->onlink = true;
		return 0;
	}
	if (strcmp(w, "via") && strcmp(w, "gw") && strcmp(w, "dev") && strcmp(w, "weight"))
		return 1;
	if (!need(ctx, n, i + 1))
		return -1;
	*ip = ++i;
	if (!strcmp(w, "dev"))
		return conf_str(ctx, n, i, &nh->dev);
	if (!strcmp(w, "weight"))
		return conf_u32(ctx, n, i, 1, 256, &nh->weight);
	return route_gw(ctx, n, i, &nh->via, &r->family);
}

/* "nexthop": a new nexthop at the end of the route's list. */
static struct vrrp_nexthop_conf *nexthop_new(struct conf_ctx *ctx, const struct cfg_node *n,
					     struct vrrp_route_conf *r)
{
	struct vrrp_nexthop_conf *nh = conf_alloc(ctx, n, sizeof(*nh)), **pp = &r->nexthops;

	if (!nh)
		return NULL;
	while (*pp)
		pp = &(*pp)->next;
	*pp = nh;
	r->n_nexthops++;
	r->has_nexthops = true;
	return nh;
}

void conf_route_line(struct conf_ctx *ctx, const struct cfg_node *n, enum vrrp_addr_ctx where,
		     struct vrrp_route_list *list)
{
	struct vrrp_route_conf *r = conf_alloc(ctx, n, sizeof(*r));
	struct vrrp_nexthop_conf *nh = NULL;
	unsigned i = 0;
	bool bad = false, have_dst = false;

	if (!r)
		return;
	conf_loc(ctx, &n->loc, &r->loc);
	r->scope = -1;
	r->protocol = -1;
	for (int k = 0; route_types[k]; k++)
		if (!strcmp(n->args[0].s, route_types[k])) {
			r->type = (enum vrrp_route_type)k;
			i = 1;
		}
	for (; i < n->argc; i++) {
		const char *w = n->args[i].s;

		if (!have_dst && strcmp(w, "src") && strcmp(w, "to") &&
		    (strchr(w, '.') || strchr(w, ':') || !strcmp(w, "default"))) {
			have_dst = true;
			if (route_dst(ctx, n, i, r) < 0)
				bad = true;
			continue;
		}
		if (!strcmp(w, "nexthop")) {
			if (!(nh = nexthop_new(ctx, n, r)))
				bad = true;
			continue;
		}
		if (nh) {
			int rc = nexthop_word(ctx, n, &i, r, nh);

			if (rc < 0)
				bad = true;
			if (rc <= 0)
				continue;
		}
		if (!strcmp(w, "to"))
			have_dst = true;
		if (route_word(ctx, n, &i, where, r) < 0)
			bad = true;
	}
	if (!have_dst && !bad) {
		conf_error(ctx, n, 0, "route has no destination");
		bad = true;
	}
	if (!r->family)
		r->family = AF_INET; /* keepalived: IPv4 unless something says IPv6 */
	/* keepalived 2.2.7 watches a route through its interface and fails its
	 * config test when it cannot. */
	if (!bad && !r->dev && !r->no_track && !r->has_nexthops) {
		conf_error(ctx, n, 0, "route has no 'dev', so it cannot be tracked (add 'dev IFNAME' "
				      "or 'no_track')");
		bad = true;
	}
	if (bad)
		return;
	if (list->last)
		list->last->next = r;
	else
		list->first = r;
	list->last = r;
	list->n++;
}

void conf_route_block(struct conf_ctx *ctx, const struct cfg_node *n, enum vrrp_addr_ctx where,
		      struct vrrp_route_list *list)
{
	for (const struct cfg_node *c = n->child; c; c = c->next)
		conf_route_line(ctx, c, where, list);
}

static int rule_prefix(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, struct vaddr *a,
		       unsigned *len, int *family)
{
	bool hp;

	if (!strcmp(n->args[i].s, "all"))
		return 0;
	if (conf_prefix(ctx, n, i, a, len, &hp) < 0)
		return -1;
	if (*family && *family != a->family) {
		conf_error(ctx, n, i, "address family of '%s' differs from the rule's", n->args[i].s);
		return -1;
	}
	*family = a->family;
	return 0;
}

static int rule_fwmark(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i,
		       struct vrrp_rule_conf *r)
{
	char buf[64];
	const char *s = n->args[i].s, *slash = strchr(s, '/');
	uint64_t v, m = UINT32_MAX;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	memcpy(buf, s, strlen(s) + 1);
	if (slash) {
		buf[slash - s] = '\0';
		if (parse_u64(slash + 1, &m) < 0 || m > UINT32_MAX)
			goto bad;
	}
	if (parse_u64(buf, &v) < 0 || v > UINT32_MAX)
		goto bad;
	r->fwmark = (uint32_t)v;
	r->fwmask = (uint32_t)m;
	r->fwmark_set = true;
	return 0;
bad:
	conf_error(ctx, n, i, "invalid fwmark '%s' (expected MARK[/MASK])", s);
	return -1;
}

static int rule_word(struct conf_ctx *ctx, const struct cfg_node *n, unsigned *ip,
		     enum vrrp_addr_ctx where, struct vrrp_rule_conf *r)
{
	unsigned i = *ip;
	const char *w = n->args[i].s;
	const struct opt_spec *o;

	if (!strcmp(w, "not")) { r->invert = true; return 0; }
	if (!strcmp(w, "no_track")) { r->no_track = true; return 0; }
	if (!strcmp(w, "inet6")) { r->family = AF_INET6; return 0; }
	if ((o = opt_find(rule_opts, sizeof(rule_opts) / sizeof(*rule_opts), w))) {
		if (i + 1 + o->nargs > n->argc) {
			conf_error(ctx, n, i, "'%s' needs a value", w);
			return -1;
		}
		keep_words(ctx, n, i, i + 1 + o->nargs, &r->extra);
		*ip = i + o->nargs;
		return 0;
	}
	if (!need(ctx, n, i + 1))
		return -1;
	*ip = ++i;
	if (!strcmp(w, "from"))
		return rule_prefix(ctx, n, i, &r->from, &r->from_prefix, &r->family);
	if (!strcmp(w, "to"))
		return rule_prefix(ctx, n, i, &r->to, &r->to_prefix, &r->family);
	if (!strcmp(w, "table") || !strcmp(w, "lookup")) {
		r->table_set = true;
		if (!strcmp(n->args[i].s, "main")) { r->table = 254; return 0; }
		if (!strcmp(n->args[i].s, "local")) { r->table = 255; return 0; }
		if (!strcmp(n->args[i].s, "default")) { r->table = 253; return 0; }
		return conf_u32(ctx, n, i, 1, UINT32_MAX, &r->table);
	}
	if (!strcmp(w, "preference") || !strcmp(w, "priority") || !strcmp(w, "order")) {
		r->preference_set = true;
		return conf_u32(ctx, n, i, 0, UINT32_MAX, &r->preference);
	}
	if (!strcmp(w, "fwmark"))
		return rule_fwmark(ctx, n, i, r);
	if (!strcmp(w, "iif") || !strcmp(w, "dev"))
		return conf_str(ctx, n, i, &r->iif);
	if (!strcmp(w, "oif"))
		return conf_str(ctx, n, i, &r->oif);
	if (!strcmp(w, "track_group") && where == VRRP_ADDR_STATIC)
		return conf_str(ctx, n, i, &r->track_group);
	conf_error(ctx, n, i - 1, "unknown rule option '%s'", w);
	return -1;
}

void conf_rule_line(struct conf_ctx *ctx, const struct cfg_node *n, enum vrrp_addr_ctx where,
		    struct vrrp_rule_list *list)
{
	struct vrrp_rule_conf *r = conf_alloc(ctx, n, sizeof(*r));
	bool bad = false;

	if (!r)
		return;
	conf_loc(ctx, &n->loc, &r->loc);
	for (unsigned i = 0; i < n->argc; i++)
		if (rule_word(ctx, n, &i, where, r) < 0)
			bad = true;
	if (!r->family)
		r->family = AF_INET;
	/* keepalived 2.2.7 rejects a rule without a preference: it would pick
	 * one itself, and rules are re-added in varying order. */
	if (!bad && !r->preference_set) {
		conf_error(ctx, n, 0, "rule has no preference (add 'preference N'); the order "
				      "of rules would otherwise depend on state changes");
		bad = true;
	}
	if (bad)
		return;
	if (list->last)
		list->last->next = r;
	else
		list->first = r;
	list->last = r;
	list->n++;
}

void conf_rule_block(struct conf_ctx *ctx, const struct cfg_node *n, enum vrrp_addr_ctx where,
		     struct vrrp_rule_list *list)
{
	for (const struct cfg_node *c = n->child; c; c = c->next)
		conf_rule_line(ctx, c, where, list);
}
