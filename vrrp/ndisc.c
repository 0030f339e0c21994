#include "build-config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/ndisc.h"

size_t vrrp_ndisc_build_na(uint8_t *buf, size_t len, const uint8_t mac[6],
			   const struct in6_addr *target, bool router)
{
	if (len < VRRP_NA_LEN)
		return 0;
	memset(buf, 0, VRRP_NA_LEN);
	buf[0] = ND_NEIGHBOR_ADVERT;
	/* RFC 4861 §4.4: R (0x80), S (0x40), O (0x20). Unsolicited, so S is
	 * clear; O so neighbours replace the old master's MAC. */
	buf[4] = (uint8_t)(0x20 | (router ? 0x80 : 0));
	memcpy(buf + 8, target, 16);
	buf[24] = ND_OPT_TARGET_LINKADDR;
	buf[25] = 1; /* in units of 8 bytes */
	memcpy(buf + 26, mac, 6);
	return VRRP_NA_LEN;
}

int vrrp_ndisc_open(void)
{
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_ICMPV6);
	int hops = 255;
	struct icmp6_filter filter;

	if (fd < 0)
		return -errno;
	/* RFC 4861 §7.1.2: receivers drop NAs with a hop limit below 255. */
	setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops));
	setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops));
	/* Send only: queue nothing. */
	ICMP6_FILTER_SETBLOCKALL(&filter);
	setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter));
	return fd;
}

int vrrp_ndisc_send(int fd, unsigned ifindex, const uint8_t mac[6],
		    const struct in6_addr *target, bool router)
{
	uint8_t msg[VRRP_NA_LEN];
	struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_scope_id = ifindex};
	size_t n = vrrp_ndisc_build_na(msg, sizeof(msg), mac, target, router);

	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	if (sendto(fd, msg, n, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}
