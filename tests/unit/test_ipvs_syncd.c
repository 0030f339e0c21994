/* The LVS globals: their config model (lvs_timeouts, lvs_flush,
 * lvs_flush_on_stop, lvs_sync_daemon with keepalived 2.2.7's grammar) and
 * the pure planning of timeouts and sync daemons (ipvs/syncd.h). */
#include "build-config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ipvs/syncd.h"
#include "parser/config.h"

struct fixture {
	struct arena *arena;
	struct diag_list dl;
	const struct vigil_config *cfg;
	int rc;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->arena = arena_new(16 << 20);
	*state = f;
	return f->arena ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	diag_list_free(&f->dl);
	arena_free(f->arena);
	free(f);
	return 0;
}

static const struct global_conf *load(struct fixture *f, const char *text)
{
	diag_list_free(&f->dl);
	f->cfg = NULL;
	f->rc = config_load_string("t.conf", text, NULL, f->arena, &f->dl, &f->cfg);
	return f->cfg ? &f->cfg->global : NULL;
}

static bool has_diag(struct fixture *f, const char *needle)
{
	return diag_find(&f->dl, needle) >= 0;
}

#define INSTANCE                                                                              \
	"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 42\n priority 100\n"      \
	" virtual_ipaddress {\n  10.0.0.100\n }\n}\n"

static void test_defaults(void **state)
{
	const struct global_conf *g = load(*state, "global_defs {\n router_id a\n}\n");

	assert_non_null(g);
	assert_int_equal(g->lvs_timeouts.tcp_s + g->lvs_timeouts.tcpfin_s + g->lvs_timeouts.udp_s, 0);
	assert_false(g->lvs_flush);
	assert_int_equal(g->lvs_flush_on_stop, GLOBAL_LVS_STOP_OWN);
	assert_null(g->lvs_syncd.ifname);
}

static void test_timeouts_flush(void **state)
{
	struct fixture *f = *state;
	const struct global_conf *g =
	    load(f, "global_defs {\n lvs_timeouts udp 200 tcp 1000\n lvs_flush\n"
		    " lvs_flush_on_stop\n}\n");

	assert_non_null(g);
	assert_int_equal(g->lvs_timeouts.tcp_s, 1000);
	assert_int_equal(g->lvs_timeouts.tcpfin_s, 0);
	assert_int_equal(g->lvs_timeouts.udp_s, 200);
	assert_true(g->lvs_flush);
	assert_int_equal(g->lvs_flush_on_stop, GLOBAL_LVS_STOP_FLUSH);

	g = load(f, "global_defs {\n lvs_flush_on_stop VS\n}\n");
	assert_int_equal(g->lvs_flush_on_stop, GLOBAL_LVS_STOP_OWN);
	g = load(f, "global_defs {\n lvs_flush_onstop\n}\n");
	assert_int_equal(g->lvs_flush_on_stop, GLOBAL_LVS_STOP_FLUSH);

	load(f, "global_defs {\n lvs_flush_on_stop RS\n}\n");
	assert_int_not_equal(f->rc, 0);
	assert_true(has_diag(f, "unknown lvs_flush_on_stop type 'RS'"));
	load(f, "global_defs {\n lvs_timeouts tcp\n}\n");
	assert_int_not_equal(f->rc, 0);
	load(f, "global_defs {\n lvs_timeouts tcp 10 sctp 5\n}\n");
	assert_true(has_diag(f, "unknown lvs_timeouts option 'sctp'"));
	load(f, "global_defs {\n lvs_timeouts tcp 2678401\n}\n"); /* 31 days + 1 s */
	assert_int_not_equal(f->rc, 0);
}

static void test_syncd_full(void **state)
{
	struct fixture *f = *state;
	const struct global_conf *g =
	    load(f, "global_defs {\n lvs_sync_daemon eth1 inst VI_1 id 7 maxlen 1400 port 8900"
		    " ttl 3 group 239.1.2.3\n}\n" INSTANCE);
	const struct global_lvs_syncd *d;

	assert_non_null(g);
	d = &g->lvs_syncd;
	assert_string_equal(d->ifname, "eth1");
	assert_string_equal(d->vrrp_instance, "VI_1");
	assert_int_equal(d->syncid, 7);
	assert_int_equal(d->maxlen, 1400);
	assert_int_equal(d->port, 8900);
	assert_int_equal(d->ttl, 3);
	assert_int_equal(d->group.family, AF_INET);
	assert_int_equal(ntohl(d->group.u.v4.s_addr), 0xef010203);
}

