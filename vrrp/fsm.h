/* The VRRP state machine of RFC 9568 §6.4 (and RFC 3768 §6.4), with the
 * Fault state keepalived adds. Pure: it reads no clock and touches no socket.
 *
 * The caller feeds events with the current monotonic time; vrrp_fsm_step()
 * updates the state and timers and returns the actions to carry out (send an
 * advert, add or remove the VIPs, report the new state). Timers are absolute
 * deadlines in microseconds; the caller wakes at vrrp_fsm_next_deadline() and
 * feeds VRRP_EV_TIMER.
 */
#ifndef VIGIL_VRRP_FSM_H
#define VIGIL_VRRP_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/addr.h"

enum vrrp_state {
	VRRP_STATE_INIT,
	VRRP_STATE_BACKUP,
	VRRP_STATE_MASTER,
	VRRP_STATE_FAULT,
};

const char *vrrp_state_name(enum vrrp_state s);

enum vrrp_event_type {
	VRRP_EV_STARTUP,
	VRRP_EV_SHUTDOWN,
	VRRP_EV_TIMER,       /* a deadline passed */
	VRRP_EV_ADVERT,      /* a valid advert for our VRID (already checked) */
	VRRP_EV_FAULT,       /* tracked interface down, track script failed... */
	VRRP_EV_FAULT_CLEAR,
	VRRP_EV_PRIORITY,    /* params.priority changed (tracking weights, reload) */
	VRRP_EV_SYNC_MASTER, /* the sync group moves every member to MASTER */
	VRRP_EV_SYNC_BACKUP, /* a sync group member left MASTER: follow it */
	VRRP_EV_VIP_LOST,    /* a master's VIP was deleted behind its back */
};

struct vrrp_event {
	enum vrrp_event_type type;
	/* VRRP_EV_ADVERT */
	uint8_t priority;
	uint16_t advert_int_cs;
	struct vaddr src;
};

/* What the instance is configured to be; may change between steps. */
struct vrrp_fsm_params {
	uint8_t version;         /* 2 or 3 */
	uint8_t priority;        /* effective priority, 1..255; 255 = address owner */
	uint16_t advert_int_cs;  /* Advertisement_Interval */
	bool preempt;
	uint64_t preempt_delay_us;
	bool start_master;       /* "state MASTER": claim mastership at once on startup */
	struct vaddr primary;    /* our primary address, for equal-priority ties */
	/* Tracking has no verdict yet (a weight-0 vrrp_script that has not
	 * reported): stay in INIT, as keepalived does while num_script_init
	 * is not zero. */
	bool hold;
	/* A vrrp_sync_group member: when its Master_Down_Timer fires it only
	 * asks (VRRP_ACT_WANT_MASTER) and waits for VRRP_EV_SYNC_MASTER, so
	 * the members become master together or not at all. */
	bool sync_member;
	/* keepalived's lower_prio_no_advert: a master hearing a lower one
	 * does not answer with an advert of its own. */
	bool lower_prio_no_advert;
	/* A master may send its advert up to this long before it is due;
	 * the next one is then due a whole interval after it was sent, so no
	 * gap between two adverts exceeds Advertisement_Interval. It lets the
	 * caller wake once for every instance whose advert falls in the same
	 * window instead of once per instance. 0: exactly on time, keeping
	 * the cadence. */
	uint64_t advert_early_us;
};

enum vrrp_action {
	VRRP_ACT_SEND_ADVERT = 1 << 0, /* with params.priority */
	VRRP_ACT_SEND_PRIO0 = 1 << 1,  /* priority 0: "I am leaving" */
	VRRP_ACT_ADD_VIPS = 1 << 2,    /* and announce them (GARP / NA) */
	VRRP_ACT_DEL_VIPS = 1 << 3,
	VRRP_ACT_STATE = 1 << 4,       /* the state changed: notify */
	VRRP_ACT_WANT_MASTER = 1 << 5, /* sync member ready to be master: ask the group */
	VRRP_ACT_RX_LOWER = 1 << 6,    /* master heard a lower one: garp_lower_prio_* burst */
};

struct vrrp_fsm {
	enum vrrp_state state;
	uint16_t master_adver_int_cs; /* learnt from the master (v3) */
	uint64_t master_down_at;      /* 0 = not armed */
	uint64_t adver_at;            /* 0 = not armed */
	uint64_t preempt_at;          /* preempt_delay: may preempt from then on; 0 = unset */
	bool want_master;             /* sync member: our timer fired, waiting for the group */
};

void vrrp_fsm_init(struct vrrp_fsm *f);

/* Apply @ev at time @now_us. Returns a mask of enum vrrp_action. */
unsigned vrrp_fsm_step(struct vrrp_fsm *f, const struct vrrp_fsm_params *p,
		       const struct vrrp_event *ev, uint64_t now_us);

/* The earliest armed deadline, or 0 when none is. */
uint64_t vrrp_fsm_next_deadline(const struct vrrp_fsm *f);

/* RFC 9568 §6.1: Skew_Time and Master_Down_Interval for @f's learnt
 * interval and @p's priority, in microseconds. */
uint64_t vrrp_skew_us(const struct vrrp_fsm *f, const struct vrrp_fsm_params *p);
uint64_t vrrp_master_down_us(const struct vrrp_fsm *f, const struct vrrp_fsm_params *p);

#endif
