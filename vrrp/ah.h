/* VRRPv2 `auth_type AH`: the IPsec Authentication Header as keepalived
 * 2.2.7 sends and checks it (RFC 2338 §5.3.6.3 and RFC 2402, without any
 * security association: the key is the 8-byte, zero-padded auth_pass).
 * Pure code.
 *
 * On the wire (tests/data/vrrp/v2_ah.hex): an IPv4 header with protocol 51,
 * then the 24-byte AH (next header 112, payload length 4, reserved 0, SPI =
 * the IP source address, sequence number, 12-byte ICV), then the VRRPv2
 * advert with auth type 2 and eight zero bytes of authentication data.
 * The ICV is HMAC-MD5-96 over the whole IP packet with the IP header's
 * mutable fields (TOS, fragment offset, checksum; the TTL too for unicast)
 * and the ICV itself zeroed. keepalived numbers adverts with one counter
 * per instance that also follows what it receives: a received sequence
 * number must be greater than the counter, which then takes it, so a
 * backup that becomes master continues the numbering it heard.
 */
#ifndef VIGIL_VRRP_AH_H
#define VIGIL_VRRP_AH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrp/packet.h"

#define VRRP_AH_LEN 24
#define VRRP_AH_ICV_LEN 12
#define VRRP_AH_PROTO 51
#define VRRP_AH_PAYLOAD_LEN 4 /* RFC 2402 §2.2: (24 / 4) - 2 */
#define VRRP_IPV4_HDR_LEN 20

/* What the IP header and AH carry besides the advert. */
struct vrrp_ah_params {
	uint16_t ip_id; /* nonzero: the kernel keeps it (IP_HDRINCL) */
	uint8_t ttl;
	uint32_t seq;
	bool unicast;   /* the TTL is then mutable, and left out of the ICV */
};

/* The ICV is HMAC-MD5 from libcrypto, loaded on first use (lib/dlopen_ssl.h).
 * Returns 0 once it is loaded, or -1 with @err (@len bytes) saying which
 * library is missing; until then encoding and verifying fail. */
int vrrp_ah_available(char *err, size_t len);

/* Bytes vrrp_ah_encode() writes for @p. */
size_t vrrp_ah_len(const struct vrrp_pkt_params *p);

/* Write the whole IPv4 packet (header, AH, advert) for @p, an IPv4 VRRPv2
 * advert whose auth_pass is the key, into @buf. The IP checksum is filled
 * in as the kernel would. Returns the length, or 0 when @len is too small
 * or @p cannot be encoded. */
size_t vrrp_ah_encode(const struct vrrp_pkt_params *p, const struct vrrp_ah_params *ah,
		      uint8_t *buf, size_t len);

/* Check the ICV and the SPI of @a (decoded from a whole packet with an AH,
 * vrrp_pkt_decode_ip()) with key @pass. Returns VRRP_PKT_OK or
 * VRRP_PKT_AUTH_FAILURE; the sequence number is the caller's to check. */
enum vrrp_pkt_err vrrp_ah_verify(const struct vrrp_advert *a, const char *pass, bool unicast);

#endif
