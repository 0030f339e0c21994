/* The VRRP state machine, event by event, against RFC 9568 §6.4. */
#include "build-config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vrrp/fsm.h"

#define S 1000000ULL
#define T0 (1000 * S) /* an arbitrary start time */

static struct vrrp_fsm_params params(uint8_t version, uint8_t prio, uint16_t int_cs)
{
	struct vrrp_fsm_params p = { .version = version, .priority = prio,
				     .advert_int_cs = int_cs, .preempt = true };

	vaddr_parse("192.0.2.10", &p.primary);
	return p;
}

static struct vrrp_event advert(uint8_t prio, uint16_t int_cs, const char *src)
{
	struct vrrp_event ev = { .type = VRRP_EV_ADVERT, .priority = prio,
				 .advert_int_cs = int_cs };

	vaddr_parse(src, &ev.src);
	return ev;
}

static const struct vrrp_event ev_start = { .type = VRRP_EV_STARTUP };
static const struct vrrp_event ev_timer = { .type = VRRP_EV_TIMER };

static void test_startup_backup_v2(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(2, 100, 100);
	unsigned acts;

	vrrp_fsm_init(&f);
	acts = vrrp_fsm_step(&f, &p, &ev_start, T0);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(acts, VRRP_ACT_STATE);
	/* v2: 3 * 1 s + (256 - 100) / 256 s */
	assert_int_equal(f.master_down_at - T0, 3 * S + 609375);
	assert_int_equal(vrrp_fsm_next_deadline(&f), f.master_down_at);

	/* Nothing happens before the deadline ... */
	assert_int_equal(vrrp_fsm_step(&f, &p, &ev_timer, f.master_down_at - 1), 0);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	/* ... and at it we take over. */
	acts = vrrp_fsm_step(&f, &p, &ev_timer, f.master_down_at);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_int_equal(acts, VRRP_ACT_SEND_ADVERT | VRRP_ACT_ADD_VIPS | VRRP_ACT_STATE);
}

static void test_master_down_interval_v3_centiseconds(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(3, 100, 1); /* advert_int 0.01 */

	vrrp_fsm_init(&f);
	vrrp_fsm_step(&f, &p, &ev_start, T0);
	/* 3 * 10 ms + 156 * 10 ms / 256 = 36.09375 ms: the 36.1 ms limit. */
	assert_int_equal(vrrp_master_down_us(&f, &p), 36093);
	assert_int_equal(f.master_down_at - T0, 36093);
}

static void test_owner_starts_master(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(3, 255, 100);
	unsigned acts;

	vrrp_fsm_init(&f);
	acts = vrrp_fsm_step(&f, &p, &ev_start, T0);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_true(acts & VRRP_ACT_SEND_ADVERT);
	assert_true(acts & VRRP_ACT_ADD_VIPS);
	assert_int_equal(f.adver_at, T0 + S);
}

static void test_state_master_hint(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(2, 100, 100);

	p.start_master = true;
	vrrp_fsm_init(&f);
	vrrp_fsm_step(&f, &p, &ev_start, T0);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(vrrp_fsm_next_deadline(&f), T0);
	vrrp_fsm_step(&f, &p, &ev_timer, T0);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
}

static void test_backup_hears_higher_master(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(3, 100, 100);
	struct vrrp_event ev = advert(200, 50, "192.0.2.1");

	vrrp_fsm_init(&f);
	vrrp_fsm_step(&f, &p, &ev_start, T0);
	assert_int_equal(vrrp_fsm_step(&f, &p, &ev, T0 + 2 * S), 0);
	/* v3 learns the master's interval: 3 * 0.5 s + 156 * 0.5 s / 256 */
	assert_int_equal(f.master_adver_int_cs, 50);
	assert_int_equal(f.master_down_at, T0 + 2 * S + 1500000 + 304687);
}

static void test_backup_preempts_lower_master(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(2, 150, 100);
	struct vrrp_event ev = advert(100, 100, "192.0.2.1");
	uint64_t deadline;

	vrrp_fsm_init(&f);
	vrrp_fsm_step(&f, &p, &ev_start, T0);
	deadline = f.master_down_at;
	/* preempt: the lower master's adverts are discarded, the timer runs out */
	vrrp_fsm_step(&f, &p, &ev, T0 + S);
	assert_int_equal(f.master_down_at, deadline);

	/* nopreempt: the lower master is accepted and the timer restarts */
	p.preempt = false;
	vrrp_fsm_step(&f, &p, &ev, T0 + 2 * S);
	assert_true(f.master_down_at > deadline);
}

