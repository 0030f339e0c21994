#include "build-config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "daemon/supervisor.h"

#define STOP_TIMEOUT_USEC (5 * 1000000ULL)
/* A child that has not answered a CONFIG by then is hung: replace it (the
 * new one inherits the current generation) rather than let reloads queue
 * forever behind it. */
#define APPLY_TIMEOUT_USEC (30 * 1000000ULL)

static void supervisor_status(const struct supervisor *sup, char *buf, size_t len)
{
	const struct vigil_config *cfg = sup->slots.gen[sup->current_slot].cfg;
	const struct child_proc *v = &sup->child[CHILD_VRRP], *k = &sup->child[CHILD_CHECK];
	int n;

	n = snprintf(buf, len, "generation %" PRIu64 ": %u VRRP instances, %u virtual servers",
		     sup->generation, cfg->vrrp.n_instances, cfg->lvs.n_virtual_servers);
	if (v->enabled && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "; VRRP pid %d", (int)v->pid);
	if (k->enabled && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "; checker pid %d", (int)k->pid);
}

void supervisor_check_settled(struct supervisor *sup)
{
	char status[256];

	if (sup->stopping)
		return;
	for (unsigned k = 0; k < CHILD_KINDS; k++) {
		const struct child_proc *c = &sup->child[k];

		if (c->enabled && (!child_proc_running(c) || c->answered < sup->generation))
			return;
	}
	sup->apply_timer = sd_event_source_disable_unref(sup->apply_timer);
	supervisor_status(sup, status, sizeof(status));
	if (!sup->ready_sent || sup->reloading) {
		log_info("%s: %s", sup->ready_sent ? "reload done" : "ready", status);
		sd_notifyf(0, "READY=1\nSTATUS=%s", status);
		sup->ready_sent = true;
		sup->reloading = false;
	} else {
		sd_notifyf(0, "STATUS=%s", status);
	}
	if (sup->reload_again) {
		sup->reload_again = false;
		reload_start(sup);
	}
}

static int supervisor_on_apply_timeout(sd_event_source *s, uint64_t usec, void *data)
{
	struct supervisor *sup = data;

	sup->apply_timer = sd_event_source_disable_unref(sup->apply_timer);
	for (unsigned k = 0; k < CHILD_KINDS; k++) {
		struct child_proc *c = &sup->child[k];

		if (child_proc_running(c) && c->answered < sup->generation) {
			log_err("%s (pid %d) did not answer generation %" PRIu64
				" in time; restarting it",
				c->name, (int)c->pid, sup->generation);
			kill(c->pid, SIGKILL);
		}
	}
	return 0;
}

void supervisor_arm_apply_timeout(struct supervisor *sup)
{
	sup->apply_timer = sd_event_source_disable_unref(sup->apply_timer);
	if (sd_event_add_time_relative(sup->event, &sup->apply_timer, CLOCK_MONOTONIC,
				       APPLY_TIMEOUT_USEC, 0, supervisor_on_apply_timeout, sup) < 0)
		log_warn("cannot arm the reload deadline; a hung child would stall reloads");
}

static bool supervisor_any_child(const struct supervisor *sup)
{
	for (unsigned k = 0; k < CHILD_KINDS; k++)
		if (child_proc_running(&sup->child[k]))
			return true;
	return false;
}

void supervisor_children_gone(struct supervisor *sup)
{
	if (sup->stopping && !supervisor_any_child(sup))
		sd_event_exit(sup->event, sup->exit_code);
}

static int supervisor_on_stop_timeout(sd_event_source *s, uint64_t usec, void *data)
{
	struct supervisor *sup = data;

	/* Reaping them ends the loop through supervisor_children_gone(). */
	for (unsigned k = 0; k < CHILD_KINDS; k++)
		child_proc_kill(&sup->child[k]);
	return 0;
}

static void supervisor_stop(struct supervisor *sup, const char *why)
{
	if (sup->stopping)
		return;
	sup->stopping = true;
	sup->apply_timer = sd_event_source_disable_unref(sup->apply_timer);
	sd_notify(0, "STOPPING=1\nSTATUS=Stopping");
	log_info("stopping (%s)", why);
	for (unsigned k = 0; k < CHILD_KINDS; k++)
		child_proc_stop(&sup->child[k]);
	if (!supervisor_any_child(sup)) {
		sd_event_exit(sup->event, sup->exit_code);
		return;
	}
	if (sd_event_add_time_relative(sup->event, &sup->stop_timer, CLOCK_MONOTONIC,
				       STOP_TIMEOUT_USEC, 0, supervisor_on_stop_timeout, sup) < 0)
		supervisor_on_stop_timeout(NULL, 0, sup);
}

