/* use_vmac: the instance's VRRP virtual MAC on a macvlan interface, as
 * keepalived 2.2.7 builds it (vrrp_vmac.c, observed in namespaces):
 *
 * - a macvlan in mode private on the instance's interface, named by
 *   use_vmac or "<vmac_prefix>.<VRID>" (vrrp.51), with MAC
 *   00:00:5e:00:01:VRID for IPv4 and 00:00:5e:00:02:VRID for IPv6
 *   (RFC 9568 §7.3) unless use_vmac gives one;
 * - no automatic IPv6 link-local (addr_gen_mode none); an IPv4 instance's
 *   macvlan has IPv6 disabled, an IPv6 one gets the base interface's
 *   link-local (nodad, deprecated) so its adverts keep the router's own
 *   source address (not with vmac_xmit_base: adverts then leave from the
 *   base interface);
 * - up from creation to deletion, whatever the instance's state;
 * - the IPv4 sysctls of vrrp/vmac_sysctl.h;
 * - an interface already there under that name is adopted when it is a
 *   private macvlan on the same base with the MAC; use_vmac's own name is
 *   updated in place when it is a macvlan on the base with another MAC or
 *   mode; anything else is left alone and the next name is tried
 *   (vrrp_vmac_candidate()), as keepalived 2.2.7 does.
 *
 * The naming, MAC and adopt rules are pure; vrrp_vmac_up()/_down() are
 * the rtnetlink (libnl-route-3) shell.
 */
#ifndef VIGIL_VRRP_VMAC_H
#define VIGIL_VRRP_VMAC_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parser/conf_vrrp.h"

struct nl_sock;
struct vrrp_vmac_sys;

/* The MAC of @c's macvlan: use_vmac's, else RFC 9568 §7.3's
 * 00-00-5E-00-01-{VRID} (IPv4) / 00-00-5E-00-02-{VRID} (IPv6). */
void vrrp_vmac_conf_mac(const struct vrrp_instance_conf *c, uint8_t mac[6]);

/* The @n-th name to try for @c's macvlan, as keepalived 2.2.7 picks it:
 * use_vmac's name first when given, then "<prefix>.<VRID>" (prefix NULL:
 * "vrrp"), "<prefix>1.<VRID>", "<prefix>2.<VRID>", ... Returns 0,
 * -ENAMETOOLONG (skip it), or -ERANGE after the last one. */
#define VRRP_VMAC_MAX_TRIES 100
int vrrp_vmac_candidate(const struct vrrp_instance_conf *c, const char *prefix, unsigned n,
			char *buf, size_t len);

/* What is in the kernel under a candidate name. */
struct vrrp_vmac_found {
	bool exists;
	bool is_macvlan;
	unsigned link_ifindex; /* its lower device */
	uint32_t mode;	       /* MACVLAN_MODE_* */
	uint8_t mac[6];
};

enum vrrp_vmac_verdict {
	VRRP_VMAC_CREATE, /* nothing there */
	VRRP_VMAC_ADOPT,  /* ours already (a previous run left it) */
	VRRP_VMAC_UPDATE, /* use_vmac's own name, a macvlan on our base with another
			   * MAC or mode: set ours in place */
	VRRP_VMAC_NEXT,	  /* not ours: leave it, try the next name */
};

/* keepalived 2.2.7's rule for an interface under candidate name: only
 * the name use_vmac gives (@configured) is updated; a generated one that
 * does not match, or anything that is not a macvlan on the base, is left
 * alone. */
enum vrrp_vmac_verdict vrrp_vmac_judge(const struct vrrp_vmac_found *f, unsigned base_ifindex,
				       const uint8_t mac[6], bool configured);

/* One instance's macvlan, while it exists. */
struct vrrp_vmac {
	char name[IF_NAMESIZE];
	char base[IF_NAMESIZE];
	unsigned ifindex;
	unsigned base_ifindex;
	int family;
	uint8_t mac[6];
	bool sys_attached;	    /* counted in vrrp_vmac_sys */
	bool nft_attached;	    /* in vrrp/vmac_nft.h's rules */
	struct vrrp_vmac *sys_next; /* in vrrp_vmac_sys's list, while it has a name */
};

/* Create, adopt or update @c's macvlan on its interface and bring it to
 * the state above (idempotent: a retry after a partial failure completes
 * it, and a macvlan still ours keeps its name). Names another macvlan of
 * this process holds (in @sys) are passed over. @link_local: give it the
 * base's IPv6 link-local. Returns 0 and fills @vm, or a negative errno
 * (-ENODEV: no base interface; -EEXIST: no name left; -EADDRNOTAVAIL: the
 * base has no link-local yet). */
int vrrp_vmac_up(struct nl_sock *nl, struct vrrp_vmac_sys *sys, const struct vrrp_instance_conf *c,
		 const char *prefix, bool link_local, struct vrrp_vmac *vm);

/* Delete the macvlan (only if it is still ours) and give back the sysctls
 * it held. Safe on a @vm that vrrp_vmac_up() never filled. */
void vrrp_vmac_down(struct nl_sock *nl, struct vrrp_vmac_sys *sys, struct vrrp_vmac *vm);

/* Forget @vm without touching the kernel (its owner is freed without a
 * stop: the macvlan stays for a successor). */
void vrrp_vmac_forget(struct vrrp_vmac_sys *sys, struct vrrp_vmac *vm);

#endif
