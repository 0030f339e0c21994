/* One running vrrp_instance: the state machine (vrrp/fsm.c) on the event
 * loop, its adverts out and in, its VIPs and announcements.
 *
 * The fsm decides; this file carries out what it returns, in a fixed
 * order: adverts first (a priority-0 advert before anything else), then
 * addresses, then announcements, then the state report. Timers are the
 * fsm's absolute deadlines on CLOCK_MONOTONIC with 1 µs accuracy, so the
 * advert cadence does not drift.
 */
#ifndef VIGIL_VRRP_INSTANCE_H
#define VIGIL_VRRP_INSTANCE_H

#include <stdbool.h>
#include <stdint.h>

#include <systemd/sd-event.h>

#include "parser/conf_vrrp.h"
#include "vrrp/announce.h"
#include "vrrp/vipwatch.h"
#include "vrrp/fsm.h"
#include "vrrp/notify.h"
#include "vrrp/owner.h"
#include "vrrp/packet.h"
#include "vrrp/ratelimit.h"
#include "vrrp/vmac.h"

struct vrrp;
struct vrrp_link;
struct vrrp_sync;

/* Adverts dropped for reasons the packet codec does not know. */
enum vrrp_drop {
	VRRP_DROP_OWN = 0,        /* our own advert, looped back */
	VRRP_DROP_UNICAST_SRC,    /* check_unicast_src: not from a unicast_peer */
	VRRP_DROP_WRONG_FAMILY,
	VRRP_DROP_NOT_RUNNING,    /* INIT or FAULT: adverts are ignored */
	VRRP_DROP_COUNT,
};

struct vrrp_counters {
	uint64_t rx_adverts;      /* accepted and fed to the fsm */
	uint64_t rx_prio0;        /* of those, priority 0 */
	uint64_t rx_pkt_err[VRRP_PKT_ERR_COUNT]; /* by vrrp_pkt_err */
	uint64_t rx_drop[VRRP_DROP_COUNT];
	uint64_t tx_adverts;
	uint64_t tx_prio0;
	uint64_t tx_errors;
	uint64_t became_master;
	uint64_t addr_errors;
	uint64_t route_errors;    /* virtual_routes / virtual_rules changes that failed */
	uint64_t block_errors;    /* no_accept: the block set refused a VIP */
	uint64_t vips_lost;       /* a VIP deleted behind our back while master */
};

struct vrrp_instance {
	struct vrrp_instance *next;      /* in the subsystem's list */
	struct vrrp_instance *link_next; /* in the link's chain for this VRID */
	struct vrrp *v;
	const struct vrrp_instance_conf *conf; /* of the running generation */
	struct vrrp_link *link;
	unsigned ifindex;                /* of conf->interface, 0 when none */

	struct vrrp_fsm fsm;
	struct vrrp_fsm_params params;
	int priority_offset;             /* from tracking */
	bool fault_tracked;              /* tracking says FAULT */
	bool hold_tracked;               /* a weight-0 script has no verdict yet */
	bool fault_setup;                /* no interface, socket or source address yet */
	bool started;                    /* vrrp_instance_start() was called */
	enum vrrp_state reload_from;     /* its state when a reload kept it; INIT: new */
	bool vips_installed;
	struct vrrp_vipwatch vipwatch;   /* which of them the kernel showed */
	struct vrrp_sync *sync;          /* its vrrp_sync_group, or NULL */
	struct vrrp_owner_conflict owner; /* priority 255 heard from another owner */
	struct vrrp_vmac vmac;           /* use_vmac's interface, once made */

	/* auth_type AH (vrrp/ah.h): the sequence counter, shared by what we
	 * send and what we accept, kept across reloads; our IP ids. */
	uint32_t ah_seq;
	uint16_t ip_id;

	struct vaddr src;                /* what our adverts come from */
	struct vaddr *adv_vips;          /* the addresses our adverts list */
	unsigned n_adv_vips;

	sd_event_source *timer;          /* the fsm's next deadline */
	uint64_t timer_at;               /* when it is armed to fire; 0 = off */
	sd_event_source *retry;          /* setup retry while fault_setup */
	struct vrrp_announce announce;
	struct vrrp_notify notify;       /* prepared for this configuration */

	struct vrrp_counters counters;
	struct vrrp_ratelimit rl_rx, rl_tx, rl_addr;
};

/* A stopped instance for @conf; NULL on allocation failure. */
struct vrrp_instance *vrrp_instance_new(struct vrrp *v, const struct vrrp_instance_conf *conf);

/* Free @inst (NULL is fine); call vrrp_instance_shutdown() first if it ran. */
void vrrp_instance_free(struct vrrp_instance *inst);

/* Open its socket (through its link) and start the fsm. Failures put the
 * instance in FAULT with a retry; they are logged, not returned. */
