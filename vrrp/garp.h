/* Gratuitous ARP for IPv4 VIPs (RFC 5227 §3 "ARP Announcement", as
 * RFC 9568 §6.4.1 asks of a new master). The frame builder is pure; the
 * sender is one AF_PACKET socket for all interfaces.
 */
#ifndef VIGIL_VRRP_GARP_H
#define VIGIL_VRRP_GARP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define VRRP_GARP_FRAME_LEN 42 /* Ethernet header + ARP for IPv4 */

/* Write a broadcast ARP request announcing @ip at @mac (sender and target
 * protocol address both @ip) into @buf. Returns its length, or 0 when @len
 * is too small. */
size_t vrrp_garp_build(uint8_t *buf, size_t len, const uint8_t mac[6], const struct in_addr *ip);

/* An AF_PACKET socket to send them with (close-on-exec, non-blocking), or
 * a negative errno. */
int vrrp_garp_open(void);

/* Send a gratuitous ARP for @ip out of @ifindex with source @mac.
 * Returns 0 or a negative errno. */
int vrrp_garp_send(int fd, unsigned ifindex, const uint8_t mac[6], const struct in_addr *ip);

/* The hardware address of @ifname into @mac. Returns 0 or a negative errno. */
int vrrp_if_mac(const char *ifname, uint8_t mac[6]);

#endif
