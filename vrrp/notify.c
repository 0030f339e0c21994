#include "build-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"
#include "vrrp/notify.h"

static void prepare_one(struct vrrp_notify_cmd *out, const struct vrrp_cmd_conf *c,
			const char *name, const char *which, bool secure)
{
	char why[256], resolved[4096];
	enum script_security s;

	out->argv = NULL;
	if (!c)
		return;
	if (script_split(c->cmd, &out->argv, why, sizeof(why)) < 0) {
		log_err("(%s) %s '%s': %s; not run", name, which, c->cmd, why);
		out->argv = NULL;
		return;
	}
	if (script_identity_resolve(c->user, c->group, &out->id, why, sizeof(why)) < 0) {
		log_err("(%s) %s: %s; not run", name, which, why);
		goto refuse;
	}
	s = script_security_check(out->argv[0], &out->id, NULL, resolved, sizeof(resolved), why,
				  sizeof(why));
	if (!script_security_allows(s, secure)) {
		log_err("(%s) %s: %s; not run", name, which, why);
		goto refuse;
	}
	if (s == SCRIPT_INSECURE)
		log_warn("(%s) %s: %s", name, which, why);
	return;
refuse:
	script_argv_free(out->argv);
	out->argv = NULL;
}

void vrrp_notify_prepare(struct vrrp_notify *n, const struct vrrp_notify_set *set,
			 const char *name, bool secure)
{
	prepare_one(&n->master, set->master, name, "notify_master", secure);
	prepare_one(&n->backup, set->backup, name, "notify_backup", secure);
	prepare_one(&n->fault, set->fault, name, "notify_fault", secure);
	prepare_one(&n->stop, set->stop, name, "notify_stop", secure);
	prepare_one(&n->deleted, set->deleted, name, "notify_deleted", secure);
	prepare_one(&n->any, set->any, name, "notify", secure);
	prepare_one(&n->rx_lower, set->master_rx_lower_pri, name, "notify_master_rx_lower_pri",
		    secure);
}

void vrrp_notify_clear(struct vrrp_notify *n)
{
	script_argv_free(n->master.argv);
	script_argv_free(n->backup.argv);
	script_argv_free(n->fault.argv);
	script_argv_free(n->stop.argv);
	script_argv_free(n->deleted.argv);
	script_argv_free(n->any.argv);
	script_argv_free(n->rx_lower.argv);
	memset(n, 0, sizeof(*n));
}

static void start(struct script_runner *r, const struct vrrp_notify_cmd *c, const char *name,
		  const char *const *extra)
{
	const struct script_cmd cmd = {
	    .argv = (const char *const *)c->argv,
	    .id = c->id,
	    .set_identity = true,
	};
	int rc;

	if (!c->argv || !r)
		return;
	rc = script_run(r, &cmd, extra, NULL, NULL, NULL, NULL);
	if (rc < 0)
		log_err("(%s) cannot start %s: %s", name, c->argv[0], strerror(-rc));
}

static void run_generic(struct script_runner *r, const struct vrrp_notify *n, bool group,
			const char *name, const char *state, uint8_t priority)
{
	char prio[4];
	const char *const extra[] = {group ? "GROUP" : "INSTANCE", name, state, prio, NULL};

	snprintf(prio, sizeof(prio), "%u", priority);
	start(r, &n->any, name, extra);
}

void vrrp_notify_run_deleted(struct script_runner *r, const struct vrrp_notify *n,
			     const char *name, const char *state, uint8_t priority)
{
	start(r, &n->deleted, name, NULL);
	run_generic(r, n, false, name, state, priority);
}

void vrrp_notify_run(struct script_runner *r, const struct vrrp_notify *n, bool group,
		     const char *name, const char *state, uint8_t priority)
{
	if (strcmp(state, "MASTER") == 0)
		start(r, &n->master, name, NULL);
	else if (strcmp(state, "BACKUP") == 0)
		start(r, &n->backup, name, NULL);
	else if (strcmp(state, "FAULT") == 0)
		start(r, &n->fault, name, NULL);
	else if (strcmp(state, "STOP") == 0)
		start(r, &n->stop, name, NULL);
	else if (strcmp(state, "DELETED") == 0)
		start(r, &n->deleted, name, NULL);
	run_generic(r, n, group, name, state, priority);
}

void vrrp_notify_run_rx_lower(struct script_runner *r, const struct vrrp_notify *n,
			      const char *name)
{
	start(r, &n->rx_lower, name, NULL);
}
