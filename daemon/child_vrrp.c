/* The VRRP child: runs the VRRP subsystem (vrrp/vrrp.h) on the child's
 * event loop, hands it each configuration generation, reports instance
 * state changes to the parent, and gives up VIPs when stopping.
 *
 * It runs under real-time scheduling by default. Under SCHED_OTHER a busy
 * machine delays the backup's reading of adverts and the master's sending
 * of them by more than the master-down interval (36 ms at advert_int 0.01):
 * keepalived 2.2.7 without vrrp_rt_priority loses almost every instance to
 * false takeovers when both cores are busy (docs/benchmarks.md, VRRP). Real
 * time is made safe by RLIMIT_RTTIME: a soft limit on CPU time used without
 * sleeping, after which the kernel sends SIGXCPU; our handler then leaves
 * real time at once (so the hard limit, SIGKILL, is never reached) and the
 * loop logs it and goes back to real time a minute later. A configuration
 * apply runs under SCHED_OTHER: it may legitimately run long without
 * sleeping, and no timer fires during it anyway. `vrrp_rt_priority 0` (or
 * `off`) keeps the child under SCHED_OTHER. keepalived's vrrp_priority
 * (nice) and vrrp_no_swap (mlockall) are applied at each configuration. */
#include "build-config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "daemon/channel.h"
#include "daemon/child.h"
#include "vrrp/instance.h"
#include "vrrp/vrrp.h"

/* Above every SCHED_OTHER task, below the kernel's threaded interrupt
 * handlers (50) and anything an operator made real-time on purpose. */
#define CHILD_VRRP_RT_PRIORITY 10
/* Soft RLIMIT_RTTIME. The loop sleeps between events: 255 instances at
 * advert_int 0.01 (25,500 adverts a second) keep it busy for well under
 * this at a stretch, bursts of 255 simultaneous transitions included. A
 * runaway loop still starves SCHED_OTHER on one core for at most this. */
#define CHILD_VRRP_RTTIME_US 200000u
/* The hard limit's margin over the soft one (see child_vrrp_rt_enter). */
#define CHILD_VRRP_RTTIME_HARD_EXTRA_US 1000000u
/* How long after a SIGXCPU the child stays under SCHED_OTHER. */
#define CHILD_VRRP_RT_RETRY_US (60 * 1000000ull)

struct child_vrrp {
	struct child *child;
	struct vrrp *vrrp;
	int xcpu_pipe[2]; /* SIGXCPU handler -> event loop */
	sd_event_source *xcpu_io, *rt_retry;
	unsigned rt_priority; /* from the running config, or the default */
	uint64_t rttime_us;
	bool realtime;	 /* SCHED_RR is in effect */
	bool rt_refused; /* the kernel said no once: say it only once */
	bool locked;	 /* vrrp_no_swap: mlockall() is in effect */
};

/* The write end of xcpu_pipe, for the signal handler (which can reach
 * nothing else). */
static volatile sig_atomic_t child_vrrp_xcpu_fd = -1;

static void child_vrrp_on_sigxcpu(int sig)
{
	const struct sched_param sp = {.sched_priority = 0};
	int saved_errno = errno;

	(void)sig;
	/* Leave real time here, not in the loop: the loop may be what is
	 * spinning, and the hard limit's SIGKILL would come next. (A plain
	 * system call; safe in a handler.) */
	sched_setscheduler(0, SCHED_OTHER, &sp);
	if (child_vrrp_xcpu_fd >= 0 && write(child_vrrp_xcpu_fd, "x", 1) < 0) {
		/* the pipe is full: the loop already has a wake-up pending */
	}
	errno = saved_errno;
}

static void child_vrrp_rt_settings(struct child_vrrp *cv, const struct vigil_config *cfg)
{
	const struct global_conf *g = cfg ? &cfg->global : NULL;

	cv->rt_priority = g && g->vrrp_rt_off	      ? 0
			  : g && g->vrrp_rt_priority ? g->vrrp_rt_priority
						     : CHILD_VRRP_RT_PRIORITY;
	cv->rttime_us =
	    g && g->vrrp_rlimit_rttime_us ? g->vrrp_rlimit_rttime_us : CHILD_VRRP_RTTIME_US;
}

static void child_vrrp_rt_leave(struct child_vrrp *cv)
{
	const struct sched_param sp = {.sched_priority = 0};

	if (!cv->realtime)
		return;
	if (sched_setscheduler(0, SCHED_OTHER, &sp) < 0)
		log_warn("cannot leave real-time scheduling: %s", strerror(errno));
	cv->realtime = false;
}

