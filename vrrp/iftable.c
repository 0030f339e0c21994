#include "build-config.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/addr.h"
#include "vrrp/iftable.h"

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *p;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	p = realloc(*v, c * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

static struct vrrp_if_link *link_by_index(struct vrrp_iftable *t, unsigned ifindex)
{
	for (size_t i = 0; i < t->n_links; i++)
		if (t->links[i].ifindex == ifindex)
			return &t->links[i];
	return NULL;
}

/* Remove the addresses of @ifindex, keeping the order of the others. */
static int drop_addrs_of(struct vrrp_iftable *t, unsigned ifindex)
{
	size_t k = 0, before = t->n_addrs;

	for (size_t i = 0; i < t->n_addrs; i++)
		if (t->addrs[i].ifindex != ifindex)
			t->addrs[k++] = t->addrs[i];
	t->n_addrs = k;
	return k != before;
}

static int apply_link(struct vrrp_iftable *t, const struct nlmsghdr *nh)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nh);
	int len = (int)nh->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifi));
	const char *name = NULL;
	struct vrrp_if_link *l;
	int changed;

	if (len < 0 || ifi->ifi_index <= 0)
		return -EINVAL;
	l = link_by_index(t, (unsigned)ifi->ifi_index);
	if (nh->nlmsg_type == RTM_DELLINK) {
		changed = drop_addrs_of(t, (unsigned)ifi->ifi_index);
		if (!l)
			return changed;
		*l = t->links[--t->n_links];
		return 1;
	}
	for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFLA_IFNAME && RTA_PAYLOAD(a) > 0 &&
		    memchr(RTA_DATA(a), '\0', RTA_PAYLOAD(a)))
			name = RTA_DATA(a);
	if (!name || strlen(name) >= IF_NAMESIZE)
		return 0;
	if (l && !strcmp(l->name, name) && l->flags == ifi->ifi_flags)
		return 0;
	if (!l) {
		if (grow((void **)&t->links, &t->cap_links, t->n_links, sizeof(*l)) < 0)
			return -ENOMEM;
		l = &t->links[t->n_links++];
		l->ifindex = (unsigned)ifi->ifi_index;
	}
	strcpy(l->name, name);
	l->flags = ifi->ifi_flags;
	return 1;
}

static bool same_key(const struct vrrp_if_addr *a, const struct vrrp_if_addr *b)
{
	return a->ifindex == b->ifindex && a->prefix == b->prefix && vaddr_equal(&a->addr, &b->addr);
}

/* Decode an address message into @out; -EINVAL when it carries none. */
static int decode_addr(const struct nlmsghdr *nh, struct vrrp_if_addr *out)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(nh);
	int len = (int)nh->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifa));
	const struct rtattr *local = NULL, *address = NULL, *addr;
	size_t alen;

	if (len < 0 || (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->ifindex = ifa->ifa_index;
	out->prefix = ifa->ifa_prefixlen;
	out->flags = ifa->ifa_flags;
	for (const struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFA_LOCAL)
			local = a;
		else if (a->rta_type == IFA_ADDRESS)
			address = a;
		else if (a->rta_type == IFA_FLAGS && RTA_PAYLOAD(a) >= sizeof(uint32_t))
			memcpy(&out->flags, RTA_DATA(a), sizeof(uint32_t));
		else if (a->rta_type == IFA_PROTO && RTA_PAYLOAD(a) >= 1)
			out->proto = *(const uint8_t *)RTA_DATA(a);
	}
	/* IPv4 point-to-point: IFA_LOCAL is ours, IFA_ADDRESS the peer. */
	addr = local ? local : address;
	alen = ifa->ifa_family == AF_INET ? 4 : 16;
	if (!addr || RTA_PAYLOAD(addr) < alen)
		return -EINVAL;
	out->addr.family = ifa->ifa_family;
	memcpy(&out->addr.u, RTA_DATA(addr), alen);
	return 0;
}

