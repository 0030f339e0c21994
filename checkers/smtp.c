/* SMTP_CHECK: the banner is 220, HELO gets 250, QUIT ends the session
 * (keepalived's check_smtp.c conversation).
 *
 * connect -> read the banner -> send HELO -> read 250 -> send QUIT ->
 * read 221 (or the close) -> check_done(). */
#include "build-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checkers/check.h"
#include "checkers/smtp.h"

#define SMTP_BUF 2048

enum smtp_step { SMTP_CONNECTING, SMTP_BANNER, SMTP_HELO, SMTP_QUIT };

struct smtp_probe {
	enum smtp_step step;
	size_t len;
	char buf[SMTP_BUF];
};

static void smtp_free(struct check *ck)
{
	free(ck->probe);
	ck->probe = NULL;
}

#define smtp_fail(ck, ...)                                                                         \
	do {                                                                                       \
		smtp_free(ck);                                                                     \
		check_done(ck, false, __VA_ARGS__);                                                \
	} while (0)

static int smtp_io(sd_event_source *s, int fd, uint32_t revents, void *data);

static bool smtp_send(struct check *ck, const char *what)
{
	char cmd[300];
	int n;

	if (strcmp(what, "HELO") == 0) {
		char host[256] = "localhost";
		const char *name = ck->conf->u.helo_name;

		if (!name) {
			gethostname(host, sizeof(host) - 1);
			name = host;
		}
		n = snprintf(cmd, sizeof(cmd), "HELO %s\r\n", name);
	} else {
		n = snprintf(cmd, sizeof(cmd), "%s\r\n", what);
	}
	if (n < 0 || (size_t)n >= sizeof(cmd)) {
		smtp_fail(ck, "HELO name too long");
		return false;
	}
	/* A command this short fits an empty socket buffer: a short write
	 * means the connection is gone. */
	if (send(ck->fd, cmd, (size_t)n, MSG_NOSIGNAL) != n) {
		smtp_fail(ck, "sending %s: %s", what, strerror(errno));
		return false;
	}
	return true;
}

/* A complete reply arrived in the current step. */
static void smtp_reply(struct check *ck, unsigned code)
{
	struct smtp_probe *p = ck->probe;

	switch (p->step) {
	case SMTP_BANNER:
		if (code != 220) {
			smtp_fail(ck, "banner %u, not 220", code);
			return;
		}
		if (smtp_send(ck, "HELO")) {
			p->step = SMTP_HELO;
			ck->phase = "waiting for the HELO reply";
		}
		return;
	case SMTP_HELO:
		if (code != 250) {
			smtp_fail(ck, "HELO answered %u, not 250", code);
			return;
		}
		if (smtp_send(ck, "QUIT")) {
			p->step = SMTP_QUIT;
			ck->phase = "waiting for the QUIT reply";
		}
		return;
	default:
		smtp_free(ck);
		check_done(ck, true, NULL);
		return;
	}
}

static void smtp_read(struct check *ck)
{
	struct smtp_probe *p = ck->probe;

	for (;;) {
		ssize_t n = recv(ck->fd, p->buf + p->len, sizeof(p->buf) - p->len, 0);
		unsigned code;
		size_t used;
		int r;

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			smtp_fail(ck, "read: %s", strerror(errno));
			return;
		}
		if (n == 0) {
			/* After QUIT, closing is as good as 221. */
			if (p->step == SMTP_QUIT) {
				smtp_free(ck);
				check_done(ck, true, NULL);
			} else {
				smtp_fail(ck, "connection closed %s", ck->phase);
			}
			return;
		}
		p->len += (size_t)n;
		check_set_deadline(ck, ck->conf->connect_timeout_us);
		while ((r = smtp_reply_parse(p->buf, p->len, &code, &used)) == 1) {
			enum smtp_step step = p->step;

			memmove(p->buf, p->buf + used, p->len - used);
			p->len -= used;
			smtp_reply(ck, code);
			if (!ck->running || ck->probe != p || p->step == step)
				return;
		}
		if (r < 0) {
			smtp_fail(ck, "not an SMTP reply");
			return;
		}
		if (p->len == sizeof(p->buf)) {
			smtp_fail(ck, "reply too long");
			return;
		}
	}
}

static int smtp_io(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct check *ck = data;
	struct smtp_probe *p = ck->probe;
	int err, r;

	if (p->step != SMTP_CONNECTING) {
		smtp_read(ck);
		return 0;
	}
	/* As in tcp.c: a failed connect comes with EPOLLERR. */
	err = revents & (EPOLLERR | EPOLLHUP) ? check_socket_error(fd) : 0;
	if (err) {
		smtp_fail(ck, "connect: %s", strerror(err));
		return 0;
	}
	p->step = SMTP_BANNER;
	ck->phase = "waiting for the banner";
	r = check_watch(ck, EPOLLIN, smtp_io);
	if (r < 0)
		smtp_fail(ck, "cannot watch the socket: %s", strerror(-r));
	return 0;
}

static void smtp_start(struct check *ck)
{
	struct smtp_probe *p = calloc(1, sizeof(*p));
	int r;

	if (!p) {
		check_done(ck, false, "out of memory");
		return;
	}
	ck->probe = p;
	r = check_connect(ck, SOCK_STREAM, IPPROTO_TCP);
	if (r < 0) {
		smtp_fail(ck, "connect: %s", strerror(-r));
		return;
	}
	p->step = r == 0 ? SMTP_BANNER : SMTP_CONNECTING;
	ck->phase = r == 0 ? "waiting for the banner" : "connecting";
	r = check_watch(ck, r == 0 ? EPOLLIN : EPOLLOUT, smtp_io);
	if (r < 0)
		smtp_fail(ck, "cannot watch the socket: %s", strerror(-r));
}

static void smtp_cancel(struct check *ck)
{
	smtp_free(ck);
	check_close(ck);
}

const struct check_type check_type_smtp = {
    .kind = LVS_CHECK_SMTP,
    .start = smtp_start,
    .cancel = smtp_cancel,
};
