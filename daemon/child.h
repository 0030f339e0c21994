/* What the VRRP and checker children share: their event loop, the channel
 * to the parent, and the config generations they map (never parse).
 *
 * A child starts from fork() of the parent holding the current generation
 * (inherited mapping), applies it, and from then on applies each CONFIG the
 * parent sends, answering APPLIED every time. It exits on SIGTERM/SIGINT, on
 * SHUTDOWN, and when the parent goes away (PR_SET_PDEATHSIG, or EOF on the
 * socket).
 */
#ifndef VIGIL_DAEMON_CHILD_H
#define VIGIL_DAEMON_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <systemd/sd-event.h>

#include "daemon/config_slots.h"
#include "daemon/log.h"

struct child;

struct child_desc {
	const char *ident; /* log identity: "vigild-vrrp", "vigild-check" */
	/* Make @next the running config (c->cfg is the previous one, NULL the
	 * first time). Write a one-line summary, or why it failed, into @text.
	 * Returns 0, or a negative errno: the previous config stays. */
	int (*apply)(struct child *c, const struct vigil_config *next, char *text, size_t len);
	/* Called once when the child is stopping, after the event loop has
	 * returned and before it is freed. c->shutdown tells a clean daemon
	 * shutdown (the parent's SHUTDOWN: give up VIPs and IPVS services)
	 * from a child that dies alone (signal, parent gone) and will be
	 * replaced: what it holds should then stay for its successor to adopt,
	 * with no outage in between. May be NULL. */
	void (*stop)(struct child *c);
	/* A state report the parent relayed (the checker child: VRRP instance
	 * states). May be NULL: such messages are then dropped. */
	void (*state)(struct child *c, const struct msg_state *s);
};

/* What the parent hands a child at fork. */
struct child_start {
	int sock; /* the child's end of the socketpair */
	pid_t parent;
	struct config_slots *slots; /* the inherited reservation */
	unsigned slot;		    /* the generation it starts with */
	uint64_t generation;
	const struct vigil_config *cfg;
	struct log_opts log; /* ident is replaced by the desc's */
	unsigned ipvs_repair_s; /* checker child: repair period, 0 = never */
	bool respawned;         /* not the first process of its kind */
};

/* One child process's context. */
struct child {
	const struct child_desc *desc;
	sd_event *event;
	sd_event_source *io, *sigterm, *sigint;
	int sock;
	struct config_slots *slots;
	int slot; /* the running generation's slot */
	uint64_t generation;
	const struct vigil_config *cfg;
	void *priv; /* the subsystem's own state (later issues) */
	bool shutdown; /* the parent asked for a clean shutdown */
	unsigned ipvs_repair_s;
	bool respawned; /* a predecessor ran (and may have left state to adopt) */
};

/* Run a child to the end and exit the process. Called in the child right
 * after fork(). */
void child_main(const struct child_desc *desc, const struct child_start *start)
    __attribute__((noreturn));

extern const struct child_desc child_vrrp_desc;
extern const struct child_desc child_check_desc;

#endif
