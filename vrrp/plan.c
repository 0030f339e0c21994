#include "build-config.h"

#include <linux/if_addr.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/plan.h"

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool peer_in(const struct vrrp_peer_conf *list, const struct vrrp_peer_conf *p)
{
	for (; list; list = list->next)
		if (vaddr_equal(&list->addr, &p->addr))
			return true;
	return false;
}

/* The same set of peers, in any order (duplicates are rejected at load). */
static bool peers_same(const struct vrrp_instance_conf *a, const struct vrrp_instance_conf *b)
{
	if (a->n_peers != b->n_peers)
		return false;
	for (const struct vrrp_peer_conf *p = a->peers; p; p = p->next)
		if (!peer_in(b->peers, p))
			return false;
	return true;
}

bool vrrp_conf_compatible(const struct vrrp_instance_conf *a, const struct vrrp_instance_conf *b)
{
	return a->vrid == b->vrid && a->family == b->family && a->version == b->version &&
	       str_same(a->interface, b->interface) && str_same(a->vrf, b->vrf) &&
	       vaddr_equal(&a->mcast_dst, &b->mcast_dst) &&
	       vaddr_equal(&a->src_addr, &b->src_addr) && peers_same(a, b) &&
	       a->unicast_ttl == b->unicast_ttl && a->use_vmac == b->use_vmac &&
	       str_same(a->vmac_ifname, b->vmac_ifname) && a->vmac_xmit_base == b->vmac_xmit_base &&
	       a->vmac_mac_set == b->vmac_mac_set &&
	       (!a->vmac_mac_set || !memcmp(a->vmac_mac, b->vmac_mac, 6));
}

bool vrrp_conf_same_router(const struct vrrp_instance_conf *a, const struct vrrp_instance_conf *b)
{
	if (a->vrid != b->vrid || a->family != b->family || !str_same(a->interface, b->interface) ||
	    !a->peers != !b->peers)
		return false;
	if (a->peers)
		return vaddr_equal(&a->src_addr, &b->src_addr);
	return a->use_vmac == b->use_vmac && vaddr_equal(&a->mcast_dst, &b->mcast_dst);
}

/* The flags vrrp/addr.c would set: what changes the kernel's address. */
static unsigned addr_flags(const struct vrrp_addr_conf *a)
{
	return (a->addr.family == AF_INET6 || a->nodad ? IFA_F_NODAD : 0) |
	       (a->home ? IFA_F_HOMEADDRESS : 0) | (a->mngtmpaddr ? IFA_F_MANAGETEMPADDR : 0) |
	       (a->noprefixroute ? IFA_F_NOPREFIXROUTE : 0);
}

bool vrrp_addr_same(const struct vrrp_addr_conf *a, const struct vrrp_addr_conf *b)
{
	return vaddr_equal(&a->addr, &b->addr) && a->prefix == b->prefix &&
	       str_same(a->dev, b->dev) && a->scope == b->scope && str_same(a->label, b->label) &&
	       a->brd_mode == b->brd_mode &&
	       (a->brd_mode != VRRP_BRD_ADDR || vaddr_equal(&a->brd, &b->brd)) &&
	       vaddr_equal(&a->peer, &b->peer) && a->peer_prefix == b->peer_prefix &&
	       addr_flags(a) == addr_flags(b) && a->preferred_lft == b->preferred_lft;
}

bool vrrp_conf_blocks(const struct vrrp_instance_conf *c)
{
	return !c->accept && c->priority != VRRP_PRIO_OWNER;
}

bool vrrp_conf_any_blocks(const struct vrrp_instance_conf *list)
{
	for (; list; list = list->next)
		if (vrrp_conf_blocks(list))
			return true;
	return false;
}

static bool addr_in(const struct vrrp_addr_list *l, const struct vaddr *a)
{
	for (const struct vrrp_addr_conf *b = l->first; b; b = b->next)
		if (vaddr_equal(&b->addr, a))
			return true;
	return false;
}

bool vrrp_conf_blocks_addr(const struct vrrp_instance_conf *list, const struct vaddr *a)
{
	for (; list; list = list->next)
		if (vrrp_conf_blocks(list) && (addr_in(&list->vips, a) || addr_in(&list->evips, a)))
			return true;
	return false;
}
