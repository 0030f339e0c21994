/* VRRP advert codec against adverts captured from keepalived 2.2.7
 * (tests/data/vrrp/capture.sh made them): decode them byte for byte, encode
 * the same parameters back to the same bytes, and drop every corruption for
 * its own reason. */
#include "build-config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "vrrp/ah.h"
#include "vrrp/packet.h"

struct golden {
	uint8_t b[512];
	size_t len;
};

static void load(const char *name, struct golden *g)
{
	const char *top = getenv("top_srcdir");
	char path[1024], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/vrrp/%s.hex", top ? top : ".", name);
	f = fopen(path, "r");
	assert_non_null(f);
	g->len = 0;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		unsigned v;
		int n;

		if (*p == '#')
			continue;
		while (sscanf(p, "%2x%n", &v, &n) == 1) {
			g->b[g->len++] = (uint8_t)v;
			p += n;
		}
	}
	fclose(f);
}

static struct vaddr v4(const char *s)
{
	struct vaddr a;

	assert_int_equal(vaddr_parse(s, &a), 0);
	return a;
}

static size_t ip_hdr_len(const struct golden *g)
{
	return (g->b[0] >> 4) == 4 ? (size_t)(g->b[0] & 0x0f) * 4 : 40;
}

/* Encode @p and compare with the VRRP part of the golden packet. */
static void assert_encodes_to(const struct vrrp_pkt_params *p, const struct golden *g)
{
	uint8_t out[512];
	size_t hl = ip_hdr_len(g), n = vrrp_pkt_encode(p, out, sizeof(out));

	assert_int_equal(n, g->len - hl);
	assert_memory_equal(out, g->b + hl, n);
}

static void test_v2_plain(void **state)
{
	struct golden g;
	struct vrrp_advert a;
	struct vaddr vips[2] = { v4("192.0.2.100"), v4("192.0.2.101") };
	struct vrrp_pkt_params p = { .version = 2, .vrid = 51, .priority = 150, .advert_int_cs = 100,
				     .vips = vips, .nvips = 2, .src = v4("192.0.2.1"),
				     .dst = v4("224.0.0.18") };
	struct vrrp_pkt_expect e = { .version = 2, .advert_int_cs = 100, .vips = vips, .nvips = 2 };

	load("v2", &g);
	assert_int_equal(vrrp_pkt_decode_ip(g.b, g.len, &a), VRRP_PKT_OK);
	assert_int_equal(a.version, 2);
	assert_int_equal(a.vrid, 51);
	assert_int_equal(a.priority, 150);
	assert_int_equal(a.naddr, 2);
	assert_int_equal(a.advert_int_cs, 100);
	assert_int_equal(a.auth_type, VRRP_PKT_AUTH_NONE);
	assert_true(vaddr_equal(&a.ip.src, &p.src));
	assert_true(vaddr_equal(&a.ip.dst, &p.dst));
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_OK);
	assert_encodes_to(&p, &g);
}

static void test_v2_pass(void **state)
{
	struct golden g;
	struct vrrp_advert a;
	struct vaddr vip = v4("192.0.2.100");
	struct vrrp_pkt_params p = { .version = 2, .vrid = 52, .priority = 150, .advert_int_cs = 100,
				     .auth_type = VRRP_PKT_AUTH_PASS, .auth_pass = "s3cret",
				     .vips = &vip, .nvips = 1, .src = v4("192.0.2.1"),
				     .dst = v4("224.0.0.18") };
	struct vrrp_pkt_expect e = { .version = 2, .advert_int_cs = 100,
				     .auth_type = VRRP_PKT_AUTH_PASS, .auth_pass = "s3cret" };

	load("v2_pass", &g);
	assert_int_equal(vrrp_pkt_decode_ip(g.b, g.len, &a), VRRP_PKT_OK);
	assert_int_equal(a.auth_type, VRRP_PKT_AUTH_PASS);
	assert_memory_equal(a.auth_data, "s3cret\0\0", 8);
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_OK);
	e.auth_pass = "s3creT";
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_AUTH_MISMATCH);
	e.auth_pass = "s3cret";
	e.auth_type = VRRP_PKT_AUTH_NONE;
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_AUTH_MISMATCH);
	e.auth_type = VRRP_PKT_AUTH_PASS;
	e.advert_int_cs = 200;
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_INTERVAL_MISMATCH);
	assert_encodes_to(&p, &g);
}

