/* Script security: keepalived 2.2.7's -t verdicts on scripts, for a given
 * host (euid, whether "keepalived_script" exists, which programs exist).
 * Each case below was run through keepalived -t as root in a network
 * namespace; its exit code is in the comment. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "parser/config.h"
#include "parser/script_security.h"

struct checked {
	struct arena *arena;
	struct diag_list dl;
	const struct vigil_config *cfg;
	unsigned strict;
};

/* Programs that exist on the imaginary host. */
static bool exists(const char *prog, void *data)
{
	(void)data;
	return !strcmp(prog, "/bin/true") || !strcmp(prog, "true");
}

static const struct script_env root_host = { .euid = 0, .program_exists = exists };

static struct checked last;

static void release(void)
{
	arena_free(last.arena);
	diag_list_free(&last.dl);
	memset(&last, 0, sizeof(last));
}

static struct checked *check(const char *text, const struct script_env *env)
{
	release();
	last.arena = arena_new(1 << 22);
	assert_non_null(last.arena);
	assert_int_equal(config_load_string("t.conf", text, NULL, last.arena, &last.dl, &last.cfg),
			 0);
	assert_int_equal(last.dl.strict, 0);
	last.strict = config_check_script_security(last.cfg, env, &last.dl);
	assert_int_equal(last.strict, last.dl.strict);
	return &last;
}

static const char *diag_text(const struct checked *c, const char *needle)
{
	static char buf[1024];
	int i = diag_find(&c->dl, needle);

	if (i < 0) {
		diag_print(&c->dl, stderr);
		fail_msg("no diagnostic containing '%s'", needle);
	}
	return diag_format(&c->dl.v[i], buf, sizeof(buf));
}

#define SECURE "global_defs {\n enable_script_security\n}\n"
#define INSTANCE(body)                                                                     \
	"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n"                      \
	" virtual_ipaddress {\n  10.0.0.1\n }\n" body "}\n"
#define VS(body)                                                                           \
	"virtual_server 10.0.0.1 80 {\n lb_algo rr\n lb_kind NAT\n protocol TCP\n" body "}\n"

/* keepalived -t: 6, "SECURITY VIOLATION". */
static void test_scripts_without_security(void **state)
{
	struct checked *c = check(INSTANCE(" notify_master /bin/true\n notify_backup true\n"),
				  &root_host);

	(void)state;
	assert_int_equal(c->strict, 1);
	assert_true(diag_fails_test(&c->dl));
	assert_string_equal(diag_text(c, "SECURITY VIOLATION"),
			    "t.conf:7:2: warning: vrrp_instance VI_1 notify_master runs a script, "
			    "but enable_script_security is not set: scripts would run as root "
			    "without checks on who can change them (keepalived -t: \"SECURITY "
			    "VIOLATION\") (2 scripts in all); add enable_script_security to "
			    "global_defs, with script_user or a 'keepalived_script' account");
}

/* Who the scripts would run as depends on the host. */
static void test_runs_as(void **state)
{
	struct script_env user_host = root_host, default_host = root_host;
	struct checked *c;

	(void)state;
	user_host.euid = 1000;
	c = check(INSTANCE(" notify /bin/true\n"), &user_host);
	assert_non_null(strstr(diag_text(c, "SECURITY"), "would run as uid 1000 "));
	assert_null(script_default_user(c->cfg, &user_host));

	default_host.default_user_exists = true;
	c = check(INSTANCE(" notify /bin/true\n"), &default_host);
	assert_non_null(strstr(diag_text(c, "SECURITY"), "would run as 'keepalived_script' "));
	assert_null(strstr(diag_text(c, "SECURITY"), "with script_user"));
	assert_string_equal(script_default_user(c->cfg, &default_host), "keepalived_script");

	c = check("global_defs {\n script_user nobody\n}\n" INSTANCE(" notify /bin/true\n"),
		  &default_host);
	assert_non_null(strstr(diag_text(c, "SECURITY"), "would run as 'nobody' "));
	assert_string_equal(script_default_user(c->cfg, &default_host), "nobody");
}

/* keepalived -t: 0. It ignores notify scripts it cannot find. */
static void test_missing_notify_program(void **state)
{
	struct checked *c = check(INSTANCE(" notify_master /nonexistent/x\n"), &root_host);

	(void)state;
	assert_int_equal(c->strict, 0);
	assert_false(diag_fails_test(&c->dl));
	diag_text(c, "program of '/nonexistent/x' not found; it will not run");
}

/* keepalived -t: 5, "Disabling track script chk since not found/accessible",
 * but only with a vrrp_instance: without one its VRRP process does not run,
 * and nothing is checked (0). */
