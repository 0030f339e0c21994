/* DNS query encoding and reply checks (see dns_packet.h). */
#include "build-config.h"

#include <errno.h>
#include <string.h>

#include "checkers/dns_packet.h"

#define DNS_HEADER 12

uint16_t dns_qtype(enum lvs_dns_type t)
{
	switch (t) {
	case LVS_DNS_A:
		return 1;
	case LVS_DNS_NS:
		return 2;
	case LVS_DNS_CNAME:
		return 5;
	case LVS_DNS_SOA:
		return 6;
	case LVS_DNS_MX:
		return 15;
	case LVS_DNS_TXT:
		return 16;
	case LVS_DNS_AAAA:
		return 28;
	}
	return 6;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int dns_query_encode(uint8_t *buf, size_t len, uint16_t id, const char *name, uint16_t qtype)
{
	size_t off = DNS_HEADER, name_start;
	const char *s = name;

	if (len < DNS_HEADER + 1 + 4)
		return -EINVAL;
	memset(buf, 0, DNS_HEADER);
	put16(buf, id);
	buf[2] = 0x01;	   /* RD: let a recursive server answer */
	put16(buf + 4, 1); /* QDCOUNT */
	name_start = off;
	if (strcmp(s, ".") != 0) {
		while (*s) {
			const char *dot = strchr(s, '.');
			size_t l = dot ? (size_t)(dot - s) : strlen(s);

			if (l == 0 || l > 63 || off + 1 + l + 5 > len)
				return -EINVAL;
			buf[off++] = (uint8_t)l;
			memcpy(buf + off, s, l);
			off += l;
			s += l;
			if (*s == '.')
				s++;
		}
	}
	buf[off++] = 0;
	if (off - name_start > 255)
		return -EINVAL;
	put16(buf + off, qtype);
	put16(buf + off + 2, 1); /* IN */
	return (int)(off + 4);
}

int dns_reply_check(const uint8_t *q, size_t qlen, const uint8_t *r, size_t rlen, const char **why)
{
	unsigned rcode;

	if (rlen < DNS_HEADER) {
		*why = "reply shorter than a DNS header";
		return -1;
	}
	if (get16(r) != get16(q)) {
		*why = "reply id does not match the query";
		return -1;
	}
	if (!(r[2] & 0x80)) {
		*why = "not a reply (QR clear)";
		return -1;
	}
	if (r[2] & 0x02) {
		*why = "reply truncated (TC)";
		return -1;
	}
	rcode = r[3] & 0x0f;
	if (rcode) {
		static const char *const msgs[] = {
		    NULL,
		    "reply code FORMERR",
		    "reply code SERVFAIL",
		    "reply code NXDOMAIN",
		    "reply code NOTIMP",
		    "reply code REFUSED",
		};

		*why =
		    rcode < sizeof(msgs) / sizeof(msgs[0]) ? msgs[rcode] : "reply code not NOERROR";
		return -1;
	}
	/* The question is echoed as asked (names compare case-insensitively:
	 * RFC 4343). */
	if (get16(r + 4) != 1 || rlen < qlen) {
		*why = "reply does not carry our question";
		return -1;
	}
	for (size_t i = DNS_HEADER; i < qlen; i++) {
		uint8_t a = r[i], b = q[i];

		if (a >= 'A' && a <= 'Z')
			a = (uint8_t)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (uint8_t)(b - 'A' + 'a');
		if (a != b) {
			*why = "reply does not carry our question";
			return -1;
		}
	}
	if (get16(r + 6) == 0) {
		*why = "reply has no answer";
		return -1;
	}
	return 0;
}
