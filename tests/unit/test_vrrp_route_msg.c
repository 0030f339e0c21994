/* Routes and rules of the configuration as rtnetlink requests
 * (vrrp/route_msg.h): each line is loaded from a config string, converted,
 * and the message is read back (rtnl_route_parse() for routes, the
 * attributes for rules). Interfaces come from a table: eth0 is 7, eth1 8. */
#include "build-config.h"

#include <errno.h>
#include <linux/fib_rules.h>
#include <linux/icmpv6.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "lib/arena.h"
#include "parser/config.h"
#include "vrrp/route_msg.h"

struct loaded {
	struct arena *arena;
	struct diag_list dl;
	const struct vigil_config *cfg;
};

static struct loaded L;

static int teardown(void **state);

/* Load one line of @block; the previous line's config is freed. */
static void load(const char *block, const char *line)
{
	char text[1024];

	teardown(NULL);
	snprintf(text, sizeof(text), "%s {\n %s\n}\n", block, line);
	L.arena = arena_new(1 << 20);
	assert_int_equal(config_load_string("t.conf", text, NULL, L.arena, &L.dl, &L.cfg), 0);
}

static int teardown(void **state)
{
	(void)state;
	if (!L.arena)
		return 0;
	arena_free(L.arena);
	diag_list_free(&L.dl);
	memset(&L, 0, sizeof(L));
	return 0;
}

static const struct vrrp_route_conf *route_line(const char *line)
{
	load("static_routes", line);
	assert_non_null(L.cfg->vrrp.static_routes.first);
	return L.cfg->vrrp.static_routes.first;
}

static const struct vrrp_rule_conf *rule_line(const char *line)
{
	load("static_rules", line);
	assert_non_null(L.cfg->vrrp.static_rules.first);
	return L.cfg->vrrp.static_rules.first;
}

static unsigned fake_ifindex(void *data, const char *name)
{
	(void)data;
	return !strcmp(name, "eth0") ? 7 : !strcmp(name, "eth1") ? 8 : 0;
}

static const struct vrrp_ifindex_fn IFX = {.lookup = fake_ifindex};

/* The route in @line's request, parsed back; *hdr gets the header. */
static struct rtnl_route *route_of(const char *line, bool add, struct nlmsghdr *hdr)
{
	struct nl_msg *msg = NULL;
	struct rtnl_route *rt = NULL;
	const char *note = "unset";

	assert_int_equal(vrrp_route_msg(route_line(line), add, &IFX, &msg, &note), 0);
	assert_null(note);
	if (hdr)
		*hdr = *nlmsg_hdr(msg);
	assert_int_equal(rtnl_route_parse(nlmsg_hdr(msg), &rt), 0);
	nlmsg_free(msg);
	return rt;
}

static void assert_addr(struct nl_addr *a, const char *text)
{
	char buf[INET6_ADDRSTRLEN + 8];

	assert_non_null(a);
	assert_string_equal(nl_addr2str(a, buf, sizeof(buf)), text);
}

static void test_route_gateway_table_metric(void **state)
{
	struct nlmsghdr h;
	struct rtnl_route *rt = route_of("10.50.0.0/24 via 10.99.0.254 dev eth0 table 100 "
					 "metric 5 src 10.99.0.1",
					 true, &h);
	struct rtnl_nexthop *nh;

	(void)state;
	assert_int_equal(h.nlmsg_type, RTM_NEWROUTE);
	assert_true(h.nlmsg_flags & NLM_F_CREATE);
	/* keepalived prepends (ip route prepend): no EXCL, no APPEND. */
	assert_false(h.nlmsg_flags & (NLM_F_EXCL | NLM_F_APPEND | NLM_F_REPLACE));
	assert_int_equal(rtnl_route_get_family(rt), AF_INET);
	assert_addr(rtnl_route_get_dst(rt), "10.50.0.0/24");
	assert_int_equal(rtnl_route_get_table(rt), 100);
	assert_int_equal(rtnl_route_get_protocol(rt), 18);
	assert_int_equal(rtnl_route_get_priority(rt), 5);
	assert_int_equal(rtnl_route_get_type(rt), RTN_UNICAST);
	assert_int_equal(rtnl_route_get_scope(rt), RT_SCOPE_UNIVERSE);
	assert_addr(rtnl_route_get_pref_src(rt), "10.99.0.1");
	assert_int_equal(rtnl_route_get_nnexthops(rt), 1);
	nh = rtnl_route_nexthop_n(rt, 0);
	assert_addr(rtnl_route_nh_get_gateway(nh), "10.99.0.254");
	assert_int_equal(rtnl_route_nh_get_ifindex(nh), 7);
	rtnl_route_put(rt);
}

