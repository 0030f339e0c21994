/* ipvs_diff: the fewest operations from the kernel's table to the desired one. */
#include "build-config.h"

#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "ipvs/diff.h"

static struct ipvs_service svc(const char *addr, uint16_t port, struct ipvs_dest *d, size_t nd)
{
	struct ipvs_service s = { 0 };

	assert_int_equal(vaddr_parse(addr, &s.key.addr), 0);
	s.key.af = (uint16_t)s.key.addr.family;
	s.key.protocol = IPPROTO_TCP;
	s.key.port = port;
	strcpy(s.sched, "wlc");
	s.dests = d;
	s.ndests = nd;
	return s;
}

static struct ipvs_dest dest(const char *addr, uint16_t port, int32_t weight)
{
	struct ipvs_dest d = { 0 };

	assert_int_equal(vaddr_parse(addr, &d.addr), 0);
	d.af = (uint16_t)d.addr.family;
	d.port = port;
	d.weight = weight;
	d.fwd = IP_VS_CONN_F_MASQ;
	return d;
}

static bool own_all(const struct ipvs_service_key *k, void *data)
{
	return true;
}

static void diff(const struct ipvs_table *want, const struct ipvs_table *have, ipvs_owned_fn own,
		 struct ipvs_ops *ops)
{
	memset(ops, 0, sizeof(*ops));
	assert_int_equal(ipvs_diff(want, have, own, NULL, ops), 0);
}

static void test_empty(void **state)
{
	struct ipvs_table t = { 0 };
	struct ipvs_ops ops;

	diff(&t, &t, own_all, &ops);
	assert_int_equal(ops.n, 0);
	ipvs_ops_free(&ops);
}

static void test_from_empty_services_before_dests(void **state)
{
	struct ipvs_dest d1[] = { dest("10.0.0.1", 80, 1), dest("10.0.0.2", 80, 1) };
	struct ipvs_dest d2[] = { dest("10.0.1.1", 443, 2) };
	struct ipvs_service s[] = { svc("192.0.2.1", 80, d1, 2), svc("192.0.2.2", 443, d2, 1) };
	struct ipvs_table want = { s, 2 }, have = { 0 };
	struct ipvs_ops ops;

	diff(&want, &have, own_all, &ops);
	assert_int_equal(ops.n, 5);
	assert_int_equal(ops.v[0].type, IPVS_OP_ADD_SERVICE);
	assert_int_equal(ops.v[1].type, IPVS_OP_ADD_SERVICE);
	for (size_t i = 2; i < 5; i++)
		assert_int_equal(ops.v[i].type, IPVS_OP_ADD_DEST);
	ipvs_ops_free(&ops);
}

static void test_same_table_other_order_is_no_op(void **state)
{
	struct ipvs_dest d1[] = { dest("10.0.0.1", 80, 1), dest("10.0.0.2", 80, 1) };
	struct ipvs_dest d1r[] = { dest("10.0.0.2", 80, 1), dest("10.0.0.1", 80, 1) };
	struct ipvs_service a[] = { svc("192.0.2.1", 80, d1, 2), svc("2001:db8::1", 80, NULL, 0) };
	struct ipvs_service b[] = { svc("2001:db8::1", 80, NULL, 0), svc("192.0.2.1", 80, d1r, 2) };
	struct ipvs_table want = { a, 2 }, have = { b, 2 };
	struct ipvs_ops ops;

	/* what the kernel reports beyond what we set does not count */
	b[1].flags = IP_VS_SVC_F_HASHED;
	d1r[0].fwd |= IP_VS_CONN_F_INACTIVE;
	d1r[1].tun_port = 4242; /* meaningless for NAT */
	diff(&want, &have, own_all, &ops);
	assert_int_equal(ops.n, 0);
	ipvs_ops_free(&ops);
}

static void test_edits_not_readds(void **state)
{
	struct ipvs_dest dw[] = { dest("10.0.0.1", 80, 5), dest("10.0.0.2", 80, 1) };
	struct ipvs_dest dh[] = { dest("10.0.0.1", 80, 1), dest("10.0.0.2", 80, 1) };
	struct ipvs_service w[] = { svc("192.0.2.1", 80, dw, 2) };
	struct ipvs_service h[] = { svc("192.0.2.1", 80, dh, 2) };
	struct ipvs_table want = { w, 1 }, have = { h, 1 };
	struct ipvs_ops ops;

	strcpy(w[0].sched, "rr");
	diff(&want, &have, own_all, &ops);
	assert_int_equal(ops.n, 2);
	assert_int_equal(ops.v[0].type, IPVS_OP_EDIT_SERVICE);
	assert_int_equal(ops.v[1].type, IPVS_OP_EDIT_DEST);
	assert_int_equal(ops.v[1].dest->weight, 5);
	ipvs_ops_free(&ops);

	/* a forwarding method change is an edit too */
	strcpy(w[0].sched, "wlc");
	dw[0].weight = 1;
	dw[1].fwd = IP_VS_CONN_F_DROUTE;
	diff(&want, &have, own_all, &ops);
	assert_int_equal(ops.n, 1);
	assert_int_equal(ops.v[0].type, IPVS_OP_EDIT_DEST);
	ipvs_ops_free(&ops);
}

