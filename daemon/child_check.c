/* The checker child: health checks (checkers/) decide which real servers
 * get traffic; the IPVS controller (ipvs/) makes the kernel's table match.
 *
 * Verdict changes are coalesced: each marks the table dirty and one deferred
 * event per loop iteration rebuilds the desired table and syncs it, so a
 * burst of verdicts costs one diff and one batch of requests.
 */
#include "build-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/child.h"
#include "ipvs/controller.h"
#include "ipvs/desired.h"

struct check_state {
	struct ipvs_ctl *ctl; /* NULL: the kernel has no IPVS */
	const struct vigil_config *cfg;
	sd_event_source *defer;
};

static void on_failed(void *data, const struct ipvs_op *op, int err)
{
	char k[96], d[64];

	ipvs_key_format(&op->svc->key, k, sizeof(k));
	if (op->dest)
		log_err("IPVS %s %s in %s failed: %s", ipvs_op_name(op->type),
			ipvs_dest_format(op->dest, d, sizeof(d)), k, strerror(-err));
	else
		log_err("IPVS %s %s failed: %s", ipvs_op_name(op->type), k, strerror(-err));
}

static int check_sync(struct check_state *st, bool read_kernel, char *text, size_t len)
{
	struct ipvs_table desired;
	struct ipvs_ctl_stats stats;
	int rc;

	if (!st->ctl) {
		snprintf(text, len, "%u virtual servers; IPVS unavailable",
			 st->cfg->lvs.n_virtual_servers);
		return 0;
	}
	rc = ipvs_desired_build(&st->cfg->lvs, NULL, &desired);
	if (rc == 0)
		rc = ipvs_ctl_sync(st->ctl, &desired, read_kernel, &stats);
	if (rc < 0) {
		snprintf(text, len, "IPVS sync failed: %s", strerror(-rc));
		return rc;
	}
	snprintf(text, len, "%zu IPVS services, %zu destinations (%zu requests, %zu failed)",
		 stats.services, stats.dests, stats.ops, stats.failed);
	return 0;
}

static int on_defer(sd_event_source *s, void *data)
{
	struct check_state *st = data;
	char text[256];

	sd_event_source_set_enabled(s, SD_EVENT_OFF);
	if (check_sync(st, false, text, sizeof(text)) < 0)
		log_err("%s", text);
	else
		log_debug("%s", text);
	return 0;
}

static int check_state_new(struct child *c, struct check_state **out)
{
	static const struct ipvs_ctl_report report = { .failed = on_failed };
	struct check_state *st = calloc(1, sizeof(*st));
	int rc;

	if (!st)
		return -ENOMEM;
	rc = ipvs_ctl_new(&report, &st->ctl);
	if (rc < 0)
		log_err("IPVS is not available (%s): virtual servers will not be programmed",
			strerror(-rc));
	rc = sd_event_add_defer(c->event, &st->defer, on_defer, st);
	if (rc < 0) {
		ipvs_ctl_free(st->ctl);
		free(st);
		return rc;
	}
	sd_event_source_set_enabled(st->defer, SD_EVENT_OFF);
	*out = st;
	return 0;
}

static int child_check_apply(struct child *c, const struct vigil_config *next, char *text,
			     size_t len)
{
	struct check_state *st = c->priv;
	int rc;

	if (!st) {
		rc = check_state_new(c, &st);
		if (rc < 0) {
			snprintf(text, len, "cannot start: %s", strerror(-rc));
			return rc;
		}
		c->priv = st;
	}
	st->cfg = next;
	/* Read the kernel on every new generation: adopts a matching table at
	 * start-up and repairs what was changed behind our back. */
	rc = check_sync(st, true, text, len);
	if (rc == 0)
		log_info("applied configuration: %s", text);
	return rc;
}

static void child_check_stop(struct child *c)
{
	struct check_state *st = c->priv;
	struct ipvs_ctl_stats stats;

	if (!st)
		return;
	if (st->ctl && c->shutdown) {
		if (ipvs_ctl_remove_all(st->ctl, &stats) == 0)
			log_info("removed %zu IPVS services", stats.ops - stats.failed);
	} else if (st->ctl) {
		log_info("leaving the IPVS table in place for the next checker process to adopt");
	}
	ipvs_ctl_free(st->ctl);
	sd_event_source_unref(st->defer);
	free(st);
	c->priv = NULL;
}

const struct child_desc child_check_desc = {
    .ident = "vigild-check",
    .apply = child_check_apply,
    .stop = child_check_stop,
};
