/* A master's VIPs deleted behind its back ("never a lost VIP"). Pure: fed
 * the interface table (vrrp/iftable.h) after each batch of rtnetlink
 * changes, it remembers which VIPs it has seen on their interface since
 * they were installed, and reports one that was seen and is gone. Only a
 * VIP seen once counts: one whose add failed (its interface missing, say)
 * never makes the instance give up mastership again and again.
 */
#ifndef VIGIL_VRRP_VIPWATCH_H
#define VIGIL_VRRP_VIPWATCH_H

#include <stdbool.h>

#include "parser/conf_addr.h"
#include "vrrp/iftable.h"

struct vrrp_vipwatch {
	const struct vrrp_addr_conf **seen; /* of the running configuration */
	unsigned n, cap;
};

/* The interface @a lives on now (0: none); @ctx is the caller's. */
typedef unsigned (*vrrp_vipwatch_ifindex_fn)(void *ctx, const struct vrrp_addr_conf *a);

/* Look at every address of @lists (@n of them, each a VIP list) in @t:
 * those present are marked seen; returns the first one seen before and
 * now absent, or NULL. -ENOMEM cannot happen: an address it cannot
 * remember is simply never reported. */
const struct vrrp_addr_conf *vrrp_vipwatch_scan(struct vrrp_vipwatch *w,
						const struct vrrp_iftable *t,
						const struct vrrp_addr_list *const *lists,
						unsigned n, vrrp_vipwatch_ifindex_fn ifindex,
						void *ctx);

/* The VIPs were removed, installed again or replaced by a reload. */
void vrrp_vipwatch_clear(struct vrrp_vipwatch *w);
void vrrp_vipwatch_free(struct vrrp_vipwatch *w);

#endif
