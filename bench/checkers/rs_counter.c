/* rs_counter: thousands of real servers in one small process, for the
 * health-check benchmark. Listens on every ADDR x PORT (ports FIRST ..
 * FIRST+N-1 on each address), accepts and closes, and counts the
 * connections; with -H it reads the request and answers "HTTP/1.0 200 OK"
 * before closing. One epoll loop, no threads: a Python or socat server
 * would cost more CPU than the checker under test.
 *
 *   rs_counter [-H] -p FIRST -n N ADDR...
 *
 * Prints "ready listeners=L" once every socket listens, then once a second
 * "t_ms=T total=C" (T: CLOCK_MONOTONIC in ms, C: connections accepted so
 * far), so a reader takes two lines and divides. SIGTERM/SIGINT stop it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 256
/* Tags in epoll data: listeners and the timer are told apart from HTTP
 * connections by the top bit. */
#define TAG_LISTEN (1ull << 63)
#define TAG_TIMER (1ull << 62)

static const char http_reply[] = "HTTP/1.0 200 OK\r\n"
				 "Content-Type: text/plain\r\n"
				 "Content-Length: 3\r\n"
				 "Connection: close\r\n"
				 "\r\n"
				 "ok\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int listen_on(int ep, const char *addr, unsigned port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(port)};
	struct epoll_event ev = {.events = EPOLLIN};
	int one = 1, fd;

	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "rs_counter: bad address %s\n", addr);
		return -1;
	}
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("rs_counter: socket");
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 1024) < 0) {
		fprintf(stderr, "rs_counter: %s:%u: %s\n", addr, port, strerror(errno));
		close(fd);
		return -1;
	}
	ev.data.u64 = TAG_LISTEN | (unsigned)fd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		perror("rs_counter: epoll_ctl");
		close(fd);
		return -1;
	}
	return 0;
}

/* Accept everything pending on @lfd; count, and close or wait for the
 * HTTP request. */
static void accept_all(int ep, int lfd, int http, unsigned long long *total)
{
	for (;;) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP};

		if (fd < 0)
			return; /* EAGAIN, or an aborted connection: next event */
		(*total)++;
		if (!http) {
			close(fd);
			continue;
		}
		ev.data.u64 = (unsigned)fd;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
			close(fd);
	}
}

/* An HTTP connection is readable: the request (any bytes will do: the
 * checker sends it in one write) gets the answer, then the connection
 * closes. */
static void answer(int fd)
{
	char buf[2048];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n > 0 && write(fd, http_reply, sizeof(http_reply) - 1) < 0) {
		/* the checker went away: nothing to do */
	}
	close(fd); /* also removes it from the epoll set */
}

int main(int argc, char **argv)
{
	struct rlimit rl = {.rlim_cur = 1 << 17, .rlim_max = 1 << 17};
	struct itimerspec its = {{1, 0}, {1, 0}};
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = TAG_TIMER};
	unsigned long long total = 0;
	unsigned first = 0, n = 0, listeners = 0;
	int http = 0, opt, ep, tfd;

	while ((opt = getopt(argc, argv, "Hp:n:")) != -1) {
		switch (opt) {
		case 'H':
			http = 1;
			break;
		case 'p':
			first = (unsigned)atoi(optarg);
			break;
		case 'n':
			n = (unsigned)atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (!first || !n || optind >= argc || first + n > 65536)
		goto usage;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 && getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max; /* not root: as many as we may */
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);

	ep = epoll_create1(EPOLL_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (ep < 0 || tfd < 0 || timerfd_settime(tfd, 0, &its, NULL) < 0 ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev) < 0) {
		perror("rs_counter: epoll/timerfd");
		return 1;
	}
	for (int a = optind; a < argc; a++)
		for (unsigned p = first; p < first + n; p++) {
			if (listen_on(ep, argv[a], p) < 0)
				return 1;
			listeners++;
		}
	printf("ready listeners=%u\n", listeners);

	while (!stop) {
		struct epoll_event evs[MAX_EVENTS];
		int k = epoll_wait(ep, evs, MAX_EVENTS, -1);

		for (int i = 0; i < k; i++) {
			uint64_t d = evs[i].data.u64;

			if (d & TAG_LISTEN) {
				accept_all(ep, (int)(d & 0xffffffffu), http, &total);
			} else if (d & TAG_TIMER) {
				uint64_t ticks;

				if (read(tfd, &ticks, sizeof(ticks)) > 0)
					printf("t_ms=%lld total=%llu\n", now_ms(), total);
			} else {
				answer((int)d);
			}
		}
	}
	printf("t_ms=%lld total=%llu\n", now_ms(), total);
	return 0;
usage:
	fprintf(stderr, "usage: rs_counter [-H] -p FIRST_PORT -n PORTS ADDR...\n");
	return 2;
}
