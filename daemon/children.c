/* The parent's side of one child: fork it, listen to it, respawn it. */
#include "build-config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "daemon/channel.h"
#include "daemon/child.h"
#include "daemon/supervisor.h"

#define USEC_PER_MSEC 1000ULL
#define USEC_PER_SEC 1000000ULL
/* Respawn after 250 ms, doubling up to 30 s for a child that keeps dying;
 * a child that lived this long is healthy again and starts over. */
#define RESPAWN_FIRST_USEC (250 * USEC_PER_MSEC)
#define RESPAWN_MAX_USEC (30 * USEC_PER_SEC)
#define RESPAWN_HEALTHY_USEC (60 * USEC_PER_SEC)

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

static void child_proc_relay_vrrp_state(struct supervisor *sup, const struct msg *m);

static const struct child_desc *child_desc_of(enum child_kind kind)
{
	return kind == CHILD_VRRP ? &child_vrrp_desc : &child_check_desc;
}

void child_proc_init(struct supervisor *sup, enum child_kind kind)
{
	struct child_proc *c = &sup->child[kind];

	memset(c, 0, sizeof(*c));
	c->sup = sup;
	c->kind = kind;
	c->sock = -1;
	c->slot = -1;
	c->pending_slot = -1;
	if (kind == CHILD_VRRP) {
		c->name = "VRRP child";
		c->pidfile = sup->opts->vrrp_pidfile;
		c->holder = CONFIG_HOLDER_VRRP;
		c->enabled = sup->opts->run_vrrp;
	} else {
		c->name = "checker child";
		c->pidfile = sup->opts->check_pidfile;
		c->holder = CONFIG_HOLDER_CHECK;
		c->enabled = sup->opts->run_check;
	}
}

bool child_proc_running(const struct child_proc *c)
{
	return c->pid > 0;
}

static void child_proc_on_applied(struct child_proc *c, const struct msg_applied *a)
{
	struct config_slots *slots = &c->sup->slots;
	/* Either the answer to the last CONFIG sent, or to the generation it
	 * inherited at fork (which may come after a CONFIG was already sent). */
	bool to_pending =
	    c->pending_slot >= 0 && slots->gen[c->pending_slot].generation == a->generation;
	bool to_inherited = !to_pending && c->slot >= 0 &&
			    slots->gen[c->slot].generation == a->generation &&
			    c->answered < a->generation;

	if (!to_pending && !to_inherited) {
		log_warn("%s (pid %d) answered for generation %" PRIu64 ", which it was not sent",
			 c->name, (int)c->pid, a->generation);
		return;
	}
	if (a->error < 0) {
		log_err("%s (pid %d) could not apply generation %" PRIu64 ": %s", c->name,
			(int)c->pid, a->generation, a->text);
		if (to_pending) {
			config_slot_drop(slots, c->pending_slot, c->holder);
			c->pending_slot = -1;
		}
	} else {
		log_info("%s (pid %d) runs generation %" PRIu64 ": %s", c->name, (int)c->pid,
			 a->generation, a->text);
		if (to_pending) {
			config_slot_drop(slots, c->slot, c->holder);
			c->slot = c->pending_slot;
			c->pending_slot = -1;
		}
	}
	if (a->generation > c->answered)
		c->answered = a->generation;
	supervisor_check_settled(c->sup);
}

static int child_proc_on_message(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct child_proc *c = data;

	for (;;) {
		const char *why = NULL;
		struct msg m;
		int extra_fd, rc;

		rc = channel_recv(c->sock, &m, &extra_fd, &why);
		if (rc == -EAGAIN || rc == -EINTR)
			return 0;
		if (rc == -EBADMSG) {
			log_warn("dropped a bad message from the %s (pid %d): %s", c->name,
				 (int)c->pid, why);
			continue;
		}
		if (rc < 0) {
			/* It is exiting; its exit is handled when it is reaped. */
			sd_event_source_set_enabled(s, SD_EVENT_OFF);
			return 0;
		}
		if (extra_fd >= 0)
			close(extra_fd);
		switch (m.type) {
		case MSG_APPLIED:
			child_proc_on_applied(c, &m.u.applied);
			break;
		case MSG_STATE:
			log_debug("%s: state %" PRIu32 " of %s is %" PRIu32, c->name,
				  m.u.state.kind, m.u.state.name, m.u.state.value);
			if (c->kind == CHILD_VRRP && m.u.state.kind == MSG_STATE_VRRP_INSTANCE)
				child_proc_relay_vrrp_state(c->sup, &m);
			break;
		default:
			log_warn("dropped an unexpected %s message from the %s (pid %d)",
				 msg_type_name(m.type), c->name, (int)c->pid);
			break;
		}
	}
}

