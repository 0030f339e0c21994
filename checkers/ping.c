/* PING_CHECK: an ICMP (ICMPv6) echo request answered within
 * connect_timeout.
 *
 * Datagram ping sockets first (no privilege; the kernel picks the id and
 * hands us only our own replies), raw sockets when ping_group_range does
 * not let this process use them (then replies are matched by source, id
 * and sequence, as ping(8) does). */
#include "build-config.h"

#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "checkers/check.h"

#define PING_PAYLOAD 16

struct ping_priv {
	uint16_t id, seq;
	bool raw;
};

/* RFC 1071 Internet checksum. */
static uint16_t ping_checksum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static bool ping_v6(const struct check *ck)
{
	union check_sockaddr dst;

	check_dst(ck, &dst);
	return dst.sa.sa_family == AF_INET6;
}

static bool ping_same_source(const struct check *ck, const union check_sockaddr *from)
{
	union check_sockaddr dst;

	check_dst(ck, &dst);
	if (dst.sa.sa_family == AF_INET6)
		return from->sa.sa_family == AF_INET6 &&
		       memcmp(&from->in6.sin6_addr, &dst.in6.sin6_addr, 16) == 0;
	return from->sa.sa_family == AF_INET && from->in.sin_addr.s_addr == dst.in.sin_addr.s_addr;
}

/* Is this datagram the reply to our request? */
static bool ping_is_reply(const struct check *ck, const uint8_t *buf, size_t len,
			  const union check_sockaddr *from)
{
	const struct ping_priv *priv = ck->priv;
	uint8_t want = ping_v6(ck) ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY;

	if (priv->raw && !ping_v6(ck)) {
		size_t ihl;

		if (len < sizeof(struct ip))
			return false;
		ihl = (size_t)(buf[0] & 0x0f) * 4;
		if (ihl < 20 || len < ihl)
			return false;
		buf += ihl;
		len -= ihl;
	}
	if (len < 8 || buf[0] != want || (uint16_t)(buf[6] << 8 | buf[7]) != priv->seq)
		return false;
	/* Raw sockets see every echo reply of the host. */
	return !priv->raw ||
	       ((uint16_t)(buf[4] << 8 | buf[5]) == priv->id && ping_same_source(ck, from));
}

static int ping_io(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct check *ck = data;
	uint8_t buf[1500];

	for (;;) {
		union check_sockaddr from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, &from.sa, &flen);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0) {
			check_done(ck, false, "%s", strerror(errno));
			return 0;
		}
		if (ping_is_reply(ck, buf, (size_t)n, &from)) {
			check_done(ck, true, NULL);
			return 0;
		}
	}
}

static int ping_open(struct check *ck)
{
	struct ping_priv *priv = ck->priv;
	int proto = ping_v6(ck) ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	int r = priv->raw ? -EACCES : check_socket(ck, SOCK_DGRAM, proto);

	if (r == -EACCES || r == -EPERM || r == -EPROTONOSUPPORT) {
		/* Remember: ping_group_range does not change under us often. */
		priv->raw = true;
		r = check_socket(ck, SOCK_RAW, proto);
	}
	return r;
}

static void ping_start(struct check *ck)
{
	struct ping_priv *priv = ck->priv;
	uint8_t pkt[8 + PING_PAYLOAD] = {0};
	union check_sockaddr to;
	socklen_t to_len = check_dst(ck, &to);
	uint64_t now = check_now(ck);
	int r = ping_open(ck);

	if (r < 0) {
		check_done(ck, false, "cannot open an ICMP socket: %s", strerror(-r));
		return;
	}
	priv->seq++;
	pkt[0] = ping_v6(ck) ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	pkt[4] = (uint8_t)(priv->id >> 8);
	pkt[5] = (uint8_t)priv->id;
	pkt[6] = (uint8_t)(priv->seq >> 8);
	pkt[7] = (uint8_t)priv->seq;
	memcpy(pkt + 8, "vigil-ping", 10);
	memcpy(pkt + 8 + 10, &now, 6);
	if (!ping_v6(ck)) {
		/* ICMPv6 checksums are the kernel's (RFC 3542 §3.1). */
		uint16_t sum = ping_checksum(pkt, sizeof(pkt));

		pkt[2] = (uint8_t)(sum >> 8);
		pkt[3] = (uint8_t)sum;
		to.in.sin_port = 0;
	} else {
		to.in6.sin6_port = 0;
	}
	if (sendto(ck->fd, pkt, sizeof(pkt), 0, &to.sa, to_len) < 0) {
		check_done(ck, false, "send: %s", strerror(errno));
		return;
	}
	ck->phase = "waiting for the echo reply";
	r = check_watch(ck, EPOLLIN, ping_io);
	if (r < 0)
		check_done(ck, false, "cannot watch the socket: %s", strerror(-r));
}

static void ping_cancel(struct check *ck)
{
	check_close(ck);
}

static int ping_init(struct check *ck)
{
	struct ping_priv *priv = calloc(1, sizeof(*priv));

	if (!priv)
		return -ENOMEM;
	/* For raw sockets: an id per check, so concurrent checks of one
	 * target tell their replies apart. */
	priv->id = (uint16_t)(ck->hash ^ (ck->hash >> 16) ^ (uintptr_t)ck);
	ck->priv = priv;
	return 0;
}

static void ping_fini(struct check *ck)
{
	free(ck->priv);
	ck->priv = NULL;
}

const struct check_type check_type_ping = {
    .kind = LVS_CHECK_PING,
    .init = ping_init,
    .fini = ping_fini,
    .start = ping_start,
    .cancel = ping_cancel,
};
