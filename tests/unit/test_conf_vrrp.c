/* The VRRP and global config model: keywords, defaults, inheritance from
 * global_defs, and the rules keepalived 2.2.7's config test enforces. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "parser/config.h"

struct loaded {
	struct arena *arena;
	struct diag_list dl;
	const struct vigil_config *cfg;
	int rc;
};

static struct loaded *load(const char *text)
{
	static struct loaded l;

	arena_free(l.arena);
	diag_list_free(&l.dl);
	memset(&l, 0, sizeof(l));
	l.arena = arena_new(1 << 24);
	assert_non_null(l.arena);
	l.rc = config_load_string("t.conf", text, NULL, l.arena, &l.dl, &l.cfg);
	return &l;
}

/* The diagnostic containing @needle, formatted "file:line:col: level: msg". */
static const char *diag_text(const struct loaded *l, const char *needle)
{
	static char buf[512];
	int i = diag_find(&l->dl, needle);

	if (i < 0) {
		diag_print(&l->dl, stderr);
		fail_msg("no diagnostic containing '%s'", needle);
	}
	return diag_format(&l->dl.v[i], buf, sizeof(buf));
}

#define INSTANCE(body, vips)                                                               \
	"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n" body                \
	" virtual_ipaddress {\n" vips " }\n}\n"

static void test_instance_defaults(void **state)
{
	struct loaded *l = load(INSTANCE("", "  10.0.0.1/24\n"));
	const struct vrrp_instance_conf *vi;

	(void)state;
	assert_int_equal(l->rc, 0);
	assert_int_equal(l->cfg->vrrp.n_instances, 1);
	vi = l->cfg->vrrp.instances;
	assert_string_equal(vi->name, "VI_1");
	assert_string_equal(vi->interface, "eth0");
	assert_int_equal(vi->vrid, 51);
	assert_int_equal(vi->priority, 100);
	assert_int_equal(vi->advert_int_us, 1000000);
	assert_int_equal(vi->version, 2);
	assert_int_equal(vi->family, AF_INET);
	assert_int_equal(vi->state, VRRP_INIT_BACKUP);
	assert_true(vi->accept);
	assert_false(vi->strict_mode);
	assert_false(vi->nopreempt);
	assert_int_equal(vi->garp.master_delay_us, 5000000);
	assert_int_equal(vi->garp.master_repeat, 5);
	assert_int_equal(vi->garp.lower_prio_delay_us, 5000000);
	assert_int_equal(vi->garp.lower_prio_repeat, 5);
	assert_int_equal(vi->garp.master_refresh_repeat, 1);
	assert_int_equal(vi->down_timer_adverts, 3);
	assert_int_equal(vi->vips.n, 1);
	assert_int_equal(vi->vips.first->prefix, 24);
	assert_int_equal(vi->loc.line, 1);
	assert_int_equal(vi->mcast_dst.family, AF_INET);
	assert_int_equal(ntohl(vi->mcast_dst.u.v4.s_addr), 0xe0000012); /* 224.0.0.18 */
}

static void test_instance_keywords(void **state)
{
	struct loaded *l = load(INSTANCE(
		" state MASTER\n priority 150\n advert_int 0.01\n version 3\n nopreempt\n"
		" preempt_delay 2.5\n no_accept\n unicast_src_ip 10.0.0.5\n"
		" unicast_peer {\n  10.0.0.6 min_ttl 250\n  10.0.0.7\n }\n"
		" notify_master \"/bin/echo master\" root\n use_vmac vrrp51\n vmac_xmit_base\n"
		" garp_master_delay 1\n garp_master_repeat 2\n dont_track_primary\n",
		"  10.0.0.1/24 dev eth0 label eth0:1 scope link\n"));
	const struct vrrp_instance_conf *vi;

	(void)state;
	assert_int_equal(l->rc, 0);
	vi = l->cfg->vrrp.instances;
	assert_int_equal(vi->state, VRRP_INIT_MASTER);
	assert_int_equal(vi->priority, 150);
	assert_int_equal(vi->advert_int_us, 10000);
	assert_int_equal(vi->version, 3);
	assert_true(vi->nopreempt);
	assert_int_equal(vi->preempt_delay_us, 2500000);
	assert_false(vi->accept);
	assert_int_equal(vi->src_addr.family, AF_INET);
	assert_int_equal(vi->n_peers, 2);
	assert_int_equal(vi->peers->min_ttl, 250);
	assert_int_equal(vi->peers->max_ttl, -1);
	assert_true(vi->check_unicast_src);
	assert_string_equal(vi->notify.master->cmd, "/bin/echo master");
	assert_string_equal(vi->notify.master->user, "root");
	assert_true(vi->use_vmac);
	assert_string_equal(vi->vmac_ifname, "vrrp51");
	assert_true(vi->vmac_xmit_base);
	assert_int_equal(vi->garp.master_delay_us, 1000000);
	/* The lower-priority burst follows the instance's own master values. */
	assert_int_equal(vi->garp.lower_prio_delay_us, 1000000);
	assert_int_equal(vi->garp.lower_prio_repeat, 2);
	assert_true(vi->dont_track_primary);
	assert_string_equal(vi->vips.first->dev, "eth0");
	assert_string_equal(vi->vips.first->label, "eth0:1");
	assert_int_equal(vi->vips.first->scope, 253);
}

