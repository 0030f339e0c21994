/* Accept_Mode (RFC 9568 §6.1): a master that is not the address owner and
 * runs without `accept` (`no_accept`, or strict mode) must not accept
 * packets addressed to its VIPs. As keepalived does, the kernel drops them:
 *
 *   ipsets   vigil (hash:ip, inet) and vigil6 (hash:ip, inet6), or the
 *            names of `vrrp_ipsets`: the VIPs of such masters, kept with
 *            libipset; link-local IPv6 VIPs in vigil_if6 (hash:net,iface,
 *            inet6) with their interface, as keepalived keys them: one is
 *            blocked on its own link only;
 *   nftables tables `ip TABLE` and `ip6 TABLE` (TABLE from `nftables NAME`,
 *            else "vigil"), built with libnftnl, each with two chains:
 *            in  (hook input,  priority nftables_priority, default -1):
 *                destination in the set -> drop
 *                (ip6: destination and input interface in vigil_if6 -> drop)
 *            out (hook output, same priority):
 *                source in the set -> drop
 *                (ip6: source and output interface in vigil_if6 -> drop)
 *            in ip6, neighbour solicitations and advertisements are accepted
 *            first, so neighbours can still resolve the VIP.
 *
 * The rules match the ipsets through the xtables "set" match (nft_compat,
 * as iptables-nft does), so `ipset list vigil` shows what is blocked and
 * `nft list table ip vigil` the rule and its counter.
 *
 * Nothing else in vrrp/ talks to ipset or nftables. Every call is
 * synchronous and local (one netlink exchange).
 */
#ifndef VIGIL_VRRP_BLOCK_H
#define VIGIL_VRRP_BLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"

struct vrrp_block;

/* The ipsets' names without `vrrp_ipsets`. */
#define VRRP_BLOCK_SET4 "vigil"
#define VRRP_BLOCK_SET6 "vigil6"
#define VRRP_BLOCK_SET_IF6 "vigil_if6"
/* The tables' name without `nftables NAME`. */
#define VRRP_BLOCK_TABLE "vigil"

struct vrrp_block_settings {
	const char *table; /* nftables table name (both families) */
	int32_t priority;  /* of the in and out chains */
	bool counters;	   /* a counter on each drop rule (nftables_counters) */
	/* The ipsets (NULL: VRRP_BLOCK_SET4/6). Taken at vrrp_block_open()
	 * only: vrrp_block_update() keeps the sets it has. */
	const char *set4, *set6, *set_if6;
};

/* One blocked address; @ifname set (and only) for an IPv6 link-local. */
struct vrrp_block_member {
	struct vaddr addr;
	char ifname[16]; /* IF_NAMESIZE */
};

/* Create the ipsets and the tables. What a previous run left behind is
 * taken over, never opened up: the sets keep their members, and the tables
 * are replaced in one nftables transaction. Returns 0 and *out, or a
 * negative errno with a reason in @why (@len > 0). Free with vrrp_block_remove() (a
 * clean stop) or vrrp_block_free(). */
int vrrp_block_open(const struct vrrp_block_settings *s, struct vrrp_block **out, char *why,
		    size_t len);

/* Rebuild the tables for new settings (a reload), in one transaction; a
 * renamed table replaces the old one. Returns 0 or a negative errno. */
int vrrp_block_update(struct vrrp_block *b, const struct vrrp_block_settings *s, char *why,
		      size_t len);

/* Drop traffic to @a (an IPv6 link-local: on interface @ifname only) /
 * stop dropping it. Adding an address already there and removing one that
 * is not are successes. Returns 0 or a negative errno (-ENODEV: a
 * link-local without @ifname). */
int vrrp_block_add(struct vrrp_block *b, const struct vaddr *a, const char *ifname);
int vrrp_block_del(struct vrrp_block *b, const struct vaddr *a, const char *ifname);

/* What the sets hold now (what a previous run may have left): *out, a
 * malloc'ed array of *n members the caller frees. Returns 0 or a
 * negative errno (then *out is NULL). */
int vrrp_block_members(struct vrrp_block *b, struct vrrp_block_member **out, size_t *n);

/* A clean stop: delete the tables and destroy the sets, then free @b
 * (NULL is fine). Returns 0 or the first negative errno. */
int vrrp_block_remove(struct vrrp_block *b);

/* Free @b, leaving the kernel as it is (NULL is fine). */
void vrrp_block_free(struct vrrp_block *b);

#endif
