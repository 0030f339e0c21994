#include "build-config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/channel.h"

/* Room for more descriptors than any message carries, so a peer sending too
 * many is detected (and they are closed) rather than silently truncated. */
#define CHANNEL_MAX_FDS 4

int channel_pair(int fds[2])
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return -errno;
	return 0;
}

int channel_send(int sock, const struct msg *m, int fd)
{
	unsigned char buf[MSG_MAX_SIZE];
	union {
		struct cmsghdr hdr;
		char space[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov;
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	ssize_t n = msg_encode(m, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	iov.iov_base = buf;
	iov.iov_len = (size_t)n;
	if (msg_fd_count(m->type) == 1) {
		struct cmsghdr *c;

		if (fd < 0)
			return -EBADF;
		memset(&control, 0, sizeof(control));
		mh.msg_control = control.space;
		mh.msg_controllen = sizeof(control.space);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	if (sendmsg(sock, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return errno == EPIPE || errno == ECONNRESET ? -EPIPE : -errno;
	return 0;
}

/* Collect the descriptors of every SCM_RIGHTS header into @fds. */
static unsigned collect_fds(struct msghdr *mh, int *fds)
{
	unsigned n = 0;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		size_t k;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k && n < CHANNEL_MAX_FDS; i++)
			memcpy(&fds[n++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
	}
	return n;
}

int channel_recv(int sock, struct msg *m, int *fd, const char **why)
{
	unsigned char buf[MSG_MAX_SIZE];
	union {
		struct cmsghdr hdr;
		char space[CMSG_SPACE(CHANNEL_MAX_FDS * sizeof(int))];
	} control;
	struct iovec iov = {buf, sizeof(buf)};
	struct msghdr mh = {
	    .msg_iov = &iov,
	    .msg_iovlen = 1,
	    .msg_control = control.space,
	    .msg_controllen = sizeof(control.space),
	};
	int fds[CHANNEL_MAX_FDS];
	unsigned nfds;
	ssize_t n;
	int rc;

	*fd = -1;
	n = recvmsg(sock, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	if (n < 0)
		return errno == ECONNRESET ? -EPIPE : -errno;
	if (n == 0)
		return -EPIPE;
	nfds = collect_fds(&mh, fds);
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		*why = mh.msg_flags & MSG_TRUNC ? "message larger than any valid one"
						: "too many file descriptors";
		rc = -EBADMSG;
	} else {
		rc = msg_decode(buf, (size_t)n, nfds, m, why);
	}
	if (rc < 0) {
		for (unsigned i = 0; i < nfds; i++)
			close(fds[i]);
		return rc;
	}
	if (nfds == 1)
		*fd = fds[0];
	return 0;
}
