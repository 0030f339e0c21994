#include "build-config.h"

#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/rtnl_watch.h"

/* Large enough that the kernel never truncates a dump message. */
#define NL_BUF_LEN 32768

struct rtnl_watch {
	int fd;
	uint32_t portid; /* ours: a dump reply carries it, a notification does not */
	uint32_t seq;
	sd_event_source *io;
	sd_event_source *redo; /* redump_on_change: dump again on the next iteration */
	struct rtnl_watch_spec spec;
	void *data;
};

/* Hand a buffer of messages to the owner. Returns 1 when it held the end of
 * dump @seq (0: none awaited), a negative errno when the kernel refused the
 * dump, else 0; sets *changed when a message changed the owner's view. */
static int feed(struct rtnl_watch *w, const char *buf, ssize_t len, uint32_t seq, bool *changed)
{
	for (const struct nlmsghdr *nh = (const struct nlmsghdr *)buf; NLMSG_OK(nh, len);
	     nh = NLMSG_NEXT(nh, len)) {
		bool dumped = seq && nh->nlmsg_seq == seq && nh->nlmsg_pid == w->portid;

		if (dumped && nh->nlmsg_type == NLMSG_DONE)
			return 1;
		if (dumped && nh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);

			if (nh->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && e->error < 0)
				return e->error;
			return 1;
		}
		if (w->spec.msg(nh, dumped, w->data))
			*changed = true;
	}
	return 0;
}

static int dump(struct rtnl_watch *w, uint16_t type, bool *notified)
{
	struct {
		struct nlmsghdr nh;
		struct rtgenmsg g;
	} req = {
	    .nh = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtgenmsg)),
		   .nlmsg_type = type,
		   .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		   .nlmsg_seq = ++w->seq},
	    .g = {.rtgen_family = AF_UNSPEC},
	};
	char buf[NL_BUF_LEN] __attribute__((aligned(NLMSG_ALIGNTO)));

	if (send(w->fd, &req, req.nh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		ssize_t len = recv(w->fd, buf, sizeof(buf), 0);
		int rc;

		if (len < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue; /* lost notifications: this dump covers them */
			return -errno;
		}
		if (len == 0)
			return -EIO;
		/* Notifications interleave with the replies; they count too. */
		rc = feed(w, buf, len, w->seq, notified);
		if (rc)
			return rc < 0 ? rc : 0;
	}
}

/* The whole view again: at start, and when notifications were lost.
 * *notified: a notification read meanwhile changed the view. */
static int resync(struct rtnl_watch *w, bool *notified)
{
	int rc = 0;

	if (!w->spec.dumps)
		return 0;
	if (w->spec.reset)
		w->spec.reset(w->data);
	for (size_t i = 0; rc == 0 && w->spec.dumps[i]; i++)
		rc = dump(w, w->spec.dumps[i], notified);
	return rc;
}

/* Dump again; an owner that re-reads on change (its notifications read
 * during the dump may postdate part of it) gets one more dump next turn. */
static int redump(struct rtnl_watch *w)
{
	bool notified = false;
	int rc = resync(w, &notified);

	if (rc == 0 && notified && w->redo)
		rc = sd_event_source_set_enabled(w->redo, SD_EVENT_ONESHOT);
	return rc;
}

static int on_redo(sd_event_source *s, void *data)
{
	struct rtnl_watch *w = data;
	int rc = redump(w);

	(void)s;
	if (w->spec.changed)
		w->spec.changed(rc, w->data);
	return 0;
}

static int on_readable(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct rtnl_watch *w = data;
	char buf[NL_BUF_LEN] __attribute__((aligned(NLMSG_ALIGNTO)));
	bool changed = false, lost = false;
	int rc = 0;

	(void)s;
	(void)revents;
	for (;;) {
		ssize_t len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (len < 0 && errno == ENOBUFS) {
			lost = true; /* the kernel dropped notifications */
			continue;
		}
		if (len <= 0)
			break;
		feed(w, buf, len, 0, &changed);
	}
	if (lost || (changed && w->spec.redump_on_change)) {
		rc = redump(w);
		changed = true;
	}
	if (changed && w->spec.changed)
		w->spec.changed(rc, w->data);
	return 0;
}

static int join(struct rtnl_watch *w)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	socklen_t sl = sizeof(sa);

	if (bind(w->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(w->fd, (struct sockaddr *)&sa, &sl) < 0)
		return -errno;
	w->portid = sa.nl_pid;
	for (size_t i = 0; w->spec.groups[i]; i++)
		if (setsockopt(w->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &w->spec.groups[i],
			       sizeof(w->spec.groups[i])) < 0)
			return -errno;
	return 0;
}

int rtnl_watch_new(sd_event *event, const struct rtnl_watch_spec *spec, void *data,
		   struct rtnl_watch **out)
{
	struct rtnl_watch *w = calloc(1, sizeof(*w));
	bool notified = false;
	int rc;

	*out = NULL;
	if (!w)
		return -ENOMEM;
	w->spec = *spec;
	w->data = data;
	/* Blocking, for the dumps; notifications are read with MSG_DONTWAIT. */
	w->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (w->fd < 0) {
		rc = -errno;
		goto fail;
	}
	rc = join(w); /* subscribe first, then dump: a change between the two is seen */
	if (rc == 0)
		rc = resync(w, &notified);
	if (rc == 0)
		rc = sd_event_add_io(event, &w->io, w->fd, EPOLLIN, on_readable, w);
	if (rc == 0 && spec->redump_on_change) {
		rc = sd_event_add_defer(event, &w->redo, on_redo, w);
		if (rc >= 0)
			rc = sd_event_source_set_enabled(w->redo, notified ? SD_EVENT_ONESHOT
									   : SD_EVENT_OFF);
	}
	if (rc < 0)
		goto fail;
	*out = w;
	return 0;
fail:
	rtnl_watch_free(w);
	return rc;
}

void rtnl_watch_free(struct rtnl_watch *w)
{
	if (!w)
		return;
	sd_event_source_disable_unref(w->redo);
	sd_event_source_disable_unref(w->io);
	if (w->fd >= 0)
		close(w->fd);
	free(w);
}
