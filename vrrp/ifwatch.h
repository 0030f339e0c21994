/* The VRRP child's live view of interfaces and addresses: one rtnetlink
 * socket subscribed to link and address notifications (IPv4 and IPv6),
 * a dump at start and after the kernel dropped notifications, the result
 * kept in a vrrp_iftable (vrrp/iftable.h), and one callback after each
 * batch of changes so instances can follow an interface deleted and
 * re-created, or a source address appearing, leaving or finishing DAD.
 */
#ifndef VIGIL_VRRP_IFWATCH_H
#define VIGIL_VRRP_IFWATCH_H

#include <systemd/sd-event.h>

#include "vrrp/iftable.h"

struct vrrp_ifwatch;

/* Called on the loop after a batch of messages changed the table. */
typedef void (*vrrp_ifwatch_changed_fn)(void *data);

/* Subscribe, dump, and watch on @event. Returns 0 and *out, or a negative
 * errno. Free with vrrp_ifwatch_free() (NULL is fine). */
int vrrp_ifwatch_new(sd_event *event, vrrp_ifwatch_changed_fn changed, void *data,
		     struct vrrp_ifwatch **out);
void vrrp_ifwatch_free(struct vrrp_ifwatch *w);

/* The table as of the last batch read. */
const struct vrrp_iftable *vrrp_ifwatch_table(const struct vrrp_ifwatch *w);

#endif
