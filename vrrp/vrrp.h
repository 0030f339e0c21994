/* The VRRP subsystem of the VRRP child: every vrrp_instance of the running
 * configuration, their sockets, addresses and announcements, on the
 * child's sd-event loop.
 *
 * The daemon creates it once, hands it each configuration generation with
 * vrrp_apply() (which applies only the difference with the running one) and
 * calls vrrp_shutdown() when stopping. Tracking (scripts, interfaces, files,
 * processes) drives instances through vrrp_instance_set_priority_offset()
 * and vrrp_instance_set_fault() (vrrp/instance.h).
 */
#ifndef VIGIL_VRRP_VRRP_H
#define VIGIL_VRRP_VRRP_H

#include <stddef.h>

#include <systemd/sd-event.h>

#include "parser/config.h"
#include "vrrp/fsm.h"

struct vrrp;
struct vrrp_instance;

struct vrrp_hooks {
	/* An instance entered @state (after its VIPs were added or removed).
	 * May be NULL. */
	void (*state_changed)(void *data, const struct vrrp_instance *inst, enum vrrp_state state);
	void *data;
};

/* A subsystem on @event with no instances yet. @hooks is copied (may be
 * NULL). Returns 0 and *out, or a negative errno. Free with vrrp_free(). */
int vrrp_new(sd_event *event, const struct vrrp_hooks *hooks, struct vrrp **out);

/* Make @next the running configuration; @prev is the one running until now
 * (NULL the first time), still mapped during the call and unmapped after it:
 * nothing of @prev is kept. Instances whose protocol identity is unchanged
 * keep their state and VIPs and take the new settings in place; the others
 * stop (priority-0 advert, VIPs removed) and new ones start. An instance
 * that cannot get its interface or socket goes to FAULT and retries; that is
 * not an error. Writes a one-line summary into @text. Returns 0 or a
 * negative errno (nothing changed). */
int vrrp_apply(struct vrrp *v, const struct vigil_config *prev, const struct vigil_config *next,
	       char *text, size_t len);

/* Stop every instance now, without the event loop: a master sends its
 * priority-0 advert and removes its VIPs. */
void vrrp_shutdown(struct vrrp *v);

void vrrp_free(struct vrrp *v);

/* The running instance named @name, or NULL. */
struct vrrp_instance *vrrp_instance_by_name(struct vrrp *v, const char *name);

#endif
