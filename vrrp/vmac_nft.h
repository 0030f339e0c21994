/* keepalived 2.2.7's nftables rules for VMAC interfaces (vrrp_nftables.c;
 * `nft list ruleset` beside it): joining the VRRP group, a macvlan sends
 * IGMP / MLDv2 reports with the virtual MAC as source, and the switches
 * would learn that MAC at a backup's port. Those reports are sent out of
 * the base interface instead (dup to the base, dropped on the macvlan),
 * and an IPv6 macvlan's router solicitations are dropped.
 *
 * vigil keeps them in a table of its own, "vigil_vmac" (ip and ip6), made
 * (afresh, so nothing a killed predecessor left stays twice) with a
 * family's first VMAC interface and deleted with its last: the rules nft
 * would make of
 *
 *   ip:  ip protocol igmp meta oifkind "macvlan"
 *            dup to ip daddr device oif map @vmac_map drop
 *   ip6: icmpv6 type mld2-listener-report meta oifkind "macvlan"
 *            dup to ip6 daddr device oif map @vmac_map drop
 *        icmpv6 type nd-router-solicit meta oifkind "macvlan" oif @vmac_set drop
 *
 * built with libnftnl, one vrrp/nft_tx.h transaction per change. The map
 * (macvlan -> base) and set (macvlan) hold interface indexes.
 */
#ifndef VIGIL_VRRP_VMAC_NFT_H
#define VIGIL_VRRP_VMAC_NFT_H

#define VRRP_VMAC_NFT_TABLE "vigil_vmac"

struct vrrp_vmac;
struct vrrp_vmac_sys;

/* Put macvlan @vm (its ifindex, base_ifindex and family) in the rules; the
 * first of a family creates them. Returns 0 or a negative errno (logged;
 * the VMAC works without the rules, as keepalived's does without a
 * firewall). */
int vrrp_vmac_nft_attach(struct vrrp_vmac_sys *s, const struct vrrp_vmac *vm);

/* Take macvlan @ifindex of @family out; the last of a family deletes the
 * family's table. Call it after the interface is deleted: until then its
 * reports must still be sent out of the base (the kernel sends some as the
 * VIPs leave), and the elements are found by index, not by name. */
void vrrp_vmac_nft_detach(struct vrrp_vmac_sys *s, unsigned ifindex, int family);

#endif
