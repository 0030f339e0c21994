/* UDP_CHECK: send the payload (one random byte when none is configured).
 * With require_reply, an acceptable reply within connect_timeout is
 * success; without, silence is success and only an ICMP unreachable
 * (ECONNREFUSED on the connected socket) is a failure, as in keepalived's
 * check_udp.c. */
#include "build-config.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "checkers/check.h"
#include "checkers/udp.h"

static int udp_io(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct check *ck = data;
	const struct lvs_udp_check *u = &ck->conf->u.udp;
	uint8_t buf[65536];
	const char *why;
	ssize_t n = recv(fd, buf, sizeof(buf), 0);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n < 0) {
		check_done(ck, false, "%s", strerror(errno));
		return 0;
	}
	if (!u->require_reply || udp_reply_check(u, buf, (size_t)n, &why) == 0)
		check_done(ck, true, NULL);
	else
		check_done(ck, false, "%s", why);
	return 0;
}

static void udp_start(struct check *ck)
{
	const struct lvs_udp_check *u = &ck->conf->u.udp;
	uint8_t random_byte = 0;
	const void *payload = u->payload;
	size_t len = u->payload_len;
	int r;

	if (!payload) {
		if (getrandom(&random_byte, 1, GRND_NONBLOCK) != 1)
			random_byte = (uint8_t)check_now(ck);
		payload = &random_byte;
		len = 1;
	}
	r = check_connect(ck, SOCK_DGRAM, IPPROTO_UDP);
	if (r < 0) {
		check_done(ck, false, "connect: %s", strerror(-r));
		return;
	}
	if (send(ck->fd, payload, len, 0) < 0) {
		check_done(ck, false, "send: %s", strerror(errno));
		return;
	}
	ck->phase = "waiting for a reply";
	r = check_watch(ck, EPOLLIN, udp_io);
	if (r < 0)
		check_done(ck, false, "cannot watch the socket: %s", strerror(-r));
}

static void udp_cancel(struct check *ck)
{
	check_close(ck);
}

static void udp_timeout(struct check *ck)
{
	check_close(ck);
	if (ck->conf->u.udp.require_reply)
		check_done(ck, false, "timed out waiting for a reply");
	else
		check_done(ck, true, NULL);
}

const struct check_type check_type_udp = {
    .kind = LVS_CHECK_UDP,
    .start = udp_start,
    .cancel = udp_cancel,
    .timeout = udp_timeout,
};
