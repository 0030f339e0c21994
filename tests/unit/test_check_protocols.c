/* The protocol codecs of SMTP_CHECK, DNS_CHECK and UDP_CHECK: golden
 * bytes in, verdicts out. */
#include "build-config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "checkers/dns_packet.h"
#include "checkers/smtp.h"
#include "checkers/udp.h"

static void test_smtp_replies(void **state)
{
	unsigned code;
	size_t used;
	const char *multi = "250-mx.test greets you\r\n250-PIPELINING\r\n250 8BITMIME\r\nNEXT";

	assert_int_equal(smtp_reply_parse("220 mx.test ESMTP\r\n", 19, &code, &used), 1);
	assert_int_equal(code, 220);
	assert_int_equal(used, 19);
	assert_int_equal(smtp_reply_parse(multi, strlen(multi), &code, &used), 1);
	assert_int_equal(code, 250);
	assert_int_equal(used, strlen(multi) - 4);
	/* Incomplete: a continuation line, or a line without its end. */
	assert_int_equal(smtp_reply_parse("250-a\r\n250 b", 12, &code, &used), 0);
	assert_int_equal(smtp_reply_parse("22", 2, &code, &used), 0);
	/* A bare code is a complete reply. */
	assert_int_equal(smtp_reply_parse("221\r\n", 5, &code, &used), 1);
	assert_int_equal(code, 221);
	/* Not SMTP. */
	assert_int_equal(smtp_reply_parse("HTTP/1.1 400\r\n", 14, &code, &used), -1);
	assert_int_equal(smtp_reply_parse("2200\r\n", 6, &code, &used), -1);
}

static const uint8_t golden_query[] = {
    0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* header, RD */
    0x03, 'w',	'w',  'w',  0x04, 't',	'e',  's',  't',  0x00,		    /* www.test */
    0x00, 0x01, 0x00, 0x01,						    /* A IN */
};

static void test_dns_encode(void **state)
{
	uint8_t buf[DNS_QUERY_MAX];
	char long_label[80];

	assert_int_equal(
	    dns_query_encode(buf, sizeof(buf), 0x1234, "www.test", dns_qtype(LVS_DNS_A)),
	    sizeof(golden_query));
	assert_memory_equal(buf, golden_query, sizeof(golden_query));
	/* The final dot changes nothing. */
	assert_int_equal(dns_query_encode(buf, sizeof(buf), 0x1234, "www.test.", 1),
			 sizeof(golden_query));
	assert_memory_equal(buf, golden_query, sizeof(golden_query));
	/* The root: one zero octet. */
	assert_int_equal(dns_query_encode(buf, sizeof(buf), 1, ".", dns_qtype(LVS_DNS_SOA)), 17);
	assert_int_equal(buf[12], 0);
	assert_int_equal(buf[14], 6);
	assert_int_equal(dns_query_encode(buf, sizeof(buf), 1, "a..b", 1), -EINVAL);
	memset(long_label, 'a', 64);
	long_label[64] = '\0';
	assert_int_equal(dns_query_encode(buf, sizeof(buf), 1, long_label, 1), -EINVAL);
	assert_int_equal(dns_qtype(LVS_DNS_AAAA), 28);
	assert_int_equal(dns_qtype(LVS_DNS_MX), 15);
}

static void test_dns_reply(void **state)
{
	uint8_t r[128];
	size_t n = sizeof(golden_query);
	const char *why = NULL;
	static const uint8_t answer[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1};

	memcpy(r, golden_query, n);
	memcpy(r + n, answer, sizeof(answer));
	r[2] = 0x81; /* QR, RD */
	r[3] = 0x80; /* RA, NOERROR */
	r[7] = 1;    /* ANCOUNT */
	assert_int_equal(dns_reply_check(golden_query, n, r, n + sizeof(answer), &why), 0);
	/* The question's case may differ (RFC 4343). */
	r[13] = 'W';
	assert_int_equal(dns_reply_check(golden_query, n, r, n + sizeof(answer), &why), 0);
	r[13] = 'x';
	assert_int_equal(dns_reply_check(golden_query, n, r, n + sizeof(answer), &why), -1);
	assert_string_equal(why, "reply does not carry our question");
	r[13] = 'w';
	r[3] = 0x83;
	assert_int_equal(dns_reply_check(golden_query, n, r, n, &why), -1);
	assert_string_equal(why, "reply code NXDOMAIN");
	r[3] = 0x80;
	r[7] = 0;
	assert_int_equal(dns_reply_check(golden_query, n, r, n, &why), -1);
	assert_string_equal(why, "reply has no answer");
	r[0] = 0x99;
	assert_int_equal(dns_reply_check(golden_query, n, r, n, &why), -1);
	assert_string_equal(why, "reply id does not match the query");
	r[0] = 0x12;
	r[2] = 0x01;
	assert_int_equal(dns_reply_check(golden_query, n, r, n, &why), -1);
	assert_string_equal(why, "not a reply (QR clear)");
	assert_int_equal(dns_reply_check(golden_query, n, r, 5, &why), -1);
}

static void test_udp_reply(void **state)
{
	static const uint8_t want[] = {0xab, 0x10};
	static const uint8_t mask[] = {0xff, 0xf0}; /* "ab1x" */
	struct lvs_udp_check u = {
	    .require_reply = true,
	    .reply = want,
	    .reply_mask = mask,
	    .reply_len = 2,
	    .min_reply_length = 2,
	    .max_reply_length = 4,
	};
	const char *why;

	assert_int_equal(udp_reply_check(&u, (const uint8_t *)"\xab\x1f", 2, &why), 0);
	assert_int_equal(udp_reply_check(&u, (const uint8_t *)"\xab\x10zz", 4, &why), 0);
	assert_int_equal(udp_reply_check(&u, (const uint8_t *)"\xab\x20", 2, &why), -1);
	assert_string_equal(why, "reply does not match require_reply");
	assert_int_equal(udp_reply_check(&u, (const uint8_t *)"\xab", 1, &why), -1);
	assert_string_equal(why, "reply shorter than min_reply_length");
	assert_int_equal(udp_reply_check(&u, (const uint8_t *)"\xab\x10zzz", 5, &why), -1);
	assert_string_equal(why, "reply longer than max_reply_length");
	u.reply = NULL;
	assert_int_equal(udp_reply_check(&u, (const uint8_t *)"any", 3, &why), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_smtp_replies),
	    cmocka_unit_test(test_dns_encode),
	    cmocka_unit_test(test_dns_reply),
	    cmocka_unit_test(test_udp_reply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