static int supervisor_on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *data)
{
	struct supervisor *sup = data;

	if (si->ssi_signo == SIGHUP)
		reload_start(sup);
	else
		supervisor_stop(sup, strsignal((int)si->ssi_signo));
	return 0;
}

static int supervisor_setup_loop(struct supervisor *sup)
{
	static const int signals[] = {SIGTERM, SIGINT, SIGHUP};
	int rc = sd_event_new(&sup->event);

	for (unsigned i = 0; rc >= 0 && i < sizeof(signals) / sizeof(signals[0]); i++)
		rc = sd_event_add_signal(sup->event, &sup->signals[i], signals[i],
					 supervisor_on_signal, sup);
	return rc;
}

/* Errors before the loop runs: also on stderr when logging to syslog, so an
 * operator starting vigild by hand sees why it did not start. */
static void __attribute__((format(printf, 2, 3)))
startup_error(const struct supervisor *sup, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_err("%s", buf);
	if (!sup->opts->log.console)
		fprintf(stderr, "vigild: %s\n", buf);
}

/* Everything that can refuse to start, before daemonising. */
static int supervisor_prepare(struct supervisor *sup)
{
	const struct vigild_opts *opts = sup->opts;
	pid_t holder;
	int rc;

	rc = pidfile_lock(opts->pidfile, &sup->pidfile, &holder);
	if (rc == -EBUSY) {
		if (holder)
			startup_error(sup, "another vigild (pid %d) holds %s; not starting",
				      (int)holder, opts->pidfile);
		else
			startup_error(sup, "another vigild holds %s; not starting", opts->pidfile);
		return rc;
	}
	if (rc < 0) {
		startup_error(sup, "cannot open %s: %s", opts->pidfile, strerror(-rc));
		return rc;
	}
	rc = pidfile_write(sup->pidfile, getpid());
	if (rc < 0)
		log_warn("cannot write %s: %s", opts->pidfile, strerror(-rc));
	rc = config_slots_reserve(&sup->slots);
	if (rc < 0) {
		startup_error(sup, "cannot reserve address space for configurations: %s",
			      strerror(-rc));
		return rc;
	}
	rc = reload_initial(sup);
	if (rc < 0)
		startup_error(sup,
			      "not starting: %s cannot be used (check it with vigild -t -f %s)",
			      opts->config_path, opts->config_path);
	return rc;
}

static int supervisor_start(struct supervisor *sup)
{
	int rc;

	if (!sup->opts->dont_fork) {
		/* The pidfile lock is flock()'s, so it stays with the daemon. */
		if (daemon(0, sup->opts->log.console) < 0) {
			startup_error(sup, "cannot daemonise: %s", strerror(errno));
			return -errno;
		}
		pidfile_write(sup->pidfile, getpid());
	}
	rc = supervisor_setup_loop(sup);
	if (rc < 0) {
		log_err("cannot set up the event loop: %s", strerror(-rc));
		return rc;
	}
	log_info("starting %s with %s", PACKAGE_STRING, sup->opts->config_path);
	sd_notify(0, "STATUS=Starting children");
	for (unsigned k = 0; k < CHILD_KINDS; k++) {
		struct child_proc *c = &sup->child[k];

		if (c->enabled && child_proc_spawn(c) < 0)
			return -ECHILD;
	}
	if (sup->opts->started)
		sup->opts->started(sup->slots.gen[sup->current_slot].cfg);
	return 0;
}

int supervisor_run(const struct vigild_opts *opts)
{
	struct supervisor sup = {.opts = opts, .current_slot = -1};
	int rc;

	for (unsigned k = 0; k < CHILD_KINDS; k++)
		child_proc_init(&sup, k);
	rc = supervisor_prepare(&sup);
	if (rc >= 0)
		rc = supervisor_start(&sup);
	if (rc >= 0) {
		rc = sd_event_loop(sup.event);
		if (rc < 0)
			log_err("event loop failed: %s", strerror(-rc));
		else
			log_info("stopped");
	}
	for (unsigned k = 0; k < CHILD_KINDS; k++)
		child_proc_fini(&sup.child[k]);
	sd_event_source_unref(sup.stop_timer);
	sd_event_source_unref(sup.apply_timer);
	for (unsigned i = 0; i < sizeof(sup.signals) / sizeof(sup.signals[0]); i++)
		sd_event_source_unref(sup.signals[i]);
	sd_event_unref(sup.event);
	free(sup.vrrp_states);
	config_slots_release(&sup.slots);
	pidfile_remove(sup.pidfile);
	return rc < 0 ? 1 : 0;
}
