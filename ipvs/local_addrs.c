#include "build-config.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipvs/local_addrs.h"
#include "lib/rtnl_watch.h"

struct local_addrs {
	struct rtnl_watch *rtnl; /* address notifications, and the dumps */
	struct vaddr *v;       /* the addresses now */
	size_t n, cap;
	bool oom;              /* the last dump lost an address: the list is short */
	void (*changed)(void *data);
	void *data;
};

static int push(struct local_addrs *la, int family, const void *addr)
{
	struct vaddr *a;

	if (la->n == la->cap) {
		size_t cap = la->cap ? la->cap * 2 : 16;
		struct vaddr *v = realloc(la->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		la->v = v;
		la->cap = cap;
	}
	a = &la->v[la->n++];
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(&a->u, addr, family == AF_INET6 ? 16 : 4);
	return 0;
}

/* One RTM_NEWADDR of the dump: its IFA_LOCAL (IPv4 peer addresses) or IFA_ADDRESS. */
static int on_addr(struct local_addrs *la, const struct nlmsghdr *h)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	int len = (int)IFA_PAYLOAD(h);
	const void *addr = NULL, *local = NULL;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
		return 0;
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return 0;
	for (const struct rtattr *rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		size_t need = ifa->ifa_family == AF_INET6 ? 16 : 4;

		if (RTA_PAYLOAD(rta) < need)
			continue;
		if (rta->rta_type == IFA_ADDRESS)
			addr = RTA_DATA(rta);
		else if (rta->rta_type == IFA_LOCAL)
			local = RTA_DATA(rta);
	}
	if (local)
		addr = local;
	return addr ? push(la, ifa->ifa_family, addr) : 0;
}

/* The dump fills the list; a notification only says "something changed",
 * and the watch then dumps again. */
static bool on_msg(const struct nlmsghdr *h, bool dumped, void *data)
{
	struct local_addrs *la = data;

	if (!dumped)
		return true;
	if (h->nlmsg_type == RTM_NEWADDR && on_addr(la, h) < 0)
		la->oom = true;
	return false;
}

static void on_reset(void *data)
{
	struct local_addrs *la = data;

	la->n = 0;
	la->oom = false;
}

static void on_changed(int rc, void *data)
{
	struct local_addrs *la = data;

	if (rc == 0 && !la->oom && la->changed)
		la->changed(la->data);
}

int local_addrs_new(sd_event *ev, void (*changed)(void *data), void *data,
		    struct local_addrs **out)
{
	static const unsigned groups[] = {RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, 0};
	static const uint16_t dumps[] = {RTM_GETADDR, 0};
	static const struct rtnl_watch_spec spec = {
	    .groups = groups,
	    .dumps = dumps,
	    .msg = on_msg,
	    .reset = on_reset,
	    .changed = on_changed,
	    .redump_on_change = true,
	};
	struct local_addrs *la = calloc(1, sizeof(*la));
	int rc;

	*out = NULL;
	if (!la)
		return -ENOMEM;
	la->changed = changed;
	la->data = data;
	rc = rtnl_watch_new(ev, &spec, la, &la->rtnl);
	if (rc == 0 && la->oom)
		rc = -ENOMEM;
	if (rc < 0) {
		local_addrs_free(la);
		return rc;
	}
	*out = la;
	return 0;
}

void local_addrs_free(struct local_addrs *la)
{
	if (!la)
		return;
	rtnl_watch_free(la->rtnl);
	free(la->v);
	free(la);
}

bool local_addrs_has(const struct local_addrs *la, const struct vaddr *a)
{
	for (size_t i = 0; la && i < la->n; i++)
		if (vaddr_equal(&la->v[i], a))
			return true;
	return false;
}

/* Addresses in network order compare as numbers byte by byte. */
static int addr_cmp(const struct vaddr *a, const struct vaddr *b)
{
	if (a->family == AF_INET)
		return memcmp(&a->u.v4, &b->u.v4, sizeof(a->u.v4));
	return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6));
}

bool local_addrs_any_in(const struct local_addrs *la, const struct vaddr *first,
			const struct vaddr *last)
{
	for (size_t i = 0; la && i < la->n; i++)
		if (la->v[i].family == first->family && addr_cmp(&la->v[i], first) >= 0 &&
		    addr_cmp(&la->v[i], last) <= 0)
			return true;
	return false;
}
