/* vrrp_script, track_file, vrrp_track_process, the track_* reference blocks
 * of instances and sync groups, notify commands, and vrrp_sync_group. */
#include "build-config.h"

#include <errno.h>
#include <string.h>

#include "parser/conf_vrrp_internal.h"

#define H(fn) static void fn(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)

bool conf_vrrp_name_taken(struct conf_ctx *ctx, const struct cfg_node *n,
			  enum vrrp_name_kind kind, const char *what)
{
	bool taken = conf_vrrp_find(ctx, kind, n->args[1].s) != NULL;

	if (taken)
		conf_error(ctx, n, 1, "%s '%s' is already defined", what, n->args[1].s);
	return taken;
}

void conf_vrrp_name_add(struct conf_ctx *ctx, enum vrrp_name_kind kind, const char *name,
			void *obj)
{
	if (!ctx->vrrp || name_index_add(&ctx->vrrp->names, kind, name, obj) == -ENOMEM)
		conf_error_at(ctx, NULL, "out of memory indexing the name '%s'", name);
}

void *conf_vrrp_find(struct conf_ctx *ctx, enum vrrp_name_kind kind, const char *name)
{
	return ctx->vrrp ? name_index_find(&ctx->vrrp->names, kind, name) : NULL;
}

/* "weight W [reverse|noreverse|no_reverse]" starting at word @i. */
static int weight_words(struct conf_ctx *ctx, const struct cfg_node *n, unsigned i, int32_t max,
			int32_t *w, bool *reverse)
{
	if (conf_i32(ctx, n, i, -max, max, w) < 0)
		return -1;
	for (unsigned k = i + 1; k < n->argc; k++) {
		const char *s = n->args[k].s;

		if (!strcmp(s, "reverse"))
			*reverse = true;
		else if (!strcmp(s, "noreverse") || !strcmp(s, "no_reverse"))
			*reverse = false;
		else {
			conf_error(ctx, n, k, "expected 'reverse' or 'noreverse', got '%s'", s);
			return -1;
		}
	}
	return 0;
}

/* ---- vrrp_script ---- */

H(s_script) { conf_join(ctx, n, 1, &((struct vrrp_script_conf *)obj)->script); }
/* keepalived 2.3 takes fractions of a second here (2.2.7 whole seconds). */
H(s_interval)
{
	conf_timer_us(ctx, n, 1, 1000, 4294 * SEC_US, &((struct vrrp_script_conf *)obj)->interval_us);
}
H(s_timeout)
{
	conf_timer_us(ctx, n, 1, 1000, 4294 * SEC_US, &((struct vrrp_script_conf *)obj)->timeout_us);
}
H(s_rise) { conf_u32(ctx, n, 1, 1, UINT32_MAX, &((struct vrrp_script_conf *)obj)->rise); }
H(s_fall) { conf_u32(ctx, n, 1, 1, UINT32_MAX, &((struct vrrp_script_conf *)obj)->fall); }
H(s_init_fail) { (void)ctx; (void)n; ((struct vrrp_script_conf *)obj)->init_fail = true; }
H(s_weight)
{
	struct vrrp_script_conf *s = obj;

	weight_words(ctx, n, 1, VRRP_TRACK_WEIGHT_MAX, &s->weight, &s->weight_reverse);
}
H(s_user)
{
	struct vrrp_script_conf *s = obj;

	conf_str(ctx, n, 1, &s->user);
	if (n->argc > 2)
		conf_str(ctx, n, 2, &s->group);
}

static const struct kw script_kws[] = {
	{ "script", s_script, 1, KW_ANY, 0, NULL },
	{ "interval", s_interval, 1, 1, 0, NULL },
	{ "timeout", s_timeout, 1, 1, 0, NULL },
	{ "weight", s_weight, 1, 2, 0, NULL },
	{ "rise", s_rise, 1, 1, 0, NULL },
	{ "fall", s_fall, 1, 1, 0, NULL },
	{ "user", s_user, 1, 2, 0, NULL },
	{ "init_fail", s_init_fail, 0, 0, 0, NULL },
};
static const struct kw_table script_table = KW_TABLE("vrrp_script", script_kws);