static void test_vrrp_script(void **state)
{
	struct checked *c;

	(void)state;
	c = check("vrrp_script chk {\n script /nonexistent\n}\n" INSTANCE(""), &root_host);
	assert_int_equal(c->strict, 1);
	assert_string_equal(diag_text(c, "not found"),
			    "t.conf:1:1: warning: vrrp_script chk: program of '/nonexistent' not "
			    "found or not accessible; keepalived disables the script and its -t "
			    "fails");
	c = check("vrrp_script chk {\n script /nonexistent\n}\n", &root_host);
	assert_int_equal(c->strict, 0);
	/* An unused vrrp_script still counts (6), but only with an instance (0). */
	c = check("vrrp_script chk {\n script /bin/true\n}\n" INSTANCE(""), &root_host);
	diag_text(c, "vrrp_script chk runs a script");
	c = check("vrrp_script chk {\n script /bin/true\n}\n", &root_host);
	assert_int_equal(c->strict, 0);
	/* "</path" only tests a file (0). */
	c = check("vrrp_script chk {\n script \"</dev/null\"\n}\n" INSTANCE(""), &root_host);
	assert_int_equal(c->strict, 0);
	c = check("vrrp_script chk {\n script \"< /dev/null\"\n}\n" INSTANCE(""), &root_host);
	diag_text(c, "program of '< /dev/null' not found");
}

/* keepalived -t: 5, "Unable to set default user keepalived_script", at the
 * first script without a user of its own; 0 once there is a user. */
static void test_no_default_user(void **state)
{
	struct script_env default_host = root_host;
	struct checked *c;

	(void)state;
	c = check(SECURE "vrrp_script chk {\n script /bin/true\n user root\n}\n"
		  INSTANCE(" notify_master /bin/true\n notify_backup /bin/true\n"), &root_host);
	assert_int_equal(c->strict, 1);
	assert_string_equal(diag_text(c, "default user"),
			    "t.conf:14:2: warning: vrrp_instance VI_1 notify_master has no user "
			    "to run as: enable_script_security is set, script_user is not, and "
			    "there is no 'keepalived_script' account (keepalived -t: \"Unable to "
			    "set default user\"); set script_user in global_defs, give the script "
			    "a user, or create the account");
	/* Even for a missing program, and without any instance (5). */
	c = check(SECURE "vrrp_script chk {\n script /nonexistent\n}\n", &root_host);
	assert_int_equal(c->strict, 1);

	default_host.default_user_exists = true;
	c = check(SECURE INSTANCE(" notify_master /bin/true\n"), &default_host);
	assert_int_equal(c->strict, 0);
	c = check("global_defs {\n enable_script_security\n script_user nobody\n}\n"
		  INSTANCE(" notify_master /bin/true\n"), &root_host);
	assert_int_equal(c->strict, 0);
	c = check(SECURE INSTANCE(" notify_master /bin/true root\n"), &root_host);
	assert_int_equal(c->strict, 0);
	/* enable_script_security with no script at all (0). */
	c = check(SECURE INSTANCE(""), &root_host);
	assert_int_equal(c->strict, 0);
}

/* keepalived -t: 6 for each (tests/data/lvs/reject-script-security-*.conf). */
static void test_lvs_and_global_scripts(void **state)
{
	struct checked *c;

	(void)state;
	c = check(VS(" real_server 10.0.0.2 80 {\n  MISC_CHECK {\n   misc_path /bin/true\n"
		     "  }\n }\n"), &root_host);
	diag_text(c, "MISC_CHECK misc_path runs a script");
	c = check(VS(" quorum_up /bin/true\n real_server 10.0.0.2 80 {\n }\n"), &root_host);
	diag_text(c, "virtual_server quorum_up runs a script");
	c = check(VS(" real_server 10.0.0.2 80 {\n  notify_down \"/bin/true x\"\n }\n"),
		  &root_host);
	diag_text(c, "real_server notify_down runs a script");
	c = check("global_defs {\n startup_script /bin/true\n}\n", &root_host);
	assert_string_equal(diag_text(c, "SECURITY"),
			    "t.conf:2:2: warning: startup_script runs a script, but "
			    "enable_script_security is not set: scripts would run as root without "
			    "checks on who can change them (keepalived -t: \"SECURITY VIOLATION\"); "
			    "add enable_script_security to global_defs, with script_user or a "
			    "'keepalived_script' account");
	c = check(VS(" real_server 10.0.0.2 80 {\n  notify_up /bin/true\n }\n")
		  "global_defs {\n enable_script_security\n script_user root\n}\n", &root_host);
	assert_int_equal(c->strict, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scripts_without_security),
		cmocka_unit_test(test_runs_as),
		cmocka_unit_test(test_missing_notify_program),
		cmocka_unit_test(test_vrrp_script),
		cmocka_unit_test(test_no_default_user),
		cmocka_unit_test(test_lvs_and_global_scripts),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	release();
	return rc;
}
