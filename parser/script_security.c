/* keepalived 2.2.7's script security rules (its lib/notify.c
 * check_script_secure() and set_default_script_user()), checked over the
 * model. Verified with keepalived -t: see tests/unit/test_script_security.c. */
#include "build-config.h"

#include <stdio.h>
#include <string.h>

#include "parser/config.h"
#include "parser/script_security.h"

struct walk {
	const struct vigil_config *cfg;
	const struct script_env *env;
	struct diag_list *dl;
	unsigned strict;
	bool reported_user;
	/* Scripts keepalived counts ("SC_ISSCRIPT"): found, in a process that runs. */
	unsigned counted;
	const struct cfg_loc *first;
	char first_what[160];
};

/* What a script belongs to, for messages: "vrrp_instance VI_1 notify_master". */
struct script_ref {
	const char *what;
	const struct cfg_loc *loc;
	const char *cmd;
	const char *user;
	bool checked;      /* the keepalived process that runs it checks it */
	bool track_script; /* a vrrp_script: disabled, and the test fails, when missing */
};

const char *script_default_user(const struct vigil_config *cfg, const struct script_env *env)
{
	if (cfg->global.script_user)
		return cfg->global.script_user;
	return env->default_user_exists ? SCRIPT_DEFAULT_USER : NULL;
}

/* keepalived: a script whose first word is "</path" only tests that a file
 * can be opened ("< /path" is a program named "<"). */
static bool is_file_test(const char *cmd)
{
	return cmd[0] == '<' && cmd[1] == '/';
}

static bool program_exists(const struct walk *w, const char *cmd)
{
	char prog[4096];
	size_t len = strcspn(cmd, " \t");

	if (!w->env->program_exists)
		return true;
	snprintf(prog, sizeof(prog), "%.*s", (int)len, cmd);
	return w->env->program_exists(prog, w->env->data);
}

static void check_user(struct walk *w, const struct script_ref *r)
{
	const struct global_conf *g = &w->cfg->global;

	if (r->user || g->script_user || !g->enable_script_security ||
	    w->env->default_user_exists || w->reported_user)
		return;
	w->reported_user = true;
	w->strict++;
	diag_add(w->dl, DIAG_STRICT, r->loc,
		 "%s has no user to run as: enable_script_security is set, script_user is "
		 "not, and there is no '" SCRIPT_DEFAULT_USER "' account (keepalived -t: "
		 "\"Unable to set default user\"); set script_user in global_defs, give the "
		 "script a user, or create the account",
		 r->what);
}

static void visit(struct walk *w, const struct script_ref *r)
{
	if (!r->cmd)
		return;
	check_user(w, r);
	if (!r->checked || is_file_test(r->cmd))
		return;
	if (!program_exists(w, r->cmd)) {
		if (r->track_script) {
			w->strict++;
			diag_add(w->dl, DIAG_STRICT, r->loc,
				 "%s: program of '%s' not found or not accessible; keepalived "
				 "disables the script and its -t fails",
				 r->what, r->cmd);
		} else {
			diag_warning(w->dl, r->loc, "%s: program of '%s' not found; it will not run",
				     r->what, r->cmd);
		}
		return;
	}
	if (!w->counted++) {
		w->first = r->loc;
		snprintf(w->first_what, sizeof(w->first_what), "%s", r->what);
	}
}

static void visit_cmd(struct walk *w, const char *owner, const char *slot,
		      const struct vrrp_cmd_conf *c, bool checked)
{
	char what[160];

	if (!c)
		return;
	snprintf(what, sizeof(what), "%s %s", owner, slot);
	visit(w, &(struct script_ref){ what, &c->loc, c->cmd, c->user, checked, false });
}

static void visit_notify_set(struct walk *w, const char *owner, const struct vrrp_notify_set *s,
			     bool checked)
{
	visit_cmd(w, owner, "notify_master", s->master, checked);
	visit_cmd(w, owner, "notify_backup", s->backup, checked);
	visit_cmd(w, owner, "notify_fault", s->fault, checked);
	visit_cmd(w, owner, "notify_stop", s->stop, checked);
	visit_cmd(w, owner, "notify_deleted", s->deleted, checked);
	visit_cmd(w, owner, "notify", s->any, checked);
	visit_cmd(w, owner, "notify_master_rx_lower_pri", s->master_rx_lower_pri, checked);
}

