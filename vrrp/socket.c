#include "build-config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp/ah.h"
#include "vrrp/socket.h"

/* Receive buffer of a VRRP socket (see vrrp_socket_open()). */
#define VRRP_RCVBUF (2 * 1024 * 1024)

static int set_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value)) < 0 ? -errno : 0;
}

static int setup_ipv4(int fd)
{
	int rc;

	if ((rc = set_int(fd, IPPROTO_IP, IP_TTL, VRRP_TTL)) < 0 ||
	    (rc = set_int(fd, IPPROTO_IP, IP_MULTICAST_TTL, VRRP_TTL)) < 0 ||
	    (rc = set_int(fd, IPPROTO_IP, IP_TOS, VRRP_TOS)) < 0 ||
	    (rc = set_int(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0)) < 0 ||
	    (rc = set_int(fd, IPPROTO_IP, IP_PKTINFO, 1)) < 0)
		return rc;
	/* Only the groups this socket joined, not every group on the host. */
	set_int(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0);
	/* unicast_src_ip may not be configured yet (keepalived 2.2.8). */
	set_int(fd, IPPROTO_IP, IP_FREEBIND, 1);
	return 0;
}

static int setup_ipv6(int fd)
{
	int rc;

	if ((rc = set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL)) < 0 ||
	    (rc = set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL)) < 0 ||
	    (rc = set_int(fd, IPPROTO_IPV6, IPV6_TCLASS, VRRP_TOS)) < 0 ||
	    (rc = set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0)) < 0 ||
	    (rc = set_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)) < 0 ||
	    (rc = set_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)) < 0)
		return rc;
	set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0);
	set_int(fd, IPPROTO_IPV6, IPV6_FREEBIND, 1);
	/* The checksum (with its pseudo-header) is ours to compute and
	 * check: vrrp/packet.c does both, for v3 over IPv4 too. */
	return 0;
}

static int open_raw(int family, int proto, const char *ifname)
{
	int fd, rc;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	rc = family == AF_INET ? setup_ipv4(fd) : setup_ipv6(fd);
	if (rc == 0 && proto != VRRP_PROTO)
		rc = set_int(fd, IPPROTO_IP, IP_HDRINCL, 1);
	if (rc == 0 && ifname && *ifname &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0)
		rc = -errno;
	if (rc < 0) {
		close(fd);
		return rc;
	}
	/* One socket hears every instance of the interface, and masters send
	 * their adverts in bursts (255 instances: 255 packets within a
	 * millisecond, about 200 KB of socket memory): the default receive
	 * buffer would drop the end of a burst, which a backup takes for a
	 * dead master. Past rmem_max when we may (root); best effort. */
	if (set_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, VRRP_RCVBUF) < 0)
		set_int(fd, SOL_SOCKET, SO_RCVBUF, VRRP_RCVBUF);
	return fd;
}

int vrrp_socket_open(int family, const char *ifname)
{
	return open_raw(family, VRRP_PROTO, ifname);
}

int vrrp_socket_open_ah(const char *ifname)
{
	return open_raw(AF_INET, IPPROTO_AH, ifname);
}

static int membership(int fd, const struct vaddr *group, unsigned ifindex, bool join)
{
	if (group->family == AF_INET) {
		struct ip_mreqn m = {.imr_multiaddr = group->u.v4, .imr_ifindex = (int)ifindex};

		if (setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m,
			       sizeof(m)) < 0)
			return -errno;
		if (join && setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof(m)) < 0)
			return -errno;
		return 0;
	}
	if (group->family == AF_INET6) {
		struct ipv6_mreq m = {.ipv6mr_multiaddr = group->u.v6, .ipv6mr_interface = ifindex};

		if (setsockopt(fd, IPPROTO_IPV6, join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP,
			       &m, sizeof(m)) < 0)
			return -errno;
		if (join && set_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, (int)ifindex) < 0)
			return -errno;
		return 0;
	}
	return -EAFNOSUPPORT;
}

int vrrp_socket_join(int fd, const struct vaddr *group, unsigned ifindex)
{
	int rc = membership(fd, group, ifindex, true);

	return rc == -EADDRINUSE ? 0 : rc; /* already a member */
}

int vrrp_socket_leave(int fd, const struct vaddr *group, unsigned ifindex)
{
	return membership(fd, group, ifindex, false);
}

union vrrp_cmsg_buf {
	char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

int vrrp_socket_send(int fd, unsigned ifindex, const struct vaddr *src, const struct vaddr *dst,
		     int ttl, const uint8_t *buf, size_t len)
{
	union vrrp_cmsg_buf cb;
	struct sockaddr_storage to = {0};
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct msghdr mh = {.msg_name = &to, .msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *cm;
	size_t clen = 0;

	memset(&cb, 0, sizeof(cb));
	mh.msg_control = cb.buf;
	mh.msg_controllen = sizeof(cb.buf);
	cm = CMSG_FIRSTHDR(&mh);
	if (dst->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&to;
		struct in_pktinfo pi = {.ipi_ifindex = (int)ifindex};

		sin->sin_family = AF_INET;
		sin->sin_addr = dst->u.v4;
		mh.msg_namelen = sizeof(*sin);
		if (src && src->family == AF_INET)
			pi.ipi_spec_dst = src->u.v4;
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		clen += CMSG_SPACE(sizeof(pi));
		if (ttl != VRRP_TTL && !IN_MULTICAST(ntohl(dst->u.v4.s_addr))) {
			cm = CMSG_NXTHDR(&mh, cm);
			cm->cmsg_level = IPPROTO_IP;
			cm->cmsg_type = IP_TTL;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &ttl, sizeof(int));
			clen += CMSG_SPACE(sizeof(int));
		}
	} else if (dst->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&to;
		struct in6_pktinfo pi = {.ipi6_ifindex = ifindex};

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = dst->u.v6;
		if (IN6_IS_ADDR_LINKLOCAL(&dst->u.v6) || IN6_IS_ADDR_MC_LINKLOCAL(&dst->u.v6))
			sin6->sin6_scope_id = ifindex;
		mh.msg_namelen = sizeof(*sin6);
		if (src && src->family == AF_INET6)
			pi.ipi6_addr = src->u.v6;
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		clen += CMSG_SPACE(sizeof(pi));
		cm = CMSG_NXTHDR(&mh, cm);
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_HOPLIMIT;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &ttl, sizeof(int));
		clen += CMSG_SPACE(sizeof(int));
	} else {
		return -EAFNOSUPPORT;
	}
	mh.msg_controllen = clen;
	for (;;) {
		ssize_t n = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n >= 0)
			return (size_t)n == len ? 0 : -EMSGSIZE;
		if (errno != EINTR)
			return -errno;
	}
}

