/* TCP_CHECK: the real server accepts a connection within connect_timeout. */
#include "build-config.h"

#include <string.h>
#include <sys/epoll.h>

#include "checkers/check.h"

static int tcp_connected(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct check *ck = data;
	/* Writable without error or hang-up: connected. The kernel reports
	 * a failed connect as EPOLLERR, so only then ask which error (one
	 * system call fewer per healthy probe). */
	int err = revents & (EPOLLERR | EPOLLHUP) ? check_socket_error(fd) : 0;

	if (err)
		check_done(ck, false, "connect: %s", strerror(err));
	else
		check_done(ck, true, NULL);
	return 0;
}

static void tcp_start(struct check *ck)
{
	int r = check_connect(ck, SOCK_STREAM, IPPROTO_TCP);

	if (r == 0) {
		check_done(ck, true, NULL);
		return;
	}
	if (r == 1) {
		ck->phase = "connecting";
		r = check_watch(ck, EPOLLOUT, tcp_connected);
		if (r == 0)
			return;
	}
	check_done(ck, false, "connect: %s", strerror(-r));
}

static void tcp_cancel(struct check *ck)
{
	check_close(ck);
}

const struct check_type check_type_tcp = {
    .kind = LVS_CHECK_TCP,
    .start = tcp_start,
    .cancel = tcp_cancel,
};
