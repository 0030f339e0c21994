/* The vigild parent: owns the config generations, supervises the VRRP and
 * checker children, reloads on SIGHUP, talks to systemd.
 *
 * supervisor.c  the loop, signals, sd_notify, shutdown
 * children.c    forking, respawning and talking to one child
 * reload.c      loading a generation and handing it to the children
 */
#ifndef VIGIL_DAEMON_SUPERVISOR_H
#define VIGIL_DAEMON_SUPERVISOR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <systemd/sd-event.h>

#include "daemon/config_slots.h"
#include "daemon/log.h"
#include "daemon/pidfile.h"

/* What the command line asked for. Strings are borrowed from argv. */
struct vigild_opts {
	const char *config_path;   /* absolute, resolved before daemonising */
	const char *config_id;	   /* -i, or NULL */
	const char *pidfile;	   /* -p */
	const char *vrrp_pidfile;  /* -r */
	const char *check_pidfile; /* -c */
	bool run_vrrp, run_check;  /* -P / -C; both when neither is given */
	bool dont_fork;		   /* -n */
	unsigned ipvs_repair_s;	   /* --ipvs-repair-interval; 0 = never */
	struct log_opts log;
	/* Called once with the first generation, after the children are
	 * started (so it never delays them): main.c logs script security. */
	void (*started)(const struct vigil_config *cfg);
};

enum child_kind { CHILD_VRRP, CHILD_CHECK, CHILD_KINDS };

struct supervisor;

/* The parent's view of one child process. */
struct child_proc {
	struct supervisor *sup;
	enum child_kind kind;
	const char *name;    /* "VRRP child", "checker child" */
	const char *pidfile; /* borrowed from the options */
	unsigned holder;     /* its enum config_holder bit */
	bool enabled;
	pid_t pid; /* 0 when not running */
	int sock;  /* our end of the socketpair, -1 when not running */
	sd_event_source *io, *exited, *respawn_timer;
	int slot;	       /* generation it runs, -1 if none */
	int pending_slot;      /* generation sent but not yet answered, -1 if none */
	uint64_t answered;     /* last generation it answered APPLIED for (ok or not) */
	uint64_t started_usec; /* CLOCK_MONOTONIC */
	unsigned quick_deaths; /* consecutive short lives, for the respawn backoff */
	unsigned spawns;       /* processes started so far (the first is not a respawn) */
};

/* The last state the VRRP child reported for one instance, relayed to the
 * checker child (and replayed to each new one). */
struct vrrp_state_seen {
	char name[MSG_TEXT_MAX + 1];
	uint32_t state; /* enum msg_vrrp_state */
};

struct supervisor {
	const struct vigild_opts *opts;
	sd_event *event;
	struct pidfile *pidfile;
	struct config_slots slots;
	int current_slot;    /* the newest valid generation */
	uint64_t generation; /* its number (1 for the first) */
	struct child_proc child[CHILD_KINDS];
	sd_event_source *signals[3];
	sd_event_source *stop_timer;
	sd_event_source *apply_timer; /* a reload's deadline for the children */
	bool ready_sent;	      /* READY=1 sent for the initial config */
	bool reloading;		      /* RELOADING=1 sent, READY=1 not yet */
	bool reload_again;	      /* SIGHUP arrived during a reload */
	bool stopping;
	int exit_code;
	struct vrrp_state_seen *vrrp_states; /* malloc'd, freed at exit */
	size_t n_vrrp_states;
};

/* Run vigild: lock the pidfile, load the config, daemonise unless -n, start
 * the children and serve until SIGTERM/SIGINT. Returns the process exit code. */
int supervisor_run(const struct vigild_opts *opts);

/* supervisor.c */
/* Called when a child answered or disappeared: sends READY=1 and STATUS=
 * once every enabled child runs the current generation. */
void supervisor_check_settled(struct supervisor *sup);
/* Give the children APPLY_TIMEOUT to answer the generation just sent. */
void supervisor_arm_apply_timeout(struct supervisor *sup);
/* Called when the last child is gone while stopping. */
void supervisor_children_gone(struct supervisor *sup);

/* children.c */
void child_proc_init(struct supervisor *sup, enum child_kind kind);
int child_proc_spawn(struct child_proc *c);
/* Send CONFIG for @slot; on failure the child is killed and will be
 * respawned with the current generation. */
void child_proc_send_config(struct child_proc *c, int slot);
/* Ask a running child to exit (SHUTDOWN message, SIGTERM if that fails). */
void child_proc_stop(struct child_proc *c);
void child_proc_kill(struct child_proc *c);
bool child_proc_running(const struct child_proc *c);
void child_proc_fini(struct child_proc *c);

/* reload.c */
/* Load the first generation (before any child exists). Returns 0, or -errno
 * after logging every diagnostic. */
int reload_initial(struct supervisor *sup);
/* SIGHUP: load, validate, and hand over to the children, or keep everything
 * as it is when the new config has errors. */
void reload_start(struct supervisor *sup);

#endif
