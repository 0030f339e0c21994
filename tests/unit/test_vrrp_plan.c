/* Reload planning: which instance changes keep state, which address lines
 * are the same kernel address. Configs are loaded from strings. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/arena.h"
#include "parser/config.h"
#include "vrrp/plan.h"

struct loaded {
	struct arena *arena;
	struct diag_list dl;
	const struct vigil_config *cfg;
};

static const struct vrrp_instance_conf *load(struct loaded *l, const char *body)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n%s\n}\n", body);
	memset(l, 0, sizeof(*l));
	l->arena = arena_new(1 << 20);
	assert_int_equal(config_load_string("t.conf", text, NULL, l->arena, &l->dl, &l->cfg), 0);
	return l->cfg->vrrp.instances;
}

static void unload(struct loaded *l)
{
	arena_free(l->arena);
	diag_list_free(&l->dl);
}

/* Load two instance bodies and compare them with @cmp. */
static bool pair(bool (*cmp)(const struct vrrp_instance_conf *, const struct vrrp_instance_conf *),
		 const char *a, const char *b)
{
	struct loaded la, lb;
	bool r;

	r = cmp(load(&la, a), load(&lb, b));
	unload(&la);
	unload(&lb);
	return r;
}

static bool compatible(const char *a, const char *b)
{
	return pair(vrrp_conf_compatible, a, b);
}

#define VIP " virtual_ipaddress {\n 10.0.0.100/32\n }\n"

static void test_in_place_changes(void **state)
{
	(void)state;
	assert_true(compatible(VIP " priority 100", VIP " priority 150"));
	assert_true(compatible(VIP " advert_int 1", VIP " advert_int 2"));
	assert_true(compatible(VIP, " virtual_ipaddress {\n 10.0.0.100/32\n 10.0.0.101/32\n }\n"));
	assert_true(compatible(VIP, VIP " nopreempt"));
	assert_true(compatible(VIP " authentication {\n auth_type PASS\n auth_pass a\n }",
			       VIP " authentication {\n auth_type PASS\n auth_pass b\n }"));
	/* The same peers in another order. */
	assert_true(compatible(VIP " unicast_peer {\n 10.0.0.1\n 10.0.0.2\n }",
			       VIP " unicast_peer {\n 10.0.0.2\n 10.0.0.1\n }"));
}

static void test_restarting_changes(void **state)
{
	(void)state;
	assert_false(compatible(VIP, " virtual_router_id 52\n" VIP));
	assert_false(compatible(VIP " version 2", VIP " version 3"));
	assert_false(compatible(VIP, " interface eth1\n" VIP));
	assert_false(compatible(VIP, " virtual_ipaddress {\n fd00::1/128\n }\n"));
	assert_false(compatible(VIP, VIP " unicast_peer {\n 10.0.0.1\n }"));
	assert_false(compatible(VIP " unicast_peer {\n 10.0.0.1\n }",
				VIP " unicast_peer {\n 10.0.0.2\n }"));
	assert_false(compatible(VIP, VIP " mcast_src_ip 10.0.0.9"));
	assert_false(compatible(VIP, VIP " mcast_dst_ip 224.0.0.19"));
	/* use_vmac: added, removed, renamed, another MAC, vmac_xmit_base. */
	assert_true(compatible(VIP " use_vmac", VIP " use_vmac"));
	assert_false(compatible(VIP, VIP " use_vmac"));
	assert_false(compatible(VIP " use_vmac", VIP));
	assert_false(compatible(VIP " use_vmac vrrp51", VIP " use_vmac vmac51"));
	assert_false(compatible(VIP " use_vmac 02:00:00:00:00:33", VIP " use_vmac 02:00:00:00:00:34"));
	assert_false(compatible(VIP " use_vmac", VIP " use_vmac\n vmac_xmit_base"));
}

static bool same_router(const char *a, const char *b)
{
	return pair(vrrp_conf_same_router, a, b);
}

/* What keepalived 2.2.7's vrrp_exist() still finds across a reload. */
static void test_same_router(void **state)
{
	(void)state;
	assert_true(same_router(VIP, VIP " priority 150"));
	/* Restarted by vigil, the same router for keepalived. */
	assert_true(same_router(VIP " version 2", VIP " version 3"));
	assert_true(same_router(VIP, VIP " mcast_src_ip 10.0.0.9"));
	assert_true(same_router(VIP " unicast_peer {\n 10.0.0.1\n }",
				VIP " unicast_peer {\n 10.0.0.2\n }"));
	assert_true(same_router(VIP " use_vmac vrrp51", VIP " use_vmac vmac51"));
	/* Another router: the old one is notified as deleted. */
	assert_false(same_router(VIP, " virtual_router_id 52\n" VIP));
	assert_false(same_router(VIP, " interface eth1\n" VIP));
	assert_false(same_router(VIP, " virtual_ipaddress {\n fd00::1/128\n }\n"));
	assert_false(same_router(VIP, VIP " unicast_peer {\n 10.0.0.1\n }"));
	assert_false(same_router(VIP " unicast_src_ip 10.0.0.8\n unicast_peer {\n 10.0.0.1\n }",
				 VIP " unicast_src_ip 10.0.0.9\n unicast_peer {\n 10.0.0.1\n }"));
	assert_false(same_router(VIP, VIP " mcast_dst_ip 224.0.0.19"));
	assert_false(same_router(VIP, VIP " use_vmac"));
}

