/* static_ipaddress, static_routes and static_rules: not moved by VRRP, they
 * stay on the machine. As keepalived 2.2.7's VRRP process does
 * (vrrp_daemon.c start_vrrp()/stop_vrrp()): installed when the first
 * configuration is applied, changed by difference on a reload (what is
 * unchanged is not touched), removed when the VRRP child stops (rules,
 * then routes, then addresses). A VRRP child killed outright leaves them;
 * its successor adopts them (an address or route already there counts as
 * added). Unlike keepalived, which removes leftovers at start and adds them
 * again, vigil does not flap them.
 */
#ifndef VIGIL_VRRP_STATIC_H
#define VIGIL_VRRP_STATIC_H

#include <stdint.h>

#include "parser/config.h"

struct nl_sock;

struct vrrp_static {
	const struct vigil_config *cfg; /* whose statics are installed; NULL: none */
	uint64_t errors;		/* changes that failed */
};

/* Make @next's statics the installed ones: all of them the first time,
 * the difference with the installed configuration (still mapped) after. */
void vrrp_static_apply(struct vrrp_static *s, struct nl_sock *nl, const struct vigil_config *next);

/* Remove every installed static (clean stop). */
void vrrp_static_remove(struct vrrp_static *s, struct nl_sock *nl);

#endif
