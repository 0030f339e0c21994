/* track_interface (and each instance's own interface): link up/down from
 * rtnetlink link notifications (RTNLGRP_LINK), tracked by name so that an
 * interface deleted and re-created, even with a new ifindex, is seen
 * coming back. Up means IFF_UP and IFF_RUNNING (carrier), as keepalived's
 * IF_FLAGS_UP(). */
#include "build-config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/log.h"
#include "vrrp/track_internal.h"

struct link {
	int ifindex;
	char name[IFNAMSIZ];
	bool up;
};

struct link_table {
	struct link *v;
	size_t n, cap;
};

struct track_ifs {
	struct vrrp_tracker *t;
	int fd;
	uint32_t seq;
	sd_event_source *io;
	struct link_table links;
};

static struct link *link_by_index(struct link_table *lt, int ifindex)
{
	for (size_t i = 0; i < lt->n; i++)
		if (lt->v[i].ifindex == ifindex)
			return &lt->v[i];
	return NULL;
}

static const struct link *link_by_name(const struct link_table *lt, const char *name)
{
	for (size_t i = 0; i < lt->n; i++)
		if (!strcmp(lt->v[i].name, name))
			return &lt->v[i];
	return NULL;
}

static enum vrrp_track_state table_state(const struct link_table *lt, const char *name)
{
	const struct link *l = link_by_name(lt, name);

	/* a missing interface is down (keepalived: FAULT until it appears) */
	return l && l->up ? VRRP_TRACK_UP : VRRP_TRACK_DOWN;
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

/* Decode one RTM_NEWLINK/RTM_DELLINK into the table. */
static void link_update(struct link_table *lt, const struct nlmsghdr *nh)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nh);
	int len = (int)nh->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifi));
	const char *name = NULL;
	struct link *l;

	if (len < 0)
		return;
	for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFLA_IFNAME && RTA_PAYLOAD(a) > 0 &&
		    memchr(RTA_DATA(a), '\0', RTA_PAYLOAD(a)))
			name = RTA_DATA(a);
	l = link_by_index(lt, ifi->ifi_index);
	if (nh->nlmsg_type == RTM_DELLINK) {
		if (l)
			*l = lt->v[--lt->n];
		return;
	}
	if (!name)
		return;
	if (!l) {
		if (lt->n == lt->cap) {
			size_t cap = lt->cap ? lt->cap * 2 : 16;
			struct link *v = realloc(lt->v, cap * sizeof(*v));

			if (!v)
				return;
			lt->v = v;
			lt->cap = cap;
		}
		l = &lt->v[lt->n++];
		l->ifindex = ifi->ifi_index;
	}
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->up = (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING);
}

/* Handle a buffer of messages; returns 1 when it held NLMSG_DONE for @seq. */
static int parse_buffer(struct link_table *lt, const char *buf, ssize_t len, uint32_t seq)
{
	int done = 0;

	for (const struct nlmsghdr *nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, len);
	     nh = NLMSG_NEXT(nh, len)) {
		if (nh->nlmsg_type == RTM_NEWLINK || nh->nlmsg_type == RTM_DELLINK)
			link_update(lt, nh);
		else if ((nh->nlmsg_type == NLMSG_DONE || nh->nlmsg_type == NLMSG_ERROR) &&
			 nh->nlmsg_seq == seq)
			done = 1;
	}
	return done;
}

/* Synchronous dump of all links into @lt (start-up, and after the socket
 * overflowed and notifications were lost). */
static int dump_links(struct track_ifs *ifs, struct link_table *lt)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = { .nh = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK,
			  .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = ++ifs->seq },
		  .ifi = { .ifi_family = AF_UNSPEC } };
	char buf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));

	if (send(ifs->fd, &req, sizeof(req), 0) < 0)
		return -errno;
	for (;;) {
		ssize_t len = recv(ifs->fd, buf, sizeof(buf), 0);

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS)
				continue; /* events lost meanwhile: the dump covers them */
			return -errno;
		}
		if (parse_buffer(lt, buf, len, ifs->seq))
			return 0;
	}
}

static void notify_changes(struct track_ifs *ifs, const struct link_table *before)
{
	const struct vigil_config *cfg = ifs->t->cfg;
	/* names that were known before or are known now */
	const struct link_table *tables[] = { before, &ifs->links };

	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < tables[k]->n; i++) {
			const char *name = tables[k]->v[i].name;
			enum vrrp_track_state was = table_state(before, name);
			enum vrrp_track_state now = table_state(&ifs->links, name);

			if (was == now || (k == 1 && link_by_name(before, name)))
				continue;
			if (!relevant(cfg, name))
				continue;
			log_info("Interface %s is %s", name, now == VRRP_TRACK_UP ? "up" : "down");
			vrrp_tracker_changed(ifs->t, VRRP_TRACK_INTERFACE, name);
		}
}

static int on_netlink(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct track_ifs *ifs = data;
	char buf[32768] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct link_table before = { 0 };
	ssize_t len;

	before.v = malloc((ifs->links.n + 1) * sizeof(*before.v));
	if (!before.v)
		return 0;
	memcpy(before.v, ifs->links.v, ifs->links.n * sizeof(*before.v));
	before.n = ifs->links.n;
	while ((len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) != 0) {
		if (len < 0 && errno == ENOBUFS) {
			/* The kernel dropped notifications: the table may be
			 * stale, so read it again whole. */
			ifs->links.n = 0;
			if (dump_links(ifs, &ifs->links) < 0)
				log_warn("track_interface: link dump failed");
			continue;
		}
		if (len < 0)
			break;
		parse_buffer(&ifs->links, buf, len, 0);
	}
	notify_changes(ifs, &before);
	free(before.v);
	return 0;
}

int track_ifs_new(struct vrrp_tracker *t, struct track_ifs **out)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	struct track_ifs *ifs = calloc(1, sizeof(*ifs));
	int rc;

	if (!ifs)
		return -ENOMEM;
	ifs->t = t;
	ifs->fd = -1;
	*out = ifs;
	ifs->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (ifs->fd < 0)
		return -errno;
	/* Subscribe first, then dump: a change between the two is seen. */
	if (bind(ifs->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	rc = dump_links(ifs, &ifs->links);
	if (rc < 0)
		return rc;
	return sd_event_add_io(t->event, &ifs->io, ifs->fd, EPOLLIN, on_netlink, ifs);
}

void track_ifs_free(struct track_ifs *ifs)
{
	if (!ifs)
		return;
	sd_event_source_disable_unref(ifs->io);
	if (ifs->fd >= 0)
		close(ifs->fd);
	free(ifs->links.v);
	free(ifs);
}

enum vrrp_track_state track_ifs_state(const struct track_ifs *ifs, const char *ifname)
{
	return ifs ? table_state(&ifs->links, ifname) : VRRP_TRACK_UNKNOWN;
}
