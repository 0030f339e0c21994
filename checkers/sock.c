/* Sockets for probes: the checker's connection options applied in one
 * place (check.h). */
#include "build-config.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checkers/check.h"
#include "checkers/engine.h"

static int check_bind(struct check *ck, int fd, int family)
{
	const struct lvs_checker *c = ck->conf;
	union check_sockaddr src;
	socklen_t len;
	int one = 1;

	if (vaddr_is_unset(&c->bindto) && !c->bind_port)
		return 0;
	memset(&src, 0, sizeof(src));
	if (family == AF_INET6) {
		src.in6.sin6_family = AF_INET6;
		if (c->bindto.family == AF_INET6)
			src.in6.sin6_addr = c->bindto.u.v6;
		src.in6.sin6_port = htons(c->bind_port);
		src.in6.sin6_scope_id = ck->scope_id;
		len = sizeof(src.in6);
	} else {
		src.in.sin_family = AF_INET;
		if (c->bindto.family == AF_INET)
			src.in.sin_addr = c->bindto.u.v4;
		src.in.sin_port = htons(c->bind_port);
		len = sizeof(src.in);
	}
	/* A fixed source port serves several probes at once (to different
	 * targets); let them share it. */
	if (c->bind_port && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		return -errno;
	if (bind(fd, &src.sa, len) < 0)
		return -errno;
	return 0;
}

int check_socket(struct check *ck, int type, int protocol)
{
	const struct lvs_checker *c = ck->conf;
	union check_sockaddr dst;
	int fd, r;

	check_dst(ck, &dst);
	fd = socket(dst.sa.sa_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		return -errno;
	if (c->fwmark && setsockopt(fd, SOL_SOCKET, SO_MARK, &c->fwmark, sizeof(c->fwmark)) < 0)
		goto fail;
	if (c->bind_if &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->bind_if, strlen(c->bind_if)) < 0)
		goto fail;
	r = check_bind(ck, fd, dst.sa.sa_family);
	if (r < 0) {
		errno = -r;
		goto fail;
	}
	ck->fd = fd;
	return 0;
fail:
	r = -errno;
	close(fd);
	return r;
}

int check_connect(struct check *ck, int type, int protocol)
{
	union check_sockaddr dst;
	socklen_t len;
	int r = check_socket(ck, type, protocol);

	if (r < 0)
		return r;
	len = check_dst(ck, &dst);
	if (connect(ck->fd, &dst.sa, len) == 0)
		return 0;
	if (errno == EINPROGRESS)
		return 1;
	return -errno;
}

int check_watch(struct check *ck, uint32_t events, sd_event_io_handler_t cb)
{
	struct checkers *c = ck->engine;
	struct epoll_event ev = {.events = events};

	if (ck->io_cb) {
		/* One handler per probe: types dispatch on their own state. */
		ck->io_cb = cb;
		if (events == ck->io_events)
			return 0;
		ev.data.u64 = check_io_tag(ck);
		if (epoll_ctl(c->epoll_fd, EPOLL_CTL_MOD, ck->fd, &ev) < 0)
			return -errno;
		ck->io_events = events;
		return 0;
	}
	/* A new tag for every watch: an event queued for an earlier socket
	 * of this check (or of a freed check that had its slot) is stale. */
	if (++c->io_seq == 0) /* 0 tags no watch */
		c->io_seq = 1;
	ck->io_seq = c->io_seq;
	ev.data.u64 = check_io_tag(ck);
	if (epoll_ctl(c->epoll_fd, EPOLL_CTL_ADD, ck->fd, &ev) < 0)
		return -errno;
	ck->io_cb = cb;
	ck->io_events = events;
	return 0;
}

void check_close(struct check *ck)
{
	/* close() takes the socket out of the epoll set: no EPOLL_CTL_DEL
	 * (a system call per probe). Should a forked child still hold it
	 * until its exec, its events carry this watch's tag, which no
	 * longer matches. */
	ck->io_cb = NULL;
	ck->io_seq = 0;
	if (ck->fd >= 0) {
		close(ck->fd);
		ck->fd = -1;
	}
}

int check_socket_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err;
}
