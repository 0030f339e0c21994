#include "build-config.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "vrrp/fsm.h"

#define CS_US 10000ULL /* microseconds per centisecond */
#define PRIO_OWNER 255

static const char *const state_names[] = {
	[VRRP_STATE_INIT] = "INIT",
	[VRRP_STATE_BACKUP] = "BACKUP",
	[VRRP_STATE_MASTER] = "MASTER",
	[VRRP_STATE_FAULT] = "FAULT",
};

const char *vrrp_state_name(enum vrrp_state s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s] : "?";
}

void vrrp_fsm_init(struct vrrp_fsm *f)
{
	memset(f, 0, sizeof(*f));
	f->state = VRRP_STATE_INIT;
}

uint64_t vrrp_skew_us(const struct vrrp_fsm *f, const struct vrrp_fsm_params *p)
{
	/* RFC 3768 §6.1: (256 - Priority) / 256 seconds.
	 * RFC 9568 §6.1: ((256 - Priority) * Master_Adver_Interval) / 256. */
	if (p->version == 2)
		return (256 - p->priority) * 1000000ULL / 256;
	return (256 - p->priority) * f->master_adver_int_cs * CS_US / 256;
}

uint64_t vrrp_master_down_us(const struct vrrp_fsm *f, const struct vrrp_fsm_params *p)
{
	return 3 * f->master_adver_int_cs * CS_US + vrrp_skew_us(f, p);
}

uint64_t vrrp_fsm_next_deadline(const struct vrrp_fsm *f)
{
	if (f->master_down_at && f->adver_at)
		return f->master_down_at < f->adver_at ? f->master_down_at : f->adver_at;
	return f->master_down_at ? f->master_down_at : f->adver_at;
}

static unsigned set_state(struct vrrp_fsm *f, enum vrrp_state s)
{
	if (f->state == s)
		return 0;
	f->state = s;
	return VRRP_ACT_STATE;
}

static unsigned become_master(struct vrrp_fsm *f, const struct vrrp_fsm_params *p, uint64_t now)
{
	f->master_down_at = 0;
	f->preempt_at = 0;
	f->want_master = false;
	f->adver_at = now + p->advert_int_cs * CS_US;
	return VRRP_ACT_SEND_ADVERT | VRRP_ACT_ADD_VIPS | set_state(f, VRRP_STATE_MASTER);
}

static unsigned become_backup(struct vrrp_fsm *f, const struct vrrp_fsm_params *p, uint64_t now,
			      uint16_t master_int_cs)
{
	unsigned acts = f->state == VRRP_STATE_MASTER ? VRRP_ACT_DEL_VIPS : 0;

	f->adver_at = 0;
	f->want_master = false;
	f->master_adver_int_cs = master_int_cs;
	f->master_down_at = now + vrrp_master_down_us(f, p);
	return acts | set_state(f, VRRP_STATE_BACKUP);
}

static int addr_cmp(const struct vaddr *a, const struct vaddr *b)
{
	size_t len = a->family == AF_INET6 ? 16 : 4;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(&a->u, &b->u, len);
}

/* RFC 9568 §6.4.1, and keepalived's "state MASTER": take over without
 * waiting for a whole Master_Down_Interval. */
static unsigned on_startup(struct vrrp_fsm *f, const struct vrrp_fsm_params *p, uint64_t now)
{
	unsigned acts;

	if (p->hold)
		return 0; /* stays in INIT until tracking has a verdict */
	if (p->priority == PRIO_OWNER)
		return become_master(f, p, now);
	acts = become_backup(f, p, now, p->advert_int_cs);
	if (p->start_master)
		f->master_down_at = now;
	if (p->preempt_delay_us)
		f->preempt_at = now + p->preempt_delay_us;
	return acts;
}

/* RFC 9568 §6.4.2: a Backup hears an advert. */
static unsigned backup_advert(struct vrrp_fsm *f, const struct vrrp_fsm_params *p,
			      const struct vrrp_event *ev, uint64_t now)
{
	uint16_t interval = p->version == 3 ? ev->advert_int_cs : p->advert_int_cs;

	if (ev->priority == 0) {
		/* The master is leaving: take over after Skew_Time. */
		f->master_down_at = now + vrrp_skew_us(f, p);
		return 0;
	}
	if (p->preempt && ev->priority < p->priority) {
		/* A lower master: discard, so our Master_Down_Timer fires and we
		 * preempt -- unless preempt_delay holds us back for a while
		 * after startup or after first seeing this master. */
		if (!p->preempt_delay_us)
			return 0;
		if (!f->preempt_at)
			f->preempt_at = now + p->preempt_delay_us;
		if (now >= f->preempt_at)
			return 0;
	} else {
		f->preempt_at = 0;
	}
	f->want_master = false; /* a master we accept is there */
	f->master_adver_int_cs = interval;
	f->master_down_at = now + vrrp_master_down_us(f, p);
	return 0;
}

