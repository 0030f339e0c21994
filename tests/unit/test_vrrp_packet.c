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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