/* SCHED_RR at cv->rt_priority with RLIMIT_RTTIME soft cv->rttime_us, hard
 * a second more: the kernel counts in scheduler ticks, so a hard limit close
 * to the soft one could be crossed in the same tick, and SIGKILL wins over
 * SIGXCPU. SCHED_RESET_ON_FORK: notify and track scripts run as ordinary
 * processes. */
static void child_vrrp_rt_enter(struct child_vrrp *cv)
{
	const struct sched_param sp = {.sched_priority = (int)cv->rt_priority};
	/* The kernel raises the soft limit by 1 s at each SIGXCPU: set both
	 * again every time. */
	const struct rlimit rl = {.rlim_cur = cv->rttime_us,
				  .rlim_max = cv->rttime_us + CHILD_VRRP_RTTIME_HARD_EXTRA_US};

	cv->rt_retry = sd_event_source_disable_unref(cv->rt_retry);
	if (!cv->rt_priority) {
		if (!cv->rt_refused)
			log_info("real-time scheduling off (vrrp_rt_priority 0)");
		cv->rt_refused = true; /* say it once */
		return;
	}
	if (setrlimit(RLIMIT_RTTIME, &rl) < 0) {
		/* Without a finite limit, real time is not safe: stay out. */
		if (!cv->rt_refused)
			log_warn("cannot set RLIMIT_RTTIME to %" PRIu64
				 " us: %s; VRRP keeps ordinary scheduling",
				 cv->rttime_us, strerror(errno));
		cv->rt_refused = true;
		return;
	}
	if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0) {
		if (!cv->rt_refused)
			log_warn("cannot use real-time scheduling (SCHED_RR %u): %s; VRRP "
				 "timing may suffer when the CPU is busy",
				 cv->rt_priority, strerror(errno));
		cv->rt_refused = true;
		return;
	}
	if (!cv->realtime)
		log_info("real-time scheduling: SCHED_RR priority %u, RLIMIT_RTTIME %" PRIu64 " us",
			 cv->rt_priority, cv->rttime_us);
	cv->realtime = true;
	cv->rt_refused = false;
}

static int child_vrrp_on_rt_retry(sd_event_source *s, uint64_t usec, void *data)
{
	struct child_vrrp *cv = data;

	(void)s;
	(void)usec;
	child_vrrp_rt_enter(cv);
	return 0;
}

static int child_vrrp_on_xcpu(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct child_vrrp *cv = data;
	char buf[16];
	uint64_t now;
	int rc;

	(void)s;
	(void)revents;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	if (!cv->realtime)
		return 0;
	cv->realtime = false;
	log_warn("ran longer than RLIMIT_RTTIME (%" PRIu64 " us) without sleeping: left "
		 "real-time scheduling, back in %llu s",
		 cv->rttime_us, CHILD_VRRP_RT_RETRY_US / 1000000);
	sd_event_now(cv->child->event, CLOCK_MONOTONIC, &now);
	cv->rt_retry = sd_event_source_disable_unref(cv->rt_retry);
	rc = sd_event_add_time(cv->child->event, &cv->rt_retry, CLOCK_MONOTONIC,
			       now + CHILD_VRRP_RT_RETRY_US, 0, child_vrrp_on_rt_retry, cv);
	if (rc < 0)
		log_warn("cannot schedule the return to real time: %s", strerror(-rc));
	return 0;
}

/* keepalived's vrrp_priority and vrrp_no_swap for the VRRP process. The
 * nice value matters under SCHED_OTHER: always with vrrp_rt_priority 0,
 * else after a SIGXCPU and during configuration applies. */
static void child_vrrp_process_settings(struct child_vrrp *cv, const struct vigil_config *cfg)
{
	const struct global_conf *g = cfg ? &cfg->global : NULL;
	int nice = g ? g->vrrp_priority : 0;
	bool lock = g && g->vrrp_no_swap;

	if (getpriority(PRIO_PROCESS, 0) != nice && setpriority(PRIO_PROCESS, 0, nice) < 0)
		log_warn("cannot set vrrp_priority %d: %s", nice, strerror(errno));
	if (lock && !cv->locked) {
		/* MCL_ONFAULT: what is in use is locked (and so is what gets
		 * used later), but the kernel does not walk the gigabytes of
		 * PROT_NONE address space reserved for configurations
		 * (daemon/config_slots.c): that took over a second here. */
		if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) < 0)
			log_warn("vrrp_no_swap: cannot lock the VRRP process in memory: %s",
				 strerror(errno));
		else
			cv->locked = true;
	} else if (!lock && cv->locked) {
		munlockall();
		cv->locked = false;
	}
}

