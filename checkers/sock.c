/* Sockets for probes: the checker's connection options applied in one
 * place (check.h). */
#include "build-config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checkers/check.h"

static int check_bind(struct check *ck, int fd)
{
	const struct lvs_checker *c = ck->conf;
	int family = ck->dst.sa.sa_family;
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
		src.in6.sin6_scope_id = ck->dst.in6.sin6_scope_id;
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
	int fd, r;

	fd = socket(ck->dst.sa.sa_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		return -errno;
	if (c->fwmark && setsockopt(fd, SOL_SOCKET, SO_MARK, &c->fwmark, sizeof(c->fwmark)) < 0)
		goto fail;
	if (c->bind_if &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->bind_if, strlen(c->bind_if)) < 0)
		goto fail;
	r = check_bind(ck, fd);
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
	int r = check_socket(ck, type, protocol);

	if (r < 0)
		return r;
	if (connect(ck->fd, &ck->dst.sa, ck->dst_len) == 0)
		return 0;
	if (errno == EINPROGRESS)
		return 1;
	return -errno;
}

int check_watch(struct check *ck, uint32_t events, sd_event_io_handler_t cb)
{
	int r;

	if (ck->io) {
		/* One handler per probe: types dispatch on their own state. */
		r = sd_event_source_set_io_events(ck->io, events);
		return r < 0 ? r : 0;
	}
	return sd_event_add_io(ck->event, &ck->io, ck->fd, events, cb, ck);
}

void check_close(struct check *ck)
{
	ck->io = sd_event_source_disable_unref(ck->io);
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
