/* VRRP advertisements: encode, decode, validate. Pure code.
 *
 * VRRPv2 (RFC 3768, IPv4 only) and VRRPv3 (RFC 9568, IPv4 and IPv6). Decoding
 * is in two steps, in the order RFC 9568 §7.1 lists the receive checks:
 * vrrp_pkt_decode() checks what needs no configuration (IP TTL/hop limit,
 * version, type, length against the address count, checksum) and yields a
 * typed advert; vrrp_pkt_check() compares that advert with the receiving
 * instance (version, authentication, advert interval, address list). Every
 * failure is a named reason the caller counts and logs; none changes state.
 */
#ifndef VIGIL_VRRP_PACKET_H
#define VIGIL_VRRP_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define VRRP_PROTO 112
#define VRRP_TTL 255
#define VRRP_HDR_LEN 8
#define VRRP_AUTH_LEN 8     /* v2 authentication data */
#define VRRP_MAX_ADDRS 255  /* the count field is 8 bits */
#define VRRP_V2_MAX_ADVERT_S 255
#define VRRP_V3_MAX_ADVERT_CS 4095 /* 12 bits of centiseconds */

enum vrrp_pkt_auth {
	VRRP_PKT_AUTH_NONE = 0,
	VRRP_PKT_AUTH_PASS = 1,
	VRRP_PKT_AUTH_AH = 2,
};

/* Why a packet was dropped. Keep vrrp_pkt_err_name() in step. */
enum vrrp_pkt_err {
	VRRP_PKT_OK = 0,
	VRRP_PKT_TOO_SHORT,       /* shorter than the header (or the IP header) */
	VRRP_PKT_BAD_IP,          /* IP header malformed or not protocol 112 */
	VRRP_PKT_BAD_TTL,         /* TTL / hop limit not 255 */
	VRRP_PKT_BAD_VERSION,     /* neither 2 nor 3, or 2 over IPv6 */
	VRRP_PKT_BAD_TYPE,        /* not ADVERTISEMENT (1) */
	VRRP_PKT_BAD_LENGTH,      /* length does not match the address count */
	VRRP_PKT_BAD_CHECKSUM,
	VRRP_PKT_VERSION_MISMATCH,   /* valid, but not the instance's version */
	VRRP_PKT_AUTH_MISMATCH,      /* v2 auth type or password differ */
	VRRP_PKT_INTERVAL_MISMATCH,  /* v2: advert interval differs (RFC 3768 §7.1) */
	VRRP_PKT_ADDR_MISMATCH,      /* address list differs from ours */
	VRRP_PKT_AUTH_FAILURE,       /* AH: wrong ICV (password) or SPI */
	VRRP_PKT_AH_REPLAY,          /* AH: sequence number not above the last one */
	VRRP_PKT_ERR_COUNT,
};

const char *vrrp_pkt_err_name(enum vrrp_pkt_err e);

/* The IP-level facts the VRRP checks need. For IPv6 raw sockets the kernel
 * strips the header: the caller fills this from recvmsg (source address,
 * IPV6_HOPLIMIT and IPV6_PKTINFO ancillary data). */
struct vrrp_ip_info {
	struct vaddr src;
	struct vaddr dst;
	unsigned ttl; /* TTL or hop limit */
};

struct vrrp_advert {
	uint8_t version;  /* 2 or 3 */
	uint8_t vrid;
	uint8_t priority;
	uint8_t naddr;
	/* Advertisement interval in centiseconds: v3's field as is, v2's
	 * seconds times 100. */
	uint16_t advert_int_cs;
	uint8_t auth_type;                /* v2 only */
	uint8_t auth_data[VRRP_AUTH_LEN]; /* v2 only, as received */
	int family;                       /* of the addresses */
	const uint8_t *addrs;             /* naddr addresses, in the packet */
	struct vrrp_ip_info ip;
	/* IPv4 only: the whole IP packet (vrrp_pkt_decode_ip()), and its
	 * IPsec AH when it came with one (vrrp/ah.h). */
	const uint8_t *ip_pkt;
	size_t ip_len;
	bool ah;
	uint32_t ah_seq;
};

/* Structural checks on the VRRP part (@buf, @len bytes, IP header already
 * removed) received with @ip. Fills @out (whose addrs point into @buf). */
enum vrrp_pkt_err vrrp_pkt_decode(const uint8_t *buf, size_t len, const struct vrrp_ip_info *ip,
				  struct vrrp_advert *out);

/* Same, from a whole IPv4 or IPv6 packet (as IPv4 raw sockets deliver, or
 * AF_PACKET captures past the Ethernet header). Checks the IP header too,
 * and the AH of an IPv4 packet with protocol 51 (next header VRRP, length). */
enum vrrp_pkt_err vrrp_pkt_decode_ip(const uint8_t *pkt, size_t len, struct vrrp_advert *out);

/* What the receiving instance expects. */
struct vrrp_pkt_expect {
	uint8_t version;
	uint16_t advert_int_cs;   /* checked for v2 only */
	uint8_t auth_type;        /* v2 */
	const char *auth_pass;    /* v2 PASS (up to 8 bytes are compared) or AH key */
	bool unicast;             /* AH: the TTL is not part of the ICV */
	const struct vaddr *vips; /* NULL to skip the address check */
	unsigned nvips;
};

/* RFC 3768 §7.1 in its order; for AH, the ICV and SPI (vrrp_ah_verify()),
 * not the sequence number, which needs the instance's counter. */
enum vrrp_pkt_err vrrp_pkt_check(const struct vrrp_advert *a, const struct vrrp_pkt_expect *e);

/* What to send. */
struct vrrp_pkt_params {
	uint8_t version;
	uint8_t vrid;
	uint8_t priority;
	uint16_t advert_int_cs;
	uint8_t auth_type;     /* v2: NONE, PASS, or AH (then vrrp_ah_encode()) */
	const char *auth_pass; /* v2 PASS */
	const struct vaddr *vips;
	unsigned nvips;        /* of the same family as src */
	struct vaddr src, dst; /* for the v3 pseudo-header checksum */
};

/* Bytes the VRRP part of @p takes. */
size_t vrrp_pkt_len(const struct vrrp_pkt_params *p);

/* Write the VRRP part into @buf. Returns its length, or 0 when @len is too
 * small or the parameters are invalid (family mix, too many addresses). */
size_t vrrp_pkt_encode(const struct vrrp_pkt_params *p, uint8_t *buf, size_t len);

/* The Internet checksum over @len bytes, continuing from @sum. */
uint32_t vrrp_csum_add(uint32_t sum, const void *data, size_t len);
uint16_t vrrp_csum_fold(uint32_t sum);

#endif
