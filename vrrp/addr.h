/* Virtual addresses in the kernel: add and remove one address over
 * rtnetlink (libnl-route-3). Nothing else in vrrp/ talks rtnetlink for
 * addresses.
 *
 * Added addresses carry IFA_PROTO = VRRP_ADDR_PROTO so other tools can tell
 * VIPs apart (`ip -d addr` shows "proto 18"); kernels before 5.18 ignore
 * the attribute. IPv6 VIPs skip duplicate address detection: the other
 * router may still hold the address while we take it over.
 */
#ifndef VIGIL_VRRP_ADDR_H
#define VIGIL_VRRP_ADDR_H

#include "parser/conf_addr.h"

struct nl_sock;

/* keepalived's address protocol (RTPROT_KEEPALIVED). */
#define VRRP_ADDR_PROTO 18

/* A connected rtnetlink socket for the calls below; free with
 * vrrp_addr_close(). Returns 0 or a negative errno. */
int vrrp_addr_open(struct nl_sock **out);
void vrrp_addr_close(struct nl_sock *nl);

/* Add @a on interface @ifindex. An address already there counts as added.
 * Returns 0 or a negative errno. */
int vrrp_addr_add(struct nl_sock *nl, unsigned ifindex, const struct vrrp_addr_conf *a);

/* Remove @a from @ifindex. An address already gone counts as removed.
 * Returns 0 or a negative errno. */
int vrrp_addr_del(struct nl_sock *nl, unsigned ifindex, const struct vrrp_addr_conf *a);

/* The interface a VIP goes on: its own "dev", else @default_if. */
const char *vrrp_addr_dev(const struct vrrp_addr_conf *a, const char *default_if);

#endif