void vrrp_instance_start(struct vrrp_instance *inst);

/* Stop now, without the event loop: priority-0 advert when master, VIPs
 * removed, link released. */
void vrrp_instance_shutdown(struct vrrp_instance *inst);

/* Take @next, a configuration of the same protocol identity (see
 * vrrp_conf_compatible()), in place: state kept; VIPs added or removed by
 * difference when master, with announcements for the added ones only. */
/* A route tagged as ours, or a rule, was deleted somewhere: a master puts
 * back each of its virtual routes with a `dev` (keepalived 2.2.7 tracks
 * only those) and virtual rules, unless `no_track`, that is missing, and
 * then gives mastership up and takes it again as for a lost VIP
 * (vrrp/fsm.h VRRP_EV_VIP_LOST), as keepalived 2.2.7 does. */
void vrrp_instance_routes_check(struct vrrp_instance *inst);

void vrrp_instance_reconfigure(struct vrrp_instance *inst, const struct vrrp_instance_conf *next);

/* vrrp/ifwatch.h reports a change of interfaces or addresses: leave for
 * FAULT when our interface was deleted or re-created, or our advert source
 * is gone (or tentative); try again at once when in FAULT for these. */
void vrrp_instance_ifs_changed(struct vrrp_instance *inst);

/* Hooks for tracking. The effective priority is the configured one plus
 * @delta, kept within 1..254; an address owner (255) stays 255; a change
 * is VRRP_EV_PRIORITY (a master advertises it at once). @fault puts the
 * instance (and its sync group) in FAULT; @hold keeps a not yet running
 * instance (and its sync group) in INIT. Before vrrp_instance_start() they
 * are only recorded. */
void vrrp_instance_set_priority_offset(struct vrrp_instance *inst, int delta);
void vrrp_instance_set_fault(struct vrrp_instance *inst, bool fault);
void vrrp_instance_set_hold(struct vrrp_instance *inst, bool hold);
/* All three at once, so that a first verdict of "down" goes from INIT
 * straight to FAULT, not through BACKUP. */
void vrrp_instance_set_tracking(struct vrrp_instance *inst, int delta, bool fault, bool hold);

/* For vrrp/sync.c: what the instance itself says (tracking, setup), and
 * bring its state in line with its own and its group's verdict. */
bool vrrp_instance_own_fault(const struct vrrp_instance *inst);
bool vrrp_instance_own_hold(const struct vrrp_instance *inst);
void vrrp_instance_update(struct vrrp_instance *inst, const char *why);
/* Feed VRRP_EV_SYNC_MASTER / VRRP_EV_SYNC_BACKUP. */
void vrrp_instance_sync_event(struct vrrp_instance *inst, enum vrrp_event_type type,
			      const char *why);
bool vrrp_instance_wants_master(const struct vrrp_instance *inst);

/* At daemon stop, after vrrp_instance_shutdown(): notify_stop, notify
 * INSTANCE name STOP priority, and the notify FIFOs. */
void vrrp_instance_notify_stop(struct vrrp_instance *inst);

/* The interface the instance's adverts go out of and come in on: its
 * VMAC interface with use_vmac (unless vmac_xmit_base, or unicast peers,
 * for which keepalived requires vmac_xmit_base), else its interface. */
const char *vrrp_instance_advert_if(const struct vrrp_instance *inst);

/* The interface VIP @a goes on (and is announced from): with use_vmac,
 * the VMAC interface for addresses of the instance's family that name no
 * other interface than the instance's; else vrrp_addr_dev(). */
const char *vrrp_instance_vip_dev(const struct vrrp_instance *inst, const struct vrrp_addr_conf *a);

/* A reload removed the instance, after vrrp_instance_shutdown(), as
 * keepalived 2.2.7 does: notify_deleted's script if any, then notify ...
 * DELETED and the FIFO line with notify_deleted, else notify ... FAULT and
 * FAULT on the FIFO (notify_fault's script does not run), unless it was in
 * FAULT already. @was: its state before the shutdown. */
void vrrp_instance_notify_deleted(struct vrrp_instance *inst, enum vrrp_state was);

const char *vrrp_instance_name(const struct vrrp_instance *inst);
enum vrrp_state vrrp_instance_state(const struct vrrp_instance *inst);
uint8_t vrrp_instance_priority(const struct vrrp_instance *inst);

/* From the link: an advert that passed decoding, for this instance. */
void vrrp_instance_on_advert(struct vrrp_instance *inst, const struct vrrp_advert *a);
/* From the link: a packet for this instance (by its VRID byte) that
 * failed decoding with @err. */
void vrrp_instance_on_bad_packet(struct vrrp_instance *inst, enum vrrp_pkt_err err,
				 const struct vaddr *src);

#endif
