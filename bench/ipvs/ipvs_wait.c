/* ipvs_wait: time until the kernel's IPVS table holds what we expect.
 *
 *   ipvs_wait -s SERVICES -d DESTS [-p ADDR:PORT/N]... [-i MS] [-t S] [-k]
 *             [-H PID] [-- COMMAND ARGS...]
 *
 * Polls /proc/net/ip_vs (cheap: no process per poll) every MS milliseconds
 * (default 5), or 4x the time one read took when that is longer (reading a
 * big table walks it in the kernel; polling must not slow down what it
 * measures), until it lists at least SERVICES services and DESTS
 * destinations, then prints "complete_ms=... min_dests=... polls=...". With
 * a COMMAND, the clock starts just before it is forked and the command gets
 * With -p, a cheap probe comes first: until TCP service ADDR:PORT has N
 * destinations (one IPVS_CMD_GET_DEST request for that service: the kernel
 * finds it by hash, no table walk), only the probe runs, every 1 ms; then
 * /proc/net/ip_vs confirms the whole table, and complete_ms is the time the
 * probes passed, not the end of that read (read_ms: its cost). Probing the
 * service the loaders write last makes the completion time precise to about
 * a millisecond even for tables whose full read takes 100+ ms.
 * SIGTERM once the table is complete (its exit is awaited; a command that
 * exits 0 before, like a loader, is fine: polling goes on); without one,
 * the clock starts now. With -k the command is only a trigger (say `kill
 * -HUP PID`): it may exit at once and is not signalled. min_dests is the
 * fewest destinations seen after the first poll that saw any: a reload that
 * flaps destinations shows up there. With -H PID, the clock starts as
 * SIGHUP is sent to PID (a reload; no `kill` process to fork and exec,
 * which costs some 25 ms under TCG). Exit 0 when complete, 1 on timeout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct probe {
	struct in_addr addr;
	uint16_t port;
	int want;
	int have; /* counted by the callback */
};

static struct nl_sock *sk;
static int family = -1;

static int on_dest(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct probe *)arg)->have++;
	return NL_OK;
}

/* Destinations of TCP service @p, or -1 when it does not exist (yet). */
static int probe_count(struct probe *p)
{
	struct nl_msg *m;
	struct nlattr *svc;
	int rc;

	if (!sk) {
		sk = nl_socket_alloc();
		if (!sk || genl_connect(sk) < 0 || (family = genl_ctrl_resolve(sk, "IPVS")) < 0)
			return -1;
	}
	m = nlmsg_alloc();
	if (!m || !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_DUMP,
			       IPVS_CMD_GET_DEST, IPVS_GENL_VERSION)) {
		nlmsg_free(m);
		return -1;
	}
	svc = nla_nest_start(m, IPVS_CMD_ATTR_SERVICE);
	nla_put_u16(m, IPVS_SVC_ATTR_AF, AF_INET);
	nla_put_u16(m, IPVS_SVC_ATTR_PROTOCOL, IPPROTO_TCP);
	nla_put(m, IPVS_SVC_ATTR_ADDR, 4, &p->addr);
	nla_put_u16(m, IPVS_SVC_ATTR_PORT, htons(p->port));
	nla_nest_end(m, svc);
	p->have = 0;
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_dest, p);
	rc = nl_send_auto(sk, m);
	nlmsg_free(m);
	if (rc >= 0)
		rc = nl_recvmsgs_default(sk);
	return rc < 0 ? -1 : p->have;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Count service and destination lines of /proc/net/ip_vs. */
