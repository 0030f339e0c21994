/* The LVS config model: virtual servers, groups, real servers, checkers,
 * keepalived's defaults and inheritance, and its -t verdicts. */
#include "build-config.h"

#include <arpa/inet.h>
#include <dirent.h>
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

#define SEC 1000000ull

struct fixture {
	struct arena *arena;
	struct diag_list dl;
	const struct vigil_config *cfg;
	int rc;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->arena = arena_new(64 << 20);
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

static const struct lvs_conf *load(struct fixture *f, const char *text)
{
	diag_list_free(&f->dl);
	f->cfg = NULL;
	f->rc = config_load_string("t.conf", text, NULL, f->arena, &f->dl, &f->cfg);
	if (f->rc == 0 && diag_fails_test(&f->dl))
		diag_print(&f->dl, stderr); /* visible when a test expects a clean load */
	return f->cfg ? &f->cfg->lvs : NULL;
}

/* The diagnostic containing @needle, which must exist. */
static const struct diag *diag_with(struct fixture *f, const char *needle)
{
	int i = diag_find(&f->dl, needle);

	if (i < 0) {
		diag_print(&f->dl, stderr);
		fail_msg("no diagnostic contains '%s'", needle);
	}
	return &f->dl.v[i];
}

#define VS_HEAD "virtual_server 10.0.0.1 80 {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n"

static void test_defaults(void **state)
{
	struct fixture *f = *state;
	const struct lvs_conf *l = load(f, VS_HEAD " real_server 10.0.0.2 {\n  TCP_CHECK {\n  }\n }\n}\n");
	const struct lvs_virtual_server *vs;
	const struct lvs_real_server *rs;
	const struct lvs_checker *c;

	assert_int_equal(f->rc, 0);
	assert_false(diag_fails_test(&f->dl));
	assert_int_equal(l->n_virtual_servers, 1);
	assert_int_equal(l->n_checkers, 1);
	vs = l->virtual_servers;
	assert_int_equal(vs->kind, LVS_VS_ADDR);
	assert_int_equal(vs->family, AF_INET);
	assert_int_equal(vs->port, 80);
	assert_int_equal(vs->protocol, LVS_PROTO_TCP);
	assert_string_equal(vs->sched, "rr");
	assert_int_equal(vs->fwd.method, LVS_FWD_NAT);
	assert_int_equal(vs->quorum, 1);
	assert_int_equal(vs->hysteresis, 0);
	assert_int_equal(vs->delay_loop_us, 60 * SEC);
	assert_int_equal(vs->connect_timeout_us, 5 * SEC);
	assert_int_equal(vs->loc.line, 1);
	assert_string_equal(vs->loc.file, "t.conf");
	rs = vs->real_servers;
	assert_int_equal(vs->n_real_servers, 1);
	assert_int_equal(rs->port, 80); /* NAT without a port: the VS's */
	assert_int_equal(rs->weight, 1);
	assert_int_equal(rs->fwd.method, LVS_FWD_NAT);
	assert_true(rs->smtp_alert);
	assert_false(vs->smtp_alert);
	assert_int_equal(rs->loc.line, 5);
	assert_int_equal(rs->loc.col, 2);
	c = rs->checkers;
	assert_int_equal(c->type, LVS_CHECK_TCP);
	assert_int_equal(c->retry, 1);
	assert_int_equal(c->connect_timeout_us, 5 * SEC);
	assert_int_equal(c->delay_loop_us, 60 * SEC);
	assert_int_equal(c->warmup_us, 60 * SEC);
	assert_int_equal(c->delay_before_retry_us, 1 * SEC);
	assert_int_equal(c->connect_port, 80);
	assert_null(c->next);
}

static void test_inheritance(void **state)
{
	struct fixture *f = *state;
	const struct lvs_conf *l = load(
		f, VS_HEAD " retry 4\n delay_before_retry 2\n delay_loop 10\n connect_timeout 0.5\n"
		   " alpha\n inhibit_on_failure\n weight 7\n quorum 7\n"
		   " real_server 10.0.0.2 80 {\n  TCP_CHECK {\n  }\n  DNS_CHECK {\n  }\n }\n"
		   " real_server 10.0.0.3 80 {\n  retry 2\n  warmup 3\n  alpha off\n  weight 2\n"
		   "  HTTP_GET {\n   retry 9\n   delay_loop 1\n   url {\n    path /\n   }\n  }\n"
		   "  DNS_CHECK {\n  }\n }\n}\n");
	const struct lvs_real_server *r1, *r2;
	const struct lvs_checker *c;

	assert_int_equal(f->rc, 0);
	r1 = l->virtual_servers->real_servers;
	r2 = r1->next;
	assert_true(r1->alpha && r1->inhibit_on_failure);
	assert_int_equal(r1->weight, 7);
	assert_false(r2->alpha);
	assert_true(r2->inhibit_on_failure);
	assert_int_equal(r2->weight, 2);
	c = r1->checkers; /* TCP: everything from the VS */
	assert_int_equal(c->retry, 4);
	assert_int_equal(c->delay_before_retry_us, 2 * SEC);
	assert_int_equal(c->delay_loop_us, 10 * SEC);
	assert_int_equal(c->warmup_us, 10 * SEC);
	assert_int_equal(c->connect_timeout_us, SEC / 2);
	assert_true(c->alpha);
	c = c->next; /* DNS: the VS's retry wins over DNS's default 3 */
	assert_int_equal(c->type, LVS_CHECK_DNS);
	assert_int_equal(c->retry, 4);
	c = r2->checkers; /* HTTP: its own retry and delay_loop, the RS's warmup */
	assert_int_equal(c->type, LVS_CHECK_HTTP);
	assert_int_equal(c->retry, 9);
	assert_int_equal(c->delay_loop_us, 1 * SEC);
	assert_int_equal(c->warmup_us, 3 * SEC);
	assert_int_equal(c->delay_before_retry_us, 2 * SEC);
	assert_false(c->alpha);
	c = c->next;
	assert_int_equal(c->retry, 2);
}

static void test_checker_type_defaults(void **state)
{
	struct fixture *f = *state;
	const struct lvs_conf *l = load(
		f, VS_HEAD " delay_loop 7\n real_server 10.0.0.2 80 {\n"
		   "  HTTP_GET {\n   url {\n    path /\n   }\n  }\n  DNS_CHECK {\n  }\n"
		   "  MISC_CHECK {\n   misc_path \"/bin/check x\"\n  }\n  UDP_CHECK {\n  }\n }\n}\n");
	const struct lvs_checker *c;

	assert_int_equal(f->rc, 0);
	c = l->virtual_servers->real_servers->checkers;
	assert_int_equal(c->delay_before_retry_us, 3 * SEC); /* HTTP: 3 s */
	assert_int_equal(c->u.http.protocol, LVS_HTTP_1_0);
	c = c->next;
	assert_int_equal(c->retry, 3); /* DNS: retry 3, delay_before_retry = delay_loop */
	assert_int_equal(c->delay_before_retry_us, 7 * SEC);
	assert_int_equal(c->u.dns.type, LVS_DNS_SOA);
	assert_string_equal(c->u.dns.name, ".");
	c = c->next;
	assert_int_equal(c->retry, 0); /* MISC: retry 0 */
	assert_string_equal(c->u.misc.script.cmd, "/bin/check x");
	c = c->next;
	assert_int_equal(c->u.udp.max_reply_length, 255);
	assert_false(c->u.udp.require_reply);
	assert_int_equal(l->n_scripts, 1);
}

static void test_scheduler_and_forwarding(void **state)
{
	struct fixture *f = *state;
	const struct lvs_conf *l = load(
		f, "virtual_server 10.0.0.1 80 {\n lvs_sched mh\n mh-port\n mh-fallback\n flag-3\n"
		   " protocol UDP\n ops\n lvs_method TUN type gue port 6080 csum\n"
		   " persistence_timeout\n persistence_granularity 255.255.255.0\n"
		   " persistence_engine sip\n"
		   " real_server 10.0.0.2 80 {\n }\n real_server 10.0.0.3 80 {\n  lvs_method DR\n }\n}\n");
	const struct lvs_virtual_server *vs;

	assert_int_equal(f->rc, 0);
	assert_false(diag_fails_test(&f->dl));
	vs = l->virtual_servers;
	assert_string_equal(vs->sched, "mh");
	assert_int_equal(vs->sched_flags, LVS_SCHED_FLAG_1 | LVS_SCHED_FLAG_2 | LVS_SCHED_FLAG_3);
	assert_true(vs->one_packet);
	assert_int_equal(vs->fwd.method, LVS_FWD_TUN);
	assert_int_equal(vs->fwd.tun_type, LVS_TUN_GUE);
	assert_int_equal(vs->fwd.tun_port, 6080);
	assert_int_equal(vs->fwd.tun_csum, LVS_TUN_CSUM);
	assert_int_equal(vs->persistence_timeout, 360);
	assert_int_equal(vs->persistence_granularity, htonl(0xffffff00));
	assert_string_equal(vs->persistence_engine, "sip");
	assert_int_equal(vs->real_servers->fwd.method, LVS_FWD_TUN);
	assert_int_equal(vs->real_servers->fwd.tun_port, 6080);
	assert_int_equal(vs->real_servers->next->fwd.method, LVS_FWD_DR);
}

static void test_fwmark_and_sorry(void **state)
{
	struct fixture *f = *state;
	const struct lvs_conf *l = load(
		f, "virtual_server fwmark 5 {\n lb_algo wlc\n lb_kind DR\n"
		   " sorry_server 2001:db8::9\n sorry_server_inhibit\n sorry_server_lvs_method TUN\n"
		   " real_server 2001:db8::2 {\n }\n}\n");
	const struct lvs_virtual_server *vs;

	assert_int_equal(f->rc, 0);
	assert_false(diag_fails_test(&f->dl));
	vs = l->virtual_servers;
	assert_int_equal(vs->kind, LVS_VS_FWMARK);
	assert_int_equal(vs->fwmark, 5);
	assert_int_equal(vs->family, AF_INET6);
	assert_int_equal(vs->protocol, LVS_PROTO_NONE);
	assert_non_null(vs->sorry_server);
	assert_true(vs->sorry_server->inhibit_on_failure);
	assert_int_equal(vs->sorry_server->fwd.method, LVS_FWD_TUN);
	assert_int_equal(vs->real_servers->port, 0);
}

static void addr_is(const struct vaddr *a, const char *text)
{
	char buf[VADDR_STRLEN];

	assert_string_equal(vaddr_format(a, buf, sizeof(buf)), text);
}

static void test_groups(void **state)
{
	struct fixture *f = *state;
	const struct lvs_conf *l = load(
		f, "virtual_server_group G {\n 10.0.0.1-10 80\n 10.1.0.0/30 443\n"
		   " 10.2.0.250-10.2.1.5 80\n fwmark 7 inet\n 2001:db8::1-1f 80\n}\n"
		   "virtual_server group G {\n lb_algo rr\n lb_kind TUN\n protocol TCP\n"
		   " real_server 10.0.0.2 80 {\n }\n}\n");
	const struct lvs_vs_group *g;
	const struct lvs_vsg_entry *e;

	assert_int_equal(f->rc, 0);
	assert_int_equal(l->n_groups, 1);
	g = l->groups;
	assert_string_equal(g->name, "G");
	assert_int_equal(g->n_ranges, 4);
	assert_int_equal(g->n_fwmarks, 1);
	assert_true(g->have_ipv4 && g->have_ipv6);
	e = g->ranges;
	addr_is(&e->start, "10.0.0.1");
	addr_is(&e->end, "10.0.0.10");
	assert_int_equal(e->port, 80);
	e = e->next;
	addr_is(&e->start, "10.1.0.0");
	addr_is(&e->end, "10.1.0.3");
	assert_int_equal(e->port, 443);
	e = e->next;
	addr_is(&e->end, "10.2.1.5");
	e = e->next;
	addr_is(&e->end, "2001:db8::1f");
	assert_int_equal(g->fwmarks->fwmark, 7);
	assert_int_equal(g->fwmarks->fwmark_family, AF_INET);
	assert_ptr_equal(l->virtual_servers->group, g);
}

static void test_group_errors(void **state)
{
	struct fixture *f = *state;

	load(f, "virtual_server_group G {\n 10.0.0.10-5 80\n 10.0.0.1/24 80\n fwmark 1 ipx\n}\n");
	assert_int_not_equal(f->rc, 0);
	assert_int_equal(diag_with(f, "not greater than")->line, 2);
	assert_int_equal(diag_with(f, "mask bits not empty")->line, 3);
	assert_int_equal(diag_with(f, "'ipx'")->col, 11);

	/* An unknown group: keepalived -t accepts it; the service is dropped. */
	load(f, "virtual_server group NOPE {\n lb_algo rr\n real_server 10.0.0.2 80 {\n }\n}\n");
	assert_int_equal(f->rc, 0);
	assert_false(diag_fails_test(&f->dl));
	assert_int_equal(f->cfg->lvs.n_virtual_servers, 0);
	diag_with(f, "'NOPE' is not defined");
}

static void test_http(void **state)
{
	struct fixture *f = *state;
	const struct lvs_conf *l = load(
		f, VS_HEAD " virtualhost vs.example\n real_server 10.0.0.2 80 {\n"
		   "  SSL_GET {\n   http_protocol 1.0C\n   enable_sni\n   fast_recovery\n"
		   "   connect_port 443\n"
		   "   url {\n    path /a\n    status_code 200-204 404\n"
		   "    digest 9b3a0c85a887a256d6939da88aabd8cd\n    virtualhost u.example\n   }\n"
		   "   url {\n    path /b\n    regex \"ok.*\"\n   }\n  }\n }\n}\n");
	const struct lvs_checker *c;
	const struct lvs_url *u;

	assert_int_equal(f->rc, 0);
	c = l->virtual_servers->real_servers->checkers;
	assert_int_equal(c->type, LVS_CHECK_SSL);
	assert_int_equal(c->connect_port, 443);
	assert_int_equal(c->u.http.protocol, LVS_HTTP_1_0C);
	assert_true(c->u.http.enable_sni && c->u.http.fast_recovery);
	assert_int_equal(c->u.http.n_urls, 2);
	u = c->u.http.urls;
	assert_string_equal(u->path, "/a");
	assert_true(lvs_status_has(&u->status_codes, 204));
	assert_false(lvs_status_has(&u->status_codes, 205));
	assert_true(lvs_status_has(&u->status_codes, 404));
	assert_true(u->has_digest);
	assert_int_equal(u->digest[0], 0x9b);
	assert_int_equal(u->digest[15], 0xcd);
	assert_string_equal(u->virtualhost, "u.example");
	u = u->next;
	assert_true(lvs_status_has(&u->status_codes, 200)); /* default 200-299 */
	assert_true(lvs_status_has(&u->status_codes, 299));
	assert_false(lvs_status_has(&u->status_codes, 300));
	assert_string_equal(u->virtualhost, "vs.example"); /* from the VS */
	assert_string_equal(u->regex, "ok.*");
}

static void test_udp_hex(void **state)
{
	struct fixture *f = *state;
	const struct lvs_conf *l = load(
		f, VS_HEAD " real_server 10.0.0.2 80 {\n  UDP_CHECK {\n   payload Ab12f 3 456\n"
		   "   require_reply 1x\n  }\n }\n}\n");
	const struct lvs_udp_check *u;
	static const uint8_t want[] = { 0xab, 0x12, 0x0f, 0x03, 0x45, 0x06 };

	assert_int_equal(f->rc, 0);
	u = &l->virtual_servers->real_servers->checkers->u.udp;
	assert_int_equal(u->payload_len, sizeof(want));
	assert_memory_equal(u->payload, want, sizeof(want));
	assert_true(u->require_reply);
	assert_int_equal(u->reply_len, 1);
	assert_int_equal(u->reply[0], 0x10);
	assert_int_equal(u->reply_mask[0], 0xf0);
}

/* Bad values are errors at the offending word. */
static void test_value_errors(void **state)
{
	struct fixture *f = *state;

	load(f, VS_HEAD " lb_algo wrrr\n real_server 10.0.0.2 80 {\n  weight 2147483648\n"
		"  HTTP_GET {\n   url {\n    path /\n    digest 9b3a\n    status_code 299-200 99\n"
		"   }\n  }\n }\n}\n");
	assert_int_not_equal(f->rc, 0);
	assert_int_equal(diag_with(f, "did you mean 'wrr'")->line, 5);
	assert_int_equal(diag_with(f, "did you mean 'wrr'")->col, 10);
	assert_int_equal(diag_with(f, "out of range")->line, 7);
	assert_int_equal(diag_with(f, "32 hex digits")->line, 11);
	assert_int_equal(diag_with(f, "'299-200'")->col, 17);
	assert_int_equal(diag_with(f, "'99'")->col, 25);

	load(f, VS_HEAD " lvs_method TUN type gue\n real_server 10.0.0.2 80 {\n }\n}\n");
	diag_with(f, "gue tunnels require a port");
	load(f, VS_HEAD " protocol ICMP\n real_server 10.0.0.x 80 {\n }\n}\n");
	diag_with(f, "expected TCP|UDP|SCTP");
	diag_with(f, "'10.0.0.x' is not a valid");
}

/* What keepalived corrects but reports (so -t fails): a warning that fails
 * the config test while the model still loads. */
static void test_keepalived_corrections(void **state)
{
	struct fixture *f = *state;
	const struct lvs_conf *l = load(
		f, "virtual_server 10.0.0.1 80 {\n quorum 5\n hysteresis 9\n"
		   " real_server 10.0.0.2 80 {\n }\n real_server 10.0.0.2 80 {\n }\n"
		   " real_server fe80::1 80 {\n }\n}\n");
	const struct lvs_virtual_server *vs;

	assert_int_equal(f->rc, 0);
	assert_true(diag_fails_test(&f->dl));
	/* Corrections fail the test as DIAG_STRICT; none is an unknown keyword. */
	assert_true(f->dl.strict >= 6);
	assert_int_equal(f->dl.unknown, 0);
	assert_int_equal(f->dl.errors, 0);
	vs = l->virtual_servers;
	assert_int_equal(vs->protocol, LVS_PROTO_UDP); /* keepalived's default */
	assert_string_equal(vs->sched, "wlc");
	assert_int_equal(vs->fwd.method, LVS_FWD_NAT);
	assert_int_equal(vs->n_real_servers, 1);
	assert_int_equal(vs->quorum, 1);
	assert_int_equal(vs->hysteresis, 0);
	assert_int_equal(diag_with(f, "is duplicated")->line, 6);
	assert_int_equal(diag_with(f, "don't match - skipping real server")->line, 8);
	diag_with(f, "no protocol set");
	diag_with(f, "no scheduler set");
	diag_with(f, "no forwarding method set");
	diag_with(f, "exceeds total weight");

	load(f, VS_HEAD " ops\n sh-port\n real_server 10.0.0.2 8080 {\n  lvs_method DR\n }\n}\n");
	assert_int_equal(f->rc, 0);
	assert_false(f->cfg->lvs.virtual_servers->one_packet);
	assert_int_equal(f->cfg->lvs.virtual_servers->real_servers->port, 80);
	diag_with(f, "one packet scheduling requires UDP");
	diag_with(f, "only applies to the sh scheduler");
	diag_with(f, "ports don't match - resetting");

	/* A virtual server without real servers leaves the model. */
	load(f, VS_HEAD "}\n");
	assert_int_equal(f->rc, 0);
	assert_int_equal(f->cfg->lvs.n_virtual_servers, 0);
	diag_with(f, "has no real servers");

	/* Checkers missing what they need are dropped. */
	load(f, VS_HEAD " real_server 10.0.0.2 80 {\n  HTTP_GET {\n   url {\n   }\n  }\n"
		"  MISC_CHECK {\n  }\n  FILE_CHECK {\n  }\n  TCP_CHECK {\n  }\n }\n}\n");
	assert_int_equal(f->rc, 0);
	assert_int_equal(f->cfg->lvs.n_checkers, 1);
	diag_with(f, "url has no path");
	diag_with(f, "no urls specified");
	diag_with(f, "no misc_path");
	diag_with(f, "no track_file");
}

static void test_unknown_keyword(void **state)
{
	struct fixture *f = *state;

	load(f, VS_HEAD " real_server 10.0.0.2 80 {\n  wieght 3\n  TCP_CHECK {\n   conect_port 1\n"
		"  }\n }\n}\n");
	assert_true(diag_fails_test(&f->dl));
	assert_int_equal(f->dl.unknown, 2);
	assert_int_equal(f->dl.strict, 2);
	assert_int_equal(diag_with(f, "did you mean 'weight'")->line, 6);
	assert_int_equal(diag_with(f, "did you mean 'connect_port'")->line, 8);
}

/* Each tests/data/lvs file gets keepalived 2.2.7's verdict (see README). */
static void test_keepalived_verdicts(void **state)
{
	struct fixture *f = *state;
	const char *top = getenv("top_srcdir");
	char dir[4096], path[8192];
	struct dirent *de;
	unsigned checked = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/tests/data/lvs", top ? top : ".");
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		bool accept = strncmp(de->d_name, "accept-", 7) == 0;
		char head[16];
		FILE *fp;

		if (!strstr(de->d_name, ".conf") || strstr(de->d_name, "script-security"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		fp = fopen(path, "r");
		assert_non_null(fp);
		/* global_defs belongs to another model; skip until it lands. */
		if (fgets(head, sizeof(head), fp) && strncmp(head, "global_defs", 11) == 0) {
			fclose(fp);
			continue;
		}
		fclose(fp);
		diag_list_free(&f->dl);
		f->cfg = NULL;
		config_load_file(path, NULL, f->arena, &f->dl, &f->cfg);
		if (accept == diag_fails_test(&f->dl)) {
			diag_print(&f->dl, stderr);
			fail_msg("%s: keepalived -t %s it, vigil %s it", de->d_name,
				 accept ? "accepts" : "rejects", accept ? "rejects" : "accepts");
		}
		checked++;
	}
	closedir(d);
	assert_true(checked > 90);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inheritance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checker_type_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scheduler_and_forwarding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fwmark_and_sorry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_http, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_hex, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keepalived_corrections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_keyword, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keepalived_verdicts, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