void conf_vrrp_script_block(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct vrrp_script_conf *s;

	(void)obj;
	if (conf_vrrp_name_taken(ctx, n, VRRP_NAME_SCRIPT, "vrrp_script"))
		return;
	s = conf_alloc(ctx, n, sizeof(*s));
	if (!s || conf_str(ctx, n, 1, &s->name) < 0)
		return;
	conf_loc(ctx, &n->loc, &s->loc);
	s->interval_us = SEC_US;
	s->rise = s->fall = 1;
	kw_dispatch(ctx, n->child, &script_table, s);
	if (!s->script) {
		conf_error(ctx, n, 1, "vrrp_script '%s' has no 'script'", s->name);
		return;
	}
	VRRP_APPEND(ctx, scripts, s);
	conf_vrrp_name_add(ctx, VRRP_NAME_SCRIPT, s->name, s);
}

/* ---- track_file ---- */

H(f_file) { conf_str(ctx, n, 1, &((struct vrrp_track_file_conf *)obj)->file); }
H(f_weight)
{
	struct vrrp_track_file_conf *f = obj;

	weight_words(ctx, n, 1, INT32_MAX, &f->weight, &f->weight_reverse);
}
H(f_init_file)
{
	struct vrrp_track_file_conf *f = obj;
	unsigned i = 1;
	int64_t v;

	f->init_file = true;
	if (i < n->argc && strcmp(n->args[i].s, "overwrite")) {
		if (parse_i64(n->args[i].s, &v) < 0) {
			conf_error(ctx, n, i, "'init_file' expects a number or 'overwrite', got '%s'",
				   n->args[i].s);
			return;
		}
		f->init_value = v;
		i++;
	}
	if (i < n->argc) {
		if (strcmp(n->args[i].s, "overwrite"))
			conf_error(ctx, n, i, "'init_file' expects 'overwrite', got '%s'", n->args[i].s);
		else
			f->init_overwrite = true;
	}
}

static const struct kw track_file_kws[] = {
	{ "file", f_file, 1, 1, 0, NULL },
	{ "weight", f_weight, 1, 2, 0, NULL },
	{ "init_file", f_init_file, 0, 2, 0, NULL },
};
static const struct kw_table track_file_table = KW_TABLE("track_file", track_file_kws);

void conf_vrrp_track_file_block(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct vrrp_track_file_conf *f;

	(void)obj;
	if (conf_vrrp_name_taken(ctx, n, VRRP_NAME_TRACK_FILE, "track_file"))
		return;
	f = conf_alloc(ctx, n, sizeof(*f));
	if (!f || conf_str(ctx, n, 1, &f->name) < 0)
		return;
	conf_loc(ctx, &n->loc, &f->loc);
	f->weight = 1;
	f->deprecated_name = !strcmp(n->args[0].s, "vrrp_track_file");
	kw_dispatch(ctx, n->child, &track_file_table, f);
	if (!f->file) {
		conf_error(ctx, n, 1, "track_file '%s' has no 'file'", f->name);
		return;
	}
	VRRP_APPEND(ctx, track_files, f);
	conf_vrrp_name_add(ctx, VRRP_NAME_TRACK_FILE, f->name, f);
}

/* ---- vrrp_track_process ---- */

#define P(o) ((struct vrrp_track_process_conf *)(o))

H(p_process)
{
	struct vrrp_track_process_conf *p = obj;
	const char **v;

	if (conf_str(ctx, n, 1, &p->process) < 0 || n->argc < 3)
		return;
	v = conf_alloc(ctx, n, (n->argc - 1) * sizeof(*v));
	if (!v)
		return;
	for (unsigned i = 2; i < n->argc; i++)
		conf_str(ctx, n, i, &v[p->n_params++]);
	p->params = v;
	if (p->param_match == VRRP_PARAM_MATCH_NONE)
		p->param_match = VRRP_PARAM_MATCH_EXACT;
}

