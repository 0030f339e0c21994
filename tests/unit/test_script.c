/* lib/script.c: command lines split as keepalived splits them, and the
 * enable_script_security checks on a real directory tree. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/script.h"

static char **split_ok(const char *cmd, int expect_n)
{
	char why[128] = "", **argv = NULL;
	int n = script_split(cmd, &argv, why, sizeof(why));

	if (n != expect_n)
		print_error("split(%s): %d (%s)\n", cmd, n, why);
	assert_int_equal(n, expect_n);
	assert_null(argv[n]);
	return argv;
}

static void test_split_plain_words(void **state)
{
	char **a = split_ok("  /usr/bin/check\t-a  b ", 3);

	assert_string_equal(a[0], "/usr/bin/check");
	assert_string_equal(a[1], "-a");
	assert_string_equal(a[2], "b");
	script_argv_free(a);
}

static void test_split_single_quotes_keep_spaces(void **state)
{
	/* keepalived.conf(5): "If it is required for a parameter to contain a
	 * space, it should be enclosed in single quotes". */
	char **a = split_ok("/bin/notify 'VI 1' x'y z'w ''", 4);

	assert_string_equal(a[1], "VI 1");
	assert_string_equal(a[2], "xy zw");
	assert_string_equal(a[3], "");
	script_argv_free(a);
}

static void test_split_double_quotes_and_mixed(void **state)
{
	char **a = split_ok("a \"b 'c' d\" 'e \"f\"'", 3);

	assert_string_equal(a[1], "b 'c' d");
	assert_string_equal(a[2], "e \"f\"");
	script_argv_free(a);
}

static void test_split_escapes(void **state)
{
	char **a = split_ok("x a\\ b \\x41\\102\\cA\\t \\\\ \\'q", 5);

	assert_string_equal(a[1], "a b");
	assert_string_equal(a[2], "AB\001\t");
	assert_string_equal(a[3], "\\");
	assert_string_equal(a[4], "'q");
	script_argv_free(a);
	a = split_ok("x \\'q", 2);
	assert_string_equal(a[1], "'q");
	script_argv_free(a);
}

static void test_split_errors(void **state)
{
	char why[128], **argv = (char **)1;

	assert_int_equal(script_split("a 'b c", &argv, why, sizeof(why)), -EINVAL);
	assert_null(argv);
	assert_non_null(strstr(why, "'"));
	assert_int_equal(script_split("a \"b", &argv, why, sizeof(why)), -EINVAL);
	assert_int_equal(script_split("a b\\", &argv, why, sizeof(why)), -EINVAL);
	assert_int_equal(script_split("   ", &argv, why, sizeof(why)), -EINVAL);
	assert_int_equal(script_split("a \\x00", &argv, why, sizeof(why)), -EINVAL);
}

/* --- security: a tree under a private root-owned directory ------------- */

static char base[64];

static int tree_setup(void **state)
{
	strcpy(base, "/tmp/test_script.XXXXXX");
	if (!mkdtemp(base))
		return -1;
	chmod(base, 0755);
	return 0;
}

static int tree_teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

static void make_file(const char *rel, mode_t mode, uid_t uid, gid_t gid)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nexit 0\n", f);
	fclose(f);
	assert_int_equal(chown(p, uid, gid), 0);
	assert_int_equal(chmod(p, mode), 0);
}

static void make_dir(const char *rel, mode_t mode, uid_t uid, gid_t gid)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", base, rel);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(chown(p, uid, gid), 0);
	assert_int_equal(chmod(p, mode), 0);
}

static enum script_security check_as(const char *rel, uid_t uid, gid_t gid, char *why)
{
	struct script_identity id = { uid, gid };
	char path[256], resolved[256];

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	return script_security_check(path, &id, NULL, resolved, sizeof(resolved), why, 256);
}

#define NEED_ROOT()                                                                              \
	do {                                                                                     \
		if (geteuid() != 0)                                                              \
			skip();                                                                  \
	} while (0)

static void test_security_root_owned_tree_is_secure(void **state)
{
	char why[256];

	NEED_ROOT();
	make_dir("ok", 0755, 0, 0);
	make_file("ok/chk.sh", 0755, 0, 0);
	assert_int_equal(check_as("ok/chk.sh", 0, 0, why), SCRIPT_SECURE);
	/* group-writable is fine when the group is root */
	make_dir("rootgrp", 0775, 0, 0);
	make_file("rootgrp/chk.sh", 0775, 0, 0);
	assert_int_equal(check_as("rootgrp/chk.sh", 0, 0, why), SCRIPT_SECURE);
	/* a sticky world-writable directory, like /tmp, is allowed */
	make_dir("sticky", 01777, 0, 0);
	make_file("sticky/chk.sh", 0755, 0, 0);
	assert_int_equal(check_as("sticky/chk.sh", 0, 0, why), SCRIPT_SECURE);
}

static void test_security_writable_directory_is_insecure(void **state)
{
	char why[256];

	NEED_ROOT();
	make_dir("grpw", 0775, 0, 100);
	make_file("grpw/chk.sh", 0755, 0, 0);
	assert_int_equal(check_as("grpw/chk.sh", 0, 0, why), SCRIPT_INSECURE);
	assert_non_null(strstr(why, "/grpw' is writable by a non-root group (mode 0775)"));

	make_dir("user", 0755, 1000, 0);
	make_file("user/chk.sh", 0755, 0, 0);
	assert_int_equal(check_as("user/chk.sh", 0, 0, why), SCRIPT_INSECURE);
	assert_non_null(strstr(why, "owned by uid 1000"));
	/* run as a non-root user, nothing needs protecting */
	assert_int_equal(check_as("user/chk.sh", 65534, 65534, why), SCRIPT_SECURE);
	/* unless it runs with root's group */
	assert_int_equal(check_as("user/chk.sh", 65534, 0, why), SCRIPT_INSECURE);
}

