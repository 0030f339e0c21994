/* Receive endpoints shared by instances: one raw socket per (interface,
 * address family), read on the event loop, each advert decoded once
 * (RFC 9568 §7.1 checks that need no configuration) and handed to the
 * instance its VRID (and, when VRIDs are shared, its multicast group or
 * unicast peers) selects.
 */
#ifndef VIGIL_VRRP_LINK_H
#define VIGIL_VRRP_LINK_H

#include <stdint.h>

#include "lib/addr.h"

struct vrrp;
struct vrrp_instance;
struct vrrp_link;

/* Attach @inst (its conf's interface, family, VRID, multicast group) to
 * the link for its interface and family, creating the link (socket, group
 * membership) when it is the first. Returns 0 and sets inst->link, or a
 * negative errno (interface missing, no privilege). */
int vrrp_link_attach(struct vrrp *v, struct vrrp_instance *inst);

/* Undo vrrp_link_attach(); the last instance closes the link. Safe when
 * @inst is not attached. */
void vrrp_link_detach(struct vrrp *v, struct vrrp_instance *inst);

int vrrp_link_fd(const struct vrrp_link *l);
/* The IPv4 AH socket (vrrp_socket_open_ah()), open while an attached
 * instance uses `auth_type AH`; -1 otherwise. */
int vrrp_link_ah_fd(const struct vrrp_link *l);

/* Read and dispatch the adverts already waiting on @l's socket. The link
 * reads bursts of adverts in rounds (see link.c), so a backup whose
 * Master_Down_Timer is due calls this first: an advert that is already
 * here must not be ignored. */
void vrrp_link_poll(struct vrrp_link *l);
unsigned vrrp_link_ifindex(const struct vrrp_link *l);

/* Adverts dropped before any instance could be chosen. */
struct vrrp_link_counters {
	uint64_t rx_packets;
	uint64_t rx_unknown_vrid;
	uint64_t rx_undecodable; /* too short to carry a VRID */
};

#endif