static void test_route_delete_matches_any_scope(void **state)
{
	struct nlmsghdr h;
	struct rtnl_route *rt = route_of("10.50.0.0/24 via 10.99.0.254 dev eth0", false, &h);

	(void)state;
	assert_int_equal(h.nlmsg_type, RTM_DELROUTE);
	assert_int_equal(rtnl_route_get_scope(rt), RT_SCOPE_NOWHERE);
	assert_int_equal(rtnl_route_get_protocol(rt), 18); /* only ours */
	assert_int_equal(rtnl_route_get_table(rt), RT_TABLE_MAIN);
	rtnl_route_put(rt);
	rt = route_of("10.50.0.0/24 dev eth0 scope host", false, NULL);
	assert_int_equal(rtnl_route_get_scope(rt), RT_SCOPE_HOST);
	rtnl_route_put(rt);
}

static void test_route_scopes_as_ip_chooses(void **state)
{
	struct rtnl_route *rt = route_of("10.53.0.0/24 dev eth0", true, NULL);

	(void)state;
	assert_int_equal(rtnl_route_get_scope(rt), RT_SCOPE_LINK);
	rtnl_route_put(rt);
	rt = route_of("local 10.53.0.1 dev eth0", true, NULL);
	assert_int_equal(rtnl_route_get_type(rt), RTN_LOCAL);
	assert_int_equal(rtnl_route_get_scope(rt), RT_SCOPE_HOST);
	rtnl_route_put(rt);
	rt = route_of("blackhole 10.51.0.0/24 table 100 no_track", true, NULL);
	assert_int_equal(rtnl_route_get_type(rt), RTN_BLACKHOLE);
	assert_int_equal(rtnl_route_get_scope(rt), RT_SCOPE_UNIVERSE);
	assert_int_equal(rtnl_route_get_nnexthops(rt), 0);
	rtnl_route_put(rt);
}

static void test_route_protocol_configured(void **state)
{
	struct rtnl_route *rt = route_of("10.53.0.0/24 dev eth0 protocol 4", true, NULL);

	(void)state;
	assert_int_equal(rtnl_route_get_protocol(rt), 4);
	rtnl_route_put(rt);
	rt = route_of("10.53.0.0/24 dev eth0 protocol bird", true, NULL);
	assert_int_equal(rtnl_route_get_protocol(rt), 12);
	rtnl_route_put(rt);
}

static void test_route_nexthops(void **state)
{
	struct rtnl_route *rt = route_of("10.52.0.0/24 table 100 nexthop via 10.99.0.253 dev eth0 "
					 "weight 2 nexthop via 10.99.0.252 dev eth1 onlink",
					 true, NULL);
	struct rtnl_nexthop *a, *b;

	(void)state;
	assert_int_equal(rtnl_route_get_nnexthops(rt), 2);
	a = rtnl_route_nexthop_n(rt, 0);
	b = rtnl_route_nexthop_n(rt, 1);
	assert_addr(rtnl_route_nh_get_gateway(a), "10.99.0.253");
	assert_int_equal(rtnl_route_nh_get_ifindex(a), 7);
	assert_int_equal(rtnl_route_nh_get_weight(a), 1); /* rtnh_hops: weight - 1 */
	assert_false(rtnl_route_nh_get_flags(a) & RTNH_F_ONLINK);
	assert_addr(rtnl_route_nh_get_gateway(b), "10.99.0.252");
	assert_int_equal(rtnl_route_nh_get_ifindex(b), 8);
	assert_int_equal(rtnl_route_nh_get_weight(b), 0);
	assert_true(rtnl_route_nh_get_flags(b) & RTNH_F_ONLINK);
	assert_int_equal(rtnl_route_get_scope(rt), RT_SCOPE_UNIVERSE);
	rtnl_route_put(rt);
}

