/* notify_master / notify_backup / notify_fault / notify_stop / notify
 * (keepalived.conf(5)): the commands an instance or a sync group runs when
 * it changes state, prepared once per
 * configuration (split, identity resolved, enable_script_security checked)
 * and started asynchronously through lib/script.h, never waited for.
 */
#ifndef VIGIL_VRRP_NOTIFY_H
#define VIGIL_VRRP_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/script.h"
#include "parser/conf_vrrp.h"

struct vrrp_notify_cmd {
	char **argv; /* NULL: none, or refused (logged when prepared) */
	struct script_identity id;
};

struct vrrp_notify {
	struct vrrp_notify_cmd master, backup, fault, stop, deleted, any;
	struct vrrp_notify_cmd rx_lower; /* notify_master_rx_lower_pri */
};

/* Prepare @set's commands for instance (or sync group) @name. A command that cannot be
 * split, whose user does not exist, or that enable_script_security
 * (@secure) refuses is logged and left out, as keepalived disables it. */
void vrrp_notify_prepare(struct vrrp_notify *n, const struct vrrp_notify_set *set,
			 const char *name, bool secure);
void vrrp_notify_clear(struct vrrp_notify *n);

/* Start the command for @state ("MASTER", "BACKUP", "FAULT", "STOP",
 * "DELETED"),
 * then the generic one with keepalived's arguments: INSTANCE|GROUP NAME
 * STATE PRIORITY (keepalived passes 0 for a group). */
void vrrp_notify_run(struct script_runner *r, const struct vrrp_notify *n, bool group,
		     const char *name, const char *state, uint8_t priority);

/* An instance removed by a reload (keepalived's DELETED state): the
 * notify_deleted command when there is one (never notify_fault's), then the
 * generic one with @state, "DELETED" with notify_deleted, else "FAULT". */
void vrrp_notify_run_deleted(struct script_runner *r, const struct vrrp_notify *n,
			     const char *name, const char *state, uint8_t priority);

/* A master heard a lower priority (keepalived's send_event_notify()):
 * notify_master_rx_lower_pri with its configured arguments only; no
 * generic notify. (keepalived also writes the FIFO line
 * `INSTANCE "NAME" MASTER_RX_LOWER_PRI PRIORITY`, with or without a
 * script: the caller does.) */
void vrrp_notify_run_rx_lower(struct script_runner *r, const struct vrrp_notify *n,
			      const char *name);

#endif