static void test_v3_ipv4(void **state)
{
	struct golden g;
	struct vrrp_advert a;
	struct vaddr vips[2] = { v4("192.0.2.100"), v4("192.0.2.101") };
	struct vrrp_pkt_params p = { .version = 3, .vrid = 53, .priority = 150, .advert_int_cs = 50,
				     .vips = vips, .nvips = 2, .src = v4("192.0.2.1"),
				     .dst = v4("224.0.0.18") };
	struct vrrp_pkt_expect e = { .version = 3, .advert_int_cs = 100, .vips = vips, .nvips = 2 };

	load("v3_ipv4", &g);
	assert_int_equal(vrrp_pkt_decode_ip(g.b, g.len, &a), VRRP_PKT_OK);
	assert_int_equal(a.version, 3);
	assert_int_equal(a.vrid, 53);
	assert_int_equal(a.advert_int_cs, 50);
	/* v3 backups adopt the master's interval: no interval mismatch. */
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_OK);
	e.version = 2;
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_VERSION_MISMATCH);
	assert_encodes_to(&p, &g);
}

static void test_v3_ipv6(void **state)
{
	struct golden g;
	struct vrrp_advert a;
	struct vaddr vips[2] = { v4("2001:db8::100"), v4("2001:db8::101") };
	struct vrrp_pkt_params p = { .version = 3, .vrid = 54, .priority = 150, .advert_int_cs = 100,
				     .vips = vips, .nvips = 2 };
	struct vrrp_pkt_expect e = { .version = 3, .vips = vips, .nvips = 1 };

	load("v3_ipv6", &g);
	assert_int_equal(vrrp_pkt_decode_ip(g.b, g.len, &a), VRRP_PKT_OK);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.vrid, 54);
	assert_int_equal(a.naddr, 2);
	assert_true(vaddr_equal(&a.ip.dst, &(struct vaddr){ 0 }) == false);
	/* A different address list is dropped with its own reason. */
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_ADDR_MISMATCH);
	p.src = a.ip.src; /* the link-local source keepalived used */
	p.dst = v4("ff02::12");
	assert_true(vaddr_equal(&a.ip.dst, &p.dst));
	assert_encodes_to(&p, &g);
}

/* Each corruption is dropped for its own reason. */
static void test_corruptions(void **state)
{
	struct golden g, c;
	struct vrrp_advert a;
	size_t hl;

	load("v2", &g);
	hl = ip_hdr_len(&g);

	c = g;
	c.b[8] = 64; /* TTL; fix the IP header checksum so only the TTL is wrong */
	c.b[10] = c.b[11] = 0;
	{
		uint16_t s = vrrp_csum_fold(vrrp_csum_add(0, c.b, hl));

		c.b[10] = (uint8_t)(s >> 8);
		c.b[11] = (uint8_t)s;
	}
	assert_int_equal(vrrp_pkt_decode_ip(c.b, c.len, &a), VRRP_PKT_BAD_TTL);

	c = g;
	c.b[hl + 7] ^= 1;
	assert_int_equal(vrrp_pkt_decode_ip(c.b, c.len, &a), VRRP_PKT_BAD_CHECKSUM);

	c = g;
	c.b[hl] = 0x41;
	assert_int_equal(vrrp_pkt_decode_ip(c.b, c.len, &a), VRRP_PKT_BAD_VERSION);

	c = g;
	c.b[hl] = 0x22;
	assert_int_equal(vrrp_pkt_decode_ip(c.b, c.len, &a), VRRP_PKT_BAD_TYPE);

	c = g;
	c.b[hl + 3] = 5; /* claims 5 addresses in a packet that holds 2 */
	assert_int_equal(vrrp_pkt_decode_ip(c.b, c.len, &a), VRRP_PKT_BAD_LENGTH);

	assert_int_equal(vrrp_pkt_decode_ip(g.b, hl + 4, &a), VRRP_PKT_BAD_IP); /* truncated */
	for (size_t n = 0; n < g.len; n++)
		vrrp_pkt_decode_ip(g.b, n, &a); /* never reads past n (ASan checks) */
	assert_string_equal(vrrp_pkt_err_name(VRRP_PKT_BAD_CHECKSUM), "bad_checksum");
}

static void fix_ip_csum(struct golden *g)
{
	uint16_t s;

	g->b[10] = g->b[11] = 0;
	s = vrrp_csum_fold(vrrp_csum_add(0, g->b, 20));
	g->b[10] = (uint8_t)(s >> 8);
	g->b[11] = (uint8_t)s;
}

