/* Value parsers and keyword dispatch: the building blocks every block uses. */
#include "build-config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "parser/kw.h"
#include "parser/values.h"

static void test_parse_timer(void **state)
{
	uint64_t us;

	assert_int_equal(parse_timer_us("3", &us), 0);
	assert_int_equal(us, 3000000);
	assert_int_equal(parse_timer_us("0.01", &us), 0);
	assert_int_equal(us, 10000);
	assert_int_equal(parse_timer_us("2.71828", &us), 0);
	assert_int_equal(us, 2718280);
	assert_int_equal(parse_timer_us(".5", &us), 0);
	assert_int_equal(us, 500000);
	assert_int_equal(parse_timer_us("1.0000009", &us), 0);
	assert_int_equal(us, 1000000);
	assert_int_not_equal(parse_timer_us("-1", &us), 0);
	assert_int_not_equal(parse_timer_us("1s", &us), 0);
	assert_int_not_equal(parse_timer_us("", &us), 0);
	assert_int_not_equal(parse_timer_us("99999999999999999999", &us), 0);
}

static void test_parse_numbers(void **state)
{
	uint64_t u;
	int64_t i;
	bool b;

	assert_int_equal(parse_u64("0x10", &u), 0);
	assert_int_equal(u, 16);
	assert_int_not_equal(parse_u64("-3", &u), 0);
	assert_int_not_equal(parse_u64("12a", &u), 0);
	/* decimal has a fast path; its edges agree with strtoull */
	assert_int_equal(parse_u64("0", &u), 0);
	assert_int_equal(u, 0);
	assert_int_equal(parse_u64("007", &u), 0);
	assert_int_equal(u, 7);
	assert_int_equal(parse_u64("1234567890123456789", &u), 0);
	assert_true(u == 1234567890123456789ull);
	assert_int_equal(parse_u64("18446744073709551615", &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(parse_u64("18446744073709551616", &u), -ERANGE);
	assert_int_not_equal(parse_u64("12 ", &u), 0);
	assert_int_not_equal(parse_u64("0x", &u), 0);
	assert_int_equal(parse_i64("-20", &i), 0);
	assert_int_equal(i, -20);
	assert_int_equal(parse_bool("Yes", &b), 0);
	assert_true(b);
	assert_int_equal(parse_bool("off", &b), 0);
	assert_false(b);
	assert_int_not_equal(parse_bool("maybe", &b), 0);
}

static void test_distance(void **state)
{
	assert_int_equal(kw_distance("priority", "priority", 2), 0);
	assert_int_equal(kw_distance("prority", "priority", 2), 1);
	assert_int_equal(kw_distance("priortiy", "priority", 2), 1); /* transposition */
	assert_int_equal(kw_distance("abc", "xyz", 1), 2);           /* capped at cap + 1 */
}

/* A tiny hand-built tree: kw_dispatch must call handlers, check arity and
 * suggest the nearest keyword for a typo. */
struct obj {
	uint32_t prio;
	int seen;
};

static void h_prio(struct conf_ctx *ctx, const struct cfg_node *n, void *o)
{
	struct obj *obj = o;

	conf_u32(ctx, n, 1, 1, 255, &obj->prio);
	obj->seen++;
}

static const struct kw kws[] = {
	{ "priority", h_prio, 1, 1, 0, NULL },
	{ "garp_master_delay", NULL, 1, 1, KW_IGNORED, "test" },
};
static const struct kw_table table = KW_TABLE("vrrp_instance", kws);

static struct cfg_node mk(struct cfg_arg *args, unsigned argc, unsigned line)
{
	struct cfg_node n = { 0 };

	for (unsigned i = 0; i < argc; i++) {
		args[i].loc.file = "t.conf";
		args[i].loc.line = line;
		args[i].loc.col = 1 + 10 * i;
	}
	n.loc = args[0].loc;
	n.args = args;
	n.argc = argc;
	return n;
}

static void test_dispatch(void **state)
{
	struct cfg_arg a1[] = { { .s = "priority" }, { .s = "150" } };
	struct cfg_arg a2[] = { { .s = "prioirty" }, { .s = "100" } };
	struct cfg_arg a3[] = { { .s = "priority" }, { .s = "300" } };
	struct cfg_arg a4[] = { { .s = "priority" } };
	struct cfg_node n1 = mk(a1, 2, 1), n2 = mk(a2, 2, 2), n3 = mk(a3, 2, 3), n4 = mk(a4, 1, 4);
	struct diag_list dl = { 0 };
	struct arena *arena = arena_new(1 << 20);
	struct conf_ctx ctx;
	struct obj obj = { 0 };
	char buf[256];

	n1.next = &n2;
	n2.next = &n3;
	n3.next = &n4;
	conf_ctx_init(&ctx, arena, &dl, NULL);
	kw_dispatch(&ctx, &n1, &table, &obj);
	conf_ctx_fini(&ctx);

	assert_int_equal(obj.prio, 150); /* 300 rejected, 150 kept */
	assert_int_equal(obj.seen, 2);   /* n1, n3; n4 fails arity before the handler */
	assert_int_equal(dl.unknown, 1);
	assert_int_equal(dl.errors, 2);
	assert_string_equal(diag_format(&dl.v[0], buf, sizeof(buf)),
			    "t.conf:2:1: warning: unknown keyword 'prioirty' in vrrp_instance "
			    "(did you mean 'priority'?)");
	assert_string_equal(diag_format(&dl.v[1], buf, sizeof(buf)),
			    "t.conf:3:11: error: 'priority' value 300 is out of range [1, 255]");
	assert_string_equal(diag_format(&dl.v[2], buf, sizeof(buf)),
			    "t.conf:4:1: error: 'priority' needs 1 argument, got 0");
	diag_list_free(&dl);
	arena_free(arena);
}

static void test_arena(void **state)
{
	struct arena *a = arena_new(64);
	char *s;

	assert_non_null(a);
	s = arena_strdup(a, "hello");
	assert_string_equal(s, "hello");
	assert_null(arena_alloc(a, 100)); /* exhausted: NULL, not a crash */
	arena_free(a);
	arena_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_timer), cmocka_unit_test(test_parse_numbers),
		cmocka_unit_test(test_distance),    cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_arena),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
