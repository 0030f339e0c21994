/* track_interface (and each instance's own interface): link up/down as
 * the VRRP child's one rtnetlink subscription (vrrp/ifwatch.h) reports
 * it, tracked by name so that an interface deleted and re-created, even
 * with a new ifindex, is seen coming back. Up means IFF_UP and
 * IFF_RUNNING (carrier), as keepalived's IF_FLAGS_UP(). */
#include "build-config.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/log.h"
#include "vrrp/ifwatch.h"
#include "vrrp/track_internal.h"

/* One interface as this module last looked at it. */
struct link_seen {
	char name[IF_NAMESIZE];
	bool up;
};

struct links_seen {
	struct link_seen *v;
	size_t n;
};

struct track_ifs {
	struct vrrp_tracker *t;
	const struct vrrp_ifwatch *w;
	struct links_seen seen; /* every interface, as of the last change read */
};

static enum vrrp_track_state seen_state(const struct links_seen *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return s->v[i].up ? VRRP_TRACK_UP : VRRP_TRACK_DOWN;
	/* a missing interface is down (keepalived: FAULT until it appears) */
	return VRRP_TRACK_DOWN;
}

static bool seen_has(const struct links_seen *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return true;
	return false;
}

/* The interfaces of @w's table now. */
static int look(const struct vrrp_ifwatch *w, struct links_seen *out)
{
	const struct vrrp_iftable *tab = vrrp_ifwatch_table(w);

	out->n = 0;
	out->v = malloc((tab->n_links + 1) * sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	for (size_t i = 0; i < tab->n_links; i++) {
		const struct vrrp_if_link *l = &tab->links[i];

		snprintf(out->v[i].name, sizeof(out->v[i].name), "%s", l->name);
		out->v[i].up = (l->flags & IFF_UP) && (l->flags & IFF_RUNNING);
	}
	out->n = tab->n_links;
	return 0;
}

/* Whether an instance or sync group tracks @name, or it is the interface
 * of an instance that tracks its own. */
static bool relevant(const struct vigil_config *cfg, const char *name)
{
	for (const struct vrrp_instance_conf *vi = cfg->vrrp.instances; vi; vi = vi->next)
		if (vi->interface && !vi->dont_track_primary && !strcmp(vi->interface, name))
			return true;
	return vrrp_tracker_is_tracked(cfg, VRRP_TRACK_INTERFACE, name);
}

void track_ifs_changed(struct track_ifs *ifs)
{
	struct links_seen before;
	const struct links_seen *lists[2];

	if (!ifs || !ifs->w)
		return;
	before = ifs->seen;
	if (look(ifs->w, &ifs->seen) < 0) {
		ifs->seen = before;
		return;
	}
	/* names that were known before or are known now */
	lists[0] = &before;
	lists[1] = &ifs->seen;
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < lists[k]->n; i++) {
			const char *name = lists[k]->v[i].name;
			enum vrrp_track_state now = seen_state(&ifs->seen, name);

			if (seen_state(&before, name) == now || (k == 1 && seen_has(&before, name)))
				continue;
			if (!relevant(ifs->t->cfg, name))
				continue;
			log_info("Interface %s is %s", name, now == VRRP_TRACK_UP ? "up" : "down");
			vrrp_tracker_changed(ifs->t, VRRP_TRACK_INTERFACE, name);
		}
	free(before.v);
}

int track_ifs_new(struct vrrp_tracker *t, const struct vrrp_ifwatch *w, struct track_ifs **out)
{
	struct track_ifs *ifs = calloc(1, sizeof(*ifs));

	if (!ifs)
		return -ENOMEM;
	ifs->t = t;
	ifs->w = w;
	*out = ifs;
	/* Without the subscription every interface reads as unknown. */
	return w ? look(w, &ifs->seen) : 0;
}

void track_ifs_free(struct track_ifs *ifs)
{
	if (!ifs)
		return;
	free(ifs->seen.v);
	free(ifs);
}

enum vrrp_track_state track_ifs_state(const struct track_ifs *ifs, const char *ifname)
{
	return ifs && ifs->w ? seen_state(&ifs->seen, ifname) : VRRP_TRACK_UNKNOWN;
}
