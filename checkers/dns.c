/* DNS_CHECK: a query of the configured type and name over UDP; the real
 * server is up when it answers it with NOERROR and at least one record. */
#include "build-config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "checkers/check.h"
#include "checkers/dns_packet.h"

struct dns_probe {
	size_t qlen;
	uint8_t query[DNS_QUERY_MAX];
};

static void dns_free(struct check *ck)
{
	free(ck->probe);
	ck->probe = NULL;
}

#define dns_fail(ck, ...)                                                                          \
	do {                                                                                       \
		dns_free(ck);                                                                      \
		check_done(ck, false, __VA_ARGS__);                                                \
	} while (0)

static int dns_io(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct check *ck = data;
	struct dns_probe *p = ck->probe;
	uint8_t reply[4096];
	const char *why;

	for (;;) {
		ssize_t n = recv(fd, reply, sizeof(reply), 0);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n < 0) {
			/* ECONNREFUSED: an ICMP port unreachable came back. */
			dns_fail(ck, "%s", strerror(errno));
			return 0;
		}
		if (dns_reply_check(p->query, p->qlen, reply, (size_t)n, &why) == 0) {
			dns_free(ck);
			check_done(ck, true, NULL);
			return 0;
		}
		/* A stray or stale datagram with another id: keep waiting. */
		if (n >= 2 && (reply[0] != p->query[0] || reply[1] != p->query[1]))
			continue;
		dns_fail(ck, "%s", why);
		return 0;
	}
}

static void dns_start(struct check *ck)
{
	const struct lvs_dns_check *d = &ck->conf->u.dns;
	struct dns_probe *p = calloc(1, sizeof(*p));
	uint16_t id;
	int r;

	if (!p) {
		check_done(ck, false, "out of memory");
		return;
	}
	ck->probe = p;
	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
		id = (uint16_t)check_now(ck);
	r = dns_query_encode(p->query, sizeof(p->query), id, d->name ? d->name : ".",
			     dns_qtype(d->type));
	if (r < 0) {
		dns_fail(ck, "cannot encode a query for '%s'", d->name);
		return;
	}
	p->qlen = (size_t)r;
	r = check_connect(ck, SOCK_DGRAM, IPPROTO_UDP);
	if (r < 0) {
		dns_fail(ck, "connect: %s", strerror(-r));
		return;
	}
	if (send(ck->fd, p->query, p->qlen, 0) < 0) {
		dns_fail(ck, "send: %s", strerror(errno));
		return;
	}
	ck->phase = "waiting for the answer";
	r = check_watch(ck, EPOLLIN, dns_io);
	if (r < 0)
		dns_fail(ck, "cannot watch the socket: %s", strerror(-r));
}

static void dns_cancel(struct check *ck)
{
	dns_free(ck);
	check_close(ck);
}

const struct check_type check_type_dns = {
    .kind = LVS_CHECK_DNS,
    .start = dns_start,
    .cancel = dns_cancel,
};
