/* Raw IPPROTO_VRRP sockets: one per (interface, address family), shared by
 * every instance on that interface (vrrp/link.c demultiplexes by VRID).
 *
 * Sending sets the source address and the outgoing interface per packet
 * (IP_PKTINFO / IPV6_PKTINFO), so one socket serves multicast and unicast
 * instances with their own unicast_src_ip. Receiving yields the VRRP bytes
 * and the IP facts the RFC 9568 §7.1 checks need (source, destination,
 * TTL / hop limit), whatever the family.
 */
#ifndef VIGIL_VRRP_SOCKET_H
#define VIGIL_VRRP_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/addr.h"
#include "vrrp/packet.h"

/* RFC 9568 §5.1.1.3 / §5.1.2.2: Internetwork Control (DSCP CS6). */
#define VRRP_TOS 0xc0

/* Open a raw VRRP socket of @family (AF_INET or AF_INET6) bound to
 * @ifname (NULL or "": not bound, for unicast instances without an
 * interface), non-blocking and close-on-exec, with TTL / hop limit 255,
 * TOS / traffic class 0xc0, multicast loopback off, IP_FREEBIND, and
 * the ancillary data vrrp_socket_recv() needs. Returns the descriptor,
 * which the caller closes, or a negative errno. */
int vrrp_socket_open(int family, const char *ifname);

/* The IPv4 socket of `auth_type AH` instances: raw, protocol 51 (IPsec
 * AH), IP_HDRINCL (the AH's ICV covers the IP header, so we write it;
 * vrrp/ah.h), otherwise as vrrp_socket_open(). Send whole IP packets with
 * vrrp_socket_send(); vrrp_socket_recv() returns them whole. */
int vrrp_socket_open_ah(const char *ifname);

/* Join (or leave) multicast group @group on interface @ifindex.
 * Returns 0 or a negative errno. */
int vrrp_socket_join(int fd, const struct vaddr *group, unsigned ifindex);
int vrrp_socket_leave(int fd, const struct vaddr *group, unsigned ifindex);

/* Send the VRRP message @buf (@len bytes) from @src to @dst through
 * @ifindex (0: let routing choose) with TTL / hop limit @ttl. @src may be
 * unset: the kernel then picks it (the caller must then have computed the
 * checksum for the address the kernel will pick). Returns 0 or a negative
 * errno. */
int vrrp_socket_send(int fd, unsigned ifindex, const struct vaddr *src, const struct vaddr *dst,
		     int ttl, const uint8_t *buf, size_t len);

/* One received packet. */
struct vrrp_rx {
	const uint8_t *data; /* into the caller's buffer */
	size_t len;
	/* IPv4 raw sockets deliver the IP header (decode with
	 * vrrp_pkt_decode_ip()); IPv6 ones do not, and @ip is filled from
	 * the ancillary data instead (decode with vrrp_pkt_decode()). */
	bool has_ip_header;
	struct vrrp_ip_info ip;
	unsigned ifindex; /* arrival interface, 0 when unknown */
};

/* Buffers for receiving several packets with one recvmmsg(): the backup
 * of many instances hears bursts of adverts, one system call each would
 * cost more than decoding them. */
#define VRRP_RX_BATCH 16
struct vrrp_rx_batch;

/* A batch of receive buffers (about 70 KB), or NULL without memory; free
 * with vrrp_rx_batch_free(). */
struct vrrp_rx_batch *vrrp_rx_batch_new(void);
void vrrp_rx_batch_free(struct vrrp_rx_batch *b);

/* Receive the packets waiting on @fd, up to VRRP_RX_BATCH, into @b and
 * describe them in @rx (whose data point into @b, valid until the next
 * call). Returns how many (> 0), -EAGAIN when none is waiting, or another
 * negative errno. Truncated packets are returned with their truncated
 * length (the decoder rejects them). */
int vrrp_socket_recv_batch(int fd, int family, struct vrrp_rx_batch *b,
			   struct vrrp_rx rx[VRRP_RX_BATCH]);

/* The address an advert from interface @ifname goes out with when no
 * source is configured: RFC 9568 §5.1.1.1 the interface's primary IPv4
 * address, §5.1.2.1 its IPv6 link-local address. Returns 0 and fills @out,
 * or -EADDRNOTAVAIL when it has none. */
int vrrp_socket_primary_addr(const char *ifname, int family, struct vaddr *out);

#endif