/* same(A, B): the first VIP of each body. */
static bool same(const char *a, const char *b)
{
	char ba[256], bb[256];
	struct loaded la, lb;
	bool r;

	snprintf(ba, sizeof(ba), " virtual_ipaddress {\n %s\n }\n", a);
	snprintf(bb, sizeof(bb), " virtual_ipaddress {\n %s\n }\n", b);
	r = vrrp_addr_same(load(&la, ba)->vips.first, load(&lb, bb)->vips.first);
	unload(&la);
	unload(&lb);
	return r;
}

static void test_addr_same(void **state)
{
	(void)state;
	assert_true(same("10.0.0.100/32", "10.0.0.100"));
	assert_true(same("10.0.0.100/24 dev eth0 label eth0:1", "10.0.0.100/24 dev eth0 label eth0:1"));
	assert_false(same("10.0.0.100/32", "10.0.0.101/32"));
	assert_false(same("10.0.0.100/32", "10.0.0.100/24"));
	assert_false(same("10.0.0.100/24", "10.0.0.100/24 dev eth1"));
	assert_false(same("10.0.0.100/24", "10.0.0.100/24 scope link"));
	assert_false(same("10.0.0.100/24", "10.0.0.100/24 label eth0:1"));
	assert_false(same("10.0.0.100/24", "10.0.0.100/24 brd 10.0.0.255"));
	assert_false(same("10.0.0.100/24 brd 10.0.0.255", "10.0.0.100/24 brd 10.0.0.127"));
	assert_false(same("10.0.0.100/24", "10.0.0.100/24 noprefixroute"));
}

/* blocks(BODY): whether the instance's VIPs go in the block set. */
static bool blocks(const char *body)
{
	struct loaded l;
	bool r = vrrp_conf_blocks(load(&l, body));

	unload(&l);
	return r;
}

static void test_blocks(void **state)
{
	(void)state;
	/* keepalived's default without strict mode: accept. */
	assert_false(blocks(VIP " priority 100"));
	assert_false(blocks(VIP " priority 100\n accept"));
	assert_true(blocks(VIP " priority 100\n no_accept"));
	/* Strict mode: only the address owner accepts, unless told. */
	assert_true(blocks(VIP " priority 100\n version 3\n strict_mode"));
	assert_false(blocks(VIP " priority 100\n version 3\n strict_mode\n accept"));
	assert_false(blocks(VIP " priority 255\n version 3\n strict_mode"));
	/* v2 in strict mode cannot accept (RFC 3768): reset, so it blocks. */
	assert_true(blocks(VIP " priority 100\n version 2\n strict_mode\n accept"));
	/* The owner accepts whatever it says (vrrp_handle_accept_mode()). */
	assert_false(blocks(VIP " priority 255\n no_accept"));
}

static void test_blocks_addr(void **state)
{
	struct loaded l;
	const struct vrrp_instance_conf *c = load(&l, VIP " priority 100\n no_accept\n"
					   " virtual_ipaddress_excluded {\n fd00::7/64\n }\n");
	struct vaddr a;

	(void)state;
	assert_int_equal(vaddr_parse("10.0.0.100", &a), 0);
	assert_true(vrrp_conf_blocks_addr(c, &a));
	assert_int_equal(vaddr_parse("fd00::7", &a), 0);
	assert_true(vrrp_conf_blocks_addr(c, &a));
	/* Left by a removed instance: nobody's. */
	assert_int_equal(vaddr_parse("10.0.0.101", &a), 0);
	assert_false(vrrp_conf_blocks_addr(c, &a));
	unload(&l);
	/* The instance now accepts: its VIP is no longer the set's. */
	c = load(&l, VIP " priority 100\n accept");
	assert_int_equal(vaddr_parse("10.0.0.100", &a), 0);
	assert_false(vrrp_conf_blocks_addr(c, &a));
	unload(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_in_place_changes),
	    cmocka_unit_test(test_restarting_changes),
	    cmocka_unit_test(test_same_router),
	    cmocka_unit_test(test_addr_same),
	    cmocka_unit_test(test_blocks),
	    cmocka_unit_test(test_blocks_addr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
