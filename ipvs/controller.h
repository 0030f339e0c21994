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

#endif