/* Remember an instance's state; -ENOMEM leaves the table as it was. */
static int vrrp_state_remember(struct supervisor *sup, const struct msg_state *st)
{
	struct vrrp_state_seen *v;

	for (size_t i = 0; i < sup->n_vrrp_states; i++)
		if (!strcmp(sup->vrrp_states[i].name, st->name)) {
			sup->vrrp_states[i].state = st->value;
			return 0;
		}
	v = realloc(sup->vrrp_states, (sup->n_vrrp_states + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	sup->vrrp_states = v;
	v = &v[sup->n_vrrp_states++];
	snprintf(v->name, sizeof(v->name), "%s", st->name);
	v->state = st->value;
	return 0;
}

/* A VRRP instance changed state: the checker child runs lvs_sync_daemon,
 * which follows an instance, so it hears of every change; a checker child
 * started later hears the last state of each instance (replay). */
static void child_proc_relay_vrrp_state(struct supervisor *sup, const struct msg *m)
{
	struct child_proc *check = &sup->child[CHILD_CHECK];
	int rc;

	if (vrrp_state_remember(sup, &m->u.state) < 0)
		log_warn("cannot remember the state of VRRP instance %s: out of memory",
			 m->u.state.name);
	if (!child_proc_running(check))
		return;
	rc = channel_send(check->sock, m, -1);
	if (rc < 0)
		log_warn("cannot relay the state of VRRP instance %s to the %s: %s",
			 m->u.state.name, check->name, strerror(-rc));
}

static void child_proc_replay_vrrp_states(struct child_proc *c)
{
	struct msg m = {.type = MSG_STATE};

	for (size_t i = 0; i < c->sup->n_vrrp_states; i++) {
		m.u.state.kind = MSG_STATE_VRRP_INSTANCE;
		m.u.state.value = c->sup->vrrp_states[i].state;
		snprintf(m.u.state.name, sizeof(m.u.state.name), "%s", c->sup->vrrp_states[i].name);
		if (channel_send(c->sock, &m, -1) < 0)
			log_warn("cannot replay the state of VRRP instance %s to the %s",
				 m.u.state.name, c->name);
	}
}

static void describe_exit(const siginfo_t *si, char *buf, size_t len)
{
	if (si->si_code == CLD_EXITED)
		snprintf(buf, len, "exited with status %d", si->si_status);
	else
		snprintf(buf, len, "%s by signal %d (%s)",
			 si->si_code == CLD_DUMPED ? "dumped core, killed" : "was killed",
			 si->si_status, strsignal(si->si_status));
}

static int child_proc_on_respawn(sd_event_source *s, uint64_t usec, void *data)
{
	struct child_proc *c = data;

	c->respawn_timer = sd_event_source_unref(c->respawn_timer);
	if (c->sup->stopping)
		return 0;
	if (child_proc_spawn(c) < 0) {
		/* Try again later, as if it had died at once. */
		uint64_t delay = RESPAWN_FIRST_USEC << (c->quick_deaths < 7 ? c->quick_deaths : 7);

		c->quick_deaths++;
		sd_event_add_time_relative(c->sup->event, &c->respawn_timer, CLOCK_MONOTONIC,
					   delay > RESPAWN_MAX_USEC ? RESPAWN_MAX_USEC : delay, 0,
					   child_proc_on_respawn, c);
	}
	return 0;
}

/* Forget the process: its channel, its generations, its pidfile. */
static void child_proc_forget(struct child_proc *c)
{
	c->io = sd_event_source_unref(c->io);
	c->exited = sd_event_source_unref(c->exited);
	if (c->sock >= 0)
		close(c->sock);
	c->sock = -1;
	config_slot_drop(&c->sup->slots, c->slot, c->holder);
	config_slot_drop(&c->sup->slots, c->pending_slot, c->holder);
	c->slot = c->pending_slot = -1;
	c->pid = 0;
	c->answered = 0;
	if (c->pidfile)
		unlink(c->pidfile);
}

static int child_proc_on_exit(sd_event_source *s, const siginfo_t *si, void *data)
{
	struct child_proc *c = data;
	uint64_t lived = now_usec() - c->started_usec, delay;
	char how[128];

	describe_exit(si, how, sizeof(how));
	child_proc_forget(c);
	if (c->sup->stopping) {
		log_info("%s (pid %d) %s", c->name, (int)si->si_pid, how);
		supervisor_children_gone(c->sup);
		return 0;
	}
	if (lived >= RESPAWN_HEALTHY_USEC)
		c->quick_deaths = 0;
	delay = RESPAWN_FIRST_USEC << (c->quick_deaths < 7 ? c->quick_deaths : 7);
	if (delay > RESPAWN_MAX_USEC)
		delay = RESPAWN_MAX_USEC;
	c->quick_deaths++;
	log_err("%s (pid %d) %s; respawning in %" PRIu64 " ms", c->name, (int)si->si_pid, how,
		(uint64_t)(delay / USEC_PER_MSEC));
	if (sd_event_add_time_relative(c->sup->event, &c->respawn_timer, CLOCK_MONOTONIC, delay, 0,
				       child_proc_on_respawn, c) < 0)
		log_err("cannot schedule the respawn of the %s", c->name);
	supervisor_check_settled(c->sup);
	return 0;
}

int child_proc_spawn(struct child_proc *c)
{
	struct supervisor *sup = c->sup;
	struct config_gen *g = &sup->slots.gen[sup->current_slot];
	int fds[2], rc;
	pid_t parent = getpid(), pid;

	rc = channel_pair(fds);
	if (rc < 0) {
		log_err("cannot start the %s: socketpair: %s", c->name, strerror(-rc));
		return rc;
	}
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		log_err("cannot start the %s: fork: %s", c->name, strerror(-rc));
		close(fds[0]);
		close(fds[1]);
		return rc;
	}
	if (pid == 0) {
		struct child_start start = {
		    .sock = fds[1],
		    .parent = parent,
		    .slots = &sup->slots,
		    .slot = (unsigned)sup->current_slot,
		    .generation = g->generation,
		    .cfg = g->cfg,
		    .log = sup->opts->log,
		    .ipvs_repair_s = sup->opts->ipvs_repair_s,
		    .respawned = c->spawns > 0,
		};

		child_main(child_desc_of(c->kind), &start);
	}
	close(fds[1]);
	c->spawns++;
	c->pid = pid;
	c->sock = fds[0];
	c->started_usec = now_usec();
	c->slot = sup->current_slot;
	config_slot_hold(&sup->slots, c->slot, c->holder);
	rc = sd_event_add_io(sup->event, &c->io, c->sock, EPOLLIN, child_proc_on_message, c);
	if (rc >= 0)
		rc =
		    sd_event_add_child(sup->event, &c->exited, pid, WEXITED, child_proc_on_exit, c);
	if (rc < 0) {
		/* Without these we could neither hear nor reap it. */
		log_err("cannot watch the %s: %s", c->name, strerror(-rc));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		child_proc_forget(c);
		return rc;
	}
	if (c->kind == CHILD_CHECK)
		child_proc_replay_vrrp_states(c);
	if (c->pidfile && (rc = pidfile_write_plain(c->pidfile, pid)) < 0)
		log_warn("cannot write %s: %s", c->pidfile, strerror(-rc));
	log_info("started the %s (pid %d) with generation %" PRIu64, c->name, (int)pid,
		 g->generation);
	return 0;
}

void child_proc_send_config(struct child_proc *c, int slot)
{
	struct config_slots *slots = &c->sup->slots;
	struct msg m = {.type = MSG_CONFIG};
	int rc;

	config_slot_describe(slots, (unsigned)slot, &m.u.config);
	rc = channel_send(c->sock, &m, slots->gen[slot].arena->memfd);
	if (rc < 0) {
		/* A child we cannot talk to is replaced by one that inherits the
		 * current generation. */
		log_err("cannot send generation %" PRIu64 " to the %s (pid %d): %s; restarting it",
			m.u.config.generation, c->name, (int)c->pid, strerror(-rc));
		kill(c->pid, SIGKILL);
		return;
	}
	c->pending_slot = slot;
	config_slot_hold(slots, slot, c->holder);
}

void child_proc_stop(struct child_proc *c)
{
	struct msg m = {.type = MSG_SHUTDOWN};

	c->respawn_timer = sd_event_source_unref(c->respawn_timer);
	if (!child_proc_running(c))
		return;
	if (channel_send(c->sock, &m, -1) < 0)
		kill(c->pid, SIGTERM);
}

void child_proc_kill(struct child_proc *c)
{
	if (!child_proc_running(c))
		return;
	log_warn("%s (pid %d) did not stop in time; killing it", c->name, (int)c->pid);
	kill(c->pid, SIGKILL);
}

void child_proc_fini(struct child_proc *c)
{
	c->respawn_timer = sd_event_source_unref(c->respawn_timer);
	if (child_proc_running(c)) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
	}
	child_proc_forget(c);
}
