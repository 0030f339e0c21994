#include "build-config.h"

#include <stdlib.h>

#include "vrrp/vipwatch.h"

static bool was_seen(const struct vrrp_vipwatch *w, const struct vrrp_addr_conf *a)
{
	for (unsigned i = 0; i < w->n; i++)
		if (w->seen[i] == a)
			return true;
	return false;
}

static void mark_seen(struct vrrp_vipwatch *w, const struct vrrp_addr_conf *a)
{
	if (was_seen(w, a))
		return;
	if (w->n == w->cap) {
		unsigned cap = w->cap ? w->cap * 2 : 8;
		const struct vrrp_addr_conf **v = realloc(w->seen, cap * sizeof(*v));

		if (!v)
			return;
		w->seen = v;
		w->cap = cap;
	}
	w->seen[w->n++] = a;
}

const struct vrrp_addr_conf *vrrp_vipwatch_scan(struct vrrp_vipwatch *w,
						const struct vrrp_iftable *t,
						const struct vrrp_addr_list *const *lists,
						unsigned n, vrrp_vipwatch_ifindex_fn ifindex,
						void *ctx)
{
	const struct vrrp_addr_conf *lost = NULL;

	for (unsigned l = 0; l < n; l++)
		for (const struct vrrp_addr_conf *a = lists[l]->first; a; a = a->next) {
			unsigned idx = ifindex(ctx, a);

			/* VIPs are added without DAD: present means usable. */
			if (idx && vrrp_iftable_usable(t, idx, &a->addr))
				mark_seen(w, a);
			else if (!lost && was_seen(w, a))
				lost = a;
		}
	return lost;
}

void vrrp_vipwatch_clear(struct vrrp_vipwatch *w)
{
	w->n = 0;
}

void vrrp_vipwatch_free(struct vrrp_vipwatch *w)
{
	free(w->seen);
	w->seen = NULL;
	w->n = w->cap = 0;
}
