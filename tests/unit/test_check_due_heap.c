/* The engine's heap of due checks (due_heap.c), and the schedule it
 * serves: checks spread by sched_spread(), re-armed at their next slot,
 * popped in batches on a fake clock as loop.c does. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checkers/due_heap.h"
#include "checkers/sched.h"

#define SEC 1000000ull

/* A tiny deterministic generator: the test does not depend on libc's. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_pops_in_time_order(void **state)
{
	struct due_heap h = {0};
	uint64_t seed = 42, last = 0, due;
	uint32_t id, n = 0;

	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(due_heap_set(&h, i, rng_next(&seed) % 100000), 0);
	assert_int_equal(h.n, 1000);
	while (due_heap_top(&h, &id, &due)) {
		assert_true(due >= last);
		last = due;
		assert_true(due_heap_pop_due(&h, UINT64_MAX, &id));
		assert_false(due_heap_contains(&h, id));
		n++;
	}
	assert_int_equal(n, 1000);
	due_heap_fini(&h);
}

static void test_set_moves_and_remove(void **state)
{
	struct due_heap h = {0};
	uint64_t due;
	uint32_t id;

	assert_int_equal(due_heap_set(&h, 7, 500), 0);
	assert_int_equal(due_heap_set(&h, 3, 300), 0);
	assert_int_equal(due_heap_set(&h, 9, 900), 0);
	/* Setting an armed id moves it: it is never in the heap twice. */
	assert_int_equal(due_heap_set(&h, 9, 100), 0);
	assert_int_equal(h.n, 3);
	assert_true(due_heap_top(&h, &id, &due));
	assert_int_equal(id, 9);
	assert_int_equal(due, 100);
	assert_int_equal(due_heap_set(&h, 9, 1000), 0);
	assert_true(due_heap_top(&h, &id, &due));
	assert_int_equal(id, 3);
	due_heap_remove(&h, 3);
	due_heap_remove(&h, 3); /* not armed: nothing */
	assert_false(due_heap_contains(&h, 3));
	assert_true(due_heap_top(&h, &id, &due));
	assert_int_equal(id, 7);
	/* Only what is due by the limit pops. */
	assert_false(due_heap_pop_due(&h, 499, &id));
	assert_true(due_heap_pop_due(&h, 500, &id));
	assert_int_equal(id, 7);
	assert_true(due_heap_pop_due(&h, 5000, &id));
	assert_int_equal(id, 9);
	assert_false(due_heap_pop_due(&h, UINT64_MAX, &id));
	due_heap_fini(&h);
}

/* Random sets, moves and removes against a plain array of due times. */
static void test_matches_reference(void **state)
{
	enum { IDS = 300 };
	struct due_heap h = {0};
	uint64_t ref[IDS], seed = 7, due;
	uint32_t id;

	assert_int_equal(due_heap_reserve(&h, IDS), 0);
	for (uint32_t i = 0; i < IDS; i++)
		ref[i] = UINT64_MAX;
	for (int step = 0; step < 20000; step++) {
		uint32_t i = rng_next(&seed) % IDS;
		uint64_t best = UINT64_MAX;

		if (rng_next(&seed) % 3 == 0) {
			due_heap_remove(&h, i);
			ref[i] = UINT64_MAX;
		} else {
			ref[i] = rng_next(&seed) % 1000000;
			assert_int_equal(due_heap_set(&h, i, ref[i]), 0);
		}
		for (uint32_t k = 0; k < IDS; k++) {
			assert_int_equal(due_heap_contains(&h, k), ref[k] != UINT64_MAX);
			if (ref[k] < best)
				best = ref[k];
		}
		if (best == UINT64_MAX) {
			assert_false(due_heap_top(&h, &id, &due));
		} else {
			assert_true(due_heap_top(&h, &id, &due));
			assert_int_equal(due, best);
			assert_int_equal(ref[id], best);
		}
	}
	due_heap_fini(&h);
}

/* 10,000 checks, delay_loop 5 s, warmup 5 s: the engine's timer wakes
 * every 2 ms and starts every check due by then (loop.c's batch); each
 * probe takes no time and re-arms at its next slot. Every second starts
 * 2,000 probes (the schedule, evenly), each check exactly once per
 * delay_loop, none more than a batch early or late. */
static void test_batched_schedule_is_even(void **state)
{
	enum { CHECKS = 10000 };
	const uint64_t period = 5 * SEC, batch = 2000, start = 1000 * SEC;
	struct due_heap h = {0};
	uint64_t *slot = calloc(CHECKS, sizeof(*slot)), *last = calloc(CHECKS, sizeof(*last));
	unsigned per_second[20] = {0};
	uint32_t id;

	assert_non_null(slot);
	assert_non_null(last);
	for (uint32_t k = 0; k < CHECKS; k++) {
		slot[k] = start + sched_spread(k, period);
		assert_int_equal(due_heap_set(&h, k, slot[k]), 0);
	}
	for (uint64_t now = start; now < start + 20 * SEC; now += batch) {
		while (due_heap_pop_due(&h, now + batch, &id)) {
			assert_true(now + batch >= slot[id]);
			assert_true(now <= slot[id] + batch);
			if (last[id])
				assert_true(now - last[id] >= period - 2 * batch &&
					    now - last[id] <= period + 2 * batch);
			last[id] = now;
			per_second[(now - start) / SEC]++;
			slot[id] = sched_next_slot(slot[id], period, now + batch);
			assert_int_equal(due_heap_set(&h, id, slot[id]), 0);
		}
	}
	for (int s = 0; s < 20; s++) {
		assert_true(per_second[s] >= 1990);
		assert_true(per_second[s] <= 2010);
	}
	assert_int_equal(h.n, CHECKS);
	due_heap_fini(&h);
	free(slot);
	free(last);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pops_in_time_order),
	    cmocka_unit_test(test_set_moves_and_remove),
	    cmocka_unit_test(test_matches_reference),
	    cmocka_unit_test(test_batched_schedule_is_even),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