/* RFC 9568 §6.4.3: a Master hears an advert. */
static unsigned master_advert(struct vrrp_fsm *f, const struct vrrp_fsm_params *p,
			      const struct vrrp_event *ev, uint64_t now)
{
	if (ev->priority == 0) {
		f->adver_at = now + p->advert_int_cs * CS_US;
		return VRRP_ACT_SEND_ADVERT;
	}
	if (ev->priority > p->priority ||
	    (ev->priority == p->priority && addr_cmp(&ev->src, &p->primary) > 0))
		return become_backup(f, p, now,
				     p->version == 3 ? ev->advert_int_cs : p->advert_int_cs);
	/* keepalived: a lower master (or an equal one with a lower address)
	 * hears from us at once, unless lower_prio_no_advert (RFC 9568 §6.4.3
	 * only discards), and our VIPs are announced again (garp_lower_prio_*)
	 * for whoever its GARPs misled. */
	return VRRP_ACT_RX_LOWER | (p->lower_prio_no_advert ? 0 : VRRP_ACT_SEND_ADVERT);
}

static unsigned on_timer(struct vrrp_fsm *f, const struct vrrp_fsm_params *p, uint64_t now)
{
	if (f->state == VRRP_STATE_BACKUP && f->master_down_at && now >= f->master_down_at) {
		if (!p->sync_member)
			return become_master(f, p, now);
		/* keepalived's vrrp_sync_can_goto_master(): prefer backup to
		 * thrashing; ask again after another Master_Down_Interval
		 * unless the group moves us first. */
		f->want_master = true;
		f->master_down_at = now + vrrp_master_down_us(f, p);
		return VRRP_ACT_WANT_MASTER;
	}
	if (f->state == VRRP_STATE_MASTER && f->adver_at && now + p->advert_early_us >= f->adver_at) {
		/* Keep the cadence: the next deadline follows the previous one,
		 * unless we fell more than an interval behind, or sent early
		 * (then the interval counts from this advert). */
		uint64_t step = p->advert_int_cs * CS_US;

		f->adver_at += step;
		if (f->adver_at <= now || p->advert_early_us)
			f->adver_at = now + step;
		return VRRP_ACT_SEND_ADVERT;
	}
	return 0;
}

static unsigned on_shutdown(struct vrrp_fsm *f)
{
	unsigned acts = 0;

	if (f->state == VRRP_STATE_MASTER)
		acts = VRRP_ACT_SEND_PRIO0 | VRRP_ACT_DEL_VIPS;
	f->adver_at = f->master_down_at = f->preempt_at = 0;
	f->want_master = false;
	return acts | set_state(f, VRRP_STATE_INIT);
}

static unsigned on_fault(struct vrrp_fsm *f)
{
	unsigned acts = 0;

	if (f->state == VRRP_STATE_MASTER)
		acts = VRRP_ACT_SEND_PRIO0 | VRRP_ACT_DEL_VIPS;
	f->adver_at = f->master_down_at = f->preempt_at = 0;
	f->want_master = false;
	return acts | set_state(f, VRRP_STATE_FAULT);
}

/* keepalived 2.2.7 when the kernel reports a master's VIP removed: it
 * leaves MASTER with a priority-0 advert and all its VIPs, then takes
 * over again after its Skew_Time, as a backup hearing priority 0 would,
 * so every VIP comes back and is announced (before any backup's own
 * Skew_Time, which is longer at a lower priority). */
static unsigned on_vip_lost(struct vrrp_fsm *f, const struct vrrp_fsm_params *p, uint64_t now)
{
	unsigned acts = become_backup(f, p, now, p->advert_int_cs);

	f->master_down_at = now + vrrp_skew_us(f, p);
	return acts | VRRP_ACT_SEND_PRIO0;
}

/* Each (state, event) pair is decided in exactly one place below. */
unsigned vrrp_fsm_step(struct vrrp_fsm *f, const struct vrrp_fsm_params *p,
		       const struct vrrp_event *ev, uint64_t now)
{
	switch (ev->type) {
	case VRRP_EV_STARTUP:
		return f->state == VRRP_STATE_INIT ? on_startup(f, p, now) : 0;
	case VRRP_EV_SHUTDOWN:
		return on_shutdown(f);
	case VRRP_EV_FAULT:
		return f->state == VRRP_STATE_FAULT ? 0 : on_fault(f);
	case VRRP_EV_FAULT_CLEAR:
		if (f->state != VRRP_STATE_FAULT)
			return 0;
		f->state = VRRP_STATE_INIT;
		return on_startup(f, p, now) | VRRP_ACT_STATE;
	case VRRP_EV_TIMER:
		return on_timer(f, p, now);
	case VRRP_EV_ADVERT:
		if (f->state == VRRP_STATE_BACKUP)
			return backup_advert(f, p, ev, now);
		if (f->state == VRRP_STATE_MASTER)
			return master_advert(f, p, ev, now);
		return 0; /* INIT and FAULT ignore adverts */
	case VRRP_EV_PRIORITY:
		/* A master keeps its role and advertises the new priority at
		 * once so a higher backup can preempt; an owner (255) takes
		 * over immediately. */
		if (f->state == VRRP_STATE_MASTER) {
			f->adver_at = now + p->advert_int_cs * CS_US;
			return VRRP_ACT_SEND_ADVERT;
		}
		if (f->state == VRRP_STATE_BACKUP && p->priority == PRIO_OWNER)
			return become_master(f, p, now);
		return 0;
	case VRRP_EV_SYNC_MASTER:
		return f->state == VRRP_STATE_BACKUP ? become_master(f, p, now) : 0;
	case VRRP_EV_SYNC_BACKUP:
		return f->state == VRRP_STATE_MASTER ? become_backup(f, p, now, p->advert_int_cs) : 0;
	case VRRP_EV_VIP_LOST:
		return f->state == VRRP_STATE_MASTER ? on_vip_lost(f, p, now) : 0;
	}
	return 0;
}
