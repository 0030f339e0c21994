#include "build-config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/log.h"
#include "vrrp/ifwatch.h"

#define NL_BUF_LEN 32768

struct vrrp_ifwatch {
	int fd;
	uint32_t seq;
	sd_event_source *io;
	struct vrrp_iftable table;
	vrrp_ifwatch_changed_fn changed;
	void *data;
};

const struct vrrp_iftable *vrrp_ifwatch_table(const struct vrrp_ifwatch *w)
{
	return &w->table;
}

/* Feed a buffer of messages to the table. Returns 1 when it held the end
 * of dump @seq (0: not waiting for one), and sets *changed. */
static int parse_buffer(struct vrrp_ifwatch *w, const char *buf, ssize_t len, uint32_t seq,
			bool *changed)
{
	int done = 0;

	for (const struct nlmsghdr *nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, len);
	     nh = NLMSG_NEXT(nh, len)) {
		if ((nh->nlmsg_type == NLMSG_DONE || nh->nlmsg_type == NLMSG_ERROR) && seq &&
		    nh->nlmsg_seq == seq)
			done = 1;
		else if (vrrp_iftable_apply(&w->table, nh) > 0)
			*changed = true;
	}
	return done;
}

static int dump(struct vrrp_ifwatch *w, int type, bool *changed)
{
	struct {
		struct nlmsghdr nh;
		struct rtgenmsg g;
	} req = {
	    .nh = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtgenmsg)),
		   .nlmsg_type = (uint16_t)type,
		   .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		   .nlmsg_seq = ++w->seq},
	    .g = {.rtgen_family = AF_UNSPEC},
	};
	char buf[NL_BUF_LEN] __attribute__((aligned(NLMSG_ALIGNTO)));

	if (send(w->fd, &req, req.nh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		ssize_t len = recv(w->fd, buf, sizeof(buf), 0);

		if (len < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue; /* lost notifications: this dump covers them */
			return -errno;
		}
		if (len == 0)
			return -EIO;
		if (parse_buffer(w, buf, len, w->seq, changed))
			return 0;
	}
}

/* The whole table again: at start, and when the kernel dropped
 * notifications (ENOBUFS) so the table may be stale. */
static int resync(struct vrrp_ifwatch *w)
{
	bool changed = false;
	int rc;

	vrrp_iftable_clear(&w->table);
	rc = dump(w, RTM_GETLINK, &changed);
	if (rc == 0)
		rc = dump(w, RTM_GETADDR, &changed);
	return rc;
}

static int on_readable(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct vrrp_ifwatch *w = data;
	char buf[NL_BUF_LEN] __attribute__((aligned(NLMSG_ALIGNTO)));
	bool changed = false;

	(void)s;
	(void)revents;
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (len < 0 && errno == ENOBUFS) {
			if (resync(w) < 0)
				log_warn("interface watch: cannot read the interfaces again");
			changed = true;
			continue;
		}
		if (len <= 0)
			break;
		parse_buffer(w, buf, len, 0, &changed);
	}
	if (changed && w->changed)
		w->changed(w->data);
	return 0;
}

int vrrp_ifwatch_new(sd_event *event, vrrp_ifwatch_changed_fn changed, void *data,
		     struct vrrp_ifwatch **out)
{
	struct sockaddr_nl sa = {
	    .nl_family = AF_NETLINK,
	    .nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
	};
	struct vrrp_ifwatch *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return -ENOMEM;
	w->changed = changed;
	w->data = data;
	w->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (w->fd < 0) {
		rc = -errno;
		goto fail;
	}
	/* Subscribe first, then dump: a change between the two is seen. */
	if (bind(w->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		goto fail;
	}
	rc = resync(w);
	if (rc == 0)
		rc = sd_event_add_io(event, &w->io, w->fd, EPOLLIN, on_readable, w);
	if (rc < 0)
		goto fail;
	*out = w;
	return 0;
fail:
	vrrp_ifwatch_free(w);
	return rc;
}

void vrrp_ifwatch_free(struct vrrp_ifwatch *w)
{
	if (!w)
		return;
	sd_event_source_disable_unref(w->io);
	if (w->fd >= 0)
		close(w->fd);
	vrrp_iftable_free(&w->table);
	free(w);
}