static void test_route_or_gateway_is_two_paths(void **state)
{
	struct rtnl_route *rt =
	    route_of("10.54.0.0/24 via 10.99.0.254 or 10.99.0.253 dev eth0", true, NULL);

	(void)state;
	assert_int_equal(rtnl_route_get_nnexthops(rt), 2);
	assert_addr(rtnl_route_nh_get_gateway(rtnl_route_nexthop_n(rt, 1)), "10.99.0.253");
	assert_int_equal(rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(rt, 1)), 7);
	rtnl_route_put(rt);
}

static void test_route_onlink_single_path(void **state)
{
	struct rtnl_route *rt = route_of("10.55.0.0/24 via 192.0.2.1 dev eth0 onlink", true, NULL);

	(void)state;
	assert_true(rtnl_route_get_flags(rt) & RTNH_F_ONLINK);
	rtnl_route_put(rt);
}

static void test_route_metrics_and_lock(void **state)
{
	struct rtnl_route *rt =
	    route_of("10.56.0.0/24 dev eth0 mtu lock 1400 advmss 1300 rtt 100ms "
		     "rttvar 40 rto_min 200ms features ecn tos 0x10 "
		     "realms 2/3",
		     true, NULL);
	uint32_t v;

	(void)state;
	assert_int_equal(rtnl_route_get_metric(rt, RTAX_MTU, &v), 0);
	assert_int_equal(v, 1400);
	assert_int_equal(rtnl_route_get_metric(rt, RTAX_LOCK, &v), 0);
	assert_int_equal(v, 1u << RTAX_MTU);
	assert_int_equal(rtnl_route_get_metric(rt, RTAX_ADVMSS, &v), 0);
	assert_int_equal(v, 1300);
	assert_int_equal(rtnl_route_get_metric(rt, RTAX_RTT, &v), 0);
	assert_int_equal(v, 800); /* 1/8 ms units */
	assert_int_equal(rtnl_route_get_metric(rt, RTAX_RTTVAR, &v), 0);
	assert_int_equal(v, 40); /* bare: the kernel's units */
	assert_int_equal(rtnl_route_get_metric(rt, RTAX_RTO_MIN, &v), 0);
	assert_int_equal(v, 200);
	assert_int_equal(rtnl_route_get_metric(rt, RTAX_FEATURES, &v), 0);
	assert_int_equal(v, RTAX_FEATURE_ECN);
	assert_int_equal(rtnl_route_get_tos(rt), 0x10);
	assert_int_equal(rtnl_route_nh_get_realms(rtnl_route_nexthop_n(rt, 0)), 2u << 16 | 3);
	rtnl_route_put(rt);
}

static void test_route_ipv6_default_pref_append(void **state)
{
	struct nl_msg *msg = NULL;
	struct rtnl_route *rt = NULL;
	const char *note;
	struct nlattr *pref;

	(void)state;
	assert_int_equal(vrrp_route_msg(route_line("default via fd00:99::fe dev eth0 pref high "
						   "append"),
					true, &IFX, &msg, &note),
			 0);
	assert_true(nlmsg_hdr(msg)->nlmsg_flags & NLM_F_APPEND);
	pref = nlmsg_find_attr(nlmsg_hdr(msg), sizeof(struct rtmsg), RTA_PREF);
	assert_non_null(pref);
	assert_int_equal(nla_get_u8(pref), ICMPV6_ROUTER_PREF_HIGH);
	assert_int_equal(rtnl_route_parse(nlmsg_hdr(msg), &rt), 0);
	assert_int_equal(rtnl_route_get_family(rt), AF_INET6);
	assert_int_equal(nl_addr_get_prefixlen(rtnl_route_get_dst(rt)), 0);
	rtnl_route_put(rt);
	nlmsg_free(msg);
}

static void test_route_errors_and_notes(void **state)
{
	struct nl_msg *msg = NULL;
	const char *note;

	(void)state;
	assert_int_equal(
	    vrrp_route_msg(route_line("10.57.0.0/24 dev eth9"), true, &IFX, &msg, &note), -ENODEV);
	assert_string_equal(note, "eth9");
	assert_int_equal(
	    vrrp_route_msg(route_line("10.57.0.0/24 dev eth0 mtu big"), true, &IFX, &msg, &note),
	    -EINVAL);
	assert_string_equal(note, "mtu");
	teardown(NULL);
	/* Not programmable: added without it, and said. */
	assert_int_equal(vrrp_route_msg(route_line("10.57.0.0/24 dev eth0 congctl cubic mtu 1400"),
					true, &IFX, &msg, &note),
			 0);
	assert_string_equal(note, "congctl");
	nlmsg_free(msg);
}

