#include "build-config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipvs/controller.h"
#include "ipvs/netlink.h"
#include "ipvs/syncd.h"

struct ipvs_ctl {
	struct ipvs_nl *nl;
	struct ipvs_ctl_report report;
	struct ipvs_table applied;   /* what we believe the kernel holds of ours, sorted */
	bool must_read;              /* a request failed: the belief may be wrong */
	bool have_timeouts;          /* the two below are known */
	struct ipvs_timeouts original_timeouts; /* the kernel's when we started */
	struct ipvs_timeouts timeouts;          /* what we last left it with */
	uint32_t syncd_owned;        /* IPVS_DAEMON_* bits of the daemons we run */
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
	if (desired->nservices)
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

int ipvs_ctl_flush(struct ipvs_ctl *ctl)
{
	int rc = ipvs_nl_flush(ctl->nl);

	ipvs_table_free(&ctl->applied);
	ctl->must_read = true;
	return rc;
}

int ipvs_ctl_timeouts(struct ipvs_ctl *ctl, const struct global_lvs_timeouts *cfg,
		      bool *changed)
{
	struct ipvs_timeouts want;
	int rc;

	if (changed)
		*changed = false;
	if (!ctl->have_timeouts) {
		rc = ipvs_nl_get_timeouts(ctl->nl, &ctl->original_timeouts);
		if (rc < 0)
			return rc;
		ctl->timeouts = ctl->original_timeouts;
		ctl->have_timeouts = true;
	}
	want = ipvs_timeouts_want(cfg, &ctl->original_timeouts);
	if (!memcmp(&want, &ctl->timeouts, sizeof(want)))
		return 0;
	rc = ipvs_nl_set_timeouts(ctl->nl, &want);
	if (rc < 0)
		return rc;
	ctl->timeouts = want;
	if (changed)
		*changed = true;
	return 0;
}

int ipvs_ctl_syncd(struct ipvs_ctl *ctl, const struct global_lvs_syncd *cfg, int instance_state)
{
	struct ipvs_daemon want[2], have[2];
	struct ipvs_syncd_plan plan;
	size_t nwant, nhave;
	int rc, first_err = 0;

	if (!cfg->ifname && !ctl->syncd_owned)
		return 0; /* nothing configured, nothing of ours: no need to ask */
	rc = ipvs_nl_daemons(ctl->nl, have, &nhave);
	if (rc < 0)
		return rc;
	nwant = ipvs_syncd_want(cfg, instance_state == 1, want);
	if (instance_state < 0 && nwant == 1) {
		/* Not heard from the instance yet: keep what a predecessor ran. */
		struct ipvs_daemon other = want[0];

		other.state = IPVS_DAEMON_MASTER;
		for (size_t h = 0; h < nhave; h++)
			if (ipvs_syncd_matches(&other, &have[h]))
				want[0] = other;
	}
	ipvs_syncd_plan(want, nwant, have, nhave, ctl->syncd_owned, &plan);
	for (size_t i = 0; i < plan.nstop; i++) {
		rc = ipvs_nl_daemon_stop(ctl->nl, plan.stop[i]);
		if (rc < 0 && rc != -ESRCH && !first_err)
			first_err = rc;
		ctl->syncd_owned &= ~plan.stop[i];
	}
	for (size_t i = 0; i < plan.nstart; i++) {
		rc = ipvs_nl_daemon_start(ctl->nl, &plan.start[i]);
		if (rc < 0 && !first_err)
			first_err = rc;
	}
	ctl->syncd_owned = 0;
	for (size_t i = 0; i < nwant; i++)
		ctl->syncd_owned |= want[i].state;
	return first_err;
}

int ipvs_ctl_syncd_stop(struct ipvs_ctl *ctl)
{
	int rc = 0, r;

	for (uint32_t st = IPVS_DAEMON_MASTER; st <= IPVS_DAEMON_BACKUP; st <<= 1) {
		if (!(ctl->syncd_owned & st))
			continue;
		r = ipvs_nl_daemon_stop(ctl->nl, st);
		if (r < 0 && r != -ESRCH && !rc)
			rc = r;
	}
	ctl->syncd_owned = 0;
	return rc;
}
