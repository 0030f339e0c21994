/* vrrp_script: run every interval (ms resolution, as keepalived >= 2.3),
 * killed on timeout, rise/fall counted (vrrp/prio.c), as its user after
 * enable_script_security's checks. */
#include "build-config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "daemon/log.h"
#include "vrrp/track_internal.h"

struct tracked_script {
	const struct vrrp_script_conf *conf;
	struct track_scripts *owner;
	char **argv;		   /* script_split() */
	char *path;		   /* argv[0] as checked (PATH resolved) */
	const char **exec_argv;	   /* path, argv[1..] */
	struct script_cmd cmd;
	struct vrrp_script_counter counter;
	bool disabled;
	sd_event_source *timer;
	struct script_run *run;
};

struct track_scripts {
	struct vrrp_tracker *t;
	struct tracked_script *v;
	size_t n;
};

static void script_done(void *data, const struct script_result *r)
{
	struct tracked_script *s = data;
	bool ok = !r->exec_errno && !r->timed_out && WIFEXITED(r->status) &&
		  WEXITSTATUS(r->status) == 0;
	char why[128];

	s->run = NULL;
	if (!vrrp_script_counter_feed(&s->counter, ok))
		return;
	if (s->counter.state == VRRP_TRACK_UP)
		log_info("VRRP_Script(%s) succeeded", s->conf->name);
	else
		log_info("VRRP_Script(%s) failed (%s)", s->conf->name,
			 script_result_describe(r, why, sizeof(why)));
	vrrp_tracker_changed(s->owner->t, VRRP_TRACK_SCRIPT, s->conf->name);
}

static int script_tick(sd_event_source *src, uint64_t usec, void *data)
{
	struct tracked_script *s = data;
	const struct vrrp_script_conf *c = s->conf;
	struct script_opts opts = { .timeout_us = c->timeout_us ? c->timeout_us : c->interval_us };
	int rc;

	sd_event_source_set_time_relative(src, c->interval_us);
	sd_event_source_set_enabled(src, SD_EVENT_ONESHOT);
	/* keepalived does not start a script while the previous run of it
	 * is still going (its timeout will end it). */
	if (s->run)
		return 0;
	rc = script_run(s->owner->t->runner, &s->cmd, NULL, &opts, script_done, s, &s->run);
	if (rc < 0) {
		struct script_result fail = { .exec_errno = -rc, .failed_step = "fork" };

		log_warn("VRRP_Script(%s): cannot start: %s", c->name, strerror(-rc));
		script_done(s, &fail);
	}
	return 0;
}

/* Split, resolve the user, check security: false when the script must not
 * run (logged). */
static bool script_prepare(struct tracked_script *s, const struct global_conf *g)
{
	const struct vrrp_script_conf *c = s->conf;
	char why[PATH_MAX + 128], resolved[PATH_MAX];
	enum script_security v;

	if (script_split(c->script, &s->argv, why, sizeof(why)) < 0 ||
	    script_identity_resolve(c->user, c->group, &s->cmd.id, why, sizeof(why)) < 0) {
		log_err("%s:%u: VRRP_Script(%s): %s - disabling", c->loc.file, c->loc.line,
			c->name, why);
		return false;
	}
	v = script_security_check(s->argv[0], &s->cmd.id, getenv("PATH"), resolved,
				  sizeof(resolved), why, sizeof(why));
	if (!script_security_allows(v, g->enable_script_security)) {
		log_err("VRRP_Script(%s): script %s: %s - disabling", c->name,
			script_security_name(v), why);
		return false;
	}
	if (v == SCRIPT_INSECURE)
		log_warn("VRRP_Script(%s): unsafe permissions (%s); set enable_script_security "
			 "to refuse it", c->name, why);
	/* the path checked is the path run (keepalived replaces argv[0] too) */
	size_t n = 0;

	while (s->argv[n])
		n++;
	s->path = strdup(resolved);
	s->exec_argv = calloc(n + 1, sizeof(char *));
	if (!s->path || !s->exec_argv) {
		log_err("VRRP_Script(%s): out of memory - disabling", c->name);
		return false;
	}
	s->exec_argv[0] = s->path;
	for (size_t i = 1; i < n; i++)
		s->exec_argv[i] = s->argv[i];
	s->cmd.argv = s->exec_argv;
	return true;
}

static const struct tracked_script *find(const struct track_scripts *ss, const char *name)
{
	for (size_t i = 0; ss && i < ss->n; i++)
		if (!strcmp(ss->v[i].conf->name, name))
			return &ss->v[i];
	return NULL;
}

static bool same_script(const struct vrrp_script_conf *a, const struct vrrp_script_conf *b)
{
	return !strcmp(a->script, b->script) && a->rise == b->rise && a->fall == b->fall &&
	       a->init_fail == b->init_fail;
}

int track_scripts_new(struct vrrp_tracker *t, const struct track_scripts *prev,
		      struct track_scripts **out)
{
	const struct vrrp_conf *vc = &t->cfg->vrrp;
	struct track_scripts *ss = calloc(1, sizeof(*ss));
	size_t i = 0;

	if (!ss || !(ss->v = calloc(vc->n_scripts + 1, sizeof(*ss->v)))) {
		free(ss);
		return -ENOMEM;
	}
	ss->t = t;
	*out = ss;
	for (const struct vrrp_script_conf *c = vc->scripts; c; c = c->next) {
		struct tracked_script *s = &ss->v[i];
		const struct tracked_script *old = find(prev, c->name);
		int rc;

		/* keepalived: "the script will only be executed if at least
		 * one VRRP instance monitors it" */
		if (!vrrp_tracker_is_tracked(t->cfg, VRRP_TRACK_SCRIPT, c->name))
			continue;
		ss->n = ++i;
		s->conf = c;
		s->owner = ss;
		s->cmd.set_identity = true;
		vrrp_script_counter_init(&s->counter, c->rise, c->fall, c->init_fail);
		if (old && !old->disabled && same_script(old->conf, c))
			s->counter = old->counter;
		if (!script_prepare(s, &t->cfg->global)) {
			s->disabled = true;
			continue;
		}
		rc = sd_event_add_time_relative(t->event, &s->timer, CLOCK_MONOTONIC, 0, 1000,
						script_tick, s);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void track_scripts_free(struct track_scripts *ss)
{
	if (!ss)
		return;
	for (size_t i = 0; i < ss->n; i++) {
		struct tracked_script *s = &ss->v[i];

		sd_event_source_disable_unref(s->timer);
		script_run_cancel(s->run);
		free(s->exec_argv);
		free(s->path);
		script_argv_free(s->argv);
	}
	free(ss->v);
	free(ss);
}

enum vrrp_track_state track_scripts_state(const struct track_scripts *ss, const char *name)
{
	const struct tracked_script *s = find(ss, name);

	if (!s || s->disabled)
		return VRRP_TRACK_DISABLED;
	return s->counter.state;
}
