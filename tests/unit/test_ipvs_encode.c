/* IPVS requests encoded straight into the send buffer (ipvs/netlink_encode.h),
 * read back with libnl's parser: what the kernel will find in each one. */
#include "build-config.h"

#include <arpa/inet.h>
#include <linux/ip_vs.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "ipvs/netlink_encode.h"

#define FAMILY 42

static struct ipvs_service svc4(void)
{
	struct ipvs_service s = { .key = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80 },
				  .sched = "wlc", .timeout = 300, .netmask = 0xffffffff,
				  .flags = IP_VS_SVC_F_PERSISTENT };

	s.key.addr.family = AF_INET;
	inet_pton(AF_INET, "10.1.2.3", &s.key.addr.u);
	return s;
}

static struct ipvs_dest dest4(void)
{
	struct ipvs_dest d = { .port = 8080, .weight = 3, .fwd = IP_VS_CONN_F_MASQ,
			       .u_threshold = 5, .l_threshold = 2 };

	d.addr.family = AF_INET;
	inet_pton(AF_INET, "172.16.1.1", &d.addr.u);
	return d;
}

struct parsed {
	struct nlmsghdr *h;
	struct genlmsghdr *g;
	struct nlattr *cmd[IPVS_CMD_ATTR_MAX + 1];
	struct nlattr *svc[IPVS_SVC_ATTR_MAX + 1];
	struct nlattr *dest[IPVS_DEST_ATTR_MAX + 1];
};

static void parse(void *msg, struct parsed *p)
{
	memset(p, 0, sizeof(*p));
	p->h = msg;
	p->g = nlmsg_data(p->h);
	assert_int_equal(genlmsg_parse(p->h, 0, p->cmd, IPVS_CMD_ATTR_MAX, NULL), 0);
	if (p->cmd[IPVS_CMD_ATTR_SERVICE]) {
		assert_true(p->cmd[IPVS_CMD_ATTR_SERVICE]->nla_type & NLA_F_NESTED);
		assert_int_equal(nla_parse_nested(p->svc, IPVS_SVC_ATTR_MAX,
						  p->cmd[IPVS_CMD_ATTR_SERVICE], NULL), 0);
	}
	if (p->cmd[IPVS_CMD_ATTR_DEST])
		assert_int_equal(nla_parse_nested(p->dest, IPVS_DEST_ATTR_MAX,
						  p->cmd[IPVS_CMD_ATTR_DEST], NULL), 0);
}

