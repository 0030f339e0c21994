#include "build-config.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/macvlan.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/log.h"
#include "vrrp/socket.h"
#include "vrrp/vmac.h"
#include "vrrp/vmac_nft.h"
#include "vrrp/vmac_sysctl.h"

/* --- rtnetlink ------------------------------------------------------------ */

static int nl_errno(int nlerr)
{
	switch (-nlerr) {
	case 0:
		return 0;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_NODEV:
	case NLE_OBJ_NOTFOUND:
		return -ENODEV;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

/* What the kernel has under @name; *out is the link (put it) when found. */
static int lookup(struct nl_sock *nl, const char *name, struct vrrp_vmac_found *f,
		  struct rtnl_link **out)
{
	struct rtnl_link *l = NULL;
	struct nl_addr *a;
	const char *type;
	int rc = rtnl_link_get_kernel(nl, 0, name, &l);

	memset(f, 0, sizeof(*f));
	*out = NULL;
	if (rc == -NLE_OBJ_NOTFOUND || rc == -NLE_NODEV)
		return 0;
	if (rc < 0)
		return nl_errno(rc);
	f->exists = true;
	type = rtnl_link_get_type(l);
	f->is_macvlan = type && !strcmp(type, "macvlan");
	f->link_ifindex = (unsigned)rtnl_link_get_link(l);
	if (f->is_macvlan)
		f->mode = rtnl_link_macvlan_get_mode(l);
	a = rtnl_link_get_addr(l);
	if (a && nl_addr_get_len(a) == 6)
		memcpy(f->mac, nl_addr_get_binary_addr(a), 6);
	*out = l;
	return 0;
}

static int create(struct nl_sock *nl, const struct vrrp_vmac *vm)
{
	struct rtnl_link *l = rtnl_link_macvlan_alloc();
	struct nl_addr *mac = nl_addr_build(AF_LLC, vm->mac, 6);
	int rc = -NLE_NOMEM;

	if (l && mac) {
		rtnl_link_set_name(l, vm->name);
		rtnl_link_set_link(l, (int)vm->base_ifindex);
		rtnl_link_set_addr(l, mac);
		rc = rtnl_link_macvlan_set_mode(l, MACVLAN_MODE_PRIVATE);
		if (rc == 0)
			rc = rtnl_link_add(nl, l, NLM_F_CREATE | NLM_F_EXCL);
	}
	nl_addr_put(mac);
	rtnl_link_put(l);
	return nl_errno(rc);
}

static int set_up(struct nl_sock *nl, struct rtnl_link *cur)
{
	struct rtnl_link *chg = rtnl_link_alloc();
	int rc;

	if (!chg)
		return -ENOMEM;
	rtnl_link_set_flags(chg, IFF_UP);
	rc = rtnl_link_change(nl, cur, chg, 0);
	rtnl_link_put(chg);
	return nl_errno(rc);
}

static int delete_link(struct nl_sock *nl, struct rtnl_link *l)
{
	int rc = rtnl_link_delete(nl, l);

	return rc == -NLE_OBJ_NOTFOUND || rc == -NLE_NODEV ? 0 : nl_errno(rc);
}

/* The base's link-local on the macvlan: the router's own address, so the
 * adverts it sends there keep a source unique to this router (the
 * macvlan's MAC is the same on every router). Deprecated (preferred
 * lifetime 0) so nothing else picks it as a source; no DAD, for the base
 * holds it already. */
static int add_link_local(struct nl_sock *nl, const struct vrrp_vmac *vm)
{
	struct vaddr ll;
	struct rtnl_addr *ra;
	struct nl_addr *na;
	int rc;

	if (vrrp_socket_primary_addr(vm->base, AF_INET6, &ll) < 0)
		return -EADDRNOTAVAIL;
	ra = rtnl_addr_alloc();
	na = nl_addr_build(AF_INET6, &ll.u.v6, 16);
	if (!ra || !na) {
		rtnl_addr_put(ra);
		nl_addr_put(na);
		return -ENOMEM;
	}
	nl_addr_set_prefixlen(na, 64);
	rtnl_addr_set_ifindex(ra, (int)vm->ifindex);
	rtnl_addr_set_family(ra, AF_INET6);
	rc = rtnl_addr_set_local(ra, na);
	rtnl_addr_set_prefixlen(ra, 64);
	rtnl_addr_set_scope(ra, RT_SCOPE_LINK);
	rtnl_addr_set_flags(ra, IFA_F_NODAD);
	rtnl_addr_set_preferred_lifetime(ra, 0);
	rtnl_addr_set_valid_lifetime(ra, 0xffffffffu);
	if (rc == 0)
		rc = rtnl_addr_add(nl, ra, NLM_F_CREATE | NLM_F_REPLACE);
	nl_addr_put(na);
	rtnl_addr_put(ra);
	return rc == -NLE_EXIST ? 0 : nl_errno(rc);
}

/* A macvlan of ours, already made (keepalived: "update" it). */
static int update(struct nl_sock *nl, struct rtnl_link *cur, const struct vrrp_vmac *vm)
{
	struct rtnl_link *chg = rtnl_link_macvlan_alloc();
	struct nl_addr *mac = nl_addr_build(AF_LLC, vm->mac, 6);
	int rc = -NLE_NOMEM;

	if (chg && mac) {
		rtnl_link_set_addr(chg, mac);
		rc = rtnl_link_macvlan_set_mode(chg, MACVLAN_MODE_PRIVATE);
		if (rc == 0)
			rc = rtnl_link_change(nl, cur, chg, 0);
	}
	nl_addr_put(mac);
	rtnl_link_put(chg);
	return nl_errno(rc);
}

static bool held_by_other(const struct vrrp_vmac_sys *sys, const struct vrrp_vmac *vm,
			  const char *name)
{
	for (const struct vrrp_vmac *o = sys->vmacs; o; o = o->sys_next)
		if (o != vm && !strcmp(o->name, name))
			return true;
	return false;
}

/* Make @name our macvlan as @v says; *cur is its link afterwards. */
static int take(struct nl_sock *nl, struct vrrp_vmac *vm, const char *name,
		enum vrrp_vmac_verdict v, struct rtnl_link **cur)
{
	struct vrrp_vmac_found f;
	int rc;

	strcpy(vm->name, name);
	if (v == VRRP_VMAC_ADOPT)
		return 0;
	if (v == VRRP_VMAC_UPDATE) {
		log_info("%s: a macvlan on %s with another MAC or mode: updating it", name,
			 vm->base);
		rc = update(nl, *cur, vm);
	} else {
		rc = create(nl, vm);
	}
	rtnl_link_put(*cur);
	*cur = NULL;
	if (rc < 0)
		return rc;
	/* Before it comes up: no link-local of its own (keepalived sets
	 * IN6_ADDR_GEN_MODE_NONE); an IPv4 instance's macvlan has no IPv6. */
	vrrp_sysctl_set(AF_INET6, name, "addr_gen_mode", 1);
	if (vm->family == AF_INET)
		vrrp_sysctl_set(AF_INET6, name, "disable_ipv6", 1);
	rc = lookup(nl, name, &f, cur);
	return rc < 0 ? rc : *cur ? 0 : -ENODEV;
}

/* Find the macvlan's name and make it ours; *cur is its link afterwards. */
static int make(struct nl_sock *nl, struct vrrp_vmac_sys *sys, struct vrrp_vmac *vm,
		const struct vrrp_instance_conf *c, const char *prefix, struct rtnl_link **cur)
{
	struct vrrp_vmac_found f;
	char name[IF_NAMESIZE];
	int rc;

	/* Still ours (a retry): keep the name. */
	if (vm->name[0] && lookup(nl, vm->name, &f, cur) == 0 &&
	    vrrp_vmac_judge(&f, vm->base_ifindex, vm->mac, false) == VRRP_VMAC_ADOPT)
		return 0;
	rtnl_link_put(*cur);
	*cur = NULL;
	for (unsigned n = 0;; n++) {
		enum vrrp_vmac_verdict v;

		rc = vrrp_vmac_candidate(c, prefix, n, name, sizeof(name));
		if (rc == -ERANGE)
			return -EEXIST;
		if (rc < 0 || held_by_other(sys, vm, name))
			continue;
		rc = lookup(nl, name, &f, cur);
		if (rc < 0)
			return rc;
		v = vrrp_vmac_judge(&f, vm->base_ifindex, vm->mac, c->vmac_ifname && n == 0);
		if (v != VRRP_VMAC_NEXT)
			return take(nl, vm, name, v, cur);
		log_info("%s exists and is not a private macvlan on %s with MAC "
			 "%02x:%02x:%02x:%02x:%02x:%02x: leaving it, trying another name",
			 name, vm->base, vm->mac[0], vm->mac[1], vm->mac[2], vm->mac[3], vm->mac[4],
			 vm->mac[5]);
		rtnl_link_put(*cur);
		*cur = NULL;
	}
}

static void sys_link(struct vrrp_vmac_sys *sys, struct vrrp_vmac *vm)
{
	for (struct vrrp_vmac *o = sys->vmacs; o; o = o->sys_next)
		if (o == vm)
			return;
	vm->sys_next = sys->vmacs;
	sys->vmacs = vm;
}

void vrrp_vmac_forget(struct vrrp_vmac_sys *sys, struct vrrp_vmac *vm)
{
	for (struct vrrp_vmac **pp = &sys->vmacs; *pp; pp = &(*pp)->sys_next)
		if (*pp == vm) {
			*pp = vm->sys_next;
			break;
		}
	vm->sys_next = NULL;
}

/* The macvlan was made again, or under another name: what was attached
 * for the old one (@old_ifindex) goes, to be attached for the new one. */
static void reattach(struct vrrp_vmac_sys *sys, struct vrrp_vmac *vm, unsigned old_ifindex)
{
	if (vm->sys_attached) {
		vrrp_vmac_sys_detach(sys, vm->base);
		vm->sys_attached = false;
	}
	if (vm->nft_attached) {
		vrrp_vmac_nft_detach(sys, old_ifindex, vm->family);
		vm->nft_attached = false;
	}
}

int vrrp_vmac_up(struct nl_sock *nl, struct vrrp_vmac_sys *sys, const struct vrrp_instance_conf *c,
		 const char *prefix, bool link_local, struct vrrp_vmac *vm)
{
	struct rtnl_link *cur = NULL;
	char old_name[IF_NAMESIZE];
	unsigned before;
	int rc;

	if (!nl)
		return -ENOTCONN;
	if (!c->interface || strlen(c->interface) >= sizeof(vm->base))
		return -ENODEV;
	if (!vm->name[0]) {
		vrrp_vmac_forget(sys, vm);
		memset(vm, 0, sizeof(*vm));
		strcpy(vm->base, c->interface);
		vm->family = c->family;
		vrrp_vmac_conf_mac(c, vm->mac);
	}
	vm->base_ifindex = if_nametoindex(vm->base);
	if (!vm->base_ifindex)
		return -ENODEV;
	strcpy(old_name, vm->name);
	before = vm->ifindex;
	rc = make(nl, sys, vm, c, prefix, &cur);
	if (rc < 0) {
		rtnl_link_put(cur);
		return rc;
	}
	sys_link(sys, vm);
	vm->ifindex = (unsigned)rtnl_link_get_ifindex(cur);
	/* Made again (its base was deleted and re-created): the new
	 * interface has the kernel's defaults. */
	if (before != vm->ifindex || strcmp(old_name, vm->name))
		reattach(sys, vm, before);
	/* Without the rules the VMAC still works (reports leave with the
	 * virtual MAC): logged, not fatal. */
	if (!vm->nft_attached)
		vm->nft_attached = vrrp_vmac_nft_attach(sys, vm) == 0;
	if (!vm->sys_attached && vm->family == AF_INET) {
		rc = vrrp_vmac_sys_attach(sys, vm->name, vm->base);
		vm->sys_attached = rc == 0;
	}
	if (rc == 0 && !(rtnl_link_get_flags(cur) & IFF_UP))
		rc = set_up(nl, cur);
	if (rc == 0 && link_local && vm->family == AF_INET6)
		rc = add_link_local(nl, vm);
	rtnl_link_put(cur);
	return rc;
}

void vrrp_vmac_down(struct nl_sock *nl, struct vrrp_vmac_sys *sys, struct vrrp_vmac *vm)
{
	struct vrrp_vmac_found f;
	struct rtnl_link *cur = NULL;
	int rc;

	if (!vm->name[0])
		return;
	if (vm->sys_attached)
		vrrp_vmac_sys_detach(sys, vm->base);
	if (nl && lookup(nl, vm->name, &f, &cur) == 0 &&
	    vrrp_vmac_judge(&f, vm->base_ifindex, vm->mac, false) == VRRP_VMAC_ADOPT) {
		rc = delete_link(nl, cur);
		if (rc < 0)
			log_warn("cannot delete VMAC interface %s: %s", vm->name, strerror(-rc));
	}
	rtnl_link_put(cur);
	/* After the deletion: the reports it sends until then still go out of
	 * the base. */
	if (vm->nft_attached)
		vrrp_vmac_nft_detach(sys, vm->ifindex, vm->family);
	vrrp_vmac_forget(sys, vm);
	memset(vm, 0, sizeof(*vm));
}