static struct nlattr *rule_attr(struct nl_msg *msg, int type)
{
	return nlmsg_find_attr(nlmsg_hdr(msg), sizeof(struct fib_rule_hdr), type);
}

static struct nl_msg *rule_msg(const char *line, bool add)
{
	struct nl_msg *msg = NULL;
	const char *note = "unset";

	assert_int_equal(vrrp_rule_msg(rule_line(line), add, &msg, &note), 0);
	assert_null(note);
	return msg;
}

static void test_rule_from_table(void **state)
{
	struct nl_msg *msg = rule_msg("from 10.60.0.0/24 table 100 preference 1000", true);
	struct fib_rule_hdr *frh = nlmsg_data(nlmsg_hdr(msg));

	(void)state;
	assert_int_equal(nlmsg_hdr(msg)->nlmsg_type, RTM_NEWRULE);
	/* EXCL: the kernel would otherwise add the same rule twice. */
	assert_true(nlmsg_hdr(msg)->nlmsg_flags & NLM_F_EXCL);
	assert_int_equal(frh->family, AF_INET);
	assert_int_equal(frh->src_len, 24);
	assert_int_equal(frh->action, FR_ACT_TO_TBL);
	assert_false(frh->flags & FIB_RULE_INVERT);
	assert_int_equal(nla_get_u32(rule_attr(msg, FRA_TABLE)), 100);
	assert_int_equal(nla_get_u32(rule_attr(msg, FRA_PRIORITY)), 1000);
	assert_int_equal(nla_get_u8(rule_attr(msg, FRA_PROTOCOL)), 18);
	assert_non_null(rule_attr(msg, FRA_SRC));
	assert_null(rule_attr(msg, FRA_DST));
	nlmsg_free(msg);
}

static void test_rule_no_track_protocol(void **state)
{
	struct nl_msg *msg = rule_msg("to 10.61.0.0/16 preference 5 no_track", true);

	(void)state;
	assert_null(rule_attr(msg, FRA_PROTOCOL));
	/* No table and no action: the main table, as ip(8) adds it. */
	assert_int_equal(nla_get_u32(rule_attr(msg, FRA_TABLE)), RT_TABLE_MAIN);
	nlmsg_free(msg);
	msg = rule_msg("to 10.61.0.0/16 preference 5 no_track protocol 4", true);
	assert_int_equal(nla_get_u8(rule_attr(msg, FRA_PROTOCOL)), 4);
	nlmsg_free(msg);
	teardown(NULL);
	/* Tracked: keepalived forces RTPROT_KEEPALIVED over a configured one. */
	msg = rule_msg("to 10.61.0.0/16 preference 5 protocol 4", true);
	assert_int_equal(nla_get_u8(rule_attr(msg, FRA_PROTOCOL)), 18);
	nlmsg_free(msg);
}

static void test_rule_not_fwmark_iif_blackhole(void **state)
{
	struct nl_msg *msg = rule_msg("not fwmark 7/0xff iif eth1 preference 5 blackhole", false);
	struct fib_rule_hdr *frh = nlmsg_data(nlmsg_hdr(msg));

	(void)state;
	assert_int_equal(nlmsg_hdr(msg)->nlmsg_type, RTM_DELRULE);
	assert_true(frh->flags & FIB_RULE_INVERT);
	assert_int_equal(frh->action, FR_ACT_BLACKHOLE);
	/* libnl always sends FRA_TABLE: 0 is "none" to the kernel. */
	assert_int_equal(nla_get_u32(rule_attr(msg, FRA_TABLE)), 0);
	assert_int_equal(nla_get_u32(rule_attr(msg, FRA_FWMARK)), 7);
	assert_int_equal(nla_get_u32(rule_attr(msg, FRA_FWMASK)), 0xff);
	assert_string_equal(nla_get_string(rule_attr(msg, FRA_IIFNAME)), "eth1");
	nlmsg_free(msg);
}