static void add_dest_ipv4_nat(void **state)
{
	struct ipvs_service s = svc4();
	struct ipvs_dest d = dest4();
	struct ipvs_op op = { IPVS_OP_ADD_DEST, &s, &d };
	struct ipvs_nl_buf b = { 0 };
	struct parsed p;

	assert_int_equal(ipvs_nl_encode_op(&b, FAMILY, 77, NLM_F_ACK, &op), 0);
	parse(b.p, &p);
	assert_int_equal(p.h->nlmsg_len, b.len);
	assert_int_equal(p.h->nlmsg_type, FAMILY);
	assert_int_equal(p.h->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(p.h->nlmsg_seq, 77);
	assert_int_equal(p.g->cmd, IPVS_CMD_NEW_DEST);
	assert_int_equal(p.g->version, IPVS_GENL_VERSION);
	/* the service by its key only */
	assert_int_equal(nla_get_u16(p.svc[IPVS_SVC_ATTR_AF]), AF_INET);
	assert_int_equal(nla_get_u16(p.svc[IPVS_SVC_ATTR_PROTOCOL]), IPPROTO_TCP);
	assert_int_equal(nla_len(p.svc[IPVS_SVC_ATTR_ADDR]), 4);
	assert_memory_equal(nla_data(p.svc[IPVS_SVC_ATTR_ADDR]), &s.key.addr.u, 4);
	assert_int_equal(nla_get_u16(p.svc[IPVS_SVC_ATTR_PORT]), htons(80));
	assert_null(p.svc[IPVS_SVC_ATTR_SCHED_NAME]);
	/* the destination in full, no tunnel attributes */
	assert_memory_equal(nla_data(p.dest[IPVS_DEST_ATTR_ADDR]), &d.addr.u, 4);
	assert_int_equal(nla_get_u16(p.dest[IPVS_DEST_ATTR_PORT]), htons(8080));
	assert_int_equal(nla_get_u16(p.dest[IPVS_DEST_ATTR_ADDR_FAMILY]), AF_INET);
	assert_int_equal(nla_get_u32(p.dest[IPVS_DEST_ATTR_FWD_METHOD]), IP_VS_CONN_F_MASQ);
	assert_int_equal(nla_get_u32(p.dest[IPVS_DEST_ATTR_WEIGHT]), 3);
	assert_int_equal(nla_get_u32(p.dest[IPVS_DEST_ATTR_U_THRESH]), 5);
	assert_int_equal(nla_get_u32(p.dest[IPVS_DEST_ATTR_L_THRESH]), 2);
	assert_null(p.dest[IPVS_DEST_ATTR_TUN_TYPE]);
	ipvs_nl_buf_free(&b);
}

static void add_service_fwmark_with_pe(void **state)
{
	struct ipvs_service s = svc4();
	struct ipvs_op op = { IPVS_OP_ADD_SERVICE, &s, NULL };
	struct ipvs_nl_buf b = { 0 };
	struct ip_vs_flags *fl;
	struct parsed p;

	s.key.fwmark = 7;
	strcpy(s.pe, "sip");
	assert_int_equal(ipvs_nl_encode_op(&b, FAMILY, 1, 0, &op), 0);
	parse(b.p, &p);
	assert_int_equal(p.h->nlmsg_flags, NLM_F_REQUEST);
	assert_int_equal(p.g->cmd, IPVS_CMD_NEW_SERVICE);
	assert_int_equal(nla_get_u32(p.svc[IPVS_SVC_ATTR_FWMARK]), 7);
	assert_null(p.svc[IPVS_SVC_ATTR_ADDR]);
	assert_null(p.svc[IPVS_SVC_ATTR_PORT]);
	assert_string_equal(nla_get_string(p.svc[IPVS_SVC_ATTR_SCHED_NAME]), "wlc");
	assert_string_equal(nla_get_string(p.svc[IPVS_SVC_ATTR_PE_NAME]), "sip");
	fl = nla_data(p.svc[IPVS_SVC_ATTR_FLAGS]);
	assert_int_equal(fl->flags, IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(fl->mask, ~0u);
	assert_int_equal(nla_get_u32(p.svc[IPVS_SVC_ATTR_TIMEOUT]), 300);
	assert_int_equal(nla_get_u32(p.svc[IPVS_SVC_ATTR_NETMASK]), 0xffffffff);
	assert_null(p.cmd[IPVS_CMD_ATTR_DEST]);
	ipvs_nl_buf_free(&b);
}

static void deletions_carry_keys_only(void **state)
{
	struct ipvs_service s = svc4();
	struct ipvs_dest d = dest4();
	struct ipvs_op del_dest = { IPVS_OP_DEL_DEST, &s, &d };
	struct ipvs_op del_svc = { IPVS_OP_DEL_SERVICE, &s, NULL };
	struct ipvs_nl_buf b = { 0 };
	struct parsed p;

	assert_int_equal(ipvs_nl_encode_op(&b, FAMILY, 1, 0, &del_dest), 0);
	parse(b.p, &p);
	assert_int_equal(p.g->cmd, IPVS_CMD_DEL_DEST);
	assert_non_null(p.dest[IPVS_DEST_ATTR_ADDR]);
	assert_null(p.dest[IPVS_DEST_ATTR_WEIGHT]);
	assert_null(p.dest[IPVS_DEST_ATTR_FWD_METHOD]);
	b.len = 0;
	assert_int_equal(ipvs_nl_encode_op(&b, FAMILY, 2, 0, &del_svc), 0);
	parse(b.p, &p);
	assert_int_equal(p.g->cmd, IPVS_CMD_DEL_SERVICE);
	assert_non_null(p.svc[IPVS_SVC_ATTR_ADDR]);
	assert_null(p.svc[IPVS_SVC_ATTR_SCHED_NAME]);
	assert_null(p.cmd[IPVS_CMD_ATTR_DEST]);
	ipvs_nl_buf_free(&b);
}

static void tunnel_dest_ipv6(void **state)
{
	struct ipvs_service s = svc4();
	struct ipvs_dest d = dest4();
	struct ipvs_op op = { IPVS_OP_EDIT_DEST, &s, &d };
	struct ipvs_nl_buf b = { 0 };
	struct parsed p;

	d.fwd = IP_VS_CONN_F_TUNNEL;
	d.tun_type = IP_VS_CONN_F_TUNNEL_TYPE_GUE;
	d.tun_port = 5555;
	d.tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
	d.addr.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &d.addr.u);
	assert_int_equal(ipvs_nl_encode_op(&b, FAMILY, 1, 0, &op), 0);
	parse(b.p, &p);
	assert_int_equal(p.g->cmd, IPVS_CMD_SET_DEST);
	assert_int_equal(nla_len(p.dest[IPVS_DEST_ATTR_ADDR]), 16);
	assert_memory_equal(nla_data(p.dest[IPVS_DEST_ATTR_ADDR]), &d.addr.u, 16);
	assert_int_equal(nla_get_u16(p.dest[IPVS_DEST_ATTR_ADDR_FAMILY]), AF_INET6);
	assert_int_equal(nla_get_u8(p.dest[IPVS_DEST_ATTR_TUN_TYPE]), IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(nla_get_u16(p.dest[IPVS_DEST_ATTR_TUN_PORT]), htons(5555));
	assert_int_equal(nla_get_u16(p.dest[IPVS_DEST_ATTR_TUN_FLAGS]), IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	ipvs_nl_buf_free(&b);
}

/* Thousands of requests in one buffer (it grows past its first 64 KiB):
 * each one whole, aligned, in order. */
static void many_requests_in_one_buffer(void **state)
{
	struct ipvs_service s = svc4();
	struct ipvs_dest d = dest4();
	struct ipvs_nl_buf b = { 0 };
	struct nlmsghdr *h;
	int len, n = 0;

	for (uint32_t i = 0; i < 3000; i++) {
		struct ipvs_op op = { i % 2 ? IPVS_OP_ADD_DEST : IPVS_OP_ADD_SERVICE, &s, &d };

		d.weight = (int32_t)i;
		assert_int_equal(ipvs_nl_encode_op(&b, FAMILY, 100 + i, 0, &op), 0);
	}
	assert_true(b.len > 65536);
	len = (int)b.len;
	for (h = (struct nlmsghdr *)b.p; NLMSG_OK(h, (unsigned)len); h = NLMSG_NEXT(h, len), n++) {
		struct parsed p;

		assert_int_equal(h->nlmsg_seq, 100 + n);
		parse(h, &p);
		if (n % 2)
			assert_int_equal(nla_get_u32(p.dest[IPVS_DEST_ATTR_WEIGHT]), n);
	}
	assert_int_equal(n, 3000);
	assert_int_equal(len, 0);
	ipvs_nl_buf_free(&b);
}

static void service_key_request(void **state)
{
	struct ipvs_service s = svc4();
	struct ipvs_nl_buf b = { 0 };
	struct parsed p;

	assert_int_equal(ipvs_nl_encode_service_key(&b, FAMILY, 9, NLM_F_DUMP, IPVS_CMD_GET_DEST, &s),
			 0);
	parse(b.p, &p);
	assert_int_equal(p.h->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	assert_int_equal(p.g->cmd, IPVS_CMD_GET_DEST);
	assert_int_equal(nla_get_u16(p.svc[IPVS_SVC_ATTR_PORT]), htons(80));
	assert_null(p.svc[IPVS_SVC_ATTR_SCHED_NAME]);
	assert_null(p.cmd[IPVS_CMD_ATTR_DEST]);
	ipvs_nl_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_dest_ipv4_nat),
		cmocka_unit_test(add_service_fwmark_with_pe),
		cmocka_unit_test(deletions_carry_keys_only),
		cmocka_unit_test(tunnel_dest_ipv6),
		cmocka_unit_test(many_requests_in_one_buffer),
		cmocka_unit_test(service_key_request),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
