/* What the tracking modules share (not for the VRRP runtime: see
 * vrrp/track.h). */
#ifndef VIGIL_VRRP_TRACK_INTERNAL_H
#define VIGIL_VRRP_TRACK_INTERNAL_H

#include "vrrp/track.h"

struct track_scripts;
struct track_files;
struct track_ifs;
struct track_procs;

struct vrrp_tracker {
	sd_event *event;
	struct script_runner *runner;
	const struct vigil_config *cfg;
	const struct vrrp_tracker_ops *ops;
	void *owner;
	struct track_scripts *scripts;
	struct track_files *files;
	struct track_ifs *ifs;
	struct track_procs *procs;
};

/* A module reports a state change of one of its objects. */
void vrrp_tracker_changed(struct vrrp_tracker *t, enum vrrp_track_kind kind, const char *name);

/* Whether some instance or sync group tracks @kind @name. */
bool vrrp_tracker_is_tracked(const struct vigil_config *cfg, enum vrrp_track_kind kind,
			     const char *name);

int track_scripts_new(struct vrrp_tracker *t, const struct track_scripts *prev,
		      struct track_scripts **out);
void track_scripts_free(struct track_scripts *s);
enum vrrp_track_state track_scripts_state(const struct track_scripts *s, const char *name);

int track_files_new(struct vrrp_tracker *t, struct track_files **out);
void track_files_free(struct track_files *f);
/* The value read, and whether the file is watched at all. */
int64_t track_files_value(const struct track_files *f, const char *name, bool *known);

struct vrrp_ifwatch;
/* Interfaces as @w's table has them (NULL: all unknown); re-read and
 * changes reported on track_ifs_changed(). */
int track_ifs_new(struct vrrp_tracker *t, const struct vrrp_ifwatch *w, struct track_ifs **out);
void track_ifs_changed(struct track_ifs *i);
void track_ifs_free(struct track_ifs *i);
enum vrrp_track_state track_ifs_state(const struct track_ifs *i, const char *ifname);

int track_procs_new(struct vrrp_tracker *t, struct track_procs **out);
void track_procs_free(struct track_procs *p);
enum vrrp_track_state track_procs_state(const struct track_procs *p, const char *name);

#endif
