/* MISC_CHECK: run misc_path (as its user, killed with its process group
 * after misc_timeout, lib/script); its exit status is the verdict, as in
 * keepalived's check_misc.c:
 *   0 up; 1 down; with misc_dynamic, 2..255 up with weight status - 2
 *   (without it, any non-zero status is down); killed or timed out: down.
 * The command line is split, its user resolved and its security checked
 * once, when the check is created. */
#include "build-config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "checkers/check.h"
#include "daemon/log.h"
#include "lib/script.h"

/* After misc_timeout the runner sends SIGTERM, then SIGKILL one second
 * later; the engine's own deadline is a backstop beyond both. */
#define MISC_BACKSTOP_US (5 * 1000000ull)

struct misc_priv {
	char **argv;
	struct script_identity id;
};

static uint64_t misc_timeout_us(const struct check *ck)
{
	const struct lvs_misc_check *m = &ck->conf->u.misc;

	return m->timeout_us ? m->timeout_us : ck->conf->delay_loop_us;
}

static void misc_done(void *data, const struct script_result *r)
{
	struct check *ck = data;
	const struct lvs_misc_check *m = &ck->conf->u.misc;
	char why[160];
	int status;

	ck->probe = NULL; /* the runner frees the run after this returns */
	ck->weight_kind = CHECK_WEIGHT_NONE;
	if (r->timed_out) {
		check_done(ck, false, "timed out after %llu ms",
			   (unsigned long long)(misc_timeout_us(ck) / 1000));
		return;
	}
	if (r->exec_errno || !WIFEXITED(r->status)) {
		check_done(ck, false, "%s", script_result_describe(r, why, sizeof(why)));
		return;
	}
	status = WEXITSTATUS(r->status);
	if (status == 0) {
		check_done(ck, true, NULL);
	} else if (m->dynamic && status >= 2) {
		ck->weight_kind = CHECK_WEIGHT_SET;
		ck->weight_value = status - 2;
		check_done(ck, true, NULL);
	} else {
		check_done(ck, false, "exited %d", status);
	}
}

static void misc_start(struct check *ck)
{
	struct misc_priv *priv = ck->priv;
	struct script_runner *runner = checkers_script_runner(ck->engine);
	struct script_cmd cmd = {
	    .argv = (const char *const *)priv->argv,
	    .id = priv->id,
	    .set_identity = true,
	};
	struct script_opts opts = {.timeout_us = misc_timeout_us(ck)};
	struct script_run *run;
	int r;

	if (!runner) {
		check_done(ck, false, "no script runner");
		return;
	}
	check_set_deadline(ck, opts.timeout_us + MISC_BACKSTOP_US);
	ck->phase = "waiting for the script";
	r = script_run(runner, &cmd, NULL, &opts, misc_done, ck, &run);
	if (r < 0) {
		check_done(ck, false, "cannot start: %s", strerror(-r));
		return;
	}
	ck->probe = run;
}

static void misc_cancel(struct check *ck)
{
	script_run_cancel(ck->probe);
	ck->probe = NULL;
}

static void misc_fini(struct check *ck)
{
	struct misc_priv *priv = ck->priv;

	if (!priv)
		return;
	script_argv_free(priv->argv);
	free(priv);
	ck->priv = NULL;
}

static int misc_init(struct check *ck)
{
	const struct lvs_script *s = &ck->conf->u.misc.script;
	const struct global_conf *g = &ck->cfg->global;
	const char *user = s->user ? s->user : g->script_user;
	const char *group = s->user ? s->group : g->script_group;
	struct misc_priv *priv = calloc(1, sizeof(*priv));
	char why[256], resolved[4096];
	enum script_security sec;
	int r;

	if (!priv)
		return -ENOMEM;
	ck->priv = priv;
	r = script_split(s->cmd ? s->cmd : "", &priv->argv, why, sizeof(why));
	if (r < 0) {
		log_err("%s: %s: the check stays down", check_name(ck), why);
		goto fail;
	}
	r = script_identity_resolve(user, group, &priv->id, why, sizeof(why));
	if (r < 0) {
		log_err("%s: %s: the check stays down", check_name(ck), why);
		goto fail;
	}
	sec = script_security_check(priv->argv[0], &priv->id, NULL, resolved, sizeof(resolved), why,
				    sizeof(why));
	if (!script_security_allows(sec, g->enable_script_security)) {
		log_err("%s: %s: the check stays down", check_name(ck), why);
		r = -EPERM;
		goto fail;
	}
	if (sec == SCRIPT_INSECURE)
		log_warn("%s: %s", check_name(ck), why);
	return 0;
fail:
	misc_fini(ck);
	return r < 0 ? r : -EINVAL;
}

const struct check_type check_type_misc = {
    .kind = LVS_CHECK_MISC,
    .init = misc_init,
    .fini = misc_fini,
    .start = misc_start,
    .cancel = misc_cancel,
};