static void child_vrrp_free(struct child_vrrp *cv)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};

	if (!cv)
		return;
	sigaction(SIGXCPU, &dfl, NULL);
	child_vrrp_xcpu_fd = -1;
	sd_event_source_disable_unref(cv->xcpu_io);
	sd_event_source_disable_unref(cv->rt_retry);
	if (cv->xcpu_pipe[0] >= 0)
		close(cv->xcpu_pipe[0]);
	if (cv->xcpu_pipe[1] >= 0)
		close(cv->xcpu_pipe[1]);
	vrrp_free(cv->vrrp);
	free(cv);
}

/* The SIGXCPU path: a handler that leaves real time, and a pipe that tells
 * the loop. */
static int child_vrrp_watch_xcpu(struct child_vrrp *cv)
{
	struct sigaction sa = {.sa_handler = child_vrrp_on_sigxcpu, .sa_flags = SA_RESTART};
	sigset_t xcpu;
	int rc;

	if (pipe2(cv->xcpu_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -errno;
	rc = sd_event_add_io(cv->child->event, &cv->xcpu_io, cv->xcpu_pipe[0], EPOLLIN,
			     child_vrrp_on_xcpu, cv);
	if (rc < 0)
		return rc;
	child_vrrp_xcpu_fd = cv->xcpu_pipe[1];
	sigemptyset(&sa.sa_mask);
	sigaction(SIGXCPU, &sa, NULL);
	sigemptyset(&xcpu);
	sigaddset(&xcpu, SIGXCPU);
	sigprocmask(SIG_UNBLOCK, &xcpu, NULL);
	return 0;
}

static void child_vrrp_state_changed(void *data, const struct vrrp_instance *inst,
				     enum vrrp_state state)
{
	struct child *c = data;
	struct msg m = {.type = MSG_STATE};
	int rc;

	m.u.state.kind = MSG_STATE_VRRP_INSTANCE;
	m.u.state.value = (uint32_t)state;
	snprintf(m.u.state.name, sizeof(m.u.state.name), "%s", vrrp_instance_name(inst));
	rc = channel_send(c->sock, &m, -1);
	if (rc < 0)
		log_debug("cannot report the state of %s to the parent: %s",
			  vrrp_instance_name(inst), strerror(-rc));
}

static int child_vrrp_new(struct child *c, struct child_vrrp **out)
{
	const struct vrrp_hooks hooks = {
	    .state_changed = child_vrrp_state_changed,
	    .data = c,
	};
	struct child_vrrp *cv;
	int rc;

	cv = calloc(1, sizeof(*cv));
	if (!cv)
		return -ENOMEM;
	cv->child = c;
	cv->xcpu_pipe[0] = cv->xcpu_pipe[1] = -1;
	rc = vrrp_new(c->event, &hooks, &cv->vrrp);
	if (rc >= 0)
		rc = child_vrrp_watch_xcpu(cv);
	if (rc < 0) {
		child_vrrp_free(cv);
		return rc;
	}
	*out = cv;
	return 0;
}

static int child_vrrp_apply(struct child *c, const struct vigil_config *next, char *text,
			    size_t len)
{
	struct child_vrrp *cv = c->priv;
	int rc;

	if (!cv) {
		rc = child_vrrp_new(c, &cv);
		if (rc < 0) {
			snprintf(text, len, "cannot start the VRRP subsystem: %s", strerror(-rc));
			return rc;
		}
		c->priv = cv;
	}
	child_vrrp_rt_leave(cv);
	rc = vrrp_apply(cv->vrrp, c->cfg, next, text, len);
	child_vrrp_rt_settings(cv, rc < 0 ? c->cfg : next);
	child_vrrp_process_settings(cv, rc < 0 ? c->cfg : next);
	child_vrrp_rt_enter(cv);
	return rc;
}

static void child_vrrp_stop(struct child *c)
{
	struct child_vrrp *cv = c->priv;

	if (!cv)
		return;
	vrrp_shutdown(cv->vrrp);
	child_vrrp_free(cv);
	c->priv = NULL;
}

const struct child_desc child_vrrp_desc = {
    .ident = "vigild-vrrp",
    .apply = child_vrrp_apply,
    .stop = child_vrrp_stop,
};
