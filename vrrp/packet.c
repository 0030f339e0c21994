#include "build-config.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/ah.h"
#include "vrrp/packet.h"

static const char *const err_names[VRRP_PKT_ERR_COUNT] = {
	[VRRP_PKT_OK] = "ok",
	[VRRP_PKT_TOO_SHORT] = "too_short",
	[VRRP_PKT_BAD_IP] = "bad_ip_header",
	[VRRP_PKT_BAD_TTL] = "bad_ttl",
	[VRRP_PKT_BAD_VERSION] = "bad_version",
	[VRRP_PKT_BAD_TYPE] = "bad_type",
	[VRRP_PKT_BAD_LENGTH] = "bad_length",
	[VRRP_PKT_BAD_CHECKSUM] = "bad_checksum",
	[VRRP_PKT_VERSION_MISMATCH] = "version_mismatch",
	[VRRP_PKT_AUTH_MISMATCH] = "auth_mismatch",
	[VRRP_PKT_INTERVAL_MISMATCH] = "interval_mismatch",
	[VRRP_PKT_ADDR_MISMATCH] = "address_mismatch",
	[VRRP_PKT_AUTH_FAILURE] = "auth_failure",
	[VRRP_PKT_AH_REPLAY] = "ah_replay",
};

const char *vrrp_pkt_err_name(enum vrrp_pkt_err e)
{
	return (unsigned)e < VRRP_PKT_ERR_COUNT ? err_names[e] : "unknown";
}

uint32_t vrrp_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)(p[0] << 8);
	return sum;
}

uint16_t vrrp_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static size_t addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* RFC 9568 §5.2.8: v3 checksums cover an IPv4 or IPv6 pseudo-header;
 * RFC 3768 §5.3.8: v2 checksums cover the VRRP message alone. */
static uint16_t vrrp_checksum(uint8_t version, const struct vaddr *src, const struct vaddr *dst,
			      const uint8_t *buf, size_t len)
{
	uint32_t sum = 0;

	if (version == 3) {
		sum = vrrp_csum_add(sum, &src->u, addr_len(src->family));
		sum = vrrp_csum_add(sum, &dst->u, addr_len(dst->family));
		sum += VRRP_PROTO;
		sum += (uint32_t)len; /* IPv4's 16-bit and IPv6's 32-bit length sum alike */
	}
	return vrrp_csum_fold(vrrp_csum_add(sum, buf, len));
}

static size_t payload_len(uint8_t version, int family, unsigned naddr)
{
	return VRRP_HDR_LEN + naddr * addr_len(family) + (version == 2 ? VRRP_AUTH_LEN : 0);
}

enum vrrp_pkt_err vrrp_pkt_decode(const uint8_t *buf, size_t len, const struct vrrp_ip_info *ip,
				  struct vrrp_advert *out)
{
	int family = ip->src.family;
	uint8_t version, type;
	size_t need;

	memset(out, 0, sizeof(*out));
	if (ip->ttl != VRRP_TTL)
		return VRRP_PKT_BAD_TTL;
	if (len < VRRP_HDR_LEN)
		return VRRP_PKT_TOO_SHORT;
	version = buf[0] >> 4;
	type = buf[0] & 0x0f;
	if (version != 2 && version != 3)
		return VRRP_PKT_BAD_VERSION;
	if (version == 2 && family != AF_INET)
		return VRRP_PKT_BAD_VERSION; /* RFC 3768 is IPv4 only */
	if (type != 1)
		return VRRP_PKT_BAD_TYPE;
	need = payload_len(version, family, buf[3]);
	if (len < need)
		return VRRP_PKT_BAD_LENGTH;
	if (vrrp_checksum(version, &ip->src, &ip->dst, buf, len) != 0)
		return VRRP_PKT_BAD_CHECKSUM;

