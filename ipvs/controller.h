/* The IPVS controller: keeps the kernel's table equal to the desired one,
 * touching only what vigil owns.
 *
 * It remembers the table it last applied, so a verdict change costs one
 * diff against memory and the few requests it yields, with no read of the
 * kernel. The kernel is read (dumped) only when asked: at start-up (to adopt
 * a matching table without flapping it), on reload, and to repair changes
 * made behind vigil's back.
 */
#ifndef VIGIL_IPVS_CONTROLLER_H
#define VIGIL_IPVS_CONTROLLER_H

#include <stdbool.h>

#include "ipvs/diff.h"
#include "ipvs/model.h"
#include "parser/conf_global.h"

struct ipvs_ctl;

struct ipvs_ctl_report {
	/* One request the kernel refused; the rest of the batch applied. */
	void (*failed)(void *data, const struct ipvs_op *op, int err);
	void *data;
};

struct ipvs_ctl_stats {
	size_t ops;      /* requests sent by the last sync */
	size_t failed;
	size_t services, dests; /* in the table now owned */
};

/* Open the IPVS family. -ENOENT when the kernel has no IPVS. */
int ipvs_ctl_new(const struct ipvs_ctl_report *report, struct ipvs_ctl **out);
void ipvs_ctl_free(struct ipvs_ctl *ctl);

/* Make the kernel hold @desired (taken over: the controller frees it).
 * With @read_kernel, dump the kernel first and diff against it; otherwise
 * diff against the table last applied. Services neither desired nor
 * applied before are foreign and left alone. A failed request makes the
 * next sync read the kernel. Returns 0, or a negative errno when netlink
 * itself failed. */
int ipvs_ctl_sync(struct ipvs_ctl *ctl, struct ipvs_table *desired, bool read_kernel,
		  struct ipvs_ctl_stats *stats);

/* Remove every service vigil applied (clean shutdown). */
int ipvs_ctl_remove_all(struct ipvs_ctl *ctl, struct ipvs_ctl_stats *stats);

/* IPVS_CMD_FLUSH: empty the whole table, foreign services too (lvs_flush
 * at start, lvs_flush_on_stop at a clean stop). Nothing is owned after. */
int ipvs_ctl_flush(struct ipvs_ctl *ctl);

/* lvs_timeouts: make the kernel hold @cfg's timeouts, and for those not
 * configured the values it had when first called (so removing one from the
 * config puts the kernel's back). Sends IPVS_CMD_SET_CONFIG only when that
 * changes anything. *changed (may be NULL) tells whether it did. */
int ipvs_ctl_timeouts(struct ipvs_ctl *ctl, const struct global_lvs_timeouts *cfg,
		      bool *changed);

/* lvs_sync_daemon: run the daemons @cfg asks for (ipvs_syncd_want()), the
 * instance being MASTER when @instance_state is 1, not when 0; -1 (not
 * heard yet) keeps a matching daemon already running in either state (a
 * restarted checker process adopts it), else starts a backup. Daemons we
 * ran and no longer want are stopped; others are left alone. */
int ipvs_ctl_syncd(struct ipvs_ctl *ctl, const struct global_lvs_syncd *cfg, int instance_state);

/* Stop the sync daemons we run (clean shutdown). */
int ipvs_ctl_syncd_stop(struct ipvs_ctl *ctl);

#endif
