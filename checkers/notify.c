/* Real server notify_up / notify_down scripts (see notify.h). */
#include "build-config.h"

#include <stdlib.h>
#include <string.h>

#include "checkers/notify.h"
#include "daemon/log.h"

/* Refusals logged one by one per configuration applied; the rest are
 * counted in one line (10,000 real servers sharing one insecure script
 * must not flood the log). */
#define NOTIFY_REFUSALS_LOGGED 5

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void prep_refuse(struct rs_notify_prep *prep, const char *label, const char *which,
			const char *why)
{
	prep->refused++;
	if (prep->logged >= NOTIFY_REFUSALS_LOGGED)
		return;
	prep->logged++;
	log_err("%s: %s: %s; not run", label, which, why);
}

/* Remember @program/@user/@group's verdict for the next real server. */
static void prep_remember(struct rs_notify_prep *prep, const char *program, const char *user,
			  const char *group, const struct script_identity *id, bool allowed)
{
	free(prep->program);
	free(prep->user);
	free(prep->group);
	prep->program = strdup(program);
	prep->user = user ? strdup(user) : NULL;
	prep->group = group ? strdup(group) : NULL;
	prep->have_last = prep->program && (!user || prep->user) && (!group || prep->group);
	prep->last_id = *id;
	prep->last_allowed = allowed;
}

/* Split @s, resolve who runs it and check it may run; out->argv stays NULL
 * when it may not. */
static void prepare_one(struct rs_notify_cmd *out, const struct lvs_script *s,
			const struct global_conf *g, struct rs_notify_prep *prep, const char *label,
			const char *which)
{
	const char *user = s->user ? s->user : g->script_user;
	const char *group = s->user ? s->group : g->script_group;
	char why[256], resolved[4096];
	enum script_security sec;
	bool allowed;

	out->argv = NULL;
	if (script_split(s->cmd ? s->cmd : "", &out->argv, why, sizeof(why)) < 0) {
		out->argv = NULL;
		prep_refuse(prep, label, which, why);
		return;
	}
	if (prep->have_last && strcmp(prep->program, out->argv[0]) == 0 && same(prep->user, user) &&
	    same(prep->group, group)) {
		out->id = prep->last_id;
		allowed = prep->last_allowed;
		if (!allowed)
			prep_refuse(prep, label, which, "refused (as the same script above)");
	} else if (script_identity_resolve(user, group, &out->id, why, sizeof(why)) < 0) {
		allowed = false;
		prep_refuse(prep, label, which, why);
		prep_remember(prep, out->argv[0], user, group, &out->id, false);
	} else {
		sec = script_security_check(out->argv[0], &out->id, NULL, resolved,
					    sizeof(resolved), why, sizeof(why));
		allowed = script_security_allows(sec, g->enable_script_security);
		if (!allowed)
			prep_refuse(prep, label, which, why);
		else if (sec == SCRIPT_INSECURE)
			log_warn("%s: %s: %s", label, which, why);
		prep_remember(prep, out->argv[0], user, group, &out->id, allowed);
	}
	if (!allowed) {
		script_argv_free(out->argv);
		out->argv = NULL;
	}
}

/* The pair @up / @down (either may be NULL), named @names[0] / @names[1]
 * in messages; NULL when both are. */
static struct rs_notify *notify_pair_new(const struct lvs_script *up, const struct lvs_script *down,
					 const char *const names[2], const struct global_conf *g,
					 struct rs_notify_prep *prep, const char *label)
{
	struct rs_notify *n;

	if (!up && !down)
		return NULL;
	n = calloc(1, sizeof(*n));
	if (!n) {
		log_err("%s: out of memory: its %s/%s scripts will not run", label, names[0],
			names[1]);
		return NULL;
	}
	if (up)
		prepare_one(&n->up, up, g, prep, label, names[0]);
	if (down)
		prepare_one(&n->down, down, g, prep, label, names[1]);
	return n;
}

struct rs_notify *rs_notify_new(const struct lvs_real_server *rs, const struct global_conf *g,
				struct rs_notify_prep *prep, const char *label)
{
	static const char *const names[2] = { "notify_up", "notify_down" };

	return notify_pair_new(rs->notify_up, rs->notify_down, names, g, prep, label);
}

struct rs_notify *vs_quorum_notify_new(const struct lvs_virtual_server *vs,
				       const struct global_conf *g, struct rs_notify_prep *prep,
				       const char *label)
{
	static const char *const names[2] = { "quorum_up", "quorum_down" };

	return notify_pair_new(vs->quorum_up, vs->quorum_down, names, g, prep, label);
}

void rs_notify_prep_end(struct rs_notify_prep *prep)
{
	if (prep->refused > prep->logged)
		log_err("%u more notify scripts of real servers refused; not run",
			prep->refused - prep->logged);
	free(prep->program);
	free(prep->user);
	free(prep->group);
	memset(prep, 0, sizeof(*prep));
}

void rs_notify_free(struct rs_notify *n)
{
	if (!n)
		return;
	script_argv_free(n->up.argv);
	script_argv_free(n->down.argv);
	free(n);
}

void rs_notify_run(struct script_runner *runner, const struct rs_notify *n, bool up,
		   const char *label)
{
	const struct rs_notify_cmd *c = n ? (up ? &n->up : &n->down) : NULL;
	const struct script_cmd cmd = {
	    .argv = c ? (const char *const *)c->argv : NULL,
	    .id = c ? c->id : (struct script_identity){0},
	    .set_identity = true,
	};
	int r;

	if (!c || !c->argv || !runner)
		return;
	r = script_run(runner, &cmd, NULL, NULL, NULL, NULL, NULL);
	if (r < 0)
		log_err("%s: cannot start %s: %s", label, c->argv[0], strerror(-r));
}