static int apply_addr(struct vrrp_iftable *t, const struct nlmsghdr *nh)
{
	struct vrrp_if_addr e;
	size_t i;
	int rc = decode_addr(nh, &e);

	if (rc < 0)
		return rc;
	for (i = 0; i < t->n_addrs && !same_key(&t->addrs[i], &e); i++)
		;
	if (nh->nlmsg_type == RTM_DELADDR) {
		if (i == t->n_addrs)
			return 0;
		memmove(&t->addrs[i], &t->addrs[i + 1], (t->n_addrs - i - 1) * sizeof(e));
		t->n_addrs--;
		return 1;
	}
	if (i < t->n_addrs) {
		/* DAD finishing (or failing) arrives as a new RTM_NEWADDR. */
		if (t->addrs[i].flags == e.flags && t->addrs[i].proto == e.proto)
			return 0;
		t->addrs[i] = e;
		return 1;
	}
	if (grow((void **)&t->addrs, &t->cap_addrs, t->n_addrs, sizeof(e)) < 0)
		return -ENOMEM;
	t->addrs[t->n_addrs++] = e;
	return 1;
}

int vrrp_iftable_apply(struct vrrp_iftable *t, const struct nlmsghdr *nh)
{
	switch (nh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
			return -EINVAL;
		return apply_link(t, nh);
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifaddrmsg)))
			return -EINVAL;
		return apply_addr(t, nh);
	default:
		return 0;
	}
}

void vrrp_iftable_clear(struct vrrp_iftable *t)
{
	t->n_links = 0;
	t->n_addrs = 0;
}

void vrrp_iftable_free(struct vrrp_iftable *t)
{
	free(t->links);
	free(t->addrs);
	memset(t, 0, sizeof(*t));
}

const struct vrrp_if_link *vrrp_iftable_link(const struct vrrp_iftable *t, const char *name)
{
	for (size_t i = 0; i < t->n_links; i++)
		if (!strcmp(t->links[i].name, name))
			return &t->links[i];
	return NULL;
}

unsigned vrrp_iftable_ifindex(const struct vrrp_iftable *t, const char *name)
{
	const struct vrrp_if_link *l = name ? vrrp_iftable_link(t, name) : NULL;

	return l ? l->ifindex : 0;
}

static bool usable(const struct vrrp_if_addr *a)
{
	return !(a->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED));
}

bool vrrp_iftable_usable(const struct vrrp_iftable *t, unsigned ifindex, const struct vaddr *a)
{
	for (size_t i = 0; i < t->n_addrs; i++) {
		const struct vrrp_if_addr *e = &t->addrs[i];

		if ((!ifindex || e->ifindex == ifindex) && vaddr_equal(&e->addr, a) && usable(e))
			return true;
	}
	return false;
}

static const struct vrrp_if_addr *find_primary(const struct vrrp_iftable *t, unsigned ifindex,
					       int family, bool skip_ours)
{
	for (size_t i = 0; i < t->n_addrs; i++) {
		const struct vrrp_if_addr *e = &t->addrs[i];

		if (e->ifindex != ifindex || e->addr.family != family || !usable(e) ||
		    (skip_ours && e->proto == VRRP_ADDR_PROTO))
			continue;
		if (family == AF_INET && (e->flags & IFA_F_SECONDARY))
			continue;
		if (family == AF_INET6 && !IN6_IS_ADDR_LINKLOCAL(&e->addr.u.v6))
			continue;
		return e;
	}
	return NULL;
}

int vrrp_iftable_primary(const struct vrrp_iftable *t, unsigned ifindex, int family,
			 struct vaddr *out)
{
	/* Addresses tagged 18 are VIPs (they move) or static_ipaddress
	 * lines (they do not): one of those only when nothing else is. */
	const struct vrrp_if_addr *e = find_primary(t, ifindex, family, true);

	if (!e)
		e = find_primary(t, ifindex, family, false);
	if (!e)
		return -EADDRNOTAVAIL;
	*out = e->addr;
	return 0;
}
