/* Virtual and static routes and rules in the kernel: add or remove one
 * configured route or rule over rtnetlink (libnl-route-3), and whole lists
 * in keepalived's order. Nothing else in vrrp/ talks rtnetlink for routes
 * and rules; the messages come from route_msg.c (pure).
 */
#ifndef VIGIL_VRRP_ROUTE_H
#define VIGIL_VRRP_ROUTE_H

#include <stdbool.h>

#include "parser/conf_addr.h"

struct nl_sock;

/* Add (@add) or remove route @r. A route already there counts as added
 * (kept, not replaced: a restart adopts what a killed vigild left), one
 * already gone as removed. Returns 0 or a negative errno; *note may name
 * an option word that was not programmed (0) or the word at fault (< 0). */
int vrrp_route_change(struct nl_sock *nl, const struct vrrp_route_conf *r, bool add,
		      const char **note);

/* Add route @r only if it is not there (the kernel answers EEXIST for an
 * identical route): 0 when it was, 1
 * when it was missing and is added now, or a negative errno. Not for an
 * `append` route, which the kernel adds again beside itself. */
int vrrp_route_restore(struct nl_sock *nl, const struct vrrp_route_conf *r);

/* The same for rule @r (NLM_F_EXCL: the kernel answers EEXIST for an
 * identical rule instead of adding it twice). */
int vrrp_rule_restore(struct nl_sock *nl, const struct vrrp_rule_conf *r);

/* The same for rule @r. */
int vrrp_rule_change(struct nl_sock *nl, const struct vrrp_rule_conf *r, bool add,
		     const char **note);

/* Routes and rules that are installed and removed together: an instance's
 * virtual_routes and virtual_rules, or the static ones. */
struct vrrp_route_set {
	const struct vrrp_route_list *routes;
	const struct vrrp_rule_list *rules;
};

/* Add every route, then every rule (keepalived's vrrp_state_become_master()
 * order), or remove the rules, then the routes. Failures are logged with
 * @who ("(VI_1)" or "static") and counted; returns how many failed. A NULL
 * @nl fails each one with ENOTCONN. */
unsigned vrrp_route_set_apply(struct nl_sock *nl, const char *who, const struct vrrp_route_set *set,
			      bool add);

/* A reload: remove what @old has and @next has not (rules first), then add
 * what @next has and @old has not (routes first); the rest is left alone
 * in the kernel. Returns how many changes failed. */
unsigned vrrp_route_set_update(struct nl_sock *nl, const char *who,
			       const struct vrrp_route_set *old, const struct vrrp_route_set *next);

#endif