/* auth_type AH: keepalived's first two adverts (IP ids 1 and 2, sequence
 * numbers 1 and 2), decoded, verified with the password, and encoded back
 * byte for byte, IP header and ICV included. */
static void test_v2_ah(void **state)
{
	struct golden g, c;
	struct vrrp_advert a;
	struct vaddr vips[2] = { v4("192.0.2.100"), v4("192.0.2.101") };
	struct vrrp_pkt_params p = { .version = 2, .vrid = 55, .priority = 150, .advert_int_cs = 100,
				     .auth_type = VRRP_PKT_AUTH_AH, .auth_pass = "s3cret",
				     .vips = vips, .nvips = 2, .src = v4("192.0.2.1"),
				     .dst = v4("224.0.0.18") };
	struct vrrp_pkt_expect e = { .version = 2, .advert_int_cs = 100, .auth_type = VRRP_PKT_AUTH_AH,
				     .auth_pass = "s3cret", .vips = vips, .nvips = 2 };
	struct vrrp_ah_params ap = { .ip_id = 1, .ttl = 255, .seq = 1 };
	uint8_t out[512];
	size_t n;

	(void)state;
	load("v2_ah", &g);
	assert_int_equal(g.len, 68);
	assert_int_equal(g.b[9], VRRP_AH_PROTO);
	assert_int_equal(vrrp_pkt_decode_ip(g.b, g.len, &a), VRRP_PKT_OK);
	assert_true(a.ah);
	assert_int_equal(a.ah_seq, 1);
	assert_int_equal(a.version, 2);
	assert_int_equal(a.vrid, 55);
	assert_int_equal(a.priority, 150);
	assert_int_equal(a.naddr, 2);
	assert_int_equal(a.auth_type, VRRP_PKT_AUTH_AH);
	assert_memory_equal(a.auth_data, "\0\0\0\0\0\0\0\0", 8);
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_OK);
	/* the same bytes out of the encoder, IP checksum and ICV included */
	assert_int_equal(vrrp_ah_len(&p), g.len);
	n = vrrp_ah_encode(&p, &ap, out, sizeof(out));
	assert_int_equal(n, g.len);
	assert_memory_equal(out, g.b, n);

	load("v2_ah_2", &g);
	assert_int_equal(vrrp_pkt_decode_ip(g.b, g.len, &a), VRRP_PKT_OK);
	assert_int_equal(a.ah_seq, 2);
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_OK);
	ap.ip_id = 2;
	ap.seq = 2;
	assert_int_equal(vrrp_ah_encode(&p, &ap, out, sizeof(out)), g.len);
	assert_memory_equal(out, g.b, g.len);

	/* a wrong password, or PASS / no authentication expected */
	e.auth_pass = "s3creT";
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_AUTH_FAILURE);
	e.auth_pass = "s3cret";
	e.auth_type = VRRP_PKT_AUTH_PASS;
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_AUTH_MISMATCH);
	e.auth_type = VRRP_PKT_AUTH_NONE;
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_AUTH_MISMATCH);
	e.auth_type = VRRP_PKT_AUTH_AH;

	/* TOS is mutable (left out of the ICV); the IP id and the sequence
	 * number are not */
	c = g;
	c.b[1] = 0;
	fix_ip_csum(&c);
	assert_int_equal(vrrp_pkt_decode_ip(c.b, c.len, &a), VRRP_PKT_OK);
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_OK);
	c = g;
	c.b[5] ^= 1;
	fix_ip_csum(&c);
	assert_int_equal(vrrp_pkt_decode_ip(c.b, c.len, &a), VRRP_PKT_OK);
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_AUTH_FAILURE);
	c = g;
	c.b[20 + 11] = 3;
	assert_int_equal(vrrp_pkt_decode_ip(c.b, c.len, &a), VRRP_PKT_OK);
	assert_int_equal(a.ah_seq, 3);
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_AUTH_FAILURE);
	/* the SPI must be the source address */
	c = g;
	c.b[20 + 7] ^= 1;
	assert_int_equal(vrrp_pkt_decode_ip(c.b, c.len, &a), VRRP_PKT_OK);
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_AUTH_FAILURE);
	/* an AH for another protocol, or of another length, is not an advert */
	c = g;
	c.b[20] = 6;
	assert_int_equal(vrrp_pkt_decode_ip(c.b, c.len, &a), VRRP_PKT_BAD_IP);
	c = g;
	c.b[21] = 5;
	assert_int_equal(vrrp_pkt_decode_ip(c.b, c.len, &a), VRRP_PKT_BAD_IP);
	for (size_t i = 0; i < g.len; i++)
		vrrp_pkt_decode_ip(g.b, i, &a); /* never reads past i (ASan checks) */
	assert_string_equal(vrrp_pkt_err_name(VRRP_PKT_AH_REPLAY), "ah_replay");
}