H(p_param_match)
{
	static const char *const names[] = { "initial", "partial", NULL };
	int k;

	if (n->argc < 2) {
		P(obj)->param_match = VRRP_PARAM_MATCH_EXACT;
		return;
	}
	if (conf_enum(ctx, n, 1, names, &k) == 0)
		P(obj)->param_match = k ? VRRP_PARAM_MATCH_PARTIAL : VRRP_PARAM_MATCH_INITIAL;
}

H(p_weight) { weight_words(ctx, n, 1, 254, &P(obj)->weight, &P(obj)->weight_reverse); }
H(p_quorum) { conf_u32(ctx, n, 1, 1, 65535, &P(obj)->quorum); }
H(p_quorum_max) { conf_u32(ctx, n, 1, 0, 65535, &P(obj)->quorum_max); }
H(p_fork_delay) { conf_timer_us(ctx, n, 1, 0, 65535 * SEC_US, &P(obj)->fork_delay_us); }
H(p_terminate_delay) { conf_timer_us(ctx, n, 1, 0, 65535 * SEC_US, &P(obj)->terminate_delay_us); }
H(p_delay)
{
	if (conf_timer_us(ctx, n, 1, 0, 65535 * SEC_US, &P(obj)->fork_delay_us) == 0)
		P(obj)->terminate_delay_us = P(obj)->fork_delay_us;
}
H(p_full_command) { (void)ctx; (void)n; P(obj)->full_command = true; }

static const struct kw process_kws[] = {
	{ "process", p_process, 1, KW_ANY, 0, NULL },
	{ "param_match", p_param_match, 0, 1, 0, NULL },
	{ "weight", p_weight, 1, 2, 0, NULL },
	{ "quorum", p_quorum, 1, 1, 0, NULL },
	{ "quorum_max", p_quorum_max, 1, 1, 0, NULL },
	{ "fork_delay", p_fork_delay, 1, 1, 0, NULL },
	{ "terminate_delay", p_terminate_delay, 1, 1, 0, NULL },
	{ "delay", p_delay, 1, 1, 0, NULL },
	{ "full_command", p_full_command, 0, 0, 0, NULL },
};
static const struct kw_table process_table = KW_TABLE("vrrp_track_process", process_kws);

void conf_vrrp_track_process_block(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct vrrp_track_process_conf *p;

	(void)obj;
	if (conf_vrrp_name_taken(ctx, n, VRRP_NAME_TRACK_PROCESS, "vrrp_track_process"))
		return;
	p = conf_alloc(ctx, n, sizeof(*p));
	if (!p || conf_str(ctx, n, 1, &p->name) < 0)
		return;
	conf_loc(ctx, &n->loc, &p->loc);
	p->weight = 1;
	p->quorum = 1;
	p->quorum_max = UINT32_MAX;
	kw_dispatch(ctx, n->child, &process_table, p);
	if (!p->process) {
		conf_error(ctx, n, 1, "vrrp_track_process '%s' has no 'process'", p->name);
		return;
	}
	if (p->quorum_max != UINT32_MAX && p->quorum_max < p->quorum) {
		conf_error(ctx, n, 1, "vrrp_track_process '%s': quorum_max %u is below quorum %u",
			   p->name, p->quorum_max, p->quorum);
		return;
	}
	VRRP_APPEND(ctx, track_processes, p);
	conf_vrrp_name_add(ctx, VRRP_NAME_TRACK_PROCESS, p->name, p);
}

/* ---- track_* reference blocks ---- */

void conf_vrrp_track_block(struct conf_ctx *ctx, const struct cfg_node *n,
			   enum vrrp_track_kind kind, int32_t max_weight, struct vrrp_track_list *list)
{
	struct vrrp_track_conf **tail = &list->first;

