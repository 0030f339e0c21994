/* ipvs_diff(): desired table vs the kernel's -> the fewest operations.
 *
 * Unchanged services and destinations produce nothing, so their kernel
 * counters and connections survive a reload. A changed attribute becomes an
 * edit, never a delete and re-add, except where the kernel cannot edit (the
 * key itself). Services in the kernel that vigil does not own are left alone.
 */
#ifndef VIGIL_IPVS_DIFF_H
#define VIGIL_IPVS_DIFF_H

#include "ipvs/model.h"

enum ipvs_op_type {
	IPVS_OP_DEL_DEST,
	IPVS_OP_DEL_SERVICE,
	IPVS_OP_ADD_SERVICE,
	IPVS_OP_EDIT_SERVICE,
	IPVS_OP_ADD_DEST,
	IPVS_OP_EDIT_DEST,
};

const char *ipvs_op_name(enum ipvs_op_type t);

struct ipvs_op {
	enum ipvs_op_type type;
	const struct ipvs_service *svc; /* desired service; the kernel's for deletions */
	const struct ipvs_dest *dest;   /* for dest operations */
};

struct ipvs_ops {
	struct ipvs_op *v;
	size_t n, cap;
};

/* Decides whether vigil may delete a kernel service absent from @desired
 * (it created it, or the config says to manage foreign services). */
typedef bool (*ipvs_owned_fn)(const struct ipvs_service_key *k, void *data);

/* Append to @ops what turns @actual into @desired. Neither table needs to be
 * sorted; both are left untouched. Deletions come first (destinations, then
 * services), then service adds/edits, then destination adds/edits, so the
 * kernel never holds a destination without its service. Returns 0 or
 * -ENOMEM. */
int ipvs_diff(const struct ipvs_table *desired, const struct ipvs_table *actual,
	      ipvs_owned_fn owned, void *owned_data, struct ipvs_ops *ops);

void ipvs_ops_free(struct ipvs_ops *ops);

#endif
