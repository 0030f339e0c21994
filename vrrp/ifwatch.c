#include "build-config.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>

#include "daemon/log.h"
#include "lib/rtnl_watch.h"
#include "vrrp/ifwatch.h"

struct vrrp_ifwatch {
	struct rtnl_watch *rtnl;
	struct vrrp_iftable table;
	vrrp_ifwatch_changed_fn changed;
	void *data;
};

const struct vrrp_iftable *vrrp_ifwatch_table(const struct vrrp_ifwatch *w)
{
	return &w->table;
}

static bool on_msg(const struct nlmsghdr *nh, bool dumped, void *data)
{
	struct vrrp_ifwatch *w = data;

	(void)dumped;
	return vrrp_iftable_apply(&w->table, nh) > 0;
}

/* The kernel dropped notifications: the table is read again from scratch. */
static void on_reset(void *data)
{
	struct vrrp_ifwatch *w = data;

	vrrp_iftable_clear(&w->table);
}

static void on_changed(int rc, void *data)
{
	struct vrrp_ifwatch *w = data;

	if (rc < 0)
		log_warn("interface watch: cannot read the interfaces again");
	if (w->changed)
		w->changed(w->data);
}

int vrrp_ifwatch_new(sd_event *event, vrrp_ifwatch_changed_fn changed, void *data,
		     struct vrrp_ifwatch **out)
{
	static const unsigned groups[] = {RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
					  0};
	static const uint16_t dumps[] = {RTM_GETLINK, RTM_GETADDR, 0};
	static const struct rtnl_watch_spec spec = {
	    .groups = groups,
	    .dumps = dumps,
	    .msg = on_msg,
	    .reset = on_reset,
	    .changed = on_changed,
	};
	struct vrrp_ifwatch *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return -ENOMEM;
	w->changed = changed;
	w->data = data;
	rc = rtnl_watch_new(event, &spec, w, &w->rtnl);
	if (rc < 0) {
		vrrp_ifwatch_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

void vrrp_ifwatch_free(struct vrrp_ifwatch *w)
{
	if (!w)
		return;
	rtnl_watch_free(w->rtnl);
	vrrp_iftable_free(&w->table);
	free(w);
}
