/* The tracker: owns the tracking modules of one configuration generation
 * and evaluates instances against their states (see vrrp/track.h). */
#include "build-config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vrrp/track_internal.h"

void vrrp_tracker_changed(struct vrrp_tracker *t, enum vrrp_track_kind kind, const char *name)
{
	if (t->ops && t->ops->changed)
		t->ops->changed(t->owner, kind, name);
}

static const struct vrrp_track_list *track_list(const struct vrrp_tracking *tr,
						enum vrrp_track_kind kind)
{
	switch (kind) {
	case VRRP_TRACK_INTERFACE:
		return &tr->interfaces;
	case VRRP_TRACK_SCRIPT:
		return &tr->scripts;
	case VRRP_TRACK_FILE:
		return &tr->files;
	case VRRP_TRACK_PROCESS:
		return &tr->processes;
	case VRRP_TRACK_BFD:
		return &tr->bfds;
	}
	return NULL;
}

static bool list_has(const struct vrrp_tracking *tr, enum vrrp_track_kind kind, const char *name)
{
	const struct vrrp_track_list *l = track_list(tr, kind);

	for (const struct vrrp_track_conf *c = l ? l->first : NULL; c; c = c->next)
		if (!strcmp(c->name, name))
			return true;
	return false;
}

bool vrrp_tracker_is_tracked(const struct vigil_config *cfg, enum vrrp_track_kind kind,
			     const char *name)
{
	for (const struct vrrp_instance_conf *vi = cfg->vrrp.instances; vi; vi = vi->next)
		if (list_has(&vi->track, kind, name))
			return true;
	for (const struct vrrp_sync_group_conf *g = cfg->vrrp.sync_groups; g; g = g->next)
		if (list_has(&g->track, kind, name))
			return true;
	return false;
}

bool vrrp_tracker_tracks(const struct vrrp_tracker *t, const struct vrrp_instance_conf *vi,
			 enum vrrp_track_kind kind, const char *name)
{
	if (kind == VRRP_TRACK_INTERFACE && vi->interface && !vi->dont_track_primary &&
	    !strcmp(vi->interface, name))
		return true;
	return list_has(&vi->track, kind, name) ||
	       (vi->sync_group && list_has(&vi->sync_group->track, kind, name));
}

static void add_list(const struct vrrp_tracker *t, struct vrrp_prio_result *r,
		     const struct vrrp_tracking *tr)
{
	static const enum vrrp_track_kind kinds[] = { VRRP_TRACK_INTERFACE, VRRP_TRACK_SCRIPT,
						      VRRP_TRACK_FILE, VRRP_TRACK_PROCESS };

	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (const struct vrrp_track_conf *c = track_list(tr, kinds[k])->first; c;
		     c = c->next) {
			struct vrrp_prio_item it = { .kind = c->kind, .weight = c->weight,
						     .reverse = c->reverse };
			bool known = true;

			switch (c->kind) {
			case VRRP_TRACK_INTERFACE:
				it.state = track_ifs_state(t->ifs, c->name);
				break;
			case VRRP_TRACK_SCRIPT:
				it.state = track_scripts_state(t->scripts, c->name);
				break;
			case VRRP_TRACK_FILE:
				it.value = track_files_value(t->files, c->name, &known);
				it.state = known ? VRRP_TRACK_UP : VRRP_TRACK_DISABLED;
				break;
			case VRRP_TRACK_PROCESS:
				it.state = track_procs_state(t->procs, c->name);
				break;
			case VRRP_TRACK_BFD:
				continue;
			}
			vrrp_prio_add(r, &it);
		}
}

struct vrrp_prio_result vrrp_tracker_eval(const struct vrrp_tracker *t,
					  const struct vrrp_instance_conf *vi)
{
	struct vrrp_prio_result r;

	vrrp_prio_init(&r, vi->priority);
	/* keepalived puts an instance in FAULT while its own interface is
	 * down, unless dont_track_primary. */
	if (vi->interface && !vi->dont_track_primary) {
		struct vrrp_prio_item it = { .kind = VRRP_TRACK_INTERFACE,
					     .state = track_ifs_state(t->ifs, vi->interface) };

		vrrp_prio_add(&r, &it);
	}
	add_list(t, &r, &vi->track);
	if (vi->sync_group)
		add_list(t, &r, &vi->sync_group->track);
	vrrp_prio_finish(&r, vi->priority);
	return r;
}

int vrrp_tracker_new(sd_event *event, struct script_runner *runner,
		     const struct vrrp_ifwatch *ifw, const struct vigil_config *cfg,
		     const struct vrrp_tracker *prev, const struct vrrp_tracker_ops *ops,
		     void *owner, struct vrrp_tracker **out)
{
	struct vrrp_tracker *t = calloc(1, sizeof(*t));
	int rc;

	if (!t)
		return -ENOMEM;
	t->event = sd_event_ref(event);
	t->runner = runner;
	t->cfg = cfg;
	t->ops = ops;
	t->owner = owner;
	rc = track_ifs_new(t, ifw, &t->ifs);
	if (rc >= 0)
		rc = track_files_new(t, &t->files);
	if (rc >= 0)
		rc = track_procs_new(t, &t->procs);
	if (rc >= 0)
		rc = track_scripts_new(t, prev ? prev->scripts : NULL, &t->scripts);
	if (rc < 0) {
		vrrp_tracker_free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void vrrp_tracker_free(struct vrrp_tracker *t)
{
	if (!t)
		return;
	track_scripts_free(t->scripts);
	track_procs_free(t->procs);
	track_files_free(t->files);
	track_ifs_free(t->ifs);
	sd_event_unref(t->event);
	free(t);
}

enum vrrp_track_state vrrp_tracker_script_state(const struct vrrp_tracker *t, const char *name)
{
	return track_scripts_state(t->scripts, name);
}

void vrrp_tracker_ifs_changed(struct vrrp_tracker *t)
{
	if (t)
		track_ifs_changed(t->ifs);
}

enum vrrp_track_state vrrp_tracker_if_state(const struct vrrp_tracker *t, const char *ifname)
{
	return track_ifs_state(t->ifs, ifname);
}

enum vrrp_track_state vrrp_tracker_process_state(const struct vrrp_tracker *t, const char *name)
{
	return track_procs_state(t->procs, name);
}

int64_t vrrp_tracker_file_value(const struct vrrp_tracker *t, const char *name)
{
	bool known;

	return track_files_value(t->files, name, &known);
}