static void test_syncd_positional_and_defaults(void **state)
{
	struct fixture *f = *state;
	const struct global_conf *g = load(f, "global_defs {\n lvs_sync_daemon eth1 VI_1\n}\n" INSTANCE);

	assert_non_null(g);
	assert_string_equal(g->lvs_syncd.vrrp_instance, "VI_1");
	assert_int_equal(g->lvs_syncd.syncid, 42); /* the instance's VRID */

	/* The old positional sync ID works, with keepalived's complaint. */
	g = load(f, "global_defs {\n lvs_sync_daemon eth1 VI_1 9\n}\n" INSTANCE);
	assert_int_equal(g->lvs_syncd.syncid, 9);
	assert_true(has_diag(f, "please use keyword \"id\""));

	/* No instance at all is allowed (2.2.7). */
	g = load(f, "global_defs {\n lvs_sync_daemon eth1 id 3\n}\n");
	assert_non_null(g);
	assert_null(g->lvs_syncd.vrrp_instance);
	assert_int_equal(g->lvs_syncd.syncid, 3);
}

static void test_syncd_refused(void **state)
{
	struct fixture *f = *state;
	const struct global_conf *g;

	g = load(f, "global_defs {\n lvs_sync_daemon eth1 VI_9\n}\n" INSTANCE);
	assert_non_null(g); /* keepalived runs it without the sync daemon */
	assert_null(g->lvs_syncd.ifname);
	assert_true(diag_fails_test(&f->dl));
	assert_true(has_diag(f, "no vrrp_instance 'VI_9'"));

	load(f, "global_defs {\n lvs_sync_daemon averyveryverylongname VI_1\n}\n" INSTANCE);
	assert_int_not_equal(f->rc, 0);
	load(f, "global_defs {\n lvs_sync_daemon eth1 VI_1 group 10.1.1.1\n}\n" INSTANCE);
	assert_true(has_diag(f, "is not a multicast address"));
	load(f, "global_defs {\n lvs_sync_daemon eth1 VI_1 id 256\n}\n" INSTANCE);
	assert_int_not_equal(f->rc, 0);
	load(f, "global_defs {\n lvs_sync_daemon eth1 VI_1 id 1 bogus\n}\n" INSTANCE);
	assert_true(has_diag(f, "unknown lvs_sync_daemon option 'bogus'"));
	load(f, "global_defs {\n lvs_sync_daemon eth1 VI_1 port\n}\n" INSTANCE);
	assert_true(has_diag(f, "no value for lvs_sync_daemon port"));
}

static void test_timeouts_want(void **state)
{
	struct global_lvs_timeouts cfg = { .tcp_s = 1000 };
	struct ipvs_timeouts original = { 900, 120, 300 }, t;

	(void)state;
	t = ipvs_timeouts_want(&cfg, &original);
	assert_int_equal(t.tcp, 1000);
	assert_int_equal(t.tcpfin, 120);
	assert_int_equal(t.udp, 300);
	cfg = (struct global_lvs_timeouts){ 0 };
	t = ipvs_timeouts_want(&cfg, &original);
	assert_memory_equal(&t, &original, sizeof(t));
}

static struct ipvs_daemon kernel_daemon(uint32_t state, const char *ifname, uint32_t syncid)
{
	struct ipvs_daemon d = { .state = state, .syncid = syncid, .maxlen = 1452,
				 .port = IPVS_SYNCD_DEFAULT_PORT, .ttl = IPVS_SYNCD_DEFAULT_TTL };

	snprintf(d.ifname, sizeof(d.ifname), "%s", ifname);
	d.group.family = AF_INET;
	d.group.u.v4.s_addr = htonl(IPVS_SYNCD_DEFAULT_GROUP);
	return d;
}

