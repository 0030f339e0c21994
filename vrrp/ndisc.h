/* Unsolicited neighbour advertisements for IPv6 VIPs (RFC 4861 §7.2.6, as
 * RFC 9568 §6.4.1 asks of a new master). The message builder is pure; the
 * sender is one raw ICMPv6 socket (the kernel fills in the checksum).
 */
#ifndef VIGIL_VRRP_NDISC_H
#define VIGIL_VRRP_NDISC_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VRRP_NA_LEN 32 /* ICMPv6 NA + target link-layer address option */

/* Write an unsolicited NA for @target at @mac (Override set, Solicited
 * clear, Router as @router) into @buf, checksum zero. Returns its length,
 * or 0 when @len is too small. */
size_t vrrp_ndisc_build_na(uint8_t *buf, size_t len, const uint8_t mac[6],
			   const struct in6_addr *target, bool router);

/* A raw ICMPv6 socket for vrrp_ndisc_send(), or a negative errno. */
int vrrp_ndisc_open(void);

/* Send an unsolicited NA for @target to all-nodes (ff02::1) out of
 * @ifindex, hop limit 255. Returns 0 or a negative errno. */
int vrrp_ndisc_send(int fd, unsigned ifindex, const uint8_t mac[6],
		    const struct in6_addr *target, bool router);

#endif