static void test_security_writable_script_is_insecure(void **state)
{
	char why[256];

	NEED_ROOT();
	make_dir("ww", 0755, 0, 0);
	make_file("ww/chk.sh", 0757, 0, 0);
	assert_int_equal(check_as("ww/chk.sh", 0, 0, why), SCRIPT_INSECURE);
	assert_non_null(strstr(why, "writable by everyone"));
	make_file("ww/mine.sh", 0755, 1000, 1000);
	assert_int_equal(check_as("ww/mine.sh", 0, 0, why), SCRIPT_INSECURE);
	/* setuid root makes the owner's writes matter even for nobody */
	make_dir("suid", 0777, 0, 0);
	make_file("suid/s.sh", 04755, 0, 0);
	assert_int_equal(check_as("suid/s.sh", 65534, 65534, why), SCRIPT_INSECURE);
}

static void test_security_symlink_target_checked(void **state)
{
	char why[256], link[256], target[256];

	NEED_ROOT();
	make_dir("bad", 0777, 0, 0);
	make_file("bad/real.sh", 0755, 0, 0);
	make_dir("good", 0755, 0, 0);
	snprintf(target, sizeof(target), "%s/bad/real.sh", base);
	snprintf(link, sizeof(link), "%s/good/link.sh", base);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(check_as("good/link.sh", 0, 0, why), SCRIPT_INSECURE);
	assert_non_null(strstr(why, "/bad'"));
}

static void test_security_missing_and_not_executable(void **state)
{
	char why[256];

	NEED_ROOT();
	make_dir("nx", 0755, 0, 0);
	make_file("nx/plain.sh", 0644, 0, 0);
	assert_int_equal(check_as("nx/plain.sh", 0, 0, why), SCRIPT_NOT_EXECUTABLE);
	assert_int_equal(check_as("nx/absent.sh", 0, 0, why), SCRIPT_NOT_FOUND);
	make_file("nx/owner_only.sh", 0700, 0, 0);
	assert_int_equal(check_as("nx/owner_only.sh", 65534, 65534, why), SCRIPT_NOT_EXECUTABLE);
	assert_false(script_security_allows(SCRIPT_NOT_EXECUTABLE, false));
	assert_true(script_security_allows(SCRIPT_INSECURE, false));
	assert_false(script_security_allows(SCRIPT_INSECURE, true));
}

static void test_security_bare_name_searched_in_path(void **state)
{
	struct script_identity id = { 0, 0 };
	char why[256], resolved[256], path_env[256], expect[256];

	NEED_ROOT();
	make_dir("p1", 0755, 0, 0);
	make_dir("p2", 0755, 0, 0);
	make_file("p2/mycheck", 0755, 0, 0);
	snprintf(path_env, sizeof(path_env), "%s/p1:%s/p2", base, base);
	assert_int_equal(script_security_check("mycheck", &id, path_env, resolved,
					       sizeof(resolved), why, sizeof(why)),
			 SCRIPT_SECURE);
	snprintf(expect, sizeof(expect), "%s/p2/mycheck", base);
	assert_string_equal(resolved, expect);
	assert_int_equal(script_security_check("nosuch", &id, path_env, resolved,
					       sizeof(resolved), why, sizeof(why)),
			 SCRIPT_NOT_FOUND);
	/* /bin is a symlink on merged-/usr systems: resolved, not refused */
	assert_int_equal(script_security_check("/bin/true", &id, NULL, resolved,
					       sizeof(resolved), why, sizeof(why)),
			 SCRIPT_SECURE);
}

static void test_identity_resolve(void **state)
{
	struct script_identity id;
	char why[128];

	assert_int_equal(script_identity_resolve("nobody", NULL, &id, why, sizeof(why)), 0);
	assert_int_equal(id.uid, 65534);
	assert_int_equal(script_identity_resolve("root", "nogroup", &id, why, sizeof(why)), 0);
	assert_int_equal(id.uid, 0);
	assert_int_equal(id.gid, 65534);
	assert_int_equal(script_identity_resolve("no_such_user_x", NULL, &id, why, sizeof(why)),
			 -ENOENT);
	assert_non_null(strstr(why, "no_such_user_x"));
	assert_int_equal(script_identity_resolve("root", "no_such_grp", &id, why, sizeof(why)),
			 -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_plain_words),
		cmocka_unit_test(test_split_single_quotes_keep_spaces),
		cmocka_unit_test(test_split_double_quotes_and_mixed),
		cmocka_unit_test(test_split_escapes),
		cmocka_unit_test(test_split_errors),
		cmocka_unit_test(test_security_root_owned_tree_is_secure),
		cmocka_unit_test(test_security_writable_directory_is_insecure),
		cmocka_unit_test(test_security_writable_script_is_insecure),
		cmocka_unit_test(test_security_symlink_target_checked),
		cmocka_unit_test(test_security_missing_and_not_executable),
		cmocka_unit_test(test_security_bare_name_searched_in_path),
		cmocka_unit_test(test_identity_resolve),
	};

	return cmocka_run_group_tests(tests, tree_setup, tree_teardown);
}