static int count(long *svcs, long *dests)
{
	static char buf[1 << 20];
	int fd = open("/proc/net/ip_vs", O_RDONLY | O_CLOEXEC);
	int at_line_start = 1, line_no = 0;
	ssize_t n;

	*svcs = *dests = 0;
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (at_line_start) {
				line_no++;
				/* the first three lines are headers */
				if (line_no > 3) {
					if (buf[i] == ' ')
						(*dests)++;
					else
						(*svcs)++;
				}
			}
			at_line_start = buf[i] == '\n';
		}
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	long want_s = 0, want_d = 0, s = 0, d = 0, min_d = -1, polls = 0;
	double interval = 5, timeout = 120, t0, t_seen = 0, read_ms = 0;
	pid_t child = 0;
	int opt, done = 0, trigger = 0, status, nprobes = 0;
	pid_t hup = 0;
	struct probe probes[8];

	while ((opt = getopt(argc, argv, "+s:d:i:t:kp:H:")) != -1) {
		switch (opt) {
		case 's': want_s = atol(optarg); break;
		case 'd': want_d = atol(optarg); break;
		case 'i': interval = atof(optarg); break;
		case 't': timeout = atof(optarg); break;
		case 'k': trigger = 1; break;
		case 'H': hup = (pid_t)atol(optarg); break;
		case 'p': {
			char a[64];
			unsigned port;
			int n;

			if (nprobes == 8 || sscanf(optarg, "%63[^:]:%u/%d", a, &port, &n) != 3 ||
			    inet_pton(AF_INET, a, &probes[nprobes].addr) != 1) {
				fprintf(stderr, "ipvs_wait: -p ADDR:PORT/N (IPv4, TCP), at most 8\n");
				return 2;
			}
			probes[nprobes].port = (uint16_t)port;
			probes[nprobes++].want = n;
			break;
		}
		default:
			fprintf(stderr, "usage: ipvs_wait -s N -d N [-i MS] [-t S] [-k] [-H PID] [-- CMD...]\n");
			return 2;
		}
	}
	t0 = now_ms();
	if (hup > 0 && kill(hup, SIGHUP) < 0) {
		perror("ipvs_wait: SIGHUP");
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
	while (now_ms() - t0 < timeout * 1e3) {
		double r0 = now_ms(), wait_ms;
		struct timespec ts;
		int pending = 0;

		for (int i = 0; i < nprobes; i++)
			if (probe_count(&probes[i]) < probes[i].want)
				pending = 1;
		/* When the probes pass, the table is complete (the loaders write
		 * the probed service last): the read below only confirms it and
		 * must not count, it takes 100+ ms at 11,000 objects under TCG. */
		t_seen = now_ms();
		if (pending) {
			struct timespec ms1 = { 0, 1000000 };

			if (child && trigger && waitpid(child, NULL, WNOHANG) == child)
				child = 0;
			nanosleep(&ms1, NULL);
			continue;
		}

		if (count(&s, &d) < 0) {
			perror("/proc/net/ip_vs");
			break;
		}
		read_ms = now_ms() - t_seen;
		if (!nprobes)
			t_seen = now_ms();
		polls++;
		if (d > 0 && (min_d < 0 || d < min_d))
			min_d = d;
		if (s >= want_s && d >= want_d) {
			done = 1;
			break;
		}
		if (child && trigger && waitpid(child, NULL, WNOHANG) == child) {
			child = 0; /* the trigger did its job */
		} else if (child && waitpid(child, &status, WNOHANG) == child) {
			child = 0;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				fprintf(stderr, "ipvs_wait: the command failed before the table "
						"was complete\n");
				break;
			}
		}
		wait_ms = 4 * (now_ms() - r0);
		if (wait_ms < interval)
			wait_ms = interval;
		ts.tv_sec = (time_t)(wait_ms / 1e3);
		ts.tv_nsec = (long)((wait_ms - ts.tv_sec * 1e3) * 1e6);
		nanosleep(&ts, NULL);
	}
	printf("complete_ms=%.1f services=%ld dests=%ld min_dests=%ld polls=%ld read_ms=%.1f%s\n",
	       (done ? t_seen : now_ms()) - t0, s, d, min_d, polls, read_ms,
	       done ? "" : " TIMEOUT");
	fflush(stdout);
	if (child && !trigger) {
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
	return done ? 0 : 1;
}
