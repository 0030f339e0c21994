/* vrrp_sync_group at run time: members move together, as keepalived's
 * vrrp_sync.c does (keepalived.conf(5) "VRRP synchronization group(s)").
 *
 *  - FAULT: one member faulty (its interface, a weight-0 script, ...) puts
 *    every member in FAULT; they leave it together when none is faulty.
 *  - INIT: one member waiting for a weight-0 script holds them all.
 *  - MASTER: a member whose Master_Down_Timer fires only asks; the group
 *    moves every member to MASTER once all of them ask (or already are),
 *    so a group never runs half master, half backup ("prefer backup to
 *    thrashing").
 *  - BACKUP: a member leaving MASTER for BACKUP (a higher advert) takes
 *    every other master member with it.
 * The group's own state follows its members (any FAULT: FAULT; all
 * MASTER: MASTER; otherwise BACKUP once one is running) and its
 * notify_master/backup/fault/stop and `notify GROUP name state 0` run on
 * each change, with a line on the notify FIFOs.
 */
#ifndef VIGIL_VRRP_SYNC_H
#define VIGIL_VRRP_SYNC_H

#include <stdbool.h>

#include "parser/conf_vrrp.h"
#include "vrrp/fsm.h"
#include "vrrp/notify.h"

struct vrrp;
struct vrrp_instance;

struct vrrp_sync {
	struct vrrp_sync *next;
	struct vrrp *v;
	const struct vrrp_sync_group_conf *conf;
	struct vrrp_instance **members; /* running members, in config order */
	unsigned n_members;
	enum vrrp_state state;          /* the group's, INIT until a member runs */
	enum vrrp_state reload_from;    /* its namesake's state at the reload; INIT: new */
	struct vrrp_notify notify;
	bool syncing;                   /* moving members: settle once, at the end */
};

/* A group for @conf; with @prev (the group of that name in the previous
 * generation) its state is kept, so a reload does not notify again. NULL
 * on allocation failure. Members are added with vrrp_sync_add(). */
struct vrrp_sync *vrrp_sync_new(struct vrrp *v, const struct vrrp_sync_group_conf *conf,
				const struct vrrp_sync *prev);
void vrrp_sync_free(struct vrrp_sync *s);
int vrrp_sync_add(struct vrrp_sync *s, struct vrrp_instance *inst);

/* Some member is faulty / held by its scripts. */
bool vrrp_sync_fault(const struct vrrp_sync *s);
bool vrrp_sync_hold(const struct vrrp_sync *s);

/* A member's own verdict changed: bring every member in line. */
void vrrp_sync_refresh(struct vrrp_sync *s, const char *why);

/* @inst's Master_Down_Timer fired (VRRP_ACT_WANT_MASTER). */
void vrrp_sync_want_master(struct vrrp_sync *s, struct vrrp_instance *inst);

/* @inst went from @prev to its current state. */
void vrrp_sync_member_changed(struct vrrp_sync *s, struct vrrp_instance *inst,
			      enum vrrp_state prev);

/* A configuration was applied and every member started: as keepalived
 * 2.2.7's vrrp_init_state() after a reload, a group not wholly MASTER
 * (a member restarted or added) sends its masters back to BACKUP, so
 * they all take MASTER together again; then the group's notifies. */
void vrrp_sync_applied(struct vrrp_sync *s);

/* At daemon stop: notify_stop, notify GROUP name STOP 0, FIFO. */
void vrrp_sync_notify_stop(struct vrrp_sync *s);

#endif
