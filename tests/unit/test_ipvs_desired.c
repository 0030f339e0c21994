/* From LVS config text to the desired IPVS table. */
#include "build-config.h"

#include <arpa/inet.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ipvs/desired.h"
#include "parser/config.h"

struct loaded {
	struct arena *arena;
	struct diag_list dl;
	const struct vigil_config *cfg;
	struct ipvs_table t;
};

static void load(struct loaded *l, const char *text, const struct ipvs_desired_source *src)
{
	memset(l, 0, sizeof(*l));
	l->arena = arena_new(1 << 24);
	if (config_load_string("t.conf", text, NULL, l->arena, &l->dl, &l->cfg) != 0) {
		diag_print(&l->dl, stderr);
		fail_msg("config did not load");
	}
	assert_int_equal(ipvs_desired_build(&l->cfg->lvs, src, &l->t), 0);
}

static void unload(struct loaded *l)
{
	ipvs_table_free(&l->t);
	diag_list_free(&l->dl);
	arena_free(l->arena);
}

static const struct ipvs_dest *find_dest(const struct ipvs_service *s, const char *addr)
{
	struct vaddr a;

	vaddr_parse(addr, &a);
	for (size_t i = 0; i < s->ndests; i++)
		if (vaddr_equal(&s->dests[i].addr, &a))
			return &s->dests[i];
	return NULL;
}

