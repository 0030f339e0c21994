/* Routes and rules of the configuration as rtnetlink requests: the
 * conversion from the model (parser/conf_addr.h) to the RTM_NEWROUTE /
 * RTM_DELROUTE / RTM_NEWRULE / RTM_DELRULE message, through libnl-route's
 * rtnl_route and rtnl_rule. Pure: no socket, no clock; the only fact from
 * the host, an interface's index, comes through a callback. Sending is
 * vrrp/route.c's job.
 *
 * As keepalived 2.2.7 does: a route carries the configured protocol, else
 * RTPROT_KEEPALIVED (18), so vigil (and keepalived) can tell its routes
 * apart; a rule carries FRA_PROTOCOL 18 unless it is "no_track", and then
 * only a configured protocol. A route's scope is the configured one, else
 * ip(8)'s choice (host for local and nat, link for broadcast, multicast,
 * anycast and for a unicast route without a gateway, universe otherwise);
 * a delete asks for the configured scope or any (RT_SCOPE_NOWHERE), as
 * ip(8) and keepalived do.
 */
#ifndef VIGIL_VRRP_ROUTE_MSG_H
#define VIGIL_VRRP_ROUTE_MSG_H

#include <stdbool.h>

#include "parser/conf_addr.h"

struct nl_msg;

/* keepalived's route protocol (RTPROT_KEEPALIVED, 18 in rtnetlink.h). */
#define VRRP_ROUTE_PROTO 18

/* An interface name to its index; 0 when there is no such interface. */
struct vrrp_ifindex_fn {
	unsigned (*lookup)(void *data, const char *name);
	void *data;
};

/* The request that adds (@add) or deletes route @r. Returns 0 and *out
 * (free with nlmsg_free()); *note is NULL, or names an option word that
 * vigil does not program (congctl, vrf, encap): the route is added
 * without it. Errors: -ENODEV (a "dev" that does not exist; *note names
 * it), -EINVAL (a value the kernel would refuse; *note is the word),
 * -ENOMEM. */
int vrrp_route_msg(const struct vrrp_route_conf *r, bool add, const struct vrrp_ifindex_fn *ifx,
		   struct nl_msg **out, const char **note);

/* The same for rule @r: interfaces go by name (FRA_IIFNAME, FRA_OIFNAME),
 * so no lookup is needed. A rule without "table" or an action looks up
 * the main table, as ip(8) adds it. */
int vrrp_rule_msg(const struct vrrp_rule_conf *r, bool add, struct nl_msg **out, const char **note);

/* Whether two lines describe the same kernel route / rule (every field
 * and option word), so a reload keeps it in place. */
bool vrrp_route_same(const struct vrrp_route_conf *a, const struct vrrp_route_conf *b);
bool vrrp_rule_same(const struct vrrp_rule_conf *a, const struct vrrp_rule_conf *b);

#endif