static void test_global_inheritance(void **state)
{
	struct loaded *l = load("global_defs {\n vrrp_version 3\n vrrp_garp_master_delay 7\n"
				" vrrp_garp_master_repeat 3\n vrrp_strict\n script_user nobody\n"
				" vrrp_mcast_group4 224.0.0.100\n router_id lb1\n}\n"
				"vrrp_script chk {\n script \"/bin/true\"\n}\n" INSTANCE(
					" priority 255\n track_script {\n  chk\n }\n",
					"  10.0.0.1\n"));
	const struct vrrp_instance_conf *vi;

	(void)state;
	assert_int_equal(l->rc, 0);
	assert_string_equal(l->cfg->global.router_id, "lb1");
	vi = l->cfg->vrrp.instances;
	assert_int_equal(vi->version, 3);
	assert_int_equal(vi->garp.master_delay_us, 7000000);
	assert_int_equal(vi->garp.master_repeat, 3);
	assert_int_equal(vi->garp.lower_prio_repeat, 3);
	assert_true(vi->strict_mode);
	assert_true(vi->accept); /* strict: only the address owner accepts */
	assert_true(vi->lower_prio_no_advert);
	assert_int_equal(ntohl(vi->mcast_dst.u.v4.s_addr), 0xe0000064);
	assert_non_null(vi->track.scripts.first->script);
	assert_string_equal(l->cfg->vrrp.scripts->user, "nobody");
	assert_int_equal(l->cfg->vrrp.scripts->interval_us, 1000000);
	assert_int_equal(l->cfg->vrrp.scripts->timeout_us, 1000000);
}

/* What strict mode resets, as keepalived 2.2.7 does (its -t fails). */
static void test_strict_resets(void **state)
{
	struct loaded *l = load(INSTANCE(" priority 100\n version 2\n strict_mode\n accept\n"
					 " lower_prio_no_advert false\n higher_prio_send_advert\n",
					 "  10.0.0.1\n"));
	const struct vrrp_instance_conf *vi = l->cfg->vrrp.instances;

	(void)state;
	assert_false(vi->accept);
	assert_true(vi->lower_prio_no_advert);
	assert_false(vi->higher_prio_send_advert);
	assert_int_equal(l->dl.strict, 3);
	assert_non_null(strstr(diag_text(l, "does not comply with RFC 3768"), "t.conf:1:1:"));
	diag_text(l, "requires lower_prio_no_advert");
	diag_text(l, "requires higher_prio_send_advert to be clear");

	/* v3 may accept in strict mode; defaults need no reset. */
	l = load(INSTANCE(" priority 100\n version 3\n strict_mode\n accept\n", "  10.0.0.1\n"));
	vi = l->cfg->vrrp.instances;
	assert_true(vi->accept);
	assert_true(vi->lower_prio_no_advert);
	assert_int_equal(l->dl.strict, 0);
	l = load(INSTANCE(" priority 100\n version 3\n strict_mode\n", "  10.0.0.1\n"));
	assert_false(l->cfg->vrrp.instances->accept);
}

static void test_ipv6_forces_v3(void **state)
{
	struct loaded *l = load(INSTANCE(" version 2\n", "  fe80::1/64\n"));

	(void)state;
	assert_int_equal(l->rc, 0);
	assert_int_equal(l->cfg->vrrp.instances->family, AF_INET6);
	assert_int_equal(l->cfg->vrrp.instances->version, 3);
	assert_string_equal(diag_text(l, "VRRPv2 is IPv4 only"),
			    "t.conf:1:1: warning: (VI_1) VRRPv2 is IPv4 only; using version 3");
}