	while (*tail)
		tail = &(*tail)->next;
	for (const struct cfg_node *c = n->child; c; c = c->next) {
		struct vrrp_track_conf *t = conf_alloc(ctx, c, sizeof(*t));

		if (!t || conf_str(ctx, c, 0, &t->name) < 0)
			return;
		conf_loc(ctx, &c->loc, &t->loc);
		t->kind = kind;
		if (c->argc > 1) {
			if (strcmp(c->args[1].s, "weight")) {
				conf_error(ctx, c, 1, "expected 'weight', got '%s'", c->args[1].s);
				continue;
			}
			if (weight_words(ctx, c, 2, max_weight, &t->weight, &t->reverse) < 0)
				continue;
			t->weight_set = true;
		}
		*tail = t;
		tail = &t->next;
		list->n++;
	}
}

void conf_vrrp_notify(struct conf_ctx *ctx, const struct cfg_node *n,
		      const struct vrrp_cmd_conf **slot)
{
	struct vrrp_cmd_conf *c;

	if (*slot) {
		conf_warning(ctx, n, 0, "'%s' given twice; the first one (line %u) is kept",
			     n->args[0].s, (*slot)->loc.line);
		return;
	}
	if (n->argc < 2) {
		/* Only notify_deleted may stand alone: FAULT becomes DELETED. */
		if (strcmp(n->args[0].s, "notify_deleted"))
			conf_error(ctx, n, 0, "'%s' needs a command", n->args[0].s);
		return;
	}
	c = conf_alloc(ctx, n, sizeof(*c));
	if (!c || conf_str(ctx, n, 1, &c->cmd) < 0)
		return;
	conf_loc(ctx, &n->loc, &c->loc);
	if (n->argc > 2)
		conf_str(ctx, n, 2, &c->user);
	if (n->argc > 3)
		conf_str(ctx, n, 3, &c->group);
	*slot = c;
}

/* ---- vrrp_sync_group ---- */

#define SG(o) ((struct vrrp_sync_group_conf *)(o))

H(g_group)
{
	struct vrrp_name_ref **tail = &SG(obj)->members;

	while (*tail)
		tail = &(*tail)->next;
	for (const struct cfg_node *c = n->child; c; c = c->next) {
		for (unsigned i = 0; i < c->argc; i++) {
			struct vrrp_name_ref *r = conf_alloc(ctx, c, sizeof(*r));

			if (!r || conf_str(ctx, c, i, &r->name) < 0)
				return;
			conf_loc(ctx, &c->args[i].loc, &r->loc);
			*tail = r;
			tail = &r->next;
			SG(obj)->n_members++;
		}
	}
}

H(g_track_if) { conf_vrrp_track_block(ctx, n, VRRP_TRACK_INTERFACE, 253, &SG(obj)->track.interfaces); }
H(g_track_script) { conf_vrrp_track_block(ctx, n, VRRP_TRACK_SCRIPT, 253, &SG(obj)->track.scripts); }
H(g_track_file) { conf_vrrp_track_block(ctx, n, VRRP_TRACK_FILE, 254, &SG(obj)->track.files); }
H(g_track_process) { conf_vrrp_track_block(ctx, n, VRRP_TRACK_PROCESS, 254, &SG(obj)->track.processes); }
H(g_track_bfd) { conf_vrrp_track_block(ctx, n, VRRP_TRACK_BFD, 253, &SG(obj)->track.bfds); }
H(g_notify_master) { conf_vrrp_notify(ctx, n, &SG(obj)->notify.master); }
H(g_notify_backup) { conf_vrrp_notify(ctx, n, &SG(obj)->notify.backup); }
H(g_notify_fault) { conf_vrrp_notify(ctx, n, &SG(obj)->notify.fault); }
H(g_notify_stop) { conf_vrrp_notify(ctx, n, &SG(obj)->notify.stop); }
H(g_notify) { conf_vrrp_notify(ctx, n, &SG(obj)->notify.any); }
H(g_smtp_alert)
{
	if (conf_bool(ctx, n, 1, &SG(obj)->smtp_alert) == 0)
		SG(obj)->smtp_alert_set = true;
}
H(g_notify_prio) { conf_bool(ctx, n, 1, &SG(obj)->notify_priority_changes); }
H(g_tracking_weight) { (void)ctx; (void)n; SG(obj)->tracking_weight = true; }

