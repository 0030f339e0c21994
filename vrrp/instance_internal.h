/* What the files of one instance share (see vrrp/instance.h for the
 * instance itself): instance.c its life cycle and the fsm on the event
 * loop, instance_advert.c its adverts out and in, instance_vips.c its VIPs
 * and virtual routes in the kernel. Not for use outside them. */
#ifndef VIGIL_VRRP_INSTANCE_INTERNAL_H
#define VIGIL_VRRP_INSTANCE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "vrrp/instance.h"

#define CS_US 10000u               /* microseconds per centisecond */
#define LOG_INTERVAL_US 10000000u  /* rate-limited logs: one per 10 s per cause */

/* instance.c */

/* The priority tracking and the owner rule give (instance.c says how). */
uint8_t vrrp_instance_effective_priority(const struct vrrp_instance *inst);
/* Carry out @acts, what the fsm returned for a step from @prev; @why is
 * logged with a state change. */
void vrrp_instance_run_actions(struct vrrp_instance *inst, unsigned acts, enum vrrp_state prev,
			       const char *why);
/* Arm the timer for the fsm's next deadline. */
void vrrp_instance_rearm(struct vrrp_instance *inst);
/* Feed @ev to the fsm, carry out its actions, re-arm the timer. */
void vrrp_instance_step(struct vrrp_instance *inst, const struct vrrp_event *ev, const char *why);
/* Setup failed with @rc: FAULT, and retry every second. */
void vrrp_instance_setup_failed(struct vrrp_instance *inst, int rc);
/* Run the pending setup retry now (nothing when none is scheduled). */
void vrrp_instance_retry_now(struct vrrp_instance *inst);

/* instance_advert.c */

/* Send one advert with @priority, to the group or to each unicast peer. */
void vrrp_instance_send_advert(struct vrrp_instance *inst, uint8_t priority);
/* Find our advert source when we have none; 0 or -EADDRNOTAVAIL. */
int vrrp_instance_resolve_src(struct vrrp_instance *inst);
/* Whether the advert source we have is still on the host and usable. */
bool vrrp_instance_src_still_usable(const struct vrrp_instance *inst);

/* instance_vips.c */

/* Add (@add) or remove all VIPs, eVIPs, virtual routes and rules. */
void vrrp_instance_vips_set(struct vrrp_instance *inst, bool add);
/* A reload to @next, before it becomes inst->conf: the installed VIPs,
 * routes and rules changed by difference. */
void vrrp_instance_vips_reconfigure(struct vrrp_instance *inst,
				    const struct vrrp_instance_conf *next);

#endif
