/* check_driver: the health-check engine alone on an sd-event loop, for
 * tests and benchmarks. Loads a keepalived-style config, runs every
 * checker, prints verdicts:
 *
 *   0.000 start checks 3 real_servers 4
 *   0.000 initial 10.0.0.1:80 10.0.2.1:80 up weight 1 shared 2
 *   2.315 change 10.0.0.1:80 10.0.2.1:80 down weight 1
 *   5.002 reload checks 3 real_servers 4
 *
 * Times are seconds since start (CLOCK_MONOTONIC). SIGHUP reloads the
 * config file (keeping the engine: unchanged checks keep their state) and
 * prints how long parsing and checkers_reload() took;
 * SIGTERM/SIGINT stop it. Engine logs go to stderr.
 *
 *   check_driver [-q] CONFIG      -q: no log lines, only verdicts
 */
#include "build-config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-event.h>

#include "checkers/checkers.h"
#include "daemon/log.h"
#include "parser/config.h"

#define ARENA_SIZE (256u << 20)

struct driver {
	sd_event *event;
	const char *path;
	struct arena *arena;
	const struct vigil_config *cfg;
	struct checkers *checkers;
	uint64_t t0;
};

static double since_start(const struct driver *d)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)((uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000 - d->t0) / 1e6;
}

static const char *vs_text(const struct lvs_virtual_server *vs, char *buf, size_t len)
{
	char a[VADDR_STRLEN];

	if (vs->kind == LVS_VS_FWMARK)
		snprintf(buf, len, "fwmark:%u", vs->fwmark);
	else if (vs->kind == LVS_VS_GROUP)
		snprintf(buf, len, "group:%s", vs->group->name);
	else
		snprintf(buf, len, vs->addr.family == AF_INET6 ? "[%s]:%u" : "%s:%u",
			 vaddr_format(&vs->addr, a, sizeof(a)), vs->port);
	return buf;
}

static const char *rs_text(const struct lvs_real_server *rs, char *buf, size_t len)
{
	char a[VADDR_STRLEN];

	snprintf(buf, len, rs->addr.family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 vaddr_format(&rs->addr, a, sizeof(a)), rs->port);
	return buf;
}

static void on_rs_changed(void *data, const struct lvs_virtual_server *vs,
			  const struct lvs_real_server *rs, bool up, uint32_t weight)
{
	struct driver *d = data;
	char v[80], r[80];

	printf("%.3f change %s %s %s weight %u\n", since_start(d), vs_text(vs, v, sizeof(v)),
	       rs_text(rs, r, sizeof(r)), up ? "up" : "down", weight);
}

static const struct checkers_ops driver_ops = {.rs_changed = on_rs_changed};

static void print_all(struct driver *d, const char *what)
{
	size_t n_checks, n_rs;
	char v[80], r[80];

	checkers_counts(d->checkers, &n_checks, &n_rs);
	printf("%.3f %s checks %zu real_servers %zu\n", since_start(d), what, n_checks, n_rs);
	for (const struct lvs_virtual_server *vs = d->cfg->lvs.virtual_servers; vs; vs = vs->next)
		for (const struct lvs_real_server *rs = vs->real_servers; rs; rs = rs->next) {
			uint32_t weight;
			bool up;

			checkers_rs_status(d->checkers, vs, rs, &up, &weight);
			printf("%.3f initial %s %s %s weight %u shared %u\n", since_start(d),
			       vs_text(vs, v, sizeof(v)), rs_text(rs, r, sizeof(r)),
			       up ? "up" : "down", weight,
			       checkers_rs_sharing(d->checkers, vs, rs));
		}
}

static int load(struct driver *d, struct arena **arena, const struct vigil_config **cfg)
{
	struct diag_list dl = {0};
	int r;

	*arena = arena_new(ARENA_SIZE);
	if (!*arena)
		return -errno;
	r = config_load_file(d->path, NULL, *arena, &dl, cfg);
	diag_print(&dl, stderr);
	diag_list_free(&dl);
	if (r < 0) {
		arena_free(*arena);
		*arena = NULL;
	}
	return r;
}

static int on_sighup(sd_event_source *s, const struct signalfd_siginfo *si, void *data)
{
	struct driver *d = data;
	struct arena *arena;
	const struct vigil_config *cfg;
	double t0 = since_start(d), t1;
	int r;

	if (load(d, &arena, &cfg) < 0) {
		printf("%.3f reload failed: config\n", since_start(d));
		return 0;
	}
	t1 = since_start(d);
	r = checkers_reload(d->checkers, cfg);
	if (r < 0) {
		printf("%.3f reload failed: %s\n", since_start(d), strerror(-r));
		arena_free(arena);
		return 0;
	}
	printf("%.3f reload parse %.1f ms apply %.1f ms\n", since_start(d), (t1 - t0) * 1e3,
	       (since_start(d) - t1) * 1e3);
	arena_free(d->arena);
	d->arena = arena;
	d->cfg = cfg;
	print_all(d, "reload");
	return 0;
}

int main(int argc, char **argv)
{
	struct driver d = {0};
	struct log_opts lo = {.ident = "check_driver", .console = true, .detail = true};
	struct timespec ts;
	sigset_t mask;
	bool quiet = false;
	int r;

	if (argc > 1 && strcmp(argv[1], "-q") == 0) {
		quiet = true;
		argv++, argc--;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: check_driver [-q] CONFIG\n");
		return 2;
	}
	d.path = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (quiet)
		lo.detail = false;
	log_open(&lo);
	if (quiet && !freopen("/dev/null", "w", stderr))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	d.t0 = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;

	/* As vigild: SIGPIPE ignored (TLS writes), signals read by the loop. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	if (load(&d, &d.arena, &d.cfg) < 0)
		return 1;
	r = sd_event_default(&d.event);
	if (r < 0)
		return 1;
	sd_event_add_signal(d.event, NULL, SIGTERM, NULL, NULL);
	sd_event_add_signal(d.event, NULL, SIGINT, NULL, NULL);
	sd_event_add_signal(d.event, NULL, SIGHUP, on_sighup, &d);
	r = checkers_new(d.event, d.cfg, &driver_ops, &d, &d.checkers);
	if (r < 0) {
		fprintf(stderr, "checkers_new: %s\n", strerror(-r));
		return 1;
	}
	print_all(&d, "start");
	r = sd_event_loop(d.event);
	printf("%.3f stop\n", since_start(&d));
	checkers_free(d.checkers);
	sd_event_unref(d.event);
	arena_free(d.arena);
	log_close();
	return r < 0 ? 1 : 0;
}
