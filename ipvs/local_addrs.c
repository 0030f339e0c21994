#include "build-config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipvs/local_addrs.h"

struct local_addrs {
	int events;            /* subscribed to address changes */
	sd_event_source *io;
	struct vaddr *v;       /* the addresses now */
	size_t n, cap;
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
static int on_addr(struct local_addrs *la, struct nlmsghdr *h)
{
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	int len = (int)IFA_PAYLOAD(h);
	const void *addr = NULL, *local = NULL;

	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return 0;
	for (struct rtattr *rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
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

/* Read every address (RTM_GETADDR dump) on a socket of its own. */
static int reread(struct local_addrs *la)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg ifa;
	} req = {
		.h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)),
		       .nlmsg_type = RTM_GETADDR,
		       .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		       .nlmsg_seq = 1 },
		.ifa = { .ifa_family = AF_UNSPEC },
	};
	char buf[16384];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), rc = 0;

	if (fd < 0)
		return -errno;
	la->n = 0;
	if (send(fd, &req, req.h.nlmsg_len, 0) < 0)
		rc = -errno;
	while (!rc) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		int len = (int)n;

		if (n < 0) {
			rc = errno == EINTR ? 0 : -errno;
			continue;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned)len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE)
				goto out;
			if (h->nlmsg_type == NLMSG_ERROR) {
				rc = -EPROTO;
				break;
			}
			if (h->nlmsg_type == RTM_NEWADDR && (rc = on_addr(la, h)) < 0)
				break;
		}
	}
out:
	close(fd);
	return rc;
}

static int on_event(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct local_addrs *la = data;
	char buf[8192];

	/* The events only say "something changed": drain, then re-read. */
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0 || errno == ENOBUFS)
		;
	if (reread(la) == 0 && la->changed)
		la->changed(la->data);
	return 0;
}

int local_addrs_new(sd_event *ev, void (*changed)(void *data), void *data,
		    struct local_addrs **out)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR };
	struct local_addrs *la = calloc(1, sizeof(*la));
	int rc;

	*out = NULL;
	if (!la)
		return -ENOMEM;
	la->changed = changed;
	la->data = data;
	la->events = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (la->events < 0 || bind(la->events, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		goto fail;
	}
	rc = sd_event_add_io(ev, &la->io, la->events, EPOLLIN, on_event, la);
	if (rc < 0)
		goto fail;
	/* Subscribed first, so no change falls between the read and the events. */
	rc = reread(la);
	if (rc < 0)
		goto fail;
	*out = la;
	return 0;
fail:
	local_addrs_free(la);
	return rc;
}

void local_addrs_free(struct local_addrs *la)
{
	if (!la)
		return;
	sd_event_source_unref(la->io);
	if (la->events >= 0)
		close(la->events);
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