/* Each rejected config, with the diagnostic keepalived's rule produces. */
struct reject_case {
	const char *text;
	const char *expect; /* full "file:line:col: error: ..." prefix */
};

static void test_rejections(void **state)
{
	static const struct reject_case cases[] = {
		{ INSTANCE(" priority 0\n", "  10.0.0.1\n"),
		  "t.conf:4:11: error: 'priority' value 0 is out of range [1, 255]" },
		{ INSTANCE(" virtual_router_id 256\n", "  10.0.0.1\n"),
		  "t.conf:4:20: error: 'virtual_router_id' value 256 is out of range [1, 255]" },
		{ INSTANCE(" advert_int 1.5\n", "  10.0.0.1\n"),
		  "t.conf:1:1: error: (VI_1) VRRPv2 advert_int must be a whole number" },
		{ INSTANCE(" version 3\n advert_int 41\n", "  10.0.0.1\n"),
		  "t.conf:1:1: error: (VI_1) VRRPv3 advert_int must be at most 40.95 s" },
		{ INSTANCE(" authentication {\n  auth_type PASS\n  auth_pass 123456789\n }\n",
			   "  10.0.0.1\n"),
		  "t.conf:6:13: error: auth_pass is longer than 8 characters" },
		{ INSTANCE(" version 3\n authentication {\n  auth_type AH\n  auth_pass x\n }\n",
			   "  10.0.0.1\n"),
		  "t.conf:1:1: error: (VI_1) VRRPv3 has no authentication" },
		{ INSTANCE("", "  10.0.0.1\n  fe80::1\n"),
		  "t.conf:6:3: error: (VI_1) all virtual_ipaddress entries must be of one" },
		{ INSTANCE("", ""), "t.conf:1:1: error: (VI_1) no virtual_ipaddress" },
		{ "vrrp_instance X {\n virtual_router_id 5\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n",
		  "t.conf:1:1: error: (X) 'interface' is required" },
		{ "vrrp_instance X {\n interface eth0\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n",
		  "t.conf:1:1: error: (X) virtual_router_id is required" },
		{ INSTANCE(" track_script {\n  nope\n }\n", "  10.0.0.1\n"),
		  "t.conf:5:3: error: VI_1: track_script 'nope' is not a vrrp_script" },
		{ INSTANCE("", "  10.0.0.1\n") INSTANCE("", "  10.0.0.2\n"),
		  "t.conf:8:15: error: vrrp_instance 'VI_1' is already defined" },
		{ INSTANCE("", "  10.0.0.1/24 scope galaxy\n"),
		  "t.conf:5:21: error: invalid scope 'galaxy'" },
		{ INSTANCE("", "  10.0.0.1/24 foo\n"),
		  "t.conf:5:15: error: unknown option 'foo' for an address" },
		{ INSTANCE(" virtual_rules {\n  from 10.1.0.0/16 table 5\n }\n", "  10.0.0.1\n"),
		  "t.conf:5:3: error: rule has no preference" },
		{ INSTANCE(" virtual_routes {\n  10.9.0.0/16 via 10.0.0.1\n }\n", "  10.0.0.1\n"),
		  "t.conf:5:3: error: route has no 'dev'" },
		{ "vrrp_sync_group G {\n group {\n  VI_1\n  VI_X\n }\n}\n" INSTANCE("", "  10.0.0.1\n"),
		  "t.conf:4:3: error: sync group G: no vrrp_instance 'VI_X'" },
		{ "vrrp_sync_group G {\n group {\n  VI_1\n }\n}\nvrrp_sync_group H {\n group {\n"
		  "  VI_1\n }\n}\n" INSTANCE("", "  10.0.0.1\n"),
		  "t.conf:8:3: error: vrrp_instance VI_1 is already in sync group G" },
		{ "vrrp_script s {\n interval 2\n}\n", "t.conf:1:13: error: vrrp_script 's' has no" },
		{ "vrrp_script s {\n script x\n weight 254\n}\n",
		  "t.conf:3:9: error: 'weight' value 254 is out of range [-253, 253]" },
		{ "global_defs {\n vrrp_version 4\n}\n",
		  "t.conf:2:15: error: 'vrrp_version' value 4 is out of range [2, 3]" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct loaded *l = load(cases[i].text);
		int k = -1;
		char buf[512];

		for (size_t d = 0; d < l->dl.n; d++)
			if (!strncmp(diag_format(&l->dl.v[d], buf, sizeof(buf)), cases[i].expect,
				     strlen(cases[i].expect)))
				k = (int)d;
		if (k < 0 || l->rc == 0) {
			diag_print(&l->dl, stderr);
			fail_msg("case %zu: expected rejection with '%s'", i, cases[i].expect);
		}
	}
}

static void test_duplicates_warn(void **state)
{
	struct loaded *l = load(INSTANCE(" unicast_peer {\n  10.0.0.2\n  10.0.0.2\n }\n",
					 "  10.0.0.1/24\n  10.0.0.1/24\n"));

	(void)state;
	assert_int_equal(l->rc, 0);
	assert_int_equal(l->cfg->vrrp.instances->n_peers, 1);
	assert_int_equal(l->cfg->vrrp.instances->vips.n, 1);
	assert_true(diag_find(&l->dl, "duplicate unicast_peer 10.0.0.2") >= 0);
	assert_true(diag_find(&l->dl, "duplicate virtual_ipaddress") >= 0);
}

/* keepalived fixes these up and runs, but its -t fails (DIAG_STRICT). */
static void test_fixups_fail_the_test(void **state)
{
	struct loaded *l = load(INSTANCE(" state MASTER\n authentication {\n  auth_type AH\n"
					 "  auth_pass x\n }\n", "  10.0.0.1\n"));

	(void)state;
	assert_int_equal(l->rc, 0);
	assert_int_equal(l->cfg->vrrp.instances->state, VRRP_INIT_BACKUP);
	assert_int_equal(l->dl.strict, 1);
	assert_int_equal(l->dl.unknown, 0);
	assert_true(diag_fails_test(&l->dl));
	assert_string_equal(diag_text(l, "AH"),
			    "t.conf:1:1: warning: (VI_1) initial state MASTER is incompatible with "
			    "AH authentication; starting as BACKUP");
}

/* notify_deleted, bare or with a script: DELETED instead of FAULT. */
static void test_notify_deleted(void **state)
{
	struct loaded *l = load(INSTANCE(" notify_deleted\n", "  10.0.0.1\n"));

	(void)state;
	assert_int_equal(l->rc, 0);
	assert_true(l->cfg->vrrp.instances->notify_deleted);
	assert_null(l->cfg->vrrp.instances->notify.deleted);
	l = load(INSTANCE(" notify_deleted \"/bin/echo gone\" root\n", "  10.0.0.1\n"));
	assert_int_equal(l->rc, 0);
	assert_true(l->cfg->vrrp.instances->notify_deleted);
	assert_string_equal(l->cfg->vrrp.instances->notify.deleted->cmd, "/bin/echo gone");
	l = load(INSTANCE("", "  10.0.0.1\n"));
	assert_false(l->cfg->vrrp.instances->notify_deleted);
}

/* vrrp_rt_priority 0 / off turns vigil's default real-time scheduling off;
 * keepalived 2.2.7's -t rejects both, hence DIAG_STRICT. */
static void test_rt_priority_off(void **state)
{
	static const char *const offs[] = {"off", "0"};
	struct loaded *l;

	(void)state;
	for (unsigned i = 0; i < 2; i++) {
		char text[256];

		snprintf(text, sizeof(text), "global_defs {\n vrrp_rt_priority %s\n}\n", offs[i]);
		l = load(text);
		assert_int_equal(l->rc, 0);
		assert_true(l->cfg->global.vrrp_rt_off);
		assert_int_equal(l->dl.strict, 1);
		assert_non_null(diag_text(l, "real-time scheduling is off"));
	}
	l = load("global_defs {\n vrrp_rt_priority 20\n vrrp_priority -5\n vrrp_no_swap\n}\n");
	assert_int_equal(l->rc, 0);
	assert_false(l->cfg->global.vrrp_rt_off);
	assert_int_equal(l->cfg->global.vrrp_rt_priority, 20);
	assert_int_equal(l->cfg->global.vrrp_priority, -5);
	assert_true(l->cfg->global.vrrp_no_swap);
	assert_int_equal(l->dl.strict, 0);
	l = load("global_defs {\n vrrp_rt_priority 100\n}\n");
	assert_int_not_equal(l->rc, 0);
}

/* Names are indexed, not scanned: thousands of objects, each name found. */
static void test_many_objects(void **state)
{
	enum { N = 3000 };
	size_t cap = (size_t)N * 220, used = 0;
	char *text = malloc(cap);
	const struct vrrp_instance_conf *vi;
	struct loaded *l;
	unsigned i = 0;

	(void)state;
	assert_non_null(text);
	for (unsigned k = 0; k < N; k++)
		used += (size_t)snprintf(text + used, cap - used,
					 "vrrp_script s%u {\n script /bin/true\n weight %u\n}\n", k,
					 k % 200);
	for (unsigned k = 0; k < N; k++)
		used += (size_t)snprintf(text + used, cap - used,
					 "vrrp_instance v%u {\n interface e%u\n virtual_router_id "
					 "%u\n virtual_ipaddress {\n 10.0.0.1\n }\n track_script {\n"
					 "  s%u\n }\n}\n", k, k / 250, k % 250 + 1, N - 1 - k);
	l = load(text);
	assert_int_equal(l->rc, 0);
	assert_int_equal(l->cfg->vrrp.n_instances, N);
	for (vi = l->cfg->vrrp.instances; vi; vi = vi->next, i++) {
		char want[16];

		snprintf(want, sizeof(want), "s%u", N - 1 - i);
		assert_string_equal(vi->track.scripts.first->script->name, want);
		assert_int_equal(vi->track.scripts.first->weight, (N - 1 - i) % 200);
	}
	assert_int_equal(i, N);

	snprintf(text + used, cap - used, "vrrp_script s17 {\n script x\n}\n"
		 "vrrp_instance v%u {\n}\n", N - 1);
	l = load(text);
	free(text);
	assert_null(l->cfg);
	assert_int_equal(l->dl.errors, 2);
	assert_true(diag_find(&l->dl, "vrrp_script 's17' is already defined") >= 0);
	assert_true(diag_find(&l->dl, "vrrp_instance 'v2999' is already defined") >= 0);
	l = load("vrrp_script a {\n script x\n weight 3\n}\n"
		 INSTANCE(" track_script {\n  a\n }\n", "  10.0.0.1\n")
		 "vrrp_instance VI_2 {\n interface eth0\n virtual_router_id 51\n"
		 " virtual_ipaddress {\n  10.0.0.2\n }\n}\n");
	assert_int_equal(l->dl.errors, 1);
	assert_true(diag_find(&l->dl, "VI_1 and VI_2 both use VRID 51") >= 0);
}

static void test_unknown_and_ignored(void **state)
{
	struct loaded *l = load("global_defs {\n enable_snmp_vrrp\n router_idd x\n}\n");

	(void)state;
	assert_int_equal(l->dl.unknown, 1);
	assert_string_equal(diag_text(l, "router_idd"),
			    "t.conf:3:2: warning: unknown keyword 'router_idd' in global_defs "
			    "(did you mean 'router_id'?)");
	assert_true(diag_find(&l->dl, "'enable_snmp_vrrp' is accepted but not supported") >= 0);

	/* The lexer applies these two as it reads them: nothing more to say. */
	l = load("global_defs {\n include_check +match\n random_seed 12\n}\n");
	assert_int_equal(l->dl.n, 0);
	assert_int_equal(l->cfg->global.random_seed, 12);
}

static void test_tracked_objects(void **state)
{
	struct loaded *l = load(
		"track_file tf {\n file /run/tf\n weight -3 reverse\n init_file 7 overwrite\n}\n"
		"vrrp_track_process tp {\n process haproxy -f x\n quorum 2\n delay 0.5\n}\n"
		"vrrp_sync_group G {\n group {\n  VI_1\n }\n notify_master /bin/m\n}\n"
		INSTANCE(" track_file {\n  tf\n }\n track_process {\n  tp weight 10\n }\n"
			 " track_interface {\n  eth1 weight 5\n }\n", "  10.0.0.1\n"));
	const struct vrrp_conf *v;
	const struct vrrp_instance_conf *vi;

	(void)state;
	assert_int_equal(l->rc, 0);
	v = &l->cfg->vrrp;
	assert_int_equal(v->track_files->weight, -3);
	assert_true(v->track_files->weight_reverse);
	assert_int_equal(v->track_files->init_value, 7);
	assert_true(v->track_files->init_overwrite);
	assert_int_equal(v->track_processes->n_params, 2);
	assert_int_equal(v->track_processes->param_match, VRRP_PARAM_MATCH_EXACT);
	assert_int_equal(v->track_processes->quorum, 2);
	assert_int_equal(v->track_processes->terminate_delay_us, 500000);
	vi = v->instances;
	assert_ptr_equal(vi->sync_group, v->sync_groups);
	assert_ptr_equal(v->sync_groups->members->instance, vi);
	assert_ptr_equal(vi->track.files.first->file, v->track_files);
	/* Sync group members' weights are zeroed, as keepalived does. */
	assert_int_equal(vi->track.processes.first->weight, 0);
	assert_int_equal(vi->track.interfaces.first->weight, 0);
	assert_string_equal(v->sync_groups->notify.master->cmd, "/bin/m");
}

static void test_static_blocks(void **state)
{
	struct loaded *l = load(
		"static_ipaddress {\n 192.168.1.1/24 dev eth0 scope global track_group G\n}\n"
		"static_routes {\n 10.2.0.0/16 via 192.168.1.254 dev eth0 table 100 metric 7\n}\n"
		"static_rules {\n from 10.1.0.0/16 table 100 preference 5 fwmark 3/0xff\n}\n"
		"linkbeat_interfaces {\n eth0\n eth1 ETHTOOL\n}\n"
		"interface_up_down_delays {\n eth0 0.5 2\n}\n"
		"garp_group {\n garp_interval 0.01\n interface eth0\n}\n");
	const struct vrrp_conf *v;

	(void)state;
	assert_int_equal(l->rc, 0);
	v = &l->cfg->vrrp;
	assert_string_equal(v->static_addresses.first->track_group, "G");
	assert_int_equal(v->static_routes.first->table, 100);
	assert_int_equal(v->static_routes.first->metric, 7);
	assert_int_equal(v->static_routes.first->via.family, AF_INET);
	assert_int_equal(v->static_rules.first->preference, 5);
	assert_int_equal(v->static_rules.first->fwmark, 3);
	assert_int_equal(v->static_rules.first->fwmask, 0xff);
	assert_int_equal(v->n_linkbeat, 2);
	assert_int_equal(v->linkbeat->next->type, VRRP_LINKBEAT_ETHTOOL);
	assert_int_equal(v->if_delays->down_us, 500000);
	assert_int_equal(v->if_delays->up_us, 2000000);
	assert_int_equal(v->garp_groups->garp_interval_us, 10000);
}

/* vrrp_ipsets: omitted names derived as keepalived 2.2.7 derives them;
 * none, or names the kernel would refuse, leave vigil's own. */
static void test_vrrp_ipsets(void **state)
{
	struct loaded *l = load("global_defs {\n vrrp_ipsets blk\n}\n");
	const struct global_conf *g;

	(void)state;
	assert_int_equal(l->rc, 0);
	g = &l->cfg->global;
	assert_string_equal(g->vrrp_ipset4, "blk");
	assert_string_equal(g->vrrp_ipset6, "blk6");
	assert_string_equal(g->vrrp_ipset_if6, "blk_if6");
	l = load("global_defs {\n vrrp_ipsets a b c a_igmp a_mld\n}\n");
	g = &l->cfg->global;
	assert_int_equal(l->rc, 0);
	assert_string_equal(g->vrrp_ipset6, "b");
	assert_string_equal(g->vrrp_ipset_if6, "c");
	l = load("global_defs {\n vrrp_ipsets\n}\n");
	assert_null(l->cfg->global.vrrp_ipset4);
	assert_non_null(diag_text(l, "vrrp_ipsets without names"));
	/* 30 characters fit; 30 + "6" does not. */
	l = load("global_defs {\n vrrp_ipsets abcdefghijabcdefghijabcdefghij\n}\n");
	assert_null(l->cfg ? l->cfg->global.vrrp_ipset4 : NULL);
	assert_non_null(diag_text(l, "too long"));
	l = load("global_defs {\n vrrp_ipsets a a\n}\n");
	assert_null(l->cfg ? l->cfg->global.vrrp_ipset4 : NULL);
	assert_non_null(diag_text(l, "must differ"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instance_defaults),
		cmocka_unit_test(test_instance_keywords),
		cmocka_unit_test(test_global_inheritance),
		cmocka_unit_test(test_ipv6_forces_v3),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_duplicates_warn),
		cmocka_unit_test(test_fixups_fail_the_test),
		cmocka_unit_test(test_rt_priority_off),
		cmocka_unit_test(test_notify_deleted),
		cmocka_unit_test(test_many_objects),
		cmocka_unit_test(test_unknown_and_ignored),
		cmocka_unit_test(test_tracked_objects),
		cmocka_unit_test(test_static_blocks),
		cmocka_unit_test(test_strict_resets),
		cmocka_unit_test(test_vrrp_ipsets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
