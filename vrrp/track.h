/* Tracking: the inputs that move an instance's effective priority or put it
 * in FAULT (track_interface, vrrp_script/track_script, track_file,
 * vrrp_track_process, and each instance's own interface), on the VRRP
 * child's event loop.
 *
 * One tracker per configuration generation watches every tracked object
 * once, however many instances and sync groups track it (a vrrp_script
 * tracked by three instances runs once per interval). When an object
 * changes state the tracker calls ops->changed(); the runtime then asks
 * vrrp_tracker_eval() for each instance (cheap: a walk over the instance's
 * and its sync group's track lists) and hands the result to
 * vrrp_instance_set_priority_offset() / vrrp_instance_set_fault().
 * docs/tracking.md shows the wiring.
 *
 * Modules: track_script.c (periodic scripts, lib/script.h), track_file.c
 * (inotify), track_if.c (link up/down from vrrp/ifwatch.h), track_process.c
 * (/proc scan + proc connector). The arithmetic is pure, in vrrp/prio.c.
 */
#ifndef VIGIL_VRRP_TRACK_H
#define VIGIL_VRRP_TRACK_H

#include <stdbool.h>

#include <systemd/sd-event.h>

#include "lib/script.h"
#include "parser/config.h"
#include "vrrp/prio.h"

struct vrrp_ifwatch;
struct vrrp_tracker;

struct vrrp_tracker_ops {
	/* A tracked object (@kind, @name: a vrrp_script, track_file or
	 * vrrp_track_process name, or an interface name) changed state.
	 * Re-evaluate the instances that track it (vrrp_tracker_tracks()),
	 * or simply all of them. Called from the event loop, never from
	 * inside vrrp_tracker_new(). */
	void (*changed)(void *owner, enum vrrp_track_kind kind, const char *name);
};

/* Watch what @cfg's instances and sync groups track. Scripts run through
 * @runner (which must outlive the tracker); they run as their user
 * (script_user by default) after enable_script_security's checks, and one
 * that fails them is logged and not tracked (as keepalived disables it).
 * With @prev (the tracker of the previous generation, or NULL), a script
 * unchanged by a reload keeps its up/down state instead of starting over,
 * so a reload does not drop instances to INIT. Returns 0 or a negative
 * errno. Interfaces are read from @ifw (NULL: their state is unknown).
 * Start-up state is read synchronously (@ifw's table, files, /proc),
 * so vrrp_tracker_eval() is meaningful as soon as this returns. */
int vrrp_tracker_new(sd_event *event, struct script_runner *runner,
		     const struct vrrp_ifwatch *ifw, const struct vigil_config *cfg,
		     const struct vrrp_tracker *prev, const struct vrrp_tracker_ops *ops,
		     void *owner, struct vrrp_tracker **out);

/* @ifw (vrrp_tracker_new()'s, which must outlive the tracker) read a
 * batch of changes: report the tracked interfaces that went up or down.
 * NULL is fine. */
void vrrp_tracker_ifs_changed(struct vrrp_tracker *t);

/* Stop everything (running scripts are killed with their process group).
 * NULL is fine. */
void vrrp_tracker_free(struct vrrp_tracker *t);

/* @vi's effective priority and FAULT from its own track lists, its sync
 * group's, and its interface (unless dont_track_primary): feed
 * r.offset to vrrp_instance_set_priority_offset() and r.fault to
 * vrrp_instance_set_fault(). r.n_unknown > 0 means a weight-0 script has
 * not reported yet (keepalived holds the instance in INIT until then). */
struct vrrp_prio_result vrrp_tracker_eval(const struct vrrp_tracker *t,
					  const struct vrrp_instance_conf *vi);

/* Whether @vi (directly or through its sync group) tracks @kind @name. */
bool vrrp_tracker_tracks(const struct vrrp_tracker *t, const struct vrrp_instance_conf *vi,
			 enum vrrp_track_kind kind, const char *name);

/* Current states, for status output and tests. */
enum vrrp_track_state vrrp_tracker_script_state(const struct vrrp_tracker *t, const char *name);
enum vrrp_track_state vrrp_tracker_if_state(const struct vrrp_tracker *t, const char *ifname);
enum vrrp_track_state vrrp_tracker_process_state(const struct vrrp_tracker *t, const char *name);
int64_t vrrp_tracker_file_value(const struct vrrp_tracker *t, const char *name);

#endif
