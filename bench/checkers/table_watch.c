/* table_watch: time until the kernel's IPVS table holds what we expect,
 * and the fewest destinations it held meanwhile (the approach of
 * bench/ipvs/ipvs_wait.c, with a target service of its own).
 *
 *   table_watch -s SERVICES -d DESTS [-v VIP:PORT] [-i MS] [-t S] [-- TRIGGER...]
 *
 * Polls /proc/net/ip_vs (no process per poll) every MS milliseconds
 * (default 2), or 4x the time one read took when that is longer (reading a
 * big table walks it in the kernel; polling must not slow what it
 * measures), until the table lists at least SERVICES services and DESTS
 * destinations and, with -v, the TCP service VIP:PORT with at least one
 * destination. With a TRIGGER (say `kill -HUP PID`) the clock starts just
 * before it is forked; it is awaited, never signalled. Prints
 * "complete_ms=... services=... dests=... min_dests=... polls=..."; min_dests
 * counts every poll, the first included, so a reload that drops
 * destinations, even for a moment between two polls' worth of time, shows
 * up there. Exit 0 when complete, 1 on timeout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
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

int main(int argc, char **argv)
{
	long want_s = 0, want_d = 0, min_d = -1, polls = 0;
	double interval = 2, timeout = 120, t0;
	char target[64], *vip = NULL;
	struct table_count tc = {0};
	pid_t child = 0;
	int opt, done = 0;

	while ((opt = getopt(argc, argv, "+s:d:v:i:t:")) != -1) {
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
			interval = atof(optarg);
			break;
		case 't':
			timeout = atof(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (vip && target_of(vip, target, sizeof(target)) < 0)
		goto usage;
	t0 = now_ms();
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

		if (table_count(vip ? target : NULL, &tc) < 0) {
			perror("/proc/net/ip_vs");
			break;
		}
		polls++;
		if (min_d < 0 || tc.dests < min_d)
			min_d = tc.dests;
		if (tc.services >= want_s && tc.dests >= want_d && (!vip || tc.target_dests > 0)) {
			done = 1;
			break;
		}
		if (child && waitpid(child, NULL, WNOHANG) == child)
			child = 0;
		wait_ms = 4 * (now_ms() - r0);
		if (wait_ms < interval)
			wait_ms = interval;
		ts.tv_sec = (time_t)(wait_ms / 1e3);
		ts.tv_nsec = (long)((wait_ms - ts.tv_sec * 1e3) * 1e6);
		nanosleep(&ts, NULL);
	}
	printf("complete_ms=%.1f services=%ld dests=%ld min_dests=%ld polls=%ld%s\n", now_ms() - t0,
	       tc.services, tc.dests, min_d, polls, done ? "" : " TIMEOUT");
	fflush(stdout);
	if (child)
		waitpid(child, NULL, 0);
	return done ? 0 : 1;
usage:
	fprintf(stderr, "usage: table_watch -s N -d N [-v VIP:PORT] [-i MS] [-t S] [-- CMD...]\n");
	return 2;
}