static void test_preempt_delay(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(2, 150, 100);
	struct vrrp_event ev = advert(100, 100, "192.0.2.1");

	p.preempt_delay_us = 10 * S;
	vrrp_fsm_init(&f);
	vrrp_fsm_step(&f, &p, &ev_start, T0);
	/* within the delay the lower master is obeyed ... */
	for (uint64_t t = T0 + S; t < T0 + 10 * S; t += S) {
		vrrp_fsm_step(&f, &p, &ev, t);
		assert_int_equal(f.master_down_at, t + 3 * S + 414062);
	}
	/* ... after it, its adverts are discarded and we take over. */
	vrrp_fsm_step(&f, &p, &ev, T0 + 10 * S);
	assert_int_equal(f.master_down_at, T0 + 9 * S + 3 * S + 414062);
	vrrp_fsm_step(&f, &p, &ev_timer, f.master_down_at);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
}

static void test_backup_hears_priority_zero(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(2, 100, 100);
	struct vrrp_event ev = advert(0, 100, "192.0.2.1");

	vrrp_fsm_init(&f);
	vrrp_fsm_step(&f, &p, &ev_start, T0);
	vrrp_fsm_step(&f, &p, &ev, T0 + S);
	assert_int_equal(f.master_down_at, T0 + S + 609375); /* Skew_Time only */
}

static void become_master(struct vrrp_fsm *f, const struct vrrp_fsm_params *p)
{
	vrrp_fsm_init(f);
	vrrp_fsm_step(f, p, &ev_start, T0);
	vrrp_fsm_step(f, p, &ev_timer, f->master_down_at);
	assert_int_equal(f->state, VRRP_STATE_MASTER);
}

static void test_master_yields_to_higher(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(3, 100, 100);
	struct vrrp_event lower = advert(50, 100, "192.0.2.99");
	struct vrrp_event higher = advert(101, 100, "192.0.2.1");
	unsigned acts;

	become_master(&f, &p);
	/* a lower master: answered at once (keepalived), VIPs announced again */
	assert_int_equal(vrrp_fsm_step(&f, &p, &lower, T0 + 10 * S),
			 VRRP_ACT_RX_LOWER | VRRP_ACT_SEND_ADVERT);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	p.lower_prio_no_advert = true;
	assert_int_equal(vrrp_fsm_step(&f, &p, &lower, T0 + 10 * S), VRRP_ACT_RX_LOWER);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	acts = vrrp_fsm_step(&f, &p, &higher, T0 + 10 * S);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(acts, VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE);
	assert_int_equal(f.adver_at, 0);
}

static void test_master_equal_priority_tiebreak(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(3, 100, 100); /* primary 192.0.2.10 */
	struct vrrp_event smaller = advert(100, 100, "192.0.2.9");
	struct vrrp_event bigger = advert(100, 100, "192.0.2.11");

	become_master(&f, &p);
	vrrp_fsm_step(&f, &p, &smaller, T0 + 10 * S);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	vrrp_fsm_step(&f, &p, &bigger, T0 + 10 * S);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
}

static void test_master_answers_priority_zero(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(3, 100, 100);
	struct vrrp_event zero = advert(0, 100, "192.0.2.1");

	become_master(&f, &p);
	assert_int_equal(vrrp_fsm_step(&f, &p, &zero, T0 + 20 * S), VRRP_ACT_SEND_ADVERT);
	assert_int_equal(f.adver_at, T0 + 21 * S);
}

/* keepalived 2.2.7 when a master's VIP is deleted behind its back: to
 * BACKUP with a priority-0 advert, VIPs removed, master again after its
 * own Skew_Time (then the VIPs are added and announced). */
static void test_master_vip_lost(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(3, 150, 100);
	const struct vrrp_event lost = { .type = VRRP_EV_VIP_LOST };
	unsigned acts;

	become_master(&f, &p);
	acts = vrrp_fsm_step(&f, &p, &lost, T0 + 10 * S);
	assert_int_equal(acts, VRRP_ACT_SEND_PRIO0 | VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.master_down_at, T0 + 10 * S + 414062); /* (256-150)/256 s */
	acts = vrrp_fsm_step(&f, &p, &ev_timer, f.master_down_at);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_true(acts & VRRP_ACT_ADD_VIPS);
	/* nothing outside MASTER */
	vrrp_fsm_init(&f);
	vrrp_fsm_step(&f, &p, &ev_start, T0);
	assert_int_equal(vrrp_fsm_step(&f, &p, &lost, T0 + S), 0);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
}

