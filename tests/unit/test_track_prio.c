/* vrrp/prio.c: effective priority and FAULT from tracked states, against
 * the rules of keepalived.conf(5). */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "vrrp/prio.h"

#define UP VRRP_TRACK_UP
#define DOWN VRRP_TRACK_DOWN
#define UNKNOWN VRRP_TRACK_UNKNOWN

static struct vrrp_prio_item script(int32_t w, bool rev, enum vrrp_track_state s)
{
	return (struct vrrp_prio_item){ .kind = VRRP_TRACK_SCRIPT, .weight = w, .reverse = rev,
					.state = s };
}

static struct vrrp_prio_item iface(int32_t w, bool rev, enum vrrp_track_state s)
{
	return (struct vrrp_prio_item){ .kind = VRRP_TRACK_INTERFACE, .weight = w,
					.reverse = rev, .state = s };
}

static struct vrrp_prio_item file(int32_t w, bool rev, int64_t v)
{
	return (struct vrrp_prio_item){ .kind = VRRP_TRACK_FILE, .weight = w, .reverse = rev,
					.value = v };
}

static void test_no_items_base_priority(void **state)
{
	struct vrrp_prio_result r = vrrp_prio_compute(100, NULL, 0);

	assert_int_equal(r.priority, 100);
	assert_false(r.fault);
}

static void test_unweighted_down_is_fault(void **state)
{
	/* "The default weight equals 0, which means that any VRRP instance
	 * monitoring the script will transition to the fault state" */
	struct vrrp_prio_item it[] = { script(0, false, DOWN), iface(0, false, UP) };
	struct vrrp_prio_result r = vrrp_prio_compute(100, it, 2);

	assert_true(r.fault);
	assert_int_equal(r.n_fault, 1);
	assert_int_equal(r.priority, 100);
	it[0].state = UP;
	assert_false(vrrp_prio_compute(100, it, 2).fault);
	/* "'weight 0 reverse' will cause the vrrp instance to be down when
	 * the script is up, and vice versa" */
	it[0] = script(0, true, UP);
	assert_true(vrrp_prio_compute(100, it, 2).fault);
	it[0].state = DOWN;
	assert_false(vrrp_prio_compute(100, it, 2).fault);
}

static void test_positive_weight_adds_when_up(void **state)
{
	/* chk_haproxy weight 2: "add 2 points of prio if OK" */
	struct vrrp_prio_item it[] = { script(2, false, UP) };

	assert_int_equal(vrrp_prio_compute(100, it, 1).priority, 102);
	it[0].state = DOWN;
	assert_int_equal(vrrp_prio_compute(100, it, 1).priority, 100);
	assert_false(vrrp_prio_compute(100, it, 1).fault);
}

static void test_negative_weight_subtracts_when_down(void **state)
{
	struct vrrp_prio_item it[] = { script(-60, false, DOWN), iface(-10, false, UP) };

	assert_int_equal(vrrp_prio_compute(100, it, 2).priority, 40);
	it[0].state = UP;
	assert_int_equal(vrrp_prio_compute(100, it, 2).priority, 100);
}

static void test_reverse_flips_direction(void **state)
{
	/* "if reverse is specified, the priority is decreased when up and
	 * increased when down" */
	struct vrrp_prio_item pos[] = { script(5, true, UP) };
	struct vrrp_prio_item neg[] = { iface(-5, true, DOWN) };

	assert_int_equal(vrrp_prio_compute(100, pos, 1).priority, 95);
	pos[0].state = DOWN;
	assert_int_equal(vrrp_prio_compute(100, pos, 1).priority, 100);
	assert_int_equal(vrrp_prio_compute(100, neg, 1).priority, 105);
	neg[0].state = UP;
	assert_int_equal(vrrp_prio_compute(100, neg, 1).priority, 100);
}

static void test_clamped_to_1_254(void **state)
{
	struct vrrp_prio_item it[] = { script(253, false, UP), script(100, false, UP) };
	struct vrrp_prio_result r = vrrp_prio_compute(200, it, 2);

	assert_int_equal(r.priority, 254);
	assert_int_equal(r.total, 553);
	it[0] = script(-253, false, DOWN);
	it[1] = script(-100, false, DOWN);
	assert_int_equal(vrrp_prio_compute(50, it, 2).priority, 1);
}

static void test_owner_keeps_255_but_faults(void **state)
{
	struct vrrp_prio_item it[] = { script(-50, false, DOWN), iface(0, false, DOWN) };
	struct vrrp_prio_result r = vrrp_prio_compute(255, it, 1);

	assert_int_equal(r.priority, 255);
	assert_false(r.fault);
	r = vrrp_prio_compute(255, it, 2);
	assert_int_equal(r.priority, 255);
	assert_true(r.fault);
}

static void test_unknown_script_waits(void **state)
{
	struct vrrp_prio_item it[] = { script(0, false, UNKNOWN), script(10, false, UNKNOWN) };
	struct vrrp_prio_result r = vrrp_prio_compute(100, it, 2);

	assert_int_equal(r.n_unknown, 1); /* only the unweighted one holds INIT */
	assert_false(r.fault);
	assert_int_equal(r.priority, 100);
}

static void test_disabled_is_ignored(void **state)
{
	struct vrrp_prio_item it[] = { script(0, false, VRRP_TRACK_DISABLED) };
	struct vrrp_prio_result r = vrrp_prio_compute(100, it, 1);

	assert_false(r.fault);
	assert_int_equal(r.n_unknown, 0);
}