static const struct kw sync_group_kws[] = {
	{ "group", g_group, 0, 0, KW_BLOCK, NULL },
	{ "track_interface", g_track_if, 0, 0, KW_BLOCK, NULL },
	{ "track_script", g_track_script, 0, 0, KW_BLOCK, NULL },
	{ "track_file", g_track_file, 0, 0, KW_BLOCK, NULL },
	{ "track_process", g_track_process, 0, 0, KW_BLOCK, NULL },
	{ "track_bfd", g_track_bfd, 0, 0, KW_BLOCK, NULL },
	{ "notify_master", g_notify_master, 1, 3, 0, NULL },
	{ "notify_backup", g_notify_backup, 1, 3, 0, NULL },
	{ "notify_fault", g_notify_fault, 1, 3, 0, NULL },
	{ "notify_stop", g_notify_stop, 1, 3, 0, NULL },
	{ "notify", g_notify, 1, 3, 0, NULL },
	{ "smtp_alert", g_smtp_alert, 0, 1, 0, NULL },
	{ "notify_priority_changes", g_notify_prio, 0, 1, 0, NULL },
	{ "sync_group_tracking_weight", g_tracking_weight, 0, 0, 0, NULL },
	{ "global_tracking", g_tracking_weight, 0, 0, KW_DEPRECATED,
	  "track_interface/track_script/track_file on the sync group" },
};
static const struct kw_table sync_group_table = KW_TABLE("vrrp_sync_group", sync_group_kws);

void conf_vrrp_sync_group_block(struct conf_ctx *ctx, const struct cfg_node *n, void *obj)
{
	struct vrrp_sync_group_conf *g;

	(void)obj;
	if (conf_vrrp_name_taken(ctx, n, VRRP_NAME_SYNC_GROUP, "vrrp_sync_group"))
		return;
	g = conf_alloc(ctx, n, sizeof(*g));
	if (!g || conf_str(ctx, n, 1, &g->name) < 0)
		return;
	conf_loc(ctx, &n->loc, &g->loc);
	kw_dispatch(ctx, n->child, &sync_group_table, g);
	VRRP_APPEND(ctx, sync_groups, g);
	conf_vrrp_name_add(ctx, VRRP_NAME_SYNC_GROUP, g->name, g);
}

/* Fill each reference's target and default weight; report unknown names
 * (keepalived 2.2.7 fails its config test on them). */
void conf_vrrp_resolve_tracks(struct conf_ctx *ctx, struct vrrp_tracking *t, bool in_sync_group,
			      bool owner, const char *who)
{
	(void)in_sync_group;
	(void)owner;
	for (struct vrrp_track_conf *r = t->scripts.first; r; r = r->next) {
		r->script = conf_vrrp_find(ctx, VRRP_NAME_SCRIPT, r->name);
		if (!r->script)
			conf_error_at(ctx, &r->loc, "%s: track_script '%s' is not a vrrp_script",
				      who, r->name);
		else {
			((struct vrrp_script_conf *)r->script)->used = true;
			if (!r->weight_set) {
				r->weight = r->script->weight;
				r->reverse = r->script->weight_reverse;
			}
		}
	}
	for (struct vrrp_track_conf *r = t->files.first; r; r = r->next) {
		r->file = conf_vrrp_find(ctx, VRRP_NAME_TRACK_FILE, r->name);
		if (!r->file)
			conf_error_at(ctx, &r->loc, "%s: track_file '%s' is not a track_file", who,
				      r->name);
		else if (!r->weight_set) {
			r->weight = r->file->weight;
			r->reverse = r->file->weight_reverse;
		}
	}
	for (struct vrrp_track_conf *r = t->processes.first; r; r = r->next) {
		r->process = conf_vrrp_find(ctx, VRRP_NAME_TRACK_PROCESS, r->name);
		if (!r->process)
			conf_error_at(ctx, &r->loc, "%s: track_process '%s' is not a "
				      "vrrp_track_process", who, r->name);
		else if (!r->weight_set) {
			r->weight = r->process->weight;
			r->reverse = r->process->weight_reverse;
		}
	}
}
