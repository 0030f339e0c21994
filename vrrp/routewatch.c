#include "build-config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/log.h"
#include "vrrp/route_msg.h"
#include "vrrp/routewatch.h"

#define NL_BUF_LEN 32768

struct vrrp_routewatch {
	int fd;
	sd_event_source *io;
	vrrp_routewatch_fn deleted;
	void *data;
};

static bool ours_deleted(const char *buf, ssize_t len)
{
	for (const struct nlmsghdr *nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, len);
	     nh = NLMSG_NEXT(nh, len)) {
		const struct rtmsg *rtm = NLMSG_DATA(nh);

		if (nh->nlmsg_type == RTM_DELROUTE && nh->nlmsg_len >= NLMSG_LENGTH(sizeof(*rtm)) &&
		    rtm->rtm_protocol == VRRP_ROUTE_PROTO)
			return true;
		/* Rules change seldom: any deletion is worth a look. */
		if (nh->nlmsg_type == RTM_DELRULE)
			return true;
	}
	return false;
}

static int on_readable(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct vrrp_routewatch *w = data;
	char buf[NL_BUF_LEN] __attribute__((aligned(NLMSG_ALIGNTO)));
	bool deleted = false;

	(void)s;
	(void)revents;
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (len < 0 && errno == ENOBUFS) {
			deleted = true; /* lost notifications: one may have been ours */
			continue;
		}
		if (len <= 0)
			break;
		if (ours_deleted(buf, len))
			deleted = true;
	}
	if (deleted && w->deleted)
		w->deleted(w->data);
	return 0;
}

int vrrp_routewatch_new(sd_event *event, vrrp_routewatch_fn deleted, void *data,
			struct vrrp_routewatch **out)
{
	struct sockaddr_nl sa = {
	    .nl_family = AF_NETLINK,
	    .nl_groups = RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE,
	};
	static const int rule_groups[] = {RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE};
	struct vrrp_routewatch *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return -ENOMEM;
	w->deleted = deleted;
	w->data = data;
	w->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (w->fd < 0) {
		rc = -errno;
		goto fail;
	}
	if (bind(w->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		goto fail;
	}
	for (unsigned i = 0; i < sizeof(rule_groups) / sizeof(rule_groups[0]); i++)
		if (setsockopt(w->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &rule_groups[i],
			       sizeof(rule_groups[i])) < 0) {
			rc = -errno;
			goto fail;
		}
	rc = sd_event_add_io(event, &w->io, w->fd, EPOLLIN, on_readable, w);
	if (rc < 0)
		goto fail;
	*out = w;
	return 0;
fail:
	vrrp_routewatch_free(w);
	return rc;
}

void vrrp_routewatch_free(struct vrrp_routewatch *w)
{
	if (!w)
		return;
	sd_event_source_disable_unref(w->io);
	if (w->fd >= 0)
		close(w->fd);
	free(w);
}