	out->version = version;
	out->vrid = buf[1];
	out->priority = buf[2];
	out->naddr = buf[3];
	out->family = family;
	out->addrs = buf + VRRP_HDR_LEN;
	out->ip = *ip;
	if (version == 2) {
		out->auth_type = buf[4];
		out->advert_int_cs = (uint16_t)(buf[5] * 100);
		memcpy(out->auth_data, buf + VRRP_HDR_LEN + out->naddr * 4, VRRP_AUTH_LEN);
	} else {
		out->advert_int_cs = (uint16_t)(((buf[4] & 0x0f) << 8) | buf[5]);
	}
	return VRRP_PKT_OK;
}

static enum vrrp_pkt_err decode_ipv4(const uint8_t *pkt, size_t len, struct vrrp_advert *out)
{
	struct vrrp_ip_info ip = { 0 };
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4, tot, off;
	enum vrrp_pkt_err err;
	bool ah;

	if (len < 20)
		return VRRP_PKT_TOO_SHORT;
	tot = (size_t)(pkt[2] << 8 | pkt[3]);
	ah = pkt[9] == VRRP_AH_PROTO;
	if (ihl < 20 || tot < ihl || tot > len || (pkt[9] != VRRP_PROTO && !ah))
		return VRRP_PKT_BAD_IP;
	if (vrrp_csum_fold(vrrp_csum_add(0, pkt, ihl)) != 0)
		return VRRP_PKT_BAD_IP;
	off = ihl;
	if (ah) {
		/* An AH for something else than VRRP is not ours to read. */
		if (tot < ihl + VRRP_AH_LEN)
			return VRRP_PKT_TOO_SHORT;
		if (pkt[ihl] != VRRP_PROTO || pkt[ihl + 1] != VRRP_AH_PAYLOAD_LEN)
			return VRRP_PKT_BAD_IP;
		off += VRRP_AH_LEN;
	}
	ip.src.family = ip.dst.family = AF_INET;
	memcpy(&ip.src.u.v4, pkt + 12, 4);
	memcpy(&ip.dst.u.v4, pkt + 16, 4);
	ip.ttl = pkt[8];
	err = vrrp_pkt_decode(pkt + off, tot - off, &ip, out);
	out->ip_pkt = pkt;
	out->ip_len = tot;
	out->ah = ah;
	if (ah)
		out->ah_seq = (uint32_t)pkt[ihl + 8] << 24 | (uint32_t)pkt[ihl + 9] << 16 |
			      (uint32_t)pkt[ihl + 10] << 8 | pkt[ihl + 11];
	return err;
}

static enum vrrp_pkt_err decode_ipv6(const uint8_t *pkt, size_t len, struct vrrp_advert *out)
{
	struct vrrp_ip_info ip = { 0 };
	size_t plen;

	if (len < 40)
		return VRRP_PKT_TOO_SHORT;
	plen = (size_t)(pkt[4] << 8 | pkt[5]);
	/* Extension headers are not expected on adverts: next header must be VRRP. */
	if (pkt[6] != VRRP_PROTO || 40 + plen > len)
		return VRRP_PKT_BAD_IP;
	ip.src.family = ip.dst.family = AF_INET6;
	memcpy(&ip.src.u.v6, pkt + 8, 16);
	memcpy(&ip.dst.u.v6, pkt + 24, 16);
	ip.ttl = pkt[7];
	return vrrp_pkt_decode(pkt + 40, plen, &ip, out);
}

enum vrrp_pkt_err vrrp_pkt_decode_ip(const uint8_t *pkt, size_t len, struct vrrp_advert *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 1)
		return VRRP_PKT_TOO_SHORT;
	switch (pkt[0] >> 4) {
	case 4:
		return decode_ipv4(pkt, len, out);
	case 6:
		return decode_ipv6(pkt, len, out);
	default:
		return VRRP_PKT_BAD_IP;
	}
}

static bool addr_in(const uint8_t *raw, int family, const struct vaddr *vips, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (vips[i].family == family && memcmp(&vips[i].u, raw, addr_len(family)) == 0)
			return true;
	return false;
}

enum vrrp_pkt_err vrrp_pkt_check(const struct vrrp_advert *a, const struct vrrp_pkt_expect *e)
{
	enum vrrp_pkt_err err;

