/* The engine's pure parts: keepalived's retry rules (verdict.c), the
 * spreading schedule (sched.c) run on a fake clock, and which checkers
 * share a probe (key.c). */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checkers/key.h"
#include "checkers/sched.h"
#include "checkers/verdict.h"
#include "parser/config.h"

#define SEC 1000000ull

/* --- verdict --- */

static void test_retry_then_down(void **state)
{
	struct verdict_params p = {.retry = 2};
	struct verdict_state s;
	enum verdict_next next;

	verdict_init(&s, false);
	assert_true(s.up);
	assert_false(verdict_step(&s, &p, true, &next));
	assert_int_equal(next, VERDICT_NEXT_LOOP);
	/* Up: the first failure and `retry` more are retried, the last one
	 * takes it down. */
	assert_false(verdict_step(&s, &p, false, &next));
	assert_int_equal(next, VERDICT_NEXT_RETRY);
	assert_false(verdict_step(&s, &p, false, &next));
	assert_int_equal(next, VERDICT_NEXT_RETRY);
	assert_true(verdict_step(&s, &p, false, &next));
	assert_false(s.up);
	assert_int_equal(next, VERDICT_NEXT_LOOP);
	/* Down: failures change nothing, on the delay_loop schedule. */
	assert_false(verdict_step(&s, &p, false, &next));
	assert_int_equal(next, VERDICT_NEXT_LOOP);
	/* One success: up. */
	assert_true(verdict_step(&s, &p, true, &next));
	assert_true(s.up);
}

static void test_success_resets_retries(void **state)
{
	struct verdict_params p = {.retry = 1};
	struct verdict_state s;
	enum verdict_next next;

	verdict_init(&s, false);
	assert_false(verdict_step(&s, &p, false, &next));
	assert_false(verdict_step(&s, &p, true, &next));
	assert_false(verdict_step(&s, &p, false, &next));
	assert_int_equal(next, VERDICT_NEXT_RETRY);
	assert_true(s.up);
}

static void test_retry_zero(void **state)
{
	struct verdict_params p = {.retry = 0};
	struct verdict_state s;
	enum verdict_next next;

	verdict_init(&s, false);
	assert_true(verdict_step(&s, &p, false, &next));
	assert_false(s.up);
}

static void test_alpha(void **state)
{
	struct verdict_params p = {.retry = 3};
	struct verdict_state s;
	enum verdict_next next;

	verdict_init(&s, true);
	assert_false(s.up);
	/* Down from the start: a failure is no news, and is not retried. */
	assert_false(verdict_step(&s, &p, false, &next));
	assert_int_equal(next, VERDICT_NEXT_LOOP);
	assert_true(verdict_step(&s, &p, true, &next));
	assert_true(s.up);
}

static void test_fast_recovery(void **state)
{
	struct verdict_params p = {.retry = 0, .fast_recovery = true};
	struct verdict_state s;
	enum verdict_next next;

	verdict_init(&s, false);
	assert_true(verdict_step(&s, &p, false, &next));
	assert_int_equal(next, VERDICT_NEXT_RETRY);
	assert_false(verdict_step(&s, &p, false, &next));
	assert_int_equal(next, VERDICT_NEXT_RETRY);
	assert_true(verdict_step(&s, &p, true, &next));
	assert_int_equal(next, VERDICT_NEXT_LOOP);
}

/* --- a check on a fake clock --- */

struct sim {
	uint64_t delay_loop, dbr, timeout;
	uint32_t retry;
	uint64_t fail_from, fail_until; /* the server is broken in [from, until) */
	bool refused;			/* failures are immediate (else: timeouts) */
};

/* Run one check from t=0 (its phase), returning when it went down
 * (*down_at) and up again (*up_at); 0 when it did not. */
