/* use_vmac's pure rules: the macvlan's MAC (RFC 9568 §7.3) and names (as
 * keepalived 2.2.7 makes them), what to do with an interface already there
 * under a name. Configs are loaded from strings. */
#include "build-config.h"

#include <errno.h>
#include <linux/if_link.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/arena.h"
#include "parser/config.h"
#include "vrrp/vmac.h"
#include "vrrp/vmac_sysctl.h"

struct loaded {
	struct arena *arena;
	struct diag_list dl;
	const struct vigil_config *cfg;
};

static const struct vrrp_instance_conf *load(struct loaded *l, const char *body)
{
	char text[1024];

	snprintf(text, sizeof(text), "%s\nvrrp_instance VI_1 {\n interface eth0\n%s\n}\n",
		 strstr(body, "PREFIX") ? "global_defs {\n vmac_prefix vm\n}" : "", body);
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

static void mac_of(const char *body, uint8_t mac[6])
{
	struct loaded l;

	vrrp_vmac_conf_mac(load(&l, body), mac);
	unload(&l);
}

static void test_mac(void **state)
{
	static const uint8_t v4[6] = {0x00, 0x00, 0x5e, 0x00, 0x01, 51};
	static const uint8_t v6[6] = {0x00, 0x00, 0x5e, 0x00, 0x02, 200};
	static const uint8_t given[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
	static const uint8_t five[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 7};
	uint8_t mac[6];

	(void)state;
	mac_of(" virtual_router_id 51\n use_vmac\n virtual_ipaddress {\n 10.0.0.1\n }", mac);
	assert_memory_equal(mac, v4, 6);
	mac_of(" virtual_router_id 200\n use_vmac\n virtual_ipaddress {\n fd00::1\n }", mac);
	assert_memory_equal(mac, v6, 6);
	mac_of(" virtual_router_id 51\n use_vmac 02:11:22:33:44:55\n"
	       " virtual_ipaddress {\n 10.0.0.1\n }",
	       mac);
	assert_memory_equal(mac, given, 6);
	/* Five octets: the VRID is the sixth (keepalived.conf(5)). */
	mac_of(
	    " virtual_router_id 7\n use_vmac 02:11:22:33:44\n virtual_ipaddress {\n 10.0.0.1\n }",
	    mac);
	assert_memory_equal(mac, five, 6);
}

static int name_of(const char *body, const char *prefix, unsigned n, char *buf, size_t len)
{
	struct loaded l;
	int rc;

	rc = vrrp_vmac_candidate(load(&l, body), prefix, n, buf, len);
	unload(&l);
	return rc;
}

#define PLAIN " virtual_router_id 51\n use_vmac\n virtual_ipaddress {\n 10.0.0.1\n }"
#define NAMED " virtual_router_id 51\n use_vmac vmac-web\n virtual_ipaddress {\n 10.0.0.1\n }"

static void test_candidates(void **state)
{
	char name[IF_NAMESIZE];

	(void)state;
	/* keepalived 2.2.7: vrrp.51, then vrrp1.51, vrrp2.51, ... */
	assert_int_equal(name_of(PLAIN, NULL, 0, name, sizeof(name)), 0);
	assert_string_equal(name, "vrrp.51");
	assert_int_equal(name_of(PLAIN, NULL, 1, name, sizeof(name)), 0);
	assert_string_equal(name, "vrrp1.51");
	assert_int_equal(name_of(PLAIN, "vm", 2, name, sizeof(name)), 0);
	assert_string_equal(name, "vm2.51");
	assert_int_equal(name_of(PLAIN, NULL, VRRP_VMAC_MAX_TRIES, name, sizeof(name)), -ERANGE);
	/* use_vmac's name first, then the generated ones. */
	assert_int_equal(name_of(NAMED, "vrrp", 0, name, sizeof(name)), 0);
	assert_string_equal(name, "vmac-web");
	assert_int_equal(name_of(NAMED, "vrrp", 1, name, sizeof(name)), 0);
	assert_string_equal(name, "vrrp.51");
	assert_int_equal(name_of(NAMED, "vrrp", 2, name, sizeof(name)), 0);
	assert_string_equal(name, "vrrp1.51");
	/* A prefix too long for an interface name: skipped, not the end. */
	assert_int_equal(name_of(PLAIN, "a-very-long-pfx", 0, name, sizeof(name)), -ENAMETOOLONG);
}

static void test_judge(void **state)
{
	static const uint8_t mac[6] = {0x00, 0x00, 0x5e, 0x00, 0x01, 51};
	struct vrrp_vmac_found f = {0};

	(void)state;
	assert_int_equal(vrrp_vmac_judge(&f, 2, mac, false), VRRP_VMAC_CREATE);
	f.exists = true;
	f.is_macvlan = true;
	f.link_ifindex = 2;
	f.mode = MACVLAN_MODE_PRIVATE;
	memcpy(f.mac, mac, 6);
	assert_int_equal(vrrp_vmac_judge(&f, 2, mac, false), VRRP_VMAC_ADOPT);
	assert_int_equal(vrrp_vmac_judge(&f, 2, mac, true), VRRP_VMAC_ADOPT);
	/* On our base, not as we make it: use_vmac's own name is updated, a
	 * generated one passed over. */
	f.mode = MACVLAN_MODE_BRIDGE;
	assert_int_equal(vrrp_vmac_judge(&f, 2, mac, true), VRRP_VMAC_UPDATE);
	assert_int_equal(vrrp_vmac_judge(&f, 2, mac, false), VRRP_VMAC_NEXT);
	f.mode = MACVLAN_MODE_PRIVATE;
	f.mac[5] = 52;
	assert_int_equal(vrrp_vmac_judge(&f, 2, mac, true), VRRP_VMAC_UPDATE);
	assert_int_equal(vrrp_vmac_judge(&f, 2, mac, false), VRRP_VMAC_NEXT);
	/* On another base, or not a macvlan: never touched. */
	memcpy(f.mac, mac, 6);
	assert_int_equal(vrrp_vmac_judge(&f, 3, mac, true), VRRP_VMAC_NEXT);
	f.is_macvlan = false;
	assert_int_equal(vrrp_vmac_judge(&f, 2, mac, true), VRRP_VMAC_NEXT);
}

static void test_rp_filter_merge(void **state)
{
	(void)state;
	/* The value the kernel was using: max(all, interface). */
	assert_int_equal(vrrp_rp_filter_merge(0, 1), 1);
	assert_int_equal(vrrp_rp_filter_merge(0, 2), 2);
	assert_int_equal(vrrp_rp_filter_merge(1, 2), 2);
	assert_int_equal(vrrp_rp_filter_merge(2, 1), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mac),	       cmocka_unit_test(test_candidates),
	    cmocka_unit_test(test_judge),      cmocka_unit_test(test_rp_filter_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