static void test_syncd_want(void **state)
{
	struct global_lvs_syncd cfg = { .ifname = "eth1", .vrrp_instance = "VI_1", .syncid = 5 };
	struct ipvs_daemon w[2];

	(void)state;
	assert_int_equal(ipvs_syncd_want(&cfg, false, w), 1);
	assert_int_equal(w[0].state, IPVS_DAEMON_BACKUP);
	assert_string_equal(w[0].ifname, "eth1");
	assert_int_equal(w[0].syncid, 5);
	assert_int_equal(ipvs_syncd_want(&cfg, true, w), 1);
	assert_int_equal(w[0].state, IPVS_DAEMON_MASTER);
	cfg.vrrp_instance = NULL;
	assert_int_equal(ipvs_syncd_want(&cfg, false, w), 2);
	assert_int_equal(w[0].state | w[1].state, IPVS_DAEMON_MASTER | IPVS_DAEMON_BACKUP);
	cfg.ifname = NULL;
	assert_int_equal(ipvs_syncd_want(&cfg, true, w), 0);
}

static void test_syncd_plan(void **state)
{
	struct global_lvs_syncd cfg = { .ifname = "eth1", .vrrp_instance = "VI_1", .syncid = 5 };
	struct ipvs_daemon w[2], have[2];
	struct ipvs_syncd_plan p;

	(void)state;
	/* Nothing runs: start the backup. */
	ipvs_syncd_want(&cfg, false, w);
	ipvs_syncd_plan(w, 1, NULL, 0, 0, &p);
	assert_int_equal(p.nstop, 0);
	assert_int_equal(p.nstart, 1);
	assert_int_equal(p.start[0].state, IPVS_DAEMON_BACKUP);

	/* Our backup runs (kernel defaults filled in): nothing to do. */
	have[0] = kernel_daemon(IPVS_DAEMON_BACKUP, "eth1", 5);
	ipvs_syncd_plan(w, 1, have, 1, IPVS_DAEMON_BACKUP, &p);
	assert_int_equal(p.nstop + p.nstart, 0);

	/* Becoming master: stop the backup first, then start the master. */
	ipvs_syncd_want(&cfg, true, w);
	ipvs_syncd_plan(w, 1, have, 1, IPVS_DAEMON_BACKUP, &p);
	assert_int_equal(p.nstop, 1);
	assert_int_equal(p.stop[0], IPVS_DAEMON_BACKUP);
	assert_int_equal(p.nstart, 1);
	assert_int_equal(p.start[0].state, IPVS_DAEMON_MASTER);

	/* A foreign backup we never ran stays when we want a master... */
	ipvs_syncd_plan(w, 1, have, 1, 0, &p);
	assert_int_equal(p.nstop, 0);
	assert_int_equal(p.nstart, 1);
	/* ...but a master with other parameters is in the way. */
	have[0] = kernel_daemon(IPVS_DAEMON_MASTER, "eth1", 6);
	ipvs_syncd_plan(w, 1, have, 1, 0, &p);
	assert_int_equal(p.nstop, 1);
	assert_int_equal(p.stop[0], IPVS_DAEMON_MASTER);
	assert_int_equal(p.nstart, 1);

	/* Configured away: ours stops, nothing starts. */
	have[0] = kernel_daemon(IPVS_DAEMON_MASTER, "eth1", 5);
	ipvs_syncd_plan(NULL, 0, have, 1, IPVS_DAEMON_MASTER, &p);
	assert_int_equal(p.nstop, 1);
	assert_int_equal(p.nstart, 0);

	/* A non-default port must be what the kernel runs. */
	w[0].port = 8900;
	assert_false(ipvs_syncd_matches(&w[0], &have[0]));
	have[0].port = 8900;
	assert_true(ipvs_syncd_matches(&w[0], &have[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_timeouts_flush, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_syncd_full, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_syncd_positional_and_defaults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_syncd_refused, setup, teardown),
	    cmocka_unit_test(test_timeouts_want),
	    cmocka_unit_test(test_syncd_want),
	    cmocka_unit_test(test_syncd_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