static void parse_ipv6_cmsgs(struct msghdr *mh, struct vrrp_rx *rx)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level != IPPROTO_IPV6)
			continue;
		if (cm->cmsg_type == IPV6_HOPLIMIT && cm->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int hl;

			memcpy(&hl, CMSG_DATA(cm), sizeof(hl));
			rx->ip.ttl = (unsigned)hl;
		} else if (cm->cmsg_type == IPV6_PKTINFO &&
			   cm->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			rx->ip.dst.family = AF_INET6;
			rx->ip.dst.u.v6 = pi.ipi6_addr;
			rx->ifindex = pi.ipi6_ifindex;
		}
	}
}

static void parse_ipv4_cmsgs(struct msghdr *mh, struct vrrp_rx *rx)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			rx->ifindex = (unsigned)pi.ipi_ifindex;
		}
	}
}

/* Big enough for any advert: IPv6 header aside, 255 IPv6 addresses (or
 * an IPv4 header with options, an AH and 255 IPv4 ones). */
#define RX_BUF_LEN (60 + VRRP_AH_LEN + VRRP_HDR_LEN + VRRP_MAX_ADDRS * 16 + VRRP_AUTH_LEN)

struct vrrp_rx_batch {
	struct mmsghdr mm[VRRP_RX_BATCH];
	struct iovec iov[VRRP_RX_BATCH];
	struct sockaddr_storage from[VRRP_RX_BATCH];
	union vrrp_cmsg_buf cb[VRRP_RX_BATCH];
	uint8_t buf[VRRP_RX_BATCH][RX_BUF_LEN];
};

struct vrrp_rx_batch *vrrp_rx_batch_new(void)
{
	return malloc(sizeof(struct vrrp_rx_batch));
}

void vrrp_rx_batch_free(struct vrrp_rx_batch *b)
{
	free(b);
}

static void fill_rx(int family, struct msghdr *mh, const uint8_t *buf, size_t n,
		    struct vrrp_rx *rx)
{
	const struct sockaddr_storage *from = mh->msg_name;

	memset(rx, 0, sizeof(*rx));
	rx->data = buf;
	rx->len = n;
	if (family == AF_INET) {
		rx->has_ip_header = true;
		parse_ipv4_cmsgs(mh, rx);
		return;
	}
	if (from->ss_family == AF_INET6) {
		rx->ip.src.family = AF_INET6;
		rx->ip.src.u.v6 = ((const struct sockaddr_in6 *)from)->sin6_addr;
	}
	parse_ipv6_cmsgs(mh, rx);
}

int vrrp_socket_recv_batch(int fd, int family, struct vrrp_rx_batch *b,
			   struct vrrp_rx rx[VRRP_RX_BATCH])
{
	int n;

	for (unsigned i = 0; i < VRRP_RX_BATCH; i++) {
		b->iov[i] = (struct iovec){.iov_base = b->buf[i], .iov_len = RX_BUF_LEN};
		b->mm[i].msg_hdr = (struct msghdr){
		    .msg_name = &b->from[i],
		    .msg_namelen = sizeof(b->from[i]),
		    .msg_iov = &b->iov[i],
		    .msg_iovlen = 1,
		    .msg_control = b->cb[i].buf,
		    .msg_controllen = sizeof(b->cb[i].buf),
		};
	}
	do
		n = recvmmsg(fd, b->mm, VRRP_RX_BATCH, MSG_DONTWAIT, NULL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (n == 0)
		return -EAGAIN;
	for (int i = 0; i < n; i++)
		fill_rx(family, &b->mm[i].msg_hdr, b->buf[i], b->mm[i].msg_len, &rx[i]);
	return n;
}

int vrrp_socket_primary_addr(const char *ifname, int family, struct vaddr *out)
{
	struct ifaddrs *list, *i;
	int rc = -EADDRNOTAVAIL;

	if (!ifname || getifaddrs(&list) < 0)
		return -EADDRNOTAVAIL;
	for (i = list; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family || strcmp(i->ifa_name, ifname))
			continue;
		if (family == AF_INET) {
			out->family = AF_INET;
			out->u.v4 = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
		} else {
			const struct in6_addr *a = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;

			if (!IN6_IS_ADDR_LINKLOCAL(a))
				continue;
			out->family = AF_INET6;
			out->u.v6 = *a;
		}
		rc = 0;
		break;
	}
	freeifaddrs(list);
	return rc;
}
