/* The address, route and rule line syntax shared by virtual_ipaddress,
 * virtual_ipaddress_excluded, virtual_routes, virtual_rules and
 * static_ipaddress/static_routes/static_rules (keepalived.conf(5), "Static
 * routes/addresses/rules"): "ip address/route/rule add" words, with
 * keepalived's additions (no_track, track_group, use_vmac).
 *
 * The options vigil programs are typed; the rest of a route or rule line is
 * validated against the table of options ip(8) knows and kept as words, so
 * the netlink layer can add them later without a config change.
 */
#ifndef VIGIL_PARSER_CONF_ADDR_H
#define VIGIL_PARSER_CONF_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"
#include "parser/diag.h"

struct conf_ctx;
struct cfg_node;

enum vrrp_brd_mode { VRRP_BRD_NONE, VRRP_BRD_ADDR, VRRP_BRD_SET /* + */, VRRP_BRD_CLEAR /* - */ };

struct vrrp_addr_conf {
	struct vrrp_addr_conf *next;
	struct cfg_loc loc;
	struct vaddr addr;
	unsigned prefix;          /* 32/128 when not given */
	bool has_prefix;
	enum vrrp_brd_mode brd_mode;
	struct vaddr brd;
	struct vaddr peer;        /* unset when absent */
	unsigned peer_prefix;
	const char *dev;          /* NULL: the instance's interface (or default_interface) */
	int scope;                /* RT_SCOPE_* value; 0 (global) by default */
	const char *label;
	bool home, nodad, mngtmpaddr, noprefixroute, autojoin;
	bool no_track;
	bool use_vmac;
	int64_t preferred_lft;    /* -1: default; UINT32_MAX: forever */
	const char *track_group;
};

struct vrrp_addr_list {
	struct vrrp_addr_conf *first, *last;
	unsigned n;
};

/* Extra words of a route/rule line that vigil keeps untyped. */
struct vrrp_opt_words {
	const char *const *v; /* NULL-terminated, NULL when none */
	unsigned n;
};

/* One "nexthop via ADDR dev IF weight N onlink" of a multipath route. */
struct vrrp_nexthop_conf {
	struct vrrp_nexthop_conf *next;
	struct vaddr via;        /* unset: a device-only nexthop */
	const char *dev;
	uint32_t weight;         /* 1-256; 0 when not given (the kernel's 1) */
	bool onlink;
};

enum vrrp_route_type { VRRP_RT_UNICAST, VRRP_RT_BLACKHOLE, VRRP_RT_UNREACHABLE,
		       VRRP_RT_PROHIBIT, VRRP_RT_THROW, VRRP_RT_LOCAL, VRRP_RT_BROADCAST,
		       VRRP_RT_ANYCAST, VRRP_RT_MULTICAST, VRRP_RT_NAT };

struct vrrp_route_conf {
	struct vrrp_route_conf *next;
	struct cfg_loc loc;
	int family;
	enum vrrp_route_type type;
	struct vaddr dst;
	unsigned dst_prefix;
	struct vaddr src;        /* "src" (preferred source), unset when absent */
	struct vaddr via;        /* "via"/"gw", unset when absent */
	struct vaddr or_via;     /* keepalived's "or" second gateway */
	const char *dev;
	uint32_t table;          /* 0: main */
	bool table_set;
	uint32_t metric;
	bool metric_set;
	int scope;               /* -1: kernel default */
	int protocol;            /* -1: default (keepalived: RTPROT_KEEPALIVED) */
	bool onlink, append, no_track, has_nexthops;
	struct vrrp_nexthop_conf *nexthops; /* in order; NULL when none */
	unsigned n_nexthops;
	const char *track_group;
	struct vrrp_opt_words extra; /* the other words, validated */
};

struct vrrp_route_list {
	struct vrrp_route_conf *first, *last;
	unsigned n;
};

struct vrrp_rule_conf {
	struct vrrp_rule_conf *next;
	struct cfg_loc loc;
	int family;
	struct vaddr from, to;   /* unset when absent */
	unsigned from_prefix, to_prefix;
	uint32_t table;
	bool table_set;
	uint32_t preference;
	bool preference_set;
	uint32_t fwmark, fwmask;
	bool fwmark_set;
	const char *iif, *oif;
	bool invert, no_track;
	const char *track_group;
	struct vrrp_opt_words extra;
};

struct vrrp_rule_list {
	struct vrrp_rule_conf *first, *last;
	unsigned n;
};

enum vrrp_addr_ctx { VRRP_ADDR_VIRTUAL, VRRP_ADDR_STATIC };

/* Parse one line of an address/route/rule block into the list. Errors are
 * reported at the offending word; a bad line is dropped. */
void conf_addr_line(struct conf_ctx *ctx, const struct cfg_node *n, enum vrrp_addr_ctx where,
		    struct vrrp_addr_list *list);
void conf_route_line(struct conf_ctx *ctx, const struct cfg_node *n, enum vrrp_addr_ctx where,
		     struct vrrp_route_list *list);
void conf_rule_line(struct conf_ctx *ctx, const struct cfg_node *n, enum vrrp_addr_ctx where,
		    struct vrrp_rule_list *list);

/* Whole blocks (each child statement is one line). */
void conf_addr_block(struct conf_ctx *ctx, const struct cfg_node *n, enum vrrp_addr_ctx where,
		     struct vrrp_addr_list *list);
void conf_route_block(struct conf_ctx *ctx, const struct cfg_node *n, enum vrrp_addr_ctx where,
		      struct vrrp_route_list *list);
void conf_rule_block(struct conf_ctx *ctx, const struct cfg_node *n, enum vrrp_addr_ctx where,
		     struct vrrp_rule_list *list);

#endif