static void test_advert_cadence(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(3, 255, 1);

	vrrp_fsm_init(&f);
	vrrp_fsm_step(&f, &p, &ev_start, T0);
	/* a late wake-up keeps the cadence ... */
	assert_int_equal(vrrp_fsm_step(&f, &p, &ev_timer, T0 + 10000 + 3000),
			 VRRP_ACT_SEND_ADVERT);
	assert_int_equal(f.adver_at, T0 + 20000);
	/* ... unless we fell a whole interval behind */
	vrrp_fsm_step(&f, &p, &ev_timer, T0 + 55000);
	assert_int_equal(f.adver_at, T0 + 65000);
}

static void test_advert_early(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(3, 255, 1); /* 10 ms */

	p.advert_early_us = 2500;
	vrrp_fsm_init(&f);
	vrrp_fsm_step(&f, &p, &ev_start, T0);
	/* too early: nothing to do */
	assert_int_equal(vrrp_fsm_step(&f, &p, &ev_timer, T0 + 7000), 0);
	assert_int_equal(f.adver_at, T0 + 10000);
	/* within the window: send now, the next one a whole interval later */
	assert_int_equal(vrrp_fsm_step(&f, &p, &ev_timer, T0 + 8000), VRRP_ACT_SEND_ADVERT);
	assert_int_equal(f.adver_at, T0 + 18000);
	/* late: the next one still counts from this advert */
	assert_int_equal(vrrp_fsm_step(&f, &p, &ev_timer, T0 + 19000), VRRP_ACT_SEND_ADVERT);
	assert_int_equal(f.adver_at, T0 + 29000);
	/* a backup's Master_Down_Timer takes no slack */
	p.priority = 100;
	vrrp_fsm_init(&f);
	vrrp_fsm_step(&f, &p, &ev_start, T0);
	assert_int_equal(vrrp_fsm_step(&f, &p, &ev_timer, f.master_down_at - 1), 0);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
}