static void simulate(const struct sim *sim, uint64_t phase, uint64_t end, uint64_t *down_at,
		     uint64_t *up_at)
{
	struct verdict_params p = {.retry = sim->retry};
	struct verdict_state s;
	uint64_t t = phase, slot = phase;

	*down_at = *up_at = 0;
	verdict_init(&s, false);
	while (t < end) {
		bool broken = t >= sim->fail_from && t < sim->fail_until;
		uint64_t took = broken && !sim->refused ? sim->timeout : 1000;
		enum verdict_next next;

		t += took;
		if (verdict_step(&s, &p, !broken, &next)) {
			if (s.up)
				*up_at = t;
			else
				*down_at = t;
		}
		if (next == VERDICT_NEXT_RETRY) {
			t += sim->dbr;
		} else {
			slot = sched_next_slot(slot, sim->delay_loop, t);
			t = slot;
		}
	}
}

static void test_down_and_up_within_bounds(void **state)
{
	struct sim sim = {
	    .delay_loop = 5 * SEC,
	    .dbr = 2 * SEC,
	    .timeout = 3 * SEC,
	    .retry = 2,
	    .fail_until = 200 * SEC,
	};

	for (int refused = 0; refused < 2; refused++)
		for (uint64_t from = 10 * SEC; from < 20 * SEC; from += SEC / 7) {
			uint64_t down, up, bound;

			sim.refused = refused;
			sim.fail_from = from;
			simulate(&sim, SEC / 3, 300 * SEC, &down, &up);
			/* keepalived's bound: one delay_loop to notice, retry
			 * retries, each probe up to connect_timeout. */
			bound = sim.delay_loop + sim.retry * sim.dbr +
				(refused ? 1 : sim.retry + 1) * sim.timeout;
			assert_true(down > from);
			assert_true(down - from <= bound);
			assert_true(up > sim.fail_until);
			assert_true(up - sim.fail_until <= sim.delay_loop + 1000);
		}
}

/* --- spreading --- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The widest gap between neighbouring phases, cyclically. */
static uint64_t widest_gap(uint64_t *phases, size_t n, uint64_t span)
{
	uint64_t widest;

	qsort(phases, n, sizeof(*phases), cmp_u64);
	widest = phases[0] + span - phases[n - 1];
	for (size_t i = 1; i < n; i++)
		if (phases[i] - phases[i - 1] > widest)
			widest = phases[i] - phases[i - 1];
	return widest;
}

static void test_spread_is_even(void **state)
{
	enum { N = 10000, M = 11000 };
	const uint64_t span = 5 * SEC;
	static uint64_t phases[M];
	static unsigned per_10ms[500];
	unsigned most = 0;

	for (size_t k = 0; k < N; k++) {
		phases[k] = sched_spread(k, span);
		assert_true(phases[k] < span);
		per_10ms[phases[k] / (10 * 1000)]++;
	}
	/* 2,000 probes a second: 20 per 10 ms on average, never a burst. */
	for (size_t i = 0; i < 500; i++)
		if (per_10ms[i] > most)
			most = per_10ms[i];
	assert_true(most <= 30);
	assert_true(widest_gap(phases, N, span) <= 3 * span / N);
	/* A reload that adds 1,000 checks keeps them spread. */
	for (size_t k = N; k < M; k++)
		phases[k] = sched_spread(k, span);
	assert_true(widest_gap(phases, M, span) <= 3 * span / M);
}

static void test_next_slot(void **state)
{
	assert_int_equal(sched_next_slot(100, 50, 100), 150);
	assert_int_equal(sched_next_slot(100, 50, 149), 150);
	assert_int_equal(sched_next_slot(100, 50, 150), 200);
	assert_int_equal(sched_next_slot(100, 50, 1234), 1250);
	/* A long probe skips the slots it overran, keeping its phase. */
	assert_int_equal(sched_next_slot(7, 10, 95) % 10, 7);
}

/* --- keys: which checkers share a probe --- */

