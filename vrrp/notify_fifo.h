/* notify_fifo and vrrp_notify_fifo (keepalived.conf(5) global_defs): every
 * VRRP state change written as one line, in order, to a FIFO that another
 * program reads -- keepalived's answer to notify scripts racing each
 * other.
 *
 * Lines are keepalived's: `INSTANCE "VI_1" MASTER 100`, `GROUP "G1" BACKUP
 * 0`, and with notify_priority_changes `INSTANCE "VI_1" MASTER_PRIORITY 90`.
 * As keepalived does, a missing FIFO is created (mode 0644, chowned to the
 * configured user and group) and removed again when closed; the FIFO is
 * opened read-write and non-blocking, so a reader that is missing or slow
 * never blocks the VRRP loop (lines are then lost, not queued). The
 * *_fifo_script, if any, is started with the FIFO's path as its last
 * argument just before the FIFO is opened.
 */
#ifndef VIGIL_VRRP_NOTIFY_FIFO_H
#define VIGIL_VRRP_NOTIFY_FIFO_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/script.h"
#include "parser/conf_global.h"

struct vrrp_fifo {
	char *path; /* NULL: not configured */
	int fd;     /* -1 when not open */
	bool created;
};

/* The VRRP child writes to both: the global notify_fifo and vrrp_notify_fifo. */
struct vrrp_fifos {
	struct vrrp_fifo all, vrrp;
};

void vrrp_fifos_init(struct vrrp_fifos *f);

/* Open what @g configures, keeping a FIFO whose path did not change (its
 * script is not started again) and closing one no longer configured.
 * Failures are logged; the FIFO is then left out. */
void vrrp_fifos_apply(struct vrrp_fifos *f, const struct global_conf *g, struct script_runner *r);

/* Write `TYPE "NAME" STATE PRIORITY\n` to every open FIFO. */
void vrrp_fifos_write(const struct vrrp_fifos *f, bool group, const char *name,
		      const char *state, unsigned priority);

/* Close (and remove the FIFOs we created). */
void vrrp_fifos_close(struct vrrp_fifos *f);

#endif