static void test_rule_ipv6_and_extras(void **state)
{
	struct nl_msg *msg = rule_msg("to fd00:60::/64 table 100 preference 1001 uidrange 100-200 "
				      "ipproto tcp dport 80-81 suppress_prefixlength 0 oif eth0 "
				      "goto 2000",
				      true);
	struct fib_rule_hdr *frh = nlmsg_data(nlmsg_hdr(msg));
	struct fib_rule_uid_range *u;
	struct fib_rule_port_range *p;

	(void)state;
	assert_int_equal(frh->family, AF_INET6);
	assert_int_equal(frh->dst_len, 64);
	assert_int_equal(frh->action, FR_ACT_GOTO);
	assert_int_equal(nla_get_u32(rule_attr(msg, FRA_GOTO)), 2000);
	u = nla_data(rule_attr(msg, FRA_UID_RANGE));
	assert_int_equal(u->start, 100);
	assert_int_equal(u->end, 200);
	assert_int_equal(nla_get_u8(rule_attr(msg, FRA_IP_PROTO)), 6);
	p = nla_data(rule_attr(msg, FRA_DPORT_RANGE));
	assert_int_equal(p->start, 80);
	assert_int_equal(p->end, 81);
	assert_int_equal(nla_get_u32(rule_attr(msg, FRA_SUPPRESS_PREFIXLEN)), 0);
	assert_string_equal(nla_get_string(rule_attr(msg, FRA_OIFNAME)), "eth0");
	nlmsg_free(msg);
}

static void test_same(void **state)
{
	struct loaded a, b;
	const char *r1 = "static_routes {\n 10.1.0.0/24 dev eth0 metric 5 mtu 1400\n"
			 " 10.2.0.0/24 nexthop via 10.0.0.1 dev eth0 weight 2\n}\n"
			 "static_rules {\n from 10.3.0.0/24 table 5 preference 7\n}\n";
	const char *r2 = "static_routes {\n 10.1.0.0/24 dev eth0 metric 6 mtu 1400\n"
			 " 10.2.0.0/24 nexthop via 10.0.0.1 dev eth0 weight 3\n}\n"
			 "static_rules {\n from 10.3.0.0/24 table 5 preference 8\n}\n";
	const struct vrrp_route_conf *x, *y;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.arena = arena_new(1 << 20);
	b.arena = arena_new(1 << 20);
	assert_int_equal(config_load_string("a", r1, NULL, a.arena, &a.dl, &a.cfg), 0);
	assert_int_equal(config_load_string("b", r2, NULL, b.arena, &b.dl, &b.cfg), 0);
	x = a.cfg->vrrp.static_routes.first;
	y = b.cfg->vrrp.static_routes.first;
	assert_true(vrrp_route_same(x, x));
	assert_false(vrrp_route_same(x, y));		 /* metric */
	assert_false(vrrp_route_same(x->next, y->next)); /* a nexthop's weight */
	assert_true(vrrp_route_same(x->next, x->next));
	assert_true(vrrp_rule_same(a.cfg->vrrp.static_rules.first, a.cfg->vrrp.static_rules.first));
	assert_false(
	    vrrp_rule_same(a.cfg->vrrp.static_rules.first, b.cfg->vrrp.static_rules.first));
	arena_free(a.arena);
	arena_free(b.arena);
	diag_list_free(&a.dl);
	diag_list_free(&b.dl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_route_gateway_table_metric, teardown),
	    cmocka_unit_test_teardown(test_route_delete_matches_any_scope, teardown),
	    cmocka_unit_test_teardown(test_route_scopes_as_ip_chooses, teardown),
	    cmocka_unit_test_teardown(test_route_protocol_configured, teardown),
	    cmocka_unit_test_teardown(test_route_nexthops, teardown),
	    cmocka_unit_test_teardown(test_route_or_gateway_is_two_paths, teardown),
	    cmocka_unit_test_teardown(test_route_onlink_single_path, teardown),
	    cmocka_unit_test_teardown(test_route_metrics_and_lock, teardown),
	    cmocka_unit_test_teardown(test_route_ipv6_default_pref_append, teardown),
	    cmocka_unit_test_teardown(test_route_errors_and_notes, teardown),
	    cmocka_unit_test_teardown(test_rule_from_table, teardown),
	    cmocka_unit_test_teardown(test_rule_no_track_protocol, teardown),
	    cmocka_unit_test_teardown(test_rule_not_fwmark_iif_blackhole, teardown),
	    cmocka_unit_test_teardown(test_rule_ipv6_and_extras, teardown),
	    cmocka_unit_test(test_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
