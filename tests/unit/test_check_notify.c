/* notify_up / notify_down (and a virtual server's quorum_up /
 * quorum_down) preparation (checkers/notify.c): the command
 * line split as keepalived splits it, nothing kept for real servers
 * without scripts, scripts that may not run refused once, and one
 * identity/security verdict shared by real servers running one program.
 * Running them is tests/checkers/notify.sh's job. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "checkers/notify.h"
#include "parser/config.h"

static const char conf[] = "virtual_server 10.0.0.1 80 {\n"
			   "  protocol TCP\n"
			   "  real_server 10.0.1.1 80 {\n"
			   "    notify_up \"/bin/sh -c 'echo up' x\"\n"
			   "    notify_down /bin/true\n"
			   "    TCP_CHECK {\n }\n"
			   "  }\n"
			   "  real_server 10.0.1.2 80 {\n TCP_CHECK {\n }\n }\n"
			   "  real_server 10.0.1.3 80 {\n"
			   "    notify_up \"/bin/sh -c 'echo three'\"\n"
			   "    TCP_CHECK {\n }\n"
			   "  }\n"
			   "  real_server 10.0.1.4 80 {\n"
			   "    notify_down \"/bin/true\" no-such-user-vigil\n"
			   "    TCP_CHECK {\n }\n"
			   "  }\n"
			   "}\n";

static const char quorum_conf[] = "virtual_server 10.0.0.1 80 {\n"
				  "  protocol TCP\n"
				  "  quorum_up \"/bin/sh -c 'echo up'\"\n"
				  "  real_server 10.0.1.1 80 {\n TCP_CHECK {\n }\n }\n"
				  "}\n"
				  "virtual_server 10.0.0.2 80 {\n"
				  "  protocol TCP\n"
				  "  real_server 10.0.1.1 80 {\n TCP_CHECK {\n }\n }\n"
				  "}\n";

static const struct lvs_real_server *nth_rs(const struct vigil_config *cfg, unsigned i)
{
	const struct lvs_real_server *rs = cfg->lvs.virtual_servers->real_servers;

	while (i--)
		rs = rs->next;
	return rs;
}

static const struct vigil_config *load(const char *text, struct arena *arena,
				       struct diag_list *dl)
{
	const struct vigil_config *cfg = NULL;

	if (config_load_string("t.conf", text, NULL, arena, dl, &cfg) != 0) {
		diag_print(dl, stderr);
		fail_msg("config did not load");
	}
	return cfg;
}

static void test_prepare(void **state)
{
	struct arena *arena = arena_new(1 << 22);
	struct diag_list dl = {0};
	const struct vigil_config *cfg = load(conf, arena, &dl);
	struct rs_notify_prep prep = {0};
	struct rs_notify *n;

	(void)state;

	/* Quoted words keep their spaces; nothing is added to the argv. */
	n = rs_notify_new(nth_rs(cfg, 0), &cfg->global, &prep, "rs1");
	assert_non_null(n);
	assert_non_null(n->up.argv);
	assert_string_equal(n->up.argv[0], "/bin/sh");
	assert_string_equal(n->up.argv[1], "-c");
	assert_string_equal(n->up.argv[2], "echo up");
	assert_string_equal(n->up.argv[3], "x");
	assert_null(n->up.argv[4]);
	assert_string_equal(n->down.argv[0], "/bin/true");
	assert_null(n->down.argv[1]);
	rs_notify_free(n);

	/* No scripts: nothing kept, whatever the number of real servers. */
	assert_null(rs_notify_new(nth_rs(cfg, 1), &cfg->global, &prep, "rs2"));

	/* The same program as the real server before: its verdict reused. */
	n = rs_notify_new(nth_rs(cfg, 2), &cfg->global, &prep, "rs3");
	assert_non_null(n);
	assert_non_null(n->up.argv);
	assert_string_equal(n->up.argv[2], "echo three");
	assert_null(n->down.argv);
	rs_notify_free(n);

	/* A user that does not exist: refused now, never run. */
	n = rs_notify_new(nth_rs(cfg, 3), &cfg->global, &prep, "rs4");
	assert_non_null(n);
	assert_null(n->down.argv);
	assert_int_equal(prep.refused, 1);
	rs_notify_free(n);

	rs_notify_prep_end(&prep);
	assert_int_equal(prep.refused, 0);
	/* Running a refused or absent script is a no-op, with or without a runner. */
	rs_notify_run(NULL, NULL, true, "none");
	rs_notify_free(NULL);
	diag_list_free(&dl);
	arena_free(arena);
}

/* quorum_up / quorum_down: prepared like notify_up / notify_down, "up"
 * being quorum_up; nothing kept for a virtual server without them. */
static void test_quorum(void **state)
{
	struct arena *arena = arena_new(1 << 22);
	struct diag_list dl = {0};
	const struct vigil_config *cfg = load(quorum_conf, arena, &dl);
	struct rs_notify_prep prep = {0};
	struct rs_notify *n;

	(void)state;
	n = vs_quorum_notify_new(cfg->lvs.virtual_servers, &cfg->global, &prep, "vs1");
	assert_non_null(n);
	assert_non_null(n->up.argv);
	assert_string_equal(n->up.argv[0], "/bin/sh");
	assert_string_equal(n->up.argv[2], "echo up");
	assert_null(n->down.argv);
	rs_notify_free(n);
	assert_null(vs_quorum_notify_new(cfg->lvs.virtual_servers->next, &cfg->global, &prep,
					 "vs2"));
	rs_notify_prep_end(&prep);
	diag_list_free(&dl);
	arena_free(arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prepare),
	    cmocka_unit_test(test_quorum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