	/* keepalived: an AH where none is expected, or none where one is. */
	if (a->ah != (e->auth_type == VRRP_PKT_AUTH_AH))
		return VRRP_PKT_AUTH_MISMATCH;
	if (a->version != e->version)
		return VRRP_PKT_VERSION_MISMATCH;
	if (a->version == 2) {
		uint8_t want[VRRP_AUTH_LEN] = { 0 };

		if (a->auth_type != e->auth_type)
			return VRRP_PKT_AUTH_MISMATCH;
		if (e->auth_type == VRRP_PKT_AUTH_PASS) {
			if (e->auth_pass)
				memcpy(want, e->auth_pass, strnlen(e->auth_pass, sizeof(want)));
			if (memcmp(want, a->auth_data, sizeof(want)) != 0)
				return VRRP_PKT_AUTH_MISMATCH;
		} else if (e->auth_type == VRRP_PKT_AUTH_AH) {
			err = vrrp_ah_verify(a, e->auth_pass, e->unicast);
			if (err != VRRP_PKT_OK)
				return err;
		}
		/* RFC 3768 §7.1: a v2 router MUST drop adverts whose interval differs. */
		if (a->advert_int_cs != e->advert_int_cs)
			return VRRP_PKT_INTERVAL_MISMATCH;
	}
	if (e->vips) {
		/* RFC 9568 §7.1: MAY verify the address list; a mismatch is logged
		 * and the packet dropped, as keepalived does unless told to skip. */
		if (a->naddr != e->nvips)
			return VRRP_PKT_ADDR_MISMATCH;
		for (unsigned i = 0; i < a->naddr; i++)
			if (!addr_in(a->addrs + i * addr_len(a->family), a->family, e->vips, e->nvips))
				return VRRP_PKT_ADDR_MISMATCH;
	}
	return VRRP_PKT_OK;
}

size_t vrrp_pkt_len(const struct vrrp_pkt_params *p)
{
	return payload_len(p->version, p->src.family, p->nvips);
}

size_t vrrp_pkt_encode(const struct vrrp_pkt_params *p, uint8_t *buf, size_t len)
{
	size_t need = vrrp_pkt_len(p), alen = addr_len(p->src.family);
	uint8_t *a = buf + VRRP_HDR_LEN;
	uint16_t csum;

	if (p->version != 2 && p->version != 3)
		return 0;
	if (p->version == 2 && p->src.family != AF_INET)
		return 0;
	if (p->nvips > VRRP_MAX_ADDRS || need > len)
		return 0;
	if (p->version == 2 ? p->advert_int_cs % 100 || p->advert_int_cs / 100 > 255
			    : p->advert_int_cs > VRRP_V3_MAX_ADVERT_CS)
		return 0;
	memset(buf, 0, need);
	buf[0] = (uint8_t)(p->version << 4 | 1);
	buf[1] = p->vrid;
	buf[2] = p->priority;
	buf[3] = (uint8_t)p->nvips;
	for (unsigned i = 0; i < p->nvips; i++, a += alen) {
		if (p->vips[i].family != p->src.family)
			return 0;
		memcpy(a, &p->vips[i].u, alen);
	}
	if (p->version == 2) {
		buf[4] = p->auth_type;
		buf[5] = (uint8_t)(p->advert_int_cs / 100);
		/* RFC 2338 §5.3.10: up to 8 bytes, zero-padded (the buffer is zeroed). */
		if (p->auth_type == VRRP_PKT_AUTH_PASS && p->auth_pass)
			memcpy(a, p->auth_pass, strnlen(p->auth_pass, VRRP_AUTH_LEN));
	} else {
		buf[4] = (uint8_t)(p->advert_int_cs >> 8);
		buf[5] = (uint8_t)p->advert_int_cs;
	}
	csum = vrrp_checksum(p->version, &p->src, &p->dst, buf, need);
	buf[6] = (uint8_t)(csum >> 8);
	buf[7] = (uint8_t)csum;
	return need;
}
