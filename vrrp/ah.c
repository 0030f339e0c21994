#include "build-config.h"

#include <string.h>
#include <sys/socket.h>

#include "lib/dlopen_ssl.h"
#include "vrrp/ah.h"

#define MAX_PKT (60 + VRRP_AH_LEN + VRRP_HDR_LEN + VRRP_MAX_ADDRS * 4 + VRRP_AUTH_LEN)

int vrrp_ah_available(char *err, size_t len)
{
	return dlopen_crypto(err, len) ? 0 : -1;
}

size_t vrrp_ah_len(const struct vrrp_pkt_params *p)
{
	return VRRP_IPV4_HDR_LEN + VRRP_AH_LEN + vrrp_pkt_len(p);
}

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void put32(uint8_t *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b + 2, (uint16_t)v);
}

/* HMAC-MD5-96 of @pkt (@len bytes, IP header of @ihl bytes first, AH
 * right after it) with the mutable fields and the ICV taken as zero. */
static int icv(const uint8_t *pkt, size_t len, size_t ihl, const char *pass, bool unicast,
	       uint8_t out[VRRP_AH_ICV_LEN])
{
	const struct dlopen_crypto *c = dlopen_crypto(NULL, 0);
	uint8_t copy[MAX_PKT], key[VRRP_AUTH_LEN] = {0}, md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	/* No libcrypto: vrrp_ah_available() said why, when configured. */
	if (!c || len > sizeof(copy) || len < ihl + VRRP_AH_LEN)
		return -1;
	memcpy(copy, pkt, len);
	copy[1] = 0;                   /* TOS */
	copy[6] = copy[7] = 0;         /* flags, fragment offset */
	copy[10] = copy[11] = 0;       /* header checksum */
	if (unicast)
		copy[8] = 0;           /* TTL: routers on the way change it */
	memset(copy + ihl + 12, 0, VRRP_AH_ICV_LEN);
	if (pass)
		memcpy(key, pass, strnlen(pass, sizeof(key)));
	if (!c->HMAC(c->EVP_md5(), key, sizeof(key), copy, len, md, &mdlen) ||
	    mdlen < VRRP_AH_ICV_LEN)
		return -1;
	memcpy(out, md, VRRP_AH_ICV_LEN);
	return 0;
}

size_t vrrp_ah_encode(const struct vrrp_pkt_params *p, const struct vrrp_ah_params *ah,
		      uint8_t *buf, size_t len)
{
	size_t need = vrrp_ah_len(p), n;
	uint8_t *ip = buf, *h = buf + VRRP_IPV4_HDR_LEN;

	if (p->version != 2 || p->src.family != AF_INET || p->auth_type != VRRP_PKT_AUTH_AH ||
	    need > len || need > MAX_PKT)
		return 0;
	memset(buf, 0, VRRP_IPV4_HDR_LEN + VRRP_AH_LEN);
	n = vrrp_pkt_encode(p, h + VRRP_AH_LEN, len - VRRP_IPV4_HDR_LEN - VRRP_AH_LEN);
	if (!n)
		return 0;
	ip[0] = 0x45;
	ip[1] = 0xc0; /* RFC 9568 §5.1.1.3: Internetwork Control */
	put16(ip + 2, (uint16_t)need);
	put16(ip + 4, ah->ip_id);
	ip[8] = ah->ttl;
	ip[9] = VRRP_AH_PROTO;
	memcpy(ip + 12, &p->src.u.v4, 4);
	memcpy(ip + 16, &p->dst.u.v4, 4);
	h[0] = VRRP_PROTO;
	h[1] = VRRP_AH_PAYLOAD_LEN;
	memcpy(h + 4, &p->src.u.v4, 4); /* SPI: the sender's address, as keepalived */
	put32(h + 8, ah->seq);
	if (icv(buf, need, VRRP_IPV4_HDR_LEN, p->auth_pass, ah->unicast, h + 12) < 0)
		return 0;
	put16(ip + 10, vrrp_csum_fold(vrrp_csum_add(0, ip, VRRP_IPV4_HDR_LEN)));
	return need;
}

enum vrrp_pkt_err vrrp_ah_verify(const struct vrrp_advert *a, const char *pass, bool unicast)
{
	uint8_t want[VRRP_AH_ICV_LEN];
	const uint8_t *h;
	size_t ihl;

	if (!a->ah || !a->ip_pkt)
		return VRRP_PKT_AUTH_MISMATCH;
	ihl = (size_t)(a->ip_pkt[0] & 0x0f) * 4;
	h = a->ip_pkt + ihl;
	/* icv() succeeded: libcrypto is loaded. */
	if (icv(a->ip_pkt, a->ip_len, ihl, pass, unicast, want) < 0 ||
	    dlopen_crypto(NULL, 0)->CRYPTO_memcmp(want, h + 12, sizeof(want)) != 0)
		return VRRP_PKT_AUTH_FAILURE;
	/* keepalived: the SPI must be the source address. */
	if (memcmp(h + 4, a->ip_pkt + 12, 4) != 0)
		return VRRP_PKT_AUTH_FAILURE;
	return VRRP_PKT_OK;
}
