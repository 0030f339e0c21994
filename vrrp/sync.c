#include "build-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"
#include "vrrp/instance.h"
#include "vrrp/sync.h"
#include "vrrp/vrrp_internal.h"

struct vrrp_sync *vrrp_sync_new(struct vrrp *v, const struct vrrp_sync_group_conf *conf,
				const struct vrrp_sync *prev)
{
	struct vrrp_sync *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->members = calloc(conf->n_members ? conf->n_members : 1, sizeof(*s->members));
	if (!s->members) {
		free(s);
		return NULL;
	}
	s->v = v;
	s->conf = conf;
	s->state = prev ? prev->state : VRRP_STATE_INIT;
	s->reload_from = s->state;
	vrrp_notify_prepare(&s->notify, &conf->notify, conf->name,
			    v->global && v->global->enable_script_security);
	return s;
}

void vrrp_sync_free(struct vrrp_sync *s)
{
	if (!s)
		return;
	/* Members are not touched: some may be gone already (a reload
	 * unlinks every instance from its old group first). */
	vrrp_notify_clear(&s->notify);
	free(s->members);
	free(s);
}

int vrrp_sync_add(struct vrrp_sync *s, struct vrrp_instance *inst)
{
	if (s->n_members >= s->conf->n_members)
		return -ENOSPC;
	s->members[s->n_members++] = inst;
	inst->sync = s;
	return 0;
}

bool vrrp_sync_fault(const struct vrrp_sync *s)
{
	for (unsigned i = 0; i < s->n_members; i++)
		if (vrrp_instance_own_fault(s->members[i]))
			return true;
	return false;
}

bool vrrp_sync_hold(const struct vrrp_sync *s)
{
	for (unsigned i = 0; i < s->n_members; i++)
		if (vrrp_instance_own_hold(s->members[i]))
			return true;
	return false;
}

static enum vrrp_state group_state(const struct vrrp_sync *s)
{
	unsigned masters = 0, running = 0;

	for (unsigned i = 0; i < s->n_members; i++) {
		enum vrrp_state st = vrrp_instance_state(s->members[i]);

		if (!s->members[i]->started)
			return s->state; /* a generation still starting up */
		if (st == VRRP_STATE_FAULT)
			return VRRP_STATE_FAULT;
		masters += st == VRRP_STATE_MASTER;
		running += st == VRRP_STATE_MASTER || st == VRRP_STATE_BACKUP;
	}
	if (s->n_members && masters == s->n_members)
		return VRRP_STATE_MASTER;
	return running ? VRRP_STATE_BACKUP : s->state;
}

/* The members have settled: the group's state and its notifies. */
static void settle(struct vrrp_sync *s)
{
	enum vrrp_state st = group_state(s);

	if (st == s->state)
		return;
	log_info("(%s) sync group %s -> %s", s->conf->name, vrrp_state_name(s->state),
		 vrrp_state_name(st));
	s->state = st;
	vrrp_notify_run(s->v->scripts, &s->notify, true, s->conf->name, vrrp_state_name(st), 0);
	vrrp_fifos_write(&s->v->fifos, true, s->conf->name, vrrp_state_name(st), 0);
}

void vrrp_sync_refresh(struct vrrp_sync *s, const char *why)
{
	char buf[192];
	bool outer = !s->syncing;

	s->syncing = true;
	snprintf(buf, sizeof(buf), "sync group %s: %s", s->conf->name, why);
	for (unsigned i = 0; i < s->n_members; i++)
		vrrp_instance_update(s->members[i], buf);
	if (outer) {
		s->syncing = false;
		settle(s);
	}
}

void vrrp_sync_want_master(struct vrrp_sync *s, struct vrrp_instance *inst)
{
	char why[192];
	bool outer = !s->syncing;

	for (unsigned i = 0; i < s->n_members; i++) {
		const struct vrrp_instance *m = s->members[i];
		enum vrrp_state st = vrrp_instance_state(m);

		if (m != inst && st != VRRP_STATE_MASTER &&
		    !(st == VRRP_STATE_BACKUP && vrrp_instance_wants_master(m))) {
			log_debug("(%s) would be master, but %s of sync group %s is not ready",
				  vrrp_instance_name(inst), vrrp_instance_name(m), s->conf->name);
			return;
		}
	}
	snprintf(why, sizeof(why), "sync group %s moves to MASTER", s->conf->name);
	s->syncing = true;
	for (unsigned i = 0; i < s->n_members; i++)
		if (vrrp_instance_state(s->members[i]) == VRRP_STATE_BACKUP)
			vrrp_instance_sync_event(s->members[i], VRRP_EV_SYNC_MASTER, why);
	if (outer) {
		s->syncing = false;
		settle(s);
	}
}

void vrrp_sync_member_changed(struct vrrp_sync *s, struct vrrp_instance *inst,
			      enum vrrp_state prev)
{
	char why[192];
	bool outer = !s->syncing;

	if (prev == VRRP_STATE_MASTER && vrrp_instance_state(inst) == VRRP_STATE_BACKUP) {
		snprintf(why, sizeof(why), "sync group %s: %s left MASTER", s->conf->name,
			 vrrp_instance_name(inst));
		s->syncing = true;
		for (unsigned i = 0; i < s->n_members; i++)
			if (s->members[i] != inst &&
			    vrrp_instance_state(s->members[i]) == VRRP_STATE_MASTER)
				vrrp_instance_sync_event(s->members[i], VRRP_EV_SYNC_BACKUP, why);
	}
	if (outer) {
		s->syncing = false;
		settle(s);
	}
}

void vrrp_sync_applied(struct vrrp_sync *s)
{
	char why[192];
	unsigned masters = 0, backups = 0;

	for (unsigned i = 0; i < s->n_members; i++) {
		enum vrrp_state st = vrrp_instance_state(s->members[i]);

		if (!s->members[i]->started)
			return;
		masters += st == VRRP_STATE_MASTER;
		backups += st == VRRP_STATE_BACKUP;
	}
	if (masters && backups) {
		snprintf(why, sizeof(why), "sync group %s: not every member is MASTER",
			 s->conf->name);
		s->syncing = true;
		for (unsigned i = 0; i < s->n_members; i++)
			if (vrrp_instance_state(s->members[i]) == VRRP_STATE_MASTER)
				vrrp_instance_sync_event(s->members[i], VRRP_EV_SYNC_BACKUP, why);
		s->syncing = false;
	}
	settle(s);
}

void vrrp_sync_notify_stop(struct vrrp_sync *s)
{
	vrrp_notify_run(s->v->scripts, &s->notify, true, s->conf->name, "STOP", 0);
	vrrp_fifos_write(&s->v->fifos, true, s->conf->name, "STOP", 0);
}
