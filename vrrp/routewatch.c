#include "build-config.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdlib.h>

#include "lib/rtnl_watch.h"
#include "vrrp/route_msg.h"
#include "vrrp/routewatch.h"

struct vrrp_routewatch {
	struct rtnl_watch *rtnl;
	vrrp_routewatch_fn deleted;
	void *data;
};

static bool ours_deleted(const struct nlmsghdr *nh, bool dumped, void *data)
{
	const struct rtmsg *rtm = NLMSG_DATA(nh);

	(void)dumped;
	(void)data;
	if (nh->nlmsg_type == RTM_DELROUTE && nh->nlmsg_len >= NLMSG_LENGTH(sizeof(*rtm)) &&
	    rtm->rtm_protocol == VRRP_ROUTE_PROTO)
		return true;
	/* Rules change seldom: any deletion is worth a look. */
	return nh->nlmsg_type == RTM_DELRULE;
}

/* Also after lost notifications: one may have been ours. */
static void on_deleted(int rc, void *data)
{
	struct vrrp_routewatch *w = data;

	(void)rc;
	if (w->deleted)
		w->deleted(w->data);
}

int vrrp_routewatch_new(sd_event *event, vrrp_routewatch_fn deleted, void *data,
			struct vrrp_routewatch **out)
{
	static const unsigned groups[] = {RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE, RTNLGRP_IPV4_RULE,
					  RTNLGRP_IPV6_RULE, 0};
	static const struct rtnl_watch_spec spec = {
	    .groups = groups,
	    .msg = ours_deleted,
	    .changed = on_deleted,
	};
	struct vrrp_routewatch *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return -ENOMEM;
	w->deleted = deleted;
	w->data = data;
	rc = rtnl_watch_new(event, &spec, w, &w->rtnl);
	if (rc < 0) {
		vrrp_routewatch_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

void vrrp_routewatch_free(struct vrrp_routewatch *w)
{
	if (!w)
		return;
	rtnl_watch_free(w->rtnl);
	free(w);
}