static void test_dest_add_and_delete(void **state)
{
	struct ipvs_dest dw[] = { dest("10.0.0.1", 80, 1), dest("10.0.0.3", 80, 1) };
	struct ipvs_dest dh[] = { dest("10.0.0.1", 80, 1), dest("10.0.0.2", 80, 1) };
	struct ipvs_service w[] = { svc("192.0.2.1", 80, dw, 2) };
	struct ipvs_service h[] = { svc("192.0.2.1", 80, dh, 2) };
	struct ipvs_table want = { w, 1 }, have = { h, 1 };
	struct ipvs_ops ops;

	diff(&want, &have, own_all, &ops);
	assert_int_equal(ops.n, 2);
	assert_int_equal(ops.v[0].type, IPVS_OP_DEL_DEST); /* deletions first */
	assert_true(vaddr_equal(&ops.v[0].dest->addr, &dh[1].addr));
	assert_int_equal(ops.v[1].type, IPVS_OP_ADD_DEST);
	assert_true(vaddr_equal(&ops.v[1].dest->addr, &dw[1].addr));
	ipvs_ops_free(&ops);
}

static bool own_port_80(const struct ipvs_service_key *k, void *data)
{
	return k->port == 80;
}

static void test_foreign_services_left_alone(void **state)
{
	struct ipvs_dest d[] = { dest("10.0.0.1", 80, 1) };
	struct ipvs_service h[] = { svc("192.0.2.1", 80, d, 1), svc("192.0.2.9", 8080, d, 1) };
	struct ipvs_table want = { 0 }, have = { h, 2 };
	struct ipvs_ops ops;

	diff(&want, &have, own_port_80, &ops);
	/* only ours goes, and as one service delete (its destinations go with it) */
	assert_int_equal(ops.n, 1);
	assert_int_equal(ops.v[0].type, IPVS_OP_DEL_SERVICE);
	assert_int_equal(ops.v[0].svc->key.port, 80);
	ipvs_ops_free(&ops);

	diff(&want, &have, NULL, &ops);
	assert_int_equal(ops.n, 0);
	ipvs_ops_free(&ops);
}

static void test_fwmark_services(void **state)
{
	struct ipvs_service a = { .key = { .af = AF_INET, .fwmark = 7 }, .sched = "rr" };
	struct ipvs_service b = { .key = { .af = AF_INET6, .fwmark = 7 }, .sched = "rr" };
	struct ipvs_table want = { &a, 1 }, have = { &b, 1 };
	struct ipvs_ops ops;
	char buf[64];

	/* same mark, other family: another service */
	diff(&want, &have, own_all, &ops);
	assert_int_equal(ops.n, 2);
	assert_int_equal(ops.v[0].type, IPVS_OP_DEL_SERVICE);
	assert_int_equal(ops.v[1].type, IPVS_OP_ADD_SERVICE);
	assert_string_equal(ipvs_key_format(&b.key, buf, sizeof(buf)), "FWM 7 (IPv6)");
	ipvs_ops_free(&ops);
}

/* 1000 services x 10 destinations, one weight changed: one operation. */
static void test_one_change_in_a_thousand(void **state)
{
	size_t n = 1000, nd = 10;
	struct ipvs_service *w = calloc(n, sizeof(*w)), *h = calloc(n, sizeof(*h));
	struct ipvs_dest *dw = calloc(n * nd, sizeof(*dw)), *dh = calloc(n * nd, sizeof(*dh));
	struct ipvs_table want = { w, n }, have = { h, n };
	struct ipvs_ops ops;
	char a[32];

	for (size_t i = 0; i < n; i++) {
		snprintf(a, sizeof(a), "10.%zu.%zu.1", i / 256, i % 256);
		for (size_t k = 0; k < nd; k++) {
			char r[32];

			snprintf(r, sizeof(r), "172.16.%zu.%zu", i % 256, k + 1);
			dw[i * nd + k] = dest(r, 80, 1);
		}
		w[i] = svc(a, 80, dw + i * nd, nd);
		/* the kernel's dump comes in another order */
		h[n - 1 - i] = w[i];
	}
	memcpy(dh, dw, n * nd * sizeof(*dh));
	for (size_t i = 0; i < n; i++)
		h[i].dests = dh + (size_t)(h[i].dests - dw);
	dw[517 * nd + 3].weight = 0; /* drain one */
	diff(&want, &have, own_all, &ops);
	assert_int_equal(ops.n, 1);
	assert_int_equal(ops.v[0].type, IPVS_OP_EDIT_DEST);
	assert_int_equal(ops.v[0].dest->weight, 0);
	ipvs_ops_free(&ops);
	free(w);
	free(h);
	free(dw);
	free(dh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_from_empty_services_before_dests),
		cmocka_unit_test(test_same_table_other_order_is_no_op),
		cmocka_unit_test(test_edits_not_readds),
		cmocka_unit_test(test_dest_add_and_delete),
		cmocka_unit_test(test_foreign_services_left_alone),
		cmocka_unit_test(test_fwmark_services),
		cmocka_unit_test(test_one_change_in_a_thousand),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