static void test_track_file_weights(void **state)
{
	/* "If the weight configured against the track_file is 0, a non-zero
	 * value in the file will be treated as a failure status" */
	struct vrrp_prio_item it[] = { file(0, false, 0) };

	assert_false(vrrp_prio_compute(100, it, 1).fault);
	it[0].value = 7;
	assert_true(vrrp_prio_compute(100, it, 1).fault);
	/* "otherwise the value will be multiplied by the weight" */
	it[0] = file(2, false, 10);
	assert_int_equal(vrrp_prio_compute(100, it, 1).priority, 120);
	it[0].value = -30;
	assert_int_equal(vrrp_prio_compute(100, it, 1).priority, 40);
	it[0] = file(2, true, 10);
	assert_int_equal(vrrp_prio_compute(100, it, 1).priority, 80);
	/* "if the result is less than -253 ... transition to the fault
	 * state" */
	it[0] = file(1, false, -254);
	assert_true(vrrp_prio_compute(100, it, 1).fault);
	it[0].value = -253;
	assert_false(vrrp_prio_compute(100, it, 1).fault);
	assert_int_equal(vrrp_prio_compute(100, it, 1).priority, 1);
	/* a large positive value adds at most 253 */
	it[0] = file(254, false, 254);
	assert_int_equal(vrrp_prio_compute(1, it, 1).total, 254);
}

static void test_file_parse(void **state)
{
	assert_int_equal(vrrp_track_file_parse("42\n"), 42);
	assert_int_equal(vrrp_track_file_parse("-7"), -7);
	assert_int_equal(vrrp_track_file_parse("0x10"), 16);
	assert_int_equal(vrrp_track_file_parse("1000"), 254);
	assert_int_equal(vrrp_track_file_parse("-1000"), -254);
	assert_int_equal(vrrp_track_file_parse("junk"), 0);
	assert_int_equal(vrrp_track_file_parse(""), 0);
}

static void test_script_counter_first_result_decides(void **state)
{
	struct vrrp_script_counter c;

	vrrp_script_counter_init(&c, 3, 2, false);
	assert_int_equal(c.state, UNKNOWN);
	assert_true(vrrp_script_counter_feed(&c, true));
	assert_int_equal(c.state, UP);
	vrrp_script_counter_init(&c, 3, 2, false);
	assert_true(vrrp_script_counter_feed(&c, false));
	assert_int_equal(c.state, DOWN);
}

static void test_script_counter_rise_and_fall(void **state)
{
	struct vrrp_script_counter c;

	vrrp_script_counter_init(&c, 3, 2, false);
	vrrp_script_counter_feed(&c, true); /* up */
	assert_false(vrrp_script_counter_feed(&c, false));
	assert_int_equal(c.state, UP);
	/* a success in between restarts the fall count */
	assert_false(vrrp_script_counter_feed(&c, true));
	assert_false(vrrp_script_counter_feed(&c, false));
	assert_true(vrrp_script_counter_feed(&c, false)); /* 2nd in a row */
	assert_int_equal(c.state, DOWN);
	assert_false(vrrp_script_counter_feed(&c, true));
	assert_false(vrrp_script_counter_feed(&c, true));
	assert_false(vrrp_script_counter_feed(&c, false)); /* restarts the rise */
	assert_false(vrrp_script_counter_feed(&c, true));
	assert_false(vrrp_script_counter_feed(&c, true));
	assert_true(vrrp_script_counter_feed(&c, true)); /* 3rd in a row */
	assert_int_equal(c.state, UP);
}

static void test_script_counter_init_fail(void **state)
{
	struct vrrp_script_counter c;

	vrrp_script_counter_init(&c, 2, 1, true);
	assert_int_equal(c.state, DOWN);
	assert_false(vrrp_script_counter_feed(&c, true));
	assert_true(vrrp_script_counter_feed(&c, true));
	assert_true(vrrp_script_counter_feed(&c, false)); /* fall 1 */
}

static void test_process_quorum(void **state)
{
	assert_false(vrrp_process_quorum(0, 1, UINT32_MAX));
	assert_true(vrrp_process_quorum(1, 1, UINT32_MAX));
	assert_false(vrrp_process_quorum(2, 1, 1));
	/* quorum_max 0: "failure if the matching process were running at all" */
	assert_true(vrrp_process_quorum(0, 0, 0));
	assert_false(vrrp_process_quorum(1, 0, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_items_base_priority),
		cmocka_unit_test(test_unweighted_down_is_fault),
		cmocka_unit_test(test_positive_weight_adds_when_up),
		cmocka_unit_test(test_negative_weight_subtracts_when_down),
		cmocka_unit_test(test_reverse_flips_direction),
		cmocka_unit_test(test_clamped_to_1_254),
		cmocka_unit_test(test_owner_keeps_255_but_faults),
		cmocka_unit_test(test_unknown_script_waits),
		cmocka_unit_test(test_disabled_is_ignored),
		cmocka_unit_test(test_track_file_weights),
		cmocka_unit_test(test_file_parse),
		cmocka_unit_test(test_script_counter_first_result_decides),
		cmocka_unit_test(test_script_counter_rise_and_fall),
		cmocka_unit_test(test_script_counter_init_fail),
		cmocka_unit_test(test_process_quorum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
