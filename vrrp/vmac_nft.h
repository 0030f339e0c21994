/* keepalived 2.2.7's nftables rules for VMAC interfaces (vrrp_nftables.c;
 * `nft list ruleset` beside it): joining the VRRP group, a macvlan sends
 * IGMP / MLDv2 reports with the virtual MAC as source, and the switches
 * would learn that MAC at a backup's port. Those reports are sent out of
 * the base interface instead (dup to the base, dropped on the macvlan),
 * and an IPv6 macvlan's router solicitations are dropped.
 *
 * vigil keeps them in a table of its own, "vigil_vmac" (ip and ip6), made
 * (afresh, so nothing a killed predecessor left stays twice) with a
 * family's first VMAC interface and deleted with its last. Built as nft
 * command text (pure, vrrp_vmac_nft_script()) and run through libnftables.
 */
#ifndef VIGIL_VRRP_VMAC_NFT_H
#define VIGIL_VRRP_VMAC_NFT_H

#include <stdbool.h>
#include <stddef.h>

#define VRRP_VMAC_NFT_TABLE "vigil_vmac"

enum vrrp_vmac_nft_op {
	VRRP_VMAC_NFT_CREATE, /* the family's table, chain, map (set) and rules */
	VRRP_VMAC_NFT_ADD,    /* one macvlan's elements */
	VRRP_VMAC_NFT_DEL,    /* one macvlan's elements */
	VRRP_VMAC_NFT_DROP,   /* the family's table */
};

/* The nft commands for @op on @family (AF_INET or AF_INET6), for macvlan
 * @vmac on @base (ADD/DEL). Returns the length written, or -ENOSPC /
 * -EINVAL (a name nft would not read as one). */
int vrrp_vmac_nft_script(char *buf, size_t len, enum vrrp_vmac_nft_op op, int family,
			 const char *vmac, const char *base);

struct vrrp_vmac_sys;

/* Put macvlan @vmac (of @family, on @base) in the rules; the first of a
 * family creates them. Returns 0 or a negative errno (logged; the VMAC
 * works without the rules, as keepalived's does without a firewall). */
int vrrp_vmac_nft_attach(struct vrrp_vmac_sys *s, const char *vmac, const char *base, int family);

/* Take it out (before the interface is deleted: nft names it); the last
 * of a family deletes the family's table. */
void vrrp_vmac_nft_detach(struct vrrp_vmac_sys *s, const char *vmac, const char *base, int family);

/* Free the libnftables context (no kernel change). */
void vrrp_vmac_nft_free(struct vrrp_vmac_sys *s);

#endif