/* Unicast AH: the TTL changes on the way, so it is left out of the ICV. */
static void test_v2_ah_unicast(void **state)
{
	struct golden g;
	struct vrrp_advert a;
	struct vaddr vip = v4("10.0.0.100");
	struct vrrp_pkt_params p = { .version = 2, .vrid = 9, .priority = 100, .advert_int_cs = 100,
				     .auth_type = VRRP_PKT_AUTH_AH, .auth_pass = "longer-than-8",
				     .vips = &vip, .nvips = 1, .src = v4("10.0.0.1"),
				     .dst = v4("10.0.0.2") };
	struct vrrp_pkt_expect e = { .version = 2, .advert_int_cs = 100, .auth_type = VRRP_PKT_AUTH_AH,
				     .auth_pass = "longer-t", .unicast = true };
	struct vrrp_ah_params ap = { .ip_id = 7, .ttl = 255, .seq = 42, .unicast = true };

	(void)state;
	g.len = vrrp_ah_encode(&p, &ap, g.b, sizeof(g.b));
	assert_int_equal(g.len, 20 + 24 + 8 + 4 + 8);
	g.b[8] = 254; /* one router on the way */
	fix_ip_csum(&g);
	assert_int_equal(vrrp_pkt_decode_ip(g.b, g.len, &a), VRRP_PKT_BAD_TTL);
	g.b[8] = 255;
	fix_ip_csum(&g);
	assert_int_equal(vrrp_pkt_decode_ip(g.b, g.len, &a), VRRP_PKT_OK);
	assert_int_equal(a.ah_seq, 42);
	assert_int_equal(vrrp_pkt_check(&a, &e), VRRP_PKT_OK); /* 8 bytes of the key count */
	assert_int_equal(vrrp_ah_verify(&a, "longer-t", true), VRRP_PKT_OK);
	ap.ttl = 64;
	g.len = vrrp_ah_encode(&p, &ap, g.b, sizeof(g.b));
	g.b[8] = 255;
	fix_ip_csum(&g);
	assert_int_equal(vrrp_pkt_decode_ip(g.b, g.len, &a), VRRP_PKT_OK);
	assert_int_equal(vrrp_ah_verify(&a, "longer-t", true), VRRP_PKT_OK);
	assert_int_equal(vrrp_ah_verify(&a, "longer-t", false), VRRP_PKT_AUTH_FAILURE);
	p.version = 3;
	assert_int_equal(vrrp_ah_encode(&p, &ap, g.b, sizeof(g.b)), 0); /* v2 only */
}

static void test_encode_rejects(void **state)
{
	struct vaddr v6 = v4("2001:db8::1"), v4a = v4("192.0.2.1");
	struct vrrp_pkt_params p = { .version = 2, .vrid = 1, .priority = 100, .advert_int_cs = 100,
				     .vips = &v6, .nvips = 1, .src = v6, .dst = v6 };
	uint8_t buf[128];

	assert_int_equal(vrrp_pkt_encode(&p, buf, sizeof(buf)), 0); /* v2 over IPv6 */
	p.version = 3;
	p.src = v4a;
	assert_int_equal(vrrp_pkt_encode(&p, buf, sizeof(buf)), 0); /* family mix */
	p.vips = &v4a;
	p.advert_int_cs = 4096;
	assert_int_equal(vrrp_pkt_encode(&p, buf, sizeof(buf)), 0); /* 12-bit field */
	p.advert_int_cs = 1; /* 0.01 s must work in v3 */
	assert_int_equal(vrrp_pkt_encode(&p, buf, sizeof(buf)), 12);
	assert_int_equal(vrrp_pkt_encode(&p, buf, 11), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_plain),    cmocka_unit_test(test_v2_pass),
		cmocka_unit_test(test_v3_ipv4),     cmocka_unit_test(test_v3_ipv6),
		cmocka_unit_test(test_corruptions), cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_v2_ah),       cmocka_unit_test(test_v2_ah_unicast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