/* keepalived checks the VRRP scripts in its VRRP process, which runs only
 * when there is a vrrp_instance. */
static void walk_vrrp(struct walk *w)
{
	const struct vrrp_conf *v = &w->cfg->vrrp;
	bool checked = v->n_instances > 0;
	char owner[160];

	for (const struct vrrp_script_conf *s = v->scripts; s; s = s->next) {
		snprintf(owner, sizeof(owner), "vrrp_script %s", s->name);
		visit(w, &(struct script_ref){ owner, &s->loc, s->script, s->user, checked, true });
	}
	for (const struct vrrp_sync_group_conf *g = v->sync_groups; g; g = g->next) {
		snprintf(owner, sizeof(owner), "vrrp_sync_group %s", g->name);
		visit_notify_set(w, owner, &g->notify, checked);
	}
	for (const struct vrrp_instance_conf *vi = v->instances; vi; vi = vi->next) {
		snprintf(owner, sizeof(owner), "vrrp_instance %s", vi->name);
		visit_notify_set(w, owner, &vi->notify, checked);
	}
}

static void visit_lvs(struct walk *w, const char *what, const struct lvs_script *s)
{
	if (s)
		visit(w, &(struct script_ref){ what, &s->loc, s->cmd, s->user, true, false });
}

static void walk_lvs(struct walk *w)
{
	for (const struct lvs_virtual_server *vs = w->cfg->lvs.virtual_servers; vs; vs = vs->next) {
		visit_lvs(w, "virtual_server quorum_up", vs->quorum_up);
		visit_lvs(w, "virtual_server quorum_down", vs->quorum_down);
		for (const struct lvs_real_server *rs = vs->real_servers; rs; rs = rs->next) {
			visit_lvs(w, "real_server notify_up", rs->notify_up);
			visit_lvs(w, "real_server notify_down", rs->notify_down);
			for (const struct lvs_checker *c = rs->checkers; c; c = c->next)
				if (c->type == LVS_CHECK_MISC)
					visit_lvs(w, "MISC_CHECK misc_path", &c->u.misc.script);
		}
	}
}

static void report_insecure(struct walk *w)
{
	const char *user = script_default_user(w->cfg, w->env);
	char runs_as[64], more[64] = "";

	if (!w->counted || w->cfg->global.enable_script_security)
		return;
	if (user)
		snprintf(runs_as, sizeof(runs_as), "'%s'", user);
	else if (w->env->euid == 0)
		snprintf(runs_as, sizeof(runs_as), "root");
	else
		snprintf(runs_as, sizeof(runs_as), "uid %u", w->env->euid);
	if (w->counted > 1)
		snprintf(more, sizeof(more), " (%u scripts in all)", w->counted);
	w->strict++;
	diag_add(w->dl, DIAG_STRICT, w->first,
		 "%s runs a script, but enable_script_security is not set: scripts would run "
		 "as %s without checks on who can change them (keepalived -t: \"SECURITY "
		 "VIOLATION\")%s; add enable_script_security to global_defs%s",
		 w->first_what, runs_as, more,
		 user ? "" : ", with script_user or a '" SCRIPT_DEFAULT_USER "' account");
}

unsigned config_check_script_security(const struct vigil_config *cfg,
				      const struct script_env *env, struct diag_list *dl)
{
	struct walk w = { .cfg = cfg, .env = env, .dl = dl };
	const struct global_conf *g = &cfg->global;

	/* keepalived's parent checks these, whatever else the config holds. */
	visit(&w, &(struct script_ref){ "startup_script", &g->startup_script.loc,
					g->startup_script.cmd, g->startup_script.user, true,
					false });
	visit(&w, &(struct script_ref){ "shutdown_script", &g->shutdown_script.loc,
					g->shutdown_script.cmd, g->shutdown_script.user, true,
					false });
	walk_vrrp(&w);
	walk_lvs(&w);
	report_insecure(&w);
	return w.strict;
}
