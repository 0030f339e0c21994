/* The frames a new master announces its addresses with, byte for byte,
 * and the rate limiter of the VRRP logs. */
#include "build-config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vrrp/garp.h"
#include "vrrp/ndisc.h"
#include "vrrp/ratelimit.h"

static const uint8_t mac[6] = {0x02, 0x00, 0x00, 0x99, 0x00, 0x01};

static void test_garp_frame(void **state)
{
	/* RFC 5227 §3 ARP Announcement, as keepalived sends it: broadcast,
	 * request, sender = target = the VIP, target MAC all ones. */
	static const uint8_t want[VRRP_GARP_FRAME_LEN] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x99, 0x00, 0x01, 0x08, 0x06,
	    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
	    0x02, 0x00, 0x00, 0x99, 0x00, 0x01, 10, 99, 0, 100,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 10, 99, 0, 100,
	};
	uint8_t buf[64];
	struct in_addr ip;

	(void)state;
	inet_pton(AF_INET, "10.99.0.100", &ip);
	assert_int_equal(vrrp_garp_build(buf, sizeof(buf), mac, &ip), VRRP_GARP_FRAME_LEN);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(vrrp_garp_build(buf, VRRP_GARP_FRAME_LEN - 1, mac, &ip), 0);
}

static void test_unsolicited_na(void **state)
{
	uint8_t buf[64];
	struct in6_addr target;

	(void)state;
	inet_pton(AF_INET6, "fd00:99::100", &target);
	assert_int_equal(vrrp_ndisc_build_na(buf, sizeof(buf), mac, &target, false), VRRP_NA_LEN);
	assert_int_equal(buf[0], 136);  /* Neighbor Advertisement */
	assert_int_equal(buf[1], 0);    /* code */
	assert_int_equal(buf[2] | buf[3], 0); /* checksum: the kernel's */
	assert_int_equal(buf[4], 0x20); /* Override, not Solicited, not Router */
	assert_memory_equal(buf + 8, &target, 16);
	assert_int_equal(buf[24], 2); /* Target Link-Layer Address option */
	assert_int_equal(buf[25], 1); /* 8 bytes */
	assert_memory_equal(buf + 26, mac, 6);

	vrrp_ndisc_build_na(buf, sizeof(buf), mac, &target, true);
	assert_int_equal(buf[4], 0xa0); /* Router and Override */
	assert_int_equal(vrrp_ndisc_build_na(buf, VRRP_NA_LEN - 1, mac, &target, true), 0);
}

static void test_ratelimit(void **state)
{
	struct vrrp_ratelimit rl = {0};
	uint64_t n = 99;

	(void)state;
	assert_true(vrrp_ratelimit_ok(&rl, 1000, 10, &n));
	assert_int_equal(n, 0);
	assert_false(vrrp_ratelimit_ok(&rl, 1001, 10, &n));
	assert_false(vrrp_ratelimit_ok(&rl, 1009, 10, &n));
	assert_true(vrrp_ratelimit_ok(&rl, 1010, 10, &n));
	assert_int_equal(n, 2); /* the two swallowed in between */
	assert_true(vrrp_ratelimit_ok(&rl, 5000, 10, &n));
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_garp_frame),
	    cmocka_unit_test(test_unsolicited_na),
	    cmocka_unit_test(test_ratelimit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
