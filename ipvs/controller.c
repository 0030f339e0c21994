#include "build-config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs/controller.h"
#include "ipvs/netlink.h"

struct ipvs_ctl {
	struct ipvs_nl *nl;
	struct ipvs_ctl_report report;
	struct ipvs_table applied;   /* what we believe the kernel holds of ours, sorted */
	bool must_read;              /* a request failed: the belief may be wrong */
};

static int key_cmp(const void *a, const void *b)
{
	return ipvs_key_cmp(&((const struct ipvs_service *)a)->key,
			    &((const struct ipvs_service *)b)->key);
}

static bool in_table(const struct ipvs_table *t, const struct ipvs_service_key *k)
{
	struct ipvs_service probe = { .key = *k };

	return t->nservices &&
	       bsearch(&probe, t->services, t->nservices, sizeof(probe), key_cmp) != NULL;
}

/* Ours to delete: what we applied before. A kernel service that matches a
 * desired one is adopted by the diff (edited, never re-added); any other is
 * foreign and stays. */
static bool owned(const struct ipvs_service_key *k, void *data)
{
	return in_table(data, k);
}

int ipvs_ctl_new(const struct ipvs_ctl_report *report, struct ipvs_ctl **out)
{
	struct ipvs_ctl *ctl = calloc(1, sizeof(*ctl));
	int rc;

	*out = NULL;
	if (!ctl)
		return -ENOMEM;
	rc = ipvs_nl_open(&ctl->nl);
	if (rc < 0) {
		free(ctl);
		return rc;
	}
	if (report)
		ctl->report = *report;
	ctl->must_read = true;
	*out = ctl;
	return 0;
}

void ipvs_ctl_free(struct ipvs_ctl *ctl)
{
	if (!ctl)
		return;
	ipvs_table_free(&ctl->applied);
	ipvs_nl_close(ctl->nl);
	free(ctl);
}

static void count(const struct ipvs_table *t, struct ipvs_ctl_stats *stats)
{
	stats->services = t->nservices;
	stats->dests = 0;
	for (size_t i = 0; i < t->nservices; i++)
		stats->dests += t->services[i].ndests;
}

static int apply(struct ipvs_ctl *ctl, const struct ipvs_ops *ops, struct ipvs_ctl_stats *stats)
{
	int *errs = calloc(ops->n ? ops->n : 1, sizeof(*errs));
	int rc;

	if (!errs)
		return -ENOMEM;
	rc = ipvs_nl_apply(ctl->nl, ops, errs);
	stats->ops = ops->n;
	stats->failed = rc > 0 ? (size_t)rc : 0;
	if (rc > 0) {
		ctl->must_read = true;
		for (size_t i = 0; i < ops->n && ctl->report.failed; i++)
			if (errs[i])
				ctl->report.failed(ctl->report.data, &ops->v[i], errs[i]);
	}
	free(errs);
	if (rc < 0)
		ctl->must_read = true;
	return rc < 0 ? rc : 0;
}

int ipvs_ctl_sync(struct ipvs_ctl *ctl, struct ipvs_table *desired, bool read_kernel,
		  struct ipvs_ctl_stats *stats)
{
	struct ipvs_table kernel = { 0 };
	struct ipvs_ops ops = { 0 };
	bool read = read_kernel || ctl->must_read;
	int rc;

	memset(stats, 0, sizeof(*stats));
	qsort(desired->services, desired->nservices, sizeof(*desired->services), key_cmp);
	if (read) {
		rc = ipvs_nl_dump(ctl->nl, &kernel);
		if (rc < 0)
			goto out;
	}
	rc = ipvs_diff(desired, read ? &kernel : &ctl->applied, owned, &ctl->applied, &ops);
	if (rc < 0)
		goto out;
	ctl->must_read = false;
	rc = apply(ctl, &ops, stats);
	/* The desired table is now what we own, whatever failed: failures
	 * force a read of the kernel next time. */
	ipvs_table_free(&ctl->applied);
	ctl->applied = *desired;
	memset(desired, 0, sizeof(*desired));
	count(&ctl->applied, stats);
out:
	ipvs_ops_free(&ops);
	ipvs_table_free(&kernel);
	ipvs_table_free(desired);
	return rc;
}

int ipvs_ctl_remove_all(struct ipvs_ctl *ctl, struct ipvs_ctl_stats *stats)
{
	struct ipvs_ops ops = { 0 };
	int rc = 0;

	memset(stats, 0, sizeof(*stats));
	for (size_t i = 0; !rc && i < ctl->applied.nservices; i++) {
		struct ipvs_op op = { IPVS_OP_DEL_SERVICE, &ctl->applied.services[i], NULL };

		if (ops.n == ops.cap) {
			size_t cap = ops.cap ? ops.cap * 2 : 64;
			struct ipvs_op *v = realloc(ops.v, cap * sizeof(*v));

			if (!v) {
				rc = -ENOMEM;
				break;
			}
			ops.v = v;
			ops.cap = cap;
		}
		ops.v[ops.n++] = op;
	}
	if (!rc)
		rc = apply(ctl, &ops, stats);
	ipvs_ops_free(&ops);
	ipvs_table_free(&ctl->applied);
	return rc;
}
