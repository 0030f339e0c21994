/* table_watch: time until the kernel's IPVS table holds what we expect,
 * and the fewest destinations it held meanwhile (the approach of
 * bench/ipvs/ipvs_wait.c, with a target service of its own).
 *
 *   table_watch -s SERVICES -d DESTS [-v VIP:PORT] [-i MS] [-t S] [-H PID] [-- TRIGGER...]
 *
 * Polls /proc/net/ip_vs (no process per poll) every MS milliseconds
 * (default 2), or 4x the time one read took when that is longer (reading a
 * big table walks it in the kernel; polling must not slow what it
 * measures), until the table lists at least SERVICES services and DESTS
 * destinations and, with -v, the TCP service VIP:PORT with at least one
 * destination. With -H PID the clock starts as SIGHUP is sent to PID (no
 * process forked: in a loaded VM forking `kill` took a few hundred
 * milliseconds of what was measured); with a TRIGGER command the clock
 * starts just before it is forked; it is awaited, never signalled. Prints
 * "complete_ms=... services=... dests=... min_dests=... polls=...
 * read_ms=..."; min_dests counts every poll, the first included, so a
 * reload that drops destinations, even for a moment between two polls'
 * worth of time, shows up there.
 *
 * With -v, the target service is asked for by netlink (IPVS_CMD_GET_DEST:
 * the kernel finds it by hash, no table walk) every millisecond, while a
 * thread polls /proc/net/ip_vs for the counts and min_dests: in the VM one
 * read of a 10,000-destination table takes tens of milliseconds, and
 * polling only that made completion times coarser than what they measure
 * (read_ms says how coarse min_dests still is). The run ends when the
 * target has a destination and a /proc poll that started after that has
 * the counts. Exit 0 when complete, 1 on timeout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct table_count {
	long services, dests;
	long target_dests; /* -1: the target service is absent */
};

/* Count service and destination lines of /proc/net/ip_vs, and the
 * destinations under the line that starts with @target ("TCP  0A620001:0050"). */
static int table_count(const char *target, struct table_count *out)
{
	static char buf[1 << 20];
	char line[128];
	size_t ll = 0;
	int fd = open("/proc/net/ip_vs", O_RDONLY | O_CLOEXEC);
	int line_no = 0, in_target = 0;
	ssize_t n;

	out->services = out->dests = 0;
	out->target_dests = -1;
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (ll < sizeof(line) - 1)
					line[ll++] = buf[i];
				continue;
			}
			line[ll] = 0;
			ll = 0;
			if (++line_no <= 3)
				continue; /* headers */
			if (line[0] == ' ') {
				out->dests++;
				if (in_target)
					out->target_dests++;
			} else {
				out->services++;
				in_target = target && strncmp(line, target, strlen(target)) == 0;
				if (in_target)
					out->target_dests = 0;
			}
		}
	}
	close(fd);
	return 0;
}

/* "10.98.0.1:80" -> "TCP  0A620001:0050", as /proc/net/ip_vs names it. */
static int target_of(const char *vip, char *out, size_t len)
{
	char addr[64];
	const char *colon = strrchr(vip, ':');
	struct in_addr a;

	if (!colon || (size_t)(colon - vip) >= sizeof(addr))
		return -1;
	memcpy(addr, vip, colon - vip);
	addr[colon - vip] = 0;
	if (inet_pton(AF_INET, addr, &a) != 1)
		return -1;
	snprintf(out, len, "TCP  %08X:%04X", ntohl(a.s_addr), atoi(colon + 1));
	return 0;
}

/* IPVS_CMD_GET_DEST for TCP service @addr:@port: its destinations, or -1
 * when it does not exist (yet). */
static struct nl_sock *nl;
static int nl_family = -1;

static int on_dest(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(*(long *)arg)++;
	return NL_OK;
}

static long target_dests_nl(struct in_addr addr, uint16_t port)
{
	struct nl_msg *m;
	struct nlattr *svc;
	long have = 0;
	int rc;

	if (!nl) {
		nl = nl_socket_alloc();
		if (!nl || genl_connect(nl) < 0 || (nl_family = genl_ctrl_resolve(nl, "IPVS")) < 0)
			return -1;
	}
	m = nlmsg_alloc();
	if (!m || !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, nl_family, 0, NLM_F_DUMP,
			       IPVS_CMD_GET_DEST, IPVS_GENL_VERSION)) {
		nlmsg_free(m);
		return -1;
	}
	svc = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE);
	nla_put_u16(m, IPVS_SVC_ATTR_AF, AF_INET);
	nla_put_u16(m, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	nla_put(m, IPVS_SVC_ATTR_ADDR, 4, &addr);
	nla_put_u16(m, IPVS_SVC_ATTR_PORT, htons(port));
	nla_nest_end(m, svc);
	nl_socket_modify_cb(nl, NL_CB_VALID, NL_CB_CUSTOM, on_dest, &have);
	rc = nl_send_auto(nl, m);
	nlmsg_free(m);
	if (rc >= 0)
		rc = nl_recvmsgs_default(nl);
	return rc < 0 ? -1 : have;
}

