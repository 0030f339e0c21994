/* Routes tagged RTPROT_KEEPALIVED (18: virtual and static routes, vigil's
 * and keepalived's) or rules deleted from the kernel: one rtnetlink socket
 * subscribed to the IPv4 and IPv6 route and rule groups, and one callback
 * after each batch of notifications that deleted such a route or any
 * rule, so a master can find which of its own went behind its back
 * (vrrp/route.h vrrp_route_restore(), vrrp_rule_restore()). Kept apart from ifwatch: route notifications can
 * be many on a busy router, and most are not ours.
 */
#ifndef VIGIL_VRRP_ROUTEWATCH_H
#define VIGIL_VRRP_ROUTEWATCH_H

#include <systemd/sd-event.h>

struct vrrp_routewatch;

typedef void (*vrrp_routewatch_fn)(void *data);

/* Subscribe and watch on @event. Returns 0 and *out, or a negative errno.
 * Free with vrrp_routewatch_free() (NULL is fine). */
int vrrp_routewatch_new(sd_event *event, vrrp_routewatch_fn deleted, void *data,
			struct vrrp_routewatch **out);
void vrrp_routewatch_free(struct vrrp_routewatch *w);

#endif