static void test_shutdown_and_fault(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(2, 100, 100);
	const struct vrrp_event shut = { .type = VRRP_EV_SHUTDOWN };
	const struct vrrp_event fault = { .type = VRRP_EV_FAULT };
	const struct vrrp_event clear = { .type = VRRP_EV_FAULT_CLEAR };
	struct vrrp_event adv = advert(1, 100, "192.0.2.1");

	become_master(&f, &p);
	assert_int_equal(vrrp_fsm_step(&f, &p, &shut, T0 + 20 * S),
			 VRRP_ACT_SEND_PRIO0 | VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	assert_int_equal(vrrp_fsm_next_deadline(&f), 0);

	become_master(&f, &p);
	assert_int_equal(vrrp_fsm_step(&f, &p, &fault, T0 + 20 * S),
			 VRRP_ACT_SEND_PRIO0 | VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	/* in FAULT, adverts and timers do nothing */
	assert_int_equal(vrrp_fsm_step(&f, &p, &adv, T0 + 21 * S), 0);
	assert_int_equal(vrrp_fsm_step(&f, &p, &ev_timer, T0 + 99 * S), 0);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	assert_int_equal(vrrp_fsm_step(&f, &p, &clear, T0 + 100 * S), VRRP_ACT_STATE);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
}

static void test_priority_change(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(2, 100, 100);
	const struct vrrp_event prio = { .type = VRRP_EV_PRIORITY };

	become_master(&f, &p);
	p.priority = 50;
	assert_int_equal(vrrp_fsm_step(&f, &p, &prio, T0 + 30 * S), VRRP_ACT_SEND_ADVERT);
	assert_int_equal(f.state, VRRP_STATE_MASTER);

	vrrp_fsm_init(&f);
	vrrp_fsm_step(&f, &p, &ev_start, T0);
	p.priority = 255;
	vrrp_fsm_step(&f, &p, &prio, T0 + S);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
}

/* keepalived's num_script_init: a weight-0 script without a verdict holds
 * the instance in INIT, even out of FAULT; it starts once released. */
static void test_hold_keeps_init(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(3, 100, 100);
	const struct vrrp_event fault = { .type = VRRP_EV_FAULT };
	const struct vrrp_event clear = { .type = VRRP_EV_FAULT_CLEAR };

	(void)state;
	p.hold = true;
	vrrp_fsm_init(&f);
	assert_int_equal(vrrp_fsm_step(&f, &p, &ev_start, T0), 0);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	assert_int_equal(vrrp_fsm_next_deadline(&f), 0);
	assert_int_equal(vrrp_fsm_step(&f, &p, &fault, T0), VRRP_ACT_STATE);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
	/* Out of FAULT while still held: back to INIT, not BACKUP. */
	assert_int_equal(vrrp_fsm_step(&f, &p, &clear, T0), VRRP_ACT_STATE);
	assert_int_equal(f.state, VRRP_STATE_INIT);
	p.hold = false;
	assert_int_equal(vrrp_fsm_step(&f, &p, &ev_start, T0), VRRP_ACT_STATE);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
}

/* A sync group member asks instead of taking over, keeps asking every
 * Master_Down_Interval, and moves when the group says so. */
static void test_sync_member_waits_for_group(void **state)
{
	struct vrrp_fsm f;
	struct vrrp_fsm_params p = params(3, 100, 100);
	const struct vrrp_event go = { .type = VRRP_EV_SYNC_MASTER };
	const struct vrrp_event back = { .type = VRRP_EV_SYNC_BACKUP };
	uint64_t t;

	(void)state;
	p.sync_member = true;
	vrrp_fsm_init(&f);
	vrrp_fsm_step(&f, &p, &ev_start, T0);
	t = f.master_down_at;
	assert_int_equal(vrrp_fsm_step(&f, &p, &ev_timer, t), VRRP_ACT_WANT_MASTER);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_true(f.want_master);
	assert_int_equal(f.master_down_at, t + vrrp_master_down_us(&f, &p));
	/* A master it accepts (higher priority) withdraws the wish. */
	struct vrrp_event adv = advert(200, 100, "10.0.0.9");
	vrrp_fsm_step(&f, &p, &adv, t + 1);
	assert_false(f.want_master);
	/* A lower master does not (preempt): the wish stands. */
	vrrp_fsm_step(&f, &p, &ev_timer, f.master_down_at);
	adv = advert(50, 100, "10.0.0.9");
	vrrp_fsm_step(&f, &p, &adv, f.master_down_at - 1);
	assert_true(f.want_master);
	assert_int_equal(vrrp_fsm_step(&f, &p, &go, t + 2),
			 VRRP_ACT_SEND_ADVERT | VRRP_ACT_ADD_VIPS | VRRP_ACT_STATE);
	assert_int_equal(f.state, VRRP_STATE_MASTER);
	assert_false(f.want_master);
	/* SYNC_MASTER means nothing to a master; SYNC_BACKUP moves it. */
	assert_int_equal(vrrp_fsm_step(&f, &p, &go, t + 3), 0);
	assert_int_equal(vrrp_fsm_step(&f, &p, &back, t + 4), VRRP_ACT_DEL_VIPS | VRRP_ACT_STATE);
	assert_int_equal(f.state, VRRP_STATE_BACKUP);
	assert_int_equal(f.master_down_at, t + 4 + vrrp_master_down_us(&f, &p));
	/* Neither moves an instance in FAULT. */
	const struct vrrp_event fault = { .type = VRRP_EV_FAULT };
	vrrp_fsm_step(&f, &p, &fault, t + 5);
	assert_int_equal(vrrp_fsm_step(&f, &p, &go, t + 6), 0);
	assert_int_equal(f.state, VRRP_STATE_FAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_startup_backup_v2),
		cmocka_unit_test(test_master_down_interval_v3_centiseconds),
		cmocka_unit_test(test_owner_starts_master),
		cmocka_unit_test(test_state_master_hint),
		cmocka_unit_test(test_backup_hears_higher_master),
		cmocka_unit_test(test_backup_preempts_lower_master),
		cmocka_unit_test(test_preempt_delay),
		cmocka_unit_test(test_backup_hears_priority_zero),
		cmocka_unit_test(test_master_yields_to_higher),
		cmocka_unit_test(test_master_equal_priority_tiebreak),
		cmocka_unit_test(test_master_answers_priority_zero),
		cmocka_unit_test(test_master_vip_lost),
		cmocka_unit_test(test_advert_cadence),
		cmocka_unit_test(test_advert_early),
		cmocka_unit_test(test_shutdown_and_fault),
		cmocka_unit_test(test_priority_change),
		cmocka_unit_test(test_hold_keeps_init),
		cmocka_unit_test(test_sync_member_waits_for_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
