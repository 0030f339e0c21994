/* The per-interface sysctls behind use_vmac, as keepalived 2.2.7 sets them
 * for an IPv4 instance (vrrp_if_config.c; observed in namespaces):
 *
 * - on the macvlan: arp_ignore 1 (answer ARP only for its own addresses),
 *   accept_local 1, rp_filter 0, promote_secondaries 1;
 * - on the base interface: arp_ignore 1 and arp_filter 1, so the base does
 *   not answer ARP for a VIP with its own MAC; vigil gives the previous
 *   values back when the base's last macvlan goes (keepalived 2.2.7 leaves
 *   them set);
 * - when net.ipv4.conf.all.rp_filter is set, the kernel uses the greater of
 *   "all" and the interface's value, which would override the macvlan's 0:
 *   every interface (and "default") takes max(its own, all), then "all"
 *   becomes 0; everything is restored when the last IPv4 macvlan goes.
 *
 * struct vrrp_vmac_sys is the VRRP child's one context for everything the
 * VMAC interfaces share across instances (in struct vrrp): these sysctls,
 * the nftables rules (vrrp/vmac_nft.h) and the names in use (vrrp/vmac.h).
 */
#ifndef VIGIL_VRRP_VMAC_SYSCTL_H
#define VIGIL_VRRP_VMAC_SYSCTL_H

#include <stdbool.h>

struct vrrp_vmac;
struct vrrp_vmac_base;
struct vrrp_vmac_rp;

struct vrrp_vmac_sys {
	struct vrrp_vmac_base *bases;  /* base interfaces with an IPv4 macvlan */
	struct vrrp_vmac_rp *rp_saved; /* rp_filter values before clearing "all" */
	int rp_all;		       /* all.rp_filter before; valid when rp_cleared */
	bool rp_cleared;
	unsigned v4_users; /* IPv4 macvlans attached */
	/* vrrp/vmac_nft.h: macvlans in its rules, per family. */
	unsigned nft_users[2];
	/* vrrp/vmac.h: the macvlans this process holds, by name. */
	struct vrrp_vmac *vmacs;
};

/* Read or write /proc/sys/net/{ipv4,ipv6}/conf/IFNAME/KEY (family AF_INET
 * or AF_INET6). get returns the value or a negative errno. */
int vrrp_sysctl_get(int family, const char *ifname, const char *key);
int vrrp_sysctl_set(int family, const char *ifname, const char *key, int value);

/* The IPv4 settings above for macvlan @vmac on @base. Returns 0 or the
 * first write's negative errno. */
int vrrp_vmac_sys_attach(struct vrrp_vmac_sys *s, const char *vmac, const char *base);

/* An IPv4 macvlan on @base is gone: restore what no macvlan needs now. */
void vrrp_vmac_sys_detach(struct vrrp_vmac_sys *s, const char *base);

/* Free the bookkeeping without touching the kernel (a child that dies
 * leaves the settings to its successor, with its macvlans). */
void vrrp_vmac_sys_clear(struct vrrp_vmac_sys *s);

/* An interface's rp_filter once "all" is cleared: the greater of the two,
 * the value the kernel was using (IN_DEV_MAXCONF). */
int vrrp_rp_filter_merge(int iface, int all);

#endif