static const char shared_conf[] =
    "track_file tf {\n file /run/x\n weight 2\n}\n"
    "virtual_server 10.0.0.1 80 {\n"
    "  protocol TCP\n"
    "  real_server 10.0.1.1 80 {\n TCP_CHECK {\n connect_timeout 3\n }\n }\n"
    "  real_server 10.0.1.2 80 {\n TCP_CHECK {\n connect_timeout 3\n }\n }\n"
    "  real_server 10.0.1.3 80 {\n TCP_CHECK {\n connect_timeout 4\n }\n }\n"
    "  real_server 10.0.1.4 80 {\n MISC_CHECK {\n misc_path \"/bin/true\"\n }\n }\n"
    "  real_server 10.0.1.5 80 {\n HTTP_GET {\n url {\n path /a\n }\n }\n }\n"
    "}\n"
    "virtual_server 10.0.0.2 80 {\n"
    "  protocol TCP\n"
    "  real_server 10.0.1.1 80 {\n TCP_CHECK {\n connect_timeout 3\n }\n }\n"
    "  real_server 10.0.1.2 80 {\n TCP_CHECK {\n connect_timeout 3\n connect_port 81\n }\n }\n"
    "  real_server 10.0.1.9 80 {\n MISC_CHECK {\n misc_path \"/bin/true\"\n }\n }\n"
    "  real_server 10.0.1.5 80 {\n HTTP_GET {\n url {\n path /b\n }\n }\n }\n"
    "}\n"
    "virtual_server 10.0.0.3 80 {\n"
    "  protocol TCP\n"
    "  real_server 10.0.1.5 80 {\n HTTP_GET {\n url {\n path /a\n }\n }\n }\n"
    "  real_server 10.0.1.4 80 {\n FILE_CHECK {\n track_file tf\n }\n }\n"
    "}\n";

static const struct lvs_real_server *nth_rs(const struct vigil_config *cfg, unsigned vs_i,
					    unsigned rs_i)
{
	const struct lvs_virtual_server *vs = cfg->lvs.virtual_servers;
	const struct lvs_real_server *rs;

	while (vs_i--)
		vs = vs->next;
	rs = vs->real_servers;
	while (rs_i--)
		rs = rs->next;
	return rs;
}

static bool same_key(const struct vigil_config *cfg, unsigned v1, unsigned r1, unsigned v2,
		     unsigned r2)
{
	const struct lvs_real_server *a = nth_rs(cfg, v1, r1), *b = nth_rs(cfg, v2, r2);
	struct check_key ka, kb;
	bool same;

	assert_int_equal(check_key_build(cfg, a, a->checkers, &ka), 0);
	assert_int_equal(check_key_build(cfg, b, b->checkers, &kb), 0);
	same = ka.len == kb.len && memcmp(ka.bytes, kb.bytes, ka.len) == 0;
	if (same)
		assert_true(ka.hash == kb.hash);
	assert_true(check_key_equal(&ka, &kb) == same);
	check_key_free(&ka);
	check_key_free(&kb);
	return same;
}

static void test_keys(void **state)
{
	struct arena *arena = arena_new(1 << 22);
	struct diag_list dl = {0};
	const struct vigil_config *cfg;

	if (config_load_string("t.conf", shared_conf, NULL, arena, &dl, &cfg) != 0) {
		diag_print(&dl, stderr);
		fail_msg("config did not load");
	}
	/* The same real server checked the same way by two virtual servers. */
	assert_true(same_key(cfg, 0, 0, 1, 0));
	assert_true(same_key(cfg, 0, 4, 2, 0));
	/* Another address, timeout, port or url path: another probe. */
	assert_false(same_key(cfg, 0, 0, 0, 1));
	assert_false(same_key(cfg, 0, 1, 0, 2));
	assert_false(same_key(cfg, 0, 1, 1, 1));
	assert_false(same_key(cfg, 0, 4, 1, 3));
	/* A script is the same check whatever real server it is for. */
	assert_true(same_key(cfg, 0, 3, 1, 2));
	assert_false(same_key(cfg, 0, 3, 2, 1));
	assert_string_equal(check_track_file_path(cfg, nth_rs(cfg, 2, 1)->checkers), "/run/x");
	diag_list_free(&dl);
	arena_free(arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_retry_then_down),
	    cmocka_unit_test(test_success_resets_retries),
	    cmocka_unit_test(test_retry_zero),
	    cmocka_unit_test(test_alpha),
	    cmocka_unit_test(test_fast_recovery),
	    cmocka_unit_test(test_down_and_up_within_bounds),
	    cmocka_unit_test(test_spread_is_even),
	    cmocka_unit_test(test_next_slot),
	    cmocka_unit_test(test_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
