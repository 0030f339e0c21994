/* The host's interfaces and addresses as rtnetlink reports them (pure: fed
 * netlink messages, it reads no socket), and the two questions the VRRP
 * runtime asks of them:
 *
 * - which ifindex an interface name has now (an interface deleted and
 *   re-created comes back with another one: its instances must re-open
 *   their socket and re-join their group);
 * - which address an advert may come from: RFC 9568 §5.1.1.1 / §5.1.2.1
 *   the interface's primary IPv4 address or its IPv6 link-local address,
 *   never one still tentative (DAD not finished) or whose DAD failed
 *   (keepalived 2.3.3 "ignore IPv6 tentative addresses"), never an IPv4
 *   secondary, and one tagged IFA_PROTO 18 (vrrp/addr.h: a VIP, or a
 *   static_ipaddress) only when the interface has no other.
 */
#ifndef VIGIL_VRRP_IFTABLE_H
#define VIGIL_VRRP_IFTABLE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

struct nlmsghdr;

struct vrrp_if_link {
	unsigned ifindex;
	char name[IF_NAMESIZE];
	unsigned flags; /* IFF_*, as the kernel last reported them */
};

struct vrrp_if_addr {
	unsigned ifindex;
	struct vaddr addr;
	uint8_t prefix;
	uint8_t proto;  /* IFA_PROTO, 0 when the kernel does not report it */
	uint32_t flags; /* IFA_F_*, from IFA_FLAGS when present */
};

struct vrrp_iftable {
	struct vrrp_if_link *links;
	size_t n_links, cap_links;
	struct vrrp_if_addr *addrs; /* in the kernel's order, new ones last */
	size_t n_addrs, cap_addrs;
};

/* Apply one RTM_NEWLINK / RTM_DELLINK / RTM_NEWADDR / RTM_DELADDR message
 * (a notification or a dump reply); other types are ignored. Returns 1
 * when the table changed, 0 when not, -ENOMEM (the table is then
 * unchanged), -EINVAL for a malformed message. */
int vrrp_iftable_apply(struct vrrp_iftable *t, const struct nlmsghdr *nh);

/* Forget everything (before a new dump); the memory is kept. */
void vrrp_iftable_clear(struct vrrp_iftable *t);
void vrrp_iftable_free(struct vrrp_iftable *t);

/* The ifindex @name has now, 0 when no such interface exists. */
unsigned vrrp_iftable_ifindex(const struct vrrp_iftable *t, const char *name);

/* Interface @name, or NULL when no such interface exists. */
const struct vrrp_if_link *vrrp_iftable_link(const struct vrrp_iftable *t, const char *name);

/* Whether @a is on interface @ifindex (0: on any interface) and usable
 * as a source: neither tentative nor DAD-failed. */
bool vrrp_iftable_usable(const struct vrrp_iftable *t, unsigned ifindex, const struct vaddr *a);

/* The advert source for @family on @ifindex (see above). Returns 0 and
 * fills @out, or -EADDRNOTAVAIL. */
int vrrp_iftable_primary(const struct vrrp_iftable *t, unsigned ifindex, int family,
			 struct vaddr *out);

#endif
