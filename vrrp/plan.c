#include "build-config.h"

#include <string.h>

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
	       str_same(a->vmac_ifname, b->vmac_ifname) && a->vmac_xmit_base == b->vmac_xmit_base;
}