/* The /proc poller's findings, read by the main thread. */
struct poller {
	const char *target; /* NULL: no target service */
	double interval, t0;
	atomic_bool stop;
	pthread_mutex_t lock;
	struct table_count last; /* the latest poll */
	double last_start;	 /* when it started (ms since t0) */
	long min_d, polls;
	double read_ms;		 /* summed */
	bool failed;
};

static void *poll_proc(void *arg)
{
	struct poller *pl = arg;

	while (!atomic_load(&pl->stop)) {
		double r0 = now_ms(), wait_ms;
		struct table_count tc;
		struct timespec ts;

		if (table_count(pl->target, &tc) < 0) {
			perror("/proc/net/ip_vs");
			pthread_mutex_lock(&pl->lock);
			pl->failed = true;
			pthread_mutex_unlock(&pl->lock);
			return NULL;
		}
		wait_ms = now_ms() - r0;
		pthread_mutex_lock(&pl->lock);
		pl->last = tc;
		pl->last_start = r0 - pl->t0;
		pl->polls++;
		pl->read_ms += wait_ms;
		if (pl->min_d < 0 || tc.dests < pl->min_d)
			pl->min_d = tc.dests;
		pthread_mutex_unlock(&pl->lock);
		wait_ms *= 4;
		if (wait_ms < pl->interval)
			wait_ms = pl->interval;
		ts.tv_sec = (time_t)(wait_ms / 1e3);
		ts.tv_nsec = (long)((wait_ms - ts.tv_sec * 1e3) * 1e6);
		nanosleep(&ts, NULL);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long want_s = 0, want_d = 0;
	double timeout = 120, complete = -1, seen_target = -1;
	char target[64], *vip = NULL;
	struct in_addr vaddr = {0};
	uint16_t vport = 0;
	struct poller pl = {.interval = 2, .min_d = -1, .lock = PTHREAD_MUTEX_INITIALIZER};
	struct table_count tc = {0};
	pthread_t thread;
	pid_t child = 0;
	int opt, done = 0;
	long polls;
	double read_ms;

	pid_t hup = 0;

	while ((opt = getopt(argc, argv, "+s:d:v:i:t:H:")) != -1) {
		switch (opt) {
		case 's':
			want_s = atol(optarg);
			break;
		case 'd':
			want_d = atol(optarg);
			break;
		case 'v':
			vip = optarg;
			break;
		case 'i':
			pl.interval = atof(optarg);
			break;
		case 't':
			timeout = atof(optarg);
			break;
		case 'H':
			hup = (pid_t)atol(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (vip) {
		char addr[64];
		const char *colon = strrchr(vip, ':');

		if (target_of(vip, target, sizeof(target)) < 0 || !colon ||
		    (size_t)(colon - vip) >= sizeof(addr))
			goto usage;
		memcpy(addr, vip, colon - vip);
		addr[colon - vip] = 0;
		inet_pton(AF_INET, addr, &vaddr);
		vport = (uint16_t)atoi(colon + 1);
		if (target_dests_nl(vaddr, vport) < -1)
			goto usage;
		pl.target = target;
	}
	pl.t0 = now_ms();
	if (pthread_create(&thread, NULL, poll_proc, &pl) != 0) {
		perror("pthread_create");
		return 2;
	}
	if (hup > 0 && kill(hup, SIGHUP) < 0) {
		perror("kill");
		return 2;
	}
	if (optind < argc) {
		child = fork();
		if (child == 0) {
			execvp(argv[optind], argv + optind);
			perror(argv[optind]);
			_exit(127);
		}
	}
	while (now_ms() - pl.t0 < timeout * 1e3) {
		struct timespec ts = {0, 1000000};
		double last_start;
		bool failed;

		if (vip && seen_target < 0 && target_dests_nl(vaddr, vport) > 0)
			seen_target = now_ms() - pl.t0;
		pthread_mutex_lock(&pl.lock);
		tc = pl.last;
		last_start = pl.last_start;
		failed = pl.failed;
		pthread_mutex_unlock(&pl.lock);
		if (failed)
			break;
		/* Complete: the target is in (by netlink, to the millisecond) and
		 * a whole-table poll begun since has every count. */
		if (pl.polls && tc.services >= want_s && tc.dests >= want_d &&
		    (!vip || (seen_target >= 0 && last_start >= seen_target))) {
			complete = vip ? seen_target : now_ms() - pl.t0;
			done = 1;
			break;
		}
		if (child && waitpid(child, NULL, WNOHANG) == child)
			child = 0;
		nanosleep(&ts, NULL);
	}
	atomic_store(&pl.stop, true);
	pthread_join(thread, NULL);
	polls = pl.polls;
	read_ms = polls ? pl.read_ms / polls : 0;
	printf("complete_ms=%.1f services=%ld dests=%ld min_dests=%ld polls=%ld read_ms=%.1f%s\n",
	       done ? complete : now_ms() - pl.t0, tc.services, tc.dests, pl.min_d, polls, read_ms,
	       done ? "" : " TIMEOUT");
	fflush(stdout);
	if (child)
		waitpid(child, NULL, 0);
	return done ? 0 : 1;
usage:
	fprintf(stderr, "usage: table_watch -s N -d N [-v VIP:PORT] [-i MS] [-t S] [-H PID] [-- CMD...]\n");
	return 2;
}
