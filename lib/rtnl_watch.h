/* One rtnetlink subscription on the event loop, the plumbing the watchers
 * share (vrrp/ifwatch.c, vrrp/routewatch.c, ipvs/local_addrs.c): a
 * NETLINK_ROUTE socket joined to some multicast groups, optional dumps at
 * start and after the kernel dropped notifications (ENOBUFS), each message
 * handed to the owner, and one callback per batch read.
 *
 * Messages stay raw (struct nlmsghdr): the owners parse them with pure,
 * unit-tested functions (vrrp/iftable.c); libnl-route is used where vigil
 * writes addresses and links (vrrp/addr.c, vrrp/vmac.c).
 */
#ifndef VIGIL_LIB_RTNL_WATCH_H
#define VIGIL_LIB_RTNL_WATCH_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <systemd/sd-event.h>

struct rtnl_watch;

struct rtnl_watch_spec {
	/* RTNLGRP_* numbers to join, ending with 0 (RTNLGRP_NONE). */
	const unsigned *groups;
	/* RTM_GET* types dumped (AF_UNSPEC) at start and after an overrun,
	 * ending with 0; NULL: an overrun is only reported. */
	const uint16_t *dumps;
	/* Each message read, except a dump's NLMSG_DONE/NLMSG_ERROR. @dumped:
	 * a reply to our dump, else a notification. Returns true when the
	 * message changed the owner's view. */
	bool (*msg)(const struct nlmsghdr *nh, bool dumped, void *data);
	/* Before the dumps: forget the view. May be NULL. */
	void (*reset)(void *data);
	/* After a batch that changed the view, or lost notifications (then
	 * after the dumps). @rc: 0, or the negative errno of a failed re-dump.
	 * May be NULL. */
	void (*changed)(int rc, void *data);
	/* Dump again after every batch that changed the view, for owners that
	 * re-read rather than follow notifications (ipvs/local_addrs.c). */
	bool redump_on_change;
};

/* Open, join @spec's groups, dump (subscribed first, so no change falls
 * between), then watch on @event. @spec is copied, its arrays are not: they
 * must outlive the watch (static const). Returns 0 and *out, or a negative
 * errno. Free with rtnl_watch_free() (NULL is fine). */
int rtnl_watch_new(sd_event *event, const struct rtnl_watch_spec *spec, void *data,
		   struct rtnl_watch **out);
void rtnl_watch_free(struct rtnl_watch *w);

#endif
