#include "build-config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp/garp.h"

static const uint8_t broadcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

size_t vrrp_garp_build(uint8_t *buf, size_t len, const uint8_t mac[6], const struct in_addr *ip)
{
	uint8_t *arp = buf + 14;

	if (len < VRRP_GARP_FRAME_LEN)
		return 0;
	memcpy(buf, broadcast_mac, 6);
	memcpy(buf + 6, mac, 6);
	buf[12] = ETHERTYPE_ARP >> 8;
	buf[13] = ETHERTYPE_ARP & 0xff;
	arp[0] = 0, arp[1] = ARPHRD_ETHER;    /* hardware type */
	arp[2] = 0x08, arp[3] = 0x00;         /* protocol type IPv4 */
	arp[4] = 6, arp[5] = 4;               /* address lengths */
	arp[6] = 0, arp[7] = ARPOP_REQUEST;   /* RFC 5227 §3: a request */
	memcpy(arp + 8, mac, 6);              /* sender hardware address */
	memcpy(arp + 14, &ip->s_addr, 4);     /* sender protocol address */
	memcpy(arp + 18, broadcast_mac, 6);   /* target hardware: as keepalived */
	memcpy(arp + 24, &ip->s_addr, 4);     /* target protocol address */
	return VRRP_GARP_FRAME_LEN;
}

int vrrp_garp_open(void)
{
	/* Protocol 0: this socket only sends, it never queues received frames. */
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	return fd < 0 ? -errno : fd;
}

int vrrp_garp_send(int fd, unsigned ifindex, const uint8_t mac[6], const struct in_addr *ip)
{
	uint8_t frame[VRRP_GARP_FRAME_LEN];
	struct sockaddr_ll to = {
	    .sll_family = AF_PACKET,
	    .sll_protocol = htons(ETHERTYPE_ARP),
	    .sll_ifindex = (int)ifindex,
	    .sll_halen = 6,
	};
	size_t n = vrrp_garp_build(frame, sizeof(frame), mac, ip);

	memcpy(to.sll_addr, broadcast_mac, 6);
	if (sendto(fd, frame, n, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

int vrrp_if_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr = {0};
	int fd, rc = 0;

	if (!ifname || strlen(ifname) >= IFNAMSIZ)
		return -ENODEV;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	strcpy(ifr.ifr_name, ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		rc = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return rc;
}