static void test_plain_service(void **state)
{
	struct loaded l;
	const struct ipvs_service *s;

	load(&l,
	     "virtual_server 192.0.2.10 80 {\n"
	     "  lb_algo rr\n  lb_kind DR\n  protocol TCP\n  persistence_timeout 600\n"
	     "  real_server 10.0.0.1 80 { weight 3\n TCP_CHECK { } }\n"
	     "  real_server 10.0.0.2 8080 { alpha\n TCP_CHECK { } }\n"
	     "}\n",
	     NULL);
	assert_int_equal(l.t.nservices, 1);
	s = &l.t.services[0];
	assert_int_equal(s->key.af, AF_INET);
	assert_int_equal(s->key.protocol, IPPROTO_TCP);
	assert_int_equal(s->key.port, 80);
	assert_string_equal(s->sched, "rr");
	assert_int_equal(s->flags, IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(s->timeout, 600);
	assert_int_equal(s->netmask, 0xffffffffu);
	/* alpha: down until a check proves it up */
	assert_int_equal(s->ndests, 1);
	assert_int_equal(s->dests[0].weight, 3);
	assert_int_equal(s->dests[0].fwd, IP_VS_CONN_F_DROUTE);
	assert_non_null(find_dest(s, "10.0.0.1"));
	unload(&l);
}

static struct ipvs_rs_status all_down(const struct lvs_virtual_server *vs,
				      const struct lvs_real_server *rs, void *data)
{
	return (struct ipvs_rs_status){ .up = false, .weight = rs->weight };
}

static void test_inhibit_on_failure(void **state)
{
	struct ipvs_desired_source src = { .rs_status = all_down };
	struct loaded l;

	load(&l,
	     "virtual_server 192.0.2.10 80 {\n  lb_algo wlc\n  lb_kind NAT\n  protocol TCP\n"
	     "  real_server 10.0.0.1 80 { inhibit_on_failure\n TCP_CHECK { } }\n"
	     "  real_server 10.0.0.2 80 { TCP_CHECK { } }\n"
	     "}\n",
	     &src);
	/* the inhibited one stays at weight 0 (connections drain), the other goes */
	assert_int_equal(l.t.services[0].ndests, 1);
	assert_int_equal(l.t.services[0].dests[0].weight, 0);
	assert_non_null(find_dest(&l.t.services[0], "10.0.0.1"));
	unload(&l);
}

static const char *quorum_conf =
	"virtual_server 192.0.2.10 80 {\n  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
	"  quorum 3\n  sorry_server 10.9.9.9 80\n  sorry_server_inhibit\n"
	"  real_server 10.0.0.1 80 { weight 2\n TCP_CHECK { } }\n"
	"  real_server 10.0.0.2 80 { weight 1\n TCP_CHECK { } }\n"
	"}\n";

static struct ipvs_rs_status first_down(const struct lvs_virtual_server *vs,
					const struct lvs_real_server *rs, void *data)
{
	return (struct ipvs_rs_status){ .up = rs != vs->real_servers, .weight = rs->weight };
}

static void test_quorum_and_sorry_server(void **state)
{
	struct ipvs_desired_source src = { .rs_status = first_down };
	struct loaded l;

	/* all up: weight 3 meets quorum 3; the inhibited sorry server waits at 0 */
	load(&l, quorum_conf, NULL);
	assert_int_equal(l.t.services[0].ndests, 3);
	assert_int_equal(find_dest(&l.t.services[0], "10.9.9.9")->weight, 0);
	unload(&l);

	/* weight 1 < quorum 3: the sorry server replaces the live real server */
	load(&l, quorum_conf, &src);
	assert_int_equal(l.t.services[0].ndests, 1);
	assert_int_equal(find_dest(&l.t.services[0], "10.9.9.9")->weight, 1);
	unload(&l);
}

static void test_quorum_hysteresis(void **state)
{
	struct lvs_virtual_server vs = { .quorum = 10, .hysteresis = 2 };

	assert_true(ipvs_quorum_next(&vs, 8, true));   /* up stays up down to 8 */
	assert_false(ipvs_quorum_next(&vs, 7, true));
	assert_false(ipvs_quorum_next(&vs, 11, false)); /* down needs 12 to come back */
	assert_true(ipvs_quorum_next(&vs, 12, false));
	assert_false(ipvs_quorum_next(&(struct lvs_virtual_server){ .quorum = 1 }, 0, true));
}

/* What keepalived 2.2.7 did at start-up with two live real servers of weight
 * 1 (alpha: none live yet), in the IPVS VM: "Gained quorum" and quorum_up for
 * quorum 2 and for quorum 1 with a sorry server; "Starting with quorum down"
 * and quorum_down for quorum 2 + hysteresis 1 with a sorry server and for
 * alpha with a sorry server; no script for those two without one. */
static void test_quorum_start(void **state)
{
	struct lvs_real_server sorry = { 0 };
	struct lvs_virtual_server q2 = { .quorum = 2 }, q2h1 = { .quorum = 2, .hysteresis = 1 };
	struct lvs_virtual_server q2h1s = q2h1, q1s = { .quorum = 1 }, q2s = q2;

	q2h1s.sorry_server = q1s.sorry_server = q2s.sorry_server = &sorry;
	assert_int_equal(ipvs_quorum_start(&q2, 2), IPVS_QUORUM_START_UP);
	assert_int_equal(ipvs_quorum_start(&q1s, 2), IPVS_QUORUM_START_UP);
	assert_int_equal(ipvs_quorum_start(&q2h1, 2), IPVS_QUORUM_START_DOWN);
	assert_int_equal(ipvs_quorum_start(&q2h1s, 2), IPVS_QUORUM_START_DOWN_SORRY);
	assert_int_equal(ipvs_quorum_start(&q2, 0), IPVS_QUORUM_START_DOWN);
	assert_int_equal(ipvs_quorum_start(&q2s, 0), IPVS_QUORUM_START_DOWN_SORRY);
	/* quorum reduced to 0 (no weight at all): up, as 0 >= 0 */
	assert_int_equal(ipvs_quorum_start(&(struct lvs_virtual_server){ 0 }, 0),
			 IPVS_QUORUM_START_UP);
}

static void test_group_expands(void **state)
{
	struct loaded l;
	char buf[64];

	load(&l,
	     "virtual_server_group G {\n  192.0.2.1-3 80\n  fwmark 7\n}\n"
	     "virtual_server group G {\n  lb_algo rr\n  lb_kind DR\n  protocol TCP\n"
	     "  real_server 10.0.0.1 80 { TCP_CHECK { } }\n"
	     "}\n",
	     NULL);
	assert_int_equal(l.t.nservices, 4);
	assert_string_equal(ipvs_key_format(&l.t.services[0].key, buf, sizeof(buf)),
			    "TCP 192.0.2.1:80");
	assert_string_equal(ipvs_key_format(&l.t.services[2].key, buf, sizeof(buf)),
			    "TCP 192.0.2.3:80");
	assert_string_equal(ipvs_key_format(&l.t.services[3].key, buf, sizeof(buf)), "FWM 7");
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(l.t.services[i].ndests, 1);
	/* each service owns its copy: ipvs_table_free frees them one by one */
	for (size_t i = 1; i < 4; i++)
		assert_ptr_not_equal(l.t.services[i].dests, l.t.services[0].dests);
	unload(&l);
}

static void test_fwmark_ipv6_tunnel(void **state)
{
	struct loaded l;
	const struct ipvs_dest *d;

	load(&l,
	     "virtual_server fwmark 9 {\n  ip_family inet6\n  lb_algo sh\n"
	     "  lb_kind TUN\n  persistence_timeout 60\n  persistence_granularity 64\n"
	     "  real_server 2001:db8::5 0 { lvs_method TUN type gue port 6080 csum\n"
	     "    MISC_CHECK { misc_path /bin/true } }\n"
	     "}\n",
	     NULL);
	assert_int_equal(l.t.nservices, 1);
	assert_int_equal(l.t.services[0].key.fwmark, 9);
	assert_int_equal(l.t.services[0].key.af, AF_INET6);
	assert_int_equal(l.t.services[0].netmask, 64);
	d = find_dest(&l.t.services[0], "2001:db8::5");
	assert_non_null(d);
	assert_int_equal(d->fwd, IP_VS_CONN_F_TUNNEL);
	assert_int_equal(d->tun_type, IP_VS_CONN_F_TUNNEL_TYPE_GUE);
	assert_int_equal(d->tun_port, 6080);
	assert_int_equal(d->tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	unload(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_service),    cmocka_unit_test(test_inhibit_on_failure),
		cmocka_unit_test(test_quorum_and_sorry_server),
		cmocka_unit_test(test_quorum_hysteresis), cmocka_unit_test(test_quorum_start),
		cmocka_unit_test(test_group_expands),
		cmocka_unit_test(test_fwmark_ipv6_tunnel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
