/* Tells a stall of the whole machine from a stall of one program: a tiny
 * real-time thread (SCHED_FIFO, priority from -p, default 9: below the
 * VRRP daemons' 10 so it never delays them) that asks to wake every
 * millisecond and records how late it was, and the time the host took
 * from this guest (steal, /proc/stat) over the run and in its worst
 * second. When it stops (SIGTERM/SIGINT) it prints one line:
 *
 *   stall max_ms M end_s T over_N K steal_ms S worst_steal_1s_ms W
 *
 * M: the longest wake-up delay; T: when it ended (CLOCK_REALTIME, seconds,
 * comparable with bench/vrrp/vrrp_wire's max_gap_end_s); K: delays over
 * -t MS (default 20). A gap on the wire that coincides with a delay here
 * was not the daemon's doing: nothing else in the guest ran either.
 *
 *   stall_probe [-p PRIO] [-t MS] [-o FILE]
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t ns_of(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000ULL + (uint64_t)t->tv_nsec;
}

/* Steal time of all CPUs, in milliseconds (USER_HZ ticks). */
static uint64_t steal_ms(void)
{
	unsigned long long v[8] = {0};
	FILE *f = fopen("/proc/stat", "r");
	long hz = sysconf(_SC_CLK_TCK);

	if (!f)
		return 0;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]) != 8)
		v[7] = 0;
	fclose(f);
	return hz > 0 ? v[7] * 1000ULL / (unsigned long long)hz : 0;
}

int main(int argc, char **argv)
{
	struct sched_param sp = {.sched_priority = 9};
	const char *out = NULL;
	double over_ms = 20;
	int opt;

	while ((opt = getopt(argc, argv, "p:t:o:")) != -1) {
		if (opt == 'p')
			sp.sched_priority = atoi(optarg);
		else if (opt == 't')
			over_ms = atof(optarg);
		else if (opt == 'o')
			out = optarg;
		else {
			fprintf(stderr, "usage: stall_probe [-p PRIO] [-t MS] [-o FILE]\n");
			return 2;
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
		fprintf(stderr, "stall_probe: SCHED_FIFO: %s (measuring anyway)\n", strerror(errno));

	struct timespec next, now, real;
	uint64_t max_ns = 0, over = 0, max_end_real = 0;
	uint64_t steal0 = steal_ms(), steal_prev = steal0, worst_steal = 0, sec_mark;

	clock_gettime(CLOCK_MONOTONIC, &next);
	sec_mark = ns_of(&next);
	while (!stop) {
		next.tv_nsec += 1000000;
		if (next.tv_nsec >= 1000000000) {
			next.tv_nsec -= 1000000000;
			next.tv_sec++;
		}
		if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &now);
		uint64_t late = ns_of(&now) > ns_of(&next) ? ns_of(&now) - ns_of(&next) : 0;

		if (late > over_ms * 1e6)
			over++;
		if (late > max_ns) {
			max_ns = late;
			clock_gettime(CLOCK_REALTIME, &real);
			max_end_real = ns_of(&real);
		}
		if (late > 1000000)
			next = now; /* do not replay the missed ticks */
		if (ns_of(&now) - sec_mark >= 1000000000ULL) {
			uint64_t s = steal_ms();

			if (s - steal_prev > worst_steal)
				worst_steal = s - steal_prev;
			steal_prev = s;
			sec_mark = ns_of(&now);
		}
	}
	FILE *f = out ? fopen(out, "w") : stdout;

	if (!f)
		f = stdout;
	fprintf(f, "stall max_ms %.3f end_s %.3f over_%g %llu steal_ms %llu worst_steal_1s_ms %llu\n",
		max_ns / 1e6, max_end_real / 1e9, over_ms, (unsigned long long)over,
		(unsigned long long)(steal_ms() - steal0), (unsigned long long)worst_steal);
	if (f != stdout)
		fclose(f);
	return 0;
}
