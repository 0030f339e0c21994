#include "build-config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "daemon/channel.h"
#include "daemon/child.h"

/* The descriptor the child's socket is moved to; everything above it that
 * came from the parent is closed. */
#define CHILD_SOCK_FD 3

static void child_reply(struct child *c, uint64_t generation, int error, const char *text)
{
	struct msg m = {.type = MSG_APPLIED};
	int rc;

	m.u.applied.generation = generation;
	m.u.applied.error = error;
	snprintf(m.u.applied.text, sizeof(m.u.applied.text), "%s", text);
	rc = channel_send(c->sock, &m, -1);
	if (rc < 0)
		log_err("cannot report generation %" PRIu64 " to the parent: %s", generation,
			strerror(-rc));
}

static void child_on_config(struct child *c, const struct msg_config *mc, int memfd)
{
	const struct vigil_config *next = NULL;
	char text[MSG_TEXT_MAX + 1] = "";
	const char *why = NULL;
	int rc;

	if (mc->generation <= c->generation) {
		why = "generation is not newer than the running one";
		rc = -ESTALE;
	} else if ((int)mc->slot == c->slot) {
		why = "slot holds the running generation";
		rc = -EBUSY;
	} else {
		rc = config_slot_map(c->slots, mc, memfd, &next, &why);
	}
	close(memfd);
	if (rc < 0) {
		log_err("refused configuration generation %" PRIu64 ": %s", mc->generation, why);
		child_reply(c, mc->generation, rc, why);
		return;
	}
	rc = c->desc->apply(c, next, text, sizeof(text));
	if (rc < 0) {
		log_err("could not apply configuration generation %" PRIu64 ": %s", mc->generation,
			text);
		config_slot_unmap(c->slots, mc->slot);
	} else {
		if (c->slot >= 0)
			config_slot_unmap(c->slots, (unsigned)c->slot);
		c->slot = (int)mc->slot;
		c->cfg = next;
		c->generation = mc->generation;
	}
	child_reply(c, mc->generation, rc, text);
}

static int child_on_message(sd_event_source *s, int fd, uint32_t revents, void *data)
{
	struct child *c = data;

	for (;;) {
		const char *why = NULL;
		struct msg m;
		int memfd, rc;

		rc = channel_recv(c->sock, &m, &memfd, &why);
		if (rc == -EAGAIN || rc == -EINTR)
			return 0;
		if (rc == -EBADMSG) {
			log_warn("dropped a bad message from the parent: %s", why);
			continue;
		}
		if (rc < 0) {
			if (rc != -EPIPE)
				log_err("parent channel: %s", strerror(-rc));
			log_info("parent went away; exiting");
			return sd_event_exit(c->event, 0);
		}
		switch (m.type) {
		case MSG_CONFIG:
			child_on_config(c, &m.u.config, memfd);
			break;
		case MSG_STATE:
			if (c->desc->state)
				c->desc->state(c, &m.u.state);
			break;
		case MSG_SHUTDOWN:
			log_info("shutting down at the parent's request");
			c->shutdown = true;
			return sd_event_exit(c->event, 0);
		default:
			log_warn("dropped an unexpected %s message from the parent",
				 msg_type_name(m.type));
			break;
		}
	}
}

static int child_on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *data)
{
	struct child *c = data;

	log_info("shutting down on %s", strsignal((int)si->ssi_signo));
	return sd_event_exit(c->event, 0);
}

/* Make this a clean process of its own: die with the parent, keep only the
 * channel descriptor, log under our name. */
static int child_isolate(const struct child_desc *desc, const struct child_start *start)
{
	struct log_opts lo = start->log;
	int sock = start->sock;

	if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || getppid() != start->parent)
		return -ESRCH; /* the parent died before we could ask */
	log_close();
	if (sock != CHILD_SOCK_FD) {
		if (dup2(sock, CHILD_SOCK_FD) < 0)
			return -errno;
		fcntl(CHILD_SOCK_FD, F_SETFD, FD_CLOEXEC);
	}
	/* The parent's loop, pidfile lock, config memfds and the other child's
	 * channel are not ours. */
	close_range(CHILD_SOCK_FD + 1, ~0U, 0);
	lo.ident = desc->ident;
	log_open(&lo);
	/* So ps and top tell the children apart (there is no exec). */
	prctl(PR_SET_NAME, desc->ident);
	/* SIGHUP is the parent's business (reload); a group-wide one must not
	 * stay pending here. */
	signal(SIGHUP, SIG_IGN);
	return CHILD_SOCK_FD;
}

static int child_setup_loop(struct child *c)
{
	int rc;

	rc = sd_event_new(&c->event);
	if (rc < 0)
		return rc;
	/* SIGTERM and SIGINT are still blocked from the parent. */
	rc = sd_event_add_signal(c->event, &c->sigterm, SIGTERM, child_on_signal, c);
	if (rc >= 0)
		rc = sd_event_add_signal(c->event, &c->sigint, SIGINT, child_on_signal, c);
	if (rc >= 0)
		rc = sd_event_add_io(c->event, &c->io, c->sock, EPOLLIN, child_on_message, c);
	return rc;
}

static void child_fini(struct child *c)
{
	sd_event_source_unref(c->io);
	sd_event_source_unref(c->sigterm);
	sd_event_source_unref(c->sigint);
	sd_event_unref(c->event);
	if (c->sock >= 0)
		close(c->sock);
}

void child_main(const struct child_desc *desc, const struct child_start *start)
{
	struct child c = {
	    .desc = desc,
	    .sock = -1,
	    .slots = start->slots,
	    .slot = (int)start->slot,
	    .ipvs_repair_s = start->ipvs_repair_s,
	    .respawned = start->respawned,
	};
	char text[MSG_TEXT_MAX + 1] = "";
	int rc;

	rc = child_isolate(desc, start);
	if (rc < 0)
		_exit(1);
	c.sock = rc;
	config_slots_keep_only(c.slots, start->slot);
	rc = child_setup_loop(&c);
	if (rc < 0) {
		log_err("cannot set up the event loop: %s", strerror(-rc));
		child_fini(&c);
		exit(1);
	}
	log_info("started with configuration generation %" PRIu64, start->generation);
	rc = desc->apply(&c, start->cfg, text, sizeof(text));
	if (rc < 0) {
		log_err("could not apply configuration generation %" PRIu64 ": %s",
			start->generation, text);
	} else {
		c.cfg = start->cfg;
		c.generation = start->generation;
	}
	child_reply(&c, start->generation, rc, text);

	rc = sd_event_loop(c.event);
	if (rc < 0)
		log_err("event loop failed: %s", strerror(-rc));
	if (desc->stop)
		desc->stop(&c);
	child_fini(&c);
	exit(rc < 0 ? 1 : 0);
}
